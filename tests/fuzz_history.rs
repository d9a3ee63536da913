//! Fuzzing what a migration reads besides the spec: the snapshot `modelgen-schema.json`.
//!
//! Snapshots of generated specs are mutated — structurally (entries dropped, duplicated or
//! emptied, strings replaced with hostile ones: empty, quotes, control characters, names of
//! other things; numbers and types swapped) and byte by byte — then read back. A snapshot
//! that is accepted must plan and render migrations to and from another spec on every
//! dialect without a panic; one that is refused must say where. Every tenth case also goes
//! through the real `modelgen migrate` in a scratch project, which must exit 0 or 1 with a
//! message, never crash.
//!
//! - `MODELGEN_HISTORY_FUZZ_CASES=N` runs N cases (default 150, what CI runs).
//! - `MODELGEN_HISTORY_FUZZ_SEED=S` picks the random seed.

use std::panic::{catch_unwind, AssertUnwindSafe};

use modelgen_ir::{Dialect, Schema};
use modelgen_tests::gen::{self, Spec};
use modelgen_tests::Project;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::Value;

const DEFAULT_CASES: u32 = 150;
const DEFAULT_SEED: u64 = 0x736e_6170_7368_6f74;

/// One change to the snapshot's JSON: `at` picks the node (by its index in a walk of the
/// tree), `how` what happens to it.
#[derive(Debug, Clone)]
struct Edit {
    at: usize,
    how: How,
}

#[derive(Debug, Clone)]
enum How {
    /// Remove the node from its object or array.
    Remove,
    /// Empty it: `[]`, `{}` or `""`.
    Empty,
    /// Put a string in its place.
    Text(String),
    /// Put a number in its place.
    Number(i64),
    /// Duplicate it in its array (an array element only).
    Duplicate,
    Null,
    Flip(bool),
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\"; DROP TABLE victim; --".to_owned()),
        Just("a\0b".to_owned()),
        Just("line\nbreak".to_owned()),
        Just("id".to_owned()),
        Just("users".to_owned()),
        Just("str(0)".to_owned()),
        Just("decimal(2,5)".to_owned()),
        Just("1); DROP TABLE victim; --".to_owned()),
        Just("modelgen_new_x".to_owned()),
        "[a-z_]{1,8}",
        any::<String>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let how = prop_oneof![
        3 => Just(How::Remove),
        3 => Just(How::Empty),
        4 => hostile_text().prop_map(How::Text),
        2 => any::<i64>().prop_map(How::Number),
        2 => Just(How::Duplicate),
        1 => Just(How::Null),
        1 => any::<bool>().prop_map(How::Flip),
    ];
    (any::<usize>(), how).prop_map(|(at, how)| Edit { at, how })
}

/// Byte damage after the structural edits: a flipped byte, or the text cut short.
#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Cut(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        any::<usize>().prop_map(Damage::Cut),
    ]
}

/// How many nodes the tree has, in the walk's order (the root is 0).
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// Applies `how` to the node numbered `target` below `v` (`*seen` counts nodes walked).
fn apply(v: &mut Value, target: usize, how: &How, seen: &mut usize) -> bool {
    let children: usize = match v {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    };
    for i in 0..children {
        *seen += 1;
        let here = *seen == target;
        let done = match v {
            Value::Array(items) if here => {
                match how {
                    How::Remove => drop(items.remove(i)),
                    How::Duplicate => items.insert(i, items[i].clone()),
                    other => replace(&mut items[i], other),
                }
                true
            }
            Value::Object(map) if here => {
                let key = map.keys().nth(i).unwrap().clone();
                match how {
                    How::Remove => drop(map.remove(&key)),
                    other => replace(map.get_mut(&key).unwrap(), other),
                }
                true
            }
            Value::Array(items) => apply(&mut items[i], target, how, seen),
            Value::Object(map) => {
                let key = map.keys().nth(i).unwrap().clone();
                apply(map.get_mut(&key).unwrap(), target, how, seen)
            }
            _ => false,
        };
        if done {
            return true;
        }
    }
    false
}

fn replace(node: &mut Value, how: &How) {
    *node = match how {
        How::Empty => match node {
            Value::Array(_) => Value::Array(Vec::new()),
            Value::Object(_) => Value::Object(Default::default()),
            _ => Value::String(String::new()),
        },
        How::Text(s) => Value::String(s.clone()),
        How::Number(n) => Value::from(*n),
        How::Null => Value::Null,
        How::Flip(b) => Value::Bool(*b),
        How::Remove | How::Duplicate => return,
    };
}

fn snapshot_text(schema: &Schema) -> String {
    // What `modelgen build` writes: an empty checksum list keeps the text small.
    serde_json::to_string_pretty(&serde_json::json!({
        "generated": "@generated by modelgen: fuzz",
        "migrations": {},
        "schema": schema,
    }))
    .unwrap()
}

fn load(spec: &Spec) -> Option<Schema> {
    modelgen_spec::load(&spec.yaml(), "fuzz.yaml").ok()
}

#[derive(Default)]
struct Stats {
    cases: usize,
    refused: usize,
    planned: usize,
    cli: usize,
}

fn run_case(a: &Spec, b: &Spec, edits: &[Edit], damage: &[Damage], stats: &mut Stats) -> Result<(), TestCaseError> {
    let (Some(old), Some(new)) = (load(a), load(b)) else {
        return Ok(());
    };
    stats.cases += 1;
    let mut tree: Value = serde_json::from_str(&snapshot_text(&old)).unwrap();
    for e in edits {
        let nodes = count(&tree);
        apply(&mut tree, e.at % nodes.max(1), &e.how, &mut 0);
    }
    let mut bytes = serde_json::to_string_pretty(&tree).unwrap().into_bytes();
    for d in damage {
        match *d {
            Damage::Flip(i, b) if !bytes.is_empty() => {
                let n = bytes.len();
                bytes[i % n] = b;
            }
            Damage::Cut(i) => bytes.truncate(i % (bytes.len() + 1)),
            _ => {}
        }
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let outcome = catch_unwind(AssertUnwindSafe(|| match modelgen_emit::parse_snapshot(&text) {
        Err(e) => {
            assert!(!e.message.is_empty(), "a refusal without a message");
            None
        }
        Ok(snapshot) => {
            for (from, to) in [(&snapshot.schema, &new), (&new, &snapshot.schema)] {
                let plan = modelgen_migrate::Plan::new(from, to);
                for d in Dialect::ALL {
                    plan.scripts(from, to, d);
                }
            }
            Some(())
        }
    }));
    match outcome {
        Ok(None) => stats.refused += 1,
        Ok(Some(())) => stats.planned += 1,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Err(TestCaseError::fail(format!(
                "reading or planning from this snapshot panicked: {message}\n{text}"
            )));
        }
    }
    if stats.cases.is_multiple_of(10) {
        stats.cli += 1;
        let p = Project::new();
        p.write(
            "models.yaml",
            format!(
                "output:\n  migrations: {{dialects: [sqlite, postgres, mysql]}}\n{}",
                b.yaml()
            ),
        );
        p.write("migrations/modelgen-schema.json", &bytes);
        let run = p.run(&["migrate", "--allow-destructive"]);
        let clean =
            (run.code == 0 || (run.code == 1 && run.stderr.contains("error"))) && !run.stderr.contains("panicked");
        if !clean {
            return Err(TestCaseError::fail(format!(
                "modelgen migrate on this snapshot: {run:?}\n{text}"
            )));
        }
    }
    Ok(())
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

#[test]
fn no_snapshot_makes_a_migration_panic() {
    let cases = env("MODELGEN_HISTORY_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as u32);
    let seed = env("MODELGEN_HISTORY_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let strategy = (
        gen::valid_spec(3),
        gen::valid_spec(3),
        prop::collection::vec(edit(), 0..5),
        prop::collection::vec(damage(), 0..2),
    );
    let stats = std::cell::RefCell::new(Stats::default());
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = runner.run(&strategy, |(a, b, edits, damage)| {
        run_case(&a, &b, &edits, &damage, &mut stats.borrow_mut())
    });
    std::panic::set_hook(hook);
    let stats = stats.into_inner();
    println!(
        "history fuzz: {cases} inputs (seed {seed}): {} snapshots, {} refused, {} planned on three dialects both ways, {} through `modelgen migrate`",
        stats.cases, stats.refused, stats.planned, stats.cli
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
