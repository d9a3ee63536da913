//! CHECK constraints: a small portable expression language kept as a tree, so a migration
//! compares meaning rather than text (`total>=0` and `(total >= 0)` are one check), plus
//! raw SQL per dialect for what the language cannot say. Both front ends parse with
//! [`parse_check`] and type-check with [`check_types`], so they accept the same texts.

use crate::{Column, Dialect, LogicalType, Model};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
}

/// The name of a `bool(check)` column's CHECK: `ck_<table>_<column>`, after the naming
/// convention SQLAlchemy's documentation suggests. SQLAlchemy leaves it unnamed by
/// default; a name lets a migration drop it, and the SQLAlchemy module gives the same.
pub fn bool_check_name(table: &str, column: &str) -> String {
    format!("ck_{table}_{column}")
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
            name: e.type_name.clone(),
            expr: is_in(e.values.iter().map(|v| Expr::Str { value: v.clone() }).collect()),
            doc: None,
            dialects: Dialect::ALL.into_iter().filter(|&d| e.as_varchar(d)).collect(),
        }),
        LogicalType::Bool { check: true } => Some(Check {
            name: bool_check_name(&model.table, &column.name),
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

    /// The columns the expression names, in order of appearance.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            Expr::Column { name } => vec![name.as_str()],
            Expr::Int { .. } | Expr::Decimal { .. } | Expr::Str { .. } | Expr::Bool { .. } => Vec::new(),
            Expr::Not { expr } | Expr::Neg { expr } | Expr::Length { expr } | Expr::IsNull { expr, .. } => {
                expr.columns()
            }
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A mistake in a check expression, at a byte offset into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    pub offset: usize,
    /// The text at the offset the message is about (for pointing at it).
    pub word: String,
    pub message: String,
    pub expected: Option<String>,
}

impl CheckError {
    fn new(offset: usize, word: &str, message: impl Into<String>) -> CheckError {
        CheckError {
            offset,
            word: word.to_owned(),
            message: message.into(),
            expected: None,
        }
    }

    fn expected(mut self, text: &str) -> CheckError {
        self.expected = Some(text.to_owned());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Decimal(String),
    Str(String),
    Sym(&'static str),
    End,
}

struct Lexer {
    toks: Vec<(Tok, usize, usize)>,
}

const SYMBOLS: [&str; 14] = ["<>", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ","];

fn lex(text: &str) -> Result<Vec<(Tok, usize, usize)>, CheckError> {
    let mut lexer = Lexer { toks: Vec::new() };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            lexer.push(Tok::Ident(text[start..i].to_owned()), start, i);
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                lexer.push(Tok::Decimal(text[start..i].to_owned()), start, i);
            } else {
                let digits = &text[start..i];
                let value = digits
                    .parse()
                    .map_err(|_| CheckError::new(start, digits, format!("integer `{digits}` is too large")))?;
                lexer.push(Tok::Int(value), start, i);
            }
        } else if c == b'\'' {
            let start = i;
            let mut value = String::new();
            i += 1;
            loop {
                let Some(rest) = text.get(i..).filter(|r| !r.is_empty()) else {
                    return Err(CheckError::new(start, "'", "string literal is not closed").expected("a closing `'`"));
                };
                let ch = rest.chars().next().expect("non-empty");
                i += ch.len_utf8();
                if ch == '\'' {
                    if bytes.get(i) == Some(&b'\'') {
                        value.push('\'');
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    value.push(ch);
                }
            }
            lexer.push(Tok::Str(value), start, i);
        } else if let Some(sym) = SYMBOLS.iter().find(|s| text[i..].starts_with(**s)) {
            lexer.push(Tok::Sym(sym), i, i + sym.len());
            i += sym.len();
        } else {
            let ch = text[i..].chars().next().expect("in bounds");
            return Err(CheckError::new(
                i,
                &ch.to_string(),
                format!("unexpected character `{ch}`"),
            ));
        }
    }
    lexer.push(Tok::End, text.len(), text.len());
    Ok(lexer.toks)
}

impl Lexer {
    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        self.toks.push((tok, start, end));
    }
}

/// Parses a check's text. Names stay as written; [`check_types`] resolves them.
pub fn parse_check(text: &str) -> Result<Expr, CheckError> {
    let toks = lex(text)?;
    let mut p = Parser { text, toks, at: 0 };
    let expr = p.or()?;
    if p.peek() != &Tok::End {
        return Err(p.unexpected("an operator such as `and`, `or`, `=` or the end of the check"));
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize, usize)>,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].0
    }

    fn offset(&self) -> usize {
        self.toks[self.at].1
    }

    fn word(&self) -> &str {
        let (_, start, end) = self.toks[self.at];
        &self.text[start..end]
    }

    fn unexpected(&self, expected: &str) -> CheckError {
        let message = match self.peek() {
            Tok::End => "the check ends too early".to_owned(),
            _ => format!("unexpected `{}`", self.word()),
        };
        CheckError::new(self.offset(), self.word(), message).expected(expected)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Tok::Ident(w) if w.eq_ignore_ascii_case(word)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn sym(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Tok::Sym(s) if *s == sym) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, CheckError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            let right = self.and()?;
            left = binary(BinaryOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, CheckError> {
        let mut left = self.not()?;
        while self.keyword("and") {
            let right = self.not()?;
            left = binary(BinaryOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, CheckError> {
        if self.keyword("not") {
            return Ok(Expr::Not {
                expr: Box::new(self.not()?),
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, CheckError> {
        let left = self.sum()?;
        let op = match self.peek() {
            Tok::Sym("=") => Some(BinaryOp::Eq),
            Tok::Sym("!=" | "<>") => Some(BinaryOp::Ne),
            Tok::Sym("<") => Some(BinaryOp::Lt),
            Tok::Sym("<=") => Some(BinaryOp::Le),
            Tok::Sym(">") => Some(BinaryOp::Gt),
            Tok::Sym(">=") => Some(BinaryOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.at += 1;
            let right = self.sum()?;
            return Ok(binary(op, left, right));
        }
        if self.keyword("is") {
            let negated = self.keyword("not");
            if !self.keyword("null") {
                return Err(self.unexpected("`null` after `is` or `is not`"));
            }
            return Ok(Expr::IsNull {
                expr: Box::new(left),
                negated,
            });
        }
        let negated = self.keyword("not");
        if self.keyword("in") {
            if !self.sym("(") {
                return Err(self.unexpected("`(` and a list of values after `in`"));
            }
            let mut list = vec![self.sum()?];
            while self.sym(",") {
                list.push(self.sum()?);
            }
            if !self.sym(")") {
                return Err(self.unexpected("`,` or `)` in the `in` list"));
            }
            return Ok(Expr::In {
                expr: Box::new(left),
                list,
                negated,
            });
        }
        if negated {
            return Err(self.unexpected("`in` after `not`"));
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Expr, CheckError> {
        let mut left = self.product()?;
        loop {
            let op = if self.sym("+") {
                BinaryOp::Add
            } else if self.sym("-") {
                BinaryOp::Sub
            } else {
                return Ok(left);
            };
            let right = self.product()?;
            left = binary(op, left, right);
        }
    }

    fn product(&mut self) -> Result<Expr, CheckError> {
        let mut left = self.unary()?;
        loop {
            let op = if self.sym("*") {
                BinaryOp::Mul
            } else if self.sym("/") {
                BinaryOp::Div
            } else {
                return Ok(left);
            };
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Expr, CheckError> {
        if self.sym("-") {
            // A negative literal stays a literal, so `-1` and `- 1` are one tree.
            return Ok(match self.unary()? {
                Expr::Int { value } => Expr::Int { value: -value },
                Expr::Decimal { value } => Expr::Decimal {
                    value: format!("-{value}"),
                },
                other => Expr::Neg { expr: Box::new(other) },
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, CheckError> {
        let expr = match self.peek().clone() {
            Tok::Int(value) => Expr::Int { value },
            Tok::Decimal(value) => Expr::Decimal { value },
            Tok::Str(value) => Expr::Str { value },
            Tok::Sym("(") => {
                self.at += 1;
                let inner = self.or()?;
                if !self.sym(")") {
                    return Err(self.unexpected("`)`"));
                }
                return Ok(inner);
            }
            Tok::Ident(word) => match word.to_ascii_lowercase().as_str() {
                "true" => Expr::Bool { value: true },
                "false" => Expr::Bool { value: false },
                "null" => {
                    return Err(
                        CheckError::new(self.offset(), &word, "`null` is only allowed after `is`")
                            .expected("`x is null` or `x is not null`"),
                    )
                }
                "length" => {
                    self.at += 1;
                    if !self.sym("(") {
                        return Err(self.unexpected("`(` after `length`"));
                    }
                    let inner = self.or()?;
                    if !self.sym(")") {
                        return Err(self.unexpected("`)`"));
                    }
                    return Ok(Expr::Length { expr: Box::new(inner) });
                }
                "and" | "or" | "not" | "in" | "is" => return Err(self.unexpected("a field name or a value")),
                _ => Expr::Column { name: word },
            },
            _ => return Err(self.unexpected("a field name or a value")),
        };
        self.at += 1;
        Ok(expr)
    }
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}

/// What kind of value an expression has, for the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Text,
    Bool,
    /// Dates, times and timestamps: comparable with their own kind only.
    Time,
    /// UUIDs, bytes and JSON: only `is null` applies.
    Opaque,
}

impl Kind {
    fn of(ty: &LogicalType) -> Kind {
        match ty {
            LogicalType::SmallInt
            | LogicalType::Int
            | LogicalType::BigInt
            | LogicalType::Float
            | LogicalType::Decimal { .. } => Kind::Number,
            LogicalType::Str { .. } | LogicalType::Text | LogicalType::Enum(_) => Kind::Text,
            LogicalType::Bool { .. } => Kind::Bool,
            LogicalType::DateTime { .. } | LogicalType::Date | LogicalType::Time => Kind::Time,
            LogicalType::Bytes { .. } | LogicalType::Uuid | LogicalType::Json { .. } => Kind::Opaque,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Text => "text",
            Kind::Bool => "a boolean",
            Kind::Time => "a date or time",
            Kind::Opaque => "a value checks cannot compare",
        }
    }
}

/// Resolves field names to columns and checks that the expression is a well-typed
/// condition. `column` maps a field name to its column name and type. The text is the
/// one parsed, so errors point at the name as written.
pub fn check_types<'a>(
    text: &str,
    expr: &mut Expr,
    column: &dyn Fn(&str) -> Option<(&'a str, &'a LogicalType)>,
) -> Result<(), CheckError> {
    let checker = TypeCheck { text, column };
    let kind = checker.kind(expr)?;
    if kind != Kind::Bool {
        return Err(
            CheckError::new(0, text.trim(), format!("the check is {}, not a condition", kind.name()))
                .expected("a condition such as `total >= 0`"),
        );
    }
    Ok(())
}

struct TypeCheck<'t, 'a> {
    text: &'t str,
    column: &'t dyn Fn(&str) -> Option<(&'a str, &'a LogicalType)>,
}

impl TypeCheck<'_, '_> {
    /// Where a name first appears as a whole word, for messages about it.
    fn find(&self, word: &str) -> usize {
        let bytes = self.text.as_bytes();
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        self.text
            .match_indices(word)
            .map(|(at, _)| at)
            .find(|&at| (at == 0 || !is_word(bytes[at - 1])) && bytes.get(at + word.len()).is_none_or(|b| !is_word(*b)))
            .unwrap_or(0)
    }

    fn kind(&self, expr: &mut Expr) -> Result<Kind, CheckError> {
        Ok(match expr {
            Expr::Column { name } => {
                let Some((column, ty)) = (self.column)(name) else {
                    let at = self.find(name);
                    return Err(CheckError::new(at, name, format!("unknown field `{name}` in check"))
                        .expected("a field of this model"));
                };
                *name = column.to_owned();
                Kind::of(ty)
            }
            Expr::Int { .. } | Expr::Decimal { .. } => Kind::Number,
            Expr::Str { .. } => Kind::Text,
            Expr::Bool { .. } => Kind::Bool,
            Expr::Not { expr } => {
                self.want(expr, Kind::Bool, "`not`")?;
                Kind::Bool
            }
            Expr::Neg { expr } => {
                self.want(expr, Kind::Number, "`-`")?;
                Kind::Number
            }
            Expr::IsNull { expr, .. } => {
                self.kind(expr)?;
                Kind::Bool
            }
            Expr::Length { expr } => {
                self.want(expr, Kind::Text, "`length()`")?;
                Kind::Number
            }
            Expr::In { expr, list, .. } => {
                let kind = self.comparable(expr, "`in`")?;
                for item in list.iter_mut() {
                    self.want(item, kind, "an `in` list")?;
                    self.enum_value(expr, item)?;
                }
                Kind::Bool
            }
            Expr::Binary { op, left, right } => match op {
                BinaryOp::And | BinaryOp::Or => {
                    let what = format!("`{}`", op.sql().to_ascii_lowercase());
                    self.want(left, Kind::Bool, &what)?;
                    self.want(right, Kind::Bool, &what)?;
                    Kind::Bool
                }
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                    let what = format!("`{}`", op.sql());
                    self.want(left, Kind::Number, &what)?;
                    self.want(right, Kind::Number, &what)?;
                    Kind::Number
                }
                _ => {
                    let what = format!("`{}`", op.sql());
                    let kind = self.comparable(left, &what)?;
                    self.want(right, kind, &what)?;
                    self.enum_value(left, right)?;
                    self.enum_value(right, left)?;
                    Kind::Bool
                }
            },
        })
    }

    /// Refuses text compared with an enum column that is none of its values: PostgreSQL
    /// reads the text as a value of its enum type and refuses the CHECK, and such a
    /// comparison could never hold anyway.
    fn enum_value(&self, column: &Expr, other: &Expr) -> Result<(), CheckError> {
        let (Expr::Column { name }, Expr::Str { value }) = (column, other) else {
            return Ok(());
        };
        let Some((_, LogicalType::Enum(e))) = (self.column)(name) else {
            return Ok(());
        };
        if e.values.contains(value) {
            return Ok(());
        }
        let word = describe(other);
        Err(CheckError::new(
            self.find(&word),
            &word,
            format!("{word} is not a value of `{name}`'s enum"),
        )
        .expected(&format!("one of {}", e.values.join(", "))))
    }

    fn comparable(&self, expr: &mut Expr, what: &str) -> Result<Kind, CheckError> {
        let kind = self.kind(expr)?;
        if kind == Kind::Opaque {
            let word = describe(expr);
            return Err(
                CheckError::new(self.find(&word), &word, format!("{what} cannot compare `{word}`"))
                    .expected("numbers, text, booleans or dates; only `is null` applies to uuid, bytes and json"),
            );
        }
        Ok(kind)
    }

    fn want(&self, expr: &mut Expr, want: Kind, what: &str) -> Result<(), CheckError> {
        let kind = self.kind(expr)?;
        if kind == want {
            return Ok(());
        }
        let word = describe(expr);
        Err(CheckError::new(
            self.find(&word),
            &word,
            format!("{what} needs {}, but `{word}` is {}", want.name(), kind.name()),
        ))
    }
}

/// A short text for an operand in messages: the column or literal itself.
fn describe(expr: &Expr) -> String {
    match expr {
        Expr::Column { name } => name.clone(),
        Expr::Int { value } => value.to_string(),
        Expr::Decimal { value } => value.clone(),
        Expr::Str { value } => format!("'{}'", value.replace('\'', "''")),
        Expr::Bool { value } => value.to_string(),
        Expr::Length { .. } => "length".to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;
