//! Whether the crate the generated Rust goes into lists what that code uses, so a
//! missing `chrono` feature is said by `modelgen build`, not found by the compiler.

use modelgen_emit::Dependency;
use std::path::{Path, PathBuf};

/// Features a crate turns on by default, which a dependency that keeps its defaults has.
fn default_features(name: &str) -> &'static [&'static str] {
    match name {
        "chrono" => &["clock", "std", "oldtime", "wasmbind"],
        "sqlx" => &["any", "macros", "migrate", "json"],
        "uuid" => &["std"],
        "rust_decimal" => &["serde", "std"],
        _ => &[],
    }
}

/// The package manifest the Rust folder `dir` belongs to: the nearest Cargo.toml above it
/// with a `[package]`.
fn manifest(dir: &Path) -> Option<(PathBuf, toml::Table)> {
    let dir = std::path::absolute(dir).ok()?;
    for at in dir.ancestors() {
        let path = at.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let table: toml::Table = text.parse().ok()?;
        if table.contains_key("package") {
            return Some((path, table));
        }
    }
    None
}

/// The lines a crate's Cargo.toml lacks of `needed`, each a whole `[dependencies]` line
/// to put in (or over) its own; with the manifest. Nothing without a manifest, or for a
/// dependency it takes from the workspace (whose features are not read here).
pub fn lacking(rust_dir: &Path, needed: &[Dependency]) -> Option<(PathBuf, Vec<String>)> {
    let (path, table) = manifest(rust_dir)?;
    let deps = table.get("dependencies").and_then(|d| d.as_table());
    let mut out = Vec::new();
    for dep in needed {
        let has = match deps.and_then(|d| d.get(dep.name)) {
            None => false,
            Some(toml::Value::String(_)) => dep.features.iter().all(|f| default_features(dep.name).contains(f)),
            Some(toml::Value::Table(t)) if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) => true,
            Some(toml::Value::Table(t)) => {
                let listed: Vec<&str> = t
                    .get("features")
                    .and_then(|f| f.as_array())
                    .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                let defaults = t.get("default-features").and_then(|d| d.as_bool()) != Some(false);
                dep.features
                    .iter()
                    .all(|f| listed.contains(f) || (defaults && default_features(dep.name).contains(f)))
            }
            Some(_) => true,
        };
        if !has {
            out.push(dep.line());
        }
    }
    (!out.is_empty()).then_some((path, out))
}
