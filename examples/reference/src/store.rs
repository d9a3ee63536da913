//! The example's application logic — issuing and verifying keys, granting roles — on the
//! queries modelgen generates (`output.rust.queries`), one module per database.
//!
//! Every insert, read, update and relation load is generated: a field added to
//! `models.yaml` is bound by the generated code, not by a list kept here. Two statements
//! remain hand-written, through the generated metadata and `QueryBuilder` (which spells
//! each database's placeholders): finding keys by their non-unique prefix, and clearing a
//! user's role grants before the user goes.

use crate::keys;
use crate::models::{ApiKey, ApiKeyPatch, NewApiKey, NewRole, NewUser, Role, User, UserPatch};

pub type Result<T> = std::result::Result<T, sqlx::Error>;

macro_rules! store {
    ($module:ident, $db:ty) => {
        pub mod $module {
            use super::*;
            use crate::models::queries::$module as db;

            pub type Pool = sqlx::Pool<$db>;

            pub async fn create_user(pool: &Pool, new: &NewUser) -> Result<User> {
                db::user::insert(pool, new).await
            }

            pub async fn user(pool: &Pool, id: i32) -> Result<Option<User>> {
                db::user::get(pool, id).await
            }

            /// A partial update that leaves `updated_at` to the database.
            pub async fn rename_user(pool: &Pool, id: i32, full_name: &str) -> Result<User> {
                let patch = UserPatch {
                    full_name: Some(Some(full_name.to_owned())),
                    ..UserPatch::default()
                };
                db::user::patch(pool, id, &patch).await?;
                Ok(db::user::get(pool, id)
                    .await?
                    .expect("the user just updated exists"))
            }

            /// Deletes a user: their role grants first, as SQLAlchemy's ORM clears a
            /// `secondary` table (the seed's join table has no ON DELETE), then the row,
            /// whose api_keys go with it by ON DELETE CASCADE.
            pub async fn delete_user(pool: &Pool, id: i32) -> Result<()> {
                let rel = User::roles();
                let through = rel.through.expect("roles is a many-to-many relation");
                let mut tx = pool.begin().await?;
                let mut grants =
                    sqlx::QueryBuilder::<$db>::new(format!("DELETE FROM {through} WHERE {} = ", rel.foreign_key[0]));
                grants.push_bind(id).build().execute(&mut *tx).await?;
                db::user::delete(&mut *tx, id).await?;
                tx.commit().await
            }

            pub async fn create_role(pool: &Pool, name: &str) -> Result<Role> {
                db::role::insert(pool, &NewRole::new(name.to_owned())).await
            }

            /// Issues a key for `user`; the secret is returned once and never stored.
            pub async fn issue_key(pool: &Pool, user: &User, name: &str, scopes: &[&str]) -> Result<(ApiKey, String)> {
                let issued = keys::issue();
                let mut new = NewApiKey::new(user.id, name.to_owned(), issued.hash, issued.prefix);
                new.scopes = scopes.iter().map(|s| s.to_string()).collect();
                Ok((db::api_key::insert(pool, &new).await?, issued.secret))
            }

            /// The active, unexpired key whose hash matches `secret`, if any: candidates
            /// by prefix, then a constant-time comparison of the hashes.
            pub async fn verify_key(pool: &Pool, secret: &str) -> Result<Option<ApiKey>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT * FROM {} WHERE key_prefix = ",
                    db::api_key::names::TABLE
                ));
                query
                    .push_bind(keys::prefix_of(secret))
                    .push(" AND is_active = ")
                    .push_bind(true);
                let candidates: Vec<ApiKey> = query.build_query_as().fetch_all(pool).await?;
                let now = chrono::Utc::now().naive_utc();
                Ok(candidates
                    .into_iter()
                    .find(|k| keys::matches(secret, &k.key_hash) && k.expires_at.is_none_or(|at| at > now)))
            }

            /// Revokes a key: the row stays (the seed's `is_active` flag), the key stops working.
            pub async fn revoke_key(pool: &Pool, id: i32) -> Result<()> {
                let patch = ApiKeyPatch {
                    is_active: Some(false),
                    ..ApiKeyPatch::default()
                };
                db::api_key::patch(pool, id, &patch).await.map(drop)
            }

            /// A user's keys, through the `api_keys` relation.
            pub async fn keys_of(pool: &Pool, user: &User) -> Result<Vec<ApiKey>> {
                db::user::load_api_keys(pool, std::slice::from_ref(user)).await
            }

            /// Grants `role` to `user` through the `roles` relation's join table.
            pub async fn grant_role(pool: &Pool, user: &User, role: &Role) -> Result<()> {
                db::user::link_roles(pool, user.id, role.id).await
            }

            pub async fn roles_of(pool: &Pool, user: &User) -> Result<Vec<Role>> {
                let pairs = db::user::load_roles(pool, std::slice::from_ref(user)).await?;
                Ok(pairs.into_iter().map(|(_, role)| role).collect())
            }
        }
    };
}

store!(sqlite, sqlx::Sqlite);
store!(postgres, sqlx::Postgres);
store!(mysql, sqlx::MySql);
