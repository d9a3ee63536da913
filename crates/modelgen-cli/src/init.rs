//! `modelgen init`: a starter `models.yaml`, written only where no file exists yet.

use std::io::Write;
use std::path::{Path, PathBuf};

pub use modelgen_spec::SCHEMA_URL;

/// The starter spec without its modeline.
const STARTER: &str = include_str!("starter.yaml");

/// The whole starter file: the modeline, then the seed's User and ApiKey.
pub fn starter() -> String {
    format!("# yaml-language-server: $schema={SCHEMA_URL}\n{STARTER}")
}

/// The file `modelgen init PATH` writes: PATH itself, or `models.yaml` inside it when it
/// is a directory.
pub fn target(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("models.yaml")
    } else {
        path.to_path_buf()
    }
}

/// Why nothing was written.
pub enum InitError {
    Exists,
    Io(String),
}

/// Writes the starter spec to `path`, creating missing parent directories. The file is
/// created exclusively, so an existing one is never touched, not even in a race.
pub fn write(path: &Path) -> Result<(), InitError> {
    let shown = path.display();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| InitError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(InitError::Exists),
        Err(e) => return Err(InitError::Io(format!("cannot create {shown}: {e}"))),
    };
    file.write_all(starter().as_bytes())
        .map_err(|e| InitError::Io(format!("cannot write {shown}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_spec_loads_and_names_its_schema_first() {
        let text = starter();
        let first = text.lines().next().unwrap();
        assert_eq!(first, format!("# yaml-language-server: $schema={SCHEMA_URL}"));
        let project =
            modelgen_spec::load_project(&text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)));
        let tables: Vec<_> = project.schema.models.iter().map(|m| m.table.as_str()).collect();
        assert_eq!(tables, ["users", "api_keys"]);
        assert_eq!(project.output.migrations.dialects, [modelgen_ir::Dialect::Sqlite]);
    }
}
