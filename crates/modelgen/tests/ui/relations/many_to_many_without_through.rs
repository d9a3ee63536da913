use modelgen::Model;

#[derive(Model)]
#[model(relation(name = "roles", many_to_many = "Role", foreign_key = "user_id", target_foreign_key = "role_id"))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
}

#[derive(Model)]
pub struct Role {
    #[model(primary_key)]
    pub id: i32,
}

fn main() {}
