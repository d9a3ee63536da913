//! The check of one random spec, written as Rust for the scratch crate: for each database,
//! rows of random values inserted through the generated queries and read back equal, then
//! relation loading, lookups, patch, update, soft delete and delete, each compared with
//! what the rows inserted say it must return.

use super::values::value;
use modelgen_emit::ident;
use modelgen_ir::rust_names::{insert_struct_name, module_name, patch_struct_name, struct_name};
use modelgen_ir::{Column, Dialect, LogicalType, Model, ModelKind, RelationKind, Schema};
use modelgen_tests::Rng;
use std::collections::HashMap;
use std::fmt::Write;

/// What a spec's check covers, for the report.
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub models: usize,
    pub rows: usize,
    pub relations: usize,
}

/// One model's rows: each column's value per row (`None` for NULL, and for the columns
/// the database fills in).
struct Rows<'a> {
    model: &'a Model,
    values: Vec<Vec<Option<String>>>,
}

fn database_made(model: &Model, c: &Column) -> bool {
    c.autoincrement || c.on_update.is_some() || model.soft_delete.as_deref() == Some(c.name.as_str())
}

/// Columns whose values must differ from row to row: keys and unique sets.
fn distinct_columns(model: &Model) -> Vec<&str> {
    let mut out: Vec<&str> = model.primary_key.iter().map(String::as_str).collect();
    out.extend(model.uniques.iter().flat_map(|u| u.columns.iter().map(String::as_str)));
    out.extend(model.indexes.iter().filter(|i| i.unique).flat_map(|i| i.read_columns()));
    out
}

fn plan<'a>(schema: &'a Schema, rng: &mut Rng) -> Vec<Rows<'a>> {
    let mut all: Vec<Rows> = schema
        .models
        .iter()
        .filter(|m| m.kind == ModelKind::Entity)
        .map(|model| {
            let distinct = distinct_columns(model);
            let bool_key = model
                .columns
                .iter()
                .any(|c| distinct.contains(&c.name.as_str()) && matches!(c.ty, LogicalType::Bool { .. }));
            // A unique column the database stamps with the time as rows go in: rows made
            // in one second would collide (MySQL keeps whole seconds).
            let stamped_at_insert = model
                .columns
                .iter()
                .any(|c| c.on_update.is_some() && c.server_default.is_some() && distinct.contains(&c.name.as_str()));
            let n = match (stamped_at_insert, bool_key) {
                (true, _) => 1,
                (false, true) => 2,
                (false, false) => 3,
            };
            let values = (0..n)
                .map(|row| {
                    model
                        .columns
                        .iter()
                        .map(|c| {
                            let is_distinct = distinct.contains(&c.name.as_str());
                            match () {
                                _ if database_made(model, c) => None,
                                _ if c.nullable && !is_distinct && rng.chance(25) => None,
                                _ => Some(value(&c.ty, is_distinct.then_some(row), rng)),
                            }
                        })
                        .collect()
                })
                .collect();
            Rows { model, values }
        })
        .collect();
    // Single-column foreign keys point at rows that exist (checks are off while the rows
    // go in, in any order): the relations then have rows to load.
    let by_table: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(i, r)| (r.model.table.as_str(), i))
        .collect();
    for i in 0..all.len() {
        let model = all[i].model;
        let distinct = distinct_columns(model);
        for fk in model.foreign_keys.iter().filter(|fk| fk.columns.len() == 1) {
            let Some(&t) = by_table.get(fk.target_table.as_str()) else {
                continue;
            };
            let target = all[t].model;
            let Some(tc) = target.columns.iter().position(|c| c.name == fk.target_columns[0]) else {
                continue;
            };
            let Some(oc) = model.columns.iter().position(|c| c.name == fk.columns[0]) else {
                continue;
            };
            let target_rows = all[t].values.len();
            for row in 0..all[i].values.len() {
                if all[i].values[row][oc].is_none() {
                    continue;
                }
                let j = match distinct.contains(&fk.columns[0].as_str()) {
                    true if row < target_rows => row,
                    true => continue,
                    false => rng.below(target_rows),
                };
                let v = match target.columns[tc].autoincrement {
                    // A fresh table numbers its rows from 1.
                    true => Some(format!(
                        "{}{}",
                        j + 1,
                        if target.columns[tc].ty == LogicalType::Int {
                            "i32"
                        } else {
                            "i64"
                        }
                    )),
                    false => all[t].values[j][tc].clone(),
                };
                if v.is_some() {
                    all[i].values[row][oc] = v;
                }
            }
        }
    }
    all
}

fn option(v: &Option<String>, nullable: bool) -> String {
    match (v, nullable) {
        (Some(v), true) => format!("Some({v})"),
        (Some(v), false) => v.clone(),
        (None, _) => "None".into(),
    }
}

/// The arguments giving a row's key (or other columns) from `var`: text by reference.
fn args(model: &Model, columns: &[String], var: &str) -> String {
    columns
        .iter()
        .map(|name| {
            let c = model.column(name).expect("key column");
            let field = format!("{var}.{}", ident(&c.name));
            match (&c.ty, c.nullable) {
                (LogicalType::Str { .. } | LogicalType::Text, false) => format!("&{field}"),
                (LogicalType::Str { .. } | LogicalType::Text, true) => format!("{field}.as_deref().unwrap()"),
                (_, false) => format!("{field}.clone()"),
                (_, true) => format!("{field}.clone().unwrap()"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_value(model: &Model, var: &str) -> String {
    let parts: Vec<String> = model
        .primary_key
        .iter()
        .map(|k| format!("{var}.{}.clone()", ident(k)))
        .collect();
    match parts.as_slice() {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
}

/// The Rust of spec `i`'s check: `pub async fn sqlite(conn) -> usize` and the same for
/// `postgres` and `mysql`, each returning how many comparisons it made.
pub fn driver(i: usize, schema: &Schema, seed: u64) -> (String, Counts) {
    let mut rng = Rng::new(seed);
    let plan = plan(schema, &mut rng);
    let mut out = format!("//! The check of spec {i}.\n#![allow(clippy::all, unused_mut, unused_variables)]\n\n");
    if !schema.enums().is_empty() {
        // Enum values are written `spec::PostState::Draft`.
        writeln!(out, "use crate::spec{i} as spec;\n").unwrap();
    }
    for d in Dialect::ALL {
        let create = modelgen_sql::create_script(schema, d);
        let (module, connection) = match d {
            Dialect::Sqlite => ("sqlite", "sqlx::SqliteConnection"),
            Dialect::Postgres => ("postgres", "sqlx::PgConnection"),
            Dialect::Mysql => ("mysql", "sqlx::MySqlConnection"),
        };
        writeln!(out, "pub const CREATE_{}: &str = {create:?};\n", module.to_uppercase()).unwrap();
        writeln!(
            out,
            "pub async fn {module}(conn: &mut {connection}) -> usize {{\n    let mut checks = 0usize;"
        )
        .unwrap();
        body(&mut out, i, schema, &plan, d, module, &mut rng);
        out.push_str("    checks\n}\n\n");
    }
    let counts = Counts {
        models: plan.len(),
        rows: plan.iter().map(|r| r.values.len()).sum(),
        relations: plan.iter().map(|r| r.model.relations.len()).sum(),
    };
    (out, counts)
}

fn body(out: &mut String, i: usize, schema: &Schema, plan: &[Rows], d: Dialect, db: &str, rng: &mut Rng) {
    let spec = format!("crate::spec{i}");
    let path = |m: &Model| format!("{spec}::queries::{db}::{}", ident(&module_name(&m.name)));
    let ty = |m: &Model| format!("{spec}::{}", struct_name(&m.name));
    let index: HashMap<&str, usize> = plan
        .iter()
        .enumerate()
        .map(|(k, r)| (r.model.name.as_str(), k))
        .collect();
    let by_table: HashMap<&str, &Model> = schema.models.iter().map(|m| (m.table.as_str(), m)).collect();

    // Insert every row, read it back.
    for (k, rows) in plan.iter().enumerate() {
        let m = rows.model;
        let at = format!("spec {i} {db} {}", m.name);
        writeln!(out, "    let mut rows_{k}: Vec<{}> = Vec::new();", ty(m)).unwrap();
        let key_in_row = m
            .primary_key
            .iter()
            .all(|name| m.column(name).is_some_and(|c| c.server_default.is_none()));
        let auto_key = m.primary_key.len() == 1 && m.column(&m.primary_key[0]).is_some_and(|c| c.autoincrement);
        let returns_row = d != Dialect::Mysql || auto_key || key_in_row;
        for (row, values) in rows.values.iter().enumerate() {
            let mut new_fields = String::new();
            let mut fields = String::new();
            let mut filled = String::new();
            for (c, v) in m.columns.iter().zip(values) {
                let field = ident(&c.name);
                if database_made(m, c) {
                    let placeholder = if m.soft_delete.as_deref() == Some(c.name.as_str()) {
                        "None"
                    } else {
                        "Default::default()"
                    };
                    writeln!(fields, "{field}: {placeholder},").unwrap();
                    if placeholder != "None" {
                        writeln!(filled, "        expected.{field} = got.{field}.clone();").unwrap();
                    }
                    continue;
                }
                let value = option(v, c.nullable);
                writeln!(fields, "{field}: {value},").unwrap();
                match c.server_default.is_some() {
                    true => writeln!(new_fields, "{field}: Some({value}),").unwrap(),
                    false => writeln!(new_fields, "{field}: {value},").unwrap(),
                }
            }
            let key = args(m, &m.primary_key, "expected");
            writeln!(
                out,
                "    {{\n        let new = {spec}::{} {{ {new_fields} }};",
                insert_struct_name(&m.name)
            )
            .unwrap();
            writeln!(out, "        let mut expected = {} {{ {fields} }};", ty(m)).unwrap();
            match returns_row {
                true => writeln!(out, "        let got = {}::insert(&mut *conn, &new).await.expect(\"{at} row {row}: insert\");", path(m)).unwrap(),
                false => writeln!(
                    out,
                    "        {p}::insert(&mut *conn, &new).await.expect(\"{at} row {row}: insert\");\n        let got = {p}::get(&mut *conn, {key}).await.unwrap().expect(\"{at} row {row}: inserted\");",
                    p = path(m)
                )
                .unwrap(),
            }
            out.push_str(&filled);
            writeln!(out, "        assert_eq!(got, expected, \"{at} row {row}: insert\");").unwrap();
            writeln!(
                out,
                "        let read = {}::get(&mut *conn, {key}).await.unwrap();\n        assert_eq!(read.as_ref(), Some(&expected), \"{at} row {row}: get\");\n        rows_{k}.push(expected);\n        checks += 2;\n    }}",
                path(m)
            )
            .unwrap();
        }
    }

    // Relations, against the rows each side holds.
    for (k, rows) in plan.iter().enumerate() {
        let m = rows.model;
        for rel in &m.relations {
            let at = format!("spec {i} {db} {}.{}", m.name, rel.name);
            let Some(&t) = index.get(rel.target.as_str()) else {
                continue;
            };
            let target = plan[t].model;
            let [fk] = rel.foreign_key.as_slice() else { continue };
            // (this side's column, the target's column its values are matched with)
            let matched = match rel.kind {
                RelationKind::ManyToOne => m
                    .foreign_keys
                    .iter()
                    .find(|f| f.columns == [fk.clone()])
                    .and_then(|f| Some((m.column(fk)?, target.column(&f.target_columns[0])?))),
                RelationKind::OneToMany | RelationKind::OneToOne => target
                    .foreign_keys
                    .iter()
                    .find(|f| f.columns == [fk.clone()])
                    .and_then(|f| Some((m.column(&f.target_columns[0])?, target.column(fk)?))),
                RelationKind::ManyToMany => {
                    many_to_many(out, &at, m, k, target, rel, &by_table, &path, &ty, rng);
                    continue;
                }
            };
            let Some((own, other)) = matched else { continue };
            let own_values = match own.nullable {
                true => format!(
                    "rows_{k}.iter().filter_map(|r| r.{}.as_ref()).collect()",
                    ident(&own.name)
                ),
                false => format!("rows_{k}.iter().map(|r| &r.{}).collect()", ident(&own.name)),
            };
            let hit = match other.nullable {
                true => format!("t.{}.as_ref().is_some_and(|v| own.contains(&v))", ident(&other.name)),
                false => format!("own.contains(&&t.{})", ident(&other.name)),
            };
            writeln!(
                out,
                "    {{\n        let own: Vec<_> = {own_values};\n        let all = {tp}::page(&mut *conn, None, 1000).await.unwrap();\n        let expected: Vec<{tt}> = all.iter().filter(|t| {hit}).cloned().collect();\n        let got = {p}::load_{name}(&mut *conn, &rows_{k}).await.expect(\"{at}\");\n        assert_eq!(got, expected, \"{at}: load\");\n        checks += 1;\n    }}",
                tp = path(target),
                tt = ty(target),
                p = path(m),
                name = rel.name,
            )
            .unwrap();
        }
    }

    // Lookups, patch, update, soft delete, delete and pages, model by model.
    for (k, rows) in plan.iter().enumerate() {
        let m = rows.model;
        let at = format!("spec {i} {db} {}", m.name);
        let n = rows.values.len();
        let mut seen = Vec::new();
        // The lookups the queries back end makes: a partial or expression index has none.
        let index_sets: Vec<Vec<String>> = m
            .indexes
            .iter()
            .filter(|x| x.unique && x.predicate.is_none())
            .filter_map(|x| x.plain_columns())
            .map(|cols| cols.into_iter().map(str::to_owned).collect())
            .collect();
        for columns in m.uniques.iter().map(|u| &u.columns).chain(&index_sets) {
            let name = format!("get_by_{}", columns.join("_and_"));
            let cols: Vec<&Column> = columns.iter().filter_map(|c| m.column(c)).collect();
            if columns == &m.primary_key
                || seen.contains(&name)
                || cols.iter().any(|c| matches!(c.ty, LogicalType::Json { .. }))
            {
                continue;
            }
            seen.push(name.clone());
            let present: Vec<String> = cols
                .iter()
                .filter(|c| c.nullable)
                .map(|c| format!("rows_{k}[0].{}.is_some()", ident(&c.name)))
                .collect();
            let guard = if present.is_empty() {
                "true".to_owned()
            } else {
                present.join(" && ")
            };
            writeln!(
                out,
                "    if {guard} {{\n        let found = {p}::{name}(&mut *conn, {a}).await.unwrap();\n        assert_eq!(found.as_ref(), Some(&rows_{k}[0]), \"{at}: {name}\");\n        checks += 1;\n    }}",
                p = path(m),
                a = args(m, columns, &format!("rows_{k}[0]")),
            )
            .unwrap();
        }

        let distinct = distinct_columns(m);
        // A unique bool has no third value to change to.
        let patchable: Vec<&Column> = m
            .columns
            .iter()
            .filter(|c| !c.primary_key && c.on_update.is_none())
            .filter(|c| !(matches!(c.ty, LogicalType::Bool { .. }) && distinct.contains(&c.name.as_str())))
            .collect();
        // A unique column the database stamps with the time on every update: two updates
        // in one second collide (MySQL keeps whole seconds), so the check makes only one.
        let stamped_unique = m
            .columns
            .iter()
            .any(|c| c.on_update.is_some() && distinct.contains(&c.name.as_str()));
        let getter = match m.soft_delete {
            Some(_) => "get_including_deleted",
            None => "get",
        };
        let fresh = |c: &Column, rng: &mut Rng, row: usize| -> String {
            let v = match database_made(m, c) {
                // The soft-delete column takes a time too; others of these are keys.
                true if m.soft_delete.as_deref() == Some(c.name.as_str()) => Some(value(&c.ty, None, rng)),
                true => None,
                false if c.nullable && rng.chance(33) => None,
                false => Some(value(&c.ty, distinct.contains(&c.name.as_str()).then_some(row), rng)),
            };
            option(&v, c.nullable)
        };
        let refresh = |out: &mut String, var: &str| {
            for c in m.columns.iter().filter(|c| c.on_update.is_some()) {
                writeln!(out, "        {var}.{f} = got.{f}.clone();", f = ident(&c.name)).unwrap();
            }
        };
        if !patchable.is_empty() {
            // Patch one column of the first row.
            let c = patchable[rng.below(patchable.len())];
            let v = fresh(c, rng, n + 1);
            writeln!(
                out,
                "    {{\n        let patch = {spec}::{ps} {{ {f}: Some({v}), ..Default::default() }};\n        assert!({p}::patch(&mut *conn, {key}, &patch).await.unwrap(), \"{at}: patch found the row\");\n        rows_{k}[0].{f} = {v};\n        let got = {p}::{getter}(&mut *conn, {key}).await.unwrap().unwrap();",
                ps = patch_struct_name(&m.name),
                f = ident(&c.name),
                p = path(m),
                key = args(m, &m.primary_key, &format!("rows_{k}[0]")),
            )
            .unwrap();
            refresh(out, &format!("rows_{k}[0]"));
            writeln!(
                out,
                "        assert_eq!(got, rows_{k}[0], \"{at}: patch\");\n        checks += 1;\n    }}"
            )
            .unwrap();
        }
        if !patchable.is_empty() && !stamped_unique {
            // Update the whole of the last row.
            let last = n - 1;
            writeln!(out, "    {{\n        let mut row = rows_{k}[{last}].clone();").unwrap();
            for c in &patchable {
                writeln!(out, "        row.{} = {};", ident(&c.name), fresh(c, rng, n + 2)).unwrap();
            }
            writeln!(
                out,
                "        assert!({p}::update(&mut *conn, &row).await.unwrap(), \"{at}: update found the row\");\n        let got = {p}::{getter}(&mut *conn, {key}).await.unwrap().unwrap();",
                p = path(m),
                key = args(m, &m.primary_key, "row"),
            )
            .unwrap();
            refresh(out, "row");
            writeln!(out, "        assert_eq!(got, row, \"{at}: update\");\n        rows_{k}[{last}] = row;\n        checks += 1;\n    }}").unwrap();
        }

        if let Some(column) = m.soft_delete.as_ref().filter(|_| !stamped_unique) {
            let f = ident(column);
            let key = args(m, &m.primary_key, &format!("rows_{k}[0]"));
            writeln!(
                out,
                "    if rows_{k}[0].{f}.is_none() {{\n        assert!({p}::soft_delete(&mut *conn, {key}).await.unwrap(), \"{at}: soft delete\");\n        assert_eq!({p}::get(&mut *conn, {key}).await.unwrap(), None, \"{at}: a deleted row is not got\");\n        let gone = {p}::get_including_deleted(&mut *conn, {key}).await.unwrap().expect(\"{at}: still there\");\n        assert!(gone.{f}.is_some(), \"{at}: marked deleted\");\n        let live: Vec<_> = rows_{k}.iter().skip(1).filter(|r| r.{f}.is_none()).cloned().collect();\n        assert_eq!({p}::page(&mut *conn, None, 1000).await.unwrap(), live, \"{at}: pages skip deleted rows\");\n        assert!({p}::restore(&mut *conn, {key}).await.unwrap(), \"{at}: restore\");\n        let got = {p}::get(&mut *conn, {key}).await.unwrap().expect(\"{at}: restored\");",
                p = path(m),
            )
            .unwrap();
            refresh(out, &format!("rows_{k}[0]"));
            writeln!(
                out,
                "        assert_eq!(got, rows_{k}[0], \"{at}: restored\");\n        checks += 4;\n    }}"
            )
            .unwrap();
        }

        // Pages: all rows in key order, then those after the first; the last deleted.
        let all = match &m.soft_delete {
            Some(c) => format!(
                "rows_{k}.iter().filter(|r| r.{}.is_none()).cloned().collect::<Vec<_>>()",
                ident(c)
            ),
            None => format!("rows_{k}.clone()"),
        };
        writeln!(
            out,
            "    {{\n        let all = {all};\n        assert_eq!({p}::page(&mut *conn, None, 1000).await.unwrap(), all, \"{at}: page\");\n        if let Some(first) = all.first() {{\n            let after = {p}::page(&mut *conn, Some({first_key}), 1000).await.unwrap();\n            assert_eq!(after, all[1..].to_vec(), \"{at}: page after the first\");\n        }}\n        let last = rows_{k}.last().unwrap().clone();\n        assert!({p}::delete(&mut *conn, {key}).await.unwrap(), \"{at}: delete\");\n        assert_eq!({p}::get(&mut *conn, {key}).await.unwrap(), None, \"{at}: deleted\");\n        rows_{k}.pop();\n        checks += 4;\n    }}",
            p = path(m),
            first_key = key_value(m, "first"),
            key = args(m, &m.primary_key, "last"),
        )
        .unwrap();
    }
}

/// Many-to-many through a generated join table: link each row to one or two targets, then
/// load them all in one go. (Through a model of the spec's own, the pairs come from its
/// rows, which the check does not make.)
#[allow(clippy::too_many_arguments)]
fn many_to_many(
    out: &mut String,
    at: &str,
    m: &Model,
    k: usize,
    target: &Model,
    rel: &modelgen_ir::Relation,
    by_table: &HashMap<&str, &Model>,
    path: &dyn Fn(&Model) -> String,
    ty: &dyn Fn(&Model) -> String,
    rng: &mut Rng,
) {
    let Some(join) = rel.through.as_deref().and_then(|j| by_table.get(j)) else {
        return;
    };
    if join.kind != ModelKind::Join {
        return;
    }
    let ([fk], [tfk]) = (rel.foreign_key.as_slice(), rel.target_foreign_key.as_slice()) else {
        return;
    };
    let referenced = |col: &str| {
        join.foreign_keys
            .iter()
            .find(|f| f.columns == [col.to_owned()])
            .map(|f| f.target_columns[0].clone())
    };
    let (Some(own), Some(far)) = (referenced(fk), referenced(tfk)) else {
        return;
    };
    let (Some(own_c), Some(far_c)) = (m.column(&own), target.column(&far)) else {
        return;
    };
    if own_c.nullable || far_c.nullable {
        return;
    }
    let (own_f, far_f) = (ident(&own), ident(&far));
    writeln!(out, "    {{\n        let targets = {}::page(&mut *conn, None, 1000).await.unwrap();\n        let mut expected = Vec::new();", path(target)).unwrap();
    writeln!(out, "        for (a, row) in rows_{k}.iter().enumerate() {{\n            for b in [a, a + {}] {{\n                let Some(target) = targets.get(b % targets.len().max(1)) else {{ continue }};\n                if expected.iter().any(|(o, x): &(_, {tt})| *o == row.{own_f} && x.{far_f} == target.{far_f}) {{ continue }}\n                {p}::link_{name}(&mut *conn, row.{own_f}.clone(), target.{far_f}.clone()).await.expect(\"{at}: link\");\n                expected.push((row.{own_f}.clone(), target.clone()));\n            }}\n        }}",
        1 + rng.below(2),
        tt = ty(target),
        p = path(m),
        name = rel.name,
    )
    .unwrap();
    writeln!(out, "        let mut got = {p}::load_{name}(&mut *conn, &rows_{k}).await.expect(\"{at}\");\n        let order = |v: &mut Vec<_>| v.sort_by_key(|p: &(_, {tt})| format!(\"{{:?}} {{:?}}\", p.0, p.1.{far_f}));\n        order(&mut got);\n        order(&mut expected);\n        assert_eq!(got, expected, \"{at}: load\");\n        checks += 1;\n    }}",
        p = path(m),
        name = rel.name,
        tt = ty(target),
    )
    .unwrap();
}
