//! The files a run writes: all of them or none (a failure injected at every step of a
//! commit, a run killed at every step), stale modules removed only when modelgen made
//! them, output folders that cannot leave the project, and one run at a time on a tree.
//!
//! The step hooks (`MODELGEN_FAIL_AT`, `MODELGEN_KILL_AT`) exist in debug builds only,
//! which is what `modelgen_bin()` builds.

use modelgen_tests::{modelgen_bin, Project, Run};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::process::{Command, Stdio};

/// Three models, their Rust modules, and diesel-layout migrations (a folder per migration)
/// for two dialects.
const SPEC: &str = "output:
  rust: {dir: src/models}
  migrations: {dialects: [sqlite, postgres], layout: diesel}
models:
  User:
    table: users
    fields:
      id: int pk
      email: str(255)
  Post:
    table: posts
    fields:
      id: int pk
      title: str(100)
  Tag:
    table: tags
    fields:
      id: int pk
      name: str(50)
";

const POST: &str = "  Post:\n    table: posts\n    fields:\n      id: int pk\n      title: str(100)\n";
const TAG: &str = "  Tag:\n    table: tags\n    fields:\n      id: int pk\n      name: str(50)\n";

/// SPEC grown without losing data: a nullable column on User and a new model.
fn grown() -> String {
    SPEC.replace(
        "      email: str(255)\n",
        "      email: str(255)\n      nickname: str(50)?\n",
    ) + "  Comment:\n    table: comments\n    fields:\n      id: int pk\n      body: text\n"
}

type Contents = BTreeMap<String, Option<Vec<u8>>>;

/// A fresh project brought to a state by running each command with its spec in order;
/// also the exit code of the last command.
fn replay(steps: &[(&str, &[&str])]) -> (Project, i32) {
    let p = Project::new();
    let mut code = 0;
    for (spec, args) in steps {
        p.write("models.yaml", spec);
        code = p.run(args).code;
    }
    (p, code)
}

fn built(spec: &str) -> Project {
    let (p, code) = replay(&[(spec, &["build"])]);
    assert_eq!(code, 0);
    p
}

/// The temporary files and journals of modelgen in a project: none may outlive a run.
fn leftovers(contents: &Contents) -> Vec<&str> {
    contents
        .keys()
        .map(String::as_str)
        .filter(|p| p.ends_with(".modelgen-new") || p.ends_with(".modelgen-old") || p.contains(".modelgen/journal"))
        .collect()
}

/// Asserts two project states are the same, naming the paths that differ.
fn assert_same(actual: &Contents, expected: &Contents, context: &str) {
    let differ: Vec<&str> = actual
        .keys()
        .chain(expected.keys())
        .filter(|k| actual.get(*k) != expected.get(*k))
        .map(String::as_str)
        .collect();
    assert!(differ.is_empty(), "{context}: these paths differ: {differ:?}");
}

/// As [`assert_same`], but for the build stamp, whose list of outputs depends on the runs
/// that led there (a first build also lists the migrations it wrote); see [`assert_stamp_holds`].
fn assert_same_outputs(actual: &Contents, expected: &Contents, context: &str) {
    let without_stamp = |c: &Contents| -> Contents {
        c.iter()
            .filter(|(k, _)| *k != STAMP)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_same(&without_stamp(actual), &without_stamp(expected), context);
}

const STAMP: &str = ".modelgen/build-stamp";

/// The stamp is trusted (the next build stops at it) and true (a full comparison finds
/// nothing to change either).
fn assert_stamp_holds(p: &Project, spec: &str) {
    let fast = p.run(&["build", "--spec", spec]);
    assert!(
        fast.stdout
            .contains("up to date (nothing changed since the last build)"),
        "{fast:?}"
    );
    let full = p.run(&["build", "--check", "--verbose", "--spec", spec]);
    assert_eq!(full.code, 0, "{full:?}");
}

/// Runs `args` with a failure injected at step 1, 2, … of the commit until a run gets
/// through, asserting after each failure that the project is exactly as it was. Returns
/// the number of steps that failed and the run that got through.
fn fail_at_every_step(p: &Project, args: &[&str]) -> (usize, Run) {
    let before = p.contents();
    for step in 1.. {
        let run = p.run_with_env(args, &[("MODELGEN_FAIL_AT", step.to_string())]);
        if run.code == 0 {
            return (step - 1, run);
        }
        assert_eq!(run.code, 2, "step {step}: {run:?}");
        assert!(run.stderr.contains("injected failure"), "step {step}: {}", run.stderr);
        assert_same(&p.contents(), &before, &format!("after a failure at step {step}"));
    }
    unreachable!()
}

fn count(stdout: &str, verb: &str) -> usize {
    stdout.lines().filter(|l| l.starts_with(verb)).count()
}

// --- all or nothing ---------------------------------------------------------------------

#[test]
fn a_failure_at_any_step_of_a_first_build_leaves_nothing_behind() {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    let first = p.run_with_env(&["build"], &[("MODELGEN_FAIL_AT", "1".into())]);
    assert_eq!(first.code, 2, "{first:?}");
    assert_eq!(
        p.tree(),
        [".modelgen/.gitignore", ".modelgen/lock", "models.yaml"],
        "the lock is all a failed run leaves"
    );

    let (failed, through) = fail_at_every_step(&p, &["build"]);
    // Every created file was both staged and moved into place, each a step that failed.
    let created = count(&through.stdout, "created ");
    assert!(created >= 8, "{}", through.stdout);
    assert!(failed >= 2 * created, "only {failed} steps for {created} files");
    // Folders are created by the commit too, and were removed again after each failure.
    assert!(p.path().join("migrations/postgres/0001_initial").is_dir());
    assert_same(&p.contents(), &built(SPEC).contents(), "the run that got through");
    assert_stamp_holds(&p, "models.yaml");
}

#[test]
fn a_failure_at_any_step_of_an_update_puts_back_every_file() {
    let without_post = grown().replace(POST, "");
    let p = built(SPEC);
    p.write("models.yaml", &without_post);
    // migrate writes the migration and brings the Rust up to date, all or nothing.
    let (failed, through) = fail_at_every_step(&p, &["migrate", "--allow-destructive"]);
    for line in [
        "updated src/models/user.rs",
        "created src/models/comment.rs",
        "updated src/models/mod.rs",
        "removed src/models/post.rs",
    ] {
        assert!(through.stdout.contains(line), "{line}:\n{}", through.stdout);
    }
    assert!(failed >= 2 * count(&through.stdout, "updated "), "{failed} steps");
    let (clean, _) = replay(&[(SPEC, &["build"]), (&without_post, &["migrate", "--allow-destructive"])]);
    assert_same(&p.contents(), &clean.contents(), "the run that got through");
    assert_stamp_holds(&p, "models.yaml");
}

#[test]
fn a_run_killed_at_any_step_is_undone_or_finished_by_the_next() {
    let grown = grown();
    // Killed before its commit point, a build of `grown` must leave no trace once the next
    // run has cleaned up; killed after it, it counts as done.
    let (undone, undone_code) = replay(&[(SPEC, &["build"]), (SPEC, &["build"])]);
    let (finished, finished_code) = replay(&[(SPEC, &["build"]), (&grown, &["build"]), (SPEC, &["build"])]);
    // Going back to SPEC drops a column and a table, which a build refuses; the tree
    // still has to be the one the finished run wrote.
    assert_eq!((undone_code, finished_code), (0, 1));
    let (mut undone_seen, mut finished_seen) = (0, 0);
    for step in 1.. {
        let p = built(SPEC);
        p.write("models.yaml", &grown);
        let killed = p.run_with_env(&["build"], &[("MODELGEN_KILL_AT", step.to_string())]);
        if killed.code == 0 {
            break;
        }
        assert_eq!(killed.code, 137, "step {step}: {killed:?}");
        p.write("models.yaml", SPEC);
        let next = p.run(&["build"]);
        let contents = p.contents();
        assert!(
            leftovers(&contents).is_empty(),
            "step {step}: {:?}",
            leftovers(&contents)
        );
        if next.stderr.contains("leftovers were removed") {
            finished_seen += 1;
            assert_eq!(next.code, finished_code, "step {step}: {next:?}");
            // The stamp is written after the commit, so the killed run left the old one,
            // which no longer matches the files and is not trusted.
            assert_same_outputs(
                &contents,
                &finished.contents(),
                &format!("killed after the commit point, at step {step}"),
            );
        } else {
            // Killed before it had touched a file, or undone by the next run.
            undone_seen += usize::from(next.stderr.contains("were undone"));
            assert_eq!(next.code, undone_code, "step {step}: {next:?}");
            assert_same_outputs(&contents, &undone.contents(), &format!("killed at step {step}"));
            assert_stamp_holds(&p, "models.yaml");
        }
    }
    assert!(undone_seen >= 10, "{undone_seen} runs undone");
    assert!(finished_seen >= 2, "{finished_seen} runs finished");
}

// --- stale files ------------------------------------------------------------------------

#[test]
fn a_deleted_models_module_is_removed_only_if_modelgen_generated_it() {
    let p = built(SPEC);
    // The user took post.rs over: without the header it is theirs now.
    let post = p.path().join("src/models/post.rs");
    let generated = std::fs::read_to_string(&post).unwrap();
    let mine: String = generated.lines().skip(1).map(|l| format!("{l}\n")).collect();
    p.write("src/models/post.rs", &mine);
    p.write("src/models/notes.md", "not a module\n");
    let migrations_before: Contents = p
        .contents()
        .into_iter()
        .filter(|(k, _)| k.starts_with("migrations/"))
        .collect();
    p.write("models.yaml", grown().replace(POST, "").replace(TAG, ""));
    // The migration alone (naming the dialects writes migrations only), so that the
    // build below is the run that prunes.
    let migrate = p.run(&[
        "migrate",
        "--allow-destructive",
        "--dialect",
        "sqlite",
        "--dialect",
        "postgres",
    ]);
    assert_eq!(migrate.code, 0, "{migrate:?}");

    let before = p.contents();
    let check = p.run(&["build", "--check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check.stderr.contains("  orphan  src/models/tag.rs\n"),
        "{}",
        check.stderr
    );
    assert!(
        check.stdout.contains("--- a/src/models/tag.rs\n+++ /dev/null\n"),
        "{}",
        check.stdout
    );
    assert!(!check.stderr.contains("orphan  src/models/post.rs"), "{}", check.stderr);
    assert_same(&p.contents(), &before, "--check writes nothing");

    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("removed src/models/tag.rs\n"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("warning: kept src/models/post.rs: no model generates it any more"),
        "{}",
        run.stderr
    );
    assert!(!p.path().join("src/models/tag.rs").exists());
    assert_eq!(std::fs::read_to_string(&post).unwrap(), mine);
    assert_eq!(
        std::fs::read_to_string(p.path().join("src/models/notes.md")).unwrap(),
        "not a module\n"
    );
    let mod_rs = std::fs::read_to_string(p.path().join("src/models/mod.rs")).unwrap();
    assert!(
        mod_rs.contains("mod comment;") && !mod_rs.contains("mod tag;") && !mod_rs.contains("mod post;"),
        "{mod_rs}"
    );
    // Migration history is never pruned: every earlier file is still there, unchanged.
    let after = p.contents();
    for (path, bytes) in &migrations_before {
        if path != "migrations/modelgen-schema.json" {
            assert_eq!(after.get(path), Some(bytes), "{path}");
        }
    }
    assert_eq!(p.run(&["build", "--check"]).code, 0, "a kept file is not a difference");
}

#[test]
fn a_stale_module_put_back_after_a_build_is_found_despite_the_stamp() {
    let p = built(SPEC);
    let tag = std::fs::read(p.path().join("src/models/tag.rs")).unwrap();
    p.write("src/models/label.rs", &tag);
    // The stamp lists the models folder, so the fast path does not call this up to date.
    let check = p.run(&["build", "--check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check.stderr.contains("  orphan  src/models/label.rs\n"),
        "{}",
        check.stderr
    );
    let run = p.run(&["build"]);
    assert!(run.stdout.contains("removed src/models/label.rs\n"), "{run:?}");
    assert_same_outputs(&p.contents(), &built(SPEC).contents(), "after the removal");
    assert_stamp_holds(&p, "models.yaml");
}

#[test]
fn one_specs_stamp_does_not_pass_for_another_spec_in_the_same_folder() {
    let rust_only = SPEC.replace("{dialects: [sqlite, postgres], layout: diesel}", "{dialects: []}");
    let p = Project::new();
    p.write("a.yaml", &rust_only);
    p.write("b.yaml", rust_only.replace(TAG, ""));
    assert_eq!(p.run(&["build", "--spec", "a.yaml"]).code, 0);
    let b = p.run(&["build", "--spec", "b.yaml"]);
    assert!(b.stdout.contains("removed src/models/tag.rs\n"), "{b:?}");
    assert_stamp_holds(&p, "b.yaml");
    let a = p.run(&["build", "--spec", "a.yaml"]);
    assert!(a.stdout.contains("created src/models/tag.rs\n"), "{a:?}");
}

#[test]
fn a_template_added_after_a_build_is_not_missed() {
    let p = Project::new();
    p.write(
        "models.yaml",
        SPEC.replace(
            "rust: {dir: src/models}",
            "rust: {dir: src/models, templates: templates}",
        ),
    );
    std::fs::create_dir(p.path().join("templates")).unwrap();
    assert_eq!(p.run(&["build"]).code, 0);
    let builtin = modelgen_emit::BUILTIN_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "mod.rs.jinja")
        .unwrap()
        .1;
    // Comments would not survive prettyplease; an item does.
    p.write(
        "templates/mod.rs.jinja",
        format!("{builtin}\npub const OUR_TEMPLATE: bool = true;\n"),
    );
    let run = p.run(&["build"]);
    assert!(run.stdout.contains("updated src/models/mod.rs\n"), "{run:?}");
    let mod_rs = std::fs::read_to_string(p.path().join("src/models/mod.rs")).unwrap();
    assert!(mod_rs.contains("pub const OUR_TEMPLATE: bool = true;"), "{mod_rs}");
    assert_stamp_holds(&p, "models.yaml");
}

// --- reuse ------------------------------------------------------------------------------

/// The Rust files of a project, by path.
fn rust_files(p: &Project) -> Contents {
    p.contents()
        .into_iter()
        .filter(|(path, _)| path.starts_with("src/models/"))
        .collect()
}

/// SPEC with a column added to Post.
fn post_edited() -> String {
    SPEC.replace(
        "      title: str(100)\n",
        "      title: str(100)\n      subtitle: str(100)?\n",
    )
}

#[test]
fn a_rebuild_renders_only_the_models_that_changed_and_writes_what_a_fresh_build_would() {
    let p = built(SPEC);
    p.write("models.yaml", post_edited());
    let run = p.run(&["build", "--verbose"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("model files: 2 of 3 taken from the last build unchanged, the rest rendered\n"),
        "{run:?}"
    );
    assert!(run.stdout.contains("updated src/models/post.rs\n"), "{run:?}");
    assert_same(&rust_files(&p), &rust_files(&built(&post_edited())), "the Rust files");
    assert_stamp_holds(&p, "models.yaml");
}

#[test]
fn a_model_file_edited_by_hand_is_rendered_again_not_taken_from_disk() {
    let p = built(SPEC);
    let tag = p.path().join("src/models/tag.rs");
    let original = std::fs::read_to_string(&tag).unwrap();
    std::fs::write(&tag, original.replace("pub name: String", "pub name: Vec<u8>")).unwrap();
    p.write("models.yaml", post_edited());
    let run = p.run(&["build", "--verbose"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("model files: 1 of 3 taken"), "{run:?}");
    assert_eq!(std::fs::read_to_string(&tag).unwrap(), original);
    assert_same(&rust_files(&p), &rust_files(&built(&post_edited())), "the Rust files");
}

#[test]
fn a_changed_template_or_spec_name_renders_every_model_again() {
    let p = Project::new();
    p.write(
        "models.yaml",
        SPEC.replace(
            "rust: {dir: src/models}",
            "rust: {dir: src/models, templates: templates}",
        ),
    );
    std::fs::create_dir(p.path().join("templates")).unwrap();
    assert_eq!(p.run(&["build"]).code, 0);
    let builtin = modelgen_emit::BUILTIN_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "model.rs.jinja")
        .unwrap()
        .1;
    p.write(
        "templates/model.rs.jinja",
        format!("{builtin}\npub const OUR_TEMPLATE: bool = true;\n"),
    );
    let run = p.run(&["build", "--verbose"]);
    assert!(run.stdout.contains("model files: 0 of 3 taken"), "{run:?}");
    let tag = std::fs::read_to_string(p.path().join("src/models/tag.rs")).unwrap();
    assert!(tag.contains("pub const OUR_TEMPLATE: bool = true;"), "{tag}");
    // The spec's name is in every file's header.
    std::fs::copy(p.path().join("models.yaml"), p.path().join("other.yaml")).unwrap();
    let run = p.run(&["build", "--verbose", "--spec", "other.yaml"]);
    assert!(run.stdout.contains("model files: 0 of 3 taken"), "{run:?}");
    assert!(run.stdout.contains("updated src/models/tag.rs\n"), "{run:?}");
}

// --- paths ------------------------------------------------------------------------------

#[test]
fn output_folders_outside_the_spec_folder_are_refused_before_anything_is_written() {
    let p = Project::new();
    let elsewhere = p.path().join("elsewhere");
    for dir in ["../models", "src/../../models", elsewhere.to_str().unwrap()] {
        p.write(
            "spec/models.yaml",
            SPEC.replace("rust: {dir: src/models}", &format!("rust: {{dir: \"{dir}\"}}")),
        );
        let run = p.run(&["build", "--spec", "spec/models.yaml"]);
        assert_eq!(run.code, 1, "{dir}: {run:?}");
        assert!(
            run.stderr.contains(&format!(
                "error[bad-value]: output directory `{dir}` must stay inside the spec's folder"
            )),
            "{dir}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("--> spec/models.yaml:2:"), "{}", run.stderr);
        assert_eq!(p.tree(), ["spec/models.yaml"], "{dir}");
    }
}

// --- one run at a time ------------------------------------------------------------------

#[test]
fn a_run_waits_while_another_holds_the_lock() {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    std::fs::create_dir(p.path().join(".modelgen")).unwrap();
    let lock = std::fs::File::create(p.path().join(".modelgen/lock")).unwrap();
    lock.lock().unwrap();
    let spawn = |args: &[&str]| {
        Command::new(modelgen_bin())
            .args(args)
            .current_dir(p.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut build = spawn(&["build"]);
    let mut check = spawn(&["build", "--check"]);
    for child in [&mut build, &mut check] {
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.starts_with("waiting for another modelgen run to finish writing here (lock: "),
            "{line:?}"
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(build.try_wait().unwrap().is_none(), "the build went on under the lock");
    assert!(check.try_wait().unwrap().is_none(), "the check went on under the lock");
    assert_eq!(p.tree(), [".modelgen/.gitignore", ".modelgen/lock", "models.yaml"]);

    drop(lock);
    let build = build.wait_with_output().unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    // Whichever got the lock first, the check saw the tree before or after the build.
    let check = check.wait_with_output().unwrap();
    assert!(matches!(check.status.code(), Some(0 | 1)), "{check:?}");
    assert_same(&p.contents(), &built(SPEC).contents(), "after the wait");
    assert_stamp_holds(&p, "models.yaml");
}

#[test]
fn concurrent_builds_of_one_tree_leave_one_runs_output_and_a_true_stamp() {
    // Rust modules only (no migrations), so any of the specs can be the last one written.
    let rust_only = SPEC.replace("{dialects: [sqlite, postgres], layout: diesel}", "{dialects: []}");
    let comment = "  Comment:\n    table: comments\n    fields:\n      id: int pk\n      body: text\n";
    let specs = [
        rust_only.clone(),
        rust_only.replace(POST, "").replace(TAG, comment),
        rust_only.replace(
            "  User:\n    table: users\n    fields:\n      id: int pk\n      email: str(255)\n",
            "",
        ) + comment,
        rust_only
            .replace("email: str(255)\n", "email: str(255)\n      nickname: str(50)?\n")
            .replace(POST, ""),
    ];
    let models = |contents: Contents| -> Contents {
        contents
            .into_iter()
            .filter(|(k, _)| k.starts_with("src/models/"))
            .collect()
    };
    // Each spec built alone, under the same file name (generated headers name it).
    let expected: Vec<Contents> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let alone = Project::new();
            let name = format!("models_{i}.yaml");
            alone.write(&name, spec);
            assert_eq!(alone.run(&["build", "--spec", &name]).code, 0);
            models(alone.contents())
        })
        .collect();
    let p = Project::new();
    for (i, spec) in specs.iter().enumerate() {
        p.write(&format!("models_{i}.yaml"), spec);
    }
    for round in 0..5 {
        let children: Vec<_> = (0..8)
            .map(|k| {
                Command::new(modelgen_bin())
                    .args(["build", "-q", "--spec", &format!("models_{}.yaml", (k + round) % 4)])
                    .current_dir(p.path())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let contents = p.contents();
        assert!(leftovers(&contents).is_empty(), "{:?}", leftovers(&contents));
        let found = models(contents);
        let matching: Vec<usize> = (0..specs.len()).filter(|&i| expected[i] == found).collect();
        assert_eq!(
            matching.len(),
            1,
            "round {round}: src/models is no single run's output: {:?}",
            found.keys().collect::<Vec<_>>()
        );
        // The stamp names the spec of the run that wrote last, and holds for that tree.
        let stamp = std::fs::read_to_string(p.path().join(".modelgen/build-stamp")).unwrap();
        let spec = format!("models_{}.yaml", matching[0]);
        assert!(
            stamp
                .lines()
                .any(|l| l.starts_with("in ") && l.ends_with(&format!(" {spec}"))),
            "round {round}: {spec} wrote last, the stamp says:\n{stamp}"
        );
        assert_stamp_holds(&p, &spec);
    }
}

#[test]
fn concurrent_migrates_of_one_change_write_one_migration() {
    let p = built(SPEC);
    p.write("models.yaml", grown());
    let children: Vec<_> = (0..6)
        .map(|k| {
            Command::new(modelgen_bin())
                .args(["migrate", "-q", "--name", &format!("change_{k}")])
                .current_dir(p.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let versions: Vec<String> = std::fs::read_dir(p.path().join("migrations/sqlite"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let second: Vec<&String> = versions.iter().filter(|v| !v.starts_with("0001_")).collect();
    assert_eq!(second.len(), 1, "one change, one migration: {versions:?}");
    let name = second[0].strip_prefix("0002_").expect("numbered after 0001");
    let (clean, code) = replay(&[(SPEC, &["build"]), (&grown(), &["migrate", "--name", name])]);
    assert_eq!(code, 0);
    // The stamp records the inputs of whichever run came last.
    assert_same_outputs(&p.contents(), &clean.contents(), "after the migrates");
}

#[test]
fn a_generated_file_edited_by_hand_is_named_before_it_is_overwritten() {
    let p = built(SPEC);
    let tag = p.path().join("src/models/tag.rs");
    let original = std::fs::read_to_string(&tag).unwrap();
    std::fs::write(&tag, original.replace("pub name: String", "pub name: Vec<u8>")).unwrap();
    let check = p.run(&["build", "--check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check.stderr.contains(
            "warning: src/models/tag.rs was edited by hand since the last build; the edit would be overwritten"
        ),
        "{check:?}"
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("warning: src/models/tag.rs was edited by hand since the last build; the edit is overwritten"),
        "{run:?}"
    );
    assert_eq!(std::fs::read_to_string(&tag).unwrap(), original);
    // Files the build rewrites for a change of the spec were not edited: no warning.
    p.write("models.yaml", post_edited());
    let changed = p.run(&["build"]);
    assert!(!changed.stderr.contains("edited by hand"), "{changed:?}");
}

#[test]
fn a_build_with_other_templates_is_not_taken_for_the_last_build() {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    assert_eq!(p.run(&["build"]).code, 0);
    let builtin = std::fs::read_to_string(p.path().join("src/models/mod.rs")).unwrap();
    let template = modelgen_emit::BUILTIN_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "mod.rs.jinja")
        .unwrap()
        .1;
    p.write(
        "mine/mod.rs.jinja",
        format!("{template}\npub const OURS: bool = true;\n"),
    );
    let ours = p.run(&["build", "--templates", "mine"]);
    assert!(ours.stdout.contains("updated src/models/mod.rs\n"), "{ours:?}");
    // The spec did not change, but the stamp must not vouch for the custom mod.rs, and
    // modelgen wrote it, so it is no hand edit either.
    let back = p.run(&["build"]);
    assert!(back.stdout.contains("updated src/models/mod.rs\n"), "{back:?}");
    assert!(!back.stderr.contains("edited by hand"), "{back:?}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("src/models/mod.rs")).unwrap(),
        builtin
    );
    assert_stamp_holds(&p, "models.yaml");
}
