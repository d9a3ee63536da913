//! `#[derive(modelgen::Enum)]` enums read from source, as `build --from-rust` reads them:
//! a struct's `#[model(enum)]` field gets the enum its type names (the proc-macro learns it
//! only when the program runs), so the schema is the one the YAML spec with the same enums
//! gives — and its SQL makes the enum on PostgreSQL with its values. What cannot be
//! resolved is an error at file:line:column.

use modelgen_ir::{Dialect, Schema};

fn from_rust(text: &str) -> Result<Schema, Vec<modelgen_attr::SourceError>> {
    modelgen_attr::schema_from_sources(&[("models.rs".into(), text.into())])
}

const RUST: &str = r#"
mod kinds {
    #[derive(Clone, Copy, modelgen::Enum)]
    pub enum State {
        Open,
        #[model(rename = "in-review")]
        InReview,
        Closed,
    }

    #[derive(Clone, Copy, modelgen::Enum)]
    #[model(type_name = "ticket_level", native = false, check)]
    pub enum Level {
        Low,
        High,
    }
}

#[derive(modelgen::Model)]
#[model(table = "tickets", check(name = "tickets_open_or_high", expr = "state <> 'closed' or level = 'high'"))]
pub struct Ticket {
    #[model(primary_key)]
    pub id: i32,
    #[model(enum)]
    pub state: kinds::State,
    #[model(enum)]
    pub level: Option<crate::kinds::Level>,
}
"#;

const YAML: &str = r#"
enums:
  State: [open, in-review, closed]
  Level: {values: [low, high], type_name: ticket_level, native: false, check: true}
models:
  Ticket:
    table: tickets
    fields:
      id: int pk
      state: State
      level: Level?
    checks:
      tickets_open_or_high: "state <> 'closed' or level = 'high'"
"#;

#[test]
fn enums_in_source_give_the_yaml_schema_and_its_sql() {
    let rust = from_rust(RUST).unwrap_or_else(|e| panic!("{e:?}"));
    let yaml = modelgen_spec::load(YAML, "models.yaml").unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(rust, yaml);
    let sql = modelgen_sql::create_script(&rust, Dialect::Postgres);
    assert!(
        sql.contains(r#"CREATE TYPE "state" AS ENUM ('open', 'in-review', 'closed');"#),
        "{sql}"
    );
    assert!(
        sql.contains(r#"CONSTRAINT "ticket_level" CHECK ("level" IN ('low', 'high'))"#),
        "{sql}"
    );
}

#[test]
fn what_cannot_be_resolved_is_an_error_where_it_is_written() {
    // No such enum among the files: said at the field's type, and only that (its checks
    // cannot be judged).
    let missing = RUST.replace("pub enum State {", "pub enum Status {");
    let errors = from_rust(&missing).unwrap_err();
    assert!(
        errors.iter().any(|e| (e.line, e.column) == (25, 16)
            && e.message.contains("`Ticket.state` is a `#[model(enum)]` of `State`, and no `#[derive(modelgen::Enum)]` enum of these files has that name (did you mean `Status`?)")),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    // A check compares an enum field with text that is none of its values.
    let outside = RUST.replace("level = 'high'", "level = 'urgent'");
    let errors = from_rust(&outside).unwrap_err();
    assert!(
        errors.iter().any(|e| {
            e.message
            == "check `tickets_open_or_high` of `Ticket`: 'urgent' is not a value of `level`'s enum (one of low, high)"
        }),
        "{errors:?}"
    );
    // Two enums of one name would make the field's type unsure.
    let twice = format!("{RUST}\n#[derive(modelgen::Enum)]\npub enum State {{ Other }}\n");
    let errors = from_rust(&twice).unwrap_err();
    assert!(
        errors.iter().any(|e| e
            .message
            .contains("two `#[derive(modelgen::Enum)]` enums are named `State`")),
        "{errors:?}"
    );
}
