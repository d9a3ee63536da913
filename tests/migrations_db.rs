//! Migrations that once lost or changed data, each applied with rows on the real databases
//! it concerns: up, the rows checked, down, the rows checked again.

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::Plan;
use modelgen_tests::db::{assert_catalog, Conn};

fn load(text: &str) -> Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// The first value of the first row of `sql`.
fn one(conn: &Conn, sql: &str) -> Option<String> {
    conn.rows(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))[0][0].clone()
}

/// Creates `old` with `rows` in `conn`, then migrates it up to `new`.
fn create_and_migrate(conn: &Conn, old: &Schema, new: &Schema, rows: &str) -> Plan {
    let d = conn.dialect();
    conn.batch(&modelgen_sql::create_script(old, d)).unwrap();
    conn.batch(rows).unwrap();
    let plan = Plan::new(old, new);
    let (up, _) = plan.scripts(old, new, d);
    conn.migrate(&up.sql, up.no_transaction)
        .unwrap_or_else(|e| panic!("{}: up failed: {e}\n{}", d.name(), up.sql));
    assert_catalog(conn, new, "after up");
    plan
}

fn migrate_down(conn: &Conn, plan: &Plan, old: &Schema, new: &Schema) {
    let d = conn.dialect();
    let (_, down) = plan.scripts(old, new, d);
    conn.migrate(&down.sql, down.no_transaction)
        .unwrap_or_else(|e| panic!("{}: down failed: {e}\n{}", d.name(), down.sql));
    assert_catalog(conn, old, "after down");
}

/// A naive timestamp made zoned (and back) is read as UTC whatever the session's time
/// zone: a cast would take the session's zone, here New York's, and shift every value.
#[test]
fn postgres_datetime_to_datetime_tz_keeps_the_instant_in_any_session_time_zone() {
    let Some(conn) = Conn::fresh(Dialect::Postgres, "mdb_timezone") else {
        return;
    };
    let Conn::Postgres(pg, _) = &conn else { unreachable!() };
    pg.exec(
        "postgres",
        "ALTER DATABASE mdb_timezone SET timezone TO 'America/New_York';",
    )
    .unwrap();
    let spec =
        |ty: &str| format!("models:\n  Event:\n    table: events\n    fields:\n      id: int pk\n      at: {ty}\n");
    let (old, new) = (load(&spec("datetime")), load(&spec("datetime(tz)")));
    let plan = create_and_migrate(
        &conn,
        &old,
        &new,
        "INSERT INTO events (id, at) VALUES (1, '2024-01-01 12:00:00');",
    );
    let utc = "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM events;";
    assert_eq!(
        one(&conn, utc).as_deref(),
        Some("2024-01-01 12:00:00"),
        "up shifted the value"
    );
    migrate_down(&conn, &plan, &old, &new);
    let naive = "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') FROM events;";
    assert_eq!(
        one(&conn, naive).as_deref(),
        Some("2024-01-01 12:00:00"),
        "down shifted the value"
    );
}

/// Widening a key that others reference, with its referencing columns: InnoDB refuses to
/// change a column a foreign key uses (errno 1832/1833) until the key is off.
#[test]
fn widening_a_referenced_key_and_its_references_keeps_rows_on_every_database() {
    let spec = |ty: &str| {
        format!(
            "models:\n  User:\n    table: users\n    fields:\n      id: {ty} pk autoincrement\n      name: str(20)\n  Post:\n    table: posts\n    fields:\n      id: int pk\n      user_id: {{type: {ty}, index: true, foreign_key: {{references: users.id, on_delete: cascade}}}}\n"
        )
    };
    let (old, new) = (load(&spec("int")), load(&spec("bigint")));
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "mdb_widen_key") else {
            continue;
        };
        let plan = create_and_migrate(
            &conn,
            &old,
            &new,
            "INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob');\nINSERT INTO posts (id, user_id) VALUES (10, 1), (11, 2);",
        );
        let count = "SELECT count(*) FROM posts JOIN users ON users.id = posts.user_id;";
        assert_eq!(one(&conn, count).as_deref(), Some("2"), "{}", d.name());
        // The key still holds: a post of a missing user is refused.
        assert!(
            conn.batch("INSERT INTO posts (id, user_id) VALUES (12, 99);").is_err(),
            "{}: the foreign key is gone",
            d.name()
        );
        migrate_down(&conn, &plan, &old, &new);
        assert_eq!(one(&conn, count).as_deref(), Some("2"), "{}", d.name());
        conn.drop_database();
    }
}
