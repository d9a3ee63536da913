//! The database front end: reads the schema of a live SQLite, PostgreSQL or
//! MySQL/MariaDB database into the IR, as `modelgen pull` and `modelgen diff
//! --database-url` need it.
//!
//! Two steps: each dialect's reader asks its catalog and fills a [`Catalog`] in the
//! database's own spellings; [`interpret`] then makes the IR of it, and lists what the
//! spec language cannot say as [`Loss`]es — reported, never approximated.

pub mod catalog;
mod interpret;
mod kept;
mod mysql;
mod postgres;
mod relations;
mod sqlite;
mod text;

pub use catalog::{dialect_of, Catalog};
pub use kept::{comparable, kept};
use modelgen_ir::{Dialect, Schema};

/// A database's schema in the IR, and what of it the IR could not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Pulled {
    pub dialect: Dialect,
    pub schema: Schema,
    pub losses: Vec<Loss>,
}

/// Something of the database left out of the schema, located by table and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The table, or empty for a database-wide object.
    pub table: String,
    pub column: Option<String>,
    pub what: String,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.table.as_str(), &self.column) {
            ("", _) => write!(f, "{}", self.what),
            (table, None) => write!(f, "{table}: {}", self.what),
            (table, Some(column)) => write!(f, "{table}.{column}: {}", self.what),
        }
    }
}

/// Why a database could not be read.
#[derive(Debug)]
pub enum Error {
    /// The URL names no database modelgen reads.
    Url(String),
    Database(sqlx::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Url(url) => write!(
                f,
                "`{url}` is not a database URL modelgen reads; use sqlite://path/to/file.db, postgres://user@host/db or mysql://user@host/db"
            ),
            Error::Database(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        Error::Database(e)
    }
}

/// Reads the catalog of the database at `url`: the tables of its current database (the
/// `public` schema on PostgreSQL), in the database's own spellings.
pub fn read_catalog(url: &str) -> Result<(Dialect, Catalog), Error> {
    let dialect = dialect_of(url).ok_or_else(|| Error::Url(url.to_owned()))?;
    // One connection, one thread: the catalog is a handful of queries.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Database(sqlx::Error::Io(e)))?;
    let catalog = runtime.block_on(async {
        use sqlx::Connection;
        match dialect {
            Dialect::Sqlite => sqlite::catalog(&mut sqlx::SqliteConnection::connect(url).await?).await,
            Dialect::Postgres => postgres::catalog(&mut sqlx::PgConnection::connect(url).await?).await,
            Dialect::Mysql => mysql::catalog(&mut sqlx::MySqlConnection::connect(url).await?).await,
        }
    })?;
    Ok((dialect, catalog))
}

/// The schema of the database at `url`, in the IR.
pub fn pull(url: &str) -> Result<Pulled, Error> {
    let (dialect, catalog) = read_catalog(url)?;
    Ok(interpret::pulled(dialect, &catalog))
}
