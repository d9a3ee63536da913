//! The `modelgen` binary run as a subprocess in a temp dir: exit codes, output, and the
//! file tree it leaves.

use modelgen_tests::{workspace_root, Project};

fn reference_spec() -> String {
    std::fs::read_to_string(workspace_root().join("models.yaml")).unwrap()
}

const BROKEN: &str = "models:\n  User:\n    fields:\n      id: int pk\n      email: strng(255)\n";

#[test]
fn check_accepts_the_reference_spec() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "models.yaml: ok (3 models, 1 join tables)\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_reports_every_error_with_location_and_exits_1() {
    let p = Project::new();
    p.write(
        "spec/models.yaml",
        BROKEN.replace("id: int pk", "id: int pk\n      age: integr"),
    );
    let run = p.run(&["check", "--spec", "spec/models.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("check_errors", run.stderr);
}

#[test]
fn diagnostics_are_plain_when_not_a_terminal_and_never_colored_with_no_color() {
    let p = Project::new();
    p.write("models.yaml", BROKEN);
    let run = p.run(&["check"]);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "escape codes in piped output: {:?}",
        run.stderr
    );
    let out = std::process::Command::new(modelgen_tests::modelgen_bin())
        .arg("check")
        .current_dir(p.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[test]
fn missing_spec_is_an_io_error_exit_2() {
    let p = Project::new();
    let run = p.run(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("error: cannot read models.yaml: "),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let p = Project::new();
    assert_eq!(p.run(&["frobnicate"]).code, 2);
    assert_eq!(p.run(&["inspect", "--format", "toml"]).code, 2);
}

#[test]
fn help_shows_an_example_per_command() {
    let p = Project::new();
    for cmd in ["build", "check", "inspect"] {
        let run = p.run(&[cmd, "--help"]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("Example:\n  modelgen "),
            "{cmd} --help lacks an example:\n{}",
            run.stdout
        );
    }
}

#[test]
fn inspect_prints_the_resolved_ir_as_json_and_yaml() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let json = p.run(&["inspect"]);
    assert_eq!(json.code, 0, "{json:?}");
    let from_json: modelgen_ir::Schema = serde_json_from(&json.stdout);
    let yaml = p.run(&["inspect", "--format", "yaml"]);
    let from_yaml: modelgen_ir::Schema = serde_yaml::from_str(&yaml.stdout).unwrap();
    assert_eq!(from_json, from_yaml);
    let tables: Vec<_> = from_json.models.iter().map(|m| m.table.as_str()).collect();
    assert_eq!(tables, ["users", "api_keys", "roles", "user_roles"]);
}

fn serde_json_from(text: &str) -> modelgen_ir::Schema {
    serde_json::from_str(text).unwrap()
}

#[test]
fn build_validates_and_leaves_the_tree_alone_while_no_outputs_exist() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(p.tree(), ["models.yaml"]);
    let check = p.run(&["build", "--check"]);
    assert_eq!(check.code, 0, "{check:?}");
}

#[test]
fn build_refuses_an_invalid_spec_and_writes_nothing() {
    let p = Project::new();
    p.write("models.yaml", BROKEN);
    let run = p.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[unknown-type]: unknown type `strng`"),
        "{}",
        run.stderr
    );
    assert_eq!(p.tree(), ["models.yaml"]);
}

#[test]
fn hostile_inputs_end_in_a_clear_error_not_a_crash() {
    let p = Project::new();
    p.write("garbage.yaml", (0..=255u8).cycle().take(4096).collect::<Vec<_>>());
    p.write("deep.yaml", format!("models: {}", "[".repeat(10_000)));
    p.write(
        "bomb.yaml",
        workspace_root()
            .join("tests/specs/err/alias_bomb.yaml")
            .to_str()
            .map(std::fs::read)
            .unwrap()
            .unwrap(),
    );
    for (file, expect) in [
        ("garbage.yaml", "not valid UTF-8"),
        ("deep.yaml", "nests too deeply"),
        ("bomb.yaml", "expands too far through aliases"),
    ] {
        let run = p.run(&["check", "--spec", file]);
        assert_eq!(run.code, 1, "{file}: {run:?}");
        assert!(run.stderr.contains(expect), "{file}: {}", run.stderr);
    }
}

#[test]
fn a_huge_spec_is_refused_before_it_is_read() {
    let p = Project::new();
    let big = p.path().join("big.yaml");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(50 << 20).unwrap();
    let run = p.run(&["check", "--spec", "big.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("modelgen reads specs up to 64 MiB")
            || run.stderr.contains("not valid UTF-8")
            || run.stderr.contains("invalid YAML"),
        "{}",
        run.stderr
    );
}
