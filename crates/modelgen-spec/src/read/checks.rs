//! A model's `checks:`: name → expression text, or name → `{sql: …}` raw SQL for one or
//! every dialect. The expression is parsed in `lower`, which knows the model's columns.

use super::*;
use std::collections::BTreeMap;

impl Reader {
    pub(super) fn checks(&mut self, node: &Node, path: &Path) -> Vec<CheckSpec> {
        self.named(node, path, "check")
            .into_iter()
            .filter_map(|(name, n)| self.check(name, n, &path.key(name)))
            .collect()
    }

    fn check(&mut self, name: &str, node: &Node, path: &Path) -> Option<CheckSpec> {
        const EXPECTED: &str =
            "a check expression such as `total >= 0`, or a mapping with `expr:` or `sql:` (and `doc:`)";
        if let Node::Str(_) = node {
            let text = self.string(node, path, EXPECTED)?;
            return Some(CheckSpec {
                name: name.to_owned(),
                body: CheckBody::Expr(text),
                doc: None,
            });
        }
        let e = self.entries(node, path, CHECK_KEYS, &format!("check `{name}`"))?;
        let doc = self.doc(&e, path);
        if let Some(expr) = e.get("expr") {
            if e.get("sql").is_some() {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.key("sql"),
                        format!("check `{name}` has both `expr:` and `sql:`"),
                    )
                    .at_key()
                    .help("keep `expr:` for the portable condition, or `sql:` for raw SQL"),
                );
                return None;
            }
            let text = self.string(expr, &path.key("expr"), "a check expression such as `total >= 0`")?;
            return Some(CheckSpec {
                name: name.to_owned(),
                body: CheckBody::Expr(text),
                doc,
            });
        }
        let Some(sql) = e.get("sql") else {
            self.error(
                Diagnostic::new(
                    ErrorKind::MissingKey,
                    path.clone(),
                    format!("check `{name}` has no `expr:` or `sql:`"),
                )
                .at_key()
                .expected(EXPECTED),
            );
            return None;
        };
        let spath = path.key("sql");
        let body = match sql {
            Node::Str(_) => {
                let text = self.string(sql, &spath, "the check's SQL")?;
                self.one_expression(&text, &spath)?;
                CheckBody::Sql(Dialect::ALL.into_iter().map(|d| (d, text.clone())).collect())
            }
            _ => {
                let mut per: BTreeMap<Dialect, String> = BTreeMap::new();
                let known = Dialect::ALL.map(Dialect::name);
                for (dname, n) in self.named(sql, &spath, "dialect") {
                    let Some(d) = Dialect::from_name(dname) else {
                        self.error(
                            Diagnostic::new(
                                ErrorKind::UnknownKey,
                                spath.key(dname),
                                format!("unknown dialect `{dname}`"),
                            )
                            .at_key()
                            .expected(format!("any of {}", known.join(", ")))
                            .help_opt(did_you_mean(dname, known)),
                        );
                        continue;
                    };
                    let at = spath.key(dname);
                    if let Some(text) = self.string(n, &at, "the check's SQL for this dialect") {
                        // Kept when wrong too, so the dialect is not reported missing.
                        self.one_expression(&text, &at);
                        per.insert(d, text);
                    }
                }
                CheckBody::Sql(per)
            }
        };
        Some(CheckSpec {
            name: name.to_owned(),
            body,
            doc,
        })
    }

    /// Raw check SQL goes inside `CHECK (…)`: it must be one expression, so it cannot end
    /// the constraint or the statement (the derive holds it to the same rule).
    fn one_expression(&mut self, text: &str, path: &Path) -> Option<()> {
        match modelgen_ir::check_sql_expression(text) {
            Ok(()) => Some(()),
            Err(why) => {
                self.error(
                    Diagnostic::new(
                        ErrorKind::BadValue,
                        path.clone(),
                        format!("`{text}` is not one SQL expression"),
                    )
                    .expected(why)
                    .help(
                        "write the condition alone, as it would stand inside CHECK (…): `note IS NULL OR note <> ''`",
                    ),
                );
                None
            }
        }
    }
}
