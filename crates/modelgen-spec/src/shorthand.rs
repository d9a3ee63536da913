//! The field shorthand: `str(255)? unique index` — a type, an optional `?`, then flags.

use crate::diag::{did_you_mean, ErrorKind};
use modelgen_ir::LogicalType;

pub const TYPE_NAMES: [&str; 16] = [
    "str", "text", "smallint", "int", "bigint", "float", "decimal", "bool", "datetime", "date", "time", "bytes",
    "uuid", "json", "list", "map",
];

pub const FLAGS: [&str; 7] = [
    "pk",
    "primary_key",
    "autoincrement",
    "unique",
    "index",
    "secret",
    "nullable",
];

pub const TYPES_EXPECTED: &str = "a type: str(n), str, text, smallint, int, bigint, float, decimal(p,s), bool, bool(check), datetime, datetime(tz), date, time, bytes, bytes(n), uuid, json, list[T] or map[T]";

/// A shorthand that could not be read, with the word to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError {
    pub kind: ErrorKind,
    pub message: String,
    pub word: String,
    pub expected: Option<String>,
    pub help: Option<String>,
}

impl ShorthandError {
    fn new(kind: ErrorKind, word: &str, message: String) -> ShorthandError {
        ShorthandError {
            kind,
            message,
            word: word.to_owned(),
            expected: None,
            help: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shorthand {
    pub ty: LogicalType,
    pub nullable: bool,
    pub flags: Vec<String>,
}

pub fn parse_shorthand(text: &str) -> Result<Shorthand, ShorthandError> {
    let words = split_words(text);
    let Some((first, rest)) = words.split_first() else {
        let mut err = ShorthandError::new(ErrorKind::UnknownType, "", "empty field type".into());
        err.expected = Some(TYPES_EXPECTED.into());
        return Err(err);
    };
    let (type_word, nullable) = match first.strip_suffix('?') {
        Some(t) => (t, true),
        None => (*first, false),
    };
    let ty = parse_type(type_word)?;
    let mut flags = Vec::new();
    for word in rest {
        if !FLAGS.contains(word) {
            let mut err = ShorthandError::new(ErrorKind::UnknownFlag, word, format!("unknown field flag `{word}`"));
            err.expected = Some(format!("one of {}", FLAGS.join(", ")));
            err.help = did_you_mean(word, FLAGS);
            return Err(err);
        }
        flags.push(word.to_string());
    }
    Ok(Shorthand { ty, nullable, flags })
}

/// Splits on whitespace outside brackets, so `decimal(10, 2)` stays one word.
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut depth = 0i32;
    let mut start = None;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if c.is_whitespace() && depth <= 0 {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words
}

/// A type word, with the spec's suggestions added to the IR parser's errors.
pub fn parse_type(word: &str) -> Result<LogicalType, ShorthandError> {
    word.parse::<LogicalType>().map_err(|e| {
        let kind = if e.unknown {
            ErrorKind::UnknownType
        } else {
            ErrorKind::BadTypeParams
        };
        let mut err = ShorthandError::new(kind, &e.word, e.message);
        err.help = e.help;
        if e.unknown {
            err.expected = Some(TYPES_EXPECTED.into());
            err.help = did_you_mean(&e.word, TYPE_NAMES);
        }
        err
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_type_nullability_and_flags() {
        let s = parse_shorthand("str(255)? unique index").unwrap();
        assert_eq!(s.ty, LogicalType::Str { max_length: Some(255) });
        assert!(s.nullable);
        assert_eq!(s.flags, ["unique", "index"]);
        let d = parse_shorthand("decimal(10, 2)").unwrap();
        assert_eq!(
            d.ty,
            LogicalType::Decimal {
                precision: 10,
                scale: 2
            }
        );
    }

    #[test]
    fn reads_nested_json_shapes() {
        let s = parse_shorthand("map[list[str]]").unwrap();
        assert_eq!(s.ty.to_string(), "map[list[str]]");
    }

    #[test]
    fn rejects_with_the_word_at_fault() {
        let e = parse_shorthand("strng(255)").unwrap_err();
        assert_eq!((e.kind, e.word.as_str()), (ErrorKind::UnknownType, "strng"));
        assert_eq!(e.help.as_deref(), Some("did you mean `str`?"));
        let e = parse_shorthand("int pk uniq").unwrap_err();
        assert_eq!((e.kind, e.word.as_str()), (ErrorKind::UnknownFlag, "uniq"));
        assert_eq!(
            parse_shorthand("decimal(2,5)").unwrap_err().kind,
            ErrorKind::BadTypeParams
        );
    }
}
