//! Spec generators shared by the property tests (`fuzz.rs`, `valid_output.rs`): valid
//! specs built from the spec grammar (docs/spec.md) with names from a hostile corpus,
//! the YAML text they are written as, and mutations of that text.
//!
//! Generation is in two steps so proptest can shrink it: a [`Draft`] is plain random
//! choices (indexes into tables of names, types and defaults), and [`Draft::build`]
//! turns it into a [`Spec`] that follows the spec's rules, skipping or renaming what
//! would break one (a name taken twice, a foreign key to a model with a composite key).

mod draft;
mod mutate;

pub use draft::{draft, valid_spec, Draft};
pub use mutate::{mutation, Mutation};

use proptest::prelude::*;
use std::fmt::Write;

/// SQL reserved words of SQLite, PostgreSQL and MySQL/MariaDB, and PostgreSQL's system
/// column names.
#[rustfmt::skip]
pub const SQL_WORDS: &[&str] = &[
    "select", "order", "group", "user", "table", "key", "index", "from", "where", "desc", "limit", "check",
    "default", "references", "primary", "column", "constraint", "all", "and", "or", "not", "null", "true", "false",
    "in", "is", "like", "join", "union", "values", "create", "drop", "alter", "grant", "window", "range", "rows",
    "partition", "offset", "returning", "current_user", "authorization", "natural", "collate", "end", "case",
    "when", "then", "cast", "distinct", "having", "asc", "foreign", "unique", "exists", "glob", "regexp", "pragma",
    "vacuum", "rowid", "oid", "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "interval", "dual", "int",
    "varchar", "timestamp", "status", "comment", "lock", "option", "schema", "database", "trigger", "function",
    "delete", "insert", "update", "set", "into", "by", "on", "to", "with", "for", "if", "usage", "analyse",
    "fulltext",
];

/// Rust keywords (strict, reserved and weak), and names the generated code or its
/// crates already use.
#[rustfmt::skip]
pub const RUST_WORDS: &[&str] = &[
    "type", "fn", "match", "async", "await", "dyn", "try", "abstract", "yield", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "struct", "enum", "impl", "trait", "mod", "use",
    "pub", "let", "loop", "while", "if", "else", "return", "ref", "mut", "move", "static", "const", "unsafe",
    "extern", "as", "gen", "union", "raw", "safe", "macro_rules", "new", "New", "columns", "COLUMNS", "Some",
    "None", "Result", "Ok", "Err", "Box", "Clone", "Copy", "Sized", "Drop", "str", "i32", "bool", "std", "core",
    "serde", "serde_json", "chrono", "uuid", "rust_decimal", "sqlx", "modelgen", "models", "self_", "super_",
    "crate_", "Self_", "is_deleted", "r", "id",
];

/// Letters beyond ASCII: accents, ß, Greek (with its two lower-case sigmas), CJK, a
/// title-case digraph, a ligature, a dotted capital I and a letter outside the BMP.
#[rustfmt::skip]
pub const UNICODE_WORDS: &[&str] = &[
    "é", "ß", "Ω", "名前", "größe", "naïve", "Ärger", "Ωmega", "σ", "ς", "Σ", "ǅ", "İ", "ı", "ﬁeld", "𠀋", "имя",
    "δέλτα", "日付",
];

/// Names past PostgreSQL's 63 bytes and MySQL's 64 characters, some sharing a long prefix.
#[rustfmt::skip]
pub const LONG_WORDS: &[&str] = &[
    "an_identifier_that_is_longer_than_sixty_three_bytes_in_postgresql_a",
    "an_identifier_that_is_longer_than_sixty_three_bytes_in_postgresql_b",
    "exactly_sixty_four_characters_long_which_is_the_mysql_limit_xyzw",
    "exactly_sixty_three_characters_long_which_is_postgresql_limit_x", "äääääääääääääääääääääääääääääääääää",
    "名名名名名名名名名名名名名名名名名名名名名名", "ThisModelNameIsLongEnoughThatItsTableNameGoesPastEveryDatabaseLimit",
];

/// Plain names, so not every name is hostile.
#[rustfmt::skip]
pub const PLAIN_WORDS: &[&str] = &[
    "name", "email", "title", "amount", "owner", "item", "note", "label", "code",
];

fn corpus() -> Vec<&'static str> {
    [SQL_WORDS, RUST_WORDS, UNICODE_WORDS, LONG_WORDS, PLAIN_WORDS].concat()
}

/// A name as drawn: a word of the corpus and how to case it.
#[derive(Debug, Clone, Copy)]
pub struct NameChoice {
    word: usize,
    case: u8,
}

impl NameChoice {
    fn spell(self, words: &[&str]) -> String {
        let w = words[self.word % words.len()];
        match self.case % 4 {
            0 | 1 => w.to_owned(),
            2 => w.to_uppercase(),
            _ => {
                let mut c = w.chars();
                c.next()
                    .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
            }
        }
    }
}

fn name_choice() -> impl Strategy<Value = NameChoice> {
    (any::<usize>(), any::<u8>()).prop_map(|(word, case)| NameChoice { word, case })
}

/// A column type of the spec language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str(u32),
    Text,
    SmallInt,
    Int,
    BigInt,
    Float,
    Decimal(u32, u32),
    Bool,
    /// `bool(check)`.
    BoolCheck,
    DateTime {
        tz: bool,
    },
    Date,
    Time,
    Bytes,
    /// `bytes(n)`: VARBINARY(n) on MySQL.
    BytesN(u32),
    Uuid,
    Json(&'static str),
    /// An inline enum of these values.
    Enum(&'static str),
}

const STR_LENGTHS: [u32; 6] = [1, 8, 20, 50, 255, 700];
// SQLite, the default dialect, keeps 15 significant digits: wider decimals are refused there.
const DECIMALS: [(u32, u32); 4] = [(10, 2), (12, 4), (5, 0), (15, 6)];
/// Values with hyphens, quotes, case and non-ASCII letters, each its own Rust variant.
const ENUMS: [&str; 3] = ["draft, in-review, published", "ünï, it's, x9", "low, HIGH, mid_way"];
const JSON_SHAPES: [&str; 6] = [
    "json",
    "list[str]",
    "map[int]",
    "list[list[float]]",
    "map[list[str]]",
    "list[bool]",
];

impl Ty {
    fn from_choice(n: usize) -> Ty {
        match n % 17 {
            0 | 1 => Ty::Str(STR_LENGTHS[(n / 16) % STR_LENGTHS.len()]),
            2 => Ty::Text,
            3 | 4 => Ty::Int,
            5 => Ty::BigInt,
            6 => Ty::Float,
            7 => {
                let (p, s) = DECIMALS[(n / 16) % DECIMALS.len()];
                Ty::Decimal(p, s)
            }
            8 if (n / 17).is_multiple_of(3) => Ty::BoolCheck,
            8 => Ty::Bool,
            9 => Ty::DateTime { tz: false },
            10 => Ty::DateTime { tz: true },
            11 => Ty::Date,
            12 => Ty::Uuid,
            13 => Ty::SmallInt,
            14 => Ty::Time,
            15 if (n / 17).is_multiple_of(2) => Ty::Bytes,
            15 => Ty::BytesN([1, 16, 1000][(n / 34) % 3]),
            _ if (n / 17).is_multiple_of(3) => Ty::Enum(ENUMS[(n / 51) % ENUMS.len()]),
            _ => Ty::Json(JSON_SHAPES[(n / 16) % JSON_SHAPES.len()]),
        }
    }

    pub fn spec(self) -> String {
        match self {
            Ty::Str(n) => format!("str({n})"),
            Ty::Text => "text".into(),
            Ty::SmallInt => "smallint".into(),
            Ty::Int => "int".into(),
            Ty::BigInt => "bigint".into(),
            Ty::Float => "float".into(),
            Ty::Decimal(p, s) => format!("decimal({p},{s})"),
            Ty::Bool => "bool".into(),
            Ty::BoolCheck => "bool(check)".into(),
            Ty::DateTime { tz: false } => "datetime".into(),
            Ty::DateTime { tz: true } => "datetime(tz)".into(),
            Ty::Date => "date".into(),
            Ty::Time => "time".into(),
            Ty::Bytes => "bytes".into(),
            Ty::BytesN(n) => format!("bytes({n})"),
            Ty::Uuid => "uuid".into(),
            Ty::Json(shape) => shape.into(),
            Ty::Enum(values) => format!("enum({values})"),
        }
    }

    /// Whether the type can be a key, indexed or unique: MariaDB indexes TEXT, JSON
    /// (LONGTEXT) and bytes (LONGBLOB) only by a prefix, and PostgreSQL's `json` has no
    /// equality. `bytes(n)` could be, but the generated values of bytes are not distinct;
    /// nor are those of an enum of three values.
    pub fn indexable(self) -> bool {
        !matches!(self, Ty::Text | Ty::Json(_) | Ty::Bytes | Ty::BytesN(_) | Ty::Enum(_))
    }

    /// Default literals (YAML) that fit the type; with `server`, also SQL (marked `sql:`,
    /// written as `server_default_sql`). `server` leaves out the ones
    /// `tests/catalog.rs` reads back differently from what it expects: a literal on
    /// `datetime(tz)` (PostgreSQL adds `+00`) and a UUID of only digits.
    fn defaults(self, server: bool) -> Vec<String> {
        let strs = |n: u32| -> Vec<String> {
            [
                "",
                "x",
                "it's",
                "back\\slash",
                "ünï",
                "名前",
                "with \"quotes\"",
                "semi;colon -- not a comment",
                "10% %s %(x)s",
                "$$ $q$ /* */",
                "two\nlines\tand a tab",
                "עברית عربي",
                "\"); DROP TABLE x; --",
            ]
            .iter()
            .filter(|s| s.chars().count() <= n as usize)
            .map(|s| yaml_str(s))
            .collect()
        };
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        match self {
            Ty::Str(n) => strs(n),
            Ty::Text => strs(u32::MAX),
            Ty::SmallInt => list(&["0", "-32768", "32767"]),
            Ty::Int if server => list(&["0", "7", "-3", "2147483647", "-2147483648", "sql:\"(1 + 2)\""]),
            Ty::Int => list(&["0", "7", "-3", "2147483647", "-2147483648"]),
            Ty::BigInt => list(&["0", "9000000000", "-9000000000"]),
            Ty::Float => list(&["0.5", "1.25", "-2", "0"]),
            Ty::Decimal(_, 0) => list(&["0", "\"-12\"", "3"]),
            Ty::Decimal(..) => list(&["0", "\"1.50\"", "\"-0.5\""]),
            Ty::Bool | Ty::BoolCheck => list(&["true", "false"]),
            Ty::Enum(values) => values.split(", ").map(yaml_str).collect(),
            Ty::DateTime { tz: false } => list(&["now", "\"2000-01-01 00:00:00\"", "\"2024-02-29T12:30:00\""]),
            Ty::DateTime { tz: true } if server => list(&["now"]),
            Ty::DateTime { tz: true } => list(&["now", "\"2024-01-31 12:00:00\""]),
            Ty::Date => list(&["now", "\"2000-01-01\""]),
            Ty::Time => list(&["\"08:30:00\"", "\"00:00:00\""]),
            Ty::Bytes | Ty::BytesN(_) => Vec::new(),
            Ty::Uuid => list(&["\"123e4567-e89b-12d3-a456-426614174000\""]),
            Ty::Json("json") => list(&["{}", "{a: [1, 2]}", "[]", "\"text\""]),
            Ty::Json("list[str]") => list(&["[]", "[read, \"it's\"]", "[\"10%\", \"$$\", \"a\\nb\"]"]),
            Ty::Json("map[int]") => list(&["{}", "{a: 1}"]),
            Ty::Json(shape) if shape.starts_with("map") => list(&["{}"]),
            Ty::Json(_) => list(&["[]"]),
        }
    }
}

/// YAML for a string scalar, double-quoted so nothing in it is read as syntax.
pub fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// What a spec says, as the generator sees it.

#[derive(Debug, Clone)]
pub struct Spec {
    pub models: Vec<Model>,
    pub mixins: Vec<Mixin>,
}

#[derive(Debug, Clone)]
pub struct Mixin {
    pub name: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    /// `None` takes the default, the model name in snake_case.
    pub table: Option<String>,
    pub doc: Option<String>,
    pub comment: Option<String>,
    pub fields: Vec<Field>,
    pub mixins: Vec<String>,
    pub indexes: Vec<Index>,
    pub uniques: Vec<Index>,
    pub relations: Vec<Relation>,
    pub repr: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub nullable: bool,
    pub pk: bool,
    pub unique: bool,
    /// `unique: live`: unique among rows that are not soft-deleted.
    pub live: bool,
    pub index: bool,
    pub secret: bool,
    pub default: Option<String>,
    pub server_default: Option<String>,
    pub on_update: bool,
    pub fk: Option<ForeignKey>,
    pub doc: Option<String>,
    pub comment: Option<String>,
    /// Written as a mapping rather than the one-line shorthand.
    pub long: bool,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    /// `Model`, `Model.field` or `table.column`.
    pub references: String,
    pub on_delete: Option<&'static str>,
    /// The model meant.
    pub target: String,
}

/// An index, or with `unique` and no `name` an unnamed unique constraint.
#[derive(Debug, Clone)]
pub struct Index {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub name: String,
    /// `one_to_many`, `many_to_one` or `many_to_many`.
    pub kind: &'static str,
    pub target: String,
    pub through: Option<String>,
    pub foreign_key: Option<String>,
    pub back_populates: Option<String>,
}

impl Spec {
    pub fn yaml(&self) -> String {
        let mut out = String::new();
        if !self.mixins.is_empty() {
            out.push_str("mixins:\n");
            for m in &self.mixins {
                let _ = writeln!(out, "  {}:\n    fields:", yaml_str(&m.name));
                for f in &m.fields {
                    let _ = writeln!(out, "      {}: {}", yaml_str(&f.name), f.yaml(true));
                }
            }
        }
        out.push_str("models:\n");
        for m in &self.models {
            let _ = writeln!(out, "  {}:", yaml_str(&m.name));
            if let Some(t) = &m.table {
                let _ = writeln!(out, "    table: {}", yaml_str(t));
            }
            if let Some(d) = &m.doc {
                let _ = writeln!(out, "    doc: {}", yaml_str(d));
            }
            if let Some(c) = &m.comment {
                let _ = writeln!(out, "    comment: {}", yaml_str(c));
            }
            out.push_str("    fields:\n");
            // Now and then a composite key in an order of its own, said on the model.
            let key: Vec<String> = m.fields.iter().filter(|f| f.pk).map(|f| f.name.clone()).collect();
            let own_order = key.len() >= 2 && m.name.len() % 2 == 1;
            for f in &m.fields {
                let _ = writeln!(out, "      {}: {}", yaml_str(&f.name), f.yaml(!own_order));
            }
            let list = |names: &[String]| names.iter().map(|n| yaml_str(n)).collect::<Vec<_>>().join(", ");
            if own_order {
                let reversed: Vec<String> = key.into_iter().rev().collect();
                let _ = writeln!(out, "    primary_key: [{}]", list(&reversed));
            }
            if !m.mixins.is_empty() {
                let _ = writeln!(out, "    mixins: [{}]", list(&m.mixins));
            }
            if !m.indexes.is_empty() {
                out.push_str("    indexes:\n");
                for i in &m.indexes {
                    let name = i
                        .name
                        .as_ref()
                        .map_or(String::new(), |n| format!("name: {}, ", yaml_str(n)));
                    let _ = writeln!(
                        out,
                        "      - {{{name}columns: [{}], unique: {}}}",
                        list(&i.columns),
                        i.unique
                    );
                }
            }
            if !m.uniques.is_empty() {
                out.push_str("    uniques:\n");
                for u in &m.uniques {
                    match &u.name {
                        Some(n) => {
                            let _ = writeln!(
                                out,
                                "      - {{name: {}, columns: [{}]}}",
                                yaml_str(n),
                                list(&u.columns)
                            );
                        }
                        None => {
                            let _ = writeln!(out, "      - [{}]", list(&u.columns));
                        }
                    }
                }
            }
            if !m.relations.is_empty() {
                out.push_str("    relations:\n");
                for r in &m.relations {
                    let mut parts = vec![format!("{}: {}", r.kind, yaml_str(&r.target))];
                    if let Some(t) = &r.through {
                        parts.push(format!("through: {}", yaml_str(t)));
                    }
                    if let Some(fk) = &r.foreign_key {
                        parts.push(format!("foreign_key: {}", yaml_str(fk)));
                    }
                    if let Some(b) = &r.back_populates {
                        parts.push(format!("back_populates: {}", yaml_str(b)));
                    }
                    let _ = writeln!(out, "      {}: {{{}}}", yaml_str(&r.name), parts.join(", "));
                }
            }
            if let Some(repr) = &m.repr {
                let _ = writeln!(out, "    repr: [{}]", list(repr));
            }
        }
        out
    }
}

impl Field {
    /// The field's YAML; `pk_flag: false` leaves a key field's `pk` to the model's
    /// `primary_key:`.
    fn yaml(&self, pk_flag: bool) -> String {
        let mut flags = Vec::new();
        for (on, flag) in [
            (self.pk && pk_flag, "pk"),
            (self.unique, "unique"),
            (self.index, "index"),
            (self.secret, "secret"),
        ] {
            if on {
                flags.push(flag);
            }
        }
        let null = if self.nullable { "?" } else { "" };
        let ty = format!("{}{null}", self.ty.spec());
        let plain = !self.live
            && self.default.is_none()
            && self.server_default.is_none()
            && !self.on_update
            && self.fk.is_none()
            && self.doc.is_none()
            && self.comment.is_none();
        if plain && !self.long {
            let mut words = vec![ty];
            words.extend(flags.iter().map(|f| f.to_string()));
            return yaml_str(&words.join(" "));
        }
        let mut parts = vec![format!("type: {}", yaml_str(&ty))];
        for flag in flags {
            let key = if flag == "pk" { "primary_key" } else { flag };
            parts.push(format!("{key}: true"));
        }
        if self.live {
            parts.push("unique: live".into());
        }
        if let Some(d) = &self.default {
            parts.push(format!("default: {d}"));
        }
        match &self.server_default {
            // SQL (`server_default_sql`), marked so by `Ty::defaults`.
            Some(d) if d.starts_with("sql:") => parts.push(format!("server_default_sql: {}", &d[4..])),
            Some(d) => parts.push(format!("server_default: {d}")),
            None => {}
        }
        if self.on_update {
            parts.push("on_update: now".into());
        }
        if let Some(fk) = &self.fk {
            match fk.on_delete {
                Some(a) => parts.push(format!(
                    "foreign_key: {{references: {}, on_delete: {a}}}",
                    yaml_str(&fk.references)
                )),
                None => parts.push(format!("foreign_key: {}", yaml_str(&fk.references))),
            }
        }
        if let Some(d) = &self.doc {
            parts.push(format!("doc: {}", yaml_str(d)));
        }
        if let Some(c) = &self.comment {
            parts.push(format!("comment: {}", yaml_str(c)));
        }
        format!("{{{}}}", parts.join(", "))
    }
}
