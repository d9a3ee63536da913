//! PostgreSQL's catalog: the `public` schema, through `pg_catalog`.
//!
//! One query per kind of object, each over every table at once, ordered so that rows
//! arrive in the order the [`Catalog`] keeps them; the rows are then dealt out to their
//! tables by name (names are unique within the schema).

use std::collections::BTreeMap;

use modelgen_ir::{JsonShape, LogicalType};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use crate::catalog::{
    Catalog, Check, Column, ForeignKey, Generated, Index, Key, Table, Trigger, Unique, RUNNER_TABLES,
};

/// The tables read: ordinary and partitioned ones of `public` (a partition's parent stands
/// for it), without the migration runners' bookkeeping ([`RUNNER_TABLES`], bound as `$1`).
/// Every query starts with it.
macro_rules! with_tables {
    ($sql:literal) => {
        concat!(
            "WITH tbl AS (
                SELECT c.oid, c.relname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND c.relname::text <> ALL($1)
            ) ",
            $sql
        )
    };
}

const TABLES_SQL: &str = with_tables!(
    "SELECT relname::text AS name, obj_description(oid, 'pg_class') AS comment
     FROM tbl ORDER BY relname"
);

/// `read_seq`: the sequence the default reads, from the dependency PostgreSQL records for
/// the default expression (exact, where parsing `nextval('…'::regclass)` would have to
/// undo quoting and schema qualification). `owned_seq`: the sequence this column owns
/// (`OWNED BY`, an 'a' dependency; an identity's own sequence is an internal 'i' one).
const COLUMNS_SQL: &str = with_tables!(
    "SELECT tbl.relname::text AS table_name, a.attname::text AS name,
            format_type(a.atttypid, a.atttypmod) AS db_type,
            t.typtype::text AS typtype, t.typname::text AS typname,
            ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
            NOT a.attnotnull AS nullable,
            a.attidentity::text AS identity, a.attgenerated::text AS generated,
            pg_get_expr(d.adbin, d.adrelid) AS default_sql,
            col_description(tbl.oid, a.attnum) AS comment,
            (SELECT s.relname::text FROM pg_depend dep JOIN pg_class s ON s.oid = dep.refobjid
             WHERE dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
               AND dep.refclassid = 'pg_class'::regclass AND s.relkind = 'S'
             LIMIT 1) AS read_seq,
            (SELECT s.relname::text FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid
             WHERE dep.classid = 'pg_class'::regclass AND dep.refobjid = tbl.oid
               AND dep.refobjsubid = a.attnum AND dep.deptype = 'a' AND s.relkind = 'S'
             LIMIT 1) AS owned_seq
     FROM tbl
     JOIN pg_attribute a ON a.attrelid = tbl.oid AND a.attnum > 0 AND NOT a.attisdropped
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_attrdef d ON d.adrelid = tbl.oid AND d.adnum = a.attnum
     ORDER BY tbl.relname, a.attnum"
);

/// `conkey`/`confkey` hold attribute numbers in key order: unnest them WITH ORDINALITY
/// to keep it (a plain join would give attribute order).
const CONSTRAINTS_SQL: &str = with_tables!(
    "SELECT tbl.relname::text AS table_name, con.conname::text AS name,
            con.contype::text AS kind,
            ARRAY(SELECT a.attname::text
                  FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                  ORDER BY k.ord) AS columns,
            ARRAY(SELECT a.attname::text
                  FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                  ORDER BY k.ord) AS target_columns,
            rc.relname::text AS target_table,
            con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
            pg_get_constraintdef(con.oid) AS def
     FROM tbl
     JOIN pg_constraint con ON con.conrelid = tbl.oid AND con.contype IN ('p', 'u', 'f', 'c', 'x')
     LEFT JOIN pg_class rc ON rc.oid = con.confrelid
     ORDER BY tbl.relname, con.conname"
);

/// Indexes that back no constraint of their own table: a primary key's, a UNIQUE's or an
/// exclusion constraint's index is the constraint. (A foreign key's `conindid` is the
/// *referenced* table's index, hence the contype filter.) `indkey` has 0 for an
/// expression key; only the first `indnkeyatts` entries are keys, the rest INCLUDE.
/// `plain`: a B-tree with default ordering and no INCLUDE, all the IR can say of an index.
const INDEXES_SQL: &str = with_tables!(
    "SELECT tbl.relname::text AS table_name, ic.relname::text AS name,
            i.indisunique AS is_unique,
            ARRAY(SELECT a.attname::text FROM generate_series(1, i.indnkeyatts) AS k
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
                  ORDER BY k) AS columns,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                  FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS exprs,
            pg_get_expr(i.indpred, i.indrelid) AS predicate,
            (am.amname = 'btree' AND i.indnatts = i.indnkeyatts
             AND 0 = ALL (i.indoption::int2[])) AS plain,
            pg_get_indexdef(i.indexrelid) AS def
     FROM tbl
     JOIN pg_index i ON i.indrelid = tbl.oid
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_am am ON am.oid = ic.relam
     WHERE NOT EXISTS (
         SELECT 1 FROM pg_constraint con
         WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
           AND con.contype IN ('p', 'u', 'x'))
     ORDER BY tbl.relname, ic.relname"
);

/// Internal triggers are those PostgreSQL makes for foreign keys.
const TRIGGERS_SQL: &str = with_tables!(
    "SELECT tbl.relname::text AS table_name, tg.tgname::text AS name,
            pg_get_triggerdef(tg.oid) AS def
     FROM tbl JOIN pg_trigger tg ON tg.tgrelid = tbl.oid AND NOT tg.tgisinternal
     ORDER BY tbl.relname, tg.tgname"
);

/// What else `public` holds. Objects of an extension (a 'e' dependency) are the
/// extension's, not the schema's. A sequence a column owns (SERIAL: 'a', identity: 'i')
/// or a default reads (a named sequence) belongs to that column. A function a trigger
/// calls comes with the trigger, which the table lists.
const OTHER_SQL: &str = "
    SELECT kind, name FROM (
        SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                              WHEN 'f' THEN 'foreign table' ELSE 'sequence' END AS kind,
               c.relname::text AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'f', 'S')
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend dep
              WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
                AND dep.deptype IN ('a', 'i', 'e'))
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend dep
              WHERE dep.classid = 'pg_attrdef'::regclass
                AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid)
        UNION ALL
        SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                              ELSE 'function' END,
               p.proname::text
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend dep
              WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype = 'e')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgfoid = p.oid)
    ) o
    ORDER BY kind, name";

/// The rows of one of the queries above, which all read [`RUNNER_TABLES`] as `$1`.
async fn rows(conn: &mut PgConnection, sql: &'static str) -> Result<Vec<PgRow>, sqlx::Error> {
    sqlx::query(sql).bind(&RUNNER_TABLES[..]).fetch_all(conn).await
}

pub(crate) async fn catalog(conn: &mut PgConnection) -> Result<Catalog, sqlx::Error> {
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut other = Vec::new();

    for row in rows(&mut *conn, TABLES_SQL).await? {
        let name: String = row.try_get("name")?;
        let table = Table {
            name: name.clone(),
            comment: row.try_get("comment")?,
            ..Table::default()
        };
        tables.insert(name, table);
    }

    for row in rows(&mut *conn, COLUMNS_SQL).await? {
        let (table_name, column) = column(&row)?;
        if let Some(table) = tables.get_mut(&table_name) {
            // A stored generated column's expression is no default, and the IR has no
            // computed columns: it is listed, not passed off as a plain column's default.
            if row.try_get::<String, _>("generated")? == "s" {
                other.push(format!("generated column {table_name}.{}", column.name));
            }
            table.columns.push(column);
        }
    }

    for row in rows(&mut *conn, CONSTRAINTS_SQL).await? {
        let table_name: String = row.try_get("table_name")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = row.try_get("name")?;
        let columns: Vec<String> = row.try_get("columns")?;
        match row.try_get::<String, _>("kind")?.as_str() {
            "p" => {
                // The name PostgreSQL gives an unnamed primary key carries nothing.
                if name != default_name(&table_name, None, "pkey") {
                    table.primary_key_name = Some(name);
                }
                table.primary_key = columns;
            }
            "u" => table.uniques.push(Unique {
                name: Some(name),
                columns,
            }),
            "f" => table.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns,
                target_table: row.try_get::<Option<String>, _>("target_table")?.unwrap_or_default(),
                target_columns: row.try_get("target_columns")?,
                on_delete: fk_action(&row.try_get::<String, _>("on_delete")?),
                on_update: fk_action(&row.try_get::<String, _>("on_update")?),
            }),
            "c" => table.checks.push(Check {
                name: Some(name),
                sql: check_condition(&row.try_get::<String, _>("def")?),
            }),
            // Exclusion constraints: nothing in the IR holds one.
            _ => other.push(format!(
                "exclusion constraint {name} on {table_name}: {}",
                row.try_get::<String, _>("def")?
            )),
        }
    }

    for row in rows(&mut *conn, INDEXES_SQL).await? {
        let table_name: String = row.try_get("table_name")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = row.try_get("name")?;
        if !row.try_get::<bool, _>("plain")? {
            // A GIN or hash index, descending keys, INCLUDE columns: as an index of the
            // IR it would read as another index than the one there is.
            let def: String = row.try_get("def")?;
            other.push(format!("index {name} on {table_name}: {def}"));
            continue;
        }
        let columns: Vec<Option<String>> = row.try_get("columns")?;
        let exprs: Vec<String> = row.try_get("exprs")?;
        let keys = columns
            .into_iter()
            .zip(exprs)
            .map(|(column, expr)| match column {
                Some(column) => Key::Column(column),
                None => Key::Expression(expr),
            })
            .collect();
        table.indexes.push(Index {
            name,
            unique: row.try_get("is_unique")?,
            keys,
            predicate: row.try_get("predicate")?,
        });
    }

    for row in rows(&mut *conn, TRIGGERS_SQL).await? {
        let table_name: String = row.try_get("table_name")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        table.triggers.push(Trigger {
            name: row.try_get("name")?,
            sql: row.try_get("def")?,
        });
    }

    for row in sqlx::query(OTHER_SQL).fetch_all(&mut *conn).await? {
        let kind: String = row.try_get("kind")?;
        let name: String = row.try_get("name")?;
        other.push(format!("{kind} {name}"));
    }

    Ok(Catalog {
        tables: tables.into_values().collect(),
        other,
    })
}

/// One row of [`COLUMNS_SQL`]: the table's name and the column.
fn column(row: &PgRow) -> Result<(String, Column), sqlx::Error> {
    let table_name: String = row.try_get("table_name")?;
    let name: String = row.try_get("name")?;
    let db_type: String = row.try_get("db_type")?;
    let ty = match row.try_get::<String, _>("typtype")?.as_str() {
        "e" => Ok(crate::catalog::native_enum(
            row.try_get("typname")?,
            row.try_get("labels")?,
        )),
        _ => logical_type(&db_type),
    };
    let mut default: Option<String> = match row.try_get::<String, _>("generated")?.as_str() {
        "" => row.try_get("default_sql")?,
        _ => None,
    };
    let read_seq: Option<String> = row.try_get("read_seq")?;
    let owned_seq: Option<String> = row.try_get("owned_seq")?;
    let generated = if matches!(row.try_get::<String, _>("identity")?.as_str(), "a" | "d") {
        Some(Generated::Identity)
    } else {
        // Only a default that is the call itself; `nextval('s') * 10` stays a default.
        let nextval = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval(") && d.ends_with("::regclass)") && !d[8..].contains("nextval("));
        match read_seq {
            Some(seq) if nextval => {
                default = None;
                // SERIAL makes exactly this: a sequence the column owns, named as
                // PostgreSQL names it. An owned sequence under another name (say, after
                // the table was renamed) is not what `serial` would make.
                let serial =
                    owned_seq.as_deref() == Some(seq.as_str()) && seq == default_name(&table_name, Some(&name), "seq");
                Some(if serial {
                    Generated::Serial
                } else {
                    Generated::Sequence(seq)
                })
            }
            _ => None,
        }
    };
    let column = Column {
        name,
        db_type,
        ty,
        nullable: row.try_get("nullable")?,
        default,
        generated,
        on_update_now: false,
        computed: None,
        comment: row.try_get("comment")?,
    };
    Ok((table_name, column))
}

/// The type modelgen writes as `format_type` gives it back (modelgen-sql's
/// `type_sql` for PostgreSQL, read in reverse). `real` reads as a float too: it is one,
/// if a narrower one than modelgen writes.
fn logical_type(db_type: &str) -> Result<LogicalType, String> {
    let ty = match db_type {
        "character varying" => LogicalType::Str { max_length: None },
        "text" => LogicalType::Text,
        "smallint" => LogicalType::SmallInt,
        "integer" => LogicalType::Int,
        "bigint" => LogicalType::BigInt,
        "double precision" | "real" => LogicalType::Float,
        "boolean" => LogicalType::Bool { check: false },
        "timestamp without time zone" => LogicalType::DateTime { timezone: false },
        "timestamp with time zone" => LogicalType::DateTime { timezone: true },
        "date" => LogicalType::Date,
        "time without time zone" => LogicalType::Time,
        "bytea" => LogicalType::Bytes { max_length: None },
        "uuid" => LogicalType::Uuid,
        "json" | "jsonb" => LogicalType::Json { shape: JsonShape::Any },
        _ => return parameterized(db_type).ok_or_else(|| no_type(db_type)),
    };
    Ok(ty)
}

/// `character varying(255)`, `numeric(10,2)`; a bare `numeric` has no precision for a
/// `decimal(p,s)`, and a negative scale (PostgreSQL 15) is none the IR holds.
fn parameterized(db_type: &str) -> Option<LogicalType> {
    let (base, args) = db_type.strip_suffix(')')?.split_once('(')?;
    match base {
        "character varying" => Some(LogicalType::Str {
            max_length: Some(args.trim().parse().ok()?),
        }),
        "numeric" => {
            let (p, s) = args.split_once(',')?;
            let (precision, scale) = (p.trim().parse().ok()?, s.trim().parse().ok()?);
            (scale <= precision).then_some(LogicalType::Decimal { precision, scale })
        }
        _ => None,
    }
}

fn no_type(db_type: &str) -> String {
    format!("PostgreSQL type `{db_type}` has no type in the spec language")
}

/// `confdeltype`/`confupdtype`; `NO ACTION` ('a') is the default and reads as none.
fn fk_action(code: &str) -> Option<String> {
    let action = match code {
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => return None,
    };
    Some(action.to_owned())
}

/// The condition of `pg_get_constraintdef`'s `CHECK (…) [NO INHERIT] [NOT VALID]`.
fn check_condition(def: &str) -> String {
    let mut def = def.trim();
    for suffix in [" NOT VALID", " NO INHERIT"] {
        def = def.strip_suffix(suffix).unwrap_or(def);
    }
    def.strip_prefix("CHECK (")
        .and_then(|d| d.strip_suffix(')'))
        .unwrap_or(def)
        .to_owned()
}

/// The name PostgreSQL makes up for an unnamed object.
fn default_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    modelgen_sql::sequence::pg_object_name(name1, name2, label)
}
