//! Renames declared in the spec that the migrations' schema cannot have meant.

use modelgen_ir::Schema;

/// Each `renamed_from` that names nothing in `old`: a model's previous table that `old`
/// has neither under that name nor under the new one (once the rename is applied the
/// declaration may stay, harmlessly), and likewise a field's previous column. Silently
/// ignored, such a typo would make the migration drop and add instead of renaming.
pub fn unknown_renames(old: &Schema, new: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let table = |name: &str| old.models.iter().find(|m| m.table == name);
    for model in &new.models {
        let old_model = match &model.renamed_from {
            Some(from) if table(from).is_none() && table(&model.table).is_none() => {
                let gone = old
                    .models
                    .iter()
                    .map(|m| m.table.as_str())
                    .filter(|t| !new.models.iter().any(|n| n.table == *t));
                out.push(format!(
                    "`{}` is renamed from table `{from}`, which the migrations' schema does not have{}",
                    model.name,
                    suggestion(from, gone)
                ));
                continue;
            }
            Some(from) => table(from).or_else(|| table(&model.table)),
            None => table(&model.table),
        };
        let Some(old_model) = old_model else { continue };
        for column in &model.columns {
            let Some(from) = &column.renamed_from else { continue };
            if old_model.column(from).is_some() || old_model.column(&column.name).is_some() {
                continue;
            }
            let gone = old_model
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .filter(|c| model.column(c).is_none());
            out.push(format!(
                "`{}.{}` is renamed from `{from}`, which `{}` does not have in the migrations' schema{}",
                model.name,
                column.name,
                old_model.table,
                suggestion(from, gone)
            ));
        }
    }
    out
}

/// `; did you mean `x`?` for the closest of `candidates`, if one is close.
fn suggestion<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, c)| format!("; did you mean `{c}`?"))
}
