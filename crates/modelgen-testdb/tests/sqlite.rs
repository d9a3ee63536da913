//! Checks that `sqlite_catalog` reads a real SQLite schema into the documented
//! normalized shape.

use modelgen_testdb::rusqlite::Connection;
use modelgen_testdb::{sqlite_catalog, Column, ForeignKey, Index};

const SCHEMA: &str = "
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    org_id INTEGER,
    name VARCHAR(100) NOT NULL DEFAULT 'anon',
    deleted_at TIMESTAMP
);
CREATE INDEX users_org_name ON users (org_id, name);
CREATE UNIQUE INDEX users_live_email ON users (email) WHERE deleted_at IS NULL;
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT,
    UNIQUE (user_id, title)
);
CREATE TRIGGER posts_touch AFTER UPDATE ON posts BEGIN
    UPDATE posts SET title = NEW.title WHERE id = NEW.id AND 0;
END;
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY);
";

fn col(name: &str, ty: &str, nullable: bool, default: Option<&str>, auto: bool) -> Column {
    Column {
        name: name.into(),
        ty: ty.into(),
        nullable,
        default: default.map(Into::into),
        autoincrement: auto,
        generator: None,
        comment: None,
    }
}

#[test]
fn reads_schema() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let cat = sqlite_catalog(&conn);

    assert_eq!(cat.tables.keys().collect::<Vec<_>>(), ["posts", "users"]);
    assert_eq!(cat.triggers, ["posts.posts_touch"]);

    let users = &cat.tables["users"];
    assert_eq!(
        users.columns,
        [
            col("id", "integer", false, None, true),
            col("email", "varchar(255)", false, None, false),
            col("org_id", "integer", true, None, false),
            col("name", "varchar(100)", false, Some("'anon'"), false),
            col("deleted_at", "timestamp", true, None, false),
        ]
    );
    assert_eq!(users.primary_key, ["id"]);
    assert_eq!(users.uniques, [["email"]]);
    assert_eq!(
        users.indexes,
        [
            Index {
                name: "users_live_email".into(),
                unique: true,
                columns: vec!["email".into()],
                predicate: Some("deleted_at IS NULL".into()),
            },
            Index {
                name: "users_org_name".into(),
                unique: false,
                columns: vec!["org_id".into(), "name".into()],
                predicate: None,
            },
        ]
    );
    assert!(users.foreign_keys.is_empty());

    let posts = &cat.tables["posts"];
    assert_eq!(posts.uniques, [["user_id", "title"]]);
    assert!(posts.indexes.is_empty());
    assert_eq!(
        posts.foreign_keys,
        [ForeignKey {
            columns: vec!["user_id".into()],
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: "CASCADE".into(),
            on_update: "NO ACTION".into(),
        }]
    );
}

#[test]
fn non_rowid_keys_and_implicit_fk_target() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE a (x BIGINT, y TEXT, PRIMARY KEY (y, x));
         CREATE TABLE w (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;
         CREATE TABLE c (ay TEXT, ax BIGINT, FOREIGN KEY (ay, ax) REFERENCES a ON UPDATE SET NULL);
         CREATE INDEX c_expr ON c (lower(ay), ax DESC);",
    )
    .unwrap();
    let cat = sqlite_catalog(&conn);
    let a = &cat.tables["a"];
    assert_eq!(a.primary_key, ["y", "x"]);
    assert!(a.columns.iter().all(|c| !c.autoincrement && c.nullable));
    assert!(a.uniques.is_empty() && a.indexes.is_empty());
    // WITHOUT ROWID: an INTEGER PRIMARY KEY is an ordinary key there.
    assert!(!cat.tables["w"].columns[0].autoincrement);
    let c = &cat.tables["c"];
    assert_eq!(c.foreign_keys[0].ref_columns, ["y", "x"]);
    assert_eq!(c.foreign_keys[0].on_update, "SET NULL");
    assert_eq!(c.indexes[0].columns, ["lower(ay)", "ax"]);
}
