//! The reference models (the seed's User, ApiKey and Role) written with `#[derive(Model)]`,
//! as `models.yaml` declares them. `reference.rs` compiles this file and also reads it as
//! text with `schema_from_sources`.

use chrono::NaiveDateTime;
use modelgen::Model;

/// SQLAlchemy model for users table.
#[derive(Model)]
// Two relations share `foreign_key = "user_id"`, which this clippy's `duplicated_attributes`
// reports as a repeated attribute (a false positive: rust-clippy#13238, fixed upstream by
// checking lint attributes only). A derive cannot silence lints on its input.
#[allow(clippy::duplicated_attributes)]
#[model(table = "users")]
#[model(mixins(timestamps))]
#[model(index(name = "ix_users_email_active", columns(email, is_active)))]
#[model(relation(
    name = "api_keys",
    one_to_many = "ApiKey",
    foreign_key = "user_id",
    back_populates = "user",
    cascade = "all, delete-orphan"
))]
#[model(relation(
    name = "roles",
    many_to_many = "Role",
    through = "user_roles",
    foreign_key = "user_id",
    target_foreign_key = "role_id",
    back_populates = "users"
))]
#[model(repr(id, email))]
pub struct User {
    #[model(primary_key, autoincrement)]
    pub id: i32,
    #[model(max_length = 255, unique, index)]
    pub email: String,
    #[model(max_length = 50, unique, index)]
    pub username: String,
    #[model(max_length = 255, secret)]
    pub hashed_password: String,
    #[model(max_length = 255)]
    pub full_name: Option<String>,
    #[model(default = true)]
    pub is_active: bool,
    #[model(default = false)]
    pub is_superuser: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
}

/// SQLAlchemy model for api_keys table.
#[derive(Model)]
#[model(table = "api_keys", mixins(timestamps), repr(id, name, key_prefix))]
#[model(relation(
    name = "user",
    many_to_one = "User",
    foreign_key = "user_id",
    back_populates = "api_keys"
))]
pub struct ApiKey {
    #[model(primary_key, autoincrement)]
    pub id: i32,
    #[model(index, foreign_key = "users.id", on_delete = "cascade")]
    pub user_id: i32,
    #[model(max_length = 100)]
    pub name: String,
    #[model(max_length = 500)]
    pub description: Option<String>,
    #[model(max_length = 64, unique, index, secret)]
    pub key_hash: String,
    #[model(max_length = 12)]
    pub key_prefix: String,
    #[model(default = "[]")]
    pub scopes: Vec<String>,
    #[model(default = true)]
    pub is_active: bool,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
}

/// A named set of permissions granted to users.
#[derive(Model)]
#[model(table = "roles", repr(id, name))]
#[model(relation(
    name = "users",
    many_to_many = "User",
    through = "user_roles",
    foreign_key = "role_id",
    target_foreign_key = "user_id",
    back_populates = "roles"
))]
pub struct Role {
    #[model(primary_key, autoincrement)]
    pub id: i32,
    #[model(max_length = 50, unique)]
    pub name: String,
    // A `String` without `max_length` is TEXT, as `description: text?` in the spec (a
    // line comment, not a doc comment, which would become the column doc).
    pub description: Option<String>,
}

/// Join table of User and Role.
#[derive(Model)]
#[model(table = "user_roles", join)]
pub struct UserRole {
    #[model(primary_key, foreign_key = "users.id")]
    pub user_id: i32,
    #[model(primary_key, foreign_key = "roles.id")]
    pub role_id: i32,
}
