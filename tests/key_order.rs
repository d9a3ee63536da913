//! A primary key in an order of its own (`primary_key: [org_id, user_id]`): the Rust
//! modelgen writes for it says the same key to the derive (`#[model(primary_key(…))]` on
//! the struct), the derive refuses a key given twice or naming no field, and a migration
//! that reorders a key keeps the rows on every database, up and down.

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::Plan;
use modelgen_tests::db::{assert_catalog, Conn};

fn load(text: &str) -> Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

#[test]
fn the_generated_rust_read_back_by_the_derive_is_the_yaml_schema() {
    let text = std::fs::read_to_string(modelgen_tests::workspace_root().join("tests/specs/ok/key_order.yaml")).unwrap();
    let yaml = load(&text);
    let dir = tempfile::tempdir().unwrap();
    modelgen_tests::write_generated_rust(dir.path(), "models", &yaml, "key_order.yaml").unwrap();
    let files: Vec<(String, String)> = ["membership.rs", "country.rs"]
        .iter()
        .map(|f| {
            let path = dir.path().join("models").join(f);
            (f.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect();
    let derived = modelgen_attr::schema_from_sources(&files).unwrap_or_else(|e| panic!("{e:?}"));
    for model in &yaml.models {
        let twin = derived.model(&model.name).unwrap();
        assert_eq!(twin.primary_key, model.primary_key, "{}", model.name);
        assert_eq!(twin.columns, model.columns, "{}", model.name);
    }
}

#[test]
fn the_derive_refuses_a_key_given_twice_or_naming_no_field() {
    let errors = |source: &str| match modelgen_attr::schema_from_sources(&[("models.rs".into(), source.into())]) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .into_iter()
            .map(|e| format!("{}:{}: {}", e.line, e.column, e.message))
            .collect(),
    };
    let twice = "#[derive(modelgen::Model)]\n#[model(primary_key(b, a))]\npub struct T {\n    #[model(primary_key)]\n    pub a: i32,\n    pub b: i32,\n}\n";
    assert_eq!(
        errors(twice),
        ["2:9: the primary key is given twice: `primary_key(...)` on the struct and #[model(primary_key)] on a; keep one"]
    );
    let unknown = "#[derive(modelgen::Model)]\n#[model(primary_key(b, aa, b))]\npub struct T {\n    pub a: i32,\n    pub b: i32,\n}\n";
    assert_eq!(
        errors(unknown),
        [
            "2:24: `primary_key(...)` names `aa`, which is no field of `T`; did you mean `a`?",
            "2:28: `b` is in the primary key twice",
        ]
    );
}

/// `pk` on the fields (their order) becomes `primary_key: [org_id, user_id]`: the key is
/// dropped and made again in the new order, the rows stay; down restores the old order.
#[test]
fn reordering_a_key_keeps_the_rows_up_and_down() {
    let fields = "      user_id: int pk\n      org_id: int pk\n      role: str(20)\n";
    let old = load(&format!(
        "models:\n  Membership:\n    table: memberships\n    fields:\n{fields}"
    ));
    let new = load(&format!(
        "models:\n  Membership:\n    table: memberships\n    fields:\n{}    primary_key: [org_id, user_id]\n",
        fields.replace(" pk", "")
    ));
    assert_eq!(new.models[0].primary_key, ["org_id", "user_id"]);
    let plan = Plan::new(&old, &new);
    assert!(!plan.is_empty(), "a new key order is a migration");
    let rows = "SELECT user_id, org_id, role FROM memberships ORDER BY user_id, org_id;";
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "key_order") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch("INSERT INTO memberships (user_id, org_id, role) VALUES (1, 10, 'admin'), (2, 10, 'member'), (1, 20, 'member');")
            .unwrap();
        let (up, down) = plan.scripts(&old, &new, d);
        conn.migrate(&up.sql, up.no_transaction)
            .unwrap_or_else(|e| panic!("{}: up: {e}\n{}", d.name(), up.sql));
        assert_catalog(&conn, &new, "after up");
        assert_eq!(
            conn.text(rows).unwrap(),
            "1,10,admin;1,20,member;2,10,member",
            "{}",
            d.name()
        );
        conn.migrate(&down.sql, down.no_transaction)
            .unwrap_or_else(|e| panic!("{}: down: {e}\n{}", d.name(), down.sql));
        assert_catalog(&conn, &old, "after down");
        assert_eq!(
            conn.text(rows).unwrap(),
            "1,10,admin;1,20,member;2,10,member",
            "{}",
            d.name()
        );
        conn.drop_database();
    }
}
