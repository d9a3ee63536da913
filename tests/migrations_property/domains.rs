//! The edits of what values a column may hold: an enum's values (added, removed,
//! reordered), CHECK constraints of the model's own (added, dropped, changed, and one
//! every row breaks) and `bool(check)`'s.

use super::*;

pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    let pick = |rng: &mut Rng, c: Vec<(usize, usize)>| (!c.is_empty()).then(|| c[rng.below(c.len())]);
    let plain = |_: &ModelSpec, f: &Field| !f.pk && f.fk.is_none();
    match kind {
        Kind::EnumAddValue | Kind::EnumRemoveValue | Kind::EnumReorder => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |_, f| match f.ty {
                    Ty::Enum { extra, .. } => match kind {
                        Kind::EnumAddValue => extra != 0b111,
                        Kind::EnumRemoveValue => extra != 0,
                        _ => true,
                    },
                    _ => false,
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let from = f.ty;
            let Ty::Enum { extra, rev } = from else { unreachable!() };
            let bits: Vec<u8> = (0..3)
                .filter(|b| (extra & (1 << b) != 0) == (kind == Kind::EnumRemoveValue))
                .collect();
            f.ty = match kind {
                Kind::EnumReorder => Ty::Enum { extra, rev: !rev },
                _ => Ty::Enum {
                    extra: extra ^ (1 << rng.pick(&bits)),
                    rev,
                },
            };
            Some(format!("{kind:?} {} {} → {}", f.name, from.spec(), f.ty.spec()))
        }
        Kind::AddCheck | Kind::BrokenCheck => {
            let broken = kind == Kind::BrokenCheck;
            // A broken check is over a NOT NULL column of the base, whose rows all hold a
            // value: `c is null` is false in every one.
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    checkable(f) && (!broken || (m.base_table.is_some() && f.base.is_some() && !f.nullable))
                }),
            )?;
            let name = format!("ck{}", spec.fresh());
            let m = &mut spec.models[mi];
            let f = &m.fields[fi];
            let form = if broken {
                "{c} is null"
            } else {
                rng.pick(ModelCheck::forms(f.ty))
            };
            m.checks.push(ModelCheck {
                name,
                column: f.name.clone(),
                form,
                broken,
            });
            let c = m.checks.last().unwrap();
            Some(format!("{kind:?} {} {}: {}", m.table, c.name, c.text()))
        }
        Kind::DropCheck | Kind::ChangeCheck => {
            let candidates: Vec<(usize, usize)> = spec
                .models
                .iter()
                .enumerate()
                .flat_map(|(mi, m)| {
                    (0..m.checks.len())
                        .filter(|&k| !m.checks[k].broken)
                        .map(move |k| (mi, k))
                })
                .collect();
            let (mi, k) = pick(rng, candidates)?;
            let m = &mut spec.models[mi];
            if kind == Kind::DropCheck {
                let c = m.checks.remove(k);
                return Some(format!("{kind:?} {} {}", m.table, c.name));
            }
            let ty = m.field(&m.checks[k].column).expect("a check's column exists").ty;
            let c = &mut m.checks[k];
            let from = c.text();
            c.form = ModelCheck::forms(ty).iter().copied().find(|f| *f != c.form)?;
            Some(format!("{kind:?} {} {}: {from} → {}", m.table, c.name, c.text()))
        }
        Kind::BoolAddCheck | Kind::BoolDropCheck => {
            let (from, to) = match kind {
                Kind::BoolAddCheck => (Ty::Bool, Ty::BoolCheck),
                _ => (Ty::BoolCheck, Ty::Bool),
            };
            let (mi, fi) = pick(rng, fields_where(spec, |m, f| plain(m, f) && f.ty == from))?;
            let m = &mut spec.models[mi];
            m.fields[fi].ty = to;
            Some(format!(
                "{kind:?} {}.{} {} → {}",
                m.table,
                m.fields[fi].name,
                from.spec(),
                to.spec()
            ))
        }
        _ => unreachable!("not an edit of a column's values: {kind:?}"),
    }
}
