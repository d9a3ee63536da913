//! The snapshot file, `modelgen-schema.json`: written from the IR, and read back as input
//! like a spec — parsed, then checked to be a schema modelgen could have written (names
//! that need no quoting trick, columns and keys that exist, types and defaults as a front
//! end accepts them), so a hand edit becomes a clear error naming the place, never a
//! panic or a statement the SQL back end would not write.

use modelgen_ir::{check_default, check_identifier, CommentOn, DefaultValue, Literal, LogicalType, Model, Schema};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What `modelgen-schema.json` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub schema: Schema,
    /// Each migration file modelgen wrote (path as in [`MigrationFile::path`]) and the
    /// SHA-256 of its bytes; `None` in a snapshot written before checksums were recorded.
    pub checksums: Option<BTreeMap<String, String>>,
}

/// The snapshot as JSON: deterministic, reviewable in diffs, the checksums first.
pub fn snapshot_json(schema: &Schema, checksums: &BTreeMap<String, String>) -> String {
    // Serialized straight from the IR: building a JSON value tree first would hold a
    // second, larger copy of the schema at the run's peak.
    #[derive(serde::Serialize)]
    struct Out<'a> {
        generated: String,
        migrations: &'a BTreeMap<String, String>,
        schema: &'a Schema,
    }
    let out = Out {
        generated: format!(
            "{}: the schema of the latest migration and the checksum of every migration; do not edit",
            crate::GENERATED_MARKER
        ),
        migrations: checksums,
        schema,
    };
    serde_json::to_string_pretty(&out).expect("the IR serializes") + "\n"
}

/// Why a snapshot could not be read: where in the file, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotError {
    /// 1-based; 0 when the problem has no one place in the text.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads a snapshot file back. Git conflict markers get a message of their own.
pub fn parse_snapshot(text: &str) -> Result<Snapshot, SnapshotError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct In {
        generated: String,
        migrations: Option<BTreeMap<String, String>>,
        schema: Schema,
    }
    if let Some(i) = text.lines().position(|l| l.starts_with("<<<<<<< ")) {
        return Err(SnapshotError {
            line: i + 1,
            column: 1,
            message: "it holds git conflict markers: two branches changed the schema; resolve the merge as docs/migrations.md says (keep one branch's migrations and snapshot, then run `modelgen migrate` again)".into(),
        });
    }
    let parsed: In = serde_json::from_str(text).map_err(|e| SnapshotError {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if !parsed.generated.contains(crate::GENERATED_MARKER) {
        return Err(SnapshotError {
            line: 0,
            column: 0,
            message: format!(
                "its `generated` entry lacks `{}`, so modelgen did not write it",
                crate::GENERATED_MARKER
            ),
        });
    }
    let found = problems(&parsed.schema);
    if !found.is_empty() {
        let shown: Vec<&str> = found.iter().take(10).map(String::as_str).collect();
        let more = match found.len() - shown.len() {
            0 => String::new(),
            n => format!("\n  … and {n} more"),
        };
        return Err(SnapshotError {
            line: 0,
            column: 0,
            message: format!("it contradicts itself:\n  {}{more}", shown.join("\n  ")),
        });
    }
    if let Some(path) = parsed.migrations.iter().flat_map(|m| m.iter()).find_map(|(path, sum)| {
        let hex = sum.len() == 64 && sum.bytes().all(|b| b.is_ascii_hexdigit());
        let plain = !path.chars().any(char::is_control) && !path.split('/').any(|p| p.is_empty() || p == "..");
        (!hex || !plain).then_some(path)
    }) {
        return Err(SnapshotError {
            line: 0,
            column: 0,
            message: format!("migrations: the entry {path:?} is not a migration path with a SHA-256"),
        });
    }
    Ok(Snapshot {
        schema: parsed.schema,
        checksums: parsed.migrations,
    })
}

/// What is wrong with a schema read from a snapshot, each with its path in the file
/// (`schema.models[1].foreign_keys[0].columns`), first problem first.
pub fn problems(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let by_table: HashMap<&str, &Model> = schema.models.iter().map(|m| (m.table.as_str(), m)).collect();
    let by_name: HashSet<&str> = schema.models.iter().map(|m| m.name.as_str()).collect();
    let mut tables = HashSet::new();
    let mut names = HashSet::new();
    for (i, m) in schema.models.iter().enumerate() {
        let at = format!("schema.models[{i}]");
        let mut say = |what: &str, problem: String| out.push(format!("{at}.{what}: {problem}"));
        let name = |what: &str, value: &str, say: &mut dyn FnMut(&str, String)| {
            if let Err(why) = check_identifier(value) {
                say(what, format!("the name {value:?} {why}"));
            }
        };
        name("name", &m.name, &mut say);
        name("table", &m.table, &mut say);
        if !tables.insert(m.table.as_str()) || !names.insert(m.name.as_str()) {
            say(
                "table",
                format!("a second model named {:?} or a second table {:?}", m.name, m.table),
            );
        }
        if m.columns.is_empty() {
            say("columns", "is empty".into());
        }
        let mut columns = HashSet::new();
        for (j, c) in m.columns.iter().enumerate() {
            let what = format!("columns[{j}]");
            name(&what, &c.name, &mut say);
            if !columns.insert(c.name.as_str()) {
                say(&what, format!("a second column named {:?}", c.name));
            }
            if let LogicalType::Enum(e) = &c.ty {
                if let Some(why) = enum_problem(e) {
                    say(&format!("{what}.type"), why);
                }
            } else if c.ty.to_string().parse::<LogicalType>().as_ref() != Ok(&c.ty) {
                say(
                    &format!("{what}.type"),
                    format!("`{}` is not a type a spec can declare", c.ty),
                );
            }
            for (key, value, server) in [
                ("default", &c.default, false),
                ("server_default", &c.server_default, true),
            ] {
                if let Some(why) = value.as_ref().and_then(|v| bad_default(&c.ty, v, server)) {
                    say(&format!("{what}.{key}"), why);
                }
            }
            if c.primary_key != m.primary_key.contains(&c.name) {
                say(
                    &format!("{what}.primary_key"),
                    "disagrees with the model's primary_key list".into(),
                );
            }
            let integer = matches!(c.ty, LogicalType::Int | LogicalType::BigInt);
            if c.autoincrement && !(integer && m.primary_key == [c.name.clone()]) {
                say(
                    &format!("{what}.autoincrement"),
                    "only a lone integer primary key autoincrements".into(),
                );
            }
            if !c.autoincrement && !c.generator.is_identity() {
                say(
                    &format!("{what}.generator"),
                    "is set on a column that does not autoincrement".into(),
                );
            }
            if let Some(Err(why)) = c.generator.sequence().map(modelgen_ir::check_sequence_name) {
                say(&format!("{what}.generator.sequence"), why);
            }
            if let Some(from) = &c.renamed_from {
                name(&format!("{what}.renamed_from"), from, &mut say);
            }
        }
        let cols = |what: String, list: &[String], say: &mut dyn FnMut(&str, String)| {
            if list.is_empty() {
                say(&what, "is empty".into());
            }
            for c in list.iter().filter(|c| !columns.contains(c.as_str())) {
                say(
                    &what,
                    format!("names {c:?}, which is not a column of table {:?}", m.table),
                );
            }
        };
        cols("primary_key".into(), &m.primary_key, &mut say);
        for (j, u) in m.uniques.iter().enumerate() {
            cols(format!("uniques[{j}].columns"), &u.columns, &mut say);
            if let Some(n) = &u.name {
                name(&format!("uniques[{j}].name"), n, &mut say);
            }
        }
        for (j, x) in m.indexes.iter().enumerate() {
            let read: Vec<String> = x.read_columns().into_iter().map(str::to_owned).collect();
            cols(format!("indexes[{j}].columns"), &read, &mut say);
            name(&format!("indexes[{j}].name"), &x.name, &mut say);
            if x.live_only && m.soft_delete.is_none() {
                say(
                    &format!("indexes[{j}].live_only"),
                    "the model has no soft_delete column".into(),
                );
            }
        }
        for (j, fk) in m.foreign_keys.iter().enumerate() {
            cols(format!("foreign_keys[{j}].columns"), &fk.columns, &mut say);
            let what = format!("foreign_keys[{j}]");
            match by_table.get(fk.target_table.as_str()) {
                None => say(
                    &what,
                    format!("references table {:?}, which the schema does not have", fk.target_table),
                ),
                Some(target) => {
                    let missing = fk.target_columns.iter().find(|c| target.column(c).is_none());
                    if fk.target_columns.len() != fk.columns.len() || fk.target_columns.is_empty() {
                        say(&what, "has target_columns of another length than its columns".into());
                    } else if let Some(c) = missing {
                        say(
                            &what,
                            format!("references {:?}.{c:?}, which is not a column", fk.target_table),
                        );
                    } else if target.name != fk.target_model {
                        say(
                            &what,
                            format!(
                                "target_model {:?} is not the model of table {:?}",
                                fk.target_model, fk.target_table
                            ),
                        );
                    }
                }
            }
        }
        let column_of = |what: &str, c: &Option<String>, say: &mut dyn FnMut(&str, String)| {
            if let Some(c) = c.as_ref().filter(|c| !columns.contains(c.as_str())) {
                say(what, format!("names {c:?}, which is not a column"));
            }
        };
        column_of("soft_delete", &m.soft_delete, &mut say);
        for c in &m.repr {
            column_of("repr", &Some(c.clone()), &mut say);
        }
        if let Some(from) = &m.renamed_from {
            name("renamed_from", from, &mut say);
        }
        let docs = m.doc.iter().map(|d| ("doc".to_owned(), d)).chain(
            m.columns
                .iter()
                .enumerate()
                .filter_map(|(j, c)| c.doc.as_ref().map(|d| (format!("columns[{j}].doc"), d))),
        );
        for (what, doc) in docs {
            if let Err(why) = modelgen_ir::check_text(doc) {
                say(&what, format!("the doc {why}"));
            }
        }
        // Comments reach the SQL of the next migration's down script.
        let comments = m
            .comment
            .iter()
            .map(|t| ("comment".to_owned(), t, CommentOn::Table))
            .chain(m.columns.iter().enumerate().filter_map(|(j, c)| {
                c.comment
                    .as_ref()
                    .map(|t| (format!("columns[{j}].comment"), t, CommentOn::Column))
            }));
        for (what, text, on) in comments {
            if let Err((why, _)) = modelgen_ir::check_comment(text, on) {
                say(&what, format!("the comment {why}"));
            }
        }
        // The text literals of index expressions reach the SQL as string literals.
        for (j, x) in m.indexes.iter().enumerate() {
            let exprs = x
                .columns
                .iter()
                .filter_map(|k| match k {
                    modelgen_ir::IndexKey::Expr(e) => Some(e),
                    modelgen_ir::IndexKey::Column(_) => None,
                })
                .chain(&x.predicate);
            for text in exprs.flat_map(modelgen_ir::check::Expr::texts) {
                if let Err(why) = modelgen_ir::check_text(text) {
                    say(&format!("indexes[{j}]"), format!("a text in an expression {why}"));
                }
            }
        }
        for (j, r) in m.relations.iter().enumerate() {
            if !by_name.contains(r.target.as_str()) {
                say(
                    &format!("relations[{j}].target"),
                    format!("{:?} is not a model of the schema", r.target),
                );
            }
        }
    }
    out
}

/// Why `value` is not a default a front end would have made for a column of type `ty`.
fn bad_default(ty: &LogicalType, value: &DefaultValue, server: bool) -> Option<String> {
    let literal = match value {
        DefaultValue::Bool(b) => Literal::Bool(*b),
        DefaultValue::Int(i) => Literal::Number(i.to_string()),
        DefaultValue::Float(f) => Literal::Number(f.to_string()),
        DefaultValue::Decimal(d) => Literal::Number(d.clone()),
        DefaultValue::Str(s) => Literal::Str(s.clone()),
        DefaultValue::Now => Literal::Str("now".into()),
        DefaultValue::Uuid4 => Literal::Str("uuid4".into()),
        DefaultValue::Json(json) => match serde_json::from_str::<serde_json::Value>(json) {
            Ok(v) => json_literal(&v),
            Err(e) => return Some(format!("{json:?} is not JSON: {e}")),
        },
        DefaultValue::Sql(_) if !server => return Some("SQL is only ever a server default".into()),
        DefaultValue::Sql(by_dialect) => {
            return by_dialect
                .values()
                .find_map(|text| modelgen_ir::check_sql_expression(text).err())
                .map(|why| format!("{value:?}: expected {why}"));
        }
    };
    let checked = match server {
        true => modelgen_ir::check_server_default(ty, &literal),
        false => check_default(ty, &literal),
    };
    match checked {
        // JSON keeps its own spelling; the shape is what matters.
        Ok(checked) if checked == *value || matches!(value, DefaultValue::Json(_)) => None,
        Ok(_) => Some(format!("{value:?} is not spelled as modelgen writes it for `{ty}`")),
        Err(expected) => Some(format!("{value:?} does not fit `{ty}`: expected {expected}")),
    }
}

fn json_literal(value: &serde_json::Value) -> Literal {
    match value {
        serde_json::Value::Null => Literal::Null,
        serde_json::Value::Bool(b) => Literal::Bool(*b),
        serde_json::Value::Number(n) => Literal::Number(n.to_string()),
        serde_json::Value::String(s) => Literal::Str(s.clone()),
        serde_json::Value::Array(items) => Literal::List(items.iter().map(json_literal).collect()),
        serde_json::Value::Object(map) => Literal::Map(map.iter().map(|(k, v)| (k.clone(), json_literal(v))).collect()),
    }
}

/// Why an enum is not one a front end would have made, if it is not.
fn enum_problem(e: &modelgen_ir::EnumType) -> Option<String> {
    let named =
        e.name.starts_with(|c: char| c.is_ascii_uppercase()) && e.name.chars().all(|c| c.is_ascii_alphanumeric());
    if !named {
        return Some(format!("the enum name {:?} is not UpperCamelCase", e.name));
    }
    if let Err(why) = check_identifier(&e.type_name) {
        return Some(format!("the enum type name {:?} {why}", e.type_name));
    }
    if e.values.is_empty() {
        return Some(format!("the enum {} has no values", e.name));
    }
    (0..e.values.len()).find_map(|i| modelgen_ir::check_enum_value(&e.values[i], &e.values[..i]).err())
}
