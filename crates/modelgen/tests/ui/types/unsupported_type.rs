use modelgen::Model;

pub struct Money(pub i64);

#[derive(Model)]
pub struct Order {
    #[model(primary_key)]
    pub id: i32,
    pub total: Money,
}

fn main() {}
