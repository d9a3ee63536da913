//! A schema written as a spec and read back (`modelgen_spec::spec_text`), and a schema
//! built on SQLite and pulled (`modelgen_pull::pull`), give what the database keeps of
//! the original (`modelgen_pull::kept`), for the root models.yaml and every spec case.

use modelgen_ir::{Dialect, Schema};
use std::path::PathBuf;

fn cases() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = vec![(
        "models.yaml".to_owned(),
        std::fs::read_to_string(root.join("models.yaml")).unwrap(),
    )];
    let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/specs/ok"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        out.push((
            p.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    out
}

fn load(name: &str, text: &str) -> Schema {
    modelgen_spec::load(text, name).unwrap_or_else(|e| panic!("{name}: {}", e.render(false)))
}

/// The models that differ, each as its debug form, for a readable failure.
fn differences(a: &Schema, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for m in &a.models {
        match b.models.iter().find(|n| n.table == m.table) {
            Some(n) if n == m => {}
            Some(n) => out.push(format!("{}:\n  expected {m:?}\n  got      {n:?}", m.table)),
            None => out.push(format!("{}: missing", m.table)),
        }
    }
    for n in &b.models {
        if !a.models.iter().any(|m| m.table == n.table) {
            out.push(format!("{}: not expected", n.table));
        }
    }
    out
}

#[test]
fn a_written_spec_reads_back_as_the_schema_it_was_written_from() {
    let mut failed = Vec::new();
    for (name, text) in cases() {
        let kept = modelgen_pull::kept(&load(&name, &text), Dialect::Postgres);
        let written = modelgen_spec::spec_text(&kept, &[Dialect::Postgres], &[]);
        let read = match modelgen_spec::load(&written, "pulled.yaml") {
            Ok(schema) => modelgen_pull::kept(&schema, Dialect::Postgres),
            Err(e) => {
                failed.push(format!(
                    "{name}: the written spec does not load:\n{}\n{written}",
                    e.render(false)
                ));
                continue;
            }
        };
        let diff = differences(&kept, &read);
        if !diff.is_empty() {
            failed.push(format!("{name}:\n{}\n{written}", diff.join("\n")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of the cases:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

/// Whether `dialect` can build every part of `schema`.
fn buildable(schema: &Schema, dialect: Dialect) -> bool {
    schema.models.iter().all(|m| {
        m.columns.iter().all(|c| c.unsupported_on(dialect).is_none())
            && m.indexes.iter().all(|i| i.unsupported_on(dialect).is_none())
            && m.checks.iter().all(|c| c.unsupported_on(m, dialect).is_none())
    })
}

/// Whether `dialect` keeps every name of `schema` as it is: a longer one is shortened
/// with a hash of the whole (`SqlDialect::name_of`), which a pull cannot undo — a
/// documented loss.
fn names_kept(schema: &Schema, dialect: Dialect) -> bool {
    use modelgen_sql::SqlDialect;
    schema.models.iter().all(|m| {
        dialect.keeps(&m.table)
            && m.columns.iter().all(|c| dialect.keeps(&c.name))
            && m.indexes.iter().all(|i| dialect.keeps(&i.name))
    })
}

/// Builds each case on `dialect` with `apply` (a database name and SQL in, its URL out),
/// pulls it back and compares; fails with every case that differs, or when fewer than
/// `least` cases ran.
fn assert_pulled_back(dialect: Dialect, least: usize, apply: &dyn Fn(&str, &str) -> String) {
    let (mut ran, mut failed) = (0, Vec::new());
    for (i, (name, text)) in cases().into_iter().enumerate() {
        let original = load(&name, &text);
        if !buildable(&original, dialect) {
            continue;
        }
        if !names_kept(&original, dialect) {
            assert_eq!(
                name,
                "hostile_names.yaml",
                "a case with names {} shortens",
                dialect.name()
            );
            continue;
        }
        ran += 1;
        let (up, _) = modelgen_migrate::initial(&original, dialect);
        let url = apply(&format!("pull_{i}"), &up.sql);
        let pulled = modelgen_pull::pull(&url).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = modelgen_spec::spec_text(&pulled.schema, &[dialect], &[]);
        let read = match modelgen_spec::load(&written, "pulled.yaml") {
            Ok(schema) => modelgen_pull::kept(&schema, dialect),
            Err(e) => {
                failed.push(format!(
                    "{name}: the pulled spec does not load:\n{}\n{written}",
                    e.render(false)
                ));
                continue;
            }
        };
        let read = modelgen_pull::comparable(&read, dialect);
        let diff = differences(&modelgen_pull::comparable(&original, dialect), &read);
        if !diff.is_empty() {
            let losses: Vec<String> = pulled.losses.iter().map(|l| l.to_string()).collect();
            failed.push(format!("{name}:\n{}\nlosses: {losses:?}\n{written}", diff.join("\n")));
        }
    }
    eprintln!("{}: {ran} cases pulled back", dialect.name());
    assert!(ran >= least, "only {ran} cases ran");
    assert!(
        failed.is_empty(),
        "{} of {ran} cases:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

#[test]
fn a_schema_built_on_sqlite_pulls_back_as_what_sqlite_keeps_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let apply = |db: &str, sql: &str| {
        let path = dir.path().join(format!("{db}.db"));
        let conn = modelgen_testdb::rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        format!("sqlite://{}", path.display())
    };
    assert_pulled_back(Dialect::Sqlite, 26, &apply);
}

#[test]
fn a_schema_built_on_postgres_pulls_back_as_what_postgres_keeps_of_it() {
    // Missing PostgreSQL skips the test, and fails it under CI=true.
    let Some(pg) = modelgen_testdb::shared_postgres() else {
        return;
    };
    let apply = |db: &str, sql: &str| {
        pg.create_database(db);
        pg.exec(db, sql).unwrap_or_else(|e| panic!("{db}: {e}"));
        pg.url(db)
    };
    assert_pulled_back(Dialect::Postgres, 26, &apply);
}

#[test]
fn a_schema_built_on_mariadb_pulls_back_as_what_mysql_keeps_of_it() {
    // Missing MariaDB skips the test, and fails it under CI=true.
    let Some(db) = modelgen_testdb::shared_mariadb() else {
        return;
    };
    let apply = |name: &str, sql: &str| {
        db.create_database(name);
        db.exec(name, sql).unwrap_or_else(|e| panic!("{name}: {e}"));
        db.url(name)
    };
    assert_pulled_back(Dialect::Mysql, 21, &apply);
}
