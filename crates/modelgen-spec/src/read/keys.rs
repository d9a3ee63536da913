//! Foreign keys, indexes and uniques as a field or a model declares them.

use super::*;
use modelgen_ir::Generator;

impl Reader {
    pub(super) fn foreign_key(&mut self, node: &Node, path: &Path) -> Option<ForeignKeySpec> {
        if let Node::Str(target) = node {
            return Some(ForeignKeySpec {
                references: target.clone(),
                on_delete: None,
                on_update: None,
                name: None,
            });
        }
        let e = self.entries(node, path, FOREIGN_KEY_KEYS, "a foreign key")?;
        self.foreign_key_entries(&e, path)
    }

    /// `foreign_keys:` on a model: `- {columns: [a, b], references: Model(x, y), …}`.
    pub(super) fn model_foreign_keys(&mut self, node: &Node, path: &Path) -> Vec<CompositeForeignKeySpec> {
        let Node::Seq(items) = node else {
            self.wrong(path, "a list of foreign keys", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let fpath = path.index(i);
            let Some(e) = self.entries(item, &fpath, MODEL_FOREIGN_KEY_KEYS, "a foreign key") else {
                continue;
            };
            let columns = self.columns(&e, &fpath);
            let Some(key) = self.foreign_key_entries(&e, &fpath) else {
                continue;
            };
            if !columns.is_empty() {
                out.push(CompositeForeignKeySpec { columns, key });
            }
        }
        out
    }

    fn foreign_key_entries(&mut self, e: &Entries, path: &Path) -> Option<ForeignKeySpec> {
        let Some(target) = e.get("references") else {
            self.error(
                Diagnostic::new(ErrorKind::MissingKey, path.clone(), "foreign key has no `references:`")
                    .at_key()
                    .expected("`references: Model.field` (or `table.column`)"),
            );
            return None;
        };
        let references = self.string(target, &path.key("references"), "`Model.field` or `table.column`")?;
        let on_delete = e
            .get("on_delete")
            .and_then(|n| self.fk_action(n, &path.key("on_delete")));
        let on_update = e
            .get("on_update")
            .and_then(|n| self.fk_action(n, &path.key("on_update")));
        let name = e
            .get("name")
            .and_then(|n| self.value_name(n, &path.key("name"), "constraint"));
        Some(ForeignKeySpec {
            references,
            on_delete,
            on_update,
            name,
        })
    }

    pub(super) fn fk_action(&mut self, node: &Node, path: &Path) -> Option<FkAction> {
        let names = FkAction::ALL.map(|(name, _)| name);
        let expected = format!("one of {}", names.join(", "));
        let text = self.string(node, path, &expected)?;
        let normal = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        match FkAction::ALL.iter().find(|(name, _)| *name == normal) {
            Some((_, action)) => Some(*action),
            None => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!("unknown foreign-key action `{text}`"),
                    )
                    .expected(expected)
                    .help_opt(did_you_mean(&normal, names)),
                );
                None
            }
        }
    }

    pub(super) fn indexes(&mut self, node: &Node, path: &Path) -> Vec<IndexSpec> {
        let Node::Seq(items) = node else {
            self.wrong(path, "a list of indexes", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ipath = path.index(i);
            let Some(e) = self.entries(item, &ipath, INDEX_KEYS, "an index") else {
                continue;
            };
            let name = e
                .get("name")
                .and_then(|n| self.value_name(n, &ipath.key("name"), "index"));
            // An entry it could not read is reported; the index goes, so that no second
            // error says it has too few columns.
            let Some(columns) = self.index_keys(&e, &ipath) else {
                continue;
            };
            let unique = e
                .get("unique")
                .and_then(|n| self.bool(n, &ipath.key("unique")))
                .unwrap_or(false);
            let live = e
                .get("live")
                .and_then(|n| self.bool(n, &ipath.key("live")))
                .unwrap_or(false);
            let predicate = e
                .get("where")
                .and_then(|n| self.string(n, &ipath.key("where"), "a condition such as `status = 'active'`"));
            out.push(IndexSpec {
                name,
                columns,
                unique,
                live,
                predicate,
            });
        }
        out
    }

    /// An index's `columns:`: field names, and `{expr: …}` for an expression key.
    fn index_keys(&mut self, e: &Entries, path: &Path) -> Option<Vec<KeySpec>> {
        const EXPECTED: &str = "a field name, or `{expr: \"lower(email)\"}`";
        let Some(node) = e.get("columns") else {
            self.error(
                Diagnostic::new(ErrorKind::MissingKey, path.clone(), "no `columns:` given")
                    .expected("`columns: [field, …]`"),
            );
            return None;
        };
        let path = path.key("columns");
        let Node::Seq(items) = node else {
            self.wrong(&path, "a list of field names and `{expr: …}` keys", node);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let kpath = path.index(i);
            if let Node::Map(_) = item {
                let Some(k) = self.entries(item, &kpath, INDEX_EXPR_KEYS, "an expression key") else {
                    ok = false;
                    continue;
                };
                let Some(expr) = k.get("expr") else {
                    self.error(
                        Diagnostic::new(ErrorKind::MissingKey, kpath, "expression key has no `expr:`")
                            .expected(EXPECTED),
                    );
                    ok = false;
                    continue;
                };
                match self.string(expr, &kpath.key("expr"), "an expression such as `lower(email)`") {
                    Some(text) => out.push(KeySpec::Expr(text)),
                    None => ok = false,
                }
            } else {
                match self.string(item, &kpath, EXPECTED) {
                    Some(name) => out.push(KeySpec::Column(name)),
                    None => ok = false,
                }
            }
        }
        ok.then_some(out)
    }

    pub(super) fn uniques(&mut self, node: &Node, path: &Path) -> Vec<UniqueSpec> {
        let Node::Seq(items) = node else {
            self.wrong(path, "a list of unique constraints", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let upath = path.index(i);
            if let Node::Seq(_) = item {
                let columns = self.string_list(item, &upath, "field");
                out.push(UniqueSpec {
                    name: None,
                    columns,
                    live: false,
                    bare: true,
                });
                continue;
            }
            let Some(e) = self.entries(item, &upath, UNIQUE_KEYS, "a unique constraint") else {
                continue;
            };
            let name = e
                .get("name")
                .and_then(|n| self.value_name(n, &upath.key("name"), "constraint"));
            let columns = self.columns(&e, &upath);
            let live = e
                .get("live")
                .and_then(|n| self.bool(n, &upath.key("live")))
                .unwrap_or(false);
            out.push(UniqueSpec {
                name,
                columns,
                live,
                bare: false,
            });
        }
        out
    }

    pub(super) fn columns(&mut self, e: &Entries, path: &Path) -> Vec<String> {
        match e.get("columns") {
            Some(n) => self.string_list(n, &path.key("columns"), "field"),
            None => {
                self.error(
                    Diagnostic::new(ErrorKind::MissingKey, path.clone(), "no `columns:` given")
                        .expected("`columns: [field, …]`"),
                );
                Vec::new()
            }
        }
    }
}

const AUTOINCREMENT_EXPECTED: &str =
    "`true`, `false`, `identity`, `serial` or `{sequence: name}` (PostgreSQL's way of generating the key)";

impl Reader {
    /// A field's `autoincrement:`: `true` or `false`, or on and generated on PostgreSQL by
    /// an identity (`identity`, also `true`'s meaning), `serial`, or a sequence of its own
    /// (`{sequence: x_id_seq}`).
    pub(super) fn autoincrement(&mut self, node: &Node, path: &Path) -> Option<(bool, Option<Generator>)> {
        match node {
            Node::Bool(b) => Some((*b, None)),
            Node::Str(s) if s == "identity" => Some((true, Some(Generator::Identity))),
            Node::Str(s) if s == "serial" => Some((true, Some(Generator::Serial))),
            Node::Str(s) => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!("unknown autoincrement `{s}`"),
                    )
                    .expected(AUTOINCREMENT_EXPECTED)
                    .help_opt(did_you_mean(s, GENERATORS.iter().copied().chain(["sequence"]))),
                );
                None
            }
            Node::Map(_) => {
                let e = self.entries(node, path, SEQUENCE_KEYS, "a key's sequence")?;
                let Some(n) = e.get("sequence") else {
                    self.error(
                        Diagnostic::new(ErrorKind::MissingKey, path.clone(), "autoincrement has no `sequence:`")
                            .at_key()
                            .expected("`{sequence: x_id_seq}`"),
                    );
                    return None;
                };
                let at = path.key("sequence");
                let name = self.any_string(n, &at, "a sequence name")?;
                if let Err(reason) = modelgen_ir::check_sequence_name(&name) {
                    self.error(
                        Diagnostic::new(ErrorKind::BadName, at, format!("sequence name `{name}` {reason}"))
                            .expected("letters, digits and `_`, not starting with a digit, at most 63 bytes"),
                    );
                    return None;
                }
                Some((true, Some(Generator::Sequence(name))))
            }
            other => {
                self.wrong(path, AUTOINCREMENT_EXPECTED, other);
                None
            }
        }
    }
}
