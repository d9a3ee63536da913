//! The Rust generated for every `tests/specs/ok` case (hostile names included), with
//! sqlx and the queries of the three dialects, compiles and passes clippy with
//! `-D warnings`: all cases go into one scratch crate, one module each, checked with the
//! cargo running the tests; its `New…::new` builds every kind of default the spec
//! accepts without a panic; and its derived models' partial and expression indexes, as
//! the expanded `Model::model()` builds them, are the YAML's.

use modelgen_tests::workspace_root;

#[test]
fn generated_rust_for_every_ok_spec_compiles_cleanly() {
    let root = workspace_root();
    let krate = tempfile::tempdir().unwrap();
    let src = krate.path().join("src");
    // Private modules, as in a binary crate: what the crate does not use must not warn.
    let mut lib = String::from("//! Generated models of every ok spec case.\n");
    let mut dir: Vec<_> = std::fs::read_dir(root.join("tests/specs/ok"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dir.sort();
    // What each derived model of these cases must say its indexes are, from the YAML.
    let mut indexes = Vec::new();
    for spec in dir.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        let schema = modelgen_tests::load_spec(spec).unwrap();
        let module = spec.file_stem().unwrap().to_str().unwrap().to_owned();
        if ["partial_indexes", "expression_indexes"].contains(&module.as_str()) {
            for m in &schema.models {
                let json = serde_json::to_string(&m.indexes).unwrap();
                indexes.push(format!(
                    "        assert_eq!(serde_json::to_string(&<super::{module}::{} as modelgen::Model>::model().indexes).unwrap(), {json:?});\n",
                    m.name
                ));
            }
        }
        modelgen_tests::write_generated_rust(&src, &module, &schema, "spec.yaml").unwrap();
        lib.push_str(&format!("mod {module};\n"));
    }
    // Every default of every kind the spec accepts, built by the generated code.
    lib.push_str(
        "\n#[cfg(test)]\nmod run {\n    #[test]\n    fn every_kind_of_default_builds_a_new_row() {\n        let row = super::all_types::NewSample::new();\n        assert_eq!(row.born_on.to_string(), \"2000-01-01\");\n        let (a, b) = (super::app_defaults::NewDevice::new(), super::app_defaults::NewDevice::new());\n        assert_ne!(a.id, b.id, \"uuid4 makes a new UUID per row\");\n        assert_eq!(a.id.get_version_num(), 4);\n    }\n}\n",
    );
    // The derive's metadata of the generated structs carries the spec's comments, so the
    // SQL it makes is the migrations'.
    lib.push_str(
        r#"
#[cfg(test)]
mod comments_run {
    use modelgen::Model as _;

    #[test]
    fn the_derived_metadata_carries_the_comments() {
        let note = super::comments::Note::model();
        assert_eq!(
            note.comment.as_deref(),
            Some("Notes: it's a 'quoted' \\ backslash, ünïcode and 中文 (50% -- /* not SQL */).")
        );
        let comment = |name: &str| note.columns.iter().find(|c| c.name == name).unwrap().comment.as_deref();
        assert_eq!(comment("body"), Some("Two lines,\nthe second with a tab:\there."));
        assert_eq!(comment("changed_by"), Some("Who changed the row last."));
        assert_eq!(comment("plain"), None);
    }
}
"#,
    );
    // The derive's IR of partial and expression indexes, built by the expanded code.
    lib.push_str(&format!(
        "\n#[cfg(test)]\nmod derived_indexes {{\n    #[test]\n    fn partial_and_expression_indexes_are_the_specs() {{\n{}    }}\n}}\n",
        indexes.concat()
    ));
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    if let Err(stderr) = modelgen_tests::clippy_scratch_crate(krate.path()) {
        panic!("generated code does not build cleanly:\n{stderr}");
    }
    if let Err(stderr) = modelgen_tests::test_scratch_crate(krate.path()) {
        panic!("generated code does not run:\n{stderr}");
    }
}
