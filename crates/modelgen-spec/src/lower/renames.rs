//! Declared renames, which a migration reads as one mapping from old names to new: each
//! old name may be claimed once.

use super::*;

impl Lower<'_> {
    /// Rejects two fields of a model, or two models, declaring the same `renamed_from`:
    /// one old column (or table) cannot become two.
    pub(super) fn check_renames(&mut self, models: &[Model]) {
        let mut tables: HashMap<&str, &str> = HashMap::new();
        for model in models.iter().filter(|m| m.kind == ModelKind::Entity) {
            if let Some(from) = &model.renamed_from {
                if let Some(first) = tables.insert(from, &model.name) {
                    self.error(twice(
                        model_path(&model.name).key("renamed_from"),
                        "table",
                        from,
                        first,
                        &model.name,
                    ));
                }
            }
            let mut columns: HashMap<&str, &str> = HashMap::new();
            for column in model.columns.iter().filter(|c| c.mixin.is_none()) {
                if let Some(from) = &column.renamed_from {
                    if let Some(first) = columns.insert(from, &column.name) {
                        let path = field_path(&model.name, &column.name).key("renamed_from");
                        self.error(twice(path, "column", from, first, &column.name));
                    }
                }
            }
        }
    }
}

fn twice(path: Path, what: &str, from: &str, first: &str, second: &str) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::DuplicateName,
        path,
        format!("`{first}` and `{second}` both say `renamed_from: {from}`; one {what} cannot become two"),
    )
    .help(format!(
        "keep `renamed_from: {from}` on the one that takes the old {what}'s values"
    ))
}
