//! Comments from `#[derive(Model)]`: `#[model(comment = "…")]` on the struct and on its
//! fields (a mixin's too) builds the IR that `tests/specs/ok/comments.yaml` lowers to, and
//! the SQL carries them where the database keeps comments. Doc comments stay docs.

use modelgen::{Dialect, Model};

// No doc comment: the spec's Author has none; its comment is the attribute's.
#[derive(Model)]
#[model(table = "author", comment = "Who writes notes.")]
#[allow(dead_code)]
pub struct Author {
    #[model(primary_key)]
    pub id: i32,
    /// Only in the code.
    #[model(max_length = 100)]
    pub name: String,
}

/// A note; the doc stays in the code.
#[derive(Model)]
#[model(
    table = "notes",
    comment = "Notes: it's a 'quoted' \\ backslash, ünïcode and 中文 (50% -- /* not SQL */).",
    mixins(timestamps),
    index(name = "ix_notes_plain_author", columns(plain, author_id))
)]
#[allow(dead_code)]
pub struct Note {
    #[model(primary_key, comment = "Surrogate key.")]
    pub id: i32,
    /// Only in the code.
    #[model(sql_type = "text", comment = "Two lines,\nthe second with a tab:\there.\n")]
    pub body: String,
    #[model(
        foreign_key = "author.id",
        index,
        comment = r"\n is not a line break, '\' not a quote"
    )]
    pub author_id: Option<i32>,
    #[model(max_length = 20)]
    pub plain: Option<String>,
    #[model(mixin = "audited", max_length = 50, comment = "Who changed the row last.")]
    pub changed_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

fn yaml() -> modelgen::ir::Schema {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/specs/ok/comments.yaml");
    let text = std::fs::read_to_string(path).expect("the spec case is readable");
    modelgen_spec::load(&text, "comments.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)))
}

#[test]
fn the_derived_comments_are_the_yaml_comments() {
    let yaml = yaml();
    for derived in [Note::model(), Author::model()] {
        let mut from_yaml = yaml.model(&derived.name).expect("the spec has the model").clone();
        // A derived foreign key names its target by table (`author.id`): the derive
        // cannot see the model's name, which only the Rust side uses.
        for fk in &mut from_yaml.foreign_keys {
            fk.target_model = fk.target_table.clone();
        }
        assert_eq!(derived.comment, from_yaml.comment);
        let comments = |m: &modelgen::ir::Model| -> Vec<(String, Option<String>)> {
            m.columns.iter().map(|c| (c.name.clone(), c.comment.clone())).collect()
        };
        assert_eq!(comments(derived), comments(&from_yaml));
        assert_eq!(derived, &from_yaml);
    }
}

#[test]
fn create_sql_carries_the_comments_where_the_database_keeps_them() {
    let models = [Author::model(), Note::model()];
    let postgres = modelgen::create_script(&models, Dialect::Postgres);
    assert!(
        postgres.contains("COMMENT ON TABLE \"author\" IS 'Who writes notes.';"),
        "{postgres}"
    );
    assert!(postgres
        .contains("COMMENT ON COLUMN \"notes\".\"author_id\" IS '\\n is not a line break, ''\\'' not a quote';"));
    let mysql = modelgen::create_script(&models, Dialect::Mysql);
    assert!(mysql.contains(") COMMENT='Who writes notes.';"), "{mysql}");
    assert!(mysql.contains("`author_id` INT COMMENT '\\\\n is not a line break, ''\\\\'' not a quote'"));
    let sqlite = modelgen::create_script(&models, Dialect::Sqlite);
    assert!(!sqlite.contains("COMMENT"), "{sqlite}");
}
