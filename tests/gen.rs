//! Spec generators shared by the property tests (`fuzz.rs`, `valid_output.rs`): valid
//! specs built from the spec grammar (docs/spec.md) with names from a hostile corpus,
//! the YAML text they are written as, and mutations of that text.
//!
//! Generation is in two steps so proptest can shrink it: a [`Draft`] is plain random
//! choices (indexes into tables of names, types and defaults), and [`Draft::build`]
//! turns it into a [`Spec`] that follows the spec's rules, skipping or renaming what
//! would break one (a name taken twice, a foreign key to a model with a composite key).

use modelgen_ir::rust_names;
use proptest::prelude::*;
use std::collections::HashSet;
use std::fmt::Write;

/// SQL reserved words of SQLite, PostgreSQL and MySQL/MariaDB, and PostgreSQL's system
/// column names.
pub const SQL_WORDS: &[&str] = &[
    "select",
    "order",
    "group",
    "user",
    "table",
    "key",
    "index",
    "from",
    "where",
    "desc",
    "limit",
    "check",
    "default",
    "references",
    "primary",
    "column",
    "constraint",
    "all",
    "and",
    "or",
    "not",
    "null",
    "true",
    "false",
    "in",
    "is",
    "like",
    "join",
    "union",
    "values",
    "create",
    "drop",
    "alter",
    "grant",
    "window",
    "range",
    "rows",
    "partition",
    "offset",
    "returning",
    "current_user",
    "authorization",
    "natural",
    "collate",
    "end",
    "case",
    "when",
    "then",
    "cast",
    "distinct",
    "having",
    "asc",
    "foreign",
    "unique",
    "exists",
    "glob",
    "regexp",
    "pragma",
    "vacuum",
    "rowid",
    "oid",
    "ctid",
    "xmin",
    "xmax",
    "cmin",
    "cmax",
    "tableoid",
    "interval",
    "dual",
    "int",
    "varchar",
    "timestamp",
    "status",
    "comment",
    "lock",
    "option",
    "schema",
    "database",
    "trigger",
    "function",
    "delete",
    "insert",
    "update",
    "set",
    "into",
    "by",
    "on",
    "to",
    "with",
    "for",
    "if",
    "usage",
    "analyse",
    "fulltext",
];

/// Rust keywords (strict, reserved and weak), and names the generated code or its
/// crates already use.
pub const RUST_WORDS: &[&str] = &[
    "type",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "try",
    "abstract",
    "yield",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "struct",
    "enum",
    "impl",
    "trait",
    "mod",
    "use",
    "pub",
    "let",
    "loop",
    "while",
    "if",
    "else",
    "return",
    "ref",
    "mut",
    "move",
    "static",
    "const",
    "unsafe",
    "extern",
    "as",
    "gen",
    "union",
    "raw",
    "safe",
    "macro_rules",
    "new",
    "New",
    "columns",
    "COLUMNS",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "Clone",
    "Copy",
    "Sized",
    "Drop",
    "str",
    "i32",
    "bool",
    "std",
    "core",
    "serde",
    "serde_json",
    "chrono",
    "uuid",
    "rust_decimal",
    "sqlx",
    "modelgen",
    "models",
    "self_",
    "super_",
    "crate_",
    "Self_",
    "is_deleted",
    "r",
    "id",
];

/// Letters beyond ASCII: accents, ß, Greek (with its two lower-case sigmas), CJK, a
/// title-case digraph, a ligature, a dotted capital I and a letter outside the BMP.
pub const UNICODE_WORDS: &[&str] = &[
    "é",
    "ß",
    "Ω",
    "名前",
    "größe",
    "naïve",
    "Ärger",
    "Ωmega",
    "σ",
    "ς",
    "Σ",
    "ǅ",
    "İ",
    "ı",
    "ﬁeld",
    "𠀋",
    "имя",
    "δέλτα",
    "日付",
];

/// Names past PostgreSQL's 63 bytes and MySQL's 64 characters, some sharing a long prefix.
pub const LONG_WORDS: &[&str] = &[
    "an_identifier_that_is_longer_than_sixty_three_bytes_in_postgresql_a",
    "an_identifier_that_is_longer_than_sixty_three_bytes_in_postgresql_b",
    "exactly_sixty_four_characters_long_which_is_the_mysql_limit_xyzw",
    "exactly_sixty_three_characters_long_which_is_postgresql_limit_x",
    "äääääääääääääääääääääääääääääääääää",
    "名名名名名名名名名名名名名名名名名名名名名名",
    "ThisModelNameIsLongEnoughThatItsTableNameGoesPastEveryDatabaseLimit",
];

/// Plain names, so not every name is hostile.
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
    Int,
    BigInt,
    Float,
    Decimal(u32, u32),
    Bool,
    DateTime { tz: bool },
    Date,
    Uuid,
    Json(&'static str),
}

const STR_LENGTHS: [u32; 6] = [1, 8, 20, 50, 255, 700];
const DECIMALS: [(u32, u32); 4] = [(10, 2), (12, 4), (5, 0), (38, 10)];
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
        match n % 16 {
            0 | 1 => Ty::Str(STR_LENGTHS[(n / 16) % STR_LENGTHS.len()]),
            2 => Ty::Text,
            3 | 4 => Ty::Int,
            5 => Ty::BigInt,
            6 => Ty::Float,
            7 => {
                let (p, s) = DECIMALS[(n / 16) % DECIMALS.len()];
                Ty::Decimal(p, s)
            }
            8 => Ty::Bool,
            9 => Ty::DateTime { tz: false },
            10 => Ty::DateTime { tz: true },
            11 => Ty::Date,
            12 => Ty::Uuid,
            _ => Ty::Json(JSON_SHAPES[(n / 16) % JSON_SHAPES.len()]),
        }
    }

    pub fn spec(self) -> String {
        match self {
            Ty::Str(n) => format!("str({n})"),
            Ty::Text => "text".into(),
            Ty::Int => "int".into(),
            Ty::BigInt => "bigint".into(),
            Ty::Float => "float".into(),
            Ty::Decimal(p, s) => format!("decimal({p},{s})"),
            Ty::Bool => "bool".into(),
            Ty::DateTime { tz: false } => "datetime".into(),
            Ty::DateTime { tz: true } => "datetime(tz)".into(),
            Ty::Date => "date".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Json(shape) => shape.into(),
        }
    }

    /// Whether the type can be a key, indexed or unique: MariaDB indexes TEXT and JSON
    /// (LONGTEXT) only by a prefix, and PostgreSQL's `json` has no equality.
    pub fn indexable(self) -> bool {
        !matches!(self, Ty::Text | Ty::Json(_))
    }

    /// Default literals (YAML) that fit the type. `server` leaves out the ones
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
            Ty::Int => list(&["0", "7", "-3", "2147483647", "-2147483648"]),
            Ty::BigInt => list(&["0", "9000000000", "-9000000000"]),
            Ty::Float => list(&["0.5", "1.25", "-2", "0"]),
            Ty::Decimal(_, 0) => list(&["0", "\"-12\"", "3"]),
            Ty::Decimal(..) => list(&["0", "\"1.50\"", "\"-0.5\""]),
            Ty::Bool => list(&["true", "false"]),
            Ty::DateTime { tz: false } => list(&["now", "\"2000-01-01 00:00:00\"", "\"2024-02-29T12:30:00\""]),
            Ty::DateTime { tz: true } if server => list(&["now"]),
            Ty::DateTime { tz: true } => list(&["now", "\"2024-01-31 12:00:00\""]),
            Ty::Date => list(&["now", "\"2000-01-01\""]),
            Ty::Uuid => list(&["\"123e4567-e89b-12d3-a456-426614174000\""]),
            Ty::Json("json") => list(&["{}", "{a: [1, 2]}", "[]", "\"text\""]),
            Ty::Json("list[str]") => list(&["[]", "[read, \"it's\"]"]),
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
    pub index: bool,
    pub secret: bool,
    pub default: Option<String>,
    pub server_default: Option<String>,
    pub on_update: bool,
    pub fk: Option<ForeignKey>,
    pub doc: Option<String>,
    /// Written as a mapping rather than the one-line shorthand.
    pub long: bool,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    /// `Model`, `Model.field` or `table.column`.
    pub references: String,
    pub on_delete: Option<&'static str>,
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
                    let _ = writeln!(out, "      {}: {}", yaml_str(&f.name), f.yaml());
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
            out.push_str("    fields:\n");
            for f in &m.fields {
                let _ = writeln!(out, "      {}: {}", yaml_str(&f.name), f.yaml());
            }
            let list = |names: &[String]| names.iter().map(|n| yaml_str(n)).collect::<Vec<_>>().join(", ");
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
    fn yaml(&self) -> String {
        let mut flags = Vec::new();
        for (on, flag) in [
            (self.pk, "pk"),
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
        let plain = self.default.is_none()
            && self.server_default.is_none()
            && !self.on_update
            && self.fk.is_none()
            && self.doc.is_none();
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
        if let Some(d) = &self.default {
            parts.push(format!("default: {d}"));
        }
        if let Some(d) = &self.server_default {
            parts.push(format!("server_default: {d}"));
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
        format!("{{{}}}", parts.join(", "))
    }
}

// ---------------------------------------------------------------------------------------
// Drafts: the random choices, shrinkable.

#[derive(Debug, Clone)]
pub struct Draft {
    models: Vec<DraftModel>,
    mixins: Vec<(NameChoice, Vec<DraftField>)>,
}

#[derive(Debug, Clone)]
struct DraftModel {
    name: NameChoice,
    table: Option<NameChoice>,
    doc: Option<usize>,
    pk: (usize, bool),
    fields: Vec<DraftField>,
    timestamps: bool,
    soft_delete: bool,
    mixin: Option<usize>,
    indexes: Vec<(Option<NameChoice>, Vec<usize>, bool)>,
    uniques: Vec<(Option<NameChoice>, Vec<usize>)>,
    links: Vec<(usize, u8, NameChoice)>,
    repr: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
struct DraftField {
    name: NameChoice,
    ty: usize,
    nullable: bool,
    unique: bool,
    index: bool,
    secret: bool,
    default: Option<usize>,
    server_default: Option<usize>,
    on_update: bool,
    fk: Option<(usize, u8)>,
    doc: Option<usize>,
    long: bool,
}

const DOCS: [&str; 6] = [
    "A plain sentence.",
    "Two lines.\nThe second one.",
    "Quotes \" and backslashes \\ and */ and `code`.",
    "  padded  ",
    "carriage\rreturn and\r\nwindows lines",
    "名前 and émoji-free unicode: Ω",
];
const ON_DELETE: [Option<&str>; 4] = [None, Some("cascade"), Some("restrict"), Some("set_null")];

fn draft_field() -> impl Strategy<Value = DraftField> {
    (
        (name_choice(), any::<usize>(), any::<bool>(), prop::bool::weighted(0.15)),
        (prop::bool::weighted(0.2), prop::bool::weighted(0.1)),
        (
            prop::option::weighted(0.3, any::<usize>()),
            prop::option::weighted(0.3, any::<usize>()),
            prop::bool::weighted(0.1),
        ),
        (
            prop::option::weighted(0.3, (any::<usize>(), any::<u8>())),
            prop::option::weighted(0.15, any::<usize>()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((name, ty, nullable, unique), (index, secret), (default, server_default, on_update), (fk, doc, long))| {
                DraftField {
                    name,
                    ty,
                    nullable,
                    unique,
                    index,
                    secret,
                    default,
                    server_default,
                    on_update,
                    fk,
                    doc,
                    long,
                }
            },
        )
}

fn draft_model() -> impl Strategy<Value = DraftModel> {
    let columns = || prop::collection::vec(any::<usize>(), 1..4);
    (
        (
            name_choice(),
            prop::option::weighted(0.4, name_choice()),
            prop::option::weighted(0.3, any::<usize>()),
            (any::<usize>(), prop::bool::weighted(0.15)),
        ),
        prop::collection::vec(draft_field(), 0..7),
        (
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.15),
            prop::option::weighted(0.2, any::<usize>()),
        ),
        (
            prop::collection::vec((prop::option::of(name_choice()), columns(), any::<bool>()), 0..3),
            prop::collection::vec((prop::option::of(name_choice()), columns()), 0..2),
            prop::collection::vec((any::<usize>(), any::<u8>(), name_choice()), 0..3),
            prop::option::weighted(0.3, prop::collection::vec(any::<usize>(), 1..3)),
        ),
    )
        .prop_map(
            |((name, table, doc, pk), fields, (timestamps, soft_delete, mixin), (indexes, uniques, links, repr))| {
                DraftModel {
                    name,
                    table,
                    doc,
                    pk,
                    fields,
                    timestamps,
                    soft_delete,
                    mixin,
                    indexes,
                    uniques,
                    links,
                    repr,
                }
            },
        )
}

/// Random drafts of 1–`max_models` models.
pub fn draft(max_models: usize) -> impl Strategy<Value = Draft> {
    (
        prop::collection::vec(draft_model(), 1..=max_models),
        prop::collection::vec((name_choice(), prop::collection::vec(draft_field(), 1..3)), 0..2),
    )
        .prop_map(|(models, mixins)| Draft { models, mixins })
}

/// Valid specs: drafts built.
pub fn valid_spec(max_models: usize) -> impl Strategy<Value = Spec> {
    draft(max_models).prop_map(|d| d.build())
}

// ---------------------------------------------------------------------------------------
// Building: the spec's rules applied to a draft.

/// Names taken in one namespace, compared as the rule for it says.
#[derive(Default)]
struct Taken(HashSet<String>);

impl Taken {
    fn has(&self, name: &str) -> bool {
        self.0.contains(&name.to_lowercase())
    }
    fn take(&mut self, name: &str) {
        self.0.insert(name.to_lowercase());
    }
}

/// Whether modelgen takes the name at all (`modelgen_spec::check_identifier`).
fn usable(name: &str) -> bool {
    modelgen_spec::check_identifier(name).is_ok()
}

/// Whether modelgen refuses a field name: a prelude enum variant, or a PostgreSQL
/// system column.
fn variant(name: &str) -> bool {
    rust_names::PRELUDE_VARIANTS.contains(&name) || ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"].contains(&name)
}

/// The Rust items a model becomes in the generated `mod.rs`.
fn rust_items(model: &str, entity: bool) -> Vec<String> {
    let mut items = vec![rust_names::module_name(model), rust_names::struct_name(model)];
    if entity {
        items.push(rust_names::insert_struct_name(model));
    }
    items
}

fn rust_items_ok(items: &[String], taken: &HashSet<String>) -> bool {
    let distinct: HashSet<&String> = items.iter().collect();
    distinct.len() == items.len()
        && items.iter().all(|i| usable(i) && !taken.contains(i))
        && !rust_names::PRELUDE_TYPES.contains(&items[1].as_str())
}

struct Builder {
    words: Vec<&'static str>,
    tables: Taken,
    index_names: Taken,
    rust: HashSet<String>,
    model_names: HashSet<String>,
}

impl Builder {
    /// `choice` spelled, or with a numeric suffix until `ok` accepts it.
    fn pick(&self, choice: NameChoice, salt: usize, ok: impl Fn(&str) -> bool) -> String {
        let base = choice.spell(&self.words);
        if usable(&base) && ok(&base) {
            return base;
        }
        // Some words never do (`ﬁeld` is not NFKC, whatever follows it).
        (0..8)
            .map(|n| format!("{base}_{salt}_{n}"))
            .chain((0..).map(|n| format!("n{salt}_{n}")))
            .find(|c| usable(c) && ok(c))
            .expect("some suffix is free")
    }
}

fn default_table(model: &str) -> String {
    heck::ToSnakeCase::to_snake_case(model)
}

impl Draft {
    pub fn build(&self) -> Spec {
        let mut b = Builder {
            words: corpus(),
            tables: Taken::default(),
            index_names: Taken::default(),
            rust: HashSet::new(),
            model_names: HashSet::new(),
        };
        // Mixins: plain fields only, their names kept apart from every model field below.
        let mut mixins: Vec<Mixin> = Vec::new();
        let mut mixin_columns = Taken::default();
        for c in ["created_at", "updated_at", "deleted_at"] {
            mixin_columns.take(c);
        }
        for (i, (name, fields)) in self.mixins.iter().enumerate() {
            let taken: Vec<String> = mixins.iter().map(|m| m.name.clone()).collect();
            let name = b.pick(*name, i, |n| {
                !taken.iter().any(|t| t == n) && n != "timestamps" && n != "soft_delete"
            });
            let mut out = Vec::new();
            for (j, f) in fields.iter().enumerate() {
                let fname = b.pick(f.name, 100 + j, |n| !mixin_columns.has(n) && !variant(n));
                mixin_columns.take(&fname);
                let mut field = plain_field(f, fname);
                field.unique = false;
                field.index = false;
                field.secret = false;
                out.push(field);
            }
            mixins.push(Mixin { name, fields: out });
        }

        let mut models: Vec<Model> = Vec::new();
        // Per model: its primary key type when it is a single column, for foreign keys.
        let mut keys: Vec<Option<(String, Ty)>> = Vec::new();
        for (mi, d) in self.models.iter().enumerate() {
            let name = {
                let rust = &b.rust;
                let names = &b.model_names;
                let tables = &b.tables;
                b.pick(d.name, mi, |n| {
                    !names.contains(n)
                        && rust_items_ok(&rust_items(n, true), rust)
                        && (d.table.is_some() || !tables.has(&default_table(n)))
                })
            };
            b.model_names.insert(name.clone());
            b.rust.extend(rust_items(&name, true));
            let table = d.table.map(|t| {
                let tables = &b.tables;
                b.pick(t, mi, |n| !tables.has(n))
            });
            let table_name = table.clone().unwrap_or_else(|| default_table(&name));
            b.tables.take(&table_name);

            // Columns, compared without case within the model.
            let mut columns = Taken::default();
            let mixin = d
                .mixin
                .filter(|_| !mixins.is_empty())
                .map(|k| &mixins[k % mixins.len()]);
            let mut mixin_names = Vec::new();
            if d.timestamps {
                mixin_names.push("timestamps".to_owned());
            }
            if d.soft_delete {
                mixin_names.push("soft_delete".to_owned());
            }
            if let Some(m) = mixin {
                mixin_names.push(m.name.clone());
            }
            for c in ["created_at", "updated_at", "deleted_at"] {
                columns.take(c);
            }
            for m in &mixins {
                for f in &m.fields {
                    columns.take(&f.name);
                }
            }
            let mut fields: Vec<Field> = Vec::new();
            // The primary key: one column, or the first two fields for a composite key.
            let pk_ty = [Ty::Int, Ty::Int, Ty::BigInt, Ty::Uuid, Ty::Str(20)][d.pk.0 % 5];
            let pk_name = b.pick(
                NameChoice {
                    word: d.pk.0 / 5,
                    case: 0,
                },
                mi,
                |n| !columns.has(n) && !variant(n),
            );
            columns.take(&pk_name);
            fields.push(Field {
                pk: true,
                ty: pk_ty,
                ..plain_field(&DraftField::empty(), pk_name.clone())
            });
            // A composite key takes the first drawn field as its second column.
            let composite = d.pk.1
                && d.fields
                    .first()
                    .is_some_and(|f| Ty::from_choice(f.ty).indexable() && f.fk.is_none());
            let own_key = (!composite).then(|| (pk_name.clone(), pk_ty));
            for (fi, f) in d.fields.iter().enumerate() {
                let fname = b.pick(f.name, fi, |n| !columns.has(n) && !variant(n));
                columns.take(&fname);
                let mut field = plain_field(f, fname);
                if fi == 0 && composite {
                    field.pk = true;
                    field.nullable = false;
                    field.unique = false;
                }
                if let Some((target, action)) = f.fk {
                    // Only to an earlier model (or itself) with a single-column key.
                    let t = target % (mi + 1);
                    let key = if t == mi { own_key.clone() } else { keys[t].clone() };
                    if let Some((col, ty)) = key {
                        let target_model: &str = if t == mi { &name } else { &models[t].name };
                        let target_table = if t == mi {
                            table_name.clone()
                        } else {
                            models[t].table_name()
                        };
                        let references = match action % 3 {
                            0 => target_model.to_owned(),
                            1 => format!("{target_model}.{col}"),
                            _ => format!("{target_table}.{col}"),
                        };
                        // `Model` alone names a model first, then a table: make sure it is ours.
                        let on_delete = ON_DELETE[(action as usize / 3) % ON_DELETE.len()];
                        field.ty = ty;
                        field.nullable |= on_delete == Some("set_null") || t == mi;
                        field.default = None;
                        field.server_default = None;
                        field.on_update = false;
                        field.fk = Some(ForeignKey { references, on_delete });
                    }
                }
                fields.push(field);
            }
            keys.push(own_key);
            // A foreign key must reference a unique column: the primary key here.
            let all_columns: Vec<String> = fields
                .iter()
                .map(|f| f.name.clone())
                .chain(mixin_names.iter().flat_map(|m| mixin_fields(m, &mixins)))
                .collect();
            let indexable: Vec<String> = fields
                .iter()
                .filter(|f| f.ty.indexable())
                .map(|f| f.name.clone())
                .chain(
                    mixin_names
                        .iter()
                        .filter(|m| m.as_str() == "timestamps")
                        .flat_map(|_| ["created_at".to_owned()]),
                )
                .collect();
            for f in &mut fields {
                if f.index {
                    let auto = format!("ix_{table_name}_{}", f.name);
                    if b.index_names.has(&auto) {
                        f.index = false;
                    } else {
                        b.index_names.take(&auto);
                    }
                }
            }
            let mut indexes = Vec::new();
            for (ii, (iname, cols, unique)) in d.indexes.iter().enumerate() {
                let cols = pick_columns(cols, &indexable);
                if cols.is_empty() {
                    continue;
                }
                let name = match iname {
                    Some(n) => {
                        let taken = &b.index_names;
                        b.pick(*n, 1000 * mi + ii, |c| !taken.has(c))
                    }
                    None => format!("ix_{table_name}_{}", cols.join("_")),
                };
                if b.index_names.has(&name) {
                    continue;
                }
                b.index_names.take(&name);
                indexes.push(Index {
                    name: Some(name),
                    columns: cols,
                    unique: *unique,
                });
            }
            // A unique constraint may not repeat the key or another unique constraint.
            let mut unique_sets: Vec<Vec<String>> =
                vec![fields.iter().filter(|f| f.pk).map(|f| f.name.clone()).collect()];
            unique_sets.extend(
                fields
                    .iter()
                    .filter(|f| f.unique && !f.index)
                    .map(|f| vec![f.name.clone()]),
            );
            let mut uniques = Vec::new();
            for (ui, (uname, cols)) in d.uniques.iter().enumerate() {
                let cols = pick_columns(cols, &indexable);
                if cols.is_empty() || unique_sets.contains(&cols) {
                    continue;
                }
                unique_sets.push(cols.clone());
                let name = uname.map(|n| {
                    let taken = &b.index_names;
                    b.pick(n, 2000 * mi + ui, |c| !taken.has(c))
                });
                if let Some(n) = &name {
                    b.index_names.take(n);
                }
                uniques.push(Index {
                    name,
                    columns: cols,
                    unique: true,
                });
            }
            let repr = d.repr.as_ref().map(|r| {
                let shown: Vec<&String> = all_columns
                    .iter()
                    .filter(|c| !fields.iter().any(|f| &f.name == *c && f.secret))
                    .collect();
                let mut out: Vec<String> = r.iter().map(|k| shown[k % shown.len()].clone()).collect();
                out.dedup();
                out
            });
            let doc = d.doc.map(|k| DOCS[k % DOCS.len()].to_owned());
            models.push(Model {
                name,
                table,
                doc,
                fields,
                mixins: mixin_names,
                indexes,
                uniques,
                relations: Vec::new(),
                repr,
            });
        }
        // `table.column` finds a model of that name first: spell such a reference by model.
        let names: Vec<(String, String)> = models.iter().map(|m| (m.name.clone(), m.table_name())).collect();
        for m in &mut models {
            for f in &mut m.fields {
                let Some(fk) = &mut f.fk else { continue };
                if let Some((word, col)) = fk.references.split_once('.') {
                    let owner = names.iter().find(|(_, t)| t == word);
                    if let (Some((model, _)), true) = (owner, names.iter().any(|(n, _)| n == word)) {
                        fk.references = format!("{model}.{col}");
                    }
                }
            }
        }
        self.add_relations(&mut models, &mixins, &mut b);
        // Index names may not be table names, join tables included.
        let tables: Vec<String> = models
            .iter()
            .map(|m| m.table_name())
            .chain(
                models
                    .iter()
                    .flat_map(|m| m.relations.iter().filter_map(|r| r.through.clone())),
            )
            .map(|t| t.to_lowercase())
            .collect();
        for (mi, m) in models.iter_mut().enumerate() {
            for (k, index) in m.indexes.iter_mut().chain(m.uniques.iter_mut()).enumerate() {
                let Some(name) = &mut index.name else { continue };
                if tables.contains(&name.to_lowercase()) {
                    *name = (0..)
                        .map(|n| format!("{name}_ix{mi}_{k}_{n}"))
                        .find(|c| !b.index_names.has(c) && !tables.contains(&c.to_lowercase()))
                        .unwrap();
                    b.index_names.take(name);
                }
            }
        }
        Spec { models, mixins }
    }

    /// Many-to-one relations over foreign keys (with the one-to-many side pointing back
    /// now and then), and many-to-many relations through join tables modelgen creates.
    fn add_relations(&self, models: &mut [Model], mixins: &[Mixin], b: &mut Builder) {
        let mut joins = 0;
        let model_names: Vec<String> = models.iter().map(|m| m.name.clone()).collect();
        for mi in 0..models.len() {
            for (li, &(target, kind, rname)) in self.models[mi].links.iter().enumerate() {
                let t = target % models.len();
                let taken = |m: &Model, n: &str| {
                    m.relations.iter().any(|r| r.name == n)
                        || m.fields.iter().any(|f| f.name == n)
                        || m.mixins.iter().any(|x| mixin_fields(x, mixins).iter().any(|c| c == n))
                };
                if kind % 2 == 0 {
                    // Over a foreign key of `mi` to `t`, if exactly one exists or one is named.
                    let fks: Vec<String> = models[mi]
                        .fields
                        .iter()
                        .filter(|f| {
                            f.fk.as_ref()
                                .is_some_and(|fk| references_model(&fk.references, &models[t], models))
                        })
                        .map(|f| f.name.clone())
                        .collect();
                    let Some(fk) = fks.first().cloned() else { continue };
                    let name = b.pick(rname, 3000 + li, |n| !taken(&models[mi], n));
                    let back =
                        (kind % 4 == 0).then(|| b.pick(rname, 4000 + li, |n| n != name && !taken(&models[t], n)));
                    let (source, target) = (models[mi].name.clone(), models[t].name.clone());
                    models[mi].relations.push(Relation {
                        name: name.clone(),
                        kind: "many_to_one",
                        target,
                        through: None,
                        foreign_key: Some(fk.clone()),
                        back_populates: back.clone(),
                    });
                    if let Some(back) = back {
                        models[t].relations.push(Relation {
                            name: back,
                            kind: "one_to_many",
                            target: source,
                            through: None,
                            foreign_key: Some(fk),
                            back_populates: Some(name),
                        });
                    }
                } else {
                    // Join tables need two single-column keys on distinct models.
                    let single = |m: &Model| m.fields.iter().filter(|f| f.pk).count() == 1;
                    let (a, z) = (&models[mi], &models[t]);
                    let columns = [
                        format!("{}_id", default_table(&a.name)),
                        format!("{}_id", default_table(&z.name)),
                    ];
                    if t == mi || !single(a) || !single(z) || columns[0] == columns[1] {
                        continue;
                    }
                    joins += 1;
                    let through = {
                        let tables = &b.tables;
                        b.pick(rname, 5000 + joins, |n| {
                            !tables.has(n) && !model_names.iter().any(|m| m == n)
                        })
                    };
                    let rust = &b.rust;
                    if !rust_items_ok(&rust_items(&through, false), rust) {
                        continue;
                    }
                    b.tables.take(&through);
                    b.rust.extend(rust_items(&through, false));
                    let name = b.pick(rname, 6000 + li, |n| !taken(&models[mi], n));
                    let target = models[t].name.clone();
                    models[mi].relations.push(Relation {
                        name,
                        kind: "many_to_many",
                        target,
                        through: Some(through),
                        foreign_key: None,
                        back_populates: None,
                    });
                }
            }
        }
    }
}

impl Model {
    pub fn table_name(&self) -> String {
        self.table.clone().unwrap_or_else(|| default_table(&self.name))
    }
}

/// Whether `references` (`Model`, `Model.col` or `table.col`) resolves to `target`: a
/// model name is looked up first, then a table name.
fn references_model(references: &str, target: &Model, models: &[Model]) -> bool {
    let word = references.split_once('.').map_or(references, |(w, _)| w);
    match models.iter().find(|m| m.name == word) {
        Some(m) => m.name == target.name,
        None => target.table_name() == word,
    }
}

impl DraftField {
    fn empty() -> DraftField {
        DraftField {
            name: NameChoice { word: 0, case: 0 },
            ty: 3,
            nullable: false,
            unique: false,
            index: false,
            secret: false,
            default: None,
            server_default: None,
            on_update: false,
            fk: None,
            doc: None,
            long: false,
        }
    }
}

fn mixin_fields(name: &str, mixins: &[Mixin]) -> Vec<String> {
    match name {
        "timestamps" => vec!["created_at".into(), "updated_at".into()],
        "soft_delete" => vec!["deleted_at".into()],
        _ => mixins
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.fields.iter().map(|f| f.name.clone()).collect())
            .unwrap_or_default(),
    }
}

/// Distinct columns by index into `from`, in draw order.
fn pick_columns(picks: &[usize], from: &[String]) -> Vec<String> {
    if from.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for k in picks {
        let c = &from[k % from.len()];
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// A field as drawn, before foreign keys: type, flags and defaults that fit together.
fn plain_field(d: &DraftField, name: String) -> Field {
    let ty = Ty::from_choice(d.ty);
    let pick = |k: Option<usize>, server: bool| {
        k.map(|k| {
            let all = ty.defaults(server);
            all[k % all.len()].clone()
        })
    };
    Field {
        name,
        ty,
        nullable: d.nullable,
        pk: false,
        unique: d.unique && ty.indexable(),
        index: d.index && ty.indexable(),
        secret: d.secret,
        default: pick(d.default, false),
        server_default: pick(d.server_default, true),
        on_update: d.on_update && matches!(ty, Ty::DateTime { .. }) && d.nullable,
        fk: None,
        doc: d.doc.map(|k| DOCS[k % DOCS.len()].to_owned()),
        long: d.long,
    }
}

// ---------------------------------------------------------------------------------------
// Mutations: what a fuzzer does to text.

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
}

/// Tokens a spec author (or an attacker) might type.
const TOKENS: &[&str] = &[
    ":",
    " ",
    "\n",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "?",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "<<: ",
    "---\n",
    "...\n",
    "|\n  ",
    ">\n  ",
    "\t",
    "pk",
    " unique",
    " index",
    "str(",
    ")",
    "decimal(10,",
    "list[",
    "map[",
    "null",
    "~",
    "true",
    "1e999",
    "-1",
    "0x10",
    "99999999999999999999",
    "\u{feff}",
    "\0",
    "\u{2028}",
    "é",
    "名前",
    "models:",
    "fields:",
    "table: ",
    "foreign_key: ",
    "relations:",
    "mixins: [timestamps]",
    "through: t",
    "back_populates: x",
    "default: ",
    "server_default: ",
    "on_update: now",
    "renamed_from: x",
    "output:",
    "\n  X:\n    fields:\n      id: int pk\n",
    "indexes: [{columns: [id]}]",
    "uniques: [[id]]",
    "id: int pk",
    "\r",
    "\r\n",
    "%YAML 1.2\n",
    "&",
    "*",
    "@",
    "`",
];

const WORDS: &[&str] = &[
    "int",
    "bigint",
    "str(1)",
    "text",
    "json",
    "list[str]",
    "map[int]",
    "uuid",
    "date",
    "datetime(tz)",
    "bool",
    "float",
    "decimal(1,1)",
    "pk",
    "unique",
    "index",
    "secret",
    "nullable",
    "autoincrement",
    "true",
    "false",
    "many_to_one",
    "one_to_many",
    "many_to_many",
    "cascade",
    "set_null",
    "now",
    "timestamps",
    "soft_delete",
    "id",
    "live",
    "table",
    "name",
    "columns",
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
