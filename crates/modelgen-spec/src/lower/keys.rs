//! Foreign keys: `references:` resolved to a model and its key, with type checks.

use super::*;

/// A foreign key's columns on the referencing model, as the resolution sees them.
struct Referencing<'a> {
    columns: Vec<String>,
    /// Field-level: the field, which errors about its type point at.
    field: Option<&'a FieldSpec>,
}

impl Lower<'_> {
    /// Resolves `foreign_key: users.id` on every field (own or mixin) of one model, then
    /// the model's `foreign_keys:`.
    pub(super) fn foreign_keys(
        &mut self,
        spec: &ModelSpec,
        model: &Model,
        models: &[Model],
        names: &NameIndex,
    ) -> Vec<ForeignKey> {
        // Where each field is written: its own model, or the mixin that brings it. Paths
        // are made only for fields with a foreign key (most have none).
        let own = spec.fields.iter().map(|f| (f, None));
        let mixed = spec
            .mixins
            .iter()
            .filter_map(|m| self.mixins.get(m.as_str()))
            .flat_map(|m| m.fields.iter().map(move |f| (f, Some(m.name.as_str()))));
        let fields: Vec<_> = own.chain(mixed).collect();
        let mut out = Vec::new();
        for (field, mixin) in fields {
            let Some(fk) = &field.foreign_key else { continue };
            let path = match mixin {
                None => field_path(&spec.name, &field.name),
                Some(m) => Path::root().key("mixins").key(m).key("fields").key(&field.name),
            };
            let from = Referencing {
                columns: vec![field.name.clone()],
                field: Some(field),
            };
            if let Some(fk) = self.resolve_foreign_key(model, &from, fk, path.key("foreign_key"), models, names) {
                out.push(fk);
            }
        }
        let list = model_path(&spec.name).key("foreign_keys");
        for (i, declared) in spec.foreign_keys.iter().enumerate() {
            let path = list.index(i);
            if !self.check_key_columns(model, &declared.columns, &path.key("columns")) {
                continue;
            }
            let from = Referencing {
                columns: declared.columns.clone(),
                field: None,
            };
            let Some(fk) = self.resolve_foreign_key(model, &from, &declared.key, path.clone(), models, names) else {
                continue;
            };
            if out
                .iter()
                .any(|o: &ForeignKey| o.columns == fk.columns && o.target_table == fk.target_table)
            {
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path,
                        format!(
                            "`{}` has a foreign key over ({}) to `{}` already",
                            model.name,
                            fk.columns.join(", "),
                            fk.target_model
                        ),
                    )
                    .help("keep one of them"),
                );
                continue;
            }
            out.push(fk);
        }
        // In the order the derive reads them back from generated Rust: single-column keys
        // on their fields, in column order, then composite ones as declared.
        out.sort_by_key(|fk| match fk.columns.as_slice() {
            [one] => (0, model.columns.iter().position(|c| &c.name == one)),
            _ => (1, None),
        });
        out
    }

    /// Rejects a `foreign_keys:` entry whose `columns:` is empty, repeats a field or names
    /// one the model lacks.
    fn check_key_columns(&mut self, model: &Model, columns: &[String], path: &Path) -> bool {
        if columns.is_empty() {
            self.error(
                Diagnostic::new(ErrorKind::BadValue, path.clone(), "`columns:` lists no field")
                    .expected("the key's fields in order, e.g. `columns: [order_id, line_no]`"),
            );
            return false;
        }
        let mut ok = true;
        for (i, name) in columns.iter().enumerate() {
            if columns[..i].contains(name) {
                self.error(Diagnostic::new(
                    ErrorKind::DuplicateName,
                    path.index(i),
                    format!("`{name}` is in the foreign key twice"),
                ));
                ok = false;
            } else if model.column(name).is_none() {
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownReference,
                        path.index(i),
                        format!("`{}` has no field `{name}` for its foreign key", model.name),
                    )
                    .help_opt(did_you_mean(name, model.columns.iter().map(|c| c.name.as_str()))),
                );
                ok = false;
            }
        }
        ok
    }

    /// Rejects `references: Usr.id` (no such model), `User.idd` (no such column),
    /// columns that are neither primary key nor unique, a count that differs from the
    /// referencing columns', and `user_id: str(9)` → `User.id: int`.
    fn resolve_foreign_key(
        &mut self,
        model: &Model,
        from: &Referencing,
        fk: &ForeignKeySpec,
        path: Path,
        models: &[Model],
        names: &NameIndex,
    ) -> Option<ForeignKey> {
        let what = match from.field {
            Some(f) => format!("`{}.{}`", model.name, f.name),
            None => format!("`{}` over ({})", model.name, from.columns.join(", ")),
        };
        let (target_word, listed) = parse_reference(&fk.references);
        let Some(ti) = names.find(target_word) else {
            let known = models.iter().flat_map(|m| [m.name.as_str(), m.table.as_str()]);
            self.error(
                Diagnostic::new(
                    ErrorKind::UnknownReference,
                    path,
                    format!("foreign key of {what} references unknown model or table `{target_word}`"),
                )
                .highlight(target_word)
                .expected("`Model.field`, `table.column`, `Model(a, b)` or `Model`")
                .help_opt(did_you_mean(target_word, known)),
            );
            return None;
        };
        let target = &models[ti];
        let target_columns = match listed {
            Some(columns) => columns,
            None if target.primary_key.len() == from.columns.len() => target.primary_key.clone(),
            None => {
                let message = match target.primary_key.len() {
                    1 => format!(
                        "{what} has {} columns, and `{}`'s primary key has one",
                        from.columns.len(),
                        target.name
                    ),
                    n if from.columns.len() == 1 => {
                        format!(
                            "`{}` has no single-column primary key to reference (its key has {n})",
                            target.name
                        )
                    }
                    n => format!(
                        "{what} has {} columns, and `{}`'s primary key has {n}",
                        from.columns.len(),
                        target.name
                    ),
                };
                self.error(
                    Diagnostic::new(ErrorKind::BadValue, path, message)
                        .help(format!("name the referenced columns: `{}(<column>, …)`", target.name)),
                );
                return None;
            }
        };
        if target_columns.len() != from.columns.len() {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("references"),
                    format!(
                        "{what} has {} columns but references {} of `{}`",
                        from.columns.len(),
                        target_columns.len(),
                        target.name
                    ),
                )
                .help("reference as many columns as the key has, in the same order"),
            );
            return None;
        }
        let mut pairs = Vec::new();
        for (own, referenced) in from.columns.iter().zip(&target_columns) {
            let Some(tcol) = target.column(referenced) else {
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownReference,
                        path,
                        format!("`{}` has no column `{referenced}`", target.name),
                    )
                    .highlight(referenced.as_str())
                    .help_opt(did_you_mean(referenced, target.columns.iter().map(|c| c.name.as_str()))),
                );
                return None;
            };
            let column = model.column(own)?;
            pairs.push((column, tcol));
        }
        if !target.is_unique_set(&target_columns) {
            let shown = match target_columns.as_slice() {
                [one] => format!("`{}.{one}` is", target.name),
                many => format!("`{}`'s ({}) are", target.name, many.join(", ")),
            };
            let help = match target_columns.as_slice() {
                [one] => format!("reference the primary key, or mark `{one}` unique"),
                many => format!("reference the primary key, or add `uniques: [[{}]]`", many.join(", ")),
            };
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!("{shown} neither the primary key nor unique, so it cannot be referenced"),
                )
                .help(help),
            );
        }
        for (column, tcol) in &pairs {
            if tcol.ty == column.ty {
                continue;
            }
            let message = format!(
                "`{}.{}` is `{}` but references `{}.{}`, which is `{}`",
                model.name, column.name, column.ty, target.name, tcol.name, tcol.ty
            );
            let diagnostic = match from.field {
                Some(field) => Diagnostic::new(ErrorKind::TypeMismatch, field_path(&model.name, &field.name), message)
                    .highlight(field.ty.to_string()),
                None => Diagnostic::new(ErrorKind::TypeMismatch, path.clone(), message),
            };
            self.error(diagnostic.help(format!("declare `{}` as `{}`", column.name, tcol.ty)));
        }
        let not_null: Vec<&str> = pairs
            .iter()
            .filter(|(c, _)| !c.nullable)
            .map(|(c, _)| c.name.as_str())
            .collect();
        if !not_null.is_empty() && fk.on_delete == Some(FkAction::SetNull) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("on_delete"),
                    match not_null.as_slice() {
                        [one] => format!("`on_delete: set_null` on `{one}`, which is not nullable"),
                        many => format!(
                            "`on_delete: set_null` on `{}`, which are not nullable",
                            many.join("`, `")
                        ),
                    },
                )
                .help("make the field nullable with `?`, or choose another action"),
            );
        }
        let columns = from.columns.clone();
        let parts = modelgen_ir::naming::Parts {
            table: &model.table,
            columns: &columns,
            referred_table: &target.table,
            referred_columns: &target_columns,
            name: fk.name.as_deref(),
        };
        let name = self.constraint_name(modelgen_ir::naming::Kind::ForeignKey, &parts, &path);
        Some(ForeignKey {
            name,
            columns,
            target_model: target.name.clone(),
            target_table: target.table.clone(),
            target_columns,
            on_delete: fk.on_delete,
            on_update: fk.on_update,
        })
    }
}

/// `Model.field` → (`Model`, [field]); `Model(a, b)` → (`Model`, [a, b]); `Model` alone
/// → (`Model`, none: its primary key).
fn parse_reference(text: &str) -> (&str, Option<Vec<String>>) {
    if let Some((target, rest)) = text.split_once('(') {
        let inside = rest.trim_end().strip_suffix(')').unwrap_or(rest);
        let columns = inside.split(',').map(|c| c.trim().to_owned()).collect();
        return (target.trim(), Some(columns));
    }
    match text.split_once('.') {
        Some((t, c)) => (t, Some(vec![c.to_owned()])),
        None => (text, None),
    }
}
