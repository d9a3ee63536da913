//! Reads the YAML tree into [`Spec`] types, reporting every shape error in one pass.
//!
//! Only what can be judged locally is checked here: key names, value shapes, types and
//! defaults against their own field. Anything that needs another model is `lower`'s job.

use crate::diag::{did_you_mean, Diagnostic, ErrorKind, Path};
use crate::node::Node;
use crate::shorthand::{parse_shorthand, ShorthandError, TYPES_EXPECTED};
use crate::spec::*;
use modelgen_ir::config::{Layout, Output, PythonOutput, RustOutput};
use modelgen_ir::{DefaultValue, Dialect, FkAction, Literal, LogicalType, OnUpdate};

pub(crate) const TOP_KEYS: &[&str] = &["models", "mixins", "output"];
pub(crate) const OUTPUT_KEYS: &[&str] = &["migrations", "rust", "python"];
pub(crate) const RUST_KEYS: &[&str] = &["dir", "serde", "sqlx", "templates"];
pub(crate) const PYTHON_KEYS: &[&str] = &["file", "templates"];
pub(crate) const MIGRATIONS_KEYS: &[&str] = &["dir", "dialects", "layout"];
pub(crate) const MODEL_KEYS: &[&str] = &[
    "table",
    "doc",
    "mixins",
    "fields",
    "indexes",
    "uniques",
    "relations",
    "repr",
    "renamed_from",
];
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
    "on_update",
    "foreign_key",
    "doc",
    "secret",
    "renamed_from",
];
pub(crate) const FOREIGN_KEY_KEYS: &[&str] = &["references", "on_delete", "on_update"];
pub(crate) const INDEX_KEYS: &[&str] = &["name", "columns", "unique", "live"];
pub(crate) const UNIQUE_KEYS: &[&str] = &["name", "columns", "live"];
pub(crate) const RELATION_KEYS: &[&str] = &[
    "one_to_many",
    "many_to_one",
    "many_to_many",
    "back_populates",
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
    let mut r = Reader { errors: Vec::new() };
    let spec = r.spec(doc);
    (spec, r.errors)
}

struct Reader {
    errors: Vec<Diagnostic>,
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
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(entries.len());
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
            self.name(name, &path.key(name), noun);
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

    fn string(&mut self, node: &Node, path: &Path, expected: &str) -> Option<String> {
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

    /// A name given as a value (a table name, an index name): same rules, pointing at the value.
    fn value_name(&mut self, node: &Node, path: &Path, noun: &str) -> Option<String> {
        let name = self.string(node, path, &format!("a {noun} name"))?;
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

    fn doc(&mut self, entries: &Entries, path: &Path) -> Option<String> {
        let node = entries.get("doc")?;
        self.string(node, &path.key("doc"), "doc text")
            .map(|s| s.trim().to_owned())
    }

    fn output(&mut self, node: &Node, path: &Path, output: &mut Output) {
        let Some(e) = self.entries(node, path, OUTPUT_KEYS, "`output`") else {
            return;
        };
        if let Some(node) = e.get("rust") {
            output.rust = self.rust_output(node, &path.key("rust"));
        }
        if let Some(node) = e.get("python") {
            output.python = self.python_output(node, &path.key("python"));
        }
        let Some(node) = e.get("migrations") else { return };
        let path = path.key("migrations");
        let Some(m) = self.entries(node, &path, MIGRATIONS_KEYS, "`output.migrations`") else {
            return;
        };
        if let Some(dir) = m.get("dir").and_then(|n| self.relative_dir(n, &path.key("dir"))) {
            output.migrations.dir = dir;
        }
        if let Some(node) = m.get("dialects") {
            let dpath = path.key("dialects");
            let names = self.string_list(node, &dpath, "dialect");
            let known = Dialect::ALL.map(Dialect::name);
            output.migrations.dialects.clear();
            for (i, name) in names.iter().enumerate() {
                match Dialect::from_name(name) {
                    Some(d) if !output.migrations.dialects.contains(&d) => output.migrations.dialects.push(d),
                    Some(_) => {}
                    None => self.error(
                        Diagnostic::new(ErrorKind::BadValue, dpath.index(i), format!("unknown dialect `{name}`"))
                            .expected(format!("any of {}", known.join(", ")))
                            .help_opt(did_you_mean(name, known)),
                    ),
                }
            }
        }
        if let Some(node) = m.get("layout") {
            let lpath = path.key("layout");
            let names = Layout::ALL.map(|(n, _)| n);
            if let Some(name) = self.string(node, &lpath, "`sqlx` or `diesel`") {
                match Layout::ALL.iter().find(|(n, _)| *n == name) {
                    Some((_, layout)) => output.migrations.layout = *layout,
                    None => self.error(
                        Diagnostic::new(ErrorKind::BadValue, lpath, format!("unknown migration layout `{name}`"))
                            .expected("`sqlx` (<version>_<name>.up.sql) or `diesel` (<version>_<name>/up.sql)")
                            .help_opt(did_you_mean(&name, names)),
                    ),
                }
            }
        }
    }

    fn rust_output(&mut self, node: &Node, path: &Path) -> Option<RustOutput> {
        let e = self.entries(node, path, RUST_KEYS, "`output.rust`")?;
        let Some(dir) = e.get("dir") else {
            self.error(
                Diagnostic::new(ErrorKind::MissingKey, path.clone(), "`output.rust` has no `dir:`")
                    .at_key()
                    .expected("`dir: src/models`, the folder for one module per model"),
            );
            return None;
        };
        let dir = self.relative_dir(dir, &path.key("dir"));
        let flag = |r: &mut Reader, key: &str| e.get(key).and_then(|n| r.bool(n, &path.key(key))).unwrap_or(false);
        let serde = flag(self, "serde");
        let sqlx = flag(self, "sqlx");
        // Read before giving up on a bad `dir`, so both are reported in one run.
        let templates = e.get("templates").map(|n| self.relative_dir(n, &path.key("templates")));
        let templates = match templates {
            Some(t) => Some(t?),
            None => None,
        };
        Some(RustOutput {
            dir: dir?,
            serde,
            sqlx,
            templates,
        })
    }

    fn python_output(&mut self, node: &Node, path: &Path) -> Option<PythonOutput> {
        let e = self.entries(node, path, PYTHON_KEYS, "`output.python`")?;
        let templates = e.get("templates").map(|n| self.relative_dir(n, &path.key("templates")));
        let file = match e.get("file") {
            Some(n) => self.python_module(n, &path.key("file")),
            None => {
                self.error(
                    Diagnostic::new(ErrorKind::MissingKey, path.clone(), "`output.python` has no `file:`")
                        .at_key()
                        .expected("`file: app/models.py`, the module of SQLAlchemy models"),
                );
                None
            }
        };
        let file = file?;
        // A templates directory already reported bad leaves no output.
        if templates == Some(None) {
            return None;
        }
        Some(PythonOutput {
            file,
            templates: templates.flatten(),
        })
    }

    /// A `.py` file whose name Python can import.
    fn python_module(&mut self, node: &Node, path: &Path) -> Option<String> {
        let file = self.relative_path(node, path, "file")?;
        let stem = file.rsplit('/').next().unwrap_or_default().strip_suffix(".py");
        if stem.is_some_and(|s| check_identifier(s).is_ok()) {
            return Some(file);
        }
        self.error(
            Diagnostic::new(
                ErrorKind::BadValue,
                path.clone(),
                format!("`{file}` is not a Python module file name"),
            )
            .expected("a path ending in `<name>.py`, the name letters, digits and `_`, such as `app/models.py`"),
        );
        None
    }

    /// An output directory: relative to the spec and never climbing out of its folder.
    fn relative_dir(&mut self, node: &Node, path: &Path) -> Option<String> {
        self.relative_path(node, path, "directory")
    }

    /// An output path (`what` is a directory or a file): relative to the spec and never
    /// climbing out of its folder.
    fn relative_path(&mut self, node: &Node, path: &Path, what: &str) -> Option<String> {
        let dir = self.string(node, path, &format!("a {what} relative to the spec"))?;
        let escapes = dir.is_empty()
            || dir.starts_with('/')
            || dir.starts_with('\\')
            || dir.contains(':')
            || dir.split(['/', '\\']).any(|part| part == "..");
        if dir.chars().any(char::is_control) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!("output directory {dir:?} holds a control character"),
                )
                .expected("a plain relative path, such as `migrations`"),
            );
            return None;
        }
        if escapes {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!("output {what} `{dir}` must stay inside the spec's folder"),
                )
                .expected("a relative path without `..`, such as `migrations`"),
            );
            return None;
        }
        Some(dir.trim_end_matches('/').to_owned())
    }

    fn mixin(&mut self, name: &str, node: &Node, path: &Path) -> Option<MixinSpec> {
        let e = self.entries(node, path, MIXIN_KEYS, &format!("mixin `{name}`"))?;
        let doc = self.doc(&e, path);
        let fields = e
            .get("fields")
            .map(|f| self.fields(f, &path.key("fields")))
            .unwrap_or_default();
        let soft_delete = e
            .get("soft_delete")
            .and_then(|n| self.string(n, &path.key("soft_delete"), "the name of the deleted-at field"));
        Some(MixinSpec {
            name: name.to_owned(),
            doc,
            fields,
            soft_delete,
        })
    }

    fn model(&mut self, name: &str, node: &Node, path: &Path) -> ModelSpec {
        let mut model = ModelSpec {
            name: name.to_owned(),
            ..ModelSpec::default()
        };
        let Some(e) = self.entries(node, path, MODEL_KEYS, &format!("model `{name}`")) else {
            return model;
        };
        model.table = e
            .get("table")
            .and_then(|n| self.value_name(n, &path.key("table"), "table"));
        model.doc = self.doc(&e, path);
        if let Some(n) = e.get("mixins") {
            model.mixins = self.string_list(n, &path.key("mixins"), "mixin");
        }
        // A model without `fields:` is reported once, as lacking a primary key.
        if let Some(n) = e.get("fields") {
            model.fields = self.fields(n, &path.key("fields"));
        }
        if let Some(n) = e.get("indexes") {
            model.indexes = self.indexes(n, &path.key("indexes"));
        }
        if let Some(n) = e.get("uniques") {
            model.uniques = self.uniques(n, &path.key("uniques"));
        }
        if let Some(n) = e.get("relations") {
            let rpath = path.key("relations");
            for (rname, rnode) in self.named(n, &rpath, "relation") {
                if let Some(rel) = self.relation(rname, rnode, &rpath.key(rname)) {
                    model.relations.push(rel);
                }
            }
        }
        if let Some(n) = e.get("repr") {
            model.repr = Some(self.string_list(n, &path.key("repr"), "field"));
        }
        model.renamed_from = e
            .get("renamed_from")
            .and_then(|n| self.value_name(n, &path.key("renamed_from"), "previous table"));
        model
    }

    fn fields(&mut self, node: &Node, path: &Path) -> Vec<FieldSpec> {
        self.named(node, path, "field")
            .into_iter()
            .filter_map(|(name, n)| self.field(name, n, &path.key(name)))
            .collect()
    }

    fn field(&mut self, name: &str, node: &Node, path: &Path) -> Option<FieldSpec> {
        match node {
            Node::Str(text) => {
                let short = self.shorthand(text, path)?;
                let mut field = FieldSpec::plain(name, short.ty, short.nullable);
                for flag in &short.flags {
                    field.set_flag(flag);
                }
                Some(field)
            }
            Node::Map(_) => self.long_field(name, node, path),
            other => {
                self.wrong(path, "a field type such as `str(255)` or a mapping with `type:`", other);
                None
            }
        }
    }

    fn shorthand(&mut self, text: &str, path: &Path) -> Option<crate::shorthand::Shorthand> {
        parse_shorthand(text).map_err(|e| self.shorthand_error(e, path)).ok()
    }

    fn shorthand_error(&mut self, e: ShorthandError, path: &Path) {
        let mut d = Diagnostic::new(e.kind, path.clone(), e.message).highlight(e.word);
        d.expected = e.expected;
        d.help = e.help;
        self.error(d);
    }

    fn long_field(&mut self, name: &str, node: &Node, path: &Path) -> Option<FieldSpec> {
        let e = self.entries(node, path, FIELD_KEYS, &format!("field `{name}`"))?;
        let Some(type_node) = e.get("type") else {
            self.error(
                Diagnostic::new(
                    ErrorKind::MissingKey,
                    path.clone(),
                    format!("field `{name}` has no `type:`"),
                )
                .at_key()
                .expected(TYPES_EXPECTED),
            );
            return None;
        };
        let tpath = path.key("type");
        let type_text = self.string(type_node, &tpath, "a field type such as `str(255)`")?;
        let short = self.shorthand(&type_text, &tpath)?;
        let mut field = FieldSpec::plain(name, short.ty, short.nullable);
        for flag in &short.flags {
            field.set_flag(flag);
        }
        // An option may come from the type's shorthand or from its own key, not both.
        let from_type = |key: &str| match key {
            "nullable" => short.nullable || short.flags.iter().any(|f| f == "nullable"),
            "primary_key" => short.flags.iter().any(|f| f == "pk" || f == "primary_key"),
            other => short.flags.iter().any(|f| f == other),
        };
        for key in ["nullable", "primary_key", "autoincrement", "index", "secret", "unique"] {
            if from_type(key) && e.get(key).is_some() {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.key(key),
                        format!("`{key}` is given both in `type:` and as its own key"),
                    )
                    .at_key()
                    .help(format!("keep one: drop `{key}:` or remove it from `type: {type_text}`")),
                );
            }
        }
        let flag = |r: &mut Reader, key: &str| e.get(key).and_then(|n| r.bool(n, &path.key(key)));
        if let Some(nullable) = flag(self, "nullable") {
            field.nullable = nullable;
        }
        if let Some(pk) = flag(self, "primary_key") {
            field.primary_key = pk;
        }
        if let Some(auto) = flag(self, "autoincrement") {
            field.autoincrement = Some(auto);
        }
        if let Some(index) = flag(self, "index") {
            field.index = index;
        }
        if let Some(secret) = flag(self, "secret") {
            field.secret = secret;
        }
        if let Some(n) = e.get("unique") {
            field.unique = match n {
                Node::Bool(true) => Uniqueness::Yes,
                Node::Bool(false) => Uniqueness::No,
                Node::Str(s) if s == "live" => Uniqueness::Live,
                other => {
                    self.wrong(
                        &path.key("unique"),
                        "`true`, `false` or `live` (unique among rows not soft-deleted)",
                        other,
                    );
                    Uniqueness::No
                }
            };
        }
        field.doc = self.doc(&e, path);
        field.renamed_from = e
            .get("renamed_from")
            .and_then(|n| self.value_name(n, &path.key("renamed_from"), "previous column"));
        for key in ["default", "server_default"] {
            let Some(n) = e.get(key) else { continue };
            let value = match default_value(&field.ty, n) {
                Ok(v) => v,
                Err(expected) => {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadDefault,
                            path.key(key),
                            format!("`{key}` does not fit type `{}`", field.ty),
                        )
                        .expected(expected),
                    );
                    None
                }
            };
            if matches!(n, Node::Null) && !field.nullable {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadDefault,
                        path.key(key),
                        format!("`{key}: null` on a field that is not nullable"),
                    )
                    .help("make the type nullable with `?`, or remove the default"),
                );
            }
            match key {
                "default" => field.default = value,
                _ => field.server_default = value,
            }
        }
        if let Some(n) = e.get("on_update") {
            let upath = path.key("on_update");
            match n {
                Node::Str(s) if s == "now" => {
                    if !matches!(field.ty, LogicalType::DateTime { .. }) {
                        self.error(
                            Diagnostic::new(
                                ErrorKind::BadValue,
                                upath,
                                format!("`on_update: now` needs a datetime field, not `{}`", field.ty),
                            )
                            .help("declare the field as `datetime?`"),
                        );
                    }
                    field.on_update = Some(OnUpdate::Now);
                }
                other => self.wrong(&upath, "`now`", other),
            }
        }
        if let Some(n) = e.get("foreign_key") {
            field.foreign_key = self.foreign_key(n, &path.key("foreign_key"));
        }
        Some(field)
    }

    fn foreign_key(&mut self, node: &Node, path: &Path) -> Option<ForeignKeySpec> {
        if let Node::Str(target) = node {
            return Some(ForeignKeySpec {
                references: target.clone(),
                on_delete: None,
                on_update: None,
            });
        }
        let e = self.entries(node, path, FOREIGN_KEY_KEYS, "a foreign key")?;
        let Some(target) = e.get("references") else {
            self.error(
                Diagnostic::new(ErrorKind::MissingKey, path.clone(), "foreign key has no `references:`")
                    .at_key()
                    .expected("`references: Model.field` (or `table.column`)"),
            );
            return None;
        };
        let references = self.string(target, &path.key("references"), "`Model.field` or `table.column`")?;
        let on_delete = e
            .get("on_delete")
            .and_then(|n| self.fk_action(n, &path.key("on_delete")));
        let on_update = e
            .get("on_update")
            .and_then(|n| self.fk_action(n, &path.key("on_update")));
        Some(ForeignKeySpec {
            references,
            on_delete,
            on_update,
        })
    }

    fn fk_action(&mut self, node: &Node, path: &Path) -> Option<FkAction> {
        let names = FkAction::ALL.map(|(name, _)| name);
        let expected = format!("one of {}", names.join(", "));
        let text = self.string(node, path, &expected)?;
        let normal = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        match FkAction::ALL.iter().find(|(name, _)| *name == normal) {
            Some((_, action)) => Some(*action),
            None => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!("unknown foreign-key action `{text}`"),
                    )
                    .expected(expected)
                    .help_opt(did_you_mean(&normal, names)),
                );
                None
            }
        }
    }

    fn indexes(&mut self, node: &Node, path: &Path) -> Vec<IndexSpec> {
        let Node::Seq(items) = node else {
            self.wrong(path, "a list of indexes", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ipath = path.index(i);
            let Some(e) = self.entries(item, &ipath, INDEX_KEYS, "an index") else {
                continue;
            };
            let name = e
                .get("name")
                .and_then(|n| self.value_name(n, &ipath.key("name"), "index"));
            let columns = self.columns(&e, &ipath);
            let unique = e
                .get("unique")
                .and_then(|n| self.bool(n, &ipath.key("unique")))
                .unwrap_or(false);
            let live = e
                .get("live")
                .and_then(|n| self.bool(n, &ipath.key("live")))
                .unwrap_or(false);
            out.push(IndexSpec {
                name,
                columns,
                unique,
                live,
            });
        }
        out
    }

    fn uniques(&mut self, node: &Node, path: &Path) -> Vec<UniqueSpec> {
        let Node::Seq(items) = node else {
            self.wrong(path, "a list of unique constraints", node);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let upath = path.index(i);
            if let Node::Seq(_) = item {
                let columns = self.string_list(item, &upath, "field");
                out.push(UniqueSpec {
                    name: None,
                    columns,
                    live: false,
                    bare: true,
                });
                continue;
            }
            let Some(e) = self.entries(item, &upath, UNIQUE_KEYS, "a unique constraint") else {
                continue;
            };
            let name = e
                .get("name")
                .and_then(|n| self.value_name(n, &upath.key("name"), "constraint"));
            let columns = self.columns(&e, &upath);
            let live = e
                .get("live")
                .and_then(|n| self.bool(n, &upath.key("live")))
                .unwrap_or(false);
            out.push(UniqueSpec {
                name,
                columns,
                live,
                bare: false,
            });
        }
        out
    }

    fn columns(&mut self, e: &Entries, path: &Path) -> Vec<String> {
        match e.get("columns") {
            Some(n) => self.string_list(n, &path.key("columns"), "field"),
            None => {
                self.error(
                    Diagnostic::new(ErrorKind::MissingKey, path.clone(), "no `columns:` given")
                        .expected("`columns: [field, …]`"),
                );
                Vec::new()
            }
        }
    }

    fn relation(&mut self, name: &str, node: &Node, path: &Path) -> Option<RelationSpec> {
        let e = self.entries(node, path, RELATION_KEYS, &format!("relation `{name}`"))?;
        let kinds: Vec<_> = RelationKindSpec::ALL
            .iter()
            .filter_map(|(key, kind)| e.get(key).map(|n| (*key, *kind, n)))
            .collect();
        let (kind, target) = match kinds.as_slice() {
            [(key, kind, n)] => (*kind, self.string(n, &path.key(key), "the target model's name")?),
            [] => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::MissingKey,
                        path.clone(),
                        format!("relation `{name}` has no kind"),
                    )
                    .at_key()
                    .expected("one of `one_to_many: Model`, `many_to_one: Model`, `many_to_many: Model`"),
                );
                return None;
            }
            [_, (key, _, _), ..] => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.key(key),
                        format!("relation `{name}` has more than one kind"),
                    )
                    .at_key()
                    .help("keep one of one_to_many, many_to_one, many_to_many"),
                );
                return None;
            }
        };
        let back_populates = e
            .get("back_populates")
            .and_then(|n| self.string(n, &path.key("back_populates"), "a relation name"));
        let foreign_key = e
            .get("foreign_key")
            .and_then(|n| self.string(n, &path.key("foreign_key"), "a field name"));
        let through = e
            .get("through")
            .and_then(|n| self.value_name(n, &path.key("through"), "join table"));
        if through.is_some() && kind != RelationKindSpec::ManyToMany {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("through"),
                    "`through` applies only to many_to_many relations",
                )
                .at_key(),
            );
        }
        if through.is_none() && kind == RelationKindSpec::ManyToMany {
            self.error(
                Diagnostic::new(
                    ErrorKind::MissingKey,
                    path.clone(),
                    format!("many-to-many relation `{name}` has no `through:`"),
                )
                .at_key()
                .expected("`through: join_table_name`")
                .help("modelgen creates the join table when no model has that table name"),
            );
        }
        let cascade = e
            .get("cascade")
            .map(|n| self.cascade(n, &path.key("cascade")))
            .unwrap_or_default();
        Some(RelationSpec {
            name: name.to_owned(),
            kind,
            target,
            back_populates,
            cascade,
            foreign_key,
            through,
            doc: self.doc(&e, path),
        })
    }

    /// `"all, delete-orphan"` as SQLAlchemy writes it, or a list.
    fn cascade(&mut self, node: &Node, path: &Path) -> Vec<String> {
        let words: Vec<String> = match node {
            Node::Str(s) => s
                .split(',')
                .map(|w| w.trim().to_owned())
                .filter(|w| !w.is_empty())
                .collect(),
            Node::Seq(_) => self.string_list(node, path, "cascade option"),
            other => {
                self.wrong(path, "cascade options such as `all, delete-orphan`", other);
                return Vec::new();
            }
        };
        for word in &words {
            if !CASCADES.contains(&word.as_str()) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!("unknown cascade option `{word}`"),
                    )
                    .highlight(word.clone())
                    .expected(format!("any of {}", CASCADES.join(", ")))
                    .help_opt(did_you_mean(word, CASCADES.iter().copied())),
                );
            }
        }
        words
    }
}

impl FieldSpec {
    fn plain(name: &str, ty: LogicalType, nullable: bool) -> FieldSpec {
        FieldSpec {
            name: name.to_owned(),
            ty,
            nullable,
            primary_key: false,
            autoincrement: None,
            unique: Uniqueness::No,
            index: false,
            default: None,
            server_default: None,
            on_update: None,
            foreign_key: None,
            doc: None,
            secret: false,
            renamed_from: None,
        }
    }

    fn set_flag(&mut self, flag: &str) {
        match flag {
            "pk" | "primary_key" => self.primary_key = true,
            "autoincrement" => self.autoincrement = Some(true),
            "unique" => self.unique = Uniqueness::Yes,
            "index" => self.index = true,
            "secret" => self.secret = true,
            "nullable" => self.nullable = true,
            _ => unreachable!("parse_shorthand admits only known flags"),
        }
    }
}

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

/// Checks a default against the field's type; `Err` says what was expected.
fn default_value(ty: &LogicalType, node: &Node) -> Result<Option<DefaultValue>, String> {
    if matches!(node, Node::Null) {
        return Ok(None);
    }
    let literal = literal(node).ok_or_else(|| modelgen_ir::default_expected(ty))?;
    modelgen_ir::check_default(ty, &literal).map(Some)
}

/// A YAML value as a literal; `None` for what no default can hold (infinite numbers).
fn literal(node: &Node) -> Option<Literal> {
    Some(match node {
        Node::Null => Literal::Null,
        Node::Bool(b) => Literal::Bool(*b),
        Node::Int(i) => Literal::Number(i.to_string()),
        Node::Float(f) if f.is_finite() => Literal::Number(f.to_string()),
        Node::Float(_) => return None,
        Node::Str(s) => Literal::Str(s.clone()),
        Node::Seq(items) => Literal::List(items.iter().map(literal).collect::<Option<_>>()?),
        Node::Map(entries) => Literal::Map(
            entries
                .iter()
                .map(|(k, v)| Some((k.clone(), literal(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelgen_ir::JsonShape;

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

    #[test]
    fn defaults_are_checked_against_the_type() {
        let list = LogicalType::Json {
            shape: JsonShape::List(Box::new(JsonShape::Str)),
        };
        assert_eq!(
            default_value(&list, &Node::Seq(vec![])),
            Ok(Some(DefaultValue::Json("[]".into())))
        );
        assert!(default_value(&list, &Node::Seq(vec![Node::Int(1)])).is_err());
        assert!(default_value(&LogicalType::Bool, &Node::Str("yes".into())).is_err());
        assert!(default_value(&LogicalType::Str { max_length: 2 }, &Node::Str("abc".into())).is_err());
        assert_eq!(
            default_value(&LogicalType::DateTime { timezone: false }, &Node::Str("now".into())),
            Ok(Some(DefaultValue::Now))
        );
        assert!(default_value(&LogicalType::Int, &Node::Int(1 << 40)).is_err());
    }
}
