use modelgen::Model;

#[derive(Model)]
pub struct ApiKey {
    #[model(primary_key)]
    pub id: i32,
    #[model(foreign_key = "users.id", on_delete = "explode")]
    pub user_id: i32,
}

fn main() {}
