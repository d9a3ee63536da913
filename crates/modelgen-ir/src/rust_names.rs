//! The Rust names generated code gives a model, defined once: the Rust back end spells
//! them, and the spec front end refuses models whose names would collide in Rust.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The model's struct: `api_key` → `ApiKey`, `user_roles` (a join table) → `UserRoles`.
pub fn struct_name(model: &str) -> String {
    model.to_upper_camel_case()
}

/// The struct for a new row of an entity model: `ApiKey` → `NewApiKey`.
pub fn insert_struct_name(model: &str) -> String {
    format!("New{}", struct_name(model))
}

/// The struct of a partial update, with `output.rust.queries`: `ApiKey` → `ApiKeyPatch`.
pub fn patch_struct_name(model: &str) -> String {
    format!("{}Patch", struct_name(model))
}

/// The module of `mod.rs` that gathers the queries, with `output.rust.queries`.
pub const QUERIES_MODULE: &str = "queries";

/// The model's module and file name: `ApiKey` → `api_key`.
pub fn module_name(model: &str) -> String {
    model.to_snake_case()
}

/// Types that generated code names without a path; a model struct of the same name
/// would hide them from its own module.
pub const PRELUDE_TYPES: [&str; 4] = ["String", "Option", "Vec", "Default"];

/// The prelude's tuple and unit enum variants: a function parameter of the same name is
/// read as a pattern of that variant, so no field of a generated `New…::new` can have it.
pub const PRELUDE_VARIANTS: [&str; 4] = ["Some", "None", "Ok", "Err"];

/// The module listing the others is `mod.rs`, so no model's module may be named `mod`.
pub const MOD_FILE_STEM: &str = "mod";
