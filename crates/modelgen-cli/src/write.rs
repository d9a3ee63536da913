//! Writes generated files: only those whose bytes changed, each atomically (temp file +
//! rename), and never over a file modelgen did not generate.

use modelgen_emit::{OutputFile, GENERATED_MARKER};
use std::path::{Path, PathBuf};

/// A file whose contents will change.
pub struct Change {
    pub path: PathBuf,
    pub display: String,
    pub contents: String,
    /// What the file holds now (lossily decoded), for diffs; `None` for a new file.
    pub previous: Option<String>,
    pub is_new: bool,
}

/// Compares the files with what is on disk under `root`. Fails, touching nothing, if any
/// target exists without modelgen's marker.
pub fn plan(root: &Path, files: &[OutputFile]) -> Result<Vec<Change>, String> {
    let mut changes = Vec::new();
    let mut foreign = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        match std::fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
            Ok(existing) => {
                if !is_generated(&existing) {
                    foreign.push(file.path.clone());
                    continue;
                }
                changes.push(Change {
                    path,
                    display: file.path.clone(),
                    contents: file.contents.clone(),
                    previous: Some(String::from_utf8_lossy(&existing).into_owned()),
                    is_new: false,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changes.push(Change {
                    path,
                    display: file.path.clone(),
                    contents: file.contents.clone(),
                    previous: None,
                    is_new: true,
                });
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    if !foreign.is_empty() {
        return Err(format!(
            "refusing to overwrite files modelgen did not generate (no `{GENERATED_MARKER}` header):\n{}\nmove them away or change the output directory",
            foreign.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(changes)
}

/// The marker sits in the first lines of every file modelgen writes.
fn is_generated(contents: &[u8]) -> bool {
    let head = &contents[..contents.len().min(512)];
    String::from_utf8_lossy(head)
        .lines()
        .take(3)
        .any(|l| l.contains(GENERATED_MARKER))
}

pub fn apply(changes: &[Change]) -> Result<(), String> {
    for change in changes {
        let dir = change.path.parent().expect("generated paths have a parent");
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let tmp = dir.join(format!(
            ".{}.modelgen-tmp",
            change.path.file_name().and_then(|n| n.to_str()).unwrap_or("out")
        ));
        std::fs::write(&tmp, &change.contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &change.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", change.path.display())
        })?;
    }
    Ok(())
}
