//! CHECK constraints through migrations on the real databases: added, dropped and changed
//! with rows that keep them (up, then down), and an added check that rows break, which
//! must fail and leave the schema and the rows as they were.

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::Plan;
use modelgen_tests::db::{assert_catalog, in_schema_order, Conn};

fn load(text: &str) -> Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn spec(checks: &str) -> String {
    format!(
        "models:\n  Order:\n    table: orders\n    fields:\n      id: int pk\n      total: int\n      code: str(8)\n      note: str(20)?\n{checks}"
    )
}

const ROWS: &str = "INSERT INTO orders (id, total, code, note) VALUES (1, 5, 'ab', NULL), (2, 0, 'abcd', 'x');";

/// `(from, to)` spec pairs every database must migrate up and down with [`ROWS`].
fn edits() -> Vec<(&'static str, String, String)> {
    let none = spec("");
    let one = spec("    checks:\n      orders_total: \"total >= 0\"\n");
    let changed = spec("    checks:\n      orders_total: \"total >= 0 and total < 100\"\n      orders_code: \"length(code) >= 2 and code in ('ab', 'abcd')\"\n      orders_note: {sql: \"note IS NULL OR note <> ''\"}\n");
    vec![
        ("add", none.clone(), one.clone()),
        ("change_and_add", one.clone(), changed.clone()),
        ("drop", changed, none),
    ]
}

fn rows(conn: &Conn) -> String {
    conn.text("SELECT id, total, code FROM orders ORDER BY id").unwrap()
}

#[test]
fn checks_are_added_changed_and_dropped_with_rows_up_and_down() {
    for d in Dialect::ALL {
        for (name, old, new) in edits() {
            let (old, new) = (load(&old), load(&new));
            let Some(conn) = Conn::fresh(d, &format!("mchk_{name}")) else {
                continue;
            };
            conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
            conn.batch(ROWS).unwrap();
            let plan = Plan::new(&old, &new);
            assert!(!plan.is_empty(), "{name}: no migration");
            let (up, down) = plan.scripts(&old, &new, d);
            conn.migrate(&up.sql, up.no_transaction)
                .unwrap_or_else(|e| panic!("{name} on {}: up failed: {e}\n{}", d.name(), up.sql));
            assert_catalog(&conn, &new, &format!("{name} after up"));
            assert_eq!(rows(&conn), "1,5,ab;2,0,abcd", "{name} on {} after up", d.name());
            conn.migrate(&down.sql, down.no_transaction)
                .unwrap_or_else(|e| panic!("{name} on {}: down failed: {e}\n{}", d.name(), down.sql));
            assert_catalog(&conn, &old, &format!("{name} after down"));
            assert_eq!(rows(&conn), "1,5,ab;2,0,abcd", "{name} on {} after down", d.name());
            conn.drop_database();
        }
    }
}

/// The new checks are in force after the migration: a row that breaks one is refused.
#[test]
fn an_added_check_refuses_rows_that_break_it() {
    for d in Dialect::ALL {
        let (_, old, new) = edits().swap_remove(0);
        let (old, new) = (load(&old), load(&new));
        let Some(conn) = Conn::fresh(d, "mchk_refuses") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        let (up, _) = Plan::new(&old, &new).scripts(&old, &new, d);
        conn.migrate(&up.sql, up.no_transaction).unwrap();
        let bad = conn.batch("INSERT INTO orders (id, total, code) VALUES (3, -1, 'x');");
        assert!(bad.is_err(), "{}: a negative total passed the check", d.name());
        conn.drop_database();
    }
}

/// Rows that break a check the migration adds: it fails, and the schema and the rows stay
/// as they were — in the migration's transaction on SQLite and PostgreSQL, through the
/// preflight on MariaDB, whose DDL commits statement by statement. The migration also
/// adds a column first, so a half-done run would show.
#[test]
fn adding_a_check_that_rows_break_fails_and_changes_nothing() {
    let old = spec("");
    let new = format!(
        "{}    checks:\n      orders_total: \"total > 0\"\n",
        spec("").replace("      note: str(20)?\n", "      note: str(20)?\n      extra: int?\n")
    );
    let (old, new) = (load(&old), load(&new));
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "mchk_violated") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch(ROWS).unwrap();
        let before = in_schema_order(conn.catalog(), &old, d);
        let (up, _) = Plan::new(&old, &new).scripts(&old, &new, d);
        let failed = conn.migrate(&up.sql, up.no_transaction);
        assert!(
            failed.is_err(),
            "{}: the migration passed over a row with total 0:\n{}",
            d.name(),
            up.sql
        );
        assert_eq!(
            in_schema_order(conn.catalog(), &old, d),
            before,
            "{}: the failed migration changed the catalog: {}",
            d.name(),
            failed.unwrap_err()
        );
        assert_eq!(rows(&conn), "1,5,ab;2,0,abcd", "{}: rows changed", d.name());
        conn.drop_database();
    }
}

const SWITCHES: &str = "models:\n  Switch:\n    table: switches\n    fields:\n      id: int pk\n";

/// `bool` becomes `bool(check)` and back, and a table with one is renamed (its CHECK's
/// name follows the table): the CHECK is there after up where booleans are integers and
/// refuses a 2, it is gone after down, the rows stay.
#[test]
fn bool_checks_are_added_renamed_and_dropped_with_rows() {
    let plain = format!("{SWITCHES}      on: bool\n");
    let checked = format!("{SWITCHES}      on: bool(check)\n");
    let renamed = "models:\n  Switch:\n    table: toggles\n    renamed_from: switches\n    fields:\n      id: int pk\n      on: bool(check)\n".to_owned();
    for (name, old, new, table) in [
        ("bool_add", &plain, &checked, "switches"),
        ("bool_rename", &checked, &renamed, "toggles"),
    ] {
        let (old, new) = (load(old), load(new));
        for d in Dialect::ALL {
            let Some(conn) = Conn::fresh(d, &format!("mchk_{name}")) else {
                continue;
            };
            let q = if d == Dialect::Mysql { '`' } else { '"' };
            conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
            conn.batch(&format!(
                "INSERT INTO switches (id, {q}on{q}) VALUES (1, true), (2, false);"
            ))
            .unwrap();
            let plan = Plan::new(&old, &new);
            let (up, down) = plan.scripts(&old, &new, d);
            conn.migrate(&up.sql, up.no_transaction)
                .unwrap_or_else(|e| panic!("{name} on {}: up failed: {e}\n{}", d.name(), up.sql));
            assert_catalog(&conn, &new, &format!("{name} after up"));
            let two = conn.batch(&format!("INSERT INTO {table} (id, {q}on{q}) VALUES (3, 2);"));
            // PostgreSQL's BOOLEAN takes no 2 in the first place.
            assert!(two.is_err(), "{name} on {}: a 2 passed the bool CHECK", d.name());
            conn.migrate(&down.sql, down.no_transaction)
                .unwrap_or_else(|e| panic!("{name} on {}: down failed: {e}\n{}", d.name(), down.sql));
            assert_catalog(&conn, &old, &format!("{name} after down"));
            let on = conn
                .text(&format!("SELECT id, {q}on{q} FROM switches ORDER BY id"))
                .unwrap();
            assert!(on == "1,1;2,0" || on == "1,t;2,f", "{name} on {}: rows {on}", d.name());
            conn.drop_database();
        }
    }
}

/// A row holding 2 in a `bool` column that becomes `bool(check)`: the migration fails and
/// changes nothing, on the databases that keep booleans as integers.
#[test]
fn making_a_bool_checked_over_a_row_holding_2_fails_and_changes_nothing() {
    let old = load(&format!("{SWITCHES}      on: bool\n      note: int?\n"));
    let new = load(&format!(
        "{SWITCHES}      on: bool(check)\n      note: int?\n      extra: int?\n"
    ));
    for d in [Dialect::Sqlite, Dialect::Mysql] {
        let Some(conn) = Conn::fresh(d, "mchk_bool_two") else {
            continue;
        };
        let q = if d == Dialect::Mysql { '`' } else { '"' };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch(&format!("INSERT INTO switches (id, {q}on{q}) VALUES (1, 1), (2, 2);"))
            .unwrap();
        let before = in_schema_order(conn.catalog(), &old, d);
        let (up, _) = Plan::new(&old, &new).scripts(&old, &new, d);
        let failed = conn.migrate(&up.sql, up.no_transaction);
        assert!(
            failed.is_err(),
            "{}: the migration passed over a 2:\n{}",
            d.name(),
            up.sql
        );
        assert_eq!(
            in_schema_order(conn.catalog(), &old, d),
            before,
            "{}: the catalog changed",
            d.name()
        );
        let on = conn
            .text(&format!("SELECT id, {q}on{q} FROM switches ORDER BY id"))
            .unwrap();
        assert_eq!(on, "1,1;2,2", "{}: rows changed", d.name());
        conn.drop_database();
    }
}
