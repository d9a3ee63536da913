//! The view of a model's sqlx queries (`output.rust.queries`): for each dialect the spec
//! lists, the SQL of every query — quoted, with that database's placeholders — and the
//! Rust that binds each value. Every column list comes from the model's columns, so a
//! new field is bound everywhere without anyone writing it.

use crate::rust::{ident, Types};
use modelgen_ir::rust_names::insert_struct_name;
use modelgen_ir::{Column, Dialect, LogicalType, Model, ModelKind, RelationKind};
use modelgen_sql::SqlDialect;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct QueriesView {
    pub struct_name: String,
    pub insert_struct: String,
    pub patch_struct: String,
    /// Every column but the key and those the database keeps current (`on_update`).
    pub patch_fields: Vec<PatchField>,
    /// The primary key as parameters of `get`, `delete` and `patch`.
    pub key: Vec<Param>,
    /// The key's type as one value: `i64`, or a tuple for a composite key.
    pub key_type: String,
    /// `get_by_*` for each unique column set.
    pub lookups: Vec<Lookup>,
    /// Relations over single-column foreign keys, loaded for many rows at once.
    pub relations: Vec<RelationView>,
    pub dialects: Vec<DialectQueries>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct RelationView {
    pub name: String,
    /// `many_to_one`, `one_to_many` or `many_to_many`.
    pub kind: &'static str,
    pub target_struct: String,
    /// An iterator adapter over `rows` giving the values to match: `.map(|r| &r.id)`, or
    /// tuples of them for a composite key.
    pub keys: String,
    /// How many columns the key has: above one, `keys` gives tuples.
    pub key_arity: usize,
    /// Many-to-many: the key types of each side, the target's key field (to pair the
    /// loaded rows), and the parameters of `link_*`/`unlink_*` on a generated join table.
    pub own_key_type: String,
    pub target_key_type: String,
    pub target_key_field: String,
    pub link_params: Vec<Param>,
}

/// The models of a schema by name and by table, to follow relations.
pub struct Models<'a> {
    by_name: HashMap<&'a str, &'a Model>,
    by_table: HashMap<&'a str, &'a Model>,
}

impl<'a> Models<'a> {
    pub fn new(models: &'a [Model]) -> Models<'a> {
        Models {
            by_name: models.iter().map(|m| (m.name.as_str(), m)).collect(),
            by_table: models.iter().map(|m| (m.table.as_str(), m)).collect(),
        }
    }
}

/// A relation the queries can load: its target, the join table of a many-to-many, and
/// the columns it matches (`own` on this model's side, `other` on the far one; several
/// for a composite key, one for a many-to-many).
struct Link<'a> {
    name: &'a str,
    kind: RelationKind,
    target: &'a Model,
    join: Option<&'a Model>,
    /// Many-to-one: this model's foreign key and the target column it references.
    /// One-to-many: this model's referenced column and the target's foreign key.
    /// Many-to-many: this model's referenced column and the join's column to it.
    own: Vec<&'a Column>,
    other: Vec<&'a Column>,
    /// Many-to-many: the join's column to the target, and the target column it references.
    far: Option<(&'a Column, &'a Column)>,
}

/// The columns the foreign key of `from` over `columns` references, in key order.
fn referenced<'a>(from: &Model, columns: &[String], models: &Models<'a>) -> Option<Vec<&'a Column>> {
    let fk = from.foreign_keys.iter().find(|fk| fk.columns == columns)?;
    let target = models.by_table.get(fk.target_table.as_str())?;
    fk.target_columns.iter().map(|c| target.column(c)).collect()
}

fn columns_of<'a>(model: &'a Model, names: &[String]) -> Option<Vec<&'a Column>> {
    names.iter().map(|c| model.column(c)).collect()
}

fn links<'a>(model: &'a Model, models: &Models<'a>) -> Vec<Link<'a>> {
    let mut out = Vec::new();
    for rel in &model.relations {
        let Some(&target) = models.by_name.get(rel.target.as_str()) else {
            continue;
        };
        let fk = &rel.foreign_key;
        let link = match rel.kind {
            RelationKind::ManyToOne => columns_of(model, fk)
                .zip(referenced(model, fk, models))
                .map(|(own, other)| Link {
                    name: &rel.name,
                    kind: rel.kind,
                    target,
                    join: None,
                    own,
                    other,
                    far: None,
                }),
            // A one-to-one loads as a one-to-many does; the key's uniqueness keeps it to one.
            RelationKind::OneToMany | RelationKind::OneToOne => referenced(target, fk, models)
                .zip(columns_of(target, fk))
                .map(|(own, other)| Link {
                    name: &rel.name,
                    kind: rel.kind,
                    target,
                    join: None,
                    own,
                    other,
                    far: None,
                }),
            RelationKind::ManyToMany => (|| {
                let join = *models.by_table.get(rel.through.as_deref()?)?;
                let ([_], [target_fk]) = (fk.as_slice(), rel.target_foreign_key.as_slice()) else {
                    return None;
                };
                Some(Link {
                    name: &rel.name,
                    kind: rel.kind,
                    target,
                    join: Some(join),
                    own: referenced(join, fk, models)?,
                    other: columns_of(join, fk)?,
                    far: Some((
                        join.column(target_fk)?,
                        referenced(join, std::slice::from_ref(target_fk), models)?[0],
                    )),
                })
            })(),
        };
        out.extend(link);
    }
    out
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct PatchField {
    pub ident: String,
    pub column: String,
    /// `Option<field type>`: `None` leaves the column alone.
    pub ty: String,
    /// The value to bind once the `Option` is unwrapped into `value`.
    pub bind: String,
    /// With `app_on_update`: the current time, written when the patch leaves the field out.
    pub now: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Param {
    pub ident: String,
    pub ty: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Lookup {
    pub name: String,
    pub columns: Vec<String>,
    pub params: Vec<Param>,
}

/// One dialect's SQL; strings are Rust string literals, ready to place.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct DialectQueries {
    pub module: String,
    pub database: String,
    pub title: String,
    pub table: String,
    pub columns: Vec<String>,
    /// What a query selects for a row (`select_list`), and ` RETURNING ` it.
    pub select: String,
    pub returning_clause: String,
    pub insert: String,
    pub insert_binds: Vec<String>,
    /// Columns with a server default, written when the row gives them: the insert is
    /// then assembled at run time from these pieces.
    pub optional: Vec<OptionalColumn>,
    /// The always-written columns' names, quoted.
    pub fixed_names: Vec<String>,
    /// `INSERT INTO "t" `, and what follows it for a row of defaults only.
    pub insert_into: String,
    pub default_values: String,
    /// `INSERT … RETURNING` the row; MySQL has no `RETURNING`, so it reads the row back.
    pub returning: bool,
    /// MySQL: how the new row is found again — by `LAST_INSERT_ID()` (`auto`) or by the
    /// key values the row carries (`row`); neither when the database makes a key it
    /// cannot report.
    pub refetch: Option<String>,
    /// The new row's key, for reading it back by the values it carries.
    pub key_binds: Vec<String>,
    pub get: String,
    pub lookups: Vec<String>,
    pub update: String,
    pub update_binds: Vec<String>,
    pub delete: String,
    /// `UPDATE "t" SET `, then the assignments, then ` WHERE "k" = ` (` AND …`) for
    /// each key column, each followed by its value.
    pub patch_head: String,
    pub patch_where: Vec<String>,
    /// `"column" = ` for each patch field, in `patch_fields` order.
    pub patch_sets: Vec<String>,
    pub page_first: String,
    pub page_after: String,
    /// With a soft-delete column: `get`, `get_by_*` and `page` return live rows, and these
    /// see deleted ones too, mark a row deleted, and bring it back.
    pub soft_delete: Option<SoftDeleteQueries>,
    /// In `relations` order.
    pub relations: Vec<RelationQueries>,
}

/// A relation's SQL: `IN (` lists are filled at run time, one placeholder per row.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct RelationQueries {
    /// `SELECT <row> FROM "target" WHERE "column" IN (` (many-to-many: the join's pairs).
    pub head: String,
    /// `)`, the target's live filter, the order.
    pub tail: String,
    /// Many-to-many: the targets of the pairs found.
    pub targets_head: String,
    pub targets_tail: String,
    pub link: String,
    pub unlink: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct OptionalColumn {
    pub ident: String,
    /// The quoted name, as a string literal.
    pub name: String,
    /// How the value in `value` binds.
    pub bind: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct SoftDeleteQueries {
    pub column: String,
    pub get: String,
    pub page_first: String,
    pub page_after: String,
    pub delete: String,
    pub restore: String,
}

pub fn view(model: &Model, models: &Models, dialects: &[Dialect], types: Types) -> QueriesView {
    // The queries modules sit one module below the struct, which `types` names types for.
    let in_queries = types.nested();
    let key: Vec<&Column> = model.primary_key.iter().filter_map(|k| model.column(k)).collect();
    let params = |cols: &[&Column]| -> Vec<Param> {
        cols.iter()
            .map(|c| Param {
                ident: ident(&c.name),
                ty: param_type(c, in_queries),
            })
            .collect()
    };
    let key_type = match key.as_slice() {
        [one] => in_queries.of(one),
        many => format!(
            "({})",
            many.iter().map(|c| in_queries.of(c)).collect::<Vec<_>>().join(", ")
        ),
    };
    let patchable: Vec<&Column> = model
        .columns
        .iter()
        .filter(|c| !c.primary_key && c.on_update.is_none())
        .collect();
    let patch_fields = patchable
        .iter()
        .map(|c| PatchField {
            ident: ident(&c.name),
            column: c.name.clone(),
            ty: format!("Option<{}>", types.column(c)),
            bind: bind_expr("value", c, false),
            now: now_expr(c, types),
        })
        .collect();
    let mut lookups = Vec::new();
    // A live-only unique holds among live rows, which is what lookups return; one with
    // its own predicate or an expression key does not make its columns a key.
    let index_sets: Vec<Vec<String>> = model
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
        .filter_map(|i| i.plain_columns())
        .map(|cols| cols.into_iter().map(str::to_owned).collect())
        .collect();
    let unique_sets = model.uniques.iter().map(|u| &u.columns).chain(&index_sets);
    for columns in unique_sets {
        let name = format!("get_by_{}", columns.join("_and_"));
        if columns == &model.primary_key || lookups.iter().any(|l: &Lookup| l.name == name) {
            continue;
        }
        let cols: Vec<&Column> = columns.iter().filter_map(|c| model.column(c)).collect();
        if cols.iter().any(|c| matches!(c.ty, LogicalType::Json { .. })) {
            continue;
        }
        lookups.push(Lookup {
            name,
            columns: columns.clone(),
            params: params(&cols),
        });
    }
    let links = links(model, models);
    let relations = links
        .iter()
        .map(|l| {
            // The values of `rows` to match, skipping NULLs (a composite key with any).
            let keys = |cs: &[&Column]| match cs {
                [c] if c.nullable => format!(".filter_map(|r| r.{}.as_ref())", ident(&c.name)),
                [c] => format!(".map(|r| &r.{})", ident(&c.name)),
                _ => {
                    let parts: Vec<String> = cs
                        .iter()
                        .map(|c| match c.nullable {
                            true => format!("r.{}.as_ref()?", ident(&c.name)),
                            false => format!("&r.{}", ident(&c.name)),
                        })
                        .collect();
                    match cs.iter().any(|c| c.nullable) {
                        true => format!(".filter_map(|r| Some(({})))", parts.join(", ")),
                        false => format!(".map(|r| ({}))", parts.join(", ")),
                    }
                }
            };
            let (far_column, far_target) = match l.far {
                Some((column, target)) => (Some(column), Some(target)),
                None => (None, None),
            };
            RelationView {
                name: l.name.to_owned(),
                kind: match l.kind {
                    RelationKind::ManyToOne => "many_to_one",
                    RelationKind::OneToMany => "one_to_many",
                    RelationKind::OneToOne => "one_to_one",
                    RelationKind::ManyToMany => "many_to_many",
                },
                target_struct: modelgen_ir::rust_names::struct_name(&l.target.name),
                keys: keys(&l.own),
                key_arity: l.own.len(),
                own_key_type: in_queries.of(l.own[0]),
                target_key_type: far_target.map_or_else(String::new, |c| in_queries.of(c)),
                target_key_field: far_target.map_or_else(String::new, |c| ident(&c.name)),
                link_params: match (l.join, far_column) {
                    (Some(join), Some(far)) if join.kind == ModelKind::Join => vec![
                        Param {
                            ident: ident(&l.other[0].name),
                            ty: in_queries.of(l.own[0]),
                        },
                        Param {
                            ident: ident(&far.name),
                            ty: in_queries.of(far_target.expect("with far")),
                        },
                    ],
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    let now: HashMap<&str, String> = patchable
        .iter()
        .filter_map(|c| Some((c.name.as_str(), now_expr(c, types)?)))
        .collect();
    let dialects = dialects
        .iter()
        .map(|&d| dialect_queries(model, d, &key, &patchable, &now, &lookups, &links))
        .collect();
    QueriesView {
        struct_name: modelgen_ir::rust_names::struct_name(&model.name),
        insert_struct: insert_struct_name(&model.name),
        patch_struct: modelgen_ir::rust_names::patch_struct_name(&model.name),
        patch_fields,
        key: params(&key),
        key_type,
        lookups,
        relations,
        dialects,
    }
}

/// The current time in the column's field type, for a column the application keeps
/// current (`app_on_update`).
fn now_expr(c: &Column, types: Types) -> Option<String> {
    c.app_on_update
        .map(|_| crate::rust::default_expr(&modelgen_ir::DefaultValue::Now, c, types))
}

/// The type a query takes a key or lookup value as: `&str` for text, else the field's.
fn param_type(c: &Column, types: Types) -> String {
    match (&c.ty, c.rust_type.as_deref()) {
        (_, Some("String")) | (LogicalType::Str { .. } | LogicalType::Text, None) => "&str".into(),
        _ => types.of(c),
    }
}

/// How a field of `var` binds: JSON through `sqlx::types::Json`, the rest by reference.
fn bind_expr(var: &str, c: &Column, field: bool) -> String {
    // A field is borrowed here; a bare variable is a reference already.
    let (value, borrowed) = match field {
        true => (
            format!("{var}.{}", ident(&c.name)),
            format!("&{var}.{}", ident(&c.name)),
        ),
        false => (var.to_owned(), var.to_owned()),
    };
    match (&c.ty, c.nullable) {
        (LogicalType::Json { .. }, false) => format!("sqlx::types::Json({borrowed})"),
        (LogicalType::Json { .. }, true) => format!("{value}.as_ref().map(sqlx::types::Json)"),
        _ if c.rust_type.as_deref() == Some("f64") => value,
        // Text, bytes and a type of the application's own are not `Copy`.
        (LogicalType::Str { .. } | LogicalType::Text | LogicalType::Bytes { .. }, _) => borrowed,
        _ if c.rust_type.is_some() => borrowed,
        // Every other type is `Copy`: bound by value.
        _ => value,
    }
}

/// The columns `New…` carries, as the Rust back end makes it: (those always written,
/// those with a server default, written when given).
fn insert_columns(model: &Model) -> (Vec<&Column>, Vec<&Column>) {
    model
        .columns
        .iter()
        .filter(|c| {
            !(c.autoincrement || c.on_update.is_some() || model.soft_delete.as_deref() == Some(c.name.as_str()))
        })
        .partition(|c| c.server_default.is_none())
}

#[allow(clippy::too_many_arguments)]
fn dialect_queries(
    model: &Model,
    d: Dialect,
    key: &[&Column],
    patchable: &[&Column],
    now: &HashMap<&str, String>,
    lookups: &[Lookup],
    links: &[Link],
) -> DialectQueries {
    let q = |name: &str| d.ident(name);
    let table = q(&model.table);
    let star = select_list(model, d);
    let mark = |n: usize| match d {
        Dialect::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    let names = |cols: &[&Column]| cols.iter().map(|c| q(&c.name)).collect::<Vec<_>>().join(", ");
    // `"a" = $k AND "b" = $k+1 …`, numbered from `first`.
    let equal = |cols: &[&Column], first: usize| {
        cols.iter()
            .enumerate()
            .map(|(i, c)| format!("{} = {}", q(&c.name), mark(first + i)))
            .collect::<Vec<_>>()
            .join(" AND ")
    };

    let deleted = model.soft_delete.as_deref().and_then(|c| model.column(c));
    // What keeps the default queries to live rows, joined to their conditions.
    let live = |and: &str| match deleted {
        Some(c) => format!("{and}{} IS NULL", q(&c.name)),
        None => String::new(),
    };

    let (inserted, optional) = insert_columns(model);
    let returning = d != Dialect::Mysql;
    let values = match (inserted.is_empty(), d) {
        // A row of defaults only: MySQL's spelling, and the standard one.
        (true, Dialect::Mysql) => "() VALUES ()".to_owned(),
        (true, _) => "DEFAULT VALUES".to_owned(),
        (false, _) => format!(
            "({}) VALUES ({})",
            names(&inserted),
            (1..=inserted.len()).map(mark).collect::<Vec<_>>().join(", ")
        ),
    };
    let insert = format!(
        "INSERT INTO {table} {values}{}",
        if returning {
            format!(" RETURNING {star}")
        } else {
            String::new()
        }
    );
    let auto_key = key.len() == 1 && key[0].autoincrement;
    // A key column with a server default may be left to the database: not known then.
    let key_in_row = key.iter().all(|c| inserted.iter().any(|i| i.name == c.name));
    let refetch = match (returning, auto_key, key_in_row) {
        (true, _, _) | (false, false, false) => None,
        (false, true, _) => Some("auto".to_owned()),
        (false, false, true) => Some("row".to_owned()),
    };

    let sets = patchable
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = {}", q(&c.name), mark(i + 1)))
        .collect::<Vec<_>>()
        .join(", ");
    let update = format!("UPDATE {table} SET {sets} WHERE {}", equal(key, patchable.len() + 1));

    let key_names = names(key);
    let (lhs, rhs) = match key {
        [_] => (key_names.clone(), mark(1)),
        _ => (
            format!("({key_names})"),
            format!("({})", (1..=key.len()).map(mark).collect::<Vec<_>>().join(", ")),
        ),
    };
    // `)`, then only live rows of `target`, in key order.
    let close = |target: &Model| {
        let live = match target.soft_delete.as_deref() {
            Some(c) => format!(" AND {} IS NULL", q(c)),
            None => String::new(),
        };
        let order: Vec<String> = target.primary_key.iter().map(|c| q(c)).collect();
        format!("){live} ORDER BY {}", order.join(", "))
    };
    let relations = links
        .iter()
        .map(|l| {
            let target = q(&l.target.table);
            match (l.join, l.far) {
                (Some(join), Some((far, far_target))) => {
                    let join_table = q(&join.table);
                    let (own, other) = (q(&l.other[0].name), q(&far.name));
                    RelationQueries {
                        head: lit(&format!("SELECT {own}, {other} FROM {join_table} WHERE {own} IN (")),
                        tail: lit(")"),
                        targets_head: lit(&format!(
                            "SELECT {} FROM {target} WHERE {} IN (",
                            select_list(l.target, d),
                            q(&far_target.name)
                        )),
                        targets_tail: lit(&close(l.target)),
                        link: lit(&format!(
                            "INSERT INTO {join_table} ({own}, {other}) VALUES ({}, {})",
                            mark(1),
                            mark(2)
                        )),
                        unlink: lit(&format!(
                            "DELETE FROM {join_table} WHERE {own} = {} AND {other} = {}",
                            mark(1),
                            mark(2)
                        )),
                    }
                }
                _ => RelationQueries {
                    // A composite key compares row values: `("a", "b") IN ((?, ?), …)`.
                    head: lit(&format!(
                        "SELECT {} FROM {target} WHERE {} IN (",
                        select_list(l.target, d),
                        match l.other.as_slice() {
                            [one] => q(&one.name),
                            many => format!("({})", many.iter().map(|c| q(&c.name)).collect::<Vec<_>>().join(", ")),
                        }
                    )),
                    tail: lit(&close(l.target)),
                    targets_head: String::new(),
                    targets_tail: String::new(),
                    link: String::new(),
                    unlink: String::new(),
                },
            }
        })
        .collect();
    let (module, database, title) = match d {
        Dialect::Sqlite => ("sqlite", "sqlx::Sqlite", "SQLite"),
        Dialect::Postgres => ("postgres", "sqlx::Postgres", "PostgreSQL"),
        Dialect::Mysql => ("mysql", "sqlx::MySql", "MySQL and MariaDB"),
    };
    DialectQueries {
        module: module.into(),
        database: database.into(),
        title: title.into(),
        table: lit(&table),
        columns: model.columns.iter().map(|c| lit(&q(&c.name))).collect(),
        select: lit(&star),
        returning_clause: lit(&format!(" RETURNING {star}")),
        insert: lit(&insert),
        insert_binds: inserted.iter().map(|c| bind_expr("row", c, true)).collect(),
        optional: optional
            .iter()
            .map(|c| OptionalColumn {
                ident: ident(&c.name),
                name: lit(&q(&c.name)),
                bind: bind_expr("value", c, false),
            })
            .collect(),
        fixed_names: inserted.iter().map(|c| lit(&q(&c.name))).collect(),
        insert_into: lit(&format!("INSERT INTO {table} ")),
        default_values: lit(match d {
            Dialect::Mysql => "() VALUES ()",
            _ => "DEFAULT VALUES",
        }),
        returning,
        refetch,
        key_binds: key.iter().map(|c| bind_expr("row", c, true)).collect(),
        get: lit(&format!(
            "SELECT {star} FROM {table} WHERE {}{}",
            equal(key, 1),
            live(" AND ")
        )),
        lookups: lookups
            .iter()
            .map(|l| {
                let cols: Vec<&Column> = l.columns.iter().filter_map(|c| model.column(c)).collect();
                lit(&format!(
                    "SELECT {star} FROM {table} WHERE {}{}",
                    equal(&cols, 1),
                    live(" AND ")
                ))
            })
            .collect(),
        update: lit(&update),
        // A column the application keeps current is written with the time of the update.
        update_binds: patchable
            .iter()
            .chain(key)
            .map(|c| {
                now.get(c.name.as_str())
                    .cloned()
                    .unwrap_or_else(|| bind_expr("row", c, true))
            })
            .collect(),
        delete: lit(&format!("DELETE FROM {table} WHERE {}", equal(key, 1))),
        patch_head: lit(&format!("UPDATE {table} SET ")),
        // QueryBuilder numbers the placeholders: the key's values follow these as binds.
        patch_where: key
            .iter()
            .enumerate()
            .map(|(i, c)| {
                lit(&format!(
                    "{}{} = ",
                    if i == 0 { " WHERE " } else { " AND " },
                    q(&c.name)
                ))
            })
            .collect(),
        patch_sets: patchable.iter().map(|c| lit(&format!("{} = ", q(&c.name)))).collect(),
        page_first: lit(&format!(
            "SELECT {star} FROM {table}{} ORDER BY {key_names} LIMIT {}",
            live(" WHERE "),
            mark(1)
        )),
        page_after: lit(&format!(
            "SELECT {star} FROM {table} WHERE {lhs} > {rhs}{} ORDER BY {key_names} LIMIT {}",
            live(" AND "),
            mark(key.len() + 1)
        )),
        relations,
        soft_delete: deleted.map(|c| {
            let column = q(&c.name);
            SoftDeleteQueries {
                column: c.name.clone(),
                get: lit(&format!("SELECT {star} FROM {table} WHERE {}", equal(key, 1))),
                page_first: lit(&format!(
                    "SELECT {star} FROM {table} ORDER BY {key_names} LIMIT {}",
                    mark(1)
                )),
                page_after: lit(&format!(
                    "SELECT {star} FROM {table} WHERE {lhs} > {rhs} ORDER BY {key_names} LIMIT {}",
                    mark(key.len() + 1)
                )),
                delete: lit(&format!(
                    "UPDATE {table} SET {column} = {} WHERE {} AND {column} IS NULL",
                    d.now_sql(&c.ty),
                    equal(key, 1)
                )),
                restore: lit(&format!(
                    "UPDATE {table} SET {column} = NULL WHERE {} AND {column} IS NOT NULL",
                    equal(key, 1)
                )),
            }
        }),
    }
}

/// The name a column comes back under for the struct to read it: its own, unless a
/// database shortens it (PostgreSQL past 63 bytes, MySQL past 64 characters), and then
/// PostgreSQL's short form, which every database keeps: the queries select the column
/// under this name, and the struct's field is renamed to it.
pub fn row_name(column: &str) -> String {
    match Dialect::ALL.iter().all(|d| d.keeps(column)) {
        true => column.to_owned(),
        false => Dialect::Postgres.name_of(column),
    }
}

/// What a query selects for a row: `*`, unless a decimal is read as `f64` or `String`
/// (`rust_type`), which sqlx decodes only from a float or text column, a JSON column is
/// read from SQLite, which may hold a number there, or a database shortens a column's
/// name. Those columns are converted by the database (so every database gives the same
/// text for a `String`) or selected under their `row_name`.
pub fn select_list(model: &Model, d: Dialect) -> String {
    fn converted(c: &Column) -> Option<(&str, u32)> {
        match (&c.ty, c.rust_type.as_deref()) {
            (LogicalType::Decimal { scale, .. }, Some(rust @ ("f64" | "String"))) => Some((rust, *scale)),
            _ => None,
        }
    }
    // SQLite gives a `JSON` column NUMERIC affinity (as SQLAlchemy declares it): a
    // top-level JSON number is stored as a number, which sqlx reads only as text. (A
    // list or a map is never a number.)
    let json_on_sqlite = |c: &Column| {
        d == Dialect::Sqlite
            && matches!(
                c.ty,
                LogicalType::Json {
                    shape: modelgen_ir::JsonShape::Any
                }
            )
    };
    if model
        .columns
        .iter()
        .all(|c| converted(c).is_none() && !json_on_sqlite(c) && row_name(&c.name) == c.name)
    {
        return "*".into();
    }
    let items: Vec<String> = model
        .columns
        .iter()
        .map(|c| {
            let name = d.ident(&c.name);
            let expr = match (converted(c), d) {
                (None, _) if json_on_sqlite(c) => format!("CAST({name} AS TEXT)"),
                (None, _) => name,
                (Some(("f64", _)), Dialect::Sqlite) => format!("CAST({name} AS REAL)"),
                (Some(("f64", _)), Dialect::Postgres) => format!("CAST({name} AS DOUBLE PRECISION)"),
                (Some(("f64", _)), Dialect::Mysql) => format!("CAST({name} AS DOUBLE)"),
                // SQLite keeps the number, not its scale: `printf` writes the digits the
                // other databases give (`printf` of NULL is '', hence the CASE).
                (Some((_, scale)), Dialect::Sqlite) => {
                    format!("CASE WHEN {name} IS NULL THEN NULL ELSE printf('%.{scale}f', {name}) END")
                }
                (Some(_), Dialect::Postgres) => format!("CAST({name} AS TEXT)"),
                (Some(_), Dialect::Mysql) => format!("CAST({name} AS CHAR)"),
            };
            let alias = d.ident(&row_name(&c.name));
            match expr == alias {
                true => expr,
                false => format!("{expr} AS {alias}"),
            }
        })
        .collect();
    items.join(", ")
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}
