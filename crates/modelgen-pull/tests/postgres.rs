//! The PostgreSQL reader against what modelgen writes: each spec's first migration applied
//! to a real server, its catalog read back and compared with the IR. Skips loudly when
//! PostgreSQL is not installed (a failure under CI=true, through `shared_postgres`).

use modelgen_ir::{Dialect, EnumType, FkAction, LogicalType, Schema};
use modelgen_pull::catalog::{Catalog, Generated, Key};
use std::sync::atomic::{AtomicUsize, Ordering};

mod common;
use common::{assert_checks, assert_foreign_keys, column, load, model, names, spec_files, stored_as, table};

const DIALECT: Dialect = Dialect::Postgres;

/// A fresh database `db` holding `sql`, read back; `None` without a server.
fn pull_sql(db: &str, sql: &str) -> Option<Catalog> {
    let pg = modelgen_testdb::shared_postgres()?;
    let _ = pg.exec("postgres", &format!("DROP DATABASE IF EXISTS \"{db}\";"));
    pg.create_database(db);
    pg.exec(db, sql).unwrap_or_else(|e| panic!("{db}: {e}"));
    let (dialect, catalog) = modelgen_pull::read_catalog(&pg.url(db)).unwrap_or_else(|e| panic!("{db}: {e}"));
    assert_eq!(dialect, Dialect::Postgres);
    Some(catalog)
}

/// The spec's first migration applied and read back.
fn pull_spec(file: &str) -> Option<(Schema, Catalog)> {
    let schema = load(file);
    let up = modelgen_migrate::initial(&schema, Dialect::Postgres).0.sql;
    // Tests run in parallel and several read the same spec: a database each.
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let db = format!("pull_{}_{n}", file.trim_end_matches(".yaml"));
    let catalog = pull_sql(&db, &up)?;
    Some((schema, catalog))
}

/// The type a column of `ty` reads back as on PostgreSQL: what the database cannot tell
/// apart is the same to it (`bool(check)` has no CHECK there, `bytes(n)` is a BYTEA, a
/// non-native enum a VARCHAR), and an enum's Rust name is not stored.
fn as_postgres_keeps(ty: &LogicalType) -> LogicalType {
    match ty {
        LogicalType::Bool { .. } => LogicalType::Bool { check: false },
        LogicalType::Bytes { .. } => LogicalType::Bytes { max_length: None },
        LogicalType::Json { .. } => LogicalType::Json {
            shape: modelgen_ir::JsonShape::Any,
        },
        LogicalType::Enum(e) if e.as_varchar(Dialect::Postgres) => LogicalType::Str {
            max_length: Some(e.max_length()),
        },
        other => other.clone(),
    }
}

fn same_enum(read: &EnumType, written: &EnumType) -> bool {
    (&read.type_name, &read.values, read.native) == (&written.type_name, &written.values, written.native)
}

/// Every column of every model: present, in the same order, with the type modelgen wrote
/// it from and its nullability.
fn assert_columns(file: &str, schema: &Schema, catalog: &Catalog) {
    assert_eq!(
        catalog.tables.len(),
        schema.models.len(),
        "{file}: {:?}",
        names(catalog)
    );
    for model in &schema.models {
        let table = table(catalog, &model.table);
        assert_eq!(table.columns.len(), model.columns.len(), "{file}: {}", model.table);
        for c in &model.columns {
            let read = table
                .columns
                .iter()
                .find(|r| stored_as(&c.name, &r.name))
                .unwrap_or_else(|| panic!("{file}: no column {}.{}", model.table, c.name));
            let at = format!("{file}: {}.{} ({})", model.table, c.name, read.db_type);
            let ty = read.ty.as_ref().unwrap_or_else(|e| panic!("{at}: {e}"));
            match (ty, as_postgres_keeps(&c.ty)) {
                (LogicalType::Enum(r), LogicalType::Enum(w)) => assert!(same_enum(r, &w), "{at}: {r:?} vs {w:?}"),
                (ty, expected) => assert_eq!(*ty, expected, "{at}"),
            }
            assert_eq!(read.nullable, c.nullable, "{at}: nullable");
            let generated = match (c.autoincrement, &c.generator) {
                (false, _) => None,
                (true, modelgen_ir::Generator::Identity) => Some(Generated::Identity),
                (true, modelgen_ir::Generator::Serial) => Some(Generated::Serial),
                (true, modelgen_ir::Generator::Sequence(s)) => Some(Generated::Sequence(s.clone())),
            };
            assert_eq!(read.generated, generated, "{at}: generated");
            assert_eq!(
                read.default.is_some(),
                c.server_default.is_some(),
                "{at}: {:?}",
                read.default
            );
        }
    }
}

fn action(a: Option<FkAction>) -> Option<String> {
    match a {
        None | Some(FkAction::NoAction) => None,
        Some(a) => Some(a.sql().to_owned()),
    }
}

#[test]
fn every_column_of_every_spec_reads_back_as_the_type_modelgen_wrote_it_from() {
    let files = spec_files();
    for file in &files {
        let Some((schema, catalog)) = pull_spec(file) else {
            return;
        };
        assert_columns(file, &schema, &catalog);
    }
}

#[test]
fn all_types_and_enums_read_as_their_logical_types() {
    let Some((schema, catalog)) = pull_spec("all_types.yaml") else {
        return;
    };
    assert_columns("all_types.yaml", &schema, &catalog);
    let sample = table(&catalog, &schema.models[0].table);
    let ty = |name: &str| column(sample, name).ty.clone();
    assert_eq!(
        ty("price"),
        Ok(LogicalType::Decimal {
            precision: 10,
            scale: 2
        })
    );
    assert_eq!(ty("seen_at_tz"), Ok(LogicalType::DateTime { timezone: true }));
    assert_eq!(ty("code"), Ok(LogicalType::Str { max_length: Some(8) }));

    let Some((schema, catalog)) = pull_spec("enum_columns.yaml") else {
        return;
    };
    assert_columns("enum_columns.yaml", &schema, &catalog);
    let post = table(&catalog, &model(&schema, "post").table);
    let status = column(post, "status");
    let Ok(LogicalType::Enum(e)) = &status.ty else {
        panic!("{status:?}")
    };
    assert_eq!((e.name.as_str(), e.type_name.as_str()), ("Poststatus", "poststatus"));
    assert_eq!(e.values, ["draft", "published", "in-review"]);
    assert!(e.native && !e.check && e.renamed_values.is_empty());
    // The server default is the catalog's text, cast to the type.
    assert_eq!(status.default.as_deref(), Some("'draft'::poststatus"));
}

#[test]
fn composite_foreign_keys_keep_their_columns_targets_and_actions() {
    let Some((schema, catalog)) = pull_spec("composite_foreign_keys.yaml") else {
        return;
    };
    assert_foreign_keys(&schema, &catalog, action);
    let lines = table(&catalog, "order_lines");
    let stock = lines
        .foreign_keys
        .iter()
        .find(|f| f.target_table == "warehouses")
        .unwrap();
    assert_eq!(stock.on_delete.as_deref(), Some("SET NULL"));
    assert_eq!(stock.on_update, None);
}

fn assert_indexes(file: &str) {
    let Some((schema, catalog)) = pull_spec(file) else {
        return;
    };
    for model in &schema.models {
        let read = &table(&catalog, &model.table).indexes;
        assert_eq!(read.len(), model.indexes.len(), "{file}: {read:?}");
        for ix in &model.indexes {
            let r = read
                .iter()
                .find(|r| r.name == ix.name)
                .unwrap_or_else(|| panic!("{file}: no index {} in {read:?}", ix.name));
            assert_eq!(r.unique, ix.unique, "{r:?}");
            assert_eq!(r.predicate.is_some(), ix.predicate.is_some() || ix.live_only, "{r:?}");
            assert_eq!(r.keys.len(), ix.columns.len(), "{r:?}");
            for (k, key) in r.keys.iter().zip(&ix.columns) {
                match (k, key.column()) {
                    (Key::Column(read), Some(written)) => assert_eq!(read, written),
                    (Key::Expression(text), None) => assert!(!text.is_empty()),
                    (k, _) => panic!("{file}: {}: {k:?} read for {key:?}", ix.name),
                }
            }
        }
    }
}

#[test]
fn partial_indexes_keep_their_predicates() {
    assert_indexes("partial_indexes.yaml");
    let Some((_, catalog)) = pull_spec("partial_indexes.yaml") else {
        return;
    };
    let open = table(&catalog, "subscription")
        .indexes
        .iter()
        .find(|i| i.name == "ix_subscription_open")
        .unwrap();
    assert!(
        open.predicate.as_deref().unwrap().contains("ends_at IS NOT NULL"),
        "{open:?}"
    );
}

#[test]
fn expression_indexes_keep_expression_keys() {
    assert_indexes("expression_indexes.yaml");
    let Some((_, catalog)) = pull_spec("expression_indexes.yaml") else {
        return;
    };
    let ix = table(&catalog, "member")
        .indexes
        .iter()
        .find(|i| i.name == "ix_member_org_handle")
        .unwrap();
    assert_eq!(ix.keys[0], Key::Column("org".into()));
    assert_eq!(ix.keys[1], Key::Expression("upper(handle)".into()));
}

#[test]
fn key_generators_read_as_identity_serial_and_named_sequence() {
    let Some((schema, catalog)) = pull_spec("key_generators.yaml") else {
        return;
    };
    assert_columns("key_generators.yaml", &schema, &catalog);
    let id = |t: &str| column(table(&catalog, t), "id").clone();
    assert_eq!(id("accounts").generated, Some(Generated::Serial));
    assert_eq!(id("events").generated, Some(Generated::Serial));
    assert_eq!(
        id("invoices").generated,
        Some(Generated::Sequence("invoice_numbers".into()))
    );
    assert_eq!(id("notes").generated, Some(Generated::Identity));
    for t in ["accounts", "events", "invoices", "notes"] {
        assert_eq!(id(t).default, None, "{t}: the nextval is the generator, not a default");
    }
    // Each sequence belongs to its column: none is left over.
    assert!(catalog.other.is_empty(), "{:?}", catalog.other);
    let account_id = column(table(&catalog, "events"), "account_id");
    assert_eq!(account_id.generated, None);
}

#[test]
fn comments_read_back_as_written() {
    let Some((schema, catalog)) = pull_spec("comments.yaml") else {
        return;
    };
    for model in &schema.models {
        let read = table(&catalog, &model.table);
        assert_eq!(read.comment, model.comment, "{}", model.table);
        for c in &model.columns {
            let r = read.columns.iter().find(|r| r.name == c.name).unwrap();
            assert_eq!(r.comment, c.comment, "{}.{}", model.table, c.name);
        }
    }
    assert!(schema.models.iter().any(|m| m.comment.is_some()));
}

#[test]
fn checks_keep_their_names_and_conditions() {
    for file in ["checks.yaml", "bool_check.yaml", "enum_columns.yaml"] {
        let Some((schema, catalog)) = pull_spec(file) else {
            return;
        };
        assert_checks(file, &schema, &catalog);
    }
    let Some((_, catalog)) = pull_spec("checks.yaml") else {
        return;
    };
    let raw = table(&catalog, "order")
        .checks
        .iter()
        .find(|c| c.name.as_deref() == Some("orders_code_upper"))
        .unwrap();
    assert_eq!(raw.sql, "((code)::text = upper((code)::text))");
}

#[test]
fn constraint_names_are_read_and_default_ones_left_out() {
    let Some((schema, catalog)) = pull_spec("constraint_names.yaml") else {
        return;
    };
    for model in &schema.models {
        let read = table(&catalog, &model.table);
        assert_eq!(read.primary_key, model.primary_key, "{}", model.table);
        assert_eq!(read.primary_key_name, model.primary_key_name, "{}", model.table);
    }
    let accounts = table(&catalog, "accounts");
    assert_eq!(accounts.primary_key_name.as_deref(), Some("accounts_pk"));
    assert_eq!(accounts.uniques.len(), 1);
    assert_eq!(accounts.uniques[0].name.as_deref(), Some("accounts_handle_uq"));
    assert_eq!(accounts.uniques[0].columns, ["handle"]);
    let parent = &accounts.foreign_keys[0];
    assert_eq!(parent.name.as_deref(), Some("accounts_parent_fk"));
    assert_eq!(parent.on_delete.as_deref(), Some("SET NULL"));
    let sessions = table(&catalog, "sessions");
    assert_eq!(sessions.primary_key, ["token", "account_id"]);
    assert_eq!(sessions.primary_key_name.as_deref(), Some("sessions_pk"));

    // `<table>_pkey` is PostgreSQL's own name: none to keep.
    let Some((_, catalog)) = pull_spec("key_generators.yaml") else {
        return;
    };
    assert!(catalog.tables.iter().all(|t| t.primary_key_name.is_none()));
}

#[test]
fn what_modelgen_cannot_write_is_listed_or_refused_not_fatal() {
    let sql = r#"
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE places (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at point,
            amount numeric,
            names varchar(20)[],
            moods mood[],
            mood mood NOT NULL DEFAULT 'ok',
            label text DEFAULT 'x',
            slug text GENERATED ALWAYS AS (lower(label)) STORED,
            n integer CHECK (n > 0) NOT NULL
        );
        ALTER TABLE places ADD CONSTRAINT places_n_small CHECK (n < 100) NOT VALID;
        CREATE INDEX places_at ON places USING gist (at);
        CREATE INDEX places_label_desc ON places (label DESC);
        CREATE TABLE old (id serial PRIMARY KEY);
        ALTER TABLE old RENAME TO renamed;
        CREATE VIEW place_labels AS SELECT label FROM places;
        CREATE SEQUENCE loose;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE FUNCTION answer() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
        CREATE TRIGGER places_touch BEFORE UPDATE ON places FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY);
        CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY);
        CREATE TABLE alembic_version (version_num varchar(32) NOT NULL,
            CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
    "#;
    let Some(catalog) = pull_sql("pull_hand_written", sql) else {
        return;
    };
    assert_eq!(names(&catalog), ["places", "renamed"]);
    let mut other = catalog.other.clone();
    other.sort();
    assert_eq!(
        other,
        [
            "function answer",
            "generated column places.slug",
            "index places_at on places: CREATE INDEX places_at ON public.places USING gist (at)",
            "index places_label_desc on places: CREATE INDEX places_label_desc ON public.places USING btree (label DESC)",
            "sequence loose",
            "view place_labels",
        ]
    );

    let places = &catalog.tables[0];
    let col = |name: &str| column(places, name);
    for (name, db_type) in [
        ("at", "point"),
        ("amount", "numeric"),
        ("names", "character varying(20)[]"),
        ("moods", "mood[]"),
    ] {
        assert_eq!(col(name).db_type, db_type);
        assert_eq!(
            col(name).ty,
            Err(format!("PostgreSQL type `{db_type}` has no type in the spec language"))
        );
    }
    assert_eq!(col("id").generated, Some(Generated::Identity));
    assert_eq!(col("id").default, None);
    assert_eq!(col("label").default.as_deref(), Some("'x'::text"));
    assert_eq!(col("slug").default, None, "a generation expression is no default");
    assert!(!col("n").nullable && col("label").nullable);
    let Ok(LogicalType::Enum(mood)) = &col("mood").ty else {
        panic!("{:?}", col("mood"))
    };
    assert_eq!((mood.name.as_str(), mood.type_name.as_str()), ("Mood", "mood"));
    assert_eq!(mood.values, ["sad", "ok", "happy"]);

    let checks: Vec<(&str, &str)> = places
        .checks
        .iter()
        .map(|c| (c.name.as_deref().unwrap(), c.sql.as_str()))
        .collect();
    assert_eq!(checks, [("places_n_check", "(n > 0)"), ("places_n_small", "(n < 100)")]);
    assert_eq!(places.triggers.len(), 1);
    assert_eq!(places.triggers[0].name, "places_touch");
    assert!(places.triggers[0]
        .sql
        .starts_with("CREATE TRIGGER places_touch BEFORE UPDATE ON public.places"));
    assert!(places.indexes.is_empty(), "{:?}", places.indexes);

    // A SERIAL's sequence keeps its name when the table is renamed: no longer the one
    // `serial` makes, so the reader names it.
    let renamed = &catalog.tables[1];
    assert_eq!(
        renamed.columns[0].generated,
        Some(Generated::Sequence("old_id_seq".into()))
    );
    assert_eq!(renamed.primary_key_name.as_deref(), Some("old_pkey"));
}
