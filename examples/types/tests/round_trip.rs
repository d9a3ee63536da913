//! Every type of the mapping table, required and nullable, written through sqlx with the
//! generated struct's field types and read back with its `FromRow`, on real SQLite,
//! PostgreSQL and MariaDB: edge values come back equal, what each column holds is the
//! storage the DDL declares (`uuid` as 32 hex digits where it is `CHAR(32)`), and rows
//! written the way SQLAlchemy writes them decode.

use chrono::{NaiveDate, NaiveDateTime};
use modelgen::types::{DateTimeUtc, Decimal, Uuid};
use modelgen::Dialect;
use modelgen_types_example::Sample;
use serde_json::json;
use std::collections::BTreeMap;

fn schema() -> modelgen::ir::Schema {
    let text = include_str!("../models.yaml");
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn utc(s: &str) -> DateTimeUtc {
    DateTimeUtc(at(s).and_utc())
}

/// Rows at the edges of every type, and one with every nullable column NULL.
fn samples() -> Vec<Sample> {
    let full = Sample {
        id: 1,
        code: "ü€😀abcde".into(),
        body: "line one\nline two, 'quoted' and \"double\" \\ and 名前".into(),
        count: i32::MIN,
        total: i64::MAX,
        ratio: f64::MAX,
        price: "9999999999.99999".parse().unwrap(),
        enabled: true,
        seen_at: at("9999-12-31 23:59:59"),
        seen_at_tz: utc("1000-01-01 00:00:00"),
        born_on: date("9999-12-31"),
        token: "123e4567-e89b-12d3-a456-426614174000".parse().unwrap(),
        payload: json!({"nested": {"list": [1, 2.5, null, true, "ü"]}, "empty": {}}),
        tags: vec!["".into(), "tag with spaces".into(), "😀".into()],
        counters: BTreeMap::from([("a".into(), i32::MAX), ("".into(), i32::MIN)]),
        maybe_code: Some(String::new()),
        maybe_body: Some(String::new()),
        maybe_count: Some(i32::MAX),
        maybe_total: Some(i64::MIN),
        maybe_ratio: Some(-1.5e-300),
        maybe_price: Some("-99999999.99".parse().unwrap()),
        maybe_enabled: Some(false),
        maybe_seen_at: Some(at("1000-01-01 00:00:00")),
        maybe_seen_at_tz: Some(utc("2024-02-29 23:59:59")),
        maybe_born_on: Some(date("1000-01-01")),
        maybe_token: Some(Uuid(uuid::Uuid::max())),
        maybe_payload: Some(json!([])),
        maybe_tags: Some(Vec::new()),
    };
    let empty = Sample {
        id: 2,
        code: String::new(),
        body: String::new(),
        count: 0,
        total: i64::MIN,
        ratio: 0.0,
        price: "-0.00001".parse().unwrap(),
        enabled: false,
        seen_at: at("1970-01-01 00:00:00"),
        seen_at_tz: utc("9999-12-31 23:59:59"),
        born_on: date("1000-01-01"),
        token: Uuid(uuid::Uuid::nil()),
        payload: json!(null),
        tags: Vec::new(),
        counters: BTreeMap::new(),
        maybe_code: None,
        maybe_body: None,
        maybe_count: None,
        maybe_total: None,
        maybe_ratio: None,
        maybe_price: None,
        maybe_enabled: None,
        maybe_seen_at: None,
        maybe_seen_at_tz: None,
        maybe_born_on: None,
        maybe_token: None,
        maybe_payload: None,
        maybe_tags: None,
    };
    vec![full, empty]
}

/// `INSERT INTO samples (<every column>) VALUES (<placeholders>)`.
fn insert_sql(d: Dialect) -> String {
    use modelgen::Model;
    let placeholders: Vec<String> = (1..=Sample::COLUMNS.len())
        .map(|i| match d {
            Dialect::Postgres => format!("${i}"),
            _ => "?".into(),
        })
        .collect();
    format!(
        "INSERT INTO samples ({}) VALUES ({})",
        Sample::COLUMNS.join(", "),
        placeholders.join(", ")
    )
}

/// Binds every field of a `Sample`, in column order, as its generated type encodes.
macro_rules! insert {
    ($pool:expr, $d:expr, $s:expr) => {{
        use sqlx::types::Json;
        let s = $s;
        let sql = insert_sql($d);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(s.id)
            .bind(&s.code)
            .bind(&s.body)
            .bind(s.count)
            .bind(s.total)
            .bind(s.ratio)
            .bind(s.price)
            .bind(s.enabled)
            .bind(s.seen_at)
            .bind(s.seen_at_tz)
            .bind(s.born_on)
            .bind(s.token)
            .bind(Json(&s.payload))
            .bind(Json(&s.tags))
            .bind(Json(&s.counters))
            .bind(&s.maybe_code)
            .bind(&s.maybe_body)
            .bind(s.maybe_count)
            .bind(s.maybe_total)
            .bind(s.maybe_ratio)
            .bind(s.maybe_price)
            .bind(s.maybe_enabled)
            .bind(s.maybe_seen_at)
            .bind(s.maybe_seen_at_tz)
            .bind(s.maybe_born_on)
            .bind(s.maybe_token)
            .bind(s.maybe_payload.as_ref().map(Json))
            .bind(s.maybe_tags.as_ref().map(Json))
            .execute(&$pool)
            .await
            .unwrap_or_else(|e| panic!("{:?}: inserting row {}: {e}", $d, s.id));
    }};
}

/// The checks every database gets: edge values round-trip; a UUID column holds what the
/// DDL says; rows as SQLAlchemy writes them (hex UUIDs, a decimal SQLite keeps as REAL)
/// decode.
macro_rules! scenario {
    ($pool:expr, $d:expr, $create:expr) => {{
        let pool = $pool;
        let d: Dialect = $d;
        sqlx::raw_sql(sqlx::AssertSqlSafe($create)).execute(&pool).await.unwrap();
        let samples = samples();
        for s in &samples {
            insert!(pool, d, s);
        }
        let read: Vec<Sample> = sqlx::query_as("SELECT * FROM samples ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap_or_else(|e| panic!("{d:?}: reading back: {e}"));
        for (want, got) in samples.iter().zip(&read) {
            let fields = |s: &Sample| serde_json::to_value(s).unwrap();
            assert_eq!(fields(got), fields(want), "{d:?}: row {} differs", want.id);
            // Field by field too, where JSON would hide a difference (decimal scale, floats).
            assert_eq!(got.price, want.price, "{d:?}");
            assert_eq!(got.maybe_price, want.maybe_price, "{d:?}");
            assert_eq!(got.ratio.to_bits(), want.ratio.to_bits(), "{d:?}");
        }
        assert_eq!(read.len(), samples.len());

        // What the column holds: the storage the DDL declares.
        let stored: String = match d {
            Dialect::Postgres => sqlx::query_scalar("SELECT token::text FROM samples WHERE id = 1"),
            _ => sqlx::query_scalar("SELECT token FROM samples WHERE id = 1"),
        }
        .fetch_one(&pool)
        .await
        .unwrap();
        let expected = match d {
            Dialect::Postgres => "123e4567-e89b-12d3-a456-426614174000",
            _ => "123e4567e89b12d3a456426614174000",
        };
        assert_eq!(stored, expected, "{d:?}: the uuid column's contents");
        // A zone-aware timestamp where the column is a naive DATETIME: UTC, in the format
        // CURRENT_TIMESTAMP writes, so it sorts with what the database and SQLAlchemy write.
        if d != Dialect::Postgres {
            let sql = match d {
                Dialect::Sqlite => "SELECT seen_at_tz FROM samples WHERE id = 1",
                _ => "SELECT CAST(seen_at_tz AS CHAR) FROM samples WHERE id = 1",
            };
            let stored: String = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            assert_eq!(stored, "1000-01-01 00:00:00", "{d:?}: the datetime(tz) column's contents");
        }

        // A row as SQLAlchemy writes one: `Uuid` as 32 hex digits (or native), a decimal
        // as a number, JSON as text.
        let (token, price) = ("'0123456789abcdef0123456789abcdef'", "12.5");
        let columns: Vec<String> = ["id", "code", "body", "count", "total", "ratio", "price", "enabled"]
            .iter()
            .map(|c| c.to_string())
            .collect();
        let sql = format!(
            "INSERT INTO samples ({}, seen_at, seen_at_tz, born_on, token, payload, tags, counters) \
             VALUES (3, 'c', 'b', 1, 2, 0.25, {price}, {t}, '2024-01-31 12:00:00', '2024-01-31 12:00:00', '2024-01-31', {token}, '{{\"a\": 1}}', '[\"x\"]', '{{\"k\": 7}}')",
            columns.join(", "),
            t = if d == Dialect::Postgres { "true" } else { "1" },
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        let row: Sample = sqlx::query_as("SELECT * FROM samples WHERE id = 3")
            .fetch_one(&pool)
            .await
            .unwrap_or_else(|e| panic!("{d:?}: a row written as SQLAlchemy writes it: {e}"));
        assert_eq!(row.token.to_string(), "01234567-89ab-cdef-0123-456789abcdef", "{d:?}");
        assert_eq!(row.price, "12.5".parse::<Decimal>().unwrap(), "{d:?}");
        assert_eq!(row.counters, BTreeMap::from([("k".to_owned(), 7)]), "{d:?}");
    }};
}

#[tokio::test(flavor = "current_thread")]
async fn every_type_round_trips_on_sqlite() {
    let options = sqlx::sqlite::SqliteConnectOptions::new().in_memory(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    scenario!(
        pool,
        Dialect::Sqlite,
        modelgen_sql::create_script(&schema(), Dialect::Sqlite)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn every_type_round_trips_on_postgres() {
    let Some(pg) = modelgen_testdb::shared_postgres() else {
        return;
    };
    let _ = pg.exec("postgres", "DROP DATABASE IF EXISTS types_example;");
    pg.create_database("types_example");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&pg.url("types_example"))
        .await
        .unwrap();
    scenario!(
        pool,
        Dialect::Postgres,
        modelgen_sql::create_script(&schema(), Dialect::Postgres)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn every_type_round_trips_on_mariadb() {
    let Some(m) = modelgen_testdb::shared_mariadb() else {
        return;
    };
    let _ = m.exec("", "DROP DATABASE IF EXISTS types_example;");
    m.create_database("types_example");
    let pool = sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(1)
        .connect(&m.url("types_example"))
        .await
        .unwrap();
    scenario!(
        pool,
        Dialect::Mysql,
        modelgen_sql::create_script(&schema(), Dialect::Mysql)
    );
}
