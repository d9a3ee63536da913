//! Logical column types: the rows of the seed's type mapping table, with their parameters.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogicalType {
    /// `String(n)`: text of at most `n` characters, or `String()` (a VARCHAR without a
    /// length, which MySQL refuses) when `max_length` is `None`.
    Str {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    Text,
    /// 16-bit signed integer (SQLAlchemy's `SmallInteger`).
    #[serde(rename = "smallint")]
    SmallInt,
    Int,
    #[serde(rename = "bigint")]
    BigInt,
    Float,
    Decimal {
        precision: u32,
        scale: u32,
    },
    /// With `check` (`bool(check)`), a CHECK that the column holds 0 or 1 on the databases
    /// that keep booleans as integers (SQLite, MySQL), as SQLAlchemy's
    /// `Boolean(create_constraint=True)`.
    Bool {
        #[serde(default, skip_serializing_if = "is_no")]
        check: bool,
    },
    #[serde(rename = "datetime")]
    DateTime {
        timezone: bool,
    },
    Date,
    /// Time of day without a date or a time zone (SQLAlchemy's `Time`).
    Time,
    /// Binary data (SQLAlchemy's `LargeBinary`); with `max_length`, at most that many bytes
    /// (`VARBINARY(n)` on MySQL, the one database of the three that has a bounded type).
    Bytes {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    Uuid,
    Json {
        shape: JsonShape,
    },
    /// One of a fixed list of strings (SQLAlchemy's `Enum` of a Python enum class).
    /// Boxed: most columns are not enums, and every `Column` carries a `LogicalType`.
    Enum(Box<EnumType>),
}

/// An enum: its values, and how the databases hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    /// The Rust and Python type name (`PostStatus`); empty in an inline `enum(…)` until
    /// the front end names it.
    pub name: String,
    /// The database's name of the type: PostgreSQL's `CREATE TYPE`, and the CHECK
    /// constraint's. SQLAlchemy's default, the lowercased class name (`poststatus`).
    pub type_name: String,
    pub values: Vec<String>,
    /// A database type (PostgreSQL's `CREATE TYPE … AS ENUM`, MySQL's `ENUM(…)`, SQLite's
    /// VARCHAR, as SQLAlchemy's `native_enum=True`); `false` is VARCHAR(n) everywhere.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub native: bool,
    /// A CHECK (`IN (…)`) wherever the column is a VARCHAR (SQLAlchemy's
    /// `create_constraint=True`), named after the type.
    #[serde(default, skip_serializing_if = "is_no")]
    pub check: bool,
    /// Values renamed since the last migration, old → new, so a migration renames
    /// instead of removing and adding. Not storage: [`EnumType::same_storage`] ignores it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub renamed_values: std::collections::BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

fn is_no(b: &bool) -> bool {
    !*b
}

/// Whether `value` can be one more value of an enum that has `earlier`: text a string
/// literal holds, not empty, not repeated, and a Rust variant of its own. `Err` says why not.
pub fn check_enum_value(value: &str, earlier: &[String]) -> Result<(), String> {
    if value.is_empty() {
        return Err("an enum value cannot be empty".into());
    }
    crate::check_text(value).map_err(|why| format!("the enum value {value:?} {why}"))?;
    if earlier.iter().any(|e| e == value) {
        return Err(format!("the enum value {value:?} is given twice"));
    }
    let variant = crate::rust_names::enum_variant(value);
    if variant == "V" {
        return Err(format!(
            "the enum value {value:?} has no letter or digit to name its Rust variant"
        ));
    }
    if let Some(other) = earlier.iter().find(|e| crate::rust_names::enum_variant(e) == variant) {
        return Err(format!(
            "the enum values {other:?} and {value:?} are both `{variant}` in Rust; make them differ in more than case or punctuation"
        ));
    }
    Ok(())
}

impl EnumType {
    /// The longest value, in characters: the VARCHAR length where the type is not native.
    pub fn max_length(&self) -> u32 {
        self.values
            .iter()
            .map(|v| v.chars().count() as u32)
            .max()
            .unwrap_or(1)
            .max(1)
    }

    /// The same enum in the database, whatever renames it declares.
    pub fn same_storage(&self, other: &EnumType) -> bool {
        (&self.name, &self.type_name, &self.values, self.native, self.check)
            == (&other.name, &other.type_name, &other.values, other.native, other.check)
    }

    /// The values `from` had that this enum has under another name, (old, new): its own
    /// `renamed_values`, or, going back down a migration, `from`'s turned around.
    pub fn renamed_from(&self, from: &EnumType) -> Vec<(String, String)> {
        let pairs: Vec<(String, String)> = match self.renamed_values.is_empty() {
            false => self
                .renamed_values
                .iter()
                .map(|(o, n)| (o.clone(), n.clone()))
                .collect(),
            true => from
                .renamed_values
                .iter()
                .map(|(o, n)| (n.clone(), o.clone()))
                .collect(),
        };
        pairs
            .into_iter()
            .filter(|(o, n)| from.values.contains(o) && !self.values.contains(o) && self.values.contains(n))
            .collect()
    }

    /// `from`'s values under the names this enum gives them.
    pub fn mapped_values(&self, from: &EnumType) -> Vec<String> {
        let renames = self.renamed_from(from);
        from.values
            .iter()
            .map(|v| {
                renames
                    .iter()
                    .find(|(o, _)| o == v)
                    .map_or_else(|| v.clone(), |(_, n)| n.clone())
            })
            .collect()
    }

    /// Whether `dialect` holds the column as a VARCHAR rather than a type of its own.
    pub fn as_varchar(&self, dialect: crate::Dialect) -> bool {
        !self.native || dialect == crate::Dialect::Sqlite
    }
}

/// What a JSON column holds, so back ends can pick `Vec<String>` over a free-form value.
/// Serialized in the spec's spelling (`list[str]`), which reads better than nested tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum JsonShape {
    Any,
    Str,
    Int,
    BigInt,
    Float,
    Bool,
    List(Box<JsonShape>),
    /// An object with string keys.
    Map(Box<JsonShape>),
}

impl LogicalType {
    /// The Rust type a column of this type holds, with crate paths, as generated code
    /// writes it and as messages suggest it.
    pub fn rust_type(&self) -> String {
        match self {
            LogicalType::Str { .. } | LogicalType::Text => "String".into(),
            LogicalType::SmallInt => "i16".into(),
            LogicalType::Int => "i32".into(),
            LogicalType::BigInt => "i64".into(),
            LogicalType::Float => "f64".into(),
            LogicalType::Decimal { .. } => "rust_decimal::Decimal".into(),
            LogicalType::Bool { .. } => "bool".into(),
            LogicalType::DateTime { timezone: false } => "chrono::NaiveDateTime".into(),
            LogicalType::DateTime { timezone: true } => "chrono::DateTime<chrono::Utc>".into(),
            LogicalType::Date => "chrono::NaiveDate".into(),
            LogicalType::Time => "chrono::NaiveTime".into(),
            LogicalType::Bytes { .. } => "Vec<u8>".into(),
            LogicalType::Uuid => "uuid::Uuid".into(),
            LogicalType::Json { shape } => shape.rust_type(),
            LogicalType::Enum(e) => e.name.clone(),
        }
    }
}

impl JsonShape {
    /// The Rust type a JSON value of this shape reads into; maps are ordered (`BTreeMap`)
    /// so serialized output is deterministic.
    pub fn rust_type(&self) -> String {
        match self {
            JsonShape::Any => "serde_json::Value".into(),
            JsonShape::Str => "String".into(),
            JsonShape::Int => "i32".into(),
            JsonShape::BigInt => "i64".into(),
            JsonShape::Float => "f64".into(),
            JsonShape::Bool => "bool".into(),
            JsonShape::List(item) => format!("Vec<{}>", item.rust_type()),
            JsonShape::Map(item) => format!("std::collections::BTreeMap<String, {}>", item.rust_type()),
        }
    }
}

/// The spec spelling, so messages and round trips use the words the user wrote.
impl fmt::Display for LogicalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogicalType::Str { max_length: Some(n) } => write!(f, "str({n})"),
            LogicalType::Str { max_length: None } => f.write_str("str"),
            LogicalType::Text => f.write_str("text"),
            LogicalType::SmallInt => f.write_str("smallint"),
            LogicalType::Int => f.write_str("int"),
            LogicalType::BigInt => f.write_str("bigint"),
            LogicalType::Float => f.write_str("float"),
            LogicalType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            LogicalType::Bool { check: false } => f.write_str("bool"),
            LogicalType::Bool { check: true } => f.write_str("bool(check)"),
            LogicalType::DateTime { timezone: false } => f.write_str("datetime"),
            LogicalType::DateTime { timezone: true } => f.write_str("datetime(tz)"),
            LogicalType::Date => f.write_str("date"),
            LogicalType::Time => f.write_str("time"),
            LogicalType::Bytes { max_length: Some(n) } => write!(f, "bytes({n})"),
            LogicalType::Bytes { max_length: None } => f.write_str("bytes"),
            LogicalType::Uuid => f.write_str("uuid"),
            LogicalType::Json { shape } => shape.fmt(f),
            LogicalType::Enum(e) if e.name.is_empty() => write!(f, "enum({})", e.values.join(", ")),
            LogicalType::Enum(e) => f.write_str(&e.name),
        }
    }
}

impl fmt::Display for JsonShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonShape::Any => f.write_str("json"),
            JsonShape::Str => f.write_str("str"),
            JsonShape::Int => f.write_str("int"),
            JsonShape::BigInt => f.write_str("bigint"),
            JsonShape::Float => f.write_str("float"),
            JsonShape::Bool => f.write_str("bool"),
            JsonShape::List(inner) => write!(f, "list[{inner}]"),
            JsonShape::Map(inner) => write!(f, "map[{inner}]"),
        }
    }
}

impl From<JsonShape> for String {
    fn from(shape: JsonShape) -> String {
        shape.to_string()
    }
}

impl TryFrom<String> for JsonShape {
    type Error = String;

    fn try_from(text: String) -> Result<JsonShape, String> {
        parse_shape(&text).map_err(|e| e.message)
    }
}

/// Why a type word could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    /// The word is no type at all (as opposed to a known type with bad parameters).
    pub unknown: bool,
    /// The part of the input at fault.
    pub word: String,
    pub message: String,
    pub help: Option<String>,
}

impl TypeError {
    fn bad(word: &str, message: String, help: Option<String>) -> TypeError {
        TypeError {
            unknown: false,
            word: word.to_owned(),
            message,
            help,
        }
    }
}

/// Reads the spec spelling back (`str(255)`, `decimal(10,2)`, `list[str]`), the inverse of
/// `Display`; the YAML front end and `#[model(sql_type = "…")]` share it.
impl FromStr for LogicalType {
    type Err = TypeError;

    fn from_str(word: &str) -> Result<LogicalType, TypeError> {
        parse_type(word)
    }
}

fn parse_type(word: &str) -> Result<LogicalType, TypeError> {
    let (name, args) = split_args(word)?;
    let bad_params = |message: String, help: &str| TypeError::bad(word, message, Some(help.to_owned()));
    let no_args = |ty: LogicalType| match args {
        None => Ok(ty),
        Some(_) => Err(bad_params(
            format!("type `{name}` takes no parameters"),
            &format!("write `{name}`"),
        )),
    };
    match name {
        "str" => Ok(LogicalType::Str {
            max_length: length(word, name, args, "text")?,
        }),
        "bytes" => Ok(LogicalType::Bytes {
            max_length: length(word, name, args, "bytes")?,
        }),
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
        "smallint" => no_args(LogicalType::SmallInt),
        "int" => no_args(LogicalType::Int),
        "bigint" => no_args(LogicalType::BigInt),
        "float" => no_args(LogicalType::Float),
        "bool" => match args.map(str::trim) {
            None => Ok(LogicalType::Bool { check: false }),
            Some("check") => Ok(LogicalType::Bool { check: true }),
            Some(other) => Err(bad_params(
                format!("`bool` takes only `check`, not `{other}`"),
                "write `bool`, or `bool(check)` for a CHECK that it holds 0 or 1 where the database has no boolean type",
            )),
        },
        "date" => no_args(LogicalType::Date),
        "time" => no_args(LogicalType::Time),
        "uuid" => no_args(LogicalType::Uuid),
        "json" | "list" | "map" => Ok(LogicalType::Json {
            shape: parse_shape(word)?,
        }),
        "enum" => {
            let values: Vec<String> = args
                .map(|a| {
                    a.split(',')
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if values.is_empty() {
                return Err(bad_params(
                    "`enum` needs its values".into(),
                    "write `enum(draft, published)`, or name an enum defined under `enums:`",
                ));
            }
            Ok(LogicalType::Enum(Box::new(EnumType {
                name: String::new(),
                type_name: String::new(),
                values,
                native: true,
                check: false,
                renamed_values: Default::default(),
            })))
        }
        // A named enum (`PostStatus`), resolved by the front end against its enums.
        _ if name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && args.is_none() =>
        {
            Ok(LogicalType::Enum(Box::new(EnumType {
                name: name.to_owned(),
                type_name: String::new(),
                values: Vec::new(),
                native: true,
                check: false,
                renamed_values: Default::default(),
            })))
        }
        _ => Err(TypeError {
            unknown: true,
            word: name.to_owned(),
            message: format!("unknown type `{name}`"),
            help: None,
        }),
    }
}

/// The longest `str(n)` and `bytes(n)`: the most MySQL's VARCHAR and VARBINARY take.
/// SQLite and PostgreSQL take more, but a spec that cannot move to MySQL helps nobody, and
/// `text` and `bytes` are unbounded.
pub const MAX_LENGTH: u32 = 65_535;

/// The optional length of `str(n)` and `bytes(n)`.
fn length(word: &str, name: &str, args: Option<&str>, unbounded: &str) -> Result<Option<u32>, TypeError> {
    let Some(args) = args else { return Ok(None) };
    match args.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_LENGTH).contains(&n) => Ok(Some(n)),
        _ => Err(TypeError::bad(
            word,
            format!("`{name}` length must be a whole number from 1 to {MAX_LENGTH}, not `{args}`"),
            Some(format!("write `{name}(255)`, or `{unbounded}` for any length")),
        )),
    }
}

/// How deeply `list[…]` and `map[…]` may nest. Reading, printing and dropping a shape
/// recurse once per level, so an unbounded one could overflow the stack.
pub const MAX_JSON_DEPTH: usize = 32;

/// `list[str]`, `map[list[int]]`, `json`: what a JSON column holds.
fn parse_shape(word: &str) -> Result<JsonShape, TypeError> {
    let depth = word.chars().take_while(|&c| c != ']').filter(|&c| c == '[').count();
    if depth > MAX_JSON_DEPTH {
        return Err(TypeError::bad(
            word,
            format!("`list` and `map` nest {depth} levels deep; modelgen allows {MAX_JSON_DEPTH}"),
            Some("use `json` for deeper values".into()),
        ));
    }
    parse_nested_shape(word)
}

fn parse_nested_shape(word: &str) -> Result<JsonShape, TypeError> {
    let (name, inner) = match word.find('[') {
        Some(open) if word.ends_with(']') => (&word[..open], Some(&word[open + 1..word.len() - 1])),
        _ => (word, None),
    };
    let bad = |message: String| {
        TypeError::bad(
            word,
            message,
            Some("write `list[str]`, `map[int]` or `json`; items may be str, int, bigint, float, bool, json, list[…] or map[…]".into()),
        )
    };
    match (name, inner) {
        ("json", None) => Ok(JsonShape::Any),
        ("str", None) => Ok(JsonShape::Str),
        ("int", None) => Ok(JsonShape::Int),
        ("bigint", None) => Ok(JsonShape::BigInt),
        ("float", None) => Ok(JsonShape::Float),
        ("bool", None) => Ok(JsonShape::Bool),
        ("list", Some(inner)) => Ok(JsonShape::List(Box::new(parse_nested_shape(inner.trim())?))),
        ("map", Some(inner)) => Ok(JsonShape::Map(Box::new(parse_nested_shape(inner.trim())?))),
        ("list" | "map", None) => Err(bad(format!("`{name}` needs an item type"))),
        _ => Err(bad(format!("`{word}` cannot be held in a JSON list or map"))),
    }
}

/// `decimal(10,2)` → (`decimal`, `10,2`).
fn split_args(word: &str) -> Result<(&str, Option<&str>), TypeError> {
    if let Some(open) = word.find('[') {
        return Ok((&word[..open], None));
    }
    match word.find('(') {
        None => Ok((word, None)),
        Some(open) if word.ends_with(')') => Ok((&word[..open], Some(&word[open + 1..word.len() - 1]))),
        Some(_) => Err(TypeError::bad(word, format!("unclosed `(` in type `{word}`"), None)),
    }
}
