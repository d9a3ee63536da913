//! Enums in the databases, as SQLAlchemy's `Enum` builds them: PostgreSQL's own type
//! (`CREATE TYPE … AS ENUM`, made before the tables that use it and dropped after),
//! MySQL's `ENUM(…)` column type, and a VARCHAR long enough for every value elsewhere or
//! with `native: false`; with `check: true`, a CHECK named after the type
//! (`modelgen_ir::check::column_checks`).

use crate::dialect::SqlDialect;
use modelgen_ir::{Dialect, EnumType, Schema};

/// The enum types `d` needs made before the tables, in the order columns first use them:
/// PostgreSQL's native ones.
pub fn native_types(schema: &Schema, d: Dialect) -> Vec<&EnumType> {
    match d {
        Dialect::Postgres => schema.enums().into_iter().filter(|e| !e.as_varchar(d)).collect(),
        _ => Vec::new(),
    }
}

pub fn create_type_sql(e: &EnumType, d: Dialect) -> String {
    format!(
        "CREATE TYPE {} AS ENUM ({});",
        d.ident(&e.type_name),
        value_list(e, d, ", ")
    )
}

pub fn drop_type_sql(e: &EnumType, d: Dialect) -> String {
    format!("DROP TYPE {};", d.ident(&e.type_name))
}

/// The column type: the native type's name, MySQL's `ENUM('a','b')`, or a VARCHAR.
pub fn type_sql(e: &EnumType, d: Dialect) -> String {
    match d {
        _ if e.as_varchar(d) => format!("VARCHAR({})", e.max_length()),
        Dialect::Mysql => format!("ENUM({})", value_list(e, d, ",")),
        _ => d.ident(&e.type_name),
    }
}

fn value_list(e: &EnumType, d: Dialect, separator: &str) -> String {
    e.values
        .iter()
        .map(|v| d.string_literal(v))
        .collect::<Vec<_>>()
        .join(separator)
}
