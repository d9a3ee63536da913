//! What to generate and where: the `output:` section of a spec, read by the front end and
//! handed to the emitter next to the schema. Paths are relative to the spec's directory.

use crate::Dialect;
use serde::{Deserialize, Serialize};

/// The longest name a generated file or folder may have, in bytes: the 255 that Linux
/// and macOS file systems keep, less the 14 the writer adds while it stages a file
/// (`.<name>.modelgen-new`). The spec's checks and the writer both hold names to it.
pub const MAX_FILE_NAME_BYTES: usize = 255 - ".".len() - ".modelgen-new".len();

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub migrations: Migrations,
    /// Rust structs, one module per model; none unless the spec asks.
    pub rust: Option<RustOutput>,
    /// One SQLAlchemy 2.0 module of declarative models; none unless the spec asks.
    pub python: Option<PythonOutput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustOutput {
    pub dir: String,
    /// Derive serde's `Serialize`/`Deserialize` (secret fields skipped when serializing).
    pub serde: bool,
    /// Derive `sqlx::FromRow`.
    pub sqlx: bool,
    /// Generate the sqlx queries of each model, per dialect (needs `sqlx`).
    #[serde(default)]
    pub queries: bool,
    /// A directory of templates that replace the built-in ones by file name.
    pub templates: Option<String>,
}

/// SQLAlchemy models that create the same schema as the migrations, on the migrations'
/// dialects, so a Python service can share the database with a Rust one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonOutput {
    /// The module to write, such as `app/models.py`.
    pub file: String,
    /// A directory of templates that replace the built-in SQLAlchemy ones by file name.
    pub templates: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Migrations {
    pub dir: String,
    pub dialects: Vec<Dialect>,
    pub layout: Layout,
}

/// How migration files are laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// `<version>_<name>.up.sql` and `.down.sql`, as `sqlx::migrate!` and sqlx-cli read them.
    Sqlx,
    /// `<version>_<name>/up.sql` and `down.sql`, as diesel reads them.
    Diesel,
}

impl Layout {
    pub const ALL: [(&'static str, Layout); 2] = [("sqlx", Layout::Sqlx), ("diesel", Layout::Diesel)];
}

impl Default for Output {
    /// The embedded default: SQLite migrations, which need no server.
    fn default() -> Output {
        Output {
            migrations: Migrations::default(),
            rust: None,
            python: None,
        }
    }
}

impl Default for Migrations {
    fn default() -> Migrations {
        Migrations {
            dir: "migrations".into(),
            dialects: vec![Dialect::Sqlite],
            layout: Layout::Sqlx,
        }
    }
}
