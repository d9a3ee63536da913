//! The SQLAlchemy back end proven with SQLAlchemy itself: for the root `models.yaml` and
//! every `specs/ok` case, the generated module's `create_all` builds on SQLite the very
//! catalog modelgen's own SQLite migration builds, and the ORM works on the database the
//! migration made. Python runs in a virtualenv the test makes (cached under the target
//! dir); without python3, venv or PyPI it skips loudly, and fails under CI=true.

use modelgen_ir::config::{Output, PythonOutput};
use modelgen_ir::Dialect;
use modelgen_testdb::{rusqlite, sqlite_catalog};
use modelgen_tests::{catalog, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The SQLAlchemy release the generated modules are proven against.
const SQLALCHEMY: &str = "2.0.58";

/// The venv's python, made on first use; `None` (after a loud skip) when Python cannot be had.
fn python() -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON.get_or_init(make_venv).as_deref()
}

fn make_venv() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sqlalchemy-{SQLALCHEMY}"));
    let python = venv.join("bin/python");
    // Written last, so a venv left half-made by an interrupted run is made again.
    let ready = venv.join("modelgen-ready");
    if ready.exists() {
        return Some(python);
    }
    let _ = std::fs::remove_dir_all(&venv);
    let requirement = format!("SQLAlchemy=={SQLALCHEMY}");
    let venv_arg = venv.to_string_lossy();
    let steps = [
        (
            "python3 -m venv (on Debian: apt-get install python3-venv)",
            Path::new("python3"),
            vec!["-m", "venv", &venv_arg],
        ),
        (
            "pip install from PyPI",
            python.as_path(),
            vec![
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-input",
                &requirement,
            ],
        ),
    ];
    for (what, program, args) in steps {
        let failure = match Command::new(program).args(&args).output() {
            Err(e) => format!("cannot run {}: {e}", program.display()),
            Ok(out) if !out.status.success() => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            Ok(_) => continue,
        };
        python_missing(&format!("{what} failed: {failure}"));
        return None;
    }
    std::fs::write(&ready, SQLALCHEMY).unwrap();
    Some(python)
}

/// As `modelgen_testdb::server_missing`: a loud skip locally, a failure under CI=true,
/// since a CI run that silently skips this proves nothing.
fn python_missing(why: &str) {
    let msg = format!("SKIPPED: the SQLAlchemy tests need Python 3 with venv and pip; {why}");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
}

/// Runs a Python script in `dir` (where the generated `models.py` is) with every
/// warning an error, so SQLAlchemy's mapping warnings fail the test too.
fn run_python(python: &Path, dir: &Path, script: &str, args: &[&str]) -> String {
    let script = format!("import warnings\nwarnings.simplefilter(\"error\")\n{script}");
    let out = Command::new(python)
        .arg("-c")
        .arg(&script)
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("the venv's python runs");
    assert!(
        out.status.success(),
        "python failed:\n{}\n--- script ---\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The root `models.yaml` and every `tests/specs/ok` case.
fn cases() -> Vec<PathBuf> {
    let mut paths = vec![workspace_root().join("models.yaml")];
    let mut ok: Vec<_> = std::fs::read_dir(workspace_root().join("tests/specs/ok"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    ok.sort();
    paths.extend(ok);
    paths
}

/// The spec's schema and its SQLAlchemy module, for the dialects its migrations are for.
fn generate(spec: &Path) -> (modelgen_ir::Schema, String) {
    let text = std::fs::read_to_string(spec).unwrap();
    let project = modelgen_spec::load_project(&text, "spec.yaml").unwrap();
    let output = Output {
        python: Some(PythonOutput {
            file: "models.py".into(),
            templates: None,
        }),
        rust: None,
        migrations: project.output.migrations.clone(),
    };
    let files = modelgen_emit::generate(
        &project.schema,
        &output,
        "spec.yaml",
        &Default::default(),
        &Default::default(),
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
    .files;
    let module = files.into_iter().find(|f| f.path == "models.py").unwrap().contents;
    (project.schema, module)
}

/// The SQL text of every trigger, which the catalog knows only by name.
fn trigger_sql(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn create_all_builds_the_catalog_of_the_sqlite_migration() {
    let Some(python) = python() else { return };
    for spec in cases() {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let (schema, module) = generate(&spec);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("models.py"), &module).unwrap();

        let by_sqlalchemy = dir.path().join("sqlalchemy.db");
        run_python(
            python,
            dir.path(),
            "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import configure_mappers\nimport models\n\
             configure_mappers()\nmodels.Base.metadata.create_all(create_engine('sqlite:///' + sys.argv[1]))\n",
            &[by_sqlalchemy.to_str().unwrap()],
        );
        let by_sqlalchemy = rusqlite::Connection::open(&by_sqlalchemy).unwrap();

        let by_migration = rusqlite::Connection::open_in_memory().unwrap();
        by_migration
            .execute_batch(&modelgen_sql::create_script(&schema, Dialect::Sqlite))
            .unwrap();

        let (made, wanted) = (sqlite_catalog(&by_sqlalchemy), sqlite_catalog(&by_migration));
        assert!(!wanted.tables.is_empty(), "{name}: the migration made no tables");
        if made != wanted {
            let (m, w) = (format!("{made:#?}\n"), format!("{wanted:#?}\n"));
            let diff = similar::TextDiff::from_lines(&w, &m);
            panic!(
                "{name}: create_all built a different catalog (- migration, + create_all):\n{}",
                diff.unified_diff().context_radius(3)
            );
        }
        assert_eq!(
            trigger_sql(&by_sqlalchemy),
            trigger_sql(&by_migration),
            "{name}: the triggers differ"
        );
        catalog::assert_matches(made, &schema, Dialect::Sqlite, &format!("{name} through SQLAlchemy"));
    }
}

/// A Python service on the database the Rust side migrated: the seed's defaults, the
/// trigger-kept `updated_at`, the many-to-many join rows and the ORM's delete cascade,
/// each read back through plain SQL.
#[test]
fn the_orm_works_on_the_database_the_migration_made() {
    let Some(python) = python() else { return };
    let (schema, module) = generate(&workspace_root().join("models.yaml"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.py"), &module).unwrap();
    let file = dir.path().join("app.db");
    let db = rusqlite::Connection::open(&file).unwrap();
    db.execute_batch(&modelgen_sql::create_script(&schema, Dialect::Sqlite))
        .unwrap();
    let session = "import sys\nfrom sqlalchemy import create_engine, event, select\nfrom sqlalchemy.orm import Session\nimport models\n\
                   engine = create_engine('sqlite:///' + sys.argv[1])\n\
                   event.listen(engine, 'connect', lambda conn, _: conn.execute('PRAGMA foreign_keys = ON'))\n\
                   session = Session(engine)\n";
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();

    let shown = run_python(
        python,
        dir.path(),
        &format!(
            "{session}\
             user = models.User(email='ada@example.com', username='ada', hashed_password='h', roles=[models.Role(name='admin')])\n\
             user.api_keys.append(models.ApiKey(name='ci', key_hash='k' * 64, key_prefix='mg_'))\n\
             session.add(user)\nsession.commit()\nprint(repr(user))\n"
        ),
        &[file.to_str().unwrap()],
    );
    let id = count("SELECT id FROM users WHERE email = 'ada@example.com'");
    assert_eq!(shown.trim(), format!("<User(id={id}, email=ada@example.com)>"));
    assert_eq!(
        count("SELECT count(*) FROM users WHERE is_active = 1 AND is_superuser = 0 AND created_at IS NOT NULL AND updated_at IS NULL"),
        1,
        "client defaults were not applied"
    );
    assert_eq!(
        count("SELECT count(*) FROM api_keys WHERE scopes = '[]' AND is_active = 1"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM user_roles"), 1);

    // The trigger from the migration keeps updated_at; the ORM reads it back.
    let updated = run_python(
        python,
        dir.path(),
        &format!(
            "{session}\
             user = session.scalars(select(models.User)).one()\nuser.full_name = 'Ada'\nsession.commit()\nprint(user.updated_at)\n"
        ),
        &[file.to_str().unwrap()],
    );
    let stored: String = db.query_row("SELECT updated_at FROM users", [], |r| r.get(0)).unwrap();
    assert_eq!(
        updated.trim(),
        stored,
        "the ORM did not reload the trigger's updated_at"
    );

    // cascade="all, delete-orphan" removes the keys; the join row goes, the role stays.
    run_python(
        python,
        dir.path(),
        &format!("{session}session.delete(session.scalars(select(models.User)).one())\nsession.commit()\n"),
        &[file.to_str().unwrap()],
    );
    assert_eq!(count("SELECT count(*) FROM users"), 0);
    assert_eq!(count("SELECT count(*) FROM api_keys"), 0);
    assert_eq!(count("SELECT count(*) FROM user_roles"), 0);
    assert_eq!(count("SELECT count(*) FROM roles"), 1);
}
