//! What the tests of `lower_struct` share: its IR, or its errors as text.

use modelgen_attr::lower_struct;
use modelgen_ir::Model;

pub fn lower(input: syn::DeriveInput) -> Model {
    match lower_struct(&input) {
        Ok(l) => l.model,
        Err(e) => panic!("{:?}", e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    }
}

pub fn errors(input: syn::DeriveInput) -> Vec<String> {
    match lower_struct(&input) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}
