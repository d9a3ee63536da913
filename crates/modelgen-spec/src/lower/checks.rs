//! A model's checks against its columns: expressions parsed and type-checked by the IR's
//! check language (the derive front end uses the same), raw SQL held to the output
//! dialects.

use super::{column_path, model_path, Lower};
use crate::diag::Path;
use crate::diag::{Diagnostic, ErrorKind};
use crate::spec::{CheckBody, ModelSpec, Spec};
use modelgen_ir::check::column_check_name;
use modelgen_ir::check::{check_types, parse_check, Check, CheckError, CheckExpr};
use modelgen_ir::naming::{Kind, NameError, Parts};
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
            let parts = Parts {
                table: &model.table,
                name: Some(&c.name),
                ..Parts::default()
            };
            let Some(name) = self.constraint_name(Kind::Check, &parts, &path) else {
                continue;
            };
            model.checks.push(Check {
                name,
                expr,
                doc: c.doc.clone(),
                dialects: Vec::new(),
            });
        }
        // The CHECKs column types bring, named by the convention where it names them
        // otherwise than by default; a `ck` template that cannot name one is reported at
        // its column.
        let mut named = Vec::new();
        for (i, column) in model.columns.iter().enumerate() {
            let default = modelgen_ir::check::column_check(model, column).map(|c| c.name);
            match column_check_name(model, column) {
                Ok(name) if name != default => named.push((i, name)),
                Ok(_) => {}
                Err(e) => {
                    let template = model.naming.as_ref().and_then(|n| n.ck.clone()).unwrap_or_default();
                    let why = match e {
                        NameError::NoColumn(n) => format!("uses column {n} of the check, which has one"),
                        NameError::NoName => "needs a name the check does not have".to_owned(),
                    };
                    self.error(
                        Diagnostic::new(
                            ErrorKind::BadValue,
                            column_path(&model_spec.name, column),
                            format!(
                                "`naming_convention.ck` (`{template}`) cannot name the CHECK of column `{}`: it {why}",
                                column.name
                            ),
                        )
                        .help("a column's CHECK has one column: use `%(column_0_name)s`"),
                    );
                }
            }
        }
        for (i, name) in named {
            model.columns[i].check_name = name;
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
