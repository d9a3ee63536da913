//! The MySQL reader against what modelgen writes: each spec's first migration applied to a
//! real MariaDB server, its catalog read back and compared with the IR. Skips loudly when
//! MariaDB is not installed (a failure under CI=true, through `shared_mariadb`).

use modelgen_ir::{Dialect, FkAction, JsonShape, LogicalType, Schema};
use modelgen_pull::catalog::{Catalog, Generated, Key};
use std::sync::atomic::{AtomicUsize, Ordering};

mod common;
use common::{assert_checks, assert_foreign_keys, column, load, model, names, spec_files, stored_as, table};

const DIALECT: Dialect = Dialect::Mysql;

/// The column modelgen adds on MySQL for a live-only index (modelgen-sql's
/// `MYSQL_LIVE_COLUMN`): the database's, not the spec's.
const LIVE_COLUMN: &str = "modelgen_live";

/// Whether MySQL can build the spec: `str` without a length and partial or expression
/// indexes it cannot.
fn fits(schema: &Schema) -> bool {
    schema.models.iter().all(|m| {
        m.columns.iter().all(|c| c.unsupported_on(Dialect::Mysql).is_none())
            && m.indexes.iter().all(|i| i.unsupported_on(Dialect::Mysql).is_none())
            && m.checks.iter().all(|c| c.unsupported_on(m, Dialect::Mysql).is_none())
    })
}

/// A fresh database holding `sql`, read back; `None` without a server.
fn pull_sql(name: &str, sql: &str) -> Option<Catalog> {
    let mariadb = modelgen_testdb::shared_mariadb()?;
    // Tests run in parallel and several read the same spec: a database each.
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = format!("pull_{name}_{}", N.fetch_add(1, Ordering::Relaxed));
    mariadb.create_database(&db);
    mariadb.exec(&db, sql).unwrap_or_else(|e| panic!("{db}: {e}\n{sql}"));
    let (dialect, catalog) = modelgen_pull::read_catalog(&mariadb.url(&db)).unwrap_or_else(|e| panic!("{db}: {e}"));
    assert_eq!(dialect, Dialect::Mysql);
    Some(catalog)
}

/// The spec's first migration applied and read back.
fn pull_spec(file: &str) -> Option<(Schema, Catalog)> {
    let schema = load(file);
    assert!(fits(&schema), "{file}: MySQL cannot build it");
    let up = modelgen_migrate::initial(&schema, Dialect::Mysql).0.sql;
    let catalog = pull_sql(file.trim_end_matches(".yaml"), &up)?;
    Some((schema, catalog))
}

/// The type a column of `ty` reads back as on MySQL, the documented losses applied:
/// `datetime(tz)` is DATETIME as `datetime` is, a JSON shape is not stored, `bool(check)`'s
/// CHECK is a check of its own, a non-native enum is a VARCHAR. An enum's names are not
/// stored either: [`same_type`] compares its values and nativeness only.
fn as_mysql_keeps(ty: &LogicalType) -> LogicalType {
    match ty {
        LogicalType::DateTime { .. } => LogicalType::DateTime { timezone: false },
        LogicalType::Json { .. } => LogicalType::Json { shape: JsonShape::Any },
        LogicalType::Bool { .. } => LogicalType::Bool { check: false },
        LogicalType::Enum(e) if e.as_varchar(Dialect::Mysql) => LogicalType::Str {
            max_length: Some(e.max_length()),
        },
        other => other.clone(),
    }
}

fn same_type(read: &LogicalType, written: &LogicalType) -> bool {
    match (read, as_mysql_keeps(written)) {
        (LogicalType::Enum(r), LogicalType::Enum(w)) => (&r.values, r.native) == (&w.values, w.native),
        (read, written) => *read == written,
    }
}

/// Every table and every column of every model: present, in the same order, with the type
/// modelgen wrote it from, its nullability, numbering and whether it has a default; and
/// every index and unique constraint as a MySQL index, no more (none InnoDB made for a
/// foreign key).
fn assert_tables(file: &str, schema: &Schema, catalog: &Catalog) {
    assert_eq!(
        catalog.tables.len(),
        schema.models.len(),
        "{file}: {:?}",
        names(catalog)
    );
    let mut sorted = names(catalog);
    sorted.sort();
    assert_eq!(names(catalog), sorted, "{file}: tables in name order");
    for model in &schema.models {
        let table = table(catalog, &model.table);
        let columns: Vec<_> = table.columns.iter().filter(|c| c.name != LIVE_COLUMN).collect();
        assert_eq!(columns.len(), model.columns.len(), "{file}: {}", model.table);
        for (read, c) in columns.iter().zip(&model.columns) {
            assert!(
                stored_as(&c.name, &read.name),
                "{file}: {}.{} read as {}",
                model.table,
                c.name,
                read.name
            );
            let at = format!("{file}: {}.{} ({})", model.table, c.name, read.db_type);
            let ty = read.ty.as_ref().unwrap_or_else(|e| panic!("{at}: {e}"));
            assert!(same_type(ty, &c.ty), "{at}: {ty:?} read for {:?}", c.ty);
            assert_eq!(read.nullable, c.nullable, "{at}: nullable");
            let generated = c.autoincrement.then_some(Generated::Identity);
            assert_eq!(read.generated, generated, "{at}: generated");
            assert_eq!(
                read.default.is_some(),
                c.server_default.is_some(),
                "{at}: {:?}",
                read.default
            );
            assert_eq!(
                read.on_update_now,
                c.on_update == Some(modelgen_ir::OnUpdate::Now),
                "{at}: on update"
            );
        }
        let pk_at = format!("{file}: {} primary key {:?}", model.table, table.primary_key);
        assert_eq!(table.primary_key.len(), model.primary_key.len(), "{pk_at}");
        for (read, written) in table.primary_key.iter().zip(&model.primary_key) {
            assert!(stored_as(written, read), "{pk_at}");
        }
        assert_eq!(table.primary_key_name, None);
        assert!(table.uniques.is_empty(), "{file}: {:?}", table.uniques);
        for ix in &model.indexes {
            let read = table
                .indexes
                .iter()
                .find(|r| stored_as(&ix.name, &r.name))
                .unwrap_or_else(|| panic!("{file}: no index {} in {:?}", ix.name, table.indexes));
            assert_eq!(read.unique, ix.unique, "{file}: {read:?}");
            assert_eq!(read.predicate, None);
        }
        assert_eq!(
            table.indexes.len(),
            model.indexes.len() + model.uniques.len(),
            "{file}: {}: {:?}",
            model.table,
            table.indexes
        );
        assert_eq!(
            table.foreign_keys.len(),
            model.foreign_keys.len(),
            "{file}: {}",
            model.table
        );
    }
}

#[test]
fn every_spec_mysql_builds_reads_back_as_written() {
    let files = spec_files();
    let mut read = 0;
    for file in files.iter().filter(|f| fits(&load(f))) {
        let Some((schema, catalog)) = pull_spec(file) else {
            return;
        };
        assert_tables(file, &schema, &catalog);
        read += 1;
    }
    assert!(read > 20, "only {read} specs fit MySQL");
}

#[test]
fn all_types_read_as_their_logical_types_but_for_the_known_losses() {
    let Some((schema, catalog)) = pull_spec("all_types.yaml") else {
        return;
    };
    assert_tables("all_types.yaml", &schema, &catalog);
    let sample = table(&catalog, &schema.models[0].table);
    let ty = |name: &str| column(sample, name).ty.clone();
    assert_eq!(ty("id"), Ok(LogicalType::BigInt));
    assert_eq!(ty("code"), Ok(LogicalType::Str { max_length: Some(8) }));
    assert_eq!(ty("body"), Ok(LogicalType::Text));
    assert_eq!(ty("count"), Ok(LogicalType::Int));
    assert_eq!(ty("ratio"), Ok(LogicalType::Float));
    assert_eq!(
        ty("price"),
        Ok(LogicalType::Decimal {
            precision: 10,
            scale: 2
        })
    );
    assert_eq!(ty("enabled"), Ok(LogicalType::Bool { check: false }));
    assert_eq!(ty("seen_at"), Ok(LogicalType::DateTime { timezone: false }));
    // DATETIME either way: the time zone is not stored.
    assert_eq!(ty("seen_at_tz"), Ok(LogicalType::DateTime { timezone: false }));
    assert_eq!(ty("born_on"), Ok(LogicalType::Date));
    assert_eq!(ty("token"), Ok(LogicalType::Uuid));
    for json in ["payload", "tags", "counters", "matrix"] {
        assert_eq!(ty(json), Ok(LogicalType::Json { shape: JsonShape::Any }), "{json}");
    }
    // MariaDB's JSON is a LONGTEXT with a JSON_VALID check: the type, not a check.
    assert!(sample.checks.is_empty(), "{:?}", sample.checks);
    assert_eq!(column(sample, "id").generated, Some(Generated::Identity));
    assert_eq!(column(sample, "count").default.as_deref(), Some("0"));
    assert_eq!(column(sample, "price").default.as_deref(), Some("0.00"));
    assert_eq!(column(sample, "enabled").default.as_deref(), Some("0"));
    assert_eq!(
        column(sample, "seen_at").default.as_deref(),
        Some("current_timestamp()")
    );
    // An application-side default is not the database's.
    assert_eq!(column(sample, "code").default, None);
    assert_eq!(column(sample, "body").default, None);
    assert!(catalog.other.is_empty(), "{:?}", catalog.other);

    let Some((schema, catalog)) = pull_spec("smallint_and_time.yaml") else {
        return;
    };
    assert_tables("smallint_and_time.yaml", &schema, &catalog);
    let types: Vec<LogicalType> = catalog
        .tables
        .iter()
        .flat_map(|t| t.columns.iter().map(|c| c.ty.clone().unwrap()))
        .collect();
    assert!(types.contains(&LogicalType::SmallInt) && types.contains(&LogicalType::Time));

    let Some((schema, catalog)) = pull_spec("bytes.yaml") else {
        return;
    };
    assert_tables("bytes.yaml", &schema, &catalog);
    let types: Vec<LogicalType> = catalog
        .tables
        .iter()
        .flat_map(|t| t.columns.iter().map(|c| c.ty.clone().unwrap()))
        .collect();
    assert!(types.contains(&LogicalType::Bytes { max_length: None }), "{types:?}");
    assert!(types
        .iter()
        .any(|t| matches!(t, LogicalType::Bytes { max_length: Some(_) })));
}

#[test]
fn enums_read_as_native_enums_named_after_table_and_column() {
    let Some((schema, catalog)) = pull_spec("enum_columns.yaml") else {
        return;
    };
    assert_tables("enum_columns.yaml", &schema, &catalog);
    let post = table(&catalog, &model(&schema, "post").table);
    let status = column(post, "status");
    let Ok(LogicalType::Enum(e)) = &status.ty else {
        panic!("{status:?}")
    };
    assert_eq!((e.name.as_str(), e.type_name.as_str()), ("PostStatus", "post_status"));
    assert_eq!(e.values, ["draft", "published", "in-review"]);
    assert!(e.native && !e.check && e.renamed_values.is_empty());
    assert_eq!(status.default.as_deref(), Some("'draft'"));
    assert_eq!(status.db_type, "enum('draft','published','in-review')");
    // `native: false`: a VARCHAR as long as the longest value, and its CHECK.
    assert_eq!(
        column(post, "visibility").ty,
        Ok(LogicalType::Str { max_length: Some(7) })
    );
    assert!(
        post.checks.iter().any(|c| c.name.as_deref() == Some("visibility")),
        "{:?}",
        post.checks
    );
    let Ok(LogicalType::Enum(kind)) = &column(post, "kind").ty else {
        panic!()
    };
    assert_eq!(
        (kind.name.as_str(), kind.values.as_slice()),
        ("PostKind", &["article".to_owned(), "link".to_owned()][..])
    );
}

fn action(a: Option<FkAction>) -> Option<String> {
    match a {
        None | Some(FkAction::NoAction) | Some(FkAction::Restrict) => None,
        Some(a) => Some(a.sql().to_owned()),
    }
}

#[test]
fn composite_foreign_keys_keep_their_columns_targets_and_actions() {
    let Some((schema, catalog)) = pull_spec("composite_foreign_keys.yaml") else {
        return;
    };
    assert_tables("composite_foreign_keys.yaml", &schema, &catalog);
    assert_foreign_keys(&schema, &catalog, action);
    let lines = table(&catalog, "order_lines");
    let order = lines.foreign_keys.iter().find(|f| f.target_table == "orders").unwrap();
    assert_eq!(order.columns, ["order_region", "order_number"]);
    assert_eq!(order.target_columns, ["region", "number"]);
    assert_eq!(order.on_delete.as_deref(), Some("CASCADE"));
    assert_eq!(order.on_update.as_deref(), Some("CASCADE"));
    let stock = lines
        .foreign_keys
        .iter()
        .find(|f| f.target_table == "warehouses")
        .unwrap();
    assert_eq!(stock.name.as_deref(), Some("fk_order_lines_stock"));
    assert_eq!(stock.on_delete.as_deref(), Some("SET NULL"));
    assert_eq!(stock.on_update, None);
    // InnoDB's indexes for the two keys (`order_region`, `fk_order_lines_stock`) are not
    // the schema's.
    assert!(lines.indexes.is_empty(), "{:?}", lines.indexes);
    assert_eq!(table(&catalog, "orders").primary_key, ["region", "number"]);
    // The composite unique the second key references is a unique index.
    let warehouses = table(&catalog, "warehouses");
    assert_eq!(warehouses.indexes.len(), 1);
    assert!(warehouses.indexes[0].unique);
    assert_eq!(
        warehouses.indexes[0].keys,
        [Key::Column("region".into()), Key::Column("code".into())]
    );
}

#[test]
fn every_key_generator_reads_as_auto_increment_identity() {
    let Some((schema, catalog)) = pull_spec("key_generators.yaml") else {
        return;
    };
    assert_tables("key_generators.yaml", &schema, &catalog);
    for t in ["accounts", "events", "invoices", "notes"] {
        let id = column(table(&catalog, t), "id");
        assert_eq!(id.generated, Some(Generated::Identity), "{t}");
        assert_eq!(id.default, None, "{t}");
    }
    assert_eq!(column(table(&catalog, "events"), "account_id").generated, None);
    // MySQL has no sequence behind AUTO_INCREMENT: nothing left over.
    assert!(catalog.other.is_empty(), "{:?}", catalog.other);
}

#[test]
fn comments_read_back_as_written() {
    let Some((schema, catalog)) = pull_spec("comments.yaml") else {
        return;
    };
    assert_tables("comments.yaml", &schema, &catalog);
    for model in &schema.models {
        let read = table(&catalog, &model.table);
        assert_eq!(read.comment, model.comment, "{}", model.table);
        for c in &model.columns {
            assert_eq!(column(read, &c.name).comment, c.comment, "{}.{}", model.table, c.name);
        }
    }
    assert!(schema.models.iter().any(|m| m.comment.is_some()));
    // The foreign key is served by the declared index: InnoDB made none.
    let notes = table(&catalog, "notes");
    let mut indexes: Vec<&str> = notes.indexes.iter().map(|i| i.name.as_str()).collect();
    indexes.sort();
    assert_eq!(indexes, ["ix_notes_author_id", "ix_notes_plain_author"]);
}

#[test]
fn on_update_now_reads_from_extra() {
    let Some((schema, catalog)) = pull_spec("app_on_update.yaml") else {
        return;
    };
    assert_tables("app_on_update.yaml", &schema, &catalog);
    let on_update = schema
        .models
        .iter()
        .flat_map(|m| m.columns.iter().map(move |c| (m, c)))
        .find(|(_, c)| c.on_update == Some(modelgen_ir::OnUpdate::Now));
    let (m, c) = on_update.expect("app_on_update.yaml has an `on_update: now` column");
    assert!(column(table(&catalog, &m.table), &c.name).on_update_now);
    // `app_on_update` is the application's: nothing in the database.
    let post = table(&catalog, "post");
    assert!(!column(post, "edited_at").on_update_now);
}

#[test]
fn checks_keep_their_names_and_conditions() {
    for file in ["checks.yaml", "bool_check.yaml", "enum_columns.yaml"] {
        let Some((schema, catalog)) = pull_spec(file) else {
            return;
        };
        assert_tables(file, &schema, &catalog);
        assert_checks(file, &schema, &catalog);
    }
    let Some((_, catalog)) = pull_spec("checks.yaml") else {
        return;
    };
    let order = table(&catalog, "order");
    let check = |name: &str| {
        order
            .checks
            .iter()
            .find(|c| c.name.as_deref() == Some(name))
            .unwrap()
            .sql
            .clone()
    };
    assert_eq!(check("orders_total_nonneg"), "`total` >= 0");
    // Raw SQL comes back as the server rewrote it (MariaDB: `BINARY x` is a cast).
    assert!(
        check("orders_code_upper").starts_with("`code` = "),
        "{}",
        check("orders_code_upper")
    );

    let Some((_, catalog)) = pull_spec("bool_check.yaml") else {
        return;
    };
    let switch = table(&catalog, "switch");
    // `bool(check)` is a BOOLEAN beside its CHECK, named ck_<table>_<column>.
    assert_eq!(column(switch, "on").ty, Ok(LogicalType::Bool { check: false }));
    let on = switch
        .checks
        .iter()
        .find(|c| c.name.as_deref() == Some("ck_switch_on"))
        .unwrap();
    assert!(on.sql.contains("`on`") && on.sql.contains("in (0,1)"), "{on:?}");
}

/// InnoDB's own index for a foreign key no index serves is named after the key's first
/// column, `_2` for the second unnamed key on it, or after a named key: none is the
/// schema's. An index the schema declares on a key's columns stays.
#[test]
fn indexes_innodb_makes_for_foreign_keys_are_left_out() {
    let yaml = "models:
  Project:
    table: projects
    fields:
      tenant_id: int pk
      id: int pk
  Person:
    table: people
    fields:
      tenant_id: int pk
      id: int pk
  Editor:
    table: editors
    fields:
      id: int pk
  Task:
    table: tasks
    fields:
      id: int pk
      tenant_id: int
      project_id: int
      owner_id: int
      reviewer_id: int?
      editor_id: {type: int?, foreign_key: Editor.id, index: true}
    foreign_keys:
      - {columns: [tenant_id, project_id], references: Project}
      - {columns: [tenant_id, owner_id], references: Person}
      - {columns: [tenant_id, reviewer_id], references: Person, name: fk_tasks_reviewer}
";
    let schema = modelgen_spec::load(yaml, "spec.yaml").unwrap_or_else(|d| panic!("{d:?}"));
    let up = modelgen_migrate::initial(&schema, Dialect::Mysql).0.sql;
    let Some(catalog) = pull_sql("fk_indexes", &up) else {
        return;
    };
    assert_tables("fk_indexes", &schema, &catalog);
    let tasks = table(&catalog, "tasks");
    assert_eq!(tasks.foreign_keys.len(), 4);
    let indexes: Vec<&str> = tasks.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(indexes, [model(&schema, "tasks").indexes[0].name.as_str()]);
}

/// What modelgen never writes: read without failing, the types the spec language lacks as
/// reasons, the objects the IR cannot hold in `other`.
#[test]
fn what_modelgen_cannot_write_is_listed_or_refused_not_fatal() {
    let sql = r#"
CREATE TABLE parent (id INT PRIMARY KEY, code CHAR(4) NOT NULL, UNIQUE KEY uq_code (code));
CREATE TABLE shapes (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tags SET('a','b') DEFAULT 'a',
    spot POINT,
    doubled INT AS (parent_id * 2) STORED,
    mood ENUM('it''s','c\\d','x,y') NOT NULL DEFAULT 'x,y',
    note TINYTEXT,
    fine DATETIME(6),
    label VARCHAR(20) DEFAULT 'it''s' COMMENT 'a label',
    body LONGTEXT CHECK (json_length(body) < 5),
    parent_id INT,
    touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT positive CHECK (parent_id > 0),
    CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE RESTRICT ON UPDATE NO ACTION,
    INDEX ix_label_prefix (label(5)),
    INDEX ix_label_desc (label DESC),
    FULLTEXT INDEX ft_note (note)
) COMMENT 'odd shapes';
CREATE VIEW big_shapes AS SELECT id FROM shapes WHERE id > 10;
CREATE TRIGGER shapes_label BEFORE INSERT ON shapes FOR EACH ROW SET NEW.label = upper(NEW.label);
DELIMITER //
CREATE PROCEDURE touch_all() BEGIN UPDATE shapes SET label = label; END//
DELIMITER ;
CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY);
CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE SEQUENCE ids;
CREATE TABLE audit (id INT PRIMARY KEY) WITH SYSTEM VERSIONING;
CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM shapes WHERE id = 0;
"#;
    let Some(catalog) = pull_sql("hand_written", sql) else {
        return;
    };
    assert_eq!(names(&catalog), ["audit", "parent", "shapes"]);
    assert_eq!(
        catalog.other,
        [
            "event nightly",
            "fulltext index ft_note on shapes",
            "procedure touch_all",
            "sequence ids",
            "system versioning of table audit",
            "view big_shapes"
        ]
    );
    let shapes = table(&catalog, "shapes");
    assert_eq!(shapes.comment.as_deref(), Some("odd shapes"));
    let ty = |name: &str| column(shapes, name).ty.clone();
    for (name, db_type) in [
        ("id", "int(10) unsigned"),
        ("tags", "set('a','b')"),
        ("spot", "point"),
        ("note", "tinytext"),
        ("fine", "datetime(6)"),
        ("touched", "timestamp"),
    ] {
        assert_eq!(column(shapes, name).db_type, db_type);
        assert_eq!(
            ty(name),
            Err(format!("MySQL type `{db_type}` has no type in the spec language")),
            "{name}"
        );
    }
    let doubled = ty("doubled").unwrap_err();
    assert!(
        doubled.contains("computed") && doubled.contains("`parent_id` * 2"),
        "{doubled}"
    );
    let Ok(LogicalType::Enum(mood)) = ty("mood") else {
        panic!("{:?}", ty("mood"))
    };
    assert_eq!(mood.values, ["it's", "c\\d", "x,y"]);
    assert_eq!(
        (mood.name.as_str(), mood.type_name.as_str()),
        ("ShapesMood", "shapes_mood")
    );
    assert_eq!(column(shapes, "mood").default.as_deref(), Some("'x,y'"));
    assert_eq!(column(shapes, "label").default.as_deref(), Some("'it''s'"));
    assert_eq!(column(shapes, "label").comment.as_deref(), Some("a label"));
    assert_eq!(column(shapes, "tags").default.as_deref(), Some("'a'"));
    assert_eq!(column(shapes, "spot").default, None);
    assert!(column(shapes, "touched").on_update_now);
    assert_eq!(column(shapes, "id").generated, Some(Generated::Identity));
    // A column check that is not JSON_VALID is the column's constraint, and the column text.
    assert_eq!(ty("body"), Ok(LogicalType::Text));
    let mut checks: Vec<_> = shapes
        .checks
        .iter()
        .map(|c| (c.name.clone().unwrap(), c.sql.clone()))
        .collect();
    checks.sort();
    assert_eq!(
        checks,
        [
            ("body".to_owned(), "json_length(`body`) < 5".to_owned()),
            ("positive".to_owned(), "`parent_id` > 0".to_owned())
        ]
    );
    // RESTRICT and NO ACTION are MySQL's default.
    assert_eq!(shapes.foreign_keys.len(), 1);
    let fk = &shapes.foreign_keys[0];
    assert_eq!((fk.on_delete.clone(), fk.on_update.clone()), (None, None));
    assert_eq!(
        (fk.target_table.as_str(), fk.target_columns.as_slice()),
        ("parent", &["id".to_owned()][..])
    );
    // A prefix or a descending key is no plain column key; InnoDB's index for fk_parent
    // is left out.
    let keys: Vec<(&str, &[Key])> = shapes
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.keys.as_slice()))
        .collect();
    assert_eq!(
        keys,
        [
            ("ix_label_desc", &[Key::Expression("`label` DESC".into())][..]),
            ("ix_label_prefix", &[Key::Expression("`label`(5)".into())][..]),
        ]
    );
    assert_eq!(shapes.triggers.len(), 1);
    assert_eq!(shapes.triggers[0].name, "shapes_label");
    assert_eq!(
        shapes.triggers[0].sql,
        "CREATE TRIGGER `shapes_label` BEFORE INSERT ON `shapes` FOR EACH ROW SET NEW.label = upper(NEW.label)"
    );
    let parent = table(&catalog, "parent");
    assert_eq!(parent.primary_key, ["id"]);
    assert_eq!(parent.indexes.len(), 1);
    assert!(parent.indexes[0].unique && parent.indexes[0].name == "uq_code");
    assert!(parent.uniques.is_empty());
}
