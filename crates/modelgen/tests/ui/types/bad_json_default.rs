use modelgen::Model;

#[derive(Model)]
pub struct ApiKey {
    #[model(primary_key)]
    pub id: i32,
    #[model(default = "[1, 2]")]
    pub scopes: Vec<String>,
}

fn main() {}
