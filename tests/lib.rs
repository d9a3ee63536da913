//! Shared helpers for the end-to-end tests: the workspace root, the built `modelgen`
//! binary, and a temp-dir project to run it in.

pub mod catalog;
pub mod db;
pub mod edits;
pub mod gen;
pub mod markdown;
pub mod python;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
}

/// The `modelgen` binary, built once per test process with the cargo running the tests,
/// since a test package cannot name another package's binary.
pub fn modelgen_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // Another build's binary, to see a regression test fail on the code before a fix.
        if let Some(bin) = std::env::var_os("MODELGEN_TEST_BIN") {
            return PathBuf::from(bin);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "modelgen-cli",
                "--bin",
                "modelgen",
                "--message-format=json",
            ])
            .current_dir(workspace_root())
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "building modelgen failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("\"reason\":\"compiler-artifact\"") && l.contains("\"executable\":\""))
            .filter_map(|l| {
                l.split("\"executable\":\"")
                    .nth(1)?
                    .split('"')
                    .next()
                    .map(PathBuf::from)
            })
            .next_back()
            .expect("cargo reports the modelgen executable")
    })
}

/// What one run of the CLI did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A throwaway project directory to run `modelgen` in.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Project {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `modelgen` with extra environment variables (the test hooks of modelgen-files).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, String)]) -> Run {
        let out = Command::new(modelgen_bin())
            .args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("modelgen runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Every file under the project, relative and sorted.
    pub fn tree(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }

    /// Everything under the project: each file with its bytes, and each folder (with a
    /// trailing `/` and no bytes), so two states compare byte for byte, empty folders too.
    pub fn contents(&self) -> std::collections::BTreeMap<String, Option<Vec<u8>>> {
        let mut out = std::collections::BTreeMap::new();
        contents(self.path(), self.path(), &mut out);
        out
    }
}

fn contents(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Option<Vec<u8>>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        if path.is_dir() {
            out.insert(format!("{rel}/"), None);
            contents(root, &path, out);
        } else {
            out.insert(rel, Some(std::fs::read(&path).unwrap()));
        }
    }
}

impl Default for Project {
    fn default() -> Self {
        Project::new()
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

/// Runs clippy with `-D warnings` on a scratch crate of generated code whose `src/` is
/// written: adds the manifest (the crates generated code uses) and the workspace's lock,
/// which pins every shared dependency to the versions already built. The scratch crates
/// share one target directory, so those dependencies build once.
pub fn clippy_scratch_crate(dir: &Path) -> Result<(), String> {
    scratch_cargo(
        dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
        &[],
    )
    .map(drop)
}

/// Runs the tests of a scratch crate of generated code, as [`clippy_scratch_crate`] sets
/// it up: generated code that runs, not only compiles.
pub fn test_scratch_crate(dir: &Path) -> Result<(), String> {
    scratch_cargo(dir, &["test", "--quiet"], &[]).map(drop)
}

/// Runs the tests of a scratch crate with `env` set and their output shown; returns the
/// output.
pub fn run_scratch_tests(dir: &Path, env: &[(&str, String)]) -> Result<String, String> {
    scratch_cargo(dir, &["test", "--quiet", "--", "--nocapture", "--test-threads=1"], env)
}

fn scratch_cargo(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Result<String, String> {
    let root = workspace_root();
    let modelgen = root.join("crates/modelgen");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "generated-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
modelgen = {{ path = {modelgen:?}, features = ["sqlx-sqlite", "sqlx-postgres", "sqlx-mysql"] }}
sqlx = {{ version = "0.9", default-features = false, features = ["runtime-tokio", "sqlite", "postgres", "mysql", "chrono", "json", "uuid", "rust_decimal", "derive"] }}
tokio = {{ version = "1", features = ["rt", "macros"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["clock", "serde"] }}
uuid = {{ version = "1", features = ["serde", "v4"] }}
rust_decimal = {{ version = "1", features = ["serde"] }}

[workspace]

# Only compiled and run once: debug info would only take disk.
[profile.dev]
debug = false
"#
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target.join("generated-check"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    match out.status.success() {
        true => Ok(stdout),
        false => Err(format!("{stdout}{}", String::from_utf8_lossy(&out.stderr))),
    }
}

/// Loads a spec file the way the CLI does, rendering diagnostics without color.
pub fn load_spec(path: &Path) -> Result<modelgen_ir::Schema, String> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    modelgen_spec::load_bytes(&bytes, &name)
        .map(|p| p.schema)
        .map_err(|d| d.render(false))
}

/// Why a spec text fails the editor schema (`schema/models.schema.json`), as a YAML
/// language server would judge it; empty when it validates.
pub fn schema_errors(yaml: &str) -> Vec<String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(workspace_root().join("schema/models.schema.json"))
            .expect("schema/models.schema.json is checked in");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::draft7::new(&schema).expect("the schema is a valid draft-07 schema")
    });
    // Only ever called on YAML that parses, so a parse error cannot pass for a rejection.
    let instance: serde_json::Value = serde_yaml::from_str(yaml).expect("the spec is YAML");
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The root `models.yaml`, then every `tests/specs/ok` case in name order: the specs that
/// must be accepted, for tests that run each of them through a back end.
/// Whether `dialect` can build every column (MySQL has no `str` without a length, and a
/// `server_default_sql` may leave a database out; such spec cases list only the others).
pub fn fits(schema: &modelgen_ir::Schema, dialect: modelgen_ir::Dialect) -> bool {
    schema.models.iter().all(|m| {
        m.columns.iter().all(|c| c.unsupported_on(dialect).is_none())
            && m.indexes.iter().all(|i| i.unsupported_on(dialect).is_none())
    })
}

pub fn valid_specs() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut ok: Vec<_> = std::fs::read_dir(root.join("tests/specs/ok"))
        .expect("tests/specs/ok")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    ok.sort();
    std::iter::once(root.join("models.yaml")).chain(ok).collect()
}

/// Writes the Rust modelgen generates for `schema` under `src/<module>/` of a scratch
/// crate, as a project with serde, sqlx and the queries of every dialect it fits would get it
/// (the field types of `modelgen::types` and a queries module per dialect).
pub fn write_generated_rust(
    src: &Path,
    module: &str,
    schema: &modelgen_ir::Schema,
    spec_name: &str,
) -> Result<(), String> {
    let output = modelgen_ir::config::Output {
        rust: Some(modelgen_ir::config::RustOutput {
            dir: module.to_owned(),
            serde: true,
            sqlx: true,
            queries: true,
            templates: None,
        }),
        migrations: modelgen_ir::config::Migrations {
            dialects: modelgen_ir::Dialect::ALL
                .into_iter()
                .filter(|&d| fits(schema, d))
                .collect(),
            ..Default::default()
        },
        python: None,
    };
    let generated = modelgen_emit::generate(
        schema,
        &output,
        spec_name,
        &Default::default(),
        &Default::default(),
        &Default::default(),
    )
    .map_err(|e| e.to_string())?;
    for file in generated.files {
        let path = src.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.contents).unwrap();
    }
    Ok(())
}

/// A seeded random source (SplitMix64) for the property tests: the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5851_f42d_4c95_7f2d)
    }

    pub fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        splitmix(self.0)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.bits() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.bits() % 100 < percent
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// SplitMix64's mixing step.
pub fn splitmix(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
