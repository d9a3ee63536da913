//! The migration history a new migration continues: the migration files on disk and the
//! snapshot (`modelgen-schema.json`) of the schema they reach, with a checksum of every
//! file modelgen wrote. Both are input, read by the caller and checked here before anything
//! is planned: a migration is history, never rewritten, and a hand edit, a merge that
//! brought two migrations of one number, or a lost snapshot stops the run with the way out.

use crate::snapshot::Snapshot;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The file, next to the migrations, holding the schema the latest migration reaches.
pub const SNAPSHOT_FILE: &str = "modelgen-schema.json";

/// The highest migration number: four digits keep numeric and file-name order the same,
/// which sqlx (by number) and diesel (by name) both rely on.
pub const MAX_VERSION: u32 = 9999;

/// One file under a dialect's migration folder, as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// Relative to the migrations folder, `/`-separated: `sqlite/0001_initial.up.sql`, or
    /// `sqlite/0001_initial/up.sql` in diesel's layout.
    pub path: String,
    pub contents: Vec<u8>,
}

/// What earlier runs left: the snapshot, if there is one, and every file under the
/// dialect folders of the migrations folder.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub snapshot: Option<Snapshot>,
    pub files: Vec<MigrationFile>,
}

/// A migration file's number and name: `0002` and `add_email` of `0002_add_email.up.sql`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry<'a> {
    dialect: &'a str,
    version: u32,
    /// `0002_add_email`.
    stem: &'a str,
    path: &'a str,
}

/// The migration a path belongs to, `None` for a file that is not one (a name that does
/// not start with a digit, such as `README.md` or a hidden file), or why a name that
/// starts like a migration cannot be one modelgen follows.
fn entry(path: &str) -> Result<Option<Entry<'_>>, String> {
    let Some((dialect, rest)) = path.split_once('/') else {
        return Ok(None);
    };
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(None);
    }
    let (stem, file) = match rest.split_once('/') {
        Some((dir, file)) => (dir, file),
        None => {
            let stem = rest.strip_suffix(".up.sql").or_else(|| rest.strip_suffix(".down.sql"));
            (stem.unwrap_or(rest), if stem.is_some() { "" } else { rest })
        }
    };
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let well_formed = digits == 4
        && stem.as_bytes().get(4) == Some(&b'_')
        && stem.len() > 5
        && (file.is_empty() || file == "up.sql" || file == "down.sql" || file == "metadata.toml");
    if !well_formed {
        return Err(format!(
            "{path}: not a migration name modelgen can follow; migrations are `NNNN_name.up.sql` and `NNNN_name.down.sql` (or diesel's `NNNN_name/up.sql`) with a four-digit number, and diesel's `metadata.toml`; rename or move the file"
        ));
    }
    let version = stem[..4].parse().expect("four ASCII digits");
    Ok(Some(Entry {
        dialect,
        version,
        stem,
        path,
    }))
}

/// The SHA-256 of a file's bytes, as recorded in the snapshot.
pub fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

impl History {
    /// Checks the history and returns the number the next migration takes. `dir` is the
    /// migrations folder as the spec names it, for messages. With `record`, the snapshot
    /// is about to be written afresh (`migrate --record-snapshot`), so only file names are
    /// checked.
    pub fn next_version(&self, dir: &str, record: bool) -> Result<u32, String> {
        let mut entries = Vec::new();
        let mut bad = Vec::new();
        for file in &self.files {
            match entry(&file.path) {
                Ok(Some(e)) => entries.push((e, file)),
                Ok(None) => {}
                Err(why) => bad.push(format!("  {dir}/{why}")),
            }
        }
        if !bad.is_empty() {
            return Err(format!(
                "the migrations folder holds files modelgen cannot number:\n{}",
                bad.join("\n")
            ));
        }
        let last = entries.iter().map(|(e, _)| e.version).max().unwrap_or(0);
        if !record {
            self.check_recorded(dir, &entries)?;
        }
        if last >= MAX_VERSION && !record {
            return Err(format!(
                "{dir} already has a migration numbered {last:04}; modelgen numbers migrations up to {MAX_VERSION:04} so that their names sort in order; squash the history into a new `0001_initial` (see docs/migrations.md)"
            ));
        }
        Ok(last + 1)
    }

    /// The checksum of every migration file on disk, by its path.
    pub(crate) fn checksums(&self) -> BTreeMap<String, String> {
        self.files
            .iter()
            .filter(|f| matches!(entry(&f.path), Ok(Some(_))))
            .map(|f| (f.path.clone(), checksum(&f.contents)))
            .collect()
    }

    /// The files on disk against the checksums the snapshot recorded.
    fn check_recorded(&self, dir: &str, entries: &[(Entry, &MigrationFile)]) -> Result<(), String> {
        let snapshot_path = format!("{dir}/{SNAPSHOT_FILE}");
        let Some(snapshot) = &self.snapshot else {
            if entries.is_empty() {
                return Ok(());
            }
            let mut found: Vec<&str> = entries.iter().map(|(e, _)| e.path).collect();
            found.sort();
            return Err(format!(
                "{snapshot_path} is missing, but migrations exist ({}{}); modelgen never rewrites a migration, and without the snapshot it cannot tell what they reach\n\
                 restore the snapshot from version control (`git checkout -- {snapshot_path}`); if it is lost and the migrations on disk take a database to exactly what the spec says now, `modelgen migrate --record-snapshot` records that",
                found[..found.len().min(3)].join(", "),
                if found.len() > 3 { ", …" } else { "" }
            ));
        };
        // Written before checksums were recorded: adopted as they are, recorded on this run.
        let Some(recorded) = &snapshot.checksums else {
            return Ok(());
        };
        let mut edited = Vec::new();
        let mut unrecorded = Vec::new();
        for (e, file) in entries {
            match recorded.get(e.path) {
                Some(sum) if *sum == checksum(&file.contents) => {}
                Some(_) => edited.push(format!("  {dir}/{}", e.path)),
                None => unrecorded.push(e),
            }
        }
        let on_disk: std::collections::HashSet<&str> = entries.iter().map(|(e, _)| e.path).collect();
        let missing: Vec<String> = recorded
            .keys()
            .filter(|p| !on_disk.contains(p.as_str()))
            .map(|p| format!("  {dir}/{p}"))
            .collect();
        let mut problems = Vec::new();
        if !edited.is_empty() {
            problems.push(format!(
                "migrations changed since modelgen wrote them (their checksums differ from {snapshot_path}):\n{}\n\
                 a migration is history that databases have run: put it back as it was (`git checkout -- <file>`) and make the change in the spec, which the next migration carries; if the edit is deliberate and every database has the edited version, `modelgen migrate --record-snapshot` records it",
                edited.join("\n")
            ));
        }
        if !unrecorded.is_empty() {
            problems.push(unrecorded_message(dir, &snapshot_path, &unrecorded, entries));
        }
        if !missing.is_empty() {
            problems.push(format!(
                "migrations recorded in {snapshot_path} are missing:\n{}\nrestore them from version control; a migration is never deleted",
                missing.join("\n")
            ));
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(problems.join("\n")),
        }
    }
}

/// Files modelgen did not record: most often two branches that each added a migration of
/// the same number, merged.
fn unrecorded_message(
    dir: &str,
    snapshot_path: &str,
    unrecorded: &[&Entry],
    all: &[(Entry, &MigrationFile)],
) -> String {
    let mut lines = Vec::new();
    let mut clash = false;
    for e in unrecorded {
        let mut twins: Vec<&str> = all
            .iter()
            .filter(|(o, _)| o.dialect == e.dialect && o.version == e.version && o.stem != e.stem)
            .map(|(o, _)| o.stem)
            .collect();
        twins.dedup();
        if twins.is_empty() {
            lines.push(format!("  {dir}/{}", e.path));
        } else {
            clash = true;
            lines.push(format!(
                "  {dir}/{} (number {:04} is also {})",
                e.path,
                e.version,
                twins.join(", ")
            ));
        }
    }
    lines.sort();
    lines.dedup();
    let advice = if clash {
        "two branches each added a migration with the same number, and the merge kept both: keep the migrations and the snapshot of the branch you merged into (`git checkout --ours` on a conflicted snapshot), delete the other branch's migration files, then run `modelgen migrate` to write that branch's change again as the next migration"
    } else {
        "modelgen did not write these, or wrote them in a run whose snapshot was replaced: restore the snapshot that records them, or move the files out of the folder; if every database has run them and they take it to what the spec says now, `modelgen migrate --record-snapshot` records them"
    };
    format!(
        "migrations not recorded in {snapshot_path}:\n{}\n{advice}",
        lines.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_names_are_four_digits_then_a_name() {
        let ok = [
            "sqlite/0001_initial.up.sql",
            "mysql/0042_x.down.sql",
            "postgres/9999_last/up.sql",
        ];
        for path in ok {
            assert!(matches!(entry(path), Ok(Some(_))), "{path}");
        }
        for path in ["sqlite/README.md", "sqlite/.0001_x.up.sql.modelgen-new", "notes.txt"] {
            assert_eq!(entry(path), Ok(None), "{path}");
        }
        for path in [
            "sqlite/4294967295_x.up.sql",
            "sqlite/12_x.up.sql",
            "sqlite/0001.up.sql",
            "sqlite/0001_x.sql",
            "sqlite/00001_x.up.sql",
            "sqlite/0001_x/readme.md",
        ] {
            assert!(entry(path).is_err(), "{path} was accepted");
        }
    }
}
