use modelgen::Model;

#[derive(Model)]
#[model(foreign_key(columns(order_regon, order_number), references = "orders(region, number)"))]
#[model(foreign_key(columns(order_region, order_region), references = "orders(region, number)"))]
#[model(foreign_key(columns(order_region, order_number), references = "orders(region)"))]
#[model(foreign_key(columns(order_region, order_number), references = "orders(region, number)", on_delete = "set null"))]
pub struct OrderLine {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 8)]
    pub order_region: String,
    pub order_number: i32,
}

fn main() {}
