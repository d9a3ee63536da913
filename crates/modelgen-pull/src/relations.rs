//! Relations a person would declare, from the foreign keys a database has: a
//! many-to-one and its one-to-many for each key, and a many-to-many for each join table.

use crate::catalog::Catalog;
use heck::{ToSnakeCase, ToUpperCamelCase};
use modelgen_ir::{Model, ModelKind, Relation, RelationKind};
use std::collections::{HashMap, HashSet};

/// A pair of relations for each single-column foreign key, named as a person would:
/// `orders.customer_id` gives `Orders.customer` (many-to-one) and `Customers.orders`
/// (one-to-many; one-to-one when the key column is unique). A name that is taken, or
/// that Rust or Python would not take as a plain name, gives no relation: relations are
/// the spec's, not the database's, and the user adds what is left out.
pub(crate) fn relations(models: &mut [Model], joins: &HashSet<String>) {
    let mut pairs: Vec<(usize, Relation, usize, Relation)> = Vec::new();
    let mut taken: Vec<HashSet<String>> = models
        .iter()
        .map(|m| m.columns.iter().map(|c| c.name.clone()).collect())
        .collect();
    for (child, m) in models.iter().enumerate() {
        if joins.contains(&m.table) {
            continue;
        }
        for fk in m.foreign_keys.iter().filter(|fk| fk.columns.len() == 1) {
            let Some(parent) = models.iter().position(|p| p.table == fk.target_table) else {
                continue;
            };
            let column = &fk.columns[0];
            let Some(stem) = column.strip_suffix("_id").filter(|s| plain_name(s)) else {
                continue;
            };
            let back = if child == parent {
                format!("{}_children", stem)
            } else {
                m.table.clone()
            };
            let unique = m.is_unique_set(std::slice::from_ref(column));
            if !plain_name(&back)
                || taken[child].contains(stem)
                || taken[parent].contains(&back)
                || (child == parent && stem == back)
            {
                continue;
            }
            taken[child].insert(stem.to_owned());
            taken[parent].insert(back.clone());
            let relation = |name: &str, kind, target: &Model, back: &str| Relation {
                name: name.to_owned(),
                kind,
                target: target.name.clone(),
                foreign_key: fk.columns.clone(),
                through: None,
                target_foreign_key: Vec::new(),
                back_populates: Some(back.to_owned()),
                cascade: Vec::new(),
                doc: None,
            };
            let parent_kind = if unique {
                RelationKind::OneToOne
            } else {
                RelationKind::OneToMany
            };
            pairs.push((
                child,
                relation(stem, RelationKind::ManyToOne, &models[parent], &back),
                parent,
                relation(&back, parent_kind, m, stem),
            ));
        }
    }
    for (child, to_parent, parent, to_child) in pairs {
        models[child].relations.push(to_parent);
        models[parent].relations.push(to_child);
    }
    many_to_many(models, joins, &mut taken);
}

/// Each join table's pair of many-to-many relations, named after the other side's table,
/// and the join table a join model, as the spec's `through:` makes it.
fn many_to_many(models: &mut [Model], joins: &HashSet<String>, taken: &mut [HashSet<String>]) {
    for j in 0..models.len() {
        if !joins.contains(&models[j].table) {
            continue;
        }
        let join = models[j].clone();
        let sides: Vec<usize> = join
            .foreign_keys
            .iter()
            .filter_map(|fk| models.iter().position(|m| m.table == fk.target_table))
            .collect();
        let [a, b] = sides[..] else { continue };
        let (name_a, name_b) = (models[b].table.clone(), models[a].table.clone());
        if !plain_name(&name_a) || !plain_name(&name_b) || taken[a].contains(&name_a) || taken[b].contains(&name_b) {
            continue;
        }
        taken[a].insert(name_a.clone());
        taken[b].insert(name_b.clone());
        let relation = |name: &str, own: usize, target: &Model, back: &str| Relation {
            name: name.to_owned(),
            kind: RelationKind::ManyToMany,
            target: target.name.clone(),
            foreign_key: join.foreign_keys[own].columns.clone(),
            through: Some(join.table.clone()),
            target_foreign_key: join.foreign_keys[1 - own].columns.clone(),
            back_populates: Some(back.to_owned()),
            cascade: Vec::new(),
            doc: None,
        };
        let (to_b, to_a) = (
            relation(&name_a, 0, &models[b], &name_b),
            relation(&name_b, 1, &models[a], &name_a),
        );
        models[a].relations.push(to_b);
        models[b].relations.push(to_a);
        models[j].kind = ModelKind::Join;
        models[j].name = join.table.clone();
        models[j].repr.clear();
    }
}

/// The tables that are what a `many_to_many` relation's `through:` makes: two columns,
/// the key in that order, each a foreign key without a name or actions to a different
/// table's key, nothing else. A join table's columns are named after the models it joins
/// (`user_id` for `User`), so those models take the names the columns give them when
/// no other table has them; a table whose names cannot be had is no join table.
pub(crate) fn join_tables(catalog: &Catalog, names: &mut HashMap<String, String>) -> HashSet<String> {
    let mut joins = HashSet::new();
    for t in &catalog.tables {
        let [c0, c1] = t.columns.as_slice() else { continue };
        let plain = t.indexes.is_empty()
            && t.uniques.is_empty()
            && t.checks.is_empty()
            && t.triggers.is_empty()
            && t.comment.is_none()
            && t.primary_key_name.is_none()
            && t.primary_key == [c0.name.clone(), c1.name.clone()]
            && c0.ty.is_ok()
            && c1.ty.is_ok();
        if !plain || t.foreign_keys.len() != 2 {
            continue;
        }
        let mut wanted = Vec::new();
        for (c, fk) in [c0, c1].into_iter().zip(&t.foreign_keys) {
            let Some(target) = catalog.tables.iter().find(|x| x.name == fk.target_table) else {
                break;
            };
            let keyed = target.primary_key.len() == 1 && fk.target_columns == target.primary_key;
            let same_type = target
                .columns
                .iter()
                .any(|k| k.name == target.primary_key[0] && k.ty == c.ty);
            let bare = fk.on_delete.is_none() && fk.on_update.is_none() && fk.name.is_none();
            let Some(stem) = c.name.strip_suffix("_id").filter(|s| plain_name(s)) else {
                break;
            };
            if fk.columns != [c.name.clone()] || !keyed || !same_type || !bare || target.name == t.name {
                break;
            }
            // The spec names a join column `<model in snake_case>_id`: the model's name
            // must give the column's back.
            let name = stem.to_upper_camel_case();
            if name.to_snake_case() != stem {
                break;
            }
            wanted.push((target.name.clone(), name));
        }
        let [(ta, na), (tb, nb)] = &wanted[..] else { continue };
        // The name must be free, or already that table's.
        let free = |table: &str, name: &str| names.iter().all(|(t, n)| n != name || t == table);
        if ta == tb || na == nb || !free(ta, na) || !free(tb, nb) {
            continue;
        }
        names.insert(ta.clone(), na.clone());
        names.insert(tb.clone(), nb.clone());
        joins.insert(t.name.clone());
    }
    joins
}

/// A lower-case ASCII name no language modelgen writes reserves.
fn plain_name(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
        "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "yield", "abstract",
        "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "try", "and",
        "assert", "class", "def", "del", "elif", "except", "finally", "from", "global", "import", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "with", "none", "metadata", "registry",
    ];
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name)
}
