//! A schema written back as a spec: what `modelgen pull` writes. Reading the text it
//! gives lowers to the same schema, except for what a spec cannot carry that the IR does
//! not either (docs, relations, Rust choices, which a database does not keep).
//!
//! Fields take the shorthand where it says everything (`str(255)? unique`), the long
//! form otherwise. An index a field's flags make (`index`, `unique index`: one column,
//! named `ix_<table>_<column>`) is written as those flags, as a person writes it; any
//! other is listed with its name.

use heck::ToSnakeCase;
use modelgen_ir::check::CheckExpr;
use modelgen_ir::naming::{self, Kind, NamingConvention, Parts};
use modelgen_ir::{
    Column, DefaultValue, Dialect, EnumType, FkAction, Generator, Index, LogicalType, Model, ModelKind, Relation,
    RelationKind, Schema,
};
use std::fmt::Write;

/// The spec of `schema`, for `dialects`, with `header` (comment lines, without `#`) on top.
pub fn spec_text(schema: &Schema, dialects: &[Dialect], header: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    let names: Vec<&str> = dialects.iter().map(|d| d.name()).collect();
    let _ = writeln!(out, "output:\n  migrations: {{dialects: [{}]}}", names.join(", "));
    let convention = convention(schema);
    let templates: Vec<String> = [("pk", &convention.pk), ("uq", &convention.uq), ("fk", &convention.fk)]
        .into_iter()
        .filter_map(|(key, t)| t.as_ref().map(|t| format!("{key}: {}", scalar(t))))
        .collect();
    if !templates.is_empty() {
        let _ = writeln!(out, "naming_convention: {{{}}}", templates.join(", "));
    }
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
    // A join table is made by the `through:` of its relation.
    for m in ordered(schema) {
        model(&mut out, m, schema, &convention);
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
    let builtin = at + 1 == m.columns.len() && builtin_columns(m, at, "soft_delete");
    let mixin = match builtin {
        true => "soft_delete".to_owned(),
        false => format!("soft_delete_{}", m.table),
    };
    Some((at, mixin))
}

/// Whether the columns of `m` from `at` on are what the built-in mixin `name` gives, as
/// a database keeps them.
fn builtin_columns(m: &Model, at: usize, name: &str) -> bool {
    let Some(mixin) = modelgen_ir::builtin_mixin(name) else {
        return false;
    };
    let same = |a: &Column, b: &Column| {
        a.name == b.name
            && a.ty == b.ty
            && a.nullable == b.nullable
            && a.server_default == b.server_default
            && a.on_update == b.on_update
            && a.comment == b.comment
            && !m.foreign_keys.iter().any(|fk| fk.columns.contains(&a.name))
    };
    let tail = m.columns.get(at..).unwrap_or_default();
    tail.len() == mixin.columns.len() && tail.iter().zip(&mixin.columns).all(|(a, b)| same(a, b))
}

/// The built-in mixins whose columns end the model (`timestamps`, then `soft_delete`),
/// and where the model's own columns end.
fn builtin_tail(m: &Model, mut end: usize) -> (usize, Vec<&'static str>) {
    let mut mixins = Vec::new();
    if end == m.columns.len() && end >= 2 && builtin_columns(m, end - 2, "timestamps") {
        end -= 2;
        mixins.push("timestamps");
    }
    (end, mixins)
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

/// The parts of each primary key, unique and foreign key of `schema`, with its name.
fn constraints(schema: &Schema) -> Vec<(Kind, Parts<'_>)> {
    schema.models.iter().flat_map(model_constraints).collect()
}

/// The parts of `m`'s primary key, then its uniques, then its foreign keys, in order.
fn model_constraints(m: &Model) -> Vec<(Kind, Parts<'_>)> {
    let parts = |columns, referred_table, referred_columns, name| Parts {
        table: &m.table,
        columns,
        referred_table,
        referred_columns,
        name,
    };
    let mut out = Vec::new();
    if !m.primary_key.is_empty() {
        out.push((
            Kind::PrimaryKey,
            parts(&m.primary_key, "", &[], m.primary_key_name.as_deref()),
        ));
    }
    for u in &m.uniques {
        out.push((Kind::Unique, parts(&u.columns, "", &[], u.name.as_deref())));
    }
    for fk in &m.foreign_keys {
        out.push((
            Kind::ForeignKey,
            parts(&fk.columns, &fk.target_table, &fk.target_columns, fk.name.as_deref()),
        ));
    }
    out
}

/// The naming convention Alembic recommends, for each kind (primary key, unique,
/// foreign key) whose constraints in the schema all have names, most of them the ones
/// it gives: a database made with that convention reads back with it, and its names need
/// not be written one by one. (A name it would not give stays written; one the database
/// chose would become the convention's, so a kind with such a constraint has none.)
fn convention(schema: &Schema) -> NamingConvention {
    let mut out = NamingConvention::default();
    let all = constraints(schema);
    for (kind, template) in [
        (Kind::PrimaryKey, "pk_%(table_name)s"),
        (Kind::Unique, "uq_%(table_name)s_%(column_0_name)s"),
        // Its variant over every column of the key.
        (Kind::Unique, "uq_%(table_name)s_%(column_0_N_name)s"),
        (
            Kind::ForeignKey,
            "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        ),
    ] {
        let of_kind: Vec<&Parts> = all.iter().filter(|(k, _)| *k == kind).map(|(_, p)| p).collect();
        let named_so = of_kind
            .iter()
            .filter(|p| naming::apply(template, p).ok().as_deref() == p.name)
            .count();
        let all_named = of_kind.iter().all(|p| p.name.is_some());
        if out.get(kind).is_none() && all_named && named_so > 0 && named_so * 2 >= of_kind.len() {
            out.set(kind, template.to_owned());
        }
    }
    out
}

/// `m` without the names `convention` gives its constraints anyway.
fn without_convention_names(m: &Model, convention: &NamingConvention) -> Model {
    let given: Vec<(Kind, bool)> = model_constraints(m)
        .iter()
        .map(|(kind, parts)| {
            let given = convention
                .get(*kind)
                .is_some_and(|t| parts.name.is_some() && naming::apply(t, parts).ok().as_deref() == parts.name);
            (*kind, given)
        })
        .collect();
    let given_of = |kind: Kind| given.iter().filter(move |(k, _)| *k == kind).map(|(_, g)| *g);
    let mut out = m.clone();
    if given_of(Kind::PrimaryKey).any(|g| g) {
        out.primary_key_name = None;
    }
    for (u, given) in out.uniques.iter_mut().zip(given_of(Kind::Unique)) {
        if given {
            u.name = None;
        }
    }
    for (fk, given) in out.foreign_keys.iter_mut().zip(given_of(Kind::ForeignKey)) {
        if given {
            fk.name = None;
        }
    }
    out
}

/// The models to write, in the schema's order but for one rule: the first model with a
/// relation through a join table makes that table, its column first, so the model whose
/// column comes first goes before the other side.
fn ordered(schema: &Schema) -> Vec<&Model> {
    let entities: Vec<&Model> = schema.models.iter().filter(|m| m.kind == ModelKind::Entity).collect();
    // (must come first, must come after), by position in `entities`.
    let mut before: Vec<(usize, usize)> = Vec::new();
    for join in schema.models.iter().filter(|m| m.kind == ModelKind::Join) {
        let side = |column: Option<&Column>| {
            let fk = join
                .foreign_keys
                .iter()
                .find(|fk| fk.columns.first() == column.map(|c| &c.name))?;
            entities.iter().position(|m| m.table == fk.target_table)
        };
        if let (Some(first), Some(second)) = (side(join.columns.first()), side(join.columns.get(1))) {
            before.push((first, second));
        }
    }
    let mut out = Vec::new();
    let mut done = vec![false; entities.len()];
    while out.len() < entities.len() {
        // The first model not yet written whose predecessors all are; in a cycle, the first.
        let ready = (0..entities.len())
            .find(|&i| !done[i] && before.iter().all(|&(a, b)| b != i || done[a]))
            .or_else(|| (0..entities.len()).find(|&i| !done[i]))
            .expect("a model is left");
        done[ready] = true;
        out.push(entities[ready]);
    }
    out
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

fn model(out: &mut String, m: &Model, schema: &Schema, convention: &NamingConvention) {
    let m = &without_convention_names(m, convention);
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
    let (own, mut mixins) = match &deleted {
        Some((at, mixin)) if mixin == "soft_delete" => {
            // `timestamps` then `soft_delete`, as a person lists them.
            let (end, found) = builtin_tail(
                &Model {
                    columns: m.columns[..*at].to_vec(),
                    ..m.clone()
                },
                *at,
            );
            (end, found.into_iter().map(str::to_owned).collect::<Vec<_>>())
        }
        Some((at, _)) => (*at, Vec::new()),
        None => {
            let (end, found) = builtin_tail(m, m.columns.len());
            (end, found.into_iter().map(str::to_owned).collect())
        }
    };
    mixins.extend(deleted.map(|(_, mixin)| mixin));
    let own = &m.columns[..own];
    for c in own {
        let _ = writeln!(out, "      {}: {}", key(&c.name), field(m, c, key_on_model));
    }
    if !mixins.is_empty() {
        let names: Vec<String> = mixins.iter().map(|n| scalar(n)).collect();
        let _ = writeln!(out, "    mixins: [{}]", names.join(", "));
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
    let indexes: Vec<_> = m.indexes.iter().filter(|i| !flagged_index(m, i, own)).collect();
    if !indexes.is_empty() {
        out.push_str("    indexes:\n");
        for i in indexes {
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
    // A many-to-many is declared once, with `backref`, by the model whose column comes
    // first in the join table: the side declared first gives the join table's column order.
    let declared = |r: &&Relation| match &r.through {
        Some(through) => schema
            .models
            .iter()
            .find(|j| &j.table == through)
            .is_some_and(|j| j.columns.first().map(|c| &c.name) == r.foreign_key.first()),
        None => true,
    };
    let relations: Vec<&Relation> = m.relations.iter().filter(declared).collect();
    if !relations.is_empty() {
        out.push_str("    relations:\n");
        for r in relations {
            let kind = match r.kind {
                RelationKind::OneToMany => "one_to_many",
                RelationKind::OneToOne => "one_to_one",
                RelationKind::ManyToOne => "many_to_one",
                RelationKind::ManyToMany => "many_to_many",
            };
            let mut parts = vec![format!("{kind}: {}", key(&r.target))];
            if let Some(through) = &r.through {
                parts.push(format!("through: {}", scalar(through)));
            } else {
                parts.push(format!(
                    "foreign_key: {}",
                    match r.foreign_key.as_slice() {
                        [one] => scalar(one),
                        many => format!("[{}]", list(many)),
                    }
                ));
            }
            match (&r.back_populates, &r.through) {
                (Some(back), Some(_)) => parts.push(format!("backref: {}", scalar(back))),
                (Some(back), None) => parts.push(format!("back_populates: {}", scalar(back))),
                (None, _) => {}
            }
            let _ = writeln!(out, "      {}: {{{}}}", key(&r.name), parts.join(", "));
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

/// Whether `i` is what the `index` flag (with `unique`, `unique index`) of one of the
/// `own` fields makes: one column, the default name, no condition; and the field has no
/// UNIQUE constraint, which the flags could not say beside it.
fn flagged_index(m: &Model, i: &Index, own: &[Column]) -> bool {
    let [key] = i.columns.as_slice() else {
        return false;
    };
    let Some(column) = key.column() else {
        return false;
    };
    own.iter().any(|c| c.name == column)
        && !i.live_only
        && i.predicate.is_none()
        && i.name == modelgen_ir::index_name(&m.table, &i.columns)
        && !m.uniques.iter().any(|u| flagged_unique(m, u) && u.columns[0] == column)
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
    let own = std::slice::from_ref(c);
    if let Some(i) = m.indexes.iter().find(|i| flagged_index(m, i, own)) {
        short.push_str(if i.unique { " unique index" } else { " index" });
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
