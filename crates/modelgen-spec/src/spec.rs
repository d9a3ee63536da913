//! The spec as written: models, mixins and their options, typed but not yet resolved.
//!
//! Names here are as the user spelt them; nothing is cross-checked. `lower` resolves them.

use modelgen_ir::{DefaultValue, FkAction, Generator, LogicalType, OnUpdate};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spec {
    /// `naming_convention:`, the templates that name constraints not named in the spec.
    pub naming: Option<modelgen_ir::naming::NamingConvention>,
    pub mixins: Vec<MixinSpec>,
    pub models: Vec<ModelSpec>,
    pub output: modelgen_ir::config::Output,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MixinSpec {
    pub name: String,
    pub doc: Option<String>,
    pub fields: Vec<FieldSpec>,
    /// The field whose non-null value marks a row deleted.
    pub soft_delete: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSpec {
    pub name: String,
    pub table: Option<String>,
    pub doc: Option<String>,
    pub comment: Option<String>,
    pub mixins: Vec<String>,
    pub fields: Vec<FieldSpec>,
    pub indexes: Vec<IndexSpec>,
    pub uniques: Vec<UniqueSpec>,
    pub relations: Vec<RelationSpec>,
    /// `foreign_keys:`, keys over several columns (or one), declared on the model.
    pub foreign_keys: Vec<CompositeForeignKeySpec>,
    pub repr: Option<Vec<String>>,
    pub renamed_from: Option<String>,
    pub checks: Vec<CheckSpec>,
    /// `primary_key: [b, a]`: the key's columns in their own order, rather than `pk` on
    /// fields (which keeps the fields' order).
    pub primary_key: Option<Vec<String>>,
    /// `primary_key: {name: …}`: the key constraint's name.
    pub primary_key_name: Option<String>,
    /// Reading the model failed somewhere.
    pub broken: bool,
    /// Fields and relations that are in the spec but could not be read: an error that
    /// one of them does not exist would only echo the error already reported for it.
    pub unread: Vec<String>,
    /// Whether the primary key may be among the fields that could not be read (one of
    /// them says `pk`, or `fields:` itself could not be read): then no "missing primary
    /// key" follows.
    pub unread_key: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub name: String,
    pub ty: LogicalType,
    pub nullable: bool,
    pub primary_key: bool,
    /// `None` means SQLAlchemy's "auto": on for a lone integer primary key.
    pub autoincrement: Option<bool>,
    /// How PostgreSQL generates the key, when `autoincrement:` says (`serial`,
    /// `{sequence: …}`, `identity`); `None` takes the spec's default.
    pub generator: Option<Generator>,
    pub unique: Uniqueness,
    pub index: bool,
    pub default: Option<DefaultValue>,
    pub server_default: Option<DefaultValue>,
    pub on_update: Option<OnUpdate>,
    pub foreign_key: Option<ForeignKeySpec>,
    pub doc: Option<String>,
    pub comment: Option<String>,
    pub secret: bool,
    pub renamed_from: Option<String>,
    /// The field's Rust type when not the column type's own (checked when read).
    pub rust_type: Option<String>,
    /// `app_on_update: now`: the application sets it on every update.
    pub app_on_update: Option<OnUpdate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Uniqueness {
    #[default]
    No,
    Yes,
    /// Unique among rows that are not soft-deleted.
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeySpec {
    /// `Model`, `Model.field` or `table.column`, as written.
    pub references: String,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    /// The constraint's name; `None` leaves it to the convention or the database.
    pub name: Option<String>,
}

/// A `foreign_keys:` entry: `columns: [a, b]` referencing `Model`, `Model(x, y)` or
/// `table(x, y)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeForeignKeySpec {
    pub columns: Vec<String>,
    pub key: ForeignKeySpec,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSpec {
    pub name: Option<String>,
    pub columns: Vec<KeySpec>,
    pub unique: bool,
    pub live: bool,
    /// `where:`, a condition in the check language, as written.
    pub predicate: Option<String>,
}

/// One entry of an index's `columns:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySpec {
    Column(String),
    /// `{expr: "lower(email)"}`, the text as written.
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueSpec {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub live: bool,
    /// Written as a bare list (`- [org, email]`) rather than a mapping with `columns:`.
    pub bare: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKindSpec {
    OneToMany,
    OneToOne,
    ManyToOne,
    ManyToMany,
}

impl RelationKindSpec {
    pub const ALL: [(&'static str, RelationKindSpec); 4] = [
        ("one_to_many", RelationKindSpec::OneToMany),
        ("one_to_one", RelationKindSpec::OneToOne),
        ("many_to_one", RelationKindSpec::ManyToOne),
        ("many_to_many", RelationKindSpec::ManyToMany),
    ];

    pub fn key(self) -> &'static str {
        match self {
            RelationKindSpec::OneToMany => "one_to_many",
            RelationKindSpec::OneToOne => "one_to_one",
            RelationKindSpec::ManyToOne => "many_to_one",
            RelationKindSpec::ManyToMany => "many_to_many",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationSpec {
    pub name: String,
    pub kind: RelationKindSpec,
    pub target: String,
    pub back_populates: Option<String>,
    pub cascade: Vec<String>,
    /// The foreign-key fields: on this model (many-to-one) or on the target (one-to-many).
    pub foreign_key: Option<Vec<String>>,
    /// Join table (or join model) of a many-to-many relation.
    pub through: Option<String>,
    pub doc: Option<String>,
    /// `backref: name` (SQLAlchemy's `backref=`): the target's side of the relation,
    /// declared here; `read` writes it on the target with both `back_populates`.
    pub backref: Option<String>,
}

/// The mixins every spec can use without defining them, as spec types.
pub fn builtin_mixins() -> Vec<MixinSpec> {
    modelgen_ir::builtin_mixins()
        .into_iter()
        .map(|m| MixinSpec {
            name: m.name.into(),
            doc: Some(m.doc.into()),
            fields: m
                .columns
                .into_iter()
                .map(|c| FieldSpec {
                    name: c.name,
                    ty: c.ty,
                    nullable: c.nullable,
                    primary_key: false,
                    autoincrement: None,
                    generator: None,
                    unique: Uniqueness::No,
                    index: false,
                    default: c.default,
                    server_default: c.server_default,
                    on_update: c.on_update,
                    foreign_key: None,
                    doc: c.doc,
                    comment: None,
                    secret: false,
                    renamed_from: None,
                    rust_type: None,
                    app_on_update: None,
                })
                .collect(),
            soft_delete: m.soft_delete.map(Into::into),
        })
        .collect()
}

/// A `checks:` entry as written: an expression of the check language, or raw SQL.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    pub name: String,
    pub body: CheckBody,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckBody {
    /// The text, parsed and type-checked by `lower`, which knows the model's columns.
    Expr(String),
    /// Raw SQL per dialect (one text given for all of them is repeated for each).
    Sql(std::collections::BTreeMap<modelgen_ir::Dialect, String>),
}
