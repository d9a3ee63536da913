//! The generated queries on real databases, for random specs and random values: every
//! random valid spec (`gen.rs`, hostile names included) gets its Rust with sqlx and the
//! queries of the three dialects, and a check written for it (`queries_property/driver.rs`)
//! that, on SQLite, PostgreSQL and MariaDB, inserts rows of random values of every type
//! (edge cases first: empty and longest strings, unicode, extreme integers and floats,
//! decimals at their precision, dates at the limits, nested JSON, NULLs) and reads them
//! back equal, then checks that relation loading, lookups, patch, update, soft delete,
//! restore, delete and keyset pages return exactly the rows those inserts make expected.
//! All specs go into one scratch crate, whose tests run against the three databases.
//!
//! - `MODELGEN_QUERY_SPECS=N` checks N specs (default 6, what CI runs).
//! - `MODELGEN_QUERY_SEED=S` picks the random seed (default fixed).

#[path = "queries_property/driver.rs"]
mod driver;
#[path = "queries_property/values.rs"]
mod values;

use modelgen_testdb::{shared_mariadb, shared_postgres};
use modelgen_tests::gen;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::fmt::Write;
use std::time::Instant;

const DEFAULT_SPECS: u64 = 6;
const DEFAULT_SEED: u64 = 0x0071_7565_7279;

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

#[test]
fn generated_queries_round_trip_random_values_on_three_databases() {
    let started = Instant::now();
    let n = env("MODELGEN_QUERY_SPECS").unwrap_or(DEFAULT_SPECS) as usize;
    let seed = env("MODELGEN_QUERY_SEED").unwrap_or(DEFAULT_SEED);
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let strategy = gen::valid_spec(5);
    let krate = tempfile::tempdir().unwrap();
    let src = krate.path().join("src");
    let mut lib = String::from("//! Random specs' models and their checks.\n#![allow(dead_code, confusable_idents)]\n");
    let mut totals = driver::Counts::default();
    for i in 0..n {
        let yaml = strategy.new_tree(&mut runner).unwrap().current().yaml();
        let schema = modelgen_spec::load(&yaml, "valid.yaml")
            .unwrap_or_else(|d| panic!("generated spec {i} was rejected:\n{}\n{yaml}", d.render(false)));
        let module = format!("spec{i}");
        modelgen_tests::write_generated_rust(&src, &module, &schema, "valid.yaml").unwrap();
        std::fs::write(src.join(&module).join("spec.yaml"), &yaml).unwrap();
        let (check, counts) = driver::driver(i, &schema, seed ^ (i as u64).wrapping_mul(0x9e37_79b9));
        std::fs::write(src.join(format!("check{i}.rs")), check).unwrap();
        writeln!(lib, "pub mod {module};\npub mod check{i};").unwrap();
        totals.models += counts.models;
        totals.rows += counts.rows;
        totals.relations += counts.relations;
    }
    lib.push_str(&runner_module(n));
    std::fs::write(src.join("lib.rs"), lib).unwrap();

    let mut env = Vec::new();
    if let Some(pg) = shared_postgres() {
        for i in 0..n {
            let db = format!("qp_{i}");
            let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS {db};"));
            pg.create_database(&db);
        }
        env.push(("MODELGEN_QP_POSTGRES", pg.url("qp_{i}")));
    }
    if let Some(m) = shared_mariadb() {
        for i in 0..n {
            let db = format!("qp_{i}");
            let _ = m.exec("", &format!("DROP DATABASE IF EXISTS {db};"));
            m.create_database(&db);
        }
        env.push(("MODELGEN_QP_MARIADB", m.url("qp_{i}")));
    }
    let databases = 1 + env.len();
    match modelgen_tests::run_scratch_tests(krate.path(), &env) {
        Ok(stdout) => {
            for line in stdout.lines().filter_map(|l| l.split_once("queries property")) {
                println!("queries property{}", line.1);
            }
            println!(
                "queries property: {n} specs ({} models, {} rows, {} relations) × {databases} databases in {:.1?} (seed {seed})",
                totals.models,
                totals.rows,
                totals.relations,
                started.elapsed()
            );
        }
        Err(out) => {
            let kept = krate.keep();
            panic!(
                "the generated queries failed a check (crate kept at {}; each spec{{i}}/spec.yaml is beside its code):\n{out}",
                kept.display()
            );
        }
    }
}

/// The scratch crate's tests: each spec on a fresh database of each kind, with foreign-key
/// checks off so rows go in whatever the order of the models, and sessions in a time zone
/// far from UTC, which must not shift any value.
fn runner_module(n: usize) -> String {
    let mut out = String::from(
        "\n#[cfg(test)]\nmod run {\n    use sqlx::Connection;\n    use std::str::FromStr;\n\n    fn url(var: &str, i: usize) -> Option<String> {\n        std::env::var(var).ok().map(|u| u.replace(\"{i}\", &i.to_string()))\n    }\n",
    );
    let mut sqlite = String::new();
    let mut postgres = String::new();
    let mut mysql = String::new();
    for i in 0..n {
        writeln!(
            sqlite,
            "        {{\n        let options = sqlx::sqlite::SqliteConnectOptions::from_str(\"sqlite::memory:\").unwrap().foreign_keys(false);\n        let mut conn = sqlx::SqliteConnection::connect_with(&options).await.unwrap();\n        sqlx::raw_sql(crate::check{i}::CREATE_SQLITE).execute(&mut conn).await.unwrap();\n        sqlx::raw_sql(\"PRAGMA foreign_keys = OFF\").execute(&mut conn).await.unwrap();\n        checks += crate::check{i}::sqlite(&mut conn).await;\n        }}"
        )
        .unwrap();
        writeln!(
            postgres,
            "        {{\n        let mut conn = sqlx::PgConnection::connect(&url(\"MODELGEN_QP_POSTGRES\", {i}).unwrap()).await.unwrap();\n        sqlx::raw_sql(crate::check{i}::CREATE_POSTGRES).execute(&mut conn).await.unwrap();\n        sqlx::raw_sql(\"SET session_replication_role = replica; SET TIME ZONE 'Pacific/Chatham'\").execute(&mut conn).await.unwrap();\n        checks += crate::check{i}::postgres(&mut conn).await;\n        }}"
        )
        .unwrap();
        writeln!(
            mysql,
            "        {{\n        let mut conn = sqlx::MySqlConnection::connect(&url(\"MODELGEN_QP_MARIADB\", {i}).unwrap()).await.unwrap();\n        sqlx::raw_sql(crate::check{i}::CREATE_MYSQL).execute(&mut conn).await.unwrap();\n        sqlx::raw_sql(\"SET FOREIGN_KEY_CHECKS = 0; SET time_zone = '+05:30'\").execute(&mut conn).await.unwrap();\n        checks += crate::check{i}::mysql(&mut conn).await;\n        }}"
        )
        .unwrap();
    }
    for (name, var, body) in [
        ("sqlite", None, sqlite),
        ("postgres", Some("MODELGEN_QP_POSTGRES"), postgres),
        ("mariadb", Some("MODELGEN_QP_MARIADB"), mysql),
    ] {
        let guard = match var {
            Some(var) => format!("        if std::env::var(\"{var}\").is_err() {{\n            return;\n        }}\n"),
            None => String::new(),
        };
        writeln!(
            out,
            "\n    #[tokio::test(flavor = \"current_thread\")]\n    async fn {name}() {{\n{guard}        let mut checks = 0usize;\n{body}        println!(\"queries property: {name}: {n} specs, {{checks}} comparisons\");\n    }}"
        )
        .unwrap();
    }
    out.push_str("}\n");
    out
}
