//! Python spelling: reserved names, identifiers and literals.

use crate::rust::struct_name;
use modelgen_ir::Dialect;

/// Names the module imports or defines itself; a model or mixin class may not take one.
pub(super) const MODULE_NAMES: &[&str] = &[
    "Any",
    "Base",
    "BigInteger",
    "Boolean",
    "ByDialect",
    "CheckConstraint",
    "Column",
    "ColumnElement",
    "DDL",
    "Date",
    "DateTime",
    "Decimal",
    "DeclarativeBase",
    "Double",
    "FetchedValue",
    "Float",
    "ForeignKey",
    "ForeignKeyConstraint",
    "Identity",
    "Index",
    "Integer",
    "JSON",
    "Mapped",
    "Numeric",
    "Optional",
    "String",
    "Table",
    "Text",
    "UUID",
    "UniqueConstraint",
    "Uuid",
];

/// Python's keywords, which cannot name an attribute or a variable.
pub(super) const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Names a class body reads while it is being defined (in annotations and column
/// arguments), which an attribute of the same name would shadow, and names declarative
/// or the generated code itself use on the class.
pub(super) const CLASS_BODY_NAMES: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "date",
    "datetime",
    "timezone",
    "mapped_column",
    "relationship",
    "text",
    "literal_column",
    "utc_now",
    "property",
    "metadata",
    "registry",
    "is_deleted",
];

/// `timestamps` → `TimestampMixin` and `soft_delete` → `SoftDeleteMixin`, the seed's
/// names; `audited` → `AuditedMixin`.
pub(super) fn mixin_class(name: &str) -> String {
    match name {
        "timestamps" => "TimestampMixin".into(),
        other => format!("{}Mixin", struct_name(other)),
    }
}

/// A column or relation name as a Python attribute: names Python or the module reserve
/// get a trailing `_` (`from` → `from_`); `__x` would be mangled, so it gets a prefix.
pub(super) fn attr_name(name: &str) -> String {
    if name.starts_with("__") {
        return format!("f{name}");
    }
    let reserved = KEYWORDS.contains(&name)
        || MODULE_NAMES.contains(&name)
        || CLASS_BODY_NAMES.contains(&name)
        || name.starts_with("_sa_");
    if reserved {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// A join table's module variable: its name, unless Python or the module reserve it.
pub(super) fn table_var(table: &str) -> String {
    attr_name(table)
}

/// SQLAlchemy's names for a dialect: MariaDB connections call themselves `mariadb`.
pub(super) fn sa_names(d: Dialect) -> &'static [&'static str] {
    match d {
        Dialect::Sqlite => &["sqlite"],
        Dialect::Postgres => &["postgresql"],
        Dialect::Mysql => &["mysql", "mariadb"],
    }
}

/// One name as a string, several as a tuple.
pub(super) fn py_names(names: &[&str]) -> String {
    match names {
        [one] => py_str(one),
        _ => format!("({})", names.iter().map(|n| py_str(n)).collect::<Vec<_>>().join(", ")),
    }
}

pub(super) fn py_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| py_str(i)).collect::<Vec<_>>().join(", "))
}

pub(super) fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// A Python string literal in double quotes, or in single quotes when that saves escaping.
pub(super) fn py_str(s: &str) -> String {
    let quote = if s.contains('"') && !s.contains('\'') {
        '\''
    } else {
        '"'
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A multi-line text as one literal per line, each but the last ending in `\n`.
pub(super) fn py_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 < lines.len() {
                py_str(&format!("{l}\n"))
            } else {
                py_str(l)
            }
        })
        .collect()
}

/// A JSON value as the Python literal that builds it.
pub(super) fn py_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => py_bool(*b).into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_str(s),
        Value::Array(items) => format!("[{}]", items.iter().map(py_value).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_str(k), py_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether `text()` would take part of `sql` for a bind parameter: SQLAlchemy's
/// `(?<![:\w\\]):(\w+)(?!:)`.
pub(super) fn has_bind_like(sql: &str) -> bool {
    let chars: Vec<char> = sql.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    chars.iter().enumerate().any(|(i, &c)| {
        if c != ':' || (i > 0 && (chars[i - 1] == ':' || chars[i - 1] == '\\' || word(chars[i - 1]))) {
            return false;
        }
        let run = chars[i + 1..].iter().take_while(|&&c| word(c)).count();
        run >= 2 || (run == 1 && chars.get(i + 2) != Some(&':'))
    })
}

/// Doc text as the lines of a `"""` docstring.
pub(super) fn docstring(doc: Option<&str>) -> Vec<String> {
    doc_lines(doc)
        .into_iter()
        .map(|l| l.replace('\\', "\\\\").replace('"', "\\\""))
        .collect()
}

/// Doc text as lines. A lone carriage return ends a line in Python source too, and no
/// other control character belongs in a comment (a NUL makes the module unreadable).
pub(super) fn doc_lines(doc: Option<&str>) -> Vec<String> {
    doc.map(|d| {
        d.lines()
            .flat_map(|l| l.split('\r'))
            .map(|l| {
                l.chars()
                    .filter(|c| *c == '\t' || !c.is_control())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_end_at_every_python_line_break_and_drop_control_characters() {
        assert_eq!(
            doc_lines(Some("first\rsecond\r\nthird\n")),
            ["first", "second", "third"]
        );
        assert_eq!(doc_lines(Some("a\u{0}b\tc\u{7}")), ["ab\tc"]);
        assert_eq!(doc_lines(None), Vec::<String>::new());
    }

    #[test]
    fn string_literals_quote_as_python_repr_does() {
        assert_eq!(py_str("abc"), "\"abc\"");
        assert_eq!(py_str("it's"), "\"it's\"");
        assert_eq!(py_str("say \"hi\""), "'say \"hi\"'");
        assert_eq!(py_str("both ' and \""), "\"both ' and \\\"\"");
        assert_eq!(py_str("a\\b\nc\u{1}"), "\"a\\\\b\\nc\\x01\"");
        assert_eq!(py_str("größe"), "\"größe\"");
    }

    #[test]
    fn bind_like_colons_are_found_as_sqlalchemy_finds_them() {
        assert!(!has_bind_like("'2024-01-31 12:00:00'"));
        assert!(!has_bind_like("x::int"));
        assert!(!has_bind_like("':a:'"));
        assert!(has_bind_like("'a :ab: b'"));
        assert!(has_bind_like("':name'"));
    }

    #[test]
    fn reserved_names_get_a_trailing_underscore() {
        assert_eq!(attr_name("from"), "from_");
        assert_eq!(attr_name("metadata"), "metadata_");
        assert_eq!(attr_name("str"), "str_");
        assert_eq!(attr_name("email"), "email");
        assert_eq!(attr_name("__x"), "f__x");
    }
}
