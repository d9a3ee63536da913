//! PostgreSQL's ways of generating a key ([`Generator`]): how a column says it, the named
//! sequences a table needs around its CREATE and DROP, and the statements that move a
//! column with rows from one way to another, which the migrations share. SQLite (the
//! rowid) and MySQL (AUTO_INCREMENT) have one way each: nothing here applies to them.

use crate::{Dialect, SqlDialect};
use modelgen_ir::{Column, Generator, LogicalType, Model};

/// What follows the type in PostgreSQL's column definition, and the type itself: SERIAL
/// replaces the type; a named sequence is the column's default; an identity comes last.
pub(crate) fn postgres_type(c: &Column) -> Option<&'static str> {
    match (&c.generator, &c.ty) {
        (Generator::Serial, LogicalType::SmallInt) => Some("SMALLSERIAL"),
        (Generator::Serial, LogicalType::BigInt) => Some("BIGSERIAL"),
        (Generator::Serial, _) => Some("SERIAL"),
        _ => None,
    }
}

/// `nextval('x_id_seq')`, the default of a column that reads a named sequence.
pub fn nextval(name: &str, d: Dialect) -> String {
    format!("nextval({})", d.string_literal(&d.ident(name)))
}

/// The named sequences `model`'s keys read, created before its table (as SQLAlchemy's
/// `create_all` does); none outside PostgreSQL.
pub fn create_statements(model: &Model, d: Dialect) -> Vec<String> {
    named(model, d)
        .map(|name| format!("CREATE SEQUENCE {};", d.ident(name)))
        .collect()
}

/// The named sequences dropped after `model`'s table (the table's default depends on them).
pub fn drop_statements(model: &Model, d: Dialect) -> Vec<String> {
    named(model, d)
        .map(|name| format!("DROP SEQUENCE {};", d.ident(name)))
        .collect()
}

fn named(model: &Model, d: Dialect) -> impl Iterator<Item = &str> {
    model
        .columns
        .iter()
        .filter(move |c| d == Dialect::Postgres && c.autoincrement)
        .filter_map(|c| c.generator.sequence())
}

/// The sequence PostgreSQL makes for a SERIAL column: `<table>_<column>_seq`.
pub fn serial_sequence(table: &str, column: &str) -> String {
    pg_object_name(table, Some(column), "seq")
}

/// The name PostgreSQL makes up for an unnamed object (its `makeObjectName`):
/// `<name1>[_<name2>]_<label>`, the longer of the two names cut first, byte by byte on
/// character boundaries, until the whole fits 63 bytes.
pub fn pg_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    const LIMIT: usize = 63;
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let available = LIMIT.saturating_sub(overhead);
    let (mut a, mut b) = (name1.len(), name2.map_or(0, str::len));
    while a + b > available {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_owned()
    };
    match name2 {
        Some(name2) => format!("{}_{}_{label}", clip(name1, a), clip(name2, b)),
        None => format!("{}_{label}", clip(name1, a)),
    }
}

/// The statements that move `column` of `table` (names as the database keeps them), with
/// rows, from `from` to `to`, either of them `None` for a column that does not
/// autoincrement: the old way removed, then the new one made and set past the values the
/// rows hold, so the next insert gets a fresh key. A named sequence that only changes its
/// name is renamed, keeping its position. Nothing outside PostgreSQL.
pub fn switch_statements(
    table: &str,
    column: &Column,
    from: Option<&Generator>,
    to: Option<&Generator>,
    d: Dialect,
) -> Vec<String> {
    if d != Dialect::Postgres || from == to {
        return Vec::new();
    }
    let t = d.ident(table);
    let c = d.ident(&column.name);
    let stored = d.name_of(&column.name);
    let mut out = Vec::new();
    if let (Some(Generator::Sequence(a)), Some(Generator::Sequence(b))) = (from, to) {
        out.push(format!("ALTER SEQUENCE {} RENAME TO {};", d.ident(a), d.ident(b)));
        return out;
    }
    let serial = || serial_sequence(&d.name_of(table), &stored);
    match from {
        None => {}
        Some(Generator::Identity) => out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP IDENTITY IF EXISTS;")),
        Some(Generator::Serial) => {
            out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;"));
            out.push(format!("DROP SEQUENCE {};", d.ident(&serial())));
        }
        Some(Generator::Sequence(name)) => {
            out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;"));
            out.push(format!("DROP SEQUENCE {};", d.ident(name)));
        }
    }
    // The next key is one past the largest the rows hold (and at least 1, a sequence's
    // least value); `false`: not yet handed out.
    let restart = |sequence: String| {
        format!("SELECT setval({sequence}, GREATEST(COALESCE(max({c}), 0) + 1, 1), false) FROM {t};")
    };
    let named = |out: &mut Vec<String>, sequence: &str, create: String| {
        out.push(create);
        out.push(restart(d.string_literal(&d.ident(sequence))));
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {};",
            nextval(sequence, d)
        ));
    };
    match to {
        None => {}
        Some(Generator::Identity) => {
            out.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} ADD GENERATED BY DEFAULT AS IDENTITY;"
            ));
            out.push(restart(format!(
                "pg_get_serial_sequence({}, {})",
                d.string_literal(&t),
                d.string_literal(&stored)
            )));
        }
        Some(Generator::Serial) => {
            // What SERIAL makes: a sequence of the column's type that the column owns.
            let name = serial();
            let create = format!(
                "CREATE SEQUENCE {} AS {} OWNED BY {t}.{c};",
                d.ident(&name),
                d.type_sql(&column.ty)
            );
            named(&mut out, &name, create);
        }
        Some(Generator::Sequence(name)) => {
            let create = format!("CREATE SEQUENCE {};", d.ident(name));
            named(&mut out, name, create);
        }
    }
    out
}

/// A SERIAL column's sequence follows its table and column when they are renamed (as a
/// fresh SERIAL would be named); PostgreSQL keeps the old name otherwise.
pub fn rename_statements(from_table: &str, from: &Column, to_table: &str, to: &Column, d: Dialect) -> Vec<String> {
    let serial = d == Dialect::Postgres && from.autoincrement && from.generator == Generator::Serial;
    let old = serial_sequence(&d.name_of(from_table), &d.name_of(&from.name));
    let new = serial_sequence(&d.name_of(to_table), &d.name_of(&to.name));
    if !serial || old == new {
        return Vec::new();
    }
    vec![format!("ALTER SEQUENCE {} RENAME TO {};", d.ident(&old), d.ident(&new))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_sequence_names_are_cut_as_postgresql_cuts_them() {
        assert_eq!(serial_sequence("users", "id"), "users_id_seq");
        let long = "t".repeat(70);
        let name = serial_sequence(&long, "id");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_id_seq", "t".repeat(56)));
        // Both long: the longer is cut first, until they are even.
        let name = serial_sequence(&"a".repeat(40), &"b".repeat(40));
        assert_eq!(name, format!("{}_{}_seq", "a".repeat(29), "b".repeat(29)));
    }
}
