//! Logical column types: the rows of the seed's type mapping table, with their parameters.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogicalType {
    /// `String(n)`: bounded text.
    Str {
        max_length: u32,
    },
    Text,
    Int,
    #[serde(rename = "bigint")]
    BigInt,
    Float,
    Decimal {
        precision: u32,
        scale: u32,
    },
    Bool,
    #[serde(rename = "datetime")]
    DateTime {
        timezone: bool,
    },
    Date,
    Uuid,
    Json {
        shape: JsonShape,
    },
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

/// The spec spelling, so messages and round trips use the words the user wrote.
impl fmt::Display for LogicalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogicalType::Str { max_length } => write!(f, "str({max_length})"),
            LogicalType::Text => f.write_str("text"),
            LogicalType::Int => f.write_str("int"),
            LogicalType::BigInt => f.write_str("bigint"),
            LogicalType::Float => f.write_str("float"),
            LogicalType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            LogicalType::Bool => f.write_str("bool"),
            LogicalType::DateTime { timezone: false } => f.write_str("datetime"),
            LogicalType::DateTime { timezone: true } => f.write_str("datetime(tz)"),
            LogicalType::Date => f.write_str("date"),
            LogicalType::Uuid => f.write_str("uuid"),
            LogicalType::Json { shape } => shape.fmt(f),
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
        text.parse()
    }
}

impl FromStr for JsonShape {
    type Err = String;

    fn from_str(text: &str) -> Result<JsonShape, String> {
        let inner = |prefix: &str| text.strip_prefix(prefix)?.strip_suffix(']');
        Ok(match text {
            "json" => JsonShape::Any,
            "str" => JsonShape::Str,
            "int" => JsonShape::Int,
            "bigint" => JsonShape::BigInt,
            "float" => JsonShape::Float,
            "bool" => JsonShape::Bool,
            _ => match (inner("list["), inner("map[")) {
                (Some(item), _) => JsonShape::List(Box::new(item.parse()?)),
                (_, Some(item)) => JsonShape::Map(Box::new(item.parse()?)),
                _ => return Err(format!("`{text}` is not a JSON shape")),
            },
        })
    }
}
