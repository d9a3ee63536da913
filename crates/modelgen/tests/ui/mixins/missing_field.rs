use chrono::NaiveDateTime;
use modelgen::Model;

#[derive(Model)]
#[model(mixins(timestamps))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub created_at: NaiveDateTime,
}

fn main() {}
