//! The `models.yaml` front end: YAML text → [`spec::Spec`] → checked [`modelgen_ir::Schema`].
//!
//! Stages run one way: `node` (YAML to a plain tree) → `read` (tree to spec types, local
//! checks) → `lower` (cross-model resolution and checks, IR out). Every stage collects all
//! of its errors; positions are found only when a diagnostic is rendered (`locate`).
//! Nothing here touches the filesystem.

pub mod diag;
mod locate;
mod lower;
mod node;
mod read;
mod shorthand;
pub mod spec;
mod surface;
mod write;

pub use diag::{Diagnostic, Diagnostics, ErrorKind, Path};
pub use locate::{Location, Target};
pub use modelgen_ir::check_identifier;
pub use surface::json_schema;
pub use write::spec_text;

use modelgen_ir::config::Output;
use modelgen_ir::Schema;
use node::Node;

/// Where editors find the published JSON Schema of the spec: the checked-in
/// `schema/models.schema.json` of modelgen's repository, which `modelgen schema` prints.
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/modelgen/modelgen/main/schema/models.schema.json";

/// Specs above this size are refused before parsing, to bound time and memory.
pub const MAX_SPEC_BYTES: usize = 64 << 20;

/// A checked spec: the schema and what to generate from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub schema: Schema,
    pub output: Output,
}

/// Reads, checks and lowers a spec given as raw file bytes.
pub fn load_bytes(bytes: &[u8], file: &str) -> Result<Project, Diagnostics> {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_project(text, file),
        Err(e) => {
            let at = e.valid_up_to();
            let mut d = Diagnostic::new(
                ErrorKind::Syntax,
                Path::root(),
                format!("the spec is not valid UTF-8 (at byte {at})"),
            );
            d.help = Some("save the file as UTF-8".into());
            let before = String::from_utf8_lossy(&bytes[..at]);
            d.location = Some(Location {
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                offset: at,
            });
            Err(Diagnostics {
                file: file.to_owned(),
                // Lossy decoding keeps every valid byte where it was, so `at` still points at the bad one.
                text: String::from_utf8_lossy(bytes).into_owned(),
                items: vec![d],
            })
        }
    }
}

/// Reads, checks and lowers a spec; `file` names it in diagnostics.
pub fn load(text: &str, file: &str) -> Result<Schema, Diagnostics> {
    load_project(text, file).map(|p| p.schema)
}

/// Like [`load`], with the spec's `output:` settings.
pub fn load_project(text: &str, file: &str) -> Result<Project, Diagnostics> {
    let fail = |items| Diagnostics {
        file: file.to_owned(),
        text: text.to_owned(),
        items,
    };
    let doc = parse(text).map_err(|d| fail(vec![*d]))?;
    let (spec, mut errors) = read::read(&doc);
    // The YAML tree is the largest structure here; it is not needed past reading.
    drop(doc);
    let (schema, lower_errors) = lower::lower(&spec);
    errors.extend(lower_errors);
    if errors.is_empty() {
        Ok(Project {
            schema,
            output: spec.output,
        })
    } else {
        Err(fail(errors))
    }
}

fn parse(text: &str) -> Result<Node, Box<Diagnostic>> {
    if text.len() > MAX_SPEC_BYTES {
        let mut d = Diagnostic::new(
            ErrorKind::Syntax,
            Path::root(),
            format!(
                "the spec is {} MiB; modelgen reads specs up to {} MiB",
                text.len() >> 20,
                MAX_SPEC_BYTES >> 20
            ),
        );
        d.help = Some("split the schema, or check that this is the right file".into());
        return Err(Box::new(d));
    }
    serde_yaml::from_str::<Node>(text).map_err(|e| {
        let mut d = Diagnostic::new(ErrorKind::Syntax, Path::root(), syntax_message(&e));
        d.location = e.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
            offset: l.index(),
        });
        // libyaml's words for a tab where indentation goes do not say "tab".
        let at = e.location().map_or(0, |l| l.index());
        if text.get(at..).is_some_and(|rest| rest.starts_with('\t')) {
            d.message = "a tab in the indentation: YAML indents with spaces only".into();
            d.help = Some("replace the tab with spaces (two per level, as in the rest of the file)".into());
        }
        Box::new(d)
    })
}

fn syntax_message(e: &serde_yaml::Error) -> String {
    match e.to_string().as_str() {
        "repetition limit exceeded" => "the YAML expands too far through aliases (an alias bomb?)".into(),
        t if t.starts_with("recursion limit exceeded") => "the YAML nests too deeply (over 128 levels)".into(),
        t => format!("invalid YAML: {t}"),
    }
}
