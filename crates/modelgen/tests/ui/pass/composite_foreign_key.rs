use modelgen::Model;

#[derive(Model)]
#[model(table = "order_lines")]
#[model(foreign_key(
    columns(order_region, order_number),
    references = "orders(region, number)",
    name = "fk_order_lines_order",
    on_delete = "cascade",
    on_update = "cascade"
))]
pub struct OrderLine {
    // A key column of a composite foreign key does not autoincrement by default.
    #[model(primary_key)]
    pub order_number: i32,
    #[model(max_length = 8)]
    pub order_region: String,
}

fn main() {
    let model = OrderLine::model();
    let fk = &model.foreign_keys[0];
    assert_eq!(fk.columns, ["order_region", "order_number"]);
    assert_eq!(fk.target_table, "orders");
    assert_eq!(fk.target_columns, ["region", "number"]);
    assert!(!model.columns[0].autoincrement);
    let sql = OrderLine::create_sql(modelgen::Dialect::Postgres);
    assert!(
        sql.contains(r#"CONSTRAINT "fk_order_lines_order" FOREIGN KEY ("order_region", "order_number") REFERENCES "orders" ("region", "number") ON DELETE CASCADE ON UPDATE CASCADE"#),
        "{sql}"
    );
}
