//! The edits of partial indexes (`where:`) and expression keys (`{expr: …}`), which only
//! SQLite and PostgreSQL build (a pair with one is not run on MariaDB): added, dropped,
//! and a condition changed. Each is a form over a column by its type, `{c}` standing for
//! the column, so it follows renames; the type edits keep it well typed (`str` ↔ `text`,
//! integer widths, decimal digits, nullability).

use super::*;

/// Expression keys over a column of `ty`.
fn key_forms(ty: Ty) -> &'static [&'static str] {
    match ty {
        Ty::Str(_) | Ty::Text => &["lower({c})", "upper({c})", "length({c})"],
        Ty::SmallInt | Ty::Int | Ty::BigInt => &["{c} + 1", "{c} * 2"],
        Ty::Float | Ty::Decimal(..) => &["{c} * 2"],
        _ => &[],
    }
}

/// Conditions over a column of `ty`, at least two, so one can change.
fn where_forms(ty: Ty) -> &'static [&'static str] {
    match ty {
        Ty::Str(_) | Ty::Text => &["{c} is not null", "{c} <> 'zz'", "length({c}) < 1000"],
        Ty::SmallInt | Ty::Int | Ty::BigInt => &["{c} is not null", "{c} > 0", "{c} >= 1 or {c} is null"],
        Ty::Float | Ty::Decimal(..) => &["{c} is not null", "{c} >= 0"],
        Ty::Json | Ty::ListStr => &[],
        _ => &["{c} is not null", "{c} is null"],
    }
}

/// A partial or expression index on `m` (`key`: the first column as an expression;
/// `condition`: a `where:` over the last), or `None` when no columns fit.
pub(crate) fn draw(rng: &mut Rng, m: &ModelSpec, name: String, key: bool, condition: bool) -> Option<MultiIndex> {
    let fits = |f: &Field, forms: fn(Ty) -> &'static [&'static str]| !f.pk && f.fk.is_none() && !forms(f.ty).is_empty();
    let firsts: Vec<&Field> = match key {
        true => m.fields.iter().filter(|f| fits(f, key_forms)).collect(),
        false => m.fields.iter().filter(|f| !f.pk && f.ty.indexable()).collect(),
    };
    if firsts.is_empty() {
        return None;
    }
    let first = rng.pick(&firsts);
    let second: Vec<&Field> = m
        .fields
        .iter()
        .filter(|f| f.name != first.name && fits(f, where_forms))
        .collect();
    if second.is_empty() {
        return None;
    }
    let last = rng.pick(&second);
    Some(MultiIndex {
        name,
        columns: vec![first.name.clone(), last.name.clone()],
        key: key.then(|| rng.pick(key_forms(first.ty))),
        condition: condition.then(|| rng.pick(where_forms(last.ty))),
    })
}

pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    match kind {
        Kind::AddPartialIndex | Kind::AddExpressionIndex => {
            let partial = kind == Kind::AddPartialIndex;
            let (key, condition) = match partial {
                true => (rng.chance(50), true),
                false => (true, rng.chance(30)),
            };
            let mi = rng.below(spec.models.len());
            let name = format!("ixp{}", spec.fresh());
            let index = draw(rng, &spec.models[mi], name, key, condition)?;
            let what = format!("{kind:?} {} {}", spec.models[mi].table, index.yaml());
            spec.models[mi].indexes.push(index);
            Some(what)
        }
        Kind::DropPartialIndex | Kind::ChangeIndexCondition => {
            let change = kind == Kind::ChangeIndexCondition;
            let mut candidates = Vec::new();
            for (mi, m) in spec.models.iter().enumerate() {
                for (k, i) in m.indexes.iter().enumerate() {
                    if (change && i.condition.is_some()) || (!change && !i.mysql_builds()) {
                        candidates.push((mi, k));
                    }
                }
            }
            let (mi, k) = *candidates.get(rng.below(candidates.len().max(1)))?;
            let m = &mut spec.models[mi];
            if !change {
                let gone = m.indexes.remove(k);
                return Some(format!("{kind:?} {} {}", m.table, gone.yaml()));
            }
            let ty = m.field(&m.indexes[k].columns[1])?.ty;
            let from = m.indexes[k].condition;
            let others: Vec<&'static str> = where_forms(ty).iter().copied().filter(|f| Some(*f) != from).collect();
            m.indexes[k].condition = Some(rng.pick(&others));
            Some(format!("{kind:?} {} {}", m.table, m.indexes[k].yaml()))
        }
        _ => unreachable!("not an index edit: {kind:?}"),
    }
}
