//! Data-driven spec cases: every `specs/ok/*.yaml` lowers to the IR snapshotted beside it,
//! every `specs/err/*.yaml` fails with the diagnostics snapshotted beside it, and the
//! root `models.yaml` lowers to the reference IR.

use modelgen_tests::{load_spec, workspace_root};

#[test]
fn ok_specs_lower_to_their_ir() {
    insta::glob!("specs/ok/*.yaml", |path| {
        let schema = load_spec(path).unwrap_or_else(|report| panic!("{} should be valid:\n{report}", path.display()));
        insta::assert_yaml_snapshot!("ir", schema);
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
}
