use modelgen::Model;

#[derive(Model)]
#[model(table = "users")]
#[model(table = "people")]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
}

fn main() {}
