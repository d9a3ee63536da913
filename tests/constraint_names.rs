//! Constraint names, given and from a naming convention: the Rust modelgen writes says
//! the same names (and relations, one-to-one among them) to the derive, and a migration that renames constraints — a new
//! convention — keeps the rows on every database, with every name as a fresh build has
//! it, up and down.

use modelgen_ir::{Dialect, Schema};
use modelgen_migrate::Plan;
use modelgen_tests::db::{assert_catalog, Conn};

fn load(text: &str) -> Schema {
    modelgen_spec::load(text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn spec_case(name: &str) -> Schema {
    let path = modelgen_tests::workspace_root().join("tests/specs/ok").join(name);
    load(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn the_generated_rust_read_back_by_the_derive_builds_the_same_schema() {
    for case in [
        "naming_convention.yaml",
        "constraint_names.yaml",
        "one_to_one.yaml",
        "composite_foreign_keys.yaml",
    ] {
        let yaml = spec_case(case);
        let dir = tempfile::tempdir().unwrap();
        modelgen_tests::write_generated_rust(dir.path(), "models", &yaml, case).unwrap();
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir.path().join("models")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read_to_string(&path).unwrap()));
        }
        files.sort();
        let derived = modelgen_attr::schema_from_sources(&files).unwrap_or_else(|e| panic!("{case}: {e:?}"));
        for model in yaml.models.iter().filter(|m| m.kind == modelgen_ir::ModelKind::Entity) {
            let twin = derived.model(&model.name).unwrap();
            assert_eq!(twin.relations, model.relations, "{case}: {}", model.name);
        }
        for d in Dialect::ALL {
            assert_eq!(
                modelgen_sql::create_script(&derived, d),
                modelgen_sql::create_script(&yaml, d),
                "{case} on {}",
                d.name()
            );
        }
    }
}

/// A schema with every kind of constraint, first under the databases' names and then
/// under a convention (and back): each name changes, the rows stay.
#[test]
fn a_new_convention_renames_every_constraint_and_keeps_the_rows() {
    let models = "models:
  Org:
    table: orgs
    fields:
      id: int pk
      slug: str(40) unique
      active: bool(check)
    checks:
      slug_set: \"slug != ''\"
  Member:
    table: members
    fields:
      id: int pk
      org_id: {type: int, index: true, foreign_key: {references: Org, on_delete: cascade}}
      email: str(120)
    uniques:
      - [org_id, email]
";
    let old = load(models);
    let new = load(&format!(
        "naming_convention:
  ix: idx_%(table_name)s_%(column_0_N_name)s
  uq: uq_%(table_name)s_%(column_0_N_name)s
  ck: ck_%(table_name)s_%(constraint_name)s
  fk: fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s
  pk: pk_%(table_name)s
{models}"
    ));
    let plan = Plan::new(&old, &new);
    assert!(!plan.is_empty(), "new names are a migration");
    let rows =
        "SELECT o.id, o.slug, o.active, m.id, m.email FROM orgs o JOIN members m ON m.org_id = o.id ORDER BY m.id;";
    let want = "1,a,1,10,x@a;1,a,1,11,y@a;2,b,0,12,x@b";
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "constraint_names") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch(
            "INSERT INTO orgs (id, slug, active) VALUES (1, 'a', true), (2, 'b', false);
INSERT INTO members (id, org_id, email) VALUES (10, 1, 'x@a'), (11, 1, 'y@a'), (12, 2, 'x@b');",
        )
        .unwrap();
        let (up, down) = plan.scripts(&old, &new, d);
        conn.migrate(&up.sql, up.no_transaction)
            .unwrap_or_else(|e| panic!("{}: up: {e}\n{}", d.name(), up.sql));
        assert_catalog(&conn, &new, "after up");
        let read = |conn: &Conn| {
            conn.text(rows)
                .unwrap()
                .replace("true", "1")
                .replace("false", "0")
                .replace(",t,", ",1,")
                .replace(",f,", ",0,")
        };
        assert_eq!(read(&conn), want, "{} after up", d.name());
        conn.migrate(&down.sql, down.no_transaction)
            .unwrap_or_else(|e| panic!("{}: down: {e}\n{}", d.name(), down.sql));
        assert_catalog(&conn, &old, "after down");
        assert_eq!(read(&conn), want, "{} after down", d.name());
        conn.drop_database();
    }
}

/// A table renamed away and another made under its old name, keys named after their
/// tables: the renamed table's key gives up its name before the new table takes it (the
/// migration property test found PostgreSQL refusing the new key's name).
#[test]
fn a_key_named_after_its_table_follows_a_rename_before_the_old_name_is_reused() {
    let convention = "naming_convention:\n  pk: pk_%(table_name)s\n";
    let old = load(&format!(
        "{convention}models:\n  Note:\n    table: notes\n    fields:\n      id: int pk\n      body: text\n"
    ));
    let new = load(&format!(
        "{convention}models:\n  Note:\n    table: old_notes\n    renamed_from: notes\n    fields:\n      id: int pk\n      body: text\n  Fresh:\n    table: notes\n    fields:\n      id: int pk\n"
    ));
    let plan = Plan::new(&old, &new);
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "key_rename_reuse") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch("INSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b');")
            .unwrap();
        let (up, down) = plan.scripts(&old, &new, d);
        conn.migrate(&up.sql, up.no_transaction)
            .unwrap_or_else(|e| panic!("{}: up: {e}\n{}", d.name(), up.sql));
        assert_catalog(&conn, &new, "after up");
        assert_eq!(
            conn.text("SELECT id, body FROM old_notes ORDER BY id;").unwrap(),
            "1,a;2,b"
        );
        conn.migrate(&down.sql, down.no_transaction)
            .unwrap_or_else(|e| panic!("{}: down: {e}\n{}", d.name(), down.sql));
        assert_catalog(&conn, &old, "after down");
        assert_eq!(conn.text("SELECT id, body FROM notes ORDER BY id;").unwrap(), "1,a;2,b");
        conn.drop_database();
    }
}

/// A composite unique that a composite foreign key references, renamed: PostgreSQL and
/// InnoDB refuse to drop it while the key depends on it, so the key is dropped first and
/// added back after (the migration property test found the refusal). The rows stay, up
/// and down; and dropping the key together with the unique drops the key first.
#[test]
fn a_unique_a_foreign_key_references_can_be_renamed_or_dropped_with_it() {
    let shape = |unique: &str, key: &str| {
        format!(
            "models:
  Order:
    table: orders
    fields:
      id: int pk
      region: str(8)
    uniques:
      - {unique}
  Line:
    table: order_lines
    fields:
      id: int pk
      order_id: int?
      order_region: str(8)?
{key}"
        )
    };
    let key = "    foreign_keys:\n      - {columns: [order_id, order_region], references: \"Order(id, region)\"}\n";
    let old = load(&shape("[id, region]", key));
    let renamed = load(&shape("{name: uq_orders_key, columns: [id, region]}", key));
    let gone = load(&shape("[region, id]", ""));
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "unique_under_key") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch(
            "INSERT INTO orders (id, region) VALUES (1, 'eu'), (2, 'us');
INSERT INTO order_lines (id, order_id, order_region) VALUES (10, 1, 'eu'), (11, 2, 'us'), (12, NULL, NULL);",
        )
        .unwrap();
        let rows = "SELECT l.id, COALESCE(o.region, '-') FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id ORDER BY l.id;";
        let want = "10,eu;11,us;12,-";
        for (new, what) in [(&renamed, "renamed"), (&gone, "dropped with its key")] {
            let (up, down) = Plan::new(&old, new).scripts(&old, new, d);
            conn.migrate(&up.sql, up.no_transaction)
                .unwrap_or_else(|e| panic!("{} {what}: up: {e}\n{}", d.name(), up.sql));
            assert_catalog(&conn, new, &format!("{what}, after up"));
            assert_eq!(conn.text(rows).unwrap(), want, "{} {what} after up", d.name());
            conn.migrate(&down.sql, down.no_transaction)
                .unwrap_or_else(|e| panic!("{} {what}: down: {e}\n{}", d.name(), down.sql));
            assert_catalog(&conn, &old, &format!("{what}, after down"));
            assert_eq!(conn.text(rows).unwrap(), want, "{} {what} after down", d.name());
        }
        conn.drop_database();
    }
}

/// Two unnamed foreign keys with the same first column, as multi-tenant schemas have:
/// MariaDB names the second one's index `tenant_id_2`, and dropping that key drops its
/// index too, so the catalog is a fresh build's, up and down.
#[test]
fn two_unnamed_keys_on_one_first_column_drop_cleanly() {
    let shape = |keys: &str| {
        load(&format!(
            "models:
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
  Task:
    table: tasks
    fields:
      id: int pk
      tenant_id: int
      project_id: int
      owner_id: int
    foreign_keys:
{keys}"
        ))
    };
    let project = "      - {columns: [tenant_id, project_id], references: Project}\n";
    let owner = "      - {columns: [tenant_id, owner_id], references: Person}\n";
    let old = shape(&format!("{project}{owner}"));
    let new = shape(project);
    for d in Dialect::ALL {
        let Some(conn) = Conn::fresh(d, "two_unnamed_keys") else {
            continue;
        };
        conn.batch(&modelgen_sql::create_script(&old, d)).unwrap();
        conn.batch(
            "INSERT INTO projects (tenant_id, id) VALUES (1, 1), (2, 1);
INSERT INTO people (tenant_id, id) VALUES (1, 7), (2, 7);
INSERT INTO tasks (id, tenant_id, project_id, owner_id) VALUES (1, 1, 1, 7), (2, 2, 1, 7);",
        )
        .unwrap();
        let (up, down) = Plan::new(&old, &new).scripts(&old, &new, d);
        conn.migrate(&up.sql, up.no_transaction)
            .unwrap_or_else(|e| panic!("{}: up: {e}\n{}", d.name(), up.sql));
        assert_catalog(&conn, &new, "after up");
        conn.migrate(&down.sql, down.no_transaction)
            .unwrap_or_else(|e| panic!("{}: down: {e}\n{}", d.name(), down.sql));
        assert_catalog(&conn, &old, "after down");
        let rows = "SELECT id, tenant_id, project_id, owner_id FROM tasks ORDER BY id;";
        assert_eq!(conn.text(rows).unwrap(), "1,1,1,7;2,2,1,7", "{}", d.name());
        conn.drop_database();
    }
}
