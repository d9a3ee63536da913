//! MySQL commits every DDL statement on its own, so a migration that fails half-way stays
//! half-done. What can fail because of the rows already there — a new unique or primary
//! key over repeated values, a foreign key over references to nothing, a narrower type —
//! is checked first, before any statement changes the schema: a count of the offending
//! rows goes into a temporary table whose CHECK refuses anything but zero.

use crate::diff::{Op, Renames};
use modelgen_ir::check::CheckExpr;
use modelgen_ir::{Dialect, LogicalType, Model, Schema};
use modelgen_sql::check::expr_sql;
use modelgen_sql::SqlDialect;
use std::fmt::Write;

/// The checks, as statements to put before the migration's first; empty when no
/// operation can fail on data, or none can be checked against the old schema.
pub(super) fn mysql_preflight(ops: &[Op], old: &Schema, new: &Schema, renames: &Renames) -> String {
    let d = Dialect::Mysql;
    let mut checks = Vec::new();
    // `table` (new name) as it is before the migration, and its columns' old names.
    let before = |table: &str| renames.old_table(table).and_then(|t| old.model_by_table(&t));
    let old_columns = |table: &str, model: &Model, columns: &[String]| -> Option<Vec<String>> {
        columns.iter().map(|c| renames.old_column(table, c, model)).collect()
    };
    let repeats = |model: &Model, columns: &[String], live: bool| {
        let cols: Vec<String> = columns.iter().map(|c| d.ident(c)).collect();
        let mut filter: Vec<String> = cols.iter().map(|c| format!("{c} IS NOT NULL")).collect();
        if let (true, Some(deleted)) = (live, &model.soft_delete) {
            filter.push(format!("{} IS NULL", d.ident(deleted)));
        }
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1) AS modelgen_rows",
            d.ident(&model.table),
            filter.join(" AND "),
            cols.join(", ")
        )
    };
    for op in ops {
        match op {
            Op::AddUnique { table, unique } => {
                if let Some(m) = before(table) {
                    if let Some(cols) = old_columns(table, m, &unique.columns) {
                        checks.push((
                            format!("values of {table} ({}) must not repeat", unique.columns.join(", ")),
                            repeats(m, &cols, false),
                        ));
                    }
                }
            }
            // A partial or expression index goes unchecked: only PostgreSQL and SQLite
            // build one, and there the failing CREATE INDEX undoes the whole migration.
            Op::AddIndex { table, index } if index.unique && index.predicate.is_none() => {
                let Some(columns) = index.plain_columns() else {
                    continue;
                };
                let columns: Vec<String> = columns.into_iter().map(str::to_owned).collect();
                if let Some(m) = before(table) {
                    if let Some(cols) = old_columns(table, m, &columns) {
                        let live = index.live_only && m.soft_delete.is_some();
                        checks.push((
                            format!("values of {table} ({}) must not repeat", columns.join(", ")),
                            repeats(m, &cols, live),
                        ));
                    }
                }
            }
            Op::AddPrimaryKey { table, columns } => {
                if let Some(m) = before(table) {
                    if let Some(cols) = old_columns(table, m, columns) {
                        checks.push((
                            format!("the key of {table} ({}) must not repeat", columns.join(", ")),
                            repeats(m, &cols, false),
                        ));
                    }
                }
            }
            Op::AddForeignKey { table, fk } => {
                let (Some(child), Some(child_cols)) = (
                    before(table),
                    before(table).and_then(|m| old_columns(table, m, &fk.columns)),
                ) else {
                    continue;
                };
                let present: Vec<String> = child_cols
                    .iter()
                    .map(|c| format!("c.{} IS NOT NULL", d.ident(c)))
                    .collect();
                // A table this migration creates has no rows: any reference fails.
                let missing = match before(&fk.target_table)
                    .and_then(|p| Some((p, old_columns(&fk.target_table, p, &fk.target_columns)?)))
                {
                    Some((parent, parent_cols)) => {
                        let on: Vec<String> = child_cols
                            .iter()
                            .zip(&parent_cols)
                            .map(|(c, p)| format!("p.{} = c.{}", d.ident(p), d.ident(c)))
                            .collect();
                        format!(
                            " AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
                            d.ident(&parent.table),
                            on.join(" AND ")
                        )
                    }
                    None if new.model_by_table(&fk.target_table).is_some() => String::new(),
                    None => continue,
                };
                checks.push((
                    format!("rows of {table} must reference rows {} has", fk.target_table),
                    format!(
                        "SELECT count(*) FROM {} AS c WHERE {}{missing}",
                        d.ident(&child.table),
                        present.join(" AND ")
                    ),
                ));
            }
            // A row breaks a check when its condition is false (not when it is NULL):
            // `NOT (condition)` selects exactly those. Only a check over columns the table
            // already has can be tried before the migration; raw SQL cannot be read.
            Op::AddCheck { table, check } if check.applies(d) => {
                let Some(m) = before(table) else { continue };
                // An enum's own CHECK: its guard counts the rows holding values it loses,
                // renamed ones mapped, which this one would count too.
                let enum_check = new.model_by_table(table).is_some_and(|n| {
                    n.columns.iter().any(|c| {
                        matches!(c.ty, LogicalType::Enum(_))
                            && modelgen_ir::check::column_check(n, c).is_some_and(|k| k.name == check.name)
                    })
                });
                if enum_check {
                    continue;
                }
                let CheckExpr::Tree(expr) = &check.expr else { continue };
                let Some(old_expr) = expr.with_columns(&|c| renames.old_column(table, c, m)) else {
                    continue;
                };
                checks.push((
                    format!("rows of {table} must keep check {}", check.name),
                    format!(
                        "SELECT count(*) FROM {} WHERE NOT ({})",
                        d.ident(&m.table),
                        expr_sql(&old_expr, d)
                    ),
                ));
            }
            Op::AlterColumn { table, from, to } => {
                let Some(m) = before(table) else { continue };
                let Some(col) = renames.old_column(table, &to.name, m) else {
                    continue;
                };
                let c = d.ident(&col);
                if crate::diff::widens(&from.ty, &to.ty) {
                    continue;
                }
                let condition = match (&from.ty, &to.ty) {
                    (LogicalType::Str { .. } | LogicalType::Text, LogicalType::Str { max_length: Some(b) }) => {
                        format!("char_length({c}) > {b}")
                    }
                    (LogicalType::Bytes { .. }, LogicalType::Bytes { max_length: Some(b) }) => {
                        format!("length({c}) > {b}")
                    }
                    (LogicalType::BigInt, LogicalType::Int) => format!("{c} NOT BETWEEN -2147483648 AND 2147483647"),
                    _ => continue,
                };
                checks.push((
                    format!("values of {table}.{} must fit {}", to.name, to.ty),
                    format!("SELECT count(*) FROM {} WHERE {condition}", d.ident(&m.table)),
                ));
            }
            _ => {}
        }
    }
    if checks.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "CREATE TEMPORARY TABLE modelgen_preflight (offending_rows BIGINT NOT NULL, CHECK (offending_rows = 0));\n",
    );
    for (what, count) in checks {
        // The client names the failing line; the comment on it says what is wrong.
        let _ = writeln!(out, "INSERT INTO modelgen_preflight {count}; -- {what}");
    }
    out.push_str("DROP TEMPORARY TABLE modelgen_preflight;\n");
    out
}
