//! Generates the Rust models of a modelgen spec from a build script, into `OUT_DIR`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), modelgen_build::Error> {
//!     modelgen_build::Config::new().spec("models.yaml").generate()
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod models {
//!     include!(concat!(env!("OUT_DIR"), "/models.rs"));
//! }
//! ```
//!
//! Only the Rust output is generated: migrations are history that belongs in version
//! control, so `modelgen migrate` keeps writing them next to the spec.
//!
//! The generated `models/mod.rs` declares its modules with `mod x;` and opens with `//!`
//! docs, and neither survives `include!` (an included file's `mod x;` is looked up beside
//! the including source file, and inner attributes are refused there). So beside it this
//! writes `models.rs`, which loads `models/mod.rs` as a real module file through an
//! absolute `#[path]` (its children then resolve inside `OUT_DIR/models/`) and re-exports
//! everything in it.

use modelgen_ir::config::RustOutput;
use std::fmt;
use std::path::{Path, PathBuf};

/// The folder under `OUT_DIR` the model modules are written to.
const MODELS_DIR: &str = "models";
/// The file under `OUT_DIR` that users `include!`.
const ENTRY_FILE: &str = "models.rs";
/// The private module `models.rs` loads `models/mod.rs` as; its items are re-exported.
const INNER_MODULE: &str = "__modelgen_models";

/// Why generating failed. `Debug` prints the same text as `Display`, so a build script
/// whose `main` returns this error with `?` shows the diagnostics as they are meant to be read.
#[non_exhaustive]
pub enum Error {
    /// The spec is invalid; the diagnostics, rendered without colour.
    Spec(String),
    /// A template override did not load or did not render Rust.
    Generate(String),
    /// Reading a file failed.
    Io { path: PathBuf, source: std::io::Error },
    /// Writing the generated files failed, or a file in the way is not modelgen's; nothing
    /// in `OUT_DIR` was changed.
    Write(modelgen_files::Error),
    /// An environment variable cargo sets for build scripts is missing; pass the value instead.
    MissingEnv(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(report) => f.write_str(report.trim_end()),
            Error::Generate(message) => write!(f, "error: {message}"),
            Error::Io { path, source } => write!(f, "error: cannot access {}: {source}", path.display()),
            Error::Write(e) => write!(f, "error: {e}"),
            Error::MissingEnv(name) => write!(
                f,
                "error: ${name} is not set; run from a build script or set it on the Config"
            ),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `main` reports its error with `Debug`: show what a person should read.
        write!(f, "\n{self}")
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Write(e) => Some(e),
            _ => None,
        }
    }
}

impl From<modelgen_files::Error> for Error {
    fn from(e: modelgen_files::Error) -> Error {
        Error::Write(e)
    }
}

/// What to generate from and where: a builder, finished by [`Config::generate`].
#[derive(Debug, Clone, Default)]
pub struct Config {
    spec: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    templates: Option<PathBuf>,
}

impl Config {
    /// The defaults: `models.yaml` beside `Cargo.toml`, written to `$OUT_DIR`.
    pub fn new() -> Config {
        Config::default()
    }

    /// The spec file, relative to `CARGO_MANIFEST_DIR` unless absolute. Default: `models.yaml`.
    pub fn spec(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.spec = Some(path.into());
        self
    }

    /// Where to write `models.rs` and `models/`. Default: `$OUT_DIR`.
    pub fn out_dir(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.out_dir = Some(path.into());
        self
    }

    /// A directory of `*.jinja` templates replacing the built-in ones by file name,
    /// relative to `CARGO_MANIFEST_DIR` unless absolute. Default: the spec's
    /// `output.rust.templates`, if any (relative to the spec), else the built-ins.
    pub fn templates(&mut self, dir: impl Into<PathBuf>) -> &mut Config {
        self.templates = Some(dir.into());
        self
    }

    /// Loads the spec, generates its Rust models and writes those whose bytes changed (all
    /// or none), removes the modules of models the spec no longer has, and tells cargo to
    /// rerun when the spec or a template changes.
    pub fn generate(&self) -> Result<(), Error> {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let resolve = |path: &Path| match &manifest_dir {
            Some(dir) => dir.join(path),
            None => path.to_path_buf(),
        };
        let spec = resolve(self.spec.as_deref().unwrap_or(Path::new("models.yaml")));
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(Error::MissingEnv("OUT_DIR"))?),
        };
        rerun_if_changed(&spec);

        let bytes = std::fs::read(&spec).map_err(|source| Error::Io {
            path: spec.clone(),
            source,
        })?;
        let mut project =
            modelgen_spec::load_bytes(&bytes, &spec.display().to_string()).map_err(|d| Error::Spec(d.render(false)))?;

        let spec_rust = project.output.rust.take();
        let template_dir = match (&self.templates, &spec_rust) {
            (Some(dir), _) => Some(resolve(dir)),
            (
                None,
                Some(RustOutput {
                    templates: Some(dir), ..
                }),
            ) => Some(spec.parent().unwrap_or(Path::new(".")).join(dir)),
            (None, _) => None,
        };
        let templates = match template_dir {
            Some(dir) => load_templates(&dir)?,
            None => modelgen_emit::Templates::default(),
        };
        project.output.rust = Some(RustOutput {
            dir: MODELS_DIR.to_owned(),
            serde: spec_rust.as_ref().is_some_and(|r| r.serde),
            sqlx: spec_rust.as_ref().is_some_and(|r| r.sqlx),
            queries: spec_rust.as_ref().is_some_and(|r| r.queries),
            templates: None,
        });

        let spec_name = spec
            .file_name()
            .map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned());
        let origin = modelgen_emit::Origin {
            spec: &spec_name,
            regenerate: "Change the spec; the crate's build script regenerates this file.",
        };
        // A build script makes the Rust models only.
        let mut files =
            modelgen_emit::rust_only(&project.schema, &project.output, origin, &templates).map_err(Error::Generate)?;
        files.push(modelgen_emit::OutputFile {
            path: ENTRY_FILE.to_owned(),
            contents: entry_file(&spec_name, &out_dir.join(MODELS_DIR).join("mod.rs")),
        });
        // The same writer as the CLI's: only changed files, all or none, stale modules of
        // deleted models removed. Cargo already runs one build script per `OUT_DIR` at a
        // time, so the lock is never waited on there.
        let (tree, _) = modelgen_files::Tree::lock(&out_dir, &[MODELS_DIR, ENTRY_FILE], |_| {})?;
        let prune = modelgen_files::Prune {
            dir: MODELS_DIR,
            extension: "rs",
        };
        let plan = tree.plan(&files, &[prune])?;
        for path in &plan.kept {
            println!(
                "cargo:warning=kept {}: no model generates it any more, but it lacks the `{}` header",
                out_dir.join(path).display(),
                modelgen_emit::GENERATED_MARKER
            );
        }
        Ok(tree.commit(&plan)?)
    }
}

/// `models.rs`: `models/mod.rs` loaded by absolute path, its items re-exported.
fn entry_file(spec_name: &str, mod_rs: &Path) -> String {
    let marker = modelgen_emit::GENERATED_MARKER;
    // `{:?}` of a `str` is a valid Rust string literal, escapes included.
    let path = mod_rs.to_string_lossy();
    format!(
        "// {marker} from {spec_name} by modelgen-build; do not edit by hand.\n\
         #[path = {path:?}]\n\
         #[rustfmt::skip]\n\
         mod {INNER_MODULE};\n\
         #[allow(unused_imports)]\n\
         pub use {INNER_MODULE}::*;\n"
    )
}

fn rerun_if_changed(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}

/// Every `*.jinja` file of `dir`, laid over the built-ins; each is watched by cargo.
fn load_templates(dir: &Path) -> Result<modelgen_emit::Templates, Error> {
    // The directory too, so a template added later triggers a rebuild.
    rerun_if_changed(dir);
    let files = modelgen_files::read_templates(dir).map_err(|(path, source)| Error::Io { path, source })?;
    for f in &files {
        rerun_if_changed(&f.path);
    }
    let overrides = files.into_iter().map(|f| (f.name, f.source)).collect();
    modelgen_emit::Templates::with_overrides(overrides).map_err(Error::Generate)
}
