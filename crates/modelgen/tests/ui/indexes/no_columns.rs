use modelgen::Model;

#[derive(Model)]
#[model(index(name = "ix_users_email"))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub email: String,
}

fn main() {}
