//! Default values checked against their column's type, shared by every front end so the
//! YAML spec and `#[model(default = …)]` accept exactly the same literals.

use crate::{DefaultValue, JsonShape, LogicalType};
use std::fmt::Write;

/// A literal as a front end read it, before its column's type gives it a meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// JSON's null, inside a JSON default.
    Null,
    Bool(bool),
    /// A number as written (`42`, `-3`, `9.99`), so decimals keep every digit.
    Number(String),
    Str(String),
    List(Vec<Literal>),
    Map(Vec<(String, Literal)>),
}

/// The default `literal` means on a column of type `ty`: on datetime and date columns
/// `now` is the insert time; on JSON columns any literal of the right shape, kept as
/// compact JSON. `Err` says what was expected.
pub fn check_default(ty: &LogicalType, literal: &Literal) -> Result<DefaultValue, String> {
    use Literal as L;
    text_in(literal)?;
    use LogicalType as T;
    let value = match (ty, literal) {
        (T::Bool { .. }, L::Bool(b)) => DefaultValue::Bool(*b),
        (T::SmallInt, L::Number(n)) if n.parse::<i16>().is_ok() => DefaultValue::Int(n.parse().unwrap_or_default()),
        (T::Int, L::Number(n)) if n.parse::<i32>().is_ok() => DefaultValue::Int(n.parse().unwrap_or_default()),
        (T::BigInt, L::Number(n)) if n.parse::<i64>().is_ok() => DefaultValue::Int(n.parse().unwrap_or_default()),
        (T::Float, L::Number(n)) if n.parse::<f64>().is_ok_and(f64::is_finite) => {
            DefaultValue::Float(n.parse().unwrap_or_default())
        }
        (T::Decimal { precision, scale }, L::Number(n) | L::Str(n)) if fits_decimal(n, *precision, *scale) => {
            DefaultValue::Decimal(n.clone())
        }
        (T::Str { max_length }, L::Str(s)) if max_length.is_none_or(|n| s.chars().count() <= n as usize) => {
            DefaultValue::Str(s.clone())
        }
        (T::Text, L::Str(s)) => DefaultValue::Str(s.clone()),
        (T::DateTime { .. } | T::Date, L::Str(s)) if s == "now" => DefaultValue::Now,
        // One spelling, with the space: databases store `T` as a space and read it back so.
        (T::DateTime { .. }, L::Str(s)) if is_timestamp(s) => DefaultValue::Str(s.replacen('T', " ", 1)),
        (T::Date, L::Str(s)) if is_date(s) => DefaultValue::Str(s.clone()),
        (T::Time, L::Str(s)) if is_time(s) => DefaultValue::Str(s.clone()),
        (T::Enum(e), L::Str(s)) if e.values.contains(s) => DefaultValue::Str(s.clone()),
        (T::Uuid, L::Str(s)) if s == "uuid4" => DefaultValue::Uuid4,
        (T::Uuid, L::Str(s)) if is_uuid(s) => DefaultValue::Str(s.to_ascii_lowercase()),
        (T::Json { shape }, l) if fits(shape, l) => {
            let mut json = String::new();
            write_json(&mut json, l);
            DefaultValue::Json(json)
        }
        _ => return Err(expected(ty)),
    };
    Ok(value)
}

/// The server default `literal` means on a column of type `ty`: what `check_default`
/// takes, but `uuid4` (see [`server_side`]), and also a number written as a string on a
/// numeric column (SQLAlchemy's `server_default="0"`), which the DDL keeps quoted: `DEFAULT '0'`.
pub fn check_server_default(ty: &LogicalType, literal: &Literal) -> Result<DefaultValue, String> {
    use LogicalType as T;
    match (ty, literal) {
        (T::SmallInt | T::Int | T::BigInt | T::Float, Literal::Str(s))
            if check_default(ty, &Literal::Number(s.clone())).is_ok() =>
        {
            Ok(DefaultValue::Str(s.clone()))
        }
        _ => {
            let value = check_default(ty, literal)?;
            server_side(&value)?;
            Ok(value)
        }
    }
}

/// Whether a checked default can also be the database's (`server_default`): `uuid4` is
/// made by the application, and no database makes one the same way.
pub fn server_side(value: &DefaultValue) -> Result<(), String> {
    match value {
        DefaultValue::Uuid4 => Err(
            "`uuid4` is made by the application when it builds a row: write it as `default: uuid4`, not as a server default"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Every string in a literal (JSON keys too) goes into SQL, Rust and Python as it is.
fn text_in(literal: &Literal) -> Result<(), String> {
    match literal {
        Literal::Str(s) => {
            crate::check_text(s).map_err(|why| format!("text without control or bidirectional characters; this {why}"))
        }
        Literal::List(items) => items.iter().try_for_each(text_in),
        Literal::Map(entries) => entries.iter().try_for_each(|(k, v)| {
            crate::check_text(k)
                .map_err(|why| format!("keys without control or bidirectional characters; one {why}"))?;
            text_in(v)
        }),
        _ => Ok(()),
    }
}

/// What a default of this type looks like, for error messages.
pub fn expected(ty: &LogicalType) -> String {
    match ty {
        LogicalType::Bool { .. } => "`true` or `false`".into(),
        LogicalType::SmallInt => "a whole number within 16 bits".into(),
        LogicalType::Int => "a whole number within 32 bits".into(),
        LogicalType::BigInt => "a whole number".into(),
        LogicalType::Float => "a number".into(),
        LogicalType::Decimal { precision, scale } => format!(
            "a number with at most {} digits before the point and {scale} after, or such a decimal in quotes (\"9.99\")",
            precision - scale
        ),
        LogicalType::Str { max_length: Some(n) } => format!("a string of at most {n} characters"),
        LogicalType::Str { max_length: None } => "a string".into(),
        LogicalType::Text => "a string".into(),
        LogicalType::DateTime { .. } => {
            "`now` or a real timestamp in whole seconds, years 1000–9999, such as \"2024-01-31 12:00:00\"".into()
        }
        LogicalType::Date => "`now` or a real date, years 1000–9999, such as \"2024-01-31\"".into(),
        LogicalType::Time => "a time of day in whole seconds, such as \"12:30:00\"".into(),
        LogicalType::Bytes { .. } => "nothing: a `bytes` column takes no literal default".into(),
        LogicalType::Uuid => {
            "`uuid4` (a random UUID the application makes) or a UUID such as \"123e4567-e89b-12d3-a456-426614174000\"".into()
        }
        LogicalType::Json { shape: JsonShape::Any } => "any JSON value".into(),
        LogicalType::Enum(e) => format!("one of its values: {}", e.values.join(", ")),
        LogicalType::Json { shape } => format!("a JSON value of shape `{shape}`, such as {}", example(shape)),
    }
}

/// A value of `shape` for a message: `[]` for a list, `{}` for a map, one value else.
fn example(shape: &JsonShape) -> &'static str {
    match shape {
        JsonShape::List(_) => "[]",
        JsonShape::Map(_) => "{}",
        JsonShape::Str => "\"text\"",
        JsonShape::Int | JsonShape::BigInt => "0",
        JsonShape::Float => "0.5",
        JsonShape::Bool => "true",
        JsonShape::Any => "null",
    }
}

fn fits(shape: &JsonShape, literal: &Literal) -> bool {
    match (shape, literal) {
        (JsonShape::Any, _) => true,
        (JsonShape::Str, Literal::Str(_)) => true,
        (JsonShape::Int, Literal::Number(n)) => n.parse::<i32>().is_ok(),
        (JsonShape::BigInt, Literal::Number(n)) => n.parse::<i64>().is_ok(),
        (JsonShape::Float, Literal::Number(n)) => n.parse::<f64>().is_ok(),
        (JsonShape::Bool, Literal::Bool(_)) => true,
        (JsonShape::List(item), Literal::List(items)) => items.iter().all(|i| fits(item, i)),
        (JsonShape::Map(item), Literal::Map(entries)) => entries.iter().all(|(_, v)| fits(item, v)),
        _ => false,
    }
}

/// Compact JSON, keys in the order written, so the same literal always reads the same.
fn write_json(out: &mut String, literal: &Literal) {
    match literal {
        Literal::Null => out.push_str("null"),
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Number(n) => out.push_str(n),
        Literal::Str(s) => write_json_string(out, s),
        Literal::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item);
            }
            out.push(']');
        }
        Literal::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, key);
                out.push(':');
                write_json(out, value);
            }
            out.push('}');
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The digits before and after the point of a decimal literal, without leading and
/// trailing zeros: `-012.500` has 2 and 1.
fn decimal_digits(s: &str) -> Option<(usize, usize)> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| (whole.trim_start_matches('0').len(), frac.trim_end_matches('0').len()))
}

/// Whether a decimal literal fits `decimal(precision, scale)` without rounding: no more
/// digits after the point than the scale, and no more before it than the rest.
fn fits_decimal(s: &str, precision: u32, scale: u32) -> bool {
    decimal_digits(s).is_some_and(|(whole, frac)| frac <= scale as usize && whole <= (precision - scale) as usize)
}

/// The years every database takes in a DATE (MySQL documents 1000–9999).
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// `YYYY-MM-DD`, a real date, as `chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")` in
/// the generated Rust reads it.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok_and(|d| YEARS.contains(&chrono::Datelike::year(&d)))
}

/// `HH:MM:SS`, a real time of day, whole seconds (MySQL's TIME keeps no fraction), as the
/// generated Rust's `NaiveTime::parse_from_str(s, "%H:%M:%S")` reads it.
fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8
        && b[2] == b':'
        && b[5] == b':'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
        && chrono::NaiveTime::parse_from_str(s, "%H:%M:%S").is_ok()
}

/// `YYYY-MM-DD HH:MM:SS` (or with `T`), a real instant, whole seconds (MySQL's DATETIME
/// keeps no fraction, so a fraction would differ between databases), as the generated
/// Rust's `NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")` reads it.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 19
        && is_date(&s[..10])
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && b[16] == b':'
        && [11, 12, 14, 15, 17, 18].iter().all(|&i| b[i].is_ascii_digit());
    shape && chrono::NaiveDateTime::parse_from_str(&s.replacen('T', " ", 1), "%Y-%m-%d %H:%M:%S").is_ok()
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> LogicalType {
        s.parse().unwrap()
    }

    #[test]
    fn literals_mean_what_their_column_type_says() {
        let n = |s: &str| Literal::Number(s.into());
        let s = |s: &str| Literal::Str(s.into());
        assert_eq!(check_default(&ty("datetime"), &s("now")), Ok(DefaultValue::Now));
        assert_eq!(
            check_default(&ty("decimal(10,2)"), &n("9.99")),
            Ok(DefaultValue::Decimal("9.99".into()))
        );
        assert_eq!(check_default(&ty("float"), &n("2")), Ok(DefaultValue::Float(2.0)));
        assert_eq!(
            check_default(
                &ty("map[list[int]]"),
                &Literal::Map(vec![("a\"b".into(), Literal::List(vec![n("1")]))])
            ),
            Ok(DefaultValue::Json(r#"{"a\"b":[1]}"#.into()))
        );
        assert_eq!(
            check_default(&ty("uuid"), &s("123E4567-E89B-12D3-A456-426614174000")),
            Ok(DefaultValue::Str("123e4567-e89b-12d3-a456-426614174000".into()))
        );
        assert!(check_default(&ty("int"), &n("1099511627776")).is_err());
        assert!(check_default(&ty("str(2)"), &s("abc")).is_err());
        assert!(check_default(&ty("list[str]"), &Literal::List(vec![n("1")])).is_err());
        assert!(check_default(&ty("text"), &Literal::Bool(true)).is_err());
    }
}
