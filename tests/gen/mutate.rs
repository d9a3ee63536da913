//! Mutations: what a fuzzer does to spec text, from bit flips to deep nesting.

use proptest::prelude::*;

/// One edit of spec bytes.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flip one bit of the byte at a position.
    FlipBit(usize, u8),
    /// Cut the text at a position.
    Truncate(usize),
    /// Insert a token of YAML or of the spec language at a position.
    Insert(usize, usize),
    /// Delete a byte range.
    Delete(usize, usize),
    /// Repeat a line (duplicated keys, most of the time).
    DuplicateLine(usize),
    /// Swap a value for an anchored one and refer to it by alias elsewhere.
    AnchorAlias(usize, usize),
    /// Wrap a line's value in deep nesting.
    Nest(usize, usize),
    /// Replace a byte with one that is not valid UTF-8 alone.
    BadUtf8(usize, u8),
    /// Replace a word with another word of the spec language.
    SwapWord(usize, usize),
    /// Put a YAML escape of a character no generated file may hold (a NUL, a carriage
    /// return, a bidirectional control, a line separator, …) into the double-quoted
    /// string nearest a position: a name, a doc, a default, a path.
    EscapeInString(usize, usize),
}

/// YAML escapes of the characters `modelgen_ir::check_text` refuses, and of some it keeps.
const ESCAPES: &[&str] = &[
    "\\0",
    "\\r",
    "\\e",
    "\\x7f",
    "\\x85",
    "\\u202e",
    "\\u202a",
    "\\u2066",
    "\\u2069",
    "\\u200e",
    "\\u200f",
    "\\u061c",
    "\\u2028",
    "\\u2029",
    "\\x1b[31m",
    "\\n",
    "\\t",
    "\\u00e9",
];

/// Tokens a spec author (or an attacker) might type.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    ":", " ", "\n", "- ", "[", "]", "{", "}", ",", "?", "\"", "'", "#", "&a ", "*a", "!!str ", "!!binary ", "<<: ",
    "---\n", "...\n", "|\n  ", ">\n  ", "\t", "pk", " unique", " index", "str(", ")", "decimal(10,", "list[",
    "map[", "null", "~", "true", "1e999", "-1", "0x10", "99999999999999999999", "\u{feff}", "\0", "\u{2028}", "é",
    "名前", "models:", "fields:", "table: ", "foreign_key: ", "relations:", "mixins: [timestamps]", "through: t",
    "back_populates: x", "default: ", "server_default: ", "server_default_sql: ", "on_update: now", "renamed_from: x", "output:",
    "\n  X:\n    fields:\n      id: int pk\n", "indexes: [{columns: [id]}]", "uniques: [[id]]", "id: int pk", "\r",
    "\r\n", "%YAML 1.2\n", "&", "*", "@", "`",
    "foreign_keys: [{columns: [id, id], references: X}]", "references: \"X(id, id)\"", "foreign_key: [id, x]",
    "autoincrement: serial", "autoincrement: {sequence: s}", "(", ",)",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "int", "bigint", "str(1)", "text", "json", "list[str]", "map[int]", "uuid", "date", "datetime(tz)", "bool",
    "float", "decimal(1,1)", "pk", "unique", "index", "secret", "nullable", "autoincrement", "true", "false",
    "many_to_one", "one_to_many", "many_to_many", "cascade", "set_null", "now", "timestamps", "soft_delete", "id",
    "live", "table", "name", "columns", "foreign_keys", "references", "serial", "identity", "sequence",
    "one_to_one",
];

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..8u8).prop_map(|(p, b)| Mutation::FlipBit(p, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        (any::<usize>(), 1..40usize).prop_map(|(p, n)| Mutation::Delete(p, n)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::AnchorAlias(a, b)),
        (any::<usize>(), 1..300usize).prop_map(|(p, n)| Mutation::Nest(p, n)),
        (any::<usize>(), 0x80..=0xffu8).prop_map(|(p, b)| Mutation::BadUtf8(p, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(p, w)| Mutation::SwapWord(p, w)),
        (any::<usize>(), any::<usize>()).prop_map(|(p, e)| Mutation::EscapeInString(p, e)),
    ]
}

fn line_starts(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < text.len())
        .collect()
}

impl Mutation {
    pub fn apply(&self, text: &mut Vec<u8>) {
        let at = |p: usize, text: &Vec<u8>| if text.is_empty() { 0 } else { p % (text.len() + 1) };
        match *self {
            Mutation::FlipBit(p, bit) if !text.is_empty() => {
                let i = p % text.len();
                text[i] ^= 1 << bit;
            }
            Mutation::Truncate(p) => text.truncate(at(p, text)),
            Mutation::Insert(p, t) => {
                let i = at(p, text);
                let token = TOKENS[t % TOKENS.len()].as_bytes();
                text.splice(i..i, token.iter().copied());
            }
            Mutation::Delete(p, n) => {
                let i = at(p, text);
                let end = (i + n).min(text.len());
                text.drain(i..end);
            }
            Mutation::DuplicateLine(p) => {
                let starts = line_starts(text);
                if let Some(&s) = starts.get(p % starts.len().max(1)) {
                    let e = text[s..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(text.len(), |n| s + n + 1);
                    let line: Vec<u8> = text[s..e].to_vec();
                    text.splice(e..e, line);
                }
            }
            Mutation::AnchorAlias(a, b) => {
                // `key: value` → `key: &x value` on one line, and another line's value → `*x`.
                let starts = line_starts(text);
                if starts.len() < 2 {
                    return;
                }
                let colon = |s: usize, text: &Vec<u8>| {
                    let e = text[s..].iter().position(|c| *c == b'\n').map_or(text.len(), |n| s + n);
                    text[s..e].windows(2).position(|w| w == b": ").map(|c| (s + c + 2, e))
                };
                let (la, lb) = (starts[a % starts.len()], starts[b % starts.len()]);
                if let (Some((va, _)), Some((vb, eb))) = (colon(la, text), colon(lb, text)) {
                    if la < lb {
                        text.splice(vb..eb, b"*x".iter().copied());
                        text.splice(va..va, b"&x ".iter().copied());
                    }
                }
            }
            Mutation::Nest(p, n) => {
                let i = at(p, text);
                let (open, close) = if n % 2 == 0 { ("[", "]") } else { ("{a: ", "}") };
                let mut wrapped = open.repeat(n).into_bytes();
                wrapped.extend_from_slice(b"x");
                wrapped.extend(close.repeat(n).into_bytes());
                text.splice(i..i, wrapped);
            }
            Mutation::EscapeInString(p, e) => {
                // Just after the nearest opening quote at or before the position.
                let i = at(p, text);
                if let Some(q) = text[..i].iter().rposition(|c| *c == b'"') {
                    let escape = ESCAPES[e % ESCAPES.len()].as_bytes();
                    text.splice(q + 1..q + 1, escape.iter().copied());
                }
            }
            Mutation::BadUtf8(p, byte) if !text.is_empty() => {
                let i = p % text.len();
                text[i] = byte;
            }
            Mutation::SwapWord(p, w) => {
                let i = at(p, text);
                let start = text[..i]
                    .iter()
                    .rposition(|c| !c.is_ascii_alphanumeric() && *c != b'_')
                    .map_or(0, |s| s + 1);
                let end = text[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric() && *c != b'_')
                    .map_or(text.len(), |e| i + e);
                text.splice(start..end, WORDS[w % WORDS.len()].bytes());
            }
            _ => {}
        }
    }
}
