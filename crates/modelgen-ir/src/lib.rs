//! The resolved, self-contained schema that every modelgen back end reads.
//!
//! Front ends (the YAML spec, `#[derive(Model)]`) lower into these types; nothing here
//! parses or does I/O. By the time a [`Schema`] exists, mixins are flattened, join tables
//! are synthesized, relations are paired both ways and every index has its final name,
//! so a back end never has to resolve anything itself.

pub mod check;
mod comment;
pub mod config;
mod defaults;
mod generator;
mod identifier;
mod index;
mod mixins;
pub mod naming;
pub mod rust_names;
mod rust_override;
mod sql_text;
mod types;

pub use comment::{check_comment, CommentOn};
pub use defaults::{check_default, check_server_default, expected as default_expected, server_side, Literal};
pub use generator::{check_sequence_name, Generator};
pub use identifier::{check_identifier, check_text};
pub use index::{column_keys, index_name, key_words, IndexKey};
pub use mixins::{builtin_mixin, builtin_mixins, BuiltinMixin};
pub use rust_override::{check_rust_type, is_own_type};
pub use sql_text::check_sql_expression;
pub use types::{check_enum_value, EnumType, JsonShape, LogicalType, TypeError, MAX_LENGTH};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole resolved schema: tables in spec order, join tables after the models that use them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub models: Vec<Model>,
}

impl Schema {
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.name == name)
    }

    pub fn model_by_table(&self, table: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.table == table)
    }

    /// Every enum the columns use, once, in the order they are first used.
    pub fn enums(&self) -> Vec<&EnumType> {
        let mut out: Vec<&EnumType> = Vec::new();
        for c in self.models.iter().flat_map(|m| &m.columns) {
            if let LogicalType::Enum(e) = &c.ty {
                if !out.iter().any(|o| o.name == e.name) {
                    out.push(e);
                }
            }
        }
        out
    }
}

/// Whether a table is a user model or a join table modelgen made for a many-to-many relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    Entity,
    /// Synthesized from `through:`; it has no Rust struct of its own.
    Join,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The Rust type name (`ApiKey`).
    pub name: String,
    pub table: String,
    pub kind: ModelKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The table's comment in the database (SQLAlchemy's `comment=`), checked by
    /// [`check_comment`]; not the doc, which stays in the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Mixins the model uses, in the order listed; their columns follow the model's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<String>,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    /// The primary key constraint's name; `None` leaves it to the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<Unique>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// Columns shown by `Debug`, in the seed's `<User(id=1, email=…)>` style.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repr: Vec<String>,
    /// The column whose non-null value marks a row as deleted, for soft-delete models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_delete: Option<String>,
    /// The table's previous name, declared so a migration renames instead of dropping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Named CHECK constraints, in spec order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<check::Check>,
    /// The naming convention the model's constraints were named by. Its names are already
    /// in place (a column type's CHECK in `Column::check_name`); it stays for outputs
    /// that carry the convention itself, the SQLAlchemy module's metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub naming: Option<naming::NamingConvention>,
}

impl Model {
    /// Whether the primary key's order is not its columns' (`primary_key: [b, a]`): the
    /// outputs then say the key on the table rather than by a flag on each column.
    pub fn key_in_own_order(&self) -> bool {
        let flagged = self.columns.iter().filter(|c| c.primary_key).map(|c| &c.name);
        !flagged.eq(self.primary_key.iter())
    }

    /// Whether the table holds `columns` unique together, in any order, in every row: its
    /// primary key, a unique constraint, or a unique index over those columns alone with
    /// no condition (a live-only or partial one lets other rows repeat them).
    pub fn is_unique_set(&self, columns: &[String]) -> bool {
        fn sorted(mut cols: Vec<&str>) -> Vec<&str> {
            cols.sort_unstable();
            cols
        }
        let wanted = sorted(columns.iter().map(String::as_str).collect());
        let same = |other: &[String]| sorted(other.iter().map(String::as_str).collect()) == wanted;
        same(&self.primary_key)
            || self.uniques.iter().any(|u| same(&u.columns))
            || self
                .indexes
                .iter()
                .filter_map(|i| i.unique_columns())
                .any(|cols| sorted(cols) == wanted)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

impl Column {
    /// A NOT NULL column with every option off, for struct-update syntax: for columns
    /// modelgen makes itself (join tables, mixins, derive-generated code).
    pub fn new(name: impl Into<String>, ty: LogicalType) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: false,
            primary_key: false,
            autoincrement: false,
            generator: Generator::Identity,
            default: None,
            server_default: None,
            on_update: None,
            app_on_update: None,
            secret: false,
            doc: None,
            comment: None,
            mixin: None,
            renamed_from: None,
            rust_type: None,
            check_name: None,
        }
    }

    /// Why `dialect` cannot build this column, with the fix, if it cannot: `str` without
    /// a length on MySQL, whose VARCHAR needs one, or a `server_default_sql` written for
    /// the other databases only. The reason reads after the column's name.
    pub fn unsupported_on(&self, dialect: Dialect) -> Option<(String, String)> {
        if dialect == Dialect::Mysql && self.ty == (LogicalType::Str { max_length: None }) {
            return Some((
                "is `str` without a length, which MySQL needs for VARCHAR".into(),
                "write `str(255)` (or the longest value you expect), use `text` for long text, or leave MySQL out of `dialects`".into(),
            ));
        }
        match &self.server_default {
            Some(DefaultValue::Sql(by_dialect)) if !by_dialect.contains_key(&dialect) => Some((
                format!("has a `server_default_sql` with no SQL for {}", dialect.name()),
                format!(
                    "add `{}:` to `server_default_sql`, or leave {} out of `dialects`",
                    dialect.name(),
                    dialect.name()
                ),
            )),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: LogicalType,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary_key: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub autoincrement: bool,
    /// How PostgreSQL generates the key when `autoincrement` is set; identity otherwise.
    #[serde(default, skip_serializing_if = "Generator::is_identity")]
    pub generator: Generator,
    /// Applied by the application when a row is built (SQLAlchemy's `default=`); not DDL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// Applied by the database (`DEFAULT …` in the DDL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_default: Option<DefaultValue>,
    /// Kept by the database on every UPDATE (trigger or `ON UPDATE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<OnUpdate>,
    /// Set by the application whenever it updates the row (SQLAlchemy's `onupdate=`):
    /// no trigger, not DDL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_on_update: Option<OnUpdate>,
    /// Never shown by Debug/Display nor serialized.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The column's comment in the database (`mapped_column(comment=…)`), checked by
    /// [`check_comment`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The mixin this column came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixin: Option<String>,
    /// The column's previous name, declared so a migration renames instead of dropping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The field's Rust type when it is not the one `ty` maps to (`f64` for a decimal,
    /// `crate::Settings` for JSON); checked by `check_rust_type`. Not DDL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_type: Option<String>,
    /// The name of the CHECK the column's type brings (an enum's, a `bool(check)`'s),
    /// where a naming convention gave it another than [`check::column_check`]'s default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_name: Option<String>,
}

/// A literal default value, already checked against its column's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Kept as text so no precision is lost.
    Decimal(String),
    Str(String),
    /// The current timestamp (or date, on a date column) at insert time.
    Now,
    /// A random (version 4) UUID made by the application when it builds the row
    /// (SQLAlchemy's `default=uuid.uuid4`); never a database default.
    Uuid4,
    /// A JSON document, in compact canonical form (`[]`, `{}`, `["read"]`).
    Json(String),
    /// SQL the database evaluates, as written, per dialect (SQLAlchemy's
    /// `server_default=text("gen_random_uuid()")`); only ever a server default. A dialect
    /// without an entry cannot build the column ([`Column::unsupported_on`]).
    Sql(BTreeMap<Dialect, String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnUpdate {
    Now,
}

/// A UNIQUE constraint declared in the table (SQLAlchemy's `unique=True` without `index=True`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    /// `None` leaves naming to the database, as SQLAlchemy does without a naming convention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    /// The key parts in order: column names, and expressions (`lower(email)`).
    pub columns: Vec<IndexKey>,
    pub unique: bool,
    /// Applies to live rows only (`WHERE <soft delete column> IS NULL`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub live_only: bool,
    /// A partial index's condition (`WHERE …`), in the check language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<check::Expr>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// `None` leaves naming to the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub target_model: String,
    pub target_table: String,
    pub target_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<FkAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<FkAction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

impl FkAction {
    pub const ALL: [(&'static str, FkAction); 5] = [
        ("cascade", FkAction::Cascade),
        ("set_null", FkAction::SetNull),
        ("set_default", FkAction::SetDefault),
        ("restrict", FkAction::Restrict),
        ("no_action", FkAction::NoAction),
    ];

    pub fn sql(self) -> &'static str {
        match self {
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
            FkAction::Restrict => "RESTRICT",
            FkAction::NoAction => "NO ACTION",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    OneToMany,
    /// The parent side of a one-to-one: the target's foreign key here is unique, so at
    /// most one row (SQLAlchemy's `uselist=False`).
    OneToOne,
    ManyToOne,
    ManyToMany,
}

/// A navigable link between two models. Relations put nothing in the DDL themselves: the
/// foreign keys they ride on do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub name: String,
    pub kind: RelationKind,
    pub target: String,
    /// The foreign-key columns the relation follows: on this model for many-to-one, on the
    /// target for one-to-many and one-to-one, on the join table (this side's column) for many-to-many.
    pub foreign_key: Vec<String>,
    /// The join table of a many-to-many relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// The join-table columns pointing at the target (many-to-many only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_foreign_key: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_populates: Option<String>,
    /// ORM-level cascade options as SQLAlchemy spells them (`all`, `delete-orphan`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cascade: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// A database family modelgen emits SQL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    Sqlite,
    Postgres,
    Mysql,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

    /// The name used on the command line, in the spec and as a directory name.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}
