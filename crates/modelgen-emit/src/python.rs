//! The SQLAlchemy back end's view of the IR: one Python module of SQLAlchemy 2.0
//! declarative models that creates, on each dialect the migrations are written for,
//! exactly the schema the migrations create. Every name, type expression and piece of
//! DDL is computed here (the DDL by `modelgen-sql` itself); the templates only place them.

use crate::rust::struct_name;
use modelgen_ir::{
    builtin_mixin, Column, DefaultValue, Dialect, ForeignKey, Index, JsonShape, LogicalType, Model, ModelKind,
    OnUpdate, RelationKind, Schema,
};
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
    /// SQLAlchemy's names of the dialects the module creates the schema on.
    pub dialects: Vec<String>,
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
    /// `after_create` or `after_drop`.
    pub event: String,
    /// The statement as string literals, one per line, concatenated by Python.
    pub ddl: Vec<String>,
    /// The `execute_if(dialect=...)` argument.
    pub dialect: String,
}

/// Names the module imports or defines itself; a model or mixin class may not take one.
const MODULE_NAMES: &[&str] = &[
    "Any",
    "Base",
    "BigInteger",
    "Boolean",
    "ByDialect",
    "Column",
    "ColumnElement",
    "DDL",
    "Date",
    "DateTime",
    "Decimal",
    "DeclarativeBase",
    "Double",
    "FetchedValue",
    "Float",
    "ForeignKey",
    "ForeignKeyConstraint",
    "Identity",
    "Index",
    "Integer",
    "JSON",
    "Mapped",
    "Numeric",
    "Optional",
    "String",
    "Table",
    "Text",
    "UUID",
    "UniqueConstraint",
    "Uuid",
];

/// Python's keywords, which cannot name an attribute or a variable.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Names a class body reads while it is being defined (in annotations and column
/// arguments), which an attribute of the same name would shadow, and names declarative
/// or the generated code itself use on the class.
const CLASS_BODY_NAMES: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "date",
    "datetime",
    "timezone",
    "mapped_column",
    "relationship",
    "text",
    "literal_column",
    "utc_now",
    "property",
    "metadata",
    "registry",
    "is_deleted",
];

/// The module for `schema`, or every reason it cannot create the migrations' schema.
pub fn module(schema: &Schema, dialects: &[Dialect]) -> Result<ModuleView, String> {
    let mut b = Builder {
        schema,
        dialects,
        imports: BTreeMap::new(),
        utc_now: false,
        by_dialect: false,
        errors: Vec::new(),
        deferred: modelgen_sql::plan(schema)
            .deferred
            .iter()
            .map(|(m, fk)| (m.table.clone(), fk.columns.clone()))
            .collect(),
    };
    b.import("sqlalchemy.orm", "DeclarativeBase");
    b.import("sqlalchemy.orm", "Mapped");
    b.check_names();
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
    let dialects = dialects
        .iter()
        .flat_map(|&d| sa_names(d))
        .map(|n| n.to_string())
        .collect();
    Ok(ModuleView {
        imports: b.import_lines(),
        utc_now: b.utc_now,
        by_dialect: b.by_dialect,
        dialects,
        mixins,
        tables,
        models,
        events,
        exports,
    })
}

struct Builder<'a> {
    schema: &'a Schema,
    dialects: &'a [Dialect],
    /// Module → names imported from it.
    imports: BTreeMap<&'static str, BTreeSet<&'static str>>,
    utc_now: bool,
    by_dialect: bool,
    errors: Vec<String>,
    /// Foreign keys added after their table on PostgreSQL and MySQL: (table, columns).
    deferred: Vec<(String, Vec<String>)>,
}

impl Builder<'_> {
    fn import(&mut self, module: &'static str, name: &'static str) {
        self.imports.entry(module).or_default().insert(name);
    }

    fn targets(&self, d: Dialect) -> bool {
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
        let plan = modelgen_sql::plan(self.schema);
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
                names.extend(
                    named
                        .into_iter()
                        .filter(|(_, name)| d.name_of(name) != *name)
                        .map(|(label, _)| label),
                );
            }
            for (model, fk) in &plan.deferred {
                let name = ddl::fk_name(model, fk);
                if d.name_of(&name) != name {
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
        args.extend(self.table_args(model, &field_flags(model).consumed));
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
        let table_args = self.table_args(model, &field_flags(model).consumed);
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
            columns,
            relations,
            repr,
            soft_delete,
        }
    }

    /// `name: Mapped[...] = mapped_column(...)`; `inline` places the column's own index,
    /// unique and foreign key flags on it (a mixin's columns leave them to each table).
    fn column_attr(&mut self, model: &Model, c: &Column, inline: bool) -> AttrView {
        self.import("sqlalchemy.orm", "mapped_column");
        let mut args = Vec::new();
        // Python normalizes non-ASCII identifiers (NFKC), so their column names are spelt out.
        if attr_name(&c.name) != c.name || !c.name.is_ascii() {
            args.push(py_str(&c.name));
        }
        args.extend(self.column_args(model, c, inline));
        let annotation = format!("Mapped[{}]", self.python_type(c));
        attr_view(
            &attr_name(&c.name),
            doc_lines(c.doc.as_deref()),
            annotation,
            "mapped_column",
            args,
        )
    }

    fn column_args(&mut self, model: &Model, c: &Column, inline: bool) -> Vec<String> {
        let mut args = vec![self.sql_type(c)];
        if c.autoincrement && self.targets(Dialect::Postgres) {
            // PostgreSQL: GENERATED BY DEFAULT AS IDENTITY, as the migration says, not SERIAL.
            self.import("sqlalchemy", "Identity");
            args.push("Identity()".into());
        }
        let flags = field_flags(model);
        if inline {
            for fk in model.foreign_keys.iter().filter(|fk| fk.columns == [c.name.clone()]) {
                self.import("sqlalchemy", "ForeignKey");
                let mut a = vec![py_str(&format!("{}.{}", fk.target_table, fk.target_columns[0]))];
                a.extend(self.fk_options(model, fk));
                args.push(format!("ForeignKey({})", a.join(", ")));
            }
        }
        if c.primary_key {
            args.push("primary_key=True".into());
        }
        let integer = matches!(c.ty, LogicalType::Int | LogicalType::BigInt);
        if c.autoincrement {
            args.push("autoincrement=True".into());
        } else if c.primary_key && model.primary_key.len() == 1 && integer {
            // SQLAlchemy would otherwise make a lone integer key SERIAL or AUTO_INCREMENT.
            args.push("autoincrement=False".into());
        }
        let flag = flags.columns.get(&c.name).filter(|_| inline);
        if flag.is_some_and(|f| f.unique) {
            args.push("unique=True".into());
        }
        if !c.primary_key {
            args.push(format!("nullable={}", py_bool(c.nullable)));
        }
        if flag.is_some_and(|f| f.index) {
            args.push("index=True".into());
        }
        if let Some(v) = &c.default {
            let expr = self.default_expr(v, &c.ty);
            args.push(format!("default={expr}"));
        }
        if let Some(v) = &c.server_default {
            let expr = self.server_default(v, &c.ty);
            args.push(format!("server_default={expr}"));
        }
        if c.on_update == Some(OnUpdate::Now) {
            // The database sets it (a trigger, or MySQL's ON UPDATE); the ORM reloads it.
            self.import("sqlalchemy", "FetchedValue");
            args.push("server_onupdate=FetchedValue()".into());
        }
        args
    }

    fn fk_options(&mut self, model: &Model, fk: &ForeignKey) -> Vec<String> {
        let mut a = Vec::new();
        if let Some(action) = fk.on_delete {
            a.push(format!("ondelete={}", py_str(action.sql())));
        }
        if let Some(action) = fk.on_update {
            a.push(format!("onupdate={}", py_str(action.sql())));
        }
        let deferred = self
            .deferred
            .iter()
            .any(|(t, cols)| *t == model.table && *cols == fk.columns);
        if deferred {
            // It closes a cycle: PostgreSQL and MySQL add it after the tables, by this name.
            a.push(format!("name={}", py_str(&ddl::fk_name(model, fk))));
            a.push("use_alter=True".into());
        }
        a
    }

    /// Constraints and indexes of a table that its columns' flags do not say.
    fn table_args(&mut self, model: &Model, consumed: &Consumed) -> Vec<String> {
        let mut args = Vec::new();
        for (i, unique) in model.uniques.iter().enumerate() {
            if consumed.uniques.contains(&i) {
                continue;
            }
            self.import("sqlalchemy", "UniqueConstraint");
            let mut a: Vec<String> = unique.columns.iter().map(|c| py_str(c)).collect();
            if let Some(name) = &unique.name {
                a.push(format!("name={}", py_str(name)));
            }
            args.push(format!("UniqueConstraint({})", a.join(", ")));
        }
        for fk in &model.foreign_keys {
            // A mixin's column leaves its foreign key to each table, as it does indexes.
            let inline = fk.columns.len() == 1
                && (model.kind == ModelKind::Join || model.column(&fk.columns[0]).is_some_and(|c| c.mixin.is_none()));
            if inline {
                continue;
            }
            self.import("sqlalchemy", "ForeignKeyConstraint");
            let targets: Vec<String> = fk
                .target_columns
                .iter()
                .map(|c| format!("{}.{c}", fk.target_table))
                .collect();
            let mut a = vec![py_list(&fk.columns), py_list(&targets)];
            a.extend(self.fk_options(model, fk));
            args.push(format!("ForeignKeyConstraint({})", a.join(", ")));
        }
        for (i, index) in model.indexes.iter().enumerate() {
            if consumed.indexes.contains(&i) {
                continue;
            }
            if let Some(arg) = self.index(model, index) {
                args.push(arg);
            }
        }
        args
    }

    fn index(&mut self, model: &Model, index: &Index) -> Option<String> {
        let mut a = vec![py_str(&index.name)];
        a.extend(index.columns.iter().map(|c| py_str(c)));
        if index.unique {
            a.push("unique=True".into());
        }
        let mut created_by = Vec::new();
        let dialects = self.dialects;
        for d in dialects.iter().copied() {
            match (index.live_only, d, &model.soft_delete) {
                // MySQL has no partial index; an event adds modelgen's stand-in.
                (true, Dialect::Mysql, _) => {}
                (true, _, Some(deleted)) => {
                    self.import("sqlalchemy", "text");
                    let predicate = format!("{} IS NULL", d.ident(deleted));
                    a.push(format!("{}_where=text({})", sa_names(d)[0], py_str(&predicate)));
                    created_by.extend(sa_names(d));
                }
                _ => created_by.extend(sa_names(d)),
            }
        }
        if created_by.is_empty() {
            return None;
        }
        self.import("sqlalchemy", "Index");
        let mut call = format!("Index({})", a.join(", "));
        if index.live_only && self.targets(Dialect::Mysql) {
            call.push_str(&format!(".ddl_if(dialect={})", py_names(&created_by)));
        }
        Some(call)
    }

    fn relation_attr(&mut self, model: &Model, rel: &modelgen_ir::Relation) -> AttrView {
        self.import("sqlalchemy.orm", "relationship");
        let schema = self.schema;
        let target = struct_name(&rel.target);
        let target_model = schema.model(&rel.target);
        let mut args = vec![py_str(&target)];
        let annotation = match rel.kind {
            RelationKind::ManyToOne => {
                let nullable = rel
                    .foreign_key
                    .iter()
                    .any(|c| model.column(c).is_some_and(|c| c.nullable));
                if nullable {
                    self.import("typing", "Optional");
                    format!("Mapped[Optional[{}]]", py_str(&target))
                } else {
                    format!("Mapped[{}]", py_str(&target))
                }
            }
            _ => format!("Mapped[list[{}]]", py_str(&target)),
        };
        let this = struct_name(&model.name);
        let refs = |m: &Model, table: &str| m.foreign_keys.iter().filter(|fk| fk.target_table == table).count();
        match (rel.kind, target_model) {
            (RelationKind::ManyToMany, _) => {
                let through = schema.model_by_table(rel.through.as_deref().unwrap_or_default());
                if let Some(through) = through {
                    let secondary = match through.kind {
                        ModelKind::Join => table_var(&through.table),
                        ModelKind::Entity => py_str(&through.table),
                    };
                    args.push(format!("secondary={secondary}"));
                    let target_table = target_model.map(|t| t.table.as_str()).unwrap_or_default();
                    if refs(through, &model.table) > 1 || refs(through, target_table) > 1 {
                        // Two ways through the join table: say which column leads where.
                        args.push(format!(
                            "primaryjoin={}",
                            join_lambda(model, &this, through, &rel.foreign_key)
                        ));
                        if let Some(t) = target_model {
                            args.push(format!(
                                "secondaryjoin={}",
                                join_lambda(t, &target, through, &rel.target_foreign_key)
                            ));
                        }
                    }
                }
            }
            (RelationKind::ManyToOne, Some(t)) => {
                if refs(model, &t.table) > 1 {
                    args.push(format!("foreign_keys={}", attr_list(&this, &rel.foreign_key)));
                }
                if t.table == model.table {
                    args.push(format!("remote_side={}", attr_list(&this, &t.primary_key)));
                }
            }
            (RelationKind::OneToMany, Some(t)) => {
                if refs(t, &model.table) > 1 {
                    args.push(format!("foreign_keys={}", attr_list(&target, &rel.foreign_key)));
                }
            }
            _ => {}
        }
        if let Some(back) = &rel.back_populates {
            args.push(format!("back_populates={}", py_str(&attr_name(back))));
        }
        // Unpaired relations over the same foreign key are two views of it, as the spec
        // says; SQLAlchemy wants that said, or it warns they write the same column.
        let overlaps: Vec<String> = target_model
            .map(|t| {
                t.relations
                    .iter()
                    .filter(|r| overlapping(model, rel, r))
                    .map(|r| attr_name(&r.name))
                    .collect()
            })
            .unwrap_or_default();
        if !overlaps.is_empty() {
            args.push(format!("overlaps={}", py_str(&overlaps.join(","))));
        }
        if !rel.cascade.is_empty() {
            args.push(format!("cascade={}", py_str(&rel.cascade.join(", "))));
        }
        attr_view(
            &attr_name(&rel.name),
            doc_lines(rel.doc.as_deref()),
            annotation,
            "relationship",
            args,
        )
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

    fn sql_type(&mut self, c: &Column) -> String {
        let (sqlite, mysql) = (self.targets(Dialect::Sqlite), self.targets(Dialect::Mysql));
        let mut sa = |name: &'static str| {
            self.import("sqlalchemy", name);
            name.to_owned()
        };
        match &c.ty {
            LogicalType::Str { max_length } => format!("{}({max_length})", sa("String")),
            LogicalType::Text => sa("Text"),
            LogicalType::Int => sa("Integer"),
            // Only an INTEGER primary key autoincrements on SQLite (it is the rowid).
            LogicalType::BigInt if c.autoincrement && sqlite => {
                format!("{}().with_variant({}, \"sqlite\")", sa("BigInteger"), sa("Integer"))
            }
            LogicalType::BigInt => sa("BigInteger"),
            // SQLAlchemy's Float is single precision on MySQL; modelgen's is DOUBLE.
            LogicalType::Float if mysql => {
                format!(
                    "{}().with_variant({}(), \"mysql\", \"mariadb\")",
                    sa("Float"),
                    sa("Double")
                )
            }
            LogicalType::Float => sa("Float"),
            LogicalType::Decimal { precision, scale } => format!("{}({precision}, {scale})", sa("Numeric")),
            LogicalType::Bool => sa("Boolean"),
            LogicalType::DateTime { timezone: false } => sa("DateTime"),
            LogicalType::DateTime { timezone: true } => format!("{}(timezone=True)", sa("DateTime")),
            LogicalType::Date => sa("Date"),
            LogicalType::Uuid => sa("Uuid"),
            LogicalType::Json { .. } => sa("JSON"),
        }
    }

    /// The Python type inside `Mapped[...]`.
    fn python_type(&mut self, c: &Column) -> String {
        let base = match &c.ty {
            LogicalType::Str { .. } | LogicalType::Text => "str".to_owned(),
            LogicalType::Int | LogicalType::BigInt => "int".into(),
            LogicalType::Float => "float".into(),
            LogicalType::Decimal { .. } => {
                self.import("decimal", "Decimal");
                "Decimal".into()
            }
            LogicalType::Bool => "bool".into(),
            LogicalType::DateTime { .. } => {
                self.import("datetime", "datetime");
                "datetime".into()
            }
            LogicalType::Date => {
                self.import("datetime", "date");
                "date".into()
            }
            LogicalType::Uuid => {
                self.import("uuid", "UUID");
                "UUID".into()
            }
            LogicalType::Json { shape } => self.json_type(shape),
        };
        if c.nullable {
            self.import("typing", "Optional");
            format!("Optional[{base}]")
        } else {
            base
        }
    }

    fn json_type(&mut self, shape: &JsonShape) -> String {
        match shape {
            JsonShape::Any => {
                self.import("typing", "Any");
                "Any".into()
            }
            JsonShape::Str => "str".into(),
            JsonShape::Int | JsonShape::BigInt => "int".into(),
            JsonShape::Float => "float".into(),
            JsonShape::Bool => "bool".into(),
            JsonShape::List(item) => format!("list[{}]", self.json_type(item)),
            JsonShape::Map(item) => format!("dict[str, {}]", self.json_type(item)),
        }
    }

    /// A client-side default, applied when the ORM inserts a row without the value.
    fn default_expr(&mut self, v: &DefaultValue, ty: &LogicalType) -> String {
        match (v, ty) {
            (DefaultValue::Bool(b), _) => py_bool(*b).into(),
            (DefaultValue::Int(i), _) => i.to_string(),
            (DefaultValue::Float(f), _) => format!("{f:?}"),
            (DefaultValue::Decimal(d), _) => {
                self.import("decimal", "Decimal");
                format!("Decimal({})", py_str(d))
            }
            (DefaultValue::Str(s), LogicalType::Uuid) => {
                self.import("uuid", "UUID");
                format!("UUID({})", py_str(s))
            }
            (DefaultValue::Str(s), LogicalType::Date) => {
                self.import("datetime", "date");
                format!("date.fromisoformat({})", py_str(s))
            }
            (DefaultValue::Str(s), LogicalType::DateTime { timezone: false }) => {
                self.import("datetime", "datetime");
                format!("datetime.fromisoformat({})", py_str(s))
            }
            (DefaultValue::Str(s), LogicalType::DateTime { timezone: true }) => {
                self.import("datetime", "datetime");
                self.import("datetime", "timezone");
                format!("datetime.fromisoformat({}).replace(tzinfo=timezone.utc)", py_str(s))
            }
            (DefaultValue::Str(s), _) => py_str(s),
            (DefaultValue::Now, LogicalType::DateTime { timezone: false }) => {
                self.utc_now = true;
                self.import("datetime", "datetime");
                self.import("datetime", "timezone");
                "utc_now".into()
            }
            (DefaultValue::Now, LogicalType::DateTime { timezone: true }) => {
                self.import("datetime", "datetime");
                self.import("datetime", "timezone");
                "lambda: datetime.now(timezone.utc)".into()
            }
            (DefaultValue::Now, _) => {
                self.import("datetime", "datetime");
                self.import("datetime", "timezone");
                "lambda: datetime.now(timezone.utc).date()".into()
            }
            (DefaultValue::Json(j), _) if j == "[]" => "list".into(),
            (DefaultValue::Json(j), _) if j == "{}" => "dict".into(),
            (DefaultValue::Json(j), _) => {
                let value: serde_json::Value = serde_json::from_str(j).expect("the IR holds valid JSON");
                format!("lambda: {}", py_value(&value))
            }
        }
    }

    /// A server default, spelt by each dialect as the migration spells it.
    fn server_default(&mut self, v: &DefaultValue, ty: &LogicalType) -> String {
        let dialects = self.dialects;
        let sql: Vec<(Dialect, String)> = dialects.iter().map(|&d| (d, d.default_sql(v, ty))).collect();
        let first = sql.first().map(|(_, s)| s.clone()).unwrap_or_default();
        if sql.iter().all(|(_, s)| *s == first) {
            // text() takes `:name` for a bind parameter; literal_column takes SQL as it is.
            let func = if has_bind_like(&first) {
                "literal_column"
            } else {
                "text"
            };
            self.import("sqlalchemy", if func == "text" { "text" } else { "literal_column" });
            return format!("{func}({})", py_str(&first));
        }
        self.by_dialect = true;
        self.import("sqlalchemy.ext.compiler", "compiles");
        self.import("sqlalchemy.sql.expression", "ColumnElement");
        self.import("typing", "Any");
        let parts: Vec<String> = sql
            .iter()
            .map(|(d, s)| format!("{}={}", sa_names(*d)[0], py_str(s)))
            .collect();
        format!("ByDialect({})", parts.join(", "))
    }
}

/// Which field-level indexes and uniques a column's flags can say, as SQLAlchemy names
/// them: `index=True` is `ix_<table>_<column>`, `unique=True` alone an unnamed UNIQUE.
struct FieldFlags {
    columns: BTreeMap<String, Flag>,
    consumed: Consumed,
}

#[derive(Default, Clone, Copy)]
struct Flag {
    unique: bool,
    index: bool,
}

#[derive(Default)]
struct Consumed {
    indexes: Vec<usize>,
    uniques: Vec<usize>,
}

fn field_flags(model: &Model) -> FieldFlags {
    let mut columns: BTreeMap<String, Flag> = BTreeMap::new();
    let mut consumed = Consumed::default();
    let own = |name: &str| model.column(name).is_some_and(|c| c.mixin.is_none()) && model.kind == ModelKind::Entity;
    for (i, index) in model.indexes.iter().enumerate() {
        let [column] = index.columns.as_slice() else { continue };
        let named_by_sqlalchemy = index.name == format!("ix_{}_{column}", model.table);
        if !named_by_sqlalchemy || index.live_only || !own(column) || columns.contains_key(column) {
            continue;
        }
        columns.insert(
            column.clone(),
            Flag {
                unique: index.unique,
                index: true,
            },
        );
        consumed.indexes.push(i);
    }
    for (i, unique) in model.uniques.iter().enumerate() {
        let [column] = unique.columns.as_slice() else { continue };
        // With `index=True`, `unique=True` makes a unique index, not a constraint.
        if unique.name.is_some() || !own(column) || columns.contains_key(column) {
            continue;
        }
        columns.insert(
            column.clone(),
            Flag {
                unique: true,
                index: false,
            },
        );
        consumed.uniques.push(i);
    }
    FieldFlags { columns, consumed }
}

/// Whether `other` (on `rel`'s target) follows the same foreign key as `rel` the other
/// way without the two being paired by `back_populates`.
fn overlapping(model: &Model, rel: &modelgen_ir::Relation, other: &modelgen_ir::Relation) -> bool {
    let paired = rel.back_populates.as_deref() == Some(other.name.as_str())
        || other.back_populates.as_deref() == Some(rel.name.as_str());
    let same_path = match (rel.kind, other.kind) {
        (RelationKind::OneToMany, RelationKind::ManyToOne) | (RelationKind::ManyToOne, RelationKind::OneToMany) => {
            other.foreign_key == rel.foreign_key
        }
        (RelationKind::ManyToMany, RelationKind::ManyToMany) => {
            other.through == rel.through && other.foreign_key == rel.target_foreign_key
        }
        _ => false,
    };
    other.target == model.name && same_path && !paired
}

/// `lambda: Employee.id == Mentorship.mentee_id`, joined with `&` for composite keys.
fn join_lambda(side: &Model, side_class: &str, through: &Model, through_columns: &[String]) -> String {
    let through_ref = |c: &str| match through.kind {
        ModelKind::Join => format!("{}.c[{}]", table_var(&through.table), py_str(c)),
        ModelKind::Entity => format!("{}.{}", struct_name(&through.name), attr_name(c)),
    };
    let fk = through
        .foreign_keys
        .iter()
        .find(|fk| fk.columns == through_columns && fk.target_table == side.table);
    let pairs: Vec<String> = match fk {
        Some(fk) => fk
            .columns
            .iter()
            .zip(&fk.target_columns)
            .map(|(c, t)| format!("({side_class}.{} == {})", attr_name(t), through_ref(c)))
            .collect(),
        None => Vec::new(),
    };
    let body = match pairs.as_slice() {
        [one] => one.trim_start_matches('(').trim_end_matches(')').to_owned(),
        _ => pairs.join(" & "),
    };
    format!("lambda: {body}")
}

/// `"[Employee.id]"`: attributes for relationship() to evaluate once every class exists.
fn attr_list(class: &str, columns: &[String]) -> String {
    let items: Vec<String> = columns.iter().map(|c| format!("{class}.{}", attr_name(c))).collect();
    py_str(&format!("[{}]", items.join(", ")))
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

/// `timestamps` → `TimestampMixin` and `soft_delete` → `SoftDeleteMixin`, the seed's
/// names; `audited` → `AuditedMixin`.
fn mixin_class(name: &str) -> String {
    match name {
        "timestamps" => "TimestampMixin".into(),
        other => format!("{}Mixin", struct_name(other)),
    }
}

/// A column or relation name as a Python attribute: names Python or the module reserve
/// get a trailing `_` (`from` → `from_`); `__x` would be mangled, so it gets a prefix.
fn attr_name(name: &str) -> String {
    if name.starts_with("__") {
        return format!("f{name}");
    }
    let reserved = KEYWORDS.contains(&name)
        || MODULE_NAMES.contains(&name)
        || CLASS_BODY_NAMES.contains(&name)
        || name.starts_with("_sa_");
    if reserved {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// A join table's module variable: its name, unless Python or the module reserve it.
fn table_var(table: &str) -> String {
    attr_name(table)
}

/// SQLAlchemy's names for a dialect: MariaDB connections call themselves `mariadb`.
fn sa_names(d: Dialect) -> &'static [&'static str] {
    match d {
        Dialect::Sqlite => &["sqlite"],
        Dialect::Postgres => &["postgresql"],
        Dialect::Mysql => &["mysql", "mariadb"],
    }
}

/// One name as a string, several as a tuple.
fn py_names(names: &[&str]) -> String {
    match names {
        [one] => py_str(one),
        _ => format!("({})", names.iter().map(|n| py_str(n)).collect::<Vec<_>>().join(", ")),
    }
}

fn py_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| py_str(i)).collect::<Vec<_>>().join(", "))
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// A Python string literal in double quotes, or in single quotes when that saves escaping.
pub fn py_str(s: &str) -> String {
    let quote = if s.contains('"') && !s.contains('\'') {
        '\''
    } else {
        '"'
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A multi-line text as one literal per line, each but the last ending in `\n`.
fn py_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 < lines.len() {
                py_str(&format!("{l}\n"))
            } else {
                py_str(l)
            }
        })
        .collect()
}

/// A JSON value as the Python literal that builds it.
fn py_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => py_bool(*b).into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_str(s),
        Value::Array(items) => format!("[{}]", items.iter().map(py_value).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_str(k), py_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether `text()` would take part of `sql` for a bind parameter: SQLAlchemy's
/// `(?<![:\w\\]):(\w+)(?!:)`.
fn has_bind_like(sql: &str) -> bool {
    let chars: Vec<char> = sql.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    chars.iter().enumerate().any(|(i, &c)| {
        if c != ':' || (i > 0 && (chars[i - 1] == ':' || chars[i - 1] == '\\' || word(chars[i - 1]))) {
            return false;
        }
        let run = chars[i + 1..].iter().take_while(|&&c| word(c)).count();
        run >= 2 || (run == 1 && chars.get(i + 2) != Some(&':'))
    })
}

/// Doc text as the lines of a `"""` docstring.
fn docstring(doc: Option<&str>) -> Vec<String> {
    doc_lines(doc)
        .into_iter()
        .map(|l| l.replace('\\', "\\\\").replace('"', "\\\""))
        .collect()
}

/// Doc text as lines.
fn doc_lines(doc: Option<&str>) -> Vec<String> {
    doc.map(|d| d.lines().map(|l| l.trim_end().to_owned()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_quote_as_python_repr_does() {
        assert_eq!(py_str("abc"), "\"abc\"");
        assert_eq!(py_str("it's"), "\"it's\"");
        assert_eq!(py_str("say \"hi\""), "'say \"hi\"'");
        assert_eq!(py_str("both ' and \""), "\"both ' and \\\"\"");
        assert_eq!(py_str("a\\b\nc\u{1}"), "\"a\\\\b\\nc\\x01\"");
        assert_eq!(py_str("größe"), "\"größe\"");
    }

    #[test]
    fn bind_like_colons_are_found_as_sqlalchemy_finds_them() {
        assert!(!has_bind_like("'2024-01-31 12:00:00'"));
        assert!(!has_bind_like("x::int"));
        assert!(!has_bind_like("':a:'"));
        assert!(has_bind_like("'a :ab: b'"));
        assert!(has_bind_like("':name'"));
    }

    #[test]
    fn reserved_names_get_a_trailing_underscore() {
        assert_eq!(attr_name("from"), "from_");
        assert_eq!(attr_name("metadata"), "metadata_");
        assert_eq!(attr_name("str"), "str_");
        assert_eq!(attr_name("email"), "email");
        assert_eq!(attr_name("__x"), "f__x");
    }
}
