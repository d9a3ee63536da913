//! The crates, and their features, that the generated Rust of a spec uses: what a crate
//! that holds it needs in its Cargo.toml (`modelgen build` says when it lacks them).

use modelgen_ir::config::Output;
use modelgen_ir::{DefaultValue, Dialect, JsonShape, LogicalType, Schema};

/// One dependency: a crate, the version to ask for, and the features the generated code
/// uses (with the crate's default features off, so nothing else is assumed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: &'static str,
    pub version: String,
    pub features: Vec<&'static str>,
}

impl Dependency {
    /// The line for `[dependencies]`.
    pub fn line(&self) -> String {
        let features: Vec<String> = self.features.iter().map(|f| format!("\"{f}\"")).collect();
        match features.is_empty() {
            true => format!("{} = \"{}\"", self.name, self.version),
            false => format!(
                "{} = {{ version = \"{}\", features = [{}] }}",
                self.name,
                self.version,
                features.join(", ")
            ),
        }
    }
}

/// The dependencies of the Rust `output` writes for `schema`; none without `output.rust`.
pub fn rust_dependencies(schema: &Schema, output: &Output) -> Vec<Dependency> {
    let Some(rust) = &output.rust else {
        return Vec::new();
    };
    let columns = || schema.models.iter().flat_map(|m| &m.columns);
    let any = |f: &dyn Fn(&LogicalType) -> bool| columns().any(|c| f(&c.ty) && c.rust_type.is_none());
    let times = any(&|t| matches!(t, LogicalType::DateTime { .. } | LogicalType::Date | LogicalType::Time));
    let now = columns().any(|c| c.default == Some(DefaultValue::Now));
    let uuids = any(&|t| *t == LogicalType::Uuid);
    let uuid4 = columns().any(|c| c.default == Some(DefaultValue::Uuid4));
    let json = columns().any(|c| matches!(c.ty, LogicalType::Json { .. }));
    // serde_json is named in the code for a `json` value (`serde_json::Value`) and for a
    // JSON default other than an empty list or map.
    let serde_json = any(&|t| matches!(t, LogicalType::Json { shape } if has_any(shape)))
        || columns().any(|c| match (&c.default, &c.ty) {
            (Some(DefaultValue::Json(j)), LogicalType::Json { shape }) => {
                c.rust_type.is_some()
                    || !matches!(
                        (shape, j.as_str()),
                        (JsonShape::List(_), "[]") | (JsonShape::Map(_), "{}")
                    )
            }
            _ => false,
        });
    let decimals = any(&|t| matches!(t, LogicalType::Decimal { .. }));
    let serde_feature = |on: bool| on.then_some("serde");
    let dialects = &output.migrations.dialects;
    // `modelgen::types`, behind a driver feature, stands for the columns sqlx would store
    // otherwise than modelgen does: a UUID or a UTC time on SQLite and MySQL, a decimal
    // on SQLite.
    let listed = |d: Dialect| dialects.contains(&d);
    let (sqlite, mysql) = (listed(Dialect::Sqlite), listed(Dialect::Mysql));
    let types = any(&|t| match t {
        LogicalType::Uuid | LogicalType::DateTime { timezone: true } => sqlite || mysql,
        LogicalType::Decimal { .. } => sqlite,
        _ => false,
    });
    let facade_features: Vec<&'static str> = match rust.sqlx && types {
        true => dialects
            .iter()
            .map(|d| match d {
                Dialect::Sqlite => "sqlx-sqlite",
                Dialect::Postgres => "sqlx-postgres",
                Dialect::Mysql => "sqlx-mysql",
            })
            .collect(),
        false => Vec::new(),
    };
    let mut out = vec![Dependency {
        name: "modelgen",
        version: env!("CARGO_PKG_VERSION").to_owned(),
        features: facade_features,
    }];
    if rust.serde {
        out.push(Dependency {
            name: "serde",
            version: "1".into(),
            features: vec!["derive"],
        });
    }
    if serde_json {
        out.push(Dependency {
            name: "serde_json",
            version: "1".into(),
            features: Vec::new(),
        });
    }
    if times {
        out.push(Dependency {
            name: "chrono",
            version: "0.4".into(),
            features: [serde_feature(rust.serde), now.then_some("clock")]
                .into_iter()
                .flatten()
                .collect(),
        });
    }
    if uuids {
        out.push(Dependency {
            name: "uuid",
            version: "1".into(),
            features: [serde_feature(rust.serde), uuid4.then_some("v4")]
                .into_iter()
                .flatten()
                .collect(),
        });
    }
    if decimals {
        out.push(Dependency {
            name: "rust_decimal",
            version: "1".into(),
            features: serde_feature(rust.serde).into_iter().collect(),
        });
    }
    if rust.sqlx {
        let mut features = vec!["derive"];
        for d in dialects {
            features.push(match d {
                Dialect::Sqlite => "sqlite",
                Dialect::Postgres => "postgres",
                Dialect::Mysql => "mysql",
            });
        }
        features.extend(
            [
                times.then_some("chrono"),
                json.then_some("json"),
                uuids.then_some("uuid"),
                (decimals && dialects.iter().any(|d| *d != Dialect::Sqlite)).then_some("rust_decimal"),
            ]
            .into_iter()
            .flatten(),
        );
        out.push(Dependency {
            name: "sqlx",
            version: "0.9".into(),
            features,
        });
    }
    out
}

/// Whether a JSON shape holds any JSON value somewhere (`json`, `list[json]`).
fn has_any(shape: &JsonShape) -> bool {
    match shape {
        JsonShape::Any => true,
        JsonShape::List(inner) | JsonShape::Map(inner) => has_any(inner),
        _ => false,
    }
}
