//! Editor support: the JSON Schema in `schema/models.schema.json` is what `modelgen schema`
//! prints, every valid spec of the repository passes it, typical typos fail it, and the
//! specs users start from name it on their first line.

use modelgen_tests::{schema_errors, workspace_root, Project};

const SCHEMA_FILE: &str = "schema/models.schema.json";

#[test]
fn the_checked_in_schema_is_what_modelgen_schema_prints() {
    let run = Project::new().run(&["schema"]);
    assert_eq!(run.code, 0, "{run:?}");
    let checked_in = std::fs::read_to_string(workspace_root().join(SCHEMA_FILE)).unwrap();
    assert!(
        run.stdout == checked_in,
        "{SCHEMA_FILE} is stale; refresh it with `cargo run -q -- schema > {SCHEMA_FILE}`"
    );
    assert_eq!(run.stdout, modelgen_spec::json_schema());
}

#[test]
fn every_valid_spec_of_the_repository_passes_the_schema() {
    let specs = modelgen_tests::valid_specs();
    assert!(specs.len() >= 7, "the ok cases are where they used to be");
    for spec in &specs {
        let text = std::fs::read_to_string(spec).unwrap();
        assert!(modelgen_tests::load_spec(spec).is_ok(), "{} loads", spec.display());
        let errors = schema_errors(&text);
        assert!(errors.is_empty(), "{} fails the schema: {errors:#?}", spec.display());
    }
}

/// Each typo is one edit of a valid spec; the reader rejects it, and so must the schema,
/// or the editor would stay silent about a spec `modelgen check` refuses.
#[test]
fn typical_typos_fail_the_schema_as_they_fail_the_reader() {
    let base = "output:\n  migrations: {dir: db, dialects: [sqlite, postgres], layout: sqlx}\n  rust: {dir: src/models, serde: true}\n  python: {file: app/models.py}\nmodels:\n  User:\n    table: users\n    fields:\n      id: int pk autoincrement\n      email: str(255) unique index\n      team_id: {type: int?, foreign_key: {references: Team.id, on_delete: set null}}\n    relations:\n      team: {many_to_one: Team, back_populates: members}\n  Team:\n    fields:\n      id: int pk\n      name: {type: str(50), unique: live, server_default: x}\n    mixins: [soft_delete]\n    relations:\n      members: {one_to_many: User, back_populates: team, cascade: \"all, delete-orphan\"}\n";
    assert!(modelgen_spec::load(base, "typos.yaml").is_ok());
    assert_eq!(schema_errors(base), Vec::<String>::new());
    let typos = [
        ("models:", "modles:"),
        ("    fields:\n      id: int pk a", "    feilds:\n      id: int pk a"),
        ("    table: users", "    tabel: users"),
        ("int pk autoincrement", "int pk autoincrment"),
        ("str(255) unique index", "strng(255) unique index"),
        ("str(255) unique index", "str(abc) unique index"),
        ("{type: int?,", "{typ: int?,"),
        ("foreign_key: {references", "foreignkey: {references"),
        ("on_delete: set null", "on_delete: set nul"),
        ("on_delete: set null", "ondelete: set null"),
        ("{many_to_one: Team,", "{many_to_1: Team,"),
        ("back_populates: members", "back_populate: members"),
        ("cascade: \"all, delete-orphan\"", "cascade: \"all, delete-orphans\""),
        ("unique: live", "unique: yes please"),
        ("dialects: [sqlite, postgres]", "dialects: [sqlite, postgresql]"),
        ("layout: sqlx", "layout: diesl"),
        ("serde: true}", "serde: yes}"),
        ("{file: app/models.py}", "{file: app/models.pyi}"),
        ("{file: app/models.py}", "{path: app/models.py}"),
        ("dir: db,", "dir: ../db,"),
        ("dir: db,", "dir: /var/db,"),
        ("mixins: [soft_delete]", "mixins: soft_delete"),
        (
            "{one_to_many: User, back",
            "{one_to_many: User, many_to_one: User, back",
        ),
    ];
    for (from, to) in typos {
        assert!(base.contains(from), "`{from}` is in the base spec");
        let spec = base.replacen(from, to, 1);
        assert!(
            modelgen_spec::load(&spec, "typos.yaml").is_err(),
            "the reader accepts `{to}`"
        );
        assert!(!schema_errors(&spec).is_empty(), "the schema accepts `{to}`");
    }
}

#[test]
fn the_root_spec_and_the_starter_name_the_schema_first() {
    let root = std::fs::read_to_string(workspace_root().join("models.yaml")).unwrap();
    assert_eq!(
        root.lines().next(),
        Some(format!("# yaml-language-server: $schema={SCHEMA_FILE}").as_str())
    );
    let project = Project::new();
    let run = project.run(&["init"]);
    assert_eq!(run.code, 0, "{run:?}");
    let starter = std::fs::read_to_string(project.path().join("models.yaml")).unwrap();
    assert_eq!(
        starter.lines().next(),
        Some(format!("# yaml-language-server: $schema={}", modelgen_spec::SCHEMA_URL).as_str())
    );
    assert!(modelgen_spec::SCHEMA_URL.ends_with(SCHEMA_FILE));
    assert_eq!(schema_errors(&starter), Vec::<String>::new());
}
