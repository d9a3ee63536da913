//! Keys and constraints that a change must take off and put back: primary keys, unique
//! constraints and foreign keys, found by name or in the catalog where the database named
//! them, and the foreign keys MySQL needs off around a change of a column they use.

use super::*;

/// InnoDB refuses to drop the index a foreign key uses (error 1553) unless another one can
/// serve it. The foreign keys of `table` (old name) that this migration keeps and that an
/// index on `columns` can serve (its leading columns are the key's), each with the SQL that
/// adds it back under the new names. Taken off before the index goes and added back at the
/// end, the key then gets an index from InnoDB as in a fresh build: an existing one that
/// serves, or one of its own.
pub(super) fn fks_needing<'a>(
    table: &str,
    columns: &[String],
    ops: &[Op],
    old: &'a Schema,
    new: &Schema,
    renames: &Renames,
) -> Vec<(&'a ForeignKey, String)> {
    let Some(model) = old.model_by_table(table) else {
        return Vec::new();
    };
    let Some(new_table) = renames.new_table(table) else {
        return Vec::new();
    };
    let new_model = new
        .model_by_table(&new_table)
        .expect("new_table names a table of the new schema");
    let moved = |c: &String| renames.new_column(new_model, c);
    let mut out = Vec::new();
    for fk in &model.foreign_keys {
        let serves = columns.len() >= fk.columns.len() && columns[..fk.columns.len()] == fk.columns[..];
        let dropped = ops
            .iter()
            .any(|o| matches!(o, Op::DropForeignKey { table: t, fk: f } if t == table && f.columns == fk.columns));
        let new_columns: Option<Vec<String>> = fk.columns.iter().map(moved).collect();
        let kept = new_model
            .foreign_keys
            .iter()
            .find(|n| Some(&n.columns) == new_columns.as_ref());
        if let (true, false, Some(kept)) = (serves, dropped, kept) {
            out.push((fk, add_foreign_key(&new_table, kept, Dialect::Mysql)));
        }
    }
    out
}

/// The statement adding `fk` to `table` (new names).
fn add_foreign_key(table: &str, fk: &ForeignKey, d: Dialect) -> String {
    format!(
        "ALTER TABLE {} ADD {}{};\n",
        d.ident(table),
        foreign_key_constraint(table, fk, d),
        foreign_key_sql(fk, d)
    )
}

/// The foreign keys (by old table name) on either side of a column the operations alter,
/// that no operation drops, each with the statement that adds it back under the new names
/// (none when its table goes away).
pub(super) fn fks_on_altered_columns<'a>(
    ops: &[Op],
    old: &'a Schema,
    new: &Schema,
    renames: &Renames,
    d: Dialect,
) -> Vec<(String, &'a ForeignKey, Option<String>)> {
    let altered: BTreeSet<(String, String)> = ops
        .iter()
        .filter_map(|op| match op {
            Op::AlterColumn { table, to, .. } if d == Dialect::Mysql => {
                let old_table = renames.old_table(table)?;
                let from = renames.old_column(table, &to.name, old.model_by_table(&old_table)?)?;
                Some(vec![(old_table, from)])
            }
            // The whole old key: a foreign key needs the key (or a unique) it references.
            Op::DropPrimaryKey { table, .. } => {
                let old_model = old.model_by_table(&renames.old_table(table)?)?;
                Some(
                    old_model
                        .primary_key
                        .iter()
                        .map(|c| (old_model.table.clone(), c.clone()))
                        .collect(),
                )
            }
            _ => None,
        })
        .flatten()
        .collect();
    let touched = |table: &str, cols: &[String]| cols.iter().any(|c| altered.contains(&(table.to_owned(), c.clone())));
    let mut out = Vec::new();
    for model in &old.models {
        for fk in &model.foreign_keys {
            if !touched(&model.table, &fk.columns) && !touched(&fk.target_table, &fk.target_columns) {
                continue;
            }
            let dropped = ops.iter().any(|o| {
                matches!(o, Op::DropForeignKey { table, fk: f } if *table == model.table && f.columns == fk.columns)
            });
            if dropped {
                continue;
            }
            let readd = renames.new_table(&model.table).and_then(|new_table| {
                let new_model = new.model_by_table(&new_table)?;
                let moved: Option<Vec<String>> = fk.columns.iter().map(|c| renames.new_column(new_model, c)).collect();
                let kept = new_model
                    .foreign_keys
                    .iter()
                    .find(|n| Some(&n.columns) == moved.as_ref())?;
                Some(add_foreign_key(&new_table, kept, d))
            });
            out.push((model.table.clone(), fk, readd));
        }
    }
    out
}

/// Takes off a table's primary key, named by the database (`<table>_pkey` on PostgreSQL,
/// unless the table was renamed since). MySQL first takes AUTO_INCREMENT off its column,
/// which must be a key while it has it.
pub(super) fn drop_primary_key(
    out: &mut String,
    table: &str,
    columns: &[String],
    old: &Schema,
    renames: &Renames,
    d: Dialect,
) {
    let t = d.ident(table);
    let old_model = renames.old_table(table).and_then(|o| old.model_by_table(&o));
    match d {
        Dialect::Postgres => match old_model.and_then(|m| m.primary_key_name.as_ref()) {
            Some(name) => {
                let _ = writeln!(out, "ALTER TABLE {t} DROP CONSTRAINT {};", d.ident(name));
            }
            None => {
                let _ = writeln!(
                    out,
                    "DO $$\nDECLARE name text;\nBEGIN\n    SELECT conname INTO name FROM pg_constraint WHERE conrelid = {}::regclass AND contype = 'p';\n    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', {}, name);\nEND $$;",
                    d.string_literal(&t),
                    d.string_literal(&d.name_of(table))
                );
            }
        },
        Dialect::Mysql => {
            // `columns` are the old key's, in its order, under their names after renames.
            let old_key = old_model
                .iter()
                .flat_map(|m| m.primary_key.iter().filter_map(|k| m.column(k)));
            for (column, name) in old_key.zip(columns).filter(|(c, _)| c.autoincrement) {
                let plain = Column {
                    name: name.clone(),
                    autoincrement: false,
                    ..column.clone()
                };
                let _ = writeln!(out, "ALTER TABLE {t} MODIFY COLUMN {};", column_sql(&plain, d));
            }
            let _ = writeln!(out, "ALTER TABLE {t} DROP PRIMARY KEY;");
        }
        Dialect::Sqlite => unreachable!("SQLite changes a primary key by rebuilding the table"),
    }
}

/// Gives a table's primary key the name `to`, or PostgreSQL's own (`<table>_pkey`, the
/// table's part cut to fit 63 bytes) for `None`. MySQL names every key `PRIMARY`.
pub(super) fn rename_primary_key(out: &mut String, table: &str, to: Option<&str>, d: Dialect) {
    if d != Dialect::Postgres {
        return;
    }
    let to = to.map_or_else(
        || {
            let mut end = table.len().min(63 - "_pkey".len());
            while !table.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}_pkey", &table[..end])
        },
        |n| d.name_of(n),
    );
    let _ = writeln!(
        out,
        "DO $$\nDECLARE name text;\nBEGIN\n    SELECT conname INTO name FROM pg_constraint WHERE conrelid = {}::regclass AND contype = 'p';\n    EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', {}, name, {});\nEND $$;",
        d.string_literal(&d.ident(table)),
        d.string_literal(&d.name_of(table)),
        d.string_literal(&to)
    );
}

/// Unnamed constraints get their names from the database; look them up where they live.
pub(super) fn drop_unique(out: &mut String, table: &str, unique: &Unique, d: Dialect) {
    if let Some(name) = &unique.name {
        let drop = if d == Dialect::Mysql { "INDEX" } else { "CONSTRAINT" };
        let _ = writeln!(out, "ALTER TABLE {} DROP {drop} {};", d.ident(table), d.ident(name));
        return;
    }
    let columns = unique.columns.join(",");
    match d {
        Dialect::Postgres => pg_drop_constraint(out, table, 'u', &columns, d),
        Dialect::Mysql => {
            let _ = writeln!(
                out,
                "SET @modelgen_name = (SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME HAVING GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) = {} LIMIT 1);\nSET @modelgen_sql = CONCAT('ALTER TABLE {} DROP INDEX `', @modelgen_name, '`');\nPREPARE modelgen_stmt FROM @modelgen_sql;\nEXECUTE modelgen_stmt;\nDEALLOCATE PREPARE modelgen_stmt;",
                d.string_literal(&d.name_of(table)),
                d.string_literal(&columns),
                d.ident(table)
            );
        }
        Dialect::Sqlite => unreachable!("SQLite drops unique constraints by rebuilding the table"),
    }
}

/// Drops the constraint of kind `contype` (`u`nique, `f`oreign key) over `columns` by the
/// name PostgreSQL gave it, found in the catalog at migration time.
fn pg_drop_constraint(out: &mut String, table: &str, contype: char, columns: &str, d: Dialect) {
    let _ = writeln!(
        out,
        "DO $$\nDECLARE name text;\nBEGIN\n    SELECT c.conname INTO name FROM pg_constraint c\n    WHERE c.conrelid = {}::regclass AND c.contype = '{contype}'\n      AND (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)\n           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) = {};\n    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', {}, name);\nEND $$;",
        d.string_literal(&d.ident(table)),
        d.string_literal(columns),
        d.string_literal(&d.name_of(table))
    );
}

pub(super) fn drop_foreign_key(out: &mut String, table: &str, fk: &ForeignKey, old: &Schema, d: Dialect) {
    let columns = fk.columns.join(",");
    let named = foreign_key_constraint_name(table, fk, d);
    match d {
        Dialect::Postgres => match &named {
            Some(name) => {
                let _ = writeln!(out, "ALTER TABLE {} DROP CONSTRAINT {};", d.ident(table), d.ident(name));
            }
            None => pg_drop_constraint(out, table, 'f', &columns, d),
        },
        Dialect::Mysql => {
            if let Some(name) = &named {
                let _ = writeln!(
                    out,
                    "SET @modelgen_name = {};\nALTER TABLE {} DROP FOREIGN KEY {};",
                    d.string_literal(&d.name_of(name)),
                    d.ident(table),
                    d.ident(name)
                );
            } else {
                let _ = writeln!(
                out,
                "SET @modelgen_name = (SELECT CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND REFERENCED_TABLE_NAME IS NOT NULL GROUP BY CONSTRAINT_NAME HAVING GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) = {} LIMIT 1);\nSET @modelgen_sql = CONCAT('ALTER TABLE {} DROP FOREIGN KEY `', @modelgen_name, '`');\nPREPARE modelgen_stmt FROM @modelgen_sql;\nEXECUTE modelgen_stmt;\nDEALLOCATE PREPARE modelgen_stmt;",
                    d.string_literal(&d.name_of(table)),
                    d.string_literal(&columns),
                    d.ident(table),
                );
            }
            // InnoDB keeps the index it made for the key; it goes too, as a fresh build has
            // none. MariaDB names that index after the constraint when the constraint is
            // named, and after the key's first column when not (the unnamed case was left
            // behind; a second unnamed key on the same first column has it with `_2`,
            // `_3`…). Only a plain index on exactly the key's columns, and not one the
            // schema declares under that name.
            let declared = |name: &str| {
                old.model_by_table(table)
                    .is_some_and(|m| m.indexes.iter().any(|i| d.name_of(&i.name) == name))
            };
            let first = d.name_of(&fk.columns[0]);
            let names = if declared(&first) {
                "INDEX_NAME = @modelgen_name".to_owned()
            } else {
                let numbered = format!("^{}_[0-9]+$", regex_escape(&first));
                // A declared index that happens to look numbered is the schema's, not InnoDB's.
                let own: Vec<String> = old
                    .model_by_table(table)
                    .map(|m| {
                        m.indexes
                            .iter()
                            .map(|i| d.string_literal(&d.name_of(&i.name)))
                            .collect()
                    })
                    .unwrap_or_default();
                let not_declared = match own.is_empty() {
                    true => String::new(),
                    false => format!(" AND INDEX_NAME NOT IN ({})", own.join(", ")),
                };
                format!(
                    "(INDEX_NAME IN (@modelgen_name, {}) OR (INDEX_NAME REGEXP {}{not_declared}))",
                    d.string_literal(&first),
                    d.string_literal(&numbered)
                )
            };
            let _ = writeln!(
                out,
                "SET @modelgen_sql = COALESCE((SELECT CONCAT('ALTER TABLE {} DROP INDEX `', INDEX_NAME, '`') FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND {names} AND NON_UNIQUE = 1 GROUP BY INDEX_NAME HAVING GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) = {} LIMIT 1), 'DO 0');\nPREPARE modelgen_stmt FROM @modelgen_sql;\nEXECUTE modelgen_stmt;\nDEALLOCATE PREPARE modelgen_stmt;",
                d.ident(table),
                d.string_literal(&d.name_of(table)),
                d.string_literal(&columns),
            );
        }
        Dialect::Sqlite => unreachable!("SQLite drops foreign keys by rebuilding the table"),
    }
}

/// `first` as a literal part of a MariaDB regular expression.
fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if !ch.is_ascii_alphanumeric() && ch != '_' {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
