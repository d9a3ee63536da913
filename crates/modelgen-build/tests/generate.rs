//! `Config::generate` against specs in a temporary directory.

use std::fs;

const VALID: &str = "models:
  Author:
    table: authors
    fields:
      id: int pk autoincrement
      name: str(100)
";

#[test]
fn invalid_spec_reports_rendered_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.yaml");
    fs::write(
        &spec,
        "models:\n  Author:\n    fields:\n      id: int pk\n      name: strng\n",
    )
    .unwrap();
    let err = modelgen_build::Config::new()
        .spec(&spec)
        .out_dir(dir.path().join("out"))
        .generate()
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, modelgen_build::Error::Spec(_)), "{text}");
    assert!(text.contains("broken.yaml"), "{text}");
    assert!(text.contains("unknown type"), "{text}");
    assert!(!text.contains('\x1b'), "diagnostics must be plain: {text}");
    // `main() -> Result<_, Error>` prints `Debug`: the same readable text.
    assert!(format!("{err:?}").contains("unknown type"));
}

#[test]
fn writes_models_and_entry_file_only_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("models.yaml");
    fs::write(&spec, VALID).unwrap();
    let out = dir.path().join("out");
    let config = {
        let mut c = modelgen_build::Config::new();
        c.spec(&spec).out_dir(&out);
        c
    };
    config.generate().unwrap();
    let model = out.join("models/author.rs");
    let entry = fs::read_to_string(out.join("models.rs")).unwrap();
    assert!(
        entry.contains(&format!("{:?}", out.join("models/mod.rs").to_string_lossy())),
        "{entry}"
    );
    assert!(fs::read_to_string(out.join("models/mod.rs"))
        .unwrap()
        .contains("mod author;"));
    let generated = fs::read_to_string(&model).unwrap();
    assert!(generated.contains("pub struct Author"), "{generated}");
    assert!(
        !generated.contains("serde"),
        "serde is off unless the spec asks: {generated}"
    );

    // An unchanged spec leaves the files untouched.
    let before = fs::metadata(&model).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    config.generate().unwrap();
    assert_eq!(fs::metadata(&model).unwrap().modified().unwrap(), before);

    // A model removed from the spec loses its module; a file modelgen did not write stays.
    let helpers = out.join("models/helpers.rs");
    fs::write(&helpers, "// mine\n").unwrap();
    fs::write(&spec, VALID.replace("Author", "Writer").replace("authors", "writers")).unwrap();
    config.generate().unwrap();
    assert!(!model.exists());
    assert_eq!(fs::read_to_string(&helpers).unwrap(), "// mine\n");
    assert!(out.join("models/writer.rs").exists());
    assert!(!out.join("migrations").exists(), "no migrations are generated");
}

#[test]
fn template_overrides_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("models.yaml");
    fs::write(&spec, VALID).unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    let builtin = modelgen_emit::BUILTIN_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "mod.rs.jinja")
        .unwrap()
        .1;
    fs::write(templates.join("mod.rs.jinja"), format!("// custom mod.rs\n{builtin}")).unwrap();
    let out = dir.path().join("out");
    modelgen_build::Config::new()
        .spec(&spec)
        .out_dir(&out)
        .templates(&templates)
        .generate()
        .unwrap();
    let mod_rs = fs::read_to_string(out.join("models/mod.rs")).unwrap();
    assert!(mod_rs.contains("mod author;"), "{mod_rs}");
}

#[test]
fn unknown_template_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("models.yaml");
    fs::write(&spec, VALID).unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(templates.join("modle.rs.jinja"), "").unwrap();
    let err = modelgen_build::Config::new()
        .spec(&spec)
        .out_dir(dir.path().join("out"))
        .templates(&templates)
        .generate()
        .unwrap_err();
    assert!(err.to_string().contains("modle.rs.jinja"), "{err}");
}
