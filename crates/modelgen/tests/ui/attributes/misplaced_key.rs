use modelgen::Model;

#[derive(Model)]
pub struct User {
    #[model(primary_key, table = "users")]
    pub id: i32,
}

fn main() {}
