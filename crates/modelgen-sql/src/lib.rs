//! The SQL back end: DDL for SQLite, PostgreSQL and MySQL from the IR alone.
//!
//! Pure functions of a [`modelgen_ir::Schema`]; the `modelgen` facade uses the same code
//! at run time, so a derived model and the CLI emit identical SQL.

pub mod check;
pub mod comment;
pub mod ddl;
mod dialect;
pub mod enums;
pub mod names;
pub mod sequence;

pub use ddl::{
    create_script, create_table_sql, drop_script, on_update_statements, plan, trigger_function_name, trigger_name,
    Plan, MYSQL_LIVE_COLUMN,
};
pub use dialect::{Dialect, SqlDialect};
