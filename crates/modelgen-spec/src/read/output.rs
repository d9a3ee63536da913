//! The `output:` section: where each back end writes, as paths inside the spec's folder.

use super::*;

impl Reader {
    pub(super) fn output(&mut self, node: &Node, path: &Path, output: &mut Output) {
        let Some(e) = self.entries(node, path, OUTPUT_KEYS, "`output`") else {
            return;
        };
        if let Some(node) = e.get("rust") {
            output.rust = self.rust_output(node, &path.key("rust"));
        }
        if let Some(node) = e.get("python") {
            output.python = self.python_output(node, &path.key("python"));
        }
        let Some(node) = e.get("migrations") else { return };
        let path = path.key("migrations");
        let Some(m) = self.entries(node, &path, MIGRATIONS_KEYS, "`output.migrations`") else {
            return;
        };
        if let Some(dir) = m.get("dir").and_then(|n| self.relative_dir(n, &path.key("dir"))) {
            output.migrations.dir = dir;
        }
        if let Some(node) = m.get("dialects") {
            let dpath = path.key("dialects");
            let names = self.string_list(node, &dpath, "dialect");
            let known = Dialect::ALL.map(Dialect::name);
            output.migrations.dialects.clear();
            for (i, name) in names.iter().enumerate() {
                match Dialect::from_name(name) {
                    Some(d) if !output.migrations.dialects.contains(&d) => output.migrations.dialects.push(d),
                    Some(_) => {}
                    None => self.error(
                        Diagnostic::new(ErrorKind::BadValue, dpath.index(i), format!("unknown dialect `{name}`"))
                            .expected(format!("any of {}", known.join(", ")))
                            .help_opt(did_you_mean(name, known)),
                    ),
                }
            }
        }
        if let Some(node) = m.get("layout") {
            let lpath = path.key("layout");
            let names = Layout::ALL.map(|(n, _)| n);
            if let Some(name) = self.string(node, &lpath, "`sqlx` or `diesel`") {
                match Layout::ALL.iter().find(|(n, _)| *n == name) {
                    Some((_, layout)) => output.migrations.layout = *layout,
                    None => self.error(
                        Diagnostic::new(ErrorKind::BadValue, lpath, format!("unknown migration layout `{name}`"))
                            .expected("`sqlx` (<version>_<name>.up.sql) or `diesel` (<version>_<name>/up.sql)")
                            .help_opt(did_you_mean(&name, names)),
                    ),
                }
            }
        }
    }

    pub(super) fn rust_output(&mut self, node: &Node, path: &Path) -> Option<RustOutput> {
        let e = self.entries(node, path, RUST_KEYS, "`output.rust`")?;
        let Some(dir) = e.get("dir") else {
            self.error(
                Diagnostic::new(ErrorKind::MissingKey, path.clone(), "`output.rust` has no `dir:`")
                    .at_key()
                    .expected("`dir: src/models`, the folder for one module per model"),
            );
            return None;
        };
        let dir = self.relative_dir(dir, &path.key("dir"));
        let flag = |r: &mut Reader, key: &str| e.get(key).and_then(|n| r.bool(n, &path.key(key))).unwrap_or(false);
        let serde = flag(self, "serde");
        let sqlx = flag(self, "sqlx");
        let queries = flag(self, "queries");
        if queries && !sqlx {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("queries"),
                    "`queries: true` generates sqlx queries, which read rows into the structs through `sqlx::FromRow`",
                )
                .help("add `sqlx: true` to `output.rust`"),
            );
        }
        // Read before giving up on a bad `dir`, so both are reported in one run.
        let templates = e.get("templates").map(|n| self.relative_dir(n, &path.key("templates")));
        let templates = match templates {
            Some(t) => Some(t?),
            None => None,
        };
        Some(RustOutput {
            dir: dir?,
            serde,
            sqlx,
            queries,
            templates,
        })
    }

    pub(super) fn python_output(&mut self, node: &Node, path: &Path) -> Option<PythonOutput> {
        let e = self.entries(node, path, PYTHON_KEYS, "`output.python`")?;
        let templates = e.get("templates").map(|n| self.relative_dir(n, &path.key("templates")));
        let file = match e.get("file") {
            Some(n) => self.python_module(n, &path.key("file")),
            None => {
                self.error(
                    Diagnostic::new(ErrorKind::MissingKey, path.clone(), "`output.python` has no `file:`")
                        .at_key()
                        .expected("`file: app/models.py`, the module of SQLAlchemy models"),
                );
                None
            }
        };
        let file = file?;
        // A templates directory already reported bad leaves no output.
        if templates == Some(None) {
            return None;
        }
        Some(PythonOutput {
            file,
            templates: templates.flatten(),
        })
    }

    /// A `.py` file whose name Python can import.
    pub(super) fn python_module(&mut self, node: &Node, path: &Path) -> Option<String> {
        let file = self.relative_path(node, path, "file")?;
        let stem = file.rsplit('/').next().unwrap_or_default().strip_suffix(".py");
        if stem.is_some_and(|s| check_identifier(s).is_ok()) {
            return Some(file);
        }
        self.error(
            Diagnostic::new(
                ErrorKind::BadValue,
                path.clone(),
                format!("`{file}` is not a Python module file name"),
            )
            .expected("a path ending in `<name>.py`, the name letters, digits and `_`, such as `app/models.py`"),
        );
        None
    }

    /// An output directory: relative to the spec and never climbing out of its folder.
    pub(super) fn relative_dir(&mut self, node: &Node, path: &Path) -> Option<String> {
        self.relative_path(node, path, "directory")
    }

    /// An output path (`what` is a directory or a file): relative to the spec and never
    /// climbing out of its folder.
    pub(super) fn relative_path(&mut self, node: &Node, path: &Path, what: &str) -> Option<String> {
        let dir = self.string(node, path, &format!("a {what} relative to the spec"))?;
        let escapes = dir.is_empty()
            || dir.starts_with('/')
            || dir.starts_with('\\')
            || dir.contains(':')
            || dir.split(['/', '\\']).any(|part| part == "..");
        if dir.chars().any(char::is_control) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!("output directory {dir:?} holds a control character"),
                )
                .expected("a plain relative path, such as `migrations`"),
            );
            return None;
        }
        if escapes {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!("output {what} `{dir}` must stay inside the spec's folder"),
                )
                .expected("a relative path without `..`, such as `migrations`"),
            );
            return None;
        }
        let limit = modelgen_ir::config::MAX_FILE_NAME_BYTES;
        if let Some(long) = dir.split(['/', '\\']).find(|part| part.len() > limit) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!(
                        "the name `{}…` in output {what} `{}…` is {} bytes, longer than the {limit} a file name may have",
                        long.chars().take(20).collect::<String>(),
                        dir.chars().take(20).collect::<String>(),
                        long.len()
                    ),
                )
                .expected("shorter folder and file names"),
            );
            return None;
        }
        Some(dir.trim_end_matches('/').to_owned())
    }
}
