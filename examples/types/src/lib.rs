//! Every column type through sqlx on SQLite, PostgreSQL and MariaDB: models generated at
//! build time from `models.yaml`, whose tests write and read back edge values on each.
//! `text_decimals.yaml` adds decimals read as `String`, on SQLite and MariaDB;
//! `unbounded.yaml` strings without a length, on SQLite and PostgreSQL.

/// The models of `models.yaml`.
pub mod models {
    include!(concat!(env!("OUT_DIR"), "/models.rs"));
}

/// The models of `text_decimals.yaml`.
pub mod text {
    include!(concat!(env!("OUT_DIR"), "/text/models.rs"));
}

/// The models of `unbounded.yaml`.
pub mod unbounded {
    include!(concat!(env!("OUT_DIR"), "/unbounded/models.rs"));
}

pub use models::{NewSample, Sample};

/// An email address: a `str(100)` column that the generated code reads and writes as this
/// type (`rust_type: crate::Email`), through sqlx's traits for the string inside.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, sqlx::Type)]
#[sqlx(transparent)]
pub struct Email(pub String);

/// A JSON column's value as the application's own type (`rust_type: crate::Settings`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub theme: String,
    pub columns: u8,
    pub beta: Option<bool>,
    pub shortcuts: Vec<String>,
}
