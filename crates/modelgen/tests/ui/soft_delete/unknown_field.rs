use chrono::NaiveDateTime;
use modelgen::Model;

#[derive(Model)]
#[model(soft_delete = "deleted")]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    pub deleted_at: Option<NaiveDateTime>,
}

fn main() {}
