//! From a catalog to the IR: each table a model named after it, each part the spec
//! language can say put where a spec would put it, and everything else a [`Loss`].

use crate::catalog::{self, Catalog, Generated, Key};
use crate::text::{portable, server_default};
use crate::{Loss, Pulled};
use heck::ToUpperCamelCase;
use modelgen_ir::check::{parse_check, Check, CheckExpr};
use modelgen_ir::{
    Column, Dialect, FkAction, ForeignKey, Generator, Index, IndexKey, LogicalType, Model, ModelKind, Schema, Unique,
};
use std::collections::{BTreeMap, HashMap, HashSet};

pub(crate) fn pulled(dialect: Dialect, catalog: &Catalog) -> Pulled {
    let mut losses: Vec<Loss> = catalog
        .other
        .iter()
        .map(|what| Loss {
            table: String::new(),
            column: None,
            what: format!("{what}: the spec language has no such thing"),
        })
        .collect();
    // A table whose name the spec cannot hold is left out, and so are keys to it.
    let mut catalog = catalog.clone();
    catalog.tables.retain(|t| match modelgen_ir::check_identifier(&t.name) {
        Ok(()) => true,
        Err(why) => {
            losses.push(Loss {
                table: t.name.clone(),
                column: None,
                what: format!("the name {why}, which the spec cannot hold; the table is left out"),
            });
            false
        }
    });
    let catalog = &catalog;
    let mut names = model_names(catalog);
    let joins = crate::relations::join_tables(catalog, &mut names);
    let mut models: Vec<Model> = catalog
        .tables
        .iter()
        .map(|t| model(dialect, t, &names, &mut losses))
        .collect();
    if dialect == Dialect::Sqlite {
        crate::kept::rowid_key_types(&mut models);
    }
    crate::relations::relations(&mut models, &joins);
    Pulled {
        dialect,
        schema: Schema { models },
        losses,
    }
}

/// Each table's model name: the table's name in UpperCamelCase, numbered when two
/// tables would share one (`user` and `users_` → `User`, `User2`).
fn model_names(catalog: &Catalog) -> HashMap<String, String> {
    let mut taken = HashSet::new();
    let mut names = HashMap::new();
    for t in &catalog.tables {
        let mut base = t.name.to_upper_camel_case();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("Table{base}");
        }
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        names.insert(t.name.clone(), name);
    }
    names
}

fn model(dialect: Dialect, t: &catalog::Table, names: &HashMap<String, String>, losses: &mut Vec<Loss>) -> Model {
    let mut lose = |column: Option<&str>, what: String| {
        losses.push(Loss {
            table: t.name.clone(),
            column: column.map(str::to_owned),
            what,
        })
    };
    // MySQL has no partial indexes: modelgen's live-only unique index is a unique index
    // over the key and a computed column, 1 while the soft-delete column is NULL.
    let live = t.columns.iter().find_map(|c| {
        let expr = c
            .computed
            .as_deref()
            .filter(|_| c.name == modelgen_sql::MYSQL_LIVE_COLUMN)?;
        let inner = portable(expr).to_ascii_lowercase();
        let column = inner.strip_prefix("case when ")?.strip_suffix(" is null then 1 end")?;
        Some(
            t.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(column))?
                .name
                .clone(),
        )
    });
    let mut columns = Vec::new();
    for c in &t.columns {
        if live.is_some() && c.name == modelgen_sql::MYSQL_LIVE_COLUMN {
            continue;
        }
        if let Err(why) = modelgen_ir::check_identifier(&c.name) {
            lose(
                Some(&c.name),
                format!("the name {why}, which the spec cannot hold; the column is left out"),
            );
            continue;
        }
        match &c.ty {
            Ok(ty) => columns.push(column(dialect, c, ty)),
            Err(why) => lose(Some(&c.name), format!("{why}; the column is left out")),
        }
    }
    let kept: HashSet<String> = columns.iter().map(|c: &Column| c.name.clone()).collect();
    let all_kept = |cols: &[String]| cols.iter().all(|c| kept.contains(c.as_str()));
    if t.primary_key.is_empty() {
        lose(
            None,
            "has no primary key, which every model needs; give it one before pulling".into(),
        );
    }
    if !t.comment.as_deref().unwrap_or_default().is_empty() && dialect == Dialect::Sqlite {
        lose(None, "SQLite keeps no comments".into());
    }
    let mut uniques = Vec::new();
    for u in &t.uniques {
        if all_kept(&u.columns) {
            uniques.push(Unique {
                name: u
                    .name
                    .clone()
                    .filter(|n| !is_default_unique_name(dialect, &t.name, &u.columns, n)),
                columns: u.columns.clone(),
            });
        }
    }
    let mut indexes = Vec::new();
    for i in &t.indexes {
        let columns: Option<Vec<String>> = i
            .keys
            .iter()
            .map(|k| match k {
                Key::Column(c) => Some(c.clone()),
                Key::Expression(_) => None,
            })
            .collect();
        // MySQL keeps a UNIQUE constraint as a unique index named after its first column.
        if let (Dialect::Mysql, true, Some(cols), None) = (dialect, i.unique, &columns, &i.predicate) {
            if all_kept(cols) && is_default_unique_name(dialect, &t.name, cols, &i.name) {
                uniques.push(Unique {
                    name: None,
                    columns: cols.clone(),
                });
                continue;
            }
        }
        let mut i = i.clone();
        let marker = Key::Column(modelgen_sql::MYSQL_LIVE_COLUMN.to_owned());
        let live_only = live.is_some() && i.keys.last() == Some(&marker);
        if live_only {
            i.keys.pop();
        }
        match index(&i).map(|index| Index { live_only, ..index }) {
            Ok(index)
                if index
                    .columns
                    .iter()
                    .filter_map(IndexKey::column)
                    .all(|c| kept.contains(c)) =>
            {
                indexes.push(index)
            }
            Ok(_) => lose(
                None,
                format!("index `{}` is over a column left out; it is left out", i.name),
            ),
            Err(why) => lose(None, format!("index `{}` {why}; it is left out", i.name)),
        }
    }
    let mut foreign_keys = Vec::new();
    for fk in &t.foreign_keys {
        let Some(target_model) = names.get(&fk.target_table) else {
            lose(
                None,
                format!(
                    "a foreign key references `{}`, which was not read; it is left out",
                    fk.target_table
                ),
            );
            continue;
        };
        if !all_kept(&fk.columns) {
            lose(None, "a foreign key is over a column left out; it is left out".into());
            continue;
        }
        foreign_keys.push(ForeignKey {
            name: fk
                .name
                .clone()
                .filter(|n| !is_default_fk_name(dialect, &t.name, &fk.columns, n)),
            columns: fk.columns.clone(),
            target_model: target_model.clone(),
            target_table: fk.target_table.clone(),
            target_columns: fk.target_columns.clone(),
            on_delete: fk.on_delete.as_deref().and_then(action),
            on_update: fk.on_update.as_deref().and_then(action),
        });
    }
    let mut checks = Vec::new();
    for (n, c) in t.checks.iter().enumerate() {
        let name = c.name.clone().unwrap_or_else(|| format!("ck_{}_{}", t.name, n + 1));
        let expr = match parse_check(&portable(&c.sql)) {
            Ok(tree) => CheckExpr::Tree(tree),
            Err(_) => CheckExpr::Sql(BTreeMap::from([(dialect, c.sql.clone())])),
        };
        checks.push(Check {
            name,
            expr,
            doc: None,
            dialects: Vec::new(),
        });
    }
    for trigger in &t.triggers {
        // modelgen's own `on_update: now` trigger (SQLite, PostgreSQL).
        let kept_at = columns.iter_mut().find(|c| {
            trigger.name == format!("{}_{}_on_update", t.name, c.name)
                && matches!(c.ty, LogicalType::DateTime { .. } | LogicalType::Date)
        });
        match kept_at {
            Some(c) => c.on_update = Some(modelgen_ir::OnUpdate::Now),
            None => lose(
                None,
                format!(
                    "trigger `{}`: the spec language has no triggers of its own",
                    trigger.name
                ),
            ),
        }
    }
    let pk_kept = all_kept(&t.primary_key);
    let primary_key = if pk_kept { t.primary_key.clone() } else { Vec::new() };
    for c in &mut columns {
        c.primary_key = primary_key.contains(&c.name);
        // SQLite lets a key column lacking NOT NULL hold NULL (and its rowid key never
        // does); a key is NOT NULL everywhere else, and in the spec language.
        c.nullable &= !c.primary_key;
    }
    // SQLite numbers any lone INTEGER key, but a key that is also a foreign key takes
    // the referenced row's value: modelgen does not number it.
    if dialect == Dialect::Sqlite {
        for c in columns
            .iter_mut()
            .filter(|c| foreign_keys.iter().any(|fk| fk.columns.contains(&c.name)))
        {
            c.autoincrement = false;
        }
    }
    // Only a lone key column may autoincrement.
    if primary_key.len() != 1 {
        for c in &mut columns {
            c.autoincrement = false;
            c.generator = Generator::Identity;
        }
    }
    let mut model = Model {
        name: names[&t.name].clone(),
        table: t.name.clone(),
        kind: ModelKind::Entity,
        doc: None,
        comment: t.comment.clone().filter(|c| !c.is_empty()),
        mixins: Vec::new(),
        repr: primary_key.clone(),
        columns,
        primary_key,
        primary_key_name: t.primary_key_name.clone(),
        uniques,
        indexes,
        foreign_keys,
        relations: Vec::new(),
        soft_delete: live,
        renamed_from: None,
        checks,
        naming: None,
    };
    type_checks(&mut model);
    if model.soft_delete.is_none() {
        soft_delete(&mut model);
    }
    bool_literals(&mut model);
    model
}

/// A soft-delete model, as modelgen writes one on SQLite and PostgreSQL: a unique index
/// over live rows only, `WHERE <nullable datetime> IS NULL`, is `live` uniqueness, and
/// every index with that condition is live-only.
fn soft_delete(model: &mut Model) {
    use modelgen_ir::check::Expr;
    let marker = |p: &Expr| match p {
        Expr::IsNull { expr, negated: false } => match &**expr {
            Expr::Column { name } => model
                .column(name)
                .filter(|c| c.nullable && matches!(c.ty, LogicalType::DateTime { .. }))
                .map(|c| c.name.clone()),
            _ => None,
        },
        _ => None,
    };
    let Some(column) = model
        .indexes
        .iter()
        .filter(|i| i.unique)
        .find_map(|i| i.predicate.as_ref().and_then(marker))
    else {
        return;
    };
    let live = parse_check(&format!("{column} is null")).ok();
    for index in model
        .indexes
        .iter_mut()
        .filter(|i| i.predicate.is_some() && i.predicate == live)
    {
        index.predicate = None;
        index.live_only = true;
    }
    model.soft_delete = Some(column);
}

/// A CHECK that is the one a column's type brings (`bool(check)`'s `IN (0, 1)`, an
/// enum's `IN (…)` where it is a VARCHAR) becomes that type again.
fn type_checks(model: &mut Model) {
    for i in 0..model.columns.len() {
        let column = &model.columns[i];
        let candidate = match &column.ty {
            LogicalType::Bool { check: false } => LogicalType::Bool { check: true },
            LogicalType::Str { .. } => {
                // An enum's CHECK lists its values; its name is the enum type's.
                let Some(values) = model.checks.iter().find_map(|c| in_list_of(c, &column.name)) else {
                    continue;
                };
                let type_name = model
                    .checks
                    .iter()
                    .find(|c| in_list_of(c, &column.name).is_some())
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                LogicalType::Enum(Box::new(modelgen_ir::EnumType {
                    name: type_name.to_upper_camel_case(),
                    type_name,
                    values,
                    // A VARCHAR with a CHECK: what `native: false` is everywhere, and all
                    // SQLite can tell of a native one.
                    native: false,
                    check: true,
                    renamed_values: Default::default(),
                }))
            }
            _ => continue,
        };
        let mut with = column.clone();
        with.ty = candidate;
        let Some(brought) = modelgen_ir::check::column_check(model, &with) else {
            continue;
        };
        let found = model
            .checks
            .iter()
            .position(|c| c.name == brought.name && c.expr.same_as(&brought.expr));
        if let Some(at) = found {
            model.checks.remove(at);
            model.columns[i] = with;
        }
    }
}

/// The values of a check `<column> IN ('a', 'b', …)`.
fn in_list_of(check: &Check, column: &str) -> Option<Vec<String>> {
    let CheckExpr::Tree(modelgen_ir::check::Expr::In {
        expr,
        list,
        negated: false,
    }) = &check.expr
    else {
        return None;
    };
    if !matches!(&**expr, modelgen_ir::check::Expr::Column { name } if name == column) {
        return None;
    }
    list.iter()
        .map(|v| match v {
            modelgen_ir::check::Expr::Str { value } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

/// SQLite and MySQL give booleans back as 0 and 1: compared with a `bool` column in a
/// check or an index's condition, they are `false` and `true` again.
fn bool_literals(model: &mut Model) {
    let bools: HashSet<String> = model
        .columns
        .iter()
        .filter(|c| matches!(c.ty, LogicalType::Bool { .. }))
        .map(|c| c.name.clone())
        .collect();
    for check in &mut model.checks {
        if let CheckExpr::Tree(e) = &mut check.expr {
            as_bools(e, &bools);
        }
    }
    for index in &mut model.indexes {
        if let Some(p) = &mut index.predicate {
            as_bools(p, &bools);
        }
    }
}

fn as_bools(e: &mut modelgen_ir::check::Expr, bools: &HashSet<String>) {
    use modelgen_ir::check::{BinaryOp, Expr};
    let is_bool = |e: &Expr| matches!(e, Expr::Column { name } if bools.contains(name));
    let flip = |e: &mut Expr| {
        if let Expr::Int { value: v @ (0 | 1) } = e {
            *e = Expr::Bool { value: *v == 1 };
        }
    };
    match e {
        Expr::Binary { op, left, right } => {
            if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
                if is_bool(left) {
                    flip(right);
                } else if is_bool(right) {
                    flip(left);
                }
            }
            as_bools(left, bools);
            as_bools(right, bools);
        }
        Expr::In { expr, list, .. } => {
            if is_bool(expr) {
                list.iter_mut().for_each(flip);
            }
            as_bools(expr, bools);
        }
        Expr::Not { expr } | Expr::Neg { expr } | Expr::IsNull { expr, .. } | Expr::Length { expr } => {
            as_bools(expr, bools)
        }
        _ => {}
    }
}

fn column(dialect: Dialect, c: &catalog::Column, ty: &LogicalType) -> Column {
    let (autoincrement, generator) = match &c.generated {
        Some(Generated::Identity) => (true, Generator::Identity),
        Some(Generated::Serial) => (true, Generator::Serial),
        Some(Generated::Sequence(name)) => (true, Generator::Sequence(name.clone())),
        None => (false, Generator::Identity),
    };
    Column {
        name: c.name.clone(),
        ty: ty.clone(),
        nullable: c.nullable,
        primary_key: false,
        autoincrement,
        generator,
        default: None,
        server_default: c.default.as_deref().map(|d| server_default(dialect, d, ty)),
        on_update: c.on_update_now.then_some(modelgen_ir::OnUpdate::Now),
        app_on_update: None,
        secret: false,
        doc: None,
        comment: c.comment.clone().filter(|c| !c.is_empty()),
        mixin: None,
        renamed_from: None,
        rust_type: None,
        check_name: None,
    }
}

fn index(i: &catalog::Index) -> Result<Index, String> {
    let mut columns = Vec::new();
    for key in &i.keys {
        columns.push(match key {
            Key::Column(c) => IndexKey::Column(c.clone()),
            Key::Expression(sql) => match parse_check(&portable(sql)) {
                Ok(expr) => IndexKey::Expr(expr),
                Err(_) => return Err(format!("has the key `{sql}`, which the spec language cannot say")),
            },
        });
    }
    let predicate = match &i.predicate {
        Some(sql) => Some(
            parse_check(&portable(sql))
                .map_err(|_| format!("has the condition `{sql}`, which the spec language cannot say"))?,
        ),
        None => None,
    };
    Ok(Index {
        name: i.name.clone(),
        columns,
        unique: i.unique,
        live_only: false,
        predicate,
    })
}

fn action(sql: &str) -> Option<FkAction> {
    FkAction::ALL
        .iter()
        .find(|(_, a)| a.sql() == sql)
        .map(|(_, a)| *a)
        .filter(|a| *a != FkAction::NoAction)
}

/// The name the database gives a UNIQUE constraint nobody named: such a name is not
/// worth keeping in the spec, which then leaves naming to the database again.
fn is_default_unique_name(dialect: Dialect, table: &str, columns: &[String], name: &str) -> bool {
    match dialect {
        Dialect::Postgres => name == pg_default_name(table, &columns.join("_"), "key"),
        Dialect::Mysql => {
            let first = columns.first().map(String::as_str).unwrap_or_default();
            name == first
                || name
                    .strip_prefix(first)
                    .and_then(|n| n.strip_prefix('_'))
                    .is_some_and(|n| n.parse::<u32>().is_ok())
        }
        Dialect::Sqlite => false,
    }
}

/// As [`is_default_unique_name`], for foreign keys.
fn is_default_fk_name(dialect: Dialect, table: &str, columns: &[String], name: &str) -> bool {
    match dialect {
        Dialect::Postgres => name == pg_default_name(table, &columns.join("_"), "fkey"),
        Dialect::Mysql => name
            .strip_prefix(&format!("{table}_ibfk_"))
            .is_some_and(|n| n.parse::<u32>().is_ok()),
        Dialect::Sqlite => false,
    }
}

/// The name PostgreSQL makes for a constraint nobody named.
fn pg_default_name(table: &str, columns: &str, label: &str) -> String {
    modelgen_sql::sequence::pg_object_name(table, Some(columns), label)
}
