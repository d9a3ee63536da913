//! `#[model(...)]` on a field: flags, lengths, defaults, keys and types.

use super::*;
use modelgen_ir::{Dialect, Generator};
use std::collections::BTreeMap;

impl FieldAttrs {
    pub(super) fn key(&mut self, meta: ParseNestedMeta, errors: &mut Errors) -> syn::Result<()> {
        let key = key_of(&meta)?;
        let span = meta.path.span_of_key();
        match key.as_str() {
            PRIMARY_KEY => {
                let v = flag(&meta, PRIMARY_KEY)?;
                set_once(&mut self.primary_key, v, PRIMARY_KEY, span, errors);
            }
            AUTOINCREMENT => {
                let (on, generator) = autoincrement(&meta, errors)?;
                if let Some(generator) = generator {
                    set_once(&mut self.generator, generator, AUTOINCREMENT, span, errors);
                }
                set_once(&mut self.autoincrement, on, AUTOINCREMENT, span, errors);
            }
            INDEX => {
                let v = flag(&meta, INDEX)?;
                set_once(&mut self.index, v, INDEX, span, errors);
            }
            SECRET => {
                let v = flag(&meta, SECRET)?;
                set_once(&mut self.secret, v, SECRET, span, errors);
            }
            UNIQUE => {
                let v = uniqueness(&meta)?;
                set_once(&mut self.unique, v, UNIQUE, span, errors);
            }
            MAX_LENGTH => {
                let value = meta.value()?;
                let bad = |span| {
                    syn::Error::new(
                        span,
                        format!(
                            "`max_length` takes a whole number from 1 to {}: write `max_length = 255`",
                            modelgen_ir::MAX_LENGTH
                        ),
                    )
                };
                let lit: Lit = value.parse().map_err(|e| bad(e.span()))?;
                match &lit {
                    Lit::Int(i) => match i.base10_parse::<u32>() {
                        Ok(n) if (1..=modelgen_ir::MAX_LENGTH).contains(&n) => {
                            set_once(&mut self.max_length, n, MAX_LENGTH, i.span(), errors)
                        }
                        _ => errors.push(bad(i.span())),
                    },
                    other => errors.push(bad(other.span())),
                }
            }
            DEFAULT => {
                let v = literal(&meta, DEFAULT)?;
                set_once(&mut self.default, v.value, DEFAULT, v.span, errors);
            }
            SERVER_DEFAULT => {
                let v = literal(&meta, SERVER_DEFAULT)?;
                set_once(&mut self.server_default, v.value, SERVER_DEFAULT, v.span, errors);
            }
            ENUM => {
                let v = flag(&meta, ENUM)?;
                set_once(&mut self.is_enum, v, ENUM, span, errors);
            }
            SERVER_DEFAULT_SQL => {
                let by_dialect = server_default_sql(&meta, errors)?;
                set_once(
                    &mut self.server_default_sql,
                    by_dialect,
                    SERVER_DEFAULT_SQL,
                    span,
                    errors,
                );
            }
            ON_UPDATE => {
                let lit = lit_str(&meta, ON_UPDATE, "now")?;
                let value = if lit.value().trim() == "now" {
                    Some(OnUpdateAttr::Now)
                } else {
                    fk_action(&lit, ON_UPDATE, errors).map(OnUpdateAttr::Action)
                };
                if let Some(v) = value {
                    set_once(&mut self.on_update, v, ON_UPDATE, lit.span(), errors);
                }
            }
            APP_ON_UPDATE => {
                let lit = lit_str(&meta, APP_ON_UPDATE, "now")?;
                match lit.value().trim() {
                    "now" => set_once(&mut self.app_on_update, (), APP_ON_UPDATE, lit.span(), errors),
                    other => errors.at(
                        lit.span(),
                        format!("`app_on_update` takes only \"now\", not {other:?}: write `app_on_update = \"now\"`"),
                    ),
                }
            }
            CHECK_NAME => {
                let lit = lit_str(&meta, CHECK_NAME, "ck_users_active")?;
                let value = super::name(&lit, "constraint name", errors);
                set_once(&mut self.check_name, value, CHECK_NAME, lit.span(), errors);
            }
            FOREIGN_KEY_NAME => {
                let lit = lit_str(&meta, FOREIGN_KEY_NAME, "fk_posts_user_id")?;
                let value = super::name(&lit, "constraint name", errors);
                set_once(&mut self.foreign_key_name, value, FOREIGN_KEY_NAME, lit.span(), errors);
            }
            ON_DELETE => {
                let lit = lit_str(&meta, ON_DELETE, "cascade")?;
                if let Some(action) = fk_action(&lit, ON_DELETE, errors) {
                    set_once(&mut self.on_delete, action, ON_DELETE, lit.span(), errors);
                }
            }
            FOREIGN_KEY => {
                let lit = lit_str(&meta, FOREIGN_KEY, "users.id")?;
                let text = lit.value();
                match text.split_once('.') {
                    Some((table, column)) if !column.contains('.') => {
                        let table = table.trim().to_owned();
                        let column = column.trim().to_owned();
                        for (what, word) in [("table", &table), ("column", &column)] {
                            if let Err(why) = check_identifier(word) {
                                errors.at(
                                    lit.span(),
                                    format!(
                                        "foreign key {what} `{word}` {why}; write `foreign_key = \"table.column\"`"
                                    ),
                                );
                            }
                        }
                        set_once(
                            &mut self.foreign_key,
                            FkTarget { table, column },
                            FOREIGN_KEY,
                            lit.span(),
                            errors,
                        );
                    }
                    _ => errors.at(
                        lit.span(),
                        format!(
                            "`foreign_key = \"{text}\"` needs a table and a column: write `foreign_key = \"users.id\"`"
                        ),
                    ),
                }
            }
            COMMENT => {
                let text = comment(&meta, CommentOn::Column, errors)?;
                set_once(&mut self.comment, text.value, COMMENT, text.span, errors);
            }
            MIXIN => {
                let lit = lit_str(&meta, MIXIN, "audited")?;
                let mixin = name(&lit, "mixin name", errors);
                set_once(&mut self.mixin, mixin, MIXIN, lit.span(), errors);
            }
            SQL_TYPE => {
                let lit = lit_str(&meta, SQL_TYPE, "decimal(10,2)")?;
                let text = lit.value();
                match LogicalType::from_str(text.trim()) {
                    Ok(ty) => set_once(&mut self.sql_type, ty, SQL_TYPE, lit.span(), errors),
                    Err(e) => {
                        let help = match (&e.help, e.unknown) {
                            (Some(h), _) => format!("; {h}"),
                            (None, true) => did_you_mean_or_list(
                                &e.word,
                                [
                                    "str(n)",
                                    "text",
                                    "int",
                                    "bigint",
                                    "float",
                                    "decimal(p,s)",
                                    "bool",
                                    "datetime",
                                    "datetime(tz)",
                                    "date",
                                    "uuid",
                                    "json",
                                    "list[…]",
                                    "map[…]",
                                ],
                            ),
                            (None, false) => String::new(),
                        };
                        errors.at(lit.span(), format!("{}{help}", e.message));
                    }
                }
            }
            _ => {
                self.incomplete = true;
                unknown_key(&meta, &key, "field", FIELD_KEYS, errors)?;
            }
        }
        Ok(())
    }
}

/// `unique`, `unique = true/false` or `unique = "live"`.
fn uniqueness(meta: &ParseNestedMeta) -> syn::Result<Uniqueness> {
    if !meta.input.peek(Token![=]) {
        return Ok(Uniqueness::Yes);
    }
    let bad = |span| {
        syn::Error::new(
            span,
            "`unique` takes `true`, `false` or `\"live\"` (unique among rows not soft-deleted)",
        )
    };
    match meta.value()?.parse::<Lit>() {
        Ok(Lit::Bool(b)) if b.value => Ok(Uniqueness::Yes),
        Ok(Lit::Bool(_)) => Ok(Uniqueness::No),
        Ok(Lit::Str(s)) if s.value() == "live" => Ok(Uniqueness::Live),
        Ok(other) => Err(bad(other.span())),
        Err(e) => Err(bad(e.span())),
    }
}

/// A default: `true`, `42`, `-1`, `1.5` or `"text"`.
fn literal(meta: &ParseNestedMeta, key: &str) -> syn::Result<Spanned<Literal>> {
    let expr: Expr = meta.value()?.parse()?;
    let bad = |span| {
        syn::Error::new(
            span,
            format!("`{key}` takes a literal: `true`, `42`, `1.5` or a string such as `\"now\"` or `\"[]\"`"),
        )
    };
    let (negative, lit) = match &expr {
        Expr::Lit(l) => (false, &l.lit),
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(l) => (true, &l.lit),
            other => return Err(bad(syn::spanned::Spanned::span(other))),
        },
        other => return Err(bad(syn::spanned::Spanned::span(other))),
    };
    let sign = if negative { "-" } else { "" };
    let value = match lit {
        Lit::Bool(b) if !negative => Literal::Bool(b.value),
        Lit::Str(s) if !negative => Literal::Str(s.value()),
        Lit::Int(i) => {
            let text = format!("{sign}{}", i.base10_digits());
            match text.parse::<i64>() {
                Ok(n) => Literal::Int(n, text),
                Err(_) => return Err(syn::Error::new(i.span(), format!("`{text}` does not fit in 64 bits"))),
            }
        }
        Lit::Float(f) => {
            let text = format!("{sign}{}", f.base10_digits());
            match text.parse::<f64>() {
                Ok(n) if n.is_finite() => Literal::Float(n, text),
                _ => return Err(syn::Error::new(f.span(), format!("`{text}` is not a finite number"))),
            }
        }
        other => return Err(bad(other.span())),
    };
    Ok(Spanned::new(value, syn::spanned::Spanned::span(&expr)))
}

pub(super) fn fk_action(lit: &LitStr, key: &str, errors: &mut Errors) -> Option<FkAction> {
    let text = lit.value();
    let normal = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let found = FkAction::ALL.iter().find(|(name, _)| *name == normal).map(|(_, a)| *a);
    if found.is_none() {
        let names = FkAction::ALL.map(|(name, _)| name);
        let extra = if key == ON_UPDATE {
            ", or `now` for a timestamp kept current"
        } else {
            ""
        };
        errors.at(
            lit.span(),
            format!(
                "unknown foreign-key action `{text}`{}{extra}",
                did_you_mean_or_list(&normal, names)
            ),
        );
    }
    found
}

/// `server_default_sql = "gen_random_uuid()"` for every database, or
/// `server_default_sql(postgres = "gen_random_uuid()", sqlite = "…")`; each text must be
/// one SQL expression (`modelgen_ir::check_sql_expression`).
fn server_default_sql(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<BTreeMap<Dialect, String>> {
    let mut texts = Vec::new();
    if meta.input.peek(Token![=]) {
        let lit = lit_str(meta, SERVER_DEFAULT_SQL, "gen_random_uuid()")?;
        let text = lit.value();
        if let Err(why) = modelgen_ir::check_sql_expression(&text) {
            errors.at(
                lit.span(),
                format!("`{text}` is not one SQL expression: expected {why}"),
            );
            return Ok(BTreeMap::new());
        }
        return Ok(Dialect::ALL.into_iter().map(|d| (d, text.clone())).collect());
    } else {
        meta.parse_nested_meta(|inner| {
            let key = key_of(&inner)?;
            let Some(d) = Dialect::from_name(&key) else {
                return Err(inner.error(format!(
                    "`server_default_sql(...)` takes `sqlite`, `postgres` and `mysql`, not `{key}`"
                )));
            };
            let lit = lit_str(&inner, &key, "…")?;
            if texts.iter().any(|(seen, _)| *seen == d) {
                errors.at(lit.span(), format!("`{key}` is given twice; keep one"));
            }
            texts.push((d, lit));
            Ok(())
        })?;
        if texts.is_empty() {
            return Err(meta.error(
                "`server_default_sql(...)` needs SQL for at least one database: write `server_default_sql(postgres = \"gen_random_uuid()\")`",
            ));
        }
    }
    let mut out = BTreeMap::new();
    for (d, lit) in texts {
        let text = lit.value();
        match modelgen_ir::check_sql_expression(&text) {
            Ok(()) => {
                out.insert(d, text);
            }
            Err(why) => errors.at(
                lit.span(),
                format!("`{text}` is not one SQL expression: expected {why}"),
            ),
        }
    }
    Ok(out)
}

/// `autoincrement`, `autoincrement = false`, or on and generated on PostgreSQL as said:
/// `autoincrement = "serial"` (or `"identity"`), `autoincrement(sequence = "x_id_seq")`,
/// the spec's `autoincrement: serial` and `autoincrement: {sequence: x_id_seq}`.
fn autoincrement(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<(bool, Option<Generator>)> {
    const HOW: &str =
        "write `autoincrement`, `autoincrement = false`, `autoincrement = \"serial\"` or `autoincrement(sequence = \"x_id_seq\")`";
    if meta.input.peek(syn::token::Paren) {
        let mut name = None;
        meta.parse_nested_meta(|inner| {
            if !inner.path.is_ident(SEQUENCE) {
                return Err(inner.error(format!("unknown key in `autoincrement(...)`; {HOW}")));
            }
            let lit = lit_str(&inner, SEQUENCE, "x_id_seq")?;
            match modelgen_ir::check_sequence_name(&lit.value()) {
                Ok(()) => name = Some(lit.value()),
                Err(why) => errors.at(lit.span(), format!("sequence name `{}` {why}", lit.value())),
            }
            Ok(())
        })?;
        return Ok((true, name.map(Generator::Sequence)));
    }
    if !meta.input.peek(Token![=]) {
        return Ok((true, None));
    }
    match meta.value()?.parse::<Lit>() {
        Ok(Lit::Bool(b)) => Ok((b.value, None)),
        Ok(Lit::Str(s)) if s.value() == "serial" => Ok((true, Some(Generator::Serial))),
        Ok(Lit::Str(s)) if s.value() == "identity" => Ok((true, Some(Generator::Identity))),
        Ok(other) => Err(syn::Error::new(other.span(), format!("unknown `autoincrement`; {HOW}"))),
        Err(e) => Err(syn::Error::new(e.span(), format!("unknown `autoincrement`; {HOW}"))),
    }
}
