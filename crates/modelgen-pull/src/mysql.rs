//! MySQL's and MariaDB's catalog: the current database, through `information_schema`.
//!
//! One query per kind of object, each over every table at once and ordered so that rows
//! arrive in the order the [`Catalog`] keeps them; the rows are then dealt out to their
//! tables by name. Rows of tables not read (views, the migration runners' own) fall away.
//!
//! What this catalog cannot tell, and so reads one way:
//! - a UNIQUE constraint from a unique index: all are unique `indexes`, `uniques` stays
//!   empty;
//! - `datetime(tz)` from `datetime`: modelgen writes DATETIME for both;
//! - a JSON column's shape (`list[str]`): it is JSON, of any shape;
//! - an index InnoDB made for a foreign key from one declared with the same name and
//!   columns: such an index is left out (see [`backs_foreign_key`]).

use std::collections::HashMap;

use modelgen_ir::{JsonShape, LogicalType};
use sqlx::mysql::MySqlRow;
use sqlx::{MySqlConnection, Row};

use crate::catalog::{Catalog, Check, Column, ForeignKey, Generated, Index, Key, Table, Trigger, RUNNER_TABLES};

pub(crate) async fn catalog(conn: &mut MySqlConnection) -> Result<Catalog, sqlx::Error> {
    let mut catalog = Catalog::default();
    for row in sqlx::query(
        "SELECT TABLE_NAME AS name, TABLE_TYPE AS kind, TABLE_COMMENT AS comment \
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let name = text(&row, "name")?;
        match text(&row, "kind")?.as_str() {
            _ if RUNNER_TABLES.contains(&name.as_str()) => {}
            kind @ ("BASE TABLE" | "SYSTEM VERSIONED") => {
                // MariaDB's history of a system-versioned table has no place in the IR.
                if kind == "SYSTEM VERSIONED" {
                    catalog.other.push(format!("system versioning of table {name}"));
                }
                catalog.tables.push(Table {
                    comment: opt_text(&row, "comment")?.filter(|c| !c.is_empty()),
                    name,
                    ..Table::default()
                });
            }
            // VIEW, and MariaDB's SEQUENCE.
            kind => catalog.other.push(format!("{} {name}", kind.to_lowercase())),
        }
    }
    catalog.tables.sort_by(|a, b| a.name.cmp(&b.name));
    let mut tables = Tables::new(&mut catalog.tables);
    columns_and_checks(conn, &mut tables).await?;
    keys(conn, &mut tables, &mut catalog.other).await?;
    triggers(conn, &mut tables).await?;
    for (sql, kind) in [
        (
            "SELECT ROUTINE_NAME AS name, LOWER(ROUTINE_TYPE) AS kind FROM information_schema.ROUTINES \
             WHERE ROUTINE_SCHEMA = DATABASE()",
            None,
        ),
        (
            "SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()",
            Some("event"),
        ),
    ] {
        for row in sqlx::query(sql).fetch_all(&mut *conn).await? {
            let kind = match kind {
                Some(kind) => kind.to_owned(),
                None => text(&row, "kind")?,
            };
            catalog.other.push(format!("{kind} {}", text(&row, "name")?));
        }
    }
    catalog.other.sort();
    Ok(catalog)
}

/// The tables read, found by name: rows of any other (a view's columns, the migration
/// runners' tables) fall away.
struct Tables<'a> {
    tables: &'a mut [Table],
    at: HashMap<String, usize>,
}

impl<'a> Tables<'a> {
    fn new(tables: &'a mut [Table]) -> Tables<'a> {
        let at = tables.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        Tables { tables, at }
    }

    fn get(&mut self, name: &str) -> Option<&mut Table> {
        self.at.get(name).map(|&i| &mut self.tables[i])
    }
}

async fn columns_and_checks(conn: &mut MySqlConnection, tables: &mut Tables<'_>) -> Result<(), sqlx::Error> {
    let version = text(&sqlx::query("SELECT VERSION() AS v").fetch_one(&mut *conn).await?, "v")?;
    let mariadb = version.contains("MariaDB");
    let mut checks = checks(conn).await?;
    for row in sqlx::query(
        "SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS db_type, IS_NULLABLE AS nullable, \
         COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment, GENERATION_EXPRESSION AS expr \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let table_name = text(&row, "tbl")?;
        let Some(table) = tables.get(&table_name) else {
            continue;
        };
        let name = text(&row, "name")?;
        let db_type = text(&row, "db_type")?;
        let extra = text(&row, "extra")?.to_lowercase();
        // MariaDB's JSON is a LONGTEXT with a column CHECK named after the column: that
        // check is the type, not a constraint of the schema's. (A LONGTEXT whose column
        // CHECK says something else lost it, and is text.)
        let json_check = checks.iter().position(|(t, n, sql)| {
            *t == table_name && *n == name && sql.trim().eq_ignore_ascii_case(&format!("json_valid({})", ident(n)))
        });
        let computed = opt_text(&row, "expr")?.filter(|e| !e.is_empty());
        let ty = match computed.clone() {
            // A computed column is no column of the spec language, whatever its type.
            Some(expr) => Err(format!(
                "`{db_type}` column computed as `{expr}`; the spec language has no computed columns"
            )),
            None if json_check.is_some() && db_type.eq_ignore_ascii_case("longtext") => {
                checks.remove(json_check.expect("just found"));
                Ok(LogicalType::Json { shape: JsonShape::Any })
            }
            None => logical_type(&table_name, &name, &db_type),
        };
        let default = match opt_text(&row, "dflt")? {
            // MariaDB says `NULL` (unquoted) for a nullable column without a default;
            // the literal string is `'NULL'`.
            Some(d) if mariadb && d.trim() == "NULL" => None,
            Some(d) if mariadb => Some(d.trim().to_owned()),
            Some(d) => Some(mysql_default(&d, &db_type, &extra)),
            None => None,
        };
        table.columns.push(Column {
            nullable: text(&row, "nullable")? == "YES",
            default,
            generated: extra.contains("auto_increment").then_some(Generated::Identity),
            on_update_now: extra.contains("on update current_timestamp"),
            computed,
            comment: opt_text(&row, "comment")?.filter(|c| !c.is_empty()),
            ty,
            name,
            db_type,
        });
    }
    for (table, name, sql) in checks {
        if let Some(table) = tables.get(&table) {
            table.checks.push(Check { name: Some(name), sql });
        }
    }
    Ok(())
}

/// Primary keys, indexes and foreign keys; FULLTEXT and SPATIAL indexes go to `other`.
async fn keys(conn: &mut MySqlConnection, tables: &mut Tables<'_>, other: &mut Vec<String>) -> Result<(), sqlx::Error> {
    // MySQL 8 lists an expression key's text; MariaDB has no expression keys.
    let expression = match has_column(conn, "STATISTICS", "EXPRESSION").await? {
        true => "EXPRESSION",
        false => "NULL",
    };
    let sql = format!(
        "SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, CAST(NON_UNIQUE AS SIGNED) AS non_unique, \
         COLUMN_NAME AS col, CAST(SUB_PART AS SIGNED) AS sub_part, COLLATION AS ord, INDEX_TYPE AS kind, \
         {expression} AS expr \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
    );
    // Only the constant `expression` is spliced in.
    for row in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await? {
        let Some(table) = tables.get(&text(&row, "tbl")?) else {
            continue;
        };
        let name = text(&row, "name")?;
        let kind = text(&row, "kind")?;
        if kind == "FULLTEXT" || kind == "SPATIAL" {
            let line = format!("{} index {name} on {}", kind.to_lowercase(), table.name);
            // One line per index, not per key part.
            if !other.contains(&line) {
                other.push(line);
            }
            continue;
        }
        let key = key(&row)?;
        match (name.as_str(), key) {
            ("PRIMARY", Key::Column(c)) => table.primary_key.push(c),
            ("PRIMARY", _) => {}
            // Rows come in key order, one index after the other.
            (_, key) if table.indexes.last().is_some_and(|i| i.name == name) => {
                table.indexes.last_mut().expect("just seen").keys.push(key)
            }
            (_, key) => table.indexes.push(Index {
                name,
                unique: row.try_get::<i64, _>("non_unique")? == 0,
                keys: vec![key],
                // MySQL has no partial indexes.
                predicate: None,
            }),
        }
    }

    let database = opt_text(
        &sqlx::query("SELECT DATABASE() AS db").fetch_one(&mut *conn).await?,
        "db",
    )?;
    for row in sqlx::query(
        "SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, \
         k.REFERENCED_TABLE_SCHEMA AS ref_schema, k.REFERENCED_TABLE_NAME AS ref_table, \
         k.REFERENCED_COLUMN_NAME AS ref_col, r.DELETE_RULE AS on_delete, r.UPDATE_RULE AS on_update \
         FROM information_schema.KEY_COLUMN_USAGE k \
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
          AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
         WHERE k.TABLE_SCHEMA = DATABASE() ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let Some(table) = tables.get(&text(&row, "tbl")?) else {
            continue;
        };
        let name = text(&row, "name")?;
        if table.foreign_keys.last().and_then(|fk| fk.name.as_ref()) != Some(&name) {
            // A key into another database keeps that database's name.
            let (schema, target) = (text(&row, "ref_schema")?, text(&row, "ref_table")?);
            table.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns: Vec::new(),
                target_table: match database.as_ref() == Some(&schema) {
                    true => target,
                    false => format!("{schema}.{target}"),
                },
                target_columns: Vec::new(),
                on_delete: fk_action(&text(&row, "on_delete")?),
                on_update: fk_action(&text(&row, "on_update")?),
            });
        }
        let fk = table.foreign_keys.last_mut().expect("pushed above");
        fk.columns.push(text(&row, "col")?);
        fk.target_columns.push(text(&row, "ref_col")?);
    }
    for table in tables.tables.iter_mut() {
        let fks = &table.foreign_keys;
        table.indexes.retain(|index| !backs_foreign_key(index, fks));
    }
    Ok(())
}

async fn triggers(conn: &mut MySqlConnection, tables: &mut Tables<'_>) -> Result<(), sqlx::Error> {
    // In the order they fire: one event and timing may have several.
    for row in sqlx::query(
        "SELECT EVENT_OBJECT_TABLE AS tbl, TRIGGER_NAME AS name, ACTION_TIMING AS timing, \
         EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body \
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() \
         ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let Some(table) = tables.get(&text(&row, "tbl")?) else {
            continue;
        };
        let name = text(&row, "name")?;
        // The catalog keeps the parts, not the statement: put it back together.
        let sql = format!(
            "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
            ident(&name),
            text(&row, "timing")?,
            text(&row, "event")?,
            ident(&table.name),
            text(&row, "body")?
        );
        table.triggers.push(Trigger { name, sql });
    }
    Ok(())
}

/// Every CHECK of the database: (table, name, condition). MariaDB's
/// `CHECK_CONSTRAINTS` names the table (check names are per table there); MySQL's does
/// not (they are per database), and `TABLE_CONSTRAINTS` does; MySQL before 8.0.16 has none.
async fn checks(conn: &mut MySqlConnection) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let sql = if has_column(conn, "CHECK_CONSTRAINTS", "TABLE_NAME").await? {
        "SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS sql_text \
         FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, CONSTRAINT_NAME"
    } else if has_column(conn, "CHECK_CONSTRAINTS", "CHECK_CLAUSE").await? {
        "SELECT t.TABLE_NAME AS tbl, c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS sql_text \
         FROM information_schema.CHECK_CONSTRAINTS c \
         JOIN information_schema.TABLE_CONSTRAINTS t \
           ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME \
          AND t.CONSTRAINT_TYPE = 'CHECK' \
         WHERE c.CONSTRAINT_SCHEMA = DATABASE() ORDER BY t.TABLE_NAME, c.CONSTRAINT_NAME"
    } else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for row in sqlx::query(sql).fetch_all(&mut *conn).await? {
        out.push((text(&row, "tbl")?, text(&row, "name")?, text(&row, "sql_text")?));
    }
    Ok(out)
}

/// Whether this server's `information_schema.<table>` has `column`: MySQL and MariaDB
/// differ, and so do their versions.
async fn has_column(conn: &mut MySqlConnection, table: &str, column: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = ? AND COLUMN_NAME = ?",
    )
    .bind(table)
    .bind(column)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// One key part of an index. A prefix (`name(10)`) or a descending part is no plain
/// column key: it reads as an expression, which the IR does not take for it, so the
/// difference is reported rather than lost.
fn key(row: &MySqlRow) -> Result<Key, sqlx::Error> {
    if let Some(expr) = opt_text(row, "expr")?.filter(|e| !e.is_empty()) {
        return Ok(Key::Expression(expr));
    }
    let column = text(row, "col")?;
    let prefix = row.try_get::<Option<i64>, _>("sub_part")?;
    let descending = opt_text(row, "ord")?.as_deref() == Some("D");
    if prefix.is_none() && !descending {
        return Ok(Key::Column(column));
    }
    let mut sql = ident(&column);
    if let Some(n) = prefix {
        sql.push_str(&format!("({n})"));
    }
    if descending {
        sql.push_str(" DESC");
    }
    Ok(Key::Expression(sql))
}

/// Whether `index` is the one InnoDB adds for a foreign key that no index serves:
/// not unique, on exactly the key's columns, and named after the constraint, or after
/// its first column (`<column>_2`, `_3`… where several keys share that first column).
/// An index the schema declared under such a name is indistinguishable, and left out too.
fn backs_foreign_key(index: &Index, fks: &[ForeignKey]) -> bool {
    !index.unique
        && fks.iter().any(|fk| {
            let first = &fk.columns[0];
            let numbered = index
                .name
                .strip_prefix(first.as_str())
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            let named = fk.name.as_ref() == Some(&index.name) || index.name == *first || numbered;
            named
                && index.keys.len() == fk.columns.len()
                && index
                    .keys
                    .iter()
                    .zip(&fk.columns)
                    .all(|(k, c)| *k == Key::Column(c.clone()))
        })
}

/// `RESTRICT` and `NO ACTION` are one on MySQL (checked at once), and the default.
fn fk_action(rule: &str) -> Option<String> {
    match rule.to_uppercase().as_str() {
        "RESTRICT" | "NO ACTION" | "" => None,
        other => Some(other.to_owned()),
    }
}

/// The type modelgen writes as `db_type` (`COLUMN_TYPE`: `int(11)`, `varchar(8)`,
/// `enum('a','b')`), inverting `modelgen_sql`'s MySQL mapping; a JSON column's LONGTEXT
/// was told apart by the caller.
fn logical_type(table: &str, column: &str, db_type: &str) -> Result<LogicalType, String> {
    let none = || Err(format!("MySQL type `{db_type}` has no type in the spec language"));
    let db_type = db_type.trim();
    let word_end = db_type
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(db_type.len());
    let word = db_type[..word_end].to_ascii_lowercase();
    let (args, rest) = match db_type[word_end..].strip_prefix('(') {
        Some(after) => match after.rfind(')') {
            Some(close) => (Some(&after[..close]), after[close + 1..].trim()),
            None => return none(),
        },
        None => (None, db_type[word_end..].trim()),
    };
    // `unsigned`, `zerofill`: ranges the spec language has no word for.
    if !rest.is_empty() {
        return none();
    }
    let number = |s: &str| s.trim().parse::<u32>().ok();
    let ty = match (word.as_str(), args) {
        ("varchar", Some(n)) if number(n).is_some() => LogicalType::Str { max_length: number(n) },
        ("text" | "longtext", None) => LogicalType::Text,
        ("json", None) => LogicalType::Json { shape: JsonShape::Any },
        // The display width (`int(11)`) is no part of the type.
        ("smallint", _) => LogicalType::SmallInt,
        ("int", _) => LogicalType::Int,
        ("bigint", _) => LogicalType::BigInt,
        ("double" | "float", None) => LogicalType::Float,
        ("decimal", Some(ps)) => match ps.split_once(',').map(|(p, s)| (number(p), number(s))) {
            Some((Some(precision), Some(scale))) => LogicalType::Decimal { precision, scale },
            _ => return none(),
        },
        // BOOLEAN is TINYINT(1); whether a CHECK keeps it to 0 and 1 is in `checks`.
        ("tinyint", Some("1")) => LogicalType::Bool { check: false },
        ("datetime", None) => LogicalType::DateTime { timezone: false },
        ("date", None) => LogicalType::Date,
        ("time", None) => LogicalType::Time,
        ("blob" | "longblob", None) => LogicalType::Bytes { max_length: None },
        ("varbinary", Some(n)) if number(n).is_some() => LogicalType::Bytes { max_length: number(n) },
        // A UUID is 32 hex digits, as SQLAlchemy's `Uuid` without a native type.
        ("char", Some("32")) => LogicalType::Uuid,
        ("enum", Some(list)) => {
            let Some(values) = enum_values(list) else { return none() };
            crate::catalog::native_enum(format!("{table}_{column}").to_lowercase(), values)
        }
        _ => return none(),
    };
    Ok(ty)
}

/// `'a','it''s','c\\d'` → `a`, `it's`, `c\d`: the values as `COLUMN_TYPE` quotes them,
/// quotes doubled and backslashes escaped.
fn enum_values(list: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut chars = list.chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                '\\' => value.push(match chars.next()? {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    'Z' => '\u{1a}',
                    other => other,
                }),
                c => value.push(c),
            }
        }
        values.push(value);
        match chars.next() {
            None => return Some(values),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// MySQL (not MariaDB) gives a literal default bare (`abc` for `'abc'`) and an
/// expression's text bare too, marking it `DEFAULT_GENERATED`: both back to SQL text.
fn mysql_default(value: &str, db_type: &str, extra: &str) -> String {
    // `int(11)`, `bigint unsigned`, `decimal(10,2)`: the type's word decides.
    let word = db_type
        .split(['(', ' '])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let numeric = ["int", "decimal", "double", "float", "bit"]
        .iter()
        .any(|t| word.ends_with(t));
    match extra.contains("default_generated") {
        true if value.to_ascii_lowercase().starts_with("current_") => value.to_owned(),
        true => format!("({value})"),
        false if numeric => value.to_owned(),
        false => format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''")),
    }
}

/// A name quoted for MySQL.
fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A text column that may be NULL. MariaDB hands some `information_schema` columns
/// over as binary strings, which sqlx will not decode as `String`: those are read as
/// bytes.
fn opt_text(row: &MySqlRow, column: &str) -> Result<Option<String>, sqlx::Error> {
    match row.try_get::<Option<String>, _>(column) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row
            .try_get::<Option<Vec<u8>>, _>(column)?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())),
    }
}

/// A text column, NULL read as empty.
fn text(row: &MySqlRow, column: &str) -> Result<String, sqlx::Error> {
    Ok(opt_text(row, column)?.unwrap_or_default())
}
