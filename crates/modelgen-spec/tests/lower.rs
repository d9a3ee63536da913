//! Lowering rules, one behaviour per test: what the IR holds for a small spec.

use modelgen_ir::{FkAction, ModelKind, RelationKind, Schema};

fn lower(yaml: &str) -> Schema {
    modelgen_spec::load(yaml, "test.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn columns(schema: &Schema, model: &str) -> Vec<String> {
    schema
        .model(model)
        .unwrap()
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn mixin_columns_follow_own_columns_in_mixin_order() {
    let s = lower(
        "mixins:\n  audit: {fields: {audited_by: str(9)?}}\nmodels:\n  A:\n    mixins: [soft_delete, audit, timestamps]\n    fields: {id: int pk, name: text}\n",
    );
    assert_eq!(
        columns(&s, "A"),
        ["id", "name", "deleted_at", "audited_by", "created_at", "updated_at"]
    );
    let a = s.model("A").unwrap();
    assert_eq!(a.soft_delete.as_deref(), Some("deleted_at"));
    assert_eq!(a.column("audited_by").unwrap().mixin.as_deref(), Some("audit"));
}

#[test]
fn a_user_mixin_replaces_the_builtin_of_the_same_name() {
    let s = lower("mixins:\n  timestamps: {fields: {stamped_at: datetime}}\nmodels:\n  A: {mixins: [timestamps], fields: {id: int pk}}\n");
    assert_eq!(columns(&s, "A"), ["id", "stamped_at"]);
}

#[test]
fn unique_and_index_resolve_as_sqlalchemy_emits_them() {
    let s = lower(
        "models:\n  U:\n    table: users\n    fields:\n      id: int pk\n      a: str(9) unique index\n      b: str(9) unique\n      c: str(9) index\n    indexes:\n      - {columns: [a, c]}\n      - {name: named, columns: [c], unique: true}\n",
    );
    let u = s.model("U").unwrap();
    let idx: Vec<_> = u
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.plain_columns().unwrap().join(","), i.unique))
        .collect();
    assert_eq!(
        idx,
        [
            ("ix_users_a", "a".to_string(), true),
            ("ix_users_c", "c".to_string(), false),
            ("ix_users_a_c", "a,c".to_string(), false),
            ("named", "c".to_string(), true),
        ]
    );
    assert_eq!(u.uniques.len(), 1);
    assert_eq!(
        (u.uniques[0].name.as_deref(), u.uniques[0].columns.as_slice()),
        (None, &["b".to_string()][..])
    );
}

#[test]
fn autoincrement_is_automatic_only_for_a_lone_integer_key() {
    let s = lower(
        "models:\n  A: {fields: {id: int pk}}\n  B: {fields: {id: uuid pk}}\n  C: {fields: {x: int pk, y: int pk}}\n  D: {fields: {id: {type: bigint pk, autoincrement: false}}}\n",
    );
    let auto = |m: &str| s.model(m).unwrap().columns.iter().any(|c| c.autoincrement);
    assert!(auto("A"));
    assert!(!auto("B"));
    assert!(!auto("C"));
    assert!(!auto("D"));
    assert_eq!(s.model("C").unwrap().primary_key, ["x", "y"]);
}

#[test]
fn foreign_keys_resolve_by_model_or_table_name() {
    let s = lower(
        "models:\n  User: {table: users, fields: {id: int pk, email: str(9) unique}}\n  K:\n    fields:\n      id: int pk\n      a: {type: int, foreign_key: users.id}\n      b: {type: int, foreign_key: {references: User, on_delete: cascade}}\n      c: {type: str(9), foreign_key: User.email}\n",
    );
    let fks = &s.model("K").unwrap().foreign_keys;
    let got: Vec<_> = fks
        .iter()
        .map(|f| {
            (
                f.columns[0].as_str(),
                f.target_table.as_str(),
                f.target_columns[0].as_str(),
                f.on_delete,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a", "users", "id", None),
            ("b", "users", "id", Some(FkAction::Cascade)),
            ("c", "users", "email", None)
        ]
    );
}

#[test]
fn many_to_many_synthesizes_one_join_table_for_both_sides() {
    let s = lower(
        "models:\n  User:\n    table: users\n    fields: {id: int pk}\n    relations: {roles: {many_to_many: Role, through: user_roles, back_populates: users}}\n  Role:\n    table: roles\n    fields: {id: bigint pk}\n    relations: {users: {many_to_many: User, through: user_roles, back_populates: roles}}\n",
    );
    let joins: Vec<_> = s.models.iter().filter(|m| m.kind == ModelKind::Join).collect();
    assert_eq!(joins.len(), 1);
    let j = joins[0];
    assert_eq!(
        (j.table.as_str(), j.primary_key.as_slice()),
        ("user_roles", &["user_id".to_string(), "role_id".to_string()][..])
    );
    assert_eq!(
        j.column("role_id").unwrap().ty,
        modelgen_ir::LogicalType::BigInt,
        "join column takes the target key's type"
    );
    assert!(j.columns.iter().all(|c| !c.nullable && !c.autoincrement));
    let targets: Vec<_> = j.foreign_keys.iter().map(|f| f.target_table.as_str()).collect();
    assert_eq!(targets, ["users", "roles"]);
    let roles = &s.model("User").unwrap().relations[0];
    assert_eq!(
        (roles.foreign_key.as_slice(), roles.target_foreign_key.as_slice()),
        (&["user_id".to_string()][..], &["role_id".to_string()][..])
    );
    let users = &s.model("Role").unwrap().relations[0];
    assert_eq!(users.foreign_key, ["role_id"]);
}

#[test]
fn one_to_many_and_many_to_one_pair_over_the_same_foreign_key() {
    let s = lower(
        "models:\n  User:\n    fields: {id: int pk}\n    relations: {keys: {one_to_many: Key, back_populates: owner, cascade: \"all, delete-orphan\"}}\n  Key:\n    fields: {id: int pk, owner_id: {type: int, foreign_key: User.id}}\n    relations: {owner: {many_to_one: User, back_populates: keys}}\n",
    );
    let keys = &s.model("User").unwrap().relations[0];
    let owner = &s.model("Key").unwrap().relations[0];
    assert_eq!(
        (keys.kind, owner.kind),
        (RelationKind::OneToMany, RelationKind::ManyToOne)
    );
    assert_eq!(keys.foreign_key, owner.foreign_key);
    assert_eq!(keys.foreign_key, ["owner_id"]);
    assert_eq!(keys.cascade, ["all", "delete-orphan"]);
    assert_eq!(owner.back_populates.as_deref(), Some("keys"));
}

#[test]
fn a_spec_that_lowers_is_deterministic() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models.yaml")).unwrap();
    let a = serde_json::to_string(&lower(&text)).unwrap();
    let b = serde_json::to_string(&lower(&text)).unwrap();
    assert_eq!(a, b);
}
