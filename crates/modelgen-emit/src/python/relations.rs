//! `relationship(...)` from the IR's relations, with what SQLAlchemy needs said when
//! there is more than one way between two tables.

use super::literal::*;
use super::{attr_view, AttrView, Builder};
use crate::rust::struct_name;
use modelgen_ir::{Model, ModelKind, Relation, RelationKind};

impl Builder<'_> {
    pub(super) fn relation_attr(&mut self, model: &Model, rel: &Relation) -> AttrView {
        self.import("sqlalchemy.orm", "relationship");
        let schema = self.schema;
        let target = struct_name(&rel.target);
        let target_model = schema.model(&rel.target);
        let mut args = vec![py_str(&target)];
        let annotation = match rel.kind {
            RelationKind::ManyToOne => {
                let nullable = rel
                    .foreign_key
                    .iter()
                    .any(|c| model.column(c).is_some_and(|c| c.nullable));
                if nullable {
                    self.import("typing", "Optional");
                    format!("Mapped[Optional[{}]]", py_str(&target))
                } else {
                    format!("Mapped[{}]", py_str(&target))
                }
            }
            // At most one row, or none: SQLAlchemy's `uselist=False`.
            RelationKind::OneToOne => {
                self.import("typing", "Optional");
                format!("Mapped[Optional[{}]]", py_str(&target))
            }
            _ => format!("Mapped[list[{}]]", py_str(&target)),
        };
        let this = struct_name(&model.name);
        let refs = |m: &Model, table: &str| m.foreign_keys.iter().filter(|fk| fk.target_table == table).count();
        match (rel.kind, target_model) {
            (RelationKind::ManyToMany, _) => {
                let through = schema.model_by_table(rel.through.as_deref().unwrap_or_default());
                if let Some(through) = through {
                    let secondary = match through.kind {
                        ModelKind::Join => table_var(&through.table),
                        ModelKind::Entity => py_str(&through.table),
                    };
                    args.push(format!("secondary={secondary}"));
                    let target_table = target_model.map(|t| t.table.as_str()).unwrap_or_default();
                    if refs(through, &model.table) > 1 || refs(through, target_table) > 1 {
                        // Two ways through the join table: say which column leads where.
                        args.push(format!(
                            "primaryjoin={}",
                            join_lambda(model, &this, through, &rel.foreign_key)
                        ));
                        if let Some(t) = target_model {
                            args.push(format!(
                                "secondaryjoin={}",
                                join_lambda(t, &target, through, &rel.target_foreign_key)
                            ));
                        }
                    }
                }
            }
            (RelationKind::ManyToOne, Some(t)) => {
                if refs(model, &t.table) > 1 {
                    args.push(format!("foreign_keys={}", attr_list(&this, &rel.foreign_key)));
                }
                if t.table == model.table {
                    args.push(format!("remote_side={}", attr_list(&this, &t.primary_key)));
                }
            }
            (RelationKind::OneToMany | RelationKind::OneToOne, Some(t)) if refs(t, &model.table) > 1 => {
                args.push(format!("foreign_keys={}", attr_list(&target, &rel.foreign_key)));
            }
            _ => {}
        }
        if rel.kind == RelationKind::OneToOne {
            args.push("uselist=False".into());
        }
        if let Some(back) = &rel.back_populates {
            args.push(format!("back_populates={}", py_str(&attr_name(back))));
        }
        // Unpaired relations over the same foreign key are two views of it, as the spec
        // says; SQLAlchemy wants that said, or it warns they write the same column.
        let mut overlaps: Vec<String> = target_model
            .map(|t| {
                t.relations
                    .iter()
                    .filter(|r| overlapping(model, rel, r))
                    .map(|r| attr_name(&r.name))
                    .collect()
            })
            .unwrap_or_default();
        // Two relations of this model along one foreign key in the same direction.
        overlaps.extend(
            model
                .relations
                .iter()
                .filter(|r| r.name != rel.name && same_way(rel, r))
                .map(|r| attr_name(&r.name)),
        );
        overlaps.sort();
        overlaps.dedup();
        if !overlaps.is_empty() {
            args.push(format!("overlaps={}", py_str(&overlaps.join(","))));
        }
        if !rel.cascade.is_empty() {
            args.push(format!("cascade={}", py_str(&rel.cascade.join(", "))));
        }
        attr_view(
            &attr_name(&rel.name),
            doc_lines(rel.doc.as_deref()),
            annotation,
            "relationship",
            args,
        )
    }
}

/// Whether `other` (on `rel`'s target) follows the same foreign key as `rel` the other
/// way without the two being paired by `back_populates`.
fn overlapping(model: &Model, rel: &Relation, other: &Relation) -> bool {
    let paired = rel.back_populates.as_deref() == Some(other.name.as_str())
        || other.back_populates.as_deref() == Some(rel.name.as_str());
    let same_path = match (rel.kind, other.kind) {
        (RelationKind::OneToMany | RelationKind::OneToOne, RelationKind::ManyToOne)
        | (RelationKind::ManyToOne, RelationKind::OneToMany | RelationKind::OneToOne) => {
            other.foreign_key == rel.foreign_key
        }
        (RelationKind::ManyToMany, RelationKind::ManyToMany) => {
            other.through == rel.through && other.foreign_key == rel.target_foreign_key
        }
        _ => false,
    };
    other.target == model.name && same_path && !paired
}

/// Whether two relations of one model follow the same foreign key the same way.
fn same_way(a: &Relation, b: &Relation) -> bool {
    a.kind == b.kind
        && a.target == b.target
        && a.foreign_key == b.foreign_key
        && a.through == b.through
        && a.target_foreign_key == b.target_foreign_key
}

/// `lambda: Employee.id == Mentorship.mentee_id`, joined with `&` for composite keys.
fn join_lambda(side: &Model, side_class: &str, through: &Model, through_columns: &[String]) -> String {
    let through_ref = |c: &str| match through.kind {
        ModelKind::Join => format!("{}.c[{}]", table_var(&through.table), py_str(c)),
        ModelKind::Entity => format!("{}.{}", struct_name(&through.name), attr_name(c)),
    };
    let fk = through
        .foreign_keys
        .iter()
        .find(|fk| fk.columns == through_columns && fk.target_table == side.table);
    let pairs: Vec<String> = match fk {
        Some(fk) => fk
            .columns
            .iter()
            .zip(&fk.target_columns)
            .map(|(c, t)| format!("({side_class}.{} == {})", attr_name(t), through_ref(c)))
            .collect(),
        None => Vec::new(),
    };
    let body = match pairs.as_slice() {
        [one] => one.trim_start_matches('(').trim_end_matches(')').to_owned(),
        _ => pairs.join(" & "),
    };
    format!("lambda: {body}")
}

/// `"[Employee.id]"`: attributes for relationship() to evaluate once every class exists.
fn attr_list(class: &str, columns: &[String]) -> String {
    let items: Vec<String> = columns.iter().map(|c| format!("{class}.{}", attr_name(c))).collect();
    py_str(&format!("[{}]", items.join(", ")))
}
