//! Renames of tables and of a table's columns, rendered together: a swap (`a` ↔ `b`) or a
//! chain (`a` → `b`, `b` → `c`) cannot run one statement at a time in the order listed,
//! since a name is still taken when the next one needs it. The names that do pass through
//! `modelgen_tmp_<n>`, a prefix no spec may use.

use crate::diff::Op;
use modelgen_ir::{Dialect, Model, Schema};
use modelgen_sql::SqlDialect;
use std::collections::HashSet;
use std::fmt::Write;

/// Statements for `pairs` (from → to, sources distinct, targets distinct) that are valid
/// one after another: each rename whose target another pair still holds goes to a
/// temporary name first and to its target last.
pub(super) fn steps(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let sources: HashSet<&str> = pairs.iter().map(|(from, _)| from.as_str()).collect();
    let (mut first, mut direct, mut last) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (from, to)) in pairs.iter().enumerate() {
        if sources.contains(to.as_str()) {
            let temp = format!("modelgen_tmp_{i}");
            first.push((from.clone(), temp.clone()));
            last.push((temp, to.clone()));
        } else {
            direct.push((from.clone(), to.clone()));
        }
    }
    first.into_iter().chain(direct).chain(last).collect()
}

/// Every table rename of `ops`.
pub(super) fn rename_tables(out: &mut String, ops: &[Op], d: Dialect) {
    let pairs: Vec<(String, String)> = ops
        .iter()
        .filter_map(|op| match op {
            Op::RenameTable { from, to } => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect();
    for (from, to) in steps(&pairs) {
        let (from, to) = (d.ident(&from), d.ident(&to));
        let _ = match d {
            Dialect::Mysql => writeln!(out, "RENAME TABLE {from} TO {to};"),
            _ => writeln!(out, "ALTER TABLE {from} RENAME TO {to};"),
        };
    }
}

/// Every column rename of `table` (its new name) in `ops`.
pub(super) fn rename_columns(out: &mut String, table: &str, ops: &[Op], new: &Schema, d: Dialect) {
    let pairs: Vec<(String, String)> = ops
        .iter()
        .filter_map(|op| match op {
            Op::RenameColumn { table: t, from, to } if t == table => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect();
    let t = d.ident(table);
    for (from, to) in steps(&pairs) {
        let _ = writeln!(
            out,
            "ALTER TABLE {t} RENAME COLUMN {} TO {};",
            d.ident(&from),
            d.ident(&to)
        );
    }
    if d != Dialect::Mysql {
        return;
    }
    // MariaDB names an unnamed UNIQUE after its first column and keeps that name when the
    // column is renamed; a fresh build names it after the new one, so rename the index
    // too (if it is there under the old name).
    let Some(model) = new.model_by_table(table) else { return };
    for (from, to) in &pairs {
        if unnamed_unique_first(model, to) {
            let _ = writeln!(
                out,
                "SET @modelgen_sql = COALESCE((SELECT CONCAT('ALTER TABLE {t} RENAME INDEX `', INDEX_NAME, '` TO {}') FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND INDEX_NAME = {} AND NON_UNIQUE = 0 AND SEQ_IN_INDEX = 1 AND COLUMN_NAME = {} LIMIT 1), 'DO 0');\nPREPARE modelgen_stmt FROM @modelgen_sql;\nEXECUTE modelgen_stmt;\nDEALLOCATE PREPARE modelgen_stmt;",
                d.ident(to),
                d.string_literal(&d.name_of(table)),
                d.string_literal(&d.name_of(from)),
                d.string_literal(&d.name_of(to))
            );
        }
    }
}

fn unnamed_unique_first(model: &Model, column: &str) -> bool {
    model
        .uniques
        .iter()
        .any(|u| u.name.is_none() && u.columns.first().is_some_and(|c| c == column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    /// Runs the steps over a set of names, failing on a step whose target is taken.
    fn run(names: &[&str], steps: &[(String, String)]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        for (from, to) in steps {
            assert!(!names.contains(to), "{to} is taken at step {from} → {to}");
            let at = names.iter().position(|n| n == from).expect("the source exists");
            names[at] = to.clone();
        }
        names
    }

    #[test]
    fn swaps_chains_and_cycles_end_where_declared() {
        let swap = pairs(&[("a", "b"), ("b", "a")]);
        assert_eq!(run(&["a", "b"], &steps(&swap)), ["b", "a"]);
        let chain = pairs(&[("a", "b"), ("b", "c")]);
        assert_eq!(run(&["a", "b"], &steps(&chain)), ["b", "c"]);
        let cycle = pairs(&[("a", "b"), ("b", "c"), ("c", "a")]);
        assert_eq!(run(&["a", "b", "c"], &steps(&cycle)), ["b", "c", "a"]);
        let plain = pairs(&[("a", "x")]);
        assert_eq!(
            steps(&plain),
            plain,
            "a rename with a free target needs no temporary name"
        );
    }
}
