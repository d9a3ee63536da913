//! Foreign keys: `references:` resolved to a model and its key, with type checks.

use super::*;

impl Lower<'_> {
    /// Resolves `foreign_key: users.id` on every field (own or mixin) of one model.
    pub(super) fn foreign_keys(
        &mut self,
        spec: &ModelSpec,
        model: &Model,
        models: &[Model],
        names: &NameIndex,
    ) -> Vec<ForeignKey> {
        let own = spec.fields.iter().map(|f| (f, field_path(&spec.name, &f.name)));
        let mixed = spec
            .mixins
            .iter()
            .filter_map(|m| self.mixins.get(m.as_str()))
            .flat_map(|m| {
                let base = Path::root().key("mixins").key(&m.name).key("fields");
                m.fields.iter().map(move |f| (f, base.key(&f.name)))
            });
        let fields: Vec<_> = own.chain(mixed).collect();
        let mut out = Vec::new();
        for (field, path) in fields {
            let Some(fk) = &field.foreign_key else { continue };
            if let Some(fk) = self.resolve_foreign_key(model, field, fk, path.key("foreign_key"), models, names) {
                out.push(fk);
            }
        }
        out
    }

    /// Rejects `references: Usr.id` (no such model), `User.idd` (no such column),
    /// a column that is neither primary key nor unique, and `user_id: str(9)` → `User.id: int`.
    pub(super) fn resolve_foreign_key(
        &mut self,
        model: &Model,
        field: &FieldSpec,
        fk: &ForeignKeySpec,
        path: Path,
        models: &[Model],
        names: &NameIndex,
    ) -> Option<ForeignKey> {
        let (target_word, column_word) = match fk.references.split_once('.') {
            Some((t, c)) => (t, Some(c)),
            None => (fk.references.as_str(), None),
        };
        let Some(ti) = names.find(target_word) else {
            let known = models.iter().flat_map(|m| [m.name.as_str(), m.table.as_str()]);
            self.error(
                Diagnostic::new(
                    ErrorKind::UnknownReference,
                    path,
                    format!(
                        "foreign key of `{}.{}` references unknown model or table `{target_word}`",
                        model.name, field.name
                    ),
                )
                .highlight(target_word)
                .expected("`Model.field`, `table.column` or `Model`")
                .help_opt(did_you_mean(target_word, known)),
            );
            return None;
        };
        let target = &models[ti];
        let target_column = match column_word {
            Some(c) => c.to_owned(),
            None if target.primary_key.len() == 1 => target.primary_key[0].clone(),
            None => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path,
                        format!("`{}` has no single-column primary key to reference", target.name),
                    )
                    .help(format!("name the column: `{}.<column>`", target.name)),
                );
                return None;
            }
        };
        let Some(tcol) = target.column(&target_column) else {
            self.error(
                Diagnostic::new(
                    ErrorKind::UnknownReference,
                    path,
                    format!("`{}` has no column `{target_column}`", target.name),
                )
                .highlight(target_column.as_str())
                .help_opt(did_you_mean(
                    &target_column,
                    target.columns.iter().map(|c| c.name.as_str()),
                )),
            );
            return None;
        };
        let referencable = target.is_unique_set(std::slice::from_ref(&target_column));
        if !referencable {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!(
                        "`{}.{target_column}` is neither the primary key nor unique, so it cannot be referenced",
                        target.name
                    ),
                )
                .help(format!("reference the primary key, or mark `{target_column}` unique")),
            );
        }
        if tcol.ty != field.ty {
            self.error(
                Diagnostic::new(
                    ErrorKind::TypeMismatch,
                    field_path(&model.name, &field.name),
                    format!(
                        "`{}.{}` is `{}` but references `{}.{target_column}`, which is `{}`",
                        model.name, field.name, field.ty, target.name, tcol.ty
                    ),
                )
                .highlight(field.ty.to_string())
                .help(format!("declare `{}` as `{}`", field.name, tcol.ty)),
            );
        }
        if !field.nullable && fk.on_delete == Some(FkAction::SetNull) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("on_delete"),
                    format!("`on_delete: set_null` on `{}`, which is not nullable", field.name),
                )
                .help("make the field nullable with `?`, or choose another action"),
            );
        }
        let (columns, target_columns) = (vec![field.name.clone()], vec![target_column]);
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
