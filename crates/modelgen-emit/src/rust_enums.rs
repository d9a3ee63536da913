//! The Rust back end's view of the spec's enums: one Rust enum each, in `enums.rs`, with
//! serde and sqlx spelling every variant as its value, and `#[derive(modelgen::Enum)]`
//! so a struct's `#[model(enum)]` field carries the same type into the IR.

use modelgen_ir::config::RustOutput;
use modelgen_ir::rust_names::enum_variant;
use modelgen_ir::{Dialect, EnumType, Schema};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EnumView {
    pub name: String,
    pub derives: Vec<String>,
    /// `#[model(…)]`: the options the derive would not guess.
    pub model_attrs: Vec<String>,
    pub variants: Vec<VariantView>,
    pub serde: bool,
    /// sqlx's traits, one set per listed database (with `sqlx: true`).
    pub sqlx: Vec<SqlxView>,
}

/// How sqlx binds and reads the enum on one database: as its text, under PostgreSQL's
/// type name where the column is PostgreSQL's own enum. (sqlx's derive names MySQL's
/// ENUM with a type that MariaDB's ENUM columns do not match, hence these.)
#[derive(Debug, Clone, Serialize)]
pub struct SqlxView {
    /// `sqlx::Postgres`.
    pub db: String,
    /// `sqlx::postgres::PgTypeInfo`.
    pub type_info_ty: String,
    pub type_info: String,
    pub compatible: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantView {
    pub ident: String,
    /// The value, as a Rust string literal.
    pub value: String,
}

/// Every enum the schema's columns use, once, in the order they are first used.
pub fn views(schema: &Schema, rust: &RustOutput, dialects: &[Dialect]) -> Vec<EnumView> {
    schema.enums().into_iter().map(|e| view(e, rust, dialects)).collect()
}

fn view(e: &EnumType, rust: &RustOutput, dialects: &[Dialect]) -> EnumView {
    let mut derives: Vec<String> = ["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash", "::modelgen::Enum"]
        .map(String::from)
        .to_vec();
    if rust.serde {
        derives.extend(["serde::Serialize".into(), "serde::Deserialize".into()]);
    }
    let mut model_attrs = Vec::new();
    if e.type_name != e.name.to_lowercase() {
        model_attrs.push(format!("type_name = {}", lit(&e.type_name)));
    }
    if !e.native {
        model_attrs.push("native = false".into());
    }
    if e.check {
        model_attrs.push("check".into());
    }
    let sqlx = match rust.sqlx {
        true => dialects.iter().map(|&d| sqlx_view(e, d)).collect(),
        false => Vec::new(),
    };
    EnumView {
        name: e.name.clone(),
        derives,
        model_attrs,
        variants: e
            .values
            .iter()
            .map(|v| VariantView {
                ident: enum_variant(v),
                value: lit(v),
            })
            .collect(),
        serde: rust.serde,
        sqlx,
    }
}

fn sqlx_view(e: &EnumType, d: Dialect) -> SqlxView {
    let (db, type_info_ty) = match d {
        Dialect::Sqlite => ("sqlx::Sqlite", "sqlx::sqlite::SqliteTypeInfo"),
        Dialect::Postgres => ("sqlx::Postgres", "sqlx::postgres::PgTypeInfo"),
        Dialect::Mysql => ("sqlx::MySql", "sqlx::mysql::MySqlTypeInfo"),
    };
    let text_type = format!("<str as sqlx::Type<{db}>>::type_info()");
    let text_compatible = format!("<str as sqlx::Type<{db}>>::compatible(ty)");
    let (type_info, compatible) = match d {
        Dialect::Postgres if !e.as_varchar(d) && e.type_name.is_ascii() => (
            format!("sqlx::postgres::PgTypeInfo::with_name({})", lit(&e.type_name)),
            "*ty == <Self as sqlx::Type<sqlx::Postgres>>::type_info()".to_owned(),
        ),
        // sqlx 0.9 looks a type up by name in a string it escapes as Rust does (`\u{65e5}`),
        // which PostgreSQL refuses ("invalid Unicode escape"); PostgreSQL's own escapes
        // (`U&"\65E5…"`) pass through it. sqlx compares such a name as written, so a
        // column's type is matched by the name PostgreSQL reports (`regtype`'s text, quoted).
        Dialect::Postgres if !e.as_varchar(d) => (
            format!(
                "sqlx::postgres::PgTypeInfo::with_name({})",
                lit(&pg_unicode_escaped(&e.type_name))
            ),
            format!("sqlx::TypeInfo::name(ty).trim_matches('\"') == {}", lit(&e.type_name)),
        ),
        _ => (text_type, text_compatible),
    };
    SqlxView {
        db: db.into(),
        type_info_ty: type_info_ty.into(),
        type_info,
        compatible,
    }
}

/// A quoted identifier in PostgreSQL's Unicode-escape form: `U&"\65E5\4ED8super"`, every
/// character beyond ASCII as `\XXXX` (or `\+XXXXXX`), so the text is ASCII.
fn pg_unicode_escaped(name: &str) -> String {
    let mut out = String::from("U&\"");
    for c in name.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\"\""),
            c if c.is_ascii() => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\{:04X}", c as u32)),
            c => out.push_str(&format!("\\+{:06X}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}
