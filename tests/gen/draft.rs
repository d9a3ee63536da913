//! Drafts, the random choices behind a spec (shrinkable by proptest), and the building
//! of a valid [`Spec`] from one: the spec's rules applied, names renamed or parts left
//! out where a rule would be broken.

use super::{corpus, name_choice, Field, ForeignKey, Index, Mixin, Model, NameChoice, Relation, Spec, Ty};
use modelgen_ir::rust_names;
use proptest::prelude::*;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct Draft {
    models: Vec<DraftModel>,
    mixins: Vec<(NameChoice, Vec<DraftField>)>,
}

#[derive(Debug, Clone)]
struct DraftModel {
    name: NameChoice,
    table: Option<NameChoice>,
    doc: Option<usize>,
    pk: (usize, bool),
    fields: Vec<DraftField>,
    timestamps: bool,
    soft_delete: bool,
    mixin: Option<usize>,
    indexes: Vec<(Option<NameChoice>, Vec<usize>, bool)>,
    uniques: Vec<(Option<NameChoice>, Vec<usize>)>,
    links: Vec<(usize, u8, NameChoice)>,
    repr: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
struct DraftField {
    name: NameChoice,
    ty: usize,
    nullable: bool,
    unique: bool,
    /// Unique among rows not soft-deleted, on a soft-delete model.
    live: bool,
    index: bool,
    secret: bool,
    default: Option<usize>,
    server_default: Option<usize>,
    on_update: bool,
    fk: Option<(usize, u8)>,
    doc: Option<usize>,
    long: bool,
}

/// Docs of every kind the spec accepts: lines, quotes, comment and string delimiters of
/// Rust, Python and SQL, `%` for Python's drivers, right-to-left scripts (letters, not
/// the bidirectional controls the spec refuses).
const DOCS: [&str; 9] = [
    "A plain sentence.",
    "Two lines.\nThe second one.",
    "Quotes \" and backslashes \\ and */ and `code`.",
    "  padded  ",
    "\"\"\" ''' #!{} {{ }} \\n -- /* $$ 10% %s",
    "Tabs\tand trailing backslash \\",
    "名前 and émoji-free unicode: Ω",
    "עברית and عربي in a doc",
    "/// an inner /** doc */ and a #[attr]",
];
const ON_DELETE: [Option<&str>; 4] = [None, Some("cascade"), Some("restrict"), Some("set_null")];

fn draft_field() -> impl Strategy<Value = DraftField> {
    (
        (name_choice(), any::<usize>(), any::<bool>(), prop::bool::weighted(0.15)),
        (
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.5),
        ),
        (
            prop::option::weighted(0.3, any::<usize>()),
            prop::option::weighted(0.3, any::<usize>()),
            prop::bool::weighted(0.1),
        ),
        (
            prop::option::weighted(0.3, (any::<usize>(), any::<u8>())),
            prop::option::weighted(0.15, any::<usize>()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (name, ty, nullable, unique),
                (index, secret, live),
                (default, server_default, on_update),
                (fk, doc, long),
            )| {
                DraftField {
                    name,
                    ty,
                    nullable,
                    unique,
                    live,
                    index,
                    secret,
                    default,
                    server_default,
                    on_update,
                    fk,
                    doc,
                    long,
                }
            },
        )
}

fn draft_model() -> impl Strategy<Value = DraftModel> {
    let columns = || prop::collection::vec(any::<usize>(), 1..4);
    (
        (
            name_choice(),
            prop::option::weighted(0.4, name_choice()),
            prop::option::weighted(0.3, any::<usize>()),
            (any::<usize>(), prop::bool::weighted(0.15)),
        ),
        prop::collection::vec(draft_field(), 0..7),
        (
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.15),
            prop::option::weighted(0.2, any::<usize>()),
        ),
        (
            prop::collection::vec((prop::option::of(name_choice()), columns(), any::<bool>()), 0..3),
            prop::collection::vec((prop::option::of(name_choice()), columns()), 0..2),
            prop::collection::vec((any::<usize>(), any::<u8>(), name_choice()), 0..3),
            prop::option::weighted(0.3, prop::collection::vec(any::<usize>(), 1..3)),
        ),
    )
        .prop_map(
            |((name, table, doc, pk), fields, (timestamps, soft_delete, mixin), (indexes, uniques, links, repr))| {
                DraftModel {
                    name,
                    table,
                    doc,
                    pk,
                    fields,
                    timestamps,
                    soft_delete,
                    mixin,
                    indexes,
                    uniques,
                    links,
                    repr,
                }
            },
        )
}

/// Random drafts of 1–`max_models` models.
pub fn draft(max_models: usize) -> impl Strategy<Value = Draft> {
    (
        prop::collection::vec(draft_model(), 1..=max_models),
        prop::collection::vec((name_choice(), prop::collection::vec(draft_field(), 1..3)), 0..2),
    )
        .prop_map(|(models, mixins)| Draft { models, mixins })
}

/// Valid specs: drafts built.
pub fn valid_spec(max_models: usize) -> impl Strategy<Value = Spec> {
    draft(max_models).prop_map(|d| d.build())
}

// Building: the spec's rules applied to a draft.

/// Names taken in one namespace, compared as the rule for it says.
#[derive(Default)]
struct Taken(HashSet<String>);

impl Taken {
    fn has(&self, name: &str) -> bool {
        self.0.contains(&name.to_lowercase())
    }
    fn take(&mut self, name: &str) {
        self.0.insert(name.to_lowercase());
    }
}

/// Whether modelgen takes the name at all (`modelgen_spec::check_identifier`).
fn usable(name: &str) -> bool {
    // MySQL names the index of an unindexed foreign key after its column, and `PRIMARY`
    // is the primary key's: modelgen refuses that clash, so the generator avoids it.
    modelgen_spec::check_identifier(name).is_ok() && !name.eq_ignore_ascii_case("primary")
}

/// Whether columns named after the model (`<model>_id`, for the foreign keys of its
/// relations) would take a prefix modelgen or SQLite keeps for itself.
fn derives_reserved(model: &str) -> bool {
    let snake = heck::ToSnakeCase::to_snake_case(model).to_ascii_lowercase();
    snake.starts_with("modelgen") || snake.starts_with("sqlite")
}

/// Whether modelgen refuses a field name: a prelude enum variant, or a PostgreSQL
/// system column.
fn variant(name: &str) -> bool {
    rust_names::PRELUDE_VARIANTS.contains(&name) || ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"].contains(&name)
}

/// The Rust items a model becomes in the generated `mod.rs`.
fn rust_items(model: &str, entity: bool) -> Vec<String> {
    let mut items = vec![rust_names::module_name(model), rust_names::struct_name(model)];
    if entity {
        items.push(rust_names::insert_struct_name(model));
        // The tests generate queries too.
        items.push(rust_names::patch_struct_name(model));
    }
    items
}

fn rust_items_ok(items: &[String], taken: &HashSet<String>) -> bool {
    let distinct: HashSet<&String> = items.iter().collect();
    distinct.len() == items.len()
        && items.iter().all(|i| usable(i) && !taken.contains(i))
        && !rust_names::PRELUDE_TYPES.contains(&items[1].as_str())
        && items[0] != rust_names::MOD_FILE_STEM
        && items[0] != rust_names::QUERIES_MODULE
        // sqlx's FromRow derive names its type parameter `R`.
        && items[1] != "R"
}

struct Builder {
    words: Vec<&'static str>,
    tables: Taken,
    index_names: Taken,
    rust: HashSet<String>,
    model_names: HashSet<String>,
}

impl Builder {
    /// `choice` spelled, or with a numeric suffix until `ok` accepts it.
    fn pick(&self, choice: NameChoice, salt: usize, ok: impl Fn(&str) -> bool) -> String {
        let base = choice.spell(&self.words);
        if usable(&base) && ok(&base) {
            return base;
        }
        // Some words never do (`ﬁeld` is not NFKC, whatever follows it).
        (0..8)
            .map(|n| format!("{base}_{salt}_{n}"))
            .chain((0..).map(|n| format!("n{salt}_{n}")))
            .find(|c| usable(c) && ok(c))
            .expect("some suffix is free")
    }
}

fn default_table(model: &str) -> String {
    heck::ToSnakeCase::to_snake_case(model)
}

impl Draft {
    pub fn build(&self) -> Spec {
        let mut b = Builder {
            words: corpus(),
            tables: Taken::default(),
            index_names: Taken::default(),
            rust: HashSet::new(),
            model_names: HashSet::new(),
        };
        // Mixins: plain fields only, their names kept apart from every model field below.
        let mut mixins: Vec<Mixin> = Vec::new();
        let mut mixin_columns = Taken::default();
        for c in ["created_at", "updated_at", "deleted_at"] {
            mixin_columns.take(c);
        }
        for (i, (name, fields)) in self.mixins.iter().enumerate() {
            let taken: Vec<String> = mixins.iter().map(|m| m.name.clone()).collect();
            let name = b.pick(*name, i, |n| {
                !taken.iter().any(|t| t == n) && n != "timestamps" && n != "soft_delete"
            });
            let mut out = Vec::new();
            for (j, f) in fields.iter().enumerate() {
                let fname = b.pick(f.name, 100 + j, |n| !mixin_columns.has(n) && !variant(n));
                mixin_columns.take(&fname);
                let mut field = plain_field(f, fname);
                field.unique = false;
                field.index = false;
                field.secret = false;
                out.push(field);
            }
            mixins.push(Mixin { name, fields: out });
        }

        let mut models: Vec<Model> = Vec::new();
        // Per model: its primary key type when it is a single column, for foreign keys.
        let mut keys: Vec<Option<(String, Ty)>> = Vec::new();
        for (mi, d) in self.models.iter().enumerate() {
            let name = {
                let rust = &b.rust;
                let names = &b.model_names;
                let tables = &b.tables;
                b.pick(d.name, mi, |n| {
                    !names.contains(n)
                        && !derives_reserved(n)
                        && rust_items_ok(&rust_items(n, true), rust)
                        && (d.table.is_some() || !tables.has(&default_table(n)))
                })
            };
            b.model_names.insert(name.clone());
            b.rust.extend(rust_items(&name, true));
            let table = d.table.map(|t| {
                let tables = &b.tables;
                b.pick(t, mi, |n| !tables.has(n))
            });
            let table_name = table.clone().unwrap_or_else(|| default_table(&name));
            b.tables.take(&table_name);

            // Columns, compared without case within the model.
            let mut columns = Taken::default();
            let mixin = d
                .mixin
                .filter(|_| !mixins.is_empty())
                .map(|k| &mixins[k % mixins.len()]);
            let mut mixin_names = Vec::new();
            if d.timestamps {
                mixin_names.push("timestamps".to_owned());
            }
            if d.soft_delete {
                mixin_names.push("soft_delete".to_owned());
            }
            if let Some(m) = mixin {
                mixin_names.push(m.name.clone());
            }
            for c in ["created_at", "updated_at", "deleted_at"] {
                columns.take(c);
            }
            for m in &mixins {
                for f in &m.fields {
                    columns.take(&f.name);
                }
            }
            let mut fields: Vec<Field> = Vec::new();
            // The primary key: one column, or the first two fields for a composite key.
            let pk_ty = [Ty::Int, Ty::Int, Ty::BigInt, Ty::Uuid, Ty::Str(20)][d.pk.0 % 5];
            let pk_name = b.pick(
                NameChoice {
                    word: d.pk.0 / 5,
                    case: 0,
                },
                mi,
                |n| !columns.has(n) && !variant(n),
            );
            columns.take(&pk_name);
            fields.push(Field {
                pk: true,
                ty: pk_ty,
                ..plain_field(&DraftField::empty(), pk_name.clone())
            });
            // A composite key takes the first drawn field as its second column.
            let composite = d.pk.1
                && d.fields
                    .first()
                    .is_some_and(|f| Ty::from_choice(f.ty).indexable() && f.fk.is_none());
            let own_key = (!composite).then(|| (pk_name.clone(), pk_ty));
            for (fi, f) in d.fields.iter().enumerate() {
                let fname = b.pick(f.name, fi, |n| !columns.has(n) && !variant(n));
                columns.take(&fname);
                let mut field = plain_field(f, fname);
                if fi == 0 && composite {
                    field.pk = true;
                    field.nullable = false;
                    field.unique = false;
                    // `on_update` stays on nullable columns: see `plain_field`.
                    field.on_update = false;
                } else if d.soft_delete && f.live && field.unique {
                    field.unique = false;
                    field.index = false;
                    field.live = true;
                }
                if let Some((target, action)) = f.fk {
                    // Only to an earlier model (or itself) with a single-column key.
                    let t = target % (mi + 1);
                    let key = if t == mi { own_key.clone() } else { keys[t].clone() };
                    if let Some((col, ty)) = key {
                        let target_model: &str = if t == mi { &name } else { &models[t].name };
                        let target_table = if t == mi {
                            table_name.clone()
                        } else {
                            models[t].table_name()
                        };
                        let references = match action % 3 {
                            0 => target_model.to_owned(),
                            1 => format!("{target_model}.{col}"),
                            _ => format!("{target_table}.{col}"),
                        };
                        // `Model` alone names a model first, then a table: make sure it is ours.
                        let on_delete = ON_DELETE[(action as usize / 3) % ON_DELETE.len()];
                        field.ty = ty;
                        field.nullable |= on_delete == Some("set_null") || t == mi;
                        field.default = None;
                        field.server_default = None;
                        field.on_update = false;
                        field.live = false;
                        field.fk = Some(ForeignKey {
                            references,
                            on_delete,
                            target: target_model.to_owned(),
                        });
                    }
                }
                fields.push(field);
            }
            keys.push(own_key);
            // A foreign key must reference a unique column: the primary key here.
            let all_columns: Vec<String> = fields
                .iter()
                .map(|f| f.name.clone())
                .chain(mixin_names.iter().flat_map(|m| mixin_fields(m, &mixins)))
                .collect();
            let indexable: Vec<String> = fields
                .iter()
                .filter(|f| f.ty.indexable())
                .map(|f| f.name.clone())
                .chain(
                    mixin_names
                        .iter()
                        .filter(|m| m.as_str() == "timestamps")
                        .flat_map(|_| ["created_at".to_owned()]),
                )
                .collect();
            for f in &mut fields {
                if f.index || f.live {
                    let auto = format!("ix_{table_name}_{}", f.name);
                    if b.index_names.has(&auto) {
                        f.index = false;
                        f.live = false;
                    } else {
                        b.index_names.take(&auto);
                    }
                }
            }
            let mut indexes = Vec::new();
            for (ii, (iname, cols, unique)) in d.indexes.iter().enumerate() {
                let cols = pick_columns(cols, &indexable);
                if cols.is_empty() {
                    continue;
                }
                let name = match iname {
                    Some(n) => {
                        let taken = &b.index_names;
                        b.pick(*n, 1000 * mi + ii, |c| !taken.has(c))
                    }
                    None => format!("ix_{table_name}_{}", cols.join("_")),
                };
                if b.index_names.has(&name) {
                    continue;
                }
                b.index_names.take(&name);
                indexes.push(Index {
                    name: Some(name),
                    columns: cols,
                    unique: *unique,
                });
            }
            // A unique constraint may not repeat the key or another unique constraint.
            let mut unique_sets: Vec<Vec<String>> =
                vec![fields.iter().filter(|f| f.pk).map(|f| f.name.clone()).collect()];
            unique_sets.extend(
                fields
                    .iter()
                    .filter(|f| f.unique && !f.index)
                    .map(|f| vec![f.name.clone()]),
            );
            // MySQL names an unnamed one after its first column: one per first column.
            let mut unnamed_firsts: Vec<String> = unique_sets[1..].iter().map(|u| u[0].to_lowercase()).collect();
            let mut uniques = Vec::new();
            for (ui, (uname, cols)) in d.uniques.iter().enumerate() {
                let cols = pick_columns(cols, &indexable);
                let first = cols.first().map(|c| c.to_lowercase());
                if cols.is_empty() || unique_sets.contains(&cols) {
                    continue;
                }
                let reserved = first.as_deref() == Some("primary");
                if uname.is_none() && (reserved || unnamed_firsts.iter().any(|f| Some(f) == first.as_ref())) {
                    continue;
                }
                unique_sets.push(cols.clone());
                if uname.is_none() {
                    unnamed_firsts.extend(first);
                }
                let name = uname.map(|n| {
                    let taken = &b.index_names;
                    b.pick(n, 2000 * mi + ui, |c| !taken.has(c))
                });
                if let Some(n) = &name {
                    b.index_names.take(n);
                }
                uniques.push(Index {
                    name,
                    columns: cols,
                    unique: true,
                });
            }
            let repr = d.repr.as_ref().map(|r| {
                let shown: Vec<&String> = all_columns
                    .iter()
                    .filter(|c| !fields.iter().any(|f| &f.name == *c && f.secret))
                    .collect();
                let mut out: Vec<String> = r.iter().map(|k| shown[k % shown.len()].clone()).collect();
                out.dedup();
                out
            });
            let doc = d.doc.map(|k| DOCS[k % DOCS.len()].to_owned());
            models.push(Model {
                name,
                table,
                doc,
                comment: comment_of(d.doc),
                fields,
                mixins: mixin_names,
                indexes,
                uniques,
                relations: Vec::new(),
                repr,
            });
        }
        // `word.column` looks `word` up as a model name first, then as a table: where that
        // finds another model than the one meant, spell the reference by model name.
        let names: Vec<(String, String)> = models.iter().map(|m| (m.name.clone(), m.table_name())).collect();
        for m in &mut models {
            for f in &mut m.fields {
                let Some(fk) = &mut f.fk else { continue };
                if let Some((word, col)) = fk.references.split_once('.') {
                    let found = names
                        .iter()
                        .find(|(n, _)| n == word)
                        .or_else(|| names.iter().find(|(_, t)| t == word));
                    if found.is_none_or(|(n, _)| *n != fk.target) {
                        fk.references = format!("{}.{col}", fk.target);
                    }
                }
            }
        }
        self.add_relations(&mut models, &mixins, &mut b);
        // Index names may not be table names, join tables included.
        let tables: Vec<String> = models
            .iter()
            .map(|m| m.table_name())
            .chain(
                models
                    .iter()
                    .flat_map(|m| m.relations.iter().filter_map(|r| r.through.clone())),
            )
            .map(|t| t.to_lowercase())
            .collect();
        // Nor, in MySQL, `PRIMARY` or the name it gives the key of an unnamed unique
        // constraint or foreign key (its first column).
        for (mi, m) in models.iter_mut().enumerate() {
            let mut keys: Vec<String> = m
                .uniques
                .iter()
                .filter(|u| u.name.is_none())
                .map(|u| u.columns[0].to_lowercase())
                .collect();
            keys.extend(
                m.fields
                    .iter()
                    .filter(|f| f.fk.is_some() || (f.unique && !f.index))
                    .map(|f| f.name.to_lowercase()),
            );
            keys.push("primary".into());
            let bad = |c: &str| tables.contains(&c.to_lowercase()) || keys.contains(&c.to_lowercase());
            for (k, index) in m.indexes.iter_mut().chain(m.uniques.iter_mut()).enumerate() {
                let Some(name) = &mut index.name else { continue };
                if bad(name) {
                    *name = (0..)
                        .map(|n| format!("{name}_ix{mi}_{k}_{n}"))
                        .find(|c| !b.index_names.has(c) && !bad(c))
                        .unwrap();
                    b.index_names.take(name);
                }
            }
        }
        Spec { models, mixins }
    }

    /// Many-to-one relations over foreign keys (with the one-to-many side pointing back
    /// now and then), and many-to-many relations through join tables modelgen creates.
    fn add_relations(&self, models: &mut [Model], mixins: &[Mixin], b: &mut Builder) {
        let mut joins = 0;
        let model_names: Vec<String> = models.iter().map(|m| m.name.clone()).collect();
        for mi in 0..models.len() {
            for (li, &(target, kind, rname)) in self.models[mi].links.iter().enumerate() {
                let t = target % models.len();
                let taken = |m: &Model, n: &str| {
                    // The derive's method of soft-delete models (refused as a relation name).
                    n == "is_deleted"
                        || m.relations.iter().any(|r| r.name == n)
                        || m.fields.iter().any(|f| f.name == n)
                        || m.mixins.iter().any(|x| mixin_fields(x, mixins).iter().any(|c| c == n))
                };
                if kind % 2 == 0 {
                    // Over a foreign key of `mi` to `t`, if exactly one exists or one is named.
                    let fks: Vec<String> = models[mi]
                        .fields
                        .iter()
                        .filter(|f| f.fk.as_ref().is_some_and(|fk| fk.target == models[t].name))
                        .map(|f| f.name.clone())
                        .collect();
                    let Some(fk) = fks.first().cloned() else { continue };
                    let name = b.pick(rname, 3000 + li, |n| !taken(&models[mi], n));
                    let back =
                        (kind % 4 == 0).then(|| b.pick(rname, 4000 + li, |n| n != name && !taken(&models[t], n)));
                    let (source, target) = (models[mi].name.clone(), models[t].name.clone());
                    models[mi].relations.push(Relation {
                        name: name.clone(),
                        kind: "many_to_one",
                        target,
                        through: None,
                        foreign_key: Some(fk.clone()),
                        back_populates: back.clone(),
                    });
                    if let Some(back) = back {
                        models[t].relations.push(Relation {
                            name: back,
                            kind: "one_to_many",
                            target: source,
                            through: None,
                            foreign_key: Some(fk),
                            back_populates: Some(name),
                        });
                    }
                } else {
                    // Join tables need two single-column keys on distinct models.
                    let single = |m: &Model| m.fields.iter().filter(|f| f.pk).count() == 1;
                    let (a, z) = (&models[mi], &models[t]);
                    let columns = [
                        format!("{}_id", default_table(&a.name)),
                        format!("{}_id", default_table(&z.name)),
                    ];
                    if t == mi || !single(a) || !single(z) || columns[0] == columns[1] {
                        continue;
                    }
                    joins += 1;
                    let through = {
                        let tables = &b.tables;
                        b.pick(rname, 5000 + joins, |n| {
                            !tables.has(n) && !model_names.iter().any(|m| m == n)
                        })
                    };
                    let rust = &b.rust;
                    if !rust_items_ok(&rust_items(&through, false), rust) {
                        continue;
                    }
                    b.tables.take(&through);
                    b.rust.extend(rust_items(&through, false));
                    let name = b.pick(rname, 6000 + li, |n| !taken(&models[mi], n));
                    let target = models[t].name.clone();
                    models[mi].relations.push(Relation {
                        name,
                        kind: "many_to_many",
                        target,
                        through: Some(through),
                        foreign_key: None,
                        back_populates: None,
                    });
                }
            }
        }
    }
}

impl Model {
    pub fn table_name(&self) -> String {
        self.table.clone().unwrap_or_else(|| default_table(&self.name))
    }
}

impl DraftField {
    fn empty() -> DraftField {
        DraftField {
            name: NameChoice { word: 0, case: 0 },
            ty: 3,
            nullable: false,
            unique: false,
            live: false,
            index: false,
            secret: false,
            default: None,
            server_default: None,
            on_update: false,
            fk: None,
            doc: None,
            long: false,
        }
    }
}

fn mixin_fields(name: &str, mixins: &[Mixin]) -> Vec<String> {
    match name {
        "timestamps" => vec!["created_at".into(), "updated_at".into()],
        "soft_delete" => vec!["deleted_at".into()],
        _ => mixins
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.fields.iter().map(|f| f.name.clone()).collect())
            .unwrap_or_default(),
    }
}

/// Distinct columns by index into `from`, in draw order.
fn pick_columns(picks: &[usize], from: &[String]) -> Vec<String> {
    if from.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for k in picks {
        let c = &from[k % from.len()];
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// A field as drawn, before foreign keys: type, flags and defaults that fit together.
fn plain_field(d: &DraftField, name: String) -> Field {
    let ty = Ty::from_choice(d.ty);
    // MySQL would name the unique key after the column, and it reserves `PRIMARY`.
    let reserved = name.eq_ignore_ascii_case("primary");
    let pick = |k: Option<usize>, server: bool| {
        k.and_then(|k| {
            let all = ty.defaults(server);
            (!all.is_empty()).then(|| all[k % all.len()].clone())
        })
    };
    Field {
        name,
        ty,
        nullable: d.nullable,
        pk: false,
        unique: d.unique && ty.indexable() && !reserved,
        live: false,
        index: d.index && ty.indexable(),
        secret: d.secret,
        default: pick(d.default, false),
        server_default: pick(d.server_default, true),
        // Only where nullable: MariaDB gives a NOT NULL `ON UPDATE` datetime without a
        // default an implicit `'0000-00-00 00:00:00'` one (a known difference, not checked).
        on_update: d.on_update && matches!(ty, Ty::DateTime { .. }) && d.nullable,
        fk: None,
        doc: d.doc.map(|k| DOCS[k % DOCS.len()].to_owned()),
        comment: comment_of(d.doc),
        long: d.long,
    }
}

/// A comment for half the drawn docs, another text of the same corpus (every one is a
/// comment the databases keep as written), so comments reach every back end and catalog.
fn comment_of(doc: Option<usize>) -> Option<String> {
    doc.filter(|k| k % 2 == 0)
        .map(|k| DOCS[(k / 2) % DOCS.len()].trim().to_owned())
}
