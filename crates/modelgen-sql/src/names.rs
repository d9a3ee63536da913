//! Every name modelgen writes into a database, derived or chosen, in the namespace each
//! database keeps it in, after each database's shortening and case rules — and the names
//! modelgen keeps for itself. Two owners of one name in one namespace are a clash the
//! front ends report: a database would refuse the second (or, worse, a trigger would be
//! replaced), and a migration could not tell them apart.
//!
//! The namespaces:
//! - SQLite: tables, indexes and triggers share one, compared without case;
//! - PostgreSQL: tables, indexes, the indexes behind constraints and sequences share one
//!   (relations); functions another; triggers and constraints are per table;
//! - MySQL: tables and foreign-key constraints per database, indexes per table, all
//!   compared without case.
//!
//! Reserved: names starting with `modelgen_` (the live column, the rebuild's temporary
//! tables, renames' temporary names) for every name, and `sqlite_` for tables and indexes.

use crate::ddl::{fk_name, foreign_key_constraint_name, trigger_function_name, trigger_name};
use crate::dialect::SqlDialect;
use modelgen_ir::{Dialect, ForeignKey, Generator, Model};
use std::borrow::Cow;
// foldhash: the names hashed here are the spec's own, and SipHash was 7 % of `check`.
use foldhash::{HashMap, HashSet, HashSetExt};

/// Who holds a name: borrowed from the models, so claiming costs no copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner<'a> {
    Table {
        model: &'a str,
    },
    /// An index, or the index a named unique constraint is: the `position`th of its model
    /// (indexes first, then uniques), so two of one name are two owners.
    Index {
        model: &'a str,
        name: &'a str,
        position: usize,
    },
    /// An unnamed unique constraint, which MySQL names after its first column.
    Unique {
        model: &'a str,
        columns: &'a [String],
    },
    /// The index InnoDB makes for a foreign key, named after its first column.
    ForeignKeyIndex {
        model: &'a str,
        columns: &'a [String],
    },
    /// A named primary key (PostgreSQL's index behind it takes the name too).
    PrimaryKey {
        model: &'a str,
    },
    /// A foreign key with a name: its own, or one modelgen gives it (one closing a cycle,
    /// or on a table whose name is too long for MySQL's own naming).
    ForeignKey {
        model: &'a str,
        columns: &'a [String],
    },
    /// The trigger (SQLite, PostgreSQL) that keeps an `on_update` column current.
    Trigger {
        model: &'a str,
        column: &'a str,
    },
    /// PostgreSQL's function behind that trigger.
    Function {
        model: &'a str,
        column: &'a str,
    },
    /// What a database names after the table: PostgreSQL's `<table>_pkey` and identity
    /// sequences, MySQL's `PRIMARY`.
    DatabaseName {
        model: &'a str,
        what: &'static str,
    },
    /// The sequence a key reads on PostgreSQL (`autoincrement: {sequence: …}`).
    Sequence {
        model: &'a str,
        column: &'a str,
    },
    /// A CHECK of the model's own `checks`.
    Check {
        model: &'a str,
        name: &'a str,
    },
    /// The CHECK a column's type brings (an enum's, a `bool(check)`'s).
    ColumnCheck {
        model: &'a str,
        column: &'a str,
    },
    /// PostgreSQL's own type of an enum, by the first column that uses it.
    EnumType {
        model: &'a str,
        column: &'a str,
        name: &'a str,
    },
    /// SQLite's table rebuilds go through `modelgen_new_<table>`.
    RebuildTable {
        model: &'a str,
    },
    /// A name (of a `kind`: table, column, index) that takes a prefix modelgen or SQLite
    /// keeps for itself.
    Reserved {
        model: &'a str,
        kind: &'static str,
        name: &'a str,
        prefix: &'static str,
    },
}

impl<'a> Owner<'a> {
    /// The model (its name in the schema) the name belongs to.
    pub fn model(&self) -> &'a str {
        match self {
            Owner::Table { model }
            | Owner::Index { model, .. }
            | Owner::Unique { model, .. }
            | Owner::ForeignKeyIndex { model, .. }
            | Owner::ForeignKey { model, .. }
            | Owner::PrimaryKey { model }
            | Owner::Trigger { model, .. }
            | Owner::Function { model, .. }
            | Owner::DatabaseName { model, .. }
            | Owner::Check { model, .. }
            | Owner::Sequence { model, .. }
            | Owner::ColumnCheck { model, .. }
            | Owner::EnumType { model, .. }
            | Owner::RebuildTable { model }
            | Owner::Reserved { model, .. } => model,
        }
    }

    /// The column the name comes from, where it comes from one.
    pub fn column(&self) -> Option<&'a str> {
        match self {
            Owner::Trigger { column, .. }
            | Owner::Function { column, .. }
            | Owner::ColumnCheck { column, .. }
            | Owner::Sequence { column, .. }
            | Owner::EnumType { column, .. } => Some(column),
            Owner::Reserved {
                kind: "column", name, ..
            } => Some(name),
            _ => None,
        }
    }

    /// For people: `index ix_users_email of User`.
    pub fn describe(&self) -> String {
        match self {
            Owner::Table { model } => format!("the table of `{model}`"),
            Owner::Index { model, name, .. } => format!("index `{name}` of `{model}`"),
            Owner::Unique { model, columns } => {
                format!("the unique constraint of `{model}` on ({})", columns.join(", "))
            }
            Owner::ForeignKeyIndex { model, columns } => {
                format!(
                    "the index MySQL makes for the foreign key of `{model}` on ({})",
                    columns.join(", ")
                )
            }
            Owner::ForeignKey { model, columns } => {
                format!("the foreign key of `{model}` on ({})", columns.join(", "))
            }
            Owner::PrimaryKey { model } => format!("the primary key of `{model}`"),
            Owner::Trigger { model, column } => format!("the trigger that keeps `{model}.{column}` current"),
            Owner::Function { model, column } => format!("the function behind the trigger of `{model}.{column}`"),
            Owner::DatabaseName { model, what } => format!("{what} of `{model}`"),
            Owner::Check { model, name } => format!("check `{name}` of `{model}`"),
            Owner::Sequence { model, column } => format!("the sequence `{model}.{column}` reads"),
            Owner::ColumnCheck { model, column } => format!("the CHECK the type of `{model}.{column}` brings"),
            Owner::EnumType { model, column, name } => {
                format!("enum `{name}` (PostgreSQL's type of `{model}.{column}`)")
            }
            Owner::RebuildTable { model } => format!("the table SQLite migrations rebuild `{model}` through"),
            Owner::Reserved {
                model,
                kind,
                name,
                prefix,
            } => {
                let keeper = if *prefix == "sqlite_" { "SQLite" } else { "modelgen" };
                format!(
                    "{kind} `{name}` of `{model}` starts with `{prefix}`, a prefix {keeper} keeps for its own names"
                )
            }
        }
    }
}

/// One name two owners want in one namespace, on the dialects listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash<'a> {
    pub name: String,
    pub dialects: Vec<Dialect>,
    pub first: Owner<'a>,
    pub second: Owner<'a>,
}

impl Clash<'_> {
    pub fn message(&self) -> String {
        if let Owner::Reserved { .. } = self.first {
            return self.first.describe();
        }
        let on: Vec<&str> = self.dialects.iter().map(|d| d.name()).collect();
        format!(
            "{} and {} are both named `{}` on {}",
            self.second.describe(),
            self.first.describe(),
            self.name,
            on.join(" and ")
        )
    }
}

/// Where a name lives: the dialect, its namespace, and the table for per-table ones.
type Space<'a> = (Dialect, &'static str, Cow<'a, str>);

/// The registry of one schema: each namespace's names and their first owner.
#[derive(Default)]
struct Registry<'a> {
    names: HashMap<(Space<'a>, Cow<'a, str>), Owner<'a>>,
    clashes: Vec<Clash<'a>>,
    /// Each clash's place in `clashes`, by its two owners.
    by_owners: HashMap<(Owner<'a>, Owner<'a>), usize>,
}

/// `name` as `d` compares it: shortened as the database stores it, and without case on
/// SQLite and MySQL. Borrowed when that is the name as written, which is most names.
fn compared<'a>(d: Dialect, name: Cow<'a, str>) -> Cow<'a, str> {
    let name = match d.keeps(&name) {
        true => name,
        false => Cow::Owned(d.name_of(&name)),
    };
    match d != Dialect::Postgres && name.chars().any(char::is_uppercase) {
        true => Cow::Owned(name.to_lowercase()),
        false => name,
    }
}

impl<'a> Registry<'a> {
    /// Claims `name` for `owner` in `space` (`scope` is a table for per-table spaces).
    fn claim(
        &mut self,
        d: Dialect,
        space: &'static str,
        scope: &'a str,
        name: impl Into<Cow<'a, str>>,
        owner: Owner<'a>,
    ) {
        let name = name.into();
        let scope = match d {
            Dialect::Postgres => Cow::Borrowed(scope),
            _ => compared(Dialect::Sqlite, Cow::Borrowed(scope)),
        };
        let shown = || d.name_of(&name);
        let key = ((d, space, scope), compared(d, name.clone()));
        match self.names.get(&key) {
            None => {
                self.names.insert(key, owner);
            }
            // The same two owners on another dialect: one clash, more dialects.
            Some(&first) => match self.by_owners.get(&(first, owner)) {
                Some(&i) if !self.clashes[i].dialects.contains(&d) => self.clashes[i].dialects.push(d),
                Some(_) => {}
                None => {
                    self.by_owners.insert((first, owner), self.clashes.len());
                    self.clashes.push(Clash {
                        name: shown(),
                        dialects: vec![d],
                        first,
                        second: owner,
                    });
                }
            },
        }
    }
}

/// Every clash of the names of `models` (a schema's), in the order the schema lists what
/// they come from; not those between two models on one table, which the front ends
/// report as that.
pub fn clashes(models: &[Model]) -> Vec<Clash<'_>> {
    let mut r = Registry::default();
    // About what a model claims on one database, so the map rarely grows.
    r.names.reserve(models.len() * 6);
    // The foreign keys added after all tables because they close a cycle, which modelgen
    // names on PostgreSQL and MySQL.
    let plan = crate::ddl::plan(models);
    let deferred: HashSet<(&str, &[String])> = plan
        .deferred
        .iter()
        .map(|(m, fk)| (m.table.as_str(), fk.columns.as_slice()))
        .collect();
    for m in models {
        reserved(&mut r, m);
    }
    for d in Dialect::ALL {
        // No namespace spans two databases: one dialect's names at a time.
        r.names.clear();
        // Tables first, so that a derived name clashing with a table is the one reported.
        for m in models {
            let owner = Owner::Table { model: &m.name };
            let space = if d == Dialect::Mysql { "tables" } else { "relations" };
            r.claim(d, space, "", m.table.as_str(), owner);
            // A PostgreSQL table is a type of its name too, beside the enums' types.
            if d == Dialect::Postgres {
                r.claim(d, "types", "", m.table.as_str(), owner);
            }
        }
        if d == Dialect::Postgres {
            claim_enum_types(&mut r, models);
        }
        for m in models {
            claim_model(&mut r, d, m, &deferred);
        }
    }
    if r.clashes.is_empty() {
        return r.clashes;
    }
    // Two models on one table clash everywhere; the front ends refuse that once, in
    // their own words.
    let table: HashMap<&str, String> = models
        .iter()
        .map(|m| (m.name.as_str(), m.table.to_lowercase()))
        .collect();
    r.clashes.retain(|c| {
        let (a, b) = (c.first.model(), c.second.model());
        a == b || table.get(a) != table.get(b)
    });
    r.clashes
}

fn reserved<'a>(r: &mut Registry<'a>, m: &'a Model) {
    // SQLite compares its prefix without ASCII case; so does modelgen.
    let with = |name: &str, prefix: &str| {
        name.len() >= prefix.len() && name.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    let tables = std::iter::once(("table", &m.table));
    let columns = m.columns.iter().map(|c| ("column", &c.name));
    let indexes = m
        .indexes
        .iter()
        .map(|i| &i.name)
        .chain(m.uniques.iter().filter_map(|u| u.name.as_ref()))
        .map(|n| ("index", n));
    for (kind, name) in tables.chain(columns).chain(indexes) {
        // SQLite refuses tables and indexes of its prefix; columns of it are fine.
        let prefixes: &[&'static str] = if kind == "column" {
            &["modelgen_"]
        } else {
            &["modelgen_", "sqlite_"]
        };
        for &prefix in prefixes.iter().filter(|p| with(name, p)) {
            let owner = Owner::Reserved {
                model: &m.name,
                kind,
                name,
                prefix,
            };
            r.clashes.push(Clash {
                name: name.clone(),
                dialects: Dialect::ALL.to_vec(),
                first: owner,
                second: owner,
            });
        }
    }
}

fn claim_model<'a>(r: &mut Registry<'a>, d: Dialect, m: &'a Model, deferred: &HashSet<(&str, &[String])>) {
    let is_deferred = |fk: &ForeignKey| deferred.contains(&(m.table.as_str(), fk.columns.as_slice()));
    let model = m.name.as_str();
    let table = m.table.as_str();
    let index = |name: &'a str, position: usize| Owner::Index { model, name, position };
    let uniques_from = m.indexes.len();
    let on_update = || m.columns.iter().filter(|c| c.on_update.is_some());
    claim_checks(r, d, m);
    match d {
        Dialect::Sqlite => {
            for (k, i) in m.indexes.iter().enumerate() {
                r.claim(d, "relations", "", i.name.as_str(), index(&i.name, k));
            }
            for column in on_update() {
                let owner = Owner::Trigger {
                    model,
                    column: &column.name,
                };
                r.claim(d, "relations", "", trigger_name(m, column), owner);
            }
            let rebuild = format!("modelgen_new_{table}");
            r.claim(d, "relations", "", rebuild, Owner::RebuildTable { model });
        }
        Dialect::Postgres => {
            let what = |what: &'static str| Owner::DatabaseName { model, what };
            // PostgreSQL's own names, where it does not have to shorten them.
            match &m.primary_key_name {
                Some(name) => {
                    let owner = Owner::PrimaryKey { model };
                    r.claim(d, "relations", "", name.as_str(), owner);
                    r.claim(d, "constraints", table, name.as_str(), owner);
                }
                None => {
                    let pkey = format!("{table}_pkey");
                    if pkey.len() <= 63 {
                        let owner = what("the name PostgreSQL gives the primary key");
                        r.claim(d, "relations", "", pkey.clone(), owner);
                        r.claim(d, "constraints", table, pkey, owner);
                    }
                }
            }
            for c in m.columns.iter().filter(|c| c.autoincrement) {
                match &c.generator {
                    Generator::Sequence(name) => {
                        let owner = Owner::Sequence { model, column: &c.name };
                        r.claim(d, "relations", "", name.as_str(), owner);
                    }
                    Generator::Serial => {
                        let seq = crate::sequence::serial_sequence(table, &c.name);
                        r.claim(
                            d,
                            "relations",
                            "",
                            seq,
                            what("the name PostgreSQL gives the serial sequence"),
                        );
                    }
                    Generator::Identity => {
                        let seq = format!("{table}_{}_seq", c.name);
                        if seq.len() <= 63 {
                            r.claim(
                                d,
                                "relations",
                                "",
                                seq,
                                what("the name PostgreSQL gives the identity sequence"),
                            );
                        }
                    }
                }
            }
            for (k, i) in m.indexes.iter().enumerate() {
                r.claim(d, "relations", "", i.name.as_str(), index(&i.name, k));
            }
            for (k, u) in m.uniques.iter().enumerate() {
                if let Some(name) = &u.name {
                    r.claim(d, "relations", "", name.as_str(), index(name, uniques_from + k));
                    r.claim(d, "constraints", table, name.as_str(), index(name, uniques_from + k));
                }
            }
            for column in on_update() {
                let c = column.name.as_str();
                let trigger = Owner::Trigger { model, column: c };
                r.claim(d, "triggers", table, trigger_name(m, column), trigger);
                let function = Owner::Function { model, column: c };
                r.claim(d, "functions", "", trigger_function_name(m, column), function);
            }
            for fk in m.foreign_keys.iter().filter(|fk| is_deferred(fk) || fk.name.is_some()) {
                let owner = Owner::ForeignKey {
                    model,
                    columns: &fk.columns,
                };
                r.claim(d, "constraints", table, fk_name(m, fk), owner);
            }
        }
        Dialect::Mysql => {
            let primary = Owner::DatabaseName {
                model,
                what: "the name MySQL gives the primary key",
            };
            r.claim(d, "indexes", table, "PRIMARY", primary);
            for (k, i) in m.indexes.iter().enumerate() {
                r.claim(d, "indexes", table, i.name.as_str(), index(&i.name, k));
            }
            for (k, u) in m.uniques.iter().enumerate() {
                match &u.name {
                    Some(name) => r.claim(d, "indexes", table, name.as_str(), index(name, uniques_from + k)),
                    None => {
                        let owner = Owner::Unique {
                            model,
                            columns: &u.columns,
                        };
                        r.claim(d, "indexes", table, u.columns[0].as_str(), owner);
                    }
                }
            }
            // First columns that already gave an unnamed key's index its name.
            let mut unnamed_indexes: HashSet<&str> = HashSet::new();
            for fk in &m.foreign_keys {
                // InnoDB adds an index for a key no index serves, named after the constraint
                // when it has a name, after its first column otherwise; a second unnamed
                // key on the same first column gets that name with `_2` (MariaDB makes it
                // unique itself), so the two do not clash.
                // An index's leading column keys serve (MySQL builds no expression key).
                let served = m
                    .indexes
                    .iter()
                    .map(|i| i.columns.iter().map_while(modelgen_ir::IndexKey::column).collect())
                    .chain(m.uniques.iter().map(|u| strs(&u.columns)))
                    .chain(std::iter::once(strs(&m.primary_key)))
                    .any(|cols: Vec<&str>| {
                        cols.len() >= fk.columns.len() && cols[..fk.columns.len()] == strs(&fk.columns)[..]
                    });
                let named =
                    foreign_key_constraint_name(table, fk, d).or_else(|| is_deferred(fk).then(|| fk_name(m, fk)));
                let columns = &fk.columns;
                if let Some(name) = &named {
                    r.claim(d, "constraints", "", name.clone(), Owner::ForeignKey { model, columns });
                }
                let repeated = named.is_none() && !served && !unnamed_indexes.insert(fk.columns[0].as_str());
                if !served && !repeated {
                    let index_name: Cow<str> = named.map_or(Cow::Borrowed(&fk.columns[0]), Cow::Owned);
                    r.claim(
                        d,
                        "indexes",
                        table,
                        index_name,
                        Owner::ForeignKeyIndex { model, columns },
                    );
                }
            }
        }
    }
}

/// PostgreSQL's enum types, each once however many columns use it.
fn strs(cols: &[String]) -> Vec<&str> {
    cols.iter().map(String::as_str).collect()
}

fn claim_enum_types<'a>(r: &mut Registry<'a>, models: &'a [Model]) {
    let d = Dialect::Postgres;
    let mut seen: HashSet<&str> = HashSet::new();
    for m in models {
        for c in &m.columns {
            let modelgen_ir::LogicalType::Enum(e) = &c.ty else {
                continue;
            };
            // A derived struct's enum has its names only at run time.
            if e.as_varchar(d) || e.type_name.is_empty() || !seen.insert(e.name.as_str()) {
                continue;
            }
            let owner = Owner::EnumType {
                model: &m.name,
                column: &c.name,
                name: &e.name,
            };
            r.claim(d, "types", "", e.type_name.as_str(), owner);
        }
    }
}

/// CHECK constraints: per table on PostgreSQL; per database on MySQL 8, whose names of
/// CHECKs and foreign keys share one namespace — except an enum's, named after its type
/// on every table that uses it, claimed per table (MariaDB takes it; MySQL 8 would not,
/// as it would not SQLAlchemy's). SQLite keeps no namespace for them, but migrations
/// tell a table's checks apart by name.
fn claim_checks<'a>(r: &mut Registry<'a>, d: Dialect, m: &'a Model) {
    let (model, table) = (m.name.as_str(), m.table.as_str());
    let space = |d: Dialect| match d {
        Dialect::Sqlite => ("checks", table),
        Dialect::Postgres => ("constraints", table),
        Dialect::Mysql => ("constraints", ""),
    };
    for c in m.checks.iter().filter(|c| c.applies(d)) {
        let (space, scope) = space(d);
        r.claim(d, space, scope, c.name.as_str(), Owner::Check { model, name: &c.name });
    }
    for c in &m.columns {
        let Some(check) = modelgen_ir::check::column_check(m, c).filter(|k| k.applies(d)) else {
            continue;
        };
        let (space, scope) = match (d, &c.ty) {
            (Dialect::Mysql, modelgen_ir::LogicalType::Enum(_)) => ("constraints", table),
            _ => space(d),
        };
        r.claim(
            d,
            space,
            scope,
            check.name.clone(),
            Owner::ColumnCheck { model, column: &c.name },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelgen_ir::{Column, Index, LogicalType, ModelKind};

    fn model(name: &str, table: &str, indexes: &[&str]) -> Model {
        Model {
            name: name.into(),
            table: table.into(),
            kind: ModelKind::Entity,
            doc: None,
            comment: None,
            mixins: Vec::new(),
            columns: vec![Column {
                primary_key: true,
                ..Column::new("id", LogicalType::Int)
            }],
            primary_key: vec!["id".into()],
            primary_key_name: None,
            uniques: Vec::new(),
            indexes: indexes
                .iter()
                .map(|n| Index {
                    name: n.to_string(),
                    columns: vec!["id".to_owned().into()],
                    unique: false,
                    live_only: false,
                    predicate: None,
                })
                .collect(),
            foreign_keys: Vec::new(),
            relations: Vec::new(),
            repr: Vec::new(),
            soft_delete: None,
            renamed_from: None,
            checks: Vec::new(),
            naming: None,
        }
    }

    /// A long name is shortened to a prefix and a hash; a name written as exactly that
    /// shortened form is the same name to PostgreSQL and MySQL.
    #[test]
    fn an_index_named_like_another_s_shortened_name_clashes() {
        let long = "an_index_name_far_longer_than_sixty_three_bytes_which_postgres_cuts_short";
        let short = Dialect::Postgres.name_of(long);
        assert_ne!(short, long);
        let models = [model("A", "a", &[long]), model("B", "b", &[&short])];
        let found = clashes(&models);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].name, short);
        assert_eq!(found[0].dialects, [Dialect::Postgres]);
    }

    #[test]
    fn a_schema_without_shared_names_has_no_clash() {
        let models = [model("A", "a", &["ix_a"]), model("B", "b", &["ix_b"])];
        assert_eq!(clashes(&models), Vec::new());
    }
}
