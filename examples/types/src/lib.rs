//! Every column type through sqlx on SQLite, PostgreSQL and MariaDB: models generated at
//! build time from `models.yaml`, whose tests write and read back edge values on each.

/// The models of `models.yaml`.
pub mod models {
    include!(concat!(env!("OUT_DIR"), "/models.rs"));
}

pub use models::{NewSample, Sample};
