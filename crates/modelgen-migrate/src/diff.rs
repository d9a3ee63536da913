//! The operations that turn one schema into another, found by comparing two IRs.
//!
//! Tables and columns match by name, or through a declared `renamed_from`; nothing is
//! guessed. A drop and an add that look like a rename produce a hint instead.

use modelgen_ir::{Column, ForeignKey, Index, LogicalType, Model, Schema, Unique};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    CreateTable(Model),
    DropTable(Model),
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    /// A change of type, nullability, server default or `on_update`.
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
    },
    AddIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    AddUnique {
        table: String,
        unique: Unique,
    },
    DropUnique {
        table: String,
        unique: Unique,
    },
    AddForeignKey {
        table: String,
        fk: ForeignKey,
    },
    DropForeignKey {
        table: String,
        fk: ForeignKey,
    },
}

impl Op {
    /// The table the operation touches, by its name after any rename.
    pub fn table(&self) -> &str {
        match self {
            Op::CreateTable(m) | Op::DropTable(m) => &m.table,
            Op::RenameTable { to, .. } => to,
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::RenameColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::AddIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddUnique { table, .. }
            | Op::DropUnique { table, .. }
            | Op::AddForeignKey { table, .. }
            | Op::DropForeignKey { table, .. } => table,
        }
    }

    /// One line for people: `add column users.nickname (str(50)?)`.
    pub fn describe(&self) -> String {
        let col = |c: &Column| format!("{}{}", c.ty, if c.nullable { "?" } else { "" });
        match self {
            Op::CreateTable(m) => format!("create table {}", m.table),
            Op::DropTable(m) => format!("drop table {}", m.table),
            Op::RenameTable { from, to } => format!("rename table {from} to {to}"),
            Op::AddColumn { table, column } => format!("add column {table}.{} ({})", column.name, col(column)),
            Op::DropColumn { table, column } => format!("drop column {table}.{} ({})", column.name, col(column)),
            Op::RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
            Op::AlterColumn { table, from, to } => {
                let mut what = Vec::new();
                if from.ty != to.ty || from.nullable != to.nullable {
                    what.push(format!("{} → {}", col(from), col(to)));
                }
                if from.server_default != to.server_default {
                    what.push("server default".into());
                }
                if from.on_update != to.on_update {
                    what.push("on update".into());
                }
                format!("alter column {table}.{} ({})", to.name, what.join(", "))
            }
            Op::AddIndex { table, index } => {
                format!("add index {} on {table} ({})", index.name, index.columns.join(", "))
            }
            Op::DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            Op::AddUnique { table, unique } => format!("add unique on {table} ({})", unique.columns.join(", ")),
            Op::DropUnique { table, unique } => format!("drop unique on {table} ({})", unique.columns.join(", ")),
            Op::AddForeignKey { table, fk } => {
                format!("add foreign key {table}.{} → {}", fk.columns.join(","), fk.target_table)
            }
            Op::DropForeignKey { table, fk } => {
                format!(
                    "drop foreign key {table}.{} → {}",
                    fk.columns.join(","),
                    fk.target_table
                )
            }
        }
    }
}

/// Renames in effect between two schemas: old table → new table, and per new table,
/// old column → new column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Renames {
    pub tables: BTreeMap<String, String>,
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
}

impl Renames {
    /// The renames `new` declares against `old` (`renamed_from` naming something that
    /// exists in `old` under a name `new` no longer uses).
    pub fn declared(old: &Schema, new: &Schema) -> Renames {
        let mut renames = Renames::default();
        let old_tables: HashMap<&str, &Model> = old.models.iter().map(|m| (m.table.as_str(), m)).collect();
        for model in &new.models {
            let old_model = match &model.renamed_from {
                Some(from)
                    if !old_tables.contains_key(model.table.as_str()) && old_tables.contains_key(from.as_str()) =>
                {
                    renames.tables.insert(from.clone(), model.table.clone());
                    old_tables[from.as_str()]
                }
                _ => match old_tables.get(model.table.as_str()) {
                    Some(m) => m,
                    None => continue,
                },
            };
            for column in &model.columns {
                if let Some(from) = &column.renamed_from {
                    if old_model.column(&column.name).is_none() && old_model.column(from).is_some() {
                        renames
                            .columns
                            .entry(model.table.clone())
                            .or_default()
                            .insert(from.clone(), column.name.clone());
                    }
                }
            }
        }
        renames
    }

    /// The same renames seen from the other side, for the down migration.
    pub fn inverted(&self) -> Renames {
        let tables: BTreeMap<String, String> = self.tables.iter().map(|(a, b)| (b.clone(), a.clone())).collect();
        let columns = self
            .columns
            .iter()
            .map(|(table, cols)| {
                let old_table = tables.get(table).cloned().unwrap_or_else(|| table.clone());
                (old_table, cols.iter().map(|(a, b)| (b.clone(), a.clone())).collect())
            })
            .collect();
        Renames { tables, columns }
    }
}

/// The operations from `old` to `new`, in the order they must run.
pub fn diff(old: &Schema, new: &Schema, renames: &Renames) -> Vec<Op> {
    let mut drops_first = Vec::new();
    let mut renames_ops = Vec::new();
    let mut creates = Vec::new();
    let mut changes = Vec::new();
    let mut column_drops = Vec::new();
    let mut adds_last = Vec::new();
    let mut table_drops = Vec::new();

    let new_by_table: HashMap<&str, &Model> = new.models.iter().map(|m| (m.table.as_str(), m)).collect();
    let new_table_of = |old_table: &str| {
        renames
            .tables
            .get(old_table)
            .cloned()
            .unwrap_or_else(|| old_table.to_owned())
    };
    let mut matched_new = std::collections::HashSet::new();

    for old_model in &old.models {
        let table = new_table_of(&old_model.table);
        let Some(new_model) = new_by_table.get(table.as_str()) else {
            table_drops.push(Op::DropTable(old_model.clone()));
            continue;
        };
        matched_new.insert(table.clone());
        if table != old_model.table {
            renames_ops.push(Op::RenameTable {
                from: old_model.table.clone(),
                to: table.clone(),
            });
        }
        let col_renames = renames.columns.get(&table).cloned().unwrap_or_default();
        let new_col_of = |c: &str| col_renames.get(c).cloned().unwrap_or_else(|| c.to_owned());
        // Constraints are compared with old column names moved to their new names.
        let moved = |cols: &[String]| cols.iter().map(|c| new_col_of(c)).collect::<Vec<_>>();

        for fk in &old_model.foreign_keys {
            let fk_new = ForeignKey {
                columns: moved(&fk.columns),
                target_table: new_table_of(&fk.target_table),
                target_columns: fk.target_columns.clone(),
                ..fk.clone()
            };
            let kept = new_model.foreign_keys.iter().any(|n| same_fk(n, &fk_new));
            if !kept {
                drops_first.push(Op::DropForeignKey {
                    table: old_model.table.clone(),
                    fk: fk.clone(),
                });
            }
        }
        for index in &old_model.indexes {
            let kept = new_model.indexes.iter().any(|n| {
                n.name == index.name
                    && *n
                        == Index {
                            columns: moved(&index.columns),
                            ..index.clone()
                        }
            });
            if !kept {
                drops_first.push(Op::DropIndex {
                    table: old_model.table.clone(),
                    index: index.clone(),
                });
            }
        }
        for unique in &old_model.uniques {
            let kept = new_model.uniques.iter().any(|n| {
                *n == Unique {
                    columns: moved(&unique.columns),
                    ..unique.clone()
                }
            });
            if !kept {
                drops_first.push(Op::DropUnique {
                    table: old_model.table.clone(),
                    unique: unique.clone(),
                });
            }
        }
        for column in &old_model.columns {
            let name = new_col_of(&column.name);
            match new_model.column(&name) {
                None => column_drops.push(Op::DropColumn {
                    table: table.clone(),
                    column: column.clone(),
                }),
                Some(n) => {
                    if name != column.name {
                        renames_ops.push(Op::RenameColumn {
                            table: table.clone(),
                            from: column.name.clone(),
                            to: name.clone(),
                        });
                    }
                    let renamed = Column {
                        name: name.clone(),
                        ..column.clone()
                    };
                    if stored_differently(&renamed, n) {
                        changes.push(Op::AlterColumn {
                            table: table.clone(),
                            from: renamed,
                            to: n.clone(),
                        });
                    }
                }
            }
        }
        let old_names: Vec<String> = old_model.columns.iter().map(|c| new_col_of(&c.name)).collect();
        for column in &new_model.columns {
            if !old_names.contains(&column.name) {
                changes.push(Op::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                });
            }
        }
        for unique in &new_model.uniques {
            if !old_model.uniques.iter().any(|o| {
                Unique {
                    columns: moved(&o.columns),
                    ..o.clone()
                } == *unique
            }) {
                adds_last.push(Op::AddUnique {
                    table: table.clone(),
                    unique: unique.clone(),
                });
            }
        }
        for index in &new_model.indexes {
            if !old_model.indexes.iter().any(|o| {
                o.name == index.name
                    && Index {
                        columns: moved(&o.columns),
                        ..o.clone()
                    } == *index
            }) {
                adds_last.push(Op::AddIndex {
                    table: table.clone(),
                    index: index.clone(),
                });
            }
        }
        for fk in &new_model.foreign_keys {
            let existed = old_model.foreign_keys.iter().any(|o| {
                let o = ForeignKey {
                    columns: moved(&o.columns),
                    target_table: new_table_of(&o.target_table),
                    ..o.clone()
                };
                same_fk(&o, fk)
            });
            if !existed {
                adds_last.push(Op::AddForeignKey {
                    table: table.clone(),
                    fk: fk.clone(),
                });
            }
        }
    }
    let plan = modelgen_sql::plan(new);
    for model in plan.tables {
        if !matched_new.contains(&model.table) {
            creates.push(Op::CreateTable(model.clone()));
        }
    }
    // Drop tables that reference others first.
    table_drops.reverse();
    let mut ops = drops_first;
    ops.extend(renames_ops);
    ops.extend(creates);
    ops.extend(changes);
    ops.extend(column_drops);
    ops.extend(adds_last);
    ops.extend(table_drops);
    ops
}

fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.columns == b.columns
        && a.target_table == b.target_table
        && a.target_columns == b.target_columns
        && a.on_delete == b.on_delete
        && a.on_update == b.on_update
}

/// Whether two versions of a column differ in what the database stores or does.
fn stored_differently(a: &Column, b: &Column) -> bool {
    a.ty != b.ty || a.nullable != b.nullable || a.server_default != b.server_default || a.on_update != b.on_update
}

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
fn widens(from: &LogicalType, to: &LogicalType) -> bool {
    use LogicalType as T;
    match (from, to) {
        (T::Str { max_length: a }, T::Str { max_length: b }) => b >= a,
        (T::Str { .. }, T::Text) => true,
        (T::Int, T::BigInt) => true,
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
        _ => false,
    }
}
