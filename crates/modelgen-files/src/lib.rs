//! Writes generated files into a folder (the tree): only files whose bytes changed, all of
//! a run or none, never over or in place of a file modelgen did not generate, never
//! outside the folder, and one run at a time.
//!
//! A run takes the tree with [`Tree::lock`] (or [`Tree::read`] to only compare), asks
//! [`Tree::plan`] what would change and applies that with [`Tree::commit`]:
//!
//! 1. `.modelgen/journal` lists every path the commit will touch;
//! 2. each new content is staged as `.<name>.modelgen-new` beside its target;
//! 3. each target is renamed aside to `.<name>.modelgen-old` and the staged file renamed
//!    into its place (a file to remove is only renamed aside);
//! 4. the journal is renamed to `.modelgen/journal-done`: from here the run counts as done;
//! 5. the files set aside are deleted, then the journal.
//!
//! A failure before step 4 puts every file back as it was. A run killed on the way leaves
//! its journal, and the next run, under the lock, undoes it (killed before step 4) or
//! finishes it (after) before it reads anything else.

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
const LOCK_FILE: &str = "lock";

/// A folder generated files are written into, locked for this run.
pub struct Tree {
    root: PathBuf,
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
    /// undoes or finishes what an interrupted run left.
    pub fn lock(root: &Path, waiting: impl FnOnce(&Path)) -> Result<(Tree, Option<Recovery>), Error> {
        let dir = root.join(STATE_DIR);
        std::fs::create_dir_all(&dir).map_err(Error::io("create", &dir))?;
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
            writable: true,
            _lock: Some(file),
        };
        let recovery = commit::recover(&tree.root)?;
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
    /// A read-only run found the journal of an interrupted run.
    Interrupted(PathBuf),
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
            Error::Interrupted(root) => write!(
                f,
                "an interrupted modelgen run left unfinished changes in {}; a run that writes (without `--check`) puts them back",
                root.display()
            ),
            Error::Io { action, path, source } => write!(f, "cannot {action} {}: {source}", path.display()),
            Error::Stuck { error, undo } => write!(
                f,
                "{error}\nputting the files back failed too: {undo}\nthe next modelgen run in this folder tries again"
            ),
        }
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
