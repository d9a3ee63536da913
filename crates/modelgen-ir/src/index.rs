//! An index's key parts and what the databases can build of it: a partial index (`WHERE`)
//! or an expression key (`lower(email)`) exists on PostgreSQL and SQLite only.

use crate::check::Expr;
use crate::{Dialect, Index};
use serde::{Deserialize, Serialize};

/// One key part of an index. Serialized as the column's name or the expression's tree, so
/// a schema snapshot written before expression keys existed reads unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IndexKey {
    Column(String),
    /// Never a bare column: that is [`IndexKey::Column`].
    Expr(Expr),
}

impl IndexKey {
    /// The column's name, for a column key.
    pub fn column(&self) -> Option<&str> {
        match self {
            IndexKey::Column(name) => Some(name),
            IndexKey::Expr(_) => None,
        }
    }

    /// The columns the key reads, in order of appearance.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            IndexKey::Column(name) => vec![name.as_str()],
            IndexKey::Expr(e) => e.columns(),
        }
    }

    /// The same key with every column renamed by `f`; `None` if one went away.
    pub fn with_columns(&self, f: &dyn Fn(&str) -> Option<String>) -> Option<IndexKey> {
        Some(match self {
            IndexKey::Column(name) => IndexKey::Column(f(name)?),
            IndexKey::Expr(e) => IndexKey::Expr(e.with_columns(f)?),
        })
    }

    /// The key as the spec and the derive write it: the name, or the expression's text.
    pub fn text(&self) -> String {
        match self {
            IndexKey::Column(name) => name.clone(),
            IndexKey::Expr(e) => e.text(),
        }
    }
}

/// An expression key never equals a column's name, so comparing keys with a list of
/// columns asks whether the index is over exactly those columns.
impl PartialEq<String> for IndexKey {
    fn eq(&self, other: &String) -> bool {
        self.column() == Some(other.as_str())
    }
}

impl PartialEq<str> for IndexKey {
    fn eq(&self, other: &str) -> bool {
        self.column() == Some(other)
    }
}

impl PartialEq<&str> for IndexKey {
    fn eq(&self, other: &&str) -> bool {
        self.column() == Some(*other)
    }
}

impl From<String> for IndexKey {
    fn from(name: String) -> IndexKey {
        IndexKey::Column(name)
    }
}

impl From<&str> for IndexKey {
    fn from(name: &str) -> IndexKey {
        IndexKey::Column(name.to_owned())
    }
}

/// Plain column keys, as most indexes have.
pub fn column_keys(columns: Vec<String>) -> Vec<IndexKey> {
    columns.into_iter().map(IndexKey::Column).collect()
}

/// The name an index gets when none is given: `ix_<table>_<key>_<key>`, an expression
/// key standing as its words (`lower(email)` → `lower_email`).
pub fn index_name(table: &str, keys: &[IndexKey]) -> String {
    format!("ix_{table}_{}", key_words(keys).join("_"))
}

/// Each key as a name: a column's, or an expression's words (`lower(email)` →
/// `lower_email`), for default names and a naming convention's column tokens.
pub fn key_words(keys: &[IndexKey]) -> Vec<String> {
    keys.iter()
        .map(|k| match k {
            IndexKey::Column(name) => name.clone(),
            IndexKey::Expr(e) => {
                let text = e.text();
                let words: Vec<&str> = text
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .collect();
                words.join("_")
            }
        })
        .collect()
}

impl Index {
    /// The key's column names when every key part is a column.
    pub fn plain_columns(&self) -> Option<Vec<&str>> {
        self.columns.iter().map(IndexKey::column).collect()
    }

    /// Every column the index reads: its keys' and its predicate's.
    pub fn read_columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.columns.iter().flat_map(IndexKey::columns).collect();
        out.extend(self.predicate.iter().flat_map(Expr::columns));
        out
    }

    /// Whether it covers only some rows (live ones, or those its predicate holds for), so
    /// a unique one does not make its columns unique across the table.
    pub fn is_partial(&self) -> bool {
        self.live_only || self.predicate.is_some()
    }

    /// A unique index over plain columns across the whole table: what a lookup by those
    /// columns can rely on.
    pub fn unique_columns(&self) -> Option<Vec<&str>> {
        self.plain_columns().filter(|_| self.unique && !self.is_partial())
    }

    /// Why `dialect` cannot build this index, with the fix, if it cannot: MySQL and
    /// MariaDB have no partial indexes, and MariaDB no expression keys. The reason reads
    /// after the index's name.
    pub fn unsupported_on(&self, dialect: Dialect) -> Option<(String, String)> {
        if dialect != Dialect::Mysql {
            return None;
        }
        if self.predicate.is_some() {
            return Some((
                "has a `where:` condition, which MySQL and MariaDB cannot build (they have no partial indexes)".into(),
                "leave mysql out of `dialects`, or drop `where:` (a unique index then covers every row)".into(),
            ));
        }
        if self.plain_columns().is_none() {
            return Some((
                "has an expression key, which MariaDB cannot build".into(),
                "leave mysql out of `dialects`, or index a column that stores the expression's value".into(),
            ));
        }
        None
    }
}
