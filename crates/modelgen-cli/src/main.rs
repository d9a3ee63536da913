//! The `modelgen` command: the only part of modelgen that touches the filesystem.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
mod cargo;
mod diff;
mod drift;
mod init;
mod pull;
mod source;
mod stamp;

use source::*;

use modelgen_files::{Action, Recovery};
use modelgen_ir::Schema;
use modelgen_spec::Project;
use modelgen_sql::Dialect;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Reading a spec and generating from it is mostly small allocations: glibc's malloc and
// free were a quarter of all instructions of `check` and `build` (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also list the generated files that are unchanged.
    #[arg(long, short, global = true)]
    verbose: bool,
}

/// How much `build`, `migrate`, `check` and `init` say on success. Commands whose output
/// is their product (`sql`, `inspect`, `diagram`, `schema`, `completions`) always print it.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Verbosity {
    /// Errors only.
    Quiet,
    /// What changed, and a summary.
    #[default]
    Normal,
    /// Also every unchanged file.
    Verbose,
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
    /// Write the migration from the last migrated schema to the spec, per dialect, and
    /// bring the other outputs up to date.
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
        /// Write no migration: record the spec as the schema the migrations on disk reach,
        /// and their checksums as they are. Only for a lost snapshot or a deliberate hand
        /// edit, when every database has run those migrations (docs/migrations.md).
        #[arg(long, conflicts_with_all = ["check", "allow_destructive", "name"])]
        record_snapshot: bool,
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
    /// Print the resolved schema as an entity-relationship diagram (Mermaid or Graphviz DOT).
    #[command(
        after_help = "Example:\n  modelgen diagram > schema.mmd   # paste into a ```mermaid block\n  modelgen diagram --format dot | dot -Tsvg > schema.svg"
    )]
    Diagram {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long, value_enum, default_value_t = DiagramFormat::Mermaid)]
        format: DiagramFormat,
    },
    /// Write a starter models.yaml (User and ApiKey) to begin a project with.
    #[command(
        after_help = "Example:\n  modelgen init\n  modelgen init db/models.yaml && modelgen build --spec db/models.yaml"
    )]
    Init {
        /// The file to create, or a directory to create models.yaml in. Never overwritten.
        #[arg(value_name = "PATH", default_value = "models.yaml")]
        path: PathBuf,
    },
    /// Write a spec from a live database: its tables, columns, keys, indexes, checks and
    /// comments, and a list of what the spec language cannot say.
    #[command(
        after_help = "Examples:\n  modelgen pull --database-url sqlite://app.db\n  modelgen pull --database-url postgres://app@localhost/app --output db/models.yaml\n  modelgen pull --database-url mysql://root@localhost/app"
    )]
    Pull {
        /// The database: sqlite://path/to/file.db, postgres://user@host/db, or
        /// mysql://user@host/db (MariaDB too).
        #[arg(long, value_name = "URL")]
        database_url: String,
        /// The spec to write.
        #[arg(long, value_name = "PATH", default_value = "models.yaml")]
        output: PathBuf,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Compare a live database with the schema the migrations reach: exit 0 when they
    /// match, 1 with the differences (for CI against a staging database).
    #[command(
        after_help = "Examples:\n  modelgen diff --database-url postgres://app@staging/app\n  modelgen diff --database-url sqlite://app.db --write-migration fix.sql"
    )]
    Diff {
        #[command(flatten)]
        spec: SpecArg,
        /// The database: sqlite://path/to/file.db, postgres://user@host/db, or
        /// mysql://user@host/db (MariaDB too).
        #[arg(long, value_name = "URL")]
        database_url: String,
        /// Also write the SQL that takes the live database to the migrations' schema.
        #[arg(long, value_name = "PATH")]
        write_migration: Option<PathBuf>,
    },
    /// Print the JSON Schema (draft-07) of models.yaml, for editors' YAML language servers.
    #[command(
        after_help = "Example:\n  modelgen schema > models.schema.json\n  # then, first line of models.yaml:\n  # yaml-language-server: $schema=models.schema.json"
    )]
    Schema,
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  modelgen completions bash > ~/.local/share/bash-completion/completions/modelgen\n  modelgen completions zsh > ~/.zfunc/_modelgen\n  modelgen completions fish > ~/.config/fish/completions/modelgen.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
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

#[derive(Clone, Copy, ValueEnum)]
enum DiagramFormat {
    /// A Mermaid `erDiagram`, which GitHub renders in Markdown.
    Mermaid,
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
}

/// Why a command stopped, mapped to its exit code.
enum Failure {
    Invalid(String),
    Io(String),
}

impl Command {
    /// The spec the command reads, if it reads one.
    fn spec_mut(&mut self) -> Option<&mut SpecArg> {
        match self {
            Command::Build {
                spec, from_rust: None, ..
            }
            | Command::Migrate { spec, .. }
            | Command::Check { spec }
            | Command::Sql { spec, .. }
            | Command::Inspect { spec, .. }
            | Command::Diagram { spec, .. }
            | Command::Diff { spec, .. } => Some(spec),
            _ => None,
        }
    }
}

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    if let Some(spec) = cli.command.spec_mut() {
        if let Some(found) = source::located(&spec.path) {
            if verbosity >= Verbosity::Normal {
                eprintln!("using {}", found.display());
            }
            spec.path = found;
        }
    }
    match run(cli.command, verbosity) {
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

fn run(command: Command, verbosity: Verbosity) -> Result<(), Failure> {
    let say = verbosity >= Verbosity::Normal;
    match command {
        Command::Check { spec } => {
            let project = load(&spec.path)?;
            if say {
                println!("{}: ok ({})", spec.path.display(), summary(&project.schema));
            }
            Ok(())
        }
        Command::Build {
            spec,
            check,
            templates,
            from_rust: None,
            ..
        } if templates.is_none()
            && verbosity != Verbosity::Verbose
            && stamp::fresh(&spec_root(&spec.path), &spec.path) =>
        {
            // --verbose takes the full path below, which lists every unchanged file.
            if say {
                println!(
                    "{}: up to date (nothing changed since the last build)",
                    spec.path.display()
                );
            }
            let _ = check;
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
                diff: true,
                verbosity,
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
                diff: true,
                verbosity,
                ..Default::default()
            },
        ),
        Command::Migrate {
            spec,
            name,
            dialect,
            allow_destructive,
            check,
            record_snapshot,
        } => {
            let mut source = from_spec(&spec.path, None)?;
            // migrate leaves every output consistent with the spec, as build does, so a
            // renamed field is renamed in the Rust too. With other dialects than the
            // spec's, or only recording the snapshot, it writes migrations alone: Rust
            // for other databases would not be the spec's.
            let whole = dialect.is_empty() && !record_snapshot;
            if !whole {
                source.project.output.rust = None;
                source.project.output.python = None;
            }
            if !dialect.is_empty() {
                source.project.output.migrations.dialects = dialect.iter().map(|&d| d.into()).collect();
                source.project.output.migrations.dialects.dedup();
            }
            let migration = modelgen_emit::MigrationOptions {
                name,
                allow_destructive,
                record_snapshot,
            };
            build(
                source,
                RunOptions {
                    check,
                    migrations_only: !whole,
                    migrate: true,
                    migration,
                    // `migrate --check` lists the pending operations instead.
                    diff: false,
                    verbosity,
                },
            )
        }
        Command::Sql { spec, dialect, down } => {
            let schema = load(&spec.path)?.schema;
            let sql = match down {
                false => modelgen_sql::create_script(&schema, dialect.into()),
                true => modelgen_sql::drop_script(&schema, dialect.into()),
            };
            emit(&format!("{sql}\n"))
        }
        Command::Inspect { spec, format } => {
            let schema = load(&spec.path)?.schema;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&schema)
                    .map(|s| s + "\n")
                    .map_err(|e| Failure::Io(e.to_string()))?,
                Format::Yaml => serde_yaml::to_string(&schema).map_err(|e| Failure::Io(e.to_string()))?,
            };
            emit(&text)
        }
        Command::Diagram { spec, format } => {
            let schema = load(&spec.path)?.schema;
            let text = match format {
                DiagramFormat::Mermaid => modelgen_diagram::mermaid(&schema),
                DiagramFormat::Dot => modelgen_diagram::dot(&schema),
            };
            emit(&text)
        }
        Command::Init { path } => {
            let target = init::target(&path);
            let shown = target.display();
            init::write(&target).map_err(|e| match e {
                init::InitError::Exists => Failure::Io(format!(
                    "{shown} already exists; `modelgen init` never overwrites a file (pass another path, or remove it first)"
                )),
                init::InitError::Io(message) => Failure::Io(message),
            })?;
            if say {
                let spec_flag = match target == Path::new("models.yaml") {
                    true => String::new(),
                    false => format!(" --spec {shown}"),
                };
                println!("created {shown}");
                println!("next: edit the models, then run `modelgen check{spec_flag}` and `modelgen build{spec_flag}`");
                println!("the Rust goes to src/models beside it: add `mod models;` to src/main.rs or src/lib.rs");
            }
            Ok(())
        }
        Command::Pull {
            database_url,
            output,
            force,
        } => pull::run(&database_url, &output, force, say),
        Command::Diff {
            spec,
            database_url,
            write_migration,
        } => drift::run(&database_url, &spec.path, write_migration.as_deref(), say),
        Command::Schema => emit(&modelgen_spec::json_schema()),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "modelgen", &mut script);
            emit(&String::from_utf8_lossy(&script))
        }
    }
}

/// How a build or migrate run behaves.
#[derive(Default)]
struct RunOptions {
    check: bool,
    /// With `check`: print a unified diff of every file that would change.
    diff: bool,
    /// Write only the migrations and their snapshot (`modelgen migrate` for other
    /// dialects, or recording the snapshot).
    migrations_only: bool,
    /// The run is `modelgen migrate`, which says when there is nothing to migrate.
    migrate: bool,
    migration: modelgen_emit::MigrationOptions,
    verbosity: Verbosity,
}

fn build(source: Source, options: RunOptions) -> Result<(), Failure> {
    let Source {
        project,
        templates,
        inputs,
        root,
        label,
        regenerate,
    } = source;
    let spec = Path::new(&label);
    let spec_name = spec
        .file_name()
        .map_or_else(|| label.clone(), |n| n.to_string_lossy().into_owned());
    let say = options.verbosity >= Verbosity::Normal;
    // Held from reading the migration history to writing the stamp, so two runs never
    // number a migration alike or interleave their files.
    let outputs: Vec<&str> = [Some(project.output.migrations.dir.as_str())]
        .into_iter()
        .chain([
            project.output.rust.as_ref().map(|r| r.dir.as_str()),
            project.output.python.as_ref().map(|p| p.file.as_str()),
        ])
        .flatten()
        .collect();
    let tree = open_tree(&root, &outputs, options.check, say)?;
    let history = history(&root, &project.output)?;
    let previous = stamp::Previous::read(&root);
    let generated = modelgen_emit::generate_reusing(
        &project.schema,
        &project.output,
        modelgen_emit::Origin {
            spec: spec_name.as_str(),
            regenerate: &regenerate,
        },
        &templates,
        &history,
        &options.migration,
        &previous,
    )
    .map_err(|e| Failure::Invalid(format!("error: {e}\n")))?;
    let mut files = generated.files;
    // Migrations are history and never pruned; only the Rust modules of a whole build are.
    let mut pruned = Vec::new();
    if options.migrations_only {
        let dir = format!("{}/", project.output.migrations.dir);
        files.retain(|f| f.path.starts_with(&dir));
    } else if let Some(rust) = &project.output.rust {
        pruned.push(rust.dir.as_str());
    }
    if let Some(migration) = generated.migration.as_ref().filter(|_| say) {
        print_plan(migration, options.check);
    }
    let prune: Vec<_> = pruned
        .iter()
        .map(|&dir| modelgen_files::Prune { dir, extension: "rs" })
        .collect();
    let plan = tree.plan(&files, &prune).map_err(|e| Failure::Io(e.to_string()))?;
    if say {
        // The stamp knows what the last build wrote: a difference is a hand edit, which
        // this build overwrites.
        for change in plan.changes.iter().filter(|c| c.action != Action::Create) {
            if previous.edited_since(&change.path) {
                let verb = if options.check { "would be" } else { "is" };
                eprintln!(
                    "warning: {} was edited by hand since the last build; the edit {verb} overwritten (generated files follow the spec: change the spec, or the templates, instead)",
                    shown(&root, &change.path)
                );
            }
        }
        for path in &plan.kept {
            eprintln!(
                "warning: kept {}: no model generates it any more, but it lacks the `{}` header, so modelgen leaves it alone",
                shown(&root, path),
                modelgen_emit::GENERATED_MARKER
            );
        }
    }
    if options.verbosity == Verbosity::Verbose && !generated.keys.is_empty() {
        println!(
            "model files: {} of {} taken from the last build unchanged, the rest rendered",
            generated.reused,
            generated.keys.len()
        );
    }
    if options.verbosity == Verbosity::Verbose {
        let changed: std::collections::HashSet<&str> = plan.changes.iter().map(|c| c.path.as_str()).collect();
        for file in files.iter().filter(|f| !changed.contains(f.path.as_str())) {
            println!("unchanged {}", shown(&root, &file.path));
        }
    }
    let removed = plan.changes.iter().filter(|c| c.action == Action::Remove).count();
    if options.check {
        if plan.is_empty() {
            if say {
                println!("{}: up to date ({} files)", spec.display(), files.len());
            }
            return Ok(());
        }
        if options.diff && say {
            let color = stdout_color();
            for change in &plan.changes {
                emit(&diff::unified(&root, change, color))?;
            }
        }
        let list: Vec<_> = plan
            .changes
            .iter()
            .map(|c| {
                let state = match c.action {
                    Action::Create => "missing",
                    Action::Update => "stale  ",
                    Action::Remove => "orphan ",
                };
                format!("  {state} {}", shown(&root, &c.path))
            })
            .collect();
        // A pending migration wants a name of its own; the rest, a build.
        let advice = match (&generated.migration, options.migrations_only) {
            (Some(m), _) => format!(
                "run `modelgen migrate --name <what it does>` (else it is named `{}`) and commit the result",
                m.name
            ),
            (None, true) => "run `modelgen migrate` and commit the result".to_owned(),
            (None, false) => "run `modelgen build` and commit the result".to_owned(),
        };
        return Err(Failure::Invalid(format!(
            "{}: {} of {} generated files would change:\n{}\n{advice}\n",
            spec.display(),
            plan.changes.len(),
            files.len() + removed,
            list.join("\n")
        )));
    }
    tree.commit(&plan).map_err(|e| Failure::Io(e.to_string()))?;
    // Only a whole build is recorded: `migrate` leaves the Rust files unconsidered.
    if let (Some(mut inputs), false) = (inputs, options.migrations_only) {
        // The migrations on disk are read too: an edited, added or removed one must make
        // the next build a full one, which checks them.
        let migrations = root.join(&project.output.migrations.dir);
        inputs.extend(
            history
                .files
                .iter()
                .map(|f| stamp::Input::from_bytes(&migrations.join(&f.path), &f.contents)),
        );
        let listed: Vec<String> = modelgen_ir::Dialect::ALL
            .iter()
            .map(|d| format!("{}/{}", project.output.migrations.dir, d.name()))
            .chain(pruned.iter().map(|p| p.to_string()))
            .collect();
        let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
        stamp::write(&root, &inputs, &files, &generated.keys, &listed)
            .map_err(|e| Failure::Io(format!("cannot write the build stamp: {e}")))?;
    } else {
        let written: Vec<(&str, &str)> = plan
            .changes
            .iter()
            .filter(|c| c.action != Action::Remove)
            .map(|c| (c.path.as_str(), c.contents.as_str()))
            .collect();
        stamp::note_written(&root, &written).map_err(|e| Failure::Io(format!("cannot update the build stamp: {e}")))?;
    }
    if !say {
        return Ok(());
    }
    if let Some(rust) = project.output.rust.as_ref().filter(|_| !options.migrations_only) {
        let needed = modelgen_emit::rust_dependencies(&project.schema, &project.output);
        if let Some((manifest, lines)) = cargo::lacking(&root.join(&rust.dir), &needed) {
            eprintln!(
                "warning: {} lacks what the generated Rust uses; under [dependencies], add or change:\n{}",
                manifest.display(),
                lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
            );
        }
    }
    if options.migrate && generated.migration.is_none() && !options.migration.record_snapshot {
        let unused = match &options.migration.name {
            Some(name) => format!("; no migration was written, so `--name {name}` was not used"),
            None => String::new(),
        };
        println!(
            "{}: nothing to migrate: the migrations already reach the spec's schema{unused}",
            spec.display()
        );
        if plan.changes.is_empty() {
            return Ok(());
        }
    }
    for change in &plan.changes {
        let verb = match change.action {
            Action::Create => "created",
            Action::Update => "updated",
            Action::Remove => "removed",
        };
        println!("{verb} {}", shown(&root, &change.path));
    }
    let written = plan.changes.len() - removed;
    let removed = match removed {
        0 => String::new(),
        n => format!(", {n} removed"),
    };
    println!(
        "{}: {} written{removed}, {} unchanged ({})",
        spec.display(),
        count(written, "file", "files"),
        files.len() - written,
        summary(&project.schema)
    );
    Ok(())
}

/// A generated file's path (relative to the spec's folder) as reached from here.
fn shown(root: &Path, path: &str) -> String {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        return path.to_owned();
    }
    root.join(path).display().to_string()
}

/// The output tree, locked: exclusively to write, shared (and only if a run has written
/// there before) to check. A run that finds another one at work says so and waits, as
/// cargo does, rather than failing: an editor's build on save and one from the terminal
/// should both succeed, and the second then finds its files already written.
fn open_tree(root: &Path, outputs: &[&str], check: bool, say: bool) -> Result<modelgen_files::Tree, Failure> {
    let waiting = |lock: &Path| {
        if say {
            eprintln!(
                "waiting for another modelgen run to finish writing here (lock: {})",
                lock.display()
            );
        }
    };
    let io = |e: modelgen_files::Error| Failure::Io(e.to_string());
    if check {
        return modelgen_files::Tree::read(root, waiting).map_err(io);
    }
    let (tree, recovery) = modelgen_files::Tree::lock(root, outputs, waiting).map_err(io)?;
    match recovery {
        Some(Recovery::Undone { files }) if say => {
            eprintln!("note: an earlier modelgen run here was interrupted; its changes to {files} files were undone")
        }
        Some(Recovery::Finished) if say => {
            eprintln!("note: an earlier modelgen run here was interrupted after writing; its leftovers were removed")
        }
        _ => {}
    }
    Ok(tree)
}

/// The operations of a new migration, destructive ones flagged, for people.
fn print_plan(migration: &modelgen_emit::Migration, check: bool) {
    let color = stdout_color();
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
        match (modelgen_migrate::destructive(op), modelgen_migrate::can_fail(op)) {
            (Some(why), _) => println!("  {} {} — {why}", paint("31", "!"), op.describe()),
            (None, Some(why)) => println!("  {} {} — {why}", paint("33", "?"), op.describe()),
            (None, None) => println!("  {} {}", paint("32", "+"), op.describe()),
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
    format!(
        "{}, {}",
        count(schema.models.len() - joins, "model", "models"),
        count(joins, "join table", "join tables")
    )
}

/// `1 file`, `2 files`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// Writes a command's product (a script, a schema, a diagram, a diff) to standard output.
/// A reader that stops early (`| head`) ends the output quietly instead of a panic.
fn emit(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Io(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Colours on standard output (plans, diffs) only on a terminal, never with NO_COLOR.
fn stdout_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Styled diagnostics only on a terminal, and never when NO_COLOR is set.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}
