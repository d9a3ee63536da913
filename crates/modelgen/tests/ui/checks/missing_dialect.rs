use modelgen::Model;

#[derive(Model)]
#[model(table = "orders")]
#[model(check(name = "orders_total", sql(sqlite = "total >= 0", postgres = "total >= 0")))]
pub struct Order {
    #[model(primary_key)]
    pub id: i32,
    pub total: i64,
    #[model(max_length = 8)]
    pub code: String,
}

fn main() {}
