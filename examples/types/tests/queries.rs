//! The generated queries (`output.rust.queries`) on real SQLite, PostgreSQL and MariaDB:
//! insert returns the row as stored, get and get_by_* find it, update and patch write
//! exactly what they say (and leave `on_update` columns to the database), delete removes
//! it, keyset pages walk every row once, for single and composite keys; soft delete
//! hides and restore brings back; relations load for many rows at once.

use modelgen::types::Uuid;
use modelgen::Dialect;
use modelgen_types_example::models::{
    NewAuthor, NewLabel, NewNote, NewPair, NewPost, NewTag, Pair, PairPatch, Sample, SamplePatch, Tag, TagPatch,
};
use samples as common;

#[path = "common/samples.rs"]
mod samples;

macro_rules! scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db as db;
        let pool = $pool;
        let d: Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        // Samples: every type through insert, get, get_by_code, update, patch, delete.
        let mut stored = Vec::new();
        for s in common::samples() {
            let row = db::sample::insert(&pool, &common::new_sample(&s)).await.unwrap();
            assert_eq!(
                common::json(&row),
                common::json(&Sample { id: row.id, ..s }),
                "{d:?}: insert"
            );
            stored.push(row);
        }
        let first = stored[0].clone();
        assert_eq!(
            db::sample::get(&pool, first.id)
                .await
                .unwrap()
                .as_ref()
                .map(common::json),
            Some(common::json(&first))
        );
        assert!(db::sample::get(&pool, -1).await.unwrap().is_none(), "{d:?}");
        let by_code = db::sample::get_by_code(&pool, &first.code).await.unwrap().unwrap();
        assert_eq!(by_code.id, first.id, "{d:?}: get_by_code");

        let mut changed = first.clone();
        changed.body = "rewritten".into();
        changed.maybe_count = None;
        changed.tags = vec!["new".into()];
        assert!(
            db::sample::update(&pool, &changed).await.unwrap(),
            "{d:?}: update found the row"
        );
        let read = db::sample::get(&pool, first.id).await.unwrap().unwrap();
        assert_eq!(common::json(&read), common::json(&changed), "{d:?}: update");

        let patch = SamplePatch {
            count: Some(7),
            maybe_body: Some(None),
            maybe_tags: Some(Some(vec!["p".into()])),
            ..SamplePatch::default()
        };
        assert!(
            db::sample::patch(&pool, first.id, &patch).await.unwrap(),
            "{d:?}: patch"
        );
        let read = db::sample::get(&pool, first.id).await.unwrap().unwrap();
        let expected = Sample {
            count: 7,
            maybe_body: None,
            maybe_tags: Some(vec!["p".into()]),
            ..changed.clone()
        };
        assert_eq!(
            common::json(&read),
            common::json(&expected),
            "{d:?}: patch wrote only its fields"
        );
        assert!(!db::sample::patch(&pool, first.id, &SamplePatch::default())
            .await
            .unwrap());
        assert!(
            !db::sample::patch(&pool, -1, &patch).await.unwrap(),
            "{d:?}: patch of no row"
        );

        assert!(db::sample::delete(&pool, first.id).await.unwrap(), "{d:?}: delete");
        assert!(db::sample::get(&pool, first.id).await.unwrap().is_none());
        assert!(
            !db::sample::delete(&pool, first.id).await.unwrap(),
            "{d:?}: delete twice"
        );

        // Tags: the database fills the key, created_at and (on update) updated_at.
        let mut tags: Vec<Tag> = Vec::new();
        for i in 0..7 {
            let mut new = NewTag::new(format!("tag {i}"));
            new.note = (i % 2 == 0).then(|| format!("note {i}"));
            new.token_hash = Some(format!("hash-{i}"));
            let shown = format!("{new:?}");
            assert!(
                shown.contains("token_hash: \"<secret>\"") && !shown.contains("hash-"),
                "{shown}"
            );
            let tag = db::tag::insert(&pool, &new).await.unwrap();
            assert_eq!((tag.name.as_str(), &tag.note), (new.name.as_str(), &new.note), "{d:?}");
            assert!(tag.updated_at.is_none(), "{d:?}: a new tag was never updated");
            tags.push(tag);
        }
        let ids: Vec<i32> = tags.iter().map(|t| t.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 7, "{d:?}: insert returned each new row: {ids:?}");
        assert_eq!(
            db::tag::get_by_name(&pool, "tag 3").await.unwrap().unwrap().id,
            tags[3].id
        );
        let patch = TagPatch {
            note: Some(Some("patched".into())),
            ..TagPatch::default()
        };
        assert!(db::tag::patch(&pool, tags[3].id, &patch).await.unwrap());
        let patched = db::tag::get(&pool, tags[3].id).await.unwrap().unwrap();
        assert_eq!(patched.note.as_deref(), Some("patched"), "{d:?}");
        assert!(patched.updated_at.is_some(), "{d:?}: the database stamped updated_at");
        assert_eq!(patched.created_at, tags[3].created_at, "{d:?}: patch left created_at");
        let mut walked: Vec<Tag> = Vec::new();
        let mut after = None;
        loop {
            let page = db::tag::page(&pool, after, 3).await.unwrap();
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 3);
            after = page.last().map(|t| t.id);
            walked.extend(page);
        }
        let walked_ids: Vec<i32> = walked.iter().map(|t| t.id).collect();
        assert_eq!(walked_ids, sorted, "{d:?}: pages walk every tag once, in key order");

        // Pairs: a composite key the row carries.
        for (left_id, code) in [(2, "b"), (1, "z"), (1, "a"), (2, "a")] {
            let new = NewPair {
                left_id,
                right_code: code.into(),
                weight: Some(left_id * 10),
            };
            let pair: Pair = db::pair::insert(&pool, &new).await.unwrap();
            assert_eq!(
                (pair.left_id, pair.right_code.as_str(), pair.weight),
                (left_id, code, Some(left_id * 10))
            );
        }
        assert_eq!(db::pair::get(&pool, 1, "z").await.unwrap().unwrap().weight, Some(10));
        assert!(db::pair::patch(&pool, 1, "z", &PairPatch { weight: Some(None) })
            .await
            .unwrap());
        assert_eq!(
            db::pair::get(&pool, 1, "z").await.unwrap().unwrap().weight,
            None,
            "{d:?}"
        );
        let mut keys = Vec::new();
        let mut after: Option<(i32, String)> = None;
        loop {
            let page = db::pair::page(&pool, after.clone(), 3).await.unwrap();
            let Some(last) = page.last() else { break };
            after = Some((last.left_id, last.right_code.clone()));
            keys.extend(page.iter().map(|p| (p.left_id, p.right_code.clone())));
        }
        let expected: Vec<(i32, String)> = [(1, "a"), (1, "z"), (2, "a"), (2, "b")]
            .iter()
            .map(|(l, c)| (*l, c.to_string()))
            .collect();
        assert_eq!(keys, expected, "{d:?}: composite keyset pages");
        assert!(db::pair::delete(&pool, 2, "a").await.unwrap());
        assert!(db::pair::get(&pool, 2, "a").await.unwrap().is_none());

        // A server-default column set explicitly, and left to the database.
        let then = chrono::NaiveDate::from_ymd_opt(2001, 2, 3)
            .unwrap()
            .and_hms_opt(4, 5, 6)
            .unwrap();
        let mut dated = NewTag::new("dated".into());
        dated.created_at = Some(then);
        assert_eq!(db::tag::insert(&pool, &dated).await.unwrap().created_at, then, "{d:?}");
        let now = db::tag::insert(&pool, &NewTag::new("now".into())).await.unwrap();
        assert!(now.created_at > then, "{d:?}: the database's default");

        // Notes: soft delete hides a row from get, get_by_slug and page; restore brings it
        // back; a live-only unique slug can be reused once its holder is deleted.
        let first = db::note::insert(&pool, &NewNote::new("same".into(), "first".into()))
            .await
            .unwrap();
        let other = db::note::insert(&pool, &NewNote::new("other".into(), "other".into()))
            .await
            .unwrap();
        assert!(first.deleted_at.is_none(), "{d:?}");
        assert!(
            db::note::soft_delete(&pool, first.id).await.unwrap(),
            "{d:?}: soft delete"
        );
        assert!(
            !db::note::soft_delete(&pool, first.id).await.unwrap(),
            "{d:?}: deleted once only"
        );
        assert!(
            db::note::get(&pool, first.id).await.unwrap().is_none(),
            "{d:?}: get hides deleted rows"
        );
        assert!(db::note::get_by_slug(&pool, "same").await.unwrap().is_none(), "{d:?}");
        let hidden = db::note::get_including_deleted(&pool, first.id).await.unwrap().unwrap();
        assert!(hidden.deleted_at.is_some(), "{d:?}: the database stamped deleted_at");
        let live: Vec<i32> = db::note::page(&pool, None, 10)
            .await
            .unwrap()
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(live, [other.id], "{d:?}: page lists live rows");
        let all = db::note::page_including_deleted(&pool, None, 10).await.unwrap();
        assert_eq!(all.len(), 2, "{d:?}");
        let again = db::note::insert(&pool, &NewNote::new("same".into(), "second".into()))
            .await
            .unwrap();
        assert_eq!(
            db::note::get_by_slug(&pool, "same").await.unwrap().unwrap().id,
            again.id,
            "{d:?}"
        );
        assert!(db::note::delete(&pool, again.id).await.unwrap());
        assert!(db::note::restore(&pool, first.id).await.unwrap(), "{d:?}: restore");
        assert!(
            !db::note::restore(&pool, first.id).await.unwrap(),
            "{d:?}: restore a live row"
        );
        assert_eq!(
            db::note::get_by_slug(&pool, "same").await.unwrap().unwrap().body,
            "first",
            "{d:?}"
        );

        // Relations: each loaded for many rows in one go.
        let ada = db::author::insert(&pool, &NewAuthor::new("Ada".into())).await.unwrap();
        let bob = db::author::insert(&pool, &NewAuthor::new("Bob".into())).await.unwrap();
        let mut posts = Vec::new();
        for (author, title) in [
            (Some(ada.id), "a1"),
            (Some(bob.id), "b1"),
            (Some(ada.id), "a2"),
            (None, "anon"),
        ] {
            let mut new = NewPost::new(title.into());
            new.author_id = author;
            posts.push(db::post::insert(&pool, &new).await.unwrap());
        }
        let written: Vec<(Option<i32>, String)> = db::author::load_posts(&pool, &[ada.clone(), bob.clone()])
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.author_id, p.title))
            .collect();
        let expected: Vec<(Option<i32>, String)> = vec![
            (Some(ada.id), "a1".into()),
            (Some(bob.id), "b1".into()),
            (Some(ada.id), "a2".into()),
        ];
        assert_eq!(written, expected, "{d:?}: one_to_many, in key order");
        let authors: Vec<String> = db::post::load_author(&pool, &posts)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(authors, ["Ada", "Bob"], "{d:?}: many_to_one skips NULL keys");
        assert!(db::author::load_posts(&pool, &[]).await.unwrap().is_empty());
        let (rust, sql) = (Uuid(uuid::Uuid::from_u128(1)), Uuid(uuid::Uuid::from_u128(2)));
        for (id, name) in [(rust, "rust"), (sql, "sql")] {
            db::label::insert(&pool, &NewLabel::new(id, name.into())).await.unwrap();
        }
        db::post::link_labels(&pool, posts[0].id, rust).await.unwrap();
        db::post::link_labels(&pool, posts[0].id, sql).await.unwrap();
        db::post::link_labels(&pool, posts[1].id, sql).await.unwrap();
        let mut pairs: Vec<(i32, String)> = db::post::load_labels(&pool, &posts)
            .await
            .unwrap()
            .into_iter()
            .map(|(post, label)| (post, label.name))
            .collect();
        pairs.sort();
        assert_eq!(
            pairs,
            [
                (posts[0].id, "rust".into()),
                (posts[0].id, "sql".into()),
                (posts[1].id, "sql".into())
            ],
            "{d:?}: many_to_many"
        );
        let labelled: Vec<(Uuid, i32)> =
            db::label::load_posts(&pool, &[db::label::get(&pool, sql).await.unwrap().unwrap()])
                .await
                .unwrap()
                .into_iter()
                .map(|(label, post)| (label, post.id))
                .collect();
        assert_eq!(labelled.len(), 2, "{d:?}: the other side");
        assert!(db::post::unlink_labels(&pool, posts[0].id, sql).await.unwrap());
        assert!(
            !db::post::unlink_labels(&pool, posts[0].id, sql).await.unwrap(),
            "{d:?}"
        );
        assert_eq!(
            db::post::load_labels(&pool, &posts[..1]).await.unwrap().len(),
            1,
            "{d:?}"
        );

        // Quoted names for hand-written SQL.
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {}",
            db::pair::names::TABLE
        )))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(count, 3, "{d:?}");

        // Bulk insert: 12,000 rows need two statements on every database; tags giving
        // created_at and tags not giving it go in separate statements, in order.
        let pairs: Vec<NewPair> = (0..12_000)
            .map(|i| NewPair {
                left_id: 1_000 + i,
                right_code: "bulk".into(),
                weight: (i % 3 == 0).then_some(i),
            })
            .collect();
        assert_eq!(db::pair::insert_many(&pool, &pairs).await.unwrap(), 12_000, "{d:?}");
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {}",
            db::pair::names::TABLE
        )))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(count, 12_003, "{d:?}");
        assert_eq!(
            db::pair::get(&pool, 1_003, "bulk").await.unwrap().unwrap().weight,
            Some(3),
            "{d:?}"
        );
        let then = chrono::NaiveDate::from_ymd_opt(1999, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let tags: Vec<NewTag> = (0..5)
            .map(|i| {
                let mut t = NewTag::new(format!("bulk {i}"));
                t.created_at = (i < 2).then_some(then);
                t
            })
            .collect();
        let mut tx = pool.begin().await.unwrap();
        assert_eq!(db::tag::insert_many(&mut *tx, &tags).await.unwrap(), 5, "{d:?}");
        tx.commit().await.unwrap();
        for (i, expect_then) in [(0, true), (1, true), (2, false), (4, false)] {
            let tag = db::tag::get_by_name(&pool, &format!("bulk {i}"))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(tag.created_at == then, expect_then, "{d:?}: bulk tag {i}");
        }

        // A JSON number at the top: SQLite's JSON column has NUMERIC affinity (the type
        // SQLAlchemy declares), so it holds a number there, which the queries read as text.
        let mut number = common::new_sample(&common::samples()[1]);
        number.code = "number".into();
        number.payload = serde_json::json!(12.5);
        number.maybe_payload = Some(serde_json::json!(-7));
        let row = db::sample::insert(&pool, &number).await.unwrap();
        let read = db::sample::get(&pool, row.id).await.unwrap().unwrap();
        assert_eq!(
            (read.payload, read.maybe_payload),
            (serde_json::json!(12.5), Some(serde_json::json!(-7))),
            "{d:?}: JSON numbers"
        );
    }};
}

#[tokio::test(flavor = "current_thread")]
async fn queries_work_on_sqlite() {
    scenario!(samples::sqlite().await, Dialect::Sqlite, sqlite);
}

#[tokio::test(flavor = "current_thread")]
async fn queries_work_on_postgres() {
    let Some(pool) = samples::postgres("types_queries").await else {
        return;
    };
    scenario!(pool, Dialect::Postgres, postgres);
}

#[tokio::test(flavor = "current_thread")]
async fn queries_work_on_mariadb() {
    let Some(pool) = samples::mariadb("types_queries").await else {
        return;
    };
    scenario!(pool, Dialect::Mysql, mysql);
}
