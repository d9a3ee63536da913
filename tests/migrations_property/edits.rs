//! The edits a pair makes to its base spec, one kind at a time.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    AddNullableColumn,
    AddNotNullColumnWithDefault,
    AddNotNullColumnWithoutDefault,
    DropColumn,
    RenameColumn,
    RenamePrimaryKey,
    RenameTable,
    WidenStr,
    NarrowStr,
    IntToBigint,
    BigintToInt,
    SmallintToInt,
    IntToSmallint,
    WidenDecimal,
    DatetimeToTz,
    StrToText,
    BoundBytes,
    UnboundBytes,
    EnumAddValue,
    EnumRemoveValue,
    EnumReorder,
    MakeNullable,
    MakeNotNullWithDefault,
    MakeNotNullWithoutDefault,
    AddServerDefault,
    ChangeServerDefault,
    DropServerDefault,
    AddIndex,
    DropIndex,
    AddUniqueIndex,
    AddUnique,
    DropUnique,
    AddMultiColumnIndex,
    DropMultiColumnIndex,
    AddCompositeUnique,
    DropCompositeUnique,
    AddForeignKey,
    DropForeignKey,
    ChangeOnDelete,
    AddForeignKeyColumn,
    AddModel,
    DropModel,
    AddTimestamps,
    RemoveTimestamps,
    AddManyToMany,
    RemoveManyToMany,
    SwapColumns,
    ChainRename,
    RenameOntoDropped,
    RenameAndReuseColumn,
    RenameAndReuseTable,
    MovePrimaryKey,
    ExtendPrimaryKey,
    AutoincrementOff,
    SwitchToIdentity,
    SwitchToSerial,
    SwitchToSequence,
    RenameSequence,
    KeyInOwnOrder,
    UniqueOverRepeats,
    AddCheck,
    DropCheck,
    ChangeCheck,
    BrokenCheck,
    BoolAddCheck,
    BoolDropCheck,
    SetNaming,
    NameKey,
    NameForeignKey,
    RenameUnique,
    AddTableComment,
    ChangeTableComment,
    DropTableComment,
    AddColumnComment,
    ChangeColumnComment,
    DropColumnComment,
    AddPartialIndex,
    AddExpressionIndex,
    DropPartialIndex,
    ChangeIndexCondition,
    AddCompositeForeignKey,
    DropCompositeForeignKey,
    ChangeCompositeOnDelete,
}

pub(crate) const KINDS: [Kind; 83] = [
    Kind::AddNullableColumn,
    Kind::AddNotNullColumnWithDefault,
    Kind::AddNotNullColumnWithoutDefault,
    Kind::DropColumn,
    Kind::RenameColumn,
    Kind::RenamePrimaryKey,
    Kind::RenameTable,
    Kind::WidenStr,
    Kind::NarrowStr,
    Kind::IntToBigint,
    Kind::BigintToInt,
    Kind::SmallintToInt,
    Kind::IntToSmallint,
    Kind::WidenDecimal,
    Kind::DatetimeToTz,
    Kind::StrToText,
    Kind::BoundBytes,
    Kind::UnboundBytes,
    Kind::EnumAddValue,
    Kind::EnumRemoveValue,
    Kind::EnumReorder,
    Kind::MakeNullable,
    Kind::MakeNotNullWithDefault,
    Kind::MakeNotNullWithoutDefault,
    Kind::AddServerDefault,
    Kind::ChangeServerDefault,
    Kind::DropServerDefault,
    Kind::AddIndex,
    Kind::DropIndex,
    Kind::AddUniqueIndex,
    Kind::AddUnique,
    Kind::DropUnique,
    Kind::AddMultiColumnIndex,
    Kind::DropMultiColumnIndex,
    Kind::AddCompositeUnique,
    Kind::DropCompositeUnique,
    Kind::AddForeignKey,
    Kind::DropForeignKey,
    Kind::ChangeOnDelete,
    Kind::AddForeignKeyColumn,
    Kind::AddModel,
    Kind::DropModel,
    Kind::AddTimestamps,
    Kind::RemoveTimestamps,
    Kind::AddManyToMany,
    Kind::RemoveManyToMany,
    Kind::SwapColumns,
    Kind::ChainRename,
    Kind::RenameOntoDropped,
    Kind::RenameAndReuseColumn,
    Kind::RenameAndReuseTable,
    Kind::MovePrimaryKey,
    Kind::ExtendPrimaryKey,
    Kind::AutoincrementOff,
    Kind::SwitchToIdentity,
    Kind::SwitchToSerial,
    Kind::SwitchToSequence,
    Kind::RenameSequence,
    Kind::KeyInOwnOrder,
    Kind::UniqueOverRepeats,
    Kind::AddCheck,
    Kind::DropCheck,
    Kind::ChangeCheck,
    Kind::BrokenCheck,
    Kind::BoolAddCheck,
    Kind::BoolDropCheck,
    Kind::SetNaming,
    Kind::NameKey,
    Kind::NameForeignKey,
    Kind::RenameUnique,
    Kind::AddTableComment,
    Kind::ChangeTableComment,
    Kind::DropTableComment,
    Kind::AddColumnComment,
    Kind::ChangeColumnComment,
    Kind::DropColumnComment,
    Kind::AddPartialIndex,
    Kind::AddExpressionIndex,
    Kind::DropPartialIndex,
    Kind::ChangeIndexCondition,
    Kind::AddCompositeForeignKey,
    Kind::DropCompositeForeignKey,
    Kind::ChangeCompositeOnDelete,
];

/// Applies `kind` somewhere in `spec`, or returns `None` when nothing fits it.
pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    let pick = |rng: &mut Rng, c: Vec<(usize, usize)>| (!c.is_empty()).then(|| c[rng.below(c.len())]);
    let plain = |_: &ModelSpec, f: &Field| !f.pk && f.fk.is_none();
    match kind {
        Kind::AddNullableColumn | Kind::AddNotNullColumnWithDefault | Kind::AddNotNullColumnWithoutDefault => {
            let mi = rng.below(spec.models.len());
            let ty = Ty::random(rng);
            let name = format!("c{}", spec.fresh());
            let default = (kind == Kind::AddNotNullColumnWithDefault && !ty.defaults().is_empty())
                .then(|| rng.pick(ty.defaults()).to_owned());
            let m = &mut spec.models[mi];
            let salt = m.fields.len() + 11;
            m.fields.push(Field {
                name: name.clone(),
                ty,
                nullable: kind == Kind::AddNullableColumn,
                pk: false,
                default,
                index: false,
                unique: false,
                fk: None,
                base: None,
                salt,
                auto: None,
                generator: None,
                comment: None,
            });
            Some(format!("{kind:?} {}.{name} {}", m.table, ty.spec()))
        }
        Kind::DropColumn => {
            // Not a unique column: the down migration restores it with one value in every
            // row (its default, or the type's zero), which its unique key then rejects. Nor a
            // NOT NULL foreign key: restored as the type's zero, it references no row. No
            // down can bring back values it does not have; a known limitation.
            let (mi, fi) = pick(rng, fields_where(spec, droppable))?;
            let m = &mut spec.models[mi];
            let f = m.fields.remove(fi);
            m.indexes.retain(|i| !i.columns.contains(&f.name));
            m.uniques.retain(|u| !u.columns.contains(&f.name));
            m.checks.retain(|c| c.column != f.name);
            Some(format!("{kind:?} {}.{}", m.table, f.name))
        }
        Kind::RenameColumn | Kind::RenamePrimaryKey => {
            let pk = kind == Kind::RenamePrimaryKey;
            let (mi, fi) = pick(rng, fields_where(spec, |_, f| f.pk == pk))?;
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let old = m.fields[fi].name.clone();
            let new = format!("{old}_r{n}");
            rename_columns(m, &[(fi, new.clone())]);
            Some(format!("{kind:?} {}.{old} → {new}", m.table))
        }
        Kind::RenameTable => {
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| spec.models[i].base_table.is_some())
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let mi = rng.pick(&candidates);
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let old = m.table.clone();
            m.table = format!("{old}_r{n}");
            Some(format!("{kind:?} {old} → {}", m.table))
        }
        Kind::WidenStr | Kind::NarrowStr | Kind::StrToText => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| match f.ty {
                    Ty::Str(n) => match kind {
                        Kind::NarrowStr => n > 8,
                        Kind::StrToText => !f.index && !f.unique && !in_multi(m, &f.name) && !f.pk && f.fk.is_none(),
                        _ => true,
                    },
                    _ => false,
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let Ty::Str(n) = f.ty else { unreachable!() };
            let to = match kind {
                Kind::WidenStr => Ty::Str(n + 50),
                Kind::NarrowStr => Ty::Str((n / 2).max(8)),
                _ => Ty::Text,
            };
            f.ty = to;
            Some(format!("{kind:?} {} str({n}) → {}", f.name, to.spec()))
        }
        // Every row's value is one byte, so bounding never cuts one; it is destructive all
        // the same (a longer value would be cut), and the run allows that.
        Kind::BoundBytes | Kind::UnboundBytes => {
            let bound = kind == Kind::BoundBytes;
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    plain(m, f)
                        && if bound {
                            f.ty == Ty::Bytes
                        } else {
                            matches!(f.ty, Ty::BytesN(_))
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let from = f.ty;
            f.ty = if bound { Ty::BytesN(8) } else { Ty::Bytes };
            Some(format!("{kind:?} {} {} → {}", f.name, from.spec(), f.ty.spec()))
        }
        // The rows hold e0, e1 and e2 only, so a removed value is never one a row holds.
        Kind::EnumAddValue | Kind::EnumRemoveValue | Kind::EnumReorder => domains::apply(spec, kind, rng),
        Kind::IntToBigint
        | Kind::BigintToInt
        | Kind::SmallintToInt
        | Kind::IntToSmallint
        | Kind::WidenDecimal
        | Kind::DatetimeToTz => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    plain(m, f)
                        && match kind {
                            Kind::IntToBigint => f.ty == Ty::Int,
                            Kind::BigintToInt => f.ty == Ty::BigInt,
                            Kind::SmallintToInt => f.ty == Ty::SmallInt,
                            Kind::IntToSmallint => f.ty == Ty::Int,
                            // SQLite keeps 15 significant digits exactly; more is refused.
                            Kind::WidenDecimal => matches!(f.ty, Ty::Decimal(p, _) if p + 2 <= 15),
                            // A literal default on datetime(tz): see Ty::defaults.
                            _ => f.ty == Ty::DateTime { tz: false } && f.default.as_deref().is_none_or(|d| d == "now"),
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let from = f.ty;
            f.ty = match (kind, from) {
                (Kind::SmallintToInt, _) => Ty::Int,
                (Kind::IntToSmallint, _) => Ty::SmallInt,
                (_, Ty::Int) => Ty::BigInt,
                (_, Ty::BigInt) => Ty::Int,
                (_, Ty::Decimal(p, s)) => Ty::Decimal(p + 2, s),
                _ => Ty::DateTime { tz: true },
            };
            if from == Ty::BigInt && f.default.as_deref() == Some("9000000000") {
                f.default = Some("7".into());
            }
            if from == Ty::Int && f.ty == Ty::SmallInt && f.default.is_some() {
                f.default = Some("7".into());
            }
            Some(format!("{kind:?} {} {} → {}", f.name, from.spec(), f.ty.spec()))
        }
        Kind::MakeNullable => {
            let (mi, fi) = pick(rng, fields_where(spec, |_, f| !f.pk && !f.nullable))?;
            let f = &mut spec.models[mi].fields[fi];
            f.nullable = true;
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::MakeNotNullWithDefault | Kind::MakeNotNullWithoutDefault => {
            let with = kind == Kind::MakeNotNullWithDefault;
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| plain(m, f) && f.nullable && (with || f.default.is_none())),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            f.nullable = false;
            if with && f.default.is_none() && !f.ty.defaults().is_empty() {
                f.default = Some(rng.pick(f.ty.defaults()).to_owned());
            }
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::AddServerDefault | Kind::ChangeServerDefault | Kind::DropServerDefault => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    plain(m, f)
                        && match kind {
                            Kind::AddServerDefault => f.default.is_none() && !f.ty.defaults().is_empty(),
                            Kind::ChangeServerDefault => f.default.is_some() && f.ty.defaults().len() > 1,
                            _ => f.default.is_some(),
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let defaults = f.ty.defaults();
            f.default = match kind {
                Kind::AddServerDefault => Some(rng.pick(defaults).to_owned()),
                Kind::ChangeServerDefault if f.default.as_deref() == Some(defaults[0]) => Some(defaults[1].to_owned()),
                Kind::ChangeServerDefault => Some(defaults[0].to_owned()),
                _ => None,
            };
            Some(format!("{kind:?} {} {:?}", f.name, f.default))
        }
        Kind::AddModel => {
            let model = new_model(rng, spec, None);
            let name = model.name.clone();
            spec.models.push(model);
            Some(format!("{kind:?} {name}"))
        }
        Kind::DropModel => {
            // The columns that point at it go too. Kept as plain columns, their values would
            // dangle once the down migration restores the (empty) table and its foreign key,
            // which then fails; restored as NULL they do not, so only models every reference
            // to which is nullable are dropped. The rows of a dropped table never come back.
            let refs = |spec: &Spec, name: &str| -> Vec<(usize, usize)> {
                fields_where(spec, |_, f| f.fk.as_ref().is_some_and(|fk| fk.model == name))
            };
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| {
                    let name = &spec.models[i].name;
                    refs(spec, name)
                        .iter()
                        .all(|&(mi, fi)| mi != i && spec.models[mi].fields[fi].nullable)
                        && !spec
                            .models
                            .iter()
                            .any(|m| m.composite.iter().any(|c| c.target == *name))
                })
                .collect();
            if spec.models.len() < 2 || candidates.is_empty() {
                return None;
            }
            let m = spec.models.remove(rng.pick(&candidates));
            for other in &mut spec.models {
                let gone: Vec<String> = other
                    .fields
                    .iter()
                    .filter(|f| f.fk.as_ref().is_some_and(|fk| fk.model == m.name))
                    .map(|f| f.name.clone())
                    .collect();
                other.fields.retain(|f| !gone.contains(&f.name));
                other.indexes.retain(|i| !i.columns.iter().any(|c| gone.contains(c)));
                other.uniques.retain(|u| !u.columns.iter().any(|c| gone.contains(c)));
            }
            spec.links.retain(|l| l.a != m.name && l.b != m.name);
            Some(format!("{kind:?} {}", m.table))
        }
        Kind::AddTimestamps | Kind::RemoveTimestamps => {
            let add = kind == Kind::AddTimestamps;
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| spec.models[i].timestamps != add)
                .filter(|&i| !add || !(spec.models[i].taken("created_at") || spec.models[i].taken("updated_at")))
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let m = &mut spec.models[rng.pick(&candidates)];
            m.timestamps = add;
            Some(format!("{kind:?} {}", m.table))
        }
        Kind::AddManyToMany => {
            let n = spec.models.len();
            if n < 2 {
                return None;
            }
            let a = rng.below(n);
            let b = (a + 1 + rng.below(n - 1)) % n;
            if spec.models[a].keyed || spec.models[b].keyed {
                return None;
            }
            let (a, b) = (spec.models[a].name.clone(), spec.models[b].name.clone());
            if spec
                .links
                .iter()
                .any(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
            {
                return None;
            }
            let through = format!("j{}", spec.fresh());
            spec.links.push(Link {
                a: a.clone(),
                b: b.clone(),
                through: through.clone(),
                in_base: false,
            });
            Some(format!("{kind:?} {a} ↔ {b} through {through}"))
        }
        Kind::RemoveManyToMany => {
            if spec.links.is_empty() {
                return None;
            }
            let l = spec.links.remove(rng.below(spec.links.len()));
            Some(format!("{kind:?} {}", l.through))
        }
        Kind::SwapColumns | Kind::ChainRename => {
            // Two columns of one model: swapped, or `b` renamed away and `a` into its name.
            let candidates: Vec<(usize, usize, usize)> = spec
                .models
                .iter()
                .enumerate()
                .flat_map(|(mi, m)| {
                    let ok: Vec<usize> = (0..m.fields.len()).filter(|&fi| renamable(m, &m.fields[fi])).collect();
                    let pairs: Vec<(usize, usize, usize)> = ok
                        .iter()
                        .flat_map(|&a| ok.iter().filter(move |&&b| b != a).map(move |&b| (mi, a, b)))
                        .collect();
                    pairs
                })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let (mi, a, b) = rng.pick(&candidates);
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let (name_a, name_b) = (m.fields[a].name.clone(), m.fields[b].name.clone());
            let moved_b = match kind {
                Kind::SwapColumns => name_a.clone(),
                _ => format!("{name_b}_r{n}"),
            };
            rename_columns(m, &[(b, moved_b.clone()), (a, name_b.clone())]);
            Some(format!(
                "{kind:?} {}: {name_a} → {name_b}, {name_b} → {moved_b}",
                m.table
            ))
        }
        Kind::RenameOntoDropped => {
            // `a` is dropped and `b` takes its name.
            let candidates: Vec<(usize, usize, usize)> = spec
                .models
                .iter()
                .enumerate()
                .flat_map(|(mi, m)| {
                    let drops: Vec<usize> = (0..m.fields.len()).filter(|&fi| droppable(m, &m.fields[fi])).collect();
                    let renames: Vec<usize> = (0..m.fields.len()).filter(|&fi| renamable(m, &m.fields[fi])).collect();
                    drops
                        .iter()
                        .flat_map(|&a| renames.iter().filter(move |&&b| b != a).map(move |&b| (mi, a, b)))
                        .collect::<Vec<_>>()
                })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let (mi, a, b) = rng.pick(&candidates);
            let m = &mut spec.models[mi];
            let dropped = m.fields[a].name.clone();
            let from = m.fields[b].name.clone();
            m.indexes.retain(|i| !i.columns.contains(&dropped));
            m.uniques.retain(|u| !u.columns.contains(&dropped));
            m.checks.retain(|c| c.column != dropped);
            m.fields.remove(a);
            rename_columns(m, &[(if b > a { b - 1 } else { b }, dropped.clone())]);
            Some(format!("{kind:?} {}: drop {dropped}, {from} → {dropped}", m.table))
        }
        Kind::RenameAndReuseColumn => {
            // A column not renamed yet: the name a new column takes must be this one's in
            // the base. (Another base column's name would make the new column that one.)
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    renamable(m, f) && f.base.as_ref().is_some_and(|b| b.name == f.name)
                }),
            )?;
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let old = m.fields[fi].name.clone();
            rename_columns(m, &[(fi, format!("{old}_r{n}"))]);
            let ty = Ty::random(rng);
            let salt = m.fields.len() + 17;
            m.fields.push(Field {
                name: old.clone(),
                ty,
                nullable: true,
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
            Some(format!(
                "{kind:?} {}: {old} → {old}_r{n}, new {old} {}",
                m.table,
                ty.spec()
            ))
        }
        Kind::RenameAndReuseTable => {
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| spec.models[i].base_table.as_ref() == Some(&spec.models[i].table))
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let mi = rng.pick(&candidates);
            let n = spec.fresh();
            let old = spec.models[mi].table.clone();
            spec.models[mi].table = format!("{old}_r{n}");
            let model = new_model(rng, spec, Some(old.clone()));
            let name = model.name.clone();
            spec.models.push(model);
            Some(format!("{kind:?} {old} → {old}_r{n}, new {name} on {old}"))
        }
        // KeyInOwnOrder extends the key with a later field put first: `primary_key: [...]`.
        Kind::AddIndex
        | Kind::DropIndex
        | Kind::AddUniqueIndex
        | Kind::AddUnique
        | Kind::DropUnique
        | Kind::AddMultiColumnIndex
        | Kind::AddCompositeUnique
        | Kind::DropMultiColumnIndex
        | Kind::DropCompositeUnique
        | Kind::AddForeignKey
        | Kind::DropForeignKey
        | Kind::ChangeOnDelete
        | Kind::AddForeignKeyColumn
        | Kind::MovePrimaryKey
        | Kind::ExtendPrimaryKey
        | Kind::KeyInOwnOrder
        | Kind::AutoincrementOff
        | Kind::SwitchToIdentity
        | Kind::SwitchToSerial
        | Kind::SwitchToSequence
        | Kind::RenameSequence
        | Kind::UniqueOverRepeats => constraints::apply(spec, kind, rng),
        Kind::AddCheck
        | Kind::BrokenCheck
        | Kind::DropCheck
        | Kind::ChangeCheck
        | Kind::BoolAddCheck
        | Kind::BoolDropCheck => domains::apply(spec, kind, rng),
        Kind::SetNaming | Kind::NameKey | Kind::NameForeignKey | Kind::RenameUnique => names::apply(spec, kind, rng),
        Kind::AddTableComment
        | Kind::ChangeTableComment
        | Kind::DropTableComment
        | Kind::AddColumnComment
        | Kind::ChangeColumnComment
        | Kind::DropColumnComment => comments::apply(spec, kind, rng),
        Kind::AddPartialIndex | Kind::AddExpressionIndex | Kind::DropPartialIndex | Kind::ChangeIndexCondition => {
            partial::apply(spec, kind, rng)
        }
        Kind::AddCompositeForeignKey | Kind::DropCompositeForeignKey | Kind::ChangeCompositeOnDelete => {
            composite::apply(spec, kind, rng)
        }
    }
}

/// How many edits pair `seed` makes: 1–3.
pub(crate) fn edit_count(seed: u64) -> usize {
    1 + (splitmix(seed ^ 0xa5a5_a5a5_a5a5_a5a5) % 3) as usize
}
