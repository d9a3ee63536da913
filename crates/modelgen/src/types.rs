//! Column types whose storage differs between databases, so that one Rust type reads and
//! writes exactly what the DDL declares on each of them (and what SQLAlchemy writes):
//!
//! | type | SQLite | PostgreSQL | MySQL / MariaDB |
//! |---|---|---|---|
//! | [`Uuid`] | `CHAR(32)`: 32 lowercase hex digits | native `UUID` | `CHAR(32)`: 32 lowercase hex digits |
//! | [`Decimal`] | `NUMERIC`: text in, `REAL`, `INTEGER` or `TEXT` out | native `NUMERIC` | native `DECIMAL` |
//! | [`DateTimeUtc`] | `DATETIME`: `YYYY-MM-DD HH:MM:SS[.f]` in UTC | native `TIMESTAMPTZ` | `DATETIME` in UTC |
//!
//! sqlx's own `uuid::Uuid` binds 16 raw bytes on SQLite and MySQL, which a `CHAR(32)`
//! column cannot hold; sqlx-sqlite has no `Decimal` at all; and sqlx's
//! `DateTime<Utc>` writes RFC 3339 text (`2024-01-31T12:00:00+00:00`) on SQLite, which
//! sorts apart from what `CURRENT_TIMESTAMP` and SQLAlchemy write, and binds as a MySQL
//! `TIMESTAMP`, which cannot hold years outside 1970-2038 that a `DATETIME` column can. Generated code uses these
//! types when `sqlx: true` and the spec lists a database that needs them; each enables
//! with the feature of its driver (`sqlx-sqlite`, `sqlx-postgres`, `sqlx-mysql`).
//!
//! Both are thin: they dereference to the `uuid`/`rust_decimal` value, convert with
//! `From`/`Into` both ways, parse with `str::parse`, and (de)serialize as the inner type.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// A UUID stored as `CHAR(32)` hex where the database has no UUID type (SQLite, MySQL),
/// as SQLAlchemy's `Uuid` stores it, and natively on PostgreSQL. Reads accept the
/// hyphenated form too.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Uuid(pub uuid::Uuid);

/// An exact decimal. SQLite keeps `NUMERIC` values as 64-bit floats when they look like
/// numbers (exact to 15 significant digits, which is why modelgen refuses a wider
/// `decimal` when SQLite is listed): it is written as text, which SQLite converts, and
/// read back from whatever SQLite stored.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Decimal(pub rust_decimal::Decimal);

/// A UTC timestamp stored as the naive UTC time where the database has no zone-aware type
/// (SQLite, MySQL), in the format `CURRENT_TIMESTAMP` and SQLAlchemy write; natively on
/// PostgreSQL. Reads accept what sqlx's `DateTime<Utc>` wrote too.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct DateTimeUtc(pub chrono::DateTime<chrono::Utc>);

macro_rules! wrapper {
    ($name:ident, $inner:ty) => {
        impl Deref for $name {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> $name {
                $name(value)
            }
        }

        impl From<$name> for $inner {
            fn from(value: $name) -> $inner {
                value.0
            }
        }

        impl FromStr for $name {
            type Err = <$inner as FromStr>::Err;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                s.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

wrapper!(Uuid, uuid::Uuid);
wrapper!(Decimal, rust_decimal::Decimal);
wrapper!(DateTimeUtc, chrono::DateTime<chrono::Utc>);

#[cfg(feature = "sqlx-sqlite")]
mod sqlite {
    use super::{DateTimeUtc, Decimal, Uuid};
    use chrono::{DateTime, NaiveDateTime, Utc};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};
    use sqlx::{Database, Decode, Encode, Type, TypeInfo, ValueRef};
    use uuid::fmt::Simple;

    type Buffer = <Sqlite as Database>::ArgumentBuffer;

    impl Type<Sqlite> for Uuid {
        fn type_info() -> SqliteTypeInfo {
            <Simple as Type<Sqlite>>::type_info()
        }
        fn compatible(ty: &SqliteTypeInfo) -> bool {
            <Simple as Type<Sqlite>>::compatible(ty)
        }
    }

    impl Encode<'_, Sqlite> for Uuid {
        fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
            Encode::<Sqlite>::encode_by_ref(&self.0.simple(), buf)
        }
    }

    impl Decode<'_, Sqlite> for Uuid {
        fn decode(value: SqliteValueRef<'_>) -> Result<Uuid, BoxDynError> {
            let text = <&str as Decode<Sqlite>>::decode(value)?;
            Ok(Uuid(uuid::Uuid::parse_str(text)?))
        }
    }

    impl Type<Sqlite> for DateTimeUtc {
        fn type_info() -> SqliteTypeInfo {
            <NaiveDateTime as Type<Sqlite>>::type_info()
        }
        fn compatible(ty: &SqliteTypeInfo) -> bool {
            <DateTime<Utc> as Type<Sqlite>>::compatible(ty)
        }
    }

    impl Encode<'_, Sqlite> for DateTimeUtc {
        fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
            Encode::<Sqlite>::encode(self.0.naive_utc(), buf)
        }
    }

    impl Decode<'_, Sqlite> for DateTimeUtc {
        fn decode(value: SqliteValueRef<'_>) -> Result<DateTimeUtc, BoxDynError> {
            <DateTime<Utc> as Decode<Sqlite>>::decode(value).map(DateTimeUtc)
        }
    }

    impl Type<Sqlite> for Decimal {
        fn type_info() -> SqliteTypeInfo {
            <String as Type<Sqlite>>::type_info()
        }
        fn compatible(ty: &SqliteTypeInfo) -> bool {
            matches!(ty.name(), "NUMERIC" | "REAL" | "INTEGER" | "TEXT")
        }
    }

    impl Encode<'_, Sqlite> for Decimal {
        fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
            Encode::<Sqlite>::encode(self.0.to_string(), buf)
        }
    }

    impl Decode<'_, Sqlite> for Decimal {
        fn decode(value: SqliteValueRef<'_>) -> Result<Decimal, BoxDynError> {
            let stored = value.type_info().name().to_owned();
            let decimal = match stored.as_str() {
                "INTEGER" => rust_decimal::Decimal::from(<i64 as Decode<Sqlite>>::decode(value)?),
                // The shortest text that reads back as the same float: what was written,
                // as SQLite keeps a number as REAL only when it has 15 digits or fewer.
                "REAL" => <f64 as Decode<Sqlite>>::decode(value)?.to_string().parse()?,
                _ => <&str as Decode<Sqlite>>::decode(value)?.parse()?,
            };
            Ok(Decimal(decimal))
        }
    }
}

#[cfg(feature = "sqlx-mysql")]
mod mysql {
    use super::{DateTimeUtc, Decimal, Uuid};
    use chrono::{DateTime, NaiveDateTime, Utc};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::mysql::{MySql, MySqlTypeInfo, MySqlValueRef};
    use sqlx::{Database, Decode, Encode, Type};
    use uuid::fmt::Simple;

    type Buffer = <MySql as Database>::ArgumentBuffer;

    impl Type<MySql> for Uuid {
        fn type_info() -> MySqlTypeInfo {
            <Simple as Type<MySql>>::type_info()
        }
        fn compatible(ty: &MySqlTypeInfo) -> bool {
            <Simple as Type<MySql>>::compatible(ty)
        }
    }

    impl Encode<'_, MySql> for Uuid {
        fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
            Encode::<MySql>::encode_by_ref(&self.0.simple(), buf)
        }
    }

    impl Decode<'_, MySql> for Uuid {
        fn decode(value: MySqlValueRef<'_>) -> Result<Uuid, BoxDynError> {
            let text = <&str as Decode<MySql>>::decode(value)?;
            Ok(Uuid(uuid::Uuid::parse_str(text)?))
        }
    }

    impl Type<MySql> for DateTimeUtc {
        fn type_info() -> MySqlTypeInfo {
            <NaiveDateTime as Type<MySql>>::type_info()
        }
        fn compatible(ty: &MySqlTypeInfo) -> bool {
            <DateTime<Utc> as Type<MySql>>::compatible(ty)
        }
    }

    impl Encode<'_, MySql> for DateTimeUtc {
        fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
            Encode::<MySql>::encode(self.0.naive_utc(), buf)
        }
    }

    impl Decode<'_, MySql> for DateTimeUtc {
        fn decode(value: MySqlValueRef<'_>) -> Result<DateTimeUtc, BoxDynError> {
            <DateTime<Utc> as Decode<MySql>>::decode(value).map(DateTimeUtc)
        }
    }

    impl Type<MySql> for Decimal {
        fn type_info() -> MySqlTypeInfo {
            <rust_decimal::Decimal as Type<MySql>>::type_info()
        }
        fn compatible(ty: &MySqlTypeInfo) -> bool {
            <rust_decimal::Decimal as Type<MySql>>::compatible(ty)
        }
    }

    impl Encode<'_, MySql> for Decimal {
        fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
            Encode::<MySql>::encode_by_ref(&self.0, buf)
        }
    }

    impl Decode<'_, MySql> for Decimal {
        fn decode(value: MySqlValueRef<'_>) -> Result<Decimal, BoxDynError> {
            <rust_decimal::Decimal as Decode<MySql>>::decode(value).map(Decimal)
        }
    }
}

#[cfg(feature = "sqlx-postgres")]
mod postgres {
    use super::{DateTimeUtc, Decimal, Uuid};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::postgres::{PgHasArrayType, PgTypeInfo, PgValueRef, Postgres};
    use sqlx::{Database, Decode, Encode, Type};

    type Buffer = <Postgres as Database>::ArgumentBuffer;

    macro_rules! native {
        ($name:ident, $inner:ty) => {
            impl Type<Postgres> for $name {
                fn type_info() -> PgTypeInfo {
                    <$inner as Type<Postgres>>::type_info()
                }
                fn compatible(ty: &PgTypeInfo) -> bool {
                    <$inner as Type<Postgres>>::compatible(ty)
                }
            }

            impl PgHasArrayType for $name {
                fn array_type_info() -> PgTypeInfo {
                    <$inner as PgHasArrayType>::array_type_info()
                }
            }

            impl Encode<'_, Postgres> for $name {
                fn encode_by_ref(&self, buf: &mut Buffer) -> Result<IsNull, BoxDynError> {
                    Encode::<Postgres>::encode_by_ref(&self.0, buf)
                }
            }

            impl Decode<'_, Postgres> for $name {
                fn decode(value: PgValueRef<'_>) -> Result<$name, BoxDynError> {
                    <$inner as Decode<Postgres>>::decode(value).map($name)
                }
            }
        };
    }

    native!(Uuid, uuid::Uuid);
    native!(Decimal, rust_decimal::Decimal);
    native!(DateTimeUtc, chrono::DateTime<chrono::Utc>);
}
