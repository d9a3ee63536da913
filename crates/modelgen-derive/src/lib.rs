//! `#[derive(Model)]`: use it through the `modelgen` crate, whose paths the expansion names.
//!
//! Thin on purpose: `modelgen-attr` reads and checks the struct (the CLI shares it), and
//! `expand` turns the result into tokens.

mod expand;
mod tokens;

#[cfg(test)]
mod tests;

#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand::expand(input.into()).into()
}

/// `#[derive(Enum)]` on a fieldless enum: what a `#[model(enum)]` field of its type holds.
#[proc_macro_derive(Enum, attributes(model))]
pub fn derive_enum(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand::expand_enum(input.into()).into()
}
