//! Builds the IR of a checked struct, by the same rules as the YAML front end: columns in
//! field order, `unique`+`index` as one unique index `ix_<table>_<column>`, `unique` alone
//! as a UNIQUE constraint, autoincrement "auto" for a lone integer primary key, `repr`
//! defaulting to the primary key.
//!
//! Runs only after `valid` found nothing wrong, so it reports nothing itself; what cannot
//! be built (a field whose type was rejected) is left out rather than guessed.

use crate::ast::{Field, Input};
use crate::attr::{FieldAttrs, Literal, OnUpdateAttr, Uniqueness};
use crate::{Lowered, RelationTarget, ReprField, ReprStyle};
use heck::ToSnakeCase;
use modelgen_ir as ir;
use modelgen_ir::{
    builtin_mixin, column_keys, Column, DefaultValue, ForeignKey, Index, LogicalType, Model, ModelKind, OnUpdate,
    Relation, RelationKind, Unique,
};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

pub fn lower(input: &Input) -> Lowered {
    let table = table_name(input);
    let builtin_columns: Vec<Column> = input
        .attrs
        .mixins
        .iter()
        .filter_map(|m| builtin_mixin(&m.to_string()))
        .flat_map(|m| m.columns)
        .collect();
    let mut columns = Vec::new();
    let mut column_spans = Vec::new();
    let mut mixins: Vec<String> = Vec::new();
    for field in &input.fields {
        let column = match builtin_columns.iter().find(|c| c.name == field.column) {
            Some(c) => c.clone(),
            None => match own_column(field) {
                Some(c) => c,
                None => continue,
            },
        };
        if let Some(m) = &column.mixin {
            if !mixins.contains(m) {
                mixins.push(m.clone());
            }
        }
        columns.push(column);
        column_spans.push(field.ty.span());
    }
    let primary_key: Vec<String> = match &input.attrs.primary_key {
        Some(listed) => listed.value.iter().map(|i| i.unraw().to_string()).collect(),
        None => columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect(),
    };
    for column in &mut columns {
        let Some(field) = input.field(&column.name) else {
            continue;
        };
        column.autoincrement = match &field.attrs.autoincrement {
            Some(explicit) => explicit.value,
            None => auto_increments(input, field, primary_key.len()),
        };
        if column.autoincrement {
            column.generator = field
                .attrs
                .generator
                .as_ref()
                .map(|g| g.value.clone())
                .unwrap_or_default();
        }
    }
    let soft_delete = input
        .attrs
        .mixins
        .iter()
        .find_map(|m| builtin_mixin(&m.to_string()).and_then(|m| m.soft_delete.map(str::to_owned)))
        .or_else(|| input.attrs.soft_delete.as_ref().map(|s| s.value.clone()));
    let kind = match input.attrs.join.as_ref().is_some_and(|j| j.value) {
        true => ModelKind::Join,
        false => ModelKind::Entity,
    };
    let (indexes, uniques) = indexes(input, &table);
    let repr = match (&input.attrs.repr, kind) {
        (Some(r), _) => r.value.iter().map(|i| i.unraw().to_string()).collect(),
        // A join table has no repr, as the join tables the YAML front end makes.
        (None, ModelKind::Join) => Vec::new(),
        (None, ModelKind::Entity) => primary_key.clone(),
    };
    let (foreign_keys, foreign_key_spans) = foreign_keys(input);
    let relations: Vec<Relation> = input.attrs.relations.iter().filter_map(relation).collect();
    let model = Model {
        name: input.ident.unraw().to_string(),
        table,
        kind,
        doc: input.attrs.doc.clone(),
        comment: input.attrs.comment.as_ref().map(|c| c.value.clone()),
        mixins,
        columns,
        primary_key_name: input.attrs.primary_key_name.as_ref().map(|n| n.value.clone()),
        primary_key,
        uniques,
        indexes,
        foreign_keys,
        relations,
        repr,
        soft_delete,
        renamed_from: None,
        checks: crate::checks::lower_checks(input),
        naming: None,
    };
    Lowered {
        ident: input.ident.clone(),
        relations: relation_targets(input),
        repr: input.attrs.repr.as_ref().map(|r| repr_fields(input, &r.value)),
        debug: input.attrs.debug.as_ref().is_none_or(|d| d.value),
        soft_delete: model
            .soft_delete
            .as_ref()
            .and_then(|c| input.field(c))
            .map(|f| f.ident.clone()),
        foreign_key_spans,
        column_spans,
        model,
    }
}

pub fn table_name(input: &Input) -> String {
    match &input.attrs.table {
        Some(t) => t.value.clone(),
        None => input.ident.unraw().to_string().to_snake_case(),
    }
}

/// The name SQLAlchemy gives an index: `ix_<table>_<c1>_<c2>`.
pub fn index_name(table: &str, columns: &[String]) -> String {
    modelgen_ir::index_name(table, &column_keys(columns.to_vec()))
}

/// The name of the unique index a `unique(..., live)` becomes: `uq_<table>_<c1>_<c2>`.
pub fn live_unique_name(table: &str, columns: &[String]) -> String {
    format!("uq_{table}_{}", columns.join("_"))
}

fn own_column(field: &Field) -> Option<Column> {
    let ty = field.logical.clone()?;
    let a = &field.attrs;
    let default_of =
        |lit: &Option<crate::attr::Spanned<Literal>>| lit.as_ref().and_then(|l| default_value(&ty, &l.value).ok());
    let server_default_of = |lit: &Option<crate::attr::Spanned<Literal>>| {
        lit.as_ref().and_then(|l| server_default_value(&ty, &l.value).ok())
    };
    Some(Column {
        name: field.column.clone(),
        nullable: field.nullable(),
        primary_key: FieldAttrs::is_set(&a.primary_key),
        autoincrement: false,
        generator: modelgen_ir::Generator::Identity,
        default: default_of(&a.default),
        server_default: match &a.server_default_sql {
            Some(sql) => Some(DefaultValue::Sql(sql.value.clone())),
            None => server_default_of(&a.server_default),
        },
        on_update: match a.on_update.as_ref().map(|o| o.value) {
            Some(OnUpdateAttr::Now) => Some(OnUpdate::Now),
            _ => None,
        },
        app_on_update: a.app_on_update.as_ref().map(|_| OnUpdate::Now),
        secret: FieldAttrs::is_set(&a.secret),
        doc: a.doc.clone(),
        comment: a.comment.as_ref().map(|c| c.value.clone()),
        mixin: a.mixin.as_ref().map(|m| m.value.clone()),
        renamed_from: None,
        rust_type: field.rust_type(),
        check_name: field.attrs.check_name.as_ref().map(|n| n.value.clone()),
        ty,
    })
}

/// SQLAlchemy's `autoincrement="auto"`: on for a lone int or bigint primary key that is
/// not also a foreign key. `primary_keys` counts the model's key columns.
pub fn auto_increments(input: &Input, field: &Field, primary_keys: usize) -> bool {
    FieldAttrs::is_set(&field.attrs.primary_key)
        && primary_keys == 1
        && matches!(field.logical, Some(LogicalType::Int | LogicalType::BigInt))
        && field.attrs.foreign_key.is_none()
        && !input
            .attrs
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.iter().any(|c| c.unraw() == field.column))
}

/// Field-level indexes and uniques first, in field order, then `index(...)`, then
/// `unique(...)`, as the YAML front end orders them.
fn indexes(input: &Input, table: &str) -> (Vec<Index>, Vec<Unique>) {
    let mut indexes = Vec::new();
    let mut uniques = Vec::new();
    for field in &input.fields {
        let columns = vec![field.column.clone()];
        let unique = field.attrs.unique.as_ref().map_or(Uniqueness::No, |u| u.value);
        let index = FieldAttrs::is_set(&field.attrs.index);
        let name = index_name(table, &columns);
        match (unique, index) {
            (Uniqueness::No, false) => {}
            (Uniqueness::Yes, false) => uniques.push(Unique { name: None, columns }),
            (Uniqueness::No | Uniqueness::Yes, true) | (Uniqueness::Live, _) => indexes.push(Index {
                name,
                columns: column_keys(columns),
                unique: unique != Uniqueness::No,
                live_only: unique == Uniqueness::Live,
                predicate: None,
            }),
        }
    }
    for index in &input.attrs.indexes {
        let (columns, predicate) = crate::checks::lower_index_keys(input, index);
        indexes.push(Index {
            name: match &index.name {
                Some(n) => n.value.clone(),
                None => modelgen_ir::index_name(table, &columns),
            },
            columns,
            unique: index.unique,
            live_only: index.live.is_some(),
            predicate,
        });
    }
    for unique in &input.attrs.uniques {
        let columns: Vec<String> = unique.columns.iter().map(|c| c.unraw().to_string()).collect();
        let name = unique.name.as_ref().map(|n| n.value.clone());
        if unique.live.is_some() {
            indexes.push(Index {
                name: name.unwrap_or_else(|| live_unique_name(table, &columns)),
                columns: column_keys(columns),
                unique: true,
                live_only: true,
                predicate: None,
            });
        } else {
            uniques.push(Unique { name, columns });
        }
    }
    (indexes, uniques)
}

/// Foreign keys in field order, then the struct's `foreign_key(...)` in the order written.
/// The target model is not known to one struct, so it is the table as written;
/// `schema_from_sources` resolves it to the struct that has that table.
fn foreign_keys(input: &Input) -> (Vec<ForeignKey>, Vec<proc_macro2::Span>) {
    let own = input.fields.iter().filter_map(|f| {
        let target = f.attrs.foreign_key.as_ref()?;
        let on_update = match f.attrs.on_update.as_ref().map(|o| o.value) {
            Some(OnUpdateAttr::Action(a)) => Some(a),
            _ => None,
        };
        let fk = ForeignKey {
            name: f.attrs.foreign_key_name.as_ref().map(|n| n.value.clone()),
            columns: vec![f.column.clone()],
            target_model: target.value.table.clone(),
            target_table: target.value.table.clone(),
            target_columns: vec![target.value.column.clone()],
            on_delete: f.attrs.on_delete.as_ref().map(|a| a.value),
            on_update,
        };
        Some((fk, target.span))
    });
    let declared = input.attrs.foreign_keys.iter().filter_map(|attr| {
        let target = attr.target.as_ref()?;
        let fk = ForeignKey {
            name: attr.name.as_ref().map(|n| n.value.clone()),
            columns: attr.columns.iter().map(|c| c.unraw().to_string()).collect(),
            target_model: target.value.table.clone(),
            target_table: target.value.table.clone(),
            target_columns: target.value.columns.clone(),
            on_delete: attr.on_delete.as_ref().map(|a| a.value),
            on_update: attr.on_update.as_ref().map(|a| a.value),
        };
        Some((fk, target.span))
    });
    own.chain(declared).unzip()
}

fn relation(attr: &crate::attr::RelationAttr) -> Option<Relation> {
    let (kind, target) = attr.kinds.first()?;
    Some(Relation {
        name: attr.name.as_ref()?.value.clone(),
        kind: *kind,
        target: target.value.segments.last()?.ident.unraw().to_string(),
        foreign_key: attr.foreign_key.as_ref()?.value.clone(),
        through: attr.through.as_ref().map(|t| t.value.clone()),
        target_foreign_key: match kind {
            RelationKind::ManyToMany => attr.target_foreign_key.as_ref()?.value.clone(),
            _ => Vec::new(),
        },
        back_populates: attr.back_populates.as_ref().map(|b| b.value.clone()),
        cascade: attr.cascade.clone(),
        doc: attr.doc.clone(),
    })
}

fn relation_targets(input: &Input) -> Vec<RelationTarget> {
    input
        .attrs
        .relations
        .iter()
        .filter_map(|attr| {
            relation(attr)?;
            let (_, target) = attr.kinds.first()?;
            let name = attr.name.as_ref()?;
            Some(RelationTarget {
                name: match syn::parse_str::<syn::Ident>(&name.value) {
                    Ok(_) => syn::Ident::new(&name.value, name.span),
                    // A keyword, as `attr` checked: the accessor is `fn r#match()`.
                    Err(_) => syn::Ident::new_raw(&name.value, name.span),
                },
                target: target.value.clone(),
                target_span: target.span,
                through_span: attr.through.as_ref().map(|t| t.span),
            })
        })
        .collect()
}

fn repr_fields(input: &Input, idents: &[syn::Ident]) -> Vec<ReprField> {
    idents
        .iter()
        .filter_map(|i| {
            let field = input.field(&i.unraw().to_string())?;
            let style = match (field.rust.nullable, field.rust.is_text()) {
                (false, true) => ReprStyle::Text,
                (false, false) => ReprStyle::Value,
                (true, true) => ReprStyle::OptionalText,
                (true, false) => ReprStyle::OptionalValue,
            };
            Some(ReprField {
                ident: field.ident.clone(),
                column: field.column.clone(),
                style,
            })
        })
        .collect()
}

/// A default literal checked against its column type by the rules the YAML front end
/// uses (`modelgen_ir::check_default`); `Err` says what was expected. On JSON columns the
/// attribute's string is JSON text.
pub fn default_value(ty: &LogicalType, lit: &Literal) -> Result<DefaultValue, String> {
    match (ty, lit) {
        // The enum's values are its own derive's, known when the schema is built.
        (LogicalType::Enum(e), Literal::Str(s)) if e.values.is_empty() => Ok(DefaultValue::Str(s.clone())),
        _ => ir::check_default(ty, &ir_literal(ty, lit)?),
    }
}

/// A `server_default`: as [`default_value`], but `uuid4`, and with numbers in strings on
/// numeric fields (`server_default = "0"`, SQLAlchemy's `DEFAULT '0'`).
pub fn server_default_value(ty: &LogicalType, lit: &Literal) -> Result<DefaultValue, String> {
    match (ty, lit) {
        (LogicalType::Enum(e), Literal::Str(s)) if e.values.is_empty() => Ok(DefaultValue::Str(s.clone())),
        _ => ir::check_server_default(ty, &ir_literal(ty, lit)?),
    }
}

fn ir_literal(ty: &LogicalType, lit: &Literal) -> Result<ir::Literal, String> {
    Ok(match lit {
        Literal::Bool(b) => ir::Literal::Bool(*b),
        Literal::Int(_, text) | Literal::Float(_, text) => ir::Literal::Number(text.clone()),
        Literal::Str(text) if matches!(ty, LogicalType::Json { .. }) => serde_json::from_str::<serde_json::Value>(text)
            .map(|json| json_literal(&json))
            .map_err(|_| ir::default_expected(ty))?,
        Literal::Str(s) => ir::Literal::Str(s.clone()),
    })
}

fn json_literal(value: &serde_json::Value) -> ir::Literal {
    use serde_json::Value;
    match value {
        Value::Null => ir::Literal::Null,
        Value::Bool(b) => ir::Literal::Bool(*b),
        Value::Number(n) => ir::Literal::Number(n.to_string()),
        Value::String(s) => ir::Literal::Str(s.clone()),
        Value::Array(items) => ir::Literal::List(items.iter().map(json_literal).collect()),
        Value::Object(entries) => ir::Literal::Map(entries.iter().map(|(k, v)| (k.clone(), json_literal(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(s: &str) -> LogicalType {
        s.parse().unwrap()
    }

    #[test]
    fn defaults_are_read_by_the_column_type() {
        let str_ = |s: &str| Literal::Str(s.into());
        assert_eq!(
            default_value(&shape("bool"), &Literal::Bool(true)),
            Ok(DefaultValue::Bool(true))
        );
        assert_eq!(default_value(&shape("datetime"), &str_("now")), Ok(DefaultValue::Now));
        assert_eq!(default_value(&shape("date"), &str_("now")), Ok(DefaultValue::Now));
        assert_eq!(
            default_value(&shape("list[str]"), &str_("[ ]")),
            Ok(DefaultValue::Json("[]".into()))
        );
        assert_eq!(
            default_value(&shape("map[list[int]]"), &str_(r#"{"a": [1, 2]}"#)),
            Ok(DefaultValue::Json(r#"{"a":[1,2]}"#.into()))
        );
        assert_eq!(
            default_value(&shape("decimal(10,2)"), &str_("9.99")),
            Ok(DefaultValue::Decimal("9.99".into()))
        );
        assert_eq!(
            default_value(&shape("decimal(10,2)"), &Literal::Float(9.99, "9.99".into())),
            Ok(DefaultValue::Decimal("9.99".into()))
        );
        assert_eq!(
            default_value(&shape("decimal(10,2)"), &Literal::Int(-3, "-3".into())),
            Ok(DefaultValue::Decimal("-3".into()))
        );
        assert_eq!(
            default_value(&shape("uuid"), &str_("123E4567-E89B-12D3-A456-426614174000")),
            Ok(DefaultValue::Str("123e4567-e89b-12d3-a456-426614174000".into()))
        );
        assert_eq!(
            default_value(&shape("float"), &Literal::Int(2, "2".into())),
            Ok(DefaultValue::Float(2.0))
        );
        assert_eq!(
            default_value(&shape("text"), &str_("now")),
            Ok(DefaultValue::Str("now".into()))
        );
    }

    #[test]
    fn defaults_that_do_not_fit_say_what_would() {
        assert_eq!(
            default_value(&shape("bool"), &Literal::Str("yes".into())),
            Err("`true` or `false`".into())
        );
        assert!(default_value(&shape("int"), &Literal::Int(1 << 40, String::new())).is_err());
        assert!(default_value(&shape("str(2)"), &Literal::Str("abc".into())).is_err());
        assert!(default_value(&shape("list[str]"), &Literal::Str("[1]".into())).is_err());
        assert!(default_value(&shape("json"), &Literal::Str("{oops".into())).is_err());
        assert!(default_value(&shape("datetime"), &Literal::Str("tomorrow".into())).is_err());
    }
}
