//! `modelgen pull` as a user runs it: the spec it writes checks and builds the same
//! schema, what it cannot say is listed by table and column, and an existing file is
//! never overwritten unless asked.

use modelgen_testdb::rusqlite;
use modelgen_tests::Project;

/// A database a person made by hand, with parts the spec language has no words for, once
/// migrated by Alembic and now by sqlx (their bookkeeping tables are not the schema's).
const HAND_MADE: &str = "
CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    rating NUMERIC(3, 1) DEFAULT 0,
    born DATE,
    shape GEOMETRY
);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title VARCHAR(200) NOT NULL,
    CONSTRAINT books_title_nonempty CHECK (length(title) > 0)
);
CREATE INDEX ix_books_title ON books (title);
CREATE VIEW author_titles AS SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id;
CREATE TRIGGER books_audit AFTER INSERT ON books BEGIN SELECT 1; END;
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL);
";

fn hand_made(p: &Project) -> String {
    let path = p.path().join("app.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(HAND_MADE)
        .unwrap();
    format!("sqlite://{}", path.display())
}

#[test]
fn pull_writes_a_spec_that_checks_and_lists_what_it_left_out() {
    let p = Project::new();
    let url = hand_made(&p);
    let run = p.run(&["pull", "--database-url", &url]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("wrote models.yaml: 2 models from sqlite"),
        "{run:?}"
    );
    for left_out in [
        "authors.shape: SQLite type `GEOMETRY` has no type in the spec language; the column is left out",
        "books: trigger `books_audit`: the spec language has no triggers of its own",
        "view author_titles: the spec language has no such thing",
    ] {
        assert!(
            run.stdout.contains(&format!("  - {left_out}\n")),
            "{left_out}:\n{}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("alembic") && !run.stdout.contains("sqlx"),
        "{run:?}"
    );
    let spec = std::fs::read_to_string(p.path().join("models.yaml")).unwrap();
    assert!(!spec.contains("alembic") && !spec.contains("sqlx"), "{spec}");
    assert!(
        spec.contains("author_id: {type: int, foreign_key: {references: authors.id, on_delete: cascade}}"),
        "{spec}"
    );
    assert!(spec.contains("books_title_nonempty: \"length(title) > 0\""), "{spec}");
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{check:?}\n{spec}");
    // Adopting the database as it is: no migration to make its tables again.
    let adopt = p.run(&["migrate", "--record-snapshot"]);
    assert_eq!(adopt.code, 0, "{adopt:?}");
    let diff = p.run(&["diff", "--database-url", &url]);
    assert_eq!(diff.code, 0, "{diff:?}");
}

#[test]
fn pull_never_overwrites_a_file_unless_asked() {
    let p = Project::new();
    let url = hand_made(&p);
    p.write("models.yaml", "# mine\n");
    let refused = p.run(&["pull", "--database-url", &url]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("models.yaml already exists"), "{refused:?}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("models.yaml")).unwrap(),
        "# mine\n"
    );
    let forced = p.run(&["pull", "--database-url", &url, "--force"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    let other = p.run(&["pull", "--database-url", &url, "--output", "db/models.yaml"]);
    assert_eq!(other.code, 0, "{other:?}");
    assert!(
        other.stdout.contains("modelgen migrate --spec db/models.yaml"),
        "{other:?}"
    );
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let p = Project::new();
    let run = p.run(&["pull", "--database-url", "oracle://db/app"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("is not a database URL modelgen reads; use sqlite://"),
        "{run:?}"
    );
    let missing = p.run(&["pull", "--database-url", "postgres://app:s3cret@127.0.0.1:1/app"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.contains("postgres://app:***@127.0.0.1:1/app"),
        "{missing:?}"
    );
    assert!(!missing.stderr.contains("s3cret"), "{missing:?}");
    assert!(!p.path().join("models.yaml").exists());
}

/// The reference spec's SQLite database, pulled back, reads like the spec a person wrote:
/// its timestamps mixin, its many-to-many through the join table, models named as the
/// join table's columns name them, relations named from the foreign keys, the fields'
/// `index` flags as flags and only the other indexes listed.
#[test]
fn the_reference_database_pulls_back_as_a_person_would_write_it() {
    let p = Project::new();
    let root = modelgen_tests::workspace_root();
    let sql = std::fs::read_to_string(root.join("examples/reference/migrations/sqlite/0001_initial.up.sql")).unwrap();
    let path = p.path().join("app.db");
    rusqlite::Connection::open(&path).unwrap().execute_batch(&sql).unwrap();
    let run = p.run(&["pull", "--database-url", &format!("sqlite://{}", path.display())]);
    assert_eq!(run.code, 0, "{run:?}");
    let spec = std::fs::read_to_string(p.path().join("models.yaml")).unwrap();
    for line in [
        "  User:\n    table: users\n",
        "  Role:\n    table: roles\n",
        "    mixins: [timestamps]\n",
        "      roles: {many_to_many: Role, through: user_roles, backref: users}\n",
        "      api_keys: {one_to_many: ApiKeys, foreign_key: user_id, back_populates: user}\n",
        "      user: {many_to_one: User, foreign_key: user_id, back_populates: api_keys}\n",
        "      email: str(255) unique index\n",
        "      key_hash: str(64) unique index\n",
        "      user_id: {type: int index, foreign_key: {references: users.id, on_delete: cascade}}\n",
        "    indexes:\n      - {name: ix_users_email_active, columns: [email, is_active]}\n    relations:",
    ] {
        assert!(spec.contains(line), "{line}\n{spec}");
    }
    assert!(!spec.contains("UserRoles"), "{spec}");
    assert_eq!(p.run(&["check"]).code, 0);
}

/// The ok case `file`'s first migration applied to a SQLite file and pulled back: the
/// project and the spec written.
fn pulled_case(file: &str) -> (Project, String) {
    let p = Project::new();
    let root = modelgen_tests::workspace_root();
    let text = std::fs::read_to_string(root.join("tests/specs/ok").join(file)).unwrap();
    let schema = modelgen_spec::load(&text, file).unwrap();
    let (up, _) = modelgen_migrate::initial(&schema, modelgen_ir::Dialect::Sqlite);
    let path = p.path().join("app.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&up.sql)
        .unwrap();
    let run = p.run(&["pull", "--database-url", &format!("sqlite://{}", path.display())]);
    assert_eq!(run.code, 0, "{run:?}");
    let spec = std::fs::read_to_string(p.path().join("models.yaml")).unwrap();
    (p, spec)
}

/// Live-only uniqueness is a partial unique index on SQLite: pulled back, the model is a
/// soft-delete model again and its live indexes say `live: true`.
#[test]
fn a_soft_delete_model_pulls_back_as_one() {
    let (_, spec) = pulled_case("soft_delete.yaml");
    assert!(spec.contains("    soft_delete: deleted_at\n"), "{spec}");
    assert!(spec.contains("    mixins: [soft_delete_accounts]\n"), "{spec}");
    assert!(
        spec.contains("- {name: uq_accounts_org_slug_live, columns: [org, slug], unique: true, live: true}"),
        "{spec}"
    );
}

/// A database whose constraints are named by Alembic's recommended convention pulls back
/// with that `naming_convention:`, without the names it gives one by one, and with the
/// names it would not give.
#[test]
fn a_naming_convention_is_recognized() {
    let (p, spec) = pulled_case("naming_convention.yaml");
    assert!(
        spec.contains(
            r#"naming_convention: {pk: "pk_%(table_name)s", uq: "uq_%(table_name)s_%(column_0_N_name)s", fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}"#
        ),
        "{spec}"
    );
    assert!(!spec.contains("name: pk_orgs"), "{spec}");
    assert!(!spec.contains("name: fk_members_org_id_orgs"), "{spec}");
    assert!(spec.contains("{columns: [email], name: members_email_once}"), "{spec}");
    assert_eq!(p.run(&["check"]).code, 0);
}

/// Names the spec cannot hold are left out with a reason, never a crash or a spec that
/// does not check; a key to a table left out goes with it.
#[test]
fn names_the_spec_cannot_hold_are_left_out() {
    let p = Project::new();
    let path = p.path().join("odd.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            r#"CREATE TABLE "bad table" (id INTEGER PRIMARY KEY);
               CREATE TABLE ok (id INTEGER PRIMARY KEY, "we""ird" TEXT, fine TEXT, bad_id INTEGER REFERENCES "bad table" (id));"#,
        )
        .unwrap();
    let run = p.run(&["pull", "--database-url", &format!("sqlite://{}", path.display())]);
    assert_eq!(run.code, 0, "{run:?}");
    for line in [
        "  - bad table: the name contains whitespace, which the spec cannot hold; the table is left out\n",
        "  - ok.we\"ird: the name contains `\"`, which the spec cannot hold; the column is left out\n",
        "  - ok: a foreign key references `bad table`, which was not read; it is left out\n",
    ] {
        assert!(run.stdout.contains(line), "{line}{}", run.stdout);
    }
    assert_eq!(p.run(&["check"]).code, 0);
}
