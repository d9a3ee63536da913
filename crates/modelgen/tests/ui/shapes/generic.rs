use modelgen::Model;

#[derive(Model)]
pub struct Wrapper<T> {
    #[model(primary_key)]
    pub id: i32,
    #[model(sql_type = "json")]
    pub value: T,
}

fn main() {}
