//! A property test of migrations: pairs of schemas (a base spec generated from a seed, and
//! the same spec after 1–3 random edits), each migrated on SQLite, PostgreSQL and MariaDB
//! with rows in every table: up, down, and up again. After every step the database's
//! catalog must be what the IR says; after the first up, every value of a column the
//! edits kept or renamed must still be there.
//!
//! - `MODELGEN_MIGRATION_PAIRS=N` runs N pairs per database (default 30, what CI runs).
//! - `MODELGEN_MIGRATION_SEED=S` runs only pair S, as a failure report prints it.
//!
//! The generator writes specs (YAML) and loads them through `modelgen_spec`, so renames are
//! declared the way users declare them (`renamed_from`). Row values are chosen so every
//! edit is valid for the data: three rows per table, each column's values distinct across
//! rows, integers in 1..=3 (so an integer column can become a foreign key to a table whose
//! ids are 1..=3), strings of at most 8 characters (so narrowing never truncates).
//!
//! Besides single changes, edits swap two columns' names, chain renames, rename a column
//! onto one the same migration drops, rename a column or a table and reuse its old name at
//! once, move or extend a primary key, turn autoincrement off, switch how PostgreSQL
//! numbers a key (identity, SERIAL, a sequence of its own, renamed; after up, down and
//! up again a row inserted without its key must get a fresh one), add, drop and change CHECK
//! constraints (and `bool(check)`'s) that the rows keep, which follow renamed columns, add,
//! drop and change partial and expression indexes (on SQLite and PostgreSQL, the
//! databases that build them; such a pair is not run on MariaDB), add, drop and change
//! composite foreign keys over rows that point at their targets —
//! and make a column unique over rows that repeat it or add a check every row breaks,
//! migrations that must fail and change nothing, catalog and rows, on every database
//! (MySQL through its preflight).
//!
//! What the property forgives, on purpose:
//! - column order ([`in_schema_order`]): `ADD COLUMN` appends, and PostgreSQL cannot do
//!   otherwise;
//! - the values of a column whose type changed, unless they read back as the same text
//!   (`str` wider or narrower, `str` → `text`, `int` ↔ `bigint`, decimal digits);
//! - cells that were NULL in a column made NOT NULL (they hold the fill value).
//!
//! Edits the generator does not make, because no migration can pass them (each explained
//! where it is left out): dropping a unique or a NOT NULL foreign-key column, or a table
//! referenced by a NOT NULL column, since the down migration cannot bring their values
//! back; and two spellings `tests/catalog.rs` does not expect (a literal default on
//! `datetime(tz)`, a UUID default of only digits, two unnamed UNIQUEs on one first column).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use modelgen_ir::{Dialect, Generator, Schema};
use modelgen_migrate::{Plan, Script};
use modelgen_sql::SqlDialect;
use modelgen_tests::db::{assert_catalog, Conn};
use modelgen_tests::fits;

const DEFAULT_PAIRS: u64 = 30;
const ROWS: usize = 3;

#[path = "migrations_property/comments.rs"]
mod comments;
#[path = "migrations_property/composite.rs"]
mod composite;
#[path = "migrations_property/constraints.rs"]
mod constraints;
#[path = "migrations_property/domains.rs"]
mod domains;
#[path = "migrations_property/edits.rs"]
mod edits;
#[path = "migrations_property/names.rs"]
mod names;
#[path = "migrations_property/partial.rs"]
mod partial;
#[path = "migrations_property/rows.rs"]
mod rows;
#[path = "migrations_property/spec.rs"]
mod spec;
#[path = "migrations_property/types.rs"]
mod types;

use edits::*;
use rows::*;
use spec::*;
use types::*;

// ---------------------------------------------------------------------------------------
// One pair.

struct Case {
    seed: u64,
    a_spec: Spec,
    b_spec: Spec,
    a_yaml: String,
    b_yaml: String,
    a: Schema,
    b: Schema,
    plan: Plan,
    edits: Vec<(Kind, String)>,
}

fn load(yaml: &str, what: &str, seed: u64, edits: &[(Kind, String)]) -> Schema {
    modelgen_spec::load(yaml, "models.yaml").unwrap_or_else(|d| {
        panic!(
            "seed {seed}: the generator wrote an invalid {what} spec:\n{}\nedits: {edits:?}\n{yaml}",
            d.render(false)
        )
    })
}

impl Case {
    fn new(seed: u64) -> Case {
        let mut rng = Rng::new(seed);
        // Each pair starts where the previous one stopped in the list of kinds, so a run
        // of 30 pairs (about 60 edits) covers every kind; a kind that fits nowhere in the
        // spec passes its turn to the next one.
        let start: usize = (0..seed).map(edit_count).sum();
        let wanted: Vec<Kind> = (0..edit_count(seed))
            .map(|j| KINDS[(start + j) % KINDS.len()])
            .collect();
        let a_spec = base_spec(&mut rng, &wanted);
        let mut b_spec = a_spec.clone();
        let mut edits = Vec::new();
        for j in 0..edit_count(seed) {
            for k in 0..KINDS.len() {
                let kind = KINDS[(start + j + k) % KINDS.len()];
                if let Some(what) = apply(&mut b_spec, kind, &mut rng) {
                    edits.push((kind, what));
                    break;
                }
            }
        }
        let a_yaml = a_spec.yaml();
        let b_yaml = b_spec.yaml();
        let a = load(&a_yaml, "base", seed, &[]);
        let b = load(&b_yaml, "edited", seed, &edits);
        let plan = Plan::new(&a, &b);
        Case {
            seed,
            a_spec,
            b_spec,
            a_yaml,
            b_yaml,
            a,
            b,
            plan,
            edits,
        }
    }

    fn report(&self, d: Dialect, error: &str) -> String {
        let (up, down) = check(|| self.plan.scripts(&self.a, &self.b, d)).unwrap_or_else(|e| {
            let none = Script {
                sql: format!("(rendering panicked: {e})"),
                no_transaction: false,
            };
            (none.clone(), none)
        });
        let edits: Vec<&str> = self.edits.iter().map(|(_, w)| w.as_str()).collect();
        let ops: Vec<String> = self.plan.up.iter().map(|op| format!("  {}", op.describe())).collect();
        format!(
            "=== pair {seed} on {dialect} failed ===\n{error}\n\
             reproduce: MODELGEN_MIGRATION_SEED={seed} cargo test -p modelgen-tests --test migrations_property\n\
             edits: {edits}\nplan (up):\n{ops}\ndestructive: {destructive:?}\n\
             --- A (models.yaml) ---\n{a}--- B (models.yaml) ---\n{b}\
             --- up ({dialect}{up_nt}) ---\n{up_sql}\n--- down ({dialect}{down_nt}) ---\n{down_sql}\n",
            seed = self.seed,
            dialect = d.name(),
            edits = edits.join("; "),
            ops = ops.join("\n"),
            destructive = self.plan.destructive,
            a = self.a_yaml,
            b = self.b_yaml,
            up_nt = if up.no_transaction { ", no transaction" } else { "" },
            up_sql = up.sql,
            down_nt = if down.no_transaction { ", no transaction" } else { "" },
            down_sql = down.sql,
        )
    }
}

// ---------------------------------------------------------------------------------------
// Databases.

thread_local! {
    /// Set while [`check`] runs, so the panic hook keeps quiet about panics it reports.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic (a catalog that differs, or the planner itself) into an error.
fn check<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

/// Panics inside [`check`] are reported with the pair; others print as usual.
fn quiet_panics_in_checks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                default(info);
            }
        }));
    });
}

#[derive(Default)]
struct Stats {
    pairs: usize,
    rows: usize,
    values: usize,
    rows_lost: usize,
    /// Rows inserted without their key after up, down and up again, each given a fresh one.
    fresh_keys: usize,
    /// Pairs whose migration had to fail on their rows, and did, changing nothing.
    failed_as_expected: usize,
    /// Pairs with an index the database cannot build (a partial or expression index on
    /// MariaDB), which the front ends refuse there: not run.
    skipped: usize,
    failures: Vec<(u64, String)>,
}

/// Up, down and up again on one fresh database, with the checks.
fn run_pair(case: &Case, conn: &Conn, stats: &mut Stats) -> Result<(), String> {
    let d = conn.dialect();
    conn.batch(&modelgen_sql::create_script(&case.a, d))
        .map_err(|e| format!("creating A: {e}"))?;
    check(|| assert_catalog(conn, &case.a, "A as created"))?;
    conn.batch(&inserts(&case.a_spec, d, case.b_spec.repeat.as_ref()))
        .map_err(|e| format!("inserting rows into A: {e}"))?;
    advance_sequences(conn, &case.a)?;
    let (up, down) =
        check(|| case.plan.scripts(&case.a, &case.b, d)).map_err(|e| format!("rendering the scripts panicked: {e}"))?;
    if case.b_spec.must_fail() {
        return fails_and_changes_nothing(case, conn, &up, stats);
    }
    // SQLite keeps no comments: a pair that only edits them migrates nothing there.
    if d == Dialect::Sqlite && case.edits.iter().all(|(k, _)| comments::is_comment(*k)) {
        for script in [&up, &down] {
            if script.sql != "BEGIN;\nCOMMIT;\n" {
                return Err(format!("comments alone changed SQLite:\n{}", script.sql));
            }
        }
    }
    let kept = kept(&case.a_spec, &case.b_spec, d);
    let mut before = Vec::new();
    for k in &kept {
        before.push(conn.rows(&k.before).map_err(|e| format!("reading {}: {e}", k.before))?);
    }

    conn.migrate(&up.sql, up.no_transaction)
        .map_err(|e| format!("up failed: {e}"))?;
    check(|| assert_catalog(conn, &case.b, "after up"))?;
    stats.fresh_keys += insert_fresh_keys(conn, &case.b).map_err(|e| format!("after up: {e}"))?;

    let mut lost = Vec::new();
    for (k, before) in kept.iter().zip(&before) {
        let after = conn.rows(&k.after).map_err(|e| format!("reading {}: {e}", k.after))?;
        stats.rows += before.len();
        if after.len() != before.len() {
            stats.rows_lost += before.len().saturating_sub(after.len());
            lost.push(format!(
                "{}: {} rows before, {} after\n  before: {before:?}\n  after:  {after:?}",
                k.what,
                before.len(),
                after.len()
            ));
            continue;
        }
        for (b, a) in before.iter().zip(&after) {
            let mut same = b.len() == a.len();
            for (i, (bv, av)) in b.iter().zip(a).enumerate() {
                stats.values += 1;
                let filled = k.filled[i] && bv.is_none();
                same &= filled || bv == av;
            }
            if !same {
                stats.rows_lost += 1;
                lost.push(format!("{}:\n  before: {b:?}\n  after:  {a:?}", k.what));
            }
        }
    }
    if !lost.is_empty() {
        return Err(format!("values changed by the up migration:\n{}", lost.join("\n")));
    }

    conn.migrate(&down.sql, down.no_transaction)
        .map_err(|e| format!("down failed: {e}"))?;
    check(|| assert_catalog(conn, &case.a, "after down"))?;
    stats.fresh_keys += insert_fresh_keys(conn, &case.a).map_err(|e| format!("after down: {e}"))?;
    conn.migrate(&up.sql, up.no_transaction)
        .map_err(|e| format!("up again failed: {e}"))?;
    check(|| assert_catalog(conn, &case.b, "after up again"))?;
    stats.fresh_keys += insert_fresh_keys(conn, &case.b).map_err(|e| format!("after up again: {e}"))?;
    Ok(())
}

/// A pair whose edited spec makes a column unique over rows that repeat it, or adds a
/// check every row breaks: the up
/// migration must fail, and leave catalog and rows as they were (MySQL too: its
/// preflight stops it before any DDL).
fn fails_and_changes_nothing(case: &Case, conn: &Conn, up: &Script, stats: &mut Stats) -> Result<(), String> {
    let rows = kept(&case.a_spec, &case.a_spec, conn.dialect());
    let read = |conn: &Conn| -> Result<Vec<_>, String> { rows.iter().map(|k| conn.rows(&k.before)).collect() };
    let before = read(conn)?;
    if conn.migrate(&up.sql, up.no_transaction).is_ok() {
        return Err("up passed over rows that repeat a new unique column or break a new check".into());
    }
    if let Conn::Sqlite(c) = conn {
        // What closing the connection does: the failed script's transaction is undone.
        let _ = c.execute_batch("ROLLBACK;");
    }
    check(|| assert_catalog(conn, &case.a, "after the failed up"))?;
    if read(conn)? != before {
        return Err("the failed up changed rows".into());
    }
    stats.failed_as_expected += 1;
    Ok(())
}

fn run_database(d: Dialect, cases: &[Case]) -> Option<Stats> {
    let mut stats = Stats::default();
    for case in cases {
        if !(fits(&case.a, d) && fits(&case.b, d)) {
            stats.skipped += 1;
            continue;
        }
        let conn = Conn::fresh(d, &format!("mprop_{}", case.seed))?;
        stats.pairs += 1;
        match run_pair(case, &conn, &mut stats) {
            Ok(()) => conn.drop_database(),
            // A failed pair's database stays for a look while the server lives.
            Err(e) => stats.failures.push((case.seed, case.report(d, &e))),
        }
    }
    Some(stats)
}

#[test]
fn migrations_between_random_schema_pairs_keep_the_catalog_and_the_rows() {
    let env = |name: &str| {
        std::env::var(name).ok().map(|v| {
            v.parse::<u64>()
                .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
        })
    };
    let seeds: Vec<u64> = match env("MODELGEN_MIGRATION_SEED") {
        Some(seed) => vec![seed],
        None => (0..env("MODELGEN_MIGRATION_PAIRS").unwrap_or(DEFAULT_PAIRS)).collect(),
    };
    quiet_panics_in_checks();
    let started = Instant::now();
    let cases: Vec<Case> = seeds.iter().map(|&s| Case::new(s)).collect();
    let kinds: BTreeSet<Kind> = cases.iter().flat_map(|c| c.edits.iter().map(|(k, _)| *k)).collect();
    let edits: usize = cases.iter().map(|c| c.edits.len()).sum();
    let destructive = cases.iter().filter(|c| !c.plan.destructive.is_empty()).count();

    let results: Vec<(Dialect, Option<Stats>)> = std::thread::scope(|s| {
        let handles: Vec<_> = Dialect::ALL
            .into_iter()
            .map(|d| {
                let cases = &cases;
                (d, s.spawn(move || run_database(d, cases)))
            })
            .collect();
        handles
            .into_iter()
            .map(|(d, h)| (d, h.join().expect("a database thread panicked")))
            .collect()
    });

    let ran: Vec<&(Dialect, Option<Stats>)> = results.iter().filter(|(_, s)| s.is_some()).collect();
    let total = |f: fn(&Stats) -> usize| ran.iter().map(|(_, s)| f(s.as_ref().unwrap())).sum::<usize>();
    let failures: Vec<&(u64, String)> = ran.iter().flat_map(|(_, s)| &s.as_ref().unwrap().failures).collect();
    let names: Vec<&str> = ran.iter().map(|(d, _)| d.name()).collect();
    println!(
        "migrations property: {} pairs × {} databases ({}), {edits} edits of {} kinds ({destructive} pairs destructive), \
         {} rows and {} values checked, {} rows lost, {} rows inserted without their key given a fresh one, {} migrations failed on their rows as they must and changed nothing, \
         {} pairs not run where they cannot be built (partial or expression indexes on MariaDB), {} pairs failed, in {:.1?}",
        seeds.len(),
        ran.len(),
        names.join(", "),
        kinds.len(),
        total(|s| s.rows),
        total(|s| s.values),
        total(|s| s.rows_lost),
        total(|s| s.fresh_keys),
        total(|s| s.failed_as_expected),
        total(|s| s.skipped),
        failures.len(),
        started.elapsed()
    );
    let mut by_kind: std::collections::BTreeMap<Kind, usize> = std::collections::BTreeMap::new();
    for (kind, _) in cases.iter().flat_map(|c| &c.edits) {
        *by_kind.entry(*kind).or_default() += 1;
    }
    println!("migrations property: edits by kind: {by_kind:?}");
    let missing: Vec<Kind> = KINDS.into_iter().filter(|k| !kinds.contains(k)).collect();
    if !missing.is_empty() {
        println!("migrations property: kinds not drawn in this run: {missing:?}");
    }
    if seeds.len() as u64 >= DEFAULT_PAIRS {
        assert!(
            kinds.len() >= 30,
            "only {} edit kinds were drawn; the generator lost coverage",
            kinds.len()
        );
    }
    if !failures.is_empty() {
        // One line for each, then the first few in full.
        let lines: Vec<String> = failures
            .iter()
            .map(|(_, r)| r.lines().take(2).collect::<Vec<_>>().join(" "))
            .collect();
        let shown: Vec<&str> = failures.iter().take(10).map(|(_, r)| r.as_str()).collect();
        let seeds: BTreeSet<u64> = failures.iter().map(|(s, _)| *s).collect();
        panic!(
            "{} migration pairs failed (seeds {seeds:?}):\n{}\n\n{}",
            failures.len(),
            lines.join("\n"),
            shown.join("\n")
        );
    }
}
