//! A deterministic generator of synthetic `models.yaml` specs, for benchmarks.
//!
//! N models, each with ~15 fields over every type of the mapping table, two indexes (one
//! composite), a foreign key to an earlier model, every tenth model in a many-to-many
//! relation, and the timestamps mixin on half of them.

pub mod queries;

/// splitmix64: tiny, deterministic from its seed on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const TYPES: [&str; 14] = [
    "str(64)",
    "str(255)",
    "text",
    "int",
    "bigint",
    "float",
    "decimal(12,2)",
    "bool",
    "datetime",
    "datetime(tz)",
    "date",
    "uuid",
    "json",
    "list[str]",
];

pub fn model_name(i: usize) -> String {
    format!("Entity{i}")
}

/// The spec text for `models` models.
pub fn spec(models: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from(
        "# Synthetic spec from modelgen-bench's specgen.\noutput:\n  rust: {dir: src/models, serde: true, sqlx: true}\n  migrations: {dialects: [sqlite, postgres, mysql]}\nmodels:\n",
    );
    for i in 0..models {
        let name = model_name(i);
        out.push_str(&format!(
            "  {name}:\n    table: entity_{i}\n    fields:\n      id: bigint pk\n"
        ));
        for f in 0..13 {
            let ty = TYPES[(f + rng.below(3) as usize) % TYPES.len()];
            let nullable = if rng.below(3) == 0 { "?" } else { "" };
            out.push_str(&format!("      field_{f}: \"{ty}{nullable}\"\n"));
        }
        if i > 0 {
            let target = rng.below(i as u64);
            out.push_str(&format!(
                "      parent_id: {{type: bigint?, foreign_key: {{references: entity_{target}.id, on_delete: set_null}}}}\n"
            ));
        }
        if i % 2 == 0 {
            out.push_str("    mixins: [timestamps]\n");
        }
        out.push_str(&format!(
            "    indexes:\n      - {{columns: [field_0]}}\n      - {{name: ix_entity_{i}_pair, columns: [field_1, field_2]}}\n"
        ));
        if i % 10 == 9 {
            let other = model_name(i - 1);
            out.push_str(&format!(
                "    relations:\n      peers: {{many_to_many: {other}, through: link_{i}}}\n"
            ));
        }
    }
    out
}

/// The spec after `n` edits a developer might make: a field added to, a field dropped
/// from, or a length changed in, models spread over the schema.
/// The spec with only the SQLite and PostgreSQL migrations as its outputs: no Rust, no
/// MySQL (target P2 of issue 16).
pub fn migrations_only(spec: &str) -> String {
    spec.replacen("  rust: {dir: src/models, serde: true, sqlx: true}\n", "", 1)
        .replacen("dialects: [sqlite, postgres, mysql]", "dialects: [sqlite, postgres]", 1)
}

/// The spec with one model in the middle edited: a nullable column added (target P4).
pub fn one_model_edited(spec: &str, models: usize) -> String {
    let i = models / 2;
    let anchor = format!(
        "  {}:\n    table: entity_{i}\n    fields:\n      id: bigint pk\n",
        model_name(i)
    );
    spec.replacen(&anchor, &format!("{anchor}      note_added: text?\n"), 1)
}

pub fn edited(spec: &str, models: usize, n: usize) -> String {
    let mut text = spec.to_owned();
    for e in 0..n {
        let i = (e * models) / n.max(1);
        let anchor = format!(
            "  {}:\n    table: entity_{i}\n    fields:\n      id: bigint pk\n",
            model_name(i)
        );
        let replacement = match e % 3 {
            0 => format!("{anchor}      added_{e}: str(40)?\n"),
            1 => anchor.clone(),
            _ => format!("{anchor}      widened_{e}: text?\n"),
        };
        text = text.replacen(&anchor, &replacement, 1);
        if e % 3 == 1 {
            // Drop field_12 of this model: the first one after the anchor.
            if let Some(at) = text.find(&anchor) {
                let from = at + anchor.len();
                if let Some(rel) = text[from..].find("      field_12: ") {
                    let start = from + rel;
                    let end = start + text[start..].find('\n').unwrap() + 1;
                    text.replace_range(start..end, "");
                }
            }
        }
    }
    text
}
