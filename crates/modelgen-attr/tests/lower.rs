//! Lowering rules through `lower_struct`, one behaviour per test: what the IR holds for a
//! small struct, and that every mistake is reported at once.

use modelgen_attr::{lower_struct, ReprStyle};
use modelgen_ir::{DefaultValue, LogicalType, Model, ModelKind};
use syn::parse_quote;

mod common;
use common::{errors, lower};

#[test]
fn a_string_without_max_length_is_text() {
    let m = lower(parse_quote! {
        struct Note {
            #[model(primary_key)] id: i64,
            body: String,
            #[model(max_length = 20)] title: String,
            summary: Option<String>,
            #[model(sql_type = "str(9)")] code: String,
        }
    });
    let ty = |c: &str| m.column(c).unwrap().ty.clone();
    assert_eq!(ty("body"), LogicalType::Text);
    assert_eq!(ty("title"), LogicalType::Str { max_length: Some(20) });
    assert_eq!(ty("summary"), LogicalType::Text);
    assert!(m.column("summary").unwrap().nullable);
    assert_eq!(ty("code"), LogicalType::Str { max_length: Some(9) });
}

#[test]
fn max_length_bounds_bytes_and_sql_type_str_is_unbounded() {
    let m = lower(parse_quote! {
        struct Blob {
            #[model(primary_key)] id: i64,
            body: Vec<u8>,
            #[model(max_length = 16)] digest: Vec<u8>,
            #[model(max_length = 32)] salt: Option<Vec<u8>>,
            #[model(sql_type = "str")] name: String,
        }
    });
    let ty = |c: &str| m.column(c).unwrap().ty.clone();
    assert_eq!(ty("body"), LogicalType::Bytes { max_length: None });
    assert_eq!(ty("digest"), LogicalType::Bytes { max_length: Some(16) });
    assert_eq!(ty("salt"), LogicalType::Bytes { max_length: Some(32) });
    assert_eq!(ty("name"), LogicalType::Str { max_length: None });
    let e = errors(parse_quote! {
        struct Bad { #[model(primary_key)] id: i64, #[model(max_length = 70000)] digest: Vec<u8>, #[model(max_length = 3)] n: i32 }
    });
    assert_eq!(
        e,
        [
            "`max_length` takes a whole number from 1 to 65535: write `max_length = 255`",
            "`max_length` applies to `String` and `Vec<u8>` fields, and `n` is `i32`; remove it"
        ]
    );
}

#[test]
fn server_default_sql_is_one_text_for_every_database_or_one_each() {
    use modelgen_ir::Dialect;
    let m = lower(parse_quote! {
        struct Event {
            #[model(primary_key)] id: i64,
            #[model(server_default_sql = "(1 + 2)")] score: i32,
            #[model(server_default_sql(postgres = "gen_random_uuid()", sqlite = "(lower(hex(randomblob(16))))"))]
            token: uuid::Uuid,
        }
    });
    let sql = |c: &str| match &m.column(c).unwrap().server_default {
        Some(DefaultValue::Sql(by_dialect)) => by_dialect.clone(),
        other => panic!("{c}: {other:?}"),
    };
    assert_eq!(sql("score").len(), 3);
    assert!(sql("score").values().all(|t| t == "(1 + 2)"));
    assert_eq!(
        sql("token").into_iter().collect::<Vec<_>>(),
        [
            (Dialect::Sqlite, "(lower(hex(randomblob(16))))".to_owned()),
            (Dialect::Postgres, "gen_random_uuid()".to_owned())
        ]
    );
    let e = errors(parse_quote! {
        struct Bad {
            #[model(primary_key)] id: i64,
            #[model(server_default_sql = "1; DROP TABLE bad")] a: i32,
            #[model(server_default = 1, server_default_sql = "(2)")] b: i32,
            #[model(server_default_sql(postgresql = "1"))] c: i32,
        }
    });
    assert_eq!(
        e,
        [
            "`1; DROP TABLE bad` is not one SQL expression: expected one SQL expression, without `;`",
            "`server_default_sql(...)` takes `sqlite`, `postgres` and `mysql`, not `postgresql`",
            "`server_default_sql` and `server_default` both set the database's default; keep one",
        ]
    );
}

#[test]
fn names_default_to_snake_case_and_fields_lose_raw_prefixes() {
    let m = lower(parse_quote! {
        struct ApiKey { #[model(primary_key)] id: i32, r#type: i32 }
    });
    assert_eq!((m.name.as_str(), m.table.as_str()), ("ApiKey", "api_key"));
    assert_eq!(m.columns[1].name, "type");
}

#[test]
fn unique_and_index_resolve_as_sqlalchemy_emits_them() {
    let m = lower(parse_quote! {
        #[model(table = "users", index(columns(a, c)), index(name = "named", columns(c), unique))]
        #[model(unique(columns(a, b)), unique(columns(b, c), name = "uq_named"))]
        struct U {
            #[model(primary_key)] id: i32,
            #[model(unique, index)] a: i32,
            #[model(unique)] b: i32,
            #[model(index)] c: i32,
        }
    });
    let idx: Vec<_> = m
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.plain_columns().unwrap().join(","), i.unique))
        .collect();
    assert_eq!(
        idx,
        [
            ("ix_users_a", "a".to_string(), true),
            ("ix_users_c", "c".to_string(), false),
            ("ix_users_a_c", "a,c".to_string(), false),
            ("named", "c".to_string(), true),
        ]
    );
    let uniques: Vec<_> = m
        .uniques
        .iter()
        .map(|u| (u.name.clone(), u.columns.join(",")))
        .collect();
    assert_eq!(
        uniques,
        [
            (None, "b".to_string()),
            (None, "a,b".to_string()),
            (Some("uq_named".to_string()), "b,c".to_string())
        ]
    );
}

#[test]
fn live_uniqueness_is_a_partial_unique_index() {
    let m = lower(parse_quote! {
        #[model(table = "docs", mixins(soft_delete), unique(columns(org, slug), live))]
        struct Doc {
            #[model(primary_key)] id: i32,
            #[model(unique = "live")] slug: String,
            org: i32,
            deleted_at: Option<NaiveDateTime>,
        }
    });
    let idx: Vec<_> = m
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.unique, i.live_only))
        .collect();
    assert_eq!(idx, [("ix_docs_slug", true, true), ("uq_docs_org_slug", true, true)]);
    assert_eq!(m.soft_delete.as_deref(), Some("deleted_at"));
}

#[test]
fn autoincrement_is_auto_for_a_lone_integer_key_without_a_foreign_key() {
    let auto = |m: &Model| m.columns.iter().map(|c| c.autoincrement).collect::<Vec<_>>();
    let lone = lower(parse_quote! { struct A { #[model(primary_key)] id: i64, n: i32 } });
    assert_eq!(auto(&lone), [true, false]);
    let off = lower(parse_quote! { struct A { #[model(primary_key, autoincrement = false)] id: i32 } });
    assert_eq!(auto(&off), [false]);
    let fk = lower(parse_quote! { struct A { #[model(primary_key, foreign_key = "b.id")] id: i32 } });
    assert_eq!(auto(&fk), [false]);
    let pair = lower(parse_quote! { struct A { #[model(primary_key)] a: i32, #[model(primary_key)] b: i32 } });
    assert_eq!(auto(&pair), [false, false]);
}

#[test]
fn mixins_take_their_options_and_are_listed_in_first_seen_order() {
    let l = lower_struct(&parse_quote! {
        #[model(mixins(timestamps))]
        struct A {
            #[model(primary_key)] id: i32,
            #[model(mixin = "audited")] audited_by: Option<String>,
            /// Ignored: the mixin's own doc is kept.
            created_at: NaiveDateTime,
            updated_at: Option<NaiveDateTime>,
            #[model(mixin = "audited")] audited_at: Option<NaiveDateTime>,
        }
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let m = &l.model;
    assert_eq!(m.mixins, ["audited", "timestamps"]);
    let created = m.column("created_at").unwrap();
    assert_eq!(created.default, Some(DefaultValue::Now));
    assert_eq!(created.server_default, Some(DefaultValue::Now));
    assert_eq!(created.doc.as_deref(), Some("When the row was created."));
    assert_eq!(m.column("audited_by").unwrap().mixin.as_deref(), Some("audited"));
    assert!(l.repr.is_none());
    assert_eq!(m.repr, ["id"], "repr defaults to the primary key");
}

#[test]
fn repr_fields_know_how_to_show_themselves() {
    let l = lower_struct(&parse_quote! {
        #[model(repr(id, name, nick, score))]
        struct A { #[model(primary_key)] id: i32, name: String, nick: Option<String>, score: Option<f64> }
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let styles: Vec<_> = l.repr.unwrap().iter().map(|f| f.style).collect();
    assert_eq!(
        styles,
        [
            ReprStyle::Value,
            ReprStyle::Text,
            ReprStyle::OptionalText,
            ReprStyle::OptionalValue
        ]
    );
}

#[test]
fn join_tables_are_marked_and_show_no_repr() {
    let m = lower(parse_quote! {
        #[model(join)]
        struct UserRole {
            #[model(primary_key, foreign_key = "users.id")] user_id: i32,
            #[model(primary_key, foreign_key = "roles.id")] role_id: i32,
        }
    });
    assert_eq!(m.kind, ModelKind::Join);
    assert!(m.repr.is_empty());
    assert_eq!(m.foreign_keys[1].target_table, "roles");
    assert_eq!(
        m.foreign_keys[1].target_model, "roles",
        "resolved by schema_from_sources"
    );
}

#[test]
fn every_mistake_is_reported_at_once() {
    let found = errors(parse_quote! {
        #[model(repr(id, secret_code), mixins(soft_delete))]
        #[model(relation(name = "owner", many_to_one = "User"))]
        struct A {
            id: Option<i32>,
            #[model(secret)] secret_code: String,
            #[model(default = 1.5)] count: i32,
            total: Money,
        }
    });
    assert_eq!(
        found,
        [
            "unsupported field type `Money`; add #[model(sql_type = \"…\")] with its column type, such as \"text\", \"bigint\" or \"json\"",
            "model `A` has no primary key; mark a field with #[model(primary_key)]",
            "`default` does not fit column type `int`; expected a whole number within 32 bits",
            "mixin `soft_delete` needs the field `pub deleted_at: Option<chrono::NaiveDateTime>`; add it to `A`",
            "`secret_code` is secret, so Debug and Display must not show it; remove it from `repr(...)`",
            "relation `owner` needs `foreign_key = \"…\"`: the field of `A` that points at the target",
        ]
    );
}

/// Names the struct's table, indexes and triggers take in a database go through
/// modelgen-sql's registry, as the spec's do.
#[test]
fn names_the_databases_would_hold_twice_are_refused() {
    let found = errors(parse_quote! {
        #[model(table = "owners", index(name = "owners_pkey", columns(code)))]
        struct Owner {
            #[model(primary_key)] id: i64,
            #[model(max_length = 10)] code: String,
            modelgen_live: Option<i64>,
        }
    });
    assert_eq!(
        found,
        [
            "column `modelgen_live` of `Owner` starts with `modelgen_`, a prefix modelgen keeps for its own names",
            "index `owners_pkey` of `Owner` and the name PostgreSQL gives the primary key of `Owner` are both named `owners_pkey` on postgres",
        ]
    );
}

/// A field whose Rust type is not its `sql_type`'s own carries it as the IR's `rust_type`,
/// as the YAML spec's `rust_type` does; a standard type that cannot hold the column is
/// refused by the same rule.
#[test]
fn a_rust_type_other_than_the_columns_own_is_recorded_and_checked() {
    let m = lower(parse_quote! {
        struct Item {
            #[model(primary_key)] id: i32,
            #[model(sql_type = "decimal(10,2)")] price: Option<f64>,
            #[model(sql_type = "decimal(10,2)")] exact: rust_decimal::Decimal,
            #[model(sql_type = "json")] settings: crate::Settings,
            #[model(sql_type = "str(100)")] email: Email,
            #[model(sql_type = "str(100)")] name: String,
        }
    });
    let rust = |c: &str| m.column(c).unwrap().rust_type.clone();
    assert_eq!(rust("price").as_deref(), Some("f64"));
    assert_eq!(rust("exact"), None);
    assert_eq!(rust("settings").as_deref(), Some("crate::Settings"));
    assert_eq!(rust("email").as_deref(), Some("Email"));
    assert_eq!(rust("name"), None);
    let found = errors(parse_quote! {
        struct Item {
            #[model(primary_key)] id: i32,
            #[model(sql_type = "str(20)")] flag: bool,
        }
    });
    assert_eq!(
        found,
        ["`flag` with sql_type = \"str(20)\": a str(20) column cannot be `bool`: a decimal can be `f64` or `String`, a JSON column any serde type, and any column a type of your own (such as `crate::Email`)"]
    );
}

/// `uuid4` is the application's: a default, never a server default, as in the YAML spec.
#[test]
fn uuid4_is_a_default_the_application_makes() {
    let m = lower(parse_quote! {
        struct Device { #[model(primary_key, default = "uuid4")] id: uuid::Uuid }
    });
    assert_eq!(m.columns[0].default, Some(DefaultValue::Uuid4));
    let found = errors(parse_quote! {
        struct Device { #[model(primary_key, server_default = "uuid4")] id: uuid::Uuid }
    });
    assert_eq!(
        found,
        ["`uuid4` is made by the application when it builds a row: write it as `default: uuid4`, not as a server default"]
    );
}

/// A number in a string is a server default on a numeric field (`DEFAULT '0'`), as in the
/// YAML spec, and no application default.
#[test]
fn a_number_in_a_string_is_a_server_default_only() {
    let m = lower(parse_quote! {
        struct Counter { #[model(primary_key)] id: i32, #[model(server_default = "0")] hits: i32 }
    });
    assert_eq!(m.columns[1].server_default, Some(DefaultValue::Str("0".into())));
    let found = errors(parse_quote! {
        struct Counter { #[model(primary_key)] id: i32, #[model(default = "0")] hits: i32 }
    });
    assert_eq!(
        found,
        ["`default` does not fit column type `int`; expected a whole number within 32 bits"]
    );
}

#[test]
fn derive_enum_reads_values_renames_and_options() {
    let e = modelgen_attr::lower_enum(&parse_quote! {
        #[model(native = false, check)]
        enum TicketState { Open, #[model(rename = "in-progress")] InProgress, ClosedForGood }
    })
    .unwrap();
    assert_eq!(
        (e.name.as_str(), e.type_name.as_str(), e.native, e.check),
        ("TicketState", "ticketstate", false, true)
    );
    assert_eq!(e.values, ["open", "in-progress", "closed_for_good"]);
    let err = modelgen_attr::lower_enum(&parse_quote! {
        enum Bad { A, #[model(rename = "a")] Other, Data(u8) }
    })
    .unwrap_err();
    let all: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
    assert_eq!(
        all,
        [
            "the enum value \"a\" is given twice",
            "an enum's variants carry no fields: its value is its name"
        ]
    );
    let m = lower(parse_quote! {
        struct Ticket { #[model(primary_key)] id: i64, #[model(enum, default = "open")] state: TicketState }
    });
    assert!(matches!(&m.column("state").unwrap().ty, LogicalType::Enum(e) if e.name == "TicketState"));
}
