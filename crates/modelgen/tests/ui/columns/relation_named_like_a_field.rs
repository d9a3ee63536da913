use modelgen::Model;

#[derive(Model)]
#[model(relation(name = "user_id", many_to_one = "ApiKey", foreign_key = "user_id"))]
pub struct ApiKey {
    #[model(primary_key)]
    pub id: i32,
    #[model(foreign_key = "api_keys.id")]
    pub user_id: i32,
}

fn main() {}
