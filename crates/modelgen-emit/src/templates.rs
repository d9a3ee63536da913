//! The templates of the Rust and SQLAlchemy back ends: built in, overridable by file
//! name, rendered with strict undefined variables so a typo in a template is an error,
//! not an empty string.

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};
use std::collections::BTreeMap;

/// The built-in Rust templates (`templates/`), embedded so the binary needs no files beside it.
pub const BUILTIN: &[(&str, &str)] = &[
    ("_macros.jinja", include_str!("../templates/_macros.jinja")),
    ("model.rs.jinja", include_str!("../templates/model.rs.jinja")),
    ("_queries.jinja", include_str!("../templates/_queries.jinja")),
    ("mod.rs.jinja", include_str!("../templates/mod.rs.jinja")),
    ("enums.rs.jinja", include_str!("../templates/enums.rs.jinja")),
];

/// The built-in SQLAlchemy templates (`templates/sqlalchemy/`).
pub const BUILTIN_SQLALCHEMY: &[(&str, &str)] = &[(
    "models.py.jinja",
    include_str!("../templates/sqlalchemy/models.py.jinja"),
)];

/// Template sources by name, per back end: the built-ins, with any user overrides laid
/// over them.
#[derive(Debug, Clone, Hash)]
pub struct Templates {
    rust: BTreeMap<String, String>,
    sqlalchemy: BTreeMap<String, String>,
}

impl Default for Templates {
    fn default() -> Templates {
        let set = |builtin: &[(&str, &str)]| builtin.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
        Templates {
            rust: set(BUILTIN),
            sqlalchemy: set(BUILTIN_SQLALCHEMY),
        }
    }
}

impl Templates {
    /// Replaces built-in Rust templates by name; unknown names are refused, since a
    /// template nobody renders is almost always a misspelt file name.
    pub fn with_overrides(overrides: Vec<(String, String)>) -> Result<Templates, String> {
        let mut templates = Templates::default();
        overlay(&mut templates.rust, overrides)?;
        Ok(templates)
    }

    /// Replaces built-in SQLAlchemy templates by name, as [`Templates::with_overrides`]
    /// does the Rust ones.
    pub fn with_sqlalchemy_overrides(mut self, overrides: Vec<(String, String)>) -> Result<Templates, String> {
        overlay(&mut self.sqlalchemy, overrides)?;
        Ok(self)
    }

    /// The Rust templates, ready to render.
    pub fn environment(&self) -> Result<Environment<'_>, String> {
        environment(&self.rust, SyntaxConfig::default())
    }

    /// The SQLAlchemy templates, ready to render. Block tags take their line with them
    /// (trim_blocks, lstrip_blocks): Python's layout is significant and easier to read
    /// in a template that can put each tag on a line of its own.
    pub fn sqlalchemy_environment(&self) -> Result<Environment<'_>, String> {
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| e.to_string())?;
        environment(&self.sqlalchemy, syntax)
    }
}

fn overlay(set: &mut BTreeMap<String, String>, overrides: Vec<(String, String)>) -> Result<(), String> {
    for (name, source) in overrides {
        if !set.contains_key(&name) {
            let known: Vec<&str> = set.keys().map(String::as_str).collect();
            return Err(format!(
                "no built-in template is named `{name}`; templates are {}",
                known.join(", ")
            ));
        }
        set.insert(name, source);
    }
    Ok(())
}

fn environment(set: &BTreeMap<String, String>, syntax: SyntaxConfig) -> Result<Environment<'_>, String> {
    let mut env = Environment::new();
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in set {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e:#}"))?;
    }
    Ok(env)
}
