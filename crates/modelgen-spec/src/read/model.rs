//! Models, mixins and fields: the long and the shorthand forms, types and defaults.

use super::*;
use std::collections::BTreeMap;

/// Whether a field that could not be read says it is part of the primary key.
fn may_be_key(node: &Node) -> bool {
    let says_pk = |text: &str| text.split_whitespace().any(|w| w == "pk" || w == "primary_key");
    match node {
        Node::Str(text) => says_pk(text),
        Node::Map(entries) => entries
            .iter()
            .any(|(k, v)| k == "primary_key" || (k == "type" && matches!(v, Node::Str(t) if says_pk(t)))),
        _ => false,
    }
}

impl Reader {
    pub(super) fn mixin(&mut self, name: &str, node: &Node, path: &Path) -> Option<MixinSpec> {
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

    pub(super) fn model(&mut self, name: &str, node: &Node, path: &Path) -> ModelSpec {
        let mut model = ModelSpec {
            name: name.to_owned(),
            ..ModelSpec::default()
        };
        let Some(e) = self.entries(node, path, MODEL_KEYS, &format!("model `{name}`")) else {
            model.unread_key = true;
            return model;
        };
        model.table = e
            .get("table")
            .and_then(|n| self.value_name(n, &path.key("table"), "table"));
        model.doc = self.doc(&e, path);
        model.comment = self.comment(&e, path, CommentOn::Table);
        if let Some(n) = e.get("mixins") {
            model.mixins = self.string_list(n, &path.key("mixins"), "mixin");
        }
        // A model without `fields:` is reported once, as lacking a primary key.
        if let Some(n) = e.get("fields") {
            let fpath = path.key("fields");
            model.unread_key |= !matches!(n, Node::Map(_));
            for (fname, fnode) in self.named(n, &fpath, "field") {
                match self.field(fname, fnode, &fpath) {
                    Some(field) => model.fields.push(field),
                    None => {
                        model.unread.push(fname.to_owned());
                        model.unread_key |= may_be_key(fnode);
                    }
                }
            }
        }
        if let Some(n) = e.get("indexes") {
            model.indexes = self.indexes(n, &path.key("indexes"));
        }
        if let Some(n) = e.get("uniques") {
            model.uniques = self.uniques(n, &path.key("uniques"));
        }
        if let Some(n) = e.get("foreign_keys") {
            model.foreign_keys = self.model_foreign_keys(n, &path.key("foreign_keys"));
        }
        if let Some(n) = e.get("relations") {
            let rpath = path.key("relations");
            for (rname, rnode) in self.named(n, &rpath, "relation") {
                match self.relation(rname, rnode, &rpath.key(rname)) {
                    Some(rel) => model.relations.push(rel),
                    None => model.unread.push(rname.to_owned()),
                }
            }
        }
        if let Some(n) = e.get("repr") {
            model.repr = Some(self.string_list(n, &path.key("repr"), "field"));
        }
        model.renamed_from = e
            .get("renamed_from")
            .and_then(|n| self.value_name(n, &path.key("renamed_from"), "previous table"));
        if let Some(n) = e.get("checks") {
            model.checks = self.checks(n, &path.key("checks"));
        }
        if let Some(n) = e.get("primary_key") {
            let kpath = path.key("primary_key");
            match n {
                // `{columns: [b, a], name: pk_x}`, either part optional.
                Node::Map(_) => {
                    if let Some(e) = self.entries(n, &kpath, PRIMARY_KEY_KEYS, "a primary key") {
                        if let Some(c) = e.get("columns") {
                            model.primary_key = Some(self.string_list(c, &kpath.key("columns"), "field"));
                        }
                        model.primary_key_name = e
                            .get("name")
                            .and_then(|n| self.value_name(n, &kpath.key("name"), "constraint"));
                    }
                }
                _ => model.primary_key = Some(self.string_list(n, &kpath, "field")),
            }
        }
        model
    }

    pub(super) fn fields(&mut self, node: &Node, path: &Path) -> Vec<FieldSpec> {
        self.named(node, path, "field")
            .into_iter()
            .filter_map(|(name, n)| self.field(name, n, path))
            .collect()
    }

    /// Field `name` under `parent` (its `fields:`). The field's own path is built only when
    /// something needs it (an error, an inline enum, the long form): most fields are a
    /// shorthand that reads cleanly, and a path per field was a tenth of `check`.
    pub(super) fn field(&mut self, name: &str, node: &Node, parent: &Path) -> Option<FieldSpec> {
        match node {
            Node::Str(text) => {
                let short = match parse_shorthand(text) {
                    Ok(short) => short,
                    Err(e) => {
                        self.shorthand_error(e, &parent.key(name));
                        return None;
                    }
                };
                let ty = match short.ty {
                    LogicalType::Enum(_) => self.resolve_enum(short.ty, name, &parent.key(name))?,
                    ty => ty,
                };
                let mut field = FieldSpec::plain(name, ty, short.nullable);
                for flag in &short.flags {
                    field.set_flag(flag);
                }
                Some(field)
            }
            Node::Map(_) => self.long_field(name, node, &parent.key(name)),
            other => {
                self.wrong(
                    &parent.key(name),
                    "a field type such as `str(255)` or a mapping with `type:`",
                    other,
                );
                None
            }
        }
    }

    pub(super) fn shorthand(&mut self, text: &str, path: &Path) -> Option<crate::shorthand::Shorthand> {
        parse_shorthand(text).map_err(|e| self.shorthand_error(e, path)).ok()
    }

    pub(super) fn shorthand_error(&mut self, e: ShorthandError, path: &Path) {
        let mut d = Diagnostic::new(e.kind, path.clone(), e.message).highlight(e.word);
        d.expected = e.expected;
        d.help = e.help;
        self.error(d);
    }

    pub(super) fn long_field(&mut self, name: &str, node: &Node, path: &Path) -> Option<FieldSpec> {
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
        let ty = self.resolve_enum(short.ty.clone(), name, &tpath)?;
        let mut field = FieldSpec::plain(name, ty, short.nullable);
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
        if let Some(n) = e.get("autoincrement") {
            if let Some((auto, generator)) = self.autoincrement(n, &path.key("autoincrement")) {
                field.autoincrement = Some(auto);
                field.generator = generator;
            }
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
        field.comment = self.comment(&e, path, CommentOn::Column);
        field.renamed_from = e
            .get("renamed_from")
            .and_then(|n| self.value_name(n, &path.key("renamed_from"), "previous column"));
        for key in ["default", "server_default"] {
            let Some(n) = e.get(key) else { continue };
            if let Some(why) = text_problem(n) {
                self.error(text_error(path.key(key), key, &why));
                continue;
            }
            let value = match default_value(&field.ty, n, key == "server_default") {
                Ok(v) => v,
                // A default the application could give, which the database cannot (`uuid4`).
                Err(why) if key == "server_default" && default_value(&field.ty, n, false).is_ok() => {
                    self.error(Diagnostic::new(ErrorKind::BadDefault, path.key(key), why));
                    None
                }
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
        if let Some(n) = e.get("server_default_sql") {
            let spath = path.key("server_default_sql");
            if field.server_default.is_some() || e.get("server_default").is_some() {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        spath.clone(),
                        "`server_default_sql` and `server_default` both set the database's default",
                    )
                    .at_key()
                    .help("keep one: a value in `server_default`, or SQL in `server_default_sql`"),
                );
            } else {
                field.server_default = self.sql_default(n, &spath);
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
        if let Some(n) = e.get("app_on_update") {
            let upath = path.key("app_on_update");
            match n {
                Node::Str(s) if s == "now" => {
                    if !matches!(field.ty, LogicalType::DateTime { .. } | LogicalType::Date) {
                        self.error(
                            Diagnostic::new(
                                ErrorKind::BadValue,
                                upath.clone(),
                                format!(
                                    "`app_on_update: now` needs a datetime or date field, not `{}`",
                                    field.ty
                                ),
                            )
                            .help("declare the field as `datetime`"),
                        );
                    }
                    if field.on_update.is_some() {
                        self.error(
                            Diagnostic::new(
                                ErrorKind::BadValue,
                                upath,
                                "`app_on_update` and `on_update` both keep this field current; the application or the database should, not both",
                            )
                            .help("keep `app_on_update: now` (the application sets it, as SQLAlchemy's `onupdate=`) or `on_update: now` (a trigger)"),
                        );
                    }
                    field.app_on_update = Some(OnUpdate::Now);
                }
                other => self.wrong(&upath, "`now`", other),
            }
        }
        if let Some(n) = e.get("foreign_key") {
            field.foreign_key = self.foreign_key(n, &path.key("foreign_key"));
        }
        if let Some(n) = e.get("rust_type") {
            let rpath = path.key("rust_type");
            if let Some(rust) = self.string(n, &rpath, "a Rust type such as `f64` or `crate::Settings`") {
                match check_rust_type(&field.ty, &rust) {
                    Ok(()) => field.rust_type = Some(rust),
                    Err(why) => self.error(
                        Diagnostic::new(ErrorKind::BadValue, rpath, why)
                            .help("see \"rust_type\" in docs/spec.md for the types each column type can have"),
                    ),
                }
            }
        }
        Some(field)
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
            generator: None,
            unique: Uniqueness::No,
            index: false,
            default: None,
            server_default: None,
            on_update: None,
            foreign_key: None,
            doc: None,
            comment: None,
            secret: false,
            renamed_from: None,
            rust_type: None,
            app_on_update: None,
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

/// Why a string somewhere in `node` (a key or a value) cannot reach generated files.
fn text_problem(node: &Node) -> Option<String> {
    match node {
        Node::Str(s) => modelgen_ir::check_text(s).err(),
        Node::Seq(items) => items.iter().find_map(text_problem),
        Node::Map(entries) => entries
            .iter()
            .find_map(|(k, v)| modelgen_ir::check_text(k).err().or_else(|| text_problem(v))),
        _ => None,
    }
}

impl Reader {
    /// `server_default_sql: "gen_random_uuid()"` (one SQL for every database) or a
    /// mapping with SQL per database (`{postgres: "gen_random_uuid()", sqlite: …}`).
    fn sql_default(&mut self, node: &Node, path: &Path) -> Option<DefaultValue> {
        let expected = "SQL text, or a mapping of database (sqlite, postgres, mysql) to SQL text";
        let mut by_dialect = BTreeMap::new();
        match node {
            Node::Map(_) => {
                let names = Dialect::ALL.map(Dialect::name);
                let e = self.entries(node, path, &names, "SQL by database")?;
                for d in Dialect::ALL {
                    if let Some(n) = e.get(d.name()) {
                        let text = self.any_string(n, &path.key(d.name()), "SQL text")?;
                        by_dialect.insert(d, (text, path.key(d.name())));
                    }
                }
                // Unknown keys alone were reported already.
                let unknown_keys = matches!(node, Node::Map(entries) if !entries.is_empty());
                if by_dialect.is_empty() && !unknown_keys {
                    self.error(
                        Diagnostic::new(ErrorKind::WrongShape, path.clone(), "no SQL for any database")
                            .expected(expected),
                    );
                }
                if by_dialect.is_empty() {
                    return None;
                }
            }
            _ => {
                let text = self.any_string(node, path, expected)?;
                by_dialect = Dialect::ALL
                    .into_iter()
                    .map(|d| (d, (text.clone(), path.clone())))
                    .collect();
            }
        }
        let mut ok = true;
        let mut seen = Vec::new();
        for (text, at) in by_dialect.values() {
            // One text for every database is one mistake, said once.
            if seen.contains(&at) {
                continue;
            }
            seen.push(at);
            if let Err(why) = modelgen_ir::check_sql_expression(text) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadDefault,
                        at.clone(),
                        format!("`{text}` is not one SQL expression"),
                    )
                    .expected(why)
                    .help("write the expression alone, as it would follow DEFAULT: `gen_random_uuid()`, `(1 + 2)`"),
                );
                ok = false;
            }
        }
        ok.then(|| DefaultValue::Sql(by_dialect.into_iter().map(|(d, (text, _))| (d, text)).collect()))
    }
}

/// The diagnostic for text that [`modelgen_ir::check_text`] refuses.
pub(super) fn text_error(path: Path, what: &str, why: &str) -> Diagnostic {
    Diagnostic::new(ErrorKind::BadValue, path, format!("`{what}` {why}")).help(
        "remove it: such characters end or reorder the SQL, Rust and Python it is written into (a line break is fine)",
    )
}

/// Checks a default against the field's type; `Err` says what was expected.
/// A `default` (or, with `server`, a `server_default`) checked against its type.
fn default_value(ty: &LogicalType, node: &Node, server: bool) -> Result<Option<DefaultValue>, String> {
    if matches!(node, Node::Null) {
        return Ok(None);
    }
    let literal = literal(node).ok_or_else(|| modelgen_ir::default_expected(ty))?;
    match server {
        true => modelgen_ir::check_server_default(ty, &literal).map(Some),
        false => modelgen_ir::check_default(ty, &literal).map(Some),
    }
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
    fn defaults_are_checked_against_the_type() {
        let list = LogicalType::Json {
            shape: JsonShape::List(Box::new(JsonShape::Str)),
        };
        assert_eq!(
            default_value(&list, &Node::Seq(vec![]), false),
            Ok(Some(DefaultValue::Json("[]".into())))
        );
        assert!(default_value(&list, &Node::Seq(vec![Node::Int(1)]), false).is_err());
        assert!(default_value(&LogicalType::Bool { check: false }, &Node::Str("yes".into()), false).is_err());
        assert!(default_value(
            &LogicalType::Str { max_length: Some(2) },
            &Node::Str("abc".into()),
            false
        )
        .is_err());
        assert_eq!(
            default_value(
                &LogicalType::DateTime { timezone: false },
                &Node::Str("now".into()),
                false
            ),
            Ok(Some(DefaultValue::Now))
        );
        assert!(default_value(&LogicalType::Int, &Node::Int(1 << 40), false).is_err());
        // A number as a string is a server default SQLAlchemy writes (`DEFAULT '0'`), not a
        // value the application could give an integer field.
        assert!(default_value(&LogicalType::Int, &Node::Str("0".into()), false).is_err());
        assert_eq!(
            default_value(&LogicalType::Int, &Node::Str("0".into()), true),
            Ok(Some(DefaultValue::Str("0".into())))
        );
        assert!(default_value(&LogicalType::Int, &Node::Str("zero".into()), true).is_err());
    }
}
