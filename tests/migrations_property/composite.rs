//! Composite foreign keys: a pair of columns of a later model referencing an earlier
//! model's `(id, c)`, which a composite unique makes referencable. The pair's rows hold
//! the values of a row of the target (or NULL), so adding the key over them holds.
//! Nothing else edits the columns involved ([`pinned`]): the key would have to follow.

use super::*;

#[derive(Clone, Debug)]
pub(crate) struct CompositeFk {
    pub(crate) columns: [String; 2],
    /// The referenced model, by model name, and its columns `(id, c)`.
    pub(crate) target: String,
    pub(crate) target_columns: [String; 2],
    /// The target's two fields, whose row values the pair copies.
    pub(crate) sources: [Field; 2],
    /// The constraint is declared; without it, the pair is two plain columns.
    pub(crate) declared: bool,
    pub(crate) cascade: bool,
    pub(crate) name: Option<String>,
}

impl CompositeFk {
    pub(crate) fn yaml(&self) -> String {
        let mut out = format!(
            "{{columns: [{}], references: \"{}({})\"",
            self.columns.join(", "),
            self.target,
            self.target_columns.join(", ")
        );
        if self.cascade {
            out.push_str(", on_delete: cascade");
        }
        if let Some(name) = &self.name {
            let _ = write!(out, ", name: {name}");
        }
        out.push('}');
        out
    }
}

/// Whether `f` of `m` is a column of a pair or one a pair references.
pub(crate) fn pinned(m: &ModelSpec, f: &Field) -> bool {
    m.composite.iter().any(|c| c.columns.contains(&f.name)) || m.referenced.contains(&f.name)
}

/// The value row `row` of a pair column holds: the target's value in the row the pair's
/// salt picks, or NULL. Both columns of a pair share the salt, so they pick one row.
pub(crate) fn pair_value(m: &ModelSpec, f: &Field, row: usize, d: Dialect) -> Option<String> {
    let pair = m.composite.iter().find(|c| c.columns.contains(&f.name))?;
    let source = &pair.sources[usize::from(pair.columns[1] == f.name)];
    if f.nullable && (row + f.salt).is_multiple_of(3) {
        return Some("NULL".into());
    }
    let k = (row - 1 + f.salt) % ROWS + 1;
    Some(value(source, k, d))
}

/// A target for a pair on model `mi`: an earlier base model and a column `c` of it that
/// edits leave alone from now on.
/// `in_base`: the base is being drawn, and every field holds the base's values.
fn target(rng: &mut Rng, spec: &Spec, mi: usize, in_base: bool) -> Option<(usize, usize)> {
    let mut candidates = Vec::new();
    for (ti, t) in spec.models[..mi].iter().enumerate() {
        if t.base_table.is_none() || t.keyed {
            continue;
        }
        for (ci, c) in t.fields.iter().enumerate() {
            // Not an enum: each field's inline enum is a type of its own.
            let typed = c.ty.uniqueable() && !matches!(c.ty, Ty::Enum { .. });
            let fits = !c.pk && c.fk.is_none() && typed && (in_base || holds_base_values(c));
            if fits && !pinned(t, c) {
                candidates.push((ti, ci));
            }
        }
    }
    (!candidates.is_empty()).then(|| rng.pick(&candidates))
}

/// Adds a pair to model `mi`: two columns, the unique `(id, c)` on the target unless it
/// has it, and the key if `declared`.
fn add_pair(rng: &mut Rng, spec: &mut Spec, mi: usize, declared: bool, nullable: bool) -> Option<String> {
    let in_base = spec.models.iter().all(|m| m.fields.iter().all(|f| f.base.is_none()));
    let (ti, ci) = target(rng, spec, mi, in_base)?;
    let t = &spec.models[ti];
    let sources = [t.pk().clone(), t.fields[ci].clone()];
    let target_columns = [sources[0].name.clone(), sources[1].name.clone()];
    let t_name = t.name.clone();
    let has_unique = t.uniques.iter().any(|u| u.columns[..] == target_columns[..]);
    spec.models[ti].referenced.extend(target_columns.iter().cloned());
    let n = spec.fresh();
    let columns = [format!("p{n}a"), format!("p{n}b")];
    let salt = spec.models[mi].fields.len() + 5;
    if !has_unique {
        let named = rng.chance(50) || unnamed_unique_starts_with(&spec.models[ti], &target_columns[0]);
        let name = named.then(|| format!("uqc{n}"));
        spec.models[ti].uniques.push(MultiUnique {
            name,
            columns: target_columns.to_vec(),
        });
    }
    // A NULL of the target's column is copied as it is.
    let nullable = nullable || sources[1].nullable;
    let name = rng.chance(40).then(|| format!("fkc{n}"));
    let m = &mut spec.models[mi];
    for (column, source) in columns.iter().zip(&sources) {
        m.fields.push(Field {
            name: column.clone(),
            ty: source.ty,
            nullable,
            pk: false,
            default: None,
            index: false,
            unique: false,
            fk: None,
            base: None,
            salt,
            auto: None,
            generator: None,
            comment: None,
        });
    }
    m.composite.push(CompositeFk {
        columns: columns.clone(),
        target: t_name.clone(),
        target_columns: target_columns.clone(),
        sources,
        declared,
        cascade: rng.chance(50),
        name,
    });
    Some(format!(
        "({}) → {t_name}({})",
        columns.join(", "),
        target_columns.join(", ")
    ))
}

/// The base's pair, on the second model: plain or declared, its rows pointing at rows of
/// the target.
pub(crate) fn base_pair(rng: &mut Rng, spec: &mut Spec, wanted: &[Kind]) {
    let wants = |k: Kind| wanted.contains(&k);
    let edited = wants(Kind::DropCompositeForeignKey) || wants(Kind::ChangeCompositeOnDelete);
    if spec.models.len() < 2 || !(edited || wants(Kind::AddCompositeForeignKey) || rng.chance(10)) {
        return;
    }
    let declared = edited || rng.chance(50);
    let nullable = rng.chance(40);
    add_pair(rng, spec, 1, declared, nullable);
}

pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    match kind {
        Kind::AddCompositeForeignKey => {
            // Over a plain pair of the base (its rows must satisfy the new key), else over
            // two new nullable columns.
            let plain: Vec<(usize, usize)> = (0..spec.models.len())
                .flat_map(|mi| (0..spec.models[mi].composite.len()).map(move |k| (mi, k)))
                .filter(|&(mi, k)| !spec.models[mi].composite[k].declared)
                .collect();
            if let Some(&(mi, k)) = plain.first() {
                let pair = &mut spec.models[mi].composite[k];
                pair.declared = true;
                return Some(format!("{kind:?} over ({})", pair.columns.join(", ")));
            }
            if spec.models.len() < 2 {
                return None;
            }
            let mi = 1 + rng.below(spec.models.len() - 1);
            add_pair(rng, spec, mi, true, true).map(|what| format!("{kind:?} {what}"))
        }
        Kind::DropCompositeForeignKey | Kind::ChangeCompositeOnDelete => {
            let declared: Vec<(usize, usize)> = (0..spec.models.len())
                .flat_map(|mi| (0..spec.models[mi].composite.len()).map(move |k| (mi, k)))
                .filter(|&(mi, k)| spec.models[mi].composite[k].declared)
                .collect();
            if declared.is_empty() {
                return None;
            }
            let (mi, k) = rng.pick(&declared);
            let pair = &mut spec.models[mi].composite[k];
            if kind == Kind::DropCompositeForeignKey {
                pair.declared = false;
            } else {
                pair.cascade = !pair.cascade;
            }
            Some(format!("{kind:?} ({})", pair.columns.join(", ")))
        }
        _ => unreachable!("{kind:?} is not a composite-key edit"),
    }
}
