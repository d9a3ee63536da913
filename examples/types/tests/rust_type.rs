//! `rust_type` through the generated queries on real databases: a decimal read as `f64`,
//! JSON as the application's own type and a `str` column as its newtype, on SQLite,
//! PostgreSQL and MariaDB; a decimal read as `String` on SQLite and MariaDB (modelgen
//! refuses it with PostgreSQL). What is stored is read back with the exact type too, to
//! show the column holds the number the field said.

use modelgen::types::Decimal;
use modelgen_types_example::models::{Custom, CustomPatch, NewCustom};
use modelgen_types_example::text::{NewPrice, Price, PricePatch};
use modelgen_types_example::{Email, Settings};

// Only the pools and the schema are used here.
#[allow(dead_code)]
#[path = "common/samples.rs"]
#[macro_use]
mod samples;

fn settings() -> Settings {
    Settings {
        theme: "dark ü".into(),
        columns: 255,
        beta: None,
        shortcuts: vec!["ctrl+k".into(), String::new()],
    }
}

macro_rules! custom_scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db::custom as db;
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        // The spec's default of a decimal read as f64.
        let new = NewCustom::new(Email("a@example.com".into()), settings());
        assert_eq!(new.price, 1.5);
        let first = db::insert(&pool, &new).await.unwrap();
        assert_eq!(
            first,
            Custom {
                id: first.id,
                email: Email("a@example.com".into()),
                price: 1.5,
                maybe_price: None,
                settings: settings(),
                maybe_settings: None,
                a_column_name_longer_than_the_sixty_three_bytes_postgresql_keeps_x: None,
            },
            "{d:?}: insert"
        );
        let edges = NewCustom {
            email: Email("b@example.com".into()),
            price: -99999999.99,
            maybe_price: Some(99999999999.9999),
            settings: Settings::default(),
            maybe_settings: Some(settings()),
            a_column_name_longer_than_the_sixty_three_bytes_postgresql_keeps_x: Some(i32::MIN),
        };
        let second = db::insert(&pool, &edges).await.unwrap();
        assert_eq!(
            (second.price, second.maybe_price, &second.maybe_settings),
            (-99999999.99, Some(99999999999.9999), &Some(settings())),
            "{d:?}: edge values"
        );
        assert_eq!(
            second.a_column_name_longer_than_the_sixty_three_bytes_postgresql_keeps_x,
            Some(i32::MIN),
            "{d:?}: a long column name"
        );
        // The column holds the exact decimal.
        let stored: Vec<(Decimal, Option<Decimal>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT price, maybe_price FROM customs ORDER BY id"
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        let text: Vec<(String, Option<String>)> = stored
            .iter()
            .map(|(p, m)| (p.normalize().to_string(), m.map(|m| m.normalize().to_string())))
            .collect();
        assert_eq!(
            text,
            [
                ("1.5".to_owned(), None),
                ("-99999999.99".to_owned(), Some("99999999999.9999".to_owned()))
            ],
            "{d:?}: stored decimals"
        );

        let by_email = db::get_by_email(&pool, Email("b@example.com".into())).await.unwrap();
        assert_eq!(by_email.as_ref(), Some(&second), "{d:?}: get_by_email");
        let patch = CustomPatch {
            // A whole number: SQLite stores it as an INTEGER.
            price: Some(10.0),
            maybe_price: Some(None),
            settings: Some(Settings {
                columns: 1,
                ..settings()
            }),
            ..Default::default()
        };
        assert!(db::patch(&pool, second.id, &patch).await.unwrap(), "{d:?}: patch");
        let patched = db::get(&pool, second.id).await.unwrap().unwrap();
        assert_eq!(
            (patched.price, patched.maybe_price, patched.settings.columns),
            (10.0, None, 1),
            "{d:?}: patched"
        );
        let page = db::page(&pool, None, 10).await.unwrap();
        assert_eq!(page, [first.clone(), patched.clone()], "{d:?}: page");

        // Hand-written SQL reads the struct through `names::SELECT`.
        let all: Vec<Custom> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM {} ORDER BY id",
            db::names::SELECT,
            db::names::TABLE
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(all, [first, patched], "{d:?}: names::SELECT");
    }};
}

on_three_databases!(
    custom_scenario,
    "types_rust_type",
    own_types_f64_decimals_and_json_on_sqlite,
    own_types_f64_decimals_and_json_on_postgres,
    own_types_f64_decimals_and_json_on_mariadb
);

fn text_schema() -> modelgen::ir::Schema {
    let text = include_str!("../text_decimals.yaml");
    modelgen_spec::load(text, "text_decimals.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

macro_rules! text_scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::text::queries::$db::price as db;
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&text_schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        let row = db::insert(&pool, &NewPrice::new("123456".into())).await.unwrap();
        // Read back with the column's scale, whatever the database kept.
        assert_eq!(
            row,
            Price {
                id: row.id,
                amount: "0.00".into(),
                maybe_amount: None,
                code: "123456".into(),
            },
            "{d:?}: insert"
        );
        let other = NewPrice {
            amount: "7".into(),
            maybe_amount: Some("-12345678.1234".into()),
            code: "-999999".into(),
        };
        let other = db::insert(&pool, &other).await.unwrap();
        assert_eq!(
            (other.amount.as_str(), other.maybe_amount.as_deref()),
            ("7.00", Some("-12345678.1234")),
            "{d:?}: scale"
        );
        let found = db::get_by_code(&pool, "-999999").await.unwrap();
        assert_eq!(found.as_ref(), Some(&other), "{d:?}: get_by_code");
        let patch = PricePatch {
            amount: Some("99999999.99".into()),
            ..Default::default()
        };
        assert!(db::patch(&pool, other.id, &patch).await.unwrap());
        let stored: (Decimal,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT amount FROM prices WHERE id = {}",
            other.id
        )))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(stored.0.normalize().to_string(), "99999999.99", "{d:?}: stored");
        let read = db::get(&pool, other.id).await.unwrap().unwrap();
        assert_eq!(read.amount, "99999999.99", "{d:?}: patched");
    }};
}

#[tokio::test(flavor = "current_thread")]
async fn decimals_as_text_on_sqlite() {
    text_scenario!(samples::sqlite().await, modelgen::Dialect::Sqlite, sqlite);
}

#[tokio::test(flavor = "current_thread")]
async fn decimals_as_text_on_mariadb() {
    let Some(pool) = samples::mariadb("types_rust_type_text").await else {
        return;
    };
    text_scenario!(pool, modelgen::Dialect::Mysql, mysql);
}

/// The derive on the generated struct reads the same column types and `rust_type`s as the
/// spec: both front ends lower to one IR.
#[test]
fn the_derive_lowers_the_generated_struct_to_the_specs_model() {
    use modelgen::Model;
    let spec = samples::schema();
    let custom = spec.models.iter().find(|m| m.name == "Custom").unwrap();
    assert_eq!(Custom::model(), custom);
    let spec = text_schema();
    assert_eq!(Price::model(), spec.models.iter().find(|m| m.name == "Price").unwrap());
}

macro_rules! uuid4_scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db::token as db;
        use modelgen_types_example::models::NewToken;
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();
        let (a, b) = (NewToken::new("a".into()), NewToken::new("b".into()));
        assert_ne!(a.id, b.id, "{d:?}: one UUID per row");
        assert_eq!(a.id.get_version_num(), 4);
        for new in [a, b] {
            let row = db::insert(&pool, &new).await.unwrap();
            assert_eq!(row.id, new.id, "{d:?}: the key the application made");
            assert_eq!(db::get(&pool, new.id).await.unwrap().map(|r| r.label), Some(new.label));
        }
    }};
}

on_three_databases!(
    uuid4_scenario,
    "types_uuid4",
    uuid4_keys_on_sqlite,
    uuid4_keys_on_postgres,
    uuid4_keys_on_mariadb
);

macro_rules! app_on_update_scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db::draft as db;
        use modelgen_types_example::models::{DraftPatch, NewDraft};
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();
        let before = chrono::Utc::now() - chrono::Duration::seconds(2);
        let row = db::insert(&pool, &NewDraft::new("first".into())).await.unwrap();
        assert_eq!(row.edited_at, None, "{d:?}: an insert is no update");
        let recent = |at: Option<modelgen::types::DateTimeUtc>| at.is_some_and(|t| *t >= before);

        let patch = DraftPatch {
            body: Some("second".into()),
            ..Default::default()
        };
        assert!(db::patch(&pool, row.id, &patch).await.unwrap());
        let patched = db::get(&pool, row.id).await.unwrap().unwrap();
        assert!(
            recent(patched.edited_at),
            "{d:?}: patch wrote the time: {:?}",
            patched.edited_at
        );

        // A patch that sets the field keeps its value.
        let long_ago = modelgen::types::DateTimeUtc(chrono::DateTime::from_timestamp(86_400, 0).unwrap());
        let patch = DraftPatch {
            edited_at: Some(Some(long_ago)),
            ..Default::default()
        };
        assert!(db::patch(&pool, row.id, &patch).await.unwrap());
        assert_eq!(
            db::get(&pool, row.id).await.unwrap().unwrap().edited_at,
            Some(long_ago),
            "{d:?}"
        );

        // update writes the time whatever the row says.
        let mut whole = db::get(&pool, row.id).await.unwrap().unwrap();
        whole.body = "third".into();
        assert!(db::update(&pool, &whole).await.unwrap());
        let updated = db::get(&pool, row.id).await.unwrap().unwrap();
        assert_eq!(updated.body, "third");
        assert!(
            recent(updated.edited_at),
            "{d:?}: update wrote the time: {:?}",
            updated.edited_at
        );
    }};
}

on_three_databases!(
    app_on_update_scenario,
    "types_app_on_update",
    app_on_update_on_sqlite,
    app_on_update_on_postgres,
    app_on_update_on_mariadb
);
