use modelgen::Model;

#[derive(Model)]
#[model(foreign_key(references = "orders(region, number)"))]
#[model(foreign_key(columns(order_region, order_number), references = "orders"))]
#[model(foreign_key(columns(order_region), refs = "orders(region)"))]
pub struct OrderLine {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 8)]
    pub order_region: String,
    pub order_number: i32,
}

fn main() {}
