//! What differs between SQLite, PostgreSQL and MySQL: quoting, type names, identifier
//! limits, autoincrement and default spelling. Every identifier in emitted SQL passes
//! through [`Dialect::ident`].

use modelgen_ir::{DefaultValue, LogicalType};
use std::fmt::Write;

pub use modelgen_ir::Dialect;

/// The SQL spelling of everything a [`Dialect`] decides.
pub trait SqlDialect: Copy {
    fn max_ident_len(self) -> Option<usize>;
    fn keeps(self, name: &str) -> bool;
    fn name_of(self, name: &str) -> String;
    fn ident(self, name: &str) -> String;
    fn type_sql(self, ty: &LogicalType) -> String;
    fn default_sql(self, value: &DefaultValue, ty: &LogicalType) -> String;
    fn now_sql(self, ty: &LogicalType) -> String;
    fn string_literal(self, s: &str) -> String;
}

impl SqlDialect for Dialect {
    /// The longest identifier the database keeps without truncating (bytes for
    /// PostgreSQL, characters for MySQL); SQLite has no limit.
    fn max_ident_len(self) -> Option<usize> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(63),
            Dialect::Mysql => Some(64),
        }
    }

    /// The identifier as the database will store it: unchanged when it fits, otherwise
    /// a prefix plus a stable hash of the whole name, so two long names that share a
    /// prefix never collide the way silent truncation would make them.
    /// Whether the database keeps `name` as it is (bytes for PostgreSQL, characters for
    /// MySQL).
    fn keeps(self, name: &str) -> bool {
        match (self.max_ident_len(), self) {
            (None, _) => true,
            (Some(limit), Dialect::Mysql) => name.chars().count() <= limit,
            (Some(limit), _) => name.len() <= limit,
        }
    }

    fn name_of(self, name: &str) -> String {
        if self.keeps(name) {
            return name.to_owned();
        }
        let limit = self.max_ident_len().expect("only a limit can be exceeded");
        // Keep whole characters, and byte-count even for MySQL so both limits hold.
        let mut end = limit - 9;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}_{:08x}", &name[..end], fnv1a(name))
    }

    /// A quoted identifier, shortened first if the dialect needs it. Names reaching
    /// here have been checked to contain no quote characters.
    fn ident(self, name: &str) -> String {
        let shortened;
        let name = match self.keeps(name) {
            true => name,
            false => {
                shortened = self.name_of(name);
                shortened.as_str()
            }
        };
        // One allocation: every identifier of every statement passes here (7 % of a
        // build of the migrations alone when it made three).
        let quote = if self == Dialect::Mysql { '`' } else { '"' };
        let mut out = String::with_capacity(name.len() + 2);
        out.push(quote);
        for c in name.chars() {
            if c == quote {
                out.push(quote);
            }
            out.push(c);
        }
        out.push(quote);
        out
    }

    /// The column type, as documented in docs/sql.md.
    fn type_sql(self, ty: &LogicalType) -> String {
        use Dialect::*;
        use LogicalType as T;
        match (self, ty) {
            (_, T::Str { max_length: Some(n) }) => format!("VARCHAR({n})"),
            // SQLAlchemy's `String()`. MySQL refuses a VARCHAR without a length, as it
            // refuses SQLAlchemy's DDL; the spec refuses `str` when MySQL is listed.
            (_, T::Str { max_length: None }) => "VARCHAR".into(),
            (_, T::Text) => "TEXT".into(),
            (_, T::SmallInt) => "SMALLINT".into(),
            (Mysql, T::Int) => "INT".into(),
            (_, T::Int) => "INTEGER".into(),
            (_, T::BigInt) => "BIGINT".into(),
            (Sqlite, T::Float) => "FLOAT".into(),
            (Postgres, T::Float) => "DOUBLE PRECISION".into(),
            (Mysql, T::Float) => "DOUBLE".into(),
            (_, T::Decimal { precision, scale }) => format!("NUMERIC({precision}, {scale})"),
            (_, T::Bool { .. }) => "BOOLEAN".into(),
            (Postgres, T::DateTime { timezone: false }) => "TIMESTAMP WITHOUT TIME ZONE".into(),
            (Postgres, T::DateTime { timezone: true }) => "TIMESTAMP WITH TIME ZONE".into(),
            (_, T::DateTime { .. }) => "DATETIME".into(),
            (_, T::Date) => "DATE".into(),
            (Postgres, T::Time) => "TIME WITHOUT TIME ZONE".into(),
            (_, T::Time) => "TIME".into(),
            (Sqlite, T::Bytes { .. }) => "BLOB".into(),
            (Postgres, T::Bytes { .. }) => "BYTEA".into(),
            (Mysql, T::Bytes { max_length: Some(n) }) => format!("VARBINARY({n})"),
            // SQLAlchemy's LargeBinary is a 64 KiB BLOB on MySQL; bytes has no limit.
            (Mysql, T::Bytes { max_length: None }) => "LONGBLOB".into(),
            (Postgres, T::Uuid) => "UUID".into(),
            (_, T::Uuid) => "CHAR(32)".into(),
            (_, T::Json { .. }) => "JSON".into(),
            (d, T::Enum(e)) => crate::enums::type_sql(e, d),
        }
    }

    /// The SQL literal (or expression) for a server default. Values were checked against
    /// the column type when the spec was read.
    fn default_sql(self, value: &DefaultValue, ty: &LogicalType) -> String {
        use Dialect::*;
        match (self, value) {
            (Postgres, DefaultValue::Bool(b)) => b.to_string(),
            (_, DefaultValue::Bool(b)) => u8::from(*b).to_string(),
            (_, DefaultValue::Int(i)) => i.to_string(),
            (_, DefaultValue::Float(f)) => format_float(*f),
            (_, DefaultValue::Decimal(d)) => d.clone(),
            (_, DefaultValue::Now) => self.now_sql(ty),
            // The spec, the derive and the snapshot check refuse `uuid4` as a server
            // default (`modelgen_ir::server_side`); were one to arrive, each database's own
            // random UUID in the column's storage is the meaning.
            (Postgres, DefaultValue::Uuid4) => "gen_random_uuid()".into(),
            (Sqlite, DefaultValue::Uuid4) => "(lower(hex(randomblob(16))))".into(),
            (Mysql, DefaultValue::Uuid4) => "(REPLACE(UUID(), '-', ''))".into(),
            // As written. Both front ends and `modelgen_emit::generate` refuse a schema
            // whose SQL leaves out a dialect it is built for (`Column::unsupported_on`).
            (_, DefaultValue::Sql(by_dialect)) => by_dialect.get(&self).cloned().unwrap_or_else(|| "NULL".into()),
            (Mysql, DefaultValue::Json(json)) => format!("({})", self.string_literal(json)),
            (_, DefaultValue::Json(json)) => self.string_literal(json),
            (Postgres, DefaultValue::Str(s)) => self.string_literal(s),
            // SQLite and MySQL store a UUID as 32 hex digits (SQLAlchemy's `Uuid` without a native type).
            (_, DefaultValue::Str(s)) if *ty == LogicalType::Uuid => self.string_literal(&s.replace('-', "")),
            // Only the empty value, for rows that exist when a NOT NULL column is added.
            (Sqlite, DefaultValue::Str(_)) if matches!(ty, LogicalType::Bytes { .. }) => "X''".into(),
            (_, DefaultValue::Str(s)) => self.string_literal(s),
        }
    }

    /// The current time for a column of this type; naive timestamps hold UTC, as the
    /// seed's `datetime.utcnow` does.
    fn now_sql(self, ty: &LogicalType) -> String {
        match (self, ty) {
            (Dialect::Mysql, LogicalType::Date) => "(CURRENT_DATE)".into(),
            (_, LogicalType::Date) => "CURRENT_DATE".into(),
            (Dialect::Postgres, LogicalType::DateTime { timezone: false }) => "timezone('utc', now())".into(),
            _ => "CURRENT_TIMESTAMP".into(),
        }
    }

    fn string_literal(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        for c in s.chars() {
            match c {
                '\'' => out.push_str("''"),
                // MySQL treats backslash as an escape inside strings by default.
                '\\' if self == Dialect::Mysql => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
        out
    }
}

fn format_float(f: f64) -> String {
    let mut s = String::new();
    let _ = write!(s, "{f:?}");
    s
}

/// FNV-1a: tiny, stable across platforms and releases, good enough to tell names apart.
fn fnv1a(text: &str) -> u32 {
    text.bytes()
        .fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shortened_stably_and_distinctly() {
        let a = format!("{}_a", "x".repeat(70));
        let b = format!("{}_b", "x".repeat(70));
        let (sa, sb) = (Dialect::Postgres.name_of(&a), Dialect::Postgres.name_of(&b));
        assert_eq!(sa.len(), 63);
        assert_ne!(sa, sb);
        assert_eq!(sa, Dialect::Postgres.name_of(&a));
        assert_eq!(Dialect::Sqlite.name_of(&a), a);
        assert_eq!(Dialect::Postgres.name_of("users"), "users");
        let wide = "ä".repeat(40);
        assert!(Dialect::Postgres.name_of(&wide).len() <= 63);
        assert!(Dialect::Mysql.name_of(&"ä".repeat(70)).chars().count() <= 64);
    }

    #[test]
    fn quoting_and_literals_escape_per_dialect() {
        assert_eq!(Dialect::Postgres.ident("order"), "\"order\"");
        assert_eq!(Dialect::Mysql.ident("order"), "`order`");
        assert_eq!(Dialect::Sqlite.string_literal("it's"), "'it''s'");
        assert_eq!(Dialect::Mysql.string_literal("a\\b'"), "'a\\\\b'''");
        assert_eq!(Dialect::Postgres.string_literal("a\\b"), "'a\\b'");
    }
}
