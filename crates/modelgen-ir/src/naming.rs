//! Naming conventions as SQLAlchemy's `MetaData(naming_convention=…)` spells them: a
//! template per kind of constraint whose `%(token)s` parts the constraint fills in.
//!
//! Front ends use it to give every constraint its final name; the IR keeps the
//! convention on each model only for what is named late (the CHECK a column's type
//! brings) and for the SQLAlchemy module, which carries it.

use serde::{Deserialize, Serialize};

/// The templates of one convention, by SQLAlchemy's keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamingConvention {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uq: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ck: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pk: Option<String>,
}

/// The kinds a convention names, with their keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Index,
    Unique,
    Check,
    ForeignKey,
    PrimaryKey,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Index,
        Kind::Unique,
        Kind::Check,
        Kind::ForeignKey,
        Kind::PrimaryKey,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Index => "ix",
            Kind::Unique => "uq",
            Kind::Check => "ck",
            Kind::ForeignKey => "fk",
            Kind::PrimaryKey => "pk",
        }
    }

    /// The tokens a template of this kind may use: a check has no referred table, and
    /// only a foreign key has one.
    fn allows(self, token: &Token) -> bool {
        match token {
            Token::Table | Token::ConstraintName => true,
            Token::Column(..) => true,
            Token::Referred(..) | Token::ReferredTable => self == Kind::ForeignKey,
        }
    }
}

/// SQLAlchemy's default: `ix_<table>_<column>` for indexes, nothing else named.
pub const DEFAULT_INDEX: &str = "ix_%(column_0_label)s";

/// What the tokens of a template are filled with.
#[derive(Debug, Clone, Default)]
pub struct Parts<'a> {
    pub table: &'a str,
    pub columns: &'a [String],
    pub referred_table: &'a str,
    pub referred_columns: &'a [String],
    /// The name the constraint was given, if any.
    pub name: Option<&'a str>,
}

/// Why a template cannot name a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// `%(constraint_name)s` on a constraint that has no name of its own.
    NoName,
    /// `%(column_N_…)s` past the constraint's columns (a check has none).
    NoColumn(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Table,
    ConstraintName,
    ReferredTable,
    /// `column_<n>_<part>`, or every column joined (`column_0N_…` with no separator,
    /// `column_0_N_…` with `_`).
    Column(Which, Part),
    Referred(Which, Part),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    One(usize),
    All(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Name,
    /// `<table>_<column>`.
    Label,
    /// The column's attribute key: its name, since modelgen's fields are their columns.
    Key,
}

fn token(text: &str) -> Option<Token> {
    match text {
        "table_name" => return Some(Token::Table),
        "constraint_name" => return Some(Token::ConstraintName),
        "referred_table_name" => return Some(Token::ReferredTable),
        _ => {}
    }
    let (referred, rest) = match text.strip_prefix("referred_column_") {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix("column_")?),
    };
    let (which, part) = rest.split_once('_').map(|(w, p)| (w.to_owned(), p))?;
    let (which, part) = match (which.as_str(), part.strip_prefix("N_")) {
        ("0", Some(part)) => (Which::All("_"), part),
        ("0N", _) => (Which::All(""), part),
        (n, _) => (
            Which::One(n.parse().ok().filter(|_| n == "0" || !n.starts_with('0'))?),
            part,
        ),
    };
    let part = match part {
        "name" => Part::Name,
        "label" if !referred => Part::Label,
        "key" => Part::Key,
        _ => return None,
    };
    Some(match referred {
        true => Token::Referred(which, part),
        false => Token::Column(which, part),
    })
}

/// The pieces of a template: literal text and tokens.
fn pieces(template: &str) -> Result<Vec<Result<&str, Token>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('%') {
        out.push(Ok(&rest[..at]));
        let after = &rest[at..];
        if let Some(tail) = after.strip_prefix("%%") {
            out.push(Ok("%"));
            rest = tail;
            continue;
        }
        let body = after
            .strip_prefix("%(")
            .and_then(|t| t.split_once(")s"))
            .ok_or_else(|| {
                format!("`%` starts no token at `{after}`; write tokens as `%(table_name)s` and a percent sign as `%%`")
            })?;
        let parsed = token(body.0).ok_or_else(|| format!("unknown token `%({})s`", body.0))?;
        out.push(Err(parsed));
        rest = body.1;
    }
    out.push(Ok(rest));
    Ok(out)
}

/// Whether `template` is one a convention of `kind` can use: known tokens, each
/// meaningful for the kind, and some token at all (else every constraint would share one
/// name). The message is for people.
pub fn check_template(kind: Kind, template: &str) -> Result<(), String> {
    let pieces = pieces(template)?;
    let tokens: Vec<&Token> = pieces.iter().filter_map(|p| p.as_ref().err()).collect();
    if tokens.is_empty() {
        return Err("the template has no `%(…)s` token, so every constraint would get the same name".into());
    }
    if let Some(bad) = tokens.iter().find(|t| !kind.allows(t)) {
        let what = match bad {
            Token::ReferredTable => "referred_table_name".to_owned(),
            _ => "referred_column_…".to_owned(),
        };
        return Err(format!("`%({what})s` is only for foreign keys (`fk`)"));
    }
    Ok(())
}

/// Whether the template uses `%(constraint_name)s`: then it renames even a constraint
/// given a name, as SQLAlchemy's does; otherwise a given name is kept.
pub fn uses_constraint_name(template: &str) -> bool {
    template.contains("%(constraint_name)s")
}

/// The name `template` gives a constraint made of `parts`. The template was checked.
pub fn apply(template: &str, parts: &Parts) -> Result<String, NameError> {
    let mut out = String::new();
    for piece in pieces(template).expect("the template was checked") {
        match piece {
            Ok(text) => out.push_str(text),
            Err(Token::Table) => out.push_str(parts.table),
            Err(Token::ReferredTable) => out.push_str(parts.referred_table),
            Err(Token::ConstraintName) => out.push_str(parts.name.ok_or(NameError::NoName)?),
            Err(Token::Column(which, part)) => out.push_str(&columns(parts.table, parts.columns, which, part)?),
            Err(Token::Referred(which, part)) => {
                out.push_str(&columns(parts.referred_table, parts.referred_columns, which, part)?)
            }
        }
    }
    Ok(out)
}

fn columns(table: &str, columns: &[String], which: Which, part: Part) -> Result<String, NameError> {
    let one = |c: &String| match part {
        Part::Name | Part::Key => c.clone(),
        Part::Label => format!("{table}_{c}"),
    };
    match which {
        Which::One(n) => columns.get(n).map(one).ok_or(NameError::NoColumn(n)),
        Which::All(_) if columns.is_empty() => Err(NameError::NoColumn(0)),
        Which::All(sep) => Ok(columns.iter().map(one).collect::<Vec<_>>().join(sep)),
    }
}

impl NamingConvention {
    pub fn get(&self, kind: Kind) -> Option<&str> {
        match kind {
            Kind::Index => self.ix.as_deref(),
            Kind::Unique => self.uq.as_deref(),
            Kind::Check => self.ck.as_deref(),
            Kind::ForeignKey => self.fk.as_deref(),
            Kind::PrimaryKey => self.pk.as_deref(),
        }
    }

    pub fn set(&mut self, kind: Kind, template: String) {
        let slot = match kind {
            Kind::Index => &mut self.ix,
            Kind::Unique => &mut self.uq,
            Kind::Check => &mut self.ck,
            Kind::ForeignKey => &mut self.fk,
            Kind::PrimaryKey => &mut self.pk,
        };
        *slot = Some(template);
    }

    /// The name a constraint of `kind` ends with, as SQLAlchemy decides it: a given name
    /// unless the template uses `%(constraint_name)s`; the template's name for an
    /// unnamed one; `None` (the database names it) with no template.
    pub fn name(&self, kind: Kind, parts: &Parts) -> Result<Option<String>, NameError> {
        let template = match (kind, self.get(kind)) {
            (_, Some(t)) => t,
            (Kind::Index, None) => DEFAULT_INDEX,
            (_, None) => return Ok(parts.name.map(str::to_owned)),
        };
        match parts.name {
            Some(given) if !uses_constraint_name(template) => Ok(Some(given.to_owned())),
            _ => apply(template, parts).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tokens_fill_in_as_sqlalchemy_fills_them() {
        let (columns, referred) = (cols(&["org", "email"]), cols(&["id"]));
        let parts = Parts {
            table: "users",
            columns: &columns,
            referred_table: "orgs",
            referred_columns: &referred,
            name: Some("given"),
        };
        let cases = [
            ("ix_%(column_0_label)s", "ix_users_org"),
            ("uq_%(table_name)s_%(column_0_N_name)s", "uq_users_org_email"),
            ("uq_%(table_name)s_%(column_0N_name)s", "uq_users_orgemail"),
            (
                "x_%(column_1_name)s_%(column_0_N_label)s",
                "x_email_users_org_users_email",
            ),
            (
                "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "fk_users_org_orgs",
            ),
            ("fk_%(referred_column_0_name)s_%(referred_column_0N_key)s", "fk_id_id"),
            ("ck_%(table_name)s_%(constraint_name)s", "ck_users_given"),
            ("100%%_%(table_name)s", "100%_users"),
        ];
        for (template, want) in cases {
            assert_eq!(apply(template, &parts), Ok(want.to_owned()), "{template}");
        }
        let unnamed = Parts {
            name: None,
            ..parts.clone()
        };
        assert_eq!(apply("%(constraint_name)s", &unnamed), Err(NameError::NoName));
        assert_eq!(apply("%(column_2_name)s", &unnamed), Err(NameError::NoColumn(2)));
    }

    #[test]
    fn bad_templates_are_refused_with_the_reason() {
        for (kind, template, says) in [
            (Kind::Unique, "uq_fixed", "no `%(…)s` token"),
            (Kind::Unique, "uq_%(tabel_name)s", "unknown token `%(tabel_name)s`"),
            (Kind::Unique, "uq_%(column_0_labl)s", "unknown token"),
            (Kind::Check, "ck_%(referred_table_name)s", "only for foreign keys"),
            (Kind::Index, "ix_%(table_name)", "`%` starts no token"),
            (Kind::Index, "ix_%(column_01_name)s", "unknown token"),
        ] {
            let err = check_template(kind, template).unwrap_err();
            assert!(err.contains(says), "{template}: {err}");
        }
        assert!(check_template(Kind::ForeignKey, "fk_%(referred_column_0_name)s").is_ok());
    }

    #[test]
    fn a_given_name_is_kept_unless_the_template_uses_it() {
        let columns = cols(&["a"]);
        let parts = |name| Parts {
            table: "t",
            columns: &columns,
            name,
            ..Parts::default()
        };
        let mut c = NamingConvention::default();
        assert_eq!(c.name(Kind::Unique, &parts(None)), Ok(None));
        assert_eq!(c.name(Kind::Index, &parts(None)), Ok(Some("ix_t_a".into())));
        c.set(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s".into());
        assert_eq!(c.name(Kind::Unique, &parts(Some("mine"))), Ok(Some("mine".into())));
        assert_eq!(c.name(Kind::Unique, &parts(None)), Ok(Some("uq_t_a".into())));
        c.set(Kind::Unique, "uq_%(constraint_name)s".into());
        assert_eq!(c.name(Kind::Unique, &parts(Some("mine"))), Ok(Some("uq_mine".into())));
        assert_eq!(c.name(Kind::Unique, &parts(None)), Err(NameError::NoName));
    }
}
