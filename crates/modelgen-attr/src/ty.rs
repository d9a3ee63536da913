//! Rust field types → logical column types, by the last segment of the type's path; the
//! mapping is the table in the crate docs, which the tests below follow row by row.

use modelgen_ir::{JsonShape, LogicalType};
use proc_macro2::Span;
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// What the derive reads from a field's Rust type.
#[derive(Clone)]
pub struct RustType {
    /// `Option<T>`: the column is nullable.
    pub nullable: bool,
    /// The `Option` token, for errors that point at it.
    pub option_span: Option<Span>,
    /// The type inside `Option`, or the whole type.
    pub inner: Type,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `String`: `str(n)` with `max_length`, else `text`.
    String,
    /// A type with a fixed mapping.
    Mapped(LogicalType),
    /// A type with several sensible mappings, so `sql_type` must choose one.
    NeedsSqlType { example: &'static str },
    /// No mapping; `sql_type` may still give one.
    Unsupported,
}

impl RustType {
    pub fn from_syn(ty: &Type) -> RustType {
        if let Some((option, inner)) = generic_arg(ty, "Option") {
            return RustType {
                nullable: true,
                option_span: Some(option),
                kind: kind(inner),
                inner: inner.clone(),
            };
        }
        RustType {
            nullable: false,
            option_span: None,
            kind: kind(ty),
            inner: ty.clone(),
        }
    }

    /// Whether the value prints as text (unquoted) in a seed-style repr.
    pub fn is_text(&self) -> bool {
        self.kind == Kind::String
    }
}

fn kind(ty: &Type) -> Kind {
    if generic_arg(ty, "Option").is_some() {
        // `Option<Option<T>>` has no column: NULL cannot be told apart from `Some(None)`.
        return Kind::Unsupported;
    }
    let Some(name) = last_segment(ty) else {
        return Kind::Unsupported;
    };
    let ty_of = |t| Kind::Mapped(t);
    match name.as_str() {
        "i16" => ty_of(LogicalType::SmallInt),
        "i32" => ty_of(LogicalType::Int),
        "i64" => ty_of(LogicalType::BigInt),
        "f64" | "f32" => ty_of(LogicalType::Float),
        "bool" => ty_of(LogicalType::Bool { check: false }),
        "String" => Kind::String,
        "NaiveDateTime" => ty_of(LogicalType::DateTime { timezone: false }),
        // `modelgen::types::DateTimeUtc` is the one generated code uses for sqlx on SQLite
        // and MySQL.
        "DateTime" | "DateTimeUtc" => ty_of(LogicalType::DateTime { timezone: true }),
        "NaiveDate" => ty_of(LogicalType::Date),
        "NaiveTime" => ty_of(LogicalType::Time),
        "Uuid" => ty_of(LogicalType::Uuid),
        "Decimal" => Kind::NeedsSqlType {
            example: "decimal(10,2)",
        },
        // `Vec<u8>` is binary data, not a JSON list of numbers.
        "Vec" if generic_arg(ty, "Vec").is_some_and(|(_, item)| last_segment(item).as_deref() == Some("u8")) => {
            ty_of(LogicalType::Bytes { max_length: None })
        }
        _ => match json_shape(ty) {
            Some(shape) => ty_of(LogicalType::Json { shape }),
            None => Kind::Unsupported,
        },
    }
}

/// What a JSON column of this Rust type holds, if it can be one.
fn json_shape(ty: &Type) -> Option<JsonShape> {
    if let Some((_, item)) = generic_arg(ty, "Vec") {
        return Some(JsonShape::List(Box::new(item_shape(item)?)));
    }
    if let Some((key, value)) = map_args(ty) {
        if last_segment(key).as_deref() != Some("String") {
            return None;
        }
        return Some(JsonShape::Map(Box::new(item_shape(value)?)));
    }
    match last_segment(ty)?.as_str() {
        "Value" => Some(JsonShape::Any),
        _ => None,
    }
}

fn item_shape(ty: &Type) -> Option<JsonShape> {
    match last_segment(ty)?.as_str() {
        "String" => Some(JsonShape::Str),
        "i32" => Some(JsonShape::Int),
        "i64" => Some(JsonShape::BigInt),
        "f64" | "f32" => Some(JsonShape::Float),
        "bool" => Some(JsonShape::Bool),
        _ => json_shape(ty),
    }
}

fn path_of(ty: &Type) -> Option<&syn::Path> {
    match ty {
        Type::Path(p) if p.qself.is_none() => Some(&p.path),
        Type::Group(g) => path_of(&g.elem),
        Type::Paren(p) => path_of(&p.elem),
        _ => None,
    }
}

fn last_segment(ty: &Type) -> Option<String> {
    path_of(ty)?.segments.last().map(|s| s.ident.to_string())
}

/// `Name<T>` → (span of `Name`, `T`).
fn generic_arg<'t>(ty: &'t Type, name: &str) -> Option<(Span, &'t Type)> {
    let segment = path_of(ty)?.segments.last()?;
    if segment.ident != name {
        return None;
    }
    match type_args(&segment.arguments).as_slice() {
        [one] => Some((segment.ident.span(), one)),
        _ => None,
    }
}

/// `HashMap<K, V>` / `BTreeMap<K, V>` → (`K`, `V`).
fn map_args(ty: &Type) -> Option<(&Type, &Type)> {
    let segment = path_of(ty)?.segments.last()?;
    if segment.ident != "HashMap" && segment.ident != "BTreeMap" {
        return None;
    }
    match type_args(&segment.arguments).as_slice() {
        // A third argument (the hasher) does not change what is stored.
        [k, v] | [k, v, _] => Some((k, v)),
        _ => None,
    }
}

fn type_args(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A type as a user would write it in a message: `Vec<u8>`, not `Vec < u8 >`.
pub fn display(ty: &Type) -> String {
    let mut out = String::new();
    for word in ty.to_token_stream().to_string().split(' ') {
        let glue = matches!(word, "<" | ">" | "::" | "," | ">>")
            || out.ends_with('<')
            || out.ends_with("::")
            || out.ends_with('&')
            || out.is_empty();
        if !glue {
            out.push(' ');
        }
        out.push_str(word);
        if word == "," {
            out.push(' ');
        }
    }
    out.replace(",  ", ", ")
}

/// The Rust type to write for a logical type, for messages that say what to write.
pub fn rust_spelling(ty: &LogicalType, nullable: bool) -> String {
    match nullable {
        true => format!("Option<{}>", ty.rust_type()),
        false => ty.rust_type(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(src: &str) -> (bool, Kind) {
        let t = RustType::from_syn(&syn::parse_str(src).unwrap());
        (t.nullable, t.kind)
    }

    fn mapped(src: &str) -> String {
        match kind_of(src) {
            (nullable, Kind::Mapped(t)) => format!("{t}{}", if nullable { "?" } else { "" }),
            other => panic!("{src}: {other:?}"),
        }
    }

    #[test]
    fn scalars_map_by_last_segment() {
        assert_eq!(mapped("i32"), "int");
        assert_eq!(mapped("i64"), "bigint");
        assert_eq!(mapped("f64"), "float");
        assert_eq!(mapped("f32"), "float");
        assert_eq!(mapped("bool"), "bool");
        assert_eq!(mapped("chrono::NaiveDateTime"), "datetime");
        assert_eq!(mapped("NaiveDateTime"), "datetime");
        assert_eq!(mapped("DateTime<Utc>"), "datetime(tz)");
        assert_eq!(mapped("chrono::DateTime<chrono::FixedOffset>"), "datetime(tz)");
        assert_eq!(mapped("NaiveDate"), "date");
        assert_eq!(mapped("chrono::NaiveTime"), "time");
        assert_eq!(mapped("i16"), "smallint");
        assert_eq!(mapped("Vec<u8>"), "bytes");
        assert_eq!(mapped("uuid::Uuid"), "uuid");
        assert_eq!(mapped("serde_json::Value"), "json");
        assert_eq!(mapped("Value"), "json");
    }

    #[test]
    fn collections_become_json_shapes() {
        assert_eq!(mapped("Vec<String>"), "list[str]");
        assert_eq!(mapped("Vec<i32>"), "list[int]");
        assert_eq!(mapped("Vec<i64>"), "list[bigint]");
        assert_eq!(mapped("Vec<f64>"), "list[float]");
        assert_eq!(mapped("Vec<bool>"), "list[bool]");
        assert_eq!(mapped("Vec<Vec<String>>"), "list[list[str]]");
        assert_eq!(mapped("HashMap<String, i32>"), "map[int]");
        assert_eq!(
            mapped("std::collections::BTreeMap<String, Vec<bool>>"),
            "map[list[bool]]"
        );
        assert_eq!(mapped("Vec<serde_json::Value>"), "list[json]");
        assert_eq!(kind_of("HashMap<i32, i32>").1, Kind::Unsupported);
        assert_eq!(
            kind_of("Vec<u8>").1,
            Kind::Mapped(LogicalType::Bytes { max_length: None })
        );
    }

    #[test]
    fn option_makes_a_column_nullable() {
        assert_eq!(mapped("Option<i32>"), "int?");
        assert_eq!(mapped("std::option::Option<Vec<String>>"), "list[str]?");
        assert_eq!(kind_of("Option<String>"), (true, Kind::String));
        assert_eq!(kind_of("Option<Option<i32>>").1, Kind::Unsupported);
    }

    #[test]
    fn strings_decimals_and_unknown_types_need_the_attributes() {
        assert_eq!(kind_of("String"), (false, Kind::String));
        assert!(matches!(kind_of("rust_decimal::Decimal").1, Kind::NeedsSqlType { .. }));
        assert_eq!(kind_of("u32").1, Kind::Unsupported);
        assert_eq!(kind_of("&'static str").1, Kind::Unsupported);
        assert_eq!(kind_of("(i32, i32)").1, Kind::Unsupported);
    }

    #[test]
    fn types_display_as_written() {
        let show = |s: &str| display(&syn::parse_str(s).unwrap());
        assert_eq!(show("Vec<u8>"), "Vec<u8>");
        assert_eq!(
            show("std::collections::HashMap<String, Foo>"),
            "std::collections::HashMap<String, Foo>"
        );
        assert_eq!(show("Option<Vec<Vec<u8>>>"), "Option<Vec<Vec<u8>>>");
        assert_eq!(show("&'static str"), "&'static str");
    }
}
