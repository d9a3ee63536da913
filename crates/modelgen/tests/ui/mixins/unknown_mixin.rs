use chrono::NaiveDateTime;
use modelgen::Model;

#[derive(Model)]
#[model(mixins(timestamp))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
}

fn main() {}
