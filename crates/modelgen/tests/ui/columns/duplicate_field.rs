use modelgen::Model;

// rustc reports a field declared twice; the derive adds nothing to it.
#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub email: String,
    pub email: String,
}

fn main() {}
