//! Every attribute at once, in a module full of names the expansion must not pick up.
#![deny(warnings)]
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::collections::HashMap;

// Items a careless expansion would resolve instead of its own.
pub struct Column;
pub struct Index;
pub struct Box;
pub fn s() {}
pub fn column() {}
pub fn strings() {}
pub struct Expr;
pub struct Check;
pub struct CheckExpr;
pub struct BinaryOp;
pub struct BTreeMap;
#[allow(non_camel_case_types)]
pub struct write;
#[allow(non_snake_case)]
pub fn Some() {}

mod json {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Value;
}

mod price {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Decimal(pub i64);
}

#[derive(modelgen::Model)]
#[model(table = "owners", repr(id))]
#[model(relation(name = "documents", one_to_many = "crate::docs::Document", foreign_key = "owner_id"))]
struct Owner {
    #[model(primary_key, autoincrement)]
    id: i64,
}

mod docs {
    use super::*;

    /// A document that can be restored after deletion.
    #[derive(::modelgen::Model, Clone, PartialEq)]
    #[model(mixins(soft_delete))]
    #[model(unique(columns(owner_id, slug), live))]
    #[model(unique(columns(owner_id, title), name = "uq_documents_owner_title"))]
    #[model(index(name = "ix_documents_recent", columns(owner_id, created_on), unique))]
    #[model(repr(id, title, summary, owner_id))]
    #[model(relation(name = "owner", many_to_one = "super::Owner", foreign_key = "owner_id", doc = "Who wrote it."))]
    #[model(check(name = "document_price", expr = "price >= 0 and type <> -1", doc = "Free or paid."))]
    #[model(check(name = "document_slug", sql = "slug <> ''"))]
    pub struct Document {
        #[model(primary_key, autoincrement = false)]
        pub id: i32,
        #[model(foreign_key = "owners.id", on_delete = "set_null", on_update = "cascade", index)]
        pub owner_id: Option<i64>,
        #[model(max_length = 200, unique = "live")]
        pub slug: String,
        #[model(max_length = 200)]
        pub title: String,
        /// Shown in lists.
        pub summary: Option<String>,
        #[model(sql_type = "decimal(10,2)", server_default = "9.99")]
        pub price: price::Decimal,
        #[model(default = "{}")]
        pub tags: HashMap<String, Vec<String>>,
        #[model(default = "null")]
        pub extra: json::Value,
        #[model(server_default = "now")]
        pub created_on: NaiveDate,
        pub published_at: Option<DateTime<Utc>>,
        #[model(mixin = "audited", server_default = -1)]
        pub r#type: i64,
        #[model(mixin = "audited", on_update = "now")]
        pub touched_at: Option<NaiveDateTime>,
        pub deleted_at: Option<NaiveDateTime>,
    }
}

use docs::Document;
use modelgen::{Dialect, Model};

fn main() {
    let doc = Document {
        id: 7,
        owner_id: None,
        slug: "intro".into(),
        title: "Intro".into(),
        summary: Some_("A start"),
        price: price::Decimal(999),
        tags: HashMap::new(),
        extra: json::Value,
        created_on: NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
        published_at: None,
        r#type: 1,
        touched_at: None,
        deleted_at: None,
    };
    assert_eq!(format!("{doc:?}"), "<Document(id=7, title=Intro, summary=A start, owner_id=None)>");
    assert!(!doc.is_deleted());
    let m = Document::model();
    assert_eq!(m.table, "document");
    // In the order their first field appears.
    assert_eq!(m.mixins, ["audited", "soft_delete"]);
    assert_eq!(m.soft_delete.as_deref(), Option::Some("deleted_at"));
    assert_eq!(Document::COLUMNS[10], "type");
    assert_eq!(Document::owner().target_table(), "owners");
    assert_eq!(Owner::documents().target_table(), "document");
    assert_eq!(m.checks.len(), 2);
    for d in Dialect::ALL {
        let sql = modelgen::create_script(&[Owner::model(), Document::model()], d);
        assert!(sql.contains("CREATE TABLE"), "{sql}");
        assert!(sql.contains("CHECK (slug <> '')"), "{sql}");
    }
}

#[allow(non_snake_case)]
fn Some_(s: &str) -> Option<String> {
    Option::Some(s.to_owned())
}
