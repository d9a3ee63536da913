use modelgen::Model;

// The target is a Rust type, resolved where the struct is: rustc points at the string.
#[derive(Model)]
#[model(relation(name = "api_keys", one_to_many = "ApiKye", foreign_key = "user_id"))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
}

#[derive(Model)]
pub struct ApiKey {
    #[model(primary_key)]
    pub id: i32,
    #[model(foreign_key = "user.id")]
    pub user_id: i32,
}

fn main() {}
