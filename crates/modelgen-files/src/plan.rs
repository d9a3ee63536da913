//! What a run would change: each generated file compared with the tree, and the stale
//! files of models the spec no longer has.

use crate::{Error, STATE_DIR};
use modelgen_emit::{OutputFile, GENERATED_MARKER};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// A folder that holds only generated files of one kind (one Rust module per model): a
/// file there with this extension that no output claims is stale.
#[derive(Debug, Clone, Copy)]
pub struct Prune<'a> {
    /// Relative to the tree's root, as generated paths are.
    pub dir: &'a str,
    /// Without the dot: `rs`.
    pub extension: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    /// A stale generated file, deleted.
    Remove,
}

/// One file that will change.
#[derive(Debug, Clone)]
pub struct Change {
    /// Relative to the tree's root, as generated.
    pub path: String,
    pub action: Action,
    /// The new contents; empty for [`Action::Remove`].
    pub contents: String,
    /// What the file holds now (lossily decoded), for diffs; `None` for [`Action::Create`].
    pub previous: Option<String>,
}

/// What a commit will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In the order of the outputs, then the removals by path.
    pub changes: Vec<Change>,
    /// Stale-looking files without the marker: never removed, worth telling the user about.
    pub kept: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

pub(crate) fn plan(root: &Path, files: &[OutputFile], prune: &[Prune]) -> Result<Plan, Error> {
    let mut plan = Plan::default();
    let mut foreign = Vec::new();
    // Each output by its path in one spelling (`./gen//a.rs` is `gen/a.rs`).
    let mut claimed: HashMap<String, &str> = HashMap::new();
    for file in files {
        let path = target(root, &file.path)?;
        inside_on_disk(root, &file.path, true)?;
        // Two outputs on one path (models `UserRole` and `User_Role` both make
        // `user_role.rs`) would have the second silently replace the first.
        if claimed.insert(one_spelling(&file.path), &file.path).is_some() {
            return Err(Error::Duplicate(file.path.clone()));
        }
        debug_assert!(is_generated(file.contents.as_bytes()), "{} lacks the marker", file.path);
        let (action, previous) = match std::fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => continue,
            Ok(existing) if !is_generated(&existing) => {
                foreign.push(file.path.clone());
                continue;
            }
            Ok(existing) => (Action::Update, Some(String::from_utf8_lossy(&existing).into_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Action::Create, None),
            Err(e) => return Err(Error::io("read", &path)(e)),
        };
        plan.changes.push(Change {
            path: file.path.clone(),
            action,
            contents: file.contents.clone(),
            previous,
        });
    }
    // A file that another output's path goes through could be neither written nor read.
    for inside in files {
        let key = one_spelling(&inside.path);
        let mut folder = key.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(file) = claimed.get(parent) {
                return Err(Error::FileAndFolder {
                    file: file.to_string(),
                    inside: inside.path.clone(),
                });
            }
            folder = parent;
        }
    }
    if !foreign.is_empty() {
        return Err(Error::Foreign(foreign));
    }
    for p in prune {
        for path in stale(root, p, &claimed)? {
            let full = root.join(&path);
            let bytes = std::fs::read(&full).map_err(Error::io("read", &full))?;
            if is_generated(&bytes) {
                plan.changes.push(Change {
                    path,
                    action: Action::Remove,
                    contents: String::new(),
                    previous: Some(String::from_utf8_lossy(&bytes).into_owned()),
                });
            } else {
                plan.kept.push(path);
            }
        }
    }
    Ok(plan)
}

/// A checked relative path (see [`target`]) in one spelling: its names joined by `/`.
fn one_spelling(rel: &str) -> String {
    let names: Vec<&str> = Path::new(rel)
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    names.join("/")
}

/// Files of a prune folder that no output claims, sorted, as relative paths.
fn stale(root: &Path, prune: &Prune, claimed: &HashMap<String, &str>) -> Result<Vec<String>, Error> {
    let dir = target(root, prune.dir)?;
    inside_on_disk(root, prune.dir, false)?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", &dir)(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::io("read", &dir))?;
        // Symbolic links and folders are never modelgen's; a name that is not UTF-8 never
        // came from a spec.
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let ours = Path::new(&name).extension().is_some_and(|e| e == prune.extension);
        let path = format!("{}/{name}", prune.dir);
        if is_file && ours && !name.starts_with('.') && !claimed.contains_key(&one_spelling(&path)) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The full path of a generated path, which must be relative, made only of plain names (a
/// leading `./` is allowed), not lead into modelgen's own folder, and hold no control
/// characters (the journal keeps one path per line).
///
/// The check is on the words of the path, not on the disk: a folder inside the tree that
/// the user made a symbolic link is followed, as their own choice of layout.
pub(crate) fn target(root: &Path, rel: &str) -> Result<PathBuf, Error> {
    let path = Path::new(rel);
    let mut names = path.components().filter(|c| *c != Component::CurDir).peekable();
    let plain = names.peek().is_some()
        && !rel.chars().any(char::is_control)
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && names.next() != Some(Component::Normal(STATE_DIR.as_ref()));
    if !plain {
        return Err(Error::Escape(rel.to_owned()));
    }
    let too_long = path.components().any(|c| c.as_os_str().len() > crate::MAX_NAME);
    if too_long {
        return Err(Error::NameTooLong(rel.to_owned()));
    }
    Ok(root.join(path))
}

/// Checks a generated path on the disk: each part of it that exists and is a symbolic
/// link must lead to a place inside the root, and a `file` itself must not be one (it is
/// replaced, not written through). So no write, rename or delete ever lands outside the
/// spec's folder, whatever links the folders hold.
pub(crate) fn inside_on_disk(root: &Path, rel: &str, file: bool) -> Result<(), Error> {
    // The spec's own folder, when it is the current one, is the empty path.
    let root = match root.as_os_str().is_empty() {
        true => Path::new("."),
        false => root,
    };
    let real_root = root.canonicalize().map_err(Error::io("read", root))?;
    let parts: Vec<Component> = Path::new(rel)
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let mut at = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = |to: PathBuf| Error::Link {
                    path: rel.to_owned(),
                    link: at.clone(),
                    to,
                };
                let to = at
                    .canonicalize()
                    .map_err(|_| link(std::fs::read_link(&at).unwrap_or_default()))?;
                if !to.starts_with(&real_root) {
                    return Err(link(to));
                }
                if file && i + 1 == parts.len() {
                    return Err(link(PathBuf::new()));
                }
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io("read", &at)(e)),
        }
    }
    Ok(())
}

/// The marker sits in the first lines of every file modelgen writes.
pub(crate) fn is_generated(contents: &[u8]) -> bool {
    let head = &contents[..contents.len().min(512)];
    String::from_utf8_lossy(head)
        .lines()
        .take(3)
        .any(|l| l.contains(GENERATED_MARKER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_targets() {
        let root = Path::new("/project");
        for ok in ["models/user.rs", "./migrations/a.sql", "a", "a/b/c.sql", "x..y/a.rs"] {
            assert_eq!(target(root, ok).unwrap(), root.join(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "/etc/passwd",
            "../outside.rs",
            "models/../../outside.rs",
            "a/..",
            "db/x/../y.sql",
            ".modelgen/journal",
            "./.modelgen/lock",
            "models/a\nb.rs",
        ] {
            assert!(
                matches!(target(root, bad), Err(Error::Escape(_))),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn the_marker_counts_only_near_the_top() {
        assert!(is_generated(b"// @generated by modelgen from x.yaml\nfn f() {}\n"));
        assert!(is_generated(b"{\n  \"generated\": \"@generated by modelgen: x\"\n}\n"));
        assert!(!is_generated(b"// mine\n\n\n// @generated by modelgen\n"));
        assert!(!is_generated(b"-- my own migration\n"));
    }
}
