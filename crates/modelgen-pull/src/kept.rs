//! What a database keeps of a schema: the part a pulled schema can be compared with,
//! for `pull`'s round trip and for `diff --database-url`. The rest lives in the spec
//! and the code only, and docs/guide.md lists it.

use crate::text::{portable, server_default, strip_parens, without_casts};
use heck::ToUpperCamelCase;
use modelgen_ir::check::{parse_check, BinaryOp, CheckExpr, Expr};
use modelgen_ir::{DefaultValue, Dialect, FkAction, Generator, JsonShape, LogicalType, Model, ModelKind, Schema};
use modelgen_sql::SqlDialect;
use std::collections::{BTreeMap, HashSet};

/// `schema` as the database built from it on `dialect` would give it back:
/// - model names are their tables' in UpperCamelCase, every model an entity (a join
///   table is a table like any other), with no docs, mixins, relations, soft-delete
///   marker, previous names or naming convention, and `repr` its primary key;
/// - columns keep their name, type, nullability, key, numbering, server default,
///   `on_update` and comment; application defaults, `app_on_update`, `secret`, docs,
///   Rust types, previous names and the name a naming convention gave a type's CHECK go;
/// - a live-only index is the partial index `WHERE <soft-delete column> IS NULL`;
/// - types lose what the database cannot tell: a JSON column's item type, and on SQLite
///   and MySQL a `datetime(tz)`'s time zone, on SQLite and PostgreSQL a `bytes(n)`'s
///   length; PostgreSQL alone tells how a key is numbered;
/// - enums are named after their database type (UpperCamelCase of it); on SQLite, where
///   an enum is a VARCHAR, one without a CHECK is that VARCHAR, and one with a CHECK is
///   named after the CHECK;
/// - SQLite keeps an autoincrementing key's width as the rowid's 64 bits: such a key has
///   the type of the columns that reference it, or `bigint`;
/// - a server default and a CHECK are what the database gives back of the SQL modelgen
///   writes for them, read as [`crate::pull`] reads them: a literal, or the SQL text of
///   this database alone;
/// - tables are in name order, and so are indexes, uniques, foreign keys and checks (a
///   database keeps no order among them);
/// - SQLite keeps no comments.
pub fn kept(schema: &Schema, dialect: Dialect) -> Schema {
    let mut schema = schema.clone();
    for m in &mut schema.models {
        m.name = m.table.to_upper_camel_case();
        m.kind = ModelKind::Entity;
        m.doc = None;
        m.mixins.clear();
        m.relations.clear();
        m.repr = m.primary_key.clone();
        // A live-only index is a partial one over the soft-delete column.
        if let Some(column) = m.soft_delete.take() {
            for index in m.indexes.iter_mut().filter(|i| i.live_only) {
                index.live_only = false;
                index.predicate = modelgen_ir::check::parse_check(&format!("{column} is null")).ok();
            }
        }
        m.renamed_from = None;
        m.naming = None;
        if dialect == Dialect::Sqlite {
            m.comment = None;
        }
        for fk in &mut m.foreign_keys {
            fk.target_model = fk.target_table.to_upper_camel_case();
            // MySQL behaves alike for both and says RESTRICT; no action is the default.
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if *action == Some(FkAction::NoAction)
                    || (dialect == Dialect::Mysql && *action == Some(FkAction::Restrict))
                {
                    *action = None;
                }
            }
            if dialect == Dialect::Mysql {
                fk.name =
                    modelgen_sql::ddl::foreign_key_constraint_name(&m.table, fk, dialect).map(|n| dialect.name_of(&n));
            }
        }
        if dialect == Dialect::Mysql {
            // MySQL's primary key is always `PRIMARY`, and a named UNIQUE constraint is a
            // unique index of that name.
            m.primary_key_name = None;
            for u in std::mem::take(&mut m.uniques) {
                match u.name {
                    Some(name) => m.indexes.push(modelgen_ir::Index {
                        name,
                        columns: u.columns.into_iter().map(modelgen_ir::IndexKey::Column).collect(),
                        unique: true,
                        live_only: false,
                        predicate: None,
                    }),
                    None => m.uniques.push(u),
                }
            }
        }
        for check in &mut m.checks {
            check.doc = None;
        }
        for c in &mut m.columns {
            c.default = None;
            c.app_on_update = None;
            c.secret = false;
            c.doc = None;
            c.mixin = None;
            c.renamed_from = None;
            c.rust_type = None;
            if dialect == Dialect::Sqlite {
                c.comment = None;
            }
            if dialect != Dialect::Postgres {
                c.generator = Generator::Identity;
            }
            kept_type(&mut c.ty, dialect, c.check_name.as_deref());
            // MySQL's ENUM is named by nothing but its table and column.
            if let (Dialect::Mysql, LogicalType::Enum(e)) = (dialect, &mut c.ty) {
                if e.native {
                    e.type_name = format!("{}_{}", m.table, c.name).to_lowercase();
                    e.name = e.type_name.to_upper_camel_case();
                }
            }
        }
        for c in &mut m.columns {
            // A naming convention's name for a type's CHECK has no place in a spec
            // without the convention: an enum takes it as its type's name.
            c.check_name = None;
            if let Some(value) = &c.server_default {
                c.server_default = Some(given_back(value, &c.ty, dialect));
            }
            // PostgreSQL's type checks need none: its BOOLEAN holds only booleans.
            if dialect == Dialect::Postgres && c.ty == (LogicalType::Bool { check: true }) {
                c.ty = LogicalType::Bool { check: false };
            }
        }
        for check in &mut m.checks {
            if let CheckExpr::Sql(by_dialect) = &check.expr {
                let sql = by_dialect.get(&dialect).cloned().unwrap_or_default();
                check.expr = match parse_check(&portable(&sql)) {
                    Ok(tree) => CheckExpr::Tree(tree),
                    Err(_) => CheckExpr::Sql(BTreeMap::from([(dialect, without_casts(&sql))])),
                };
            }
            if let CheckExpr::Tree(e) = &mut check.expr {
                canonical(e);
            }
        }
        for index in &mut m.indexes {
            if let Some(p) = &mut index.predicate {
                canonical(p);
            }
        }
        m.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        m.uniques
            .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
        m.foreign_keys
            .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
        m.checks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if dialect == Dialect::Sqlite {
        rowid_key_types(&mut schema.models);
    }
    schema.models.sort_by(|a, b| a.table.cmp(&b.table));
    schema
}

/// [`kept`], for comparing one database's schema with another's: a check in raw SQL is
/// compared by name alone, since a database gives raw SQL back in its own words
/// (MariaDB's `BINARY x` is `cast(x as char charset binary)`).
pub fn comparable(schema: &Schema, dialect: Dialect) -> Schema {
    let mut schema = kept(schema, dialect);
    for check in schema.models.iter_mut().flat_map(|m| &mut m.checks) {
        if let CheckExpr::Sql(by_dialect) = &mut check.expr {
            by_dialect.values_mut().for_each(String::clear);
        }
    }
    schema
}

/// A server default as the database gives back the SQL modelgen writes for it.
fn given_back(value: &DefaultValue, ty: &LogicalType, dialect: Dialect) -> DefaultValue {
    let sql = dialect.default_sql(value, ty);
    // SQLite gives an expression back without the parentheses around it.
    let sql = match dialect {
        Dialect::Sqlite => strip_parens(&sql),
        _ => sql,
    };
    match server_default(dialect, &sql, ty) {
        // Databases give SQL back respelled: PostgreSQL with the casts it inferred,
        // MariaDB without spaces and in lower case. Compared without either.
        DefaultValue::Sql(by_dialect) => DefaultValue::Sql(
            by_dialect
                .into_iter()
                .map(|(d, sql)| (d, comparable_sql(&sql)))
                .collect(),
        ),
        literal => literal,
    }
}

/// SQL text with casts, outer parentheses and spaces gone, lower case outside quotes.
fn comparable_sql(sql: &str) -> String {
    let text = strip_parens(&without_casts(sql));
    let mut out = String::new();
    let mut quoted = false;
    for c in text.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        match quoted {
            true => out.push(c),
            false if c.is_whitespace() => {}
            false => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// An expression in the form a database gives back any of its spellings: a one-value
/// `IN` list (which PostgreSQL turns into `=`) as `=`.
fn canonical(e: &mut Expr) {
    if let Expr::In { expr, list, negated } = e {
        if list.len() == 1 {
            let op = if *negated { BinaryOp::Ne } else { BinaryOp::Eq };
            *e = Expr::Binary {
                op,
                left: expr.clone(),
                right: Box::new(list[0].clone()),
            };
        }
    }
    // MariaDB gives `not (a < b)` back as `a >= b`.
    if let Expr::Not { expr } = e {
        if let Expr::Binary { op, left, right } = &**expr {
            let flipped = match op {
                BinaryOp::Lt => Some(BinaryOp::Ge),
                BinaryOp::Le => Some(BinaryOp::Gt),
                BinaryOp::Gt => Some(BinaryOp::Le),
                BinaryOp::Ge => Some(BinaryOp::Lt),
                BinaryOp::Eq => Some(BinaryOp::Ne),
                BinaryOp::Ne => Some(BinaryOp::Eq),
                _ => None,
            };
            if let Some(op) = flipped {
                *e = Expr::Binary {
                    op,
                    left: left.clone(),
                    right: right.clone(),
                };
            }
        }
    }
    // MySQL gives a bare boolean column back as `x <> 0` (read as `x <> false`).
    if let Expr::Binary { op, left, right } = e {
        if matches!(
            (&*op, &**right),
            (BinaryOp::Ne, Expr::Bool { value: false }) | (BinaryOp::Eq, Expr::Bool { value: true })
        ) && matches!(&**left, Expr::Column { .. })
        {
            *e = (**left).clone();
        }
    }
    match e {
        Expr::Binary { left, right, .. } => {
            canonical(left);
            canonical(right);
        }
        Expr::In { expr, list, .. } => {
            canonical(expr);
            list.iter_mut().for_each(canonical);
        }
        Expr::Not { expr } | Expr::Neg { expr } | Expr::IsNull { expr, .. } | Expr::Length { expr } => canonical(expr),
        _ => {}
    }
}

/// SQLite writes an autoincrementing `int` and `bigint` key alike, as the rowid's
/// `INTEGER` (64 bits): such a key takes the type of the columns that reference it, so
/// the two still match, and `bigint` when nothing does.
pub(crate) fn rowid_key_types(models: &mut [Model]) {
    let mut narrow: HashSet<(String, String)> = HashSet::new();
    for m in models.iter() {
        for fk in &m.foreign_keys {
            for (from, to) in fk.columns.iter().zip(&fk.target_columns) {
                if m.column(from).is_some_and(|c| c.ty == LogicalType::Int) {
                    narrow.insert((fk.target_table.clone(), to.clone()));
                }
            }
        }
    }
    for m in models.iter_mut() {
        for c in m.columns.iter_mut().filter(|c| c.autoincrement) {
            if matches!(c.ty, LogicalType::Int | LogicalType::BigInt) {
                c.ty = match narrow.contains(&(m.table.clone(), c.name.clone())) {
                    true => LogicalType::Int,
                    false => LogicalType::BigInt,
                };
            }
        }
    }
}

fn kept_type(ty: &mut LogicalType, dialect: Dialect, check_name: Option<&str>) {
    match ty {
        LogicalType::Enum(e) if dialect == Dialect::Sqlite && !e.check => {
            let longest = e.values.iter().map(|v| v.chars().count()).max().unwrap_or(1);
            *ty = LogicalType::Str {
                max_length: Some(longest as u32),
            };
        }
        LogicalType::Enum(e) => {
            if dialect == Dialect::Sqlite || !e.native {
                e.native = false;
                if let Some(name) = check_name {
                    e.type_name = name.to_owned();
                }
            }
            // The CHECK is made only where the enum is a VARCHAR.
            if !e.as_varchar(dialect) {
                e.check = false;
            }
            e.name = e.type_name.to_upper_camel_case();
            e.renamed_values.clear();
        }
        LogicalType::Json { shape } => *shape = JsonShape::Any,
        LogicalType::DateTime { timezone } if dialect != Dialect::Postgres => *timezone = false,
        LogicalType::Bytes { max_length } if dialect != Dialect::Mysql => *max_length = None,
        _ => {}
    }
}
