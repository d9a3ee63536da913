//! Every file in `templates/` is embedded and registered, and nothing registered is missing.

use std::path::Path;

/// The `*.jinja` files of a directory, by name, sorted.
fn jinja_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".jinja"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_template_file_is_registered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    let sets = [
        (root.clone(), modelgen_emit::BUILTIN_TEMPLATES),
        (root.join("sqlalchemy"), modelgen_emit::BUILTIN_SQLALCHEMY_TEMPLATES),
    ];
    for (dir, builtin) in sets {
        let mut registered: Vec<String> = builtin.iter().map(|(n, _)| n.to_string()).collect();
        registered.sort();
        assert_eq!(
            jinja_files(&dir),
            registered,
            "{} and the embedded templates disagree",
            dir.display()
        );
        for (name, source) in builtin {
            assert_eq!(
                std::fs::read_to_string(dir.join(name)).unwrap(),
                *source,
                "{name} is embedded stale"
            );
        }
    }
}

#[test]
fn sqlalchemy_templates_are_overridden_by_name_apart_from_the_rust_ones() {
    let templates = modelgen_emit::Templates::default()
        .with_sqlalchemy_overrides(vec![(
            "models.py.jinja".into(),
            "{% for m in module.models %}{{ m.class_name }}={{ m.table }}\n{% endfor %}".into(),
        )])
        .unwrap();
    let text = "output: {python: {file: m.py}, rust: {dir: r}}\nmodels:\n  A: {fields: {id: int pk}}\n";
    let project = modelgen_spec::load_project(text, "t.yaml").unwrap();
    let files = modelgen_emit::generate(
        &project.schema,
        &project.output,
        "t.yaml",
        &templates,
        &Default::default(),
        &Default::default(),
    )
    .unwrap()
    .files;
    let python = files.iter().find(|f| f.path == "m.py").unwrap();
    assert!(python
        .contents
        .lines()
        .next()
        .unwrap()
        .contains(modelgen_emit::GENERATED_MARKER));
    assert_eq!(python.contents.lines().nth(1), Some("A=\"a\""));
    // The Rust models still come from the built-in templates.
    assert!(files
        .iter()
        .any(|f| f.path == "r/a.rs" && f.contents.contains("pub struct A")));
    let err = modelgen_emit::Templates::default()
        .with_sqlalchemy_overrides(vec![("model.rs.jinja".into(), String::new())])
        .unwrap_err();
    assert!(err.contains("templates are models.py.jinja"), "{err}");
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
