use modelgen::Model;

#[derive(Model)]
pub struct ApiKey {
    #[model(primary_key)]
    pub id: i32,
    #[model(on_delete = "cascade")]
    pub user_id: i32,
}

fn main() {}
