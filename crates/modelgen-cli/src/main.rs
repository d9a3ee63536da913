//! The `modelgen` command: the only part of modelgen that touches the filesystem.

use clap::{Parser, Subcommand, ValueEnum};
use modelgen_ir::Schema;
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
    },
    /// Validate the spec and report every error.
    #[command(after_help = "Example:\n  modelgen check --spec models.yaml")]
    Check {
        #[command(flatten)]
        spec: SpecArg,
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
            let schema = load(&spec.path)?;
            println!("{}: ok ({})", spec.path.display(), summary(&schema));
            Ok(())
        }
        Command::Build { spec, check } => {
            let schema = load(&spec.path)?;
            // No back end writes files yet, so there is never anything stale to report.
            let verb = if check { "up to date" } else { "built" };
            println!("{}: {verb} ({})", spec.path.display(), summary(&schema));
            Ok(())
        }
        Command::Inspect { spec, format } => {
            let schema = load(&spec.path)?;
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

fn summary(schema: &Schema) -> String {
    let joins = schema
        .models
        .iter()
        .filter(|m| m.kind == modelgen_ir::ModelKind::Join)
        .count();
    format!("{} models, {joins} join tables", schema.models.len() - joins)
}

fn load(path: &Path) -> Result<Schema, Failure> {
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
