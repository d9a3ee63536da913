//! The generated queries against the sqlx code a user would write by hand for the same
//! statements, on an in-memory SQLite: inserting rows and reading them back by key.

use modelgen_types_example::models::queries::sqlite as db;
use modelgen_types_example::models::{NewTag, Tag};
use std::time::{Duration, Instant};

/// Rows per measured run.
pub const ROWS: usize = 5_000;

async fn pool() -> sqlx::SqlitePool {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    let schema = modelgen_spec::load(include_str!("../../examples/types/models.yaml"), "models.yaml").unwrap();
    let create = modelgen_sql::create_script(&schema, modelgen_sql::Dialect::Sqlite);
    sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();
    pool
}

fn rows() -> Vec<NewTag> {
    (0..ROWS)
        .map(|i| {
            let mut t = NewTag::new(format!("tag {i}"));
            t.note = Some(format!("note {i}"));
            t.token_hash = Some(format!("{i:064}"));
            t
        })
        .collect()
}

/// (insert, get) times of `ROWS` rows, generated or hand-written.
pub async fn run(generated: bool) -> (Duration, Duration) {
    let pool = pool().await;
    let rows = rows();
    let start = Instant::now();
    let mut ids = Vec::with_capacity(ROWS);
    for row in &rows {
        let tag: Tag = if generated {
            db::tag::insert(&pool, row).await.unwrap()
        } else {
            sqlx::query_as("INSERT INTO \"tags\" (\"name\", \"note\", \"token_hash\") VALUES (?, ?, ?) RETURNING *")
                .bind(&row.name)
                .bind(&row.note)
                .bind(&row.token_hash)
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        ids.push(tag.id);
    }
    let insert = start.elapsed();
    let start = Instant::now();
    for &id in &ids {
        let tag: Option<Tag> = if generated {
            db::tag::get(&pool, id).await.unwrap()
        } else {
            sqlx::query_as("SELECT * FROM \"tags\" WHERE \"id\" = ?")
                .bind(id)
                .fetch_optional(&pool)
                .await
                .unwrap()
        };
        assert!(tag.is_some());
    }
    (insert, start.elapsed())
}
