//! Random values of every column type as Rust expressions of the generated field types
//! (every dialect listed: `modelgen::types` for uuid, decimal and `datetime(tz)`), edge
//! cases first: empty and longest strings, unicode, extreme integers and floats, decimals
//! at their precision, dates at the limits the three databases share, nested JSON.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use modelgen_ir::{JsonShape, LogicalType};
use modelgen_tests::Rng;
use serde_json::{json, Map, Value};

/// Text that tries the databases: quotes, backslashes, percent signs, line breaks,
/// right-to-left and four-byte characters. Never NUL, which PostgreSQL text cannot hold.
const PIECES: &[char] = &[
    'a', 'Z', ' ', '\'', '"', '\\', '%', '_', '\n', '\t', 'ü', '€', '😀', '名', 'ש', '$', '-', '/', '*', ';', '0',
];

fn text(rng: &mut Rng, max_chars: usize) -> String {
    let len = match rng.below(4) {
        0 => 0,
        1 => max_chars,
        _ => rng.below(max_chars + 1),
    };
    (0..len).map(|_| rng.pick(PIECES)).collect()
}

/// The longest a generated string gets: a `str(65535)` is filled to 300 characters.
const MAX_CHARS: usize = 300;

fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// The value of row `row` of a column: random, or — for a column in a key or unique set
/// (`distinct`) — increasing with `row`, so rows never collide (under MySQL's
/// case-insensitive collation too) and key order is row order on every database.
pub fn value(ty: &LogicalType, distinct: Option<usize>, rng: &mut Rng) -> String {
    match (ty, distinct) {
        (LogicalType::Str { max_length }, Some(row)) => {
            let max = max_length.map_or(MAX_CHARS, |n| (n as usize).min(MAX_CHARS));
            let text = match max {
                // Too short for a prefix: one letter per row.
                0..=3 => ((b'a' + row as u8) as char).to_string(),
                _ => {
                    let tail: String = (0..rng.below(max - 3))
                        .map(|_| (b'a' + rng.below(26) as u8) as char)
                        .collect();
                    format!("k{row:03}{tail}")
                }
            };
            format!("{}.to_owned()", lit(&text))
        }
        (LogicalType::Text, Some(row)) => format!("{}.to_owned()", lit(&format!("k{row:03}{}", text(rng, 5)))),
        (LogicalType::Str { max_length }, None) => {
            let max = max_length.map_or(MAX_CHARS, |n| (n as usize).min(MAX_CHARS));
            format!("{}.to_owned()", lit(&text(rng, max)))
        }
        (LogicalType::Text, None) => format!("{}.to_owned()", lit(&text(rng, MAX_CHARS))),
        (LogicalType::SmallInt, row) => integer(rng, row, i16::MIN.into(), i16::MAX.into(), "i16"),
        (LogicalType::Int, row) => integer(rng, row, i32::MIN.into(), i32::MAX.into(), "i32"),
        (LogicalType::BigInt, row) => integer(rng, row, i64::MIN, i64::MAX, "i64"),
        (LogicalType::Float, Some(row)) => {
            format!("{:?}f64", -1e6 + row as f64 * 1024.0 + rng.below(1000) as f64 / 8.0)
        }
        (LogicalType::Float, None) => {
            let f = match rng.below(6) {
                0 => f64::MAX,
                1 => f64::MIN,
                2 => f64::MIN_POSITIVE,
                3 => -1.5e-300,
                _ => loop {
                    let f = f64::from_bits(rng.bits());
                    // Normal numbers: not every database keeps subnormal ones.
                    if f.is_normal() {
                        break f;
                    }
                },
            };
            format!("{f:?}f64")
        }
        (LogicalType::Decimal { precision, scale }, distinct) => {
            let (p, s) = (*precision as usize, *scale as usize);
            let int_digits = p - s;
            let digits = |rng: &mut Rng, n: usize, max: bool| -> String {
                (0..n)
                    .map(|_| if max { '9' } else { (b'0' + rng.below(10) as u8) as char })
                    .collect()
            };
            let text = match distinct {
                // Row-ordered: the row in the integer part when it has room, else in the
                // fraction.
                Some(row) if int_digits > 0 => row.to_string(),
                Some(row) => format!("0.{row}"),
                None => {
                    let max = rng.chance(33);
                    let int = match int_digits {
                        0 => "0".to_owned(),
                        n => digits(rng, n, max),
                    };
                    let sign = if rng.chance(50) { "-" } else { "" };
                    match s {
                        0 => format!("{sign}{int}"),
                        _ => format!("{sign}{int}.{}", digits(rng, s, max)),
                    }
                }
            };
            format!("{}.parse().unwrap()", lit(&text))
        }
        (LogicalType::Bool { .. }, Some(row)) => (row % 2 == 1).to_string(),
        (LogicalType::Bool { .. }, None) => rng.chance(50).to_string(),
        (LogicalType::DateTime { timezone }, distinct) => {
            let at = datetime(rng, distinct);
            let naive = format!(
                "::chrono::NaiveDateTime::parse_from_str({}, \"%Y-%m-%d %H:%M:%S\").unwrap()",
                lit(&at.format("%Y-%m-%d %H:%M:%S").to_string())
            );
            match timezone {
                true => format!("::modelgen::types::DateTimeUtc({naive}.and_utc())"),
                false => naive,
            }
        }
        (LogicalType::Date, distinct) => format!(
            "::chrono::NaiveDate::parse_from_str({}, \"%Y-%m-%d\").unwrap()",
            lit(&datetime(rng, distinct).format("%Y-%m-%d").to_string())
        ),
        // Whole seconds: MySQL's TIME keeps no fraction.
        (LogicalType::Time, distinct) => {
            let seconds = match distinct {
                Some(row) => row as u64 * 3600 + rng.below(3600) as u64,
                None => match rng.below(4) {
                    0 => 0,
                    1 => 86_399,
                    _ => rng.below(86_400) as u64,
                },
            };
            format!("::chrono::NaiveTime::from_num_seconds_from_midnight_opt({seconds}, 0).unwrap()")
        }
        (LogicalType::Bytes { max_length }, _) => {
            let len = match rng.below(4) {
                0 => 0,
                1 => 1000,
                _ => rng.below(40),
            }
            .min(max_length.map_or(usize::MAX, |n| n as usize));
            let bytes: Vec<String> = (0..len).map(|_| (rng.bits() as u8).to_string()).collect();
            format!("vec![{}u8]", bytes.join("u8, ")).replace("vec![u8]", "Vec::<u8>::new()")
        }
        // The random specs have no enums; examples/types/tests/enums.rs drives them.
        (LogicalType::Enum(_), _) => unreachable!("the generator draws no enums"),
        (LogicalType::Uuid, distinct) => {
            let low = (rng.bits() as u128) << 64 | rng.bits() as u128;
            let bits = match distinct {
                Some(row) => (row as u128) << 120 | (low >> 8),
                None if rng.chance(25) => u128::MAX,
                None => low,
            };
            format!("::modelgen::types::Uuid(::uuid::Uuid::from_u128({bits:#x}))")
        }
        (LogicalType::Json { shape }, _) => {
            // A JSON `null` in a nullable column reads back as NULL: not a value to compare.
            let v = loop {
                let v = json_value(shape, rng, 0);
                if !v.is_null() {
                    break v;
                }
            };
            format!("::serde_json::from_str({}).unwrap()", lit(&v.to_string()))
        }
    }
}

/// An integer of the range `min..=max`, as a literal with its `suffix`: the extremes and
/// zero first; for row `row` of a distinct column, a value increasing with the row (from
/// the middle of the lower half, in steps far apart).
fn integer(rng: &mut Rng, row: Option<usize>, min: i64, max: i64, suffix: &str) -> String {
    let value = match row {
        Some(row) => {
            let step = (max / 1024).max(1);
            min / 2 + row as i64 * step + (rng.bits() % step as u64) as i64 / 2
        }
        None => match rng.below(4) {
            0 => min,
            1 => max,
            2 => 0,
            _ => (min as i128 + (rng.bits() as u128 % (max as i128 - min as i128 + 1) as u128) as i128) as i64,
        },
    };
    format!("{value}{suffix}")
}

/// A time both MySQL's `DATETIME` and the others hold, in whole seconds (MySQL keeps
/// none of the fraction): 1000-01-01 to 9999-12-31, the limits first.
fn datetime(rng: &mut Rng, distinct: Option<usize>) -> NaiveDateTime {
    let start = NaiveDate::from_ymd_opt(1000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let end = NaiveDate::from_ymd_opt(9999, 12, 31)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap();
    match distinct {
        Some(row) => start + Duration::days(row as i64 * 400) + Duration::seconds(rng.below(86_400) as i64),
        None => match rng.below(5) {
            0 => start,
            1 => end,
            _ => start + Duration::seconds(rng.below((end - start).num_seconds() as usize) as i64),
        },
    }
}

/// Floats that print and parse back exactly through every database's JSON.
const JSON_FLOATS: &[f64] = &[0.0, 0.5, -2.25, 1e10, 1.5e-5, 123456.75];

fn json_value(shape: &JsonShape, rng: &mut Rng, depth: usize) -> Value {
    match shape {
        JsonShape::Str => json!(text(rng, 20)),
        JsonShape::Int => json!(match rng.below(3) {
            0 => i32::MIN,
            1 => i32::MAX,
            _ => rng.bits() as i32,
        }),
        JsonShape::BigInt => json!(match rng.below(3) {
            0 => i64::MIN,
            1 => i64::MAX,
            _ => rng.bits() as i64,
        }),
        JsonShape::Float => json!(rng.pick(JSON_FLOATS)),
        JsonShape::Bool => json!(rng.chance(50)),
        JsonShape::List(item) => Value::Array((0..rng.below(4)).map(|_| json_value(item, rng, depth + 1)).collect()),
        JsonShape::Map(item) => Value::Object(
            (0..rng.below(4))
                .map(|i| (format!("{i}{}", text(rng, 5)), json_value(item, rng, depth + 1)))
                .collect::<Map<String, Value>>(),
        ),
        JsonShape::Any => {
            let leaf = depth >= 3 || rng.chance(50);
            match (leaf, rng.below(6)) {
                (true, 0) => Value::Null,
                (true, 1) => json!(rng.chance(50)),
                (true, 2) => json!(rng.bits() as i64),
                // SQLite stores a top-level JSON number as a number (the column has
                // NUMERIC affinity), so `0.0` comes back as `0`: equal, not the same Value.
                (true, 3) if depth == 0 => json!(0.5),
                (true, 3) => json!(rng.pick(JSON_FLOATS)),
                (true, _) => json!(text(rng, 10)),
                (false, n) if n % 2 == 0 => json_value(&JsonShape::List(Box::new(JsonShape::Any)), rng, depth + 1),
                (false, _) => json_value(&JsonShape::Map(Box::new(JsonShape::Any)), rng, depth + 1),
            }
        }
    }
}
