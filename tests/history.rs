//! The migration history is input and is never rewritten: a lost or damaged snapshot, a
//! hand-edited migration, a merge that brought two migrations of one number and file names
//! modelgen cannot number all stop `build`, `migrate` and their `--check` with a clear
//! error, the files untouched, and the documented ways out work.

use modelgen_tests::{Project, Run};

const BASE: &str = "models:
  User:
    table: users
    fields:
      id: int pk
      email: str(255) unique
";

/// BASE with one more field.
fn with(field: &str) -> String {
    format!("{BASE}      {field}\n")
}

fn built() -> Project {
    let p = Project::new();
    p.write("models.yaml", BASE);
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    p
}

fn read(p: &Project, rel: &str) -> Vec<u8> {
    std::fs::read(p.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every command that reads the history fails with an error naming `needle`, and writes
/// nothing.
fn every_command_refuses(p: &Project, needle: &str) {
    let before = p.contents();
    for args in [
        &["build"][..],
        &["build", "--check"],
        &["migrate"],
        &["migrate", "--check"],
    ] {
        let run: Run = p.run(args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains(needle),
            "{args:?} does not name {needle}:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
        assert_eq!(p.contents(), before, "{args:?} changed files");
    }
}

#[test]
fn a_lost_snapshot_never_gets_the_first_migration_rewritten() {
    let p = built();
    let first = read(&p, "migrations/sqlite/0001_initial.up.sql");
    std::fs::remove_file(p.path().join("migrations/modelgen-schema.json")).unwrap();
    p.write("models.yaml", with("name: str(50)?"));
    every_command_refuses(&p, "modelgen-schema.json is missing, but migrations exist");
    assert_eq!(read(&p, "migrations/sqlite/0001_initial.up.sql"), first);

    // The way out, when the database matches the spec as it was: record it, then migrate.
    p.write("models.yaml", BASE);
    let record = p.run(&["migrate", "--record-snapshot"]);
    assert_eq!(record.code, 0, "{record:?}");
    assert_eq!(read(&p, "migrations/sqlite/0001_initial.up.sql"), first);
    p.write("models.yaml", with("name: str(50)?"));
    let run = p.run(&["migrate", "--name", "name"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(p.path().join("migrations/sqlite/0002_name.up.sql").exists());
    assert_eq!(read(&p, "migrations/sqlite/0001_initial.up.sql"), first);
}

#[test]
fn a_damaged_snapshot_is_an_error_naming_the_file_and_the_place() {
    let p = built();
    let path = "migrations/modelgen-schema.json";
    let good = String::from_utf8(read(&p, path)).unwrap();

    p.write(path, good.replacen("\"models\"", "\"models\" 7", 1));
    every_command_refuses(&p, "migrations/modelgen-schema.json:");

    let conflicted = good.replacen(
        "  \"schema\"",
        "<<<<<<< HEAD\n  \"x\": 1,\n=======\n  \"y\": 2,\n>>>>>>> other\n  \"schema\"",
        1,
    );
    p.write(path, conflicted);
    every_command_refuses(&p, "git conflict markers");

    p.write(path, "");
    every_command_refuses(&p, "migrations/modelgen-schema.json:1:");
}

#[test]
fn a_hand_edited_migration_is_named_by_every_command() {
    let p = built();
    let rel = "migrations/sqlite/0001_initial.up.sql";
    let mut edited = read(&p, rel);
    edited.extend_from_slice(b"DROP TABLE users;\n");
    p.write(rel, &edited);
    every_command_refuses(&p, rel);

    // Put back, everything passes again.
    p.write(rel, &edited[..edited.len() - b"DROP TABLE users;\n".len()]);
    assert_eq!(p.run(&["migrate", "--check"]).code, 0);
    assert_eq!(p.run(&["build", "--check"]).code, 0);
}

/// Two branches each add a migration 0002; the merge keeps both files and one snapshot.
#[test]
fn a_merge_of_two_branches_that_each_added_0002_is_caught() {
    let ours = built();
    let theirs = Project::new();
    for (rel, bytes) in ours.contents() {
        match bytes {
            Some(bytes) if !rel.starts_with(".modelgen") => {
                theirs.write(&rel, bytes);
            }
            _ => {}
        }
    }
    ours.write("models.yaml", with("nickname: str(30)?"));
    assert_eq!(ours.run(&["migrate", "--name", "nickname"]).code, 0);
    theirs.write("models.yaml", with("age: int?"));
    assert_eq!(theirs.run(&["migrate", "--name", "age"]).code, 0);
    for rel in [
        "migrations/sqlite/0002_age.up.sql",
        "migrations/sqlite/0002_age.down.sql",
    ] {
        ours.write(rel, read(&theirs, rel));
    }
    let merged = format!("{BASE}      nickname: str(30)?\n      age: int?\n");
    ours.write("models.yaml", &merged);
    every_command_refuses(
        &ours,
        "migrations/sqlite/0002_age.up.sql (number 0002 is also 0002_nickname)",
    );

    // The way out: drop their migration, migrate again: their change becomes 0003.
    for rel in [
        "migrations/sqlite/0002_age.up.sql",
        "migrations/sqlite/0002_age.down.sql",
    ] {
        std::fs::remove_file(ours.path().join(rel)).unwrap();
    }
    let run = ours.run(&["migrate", "--name", "age"]);
    assert_eq!(run.code, 0, "{run:?}");
    let third = String::from_utf8(read(&ours, "migrations/sqlite/0003_age.up.sql")).unwrap();
    assert!(third.contains("ADD COLUMN \"age\""), "{third}");
    assert!(!third.contains("nickname"), "{third}");
}

#[test]
fn migration_file_names_modelgen_cannot_number_are_refused() {
    for name in [
        "4294967295_x.up.sql",
        "99999999999999999999_x.up.sql",
        "12_short.up.sql",
        "0003.up.sql",
    ] {
        let p = built();
        p.write(&format!("migrations/sqlite/{name}"), "-- mine\n");
        p.write("models.yaml", with("name: str(50)?"));
        every_command_refuses(&p, &format!("migrations/sqlite/{name}"));
    }
    // A file that is not a migration at all is left alone.
    let p = built();
    p.write("migrations/sqlite/README.md", "notes\n");
    p.write("models.yaml", with("name: str(50)?"));
    let run = p.run(&["migrate"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(p
        .path()
        .join("migrations/sqlite/0002_add_column_users_name_str_50.up.sql")
        .exists());
}

#[test]
fn the_last_number_is_9999() {
    let p = built();
    p.write("migrations/sqlite/9999_last.up.sql", "-- mine\n");
    let record = p.run(&["migrate", "--record-snapshot"]);
    assert_eq!(record.code, 0, "{record:?}");
    p.write("models.yaml", with("name: str(50)?"));
    every_command_refuses(&p, "numbered 9999");
}

/// The snapshot is input: an edit that makes it contradict itself is named by its path in
/// the file, never a panic (a foreign key with `columns: []` panicked the renderer).
#[test]
fn a_snapshot_that_contradicts_itself_is_named_by_its_path() {
    let spec = "models:
  User:
    table: users
    fields:
      id: int pk
  Post:
    table: posts
    fields:
      id: int pk
      user_id: {type: int, foreign_key: {references: users.id}}
";
    let edits: [(&str, &str, &str); 5] = [
        (
            "\"columns\": [\n              \"user_id\"\n            ]",
            "\"columns\": []",
            "schema.models[1].foreign_keys[0].columns: is empty",
        ),
        (
            "\"target_table\": \"users\"",
            "\"target_table\": \"nobody\"",
            "schema.models[1].foreign_keys[0]: references table \"nobody\"",
        ),
        (
            "\"table\": \"posts\"",
            "\"table\": \"posts\\\"; DROP TABLE users; --\"",
            "schema.models[1].table: the name",
        ),
        (
            "\"primary_key\": [\n          \"id\"\n        ]",
            "\"primary_key\": [\n          \"nope\"\n        ]",
            "schema.models[0].primary_key: names \"nope\"",
        ),
        (
            "\"table\": \"posts\"",
            "\"table\": \"posts\", \"comment\": \"\\u0007 rings\"",
            "schema.models[1].comment: the comment holds U+0007",
        ),
    ];
    for (from, to, needle) in edits {
        let p = Project::new();
        p.write("models.yaml", spec);
        assert_eq!(p.run(&["build"]).code, 0);
        let path = "migrations/modelgen-schema.json";
        let good = String::from_utf8(read(&p, path)).unwrap();
        assert!(good.contains(from), "{from} not in\n{good}");
        p.write(path, good.replacen(from, to, 1));
        p.write("models.yaml", format!("{spec}      title: str(20)?\n"));
        every_command_refuses(&p, needle);
    }
}

/// Every schema a spec lowers to passes the snapshot's own check, so the check refuses
/// only what modelgen could not have written.
#[test]
fn every_valid_spec_passes_the_snapshot_check() {
    for path in modelgen_tests::valid_specs() {
        let schema = modelgen_tests::load_spec(&path).unwrap();
        assert_eq!(
            modelgen_emit::snapshot_problems(&schema),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
}
