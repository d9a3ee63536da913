//! Measures what BENCHMARKS.md reports, in one run: the floor (typed deserialization of
//! the spec), `modelgen build` end to end, a no-op build, `modelgen migrate` after 10
//! edits, a build of the migrations alone, a rebuild after one model changes, peak
//! memory, how `modelgen check` scales from 1,000 to 20,000 models, the
//! generated queries against hand-written sqlx, and the derive's compile-time cost.
//!
//! Usage: `bench [--quick]` from the workspace root, after `cargo build --release`
//! (bench/run.sh does both). Times are the best of several runs, since the machine is
//! shared and noisy; ratios are taken within this one run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// The spec's shape as typed serde structs: what "reading the spec" costs at least.
#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct TypedSpec {
    output: Option<serde_yaml::Value>,
    models: BTreeMap<String, TypedModel>,
}

#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct TypedModel {
    table: Option<String>,
    fields: BTreeMap<String, TypedField>,
    mixins: Option<Vec<String>>,
    indexes: Option<Vec<TypedIndex>>,
    relations: Option<BTreeMap<String, BTreeMap<String, String>>>,
}

#[allow(dead_code)]
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum TypedField {
    Short(String),
    Long {
        r#type: String,
        foreign_key: Option<TypedForeignKey>,
    },
}

#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct TypedForeignKey {
    references: String,
    on_delete: Option<String>,
}

#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct TypedIndex {
    name: Option<String>,
    columns: Vec<String>,
}

struct Run {
    wall: Duration,
    /// User plus system time: steadier than wall time on a shared machine.
    cpu: Duration,
    max_rss_kib: i64,
}

/// Runs a command to completion through `bench measure`, which times it and reads its
/// peak memory. Linux carries a process's peak memory across `exec` from the image it
/// replaces, and a spawned child starts as this (large) process, so a direct child's
/// figure would be ours; the small `bench measure` in between keeps it the command's own.
fn run(cmd: &mut Command) -> Run {
    let mut measured = Command::new(std::env::current_exe().unwrap());
    measured.arg("measure").arg(cmd.get_program()).args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        measured.current_dir(dir);
    }
    let out = measured.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let figures: Vec<u64> = text.split_whitespace().map(|n| n.parse().unwrap()).collect();
    Run {
        wall: Duration::from_nanos(figures[0]),
        cpu: Duration::from_nanos(figures[1]),
        max_rss_kib: figures[2] as i64,
    }
}

/// `bench measure PROGRAM ARGS…`: runs the program and prints its wall time and CPU time
/// (nanoseconds) and peak memory (KiB), read from wait4.
fn measure(program: &str, args: &[String]) {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet reaped; status and usage are valid out-params.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(rc == pid && libc::WIFEXITED(status), "{program} did not finish");
    assert_eq!(libc::WEXITSTATUS(status), 0, "{program} {args:?} failed");
    std::mem::forget(child);
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    println!("{} {} {}", wall.as_nanos(), cpu.as_nanos(), usage.ru_maxrss);
}

fn best(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().unwrap()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn copy_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let ok = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap()
        .success();
    assert!(ok, "cp -a failed");
}

/// The generated files of a built tree (not the spec, not `.modelgen/`), by path under it.
fn outputs(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut times = BTreeMap::new();
    mtimes(root, &mut times);
    times
        .into_keys()
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .filter(|p| !p.starts_with(".modelgen") && p != Path::new("models.yaml"))
        .map(|p| {
            let bytes = std::fs::read(root.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// The least that writing `files` into a fresh folder costs, as any writer that does not
/// leave a half-written file must do it: each to a side file, then renamed into place;
/// no hashing, no journal. Best of `runs`.
fn write_cost(files: &[(PathBuf, Vec<u8>)], scratch: &Path, runs: usize) -> Duration {
    best(runs, || {
        let _ = std::fs::remove_dir_all(scratch);
        std::fs::create_dir_all(scratch).unwrap();
        let start = Instant::now();
        for (path, bytes) in files {
            let target = scratch.join(path);
            let dir = target.parent().unwrap();
            if !dir.is_dir() {
                std::fs::create_dir_all(dir).unwrap();
            }
            let side = dir.join(format!(".{}.new", target.file_name().unwrap().to_string_lossy()));
            std::fs::write(&side, bytes).unwrap();
            std::fs::rename(&side, &target).unwrap();
        }
        start.elapsed()
    })
}

fn mtimes(dir: &Path, out: &mut BTreeMap<PathBuf, SystemTime>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            mtimes(&path, out);
        } else {
            out.insert(path.clone(), std::fs::metadata(&path).unwrap().modified().unwrap());
        }
    }
}

fn main() {
    // `bench floor FILE`: only the typed deserialization, as a process whose memory can be read.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("measure") {
        return measure(&args[2], &args[3..]);
    }
    if args.get(1).map(String::as_str) == Some("queries") {
        return queries_cost();
    }
    if args.get(1).map(String::as_str) == Some("floor") {
        let text = std::fs::read_to_string(&args[2]).unwrap();
        let parsed: TypedSpec = serde_yaml::from_str(&text).unwrap();
        assert!(!parsed.models.is_empty());
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let root = std::env::current_dir().unwrap();
    let modelgen = root.join("target/release/modelgen");
    assert!(modelgen.exists(), "build first: cargo build --release -p modelgen-cli");
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).unwrap();
    let sizes: &[usize] = if quick { &[100, 1000] } else { &[100, 1000, 10_000] };

    println!("| N | spec | floor | build | build/floor | no-op | no-op/floor | files rewritten by no-op | migrate (10 edits) | migrate/build | peak RSS of build | RSS/spec | peak RSS of floor | build RSS/floor RSS |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut targets = Vec::new();
    let mut bounds = Vec::new();
    let mut builds = BTreeMap::new();
    for &n in sizes {
        let repeats = if n >= 10_000 { 3 } else { 5 };
        let spec = modelgen_bench::spec(n, 1);
        let floor = best(repeats, || {
            let start = Instant::now();
            let parsed: TypedSpec = serde_yaml::from_str(&spec).unwrap();
            let took = start.elapsed();
            assert_eq!(parsed.models.len(), n);
            took
        });

        let pristine = work.join(format!("{n}-pristine"));
        let _ = std::fs::remove_dir_all(&pristine);
        std::fs::create_dir_all(&pristine).unwrap();
        std::fs::write(pristine.join("models.yaml"), &spec).unwrap();
        let scratch = work.join(format!("{n}"));
        let mut rss = 0;
        let build = best(repeats, || {
            copy_tree(&pristine, &scratch);
            let r = run(Command::new(&modelgen).arg("build").current_dir(&scratch));
            rss = rss.max(r.max_rss_kib);
            r.wall
        });
        builds.insert(n, build);
        // What every build must do whatever modelgen's own speed: read and check the spec
        // (`modelgen check`, a whole process) and write its files.
        let check = best(repeats, || {
            run(Command::new(&modelgen).arg("check").current_dir(&scratch)).wall
        });
        let write_all = write_cost(&outputs(&scratch), &work.join(format!("{n}-write")), repeats);
        // `scratch` now holds a built tree: the starting point of the no-op and migrate runs.
        let built = work.join(format!("{n}-built"));
        copy_tree(&scratch, &built);

        let mut before = BTreeMap::new();
        mtimes(&built, &mut before);
        let noop = best(repeats, || {
            run(Command::new(&modelgen).arg("build").current_dir(&built)).wall
        });
        let mut after = BTreeMap::new();
        mtimes(&built, &mut after);
        let rewritten = before.iter().filter(|(p, t)| after.get(*p) != Some(t)).count();

        let floor_rss = run(Command::new(std::env::current_exe().unwrap())
            .arg("floor")
            .arg(pristine.join("models.yaml")))
        .max_rss_kib;
        let edited = modelgen_bench::edited(&spec, n, 10);
        let migrate = best(repeats, || {
            copy_tree(&built, &scratch);
            std::fs::write(scratch.join("models.yaml"), &edited).unwrap();
            run(Command::new(&modelgen)
                .args(["migrate", "--allow-destructive"])
                .current_dir(&scratch))
            .wall
        });
        // P2: only the SQLite and PostgreSQL migrations, on a fresh tree.
        let lean = work.join(format!("{n}-migrations-only"));
        let migrations_only = best(repeats, || {
            let _ = std::fs::remove_dir_all(&lean);
            std::fs::create_dir_all(&lean).unwrap();
            std::fs::write(lean.join("models.yaml"), modelgen_bench::migrations_only(&spec)).unwrap();
            run(Command::new(&modelgen).arg("build").current_dir(&lean)).wall
        });
        let write_lean = write_cost(&outputs(&lean), &work.join(format!("{n}-write")), repeats);
        // P4: one model of the built tree edited, then built again.
        let one_edit = modelgen_bench::one_model_edited(&spec, n);
        let mut written = 0;
        let rebuild = best(repeats, || {
            copy_tree(&built, &scratch);
            let mut before = BTreeMap::new();
            mtimes(&scratch, &mut before);
            std::fs::write(scratch.join("models.yaml"), &one_edit).unwrap();
            let took = run(Command::new(&modelgen).arg("build").current_dir(&scratch)).wall;
            let mut after = BTreeMap::new();
            mtimes(&scratch, &mut after);
            let state = scratch.join(".modelgen");
            written = after
                .iter()
                .filter(|(p, _)| !p.starts_with(&state) && p.file_name() != Some("models.yaml".as_ref()))
                .filter(|(p, t)| before.get(*p) != Some(t))
                .count();
            took
        });
        // A rebuild must also read the schema the migrations reached, and write what changed.
        let snapshot = std::fs::read_to_string(built.join("migrations/modelgen-schema.json")).unwrap();
        let read_snapshot = best(repeats, || {
            let start = Instant::now();
            let parsed = modelgen_emit::parse_snapshot(&snapshot).unwrap();
            let took = start.elapsed();
            assert_eq!(parsed.schema.models.len(), n + n / 10);
            took
        });
        let changed: Vec<(PathBuf, Vec<u8>)> = outputs(&scratch)
            .into_iter()
            .filter(|(p, bytes)| std::fs::read(built.join(p)).ok().as_ref() != Some(bytes))
            .collect();
        let write_changed = write_cost(&changed, &work.join(format!("{n}-write")), repeats);
        bounds.push((
            n,
            ms(check) / ms(floor),
            (ms(check) + ms(write_all)) / ms(floor),
            (ms(check) + ms(write_lean)) / ms(floor),
            (ms(check) + ms(read_snapshot) + ms(write_changed)) / ms(floor),
            ms(write_all) / ms(floor),
            ms(read_snapshot) / ms(floor),
        ));
        targets.push((n, floor, build, migrations_only, rebuild, written, rss, floor_rss));
        println!(
            "| {n} | {:.2} MB | {:.1} ms | {:.1} ms | {:.2} | {:.1} ms | {:.2} | {rewritten} | {:.1} ms | {:.2} | {:.1} MB | {:.1} | {:.1} MB | {:.2} |",
            spec.len() as f64 / 1e6,
            ms(floor),
            ms(build),
            ms(build) / ms(floor),
            ms(noop),
            ms(noop) / ms(floor),
            ms(migrate),
            ms(migrate) / ms(build),
            rss as f64 / 1024.0,
            (rss as f64 * 1024.0) / spec.len() as f64,
            floor_rss as f64 / 1024.0,
            rss as f64 / floor_rss as f64,
        );
    }
    println!("\nIssue 16's build targets, from the runs above (wall time, best of the runs; the floor in process):\n");
    println!("| N | P1 build/floor (≤ 4) | P2 migrations only/floor (≤ 1.5) | P4 rebuild after one edit/floor (≤ 1.5) | files the rebuild wrote | peak RSS build/floor (≤ 2) |");
    println!("|---|---|---|---|---|---|");
    for (n, floor, build, lean, rebuild, written, rss, floor_rss) in targets {
        println!(
            "| {n} | {:.2} | {:.2} | {:.2} | {written} | {:.2} |",
            ms(build) / ms(floor),
            ms(lean) / ms(floor),
            ms(rebuild) / ms(floor),
            rss as f64 / floor_rss as f64
        );
    }
    if let (Some(a), Some(b)) = (builds.get(&1000), builds.get(&10_000)) {
        println!("\nbuild(10000) / build(1000) = {:.2}", ms(*b) / ms(*a));
    }
    println!("\nThe least each target's work costs, whatever modelgen does, in the floor's units: `modelgen check` (reading and checking the spec, a whole process, wall time) plus writing the files the run writes (each to a side file, then renamed), plus, for P4, parsing the snapshot the migrations reached:\n");
    println!("| N | check/floor | writing all files of a build/floor | parsing the snapshot/floor | P1 at least (≤ 4) | P2 at least (≤ 1.5) | P4 at least (≤ 1.5) |");
    println!("|---|---|---|---|---|---|---|");
    for (n, check, p1, p2, p4, write_all, snapshot) in bounds {
        println!("| {n} | {check:.2} | {write_all:.2} | {snapshot:.2} | {p1:.2} | {p2:.2} | {p4:.2} |");
    }
    check_scaling(&modelgen, &work, quick);
    queries_cost();
    if !quick {
        derive_cost(&root, &modelgen, &work);
    }
}

/// The generated insert and get against the same statements hand-written with sqlx, on an
/// in-memory SQLite: best of 7 runs each, generated and hand-written interleaved.
fn queries_cost() {
    use modelgen_bench::queries::{run, ROWS};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut generated, mut hand) = ((Duration::MAX, Duration::MAX), (Duration::MAX, Duration::MAX));
    for _ in 0..7 {
        for (is_generated, best) in [(true, &mut generated), (false, &mut hand)] {
            let (insert, get) = runtime.block_on(run(is_generated));
            *best = (best.0.min(insert), best.1.min(get));
        }
    }
    println!("\n| {ROWS} rows on SQLite | generated | hand-written sqlx | generated/hand |");
    println!("|---|---|---|---|");
    for (what, g, h) in [("insert", generated.0, hand.0), ("get by key", generated.1, hand.1)] {
        println!("| {what} | {:.1} ms | {:.1} ms | {:.3} |", ms(g), ms(h), ms(g) / ms(h));
    }
}

/// `modelgen check` as the spec grows: CPU time (best of 5) at each N, against the
/// floor's, and check(20,000) / check(5,000), which a linear check keeps near 4.
fn check_scaling(modelgen: &Path, work: &Path, quick: bool) {
    let sizes: &[usize] = if quick {
        &[1000, 20_000]
    } else {
        &[1000, 5000, 10_000, 20_000]
    };
    println!("\n| N | spec | check (CPU) | floor (CPU) | check/floor | peak RSS of check |");
    println!("|---|---|---|---|---|---|");
    let (mut checks, mut floors) = (BTreeMap::new(), BTreeMap::new());
    for &n in sizes {
        let file = work.join(format!("check-{n}.yaml"));
        let spec = modelgen_bench::spec(n, 1);
        std::fs::write(&file, &spec).unwrap();
        let mut rss = 0;
        let check = best(5, || {
            let r = run(Command::new(modelgen).args(["check", "-q", "--spec"]).arg(&file));
            rss = rss.max(r.max_rss_kib);
            r.cpu
        });
        let floor = best(5, || {
            run(Command::new(std::env::current_exe().unwrap()).arg("floor").arg(&file)).cpu
        });
        checks.insert(n, check);
        floors.insert(n, floor);
        println!(
            "| {n} | {:.1} MB | {:.0} ms | {:.0} ms | {:.2} | {:.0} MB |",
            spec.len() as f64 / 1e6,
            ms(check),
            ms(floor),
            ms(check) / ms(floor),
            rss as f64 / 1024.0
        );
    }
    if let (Some(a), Some(b)) = (checks.get(&5000), checks.get(&20_000)) {
        println!("\ncheck(20000) / check(5000) = {:.2} (CPU time)", ms(*b) / ms(*a));
    }
    if let (Some(a), Some(b)) = (floors.get(&5000), floors.get(&20_000)) {
        println!("floor(20000) / floor(5000) = {:.2} (CPU time)", ms(*b) / ms(*a));
    }
}

/// Compile time of 200 generated structs with `#[derive(Model)]` against the same structs
/// with serde's derives only; dependencies are built first, so only the crate is timed.
fn derive_cost(root: &Path, modelgen: &Path, work: &Path) {
    let spec = modelgen_bench::spec(200, 7).replace(
        "  rust: {dir: src/models, serde: true, sqlx: true}\n  migrations: {dialects: [sqlite, postgres, mysql]}\n",
        "  rust: {dir: src/models, serde: true, sqlx: false}\n  migrations: {dialects: []}\n",
    );
    let mut times = Vec::new();
    for (name, with_model) in [("with-derive-model", true), ("serde-only", false)] {
        let krate = work.join(format!("derive-{name}"));
        let _ = std::fs::remove_dir_all(&krate);
        std::fs::create_dir_all(&krate).unwrap();
        std::fs::write(krate.join("models.yaml"), &spec).unwrap();
        run(Command::new(modelgen).arg("build").current_dir(&krate));
        if !with_model {
            strip_model_derive(&krate.join("src/models"));
        }
        std::fs::write(
            krate.join("src/lib.rs"),
            "#![allow(dead_code, clippy::all)]\npub mod models;\n",
        )
        .unwrap();
        let modelgen_crate = root.join("crates/modelgen");
        std::fs::write(
            krate.join("Cargo.toml"),
            format!(
                "[package]\nname = \"derive-cost\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nmodelgen = {{ path = {modelgen_crate:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\nchrono = {{ version = \"0.4\", default-features = false, features = [\"clock\", \"serde\"] }}\nuuid = {{ version = \"1\", features = [\"serde\"] }}\nrust_decimal = {{ version = \"1\", features = [\"serde\"] }}\n\n[workspace]\n"
            ),
        )
        .unwrap();
        std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
        let target = work.join("derive-target");
        let cargo = |args: &[&str]| {
            let mut cmd = Command::new("cargo");
            cmd.args(args).current_dir(&krate).env("CARGO_TARGET_DIR", &target);
            cmd
        };
        run(&mut cargo(&["build", "--quiet"]));
        let took = best(3, || {
            run(&mut cargo(&["clean", "--quiet", "-p", "derive-cost"]));
            run(&mut cargo(&["build", "--quiet"])).wall
        });
        times.push((name, took));
    }
    println!("\n| crate of 200 structs | clean build of the crate |\n|---|---|");
    for (name, took) in &times {
        println!("| {name} | {:.2} s |", took.as_secs_f64());
    }
    println!(
        "\nderive cost: {:.2} × the serde-only compile time",
        times[0].1.as_secs_f64() / times[1].1.as_secs_f64()
    );
}

/// Turns the generated modules into serde-only structs: no `modelgen::Model`, no
/// `#[model(...)]`, no relation accessors or repr that the derive would provide.
fn strip_model_derive(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        let mut in_model_attr = false;
        for line in text.lines() {
            if in_model_attr {
                in_model_attr = !line.starts_with(")]") && !line.ends_with(")]");
                continue;
            }
            if line.trim_start().starts_with("#[model(") {
                in_model_attr = !line.trim_end().ends_with(")]");
                continue;
            }
            let line = line.replace(
                "#[derive(Clone, PartialEq, ::modelgen::Model)]",
                "#[derive(Clone, PartialEq, Debug)]",
            );
            out.push_str(&line);
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
    }
}
