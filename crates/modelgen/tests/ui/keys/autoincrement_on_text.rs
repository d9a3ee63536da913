use modelgen::Model;

#[derive(Model)]
pub struct Country {
    #[model(primary_key, max_length = 2, autoincrement)]
    pub code: String,
}

fn main() {}
