//! The `modelgen` binary run as a subprocess in a temp dir: exit codes, output, and the
//! file tree it leaves.

use modelgen_tests::{modelgen_bin, workspace_root, Project, Run};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The root spec without its `output:` section, so builds use the defaults (SQLite only).
fn reference_spec() -> String {
    let text = std::fs::read_to_string(workspace_root().join("models.yaml")).unwrap();
    let start = text.find("\noutput:").expect("models.yaml has an output section") + 1;
    let end = start + text[start..].find("\nmodels:").unwrap() + 1;
    format!("{}{}", &text[..start], &text[end..])
}

const BROKEN: &str = "models:\n  User:\n    fields:\n      id: int pk\n      email: strng(255)\n";

#[test]
fn check_accepts_the_reference_spec() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "models.yaml: ok (3 models, 1 join table)\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_reports_every_error_with_location_and_exits_1() {
    let p = Project::new();
    p.write(
        "spec/models.yaml",
        BROKEN.replace("id: int pk", "id: int pk\n      age: integr"),
    );
    let run = p.run(&["check", "--spec", "spec/models.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("check_errors", run.stderr);
}

#[test]
fn diagnostics_are_plain_when_not_a_terminal_and_never_colored_with_no_color() {
    let p = Project::new();
    p.write("models.yaml", BROKEN);
    let run = p.run(&["check"]);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "escape codes in piped output: {:?}",
        run.stderr
    );
    let out = std::process::Command::new(modelgen_tests::modelgen_bin())
        .arg("check")
        .current_dir(p.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[test]
fn missing_spec_is_an_io_error_exit_2() {
    let p = Project::new();
    let run = p.run(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: cannot read models.yaml: there is no such file here or in a folder above; `modelgen init` writes a starter spec, or pass --spec PATH\n"
    );
}

#[test]
fn a_command_run_in_a_subfolder_uses_the_spec_above_and_says_so() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    std::fs::create_dir_all(p.path().join("src/deep")).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(modelgen_bin())
            .args(args)
            .current_dir(p.path().join("src/deep"))
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&["check"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "using ../../models.yaml\n");
    assert!(stdout.starts_with("../../models.yaml: ok"), "{stdout}");
    let (code, stdout, stderr) = run(&["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    // The outputs are where the spec says, beside it, not in the folder run from, and
    // each path said is one to reach it from there.
    assert!(p.path().join("migrations/modelgen-schema.json").exists());
    assert!(!p.path().join("src/deep/migrations").exists());
    let said: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix("created ")).collect();
    assert!(said.contains(&"../../migrations/modelgen-schema.json"), "{stdout}");
    for path in said {
        assert!(p.path().join("src/deep").join(path).is_file(), "{path}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let p = Project::new();
    assert_eq!(p.run(&["frobnicate"]).code, 2);
    assert_eq!(p.run(&["inspect", "--format", "toml"]).code, 2);
}

#[test]
fn help_shows_an_example_per_command() {
    let p = Project::new();
    for cmd in ["build", "check", "inspect"] {
        let run = p.run(&[cmd, "--help"]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("Example:\n  modelgen "),
            "{cmd} --help lacks an example:\n{}",
            run.stdout
        );
    }
}

#[test]
fn inspect_prints_the_resolved_ir_as_json_and_yaml() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let json = p.run(&["inspect"]);
    assert_eq!(json.code, 0, "{json:?}");
    let from_json: modelgen_ir::Schema = serde_json_from(&json.stdout);
    let yaml = p.run(&["inspect", "--format", "yaml"]);
    let from_yaml: modelgen_ir::Schema = serde_yaml::from_str(&yaml.stdout).unwrap();
    assert_eq!(from_json, from_yaml);
    let tables: Vec<_> = from_json.models.iter().map(|m| m.table.as_str()).collect();
    assert_eq!(tables, ["users", "api_keys", "roles", "user_roles"]);
}

fn serde_json_from(text: &str) -> modelgen_ir::Schema {
    serde_json::from_str(text).unwrap()
}

#[test]
fn build_writes_the_initial_sqlite_migration_and_rewrites_nothing_when_unchanged() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        p.tree(),
        [
            ".modelgen/.gitignore",
            ".modelgen/build-stamp",
            ".modelgen/lock",
            "migrations/modelgen-schema.json",
            "migrations/sqlite/0001_initial.down.sql",
            "migrations/sqlite/0001_initial.up.sql",
            "models.yaml"
        ]
    );
    let up = p.path().join("migrations/sqlite/0001_initial.up.sql");
    assert!(std::fs::read_to_string(&up)
        .unwrap()
        .starts_with("-- no-transaction\n-- @generated by modelgen from models.yaml for sqlite; do not edit by hand."));
    let before = std::fs::metadata(&up).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = p.run(&["build"]);
    assert_eq!(again.code, 0);
    assert!(
        again
            .stdout
            .contains("up to date (nothing changed since the last build)"),
        "{}",
        again.stdout
    );
    assert_eq!(
        std::fs::metadata(&up).unwrap().modified().unwrap(),
        before,
        "an unchanged file was rewritten"
    );
    assert_eq!(p.run(&["build", "--check"]).code, 0);
}

#[test]
fn build_check_reports_stale_and_missing_files_and_writes_nothing() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    let first = p.run(&["build", "--check"]);
    assert_eq!(first.code, 1, "{first:?}");
    assert!(
        first.stderr.contains("missing migrations/sqlite/0001_initial.up.sql"),
        "{}",
        first.stderr
    );
    assert_eq!(p.tree(), ["models.yaml"]);
    p.run(&["build"]);
    p.write(
        "models.yaml",
        reference_spec().replace("name: str(100)", "name: str(120)"),
    );
    let stale = p.run(&["build", "--check"]);
    assert_eq!(stale.code, 1);
    assert!(
        stale.stderr.contains("stale   migrations/modelgen-schema.json"),
        "{}",
        stale.stderr
    );
    assert!(
        stale
            .stderr
            .contains("missing migrations/sqlite/0002_alter_column_api_keys_name"),
        "{}",
        stale.stderr
    );
    let first = std::fs::read_to_string(p.path().join("migrations/sqlite/0001_initial.up.sql")).unwrap();
    assert!(
        first.contains("VARCHAR(100)"),
        "an applied migration must never be rewritten"
    );
}

#[test]
fn build_never_overwrites_a_file_it_did_not_generate() {
    let p = Project::new();
    p.write(
        "models.yaml",
        format!("output:\n  rust: {{dir: src/models}}\n{}", reference_spec()),
    );
    p.write("src/models/user.rs", "// my own module\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("refusing to overwrite files modelgen did not generate"),
        "{}",
        run.stderr
    );
    // The lock is taken before anything is compared; it is all the run leaves.
    assert_eq!(
        p.tree(),
        [
            ".modelgen/.gitignore",
            ".modelgen/lock",
            "models.yaml",
            "src/models/user.rs"
        ],
        "nothing else may be written"
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("src/models/user.rs")).unwrap(),
        "// my own module\n"
    );
}

#[test]
fn build_writes_each_configured_dialect_in_the_chosen_layout() {
    let p = Project::new();
    let spec = reference_spec().replacen(
        "models:",
        "output:\n  migrations: {dir: db/migrations, dialects: [postgres, mysql], layout: diesel}\nmodels:",
        1,
    );
    p.write("models.yaml", spec);
    assert_eq!(p.run(&["build"]).code, 0);
    assert_eq!(
        p.tree(),
        [
            ".modelgen/.gitignore",
            ".modelgen/build-stamp",
            ".modelgen/lock",
            "db/migrations/modelgen-schema.json",
            "db/migrations/mysql/0001_initial/down.sql",
            "db/migrations/mysql/0001_initial/up.sql",
            "db/migrations/postgres/0001_initial/down.sql",
            "db/migrations/postgres/0001_initial/up.sql",
            "models.yaml"
        ]
    );
}

#[test]
fn build_refuses_an_invalid_spec_and_writes_nothing() {
    let p = Project::new();
    p.write("models.yaml", BROKEN);
    let run = p.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[unknown-type]: unknown type `strng`"),
        "{}",
        run.stderr
    );
    assert_eq!(p.tree(), ["models.yaml"]);
}

/// The address space a hostile input may make the CLI use: generous, but a run that
/// tried to hold an alias bomb's expansion or a copy per nesting level would not fit.
const ADDRESS_SPACE: u64 = 1 << 30;
/// A hang detector, not a speed goal: every hostile input is refused in well under a second.
const HANG: Duration = Duration::from_secs(60);

/// Runs `modelgen` on hostile input with its address space capped at [`ADDRESS_SPACE`]
/// (`setrlimit` before exec) and killed after [`HANG`]; returns the run and the child's
/// peak resident memory in MiB (from `wait4`).
fn run_bounded(p: &Project, args: &[&str]) -> (Run, u64) {
    let mut cmd = Command::new(modelgen_bin());
    cmd.args(args)
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: the closure runs between fork and exec and only calls setrlimit, which is
    // async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            match libc::setrlimit(libc::RLIMIT_AS, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    // Reaped by the wait4 below, which reads the child's peak memory as it does.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("modelgen runs");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            pipe.read_to_end(&mut text).unwrap();
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: plain out-parameters for wait4; rusage is valid when zeroed.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break (status, usage);
        }
        assert_eq!(reaped, 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if started.elapsed() > HANG {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("modelgen {args:?} ran past {HANG:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    let run = Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    // ru_maxrss is in KiB on Linux.
    (run, usage.ru_maxrss as u64 >> 10)
}

#[test]
fn hostile_inputs_end_in_a_clear_error_in_bounded_memory_and_time() {
    let p = Project::new();
    p.write("garbage.yaml", (0..=255u8).cycle().take(4096).collect::<Vec<_>>());
    // Valid YAML but for one byte that is no UTF-8 (Latin-1 `é`), in a table name on line 3.
    p.write(
        "latin1.yaml",
        b"models:\n  User:\n    table: caf\xe9\n    fields: {id: int pk}\n",
    );
    p.write("deep.yaml", format!("models: {}", "[".repeat(10_000)));
    p.write(
        "deep_type.yaml",
        format!(
            "models:\n  M:\n    fields:\n      id: int pk\n      x: {}str{}\n",
            "list[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let mut many = String::from("models:\n  M:\n    fields:\n      id: int pk\n");
    for i in 0..20_000 {
        many.push_str(&format!("      f{i}: intt\n"));
    }
    p.write("many_errors.yaml", many);
    p.write(
        "bomb.yaml",
        std::fs::read(workspace_root().join("tests/specs/err/alias_bomb.yaml")).unwrap(),
    );
    for (file, expect) in [
        ("garbage.yaml", "not valid UTF-8"),
        ("latin1.yaml", "latin1.yaml:3:15"),
        ("deep.yaml", "nests too deeply"),
        (
            "deep_type.yaml",
            "`list` and `map` nest 100000 levels deep; modelgen allows 32",
        ),
        ("bomb.yaml", "expands too far through aliases"),
        ("many_errors.yaml", "has 20000 errors; the first 50 found are shown"),
    ] {
        let (run, peak) = run_bounded(&p, &["check", "--spec", file]);
        println!("{file}: exit {}, peak RSS {peak} MiB", run.code);
        assert_eq!(run.code, 1, "{file}: {run:?}");
        assert!(run.stderr.contains(expect), "{file}: {}", run.stderr);
    }
    let (run, _) = run_bounded(&p, &["check", "--spec", "latin1.yaml"]);
    assert!(
        run.stderr.contains("the spec is not valid UTF-8 (at byte 30)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_huge_spec_is_refused_before_it_is_read() {
    let p = Project::new();
    // Below the limit, read and refused as YAML; above it, refused from its size alone.
    for (file, size, expect) in [
        ("big.yaml", 50 << 20, "invalid YAML"),
        ("huge.yaml", 100 << 20, "modelgen reads specs up to 64 MiB"),
    ] {
        std::fs::File::create(p.path().join(file))
            .unwrap()
            .set_len(size)
            .unwrap();
        let (run, peak) = run_bounded(&p, &["check", "--spec", file]);
        println!("{file}: exit {}, peak RSS {peak} MiB", run.code);
        assert_eq!(run.code, 1, "{file}: {run:?}");
        assert!(run.stderr.contains(expect), "{file}: {}", run.stderr);
    }
}

/// The SQL of a migration file without its header comment.
fn sql_body(text: &str) -> String {
    text.lines()
        .skip_while(|l| l.starts_with("--") || l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn build_from_rust_structs_writes_the_same_migrations_as_the_spec() {
    let p = Project::new();
    let models = workspace_root().join("examples/reference/src/models");
    for entry in std::fs::read_dir(&models).unwrap() {
        let path = entry.unwrap().path();
        p.write(
            &format!("src/models/{}", path.file_name().unwrap().to_str().unwrap()),
            std::fs::read(&path).unwrap(),
        );
    }
    let run = p.run(&[
        "build",
        "--from-rust",
        "src/models",
        "--dialect",
        "sqlite",
        "--dialect",
        "postgres",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    for dialect in ["sqlite", "postgres"] {
        let ours = std::fs::read_to_string(p.path().join(format!("migrations/{dialect}/0001_initial.up.sql"))).unwrap();
        let reference = workspace_root().join(format!("examples/reference/migrations/{dialect}/0001_initial.up.sql"));
        assert_eq!(
            sql_body(&ours),
            sql_body(&std::fs::read_to_string(reference).unwrap()),
            "{dialect}"
        );
    }
    assert!(!p.path().join("migrations/mysql").exists());
}

#[test]
fn build_from_rust_writes_a_structs_checks_into_every_databases_migration() {
    let p = Project::new();
    p.write(
        "models.rs",
        r#"#[derive(modelgen::Model)]
#[model(table = "orders")]
#[model(check(name = "orders_total_nonneg", expr = "total >= 0 and paid in (true)"))]
#[model(check(name = "orders_code_upper", sql(sqlite = "code = upper(code)", postgres = "code = upper(code)", mysql = "code = BINARY upper(code)")))]
pub struct Order {
    #[model(primary_key)]
    pub id: i32,
    pub total: i64,
    pub paid: bool,
    #[model(max_length = 8)]
    pub code: String,
}
"#,
    );
    let dialects = ["--dialect", "sqlite", "--dialect", "postgres", "--dialect", "mysql"];
    let run = p.run(&[&["build", "--from-rust", "models.rs"][..], &dialects].concat());
    assert_eq!(run.code, 0, "{run:?}");
    for (dialect, tree, raw) in [
        (
            "sqlite",
            r#"CONSTRAINT "orders_total_nonneg" CHECK ("total" >= 0 AND "paid" IN (1))"#,
            r#"CONSTRAINT "orders_code_upper" CHECK (code = upper(code))"#,
        ),
        (
            "postgres",
            r#"CONSTRAINT "orders_total_nonneg" CHECK ("total" >= 0 AND "paid" IN (true))"#,
            r#"CONSTRAINT "orders_code_upper" CHECK (code = upper(code))"#,
        ),
        (
            "mysql",
            "CONSTRAINT `orders_total_nonneg` CHECK (`total` >= 0 AND `paid` IN (true))",
            "CONSTRAINT `orders_code_upper` CHECK (code = BINARY upper(code))",
        ),
    ] {
        let up = std::fs::read_to_string(p.path().join(format!("migrations/{dialect}/0001_initial.up.sql"))).unwrap();
        assert!(up.contains(tree) && up.contains(raw), "{dialect}:\n{up}");
    }

    // The next build migrates from the recorded schema: the changed check is replaced and
    // the dropped one goes, as for a spec's checks.
    let source = std::fs::read_to_string(p.path().join("models.rs")).unwrap();
    let edited: String = source
        .replace("total >= 0 and paid in (true)", "total > 0")
        .lines()
        .filter(|l| !l.contains("orders_code_upper"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.write("models.rs", edited);
    let run = p.run(&[&["build", "--from-rust", "models.rs"][..], &dialects].concat());
    assert_eq!(run.code, 0, "{run:?}");
    let second = |dialect: &str| {
        let name = p
            .tree()
            .into_iter()
            .find(|f| f.starts_with(&format!("migrations/{dialect}/0002_")) && f.ends_with(".up.sql"))
            .unwrap_or_else(|| panic!("no second {dialect} migration in {:?}", p.tree()));
        std::fs::read_to_string(p.path().join(name)).unwrap()
    };
    let postgres = second("postgres");
    for line in [
        r#"ALTER TABLE "orders" DROP CONSTRAINT "orders_code_upper";"#,
        r#"ALTER TABLE "orders" ADD CONSTRAINT "orders_total_nonneg" CHECK ("total" > 0);"#,
    ] {
        assert!(postgres.contains(line), "{line}\n{postgres}");
    }
    let mysql = second("mysql");
    assert!(
        mysql.contains("CHECK (`total` > 0)") && mysql.contains("orders_code_upper"),
        "{mysql}"
    );
    // SQLite alters no constraint: it rebuilds the table with the new one.
    let sqlite = second("sqlite");
    assert!(
        sqlite.contains(r#"CONSTRAINT "orders_total_nonneg" CHECK ("total" > 0)"#),
        "{sqlite}"
    );
    assert!(!sqlite.contains("orders_code_upper"), "{sqlite}");

    // A mistake in an expression is reported at the string that holds it.
    p.write("models.rs", "#[derive(modelgen::Model)]\n#[model(check(name = \"positive\", expr = \"totl >= 0\"))]\npub struct Order {\n    #[model(primary_key)]\n    pub id: i32,\n    pub total: i64,\n}\n");
    let run = p.run(&["build", "--from-rust", "models.rs"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("error[derive]: "), "{}", run.stderr);
    assert!(run.stderr.contains(" --> models.rs:2:41\n"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `total`?"), "{}", run.stderr);
}

#[test]
fn build_from_rust_reports_attribute_errors_with_their_location() {
    let p = Project::new();
    p.write(
        "models.rs",
        "#[derive(modelgen::Model)]\n#[model(tabel = \"users\")]\npub struct User {\n    #[model(primary_key)]\n    pub id: i32,\n}\n",
    );
    let run = p.run(&["build", "--from-rust", "models.rs"]);
    assert_eq!(run.code, 1, "{run:?}");
    // Rendered as the spec's errors are: the line, with the attribute underlined.
    assert_eq!(
        run.stderr,
        "error[derive]: unknown model attribute `tabel`; did you mean `table`?\n --> models.rs:2:9\n  |\n2 | #[model(tabel = \"users\")]\n  |         ^^^^^^^^^^^^^^^^\n\nerror: models.rs has 1 error\n"
    );
    assert_eq!(p.tree(), ["models.rs"]);
}

#[test]
fn build_writes_the_sqlalchemy_module_from_the_spec_templates_and_never_over_a_hand_written_one() {
    let p = Project::new();
    p.write(
        "models.yaml",
        "output:\n  python: {file: app/models.py, templates: py}\nmodels:\n  Note:\n    fields:\n      id: int pk\n",
    );
    p.write(
        "py/models.py.jinja",
        "{% for m in module.models %}{{ m.class_name }}\n{% endfor %}",
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let module = std::fs::read_to_string(p.path().join("app/models.py")).unwrap();
    assert!(module.starts_with("# @generated by modelgen"), "{module}");
    assert!(module.ends_with("\nNote\n"), "{module}");

    // A changed template is an input of the build: the module follows it.
    p.write(
        "py/models.py.jinja",
        "{% for m in module.models %}{{ m.table }}\n{% endfor %}",
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{run:?}");
    let module = std::fs::read_to_string(p.path().join("app/models.py")).unwrap();
    assert!(module.ends_with("\n\"note\"\n"), "{module}");

    p.write("app/models.py", "# my own models\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("app/models.py"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(p.path().join("app/models.py")).unwrap(),
        "# my own models\n"
    );
}

/// MySQL and MariaDB refuse a CHECK over an AUTO_INCREMENT column: a struct whose check is
/// over its lone `i32` key is refused for mysql, before any file is written, and built
/// for the other databases.
#[test]
fn build_from_rust_refuses_a_check_over_an_autoincrement_key_for_mysql() {
    let p = Project::new();
    p.write(
        "models.rs",
        r#"#[derive(modelgen::Model)]
#[model(table = "counters")]
#[model(check(name = "id_positive", expr = "id > 0"))]
pub struct Counter {
    #[model(primary_key)]
    pub id: i32,
}
"#,
    );
    let run = p.run(&["build", "--from-rust", "models.rs", "--dialect", "mysql"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("`Counter`'s check `id_positive` is over `id`, which autoincrements"),
        "{run:?}"
    );
    assert!(!p.path().join("migrations").exists(), "{:?}", p.tree());
    let run = p.run(&["build", "--from-rust", "models.rs", "--dialect", "postgres"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn migrate_with_nothing_to_migrate_says_so_and_writes_nothing() {
    let p = Project::new();
    p.write("models.yaml", reference_spec());
    assert_eq!(p.run(&["migrate"]).code, 0);
    // The outputs, not modelgen's own state under .modelgen/.
    let outputs = || {
        let mut all = p.contents();
        all.retain(|path, _| !path.starts_with(".modelgen/"));
        all
    };
    let before = outputs();
    let again = p.run(&["migrate", "--name", "again"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(
        again.stdout,
        "models.yaml: nothing to migrate: the migrations already reach the spec's schema; no migration was written, so `--name again` was not used\n"
    );
    assert_eq!(outputs(), before);
}

#[test]
fn a_misspelt_renamed_from_is_an_error_with_a_suggestion() {
    let p = Project::new();
    let spec = "models:\n  User:\n    table: users\n    fields:\n      id: int pk\n      full_name: str(100)\n";
    p.write("models.yaml", spec);
    assert_eq!(p.run(&["migrate"]).code, 0);
    let before = p.contents();
    p.write(
        "models.yaml",
        spec.replace(
            "      full_name: str(100)",
            "      display_name: {type: str(100), renamed_from: ful_name}",
        ),
    );
    let run = p.run(&["migrate"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("`User.display_name` is renamed from `ful_name`, which `users` does not have in the migrations' schema; did you mean `full_name`?"),
        "{run:?}"
    );
    let mut after = p.contents();
    after.remove("models.yaml");
    let mut before = before;
    before.remove("models.yaml");
    assert_eq!(after, before, "nothing was written");
    // A table too.
    p.write(
        "models.yaml",
        spec.replace("    table: users\n", "    table: people\n    renamed_from: user\n"),
    );
    let run = p.run(&["migrate"]);
    assert!(
        run.stderr.contains(
            "`User` is renamed from table `user`, which the migrations' schema does not have; did you mean `users`?"
        ),
        "{run:?}"
    );
}

#[test]
fn a_refused_drop_and_add_that_looks_like_a_rename_says_renamed_from_at_once() {
    let p = Project::new();
    let spec = "models:\n  User:\n    table: users\n    fields:\n      id: int pk\n      full_name: str(100)?\n";
    p.write("models.yaml", spec);
    assert_eq!(p.run(&["migrate"]).code, 0);
    p.write("models.yaml", spec.replace("full_name", "display_name"));
    let run = p.run(&["migrate"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: the migration would lose data, so it was not written:\n  - drops column users.full_name and its values\nhint: users.full_name is dropped and users.display_name added with the same type; if it is a rename, add `renamed_from: full_name` to field `display_name`\nrun `modelgen migrate --allow-destructive` if that is intended\n"
    );
}

#[test]
fn build_from_rust_follows_the_module_tree_from_the_crate_root() {
    let p = Project::new();
    let model = |table: &str, name: &str| {
        format!("#[derive(modelgen::Model)]\n#[model(table = \"{table}\")]\npub struct {name} {{\n    #[model(primary_key)]\n    pub id: i32,\n}}\n")
    };
    p.write("src/lib.rs", "mod models;\n");
    p.write("src/models.rs", format!("mod extra;\n{}", model("users", "User")));
    p.write("src/models/extra.rs", model("extras", "Extra"));
    // Not in the module tree: rustc never reads it, and neither does modelgen.
    p.write(
        "src/scratch.rs",
        "#[derive(modelgen::Model)]\n#[model(tabel = \"x\")]\npub struct Scratch {}\n",
    );
    let run = p.run(&["build", "--from-rust", "src"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("(2 models, 0 join tables)"), "{run:?}");
    let sql = std::fs::read_to_string(p.path().join("migrations/sqlite/0001_initial.up.sql")).unwrap();
    assert!(
        sql.contains("CREATE TABLE \"users\"") && sql.contains("CREATE TABLE \"extras\""),
        "{sql}"
    );
}
