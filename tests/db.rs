//! One way to drive SQLite, PostgreSQL and MariaDB from tests: run statements and
//! migration scripts, read rows as text and the catalog back.

use crate::catalog;
use modelgen_ir::{Dialect, Schema};
use modelgen_sql::SqlDialect;
use modelgen_testdb::{rusqlite, shared_mariadb, shared_postgres, sqlite_catalog, Catalog, MariaDb, Postgres};

pub type Rows = Vec<Vec<Option<String>>>;

pub enum Conn<'a> {
    Sqlite(rusqlite::Connection),
    Postgres(&'a Postgres, String),
    Mariadb(&'a MariaDb, String),
}

impl Conn<'_> {
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(..) => Dialect::Postgres,
            Conn::Mariadb(..) => Dialect::Mysql,
        }
    }

    pub fn batch(&self, sql: &str) -> Result<(), String> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql).map_err(|e| e.to_string()),
            Conn::Postgres(pg, db) => pg.exec(db, sql).map(drop),
            Conn::Mariadb(m, db) => m.exec(db, sql).map(drop),
        }
    }

    /// Runs a migration script the way sqlx does: in a transaction unless it says
    /// otherwise (MariaDB commits every DDL statement anyway).
    pub fn migrate(&self, sql: &str, no_transaction: bool) -> Result<(), String> {
        match self {
            // A runner that stops on an error closes its connection, which rolls back the
            // transaction the script opened.
            Conn::Sqlite(c) if no_transaction => c.execute_batch(sql).map_err(|e| {
                if !c.is_autocommit() {
                    let _ = c.execute_batch("ROLLBACK;");
                }
                e.to_string()
            }),
            Conn::Sqlite(c) => c.execute_batch(&format!("BEGIN;\n{sql}\nCOMMIT;")).map_err(|e| {
                let _ = c.execute_batch("ROLLBACK;");
                e.to_string()
            }),
            Conn::Postgres(pg, db) => pg.exec(db, &format!("BEGIN;\n{sql}\nCOMMIT;\n")).map(drop),
            Conn::Mariadb(m, db) => m.exec(db, sql).map(drop),
        }
    }

    /// The rows of `sql` as one line of text: values by `,`, rows by `;`, NULL as `NULL`.
    pub fn text(&self, sql: &str) -> Result<String, String> {
        Ok(self
            .rows(sql)?
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.as_deref().unwrap_or("NULL"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect::<Vec<_>>()
            .join(";"))
    }

    pub fn rows(&self, sql: &str) -> Result<Rows, String> {
        const NULL: &str = "<modelgen-null>";
        let split = |out: String, sep: char| -> Rows {
            out.lines()
                .filter(|l| !l.is_empty())
                .map(|l| {
                    l.split(sep)
                        .map(|v| (v != NULL && v != "NULL").then(|| v.to_owned()))
                        .collect()
                })
                .collect()
        };
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare(sql).map_err(|e| e.to_string())?;
                let n = stmt.column_count();
                let rows = stmt
                    .query_map([], |row| {
                        (0..n)
                            .map(|i| {
                                row.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                                    rusqlite::types::Value::Null => None,
                                    rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                                    rusqlite::types::Value::Real(f) => Some(f.to_string()),
                                    rusqlite::types::Value::Text(t) => Some(t),
                                    rusqlite::types::Value::Blob(b) => Some(format!("{b:?}")),
                                })
                            })
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .map_err(|e| e.to_string())?;
                rows.collect::<Result<Rows, _>>().map_err(|e| e.to_string())
            }
            Conn::Postgres(pg, db) => {
                let out = pg.exec(
                    db,
                    &format!(
                        "\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep '\\t'\n\\pset null '{NULL}'\n{sql}"
                    ),
                )?;
                Ok(split(out, '\t'))
            }
            Conn::Mariadb(m, db) => Ok(split(m.exec(db, sql)?, '\t')),
        }
    }

    pub fn catalog(&self) -> Catalog {
        match self {
            Conn::Sqlite(c) => sqlite_catalog(c),
            Conn::Postgres(pg, db) => pg.catalog(db),
            Conn::Mariadb(m, db) => m.catalog(db),
        }
    }

    pub fn drop_database(&self) {
        match self {
            Conn::Sqlite(_) => {}
            Conn::Postgres(pg, db) => {
                let _ = pg.exec("postgres", &format!("DROP DATABASE \"{db}\";"));
            }
            Conn::Mariadb(m, db) => {
                let _ = m.exec("", &format!("DROP DATABASE `{db}`;"));
            }
        }
    }
}

/// The catalog with each table's columns in the order the schema lists them, and only
/// the constraint names the schema gives.
///
/// `ALTER TABLE … ADD COLUMN` appends, and PostgreSQL cannot place a column anywhere
/// else, so a migrated table can order its columns differently from a fresh one (a column
/// added to a model with the timestamps mixin comes after `updated_at`; a column a down
/// migration restores comes last). Order and the database's own constraint names are all
/// this forgives: names, types, defaults and the rest are compared as they are.
pub fn in_schema_order(mut actual: Catalog, schema: &Schema, d: Dialect) -> Catalog {
    let expected = catalog::expected(schema, d);
    for model in &schema.models {
        let key = d.name_of(&model.table);
        let Some(table) = actual.tables.get_mut(&key) else {
            continue;
        };
        // Names the database chose (`<table>_pkey`) are its own: a renamed table keeps
        // them, as under Alembic. Only the names the schema gives are compared.
        let given = expected.tables.get(&key).map(|t| &t.constraint_names);
        table
            .constraint_names
            .retain(|k, _| given.is_some_and(|g| g.contains_key(k)));
        let position = |name: &str| {
            model
                .columns
                .iter()
                .position(|c| d.name_of(&c.name) == name)
                .unwrap_or(usize::MAX)
        };
        table.columns.sort_by_key(|c| position(&c.name));
    }
    actual
}

/// [`catalog::assert_matches`] after [`in_schema_order`].
pub fn assert_catalog(conn: &Conn, schema: &Schema, what: &str) {
    let d = conn.dialect();
    catalog::assert_matches(in_schema_order(conn.catalog(), schema, d), schema, d, what);
}

impl Conn<'static> {
    /// A fresh, empty database `name` of dialect `d` (in memory for SQLite), or `None` when
    /// the server is missing (reported loudly; a failure under CI=true).
    pub fn fresh(d: Dialect, name: &str) -> Option<Conn<'static>> {
        Some(match d {
            Dialect::Sqlite => {
                let c = rusqlite::Connection::open_in_memory().unwrap();
                c.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
                Conn::Sqlite(c)
            }
            Dialect::Postgres => {
                let pg = shared_postgres()?;
                let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS \"{name}\";"));
                pg.create_database(name);
                Conn::Postgres(pg, name.to_owned())
            }
            Dialect::Mysql => {
                let m = shared_mariadb()?;
                let _ = m.exec("", &format!("DROP DATABASE IF EXISTS `{name}`;"));
                m.create_database(name);
                Conn::Mariadb(m, name.to_owned())
            }
        })
    }
}
