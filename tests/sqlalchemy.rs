//! The SQLAlchemy back end proven with SQLAlchemy itself: for the root `models.yaml` and
//! every `specs/ok` case, the generated module's `create_all` builds on SQLite,
//! PostgreSQL and MariaDB the very catalog modelgen's own migration builds there, and
//! the ORM works on the database the migration made. PostgreSQL and MariaDB skip as
//! databases.rs does when their servers are absent. Python runs in a virtualenv the test makes (cached under the target
//! dir); without python3, venv or PyPI it skips loudly, and fails under CI=true.

use modelgen_ir::config::{Output, PythonOutput};
use modelgen_ir::Dialect;
use modelgen_testdb::{rusqlite, shared_mariadb, shared_postgres, sqlite_catalog};
use modelgen_tests::python::{create_all, python, run_python};
use modelgen_tests::{catalog, workspace_root};
use std::path::{Path, PathBuf};

/// The root `models.yaml` and every `tests/specs/ok` case.
fn cases() -> Vec<PathBuf> {
    modelgen_tests::valid_specs()
}

/// The spec's schema and its SQLAlchemy module for `dialects` (the migrations' own when
/// `None`), or why there is no module.
fn generate(spec: &Path, dialects: Option<&[Dialect]>) -> (modelgen_ir::Schema, Result<String, String>) {
    let text = std::fs::read_to_string(spec).unwrap();
    let project = modelgen_spec::load_project(&text, "spec.yaml").unwrap();
    let mut migrations = project.output.migrations.clone();
    if let Some(dialects) = dialects {
        migrations.dialects = dialects.to_vec();
    }
    let output = Output {
        python: Some(PythonOutput {
            file: "models.py".into(),
            templates: None,
        }),
        rust: None,
        migrations,
    };
    let generated = modelgen_emit::generate(
        &project.schema,
        &output,
        "spec.yaml",
        &Default::default(),
        &Default::default(),
        &Default::default(),
    );
    let module = generated.map(|g| g.files.into_iter().find(|f| f.path == "models.py").unwrap().contents);
    (project.schema, module)
}

/// Fails with a table-by-table diff unless the two catalogs are equal.
fn assert_same(made: &modelgen_testdb::Catalog, wanted: &modelgen_testdb::Catalog, what: &str) {
    assert!(!wanted.tables.is_empty(), "{what}: the migration made no tables");
    if made != wanted {
        let (m, w) = (format!("{made:#?}\n"), format!("{wanted:#?}\n"));
        let diff = similar::TextDiff::from_lines(&w, &m);
        panic!(
            "{what}: create_all built a different catalog (- migration, + create_all):\n{}",
            diff.unified_diff().context_radius(3)
        );
    }
}

struct Case {
    name: String,
    schema: modelgen_ir::Schema,
    module: String,
    /// The dialects the module was made for.
    dialects: Vec<Dialect>,
}

/// Each case with the module for its own migrations' dialects and, where names allow,
/// for all three (the module then carries every dialect's constructs).
fn modules() -> Vec<Case> {
    let mut out = Vec::new();
    for spec in cases() {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let (schema, own) = generate(&spec, None);
        let own_dialects = modelgen_spec::load_project(&std::fs::read_to_string(&spec).unwrap(), "spec.yaml")
            .unwrap()
            .output
            .migrations
            .dialects;
        out.push(Case {
            name: name.clone(),
            schema: schema.clone(),
            module: own.unwrap_or_else(|e| panic!("{name}: {e}")),
            dialects: own_dialects,
        });
        match generate(&spec, Some(&Dialect::ALL)).1 {
            Ok(all) => out.push(Case {
                name: format!("{name} (all dialects)"),
                schema,
                module: all,
                dialects: Dialect::ALL.to_vec(),
            }),
            // Names PostgreSQL or MySQL would shorten, types and indexes MySQL lacks: the spec_cases
            // snapshots show the errors.
            Err(e) => assert!(
                e.contains("keeps names of at most")
                    || e.contains("which MySQL needs")
                    || e.contains("with no SQL for")
                    || e.contains("MariaDB cannot build"),
                "{name}: {e}"
            ),
        }
    }
    out
}

/// The database `create_all` made at `url`, pulled (`modelgen pull`), written as a spec
/// and read back, is what the database keeps of `schema`: a database SQLAlchemy built is
/// a way in as good as one the migrations built. Names the database shortened cannot be
/// pulled back (a documented loss), so such schemas are left out.
fn assert_pulls_back(url: &str, schema: &modelgen_ir::Schema, d: Dialect, name: &str) {
    use modelgen_sql::SqlDialect;
    let shortened = schema.models.iter().any(|m| {
        !d.keeps(&m.table) || m.columns.iter().any(|c| !d.keeps(&c.name)) || m.indexes.iter().any(|i| !d.keeps(&i.name))
    });
    if shortened {
        return;
    }
    let pulled = modelgen_pull::pull(url).unwrap_or_else(|e| panic!("{name}: pull: {e}"));
    let text = modelgen_spec::spec_text(&pulled.schema, &[d], &[]);
    let read =
        modelgen_spec::load(&text, "pulled.yaml").unwrap_or_else(|e| panic!("{name}: {}\n{text}", e.render(false)));
    assert_eq!(
        modelgen_pull::comparable(&read, d),
        modelgen_pull::comparable(schema, d),
        "{name}: pulled from the database create_all made:\n{text}"
    );
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
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    for Case {
        name, schema, module, ..
    } in modules()
    {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sqlalchemy.db");
        let _module_dir = create_all(python, &module, &format!("sqlite:///{}", file.display()));
        let by_sqlalchemy = rusqlite::Connection::open(&file).unwrap();
        let by_migration = rusqlite::Connection::open_in_memory().unwrap();
        by_migration
            .execute_batch(&modelgen_sql::create_script(&schema, Dialect::Sqlite))
            .unwrap();
        let made = sqlite_catalog(&by_sqlalchemy);
        assert_same(&made, &sqlite_catalog(&by_migration), &name);
        assert_eq!(
            trigger_sql(&by_sqlalchemy),
            trigger_sql(&by_migration),
            "{name}: the triggers differ"
        );
        catalog::assert_matches(made, &schema, Dialect::Sqlite, &format!("{name} through SQLAlchemy"));
        assert_pulls_back(&format!("sqlite://{}", file.display()), &schema, Dialect::Sqlite, &name);
    }
}

#[test]
fn create_all_builds_the_catalog_of_the_postgres_migration() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let Some(pg) = shared_postgres() else { return };
    let cases = modules()
        .into_iter()
        .filter(|c| c.dialects.contains(&Dialect::Postgres));
    for (
        i,
        Case {
            name, schema, module, ..
        },
    ) in cases.enumerate()
    {
        let (made_db, wanted_db) = (format!("sqlalchemy_{i}"), format!("migration_{i}"));
        pg.create_database(&made_db);
        pg.create_database(&wanted_db);
        let url = format!(
            "postgresql+psycopg2://postgres@/{made_db}?host={}&port={}",
            pg.socket_dir().display(),
            pg.port()
        );
        create_all(python, &module, &url);
        pg.exec(&wanted_db, &modelgen_sql::create_script(&schema, Dialect::Postgres))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let made = pg.catalog(&made_db);
        assert_same(&made, &pg.catalog(&wanted_db), &name);
        catalog::assert_matches(made, &schema, Dialect::Postgres, &format!("{name} through SQLAlchemy"));
        assert_pulls_back(&pg.url(&made_db), &schema, Dialect::Postgres, &name);
    }
}

#[test]
fn create_all_builds_the_catalog_of_the_mariadb_migration() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let Some(maria) = shared_mariadb() else { return };
    let cases = modules().into_iter().filter(|c| c.dialects.contains(&Dialect::Mysql));
    for (
        i,
        Case {
            name, schema, module, ..
        },
    ) in cases.enumerate()
    {
        let (made_db, wanted_db) = (format!("sqlalchemy_{i}"), format!("migration_{i}"));
        maria.create_database(&made_db);
        maria.create_database(&wanted_db);
        // `mariadb+` makes SQLAlchemy's dialect call itself `mariadb`, the name the
        // module's per-dialect DDL must answer to as well as `mysql`.
        let url = format!(
            "mariadb+pymysql://root@localhost/{made_db}?unix_socket={}",
            maria.socket().display()
        );
        create_all(python, &module, &url);
        maria
            .exec(&wanted_db, &modelgen_sql::create_script(&schema, Dialect::Mysql))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let made = maria.catalog(&made_db);
        assert_same(&made, &maria.catalog(&wanted_db), &name);
        catalog::assert_matches(made, &schema, Dialect::Mysql, &format!("{name} through SQLAlchemy"));
        assert_pulls_back(&maria.url(&made_db), &schema, Dialect::Mysql, &name);
    }
}

/// A Python service on the database the Rust side migrated: the seed's defaults, the
/// trigger-kept `updated_at`, the many-to-many join rows and the ORM's delete cascade,
/// each read back through plain SQL.
#[test]
fn the_orm_works_on_the_database_the_migration_made() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let (schema, module) = generate(&workspace_root().join("models.yaml"), None);
    let module = module.unwrap();
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

/// A spec case's SQLAlchemy module in a temporary folder, beside a SQLite database the
/// migration SQL built: (folder, database file, connection).
fn module_on_sqlite(case: &str) -> (tempfile::TempDir, PathBuf, rusqlite::Connection) {
    let (schema, module) = generate(&workspace_root().join(case), None);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.py"), module.unwrap()).unwrap();
    let file = dir.path().join("app.db");
    let db = rusqlite::Connection::open(&file).unwrap();
    db.execute_batch(&modelgen_sql::create_script(&schema, Dialect::Sqlite))
        .unwrap();
    (dir, file, db)
}

/// `default: uuid4` in the SQLAlchemy module: each new row gets its own random (version 4)
/// UUID from the application, stored as SQLAlchemy's `Uuid` stores it on SQLite.
#[test]
fn uuid4_defaults_make_a_new_uuid_per_row() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let (dir, file, db) = module_on_sqlite("tests/specs/ok/app_defaults.yaml");
    run_python(
        python,
        dir.path(),
        "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\nimport models\n\
         session = Session(create_engine('sqlite:///' + sys.argv[1]))\n\
         session.add_all([models.Device(), models.Device()])\nsession.commit()\n",
        &[file.to_str().unwrap()],
    );
    let ids: Vec<String> = db
        .prepare("SELECT id FROM device UNION ALL SELECT backup_id FROM device")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids.len(), 4);
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 4, "{ids:?}");
    for id in &ids {
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && &id[12..13] == "4",
            "{id} is no 32-hex version 4 UUID"
        );
    }
}

/// `app_on_update: now` in the SQLAlchemy module: the ORM writes the time on an update
/// (`onupdate=`), with no trigger, and leaves it alone on the insert.
#[test]
fn app_on_update_is_written_by_the_orm_on_update() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let (dir, file, db) = module_on_sqlite("tests/specs/ok/app_on_update.yaml");
    let session =
        "import sys\nfrom sqlalchemy import create_engine, select\nfrom sqlalchemy.orm import Session\nimport models\n\
                   session = Session(create_engine('sqlite:///' + sys.argv[1]))\n";
    let edited = || -> Option<String> { db.query_row("SELECT edited_at FROM post", [], |r| r.get(0)).unwrap() };
    run_python(
        python,
        dir.path(),
        &format!("{session}session.add(models.Post(id=1, title='a'))\nsession.commit()\n"),
        &[file.to_str().unwrap()],
    );
    assert_eq!(edited(), None, "an insert is no update");
    run_python(
        python,
        dir.path(),
        &format!("{session}post = session.get(models.Post, 1)\npost.title = 'b'\nsession.commit()\n"),
        &[file.to_str().unwrap()],
    );
    assert!(edited().is_some(), "the ORM's update wrote edited_at");
    let triggers: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%edited%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 0, "no trigger keeps an app_on_update column");
}

/// Two foreign keys to one table, each with its own relation: the ORM keeps them apart
/// (`foreign_keys=`), both ways, and the rows it writes are the ones the keys hold.
#[test]
fn two_relations_over_two_keys_to_one_table_stay_apart() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let (dir, file, db) = module_on_sqlite("tests/specs/ok/two_keys_one_table.yaml");
    let script = "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\nimport models\n\
                  session = Session(create_engine('sqlite:///' + sys.argv[1]))\n\
                  ann, bob = models.User(id=1, name='ann'), models.User(id=2, name='bob')\n\
                  session.add(models.Document(id=10, title='plan', created_by=ann, changed_by=bob))\n\
                  session.commit()\n\
                  session.expunge_all()\n\
                  doc = session.get(models.Document, 10)\n\
                  ann, bob = session.get(models.User, 1), session.get(models.User, 2)\n\
                  print(doc.created_by.name, doc.changed_by.name, [d.id for d in ann.created], [d.id for d in ann.changed], [d.id for d in bob.created], [d.id for d in bob.changed])\n";
    let out = run_python(python, dir.path(), script, &[file.to_str().unwrap()]);
    assert_eq!(out.trim(), "ann bob [10] [] [] [10]");
    let keys: (i64, i64) = db
        .query_row("SELECT created_by_id, changed_by_id FROM documents", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(keys, (1, 2));
}

/// `backref:` declares both sides from one: the generated module's ORM fills each side
/// from the other, for a one-to-many, a self-referential many-to-one and a many-to-many.
#[test]
fn a_backref_gives_the_orm_both_sides() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let (dir, file, _db) = module_on_sqlite("tests/specs/ok/backref.yaml");
    let script = "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session\nimport models\n\
                  session = Session(create_engine('sqlite:///' + sys.argv[1]))\n\
                  boss = models.User(id=1)\n\
                  ann = models.User(id=2, manager=boss)\n\
                  tag = models.Tag(id=7)\n\
                  session.add_all([boss, ann, models.Post(id=10, author=ann, tags=[tag])])\n\
                  session.commit()\n\
                  session.expunge_all()\n\
                  boss, ann, tag = session.get(models.User, 1), session.get(models.User, 2), session.get(models.Tag, 7)\n\
                  print([p.id for p in ann.posts], [u.id for u in boss.reports], [p.id for p in tag.posts], ann.posts[0].author.id)\n";
    let out = run_python(python, dir.path(), script, &[file.to_str().unwrap()]);
    assert_eq!(out.trim(), "[10] [2] [10] 2");
}

/// A one-to-one is a scalar on both sides in the ORM (`uselist=False`), through a
/// `back_populates` pair and through a backref, and the unique key refuses a second child.
#[test]
fn a_one_to_one_is_one_row_on_each_side() {
    let Some(python) = python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let (dir, file, _db) = module_on_sqlite("tests/specs/ok/one_to_one.yaml");
    let script = "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.exc import IntegrityError\nfrom sqlalchemy.orm import Session\nimport models\n\
                  session = Session(create_engine('sqlite:///' + sys.argv[1]))\n\
                  ada = models.User(id=1, email='ada@x')\n\
                  ada.profile = models.Profile(id=5, bio='hi')\n\
                  ada.settings = models.Settings(theme='dark')\n\
                  session.add_all([ada, models.User(id=2, email='bob@x')])\n\
                  session.commit()\n\
                  session.expunge_all()\n\
                  ada, bob = session.get(models.User, 1), session.get(models.User, 2)\n\
                  print(ada.profile.id, ada.profile.user.id, ada.settings.owner.email, bob.profile)\n\
                  session.add(models.Profile(id=6, user_id=1))\n\
                  try:\n    session.commit()\n    print('second profile kept')\n\
                  except IntegrityError:\n    print('second profile refused')\n";
    let out = run_python(python, dir.path(), script, &[file.to_str().unwrap()]);
    assert_eq!(out.trim(), "5 1 ada@x None\nsecond profile refused");
}
