//! Reads the YAML tree into [`Spec`] types, reporting every shape error in one pass.
//!
//! Only what can be judged locally is checked here: key names, value shapes, types and
//! defaults against their own field. Anything that needs another model is `lower`'s job.

use crate::diag::{did_you_mean, Diagnostic, ErrorKind, Path, Segment};
use crate::node::Node;
use crate::shorthand::{parse_shorthand, ShorthandError, TYPES_EXPECTED};
use crate::spec::*;
use modelgen_ir::config::{Layout, Output, PythonOutput, RustOutput};
use modelgen_ir::naming::{self, NamingConvention};
use modelgen_ir::{
    check_comment, check_identifier, check_rust_type, check_text, CommentOn, DefaultValue, Dialect, FkAction, Literal,
    LogicalType, OnUpdate,
};

mod checks;
mod enums;
mod keys;
mod model;
mod output;
mod relations;

pub(crate) const TOP_KEYS: &[&str] = &["naming_convention", "enums", "models", "mixins", "output"];
pub(crate) const NAMING_KEYS: &[&str] = &["ix", "uq", "ck", "fk", "pk"];
pub(crate) const PRIMARY_KEY_KEYS: &[&str] = &["columns", "name"];
pub(crate) const OUTPUT_KEYS: &[&str] = &["migrations", "rust", "python"];
pub(crate) const RUST_KEYS: &[&str] = &["dir", "serde", "sqlx", "queries", "templates"];
pub(crate) const PYTHON_KEYS: &[&str] = &["file", "templates"];
pub(crate) const MIGRATIONS_KEYS: &[&str] = &["dir", "dialects", "layout"];
pub(crate) const MODEL_KEYS: &[&str] = &[
    "table",
    "doc",
    "comment",
    "mixins",
    "fields",
    "indexes",
    "uniques",
    "relations",
    "foreign_keys",
    "repr",
    "renamed_from",
    "checks",
    "primary_key",
];
pub(crate) const ENUM_KEYS: &[&str] = &["values", "native", "check", "type_name", "renamed_values"];
pub(crate) const CHECK_KEYS: &[&str] = &["expr", "sql", "doc"];
pub(crate) const MIXIN_KEYS: &[&str] = &["doc", "fields", "soft_delete"];
pub(crate) const FIELD_KEYS: &[&str] = &[
    "type",
    "nullable",
    "primary_key",
    "autoincrement",
    "unique",
    "index",
    "default",
    "server_default",
    "server_default_sql",
    "on_update",
    "foreign_key",
    "doc",
    "comment",
    "secret",
    "renamed_from",
    "rust_type",
    "app_on_update",
];
/// What `autoincrement:` takes besides `true` and `false`: how PostgreSQL generates the key.
pub(crate) const GENERATORS: &[&str] = &["identity", "serial"];
pub(crate) const SEQUENCE_KEYS: &[&str] = &["sequence"];
pub(crate) const FOREIGN_KEY_KEYS: &[&str] = &["references", "on_delete", "on_update", "name"];
pub(crate) const MODEL_FOREIGN_KEY_KEYS: &[&str] = &["columns", "references", "on_delete", "on_update", "name"];
pub(crate) const INDEX_KEYS: &[&str] = &["name", "columns", "unique", "live", "where"];
pub(crate) const INDEX_EXPR_KEYS: &[&str] = &["expr"];
pub(crate) const UNIQUE_KEYS: &[&str] = &["name", "columns", "live"];
pub(crate) const RELATION_KEYS: &[&str] = &[
    "one_to_many",
    "one_to_one",
    "many_to_one",
    "many_to_many",
    "back_populates",
    "backref",
    "cascade",
    "foreign_key",
    "through",
    "doc",
];
/// SQLAlchemy's relationship cascade options.
pub(crate) const CASCADES: &[&str] = &[
    "all",
    "save-update",
    "merge",
    "expunge",
    "delete",
    "delete-orphan",
    "refresh-expire",
];

pub fn read(doc: &Node) -> (Spec, Vec<Diagnostic>) {
    let mut r = Reader {
        errors: Vec::new(),
        enums: Vec::new(),
    };
    let spec = r.spec(doc);
    (spec, r.errors)
}

struct Reader {
    errors: Vec<Diagnostic>,
    /// The spec's `enums:`, read first so fields can name them.
    enums: Vec<modelgen_ir::EnumType>,
}

/// A mapping whose keys were checked against the allowed set.
struct Entries<'n>(&'n [(String, Node)]);

impl<'n> Entries<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl Reader {
    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    fn spec(&mut self, doc: &Node) -> Spec {
        let root = Path::root();
        if matches!(doc, Node::Null) {
            self.error(
                Diagnostic::new(ErrorKind::WrongShape, root, "the spec is empty")
                    .expected("a mapping with a `models:` key")
                    .help("start from `modelgen init`, or see docs/spec.md"),
            );
            return Spec::default();
        }
        let Some(top) = self.entries(doc, &root, TOP_KEYS, "the spec") else {
            return Spec::default();
        };
        let mut spec = Spec::default();
        if let Some(naming) = top.get("naming_convention") {
            spec.naming = self.naming_convention(naming, &root.key("naming_convention"));
        }
        if let Some(enums) = top.get("enums") {
            self.enums(enums, &root.key("enums"));
        }
        if let Some(mixins) = top.get("mixins") {
            let path = root.key("mixins");
            for (name, node) in self.named(mixins, &path, "mixin") {
                if let Some(m) = self.mixin(name, node, &path.key(name)) {
                    spec.mixins.push(m);
                }
            }
        }
        if let Some(output) = top.get("output") {
            self.output(output, &root.key("output"), &mut spec.output);
        }
        match top.get("models") {
            Some(models) => {
                let path = root.key("models");
                for (name, node) in self.named(models, &path, "model") {
                    let errors_before = self.errors.len();
                    let mut model = self.model(name, node, &path.key(name));
                    model.broken = self.errors.len() > errors_before;
                    spec.models.push(model);
                }
                self.backrefs(&mut spec.models, &path);
            }
            None => self.error(
                Diagnostic::new(ErrorKind::MissingKey, root, "the spec has no `models:`")
                    .expected("a `models:` mapping of model names to their definitions"),
            ),
        }
        spec
    }

    /// The entries of a mapping of user-chosen names (models, fields, …), names checked,
    /// duplicates reported and dropped.
    fn named<'n>(&mut self, node: &'n Node, path: &Path, noun: &str) -> Vec<(&'n str, &'n Node)> {
        let Some(entries) = self.mapping(node, path, &format!("a mapping of {noun} names")) else {
            return Vec::new();
        };
        let mut out: Vec<(&str, &Node)> = Vec::new();
        let mut seen: foldhash::HashMap<&str, usize> = foldhash::HashMapExt::with_capacity(entries.len());
        for (name, value) in entries {
            let count = seen.entry(name.as_str()).or_insert(0);
            let nth = *count;
            *count += 1;
            if nth > 0 {
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path.key_nth(name, nth),
                        format!("duplicate {noun} `{name}`"),
                    )
                    .at_key()
                    .help(format!("rename or remove one of the {noun}s named `{name}`")),
                );
                continue;
            }
            // The path is for the error only.
            if check_identifier(name).is_err() {
                self.name(name, &path.key(name), noun);
            }
            out.push((name, value));
        }
        out
    }

    fn mapping<'n>(&mut self, node: &'n Node, path: &Path, expected: &str) -> Option<&'n [(String, Node)]> {
        match node {
            Node::Map(entries) => Some(entries),
            other => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::WrongShape,
                        path.clone(),
                        format!("expected {expected}, found {}", other.kind()),
                    )
                    .expected(expected),
                );
                None
            }
        }
    }

    /// A mapping with a fixed set of keys: unknown and repeated keys are reported.
    fn entries<'n>(&mut self, node: &'n Node, path: &Path, allowed: &[&str], what: &str) -> Option<Entries<'n>> {
        let entries = self.mapping(node, path, &format!("a mapping for {what}"))?;
        for (i, (key, _)) in entries.iter().enumerate() {
            let nth = entries[..i].iter().filter(|(k, _)| k == key).count();
            if nth > 0 {
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateKey,
                        path.key_nth(key, nth),
                        format!("`{key}` is given twice"),
                    )
                    .at_key()
                    .help("keep one of them"),
                );
            } else if !allowed.contains(&key.as_str()) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownKey,
                        path.key(key),
                        format!("unknown key `{key}` in {what}"),
                    )
                    .at_key()
                    .expected(format!("one of {}", allowed.join(", ")))
                    .help_opt(did_you_mean(key, allowed.iter().copied())),
                );
            }
        }
        Some(Entries(entries))
    }

    /// A string value: a doc, a path, an option. Text no generated file can hold safely
    /// is refused here, once for every place strings are read (names have their own,
    /// stricter rule: [`Reader::value_name`]).
    fn string(&mut self, node: &Node, path: &Path, expected: &str) -> Option<String> {
        let s = self.any_string(node, path, expected)?;
        match check_text(&s) {
            Ok(()) => Some(s),
            Err(why) => {
                let what = path.last_key().unwrap_or("value").to_owned();
                self.error(model::text_error(path.clone(), &what, &why));
                None
            }
        }
    }

    fn any_string(&mut self, node: &Node, path: &Path, expected: &str) -> Option<String> {
        match node {
            Node::Str(s) => Some(s.clone()),
            other => {
                self.wrong(path, expected, other);
                None
            }
        }
    }

    fn bool(&mut self, node: &Node, path: &Path) -> Option<bool> {
        match node {
            Node::Bool(b) => Some(*b),
            other => {
                self.wrong(path, "`true` or `false`", other);
                None
            }
        }
    }

    fn wrong(&mut self, path: &Path, expected: &str, found: &Node) {
        self.error(
            Diagnostic::new(
                ErrorKind::WrongShape,
                path.clone(),
                format!("expected {expected}, found {}", found.kind()),
            )
            .expected(expected),
        );
    }

    fn string_list(&mut self, node: &Node, path: &Path, noun: &str) -> Vec<String> {
        let expected = format!("a list of {noun} names");
        let Node::Seq(items) = node else {
            self.wrong(path, &expected, node);
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.string(item, &path.index(i), &format!("a {noun} name")))
            .collect()
    }

    /// Checks a user-chosen name; the error points at the key that carries it.
    fn name(&mut self, name: &str, path: &Path, noun: &str) {
        if let Err(reason) = check_identifier(name) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadName,
                    path.clone(),
                    format!("{noun} name `{name}` {reason}"),
                )
                .at_key()
                .expected("letters, digits and `_`, not starting with a digit")
                .help("SQL keywords and Rust keywords are fine; quotes, spaces, dots and slashes are not"),
            );
        }
    }

    /// `naming_convention:`, SQLAlchemy's templates by kind (`ix`, `uq`, `ck`, `fk`, `pk`).
    fn naming_convention(&mut self, node: &Node, path: &Path) -> Option<NamingConvention> {
        let e = self.entries(node, path, NAMING_KEYS, "a naming convention")?;
        let mut convention = NamingConvention::default();
        for kind in naming::Kind::ALL {
            let Some(n) = e.get(kind.key()) else { continue };
            let at = path.key(kind.key());
            let Some(template) = self.string(n, &at, "a template such as `uq_%(table_name)s_%(column_0_name)s`") else {
                continue;
            };
            match naming::check_template(kind, &template) {
                Ok(()) => convention.set(kind, template),
                Err(why) => self.error(
                    Diagnostic::new(ErrorKind::BadValue, at, format!("naming template `{template}`: {why}"))
                        .expected("SQLAlchemy's tokens: %(table_name)s, %(column_0_name)s, %(column_0_label)s, %(column_0_N_name)s, %(referred_table_name)s, %(constraint_name)s")
                        .help("e.g. `uq: uq_%(table_name)s_%(column_0_N_name)s`"),
                ),
            }
        }
        Some(convention)
    }

    /// A name given as a value (a table name, an index name): same rules, pointing at the value.
    fn value_name(&mut self, node: &Node, path: &Path, noun: &str) -> Option<String> {
        let name = self.any_string(node, path, &format!("a {noun} name"))?;
        if let Err(reason) = check_identifier(&name) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadName,
                    path.clone(),
                    format!("{noun} name `{name}` {reason}"),
                )
                .expected("letters, digits and `_`, not starting with a digit"),
            );
        }
        Some(name)
    }

    /// A table's or a column's `comment:`, trimmed as a doc is.
    fn comment(&mut self, entries: &Entries, path: &Path, on: CommentOn) -> Option<String> {
        let path = path.key("comment");
        let text = self.string(entries.get("comment")?, &path, "comment text")?;
        let text = text.trim().to_owned();
        match check_comment(&text, on) {
            Ok(()) => Some(text),
            Err((why, help)) => {
                self.error(Diagnostic::new(ErrorKind::BadValue, path, format!("`comment` {why}")).help(help));
                None
            }
        }
    }

    fn doc(&mut self, entries: &Entries, path: &Path) -> Option<String> {
        let node = entries.get("doc")?;
        self.string(node, &path.key("doc"), "doc text")
            .map(|s| s.trim().to_owned())
    }
}
