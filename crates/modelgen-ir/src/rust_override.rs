//! `rust_type`: a field whose Rust type is not the one its column type maps to. Both
//! front ends check it here, so the YAML spec and `#[derive(Model)]` accept the same ones.
//!
//! A `decimal` can be `f64` or `String`; a JSON column any serde type (`crate::Settings`);
//! any column a type of the application's own (`crate::Email`), which then has to read and
//! write the column's type itself. A standard type that does not hold the column's values
//! (`bool` for a `str(20)`) is refused.

use crate::LogicalType;

/// Last path segments of the standard types a column maps to; one of them as `rust_type`
/// must be one of the overrides this module allows.
const STANDARD: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "bool",
    "char",
    "str",
    "String",
    "Vec",
    "HashMap",
    "BTreeMap",
    "Value",
    "Decimal",
    "Uuid",
    "NaiveDateTime",
    "NaiveDate",
    "NaiveTime",
    "DateTime",
    "DateTimeUtc",
    "Option",
    "Box",
];

/// Whether `rust` may be the Rust type of a `ty` column; the error says why not and what
/// would be accepted.
pub fn check_rust_type(ty: &LogicalType, rust: &str) -> Result<(), String> {
    let head = type_head(rust)?;
    if head == "Option" {
        return Err(format!(
            "`{rust}`: say that the column is nullable (`?` after its type) instead; `rust_type` is the type inside the `Option`"
        ));
    }
    if rust == ty.rust_type() || rust.trim_start_matches("::") == ty.rust_type() {
        return Err(format!(
            "`{rust}` is already the Rust type of {ty} columns; remove `rust_type`"
        ));
    }
    let fits = match ty {
        LogicalType::Json { .. } => true,
        LogicalType::Decimal { .. } => matches!(rust, "f64" | "String") || !STANDARD.contains(&head),
        _ => !STANDARD.contains(&head),
    };
    match fits {
        true => Ok(()),
        false => Err(format!(
            "a {ty} column cannot be `{rust}`: a decimal can be `f64` or `String`, a JSON column any serde type, and any column a type of your own (such as `crate::Email`)"
        )),
    }
}

/// Whether `rust` is a type of the application's own rather than a standard one.
pub fn is_own_type(rust: &str) -> bool {
    type_head(rust).is_ok_and(|head| !STANDARD.contains(&head))
}

/// The last path segment of a type written as a path with optional generic arguments
/// (`crate::Money`, `Vec<crate::Tag>`); anything else is refused, since the generated
/// code writes the type as it is given.
fn type_head(rust: &str) -> Result<&str, String> {
    let wrong = |why: &str| {
        Err(format!(
            "`{rust}` is not a Rust type path {why}; write a path such as `f64`, `String` or `crate::Settings`"
        ))
    };
    let mut depth = 0usize;
    let mut head_end = None;
    let mut rest = rust.trim();
    let mut expect_name = true;
    if rest.is_empty() {
        return wrong("(it is empty)");
    }
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("::") {
            if !r.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                return wrong("(`::` must be followed by a name)");
            }
            expect_name = true;
            rest = r;
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        let len = match c {
            '<' if !expect_name => {
                if depth == 0 {
                    head_end.get_or_insert(rust.len() - rest.len());
                }
                depth += 1;
                expect_name = true;
                1
            }
            '>' if !expect_name && depth > 0 => {
                depth -= 1;
                1
            }
            ',' if !expect_name && depth > 0 => {
                expect_name = true;
                1
            }
            ' ' => 1,
            c if expect_name && (c.is_ascii_alphabetic() || c == '_') => {
                expect_name = false;
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len())
            }
            _ => return wrong(&format!("(`{c}` is out of place)")),
        };
        if depth == 0 && c == '>' {
            // Nothing may follow the closing `>` of the outermost arguments.
            if !rest[1..].trim().is_empty() {
                return wrong("(text follows its `>`)");
            }
        }
        rest = &rest[len..];
    }
    if depth != 0 || expect_name {
        return wrong("(it ends early)");
    }
    let path = &rust.trim()[..head_end.unwrap_or(rust.trim().len())];
    Ok(path.rsplit("::").next().expect("rsplit yields one").trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::JsonShape;

    fn decimal() -> LogicalType {
        LogicalType::Decimal {
            precision: 10,
            scale: 2,
        }
    }

    #[test]
    fn decimals_take_f64_string_or_an_own_type() {
        assert_eq!(check_rust_type(&decimal(), "f64"), Ok(()));
        assert_eq!(check_rust_type(&decimal(), "String"), Ok(()));
        assert_eq!(check_rust_type(&decimal(), "crate::Money"), Ok(()));
        let err = check_rust_type(&decimal(), "i32").unwrap_err();
        assert!(err.contains("a decimal(10,2) column cannot be `i32`"), "{err}");
    }

    #[test]
    fn json_takes_any_type_path() {
        let json = LogicalType::Json { shape: JsonShape::Any };
        for ok in [
            "crate::Settings",
            "Vec<crate::Tag>",
            "std::collections::HashMap<String, Vec<i64>>",
            "::app::Prefs",
        ] {
            assert_eq!(check_rust_type(&json, ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn standard_types_that_do_not_hold_the_column_are_refused() {
        let err = check_rust_type(&LogicalType::Str { max_length: Some(20) }, "bool").unwrap_err();
        assert!(err.contains("a str(20) column cannot be `bool`"), "{err}");
        let err = check_rust_type(&LogicalType::Int, "i32").unwrap_err();
        assert!(err.contains("already the Rust type of int columns"), "{err}");
        let err = check_rust_type(&LogicalType::Int, "Option<i64>").unwrap_err();
        assert!(err.contains("nullable"), "{err}");
        assert_eq!(
            check_rust_type(&LogicalType::Str { max_length: Some(20) }, "crate::Email"),
            Ok(())
        );
    }

    #[test]
    fn only_type_paths_are_accepted_as_generated_code_writes_them_verbatim() {
        let json = LogicalType::Json { shape: JsonShape::Any };
        for bad in [
            "",
            "crate::",
            "Vec<",
            "Vec<u8>>",
            "Vec<u8> x",
            "a; fn evil() {}",
            "&str",
            "(i32, i32)",
            "a::<b>",
            "[u8; 4]",
            "x y",
        ] {
            assert!(check_rust_type(&json, bad).is_err(), "{bad:?} was accepted");
        }
    }
}
