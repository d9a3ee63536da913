//! A Rust service and a Python one on the same database: rows with every column type,
//! written by the generated SQLAlchemy module (in the test venv) are read back equal by
//! the generated Rust (`examples/types`), and rows written by the Rust are read back equal
//! by SQLAlchemy — on real SQLite, PostgreSQL and MariaDB.

use modelgen_ir::config::{Output, PythonOutput};
use modelgen_ir::Dialect;
use modelgen_tests::python::{python, run_python};
use modelgen_tests::workspace_root;
use modelgen_types_example::models::{NewSample, Sample};

/// The spec of `examples/types`, without `Custom`: its long column name is one SQLAlchemy
/// cannot follow modelgen in shortening (the Python back end refuses it), and its types
/// are the Rust side's choice.
fn spec() -> modelgen_spec::Project {
    let text = std::fs::read_to_string(workspace_root().join("examples/types/models.yaml")).unwrap();
    let mut project = modelgen_spec::load_project(&text, "models.yaml").unwrap();
    project.schema.models.retain(|m| m.name != "Custom");
    project
}

fn module(project: &modelgen_spec::Project) -> String {
    let output = Output {
        python: Some(PythonOutput {
            file: "models.py".into(),
            templates: None,
        }),
        rust: None,
        migrations: project.output.migrations.clone(),
    };
    let files = modelgen_emit::generate(
        &project.schema,
        &output,
        "models.yaml",
        &Default::default(),
        &Default::default(),
        &Default::default(),
    )
    .unwrap()
    .files;
    files.into_iter().find(|f| f.path == "models.py").unwrap().contents
}

/// The row both sides write, as the Rust struct (its `id` set by the database).
fn row() -> NewSample {
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    NewSample {
        code: "ü€ab".into(),
        body: "it's \"quoted\"\nand 名前".into(),
        count: -2_147_483_648,
        total: 9_007_199_254_740_993,
        ratio: -1.5,
        price: "1234567890.12345".parse().unwrap(),
        enabled: true,
        seen_at: at("2024-02-29 23:59:58"),
        seen_at_tz: modelgen::types::DateTimeUtc(at("1999-12-31 12:00:00").and_utc()),
        born_on: chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap(),
        token: "0123456789abcdef0123456789abcdef".parse().unwrap(),
        payload: serde_json::json!({"a": [1, 2.5, null], "b": {"c": "ü"}}),
        tags: vec!["x".into(), "".into()],
        counters: [("k".to_owned(), 7)].into_iter().collect(),
        maybe_code: None,
        maybe_body: Some(String::new()),
        maybe_count: Some(0),
        maybe_total: None,
        maybe_ratio: Some(0.25),
        maybe_price: Some("-0.01".parse().unwrap()),
        maybe_enabled: Some(false),
        maybe_seen_at: None,
        maybe_seen_at_tz: None,
        maybe_born_on: Some(chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()),
        maybe_token: None,
        maybe_payload: Some(serde_json::json!([])),
        maybe_tags: None,
    }
}

/// The same row built by SQLAlchemy; then every row read back, as canonical text.
const PYTHON: &str = r#"
import sys, json, uuid, datetime
from decimal import Decimal
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
import models

engine = create_engine(sys.argv[1])
def canonical(s):
    out = {}
    for c in models.Sample.__table__.columns:
        v = getattr(s, c.key)
        if v is None:
            t = None
        elif isinstance(v, bool):
            t = "true" if v else "false"
        elif isinstance(v, datetime.datetime):
            if v.tzinfo is not None:
                v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            t = v.strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(v, datetime.date):
            t = v.isoformat()
        elif isinstance(v, Decimal):
            t = format(v.normalize(), "f")
        elif isinstance(v, float):
            t = repr(v)
        elif isinstance(v, uuid.UUID):
            t = str(v)
        elif isinstance(v, (dict, list)):
            t = json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        else:
            t = str(v)
        out[c.name] = t
    return out

with Session(engine) as session:
    if sys.argv[2] == "write":
        s = models.Sample(
            code="ü€ab", body="it's \"quoted\"\nand 名前", count=-2147483648, total=9007199254740993,
            ratio=-1.5, price=Decimal("1234567890.12345"), enabled=True,
            seen_at=datetime.datetime(2024, 2, 29, 23, 59, 58),
            seen_at_tz=datetime.datetime(1999, 12, 31, 12, 0, 0, tzinfo=datetime.timezone.utc),
            born_on=datetime.date(1000, 1, 1), token=uuid.UUID("0123456789abcdef0123456789abcdef"),
            payload={"a": [1, 2.5, None], "b": {"c": "ü"}}, tags=["x", ""], counters={"k": 7},
            maybe_code=None, maybe_body="", maybe_count=0, maybe_total=None, maybe_ratio=0.25,
            maybe_price=Decimal("-0.01"), maybe_enabled=False, maybe_seen_at=None, maybe_seen_at_tz=None,
            maybe_born_on=datetime.date(9999, 12, 31), maybe_token=None, maybe_payload=[], maybe_tags=None,
        )
        session.add(s)
        session.commit()
        print(s.id)
    else:
        s = session.get(models.Sample, int(sys.argv[3]))
        print(json.dumps(canonical(s), sort_keys=True, ensure_ascii=False))
engine.dispose()
"#;

/// What SQLAlchemy should print for `row()`, built from the Rust values.
fn canonical(id: i64, r: &NewSample) -> serde_json::Value {
    use serde_json::Value;
    let text = |s: String| Value::String(s);
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::String);
    let json = |v: &serde_json::Value| serde_json::to_string(v).unwrap();
    let dt = |d: &chrono::NaiveDateTime| d.format("%Y-%m-%d %H:%M:%S").to_string();
    let dec = |d: &modelgen::types::Decimal| d.0.normalize().to_string();
    let float = |f: f64| format!("{f:?}");
    serde_json::json!({
        "id": text(id.to_string()),
        "code": text(r.code.clone()),
        "body": text(r.body.clone()),
        "count": text(r.count.to_string()),
        "total": text(r.total.to_string()),
        "ratio": text(float(r.ratio)),
        "price": text(dec(&r.price)),
        "enabled": text(r.enabled.to_string()),
        "seen_at": text(dt(&r.seen_at)),
        "seen_at_tz": text(dt(&r.seen_at_tz.0.naive_utc())),
        "born_on": text(r.born_on.to_string()),
        "token": text(r.token.to_string()),
        "payload": text(json(&r.payload)),
        "tags": text(serde_json::to_string(&r.tags).unwrap()),
        "counters": text(serde_json::to_string(&r.counters).unwrap()),
        "maybe_code": opt(r.maybe_code.clone()),
        "maybe_body": opt(r.maybe_body.clone()),
        "maybe_count": opt(r.maybe_count.map(|v| v.to_string())),
        "maybe_total": opt(r.maybe_total.map(|v| v.to_string())),
        "maybe_ratio": opt(r.maybe_ratio.map(float)),
        "maybe_price": opt(r.maybe_price.as_ref().map(dec)),
        "maybe_enabled": opt(r.maybe_enabled.map(|v| v.to_string())),
        "maybe_seen_at": opt(r.maybe_seen_at.as_ref().map(dt)),
        "maybe_seen_at_tz": opt(r.maybe_seen_at_tz.map(|d| dt(&d.0.naive_utc()))),
        "maybe_born_on": opt(r.maybe_born_on.map(|d| d.to_string())),
        "maybe_token": opt(r.maybe_token.map(|t| t.to_string())),
        "maybe_payload": opt(r.maybe_payload.as_ref().map(json)),
        "maybe_tags": opt(r.maybe_tags.as_ref().map(|t| serde_json::to_string(t).unwrap())),
    })
}

/// The Rust row a `NewSample` becomes, with its key.
fn stored(id: i64, r: NewSample) -> Sample {
    Sample {
        id,
        code: r.code,
        body: r.body,
        count: r.count,
        total: r.total,
        ratio: r.ratio,
        price: r.price,
        enabled: r.enabled,
        seen_at: r.seen_at,
        seen_at_tz: r.seen_at_tz,
        born_on: r.born_on,
        token: r.token,
        payload: r.payload,
        tags: r.tags,
        counters: r.counters,
        maybe_code: r.maybe_code,
        maybe_body: r.maybe_body,
        maybe_count: r.maybe_count,
        maybe_total: r.maybe_total,
        maybe_ratio: r.maybe_ratio,
        maybe_price: r.maybe_price,
        maybe_enabled: r.maybe_enabled,
        maybe_seen_at: r.maybe_seen_at,
        maybe_seen_at_tz: r.maybe_seen_at_tz,
        maybe_born_on: r.maybe_born_on,
        maybe_token: r.maybe_token,
        maybe_payload: r.maybe_payload,
        maybe_tags: r.maybe_tags,
    }
}

macro_rules! both_ways {
    ($pool:expr, $db:ident, $url:expr, $python:expr, $dir:expr) => {{
        use modelgen_types_example::models::queries::$db as db;
        let pool = $pool;
        // SQLAlchemy writes, Rust reads.
        let id: i64 = run_python($python, $dir, PYTHON, &[$url, "write"])
            .trim()
            .parse()
            .unwrap();
        let read = db::sample::get(&pool, id)
            .await
            .unwrap()
            .expect("the row SQLAlchemy wrote");
        assert_eq!(
            read,
            stored(id, row()),
            "{}: a row SQLAlchemy wrote, read by Rust",
            stringify!($db)
        );
        // Rust writes, SQLAlchemy reads.
        // (`code` is unique: the Rust row takes another.)
        let mine = NewSample {
            code: "ü€cd".into(),
            ..row()
        };
        let written = db::sample::insert(&pool, &mine).await.unwrap();
        let shown = run_python($python, $dir, PYTHON, &[$url, "read", &written.id.to_string()]);
        let seen: serde_json::Value = serde_json::from_str(shown.trim()).unwrap();
        assert_eq!(
            seen,
            canonical(written.id, &mine),
            "{}: a row Rust wrote, read by SQLAlchemy",
            stringify!($db)
        );
    }};
}

/// The venv's python, a folder holding the generated `models.py`, and the spec.
fn prepare() -> Option<(&'static std::path::Path, tempfile::TempDir, modelgen_spec::Project)> {
    let python = python(env!("CARGO_TARGET_TMPDIR"))?;
    let project = spec();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.py"), module(&project)).unwrap();
    Some((python, dir, project))
}

#[tokio::test(flavor = "current_thread")]
async fn sqlalchemy_and_rust_share_a_sqlite_database() {
    let Some((python, dir, project)) = prepare() else {
        return;
    };
    let file = dir.path().join("shared.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    let create = modelgen_sql::create_script(&project.schema, Dialect::Sqlite);
    sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();
    let url = format!("sqlite:///{}", file.display());
    both_ways!(pool, sqlite, &url, python, dir.path());
}

#[tokio::test(flavor = "current_thread")]
async fn sqlalchemy_and_rust_share_a_postgres_database() {
    let Some((python, dir, project)) = prepare() else {
        return;
    };
    let Some(pg) = modelgen_testdb::shared_postgres() else {
        return;
    };
    let _ = pg.exec("postgres", "DROP DATABASE IF EXISTS interop;");
    pg.create_database("interop");
    pg.exec(
        "interop",
        &modelgen_sql::create_script(&project.schema, Dialect::Postgres),
    )
    .unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&pg.url("interop"))
        .await
        .unwrap();
    let url = format!(
        "postgresql+psycopg2://postgres@/interop?host={}&port={}",
        pg.socket_dir().display(),
        pg.port()
    );
    both_ways!(pool, postgres, &url, python, dir.path());
}

#[tokio::test(flavor = "current_thread")]
async fn sqlalchemy_and_rust_share_a_mariadb_database() {
    let Some((python, dir, project)) = prepare() else {
        return;
    };
    let Some(m) = modelgen_testdb::shared_mariadb() else {
        return;
    };
    let _ = m.exec("", "DROP DATABASE IF EXISTS interop;");
    m.create_database("interop");
    m.exec("interop", &modelgen_sql::create_script(&project.schema, Dialect::Mysql))
        .unwrap();
    let pool = sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(1)
        .connect(&m.url("interop"))
        .await
        .unwrap();
    let url = format!(
        "mariadb+pymysql://root@localhost/interop?unix_socket={}&charset=utf8mb4",
        m.socket().display()
    );
    both_ways!(pool, mysql, &url, python, dir.path());
}
