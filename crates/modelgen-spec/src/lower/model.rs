//! One model on its own: its columns (own, then mixins'), primary key, autoincrement,
//! uniques, indexes and repr.

use super::checks::column_lookup;
use super::*;
use modelgen_ir::naming::{Kind, Parts};

/// A constraint over `columns` of `table`, with the name the spec gives it.
fn parts<'a>(table: &'a str, columns: &'a [String], name: Option<&'a str>) -> Parts<'a> {
    Parts {
        table,
        columns,
        name,
        ..Parts::default()
    }
}

impl Lower<'_> {
    /// Rejects `soft_delete: gone_at` when the mixin has no nullable datetime `gone_at`.
    pub(super) fn check_mixin(&mut self, mixin: &MixinSpec) {
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

    pub(super) fn model(&mut self, spec: &ModelSpec) -> Model {
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
        let primary_key = self.primary_key(spec, &mut columns, &path);
        // A `primary_key:` that gave no key is reported as itself.
        if primary_key.is_empty() && !spec.unread_key && spec.primary_key.is_none() {
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
        let key_parts = Parts {
            table: &table,
            columns: &primary_key,
            name: spec.primary_key_name.as_deref(),
            ..Parts::default()
        };
        let primary_key_name = match primary_key.is_empty() {
            true => None,
            false => self.constraint_name(Kind::PrimaryKey, &key_parts, &path.key("primary_key")),
        };
        let mut model = Model {
            name: spec.name.clone(),
            table,
            kind: ModelKind::Entity,
            doc: spec.doc.clone(),
            comment: spec.comment.clone(),
            mixins: spec.mixins.clone(),
            columns,
            primary_key,
            primary_key_name,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            relations: Vec::new(),
            repr: Vec::new(),
            soft_delete,
            renamed_from: spec.renamed_from.clone(),
            checks: Vec::new(),
            naming: self.naming.clone(),
        };
        self.column_constraints(spec, &mut model, &from_fields);
        self.model_indexes(spec, &mut model);
        self.repr(spec, &mut model);
        model
    }

    /// Rejects `Email` next to `email`: SQLite and MySQL compare column names without case.
    /// The primary key: `primary_key: [b, a]` in its own order (its columns marked), or
    /// the fields marked `pk` in field order. Not both: one key, said once.
    fn primary_key(&mut self, spec: &ModelSpec, columns: &mut [Column], path: &Path) -> Vec<String> {
        let flagged: Vec<String> = columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect();
        let Some(listed) = &spec.primary_key else {
            return flagged;
        };
        let kpath = path.key("primary_key");
        if !flagged.is_empty() {
            self.error(
                Diagnostic::new(
                    ErrorKind::BadValue,
                    kpath.clone(),
                    format!(
                        "`{}` gives its primary key twice: `primary_key:` and `pk` on {}",
                        spec.name,
                        flagged.join(", ")
                    ),
                )
                .at_key()
                .help(
                    "keep `primary_key: [...]` for a key in an order of its own, or `pk` on the fields for their order",
                ),
            );
            return flagged;
        }
        if listed.is_empty() {
            self.error(
                Diagnostic::new(ErrorKind::BadValue, kpath, "`primary_key:` lists no field")
                    .expected("the key's fields in order, e.g. `primary_key: [tenant_id, id]`"),
            );
            return Vec::new();
        }
        let mut key = Vec::new();
        for (i, name) in listed.iter().enumerate() {
            let at = kpath.index(i);
            if key.contains(name) {
                self.error(Diagnostic::new(
                    ErrorKind::DuplicateName,
                    at,
                    format!("`{name}` is in the primary key twice"),
                ));
                continue;
            }
            match columns.iter_mut().find(|c| c.name == *name) {
                Some(c) => {
                    c.primary_key = true;
                    key.push(name.clone());
                }
                None => self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownReference,
                        at,
                        format!("`{}` has no field `{name}` for its primary key", spec.name),
                    )
                    .help_opt(did_you_mean(name, columns.iter().map(|c| c.name.as_str()))),
                ),
            }
        }
        key
    }

    pub(super) fn check_case_clashes(&mut self, spec: &ModelSpec, columns: &[Column]) {
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
    /// foreign key or a default (client or server side, as SQLAlchemy 2.0 decides it); an
    /// explicit `autoincrement` elsewhere is an error (`name: str(9) autoincrement`, or a key
    /// with a `server_default`, which PostgreSQL's identity and MySQL's AUTO_INCREMENT refuse).
    pub(super) fn resolve_autoincrement(
        &mut self,
        spec: &ModelSpec,
        columns: &mut [Column],
        fields: &[&FieldSpec],
        pk: &[String],
    ) {
        for (col, field) in columns.iter_mut().zip(fields) {
            let eligible = col.primary_key
                && pk.len() == 1
                && is_integer(&col.ty)
                && field.foreign_key.is_none()
                && !spec.foreign_keys.iter().any(|fk| fk.columns.contains(&field.name))
                && col.default.is_none()
                && col.server_default.is_none();
            col.autoincrement = match field.autoincrement {
                Some(true) if !eligible => {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadValue,
                            field_path(&spec.name, &field.name),
                            format!(
                                "`{}` cannot autoincrement: only a lone int or bigint primary key without a foreign key or a default can",
                                field.name
                            ),
                        )
                        .highlight("autoincrement")
                        .help(match &field.generator {
                            Some(g) if !g.is_identity() => format!("remove `autoincrement: {}`, or make the field a lone integer key", g.describe()),
                            _ => "remove `autoincrement`".to_owned(),
                        }),
                    );
                    false
                }
                Some(explicit) => explicit,
                None => eligible,
            };
            if col.autoincrement {
                col.generator = field.generator.clone().unwrap_or_default();
            }
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
    pub(super) fn column_constraints(&mut self, spec: &ModelSpec, model: &mut Model, fields: &[&FieldSpec]) {
        for field in fields {
            if (field.unique, field.index) == (Uniqueness::No, false) {
                continue;
            }
            let columns = vec![field.name.clone()];
            let path = field_path(&spec.name, &field.name);
            let name = match (field.unique, field.index) {
                (Uniqueness::No, false) | (Uniqueness::Yes, false) => String::new(),
                _ => self
                    .constraint_name(Kind::Index, &parts(&model.table, &columns, None), &path)
                    .unwrap_or_else(|| format!("ix_{}_{}", model.table, field.name)),
            };
            match (field.unique, field.index) {
                (Uniqueness::No, false) => {}
                (Uniqueness::No, true) => model.indexes.push(Index {
                    name,
                    columns: keys(columns),
                    unique: false,
                    live_only: false,
                    predicate: None,
                }),
                (Uniqueness::Yes, true) => model.indexes.push(Index {
                    name,
                    columns: keys(columns),
                    unique: true,
                    live_only: false,
                    predicate: None,
                }),
                (Uniqueness::Yes, false) => {
                    let name = self.constraint_name(Kind::Unique, &parts(&model.table, &columns, None), &path);
                    self.push_unique(model, Unique { name, columns }, path);
                }
                (Uniqueness::Live, _) => {
                    if self.require_soft_delete(spec, model, field_path(&spec.name, &field.name).key("unique")) {
                        model.indexes.push(Index {
                            name,
                            columns: keys(columns),
                            unique: true,
                            live_only: true,
                            predicate: None,
                        });
                    }
                }
            }
        }
    }

    /// `live` uniqueness only means something on a soft-delete model.
    pub(super) fn require_soft_delete(&mut self, spec: &ModelSpec, model: &Model, path: Path) -> bool {
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

    pub(super) fn model_indexes(&mut self, spec: &ModelSpec, model: &mut Model) {
        let path = model_path(&spec.name);
        for (i, index) in spec.indexes.iter().enumerate() {
            let ipath = path.key("indexes").index(i);
            let Some(columns) = self.index_keys(model, &index.columns, &ipath.key("columns")) else {
                continue;
            };
            if index.live && !self.require_soft_delete(spec, model, ipath.key("live")) {
                continue;
            }
            let predicate = match &index.predicate {
                None => None,
                Some(_) if index.live => {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadValue,
                            ipath.key("live"),
                            "an index with `where:` cannot also be `live`",
                        )
                        .at_key()
                        .help(format!(
                            "say it in the condition: `where: \"{} is null and …\"`",
                            model.soft_delete.as_deref().unwrap_or("deleted_at")
                        )),
                    );
                    continue;
                }
                Some(text) => {
                    let lookup = column_lookup(model);
                    let parsed = parse_check(text).and_then(|mut e| check_types(text, &mut e, &lookup).map(|()| e));
                    match parsed {
                        Ok(e) => Some(e),
                        Err(e) => {
                            self.check_error(ipath.key("where"), "index `where:`", e);
                            continue;
                        }
                    }
                }
            };
            let words = modelgen_ir::key_words(&columns);
            let given = parts(&model.table, &words, index.name.as_deref());
            let name = self
                .constraint_name(Kind::Index, &given, &ipath)
                .unwrap_or_else(|| index_name(&model.table, &columns));
            let index_ir = Index {
                name,
                columns,
                unique: index.unique,
                live_only: index.live,
                predicate,
            };
            if let Some((d, (why, help))) = self
                .dialects
                .iter()
                .find_map(|&d| Some((d, index_ir.unsupported_on(d)?)))
            {
                let at = match index.predicate {
                    Some(_) => ipath.key("where"),
                    None => {
                        let k = index
                            .columns
                            .iter()
                            .position(|k| matches!(k, KeySpec::Expr(_)))
                            .unwrap_or(0);
                        ipath.key("columns").index(k)
                    }
                };
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        at,
                        format!(
                            "index `{}` {why}, and {} is one of the migrations' dialects",
                            index_ir.name,
                            d.name()
                        ),
                    )
                    .help(help),
                );
                continue;
            }
            model.indexes.push(index_ir);
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
            let given = parts(&model.table, &unique.columns, unique.name.as_deref());
            let name = self.constraint_name(Kind::Unique, &given, &upath);
            if unique.live {
                if self.require_soft_delete(spec, model, upath.key("live")) {
                    let name = name.unwrap_or_else(|| format!("uq_{}_{}", model.table, unique.columns.join("_")));
                    model.indexes.push(Index {
                        name,
                        columns: keys(unique.columns.clone()),
                        unique: true,
                        live_only: true,
                        predicate: None,
                    });
                }
            } else {
                let unique = Unique {
                    name,
                    columns: unique.columns.clone(),
                };
                self.push_unique(model, unique, upath);
            }
        }
    }

    /// Adds a unique constraint, rejecting one over the primary key's columns or over the
    /// columns of an earlier one (`id: int pk unique`): PostgreSQL and SQLite drop such a
    /// duplicate without a word while MySQL keeps it, so the databases would disagree.
    pub(super) fn push_unique(&mut self, model: &mut Model, unique: Unique, path: Path) {
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
    pub(super) fn check_columns(&mut self, model: &Model, columns: &[String], path: &Path) -> bool {
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

    /// An index's keys: fields checked to be columns, expressions parsed and type-checked
    /// in the check language (one that is a bare field is that column). `None` after an
    /// error.
    fn index_keys(&mut self, model: &Model, keys: &[KeySpec], path: &Path) -> Option<Vec<IndexKey>> {
        if keys.is_empty() {
            return self.check_columns(model, &[], path).then(Vec::new);
        }
        let mut ok = true;
        let mut out = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            match key {
                KeySpec::Column(col) => {
                    if model.column(col).is_none() {
                        self.unknown_column(model, col, path.index(i));
                        ok = false;
                    }
                    out.push(IndexKey::Column(col.clone()));
                }
                KeySpec::Expr(text) => {
                    let lookup = column_lookup(model);
                    let parsed = parse_check(text).and_then(|mut e| check_key_types(text, &mut e, &lookup).map(|()| e));
                    match parsed {
                        Ok(Expr::Column { name }) => out.push(IndexKey::Column(name)),
                        Ok(e) => out.push(IndexKey::Expr(e)),
                        Err(e) => {
                            self.check_error(path.index(i).key("expr"), "index key", e);
                            ok = false;
                        }
                    }
                }
            }
        }
        ok.then_some(out)
    }

    pub(super) fn unknown_column(&mut self, model: &Model, col: &str, path: Path) {
        self.error(
            Diagnostic::new(
                ErrorKind::UnknownReference,
                path,
                format!("`{}` has no column `{col}`", model.name),
            )
            .help_opt(did_you_mean(col, model.columns.iter().map(|c| c.name.as_str()))),
        );
    }

    pub(super) fn repr(&mut self, spec: &ModelSpec, model: &mut Model) {
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
}

fn column(field: &FieldSpec, mixin: Option<&str>) -> Column {
    Column {
        name: field.name.clone(),
        ty: field.ty.clone(),
        nullable: field.nullable,
        primary_key: field.primary_key,
        autoincrement: false,
        generator: modelgen_ir::Generator::Identity,
        default: field.default.clone(),
        server_default: field.server_default.clone(),
        on_update: field.on_update,
        app_on_update: field.app_on_update,
        secret: field.secret,
        doc: field.doc.clone(),
        comment: field.comment.clone(),
        mixin: mixin.map(str::to_owned),
        renamed_from: field.renamed_from.clone(),
        rust_type: field.rust_type.clone(),
        check_name: None,
    }
}

impl Lower<'_> {
    /// Rejects the types a listed database cannot hold: a `decimal` wider than SQLite can
    /// keep (it holds a `NUMERIC` value that looks like a number as a 64-bit float, exact
    /// to 15 significant digits, so `decimal(20, 4)` would lose digits without a word), and
    /// `str` without a length on MySQL, whose VARCHAR needs one.
    pub(super) fn check_dialect_types(&mut self, spec: &Spec, models: &[Model]) {
        let dialects = &spec.output.migrations.dialects;
        for &dialect in dialects {
            self.check_unsupported_types(dialect, models);
            self.check_unsupported_checks(dialect, models);
        }
        if !dialects.contains(&modelgen_ir::Dialect::Sqlite) {
            return;
        }
        for model in models.iter().filter(|m| m.kind == ModelKind::Entity) {
            for c in &model.columns {
                let LogicalType::Decimal { precision, .. } = c.ty else {
                    continue;
                };
                if precision <= SQLITE_EXACT_DIGITS {
                    continue;
                }
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadTypeParams,
                        column_path(&model.name, c),
                        format!(
                            "`{}.{}` is {}, but SQLite, one of the migrations' dialects, keeps decimals exact only to {SQLITE_EXACT_DIGITS} significant digits",
                            model.name, c.name, c.ty
                        ),
                    )
                    .help(format!(
                        "use a precision of {SQLITE_EXACT_DIGITS} or less, or store the value as `str(n)`, or leave SQLite out of `dialects`"
                    )),
                );
            }
        }
    }
}

impl Lower<'_> {
    fn check_unsupported_checks(&mut self, dialect: modelgen_ir::Dialect, models: &[Model]) {
        for model in models.iter().filter(|m| m.kind == ModelKind::Entity) {
            for check in &model.checks {
                let Some((why, help)) = check.unsupported_on(model, dialect) else {
                    continue;
                };
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        model_path(&model.name).key("checks").key(&check.name),
                        format!(
                            "check `{}` of `{}` {why}, and {} is one of the migrations' dialects",
                            check.name,
                            model.name,
                            dialect.name()
                        ),
                    )
                    .at_key()
                    .help(help),
                );
            }
        }
    }

    fn check_unsupported_types(&mut self, dialect: modelgen_ir::Dialect, models: &[Model]) {
        for model in models.iter().filter(|m| m.kind == ModelKind::Entity) {
            for c in &model.columns {
                let Some((why, help)) = c.unsupported_on(dialect) else {
                    continue;
                };
                let (kind, path) = match c.server_default {
                    Some(modelgen_ir::DefaultValue::Sql(_)) if c.ty != (LogicalType::Str { max_length: None }) => (
                        ErrorKind::BadDefault,
                        column_path(&model.name, c).key("server_default_sql"),
                    ),
                    _ => (ErrorKind::BadTypeParams, column_path(&model.name, c)),
                };
                self.error(
                    Diagnostic::new(
                        kind,
                        path,
                        format!(
                            "`{}.{}` {why}, and {} is one of the migrations' dialects",
                            model.name,
                            c.name,
                            dialect.name()
                        ),
                    )
                    .help(help),
                );
            }
        }
    }

    /// Rejects the `rust_type`s generated code cannot serve: a literal `default` for a type
    /// of the application's own (the code would have to build one from the spec's text),
    /// and a decimal read as `String` through sqlx on PostgreSQL, which binds a `String`
    /// as `text` and has no implicit cast from it to `NUMERIC`.
    pub(super) fn check_rust_types(&mut self, spec: &Spec, models: &[Model]) {
        let sqlx_postgres = spec.output.rust.as_ref().is_some_and(|r| r.sqlx)
            && spec
                .output
                .migrations
                .dialects
                .contains(&modelgen_ir::Dialect::Postgres);
        for model in models {
            for c in &model.columns {
                let Some(rust) = &c.rust_type else { continue };
                let path = column_path(&model.name, c);
                let own = modelgen_ir::is_own_type(rust) && !matches!(c.ty, LogicalType::Json { .. });
                if own && c.default.is_some() {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadDefault,
                            path.key("default"),
                            format!(
                                "`{}.{}` is a `{rust}`, which the generated code cannot build from the spec's `default`",
                                model.name, c.name
                            ),
                        )
                        .help("set the value where the row is made (or use `server_default:`), or drop `rust_type`"),
                    );
                }
                if sqlx_postgres && matches!(c.ty, LogicalType::Decimal { .. }) && rust == "String" {
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadValue,
                            path.key("rust_type"),
                            format!(
                                "`{}.{}` is a {} read as `String`, which sqlx cannot write to PostgreSQL: it binds a `String` as text, and PostgreSQL does not turn text into NUMERIC",
                                model.name, c.name, c.ty
                            ),
                        )
                        .help("use `rust_type: f64`, or drop `rust_type` for the exact `rust_decimal::Decimal`"),
                    );
                }
            }
        }
    }
}

/// The significant digits a SQLite `NUMERIC` value keeps (it converts numbers to REAL).
const SQLITE_EXACT_DIGITS: u32 = 15;
