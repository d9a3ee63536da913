//! `schema_from_sources`: structs from several files in one schema, foreign keys resolved
//! by table across files, and errors that say file:line:column.

use modelgen_attr::{schema_from_sources, SourceError};
use modelgen_ir::RelationKind;

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

const ACCOUNTS: &str = r#"
use modelgen::Model;

#[derive(Debug, Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 80, unique)]
    pub name: String,
}

struct NotAModel {
    field: u8,
}
"#;

const ORDERS: &str = r#"
mod inner {
    #[derive(Clone, ::modelgen::Model)]
    #[model(relation(name = "account", many_to_one = "Account", foreign_key = "account_id"))]
    pub struct Order {
        #[model(primary_key)]
        pub id: i64,
        #[model(foreign_key = "accounts.id", on_delete = "cascade")]
        pub account_id: i64,
        pub note: String,
    }
}

#[derive(modelgen::Model)]
pub struct OrderLine {
    #[model(primary_key)]
    pub id: i64,
    #[model(foreign_key = "order.id")]
    pub order_id: i64,
}
"#;

#[test]
fn structs_of_all_files_in_order_with_foreign_keys_resolved_by_table() {
    let schema = schema_from_sources(&files(&[("src/accounts.rs", ACCOUNTS), ("src/orders.rs", ORDERS)]))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<_> = schema
        .models
        .iter()
        .map(|m| (m.name.as_str(), m.table.as_str()))
        .collect();
    assert_eq!(
        names,
        [("Account", "accounts"), ("Order", "order"), ("OrderLine", "order_line")]
    );

    let order = schema.model("Order").unwrap();
    let fk = &order.foreign_keys[0];
    assert_eq!(
        (fk.target_model.as_str(), fk.target_table.as_str()),
        ("Account", "accounts")
    );
    assert_eq!(fk.target_columns, ["id"]);
    assert_eq!(order.relations[0].kind, RelationKind::ManyToOne);
    // A String without max_length is TEXT.
    assert_eq!(order.column("note").unwrap().ty.to_string(), "text");

    let line = schema.model("OrderLine").unwrap();
    assert_eq!(line.foreign_keys[0].target_model, "Order");
}

#[test]
fn errors_name_the_file_line_and_column() {
    let broken = "use modelgen::Model;\n\n#[derive(Model)]\npub struct Tag {\n    #[model(primary_key)]\n    pub id: Option<i32>,\n    #[model(foreign_key = \"acounts.id\")]\n    pub account_id: i64,\n}\n";
    let errors = schema_from_sources(&files(&[("src/accounts.rs", ACCOUNTS), ("src/tag.rs", broken)])).unwrap_err();
    let shown: Vec<String> = errors.iter().map(SourceError::to_string).collect();
    assert_eq!(
        shown,
        ["src/tag.rs:6:13: primary key `id` cannot be `Option`: write `id: i32`"]
    );

    // Lowering errors first; cross-struct errors only once every struct lowers.
    let fixed = broken.replace("Option<i32>", "i32");
    let errors = schema_from_sources(&files(&[("src/accounts.rs", ACCOUNTS), ("src/tag.rs", &fixed)])).unwrap_err();
    assert_eq!(
        errors,
        [SourceError {
            file: "src/tag.rs".into(),
            line: 7,
            column: 27,
            message: "foreign key of `Tag.account_id` references table `acounts`, which no #[derive(Model)] struct has; did you mean `accounts`?".into(),
        }]
    );
}

#[test]
fn syntax_errors_and_every_file_are_reported() {
    let errors = schema_from_sources(&files(&[
        ("a.rs", "pub struct {}"),
        (
            "b.rs",
            "#[derive(Model)]\nstruct B { #[model(primary_key)] id: i32, #[model(max_length = 0)] name: String }\n",
        ),
    ]))
    .unwrap_err();
    let shown: Vec<String> = errors.iter().map(SourceError::to_string).collect();
    assert_eq!(
        shown,
        [
            "a.rs:1:12: expected identifier",
            "b.rs:2:64: `max_length` takes a whole number from 1 to 65535: write `max_length = 255`",
        ]
    );
}

#[test]
fn duplicate_tables_and_missing_columns_across_files() {
    let other = "#[derive(Model)]\n#[model(table = \"accounts\")]\nstruct Other { #[model(primary_key)] id: i32, #[model(foreign_key = \"accounts.uid\")] parent: i64 }\n";
    let errors = schema_from_sources(&files(&[("a.rs", ACCOUNTS), ("b.rs", other)])).unwrap_err();
    let shown: Vec<String> = errors.iter().map(SourceError::to_string).collect();
    assert_eq!(
        shown,
        [
            "b.rs:3:8: table `accounts` is used by both `Account` and `Other`; give one of them another #[model(table = \"…\")]",
            "b.rs:3:69: foreign key of `Other.parent` references `accounts.uid`, and `Account` has no field `uid`",
        ]
    );
}

#[test]
fn derived_names_shared_across_files_are_refused_where_the_second_struct_is() {
    let ab = "#[derive(Model)]\n#[model(table = \"a_b\")]\nstruct Ab { #[model(primary_key)] id: i32, #[model(on_update = \"now\")] c: Option<chrono::NaiveDateTime> }\n";
    let a = "#[derive(Model)]\n#[model(table = \"a\")]\nstruct A { #[model(primary_key)] id: i32, #[model(on_update = \"now\")] b_c: Option<chrono::NaiveDateTime> }\n";
    let errors = schema_from_sources(&files(&[("ab.rs", ab), ("a.rs", a)])).unwrap_err();
    let shown: Vec<String> = errors.iter().map(SourceError::to_string).collect();
    assert_eq!(
        shown,
        ["a.rs:3:8: the trigger that keeps `A.b_c` current and the trigger that keeps `Ab.c` current are both named `a_b_c_on_update` on sqlite"]
    );
}
