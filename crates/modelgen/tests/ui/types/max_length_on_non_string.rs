use modelgen::Model;

#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 3)]
    pub age: i32,
}

fn main() {}
