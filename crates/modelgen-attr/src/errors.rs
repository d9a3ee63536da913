//! Collects every error a struct has, so the user sees all of them in one build, and the
//! small helpers that word them ("did you mean", identifier rules).

use proc_macro2::Span;
use std::fmt::Display;

/// Every error found so far, combined into one `syn::Error` (which holds many).
#[derive(Default)]
pub struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(all) => all.combine(error),
            None => self.combined = Some(error),
        }
    }

    pub fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error covering every token of `tokens`, for things wider than one token.
    pub fn spanned(&mut self, tokens: impl quote::ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn finish(self) -> Result<(), syn::Error> {
        match self.combined {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// The closest known word to a misspelt one, if it is close enough to be what was meant
/// (the same rule as the YAML front end).
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// `"; did you mean `x`?"` for the closest known word, or `"; expected one of: …"`.
pub fn did_you_mean_or_list<'a>(word: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match suggest(word, known.clone()) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => format!(
            "; expected one of: {}",
            known.into_iter().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `"; did you mean `x`?"` for the closest known word, or nothing.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    suggest(word, known)
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

/// The identifier rule every front end shares.
pub use modelgen_ir::check_identifier;
