//! The edits of keys and constraints: indexes and uniques over one or several columns,
//! foreign keys, primary keys moved, extended or put in an order of their own,
//! autoincrement turned off, PostgreSQL's way of numbering a key switched (identity,
//! SERIAL, a sequence of its own, renamed), and a unique over rows that repeat a value.

use super::*;

pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    let pick = |rng: &mut Rng, c: Vec<(usize, usize)>| (!c.is_empty()).then(|| c[rng.below(c.len())]);
    match kind {
        Kind::AddIndex | Kind::DropIndex | Kind::AddUniqueIndex | Kind::AddUnique | Kind::DropUnique => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    !f.pk
                        && match kind {
                            Kind::AddIndex => f.ty.indexable() && !f.index,
                            // A unique index without its index is an unnamed UNIQUE.
                            Kind::DropIndex => f.index && !(f.unique && unnamed_unique_starts_with(m, &f.name)),
                            // Only columns that hold the base's three distinct values.
                            Kind::AddUniqueIndex => f.ty.uniqueable() && !f.index && !f.unique && holds_base_values(f),
                            Kind::AddUnique => {
                                f.ty.uniqueable()
                                    && !f.unique
                                    && holds_base_values(f)
                                    // A plain UNIQUE would be a second unnamed one on it.
                                    && (f.index || !unnamed_unique_starts_with(m, &f.name))
                            }
                            _ => f.unique,
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            match kind {
                Kind::AddIndex => f.index = true,
                Kind::DropIndex => f.index = false,
                Kind::AddUniqueIndex => (f.index, f.unique) = (true, true),
                Kind::AddUnique => f.unique = true,
                _ => f.unique = false,
            }
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::AddMultiColumnIndex | Kind::AddCompositeUnique => {
            let unique = kind == Kind::AddCompositeUnique;
            let candidates: Vec<(usize, Vec<String>)> = spec
                .models
                .iter()
                .enumerate()
                .map(|(mi, m)| {
                    let cols = m
                        .fields
                        .iter()
                        .filter(|f| {
                            !f.pk
                                && if unique {
                                    f.ty.uniqueable() && holds_base_values(f)
                                } else {
                                    f.ty.indexable()
                                }
                        })
                        .map(|f| f.name.clone())
                        .collect::<Vec<_>>();
                    (mi, cols)
                })
                .filter(|(_, cols)| cols.len() >= 2)
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let (mi, cols) = rng.pick(&candidates.iter().map(|(a, b)| (*a, b.clone())).collect::<Vec<_>>());
            let (a, b) = two(rng, &cols);
            // A second UNIQUE on the same columns says nothing new (SQLite merges the two).
            if unique
                && spec.models[mi]
                    .uniques
                    .iter()
                    .any(|u| u.columns == [a.clone(), b.clone()])
            {
                return None;
            }
            let n = spec.fresh();
            let named = rng.chance(50) || unnamed_unique_starts_with(&spec.models[mi], &a);
            let m = &mut spec.models[mi];
            if unique {
                m.uniques.push(MultiUnique {
                    name: named.then(|| format!("uqm{n}")),
                    columns: vec![a.clone(), b.clone()],
                });
            } else {
                m.indexes
                    .push(MultiIndex::plain(format!("ixm{n}"), vec![a.clone(), b.clone()]));
            }
            Some(format!("{kind:?} {}({a}, {b})", m.table))
        }
        Kind::DropMultiColumnIndex | Kind::DropCompositeUnique => {
            let unique = kind == Kind::DropCompositeUnique;
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| {
                    if unique {
                        !droppable_uniques(spec, i).is_empty()
                    } else {
                        !spec.models[i].indexes.is_empty()
                    }
                })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let mi = rng.pick(&candidates);
            let uniques = droppable_uniques(spec, mi);
            let m = &mut spec.models[mi];
            let cols = if unique {
                let k = rng.pick(&uniques);
                m.uniques.remove(k).columns
            } else {
                let k = rng.below(m.indexes.len());
                m.indexes.remove(k).columns
            };
            Some(format!("{kind:?} {}({})", m.table, cols.join(", ")))
        }
        Kind::AddForeignKey => {
            // An integer column of the base, holding 1..=3, pointed at an earlier model of
            // the base whose ids are 1..=3.
            let mut candidates = Vec::new();
            for (mi, m) in spec.models.iter().enumerate() {
                for (fi, f) in m.fields.iter().enumerate() {
                    let plain = !f.pk && f.fk.is_none() && !composite::pinned(m, f);
                    if !plain || !matches!(f.ty, Ty::Int | Ty::BigInt) || !holds_base_values(f) {
                        continue;
                    }
                    for target in &spec.models[..mi] {
                        if target.base_table.is_some() && !target.keyed && target.pk().ty == f.ty {
                            candidates.push((mi, fi, target.name.clone()));
                        }
                    }
                }
            }
            if candidates.is_empty() {
                return None;
            }
            let (mi, fi, target) = rng.pick(&candidates);
            let cascade = rng.chance(50);
            let f = &mut spec.models[mi].fields[fi];
            f.fk = Some(Fk {
                model: target.clone(),
                cascade,
                name: None,
            });
            Some(format!("{kind:?} {} → {target}", f.name))
        }
        Kind::DropForeignKey | Kind::ChangeOnDelete => {
            let (mi, fi) = pick(rng, fields_where(spec, |_, f| f.fk.is_some()))?;
            let f = &mut spec.models[mi].fields[fi];
            if kind == Kind::DropForeignKey {
                f.fk = None;
            } else {
                let fk = f.fk.as_mut().unwrap();
                fk.cascade = !fk.cascade;
            }
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::AddForeignKeyColumn => {
            let candidates: Vec<usize> = (1..spec.models.len()).collect();
            if candidates.is_empty() {
                return None;
            }
            let mi = rng.pick(&candidates);
            let target = spec.models[rng.below(mi)].clone();
            if target.keyed {
                return None;
            }
            let n = spec.fresh();
            let name = format!("{}_ref{n}", target.name.to_lowercase());
            let index = rng.chance(50);
            let cascade = rng.chance(50);
            let m = &mut spec.models[mi];
            let salt = m.fields.len() + 13;
            m.fields.push(Field {
                name: name.clone(),
                ty: target.pk().ty,
                nullable: true,
                pk: false,
                default: None,
                index,
                unique: false,
                fk: Some(Fk {
                    model: target.name.clone(),
                    cascade,
                    name: None,
                }),
                base: None,
                salt,
                auto: None,
                generator: None,
                comment: None,
            });
            Some(format!("{kind:?} {}.{name} → {}", m.table, target.name))
        }
        Kind::MovePrimaryKey | Kind::ExtendPrimaryKey | Kind::KeyInOwnOrder => {
            // Only keys nothing references: a foreign key or a link would have to follow.
            // The new key column holds three distinct values (as every column of the base).
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    !referenced(spec, &m.name)
                        && m.key_order.is_none()
                        && !f.pk
                        && !f.nullable
                        && f.fk.is_none()
                        && !f.index
                        && !f.unique
                        && f.ty.uniqueable()
                        && holds_base_values(f)
                        && !in_multi(m, &f.name)
                        // A lone int key autoincrements, and MariaDB refuses a check over it.
                        && !m.checks.iter().any(|c| c.column == f.name)
                }),
            )?;
            let m = &mut spec.models[mi];
            m.keyed = true;
            if kind == Kind::MovePrimaryKey {
                for f in m.fields.iter_mut().filter(|f| f.pk) {
                    f.pk = false;
                    f.auto = None;
                    f.generator = None;
                }
            }
            // A key of two columns does not autoincrement, however it was numbered.
            for f in m.fields.iter_mut() {
                f.generator = None;
            }
            if kind == Kind::KeyInOwnOrder {
                let mut key = vec![m.fields[fi].name.clone()];
                key.extend(m.fields.iter().filter(|f| f.pk).map(|f| f.name.clone()));
                m.key_order = Some(key);
            }
            m.fields[fi].pk = true;
            let key: Vec<&str> = match &m.key_order {
                Some(k) => k.iter().map(String::as_str).collect(),
                None => m.fields.iter().filter(|f| f.pk).map(|f| f.name.as_str()).collect(),
            };
            Some(format!("{kind:?} {} ({})", m.table, key.join(", ")))
        }
        Kind::AutoincrementOff => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    f.pk && matches!(f.ty, Ty::Int | Ty::BigInt)
                        && f.fk.is_none()
                        && f.auto.is_none()
                        && m.fields.iter().filter(|g| g.pk).count() == 1
                }),
            )?;
            let m = &mut spec.models[mi];
            m.fields[fi].auto = Some(false);
            m.fields[fi].generator = None;
            Some(format!("{kind:?} {}.{}", m.table, m.fields[fi].name))
        }
        Kind::SwitchToIdentity | Kind::SwitchToSerial | Kind::SwitchToSequence | Kind::RenameSequence => {
            let is = |f: &Field, g: &Generator| f.generator.as_ref().unwrap_or(&Generator::Identity) == g;
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    f.pk && switchable(m, f)
                        && match kind {
                            Kind::SwitchToIdentity => !is(f, &Generator::Identity),
                            Kind::SwitchToSerial => !is(f, &Generator::Serial),
                            Kind::SwitchToSequence => f.generator.as_ref().and_then(Generator::sequence).is_none(),
                            _ => f.generator.as_ref().and_then(Generator::sequence).is_some(),
                        }
                }),
            )?;
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let f = &mut m.fields[fi];
            let from = f.generator.clone().unwrap_or_default().describe();
            f.generator = Some(match kind {
                Kind::SwitchToIdentity => Generator::Identity,
                Kind::SwitchToSerial => Generator::Serial,
                _ => Generator::Sequence(format!("seq{n}")),
            });
            let to = f.generator.as_ref().unwrap().describe();
            Some(format!("{kind:?} {}.{}: {from} → {to}", m.table, f.name))
        }
        Kind::UniqueOverRepeats => {
            if spec.repeat.is_some() {
                return None;
            }
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    !f.pk
                        && !f.nullable
                        && f.fk.is_none()
                        && !f.unique
                        && f.ty.uniqueable()
                        && holds_base_values(f)
                        && !in_multi(m, &f.name)
                        && m.base_table.is_some()
                        && (f.index || !unnamed_unique_starts_with(m, &f.name))
                }),
            )?;
            let m = &mut spec.models[mi];
            let f = &mut m.fields[fi];
            f.unique = true;
            let base = f.base.as_ref().unwrap().name.clone();
            spec.repeat = Some((m.name.clone(), base.clone()));
            Some(format!("{kind:?} {}.{base} over rows that repeat it", m.table))
        }
        _ => unreachable!("not an edit of keys or constraints: {kind:?}"),
    }
}

/// The composite uniques of model `mi` no composite foreign key references.
fn droppable_uniques(spec: &Spec, mi: usize) -> Vec<usize> {
    let m = &spec.models[mi];
    (0..m.uniques.len())
        .filter(|&k| {
            !m.uniques[k]
                .columns
                .iter()
                .any(|c| m.field(c).is_some_and(|f| composite::pinned(m, f)))
        })
        .collect()
}

/// Whether `f`, the key of `m`, autoincrements, so PostgreSQL's way of numbering it can
/// change: a lone integer key without a foreign key, not turned off.
pub(crate) fn switchable(m: &ModelSpec, f: &Field) -> bool {
    f.pk && matches!(f.ty, Ty::Int | Ty::BigInt)
        && f.fk.is_none()
        && f.auto != Some(false)
        && m.fields.iter().filter(|g| g.pk).count() == 1
        && m.key_order.is_none()
}
