//! CHECK constraints as each dialect writes them. The SQLAlchemy module gives
//! `create_all` this same text, so both build one catalog.

use crate::dialect::SqlDialect;
use modelgen_ir::check::{Check, CheckExpr, Expr};
use modelgen_ir::Dialect;

/// `CONSTRAINT <name> CHECK (<condition>)`, as in CREATE TABLE and ADD CONSTRAINT.
pub fn check_constraint_sql(check: &Check, d: Dialect) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        d.ident(&check.name),
        check_condition(check, d)
    )
}

/// The condition inside `CHECK (…)`: the tree rendered for `d`, or the raw SQL given
/// for it (trimmed).
pub fn check_condition(check: &Check, d: Dialect) -> String {
    match &check.expr {
        CheckExpr::Tree(e) => expr_sql(e, d),
        CheckExpr::Sql(per) => per.get(&d).map(|s| s.trim().to_owned()).unwrap_or_default(),
    }
}

/// Renders with the fewest parentheses that keep the tree's grouping, so the text is
/// one function of the tree.
pub fn expr_sql(e: &Expr, d: Dialect) -> String {
    match e {
        Expr::Column { name } => d.ident(name),
        Expr::Int { value } => value.to_string(),
        Expr::Decimal { value } => value.clone(),
        Expr::Str { value } => d.string_literal(value),
        Expr::Bool { value } => match (d, value) {
            // SQLite has no boolean type: SQLAlchemy stores 1 and 0.
            (Dialect::Sqlite, true) => "1".to_owned(),
            (Dialect::Sqlite, false) => "0".to_owned(),
            (_, true) => "true".to_owned(),
            (_, false) => "false".to_owned(),
        },
        Expr::Not { expr } => format!("NOT ({})", expr_sql(expr, d)),
        Expr::Neg { expr } => format!("-({})", expr_sql(expr, d)),
        Expr::Binary { op, left, right } => {
            let p = op.precedence();
            let l = operand(left, d, |lp| lp < p);
            // Left-associative: an equal-precedence right operand keeps its parentheses.
            let r = operand(right, d, |rp| rp <= p);
            format!("{l} {} {r}", op.sql())
        }
        Expr::In { expr, list, negated } => {
            let items: Vec<String> = list.iter().map(|i| expr_sql(i, d)).collect();
            let not = if *negated { "NOT " } else { "" };
            format!("{} {not}IN ({})", operand(expr, d, |p| p <= 4), items.join(", "))
        }
        Expr::IsNull { expr, negated } => {
            let not = if *negated { "NOT " } else { "" };
            format!("{} IS {not}NULL", operand(expr, d, |p| p <= 4))
        }
        Expr::Length { expr } => {
            // MySQL's LENGTH counts bytes; CHAR_LENGTH counts characters, as the others.
            let function = if d == Dialect::Mysql { "CHAR_LENGTH" } else { "length" };
            format!("{function}({})", expr_sql(expr, d))
        }
        Expr::Lower { expr } => format!("lower({})", expr_sql(expr, d)),
        Expr::Upper { expr } => format!("upper({})", expr_sql(expr, d)),
    }
}

/// An operand, in parentheses when its own operator binds too loosely to stand bare.
fn operand(e: &Expr, d: Dialect, needs_parens: impl Fn(u8) -> bool) -> String {
    let sql = expr_sql(e, d);
    match e.precedence() {
        Some(p) if needs_parens(p) => format!("({sql})"),
        _ => sql,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelgen_ir::check::parse_check;

    fn sql(text: &str, d: Dialect) -> String {
        expr_sql(&parse_check(text).unwrap(), d)
    }

    #[test]
    fn renders_per_dialect_with_minimal_parentheses() {
        let text = "(a = 1 or b = 2) and length(c) between_ok";
        assert!(parse_check(text).is_err());
        let text = "(a = 1 or b = 2) and length(c) > 1 and not flag = true";
        assert_eq!(
            sql(text, Dialect::Sqlite),
            r#"("a" = 1 OR "b" = 2) AND length("c") > 1 AND NOT ("flag" = 1)"#
        );
        assert_eq!(
            sql(text, Dialect::Mysql),
            "(`a` = 1 OR `b` = 2) AND CHAR_LENGTH(`c`) > 1 AND NOT (`flag` = true)"
        );
        assert_eq!(
            sql("a - (b - c) > a - b - c", Dialect::Postgres),
            r#""a" - ("b" - "c") > "a" - "b" - "c""#
        );
        assert_eq!(
            sql("(a * (b + 1)) >= -2.5", Dialect::Postgres),
            r#""a" * ("b" + 1) >= -2.5"#
        );
        assert_eq!(
            sql("s not in ('x', 'it''s') or s is not null", Dialect::Postgres),
            r#""s" NOT IN ('x', 'it''s') OR "s" IS NOT NULL"#
        );
        // Every rendering parses back to the same tree.
        for text in ["a - (b - c) > 1", "not (a = 1 or b = 2)", "a / (b * c) < -(d)"] {
            let tree = parse_check(text).unwrap();
            let pg = expr_sql(&tree, Dialect::Postgres).replace('"', "");
            assert_eq!(parse_check(&pg.to_lowercase()).unwrap(), tree, "{pg}");
        }
    }
}
