//! How PostgreSQL numbers a key (`autoincrement: serial`, `{sequence: …}`, identity): the
//! Rust modelgen writes says the same to the derive, the derive refuses what the spec
//! refuses, and a row inserted without its key gets one on every database, through plain
//! SQL as the generated Rust inserts and, on PostgreSQL, through the SQLAlchemy module's
//! ORM on the same database.

use modelgen_ir::config::{Output, PythonOutput};
use modelgen_ir::{Dialect, Schema};
use modelgen_tests::db::Conn;
use modelgen_tests::python::{python, run_python};
use modelgen_tests::workspace_root;

const CASE: &str = "tests/specs/ok/key_generators.yaml";

fn yaml_schema() -> Schema {
    modelgen_tests::load_spec(&workspace_root().join(CASE)).unwrap()
}

#[test]
fn the_generated_rust_read_back_by_the_derive_is_the_yaml_schema() {
    let yaml = yaml_schema();
    let dir = tempfile::tempdir().unwrap();
    modelgen_tests::write_generated_rust(dir.path(), "models", &yaml, "key_generators.yaml").unwrap();
    let files: Vec<(String, String)> = ["account.rs", "event.rs", "invoice.rs", "note.rs"]
        .iter()
        .map(|f| {
            let path = dir.path().join("models").join(f);
            (f.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect();
    let derived = modelgen_attr::schema_from_sources(&files).unwrap_or_else(|e| panic!("{e:?}"));
    for model in &yaml.models {
        let twin = derived.model(&model.name).unwrap();
        assert_eq!(twin.columns, model.columns, "{}", model.name);
    }
}

#[test]
fn the_derive_refuses_what_the_spec_refuses() {
    let errors = |field: &str| match modelgen_attr::schema_from_sources(&[(
        "models.rs".into(),
        format!("#[derive(modelgen::Model)]\npub struct T {{\n    {field}\n}}\n"),
    )]) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.message).collect(),
    };
    assert_eq!(
        errors("#[model(primary_key, autoincrement = \"serail\")] pub id: i32,"),
        ["unknown `autoincrement`; write `autoincrement`, `autoincrement = false`, `autoincrement = \"serial\"` or `autoincrement(sequence = \"x_id_seq\")`"]
    );
    assert_eq!(
        errors("#[model(primary_key, autoincrement(sequence = \"x id\"))] pub id: i32,"),
        ["sequence name `x id` contains whitespace"]
    );
    assert_eq!(
        errors("#[model(primary_key, max_length = 2, autoincrement = \"serial\")] pub code: String,"),
        ["`code` cannot autoincrement: only a lone i32 or i64 primary key without a foreign key can; remove `autoincrement`"]
    );
    // The derive and the spec agree on a good one.
    assert!(errors("#[model(primary_key, autoincrement(sequence = \"t_ids\"))] pub id: i64,").is_empty());
}

/// Each table gets two rows without their keys; they are numbered 1 and 2.
#[test]
fn rows_inserted_without_their_key_are_numbered_on_every_database() {
    let schema = yaml_schema();
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "key_generators") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&schema, d)).unwrap();
        conn.batch(
            "INSERT INTO accounts (name) VALUES ('a'), ('b');
             INSERT INTO events (account_id) VALUES (1), (2);
             INSERT INTO invoices (account_id) VALUES (1), (2);
             INSERT INTO notes (body) VALUES ('x'), ('y');",
        )
        .unwrap_or_else(|e| panic!("{}: {e}", d.name()));
        for table in ["accounts", "events", "invoices", "notes"] {
            let ids = conn.text(&format!("SELECT id FROM {table} ORDER BY id")).unwrap();
            assert_eq!(ids, "1;2", "{table} on {}", d.name());
        }
        conn.drop_database();
    }
}

/// SQLAlchemy's ORM inserts through the generated module on the database the migration
/// made, after rows plain SQL inserted: its keys follow theirs, whichever way PostgreSQL
/// numbers them (`NextValue` is an `Identity` to SQLAlchemy, which reads the key back).
#[test]
fn the_orm_numbers_keys_after_plain_inserts_on_postgres() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let Some(pg) = modelgen_testdb::shared_postgres() else {
        return;
    };
    let schema = yaml_schema();
    let db = "key_generators_orm";
    let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS \"{db}\";"));
    pg.create_database(db);
    pg.exec(db, &modelgen_sql::create_script(&schema, Dialect::Postgres))
        .unwrap();
    pg.exec(
        db,
        "INSERT INTO accounts (name) VALUES ('a');
         INSERT INTO events (account_id) VALUES (1);
         INSERT INTO invoices (account_id) VALUES (1);
         INSERT INTO notes (body) VALUES ('x');",
    )
    .unwrap();
    let output = Output {
        python: Some(PythonOutput {
            file: "models.py".into(),
            templates: None,
        }),
        rust: None,
        migrations: Default::default(),
    };
    let files = modelgen_emit::generate(
        &schema,
        &output,
        "key_generators.yaml",
        &Default::default(),
        &Default::default(),
        &Default::default(),
    )
    .unwrap()
    .files;
    let module = files.into_iter().find(|f| f.path == "models.py").unwrap().contents;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.py"), module).unwrap();
    let url = format!(
        "postgresql+psycopg2://postgres@/{db}?host={}&port={}",
        pg.socket_dir().display(),
        pg.port()
    );
    let shown = run_python(
        python,
        dir.path(),
        "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\nimport models\n\
         engine = create_engine(sys.argv[1])\n\
         with Session(engine) as s:\n    \
             rows = [models.Account(name='b'), models.Event(account_id=1), models.Invoice(account_id=1), models.Note(body='y')]\n    \
             s.add_all(rows)\n    s.commit()\n    print(' '.join(str(r.id) for r in rows))\n\
         engine.dispose()\n",
        &[&url],
    );
    assert_eq!(shown.trim(), "2 2 2 2");
    let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS \"{db}\";"));
}
