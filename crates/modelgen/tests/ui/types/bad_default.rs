use modelgen::Model;

#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(default = "yes")]
    pub is_active: bool,
}

fn main() {}
