//! `modelgen diff --database-url` on real databases: a database built by the migrations
//! matches; altered by hand (a column added, an index dropped, a default changed), the
//! command reports exactly those, and the migration it writes makes it match again.

use modelgen_testdb::{rusqlite, shared_mariadb, shared_postgres};
use modelgen_tests::Project;

const SPEC: &str = "output:
  migrations: {dialects: [sqlite, postgres, mysql]}
models:
  User:
    table: users
    fields:
      id: int pk
      email: str(255) unique index
      status: {type: str(20), server_default: active}
      score: int index
";

/// The altered parts every database is given by hand, in its own SQL.
const ADD_COLUMN: &str = "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);";
const DROP_INDEX_PG: &str = "DROP INDEX ix_users_score;";

fn built() -> Project {
    let p = Project::new();
    p.write("models.yaml", SPEC);
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    p
}

fn initial(p: &Project, dialect: &str) -> String {
    std::fs::read_to_string(p.path().join(format!("migrations/{dialect}/0001_initial.up.sql"))).unwrap()
}

/// Runs the checks against the database at `url`: it matches; after `alter` it reports
/// the three differences; the written migration, applied with `apply`, makes it match.
fn drift_is_found_and_mended(p: &Project, url: &str, alter: &dyn Fn(), apply: &dyn Fn(&str)) {
    let clean = p.run(&["diff", "--database-url", url]);
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(
        clean
            .stdout
            .contains("matches the schema the migrations of models.yaml reach"),
        "{clean:?}"
    );
    alter();
    let drifted = p.run(&["diff", "--database-url", url, "--write-migration", "fix.sql"]);
    assert_eq!(drifted.code, 1, "{drifted:?}");
    let found: Vec<&str> = drifted.stderr.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(found.len(), 3, "{}", drifted.stderr);
    assert!(found.iter().any(|l| l.contains("nickname")), "{found:?}");
    assert!(found.iter().any(|l| l.contains("ix_users_score")), "{found:?}");
    assert!(found.iter().any(|l| l.contains("status")), "{found:?}");
    apply(&std::fs::read_to_string(p.path().join("fix.sql")).unwrap());
    let mended = p.run(&["diff", "--database-url", url]);
    assert_eq!(mended.code, 0, "after fix.sql: {mended:?}");
}

#[test]
fn drift_on_sqlite() {
    let p = built();
    let path = p.path().join("app.db");
    let open = || rusqlite::Connection::open(&path).unwrap();
    open().execute_batch(&initial(&p, "sqlite")).unwrap();
    let alter = || {
        let db = open();
        db.execute_batch(&format!("{ADD_COLUMN} {DROP_INDEX_PG}")).unwrap();
        // SQLite changes a default only by making the table again.
        let create: String = db
            .query_row("SELECT sql FROM sqlite_schema WHERE name = 'users'", [], |r| r.get(0))
            .unwrap();
        let create = create
            .replacen("\"users\"", "\"users_new\"", 1)
            .replace("DEFAULT 'active'", "DEFAULT 'idle'");
        assert!(create.contains("'idle'"), "{create}");
        db.execute_batch(&format!(
            "{create}; INSERT INTO users_new SELECT * FROM users; DROP TABLE users; \
             ALTER TABLE users_new RENAME TO users; CREATE UNIQUE INDEX ix_users_email ON users (email);"
        ))
        .unwrap();
    };
    let url = format!("sqlite://{}", path.display());
    drift_is_found_and_mended(&p, &url, &alter, &|sql| open().execute_batch(sql).unwrap());
}

#[test]
fn drift_on_postgres() {
    let Some(pg) = shared_postgres() else { return };
    let p = built();
    pg.create_database("drift");
    pg.exec("drift", &initial(&p, "postgres")).unwrap();
    let alter = || {
        pg.exec(
            "drift",
            &format!("{ADD_COLUMN} {DROP_INDEX_PG} ALTER TABLE users ALTER COLUMN status SET DEFAULT 'idle';"),
        )
        .unwrap();
    };
    drift_is_found_and_mended(&p, &pg.url("drift"), &alter, &|sql| {
        pg.exec("drift", sql).unwrap();
    });
}

#[test]
fn drift_on_mariadb() {
    let Some(maria) = shared_mariadb() else { return };
    let p = built();
    maria.create_database("drift");
    maria.exec("drift", &initial(&p, "mysql")).unwrap();
    let alter = || {
        maria
            .exec(
                "drift",
                &format!(
                    "{ADD_COLUMN} DROP INDEX ix_users_score ON users; ALTER TABLE users ALTER COLUMN status SET DEFAULT 'idle';"
                ),
            )
            .unwrap();
    };
    drift_is_found_and_mended(&p, &maria.url("drift"), &alter, &|sql| {
        maria.exec("drift", sql).unwrap();
    });
}
