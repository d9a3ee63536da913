//! The reference models derived by hand (`reference/models.rs`) against `models.yaml`:
//! the same IR, and byte-identical DDL to the migrations the CLI writes.

// The fields are columns; this test reads only some of them.
#[allow(dead_code)]
#[path = "reference/models.rs"]
mod models;

use modelgen::ir::{Model as IrModel, Schema};
use modelgen::{Dialect, Model};
use models::{ApiKey, Role, User, UserRole};

fn yaml_schema() -> Schema {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models.yaml");
    let text = std::fs::read_to_string(path).expect("models.yaml is readable");
    modelgen_spec::load(&text, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn derived() -> [&'static IrModel; 4] {
    [User::model(), ApiKey::model(), Role::model(), UserRole::model()]
}

/// What a derived model cannot know alone: a foreign key names its target by table.
fn with_targets_resolved(model: &IrModel, schema: &Schema) -> IrModel {
    let mut model = model.clone();
    for fk in &mut model.foreign_keys {
        fk.target_model = schema
            .model_by_table(&fk.target_table)
            .expect("target exists")
            .name
            .clone();
    }
    model
}

#[test]
fn create_and_drop_scripts_equal_the_yaml_ones_in_every_dialect() {
    let yaml = yaml_schema();
    for d in Dialect::ALL {
        assert_eq!(
            modelgen::create_script(&derived(), d),
            modelgen_sql::create_script(&yaml, d),
            "{d:?}"
        );
        assert_eq!(
            modelgen::drop_script(&derived(), d),
            modelgen_sql::drop_script(&yaml, d),
            "{d:?}"
        );
    }
}

#[test]
fn each_table_creates_as_in_the_yaml_schema() {
    let yaml = yaml_schema();
    let model = |name: &str| yaml.model(name).expect("the model is in models.yaml");
    for d in Dialect::ALL {
        assert_eq!(User::create_sql(d), modelgen_sql::create_table_sql(model("User"), d));
        assert_eq!(
            ApiKey::create_sql(d),
            modelgen_sql::create_table_sql(model("ApiKey"), d)
        );
        assert_eq!(Role::create_sql(d), modelgen_sql::create_table_sql(model("Role"), d));
        assert_eq!(
            UserRole::create_sql(d),
            modelgen_sql::create_table_sql(model("user_roles"), d)
        );
    }
}

#[test]
fn the_derived_ir_is_the_yaml_ir() {
    let yaml = yaml_schema();
    assert_eq!(User::model(), yaml.model("User").unwrap());
    assert_eq!(Role::model(), yaml.model("Role").unwrap());
    assert_eq!(
        &with_targets_resolved(ApiKey::model(), &yaml),
        yaml.model("ApiKey").unwrap()
    );
    // The join table the YAML front end makes is named after its table.
    let join = IrModel {
        name: "user_roles".into(),
        ..with_targets_resolved(UserRole::model(), &yaml)
    };
    assert_eq!(&join, yaml.model("user_roles").unwrap());
}

#[test]
fn the_same_source_read_as_text_gives_the_same_schema() {
    let source = include_str!("reference/models.rs");
    let schema = modelgen_attr::schema_from_sources(&[("reference/models.rs".into(), source.into())])
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let yaml = yaml_schema();
    assert_eq!(schema.models[..3], yaml.models[..3]);
    assert_eq!(schema.models[3].foreign_keys, yaml.models[3].foreign_keys);
    for d in Dialect::ALL {
        assert_eq!(
            modelgen_sql::create_script(&schema, d),
            modelgen_sql::create_script(&yaml, d)
        );
    }
}

#[test]
fn constants_accessors_and_repr() {
    assert_eq!(User::TABLE, "users");
    assert_eq!(UserRole::COLUMNS, ["user_id", "role_id"]);
    assert_eq!(User::COLUMNS.len(), User::model().columns.len());

    let keys = User::api_keys();
    assert_eq!((keys.name, keys.foreign_key), ("api_keys", &["user_id"][..]));
    assert_eq!((keys.from_table(), keys.target_table()), ("users", "api_keys"));
    let roles = User::roles();
    assert_eq!(roles.through, Some("user_roles"));
    assert_eq!(roles.target_foreign_key, ["role_id"]);
    assert_eq!(ApiKey::user().kind, modelgen::ir::RelationKind::ManyToOne);
    // Accessors are const: usable where a constant is needed.
    const USERS: modelgen::Relation<Role, User> = Role::users();
    assert_eq!(USERS.target_table(), "users");

    let now = chrono::NaiveDate::from_ymd_opt(2024, 1, 31)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let user = User {
        id: 1,
        email: "ada@example.com".into(),
        username: "ada".into(),
        hashed_password: "secret".into(),
        full_name: None,
        is_active: true,
        is_superuser: false,
        created_at: now,
        updated_at: None,
    };
    assert_eq!(format!("{user:?}"), "<User(id=1, email=ada@example.com)>");
    assert_eq!(user.to_string(), "<User(id=1, email=ada@example.com)>");
    let role = Role {
        id: 2,
        name: "admin".into(),
        description: None,
    };
    assert_eq!(format!("{role:?}"), "<Role(id=2, name=admin)>");
}
