//! Constraint names in the module: the metadata's naming convention (the spec's, with
//! SQLAlchemy's default `ix` and the `ck` a `bool(check)` column needs where the spec has
//! none), and each constraint's `name=` only where that convention would not give the
//! name the migrations use.

use super::literal::py_str;
use super::Builder;
use modelgen_ir::naming::{apply, uses_constraint_name, Kind, NamingConvention, Parts, DEFAULT_INDEX};
use modelgen_ir::{LogicalType, Schema};

/// What names a `bool(check)` column's CHECK without a convention of the spec's:
/// `ck_<table>_<column>`, as `modelgen_ir::check::bool_check_name`.
const BOOL_CHECK: &str = "ck_%(table_name)s_%(column_0_name)s";

/// The convention the module's metadata carries, and whether it must say one at all
/// (SQLAlchemy's default is `ix` alone).
pub(super) fn convention(schema: &Schema) -> (NamingConvention, bool) {
    // The YAML front end gives every model the spec's one convention.
    let spec = schema.models.iter().find_map(|m| m.naming.clone());
    let bool_checks = schema
        .models
        .iter()
        .flat_map(|m| &m.columns)
        .any(|c| c.ty == LogicalType::Bool { check: true });
    let said = spec.is_some() || bool_checks;
    let mut c = spec.unwrap_or_default();
    if c.ix.is_none() {
        c.ix = Some(DEFAULT_INDEX.to_owned());
    }
    if c.ck.is_none() && bool_checks {
        c.ck = Some(BOOL_CHECK.to_owned());
    }
    (c, said)
}

/// The convention's entries as `"key": "template"` literals, in SQLAlchemy's key order.
pub(super) fn entries(c: &NamingConvention) -> Vec<(String, String)> {
    Kind::ALL
        .into_iter()
        .filter_map(|k| Some((py_str(k.key()), py_str(c.get(k)?))))
        .collect()
}

impl Builder<'_> {
    /// The `name=` value a constraint of `kind` needs to end up `name`, given what the
    /// convention makes of it unnamed (`parts` without a name); `None` when it already
    /// makes `name`. A template with `%(constraint_name)s` would rename any given name,
    /// so the final one is marked converted (`conv`).
    pub(super) fn name_arg(&mut self, kind: Kind, name: &str, parts: &Parts) -> Option<String> {
        let Some(template) = self.naming.get(kind).map(str::to_owned) else {
            return Some(py_str(name));
        };
        if uses_constraint_name(&template) {
            self.import("sqlalchemy.schema", "conv");
            return Some(format!("conv({})", py_str(name)));
        }
        match apply(&template, parts) {
            Ok(made) if made == name => None,
            _ => Some(py_str(name)),
        }
    }

    /// Whether the convention names a `bool(check)` column's CHECK through
    /// `%(constraint_name)s`: the `Boolean` then needs the column's name as its own.
    pub(super) fn bool_check_named(&self) -> bool {
        self.naming.ck.as_deref().is_some_and(uses_constraint_name)
    }
}
