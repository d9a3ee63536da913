//! Constraint names from the spec's `naming_convention:`, decided as SQLAlchemy's
//! `MetaData(naming_convention=…)` decides them, each reported where its constraint is
//! written.

use super::*;
use modelgen_ir::check_identifier;
use modelgen_ir::naming::{Kind, NameError, Parts};

impl Lower<'_> {
    /// The final name of a constraint of `kind` made of `parts` (whose `name` is the one
    /// the spec gives, if any): the convention's when it has a template for the kind,
    /// else the given name; `None` leaves the caller's default (the database's name, or
    /// modelgen's `ix_<table>_<columns>`).
    pub(super) fn constraint_name(&mut self, kind: Kind, parts: &Parts, path: &Path) -> Option<String> {
        let Some(convention) = &self.naming else {
            return parts.name.map(str::to_owned);
        };
        let Some(template) = convention.get(kind) else {
            return parts.name.map(str::to_owned);
        };
        let key = kind.key();
        let made = match convention.name(kind, parts) {
            Ok(name) => name?,
            Err(NameError::NoName) => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!(
                            "`naming_convention.{key}` uses `%(constraint_name)s`, and this {} has no name",
                            noun(kind)
                        ),
                    )
                    .help(format!(
                        "give it a `name:`, or write `naming_convention.{key}` without `%(constraint_name)s`"
                    )),
                );
                return None;
            }
            Err(NameError::NoColumn(n)) => {
                let has = parts.columns.len().max(parts.referred_columns.len());
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!(
                            "`naming_convention.{key}` (`{template}`) uses column {n} of the {}, which has {has}",
                            noun(kind)
                        ),
                    )
                    .help(match kind {
                        Kind::Check => {
                            "a check names no columns: name checks with `%(table_name)s` and `%(constraint_name)s`"
                                .to_owned()
                        }
                        _ => format!("use `%(column_0_N_name)s` for all the columns in `naming_convention.{key}`"),
                    }),
                );
                return None;
            }
        };
        if let Err(why) = check_identifier(&made) {
            // The template is at fault, so that is where the error points.
            self.error(
                Diagnostic::new(
                    ErrorKind::BadName,
                    Path::root().key("naming_convention").key(key),
                    format!("`naming_convention.{key}` names a {} `{made}`, which {why}", noun(kind)),
                )
                .help("keep the template's own text to letters, digits and `_`"),
            );
            return None;
        }
        Some(made)
    }
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Index => "index",
        Kind::Unique => "unique constraint",
        Kind::Check => "check",
        Kind::ForeignKey => "foreign key",
        Kind::PrimaryKey => "primary key",
    }
}
