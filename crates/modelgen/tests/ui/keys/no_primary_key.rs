use modelgen::Model;

#[derive(Model)]
pub struct User {
    pub id: i32,
}

fn main() {}
