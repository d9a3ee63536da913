//! The rules for names that only a back end or a database explains: what Rust makes of
//! a model's name (its struct, new-row struct and module) and of a field's, and which
//! names PostgreSQL and MySQL keep for themselves. Split from `lower` so each rule can be
//! read beside its reason.

use super::{column_path, model_path, Lower};
use crate::diag::{Diagnostic, ErrorKind, Path};
use crate::spec::{ModelSpec, Spec};
use modelgen_ir::config::MAX_FILE_NAME_BYTES;
use modelgen_ir::{rust_names, Column, Model, ModelKind};
// foldhash: the names hashed here are the spec's own, and SipHash was 7 % of `check`.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

impl Lower<'_> {
    /// Rejects a field named `Some`, `None`, `Ok` or `Err`: as a parameter of the
    /// generated `New…::new`, Rust would read it as the prelude's enum variant.
    pub(super) fn check_rust_field_names(&mut self, spec: &ModelSpec, columns: &[Column]) {
        for c in columns
            .iter()
            .filter(|c| rust_names::PRELUDE_VARIANTS.contains(&c.name.as_str()))
        {
            let path = column_path(&spec.name, c);
            self.error(
                Diagnostic::new(
                    ErrorKind::BadName,
                    path,
                    format!(
                        "field name `{}` is the Rust prelude's enum variant, so it cannot name a parameter of the generated `{}::new`",
                        c.name,
                        rust_names::insert_struct_name(&spec.name)
                    ),
                )
                .at_key()
                .help(format!("rename the field, e.g. `{}_`", c.name.to_lowercase())),
            );
        }
    }

    /// Rejects `xmin: int`: PostgreSQL gives every table system columns of these names.
    pub(super) fn check_system_columns(&mut self, spec: &ModelSpec, columns: &[Column]) {
        const POSTGRES_SYSTEM_COLUMNS: [&str; 6] = ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"];
        for c in columns
            .iter()
            .filter(|c| POSTGRES_SYSTEM_COLUMNS.contains(&c.name.as_str()))
        {
            let path = column_path(&spec.name, c);
            self.error(
                Diagnostic::new(
                    ErrorKind::BadName,
                    path,
                    format!(
                        "column name `{}` is taken: PostgreSQL gives every table a system column of that name",
                        c.name
                    ),
                )
                .at_key()
                .help("rename the field"),
            );
        }
    }

    /// Rejects models whose generated Rust names clash: `Foo` next to `FOO` (both the
    /// struct `Foo`), `NewFoo` next to `Foo` (whose new-row struct is `NewFoo`), `名前`
    /// (module and struct alike, as the script has no case), `__` (no name at all) and
    /// `string` (a struct `String` would hide Rust's own in the generated code).
    pub(super) fn check_rust_names(&mut self, spec: &Spec, models: &[Model]) {
        // Modules and structs share one namespace in the generated `mod.rs`.
        let mut seen: HashMap<String, (&str, &str)> = HashMap::new();
        // With queries, mod.rs also holds a `queries` module and a patch struct per model.
        let queries = spec.output.rust.as_ref().is_some_and(|r| r.queries);
        // Join tables are not written in the spec: their errors point at `models`.
        let written: HashSet<&str> = spec.models.iter().map(|m| m.name.as_str()).collect();
        for model in models {
            let mut items = vec![
                ("module", rust_names::module_name(&model.name)),
                ("struct", rust_names::struct_name(&model.name)),
            ];
            if model.kind == ModelKind::Entity {
                items.push(("struct", rust_names::insert_struct_name(&model.name)));
                if queries {
                    items.push(("struct", rust_names::patch_struct_name(&model.name)));
                }
            }
            for (what, item) in items {
                let (kind, problem) = if let Err(reason) = crate::check_identifier(&item) {
                    let message = format!(
                        "model `{}` would be the Rust {what} `{item}`, a name that {reason}",
                        model.name
                    );
                    (ErrorKind::BadName, Some(message))
                } else if what == "module" && item.len() + ".rs".len() > MAX_FILE_NAME_BYTES {
                    let message = format!(
                        "model `{}` would be the Rust module file `{}…rs`, {} bytes long, longer than the {MAX_FILE_NAME_BYTES} bytes a file name may have",
                        model.name.chars().take(20).collect::<String>(),
                        item.chars().take(20).collect::<String>(),
                        item.len() + ".rs".len()
                    );
                    (ErrorKind::BadName, Some(message))
                } else if what == "module" && queries && item == rust_names::QUERIES_MODULE {
                    let message = format!(
                        "model `{}` would be the Rust module `queries`, which `mod.rs` keeps for the generated queries",
                        model.name
                    );
                    (ErrorKind::BadName, Some(message))
                } else if what == "module" && item == rust_names::MOD_FILE_STEM {
                    let message = format!(
                        "model `{}` would be the Rust module `mod`, whose file `mod.rs` is the one listing the modules",
                        model.name
                    );
                    (ErrorKind::BadName, Some(message))
                } else if what == "struct" && rust_names::PRELUDE_TYPES.contains(&item.as_str()) {
                    let message = format!(
                        "model `{}` would be the Rust struct `{item}`, which would hide Rust's own `{item}` from the generated code",
                        model.name
                    );
                    (ErrorKind::BadName, Some(message))
                } else {
                    let problem = match seen.get(&item) {
                        Some((first, first_what)) if *first == model.name => Some(format!(
                            "model `{first}` would be both the Rust {first_what} and the {what} `{item}`"
                        )),
                        Some((first, first_what)) => Some(format!(
                            "models `{first}` and `{}` would both be the Rust {} `{item}`",
                            model.name,
                            if *first_what == what {
                                what.to_owned()
                            } else {
                                format!("{first_what} and {what}")
                            }
                        )),
                        None => {
                            seen.insert(item.clone(), (model.name.as_str(), what));
                            None
                        }
                    };
                    (ErrorKind::DuplicateName, problem)
                };
                if let Some(message) = problem {
                    let path = match written.contains(model.name.as_str()) {
                        true => model_path(&model.name),
                        false => Path::root().key("models"),
                    };
                    self.error(
                        Diagnostic::new(kind, path, message)
                            .at_key()
                            .help("rename the model: its struct is the name in UpperCamelCase (and `New…` for new rows), its module the name in snake_case"),
                    );
                    break;
                }
            }
        }
        self.check_enum_names(models, &seen);
    }

    /// An enum is a Rust type beside the models' structs in `mod.rs`, in a module of its
    /// own, and a Python class beside theirs: its name must be free.
    fn check_enum_names(&mut self, models: &[Model], taken: &HashMap<String, (&str, &str)>) {
        let mut done: HashSet<&str> = HashSet::new();
        for model in models {
            for c in &model.columns {
                let modelgen_ir::LogicalType::Enum(e) = &c.ty else {
                    continue;
                };
                if !done.insert(e.name.as_str()) {
                    continue;
                }
                let problem = if let Some((first, what)) = taken.get(&e.name) {
                    Some(format!(
                        "enum `{}` would share its Rust name with model `{first}`'s {what}",
                        e.name
                    ))
                } else if rust_names::PRELUDE_TYPES.contains(&e.name.as_str()) {
                    Some(format!(
                        "enum `{}` would hide Rust's own `{}` from the generated code",
                        e.name, e.name
                    ))
                } else {
                    taken.get(rust_names::ENUMS_MODULE).map(|(first, _)| {
                        format!(
                            "model `{first}` would be the Rust module `{}`, which `mod.rs` keeps for the enums",
                            rust_names::ENUMS_MODULE
                        )
                    })
                };
                if let Some(message) = problem {
                    self.error(
                        Diagnostic::new(ErrorKind::DuplicateName, column_path(&model.name, c), message).help(
                            "rename the enum (or the model); an inline `enum(…)` is named after its model and field",
                        ),
                    );
                }
            }
        }
    }
}

impl Lower<'_> {
    /// Names the generated sqlx code cannot take: a struct `R` (sqlx's `FromRow` derive names
    /// its own type parameter `R`), and, with `queries`, a key or unique column named like
    /// a query's own parameters `executor` and `patch`, which it would sit beside.
    pub(super) fn check_sqlx_names(&mut self, spec: &Spec, models: &[Model]) {
        let Some(rust) = spec.output.rust.as_ref().filter(|r| r.sqlx) else {
            return;
        };
        let written: HashSet<&str> = spec.models.iter().map(|m| m.name.as_str()).collect();
        for model in models.iter().filter(|m| written.contains(m.name.as_str())) {
            if rust_names::struct_name(&model.name) == "R" {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadName,
                        model_path(&model.name),
                        format!(
                            "model `{}` would be the Rust struct `R`, for which sqlx's `FromRow` derive cannot be implemented (it names its own type parameter `R`)",
                            model.name
                        ),
                    )
                    .at_key()
                    .help("rename the model"),
                );
            }
            if !rust.queries {
                continue;
            }
            // The columns of the lookups the queries back end makes.
            let params = model
                .primary_key
                .iter()
                .chain(model.uniques.iter().flat_map(|u| &u.columns))
                .map(String::as_str)
                .chain(
                    model
                        .indexes
                        .iter()
                        .filter(|i| i.unique && i.predicate.is_none())
                        .filter_map(|i| i.plain_columns())
                        .flatten(),
                );
            let mut seen = HashSet::new();
            for column in params.filter(|c| QUERY_PARAMS.contains(c) && seen.insert(*c)) {
                let Some(c) = model.column(column) else { continue };
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadName,
                        column_path(&model.name, c),
                        format!(
                            "`{}.{column}` is a key or unique column, so the generated queries take it as a parameter beside their own `{column}`",
                            model.name
                        ),
                    )
                    .at_key()
                    .help("rename the field, or leave `queries` off"),
                );
            }
        }
    }
}

/// The parameters the generated queries name themselves (`output.rust.queries`).
const QUERY_PARAMS: &[&str] = &["executor", "patch"];
