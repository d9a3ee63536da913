//! Foreign keys across a migration: under their new names, and around the unique keys
//! they reference when those are dropped and made again.

use super::{same_fk, Op, Renames};
use modelgen_ir::{ForeignKey, Model, Schema};
use std::collections::HashMap;

/// The new schema's models by table.
pub(super) type Tables<'a> = HashMap<&'a str, &'a Model>;

/// PostgreSQL and InnoDB refuse to drop a unique key a foreign key references (a renamed
/// one is dropped and added). Each kept foreign key over a dropped key is dropped before
/// it and added back after the new one; and every foreign-key drop comes first.
pub(super) fn refresh_dependent_keys(
    old: &Schema,
    new: &Tables,
    renames: &Renames,
    drops_first: &mut Vec<Op>,
    adds_last: &mut Vec<Op>,
) {
    let dropped_keys: Vec<(String, Vec<String>)> = drops_first
        .iter()
        .filter_map(|op| match op {
            Op::DropUnique { table, unique } => Some((table.clone(), unique.columns.clone())),
            Op::DropIndex { table, index } if index.unique => Some((
                table.clone(),
                index.plain_columns()?.into_iter().map(str::to_owned).collect(),
            )),
            _ => None,
        })
        .collect();
    for model in &old.models {
        for fk in &model.foreign_keys {
            let over_dropped = dropped_keys
                .iter()
                .any(|(table, columns)| *table == fk.target_table && *columns == fk.target_columns);
            let already = drops_first.iter().any(
                |op| matches!(op, Op::DropForeignKey { table, fk: f } if *table == model.table && f.columns == fk.columns),
            );
            if !over_dropped || already {
                continue;
            }
            let Some(table) = renames.new_table(&model.table) else {
                continue;
            };
            let Some(&new_model) = new.get(table.as_str()) else {
                continue;
            };
            let Some(moved) = moved_foreign_key(fk, new_model, new, renames) else {
                continue;
            };
            let Some(kept) = new_model.foreign_keys.iter().find(|n| same_fk(n, &moved)) else {
                continue;
            };
            drops_first.push(Op::DropForeignKey {
                table: model.table.clone(),
                fk: fk.clone(),
            });
            adds_last.push(Op::AddForeignKey {
                table,
                fk: kept.clone(),
            });
        }
    }
    // Before any key they may reference goes.
    drops_first.sort_by_key(|op| !matches!(op, Op::DropForeignKey { .. }));
}

/// `fk` of an old model with its columns and target under their new names; `None` when
/// a column or the target goes away.
pub(super) fn moved_foreign_key(
    fk: &ForeignKey,
    new_model: &Model,
    new: &Tables,
    renames: &Renames,
) -> Option<ForeignKey> {
    let target = renames.new_table(&fk.target_table)?;
    let target_model = *new.get(target.as_str())?;
    Some(ForeignKey {
        columns: fk
            .columns
            .iter()
            .map(|c| renames.new_column(new_model, c))
            .collect::<Option<_>>()?,
        target_columns: fk
            .target_columns
            .iter()
            .map(|c| renames.new_column(target_model, c))
            .collect::<Option<_>>()?,
        target_table: target,
        ..fk.clone()
    })
}
