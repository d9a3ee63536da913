//! The templates of the Rust back end: built in, overridable by file name, rendered with
//! strict undefined variables so a typo in a template is an error, not an empty string.

use minijinja::{Environment, UndefinedBehavior};
use std::collections::BTreeMap;

/// The built-in templates, embedded so the binary needs no files beside it.
pub const BUILTIN: &[(&str, &str)] = &[
    ("_macros.jinja", include_str!("../../../templates/_macros.jinja")),
    ("model.rs.jinja", include_str!("../../../templates/model.rs.jinja")),
    ("mod.rs.jinja", include_str!("../../../templates/mod.rs.jinja")),
];

/// Template sources by name: the built-ins, with any user overrides laid over them.
#[derive(Debug, Clone)]
pub struct Templates {
    sources: BTreeMap<String, String>,
}

impl Default for Templates {
    fn default() -> Templates {
        Templates {
            sources: BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect(),
        }
    }
}

impl Templates {
    /// Replaces built-in templates by name; unknown names are refused, since a template
    /// nobody renders is almost always a misspelt file name.
    pub fn with_overrides(overrides: Vec<(String, String)>) -> Result<Templates, String> {
        let mut templates = Templates::default();
        for (name, source) in overrides {
            if !templates.sources.contains_key(&name) {
                let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "no built-in template is named `{name}`; templates are {}",
                    known.join(", ")
                ));
            }
            templates.sources.insert(name, source);
        }
        Ok(templates)
    }

    pub fn environment(&self) -> Result<Environment<'_>, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in &self.sources {
            env.add_template(name, source)
                .map_err(|e| format!("template {name}: {e:#}"))?;
        }
        Ok(env)
    }
}
