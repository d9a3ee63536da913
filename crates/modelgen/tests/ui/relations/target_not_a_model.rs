use modelgen::Model;

pub struct ApiKey;

#[derive(Model)]
#[model(relation(name = "api_keys", one_to_many = "ApiKey", foreign_key = "user_id"))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
}

fn main() {}
