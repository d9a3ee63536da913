//! Fuzzing the whole pipeline: spec bytes → parse → check → every back end.
//!
//! A property test with proptest rather than cargo-fuzz: cargo-fuzz needs a nightly
//! compiler (libFuzzer's sanitizer flags), and modelgen builds on stable only. proptest runs
//! under plain `cargo test`, shrinks a failing input to a small one, and generates
//! structure-aware inputs: valid specs from `gen.rs` (hostile names, every type, keys,
//! indexes, relations, mixins) and the same specs after byte-level mutations (bit flips,
//! truncation, inserted tokens, duplicated lines, anchors and aliases, deep nesting,
//! invalid UTF-8, swapped words), plus raw random bytes.
//!
//! For every input: `modelgen_spec::load_bytes`; a rejected spec renders its diagnostics
//! (plain and styled, which re-walks the YAML to locate each error); an accepted spec goes
//! through Rust generation, CREATE/DROP scripts and the migration from nothing for every
//! dialect, both diagrams, and a migration to and from a second accepted spec. Nothing may
//! panic; output must be the same when generated twice; a watchdog aborts a case that
//! hangs, leaving its input in the target directory.
//!
//! - `MODELGEN_FUZZ_CASES=N` runs N cases (default 300, what CI runs).
//! - `MODELGEN_FUZZ_SEED=S` picks the random seed (default fixed, so CI is repeatable).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use modelgen_ir::config::{Migrations, Output, PythonOutput, RustOutput};
use modelgen_ir::{Dialect, Schema};
use modelgen_tests::gen::{self, Mutation, Spec};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

const DEFAULT_CASES: u32 = 300;
const DEFAULT_SEED: u64 = 0x6d6f_6465_6c67_656e;
/// Far beyond any case's real time, even a big one in a debug build: only a hang gets here.
const CASE_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
enum Input {
    /// A generated spec, then mutations of its text, and a second spec to migrate to.
    Spec(Spec, Vec<Mutation>, Spec),
    Bytes(Vec<u8>),
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        9 => (gen::valid_spec(4), prop::collection::vec(gen::mutation(), 0..4), gen::valid_spec(3))
            .prop_map(|(a, m, b)| Input::Spec(a, m, b)),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Input::Bytes),
    ]
}

#[derive(Default)]
struct Stats {
    cases: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    diagnostics: AtomicU64,
    migrations: AtomicU64,
    bytes: AtomicU64,
}

/// What the pipeline made of one input, for the counts.
enum Outcome {
    Accepted(Box<Schema>),
    Rejected(usize),
}

/// Every stage a spec can reach. Panics are the failures this test looks for.
fn pipeline(bytes: &[u8]) -> Outcome {
    let project = match modelgen_spec::load_bytes(bytes, "fuzz.yaml") {
        Ok(p) => p,
        Err(d) => {
            assert!(!d.items.is_empty(), "a spec was rejected without a diagnostic");
            let plain = d.render(false);
            assert!(plain.contains("error"), "diagnostics render without an error: {plain}");
            // Whatever the spec holds, the report is text a terminal shows as it is.
            assert!(
                modelgen_ir::check_text(&plain).is_ok(),
                "diagnostics hold a control character: {plain:?}"
            );
            assert_eq!(plain, d.render(false), "diagnostics render differently twice");
            d.render(true);
            return Outcome::Rejected(d.items.len());
        }
    };
    let schema = project.schema;
    // Every database that can build the schema: a spec may leave out one that cannot
    // (`str` without a length and MySQL), and generating for it is then refused.
    let buildable = |d: Dialect| {
        schema.models.iter().all(|m| {
            m.columns.iter().all(|c| c.unsupported_on(d).is_none())
                && m.indexes.iter().all(|i| i.unsupported_on(d).is_none())
        })
    };
    let dialects: Vec<Dialect> = Dialect::ALL.into_iter().filter(|&d| buildable(d)).collect();
    let output = Output {
        rust: Some(RustOutput {
            dir: "models".into(),
            serde: true,
            sqlx: true,
            queries: false,
            templates: None,
        }),
        migrations: Migrations {
            dialects,
            ..Default::default()
        },
        python: None,
    };
    let generate = |output: &Output| {
        modelgen_emit::generate(
            &schema,
            output,
            "fuzz.yaml",
            &Default::default(),
            &Default::default(),
            &Default::default(),
        )
        .map(|g| g.files)
    };
    let files = generate(&output).unwrap_or_else(|e| panic!("an accepted spec failed to generate: {e}"));
    // No file holds text that would cut or reorder it (the spec refuses it, the header
    // escapes it).
    for f in &files {
        if let Err(why) = modelgen_ir::check_text(&f.contents) {
            panic!("generated {} {why}", f.path);
        }
    }
    assert_eq!(Ok(files), generate(&output), "generation is not deterministic");
    // The SQLAlchemy module may refuse a spec (a name a database would shorten cannot be
    // mirrored), but cleanly and always alike.
    let python = Output {
        rust: None,
        python: Some(PythonOutput {
            file: "models.py".into(),
            templates: None,
        }),
        ..output.clone()
    };
    assert_eq!(
        generate(&python),
        generate(&python),
        "the SQLAlchemy module is not deterministic"
    );
    // The spec's own `output:` settings, as `modelgen build` would use them.
    if let Err(e) = generate(&project.output) {
        assert!(
            project.output.python.is_some(),
            "an accepted spec failed to generate its own outputs: {e}"
        );
    }
    let empty = Schema { models: Vec::new() };
    let plan = modelgen_migrate::Plan::new(&empty, &schema);
    for d in Dialect::ALL {
        let create = modelgen_sql::create_script(&schema, d);
        assert_eq!(
            create,
            modelgen_sql::create_script(&schema, d),
            "SQL is not deterministic"
        );
        modelgen_sql::drop_script(&schema, d);
        plan.scripts(&empty, &schema, d);
    }
    modelgen_diagram::mermaid(&schema);
    modelgen_diagram::dot(&schema);
    Outcome::Accepted(Box::new(schema))
}

fn migrate(a: &Schema, b: &Schema) {
    for (old, new) in [(a, b), (b, a)] {
        let plan = modelgen_migrate::Plan::new(old, new);
        for d in Dialect::ALL {
            plan.scripts(old, new, d);
        }
    }
}

/// The input of the case running now, so a hang or a crash that kills the process
/// (a stack overflow cannot be caught) leaves it behind.
struct Watchdog {
    current: Mutex<Option<Instant>>,
    file: std::path::PathBuf,
}

impl Watchdog {
    fn start() -> Arc<Watchdog> {
        let dog = Arc::new(Watchdog {
            current: Mutex::new(None),
            file: std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-current-input.yaml"),
        });
        let watcher = Arc::clone(&dog);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            let started = *watcher.current.lock().unwrap();
            if started.is_some_and(|s| s.elapsed() > CASE_LIMIT) {
                eprintln!(
                    "fuzz: a case ran past {CASE_LIMIT:?}, a hang; its input is {}",
                    watcher.file.display()
                );
                std::process::abort();
            }
        });
        dog
    }

    fn begin(&self, bytes: &[u8]) {
        std::fs::write(&self.file, bytes).unwrap();
        *self.current.lock().unwrap() = Some(Instant::now());
    }

    fn end(&self) {
        *self.current.lock().unwrap() = None;
    }
}

fn run_case(input: &Input, dog: &Watchdog, stats: &Stats) -> Result<(), TestCaseError> {
    let (bytes, base, other) = match input {
        Input::Spec(a, mutations, b) => {
            let base = a.yaml().into_bytes();
            let mut bytes = base.clone();
            for m in mutations {
                m.apply(&mut bytes);
            }
            (
                bytes,
                (!mutations.is_empty()).then_some(base),
                Some(b.yaml().into_bytes()),
            )
        }
        Input::Bytes(b) => (b.clone(), None, None),
    };
    let run = |bytes: &[u8]| -> Result<Outcome, TestCaseError> {
        dog.begin(bytes);
        stats.cases.fetch_add(1, Ordering::Relaxed);
        stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let outcome = catch_unwind(AssertUnwindSafe(|| pipeline(bytes)));
        dog.end();
        let outcome = outcome.map_err(|e| fail("the pipeline panicked", e, bytes))?;
        match &outcome {
            Outcome::Accepted(_) => stats.accepted.fetch_add(1, Ordering::Relaxed),
            Outcome::Rejected(n) => {
                stats.diagnostics.fetch_add(*n as u64, Ordering::Relaxed);
                stats.rejected.fetch_add(1, Ordering::Relaxed)
            }
        };
        Ok(outcome)
    };
    let main = run(&bytes)?;
    // Pairs for the migration planner: the spec before and after mutation, and two
    // unrelated specs.
    let mut accepted = vec![main];
    for extra in [base, other].into_iter().flatten() {
        accepted.push(run(&extra)?);
    }
    let schemas: Vec<&Schema> = accepted
        .iter()
        .filter_map(|o| match o {
            Outcome::Accepted(s) => Some(s.as_ref()),
            Outcome::Rejected(_) => None,
        })
        .collect();
    for pair in schemas.windows(2) {
        dog.begin(&bytes);
        stats.migrations.fetch_add(1, Ordering::Relaxed);
        let result = catch_unwind(AssertUnwindSafe(|| migrate(pair[0], pair[1])));
        dog.end();
        result.map_err(|e| fail("planning a migration between two accepted specs panicked", e, &bytes))?;
    }
    Ok(())
}

fn fail(what: &str, panic: Box<dyn std::any::Any + Send>, bytes: &[u8]) -> TestCaseError {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    TestCaseError::fail(format!(
        "{what}: {message}\n--- input ({} bytes, lossy) ---\n{}",
        bytes.len(),
        String::from_utf8_lossy(bytes)
    ))
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

#[test]
fn no_spec_input_makes_the_pipeline_panic_or_hang() {
    let cases = env("MODELGEN_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as u32);
    let seed = env("MODELGEN_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let config = Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 2000,
        ..Config::default()
    };
    // The CLI parses on its main thread; give the cases the same 8 MiB of stack.
    let result = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let dog = Watchdog::start();
            let stats = Stats::default();
            let started = Instant::now();
            let mut runner = TestRunner::new(config);
            // Shrinking re-runs failing cases; their panics are reported in the result.
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            let result = runner.run(&input(), |input| run_case(&input, &dog, &stats));
            std::panic::set_hook(hook);
            let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
            println!(
                "fuzz: {cases} inputs (seed {seed}), {} pipeline runs in {:.1?}: {} accepted, {} rejected with {} diagnostics, \
                 {} migrations planned, {} KiB of spec text",
                get(&stats.cases),
                started.elapsed(),
                get(&stats.accepted),
                get(&stats.rejected),
                get(&stats.diagnostics),
                get(&stats.migrations),
                get(&stats.bytes) >> 10
            );
            (result, get(&stats.accepted), get(&stats.rejected))
        })
        .unwrap()
        .join()
        .expect("the fuzz thread panicked");
    let (result, accepted, rejected) = result;
    if let Err(e) = result {
        panic!("{e}");
    }
    // A generator that only ever makes broken (or only valid) specs tests half the pipeline.
    if cases >= DEFAULT_CASES {
        assert!(accepted > u64::from(cases) / 4, "only {accepted} inputs were accepted");
        assert!(rejected > u64::from(cases) / 10, "only {rejected} inputs were rejected");
    }
}
