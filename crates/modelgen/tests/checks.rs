//! CHECK constraints from `#[derive(Model)]`: the IR a struct's `check(...)` attributes
//! build is the one the same `checks:` in a YAML spec lowers to, and its SQL carries them
//! on every database.

use modelgen::ir::check::CheckExpr;
use modelgen::{Dialect, Model};

// The derive reads a type's last path segment: `Decimal` asks for `sql_type`.
mod money {
    pub struct Decimal;
}

// `tests/specs/ok/checks.yaml`'s model, derived (no doc comment: the spec's model has none).
#[derive(Model)]
#[model(table = "orders")]
#[model(check(name = "orders_total_nonneg", expr = "total>=0"))]
#[model(check(
    name = "orders_discount_small",
    expr = "discount < 1000",
    doc = "The long form, with a doc beside the condition."
))]
#[model(check(name = "orders_window", expr = "ends_at is null or ends_at > starts_at"))]
#[model(check(
    name = "orders_status",
    expr = "status in ('new', 'paid', 'it''s:done') and length(code) >= 1 and length(code) <= 8"
))]
#[model(check(
    name = "orders_discount",
    expr = "(discount * 2 + 1) < total - 0.5 and not (discount < 0)"
))]
#[model(check(name = "orders_paid_code", expr = "paid = false or code not in ('X')"))]
#[model(check(
    name = "orders_note_raw",
    sql = "note IS NULL OR note <> ''",
    doc = "Raw SQL, the same on every database."
))]
#[model(check(
    name = "orders_code_upper",
    sql(
        sqlite = "code = upper(code)",
        postgres = "code = upper(code)",
        mysql = "code = BINARY upper(code)"
    )
))]
#[allow(dead_code)]
pub struct Order {
    #[model(primary_key)]
    pub id: i32,
    #[model(sql_type = "decimal(10,2)")]
    pub total: money::Decimal,
    pub discount: i32,
    #[model(max_length = 8)]
    pub code: String,
    #[model(max_length = 10)]
    pub status: String,
    pub paid: bool,
    pub starts_at: chrono::NaiveDateTime,
    pub ends_at: Option<chrono::NaiveDateTime>,
    pub note: Option<String>,
}

fn yaml_order() -> modelgen::ir::Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/specs/ok/checks.yaml");
    let text = std::fs::read_to_string(path).expect("the spec case is readable");
    // The derive names its table; the spec case leaves it to the default.
    let text = text.replace("  Order:\n", "  Order:\n    table: orders\n");
    let schema = modelgen_spec::load(&text, "checks.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)));
    schema.model("Order").expect("the spec has Order").clone()
}

#[test]
fn the_derived_checks_are_the_yaml_checks() {
    let yaml = yaml_order();
    assert_eq!(yaml.checks.len(), 8);
    assert_eq!(Order::model().checks, yaml.checks);
    assert_eq!(Order::model(), &yaml);
}

#[test]
fn create_sql_carries_every_check_on_every_database() {
    let yaml = yaml_order();
    for d in Dialect::ALL {
        let sql = Order::create_sql(d);
        assert_eq!(sql, modelgen_sql::create_table_sql(&yaml, d), "{d:?}");
        assert_eq!(sql.matches(" CHECK (").count(), 8, "{d:?}: {sql}");
    }
    let line = |d: Dialect, name: &str| {
        let sql = Order::create_sql(d);
        sql.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{d:?} has {name}: {sql}"))
            .trim()
            .trim_end_matches(',')
            .to_owned()
    };
    assert_eq!(
        line(Dialect::Sqlite, "orders_total_nonneg"),
        r#"CONSTRAINT "orders_total_nonneg" CHECK ("total" >= 0)"#
    );
    assert_eq!(
        line(Dialect::Postgres, "orders_paid_code"),
        r#"CONSTRAINT "orders_paid_code" CHECK ("paid" = false OR "code" NOT IN ('X'))"#
    );
    assert_eq!(
        line(Dialect::Sqlite, "orders_paid_code"),
        r#"CONSTRAINT "orders_paid_code" CHECK ("paid" = 0 OR "code" NOT IN ('X'))"#
    );
    assert_eq!(
        line(Dialect::Mysql, "orders_status"),
        "CONSTRAINT `orders_status` CHECK (`status` IN ('new', 'paid', 'it''s:done') AND CHAR_LENGTH(`code`) >= 1 AND CHAR_LENGTH(`code`) <= 8)"
    );
    assert_eq!(
        line(Dialect::Mysql, "orders_code_upper"),
        "CONSTRAINT `orders_code_upper` CHECK (code = BINARY upper(code))"
    );
    assert!(matches!(Order::model().checks[0].expr, CheckExpr::Tree(_)));
}

/// The derive example in docs/spec.md's CHECK section reads as it says.
#[test]
fn the_spec_references_derive_example_has_its_three_checks() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/spec.md")).unwrap();
    let section = &doc[doc.find("## CHECK constraints").expect("the section")..];
    let start = section.find("```rust\n").expect("a rust example") + "```rust\n".len();
    let source = &section[start..start + section[start..].find("```").unwrap()];
    let schema =
        modelgen_attr::schema_from_sources(&[("spec.md".into(), source.into())]).unwrap_or_else(|e| panic!("{e:?}"));
    let checks = &schema.models[0].checks;
    let names: Vec<&str> = checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["orders_total_nonneg", "orders_note_raw", "orders_code_upper"]);
    assert_eq!(checks[0].doc.as_deref(), Some("No refunds."));
    let mysql = modelgen_sql::create_script(&schema, Dialect::Mysql);
    assert!(mysql.contains("CHECK (code = BINARY upper(code))"), "{mysql}");
}

/// Defines the items and keeps their tokens as text, so the derive's literals can be
/// compared with what the same source lowers to when read as text.
macro_rules! with_source {
    ($($item:tt)*) => {
        $($item)*
        const EXOTIC_SOURCE: &str = stringify!($($item)*);
    };
}

with_source! {
    #[derive(Model)]
    #[model(table = "exotic")]
    #[model(check(name = "ex_extremes", expr = "n >= -9223372036854775807 and n <= 9223372036854775807"))]
    #[model(check(name = "ex_negated", expr = "not (-(n + 1) * -0.25 / 2 > -1.5) or - n = 0"))]
    #[model(check(name = "ex_text", expr = "length(length_in) in (0, 2) and t not in ('it''s', 'ünï', '') and t is not null"))]
    #[model(check(name = "ex_bools", expr = "done = TRUE or flag <> False OR flag IS NULL"))]
    #[model(check(name = "ex_mixin", expr = "created_at <= created_at", doc = "  A mixin field.  "))]
    #[model(mixins(timestamps))]
    #[allow(dead_code)]
    pub struct Exotic {
        #[model(primary_key)]
        pub id: i64,
        pub n: i64,
        pub t: Option<String>,
        pub length_in: String,
        pub flag: Option<bool>,
        pub done: bool,
        pub created_at: chrono::NaiveDateTime,
        pub updated_at: Option<chrono::NaiveDateTime>,
    }
}

/// Every kind of expression node, as the expansion's literals build it, equals the tree
/// the front end lowered: nothing is lost between `lower` and the tokens.
#[test]
fn the_expansions_literals_build_the_lowered_trees() {
    let schema = modelgen_attr::schema_from_sources(&[("exotic.rs".into(), EXOTIC_SOURCE.into())])
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(Exotic::model().checks.len(), 5);
    assert_eq!(&schema.models[0], Exotic::model());
    assert_eq!(Exotic::model().checks[4].doc.as_deref(), Some("A mixin field."));
}

#[derive(modelgen::Enum)]
#[allow(dead_code)]
pub enum PostStatus {
    Draft,
    #[model(rename = "in-review")]
    InReview,
    Published,
}

#[derive(Model)]
#[model(table = "posts")]
#[model(check(
    name = "posts_titled",
    expr = "status in ('draft', 'in-review') or title is not null"
))]
#[allow(dead_code)]
pub struct Post {
    #[model(primary_key)]
    pub id: i32,
    #[model(enum)]
    pub status: PostStatus,
    #[model(max_length = 100)]
    pub title: Option<String>,
}

/// A check over an enum field compares its values as text, as in the spec.
#[test]
fn a_check_over_a_derived_enum_field_is_the_yaml_one() {
    let yaml = modelgen_spec::load(
        "enums:\n  PostStatus: [draft, in-review, published]\nmodels:\n  Post:\n    table: posts\n    fields:\n      id: int pk\n      status: PostStatus\n      title: str(100)?\n    checks:\n      posts_titled: \"status in ('draft', 'in-review') or title is not null\"\n",
        "models.yaml",
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(Post::model(), &yaml.models[0]);
    for d in Dialect::ALL {
        assert_eq!(
            Post::create_sql(d),
            modelgen_sql::create_table_sql(&yaml.models[0], d),
            "{d:?}"
        );
    }
    assert!(Post::create_sql(Dialect::Postgres)
        .contains(r#"CONSTRAINT "posts_titled" CHECK ("status" IN ('draft', 'in-review') OR "title" IS NOT NULL)"#));
}
