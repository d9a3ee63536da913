//! Where a run's inputs come from: the spec (or hand-written Rust), its templates, and
//! what earlier runs left in the migrations folder.

use super::*;

/// What a build works from: the checked schema, its outputs, and where they go.
pub(super) struct Source {
    pub(super) project: Project,
    pub(super) templates: modelgen_emit::Templates,
    /// The files the outputs were made from, recorded in the build stamp; `None` when
    /// this source is not stamped (hand-written Rust, templates given on the command line).
    pub(super) inputs: Option<Vec<stamp::Input>>,
    /// Generated paths are relative to this directory.
    pub(super) root: PathBuf,
    /// How messages name the source.
    pub(super) label: String,
    /// What each generated file's header says to do instead of editing it.
    pub(super) regenerate: String,
}

/// A spec named by its file name alone and missing here is looked for in the folders
/// above, as cargo looks for Cargo.toml: `../models.yaml` from `src/`.
pub(super) fn located(spec: &Path) -> Option<PathBuf> {
    if spec.exists() || spec.components().count() != 1 {
        return None;
    }
    let here = std::env::current_dir().ok()?;
    let mut up = PathBuf::new();
    for dir in here.ancestors().skip(1) {
        up.push("..");
        if dir.join(spec).is_file() {
            return Some(up.join(spec));
        }
    }
    None
}

/// The folder generated paths are relative to: the spec's own.
pub(super) fn spec_root(spec: &Path) -> PathBuf {
    spec.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub(super) fn from_spec(spec: &Path, templates: Option<PathBuf>) -> Result<Source, Failure> {
    let bytes = read_spec(spec)?;
    let project = parse_spec(&bytes, spec)?;
    let root = spec_root(spec);
    let stamped = templates.is_none();
    let template_dir = templates.or_else(|| {
        let dir = project.output.rust.as_ref()?.templates.as_ref()?;
        Some(root.join(dir))
    });
    let mut inputs = vec![stamp::Input::from_bytes(spec, &bytes)];
    let mut templates = match template_dir {
        Some(dir) => {
            let (overrides, read) = read_templates(&dir)?;
            inputs.extend(read);
            // A template added later must not pass for built either.
            let listed = stamp::Input::from_listing(&dir)
                .map_err(|e| Failure::Io(format!("cannot read templates in {}: {e}", dir.display())))?;
            inputs.push(listed);
            modelgen_emit::Templates::with_overrides(overrides).map_err(Failure::Invalid)?
        }
        None => modelgen_emit::Templates::default(),
    };
    let python_templates = project.output.python.as_ref().and_then(|p| p.templates.as_ref());
    if let Some(dir) = python_templates {
        let dir = root.join(dir);
        let (overrides, read) = read_templates(&dir)?;
        inputs.extend(read);
        let listed = stamp::Input::from_listing(&dir)
            .map_err(|e| Failure::Io(format!("cannot read templates in {}: {e}", dir.display())))?;
        inputs.push(listed);
        templates = templates
            .with_sqlalchemy_overrides(overrides)
            .map_err(Failure::Invalid)?;
    }
    Ok(Source {
        project,
        templates,
        inputs: stamped.then_some(inputs),
        root,
        label: spec.display().to_string(),
        regenerate: modelgen_emit::Origin::from("").regenerate.to_owned(),
    })
}

/// Hand-written structs as the schema source, read with the derive's own attribute code.
pub(super) fn from_rust(path: &Path, dialects: &[DialectArg]) -> Result<Source, Failure> {
    let mut paths = Vec::new();
    collect_rust_files(path, &mut paths)?;
    paths.sort();
    let mut sources = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).map_err(|e| Failure::Io(format!("cannot read {}: {e}", p.display())))?;
        sources.push((p.display().to_string(), text));
    }
    let schema = modelgen_attr::schema_from_sources(&sources).map_err(|errors| {
        // Rendered as the spec's errors are: the line, underlined, file by file.
        let mut report = String::new();
        for (file, text) in &sources {
            let items: Vec<modelgen_spec::Diagnostic> = errors
                .iter()
                .filter(|e| &e.file == file)
                .map(|e| {
                    let mut d = modelgen_spec::Diagnostic::new(
                        modelgen_spec::ErrorKind::Derive,
                        modelgen_spec::Path::root(),
                        e.message.clone(),
                    );
                    d.location = Some(location(text, e.line, e.column));
                    d
                })
                .collect();
            if !items.is_empty() {
                let diagnostics = modelgen_spec::Diagnostics {
                    file: file.clone(),
                    text: text.clone(),
                    items,
                };
                report.push_str(&diagnostics.render(use_color()));
            }
        }
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
        inputs: None,
        root: PathBuf::from("."),
        label: path.display().to_string(),
        regenerate: format!(
            "Change the structs and run `modelgen build --from-rust {}`.",
            path.display()
        ),
    })
}

/// Line and column (1-based, in characters) in `text`, with their byte offset.
fn location(text: &str, line: usize, column: usize) -> modelgen_spec::Location {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let within = text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    modelgen_spec::Location {
        line,
        column,
        offset: line_start + within,
    }
}

/// The Rust files `build --from-rust PATH` reads: a file and the modules it declares, as
/// rustc finds them; a folder's crate roots (`lib.rs`, `main.rs`) and theirs; in a folder
/// with neither, every `.rs` file in it.
pub(super) fn collect_rust_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let meta = std::fs::metadata(path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_file() {
        return module_tree(path, out);
    }
    let roots: Vec<PathBuf> = ["lib.rs", "main.rs"]
        .iter()
        .map(|r| path.join(r))
        .filter(|r| r.is_file())
        .collect();
    if !roots.is_empty() {
        for root in roots {
            module_tree(&root, out)?;
        }
        return Ok(());
    }
    every_rust_file(path, out)
}

/// `file` and, through each `mod x;` in it, `x.rs` or `x/mod.rs` (or its `#[path]`),
/// recursively. A file that does not parse is still read, so its error is reported.
fn module_tree(file: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    if out.iter().any(|f| f == file) {
        return Ok(());
    }
    out.push(file.to_path_buf());
    let text =
        std::fs::read_to_string(file).map_err(|e| Failure::Io(format!("cannot read {}: {e}", file.display())))?;
    let Ok(parsed) = syn::parse_file(&text) else {
        return Ok(());
    };
    let here = file.parent().unwrap_or(Path::new("."));
    // A crate root's or a mod.rs's modules are beside it; another file's, in its folder.
    let dir = match file.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "main.rs" | "mod.rs") => here.to_path_buf(),
        _ => here.join(file.file_stem().unwrap_or_default()),
    };
    for item in &parsed.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.content.is_some() {
            continue;
        }
        let declared = m
            .attrs
            .iter()
            .find(|a| a.path().is_ident("path"))
            .and_then(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s), ..
                    }) => Some(here.join(s.value())),
                    _ => None,
                },
                _ => None,
            });
        let name = m.ident.to_string();
        let name = name.trim_start_matches("r#");
        let child = declared
            .into_iter()
            .chain([dir.join(format!("{name}.rs")), dir.join(name).join("mod.rs")])
            .find(|c| c.is_file());
        if let Some(child) = child {
            module_tree(&child, out)?;
        }
    }
    Ok(())
}

fn every_rust_file(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let meta = std::fs::metadata(path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
    for entry in entries {
        let p = entry.map_err(|e| Failure::Io(e.to_string()))?.path();
        if p.is_dir() || p.extension().is_some_and(|e| e == "rs") {
            every_rust_file(&p, out)?;
        }
    }
    Ok(())
}

/// Reads what earlier runs left in the migrations folder: the snapshot, and every file
/// under each dialect's folder (checked by `modelgen_emit::History::next_version`).
pub(super) fn history(root: &Path, output: &modelgen_ir::config::Output) -> Result<modelgen_emit::History, Failure> {
    let dir = root.join(&output.migrations.dir);
    let snapshot_path = dir.join(modelgen_emit::SNAPSHOT_FILE);
    let snapshot = match std::fs::read(&snapshot_path) {
        Ok(bytes) => Some(read_snapshot(&snapshot_path, &bytes)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Failure::Io(format!("cannot read {}: {e}", snapshot_path.display()))),
    };
    let mut files = Vec::new();
    for dialect in modelgen_ir::Dialect::ALL {
        collect_migrations(&dir, dialect.name(), &mut files)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(modelgen_emit::History { snapshot, files })
}

/// The snapshot, read like a spec: a clear error naming the file and the place in it.
pub(super) fn read_snapshot(path: &Path, bytes: &[u8]) -> Result<modelgen_emit::Snapshot, Failure> {
    let shown = path.display();
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Failure::Invalid(format!("error: {shown}: not UTF-8 text ({e}); {SNAPSHOT_ADVICE}\n")))?;
    modelgen_emit::parse_snapshot(text).map_err(|e| {
        let at = match e.line {
            0 => String::new(),
            line => format!(":{line}:{}", e.column),
        };
        Failure::Invalid(format!(
            "error: {shown}{at}: the schema snapshot cannot be read: {}\n{SNAPSHOT_ADVICE}\n",
            e.message
        ))
    })
}

const SNAPSHOT_ADVICE: &str = "the snapshot is written by modelgen and never edited by hand: restore it from version control (see docs/migrations.md, \"When the history is damaged\")";

/// Every file under `<migrations>/<dialect>/`, one level of folders deep (diesel's
/// layout), with its path relative to the migrations folder.
pub(super) fn collect_migrations(
    dir: &Path,
    dialect: &str,
    out: &mut Vec<modelgen_emit::MigrationFile>,
) -> Result<(), Failure> {
    fn io(p: &Path) -> impl FnOnce(std::io::Error) -> Failure + '_ {
        move |e| Failure::Io(format!("cannot read {}: {e}", p.display()))
    }
    let base = dir.join(dialect);
    let entries = match std::fs::read_dir(&base) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(&base)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(&base))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if entry.file_type().map_err(io(&path))?.is_dir() {
            for inner in std::fs::read_dir(&path).map_err(io(&path))? {
                let inner = inner.map_err(io(&path))?;
                if inner.file_type().map_err(io(&path))?.is_file() {
                    let file = inner.path();
                    out.push(modelgen_emit::MigrationFile {
                        path: format!("{dialect}/{name}/{}", inner.file_name().to_string_lossy()),
                        contents: std::fs::read(&file).map_err(io(&file))?,
                    });
                }
            }
        } else if name.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(modelgen_emit::MigrationFile {
                path: format!("{dialect}/{name}"),
                contents: std::fs::read(&path).map_err(io(&path))?,
            });
        }
    }
    Ok(())
}

/// Template sources by file name, and the files they were read from.
pub(super) type TemplateFiles = (Vec<(String, String)>, Vec<stamp::Input>);

/// Every `*.jinja` file of a template directory, by file name, and the files read.
pub(super) fn read_templates(dir: &Path) -> Result<TemplateFiles, Failure> {
    let files = modelgen_files::read_templates(dir).map_err(|(path, e)| match path == dir {
        true => Failure::Io(format!("cannot read templates in {}: {e}", dir.display())),
        false => Failure::Io(format!("cannot read {}: {e}", path.display())),
    })?;
    let read = files
        .iter()
        .map(|f| stamp::Input::from_bytes(&f.path, f.source.as_bytes()))
        .collect();
    Ok((files.into_iter().map(|f| (f.name, f.source)).collect(), read))
}

pub(super) fn load(path: &Path) -> Result<Project, Failure> {
    parse_spec(&read_spec(path)?, path)
}

/// The spec's bytes, refused unread when the file is too big.
pub(super) fn read_spec(path: &Path) -> Result<Vec<u8>, Failure> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Failure::Io(format!(
                "cannot read {name}: there is no such file here{}; `modelgen init` writes a starter spec, or pass --spec PATH",
                if path.components().count() == 1 { " or in a folder above" } else { "" }
            )),
            _ => Failure::Io(format!("cannot read {name}: {e}")),
        })?
        .len();
    if size > modelgen_spec::MAX_SPEC_BYTES as u64 {
        return Err(Failure::Invalid(format!(
            "error[syntax]: {name} is {} MiB; modelgen reads specs up to {} MiB\n",
            size >> 20,
            modelgen_spec::MAX_SPEC_BYTES >> 20
        )));
    }
    std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))
}

pub(super) fn parse_spec(bytes: &[u8], path: &Path) -> Result<Project, Failure> {
    modelgen_spec::load_bytes(bytes, &path.display().to_string()).map_err(|d| Failure::Invalid(d.render(use_color())))
}
