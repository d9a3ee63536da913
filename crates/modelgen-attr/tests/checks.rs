//! CHECK constraints through `lower_struct`: the IR they become, and every rule they are
//! held to, with the YAML front end's words.

use modelgen_ir::check::{BinaryOp, Check, CheckExpr, Expr};
use modelgen_ir::Dialect;
use syn::parse_quote;

mod common;
use common::{errors, lower};

fn column(name: &str) -> Box<Expr> {
    Box::new(Expr::Column { name: name.into() })
}

#[test]
fn checks_become_the_ir_in_the_order_written_over_own_mixin_and_raw_named_fields() {
    let m = lower(parse_quote! {
        #[model(mixins(timestamps))]
        #[model(check(name = "z_recent", expr = "updated_at is null or updated_at >= created_at"))]
        #[model(check(name = "a_kind", expr = "type <> 0", doc = "Zero is no kind."))]
        #[model(check(name = "m_even", sql = " qty % 2 = 0 "))]
        struct Item {
            #[model(primary_key)] id: i64,
            r#type: i32,
            qty: i32,
            created_at: chrono::NaiveDateTime,
            updated_at: Option<chrono::NaiveDateTime>,
        }
    });
    let names: Vec<&str> = m.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["z_recent", "a_kind", "m_even"]);
    assert_eq!(
        m.checks[1],
        Check {
            name: "a_kind".into(),
            expr: CheckExpr::Tree(Expr::Binary {
                op: BinaryOp::Ne,
                left: column("type"),
                right: Box::new(Expr::Int { value: 0 }),
            }),
            doc: Some("Zero is no kind.".into()),
            dialects: Vec::new(),
        }
    );
    let CheckExpr::Tree(recent) = &m.checks[0].expr else {
        panic!("a tree")
    };
    assert_eq!(recent.columns(), ["updated_at", "updated_at", "created_at"]);
    // Raw SQL is kept as written; the SQL back end trims it.
    assert_eq!(
        m.checks[2].expr,
        CheckExpr::Sql(
            Dialect::ALL
                .into_iter()
                .map(|d| (d, " qty % 2 = 0 ".to_owned()))
                .collect()
        )
    );
    assert!(
        modelgen_sql::create_table_sql(&m, Dialect::Postgres).contains(r#"CONSTRAINT "a_kind" CHECK ("type" <> 0)"#)
    );
}

#[test]
fn every_check_mistake_is_reported_at_once_in_the_yaml_front_ends_words() {
    let e = errors(parse_quote! {
        #[model(check(expr = "total >= 0"))]
        #[model(check(name = "none_given"))]
        #[model(check(name = "both", expr = "total >= 0", sql = "total >= 0"))]
        #[model(check(name = "misspelt", expr = "totl >= 0"))]
        #[model(check(name = "mismatch", expr = "code >= 0"))]
        #[model(check(name = "no_condition", expr = "total + 1"))]
        #[model(check(name = "early", expr = "total >= "))]
        #[model(check(name = "opaque", expr = "token = token"))]
        #[model(check(name = "misspelt", expr = "total < 1000"))]
        struct Order {
            #[model(primary_key)] id: i32,
            total: i64,
            #[model(max_length = 8)] code: String,
            token: uuid::Uuid,
        }
    });
    assert_eq!(
        e,
        [
            "a check needs a name, the constraint's: write `check(name = \"positive_total\", …)`",
            "check `none_given` needs its condition: write `expr = \"total >= 0\"`, or `sql = \"…\"` for SQL the check language cannot say",
            "check `both` has both `expr` and `sql`; keep one",
            "check `misspelt`: unknown field `totl` in check (at character 1); expected a field of this model; did you mean `total`?",
            "check `mismatch`: `>=` needs text, but `0` is a number (at character 9)",
            "check `no_condition`: the check is a number, not a condition (at character 1); expected a condition such as `total >= 0`",
            "check `early`: the check ends too early (at character 10); expected a field name or a value",
            "check `opaque`: `=` cannot compare `token` (at character 1); expected numbers, text, booleans or dates; only `is null` applies to uuid, bytes and json",
            "check `misspelt` is declared twice in `Order`; rename one",
        ]
    );
}

#[test]
fn a_check_over_a_field_without_a_column_type_reports_only_the_type() {
    let e = errors(parse_quote! {
        #[model(check(name = "positive", expr = "price > 0"))]
        struct Item {
            #[model(primary_key)] id: i32,
            price: rust_decimal::Decimal,
        }
    });
    assert_eq!(
        e,
        ["`rust_decimal::Decimal` has no default column type; add #[model(sql_type = \"decimal(10,2)\")]"]
    );
}

#[test]
fn a_check_with_a_key_that_could_not_be_read_reports_no_follow_on_errors() {
    let e = errors(parse_quote! {
        #[model(check(name = "misspelt_key", exp = "total >= 0"))]
        #[model(check(nme = "x", expr = "total >= 0"))]
        #[model(check(name = "still_checked", expr = "totl >= 0", dc = "?"))]
        struct Order {
            #[model(primary_key)] id: i32,
            total: i64,
        }
    });
    assert_eq!(
        e,
        [
            "unknown check attribute `exp`; did you mean `expr`?",
            "unknown check attribute `nme`; did you mean `name`?",
            "unknown check attribute `dc`; expected one of: name, expr, sql, doc",
            "check `still_checked`: unknown field `totl` in check (at character 1); expected a field of this model; did you mean `total`?",
        ]
    );
}

/// An enum's values are its own derive's, unknown when a struct compiles: text compared
/// with a `#[model(enum)]` field is typed as text and not held to values (as its default).
#[test]
fn text_compared_with_an_enum_field_is_not_held_to_values_the_struct_cannot_see() {
    let m = lower(parse_quote! {
        #[model(check(name = "posts_live", expr = "status <> 'draft' and status in ('a', 'b')"))]
        struct Post {
            #[model(primary_key)] id: i32,
            #[model(enum)] status: PostStatus,
        }
    });
    assert_eq!(m.checks.len(), 1);
    let e = errors(parse_quote! {
        #[model(check(name = "posts_live", expr = "status > 1"))]
        struct Post {
            #[model(primary_key)] id: i32,
            #[model(enum)] status: PostStatus,
        }
    });
    assert_eq!(
        e,
        ["check `posts_live`: `>` needs text, but `1` is a number (at character 10)"]
    );
}

/// Check names are claimed in the names registry: within a struct against its other
/// constraints, and across structs where MySQL keeps one namespace per database.
#[test]
fn check_names_clash_with_the_registrys_other_names() {
    let own = errors(parse_quote! {
        #[model(unique(columns(code), name = "orders_code"))]
        #[model(check(name = "orders_code", expr = "length(code) > 1"))]
        struct Order {
            #[model(primary_key)] id: i32,
            #[model(max_length = 8)] code: String,
        }
    });
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(own[0].contains("orders_code"), "{own:?}");
    let source = "#[derive(Model)]\n#[model(check(name = \"positive\", expr = \"n > 0\"))]\nstruct A { #[model(primary_key)] id: i32, n: i32 }\n\
                  #[derive(Model)]\n#[model(check(name = \"positive\", expr = \"n > 0\"))]\nstruct B { #[model(primary_key)] id: i32, n: i32 }\n";
    let across = modelgen_attr::schema_from_sources(&[("models.rs".into(), source.into())]).unwrap_err();
    assert_eq!(across.len(), 1, "{across:?}");
    assert!(across[0].message.contains("positive"), "{across:?}");
    assert_eq!((across[0].line, across[0].column), (6, 8));
}
