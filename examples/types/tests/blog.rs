//! The example of docs/guide.md ("Query the database from Rust"), quoted there verbatim:
//! a small blog through the generated queries, run on SQLite.

use modelgen::Dialect;
use modelgen_types_example::models::queries::sqlite as db;
use modelgen_types_example::models::{NewAuthor, NewPost, PostPatch};

async fn blog(pool: &sqlx::SqlitePool) -> sqlx::Result<()> {
    let ada = db::author::insert(pool, &NewAuthor::new("Ada".into())).await?;
    let mut draft = NewPost::new("Hello".into());
    draft.author_id = Some(ada.id);
    let post = db::post::insert(pool, &draft).await?; // every column bound, the row returned

    let patch = PostPatch {
        title: Some("Hello, world".into()),
        ..PostPatch::default()
    };
    db::post::patch(pool, post.id, &patch).await?; // only the fields that are Some

    let posts = db::author::load_posts(pool, &[ada]).await?; // one query for any number of authors
    assert_eq!(posts[0].title, "Hello, world");

    let page = db::post::page(pool, None, 20).await?; // keyset pages: pass the last key for the next
    assert_eq!(page.len(), 1);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn the_guide_s_blog_runs_on_sqlite() {
    let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    let schema = modelgen_spec::load(include_str!("../models.yaml"), "models.yaml").unwrap();
    let create = modelgen_sql::create_script(&schema, Dialect::Sqlite);
    sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();
    blog(&pool).await.unwrap();
}
