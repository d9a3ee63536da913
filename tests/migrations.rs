//! Migration SQL for a set of named edits, per dialect, up and down (snapshots), and the
//! `modelgen migrate` command end to end.

use modelgen_ir::Dialect;
use modelgen_tests::Project;

const BASE: &str = "models:
  User:
    table: users
    fields:
      id: int pk
      email: str(255) unique
      name: str(50)?
    mixins: [timestamps]
  Post:
    table: posts
    fields:
      id: int pk
      user_id: {type: int, index: true, foreign_key: {references: users.id, on_delete: cascade}}
      title: str(100)
";

/// Each edit as (name, text to replace in BASE, replacement).
const EDITS: &[(&str, &str, &str)] = &[
    ("add_nullable_column", "      title: str(100)\n", "      title: str(100)\n      subtitle: text?\n"),
    ("add_column_with_server_default", "      title: str(100)\n", "      title: str(100)\n      views: {type: int, server_default: 0}\n"),
    ("drop_column", "      name: str(50)?\n", ""),
    ("rename_column", "      name: str(50)?\n", "      display_name: {type: str(50)?, renamed_from: name}\n"),
    ("rename_table", "    table: posts\n", "    table: articles\n    renamed_from: posts\n"),
    ("widen_string", "      title: str(100)\n", "      title: str(200)\n"),
    ("narrow_string", "      title: str(100)\n", "      title: str(20)\n"),
    ("nullable_to_not_null_with_default", "      name: str(50)?\n", "      name: {type: str(50), server_default: anonymous}\n"),
    ("add_index", "      title: str(100)\n", "      title: {type: str(100), index: true}\n"),
    ("drop_unique", "      email: str(255) unique\n", "      email: str(255)\n"),
    ("change_on_delete", "on_delete: cascade", "on_delete: restrict"),
    ("drop_foreign_key", "{type: int, index: true, foreign_key: {references: users.id, on_delete: cascade}}", "{type: int, index: true}"),
    ("add_model", "  Post:\n", "  Tag:\n    table: tags\n    fields:\n      id: int pk\n      label: str(30) unique index\n  Post:\n"),
    ("drop_model", "  Post:\n    table: posts\n    fields:\n      id: int pk\n      user_id: {type: int, index: true, foreign_key: {references: users.id, on_delete: cascade}}\n      title: str(100)\n", ""),
    ("add_soft_delete", "    mixins: [timestamps]\n", "    mixins: [timestamps, soft_delete]\n"),
    ("drop_timestamps", "    mixins: [timestamps]\n", ""),
];

fn load(text: &str) -> modelgen_ir::Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

#[test]
fn named_edits_migrate_as_snapshotted() {
    let old = load(BASE);
    for (name, from, to) in EDITS {
        assert!(BASE.contains(from), "edit {name} does not apply");
        let new = load(&BASE.replacen(from, to, 1));
        let plan = modelgen_migrate::Plan::new(&old, &new);
        assert!(!plan.is_empty(), "edit {name} changed nothing");
        let mut text = String::new();
        for op in &plan.up {
            let flag = if modelgen_migrate::destructive(op).is_some() {
                "!"
            } else {
                "+"
            };
            text.push_str(&format!("{flag} {}\n", op.describe()));
        }
        for hint in &plan.hints {
            text.push_str(&format!("hint: {hint}\n"));
        }
        for dialect in Dialect::ALL {
            let (up, down) = plan.scripts(&old, &new, dialect);
            text.push_str(&format!("\n== {} up{} ==\n{}", dialect.name(), tx(&up), up.sql));
            text.push_str(&format!("\n== {} down{} ==\n{}", dialect.name(), tx(&down), down.sql));
        }
        insta::assert_snapshot!(format!("migration_{name}"), text);
    }
}

fn tx(script: &modelgen_migrate::Script) -> &'static str {
    if script.no_transaction {
        " (no-transaction)"
    } else {
        ""
    }
}

#[test]
fn an_undeclared_rename_is_flagged_not_guessed() {
    let new = load(&BASE.replacen("      name: str(50)?\n", "      full_name: str(50)?\n", 1));
    let plan = modelgen_migrate::Plan::new(&load(BASE), &new);
    let ops: Vec<String> = plan.up.iter().map(|o| o.describe()).collect();
    assert_eq!(
        ops,
        [
            "add column users.full_name (str(50)?)",
            "drop column users.name (str(50)?)"
        ]
    );
    assert_eq!(plan.hints.len(), 1);
    assert!(
        plan.hints[0].contains("add `renamed_from: name` to field `full_name`"),
        "{:?}",
        plan.hints
    );
}

#[test]
fn migrate_writes_the_next_migration_refuses_data_loss_and_checks() {
    let p = Project::new();
    p.write("models.yaml", BASE);
    assert_eq!(p.run(&["build"]).code, 0);
    assert!(p.path().join("migrations/modelgen-schema.json").exists());

    // Nothing changed: --check passes and nothing is written.
    let clean = p.run(&["migrate", "--check"]);
    assert_eq!(clean.code, 0, "{clean:?}");

    // A destructive change is refused, listing why, and nothing is written.
    p.write("models.yaml", BASE.replacen("      name: str(50)?\n", "", 1));
    let refused = p.run(&["migrate"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.contains("drops column users.name and its values"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--allow-destructive"), "{}", refused.stderr);
    assert!(!p
        .path()
        .join("migrations/sqlite/0002_drop_column_users_name_str_50.up.sql")
        .exists());

    // --check lists the pending operations and exits 1.
    let pending = p.run(&["migrate", "--check", "--allow-destructive"]);
    assert_eq!(pending.code, 1, "{pending:?}");
    assert!(
        pending
            .stdout
            .contains("pending migration drop_column_users_name_str_50"),
        "{}",
        pending.stdout
    );
    assert!(
        pending.stdout.contains("! drop column users.name"),
        "{}",
        pending.stdout
    );

    let run = p.run(&["migrate", "--allow-destructive", "--name", "drop name"]);
    assert_eq!(run.code, 0, "{run:?}");
    let up = std::fs::read_to_string(p.path().join("migrations/sqlite/0002_drop_name.up.sql")).unwrap();
    assert!(up.starts_with("-- no-transaction\n-- @generated by modelgen"), "{up}");
    let first = std::fs::read_to_string(p.path().join("migrations/sqlite/0001_initial.up.sql")).unwrap();
    assert!(
        first.contains("\"name\" VARCHAR(50)"),
        "the first migration must stay as written"
    );
    assert_eq!(p.run(&["migrate", "--check"]).code, 0);
    assert_eq!(p.run(&["build", "--check"]).code, 0);
}

/// sqlx's migrator runs a generated history — including a SQLite table rebuild, which
/// must run outside sqlx's transaction — forward and back, rows intact.
#[tokio::test(flavor = "current_thread")]
async fn sqlx_applies_and_reverts_a_rebuild_migration_keeping_rows() {
    use modelgen_testdb::{rusqlite, sqlite_catalog};
    let p = Project::new();
    p.write("models.yaml", BASE);
    assert_eq!(p.run(&["build"]).code, 0);
    let edited = BASE.replacen(
        "      email: str(255) unique\n",
        "      email: {type: str(320), unique: true}\n",
        1,
    );
    p.write("models.yaml", &edited);
    let run = p.run(&["migrate", "--name", "longer email"]);
    assert_eq!(run.code, 0, "{run:?}");

    let db = p.path().join("app.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    let migrator = sqlx::migrate::Migrator::new(p.path().join("migrations/sqlite"))
        .await
        .unwrap();
    migrator.run_to(1, &pool).await.unwrap();
    sqlx::query("INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO posts (id, user_id, title) VALUES (7, 1, 'Notes')")
        .execute(&pool)
        .await
        .unwrap();

    migrator.run(&pool).await.unwrap();
    let catalog = sqlite_catalog(&rusqlite::Connection::open(&db).unwrap());
    modelgen_tests::catalog::assert_matches(catalog, &load(&edited), Dialect::Sqlite, "after 0002");
    let rows: (String, i64) =
        sqlx::query_as("SELECT u.email, count(p.id) FROM users u JOIN posts p ON p.user_id = u.id GROUP BY u.email")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        ("ada@example.com".to_owned(), 1),
        "rows or their children were lost in the rebuild"
    );

    migrator.undo(&pool, 1).await.unwrap();
    let catalog = sqlite_catalog(&rusqlite::Connection::open(&db).unwrap());
    modelgen_tests::catalog::assert_matches(catalog, &load(BASE), Dialect::Sqlite, "after undoing 0002");
    let posts: i64 = sqlx::query_scalar("SELECT count(*) FROM posts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(posts, 1, "the down migration cascaded a delete");
}

/// A down migration says what it cannot bring back: values of dropped tables and columns,
/// NULLs a NOT NULL change filled in, values a narrowing type change cut.
#[test]
fn every_step_the_down_cannot_undo_is_marked_irreversible() {
    let old = load(BASE);
    for (edit, from, to, column) in [
        (
            "backfill with zero",
            "      name: str(50)?\n",
            "      name: str(50)\n",
            "users.name",
        ),
        (
            "backfill with the server default",
            "      name: str(50)?\n",
            "      name: {type: str(50), server_default: anonymous}\n",
            "users.name",
        ),
        (
            "narrowing",
            "      title: str(100)\n",
            "      title: str(20)\n",
            "posts.title",
        ),
        ("drop column", "      name: str(50)?\n", "", "users.name"),
    ] {
        let plan = modelgen_migrate::Plan::new(&old, &load(&BASE.replacen(from, to, 1)));
        for dialect in Dialect::ALL {
            let (_, down) = plan.scripts(&old, &load(&BASE.replacen(from, to, 1)), dialect);
            let marked = down
                .sql
                .lines()
                .any(|l| l.starts_with("-- irreversible:") && l.contains(column));
            assert!(
                marked,
                "{edit} on {}: no irreversible marker for {column}:\n{}",
                dialect.name(),
                down.sql
            );
        }
    }
}

/// A `renamed_from` that an earlier migration applied stays in the spec harmlessly: the
/// snapshot records it, so it is not applied twice, and its old name can be used again.
#[test]
fn a_declared_rename_is_applied_once() {
    let people = "models:\n  Person:\n    table: people\n    fields:\n      id: int pk\n";
    let v1 = load(&format!("{people}      email: str(50)\n      email_v2: str(50)\n"));
    let v2 = load(&format!(
        "{people}      email: {{type: str(50), renamed_from: email_v2}}\n"
    ));
    let described = |old, new| -> Vec<String> {
        modelgen_migrate::Plan::new(old, new)
            .up
            .iter()
            .map(|o| o.describe())
            .collect()
    };
    assert_eq!(
        described(&v1, &v2),
        [
            "drop column people.email (str(50))",
            "rename column people.email_v2 to email"
        ]
    );
    assert!(described(&v2, &v2).is_empty(), "the kept declaration was applied again");
    let v3 = load(&format!(
        "{people}      email: {{type: str(50), renamed_from: email_v2}}\n      email_v2: str(50)?\n"
    ));
    assert_eq!(described(&v2, &v3), ["add column people.email_v2 (str(50)?)"]);
    assert!(described(&v3, &v3).is_empty());

    let swapped = load(&format!(
        "{people}      email: {{type: str(50), renamed_from: email_v2}}\n      email_v2: {{type: str(50), renamed_from: email}}\n"
    ));
    assert_eq!(
        described(&v1, &swapped),
        [
            "rename column people.email to email_v2",
            "rename column people.email_v2 to email"
        ]
    );
    assert!(described(&swapped, &swapped).is_empty(), "a kept swap swapped back");
}

/// A new primary key is listed as a step that can fail on existing rows.
#[test]
fn a_primary_key_change_is_migrated_and_flagged() {
    let v1 = load("models:\n  User:\n    table: users\n    fields:\n      id: int pk\n      email: str(100)\n");
    let v2 = load("models:\n  User:\n    table: users\n    fields:\n      id: int\n      email: str(100) pk\n");
    let plan = modelgen_migrate::Plan::new(&v1, &v2);
    let lines: Vec<String> = plan
        .up
        .iter()
        .map(|op| match modelgen_migrate::can_fail(op) {
            Some(why) => format!("? {} — {why}", op.describe()),
            None => op.describe(),
        })
        .collect();
    assert_eq!(
        lines,
        [
            "drop primary key of users (id)",
            "alter column users.id (no autoincrement)",
            "? add primary key on users (email) — fails if rows of users repeat or hold NULL in (email)",
        ]
    );
}
