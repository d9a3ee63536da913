use modelgen::Model;

#[derive(Model)]
#[model(table = "users", index(columns(email)))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 255, index)]
    pub email: String,
}

fn main() {}
