//! A database's schema as its catalog states it, before any interpretation: what each
//! dialect's reader fills in, in the database's own spellings.

use heck::ToUpperCamelCase;
use modelgen_ir::{Dialect, EnumType, LogicalType};

/// The migration runners' own tables (sqlx's, diesel's, Alembic's): bookkeeping, not the
/// application's schema. Every reader leaves them out, so neither a pulled spec nor drift
/// sees them.
pub const RUNNER_TABLES: [&str; 3] = ["_sqlx_migrations", "__diesel_schema_migrations", "alembic_version"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    /// Tables in name order (views and the migration runners' own tables left out).
    pub tables: Vec<Table>,
    /// Database objects the IR has no place for and the reader saw (views, sequences no
    /// column uses, procedures…): each one line, `view active_users`.
    pub other: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub name: String,
    pub comment: Option<String>,
    /// In ordinal order.
    pub columns: Vec<Column>,
    /// In key order; empty when the table has none.
    pub primary_key: Vec<String>,
    /// The primary key constraint's name, where the database keeps one the user chose
    /// (PostgreSQL; `None` for the database's default `<table>_pkey`, and on SQLite and MySQL).
    pub primary_key_name: Option<String>,
    /// UNIQUE constraints (PostgreSQL and SQLite tell them from unique indexes; MySQL
    /// does not, and lists them as unique indexes).
    pub uniques: Vec<Unique>,
    /// Indexes, not those that back the primary key or a unique constraint.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Table CHECK constraints.
    pub checks: Vec<Check>,
    /// Triggers on the table.
    pub triggers: Vec<Trigger>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The type as the database spells it, for messages: `character varying(255)`.
    pub db_type: String,
    /// The type it reads as, or why it has none in the spec language.
    pub ty: Result<LogicalType, String>,
    pub nullable: bool,
    /// The `DEFAULT` as the catalog gives it back, SQL text (`0`, `'draft'::text`,
    /// `CURRENT_TIMESTAMP`); `None` without one. A sequence's `nextval(…)` is in
    /// `generated`, not here.
    pub default: Option<String>,
    pub generated: Option<Generated>,
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP`.
    pub on_update_now: bool,
    /// A computed column's expression, SQL text (its `ty` then says why it has no type).
    pub computed: Option<String>,
    pub comment: Option<String>,
}

/// How the database numbers a key column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {
    /// PostgreSQL's `GENERATED … AS IDENTITY`, SQLite's `INTEGER PRIMARY KEY`
    /// (`AUTOINCREMENT` or not), MySQL's `AUTO_INCREMENT`.
    Identity,
    /// PostgreSQL: a `nextval` default on the sequence `<table>_<column>_seq` the column owns.
    Serial,
    /// PostgreSQL: a `nextval` default on another sequence.
    Sequence(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unique {
    /// `None` where the database named it itself and the name carries nothing (SQLite's
    /// unnamed constraints); PostgreSQL and MySQL always give one.
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub keys: Vec<Key>,
    /// A partial index's condition, SQL text as the catalog gives it back.
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Column(String),
    /// SQL text as the catalog gives it back: `lower(email)`.
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub target_table: String,
    pub target_columns: Vec<String>,
    /// The action in SQL words, upper case (`CASCADE`, `SET NULL`); `None` for the
    /// default (`NO ACTION`, or `RESTRICT` on MySQL, which behaves the same).
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: Option<String>,
    /// The condition, SQL text without the `CHECK (…)` around it.
    pub sql: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub name: String,
    /// The whole statement that made it, where the database keeps one.
    pub sql: String,
}

/// Which database a catalog came from.
pub fn dialect_of(url: &str) -> Option<Dialect> {
    let scheme = url.split_once(':')?.0;
    match scheme {
        "sqlite" => Some(Dialect::Sqlite),
        "postgres" | "postgresql" => Some(Dialect::Postgres),
        "mysql" | "mariadb" => Some(Dialect::Mysql),
        _ => None,
    }
}

/// A database's own enum type (PostgreSQL's `CREATE TYPE … AS ENUM`, MySQL's `ENUM(…)`):
/// the Rust name is a guess from the database's name for it, which is all it keeps.
pub(crate) fn native_enum(type_name: String, values: Vec<String>) -> LogicalType {
    LogicalType::Enum(Box::new(EnumType {
        name: type_name.to_upper_camel_case(),
        type_name,
        values,
        native: true,
        check: false,
        renamed_values: Default::default(),
    }))
}
