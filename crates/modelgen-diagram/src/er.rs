//! What an ER diagram shows, read from the IR once so both notations agree: each table
//! with its columns and key markers, and one link per foreign key with the cardinality of
//! both ends.
//!
//! Relations are not drawn on their own: every relation rides on a foreign key (a
//! one-to-many and its many-to-one are two views of one key, and a many-to-many is the
//! join table's two keys), so one link per key shows each of them exactly once, and keys
//! that no relation names still appear.

use modelgen_ir::{LogicalType, Model, Schema};

pub(crate) struct Diagram<'a> {
    pub entities: Vec<Entity<'a>>,
    pub links: Vec<Link<'a>>,
}

/// One table.
pub(crate) struct Entity<'a> {
    pub table: &'a str,
    /// A join table modelgen made for a many-to-many relation.
    pub join: bool,
    pub attributes: Vec<Attribute<'a>>,
}

/// One column.
pub(crate) struct Attribute<'a> {
    pub name: &'a str,
    pub ty: &'a LogicalType,
    pub nullable: bool,
    pub primary: bool,
    /// Part of a foreign key.
    pub foreign: bool,
    pub unique: Option<Unique>,
}

/// Why a column is unique on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unique {
    /// A UNIQUE constraint or unique index.
    Always,
    /// A unique index over live rows only (soft delete): deleted rows may repeat a value.
    LiveRows,
}

impl Attribute<'_> {
    /// `PK`, `FK`, `UK`, in that order, as both notations spell them.
    pub fn markers(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.primary {
            out.push("PK");
        }
        if self.foreign {
            out.push("FK");
        }
        if self.unique.is_some() {
            out.push("UK");
        }
        out
    }
}

/// One foreign key: `child.columns` references `parent.parent_columns`.
pub(crate) struct Link<'a> {
    /// The referenced table: the "one" end.
    pub parent: &'a str,
    pub parent_columns: &'a [String],
    /// The referenced columns are the parent's primary key, as they nearly always are.
    pub to_primary_key: bool,
    /// The table holding the key: the "many" end, unless the key is also unique.
    pub child: &'a str,
    pub columns: &'a [String],
    /// A child row may have no parent: some key column is nullable.
    pub optional: bool,
    /// A parent has at most one child: the key columns are the child's primary key or a
    /// unique constraint (a one-to-one).
    pub one_to_one: bool,
}

impl Link<'_> {
    /// The key's columns, as edge labels show them, and the referenced columns when they
    /// are not the parent's primary key (`contact → email`).
    pub fn label(&self) -> String {
        let columns = self.columns.join(", ");
        match self.to_primary_key {
            true => columns,
            false => format!("{columns} → {}", self.parent_columns.join(", ")),
        }
    }
}

pub(crate) fn diagram(schema: &Schema) -> Diagram<'_> {
    let entities = schema.models.iter().map(entity).collect();
    let links = schema
        .models
        .iter()
        .flat_map(|model| {
            model.foreign_keys.iter().map(move |fk| Link {
                parent: &fk.target_table,
                parent_columns: &fk.target_columns,
                to_primary_key: schema
                    .model_by_table(&fk.target_table)
                    .is_none_or(|parent| parent.primary_key == fk.target_columns),
                child: &model.table,
                columns: &fk.columns,
                optional: fk
                    .columns
                    .iter()
                    .any(|c| model.column(c).is_some_and(|col| col.nullable)),
                one_to_one: model.is_unique_set(&fk.columns),
            })
        })
        .collect();
    Diagram { entities, links }
}

fn entity(model: &Model) -> Entity<'_> {
    let attributes = model
        .columns
        .iter()
        .map(|column| {
            let alone = std::slice::from_ref(&column.name);
            let unique = if model.uniques.iter().any(|u| u.columns == alone)
                || model
                    .indexes
                    .iter()
                    .any(|i| i.unique && !i.is_partial() && i.columns == alone)
            {
                Some(Unique::Always)
            } else if model
                .indexes
                .iter()
                .any(|i| i.unique && i.live_only && i.predicate.is_none() && i.columns == alone)
            {
                Some(Unique::LiveRows)
            } else {
                None
            };
            Attribute {
                name: &column.name,
                ty: &column.ty,
                nullable: column.nullable,
                primary: model.primary_key.contains(&column.name),
                foreign: model.foreign_keys.iter().any(|fk| fk.columns.contains(&column.name)),
                unique,
            }
        })
        .collect();
    Entity {
        table: &model.table,
        join: model.kind == modelgen_ir::ModelKind::Join,
        attributes,
    }
}
