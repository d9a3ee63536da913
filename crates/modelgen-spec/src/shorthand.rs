//! The field shorthand: `str(255)? unique index` — a type, an optional `?`, then flags.

use crate::diag::{did_you_mean, ErrorKind};
use modelgen_ir::{JsonShape, LogicalType};

pub const TYPE_NAMES: [&str; 13] = [
    "str", "text", "int", "bigint", "float", "decimal", "bool", "datetime", "date", "uuid", "json", "list", "map",
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

pub const TYPES_EXPECTED: &str = "a type: str(n), text, int, bigint, float, decimal(p,s), bool, datetime, datetime(tz), date, uuid, json, list[T] or map[T]";

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

pub fn parse_type(word: &str) -> Result<LogicalType, ShorthandError> {
    let (name, args) = split_args(word)?;
    let bad_params = |message: String, help: &str| {
        let mut err = ShorthandError::new(ErrorKind::BadTypeParams, word, message);
        err.help = Some(help.to_owned());
        err
    };
    let no_args = |ty: LogicalType| match args {
        None => Ok(ty),
        Some(_) => Err(bad_params(
            format!("type `{name}` takes no parameters"),
            &format!("write `{name}`"),
        )),
    };
    match name {
        "str" => {
            let Some(args) = args else {
                return Err(bad_params(
                    "`str` needs a maximum length".into(),
                    "write `str(255)` for bounded text, or `text` for unbounded text",
                ));
            };
            match args.trim().parse::<u32>() {
                Ok(n) if n > 0 => Ok(LogicalType::Str { max_length: n }),
                _ => Err(bad_params(
                    format!("`str` length must be a positive whole number, not `{args}`"),
                    "write `str(255)`",
                )),
            }
        }
        "decimal" => {
            let help = "write `decimal(10,2)`: precision (total digits) then scale (digits after the point)";
            let Some(args) = args else {
                return Err(bad_params("`decimal` needs a precision and a scale".into(), help));
            };
            let parts: Vec<_> = args.split(',').map(|p| p.trim().parse::<u32>()).collect();
            match parts.as_slice() {
                [Ok(p), Ok(_)] if *p == 0 || *p > 1000 => Err(bad_params(
                    format!("`decimal` precision must be between 1 and 1000, not {p}"),
                    help,
                )),
                [Ok(p), Ok(s)] if s > p => Err(bad_params(
                    format!("`decimal` scale {s} is larger than its precision {p}"),
                    help,
                )),
                [Ok(p), Ok(s)] => Ok(LogicalType::Decimal {
                    precision: *p,
                    scale: *s,
                }),
                _ => Err(bad_params(
                    format!("`decimal` needs a precision and a scale, not `{args}`"),
                    help,
                )),
            }
        }
        "datetime" => match args.map(str::trim) {
            None => Ok(LogicalType::DateTime { timezone: false }),
            Some("tz") => Ok(LogicalType::DateTime { timezone: true }),
            Some(other) => Err(bad_params(
                format!("`datetime` takes only `tz`, not `{other}`"),
                "write `datetime` (naive) or `datetime(tz)` (timezone-aware)",
            )),
        },
        "text" => no_args(LogicalType::Text),
        "int" => no_args(LogicalType::Int),
        "bigint" => no_args(LogicalType::BigInt),
        "float" => no_args(LogicalType::Float),
        "bool" => no_args(LogicalType::Bool),
        "date" => no_args(LogicalType::Date),
        "uuid" => no_args(LogicalType::Uuid),
        "json" | "list" | "map" => Ok(LogicalType::Json {
            shape: parse_shape(word)?,
        }),
        _ => {
            let mut err = ShorthandError::new(ErrorKind::UnknownType, name, format!("unknown type `{name}`"));
            err.expected = Some(TYPES_EXPECTED.into());
            err.help = did_you_mean(name, TYPE_NAMES);
            Err(err)
        }
    }
}

/// `list[str]`, `map[list[int]]`, `json`: what a JSON column holds.
fn parse_shape(word: &str) -> Result<JsonShape, ShorthandError> {
    let (name, inner) = match word.find('[') {
        Some(open) if word.ends_with(']') => (&word[..open], Some(&word[open + 1..word.len() - 1])),
        _ => (word, None),
    };
    let bad = |message: String| {
        let mut err = ShorthandError::new(ErrorKind::BadTypeParams, word, message);
        err.help = Some("write `list[str]`, `map[int]` or `json`; items may be str, int, bigint, float, bool, json, list[…] or map[…]".into());
        err
    };
    match (name, inner) {
        ("json", None) => Ok(JsonShape::Any),
        ("str", None) => Ok(JsonShape::Str),
        ("int", None) => Ok(JsonShape::Int),
        ("bigint", None) => Ok(JsonShape::BigInt),
        ("float", None) => Ok(JsonShape::Float),
        ("bool", None) => Ok(JsonShape::Bool),
        ("list", Some(inner)) => Ok(JsonShape::List(Box::new(parse_shape(inner.trim())?))),
        ("map", Some(inner)) => Ok(JsonShape::Map(Box::new(parse_shape(inner.trim())?))),
        ("list" | "map", None) => Err(bad(format!("`{name}` needs an item type"))),
        _ => Err(bad(format!("`{word}` cannot be held in a JSON list or map"))),
    }
}

/// `decimal(10,2)` → (`decimal`, `10,2`).
fn split_args(word: &str) -> Result<(&str, Option<&str>), ShorthandError> {
    if let Some(open) = word.find('[') {
        return Ok((&word[..open], None));
    }
    match word.find('(') {
        None => Ok((word, None)),
        Some(open) if word.ends_with(')') => Ok((&word[..open], Some(&word[open + 1..word.len() - 1]))),
        Some(_) => Err(ShorthandError::new(
            ErrorKind::BadTypeParams,
            word,
            format!("unclosed `(` in type `{word}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_type_nullability_and_flags() {
        let s = parse_shorthand("str(255)? unique index").unwrap();
        assert_eq!(s.ty, LogicalType::Str { max_length: 255 });
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
