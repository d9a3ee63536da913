//! Text from the spec reaches SQL, Rust and Python files: what could cut or reorder them
//! is refused with a located error (a NUL in a default ended the line `sqlite3` and `psql`
//! read and ran the next default's text as SQL), and everything else — quotes,
//! backslashes, `%`, `$$`, `--`, `/*`, line breaks, any script — applies through the real
//! clients as exactly the statements it should be. The spec's file name goes into every
//! header as text too.

use modelgen_ir::Dialect;
use modelgen_testdb::{rusqlite, shared_mariadb, shared_postgres};
use modelgen_tests::Project;
use std::process::{Command, Stdio};

/// What each default must read back as, byte for byte: SQL quoting, comment and
/// placeholder syntax of every dialect, a line break, and scripts.
const TEXTS: &[&str] = &[
    "it's",
    "back\\slash \\' \\\\",
    "10% and 50%s and %(name)s",
    "$$ $tag$ done $$",
    "-- not a comment",
    "/* nor this */",
    "two\nlines\tand a tab",
    "ünïcödé 日本語 عربي",
    "\"); DROP TABLE victim; --",
];

fn yaml_str(s: &str) -> String {
    modelgen_tests::gen::yaml_str(s)
}

fn spec() -> String {
    let mut out = String::from(
        "output:\n  migrations: {dialects: [sqlite, postgres, mysql]}\nmodels:\n  Note:\n    table: notes\n    doc: \"A note.\\nIt says \\\"*/ -- $$ %s\\\"; and \\\\ goes on.\"\n    fields:\n      id: int pk\n",
    );
    for (i, text) in TEXTS.iter().enumerate() {
        out.push_str(&format!(
            "      t{i}: {{type: text, server_default: {}, doc: {}}}\n",
            yaml_str(text),
            yaml_str(&format!("t{i}: {text}"))
        ));
    }
    out
}

fn read(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.path().join(rel)).unwrap()
}

#[test]
fn text_that_would_cut_or_reorder_a_file_is_refused_where_it_is_written() {
    for (what, field) in [
        (
            "a NUL in a server default",
            "      s: {type: text, server_default: \"x\\0\\\"); DROP TABLE victim; --\"}\n",
        ),
        (
            "a carriage return in a default",
            "      s: {type: text, default: \"a\\rb\"}\n",
        ),
        (
            "a bidi control in a doc",
            "      s: {type: text?, doc: \"safe \\u202e evil\"}\n",
        ),
        (
            "a line separator in a JSON key",
            "      s: {type: json, server_default: {\"a\\u2028b\": 1}}\n",
        ),
        (
            "an escape character in a default list",
            "      s: {type: \"list[str]\", default: [\"\\e[31m\"]}\n",
        ),
    ] {
        let p = Project::new();
        p.write(
            "models.yaml",
            format!("models:\n  Note:\n    table: notes\n    fields:\n      id: int pk\n{field}"),
        );
        let check = p.run(&["check"]);
        assert_eq!(check.code, 1, "{what}: {check:?}");
        assert!(
            check.stderr.contains("models.yaml:6:"),
            "{what}: not located: {}",
            check.stderr
        );
        assert!(check.stderr.contains("holds U+"), "{what}: {}", check.stderr);
        let build = p.run(&["build"]);
        assert_eq!(build.code, 1, "{what}: {build:?}");
        assert_eq!(p.tree(), ["models.yaml"], "{what}: build wrote files");
    }
}

/// Applies `file` with a client reading it as a file, as users do.
fn client(program: &str, args: &[&str], file: &std::path::Path) -> Result<(), String> {
    let out = Command::new(program)
        .args(args)
        .stdin(std::fs::File::open(file).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    match out.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

#[test]
fn accepted_text_applies_through_every_client_as_the_statements_it_is() {
    let p = Project::new();
    p.write("models.yaml", spec());
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let columns: Vec<String> = (0..TEXTS.len()).map(|i| format!("t{i}")).collect();
    let select = format!("SELECT {} FROM notes", columns.join(", "));

    // SQLite through the sqlite3 client.
    let db = p.path().join("app.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE victim (id INTEGER);")
        .unwrap();
    client(
        "sqlite3",
        &["-bail", db.to_str().unwrap()],
        &p.path().join("migrations/sqlite/0001_initial.up.sql"),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("INSERT INTO notes (id) VALUES (1);").unwrap();
    let got: Vec<String> = conn
        .query_row(&select, [], |r| {
            (0..TEXTS.len()).map(|i| r.get::<_, String>(i)).collect()
        })
        .unwrap();
    assert_eq!(got, TEXTS, "sqlite3");
    conn.query_row("SELECT count(*) FROM victim", [], |_| Ok(()))
        .expect("the victim table survives");

    // PostgreSQL through psql reading the file, MariaDB through the mariadb client.
    for d in [Dialect::Postgres, Dialect::Mysql] {
        let file = p.path().join(format!("migrations/{}/0001_initial.up.sql", d.name()));
        let rows = match d {
            Dialect::Postgres => {
                let Some(pg) = shared_postgres() else { continue };
                pg.create_database("text_clients");
                pg.exec("text_clients", "CREATE TABLE victim (id int);").unwrap();
                pg.exec("text_clients", &std::fs::read_to_string(&file).unwrap())
                    .unwrap();
                pg.exec(
                    "text_clients",
                    &format!("INSERT INTO notes (id) VALUES (1);\n\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep '\\037'\n{select};\nSELECT count(*) FROM victim;"),
                )
                .unwrap()
            }
            _ => {
                let Some(maria) = shared_mariadb() else { continue };
                maria.create_database("text_clients");
                maria.exec("text_clients", "CREATE TABLE victim (id int);").unwrap();
                maria
                    .exec("text_clients", &std::fs::read_to_string(&file).unwrap())
                    .unwrap();
                maria
                    .exec(
                        "text_clients",
                        &format!("INSERT INTO notes (id) VALUES (1); SELECT HEX(CONCAT_WS(0x1f, {})) FROM notes; SELECT count(*) FROM victim;", columns.join(", ")),
                    )
                    .unwrap()
            }
        };
        let mut lines = rows.trim_end().rsplitn(2, '\n');
        assert_eq!(lines.next(), Some("0"), "{}: the victim table is gone", d.name());
        let values = lines.next().unwrap();
        let values = match d {
            Dialect::Mysql => String::from_utf8(
                (0..values.len() / 2)
                    .map(|i| u8::from_str_radix(&values[2 * i..2 * i + 2], 16).unwrap())
                    .collect(),
            )
            .unwrap(),
            _ => values.to_owned(),
        };
        let got: Vec<&str> = values.split('\u{1f}').collect();
        assert_eq!(got, TEXTS, "{}", d.name());
    }
}

#[tokio::test(flavor = "current_thread")]
async fn accepted_text_applies_through_sqlx() {
    let p = Project::new();
    p.write("models.yaml", spec());
    assert_eq!(p.run(&["build"]).code, 0);
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(p.path().join("app.db"))
        .create_if_missing(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(p.path().join("migrations/sqlite"))
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO notes (id) VALUES (1)")
        .execute(&pool)
        .await
        .unwrap();
    for (i, text) in TEXTS.iter().enumerate() {
        let got: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT t{i} FROM notes")))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(got, *text);
    }
}

/// A spec file named to break out of a header comment: every header shows the name, and
/// the SQL runs nothing else.
#[test]
fn the_spec_file_name_is_shown_in_headers_never_run() {
    let name = "x\nDROP TABLE victim;\n-- \u{202e}.yaml";
    let p = Project::new();
    p.write(name, "output:\n  migrations: {dialects: [sqlite, postgres]}\n  rust: {dir: models}\nmodels:\n  Note:\n    table: notes\n    fields:\n      id: int pk\n");
    let run = p.run(&["build", "--spec", name]);
    assert_eq!(run.code, 0, "{run:?}");
    let up = read(&p, "migrations/sqlite/0001_initial.up.sql");
    assert!(
        up.contains(r"from x\u{a}DROP TABLE victim;\u{a}-- \u{202e}.yaml for sqlite"),
        "{up}"
    );
    assert!(read(&p, "models/note.rs").contains(r"from x\u{a}DROP TABLE victim;"));
    assert!(!up.contains("\nDROP TABLE victim"), "{up}");

    let db = p.path().join("app.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE victim (id INTEGER);")
        .unwrap();
    client(
        "sqlite3",
        &["-bail", db.to_str().unwrap()],
        &p.path().join("migrations/sqlite/0001_initial.up.sql"),
    )
    .unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM victim", [], |_| Ok(()))
        .expect("the victim table survives sqlite3");
    if let Some(pg) = shared_postgres() {
        pg.create_database("text_file_name");
        pg.exec("text_file_name", "CREATE TABLE victim (id int);").unwrap();
        pg.exec("text_file_name", &read(&p, "migrations/postgres/0001_initial.up.sql"))
            .unwrap();
        pg.exec("text_file_name", "SELECT count(*) FROM victim;")
            .expect("the victim table survives psql");
    }
}
