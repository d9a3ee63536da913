//! SQL text as catalogs give it back, read as the spec would say it.

use modelgen_ir::{DefaultValue, Dialect, LogicalType};
use std::collections::BTreeMap;

/// A default as the catalog gives it back, as the spec would have said it: a literal
/// of the column's type or `now` where it is one, the SQL itself otherwise.
pub(crate) fn server_default(dialect: Dialect, sql: &str, ty: &LogicalType) -> DefaultValue {
    let text = without_casts(&if dialect == Dialect::Mysql {
        standard_quotes(sql.trim())
    } else {
        sql.trim().to_owned()
    });
    let text = text.trim();
    // One string literal: no quote inside but doubled ones.
    let quoted = text
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .filter(|t| !t.replace("''", "").contains('\''))
        .map(|t| t.replace("''", "'"));
    // What each database gives back of the `now` modelgen writes (PostgreSQL's naive
    // `datetime` is UTC: `timezone('utc', now())`).
    let now = matches!(
        strip_parens(text).to_ascii_lowercase().as_str(),
        "current_timestamp"
            | "current_timestamp()"
            | "now()"
            | "current_date"
            | "curdate()"
            | "current_time"
            | "timezone('utc', now())"
    );
    let literal = match ty {
        LogicalType::Bool { .. } => match text.to_ascii_lowercase().as_str() {
            "0" | "false" => Some(DefaultValue::Bool(false)),
            "1" | "true" => Some(DefaultValue::Bool(true)),
            _ => None,
        },
        LogicalType::SmallInt | LogicalType::Int | LogicalType::BigInt => {
            quoted.as_deref().unwrap_or(text).parse().ok().map(DefaultValue::Int)
        }
        LogicalType::Float => quoted.as_deref().unwrap_or(text).parse().ok().map(DefaultValue::Float),
        LogicalType::Decimal { .. } => {
            let t = quoted.as_deref().unwrap_or(text);
            // MySQL gives `0` back as `0.00`: the digits that count.
            let t = match t.contains('.') {
                true => t.trim_end_matches('0').trim_end_matches('.'),
                false => t,
            };
            t.parse::<f64>().ok().map(|_| DefaultValue::Decimal(t.to_owned()))
        }
        LogicalType::DateTime { .. } | LogicalType::Date | LogicalType::Time if now => Some(DefaultValue::Now),
        LogicalType::Json { .. } => quoted
            .or_else(|| {
                text.strip_prefix("('")
                    .and_then(|t| t.strip_suffix("')"))
                    .map(|t| t.replace("''", "'"))
            })
            .map(DefaultValue::Json),
        // SQLite and MySQL keep a UUID as 32 hex digits; the spec writes it hyphenated.
        LogicalType::Uuid => quoted
            .map(|q| match q.len() == 32 && q.chars().all(|c| c.is_ascii_hexdigit()) {
                true => format!("{}-{}-{}-{}-{}", &q[..8], &q[8..12], &q[12..16], &q[16..20], &q[20..]),
                false => q,
            })
            .map(DefaultValue::Str),
        _ => quoted.map(DefaultValue::Str),
    };
    literal.unwrap_or_else(|| DefaultValue::Sql(BTreeMap::from([(dialect, sql.trim().to_owned())])))
}

/// `'a'::character varying` → `'a'`: PostgreSQL's casts on what it gives back.
pub(crate) fn without_casts(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if !quoted && c == ':' && chars.peek() == Some(&':') {
            chars.next();
            // The type: words, spaces between words, and a parenthesized length.
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || matches!(d, '_' | '"' | '.') {
                    chars.next();
                } else if d == '[' && chars.clone().nth(1) == Some(']') {
                    // An array type, `text[]`.
                    chars.next();
                    chars.next();
                } else if d == ' ' {
                    let mut ahead = chars.clone();
                    ahead.next();
                    if ahead.peek().is_some_and(|n| n.is_alphabetic()) && !is_keyword_after(&ahead) {
                        chars.next();
                    } else {
                        break;
                    }
                } else if d == '(' {
                    for e in chars.by_ref() {
                        if e == ')' {
                            break;
                        }
                    }
                } else {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether the word ahead is an operator keyword, not the next word of a type name.
fn is_keyword_after(ahead: &std::iter::Peekable<std::str::Chars>) -> bool {
    let word: String = ahead.clone().take_while(|c| c.is_alphabetic()).collect();
    matches!(
        word.to_ascii_uppercase().as_str(),
        "AND" | "OR" | "IS" | "IN" | "NOT" | "LIKE" | "BETWEEN"
    )
}

/// PostgreSQL gives `x IN ('a', 'b')` back as `x = ANY ((ARRAY['a', 'b']))` (and `NOT
/// IN` as `<> ALL (…)`), once its casts are gone: the list again.
fn any_as_in(sql: &str) -> String {
    let mut out = sql.to_owned();
    for (from, to) in [("= ANY (", "IN ("), ("<> ALL (", "NOT IN (")] {
        let mut searched = 0;
        while let Some(found) = out[searched..].find(from) {
            let at = searched + found;
            searched = at + from.len();
            let rest = &out[at + from.len()..];
            let extra = rest.len() - rest.trim_start_matches('(').len();
            let Some(list) = rest[extra..].strip_prefix("ARRAY[") else {
                continue;
            };
            let Some(end) = list_end(list) else { continue };
            let closing = ")".repeat(extra + 1);
            let Some(after) = list[end + 1..].strip_prefix(closing.as_str()) else {
                continue;
            };
            out = format!("{}{to}{}){after}", &out[..at], &list[..end]);
        }
    }
    out
}

/// Where the `]` that ends an array's items is, quotes skipped.
fn list_end(list: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in list.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ']' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// SQL text in the spec's check language: casts gone, quoted names plain.
pub(crate) fn portable(sql: &str) -> String {
    let text = any_as_in(&without_casts(&standard_quotes(sql)));
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '`' => {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    out.push(d);
                }
            }
            '\'' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\'' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    // MySQL's spelling of the check language's `length`.
    out.replace("char_length(", "length(")
}

/// MariaDB gives a quote inside a string back as `\'`: standard SQL doubles it.
fn standard_quotes(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let (mut quoted, mut chars) = (false, sql.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => match chars.next() {
                Some('\'') => out.push_str("''"),
                Some(d) => out.push(d),
                None => {}
            },
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `(x)` → `x`, when the first parenthesis closes last.
pub(crate) fn strip_parens(sql: &str) -> String {
    let t = sql.trim();
    if t.starts_with('(') && t.ends_with(')') {
        let mut depth = 0;
        for (i, c) in t.char_indices() {
            depth += i32::from(c == '(') - i32::from(c == ')');
            if depth == 0 && i < t.len() - 1 {
                return t.to_owned();
            }
        }
        return t[1..t.len() - 1].to_owned();
    }
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_and_quotes_are_taken_off_what_the_catalog_gives_back() {
        assert_eq!(without_casts("'draft'::character varying"), "'draft'");
        assert_eq!(without_casts("'0.00'::numeric(12,2)"), "'0.00'");
        assert_eq!(portable("((\"status\")::text = 'a::b'::text)"), "((status) = 'a::b')");
        assert_eq!(portable("(kind)::text IS NOT NULL"), "(kind) IS NOT NULL");
        assert_eq!(
            portable("((v)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
            "((v) IN ('a', 'b'))"
        );
    }

    #[test]
    fn defaults_read_as_the_spec_would_say_them() {
        let d = |sql, ty: LogicalType| server_default(Dialect::Postgres, sql, &ty);
        assert_eq!(d("0", LogicalType::Int), DefaultValue::Int(0));
        assert_eq!(
            d("false", LogicalType::Bool { check: false }),
            DefaultValue::Bool(false)
        );
        assert_eq!(
            d("'abc'::character varying", LogicalType::Text),
            DefaultValue::Str("abc".into())
        );
        assert_eq!(
            d("CURRENT_TIMESTAMP", LogicalType::DateTime { timezone: false }),
            DefaultValue::Now
        );
        assert_eq!(
            d("gen_random_uuid()", LogicalType::Uuid),
            DefaultValue::Sql(BTreeMap::from([(Dialect::Postgres, "gen_random_uuid()".to_owned())]))
        );
    }
}
