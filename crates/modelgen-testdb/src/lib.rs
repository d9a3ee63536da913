//! Dev-only test support for modelgen: throwaway SQLite, PostgreSQL and MariaDB
//! databases, and readers that bring each one's catalog back in one normalized
//! [`Catalog`] shape so tests can compare generated schemas across databases.
//!
//! PostgreSQL and MariaDB are real servers started from the system's binaries
//! (see `.ci/install-db`) and driven through their command-line clients, so no
//! Rust database driver is compiled in. When the binaries are missing, the
//! `start` functions report it through [`server_missing`] and return `None`.
//!
//! What differs between databases on purpose (the catalogs really differ):
//! - `Column::ty` is the database's own spelling, lower-cased: PostgreSQL says
//!   `character varying(255)`, MariaDB `varchar(255)`, SQLite the declared type.
//! - MariaDB cannot tell a UNIQUE constraint from a unique index, so its
//!   `Table::uniques` is always empty; see [`MariaDb::catalog`].
//! - `_sqlx_migrations` is skipped everywhere: it is the migration runner's
//!   bookkeeping, not part of the schema under test.

mod mariadb;
mod postgres;
mod proc;
mod sqlite;

use std::collections::BTreeMap;

use serde::Serialize;

pub use mariadb::{shared_mariadb, MariaDb};
pub use postgres::{shared_postgres, Postgres};
pub use rusqlite;
pub use sqlite::sqlite_catalog;

/// A database schema's tables and triggers, normalized across databases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Catalog {
    pub tables: BTreeMap<String, Table>,
    /// Sorted `"table.trigger_name"`.
    pub triggers: Vec<String>,
    /// PostgreSQL's sequences besides identity columns' own, sorted: `"<name> <type>"`,
    /// with ` owned by <table>.<column>` for a SERIAL's; so a sequence a migration leaves
    /// behind shows. Absent from the serialized form when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Table {
    /// In ordinal order.
    pub columns: Vec<Column>,
    /// In key order.
    pub primary_key: Vec<String>,
    /// Sorted by name; excludes indexes that back the primary key or a unique
    /// constraint.
    pub indexes: Vec<Index>,
    /// Unique constraints (not unique indexes), each its columns in order;
    /// the list is sorted.
    pub uniques: Vec<Vec<String>>,
    /// Sorted.
    pub foreign_keys: Vec<ForeignKey>,
    /// Table-level CHECK constraints, sorted; absent from the serialized form when none,
    /// so catalogs without checks read as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// The table's comment (PostgreSQL's `obj_description`, MariaDB's `TABLE_COMMENT`);
    /// `None` when it has none, and always on SQLite, which keeps none. Absent from the
    /// serialized form when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The names the database reports for the primary key (`pk`), unique constraints
    /// (`uq <columns>`) and foreign keys (`fk <columns>`), columns joined with `,`:
    /// PostgreSQL's, and MariaDB's foreign keys (its uniques are indexes, named there;
    /// its primary key is always `PRIMARY`). SQLite keeps them only in the table's text.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub constraint_names: BTreeMap<String, String>,
}

impl Table {
    /// The key [`Table::constraint_names`] files a constraint under: `pk`, `uq a,b`, `fk a`.
    pub fn constraint_key(kind: &str, columns: &[String]) -> String {
        match kind {
            "pk" => "pk".to_owned(),
            _ => format!("{kind} {}", columns.join(",")),
        }
    }
}

/// A CHECK constraint: its name (`None` when the database was given none; MariaDB
/// names those itself) and its condition as the database reports it, whitespace
/// collapsed and wrapping parentheses removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Check {
    pub name: Option<String>,
    pub condition: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Column {
    pub name: String,
    /// Lower-case type as the database reports it, e.g. `varchar(255)`,
    /// `integer`, `numeric(10,2)`, `timestamp without time zone`.
    pub ty: String,
    pub nullable: bool,
    /// As the catalog reports it, trimmed; `None` when there is no default
    /// (MariaDB's explicit `NULL` default is reported as `None` too).
    pub default: Option<String>,
    pub autoincrement: bool,
    /// How PostgreSQL generates an autoincrementing column: `identity`, `serial` (a
    /// `nextval` default of a sequence the column owns) or `sequence <name>` (of one it
    /// does not); the `nextval` default is then not in `default`. `None` elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// The column's comment, as [`Table::comment`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    /// Key columns in order; an expression key is given as its SQL text.
    pub columns: Vec<String>,
    /// A partial index's `WHERE` condition, normalized by
    /// [`normalize_predicate`].
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    /// Upper-case: `CASCADE`, `SET NULL`, `RESTRICT`, `NO ACTION`, `SET DEFAULT`.
    pub on_delete: String,
    pub on_update: String,
}

/// Tables that belong to tooling rather than to the schema under test.
pub(crate) fn is_ignored_table(name: &str) -> bool {
    name == "_sqlx_migrations"
}

/// Reports that a database server's binaries are absent so its tests are
/// skipped: prints a loud line to stderr, or panics when `CI=true`, because a
/// CI run that silently skips the database tests proves nothing.
///
/// `what` is the server's name, `"PostgreSQL"` or `"MariaDB"`.
pub fn server_missing(what: &str) {
    let package = match what {
        "PostgreSQL" => "postgresql-15",
        "MariaDB" => "mariadb-server mariadb-client",
        other => other,
    };
    let msg = format!("SKIPPED: {what} server binaries not found; install {package} (.ci/install-db)");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
}

/// Brings a `WHERE` condition into one comparable shape across databases:
/// whitespace runs collapsed, and parentheses that wrap the whole condition
/// removed (PostgreSQL adds them, SQLite keeps what was written).
pub fn normalize_predicate(text: &str) -> String {
    let mut s = collapse_whitespace(text);
    while let Some(inner) = strip_wrapping_parens(&s) {
        s = inner.trim().to_string();
    }
    s
}

/// A CHECK condition in one comparable shape: without PostgreSQL's `CHECK` keyword,
/// normalized as a predicate.
pub(crate) fn check_condition(text: &str) -> String {
    let text = text.trim();
    let text = match text.get(..5) {
        Some(word) if word.eq_ignore_ascii_case("check") => &text[5..],
        _ => text,
    };
    unquote_plain_names(&normalize_predicate(text))
}

/// `"status"` as `status`: SQLAlchemy quotes a name in a CHECK it writes itself (an
/// enum's) only where it must, modelgen always; the same condition either way.
fn unquote_plain_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('"') {
            Some(end)
                if !after[..end].is_empty()
                    && after[..end]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    && !after[..end].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                out.push_str(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('"');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Returns the inside of `s` if one pair of parentheses encloses all of it.
fn strip_wrapping_parens(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    // `(a) OR (b)`: the first ')' closes the outer '('.
                    if depth < 0 {
                        return None;
                    }
                }
                _ => {}
            },
        }
    }
    (depth == 0).then_some(inner)
}

/// Maps PostgreSQL's `confdeltype`/`confupdtype` letters to action names.
pub(crate) fn pg_fk_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .to_string()
}

/// Puts every table's lists into the documented order, so each reader only
/// has to collect.
pub(crate) fn finish(mut catalog: Catalog) -> Catalog {
    for table in catalog.tables.values_mut() {
        table.indexes.sort();
        table.uniques.sort();
        table.foreign_keys.sort();
        table.checks.sort();
    }
    catalog.triggers.sort();
    catalog.sequences.sort();
    catalog
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicate_normalization() {
        assert_eq!(normalize_predicate("(deleted_at IS NULL)"), "deleted_at IS NULL");
        assert_eq!(normalize_predicate("((a  >\n 1))"), "a > 1");
        assert_eq!(normalize_predicate("(a) OR (b)"), "(a) OR (b)");
        assert_eq!(normalize_predicate("(x = ')(')"), "x = ')('");
    }

    // The only test in this binary that touches CI, so changing it is safe.
    #[test]
    fn missing_server_skips_locally_and_fails_in_ci() {
        let saved = std::env::var_os("CI");
        std::env::set_var("CI", "false");
        server_missing("PostgreSQL");
        std::env::set_var("CI", "true");
        let err = std::panic::catch_unwind(|| server_missing("MariaDB")).unwrap_err();
        match saved {
            Some(v) => std::env::set_var("CI", v),
            None => std::env::remove_var("CI"),
        }
        let msg = err.downcast_ref::<String>().unwrap();
        assert_eq!(
            msg,
            "SKIPPED: MariaDB server binaries not found; \
             install mariadb-server mariadb-client (.ci/install-db)"
        );
    }
}
