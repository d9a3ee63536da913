//! Operations as SQL for one dialect. PostgreSQL and MySQL alter in place; SQLite, which
//! can alter little, rebuilds a table by its documented procedure: a new table, rows
//! copied, the old one dropped, the new one renamed, indexes and triggers recreated —
//! with foreign keys off so no cascade fires, and `foreign_key_check` before commit.

use crate::diff::{Op, Renames};
use modelgen_ir::{
    Column, DefaultValue, Dialect, ForeignKey, Generator, IndexKey, JsonShape, LogicalType, Model, OnUpdate, Schema,
    Unique,
};
use modelgen_sql::check::check_constraint_sql;
use modelgen_sql::ddl::{
    column_list, column_sql, create_index, create_table_as, foreign_key_constraint, foreign_key_constraint_name,
    foreign_key_sql, on_update_trigger, primary_key_constraint,
};
use modelgen_sql::{
    comment, create_table_sql, sequence, trigger_function_name, trigger_name, SqlDialect, MYSQL_LIVE_COLUMN,
};
use std::collections::{BTreeSet, HashMap};

mod constraints;
mod enums;
mod preflight;
mod rename;
use constraints::{
    drop_foreign_key, drop_primary_key, drop_unique, fks_needing, fks_on_altered_columns, rename_primary_key,
};
use rename::{rename_columns, rename_tables};
use std::fmt::Write;

/// The sqlx directive that runs a migration outside a transaction; SQLite can only turn
/// foreign keys off there, and the script opens its own transaction.
pub const NO_TRANSACTION: &str = "-- no-transaction";

/// A migration script: its statements, and whether it must run outside a transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub sql: String,
    pub no_transaction: bool,
}

/// The SQL for `ops`, which take `old` to `new` under `renames`.
pub fn render(ops: &[Op], old: &Schema, new: &Schema, renames: &Renames, d: Dialect) -> Script {
    // The name an old table has once renames ran; a dropped one keeps its own.
    let new_table_of = |t: &str| renames.new_table(t).unwrap_or_else(|| t.to_owned());
    // Drops of constraints run before renames, so they name their table by its old name;
    // a rebuild is keyed by the new one. (Keying by `op.table()` put both names of a renamed
    // table in `rebuilt`, and the old one is not in `new`: a panic.)
    let rebuilt_table = |op: &Op| match op {
        Op::DropForeignKey { table, .. }
        | Op::DropUnique { table, .. }
        | Op::DropIndex { table, .. }
        | Op::DropCheck { table, .. } => new_table_of(table),
        _ => op.table().to_owned(),
    };
    let rebuilt: BTreeSet<String> = match d {
        Dialect::Sqlite => with_referencing_tables(
            ops.iter()
                .filter(|op| sqlite_needs_rebuild(op))
                .map(rebuilt_table)
                .collect(),
            new,
            renames,
        ),
        _ => BTreeSet::new(),
    };
    let old_by_table: HashMap<&str, &Model> = old.models.iter().map(|m| (m.table.as_str(), m)).collect();
    let new_by_table: HashMap<&str, &Model> = new.models.iter().map(|m| (m.table.as_str(), m)).collect();

    let mut out = String::new();
    // Triggers depend on table and column names; drop every one whose identity changes
    // and create the new ones at the end.
    // The old ones are keyed by the names their table and column get; one whose table or
    // column goes away gets a key no new trigger has, so it is dropped.
    let gone = |name: &str| format!("\0{name}");
    let old_triggers = triggers(
        old,
        |m| renames.new_table(&m.table).unwrap_or_else(|| gone(&m.table)),
        |table, col| {
            new_by_table
                .get(table)
                .and_then(|m| renames.new_column(m, col))
                .unwrap_or_else(|| gone(col))
        },
    );
    let new_triggers = triggers(new, |m| m.table.clone(), |_, col| col.to_owned());
    if d != Dialect::Mysql {
        for (key, (model, column)) in &old_triggers {
            let dropped_with_table = d == Dialect::Sqlite && rebuilt.contains(&key.0);
            if !new_triggers.contains_key(key) || dropped_with_table || key_renamed(model, column, key) {
                drop_trigger(&mut out, model, column, d);
            }
        }
    }
    // Every SQLite rebuild, each table read under the name it has once renames ran.
    let rebuild_all = |out: &mut String| {
        for table in &rebuilt {
            let old_table = renames.old_table(table).expect("a rebuilt table existed before");
            rebuild(
                out,
                old_by_table[old_table.as_str()],
                new_by_table[table.as_str()],
                renames,
                d,
            );
        }
    };
    let mut rebuild_done = false;
    // MySQL: foreign keys taken off while an index they need is dropped, added back last.
    let mut fk_readds: Vec<String> = Vec::new();
    let mut fks_off: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    // MySQL: InnoDB will not change a column a foreign key uses, on either side (errno
    // 1832/1833), so those keys come off first and go back on at the end; neither
    // database drops a primary key that a foreign key references.
    if d == Dialect::Mysql {
        out.push_str(&preflight::mysql_preflight(ops, old, new, renames));
    }
    out.push_str(&enums::prologue(old, new, renames, d));
    let key_dropped = ops.iter().any(|op| matches!(op, Op::DropPrimaryKey { .. }));
    if d == Dialect::Mysql || (d == Dialect::Postgres && key_dropped) {
        for (table, fk, readd) in fks_on_altered_columns(ops, old, new, renames, d) {
            if fks_off.insert((table.clone(), fk.columns.clone())) {
                drop_foreign_key(&mut out, &table, fk, old, d);
                fk_readds.extend(readd);
            }
        }
    }
    // Rebuilds read tables by the names renames give them, so none starts before the last
    // rename (a drop that frees a name for a rename runs earlier).
    let renames_end = ops
        .iter()
        .rposition(|op| matches!(op, Op::RenameTable { .. } | Op::RenameColumn { .. }))
        .map_or(0, |i| i + 1);
    let mut renamed_tables = false;
    let mut renamed_columns: BTreeSet<&str> = BTreeSet::new();
    for (i, op) in ops.iter().enumerate() {
        if rebuilt.contains(&rebuilt_table(op))
            && !matches!(op, Op::RenameTable { .. } | Op::CreateTable(_) | Op::DropTable(_))
        {
            continue;
        }
        // Renames run together, so a swap or a chain can pass through temporary names.
        match op {
            Op::RenameTable { .. } => {
                if !std::mem::replace(&mut renamed_tables, true) {
                    rename_tables(&mut out, ops, d);
                }
                continue;
            }
            Op::RenameColumn { table, .. } => {
                if renamed_columns.insert(table) {
                    rename_columns(&mut out, table, ops, new, d);
                }
                continue;
            }
            _ => {}
        }
        if !rebuild_done
            && i >= renames_end
            && matches!(
                op,
                Op::AddColumn { .. }
                    | Op::AlterColumn { .. }
                    | Op::DropColumn { .. }
                    | Op::AddUnique { .. }
                    | Op::AddIndex { .. }
                    | Op::AddForeignKey { .. }
                    | Op::DropTable(_)
            )
        {
            rebuild_done = true;
            rebuild_all(&mut out);
        }
        if d == Dialect::Mysql {
            // An index's leading column keys may serve a foreign key.
            let dropped_key = match op {
                Op::DropIndex { table, index } => Some((
                    table,
                    index
                        .columns
                        .iter()
                        .map_while(IndexKey::column)
                        .map(str::to_owned)
                        .collect(),
                )),
                Op::DropUnique { table, unique } => Some((table, unique.columns.clone())),
                _ => None,
            };
            if let Some((table, columns)) = dropped_key {
                for (fk, readd) in fks_needing(table, &columns, ops, old, new, renames) {
                    if fks_off.insert((table.clone(), fk.columns.clone())) {
                        drop_foreign_key(&mut out, table, fk, old, d);
                        fk_readds.push(readd);
                    }
                }
            }
        }
        op_sql(&mut out, op, ops, old, new, renames, d);
    }
    for readd in fk_readds {
        out.push_str(&readd);
    }
    if !rebuild_done {
        rebuild_all(&mut out);
    }
    out.push_str(&enums::epilogue(old, new, d));
    if d != Dialect::Mysql {
        for (key, (model, column)) in &new_triggers {
            let created_with_table = ops
                .iter()
                .any(|op| matches!(op, Op::CreateTable(m) if m.table == key.0));
            let old = old_triggers.get(key);
            let kept = old.is_some_and(|(m, c)| !key_renamed(m, c, key))
                && !(d == Dialect::Sqlite && rebuilt.contains(&key.0));
            if !kept && !created_with_table {
                on_update_trigger(&mut out, model, column, d);
            }
        }
    }
    match d {
        Dialect::Sqlite if rebuilt.is_empty() => in_transaction(&out),
        Dialect::Sqlite => Script {
            // Foreign keys can be turned off only outside a transaction: no ON DELETE
            // CASCADE fires while a rebuilt table is dropped. A CHECK that fails on any
            // dangling reference aborts the migration before commit.
            sql: format!(
                "PRAGMA foreign_keys = OFF;\nBEGIN;\n{out}{}COMMIT;\nPRAGMA foreign_keys = ON;\n",
                "CREATE TEMP TABLE modelgen_fk_check (violations INTEGER CHECK (violations = 0));\nINSERT INTO modelgen_fk_check SELECT count(*) FROM pragma_foreign_key_check;\nDROP TABLE modelgen_fk_check;\n"
            ),
            no_transaction: true,
        },
        _ => Script {
            sql: out,
            no_transaction: false,
        },
    }
}

/// A SQLite script in its own transaction, so that it is all or nothing under any runner
/// — sqlx (told by `-- no-transaction` not to open one itself), diesel, or the `sqlite3`
/// client with `-bail` — the same as the scripts that rebuild a table must be.
pub fn in_transaction(sql: &str) -> Script {
    Script {
        sql: format!("BEGIN;\n{sql}COMMIT;\n"),
        no_transaction: true,
    }
}

/// Whether a trigger's table or column was renamed, so its name (derived from both) and
/// PostgreSQL's function body (which names the column) change.
fn key_renamed(old_model: &Model, old_column: &Column, key: &(String, String)) -> bool {
    old_model.table != key.0 || old_column.name != key.1
}

/// `on_update` triggers by (new table, new column name), with the model and column they
/// belong to in their own schema.
fn triggers(
    schema: &Schema,
    table_of: impl Fn(&Model) -> String,
    column_of: impl Fn(&str, &str) -> String,
) -> std::collections::BTreeMap<(String, String), (&Model, &Column)> {
    let mut out = std::collections::BTreeMap::new();
    for model in &schema.models {
        let table = table_of(model);
        for column in model.columns.iter().filter(|c| c.on_update == Some(OnUpdate::Now)) {
            out.insert((table.clone(), column_of(&table, &column.name)), (model, column));
        }
    }
    out
}

fn drop_trigger(out: &mut String, model: &Model, column: &Column, d: Dialect) {
    let trigger = d.ident(&trigger_name(model, column));
    match d {
        Dialect::Postgres => {
            let _ = writeln!(out, "DROP TRIGGER IF EXISTS {trigger} ON {};", d.ident(&model.table));
            let _ = writeln!(
                out,
                "DROP FUNCTION IF EXISTS {}();",
                d.ident(&trigger_function_name(model, column))
            );
        }
        _ => {
            let _ = writeln!(out, "DROP TRIGGER IF EXISTS {trigger};");
        }
    }
}

/// `rebuilt` and every table that must be rebuilt with it: a rebuild renames columns by
/// copying, which, unlike `ALTER TABLE … RENAME COLUMN`, leaves the foreign keys of other
/// tables naming the old column; those tables are rebuilt too, with the new name.
fn with_referencing_tables(mut rebuilt: BTreeSet<String>, new: &Schema, renames: &Renames) -> BTreeSet<String> {
    loop {
        let more: Vec<String> = new
            .models
            .iter()
            .filter(|m| !rebuilt.contains(&m.table))
            .filter(|m| {
                m.foreign_keys.iter().any(|fk| {
                    rebuilt.contains(&fk.target_table)
                        && renames
                            .columns
                            .get(&fk.target_table)
                            .is_some_and(|c| c.values().any(|to| fk.target_columns.contains(to)))
                })
            })
            .map(|m| m.table.clone())
            .collect();
        if more.is_empty() {
            return rebuilt;
        }
        rebuilt.extend(more);
    }
}

/// What SQLite's ALTER TABLE cannot do in place.
fn sqlite_needs_rebuild(op: &Op) -> bool {
    match op {
        Op::AddColumn { column, .. } => {
            use modelgen_ir::DefaultValue;
            // SQLite refuses to add a column with a non-constant default (`now`, and any
            // SQL in parentheses, even `(1 + 2)`) to a table with rows, nullable or not.
            let expression_default = matches!(column.server_default, Some(DefaultValue::Now | DefaultValue::Sql(_)));
            let constant_default = column.server_default.is_some() && !expression_default;
            column.primary_key || expression_default || !(column.nullable || constant_default)
        }
        Op::AlterColumn { .. }
        | Op::DropColumn { .. }
        | Op::AddUnique { .. }
        | Op::DropUnique { .. }
        | Op::AddForeignKey { .. }
        | Op::DropForeignKey { .. }
        | Op::DropPrimaryKey { .. }
        | Op::AddPrimaryKey { .. }
        | Op::RenamePrimaryKey { .. } => true,
        // SQLite cannot add or drop a table's CHECK in place.
        Op::AddCheck { check, .. } | Op::DropCheck { check, .. } => check.applies(Dialect::Sqlite),
        _ => false,
    }
}

fn rebuild(out: &mut String, old: &Model, new: &Model, renames: &Renames, d: Dialect) {
    let temp = format!("modelgen_new_{}", new.table);
    create_table_as(out, new, &temp, d, |_| true);
    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for column in &new.columns {
        let from = renames.old_column(&new.table, &column.name, old);
        let Some(old_column) = from.as_deref().and_then(|from| old.column(from)) else {
            // A new NOT NULL column without a default: existing rows get the type's zero, as
            // `Op::AddColumn` gives them on the other dialects (and as `destructive` says).
            // Left out of the copy, it was NULL, and the INSERT failed.
            if !column.nullable && column.server_default.is_none() && !column.autoincrement {
                targets.push(d.ident(&column.name));
                sources.push(d.default_sql(&zero(&column.ty), &column.ty));
            }
            continue;
        };
        targets.push(d.ident(&column.name));
        let copied = fill_nulls(&d.ident(&old_column.name), old_column, column, d);
        sources.push(enums::renamed_copy(copied, old_column, column, d));
    }
    // Renames run before any rebuild (they come first among the operations that start
    // one), so a renamed table is found by its new name; `old.table` no longer exists.
    let _ = writeln!(
        out,
        "INSERT INTO {} ({}) SELECT {} FROM {};",
        d.ident(&temp),
        targets.join(", "),
        sources.join(", "),
        d.ident(&new.table)
    );
    let _ = writeln!(out, "DROP TABLE {};", d.ident(&new.table));
    let _ = writeln!(out, "ALTER TABLE {} RENAME TO {};", d.ident(&temp), d.ident(&new.table));
    for index in &new.indexes {
        create_index(out, new, index, d);
    }
}

/// The value existing rows get in a new NOT NULL column that has no default.
pub fn zero(ty: &LogicalType) -> DefaultValue {
    match ty {
        LogicalType::Str { .. } | LogicalType::Text => DefaultValue::Str(String::new()),
        LogicalType::SmallInt | LogicalType::Int | LogicalType::BigInt => DefaultValue::Int(0),
        LogicalType::Float => DefaultValue::Float(0.0),
        LogicalType::Decimal { .. } => DefaultValue::Decimal("0".into()),
        LogicalType::Bool { .. } => DefaultValue::Bool(false),
        LogicalType::DateTime { .. } => DefaultValue::Str("1970-01-01 00:00:00".into()),
        LogicalType::Date => DefaultValue::Str("1970-01-01".into()),
        LogicalType::Time => DefaultValue::Str("00:00:00".into()),
        LogicalType::Bytes { .. } => DefaultValue::Str(String::new()),
        LogicalType::Uuid => DefaultValue::Str("00000000-0000-0000-0000-000000000000".into()),
        LogicalType::Json {
            shape: JsonShape::List(_),
        } => DefaultValue::Json("[]".into()),
        LogicalType::Json {
            shape: JsonShape::Map(_),
        } => DefaultValue::Json("{}".into()),
        LogicalType::Json { .. } => DefaultValue::Json("null".into()),
        LogicalType::Enum(e) => DefaultValue::Str(e.values.first().cloned().unwrap_or_default()),
    }
}

/// A column becoming NOT NULL takes its server default where it held NULL, or without one
/// the type's zero (allowed only as destructive); see [`null_fill`].
fn fill_nulls(expr: &str, from: &Column, to: &Column, d: Dialect) -> String {
    match null_fill(from, to) {
        Some(value) => format!("COALESCE({expr}, {})", d.default_sql(&value, &to.ty)),
        None => expr.to_owned(),
    }
}

/// What NULLs become when `from` turns NOT NULL as `to`: the server default, else the
/// type's zero, as a NOT NULL column added without a default gets. Without the zero, a
/// migration allowed as destructive failed on every database as soon as a NULL existed.
fn null_fill(from: &Column, to: &Column) -> Option<DefaultValue> {
    (from.nullable && !to.nullable).then(|| to.server_default.clone().unwrap_or_else(|| zero(&to.ty)))
}

fn op_sql(out: &mut String, op: &Op, ops: &[Op], old: &Schema, new: &Schema, renames: &Renames, d: Dialect) {
    let t = |name: &str| d.ident(name);
    match op {
        Op::CreateTable(model) => out.push_str(&create_table_sql(model, d)),
        Op::DropTable(model) => {
            let _ = writeln!(out, "DROP TABLE {};", t(&model.table));
            // The sequences its keys read, which the table's defaults held on to.
            for statement in sequence::drop_statements(model, d) {
                let _ = writeln!(out, "{statement}");
            }
        }
        Op::RenameTable { .. } | Op::RenameColumn { .. } => unreachable!("renames are rendered together"),
        Op::SetGenerator { table, column, from } => {
            for statement in sequence::switch_statements(table, column, Some(from), Some(&column.generator), d) {
                let _ = writeln!(out, "{statement}");
            }
        }
        Op::RenameSequence { from, to, .. } => {
            if d == Dialect::Postgres {
                let _ = writeln!(out, "ALTER SEQUENCE {} RENAME TO {};", t(from), t(to));
            }
        }
        Op::AddColumn { table, column } => {
            // PostgreSQL comments on a column once it is there; MySQL says it in the definition.
            let comment = match (d, &column.comment) {
                (Dialect::Postgres, Some(text)) => comment::set_column(table, &column.name, Some(text), d) + "\n",
                _ => String::new(),
            };
            if column.nullable || column.server_default.is_some() {
                let _ = writeln!(out, "ALTER TABLE {} ADD COLUMN {};", t(table), column_sql(column, d));
                out.push_str(&comment);
                return;
            }
            // Existing rows need a value: the type's zero, as a default dropped right after.
            let filled = Column {
                server_default: Some(zero(&column.ty)),
                ..column.clone()
            };
            let _ = writeln!(out, "ALTER TABLE {} ADD COLUMN {};", t(table), column_sql(&filled, d));
            let _ = writeln!(
                out,
                "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;",
                t(table),
                t(&column.name)
            );
            out.push_str(&comment);
        }
        Op::DropColumn { table, column } => {
            let _ = writeln!(out, "ALTER TABLE {} DROP COLUMN {};", t(table), t(&column.name));
        }
        Op::AlterColumn { table, from, to } => {
            let on_update = existing_on_update_columns(table, old, new, renames);
            // MySQL takes AUTO_INCREMENT only on a key; a key added later in this
            // migration sets it (see `Op::AddPrimaryKey`).
            let key_later = ops
                .iter()
                .any(|o| matches!(o, Op::AddPrimaryKey { table: t, .. } if t == table));
            let to = &Column {
                autoincrement: to.autoincrement && !(key_later && d == Dialect::Mysql),
                ..to.clone()
            };
            alter_column(out, table, from, to, &on_update, d)
        }
        Op::AddIndex { table, index } => {
            let model = new
                .models
                .iter()
                .find(|m| &m.table == table)
                .expect("an added index belongs to a new table");
            if d == Dialect::Mysql
                && index.live_only
                && !live_column_stays(table, old, new, renames)
                && !created_live_column(out, table)
            {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {} ADD COLUMN {} TINYINT AS (CASE WHEN {} IS NULL THEN 1 END) STORED;",
                    t(table),
                    t(MYSQL_LIVE_COLUMN),
                    t(model.soft_delete.as_deref().unwrap_or("deleted_at"))
                );
            }
            create_index(out, model, index, d);
        }
        Op::DropIndex { table, index } => {
            match d {
                Dialect::Mysql => {
                    let _ = writeln!(out, "DROP INDEX {} ON {};", t(&index.name), t(table));
                }
                _ => {
                    let _ = writeln!(out, "DROP INDEX {};", t(&index.name));
                }
            }
            let new_table = renames.new_table(table);
            let stays = new_table
                .as_deref()
                .is_some_and(|n| live_column_stays(n, old, new, renames));
            if d == Dialect::Mysql && index.live_only && !stays && !dropped_live_column(out, table) {
                let _ = writeln!(out, "ALTER TABLE {} DROP COLUMN {};", t(table), t(MYSQL_LIVE_COLUMN));
            }
        }
        Op::AddUnique { table, unique } => {
            let named = unique
                .name
                .as_ref()
                .map(|n| format!("CONSTRAINT {} ", t(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD {named}UNIQUE ({});",
                t(table),
                column_list(&unique.columns, d)
            );
        }
        Op::DropUnique { table, unique } => drop_unique(out, table, unique, d),
        Op::AddForeignKey { table, fk } => {
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD {}{};",
                t(table),
                foreign_key_constraint(table, fk, d),
                foreign_key_sql(fk, d)
            );
        }
        Op::DropForeignKey { table, fk } => drop_foreign_key(out, table, fk, old, d),
        Op::DropPrimaryKey { table, columns } => drop_primary_key(out, table, columns, old, renames, d),
        Op::RenamePrimaryKey { table, to, .. } => rename_primary_key(out, table, to.as_deref(), d),
        Op::AddPrimaryKey { table, columns } => {
            let model = new
                .model_by_table(table)
                .expect("a key is added to a table of the new schema");
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD {}PRIMARY KEY ({});",
                t(table),
                primary_key_constraint(model, d),
                column_list(columns, d)
            );
            // MySQL's AUTO_INCREMENT column must be a key, so it waited for this one.
            for column in model.columns.iter().filter(|c| c.autoincrement && d == Dialect::Mysql) {
                let _ = writeln!(out, "ALTER TABLE {} MODIFY COLUMN {};", t(table), column_sql(column, d));
            }
        }
        Op::AddCheck { check, .. } | Op::DropCheck { check, .. } if !check.applies(d) => {}
        Op::AddCheck { table, check } => {
            let _ = writeln!(out, "ALTER TABLE {} ADD {};", t(table), check_constraint_sql(check, d));
        }
        // MariaDB and MySQL 8.0.19+ take `DROP CONSTRAINT` for a CHECK, as PostgreSQL.
        Op::DropCheck { table, check } => {
            let _ = writeln!(out, "ALTER TABLE {} DROP CONSTRAINT {};", t(table), t(&check.name));
        }
        Op::CommentTable { .. } | Op::CommentColumn { .. } if d == Dialect::Sqlite => {}
        Op::CommentTable { table, to, .. } => {
            let _ = writeln!(out, "{}", comment::set_table(table, to.as_deref(), d));
        }
        Op::CommentColumn { table, column, .. } => match d {
            // The column's MODIFY in this migration already says its new comment.
            Dialect::Mysql if altered_in(ops, table, &column.name) => {}
            Dialect::Mysql => {
                let _ = writeln!(out, "ALTER TABLE {} MODIFY COLUMN {};", t(table), column_sql(column, d));
            }
            _ => {
                let _ = writeln!(
                    out,
                    "{}",
                    comment::set_column(table, &column.name, column.comment.as_deref(), d)
                );
            }
        },
    }
}

/// Whether `ops` alter column `column` of `table`, which MySQL does with a `MODIFY COLUMN`
/// giving its whole new definition.
fn altered_in(ops: &[Op], table: &str, column: &str) -> bool {
    ops.iter()
        .any(|op| matches!(op, Op::AlterColumn { table: t, to, .. } if t == table && to.name == column))
}

/// Whether MySQL's live column of `table` (new name) is the same before and after: both
/// sides have live-only indexes over the same soft-delete column, which the column's
/// expression names. Otherwise it goes with the old indexes and comes with the new ones.
fn live_column_stays(table: &str, old: &Schema, new: &Schema, renames: &Renames) -> bool {
    let live = |m: &Model| m.indexes.iter().any(|i| i.live_only);
    let Some(new_model) = new.model_by_table(table).filter(|m| live(m)) else {
        return false;
    };
    let old_model = renames.old_table(table).and_then(|o| old.model_by_table(&o));
    old_model
        .filter(|m| live(m))
        .is_some_and(|m| m.soft_delete.as_ref().and_then(|c| renames.new_column(new_model, c)) == new_model.soft_delete)
}

/// Whether this script already dropped the MySQL live column of `table`.
fn dropped_live_column(out: &str, table: &str) -> bool {
    out.contains(&format!("ALTER TABLE `{table}` DROP COLUMN `{MYSQL_LIVE_COLUMN}`"))
}

/// Whether this script already added the MySQL live column to `table`.
fn created_live_column(out: &str, table: &str) -> bool {
    out.contains(&format!("ALTER TABLE `{table}` ADD COLUMN `{MYSQL_LIVE_COLUMN}`"))
}

/// The `on_update` columns of `table` (by new name) that exist while its columns are
/// altered: those of the new model that the old one had (added columns come later).
fn existing_on_update_columns(table: &str, old: &Schema, new: &Schema, renames: &Renames) -> Vec<String> {
    let old_model = renames.old_table(table).and_then(|t| old.model_by_table(&t));
    let (Some(old_model), Some(new_model)) = (old_model, new.model_by_table(table)) else {
        return Vec::new();
    };
    new_model
        .columns
        .iter()
        .filter(|c| c.on_update.is_some() && renames.old_column(table, &c.name, old_model).is_some())
        .map(|c| c.name.clone())
        .collect()
}

/// `on_update` lists the table's `ON UPDATE` columns present now (see
/// [`existing_on_update_columns`]).
fn alter_column(out: &mut String, table: &str, from: &Column, to: &Column, on_update: &[String], d: Dialect) {
    let t = d.ident(table);
    let c = d.ident(&to.name);
    let fill = null_fill(from, to);
    // Filling NULLs is not an update of the rows: `updated_at` must keep its value. An
    // UPDATE fired PostgreSQL's on-update trigger and MySQL's ON UPDATE, stamping every
    // filled row with the migration's time. PostgreSQL fills in the type change below,
    // which fires no trigger; MySQL assigns the ON UPDATE columns to themselves, which
    // keeps it from setting them.
    if let (Some(value), Dialect::Mysql) = (&fill, d) {
        let keep: String = on_update
            .iter()
            .filter(|k| **k != to.name)
            .map(|k| format!(", {0} = {0}", d.ident(k)))
            .collect();
        let _ = writeln!(
            out,
            "UPDATE {t} SET {c} = {}{keep} WHERE {c} IS NULL;",
            d.default_sql(value, &to.ty)
        );
    }
    match d {
        Dialect::Mysql => {
            let modify = format!("ALTER TABLE {t} MODIFY COLUMN {};\n", column_sql(to, d));
            // A VARCHAR enum's renamed values: the rows are updated where both the old and
            // the new names fit, before a narrowing MODIFY or after a widening one.
            let renamed = enums::mysql_varchar_renames(&t, from, to, on_update, d);
            let widens = match (&from.ty, &to.ty) {
                (LogicalType::Enum(a), LogicalType::Enum(b)) => b.as_varchar(d) && b.max_length() >= a.max_length(),
                _ => true,
            };
            match widens {
                true => out.push_str(&format!("{modify}{renamed}")),
                false => out.push_str(&format!("{renamed}{modify}")),
            }
        }
        _ => {
            let ty = d.type_sql(&to.ty);
            // PostgreSQL cannot cast a default of one enum type along with its column (an
            // inline enum's type is renamed with its column): it goes first, comes back after.
            let retyped = fill.is_some() || (from.ty != to.ty && !enums::changed_by_prologue(from, to, d));
            let is_enum = |c: &Column| matches!(c.ty, LogicalType::Enum(_));
            let default_recast =
                d == Dialect::Postgres && retyped && from.server_default.is_some() && (is_enum(from) || is_enum(to));
            if default_recast {
                let _ = writeln!(out, "ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;");
            }
            if let Some(value) = &fill {
                // Rewrites the table (to the same type, if it does not change).
                let _ = writeln!(
                    out,
                    "ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING COALESCE({}, {});",
                    converted(&c, from, to, d),
                    d.default_sql(value, &to.ty)
                );
            } else if from.ty != to.ty && !enums::changed_by_prologue(from, to, d) {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {};",
                    converted(&c, from, to, d)
                );
            }
            // Compared as SQL: a `now` default is spelled per type (`timezone('utc', now())`
            // for a naive timestamp, CURRENT_TIMESTAMP for a zoned one), so a change of type
            // alone can change it.
            let default_sql = |c: &Column| c.server_default.as_ref().map(|v| d.default_sql(v, &c.ty));
            if default_sql(from) != default_sql(to) || (default_recast && to.server_default.is_some()) {
                match &to.server_default {
                    Some(v) => {
                        let _ = writeln!(
                            out,
                            "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {};",
                            d.default_sql(v, &to.ty)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;");
                    }
                }
            }
            if from.nullable != to.nullable {
                let change = if to.nullable { "DROP" } else { "SET" };
                let _ = writeln!(out, "ALTER TABLE {t} ALTER COLUMN {c} {change} NOT NULL;");
            }
            // Turned on or off, or generated another way: the old way goes, the new one
            // starts after the values rows already hold.
            fn generator(c: &Column) -> Option<&Generator> {
                c.autoincrement.then_some(&c.generator)
            }
            for statement in sequence::switch_statements(table, to, generator(from), generator(to), d) {
                let _ = writeln!(out, "{statement}");
            }
            // A SERIAL's sequence has the column's type (an identity's follows by itself).
            let serial = |c: &Column| c.autoincrement && c.generator == Generator::Serial;
            if d == Dialect::Postgres && serial(from) && serial(to) && from.ty != to.ty {
                let name = sequence::serial_sequence(&d.name_of(table), &d.name_of(&to.name));
                let _ = writeln!(out, "ALTER SEQUENCE {} AS {};", d.ident(&name), d.type_sql(&to.ty));
            }
        }
    }
}

/// A column's value converted to its new type in PostgreSQL's `USING`. Between naive and
/// zoned timestamps it is read as UTC both ways, as modelgen stores naive ones: a cast
/// would use the session's time zone and shift every value by it.
fn converted(column: &str, from: &Column, to: &Column, d: Dialect) -> String {
    match (&from.ty, &to.ty) {
        (LogicalType::DateTime { timezone: a }, LogicalType::DateTime { timezone: b }) if a != b => {
            format!("{column} AT TIME ZONE 'UTC'")
        }
        // Enum to and from PostgreSQL's own types goes through the text, renamed values
        // mapped to their new names on the way (a rewrite, which fires no trigger).
        (LogicalType::Enum(_), _) | (_, LogicalType::Enum(_)) => {
            let text = format!("{column}::text");
            match enums::renamed_copy(text.clone(), from, to, d) {
                mapped if mapped == text => format!("{text}::{}", d.type_sql(&to.ty)),
                mapped => format!("({mapped})::{}", d.type_sql(&to.ty)),
            }
        }
        _ => format!("{column}::{}", d.type_sql(&to.ty)),
    }
}
