//! What a database should report after applying modelgen's migration for a schema,
//! derived from the IR independently of the SQL back end, and the comparison with what
//! it does report. Every SQL test reads a real catalog back through this one helper.

use modelgen_ir::{DefaultValue, Dialect, FkAction, Generator, IndexKey, LogicalType, Model, Schema};
use modelgen_sql::SqlDialect;
use modelgen_testdb::{Catalog, Check, Column, ForeignKey, Index, Table};
use std::collections::BTreeMap;

/// The catalog `dialect` should report for `schema`, normalized as [`normalize`] does.
pub fn expected(schema: &Schema, dialect: Dialect) -> Catalog {
    let mut tables = BTreeMap::new();
    let mut triggers = Vec::new();
    let mut sequences = Vec::new();
    for model in &schema.models {
        let n = |name: &str| dialect.name_of(name);
        let table = n(&model.table);
        let mut columns: Vec<Column> = model
            .columns
            .iter()
            .map(|c| Column {
                name: n(&c.name),
                ty: reported_type(dialect, &c.ty, c.autoincrement),
                nullable: c.nullable,
                default: c.server_default.as_ref().map(|v| reported_default(dialect, v, &c.ty)),
                autoincrement: c.autoincrement || sqlite_rowid_alias(dialect, model, &c.name),
                generator: reported_generator(dialect, c),
                comment: reported_comment(dialect, c.comment.as_deref()),
            })
            .collect();
        if dialect == Dialect::Postgres {
            sequences.extend(reported_sequences(model));
        }
        let live_fallback = dialect == Dialect::Mysql && model.indexes.iter().any(|i| i.live_only);
        if live_fallback {
            columns.push(Column {
                name: modelgen_sql::MYSQL_LIVE_COLUMN.into(),
                ty: "tinyint(4)".into(),
                nullable: true,
                default: None,
                autoincrement: false,
                generator: None,
                comment: None,
            });
        }
        let mut indexes: Vec<Index> = model
            .indexes
            .iter()
            .map(|i| {
                let keys = modelgen_sql::ddl::index_keys(i, dialect);
                let mut columns: Vec<String> = i
                    .columns
                    .iter()
                    .zip(keys)
                    .map(|(k, sql)| match k {
                        IndexKey::Column(c) => n(c),
                        IndexKey::Expr(_) => format!("{EXPR_MARK}{}", expr_shape(&sql)),
                    })
                    .collect();
                let mut predicate = None;
                if i.live_only && dialect == Dialect::Mysql {
                    columns.push(modelgen_sql::MYSQL_LIVE_COLUMN.into());
                }
                if let Some(p) = modelgen_sql::ddl::index_predicate(model, i, dialect) {
                    predicate = Some(match &i.predicate {
                        None => p.replace(['"', '`'], ""),
                        // PostgreSQL rewrites `in (…)` as `= ANY (ARRAY[…])`: there only
                        // that there is a condition is compared (the behaviour tests run it).
                        Some(e) if dialect == Dialect::Postgres && has_in(e) => PG_REWRITTEN.to_owned(),
                        Some(_) => format!("{EXPR_MARK}{}", expr_shape(&p)),
                    });
                }
                Index {
                    name: n(&i.name),
                    unique: i.unique,
                    columns,
                    predicate,
                }
            })
            .collect();
        let mut uniques: Vec<Vec<String>> = model
            .uniques
            .iter()
            .map(|u| u.columns.iter().map(|c| n(c)).collect())
            .collect();
        if dialect == Dialect::Mysql {
            // MariaDB keeps a UNIQUE constraint as a unique index named after the
            // constraint, or else after its first column.
            for u in uniques.drain(..) {
                let name = model
                    .uniques
                    .iter()
                    .find(|m| m.columns.iter().map(|c| n(c)).eq(u.iter().cloned()));
                let name = name.and_then(|m| m.name.as_deref()).map_or_else(|| u[0].clone(), n);
                indexes.push(Index {
                    name,
                    unique: true,
                    columns: u,
                    predicate: None,
                });
            }
        }
        indexes.sort();
        uniques.sort();
        let mut foreign_keys: Vec<ForeignKey> = model
            .foreign_keys
            .iter()
            .map(|fk| ForeignKey {
                columns: fk.columns.iter().map(|c| n(c)).collect(),
                ref_table: n(&fk.target_table),
                ref_columns: fk.target_columns.iter().map(|c| n(c)).collect(),
                on_delete: action(dialect, fk.on_delete),
                on_update: action(dialect, fk.on_update),
            })
            .collect();
        foreign_keys.sort();
        if dialect != Dialect::Mysql {
            for c in model.columns.iter().filter(|c| c.on_update.is_some()) {
                triggers.push(format!(
                    "{table}.{}",
                    n(&format!("{}_{}_on_update", model.table, c.name))
                ));
            }
        }
        let primary_key = model.primary_key.iter().map(|c| n(c)).collect();
        // The model's own checks and those its column types bring (an enum's, a
        // `bool(check)`'s) on this database.
        let mut checks: Vec<Check> = modelgen_ir::check::all_checks(model)
            .iter()
            .filter(|c| c.applies(dialect))
            .map(|c| Check {
                name: Some(c.name.clone()),
                condition: expected_check_condition(c, dialect),
            })
            .collect();
        for c in &mut checks {
            c.condition = c.condition.replace('"', "");
        }
        checks.sort();
        // The names the schema gives, where the database reports them (see
        // `Table::constraint_names`); the database's own names are left out by `normalize`.
        let mut constraint_names = BTreeMap::new();
        let named = |kind: &str, columns: &[String], name: &Option<String>| {
            let columns: Vec<String> = columns.iter().map(|c| n(c)).collect();
            name.as_ref()
                .map(|name| (Table::constraint_key(kind, &columns), n(name)))
        };
        if dialect == Dialect::Postgres {
            constraint_names.extend(named("pk", &model.primary_key, &model.primary_key_name));
            constraint_names.extend(model.uniques.iter().filter_map(|u| named("uq", &u.columns, &u.name)));
        }
        if dialect != Dialect::Sqlite {
            constraint_names.extend(
                model
                    .foreign_keys
                    .iter()
                    .filter_map(|fk| named("fk", &fk.columns, &fk.name)),
            );
        }
        tables.insert(
            table,
            Table {
                columns,
                primary_key,
                indexes,
                uniques,
                foreign_keys,
                checks,
                constraint_names,
                comment: reported_comment(dialect, model.comment.as_deref()),
            },
        );
    }
    triggers.sort();
    sequences.sort();
    Catalog {
        tables,
        triggers,
        sequences,
    }
}

/// How PostgreSQL reports the key's generator ([`modelgen_testdb::Column::generator`]).
fn reported_generator(dialect: Dialect, c: &modelgen_ir::Column) -> Option<String> {
    (dialect == Dialect::Postgres && c.autoincrement).then(|| match &c.generator {
        Generator::Identity => "identity".to_owned(),
        Generator::Serial => "serial".to_owned(),
        Generator::Sequence(name) => format!("sequence {name}"),
    })
}

/// The sequences PostgreSQL lists for a table's keys: a SERIAL's, of the column's type and
/// owned by it, and a named one, a plain `CREATE SEQUENCE`'s bigint.
fn reported_sequences(model: &Model) -> Vec<String> {
    let d = Dialect::Postgres;
    let n = |name: &str| d.name_of(name);
    let int = |ty: &LogicalType| match ty {
        LogicalType::SmallInt => "smallint",
        LogicalType::BigInt => "bigint",
        _ => "integer",
    };
    model
        .columns
        .iter()
        .filter(|c| c.autoincrement)
        .filter_map(|c| match &c.generator {
            Generator::Identity => None,
            Generator::Serial => Some(format!(
                "{} {} owned by {}.{}",
                modelgen_sql::sequence::serial_sequence(&n(&model.table), &n(&c.name)),
                int(&c.ty),
                n(&model.table),
                n(&c.name)
            )),
            Generator::Sequence(name) => Some(format!("{name} bigint")),
        })
        .collect()
}

/// A comment as the database reports it: as written, but on SQLite, which keeps none.
fn reported_comment(dialect: Dialect, comment: Option<&str>) -> Option<String> {
    comment.filter(|_| dialect != Dialect::Sqlite).map(str::to_owned)
}

/// A check's condition as SQLite keeps it: the text written. PostgreSQL and MariaDB
/// rewrite it in their own words (casts, parentheses, quoting), so there only the names
/// are compared here; the SQLAlchemy tests compare their conditions with the ones
/// `create_all` gets, and the migration tests their effect on rows.
fn expected_check_condition(check: &modelgen_ir::check::Check, dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => modelgen_testdb::normalize_predicate(&modelgen_sql::check::check_condition(check, dialect)),
        _ => String::new(),
    }
}

/// MariaDB shows a literal default escaped C-style (`\\`, `\'`, `\n`, `\t`); back to
/// the SQL spelling the IR's default has (a quote doubled, the rest as the characters).
fn mariadb_unescape(d: &str) -> String {
    let mut out = String::with_capacity(d.len());
    let mut chars = d.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\'') => out.push_str("''"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Irons out spellings that differ only in form: casts PostgreSQL adds to defaults, MariaDB's
/// function spellings, quoting in predicates, and the indexes InnoDB adds for foreign keys.
pub fn normalize(mut catalog: Catalog, dialect: Dialect, expected: &Catalog) -> Catalog {
    for (name, table) in catalog.tables.iter_mut() {
        let wanted_defaults: Vec<(String, String)> = expected
            .tables
            .get(name)
            .map(|t| {
                t.columns
                    .iter()
                    .filter_map(|c| Some((c.name.clone(), c.default.clone()?)))
                    .collect()
            })
            .unwrap_or_default();
        for c in &mut table.columns {
            let sql = wanted_defaults
                .iter()
                .find(|(n, d)| *n == c.name && d.starts_with(SQL_MARK))
                .map(|(_, d)| d.clone());
            if let (Some(want), Some(got)) = (&sql, &c.default) {
                if sql_shape(&want[SQL_MARK.len()..]) == sql_shape(got) {
                    c.default = sql;
                }
                continue;
            }
            c.default = c.default.take().map(|d| {
                let d = if dialect == Dialect::Mysql {
                    mariadb_unescape(&d)
                } else {
                    d
                };
                normalize_default(&d)
            });
        }
        let wanted_indexes: Vec<Index> = expected.tables.get(name).map(|t| t.indexes.clone()).unwrap_or_default();
        for i in &mut table.indexes {
            let want = wanted_indexes.iter().find(|w| w.name == i.name);
            let want_predicate = want.and_then(|w| w.predicate.as_deref());
            i.predicate = i.predicate.take().map(|p| match want_predicate {
                Some(PG_REWRITTEN) => PG_REWRITTEN.to_owned(),
                Some(w) if w.starts_with(EXPR_MARK) => format!("{EXPR_MARK}{}", expr_shape(&p)),
                _ => p.replace(['"', '`'], ""),
            });
            // pg_get_indexdef quotes reserved words (`"group"`).
            for (k, c) in i.columns.iter_mut().enumerate() {
                let expression = want
                    .and_then(|w| w.columns.get(k))
                    .is_some_and(|w| w.starts_with(EXPR_MARK));
                *c = match expression {
                    true => format!("{EXPR_MARK}{}", expr_shape(c)),
                    false => c.trim_matches('"').replace("\"\"", "\""),
                };
            }
        }
        // Names the database chose itself are not the schema's to compare.
        let given = expected.tables.get(name).map(|t| &t.constraint_names);
        table
            .constraint_names
            .retain(|key, _| given.is_some_and(|g| g.contains_key(key)));
        for c in &mut table.checks {
            c.condition = match dialect {
                // SQLAlchemy quotes only the names that need it (an enum's CHECK).
                Dialect::Sqlite => c.condition.replace('"', ""),
                _ => String::new(),
            };
        }
        if dialect == Dialect::Mysql {
            let wanted: Vec<&str> = expected
                .tables
                .get(name)
                .map(|t| t.indexes.iter().map(|i| i.name.as_str()).collect())
                .unwrap_or_default();
            let fk_columns: Vec<Vec<String>> = table.foreign_keys.iter().map(|fk| fk.columns.clone()).collect();
            table
                .indexes
                .retain(|i| wanted.contains(&i.name.as_str()) || !fk_columns.contains(&i.columns));
        }
    }
    catalog
}

/// Marks an expression (an index's key or condition of the check language) compared by
/// [`expr_shape`].
const EXPR_MARK: &str = "expr: ";
/// Stands for a condition PostgreSQL rewrote beyond [`expr_shape`].
const PG_REWRITTEN: &str = "(a condition PostgreSQL rewrote)";

/// An expression without what the databases add or drop in their own spelling:
/// quotes, casts PostgreSQL adds (`email::text`, `0::numeric`), parentheses, spaces and
/// case. What is left is still the expression's names, operators and literals in order.
fn expr_shape(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            in_string = c != '\'';
            continue;
        }
        match c {
            '\'' => {
                in_string = true;
                out.push(c);
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                while chars
                    .peek()
                    .is_some_and(|c| c.is_ascii_lowercase() || *c == ' ' || *c == '_')
                {
                    chars.next();
                }
            }
            '"' | '`' | '(' | ')' => {}
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn has_in(e: &modelgen_ir::check::Expr) -> bool {
    use modelgen_ir::check::Expr;
    match e {
        Expr::In { .. } => true,
        Expr::Binary { left, right, .. } => has_in(left) || has_in(right),
        Expr::Not { expr } | Expr::IsNull { expr, .. } => has_in(expr),
        _ => false,
    }
}

/// Reads nothing itself: compares, and on a difference shows both sides table by table.
pub fn assert_matches(actual: Catalog, schema: &Schema, dialect: Dialect, what: &str) {
    let expected = expected(schema, dialect);
    let actual = normalize(actual, dialect, &expected);
    if actual == expected {
        return;
    }
    let mut report = format!(
        "{what} on {}: the database's catalog differs from the IR\n",
        dialect.name()
    );
    let mut names: Vec<&String> = expected.tables.keys().chain(actual.tables.keys()).collect();
    names.dedup();
    for name in names {
        let (e, a) = (expected.tables.get(name), actual.tables.get(name));
        if e != a {
            let (e, a) = (format!("{e:#?}\n"), format!("{a:#?}\n"));
            let diff = similar::TextDiff::from_lines(&e, &a);
            report.push_str(&format!(
                "table {name} (- expected, + actual):\n{}",
                diff.unified_diff().context_radius(3)
            ));
        }
    }
    if expected.sequences != actual.sequences {
        report.push_str(&format!(
            "sequences:\n  expected {:?}\n  actual   {:?}\n",
            expected.sequences, actual.sequences
        ));
    }
    if expected.triggers != actual.triggers {
        report.push_str(&format!(
            "triggers:\n  expected {:?}\n  actual   {:?}\n",
            expected.triggers, actual.triggers
        ));
    }
    panic!("{report}");
}

/// The SQLite rowid alias: a lone INTEGER primary key autoincrements whether asked or not.
fn sqlite_rowid_alias(dialect: Dialect, model: &Model, column: &str) -> bool {
    let c = model.column(column).unwrap();
    dialect == Dialect::Sqlite && model.primary_key == [column] && (c.ty == LogicalType::Int || c.autoincrement)
}

/// The type each database reports for a logical type — the read-back side of the type
/// table in docs/sql.md.
fn reported_type(dialect: Dialect, ty: &LogicalType, autoincrement: bool) -> String {
    use LogicalType as T;
    match (dialect, ty) {
        (Dialect::Sqlite, _) if autoincrement => "integer".into(),
        (Dialect::Postgres, T::Str { max_length: Some(n) }) => format!("character varying({n})"),
        (Dialect::Postgres, T::Str { max_length: None }) => "character varying".into(),
        (_, T::Str { max_length: Some(n) }) => format!("varchar({n})"),
        // MySQL has no VARCHAR without a length; the spec refuses it there.
        (_, T::Str { max_length: None }) => "varchar".into(),
        (_, T::Text) => "text".into(),
        (Dialect::Mysql, T::SmallInt) => "smallint(6)".into(),
        (_, T::SmallInt) => "smallint".into(),
        (Dialect::Mysql, T::Int) => "int(11)".into(),
        (_, T::Int) => "integer".into(),
        (Dialect::Mysql, T::BigInt) => "bigint(20)".into(),
        (_, T::BigInt) => "bigint".into(),
        (Dialect::Sqlite, T::Float) => "float".into(),
        (Dialect::Postgres, T::Float) => "double precision".into(),
        (Dialect::Mysql, T::Float) => "double".into(),
        (Dialect::Sqlite, T::Decimal { precision, scale }) => format!("numeric({precision}, {scale})"),
        (Dialect::Postgres, T::Decimal { precision, scale }) => format!("numeric({precision},{scale})"),
        (Dialect::Mysql, T::Decimal { precision, scale }) => format!("decimal({precision},{scale})"),
        (Dialect::Mysql, T::Bool { .. }) => "tinyint(1)".into(),
        (_, T::Bool { .. }) => "boolean".into(),
        (Dialect::Postgres, T::DateTime { timezone: false }) => "timestamp without time zone".into(),
        (Dialect::Postgres, T::DateTime { timezone: true }) => "timestamp with time zone".into(),
        (_, T::DateTime { .. }) => "datetime".into(),
        (_, T::Date) => "date".into(),
        (Dialect::Postgres, T::Time) => "time without time zone".into(),
        (_, T::Time) => "time".into(),
        (Dialect::Sqlite, T::Bytes { .. }) => "blob".into(),
        (Dialect::Postgres, T::Bytes { .. }) => "bytea".into(),
        (Dialect::Mysql, T::Bytes { max_length: Some(n) }) => format!("varbinary({n})"),
        (Dialect::Mysql, T::Bytes { max_length: None }) => "longblob".into(),
        (Dialect::Postgres, T::Uuid) => "uuid".into(),
        (_, T::Uuid) => "char(32)".into(),
        (Dialect::Postgres, T::Enum(e)) if e.as_varchar(dialect) => format!("character varying({})", e.max_length()),
        (_, T::Enum(e)) if e.as_varchar(dialect) => format!("varchar({})", e.max_length()),
        (Dialect::Postgres, T::Enum(e)) => e.type_name.clone(),
        (_, T::Enum(e)) => format!(
            "enum({})",
            e.values
                .iter()
                .map(|v| format!("'{}'", v.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(",")
        ),
        (Dialect::Mysql, T::Json { .. }) => "longtext".into(),
        (_, T::Json { .. }) => "json".into(),
    }
}

/// Marks an expected default that is SQL as written (`server_default_sql`).
const SQL_MARK: &str = "sql: ";

/// An SQL expression without what databases add or drop when they print it back: casts
/// and outer parentheses (PostgreSQL's `('a'::text || 'b'::text)`, MariaDB's `1 + 2` for
/// `(1 + 2)`), spaces, case, MariaDB's `current_timestamp()`.
fn sql_shape(text: &str) -> String {
    let text = normalize_default(text);
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
        .replace("current_timestamp()", "current_timestamp");
    while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
        s = s[1..s.len() - 1].to_owned();
    }
    s
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// A default as the catalog reports it, after [`normalize_default`].
fn reported_default(dialect: Dialect, value: &DefaultValue, ty: &LogicalType) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    match value {
        DefaultValue::Bool(b) if dialect == Dialect::Postgres => b.to_string(),
        DefaultValue::Bool(b) => u8::from(*b).to_string(),
        DefaultValue::Int(i) => i.to_string(),
        // SQLite and PostgreSQL keep the literal as written (`0.0`); MariaDB prints `0`.
        DefaultValue::Float(f) if dialect == Dialect::Mysql => f.to_string(),
        DefaultValue::Float(f) => format!("{f:?}"),
        // MariaDB shows every digit of the scale: `0` in NUMERIC(10, 2) reads `0.00`.
        DefaultValue::Decimal(d) => match (dialect, ty) {
            (Dialect::Mysql, LogicalType::Decimal { scale, .. }) if *scale > 0 => {
                let (whole, frac) = d.split_once('.').unwrap_or((d, ""));
                format!("{whole}.{frac:0<width$}", width = *scale as usize)
            }
            _ => d.clone(),
        },
        DefaultValue::Str(s) if *ty == LogicalType::Uuid && dialect != Dialect::Postgres => quote(&s.replace('-', "")),
        // A number in a string (`DEFAULT '0'`) reads back as the number, as every quoted
        // number does after `normalize_default`.
        DefaultValue::Str(s)
            if matches!(
                ty,
                LogicalType::SmallInt | LogicalType::Int | LogicalType::BigInt | LogicalType::Float
            ) =>
        {
            s.clone()
        }
        DefaultValue::Str(s) | DefaultValue::Json(s) => quote(s),
        DefaultValue::Uuid4 => unreachable!("the spec refuses uuid4 as a server default"),
        // Each database prints an expression its own way; `normalize` compares its shape.
        DefaultValue::Sql(by_dialect) => format!("{SQL_MARK}{}", by_dialect[&dialect]),
        DefaultValue::Now => match (dialect, ty) {
            (_, LogicalType::Date) => "CURRENT_DATE".into(),
            (Dialect::Postgres, LogicalType::DateTime { timezone: false }) => "timezone('utc', now())".into(),
            _ => "CURRENT_TIMESTAMP".into(),
        },
    }
}

fn normalize_default(text: &str) -> String {
    let mut s = text.trim().to_owned();
    // PostgreSQL: `'abc'::character varying`, `'utc'::text`, `'9000000000'::bigint`, and
    // an enum's quoted type name, `'draft'::"stateς"`.
    while let Some(at) = s.find("::") {
        let rest = &s[at + 2..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let close = quoted.find('"').map_or(rest.len(), |q| q + 2);
            s.replace_range(at..at + 2 + close, "");
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ' ' || c == '_'))
            .map_or(rest.len(), |e| e);
        let end = if rest[end..].starts_with('(') {
            end + rest[end..].find(')').map_or(0, |p| p + 1)
        } else {
            end
        };
        s.replace_range(at..at + 2 + end, "");
        s = s.trim_end().to_owned();
    }
    if s.starts_with('(') && s.ends_with(')') && s[1..s.len() - 1].starts_with('\'') {
        s = s[1..s.len() - 1].to_owned();
    }
    match s.as_str() {
        "current_timestamp()" | "now()" => return "CURRENT_TIMESTAMP".into(),
        "curdate()" => return "CURRENT_DATE".into(),
        _ => {}
    }
    // `'9000000000'` from a cast of a number back to a number.
    let unquoted = s.trim_matches('\'');
    if s.starts_with('\'') && !unquoted.is_empty() && unquoted.parse::<f64>().is_ok() && !unquoted.contains(' ') {
        return unquoted.to_owned();
    }
    s
}

fn action(dialect: Dialect, action: Option<FkAction>) -> String {
    match action {
        Some(a) => a.sql().to_owned(),
        // What each database records when no action is given.
        None if dialect == Dialect::Mysql => "RESTRICT".into(),
        None => "NO ACTION".into(),
    }
}
