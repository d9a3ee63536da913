//! The CLI's tools around the main job, run as a subprocess: `diagram` (snapshots, and
//! the README's and docs/schema.svg's freshness), `init`, `completions`, the global
//! `--quiet`/`--verbose` flags, and the diff `build --check` prints.

use modelgen_tests::{workspace_root, Project};
use std::io::Write;
use std::process::{Command, Stdio};

/// A spec file of the repository, as an absolute path the temp-dir project can name.
fn repo_spec(rel: &str) -> String {
    workspace_root().join(rel).to_str().unwrap().to_owned()
}

/// `modelgen diagram` of a repository spec, in one format; the run must succeed.
fn diagram(rel: &str, format: &str) -> String {
    let run = Project::new().run(&["diagram", "--spec", &repo_spec(rel), "--format", format]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    run.stdout
}

// --- 1. diagram -------------------------------------------------------------------------

#[test]
fn diagram_of_the_reference_spec_in_both_formats() {
    let mermaid = diagram("models.yaml", "mermaid");
    insta::assert_snapshot!("diagram_reference_mermaid", mermaid);
    insta::assert_snapshot!("diagram_reference_dot", diagram("models.yaml", "dot"));
    // Mermaid is the default.
    let run = Project::new().run(&["diagram", "--spec", &repo_spec("models.yaml")]);
    assert_eq!(run.stdout, mermaid);
}

#[test]
fn diagram_of_a_self_referential_spec_with_a_join_model() {
    let case = "tests/specs/ok/self_referential.yaml";
    insta::assert_snapshot!("diagram_self_referential_mermaid", diagram(case, "mermaid"));
    insta::assert_snapshot!("diagram_self_referential_dot", diagram(case, "dot"));
}

/// Enum columns show their enum's name (an inline one its own), `bool(check)` its spelling.
#[test]
fn diagram_of_enum_and_checked_bool_columns() {
    let case = "tests/specs/ok/bool_check.yaml";
    insta::assert_snapshot!("diagram_bool_check_mermaid", diagram(case, "mermaid"));
}

#[test]
fn diagram_is_deterministic_and_refuses_an_invalid_spec() {
    for format in ["mermaid", "dot"] {
        assert_eq!(diagram("models.yaml", format), diagram("models.yaml", format));
    }
    let p = Project::new();
    p.write("models.yaml", "models:\n  User:\n    fields:\n      id: strng pk\n");
    let run = p.run(&["diagram"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("unknown type `strng`"), "{}", run.stderr);
    assert_eq!(p.run(&["diagram", "--format", "plantuml"]).code, 2);
}

/// The body of the first ```mermaid block of a Markdown text, if it is closed.
fn mermaid_block(text: &str) -> Option<String> {
    let mut lines = text.split_inclusive('\n');
    lines.by_ref().find(|l| l.trim_end() == "```mermaid")?;
    let mut body = String::new();
    for line in lines {
        if line.trim_end() == "```" {
            return Some(body);
        }
        body.push_str(line);
    }
    None
}

#[test]
fn the_readme_shows_the_current_mermaid_diagram_of_models_yaml() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    assert_eq!(
        readme.matches("```mermaid").count(),
        1,
        "README.md needs exactly one mermaid block"
    );
    let shown = mermaid_block(&readme).expect("README.md has a closed ```mermaid block");
    assert!(
        shown == diagram("models.yaml", "mermaid"),
        "README.md's mermaid block is stale: replace its body with the output of `cargo run -q -- diagram`"
    );
}

/// Loud when Graphviz is missing, and a failure under CI=true, where .ci/install-db
/// installs it: a CI run that skips this check proves nothing.
fn dot_missing() {
    let msg = "SKIPPED: Graphviz `dot` not found, docs/schema.svg not checked; install graphviz (.ci/install-db)";
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    // Straight to the handle: libtest captures `eprintln!` of passing tests, hiding the skip.
    let _ = writeln!(std::io::stderr(), "{msg}");
}

#[test]
fn docs_schema_svg_is_the_current_dot_diagram_rendered_by_graphviz() {
    let dot = diagram("models.yaml", "dot");
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return dot_missing(),
        Err(e) => panic!("cannot run dot: {e}"),
    };
    child.stdin.take().unwrap().write_all(dot.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "dot warned about the diagram");
    let svg = String::from_utf8(out.stdout).unwrap();
    let checked_in = std::fs::read_to_string(workspace_root().join("docs/schema.svg")).unwrap_or_default();
    assert!(
        svg == checked_in,
        "docs/schema.svg is stale; run `cargo run -q -- diagram --format dot | dot -Tsvg > docs/schema.svg` \
         (with Debian 12's graphviz, as .ci/install-db installs it: other versions lay out differently)"
    );
}

// --- 2. init ----------------------------------------------------------------------------

#[test]
fn init_writes_a_starter_spec_that_checks_builds_and_draws() {
    let p = Project::new();
    let run = p.run(&["init"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "created models.yaml\nnext: edit the models, then run `modelgen check` and `modelgen build`\nthe Rust goes to src/models beside it: add `mod models;` to src/main.rs or src/lib.rs\n"
    );
    assert_eq!(p.tree(), ["models.yaml"]);
    let text = std::fs::read_to_string(p.path().join("models.yaml")).unwrap();
    let first = text.lines().next().unwrap();
    let url = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("the first line is not a yaml-language-server modeline: {first}"));
    assert!(
        url.starts_with("https://") && url.ends_with("/models.schema.json"),
        "{url}"
    );
    for model in [
        "  User:\n",
        "  ApiKey:\n",
        "mixins: [timestamps]",
        "one_to_many: ApiKey",
        "indexes:",
    ] {
        assert!(text.contains(model), "the starter lacks {model:?}");
    }

    let check = p.run(&["check"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, "models.yaml: ok (2 models, 0 join tables)\n"),
        "{check:?}"
    );
    let build = p.run(&["build"]);
    assert_eq!(build.code, 0, "{build:?}");
    assert!(p.path().join("migrations/sqlite/0001_initial.up.sql").exists());
    assert!(p.path().join("src/models/user.rs").exists(), "the starter writes Rust");
    let drawn = p.run(&["diagram"]);
    assert!(
        drawn.stdout.contains("\"users\" ||--o{ \"api_keys\" : \"user_id\""),
        "{}",
        drawn.stdout
    );
}

#[test]
fn init_never_overwrites_a_file() {
    let p = Project::new();
    p.write("models.yaml", "# mine\n");
    let run = p.run(&["init"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: models.yaml already exists; `modelgen init` never overwrites a file (pass another path, or remove it first)\n"
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("models.yaml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn init_takes_a_file_path_or_a_directory() {
    let p = Project::new();
    std::fs::create_dir(p.path().join("db")).unwrap();
    let run = p.run(&["init", "db"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("`modelgen build --spec db/models.yaml`"),
        "{}",
        run.stdout
    );
    let nested = p.run(&["init", "-q", "app/spec/schema.yaml"]);
    assert_eq!((nested.code, nested.stdout.as_str()), (0, ""), "{nested:?}");
    assert_eq!(p.tree(), ["app/spec/schema.yaml", "db/models.yaml"]);
    assert_eq!(p.run(&["check", "--spec", "app/spec/schema.yaml"]).code, 0);
    assert_eq!(p.run(&["init", "db"]).code, 2, "a second init into the same directory");
}

// --- 3. completions, --quiet, --verbose -------------------------------------------------

#[test]
fn completions_for_every_shell_know_the_commands() {
    let p = Project::new();
    for (shell, marker) in [
        ("bash", "complete -F _modelgen"),
        ("zsh", "#compdef modelgen"),
        ("fish", "complete -c modelgen"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[modelgen]"),
    ] {
        let run = p.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        assert!(run.stdout.contains(marker), "{shell} script lacks {marker:?}");
        for word in ["diagram", "init", "completions", "quiet", "verbose"] {
            assert!(run.stdout.contains(word), "{shell} script lacks {word}");
        }
    }
    assert_eq!(p.run(&["completions", "tcsh"]).code, 2);
    assert_eq!(p.tree(), Vec::<String>::new(), "completions write no file");
}

/// A spec whose outputs are two SQLite migration files and the schema snapshot.
const SPEC: &str = "models:\n  Note:\n    table: notes\n    fields:\n      id: int pk\n      body: text\n";

#[test]
fn quiet_prints_only_errors() {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    for args in [
        &["build", "-q"][..],
        &["check", "--quiet"],
        &["migrate", "-q"],
        &["build", "--check", "-q"],
    ] {
        let run = p.run(args);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, "", ""),
            "{args:?}"
        );
    }
    assert!(p.path().join("migrations/sqlite/0001_initial.up.sql").exists());

    p.write(
        "models.yaml",
        SPEC.replace("body: text", "body: text\n      title: str(80)?"),
    );
    let stale = p.run(&["build", "--check", "--quiet"]);
    assert_eq!(stale.code, 1, "{stale:?}");
    assert_eq!(stale.stdout, "", "no plan and no diff when quiet");
    assert!(stale.stderr.contains("would change"), "{}", stale.stderr);

    p.write("models.yaml", "models: [");
    let broken = p.run(&["build", "-q"]);
    assert_eq!((broken.code, broken.stdout.as_str()), (1, ""), "{broken:?}");
    assert!(broken.stderr.contains("error"), "{}", broken.stderr);
    assert_eq!(p.run(&["build", "-q", "-v"]).code, 2, "--quiet and --verbose conflict");
}

#[test]
fn verbose_also_lists_unchanged_files() {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    let first = p.run(&["build", "--verbose"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(!first.stdout.contains("unchanged migrations"), "{}", first.stdout);

    // Once the snapshot exists, the spec's outputs are the snapshot alone.
    let again = p.run(&["build", "-v"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again.stdout.starts_with("unchanged migrations/modelgen-schema.json\n"),
        "{}",
        again.stdout
    );
    let check = p.run(&["build", "--check", "-v"]);
    assert!(
        check.stdout.contains("unchanged migrations/modelgen-schema.json\n"),
        "{check:?}"
    );
    let migrate = p.run(&["migrate", "-v"]);
    assert!(
        migrate.stdout.contains("unchanged migrations/modelgen-schema.json\n"),
        "{migrate:?}"
    );
    let normal = p.run(&["migrate"]);
    assert!(!normal.stdout.contains("unchanged migrations"), "{}", normal.stdout);
}

// --- 4. build --check prints a diff -----------------------------------------------------

#[test]
fn build_check_prints_new_files_as_all_added() {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    let run = p.run(&["build", "--check"]);
    assert_eq!(run.code, 1, "{run:?}");
    let header = "--- /dev/null\n+++ b/migrations/sqlite/0001_initial.up.sql\n@@ -0,0 +1,";
    let at = run.stdout.find(header).unwrap_or_else(|| panic!("{}", run.stdout));
    let hunk: Vec<&str> = run.stdout[at..]
        .lines()
        .skip(3)
        .take_while(|l| !l.starts_with("---"))
        .collect();
    assert!(!hunk.is_empty());
    assert!(hunk.iter().all(|l| l.starts_with('+')), "{hunk:?}");
    assert_eq!(hunk[0], "+-- no-transaction", "{hunk:?}");
    assert!(hunk[1].starts_with("+-- @generated by modelgen"), "{hunk:?}");
    assert!(run.stdout.contains("+++ b/migrations/sqlite/0001_initial.down.sql\n"));
    assert!(run.stdout.contains("+++ b/migrations/modelgen-schema.json\n"));
    // The summary stays as it was.
    assert!(
        run.stderr.contains(
            "models.yaml: 3 of 3 generated files would change:\n  missing migrations/sqlite/0001_initial.up.sql\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(p.tree(), ["models.yaml"], "--check writes nothing");
}

#[test]
fn build_check_diffs_stale_files_and_the_diff_is_a_patch() {
    let p = Project::new();
    p.write("spec/models.yaml", SPEC);
    assert_eq!(p.run(&["build", "--spec", "spec/models.yaml"]).code, 0);
    p.write(
        "spec/models.yaml",
        SPEC.replace("body: text", "body: text\n      title: str(80)?"),
    );
    let run = p.run(&["build", "--check", "--spec", "spec/models.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    // The stale snapshot: paths relative to the working directory (in the diff and the
    // list alike), only changed lines.
    assert!(
        run.stdout
            .contains("--- a/spec/migrations/modelgen-schema.json\n+++ b/spec/migrations/modelgen-schema.json\n@@ "),
        "{}",
        run.stdout
    );
    let changed: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("--- a/spec/migrations/modelgen-schema.json"))
        .skip(2)
        .take_while(|l| !l.starts_with("--- "))
        .filter(|l| l.starts_with(['+', '-']))
        .collect();
    assert!(
        changed.iter().any(|l| l.starts_with('+') && l.contains("\"title\"")),
        "{changed:?}"
    );
    assert!(changed.len() < 15, "only the changed lines are shown: {changed:?}");
    assert!(
        run.stdout.contains("--- /dev/null\n+++ b/spec/migrations/sqlite/0002_"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("stale   spec/migrations/modelgen-schema.json"),
        "{}",
        run.stderr
    );

    // Applied as a patch, the diff is exactly what `build` would write.
    let diff = p.path().join("check.diff");
    std::fs::write(&diff, &run.stdout).unwrap();
    match Command::new("git")
        .args(["apply", "check.diff"])
        .current_dir(p.path())
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "git apply: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::remove_file(&diff).unwrap();
            let after = p.run(&["build", "--check", "--spec", "spec/models.yaml"]);
            assert_eq!(after.code, 0, "{after:?}");
        }
        Err(e) => eprintln!("SKIPPED: applying the diff needs git ({e})"),
    }
}

// --- 5. help ----------------------------------------------------------------------------

#[test]
fn help_of_every_new_command_shows_an_example() {
    let p = Project::new();
    for cmd in ["diagram", "init", "completions"] {
        let run = p.run(&[cmd, "--help"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(
            run.stdout.contains("Example:\n  modelgen "),
            "{cmd} --help lacks an example:\n{}",
            run.stdout
        );
    }
    let top = p.run(&["--help"]);
    for line in ["--quiet", "--verbose", "diagram", "init", "completions"] {
        assert!(
            top.stdout.contains(line),
            "modelgen --help lacks {line}:\n{}",
            top.stdout
        );
    }
}

#[test]
fn mermaid_blocks_are_found() {
    assert_eq!(
        mermaid_block("a\n```mermaid\nerDiagram\n  x\n```\nb\n").as_deref(),
        Some("erDiagram\n  x\n")
    );
    assert_eq!(mermaid_block("```mermaid\n```\n").as_deref(), Some(""));
    assert_eq!(mermaid_block("```mermaid\nunclosed\n"), None);
    assert_eq!(mermaid_block("```text\nx\n```\n"), None);
}
