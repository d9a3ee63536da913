//! The Rust back end's view of the IR: names, types and attributes, all computed here so
//! the templates only place them.

use heck::ToSnakeCase;
use modelgen_ir::check::CheckExpr;
use modelgen_ir::config::RustOutput;
use modelgen_ir::rust_names::{insert_struct_name, module_name};
use modelgen_ir::{
    builtin_mixin, DefaultValue, Dialect, FkAction, Generator, IndexKey, JsonShape, LogicalType, Model, ModelKind,
    RelationKind, Schema,
};
use serde::Serialize;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct ModelView {
    pub table: String,
    pub struct_name: String,
    pub module: String,
    /// The module's file name (no raw-identifier prefix).
    pub file: String,
    pub exports: String,
    pub doc: Vec<String>,
    pub derives: Vec<String>,
    pub attrs: Vec<String>,
    pub imports: Vec<String>,
    /// Lints the generated struct must allow, e.g. `non_snake_case` for a `Mixed_Case` column.
    pub allows: Vec<String>,
    pub fields: Vec<FieldView>,
    pub insert: Option<InsertView>,
    /// The model's sqlx queries per dialect, with `output.rust.queries`.
    pub queries: Option<crate::queries::QueriesView>,
}

/// What `mod.rs` needs of a model.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ModuleView {
    pub module: String,
    pub exports: String,
    /// The file, for a module whose name is not ASCII: Rust finds only ASCII-named
    /// module files without a `#[path]`.
    pub path: Option<String>,
    /// Whether the module has a queries module per dialect.
    pub queries: bool,
}

impl From<&ModelView> for ModuleView {
    fn from(view: &ModelView) -> ModuleView {
        ModuleView {
            module: view.module.clone(),
            exports: view.exports.clone(),
            path: (!view.file.is_ascii()).then(|| format!("{}.rs", view.file)),
            queries: view.queries.is_some(),
        }
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct FieldView {
    pub ident: String,
    pub column: String,
    pub ty: String,
    pub doc: Vec<String>,
    pub model_attrs: Vec<String>,
    pub serde_attrs: Vec<String>,
    pub sqlx_attrs: Vec<String>,
    /// The initializer in `New*::new`, when it is not the parameter of the same name.
    pub init: Option<String>,
    /// A `secret` column: `Debug` shows a placeholder instead of its value.
    pub secret: bool,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct InsertView {
    pub struct_name: String,
    pub fields: Vec<FieldView>,
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Param {
    pub ident: String,
    pub ty: String,
}

pub use modelgen_ir::rust_names::struct_name;

pub fn views(schema: &Schema, rust: &RustOutput, dialects: &[Dialect]) -> Vec<ModelView> {
    let types = Types::new(rust, dialects);
    // Relations are followed only for queries.
    let models = rust.queries.then(|| crate::queries::Models::new(&schema.models));
    schema
        .models
        .iter()
        .map(|m| {
            let mut view = view(m, rust, types);
            if let Some(models) = models
                .as_ref()
                .filter(|_| m.kind == ModelKind::Entity && !m.primary_key.is_empty())
            {
                view.queries = Some(crate::queries::view(m, models, dialects, types));
            }
            if let Some(q) = view.queries.as_ref().filter(|q| !q.patch_fields.is_empty()) {
                let mut names = vec![view.struct_name.clone(), q.patch_struct.clone()];
                names.extend(view.insert.as_ref().map(|i| i.struct_name.clone()));
                names.sort();
                view.exports = format!("{{{}}}", names.join(", "));
            }
            view
        })
        .collect()
}

/// Which Rust type stands for a column whose storage differs between the databases the
/// spec lists, when the structs go through sqlx (`modelgen::types` says why each is
/// needed); elsewhere the plain `uuid`/`rust_decimal` types.
#[derive(Clone, Copy)]
pub struct Types {
    /// `uuid` is `CHAR(32)` hex on SQLite and MySQL, which sqlx's `Uuid` cannot write.
    uuid_as_hex: bool,
    /// sqlx-sqlite has no `Decimal`.
    decimal_for_sqlite: bool,
    /// `datetime(tz)` is a naive UTC `DATETIME` on SQLite and MySQL, which sqlx's
    /// `DateTime<Utc>` writes as RFC 3339 text (SQLite) or a narrow `TIMESTAMP` (MySQL).
    utc_as_naive: bool,
    /// Code in a model's queries modules, one module deeper than its struct.
    nested: bool,
}

impl Types {
    /// The same types, named from a model's queries modules.
    pub fn nested(self) -> Types {
        Types { nested: true, ..self }
    }

    pub fn new(rust: &RustOutput, dialects: &[Dialect]) -> Types {
        let listed = |d: Dialect| rust.sqlx && dialects.contains(&d);
        Types {
            uuid_as_hex: listed(Dialect::Sqlite) || listed(Dialect::Mysql),
            decimal_for_sqlite: listed(Dialect::Sqlite),
            utc_as_naive: listed(Dialect::Sqlite) || listed(Dialect::Mysql),
            nested: false,
        }
    }

    pub fn base(self, ty: &LogicalType) -> String {
        match ty {
            LogicalType::Uuid if self.uuid_as_hex => "::modelgen::types::Uuid".into(),
            LogicalType::Decimal { .. } if self.decimal_for_sqlite => "::modelgen::types::Decimal".into(),
            LogicalType::DateTime { timezone: true } if self.utc_as_naive => "::modelgen::types::DateTimeUtc".into(),
            // mod.rs re-exports the enums beside the models.
            LogicalType::Enum(e) if self.nested => format!("super::super::{}", e.name),
            LogicalType::Enum(e) => format!("super::{}", e.name),
            _ => ty.rust_type(),
        }
    }

    /// A column's Rust type, before `Option`: the spec's `rust_type` when it has one.
    pub fn of(self, c: &modelgen_ir::Column) -> String {
        c.rust_type.clone().unwrap_or_else(|| self.base(&c.ty))
    }

    /// A column's field type: `Option<…>` when it is nullable.
    pub fn column(self, c: &modelgen_ir::Column) -> String {
        let base = self.of(c);
        if c.nullable {
            format!("Option<{base}>")
        } else {
            base
        }
    }
}

fn view(model: &Model, rust: &RustOutput, types: Types) -> ModelView {
    let own_name = struct_name(&model.name);
    let file = module_name(&model.name);
    let mut derives = vec!["Clone, PartialEq, ::modelgen::Model".to_owned()];
    if rust.serde {
        derives.push("serde::Serialize, serde::Deserialize".into());
    }
    if rust.sqlx {
        derives.push("sqlx::FromRow".into());
    }
    let builtin: Vec<&str> = model
        .mixins
        .iter()
        .filter(|m| builtin_mixin(m).is_some())
        .map(String::as_str)
        .collect();
    let mut attrs = vec![format!("table = {}", lit(&model.table))];
    // The derive's metadata, and the SQL it makes, carry the comments the migrations do.
    if let Some(text) = &model.comment {
        attrs.push(format!("comment = {}", lit(text)));
    }
    if model.key_in_own_order() {
        attrs.push(format!("primary_key({})", idents(&model.primary_key)));
    }
    if let Some(name) = &model.primary_key_name {
        attrs.push(format!("primary_key_name = {}", lit(name)));
    }
    if model.kind == ModelKind::Join {
        attrs.push("join".into());
    }
    if !builtin.is_empty() {
        attrs.push(format!("mixins({})", builtin.join(", ")));
    }
    if model.kind == ModelKind::Entity {
        attrs.push(format!("repr({})", idents(&model.repr)));
    }
    let soft_delete_builtin = builtin
        .iter()
        .any(|m| builtin_mixin(m).is_some_and(|b| b.soft_delete.is_some()));
    if let (Some(column), false) = (&model.soft_delete, soft_delete_builtin) {
        attrs.push(format!("soft_delete = {}", lit(column)));
    }
    for index in &model.indexes {
        if is_field_index(model, index) {
            continue;
        }
        let mut parts = vec![
            format!("name = {}", lit(&index.name)),
            format!("columns({})", index_keys(index)),
        ];
        if index.unique {
            parts.push("unique".into());
        }
        if index.live_only {
            parts.push("live".into());
        }
        if let Some(p) = &index.predicate {
            parts.push(format!("where = {}", lit(&p.text())));
        }
        attrs.push(format!("index({})", parts.join(", ")));
    }
    for unique in &model.uniques {
        // A field's own `unique` says it, unless the field's flags already make an index.
        if unique.name.is_none() && unique.columns.len() == 1 && field_index(model, &unique.columns[0]).is_none() {
            continue;
        }
        let mut parts = Vec::new();
        if let Some(name) = &unique.name {
            parts.push(format!("name = {}", lit(name)));
        }
        parts.push(format!("columns({})", idents(&unique.columns)));
        attrs.push(format!("unique({})", parts.join(", ")));
    }
    for check in &model.checks {
        let mut parts = vec![format!("name = {}", lit(&check.name))];
        match &check.expr {
            CheckExpr::Tree(e) => parts.push(format!("expr = {}", lit(&e.text()))),
            CheckExpr::Sql(by_dialect) => {
                let each: Vec<String> = by_dialect
                    .iter()
                    .map(|(d, sql)| format!("{} = {}", d.name(), lit(sql)))
                    .collect();
                parts.push(format!("sql({})", each.join(", ")));
            }
        }
        if let Some(doc) = &check.doc {
            parts.push(format!("doc = {}", lit(doc)));
        }
        attrs.push(format!("check({})", parts.join(", ")));
    }
    // A single-column key is said on its field; a composite one on the struct.
    for fk in model.foreign_keys.iter().filter(|fk| fk.columns.len() > 1) {
        let target = format!("{}({})", fk.target_table, fk.target_columns.join(", "));
        let mut parts = vec![
            format!("columns({})", idents(&fk.columns)),
            format!("references = {}", lit(&target)),
        ];
        if let Some(name) = &fk.name {
            parts.push(format!("name = {}", lit(name)));
        }
        if let Some(a) = fk.on_delete {
            parts.push(format!("on_delete = {}", lit(action(a))));
        }
        if let Some(a) = fk.on_update {
            parts.push(format!("on_update = {}", lit(action(a))));
        }
        attrs.push(format!("foreign_key({})", parts.join(", ")));
    }
    let mut imports = Vec::new();
    for rel in &model.relations {
        let target = struct_name(&rel.target);
        let key = match rel.kind {
            RelationKind::OneToMany => "one_to_many",
            RelationKind::OneToOne => "one_to_one",
            RelationKind::ManyToOne => "many_to_one",
            RelationKind::ManyToMany => "many_to_many",
        };
        let mut parts = vec![
            format!("name = {}", lit(&rel.name)),
            format!("{key} = {}", lit(&target)),
        ];
        parts.push(format!("foreign_key = {}", lit(&rel.foreign_key.join(","))));
        if let Some(through) = &rel.through {
            parts.push(format!("through = {}", lit(through)));
            parts.push(format!(
                "target_foreign_key = {}",
                lit(&rel.target_foreign_key.join(","))
            ));
        }
        if let Some(back) = &rel.back_populates {
            parts.push(format!("back_populates = {}", lit(back)));
        }
        if !rel.cascade.is_empty() {
            parts.push(format!("cascade = {}", lit(&rel.cascade.join(", "))));
        }
        if let Some(doc) = &rel.doc {
            parts.push(format!("doc = {}", lit(doc)));
        }
        attrs.push(format!("relation({})", parts.join(", ")));
        if target != own_name && !imports.contains(&target) {
            imports.push(target);
        }
    }
    imports.sort();
    let fields: Vec<FieldView> = model.columns.iter().map(|c| field(model, c, rust, types)).collect();
    let mut allows = Vec::new();
    if model.columns.iter().any(|c| c.name != c.name.to_snake_case()) {
        allows.push("non_snake_case".to_owned());
    }
    // clippy (1.95) takes two `relation(...)`/`index(...)` groups sharing a value, such as
    // `foreign_key = "user_id"`, for a duplicated attribute (rust-clippy#13355).
    let groups = attrs
        .iter()
        .filter(|a| a.starts_with("relation(") || a.starts_with("index(") || a.starts_with("unique("))
        .count();
    if groups > 1 {
        allows.push("clippy::duplicated_attributes".into());
    }
    let insert = (model.kind == ModelKind::Entity).then(|| insert_view(model, types));
    let exports = match &insert {
        Some(i) => {
            let mut names = [i.struct_name.clone(), own_name.clone()];
            names.sort();
            format!("{{{}, {}}}", names[0], names[1])
        }
        None => own_name.clone(),
    };
    ModelView {
        table: model.table.clone(),
        struct_name: own_name,
        module: ident(&file),
        file,
        exports,
        doc: doc_lines(model.doc.as_deref()),
        derives,
        attrs,
        imports,
        allows,
        fields,
        insert,
        queries: None,
    }
}

/// The index a column's own `index`/`unique` flags make, if any.
fn field_index<'m>(model: &'m Model, column: &str) -> Option<&'m modelgen_ir::Index> {
    model
        .indexes
        .iter()
        .find(|i| i.columns == [column] && is_field_index(model, i))
}

/// Field-level `unique`/`index` produce these; the derive recreates them from the field.
fn is_field_index(model: &Model, index: &modelgen_ir::Index) -> bool {
    match index.plain_columns().as_deref() {
        Some([column]) => index.predicate.is_none() && index.name == format!("ix_{}_{column}", model.table),
        _ => false,
    }
}

/// An index's keys as `columns(...)` lists them: a field by name, an expression as a
/// string in the check language.
fn index_keys(index: &modelgen_ir::Index) -> String {
    let keys: Vec<String> = index
        .columns
        .iter()
        .map(|k| match k {
            IndexKey::Column(name) => name.clone(),
            IndexKey::Expr(e) => lit(&e.text()),
        })
        .collect();
    keys.join(", ")
}

fn field(model: &Model, c: &modelgen_ir::Column, rust: &RustOutput, types: Types) -> FieldView {
    let from_builtin = c.mixin.as_deref().is_some_and(|m| builtin_mixin(m).is_some());
    let mut attrs = Vec::new();
    if !from_builtin {
        let mut parts = Vec::new();
        if c.primary_key && !model.key_in_own_order() {
            parts.push("primary_key".to_owned());
        }
        let auto_by_default = c.primary_key
            && model.primary_key.len() == 1
            && matches!(c.ty, LogicalType::Int | LogicalType::BigInt)
            && !model.foreign_keys.iter().any(|fk| fk.columns == [c.name.clone()]);
        match (c.autoincrement, auto_by_default, &c.generator) {
            (true, _, Generator::Identity) => parts.push("autoincrement".into()),
            (true, _, Generator::Serial) => parts.push(format!("autoincrement = {}", lit("serial"))),
            (true, _, Generator::Sequence(name)) => parts.push(format!("autoincrement(sequence = {})", lit(name))),
            (false, true, _) => parts.push("autoincrement = false".into()),
            _ => {}
        }
        // The derive reads the column type from the field's Rust type, except where that
        // has several (a decimal) or is the spec's `rust_type`.
        match &c.ty {
            _ if c.rust_type.is_some() => parts.push(format!("sql_type = {}", lit(&c.ty.to_string()))),
            LogicalType::Str { max_length: Some(n) } | LogicalType::Bytes { max_length: Some(n) } => {
                parts.push(format!("max_length = {n}"))
            }
            LogicalType::Str { max_length: None } => parts.push(format!("sql_type = {}", lit("str"))),
            LogicalType::Decimal { .. } => parts.push(format!("sql_type = {}", lit(&c.ty.to_string()))),
            LogicalType::Enum(_) => parts.push("enum".into()),
            LogicalType::Bool { check: true } => parts.push(format!("sql_type = {}", lit("bool(check)"))),
            _ => {}
        }
        let single = |cols: &[String]| cols == [c.name.clone()];
        let field_index = field_index(model, &c.name);
        match field_index {
            Some(i) if i.live_only => parts.push("unique = \"live\"".into()),
            Some(i) if i.unique => parts.extend(["unique".into(), "index".into()]),
            Some(_) => parts.push("index".into()),
            None => {}
        }
        if field_index.is_none() && model.uniques.iter().any(|u| u.name.is_none() && single(&u.columns)) {
            parts.push("unique".into());
        }
        if let Some(v) = &c.default {
            parts.push(format!("default = {}", default_attr(v)));
        }
        match &c.server_default {
            Some(DefaultValue::Sql(by_dialect)) => parts.push(sql_default_attr(by_dialect)),
            Some(v) => parts.push(format!("server_default = {}", default_attr(v))),
            None => {}
        }
        if c.on_update.is_some() {
            parts.push("on_update = \"now\"".into());
        }
        if c.app_on_update.is_some() {
            parts.push("app_on_update = \"now\"".into());
        }
        if let Some(fk) = model.foreign_keys.iter().find(|fk| single(&fk.columns)) {
            parts.push(format!(
                "foreign_key = {}",
                lit(&format!("{}.{}", fk.target_table, fk.target_columns[0]))
            ));
            if let Some(name) = &fk.name {
                parts.push(format!("foreign_key_name = {}", lit(name)));
            }
            if let Some(a) = fk.on_delete {
                parts.push(format!("on_delete = {}", lit(action(a))));
            }
            if let Some(a) = fk.on_update {
                parts.push(format!("on_update = {}", lit(action(a))));
            }
        }
        if let Some(name) = &c.check_name {
            parts.push(format!("check_name = {}", lit(name)));
        }
        if c.secret {
            parts.push("secret".into());
        }
        if let Some(mixin) = &c.mixin {
            parts.push(format!("mixin = {}", lit(mixin)));
        }
        if let Some(text) = &c.comment {
            parts.push(format!("comment = {}", lit(text)));
        }
        if !parts.is_empty() {
            attrs.push(parts.join(", "));
        }
    }
    let mut serde_attrs = Vec::new();
    let mut sqlx_attrs = Vec::new();
    if rust.serde && c.secret {
        serde_attrs.push("skip_serializing".into());
    }
    // The queries select a column a database shortens under one name every database
    // keeps (`queries::row_name`).
    if rust.sqlx && rust.queries && crate::queries::row_name(&c.name) != c.name {
        sqlx_attrs.push(format!("rename = {}", lit(&crate::queries::row_name(&c.name))));
    }
    if rust.sqlx && matches!(c.ty, LogicalType::Json { .. }) {
        sqlx_attrs.push(if c.nullable {
            "json(nullable)".into()
        } else {
            "json".into()
        });
    }
    FieldView {
        ident: ident(&c.name),
        column: c.name.clone(),
        ty: types.column(c),
        doc: if from_builtin {
            Vec::new()
        } else {
            doc_lines(c.doc.as_deref())
        },
        model_attrs: attrs,
        serde_attrs,
        sqlx_attrs,
        init: None,
        secret: c.secret,
    }
}

fn insert_view(model: &Model, types: Types) -> InsertView {
    let mut fields = Vec::new();
    let mut params = Vec::new();
    for c in &model.columns {
        let generated =
            c.autoincrement || c.on_update.is_some() || model.soft_delete.as_deref() == Some(c.name.as_str());
        if generated {
            continue;
        }
        // A column with a server default is optional: `None` leaves it to the database.
        let by_database = c.server_default.is_some();
        let ty = match by_database {
            true => format!("Option<{}>", types.column(c)),
            false => types.column(c),
        };
        let mut doc = doc_lines(c.doc.as_deref());
        if by_database {
            doc.push("`None` leaves it to the database's default.".into());
        }
        let init = match (&c.default, c.nullable) {
            (Some(v), _) if by_database => Some(format!("Some({})", default_expr(v, c, types))),
            (None, _) if by_database => Some("None".into()),
            (Some(v), _) => Some(default_expr(v, c, types)),
            (None, true) => Some("None".into()),
            (None, false) => {
                params.push(Param {
                    ident: ident(&c.name),
                    ty: ty.clone(),
                });
                None
            }
        };
        fields.push(FieldView {
            ident: ident(&c.name),
            column: c.name.clone(),
            ty,
            doc,
            model_attrs: Vec::new(),
            serde_attrs: Vec::new(),
            sqlx_attrs: Vec::new(),
            init,
            secret: c.secret,
        });
    }
    InsertView {
        struct_name: insert_struct_name(&model.name),
        fields,
        params,
    }
}

/// `server_default_sql = "…"` when every dialect has the same SQL, else one key each.
fn sql_default_attr(by_dialect: &std::collections::BTreeMap<modelgen_ir::Dialect, String>) -> String {
    let mut texts = by_dialect.values();
    let first = texts.next();
    if by_dialect.len() == modelgen_ir::Dialect::ALL.len() && texts.all(|t| Some(t) == first) {
        if let Some(text) = first {
            return format!("server_default_sql = {}", lit(text));
        }
    }
    let keys: Vec<String> = by_dialect
        .iter()
        .map(|(d, text)| format!("{} = {}", d.name(), lit(text)))
        .collect();
    format!("server_default_sql({})", keys.join(", "))
}

/// A default as the derive attribute spells it: the spec's literal, type-directed.
fn default_attr(v: &DefaultValue) -> String {
    match v {
        DefaultValue::Sql(_) => unreachable!("SQL is written as `server_default_sql`, by the caller"),
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Float(f) => format!("{f:?}"),
        DefaultValue::Decimal(d) | DefaultValue::Str(d) | DefaultValue::Json(d) => lit(d),
        DefaultValue::Now => "\"now\"".into(),
        DefaultValue::Uuid4 => "\"uuid4\"".into(),
    }
}

/// A Rust expression producing the default, for `New*::new` (and the current time for
/// `app_on_update`, in the queries).
pub(crate) fn default_expr(v: &DefaultValue, c: &modelgen_ir::Column, types: Types) -> String {
    let (ty, nullable) = (&c.ty, c.nullable);
    let value = match (v, ty) {
        // With `rust_type`, only JSON (any serde type) and decimals (`f64`, `String`: both
        // `FromStr`) have literal defaults; the spec refuses the rest.
        (DefaultValue::Json(j), _) if c.rust_type.is_some() => {
            format!("serde_json::from_str({}).expect(\"the spec's JSON default\")", lit(j))
        }
        (DefaultValue::Bool(b), _) => b.to_string(),
        (DefaultValue::Int(i), LogicalType::SmallInt) => format!("{i}i16"),
        (DefaultValue::Int(i), LogicalType::Int) => format!("{i}"),
        (DefaultValue::Int(i), _) => format!("{i}i64"),
        (DefaultValue::Float(f), _) => format!("{f:?}"),
        (DefaultValue::Decimal(d), _) => format!("{}.parse().expect(\"the spec's decimal default\")", lit(d)),
        // `uuid` with the `v4` feature; `into` gives the field's type (`modelgen::types::Uuid`
        // on SQLite and MySQL).
        (DefaultValue::Uuid4, _) => "uuid::Uuid::new_v4().into()".into(),
        (DefaultValue::Sql(_), _) => {
            unreachable!("SQL is only ever a server default: the front ends and the snapshot check refuse it as `default`")
        }
        (DefaultValue::Str(s), LogicalType::Enum(_)) => {
            format!("{}::{}", types.base(ty), modelgen_ir::rust_names::enum_variant(s))
        }
        (DefaultValue::Str(s), LogicalType::Uuid) => {
            format!("{}.parse().expect(\"the spec's UUID default\")", lit(s))
        }
        (DefaultValue::Str(s), LogicalType::Date) => {
            format!("chrono::NaiveDate::parse_from_str({}, \"%Y-%m-%d\").expect(\"the spec's date default\")", lit(s))
        }
        (DefaultValue::Str(s), LogicalType::Time) => {
            format!("chrono::NaiveTime::parse_from_str({}, \"%H:%M:%S\").expect(\"the spec's time default\")", lit(s))
        }
        (DefaultValue::Str(s), LogicalType::DateTime { timezone: false }) => format!(
            "chrono::NaiveDateTime::parse_from_str({}, \"%Y-%m-%d %H:%M:%S\").expect(\"the spec's timestamp default\")",
            lit(&s.replace('T', " "))
        ),
        (DefaultValue::Str(s), LogicalType::DateTime { timezone: true }) => format!(
            "chrono::NaiveDateTime::parse_from_str({}, \"%Y-%m-%d %H:%M:%S\").expect(\"the spec's timestamp default\").and_utc()",
            lit(&s.replace('T', " "))
        ),
        (DefaultValue::Str(s), _) => format!("{}.to_owned()", lit(s)),
        (DefaultValue::Now, LogicalType::Date) => "chrono::Utc::now().date_naive()".into(),
        (DefaultValue::Now, LogicalType::DateTime { timezone: true }) => "chrono::Utc::now()".into(),
        (DefaultValue::Now, _) => "chrono::Utc::now().naive_utc()".into(),
        (DefaultValue::Json(j), LogicalType::Json { shape: JsonShape::List(_) }) if j == "[]" => "Vec::new()".into(),
        (DefaultValue::Json(j), LogicalType::Json { shape: JsonShape::Map(_) }) if j == "{}" => {
            "std::collections::BTreeMap::new()".into()
        }
        (DefaultValue::Json(j), _) => format!("serde_json::from_str({}).expect(\"the spec's JSON default\")", lit(j)),
    };
    let value = match ty {
        LogicalType::DateTime { timezone: true } if types.utc_as_naive && c.rust_type.is_none() => {
            format!("::modelgen::types::DateTimeUtc({value})")
        }
        _ => value,
    };
    if nullable {
        format!("Some({value})")
    } else {
        value
    }
}

fn action(a: FkAction) -> &'static str {
    FkAction::ALL
        .iter()
        .find(|(_, x)| *x == a)
        .map(|(name, _)| *name)
        .unwrap_or("no_action")
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// Doc text as `///` lines; a tab becomes four spaces, as clippy asks of doc comments
/// (the spec refuses the characters a comment cannot hold).
fn doc_lines(doc: Option<&str>) -> Vec<String> {
    doc.map(|d| d.lines().map(|l| l.trim_end().replace('\t', "    ")).collect())
        .unwrap_or_default()
}

/// Column names as the field identifiers attribute lists take (`r#type`, not `type`).
fn idents(columns: &[String]) -> String {
    columns.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

/// A field or module name as a Rust identifier: keywords become raw identifiers.
pub fn ident(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
        "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
        "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}
