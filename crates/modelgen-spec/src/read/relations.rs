//! Relations between models and their SQLAlchemy cascade options.

use super::*;

impl Reader {
    pub(super) fn relation(&mut self, name: &str, node: &Node, path: &Path) -> Option<RelationSpec> {
        let e = self.entries(node, path, RELATION_KEYS, &format!("relation `{name}`"))?;
        let kinds: Vec<_> = RelationKindSpec::ALL
            .iter()
            .filter_map(|(key, kind)| e.get(key).map(|n| (*key, *kind, n)))
            .collect();
        let (kind, target) = match kinds.as_slice() {
            [(key, kind, n)] => (*kind, self.string(n, &path.key(key), "the target model's name")?),
            [] => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::MissingKey,
                        path.clone(),
                        format!("relation `{name}` has no kind"),
                    )
                    .at_key()
                    .expected(
                        "one of `one_to_many: Model`, `one_to_one: Model`, `many_to_one: Model`, `many_to_many: Model`",
                    ),
                );
                return None;
            }
            [_, (key, _, _), ..] => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.key(key),
                        format!("relation `{name}` has more than one kind"),
                    )
                    .at_key()
                    .help("keep one of one_to_many, one_to_one, many_to_one, many_to_many"),
                );
                return None;
            }
        };
        let back_populates = e
            .get("back_populates")
            .and_then(|n| self.string(n, &path.key("back_populates"), "a relation name"));
        // One field, or a composite key's fields in its order.
        let foreign_key = e.get("foreign_key").and_then(|n| match n {
            Node::Seq(_) => Some(self.string_list(n, &path.key("foreign_key"), "field")),
            _ => self
                .string(n, &path.key("foreign_key"), "a field name, or a list of them")
                .map(|f| vec![f]),
        });
        let through = e
            .get("through")
            .and_then(|n| self.value_name(n, &path.key("through"), "join table"));
        if through.is_some() && kind != RelationKindSpec::ManyToMany {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("through"),
                    "`through` applies only to many_to_many relations",
                )
                .at_key(),
            );
        }
        if through.is_none() && kind == RelationKindSpec::ManyToMany {
            self.error(
                Diagnostic::new(
                    ErrorKind::MissingKey,
                    path.clone(),
                    format!("many-to-many relation `{name}` has no `through:`"),
                )
                .at_key()
                .expected("`through: join_table_name`")
                .help("modelgen creates the join table when no model has that table name"),
            );
        }
        let cascade = e
            .get("cascade")
            .map(|n| self.cascade(n, &path.key("cascade")))
            .unwrap_or_default();
        let backref = e
            .get("backref")
            .and_then(|n| self.value_name(n, &path.key("backref"), "the target's relation"));
        if backref.is_some() && back_populates.is_some() {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("backref"),
                    format!("relation `{name}` has both `backref` and `back_populates`"),
                )
                .at_key()
                .help("`backref: x` declares the target's side `x` too; `back_populates: x` pairs with an `x` the target declares itself. Keep one"),
            );
        }
        Some(RelationSpec {
            name: name.to_owned(),
            kind,
            target,
            back_populates,
            cascade,
            foreign_key,
            through,
            doc: self.doc(&e, path),
            backref,
        })
    }

    /// Writes each `backref` as the target's own relation: the reverse kind over the same
    /// foreign key or join table, the two sides naming each other in `back_populates`,
    /// as SQLAlchemy's `backref=` makes it. A target that already has a relation of that
    /// name is an error; an unknown target is lowering's to report.
    pub(super) fn backrefs(&mut self, models: &mut [ModelSpec], path: &Path) {
        for i in 0..models.len() {
            for r in 0..models[i].relations.len() {
                let rel = &models[i].relations[r];
                let Some(back) = rel.backref.clone() else { continue };
                if rel.back_populates.is_some() {
                    continue;
                }
                let Some(t) = models.iter().position(|m| m.name == rel.target) else {
                    continue;
                };
                let at = path.key(&models[i].name).key("relations").key(&rel.name).key("backref");
                if models[t].relations.iter().any(|o| o.name == back) {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            at,
                            format!("`{}` already has a relation `{back}`", models[t].name),
                        )
                        .help("name the backref otherwise, or declare the pair with `back_populates` on both sides"),
                    );
                    continue;
                }
                // A many-to-one's backref is one-to-many: the parent side of a one-to-one
                // is declared as such, as `backref(uselist=False)` would be.
                let kind = match rel.kind {
                    RelationKindSpec::OneToMany | RelationKindSpec::OneToOne => RelationKindSpec::ManyToOne,
                    RelationKindSpec::ManyToOne => RelationKindSpec::OneToMany,
                    RelationKindSpec::ManyToMany => RelationKindSpec::ManyToMany,
                };
                let reverse = RelationSpec {
                    name: back.clone(),
                    kind,
                    target: models[i].name.clone(),
                    back_populates: Some(rel.name.clone()),
                    cascade: Vec::new(),
                    foreign_key: rel.foreign_key.clone(),
                    through: rel.through.clone(),
                    doc: None,
                    backref: None,
                };
                models[i].relations[r].back_populates = Some(back);
                models[t].relations.push(reverse);
            }
        }
    }

    /// `"all, delete-orphan"` as SQLAlchemy writes it, or a list.
    pub(super) fn cascade(&mut self, node: &Node, path: &Path) -> Vec<String> {
        let words: Vec<String> = match node {
            Node::Str(s) => s
                .split(',')
                .map(|w| w.trim().to_owned())
                .filter(|w| !w.is_empty())
                .collect(),
            Node::Seq(_) => self.string_list(node, path, "cascade option"),
            other => {
                self.wrong(path, "cascade options such as `all, delete-orphan`", other);
                return Vec::new();
            }
        };
        for word in &words {
            if !CASCADES.contains(&word.as_str()) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!("unknown cascade option `{word}`"),
                    )
                    .highlight(word.clone())
                    .expected(format!("any of {}", CASCADES.join(", ")))
                    .help_opt(did_you_mean(word, CASCADES.iter().copied())),
                );
            }
        }
        words
    }
}
