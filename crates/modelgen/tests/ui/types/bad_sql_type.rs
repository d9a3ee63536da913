use modelgen::Model;

#[derive(Model)]
pub struct Order {
    #[model(primary_key)]
    pub id: i32,
    #[model(sql_type = "decimal(10)")]
    pub total: String,
}

fn main() {}
