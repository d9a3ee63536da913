//! Relations: each side resolved to its foreign key, `back_populates` pairs checked, and
//! the join tables of many-to-many relations synthesized.

use super::*;
use modelgen_ir::naming::{Kind, Parts};

impl Lower<'_> {
    pub(super) fn relations(
        &mut self,
        spec: &ModelSpec,
        model: &Model,
        models: &[Model],
        names: &NameIndex,
        joins: &mut Joins,
    ) -> Vec<Relation> {
        let mut out = Vec::new();
        for rel in &spec.relations {
            let path = model_path(&spec.name).key("relations").key(&rel.name);
            if model.column(&rel.name).is_some() {
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path.clone(),
                        format!(
                            "relation `{}` has the same name as a column of `{}`",
                            rel.name, spec.name
                        ),
                    )
                    .at_key()
                    .help("rename the relation"),
                );
            }
            // Relations become methods of the struct beside the derive's `is_deleted()`.
            if model.soft_delete.is_some() && rel.name == "is_deleted" {
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path.clone(),
                        format!(
                            "relation `is_deleted` of `{}` would be a Rust method beside the `is_deleted()` a soft-delete model has",
                            spec.name
                        ),
                    )
                    .at_key()
                    .help("rename the relation"),
                );
            }
            let Some(&ti) = names.by_name.get(rel.target.as_str()) else {
                let key = path.key(rel.kind.key());
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownReference,
                        key,
                        format!("relation `{}` targets unknown model `{}`", rel.name, rel.target),
                    )
                    .help_opt(did_you_mean(&rel.target, models.iter().map(|m| m.name.as_str()))),
                );
                continue;
            };
            let target = &models[ti];
            let resolved = match rel.kind {
                RelationKindSpec::ManyToOne => self.many_to_one(rel, model, target, &path),
                RelationKindSpec::OneToMany => self.one_to_many(rel, model, target, &path),
                RelationKindSpec::OneToOne => self.one_to_one(rel, model, target, &path),
                RelationKindSpec::ManyToMany => self.many_to_many(rel, model, target, &path, models, names, joins),
            };
            if let Some(r) = resolved {
                out.push(r);
            }
        }
        out
    }

    pub(super) fn relation(rel: &RelationSpec, kind: RelationKind, foreign_key: Vec<String>) -> Relation {
        Relation {
            name: rel.name.clone(),
            kind,
            target: rel.target.clone(),
            foreign_key,
            through: None,
            target_foreign_key: Vec::new(),
            back_populates: rel.back_populates.clone(),
            cascade: rel.cascade.clone(),
            doc: rel.doc.clone(),
        }
    }

    /// The one foreign key from `from` to `to`, or the one named; rejects none and ambiguity.
    pub(super) fn pick_foreign_key(
        &mut self,
        from: &Model,
        to: &Model,
        named: Option<&[String]>,
        path: &Path,
        rel: &RelationSpec,
    ) -> Option<Vec<String>> {
        let candidates: Vec<&ForeignKey> = from
            .foreign_keys
            .iter()
            .filter(|fk| fk.target_model == to.name && named.is_none_or(|n| fk.columns == n))
            .collect();
        match candidates.as_slice() {
            [one] => Some(one.columns.clone()),
            [] => {
                let message = match named {
                    Some([n]) => format!("`{}.{n}` is not a foreign key to `{}`", from.name, to.name),
                    Some(n) => format!(
                        "`{}` has no foreign key over ({}) to `{}`",
                        from.name,
                        n.join(", "),
                        to.name
                    ),
                    None => format!(
                        "relation `{}` needs a foreign key from `{}` to `{}`, and there is none",
                        rel.name, from.name, to.name
                    ),
                };
                let help = match named {
                    Some(n) if n.len() > 1 => format!(
                        "declare it on `{}`: `foreign_keys: [{{columns: [{}], references: {}}}]`",
                        from.name,
                        n.join(", "),
                        to.name
                    ),
                    _ => format!(
                        "add a field to `{}` such as `{}: {{type: int, foreign_key: {}.id}}`",
                        from.name,
                        join_column(&to.name),
                        to.name
                    ),
                };
                self.error(
                    Diagnostic::new(ErrorKind::BadRelation, path.clone(), message)
                        .at_key()
                        .help(help),
                );
                None
            }
            many => {
                let cols: Vec<_> = many.iter().map(|fk| display_columns(&fk.columns)).collect();
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.clone(),
                        format!(
                            "relation `{}` could use any of the foreign keys {}",
                            rel.name,
                            cols.join(", ")
                        ),
                    )
                    .at_key()
                    .help("name one with `foreign_key: <field>` (`[a, b]` for a composite key)"),
                );
                None
            }
        }
    }

    pub(super) fn many_to_one(
        &mut self,
        rel: &RelationSpec,
        model: &Model,
        target: &Model,
        path: &Path,
    ) -> Option<Relation> {
        let fk = self.pick_foreign_key(model, target, rel.foreign_key.as_deref(), path, rel)?;
        Some(Self::relation(rel, RelationKind::ManyToOne, fk))
    }

    pub(super) fn one_to_many(
        &mut self,
        rel: &RelationSpec,
        model: &Model,
        target: &Model,
        path: &Path,
    ) -> Option<Relation> {
        let fk = self.pick_foreign_key(target, model, rel.foreign_key.as_deref(), path, rel)?;
        Some(Self::relation(rel, RelationKind::OneToMany, fk))
    }

    /// Rejects a one-to-one over a foreign key the target does not hold unique: it could
    /// find several rows.
    pub(super) fn one_to_one(
        &mut self,
        rel: &RelationSpec,
        model: &Model,
        target: &Model,
        path: &Path,
    ) -> Option<Relation> {
        let fk = self.one_to_many(rel, model, target, path)?.foreign_key;
        if !target.is_unique_set(&fk) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadRelation,
                    path.clone(),
                    format!(
                        "relation `{}` is one-to-one, so `{}.{}` must be unique, and it is not",
                        rel.name,
                        target.name,
                        fk.join(", ")
                    ),
                )
                .at_key()
                .help(format!(
                    "mark `{}` unique on `{}`, or make the relation `one_to_many`",
                    fk.join(", "),
                    target.name
                )),
            );
            return None;
        }
        Some(Self::relation(rel, RelationKind::OneToOne, fk))
    }

    /// Uses the join model named by `through`, or synthesizes the join table; rejects a
    /// synthesized self-referential one, whose two columns would share a name.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn many_to_many(
        &mut self,
        rel: &RelationSpec,
        model: &Model,
        target: &Model,
        path: &Path,
        models: &[Model],
        names: &NameIndex,
        joins: &mut Joins,
    ) -> Option<Relation> {
        let mut through = rel.through.clone()?;
        let (own_fk, target_fk) = if let Some(ji) = names.find(&through) {
            let join = &models[ji];
            through.clone_from(&join.table);
            let own = self.pick_foreign_key(join, model, rel.foreign_key.as_deref(), path, rel)?;
            let others: Vec<&ForeignKey> = join
                .foreign_keys
                .iter()
                .filter(|fk| fk.target_model == target.name && fk.columns != own)
                .collect();
            let [other] = others.as_slice() else {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.key("through"),
                        format!(
                            "join model `{}` needs exactly one foreign key to `{}` besides `{}`",
                            join.name,
                            target.name,
                            own.join(",")
                        ),
                    )
                    .help("give the join model one foreign key to each side"),
                );
                return None;
            };
            (own, other.columns.clone())
        } else {
            let (own, other) = joins.link(self, &through, model, target, path)?;
            if let Some(named) = rel.foreign_key.as_deref().filter(|n| own != *n) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.key("foreign_key"),
                        format!(
                            "join table `{through}` is made by modelgen, and its column for `{}` is `{}`, not `{}`",
                            model.name,
                            own[0],
                            display_columns(named)
                        ),
                    )
                    .help("drop `foreign_key:`, or declare a join model to choose the columns"),
                );
            }
            (own, other)
        };
        let mut r = Self::relation(rel, RelationKind::ManyToMany, own_fk);
        r.through = Some(through);
        r.target_foreign_key = target_fk;
        Some(r)
    }

    /// Rejects `back_populates: user` when the target has no `user` relation pointing back.
    pub(super) fn check_back_populates(&mut self, spec: &Spec, models: &[Model], names: &NameIndex) {
        for (model_spec, model) in spec.models.iter().zip(models) {
            for rel in &model.relations {
                let Some(back) = &rel.back_populates else { continue };
                let path = || {
                    model_path(&model_spec.name)
                        .key("relations")
                        .key(&rel.name)
                        .key("back_populates")
                };
                let Some(&ti) = names.by_name.get(rel.target.as_str()) else {
                    continue;
                };
                let target = &models[ti];
                let Some(other) = target.relations.iter().find(|r| &r.name == back) else {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadBackPopulates,
                            path(),
                            format!(
                                "`{}` has no relation `{back}` to pair with `{}.{}`",
                                target.name, model.name, rel.name
                            ),
                        )
                        .help_opt(did_you_mean(back, target.relations.iter().map(|r| r.name.as_str()))),
                    );
                    continue;
                };
                let paired = other.target == model.name && other.back_populates.as_deref() == Some(rel.name.as_str());
                let expected_kinds: &[RelationKind] = match rel.kind {
                    RelationKind::OneToMany | RelationKind::OneToOne => &[RelationKind::ManyToOne],
                    RelationKind::ManyToOne => &[RelationKind::OneToMany, RelationKind::OneToOne],
                    RelationKind::ManyToMany => &[RelationKind::ManyToMany],
                };
                if !paired {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadBackPopulates,
                            path(),
                            format!(
                                "`{}.{back}` does not point back at `{}.{}`",
                                target.name, model.name, rel.name
                            ),
                        )
                        .help(format!(
                            "give `{}.{back}` the target `{}` and `back_populates: {}`",
                            target.name, model.name, rel.name
                        )),
                    );
                } else if !expected_kinds.contains(&other.kind) || !same_link(rel, other) {
                    self.error(
                        Diagnostic::new(ErrorKind::BadBackPopulates, path(), format!("`{}.{}` and `{}.{back}` do not describe the same link", model.name, rel.name, target.name))
                            .help("pair one_to_many (or one_to_one) with many_to_one over the same foreign key, or two many_to_many through the same table"),
                    );
                }
            }
        }
    }
}

/// Whether two relations paired by `back_populates` ride on the same foreign key(s):
/// one-to-many and many-to-one share one; two many-to-many use one join table from
/// opposite ends.
fn same_link(a: &Relation, b: &Relation) -> bool {
    match a.kind {
        RelationKind::ManyToMany => {
            a.through == b.through && a.foreign_key == b.target_foreign_key && a.target_foreign_key == b.foreign_key
        }
        _ => a.foreign_key == b.foreign_key,
    }
}

/// Join tables synthesized from `through:`, in first-use order.
#[derive(Default)]
pub(super) struct Joins {
    pub(super) tables: Vec<Model>,
    /// Each join table's place in `tables`, by table name.
    by_table: HashMap<String, usize>,
}

impl Joins {
    /// Creates `through` for `model`↔`target`, or checks the other side of an existing one.
    /// Returns (this side's column, the target's column).
    pub(super) fn link(
        &mut self,
        cx: &mut Lower,
        through: &str,
        model: &Model,
        target: &Model,
        path: &Path,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let own = join_column(&model.name);
        let other = join_column(&target.name);
        if own == other {
            cx.error(
                Diagnostic::new(
                    ErrorKind::BadRelation,
                    path.key("through"),
                    format!("a self-referential many-to-many needs a join model, and `{through}` is not one"),
                )
                .help(format!(
                    "declare a model with table `{through}` and two foreign keys to `{}`, then name it in `through:`",
                    model.name
                )),
            );
            return None;
        }
        if let Some(join) = self.by_table.get(through).map(|&i| &self.tables[i]) {
            let links = |col: &str, to: &Model| {
                join.foreign_keys
                    .iter()
                    .any(|fk| fk.columns == [col] && fk.target_model == to.name)
            };
            if links(&own, model) && links(&other, target) {
                return Some((vec![own], vec![other]));
            }
            let linked: Vec<_> = join.foreign_keys.iter().map(|fk| fk.target_model.as_str()).collect();
            cx.error(
                Diagnostic::new(
                    ErrorKind::BadRelation,
                    path.key("through"),
                    format!("join table `{through}` already links {}", linked.join(" and ")),
                )
                .help("use another `through:` table for this relation"),
            );
            return None;
        }
        let mut columns = Vec::new();
        let mut foreign_keys = Vec::new();
        for (col, side) in [(&own, model), (&other, target)] {
            let [pk] = side.primary_key.as_slice() else {
                cx.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.key("through"),
                        format!(
                            "`{}` needs a single-column primary key for join table `{through}`",
                            side.name
                        ),
                    )
                    .help("declare a join model with explicit foreign keys instead"),
                );
                return None;
            };
            let ty = side.column(pk).map(|c| c.ty.clone())?;
            columns.push(Column {
                primary_key: true,
                ..Column::new(col.clone(), ty)
            });
            let (fk_columns, target_columns) = (vec![col.clone()], vec![pk.clone()]);
            let parts = Parts {
                table: through,
                columns: &fk_columns,
                referred_table: &side.table,
                referred_columns: &target_columns,
                name: None,
            };
            foreign_keys.push(ForeignKey {
                name: cx.constraint_name(Kind::ForeignKey, &parts, &path.key("through")),
                columns: fk_columns,
                target_model: side.name.clone(),
                target_table: side.table.clone(),
                target_columns,
                on_delete: None,
                on_update: None,
            });
        }
        let primary_key: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        let parts = Parts {
            table: through,
            columns: &primary_key,
            ..Parts::default()
        };
        let primary_key_name = cx.constraint_name(Kind::PrimaryKey, &parts, &path.key("through"));
        self.by_table.insert(through.to_owned(), self.tables.len());
        self.tables.push(Model {
            name: through.to_owned(),
            table: through.to_owned(),
            kind: ModelKind::Join,
            doc: Some(format!("Join table of {} and {}.", model.name, target.name)),
            comment: None,
            mixins: Vec::new(),
            primary_key,
            primary_key_name,
            columns,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys,
            relations: Vec::new(),
            repr: Vec::new(),
            soft_delete: None,
            renamed_from: None,
            checks: Vec::new(),
            naming: cx.naming.clone(),
        });
        Some((vec![own], vec![other]))
    }
}

/// `a` for one column, `(a, b)` for a composite key.
fn display_columns(columns: &[String]) -> String {
    match columns {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
}
