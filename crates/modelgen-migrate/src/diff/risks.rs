//! What an operation risks: data it can lose, rows it can fail on, what its down cannot
//! undo, and drops paired with adds that look like renames nobody declared.

use super::Op;
use modelgen_ir::{Index, IndexKey, LogicalType, Model};

/// Drops paired with adds of the same shape, which are probably renames the spec did not
/// declare: `(table, dropped, added)` for columns, `(dropped, added)` tables as `("", a, b)`.
pub fn rename_hints(ops: &[Op]) -> Vec<String> {
    let mut hints = Vec::new();
    for op in ops {
        if let Op::DropColumn { table, column } = op {
            let twin = ops.iter().find_map(|o| match o {
                Op::AddColumn { table: t, column: c } if t == table && c.ty == column.ty => Some(c),
                _ => None,
            });
            if let Some(added) = twin {
                hints.push(format!(
                    "{table}.{} is dropped and {table}.{} added with the same type; if it is a rename, add `renamed_from: {}` to field `{}`",
                    column.name, added.name, column.name, added.name
                ));
            }
        }
        if let Op::DropTable(old) = op {
            let twin = ops.iter().find_map(|o| match o {
                Op::CreateTable(m) if same_columns(m, old) => Some(m),
                _ => None,
            });
            if let Some(new) = twin {
                hints.push(format!(
                    "table {} is dropped and {} created with the same columns; if it is a rename, add `renamed_from: {}` to model `{}`",
                    old.table, new.table, old.table, new.name
                ));
            }
        }
    }
    hints
}

fn same_columns(a: &Model, b: &Model) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| x.name == y.name && x.ty == y.ty)
}

/// Why an operation can lose data, if it can.
pub fn destructive(op: &Op) -> Option<String> {
    match op {
        Op::DropTable(m) => Some(format!("drops table {} and every row in it", m.table)),
        Op::DropColumn { table, column } => Some(format!("drops column {table}.{} and its values", column.name)),
        Op::AddColumn { table, column } if !column.nullable && column.server_default.is_none() && !column.autoincrement => Some(format!(
            "adds NOT NULL column {table}.{} without a default: existing rows would get an empty value; give it `server_default:` or make it nullable",
            column.name
        )),
        Op::AlterColumn { table, from, to } => {
            if let (LogicalType::Enum(a), LogicalType::Enum(b)) = (&from.ty, &to.ty) {
                let mapped = b.mapped_values(a);
                let gone: Vec<&str> = a
                    .values
                    .iter()
                    .zip(&mapped)
                    .filter(|(_, m)| !b.values.contains(m))
                    .map(|(v, _)| v.as_str())
                    .collect();
                if !gone.is_empty() {
                    return Some(format!(
                        "removes {} from the values of {table}.{} ({}); the migration fails if rows hold them",
                        gone.join(", "),
                        to.name,
                        b.name
                    ));
                }
            }
            if from.ty != to.ty && !widens(&from.ty, &to.ty) {
                return Some(format!("changes {table}.{} from {} to {}, which can truncate or reject values", to.name, from.ty, to.ty));
            }
            if from.nullable && !to.nullable && to.server_default.is_none() {
                return Some(format!(
                    "makes {table}.{} NOT NULL without a default to fill existing NULLs; give it `server_default:`",
                    to.name
                ));
            }
            None
        }
        _ => None,
    }
}

/// Why an operation can fail on the rows a table already holds, if it can: a key or a
/// unique over values that repeat or are NULL, a foreign key over rows whose reference is
/// missing. Nothing is lost then; the migration stops (and, where the database allows,
/// leaves everything as it was).
pub fn can_fail(op: &Op) -> Option<String> {
    match op {
        Op::AddPrimaryKey { table, columns } => Some(format!(
            "fails if rows of {table} repeat or hold NULL in ({})",
            columns.join(", ")
        )),
        Op::AddUnique { table, unique } => Some(format!(
            "fails if rows of {table} repeat values in ({})",
            unique.columns.join(", ")
        )),
        Op::AddIndex { table, index } if index.unique => Some(format!(
            "fails if rows of {table} repeat values in ({})",
            key_list(index)
        )),
        Op::AddForeignKey { table, fk } => Some(format!(
            "fails if rows of {table} reference rows {} does not have",
            fk.target_table
        )),
        Op::AddCheck { table, check } => Some(format!("fails if rows of {table} break check {}", check.name)),
        _ => None,
    }
}

/// What the down migration of an operation cannot bring back, if anything: the rows of a
/// dropped table, the values of a dropped column, the NULLs a column turned NOT NULL had
/// (filled with its server default or the type's zero), the values a type change cut.
/// Not the same as [`destructive`]: a fill from a server default needs no permission, yet
/// no down can tell the filled rows from the others.
pub fn irreversible(op: &Op) -> Option<String> {
    match op {
        Op::DropTable(m) => Some(format!("the rows of table {} are not restored", m.table)),
        Op::DropColumn { table, column } => {
            Some(format!("the values of column {table}.{} are not restored", column.name))
        }
        Op::AlterColumn { table, from, to } => {
            let mut lost = Vec::new();
            if from.nullable && !to.nullable {
                lost.push("the NULLs filled in");
            }
            if from.ty != to.ty && !widens(&from.ty, &to.ty) {
                lost.push("values the type change cut");
            }
            (!lost.is_empty()).then(|| format!("column {table}.{}: {} are not restored", to.name, lost.join(" and ")))
        }
        _ => None,
    }
}

/// Type changes every value survives.
pub(crate) fn widens(from: &LogicalType, to: &LogicalType) -> bool {
    use LogicalType as T;
    match (from, to) {
        (T::Str { max_length: a }, T::Str { max_length: b })
        | (T::Bytes { max_length: a }, T::Bytes { max_length: b }) => match (a, b) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => b >= a,
        },
        // TEXT and a VARCHAR without a length hold the same values (SQLite, PostgreSQL).
        (T::Str { .. }, T::Text) | (T::Text, T::Str { max_length: None }) => true,
        (T::SmallInt, T::Int | T::BigInt) | (T::Int, T::BigInt) => true,
        (
            T::Decimal {
                precision: p1,
                scale: s1,
            },
            T::Decimal {
                precision: p2,
                scale: s2,
            },
        ) => s2 >= s1 && p2 - s2 >= p1 - s1,
        (T::DateTime { timezone: false }, T::DateTime { timezone: true }) => true,
        // Values added or reordered; an enum's text fits a long enough string.
        (T::Enum(a), T::Enum(b)) => b.mapped_values(a).iter().all(|v| b.values.contains(v)),
        (T::Enum(_), T::Text | T::Str { max_length: None }) => true,
        (T::Enum(a), T::Str { max_length: Some(n) }) => *n >= a.max_length(),
        _ => false,
    }
}

/// An index's keys as the spec writes them, for messages.
pub fn key_list(index: &Index) -> String {
    index.columns.iter().map(IndexKey::text).collect::<Vec<_>>().join(", ")
}
