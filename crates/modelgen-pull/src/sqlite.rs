//! SQLite's catalog: `sqlite_schema` and the table pragmas. What the pragmas do not
//! tell — constraint names and CHECK conditions — is read from the `CREATE TABLE`
//! statement SQLite keeps.

use crate::catalog::{
    Catalog, Check, Column, ForeignKey, Generated, Index, Key, Table, Trigger, Unique, RUNNER_TABLES,
};
use modelgen_ir::{JsonShape, LogicalType};
use sqlx::{Row, SqliteConnection};

pub(crate) async fn catalog(conn: &mut SqliteConnection) -> Result<Catalog, sqlx::Error> {
    let objects = sqlx::query(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut catalog = Catalog::default();
    let mut triggers: Vec<(String, Trigger)> = Vec::new();
    let mut index_sql = std::collections::HashMap::new();
    let mut tables = Vec::new();
    for row in &objects {
        let (kind, name): (String, String) = (row.try_get("type")?, row.try_get("name")?);
        let sql: Option<String> = row.try_get("sql")?;
        match kind.as_str() {
            "table" if !RUNNER_TABLES.contains(&name.as_str()) => tables.push((name, sql.unwrap_or_default())),
            "table" => {}
            "index" => {
                index_sql.insert(name, sql.unwrap_or_default());
            }
            "trigger" => triggers.push((
                row.try_get("tbl_name")?,
                Trigger {
                    name,
                    sql: sql.unwrap_or_default(),
                },
            )),
            other => catalog.other.push(format!("{other} {name}")),
        }
    }
    for (name, sql) in tables {
        let mut table = table(conn, &name, &sql, &index_sql).await?;
        table.triggers = triggers
            .iter()
            .filter(|(on, _)| *on == name)
            .map(|(_, t)| t.clone())
            .collect();
        catalog.tables.push(table);
    }
    Ok(catalog)
}

async fn table(
    conn: &mut SqliteConnection,
    name: &str,
    sql: &str,
    index_sql: &std::collections::HashMap<String, String>,
) -> Result<Table, sqlx::Error> {
    let parts = Parts::of(sql);
    let mut table = Table {
        name: name.to_owned(),
        ..Table::default()
    };
    let mut keyed: Vec<(i64, String)> = Vec::new();
    for row in sqlx::query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid")
        .bind(name)
        .fetch_all(&mut *conn)
        .await?
    {
        let column: String = row.try_get("name")?;
        let db_type: String = row.try_get("type")?;
        let pk: i64 = row.try_get("pk")?;
        if pk > 0 {
            keyed.push((pk, column.clone()));
        }
        table.columns.push(Column {
            ty: logical_type(&db_type),
            nullable: row.try_get::<i64, _>("notnull")? == 0,
            default: row.try_get("dflt_value")?,
            generated: None,
            on_update_now: false,
            computed: None,
            comment: None,
            name: column,
            db_type,
        });
    }
    keyed.sort();
    table.primary_key = keyed.into_iter().map(|(_, c)| c).collect();
    // A lone key column declared exactly INTEGER is the rowid: SQLite numbers it.
    if let [key] = table.primary_key.as_slice() {
        if let Some(c) = table.columns.iter_mut().find(|c| &c.name == key) {
            if c.db_type.eq_ignore_ascii_case("INTEGER") {
                c.generated = Some(Generated::Identity);
            }
        }
    }
    table.primary_key_name = parts.primary_key_name.clone();

    for row in sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name")
        .bind(name)
        .fetch_all(&mut *conn)
        .await?
    {
        let index: String = row.try_get("name")?;
        let origin: String = row.try_get("origin")?;
        let mut keys = Vec::new();
        for k in sqlx::query("SELECT cid, name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")
            .bind(&index)
            .fetch_all(&mut *conn)
            .await?
        {
            let column: Option<String> = k.try_get("name")?;
            keys.push(column.map_or(Key::Expression(String::new()), Key::Column));
        }
        match origin.as_str() {
            "pk" => {}
            "u" => {
                let columns: Vec<String> = keys
                    .into_iter()
                    .filter_map(|k| match k {
                        Key::Column(c) => Some(c),
                        Key::Expression(_) => None,
                    })
                    .collect();
                let name = parts
                    .uniques
                    .iter()
                    .find(|(_, cols)| *cols == columns)
                    .and_then(|(n, _)| n.clone());
                table.uniques.push(Unique { name, columns });
            }
            _ => {
                let create = index_sql.get(&index).map(String::as_str).unwrap_or_default();
                let (texts, predicate) = index_parts(create);
                // Expression keys (cid -2) take their text from the statement.
                for (key, text) in keys.iter_mut().zip(&texts) {
                    if let Key::Expression(e) = key {
                        *e = text.clone();
                    }
                }
                table.indexes.push(Index {
                    name: index,
                    unique: row.try_get::<i64, _>("unique")? == 1,
                    keys,
                    predicate,
                });
            }
        }
    }

    let mut fks: Vec<ForeignKey> = Vec::new();
    let mut last_id = -1;
    for row in sqlx::query(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?
    {
        let id: i64 = row.try_get("id")?;
        let from: String = row.try_get("from")?;
        let to: Option<String> = row.try_get("to")?;
        if id != last_id {
            last_id = id;
            let action = |a: String| (a != "NO ACTION").then_some(a);
            fks.push(ForeignKey {
                name: None,
                columns: Vec::new(),
                target_table: row.try_get("table")?,
                target_columns: Vec::new(),
                on_delete: action(row.try_get("on_delete")?),
                on_update: action(row.try_get("on_update")?),
            });
        }
        let fk = fks.last_mut().expect("pushed above");
        fk.columns.push(from);
        fk.target_columns.extend(to);
    }
    // pragma_foreign_key_list lists keys last to first.
    fks.reverse();
    for fk in &mut fks {
        fk.name = parts
            .foreign_keys
            .iter()
            .find(|(_, cols)| *cols == fk.columns)
            .and_then(|(n, _)| n.clone());
    }
    table.foreign_keys = fks;
    table.checks = parts.checks;
    Ok(table)
}

/// A declared type as modelgen writes it on SQLite, back to the type it was written from.
fn logical_type(db_type: &str) -> Result<LogicalType, String> {
    let upper = db_type.to_ascii_uppercase();
    let (base, args) = match upper.split_once('(') {
        Some((base, rest)) => (
            base.trim(),
            rest.trim_end_matches(')')
                .split(',')
                .map(|a| a.trim().parse::<u32>())
                .collect::<Result<Vec<_>, _>>()
                .ok(),
        ),
        None => (upper.trim(), Some(Vec::new())),
    };
    Ok(match (base, args.as_deref()) {
        ("VARCHAR", Some([n])) => LogicalType::Str { max_length: Some(*n) },
        ("VARCHAR", Some([])) => LogicalType::Str { max_length: None },
        ("TEXT", Some([])) => LogicalType::Text,
        ("SMALLINT", Some([])) => LogicalType::SmallInt,
        ("INTEGER" | "INT", Some([])) => LogicalType::Int,
        ("BIGINT", Some([])) => LogicalType::BigInt,
        ("FLOAT" | "REAL" | "DOUBLE", Some([])) => LogicalType::Float,
        ("NUMERIC" | "DECIMAL", Some([p, s])) => LogicalType::Decimal {
            precision: *p,
            scale: *s,
        },
        ("BOOLEAN", Some([])) => LogicalType::Bool { check: false },
        // SQLite keeps no time zone: `datetime(tz)` is written DATETIME too.
        ("DATETIME" | "TIMESTAMP", Some([])) => LogicalType::DateTime { timezone: false },
        ("DATE", Some([])) => LogicalType::Date,
        ("TIME", Some([])) => LogicalType::Time,
        ("BLOB", Some([])) => LogicalType::Bytes { max_length: None },
        // SQLAlchemy's Uuid, as 32 hex characters.
        ("CHAR", Some([32])) => LogicalType::Uuid,
        ("JSON", Some([])) => LogicalType::Json { shape: JsonShape::Any },
        _ => return Err(format!("SQLite type `{db_type}` has no type in the spec language")),
    })
}

/// What a `CREATE TABLE` statement says that the pragmas do not: constraint names, and
/// CHECK conditions.
#[derive(Default)]
struct Parts {
    primary_key_name: Option<String>,
    uniques: Vec<(Option<String>, Vec<String>)>,
    foreign_keys: Vec<(Option<String>, Vec<String>)>,
    checks: Vec<Check>,
}

impl Parts {
    fn of(sql: &str) -> Parts {
        let mut parts = Parts::default();
        let Some(body) = sql
            .find('(')
            .map(|at| &sql[at + 1..sql.rfind(')').unwrap_or(sql.len())])
        else {
            return parts;
        };
        for item in split_top(body, ',') {
            let words = tokens(&item);
            let (name, rest) = match words.as_slice() {
                [first, name, rest @ ..] if first.eq_ignore_ascii_case("CONSTRAINT") => (Some(unquote(name)), rest),
                rest => (None, rest),
            };
            let Some(kind) = rest.first() else { continue };
            let list = |at: usize| rest.get(at).map(|l| column_list(l)).unwrap_or_default();
            if kind.eq_ignore_ascii_case("PRIMARY") {
                parts.primary_key_name = name;
            } else if kind.eq_ignore_ascii_case("UNIQUE") {
                parts.uniques.push((name, list(1)));
            } else if kind.eq_ignore_ascii_case("FOREIGN") {
                parts.foreign_keys.push((name, list(2)));
            } else if kind.eq_ignore_ascii_case("CHECK") {
                let condition = rest.get(1).map(|c| inner(c)).unwrap_or_default();
                parts.checks.push(Check { name, sql: condition });
            }
        }
        parts
    }
}

/// The key texts and the `WHERE` condition of a `CREATE INDEX` statement.
fn index_parts(sql: &str) -> (Vec<String>, Option<String>) {
    let Some(open) = sql.find('(') else {
        return (Vec::new(), None);
    };
    let mut depth = 0;
    let mut close = sql.len();
    for (i, c) in sql[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let keys = split_top(&sql[open + 1..close], ',');
    let rest = sql.get(close + 1..).unwrap_or_default().trim();
    let predicate = rest
        .get(..5)
        .filter(|w| w.eq_ignore_ascii_case("WHERE"))
        .map(|_| rest[5..].trim().to_owned());
    (keys, predicate)
}

/// `text` split at `sep` outside parentheses and quotes, each part trimmed.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`' | '[') => quote = Some(if c == '[' { ']' } else { c }),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                parts.push(text[start..i].trim().to_owned());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim().to_owned());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Words of a constraint clause: quoted names and parenthesized groups stay whole.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        match c {
            '(' => {
                let (mut depth, mut quote) = (1, None);
                for (i, c) in chars.by_ref() {
                    end = i + c.len_utf8();
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '\'' | '"' | '`') => quote = Some(c),
                        (None, '(') => depth += 1,
                        (None, ')') => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                }
            }
            '"' | '`' | '\'' => {
                for (i, d) in chars.by_ref() {
                    end = i + d.len_utf8();
                    if d == c {
                        break;
                    }
                }
            }
            _ => {
                while let Some(&(i, d)) = chars.peek() {
                    if d.is_whitespace() || d == '(' {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
            }
        }
        out.push(text[start..end].to_owned());
    }
    out
}

/// `"a ""b"""` → `a "b"`.
fn unquote(name: &str) -> String {
    match name.chars().next() {
        Some(q @ ('"' | '`')) if name.len() >= 2 && name.ends_with(q) => {
            let doubled: String = [q, q].iter().collect();
            name[1..name.len() - 1].replace(&doubled, &q.to_string())
        }
        _ => name.to_owned(),
    }
}

/// `("a", "b")` → `[a, b]`.
fn column_list(group: &str) -> Vec<String> {
    split_top(&inner(group), ',').iter().map(|c| unquote(c)).collect()
}

/// The text inside a parenthesized group.
fn inner(group: &str) -> String {
    let g = group.trim();
    g.strip_prefix('(')
        .and_then(|g| g.strip_suffix(')'))
        .unwrap_or(g)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_table_statement_gives_its_constraint_names_and_checks() {
        let parts = Parts::of(
            "CREATE TABLE \"a\" (\n \"id\" INTEGER NOT NULL,\n \"x\" VARCHAR(3) CHECK (x <> ','),\n \
             CONSTRAINT \"a_pk\" PRIMARY KEY (\"id\"),\n CONSTRAINT \"a_x_uq\" UNIQUE (\"x\", \"id\"),\n \
             UNIQUE (\"id\"),\n CONSTRAINT \"a b\" FOREIGN KEY (\"x\") REFERENCES \"b\" (\"y\"),\n \
             CONSTRAINT \"a_ck\" CHECK (\"x\" IN ('a', 'b)')))",
        );
        assert_eq!(parts.primary_key_name.as_deref(), Some("a_pk"));
        assert_eq!(
            parts.uniques,
            vec![
                (Some("a_x_uq".into()), vec!["x".into(), "id".into()]),
                (None, vec!["id".into()])
            ]
        );
        assert_eq!(parts.foreign_keys, vec![(Some("a b".into()), vec!["x".into()])]);
        assert_eq!(
            parts.checks,
            vec![Check {
                name: Some("a_ck".into()),
                sql: "\"x\" IN ('a', 'b)')".into()
            }]
        );
    }

    #[test]
    fn an_index_statement_gives_its_keys_and_condition() {
        let (keys, predicate) =
            index_parts("CREATE UNIQUE INDEX \"ix\" ON \"t\" (lower(\"email\"), \"org\") WHERE \"deleted_at\" IS NULL");
        assert_eq!(keys, vec!["lower(\"email\")".to_owned(), "\"org\"".to_owned()]);
        assert_eq!(predicate.as_deref(), Some("\"deleted_at\" IS NULL"));
    }
}
