//! The edits of constraint names: a naming convention set, changed or dropped (every
//! constraint it names is renamed), and one name given, changed or taken back on a
//! primary key, a foreign key and a unique constraint.

use super::*;

/// The conventions a spec may carry: Alembic's recommended one, and one that names
/// checks by their column (never through `%(constraint_name)s`).
pub(crate) const CONVENTIONS: [&str; 2] = [
    "naming_convention:
  ix: ix_%(column_0_label)s
  uq: uq_%(table_name)s_%(column_0_N_name)s
  ck: ck_%(table_name)s_%(constraint_name)s
  fk: fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s
  pk: pk_%(table_name)s
",
    "naming_convention:
  uq: \"%(table_name)s_%(column_0_N_name)s_uq\"
  ck: \"%(table_name)s_%(column_0_name)s_ck\"
  fk: \"%(table_name)s_%(column_0_N_name)s_fk\"
  pk: \"%(table_name)s_pk\"
",
];

/// Names in the base: now and then a convention, a named key or foreign key.
pub(crate) fn base_names(rng: &mut Rng, spec: &mut Spec) {
    if rng.chance(25) {
        spec.naming = Some(rng.below(CONVENTIONS.len()));
    }
    for mi in 0..spec.models.len() {
        if rng.chance(15) {
            let n = spec.fresh();
            spec.models[mi].key_name = Some(format!("pk{n}"));
        }
        for fi in 0..spec.models[mi].fields.len() {
            if spec.models[mi].fields[fi].fk.is_some() && rng.chance(15) {
                let n = spec.fresh();
                spec.models[mi].fields[fi].fk.as_mut().unwrap().name = Some(format!("fk{n}"));
            }
        }
    }
}

/// A name given, changed to another, or taken back.
fn rename(rng: &mut Rng, spec: &mut Spec, name: &Option<String>, prefix: &str) -> Option<String> {
    match name {
        Some(_) if rng.chance(50) => None,
        _ => Some(format!("{prefix}{}", spec.fresh())),
    }
}

pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    let shown = |n: &Option<String>| n.clone().unwrap_or_else(|| "the database's".into());
    match kind {
        Kind::SetNaming => {
            let from = spec.naming;
            spec.naming = match from {
                Some(c) if rng.chance(40) => (c + 1 < CONVENTIONS.len()).then_some(c + 1),
                Some(_) => None,
                None => Some(rng.below(CONVENTIONS.len())),
            };
            Some(format!("{kind:?} {from:?} → {:?}", spec.naming))
        }
        Kind::NameKey => {
            let mi = rng.below(spec.models.len());
            let old = spec.models[mi].key_name.clone();
            let new = rename(rng, spec, &old, "pk");
            let m = &mut spec.models[mi];
            m.key_name = new;
            Some(format!("{kind:?} {} {} → {}", m.table, shown(&old), shown(&m.key_name)))
        }
        Kind::NameForeignKey => {
            let fks = fields_where(spec, |_, f| f.fk.is_some());
            if fks.is_empty() {
                return None;
            }
            let (mi, fi) = fks[rng.below(fks.len())];
            let old = spec.models[mi].fields[fi].fk.as_ref().unwrap().name.clone();
            let new = rename(rng, spec, &old, "fk");
            let f = &mut spec.models[mi].fields[fi];
            f.fk.as_mut().unwrap().name = new.clone();
            Some(format!("{kind:?} {} {} → {}", f.name, shown(&old), shown(&new)))
        }
        Kind::RenameUnique => {
            let uniques: Vec<(usize, usize)> = spec
                .models
                .iter()
                .enumerate()
                .flat_map(|(mi, m)| (0..m.uniques.len()).map(move |ui| (mi, ui)))
                .collect();
            if uniques.is_empty() {
                return None;
            }
            let (mi, ui) = uniques[rng.below(uniques.len())];
            let old = spec.models[mi].uniques[ui].name.clone();
            let mut new = rename(rng, spec, &old, "uqm");
            // Unnamed, it would share MariaDB's name (its first column) with another unnamed
            // unique starting there: see `unnamed_unique_starts_with`.
            let first = spec.models[mi].uniques[ui].columns[0].clone();
            if new.is_none() && unnamed_unique_starts_with(&spec.models[mi], &first) {
                new = Some(format!("uqm{}", spec.fresh()));
            }
            let m = &mut spec.models[mi];
            m.uniques[ui].name = new.clone();
            Some(format!("{kind:?} {} {} → {}", m.table, shown(&old), shown(&new)))
        }
        _ => unreachable!("not an edit of names: {kind:?}"),
    }
}
