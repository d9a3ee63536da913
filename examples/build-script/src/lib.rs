//! Models generated at build time from `models.yaml` by `modelgen-build`; nothing generated
//! is checked in.

/// The models of `models.yaml`.
pub mod models {
    include!(concat!(env!("OUT_DIR"), "/models.rs"));
}

pub use models::{Author, NewAuthor, NewPost, Post};
