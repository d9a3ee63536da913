//! CHECK constraints: a small portable expression language kept as a tree, so a migration
//! compares meaning rather than text (`total>=0` and `(total >= 0)` are one check), plus
//! raw SQL per dialect for what the language cannot say. Both front ends parse with
//! [`parse_check`] and type-check with [`check_types`], so they accept the same texts.

use crate::naming::{apply, uses_constraint_name, NameError, Parts};
use crate::{Column, Dialect, LogicalType, Model};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod parse;
mod typing;

pub use parse::{parse_check, CheckError};
pub use typing::{check_key_types, check_types, enum_literals};

/// A named table-level CHECK constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// The constraint's name in the database, verbatim.
    pub name: String,
    pub expr: CheckExpr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The databases it is made on; empty for all. Only the checks a column's type brings
    /// ([`column_checks`]) are made on fewer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dialects: Vec<Dialect>,
}

impl Check {
    /// Whether the check is made on `d`.
    pub fn applies(&self, d: Dialect) -> bool {
        self.dialects.is_empty() || self.dialects.contains(&d)
    }

    /// Why `d` cannot make this check on `model`, with the fix: MySQL and MariaDB refuse
    /// a CHECK over an AUTO_INCREMENT column (MariaDB error 1901, MySQL 3818). The reason
    /// reads after the check's name. Raw SQL is the user's own and is not looked into.
    pub fn unsupported_on(&self, model: &Model, d: Dialect) -> Option<(String, String)> {
        if d != Dialect::Mysql || !self.applies(d) {
            return None;
        }
        let CheckExpr::Tree(e) = &self.expr else { return None };
        let auto = e
            .columns()
            .into_iter()
            .find(|c| model.column(c).is_some_and(|c| c.autoincrement))?;
        Some((
            format!("is over `{auto}`, which autoincrements: MySQL and MariaDB refuse a CHECK over an AUTO_INCREMENT column"),
            format!("leave mysql out of `dialects`, drop the check, or give `{auto}` `autoincrement: false`"),
        ))
    }
}

/// The name of a `bool(check)` column's CHECK: `ck_<table>_<column>`, after the naming
/// convention SQLAlchemy's documentation suggests. SQLAlchemy leaves it unnamed by
/// default; a name lets a migration drop it, and the SQLAlchemy module gives the same.
pub fn bool_check_name(table: &str, column: &str) -> String {
    format!("ck_{table}_{column}")
}

/// The name of the CHECK `column`'s type brings, under the model's naming convention as
/// SQLAlchemy applies it to `Enum` and `Boolean`: an enum's is its type name, which a
/// `ck` template renames only through `%(constraint_name)s`; a `bool(check)`'s has no
/// name of its own, so a `ck` template always names it (the column's name standing in
/// for `%(constraint_name)s`), and without one it is [`bool_check_name`].
pub fn column_check_name(model: &Model, column: &Column) -> Result<Option<String>, NameError> {
    let template = model.naming.as_ref().and_then(|n| n.ck.as_deref());
    let columns = std::slice::from_ref(&column.name);
    let parts = |name| Parts {
        table: &model.table,
        columns,
        name: Some(name),
        ..Parts::default()
    };
    match (&column.ty, template) {
        (LogicalType::Enum(e), Some(t)) if e.check && uses_constraint_name(t) => {
            apply(t, &parts(&e.type_name)).map(Some)
        }
        (LogicalType::Enum(e), _) if e.check => Ok(Some(e.type_name.clone())),
        (LogicalType::Bool { check: true }, Some(t)) => apply(t, &parts(&column.name)).map(Some),
        (LogicalType::Bool { check: true }, None) => Ok(Some(bool_check_name(&model.table, &column.name))),
        _ => Ok(None),
    }
}

/// The CHECKs a model's column types bring, beside its own `checks`, in column order: an
/// enum's with `check: true` (`<column> IN (<values>)`, named after the enum's type, on
/// the databases that hold it as a VARCHAR) and `bool(check)`'s (`<column> IN (0, 1)`,
/// [`bool_check_name`], on SQLite and MySQL, which keep booleans as integers) — the
/// constraints SQLAlchemy's `Enum` and `Boolean` make with `create_constraint=True`.
pub fn column_checks(model: &Model) -> Vec<Check> {
    model.columns.iter().filter_map(|c| column_check(model, c)).collect()
}

/// The CHECK `column`'s type brings, if any (see [`column_checks`]).
pub fn column_check(model: &Model, column: &Column) -> Option<Check> {
    let name = || {
        let default = match &column.ty {
            LogicalType::Enum(e) => e.type_name.clone(),
            _ => bool_check_name(&model.table, &column.name),
        };
        Some(column.check_name.clone().unwrap_or(default))
    };
    let is_in = |list: Vec<Expr>| {
        CheckExpr::Tree(Expr::In {
            expr: Box::new(Expr::Column {
                name: column.name.clone(),
            }),
            list,
            negated: false,
        })
    };
    match &column.ty {
        LogicalType::Enum(e) if e.check => Some(Check {
            name: name()?,
            expr: is_in(e.values.iter().map(|v| Expr::Str { value: v.clone() }).collect()),
            doc: None,
            dialects: Dialect::ALL.into_iter().filter(|&d| e.as_varchar(d)).collect(),
        }),
        LogicalType::Bool { check: true } => Some(Check {
            name: name()?,
            expr: is_in(vec![Expr::Int { value: 0 }, Expr::Int { value: 1 }]),
            doc: None,
            dialects: vec![Dialect::Sqlite, Dialect::Mysql],
        }),
        _ => None,
    }
}

/// The model's own checks, then those its column types bring: every CHECK its table has
/// on some database.
pub fn all_checks(model: &Model) -> Vec<Check> {
    let mut checks = model.checks.clone();
    checks.extend(column_checks(model));
    checks
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckExpr {
    /// Parsed from the portable language; names are column names.
    Tree(Expr),
    /// Raw SQL per dialect, written by the user; every output dialect has one.
    Sql(BTreeMap<Dialect, String>),
}

impl CheckExpr {
    /// Whether two checks mean the same: equal trees, or raw SQL equal once trimmed.
    pub fn same_as(&self, other: &CheckExpr) -> bool {
        match (self, other) {
            (CheckExpr::Tree(a), CheckExpr::Tree(b)) => a == b,
            (CheckExpr::Sql(a), CheckExpr::Sql(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((da, sa), (db, sb))| da == db && sa.trim() == sb.trim())
            }
            _ => false,
        }
    }
}

impl Expr {
    /// The same expression with every column renamed by `f`; `None` if `f` has no new
    /// name for one (the column went away).
    pub fn with_columns(&self, f: &dyn Fn(&str) -> Option<String>) -> Option<Expr> {
        let boxed = |e: &Expr| e.with_columns(f).map(Box::new);
        Some(match self {
            Expr::Column { name } => Expr::Column { name: f(name)? },
            Expr::Int { .. } | Expr::Decimal { .. } | Expr::Str { .. } | Expr::Bool { .. } => self.clone(),
            Expr::Not { expr } => Expr::Not { expr: boxed(expr)? },
            Expr::Neg { expr } => Expr::Neg { expr: boxed(expr)? },
            Expr::Length { expr } => Expr::Length { expr: boxed(expr)? },
            Expr::Lower { expr } => Expr::Lower { expr: boxed(expr)? },
            Expr::Upper { expr } => Expr::Upper { expr: boxed(expr)? },
            Expr::Binary { op, left, right } => Expr::Binary {
                op: *op,
                left: boxed(left)?,
                right: boxed(right)?,
            },
            Expr::In { expr, list, negated } => Expr::In {
                expr: boxed(expr)?,
                list: list.iter().map(|e| e.with_columns(f)).collect::<Option<_>>()?,
                negated: *negated,
            },
            Expr::IsNull { expr, negated } => Expr::IsNull {
                expr: boxed(expr)?,
                negated: *negated,
            },
        })
    }

    /// The text literals of the expression, in order of appearance.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Expr::Str { value } => vec![value.as_str()],
            Expr::Column { .. } | Expr::Int { .. } | Expr::Decimal { .. } | Expr::Bool { .. } => Vec::new(),
            Expr::Not { expr }
            | Expr::Neg { expr }
            | Expr::Length { expr }
            | Expr::Lower { expr }
            | Expr::Upper { expr }
            | Expr::IsNull { expr, .. } => expr.texts(),
            Expr::Binary { left, right, .. } => [left.texts(), right.texts()].concat(),
            Expr::In { expr, list, .. } => {
                let mut out = expr.texts();
                out.extend(list.iter().flat_map(Expr::texts));
                out
            }
        }
    }

    /// The columns the expression names, in order of appearance.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            Expr::Column { name } => vec![name.as_str()],
            Expr::Int { .. } | Expr::Decimal { .. } | Expr::Str { .. } | Expr::Bool { .. } => Vec::new(),
            Expr::Not { expr }
            | Expr::Neg { expr }
            | Expr::Length { expr }
            | Expr::Lower { expr }
            | Expr::Upper { expr }
            | Expr::IsNull { expr, .. } => expr.columns(),
            Expr::Binary { left, right, .. } => [left.columns(), right.columns()].concat(),
            Expr::In { expr, list, .. } => {
                let mut out = expr.columns();
                out.extend(list.iter().flat_map(Expr::columns));
                out
            }
        }
    }
}

/// An expression of the check language. Parentheses leave no trace: they only group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expr {
    Column {
        name: String,
    },
    Int {
        value: i64,
    },
    /// Kept as written (`0.5`), so no precision is lost.
    Decimal {
        value: String,
    },
    Str {
        value: String,
    },
    Bool {
        value: bool,
    },
    Not {
        expr: Box<Expr>,
    },
    Neg {
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    In {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    Length {
        expr: Box<Expr>,
    },
    /// `lower(text)`: for an index on a case-folded key (`lower(email)`).
    Lower {
        expr: Box<Expr>,
    },
    Upper {
        expr: Box<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    pub fn sql(self) -> &'static str {
        match self {
            BinaryOp::Or => "OR",
            BinaryOp::And => "AND",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "<>",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }
}

impl Expr {
    /// The expression in the check language, with the fewest parentheses that keep the
    /// tree's grouping: what [`parse_check`] reads back as this same tree.
    pub fn text(&self) -> String {
        match self {
            Expr::Column { name } => name.clone(),
            Expr::Int { value } => value.to_string(),
            Expr::Decimal { value } => value.clone(),
            Expr::Str { value } => format!("'{}'", value.replace('\'', "''")),
            Expr::Bool { value } => value.to_string(),
            Expr::Not { expr } => format!("not ({})", expr.text()),
            Expr::Neg { expr } => format!("-({})", expr.text()),
            Expr::Binary { op, left, right } => {
                let p = op.precedence();
                // Left-associative: an equal-precedence right operand keeps its parentheses.
                let l = left.operand_text(|lp| lp < p);
                let r = right.operand_text(|rp| rp <= p);
                format!("{l} {} {r}", op.sql().to_ascii_lowercase())
            }
            Expr::In { expr, list, negated } => {
                let items: Vec<String> = list.iter().map(Expr::text).collect();
                let not = if *negated { "not " } else { "" };
                format!("{} {not}in ({})", expr.operand_text(|p| p <= 4), items.join(", "))
            }
            Expr::IsNull { expr, negated } => {
                let not = if *negated { "not " } else { "" };
                format!("{} is {not}null", expr.operand_text(|p| p <= 4))
            }
            Expr::Length { expr } => format!("length({})", expr.text()),
            Expr::Lower { expr } => format!("lower({})", expr.text()),
            Expr::Upper { expr } => format!("upper({})", expr.text()),
        }
    }

    /// How tightly the expression's own operator binds, if it has one that could need
    /// parentheses as an operand.
    pub fn precedence(&self) -> Option<u8> {
        match self {
            Expr::Binary { op, .. } => Some(op.precedence()),
            Expr::In { .. } | Expr::IsNull { .. } => Some(4),
            Expr::Not { .. } => Some(3),
            _ => None,
        }
    }

    fn operand_text(&self, needs_parens: impl Fn(u8) -> bool) -> String {
        match self.precedence() {
            Some(p) if needs_parens(p) => format!("({})", self.text()),
            _ => self.text(),
        }
    }
}

#[cfg(test)]
mod tests;
