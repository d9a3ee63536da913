use chrono::NaiveDateTime;
use modelgen::Model;

#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(mixin = "timestamps")]
    pub created_at: NaiveDateTime,
}

fn main() {}
