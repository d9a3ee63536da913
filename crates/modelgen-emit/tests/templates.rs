//! Every file in `templates/` is embedded and registered, and nothing registered is missing.

use std::path::Path;

#[test]
fn every_template_file_is_registered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".jinja"))
        .collect();
    on_disk.sort();
    let mut registered: Vec<String> = modelgen_emit::BUILTIN_TEMPLATES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    registered.sort();
    assert_eq!(
        on_disk, registered,
        "templates/ and modelgen_emit::BUILTIN_TEMPLATES disagree"
    );
    for (name, source) in modelgen_emit::BUILTIN_TEMPLATES {
        assert_eq!(
            std::fs::read_to_string(dir.join(name)).unwrap(),
            *source,
            "{name} is embedded stale"
        );
    }
}

#[test]
fn an_override_with_an_unknown_name_is_refused() {
    let err = modelgen_emit::Templates::with_overrides(vec![("modle.rs.jinja".into(), String::new())]).unwrap_err();
    assert!(err.contains("no built-in template is named `modle.rs.jinja`"), "{err}");
}

#[test]
fn a_template_using_an_undefined_variable_fails_instead_of_printing_nothing() {
    let templates =
        modelgen_emit::Templates::with_overrides(vec![("mod.rs.jinja".into(), "mod {{ modules_typo }};".into())])
            .unwrap();
    let text = "output: {rust: {dir: m}}\nmodels:\n  A: {fields: {id: int pk}}\n";
    let project = modelgen_spec::load_project(text, "t.yaml").unwrap();
    let err = modelgen_emit::generate(
        &project.schema,
        &project.output,
        "t.yaml",
        &templates,
        &Default::default(),
        &Default::default(),
    )
    .unwrap_err();
    assert!(err.contains("modules_typo") || err.contains("undefined"), "{err}");
}
