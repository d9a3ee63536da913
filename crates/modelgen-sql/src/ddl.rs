//! CREATE and DROP scripts for a whole schema, in dependency order.

use crate::{Dialect, SqlDialect};
use modelgen_ir::{Column, ForeignKey, Index, IndexKey, Model, OnUpdate, Schema};
use std::fmt::Write;

/// The generated column MySQL uses in place of partial unique indexes: 1 for live rows,
/// NULL for soft-deleted ones, which unique indexes never compare as equal.
pub const MYSQL_LIVE_COLUMN: &str = "modelgen_live";

/// Tables in creation order, and the foreign keys that must be added after all tables
/// exist because they close a cycle.
pub struct Plan<'a> {
    pub tables: Vec<&'a Model>,
    pub deferred: Vec<(&'a Model, &'a ForeignKey)>,
}

/// Orders tables so every referenced table comes first, keeping spec order otherwise.
/// A depth-first walk in spec order: linear in tables plus foreign keys.
pub fn plan(models: &[Model]) -> Plan<'_> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let index: std::collections::HashMap<&str, usize> =
        models.iter().enumerate().map(|(i, m)| (m.table.as_str(), i)).collect();
    let mut state = vec![State::New; models.len()];
    let mut plan = Plan {
        tables: Vec::new(),
        deferred: Vec::new(),
    };
    for root in 0..models.len() {
        if state[root] != State::New {
            continue;
        }
        // (table, next foreign key to look at)
        let mut stack = vec![(root, 0usize)];
        state[root] = State::Open;
        while let Some(&mut (t, ref mut next)) = stack.last_mut() {
            let model = &models[t];
            if let Some(fk) = model.foreign_keys.get(*next) {
                *next += 1;
                let Some(&dep) = index.get(fk.target_table.as_str()) else {
                    continue;
                };
                match state[dep] {
                    State::New => {
                        state[dep] = State::Open;
                        stack.push((dep, 0));
                    }
                    State::Open if dep != t => plan.deferred.push((model, fk)),
                    _ => {}
                }
            } else {
                state[t] = State::Done;
                plan.tables.push(model);
                stack.pop();
            }
        }
    }
    plan
}

pub fn create_script(schema: &Schema, d: Dialect) -> String {
    let plan = plan(&schema.models);
    let mut out = String::new();
    for e in crate::enums::native_types(schema, d) {
        let _ = writeln!(out, "{}\n", crate::enums::create_type_sql(e, d));
    }
    let deferred_in = |m: &Model, fk: &ForeignKey| {
        d != Dialect::Sqlite && plan.deferred.iter().any(|(dm, dfk)| dm.table == m.table && *dfk == fk)
    };
    for model in &plan.tables {
        table_statements(&mut out, model, d, |fk| !deferred_in(model, fk));
        out.push('\n');
    }
    if d != Dialect::Sqlite {
        for (model, fk) in &plan.deferred {
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD CONSTRAINT {} {};",
                d.ident(&model.table),
                d.ident(&fk_name(model, fk)),
                foreign_key_sql(fk, d)
            );
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One table's statements — CREATE TABLE, its indexes and triggers — exactly as they
/// appear in [`create_script`] when no foreign key cycle involves the table.
pub fn create_table_sql(model: &Model, d: Dialect) -> String {
    let mut out = String::new();
    table_statements(&mut out, model, d, |_| true);
    out
}

fn table_statements(out: &mut String, model: &Model, d: Dialect, inline_fk: impl Fn(&ForeignKey) -> bool) {
    for statement in crate::sequence::create_statements(model, d) {
        let _ = writeln!(out, "{statement}");
    }
    create_table(out, model, d, inline_fk);
    for statement in crate::comment::create_statements(model, d) {
        let _ = writeln!(out, "{statement}");
    }
    for index in &model.indexes {
        create_index(out, model, index, d);
    }
    for column in &model.columns {
        if column.on_update == Some(OnUpdate::Now) {
            on_update_trigger(out, model, column, d);
        }
    }
}

pub fn drop_script(schema: &Schema, d: Dialect) -> String {
    let plan = plan(&schema.models);
    let mut out = String::new();
    if d != Dialect::Sqlite {
        for (model, fk) in &plan.deferred {
            let drop = if d == Dialect::Mysql {
                "FOREIGN KEY"
            } else {
                "CONSTRAINT"
            };
            let _ = writeln!(
                out,
                "ALTER TABLE {} DROP {drop} {};",
                d.ident(&model.table),
                d.ident(&fk_name(model, fk))
            );
        }
    }
    for model in plan.tables.iter().rev() {
        let _ = writeln!(out, "DROP TABLE {};", d.ident(&model.table));
        for statement in crate::sequence::drop_statements(model, d) {
            let _ = writeln!(out, "{statement}");
        }
        if d == Dialect::Postgres {
            for column in model.columns.iter().filter(|c| c.on_update.is_some()) {
                let _ = writeln!(
                    out,
                    "DROP FUNCTION {}();",
                    d.ident(&trigger_function_name(model, column))
                );
            }
        }
    }
    for e in crate::enums::native_types(schema, d) {
        let _ = writeln!(out, "{}", crate::enums::drop_type_sql(e, d));
    }
    out
}

/// The name of a foreign key that is added after its table (it closes a cycle): its own,
/// or `fk_<table>_<columns>`.
pub fn fk_name(model: &Model, fk: &ForeignKey) -> String {
    fk_name_of(&model.table, fk)
}

fn fk_name_of(table: &str, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| format!("fk_{}_{}", table, fk.columns.join("_")))
}

/// `CONSTRAINT <name> ` before a foreign key that has a name, or where MySQL's own name
/// for it would be too long: it names an unnamed foreign key `<table>_ibfk_<n>` and
/// refuses the table when that passes 64 characters. Elsewhere, nothing.
pub fn foreign_key_constraint(table: &str, fk: &ForeignKey, d: Dialect) -> String {
    foreign_key_constraint_name(table, fk, d).map_or_else(String::new, |name| format!("CONSTRAINT {} ", d.ident(&name)))
}

/// The name [`foreign_key_constraint`] gives a foreign key, if it gives one.
pub fn foreign_key_constraint_name(table: &str, fk: &ForeignKey, d: Dialect) -> Option<String> {
    let limit = d.max_ident_len().unwrap_or(usize::MAX);
    let long = d == Dialect::Mysql && table.chars().count() + "_ibfk_999".len() > limit;
    (long || fk.name.is_some()).then(|| fk_name_of(table, fk))
}

/// `CONSTRAINT <name> ` before a named primary key (MySQL takes the name and keeps
/// `PRIMARY`, as it does SQLAlchemy's).
pub fn primary_key_constraint(model: &Model, d: Dialect) -> String {
    model
        .primary_key_name
        .as_ref()
        .map(|n| format!("CONSTRAINT {} ", d.ident(n)))
        .unwrap_or_default()
}

pub fn trigger_name(model: &Model, column: &Column) -> String {
    format!("{}_{}_on_update", model.table, column.name)
}

pub fn trigger_function_name(model: &Model, column: &Column) -> String {
    format!("{}_set_{}", model.table, column.name)
}

pub fn create_table(out: &mut String, model: &Model, d: Dialect, inline_fk: impl Fn(&ForeignKey) -> bool) {
    create_table_as(out, model, &model.table, d, inline_fk);
}

/// The table of `model` under another name (SQLite's rebuilds make `modelgen_new_<table>`
/// and rename it): the names derived from the table, such as a `bool(check)` column's
/// CHECK, stay the model's.
pub fn create_table_as(
    out: &mut String,
    model: &Model,
    name: &str,
    d: Dialect,
    inline_fk: impl Fn(&ForeignKey) -> bool,
) {
    let mut lines: Vec<String> = model.columns.iter().map(|c| column_sql(c, d)).collect();
    let live_fallback = d == Dialect::Mysql && model.indexes.iter().any(|i| i.live_only);
    if let (true, Some(deleted)) = (live_fallback, &model.soft_delete) {
        lines.push(mysql_live_column_sql(deleted));
    }
    if !model.primary_key.is_empty() {
        lines.push(format!(
            "{}PRIMARY KEY ({})",
            primary_key_constraint(model, d),
            column_list(&model.primary_key, d)
        ));
    }
    for unique in &model.uniques {
        let constraint = unique
            .name
            .as_ref()
            .map(|n| format!("CONSTRAINT {} ", d.ident(n)))
            .unwrap_or_default();
        lines.push(format!("{constraint}UNIQUE ({})", column_list(&unique.columns, d)));
    }
    // The checks column types bring, where SQLAlchemy's `create_all` puts them too.
    for check in modelgen_ir::check::column_checks(model).iter().filter(|c| c.applies(d)) {
        lines.push(crate::check::check_constraint_sql(check, d));
    }
    for fk in model.foreign_keys.iter().filter(|fk| inline_fk(fk)) {
        lines.push(format!(
            "{}{}",
            foreign_key_constraint(&model.table, fk, d),
            foreign_key_sql(fk, d)
        ));
    }
    for check in &model.checks {
        lines.push(crate::check::check_constraint_sql(check, d));
    }
    let _ = writeln!(
        out,
        "CREATE TABLE {} (\n    {}\n){};",
        d.ident(name),
        lines.join(",\n    "),
        crate::comment::mysql_table_comment(model, d)
    );
}

/// MySQL's stand-in for partial unique indexes: [`MYSQL_LIVE_COLUMN`], 1 while the row
/// is live, as it appears in CREATE TABLE.
pub fn mysql_live_column_sql(deleted: &str) -> String {
    let d = Dialect::Mysql;
    format!(
        "{} TINYINT AS (CASE WHEN {} IS NULL THEN 1 END) STORED",
        d.ident(MYSQL_LIVE_COLUMN),
        d.ident(deleted)
    )
}

pub fn column_sql(c: &Column, d: Dialect) -> String {
    let auto = c.autoincrement;
    // SQLite makes only an INTEGER primary key an alias of the rowid, which is what
    // autoincrements there; BIGINT would silently not.
    // PostgreSQL's SERIAL names a type; SQLAlchemy writes it so, which is what a database
    // it made holds.
    let serial = (d == Dialect::Postgres && auto)
        .then(|| crate::sequence::postgres_type(c))
        .flatten();
    let ty = match (d, auto, serial) {
        (_, _, Some(serial)) => serial.to_owned(),
        (Dialect::Sqlite, true, _) => "INTEGER".to_owned(),
        _ => d.type_sql(&c.ty),
    };
    let mut sql = format!("{} {ty}", d.ident(&c.name));
    if let Some(default) = &c.server_default {
        let _ = write!(sql, " DEFAULT {}", d.default_sql(default, &c.ty));
    }
    let sequence = c.generator.sequence().filter(|_| d == Dialect::Postgres && auto);
    if let Some(name) = sequence {
        let _ = write!(sql, " DEFAULT {}", crate::sequence::nextval(name, d));
    }
    if !c.nullable {
        sql.push_str(" NOT NULL");
    }
    match (d, auto) {
        (Dialect::Postgres, true) if c.generator.is_identity() => sql.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        (Dialect::Mysql, true) => sql.push_str(" AUTO_INCREMENT"),
        _ => {}
    }
    if d == Dialect::Mysql && c.on_update == Some(OnUpdate::Now) {
        sql.push_str(" ON UPDATE CURRENT_TIMESTAMP");
    }
    sql.push_str(&crate::comment::mysql_column_comment(c, d));
    sql
}

pub fn foreign_key_sql(fk: &ForeignKey, d: Dialect) -> String {
    let mut sql = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(&fk.columns, d),
        d.ident(&fk.target_table),
        column_list(&fk.target_columns, d)
    );
    if let Some(action) = fk.on_delete {
        let _ = write!(sql, " ON DELETE {}", action.sql());
    }
    if let Some(action) = fk.on_update {
        let _ = write!(sql, " ON UPDATE {}", action.sql());
    }
    sql
}

pub fn create_index(out: &mut String, model: &Model, index: &Index, d: Dialect) {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let mut columns = index_keys(index, d).join(", ");
    if let (true, Some(_), Dialect::Mysql) = (index.live_only, &model.soft_delete, d) {
        let _ = write!(columns, ", {}", d.ident(MYSQL_LIVE_COLUMN));
    }
    let predicate = index_predicate(model, index, d)
        .map(|p| format!(" WHERE {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "CREATE {unique}INDEX {} ON {} ({columns}){predicate};",
        d.ident(&index.name),
        d.ident(&model.table)
    );
}

/// The index's key parts as `d` writes them: a column quoted, an expression in
/// parentheses (PostgreSQL needs them around any but a function call).
pub fn index_keys(index: &Index, d: Dialect) -> Vec<String> {
    index
        .columns
        .iter()
        .map(|k| match k {
            IndexKey::Column(name) => d.ident(name),
            IndexKey::Expr(e) => format!("({})", crate::check::expr_sql(e, d)),
        })
        .collect()
}

/// A partial index's condition on `d`: the live rows (`<soft delete column> IS NULL`),
/// the index's own predicate, or both. MySQL has no partial index: a live index there
/// uses [`MYSQL_LIVE_COLUMN`] instead, and the front ends refuse a predicate for it
/// (`Index::unsupported_on`); written anyway, MySQL refuses it rather than building an
/// index over every row.
pub fn index_predicate(model: &Model, index: &Index, d: Dialect) -> Option<String> {
    let live = match (index.live_only, &model.soft_delete, d) {
        (true, Some(deleted), Dialect::Sqlite | Dialect::Postgres) => Some(format!("{} IS NULL", d.ident(deleted))),
        _ => None,
    };
    let own = index.predicate.as_ref().map(|p| match (&live, p.precedence()) {
        // Below `AND`, an `OR` keeps its parentheses.
        (Some(_), Some(prec)) if prec < 2 => format!("({})", crate::check::expr_sql(p, d)),
        _ => crate::check::expr_sql(p, d),
    });
    match (live, own) {
        (Some(l), Some(o)) => Some(format!("{l} AND {o}")),
        (l, o) => l.or(o),
    }
}

/// Keeps `on_update: now` columns current on every UPDATE from any client, unless the
/// UPDATE sets the column itself (the same rule as MySQL's `ON UPDATE`).
pub fn on_update_trigger(out: &mut String, model: &Model, column: &Column, d: Dialect) {
    for statement in on_update_statements(model, column, d) {
        let _ = writeln!(out, "{statement}");
    }
}

/// The statements of [`on_update_trigger`], one by one, for clients that run them
/// separately (SQLAlchemy's `DDL`); MySQL needs none, its column says `ON UPDATE`.
pub fn on_update_statements(model: &Model, column: &Column, d: Dialect) -> Vec<String> {
    let table = d.ident(&model.table);
    let col = d.ident(&column.name);
    let now = d.now_sql(&column.ty);
    let trigger = d.ident(&trigger_name(model, column));
    match d {
        Dialect::Mysql => Vec::new(),
        Dialect::Postgres => {
            let function = d.ident(&trigger_function_name(model, column));
            vec![
                format!(
                    "CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF NEW.{col} IS NOT DISTINCT FROM OLD.{col} THEN\n        NEW.{col} := {now};\n    END IF;\n    RETURN NEW;\nEND;\n$$;"
                ),
                format!(
                    "CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();"
                ),
            ]
        }
        Dialect::Sqlite => {
            // The row is found by its primary key, not `rowid`: a user column named `rowid`,
            // `oid` or `_rowid_` takes that name over, and the trigger then stamped every
            // row sharing the updated row's value.
            // In the UPDATE of a table named `new`, `NEW.id` is that table's own column and
            // matched every row; a subquery sees the trigger's row.
            let new_row = |column: &str| match model.table.eq_ignore_ascii_case("new") {
                true => format!("(SELECT NEW.{column})"),
                false => format!("NEW.{column}"),
            };
            let key: Vec<String> = model
                .primary_key
                .iter()
                .map(|k| format!("{} = {}", d.ident(k), new_row(&d.ident(k))))
                .collect();
            // Every model has a key; a snapshot edited by hand might not.
            let key = if key.is_empty() {
                vec![format!("rowid = {}", new_row("rowid"))]
            } else {
                key
            };
            vec![format!(
                "CREATE TRIGGER {trigger} AFTER UPDATE ON {table} FOR EACH ROW WHEN NEW.{col} IS OLD.{col}\nBEGIN\n    UPDATE {table} SET {col} = {now} WHERE {};\nEND;",
                key.join(" AND ")
            )]
        }
    }
}

pub fn column_list(columns: &[String], d: Dialect) -> String {
    columns.iter().map(|c| d.ident(c)).collect::<Vec<_>>().join(", ")
}
