use modelgen::Model;

#[derive(Model)]
#[model(repr(id, emial))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub email: String,
}

fn main() {}
