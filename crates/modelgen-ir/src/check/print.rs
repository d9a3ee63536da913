//! A tree back as text of the check language, for outputs that hand a check to a front
//! end again (the derive attributes of generated Rust). Every operation below the top
//! is wrapped in parentheses, so the text parses back to the same tree whatever the
//! precedences.

use super::{BinaryOp, Expr};

impl Expr {
    /// Text that [`super::parse_check`] reads back as this tree.
    pub fn source(&self) -> String {
        let text = self.wrapped();
        match self {
            Expr::Not { .. } | Expr::Neg { .. } | Expr::Binary { .. } | Expr::In { .. } | Expr::IsNull { .. } => {
                text[1..text.len() - 1].to_owned()
            }
            _ => text,
        }
    }

    fn wrapped(&self) -> String {
        match self {
            Expr::Column { name } => name.clone(),
            Expr::Int { value } => value.to_string(),
            Expr::Decimal { value } => value.clone(),
            Expr::Str { value } => format!("'{}'", value.replace('\'', "''")),
            Expr::Bool { value } => value.to_string(),
            Expr::Not { expr } => format!("(not {})", expr.wrapped()),
            Expr::Neg { expr } => format!("(-{})", expr.wrapped()),
            Expr::Binary { op, left, right } => {
                let op = match op {
                    BinaryOp::Or => "or",
                    BinaryOp::And => "and",
                    BinaryOp::Ne => "!=",
                    other => other.sql(),
                };
                format!("({} {op} {})", left.wrapped(), right.wrapped())
            }
            Expr::In { expr, list, negated } => {
                let list: Vec<String> = list.iter().map(Expr::wrapped).collect();
                let not = if *negated { "not " } else { "" };
                format!("({} {not}in ({}))", expr.wrapped(), list.join(", "))
            }
            Expr::IsNull { expr, negated } => {
                let not = if *negated { "not " } else { "" };
                format!("({} is {not}null)", expr.wrapped())
            }
            Expr::Length { expr } => format!("length({})", expr.source()),
        }
    }
}
