//! Two foreign keys to one table (`documents.created_by_id` and `changed_by_id`, both to
//! `authors`), each with its own relation, through the generated queries on real SQLite,
//! PostgreSQL and MariaDB: each loader follows its own key, both ways.

use modelgen_types_example::models::{NewAuthor, NewDocument};

#[allow(dead_code)]
#[path = "common/samples.rs"]
#[macro_use]
mod samples;

macro_rules! scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db::{author, document};
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        let ann = author::insert(&pool, &NewAuthor::new("ann".into())).await.unwrap();
        let bob = author::insert(&pool, &NewAuthor::new("bob".into())).await.unwrap();
        let mut new = NewDocument::new("plan".into(), ann.id);
        new.changed_by_id = Some(bob.id);
        let plan = document::insert(&pool, &new).await.unwrap();
        let memo = document::insert(&pool, &NewDocument::new("memo".into(), bob.id))
            .await
            .unwrap();

        let titles = |docs: Vec<modelgen_types_example::models::Document>| {
            let mut t: Vec<String> = docs.into_iter().map(|d| d.title).collect();
            t.sort();
            t
        };
        let authors = [ann.clone(), bob.clone()];
        assert_eq!(
            titles(author::load_created(&pool, &authors).await.unwrap()),
            ["memo", "plan"],
            "{d:?}"
        );
        assert_eq!(
            titles(author::load_changed(&pool, std::slice::from_ref(&ann)).await.unwrap()),
            Vec::<String>::new(),
            "{d:?}"
        );
        assert_eq!(
            titles(author::load_changed(&pool, std::slice::from_ref(&bob)).await.unwrap()),
            ["plan"],
            "{d:?}"
        );
        let created_by = document::load_created_by(&pool, std::slice::from_ref(&plan))
            .await
            .unwrap();
        assert_eq!(
            created_by.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
            ["ann"],
            "{d:?}"
        );
        let changed_by = document::load_changed_by(&pool, &[plan, memo]).await.unwrap();
        assert_eq!(
            changed_by.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
            ["bob"],
            "{d:?}"
        );
    }};
}

on_three_databases!(
    scenario,
    "types_two_keys",
    two_keys_on_sqlite,
    two_keys_on_postgres,
    two_keys_on_mariadb
);
