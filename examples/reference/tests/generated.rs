//! The checked-in generated code is what `modelgen build` makes of the root `models.yaml`
//! today, and the derive on it yields the very SQL the CLI writes from the YAML.

use modelgen::{Dialect, Model};
use modelgen_reference::models::{ApiKey, Role, User, UserRoles};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn project() -> modelgen_spec::Project {
    let text = std::fs::read_to_string(root().join("models.yaml")).unwrap();
    modelgen_spec::load_project(&text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

#[test]
fn checked_in_files_are_fresh() {
    let project = project();
    let dir = root().join("examples/reference/migrations");
    let snapshot = std::fs::read_to_string(dir.join(modelgen_emit::SNAPSHOT_FILE)).unwrap();
    let mut files = Vec::new();
    for dialect in Dialect::ALL {
        for entry in std::fs::read_dir(dir.join(dialect.name())).unwrap() {
            let path = entry.unwrap().path();
            files.push(modelgen_emit::MigrationFile {
                path: format!("{}/{}", dialect.name(), path.file_name().unwrap().to_string_lossy()),
                contents: std::fs::read(&path).unwrap(),
            });
        }
    }
    let history = modelgen_emit::History {
        snapshot: Some(modelgen_emit::parse_snapshot(&snapshot).unwrap()),
        files,
    };
    let generated = modelgen_emit::generate(
        &project.schema,
        &project.output,
        "models.yaml",
        &Default::default(),
        &history,
        &Default::default(),
    )
    .unwrap();
    assert!(
        generated.migration.is_none(),
        "models.yaml has changes no migration covers; run `cargo run -- build`"
    );
    let files = generated.files;
    let stale: Vec<&str> = files
        .iter()
        .filter(|f| std::fs::read_to_string(root().join(&f.path)).ok().as_deref() != Some(f.contents.as_str()))
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}; run `cargo run -- build` at the repository root"
    );
}

#[test]
fn the_derive_on_generated_structs_emits_the_clis_sql() {
    let schema = project().schema;
    for dialect in Dialect::ALL {
        let per_model = [
            ("User", User::create_sql(dialect)),
            ("ApiKey", ApiKey::create_sql(dialect)),
            ("Role", Role::create_sql(dialect)),
            ("user_roles", UserRoles::create_sql(dialect)),
        ];
        for (name, sql) in per_model {
            let from_yaml = modelgen_sql::create_table_sql(schema.model(name).unwrap(), dialect);
            assert_eq!(sql, from_yaml, "{name} on {}", dialect.name());
        }
        let derived = [User::model(), ApiKey::model(), Role::model(), UserRoles::model()];
        let script = modelgen::create_script(&derived, dialect);
        assert_eq!(
            script,
            modelgen_sql::create_script(&schema, dialect),
            "{}",
            dialect.name()
        );
        let migration = root().join(format!(
            "examples/reference/migrations/{}/0001_initial.up.sql",
            dialect.name()
        ));
        let body: String = std::fs::read_to_string(migration)
            .unwrap()
            .lines()
            .skip_while(|l| l.starts_with("--") || l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let derived_schema = modelgen_ir_schema(&derived);
        let (initial, _) = modelgen_migrate::initial(&derived_schema, dialect);
        assert_eq!(body, initial.sql, "the {} migration", dialect.name());
        assert_eq!(
            modelgen::drop_script(&derived, dialect),
            modelgen_sql::drop_script(&schema, dialect)
        );
    }
}

/// The schema of derived models, as `modelgen::create_script` reads them.
fn modelgen_ir_schema(models: &[&modelgen::ir::Model]) -> modelgen::ir::Schema {
    modelgen::ir::Schema {
        models: models.iter().map(|&m| m.clone()).collect(),
    }
}
