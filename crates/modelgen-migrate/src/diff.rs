//! The operations that turn one schema into another, found by comparing two IRs.
//!
//! Tables and columns match by name, or through a declared `renamed_from`; nothing is
//! guessed. A drop and an add that look like a rename produce a hint instead.

use modelgen_ir::check::{all_checks, Check, CheckExpr};
use modelgen_ir::{Column, Dialect, ForeignKey, Generator, Index, LogicalType, Model, Schema, Unique};
use modelgen_sql::SqlDialect;
use std::collections::{BTreeMap, HashMap, HashSet};

mod declared;
mod keys;
mod risks;
pub use declared::unknown_renames;
use keys::{moved_foreign_key, refresh_dependent_keys};
pub(crate) use risks::widens;
pub use risks::{can_fail, destructive, irreversible, key_list, rename_hints};

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
    /// PostgreSQL's way of generating the key `column` (as it is now) changes from `from`,
    /// and nothing else about the column does; no SQL for the other databases, which
    /// have one way each.
    SetGenerator {
        table: String,
        column: Column,
        from: Generator,
    },
    /// A SERIAL's sequence follows its renamed table or column, as a fresh SERIAL would
    /// be named (PostgreSQL keeps the old name); nothing elsewhere.
    RenameSequence {
        table: String,
        from: String,
        to: String,
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
    /// Takes off the primary key `columns` (named as they are after renames); the new
    /// key comes with [`Op::AddPrimaryKey`], once columns are added and changed.
    DropPrimaryKey {
        table: String,
        columns: Vec<String>,
    },
    AddPrimaryKey {
        table: String,
        columns: Vec<String>,
    },
    /// The same key under another name (`None`: the database's own).
    RenamePrimaryKey {
        table: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// A CHECK constraint; a changed one is dropped and added again.
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
    /// A kept table's comment set, changed or taken off (`to: None`).
    CommentTable {
        table: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// A kept column's comment set, changed or taken off; `column` is its new definition,
    /// which MySQL restates whole to change the comment.
    CommentColumn {
        table: String,
        from: Option<String>,
        column: Column,
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
            | Op::SetGenerator { table, .. }
            | Op::RenameSequence { table, .. }
            | Op::AddIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddUnique { table, .. }
            | Op::DropUnique { table, .. }
            | Op::AddForeignKey { table, .. }
            | Op::DropForeignKey { table, .. }
            | Op::DropPrimaryKey { table, .. }
            | Op::AddPrimaryKey { table, .. }
            | Op::RenamePrimaryKey { table, .. }
            | Op::AddCheck { table, .. }
            | Op::DropCheck { table, .. }
            | Op::CommentTable { table, .. }
            | Op::CommentColumn { table, .. } => table,
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
                if from.autoincrement != to.autoincrement {
                    what.push(
                        if to.autoincrement {
                            "autoincrement"
                        } else {
                            "no autoincrement"
                        }
                        .into(),
                    );
                }
                if from.generator != to.generator && from.autoincrement && to.autoincrement {
                    what.push(format!("{} → {}", from.generator.describe(), to.generator.describe()));
                }
                format!("alter column {table}.{} ({})", to.name, what.join(", "))
            }
            Op::SetGenerator { table, column, from } => format!(
                "alter column {table}.{} (PostgreSQL: {} → {})",
                column.name,
                from.describe(),
                column.generator.describe()
            ),
            Op::RenameSequence { from, to, .. } => format!("rename sequence {from} to {to}"),
            Op::AddIndex { table, index } => {
                format!("add index {} on {table} ({})", index.name, key_list(index))
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
            Op::DropPrimaryKey { table, columns } => format!("drop primary key of {table} ({})", columns.join(", ")),
            Op::AddPrimaryKey { table, columns } => format!("add primary key on {table} ({})", columns.join(", ")),
            Op::RenamePrimaryKey { table, from, to } => {
                let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "the database's name".into());
                format!("rename primary key of {table} from {} to {}", name(from), name(to))
            }
            Op::AddCheck { table, check } => format!("add check {} on {table}", check.name),
            Op::DropCheck { table, check } => format!("drop check {} on {table}", check.name),
            Op::CommentTable { table, to, .. } => match to {
                Some(_) => format!("comment on table {table}"),
                None => format!("drop comment on table {table}"),
            },
            Op::CommentColumn { table, column, .. } => match column.comment {
                Some(_) => format!("comment on column {table}.{}", column.name),
                None => format!("drop comment on column {table}.{}", column.name),
            },
        }
    }
}

/// Renames in effect between two schemas: old table → new table, and per new table,
/// old column → new column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Renames {
    pub tables: BTreeMap<String, String>,
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// `tables` the other way round: new table → old table.
    tables_back: HashMap<String, String>,
    /// The tables of each side, so every question is answered without a scan.
    old_tables: HashSet<String>,
    new_tables: HashSet<String>,
}

impl Renames {
    /// The renames `new` declares against `old`, as one mapping: swaps, chains and a rename
    /// onto a name the migration frees (the old holder is dropped) included.
    ///
    /// `X: {renamed_from: R}` is in effect when `old` has `R` and its `X` does not already
    /// carry `renamed_from: R`: in that case an earlier migration made the rename and the
    /// declaration merely stayed in the spec. A second declaration of one source is
    /// ignored here (the front ends refuse it).
    pub fn declared(old: &Schema, new: &Schema) -> Renames {
        let mut renames = Renames {
            old_tables: old.models.iter().map(|m| m.table.clone()).collect(),
            new_tables: new.models.iter().map(|m| m.table.clone()).collect(),
            ..Renames::default()
        };
        let old_tables: HashMap<&str, &Model> = old.models.iter().map(|m| (m.table.as_str(), m)).collect();
        for model in &new.models {
            let Some(from) = &model.renamed_from else { continue };
            let applied = old_tables
                .get(model.table.as_str())
                .is_some_and(|m| m.renamed_from.as_ref() == Some(from));
            if *from != model.table && old_tables.contains_key(from.as_str()) && !applied {
                renames
                    .tables
                    .entry(from.clone())
                    .or_insert_with(|| model.table.clone());
            }
        }
        renames.tables_back = renames.tables.iter().map(|(a, b)| (b.clone(), a.clone())).collect();
        for model in &new.models {
            let Some(old_model) = renames.old_table(&model.table).and_then(|t| old_tables.get(t.as_str())) else {
                continue;
            };
            let mut columns = BTreeMap::new();
            for column in &model.columns {
                let Some(from) = &column.renamed_from else { continue };
                let applied = old_model
                    .column(&column.name)
                    .is_some_and(|c| c.renamed_from.as_ref() == Some(from));
                if *from != column.name && old_model.column(from).is_some() && !applied {
                    columns.entry(from.clone()).or_insert_with(|| column.name.clone());
                }
            }
            if !columns.is_empty() {
                renames.columns.insert(model.table.clone(), columns);
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
        Renames {
            tables_back: self.tables.clone().into_iter().collect(),
            tables,
            columns,
            old_tables: self.new_tables.clone(),
            new_tables: self.old_tables.clone(),
        }
    }

    /// The table `old_table` becomes in `new`: its declared new name; else the same name,
    /// unless a renamed table takes that name; else none, as it is dropped.
    pub fn new_table(&self, old_table: &str) -> Option<String> {
        if let Some(to) = self.tables.get(old_table) {
            return Some(to.clone());
        }
        let taken = self.tables_back.contains_key(old_table);
        (!taken && self.new_tables.contains(old_table)).then(|| old_table.to_owned())
    }

    /// The table of `old` that becomes `new_table`, the converse of [`Renames::new_table`].
    pub fn old_table(&self, new_table: &str) -> Option<String> {
        if let Some(from) = self.tables_back.get(new_table) {
            return Some(from.clone());
        }
        let renamed_away = self.tables.contains_key(new_table);
        (!renamed_away && self.old_tables.contains(new_table)).then(|| new_table.to_owned())
    }

    /// The column `old_column` becomes in `new_model` (the model its table became): its
    /// declared new name; else the same name, unless a renamed column takes it; else none.
    pub fn new_column(&self, new_model: &Model, old_column: &str) -> Option<String> {
        let declared = self.columns.get(&new_model.table);
        if let Some(to) = declared.and_then(|c| c.get(old_column)) {
            return Some(to.clone());
        }
        let taken = declared.is_some_and(|c| c.values().any(|to| to == old_column));
        (!taken && new_model.column(old_column).is_some()).then(|| old_column.to_owned())
    }

    /// The column of `old_model` that becomes `new_column` of table `new_table`, the
    /// converse of [`Renames::new_column`]; none for a column the migration adds.
    pub fn old_column(&self, new_table: &str, new_column: &str, old_model: &Model) -> Option<String> {
        let declared = self.columns.get(new_table);
        if let Some((from, _)) = declared.and_then(|c| c.iter().find(|(_, to)| *to == new_column)) {
            return Some(from.clone());
        }
        let renamed_away = declared.is_some_and(|c| c.contains_key(new_column));
        (!renamed_away && old_model.column(new_column).is_some()).then(|| new_column.to_owned())
    }
}

/// The operations from `old` to `new`, in the order they must run: constraint drops,
/// table drops, table renames, column drops that free a name a rename takes, column
/// renames, primary-key drops,
/// new tables, column changes and adds, primary-key adds, column drops, constraint adds,
/// comments.
pub fn diff(old: &Schema, new: &Schema, renames: &Renames) -> Vec<Op> {
    let mut drops_first = Vec::new();
    let mut freeing_drops = Vec::new();
    let mut table_renames = Vec::new();
    let mut renames_ops = Vec::new();
    let mut creates = Vec::new();
    let mut changes = Vec::new();
    let mut column_drops = Vec::new();
    let mut key_drops = Vec::new();
    let mut key_adds = Vec::new();
    let mut adds_last = Vec::new();
    let mut table_drops = Vec::new();
    let mut comments = Vec::new();

    let new_by_table: keys::Tables = new.models.iter().map(|m| (m.table.as_str(), m)).collect();
    let mut matched_new = std::collections::HashSet::new();

    for old_model in &old.models {
        let Some(table) = renames.new_table(&old_model.table) else {
            table_drops.push(Op::DropTable(old_model.clone()));
            continue;
        };
        let new_model = new_by_table[table.as_str()];
        matched_new.insert(table.clone());
        if table != old_model.table {
            table_renames.push(Op::RenameTable {
                from: old_model.table.clone(),
                to: table.clone(),
            });
        }
        // Constraints are compared with old names moved to their new ones; a constraint
        // over a column that goes away matches nothing.
        let moved = |cols: &[String]| -> Option<Vec<String>> {
            cols.iter().map(|c| renames.new_column(new_model, c)).collect()
        };
        let moved_fk = |fk: &ForeignKey| moved_foreign_key(fk, new_model, &new_by_table, renames);
        // A live-only index is also over the soft-delete column its predicate names.
        let same_soft_delete = old_model
            .soft_delete
            .as_ref()
            .and_then(|c| renames.new_column(new_model, c))
            == new_model.soft_delete;
        let moved_index = |i: &Index| {
            let rename = |c: &str| renames.new_column(new_model, c);
            let columns = i
                .columns
                .iter()
                .map(|k| k.with_columns(&rename))
                .collect::<Option<_>>()
                .filter(|_| !i.live_only || same_soft_delete)?;
            let predicate = match &i.predicate {
                Some(p) => Some(p.with_columns(&rename)?),
                None => None,
            };
            Some(Index {
                columns,
                predicate,
                ..i.clone()
            })
        };
        let moved_unique = |u: &Unique| moved(&u.columns).map(|columns| Unique { columns, ..u.clone() });

        for fk in &old_model.foreign_keys {
            let kept = moved_fk(fk).is_some_and(|m| new_model.foreign_keys.iter().any(|n| same_fk(n, &m)));
            if !kept {
                drops_first.push(Op::DropForeignKey {
                    table: old_model.table.clone(),
                    fk: fk.clone(),
                });
            }
        }
        for index in &old_model.indexes {
            let kept = moved_index(index).is_some_and(|m| new_model.indexes.contains(&m));
            if !kept {
                drops_first.push(Op::DropIndex {
                    table: old_model.table.clone(),
                    index: index.clone(),
                });
            }
        }
        for unique in &old_model.uniques {
            let kept = moved_unique(unique).is_some_and(|m| new_model.uniques.contains(&m));
            if !kept {
                drops_first.push(Op::DropUnique {
                    table: old_model.table.clone(),
                    unique: unique.clone(),
                });
            }
        }
        // A check is kept when the new model has one of its name that means the same once
        // columns are renamed; anything else is dropped first and added last.
        let moved_check = |c: &Check| match &c.expr {
            CheckExpr::Tree(e) => e
                .with_columns(&|col| renames.new_column(new_model, col))
                .map(|e| Check {
                    expr: CheckExpr::Tree(e),
                    ..c.clone()
                }),
            CheckExpr::Sql(_) => Some(c.clone()),
        };
        let kept_check = |old: &Check, new: &Check| {
            old.name == new.name
                && old.dialects == new.dialects
                && moved_check(old).is_some_and(|m| m.expr.same_as(&new.expr))
        };
        // Those column types bring too (an enum's, a `bool(check)`'s), each made and
        // dropped only where it applies.
        let (old_checks, new_checks) = (all_checks(old_model), all_checks(new_model));
        for check in &old_checks {
            if !new_checks.iter().any(|n| kept_check(check, n)) {
                drops_first.push(Op::DropCheck {
                    table: old_model.table.clone(),
                    check: check.clone(),
                });
            }
        }
        if old_model.comment != new_model.comment {
            comments.push(Op::CommentTable {
                table: table.clone(),
                from: old_model.comment.clone(),
                to: new_model.comment.clone(),
            });
        }
        let column_renames = renames.columns.get(&table);
        for column in &old_model.columns {
            let Some(name) = renames.new_column(new_model, &column.name) else {
                let drop = Op::DropColumn {
                    table: table.clone(),
                    column: column.clone(),
                };
                match column_renames.is_some_and(|c| c.values().any(|to| *to == column.name)) {
                    true => freeing_drops.push(drop),
                    false => column_drops.push(drop),
                }
                continue;
            };
            let n = new_model
                .column(&name)
                .expect("new_column names a column of the new model");
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
            if column.comment != n.comment {
                comments.push(Op::CommentColumn {
                    table: table.clone(),
                    from: column.comment.clone(),
                    column: n.clone(),
                });
            }
            // A SERIAL's sequence is named after its table and column; it follows them first,
            // so what comes after finds it by the new names.
            if column.autoincrement && column.generator == Generator::Serial {
                let d = Dialect::Postgres;
                let serial = |t: &str, c: &str| modelgen_sql::sequence::serial_sequence(&d.name_of(t), &d.name_of(c));
                let (from, to) = (serial(&old_model.table, &column.name), serial(&table, &name));
                if from != to {
                    renames_ops.push(Op::RenameSequence {
                        table: table.clone(),
                        from,
                        to,
                    });
                }
            }
            if stored_differently(&renamed, n) {
                changes.push(Op::AlterColumn {
                    table: table.clone(),
                    from: renamed,
                    to: n.clone(),
                });
            } else if renamed.generator != n.generator {
                changes.push(Op::SetGenerator {
                    table: table.clone(),
                    column: n.clone(),
                    from: renamed.generator.clone(),
                });
            }
        }
        let old_key = moved(&old_model.primary_key);
        if old_key.as_ref() != Some(&new_model.primary_key) {
            // The old key's columns by their new names; one that goes away takes the key
            // with it, so only the add is needed.
            if let Some(columns) = old_key {
                key_drops.push(Op::DropPrimaryKey {
                    table: table.clone(),
                    columns,
                });
            }
            key_adds.push(Op::AddPrimaryKey {
                table: table.clone(),
                columns: new_model.primary_key.clone(),
            });
        } else if old_model.primary_key_name != new_model.primary_key_name {
            // Before the new tables: one may take the old name (a table renamed away and
            // another made under its name, keys named after their tables).
            key_drops.push(Op::RenamePrimaryKey {
                table: table.clone(),
                from: old_model.primary_key_name.clone(),
                to: new_model.primary_key_name.clone(),
            });
        }
        let kept: std::collections::HashSet<String> = old_model
            .columns
            .iter()
            .filter_map(|c| renames.new_column(new_model, &c.name))
            .collect();
        for column in &new_model.columns {
            if !kept.contains(&column.name) {
                changes.push(Op::AddColumn {
                    table: table.clone(),
                    column: column.clone(),
                });
            }
        }
        for unique in &new_model.uniques {
            if !old_model
                .uniques
                .iter()
                .any(|o| moved_unique(o).as_ref() == Some(unique))
            {
                adds_last.push(Op::AddUnique {
                    table: table.clone(),
                    unique: unique.clone(),
                });
            }
        }
        for index in &new_model.indexes {
            if !old_model.indexes.iter().any(|o| moved_index(o).as_ref() == Some(index)) {
                adds_last.push(Op::AddIndex {
                    table: table.clone(),
                    index: index.clone(),
                });
            }
        }
        for check in &new_checks {
            if !old_checks.iter().any(|o| kept_check(o, check)) {
                adds_last.push(Op::AddCheck {
                    table: table.clone(),
                    check: check.clone(),
                });
            }
        }
        for fk in &new_model.foreign_keys {
            let existed = old_model
                .foreign_keys
                .iter()
                .any(|o| moved_fk(o).is_some_and(|m| same_fk(&m, fk)));
            if !existed {
                adds_last.push(Op::AddForeignKey {
                    table: table.clone(),
                    fk: fk.clone(),
                });
            }
        }
    }
    refresh_dependent_keys(old, &new_by_table, renames, &mut drops_first, &mut adds_last);
    let plan = modelgen_sql::plan(&new.models);
    for model in plan.tables {
        if !matched_new.contains(&model.table) {
            creates.push(Op::CreateTable(model.clone()));
        }
    }
    // Tables go before anything takes their names (a renamed table, a new table, their
    // indexes), those that reference others first; the foreign keys kept tables had on
    // them went with the constraint drops.
    table_drops.reverse();
    let mut ops = drops_first;
    ops.extend(table_drops);
    ops.extend(table_renames);
    ops.extend(freeing_drops);
    ops.extend(renames_ops);
    ops.extend(key_drops);
    ops.extend(creates);
    ops.extend(changes);
    ops.extend(key_adds);
    ops.extend(column_drops);
    ops.extend(adds_last);
    // Last, once every column has its final definition and the table its key: MySQL
    // restates a column whole to change its comment, AUTO_INCREMENT and all.
    ops.extend(comments);
    ops
}

fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.name == b.name
        && a.columns == b.columns
        && a.target_table == b.target_table
        && a.target_columns == b.target_columns
        && a.on_delete == b.on_delete
        && a.on_update == b.on_update
}

/// Whether two versions of a column differ in what the database stores or does.
fn stored_differently(a: &Column, b: &Column) -> bool {
    let same_type = match (&a.ty, &b.ty) {
        (LogicalType::Enum(x), LogicalType::Enum(y)) => x.same_storage(y),
        (x, y) => x == y,
    };
    !same_type
        || a.nullable != b.nullable
        || a.server_default != b.server_default
        || a.on_update != b.on_update
        || a.autoincrement != b.autoincrement
}
