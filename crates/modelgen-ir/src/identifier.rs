//! The one rule for names that reach Rust, SQL and Python: every front end (the spec, the
//! derive) and every reader of modelgen's own files (the migration snapshot) applies it,
//! so a name that passes needs no quoting trick anywhere.

/// Why a name cannot be used, if it cannot: names must be identifiers in Rust and in
/// every SQL dialect (Unicode XID, as Rust defines them), so no quoting trick is needed.
pub fn check_identifier(name: &str) -> Result<(), String> {
    let Some(first) = name.chars().next() else {
        return Err("is empty".into());
    };
    if name == "_" {
        return Err("is `_`, which Rust reserves".into());
    }
    // Rust keywords become raw identifiers (`r#type`), except these four, which cannot.
    if matches!(name, "self" | "Self" | "super" | "crate") {
        return Err(format!("is `{name}`, which Rust cannot use as a name even as r#{name}"));
    }
    if first.is_ascii_digit() {
        return Err("starts with a digit".into());
    }
    let letter = |i: usize, c: char| {
        if i == 0 {
            c == '_' || unicode_ident::is_xid_start(c)
        } else {
            unicode_ident::is_xid_continue(c)
        }
    };
    if let Some((i, bad)) = name.char_indices().find(|&(i, c)| !letter(i, c)) {
        return Err(match bad {
            c if c.is_whitespace() => "contains whitespace".into(),
            '\0' => "contains a NUL byte".into(),
            c if c.is_control() => "contains a control character".into(),
            // Markdown-style quoting cannot show a backtick.
            '`' => "contains a backtick".into(),
            c if i == 0 => format!("starts with `{c}`"),
            c => format!("contains `{c}`"),
        });
    }
    if let Some(wide) = name.chars().find(|&c| u32::from(c) > 0xFFFF) {
        return Err(format!(
            "contains `{wide}`, beyond U+FFFF, which MySQL and MariaDB cannot hold in a name"
        ));
    }
    if !unicode_normalization::is_nfkc(name) {
        // rustc refuses such identifiers, and two spellings of one name would pass as two.
        return Err(
            "is not in Unicode normal form NFKC (a ligature, a compatibility letter or a decomposed accent)".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_allow_keywords_and_unicode_but_not_punctuation() {
        for ok in ["user", "select", "type", "_x", "größe", "Order2"] {
            assert_eq!(check_identifier(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("", "is empty"),
            ("my field", "contains whitespace"),
            ("a\"b", "contains `\"`"),
            ("a/b", "contains `/`"),
            ("..", "starts with `.`"),
            ("a.b", "contains `.`"),
            ("1x", "starts with a digit"),
            ("_", "is `_`, which Rust reserves"),
            ("self", "is `self`, which Rust cannot use as a name even as r#self"),
            ("..", "starts with `.`"),
            ("a.b", "contains `.`"),
            ("٣x", "starts with `٣`"),
            ("a;b", "contains `;`"),
        ] {
            assert_eq!(check_identifier(bad), Err(why.to_string()), "{bad:?}");
        }
    }
}
