use chrono::NaiveDateTime;
use modelgen::Model;

#[derive(Model)]
#[model(soft_delete = "deleted_at")]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(mixin = "deletable")]
    pub deleted_at: NaiveDateTime,
}

fn main() {}
