use modelgen::Model;

#[derive(Model)]
pub struct User {
    #[model(primry_key)]
    pub id: i32,
}

fn main() {}
