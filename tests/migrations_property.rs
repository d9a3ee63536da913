//! A property test of migrations: pairs of schemas (a base spec generated from a seed, and
//! the same spec after 1–3 random edits), each migrated on SQLite, PostgreSQL and MariaDB
//! with rows in every table: up, down, and up again. After every step the database's
//! catalog must be what the IR says; after the first up, every value of a column the
//! edits kept or renamed must still be there.
//!
//! - `MODELGEN_MIGRATION_PAIRS=N` runs N pairs per database (default 30, what CI runs).
//! - `MODELGEN_MIGRATION_SEED=S` runs only pair S, as a failure report prints it.
//!
//! The generator writes specs (YAML) and loads them through `modelgen_spec`, so renames are
//! declared the way users declare them (`renamed_from`). Row values are chosen so every
//! edit is valid for the data: three rows per table, each column's values distinct across
//! rows, integers in 1..=3 (so an integer column can become a foreign key to a table whose
//! ids are 1..=3), strings of at most 8 characters (so narrowing never truncates).
//!
//! What the property forgives, on purpose:
//! - column order ([`in_schema_order`]): `ADD COLUMN` appends, and PostgreSQL cannot do
//!   otherwise;
//! - the values of a column whose type changed, unless they read back as the same text
//!   (`str` wider or narrower, `str` → `text`, `int` ↔ `bigint`, decimal digits);
//! - cells that were NULL in a column made NOT NULL (they hold the fill value).
//!
//! Edits the generator does not make, because no migration can pass them (each explained
//! where it is left out): dropping a unique or a NOT NULL foreign-key column, or a table
//! referenced by a NOT NULL column, since the down migration cannot bring their values
//! back; and two spellings `tests/catalog.rs` does not expect (a literal default on
//! `datetime(tz)`, a UUID default of only digits, two unnamed UNIQUEs on one first column).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::{Plan, Script};
use modelgen_sql::SqlDialect;
use modelgen_tests::db::{assert_catalog, Conn};

const DEFAULT_PAIRS: u64 = 30;
const ROWS: usize = 3;

// ---------------------------------------------------------------------------------------
// Randomness: splitmix64, seeded per pair, so a seed reproduces a pair exactly.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5851_f42d_4c95_7f2d)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        splitmix(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------
// The generator's own picture of a spec: enough to write YAML, insert rows and know which
// columns of the base survive an edit.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str(u32),
    Text,
    Int,
    BigInt,
    Float,
    Decimal(u32, u32),
    Bool,
    DateTime { tz: bool },
    Date,
    Uuid,
    Json,
    ListStr,
}

impl Ty {
    fn spec(self) -> String {
        match self {
            Ty::Str(n) => format!("str({n})"),
            Ty::Text => "text".into(),
            Ty::Int => "int".into(),
            Ty::BigInt => "bigint".into(),
            Ty::Float => "float".into(),
            Ty::Decimal(p, s) => format!("decimal({p},{s})"),
            Ty::Bool => "bool".into(),
            Ty::DateTime { tz: false } => "datetime".into(),
            Ty::DateTime { tz: true } => "datetime(tz)".into(),
            Ty::Date => "date".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Json => "json".into(),
            Ty::ListStr => "list[str]".into(),
        }
    }

    fn random(rng: &mut Rng) -> Ty {
        match rng.below(13) {
            0 | 1 => Ty::Str(rng.pick(&[8, 20, 50, 100, 255])),
            2 => Ty::Text,
            3 => Ty::Int,
            4 => Ty::BigInt,
            5 => Ty::Float,
            6 => {
                let (p, s) = rng.pick(&[(10, 2), (12, 4), (8, 3), (6, 2)]);
                Ty::Decimal(p, s)
            }
            7 => Ty::Bool,
            8 => Ty::DateTime { tz: rng.chance(20) },
            9 => Ty::Date,
            10 => Ty::Uuid,
            11 => Ty::Json,
            _ => Ty::ListStr,
        }
    }

    /// MariaDB indexes TEXT and JSON (LONGTEXT) only with a prefix length, and PostgreSQL's
    /// `json` has no equality, so those are never indexed.
    fn indexable(self) -> bool {
        !matches!(self, Ty::Text | Ty::Json | Ty::ListStr)
    }

    /// Whether three rows can hold three different values.
    fn uniqueable(self) -> bool {
        self.indexable() && self != Ty::Bool
    }

    /// `server_default` literals (YAML) that fit the type.
    ///
    /// Left out on purpose, because `tests/catalog.rs` normalizes them differently from
    /// what it expects (catalog-helper limitations, not planner bugs): a literal default on
    /// `datetime(tz)` (PostgreSQL reports `'… 00:00:00+00'`), and a UUID default of only
    /// decimal digits (MariaDB's quoted `'000…1'` is unquoted as if it were a number).
    fn defaults(self) -> &'static [&'static str] {
        match self {
            Ty::Str(_) => &["\"dflt\"", "\"it's\""],
            Ty::Text => &["\"none\"", "\"back\\\\slash\""],
            Ty::Int => &["7", "-3"],
            Ty::BigInt => &["9000000000", "0"],
            Ty::Float => &["0.5", "1.25"],
            Ty::Decimal(..) => &["\"1.50\"", "0"],
            Ty::Bool => &["true", "false"],
            Ty::DateTime { tz: false } => &["now", "\"2000-01-01 00:00:00\""],
            Ty::DateTime { tz: true } => &["now"],
            Ty::Date => &["now", "\"2000-01-01\""],
            Ty::Uuid => &[
                "\"123e4567-e89b-12d3-a456-426614174000\"",
                "\"ffffffff-0000-0000-0000-000000000001\"",
            ],
            Ty::Json => &["{}", "{a: [1, 2]}"],
            Ty::ListStr => &["[]", "[read]"],
        }
    }
}

#[derive(Clone, Debug)]
struct Fk {
    /// The referenced model, by model name (which never changes), so table and key
    /// renames keep the reference valid.
    model: String,
    cascade: bool,
}

#[derive(Clone, Debug)]
struct Field {
    name: String,
    ty: Ty,
    nullable: bool,
    pk: bool,
    default: Option<String>,
    index: bool,
    unique: bool,
    fk: Option<Fk>,
    /// The field as it is in the base spec, `None` for a field an edit added.
    base: Option<Box<Field>>,
    /// Mixes the field's values so columns of one table differ.
    salt: usize,
}

impl Field {
    fn yaml(&self) -> String {
        let mut parts = vec![format!("type: \"{}\"", self.ty.spec())];
        if self.pk {
            parts.push("primary_key: true".into());
        }
        if self.nullable {
            parts.push("nullable: true".into());
        }
        if let Some(d) = &self.default {
            parts.push(format!("server_default: {d}"));
        }
        if self.index {
            parts.push("index: true".into());
        }
        if self.unique {
            parts.push("unique: true".into());
        }
        if let Some(fk) = &self.fk {
            let on_delete = if fk.cascade { ", on_delete: cascade" } else { "" };
            parts.push(format!("foreign_key: {{references: {}{on_delete}}}", fk.model));
        }
        if let Some(base) = &self.base {
            if base.name != self.name {
                parts.push(format!("renamed_from: {}", base.name));
            }
        }
        format!("{{{}}}", parts.join(", "))
    }
}

#[derive(Clone, Debug)]
struct MultiIndex {
    name: String,
    columns: Vec<String>,
}

#[derive(Clone, Debug)]
struct MultiUnique {
    name: Option<String>,
    columns: Vec<String>,
}

#[derive(Clone, Debug)]
struct ModelSpec {
    name: String,
    table: String,
    /// The table in the base spec, `None` for a model an edit added.
    base_table: Option<String>,
    fields: Vec<Field>,
    timestamps: bool,
    /// Whether the base model had the timestamps mixin.
    base_timestamps: bool,
    indexes: Vec<MultiIndex>,
    uniques: Vec<MultiUnique>,
}

impl ModelSpec {
    fn pk(&self) -> &Field {
        self.fields
            .iter()
            .find(|f| f.pk)
            .expect("every model has a primary key")
    }

    fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Column names in use, mixin columns included.
    fn taken(&self, name: &str) -> bool {
        self.field(name).is_some() || (self.timestamps && (name == "created_at" || name == "updated_at"))
    }
}

/// A many-to-many relation declared on `a`, whose join table modelgen generates.
#[derive(Clone, Debug)]
struct Link {
    a: String,
    b: String,
    through: String,
    in_base: bool,
}

#[derive(Clone, Debug)]
struct Spec {
    models: Vec<ModelSpec>,
    links: Vec<Link>,
    /// Counter for fresh names, so no name of the base is ever reused.
    next: usize,
}

impl Spec {
    fn fresh(&mut self) -> usize {
        self.next += 1;
        self.next
    }

    fn model(&self, name: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.name == name)
    }

    fn yaml(&self) -> String {
        let mut out = String::from("models:\n");
        for m in &self.models {
            let _ = writeln!(out, "  {}:", m.name);
            let _ = writeln!(out, "    table: {}", m.table);
            if let Some(base) = &m.base_table {
                if *base != m.table {
                    let _ = writeln!(out, "    renamed_from: {base}");
                }
            }
            out.push_str("    fields:\n");
            for f in &m.fields {
                let _ = writeln!(out, "      {}: {}", f.name, f.yaml());
            }
            if m.timestamps {
                out.push_str("    mixins: [timestamps]\n");
            }
            if !m.indexes.is_empty() {
                out.push_str("    indexes:\n");
                for i in &m.indexes {
                    let _ = writeln!(out, "      - {{name: {}, columns: [{}]}}", i.name, i.columns.join(", "));
                }
            }
            if !m.uniques.is_empty() {
                out.push_str("    uniques:\n");
                for u in &m.uniques {
                    match &u.name {
                        Some(n) => {
                            let _ = writeln!(out, "      - {{name: {n}, columns: [{}]}}", u.columns.join(", "));
                        }
                        None => {
                            let _ = writeln!(out, "      - [{}]", u.columns.join(", "));
                        }
                    }
                }
            }
            let links: Vec<&Link> = self.links.iter().filter(|l| l.a == m.name).collect();
            if !links.is_empty() {
                out.push_str("    relations:\n");
                for l in links {
                    let _ = writeln!(
                        out,
                        "      rel_{}: {{many_to_many: {}, through: {}}}",
                        l.through, l.b, l.through
                    );
                }
            }
        }
        out
    }
}

/// Names SQL reserves, used now and then so quoting is exercised everywhere.
const RESERVED_COLUMNS: [&str; 4] = ["order", "key", "desc", "from"];
const RESERVED_TABLES: [&str; 4] = ["order", "user", "select", "group"];

fn random_field(rng: &mut Rng, spec: &mut Spec, taken: &dyn Fn(&str) -> bool, salt: usize) -> Field {
    let reserved = rng.pick(&RESERVED_COLUMNS);
    let name = if rng.chance(10) && !taken(reserved) {
        reserved.to_owned()
    } else {
        format!("c{}", spec.fresh())
    };
    let ty = Ty::random(rng);
    let default = rng.chance(30).then(|| rng.pick(ty.defaults()).to_owned());
    let index = ty.indexable() && rng.chance(20);
    let unique = ty.uniqueable() && rng.chance(15);
    Field {
        name,
        ty,
        nullable: rng.chance(30),
        pk: false,
        default,
        index,
        unique,
        fk: None,
        base: None,
        salt,
    }
}

/// The base spec: 2–4 models of 3–8 fields each. `wanted` are the kinds of edit the pair
/// will draw; the base makes sure to have what the removing ones remove.
fn base_spec(rng: &mut Rng, wanted: &[Kind]) -> Spec {
    let wants = |k: Kind| wanted.contains(&k);
    let mut spec = Spec {
        models: Vec::new(),
        links: Vec::new(),
        next: 0,
    };
    let n = 2 + rng.below(3);
    for i in 0..n {
        let name = format!("M{i}");
        let table = if rng.chance(15) {
            RESERVED_TABLES[i % RESERVED_TABLES.len()].to_owned()
        } else {
            format!("t{i}")
        };
        let pk_ty = rng.pick(&[Ty::Int, Ty::Int, Ty::Int, Ty::BigInt, Ty::Uuid]);
        let mut fields = vec![Field {
            name: "id".into(),
            ty: pk_ty,
            nullable: false,
            pk: true,
            default: None,
            index: false,
            unique: false,
            fk: None,
            base: None,
            salt: 0,
        }];
        let total = 3 + rng.below(6);
        if i > 0 && (rng.chance(70) || (i == 1 && (wants(Kind::DropForeignKey) || wants(Kind::ChangeOnDelete)))) {
            let target: &ModelSpec = &spec.models[rng.below(i)];
            fields.push(Field {
                name: format!("{}_ref{}", target.name.to_lowercase(), spec.next + 1),
                ty: target.pk().ty,
                nullable: rng.chance(40),
                pk: false,
                default: None,
                index: rng.chance(40),
                unique: false,
                fk: Some(Fk {
                    model: target.name.clone(),
                    cascade: rng.chance(50),
                }),
                base: None,
                salt: 1,
            });
            spec.next += 1;
        }
        while fields.len() < total {
            let salt = fields.len() + 7 * i;
            let taken: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
            let mut f = random_field(rng, &mut spec, &|n| taken.iter().any(|t| t == n), salt);
            if fields.iter().all(|f| f.pk || f.fk.is_some()) {
                // Every spec has strings and integers to widen, narrow and point elsewhere.
                f.ty = if i % 2 == 0 {
                    Ty::Str(rng.pick(&[20, 50, 100]))
                } else {
                    Ty::Int
                };
                f.default = f.default.as_ref().map(|_| rng.pick(f.ty.defaults()).to_owned());
            }
            fields.push(f);
        }
        let mut model = ModelSpec {
            name,
            table: table.clone(),
            base_table: Some(table),
            fields,
            timestamps: rng.chance(35) || (i == 0 && wants(Kind::RemoveTimestamps)),
            base_timestamps: false,
            indexes: Vec::new(),
            uniques: Vec::new(),
        };
        model.base_timestamps = model.timestamps;
        let indexable: Vec<String> = model
            .fields
            .iter()
            .filter(|f| !f.pk && f.ty.indexable())
            .map(|f| f.name.clone())
            .collect();
        if indexable.len() >= 2 && (rng.chance(30) || wants(Kind::DropMultiColumnIndex)) {
            let (a, b) = two(rng, &indexable);
            model.indexes.push(MultiIndex {
                name: format!("ixm{}", spec.fresh()),
                columns: vec![a, b],
            });
        }
        let uniqueable: Vec<String> = model
            .fields
            .iter()
            .filter(|f| !f.pk && f.ty.uniqueable())
            .map(|f| f.name.clone())
            .collect();
        if uniqueable.len() >= 2 && (rng.chance(25) || wants(Kind::DropCompositeUnique)) {
            let (a, b) = two(rng, &uniqueable);
            let named = rng.chance(50) || unnamed_unique_starts_with(&model, &a);
            let name = named.then(|| format!("uqm{}", spec.fresh()));
            model.uniques.push(MultiUnique {
                name,
                columns: vec![a, b],
            });
        }
        // Every model has an index.
        if model.indexes.is_empty() && !model.fields.iter().any(|f| f.index) {
            let candidates: Vec<usize> = (0..model.fields.len())
                .filter(|&k| !model.fields[k].pk && model.fields[k].ty.indexable())
                .collect();
            if !candidates.is_empty() {
                let k = rng.pick(&candidates);
                model.fields[k].index = true;
            }
        }
        spec.models.push(model);
    }
    if n >= 2 && (rng.chance(40) || wants(Kind::RemoveManyToMany)) {
        let a = rng.below(n);
        let b = (a + 1 + rng.below(n - 1)) % n;
        let through = format!("j{}", spec.fresh());
        spec.links.push(Link {
            a: spec.models[a].name.clone(),
            b: spec.models[b].name.clone(),
            through,
            in_base: true,
        });
    }
    // Remember the base version of every field.
    for m in &mut spec.models {
        for f in &mut m.fields {
            f.base = Some(Box::new(f.clone()));
        }
    }
    spec
}

fn two(rng: &mut Rng, items: &[String]) -> (String, String) {
    let a = rng.below(items.len());
    let b = (a + 1 + rng.below(items.len() - 1)) % items.len();
    (items[a].clone(), items[b].clone())
}

// ---------------------------------------------------------------------------------------
// Edits.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    AddNullableColumn,
    AddNotNullColumnWithDefault,
    AddNotNullColumnWithoutDefault,
    DropColumn,
    RenameColumn,
    RenamePrimaryKey,
    RenameTable,
    WidenStr,
    NarrowStr,
    IntToBigint,
    BigintToInt,
    WidenDecimal,
    DatetimeToTz,
    StrToText,
    MakeNullable,
    MakeNotNullWithDefault,
    MakeNotNullWithoutDefault,
    AddServerDefault,
    ChangeServerDefault,
    DropServerDefault,
    AddIndex,
    DropIndex,
    AddUniqueIndex,
    AddUnique,
    DropUnique,
    AddMultiColumnIndex,
    DropMultiColumnIndex,
    AddCompositeUnique,
    DropCompositeUnique,
    AddForeignKey,
    DropForeignKey,
    ChangeOnDelete,
    AddForeignKeyColumn,
    AddModel,
    DropModel,
    AddTimestamps,
    RemoveTimestamps,
    AddManyToMany,
    RemoveManyToMany,
}

const KINDS: [Kind; 39] = [
    Kind::AddNullableColumn,
    Kind::AddNotNullColumnWithDefault,
    Kind::AddNotNullColumnWithoutDefault,
    Kind::DropColumn,
    Kind::RenameColumn,
    Kind::RenamePrimaryKey,
    Kind::RenameTable,
    Kind::WidenStr,
    Kind::NarrowStr,
    Kind::IntToBigint,
    Kind::BigintToInt,
    Kind::WidenDecimal,
    Kind::DatetimeToTz,
    Kind::StrToText,
    Kind::MakeNullable,
    Kind::MakeNotNullWithDefault,
    Kind::MakeNotNullWithoutDefault,
    Kind::AddServerDefault,
    Kind::ChangeServerDefault,
    Kind::DropServerDefault,
    Kind::AddIndex,
    Kind::DropIndex,
    Kind::AddUniqueIndex,
    Kind::AddUnique,
    Kind::DropUnique,
    Kind::AddMultiColumnIndex,
    Kind::DropMultiColumnIndex,
    Kind::AddCompositeUnique,
    Kind::DropCompositeUnique,
    Kind::AddForeignKey,
    Kind::DropForeignKey,
    Kind::ChangeOnDelete,
    Kind::AddForeignKeyColumn,
    Kind::AddModel,
    Kind::DropModel,
    Kind::AddTimestamps,
    Kind::RemoveTimestamps,
    Kind::AddManyToMany,
    Kind::RemoveManyToMany,
];

/// `(model index, field index)` of every field matching `pred`.
fn fields_where(spec: &Spec, pred: impl Fn(&ModelSpec, &Field) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (mi, m) in spec.models.iter().enumerate() {
        for (fi, f) in m.fields.iter().enumerate() {
            if pred(m, f) {
                out.push((mi, fi));
            }
        }
    }
    out
}

/// Whether the field holds the base's values unchanged in kind: it existed in the base
/// with the same type and was not NOT NULL-filled since.
fn holds_base_values(f: &Field) -> bool {
    f.base
        .as_ref()
        .is_some_and(|b| b.ty == f.ty && (b.nullable == f.nullable || !b.nullable))
}

/// Whether an unnamed UNIQUE starting with `column` exists. MariaDB names such a key after
/// its first column and a second one `<column>_2`, which `tests/catalog.rs` does not expect
/// (a fresh build differs from it as much as a migrated one), so a second one is named.
fn unnamed_unique_starts_with(m: &ModelSpec, column: &str) -> bool {
    m.field(column).is_some_and(|f| f.unique && !f.index)
        || m.uniques.iter().any(|u| u.name.is_none() && u.columns[0] == column)
}

fn in_multi(m: &ModelSpec, name: &str) -> bool {
    m.indexes.iter().any(|i| i.columns.iter().any(|c| c == name))
        || m.uniques.iter().any(|u| u.columns.iter().any(|c| c == name))
}

/// Applies `kind` somewhere in `spec`, or returns `None` when nothing fits it.
fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    let pick = |rng: &mut Rng, c: Vec<(usize, usize)>| (!c.is_empty()).then(|| c[rng.below(c.len())]);
    let plain = |_: &ModelSpec, f: &Field| !f.pk && f.fk.is_none();
    match kind {
        Kind::AddNullableColumn | Kind::AddNotNullColumnWithDefault | Kind::AddNotNullColumnWithoutDefault => {
            let mi = rng.below(spec.models.len());
            let ty = Ty::random(rng);
            let name = format!("c{}", spec.fresh());
            let default = (kind == Kind::AddNotNullColumnWithDefault).then(|| rng.pick(ty.defaults()).to_owned());
            let m = &mut spec.models[mi];
            let salt = m.fields.len() + 11;
            m.fields.push(Field {
                name: name.clone(),
                ty,
                nullable: kind == Kind::AddNullableColumn,
                pk: false,
                default,
                index: false,
                unique: false,
                fk: None,
                base: None,
                salt,
            });
            Some(format!("{kind:?} {}.{name} {}", m.table, ty.spec()))
        }
        Kind::DropColumn => {
            // Not a unique column: the down migration restores it with one value in every
            // row (its default, or the type's zero), which its unique key then rejects. Nor a
            // NOT NULL foreign key: restored as the type's zero, it references no row. No
            // down can bring back values it does not have; a known limitation.
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    !f.pk
                        && !f.unique
                        && !m.uniques.iter().any(|u| u.columns.contains(&f.name))
                        && (f.fk.is_none() || f.nullable)
                }),
            )?;
            let m = &mut spec.models[mi];
            let f = m.fields.remove(fi);
            m.indexes.retain(|i| !i.columns.contains(&f.name));
            m.uniques.retain(|u| !u.columns.contains(&f.name));
            Some(format!("{kind:?} {}.{}", m.table, f.name))
        }
        Kind::RenameColumn | Kind::RenamePrimaryKey => {
            let pk = kind == Kind::RenamePrimaryKey;
            let (mi, fi) = pick(rng, fields_where(spec, |_, f| f.pk == pk))?;
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let old = m.fields[fi].name.clone();
            let new = format!("{old}_r{n}");
            m.fields[fi].name = new.clone();
            for cols in m
                .indexes
                .iter_mut()
                .map(|i| &mut i.columns)
                .chain(m.uniques.iter_mut().map(|u| &mut u.columns))
            {
                for c in cols.iter_mut().filter(|c| **c == old) {
                    *c = new.clone();
                }
            }
            Some(format!("{kind:?} {}.{old} → {new}", m.table))
        }
        Kind::RenameTable => {
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| spec.models[i].base_table.is_some())
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let mi = rng.pick(&candidates);
            let n = spec.fresh();
            let m = &mut spec.models[mi];
            let old = m.table.clone();
            m.table = format!("{old}_r{n}");
            Some(format!("{kind:?} {old} → {}", m.table))
        }
        Kind::WidenStr | Kind::NarrowStr | Kind::StrToText => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| match f.ty {
                    Ty::Str(n) => match kind {
                        Kind::NarrowStr => n > 8,
                        Kind::StrToText => !f.index && !f.unique && !in_multi(m, &f.name) && !f.pk && f.fk.is_none(),
                        _ => true,
                    },
                    _ => false,
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let Ty::Str(n) = f.ty else { unreachable!() };
            let to = match kind {
                Kind::WidenStr => Ty::Str(n + 50),
                Kind::NarrowStr => Ty::Str((n / 2).max(8)),
                _ => Ty::Text,
            };
            f.ty = to;
            Some(format!("{kind:?} {} str({n}) → {}", f.name, to.spec()))
        }
        Kind::IntToBigint | Kind::BigintToInt | Kind::WidenDecimal | Kind::DatetimeToTz => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    plain(m, f)
                        && match kind {
                            Kind::IntToBigint => f.ty == Ty::Int,
                            Kind::BigintToInt => f.ty == Ty::BigInt,
                            Kind::WidenDecimal => matches!(f.ty, Ty::Decimal(..)),
                            // A literal default on datetime(tz): see Ty::defaults.
                            _ => f.ty == Ty::DateTime { tz: false } && f.default.as_deref().is_none_or(|d| d == "now"),
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let from = f.ty;
            f.ty = match from {
                Ty::Int => Ty::BigInt,
                Ty::BigInt => Ty::Int,
                Ty::Decimal(p, s) => Ty::Decimal(p + 2, s),
                _ => Ty::DateTime { tz: true },
            };
            if from == Ty::BigInt && f.default.as_deref() == Some("9000000000") {
                f.default = Some("7".into());
            }
            Some(format!("{kind:?} {} {} → {}", f.name, from.spec(), f.ty.spec()))
        }
        Kind::MakeNullable => {
            let (mi, fi) = pick(rng, fields_where(spec, |_, f| !f.pk && !f.nullable))?;
            let f = &mut spec.models[mi].fields[fi];
            f.nullable = true;
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::MakeNotNullWithDefault | Kind::MakeNotNullWithoutDefault => {
            let with = kind == Kind::MakeNotNullWithDefault;
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| plain(m, f) && f.nullable && (with || f.default.is_none())),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            f.nullable = false;
            if with && f.default.is_none() {
                f.default = Some(rng.pick(f.ty.defaults()).to_owned());
            }
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::AddServerDefault | Kind::ChangeServerDefault | Kind::DropServerDefault => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    plain(m, f)
                        && match kind {
                            Kind::AddServerDefault => f.default.is_none(),
                            Kind::ChangeServerDefault => f.default.is_some() && f.ty.defaults().len() > 1,
                            _ => f.default.is_some(),
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            let defaults = f.ty.defaults();
            f.default = match kind {
                Kind::AddServerDefault => Some(rng.pick(defaults).to_owned()),
                Kind::ChangeServerDefault if f.default.as_deref() == Some(defaults[0]) => Some(defaults[1].to_owned()),
                Kind::ChangeServerDefault => Some(defaults[0].to_owned()),
                _ => None,
            };
            Some(format!("{kind:?} {} {:?}", f.name, f.default))
        }
        Kind::AddIndex | Kind::DropIndex | Kind::AddUniqueIndex | Kind::AddUnique | Kind::DropUnique => {
            let (mi, fi) = pick(
                rng,
                fields_where(spec, |m, f| {
                    !f.pk
                        && match kind {
                            Kind::AddIndex => f.ty.indexable() && !f.index,
                            // A unique index without its index is an unnamed UNIQUE.
                            Kind::DropIndex => f.index && !(f.unique && unnamed_unique_starts_with(m, &f.name)),
                            // Only columns that hold the base's three distinct values.
                            Kind::AddUniqueIndex => f.ty.uniqueable() && !f.index && !f.unique && holds_base_values(f),
                            Kind::AddUnique => {
                                f.ty.uniqueable()
                                    && !f.unique
                                    && holds_base_values(f)
                                    // A plain UNIQUE would be a second unnamed one on it.
                                    && (f.index || !unnamed_unique_starts_with(m, &f.name))
                            }
                            _ => f.unique,
                        }
                }),
            )?;
            let f = &mut spec.models[mi].fields[fi];
            match kind {
                Kind::AddIndex => f.index = true,
                Kind::DropIndex => f.index = false,
                Kind::AddUniqueIndex => (f.index, f.unique) = (true, true),
                Kind::AddUnique => f.unique = true,
                _ => f.unique = false,
            }
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::AddMultiColumnIndex | Kind::AddCompositeUnique => {
            let unique = kind == Kind::AddCompositeUnique;
            let candidates: Vec<(usize, Vec<String>)> = spec
                .models
                .iter()
                .enumerate()
                .map(|(mi, m)| {
                    let cols = m
                        .fields
                        .iter()
                        .filter(|f| {
                            !f.pk
                                && if unique {
                                    f.ty.uniqueable() && holds_base_values(f)
                                } else {
                                    f.ty.indexable()
                                }
                        })
                        .map(|f| f.name.clone())
                        .collect::<Vec<_>>();
                    (mi, cols)
                })
                .filter(|(_, cols)| cols.len() >= 2)
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let (mi, cols) = rng.pick(&candidates.iter().map(|(a, b)| (*a, b.clone())).collect::<Vec<_>>());
            let (a, b) = two(rng, &cols);
            // A second UNIQUE on the same columns says nothing new (SQLite merges the two).
            if unique
                && spec.models[mi]
                    .uniques
                    .iter()
                    .any(|u| u.columns == [a.clone(), b.clone()])
            {
                return None;
            }
            let n = spec.fresh();
            let named = rng.chance(50) || unnamed_unique_starts_with(&spec.models[mi], &a);
            let m = &mut spec.models[mi];
            if unique {
                m.uniques.push(MultiUnique {
                    name: named.then(|| format!("uqm{n}")),
                    columns: vec![a.clone(), b.clone()],
                });
            } else {
                m.indexes.push(MultiIndex {
                    name: format!("ixm{n}"),
                    columns: vec![a.clone(), b.clone()],
                });
            }
            Some(format!("{kind:?} {}({a}, {b})", m.table))
        }
        Kind::DropMultiColumnIndex | Kind::DropCompositeUnique => {
            let unique = kind == Kind::DropCompositeUnique;
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| {
                    if unique {
                        !spec.models[i].uniques.is_empty()
                    } else {
                        !spec.models[i].indexes.is_empty()
                    }
                })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let m = &mut spec.models[rng.pick(&candidates)];
            let cols = if unique {
                let k = rng.below(m.uniques.len());
                m.uniques.remove(k).columns
            } else {
                let k = rng.below(m.indexes.len());
                m.indexes.remove(k).columns
            };
            Some(format!("{kind:?} {}({})", m.table, cols.join(", ")))
        }
        Kind::AddForeignKey => {
            // An integer column of the base, holding 1..=3, pointed at an earlier model of
            // the base whose ids are 1..=3.
            let mut candidates = Vec::new();
            for (mi, m) in spec.models.iter().enumerate() {
                for (fi, f) in m.fields.iter().enumerate() {
                    if f.pk || f.fk.is_some() || !matches!(f.ty, Ty::Int | Ty::BigInt) || !holds_base_values(f) {
                        continue;
                    }
                    for target in &spec.models[..mi] {
                        if target.base_table.is_some() && target.pk().ty == f.ty {
                            candidates.push((mi, fi, target.name.clone()));
                        }
                    }
                }
            }
            if candidates.is_empty() {
                return None;
            }
            let (mi, fi, target) = rng.pick(&candidates);
            let cascade = rng.chance(50);
            let f = &mut spec.models[mi].fields[fi];
            f.fk = Some(Fk {
                model: target.clone(),
                cascade,
            });
            Some(format!("{kind:?} {} → {target}", f.name))
        }
        Kind::DropForeignKey | Kind::ChangeOnDelete => {
            let (mi, fi) = pick(rng, fields_where(spec, |_, f| f.fk.is_some()))?;
            let f = &mut spec.models[mi].fields[fi];
            if kind == Kind::DropForeignKey {
                f.fk = None;
            } else {
                let fk = f.fk.as_mut().unwrap();
                fk.cascade = !fk.cascade;
            }
            Some(format!("{kind:?} {}", f.name))
        }
        Kind::AddForeignKeyColumn => {
            let candidates: Vec<usize> = (1..spec.models.len()).collect();
            if candidates.is_empty() {
                return None;
            }
            let mi = rng.pick(&candidates);
            let target = spec.models[rng.below(mi)].clone();
            let n = spec.fresh();
            let name = format!("{}_ref{n}", target.name.to_lowercase());
            let index = rng.chance(50);
            let cascade = rng.chance(50);
            let m = &mut spec.models[mi];
            let salt = m.fields.len() + 13;
            m.fields.push(Field {
                name: name.clone(),
                ty: target.pk().ty,
                nullable: true,
                pk: false,
                default: None,
                index,
                unique: false,
                fk: Some(Fk {
                    model: target.name.clone(),
                    cascade,
                }),
                base: None,
                salt,
            });
            Some(format!("{kind:?} {}.{name} → {}", m.table, target.name))
        }
        Kind::AddModel => {
            let n = spec.fresh();
            let name = format!("N{n}");
            let mut fields = vec![Field {
                name: "id".into(),
                ty: rng.pick(&[Ty::Int, Ty::BigInt, Ty::Uuid]),
                nullable: false,
                pk: true,
                default: None,
                index: false,
                unique: false,
                fk: None,
                base: None,
                salt: 0,
            }];
            if rng.chance(60) {
                let target = spec.models[rng.below(spec.models.len())].clone();
                fields.push(Field {
                    name: format!("{}_ref{n}", target.name.to_lowercase()),
                    ty: target.pk().ty,
                    nullable: rng.chance(50),
                    pk: false,
                    default: None,
                    index: rng.chance(50),
                    unique: false,
                    fk: Some(Fk {
                        model: target.name,
                        cascade: rng.chance(50),
                    }),
                    base: None,
                    salt: 1,
                });
            }
            for k in 0..1 + rng.below(3) {
                let taken: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
                let f = random_field(rng, spec, &|x| taken.iter().any(|t| t == x), k + 2);
                fields.push(f);
            }
            spec.models.push(ModelSpec {
                name: name.clone(),
                table: format!("n{n}"),
                base_table: None,
                fields,
                timestamps: rng.chance(40),
                base_timestamps: false,
                indexes: Vec::new(),
                uniques: Vec::new(),
            });
            Some(format!("{kind:?} {name}"))
        }
        Kind::DropModel => {
            // The columns that point at it go too. Kept as plain columns, their values would
            // dangle once the down migration restores the (empty) table and its foreign key,
            // which then fails; restored as NULL they do not, so only models every reference
            // to which is nullable are dropped. The rows of a dropped table never come back.
            let refs = |spec: &Spec, name: &str| -> Vec<(usize, usize)> {
                fields_where(spec, |_, f| f.fk.as_ref().is_some_and(|fk| fk.model == name))
            };
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| {
                    refs(spec, &spec.models[i].name)
                        .iter()
                        .all(|&(mi, fi)| mi != i && spec.models[mi].fields[fi].nullable)
                })
                .collect();
            if spec.models.len() < 2 || candidates.is_empty() {
                return None;
            }
            let m = spec.models.remove(rng.pick(&candidates));
            for other in &mut spec.models {
                let gone: Vec<String> = other
                    .fields
                    .iter()
                    .filter(|f| f.fk.as_ref().is_some_and(|fk| fk.model == m.name))
                    .map(|f| f.name.clone())
                    .collect();
                other.fields.retain(|f| !gone.contains(&f.name));
                other.indexes.retain(|i| !i.columns.iter().any(|c| gone.contains(c)));
                other.uniques.retain(|u| !u.columns.iter().any(|c| gone.contains(c)));
            }
            spec.links.retain(|l| l.a != m.name && l.b != m.name);
            Some(format!("{kind:?} {}", m.table))
        }
        Kind::AddTimestamps | Kind::RemoveTimestamps => {
            let add = kind == Kind::AddTimestamps;
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&i| spec.models[i].timestamps != add)
                .filter(|&i| !add || !(spec.models[i].taken("created_at") || spec.models[i].taken("updated_at")))
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let m = &mut spec.models[rng.pick(&candidates)];
            m.timestamps = add;
            Some(format!("{kind:?} {}", m.table))
        }
        Kind::AddManyToMany => {
            let n = spec.models.len();
            if n < 2 {
                return None;
            }
            let a = rng.below(n);
            let b = (a + 1 + rng.below(n - 1)) % n;
            let (a, b) = (spec.models[a].name.clone(), spec.models[b].name.clone());
            if spec
                .links
                .iter()
                .any(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
            {
                return None;
            }
            let through = format!("j{}", spec.fresh());
            spec.links.push(Link {
                a: a.clone(),
                b: b.clone(),
                through: through.clone(),
                in_base: false,
            });
            Some(format!("{kind:?} {a} ↔ {b} through {through}"))
        }
        Kind::RemoveManyToMany => {
            if spec.links.is_empty() {
                return None;
            }
            let l = spec.links.remove(rng.below(spec.links.len()));
            Some(format!("{kind:?} {}", l.through))
        }
    }
}

/// How many edits pair `seed` makes: 1–3.
fn edit_count(seed: u64) -> usize {
    1 + (splitmix(seed ^ 0xa5a5_a5a5_a5a5_a5a5) % 3) as usize
}

// ---------------------------------------------------------------------------------------
// One pair.

struct Case {
    seed: u64,
    a_spec: Spec,
    b_spec: Spec,
    a_yaml: String,
    b_yaml: String,
    a: Schema,
    b: Schema,
    plan: Plan,
    edits: Vec<(Kind, String)>,
}

fn load(yaml: &str, what: &str, seed: u64) -> Schema {
    modelgen_spec::load(yaml, "models.yaml").unwrap_or_else(|d| {
        panic!(
            "seed {seed}: the generator wrote an invalid {what} spec:\n{}\n{yaml}",
            d.render(false)
        )
    })
}

impl Case {
    fn new(seed: u64) -> Case {
        let mut rng = Rng::new(seed);
        // Each pair starts where the previous one stopped in the list of kinds, so a run
        // of 30 pairs (about 60 edits) covers every kind; a kind that fits nowhere in the
        // spec passes its turn to the next one.
        let start: usize = (0..seed).map(edit_count).sum();
        let wanted: Vec<Kind> = (0..edit_count(seed))
            .map(|j| KINDS[(start + j) % KINDS.len()])
            .collect();
        let a_spec = base_spec(&mut rng, &wanted);
        let mut b_spec = a_spec.clone();
        let mut edits = Vec::new();
        for j in 0..edit_count(seed) {
            for k in 0..KINDS.len() {
                let kind = KINDS[(start + j + k) % KINDS.len()];
                if let Some(what) = apply(&mut b_spec, kind, &mut rng) {
                    edits.push((kind, what));
                    break;
                }
            }
        }
        let a_yaml = a_spec.yaml();
        let b_yaml = b_spec.yaml();
        let a = load(&a_yaml, "base", seed);
        let b = load(&b_yaml, "edited", seed);
        let plan = Plan::new(&a, &b);
        Case {
            seed,
            a_spec,
            b_spec,
            a_yaml,
            b_yaml,
            a,
            b,
            plan,
            edits,
        }
    }

    fn report(&self, d: Dialect, error: &str) -> String {
        let (up, down) = check(|| self.plan.scripts(&self.a, &self.b, d)).unwrap_or_else(|e| {
            let none = Script {
                sql: format!("(rendering panicked: {e})"),
                no_transaction: false,
            };
            (none.clone(), none)
        });
        let edits: Vec<&str> = self.edits.iter().map(|(_, w)| w.as_str()).collect();
        let ops: Vec<String> = self.plan.up.iter().map(|op| format!("  {}", op.describe())).collect();
        format!(
            "=== pair {seed} on {dialect} failed ===\n{error}\n\
             reproduce: MODELGEN_MIGRATION_SEED={seed} cargo test -p modelgen-tests --test migrations_property\n\
             edits: {edits}\nplan (up):\n{ops}\ndestructive: {destructive:?}\n\
             --- A (models.yaml) ---\n{a}--- B (models.yaml) ---\n{b}\
             --- up ({dialect}{up_nt}) ---\n{up_sql}\n--- down ({dialect}{down_nt}) ---\n{down_sql}\n",
            seed = self.seed,
            dialect = d.name(),
            edits = edits.join("; "),
            ops = ops.join("\n"),
            destructive = self.plan.destructive,
            a = self.a_yaml,
            b = self.b_yaml,
            up_nt = if up.no_transaction { ", no transaction" } else { "" },
            up_sql = up.sql,
            down_nt = if down.no_transaction { ", no transaction" } else { "" },
            down_sql = down.sql,
        )
    }
}

// ---------------------------------------------------------------------------------------
// Rows.

fn uuid_literal(k: usize, salt: usize, d: Dialect) -> String {
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
fn pk_value(ty: Ty, k: usize, d: Dialect) -> String {
    match ty {
        Ty::Uuid => uuid_literal(k, 0, d),
        _ => k.to_string(),
    }
}

/// Row `row`'s value of a column: distinct across the rows of a table for every type
/// but bool, and valid for the type.
fn value(f: &Field, row: usize, d: Dialect) -> String {
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
        Ty::Int | Ty::BigInt => k.to_string(),
        Ty::Float => format!("{k}.5"),
        Ty::Decimal(..) => format!("{k}.25"),
        Ty::Bool if d == Dialect::Sqlite => (k % 2).to_string(),
        Ty::Bool => if k % 2 == 1 { "TRUE" } else { "FALSE" }.into(),
        Ty::DateTime { .. } => format!("'2024-01-0{k} 12:30:0{}'", f.salt % 10),
        Ty::Date => format!("'2024-02-0{k}'"),
        Ty::Uuid => uuid_literal(k, f.salt + 1, d),
        Ty::Json => format!("'{{\"k\": {k}}}'"),
        Ty::ListStr => format!("'[\"a{k}\"]'"),
    }
}

/// Rows for every table of the base: parents first (foreign keys point at earlier models),
/// then join tables.
fn inserts(spec: &Spec, d: Dialect) -> String {
    let mut out = String::new();
    for m in &spec.models {
        let mut cols: Vec<String> = m.fields.iter().map(|f| d.ident(&f.name)).collect();
        if m.timestamps {
            cols.push(d.ident("created_at"));
            cols.push(d.ident("updated_at"));
        }
        let rows: Vec<String> = (1..=ROWS)
            .map(|r| {
                let mut values: Vec<String> = m.fields.iter().map(|f| value(f, r, d)).collect();
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

fn join_column(model: &str) -> String {
    format!("{}_id", model.to_lowercase())
}

/// Whether a value reads back as the same text after a change of type from `from` to `to`
/// (on the same database).
fn same_text(from: Ty, to: Ty) -> bool {
    from == to
        || matches!(
            (from, to),
            (Ty::Str(_), Ty::Str(_)) | (Ty::Str(_), Ty::Text) | (Ty::Int, Ty::BigInt) | (Ty::BigInt, Ty::Int)
        )
        || matches!((from, to), (Ty::Decimal(_, s1), Ty::Decimal(_, s2)) if s1 == s2)
}

/// A table's kept columns, read before the migration under their old names and after it
/// under their new ones.
struct Kept {
    before: String,
    after: String,
    /// Per column: cells that were NULL may be filled (the column became NOT NULL).
    filled: Vec<bool>,
    what: String,
}

fn kept(a: &Spec, b: &Spec, d: Dialect) -> Vec<Kept> {
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
            after: select(&m.table, &after, &[m.pk().name.clone()]),
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

// ---------------------------------------------------------------------------------------
// Databases.

thread_local! {
    /// Set while [`check`] runs, so the panic hook keeps quiet about panics it reports.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic (a catalog that differs, or the planner itself) into an error.
fn check<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

/// Panics inside [`check`] are reported with the pair; others print as usual.
fn quiet_panics_in_checks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                default(info);
            }
        }));
    });
}

#[derive(Default)]
struct Stats {
    pairs: usize,
    rows: usize,
    values: usize,
    rows_lost: usize,
    failures: Vec<(u64, String)>,
}

/// Up, down and up again on one fresh database, with the checks.
fn run_pair(case: &Case, conn: &Conn, stats: &mut Stats) -> Result<(), String> {
    let d = conn.dialect();
    conn.batch(&modelgen_sql::create_script(&case.a, d))
        .map_err(|e| format!("creating A: {e}"))?;
    check(|| assert_catalog(conn, &case.a, "A as created"))?;
    conn.batch(&inserts(&case.a_spec, d))
        .map_err(|e| format!("inserting rows into A: {e}"))?;
    let kept = kept(&case.a_spec, &case.b_spec, d);
    let mut before = Vec::new();
    for k in &kept {
        before.push(conn.rows(&k.before).map_err(|e| format!("reading {}: {e}", k.before))?);
    }

    let (up, down) =
        check(|| case.plan.scripts(&case.a, &case.b, d)).map_err(|e| format!("rendering the scripts panicked: {e}"))?;
    conn.migrate(&up.sql, up.no_transaction)
        .map_err(|e| format!("up failed: {e}"))?;
    check(|| assert_catalog(conn, &case.b, "after up"))?;

    let mut lost = Vec::new();
    for (k, before) in kept.iter().zip(&before) {
        let after = conn.rows(&k.after).map_err(|e| format!("reading {}: {e}", k.after))?;
        stats.rows += before.len();
        if after.len() != before.len() {
            stats.rows_lost += before.len().saturating_sub(after.len());
            lost.push(format!(
                "{}: {} rows before, {} after\n  before: {before:?}\n  after:  {after:?}",
                k.what,
                before.len(),
                after.len()
            ));
            continue;
        }
        for (b, a) in before.iter().zip(&after) {
            let mut same = b.len() == a.len();
            for (i, (bv, av)) in b.iter().zip(a).enumerate() {
                stats.values += 1;
                let filled = k.filled[i] && bv.is_none();
                same &= filled || bv == av;
            }
            if !same {
                stats.rows_lost += 1;
                lost.push(format!("{}:\n  before: {b:?}\n  after:  {a:?}", k.what));
            }
        }
    }
    if !lost.is_empty() {
        return Err(format!("values changed by the up migration:\n{}", lost.join("\n")));
    }

    conn.migrate(&down.sql, down.no_transaction)
        .map_err(|e| format!("down failed: {e}"))?;
    check(|| assert_catalog(conn, &case.a, "after down"))?;
    conn.migrate(&up.sql, up.no_transaction)
        .map_err(|e| format!("up again failed: {e}"))?;
    check(|| assert_catalog(conn, &case.b, "after up again"))?;
    Ok(())
}

fn run_database(d: Dialect, cases: &[Case]) -> Option<Stats> {
    let mut stats = Stats::default();
    for case in cases {
        let conn = Conn::fresh(d, &format!("mprop_{}", case.seed))?;
        stats.pairs += 1;
        match run_pair(case, &conn, &mut stats) {
            Ok(()) => conn.drop_database(),
            // A failed pair's database stays for a look while the server lives.
            Err(e) => stats.failures.push((case.seed, case.report(d, &e))),
        }
    }
    Some(stats)
}

#[test]
fn migrations_between_random_schema_pairs_keep_the_catalog_and_the_rows() {
    let env = |name: &str| {
        std::env::var(name).ok().map(|v| {
            v.parse::<u64>()
                .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
        })
    };
    let seeds: Vec<u64> = match env("MODELGEN_MIGRATION_SEED") {
        Some(seed) => vec![seed],
        None => (0..env("MODELGEN_MIGRATION_PAIRS").unwrap_or(DEFAULT_PAIRS)).collect(),
    };
    quiet_panics_in_checks();
    let started = Instant::now();
    let cases: Vec<Case> = seeds.iter().map(|&s| Case::new(s)).collect();
    let kinds: BTreeSet<Kind> = cases.iter().flat_map(|c| c.edits.iter().map(|(k, _)| *k)).collect();
    let edits: usize = cases.iter().map(|c| c.edits.len()).sum();
    let destructive = cases.iter().filter(|c| !c.plan.destructive.is_empty()).count();

    let results: Vec<(Dialect, Option<Stats>)> = std::thread::scope(|s| {
        let handles: Vec<_> = Dialect::ALL
            .into_iter()
            .map(|d| {
                let cases = &cases;
                (d, s.spawn(move || run_database(d, cases)))
            })
            .collect();
        handles
            .into_iter()
            .map(|(d, h)| (d, h.join().expect("a database thread panicked")))
            .collect()
    });

    let ran: Vec<&(Dialect, Option<Stats>)> = results.iter().filter(|(_, s)| s.is_some()).collect();
    let total = |f: fn(&Stats) -> usize| ran.iter().map(|(_, s)| f(s.as_ref().unwrap())).sum::<usize>();
    let failures: Vec<&(u64, String)> = ran.iter().flat_map(|(_, s)| &s.as_ref().unwrap().failures).collect();
    let names: Vec<&str> = ran.iter().map(|(d, _)| d.name()).collect();
    println!(
        "migrations property: {} pairs × {} databases ({}), {edits} edits of {} kinds ({destructive} pairs destructive), \
         {} rows and {} values checked, {} rows lost, {} pairs failed, in {:.1?}",
        seeds.len(),
        ran.len(),
        names.join(", "),
        kinds.len(),
        total(|s| s.rows),
        total(|s| s.values),
        total(|s| s.rows_lost),
        failures.len(),
        started.elapsed()
    );
    let missing: Vec<Kind> = KINDS.into_iter().filter(|k| !kinds.contains(k)).collect();
    if !missing.is_empty() {
        println!("migrations property: kinds not drawn in this run: {missing:?}");
    }
    if seeds.len() as u64 >= DEFAULT_PAIRS {
        assert!(
            kinds.len() >= 30,
            "only {} edit kinds were drawn; the generator lost coverage",
            kinds.len()
        );
    }
    if !failures.is_empty() {
        // One line for each, then the first few in full.
        let lines: Vec<String> = failures
            .iter()
            .map(|(_, r)| r.lines().take(2).collect::<Vec<_>>().join(" "))
            .collect();
        let shown: Vec<&str> = failures.iter().take(10).map(|(_, r)| r.as_str()).collect();
        let seeds: BTreeSet<u64> = failures.iter().map(|(s, _)| *s).collect();
        panic!(
            "{} migration pairs failed (seeds {seeds:?}):\n{}\n\n{}",
            failures.len(),
            lines.join("\n"),
            shown.join("\n")
        );
    }
}
