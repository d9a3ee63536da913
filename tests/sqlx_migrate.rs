//! Proves sqlx's migrator accepts the `migrations/sqlite` folder `modelgen build` writes and
//! round-trips it on a real SQLite file: up, down to version 0, and up again, with the catalog
//! read back and compared with the IR after each step.

use std::path::Path;

use modelgen_ir::Dialect;
use modelgen_testdb::{rusqlite, sqlite_catalog, Catalog};
use modelgen_tests::{catalog, load_spec, workspace_root, Project};
use sqlx::migrate::{MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The database as a fresh rusqlite connection sees it, beside sqlx's pool.
fn catalog_of(db: &Path) -> Catalog {
    sqlite_catalog(&rusqlite::Connection::open(db).unwrap())
}

/// `(version, description, success)` of every migration sqlx recorded as applied.
fn applied(db: &Path) -> Vec<(i64, String, bool)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT version, description, success FROM _sqlx_migrations ORDER BY version")
        .unwrap();
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[tokio::test]
async fn sqlx_migrator_runs_undoes_and_reruns_the_generated_sqlite_folder() -> TestResult {
    let spec_path = workspace_root().join("models.yaml");
    let schema = load_spec(&spec_path)?;
    let project = Project::new();
    // Without the root spec's `output:` section the build uses the defaults: SQLite
    // migrations in ./migrations.
    let text = std::fs::read_to_string(&spec_path)?;
    let start = text.find("\noutput:").map_or(0, |at| at + 1);
    let end = text.find("\nmodels:").map_or(0, |at| at + 1);
    project.write("models.yaml", format!("{}{}", &text[..start], &text[end..]));
    let run = project.run(&["build"]);
    assert_eq!(run.code, 0, "modelgen build failed:\n{}{}", run.stdout, run.stderr);

    // sqlx reads the folder as one reversible migration: version 1, "initial", up and down.
    let migrator = Migrator::new(project.path().join("migrations/sqlite")).await?;
    let found: Vec<_> = migrator
        .iter()
        .map(|m| (m.version, m.description.to_string(), m.migration_type))
        .collect();
    assert_eq!(
        found,
        [
            (1, "initial".to_string(), MigrationType::ReversibleUp),
            (1, "initial".to_string(), MigrationType::ReversibleDown),
        ]
    );

    let db = project.path().join("app.db");
    let options = SqliteConnectOptions::new().filename(&db).create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let recorded = vec![(1, "initial".to_string(), true)];

    migrator.run(&pool).await?;
    catalog::assert_matches(catalog_of(&db), &schema, Dialect::Sqlite, "sqlx run");
    assert_eq!(applied(&db), recorded);

    migrator.undo(&pool, 0).await?;
    let after_undo = catalog_of(&db);
    assert!(
        after_undo.tables.is_empty() && after_undo.triggers.is_empty(),
        "sqlx undo left {:?} (triggers {:?})",
        after_undo.tables.keys().collect::<Vec<_>>(),
        after_undo.triggers
    );
    assert_eq!(applied(&db), []);

    migrator.run(&pool).await?;
    catalog::assert_matches(catalog_of(&db), &schema, Dialect::Sqlite, "sqlx re-run after undo");
    assert_eq!(applied(&db), recorded);

    pool.close().await;
    Ok(())
}
