//! `check(...)` on the struct: a CHECK constraint's name, its condition in the check
//! language (`expr`) or in raw SQL (`sql`), and a doc. What needs the fields (does the
//! expression name them? is it a condition?) is `crate::checks`' job.

use super::*;
use crate::errors::did_you_mean;
use modelgen_ir::Dialect;
use std::collections::BTreeMap;

/// `check(name = "…", expr = "…")`, `check(name = "…", sql = "…")` or
/// `check(name = "…", sql(sqlite = "…", postgres = "…", mysql = "…"))`, with `doc = "…"`.
pub struct CheckAttr {
    /// The `check` key.
    pub span: Span,
    pub name: Option<Spanned<String>>,
    /// The expression as written; its span is the string's, where messages about it point.
    pub expr: Option<Spanned<String>>,
    /// Raw SQL for every dialect; the span is the `sql` key. Empty when a text was refused.
    pub sql: Option<Spanned<BTreeMap<Dialect, String>>>,
    pub doc: Option<String>,
    /// A key could not be read (reported), so "no name" or "no condition" would only
    /// repeat that error.
    pub incomplete: bool,
}

impl CheckAttr {
    pub(super) fn parse(meta: &ParseNestedMeta, span: Span, errors: &mut Errors) -> syn::Result<CheckAttr> {
        if !meta.input.peek(syn::token::Paren) {
            return Err(meta.error(
                "`check` needs a name and a condition: write `check(name = \"positive_total\", expr = \"total >= 0\")`",
            ));
        }
        let mut check = CheckAttr {
            span,
            name: None,
            expr: None,
            sql: None,
            doc: None,
            incomplete: false,
        };
        let mut doc: Option<Spanned<String>> = None;
        meta.parse_nested_meta(|inner| {
            let key = key_of(&inner)?;
            let kspan = inner.path.span_of_key();
            match key.as_str() {
                NAME => {
                    let lit = lit_str(&inner, NAME, "positive_total")?;
                    let n = name(&lit, "check name", errors);
                    set_once(&mut check.name, n, NAME, lit.span(), errors);
                }
                EXPR => {
                    let lit = lit_str(&inner, EXPR, "total >= 0")?;
                    match checked_text(&lit, EXPR, errors) {
                        Some(text) => set_once(&mut check.expr, text, EXPR, lit.span(), errors),
                        None => check.incomplete = true,
                    }
                }
                SQL => {
                    let by_dialect = sql(&inner, errors)?;
                    set_once(&mut check.sql, by_dialect, SQL, kspan, errors);
                }
                DOC => {
                    let lit = lit_str(&inner, DOC, "Totals are never negative.")?;
                    // Trimmed, as the YAML front end reads a check's `doc:`.
                    if let Some(text) = checked_text(&lit, DOC, errors) {
                        set_once(&mut doc, text.trim().to_owned(), DOC, kspan, errors);
                    }
                }
                _ => {
                    check.incomplete = true;
                    unknown_key(&inner, &key, CHECK, CHECK_KEYS, errors)?;
                }
            }
            Ok(())
        })?;
        check.doc = doc.map(|d| d.value);
        Ok(check)
    }
}

/// A string's value, or `None` (reported) when it holds a character no generated file
/// can carry safely, as the YAML front end refuses every string it reads.
fn checked_text(lit: &LitStr, key: &str, errors: &mut Errors) -> Option<String> {
    let text = lit.value();
    match modelgen_ir::check_text(&text) {
        Ok(()) => Some(text),
        Err(why) => {
            errors.at(lit.span(), format!("`{key}` {why}; remove it"));
            None
        }
    }
}

/// `sql = "…"` for every database, or `sql(sqlite = "…", postgres = "…", mysql = "…")`
/// with all three: the derive's SQL can be asked for any database.
fn sql(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<BTreeMap<Dialect, String>> {
    let known = Dialect::ALL.map(Dialect::name);
    if meta.input.peek(Token![=]) {
        let lit = lit_str(meta, SQL, "total >= 0")?;
        return Ok(match sql_text(&lit, SQL, errors) {
            Some(text) => Dialect::ALL.into_iter().map(|d| (d, text.clone())).collect(),
            None => BTreeMap::new(),
        });
    }
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(
            "`sql` takes SQL for every database, `sql = \"total >= 0\"`, or one each: `sql(sqlite = \"…\", postgres = \"…\", mysql = \"…\")`",
        ));
    }
    let mut out = BTreeMap::new();
    let mut given = Vec::new();
    // The databases misspelt keys stand for, so they are not reported missing as well.
    let mut meant = Vec::new();
    meta.parse_nested_meta(|inner| {
        let key = key_of(&inner)?;
        let Some(d) = Dialect::from_name(&key) else {
            meant.extend(suggest(&key, known).and_then(Dialect::from_name));
            errors.spanned(
                &inner.path,
                format!(
                    "`sql(...)` takes `sqlite`, `postgres` and `mysql`, not `{key}`{}",
                    did_you_mean(&key, known)
                ),
            );
            return skip_value(inner.input);
        };
        let lit = lit_str(&inner, &key, "…")?;
        if given.contains(&d) {
            errors.at(lit.span(), format!("`{key}` is given twice; keep one"));
            return Ok(());
        }
        given.push(d);
        if let Some(text) = sql_text(&lit, &key, errors) {
            out.insert(d, text);
        }
        Ok(())
    })?;
    let missing: Vec<&str> = Dialect::ALL
        .into_iter()
        .filter(|d| !given.contains(d) && !meant.contains(d))
        .map(Dialect::name)
        .collect();
    if !missing.is_empty() {
        let add: Vec<String> = missing.iter().map(|d| format!("{d} = \"…\"")).collect();
        errors.spanned(
            &meta.path,
            format!(
                "`sql(...)` has no SQL for {}: add `{}`, or write one `sql = \"…\"` for every database",
                missing.join(", "),
                add.join(", ")
            ),
        );
    }
    Ok(out)
}

/// One raw SQL text: not empty, safe to write into a file, and one expression, so it
/// cannot end the `CHECK (…)` it goes into (`modelgen_ir::check_sql_expression`, the rule
/// of `server_default_sql`).
fn sql_text(lit: &LitStr, key: &str, errors: &mut Errors) -> Option<String> {
    let text = lit.value();
    if text.trim().is_empty() {
        errors.at(
            lit.span(),
            format!("`{key}` is empty: write the condition, such as `{key} = \"total >= 0\"`"),
        );
        return None;
    }
    let text = checked_text(lit, key, errors)?;
    match modelgen_ir::check_sql_expression(&text) {
        Ok(()) => Some(text),
        Err(why) => {
            errors.at(
                lit.span(),
                format!("`{text}` is not one SQL expression: expected {why}"),
            );
            None
        }
    }
}
