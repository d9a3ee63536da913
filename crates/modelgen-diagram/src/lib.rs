//! Entity-relationship diagrams of a resolved schema: Mermaid `erDiagram` text for
//! Markdown (GitHub renders it) and Graphviz DOT for images.
//!
//! Pure functions of the IR, like every back end. The `er` module decides what a diagram
//! shows (tables, columns with key markers, one link per foreign key with its
//! cardinality); [`mermaid()`] and [`dot()`] only spell that out, so the two notations
//! always agree. Output follows schema order and is byte-for-byte deterministic.

mod dot;
mod er;
mod mermaid;

pub use dot::dot;
pub use mermaid::mermaid;
