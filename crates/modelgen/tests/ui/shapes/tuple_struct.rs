use modelgen::Model;

#[derive(Model)]
pub struct User(pub i32, pub String);

fn main() {}
