//! Migrations between two versions of a schema: the operations (`diff`), whether they
//! can lose data, and their SQL per dialect (`render`), up and down. Pure: the CLI keeps
//! the schema snapshot and writes the files.

mod diff;
mod render;

pub use diff::{can_fail, destructive, diff, irreversible, rename_hints, unknown_renames, Op, Renames};
pub use render::{in_transaction, render, zero, Script, NO_TRANSACTION};

use modelgen_ir::{Dialect, Schema};

/// The first migration: the whole schema's CREATE script up, its DROP script down; on
/// SQLite each in its own transaction, as every SQLite migration is.
pub fn initial(schema: &Schema, d: Dialect) -> (Script, Script) {
    let up = modelgen_sql::create_script(schema, d) + "\n";
    let down = modelgen_sql::drop_script(schema, d);
    match d {
        Dialect::Sqlite => (in_transaction(&up), in_transaction(&down)),
        _ => (
            Script {
                sql: up,
                no_transaction: false,
            },
            Script {
                sql: down,
                no_transaction: false,
            },
        ),
    }
}

/// Everything about one migration from `old` to `new`.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub up: Vec<Op>,
    pub down: Vec<Op>,
    pub renames: Renames,
    /// Operations that can lose data, with why.
    pub destructive: Vec<String>,
    /// Drops and adds that look like undeclared renames.
    pub hints: Vec<String>,
}

impl Plan {
    pub fn new(old: &Schema, new: &Schema) -> Plan {
        let renames = Renames::declared(old, new);
        let up = diff(old, new, &renames);
        let down = diff(new, old, &renames.inverted());
        let destructive = up.iter().filter_map(destructive).collect();
        let hints = rename_hints(&up);
        Plan {
            up,
            down,
            renames,
            destructive,
            hints,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.up.is_empty()
    }

    /// The up and down scripts for one dialect. The down script marks what it cannot bring
    /// back ([`irreversible`]).
    pub fn scripts(&self, old: &Schema, new: &Schema, d: Dialect) -> (Script, Script) {
        let up = render(&self.up, old, new, &self.renames, d);
        let mut down = render(&self.down, new, old, &self.renames.inverted(), d);
        let lost: Vec<String> = self
            .up
            .iter()
            .filter_map(irreversible)
            .map(|why| format!("-- irreversible: {why}"))
            .collect();
        if !lost.is_empty() {
            down.sql = format!("{}\n{}", lost.join("\n"), down.sql);
        }
        (up, down)
    }
}
