//! The column types the generator draws, their YAML, and the values and defaults each
//! can hold.

use super::*;

/// Marks a default of [`Ty::defaults`] that is SQL (`server_default_sql`).
pub(crate) const SQL: &str = "sql:";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Str(u32),
    Text,
    SmallInt,
    Int,
    BigInt,
    Float,
    Decimal(u32, u32),
    Bool,
    /// `bool(check)`: a CHECK that it holds 0 or 1 on SQLite and MySQL.
    BoolCheck,
    DateTime {
        tz: bool,
    },
    Date,
    Time,
    Bytes,
    /// `bytes(n)`: VARBINARY(n) on MySQL.
    BytesN(u32),
    /// An inline enum: `e0`, `e1`, `e2` (the rows' values), then `e3`… for each bit of
    /// `extra`; reversed with `rev`.
    Enum {
        extra: u8,
        rev: bool,
    },
    Uuid,
    Json,
    ListStr,
}

impl Ty {
    pub(crate) fn spec(self) -> String {
        match self {
            Ty::Str(n) => format!("str({n})"),
            Ty::Text => "text".into(),
            Ty::SmallInt => "smallint".into(),
            Ty::Int => "int".into(),
            Ty::BigInt => "bigint".into(),
            Ty::Float => "float".into(),
            Ty::Decimal(p, s) => format!("decimal({p},{s})"),
            Ty::Bool => "bool".into(),
            Ty::BoolCheck => "bool(check)".into(),
            Ty::DateTime { tz: false } => "datetime".into(),
            Ty::DateTime { tz: true } => "datetime(tz)".into(),
            Ty::Date => "date".into(),
            Ty::Time => "time".into(),
            Ty::Bytes => "bytes".into(),
            Ty::BytesN(n) => format!("bytes({n})"),
            Ty::Enum { extra, rev } => {
                let mut values: Vec<String> = (0..3)
                    .chain((0..3).filter(|b| extra & (1 << b) != 0).map(|b| b + 3))
                    .map(|i| format!("e{i}"))
                    .collect();
                if rev {
                    values.reverse();
                }
                format!("enum({})", values.join(", "))
            }
            Ty::Uuid => "uuid".into(),
            Ty::Json => "json".into(),
            Ty::ListStr => "list[str]".into(),
        }
    }

    pub(crate) fn random(rng: &mut Rng) -> Ty {
        match rng.below(17) {
            0 | 1 => Ty::Str(rng.pick(&[8, 20, 50, 100, 255])),
            2 => Ty::Text,
            3 => Ty::Int,
            4 => Ty::BigInt,
            5 => Ty::Float,
            6 => {
                let (p, s) = rng.pick(&[(10, 2), (12, 4), (8, 3), (6, 2)]);
                Ty::Decimal(p, s)
            }
            7 if rng.chance(30) => Ty::BoolCheck,
            7 => Ty::Bool,
            8 => Ty::DateTime { tz: rng.chance(20) },
            9 => Ty::Date,
            10 => Ty::Uuid,
            11 => Ty::Json,
            12 => Ty::SmallInt,
            13 => Ty::Time,
            16 => Ty::Enum {
                extra: rng.below(8) as u8,
                rev: rng.chance(20),
            },
            14 if rng.chance(50) => Ty::Bytes,
            14 => Ty::BytesN(rng.pick(&[4, 16, 255])),
            _ => Ty::ListStr,
        }
    }

    /// MariaDB indexes TEXT and JSON (LONGTEXT) only with a prefix length, and PostgreSQL's
    /// `json` has no equality, so those are never indexed.
    pub(crate) fn indexable(self) -> bool {
        !matches!(self, Ty::Text | Ty::Json | Ty::ListStr | Ty::Bytes | Ty::BytesN(_))
    }

    /// Whether three rows can hold three different values.
    pub(crate) fn uniqueable(self) -> bool {
        self.indexable() && !matches!(self, Ty::Bool | Ty::BoolCheck)
    }

    /// `server_default` literals (YAML) that fit the type; those marked [`SQL`] are a
    /// `server_default_sql` (YAML after the mark).
    ///
    /// Left out on purpose, because `tests/catalog.rs` normalizes them differently from
    /// what it expects (catalog-helper limitations, not planner bugs): a literal default on
    /// `datetime(tz)` (PostgreSQL reports `'… 00:00:00+00'`), and a UUID default of only
    /// decimal digits (MariaDB's quoted `'000…1'` is unquoted as if it were a number).
    pub(crate) fn defaults(self) -> &'static [&'static str] {
        match self {
            Ty::Str(_) => &[
                "\"dflt\"",
                "\"it's\"",
                "sql:{sqlite: \"('a' || 'b')\", postgres: \"('a' || 'b')\", mysql: \"(concat('a', 'b'))\"}",
            ],
            Ty::Text => &["\"none\"", "\"back\\\\slash\""],
            Ty::SmallInt => &["7", "-32768"],
            Ty::Int => &["7", "-3", "sql:\"(1 + 2)\""],
            Ty::BigInt => &["9000000000", "0"],
            Ty::Float => &["0.5", "1.25"],
            Ty::Decimal(..) => &["\"1.50\"", "0"],
            Ty::Bool | Ty::BoolCheck => &["true", "false"],
            Ty::DateTime { tz: false } => &["now", "\"2000-01-01 00:00:00\"", "sql:CURRENT_TIMESTAMP"],
            Ty::DateTime { tz: true } => &["now"],
            Ty::Date => &["now", "\"2000-01-01\""],
            Ty::Time => &["\"08:30:00\""],
            // No literal default: modelgen takes none for bytes.
            Ty::Bytes | Ty::BytesN(_) => &[],
            Ty::Enum { .. } => &["e0", "e2"],
            Ty::Uuid => &[
                "\"123e4567-e89b-12d3-a456-426614174000\"",
                "\"ffffffff-0000-0000-0000-000000000001\"",
            ],
            Ty::Json => &["{}", "{a: [1, 2]}"],
            Ty::ListStr => &["[]", "[read]"],
        }
    }
}
