//! The mixins every front end knows without a definition: `timestamps` and `soft_delete`.

use crate::{Column, DefaultValue, LogicalType, OnUpdate};

#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinMixin {
    pub name: &'static str,
    pub doc: &'static str,
    /// Columns with every option set; `mixin` names this mixin.
    pub columns: Vec<Column>,
    /// The column marking a row deleted, for soft-delete mixins.
    pub soft_delete: Option<&'static str>,
}

pub fn builtin_mixins() -> Vec<BuiltinMixin> {
    let column = |mixin: &str, name: &str, nullable: bool, doc: &str| Column {
        nullable,
        doc: Some(doc.into()),
        mixin: Some(mixin.into()),
        ..Column::new(name, LogicalType::DateTime { timezone: false })
    };
    vec![
        BuiltinMixin {
            name: "timestamps",
            doc: "When the row was created and last updated.",
            columns: vec![
                Column {
                    default: Some(DefaultValue::Now),
                    server_default: Some(DefaultValue::Now),
                    ..column("timestamps", "created_at", false, "When the row was created.")
                },
                Column {
                    on_update: Some(OnUpdate::Now),
                    ..column(
                        "timestamps",
                        "updated_at",
                        true,
                        "When the row was last updated; kept by the database.",
                    )
                },
            ],
            soft_delete: None,
        },
        BuiltinMixin {
            name: "soft_delete",
            doc: "Rows are marked deleted instead of being removed.",
            columns: vec![column(
                "soft_delete",
                "deleted_at",
                true,
                "When the row was deleted; null while it is live.",
            )],
            soft_delete: Some("deleted_at"),
        },
    ]
}

pub fn builtin_mixin(name: &str) -> Option<BuiltinMixin> {
    builtin_mixins().into_iter().find(|m| m.name == name)
}
