//! A struct that derives Debug itself keeps `repr` for Display with `debug = false`.

use modelgen::Model;

#[derive(Debug, Model)]
#[model(table = "users", repr(id, email), debug = false)]
pub struct User {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 255)]
    pub email: String,
}

fn main() {
    let ada = User { id: 1, email: "ada@example.com".into() };
    assert_eq!(ada.to_string(), "<User(id=1, email=ada@example.com)>");
    assert!(format!("{ada:?}").starts_with("User {"), "the derived Debug");
}
