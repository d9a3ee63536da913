//! Expansion snapshots: what `#[derive(Model)]` writes for a few sample structs,
//! pretty-printed. Here rather than in `tests/`, since a proc-macro crate exports nothing
//! but its macros.

use crate::expand::expand;
use proc_macro2::TokenStream;
use quote::quote;

fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as items");
    prettyplease::unparse(&file)
}

#[test]
fn user_with_mixin_repr_indexes_and_relations() {
    let input = quote! {
        /// SQLAlchemy model for users table.
        #[derive(Model)]
        #[model(table = "users")]
        #[model(mixins(timestamps))]
        #[model(index(name = "ix_users_email_active", columns(email, is_active)))]
        #[model(relation(name = "api_keys", one_to_many = "ApiKey", foreign_key = "user_id", back_populates = "user", cascade = "all, delete-orphan"))]
        #[model(relation(name = "roles", many_to_many = "Role", through = "user_roles", foreign_key = "user_id", target_foreign_key = "role_id", back_populates = "users"))]
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
            pub created_at: chrono::NaiveDateTime,
            pub updated_at: Option<chrono::NaiveDateTime>,
        }
    };
    insta::assert_snapshot!("user", pretty(expand(input)));
}

#[test]
fn api_key_with_foreign_key_and_json_default() {
    let input = quote! {
        /// SQLAlchemy model for api_keys table.
        #[derive(Model)]
        #[model(table = "api_keys", mixins(timestamps), repr(id, name, key_prefix))]
        #[model(relation(name = "user", many_to_one = "User", foreign_key = "user_id", back_populates = "api_keys"))]
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
    };
    insta::assert_snapshot!("api_key", pretty(expand(input)));
}

#[test]
fn join_table() {
    let input = quote! {
        /// Join table of User and Role.
        #[derive(Model)]
        #[model(table = "user_roles", join)]
        pub struct UserRole {
            #[model(primary_key, foreign_key = "users.id")]
            pub user_id: i32,
            #[model(primary_key, foreign_key = "roles.id")]
            pub role_id: i32,
        }
    };
    insta::assert_snapshot!("user_role", pretty(expand(input)));
}

#[test]
fn soft_deleted_document_with_every_kind_of_option() {
    let input = quote! {
        /// A document that can be restored after deletion.
        ///
        /// Slugs are unique among live documents only.
        #[derive(Model)]
        #[model(mixins(soft_delete))]
        #[model(unique(columns(owner_id, slug), live))]
        #[model(index(columns(owner_id, created_on)))]
        #[model(repr(id, title, summary, price, owner_id))]
        pub(crate) struct Document {
            #[model(primary_key, default = "123E4567-E89B-12D3-A456-426614174000")]
            pub id: uuid::Uuid,
            #[model(foreign_key = "users.id", on_delete = "set_null", on_update = "cascade")]
            pub owner_id: Option<i64>,
            #[model(max_length = 200, unique = "live")]
            pub slug: String,
            pub title: String,
            /// Shown in lists.
            ///   Indented second line.
            pub summary: Option<String>,
            #[model(sql_type = "decimal(10,2)", server_default = "9.99")]
            pub price: rust_decimal::Decimal,
            #[model(default = r#"{"tags": ["a"]}"#)]
            pub meta: std::collections::HashMap<String, Vec<String>>,
            #[model(server_default = "now")]
            pub created_on: chrono::NaiveDate,
            pub published_at: Option<chrono::DateTime<chrono::Utc>>,
            #[model(mixin = "audited", server_default = -1, default = 0.5)]
            pub r#type: f64,
            pub deleted_at: Option<chrono::NaiveDateTime>,
        }
    };
    insta::assert_snapshot!("document", pretty(expand(input)));
}

#[test]
fn order_with_checks_of_every_kind() {
    let input = quote! {
        #[derive(Model)]
        #[model(table = "orders", mixins(timestamps))]
        #[model(check(name = "orders_total_nonneg", expr = "total >= 0", doc = "No refunds here."))]
        #[model(check(name = "orders_window", expr = "ends_at is null or ends_at > created_at"))]
        #[model(check(name = "orders_code", expr = "length(code) >= 1 and code not in ('none', 'n''a')"))]
        #[model(check(name = "orders_math", expr = "not (qty * -2 + 1 < -(total) / 0.5) and is_paid = true"))]
        #[model(check(name = "orders_type", expr = "type in (1, 2)"))]
        #[model(check(name = "orders_even", sql = "qty % 2 = 0"))]
        #[model(check(name = "orders_code_case", sql(sqlite = "code = upper(code)", postgres = "code = upper(code)", mysql = "code = BINARY upper(code)")))]
        pub struct Order {
            #[model(primary_key)]
            pub id: i64,
            #[model(sql_type = "decimal(10,2)")]
            pub total: rust_decimal::Decimal,
            pub qty: i32,
            #[model(max_length = 8)]
            pub code: String,
            pub is_paid: bool,
            pub r#type: i16,
            pub ends_at: Option<chrono::NaiveDateTime>,
            pub created_at: chrono::NaiveDateTime,
            pub updated_at: Option<chrono::NaiveDateTime>,
        }
    };
    insta::assert_snapshot!("order", pretty(expand(input)));
}

#[test]
fn errors_come_with_a_stub_impl() {
    let input = quote! {
        #[derive(Model)]
        #[model(tabel = "users")]
        pub struct Broken {
            pub id: Option<i32>,
            #[model(max_length = 10)]
            pub count: i32,
        }
    };
    insta::assert_snapshot!("errors", pretty(expand(input)));
}
