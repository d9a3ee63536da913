//! Table and column comments: MySQL writes them into the definitions, PostgreSQL sets
//! them with `COMMENT ON` after the table, SQLite has none and gets nothing.

use crate::{Dialect, SqlDialect};
use modelgen_ir::{Column, Model};

/// ` COMMENT '…'` at the end of a MySQL column definition; nothing elsewhere.
pub fn mysql_column_comment(c: &Column, d: Dialect) -> String {
    match (&c.comment, d) {
        (Some(text), Dialect::Mysql) => format!(" COMMENT {}", d.string_literal(text)),
        _ => String::new(),
    }
}

/// ` COMMENT=…` after a MySQL CREATE TABLE's parentheses; nothing elsewhere.
pub fn mysql_table_comment(model: &Model, d: Dialect) -> String {
    match (&model.comment, d) {
        (Some(text), Dialect::Mysql) => format!(" COMMENT={}", d.string_literal(text)),
        _ => String::new(),
    }
}

/// PostgreSQL's `COMMENT ON` statements for a new table: the table's, then each
/// commented column's, in column order. None elsewhere.
pub fn create_statements(model: &Model, d: Dialect) -> Vec<String> {
    if d != Dialect::Postgres {
        return Vec::new();
    }
    let table = model
        .comment
        .as_deref()
        .map(|text| set_table(&model.table, Some(text), d));
    let columns = model.columns.iter().filter_map(|c| {
        c.comment
            .as_deref()
            .map(|text| set_column(&model.table, &c.name, Some(text), d))
    });
    table.into_iter().chain(columns).collect()
}

/// The statement that sets a table's comment (`None` takes it off) on PostgreSQL or
/// MySQL; SQLite keeps none, so nothing.
pub fn set_table(table: &str, comment: Option<&str>, d: Dialect) -> String {
    match d {
        Dialect::Postgres => format!(
            "COMMENT ON TABLE {} IS {};",
            d.ident(table),
            literal_or_null(comment, d)
        ),
        // MySQL has no NULL comment: an empty one is none.
        Dialect::Mysql => format!(
            "ALTER TABLE {} COMMENT = {};",
            d.ident(table),
            d.string_literal(comment.unwrap_or(""))
        ),
        Dialect::Sqlite => String::new(),
    }
}

/// PostgreSQL's statement that sets a column's comment (`None` takes it off). MySQL
/// says a column's comment only in its whole definition (`MODIFY COLUMN`), SQLite not
/// at all: nothing for them.
pub fn set_column(table: &str, column: &str, comment: Option<&str>, d: Dialect) -> String {
    match d {
        Dialect::Postgres => format!(
            "COMMENT ON COLUMN {}.{} IS {};",
            d.ident(table),
            d.ident(column),
            literal_or_null(comment, d)
        ),
        _ => String::new(),
    }
}

fn literal_or_null(comment: Option<&str>, d: Dialect) -> String {
    comment.map_or_else(|| "NULL".to_owned(), |text| d.string_literal(text))
}
