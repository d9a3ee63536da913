//! `foreign_key(columns(a, b), references = "orders(region, number)", …)` on the struct:
//! a foreign key over several fields.

use super::*;

/// A struct-level foreign key. One struct does not know the others, so the referenced
/// columns are always written out.
pub struct ForeignKeyAttr {
    pub columns: Vec<Ident>,
    pub target: Option<Spanned<CompositeTarget>>,
    pub name: Option<Spanned<String>>,
    pub on_delete: Option<Spanned<FkAction>>,
    pub on_update: Option<Spanned<FkAction>>,
}

/// `references = "orders(region, number)"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeTarget {
    pub table: String,
    pub columns: Vec<String>,
}

impl ForeignKeyAttr {
    pub(super) fn parse(meta: &ParseNestedMeta, span: Span, errors: &mut Errors) -> syn::Result<ForeignKeyAttr> {
        if !meta.input.peek(syn::token::Paren) {
            return Err(meta.error(
                "`foreign_key` on the struct needs its columns and target: write `foreign_key(columns(a, b), references = \"table(x, y)\")`",
            ));
        }
        let mut fk = ForeignKeyAttr {
            columns: Vec::new(),
            target: None,
            name: None,
            on_delete: None,
            on_update: None,
        };
        let mut columns: Option<Spanned<Vec<Ident>>> = None;
        // A `references` that could not be read is reported as itself, not as missing.
        let mut references_given = false;
        meta.parse_nested_meta(|inner| {
            let key = key_of(&inner)?;
            let kspan = inner.path.span_of_key();
            match key.as_str() {
                COLUMNS => {
                    let c = ident_list(&inner, COLUMNS)?;
                    set_once(&mut columns, c, COLUMNS, kspan, errors);
                }
                REFERENCES => {
                    references_given = true;
                    let lit = lit_str(&inner, REFERENCES, "orders(region, number)")?;
                    if let Some(target) = composite_target(&lit, errors) {
                        set_once(&mut fk.target, target, REFERENCES, lit.span(), errors);
                    }
                }
                NAME => {
                    let lit = lit_str(&inner, NAME, "fk_order_lines_order")?;
                    let n = name(&lit, "constraint name", errors);
                    set_once(&mut fk.name, n, NAME, lit.span(), errors);
                }
                ON_DELETE => {
                    let lit = lit_str(&inner, ON_DELETE, "cascade")?;
                    if let Some(action) = field::fk_action(&lit, ON_DELETE, errors) {
                        set_once(&mut fk.on_delete, action, ON_DELETE, lit.span(), errors);
                    }
                }
                ON_UPDATE => {
                    let lit = lit_str(&inner, ON_UPDATE, "cascade")?;
                    if let Some(action) = field::fk_action(&lit, ON_UPDATE, errors) {
                        set_once(&mut fk.on_update, action, ON_UPDATE, lit.span(), errors);
                    }
                }
                _ => unknown_key(&inner, &key, FOREIGN_KEY, STRUCT_FOREIGN_KEY_KEYS, errors)?,
            }
            Ok(())
        })?;
        match columns {
            Some(c) if !c.value.is_empty() => fk.columns = c.value,
            _ => errors.at(
                span,
                "`foreign_key` needs its fields: write `foreign_key(columns(a, b), references = \"table(x, y)\")`",
            ),
        }
        if fk.target.is_none() && !references_given {
            errors.at(
                span,
                "`foreign_key` needs its target: write `references = \"table(x, y)\"`",
            );
        }
        if let Some(target) = &fk.target {
            if !fk.columns.is_empty() && target.value.columns.len() != fk.columns.len() {
                let referenced = match target.value.columns.len() {
                    1 => "1 column".to_owned(),
                    n => format!("{n} columns"),
                };
                errors.at(
                    target.span,
                    format!(
                        "the foreign key has {} fields but references {referenced}; reference as many, in the same order",
                        fk.columns.len()
                    ),
                );
            }
        }
        Ok(fk)
    }
}

/// `"orders(region, number)"`, each name checked.
fn composite_target(lit: &LitStr, errors: &mut Errors) -> Option<CompositeTarget> {
    let text = lit.value();
    let parsed = text
        .split_once('(')
        .and_then(|(table, rest)| Some((table.trim(), rest.trim_end().strip_suffix(')')?)));
    let Some((table, inside)) = parsed else {
        errors.at(
            lit.span(),
            format!("`references = \"{text}\"` needs a table and its columns: write `references = \"orders(region, number)\"`"),
        );
        return None;
    };
    let columns: Vec<String> = inside.split(',').map(|c| c.trim().to_owned()).collect();
    let mut ok = true;
    for (what, word) in std::iter::once(("table", table)).chain(columns.iter().map(|c| ("column", c.as_str()))) {
        if let Err(why) = check_identifier(word) {
            errors.at(
                lit.span(),
                format!("foreign key {what} `{word}` {why}; write `references = \"orders(region, number)\"`"),
            );
            ok = false;
        }
    }
    ok.then(|| CompositeTarget {
        table: table.to_owned(),
        columns,
    })
}
