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

/// Why a piece of text (a doc, a default, an output path) cannot reach a generated file,
/// if it cannot: control characters other than line feed and tab, which SQL clients stop
/// at (a NUL ends the line `psql` and `sqlite3` read, and the next text runs as SQL) or
/// lay out otherwise (a carriage return); and the Unicode characters that reorder or
/// break lines in editors and reviews without showing (bidirectional controls, line and
/// paragraph separators), which rustc refuses in source and which can hide code.
pub fn check_text(text: &str) -> Result<(), String> {
    let Some((at, c)) = text.chars().enumerate().find(|&(_, c)| forbidden(c)) else {
        return Ok(());
    };
    let what = match c {
        '\0' => "a NUL",
        '\r' => "a carriage return (write line breaks as `\\n`)",
        c if c.is_control() => "a control character",
        '\u{2028}' | '\u{2029}' => "a Unicode line or paragraph separator",
        _ => "a bidirectional control, which can make text read in another order than it runs",
    };
    Err(format!("holds U+{:04X} ({what}) at character {}", u32::from(c), at + 1))
}

fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_may_hold_line_breaks_and_tabs_but_nothing_that_hides_or_cuts_it() {
        assert_eq!(
            check_text("two\nlines\tand 10% 'quoted' \"x\" $$ -- /* ünïcode"),
            Ok(())
        );
        for bad in [
            "a\0b",
            "a\rb",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{202e}b",
            "a\u{2066}b",
            "a\u{200f}b",
            "a\u{2028}b",
            "a\u{1b}[31m",
        ] {
            assert!(check_text(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(
            check_text("ok\u{202e}"),
            Err("holds U+202E (a bidirectional control, which can make text read in another order than it runs) at character 3".into())
        );
    }

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
