//! The `#[derive(Model)]` front end of modelgen: a Rust struct and its `#[model(...)]`
//! attributes, lowered into the same IR the YAML spec becomes.
//!
//! Not a proc-macro crate, so the derive (`modelgen-derive`) and the CLI share it: the
//! derive calls [`lower_struct`] on its input, and the CLI calls [`schema_from_sources`]
//! on source files to read a whole schema without compiling anything.
//!
//! Stages run one way, as in thiserror's derive: `ast` (the struct's shape and field
//! types) → `attr` (what each attribute says; local checks) → `valid` (rules that need
//! the whole struct; every error is collected) → `lower` (the IR). Nothing panics on
//! user input; every error points at the token to change and says what to write.
//!
//! # Types
//!
//! A field's column type comes from the last segment of its Rust type's path, so
//! `chrono::NaiveDateTime` and an imported `NaiveDateTime` read the same:
//!
//! | Rust                                        | column type (YAML spelling) |
//! |---------------------------------------------|-----------------------------|
//! | `i16` / `i32` / `i64`                       | `smallint` / `int` / `bigint` |
//! | `f64`, `f32`                                | `float`                     |
//! | `bool`                                      | `bool`                      |
//! | `String` with `max_length = n`              | `str(n)` (`VARCHAR(n)`)     |
//! | `String` without `max_length`               | **`text`**                  |
//! | `NaiveDateTime` / `DateTime<…>`             | `datetime` / `datetime(tz)` |
//! | `NaiveDate`                                 | `date`                      |
//! | `NaiveTime`                                 | `time`                      |
//! | `Vec<u8>`                                   | `bytes`                     |
//! | `Uuid`                                      | `uuid`                      |
//! | `Value` (`serde_json::Value`)               | `json`                      |
//! | `Vec<T>`                                    | `list[T]`                   |
//! | `HashMap<String, T>`, `BTreeMap<String, T>` | `map[T]`                    |
//! | `Option<T>`                                 | `T`, nullable               |
//!
//! Items of lists and maps are `String`, `i32`, `i64`, `f64`, `bool`, `Value` or another
//! list or map.
//!
//! **A `String` without `max_length` is `text`**: unbounded, as SQLAlchemy's `Text`,
//! rather than a guessed length; write `max_length` wherever the spec says `str(n)`.
//!
//! `Decimal` has no default mapping (its precision and scale are a choice), and any type
//! can be given its column type with `sql_type = "decimal(10,2)"`, in the YAML spelling.
//! Anything else is an error at the type that says to add `sql_type`.
//!
//! # Attributes
//!
//! ```text
//! #[model(table = "users")]                  default: the struct name in snake_case
//! #[model(primary_key(org_id, user_id))]     the key in its own order, instead of
//!                                            `primary_key` on each field (field order)
//! #[model(mixins(timestamps, soft_delete))]  built-in mixins; their fields must be declared
//! #[model(repr(id, email))]                  Debug and Display as `<User(id=1, email=a@b.c)>`
//! #[model(debug = false)]                    with repr: Display only, for a struct that
//!                                            derives Debug (else E0119: two Debug impls)
//! #[model(join)]                             a join table
//! #[model(soft_delete = "deleted_at")]       soft-delete column of a mixin of your own
//! #[model(index(name = "…", columns(a, b), unique, live))]
//! #[model(unique(columns(a, b), name = "…", live))]
//! #[model(relation(name = "…", one_to_many | many_to_one | many_to_many = "Target",
//!                  foreign_key = "…", through = "…", target_foreign_key = "…",
//!                  back_populates = "…", cascade = "all, delete-orphan", doc = "…"))]
//! #[model(foreign_key(columns(a, b), references = "orders(region, number)",
//!                     name = "…", on_delete = "cascade", on_update = "cascade"))]
//!                                            a foreign key over several fields
//! #[model(check(name = "positive_total", expr = "total >= 0", doc = "…"))]
//! #[model(check(name = "…", sql = "…"))]     raw SQL, the same for every database
//! #[model(check(name = "…", sql(sqlite = "…", postgres = "…", mysql = "…")))]
//!                                            raw SQL per database: all three
//!
//! fields: primary_key, autoincrement[ = false], max_length = n, unique[ = "live"], index,
//!         secret, default = lit, server_default = lit, server_default_sql = "…"
//!         | server_default_sql(sqlite = "…", postgres = "…", mysql = "…"),
//!         on_update = "now", app_on_update = "now",
//!         foreign_key = "table.column", on_delete = "cascade", on_update = "cascade",
//!         mixin = "name", sql_type = "…"
//! ```
//!
//! A check's `expr` is the YAML spec's check language (field names are column names,
//! mixin fields included), parsed and type-checked when the struct is derived and
//! carried as a tree, so the expansion parses nothing at run time.

mod ast;
mod attr;
mod checks;
mod enums;
mod errors;
mod lower;
mod sources;
mod symbol;
mod ty;
mod valid;

pub use enums::lower_enum;
pub use sources::{schema_from_sources, SourceError};

use modelgen_ir as ir;
use proc_macro2::Span;

/// A struct lowered into the IR, with what the expansion needs beyond it.
#[derive(Clone)]
pub struct Lowered {
    /// The struct's name.
    pub ident: syn::Ident,
    /// The struct's table in the IR. Foreign keys name their target model by table
    /// (`target_model` == `target_table`), since one struct cannot know another's name;
    /// `schema_from_sources` resolves them.
    pub model: ir::Model,
    /// One per entry of `model.relations`, in the same order.
    pub relations: Vec<RelationTarget>,
    /// The fields Debug and Display show, when `repr(...)` is given; without it the
    /// derive implements neither.
    pub repr: Option<Vec<ReprField>>,
    /// Whether `repr` implements Debug too (not with `debug = false`, for a struct that
    /// derives Debug itself).
    pub debug: bool,
    /// The field whose `Some` marks a row deleted, for `is_deleted()`.
    pub soft_delete: Option<syn::Ident>,
    /// Where each of `model.foreign_keys` was written.
    pub foreign_key_spans: Vec<Span>,
    /// Where the type of each of `model.columns` was written.
    pub column_spans: Vec<Span>,
}

/// The Rust side of a relation: the accessor and the target type.
#[derive(Clone)]
pub struct RelationTarget {
    /// The accessor, `fn api_keys()`.
    pub name: syn::Ident,
    /// The target type as written (`"ApiKey"`, or a path such as `"crate::keys::ApiKey"`),
    /// resolved where the struct is; `model.relations[i].target` is its last segment.
    pub target: syn::Path,
    pub target_span: Span,
    pub through_span: Option<Span>,
}

/// One field of a seed-style repr.
#[derive(Clone)]
pub struct ReprField {
    pub ident: syn::Ident,
    pub column: String,
    pub style: ReprStyle,
}

/// How a repr shows a value: as Python's `__repr__` f-string would, strings unquoted and
/// `None` as `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReprStyle {
    /// A `String`, shown as its text.
    Text,
    /// Anything else, shown by `Debug`.
    Value,
    /// `Option<String>`: its text, or `None`.
    OptionalText,
    /// `Option<T>`: the value by `Debug`, or `None`.
    OptionalValue,
}

/// Reads a `#[derive(Model)]` input into the IR, or every error it has, combined.
pub fn lower_struct(input: &syn::DeriveInput) -> Result<Lowered, syn::Error> {
    let mut errors = errors::Errors::default();
    let Some(ast) = ast::Input::from_syn(input, &mut errors) else {
        // `from_syn` reports why it gave up; the fallback only keeps this total.
        return Err(errors.finish().err().unwrap_or_else(|| {
            syn::Error::new(input.ident.span(), "#[derive(Model)] needs a struct with named fields")
        }));
    };
    valid::check(&ast, &mut errors);
    errors.finish()?;
    let lowered = lower::lower(&ast);
    // Names the struct's own table, indexes and triggers would share in a database.
    let mut clashes = errors::Errors::default();
    for clash in modelgen_sql::names::clashes(std::slice::from_ref(&lowered.model)) {
        clashes.at(input.ident.span(), clash.message());
    }
    clashes.finish()?;
    Ok(lowered)
}
