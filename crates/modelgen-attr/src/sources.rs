//! A whole schema from Rust source text: every `#[derive(Model)]` struct of the given
//! files, lowered, with foreign keys resolved across them — what the CLI needs to read a
//! Rust-first project without compiling it.

use crate::errors::{did_you_mean, suggest};
use crate::{lower_enum, lower_struct, Lowered};
use modelgen_ir::{EnumType, LogicalType, Schema};
use proc_macro2::Span;
use std::collections::HashMap;
use std::fmt;
use syn::punctuated::Punctuated;
use syn::{Attribute, DeriveInput, Item, Token};

/// An error in a source file, at 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for SourceError {}

/// Lowers every `#[derive(Model)]` struct (also spelled `modelgen::Model` or
/// `::modelgen::Model`) of `files` — `(path, text)` pairs — into one schema, in file
/// order then source order, inline modules included. A foreign key's `target_model` is
/// resolved to the struct whose table it names. All errors of all files are returned,
/// each with its place.
pub fn schema_from_sources(files: &[(String, String)]) -> Result<Schema, Vec<SourceError>> {
    let mut errors = Vec::new();
    let mut found: Vec<(usize, Lowered)> = Vec::new();
    let mut enums: Vec<(usize, Span, EnumType)> = Vec::new();
    for (index, (path, text)) in files.iter().enumerate() {
        let file = match syn::parse_file(text) {
            Ok(file) => file,
            Err(e) => {
                push_located(&mut errors, path, e);
                continue;
            }
        };
        let mut inputs = Vec::new();
        let mut enum_inputs = Vec::new();
        collect(&file.items, &mut inputs, &mut enum_inputs);
        for input in enum_inputs {
            match lower_enum(&input) {
                Ok(e) => enums.push((index, input.ident.span(), e)),
                Err(e) => push_located(&mut errors, path, e),
            }
        }
        for input in inputs {
            match lower_struct(&input) {
                Ok(lowered) => found.push((index, lowered)),
                Err(e) => push_located(&mut errors, path, e),
            }
        }
    }
    let mut at = |file: usize, span: Span, message: String| {
        let start = span.start();
        errors.push(SourceError {
            file: files[file].0.clone(),
            line: start.line,
            column: start.column + 1,
            message,
        });
    };
    resolve(&mut found, &mut at);
    resolve_enums(&mut found, &enums, &mut at);
    // Names the databases would hold twice, across structs (one struct's own are
    // refused by the derive).
    let models: Vec<_> = found.iter().map(|(_, l)| l.model.clone()).collect();
    for clash in modelgen_sql::names::clashes(&models) {
        if let Some((file, lowered)) = found.iter().find(|(_, l)| l.model.name == clash.second.model()) {
            at(*file, lowered.ident.span(), clash.message());
        }
    }
    if errors.is_empty() {
        Ok(Schema {
            models: found.into_iter().map(|(_, l)| l.model).collect(),
        })
    } else {
        Err(errors)
    }
}

fn push_located(errors: &mut Vec<SourceError>, file: &str, error: syn::Error) {
    for e in error {
        let start = e.span().start();
        errors.push(SourceError {
            file: file.to_owned(),
            line: start.line,
            column: start.column + 1,
            message: e.to_string(),
        });
    }
}

/// The items that derive `Model` (into `out`) and the enums that derive `Enum` (into
/// `enums`), as derive inputs, walking into inline modules.
fn collect(items: &[Item], out: &mut Vec<DeriveInput>, enums: &mut Vec<DeriveInput>) {
    for item in items {
        let input = match item {
            Item::Enum(e) if derives(&e.attrs, "Enum") => {
                enums.push(DeriveInput::from(e.clone()));
                continue;
            }
            Item::Struct(s) if derives_model(&s.attrs) => DeriveInput::from(s.clone()),
            // Not a struct: lowering says so, where it is.
            Item::Enum(e) if derives_model(&e.attrs) => DeriveInput::from(e.clone()),
            Item::Union(u) if derives_model(&u.attrs) => DeriveInput::from(u.clone()),
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect(items, out, enums);
                }
                continue;
            }
            _ => continue,
        };
        out.push(input);
    }
}

/// `#[derive(Model)]`, `#[derive(modelgen::Model)]` or `#[derive(::modelgen::Model)]`.
fn derives_model(attrs: &[Attribute]) -> bool {
    derives(attrs, "Model")
}

/// `#[derive(<what>)]`, also spelled `modelgen::<what>` or `::modelgen::<what>`.
fn derives(attrs: &[Attribute], what: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        let Ok(paths) = a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated) else {
            return false;
        };
        paths.iter().any(|p| {
            let words: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            matches!(words.as_slice(), [m] if m == what)
                || matches!(words.as_slice(), [c, m] if c == "modelgen" && m == what)
        })
    })
}

/// Resolves and checks what spans structs: tables used twice, foreign keys to tables or
/// columns no struct has, relation targets and join tables that are not there.
fn resolve(found: &mut [(usize, Lowered)], at: &mut impl FnMut(usize, Span, String)) {
    let mut by_table: HashMap<String, usize> = HashMap::new();
    for (i, (file, l)) in found.iter().enumerate() {
        if let Some(&first) = by_table.get(&l.model.table.to_lowercase()) {
            at(
                *file,
                l.ident.span(),
                format!(
                    "table `{}` is used by both `{}` and `{}`; give one of them another #[model(table = \"…\")]",
                    l.model.table, found[first].1.model.name, l.model.name
                ),
            );
        } else {
            by_table.insert(l.model.table.to_lowercase(), i);
        }
    }
    let tables: Vec<(String, String, Vec<String>)> = found
        .iter()
        .map(|(_, l)| {
            let columns = l.model.columns.iter().map(|c| c.name.clone()).collect();
            (l.model.table.clone(), l.model.name.clone(), columns)
        })
        .collect();
    let names: Vec<&str> = tables.iter().map(|t| t.1.as_str()).collect();
    let table_names: Vec<&str> = tables.iter().map(|t| t.0.as_str()).collect();
    for (file, l) in found.iter_mut() {
        let model_name = l.model.name.clone();
        for (fk, span) in l.model.foreign_keys.iter_mut().zip(&l.foreign_key_spans) {
            let Some(&ti) = by_table.get(&fk.target_table.to_lowercase()) else {
                at(
                    *file,
                    *span,
                    format!(
                        "foreign key of `{model_name}.{}` references table `{}`, which no #[derive(Model)] struct has{}",
                        fk.columns.join(", "),
                        fk.target_table,
                        did_you_mean(&fk.target_table, table_names.iter().copied())
                    ),
                );
                continue;
            };
            let (table, name, columns) = &tables[ti];
            fk.target_model.clone_from(name);
            fk.target_table.clone_from(table);
            for column in &fk.target_columns {
                if !columns.contains(column) {
                    at(
                        *file,
                        *span,
                        format!(
                            "foreign key of `{model_name}.{}` references `{table}.{column}`, and `{name}` has no field `{column}`{}",
                            fk.columns.join(", "),
                            did_you_mean(column, columns.iter().map(String::as_str))
                        ),
                    );
                }
            }
        }
        for (rel, target) in l.model.relations.iter().zip(&l.relations) {
            if !names.contains(&rel.target.as_str()) {
                at(
                    *file,
                    target.target_span,
                    format!(
                        "relation `{}` targets `{}`, which is no #[derive(Model)] struct of these files{}",
                        rel.name,
                        rel.target,
                        did_you_mean(&rel.target, names.iter().copied())
                    ),
                );
            }
            if let (Some(through), Some(span)) = (&rel.through, target.through_span) {
                if !by_table.contains_key(&through.to_lowercase()) {
                    at(
                        *file,
                        span,
                        format!(
                            "join table `{through}` of relation `{}` is no #[derive(Model)] struct's table; declare it with #[model(join)]{}",
                            rel.name,
                            did_you_mean(through, table_names.iter().copied())
                        ),
                    );
                }
            }
        }
    }
}

/// Gives each `#[model(enum)]` field the enum its type names: the proc-macro reads it from
/// the enum's own derive when the program runs, so the struct alone has only the name.
/// Found by the type's last path segment among the files' `#[derive(modelgen::Enum)]`
/// enums; then the struct's checks are held to its values, as the YAML front end's are.
fn resolve_enums(
    found: &mut [(usize, Lowered)],
    enums: &[(usize, Span, EnumType)],
    at: &mut impl FnMut(usize, Span, String),
) {
    let mut by_name: HashMap<&str, &EnumType> = HashMap::new();
    for (file, span, e) in enums {
        if by_name.insert(e.name.as_str(), e).is_some() {
            at(
                *file,
                *span,
                format!(
                    "two `#[derive(modelgen::Enum)]` enums are named `{}`; rename one",
                    e.name
                ),
            );
        }
    }
    let names: Vec<&str> = by_name.keys().copied().collect();
    for (file, l) in found.iter_mut() {
        for (c, span) in l.model.columns.iter_mut().zip(&l.column_spans) {
            let LogicalType::Enum(e) = &mut c.ty else { continue };
            if !e.values.is_empty() {
                continue;
            }
            let written = e.name.rsplit("::").next().unwrap_or(&e.name).trim().to_owned();
            match by_name.get(written.as_str()) {
                Some(known) => **e = (*known).clone(),
                None => at(
                    *file,
                    *span,
                    format!(
                        "`{}.{}` is a `#[model(enum)]` of `{written}`, and no `#[derive(modelgen::Enum)]` enum of these files has that name{}; give its file to `--from-rust` too",
                        l.model.name,
                        c.name,
                        suggest(&written, names.iter().copied())
                            .map(|k| format!(" (did you mean `{k}`?)"))
                            .unwrap_or_default()
                    ),
                ),
            }
        }
        let model = &l.model;
        let unresolved = |c: &modelgen_ir::Column| matches!(&c.ty, LogicalType::Enum(e) if e.values.is_empty());
        if model.columns.iter().any(unresolved) {
            // Reported above; its checks cannot be judged.
            continue;
        }
        for check in &model.checks {
            let modelgen_ir::check::CheckExpr::Tree(expr) = &check.expr else {
                continue;
            };
            let column = |name: &str| model.column(name).map(|c| &c.ty);
            if let Err(why) = modelgen_ir::check::enum_literals(expr, &column) {
                at(
                    *file,
                    l.ident.span(),
                    format!("check `{}` of `{}`: {why}", check.name, model.name),
                );
            }
        }
    }
}
