//! Names that must be unique across the whole schema: tables and index names.

use super::*;

impl Lower<'_> {
    /// Rejects two models (or a model and a join table) sharing one table name.
    pub(super) fn check_unique_tables(&mut self, spec: &Spec, models: &[Model]) {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for model in models {
            // SQLite and MySQL (on most systems) compare table names without case.
            if let Some(first) = seen.insert(model.table.to_lowercase(), model.name.as_str()) {
                let path = match spec.models.iter().any(|m| m.name == model.name) {
                    true => model_path(&model.name).key("table"),
                    false => Path::root().key("models"),
                };
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path,
                        format!(
                            "table `{}` is used by both `{first}` and `{}` (names compared without case)",
                            model.table, model.name
                        ),
                    )
                    .help("give one of them another `table:`"),
                );
            }
        }
    }

    /// Index names share one namespace per database schema (PostgreSQL, SQLite).
    /// They share it with tables in PostgreSQL and SQLite, too.
    pub(super) fn check_unique_index_names(&mut self, spec: &Spec, models: &[Model]) {
        let tables: HashMap<String, &str> = models
            .iter()
            .map(|m| (m.table.to_lowercase(), m.table.as_str()))
            .collect();
        let mut seen: HashMap<String, &str> = HashMap::new();
        for model in models {
            let names = model
                .indexes
                .iter()
                .map(|i| i.name.as_str())
                .chain(model.uniques.iter().filter_map(|u| u.name.as_deref()));
            for name in names {
                let path = match spec.models.iter().any(|m| m.name == model.name) {
                    true => model_path(&model.name),
                    false => Path::root().key("models"),
                };
                if let Some(table) = tables.get(&name.to_lowercase()) {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            path.clone(),
                            format!("index name `{name}` in `{}` is also the name of table `{table}` (names compared without case)", model.name),
                        )
                        .at_key()
                        .help("PostgreSQL and SQLite keep tables and indexes in one namespace; set another `name:`"),
                    );
                }
                if let Some(first) = seen.insert(name.to_lowercase(), model.name.as_str()) {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            path,
                            format!("index name `{name}` in `{}` is already used in `{first}`", model.name),
                        )
                        .at_key()
                        .help("index names must be unique across the schema; set `name:` on one of them"),
                    );
                }
            }
        }
    }
}
