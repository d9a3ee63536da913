//! What `#[model(...)]` and doc comments say, on the struct and on each field.
//!
//! Only what can be judged from the attribute alone is checked here: key names, value
//! shapes, foreign-key actions, type spellings, names. Anything that needs the fields
//! (does `repr(emial)` name a field? does a default fit the type?) is `valid`'s job.

use crate::errors::{check_identifier, did_you_mean_or_list, suggest, Errors};
use crate::symbol::*;
use modelgen_ir::{builtin_mixins, check_comment, CommentOn, FkAction, LogicalType, RelationKind};
use proc_macro2::Span;
use std::str::FromStr;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, Expr, Ident, Lit, LitStr, Token, UnOp};

mod check;
mod field;
mod foreign_key;

pub use foreign_key::ForeignKeyAttr;

pub use check::CheckAttr;

/// A value and where it was written.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// `#[model(...)]` on the struct.
#[derive(Default)]
pub struct ModelAttrs {
    pub table: Option<Spanned<String>>,
    /// Built-in mixins, as listed.
    pub mixins: Vec<Ident>,
    /// `repr(a, b)`: the columns Debug and Display show; `span` is the `repr` key.
    pub repr: Option<Spanned<Vec<Ident>>>,
    /// `primary_key(b, a)`: the key's fields in the key's own order.
    pub primary_key: Option<Spanned<Vec<Ident>>>,
    /// `primary_key_name = "pk_users"`: the key constraint's name.
    pub primary_key_name: Option<Spanned<String>>,
    /// `debug = false`: `repr` implements Display only, for a struct that derives Debug.
    pub debug: Option<Spanned<bool>>,
    pub join: Option<Spanned<bool>>,
    pub soft_delete: Option<Spanned<String>>,
    pub indexes: Vec<IndexAttr>,
    pub uniques: Vec<UniqueAttr>,
    pub relations: Vec<RelationAttr>,
    /// CHECK constraints, in the order written.
    pub checks: Vec<CheckAttr>,
    /// Foreign keys over several fields, in the order written.
    pub foreign_keys: Vec<ForeignKeyAttr>,
    pub doc: Option<String>,
    /// `comment = "…"`: the table's comment in the database.
    pub comment: Option<Spanned<String>>,
}

/// `index(name = "…", columns(a, "lower(b)"), unique, live, where = "…")`.
pub struct IndexAttr {
    /// The `index` key.
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub columns: Vec<KeyAttr>,
    pub unique: bool,
    pub live: Option<Span>,
    /// `where = "…"`: a condition in the check language.
    pub predicate: Option<Spanned<String>>,
}

/// One entry of an index's `columns(...)`: a field, or an expression in a string.
pub enum KeyAttr {
    Field(Ident),
    Expr(Spanned<String>),
}

/// `unique(columns(a, b), name = "…", live)`.
pub struct UniqueAttr {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub columns: Vec<Ident>,
    pub live: Option<Span>,
}

/// `relation(name = "…", one_to_many = "Target", foreign_key = "…", …)`.
pub struct RelationAttr {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    /// Every kind key given, so `valid` can say when there is none or more than one.
    pub kinds: Vec<(RelationKind, Spanned<syn::Path>)>,
    pub foreign_key: Option<Spanned<Vec<String>>>,
    pub through: Option<Spanned<String>>,
    pub target_foreign_key: Option<Spanned<Vec<String>>>,
    pub back_populates: Option<Spanned<String>>,
    pub cascade: Vec<String>,
    pub doc: Option<String>,
}

/// Whether a field is unique, and among which rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    No,
    Yes,
    /// Unique among rows that are not soft-deleted: `unique = "live"`.
    Live,
}

/// `on_update` on a field: `"now"` keeps a timestamp current; a foreign-key action applies
/// to the field's foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnUpdateAttr {
    Now,
    Action(FkAction),
}

/// A literal written as a default, before it is checked against the column type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    /// With its digits as written, so a decimal default keeps them.
    Int(i64, String),
    Float(f64, String),
    Str(String),
}

/// `foreign_key = "table.column"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FkTarget {
    pub table: String,
    pub column: String,
}

/// `#[model(...)]` on a field.
#[derive(Default)]
pub struct FieldAttrs {
    /// Every `#[model]` attribute of the field, for errors that say "remove this".
    pub attrs: Vec<Attribute>,
    pub primary_key: Option<Spanned<bool>>,
    pub autoincrement: Option<Spanned<bool>>,
    /// How PostgreSQL generates the key, when `autoincrement` says (`= "serial"`,
    /// `(sequence = "…")`); identity otherwise.
    pub generator: Option<Spanned<modelgen_ir::Generator>>,
    pub max_length: Option<Spanned<u32>>,
    pub unique: Option<Spanned<Uniqueness>>,
    pub index: Option<Spanned<bool>>,
    pub secret: Option<Spanned<bool>>,
    pub default: Option<Spanned<Literal>>,
    pub server_default: Option<Spanned<Literal>>,
    /// `server_default_sql = "…"` (every database) or `server_default_sql(postgres = "…", …)`.
    pub server_default_sql: Option<Spanned<std::collections::BTreeMap<modelgen_ir::Dialect, String>>>,
    pub on_update: Option<Spanned<OnUpdateAttr>>,
    /// `app_on_update = "now"`: the application sets the field on every update.
    pub app_on_update: Option<Spanned<()>>,
    pub foreign_key: Option<Spanned<FkTarget>>,
    /// `check_name = "ck_users_active"`: the name of the CHECK the field's type brings.
    pub check_name: Option<Spanned<String>>,
    /// `foreign_key_name = "fk_posts_user"`: the foreign key constraint's name.
    pub foreign_key_name: Option<Spanned<String>>,
    pub on_delete: Option<Spanned<FkAction>>,
    pub mixin: Option<Spanned<String>>,
    pub sql_type: Option<Spanned<LogicalType>>,
    /// `enum`: the field's type is a `#[derive(modelgen::Enum)]` enum.
    pub is_enum: Option<Spanned<bool>>,
    pub doc: Option<String>,
    /// `comment = "…"`: the column's comment in the database.
    pub comment: Option<Spanned<String>>,
    /// A key could not be read (reported), so what the field is remains unsure: checks
    /// that would only guess, such as "no primary key", stay quiet.
    pub incomplete: bool,
}

impl FieldAttrs {
    pub fn is_set(field: &Option<Spanned<bool>>) -> bool {
        field.as_ref().is_some_and(|f| f.value)
    }
}

pub fn model_attrs(attrs: &[Attribute], errors: &mut Errors) -> ModelAttrs {
    let mut out = ModelAttrs {
        doc: doc(attrs),
        ..ModelAttrs::default()
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident(MODEL)) {
        let result = attr.parse_nested_meta(|meta| out.key(meta, errors));
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
}

pub fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs {
        doc: doc(attrs),
        ..FieldAttrs::default()
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident(MODEL)) {
        out.attrs.push(attr.clone());
        let result = attr.parse_nested_meta(|meta| out.key(meta, errors));
        if let Err(e) = result {
            out.incomplete = true;
            errors.push(e);
        }
    }
    out
}

/// Doc comments as one text: each line loses the space `///` puts after itself and any
/// trailing blanks, so a doc written back out as `/// {line}` reads the same; leading and
/// trailing empty lines are dropped.
pub fn doc(attrs: &[Attribute]) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let syn::Meta::NameValue(nv) = &attr.meta else { continue };
        let Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) = &nv.value else {
            continue;
        };
        // `split`, not `lines`: an empty `///` is a paragraph break and must stay a line.
        for line in s.value().split('\n') {
            let line = line.strip_prefix(' ').unwrap_or(line).trim_end();
            lines.push(line.to_owned());
        }
    }
    let text = lines.join("\n");
    let text = text.trim_matches('\n');
    (!text.trim().is_empty()).then(|| text.to_owned())
}

/// The key of a nested meta, or an error if it is a path (`a::b`).
fn key_of(meta: &ParseNestedMeta) -> syn::Result<String> {
    match meta.path.get_ident() {
        Some(ident) => Ok(ident.unraw().to_string()),
        None => Err(meta.error("expected a key such as `table`, not a path")),
    }
}

/// Skips what follows an unknown key (`= value` or `(...)`), so parsing can go on and
/// find the next mistake.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

fn unknown_key(meta: &ParseNestedMeta, key: &str, place: &str, known: &[&str], errors: &mut Errors) -> syn::Result<()> {
    let moved = match place {
        "field" if MODEL_KEYS.contains(&key) => Some("the struct"),
        "model" if FIELD_KEYS.contains(&key) => Some("a field"),
        _ => None,
    };
    let message = match moved {
        Some(home) => format!("`{key}` is not a {place} attribute; put `#[model({key} …)]` on {home}"),
        None => format!(
            "unknown {place} attribute `{key}`{}",
            did_you_mean_or_list(key, known.iter().copied())
        ),
    };
    errors.spanned(&meta.path, message);
    skip_value(meta.input)
}

/// Sets an attribute value once; a second one is an error at the second key.
fn set_once<T>(slot: &mut Option<Spanned<T>>, value: T, key: &str, span: Span, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(span, format!("`{key}` is given twice; keep one"));
    } else {
        *slot = Some(Spanned::new(value, span));
    }
}

fn lit_str(meta: &ParseNestedMeta, key: &str, example: &str) -> syn::Result<LitStr> {
    let value = meta.value()?;
    match value.parse::<Lit>() {
        Ok(Lit::Str(s)) => Ok(s),
        Ok(other) => Err(syn::Error::new(
            other.span(),
            format!("`{key}` takes a string: write `{key} = \"{example}\"`"),
        )),
        Err(e) => Err(syn::Error::new(
            e.span(),
            format!("`{key}` takes a string: write `{key} = \"{example}\"`"),
        )),
    }
}

/// `flag` or `flag = true/false`.
fn flag(meta: &ParseNestedMeta, key: &str) -> syn::Result<bool> {
    if !meta.input.peek(Token![=]) {
        return Ok(true);
    }
    match meta.value()?.parse::<Lit>() {
        Ok(Lit::Bool(b)) => Ok(b.value),
        Ok(other) => Err(syn::Error::new(
            other.span(),
            format!("`{key}` is a flag: write `{key}` or `{key} = false`"),
        )),
        Err(e) => Err(syn::Error::new(
            e.span(),
            format!("`{key}` is a flag: write `{key}` or `{key} = false`"),
        )),
    }
}

/// `columns(a, b)` or `repr(a, b)`: field names.
fn ident_list(meta: &ParseNestedMeta, key: &str) -> syn::Result<Vec<Ident>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|inner| match inner.path.get_ident() {
        Some(ident) if inner.input.is_empty() || inner.input.peek(Token![,]) => {
            out.push(ident.clone());
            Ok(())
        }
        _ => Err(inner.error(format!("`{key}(...)` lists field names: write `{key}(id, email)`"))),
    })?;
    Ok(out)
}

/// A name that becomes an SQL identifier (table, index, column): a checked string.
fn name(lit: &LitStr, what: &str, errors: &mut Errors) -> String {
    let value = lit.value();
    if let Err(why) = check_identifier(&value) {
        errors.at(
            lit.span(),
            format!("{what} `{value}` {why}; use letters, digits and `_`"),
        );
    }
    value
}

/// `comment = "…"`, trimmed and checked as the YAML front end does.
fn comment(meta: &ParseNestedMeta, on: CommentOn, errors: &mut Errors) -> syn::Result<Spanned<String>> {
    let lit = lit_str(meta, COMMENT, "Who placed the order.")?;
    let text = lit.value().trim().to_owned();
    if let Err((why, help)) = check_comment(&text, on) {
        errors.at(lit.span(), format!("`comment` {why}; {help}"));
    }
    Ok(Spanned::new(text, lit.span()))
}

/// `"user_id"` or `"a, b"`: column names, for relations over composite keys.
fn column_list(lit: &LitStr, errors: &mut Errors) -> Vec<String> {
    let columns: Vec<String> = lit.value().split(',').map(|c| c.trim().to_owned()).collect();
    for c in &columns {
        if let Err(why) = check_identifier(c) {
            errors.at(lit.span(), format!("column name `{c}` {why}"));
        }
    }
    columns
}

impl ModelAttrs {
    fn key(&mut self, meta: ParseNestedMeta, errors: &mut Errors) -> syn::Result<()> {
        let key = key_of(&meta)?;
        let span = meta.path.get_ident().map_or_else(Span::call_site, Ident::span);
        match key.as_str() {
            TABLE => {
                let lit = lit_str(&meta, TABLE, "users")?;
                let table = name(&lit, "table name", errors);
                set_once(&mut self.table, table, TABLE, lit.span(), errors);
            }
            COMMENT => {
                let text = comment(&meta, CommentOn::Table, errors)?;
                set_once(&mut self.comment, text.value, COMMENT, text.span, errors);
            }
            MIXINS => {
                let names = ident_list(&meta, MIXINS)?;
                let builtins = builtin_mixins();
                for ident in names {
                    let word = ident.to_string();
                    if !builtins.iter().any(|m| m.name == word) {
                        let message = match suggest(&word, builtins.iter().map(|m| m.name)) {
                            Some(known) => format!("unknown mixin `{word}`; did you mean `{known}`?"),
                            None => format!(
                                "unknown mixin `{word}`; `mixins(...)` takes the built-in mixins timestamps and soft_delete, and the fields of a mixin of your own are marked #[model(mixin = \"{word}\")]"
                            ),
                        };
                        errors.at(ident.span(), message);
                    } else if self.mixins.iter().any(|m| *m == word) {
                        errors.at(ident.span(), format!("mixin `{word}` is listed twice; keep one"));
                    } else {
                        self.mixins.push(ident);
                    }
                }
            }
            PRIMARY_KEY if !meta.input.peek(syn::token::Paren) => {
                // `primary_key` alone (or `= true`) is a field's flag.
                skip_value(meta.input)?;
                errors.at(
                    span,
                    "`primary_key` on the struct lists the key's fields in order: write `primary_key(org_id, user_id)`, or put #[model(primary_key)] on a field",
                );
            }
            PRIMARY_KEY_NAME => {
                let lit = lit_str(&meta, PRIMARY_KEY_NAME, "pk_users")?;
                let value = name(&lit, "constraint name", errors);
                set_once(&mut self.primary_key_name, value, PRIMARY_KEY_NAME, lit.span(), errors);
            }
            PRIMARY_KEY => {
                let fields = ident_list(&meta, PRIMARY_KEY)?;
                if fields.is_empty() {
                    errors.at(
                        span,
                        "`primary_key()` lists no fields: write `primary_key(tenant_id, id)`",
                    );
                }
                set_once(&mut self.primary_key, fields, PRIMARY_KEY, span, errors);
            }
            REPR => {
                let fields = ident_list(&meta, REPR)?;
                if fields.is_empty() {
                    errors.at(span, "`repr()` lists no fields: write `repr(id, email)`");
                }
                set_once(&mut self.repr, fields, REPR, span, errors);
            }
            JOIN => {
                let join = flag(&meta, JOIN)?;
                set_once(&mut self.join, join, JOIN, span, errors);
            }
            DEBUG => {
                let debug = flag(&meta, DEBUG)?;
                set_once(&mut self.debug, debug, DEBUG, span, errors);
            }
            SOFT_DELETE => {
                let lit = lit_str(&meta, SOFT_DELETE, "deleted_at")?;
                set_once(&mut self.soft_delete, lit.value(), SOFT_DELETE, lit.span(), errors);
            }
            INDEX => self.indexes.push(IndexAttr::parse(&meta, span, errors)?),
            UNIQUE => self.uniques.push(UniqueAttr::parse(&meta, span, errors)?),
            RELATION => self.relations.push(RelationAttr::parse(&meta, span, errors)?),
            CHECK => self.checks.push(CheckAttr::parse(&meta, span, errors)?),
            FOREIGN_KEY => self.foreign_keys.push(ForeignKeyAttr::parse(&meta, span, errors)?),
            _ => unknown_key(&meta, &key, "model", MODEL_KEYS, errors)?,
        }
        Ok(())
    }
}

/// `columns(a, "lower(b)")`: field names, and (where `expressions`) expression keys.
fn key_list(meta: &ParseNestedMeta, expressions: bool) -> syn::Result<Vec<KeyAttr>> {
    let mut out = Vec::new();
    let content;
    syn::parenthesized!(content in meta.input);
    while !content.is_empty() {
        if content.peek(LitStr) && expressions {
            let lit: LitStr = content.parse()?;
            out.push(KeyAttr::Expr(Spanned {
                value: lit.value(),
                span: lit.span(),
            }));
        } else if content.peek(syn::Ident::peek_any) {
            out.push(KeyAttr::Field(content.call(syn::Ident::parse_any)?));
        } else {
            let what = match expressions {
                true => "`columns(...)` lists field names and expressions: write `columns(org, \"lower(email)\")`",
                false => "`columns(...)` lists field names: write `columns(id, email)`",
            };
            return Err(content.error(what));
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok(out)
}

/// `columns(...)` inside `index(...)`/`unique(...)`, checked for being there.
fn require_columns(columns: Option<Vec<KeyAttr>>, span: Span, what: &str, errors: &mut Errors) -> Vec<KeyAttr> {
    match columns {
        Some(c) if !c.is_empty() => c,
        Some(_) => {
            errors.at(
                span,
                format!("`{what}` lists no columns: write `{what}(columns(a, b))`"),
            );
            Vec::new()
        }
        None => {
            errors.at(
                span,
                format!("`{what}` needs its columns: write `{what}(columns(a, b))`"),
            );
            Vec::new()
        }
    }
}

/// What an `index(...)` or `unique(...)` group on the struct says; `unique` is a key of
/// the first only (`allowed` says which keys the group takes).
struct KeyGroup {
    name: Option<Spanned<String>>,
    columns: Vec<KeyAttr>,
    unique: bool,
    live: Option<Span>,
    predicate: Option<Spanned<String>>,
}

impl KeyGroup {
    fn parse(
        meta: &ParseNestedMeta,
        span: Span,
        what: &str,
        allowed: &[&str],
        name_example: &str,
        errors: &mut Errors,
    ) -> syn::Result<KeyGroup> {
        if !meta.input.peek(syn::token::Paren) {
            // `index`/`unique` alone are field attributes; on the struct they need columns.
            return Err(meta.error(format!(
                "`{what}` on the struct needs its columns: write `{what}(columns(a, b))`"
            )));
        }
        let noun = if what == INDEX { "index name" } else { "constraint name" };
        let mut name_attr = None;
        let mut columns = None;
        let mut unique = None;
        let mut live = None;
        let mut predicate = None;
        meta.parse_nested_meta(|inner| {
            let key = key_of(&inner)?;
            let kspan = inner.path.span_of_key();
            match key.as_str() {
                NAME => {
                    let lit = lit_str(&inner, NAME, name_example)?;
                    let n = name(&lit, noun, errors);
                    set_once(&mut name_attr, n, NAME, lit.span(), errors);
                }
                COLUMNS => {
                    let c = key_list(&inner, allowed.contains(&WHERE))?;
                    set_once(&mut columns, c, COLUMNS, kspan, errors);
                }
                WHERE if allowed.contains(&WHERE) => {
                    let lit = lit_str(&inner, WHERE, "status = 'active'")?;
                    set_once(&mut predicate, lit.value(), WHERE, lit.span(), errors);
                }
                UNIQUE if allowed.contains(&UNIQUE) => {
                    let u = flag(&inner, UNIQUE)?;
                    set_once(&mut unique, u, UNIQUE, kspan, errors);
                }
                LIVE => {
                    let l = flag(&inner, LIVE)?;
                    set_once(&mut live, l, LIVE, kspan, errors);
                }
                _ => unknown_key(&inner, &key, what, allowed, errors)?,
            }
            Ok(())
        })?;
        let columns = columns.map(|c| c.value);
        Ok(KeyGroup {
            name: name_attr,
            columns: require_columns(columns, span, what, errors),
            unique: unique.is_some_and(|u| u.value),
            live: live.filter(|l| l.value).map(|l| l.span),
            predicate,
        })
    }
}

impl IndexAttr {
    fn parse(meta: &ParseNestedMeta, span: Span, errors: &mut Errors) -> syn::Result<IndexAttr> {
        let group = KeyGroup::parse(meta, span, INDEX, INDEX_KEYS, "ix_users_email", errors)?;
        Ok(IndexAttr {
            span,
            name: group.name,
            columns: group.columns,
            unique: group.unique,
            live: group.live,
            predicate: group.predicate,
        })
    }
}

impl UniqueAttr {
    fn parse(meta: &ParseNestedMeta, span: Span, errors: &mut Errors) -> syn::Result<UniqueAttr> {
        let group = KeyGroup::parse(meta, span, UNIQUE, UNIQUE_KEYS, "uq_users_org_email", errors)?;
        // `key_list` gives a unique's `columns(...)` fields only.
        let columns = group
            .columns
            .into_iter()
            .filter_map(|k| match k {
                KeyAttr::Field(ident) => Some(ident),
                KeyAttr::Expr(_) => None,
            })
            .collect();
        Ok(UniqueAttr {
            span,
            name: group.name,
            columns,
            live: group.live,
        })
    }
}

impl RelationAttr {
    fn parse(meta: &ParseNestedMeta, span: Span, errors: &mut Errors) -> syn::Result<RelationAttr> {
        let mut rel = RelationAttr {
            span,
            name: None,
            kinds: Vec::new(),
            foreign_key: None,
            through: None,
            target_foreign_key: None,
            back_populates: None,
            cascade: Vec::new(),
            doc: None,
        };
        let mut cascade: Option<Spanned<Vec<String>>> = None;
        let mut doc: Option<Spanned<String>> = None;
        meta.parse_nested_meta(|inner| {
            let key = key_of(&inner)?;
            let kspan = inner.path.span_of_key();
            let kind = match key.as_str() {
                ONE_TO_MANY => Some(RelationKind::OneToMany),
                ONE_TO_ONE => Some(RelationKind::OneToOne),
                MANY_TO_ONE => Some(RelationKind::ManyToOne),
                MANY_TO_MANY => Some(RelationKind::ManyToMany),
                _ => None,
            };
            if let Some(kind) = kind {
                let lit = lit_str(&inner, &key, "ApiKey")?;
                match lit.parse::<syn::Path>() {
                    Ok(path) => rel.kinds.push((kind, Spanned::new(path, lit.span()))),
                    Err(_) => errors.at(
                        lit.span(),
                        format!("`{key}` names the target model's Rust type, such as `\"ApiKey\"`"),
                    ),
                }
                return Ok(());
            }
            match key.as_str() {
                NAME => {
                    let lit = lit_str(&inner, NAME, "api_keys")?;
                    let value = lit.value();
                    // A keyword is fine: the accessor is a raw identifier (`fn r#match()`).
                    let ident = syn::parse_str::<Ident>(&value).or_else(|_| syn::parse_str::<Ident>(&format!("r#{value}")));
                    if ident.is_err() {
                        errors.at(
                            lit.span(),
                            format!("relation name `{value}` must be a Rust identifier, since it names the accessor `fn {value}()`"),
                        );
                    }
                    set_once(&mut rel.name, value, NAME, lit.span(), errors);
                }
                FOREIGN_KEY => {
                    let lit = lit_str(&inner, FOREIGN_KEY, "user_id")?;
                    let cols = column_list(&lit, errors);
                    set_once(&mut rel.foreign_key, cols, FOREIGN_KEY, lit.span(), errors);
                }
                TARGET_FOREIGN_KEY => {
                    let lit = lit_str(&inner, TARGET_FOREIGN_KEY, "role_id")?;
                    let cols = column_list(&lit, errors);
                    set_once(&mut rel.target_foreign_key, cols, TARGET_FOREIGN_KEY, lit.span(), errors);
                }
                THROUGH => {
                    let lit = lit_str(&inner, THROUGH, "user_roles")?;
                    let table = name(&lit, "join table", errors);
                    set_once(&mut rel.through, table, THROUGH, lit.span(), errors);
                }
                BACK_POPULATES => {
                    let lit = lit_str(&inner, BACK_POPULATES, "user")?;
                    set_once(&mut rel.back_populates, lit.value(), BACK_POPULATES, lit.span(), errors);
                }
                CASCADE => {
                    let lit = lit_str(&inner, CASCADE, "all, delete-orphan")?;
                    let words: Vec<String> = lit
                        .value()
                        .split(',')
                        .map(|w| w.trim().to_owned())
                        .filter(|w| !w.is_empty())
                        .collect();
                    for word in &words {
                        if !CASCADES.contains(&word.as_str()) {
                            errors.at(
                                lit.span(),
                                format!(
                                    "unknown cascade option `{word}`{}",
                                    did_you_mean_or_list(word, CASCADES.iter().copied())
                                ),
                            );
                        }
                    }
                    set_once(&mut cascade, words, CASCADE, kspan, errors);
                }
                DOC => {
                    let lit = lit_str(&inner, DOC, "The user's API keys.")?;
                    set_once(&mut doc, lit.value(), DOC, kspan, errors);
                }
                _ => unknown_key(&inner, &key, "relation", RELATION_KEYS, errors)?,
            }
            Ok(())
        })?;
        rel.cascade = cascade.map(|c| c.value).unwrap_or_default();
        rel.doc = doc.map(|d| d.value);
        Ok(rel)
    }
}

trait KeySpan {
    fn span_of_key(&self) -> Span;
}

impl KeySpan for syn::Path {
    fn span_of_key(&self) -> Span {
        self.segments.last().map_or_else(Span::call_site, |s| s.ident.span())
    }
}

#[cfg(test)]
mod tests;
