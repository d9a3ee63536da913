//! The example's queries, written once and compiled for SQLite and PostgreSQL.
//!
//! Table and column names come from the generated metadata, and relations are followed
//! through their typed accessors (`User::api_keys()`, `User::roles()`), so a rename in
//! `models.yaml` reaches these queries through the compiler. Those names are the only
//! text spliced into SQL (hence `AssertSqlSafe`); every value is a bound parameter.

use crate::keys;
use crate::models::{ApiKey, NewApiKey, NewUser, Role, User};
use modelgen::Model;

pub type Result<T> = std::result::Result<T, sqlx::Error>;

/// `$1, $2, …`: both SQLite and PostgreSQL read numbered parameters.
fn params(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn insert_sql(table: &str, columns: &[&str], returning: &[&str]) -> String {
    format!(
        "INSERT INTO {table} ({}) VALUES ({}) RETURNING {}",
        columns.join(", "),
        params(1, columns.len()),
        returning.join(", ")
    )
}

fn select_sql<M: Model>(alias: &str) -> String {
    M::COLUMNS
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

macro_rules! store {
    ($module:ident, $db:ty) => {
        pub mod $module {
            use super::*;

            pub type Pool = sqlx::Pool<$db>;

            pub async fn create_user(pool: &Pool, new: &NewUser) -> Result<User> {
                sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(insert_sql(User::TABLE, NewUser::COLUMNS, User::COLUMNS)))
                    .bind(&new.email)
                    .bind(&new.username)
                    .bind(&new.hashed_password)
                    .bind(&new.full_name)
                    .bind(new.is_active)
                    .bind(new.is_superuser)
                    .fetch_one(pool)
                    .await
            }

            pub async fn user(pool: &Pool, id: i32) -> Result<Option<User>> {
                let sql = format!("SELECT {} FROM {} u WHERE u.id = $1", select_sql::<User>("u"), User::TABLE);
                sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await
            }

            /// An ordinary UPDATE that does not touch `updated_at`: the database keeps it.
            pub async fn rename_user(pool: &Pool, id: i32, full_name: &str) -> Result<User> {
                let sql = format!("UPDATE {} SET full_name = $1 WHERE id = $2", User::TABLE);
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(full_name).bind(id).execute(pool).await?;
                Ok(user(pool, id).await?.expect("the user just updated exists"))
            }

            /// Deletes a user: their role grants first, as SQLAlchemy's ORM clears a
            /// `secondary` table (the seed's join table has no ON DELETE), then the row,
            /// whose api_keys go with it by ON DELETE CASCADE.
            pub async fn delete_user(pool: &Pool, id: i32) -> Result<()> {
                let rel = User::roles();
                let through = rel.through.expect("roles is a many-to-many relation");
                let mut tx = pool.begin().await?;
                let grants = format!("DELETE FROM {through} WHERE {} = $1", rel.foreign_key[0]);
                sqlx::query(sqlx::AssertSqlSafe(grants)).bind(id).execute(&mut *tx).await?;
                let user = format!("DELETE FROM {} WHERE id = $1", User::TABLE);
                sqlx::query(sqlx::AssertSqlSafe(user)).bind(id).execute(&mut *tx).await?;
                tx.commit().await
            }

            pub async fn create_role(pool: &Pool, name: &str) -> Result<Role> {
                let new = crate::models::NewRole::new(name.to_owned());
                sqlx::query_as::<_, Role>(sqlx::AssertSqlSafe(insert_sql(Role::TABLE, crate::models::NewRole::COLUMNS, Role::COLUMNS)))
                    .bind(&new.name)
                    .bind(&new.description)
                    .fetch_one(pool)
                    .await
            }

            /// Issues a key for `user`; the secret is returned once and never stored.
            pub async fn issue_key(pool: &Pool, user: &User, name: &str, scopes: &[&str]) -> Result<(ApiKey, String)> {
                let issued = keys::issue();
                let mut new = NewApiKey::new(user.id, name.to_owned(), issued.hash, issued.prefix);
                new.scopes = scopes.iter().map(|s| s.to_string()).collect();
                let key = sqlx::query_as::<_, ApiKey>(sqlx::AssertSqlSafe(insert_sql(ApiKey::TABLE, NewApiKey::COLUMNS, ApiKey::COLUMNS)))
                    .bind(new.user_id)
                    .bind(&new.name)
                    .bind(&new.description)
                    .bind(&new.key_hash)
                    .bind(&new.key_prefix)
                    .bind(sqlx::types::Json(&new.scopes))
                    .bind(new.is_active)
                    .bind(new.expires_at)
                    .bind(new.last_used_at)
                    .fetch_one(pool)
                    .await?;
                Ok((key, issued.secret))
            }

            /// The active, unexpired key whose hash matches `secret`, if any.
            pub async fn verify_key(pool: &Pool, secret: &str) -> Result<Option<ApiKey>> {
                let sql = format!(
                    "SELECT {} FROM {} k WHERE k.key_prefix = $1 AND k.is_active = $2",
                    select_sql::<ApiKey>("k"),
                    ApiKey::TABLE
                );
                let candidates =
                    sqlx::query_as::<_, ApiKey>(sqlx::AssertSqlSafe(sql)).bind(keys::prefix_of(secret)).bind(true).fetch_all(pool).await?;
                let now = chrono::Utc::now().naive_utc();
                Ok(candidates
                    .into_iter()
                    .find(|k| keys::matches(secret, &k.key_hash) && k.expires_at.is_none_or(|at| at > now)))
            }

            /// Revokes a key: the row stays (the seed's `is_active` flag), the key stops working.
            pub async fn revoke_key(pool: &Pool, id: i32) -> Result<()> {
                let sql = format!("UPDATE {} SET is_active = $1 WHERE id = $2", ApiKey::TABLE);
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(false).bind(id).execute(pool).await?;
                Ok(())
            }

            /// A user's keys, found through the `api_keys` relation's metadata.
            pub async fn keys_of(pool: &Pool, user: &User) -> Result<Vec<ApiKey>> {
                let rel = User::api_keys();
                let sql = format!(
                    "SELECT {} FROM {} k WHERE k.{} = $1 ORDER BY k.id",
                    select_sql::<ApiKey>("k"),
                    rel.target_table(),
                    rel.foreign_key[0]
                );
                sqlx::query_as::<_, ApiKey>(sqlx::AssertSqlSafe(sql)).bind(user.id).fetch_all(pool).await
            }

            /// Grants `role` to `user` through the join table the `roles` relation names.
            pub async fn grant_role(pool: &Pool, user: &User, role: &Role) -> Result<()> {
                let rel = User::roles();
                let through = rel.through.expect("roles is a many-to-many relation");
                let sql = format!(
                    "INSERT INTO {through} ({}, {}) VALUES ($1, $2)",
                    rel.foreign_key[0], rel.target_foreign_key[0]
                );
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user.id).bind(role.id).execute(pool).await?;
                Ok(())
            }

            pub async fn roles_of(pool: &Pool, user: &User) -> Result<Vec<Role>> {
                let rel = User::roles();
                let through = rel.through.expect("roles is a many-to-many relation");
                let role_key = &Role::model().primary_key[0];
                let sql = format!(
                    "SELECT {} FROM {} r JOIN {through} j ON j.{} = r.{role_key} WHERE j.{} = $1 ORDER BY r.{role_key}",
                    select_sql::<Role>("r"),
                    rel.target_table(),
                    rel.target_foreign_key[0],
                    rel.foreign_key[0]
                );
                sqlx::query_as::<_, Role>(sqlx::AssertSqlSafe(sql)).bind(user.id).fetch_all(pool).await
            }
        }
    };
}

store!(sqlite, sqlx::Sqlite);
store!(postgres, sqlx::Postgres);
