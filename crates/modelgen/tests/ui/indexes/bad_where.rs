use modelgen::Model;

#[derive(Model)]
#[model(table = "accounts")]
#[model(index(columns(email), unique, where = "stauts = 'active'"))]
pub struct Account {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 100)]
    pub email: String,
    #[model(max_length = 10)]
    pub status: String,
}

fn main() {}
