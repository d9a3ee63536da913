//! The spec file as written, for editors: these types exist only to generate the JSON
//! Schema (`modelgen schema`, `schema/models.schema.json`) that YAML language servers use
//! for completion, hover and squiggles.
//!
//! `read` stays hand-written because it reports every error with its location and a
//! suggestion; a unit test below holds both to the same keys, so neither can drift, and the
//! shorthand, dialect, layout, action and cascade vocabularies come from the reader's own
//! tables.

use crate::read::CASCADES;
use crate::shorthand::{FLAGS, TYPE_NAMES};
use modelgen_ir::config::Layout;
use modelgen_ir::{Dialect, FkAction};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::collections::BTreeMap;

/// The JSON Schema (draft-07) of `models.yaml`, pretty-printed with a final newline.
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<SpecFile>();
    schema.insert("$id".into(), crate::SCHEMA_URL.into());
    schema.insert("title".into(), "modelgen spec (models.yaml)".into());
    let mut schema = schema.to_value();
    drop_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    text.push('\n');
    text
}

/// A modelgen spec: data models, the mixins they share, and what `modelgen build` writes.
/// Reference: docs/spec.md.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SpecFile {
    /// Templates that name constraints the spec does not name, as SQLAlchemy's
    /// `MetaData(naming_convention=…)`: `ix`, `uq`, `ck`, `fk`, `pk`.
    naming_convention: Option<NamingFile>,
    /// Enums by UpperCamelCase name (`PostStatus`), which fields name as their type: a
    /// list of values, or a mapping with `values:`.
    enums: Option<BTreeMap<String, EnumFile>>,
    /// The models by name (`User`, `ApiKey`); each becomes a table and a Rust struct.
    models: BTreeMap<String, ModelFile>,
    /// Mixins by name: fields several models share. `timestamps` and `soft_delete` are
    /// built in.
    mixins: Option<BTreeMap<String, MixinFile>>,
    /// What `modelgen build` writes; SQLite migrations in `migrations/` when absent.
    output: Option<OutputFile>,
}

/// A template per kind of constraint, with SQLAlchemy's tokens: `%(table_name)s`,
/// `%(column_0_name)s`, `%(column_0_label)s` (`<table>_<column>`), `%(column_0_N_name)s`
/// (all columns joined by `_`), `%(referred_table_name)s` (`fk` only) and
/// `%(constraint_name)s` (the name the spec gives, which the template then renames).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NamingFile {
    /// Indexes, e.g. `ix_%(column_0_label)s` (SQLAlchemy's default).
    ix: Option<String>,
    /// Unique constraints, e.g. `uq_%(table_name)s_%(column_0_N_name)s`.
    uq: Option<String>,
    /// CHECK constraints, e.g. `ck_%(table_name)s_%(constraint_name)s`.
    ck: Option<String>,
    /// Foreign keys, e.g. `fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`.
    fk: Option<String>,
    /// Primary keys, e.g. `pk_%(table_name)s`.
    pk: Option<String>,
}

/// An enum: its values, or its values and how the databases hold it.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EnumFile {
    Values(Vec<String>),
    Full(EnumFull),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct EnumFull {
    /// The values, as the database stores them.
    values: Vec<String>,
    /// `false`: a VARCHAR on every database instead of PostgreSQL's and MySQL's own
    /// enum types (SQLAlchemy's `native_enum=False`).
    native: Option<bool>,
    /// A CHECK of the values wherever the column is a VARCHAR (SQLAlchemy's
    /// `create_constraint=True`).
    check: Option<bool>,
    /// The database's name of the type (PostgreSQL's `CREATE TYPE`, the CHECK); the
    /// enum's name in lower case when absent.
    type_name: Option<String>,
    /// Values renamed since the last migration, old name → new name, so the migration
    /// renames them in place.
    renamed_values: Option<BTreeMap<String, String>>,
}

/// Where and what `modelgen build` writes. Paths are relative to the spec's folder.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct OutputFile {
    /// SQL migrations, one folder per dialect.
    migrations: Option<MigrationsFile>,
    /// Rust structs, one module per model.
    rust: Option<RustFile>,
    /// SQLAlchemy 2.0 declarative models creating the same schema, in one Python module.
    python: Option<PythonFile>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PythonFile {
    /// The module to write, e.g. `app/models.py`.
    #[schemars(schema_with = "python_module")]
    file: String,
    /// A folder of templates that replace the built-in SQLAlchemy ones by file name.
    #[serde(default)]
    #[schemars(schema_with = "relative_dir")]
    templates: Option<String>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MigrationsFile {
    /// The migrations folder (default `migrations`); with several dialects, one
    /// subfolder each.
    #[schemars(schema_with = "relative_dir")]
    #[serde(default)]
    dir: Option<String>,
    /// The databases to write migrations for (default `[sqlite]`).
    #[schemars(schema_with = "dialects")]
    #[serde(default)]
    dialects: Option<Vec<String>>,
    /// `sqlx` (`<version>_<name>.up.sql`) or `diesel` (`<version>_<name>/up.sql`).
    #[schemars(schema_with = "layout")]
    #[serde(default)]
    layout: Option<String>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RustFile {
    /// The folder for one module per model, e.g. `src/models`.
    #[schemars(schema_with = "relative_dir")]
    dir: String,
    /// Derive serde's `Serialize`/`Deserialize` (secret fields are never serialized).
    serde: Option<bool>,
    /// Derive `sqlx::FromRow`.
    sqlx: Option<bool>,
    /// Generate each model's sqlx queries (insert, get, update, patch, delete, pages), one
    /// module per dialect; needs `sqlx: true`.
    queries: Option<bool>,
    /// A folder of templates that replace the built-in ones by file name.
    #[schemars(schema_with = "relative_dir")]
    #[serde(default)]
    templates: Option<String>,
}

/// Fields several models share, added after a model's own fields.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MixinFile {
    /// Documentation, carried into the generated code.
    doc: Option<String>,
    /// The mixin's fields by name.
    fields: Option<BTreeMap<String, FieldFile>>,
    /// The field whose non-null value marks a row deleted.
    soft_delete: Option<String>,
}

/// A data model: one table, one Rust struct.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ModelFile {
    /// The table name (default: the model name in snake_case, pluralized as written).
    table: Option<String>,
    /// Documentation, carried into the generated code.
    doc: Option<String>,
    /// The table's comment in the database (SQLAlchemy's `comment=`); not taken from `doc`.
    #[schemars(length(min = 1, max = 2048))]
    comment: Option<String>,
    /// Mixins whose fields follow the model's own, in this order.
    mixins: Option<Vec<String>>,
    /// The columns by name, in table order.
    fields: Option<BTreeMap<String, FieldFile>>,
    /// Indexes, also composite.
    indexes: Option<Vec<IndexFile>>,
    /// Unique constraints over several fields: `[a, b]` or a mapping.
    uniques: Option<Vec<UniqueFile>>,
    /// Foreign keys over several columns (or one), declared on the model.
    foreign_keys: Option<Vec<ModelForeignKeyFile>>,
    /// Relations by name: one-to-many, many-to-one, many-to-many.
    relations: Option<BTreeMap<String, RelationFile>>,
    /// The fields the generated `Debug` shows.
    repr: Option<Vec<String>>,
    /// The table's previous name (not the model's), so a migration renames the table instead of dropping it.
    renamed_from: Option<String>,
    /// CHECK constraints by their name in the database: a condition over the model's
    /// fields (`total >= 0 and length(code) <= 8`), or raw SQL with `sql:`.
    checks: Option<BTreeMap<String, CheckFile>>,
    /// The primary key's fields in the key's own order (`[tenant_id, id]`), instead of
    /// `pk` on the fields, which keeps their order; or `{columns: […], name: …}` to name
    /// the key constraint too.
    primary_key: Option<PrimaryKeyFile>,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum PrimaryKeyFile {
    Columns(Vec<String>),
    Full(PrimaryKeyFull),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PrimaryKeyFull {
    /// The key's fields in order; the fields marked `pk` when left out.
    columns: Option<Vec<String>>,
    /// The key constraint's name.
    name: Option<String>,
}

/// A CHECK constraint: the portable condition, or raw SQL for every or each dialect.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum CheckFile {
    /// Comparisons (`= != <> < <= > >=`), `and`/`or`/`not`, `in (…)`, `is [not] null`,
    /// `length(x)`, `lower(x)`, `upper(x)`, arithmetic (`+ - * /`) over fields and
    /// literals.
    Condition(String),
    Long(CheckLong),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CheckLong {
    /// The portable condition, as in the short form (with `doc:` beside it); not with `sql:`.
    expr: Option<String>,
    /// One SQL condition for every dialect, or one per dialect (every output dialect).
    sql: Option<CheckSql>,
    /// Documentation.
    doc: Option<String>,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum CheckSql {
    All(String),
    PerDialect(CheckSqlPerDialect),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CheckSqlPerDialect {
    sqlite: Option<String>,
    postgres: Option<String>,
    mysql: Option<String>,
}

/// A field: shorthand `<type>[?] [flags]` such as `str(255)? unique index`, or a mapping.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum FieldFile {
    Short(#[schemars(schema_with = "shorthand")] String),
    Long(Box<LongField>),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct LongField {
    /// The type in shorthand, flags allowed: `str(255)`, `decimal(10,2)?`, `int pk`.
    #[schemars(schema_with = "shorthand")]
    r#type: String,
    /// May hold NULL (same as `?` after the type).
    nullable: Option<bool>,
    /// Part of the primary key.
    primary_key: Option<bool>,
    /// Numbered by the database; on by default for a lone integer primary key. On
    /// PostgreSQL by an identity (`true`, `identity`), `serial` (as SQLAlchemy's
    /// `create_all` makes it), or a sequence of its own (`{sequence: x_id_seq}`).
    autoincrement: Option<AutoincrementFile>,
    /// `true`, or `live`: unique among rows that are not soft-deleted.
    #[schemars(schema_with = "uniqueness")]
    #[serde(default)]
    unique: Option<serde_json::Value>,
    /// Indexed (`ix_<table>_<column>`; a unique index when also unique).
    index: Option<bool>,
    /// Value the generated code fills in; checked against the type. `now` for times.
    default: Option<serde_json::Value>,
    /// Value the database fills in (DDL `DEFAULT`); checked against the type.
    server_default: Option<serde_json::Value>,
    /// SQL the database evaluates for the default, as written: one text for every
    /// database, or one per database.
    #[schemars(schema_with = "sql_by_dialect")]
    #[serde(default)]
    server_default_sql: Option<serde_json::Value>,
    /// `now`: the database sets it on every update.
    #[schemars(schema_with = "now")]
    #[serde(default)]
    on_update: Option<String>,
    /// `Model.field`, `table.column`, or a mapping with actions.
    foreign_key: Option<ForeignKeyFile>,
    /// Documentation, carried into the generated code.
    doc: Option<String>,
    /// The column's comment in the database (SQLAlchemy's `comment=`); not taken from `doc`.
    #[schemars(length(min = 1, max = 1024))]
    comment: Option<String>,
    /// Kept out of `Debug` and serialization (password hashes, keys).
    secret: Option<bool>,
    /// The field's previous name, so a migration renames the column instead of dropping it.
    renamed_from: Option<String>,
    /// The field's Rust type when not the column type's own: `f64` or `String` for a
    /// decimal, any serde type for JSON, a type of your own for any column.
    rust_type: Option<String>,
    /// `now`: the application sets it on every update of the row (SQLAlchemy's
    /// `onupdate=`); no trigger.
    #[schemars(schema_with = "now")]
    #[serde(default)]
    app_on_update: Option<String>,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum AutoincrementFile {
    On(bool),
    #[schemars(schema_with = "generators")]
    Generator(String),
    Sequence(SequenceFile),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SequenceFile {
    /// The sequence PostgreSQL numbers the key from (SQLAlchemy's `Sequence("x_id_seq")`),
    /// made before the table.
    #[schemars(length(min = 1, max = 63))]
    sequence: String,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum ForeignKeyFile {
    Target(String),
    Full(ForeignKeyFull),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ForeignKeyFull {
    /// `Model.field`, `table.column`, or `Model` for its single-column primary key.
    references: String,
    /// What deleting the referenced row does: cascade, set_null, set_default, restrict,
    /// no_action.
    #[schemars(schema_with = "fk_action")]
    #[serde(default)]
    on_delete: Option<String>,
    /// What updating the referenced key does.
    #[schemars(schema_with = "fk_action")]
    #[serde(default)]
    on_update: Option<String>,
    /// The constraint's name (default: the naming convention's, else the database's).
    name: Option<String>,
}

/// A foreign key declared on the model: `columns: [a, b]`, `references: Model(x, y)`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ModelForeignKeyFile {
    /// The model's fields that make up the key, in order.
    columns: Vec<String>,
    /// `Model(x, y)`, `table(x, y)`, or `Model` for its primary key (in key order).
    references: String,
    /// What deleting the referenced row does: cascade, set_null, set_default, restrict,
    /// no_action.
    #[schemars(schema_with = "fk_action")]
    #[serde(default)]
    on_delete: Option<String>,
    /// What updating the referenced key does.
    #[schemars(schema_with = "fk_action")]
    #[serde(default)]
    on_update: Option<String>,
    /// The constraint's name (default: the naming convention's, else the database's).
    name: Option<String>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct IndexFile {
    /// The index name (default `ix_<table>_<columns>`, an expression key by its words:
    /// `lower(email)` → `lower_email`).
    name: Option<String>,
    /// The index's keys, in order: fields, and expressions as `{expr: "lower(email)"}`.
    columns: Vec<IndexKeyFile>,
    /// A unique index.
    unique: Option<bool>,
    /// Unique among rows that are not soft-deleted.
    live: Option<bool>,
    /// A partial index: only the rows this condition holds for (the CHECK language,
    /// `status = 'active'`). PostgreSQL and SQLite only.
    #[serde(rename = "where")]
    where_: Option<String>,
}

/// An index key: a field, or an expression of the fields.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum IndexKeyFile {
    Field(String),
    Expression(IndexExpr),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct IndexExpr {
    /// An expression in the CHECK language (`lower(email)`, `upper(code)`,
    /// `length(name)`, `price * quantity`). PostgreSQL and SQLite only.
    expr: String,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum UniqueFile {
    Bare(Vec<String>),
    Full(UniqueFull),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct UniqueFull {
    /// The constraint name (default: the database's).
    name: Option<String>,
    /// The fields that are unique together.
    columns: Vec<String>,
    /// Unique among rows that are not soft-deleted.
    live: Option<bool>,
}

/// A relation: exactly one of `one_to_many`, `one_to_one`, `many_to_one`, `many_to_many`, naming the
/// target model.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = exactly_one_kind)]
#[allow(dead_code)]
struct RelationFile {
    /// The target model; its rows point here through a foreign key.
    one_to_many: Option<String>,
    /// The target model; its row (at most one) points here through a unique foreign key.
    one_to_one: Option<String>,
    /// The target model; this model holds the foreign key.
    many_to_one: Option<String>,
    /// The target model, joined through `through`.
    many_to_many: Option<String>,
    /// The relation on the target that points back here.
    back_populates: Option<String>,
    /// The target's side of the relation, declared here under this name (SQLAlchemy's
    /// `backref=`): modelgen writes it on the target, the two naming each other.
    backref: Option<String>,
    /// SQLAlchemy cascade options, e.g. `all, delete-orphan`.
    #[schemars(schema_with = "cascade")]
    #[serde(default)]
    cascade: Option<serde_json::Value>,
    /// The foreign-key field (a list for a composite key), when more than one could serve.
    foreign_key: Option<RelationKeyFile>,
    /// The join table (or join model) of a many-to-many relation.
    through: Option<String>,
    /// Documentation, carried into the generated code.
    doc: Option<String>,
}

/// A relation's `foreign_key:`: one field, or a composite key's fields.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum RelationKeyFile {
    Field(String),
    Fields(Vec<String>),
}

/// An optional key may be left out but not set to null: the reader refuses `doc: ~`, so the
/// schema must too. schemars lets every `Option` be null.
fn drop_null(schema: &mut serde_json::Value) {
    use serde_json::Value;
    match schema {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [one] = types.as_slice() {
                    let one = one.clone();
                    map.insert("type".into(), one);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if let [one] = any.as_slice() {
                    let one = one.clone();
                    map.remove("anyOf");
                    match one {
                        Value::Object(inner) => map.extend(inner),
                        other => *schema = other,
                    }
                    return drop_null(schema);
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

fn exactly_one_kind(schema: &mut Schema) {
    let one_of: Vec<_> = ["one_to_many", "one_to_one", "many_to_one", "many_to_many"]
        .iter()
        .map(|kind| json_schema!({"required": [kind]}))
        .collect();
    schema.insert("oneOf".into(), serde_json::to_value(one_of).expect("plain JSON"));
}

fn relative_dir(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "description": "A folder relative to the spec, never climbing out of it.",
        "pattern": r"^[^/\\:][^:]*$",
        "not": {"pattern": r"(^|[/\\])\.\.([/\\]|$)"}
    })
}

fn python_module(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = relative_dir(generator);
    schema.insert(
        "description".into(),
        "A Python module relative to the spec, never climbing out of it.".into(),
    );
    schema.insert(
        "allOf".into(),
        serde_json::json!([{"pattern": r"(^|[/\\])[^/\\.]+\.py$"}]),
    );
    schema
}

fn dialects(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<_> = Dialect::ALL.iter().map(|d| d.name()).collect();
    json_schema!({"type": "array", "items": {"enum": names}})
}

fn layout(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<_> = Layout::ALL.iter().map(|(n, _)| *n).collect();
    json_schema!({"enum": names})
}

fn now(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"const": "now"})
}

fn generators(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"enum": crate::read::GENERATORS})
}

fn uniqueness(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"enum": [true, false, "live"]})
}

/// The reader lowercases actions and treats spaces and dashes as underscores.
fn fk_action(_: &mut SchemaGenerator) -> Schema {
    let alternatives: Vec<String> = FkAction::ALL
        .iter()
        .map(|(name, _)| {
            name.chars()
                .map(|c| match c {
                    '_' => "[ _-]".to_owned(),
                    c => format!("[{c}{}]", c.to_ascii_uppercase()),
                })
                .collect()
        })
        .collect();
    json_schema!({"type": "string", "pattern": format!(r"^\s*({})\s*$", alternatives.join("|"))})
}

/// `"all, delete-orphan"` as SQLAlchemy writes it, or a list.
fn cascade(_: &mut SchemaGenerator) -> Schema {
    let word = format!("({})", CASCADES.join("|"));
    json_schema!({"anyOf": [
        {"type": "string", "pattern": format!(r"^\s*{word}(\s*,\s*{word})*\s*,?\s*$")},
        {"type": "array", "items": {"enum": CASCADES}}
    ]})
}

/// SQL text, or a mapping of database name to SQL text.
fn sql_by_dialect(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            {"type": "string"},
            {
                "type": "object",
                "properties": {"sqlite": {"type": "string"}, "postgres": {"type": "string"}, "mysql": {"type": "string"}},
                "additionalProperties": false,
                "minProperties": 1
            }
        ]
    })
}

/// `<type>[?] [flags]`. JSON shapes nest (`map[list[int]]`), which a regular expression
/// cannot balance, so their brackets are only checked loosely.
fn shorthand(_: &mut SchemaGenerator) -> Schema {
    let types = shorthand_types();
    let flags = FLAGS.join("|");
    json_schema!({
        "type": "string",
        "pattern": format!(r"^\s*({types})\??(\s+({flags}))*\s*$"),
        "examples": ["int pk autoincrement", "str(255) unique index", "datetime?", "decimal(10,2)"]
    })
}

fn shorthand_types() -> String {
    let types: Vec<String> = TYPE_NAMES
        .iter()
        .map(|&name| match name {
            "str" | "bytes" => format!(r"{name}(\(\s*\d+\s*\))?"),
            "decimal" => r"decimal\(\s*\d+\s*,\s*\d+\s*\)".to_owned(),
            "datetime" => r"datetime(\(\s*tz\s*\))?".to_owned(),
            "bool" => r"bool(\(\s*check\s*\))?".to_owned(),
            "list" | "map" => format!(r"{name}\[[a-z\[\]\s]+\]"),
            plain => plain.to_owned(),
        })
        .collect();
    // An inline enum, and a named one (`PostStatus`).
    format!(r"{}|enum\([^()]+\)|[A-Z][A-Za-z0-9]*", types.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::ENUM_KEYS;
    use crate::read::{
        FIELD_KEYS, FOREIGN_KEY_KEYS, INDEX_KEYS, MIGRATIONS_KEYS, MIXIN_KEYS, MODEL_KEYS, OUTPUT_KEYS, PYTHON_KEYS,
        RELATION_KEYS, RUST_KEYS, TOP_KEYS, UNIQUE_KEYS,
    };
    use serde_json::Value;

    fn definition<'a>(schema: &'a Value, name: &str) -> &'a Value {
        if name == "SpecFile" {
            return schema;
        }
        &schema["definitions"][name]
    }

    fn keys(schema: &Value, name: &str) -> Vec<String> {
        let mut keys: Vec<String> = definition(schema, name)["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has properties"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn every_mapping_has_the_keys_the_reader_accepts() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        for (name, reader) in [
            ("SpecFile", TOP_KEYS),
            ("OutputFile", OUTPUT_KEYS),
            ("MigrationsFile", MIGRATIONS_KEYS),
            ("RustFile", RUST_KEYS),
            ("PythonFile", PYTHON_KEYS),
            ("MixinFile", MIXIN_KEYS),
            ("ModelFile", MODEL_KEYS),
            ("LongField", FIELD_KEYS),
            ("ForeignKeyFull", FOREIGN_KEY_KEYS),
            ("ModelForeignKeyFile", crate::read::MODEL_FOREIGN_KEY_KEYS),
            ("IndexFile", INDEX_KEYS),
            ("IndexExpr", crate::read::INDEX_EXPR_KEYS),
            ("UniqueFull", UNIQUE_KEYS),
            ("RelationFile", RELATION_KEYS),
            ("EnumFull", ENUM_KEYS),
            ("CheckLong", crate::read::CHECK_KEYS),
            ("SequenceFile", crate::read::SEQUENCE_KEYS),
        ] {
            let mut reader: Vec<String> = reader.iter().map(|k| k.to_string()).collect();
            reader.sort();
            assert_eq!(keys(&schema, name), reader, "{name}");
            assert_eq!(
                definition(&schema, name)["additionalProperties"],
                Value::Bool(false),
                "{name} rejects unknown keys"
            );
        }
    }

    #[test]
    fn it_is_draft_07() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(schema["required"], serde_json::json!(["models"]));
    }
}
