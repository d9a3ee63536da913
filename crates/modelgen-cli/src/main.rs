//! The `modelgen` command: the only part of modelgen that touches the filesystem.

use clap::{Parser, Subcommand, ValueEnum};
mod write;

use modelgen_ir::Schema;
use modelgen_spec::Project;
use modelgen_sql::Dialect;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit codes: success, invalid spec (or `--check` found differences), usage or I/O error.
const EXIT_INVALID: u8 = 1;
const EXIT_IO: u8 = 2;

#[derive(Parser)]
#[command(
    name = "modelgen",
    version,
    about = "One model spec, many faithful outputs: Rust structs and SQL migrations from models.yaml"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the spec and write every configured output.
    #[command(
        after_help = "Example:\n  modelgen build --spec models.yaml\n  modelgen build --check   # in CI: exit 1 if outputs are stale"
    )]
    Build {
        #[command(flatten)]
        spec: SpecArg,
        /// Write nothing; exit 1 if any output would change.
        #[arg(long)]
        check: bool,
        /// A directory of templates replacing the built-in ones by file name
        /// (overrides the spec's `output.rust.templates`).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Take the schema from hand-written `#[derive(Model)]` structs in this file or
        /// directory (searched for `.rs` files) instead of the spec, and write their
        /// migrations under ./migrations.
        #[arg(long, value_name = "PATH", conflicts_with = "templates")]
        from_rust: Option<PathBuf>,
        /// With --from-rust: the dialects to write migrations for (default: sqlite).
        #[arg(long, value_enum, requires = "from_rust")]
        dialect: Vec<DialectArg>,
    },
    /// Validate the spec and report every error.
    #[command(after_help = "Example:\n  modelgen check --spec models.yaml")]
    Check {
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Print the full create script for one dialect.
    #[command(after_help = "Example:\n  modelgen sql --dialect postgres > schema.sql")]
    Sql {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long, value_enum)]
        dialect: DialectArg,
        /// Print the drop script instead.
        #[arg(long)]
        down: bool,
    },
    /// Print the resolved schema (mixins flattened, join tables and index names resolved).
    #[command(after_help = "Example:\n  modelgen inspect --format yaml")]
    Inspect {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(clap::Args)]
struct SpecArg {
    /// The spec file.
    #[arg(long = "spec", value_name = "PATH", default_value = "models.yaml")]
    path: PathBuf,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum DialectArg {
    Sqlite,
    Postgres,
    Mysql,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Sqlite => Dialect::Sqlite,
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Mysql => Dialect::Mysql,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Yaml,
}

/// Why a command stopped, mapped to its exit code.
enum Failure {
    Invalid(String),
    Io(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(report)) => {
            eprint!("{report}");
            ExitCode::from(EXIT_INVALID)
        }
        Err(Failure::Io(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Check { spec } => {
            let project = load(&spec.path)?;
            println!("{}: ok ({})", spec.path.display(), summary(&project.schema));
            Ok(())
        }
        Command::Build {
            spec,
            check,
            templates,
            from_rust: None,
            ..
        } => build(from_spec(&spec.path, templates)?, check),
        Command::Build {
            check,
            from_rust: Some(path),
            dialect,
            ..
        } => build(from_rust(&path, &dialect)?, check),
        Command::Sql { spec, dialect, down } => {
            let schema = load(&spec.path)?.schema;
            let sql = match down {
                false => modelgen_sql::create_script(&schema, dialect.into()),
                true => modelgen_sql::drop_script(&schema, dialect.into()),
            };
            println!("{sql}");
            Ok(())
        }
        Command::Inspect { spec, format } => {
            let schema = load(&spec.path)?.schema;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&schema)
                    .map(|s| s + "\n")
                    .map_err(|e| Failure::Io(e.to_string()))?,
                Format::Yaml => serde_yaml::to_string(&schema).map_err(|e| Failure::Io(e.to_string()))?,
            };
            print!("{text}");
            Ok(())
        }
    }
}

/// What a build works from: the checked schema, its outputs, and where they go.
struct Source {
    project: Project,
    files: Vec<modelgen_emit::OutputFile>,
    /// Generated paths are relative to this directory.
    root: PathBuf,
    /// How messages name the source.
    label: String,
}

fn from_spec(spec: &Path, templates: Option<PathBuf>) -> Result<Source, Failure> {
    let project = load(spec)?;
    let spec_name = spec
        .file_name()
        .map_or("models.yaml".into(), |n| n.to_string_lossy().into_owned());
    let root = spec.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let template_dir = templates.or_else(|| {
        let dir = project.output.rust.as_ref()?.templates.as_ref()?;
        Some(root.join(dir))
    });
    let templates = match template_dir {
        Some(dir) => modelgen_emit::Templates::with_overrides(read_templates(&dir)?).map_err(Failure::Invalid)?,
        None => modelgen_emit::Templates::default(),
    };
    let files = modelgen_emit::generate(&project.schema, &project.output, &spec_name, &templates)
        .map_err(|e| Failure::Invalid(format!("error: {e}\n")))?;
    Ok(Source {
        project,
        files,
        root,
        label: spec.display().to_string(),
    })
}

/// Hand-written structs as the schema source, read with the derive's own attribute code.
fn from_rust(path: &Path, dialects: &[DialectArg]) -> Result<Source, Failure> {
    let mut paths = Vec::new();
    collect_rust_files(path, &mut paths)?;
    paths.sort();
    let mut sources = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).map_err(|e| Failure::Io(format!("cannot read {}: {e}", p.display())))?;
        sources.push((p.display().to_string(), text));
    }
    let schema = modelgen_attr::schema_from_sources(&sources).map_err(|errors| {
        let mut report: String = errors
            .iter()
            .map(|e| format!("{}:{}:{}: error: {}\n", e.file, e.line, e.column, e.message))
            .collect();
        report.push_str(&format!(
            "error: {} has {} error{}\n",
            path.display(),
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ));
        Failure::Invalid(report)
    })?;
    let mut output = modelgen_ir::config::Output::default();
    if !dialects.is_empty() {
        output.migrations.dialects = dialects.iter().map(|&d| d.into()).collect();
        output.migrations.dialects.dedup();
    }
    let label = path.display().to_string();
    let files = modelgen_emit::generate(&schema, &output, &label, &modelgen_emit::Templates::default())
        .map_err(|e| Failure::Invalid(format!("error: {e}\n")))?;
    Ok(Source {
        project: Project { schema, output },
        files,
        root: PathBuf::from("."),
        label,
    })
}

fn collect_rust_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let meta = std::fs::metadata(path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
    for entry in entries {
        let p = entry.map_err(|e| Failure::Io(e.to_string()))?.path();
        if p.is_dir() || p.extension().is_some_and(|e| e == "rs") {
            collect_rust_files(&p, out)?;
        }
    }
    Ok(())
}

fn build(source: Source, check: bool) -> Result<(), Failure> {
    let Source {
        project,
        files,
        root,
        label,
    } = source;
    let spec = Path::new(&label);
    let changes = write::plan(&root, &files).map_err(Failure::Io)?;
    if check {
        if changes.is_empty() {
            println!("{}: up to date ({} files)", spec.display(), files.len());
            return Ok(());
        }
        let list: Vec<_> = changes
            .iter()
            .map(|c| format!("  {} {}", if c.is_new { "missing" } else { "stale  " }, c.display))
            .collect();
        return Err(Failure::Invalid(format!(
            "{}: {} of {} generated files would change:\n{}\nrun `modelgen build` and commit the result\n",
            spec.display(),
            changes.len(),
            files.len(),
            list.join("\n")
        )));
    }
    write::apply(&changes).map_err(Failure::Io)?;
    for change in &changes {
        println!(
            "{} {}",
            if change.is_new { "created" } else { "updated" },
            change.display
        );
    }
    println!(
        "{}: {} files written, {} unchanged ({})",
        spec.display(),
        changes.len(),
        files.len() - changes.len(),
        summary(&project.schema)
    );
    Ok(())
}

/// Every `*.jinja` file of a template directory, by file name.
fn read_templates(dir: &Path) -> Result<Vec<(String, String)>, Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Failure::Io(format!("cannot read templates in {}: {e}", dir.display())))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Failure::Io(e.to_string()))?.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| n.ends_with(".jinja"))
        else {
            continue;
        };
        let source =
            std::fs::read_to_string(&path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
        out.push((name.to_owned(), source));
    }
    out.sort();
    Ok(out)
}

fn summary(schema: &Schema) -> String {
    let joins = schema
        .models
        .iter()
        .filter(|m| m.kind == modelgen_ir::ModelKind::Join)
        .count();
    format!("{} models, {joins} join tables", schema.models.len() - joins)
}

fn load(path: &Path) -> Result<Project, Failure> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))?
        .len();
    if size > modelgen_spec::MAX_SPEC_BYTES as u64 {
        return Err(Failure::Invalid(format!(
            "error[syntax]: {name} is {} MiB; modelgen reads specs up to {} MiB\n",
            size >> 20,
            modelgen_spec::MAX_SPEC_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))?;
    modelgen_spec::load_bytes(&bytes, &name).map_err(|d| Failure::Invalid(d.render(use_color())))
}

/// Styled diagnostics only on a terminal, and never when NO_COLOR is set.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}
