//! The test venv with SQLAlchemy and its drivers, made once per target folder, and running
//! Python in it: the generated SQLAlchemy modules are proven by SQLAlchemy itself.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What the venv holds: the SQLAlchemy release the generated modules are proven
/// against, and the drivers it reaches PostgreSQL and MariaDB through.
const REQUIREMENTS: &[&str] = &["SQLAlchemy==2.0.58", "psycopg2-binary==2.9.13", "PyMySQL==1.2.4"];

/// The venv's python, made on first use in `tmp` (a test's `CARGO_TARGET_TMPDIR`);
/// `None` (after a loud skip) when Python cannot be had.
pub fn python(tmp: &str) -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON.get_or_init(|| make_venv(Path::new(tmp))).as_deref()
}

fn make_venv(tmp: &Path) -> Option<PathBuf> {
    let venv = tmp.join("sqlalchemy-venv");
    let python = venv.join("bin/python");
    // Written last, so a venv left half-made by an interrupted run, or made for other
    // pins, is made again.
    let ready = venv.join("modelgen-requirements");
    let wanted = REQUIREMENTS.join("\n");
    if std::fs::read_to_string(&ready).is_ok_and(|r| r == wanted) {
        return Some(python);
    }
    let _ = std::fs::remove_dir_all(&venv);
    let venv_arg = venv.to_string_lossy();
    let mut pip = vec![
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
    ];
    pip.extend(REQUIREMENTS);
    let steps = [
        (
            "python3 -m venv (on Debian: apt-get install python3-venv)",
            Path::new("python3"),
            vec!["-m", "venv", &venv_arg],
        ),
        ("pip install from PyPI", python.as_path(), pip),
    ];
    for (what, program, args) in steps {
        let failure = match Command::new(program).args(&args).output() {
            Err(e) => format!("cannot run {}: {e}", program.display()),
            Ok(out) if !out.status.success() => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            Ok(_) => continue,
        };
        python_missing(&format!("{what} failed: {failure}"));
        return None;
    }
    std::fs::write(&ready, wanted).unwrap();
    Some(python)
}

/// As `modelgen_testdb::server_missing`: a loud skip locally, a failure under CI=true,
/// since a CI run that silently skips this proves nothing.
fn python_missing(why: &str) {
    let msg = format!("SKIPPED: the SQLAlchemy tests need Python 3 with venv and pip; {why}");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
}

/// Runs a Python script in `dir` (where the generated `models.py` is) with every
/// warning an error, so SQLAlchemy's mapping warnings fail the test too.
pub fn run_python(python: &Path, dir: &Path, script: &str, args: &[&str]) -> String {
    let script = format!("import warnings\nwarnings.simplefilter(\"error\")\n{script}");
    let out = Command::new(python)
        .arg("-c")
        .arg(&script)
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("the venv's python runs");
    assert!(
        out.status.success(),
        "python failed:\n{}\n--- script ---\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `module` as `models.py` in a new directory and runs `create_all` there on `url`.
pub fn create_all(python: &Path, module: &str, url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.py"), module).unwrap();
    run_python(
        python,
        dir.path(),
        "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import configure_mappers\nimport models\n\
         configure_mappers()\nengine = create_engine(sys.argv[1])\nmodels.Base.metadata.create_all(engine)\nengine.dispose()\n",
        &[url],
    );
    dir
}
