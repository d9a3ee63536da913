//! Checks the MariaDB wrapper against a real server: lifecycle, `exec`, and
//! that `catalog` reads a schema into the documented normalized shape.

use std::time::Instant;

use modelgen_testdb::{shared_mariadb, Column, ForeignKey, Index, MariaDb};

const SCHEMA: &str = "
CREATE TABLE users (
    id int AUTO_INCREMENT PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    org_id int,
    name varchar(100) NOT NULL DEFAULT 'anon',
    deleted_at timestamp NULL
);
CREATE INDEX users_org_name ON users (org_id, name);
CREATE TABLE posts (
    id int AUTO_INCREMENT PRIMARY KEY,
    user_id int NOT NULL,
    title text,
    CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TRIGGER posts_trim BEFORE INSERT ON posts FOR EACH ROW SET NEW.title = TRIM(NEW.title);
CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY);
CREATE VIEW user_emails AS SELECT email FROM users;
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

fn index(name: &str, unique: bool, columns: &[&str]) -> Index {
    Index {
        name: name.into(),
        unique,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        predicate: None,
    }
}

#[test]
fn reads_schema() {
    let Some(db) = shared_mariadb() else { return };
    db.create_database("reads_schema");
    db.exec("reads_schema", SCHEMA).unwrap();
    let cat = db.catalog("reads_schema");

    assert_eq!(cat.tables.keys().collect::<Vec<_>>(), ["posts", "users"]);
    assert_eq!(cat.triggers, ["posts.posts_trim"]);

    let users = &cat.tables["users"];
    assert_eq!(
        users.columns,
        [
            col("id", "int(11)", false, None, true),
            col("email", "varchar(255)", false, None, false),
            col("org_id", "int(11)", true, None, false),
            col("name", "varchar(100)", false, Some("'anon'"), false),
            col("deleted_at", "timestamp", true, None, false),
        ]
    );
    assert_eq!(users.primary_key, ["id"]);
    // A UNIQUE constraint is indistinguishable from a unique index here.
    assert!(users.uniques.is_empty());
    assert_eq!(
        users.indexes,
        [
            index("email", true, &["email"]),
            index("users_org_name", false, &["org_id", "name"]),
        ]
    );

    let posts = &cat.tables["posts"];
    assert_eq!(posts.columns[1], col("user_id", "int(11)", false, None, false));
    // InnoDB's own index for the foreign key, named after the constraint.
    assert_eq!(posts.indexes, [index("posts_user_fk", false, &["user_id"])]);
    assert_eq!(
        posts.foreign_keys,
        [ForeignKey {
            columns: vec!["user_id".into()],
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: "CASCADE".into(),
            // MariaDB's default action, spelled as it reports it.
            on_update: "RESTRICT".into(),
        }]
    );
}

/// Pins how MariaDB spells common types, which generators must expect.
#[test]
fn type_spellings() {
    let Some(db) = shared_mariadb() else { return };
    db.create_database("type_spellings");
    db.exec(
        "type_spellings",
        "CREATE TABLE t (a varchar(255), b text, c integer, d bigint, e double, f float,
            g numeric(10,2), h boolean, i timestamp NULL, j datetime, k date, l uuid,
            m json, o char(36), p smallint, q blob);",
    )
    .unwrap();
    let cat = db.catalog("type_spellings");
    let types: Vec<&str> = cat.tables["t"].columns.iter().map(|c| c.ty.as_str()).collect();
    assert_eq!(
        types,
        [
            "varchar(255)",
            "text",
            "int(11)",
            "bigint(20)",
            "double",
            "float",
            "decimal(10,2)",
            "tinyint(1)",
            "timestamp",
            "datetime",
            "date",
            "uuid",
            "longtext",
            "char(36)",
            "smallint(6)",
            "blob",
        ]
    );
}

#[test]
fn exec_reports_errors() {
    let Some(db) = shared_mariadb() else { return };
    db.create_database("exec_reports_errors");
    let err = db.exec("exec_reports_errors", "SELEC 1;").unwrap_err();
    assert!(err.contains("SQL syntax"), "{err}");
    // The client stops at the first error: nothing after it runs.
    db.exec(
        "exec_reports_errors",
        "CREATE TABLE a (x int); CREATE TABLE a (x int); CREATE TABLE b (x int);",
    )
    .unwrap_err();
    let cat = db.catalog("exec_reports_errors");
    assert_eq!(cat.tables.keys().collect::<Vec<_>>(), ["a"]);
    let out = db.exec("exec_reports_errors", "SELECT 40 + 2;").unwrap();
    assert_eq!(out.trim(), "42");
}

#[test]
fn owned_instance_cleans_up() {
    let started = Instant::now();
    let Some(db) = MariaDb::start() else { return };
    eprintln!("MariaDB start took {:?}", started.elapsed());
    let socket = db.socket().to_path_buf();
    let dir = socket.parent().unwrap().to_path_buf();
    assert!(socket.exists());
    assert!(db.url("x").starts_with("mysql://root@localhost/x?socket=/"));
    drop(db);
    assert!(!dir.exists(), "{} left behind", dir.display());
}

#[test]
fn reads_comments() {
    let Some(db) = shared_mariadb() else { return };
    db.create_database("reads_comments");
    db.exec(
        "reads_comments",
        "CREATE TABLE notes (id int, body text COMMENT 'The text', plain text COMMENT '')
COMMENT = 'It''s a\\\\b
two lines ü';
CREATE TABLE bare (id int);",
    )
    .unwrap();
    let catalog = db.catalog("reads_comments");
    let notes = &catalog.tables["notes"];
    assert_eq!(notes.comment.as_deref(), Some("It's a\\b\ntwo lines ü"));
    let comments: Vec<Option<&str>> = notes.columns.iter().map(|c| c.comment.as_deref()).collect();
    // MariaDB has no NULL comment: an empty one reads as none.
    assert_eq!(comments, [None, Some("The text"), None]);
    assert_eq!(catalog.tables["bare"].comment, None);
}
