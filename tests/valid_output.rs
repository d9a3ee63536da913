//! What modelgen generates is valid for any spec it accepts: random valid specs (from
//! `gen.rs`, with names from a hostile corpus: SQL reserved words, Rust keywords, unicode,
//! names past the PostgreSQL and MySQL length limits, names differing only by case) must
//! be accepted; their Rust must compile and pass clippy with `-D warnings` (all specs in
//! one scratch crate, one module each); their SQL must apply on SQLite, PostgreSQL and
//! MariaDB with the catalog read back equal to the IR, and the drop script must leave
//! nothing behind; their SQLAlchemy module's `create_all` must build the same schema on
//! the three databases. Docs and defaults come from a corpus of hostile text too
//! (quotes, `%`, `$$`, comment delimiters, line breaks, right-to-left scripts). Names that
//! cannot be made safe are refused with a clear error.
//!
//! - `MODELGEN_VALID_SPECS=N` checks N specs (default 40, what CI runs).
//! - `MODELGEN_VALID_SEED=S` picks the random seed (default fixed).

use std::time::Instant;

use modelgen_ir::{Dialect, Schema};
use modelgen_spec::ErrorKind;
use modelgen_testdb::{rusqlite, shared_mariadb, shared_postgres, sqlite_catalog};
use modelgen_tests::{catalog, gen};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};

const DEFAULT_SPECS: u64 = 40;
const DEFAULT_SEED: u64 = 0x0076_616c_6964;

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

/// The specs of this run, as YAML, each with the schema it lowers to.
fn specs() -> Vec<(String, Schema)> {
    let n = env("MODELGEN_VALID_SPECS").unwrap_or(DEFAULT_SPECS);
    let seed = env("MODELGEN_VALID_SEED").unwrap_or(DEFAULT_SEED);
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let strategy = gen::valid_spec(5);
    (0..n)
        .map(|i| {
            let yaml = strategy.new_tree(&mut runner).unwrap().current().yaml();
            match modelgen_spec::load(&yaml, "valid.yaml") {
                Ok(schema) => (yaml, schema),
                Err(d) => panic!(
                    "generated spec {i} (seed {seed}) was rejected:\n{}\n--- spec ---\n{yaml}",
                    d.render(false)
                ),
            }
        })
        .collect()
}

#[test]
fn generated_specs_are_accepted_and_their_rust_compiles_cleanly() {
    let started = Instant::now();
    let specs = specs();
    let krate = tempfile::tempdir().unwrap();
    let src = krate.path().join("src");
    // `confusable_idents` compares every name in the crate, here across unrelated specs
    // that a user would never build together (`i` in one, `ı` in another).
    let mut lib =
        String::from("//! Generated models of random valid specs.\n#![allow(dead_code, confusable_idents)]\n");
    for (i, (yaml, schema)) in specs.iter().enumerate() {
        let module = format!("spec{i}");
        modelgen_tests::write_generated_rust(&src, &module, schema, "valid.yaml")
            .unwrap_or_else(|e| panic!("spec {i} failed to generate: {e}\n--- spec ---\n{yaml}"));
        std::fs::write(src.join(&module).join("spec.yaml"), yaml).unwrap();
        lib.push_str(&format!("pub mod {module};\n"));
    }
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let out = modelgen_tests::clippy_scratch_crate(krate.path());
    let models: usize = specs.iter().map(|(_, s)| s.models.len()).sum();
    println!(
        "valid output, Rust: {} specs ({models} models) generated and checked by clippy in {:.1?}",
        specs.len(),
        started.elapsed()
    );
    if let Err(stderr) = out {
        // Keep the crate for a look; the error names the module, whose spec.yaml is beside it.
        let kept = krate.keep();
        panic!(
            "generated code does not build cleanly (crate kept at {}):\n{stderr}",
            kept.display()
        );
    }
}

/// Applies every spec's create script, compares the catalog with the IR, applies the drop
/// script and checks nothing is left. Returns the failures.
fn check_database(dialect: Dialect, specs: &[(String, Schema)]) -> Option<Vec<String>> {
    let pg = if dialect == Dialect::Postgres {
        Some(shared_postgres()?)
    } else {
        None
    };
    let maria = if dialect == Dialect::Mysql {
        Some(shared_mariadb()?)
    } else {
        None
    };
    let mut failures = Vec::new();
    for (i, (yaml, schema)) in specs.iter().enumerate() {
        let create = modelgen_sql::create_script(schema, dialect);
        let drop = modelgen_sql::drop_script(schema, dialect);
        let db = format!("valid_{i}");
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<(), String> {
            match dialect {
                Dialect::Sqlite => {
                    let conn = rusqlite::Connection::open_in_memory().unwrap();
                    conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
                    conn.execute_batch(&create).map_err(|e| format!("create: {e}"))?;
                    catalog::assert_matches(sqlite_catalog(&conn), schema, dialect, &db);
                    conn.execute_batch(&drop).map_err(|e| format!("drop: {e}"))?;
                    let left = sqlite_catalog(&conn);
                    if !left.tables.is_empty() {
                        return Err(format!("the drop script left {left:?}"));
                    }
                }
                Dialect::Postgres => {
                    let pg = pg.unwrap();
                    pg.create_database(&db);
                    pg.exec(&db, &create).map_err(|e| format!("create: {e}"))?;
                    catalog::assert_matches(pg.catalog(&db), schema, dialect, &db);
                    pg.exec(&db, &drop).map_err(|e| format!("drop: {e}"))?;
                    let left = pg.catalog(&db);
                    if !left.tables.is_empty() || !left.triggers.is_empty() {
                        return Err(format!("the drop script left {left:?}"));
                    }
                    let functions = pg
                        .exec(
                            &db,
                            "\\pset format unaligned\n\\pset tuples_only on\nSELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public';",
                        )
                        .map_err(|e| format!("counting functions: {e}"))?;
                    if functions.trim() != "0" {
                        return Err(format!("the drop script left {} functions", functions.trim()));
                    }
                    let _ = pg.exec("postgres", &format!("DROP DATABASE \"{db}\";"));
                }
                Dialect::Mysql => {
                    let m = maria.unwrap();
                    m.create_database(&db);
                    m.exec(&db, &create).map_err(|e| format!("create: {e}"))?;
                    catalog::assert_matches(m.catalog(&db), schema, dialect, &db);
                    m.exec(&db, &drop).map_err(|e| format!("drop: {e}"))?;
                    let left = m.catalog(&db);
                    if !left.tables.is_empty() || !left.triggers.is_empty() {
                        return Err(format!("the drop script left {left:?}"));
                    }
                    let _ = m.exec("", &format!("DROP DATABASE `{db}`;"));
                }
            }
            Ok(())
        }));
        let error = match result {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(panic) => panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        };
        failures.push(format!(
            "spec {i} on {}: {error}\n--- spec ---\n{yaml}\n--- create ---\n{create}",
            dialect.name()
        ));
    }
    Some(failures)
}

#[test]
fn generated_specs_build_exactly_their_schema_on_every_database_and_drop_it() {
    let started = Instant::now();
    let specs = specs();
    let results: Vec<(Dialect, Option<Vec<String>>)> = std::thread::scope(|s| {
        let handles: Vec<_> = Dialect::ALL
            .into_iter()
            .map(|d| {
                let specs = &specs;
                (d, s.spawn(move || check_database(d, specs)))
            })
            .collect();
        handles
            .into_iter()
            .map(|(d, h)| (d, h.join().expect("a database thread panicked")))
            .collect()
    });
    let ran: Vec<&str> = results
        .iter()
        .filter(|(_, r)| r.is_some())
        .map(|(d, _)| d.name())
        .collect();
    let failures: Vec<&String> = results.iter().filter_map(|(_, r)| r.as_ref()).flatten().collect();
    let tables: usize = specs.iter().map(|(_, s)| s.models.len()).sum();
    println!(
        "valid output, SQL: {} specs ({tables} tables) on {} ({}), {} failed, in {:.1?}",
        specs.len(),
        ran.len(),
        ran.join(", "),
        failures.len(),
        started.elapsed()
    );
    if !failures.is_empty() {
        // One line for each (its first words and first differing lines), then a few in full.
        let lines: Vec<String> = failures
            .iter()
            .map(|f| {
                let error = f.split("\n--- spec ---").next().unwrap_or_default();
                let words: Vec<&str> = error
                    .lines()
                    .filter(|l| !l.starts_with("---") && !l.starts_with("table ") && !l.starts_with("@@"))
                    .filter(|l| !l.starts_with(' ') || l.contains("ERROR"))
                    .map(str::trim)
                    .collect();
                let line = words.join(" | ");
                line.chars().take(300).collect::<String>()
            })
            .collect();
        let shown: Vec<&str> = failures.iter().take(5).map(|s| s.as_str()).collect();
        panic!(
            "{} spec/database pairs failed:\n{}\n\n{}",
            failures.len(),
            lines.join("\n"),
            shown.join("\n\n")
        );
    }
}

/// Every place a spec names something, with `{}` where the name goes, and the diagnostic
/// path of that name.
const NAME_SLOTS: &[(&str, &str)] = &[
    ("models:\n  {}:\n    fields: {id: int pk}\n", "model"),
    ("models:\n  M:\n    table: {}\n    fields: {id: int pk}\n", "table"),
    ("models:\n  M:\n    fields: {id: int pk, {}: int}\n", "field"),
    ("models:\n  M:\n    fields: {id: int pk}\n    indexes: [{name: {}, columns: [id]}]\n", "index"),
    ("models:\n  M:\n    fields: {id: int pk}\n    uniques: [{name: {}, columns: [id]}]\n", "constraint"),
    ("mixins:\n  {}: {fields: {x: int}}\nmodels:\n  M:\n    fields: {id: int pk}\n", "mixin"),
    ("models:\n  M:\n    fields: {id: int pk}\n    relations: {{}: {many_to_many: N, through: mn}}\n  N:\n    fields: {id: int pk}\n", "relation"),
    ("models:\n  M:\n    fields: {id: int pk}\n    relations: {ns: {many_to_many: N, through: {}}}\n  N:\n    fields: {id: int pk}\n", "join table"),
    ("models:\n  M:\n    renamed_from: {}\n    fields: {id: int pk}\n", "previous table"),
    ("models:\n  M:\n    fields: {id: {type: int pk, renamed_from: {}}}\n", "previous column"),
];

#[test]
fn names_that_cannot_be_made_safe_are_refused_with_a_clear_error() {
    let unsafe_names = [
        ("\"\"", "is empty"),
        ("\"it's\"", "contains `'`"),
        ("'a\"b'", "contains `\"`"),
        ("\"a`b\"", "contains a backtick"),
        ("\"`ab\"", "contains a backtick"),
        ("\"x; DROP TABLE users\"", "contains `;`"),
        ("\"a;b\"", "contains `;`"),
        ("\"a\\0b\"", "contains a NUL byte"),
        ("\"a/b\"", "contains `/`"),
        ("\"a\\\\b\"", "contains `\\`"),
        ("\"..\"", "starts with `.`"),
        ("\"../etc\"", "starts with `.`"),
        ("\"a.b\"", "contains `.`"),
        ("\"a b\"", "contains whitespace"),
        ("\"a\\tb\"", "contains whitespace"),
        ("\"a\\nb\"", "contains whitespace"),
        ("\"a\\u0007b\"", "contains a control character"),
        ("\"1st\"", "starts with a digit"),
        ("\"-x\"", "starts with `-`"),
        ("\"a-b\"", "contains `-`"),
        ("\"a\\u200bb\"", "contains `\u{200b}`"),
        ("\"_\"", "is `_`"),
        ("\"self\"", "is `self`"),
        ("\"Self\"", "is `Self`"),
        ("\"crate\"", "is `crate`"),
        ("\"super\"", "is `super`"),
        ("\"a\\u2028b\"", "contains whitespace"),
        ("\"😀\"", "starts with `😀`"),
        ("\"a𠀋\"", "contains `𠀋`, beyond U+FFFF"),
        ("\"ﬁeld\"", "is not in Unicode normal form NFKC"),
        ("\"e\\u0301\"", "is not in Unicode normal form NFKC"),
    ];
    let mut checked = 0;
    for (template, noun) in NAME_SLOTS {
        for (name, why) in unsafe_names {
            let yaml = template.replacen("{}", name, 1);
            let d = match modelgen_spec::load(&yaml, "names.yaml") {
                Ok(_) => panic!("{noun} name {name} was accepted:\n{yaml}"),
                Err(d) => d,
            };
            let bad: Vec<_> = d.items.iter().filter(|i| i.kind == ErrorKind::BadName).collect();
            assert!(
                bad.iter()
                    .any(|i| i.message.starts_with(&format!("{noun} name `")) && i.message.contains(why)),
                "{noun} name {name}: expected a bad-name error saying it {why}, got:\n{}",
                d.render(false)
            );
            let rendered = d.render(false);
            assert!(rendered.contains("error[bad-name]"), "{rendered}");
            checked += 1;
        }
    }
    assert_eq!(checked, NAME_SLOTS.len() * unsafe_names.len());
}

/// The SQLAlchemy module of every generated spec (those whose names no database shortens:
/// the module refuses the others) builds, through `create_all`, the spec's schema on
/// SQLite, PostgreSQL and MariaDB: docs and defaults of every accepted kind included. One
/// Python process per database runs all the modules.
#[test]
fn generated_specs_create_their_schema_through_sqlalchemy_on_every_database() {
    use modelgen_ir::config::{Output, PythonOutput};
    let Some(python) = modelgen_tests::python::python(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    let started = Instant::now();
    let specs = specs();
    let dir = tempfile::tempdir().unwrap();
    let mut modules = Vec::new();
    for (i, (_, schema)) in specs.iter().enumerate() {
        let output = Output {
            python: Some(PythonOutput {
                file: "models.py".into(),
                templates: None,
            }),
            rust: None,
            migrations: modelgen_ir::config::Migrations {
                dialects: Dialect::ALL.to_vec(),
                ..Default::default()
            },
        };
        let generated = modelgen_emit::generate(
            schema,
            &output,
            "valid.yaml",
            &Default::default(),
            &Default::default(),
            &Default::default(),
        );
        if let Ok(g) = generated {
            let module = g.files.into_iter().find(|f| f.path == "models.py").unwrap().contents;
            std::fs::write(dir.path().join(format!("valid_{i}.py")), module).unwrap();
            modules.push(i);
        }
    }
    let mut failures = Vec::new();
    let mut ran = Vec::new();
    for d in Dialect::ALL {
        let url = |i: usize| -> Option<String> {
            let db = format!("sqla_valid_{i}");
            Some(match d {
                Dialect::Sqlite => format!("sqlite:///{}", dir.path().join(format!("{db}.sqlite")).display()),
                Dialect::Postgres => {
                    let pg = shared_postgres()?;
                    let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS \"{db}\";"));
                    pg.create_database(&db);
                    format!(
                        "postgresql+psycopg2://postgres@/{db}?host={}&port={}",
                        pg.socket_dir().display(),
                        pg.port()
                    )
                }
                Dialect::Mysql => {
                    let m = shared_mariadb()?;
                    let _ = m.exec("", &format!("DROP DATABASE IF EXISTS `{db}`;"));
                    m.create_database(&db);
                    format!(
                        "mariadb+pymysql://root@localhost/{db}?unix_socket={}",
                        m.socket().display()
                    )
                }
            })
        };
        let Some(urls) = modules
            .iter()
            .map(|&i| url(i).map(|u| (i, u)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        ran.push(d.name());
        let args: Vec<String> = urls
            .iter()
            .flat_map(|(i, u)| [format!("valid_{i}"), u.clone()])
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = modelgen_tests::python::run_python(
            python,
            dir.path(),
            "import importlib, json, sys, traceback\nfrom sqlalchemy import create_engine\n\
             failed = {}\nfor name, url in zip(sys.argv[1::2], sys.argv[2::2]):\n    try:\n        module = importlib.import_module(name)\n        module.Base.registry.configure()\n        engine = create_engine(url)\n        module.Base.metadata.create_all(engine)\n        engine.dispose()\n    except Exception:\n        failed[name] = traceback.format_exc()\nprint(json.dumps(failed))\n",
            &args,
        );
        let failed: std::collections::BTreeMap<String, String> = serde_json::from_str(out.trim()).unwrap();
        for (name, trace) in failed {
            failures.push(format!("{name} on {}: create_all failed:\n{trace}", d.name()));
        }
        for &(i, _) in &urls {
            let db = format!("sqla_valid_{i}");
            let catalog = match d {
                Dialect::Sqlite => {
                    sqlite_catalog(&rusqlite::Connection::open(dir.path().join(format!("{db}.sqlite"))).unwrap())
                }
                Dialect::Postgres => shared_postgres().unwrap().catalog(&db),
                Dialect::Mysql => shared_mariadb().unwrap().catalog(&db),
            };
            let schema = &specs[i].1;
            let checked = std::panic::catch_unwind(|| catalog::assert_matches(catalog, schema, d, &db));
            if let Err(panic) = checked {
                let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
                failures.push(format!(
                    "valid_{i} on {}: {message}\n--- spec ---\n{}",
                    d.name(),
                    specs[i].0
                ));
            }
        }
    }
    println!(
        "valid output, SQLAlchemy: {} of {} specs have a module, create_all on {} in {:.1?}, {} failed",
        modules.len(),
        specs.len(),
        ran.join(", "),
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
