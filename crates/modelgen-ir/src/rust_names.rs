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

/// The module of `mod.rs` that holds the spec's enums.
pub const ENUMS_MODULE: &str = "enum_types";

/// An enum value's Rust variant: `in-review` → `InReview`; `V` first where the value
/// gives no identifier that starts with a letter (`1st` → `V1st`, `self` → `VSelf`).
pub fn enum_variant(value: &str) -> String {
    let name = value.to_upper_camel_case();
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric());
    if plain && name != "Self" {
        name
    } else {
        let tail: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        format!("V{tail}")
    }
}
