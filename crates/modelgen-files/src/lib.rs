//! Writes generated files into a folder (the tree): only files whose bytes changed, all of
//! a run or none, never over or in place of a file modelgen did not generate, never
//! outside the folder, and one run at a time.
//!
//! A run takes the tree with [`Tree::lock`] (or [`Tree::read`] to only compare), asks
//! [`Tree::plan`] what would change and applies that with [`Tree::commit`]:
//!
//! 1. `.modelgen/journal` lists every path the commit will touch, with the SHA-256 of the
//!    contents it stages there and of the file it sets aside;
//! 2. each new content is staged as `.<name>.modelgen-new` beside its target;
//! 3. each target is renamed aside to `.<name>.modelgen-old` and the staged file renamed
//!    into its place (a file to remove is only renamed aside);
//! 4. the journal is renamed to `.modelgen/journal-done`: from here the run counts as done;
//! 5. the files set aside are deleted, then the journal.
//!
//! A failure before step 4 puts every file back as it was. A run killed on the way leaves
//! its journal, and the next run, under the lock, undoes it (killed before step 4) or
//! finishes it (after) before it reads anything else — if every path it names lies inside
//! the output folders the new run was given and every file it names holds the recorded
//! bytes and modelgen's marker. A journal that fails that (planted, damaged, or another
//! spec's) is refused and nothing is touched.

mod commit;
mod plan;

pub use commit::has_leftovers;
pub use plan::{Action, Change, Plan, Prune};

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// modelgen's own folder in the tree: the lock and the journal (and the CLI's build stamp).
/// No generated path may lead into it.
pub const STATE_DIR: &str = ".modelgen";

/// The longest file or folder name an output may have: the 255 bytes file systems keep,
/// less what the writer adds to a name while staging (`.` and `.modelgen-new`).
pub const MAX_NAME: usize = modelgen_emit::MAX_FILE_NAME_BYTES;
const LOCK_FILE: &str = "lock";

/// A folder generated files are written into, locked for this run.
pub struct Tree {
    root: PathBuf,
    /// The folders and files this run may write, relative to the root: an interrupted
    /// run's journal is followed only inside them.
    outputs: Vec<String>,
    /// Whether this run holds the exclusive lock and may commit.
    writable: bool,
    /// The locked file; the lock ends when it is closed. `None` for a read-only look at a
    /// tree no run has written yet.
    _lock: Option<File>,
}

/// What an interrupted earlier run had left, which [`Tree::lock`] cleaned up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// It was killed before its commit point: this many files were put back as they were.
    Undone { files: usize },
    /// It was killed after its commit point: its leftovers were deleted.
    Finished,
}

impl Tree {
    /// Takes the tree for writing: an exclusive lock on `.modelgen/lock`, held until the
    /// `Tree` is dropped. If another run holds it, calls `waiting` once and waits. Then
    /// undoes or finishes what an interrupted run left, if its journal names only paths
    /// inside `outputs` (folders or files, relative to the root) and the files it names
    /// are the ones it wrote; otherwise it fails and touches nothing.
    pub fn lock(root: &Path, outputs: &[&str], waiting: impl FnOnce(&Path)) -> Result<(Tree, Option<Recovery>), Error> {
        let dir = root.join(STATE_DIR);
        std::fs::create_dir_all(&dir).map_err(Error::io("create", &dir))?;
        // The lock, the journal and the build stamp are this checkout's alone.
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(
                &ignore,
                "# modelgen's own files: the lock, a write in progress, the build stamp\n*\n",
            )
            .map_err(Error::io("write", &ignore))?;
        }
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(Error::io("open", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting(&path);
                file.lock().map_err(Error::io("lock", &path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path)(e)),
        }
        let tree = Tree {
            root: root.to_path_buf(),
            outputs: outputs.iter().map(|o| o.to_string()).collect(),
            writable: true,
            _lock: Some(file),
        };
        let outputs: Vec<&str> = tree.outputs.iter().map(String::as_str).collect();
        let recovery = commit::recover(&tree.root, &outputs)?;
        Ok((tree, recovery))
    }

    /// Takes the tree for comparing only, writing nothing, not even the lock file: a shared
    /// lock if the lock file exists (so a writing run is never seen half-way), none if not.
    /// Fails if an interrupted run left changes, which only a writing run may undo.
    pub fn read(root: &Path, waiting: impl FnOnce(&Path)) -> Result<Tree, Error> {
        let path = root.join(STATE_DIR).join(LOCK_FILE);
        let lock = match File::open(&path) {
            Ok(file) => {
                match file.try_lock_shared() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        waiting(&path);
                        file.lock_shared().map_err(Error::io("lock", &path))?;
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path)(e)),
                }
                Some(file)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("open", &path)(e)),
        };
        if commit::interrupted(root) {
            return Err(Error::Interrupted(root.to_path_buf()));
        }
        Ok(Tree {
            root: root.to_path_buf(),
            outputs: Vec::new(),
            writable: false,
            _lock: lock,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Compares `files` (paths relative to the root) with the tree, and finds stale files:
    /// those in a `prune` folder with its extension that no file claims. Fails, having
    /// changed nothing, if a path leaves the tree or a file to replace lacks the marker.
    pub fn plan(&self, files: &[modelgen_emit::OutputFile], prune: &[Prune]) -> Result<Plan, Error> {
        plan::plan(&self.root, files, prune)
    }

    /// Applies a plan: every change or, if any step fails, none.
    ///
    /// # Panics
    ///
    /// On a tree taken with [`Tree::read`].
    pub fn commit(&self, plan: &Plan) -> Result<(), Error> {
        assert!(self.writable, "a tree taken with Tree::read is never written");
        commit::commit(&self.root, plan)
    }
}

/// Why a plan or a commit stopped. After any of these the tree is as it was, except with
/// [`Error::Stuck`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Files modelgen would replace lack its `@generated` marker.
    Foreign(Vec<String>),
    /// A generated path is absolute, climbs out of the tree, leads into `.modelgen/` or
    /// holds a control character.
    Escape(String),
    /// Two generated files have the same path.
    Duplicate(String),
    /// A generated file's path is the folder of another generated file.
    FileAndFolder { file: String, inside: String },
    /// A read-only run found the journal of an interrupted run.
    Interrupted(PathBuf),
    /// An interrupted run's journal names a path outside the output folders, or files
    /// that are not the ones it wrote: nothing was undone.
    Journal(String),
    /// A generated path leads through a symbolic link out of the tree, or is one.
    Link { path: String, link: PathBuf, to: PathBuf },
    /// A file or folder name longer than a file system keeps, with the writer's staging
    /// suffix counted.
    NameTooLong(String),
    /// Reading or writing a file failed.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// A commit failed and putting the files back failed too; the journal stays, so the
    /// next run in this tree tries again.
    Stuck { error: Box<Error>, undo: Box<Error> },
}

impl Error {
    fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> Error + 'a {
        move |source| Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Foreign(paths) => {
                writeln!(
                    f,
                    "refusing to overwrite files modelgen did not generate (no `{}` header):",
                    modelgen_emit::GENERATED_MARKER
                )?;
                for path in paths {
                    writeln!(f, "  {path}")?;
                }
                write!(f, "move them away or change the output directory")
            }
            Error::Escape(path) => write!(
                f,
                "refusing to write `{path}`: a generated path must be relative, stay inside the output folder and outside `{STATE_DIR}/`, and hold no control characters"
            ),
            Error::Duplicate(path) => write!(
                f,
                "two generated files have the same path `{path}`; rename one of the models they are made from"
            ),
            Error::FileAndFolder { file, inside } => write!(
                f,
                "`{file}` would be both a generated file and a folder holding the generated `{inside}`; change the output paths so that neither is inside the other"
            ),
            Error::Interrupted(root) => write!(
                f,
                "an interrupted modelgen run left unfinished changes in {}; a run that writes (without `--check`) puts them back",
                shown(root)
            ),
            Error::Journal(message) => f.write_str(message),
            Error::Link { path, link, to } if to.as_os_str().is_empty() => write!(
                f,
                "refusing to write `{path}`: {} is a symbolic link, and modelgen replaces a generated file rather than writing through a link; remove the link",
                link.display()
            ),
            Error::Link { path, link, to } => write!(
                f,
                "refusing to write `{path}`: {} is a symbolic link to {}, outside the spec's folder; outputs stay inside it, so point the output at a folder there (or move the spec next to the real folder)",
                link.display(),
                to.display()
            ),
            Error::NameTooLong(path) => write!(
                f,
                "refusing to write `{path}`: a name in it is longer than the {MAX_NAME} bytes a file name may have here (255, less what modelgen adds while writing); shorten the model or output name"
            ),
            Error::Io { action, path, source } => write!(f, "cannot {action} {}: {source}", path.display()),
            Error::Stuck { error, undo } => write!(
                f,
                "{error}\nputting the files back failed too: {undo}\nthe next modelgen run in this folder tries again"
            ),
        }
    }
}

/// A folder as messages show it: `.` rather than nothing for the current one.
fn shown(path: &Path) -> String {
    match path.as_os_str().is_empty() {
        true => ".".into(),
        false => path.display().to_string(),
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A template file read from a template directory.
pub struct TemplateFile {
    pub path: PathBuf,
    /// The file name, which says which built-in template it replaces.
    pub name: String,
    pub source: String,
}

/// Every `*.jinja` file of `dir`, sorted by name, for the CLI and `modelgen-build`; an
/// error names the directory or file that could not be read.
pub fn read_templates(dir: &Path) -> Result<Vec<TemplateFile>, (PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| (dir.to_path_buf(), e))? {
        let path = entry.map_err(|e| (dir.to_path_buf(), e))?.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| n.ends_with(".jinja"))
        else {
            continue;
        };
        let name = name.to_owned();
        let source = std::fs::read_to_string(&path).map_err(|e| (path.clone(), e))?;
        out.push(TemplateFile { path, name, source });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
