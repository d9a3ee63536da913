use modelgen::Model;

#[derive(Model)]
#[model(relation(name = "api_keys", one_to_many = "ApiKey"))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
}

#[derive(Model)]
pub struct ApiKey {
    #[model(primary_key)]
    pub id: i32,
}

fn main() {}
