//! CHECK constraints from `#[derive(Model)]` against the YAML front end: a derived
//! struct's checks build on the three real databases the catalog its YAML twin describes
//! and refuse the rows that break them; and for random check expressions, a struct read
//! as Rust (`schema_from_sources`, what `build --from-rust` and the derive run) and a spec
//! read as YAML accept the same texts, lower them to the same IR, and refuse the same
//! texts with the same message.

use modelgen::Model;
use modelgen_ir::{Dialect, Schema};
use modelgen_tests::db::{assert_catalog, Conn};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

#[derive(Model)]
#[model(table = "dchk_orders")]
#[model(check(name = "dchk_qty", expr = "qty >= 0 and qty * 2 < 1000"))]
#[model(check(name = "dchk_code", expr = "length(code) >= 2 and code not in ('XX')"))]
#[model(check(name = "dchk_paid", expr = "paid = true or qty = 0"))]
#[model(check(name = "dchk_note", sql = "note IS NULL OR note <> ''"))]
#[model(check(
    name = "dchk_upper",
    sql(
        sqlite = "code = upper(code)",
        postgres = "code = upper(code)",
        mysql = "code = BINARY upper(code)"
    )
))]
#[allow(dead_code)]
struct Order {
    #[model(primary_key)]
    id: i32,
    qty: i32,
    #[model(max_length = 8)]
    code: String,
    paid: bool,
    note: Option<String>,
}

const ORDER_YAML: &str = r#"models:
  Order:
    table: dchk_orders
    fields:
      id: int pk
      qty: int
      code: str(8)
      paid: bool
      note: text?
    checks:
      dchk_qty: "qty >= 0 and qty * 2 < 1000"
      dchk_code: "length(code) >= 2 and code not in ('XX')"
      dchk_paid: "paid = true or qty = 0"
      dchk_note: {sql: "note IS NULL OR note <> ''"}
      dchk_upper:
        sql:
          sqlite: "code = upper(code)"
          postgres: "code = upper(code)"
          mysql: "code = BINARY upper(code)"
"#;

fn load(text: &str) -> Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

#[test]
fn a_derived_structs_checks_build_the_yaml_catalog_and_refuse_the_rows_that_break_them() {
    let yaml = load(ORDER_YAML);
    assert_eq!(Order::model(), &yaml.models[0]);
    // One row that breaks each check, and only that check.
    let broken = [
        ("dchk_qty", "(2, -1, 'AB', TRUE, NULL)"),
        ("dchk_qty", "(3, 600, 'AB', TRUE, NULL)"),
        ("dchk_code", "(4, 3, 'A', TRUE, NULL)"),
        ("dchk_code", "(5, 3, 'XX', TRUE, NULL)"),
        ("dchk_paid", "(6, 3, 'AB', FALSE, NULL)"),
        ("dchk_note", "(7, 3, 'AB', TRUE, '')"),
        ("dchk_upper", "(8, 3, 'Ab', TRUE, NULL)"),
    ];
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "dchk") else {
            continue;
        };
        conn.batch(&modelgen::create_script(&[Order::model()], d)).unwrap();
        assert_catalog(&conn, &yaml, "derived checks");
        let insert = |row: &str| {
            conn.batch(&format!(
                "INSERT INTO dchk_orders (id, qty, code, paid, note) VALUES {row};"
            ))
        };
        insert("(1, 3, 'AB', TRUE, NULL), (9, 0, 'CD', FALSE, 'x')")
            .unwrap_or_else(|e| panic!("{}: rows that keep every check were refused: {e}", d.name()));
        for (check, row) in broken {
            match insert(row) {
                Ok(()) => panic!("{}: {row} passed `{check}`", d.name()),
                Err(e) => assert!(
                    e.contains(check),
                    "{}: {row} was refused, but not by `{check}`: {e}",
                    d.name()
                ),
            }
        }
        assert_eq!(conn.text("SELECT id FROM dchk_orders ORDER BY id").unwrap(), "1;9");
        conn.drop_database();
    }
}

/// The fields both front ends see: every kind the check language knows, nullable or not.
const FIELDS: [(&str, &str, &str); 8] = [
    ("qty", "int", "pub qty: i32,"),
    ("big", "bigint?", "pub big: Option<i64>,"),
    (
        "price",
        "decimal(10,2)",
        "#[model(sql_type = \"decimal(10,2)\")] pub price: Decimal,",
    ),
    ("code", "str(8)", "#[model(max_length = 8)] pub code: String,"),
    ("note", "text?", "pub note: Option<String>,"),
    ("paid", "bool", "pub paid: bool,"),
    ("due", "datetime?", "pub due: Option<NaiveDateTime>,"),
    ("token", "uuid?", "pub token: Option<Uuid>,"),
];

fn yaml_spec(check: &str) -> String {
    let fields: String = FIELDS.iter().map(|(n, ty, _)| format!("      {n}: {ty}\n")).collect();
    // JSON's string syntax is YAML's double-quoted scalar.
    let text = serde_json::to_string(check).unwrap();
    format!(
        "models:\n  Order:\n    table: orders\n    fields:\n      id: int pk\n{fields}    checks:\n      c: {text}\n"
    )
}

fn rust_source(check: &str) -> String {
    let fields: String = FIELDS.iter().map(|(_, _, rust)| format!("    {rust}\n")).collect();
    // Debug is Rust's string literal syntax, escapes included.
    format!(
        "#[derive(modelgen::Model)]\n#[model(table = \"orders\", check(name = \"c\", expr = {check:?}))]\npub struct Order {{\n    #[model(primary_key)] pub id: i32,\n{fields}}}\n"
    )
}

/// Numbers: number fields, literals (negative ones too), lengths and arithmetic.
fn number() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        select(vec!["qty", "big", "price", "0", "-3", "2.50", "-0.5", "1000000"]).prop_map(str::to_owned),
        text().prop_map(|t| format!("length({t})")),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["+", "-", "*", "/"]), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.prop_map(|a| format!("-({a})")),
        ]
    })
}

fn text() -> impl Strategy<Value = String> {
    select(vec!["code", "note", "'a'", "'it''s'", "''", "'Ünï code'"]).prop_map(str::to_owned)
}

/// Any operand, for type mistakes: the uuid, dates, booleans, a field no model has.
fn anything() -> impl Strategy<Value = String> {
    prop_oneof![
        number(),
        text(),
        select(vec!["token", "due", "paid", "true", "FALSE", "qtty", "Code"]).prop_map(str::to_owned),
    ]
}

/// Conditions, mostly well typed: comparisons of like with like, `in` lists, `is null`,
/// `and`/`or`/`not`; a fifth of the operands come from [`anything`].
fn condition() -> impl Strategy<Value = String> {
    let compare = select(vec!["=", "!=", "<>", "<", "<=", ">", ">="]);
    let leaf = prop_oneof![
        4 => (number(), compare.clone(), number()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        2 => (text(), compare.clone(), text()).prop_map(|(a, op, b)| format!("{a}{op}{b}")),
        1 => (select(vec!["due"]), compare.clone(), select(vec!["due"])).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        1 => select(vec!["paid", "paid = true", "not paid", "paid <> FALSE"]).prop_map(str::to_owned),
        2 => (anything(), any::<bool>()).prop_map(|(a, not)| format!("{a} is {}null", if not { "not " } else { "" })),
        2 => (number(), prop::collection::vec(number(), 1..4), any::<bool>())
            .prop_map(|(a, list, not)| format!("{a} {}in ({})", if not { "not " } else { "" }, list.join(", "))),
        2 => (anything(), compare, anything()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
    ];
    leaf.prop_recursive(3, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["and", "or", "AND", "Or"]), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

/// A condition, or one damaged by a character inserted or the text cut short, or an
/// operand alone (no condition).
fn check_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => condition(),
        2 => (condition(), any::<prop::sample::Index>(), select(vec!["#", "(", ")", "'", ",", "!", "in", "is", "\u{202E}", "\""]))
            .prop_map(|(c, at, insert)| {
                let at = c.char_indices().map(|(i, _)| i).nth(at.index(c.chars().count())).unwrap_or(0);
                format!("{}{insert}{}", &c[..at], &c[at..])
            }),
        1 => (condition(), any::<prop::sample::Index>()).prop_map(|(c, at)| {
            let at = c.char_indices().map(|(i, _)| i).nth(at.index(c.chars().count())).unwrap_or(0);
            c[..at].to_owned()
        }),
        1 => anything(),
    ]
}

#[derive(Default)]
struct Tally {
    accepted: u32,
    refused: u32,
}

#[test]
fn the_derive_and_the_yaml_spec_accept_and_refuse_the_same_check_texts() {
    // `MODELGEN_CHECK_CASES=20000` for a longer search.
    let cases = std::env::var("MODELGEN_CHECK_CASES").map_or(600, |n| n.parse().expect("a number of cases"));
    let config = Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x6368_6563_6b73),
        ..Config::default()
    };
    let tally = std::cell::RefCell::new(Tally::default());
    let result = TestRunner::new(config).run(&check_text(), |text| {
        let yaml = modelgen_spec::load(&yaml_spec(&text), "models.yaml");
        let rust = modelgen_attr::schema_from_sources(&[("models.rs".into(), rust_source(&text))]);
        match (yaml, rust) {
            (Ok(yaml), Ok(rust)) => {
                prop_assert_eq!(&yaml.models[0].checks, &rust.models[0].checks, "{:?}", text);
                prop_assert_eq!(&yaml.models, &rust.models);
                tally.borrow_mut().accepted += 1;
            }
            (Err(yaml), Err(rust)) => {
                prop_assert_eq!(yaml.items.len(), 1, "{}", yaml.render(false));
                prop_assert_eq!(rust.len(), 1, "{:?}", rust);
                let (y, r) = (&yaml.items[0], &rust[0].message);
                // A text no file may hold is refused by each front end's own text rule.
                if !text.contains('\u{202E}') {
                    let expected = y
                        .expected
                        .as_deref()
                        .map(|e| format!("; expected {e}"))
                        .unwrap_or_default();
                    let want = format!("{}{expected}", y.message);
                    prop_assert!(r.starts_with(&want), "{:?}: derive says {:?}, YAML {:?}", text, r, want);
                }
                tally.borrow_mut().refused += 1;
            }
            (yaml, rust) => prop_assert!(
                false,
                "{:?}: YAML {}, derive {}",
                text,
                yaml.map_or_else(|d| d.render(false), |_| "accepts".into()),
                rust.map_or_else(|e| format!("{e:?}"), |_| "accepts".into())
            ),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let tally = tally.into_inner();
    println!(
        "{} check texts accepted by both, {} refused by both",
        tally.accepted, tally.refused
    );
    // A generator that makes only good (or only bad) texts tests half the rule.
    assert!(
        tally.accepted >= cases / 4 && tally.refused >= cases / 4,
        "{} accepted, {} refused",
        tally.accepted,
        tally.refused
    );
}

/// A raw check: one text for every database or one each, with or without a doc.
#[derive(Debug, Clone)]
struct Raw {
    texts: Vec<&'static str>,
    doc: Option<&'static str>,
}

fn raw_check() -> impl Strategy<Value = Raw> {
    let text = select(vec![
        "qty >= 0",
        "note IS NULL OR note <> ''",
        "code = BINARY upper(code)",
        "(qty % 2) = 0",
        "  price > 0  ",
        "qty > 0); DROP TABLE orders; --",
        "qty > 0 -- positive",
        "qty > (0",
        "code <> 'it''s",
        "",
        "   ",
    ]);
    let texts = prop_oneof![text.clone().prop_map(|t| vec![t]), prop::collection::vec(text, 3..=3)];
    let doc = prop::option::of(select(vec!["Positive.", "  Padded doc.  ", "Two\nlines."]));
    (texts, doc).prop_map(|(texts, doc)| Raw { texts, doc })
}

fn raw_yaml(raw: &Raw) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap();
    let sql = match &raw.texts[..] {
        [one] => quote(one),
        each => {
            let pairs: Vec<String> = Dialect::ALL
                .iter()
                .zip(each)
                .map(|(d, t)| format!("{}: {}", d.name(), quote(t)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
    };
    let doc = raw.doc.map(|d| format!(", doc: {}", quote(d))).unwrap_or_default();
    yaml_spec("").replace("      c: \"\"\n", &format!("      c: {{sql: {sql}{doc}}}\n"))
}

fn raw_rust(raw: &Raw) -> String {
    let sql = match &raw.texts[..] {
        [one] => format!("sql = {one:?}"),
        each => {
            let pairs: Vec<String> = Dialect::ALL
                .iter()
                .zip(each)
                .map(|(d, t)| format!("{} = {t:?}", d.name()))
                .collect();
            format!("sql({})", pairs.join(", "))
        }
    };
    let doc = raw.doc.map(|d| format!(", doc = {d:?}")).unwrap_or_default();
    rust_source("").replace("expr = \"\"", &format!("{sql}{doc}"))
}

/// Raw SQL the databases get as written: both front ends build the same IR from it, doc
/// included. The derive refuses what is not one SQL expression (it would end the
/// `CHECK (…)` it goes into), which the YAML front end does not check yet.
#[test]
fn raw_check_sql_lowers_alike_and_the_derive_refuses_what_is_not_one_expression() {
    let config = Config {
        cases: 300,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x7261_7773_716c),
        ..Config::default()
    };
    let tally = std::cell::RefCell::new(Tally::default());
    let result = TestRunner::new(config).run(&raw_check(), |raw| {
        let rust = modelgen_attr::schema_from_sources(&[("models.rs".into(), raw_rust(&raw))]);
        let one_expression = raw.texts.iter().all(|t| modelgen_ir::check_sql_expression(t).is_ok());
        if one_expression {
            let yaml = modelgen_spec::load(&raw_yaml(&raw), "models.yaml")
                .map_err(|d| TestCaseError::fail(format!("{raw:?}: YAML {}", d.render(false))))?;
            let rust = rust.map_err(|e| TestCaseError::fail(format!("{raw:?}: derive {e:?}")))?;
            prop_assert_eq!(&yaml.models, &rust.models, "{:?}", raw);
            tally.borrow_mut().accepted += 1;
        } else {
            let errors = rust.err().unwrap_or_default();
            prop_assert!(!errors.is_empty(), "{:?}: the derive accepted it", raw);
            prop_assert!(
                errors
                    .iter()
                    .all(|e| e.message.contains("is not one SQL expression") || e.message.contains("is empty")),
                "{:?}: {:?}",
                raw,
                errors
            );
            tally.borrow_mut().refused += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let tally = tally.into_inner();
    println!(
        "raw checks: {} accepted by both, {} refused by the derive",
        tally.accepted, tally.refused
    );
    assert!(
        tally.accepted >= 50 && tally.refused >= 50,
        "{} accepted, {} refused",
        tally.accepted,
        tally.refused
    );
}
