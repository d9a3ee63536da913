//! The Python enum classes of the spec's enums, which SQLAlchemy's `Enum` columns take.

use super::literal::py_str;
use heck::ToShoutySnakeCase;
use modelgen_ir::{EnumType, Schema};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EnumView {
    pub class_name: String,
    /// (member name, value as a string literal), in the spec's order.
    pub members: Vec<(String, String)>,
}

/// Every enum the schema's columns use, once, in the order they are first used.
pub(super) fn enums(schema: &Schema) -> Vec<EnumView> {
    schema
        .enums()
        .into_iter()
        .map(|e| EnumView {
            class_name: e.name.clone(),
            members: members(e)
                .into_iter()
                .zip(&e.values)
                .map(|(m, v)| (m, py_str(v)))
                .collect(),
        })
        .collect()
}

/// Member names: the value in capitals (`in-progress` → `IN_PROGRESS`), or `V<n>` where
/// that is no identifier or repeats an earlier one. The database stores the values
/// (`values_callable`), so these names are only Python's.
pub(super) fn members(e: &EnumType) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, v) in e.values.iter().enumerate() {
        let name = v.to_shouty_snake_case();
        let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        out.push(if identifier && !out.contains(&name) {
            name
        } else {
            format!("V{i}")
        });
    }
    out
}
