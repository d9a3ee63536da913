use modelgen::Model;

#[derive(Model)]
#[model(table = "accounts")]
#[model(index(columns("lower(score)", email)))]
pub struct Account {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 100)]
    pub email: String,
    pub score: i32,
}

fn main() {}
