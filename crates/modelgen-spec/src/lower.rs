//! Lowers a read [`Spec`] into the IR: flattens mixins, resolves foreign keys, names
//! indexes, pairs relations and synthesizes join tables, reporting every cross-model error.
//!
//! Each rule that spans models lives in its own `check_*`/`resolve_*` function with an
//! example of what it rejects.

use crate::diag::{did_you_mean, Diagnostic, ErrorKind, Path};
use crate::spec::*;
use heck::ToSnakeCase;
use modelgen_ir::check::{check_key_types, check_types, parse_check, Expr};
use modelgen_ir::{
    column_keys as keys, index_name, Column, FkAction, ForeignKey, Index, IndexKey, LogicalType, Model, ModelKind,
    Relation, RelationKind, Schema, Unique,
};
// foldhash: the names hashed here are the spec's own, and SipHash was 7 % of `check`.
use foldhash::{HashMap, HashMapExt};

mod checks;
mod constraint_names;
mod keys;
mod model;
mod names;
mod relations;
mod renames;
mod tables;

use relations::Joins;

pub fn lower(spec: &Spec) -> (Schema, Vec<Diagnostic>) {
    let mut cx = Lower {
        errors: Vec::new(),
        mixins: HashMap::new(),
        naming: spec.naming.clone(),
        dialects: &spec.output.migrations.dialects,
    };
    let builtins = builtin_mixins();
    for mixin in builtins.iter().chain(&spec.mixins) {
        cx.mixins.insert(mixin.name.as_str(), mixin);
    }
    for mixin in &spec.mixins {
        cx.check_mixin(mixin);
    }
    let mut models: Vec<Model> = spec.models.iter().map(|m| cx.model(m)).collect();
    for (model_spec, model) in spec.models.iter().zip(&mut models) {
        cx.checks(spec, model_spec, model);
    }
    let names = NameIndex::new(&models);
    for (i, model_spec) in spec.models.iter().enumerate() {
        let fks = cx.foreign_keys(model_spec, &models[i], &models, &names);
        models[i].foreign_keys = fks;
    }
    let mut joins = Joins::default();
    let relations: Vec<Vec<Relation>> = spec
        .models
        .iter()
        .enumerate()
        .map(|(i, m)| cx.relations(m, &models[i], &models, &names, &mut joins))
        .collect();
    for (model, rels) in models.iter_mut().zip(relations) {
        model.relations = rels;
    }
    cx.check_back_populates(spec, &models, &names);
    models.extend(joins.tables);
    cx.check_unique_tables(spec, &models);
    cx.check_renames(&models);
    cx.check_derived_names(spec, &models);
    cx.check_dialect_types(spec, &models);
    cx.check_rust_types(spec, &models);
    cx.check_rust_names(spec, &models);
    cx.check_sqlx_names(spec, &models);
    let mut errors = cx.errors;
    errors.retain(|d| !follows_unread(d, spec));
    (Schema { models }, errors)
}

/// Whether `d` says a field or relation does not exist that is in the spec but could not
/// be read: its own error was reported, and this one would mislead.
fn follows_unread(d: &Diagnostic, spec: &Spec) -> bool {
    spec.models.iter().any(|m| {
        m.unread.iter().any(|name| {
            d.message.starts_with(&format!("`{}` has no column `{name}`", m.name))
                || d.message.starts_with(&format!("`{}` has no relation `{name}`", m.name))
        })
    })
}

struct Lower<'s> {
    errors: Vec<Diagnostic>,
    mixins: HashMap<&'s str, &'s MixinSpec>,
    /// The spec's `naming_convention:`, if it has one.
    naming: Option<modelgen_ir::naming::NamingConvention>,
    /// The migrations' dialects, for what only some databases can build.
    dialects: &'s [modelgen_ir::Dialect],
}

/// Model lookup by name and by table name, built once so resolution stays linear.
struct NameIndex {
    by_name: HashMap<String, usize>,
    by_table: HashMap<String, usize>,
}

impl NameIndex {
    fn new(models: &[Model]) -> NameIndex {
        let mut by_name = HashMap::new();
        let mut by_table = HashMap::new();
        for (i, m) in models.iter().enumerate() {
            by_name.entry(m.name.clone()).or_insert(i);
            by_table.entry(m.table.clone()).or_insert(i);
        }
        NameIndex { by_name, by_table }
    }

    /// A model named `word`, or else the model whose table is `word`.
    fn find(&self, word: &str) -> Option<usize> {
        self.by_name.get(word).or_else(|| self.by_table.get(word)).copied()
    }
}

fn model_path(name: &str) -> Path {
    Path::root().key("models").key(name)
}

fn field_path(model: &str, field: &str) -> Path {
    model_path(model).key("fields").key(field)
}

/// Where a column is written: its own field, or the `mixins:` entry that brought it.
fn column_path(model: &str, column: &Column) -> Path {
    match column.mixin {
        None => field_path(model, &column.name),
        Some(_) => model_path(model).key("mixins"),
    }
}

fn is_integer(ty: &LogicalType) -> bool {
    matches!(ty, LogicalType::Int | LogicalType::BigInt)
}

/// The foreign-key column name a join table uses for a model: `User` → `user_id`.
fn join_column(model: &str) -> String {
    format!("{}_id", model.to_snake_case())
}

impl<'s> Lower<'s> {
    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }
}
