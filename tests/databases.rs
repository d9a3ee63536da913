//! The SQL back end proven on real databases: every spec case's migration applied to
//! SQLite (bundled), PostgreSQL and MariaDB, its catalog read back and compared with the
//! IR, the down script undoing it, and the seed's behaviours checked by real statements.
//! PostgreSQL and MariaDB tests skip loudly when the servers are absent (fail under CI=true).

use modelgen_ir::{Dialect, Schema};
use modelgen_testdb::{rusqlite, shared_mariadb, shared_postgres, sqlite_catalog};
use modelgen_tests::{catalog, fits, load_spec, workspace_root};

/// The root `models.yaml` and every `tests/specs/ok` case, with a database-safe name.
fn cases() -> Vec<(String, Schema)> {
    modelgen_tests::valid_specs()
        .iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().replace('-', "_");
            (name, load_spec(p).unwrap())
        })
        .collect()
}

fn spec(rel: &str) -> Schema {
    load_spec(&workspace_root().join(rel)).unwrap()
}

/// One way to talk to each database, so the behaviour checks are written once.
trait Db {
    fn dialect(&self) -> Dialect;
    /// Runs statements; for a single SELECT returns its one value as text.
    fn run(&self, sql: &str) -> Result<String, String>;
}

struct Sqlite(rusqlite::Connection);

impl Db for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn run(&self, sql: &str) -> Result<String, String> {
        if sql.trim_start().starts_with("SELECT") {
            self.0
                .query_row(sql, [], |row| row.get::<_, rusqlite::types::Value>(0))
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .map_err(|e| e.to_string())
        } else {
            self.0
                .execute_batch(sql)
                .map(|_| String::new())
                .map_err(|e| e.to_string())
        }
    }
}

fn sqlite() -> Sqlite {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
    Sqlite(conn)
}

struct Pg<'a>(&'a modelgen_testdb::Postgres, String);

impl Db for Pg<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
    fn run(&self, sql: &str) -> Result<String, String> {
        let out = self.0.exec(
            &self.1,
            &format!("\\pset format unaligned\n\\pset tuples_only on\n{sql}"),
        )?;
        Ok(out.trim().to_owned())
    }
}

struct Maria<'a>(&'a modelgen_testdb::MariaDb, String);

impl Db for Maria<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }
    fn run(&self, sql: &str) -> Result<String, String> {
        // --batch output escapes backslashes in values.
        self.0.exec(&self.1, sql).map(|s| s.trim().replace("\\\\", "\\"))
    }
}

#[test]
fn sqlite_builds_exactly_the_schema_of_every_spec_and_drops_it() {
    for (name, schema) in cases() {
        let db = sqlite();
        db.run(&modelgen_sql::create_script(&schema, Dialect::Sqlite))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        catalog::assert_matches(sqlite_catalog(&db.0), &schema, Dialect::Sqlite, &name);
        db.run(&modelgen_sql::drop_script(&schema, Dialect::Sqlite))
            .unwrap_or_else(|e| panic!("{name} down: {e}"));
        assert!(
            sqlite_catalog(&db.0).tables.is_empty(),
            "{name}: the down script left tables behind"
        );
    }
}

#[test]
fn postgres_builds_exactly_the_schema_of_every_spec_and_drops_it() {
    let Some(pg) = shared_postgres() else { return };
    for (name, schema) in cases() {
        let db = format!("schema_{name}");
        pg.create_database(&db);
        pg.exec(&db, &modelgen_sql::create_script(&schema, Dialect::Postgres))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        catalog::assert_matches(pg.catalog(&db), &schema, Dialect::Postgres, &name);
        pg.exec(&db, &modelgen_sql::drop_script(&schema, Dialect::Postgres))
            .unwrap_or_else(|e| panic!("{name} down: {e}"));
        let left = pg.catalog(&db);
        assert!(
            left.tables.is_empty() && left.triggers.is_empty(),
            "{name}: the down script left {left:?}"
        );
        let functions = pg.exec(&db, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public';").unwrap();
        assert!(
            functions.contains(" 0\n") || functions.trim().ends_with('0'),
            "{name}: trigger functions left: {functions}"
        );
    }
}

#[test]
fn mariadb_builds_exactly_the_schema_of_every_spec_and_drops_it() {
    let Some(maria) = shared_mariadb() else { return };
    for (name, schema) in cases().into_iter().filter(|(_, s)| fits(s, Dialect::Mysql)) {
        let db = format!("schema_{name}");
        maria.create_database(&db);
        maria
            .exec(&db, &modelgen_sql::create_script(&schema, Dialect::Mysql))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        catalog::assert_matches(maria.catalog(&db), &schema, Dialect::Mysql, &name);
        maria
            .exec(&db, &modelgen_sql::drop_script(&schema, Dialect::Mysql))
            .unwrap_or_else(|e| panic!("{name} down: {e}"));
        assert!(
            maria.catalog(&db).tables.is_empty(),
            "{name}: the down script left tables behind"
        );
    }
}

/// The seed's promises, kept by the database itself.
fn seed_behaviour(db: &dyn Db) {
    let d = db.dialect();
    db.run(&modelgen_sql::create_script(&spec("models.yaml"), d)).unwrap();
    let (t, f) = if d == Dialect::Sqlite {
        ("1", "0")
    } else {
        ("TRUE", "FALSE")
    };
    db.run(&format!(
        "INSERT INTO users (email, username, hashed_password, is_active, is_superuser) VALUES ('ada@example.com', 'ada', 'h', {t}, {f});"
    ))
    .unwrap();
    let dup = db.run(&format!(
        "INSERT INTO users (email, username, hashed_password, is_active, is_superuser) VALUES ('ada@example.com', 'ada2', 'h', {t}, {f});"
    ));
    assert!(dup.is_err(), "{}: a duplicate email was accepted", d.name());
    assert_eq!(db.run("SELECT count(*) FROM users;").unwrap(), "1");
    assert_eq!(
        db.run("SELECT count(*) FROM users WHERE created_at IS NOT NULL;")
            .unwrap(),
        "1",
        "created_at has a server default"
    );

    db.run(&format!(
        "INSERT INTO api_keys (user_id, name, key_hash, key_prefix, scopes, is_active) VALUES (1, 'ci', 'hash-1', 'mk_', '[]', {t});"
    ))
    .unwrap();

    assert_eq!(
        db.run("SELECT count(*) FROM users WHERE updated_at IS NULL;").unwrap(),
        "1"
    );
    db.run("UPDATE users SET full_name = 'Ada Lovelace' WHERE id = 1;")
        .unwrap();
    assert_eq!(
        db.run("SELECT count(*) FROM users WHERE updated_at IS NOT NULL;")
            .unwrap(),
        "1",
        "{}: an UPDATE did not set updated_at",
        d.name()
    );

    db.run("DELETE FROM users WHERE id = 1;").unwrap();
    assert_eq!(
        db.run("SELECT count(*) FROM api_keys;").unwrap(),
        "0",
        "{}: deleting a user kept their api_keys",
        d.name()
    );
}

/// A soft-deleted row gives its live-unique value back.
fn soft_delete_behaviour(db: &dyn Db) {
    let d = db.dialect();
    db.run(&modelgen_sql::create_script(
        &spec("tests/specs/ok/soft_delete.yaml"),
        d,
    ))
    .unwrap();
    let id = |n: u8| match d {
        Dialect::Postgres => format!("'00000000-0000-0000-0000-00000000000{n}'"),
        _ => format!("'0000000000000000000000000000000{n}'"),
    };
    let insert = |n: u8, email: &str| {
        db.run(&format!(
            "INSERT INTO accounts (id, org, slug, email) VALUES ({}, 'acme', 'main', '{email}');",
            id(n)
        ))
    };
    insert(1, "a@acme.test").unwrap();
    assert!(
        insert(2, "b@acme.test").is_err(),
        "{}: a second live row took the same slug",
        d.name()
    );
    db.run(&format!(
        "UPDATE accounts SET deleted_at = CURRENT_TIMESTAMP WHERE id = {};",
        id(1)
    ))
    .unwrap();
    insert(3, "c@acme.test").unwrap_or_else(|e| panic!("{}: a soft-deleted row kept its slug: {e}", d.name()));
}

/// Server defaults arrive intact, escaping and all, in rows inserted without them.
fn server_default_behaviour(db: &dyn Db) {
    let d = db.dialect();
    db.run(&modelgen_sql::create_script(
        &spec("tests/specs/ok/server_defaults.yaml"),
        d,
    ))
    .unwrap();
    db.run("INSERT INTO settings (id) VALUES (1);").unwrap();
    let value = |col: &str| db.run(&format!("SELECT {col} FROM settings WHERE id = 1;")).unwrap();
    assert_eq!(value("label"), "it's a \\ test", "{}", d.name());
    assert_eq!(value("note"), "line \"quoted\"", "{}", d.name());
    assert_eq!(value("small"), "-7", "{}", d.name());
    assert_eq!(value("large"), "9000000000", "{}", d.name());
    let json = value("tags").replace(' ', "");
    assert_eq!(json, r#"["a","it's"]"#, "{}", d.name());
    assert_eq!(value("fixed_day"), "2000-02-29", "{}", d.name());
    assert_eq!(value("sure"), "100% sure, 50%s", "{}", d.name());
    assert_eq!(
        value("discount").replace(' ', ""),
        r#"{"discount":"10%"}"#,
        "{}",
        d.name()
    );
    let token = value("token").replace('-', "");
    assert_eq!(token, "123e4567e89b12d3a456426614174000", "{}", d.name());
}

/// `server_default_sql`: each database evaluates its own SQL for every row.
fn sql_default_behaviour(db: &dyn Db) {
    let d = db.dialect();
    db.run(&modelgen_sql::create_script(
        &spec("tests/specs/ok/server_default_sql.yaml"),
        d,
    ))
    .unwrap();
    db.run("INSERT INTO event (id) VALUES (1);").unwrap();
    db.run("INSERT INTO event (id) VALUES (2);").unwrap();
    let value = |col: &str, id: i32| db.run(&format!("SELECT {col} FROM event WHERE id = {id};")).unwrap();
    assert_eq!(
        (value("score", 1), value("label", 1)),
        ("3".into(), "ab".into()),
        "{}",
        d.name()
    );
    let (a, b) = (value("token", 1).replace('-', ""), value("token", 2).replace('-', ""));
    assert!(
        a.len() == 32 && a.chars().all(|c| c.is_ascii_hexdigit()) && a != b,
        "{}: a new random UUID per row, not {a} and {b}",
        d.name()
    );
    assert!(value("created_at", 1).starts_with("20"), "{}", d.name());
}

#[test]
fn sqlite_keeps_the_seed_behaviours() {
    seed_behaviour(&sqlite());
    soft_delete_behaviour(&sqlite());
    server_default_behaviour(&sqlite());
    sql_default_behaviour(&sqlite());
}

#[test]
fn postgres_keeps_the_seed_behaviours() {
    let Some(pg) = shared_postgres() else { return };
    for (db, check) in [
        ("seed_behaviour", seed_behaviour as fn(&dyn Db)),
        ("soft_delete_behaviour", soft_delete_behaviour),
        ("server_default_behaviour", server_default_behaviour),
        ("sql_default_behaviour", sql_default_behaviour),
    ] {
        pg.create_database(db);
        check(&Pg(pg, db.into()));
    }
}

#[test]
fn mariadb_keeps_the_seed_behaviours() {
    let Some(maria) = shared_mariadb() else { return };
    for (db, check) in [
        ("seed_behaviour", seed_behaviour as fn(&dyn Db)),
        ("soft_delete_behaviour", soft_delete_behaviour),
        ("server_default_behaviour", server_default_behaviour),
        ("sql_default_behaviour", sql_default_behaviour),
    ] {
        maria.create_database(db);
        check(&Maria(maria, db.into()));
    }
}

/// The SQLite `updated_at` trigger finds its row by the primary key: a user column named
/// `rowid`, `oid` or `_rowid_` shadows SQLite's own rowid, and a trigger keyed by it
/// stamped every row that shared the updated row's value.
#[test]
fn sqlite_updated_at_is_stamped_on_the_updated_row_only_whatever_the_columns_and_table_are_named() {
    for shadow in ["rowid", "oid", "_rowid_"] {
        let text = format!(
            "models:\n  Note:\n    table: notes\n    fields:\n      id: int pk\n      {shadow}: int\n      body: str(20)\n    mixins: [timestamps]\n"
        );
        let schema = modelgen_spec::load(&text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)));
        let db = sqlite();
        db.run(&modelgen_sql::create_script(&schema, Dialect::Sqlite)).unwrap();
        db.run(&format!(
            "INSERT INTO notes (id, {shadow}, body) VALUES (1, 7, 'a'), (2, 7, 'b'), (3, 8, 'c');"
        ))
        .unwrap();
        db.run("UPDATE notes SET body = 'changed' WHERE id = 2;").unwrap();
        assert_eq!(
            db.run("SELECT group_concat(id) FROM notes WHERE updated_at IS NOT NULL;")
                .unwrap(),
            "2",
            "a column named {shadow}: the trigger stamped rows it did not update"
        );
    }
    // Inside the trigger's UPDATE of a table named `new`, `NEW.id` is that table's column.
    for table in ["new", "NEW", "New", "old"] {
        let text = format!(
            "models:\n  Note:\n    table: {table}\n    fields:\n      id: int pk\n      body: str(20)\n    mixins: [timestamps]\n"
        );
        let schema = modelgen_spec::load(&text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)));
        let db = sqlite();
        db.run(&modelgen_sql::create_script(&schema, Dialect::Sqlite)).unwrap();
        db.run(&format!(
            "INSERT INTO \"{table}\" (id, body) VALUES (1, 'a'), (2, 'b'), (3, 'c');"
        ))
        .unwrap();
        db.run(&format!("UPDATE \"{table}\" SET body = 'changed' WHERE id = 2;"))
            .unwrap();
        assert_eq!(
            db.run(&format!(
                "SELECT group_concat(id) FROM \"{table}\" WHERE updated_at IS NOT NULL;"
            ))
            .unwrap(),
            "2",
            "a table named {table}: the trigger stamped rows it did not update"
        );
    }
}
