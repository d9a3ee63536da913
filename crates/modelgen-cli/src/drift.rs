//! `modelgen diff --database-url`: whether a live database still has the schema the
//! migrations reach, and what differs if not.

use crate::source::{history, load, spec_root};
use crate::Failure;
use std::path::Path;

/// What a comparison found.
struct Drift {
    dialect: modelgen_ir::Dialect,
    /// Each difference, as the migration that would remove it says it.
    differences: Vec<String>,
    /// What the database has that the spec language cannot say: not compared.
    not_compared: Vec<String>,
    /// The SQL that takes the live database to the migrations' schema, when asked for.
    migration: Option<String>,
}

/// `modelgen diff --database-url`: exit 0 when the database matches, 1 with the list.
pub fn run(url: &str, spec: &Path, write_migration: Option<&Path>, say: bool) -> Result<(), Failure> {
    let drift = drift(url, spec, write_migration.is_some())?;
    if let (Some(path), Some(sql)) = (write_migration, &drift.migration) {
        std::fs::write(path, sql).map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    }
    if say && !drift.not_compared.is_empty() {
        println!("not compared, as the spec language cannot say them:");
        for line in &drift.not_compared {
            println!("  - {line}");
        }
    }
    if drift.differences.is_empty() {
        if say {
            println!(
                "the {} database matches the schema the migrations of {} reach",
                drift.dialect.name(),
                spec.display()
            );
        }
        return Ok(());
    }
    let list: Vec<String> = drift.differences.iter().map(|d| format!("  - {d}")).collect();
    let written = match (write_migration, &drift.migration) {
        (Some(path), Some(_)) => format!("the SQL that removes them is in {}\n", path.display()),
        _ => "`--write-migration FILE` writes the SQL that removes them\n".to_owned(),
    };
    Err(Failure::Invalid(format!(
        "the {} database differs from the schema the migrations of {} reach; to match, it would:\n{}\n{written}",
        drift.dialect.name(),
        spec.display(),
        list.join("\n")
    )))
}

fn drift(url: &str, spec: &Path, with_migration: bool) -> Result<Drift, Failure> {
    let project = load(spec)?;
    let history = history(&spec_root(spec), &project.output)?;
    let target = match history.snapshot {
        Some(snapshot) => snapshot.schema,
        None => {
            return Err(Failure::Invalid(format!(
                "error: {} has no migrations yet, so there is no schema they reach to compare with; run `modelgen build` first\n",
                spec.display()
            )))
        }
    };
    let pulled = modelgen_pull::pull(url).map_err(|e| match e {
        modelgen_pull::Error::Url(_) => Failure::Invalid(format!("error: {e}\n")),
        modelgen_pull::Error::Database(_) => Failure::Io(format!(
            "cannot read the database at {}: {e}",
            crate::pull::redacted(url)
        )),
    })?;
    let d = pulled.dialect;
    // Only what a database keeps is compared, on both sides.
    let live = modelgen_pull::comparable(&pulled.schema, d);
    let wanted = modelgen_pull::comparable(&target, d);
    let plan = modelgen_migrate::Plan::new(&live, &wanted);
    let differences = plan.up.iter().map(|op| op.describe()).collect();
    let migration = (with_migration && !plan.is_empty()).then(|| {
        let live = modelgen_pull::kept(&pulled.schema, d);
        let wanted = modelgen_pull::kept(&target, d);
        let sql = plan.scripts(&live, &wanted, d).0.sql;
        format!(
            "-- Written by `modelgen diff`: takes this {} database to the schema the migrations reach.\n-- Read it before running it: it was made from the database as it is, not from a migration.\n\n{}\n",
            d.name(),
            sql.trim_end()
        )
    });
    Ok(Drift {
        dialect: d,
        differences,
        not_compared: pulled.losses.iter().map(ToString::to_string).collect(),
        migration,
    })
}
