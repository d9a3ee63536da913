//! Graphviz DOT: one HTML-like table node per table (column, type, keys) and one edge per
//! foreign key, drawn in crow's foot notation from the referenced column to the key column
//! and labelled with the key. `dot -Tsvg` turns it into an image.

use crate::er::{self, Link, Unique};
use modelgen_ir::Schema;
use std::fmt::Write;

/// Header colours: model tables, and the join tables modelgen made.
const MODEL_HEADER: &str = "#dbe6f4";
const JOIN_HEADER: &str = "#e8e8e8";

/// The schema as a Graphviz digraph. Types are the spec spelling, with `?` for nullable.
pub fn dot(schema: &Schema) -> String {
    let diagram = er::diagram(schema);
    let mut out = String::from(concat!(
        "digraph schema {\n",
        "    graph [rankdir=LR, nodesep=0.5, ranksep=1.2, fontname=\"Helvetica\"];\n",
        "    node [shape=plain, fontname=\"Helvetica\", fontsize=11];\n",
        "    edge [dir=both, color=\"#555555\", fontname=\"Helvetica\", fontsize=10];\n",
    ));
    for entity in &diagram.entities {
        let header = if entity.join { JOIN_HEADER } else { MODEL_HEADER };
        let _ = writeln!(out, "\n    {} [label=<", id(entity.table));
        out.push_str("        <table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n");
        let _ = writeln!(
            out,
            "            <tr><td colspan=\"3\" bgcolor=\"{header}\"><b>{}</b></td></tr>",
            html(entity.table)
        );
        for attribute in &entity.attributes {
            let ty = format!("{}{}", attribute.ty, if attribute.nullable { "?" } else { "" });
            let mut keys = attribute.markers().join(" ");
            if attribute.unique == Some(Unique::LiveRows) {
                keys.push_str(" (live)");
            }
            let _ = writeln!(
                out,
                "            <tr><td port=\"{name}\" align=\"left\">{name}</td><td align=\"left\">{}</td><td align=\"left\">{}</td></tr>",
                html(&ty),
                html(&keys),
                name = html(attribute.name),
            );
        }
        out.push_str("        </table>>];\n");
    }
    if !diagram.links.is_empty() {
        out.push('\n');
    }
    for link in &diagram.links {
        let (head, tail) = arrows(link);
        let _ = writeln!(
            out,
            "    {} -> {}:{}:w [label={}, arrowtail={tail}, arrowhead={head}];",
            id(link.parent),
            id(link.child),
            id(&link.columns[0]),
            id(&link.label())
        );
    }
    out.push_str("}\n");
    out
}

/// Crow's foot arrow shapes, nearest the node first: the tail sits at the referenced
/// table (`teetee` exactly one, `teeodot` zero or one), the head at the key's table
/// (`crowodot` zero or more, `teeodot` zero or one).
fn arrows(link: &Link) -> (&'static str, &'static str) {
    let tail = if link.optional { "teeodot" } else { "teetee" };
    let head = if link.one_to_one { "teeodot" } else { "crowodot" };
    (head, tail)
}

/// A DOT quoted ID.
fn id(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Text inside an HTML-like label.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_html_are_escaped() {
        assert_eq!(id("select"), "\"select\"");
        assert_eq!(id("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(html("map[list[str]]"), "map[list[str]]");
        assert_eq!(html("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
