//! No field of the IR that reaches DDL can be forgotten by migrations again: each is
//! changed on its own, and the diff must not be empty, and the migrated database — on
//! real SQLite, PostgreSQL and MariaDB, with rows — must equal one built fresh from the new
//! schema, and the down migration must give back one equal to the old.
//!
//! The IR's structs are destructured with every field named (no `..`), so a field added
//! to the IR later does not compile here until it is listed: as a change below, or as one
//! that reaches no DDL.

use modelgen_ir::check::parse_check;
use modelgen_ir::{
    Column, DefaultValue, Dialect, FkAction, ForeignKey, Generator, Index, IndexKey, LogicalType, Model, OnUpdate,
    Schema, Unique,
};
use modelgen_migrate::Plan;
use modelgen_tests::db::{in_schema_order, Conn};

const BASE: &str = "models:
  Owner:
    table: owners
    comment: Who owns the pets.
    fields:
      id: int pk autoincrement
      code: str(20)
      name: str(50)?
      email: {type: str(100), comment: Where we write; it's checked.}
      rank: {type: int, server_default: 0}
      seen_at: datetime?
      removed_at: datetime?
      flag: bool(check)?
    mixins: [soft_delete]
    uniques:
      - {name: uq_owners_name_email, columns: [name, email]}
      - {columns: [code]}
    indexes:
      - {name: ix_owners_name, columns: [name]}
      - {name: ix_owners_email_live, columns: [email], unique: true, live: true}
  Pet:
    table: pets
    fields:
      id: {type: int, primary_key: true, autoincrement: false}
      owner_id: {type: int, index: true, foreign_key: {references: owners.id, on_delete: cascade}}
      tag: str(10)
      owner_code: str(20)
  Keeper:
    table: keepers
    fields:
      id: int pk
";

const ROWS: &str =
    "INSERT INTO owners (id, code, name, email, rank) VALUES (1, 'a', 'ada', 'ada@x', 1), (2, 'b', 'bob', 'bob@x', 2);
INSERT INTO pets (id, owner_id, tag, owner_code) VALUES (10, 1, 't1', 'a'), (11, 2, 't2', 'b');
INSERT INTO keepers (id) VALUES (1), (2);";

fn base() -> Schema {
    modelgen_spec::load(BASE, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// Changes MySQL cannot build (the front ends refuse them there): partial indexes and
/// expression keys.
const NOT_ON_MYSQL: &[&str] = &["index.columns expression", "index.predicate"];

/// One change to the base schema, named for messages.
type Change = (&'static str, fn(&mut Schema));

fn owners(s: &mut Schema) -> &mut Model {
    s.models.iter_mut().find(|m| m.table == "owners").unwrap()
}

fn pets(s: &mut Schema) -> &mut Model {
    s.models.iter_mut().find(|m| m.table == "pets").unwrap()
}

fn column<'a>(m: &'a mut Model, name: &str) -> &'a mut Column {
    m.columns.iter_mut().find(|c| c.name == name).unwrap()
}

/// Every field of the IR, each with the changes that reach DDL or a reason it reaches
/// none. Adding a field to an IR struct breaks the build here until it is listed.
fn changes() -> Vec<Change> {
    let schema = base();
    let Schema { models } = &schema;
    let Model {
        name: _,             // the Rust type's name
        table: _,            // changed below
        kind: _,             // entity or join table: Rust only
        doc: _,              // Rust and Python docs only
        comment: _,          // changed below
        mixins: _,           // flattened into columns already
        columns: _,          // changed below
        primary_key: _,      // changed below
        primary_key_name: _, // changed below
        uniques: _,          // changed below
        indexes: _,          // changed below
        foreign_keys: _,     // changed below
        relations: _,        // ORM navigation; foreign keys carry the DDL
        repr: _,             // Debug output
        soft_delete: _,      // changed below (the live index's predicate)
        renamed_from: _,     // steers the diff itself
        checks: _,           // diffed in tests/migration_checks.rs (add, drop, change with rows)
        naming: _,           // names only a column type's CHECK itself: tests/migration_checks.rs
    } = &models[0];
    let Column {
        name: _,           // changed below
        ty: _,             // changed below
        nullable: _,       // changed below
        primary_key: _,    // changed below, with the model's key
        autoincrement: _,  // changed below
        generator: _,      // changed below
        default: _,        // client-side default: no DDL
        server_default: _, // changed below
        on_update: _,      // changed below
        app_on_update: _,  // set by the application: no DDL
        secret: _,         // Rust only
        doc: _,            // Rust and Python docs only
        comment: _,        // changed below
        mixin: _,          // where the column came from
        renamed_from: _,   // steers the diff itself
        rust_type: _,      // Rust only
        check_name: _,     // changed below
    } = &models[0].columns[0];
    let Unique { name: _, columns: _ } = &models[0].uniques[0]; // both changed below
    let Index {
        name: _,      // changed below
        columns: _,   // changed below
        unique: _,    // changed below
        live_only: _, // changed below
        predicate: _, // changed below
    } = &models[0].indexes[0];
    let ForeignKey {
        name: _,           // changed below
        columns: _,        // changed below
        target_model: _,   // the Rust side of target_table
        target_table: _,   // changed below
        target_columns: _, // changed below
        on_delete: _,      // changed below
        on_update: _,      // changed below
    } = &models[1].foreign_keys[0];

    vec![
        // Without `renamed_from`, a drop and a create: of a table nothing references.
        ("model.table", |s| {
            s.models.iter_mut().find(|m| m.table == "keepers").unwrap().table = "wardens".into()
        }),
        ("model.table renamed", |s| {
            let m = owners(s);
            m.renamed_from = Some(m.table.clone());
            m.table = "proprietors".into();
            pets(s).foreign_keys[0].target_table = "proprietors".into();
        }),
        ("model.primary_key moved", |s| {
            let m = owners(s);
            m.primary_key = vec!["code".into()];
            // A key needs no unique of its own; the front end refuses one.
            m.uniques.retain(|u| u.columns != ["code"]);
            let id = column(m, "id");
            id.primary_key = false;
            id.autoincrement = false;
            column(m, "code").primary_key = true;
            for fk in &mut pets(s).foreign_keys {
                fk.target_columns = vec!["code".into()];
                fk.columns = vec!["owner_code".into()];
            }
        }),
        ("model.primary_key reordered", |s| {
            let m = pets(s);
            m.primary_key = vec!["tag".into(), "id".into()];
            column(m, "tag").primary_key = true;
        }),
        // Owners' key is referenced by pets' foreign key, which must survive a rename.
        ("model.primary_key_name", |s| {
            owners(s).primary_key_name = Some("pk_owners".into())
        }),
        ("model.primary_key_name with a moved key", |s| {
            let m = pets(s);
            m.primary_key = vec!["tag".into(), "id".into()];
            column(m, "tag").primary_key = true;
            m.primary_key_name = Some("pk_pets".into());
        }),
        ("model.uniques added", |s| {
            owners(s).uniques.push(Unique {
                name: None,
                columns: vec!["email".into(), "code".into()],
            })
        }),
        ("model.uniques removed", |s| {
            owners(s).uniques.pop();
        }),
        ("unique.name", |s| {
            owners(s).uniques[0].name = Some("uq_owners_renamed".into())
        }),
        ("unique.columns", |s| {
            owners(s).uniques[0].columns = vec!["email".into(), "name".into()]
        }),
        ("model.indexes removed", |s| {
            owners(s).indexes.remove(0);
        }),
        ("index.name", |s| owners(s).indexes[0].name = "ix_owners_name_2".into()),
        ("index.columns", |s| {
            owners(s).indexes[0].columns = vec!["name".into(), "rank".into()]
        }),
        ("index.columns expression", |s| {
            owners(s).indexes[0].columns = vec![IndexKey::Expr(parse_check("lower(name)").unwrap()), "rank".into()]
        }),
        ("index.predicate", |s| {
            owners(s).indexes[0].predicate = Some(parse_check("rank > 0 and name is not null").unwrap())
        }),
        ("index.unique", |s| owners(s).indexes[0].unique = true),
        ("index.live_only", |s| owners(s).indexes[1].live_only = false),
        ("model.soft_delete", |s| {
            owners(s).soft_delete = Some("removed_at".into())
        }),
        ("model.foreign_keys removed", |s| pets(s).foreign_keys.clear()),
        ("foreign_key.columns and target_columns", |s| {
            let fk = &mut pets(s).foreign_keys[0];
            fk.columns = vec!["owner_code".into()];
            fk.target_columns = vec!["code".into()];
        }),
        ("foreign_key.target_table", |s| {
            let fk = &mut pets(s).foreign_keys[0];
            fk.target_table = "keepers".into();
            fk.target_model = "Keeper".into();
        }),
        ("foreign_key.name", |s| {
            pets(s).foreign_keys[0].name = Some("fk_pets_owner".into())
        }),
        ("foreign_key.on_delete", |s| {
            pets(s).foreign_keys[0].on_delete = Some(FkAction::Restrict)
        }),
        ("foreign_key.on_update", |s| {
            pets(s).foreign_keys[0].on_update = Some(FkAction::Cascade)
        }),
        ("column.name", |s| column(owners(s), "rank").name = "level".into()),
        ("column.name renamed", |s| {
            let c = column(owners(s), "rank");
            c.renamed_from = Some("rank".into());
            c.name = "level".into();
        }),
        ("column.ty", |s| column(owners(s), "rank").ty = LogicalType::BigInt),
        ("column.nullable", |s| column(owners(s), "name").nullable = false),
        ("column.autoincrement off", |s| {
            column(owners(s), "id").autoincrement = false
        }),
        ("column.autoincrement on", |s| {
            let c = column(pets(s), "id");
            c.autoincrement = true;
        }),
        // PostgreSQL's way of numbering the key, with rows: no SQL elsewhere.
        ("column.generator serial", |s| {
            column(owners(s), "id").generator = Generator::Serial
        }),
        ("column.generator sequence", |s| {
            column(owners(s), "id").generator = Generator::Sequence("owner_numbers".into())
        }),
        ("column.generator serial with a type change", |s| {
            let c = column(owners(s), "id");
            c.generator = Generator::Serial;
            c.ty = LogicalType::BigInt;
            // MySQL's foreign keys need the two types to agree.
            column(pets(s), "owner_id").ty = LogicalType::BigInt;
        }),
        ("column.autoincrement on from a sequence", |s| {
            let c = column(pets(s), "id");
            c.autoincrement = true;
            c.generator = Generator::Sequence("pet_numbers".into());
        }),
        ("column.generator serial on a renamed table", |s| {
            let m = owners(s);
            m.renamed_from = Some(m.table.clone());
            m.table = "proprietors".into();
            column(m, "id").generator = Generator::Serial;
            pets(s).foreign_keys[0].target_table = "proprietors".into();
        }),
        ("column.check_name", |s| {
            column(owners(s), "flag").check_name = Some("ck_owners_flag_2".into())
        }),
        ("column.server_default", |s| {
            column(owners(s), "rank").server_default = Some(DefaultValue::Int(5))
        }),
        ("column.on_update", |s| {
            column(owners(s), "seen_at").on_update = Some(OnUpdate::Now)
        }),
        ("model.columns added", |s| {
            let mut c = column(owners(s), "name").clone();
            c.name = "nickname".into();
            owners(s).columns.push(c);
        }),
        ("model.columns removed", |s| {
            owners(s).columns.retain(|c| c.name != "seen_at")
        }),
        ("model.comment changed", |s| {
            owners(s).comment = Some("Owners, with a 'quote' and a \\ backslash.".into())
        }),
        ("model.comment removed", |s| owners(s).comment = None),
        ("model.comment added", |s| pets(s).comment = Some("Pets.".into())),
        ("column.comment changed", |s| {
            column(owners(s), "email").comment = Some("Primary address ü.".into())
        }),
        ("column.comment removed", |s| column(owners(s), "email").comment = None),
        ("column.comment added to an autoincrement key", |s| {
            column(owners(s), "id").comment = Some("Surrogate.".into())
        }),
        ("column.comment added to a foreign key", |s| {
            column(pets(s), "owner_id").comment = Some("The owner.".into())
        }),
        ("column.comment added with a type change", |s| {
            let c = column(owners(s), "rank");
            c.ty = LogicalType::BigInt;
            c.comment = Some("Wider.".into());
        }),
        ("column.comment on an added column", |s| {
            let mut c = column(owners(s), "name").clone();
            c.name = "nickname".into();
            c.comment = Some("Shown to friends.".into());
            owners(s).columns.push(c);
        }),
    ]
}

/// A fresh database with `schema` (and, optionally, rows), and its catalog in schema order.
fn fresh(d: Dialect, name: &str, schema: &Schema) -> Option<modelgen_testdb::Catalog> {
    let conn = Conn::fresh(d, name)?;
    conn.batch(&modelgen_sql::create_script(schema, d)).unwrap();
    let catalog = in_schema_order(conn.catalog(), schema, d);
    conn.drop_database();
    Some(catalog)
}

/// Fails with the lines in which two catalogs differ.
fn same(actual: &modelgen_testdb::Catalog, fresh: &modelgen_testdb::Catalog, what: &str) {
    if actual == fresh {
        return;
    }
    let (a, f) = (format!("{actual:#?}"), format!("{fresh:#?}"));
    let diff = similar::TextDiff::from_lines(&f, &a);
    let lines: String = diff
        .unified_diff()
        .context_radius(3)
        .header("fresh", "migrated")
        .to_string();
    panic!("{what}\n{lines}");
}

/// One change on one database: up, compared with a fresh build, down, compared with the old.
fn check(d: Dialect, what: &str, old: &Schema, new: &Schema, old_catalog: &modelgen_testdb::Catalog) {
    assert!(new != old, "{what}: the change changed nothing");
    let plan = Plan::new(old, new);
    assert!(!plan.is_empty(), "{what}: no migration");
    let new_catalog = fresh(d, "mfield_new", new).unwrap();
    let conn = Conn::fresh(d, "mfield").unwrap();
    conn.batch(&modelgen_sql::create_script(old, d)).unwrap();
    conn.batch(ROWS).unwrap();
    let (up, down) = plan.scripts(old, new, d);
    conn.migrate(&up.sql, up.no_transaction)
        .unwrap_or_else(|e| panic!("{what} on {}: up failed: {e}\n{}", d.name(), up.sql));
    same(
        &in_schema_order(conn.catalog(), new, d),
        &new_catalog,
        &format!(
            "{what} on {}: the migrated database differs from a fresh one\n{}",
            d.name(),
            up.sql
        ),
    );
    conn.migrate(&down.sql, down.no_transaction)
        .unwrap_or_else(|e| panic!("{what} on {}: down failed: {e}\n{}", d.name(), down.sql));
    same(
        &in_schema_order(conn.catalog(), old, d),
        old_catalog,
        &format!(
            "{what} on {}: the database after down differs from the old one\n{}",
            d.name(),
            down.sql
        ),
    );
    conn.drop_database();
}

#[test]
fn every_ir_field_that_reaches_ddl_is_migrated() {
    let old = base();
    let mut failures = Vec::new();
    for d in Dialect::ALL {
        let Some(old_catalog) = fresh(d, "mfield_old", &old) else {
            continue;
        };
        for (what, change) in changes() {
            if NOT_ON_MYSQL.contains(&what) && d == Dialect::Mysql {
                continue;
            }
            let mut new = old.clone();
            change(&mut new);
            let result = std::panic::catch_unwind(|| check(d, what, &old, &new, &old_catalog));
            if let Err(panic) = result {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!(
                    "{what} on {}: {}",
                    d.name(),
                    message.lines().next().unwrap_or("")
                ));
                eprintln!("{message}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} changes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
