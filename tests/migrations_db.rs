//! Migrations that once lost or changed data, each applied with rows on the real databases
//! it concerns: up, the rows checked, down, the rows checked again.

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::Plan;
use modelgen_tests::db::{assert_catalog, Conn};
use modelgen_tests::fits;

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

/// Applies old → new → old on every database that has their types with `rows`, checking `after_up` and
/// `after_down` (a query and the rows it must give, as text) after each step.
fn round_trip(name: &str, old: &str, new: &str, rows: &str, after_up: &[(&str, &str)], after_down: &[(&str, &str)]) {
    let (old, new) = (load(old), load(new));
    let plan = Plan::new(&old, &new);
    assert!(!plan.is_empty(), "{name}: no migration");
    for d in Dialect::ALL.into_iter().filter(|&d| fits(&old, d) && fits(&new, d)) {
        let Some(conn) = Conn::fresh(d, &format!("mdb_{name}")) else {
            continue;
        };
        create_and_migrate(&conn, &old, &new, rows);
        let text = |sql: &str| {
            conn.text(sql)
                .unwrap_or_else(|e| panic!("{name} on {}: {sql}: {e}", d.name()))
        };
        for (sql, want) in after_up {
            assert_eq!(text(sql), *want, "{name} on {} after up: {sql}", d.name());
        }
        migrate_down(&conn, &plan, &old, &new);
        for (sql, want) in after_down {
            assert_eq!(text(sql), *want, "{name} on {} after down: {sql}", d.name());
        }
        conn.drop_database();
    }
}

const PEOPLE: &str = "models:\n  Person:\n    table: people\n    fields:\n      id: int pk\n";

/// `str(n)` and `text` become `str` without a length and back on SQLite and PostgreSQL
/// (MySQL has no such VARCHAR): widenings up, a narrowing the values fit down.
#[test]
fn strings_lose_and_regain_their_length() {
    round_trip(
        "unbounded_str",
        &format!(
            "{PEOPLE}      name: str(10)
      bio: text?
"
        ),
        &format!(
            "{PEOPLE}      name: str
      bio: str?
"
        ),
        "INSERT INTO people (id, name, bio) VALUES (1, 'ten chars!', 'a long bio'), (2, 'ü', NULL);",
        &[(
            "SELECT name, bio FROM people ORDER BY id;",
            "ten chars!,a long bio;ü,NULL",
        )],
        &[(
            "SELECT name, bio FROM people ORDER BY id;",
            "ten chars!,a long bio;ü,NULL",
        )],
    );
}

/// `server_default_sql` added, changed and dropped with rows: a NOT NULL column added with
/// SQL for its default gets it in existing rows (SQLite refuses `ADD COLUMN` with an
/// expression default, so it rebuilds the table); the catalogs after up and down show the
/// changed and restored defaults.
#[test]
fn sql_server_defaults_are_added_changed_and_dropped() {
    let old = format!("{PEOPLE}      score: {{type: int, server_default_sql: (1 + 2)}}\n      label: {{type: str(10)?, server_default: x}}\n");
    let new = format!(
        "{PEOPLE}      score: {{type: int, server_default_sql: (2 * 5)}}\n      label: str(10)?\n      \
         code: {{type: str(10), server_default_sql: {{sqlite: \"('c' || 'd')\", postgres: \"('c' || 'd')\", mysql: \"(concat('c', 'd'))\"}}}}\n"
    );
    round_trip(
        "sql_defaults",
        &old,
        &new,
        "INSERT INTO people (id) VALUES (1); INSERT INTO people (id, score) VALUES (2, 7);",
        &[("SELECT score, label, code FROM people ORDER BY id;", "3,x,cd;7,x,cd")],
        &[("SELECT score, label FROM people ORDER BY id;", "3,x;7,x")],
    );
}

/// Columns added with SQL defaults, alone, to a table with rows: SQLite refuses
/// `ADD COLUMN` with an expression default (nullable or not), so the table is rebuilt.
#[test]
fn columns_with_sql_defaults_are_added_to_tables_with_rows() {
    round_trip(
        "sql_default_columns",
        &format!("{PEOPLE}      name: str(10)\n"),
        &format!(
            "{PEOPLE}      name: str(10)\n      score: {{type: int, server_default_sql: (1 + 2)}}\n      \
             seen_at: {{type: datetime?, server_default_sql: CURRENT_TIMESTAMP}}\n"
        ),
        "INSERT INTO people (id, name) VALUES (1, 'a'), (2, 'b');",
        &[(
            "SELECT name, score FROM people WHERE seen_at IS NOT NULL ORDER BY id;",
            "a,3;b,3",
        )],
        &[("SELECT name FROM people ORDER BY id;", "a;b")],
    );
}

/// `bytes` gets a bound and loses it: VARBINARY(n) and LONGBLOB on MySQL, the same
/// column on the others; the values survive both ways.
#[test]
fn bytes_gain_and_lose_a_bound() {
    let old = load(&format!("{PEOPLE}      digest: bytes\n      salt: bytes(4)?\n"));
    let new = load(&format!("{PEOPLE}      digest: bytes(16)\n      salt: bytes?\n"));
    let plan = Plan::new(&old, &new);
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "mdb_bounded_bytes") else {
            continue;
        };
        let bytes = |hex: &str| match d {
            Dialect::Postgres => format!("'\\x{hex}'::bytea"),
            _ => format!("X'{hex}'"),
        };
        let rows = format!(
            "INSERT INTO people (id, digest, salt) VALUES (1, {}, {}), (2, {}, NULL);",
            bytes("00ff41"),
            bytes("42"),
            bytes("")
        );
        let kept = format!(
            "SELECT count(*) FROM people WHERE (id = 1 AND digest = {} AND salt = {}) OR (id = 2 AND digest = {} AND salt IS NULL);",
            bytes("00ff41"),
            bytes("42"),
            bytes("")
        );
        create_and_migrate(&conn, &old, &new, &rows);
        assert_eq!(one(&conn, &kept).as_deref(), Some("2"), "{} after up", d.name());
        migrate_down(&conn, &plan, &old, &new);
        assert_eq!(one(&conn, &kept).as_deref(), Some("2"), "{} after down", d.name());
        conn.drop_database();
    }
}

/// v2 drops `email` and renames `email_v2` onto its name: the renamed values survive.
#[test]
fn a_rename_onto_the_name_of_a_dropped_column_keeps_the_renamed_values() {
    round_trip(
        "rename_onto_dropped",
        &format!("{PEOPLE}      email: str(50)\n      email_v2: str(50)\n"),
        &format!("{PEOPLE}      email: {{type: str(50), renamed_from: email_v2}}\n"),
        "INSERT INTO people (id, email, email_v2) VALUES (1, 'old@a', 'new@a'), (2, 'old@b', 'new@b');",
        &[("SELECT email FROM people ORDER BY id;", "new@a;new@b")],
        &[("SELECT email_v2 FROM people ORDER BY id;", "new@a;new@b")],
    );
}

#[test]
fn two_columns_swap_their_names() {
    round_trip(
        "swap_columns",
        &format!("{PEOPLE}      first: str(20)\n      last: str(20)\n"),
        &format!("{PEOPLE}      first: {{type: str(20), renamed_from: last}}\n      last: {{type: str(20), renamed_from: first}}\n"),
        "INSERT INTO people (id, first, last) VALUES (1, 'ada', 'lovelace');",
        &[("SELECT first, last FROM people;", "lovelace,ada")],
        &[("SELECT first, last FROM people;", "ada,lovelace")],
    );
}

#[test]
fn a_chain_of_column_renames_moves_each_value_once() {
    round_trip(
        "chain_columns",
        &format!("{PEOPLE}      a: str(20)\n      b: str(20)\n"),
        &format!("{PEOPLE}      b: {{type: str(20), renamed_from: a}}\n      c: {{type: str(20), renamed_from: b}}\n"),
        "INSERT INTO people (id, a, b) VALUES (1, 'from a', 'from b');",
        &[("SELECT b, c FROM people;", "from a,from b")],
        &[("SELECT a, b FROM people;", "from a,from b")],
    );
}

/// A column renamed while a new column takes its old name.
#[test]
fn a_renamed_column_s_old_name_can_be_reused_at_once() {
    round_trip(
        "reuse_column",
        &format!("{PEOPLE}      name: str(20)\n"),
        &format!("{PEOPLE}      full_name: {{type: str(20), renamed_from: name}}\n      name: str(20)?\n"),
        "INSERT INTO people (id, name) VALUES (1, 'ada');",
        &[("SELECT full_name, name FROM people;", "ada,NULL")],
        &[("SELECT name FROM people;", "ada")],
    );
}

const POSTS: &str = "models:\n  Post:\n    table: posts\n    fields:\n      id: int pk\n      title: str(20)\n    mixins: [timestamps]\n";

/// A table renamed while a new model takes its old name: up, and down, which used to fail
/// with "already exists" on every database.
#[test]
fn a_renamed_table_s_old_name_can_be_reused_at_once_up_and_down() {
    let new = "models:
  Article:
    table: articles
    renamed_from: posts
    fields:
      id: int pk
      title: str(20)
    mixins: [timestamps]
  Post:
    table: posts
    fields:
      id: int pk
      body: text?
    mixins: [timestamps]
";
    round_trip(
        "reuse_table",
        POSTS,
        new,
        "INSERT INTO posts (id, title) VALUES (1, 'hello');",
        &[
            ("SELECT title FROM articles;", "hello"),
            ("SELECT count(*) FROM posts;", "0"),
        ],
        &[("SELECT title FROM posts;", "hello")],
    );
}

#[test]
fn two_tables_swap_their_names() {
    let old = "models:
  A:
    table: alpha
    fields:
      id: int pk
      a: str(20)
  B:
    table: beta
    fields:
      id: int pk
      b: str(20)
";
    let new = old
        .replace("    table: alpha\n", "    table: beta\n    renamed_from: alpha\n")
        .replacen("    table: beta\n      ", "", 0)
        .replace(
            "  B:\n    table: beta\n",
            "  B:\n    table: alpha\n    renamed_from: beta\n",
        );
    round_trip(
        "swap_tables",
        old,
        &new,
        "INSERT INTO alpha (id, a) VALUES (1, 'in alpha');\nINSERT INTO beta (id, b) VALUES (1, 'in beta');",
        &[("SELECT a FROM beta;", "in alpha"), ("SELECT b FROM alpha;", "in beta")],
        &[("SELECT a FROM alpha;", "in alpha"), ("SELECT b FROM beta;", "in beta")],
    );
}

/// A referenced key renamed in a table SQLite rebuilds: the rebuild copies under the new
/// name, so the referencing table, whose foreign key still named the old one, is rebuilt
/// too (found by the property test, pair 80).
#[test]
fn renaming_a_referenced_key_in_a_rebuilt_table_keeps_the_references() {
    let old = "models:
  Owner:
    table: owners
    fields:
      id: int pk
      note: int?
  Pet:
    table: pets
    fields:
      id: int pk
      owner_id: {type: int, foreign_key: {references: Owner}}
";
    let new = old.replace(
        "      id: int pk\n      note: int?\n",
        "      key: {type: int, primary_key: true, renamed_from: id}\n",
    );
    round_trip(
        "rename_referenced_key",
        old,
        &new,
        "INSERT INTO owners (id) VALUES (1);\nINSERT INTO pets (id, owner_id) VALUES (7, 1);",
        &[(
            "SELECT count(*) FROM pets JOIN owners ON owners.key = pets.owner_id;",
            "1",
        )],
        &[(
            "SELECT count(*) FROM pets JOIN owners ON owners.id = pets.owner_id;",
            "1",
        )],
    );
}

/// A table renamed while one of its columns takes a dropped column's name: the drop runs
/// after the table's rename, under its new name (the property test's pair 49).
#[test]
fn a_renamed_table_can_rename_a_column_onto_a_dropped_one() {
    let old = "models:\n  Item:\n    table: items\n    fields:\n      id: int pk\n      old_code: str(10)?\n      code: str(10)\n";
    let new = "models:\n  Item:\n    table: goods\n    renamed_from: items\n    fields:\n      id: int pk\n      old_code: {type: str(10), renamed_from: code}\n";
    round_trip(
        "rename_table_and_onto_dropped",
        old,
        new,
        "INSERT INTO items (id, old_code, code) VALUES (1, 'x', 'kept');",
        &[("SELECT old_code FROM goods;", "kept")],
        &[("SELECT code FROM items;", "kept")],
    );
}

const TICKETS: &str = "models:\n  Ticket:\n    table: tickets\n    fields:\n      id: int pk\n";

/// An enum gains a value in the middle and at the end, and a new enum column appears:
/// PostgreSQL adds the values to its type in place and makes the new type; MySQL
/// modifies the ENUM; the rows keep their values up and down.
#[test]
fn enum_values_added_and_an_enum_column_added() {
    round_trip(
        "enum_added",
        &format!("enums:\n  State: [open, closed]\n{TICKETS}      state: {{type: State, server_default: open}}\n"),
        &format!(
            "enums:\n  State: [open, in-progress, closed, archived]\n  Level: [low, high]\n{TICKETS}      \
             state: {{type: State, server_default: open}}\n      level: {{type: Level, server_default: low}}\n"
        ),
        "INSERT INTO tickets (id, state) VALUES (1, 'open'), (2, 'closed');",
        &[(
            "SELECT id, state, level FROM tickets ORDER BY id;",
            "1,open,low;2,closed,low",
        )],
        &[("SELECT id, state FROM tickets ORDER BY id;", "1,open;2,closed")],
    );
}

/// An enum loses a value no row holds and is reordered: PostgreSQL swaps the type, the
/// rows keep their values; down brings the value back.
#[test]
fn enum_values_removed_and_reordered_when_no_row_holds_them() {
    round_trip(
        "enum_removed",
        &format!("enums:\n  State: [open, stale, closed]\n{TICKETS}      state: {{type: State, server_default: open}}\n      prev: State?\n"),
        &format!("enums:\n  State: [closed, open]\n{TICKETS}      state: {{type: State, server_default: open}}\n      prev: State?\n"),
        "INSERT INTO tickets (id, state, prev) VALUES (1, 'open', NULL), (2, 'closed', 'open');",
        &[("SELECT id, state, prev FROM tickets ORDER BY id;", "1,open,NULL;2,closed,open")],
        &[("SELECT id, state, prev FROM tickets ORDER BY id;", "1,open,NULL;2,closed,open")],
    );
}

/// Removing a value rows still hold fails on every database and changes nothing: the
/// guard counts them before the first change.
#[test]
fn removing_an_enum_value_rows_hold_fails_and_changes_nothing() {
    let old = load(&format!(
        "enums:\n  State: [open, stale, closed]\n{TICKETS}      state: State\n"
    ));
    let new = load(&format!(
        "enums:\n  State: [open, closed]\n{TICKETS}      state: State\n      note: text?\n"
    ));
    let plan = Plan::new(&old, &new);
    assert!(
        !plan.destructive.is_empty(),
        "removing a value is destructive: {:?}",
        plan.destructive
    );
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "mdb_enum_guard") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch("INSERT INTO tickets (id, state) VALUES (1, 'open'), (2, 'stale');")
            .unwrap();
        let (up, _) = plan.scripts(&old, &new, d);
        let err = conn.migrate(&up.sql, up.no_transaction).expect_err(&up.sql);
        assert!(
            err.contains("rows_with_removed_values")
                || err.contains("modelgen_enum_values")
                || err.to_lowercase().contains("check"),
            "{}: {err}",
            d.name()
        );
        assert_catalog(&conn, &old, "after the failed migration");
        assert_eq!(
            one(&conn, "SELECT state FROM tickets WHERE id = 2;").as_deref(),
            Some("stale"),
            "{}",
            d.name()
        );
        conn.drop_database();
    }
}

/// An enum column becomes text and back, and a text column becomes an enum.
#[test]
fn enum_columns_become_text_and_text_becomes_an_enum() {
    round_trip(
        "enum_text",
        &format!("enums:\n  State: [open, closed]\n{TICKETS}      state: State\n      label: str(10)\n"),
        &format!("enums:\n  Label: [a, b]\n{TICKETS}      state: str(20)\n      label: Label\n"),
        "INSERT INTO tickets (id, state, label) VALUES (1, 'open', 'a'), (2, 'closed', 'b');",
        &[(
            "SELECT id, state, label FROM tickets ORDER BY id;",
            "1,open,a;2,closed,b",
        )],
        &[(
            "SELECT id, state, label FROM tickets ORDER BY id;",
            "1,open,a;2,closed,b",
        )],
    );
}

/// A value renamed (`renamed_values`) and one added in the same migration, on a table
/// whose `updated_at` the database keeps: the rows move to the new name (PostgreSQL
/// renames the value of its type, MySQL widens the ENUM and updates, SQLite's rebuild
/// copies under the new name), `updated_at` keeps its value, and down renames back.
#[test]
fn a_renamed_enum_value_moves_its_rows_up_and_down() {
    let old = format!("enums:\n  State: [open, done]\n{TICKETS}      state: State\n    mixins: [timestamps]\n");
    let new = format!(
        "enums:\n  State: {{values: [open, closed, archived], renamed_values: {{done: closed}}}}\n{TICKETS}      state: State\n    mixins: [timestamps]\n"
    );
    let plan = Plan::new(&load(&old), &load(&new));
    assert!(
        plan.destructive.is_empty(),
        "a rename loses nothing: {:?}",
        plan.destructive
    );
    round_trip(
        "enum_renamed",
        &old,
        &new,
        "INSERT INTO tickets (id, state, created_at, updated_at) VALUES (1, 'open', '2000-01-01 00:00:00', '2000-01-01 00:00:00'), (2, 'done', '2000-01-01 00:00:00', '2000-01-01 00:00:00');",
        &[
            ("SELECT id, state FROM tickets ORDER BY id;", "1,open;2,closed"),
            ("SELECT count(*) FROM tickets WHERE updated_at < '2001-01-01';", "2"),
        ],
        &[
            ("SELECT id, state FROM tickets ORDER BY id;", "1,open;2,done"),
            ("SELECT count(*) FROM tickets WHERE updated_at < '2001-01-01';", "2"),
        ],
    );
}

/// The same for an enum held as a VARCHAR with its CHECK (`native: false, check: true`),
/// renamed to a longer value and to a shorter one: PostgreSQL maps the values in the type
/// change's USING (a rewrite, which fires no trigger), MySQL updates the rows around its
/// MODIFY (widened first, narrowed last) with `updated_at` assigned to itself, SQLite's
/// rebuild copies under the new names; the CHECK follows; down renames back.
#[test]
fn a_renamed_varchar_enum_value_moves_its_rows_up_and_down() {
    let enums = |values: &str, renamed: &str| {
        format!(
            "enums:\n  State: {{values: [{values}], native: false, check: true{renamed}}}\n{TICKETS}      state: State\n    mixins: [timestamps]\n"
        )
    };
    let old = enums("open, done, in-review", "");
    let new = enums(
        "open, finished, rev",
        ", renamed_values: {done: finished, in-review: rev}",
    );
    round_trip(
        "enum_varchar_renamed",
        &old,
        &new,
        "INSERT INTO tickets (id, state, created_at, updated_at) VALUES (1, 'open', '2000-01-01 00:00:00', '2000-01-01 00:00:00'), (2, 'done', '2000-01-01 00:00:00', '2000-01-01 00:00:00'), (3, 'in-review', '2000-01-01 00:00:00', '2000-01-01 00:00:00');",
        &[
            ("SELECT id, state FROM tickets ORDER BY id;", "1,open;2,finished;3,rev"),
            ("SELECT count(*) FROM tickets WHERE updated_at < '2001-01-01';", "3"),
        ],
        &[
            ("SELECT id, state FROM tickets ORDER BY id;", "1,open;2,done;3,in-review"),
            ("SELECT count(*) FROM tickets WHERE updated_at < '2001-01-01';", "3"),
        ],
    );
}

/// An enum held as a VARCHAR with its CHECK (`native: false, check: true`) gains a value
/// and loses one no row holds: the CHECK on every database follows, so the new value can
/// be stored after up and the removed one cannot, and the other way round after down.
#[test]
fn a_checked_varchar_enum_s_check_follows_its_values() {
    let enums = |values: &str| {
        format!("enums:\n  State: {{values: [{values}], native: false, check: true}}\n{TICKETS}      state: State\n")
    };
    let (old, new) = (
        load(&enums("open, stale, closed")),
        load(&enums("open, closed, archived")),
    );
    let select = "SELECT id, state FROM tickets ORDER BY id;";
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "mdb_enum_check_values") else {
            continue;
        };
        let insert =
            |id: u32, state: &str| conn.batch(&format!("INSERT INTO tickets (id, state) VALUES ({id}, '{state}');"));
        let plan = create_and_migrate(
            &conn,
            &old,
            &new,
            "INSERT INTO tickets (id, state) VALUES (1, 'open'), (2, 'closed');",
        );
        insert(3, "archived").unwrap_or_else(|e| panic!("{}: the added value after up: {e}", d.name()));
        assert!(
            insert(4, "stale").is_err(),
            "{}: the removed value is refused after up",
            d.name()
        );
        assert_eq!(conn.text(select).unwrap(), "1,open;2,closed;3,archived", "{}", d.name());
        conn.batch("DELETE FROM tickets WHERE id = 3;").unwrap();
        migrate_down(&conn, &plan, &old, &new);
        insert(5, "stale").unwrap_or_else(|e| panic!("{}: the value back after down: {e}", d.name()));
        assert!(
            insert(6, "archived").is_err(),
            "{}: the added value is refused after down",
            d.name()
        );
        assert_eq!(conn.text(select).unwrap(), "1,open;2,closed;5,stale", "{}", d.name());
        conn.drop_database();
    }
}

/// An inline enum is named after its column, so renaming the column renames PostgreSQL's
/// type: the column moves to the new type with its default, which PostgreSQL cannot cast
/// along (`default for column "status" cannot be cast automatically`); the default is
/// dropped first and set again after. Found by the migration property test (pair 85).
#[test]
fn renaming_an_inline_enum_column_with_a_default_moves_it_to_the_renamed_type() {
    round_trip(
        "enum_column_renamed",
        &format!("{TICKETS}      state: {{type: \"enum(open, closed)\", server_default: closed}}\n"),
        &format!(
            "{TICKETS}      status: {{type: \"enum(open, closed)\", server_default: closed, renamed_from: state}}\n"
        ),
        "INSERT INTO tickets (id, state) VALUES (1, 'open'), (2, 'closed');",
        &[("SELECT id, status FROM tickets ORDER BY id;", "1,open;2,closed")],
        &[("SELECT id, state FROM tickets ORDER BY id;", "1,open;2,closed")],
    );
}
