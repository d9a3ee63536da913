//! The reference example against real databases, the generated migrations applied by
//! sqlx's migrator: SQLite, and PostgreSQL and MariaDB (throwaway servers; skipped loudly
//! when absent locally, required under CI=true). One scenario, run on all three.

use modelgen_reference::models::NewUser;
use modelgen_reference::store;
use std::path::Path;

fn migrations(dialect: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dialect)
}

macro_rules! scenario {
    ($store:ident, $pool:expr) => {{
        let pool = $pool;
        let ada = store::$store::create_user(
            &pool,
            &NewUser::new("ada@example.com".into(), "ada".into(), "pbkdf2$secret-hash".into()),
        )
        .await
        .unwrap();
        assert!(ada.is_active && !ada.is_superuser, "the spec's defaults were applied");

        // Unique email rejected.
        let twin = NewUser::new("ada@example.com".into(), "ada2".into(), "h".into());
        assert!(
            store::$store::create_user(&pool, &twin).await.is_err(),
            "a second user took the same email"
        );

        // updated_at moves on update, set by the database.
        assert_eq!(ada.updated_at, None);
        let renamed = store::$store::rename_user(&pool, ada.id, "Ada Lovelace").await.unwrap();
        assert_eq!(renamed.full_name.as_deref(), Some("Ada Lovelace"));
        assert!(renamed.updated_at.is_some(), "the database did not set updated_at");

        // Keys: issued once, verified by hash, listed through the relation.
        let (key, secret) = store::$store::issue_key(&pool, &ada, "ci", &["read", "write"])
            .await
            .unwrap();
        assert_eq!(key.scopes, ["read", "write"]);
        assert_eq!(key.key_prefix, &secret[..12]);
        assert_ne!(key.key_hash, secret, "the secret itself is never stored");
        let verified = store::$store::verify_key(&pool, &secret).await.unwrap();
        assert_eq!(verified.as_ref().map(|k| k.id), Some(key.id));
        assert!(store::$store::verify_key(&pool, &format!("{secret}0"))
            .await
            .unwrap()
            .is_none());
        let listed = store::$store::keys_of(&pool, &ada).await.unwrap();
        assert_eq!(listed.iter().map(|k| k.id).collect::<Vec<_>>(), [key.id]);

        // Roles through the join table.
        let admin = store::$store::create_role(&pool, "admin").await.unwrap();
        store::$store::grant_role(&pool, &ada, &admin).await.unwrap();
        let roles = store::$store::roles_of(&pool, &ada).await.unwrap();
        assert_eq!(roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["admin"]);

        // Debug shows the repr fields only: never a hash.
        let shown = format!("{renamed:?} {key:?} {}", renamed);
        assert!(
            shown.starts_with(&format!("<User(id={}, email=ada@example.com)>", ada.id)),
            "{shown}"
        );
        assert!(
            !shown.contains("pbkdf2") && !shown.contains(&key.key_hash),
            "a secret leaked: {shown}"
        );

        // A revoked key stops verifying.
        store::$store::revoke_key(&pool, key.id).await.unwrap();
        assert!(
            store::$store::verify_key(&pool, &secret).await.unwrap().is_none(),
            "a revoked key still verifies"
        );

        // Deleting the user deletes their keys (ON DELETE CASCADE).
        store::$store::delete_user(&pool, ada.id).await.unwrap();
        assert!(store::$store::user(&pool, ada.id).await.unwrap().is_none());
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM api_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "the user's keys outlived them");
    }};
}

#[tokio::test(flavor = "current_thread")]
async fn the_example_works_on_sqlite() {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .in_memory(true)
        .foreign_keys(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(migrations("sqlite"))
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    scenario!(sqlite, pool);
}

#[tokio::test(flavor = "current_thread")]
async fn the_example_works_on_postgres() {
    let Some(pg) = modelgen_testdb::shared_postgres() else {
        return;
    };
    pg.create_database("reference_example");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(&pg.url("reference_example"))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(migrations("postgres"))
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    scenario!(postgres, pool);
}

#[tokio::test(flavor = "current_thread")]
async fn the_example_works_on_mariadb() {
    let Some(m) = modelgen_testdb::shared_mariadb() else {
        return;
    };
    let _ = m.exec("", "DROP DATABASE IF EXISTS reference_example;");
    m.create_database("reference_example");
    let pool = sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(2)
        .connect(&m.url("reference_example"))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(migrations("mysql"))
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    scenario!(mysql, pool);
}
