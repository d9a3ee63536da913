//! The tokens a checked struct becomes: the `Model` impl with its IR, relation accessors,
//! `is_deleted()` and the seed-style Debug/Display. On error, the errors and a stub impl.
//!
//! Every path is absolute through `::modelgen` (or `::core`), so the expansion means the
//! same wherever it lands and users depend on one crate.

use crate::tokens;
use modelgen_attr::{Lowered, ReprStyle};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{DeriveInput, Visibility};

/// `#[derive(Model)]` on `input`, as plain tokens so tests can snapshot it.
pub fn expand(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    match modelgen_attr::lower_struct(&input) {
        Ok(lowered) => model(&lowered, &input.vis),
        Err(errors) => {
            let errors = errors.to_compile_error();
            let stub = stub(&input);
            quote!(#errors #stub)
        }
    }
}

fn model(l: &Lowered, vis: &Visibility) -> TokenStream {
    let ident = &l.ident;
    let table = &l.model.table;
    let columns = l.model.columns.iter().map(|c| &c.name);
    let ir = tokens::model(&l.model);
    let inherent = inherent(l, vis);
    let repr = repr(l);
    quote! {
        impl ::modelgen::Model for #ident {
            const TABLE: &'static str = #table;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];
            fn model() -> &'static ::modelgen::ir::Model {
                fn build() -> ::modelgen::ir::Model {
                    use ::modelgen::__private::build::*;
                    #ir
                }
                static MODEL: ::modelgen::__private::LazyLock<::modelgen::ir::Model> =
                    ::modelgen::__private::LazyLock::new(build);
                &MODEL
            }
        }
        #inherent
        #repr
    }
}

/// `is_deleted()` and one accessor per relation, with the struct's own visibility.
fn inherent(l: &Lowered, vis: &Visibility) -> TokenStream {
    let ident = &l.ident;
    let mut items = Vec::new();
    if let Some(field) = &l.soft_delete {
        let doc = format!(
            " Whether the row is soft-deleted: `{}` is set.",
            field.to_string().trim_start_matches("r#")
        );
        items.push(quote! {
            #[doc = #doc]
            #vis fn is_deleted(&self) -> bool {
                ::core::option::Option::is_some(&self.#field)
            }
        });
    }
    for (rel, target) in l.model.relations.iter().zip(&l.relations) {
        let name = &target.name;
        // Parsed from the string it was written in, the target type carries that
        // string's span, so a misspelt or unimported target is reported there.
        let to = &target.target;
        let kind = tokens::relation_kind(rel.kind);
        let rel_name = &rel.name;
        let foreign_key = &rel.foreign_key;
        let target_foreign_key = &rel.target_foreign_key;
        let through = match &rel.through {
            Some(t) => quote!(::core::option::Option::Some(#t)),
            None => quote!(::core::option::Option::None),
        };
        let doc = match &rel.doc {
            Some(doc) => doc.lines().map(|l| format!(" {l}")).collect::<Vec<_>>(),
            None => vec![format!(
                " The `{}` relation: {} `{}`.",
                rel.name,
                match rel.kind {
                    modelgen_ir::RelationKind::OneToMany => "one-to-many to",
                    modelgen_ir::RelationKind::OneToOne => "one-to-one to",
                    modelgen_ir::RelationKind::ManyToOne => "many-to-one to",
                    modelgen_ir::RelationKind::ManyToMany => "many-to-many with",
                },
                rel.target
            )],
        };
        let assert_model = quote_spanned!(target.target_span=> let _: ::modelgen::__private::AssertModel<#to>;);
        // The accessor is named as the relation, which the spec allows in any case and as
        // the model's own name (`fn order()` on `Order`).
        items.push(quote! {
            #(#[doc = #doc])*
            #[allow(non_snake_case, clippy::self_named_constructors)]
            #vis const fn #name() -> ::modelgen::Relation<#ident, #to> {
                #assert_model
                ::modelgen::Relation::__new(
                    #rel_name,
                    ::modelgen::ir::#kind,
                    &[#(#foreign_key),*],
                    #through,
                    &[#(#target_foreign_key),*],
                )
            }
        });
    }
    if items.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #ident {
            #(#items)*
        }
    }
}

/// Debug and Display as the seed's `__repr__`: `<User(id=1, email=ada@example.com)>`.
fn repr(l: &Lowered) -> TokenStream {
    let Some(fields) = &l.repr else {
        return TokenStream::new();
    };
    let ident = &l.ident;
    let mut format = format!("<{}(", l.model.name);
    let mut args = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            format.push_str(", ");
        }
        let spec = match field.style {
            ReprStyle::Text | ReprStyle::OptionalText => "{}",
            ReprStyle::Value | ReprStyle::OptionalValue => "{:?}",
        };
        format.push_str(&format!("{}={spec}", field.column));
        let name = &field.ident;
        args.push(match field.style {
            ReprStyle::Text | ReprStyle::Value => quote!(self.#name),
            ReprStyle::OptionalText | ReprStyle::OptionalValue => {
                quote!(::modelgen::__private::ReprOption(&self.#name))
            }
        });
    }
    format.push_str(")>");
    // `debug = false`: the struct derives Debug itself (two impls would be E0119).
    let debug = l.debug.then(|| {
        quote! {
            impl ::core::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::fmt::Display::fmt(self, f)
                }
            }
        }
    });
    quote! {
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(f, #format, #(#args),*)
            }
        }
        #debug
    }
}

/// After an error, an impl that compiles, so the user sees the error and not every use of
/// `User::model()` failing with it (thiserror does the same).
fn stub(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::modelgen::Model for #ident #ty_generics #where_clause {
            const TABLE: &'static str = "";
            const COLUMNS: &'static [&'static str] = &[];
            fn model() -> &'static ::modelgen::ir::Model {
                ::core::unreachable!("#[derive(Model)] failed; see its errors")
            }
        }
    }
}

/// `impl modelgen::Enum`: the enum's values and database options, as `modelgen_attr`
/// read them.
pub fn expand_enum(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let e = match modelgen_attr::lower_enum(&input) {
        Ok(e) => e,
        Err(e) => return e.to_compile_error(),
    };
    let ident = &input.ident;
    let (name, type_name, values, native, check) = (&e.name, &e.type_name, &e.values, e.native, e.check);
    quote::quote! {
        impl ::modelgen::Enum for #ident {
            fn enum_type() -> ::modelgen::ir::EnumType {
                ::modelgen::ir::EnumType {
                    name: ::std::string::String::from(#name),
                    type_name: ::std::string::String::from(#type_name),
                    values: ::std::vec![#(::std::string::String::from(#values)),*],
                    native: #native,
                    check: #check,
                    renamed_values: ::std::default::Default::default(),
                }
            }
        }
    }
}
