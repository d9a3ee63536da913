//! The check language: parsing, formatting that leaves no trace, and the type check.

use super::*;

fn columns(name: &str) -> Option<(&'static str, &'static LogicalType)> {
    static INT: LogicalType = LogicalType::Int;
    static TEXT: LogicalType = LogicalType::Str { max_length: Some(8) };
    static UUID: LogicalType = LogicalType::Uuid;
    static BOOL: LogicalType = LogicalType::Bool { check: false };
    match name {
        "total" => Some(("total", &INT)),
        "code" => Some(("code", &TEXT)),
        "token" => Some(("token", &UUID)),
        "paid" => Some(("paid", &BOOL)),
        _ => None,
    }
}

fn typed(text: &str) -> Result<Expr, CheckError> {
    let mut expr = parse_check(text)?;
    check_types(text, &mut expr, &columns)?;
    Ok(expr)
}

#[test]
fn formatting_and_grouping_parentheses_are_no_difference() {
    let plain = typed("total >= 0").unwrap();
    assert_eq!(typed("total>=0").unwrap(), plain);
    assert_eq!(typed("(total >= 0)").unwrap(), plain);
    assert_eq!(typed("  ( (total)>= 0 ) ").unwrap(), plain);
    assert_eq!(
        typed("TOTAL >= 0").err().map(|e| e.message),
        Some("unknown field `TOTAL` in check".into())
    );
    assert_eq!(typed("a <> 1 OR total != 1").err().map(|e| e.offset), Some(0));
    assert_eq!(parse_check("total <> 1").unwrap(), parse_check("total != 1").unwrap());
    assert_eq!(parse_check("total = - 1").unwrap(), parse_check("total = -1").unwrap());
}

#[test]
fn precedence_follows_sql() {
    let e = parse_check("total = 1 or total = 2 and not paid").unwrap();
    let Expr::Binary {
        op: BinaryOp::Or,
        right,
        ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert!(matches!(*right, Expr::Binary { op: BinaryOp::And, .. }));
    let e = parse_check("total + 2 * 3 > 1").unwrap();
    let Expr::Binary {
        op: BinaryOp::Gt, left, ..
    } = e
    else {
        panic!()
    };
    let Expr::Binary {
        op: BinaryOp::Add,
        right,
        ..
    } = *left
    else {
        panic!()
    };
    assert!(matches!(*right, Expr::Binary { op: BinaryOp::Mul, .. }));
}

#[test]
fn every_construct_parses_and_type_checks() {
    for text in [
        "total >= 0 and total < 100",
        "code in ('a', 'it''s') and total not in (1, 2)",
    ] {
        typed(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    }
    typed("token is not null and not (paid = false) and total * 2 - 1 / 3 <> 0.5").unwrap();
    let e = typed("code in ('it''s')").unwrap();
    assert_eq!(
        e,
        Expr::In {
            expr: Box::new(Expr::Column { name: "code".into() }),
            list: vec![Expr::Str { value: "it's".into() }],
            negated: false
        }
    );
}

#[test]
fn mistakes_name_the_place_and_the_rule() {
    let cases = [
        ("total >= 'a'", 9, "`>=` needs a number, but `'a'` is text"),
        ("lenght(code) > 1", 6, "unexpected `(`"),
        ("length(total) > 1", 7, "`length()` needs text, but `total` is a number"),
        ("total >= ", 9, "the check ends too early"),
        ("total = null", 8, "`null` is only allowed after `is`"),
        ("code = 'open", 7, "string literal is not closed"),
        ("total", 0, "the check is a number, not a condition"),
        ("token = token", 0, "`=` cannot compare `token`"),
        ("total >= 0 ;", 11, "unexpected character `;`"),
        ("price > 0", 0, "unknown field `price` in check"),
    ];
    for (text, offset, message) in cases {
        let e = typed(text).unwrap_err();
        assert_eq!((e.offset, e.message.as_str()), (offset, message), "{text}");
    }
}

#[test]
fn raw_sql_compares_trimmed() {
    let sql = |s: &str| CheckExpr::Sql([(Dialect::Sqlite, s.to_owned())].into());
    assert!(sql("x > 0").same_as(&sql("  x > 0\n")));
    assert!(!sql("x > 0").same_as(&sql("x>0")));
}

#[test]
fn a_tree_printed_as_text_type_checks_back_to_itself() {
    for text in [
        "total >= 0 and length(code) <= 8",
        "not (paid or total = -1) and code not in ('a', 'it''s')",
        "total * (2 + 3) / 4 - -total > 0.5",
        "code is not null or total is null",
        "paid = true and -(total + 1) < 0",
    ] {
        let tree = typed(text).unwrap();
        assert_eq!(typed(&tree.text()).unwrap(), tree, "{text} → {}", tree.text());
    }
}

#[test]
fn text_functions_and_the_text_that_reads_back_as_the_same_tree() {
    assert_eq!(
        typed("lower(code) = 'a' and upper(code) <> 'B'").unwrap().text(),
        "lower(code) = 'a' and upper(code) <> 'B'"
    );
    // `lower` and `upper` are functions only when called: a field may have the name.
    assert_eq!(
        parse_check("lower = upper").unwrap(),
        Expr::Binary {
            op: BinaryOp::Eq,
            left: Box::new(Expr::Column { name: "lower".into() }),
            right: Box::new(Expr::Column { name: "upper".into() }),
        }
    );
    assert_eq!(
        typed("lower(total) = 'a'").unwrap_err().message,
        "`lower()` needs text, but `total` is a number"
    );
    for text in [
        "total - (total - 1) > 0 or not (paid = true and code in ('x', 'it''s'))",
        "(total + 1) * 2 >= -3.5 and code is not null",
        "not (code is null) or (total < 1 or total > 2) and paid = false",
        "length(lower(code)) < 9 and code not in ('a')",
    ] {
        let tree = typed(text).unwrap();
        assert_eq!(parse_check(&tree.text()).unwrap(), tree, "{text} → {}", tree.text());
    }
}

#[test]
fn an_index_key_reads_a_field_and_holds_no_boolean() {
    let key = |text: &str| {
        let mut expr = parse_check(text)?;
        check_key_types(text, &mut expr, &columns).map(|()| expr)
    };
    assert!(key("lower(code)").is_ok());
    assert!(key("total * 2 + 1").is_ok());
    assert_eq!(key("1 + 2").unwrap_err().message, "it reads no field");
    assert_eq!(
        key("(total > 1) = true").unwrap_err().message,
        "it cannot hold `true` or `false`"
    );
    assert_eq!(key("lower(totl)").unwrap_err().message, "unknown field `totl` in check");
}
