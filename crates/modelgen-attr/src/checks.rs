//! A struct's CHECK constraints and its indexes' expressions (keys and `where`): the
//! rules `valid` runs on its attributes and the IR `lower` builds from them. Expressions go through the IR's check language
//! (`modelgen_ir::check`), which the YAML front end uses too, so both accept the same
//! texts; a field's name is its column's.

use crate::ast::Input;
use crate::attr::{CheckAttr, IndexAttr, KeyAttr};
use crate::errors::{did_you_mean, Errors};
use modelgen_ir::check::{check_key_types, check_types, parse_check, Check, CheckError, CheckExpr, Expr};
use modelgen_ir::{IndexKey, LogicalType};
use std::collections::HashSet;
use syn::ext::IdentExt;

/// What a `#[model(enum)]` field is to the type check.
static ENUM_AS_TEXT: LogicalType = LogicalType::Text;

/// Rejects a check without a name, with neither or both of `expr` and `sql`, with an
/// expression that does not parse or is no condition over the fields
/// (`expr = "totl >= 0"`, `expr = "total"`), and a name used twice.
pub fn check_checks(input: &Input, errors: &mut Errors) {
    let mut names: HashSet<&str> = HashSet::new();
    for check in &input.attrs.checks {
        let Some(name) = &check.name else {
            if !check.incomplete {
                errors.at(
                    check.span,
                    "a check needs a name, the constraint's: write `check(name = \"positive_total\", …)`",
                );
            }
            continue;
        };
        let n = name.value.as_str();
        if !names.insert(n) {
            errors.at(
                name.span,
                format!("check `{n}` is declared twice in `{}`; rename one", input.ident),
            );
        }
        match (&check.expr, &check.sql) {
            (None, None) if check.incomplete => {}
            (None, None) => errors.at(
                check.span,
                format!(
                    "check `{n}` needs its condition: write `expr = \"total >= 0\"`, or `sql = \"…\"` for SQL the check language cannot say"
                ),
            ),
            (Some(_), Some(sql)) => errors.at(
                sql.span,
                format!("check `{n}` has both `expr` and `sql`; keep one"),
            ),
            (Some(expr), None) => {
                if let Err(e) = expression(input, &expr.value, Typing::Condition) {
                    errors.at(expr.span, expression_error(input, &format!("check `{n}`"), &expr.value, &e));
                }
            }
            (None, Some(_)) => {}
        }
    }
}

/// Rejects an index's expression key or `where` that does not parse or type-check
/// (`columns("lower(emial)")`, `where = "status"`), and `where` beside `live`.
pub fn check_index_expressions(input: &Input, errors: &mut Errors) {
    for index in &input.attrs.indexes {
        for key in &index.columns {
            if let KeyAttr::Expr(text) = key {
                if let Err(e) = expression(input, &text.value, Typing::Key) {
                    errors.at(text.span, expression_error(input, "index key", &text.value, &e));
                }
            }
        }
        let Some(predicate) = &index.predicate else {
            continue;
        };
        if let Some(live) = index.live {
            let column = input
                .attrs
                .soft_delete
                .as_ref()
                .map_or("deleted_at", |s| s.value.as_str());
            errors.at(
                live,
                format!("an index with `where` cannot also be `live`; say it in the condition: `where = \"{column} is null and …\"`"),
            );
        }
        if let Err(e) = expression(input, &predicate.value, Typing::Condition) {
            errors.at(
                predicate.span,
                expression_error(input, "index `where`", &predicate.value, &e),
            );
        }
    }
}

/// An index's keys and condition for the IR. Runs after `check_index_expressions` found
/// nothing; an expression that is a bare field is that column.
pub fn lower_index_keys(input: &Input, index: &IndexAttr) -> (Vec<IndexKey>, Option<Expr>) {
    let keys = index
        .columns
        .iter()
        .filter_map(|k| match k {
            KeyAttr::Field(ident) => Some(IndexKey::Column(ident.unraw().to_string())),
            KeyAttr::Expr(text) => match expression(input, &text.value, Typing::Key).ok()?? {
                Expr::Column { name } => Some(IndexKey::Column(name)),
                e => Some(IndexKey::Expr(e)),
            },
        })
        .collect();
    let predicate = index
        .predicate
        .as_ref()
        .and_then(|p| expression(input, &p.value, Typing::Condition).ok()?);
    (keys, predicate)
}

/// What is wrong with an expression, in the YAML front end's words (the IR's message and
/// expectation), with the field meant when a name is misspelt.
fn expression_error(input: &Input, name: &str, text: &str, e: &CheckError) -> String {
    let expected = e
        .expected
        .as_deref()
        .map(|x| format!("; expected {x}"))
        .unwrap_or_default();
    // An unknown field is a name the parsed expression holds that no field has.
    let unknown =
        parse_check(text).is_ok_and(|tree| tree.columns().contains(&e.word.as_str())) && input.field(&e.word).is_none();
    let suggestion = if unknown {
        did_you_mean(&e.word, input.fields.iter().map(|f| f.column.as_str()))
    } else {
        String::new()
    };
    format!(
        "{name}: {} (at character {}){expected}{suggestion}",
        e.message,
        e.offset + 1
    )
}

/// What an expression must be: a condition (a check, an index's `where`) or an index key.
#[derive(Clone, Copy)]
enum Typing {
    Condition,
    Key,
}

/// The expression parsed and type-checked against the struct's fields; `Ok(None)` when a
/// field it names has no column type, which is reported at the field already.
fn expression(input: &Input, text: &str, typing: Typing) -> Result<Option<Expr>, CheckError> {
    let mut tree = parse_check(text)?;
    let untyped = tree
        .columns()
        .iter()
        .any(|c| input.field(c).is_some_and(|f| f.logical.is_none()));
    if untyped {
        return Ok(None);
    }
    let lookup = |field: &str| {
        let f = input.field(field)?;
        let ty = match f.logical.as_ref()? {
            // The enum's values are its own derive's, unknown here (as for its default):
            // the field is text, and no value rule applies.
            LogicalType::Enum(e) if e.values.is_empty() => &ENUM_AS_TEXT,
            ty => ty,
        };
        Some((f.column.as_str(), ty))
    };
    match typing {
        Typing::Condition => check_types(text, &mut tree, &lookup)?,
        Typing::Key => check_key_types(text, &mut tree, &lookup)?,
    }
    Ok(Some(tree))
}

/// The IR's checks, in the order written. Runs after `check_checks` found nothing, so a
/// check it cannot build does not occur; it would be left out rather than guessed.
pub fn lower_checks(input: &Input) -> Vec<Check> {
    input
        .attrs
        .checks
        .iter()
        .filter_map(|c| lower_check(input, c))
        .collect()
}

fn lower_check(input: &Input, check: &CheckAttr) -> Option<Check> {
    let expr = match (&check.expr, &check.sql) {
        (Some(expr), None) => CheckExpr::Tree(expression(input, &expr.value, Typing::Condition).ok()??),
        (None, Some(sql)) => CheckExpr::Sql(sql.value.clone()),
        _ => return None,
    };
    Some(Check {
        name: check.name.as_ref()?.value.clone(),
        expr,
        doc: check.doc.clone(),
        // A model's own checks are made on every database.
        dialects: Vec::new(),
    })
}
