//! `enums:` at the top of the spec, and the enum types fields name or write inline.
//!
//! ```yaml
//! enums:
//!   PostStatus: [draft, published]                      # PostgreSQL type `poststatus`
//!   Visibility: {values: [public, private], native: false, check: true}
//! models:
//!   Post:
//!     fields:
//!       status: PostStatus                               # a named enum
//!       kind: enum(article, link)                        # inline: `PostKind`, `postkind`
//! ```

use super::*;
use heck::ToUpperCamelCase;
use modelgen_ir::EnumType;

impl Reader {
    pub(super) fn enums(&mut self, node: &Node, path: &Path) {
        for (name, value) in self.named(node, path, "enum") {
            let epath = path.key(name);
            if !name.starts_with(|c: char| c.is_ascii_uppercase()) || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                self.error(
                    Diagnostic::new(ErrorKind::BadName, epath.clone(), format!("enum name `{name}` is not UpperCamelCase"))
                        .at_key()
                        .expected("an UpperCamelCase name such as `PostStatus`: fields name the enum by it, and it is the Rust and Python type"),
                );
                continue;
            }
            let mut e = EnumType {
                name: name.to_owned(),
                type_name: name.to_lowercase(),
                values: Vec::new(),
                native: true,
                check: false,
                renamed_values: Default::default(),
            };
            let mut renamed = None;
            let values = match value {
                Node::Seq(_) => Some((value, epath.clone())),
                Node::Map(_) => {
                    let Some(entries) = self.entries(value, &epath, ENUM_KEYS, &format!("enum `{name}`")) else {
                        continue;
                    };
                    let flag = |r: &mut Reader, key: &str| entries.get(key).and_then(|n| r.bool(n, &epath.key(key)));
                    if let Some(native) = flag(self, "native") {
                        e.native = native;
                    }
                    if let Some(check) = flag(self, "check") {
                        e.check = check;
                    }
                    if let Some(n) = entries.get("type_name") {
                        if let Some(t) = self.value_name(n, &epath.key("type_name"), "database type") {
                            e.type_name = t;
                        }
                    }
                    if let Some(n) = entries.get("renamed_values") {
                        renamed = Some((n, epath.key("renamed_values")));
                    }
                    match entries.get("values") {
                        Some(n) => Some((n, epath.key("values"))),
                        None => {
                            self.error(
                                Diagnostic::new(
                                    ErrorKind::MissingKey,
                                    epath.clone(),
                                    format!("enum `{name}` has no `values:`"),
                                )
                                .expected("`values: [a, b]`"),
                            );
                            None
                        }
                    }
                }
                other => {
                    self.wrong(&epath, "a list of values, or a mapping with `values:`", other);
                    None
                }
            };
            let Some((values, vpath)) = values else { continue };
            let Node::Seq(items) = values else {
                self.wrong(&vpath, "a list of values such as `[draft, published]`", values);
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let Some(value) = self.string(item, &vpath.index(i), "an enum value") else {
                    continue;
                };
                match modelgen_ir::check_enum_value(&value, &e.values) {
                    Ok(()) => e.values.push(value),
                    Err(why) => self.error(Diagnostic::new(ErrorKind::BadValue, vpath.index(i), why)),
                }
            }
            if e.values.is_empty() {
                self.error(Diagnostic::new(
                    ErrorKind::BadValue,
                    vpath,
                    format!("enum `{name}` has no values"),
                ));
                continue;
            }
            if let Some((node, rpath)) = renamed {
                self.renamed_values(&mut e, node, &rpath);
            }
            self.enums.push(e);
        }
    }

    /// `renamed_values: {old: new}`: each new name one of the values, each old one not.
    fn renamed_values(&mut self, e: &mut EnumType, node: &Node, path: &Path) {
        let Some(entries) = self.mapping(node, path, "a mapping of old values to their new names") else {
            return;
        };
        for (old, new) in entries {
            let at = path.key(old);
            let Some(new) = self.string(new, &at, "the value's new name") else {
                continue;
            };
            if !e.values.contains(&new) {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        at,
                        format!("`{old}` is renamed to `{new}`, which is not one of the values"),
                    )
                    .expected(format!("one of {}", e.values.join(", "))),
                );
            } else if e.values.contains(old) {
                self.error(Diagnostic::new(
                    ErrorKind::BadValue,
                    at,
                    format!("`{old}` is still one of the values, so it cannot have been renamed"),
                ));
            } else {
                e.renamed_values.insert(old.clone(), new);
            }
        }
    }

    /// The enum a field's type names, or its inline `enum(…)` named after the model (or
    /// mixin) and the field; any other type as it is.
    pub(super) fn resolve_enum(&mut self, ty: LogicalType, field: &str, path: &Path) -> Option<LogicalType> {
        let LogicalType::Enum(mut e) = ty else { return Some(ty) };
        if e.name.is_empty() {
            // models.<Model>.fields.<field> or mixins.<Mixin>.fields.<field>
            let owner = match path.segments().get(1) {
                Some(Segment::Key(owner, _)) => owner.to_string(),
                _ => String::new(),
            };
            e.name = format!("{}{}", owner.to_upper_camel_case(), field.to_upper_camel_case());
            e.type_name = e.name.to_lowercase();
            let mut values = Vec::new();
            for value in std::mem::take(&mut e.values) {
                match modelgen_ir::check_enum_value(&value, &values) {
                    Ok(()) => values.push(value),
                    Err(why) => {
                        self.error(Diagnostic::new(ErrorKind::BadValue, path.clone(), why));
                        return None;
                    }
                }
            }
            e.values = values;
            return Some(LogicalType::Enum(e));
        }
        match self.enums.iter().find(|known| known.name == e.name) {
            Some(known) => Some(LogicalType::Enum(Box::new(known.clone()))),
            None => {
                let names: Vec<&str> = self.enums.iter().map(|k| k.name.as_str()).collect();
                self.error(
                    Diagnostic::new(
                        ErrorKind::UnknownType,
                        path.clone(),
                        format!("unknown type `{}`", e.name),
                    )
                    .expected(format!(
                        "{TYPES_EXPECTED}, or an enum defined under `enums:`{}",
                        if names.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", names.join(", "))
                        }
                    ))
                    .help_opt(did_you_mean(&e.name, names.iter().copied())),
                );
                None
            }
        }
    }
}
