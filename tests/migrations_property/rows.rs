//! The rows put in the base's tables, and the queries that read back what an edit keeps.

use super::*;

pub(crate) fn uuid_literal(k: usize, salt: usize, d: Dialect) -> String {
    let hex = format!("{salt:08x}00000000{k:016x}");
    match d {
        Dialect::Postgres => format!(
            "'{}-{}-{}-{}-{}'",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ),
        _ => format!("'{hex}'"),
    }
}

/// The primary key of row `k` (1-based) of a table.
pub(crate) fn pk_value(ty: Ty, k: usize, d: Dialect) -> String {
    match ty {
        Ty::Uuid => uuid_literal(k, 0, d),
        _ => k.to_string(),
    }
}

/// Row `row`'s value of a column: distinct across the rows of a table for every type
/// but bool, and valid for the type.
pub(crate) fn value(f: &Field, row: usize, d: Dialect) -> String {
    if f.pk {
        return pk_value(f.ty, row, d);
    }
    if f.nullable && (row + f.salt).is_multiple_of(3) {
        return "NULL".into();
    }
    let k = (row - 1 + f.salt) % ROWS + 1;
    if f.fk.is_some() {
        return pk_value(f.ty, k, d);
    }
    match f.ty {
        Ty::Str(_) => format!("'s{k}_{}'", f.salt % 10),
        Ty::Text => format!("'text {k}'"),
        Ty::SmallInt | Ty::Int | Ty::BigInt => k.to_string(),
        Ty::Float => format!("{k}.5"),
        Ty::Decimal(..) => format!("{k}.25"),
        Ty::Bool | Ty::BoolCheck if d == Dialect::Sqlite => (k % 2).to_string(),
        Ty::Bool | Ty::BoolCheck => if k % 2 == 1 { "TRUE" } else { "FALSE" }.into(),
        Ty::DateTime { .. } => format!("'2024-01-0{k} 12:30:0{}'", f.salt % 10),
        Ty::Date => format!("'2024-02-0{k}'"),
        Ty::Time => format!("'12:30:0{}'", (k + f.salt) % 10),
        // Printable bytes, so every client prints them as one line.
        Ty::Bytes | Ty::BytesN(_) if d == Dialect::Postgres => format!("'\\x4{}'::bytea", (k + f.salt) % 10),
        Ty::Bytes | Ty::BytesN(_) => format!("X'4{}'", (k + f.salt) % 10),
        Ty::Uuid => uuid_literal(k, f.salt + 1, d),
        // e0, e1 and e2, which every edit keeps.
        Ty::Enum { .. } => format!("'e{}'", k - 1),
        Ty::Json => format!("'{{\"k\": {k}}}'"),
        Ty::ListStr => format!("'[\"a{k}\"]'"),
    }
}

/// Rows for every table of the base: parents first (foreign keys point at earlier models),
/// then join tables.
/// The rows of `spec` (the base); the column `repeat` names holds row 1's value in all.
pub(crate) fn inserts(spec: &Spec, d: Dialect, repeat: Option<&(String, String)>) -> String {
    let mut out = String::new();
    let value = |m: &ModelSpec, f: &Field, r: usize| {
        let repeats = repeat.is_some_and(|(model, column)| *model == m.name && *column == f.name);
        composite::pair_value(m, f, r, d).unwrap_or_else(|| value(f, if repeats { 1 } else { r }, d))
    };
    for m in &spec.models {
        let mut cols: Vec<String> = m.fields.iter().map(|f| d.ident(&f.name)).collect();
        if m.timestamps {
            cols.push(d.ident("created_at"));
            cols.push(d.ident("updated_at"));
        }
        let rows: Vec<String> = (1..=ROWS)
            .map(|r| {
                let mut values: Vec<String> = m.fields.iter().map(|f| value(m, f, r)).collect();
                if m.timestamps {
                    values.push(format!("'2024-03-0{r} 08:00:00'"));
                    values.push(if r == 1 {
                        "'2024-03-09 08:00:00'".into()
                    } else {
                        "NULL".into()
                    });
                }
                format!("({})", values.join(", "))
            })
            .collect();
        let _ = writeln!(
            out,
            "INSERT INTO {} ({}) VALUES {};",
            d.ident(&m.table),
            cols.join(", "),
            rows.join(", ")
        );
    }
    for l in &spec.links {
        let (a, b) = (spec.model(&l.a).unwrap(), spec.model(&l.b).unwrap());
        let rows: Vec<String> = (1..=ROWS)
            .map(|r| {
                format!(
                    "({}, {})",
                    pk_value(a.pk().ty, r, d),
                    pk_value(b.pk().ty, r % ROWS + 1, d)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "INSERT INTO {} ({}, {}) VALUES {};",
            d.ident(&l.through),
            d.ident(&join_column(&l.a)),
            d.ident(&join_column(&l.b)),
            rows.join(", ")
        );
    }
    out
}

pub(crate) fn join_column(model: &str) -> String {
    format!("{}_id", model.to_lowercase())
}

/// Whether a value reads back as the same text after a change of type from `from` to `to`
/// (on the same database).
pub(crate) fn same_text(from: Ty, to: Ty) -> bool {
    from == to
        || matches!(
            (from, to),
            (Ty::Str(_), Ty::Str(_))
                | (Ty::Str(_), Ty::Text)
                | (Ty::SmallInt | Ty::Int | Ty::BigInt, Ty::SmallInt | Ty::Int | Ty::BigInt)
                | (Ty::Bool | Ty::BoolCheck, Ty::Bool | Ty::BoolCheck)
        )
        || matches!((from, to), (Ty::Decimal(_, s1), Ty::Decimal(_, s2)) if s1 == s2)
}

/// A table's kept columns, read before the migration under their old names and after it
/// under their new ones.
pub(crate) struct Kept {
    pub(crate) before: String,
    pub(crate) after: String,
    /// Per column: cells that were NULL may be filled (the column became NOT NULL).
    pub(crate) filled: Vec<bool>,
    pub(crate) what: String,
}

/// The name in `m` of the base column `base`.
pub(crate) fn descendant(m: &ModelSpec, base: &str) -> String {
    m.fields
        .iter()
        .find(|f| f.base.as_ref().is_some_and(|b| b.name == base))
        .map_or_else(|| m.pk().name.clone(), |f| f.name.clone())
}

pub(crate) fn kept(a: &Spec, b: &Spec, d: Dialect) -> Vec<Kept> {
    let mut out = Vec::new();
    let select = |table: &str, cols: &[String], order: &[String]| {
        let list = |c: &[String]| c.iter().map(|c| d.ident(c)).collect::<Vec<_>>().join(", ");
        format!(
            "SELECT {} FROM {} ORDER BY {};",
            list(cols),
            d.ident(table),
            list(order)
        )
    };
    for m in &b.models {
        let Some(base_table) = &m.base_table else { continue };
        let am = a.model(&m.name).unwrap();
        let (mut before, mut after, mut filled) = (Vec::new(), Vec::new(), Vec::new());
        for f in &m.fields {
            let Some(base) = &f.base else { continue };
            if !same_text(base.ty, f.ty) {
                continue;
            }
            before.push(base.name.clone());
            after.push(f.name.clone());
            filled.push(base.nullable && !f.nullable);
        }
        if m.timestamps && m.base_timestamps {
            for c in ["created_at", "updated_at"] {
                before.push(c.to_owned());
                after.push(c.to_owned());
                filled.push(false);
            }
        }
        out.push(Kept {
            before: select(base_table, &before, &[am.pk().name.clone()]),
            // Ordered by the base's key column, wherever it went (a key can move).
            after: select(&m.table, &after, &[descendant(m, &am.pk().name)]),
            filled,
            what: format!("{base_table} → {} ({})", m.table, after.join(", ")),
        });
    }
    for l in b.links.iter().filter(|l| l.in_base) {
        let cols = [join_column(&l.a), join_column(&l.b)];
        let q = select(&l.through, &cols, &cols);
        out.push(Kept {
            before: q.clone(),
            after: q,
            filled: vec![false, false],
            what: l.through.clone(),
        });
    }
    out
}

/// Inserts into every table of `schema` whose lone key autoincrements a copy of its last
/// row without the key, as the generated Rust inserts: the database must give it a key
/// past the rows' (after a change of how PostgreSQL numbers it, the new way starts there),
/// and the copy is deleted again. Tables with a unique other than the key are left out,
/// since a copy would repeat it. Returns how many inserts were made.
pub(crate) fn insert_fresh_keys(conn: &Conn, schema: &Schema) -> Result<usize, String> {
    let d = conn.dialect();
    let mut made = 0;
    for m in &schema.models {
        let [key] = m.primary_key.as_slice() else { continue };
        if !m.column(key).is_some_and(|c| c.autoincrement)
            || !m.uniques.is_empty()
            || m.indexes.iter().any(|i| i.unique)
        {
            continue;
        }
        let (t, k) = (d.ident(&m.table), d.ident(key));
        let rest: Vec<String> = m
            .columns
            .iter()
            .filter(|c| c.name != *key)
            .map(|c| d.ident(&c.name))
            .collect();
        let max = |conn: &Conn| conn.text(&format!("SELECT max({k}) FROM {t}"));
        let before = max(conn)?;
        if before == "NULL" || before.is_empty() {
            continue;
        }
        let cols = rest.join(", ");
        // MySQL cannot read the table it inserts into but through a derived table.
        let insert = format!(
            "INSERT INTO {t} ({cols}) SELECT {cols} FROM (SELECT * FROM {t} WHERE {k} = {before}) AS last_row;"
        );
        conn.batch(&insert)
            .map_err(|e| format!("inserting a row without its key into {}: {e}", m.table))?;
        let after = max(conn)?;
        let (b, a) = (before.parse::<i64>(), after.parse::<i64>());
        if !matches!((b, a), (Ok(b), Ok(a)) if a > b) {
            return Err(format!(
                "a row inserted into {} without its key got no fresh one: max key {before} before, {after} after",
                m.table
            ));
        }
        conn.batch(&format!("DELETE FROM {t} WHERE {k} = {after};"))
            .map_err(|e| format!("deleting the inserted row of {}: {e}", m.table))?;
        made += 1;
    }
    Ok(made)
}

/// On PostgreSQL, moves each key's sequence past the keys the rows were inserted with,
/// as an application's inserts through the sequence would have left it (an explicit key
/// does not move it; SQLite's rowid and MySQL's AUTO_INCREMENT follow by themselves).
pub(crate) fn advance_sequences(conn: &Conn, schema: &Schema) -> Result<(), String> {
    let d = conn.dialect();
    if d != Dialect::Postgres {
        return Ok(());
    }
    for m in &schema.models {
        let [key] = m.primary_key.as_slice() else { continue };
        let Some(c) = m.column(key).filter(|c| c.autoincrement) else {
            continue;
        };
        let (t, k) = (d.ident(&m.table), d.ident(key));
        let sequence = match c.generator.sequence() {
            Some(name) => d.string_literal(&d.ident(name)),
            None => format!(
                "pg_get_serial_sequence({}, {})",
                d.string_literal(&t),
                d.string_literal(&d.name_of(key))
            ),
        };
        conn.batch(&format!("SELECT setval({sequence}, max({k})) FROM {t};"))
            .map_err(|e| format!("moving the key sequence of {} past its rows: {e}", m.table))?;
    }
    Ok(())
}
