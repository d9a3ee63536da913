//! The check language's text → tree: a lexer and a precedence-climbing parser whose
//! errors carry the byte offset and the word they are about.

use super::{BinaryOp, Expr};

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
    pub(super) fn new(offset: usize, word: &str, message: impl Into<String>) -> CheckError {
        CheckError {
            offset,
            word: word.to_owned(),
            message: message.into(),
            expected: None,
        }
    }

    pub(super) fn expected(mut self, text: &str) -> CheckError {
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
                    return Ok(Expr::Length {
                        expr: Box::new(self.argument("length")?),
                    });
                }
                // Functions only when called: a field may be named `lower`.
                "lower" | "upper" if matches!(self.toks.get(self.at + 1), Some((Tok::Sym("("), ..))) => {
                    self.at += 1;
                    let expr = Box::new(self.argument(&word)?);
                    return Ok(match word.to_ascii_lowercase().as_str() {
                        "lower" => Expr::Lower { expr },
                        _ => Expr::Upper { expr },
                    });
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

impl Parser<'_> {
    /// A function's one argument in parentheses, after its name.
    fn argument(&mut self, function: &str) -> Result<Expr, CheckError> {
        if !self.sym("(") {
            return Err(self.unexpected(&format!("`(` after `{function}`")));
        }
        let inner = self.or()?;
        if !self.sym(")") {
            return Err(self.unexpected("`)`"));
        }
        Ok(inner)
    }
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}
