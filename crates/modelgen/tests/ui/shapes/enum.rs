use modelgen::Model;

#[derive(Model)]
pub enum Status {
    Active,
    Disabled,
}

fn main() {}
