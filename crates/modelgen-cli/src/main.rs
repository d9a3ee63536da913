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
    /// Write the migration from the last migrated schema to the spec, per dialect.
    #[command(
        after_help = "Example:\n  modelgen migrate --name add_nickname\n  modelgen migrate --check   # in CI: exit 1 if the spec has unmigrated changes"
    )]
    Migrate {
        #[command(flatten)]
        spec: SpecArg,
        /// The migration's name (default: from its first operation).
        #[arg(long)]
        name: Option<String>,
        /// Override the spec's dialects.
        #[arg(long, value_enum)]
        dialect: Vec<DialectArg>,
        /// Write operations that can lose data (drops, narrowing types, NOT NULL without a default).
        #[arg(long)]
        allow_destructive: bool,
        /// Write nothing; exit 1 and list the pending operations if a migration is due.
        #[arg(long)]
        check: bool,
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
        } => build(
            from_spec(&spec.path, templates)?,
            RunOptions {
                check,
                ..Default::default()
            },
        ),
        Command::Build {
            check,
            from_rust: Some(path),
            dialect,
            ..
        } => build(
            from_rust(&path, &dialect)?,
            RunOptions {
                check,
                ..Default::default()
            },
        ),
        Command::Migrate {
            spec,
            name,
            dialect,
            allow_destructive,
            check,
        } => {
            let mut source = from_spec(&spec.path, None)?;
            // migrate writes migrations only: no Rust to render.
            source.project.output.rust = None;
            if !dialect.is_empty() {
                source.project.output.migrations.dialects = dialect.iter().map(|&d| d.into()).collect();
                source.project.output.migrations.dialects.dedup();
            }
            let migration = modelgen_emit::MigrationOptions {
                name,
                allow_destructive,
            };
            build(
                source,
                RunOptions {
                    check,
                    migrations_only: true,
                    migration,
                },
            )
        }
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
    templates: modelgen_emit::Templates,
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
    let _ = spec_name;
    Ok(Source {
        project,
        templates,
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
    Ok(Source {
        project: Project { schema, output },
        templates: modelgen_emit::Templates::default(),
        root: PathBuf::from("."),
        label: path.display().to_string(),
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

/// How a build or migrate run behaves.
#[derive(Default)]
struct RunOptions {
    check: bool,
    /// Write only the migrations and their snapshot (`modelgen migrate`).
    migrations_only: bool,
    migration: modelgen_emit::MigrationOptions,
}

/// Reads what earlier runs left next to the migrations: the snapshot and the last version.
fn history(root: &Path, output: &modelgen_ir::config::Output) -> Result<modelgen_emit::History, Failure> {
    let dir = root.join(&output.migrations.dir);
    let snapshot_path = dir.join(modelgen_emit::SNAPSHOT_FILE);
    let snapshot = match std::fs::read_to_string(&snapshot_path) {
        Ok(text) => Some(modelgen_emit::parse_snapshot(&text).map_err(|e| {
            Failure::Io(format!(
                "cannot read the schema snapshot {}: {e}",
                snapshot_path.display()
            ))
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Failure::Io(format!("cannot read {}: {e}", snapshot_path.display()))),
    };
    let mut last_version = 0;
    for dialect in modelgen_ir::Dialect::ALL {
        let Ok(entries) = std::fs::read_dir(dir.join(dialect.name())) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(version) = digits.parse::<u32>() {
                last_version = last_version.max(version);
            }
        }
    }
    Ok(modelgen_emit::History { snapshot, last_version })
}

fn build(source: Source, options: RunOptions) -> Result<(), Failure> {
    let Source {
        project,
        templates,
        root,
        label,
    } = source;
    let spec = Path::new(&label);
    let spec_name = spec
        .file_name()
        .map_or_else(|| label.clone(), |n| n.to_string_lossy().into_owned());
    let history = history(&root, &project.output)?;
    let generated = modelgen_emit::generate(
        &project.schema,
        &project.output,
        &spec_name,
        &templates,
        &history,
        &options.migration,
    )
    .map_err(|e| Failure::Invalid(format!("error: {e}\n")))?;
    let mut files = generated.files;
    if options.migrations_only {
        let dir = format!("{}/", project.output.migrations.dir);
        files.retain(|f| f.path.starts_with(&dir));
    }
    if let Some(migration) = &generated.migration {
        print_plan(migration, options.check);
    }
    let check = options.check;
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

/// The operations of a new migration, destructive ones flagged, for people.
fn print_plan(migration: &modelgen_emit::Migration, check: bool) {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal();
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let verb = if check { "pending migration" } else { "migration" };
    println!("{verb} {}:", migration.name);
    for op in &migration.plan.up {
        match modelgen_migrate::destructive(op) {
            Some(why) => println!("  {} {} — {why}", paint("31", "!"), op.describe()),
            None => println!("  {} {}", paint("32", "+"), op.describe()),
        }
    }
    for hint in &migration.plan.hints {
        println!("  {} {hint}", paint("33", "hint:"));
    }
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
