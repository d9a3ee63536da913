//! Reads an SQLite database's catalog (schema `main`) into the normalized
//! [`Catalog`] through the PRAGMA table-valued functions and `sqlite_master`.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::{check_condition, collapse_whitespace, finish, is_ignored_table, normalize_predicate};
use crate::{Catalog, Check, Column, ForeignKey, Index, Table};

/// Reads the `main` schema of `conn`; panics on any SQLite error.
///
/// `ty` is the declared type lower-cased (SQLite keeps whatever was written,
/// so `VARCHAR(255)` reads `varchar(255)`, and a column declared without a
/// type reads `""`). An `INTEGER PRIMARY KEY` column is the rowid alias: it is
/// reported `autoincrement` and not nullable, whatever `notnull` says.
/// Unique constraints (including column-level `UNIQUE`) go to `uniques`,
/// `CREATE UNIQUE INDEX` to `indexes`.
pub fn sqlite_catalog(conn: &Connection) -> Catalog {
    read(conn).unwrap_or_else(|e| panic!("reading the SQLite catalog: {e}"))
}

struct RawColumn {
    name: String,
    ty: String,
    notnull: bool,
    default: Option<String>,
    pk: i64,
}

fn read(conn: &Connection) -> rusqlite::Result<Catalog> {
    let mut tables = BTreeMap::new();
    let names: Vec<(String, bool)> = conn
        .prepare(
            "SELECT name, wr FROM pragma_table_list
             WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, without_rowid) in names {
        if is_ignored_table(&name) {
            continue;
        }
        let table = read_table(conn, &name, without_rowid)?;
        tables.insert(name, table);
    }
    let triggers = conn
        .prepare("SELECT tbl_name || '.' || name FROM main.sqlite_master WHERE type = 'trigger'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .filter(|t| !is_ignored_table(t.split('.').next().unwrap_or_default()))
        .collect();
    Ok(finish(Catalog {
        tables,
        triggers,
        sequences: Vec::new(),
    }))
}

fn read_columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<RawColumn>> {
    conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| {
            Ok(RawColumn {
                name: r.get(0)?,
                ty: r.get(1)?,
                notnull: r.get::<_, i64>(2)? != 0,
                default: r.get(3)?,
                pk: r.get(4)?,
            })
        })?
        .collect()
}

fn read_table(conn: &Connection, name: &str, without_rowid: bool) -> rusqlite::Result<Table> {
    let raw = read_columns(conn, name)?;
    let mut pk: Vec<&RawColumn> = raw.iter().filter(|c| c.pk > 0).collect();
    pk.sort_by_key(|c| c.pk);

    struct RawIndex {
        name: String,
        unique: bool,
        origin: String,
        partial: bool,
    }
    let raw_indexes: Vec<RawIndex> = conn
        .prepare("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)")?
        .query_map([name], |r| {
            Ok(RawIndex {
                name: r.get(0)?,
                unique: r.get::<_, i64>(1)? != 0,
                origin: r.get(2)?,
                partial: r.get::<_, i64>(3)? != 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    // A single INTEGER primary key is the rowid alias unless SQLite had to
    // build an index for it (WITHOUT ROWID, or the `INTEGER PRIMARY KEY DESC`
    // quirk).
    let rowid_alias = match pk.as_slice() {
        [only] => {
            only.ty.eq_ignore_ascii_case("integer") && !without_rowid && !raw_indexes.iter().any(|i| i.origin == "pk")
        }
        _ => false,
    }
    .then(|| pk[0].name.clone());

    let mut table = Table {
        primary_key: pk.iter().map(|c| c.name.clone()).collect(),
        ..Table::default()
    };
    for c in &raw {
        let is_rowid = rowid_alias.as_deref() == Some(c.name.as_str());
        table.columns.push(Column {
            name: c.name.clone(),
            ty: collapse_whitespace(&c.ty).to_lowercase(),
            nullable: !c.notnull && !is_rowid,
            default: c.default.as_ref().map(|d| d.trim().to_string()),
            autoincrement: is_rowid,
            generator: None,
            comment: None,
        });
    }

    for ix in raw_indexes {
        let columns = index_columns(conn, &ix.name)?;
        match ix.origin.as_str() {
            "pk" => {}
            "u" => table.uniques.push(columns),
            _ => {
                let predicate = if ix.partial {
                    index_sql(conn, &ix.name)?
                        .and_then(|sql| split_index_sql(&sql).1)
                        .map(|p| normalize_predicate(&p))
                } else {
                    None
                };
                table.indexes.push(Index {
                    name: ix.name,
                    unique: ix.unique,
                    columns,
                    predicate,
                });
            }
        }
    }

    table.foreign_keys = foreign_keys(conn, name)?;
    let sql: String = conn.query_row(
        "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get(0),
    )?;
    table.checks = table_checks(&sql);
    Ok(table)
}

/// The table-level CHECK constraints of a CREATE TABLE statement: SQLite keeps no
/// catalog of them, only the statement as written.
fn table_checks(sql: &str) -> Vec<Check> {
    let Some(open) = find_outside_quotes(sql, 0, |c| c == '(') else {
        return Vec::new();
    };
    let Some(close) = sql.rfind(')') else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    for part in split_top_level(&sql[open + 1..close]) {
        let words: Vec<&str> = part.splitn(3, char::is_whitespace).collect();
        let (name, rest) = match words.as_slice() {
            [c, name, rest] if c.eq_ignore_ascii_case("constraint") => (Some(unquote(name)), rest.trim_start()),
            _ => (None, part.as_str()),
        };
        let is_check = rest.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("check"));
        if is_check {
            checks.push(Check {
                name,
                condition: check_condition(rest),
            });
        }
    }
    checks
}

/// A name without SQLite's quotes (`"x"`, `` `x` ``, `[x]`).
fn unquote(name: &str) -> String {
    let inner = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .or_else(|| name.strip_prefix('`').and_then(|n| n.strip_suffix('`')))
        .or_else(|| name.strip_prefix('[').and_then(|n| n.strip_suffix(']')));
    match inner {
        Some(n) => n.replace("\"\"", "\"").replace("``", "`"),
        None => name.to_owned(),
    }
}

fn index_sql(conn: &Connection, index: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT sql FROM main.sqlite_master WHERE type = 'index' AND name = ?1",
        [index],
        |r| r.get(0),
    )
}

/// Key columns of an index in order; an expression key (which the pragma
/// cannot name) is taken from the index's SQL.
fn index_columns(conn: &Connection, index: &str) -> rusqlite::Result<Vec<String>> {
    let keys: Vec<Option<String>> = conn
        .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?
        .query_map([index], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if keys.iter().all(Option::is_some) {
        return Ok(keys.into_iter().flatten().collect());
    }
    let written: Vec<String> = index_sql(conn, index)?
        .and_then(|sql| split_index_sql(&sql).0)
        .map(|list| split_top_level(&list))
        .unwrap_or_default();
    Ok(keys
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            k.unwrap_or_else(|| {
                written
                    .get(i)
                    .map(|w| strip_sort_order(w))
                    .unwrap_or_else(|| "<expression>".to_string())
            })
        })
        .collect())
}

fn foreign_keys(conn: &Connection, table: &str) -> rusqlite::Result<Vec<ForeignKey>> {
    struct Part {
        id: i64,
        ref_table: String,
        from: String,
        to: Option<String>,
        on_update: String,
        on_delete: String,
    }
    let parts: Vec<Part> = conn
        .prepare(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete
             FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        )?
        .query_map([table], |r| {
            Ok(Part {
                id: r.get(0)?,
                ref_table: r.get(1)?,
                from: r.get(2)?,
                to: r.get(3)?,
                on_update: r.get(4)?,
                on_delete: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut fks: Vec<(i64, ForeignKey)> = Vec::new();
    for p in parts {
        if fks.last().map(|(id, _)| *id) != Some(p.id) {
            fks.push((
                p.id,
                ForeignKey {
                    columns: Vec::new(),
                    ref_table: p.ref_table.clone(),
                    ref_columns: Vec::new(),
                    on_delete: p.on_delete.to_uppercase(),
                    on_update: p.on_update.to_uppercase(),
                },
            ));
        }
        let fk = &mut fks.last_mut().expect("pushed above").1;
        fk.columns.push(p.from);
        if let Some(to) = p.to {
            fk.ref_columns.push(to);
        }
    }
    let mut out = Vec::new();
    for (_, mut fk) in fks {
        // `REFERENCES parent` without columns means the parent's primary key.
        if fk.ref_columns.is_empty() {
            let mut parent: Vec<RawColumn> = read_columns(conn, &fk.ref_table)?
                .into_iter()
                .filter(|c| c.pk > 0)
                .collect();
            parent.sort_by_key(|c| c.pk);
            fk.ref_columns = parent.into_iter().map(|c| c.name).collect();
        }
        out.push(fk);
    }
    Ok(out)
}

/// Splits `CREATE INDEX ... ON t (cols) [WHERE cond]` into the column list
/// and the condition, skipping over quoted names.
fn split_index_sql(sql: &str) -> (Option<String>, Option<String>) {
    let Some(open) = find_outside_quotes(sql, 0, |c| c == '(') else {
        return (None, None);
    };
    let mut depth = 0;
    let mut close = None;
    scan(sql, open, |i, c| {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    return true;
                }
            }
            _ => {}
        }
        false
    });
    let Some(close) = close else {
        return (None, None);
    };
    let list = sql[open + 1..close].to_string();
    let rest = sql[close + 1..].trim_start();
    let predicate = rest
        .get(..5)
        .filter(|w| w.eq_ignore_ascii_case("where"))
        .map(|_| rest[5..].trim().trim_end_matches(';').trim().to_string());
    (Some(list), predicate)
}

/// Calls `f` with each character outside quotes from byte `start` on, until
/// it returns true.
fn scan(s: &str, start: usize, mut f: impl FnMut(usize, char) -> bool) {
    let mut quote: Option<char> = None;
    for (i, c) in s[start..].char_indices() {
        let i = i + start;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`' | '[') => {
                quote = Some(if c == '[' { ']' } else { c });
            }
            None => {
                if f(i, c) {
                    return;
                }
            }
        }
    }
}

fn find_outside_quotes(s: &str, start: usize, pred: impl Fn(char) -> bool) -> Option<usize> {
    let mut found = None;
    scan(s, start, |i, c| {
        if pred(c) {
            found = Some(i);
        }
        found.is_some()
    });
    found
}

/// Splits on commas that are outside parentheses and quotes.
fn split_top_level(list: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut last = 0;
    scan(list, 0, |i, c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(list[last..i].trim().to_string());
                last = i + 1;
            }
            _ => {}
        }
        false
    });
    parts.push(list[last..].trim().to_string());
    parts
}

fn strip_sort_order(key: &str) -> String {
    let key = collapse_whitespace(key);
    for suffix in [" ASC", " DESC"] {
        if key.len() > suffix.len() && key[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix) {
            return key[..key.len() - suffix.len()].to_string();
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_sql_parts() {
        let (list, pred) = split_index_sql("CREATE INDEX \"a(b\" ON t (x, lower(y) DESC) WHERE deleted_at IS NULL");
        assert_eq!(list.as_deref(), Some("x, lower(y) DESC"));
        assert_eq!(pred.as_deref(), Some("deleted_at IS NULL"));
        assert_eq!(split_top_level("x, lower(y) DESC"), ["x", "lower(y) DESC"]);
        assert_eq!(strip_sort_order("lower(y)  desc"), "lower(y)");
    }
}
