use modelgen::Model;

#[derive(Model)]
#[model(repr(id, hashed_password))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 255, secret)]
    pub hashed_password: String,
}

fn main() {}
