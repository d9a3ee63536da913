//! Data-driven spec cases: every `specs/ok/*.yaml` lowers to the IR snapshotted beside it,
//! every `specs/err/*.yaml` fails with the diagnostics snapshotted beside it, and the
//! root `models.yaml` lowers to the reference IR.

use modelgen_ir::Dialect;
use modelgen_tests::{fits, load_spec, workspace_root};

#[test]
fn ok_specs_lower_to_their_ir() {
    insta::glob!("specs/ok/*.yaml", |path| {
        let schema = load_spec(path).unwrap_or_else(|report| panic!("{} should be valid:\n{report}", path.display()));
        insta::assert_yaml_snapshot!("ir", schema);
        insta::assert_snapshot!("rust", rust_files(&schema));
        insta::assert_snapshot!("python", python_module(&schema));
        for dialect in Dialect::ALL.into_iter().filter(|&d| fits(&schema, d)) {
            let sql = format!(
                "{}\n-- down\n{}",
                modelgen_sql::create_script(&schema, dialect),
                modelgen_sql::drop_script(&schema, dialect)
            );
            insta::assert_snapshot!(format!("sql_{}", dialect.name()), sql);
        }
    });
}

#[test]
fn err_specs_report_their_diagnostics() {
    insta::glob!("specs/err/*.yaml", |path| {
        let report = match load_spec(path) {
            Ok(_) => panic!("{} should be rejected", path.display()),
            Err(report) => report,
        };
        insta::assert_snapshot!("diagnostics", report);
    });
}

#[test]
fn reference_models_yaml_lowers_to_the_seed_schema() {
    let schema = load_spec(&workspace_root().join("models.yaml")).unwrap();
    insta::assert_yaml_snapshot!("reference_ir", schema);
    for dialect in Dialect::ALL {
        let sql = format!(
            "{}\n-- down\n{}",
            modelgen_sql::create_script(&schema, dialect),
            modelgen_sql::drop_script(&schema, dialect)
        );
        insta::assert_snapshot!(format!("reference_sql_{}", dialect.name()), sql);
    }
}

/// Every Rust file generated for a schema (serde and sqlx derives on), one after another.
fn rust_files(schema: &modelgen_ir::Schema) -> String {
    let output = modelgen_ir::config::Output {
        rust: Some(modelgen_ir::config::RustOutput {
            dir: "models".into(),
            serde: true,
            sqlx: true,
            queries: false,
            templates: None,
        }),
        python: None,
        migrations: modelgen_ir::config::Migrations {
            dialects: Vec::new(),
            ..Default::default()
        },
    };
    let files = modelgen_emit::generate(
        schema,
        &output,
        "spec.yaml",
        &Default::default(),
        &Default::default(),
        &Default::default(),
    )
    .unwrap()
    .files;
    files
        .iter()
        .map(|f| format!("==> {} <==\n{}\n", f.path, f.contents))
        .collect()
}

/// The SQLAlchemy module for all three dialects, so every construct shows; or why
/// there is none.
fn python_module(schema: &modelgen_ir::Schema) -> String {
    let output = modelgen_ir::config::Output {
        rust: None,
        python: Some(modelgen_ir::config::PythonOutput {
            file: "models.py".into(),
            templates: None,
        }),
        migrations: modelgen_ir::config::Migrations {
            dialects: Dialect::ALL.into_iter().filter(|&d| fits(schema, d)).collect(),
            ..Default::default()
        },
    };
    let generated = modelgen_emit::generate(
        schema,
        &output,
        "spec.yaml",
        &Default::default(),
        &Default::default(),
        &Default::default(),
    );
    match generated {
        Ok(g) => g.files.into_iter().find(|f| f.path == "models.py").unwrap().contents,
        Err(e) => format!("error: {e}\n"),
    }
}

/// A snapshot whose spec file was renamed or deleted would otherwise linger unchecked.
#[test]
fn every_spec_case_snapshot_has_its_spec() {
    let root = workspace_root().join("tests");
    for entry in std::fs::read_dir(root.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let case = [
            ("spec_cases__ir@", "ok"),
            ("spec_cases__rust@", "ok"),
            ("spec_cases__python@", "ok"),
            ("spec_cases__sql_sqlite@", "ok"),
            ("spec_cases__sql_postgres@", "ok"),
            ("spec_cases__sql_mysql@", "ok"),
            ("spec_cases__diagnostics@", "err"),
        ]
        .into_iter()
        .find_map(|(prefix, dir)| Some((dir, name.strip_prefix(prefix)?.strip_suffix(".snap")?.to_owned())));
        if let Some((dir, file)) = case {
            assert!(
                root.join("specs").join(dir).join(&file).exists(),
                "orphaned snapshot {name}: specs/{dir}/{file} is gone"
            );
        }
    }
}
