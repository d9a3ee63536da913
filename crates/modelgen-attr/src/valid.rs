//! What is wrong with a struct as a model, beyond what one attribute shows: every rule is
//! one `check_*` function with an example of what it rejects, and all of them run, so a
//! user sees every mistake in one build.

use crate::ast::{Field, Input};
use crate::attr::{FieldAttrs, IndexAttr, KeyAttr, OnUpdateAttr, Uniqueness};
use crate::errors::{did_you_mean, Errors};
use crate::lower::{self, auto_increments, index_name, live_unique_name, table_name};
use crate::ty;
use modelgen_ir::{builtin_mixin, FkAction, LogicalType, RelationKind};
use proc_macro2::Span;
use std::collections::{HashMap, HashSet};
use syn::ext::IdentExt;
use syn::Ident;

pub fn check(input: &Input, errors: &mut Errors) {
    check_primary_key(input, errors);
    for field in &input.fields {
        check_autoincrement(input, field, errors);
        check_type_options(field, errors);
        check_check_name(field, errors);
        check_rust_type(field, errors);
        check_defaults(field, errors);
        check_foreign_key_options(field, errors);
        check_user_mixin(field, errors);
    }
    check_struct_foreign_keys(input, errors);
    check_builtin_mixins(input, errors);
    check_soft_delete(input, errors);
    check_case_clashes(input, errors);
    check_repr(input, errors);
    check_live_uniqueness(input, errors);
    check_index_columns(input, errors);
    check_index_names(input, errors);
    check_relations(input, errors);
    crate::checks::check_checks(input, errors);
    crate::checks::check_index_expressions(input, errors);
    check_docs(input, errors);
}

/// Rejects doc comments holding a control or bidirectional character: the docs are
/// written into the generated Rust and Python, where such characters cut or reorder code.
fn check_docs(input: &Input, errors: &mut Errors) {
    let docs =
        std::iter::once((input.ident, &input.attrs.doc)).chain(input.fields.iter().map(|f| (f.ident, &f.attrs.doc)));
    for (ident, doc) in docs {
        if let Some(Err(why)) = doc.as_deref().map(modelgen_ir::check_text) {
            errors.at(
                ident.span(),
                format!("the doc comment of `{}` {why}; remove it", ident.unraw()),
            );
        }
    }
}

fn field_names<'a>(input: &'a Input) -> impl Iterator<Item = &'a str> + Clone {
    input.fields.iter().map(|f| f.column.as_str())
}

/// Rejects a struct without `#[model(primary_key)]`, and `id: Option<i32>` as a key.
fn check_primary_key(input: &Input, errors: &mut Errors) {
    let keys: Vec<&Field> = input
        .fields
        .iter()
        .filter(|f| FieldAttrs::is_set(&f.attrs.primary_key))
        .collect();
    // `#[model(primry_key)]` is already reported; "no primary key" would repeat it.
    let unsure = input.fields.iter().any(|f| f.attrs.incomplete);
    if keys.is_empty() && !unsure {
        errors.at(
            input.ident.span(),
            format!(
                "model `{}` has no primary key; mark a field with #[model(primary_key)]",
                input.ident
            ),
        );
    }
    for field in keys {
        if let Some(option) = field.rust.option_span {
            errors.at(
                option,
                format!(
                    "primary key `{}` cannot be `Option`: write `{}: {}`",
                    field.column,
                    field.ident,
                    ty::display(&field.rust.inner)
                ),
            );
        }
    }
}

/// Rejects `#[model(autoincrement)]` on anything but a lone i32/i64 primary key.
fn check_autoincrement(input: &Input, field: &Field, errors: &mut Errors) {
    let Some(auto) = field.attrs.autoincrement.as_ref().filter(|a| a.value) else {
        return;
    };
    let keys = input
        .fields
        .iter()
        .filter(|f| FieldAttrs::is_set(&f.attrs.primary_key))
        .count();
    if field.logical.is_some() && !auto_increments(input, field, keys) {
        errors.at(
            auto.span,
            format!(
                "`{}` cannot autoincrement: only a lone i32 or i64 primary key without a foreign key can; remove `autoincrement`",
                field.column
            ),
        );
    }
}

/// Rejects a Rust type that cannot hold its `sql_type` (`flag: bool` as `str(20)`), by
/// the rule the YAML spec's `rust_type` follows.
fn check_rust_type(field: &Field, errors: &mut Errors) {
    let (Some(rust), Some(ty)) = (field.rust_type(), &field.logical) else {
        return;
    };
    if let Err(why) = modelgen_ir::check_rust_type(ty, &rust) {
        errors.spanned(
            &field.rust.inner,
            format!("`{}` with sql_type = \"{ty}\": {why}", field.column),
        );
    }
}

/// Rejects `max_length` on `is_active: bool`, and `max_length` next to `sql_type`.
/// `String` and `Vec<u8>` take it.
fn check_type_options(field: &Field, errors: &mut Errors) {
    let Some(max) = &field.attrs.max_length else { return };
    if let Some(sql) = &field.attrs.sql_type {
        errors.at(
            max.span,
            format!(
                "`max_length` and `sql_type = \"{}\"` both set the column type; keep one",
                sql.value
            ),
        );
    } else if !field.rust.is_text() && !matches!(field.logical, Some(LogicalType::Bytes { .. })) {
        errors.at(
            max.span,
            format!(
                "`max_length` applies to `String` and `Vec<u8>` fields, and `{}` is `{}`; remove it",
                field.column,
                ty::display(field.ty)
            ),
        );
    }
}

/// Rejects `check_name` on a field whose type brings no CHECK: only `bool(check)` and an
/// enum do.
fn check_check_name(field: &Field, errors: &mut Errors) {
    let Some(named) = &field.attrs.check_name else { return };
    let brings = FieldAttrs::is_set(&field.attrs.is_enum) || field.logical == Some(LogicalType::Bool { check: true });
    if !brings {
        errors.at(
            named.span,
            format!(
                "`check_name` names the CHECK a `bool(check)` or enum field brings, and `{}` has none; remove it",
                field.column
            ),
        );
    }
}

/// Rejects `#[model(default = "yes")] is_active: bool` and other defaults that do not fit.
fn check_defaults(field: &Field, errors: &mut Errors) {
    let Some(ty) = &field.logical else { return };
    for (key, value) in [
        ("default", &field.attrs.default),
        ("server_default", &field.attrs.server_default),
    ] {
        let Some(value) = value else { continue };
        let checked = match key {
            "server_default" => lower::server_default_value(ty, &value.value),
            _ => lower::default_value(ty, &value.value),
        };
        match checked {
            // A default the application could give, which the database cannot (`uuid4`).
            Err(why) if key == "server_default" && lower::default_value(ty, &value.value).is_ok() => {
                errors.at(value.span, why)
            }
            Err(expected) => errors.at(
                value.span,
                format!("`{key}` does not fit column type `{ty}`; expected {expected}"),
            ),
            Ok(_) => {}
        }
    }
    if let (Some(sql), Some(_)) = (&field.attrs.server_default_sql, &field.attrs.server_default) {
        errors.at(
            sql.span,
            "`server_default_sql` and `server_default` both set the database's default; keep one",
        );
    }
    if let Some(app) = &field.attrs.app_on_update {
        if !matches!(ty, LogicalType::DateTime { .. } | LogicalType::Date) {
            errors.at(
                app.span,
                format!(
                    "`app_on_update = \"now\"` needs a datetime or date field, and `{}` is `{ty}`",
                    field.column
                ),
            );
        }
        if matches!(field.attrs.on_update.as_ref().map(|o| o.value), Some(OnUpdateAttr::Now)) {
            errors.at(
                app.span,
                "`app_on_update` and `on_update` both keep this field current; keep one (the application's, or the database's trigger)",
            );
        }
    }
    if let Some(on_update) = &field.attrs.on_update {
        if on_update.value == OnUpdateAttr::Now && !matches!(ty, LogicalType::DateTime { .. }) {
            errors.at(
                on_update.span,
                format!(
                    "`on_update = \"now\"` needs a datetime field, and `{}` is `{ty}`; declare it `Option<NaiveDateTime>`",
                    field.column
                ),
            );
        }
    }
}

/// Rejects `on_delete` without `foreign_key`, and `on_delete = "set_null"` on a field that
/// cannot be null.
fn check_foreign_key_options(field: &Field, errors: &mut Errors) {
    let a = &field.attrs;
    let on_update = a.on_update.as_ref().and_then(|o| match o.value {
        OnUpdateAttr::Action(action) => Some((action, o.span)),
        OnUpdateAttr::Now => None,
    });
    let on_delete = a.on_delete.as_ref().map(|o| (o.value, o.span));
    if let (Some(named), None) = (&a.foreign_key_name, &a.foreign_key) {
        errors.at(
            named.span,
            format!(
                "`foreign_key_name` names a foreign key, and `{}` has none; add `foreign_key = \"table.column\"`",
                field.column
            ),
        );
    }
    for (key, action) in [("on_delete", on_delete), ("on_update", on_update)] {
        let Some((action, span)) = action else { continue };
        if a.foreign_key.is_none() {
            errors.at(
                span,
                format!(
                    "`{key}` is a foreign-key action, and `{}` has no foreign key; add `foreign_key = \"table.column\"`",
                    field.column
                ),
            );
        } else if action == FkAction::SetNull && !field.nullable() {
            errors.at(
                span,
                format!(
                    "`{key} = \"set_null\"` on `{}`, which cannot be null; make it `Option<…>` or choose another action",
                    field.column
                ),
            );
        }
    }
}

/// Rejects `foreign_key(columns(ordr_id), …)`, a field listed twice, and
/// `on_delete = "set_null"` over a field that cannot be null.
fn check_struct_foreign_keys(input: &Input, errors: &mut Errors) {
    for fk in &input.attrs.foreign_keys {
        let mut seen = HashSet::new();
        let mut not_null = Vec::new();
        for ident in &fk.columns {
            let name = ident.unraw().to_string();
            if !seen.insert(name.clone()) {
                errors.at(ident.span(), format!("`{name}` is in the foreign key twice"));
                continue;
            }
            match input.field(&name) {
                None => unknown_field(input, ident, "foreign_key", errors),
                Some(f) if !f.nullable() => not_null.push(name),
                Some(_) => {}
            }
        }
        if not_null.is_empty() {
            continue;
        }
        for action in [&fk.on_delete, &fk.on_update].into_iter().flatten() {
            if action.value == FkAction::SetNull {
                errors.at(
                    action.span,
                    format!(
                        "`set_null` on a foreign key over `{}`, which cannot be null; make it `Option<…>` or choose another action",
                        not_null.join("`, `")
                    ),
                );
            }
        }
    }
}

/// Rejects `#[model(mixin = "timestamps")]`: built-in mixins are listed on the struct.
fn check_user_mixin(field: &Field, errors: &mut Errors) {
    let Some(mixin) = &field.attrs.mixin else { return };
    if builtin_mixin(&mixin.value).is_some() {
        errors.at(
            mixin.span,
            format!(
                "`{0}` is a built-in mixin; list it on the struct with #[model(mixins({0}))] instead",
                mixin.value
            ),
        );
    }
}

/// Rejects `mixins(timestamps)` when `created_at: NaiveDateTime` is missing or has another
/// type, and options on such a field (the mixin sets them).
fn check_builtin_mixins(input: &Input, errors: &mut Errors) {
    for ident in &input.attrs.mixins {
        let Some(mixin) = builtin_mixin(&ident.to_string()) else {
            continue;
        };
        for column in &mixin.columns {
            let want = ty::rust_spelling(&column.ty, column.nullable);
            let Some(field) = input.field(&column.name) else {
                errors.at(
                    ident.span(),
                    format!(
                        "mixin `{}` needs the field `pub {}: {want}`; add it to `{}`",
                        mixin.name, column.name, input.ident
                    ),
                );
                continue;
            };
            let fits = field.attrs.sql_type.is_none()
                && field.logical.as_ref() == Some(&column.ty)
                && field.nullable() == column.nullable;
            if !fits && field.logical.is_some() {
                errors.spanned(
                    field.ty,
                    format!(
                        "`{}` comes from mixin `{}` and must be `{want}`, not `{}`",
                        column.name,
                        mixin.name,
                        ty::display(field.ty)
                    ),
                );
            }
            for attr in &field.attrs.attrs {
                errors.spanned(
                    attr,
                    format!(
                        "`{}` comes from mixin `{}`, which sets its options; remove this #[model(...)]",
                        column.name, mixin.name
                    ),
                );
            }
        }
    }
}

/// Rejects `soft_delete = "gone_at"` without a field `gone_at: Option<NaiveDateTime>`, and a
/// second soft-delete column next to the `soft_delete` mixin.
fn check_soft_delete(input: &Input, errors: &mut Errors) {
    let Some(attr) = &input.attrs.soft_delete else { return };
    let from_mixin = input
        .attrs
        .mixins
        .iter()
        .find_map(|m| builtin_mixin(&m.to_string()).and_then(|m| m.soft_delete.map(|c| (m.name, c))));
    if let Some((mixin, column)) = from_mixin {
        errors.at(
            attr.span,
            format!(
                "`{}` already has the soft-delete column `{column}` from mixin `{mixin}`; remove `soft_delete = \"{}\"`",
                input.ident, attr.value
            ),
        );
        return;
    }
    match input.field(&attr.value) {
        None => errors.at(
            attr.span,
            format!(
                "`{}` has no field `{}` to mark rows deleted{}",
                input.ident,
                attr.value,
                did_you_mean(&attr.value, field_names(input))
            ),
        ),
        Some(f) if !(f.nullable() && matches!(f.logical, Some(LogicalType::DateTime { .. }))) => errors.at(
            attr.span,
            format!(
                "soft-delete field `{}` must be a nullable timestamp, not `{}`; declare `pub {}: Option<NaiveDateTime>`",
                f.column,
                ty::display(f.ty),
                f.column
            ),
        ),
        Some(_) => {}
    }
}

/// Rejects `Email` next to `email`: SQLite and MySQL compare column names without case.
/// Identical names are left to rustc, which already reports a field declared twice.
fn check_case_clashes(input: &Input, errors: &mut Errors) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for field in &input.fields {
        if let Some(first) = seen.insert(field.column.to_lowercase(), &field.column) {
            if first != field.column {
                errors.at(
                    field.ident.span(),
                    format!(
                        "duplicate column: `{first}` and `{}` differ only in case, and SQLite and MySQL treat them as one column; rename one",
                        field.column
                    ),
                );
            }
        }
    }
}

/// Rejects `repr(emial)` and `repr(hashed_password)` on a secret field.
fn check_repr(input: &Input, errors: &mut Errors) {
    let Some(repr) = &input.attrs.repr else { return };
    for ident in &repr.value {
        let name = ident.unraw().to_string();
        match input.field(&name) {
            None => unknown_field(input, ident, "repr", errors),
            Some(f) if FieldAttrs::is_set(&f.attrs.secret) => errors.at(
                ident.span(),
                format!("`{name}` is secret, so Debug and Display must not show it; remove it from `repr(...)`"),
            ),
            Some(_) => {}
        }
    }
}

fn unknown_field(input: &Input, ident: &Ident, place: &str, errors: &mut Errors) {
    let name = ident.unraw().to_string();
    errors.at(
        ident.span(),
        format!(
            "`{place}` names `{name}`, which is no field of `{}`{}",
            input.ident,
            did_you_mean(&name, field_names(input))
        ),
    );
}

fn is_soft_delete(input: &Input) -> bool {
    input.attrs.soft_delete.is_some()
        || input
            .attrs
            .mixins
            .iter()
            .any(|m| builtin_mixin(&m.to_string()).is_some_and(|m| m.soft_delete.is_some()))
}

/// Rejects `unique = "live"` and `live` indexes on a model that is not soft-deleted.
fn check_live_uniqueness(input: &Input, errors: &mut Errors) {
    if is_soft_delete(input) {
        return;
    }
    let fields = input.fields.iter().filter_map(|f| {
        f.attrs
            .unique
            .as_ref()
            .filter(|u| u.value == Uniqueness::Live)
            .map(|u| u.span)
    });
    let indexes = input.attrs.indexes.iter().filter_map(|i| i.live);
    let uniques = input.attrs.uniques.iter().filter_map(|u| u.live);
    for span in fields.chain(indexes).chain(uniques) {
        errors.at(
            span,
            format!(
                "live-only uniqueness needs a soft-delete model, and `{}` is not one; add #[model(mixins(soft_delete))] or drop `live`",
                input.ident
            ),
        );
    }
}

/// Rejects `index(columns(emial))`.
fn check_index_columns(input: &Input, errors: &mut Errors) {
    let index_fields = |i: &IndexAttr| -> Vec<Ident> {
        i.columns
            .iter()
            .filter_map(|k| match k {
                KeyAttr::Field(ident) => Some(ident.clone()),
                KeyAttr::Expr(_) => None,
            })
            .collect()
    };
    let lists = input
        .attrs
        .indexes
        .iter()
        .map(|i| (index_fields(i), "index"))
        .chain(input.attrs.uniques.iter().map(|u| (u.columns.clone(), "unique")));
    for (columns, place) in lists {
        for ident in &columns {
            if input.field(&ident.unraw().to_string()).is_none() {
                unknown_field(input, ident, place, errors);
            }
        }
    }
}

/// Rejects two indexes of one name, such as a field's `index` and an `index(columns(email))`
/// that both become `ix_users_email`.
fn check_index_names(input: &Input, errors: &mut Errors) {
    let table = table_name(input);
    let mut names: Vec<(String, Span)> = Vec::new();
    for f in &input.fields {
        let unique = f.attrs.unique.as_ref().filter(|u| u.value != Uniqueness::No);
        let index = f.attrs.index.as_ref().filter(|i| i.value);
        let span = match (unique, index) {
            (Some(u), _) if u.value == Uniqueness::Live => u.span,
            (_, Some(i)) => i.span,
            _ => continue,
        };
        names.push((index_name(&table, std::slice::from_ref(&f.column)), span));
    }
    let columns = |c: &[Ident]| c.iter().map(|i| i.unraw().to_string()).collect::<Vec<_>>();
    for i in &input.attrs.indexes {
        let (name, span) = match &i.name {
            Some(n) => (n.value.clone(), n.span),
            None => (
                modelgen_ir::index_name(&table, &crate::checks::lower_index_keys(input, i).0),
                i.span,
            ),
        };
        names.push((name, span));
    }
    for u in &input.attrs.uniques {
        let (name, span) = match (&u.name, u.live) {
            (Some(n), _) => (n.value.clone(), n.span),
            (None, Some(_)) => (live_unique_name(&table, &columns(&u.columns)), u.span),
            (None, None) => continue,
        };
        names.push((name, span));
    }
    // Compared without case, as PostgreSQL folds and MySQL compares index names.
    let mut seen: HashSet<String> = HashSet::new();
    for (name, span) in names {
        if !seen.insert(name.to_lowercase()) {
            errors.at(
                span,
                format!(
                    "index name `{name}` is used twice in `{}`; set `name = \"…\"` on one of them",
                    input.ident
                ),
            );
        }
    }
}

/// Rejects a relation without a name, a kind or a foreign key, with two kinds, with
/// `through` on anything but many-to-many, and names used twice.
fn check_relations(input: &Input, errors: &mut Errors) {
    let mut names: Vec<&str> = Vec::new();
    for rel in &input.attrs.relations {
        let Some(name) = &rel.name else {
            errors.at(
                rel.span,
                "a relation needs a name: write `relation(name = \"api_keys\", …)`",
            );
            continue;
        };
        let n = name.value.as_str();
        if names.contains(&n) {
            errors.at(name.span, format!("relation `{n}` is declared twice; rename one"));
        }
        names.push(n);
        if input.field(n).is_some() {
            errors.at(
                name.span,
                format!(
                    "relation `{n}` has the same name as a field of `{}`; rename the relation",
                    input.ident
                ),
            );
        }
        let kinds = ["one_to_many", "one_to_one", "many_to_one", "many_to_many"];
        let Some((kind, _)) = rel.kinds.first() else {
            errors.at(
                rel.span,
                format!(
                    "relation `{n}` needs its kind and target: one_to_many = \"…\", one_to_one = \"…\", many_to_one = \"…\" or many_to_many = \"…\""
                ),
            );
            continue;
        };
        for (_, extra) in &rel.kinds[1..] {
            errors.at(
                extra.span,
                format!(
                    "relation `{n}` has more than one kind; keep one of {}",
                    kinds.join(", ")
                ),
            );
        }
        let model = input.ident;
        match &rel.foreign_key {
            None => {
                let which = match kind {
                    RelationKind::ManyToOne => format!("the field of `{model}` that points at the target"),
                    RelationKind::OneToMany | RelationKind::OneToOne => {
                        format!("the target's field that points at `{model}`")
                    }
                    RelationKind::ManyToMany => format!("the join table's column that points at `{model}`"),
                };
                errors.at(rel.span, format!("relation `{n}` needs `foreign_key = \"…\"`: {which}"));
            }
            Some(fk) if *kind == RelationKind::ManyToOne => {
                for column in &fk.value {
                    if input.field(column).is_none() {
                        errors.at(
                            fk.span,
                            format!(
                                "many-to-one relation `{n}` follows a field of `{model}`, and `{column}` is none{}",
                                did_you_mean(column, field_names(input))
                            ),
                        );
                    }
                }
            }
            Some(_) => {}
        }
        if *kind == RelationKind::ManyToMany {
            if rel.through.is_none() {
                errors.at(
                    rel.span,
                    format!("many-to-many relation `{n}` needs its join table: `through = \"user_roles\"`"),
                );
            }
            if rel.target_foreign_key.is_none() {
                errors.at(
                    rel.span,
                    format!(
                        "many-to-many relation `{n}` needs `target_foreign_key = \"…\"`: the join table's column that points at the target"
                    ),
                );
            }
        } else {
            let misplaced = [
                rel.through.as_ref().map(|t| ("through", t.span)),
                rel.target_foreign_key.as_ref().map(|t| ("target_foreign_key", t.span)),
            ];
            for (key, span) in misplaced.into_iter().flatten() {
                errors.at(
                    span,
                    format!("`{key}` belongs to many-to-many relations, and `{n}` is not one; remove it"),
                );
            }
        }
    }
}
