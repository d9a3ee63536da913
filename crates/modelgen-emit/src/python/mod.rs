//! The SQLAlchemy back end's view of the IR: one Python module of SQLAlchemy 2.0
//! declarative models that creates, on each dialect the migrations are written for,
//! exactly the schema the migrations create. Every name, type expression and piece of
//! DDL is computed here (the DDL by `modelgen-sql` itself); the templates only place them.

mod columns;
mod enums;
mod literal;
mod naming;
mod relations;

use crate::rust::struct_name;
use literal::*;
use modelgen_ir::{builtin_mixin, Column, Dialect, LogicalType, Model, ModelKind, OnUpdate, Schema};
use modelgen_sql::{ddl, SqlDialect};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Lines longer than this are wrapped, as Black would wrap them.
const LINE: usize = 88;

#[derive(Debug, Clone, Serialize)]
pub struct ModuleView {
    /// Import groups (standard library, then SQLAlchemy), each a list of statements.
    pub imports: Vec<Vec<String>>,
    /// The module needs `utc_now` (naive UTC timestamps, as the seed's `datetime.utcnow`).
    pub utc_now: bool,
    /// The module needs `ByDialect` (a server default each database spells its own way).
    pub by_dialect: bool,
    /// The module needs `NextValue` (a key numbered by a sequence of its own on PostgreSQL).
    pub next_value: bool,
    /// SQLAlchemy's names of the dialects the module creates the schema on.
    pub dialects: Vec<String>,
    /// The metadata's naming convention as `("key", "template")` literals, when it needs
    /// one: the spec's, or the `ck` that names a `bool(check)` column's CHECK as the
    /// migrations do.
    pub naming: Vec<(String, String)>,
    /// Names of this schema that SQLite takes for keywords and SQLAlchemy's SQLite dialect
    /// does not quote, as string literals: the module adds them to its reserved words.
    pub sqlite_keywords: Vec<String>,
    /// The Python enum classes of the spec's enums.
    pub enums: Vec<enums::EnumView>,
    pub mixins: Vec<MixinView>,
    /// Join tables, as plain `Table`s.
    pub tables: Vec<TableView>,
    pub models: Vec<ClassView>,
    /// DDL SQLAlchemy cannot say itself (triggers, MySQL's live column), run on `create_all`.
    pub events: Vec<EventView>,
    /// `__all__`, as string literals.
    pub exports: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MixinView {
    pub class_name: String,
    pub doc: Vec<String>,
    pub columns: Vec<AttrView>,
    /// The attribute whose non-null value marks the row deleted, for `is_deleted`.
    pub soft_delete: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassView {
    pub class_name: String,
    pub bases: Vec<String>,
    pub doc: Vec<String>,
    /// The table name, as a string literal.
    pub table: String,
    /// Entries of `__table_args__`: constraints and indexes the columns cannot say.
    pub table_args: Vec<String>,
    /// The table's comment, as a string literal, for the options dictionary that ends
    /// `__table_args__`.
    pub comment: Option<String>,
    pub columns: Vec<AttrView>,
    pub relations: Vec<AttrView>,
    /// The f-string `__repr__` returns, if the model has repr fields.
    pub repr: Option<String>,
    pub soft_delete: Option<String>,
}

/// One class attribute: `attr: annotation = call(args)`, and that statement laid out.
#[derive(Debug, Clone, Serialize)]
pub struct AttrView {
    pub attr: String,
    pub comment: Vec<String>,
    pub annotation: String,
    pub call: String,
    pub args: Vec<String>,
    /// The whole statement, wrapped to fit, indented for a class body.
    pub code: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub var: String,
    /// The table name, as a string literal.
    pub name: String,
    pub comment: Vec<String>,
    /// `Table(...)` arguments after the name and metadata: columns, then constraints.
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// The `Table` the DDL follows: `User.__table__` or a join table's variable.
    pub target: String,
    /// `before_create`, `after_create` or `after_drop`.
    pub event: String,
    /// The statement as string literals, one per line, concatenated by Python.
    pub ddl: Vec<String>,
    /// The `execute_if(dialect=...)` argument.
    pub dialect: String,
}

/// The module for `schema`, or every reason it cannot create the migrations' schema.
pub fn module(schema: &Schema, dialects: &[Dialect]) -> Result<ModuleView, String> {
    let (naming, said) = naming::convention(schema);
    let mut b = Builder {
        naming,
        schema,
        dialects,
        imports: BTreeMap::new(),
        utc_now: false,
        by_dialect: false,
        next_value: false,
        errors: Vec::new(),
        deferred: modelgen_sql::plan(&schema.models)
            .deferred
            .iter()
            .map(|(m, fk)| (m.table.clone(), fk.columns.clone()))
            .collect(),
    };
    b.import("sqlalchemy.orm", "DeclarativeBase");
    b.import("sqlalchemy.orm", "Mapped");
    b.check_names();
    b.bool_checks();
    let naming = match said {
        true => {
            b.import("sqlalchemy", "MetaData");
            naming::entries(&b.naming)
        }
        false => Vec::new(),
    };
    let enums_view = enums::enums(schema);
    if !enums_view.is_empty() {
        b.import("enum", "Enum as PyEnum");
    }
    let mixins = b.mixins();
    let tables = schema
        .models
        .iter()
        .filter(|m| m.kind == ModelKind::Join)
        .map(|m| b.table(m))
        .collect::<Vec<_>>();
    let models = schema
        .models
        .iter()
        .filter(|m| m.kind == ModelKind::Entity)
        .map(|m| b.class(m))
        .collect::<Vec<_>>();
    let events = schema.models.iter().flat_map(|m| b.events(m)).collect::<Vec<_>>();
    if !b.errors.is_empty() {
        return Err(format!(
            "the SQLAlchemy models cannot create the migrations' schema:\n{}",
            b.errors
                .iter()
                .map(|e| format!("  - {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let mut exports = vec![py_str("Base")];
    exports.extend(mixins.iter().map(|m| py_str(&m.class_name)));
    exports.extend(tables.iter().map(|t| py_str(&t.var)));
    exports.extend(models.iter().map(|m| py_str(&m.class_name)));
    let sqlite_keywords = sqlite_keywords(schema, dialects);
    if !sqlite_keywords.is_empty() {
        b.import("sqlalchemy.dialects.sqlite.base", "SQLiteIdentifierPreparer");
    }
    let dialects = dialects
        .iter()
        .flat_map(|&d| sa_names(d))
        .map(|n| n.to_string())
        .collect();
    Ok(ModuleView {
        imports: b.import_lines(),
        utc_now: b.utc_now,
        by_dialect: b.by_dialect,
        next_value: b.next_value,
        dialects,
        naming,
        sqlite_keywords,
        enums: enums_view,
        mixins,
        tables,
        models,
        events,
        exports,
    })
}

/// Keywords of SQLite (sqlite.org/lang_keywords.html) missing from SQLAlchemy 2.0.58's list
/// of its reserved words: SQLAlchemy leaves such a name unquoted, and SQLite refuses some
/// (`returning`, `current`, `nothing`, …) as a table or column name.
const SQLITE_KEYWORDS_UNQUOTED: &[&str] = &[
    "abort",
    "action",
    "always",
    "current",
    "do",
    "exclude",
    "filter",
    "first",
    "following",
    "generated",
    "groups",
    "last",
    "materialized",
    "no",
    "nothing",
    "nulls",
    "others",
    "over",
    "partition",
    "preceding",
    "range",
    "recursive",
    "regexp",
    "release",
    "returning",
    "rows",
    "savepoint",
    "ties",
    "unbounded",
    "window",
    "with",
    "without",
];

/// The schema's names (tables, columns, indexes, named uniques) that SQLAlchemy would
/// leave unquoted though SQLite reserves them, when the module targets SQLite.
fn sqlite_keywords(schema: &Schema, dialects: &[Dialect]) -> Vec<String> {
    if !dialects.contains(&Dialect::Sqlite) {
        return Vec::new();
    }
    let mut found = BTreeSet::new();
    for m in &schema.models {
        let names = std::iter::once(&m.table)
            .chain(m.columns.iter().map(|c| &c.name))
            .chain(m.indexes.iter().map(|i| &i.name))
            .chain(m.uniques.iter().filter_map(|u| u.name.as_ref()));
        for name in names {
            let lower = name.to_lowercase();
            if SQLITE_KEYWORDS_UNQUOTED.contains(&lower.as_str()) {
                found.insert(lower);
            }
        }
    }
    found.into_iter().map(|n| py_str(&n)).collect()
}

struct Builder<'a> {
    /// The naming convention the module's metadata has, said or SQLAlchemy's default.
    naming: modelgen_ir::naming::NamingConvention,
    schema: &'a Schema,
    dialects: &'a [Dialect],
    /// Module → names imported from it.
    imports: BTreeMap<&'static str, BTreeSet<&'static str>>,
    utc_now: bool,
    by_dialect: bool,
    next_value: bool,
    errors: Vec<String>,
    /// Foreign keys added after their table on PostgreSQL and MySQL: (table, columns).
    deferred: Vec<(String, Vec<String>)>,
}

impl Builder<'_> {
    fn import(&mut self, module: &'static str, name: &'static str) {
        self.imports.entry(module).or_default().insert(name);
    }

    pub(super) fn targets(&self, d: Dialect) -> bool {
        self.dialects.contains(&d)
    }

    /// `from x import a, b` lines: the standard library first, then SQLAlchemy.
    fn import_lines(&self) -> Vec<Vec<String>> {
        let (mut std, mut third) = (Vec::new(), Vec::new());
        for (module, names) in &self.imports {
            let names: Vec<&str> = names.iter().copied().collect();
            let one = format!("from {module} import {}", names.join(", "));
            let line = if one.len() <= LINE {
                one
            } else {
                let items: String = names.iter().map(|n| format!("    {n},\n")).collect();
                format!("from {module} import (\n{items})")
            };
            if module.starts_with("sqlalchemy") {
                third.push(line);
            } else {
                std.push(line);
            }
        }
        [std, third].into_iter().filter(|g| !g.is_empty()).collect()
    }

    /// Class names must not collide with each other or with what the module imports;
    /// identifiers must fit every targeted database, since SQLAlchemy cannot shorten them
    /// the way modelgen does.
    /// The CHECK of a `bool(check)` column is named by the metadata's naming convention,
    /// which SQLAlchemy shortens its own way: one MySQL would have to shorten is refused.
    fn bool_checks(&mut self) {
        for m in &self.schema.models {
            for c in m.columns.iter().filter(|c| c.ty == LogicalType::Bool { check: true }) {
                let Some(check) = modelgen_ir::check::column_check(m, c) else {
                    continue;
                };
                let name = check.name;
                if self.targets(Dialect::Mysql) && !Dialect::Mysql.keeps(&name) {
                    self.errors.push(format!(
                        "the CHECK of the `bool(check)` column {}.{}, `{name}`, is longer than MySQL's 64 characters; shorten the table or column name",
                        m.table, c.name
                    ));
                }
            }
        }
    }

    fn check_names(&mut self) {
        let mut classes: BTreeMap<String, String> = BTreeMap::new();
        let mut claim = |errors: &mut Vec<String>, class: String, what: String| {
            if KEYWORDS.contains(&class.as_str()) || MODULE_NAMES.contains(&class.as_str()) {
                errors.push(format!(
                    "{what} becomes the Python class `{class}`, a name the module already uses; rename it"
                ));
            } else if let Some(other) = classes.get(&class) {
                errors.push(format!(
                    "{what} and {other} both become the Python class `{class}`; rename one"
                ));
            } else {
                classes.insert(class, what);
            }
        };
        for model in &self.schema.models {
            if model.kind == ModelKind::Entity {
                claim(
                    &mut self.errors,
                    struct_name(&model.name),
                    format!("model `{}`", model.name),
                );
            }
        }
        for mixin in mixin_names(self.schema) {
            claim(&mut self.errors, mixin_class(&mixin), format!("mixin `{mixin}`"));
        }
        let plan = modelgen_sql::plan(&self.schema.models);
        for d in self.dialects.iter().copied().filter(|&d| d != Dialect::Sqlite) {
            let mut names: Vec<String> = Vec::new();
            for model in &self.schema.models {
                let table = &model.table;
                let mut named: Vec<(String, &str)> = vec![(format!("table `{table}`"), table)];
                named.extend(
                    model
                        .columns
                        .iter()
                        .map(|c| (format!("column `{table}.{}`", c.name), c.name.as_str())),
                );
                named.extend(
                    model
                        .indexes
                        .iter()
                        .map(|i| (format!("index `{}`", i.name), i.name.as_str())),
                );
                named.extend(
                    model
                        .uniques
                        .iter()
                        .filter_map(|u| u.name.as_deref())
                        .map(|n| (format!("unique `{n}`"), n)),
                );
                named.extend(
                    model
                        .primary_key_name
                        .as_deref()
                        .map(|n| (format!("primary key `{n}`"), n)),
                );
                named.extend(
                    model
                        .checks
                        .iter()
                        .map(|c| (format!("check `{}`", c.name), c.name.as_str())),
                );
                names.extend(
                    named
                        .into_iter()
                        .filter(|(_, name)| d.name_of(name) != *name)
                        .map(|(label, _)| label),
                );
            }
            // Foreign keys modelgen names: those closing a cycle, and on MySQL those of
            // tables too long for MySQL's own `<table>_ibfk_<n>`.
            let named =
                plan.deferred
                    .iter()
                    .map(|(model, fk)| (*model, *fk))
                    .chain(self.schema.models.iter().flat_map(|model| {
                        model
                            .foreign_keys
                            .iter()
                            .filter(move |fk| !ddl::foreign_key_constraint(&model.table, fk, d).is_empty())
                            .map(move |fk| (model, fk))
                    }));
            for (model, fk) in named {
                let name = ddl::fk_name(model, fk);
                if d.name_of(&name) != name && !names.contains(&format!("foreign key `{name}`")) {
                    names.push(format!("foreign key `{name}`"));
                }
            }
            if !names.is_empty() {
                let limit = match d {
                    Dialect::Postgres => "63 bytes",
                    _ => "64 characters",
                };
                self.errors.push(format!(
                    "{} keeps names of at most {limit}; modelgen shortens longer ones with a hash SQLAlchemy cannot reproduce, so shorten these in the spec: {}",
                    d.name(),
                    names.join(", ")
                ));
            }
        }
    }

    fn mixins(&mut self) -> Vec<MixinView> {
        let schema = self.schema;
        let mut out = Vec::new();
        for name in mixin_names(schema) {
            let users: Vec<&Model> = schema.models.iter().filter(|m| m.mixins.contains(&name)).collect();
            let columns_of = |m: &Model| -> Vec<Column> {
                m.columns
                    .iter()
                    .filter(|c| c.mixin.as_deref() == Some(name.as_str()))
                    .cloned()
                    .collect()
            };
            let columns = columns_of(users[0]);
            for other in &users[1..] {
                if columns_of(other) != columns {
                    self.errors.push(format!(
                        "mixin `{name}` gives `{}` and `{}` different columns, but one Python mixin class holds them",
                        users[0].name, other.name
                    ));
                }
            }
            let soft_delete = users
                .iter()
                .filter_map(|m| m.soft_delete.as_deref())
                .find(|d| columns.iter().any(|c| c.name == *d))
                .map(attr_name);
            let doc = match builtin_mixin(&name) {
                Some(b) => docstring(Some(b.doc)),
                None => docstring(Some(&format!("The columns of the `{name}` mixin."))),
            };
            let columns = columns.iter().map(|c| self.column_attr(users[0], c, false)).collect();
            out.push(MixinView {
                class_name: mixin_class(&name),
                doc,
                columns,
                soft_delete,
            });
        }
        out
    }

    fn table(&mut self, model: &Model) -> TableView {
        self.import("sqlalchemy", "Table");
        self.import("sqlalchemy", "Column");
        let mut args: Vec<String> = model
            .columns
            .iter()
            .map(|c| {
                let mut a = vec![py_str(&c.name)];
                a.extend(self.column_args(model, c, true));
                format!("Column({})", a.join(", "))
            })
            .collect();
        args.extend(self.table_args(model));
        if let Some(text) = &model.comment {
            args.push(format!("comment={}", py_str(text)));
        }
        TableView {
            var: table_var(&model.table),
            name: py_str(&model.table),
            comment: doc_lines(model.doc.as_deref()),
            args,
        }
    }

    fn class(&mut self, model: &Model) -> ClassView {
        let class_name = struct_name(&model.name);
        let mut bases = vec!["Base".to_owned()];
        bases.extend(model.mixins.iter().map(|m| mixin_class(m)));
        let own: Vec<&Column> = model.columns.iter().filter(|c| c.mixin.is_none()).collect();
        let mut attrs: Vec<String> = model.columns.iter().map(|c| attr_name(&c.name)).collect();
        attrs.extend(model.relations.iter().map(|r| attr_name(&r.name)));
        let mut seen = BTreeSet::new();
        for a in &attrs {
            if !seen.insert(a) {
                self.errors.push(format!(
                    "two fields or relations of model `{}` become the Python attribute `{a}`; rename one",
                    model.name
                ));
            }
        }
        let columns = own.iter().map(|c| self.column_attr(model, c, true)).collect();
        let table_args = self.table_args(model);
        let relations = model.relations.iter().map(|r| self.relation_attr(model, r)).collect();
        let repr = (!model.repr.is_empty()).then(|| {
            let parts: Vec<String> = model
                .repr
                .iter()
                .map(|c| format!("{c}={{self.{}}}", attr_name(c)))
                .collect();
            format!("f{}", py_str(&format!("<{class_name}({})>", parts.join(", "))))
        });
        let soft_delete = model
            .soft_delete
            .as_deref()
            .filter(|d| model.column(d).is_some_and(|c| c.mixin.is_none()))
            .map(attr_name);
        ClassView {
            class_name,
            bases,
            doc: docstring(model.doc.as_deref()),
            table: py_str(&model.table),
            table_args,
            comment: model.comment.as_deref().map(py_str),
            columns,
            relations,
            repr,
            soft_delete,
        }
    }

    /// DDL that `create_all` runs after the table: what modelgen-sql writes for the
    /// `on_update` columns and MySQL's live-only uniques, statement by statement.
    fn events(&mut self, model: &Model) -> Vec<EventView> {
        let target = match model.kind {
            ModelKind::Join => table_var(&model.table),
            ModelKind::Entity => format!("{}.__table__", struct_name(&model.name)),
        };
        let mut out = Vec::new();
        let mut add = |b: &mut Builder, event: &str, sql: String, d: Dialect| {
            b.import("sqlalchemy", "DDL");
            b.import("sqlalchemy", "event");
            out.push(EventView {
                target: target.clone(),
                event: event.into(),
                ddl: py_lines(&sql.replace('%', "%%")),
                dialect: py_names(sa_names(d)),
            });
        };
        let live = model.indexes.iter().filter(|i| i.live_only);
        if let (true, Some(deleted)) = (self.targets(Dialect::Mysql), &model.soft_delete) {
            let d = Dialect::Mysql;
            if model.indexes.iter().any(|i| i.live_only) {
                let column = ddl::mysql_live_column_sql(deleted);
                add(
                    self,
                    "after_create",
                    format!("ALTER TABLE {} ADD COLUMN {column};", d.ident(&model.table)),
                    d,
                );
            }
            for index in live {
                let mut sql = String::new();
                ddl::create_index(&mut sql, model, index, d);
                add(self, "after_create", sql.trim_end().to_owned(), d);
            }
        }
        // A key's own sequence exists before its table and is dropped after it.
        if self.targets(Dialect::Postgres) {
            let d = Dialect::Postgres;
            for sql in modelgen_sql::sequence::create_statements(model, d) {
                add(self, "before_create", sql, d);
            }
            for sql in modelgen_sql::sequence::drop_statements(model, d) {
                add(self, "after_drop", sql, d);
            }
        }
        let dialects = self.dialects;
        for c in model.columns.iter().filter(|c| c.on_update == Some(OnUpdate::Now)) {
            for d in dialects.iter().copied() {
                if d == Dialect::Mysql {
                    let sql = format!(
                        "ALTER TABLE {} MODIFY COLUMN {};",
                        d.ident(&model.table),
                        ddl::column_sql(c, d)
                    );
                    add(self, "after_create", sql, d);
                }
                for sql in modelgen_sql::on_update_statements(model, c, d) {
                    add(self, "after_create", sql, d);
                }
                if d == Dialect::Postgres {
                    let function = d.ident(&modelgen_sql::trigger_function_name(model, c));
                    add(self, "after_drop", format!("DROP FUNCTION {function}();"), d);
                }
            }
        }
        out
    }
}

fn attr_view(attr: &str, comment: Vec<String>, annotation: String, call: &str, args: Vec<String>) -> AttrView {
    let head = format!("    {attr}: {annotation} = {call}(");
    let one = format!("{head}{})", args.join(", "));
    let code = if one.chars().count() <= LINE {
        one
    } else {
        let inner = format!("        {}", args.join(", "));
        if inner.chars().count() <= LINE {
            format!("{head}\n{inner}\n    )")
        } else {
            let items: String = args.iter().map(|a| format!("        {a},\n")).collect();
            format!("{head}\n{items}    )")
        }
    };
    AttrView {
        attr: attr.to_owned(),
        comment,
        annotation,
        call: call.to_owned(),
        args,
        code,
    }
}

/// Mixins in the order models first use them.
fn mixin_names(schema: &Schema) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for m in &schema.models {
        for mixin in &m.mixins {
            if !names.contains(mixin) {
                names.push(mixin.clone());
            }
        }
    }
    names
}
