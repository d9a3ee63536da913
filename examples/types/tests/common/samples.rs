//! Rows at the edges of every type, shared by the round-trip and the queries tests.

use chrono::{NaiveDate, NaiveDateTime};
use modelgen::types::{DateTimeUtc, Uuid};
use modelgen_types_example::models::{NewSample, Sample};
use serde_json::json;
use std::collections::BTreeMap;

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
pub fn samples() -> Vec<Sample> {
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

/// The `New…` of a sample: every field but the key the database makes.
pub fn new_sample(s: &Sample) -> NewSample {
    let s = s.clone();
    NewSample {
        code: s.code,
        body: s.body,
        count: s.count,
        total: s.total,
        ratio: s.ratio,
        price: s.price,
        enabled: s.enabled,
        seen_at: s.seen_at,
        seen_at_tz: s.seen_at_tz,
        born_on: s.born_on,
        token: s.token,
        payload: s.payload,
        tags: s.tags,
        counters: s.counters,
        maybe_code: s.maybe_code,
        maybe_body: s.maybe_body,
        maybe_count: s.maybe_count,
        maybe_total: s.maybe_total,
        maybe_ratio: s.maybe_ratio,
        maybe_price: s.maybe_price,
        maybe_enabled: s.maybe_enabled,
        maybe_seen_at: s.maybe_seen_at,
        maybe_seen_at_tz: s.maybe_seen_at_tz,
        maybe_born_on: s.maybe_born_on,
        maybe_token: s.maybe_token,
        maybe_payload: s.maybe_payload,
        maybe_tags: s.maybe_tags,
    }
}

/// A row as JSON, to compare whole rows.
pub fn json(s: &Sample) -> serde_json::Value {
    serde_json::to_value(s).unwrap()
}

/// The spec of `examples/types`.
pub fn schema() -> modelgen::ir::Schema {
    let text = include_str!("../../models.yaml");
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// An in-memory SQLite database on one connection.
pub async fn sqlite() -> sqlx::SqlitePool {
    let options = sqlx::sqlite::SqliteConnectOptions::new().in_memory(true);
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap()
}

/// A fresh PostgreSQL database `name`, or `None` when the server is missing (a loud skip;
/// a failure under CI=true).
pub async fn postgres(name: &str) -> Option<sqlx::PgPool> {
    let pg = modelgen_testdb::shared_postgres()?;
    let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS {name};"));
    pg.create_database(name);
    Some(
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&pg.url(name))
            .await
            .unwrap(),
    )
}

/// A fresh MariaDB database `name`, as [`postgres`].
pub async fn mariadb(name: &str) -> Option<sqlx::MySqlPool> {
    let m = modelgen_testdb::shared_mariadb()?;
    let _ = m.exec("", &format!("DROP DATABASE IF EXISTS {name};"));
    m.create_database(name);
    Some(
        sqlx::mysql::MySqlPoolOptions::new()
            .max_connections(1)
            .connect(&m.url(name))
            .await
            .unwrap(),
    )
}

/// One test per database running `$scenario!(pool, dialect, queries module)`: on an
/// in-memory SQLite, and on fresh PostgreSQL and MariaDB databases named `$db` (skipped,
/// or failed under `CI=true`, without their servers).
#[allow(unused_macros)] // Not every test file runs on the three databases.
macro_rules! on_three_databases {
    ($scenario:ident, $db:literal, $sqlite:ident, $postgres:ident, $mariadb:ident) => {
        #[tokio::test(flavor = "current_thread")]
        async fn $sqlite() {
            $scenario!(samples::sqlite().await, modelgen::Dialect::Sqlite, sqlite);
        }

        #[tokio::test(flavor = "current_thread")]
        async fn $postgres() {
            let Some(pool) = samples::postgres($db).await else {
                return;
            };
            $scenario!(pool, modelgen::Dialect::Postgres, postgres);
        }

        #[tokio::test(flavor = "current_thread")]
        async fn $mariadb() {
            let Some(pool) = samples::mariadb($db).await else {
                return;
            };
            $scenario!(pool, modelgen::Dialect::Mysql, mysql);
        }
    };
}
