use modelgen::Model;

#[derive(Model)]
#[allow(non_snake_case)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub email: String,
    pub Email: String,
}

fn main() {}
