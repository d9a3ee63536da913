//! Partial indexes (`where:`) and expression keys (`{expr: lower(email)}`): the Rust
//! modelgen writes for them says the same to the derive, the derive refuses what the YAML
//! front end refuses, a partial unique index holds only among the rows its condition
//! covers and an expression unique on the expression's value, on each database that has
//! them (SQLite and PostgreSQL; the front ends refuse them with MySQL), and a migration
//! that changes a condition or adds an expression key keeps the rows up and down, through
//! SQLite's table rebuild too.

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::Plan;
use modelgen_tests::db::{assert_catalog, Conn};

fn load(text: &str) -> Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// The databases that build partial and expression indexes.
const DIALECTS: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

#[test]
fn the_generated_rust_read_back_by_the_derive_is_the_yaml_schema() {
    for case in ["partial_indexes.yaml", "expression_indexes.yaml"] {
        let path = modelgen_tests::workspace_root().join("tests/specs/ok").join(case);
        let yaml = load(&std::fs::read_to_string(path).unwrap());
        let dir = tempfile::tempdir().unwrap();
        modelgen_tests::write_generated_rust(dir.path(), "models", &yaml, case).unwrap();
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir.path().join("models"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
            .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        files.sort();
        let derived = modelgen_attr::schema_from_sources(&files).unwrap_or_else(|e| panic!("{case}: {e:?}"));
        for model in &yaml.models {
            let twin = derived.model(&model.name).unwrap();
            assert!(!model.indexes.is_empty());
            assert_eq!(twin.indexes, model.indexes, "{case}: {}", model.name);
        }
    }
}

#[test]
fn the_derive_refuses_what_the_yaml_front_end_refuses() {
    let errors = |attrs: &str| -> Vec<String> {
        let source = format!(
            "#[derive(modelgen::Model)]\n#[model(soft_delete = \"deleted_at\")]\n{attrs}\npub struct T {{\n    #[model(primary_key)]\n    pub id: i32,\n    #[model(max_length = 50)]\n    pub email: String,\n    pub score: i32,\n    pub deleted_at: Option<chrono::NaiveDateTime>,\n}}\n"
        );
        match modelgen_attr::schema_from_sources(&[("models.rs".into(), source)]) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.message).collect(),
        }
    };
    assert_eq!(
        errors("#[model(index(columns(email), where = \"scroe > 1\"))]"),
        ["index `where`: unknown field `scroe` in check (at character 1); expected a field of this model; did you mean `score`?"]
    );
    assert_eq!(
        errors("#[model(index(columns(email), where = \"score + 1\"))]"),
        ["index `where`: the check is a number, not a condition (at character 1); expected a condition such as `total >= 0`"]
    );
    assert_eq!(
        errors("#[model(index(columns(\"lower(score)\")))]"),
        ["index key: `lower()` needs text, but `score` is a number (at character 7)"]
    );
    assert_eq!(
        errors("#[model(index(columns(email), unique, live, where = \"score > 0\"))]"),
        ["an index with `where` cannot also be `live`; say it in the condition: `where = \"deleted_at is null and …\"`"]
    );
    assert_eq!(
        errors("#[model(unique(columns(\"lower(email)\")))]"),
        ["`columns(...)` lists field names: write `columns(id, email)`"]
    );
    // What the derive accepts, it lowers as the YAML front end does.
    assert_eq!(
        errors("#[model(index(columns(\"lower(email)\", score), where = \"score > 0\"))]"),
        Vec::<String>::new()
    );
}

/// A unique index with `where:` lets rows outside its condition repeat the key and refuses
/// a repeat inside it; a unique expression key refuses two rows whose expression is equal.
#[test]
fn a_partial_unique_holds_inside_its_condition_and_an_expression_unique_on_its_value() {
    let schema = load(
        "models:
  Account:
    table: accounts
    fields:
      id: int pk
      email: str(100)
      status: str(10)
    indexes:
      - {name: uq_accounts_active_email, columns: [email], unique: true, where: \"status = 'active'\"}
  Member:
    table: members
    fields:
      id: int pk
      email: str(100)
    indexes:
      - {name: uq_members_email_ci, columns: [{expr: lower(email)}], unique: true}
output:
  migrations:
    dialects: [sqlite, postgres]
",
    );
    for d in DIALECTS {
        let Some(conn) = Conn::fresh(d, "partial_unique") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&schema, d)).unwrap();
        assert_catalog(&conn, &schema, "partial and expression uniques");
        // Outside the condition, the key repeats freely.
        conn.batch(
            "INSERT INTO accounts (id, email, status) VALUES (1, 'a@x', 'active'), (2, 'a@x', 'closed'), (3, 'a@x', 'closed');",
        )
        .unwrap_or_else(|e| panic!("{}: rows outside the condition refused: {e}", d.name()));
        // Inside it, not: by insert or by update.
        let refused = conn.batch("INSERT INTO accounts (id, email, status) VALUES (4, 'a@x', 'active');");
        assert!(refused.is_err(), "{}: a second active a@x was accepted", d.name());
        let refused = conn.batch("UPDATE accounts SET status = 'active' WHERE id = 2;");
        assert!(
            refused.is_err(),
            "{}: an update into the condition was accepted",
            d.name()
        );
        conn.batch("INSERT INTO accounts (id, email, status) VALUES (5, 'b@x', 'active');")
            .unwrap();
        assert_eq!(conn.text("SELECT count(*) FROM accounts").unwrap(), "4", "{}", d.name());

        conn.batch("INSERT INTO members (id, email) VALUES (1, 'Ann@x'), (2, 'bob@x');")
            .unwrap();
        let refused = conn.batch("INSERT INTO members (id, email) VALUES (3, 'ann@X');");
        assert!(refused.is_err(), "{}: ann@X beside Ann@x was accepted", d.name());
        conn.drop_database();
    }
}

/// A condition changed (a drop and a create), an expression key added and a column
/// widened (which SQLite does by rebuilding the table): the rows stay, and the database
/// is the new schema after up and the old one after down.
#[test]
fn changing_a_condition_and_adding_an_expression_key_keeps_the_rows_up_and_down() {
    let old = load(
        "models:
  Account:
    table: accounts
    fields:
      id: int pk
      email: str(100)
      status: str(10)
    indexes:
      - {name: uq_accounts_active_email, columns: [email], unique: true, where: \"status = 'active'\"}
      - {name: ix_accounts_status, columns: [status], where: status is not null}
output:
  migrations:
    dialects: [sqlite, postgres]
",
    );
    let new = load(
        "models:
  Account:
    table: accounts
    fields:
      id: int pk
      email: str(100)
      status: str(20)
    indexes:
      - {name: uq_accounts_active_email, columns: [email], unique: true, where: \"status in ('active', 'trial')\"}
      - {name: ix_accounts_status, columns: [status], where: status is not null}
      - {name: ix_accounts_email_ci, columns: [{expr: lower(email)}, status]}
output:
  migrations:
    dialects: [sqlite, postgres]
",
    );
    let plan = Plan::new(&old, &new);
    let rows = "SELECT id, email, status FROM accounts ORDER BY id";
    let expected_rows = "1,a@x,active;2,a@x,closed;3,b@x,trial";
    for d in DIALECTS {
        let Some(conn) = Conn::fresh(d, "partial_migration") else {
            continue;
        };
        let (up, down) = plan.scripts(&old, &new, d);
        if d == Dialect::Postgres {
            // The changed condition is a drop and a create; the unchanged index stays.
            assert!(up.sql.contains("DROP INDEX \"uq_accounts_active_email\""), "{}", up.sql);
            assert!(up.sql.contains("WHERE \"status\" IN ('active', 'trial')"), "{}", up.sql);
            assert!(!up.sql.contains("ix_accounts_status"), "{}", up.sql);
        }
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch("INSERT INTO accounts (id, email, status) VALUES (1, 'a@x', 'active'), (2, 'a@x', 'closed'), (3, 'b@x', 'trial');")
            .unwrap();
        conn.migrate(&up.sql, up.no_transaction)
            .unwrap_or_else(|e| panic!("{}: up: {e}\n{}", d.name(), up.sql));
        assert_catalog(&conn, &new, "after up");
        assert_eq!(conn.text(rows).unwrap(), expected_rows, "{}", d.name());
        // The new condition covers `trial`: b@x as active beside b@x on trial is refused.
        assert!(conn
            .batch("INSERT INTO accounts (id, email, status) VALUES (4, 'b@x', 'active');")
            .is_err());
        conn.migrate(&down.sql, down.no_transaction)
            .unwrap_or_else(|e| panic!("{}: down: {e}\n{}", d.name(), down.sql));
        assert_catalog(&conn, &old, "after down");
        assert_eq!(conn.text(rows).unwrap(), expected_rows, "{}", d.name());
        conn.drop_database();
    }
}

/// A migration whose new unique condition the rows break fails, and leaves the database
/// as it was (PostgreSQL and SQLite run it in one transaction).
#[test]
fn a_condition_the_rows_break_fails_the_migration_and_changes_nothing() {
    let spec = |condition: &str| {
        load(&format!(
            "models:
  Account:
    table: accounts
    fields:
      id: int pk
      email: str(100)
      status: str(10)
    indexes:
      - {{name: uq_accounts_email, columns: [email], unique: true, where: \"{condition}\"}}
output:
  migrations:
    dialects: [sqlite, postgres]
"
        ))
    };
    let (old, new) = (spec("status = 'active'"), spec("status <> 'gone'"));
    let plan = Plan::new(&old, &new);
    for d in DIALECTS {
        let Some(conn) = Conn::fresh(d, "partial_refused") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch("INSERT INTO accounts (id, email, status) VALUES (1, 'a@x', 'active'), (2, 'a@x', 'closed');")
            .unwrap();
        let (up, _) = plan.scripts(&old, &new, d);
        assert!(
            conn.migrate(&up.sql, up.no_transaction).is_err(),
            "{}: {}",
            d.name(),
            up.sql
        );
        assert_catalog(&conn, &old, "after the refused migration");
        conn.drop_database();
    }
}

/// A schema snapshot keeps partial and expression indexes as they were, and refuses one
/// whose index names a column the table lacks or holds a control character in a text
/// literal, which would reach the SQL.
#[test]
fn the_schema_snapshot_keeps_them_and_refuses_them_damaged() {
    for case in ["partial_indexes.yaml", "expression_indexes.yaml"] {
        let path = modelgen_tests::workspace_root().join("tests/specs/ok").join(case);
        let schema = load(&std::fs::read_to_string(path).unwrap());
        assert_eq!(
            modelgen_emit::snapshot_problems(&schema),
            Vec::<String>::new(),
            "{case}"
        );
        let json = serde_json::to_string(&schema).unwrap();
        let back: Schema = serde_json::from_str(&json).unwrap();
        assert_eq!(back, schema, "{case}");
    }
    let mut schema = load(
        "models:
  Account:
    table: accounts
    fields:
      id: int pk
      email: str(100)
      status: str(10)
    indexes:
      - {name: ix_accounts_email, columns: [{expr: lower(email)}], where: \"status = 'active'\"}
",
    );
    let index = &mut schema.models[0].indexes[0];
    index.predicate = Some(modelgen_ir::check::parse_check("status = 'a\u{7}'").unwrap());
    index.columns = vec![modelgen_ir::IndexKey::Expr(
        modelgen_ir::check::parse_check("lower(mail)").unwrap(),
    )];
    let problems = modelgen_emit::snapshot_problems(&schema);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("\"mail\", which is not a column"), "{problems:?}");
    assert!(problems[1].contains("a text in an expression"), "{problems:?}");
}
