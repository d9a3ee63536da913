use modelgen::Model;

#[derive(Model)]
#[model(relation(name = "owner", many_to_one = "User", one_to_many = "User", foreign_key = "owner_id"))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(foreign_key = "user.id")]
    pub owner_id: i32,
}

fn main() {}
