//! The generator's own picture of a spec, seeded randomness, and the base specs it draws:
//! enough to write YAML, insert rows and know which columns of the base survive an edit.

use super::*;

pub(crate) use modelgen_tests::{splitmix, Rng};

// ---------------------------------------------------------------------------------------
// The generator's own picture of a spec: enough to write YAML, insert rows and know which
// columns of the base survive an edit.

#[derive(Clone, Debug)]
pub(crate) struct Fk {
    /// The referenced model, by model name (which never changes), so table and key
    /// renames keep the reference valid.
    pub(crate) model: String,
    pub(crate) cascade: bool,
    /// The constraint's own name, if given.
    pub(crate) name: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) nullable: bool,
    pub(crate) pk: bool,
    pub(crate) default: Option<String>,
    pub(crate) index: bool,
    pub(crate) unique: bool,
    pub(crate) fk: Option<Fk>,
    /// The field as it is in the base spec, `None` for a field an edit added.
    pub(crate) base: Option<Box<Field>>,
    /// Mixes the field's values so columns of one table differ.
    pub(crate) salt: usize,
    /// `Some(false)` turns a lone integer key's autoincrement off.
    pub(crate) auto: Option<bool>,
    /// How PostgreSQL numbers an autoincrementing key, when the spec says
    /// (`autoincrement: serial`, …); `None` is the default, an identity.
    pub(crate) generator: Option<Generator>,
    /// The column's comment, one of [`COMMENTS`].
    pub(crate) comment: Option<&'static str>,
}

impl Field {
    /// The field's YAML; `pk_flag: false` leaves its key to the model's `primary_key:`.
    pub(crate) fn yaml(&self, pk_flag: bool) -> String {
        let mut parts = vec![format!("type: \"{}\"", self.ty.spec())];
        if self.pk && pk_flag {
            parts.push("primary_key: true".into());
        }
        if let Some(auto) = self.auto {
            parts.push(format!("autoincrement: {auto}"));
        }
        match &self.generator {
            None => {}
            Some(Generator::Sequence(name)) => parts.push(format!("autoincrement: {{sequence: {name}}}")),
            Some(g) => parts.push(format!("autoincrement: {}", g.describe())),
        }
        if self.nullable {
            parts.push("nullable: true".into());
        }
        match &self.default {
            Some(d) if d.starts_with(SQL) => parts.push(format!("server_default_sql: {}", &d[SQL.len()..])),
            Some(d) => parts.push(format!("server_default: {d}")),
            None => {}
        }
        if self.index {
            parts.push("index: true".into());
        }
        if self.unique {
            parts.push("unique: true".into());
        }
        if let Some(fk) = &self.fk {
            let on_delete = if fk.cascade { ", on_delete: cascade" } else { "" };
            let name = fk.name.as_ref().map(|n| format!(", name: {n}")).unwrap_or_default();
            parts.push(format!("foreign_key: {{references: {}{on_delete}{name}}}", fk.model));
        }
        if let Some(base) = &self.base {
            if base.name != self.name {
                parts.push(format!("renamed_from: {}", base.name));
            }
        }
        if let Some(text) = self.comment {
            parts.push(format!("comment: {}", yaml_quoted(text)));
        }
        format!("{{{}}}", parts.join(", "))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct MultiIndex {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    /// The first key is this expression of the first column (`{c}` stands for it).
    pub(crate) key: Option<&'static str>,
    /// `where:` over the last column (`{c}` stands for it).
    pub(crate) condition: Option<&'static str>,
}

impl MultiIndex {
    pub(crate) fn plain(name: String, columns: Vec<String>) -> MultiIndex {
        MultiIndex {
            name,
            columns,
            key: None,
            condition: None,
        }
    }

    /// MariaDB has no partial indexes nor expression keys.
    pub(crate) fn mysql_builds(&self) -> bool {
        self.key.is_none() && self.condition.is_none()
    }

    pub(crate) fn yaml(&self) -> String {
        let mut keys: Vec<String> = self.columns.clone();
        if let Some(form) = self.key {
            keys[0] = format!("{{expr: \"{}\"}}", form.replace("{c}", &self.columns[0]));
        }
        let mut out = format!("{{name: {}, columns: [{}]", self.name, keys.join(", "));
        if let Some(form) = self.condition {
            let last = self.columns.last().expect("an index has columns");
            let _ = write!(out, ", where: \"{}\"", form.replace("{c}", last));
        }
        out.push('}');
        out
    }
}

#[derive(Clone, Debug)]
pub(crate) struct MultiUnique {
    pub(crate) name: Option<String>,
    pub(crate) columns: Vec<String>,
}

/// A check of the model's own over one column: `form`'s text with `{c}` for it.
#[derive(Clone, Debug)]
pub(crate) struct ModelCheck {
    pub(crate) name: String,
    pub(crate) column: String,
    pub(crate) form: &'static str,
    /// Every row of the base breaks it: the migration that adds it must fail.
    pub(crate) broken: bool,
}

impl ModelCheck {
    /// Checks the rows of [`rows::value`] keep, and the type's zero a migration fills
    /// NULLs with, by the column's type; two per type, so a check can change. None for
    /// types the check language cannot compare.
    pub(crate) fn forms(ty: Ty) -> &'static [&'static str] {
        match ty {
            Ty::Str(_) | Ty::Text => &["length({c}) >= 0", "{c} <> 'zz' and length({c}) < 1000"],
            Ty::SmallInt | Ty::Int | Ty::BigInt => &["{c} >= 0 and {c} < 1000", "{c} not in (-1, -2)"],
            Ty::Float | Ty::Decimal(..) => &["{c} >= 0", "{c} * 2 >= {c}"],
            Ty::Bool | Ty::BoolCheck => &["{c} in (true, false)", "not ({c} is null) or {c} is null"],
            // e0 is a value of every enum the generator makes; text not among the values
            // is refused (PostgreSQL reads it as one).
            Ty::Enum { .. } => &["{c} = {c}", "{c} <> 'e0' or {c} in ('e0')"],
            _ => &[],
        }
    }

    pub(crate) fn text(&self) -> String {
        self.form.replace("{c}", &self.column)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ModelSpec {
    pub(crate) name: String,
    pub(crate) table: String,
    /// The table in the base spec, `None` for a model an edit added.
    pub(crate) base_table: Option<String>,
    pub(crate) fields: Vec<Field>,
    pub(crate) timestamps: bool,
    /// Whether the base model had the timestamps mixin.
    pub(crate) base_timestamps: bool,
    pub(crate) indexes: Vec<MultiIndex>,
    pub(crate) uniques: Vec<MultiUnique>,
    pub(crate) checks: Vec<ModelCheck>,
    /// `primary_key: [...]`: the key in an order of its own, not the fields'.
    pub(crate) key_order: Option<Vec<String>>,
    /// The primary key constraint's own name, if given.
    pub(crate) key_name: Option<String>,
    /// Its primary key changed: no edit points a new foreign key or link at it, whose
    /// columns would have to follow.
    pub(crate) keyed: bool,
    /// The table's comment, one of [`COMMENTS`].
    pub(crate) comment: Option<&'static str>,
    /// Pairs of columns referencing another model's `(id, c)`, declared or not.
    pub(crate) composite: Vec<composite::CompositeFk>,
    /// Columns a composite foreign key of another model references.
    pub(crate) referenced: Vec<String>,
}

impl ModelSpec {
    pub(crate) fn pk(&self) -> &Field {
        self.fields
            .iter()
            .find(|f| f.pk)
            .expect("every model has a primary key")
    }

    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Column names in use, mixin columns included.
    pub(crate) fn taken(&self, name: &str) -> bool {
        self.field(name).is_some() || (self.timestamps && (name == "created_at" || name == "updated_at"))
    }
}

/// A many-to-many relation declared on `a`, whose join table modelgen generates.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) through: String,
    pub(crate) in_base: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub(crate) models: Vec<ModelSpec>,
    pub(crate) links: Vec<Link>,
    /// Counter for fresh names, so no name of the base is ever reused.
    pub(crate) next: usize,
    /// `(model, column)` of the base whose rows repeat one value, which the edited spec
    /// makes unique: the migration must fail and change nothing.
    pub(crate) repeat: Option<(String, String)>,
    /// The spec's naming convention: an index into [`names::CONVENTIONS`], if any.
    pub(crate) naming: Option<usize>,
}

impl Spec {
    pub(crate) fn fresh(&mut self) -> usize {
        self.next += 1;
        self.next
    }

    /// The migration to this spec must fail on the base's rows (and change nothing).
    pub(crate) fn must_fail(&self) -> bool {
        self.repeat.is_some() || self.models.iter().any(|m| m.checks.iter().any(|c| c.broken))
    }

    pub(crate) fn model(&self, name: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.name == name)
    }

    pub(crate) fn yaml(&self) -> String {
        let mut out = String::new();
        if let Some(c) = self.naming {
            out.push_str(names::CONVENTIONS[c]);
        }
        out.push_str("models:\n");
        for m in &self.models {
            let _ = writeln!(out, "  {}:", m.name);
            let _ = writeln!(out, "    table: {}", m.table);
            if let Some(text) = m.comment {
                let _ = writeln!(out, "    comment: {}", yaml_quoted(text));
            }
            if let Some(base) = &m.base_table {
                if *base != m.table {
                    let _ = writeln!(out, "    renamed_from: {base}");
                }
            }
            out.push_str("    fields:\n");
            for f in &m.fields {
                let _ = writeln!(out, "      {}: {}", f.name, f.yaml(m.key_order.is_none()));
            }
            match (&m.key_order, &m.key_name) {
                (Some(key), None) => {
                    let _ = writeln!(out, "    primary_key: [{}]", key.join(", "));
                }
                (Some(key), Some(name)) => {
                    let _ = writeln!(out, "    primary_key: {{columns: [{}], name: {name}}}", key.join(", "));
                }
                (None, Some(name)) => {
                    let _ = writeln!(out, "    primary_key: {{name: {name}}}");
                }
                (None, None) => {}
            }
            if m.timestamps {
                out.push_str("    mixins: [timestamps]\n");
            }
            if !m.indexes.is_empty() {
                out.push_str("    indexes:\n");
                for i in &m.indexes {
                    let _ = writeln!(out, "      - {}", i.yaml());
                }
            }
            if !m.checks.is_empty() {
                out.push_str("    checks:\n");
                for c in &m.checks {
                    let _ = writeln!(out, "      {}: \"{}\"", c.name, c.text());
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
            let declared: Vec<String> = m.composite.iter().filter(|c| c.declared).map(|c| c.yaml()).collect();
            if !declared.is_empty() {
                out.push_str("    foreign_keys:\n");
                for fk in declared {
                    let _ = writeln!(out, "      - {fk}");
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

/// Comments tables and columns get: quotes of every kind, backslashes (which MySQL
/// escapes), a line break and a tab, `%` and text beyond ASCII, up to the longest a
/// column takes.
pub(crate) const COMMENTS: [&str; 6] = [
    "plain words",
    "it's 'quoted' \"twice\" and `ticked`",
    "back\\slash \\n \\' not an escape",
    "two\nlines\tand a tab",
    "ünïcode 中文 -- /* not SQL */ 50%",
    LONGEST_COMMENT,
];
const LONGEST_COMMENT: &str = longest_comment();

/// 1024 characters, the most a MySQL column comment holds (`ß` is two bytes each).
const fn longest_comment() -> &'static str {
    const TEXT: [u8; 2048] = {
        let mut out = [0u8; 2048];
        let mut i = 0;
        while i < 2048 {
            out[i] = [0xC3, 0x9F][i % 2];
            i += 1;
        }
        out
    };
    match std::str::from_utf8(&TEXT) {
        Ok(s) => s,
        Err(_) => panic!("ß is UTF-8"),
    }
}

/// `text` as a YAML double-quoted scalar.
pub(crate) fn yaml_quoted(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\t', "\\t");
    format!("\"{escaped}\"")
}

/// Names SQL reserves, used now and then so quoting is exercised everywhere.
pub(crate) const RESERVED_COLUMNS: [&str; 4] = ["order", "key", "desc", "from"];
pub(crate) const RESERVED_TABLES: [&str; 4] = ["order", "user", "select", "group"];

pub(crate) fn random_field(rng: &mut Rng, spec: &mut Spec, taken: &dyn Fn(&str) -> bool, salt: usize) -> Field {
    let reserved = rng.pick(&RESERVED_COLUMNS);
    let name = if rng.chance(10) && !taken(reserved) {
        reserved.to_owned()
    } else {
        format!("c{}", spec.fresh())
    };
    let ty = Ty::random(rng);
    let default = (rng.chance(30) && !ty.defaults().is_empty()).then(|| rng.pick(ty.defaults()).to_owned());
    let index = ty.indexable() && rng.chance(20);
    let unique = ty.uniqueable() && rng.chance(15);
    let comment = rng.chance(15).then(|| rng.pick(&COMMENTS));
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
        auto: None,
        generator: None,
        comment,
    }
}

/// The base spec: 2–4 models of 3–8 fields each. `wanted` are the kinds of edit the pair
/// will draw; the base makes sure to have what the removing ones remove.
pub(crate) fn base_spec(rng: &mut Rng, wanted: &[Kind]) -> Spec {
    let wants = |k: Kind| wanted.contains(&k);
    let mut spec = Spec {
        models: Vec::new(),
        links: Vec::new(),
        next: 0,
        repeat: None,
        naming: None,
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
            auto: None,
            generator: None,
            comment: None,
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
                    name: None,
                }),
                base: None,
                salt: 1,
                auto: None,
                generator: None,
                comment: None,
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
            checks: Vec::new(),
            key_order: None,
            key_name: None,
            keyed: false,
            comment: None,
            composite: Vec::new(),
            referenced: Vec::new(),
        };
        model.base_timestamps = model.timestamps;
        // Comments on the table and its key; the other columns got theirs by chance.
        let first = i == 0;
        if rng.chance(25) || (first && (wants(Kind::ChangeTableComment) || wants(Kind::DropTableComment))) {
            model.comment = Some(rng.pick(&COMMENTS));
        }
        if rng.chance(15) || (first && (wants(Kind::ChangeColumnComment) || wants(Kind::DropColumnComment))) {
            model.fields[0].comment = Some(rng.pick(&COMMENTS));
        }
        let checkable: Vec<usize> = (0..model.fields.len())
            .filter(|&k| checkable(&model.fields[k]))
            .collect();
        if !checkable.is_empty() && (rng.chance(30) || (i == 0 && wants(Kind::DropCheck))) {
            let f = &model.fields[rng.pick(&checkable)];
            model.checks.push(ModelCheck {
                name: format!("ck{}", spec.fresh()),
                column: f.name.clone(),
                form: rng.pick(ModelCheck::forms(f.ty)),
                broken: false,
            });
        }
        let indexable: Vec<String> = model
            .fields
            .iter()
            .filter(|f| !f.pk && f.ty.indexable())
            .map(|f| f.name.clone())
            .collect();
        if indexable.len() >= 2 && (rng.chance(30) || wants(Kind::DropMultiColumnIndex)) {
            let (a, b) = two(rng, &indexable);
            model
                .indexes
                .push(MultiIndex::plain(format!("ixm{}", spec.fresh()), vec![a, b]));
        }
        let edited = wants(Kind::DropPartialIndex) || wants(Kind::ChangeIndexCondition);
        if rng.chance(6) || (i == 0 && edited) {
            let (key, condition) = (rng.chance(50), rng.chance(70) || wants(Kind::ChangeIndexCondition));
            let name = format!("ixp{}", spec.fresh());
            if let Some(index) = partial::draw(rng, &model, name, key || !condition, condition) {
                model.indexes.push(index);
            }
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
    composite::base_pair(rng, &mut spec, wanted);
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
    names::base_names(rng, &mut spec);
    // PostgreSQL's way of numbering each autoincrementing key, drawn last so the rest of
    // the base is what the seed gave before there was a choice.
    for mi in 0..spec.models.len() {
        if !constraints::switchable(&spec.models[mi], spec.models[mi].pk()) {
            continue;
        }
        let generator = match rng.below(4) {
            0 => None,
            1 => Some(Generator::Identity),
            2 => Some(Generator::Serial),
            _ => Some(Generator::Sequence(format!("seq{}", spec.fresh()))),
        };
        let m = &mut spec.models[mi];
        m.fields.iter_mut().find(|f| f.pk).unwrap().generator = generator;
    }
    // Remember the base version of every field.
    for m in &mut spec.models {
        for f in &mut m.fields {
            f.base = Some(Box::new(f.clone()));
        }
    }
    spec
}

pub(crate) fn two(rng: &mut Rng, items: &[String]) -> (String, String) {
    let a = rng.below(items.len());
    let b = (a + 1 + rng.below(items.len() - 1)) % items.len();
    (items[a].clone(), items[b].clone())
}

// What an edit may pick.

/// `(model index, field index)` of every field matching `pred`, but those of a composite
/// foreign key, which edits leave alone.
pub(crate) fn fields_where(spec: &Spec, pred: impl Fn(&ModelSpec, &Field) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (mi, m) in spec.models.iter().enumerate() {
        for (fi, f) in m.fields.iter().enumerate() {
            if pred(m, f) && !composite::pinned(m, f) {
                out.push((mi, fi));
            }
        }
    }
    out
}

/// Whether the field holds the base's values unchanged in kind: it existed in the base
/// with the same type and was not NOT NULL-filled since.
pub(crate) fn holds_base_values(f: &Field) -> bool {
    f.base
        .as_ref()
        .is_some_and(|b| b.ty == f.ty && (b.nullable == f.nullable || !b.nullable))
}

/// Whether an unnamed UNIQUE starting with `column` exists. MariaDB names such a key after
/// its first column and a second one `<column>_2`, which `tests/catalog.rs` does not expect
/// (a fresh build differs from it as much as a migrated one), so a second one is named.
pub(crate) fn unnamed_unique_starts_with(m: &ModelSpec, column: &str) -> bool {
    m.field(column).is_some_and(|f| f.unique && !f.index)
        || m.uniques.iter().any(|u| u.name.is_none() && u.columns[0] == column)
}

/// A column a check of the model's own can be over: not a key or a foreign key (whose
/// values edits make up), of a type with check forms.
pub(crate) fn checkable(f: &Field) -> bool {
    !f.pk && f.fk.is_none() && !ModelCheck::forms(f.ty).is_empty()
}

pub(crate) fn in_multi(m: &ModelSpec, name: &str) -> bool {
    m.indexes.iter().any(|i| i.columns.iter().any(|c| c == name))
        || m.uniques.iter().any(|u| u.columns.iter().any(|c| c == name))
}

/// Whether a column can be dropped so that the down migration can bring it back.
/// Not a unique column: the down migration restores it with one value in every row (its
/// default, or the type's zero), which its unique key then rejects; not a NOT NULL foreign
/// key, restored as the type's zero, referencing no row; not a former key column, which
/// the down makes a key again. No down can bring back values it does not have.
pub(crate) fn droppable(m: &ModelSpec, f: &Field) -> bool {
    !f.pk
        && !composite::pinned(m, f)
        && !f.unique
        && !f.base.as_ref().is_some_and(|b| b.pk)
        && !m.uniques.iter().any(|u| u.columns.contains(&f.name))
        && (f.fk.is_none() || f.nullable)
}

/// Whether a column of the base can take part in swaps and chains of renames: MariaDB
/// names an unnamed UNIQUE after its first column, and two such names cannot trade places.
pub(crate) fn renamable(m: &ModelSpec, f: &Field) -> bool {
    !f.pk && f.fk.is_none() && f.base.is_some() && !unnamed_unique_starts_with(m, &f.name) && !composite::pinned(m, f)
}

/// Whether a foreign key or a link references model `name`.
pub(crate) fn referenced(spec: &Spec, name: &str) -> bool {
    spec.models.iter().any(|m| {
        m.fields
            .iter()
            .any(|f| f.fk.as_ref().is_some_and(|fk| fk.model == name))
            || m.composite.iter().any(|c| c.target == name)
    }) || spec.links.iter().any(|l| l.a == name || l.b == name)
}

/// Renames fields of `m` at once (`(index, new name)`), and the indexes and uniques over
/// them: a swap's two names trade places in the lists too.
pub(crate) fn rename_columns(m: &mut ModelSpec, renames: &[(usize, String)]) {
    let map: Vec<(String, String)> = renames
        .iter()
        .map(|(fi, to)| (m.fields[*fi].name.clone(), to.clone()))
        .collect();
    for (fi, to) in renames {
        m.fields[*fi].name.clone_from(to);
    }
    for c in &mut m.checks {
        if let Some((_, to)) = map.iter().find(|(from, _)| *from == c.column) {
            c.column.clone_from(to);
        }
    }
    for k in m.key_order.iter_mut().flatten() {
        if let Some((_, to)) = map.iter().find(|(from, _)| from == k) {
            k.clone_from(to);
        }
    }
    for cols in m
        .indexes
        .iter_mut()
        .map(|i| &mut i.columns)
        .chain(m.uniques.iter_mut().map(|u| &mut u.columns))
    {
        for c in cols.iter_mut() {
            if let Some((_, to)) = map.iter().find(|(from, _)| from == c) {
                c.clone_from(to);
            }
        }
    }
}

/// A model an edit adds (with table `table`, or a fresh one): a key, perhaps a foreign
/// key to a model whose key did not change, and one to three columns.
pub(crate) fn new_model(rng: &mut Rng, spec: &mut Spec, table: Option<String>) -> ModelSpec {
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
        auto: None,
        generator: None,
        comment: None,
    }];
    let targets: Vec<ModelSpec> = spec.models.iter().filter(|m| !m.keyed).cloned().collect();
    if rng.chance(60) && !targets.is_empty() {
        let target = rng.pick(&targets);
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
                name: None,
            }),
            base: None,
            salt: 1,
            auto: None,
            generator: None,
            comment: None,
        });
    }
    for k in 0..1 + rng.below(3) {
        let taken: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let f = random_field(rng, spec, &|x| taken.iter().any(|t| t == x), k + 2);
        fields.push(f);
    }
    ModelSpec {
        name,
        table: table.unwrap_or_else(|| format!("n{n}")),
        base_table: None,
        fields,
        timestamps: rng.chance(40),
        base_timestamps: false,
        indexes: Vec::new(),
        uniques: Vec::new(),
        checks: Vec::new(),
        key_order: None,
        key_name: None,
        keyed: false,
        comment: rng.chance(30).then(|| rng.pick(&COMMENTS)),
        composite: Vec::new(),
        referenced: Vec::new(),
    }
}
