//! Names modelgen derives must not collide in a database: random specs built from a small
//! alphabet of name parts chosen to collide (`a_b` + `c` and `a` + `b_c` give one SQLite
//! trigger, `x` + `y_set_z` and `x_set_y` + `z` one PostgreSQL function, cycles through
//! `q`/`r_s` and `q_r`/`s` one MySQL foreign key, indexes named `a_pkey`, `PRIMARY`,
//! `modelgen_…`, `sqlite_…`, names differing in case) are either refused with an error
//! located in the spec, or build on real SQLite, PostgreSQL and MariaDB exactly the
//! catalog of the IR — one PostgreSQL function per `on_update` column, none replaced — and
//! drop cleanly.
//!
//! - `MODELGEN_NAMES_CASES=N` runs N specs (default 60, what CI runs).
//! - `MODELGEN_NAMES_SEED=S` picks the random seed (default fixed).

use std::fmt::Write;

use modelgen_ir::{Dialect, Schema};
use modelgen_tests::db::{assert_catalog, Conn};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};

const TABLES: &[&str] = &[
    "a",
    "a_b",
    "A_b",
    "b",
    "x",
    "x_set_y",
    "q",
    "q_r",
    "a_pkey",
    "a_b_c_on_update",
    "sqlite_t",
    "modelgen_t",
];
const COLUMNS: &[&str] = &[
    "b_c",
    "c",
    "b",
    "y_set_z",
    "z",
    "r_s",
    "s",
    "pkey",
    "id_seq",
    "modelgen_c",
    "sqlite_c",
];
const INDEXES: &[&str] = &[
    "a_b_c_on_update",
    "a_pkey",
    "A_PKEY",
    "a_b",
    "ix_a_b",
    "x_set_y_set_z",
    "fk_q_r_s",
    "PRIMARY",
    "c",
    "b_c",
    "a_id_seq",
    "sqlite_i",
    "modelgen_i",
];

#[derive(Debug, Clone)]
enum Kind {
    Plain,
    Unique,
    OnUpdate,
    /// A foreign key to the `n`th model (modulo their number).
    References(usize),
}

#[derive(Debug, Clone)]
struct DraftModel {
    table: usize,
    autoincrement: bool,
    fields: Vec<(usize, Kind)>,
    /// Index name, and the field it covers (`id` when the model has none).
    indexes: Vec<(usize, usize)>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        1 => Just(Kind::Plain),
        1 => Just(Kind::Unique),
        2 => Just(Kind::OnUpdate),
        2 => (0..4usize).prop_map(Kind::References),
    ]
}

fn model() -> impl Strategy<Value = DraftModel> {
    (
        0..TABLES.len(),
        any::<bool>(),
        prop::collection::vec((0..COLUMNS.len(), kind()), 0..4),
        prop::collection::vec((0..INDEXES.len(), 0..4usize), 0..3),
    )
        .prop_map(|(table, autoincrement, fields, indexes)| DraftModel {
            table,
            autoincrement,
            fields,
            indexes,
        })
}

/// The spec's YAML: models `M0`, `M1`, … with the drawn tables, fields and indexes (a
/// field name drawn twice for one model is written once).
fn yaml(models: &[DraftModel]) -> String {
    let mut out = String::from("models:\n");
    for (i, m) in models.iter().enumerate() {
        let _ = writeln!(out, "  M{i}:\n    table: {}\n    fields:", TABLES[m.table]);
        let auto = if m.autoincrement { " autoincrement" } else { "" };
        let _ = writeln!(out, "      id: int pk{auto}");
        let mut columns: Vec<&str> = Vec::new();
        for (column, kind) in &m.fields {
            let name = COLUMNS[*column];
            if columns.contains(&name) {
                continue;
            }
            columns.push(name);
            let ty = match kind {
                Kind::Plain => "int?".to_owned(),
                Kind::Unique => "int? unique".to_owned(),
                Kind::OnUpdate => "{type: datetime?, on_update: now}".to_owned(),
                Kind::References(n) => {
                    let target = &models[n % models.len()];
                    format!(
                        "{{type: int?, foreign_key: {{references: {}.id}}}}",
                        TABLES[target.table]
                    )
                }
            };
            let _ = writeln!(out, "      {name}: {ty}");
        }
        if !m.indexes.is_empty() {
            out.push_str("    indexes:\n");
            for (name, column) in &m.indexes {
                let column = columns.get(column % (columns.len() + 1)).copied().unwrap_or("id");
                let _ = writeln!(out, "      - {{name: {}, columns: [{column}]}}", INDEXES[*name]);
            }
        }
    }
    out
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

/// Builds `schema` on a fresh database of each dialect and drops it again.
fn builds_everywhere(schema: &Schema, case: usize) -> Result<(), String> {
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, &format!("names_{case}")) else {
            continue;
        };
        let create = modelgen_sql::create_script(schema, d);
        conn.batch(&create)
            .map_err(|e| format!("{d:?} create: {e}\n{create}"))?;
        assert_catalog(&conn, schema, &format!("names_{case} on {d:?}"));
        if d == Dialect::Postgres {
            // `CREATE OR REPLACE FUNCTION` would hide a clash: count them.
            let expected: usize = schema
                .models
                .iter()
                .map(|m| m.columns.iter().filter(|c| c.on_update.is_some()).count())
                .sum();
            let rows = conn.rows(
                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'",
            )?;
            let found = rows[0][0].clone().unwrap_or_default();
            if found != expected.to_string() {
                return Err(format!(
                    "{found} trigger functions for {expected} on_update columns\n{create}"
                ));
            }
        }
        conn.batch(&modelgen_sql::drop_script(schema, d))
            .map_err(|e| format!("{d:?} drop: {e}"))?;
        conn.drop_database();
    }
    Ok(())
}

#[test]
fn derived_names_are_refused_where_they_collide_and_build_everywhere_otherwise() {
    let cases = env("MODELGEN_NAMES_CASES").unwrap_or(60) as usize;
    let seed = env("MODELGEN_NAMES_SEED").unwrap_or(0x6e61_6d65);
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let strategy = prop::collection::vec(model(), 1..5);
    let (mut accepted, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for case in 0..cases {
        let spec = yaml(&strategy.new_tree(&mut runner).unwrap().current());
        match modelgen_spec::load(&spec, "names.yaml") {
            Err(d) => {
                refused += 1;
                let report = d.render(false);
                let errors = report.matches("error[").count();
                let located = report
                    .lines()
                    .filter(|l| l.trim_start().starts_with("--> names.yaml:"))
                    .count();
                if errors == 0 || errors != located {
                    failures.push(format!("case {case}: an error without a place\n{report}\n{spec}"));
                }
            }
            Ok(schema) => {
                accepted += 1;
                if let Err(e) = builds_everywhere(&schema, case) {
                    failures.push(format!("case {case}: accepted, but {e}\n--- spec ---\n{spec}"));
                }
            }
        }
    }
    eprintln!("{cases} specs (seed {seed}): {accepted} accepted and built on every database, {refused} refused");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Both sides of the property must be exercised, or the alphabet needs work.
    assert!(
        accepted > cases / 10 && refused > cases / 10,
        "{accepted} accepted, {refused} refused"
    );
}
