//! The diagram back end on hand-built schemas: every cardinality, key marker and escape,
//! checked line by line in both notations.

use modelgen_ir::{Column, ForeignKey, Index, LogicalType, Model, ModelKind, Schema, Unique};

fn column(name: &str, ty: LogicalType, nullable: bool) -> Column {
    Column {
        nullable,
        ..Column::new(name, ty)
    }
}

fn model(table: &str, kind: ModelKind, columns: Vec<Column>, primary_key: &[&str]) -> Model {
    Model {
        name: table.into(),
        table: table.into(),
        kind,
        doc: None,
        comment: None,
        mixins: Vec::new(),
        columns,
        primary_key: primary_key.iter().map(|s| s.to_string()).collect(),
        primary_key_name: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        relations: Vec::new(),
        repr: Vec::new(),
        soft_delete: None,
        renamed_from: None,
        checks: Vec::new(),
        naming: None,
    }
}

fn fk(column: &str, table: &str) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: vec![column.into()],
        target_model: table.into(),
        target_table: table.into(),
        target_columns: vec!["id".into()],
        on_delete: None,
        on_update: None,
    }
}

/// accounts (one) ← profiles (one-to-one: the key is the primary key), ← sessions
/// (optional parent; a second key to a unique column), ← tags through account_tags (a join
/// table); plus every kind of uniqueness and names Mermaid cannot take as they are.
fn schema() -> Schema {
    let mut accounts = model(
        "accounts",
        ModelKind::Entity,
        vec![
            column("id", LogicalType::Int, false),
            column("email", LogicalType::Str { max_length: Some(255) }, false),
            column("handle", LogicalType::Str { max_length: Some(30) }, false),
            column(
                "balance",
                LogicalType::Decimal {
                    precision: 10,
                    scale: 2,
                },
                true,
            ),
            column("pk", LogicalType::Text, true),
            column("größe", LogicalType::Float, true),
            column("µs", LogicalType::BigInt, false),
            column("deleted_at", LogicalType::DateTime { timezone: true }, true),
        ],
        &["id"],
    );
    accounts.uniques.push(Unique {
        name: None,
        columns: vec!["email".into()],
    });
    accounts.indexes.push(Index {
        name: "ix_accounts_handle".into(),
        columns: vec!["handle".into()],
        unique: true,
        live_only: true,
        predicate: None,
    });
    accounts.soft_delete = Some("deleted_at".into());

    let mut profiles = model(
        "profiles",
        ModelKind::Entity,
        vec![
            column("account_id", LogicalType::Int, false),
            column("bio", LogicalType::Text, true),
        ],
        &["account_id"],
    );
    profiles.foreign_keys.push(fk("account_id", "accounts"));

    let mut sessions = model(
        "sessions",
        ModelKind::Entity,
        vec![
            column("id", LogicalType::Uuid, false),
            column("account_id", LogicalType::Int, true),
            column("handle_ref", LogicalType::Str { max_length: Some(30) }, true),
        ],
        &["id"],
    );
    sessions.foreign_keys.push(fk("account_id", "accounts"));
    sessions.foreign_keys.push(ForeignKey {
        target_columns: vec!["handle".into()],
        ..fk("handle_ref", "accounts")
    });

    let tags = model(
        "tags",
        ModelKind::Entity,
        vec![column("id", LogicalType::Int, false)],
        &["id"],
    );
    let mut join = model(
        "account_tags",
        ModelKind::Join,
        vec![
            column("account_id", LogicalType::Int, false),
            column("tag_id", LogicalType::Int, false),
        ],
        &["account_id", "tag_id"],
    );
    join.foreign_keys.push(fk("account_id", "accounts"));
    join.foreign_keys.push(fk("tag_id", "tags"));

    Schema {
        models: vec![accounts, profiles, sessions, tags, join],
    }
}

#[test]
fn mermaid_spells_keys_cardinality_and_unsafe_words() {
    let text = modelgen_diagram::mermaid(&schema());
    let expected = r#"erDiagram
    "accounts" {
        int id PK
        str(255) email UK
        str(30) handle UK "unique among live rows"
        decimal(10_2) balance "nullable"
        text pk_ "nullable, column pk"
        float gr__e "nullable, column größe"
        bigint _s "column µs"
        datetime(tz) deleted_at "nullable"
    }
    "profiles" {
        int account_id PK, FK
        text bio "nullable"
    }
    "sessions" {
        uuid id PK
        int account_id FK "nullable"
        str(30) handle_ref FK "nullable"
    }
    "tags" {
        int id PK
    }
    "account_tags" {
        int account_id PK, FK
        int tag_id PK, FK
    }
    "accounts" ||--o| "profiles" : "account_id"
    "accounts" |o--o{ "sessions" : "account_id"
    "accounts" |o--o{ "sessions" : "handle_ref → handle"
    "accounts" ||--o{ "account_tags" : "account_id"
    "tags" ||--o{ "account_tags" : "tag_id"
"#;
    assert_eq!(text, expected, "\n{text}");
}

#[test]
fn dot_draws_tables_and_crows_feet() {
    let text = modelgen_diagram::dot(&schema());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "digraph schema {");
    assert_eq!(lines.last(), Some(&"}"));
    for expected in [
        r##"            <tr><td colspan="3" bgcolor="#dbe6f4"><b>accounts</b></td></tr>"##,
        r##"            <tr><td colspan="3" bgcolor="#e8e8e8"><b>account_tags</b></td></tr>"##,
        r#"            <tr><td port="balance" align="left">balance</td><td align="left">decimal(10,2)?</td><td align="left"></td></tr>"#,
        r#"            <tr><td port="handle" align="left">handle</td><td align="left">str(30)</td><td align="left">UK (live)</td></tr>"#,
        r#"            <tr><td port="größe" align="left">größe</td><td align="left">float?</td><td align="left"></td></tr>"#,
        r#"            <tr><td port="account_id" align="left">account_id</td><td align="left">int</td><td align="left">PK FK</td></tr>"#,
        r#"    "accounts" -> "profiles":"account_id":w [label="account_id", arrowtail=teetee, arrowhead=teeodot];"#,
        r#"    "accounts" -> "sessions":"account_id":w [label="account_id", arrowtail=teeodot, arrowhead=crowodot];"#,
        r#"    "tags" -> "account_tags":"tag_id":w [label="tag_id", arrowtail=teetee, arrowhead=crowodot];"#,
        r#"    "accounts" -> "sessions":"handle_ref":w [label="handle_ref → handle", arrowtail=teeodot, arrowhead=crowodot];"#,
    ] {
        assert!(lines.contains(&expected), "missing line {expected}\nin\n{text}");
    }
    assert_eq!(text.matches(" -> ").count(), 5);
}

#[test]
fn output_is_deterministic_and_empty_schemas_are_valid() {
    assert_eq!(
        modelgen_diagram::mermaid(&schema()),
        modelgen_diagram::mermaid(&schema())
    );
    assert_eq!(modelgen_diagram::dot(&schema()), modelgen_diagram::dot(&schema()));
    let empty = Schema { models: Vec::new() };
    assert_eq!(modelgen_diagram::mermaid(&empty), "erDiagram\n");
    assert!(modelgen_diagram::dot(&empty).ends_with("fontsize=10];\n}\n"));
}
