//! A model's checks against its columns: expressions parsed and type-checked by the IR's
//! check language (the derive front end uses the same), raw SQL held to the output
//! dialects.

use super::{model_path, Lower};
use crate::diag::{Diagnostic, ErrorKind};
use crate::spec::{CheckBody, ModelSpec, Spec};
use modelgen_ir::check::{check_types, parse_check, Check, CheckExpr};
use modelgen_ir::{Dialect, Model};

impl Lower<'_> {
    /// Rejects `positive: "price > 0"` on a model without `price`, and raw SQL that leaves
    /// out a dialect the spec writes migrations for.
    pub(super) fn checks(&mut self, spec: &Spec, model_spec: &ModelSpec, model: &mut Model) {
        for c in &model_spec.checks {
            let path = model_path(&model_spec.name).key("checks").key(&c.name);
            let expr = match &c.body {
                CheckBody::Expr(text) => {
                    let columns = &model.columns;
                    let lookup = |field: &str| {
                        columns
                            .iter()
                            .find(|col| col.name == field)
                            .map(|col| (col.name.as_str(), &col.ty))
                    };
                    let parsed = parse_check(text).and_then(|mut e| check_types(text, &mut e, &lookup).map(|()| e));
                    match parsed {
                        Ok(e) => CheckExpr::Tree(e),
                        Err(e) => {
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
                                format!("check `{}`: {} (at character {})", c.name, e.message, e.offset + 1),
                            )
                            .highlight(e.word);
                            d.expected = e.expected;
                            self.error(d);
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
