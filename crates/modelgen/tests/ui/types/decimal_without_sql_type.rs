use modelgen::Model;

pub struct Decimal;

#[derive(Model)]
pub struct Order {
    #[model(primary_key)]
    pub id: i32,
    pub total: Decimal,
}

fn main() {}
