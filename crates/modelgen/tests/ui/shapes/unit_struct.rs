use modelgen::Model;

#[derive(Model)]
pub struct User;

fn main() {}
