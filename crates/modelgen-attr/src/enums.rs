//! `#[derive(modelgen::Enum)]`: a fieldless enum as the IR's [`EnumType`], read the same
//! way by the proc-macro and by `modelgen build --from-rust`.
//!
//! ```text
//! #[model(type_name = "poststatus", native = false, check)]   // all optional
//! enum PostStatus { Draft, #[model(rename = "in-review")] InReview }
//! ```
//! A variant's value is its name in snake case unless renamed; the type's database name
//! is the enum's name in lower case, as SQLAlchemy names the type of a Python enum class.

use heck::ToSnakeCase;
use modelgen_ir::EnumType;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Lit, LitBool, LitStr};

pub fn lower_enum(input: &DeriveInput) -> Result<EnumType, syn::Error> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "#[derive(modelgen::Enum)] needs an enum whose variants have no fields",
        ));
    };
    let name = input.ident.to_string();
    let mut e = EnumType {
        type_name: name.to_lowercase(),
        name,
        values: Vec::new(),
        native: true,
        check: false,
        renamed_values: Default::default(),
    };
    let mut errors: Vec<syn::Error> = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("type_name") {
                let lit: LitStr = meta.value()?.parse()?;
                match modelgen_ir::check_identifier(&lit.value()) {
                    Ok(()) => e.type_name = lit.value(),
                    Err(why) => errors.push(syn::Error::new(lit.span(), format!("`type_name` {why}"))),
                }
            } else if meta.path.is_ident("native") {
                e.native = flag(&meta)?;
            } else if meta.path.is_ident("check") {
                e.check = flag(&meta)?;
            } else {
                return Err(meta.error("unknown key: an enum takes `type_name = \"…\"`, `native = false` and `check`"));
            }
            Ok(())
        });
        errors.extend(parsed.err());
    }
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            errors.push(syn::Error::new(
                v.span(),
                "an enum's variants carry no fields: its value is its name",
            ));
            continue;
        }
        let mut value = v.ident.to_string().to_snake_case();
        for attr in v.attrs.iter().filter(|a| a.path().is_ident("model")) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: LitStr = meta.value()?.parse()?;
                    value = lit.value();
                    Ok(())
                } else {
                    Err(meta.error("unknown key: a variant takes `rename = \"…\"`"))
                }
            });
            errors.extend(parsed.err());
        }
        if let Err(why) = modelgen_ir::check_enum_value(&value, &e.values) {
            errors.push(syn::Error::new(v.ident.span(), why));
        }
        e.values.push(value);
    }
    if e.values.is_empty() {
        errors.push(syn::Error::new(
            input.ident.span(),
            "an enum needs at least one variant",
        ));
    }
    match errors.into_iter().reduce(|mut a, b| {
        a.combine(b);
        a
    }) {
        Some(error) => Err(error),
        None => Ok(e),
    }
}

/// `check` or `check = true/false`.
fn flag(meta: &syn::meta::ParseNestedMeta) -> syn::Result<bool> {
    if !meta.input.peek(syn::Token![=]) {
        return Ok(true);
    }
    match meta.value()?.parse::<Lit>()? {
        Lit::Bool(LitBool { value, .. }) => Ok(value),
        other => Err(syn::Error::new(other.span(), "expected `true` or `false`")),
    }
}
