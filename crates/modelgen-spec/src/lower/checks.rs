//! A model's checks against its columns: expressions parsed and type-checked by the IR's
//! check language (the derive front end uses the same), raw SQL held to the output
//! dialects.

use super::{model_path, Lower};
use crate::diag::Path;
use crate::diag::{Diagnostic, ErrorKind};
use crate::spec::{CheckBody, ModelSpec, Spec};
use modelgen_ir::check::{check_types, parse_check, Check, CheckError, CheckExpr};
use modelgen_ir::{Dialect, LogicalType, Model};

impl Lower<'_> {
    /// Rejects `positive: "price > 0"` on a model without `price`, and raw SQL that leaves
    /// out a dialect the spec writes migrations for.
    pub(super) fn checks(&mut self, spec: &Spec, model_spec: &ModelSpec, model: &mut Model) {
        for c in &model_spec.checks {
            let path = model_path(&model_spec.name).key("checks").key(&c.name);
            let expr = match &c.body {
                CheckBody::Expr(text) => {
                    let lookup = column_lookup(model);
                    let parsed = parse_check(text).and_then(|mut e| check_types(text, &mut e, &lookup).map(|()| e));
                    match parsed {
                        Ok(e) => CheckExpr::Tree(e),
                        Err(e) => {
                            self.check_error(path, &format!("check `{}`", c.name), e);
                            continue;
                        }
                    }
                }
                CheckBody::Sql(per) => {
                    let missing: Vec<&str> = spec
                        .output
                        .migrations
                        .dialects
                        .iter()
                        .filter(|d| !per.contains_key(d))
                        .map(|d| Dialect::name(*d))
                        .collect();
                    if !missing.is_empty() {
                        self.error(
                            Diagnostic::new(
                                ErrorKind::MissingKey,
                                path.key("sql"),
                                format!("check `{}` has no SQL for {}", c.name, missing.join(", ")),
                            )
                            .at_key()
                            .help("give SQL for every dialect in `output.migrations.dialects`, or one `sql:` text for all"),
                        );
                        continue;
                    }
                    CheckExpr::Sql(per.clone())
                }
            };
            model.checks.push(Check {
                name: c.name.clone(),
                expr,
                doc: c.doc.clone(),
                dialects: Vec::new(),
            });
        }
    }
}

impl Lower<'_> {
    /// Reports a mistake in a text of the check language (a check, an index's `where:`
    /// or expression key) at `path`; `what` names the text.
    pub(super) fn check_error(&mut self, path: Path, what: &str, e: CheckError) {
        let kind = if e.message.starts_with("unknown field") {
            ErrorKind::UnknownReference
        } else if e.message.contains(" needs ") || e.message.contains("cannot compare") {
            ErrorKind::TypeMismatch
        } else {
            ErrorKind::BadValue
        };
        let mut d = Diagnostic::new(
            kind,
            path,
            format!("{what}: {} (at character {})", e.message, e.offset + 1),
        )
        .highlight(e.word);
        d.expected = e.expected;
        self.error(d);
    }
}

/// A field name → its column's name and type, as the check language resolves names.
pub(super) fn column_lookup<'m>(model: &'m Model) -> impl Fn(&str) -> Option<(&'m str, &'m LogicalType)> {
    move |field: &str| {
        model
            .columns
            .iter()
            .find(|col| col.name == field)
            .map(|col| (col.name.as_str(), &col.ty))
    }
}
