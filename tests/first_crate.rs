//! A new user's first hour: `modelgen init` in a fresh crate, `modelgen build` says which
//! dependencies the generated Rust needs, and with exactly those the crate compiles.

use modelgen_tests::{workspace_root, Project};
use std::process::Command;

const MANIFEST: &str =
    "[package]\nname = \"first\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n";

#[test]
fn the_starter_compiles_with_the_dependencies_build_names() {
    let p = Project::new();
    p.write("Cargo.toml", format!("{MANIFEST}\n[workspace]\n"));
    p.write("src/main.rs", "mod models;\n\nfn main() {}\n");
    assert_eq!(p.run(&["init"]).code, 0);
    let build = p.run(&["build"]);
    assert_eq!(build.code, 0, "{build:?}");
    let (_, advice) = build
        .stderr
        .split_once("lacks what the generated Rust uses; under [dependencies], add or change:\n")
        .unwrap_or_else(|| panic!("{build:?}"));
    let lines: Vec<&str> = advice.lines().filter_map(|l| l.strip_prefix("  ")).collect();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        lines,
        [
            format!("modelgen = \"{version}\"").as_str(),
            "serde = { version = \"1\", features = [\"derive\"] }",
            "chrono = { version = \"0.4\", features = [\"serde\", \"clock\"] }",
        ]
    );
    // The lines as given, but modelgen from this workspace rather than crates.io.
    let modelgen = workspace_root().join("crates/modelgen");
    let deps: Vec<String> = lines
        .iter()
        .map(|l| match l.starts_with("modelgen =") {
            true => format!("modelgen = {{ path = {modelgen:?} }}"),
            false => (*l).to_owned(),
        })
        .collect();
    p.write("Cargo.toml", format!("{MANIFEST}{}\n\n[workspace]\n", deps.join("\n")));
    let again = p.run(&["build"]);
    assert!(!again.stderr.contains("lacks"), "{again:?}");
    std::fs::copy(workspace_root().join("Cargo.lock"), p.path().join("Cargo.lock")).unwrap();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace_root().join("target"), std::path::PathBuf::from);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(p.path())
        .env("CARGO_TARGET_DIR", target.join("first-crate"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// chrono without its default features lacks the clock a `now` default reads.
#[test]
fn a_missing_feature_is_named() {
    let p = Project::new();
    p.write(
        "Cargo.toml",
        format!(
            "{MANIFEST}modelgen = \"0.1\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nchrono = {{ version = \"0.4\", default-features = false, features = [\"serde\"] }}\n\n[workspace]\n"
        ),
    );
    assert_eq!(p.run(&["init"]).code, 0);
    let build = p.run(&["build"]);
    assert!(
        build.stderr.ends_with(
            "lacks what the generated Rust uses; under [dependencies], add or change:\n  chrono = { version = \"0.4\", features = [\"serde\", \"clock\"] }\n"
        ),
        "{build:?}"
    );
}

/// The reference crate lists what its generated code uses: the root spec's build names
/// nothing (its Cargo.toml has no serde_json and no modelgen driver feature, which that
/// code does not use).
#[test]
fn the_reference_crate_lacks_nothing() {
    let p = Project::new();
    let root = workspace_root();
    p.write(
        "models.yaml",
        std::fs::read_to_string(root.join("models.yaml")).unwrap(),
    );
    p.write(
        "examples/reference/Cargo.toml",
        std::fs::read_to_string(root.join("examples/reference/Cargo.toml")).unwrap(),
    );
    let build = p.run(&["build"]);
    assert_eq!(build.code, 0, "{build:?}");
    assert!(!build.stderr.contains("lacks"), "{build:?}");
    // And one dependency taken away is named.
    let manifest = std::fs::read_to_string(root.join("examples/reference/Cargo.toml")).unwrap();
    let without_chrono: String = manifest
        .lines()
        .filter(|l| !l.starts_with("chrono"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.write("examples/reference/Cargo.toml", without_chrono);
    p.write(
        "models.yaml",
        std::fs::read_to_string(root.join("models.yaml")).unwrap() + "\n",
    );
    let build = p.run(&["build"]);
    assert!(
        build
            .stderr
            .contains("\n  chrono = { version = \"0.4\", features = [\"serde\", \"clock\"] }"),
        "{build:?}"
    );
}
