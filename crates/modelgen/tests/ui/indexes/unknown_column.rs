use modelgen::Model;

#[derive(Model)]
#[model(index(columns(email, is_actve)))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub email: String,
    pub is_active: bool,
}

fn main() {}
