//! What the PostgreSQL and MySQL reader tests share: loading a spec and finding what
//! modelgen wrote in the catalog read back, under the names the database keeps. Each
//! test file names the database it reads as its `DIALECT`.

use super::DIALECT;
use modelgen_ir::{Dialect, FkAction, Model, Schema};
use modelgen_pull::catalog::{Catalog, Column, Table};

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/specs/ok");

/// The ok cases' file names, sorted.
pub fn spec_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(SPECS)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    assert!(files.iter().any(|f| f == "all_types.yaml"), "{SPECS}: {files:?}");
    files
}

pub fn load(file: &str) -> Schema {
    let path = format!("{SPECS}/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    modelgen_spec::load(&text, file).unwrap_or_else(|d| panic!("{file}: {d:?}"))
}

/// Whether `stored` is how the database keeps `name`: whole up to the database's limit
/// (63 bytes on PostgreSQL, 64 characters on MySQL), beyond it shortened as
/// modelgen-sql's `name_of` does, to a prefix and an FNV-1a hash. Written out again here
/// so that the tests do not take modelgen's word for it.
pub fn stored_as(name: &str, stored: &str) -> bool {
    let (fits, limit) = match DIALECT {
        Dialect::Postgres => (name.len() <= 63, 63),
        _ => (name.chars().count() <= 64, 64),
    };
    if fits {
        return name == stored;
    }
    let mut end = limit - 9;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let hash = name
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    stored == format!("{}_{hash:08x}", &name[..end])
}

pub fn table<'a>(catalog: &'a Catalog, name: &str) -> &'a Table {
    catalog
        .tables
        .iter()
        .find(|t| stored_as(name, &t.name))
        .unwrap_or_else(|| panic!("no table {name} in {:?}", names(catalog)))
}

pub fn names(catalog: &Catalog) -> Vec<&str> {
    catalog.tables.iter().map(|t| t.name.as_str()).collect()
}

pub fn column<'a>(table: &'a Table, name: &str) -> &'a Column {
    table
        .columns
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {}.{name}", table.name))
}

pub fn model<'a>(schema: &'a Schema, table: &str) -> &'a Model {
    schema
        .model_by_table(table)
        .unwrap_or_else(|| panic!("no model for {table}"))
}

/// Every foreign key of every model read back with its columns, target, name, and actions
/// as the database reports them (`action`: `None` for those it does not).
pub fn assert_foreign_keys(schema: &Schema, catalog: &Catalog, action: fn(Option<FkAction>) -> Option<String>) {
    for model in &schema.models {
        let read = &table(catalog, &model.table).foreign_keys;
        assert_eq!(read.len(), model.foreign_keys.len(), "{}", model.table);
        for fk in &model.foreign_keys {
            let r = read
                .iter()
                .find(|r| r.columns == fk.columns)
                .unwrap_or_else(|| panic!("{}: no foreign key on {:?} in {read:?}", model.table, fk.columns));
            assert_eq!(r.target_table, fk.target_table);
            assert_eq!(r.target_columns, fk.target_columns);
            assert_eq!(r.on_delete, action(fk.on_delete), "{r:?}");
            assert_eq!(r.on_update, action(fk.on_update), "{r:?}");
            assert!(r.name.is_some());
            if let Some(name) = &fk.name {
                assert_eq!(r.name.as_ref(), Some(name));
            }
        }
    }
}

/// Every CHECK modelgen wrote for the database, read back by name, each with its condition
/// as text and not as the whole `CHECK (…)` clause.
pub fn assert_checks(file: &str, schema: &Schema, catalog: &Catalog) {
    for model in &schema.models {
        let read = &table(catalog, &model.table).checks;
        let mut written: Vec<String> = modelgen_ir::check::all_checks(model)
            .into_iter()
            .filter(|c| c.applies(DIALECT))
            .map(|c| c.name)
            .collect();
        let mut names: Vec<String> = read.iter().map(|c| c.name.clone().unwrap()).collect();
        written.sort();
        names.sort();
        assert_eq!(names, written, "{file}: {}", model.table);
        for c in read {
            assert!(!c.sql.is_empty() && !c.sql.starts_with("CHECK"), "{c:?}");
        }
    }
}
