//! A schema written back as a spec: what `modelgen pull` writes. Reading the text it
//! gives lowers to the same schema, except for what a spec cannot carry that the IR does
//! not either (docs, relations, Rust choices, which a database does not keep).
//!
//! Fields take the shorthand where it says everything (`str(255)? unique`), the long
//! form otherwise; indexes are listed with their names, so none depends on a default.

use heck::ToSnakeCase;
use modelgen_ir::check::CheckExpr;
use modelgen_ir::{Column, DefaultValue, Dialect, EnumType, FkAction, Generator, LogicalType, Model, Schema};
use std::fmt::Write;

/// The spec of `schema`, for `dialects`, with `header` (comment lines, without `#`) on top.
pub fn spec_text(schema: &Schema, dialects: &[Dialect], header: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    let names: Vec<&str> = dialects.iter().map(|d| d.name()).collect();
    let _ = writeln!(out, "output:\n  migrations: {{dialects: [{}]}}", names.join(", "));
    let enums = enums(schema);
    if !enums.is_empty() {
        out.push_str("enums:\n");
        for e in enums {
            let values: Vec<String> = e.values.iter().map(|v| scalar(v)).collect();
            let mut long = Vec::new();
            if e.type_name != e.name.to_lowercase() {
                long.push(format!("type_name: {}", scalar(&e.type_name)));
            }
            if !e.native {
                long.push("native: false".to_owned());
            }
            if e.check {
                long.push("check: true".to_owned());
            }
            let _ = match long.is_empty() {
                true => writeln!(out, "  {}: [{}]", e.name, values.join(", ")),
                false => writeln!(
                    out,
                    "  {}: {{values: [{}], {}}}",
                    e.name,
                    values.join(", "),
                    long.join(", ")
                ),
            };
        }
    }
    soft_delete_mixins(&mut out, schema);
    out.push_str("models:\n");
    for m in &schema.models {
        model(&mut out, m);
    }
    out
}

/// Where the soft-delete columns of `m` start, and the mixin that says them: a model is
/// a soft-delete model only through a mixin, whose columns come after the model's own.
/// So the mixin holds the soft-delete column and every column after it: the built-in
/// `soft_delete` when that is its `deleted_at` alone, else the model's own mixin,
/// written at the top ([`soft_delete_mixins`]).
fn soft_delete_mixin(m: &Model) -> Option<(usize, String)> {
    let column = m.soft_delete.as_ref()?;
    let at = m.columns.iter().position(|c| &c.name == column)?;
    let c = &m.columns[at];
    let builtin = at + 1 == m.columns.len()
        && column == "deleted_at"
        && c.ty == (LogicalType::DateTime { timezone: false })
        && c.nullable
        && c.server_default.is_none()
        && c.comment.is_none();
    let mixin = match builtin {
        true => "soft_delete".to_owned(),
        false => format!("soft_delete_{}", m.table),
    };
    Some((at, mixin))
}

/// The mixins [`soft_delete_mixin`] names that are not built in, one per such model.
fn soft_delete_mixins(out: &mut String, schema: &Schema) {
    let own: Vec<(&Model, usize, String)> = schema
        .models
        .iter()
        .filter_map(|m| soft_delete_mixin(m).map(|(at, mixin)| (m, at, mixin)))
        .filter(|(_, _, mixin)| mixin != "soft_delete")
        .collect();
    if own.is_empty() {
        return;
    }
    out.push_str("mixins:\n");
    for (m, at, mixin) in own {
        let _ = writeln!(out, "  {}:\n    fields:", key(&mixin));
        for c in &m.columns[at..] {
            let _ = writeln!(out, "      {}: {}", key(&c.name), field(m, c, true));
        }
        let _ = writeln!(out, "    soft_delete: {}", scalar(&m.columns[at].name));
    }
}

/// Every enum type the columns use, once, by name.
fn enums(schema: &Schema) -> Vec<&EnumType> {
    let mut out: Vec<&EnumType> = Vec::new();
    for c in schema.models.iter().flat_map(|m| &m.columns) {
        if let LogicalType::Enum(e) = &c.ty {
            if !out.iter().any(|o| o.name == e.name) {
                out.push(e);
            }
        }
    }
    out
}

fn model(out: &mut String, m: &Model) {
    let _ = writeln!(out, "  {}:", key(&m.name));
    if m.table != m.name.to_snake_case() {
        let _ = writeln!(out, "    table: {}", scalar(&m.table));
    }
    if let Some(comment) = &m.comment {
        let _ = writeln!(out, "    comment: {}", scalar(comment));
    }
    out.push_str("    fields:\n");
    let key_on_model = m.key_in_own_order() || m.primary_key_name.is_some();
    let deleted = soft_delete_mixin(m);
    let own = deleted.as_ref().map_or(m.columns.len(), |(at, _)| *at);
    for c in &m.columns[..own] {
        let _ = writeln!(out, "      {}: {}", key(&c.name), field(m, c, key_on_model));
    }
    if let Some((_, mixin)) = &deleted {
        let _ = writeln!(out, "    mixins: [{}]", scalar(mixin));
    }
    if key_on_model {
        let mut parts = vec![format!("columns: [{}]", list(&m.primary_key))];
        if let Some(name) = &m.primary_key_name {
            parts.push(format!("name: {}", scalar(name)));
        }
        let _ = writeln!(out, "    primary_key: {{{}}}", parts.join(", "));
    }
    let uniques: Vec<_> = m.uniques.iter().filter(|u| !flagged_unique(m, u)).collect();
    if !uniques.is_empty() {
        out.push_str("    uniques:\n");
        for u in uniques {
            let mut parts = vec![format!("columns: [{}]", list(&u.columns))];
            if let Some(name) = &u.name {
                parts.push(format!("name: {}", scalar(name)));
            }
            let _ = writeln!(out, "      - {{{}}}", parts.join(", "));
        }
    }
    if !m.indexes.is_empty() {
        out.push_str("    indexes:\n");
        for i in &m.indexes {
            let keys: Vec<String> = i
                .columns
                .iter()
                .map(|k| match k.column() {
                    Some(c) => scalar(c),
                    None => format!("{{expr: {}}}", scalar(&k.text())),
                })
                .collect();
            let mut parts = vec![
                format!("name: {}", scalar(&i.name)),
                format!("columns: [{}]", keys.join(", ")),
            ];
            if i.unique {
                parts.push("unique: true".into());
            }
            if i.live_only {
                parts.push("live: true".into());
            }
            if let Some(p) = &i.predicate {
                parts.push(format!("where: {}", scalar(&p.text())));
            }
            let _ = writeln!(out, "      - {{{}}}", parts.join(", "));
        }
    }
    let composite: Vec<_> = m.foreign_keys.iter().filter(|fk| fk.columns.len() > 1).collect();
    if !composite.is_empty() {
        out.push_str("    foreign_keys:\n");
        for fk in composite {
            let mut parts = vec![
                format!("columns: [{}]", list(&fk.columns)),
                format!(
                    "references: {}",
                    scalar(&format!("{}({})", fk.target_table, fk.target_columns.join(", ")))
                ),
            ];
            parts.extend(fk_options(fk.on_delete, fk.on_update, fk.name.as_deref()));
            let _ = writeln!(out, "      - {{{}}}", parts.join(", "));
        }
    }
    if !m.checks.is_empty() {
        out.push_str("    checks:\n");
        for check in &m.checks {
            let body = match &check.expr {
                CheckExpr::Tree(e) => scalar(&e.text()),
                CheckExpr::Sql(by_dialect) => {
                    let each: Vec<String> = by_dialect
                        .iter()
                        .map(|(d, sql)| format!("{}: {}", d.name(), scalar(sql)))
                        .collect();
                    format!("{{sql: {{{}}}}}", each.join(", "))
                }
            };
            let _ = writeln!(out, "      {}: {body}", key(&check.name));
        }
    }
}

/// A single-column unique without a name, which the field's `unique` flag says.
fn flagged_unique(m: &Model, u: &modelgen_ir::Unique) -> bool {
    u.name.is_none() && u.columns.len() == 1 && m.column(&u.columns[0]).is_some()
}

fn field(m: &Model, c: &Column, key_on_model: bool) -> String {
    let mut short = c.ty.to_string();
    if c.nullable {
        short.push('?');
    }
    if c.primary_key && !key_on_model {
        short.push_str(" pk");
    }
    if m.uniques.iter().any(|u| flagged_unique(m, u) && u.columns[0] == c.name) {
        short.push_str(" unique");
    }
    let mut long = Vec::new();
    let numbered_by_default = m.primary_key.len() == 1
        && c.primary_key
        && matches!(c.ty, LogicalType::Int | LogicalType::BigInt)
        && !m.foreign_keys.iter().any(|fk| fk.columns.contains(&c.name));
    match (c.autoincrement, &c.generator) {
        (false, _) if numbered_by_default => long.push("autoincrement: false".to_owned()),
        (true, Generator::Serial) => long.push("autoincrement: serial".to_owned()),
        (true, Generator::Sequence(name)) => long.push(format!("autoincrement: {{sequence: {}}}", scalar(name))),
        _ => {}
    }
    match &c.server_default {
        Some(DefaultValue::Sql(by_dialect)) => {
            let each: Vec<String> = by_dialect
                .iter()
                .map(|(d, sql)| format!("{}: {}", d.name(), scalar(sql)))
                .collect();
            long.push(format!("server_default_sql: {{{}}}", each.join(", ")));
        }
        Some(value) => long.push(format!("server_default: {}", literal(value))),
        None => {}
    }
    if c.on_update.is_some() {
        long.push("on_update: now".to_owned());
    }
    if let Some(comment) = &c.comment {
        long.push(format!("comment: {}", scalar(comment)));
    }
    if let Some(fk) = m.foreign_keys.iter().find(|fk| fk.columns == [c.name.clone()]) {
        let references = scalar(&format!("{}.{}", fk.target_table, fk.target_columns[0]));
        let options = fk_options(fk.on_delete, fk.on_update, fk.name.as_deref());
        long.push(match options.is_empty() {
            true => format!("foreign_key: {references}"),
            false => format!("foreign_key: {{references: {references}, {}}}", options.join(", ")),
        });
    }
    match long.is_empty() {
        true => scalar(&short),
        false => format!("{{type: {}, {}}}", scalar(&short), long.join(", ")),
    }
}

fn fk_options(on_delete: Option<FkAction>, on_update: Option<FkAction>, name: Option<&str>) -> Vec<String> {
    let word = |a: FkAction| FkAction::ALL.iter().find(|(_, b)| *b == a).map_or("", |(w, _)| w);
    let mut out = Vec::new();
    if let Some(a) = on_delete {
        out.push(format!("on_delete: {}", word(a)));
    }
    if let Some(a) = on_update {
        out.push(format!("on_update: {}", word(a)));
    }
    if let Some(name) = name {
        out.push(format!("name: {}", scalar(name)));
    }
    out
}

fn literal(value: &DefaultValue) -> String {
    match value {
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Float(f) => format!("{f:?}"),
        DefaultValue::Decimal(d) => scalar(d),
        DefaultValue::Str(s) => scalar(s),
        DefaultValue::Now => "now".to_owned(),
        DefaultValue::Uuid4 => "uuid4".to_owned(),
        // JSON is YAML's flow style.
        DefaultValue::Json(json) => json.clone(),
        DefaultValue::Sql(_) => unreachable!("written as server_default_sql"),
    }
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| scalar(n)).collect::<Vec<_>>().join(", ")
}

/// A mapping key: plain when it is a plain name, quoted otherwise.
fn key(name: &str) -> String {
    scalar(name)
}

/// Text as a YAML scalar: plain when YAML reads it back as the same string, in double
/// quotes (JSON's escapes, which YAML shares) otherwise.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '(' | ')' | '.' | '?' | ' ' | '-'))
        && text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    match plain {
        true => text.to_owned(),
        false => serde_json::to_string(text).expect("a string serializes"),
    }
}
