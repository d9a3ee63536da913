//! `modelgen pull`: a spec written from a live database's schema.

use crate::Failure;
use std::io::Write;
use std::path::Path;

/// What a pull wrote, for the summary.
pub struct Pulled {
    pub models: usize,
    pub dialect: modelgen_ir::Dialect,
    /// What the spec could not say, one line each, located by table and column.
    pub left_out: Vec<String>,
}

/// `modelgen pull`: the spec written, and a summary of it.
pub fn run(url: &str, output: &Path, force: bool, say: bool) -> Result<(), Failure> {
    let pulled = pull(url, output, force)?;
    if say {
        let models = crate::count(pulled.models, "model", "models");
        println!("wrote {}: {models} from {}", output.display(), pulled.dialect.name());
        if !pulled.left_out.is_empty() {
            println!("left out, as the spec language cannot say them:");
            for line in &pulled.left_out {
                println!("  - {line}");
            }
        }
        let spec_flag = match output == Path::new("models.yaml") {
            true => String::new(),
            false => format!(" --spec {}", output.display()),
        };
        println!("next: read it through, then `modelgen migrate{spec_flag} --record-snapshot` to adopt the database as it is");
    }
    Ok(())
}

/// Reads the database at `url` and writes its spec to `output`: never over an existing
/// file unless `force`, and only a spec that itself checks, whole or not at all.
pub fn pull(url: &str, output: &Path, force: bool) -> Result<Pulled, Failure> {
    let shown = output.display();
    if output.exists() && !force {
        return Err(Failure::Io(format!(
            "{shown} already exists; `modelgen pull` overwrites a file only with --force (or pass --output another.yaml)"
        )));
    }
    let pulled = modelgen_pull::pull(url).map_err(|e| match e {
        modelgen_pull::Error::Url(_) => Failure::Invalid(format!("error: {e}\n")),
        modelgen_pull::Error::Database(_) => Failure::Io(format!("cannot read the database at {}: {e}", redacted(url))),
    })?;
    let header = vec![
        format!(
            "Written by `modelgen pull` from a {} database; edit it as your own spec.",
            pulled.dialect.name()
        ),
        "Relations are named from the foreign keys; what the database does not keep (docs,".to_owned(),
        "application defaults, Rust choices) is for you to add: see docs/guide.md, \"Adopting".to_owned(),
        "an existing database\".".to_owned(),
    ];
    let text = modelgen_spec::spec_text(&pulled.schema, &[pulled.dialect], &header);
    // A spec that does not check would be a bug here; better said than written.
    if let Err(d) = modelgen_spec::load(&text, &shown.to_string()) {
        return Err(Failure::Invalid(format!(
            "error: the spec pulled from the database does not check, so it was not written; this is a bug in modelgen, please report it:\n{}",
            d.render(false)
        )));
    }
    write_whole(output, &text).map_err(|e| Failure::Io(format!("cannot write {shown}: {e}")))?;
    Ok(Pulled {
        models: pulled.schema.models.len(),
        dialect: pulled.dialect,
        left_out: pulled.losses.iter().map(ToString::to_string).collect(),
    })
}

/// `text` into `path` through a side file renamed into place, so a failure leaves no
/// half-written spec.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let side = path.with_file_name(format!(".{name}.modelgen-new"));
    let written = std::fs::File::create(&side).and_then(|mut f| f.write_all(text.as_bytes()));
    written.and_then(|()| std::fs::rename(&side, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&side);
    })
}

/// The URL without its password, for messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let user = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_database_url_is_not_shown() {
        assert_eq!(redacted("postgres://app:s3cret@db/app"), "postgres://app:***@db/app");
        assert_eq!(redacted("postgres://app@db/app"), "postgres://app@db/app");
        assert_eq!(redacted("sqlite://app.db"), "sqlite://app.db");
    }
}
