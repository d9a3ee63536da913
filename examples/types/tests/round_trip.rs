//! Every type of the mapping table, required and nullable, written through sqlx with the
//! generated struct's field types and read back with its `FromRow`, on real SQLite,
//! PostgreSQL and MariaDB: edge values come back equal, what each column holds is the
//! storage the DDL declares (`uuid` as 32 hex digits where it is `CHAR(32)`), and rows
//! written the way SQLAlchemy writes them decode.

use modelgen::types::Decimal;
use modelgen::Dialect;
use modelgen_types_example::Sample;
use samples::samples;
use std::collections::BTreeMap;

#[path = "common/samples.rs"]
#[allow(dead_code)]
mod samples;

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
    let create = modelgen_sql::create_script(&samples::schema(), Dialect::Sqlite);
    scenario!(samples::sqlite().await, Dialect::Sqlite, create);
}

#[tokio::test(flavor = "current_thread")]
async fn every_type_round_trips_on_postgres() {
    let Some(pool) = samples::postgres("types_example").await else {
        return;
    };
    let create = modelgen_sql::create_script(&samples::schema(), Dialect::Postgres);
    scenario!(pool, Dialect::Postgres, create);
}

#[tokio::test(flavor = "current_thread")]
async fn every_type_round_trips_on_mariadb() {
    let Some(pool) = samples::mariadb("types_example").await else {
        return;
    };
    let create = modelgen_sql::create_script(&samples::schema(), Dialect::Mysql);
    scenario!(pool, Dialect::Mysql, create);
}
