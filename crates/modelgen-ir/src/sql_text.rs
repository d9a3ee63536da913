//! SQL a spec hands to the database as written (a server default such as
//! `gen_random_uuid()`), checked only so it stays one expression in every file it goes
//! into: modelgen does not parse SQL, each database does.

/// Whether `text` can stand as one SQL expression in a generated statement: not empty, no
/// `;`, no comments, quotes closed and parentheses balanced outside quotes, no control
/// characters but line breaks and tabs. `Err` says what is wrong.
pub fn check_sql_expression(text: &str) -> Result<(), String> {
    crate::check_text(text).map_err(|why| format!("SQL without control or bidirectional characters; this {why}"))?;
    if text.trim().is_empty() {
        return Err("an SQL expression, not empty text".into());
    }
    let mut depth = 0usize;
    let mut quote = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                // A doubled quote is the quote character itself.
                if chars.peek() == Some(&q) {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' if depth == 0 => return Err("one SQL expression; this one closes a `)` it never opened".into()),
            ')' => depth -= 1,
            ';' => return Err("one SQL expression, without `;`".into()),
            '-' if chars.peek() == Some(&'-') => return Err("one SQL expression, without `--` comments".into()),
            '/' if chars.peek() == Some(&'*') => return Err("one SQL expression, without `/*` comments".into()),
            // MySQL and MariaDB read `#` as a comment.
            '#' => return Err("one SQL expression, without `#` (a comment on MySQL)".into()),
            _ => {}
        }
    }
    match (quote, depth) {
        (Some(q), _) => Err(format!("one SQL expression; this one leaves a `{q}` open")),
        (None, 0) => Ok(()),
        (None, _) => Err("one SQL expression; this one leaves a `(` open".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::check_sql_expression as check;

    #[test]
    fn expressions_pass_and_statements_comments_and_open_quotes_do_not() {
        for ok in [
            "gen_random_uuid()",
            "(lower(hex(randomblob(16))))",
            "'it''s; -- fine'",
            "\"quoted\"\"name\" + 1",
            "CURRENT_TIMESTAMP",
            "(1 +\n 2)",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("", "not empty"),
            ("1; DROP TABLE users", "without `;`"),
            ("1 -- two", "`--` comments"),
            ("1 /* two */", "`/*` comments"),
            ("1 # two", "`#`"),
            ("'open", "leaves a `'` open"),
            ("(1", "leaves a `(` open"),
            ("1)", "closes a `)`"),
            ("a\u{0}b", "control"),
        ] {
            let err = check(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }
}
