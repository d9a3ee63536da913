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

    /// Rejects two owners of one name in a database namespace — an index named like
    /// another table, two `updated_at` triggers that derive one name (`a_b.c` and
    /// `a.b_c`), an index named like PostgreSQL's `<table>_pkey`, a name starting with
    /// `modelgen_` — as `modelgen_sql::names` finds them. Tables sharing a name are
    /// [`Lower::check_unique_tables`]'s.
    pub(super) fn check_derived_names(&mut self, spec: &Spec, models: &[Model]) {
        for clash in modelgen_sql::names::clashes(models) {
            use modelgen_sql::names::Owner;
            let owner = &clash.second;
            let path = match spec.models.iter().find(|m| m.name == owner.model()) {
                None => Path::root().key("models"),
                Some(m) => match (owner, owner.column()) {
                    (Owner::Check { name, .. }, _) => model_path(&m.name).key("checks").key(name),
                    (Owner::Sequence { column, .. }, _) => {
                        field_path(&m.name, column).key("autoincrement").key("sequence")
                    }
                    (_, Some(c)) if m.fields.iter().any(|f| f.name == c) => field_path(&m.name, c),
                    // A table name the spec wrote is blamed where it is written.
                    _ if matches!(owner, Owner::Table { .. } | Owner::Reserved { kind: "table", .. })
                        && m.table.is_some() =>
                    {
                        model_path(&m.name).key("table")
                    }
                    _ => model_path(&m.name),
                },
            };
            let (kind, help) = match owner {
                Owner::Reserved { .. } => (ErrorKind::BadName, "choose another name"),
                Owner::EnumType { .. } => (
                    ErrorKind::DuplicateName,
                    "give the enum its own `type_name:` under `enums:` (an inline `enum(…)` is named after its model and field, in lower case on PostgreSQL)",
                ),
                Owner::Check { .. } | Owner::ColumnCheck { .. } if clash.dialects == [modelgen_ir::Dialect::Mysql] => (
                    ErrorKind::DuplicateName,
                    "rename one of the checks: MySQL keeps one namespace per database for the names of CHECKs and foreign keys",
                ),
                Owner::Check { .. } | Owner::ColumnCheck { .. } => (
                    ErrorKind::DuplicateName,
                    "rename the check of your own (or the enum's `type_name:`)",
                ),
                Owner::Sequence { .. } => (
                    ErrorKind::DuplicateName,
                    "give the key a sequence of another name (a sequence is in the namespace of PostgreSQL's tables and indexes)",
                ),
                _ => (
                    ErrorKind::DuplicateName,
                    "rename one of them, or give the index or unique a `name:` of its own",
                ),
            };
            self.error(Diagnostic::new(kind, path, clash.message()).at_key().help(help));
        }
    }
}
