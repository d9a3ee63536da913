use modelgen::Model;

#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = "x")]
    pub email: String,
}

fn main() {}
