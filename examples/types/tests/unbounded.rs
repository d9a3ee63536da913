//! `str` without a length through the generated queries on real SQLite and PostgreSQL:
//! values far longer than any `str(n)` a spec would give are written, found by their
//! unique key, patched and read back whole.

use modelgen_types_example::unbounded::{NewPage, PagePatch};

#[allow(dead_code)]
#[path = "common/samples.rs"]
#[macro_use]
mod samples;

fn schema() -> modelgen::ir::Schema {
    let text = include_str!("../unbounded.yaml");
    modelgen_spec::load(text, "unbounded.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

macro_rules! scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::unbounded::queries::$db::page as db;
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        let long = "ü名".repeat(50_000);
        let slug = format!("s-{}", "x".repeat(10_000));
        let row = db::insert(&pool, &NewPage::new(slug.clone(), long.clone()))
            .await
            .unwrap();
        assert_eq!(
            (row.title.chars().count(), row.subtitle.as_deref()),
            (100_000, None),
            "{d:?}: insert"
        );
        let found = db::get_by_slug(&pool, &slug).await.unwrap();
        assert_eq!(found.as_ref(), Some(&row), "{d:?}: get_by_slug");
        let patch = PagePatch {
            subtitle: Some(Some(long.clone() + "!")),
            ..Default::default()
        };
        assert!(db::patch(&pool, row.id, &patch).await.unwrap(), "{d:?}: patch");
        let patched = db::get(&pool, row.id).await.unwrap().unwrap();
        assert_eq!(patched.subtitle, Some(long + "!"), "{d:?}: patched");
        // A repeated slug is refused: the unique constraint holds on the whole value.
        assert!(
            db::insert(&pool, &NewPage::new(slug, String::new())).await.is_err(),
            "{d:?}: unique"
        );
    }};
}

#[tokio::test(flavor = "current_thread")]
async fn unbounded_strings_on_sqlite() {
    scenario!(samples::sqlite().await, modelgen::Dialect::Sqlite, sqlite);
}

#[tokio::test(flavor = "current_thread")]
async fn unbounded_strings_on_postgres() {
    let Some(pool) = samples::postgres("types_unbounded").await else {
        return;
    };
    scenario!(pool, modelgen::Dialect::Postgres, postgres);
}
