//! Attribute parsing, one behaviour per test.

use super::*;
use syn::parse_quote;

fn field(attrs: Vec<Attribute>) -> (FieldAttrs, Result<(), syn::Error>) {
    let mut errors = Errors::default();
    let out = field_attrs(&attrs, &mut errors);
    (out, errors.finish())
}

fn messages(result: Result<(), syn::Error>) -> Vec<String> {
    match result {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn field_flags_and_values_parse() {
    let (f, result) = field(vec![
        parse_quote!(#[model(primary_key, autoincrement = false)]),
        parse_quote!(#[model(max_length = 255, unique = "live", index, secret)]),
        parse_quote!(#[model(default = -3, server_default = "now", on_update = "now")]),
        parse_quote!(#[model(foreign_key = "users.id", on_delete = "set null", mixin = "audited")]),
        parse_quote!(#[model(sql_type = "decimal(10,2)")]),
        parse_quote!(#[doc = " The id."]),
    ]);
    assert_eq!(messages(result), Vec::<String>::new());
    assert!(f.primary_key.unwrap().value);
    assert!(!f.autoincrement.unwrap().value);
    assert_eq!(f.max_length.unwrap().value, 255);
    assert_eq!(f.unique.unwrap().value, Uniqueness::Live);
    assert!(f.index.unwrap().value && f.secret.unwrap().value);
    assert_eq!(f.default.unwrap().value, Literal::Int(-3, "-3".into()));
    assert_eq!(f.server_default.unwrap().value, Literal::Str("now".into()));
    assert_eq!(f.on_update.unwrap().value, OnUpdateAttr::Now);
    assert_eq!(
        f.foreign_key.unwrap().value,
        FkTarget {
            table: "users".into(),
            column: "id".into()
        }
    );
    assert_eq!(f.on_delete.unwrap().value, FkAction::SetNull);
    assert_eq!(f.mixin.unwrap().value, "audited");
    assert_eq!(
        f.sql_type.unwrap().value,
        LogicalType::Decimal {
            precision: 10,
            scale: 2
        }
    );
    assert_eq!(f.doc.as_deref(), Some("The id."));
}

#[test]
fn on_update_is_now_or_a_foreign_key_action() {
    let (f, result) = field(vec![parse_quote!(#[model(on_update = "cascade")])]);
    assert!(result.is_ok());
    assert_eq!(f.on_update.unwrap().value, OnUpdateAttr::Action(FkAction::Cascade));
}

#[test]
fn every_mistake_in_one_attribute_is_reported() {
    let (_, result) = field(vec![parse_quote!(#[model(
        primry_key,
        on_delete = "explode",
        max_length = "x",
        sql_type = "strng",
        foreign_key = "users",
        table = "x"
    )])]);
    assert_eq!(
        messages(result),
        [
            "unknown field attribute `primry_key`; did you mean `primary_key`?",
            "unknown foreign-key action `explode`; expected one of: cascade, set_null, set_default, restrict, no_action",
            "`max_length` takes a whole number from 1 to 65535: write `max_length = 255`",
            "unknown type `strng`; did you mean `str(n)`?",
            "`foreign_key = \"users\"` needs a table and a column: write `foreign_key = \"users.id\"`",
            "`table` is not a field attribute; put `#[model(table …)]` on the struct",
        ]
    );
}

#[test]
fn a_key_given_twice_is_an_error() {
    let (_, result) = field(vec![
        parse_quote!(#[model(default = 1)]),
        parse_quote!(#[model(default = 2)]),
    ]);
    assert_eq!(messages(result), ["`default` is given twice; keep one"]);
}

#[test]
fn model_attributes_parse() {
    let mut errors = Errors::default();
    let attrs: Vec<Attribute> = vec![
        parse_quote!(#[model(table = "users", mixins(timestamps, soft_delete), repr(id, email))]),
        parse_quote!(#[model(index(name = "ix_a", columns(email, is_active)), index(columns(org, slug), unique, live))]),
        parse_quote!(#[model(unique(columns(org, email), name = "uq_x"))]),
        parse_quote!(#[model(relation(name = "api_keys", one_to_many = "ApiKey", foreign_key = "user_id", cascade = "all, delete-orphan", doc = "Keys."))]),
        parse_quote!(#[doc = " First line."]),
        parse_quote!(#[doc = ""]),
        parse_quote!(#[doc = "   indented"]),
        parse_quote!(#[doc = ""]),
    ];
    let m = model_attrs(&attrs, &mut errors);
    assert!(errors.finish().is_ok());
    assert_eq!(m.table.unwrap().value, "users");
    assert_eq!(m.mixins.len(), 2);
    assert_eq!(m.repr.unwrap().value.len(), 2);
    assert_eq!(m.indexes.len(), 2);
    assert!(m.indexes[1].unique && m.indexes[1].live.is_some());
    assert_eq!(m.uniques[0].name.as_ref().unwrap().value, "uq_x");
    let rel = &m.relations[0];
    assert_eq!(rel.kinds[0].0, RelationKind::OneToMany);
    assert_eq!(rel.cascade, ["all", "delete-orphan"]);
    assert_eq!(rel.foreign_key.as_ref().unwrap().value, ["user_id"]);
    assert_eq!(rel.doc.as_deref(), Some("Keys."));
    assert_eq!(m.doc.as_deref(), Some("First line.\n\n  indented"));
}

#[test]
fn unknown_model_keys_and_mixins_are_named() {
    let mut errors = Errors::default();
    let attrs: Vec<Attribute> = vec![
        parse_quote!(#[model(tabel = "users", mixins(timestamp))]),
        parse_quote!(#[model(relation(nme = "x", one_to_many = "A"), primary_key)]),
    ];
    model_attrs(&attrs, &mut errors);
    assert_eq!(
        messages(errors.finish()),
        [
            "unknown model attribute `tabel`; did you mean `table`?",
            "unknown mixin `timestamp`; did you mean `timestamps`?",
            "unknown relation attribute `nme`; did you mean `name`?",
            "`primary_key` on the struct lists the key's fields in order: write `primary_key(org_id, user_id)`, or put #[model(primary_key)] on a field",
        ]
    );
}

fn model(attrs: Vec<Attribute>) -> (ModelAttrs, Vec<String>) {
    let mut errors = Errors::default();
    let m = model_attrs(&attrs, &mut errors);
    (m, messages(errors.finish()))
}

#[test]
fn checks_parse_with_an_expression_or_sql_for_all_or_each_database() {
    use modelgen_ir::Dialect;
    let (m, errors) = model(vec![
        parse_quote!(#[model(check(name = "positive_total", expr = "total >= 0", doc = "  Never negative.  "))]),
        parse_quote!(#[model(check(sql = "qty % 2 = 0", name = "even"), check(name = "upper", sql(mysql = "c = BINARY upper(c)", sqlite = "c = upper(c)", postgres = "c = upper(c)")))]),
    ]);
    assert_eq!(errors, Vec::<String>::new());
    let [total, even, upper] = &m.checks[..] else {
        panic!("three checks, in order")
    };
    assert_eq!(total.name.as_ref().unwrap().value, "positive_total");
    assert_eq!(total.expr.as_ref().unwrap().value, "total >= 0");
    assert!(total.sql.is_none());
    assert_eq!(total.doc.as_deref(), Some("Never negative."));
    assert_eq!(even.name.as_ref().unwrap().value, "even");
    let even_sql = &even.sql.as_ref().unwrap().value;
    assert_eq!(even_sql.keys().copied().collect::<Vec<_>>(), Dialect::ALL);
    assert!(even_sql.values().all(|s| s == "qty % 2 = 0"));
    let upper_sql = &upper.sql.as_ref().unwrap().value;
    assert_eq!(upper_sql[&Dialect::Mysql], "c = BINARY upper(c)");
    assert_eq!(upper_sql[&Dialect::Sqlite], "c = upper(c)");
}

#[test]
fn check_mistakes_are_named_where_they_are() {
    let (_, errors) = model(vec![
        parse_quote!(#[model(check(name = "a b", exp = "x > 0"))]),
        parse_quote!(#[model(check(name = "c", sql(postgre = "x > 0", sqlite = "x > 0", sqlite = "x > 1")))]),
        parse_quote!(#[model(check(name = "d", sql = "  "), check(name = "e", expr = "x\u{202E} > 0"))]),
        parse_quote!(#[model(check(name = "f", expr = "x > 0", expr = "x > 1", doc = "z"))]),
        parse_quote!(#[model(check(name = "h", sql = "x > 0) OR (1 = 1"), check(name = "i", sql = "x > 0; DROP TABLE t"))]),
        parse_quote!(#[model(chek(name = "g"))]),
    ]);
    assert_eq!(
        errors,
        [
            "check name `a b` contains whitespace; use letters, digits and `_`",
            "unknown check attribute `exp`; did you mean `expr`?",
            "`sql(...)` takes `sqlite`, `postgres` and `mysql`, not `postgre`; did you mean `postgres`?",
            "`sqlite` is given twice; keep one",
            // `postgre` is taken for `postgres`: only `mysql` is missing.
            "`sql(...)` has no SQL for mysql: add `mysql = \"…\"`, or write one `sql = \"…\"` for every database",
            "`sql` is empty: write the condition, such as `sql = \"total >= 0\"`",
            "`expr` holds U+202E (a bidirectional control, which can make text read in another order than it runs) at character 2; remove it",
            "`expr` is given twice; keep one",
            "`x > 0) OR (1 = 1` is not one SQL expression: expected one SQL expression; this one closes a `)` it never opened",
            "`x > 0; DROP TABLE t` is not one SQL expression: expected one SQL expression, without `;`",
            "unknown model attribute `chek`; did you mean `check`?",
        ]
    );
}

#[test]
fn a_check_without_parentheses_says_what_to_write() {
    let (_, errors) = model(vec![parse_quote!(#[model(check)])]);
    assert_eq!(
        errors,
        ["`check` needs a name and a condition: write `check(name = \"positive_total\", expr = \"total >= 0\")`"]
    );
}

#[test]
fn a_check_on_a_field_is_sent_to_the_struct() {
    let (_, result) = field(vec![
        parse_quote!(#[model(check(name = "positive", expr = "total >= 0"))]),
    ]);
    assert_eq!(
        messages(result),
        ["`check` is not a field attribute; put `#[model(check …)]` on the struct"]
    );
}
