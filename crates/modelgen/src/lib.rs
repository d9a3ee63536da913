//! Schema models from Rust structs: `#[derive(Model)]` reads a struct and its
//! `#[model(...)]` attributes into modelgen's IR, and the DDL follows from the IR exactly
//! as the `modelgen` CLI writes it from a `models.yaml`.
//!
//! ```
//! use modelgen::{Dialect, Model};
//!
//! /// A person who can sign in.
//! #[derive(Model)]
//! #[model(table = "users", repr(id, email))]
//! #[model(check(name = "users_email_at", expr = "length(email) >= 3"))]
//! pub struct User {
//!     #[model(primary_key)]
//!     pub id: i32,
//!     #[model(max_length = 255, unique, index)]
//!     pub email: String,
//!     /// Free text: a `String` without `max_length` is TEXT.
//!     pub bio: Option<String>,
//! }
//!
//! assert_eq!(User::TABLE, "users");
//! assert_eq!(User::COLUMNS, ["id", "email", "bio"]);
//! assert!(User::create_sql(Dialect::Sqlite).starts_with("CREATE TABLE \"users\""));
//! assert!(User::create_sql(Dialect::Mysql).contains("CHECK (CHAR_LENGTH(`email`) >= 3)"));
//! let ada = User { id: 1, email: "ada@example.com".into(), bio: None };
//! assert_eq!(format!("{ada:?}"), "<User(id=1, email=ada@example.com)>");
//! ```
//!
//! The attribute grammar and the Rust-type-to-column mapping are documented in
//! `modelgen-attr`, which the derive and the CLI share.

use std::fmt;
use std::marker::PhantomData;

#[cfg(feature = "_types")]
pub mod types;

pub use modelgen_derive::{Enum, Model};
pub use modelgen_ir as ir;
pub use modelgen_ir::Dialect;

/// A table: implemented by `#[derive(Model)]`.
/// An enum a model's `#[model(enum)]` field holds: `#[derive(modelgen::Enum)]` writes it
/// from the variants (`#[model(rename = "…")]` for a value other than the variant's name
/// in snake case) and the enum's `#[model(type_name = "…", native = false, check)]`.
pub trait Enum {
    fn enum_type() -> ir::EnumType;
}

pub trait Model {
    const TABLE: &'static str;
    /// Column names in order.
    const COLUMNS: &'static [&'static str];
    /// This table's IR, built once.
    fn model() -> &'static ir::Model;
    /// `CREATE TABLE` with the table's indexes and triggers, as in [`create_script`].
    fn create_sql(dialect: Dialect) -> String {
        modelgen_sql::create_table_sql(Self::model(), dialect)
    }
}

/// Typed relation metadata (no lazy loading): what a query needs to follow it. Made by the
/// accessors the derive generates, such as `User::api_keys()`.
pub struct Relation<From, To> {
    pub name: &'static str,
    pub kind: ir::RelationKind,
    /// The foreign-key columns followed: on `From` for many-to-one, on `To` for
    /// one-to-many, on the join table (pointing at `From`) for many-to-many.
    pub foreign_key: &'static [&'static str],
    /// The join table of a many-to-many relation.
    pub through: Option<&'static str>,
    /// The join-table columns pointing at `To` (many-to-many only).
    pub target_foreign_key: &'static [&'static str],
    /// `fn` keeps the relation `Send`, `Sync` and `Copy` whatever the models are.
    marker: PhantomData<fn() -> (From, To)>,
}

impl<From, To> Relation<From, To> {
    /// For the derive's expansion, which checks that the target is a model where the
    /// target is written (`__private::AssertModel`); a bound here would report it twice.
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        kind: ir::RelationKind,
        foreign_key: &'static [&'static str],
        through: Option<&'static str>,
        target_foreign_key: &'static [&'static str],
    ) -> Self {
        Relation {
            name,
            kind,
            foreign_key,
            through,
            target_foreign_key,
            marker: PhantomData,
        }
    }
}

impl<From: Model, To: Model> Relation<From, To> {
    pub fn from_table(&self) -> &'static str {
        From::TABLE
    }

    pub fn target_table(&self) -> &'static str {
        To::TABLE
    }
}

// By hand: derives would demand `From: Clone` and so on, which the marker does not need.
impl<From, To> Clone for Relation<From, To> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<From, To> Copy for Relation<From, To> {}

impl<From, To> fmt::Debug for Relation<From, To> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relation")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("foreign_key", &self.foreign_key)
            .field("through", &self.through)
            .field("target_foreign_key", &self.target_foreign_key)
            .finish()
    }
}

/// The whole create script for a set of models, byte-identical to the migration body the
/// CLI writes for the same schema: tables in dependency order, then foreign keys that
/// close a cycle.
pub fn create_script(models: &[&ir::Model], dialect: Dialect) -> String {
    modelgen_sql::create_script(&schema(models), dialect)
}

/// The drop script for a set of models, the reverse of [`create_script`].
pub fn drop_script(models: &[&ir::Model], dialect: Dialect) -> String {
    modelgen_sql::drop_script(&schema(models), dialect)
}

fn schema(models: &[&ir::Model]) -> ir::Schema {
    ir::Schema {
        models: models.iter().map(|m| (*m).clone()).collect(),
    }
}

/// What the derive's expansion names; not part of the API.
#[doc(hidden)]
pub mod __private {
    use std::fmt;
    use std::marker::PhantomData;

    pub use std::sync::LazyLock;

    /// Names a relation's target in the accessor, spanned at the string it was written
    /// in, so "`ApiKey` is not a model" is reported there rather than at the derive.
    pub struct AssertModel<T: crate::Model>(PhantomData<T>);

    /// Everything an expanded `model()` body builds the IR from, imported with a glob
    /// inside that body so the literal reads like the IR's own definition. Prelude names
    /// (`Some`, `Box`, `Vec`) are here too, so a user's item of that name cannot capture them.
    pub mod build {
        pub use core::option::Option::{None, Some};
        pub use modelgen_ir::check::{BinaryOp, Check, CheckExpr, Expr};
        pub use modelgen_ir::naming::NamingConvention;
        pub use modelgen_ir::{
            Column, DefaultValue, Dialect, FkAction, ForeignKey, Generator, Index, IndexKey, JsonShape, LogicalType,
            Model, ModelKind, OnUpdate, Relation, RelationKind, Unique,
        };
        pub use std::boxed::Box;
        pub use std::collections::BTreeMap;
        pub use std::vec::Vec;

        pub fn s(text: &str) -> String {
            text.to_owned()
        }

        pub fn strings(items: &[&str]) -> Vec<String> {
            items.iter().map(|s| (*s).to_owned()).collect()
        }

        /// An index's keys when all are columns.
        pub fn keys(columns: &[&str]) -> Vec<IndexKey> {
            columns.iter().map(|c| IndexKey::Column((*c).to_owned())).collect()
        }

        /// A server default in SQL, by dialect name.
        pub fn sql(by_dialect: &[(&str, &str)]) -> DefaultValue {
            DefaultValue::Sql(
                by_dialect
                    .iter()
                    .filter_map(|(d, text)| Some((modelgen_ir::Dialect::from_name(d)?, (*text).to_owned())))
                    .collect(),
            )
        }

        /// A column with every option off, for struct-update syntax; the derive's output
        /// calls it by this short name.
        pub fn column(name: &str, ty: LogicalType) -> Column {
            Column::new(name, ty)
        }
    }

    /// An `Option` field in a seed-style repr: `None` as `None`, a value as itself (not
    /// `Some(…)`), as Python's f-string shows it. `{}` shows text; `{:?}` anything else.
    pub struct ReprOption<'a, T>(pub &'a Option<T>);

    impl<T: fmt::Display> fmt::Display for ReprOption<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self.0 {
                Some(v) => fmt::Display::fmt(v, f),
                None => f.write_str("None"),
            }
        }
    }

    impl<T: fmt::Debug> fmt::Debug for ReprOption<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self.0 {
                Some(v) => fmt::Debug::fmt(v, f),
                None => f.write_str("None"),
            }
        }
    }
}
