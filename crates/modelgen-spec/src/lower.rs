//! Lowers a read [`Spec`] into the IR: flattens mixins, resolves foreign keys, names
//! indexes, pairs relations and synthesizes join tables, reporting every cross-model error.
//!
//! Each rule that spans models lives in its own `check_*`/`resolve_*` function with an
//! example of what it rejects.

use crate::diag::{did_you_mean, Diagnostic, ErrorKind, Path};
use crate::spec::*;
use heck::ToSnakeCase;
use modelgen_ir::{
    Column, FkAction, ForeignKey, Index, LogicalType, Model, ModelKind, Relation, RelationKind, Schema, Unique,
};
use std::collections::HashMap;

mod names;

pub fn lower(spec: &Spec) -> (Schema, Vec<Diagnostic>) {
    let mut cx = Lower {
        errors: Vec::new(),
        mixins: HashMap::new(),
    };
    let builtins = builtin_mixins();
    for mixin in builtins.iter().chain(&spec.mixins) {
        cx.mixins.insert(mixin.name.as_str(), mixin);
    }
    for mixin in &spec.mixins {
        cx.check_mixin(mixin);
    }
    let mut models: Vec<Model> = spec.models.iter().map(|m| cx.model(m)).collect();
    let names = NameIndex::new(&models);
    for (i, model_spec) in spec.models.iter().enumerate() {
        let fks = cx.foreign_keys(model_spec, &models[i], &models, &names);
        models[i].foreign_keys = fks;
    }
    let mut joins = Joins::default();
    let relations: Vec<Vec<Relation>> = spec
        .models
        .iter()
        .enumerate()
        .map(|(i, m)| cx.relations(m, &models[i], &models, &names, &mut joins))
        .collect();
    for (model, rels) in models.iter_mut().zip(relations) {
        model.relations = rels;
    }
    cx.check_back_populates(spec, &models, &names);
    models.extend(joins.tables);
    cx.check_unique_tables(spec, &models);
    cx.check_unique_index_names(spec, &models);
    cx.check_mysql_key_names(spec, &models);
    cx.check_rust_names(spec, &models);
    (Schema { models }, cx.errors)
}

struct Lower<'s> {
    errors: Vec<Diagnostic>,
    mixins: HashMap<&'s str, &'s MixinSpec>,
}

/// Model lookup by name and by table name, built once so resolution stays linear.
struct NameIndex {
    by_name: HashMap<String, usize>,
    by_table: HashMap<String, usize>,
}

impl NameIndex {
    fn new(models: &[Model]) -> NameIndex {
        let mut by_name = HashMap::new();
        let mut by_table = HashMap::new();
        for (i, m) in models.iter().enumerate() {
            by_name.entry(m.name.clone()).or_insert(i);
            by_table.entry(m.table.clone()).or_insert(i);
        }
        NameIndex { by_name, by_table }
    }

    /// A model named `word`, or else the model whose table is `word`.
    fn find(&self, word: &str) -> Option<usize> {
        self.by_name.get(word).or_else(|| self.by_table.get(word)).copied()
    }
}

fn model_path(name: &str) -> Path {
    Path::root().key("models").key(name)
}

fn field_path(model: &str, field: &str) -> Path {
    model_path(model).key("fields").key(field)
}

/// Where a column is written: its own field, or the `mixins:` entry that brought it.
fn column_path(model: &str, column: &Column) -> Path {
    match column.mixin {
        None => field_path(model, &column.name),
        Some(_) => model_path(model).key("mixins"),
    }
}

fn is_integer(ty: &LogicalType) -> bool {
    matches!(ty, LogicalType::Int | LogicalType::BigInt)
}

/// The foreign-key column name a join table uses for a model: `User` → `user_id`.
fn join_column(model: &str) -> String {
    format!("{}_id", model.to_snake_case())
}

impl<'s> Lower<'s> {
    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Rejects `soft_delete: gone_at` when the mixin has no nullable datetime `gone_at`.
    fn check_mixin(&mut self, mixin: &MixinSpec) {
        let Some(column) = &mixin.soft_delete else { return };
        let path = Path::root().key("mixins").key(&mixin.name).key("soft_delete");
        match mixin.fields.iter().find(|f| &f.name == column) {
            Some(f) if f.nullable && matches!(f.ty, LogicalType::DateTime { .. }) => {}
            Some(f) => self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path,
                    format!(
                        "soft-delete field `{column}` must be a nullable datetime, not `{}`",
                        f.ty
                    ),
                )
                .help(format!("declare `{column}: datetime?`")),
            ),
            None => self.error(
                Diagnostic::new(
                    ErrorKind::UnknownReference,
                    path,
                    format!("mixin `{}` has no field `{column}`", mixin.name),
                )
                .help_opt(did_you_mean(column, mixin.fields.iter().map(|f| f.name.as_str()))),
            ),
        }
    }

    fn model(&mut self, spec: &ModelSpec) -> Model {
        let path = model_path(&spec.name);
        let table = spec.table.clone().unwrap_or_else(|| spec.name.to_snake_case());
        let mut columns: Vec<Column> = Vec::new();
        let mut from_fields: Vec<&FieldSpec> = Vec::new();
        let mut soft_delete = None;
        for field in &spec.fields {
            columns.push(column(field, None));
            from_fields.push(field);
        }
        for (i, mixin_name) in spec.mixins.iter().enumerate() {
            let mpath = path.key("mixins").index(i);
            let Some(mixin) = self.mixins.get(mixin_name.as_str()).copied() else {
                let known: Vec<&str> = self.mixins.keys().copied().collect();
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownReference,
                        mpath,
                        format!("unknown mixin `{mixin_name}`"),
                    )
                    .expected(format!(
                        "a mixin defined under `mixins:` or a built-in one ({})",
                        "timestamps, soft_delete"
                    ))
                    .help_opt(did_you_mean(mixin_name, known)),
                );
                continue;
            };
            if spec.mixins[..i].contains(mixin_name) {
                self.error(Diagnostic::new(
                    ErrorKind::DuplicateName,
                    mpath,
                    format!("mixin `{mixin_name}` is listed twice"),
                ));
                continue;
            }
            for field in &mixin.fields {
                if let Some(clash) = columns.iter().find(|c| c.name == field.name) {
                    let origin = clash
                        .mixin
                        .as_deref()
                        .map_or("the model's own field".to_string(), |m| format!("mixin `{m}`"));
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            mpath.clone(),
                            format!(
                                "mixin `{mixin_name}` adds column `{}`, which {origin} already defines in `{}`",
                                field.name, spec.name
                            ),
                        )
                        .help(format!(
                            "rename the field, or drop `{mixin_name}` from the model's mixins"
                        )),
                    );
                    continue;
                }
                columns.push(column(field, Some(mixin_name)));
                from_fields.push(field);
            }
            if let Some(column) = &mixin.soft_delete {
                if let Some(first) = &soft_delete {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadValue,
                            mpath.clone(),
                            format!(
                                "`{}` would have two soft-delete columns, `{first}` and `{column}`",
                                spec.name
                            ),
                        )
                        .help("use one soft-delete mixin per model"),
                    );
                } else {
                    soft_delete = Some(column.clone());
                }
            }
        }
        self.check_case_clashes(spec, &columns);
        self.check_rust_field_names(spec, &columns);
        self.check_system_columns(spec, &columns);
        let primary_key: Vec<String> = columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect();
        if primary_key.is_empty() && !spec.broken {
            self.error(
                Diagnostic::new(
                    ErrorKind::MissingPrimaryKey,
                    path.clone(),
                    format!("model `{}` has no primary key", spec.name),
                )
                .at_key()
                .help("mark a field with `pk`, e.g. `id: int pk`"),
            );
        }
        self.resolve_autoincrement(spec, &mut columns, &from_fields, &primary_key);
        let mut model = Model {
            name: spec.name.clone(),
            table,
            kind: ModelKind::Entity,
            doc: spec.doc.clone(),
            mixins: spec.mixins.clone(),
            columns,
            primary_key,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            relations: Vec::new(),
            repr: Vec::new(),
            soft_delete,
            renamed_from: spec.renamed_from.clone(),
        };
        self.column_constraints(spec, &mut model, &from_fields);
        self.model_indexes(spec, &mut model);
        self.repr(spec, &mut model);
        model
    }

    /// Rejects `Email` next to `email`: SQLite and MySQL compare column names without case.
    fn check_case_clashes(&mut self, spec: &ModelSpec, columns: &[Column]) {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in columns {
            if let Some(first) = seen.insert(c.name.to_lowercase(), &c.name) {
                if first != c.name {
                    let path = column_path(&spec.name, c);
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            path,
                            format!("columns `{first}` and `{}` differ only in case", c.name),
                        )
                        .at_key()
                        .help("SQLite and MySQL treat them as one column; rename one"),
                    );
                }
            }
        }
    }

    /// SQLAlchemy's `autoincrement="auto"`: on for a lone integer primary key without a
    /// foreign key; an explicit `autoincrement` elsewhere is an error (`name: str(9) autoincrement`).
    fn resolve_autoincrement(
        &mut self,
        spec: &ModelSpec,
        columns: &mut [Column],
        fields: &[&FieldSpec],
        pk: &[String],
    ) {
        for (col, field) in columns.iter_mut().zip(fields) {
            let eligible = col.primary_key && pk.len() == 1 && is_integer(&col.ty) && field.foreign_key.is_none();
            col.autoincrement = match field.autoincrement {
                Some(true) if !eligible => {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadValue,
                            field_path(&spec.name, &field.name),
                            format!(
                                "`{}` cannot autoincrement: only a lone int or bigint primary key can",
                                field.name
                            ),
                        )
                        .highlight("autoincrement"),
                    );
                    false
                }
                Some(explicit) => explicit,
                None => eligible,
            };
            if col.primary_key && col.nullable {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        field_path(&spec.name, &field.name),
                        format!("primary key `{}` cannot be nullable", field.name),
                    )
                    .help("remove the `?` from its type"),
                );
            }
        }
    }

    /// Field-level `unique`/`index`, as SQLAlchemy turns them into DDL: both together make
    /// one unique index `ix_<table>_<column>`; `unique` alone a UNIQUE constraint.
    fn column_constraints(&mut self, spec: &ModelSpec, model: &mut Model, fields: &[&FieldSpec]) {
        for field in fields {
            let name = format!("ix_{}_{}", model.table, field.name);
            let columns = vec![field.name.clone()];
            match (field.unique, field.index) {
                (Uniqueness::No, false) => {}
                (Uniqueness::No, true) => model.indexes.push(Index {
                    name,
                    columns,
                    unique: false,
                    live_only: false,
                }),
                (Uniqueness::Yes, true) => model.indexes.push(Index {
                    name,
                    columns,
                    unique: true,
                    live_only: false,
                }),
                (Uniqueness::Yes, false) => {
                    let path = field_path(&spec.name, &field.name);
                    self.push_unique(model, Unique { name: None, columns }, path);
                }
                (Uniqueness::Live, _) => {
                    if self.require_soft_delete(spec, model, field_path(&spec.name, &field.name).key("unique")) {
                        model.indexes.push(Index {
                            name,
                            columns,
                            unique: true,
                            live_only: true,
                        });
                    }
                }
            }
        }
    }

    /// `live` uniqueness only means something on a soft-delete model.
    fn require_soft_delete(&mut self, spec: &ModelSpec, model: &Model, path: Path) -> bool {
        if model.soft_delete.is_some() {
            return true;
        }
        self.error(
            Diagnostic::new(
                ErrorKind::BadValue,
                path,
                format!(
                    "`live` uniqueness needs a soft-delete model, and `{}` is not one",
                    spec.name
                ),
            )
            .help("add `soft_delete` to the model's mixins, or use `unique: true`"),
        );
        false
    }

    fn model_indexes(&mut self, spec: &ModelSpec, model: &mut Model) {
        let path = model_path(&spec.name);
        for (i, index) in spec.indexes.iter().enumerate() {
            let ipath = path.key("indexes").index(i);
            if !self.check_columns(model, &index.columns, &ipath.key("columns")) {
                continue;
            }
            if index.live && !self.require_soft_delete(spec, model, ipath.key("live")) {
                continue;
            }
            let name = index
                .name
                .clone()
                .unwrap_or_else(|| format!("ix_{}_{}", model.table, index.columns.join("_")));
            model.indexes.push(Index {
                name,
                columns: index.columns.clone(),
                unique: index.unique,
                live_only: index.live,
            });
        }
        for (i, unique) in spec.uniques.iter().enumerate() {
            let upath = path.key("uniques").index(i);
            let columns_path = if unique.bare {
                upath.clone()
            } else {
                upath.key("columns")
            };
            if !self.check_columns(model, &unique.columns, &columns_path) {
                continue;
            }
            if unique.live {
                if self.require_soft_delete(spec, model, upath.key("live")) {
                    let name = unique
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("uq_{}_{}", model.table, unique.columns.join("_")));
                    model.indexes.push(Index {
                        name,
                        columns: unique.columns.clone(),
                        unique: true,
                        live_only: true,
                    });
                }
            } else {
                let unique = Unique {
                    name: unique.name.clone(),
                    columns: unique.columns.clone(),
                };
                self.push_unique(model, unique, upath);
            }
        }
    }

    /// Adds a unique constraint, rejecting one over the primary key's columns or over the
    /// columns of an earlier one (`id: int pk unique`): PostgreSQL and SQLite drop such a
    /// duplicate without a word while MySQL keeps it, so the databases would disagree.
    fn push_unique(&mut self, model: &mut Model, unique: Unique, path: Path) {
        let same = if unique.columns == model.primary_key {
            Some("the primary key".to_owned())
        } else {
            model
                .uniques
                .iter()
                .find(|u| u.columns == unique.columns)
                .map(|_| format!("another unique constraint on `{}`", unique.columns.join(", ")))
        };
        match same {
            Some(what) => self.error(
                Diagnostic::new(
                    ErrorKind::DuplicateName,
                    path,
                    format!(
                        "the unique constraint on `{}` repeats {what}, which is unique already",
                        unique.columns.join(", ")
                    ),
                )
                .at_key()
                .help("remove this one"),
            ),
            None => model.uniques.push(unique),
        }
    }

    /// Rejects `columns: [emial]` and `columns: []`.
    fn check_columns(&mut self, model: &Model, columns: &[String], path: &Path) -> bool {
        if columns.is_empty() {
            self.error(
                Diagnostic::new(ErrorKind::BadValue, path.clone(), "an index needs at least one column").at_key(),
            );
            return false;
        }
        let mut ok = true;
        for (i, col) in columns.iter().enumerate() {
            if model.column(col).is_none() {
                self.unknown_column(model, col, path.index(i));
                ok = false;
            }
        }
        ok
    }

    fn unknown_column(&mut self, model: &Model, col: &str, path: Path) {
        self.error(
            Diagnostic::new(
                ErrorKind::UnknownReference,
                path,
                format!("`{}` has no column `{col}`", model.name),
            )
            .help_opt(did_you_mean(col, model.columns.iter().map(|c| c.name.as_str()))),
        );
    }

    fn repr(&mut self, spec: &ModelSpec, model: &mut Model) {
        let Some(repr) = &spec.repr else {
            // Secret columns are never shown, keys included.
            model.repr = model
                .primary_key
                .iter()
                .filter(|c| model.column(c).is_some_and(|c| !c.secret))
                .cloned()
                .collect();
            return;
        };
        for (i, col) in repr.iter().enumerate() {
            let path = model_path(&spec.name).key("repr").index(i);
            match model.column(col) {
                None => self.unknown_column(model, col, path),
                Some(c) if c.secret => self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path,
                        format!("`{col}` is secret, so it cannot be shown in `repr`"),
                    )
                    .help(format!("remove `{col}` from `repr`")),
                ),
                Some(_) => {}
            }
        }
        model.repr = repr.clone();
    }

    /// Resolves `foreign_key: users.id` on every field (own or mixin) of one model.
    fn foreign_keys(
        &mut self,
        spec: &ModelSpec,
        model: &Model,
        models: &[Model],
        names: &NameIndex,
    ) -> Vec<ForeignKey> {
        let own = spec.fields.iter().map(|f| (f, field_path(&spec.name, &f.name)));
        let mixed = spec
            .mixins
            .iter()
            .filter_map(|m| self.mixins.get(m.as_str()))
            .flat_map(|m| {
                let base = Path::root().key("mixins").key(&m.name).key("fields");
                m.fields.iter().map(move |f| (f, base.key(&f.name)))
            });
        let fields: Vec<_> = own.chain(mixed).collect();
        let mut out = Vec::new();
        for (field, path) in fields {
            let Some(fk) = &field.foreign_key else { continue };
            if let Some(fk) = self.resolve_foreign_key(model, field, fk, path.key("foreign_key"), models, names) {
                out.push(fk);
            }
        }
        out
    }

    /// Rejects `references: Usr.id` (no such model), `User.idd` (no such column),
    /// a column that is neither primary key nor unique, and `user_id: str(9)` → `User.id: int`.
    fn resolve_foreign_key(
        &mut self,
        model: &Model,
        field: &FieldSpec,
        fk: &ForeignKeySpec,
        path: Path,
        models: &[Model],
        names: &NameIndex,
    ) -> Option<ForeignKey> {
        let (target_word, column_word) = match fk.references.split_once('.') {
            Some((t, c)) => (t, Some(c)),
            None => (fk.references.as_str(), None),
        };
        let Some(ti) = names.find(target_word) else {
            let known = models.iter().flat_map(|m| [m.name.as_str(), m.table.as_str()]);
            self.error(
                Diagnostic::new(
                    ErrorKind::UnknownReference,
                    path,
                    format!(
                        "foreign key of `{}.{}` references unknown model or table `{target_word}`",
                        model.name, field.name
                    ),
                )
                .highlight(target_word)
                .expected("`Model.field`, `table.column` or `Model`")
                .help_opt(did_you_mean(target_word, known)),
            );
            return None;
        };
        let target = &models[ti];
        let target_column = match column_word {
            Some(c) => c.to_owned(),
            None if target.primary_key.len() == 1 => target.primary_key[0].clone(),
            None => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path,
                        format!("`{}` has no single-column primary key to reference", target.name),
                    )
                    .help(format!("name the column: `{}.<column>`", target.name)),
                );
                return None;
            }
        };
        let Some(tcol) = target.column(&target_column) else {
            self.error(
                Diagnostic::new(
                    ErrorKind::UnknownReference,
                    path,
                    format!("`{}` has no column `{target_column}`", target.name),
                )
                .highlight(target_column.as_str())
                .help_opt(did_you_mean(
                    &target_column,
                    target.columns.iter().map(|c| c.name.as_str()),
                )),
            );
            return None;
        };
        let single = |cols: &[String]| cols.len() == 1 && cols[0] == target_column;
        let referencable = single(&target.primary_key)
            || target.uniques.iter().any(|u| single(&u.columns))
            || target
                .indexes
                .iter()
                .any(|i| i.unique && !i.live_only && single(&i.columns));
        if !referencable {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.clone(),
                    format!(
                        "`{}.{target_column}` is neither the primary key nor unique, so it cannot be referenced",
                        target.name
                    ),
                )
                .help(format!("reference the primary key, or mark `{target_column}` unique")),
            );
        }
        if tcol.ty != field.ty {
            self.error(
                Diagnostic::new(
                    ErrorKind::TypeMismatch,
                    field_path(&model.name, &field.name),
                    format!(
                        "`{}.{}` is `{}` but references `{}.{target_column}`, which is `{}`",
                        model.name, field.name, field.ty, target.name, tcol.ty
                    ),
                )
                .highlight(field.ty.to_string())
                .help(format!("declare `{}` as `{}`", field.name, tcol.ty)),
            );
        }
        if !field.nullable && fk.on_delete == Some(FkAction::SetNull) {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    path.key("on_delete"),
                    format!("`on_delete: set_null` on `{}`, which is not nullable", field.name),
                )
                .help("make the field nullable with `?`, or choose another action"),
            );
        }
        Some(ForeignKey {
            columns: vec![field.name.clone()],
            target_model: target.name.clone(),
            target_table: target.table.clone(),
            target_columns: vec![target_column],
            on_delete: fk.on_delete,
            on_update: fk.on_update,
        })
    }

    fn relations(
        &mut self,
        spec: &ModelSpec,
        model: &Model,
        models: &[Model],
        names: &NameIndex,
        joins: &mut Joins,
    ) -> Vec<Relation> {
        let mut out = Vec::new();
        for rel in &spec.relations {
            let path = model_path(&spec.name).key("relations").key(&rel.name);
            if model.column(&rel.name).is_some() {
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path.clone(),
                        format!(
                            "relation `{}` has the same name as a column of `{}`",
                            rel.name, spec.name
                        ),
                    )
                    .at_key()
                    .help("rename the relation"),
                );
            }
            let Some(&ti) = names.by_name.get(rel.target.as_str()) else {
                let key = path.key(rel.kind.key());
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownReference,
                        key,
                        format!("relation `{}` targets unknown model `{}`", rel.name, rel.target),
                    )
                    .help_opt(did_you_mean(&rel.target, models.iter().map(|m| m.name.as_str()))),
                );
                continue;
            };
            let target = &models[ti];
            let resolved = match rel.kind {
                RelationKindSpec::ManyToOne => self.many_to_one(rel, model, target, &path),
                RelationKindSpec::OneToMany => self.one_to_many(rel, model, target, &path),
                RelationKindSpec::ManyToMany => self.many_to_many(rel, model, target, &path, models, names, joins),
            };
            if let Some(r) = resolved {
                out.push(r);
            }
        }
        out
    }

    fn relation(rel: &RelationSpec, kind: RelationKind, foreign_key: Vec<String>) -> Relation {
        Relation {
            name: rel.name.clone(),
            kind,
            target: rel.target.clone(),
            foreign_key,
            through: None,
            target_foreign_key: Vec::new(),
            back_populates: rel.back_populates.clone(),
            cascade: rel.cascade.clone(),
            doc: rel.doc.clone(),
        }
    }

    /// The one foreign key from `from` to `to`, or the one named; rejects none and ambiguity.
    fn pick_foreign_key(
        &mut self,
        from: &Model,
        to: &Model,
        named: Option<&str>,
        path: &Path,
        rel: &RelationSpec,
    ) -> Option<Vec<String>> {
        let candidates: Vec<&ForeignKey> = from
            .foreign_keys
            .iter()
            .filter(|fk| fk.target_model == to.name && named.is_none_or(|n| fk.columns == [n]))
            .collect();
        match candidates.as_slice() {
            [one] => Some(one.columns.clone()),
            [] => {
                let message = match named {
                    Some(n) => format!("`{}.{n}` is not a foreign key to `{}`", from.name, to.name),
                    None => format!(
                        "relation `{}` needs a foreign key from `{}` to `{}`, and there is none",
                        rel.name, from.name, to.name
                    ),
                };
                self.error(
                    Diagnostic::new(ErrorKind::BadRelation, path.clone(), message)
                        .at_key()
                        .help(format!(
                            "add a field to `{}` such as `{}: {{type: int, foreign_key: {}.id}}`",
                            from.name,
                            join_column(&to.name),
                            to.name
                        )),
                );
                None
            }
            many => {
                let cols: Vec<_> = many.iter().map(|fk| fk.columns.join(",")).collect();
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.clone(),
                        format!(
                            "relation `{}` could use any of the foreign keys {}",
                            rel.name,
                            cols.join(", ")
                        ),
                    )
                    .at_key()
                    .help("name one with `foreign_key: <field>`"),
                );
                None
            }
        }
    }

    fn many_to_one(&mut self, rel: &RelationSpec, model: &Model, target: &Model, path: &Path) -> Option<Relation> {
        let fk = self.pick_foreign_key(model, target, rel.foreign_key.as_deref(), path, rel)?;
        Some(Self::relation(rel, RelationKind::ManyToOne, fk))
    }

    fn one_to_many(&mut self, rel: &RelationSpec, model: &Model, target: &Model, path: &Path) -> Option<Relation> {
        let fk = self.pick_foreign_key(target, model, rel.foreign_key.as_deref(), path, rel)?;
        Some(Self::relation(rel, RelationKind::OneToMany, fk))
    }

    /// Uses the join model named by `through`, or synthesizes the join table; rejects a
    /// synthesized self-referential one, whose two columns would share a name.
    #[allow(clippy::too_many_arguments)]
    fn many_to_many(
        &mut self,
        rel: &RelationSpec,
        model: &Model,
        target: &Model,
        path: &Path,
        models: &[Model],
        names: &NameIndex,
        joins: &mut Joins,
    ) -> Option<Relation> {
        let mut through = rel.through.clone()?;
        let (own_fk, target_fk) = if let Some(ji) = names.find(&through) {
            let join = &models[ji];
            through.clone_from(&join.table);
            let own = self.pick_foreign_key(join, model, rel.foreign_key.as_deref(), path, rel)?;
            let others: Vec<&ForeignKey> = join
                .foreign_keys
                .iter()
                .filter(|fk| fk.target_model == target.name && fk.columns != own)
                .collect();
            let [other] = others.as_slice() else {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.key("through"),
                        format!(
                            "join model `{}` needs exactly one foreign key to `{}` besides `{}`",
                            join.name,
                            target.name,
                            own.join(",")
                        ),
                    )
                    .help("give the join model one foreign key to each side"),
                );
                return None;
            };
            (own, other.columns.clone())
        } else {
            let (own, other) = joins.link(self, &through, model, target, path)?;
            if let Some(named) = rel.foreign_key.as_deref().filter(|n| own != [*n]) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.key("foreign_key"),
                        format!("join table `{through}` is made by modelgen, and its column for `{}` is `{}`, not `{named}`", model.name, own[0]),
                    )
                    .help("drop `foreign_key:`, or declare a join model to choose the columns"),
                );
            }
            (own, other)
        };
        let mut r = Self::relation(rel, RelationKind::ManyToMany, own_fk);
        r.through = Some(through);
        r.target_foreign_key = target_fk;
        Some(r)
    }

    /// Rejects `back_populates: user` when the target has no `user` relation pointing back.
    fn check_back_populates(&mut self, spec: &Spec, models: &[Model], names: &NameIndex) {
        for (model_spec, model) in spec.models.iter().zip(models) {
            for rel in &model.relations {
                let Some(back) = &rel.back_populates else { continue };
                let path = model_path(&model_spec.name)
                    .key("relations")
                    .key(&rel.name)
                    .key("back_populates");
                let Some(&ti) = names.by_name.get(rel.target.as_str()) else {
                    continue;
                };
                let target = &models[ti];
                let Some(other) = target.relations.iter().find(|r| &r.name == back) else {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadBackPopulates,
                            path,
                            format!(
                                "`{}` has no relation `{back}` to pair with `{}.{}`",
                                target.name, model.name, rel.name
                            ),
                        )
                        .help_opt(did_you_mean(back, target.relations.iter().map(|r| r.name.as_str()))),
                    );
                    continue;
                };
                let paired = other.target == model.name && other.back_populates.as_deref() == Some(rel.name.as_str());
                let expected_kind = match rel.kind {
                    RelationKind::OneToMany => RelationKind::ManyToOne,
                    RelationKind::ManyToOne => RelationKind::OneToMany,
                    RelationKind::ManyToMany => RelationKind::ManyToMany,
                };
                if !paired {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadBackPopulates,
                            path,
                            format!(
                                "`{}.{back}` does not point back at `{}.{}`",
                                target.name, model.name, rel.name
                            ),
                        )
                        .help(format!(
                            "give `{}.{back}` the target `{}` and `back_populates: {}`",
                            target.name, model.name, rel.name
                        )),
                    );
                } else if other.kind != expected_kind || !same_link(rel, other) {
                    self.error(
                        Diagnostic::new(ErrorKind::BadBackPopulates, path, format!("`{}.{}` and `{}.{back}` do not describe the same link", model.name, rel.name, target.name))
                            .help("pair one_to_many with many_to_one over the same foreign key, or two many_to_many through the same table"),
                    );
                }
            }
        }
    }

    /// Rejects two models (or a model and a join table) sharing one table name.
    fn check_unique_tables(&mut self, spec: &Spec, models: &[Model]) {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for model in models {
            // SQLite and MySQL (on most systems) compare table names without case.
            if let Some(first) = seen.insert(model.table.to_lowercase(), model.name.as_str()) {
                let path = match spec.models.iter().any(|m| m.name == model.name) {
                    true => model_path(&model.name).key("table"),
                    false => Path::root().key("models"),
                };
                self.error(
                    Diagnostic::new(
                        ErrorKind::DuplicateName,
                        path,
                        format!(
                            "table `{}` is used by both `{first}` and `{}` (names compared without case)",
                            model.table, model.name
                        ),
                    )
                    .help("give one of them another `table:`"),
                );
            }
        }
    }

    /// Index names share one namespace per database schema (PostgreSQL, SQLite).
    /// They share it with tables in PostgreSQL and SQLite, too.
    fn check_unique_index_names(&mut self, spec: &Spec, models: &[Model]) {
        let tables: HashMap<String, &str> = models
            .iter()
            .map(|m| (m.table.to_lowercase(), m.table.as_str()))
            .collect();
        let mut seen: HashMap<String, &str> = HashMap::new();
        for model in models {
            let names = model
                .indexes
                .iter()
                .map(|i| i.name.as_str())
                .chain(model.uniques.iter().filter_map(|u| u.name.as_deref()));
            for name in names {
                let path = match spec.models.iter().any(|m| m.name == model.name) {
                    true => model_path(&model.name),
                    false => Path::root().key("models"),
                };
                if let Some(table) = tables.get(&name.to_lowercase()) {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            path.clone(),
                            format!("index name `{name}` in `{}` is also the name of table `{table}` (names compared without case)", model.name),
                        )
                        .at_key()
                        .help("PostgreSQL and SQLite keep tables and indexes in one namespace; set another `name:`"),
                    );
                }
                if let Some(first) = seen.insert(name.to_lowercase(), model.name.as_str()) {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::DuplicateName,
                            path,
                            format!("index name `{name}` in `{}` is already used in `{first}`", model.name),
                        )
                        .at_key()
                        .help("index names must be unique across the schema; set `name:` on one of them"),
                    );
                }
            }
        }
    }
}

/// Whether two relations paired by `back_populates` ride on the same foreign key(s):
/// one-to-many and many-to-one share one; two many-to-many use one join table from
/// opposite ends.
fn same_link(a: &Relation, b: &Relation) -> bool {
    match a.kind {
        RelationKind::ManyToMany => {
            a.through == b.through && a.foreign_key == b.target_foreign_key && a.target_foreign_key == b.foreign_key
        }
        _ => a.foreign_key == b.foreign_key,
    }
}

fn column(field: &FieldSpec, mixin: Option<&str>) -> Column {
    Column {
        name: field.name.clone(),
        ty: field.ty.clone(),
        nullable: field.nullable,
        primary_key: field.primary_key,
        autoincrement: false,
        default: field.default.clone(),
        server_default: field.server_default.clone(),
        on_update: field.on_update,
        secret: field.secret,
        doc: field.doc.clone(),
        mixin: mixin.map(str::to_owned),
        renamed_from: field.renamed_from.clone(),
    }
}

/// Join tables synthesized from `through:`, in first-use order.
#[derive(Default)]
struct Joins {
    tables: Vec<Model>,
}

impl Joins {
    /// Creates `through` for `model`↔`target`, or checks the other side of an existing one.
    /// Returns (this side's column, the target's column).
    fn link(
        &mut self,
        cx: &mut Lower,
        through: &str,
        model: &Model,
        target: &Model,
        path: &Path,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let own = join_column(&model.name);
        let other = join_column(&target.name);
        if own == other {
            cx.error(
                Diagnostic::new(
                    ErrorKind::BadRelation,
                    path.key("through"),
                    format!("a self-referential many-to-many needs a join model, and `{through}` is not one"),
                )
                .help(format!(
                    "declare a model with table `{through}` and two foreign keys to `{}`, then name it in `through:`",
                    model.name
                )),
            );
            return None;
        }
        if let Some(join) = self.tables.iter().find(|t| t.table == through) {
            let links = |col: &str, to: &Model| {
                join.foreign_keys
                    .iter()
                    .any(|fk| fk.columns == [col] && fk.target_model == to.name)
            };
            if links(&own, model) && links(&other, target) {
                return Some((vec![own], vec![other]));
            }
            let linked: Vec<_> = join.foreign_keys.iter().map(|fk| fk.target_model.as_str()).collect();
            cx.error(
                Diagnostic::new(
                    ErrorKind::BadRelation,
                    path.key("through"),
                    format!("join table `{through}` already links {}", linked.join(" and ")),
                )
                .help("use another `through:` table for this relation"),
            );
            return None;
        }
        let mut columns = Vec::new();
        let mut foreign_keys = Vec::new();
        for (col, side) in [(&own, model), (&other, target)] {
            let [pk] = side.primary_key.as_slice() else {
                cx.error(
                    Diagnostic::new(
                        ErrorKind::BadRelation,
                        path.key("through"),
                        format!(
                            "`{}` needs a single-column primary key for join table `{through}`",
                            side.name
                        ),
                    )
                    .help("declare a join model with explicit foreign keys instead"),
                );
                return None;
            };
            let ty = side.column(pk).map(|c| c.ty.clone())?;
            columns.push(Column {
                name: col.clone(),
                ty,
                nullable: false,
                primary_key: true,
                autoincrement: false,
                default: None,
                server_default: None,
                on_update: None,
                secret: false,
                doc: None,
                mixin: None,
                renamed_from: None,
            });
            foreign_keys.push(ForeignKey {
                columns: vec![col.clone()],
                target_model: side.name.clone(),
                target_table: side.table.clone(),
                target_columns: vec![pk.clone()],
                on_delete: None,
                on_update: None,
            });
        }
        self.tables.push(Model {
            name: through.to_owned(),
            table: through.to_owned(),
            kind: ModelKind::Join,
            doc: Some(format!("Join table of {} and {}.", model.name, target.name)),
            mixins: Vec::new(),
            primary_key: columns.iter().map(|c| c.name.clone()).collect(),
            columns,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys,
            relations: Vec::new(),
            repr: Vec::new(),
            soft_delete: None,
            renamed_from: None,
        });
        Some((vec![own], vec![other]))
    }
}
