use chrono::NaiveDateTime;
use modelgen::Model;

#[derive(Model)]
#[model(mixins(soft_delete))]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(index)]
    pub deleted_at: Option<NaiveDateTime>,
}

fn main() {}
