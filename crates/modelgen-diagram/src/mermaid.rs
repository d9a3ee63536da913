//! Mermaid `erDiagram` text, the notation GitHub and most Markdown viewers render.
//!
//! Mermaid's grammar is narrower than modelgen's names and types, so everything that is
//! not a plain word is made safe: table names and labels are always quoted (which also
//! keeps names like `one` or `many` from reading as cardinality words), and attribute
//! words (types and column names) keep only the characters every Mermaid version accepts
//! there, with the spec spelling of an altered column name kept in its comment.

use crate::er::{self, Link, Unique};
use modelgen_ir::Schema;
use std::fmt::Write;

/// The schema as a Mermaid `erDiagram`: every table with its columns (logical type, name,
/// `PK`/`FK`/`UK`, nullability as a comment), then one relationship per foreign key.
pub fn mermaid(schema: &Schema) -> String {
    let diagram = er::diagram(schema);
    let mut out = String::from("erDiagram\n");
    for entity in &diagram.entities {
        let _ = writeln!(out, "    {} {{", quoted(entity.table));
        for attribute in &entity.attributes {
            let name = attribute_word(attribute.name);
            let mut line = format!("        {} {name}", attribute_word(&attribute.ty.to_string()));
            let markers = attribute.markers();
            if !markers.is_empty() {
                line.push(' ');
                line.push_str(&markers.join(", "));
            }
            let mut notes = Vec::new();
            if attribute.nullable {
                notes.push("nullable".to_owned());
            }
            if attribute.unique == Some(Unique::LiveRows) {
                notes.push("unique among live rows".to_owned());
            }
            if name != attribute.name {
                notes.push(format!("column {}", attribute.name));
            }
            if !notes.is_empty() {
                line.push(' ');
                line.push_str(&quoted(&notes.join(", ")));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for link in &diagram.links {
        let _ = writeln!(
            out,
            "    {} {} {} : {}",
            quoted(link.parent),
            relationship(link),
            quoted(link.child),
            quoted(&link.label())
        );
    }
    out
}

/// Crow's foot ends: the left one says how many parents a child has, the right one how
/// many children a parent has.
fn relationship(link: &Link) -> String {
    let parent = if link.optional { "|o" } else { "||" };
    let children = if link.one_to_one { "o|" } else { "o{" };
    format!("{parent}--{children}")
}

/// A quoted entity name, label or comment. Mermaid's quoted names may not hold `"`, `%`,
/// `\` or line breaks (modelgen names never do; this keeps any input parseable).
fn quoted(text: &str) -> String {
    let safe: String = text
        .chars()
        .map(|c| match c {
            '"' | '%' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    format!("\"{safe}\"")
}

/// A type or column name as one Mermaid attribute word: ASCII letters, digits, `_`, `-`,
/// brackets and parentheses, starting with a letter or `_`; anything else becomes `_`, so
/// `decimal(10,2)` reads `decimal(10_2)`. Mermaid 11 accepts more (commas, letters past
/// ASCII), but Mermaid 10, still bundled by many viewers, rejects them. A word Mermaid
/// reads as a key marker (`pk`, `FK`, `uk`, in any case) gets a trailing `_`.
fn attribute_word(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let ok = if i == 0 {
            c.is_ascii_alphabetic() || c == '_'
        } else {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '[' | ']' | '(' | ')')
        };
        out.push(if ok { c } else { '_' });
    }
    if out.is_empty() || ["pk", "fk", "uk"].contains(&out.to_ascii_lowercase().as_str()) {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_words_keep_what_mermaid_accepts() {
        assert_eq!(attribute_word("str(255)"), "str(255)");
        assert_eq!(attribute_word("datetime(tz)"), "datetime(tz)");
        assert_eq!(attribute_word("map[list[int]]"), "map[list[int]]");
        assert_eq!(attribute_word("decimal(10,2)"), "decimal(10_2)");
        assert_eq!(attribute_word("größe"), "gr__e");
        assert_eq!(attribute_word("µs"), "_s");
        assert_eq!(attribute_word("pk"), "pk_");
        assert_eq!(attribute_word("Uk"), "Uk_");
        assert_eq!(attribute_word("pk_id"), "pk_id");
        assert_eq!(attribute_word(""), "_");
    }

    #[test]
    fn quoted_text_cannot_end_the_quote() {
        assert_eq!(quoted("users"), "\"users\"");
        assert_eq!(quoted("a\"b%c\\d\ne"), "\"a_b_c_d_e\"");
    }
}
