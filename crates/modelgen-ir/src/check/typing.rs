//! The check language's types: field names resolved to columns, and every operator given
//! operands of the kinds it takes, so a check the databases would refuse (or read
//! differently) is an error at the spec.

use super::{BinaryOp, CheckError, Expr};
use crate::LogicalType;

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

/// Resolves and type-checks an index's expression key (`lower(email)`), as
/// [`check_types`] does a condition: any kind of value may be a key, but it must read a
/// field (a constant orders nothing) and hold no `true`/`false`, which SQLite spells 1/0
/// and SQLAlchemy's one text for every database could not.
pub fn check_key_types<'a>(
    text: &str,
    expr: &mut Expr,
    column: &dyn Fn(&str) -> Option<(&'a str, &'a LogicalType)>,
) -> Result<(), CheckError> {
    let checker = TypeCheck { text, column };
    checker.kind(expr)?;
    if expr.columns().is_empty() {
        return Err(CheckError::new(0, text.trim(), "it reads no field")
            .expected("an expression of a field, such as `lower(email)`"));
    }
    if has_bool_literal(expr) {
        let at = ["true", "false"]
            .map(|w| checker.find(w))
            .into_iter()
            .max()
            .unwrap_or(0);
        return Err(CheckError::new(at, text.trim(), "it cannot hold `true` or `false`")
            .expected("the field itself, or a comparison with it in the index's `where:`"));
    }
    Ok(())
}

fn has_bool_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Bool { .. } => true,
        Expr::Column { .. } | Expr::Int { .. } | Expr::Decimal { .. } | Expr::Str { .. } => false,
        Expr::Not { expr }
        | Expr::Neg { expr }
        | Expr::Length { expr }
        | Expr::Lower { expr }
        | Expr::Upper { expr }
        | Expr::IsNull { expr, .. } => has_bool_literal(expr),
        Expr::Binary { left, right, .. } => has_bool_literal(left) || has_bool_literal(right),
        Expr::In { expr, list, .. } => has_bool_literal(expr) || list.iter().any(has_bool_literal),
    }
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
                self.text_argument(expr, "`length()`")?;
                Kind::Number
            }
            Expr::Lower { expr } => {
                self.text_argument(expr, "`lower()`")?;
                Kind::Text
            }
            Expr::Upper { expr } => {
                self.text_argument(expr, "`upper()`")?;
                Kind::Text
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
        let lookup = |name: &str| (self.column)(name).map(|(_, ty)| ty);
        match outside_enum(column, other, &lookup) {
            None => Ok(()),
            Some((message, values)) => {
                let word = describe(other);
                Err(CheckError::new(self.find(&word), &word, message).expected(&format!("one of {values}")))
            }
        }
    }

    /// A text function's argument: text, but not a native enum field, a type of its own on
    /// PostgreSQL, which has no text functions for it (and no cast to text an index may
    /// use: it is not immutable).
    fn text_argument(&self, expr: &mut Expr, what: &str) -> Result<(), CheckError> {
        self.want(expr, Kind::Text, what)?;
        if let Expr::Column { name } = expr {
            let native = matches!((self.column)(name), Some((_, LogicalType::Enum(e))) if e.native);
            if native {
                return Err(CheckError::new(
                    self.find(name),
                    name,
                    format!("{what} cannot take `{name}`, a native enum (PostgreSQL has no text functions for its enum types)"),
                )
                .expected("a comparison with its values, or `native: false` on the enum (a VARCHAR everywhere)"));
            }
        }
        Ok(())
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
        Expr::Lower { .. } => "lower".to_owned(),
        Expr::Upper { .. } => "upper".to_owned(),
        _ => String::new(),
    }
}

/// The first text an already typed tree compares with an enum column that is none of its
/// values, as [`check_types`] refuses it: for trees whose columns learned their enums
/// later (a derived struct's `#[model(enum)]` fields, read from source).
pub fn enum_literals<'a>(expr: &Expr, column: &dyn Fn(&str) -> Option<&'a LogicalType>) -> Result<(), String> {
    let outside = |col: &Expr, other: &Expr| match outside_enum(col, other, column) {
        Some((message, values)) => Err(format!("{message} (one of {values})")),
        None => Ok(()),
    };
    match expr {
        Expr::Column { .. } | Expr::Int { .. } | Expr::Decimal { .. } | Expr::Str { .. } | Expr::Bool { .. } => Ok(()),
        Expr::Not { expr }
        | Expr::Neg { expr }
        | Expr::Length { expr }
        | Expr::Lower { expr }
        | Expr::Upper { expr }
        | Expr::IsNull { expr, .. } => enum_literals(expr, column),
        Expr::Binary { op, left, right } => {
            if !matches!(
                op,
                BinaryOp::And | BinaryOp::Or | BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div
            ) {
                outside(left, right)?;
                outside(right, left)?;
            }
            enum_literals(left, column)?;
            enum_literals(right, column)
        }
        Expr::In { expr, list, .. } => {
            for item in list {
                outside(expr, item)?;
                enum_literals(item, column)?;
            }
            enum_literals(expr, column)
        }
    }
}

/// `other` as text an enum column `column` is compared with, when it is none of the
/// enum's values: the message and the values, for both kinds of report.
fn outside_enum<'a>(
    column: &Expr,
    other: &Expr,
    lookup: &dyn Fn(&str) -> Option<&'a LogicalType>,
) -> Option<(String, String)> {
    let (Expr::Column { name }, Expr::Str { value }) = (column, other) else {
        return None;
    };
    match lookup(name) {
        Some(LogicalType::Enum(e)) if !e.values.contains(value) => Some((
            format!("{} is not a value of `{name}`'s enum", describe(other)),
            e.values.join(", "),
        )),
        _ => None,
    }
}
