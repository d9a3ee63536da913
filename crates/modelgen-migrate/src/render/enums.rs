//! Enum types across a migration. Most of it is the columns' own business (MySQL's
//! `MODIFY` to the new ENUM list, SQLite's rebuild); what is not:
//! - PostgreSQL's own types: made before the tables need them, dropped once no column
//!   uses them; a type that only gains values gets `ALTER TYPE … ADD VALUE`, one that
//!   loses or reorders values is swapped (renamed away, made anew, each column cast to
//!   it through its text, the old one dropped).
//! - Values renamed (`renamed_values`): PostgreSQL's `ALTER TYPE … RENAME VALUE`; MySQL's
//!   ENUM widened to both names, the rows updated, then narrowed by the column's own
//!   change; SQLite's rebuild copies each value under its new name (render.rs).
//! - Values that go away: a guard counts the rows that hold them, before any change, and
//!   fails the migration (rolled back where the database can) rather than leave values
//!   the enum no longer has.

use crate::diff::Renames;
use modelgen_ir::{Column, DefaultValue, Dialect, EnumType, LogicalType, Model, Schema};
use modelgen_sql::SqlDialect;
use std::fmt::Write;

/// Every model of `schema` by table: these passes look one up for each model.
fn by_table(schema: &Schema) -> std::collections::HashMap<&str, &Model> {
    schema.models.iter().map(|m| (m.table.as_str(), m)).collect()
}

/// The statements before the migration's operations, which still see the old tables.
pub(super) fn prologue(old: &Schema, new: &Schema, renames: &Renames, d: Dialect) -> String {
    let mut out = String::new();
    guard_removed_values(&mut out, old, new, renames, d);
    if d == Dialect::Mysql {
        rename_mysql_values(&mut out, old, new, renames, d);
    }
    if d != Dialect::Postgres {
        return out;
    }
    let old_types = modelgen_sql::enums::native_types(old, d);
    for e in modelgen_sql::enums::native_types(new, d) {
        match old_types.iter().find(|o| o.type_name == e.type_name) {
            None => {
                let _ = writeln!(out, "{}", modelgen_sql::enums::create_type_sql(e, d));
            }
            Some(o) => {
                let t = d.ident(&e.type_name);
                for (from, to) in e.renamed_from(o) {
                    let _ = writeln!(
                        out,
                        "ALTER TYPE {t} RENAME VALUE {} TO {};",
                        d.string_literal(&from),
                        d.string_literal(&to)
                    );
                }
                let renamed = EnumType {
                    values: e.mapped_values(o),
                    ..(*o).clone()
                };
                if renamed.values == e.values {
                    continue;
                }
                match only_adds(&renamed, e) && !default_uses_added(new, &renamed, e) {
                    true => add_values(&mut out, &renamed, e, d),
                    false => swap(&mut out, old, o, e, d),
                }
            }
        }
    }
    out
}

/// The statements after the operations: PostgreSQL's types no column uses any more.
pub(super) fn epilogue(old: &Schema, new: &Schema, d: Dialect) -> String {
    let mut out = String::new();
    let new_types = modelgen_sql::enums::native_types(new, d);
    for e in modelgen_sql::enums::native_types(old, d) {
        if !new_types.iter().any(|n| n.type_name == e.type_name) {
            let _ = writeln!(out, "{}", modelgen_sql::enums::drop_type_sql(e, d));
        }
    }
    out
}

/// Whether a column change between two enums is the prologue's: PostgreSQL's same type,
/// whose values the prologue changed in place.
pub(super) fn changed_by_prologue(from: &Column, to: &Column, d: Dialect) -> bool {
    match (&from.ty, &to.ty) {
        (LogicalType::Enum(a), LogicalType::Enum(b)) => {
            d == Dialect::Postgres && !a.as_varchar(d) && !b.as_varchar(d) && a.type_name == b.type_name
        }
        _ => false,
    }
}

/// The old values are all still there, in the same order.
fn only_adds(old: &EnumType, new: &EnumType) -> bool {
    let mut rest = new.values.iter();
    old.values.iter().all(|v| rest.any(|n| n == v))
}

/// PostgreSQL refuses a value added in the same transaction in a default; swap instead.
fn default_uses_added(new: &Schema, old: &EnumType, e: &EnumType) -> bool {
    columns_of(new, &e.type_name)
        .any(|(_, c)| matches!(&c.server_default, Some(DefaultValue::Str(v)) if !old.values.contains(v)))
}

/// `ADD VALUE`, each new value before the one that follows it (last ones appended),
/// from the end so that one always exists.
fn add_values(out: &mut String, old: &EnumType, e: &EnumType, d: Dialect) {
    let t = d.ident(&e.type_name);
    for (i, v) in e.values.iter().enumerate().rev() {
        if old.values.contains(v) {
            continue;
        }
        let place = match e.values.get(i + 1) {
            Some(next) => format!(" BEFORE {}", d.string_literal(next)),
            None => String::new(),
        };
        let _ = writeln!(out, "ALTER TYPE {t} ADD VALUE {}{place};", d.string_literal(v));
    }
}

/// The type made anew with the new values, every column that used it cast to it.
fn swap(out: &mut String, old: &Schema, o: &EnumType, e: &EnumType, d: Dialect) {
    let t = d.ident(&e.type_name);
    let old_name = format!("{}_modelgen_old", e.type_name);
    let _ = writeln!(out, "ALTER TYPE {t} RENAME TO {};", d.ident(&old_name));
    let _ = writeln!(out, "{}", modelgen_sql::enums::create_type_sql(e, d));
    for (m, c) in columns_of(old, &o.type_name) {
        let (table, column) = (d.ident(&m.table), d.ident(&c.name));
        // A default of the old type would not cast with the column.
        if c.server_default.is_some() {
            let _ = writeln!(out, "ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;");
        }
        let _ = writeln!(
            out,
            "ALTER TABLE {table} ALTER COLUMN {column} TYPE {t} USING {column}::text::{t};"
        );
        if let Some(DefaultValue::Str(v)) = &c.server_default {
            if e.values.contains(v) {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {};",
                    d.string_literal(v)
                );
            }
        }
    }
    let _ = writeln!(out, "DROP TYPE {};", d.ident(&old_name));
}

/// Fails the migration when a column keeps rows whose value its enum no longer has.
fn guard_removed_values(out: &mut String, old: &Schema, new: &Schema, renames: &Renames, d: Dialect) {
    let mut checks = Vec::new();
    let new = by_table(new);
    for m in &old.models {
        let Some(table) = renames.new_table(&m.table) else {
            continue;
        };
        let Some(&n) = new.get(table.as_str()) else { continue };
        for c in &m.columns {
            let Some(to) = renames.new_column(n, &c.name).and_then(|k| n.column(&k)) else {
                continue;
            };
            let LogicalType::Enum(b) = &to.ty else { continue };
            let list = |values: &mut dyn Iterator<Item = &String>| {
                values.map(|v| d.string_literal(v)).collect::<Vec<_>>().join(", ")
            };
            let (table, column) = (d.ident(&m.table), d.ident(&c.name));
            match &c.ty {
                LogicalType::Enum(a) => {
                    let mapped = b.mapped_values(a);
                    let gone = list(
                        &mut a
                            .values
                            .iter()
                            .zip(&mapped)
                            .filter(|(_, m)| !b.values.contains(m))
                            .map(|(v, _)| v),
                    );
                    if !gone.is_empty() {
                        checks.push(format!("SELECT count(*) FROM {table} WHERE {column} IN ({gone})"));
                    }
                }
                // Text becoming an enum: every value must be one of its values.
                LogicalType::Str { .. } | LogicalType::Text => checks.push(format!(
                    "SELECT count(*) FROM {table} WHERE {column} NOT IN ({})",
                    list(&mut b.values.iter())
                )),
                _ => {}
            }
        }
    }
    if checks.is_empty() {
        return;
    }
    let temporary = match d {
        Dialect::Sqlite => "TEMP TABLE",
        _ => "TEMPORARY TABLE",
    };
    let _ = writeln!(
        out,
        "CREATE {temporary} modelgen_enum_values (rows_with_removed_values BIGINT NOT NULL, CHECK (rows_with_removed_values = 0));"
    );
    for check in checks {
        let _ = writeln!(out, "INSERT INTO modelgen_enum_values {check};");
    }
    let drop = match d {
        Dialect::Mysql => "DROP TEMPORARY TABLE",
        _ => "DROP TABLE",
    };
    let _ = writeln!(out, "{drop} modelgen_enum_values;");
}

fn columns_of<'a>(schema: &'a Schema, type_name: &'a str) -> impl Iterator<Item = (&'a Model, &'a Column)> {
    schema.models.iter().flat_map(move |m| {
        m.columns.iter().filter_map(move |c| match &c.ty {
            LogicalType::Enum(e) if e.type_name == type_name && !e.as_varchar(Dialect::Postgres) => Some((m, c)),
            _ => None,
        })
    })
}

/// MySQL: an ENUM column whose values are renamed takes both names first, then its rows
/// move to the new ones; the column's own change narrows it to the new list after.
fn rename_mysql_values(out: &mut String, old: &Schema, new: &Schema, renames: &Renames, d: Dialect) {
    let new = by_table(new);
    for m in &old.models {
        let Some(&n) = renames.new_table(&m.table).and_then(|t| new.get(t.as_str())) else {
            continue;
        };
        for c in &m.columns {
            let Some(to) = renames.new_column(n, &c.name).and_then(|k| n.column(&k)) else {
                continue;
            };
            let (LogicalType::Enum(a), LogicalType::Enum(b)) = (&c.ty, &to.ty) else {
                continue;
            };
            let pairs = b.renamed_from(a);
            if pairs.is_empty() || a.as_varchar(d) {
                continue;
            }
            let mut both = a.values.clone();
            both.extend(pairs.iter().map(|(_, new)| new.clone()));
            let wide = Column {
                ty: LogicalType::Enum(Box::new(EnumType {
                    values: both,
                    ..(**a).clone()
                })),
                ..c.clone()
            };
            let (table, column) = (d.ident(&m.table), d.ident(&c.name));
            let _ = writeln!(
                out,
                "ALTER TABLE {table} MODIFY COLUMN {};",
                modelgen_sql::ddl::column_sql(&wide, d)
            );
            // Assigned to themselves, MySQL's ON UPDATE columns keep their values.
            let keep: String = m
                .columns
                .iter()
                .filter(|k| k.on_update.is_some())
                .map(|k| format!(", {0} = {0}", d.ident(&k.name)))
                .collect();
            for (from, to) in pairs {
                let _ = writeln!(
                    out,
                    "UPDATE {table} SET {column} = {}{keep} WHERE {column} = {};",
                    d.string_literal(&to),
                    d.string_literal(&from)
                );
            }
        }
    }
}

/// MySQL: the UPDATE that moves a VARCHAR enum column's rows to its values' new names,
/// its `ON UPDATE` columns (`on_update`) assigned to themselves so they keep their values;
/// empty when nothing is renamed or the column is MySQL's own ENUM (the prologue's).
pub(super) fn mysql_varchar_renames(
    table: &str,
    from: &Column,
    to: &Column,
    on_update: &[String],
    d: Dialect,
) -> String {
    let (LogicalType::Enum(a), LogicalType::Enum(b)) = (&from.ty, &to.ty) else {
        return String::new();
    };
    let pairs = b.renamed_from(a);
    if pairs.is_empty() || !a.as_varchar(d) {
        return String::new();
    }
    let column = d.ident(&to.name);
    let keep: String = on_update
        .iter()
        .filter(|k| **k != to.name)
        .map(|k| format!(", {0} = {0}", d.ident(k)))
        .collect();
    let olds: Vec<String> = pairs.iter().map(|(o, _)| d.string_literal(o)).collect();
    format!(
        "UPDATE {table} SET {column} = {}{keep} WHERE {column} IN ({});\n",
        renamed_copy(column.clone(), from, to, d),
        olds.join(", ")
    )
}

/// SQLite's rebuild copies an enum column's values under their new names.
pub(super) fn renamed_copy(expr: String, from: &Column, to: &Column, d: Dialect) -> String {
    let (LogicalType::Enum(a), LogicalType::Enum(b)) = (&from.ty, &to.ty) else {
        return expr;
    };
    let pairs = b.renamed_from(a);
    if pairs.is_empty() {
        return expr;
    }
    let whens: String = pairs
        .iter()
        .map(|(o, n)| format!(" WHEN {} THEN {}", d.string_literal(o), d.string_literal(n)))
        .collect();
    format!("CASE {expr}{whens} ELSE {expr} END")
}
