//! Every migration is all or nothing where the database allows it. For every kind of edit
//! (the named edits of `edits.rs`), the migration also makes a column unique over rows
//! that repeat it, which the database refuses at the end of the migration: on SQLite
//! (through sqlx's migrator and through the `sqlite3` client with `-bail`) and on
//! PostgreSQL (through `psql` in one transaction), the catalog and the rows must be as
//! before. MySQL commits each DDL statement, so there the check runs first (a preflight),
//! and the catalog must be as before too.

use modelgen_ir::Dialect;
use modelgen_testdb::{rusqlite, sqlite_catalog};
use modelgen_tests::db::{in_schema_order, Conn};
use modelgen_tests::edits::{BASE, EDITS};
use modelgen_tests::Project;

/// BASE with a `code` column whose rows repeat, so that a new unique over it (`unique`: a
/// constraint, which SQLite adds by rebuilding the table, or a unique index, which it adds
/// in place) must fail.
fn with_code(spec: &str, unique: &str) -> String {
    let code = format!("      code: str(10) {unique}\n");
    let users = "    table: users\n    fields:\n      id: int pk\n";
    assert!(spec.contains(users));
    spec.replacen(users, &format!("{users}{code}"), 1)
}

const ROWS: &str = "INSERT INTO users (id, email, name, code) VALUES (1, 'a@x', 'A', 'same'), (2, 'b@x', NULL, 'same');
INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'first'), (2, 2, 'second');";

const COUNTS: &str = "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts)";

fn load(text: &str) -> modelgen_ir::Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// The old and new spec of every edit, with a failing unique constraint or index added.
fn cases() -> Vec<(String, String, String)> {
    let old = with_code(BASE, "");
    let mut out = Vec::new();
    for (name, from, to) in EDITS {
        let edited = BASE.replacen(from, to, 1);
        for (how, unique) in [("unique", "unique"), ("unique_index", "unique index")] {
            out.push((format!("{name}_{how}"), old.clone(), with_code(&edited, unique)));
        }
    }
    out
}

/// The migration files `modelgen migrate` writes for one case, in a scratch project.
fn project(old: &str, new: &str) -> Project {
    let p = Project::new();
    p.write(
        "models.yaml",
        format!("output:\n  migrations: {{dialects: [sqlite, postgres, mysql]}}\n{old}"),
    );
    assert_eq!(p.run(&["build"]).code, 0);
    p.write(
        "models.yaml",
        format!("output:\n  migrations: {{dialects: [sqlite, postgres, mysql]}}\n{new}"),
    );
    let run = p.run(&["migrate", "--allow-destructive", "--name", "edit"]);
    assert_eq!(run.code, 0, "{run:?}");
    p
}

fn read(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.path().join(rel)).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_migration_that_fails_on_sqlite_through_sqlx_changes_nothing() {
    for (name, old, new) in cases() {
        let p = project(&old, &new);
        let db = p.path().join("app.db");
        let connect = || async {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&db)
                .create_if_missing(true)
                .foreign_keys(true);
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .unwrap()
        };
        let pool = connect().await;
        let migrator = sqlx::migrate::Migrator::new(p.path().join("migrations/sqlite"))
            .await
            .unwrap();
        migrator.run_to(1, &pool).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(ROWS)).execute(&pool).await.unwrap();
        let before = sqlite_catalog(&rusqlite::Connection::open(&db).unwrap());
        let failed = migrator.run(&pool).await;
        assert!(failed.is_err(), "{name}: the migration over repeated codes passed");
        // The script's own transaction is still open on the connection that ran it (sqlx
        // does not roll back what it did not begin); an application stops on a failed
        // migration, and closing the pool rolls it back. docs/migrations.md says so.
        pool.close().await;
        let conn = rusqlite::Connection::open(&db).unwrap();
        assert_eq!(
            sqlite_catalog(&conn),
            before,
            "{name}: the failed migration changed the catalog"
        );
        let counts: (i64, i64) = conn.query_row(COUNTS, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(counts, (2, 2), "{name}: rows changed");
        // And it is not recorded as applied: fixing the data lets it run.
        let pool = connect().await;
        sqlx::query("UPDATE users SET code = 'other' WHERE id = 2")
            .execute(&pool)
            .await
            .unwrap();
        migrator
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("{name}: after the fix: {e}"));
    }
}

#[test]
fn a_migration_that_fails_on_sqlite_through_the_sqlite3_client_changes_nothing() {
    for (name, old, new) in cases() {
        let p = project(&old, &new);
        let db = p.path().join("app.db");
        let sqlite3 = |file: &str| {
            let out = std::process::Command::new("sqlite3")
                .arg("-bail")
                .arg(&db)
                .stdin(std::fs::File::open(p.path().join(file)).unwrap())
                .output()
                .expect("the sqlite3 client is installed (.ci/install-db)");
            out.status.success()
        };
        assert!(sqlite3("migrations/sqlite/0001_initial.up.sql"), "{name}");
        rusqlite::Connection::open(&db).unwrap().execute_batch(ROWS).unwrap();
        let before = sqlite_catalog(&rusqlite::Connection::open(&db).unwrap());
        let up = std::fs::read_dir(p.path().join("migrations/sqlite"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("0002_") && n.ends_with(".up.sql"))
            .unwrap();
        assert!(
            !sqlite3(&format!("migrations/sqlite/{up}")),
            "{name}: the migration over repeated codes passed"
        );
        let conn = rusqlite::Connection::open(&db).unwrap();
        assert_eq!(
            sqlite_catalog(&conn),
            before,
            "{name}: the failed migration changed the catalog"
        );
        let counts: (i64, i64) = conn.query_row(COUNTS, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(counts, (2, 2), "{name}: rows changed");
    }
}

/// PostgreSQL in one transaction (`psql -1`, as sqlx and diesel run a migration); MariaDB
/// with its preflight.
#[test]
fn a_migration_that_fails_on_postgres_or_mariadb_changes_nothing() {
    for d in [Dialect::Postgres, Dialect::Mysql] {
        for (name, old, new) in cases() {
            let Some(conn) = Conn::fresh(d, &format!("matomic_{name}")) else {
                return;
            };
            let p = project(&old, &new);
            let dir = format!("migrations/{}", d.name());
            let up = std::fs::read_dir(p.path().join(&dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with("0002_") && n.ends_with(".up.sql"))
                .unwrap();
            conn.migrate(&read(&p, &format!("{dir}/0001_initial.up.sql")), false)
                .unwrap();
            conn.batch(ROWS).unwrap();
            let old_schema = load(&old);
            let before = in_schema_order(conn.catalog(), &old_schema, d);
            let failed = conn.migrate(&read(&p, &format!("{dir}/{up}")), false);
            assert!(
                failed.is_err(),
                "{name} on {}: the migration over repeated codes passed",
                d.name()
            );
            assert_eq!(
                in_schema_order(conn.catalog(), &old_schema, d),
                before,
                "{name} on {}: the failed migration changed the catalog: {}",
                d.name(),
                failed.unwrap_err()
            );
            let counts = conn.rows(COUNTS).unwrap();
            assert_eq!(
                counts[0],
                [Some("2".into()), Some("2".into())],
                "{name} on {}: rows changed",
                d.name()
            );
            conn.drop_database();
        }
    }
}
