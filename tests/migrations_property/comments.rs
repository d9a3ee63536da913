//! The edits of comments: a table's or a column's comment added, changed to another and
//! dropped. Each is a migration on PostgreSQL and MySQL and an empty one on SQLite.

use super::*;

/// Whether `kind` edits only comments.
pub(crate) fn is_comment(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::AddTableComment
            | Kind::ChangeTableComment
            | Kind::DropTableComment
            | Kind::AddColumnComment
            | Kind::ChangeColumnComment
            | Kind::DropColumnComment
    )
}

pub(crate) fn apply(spec: &mut Spec, kind: Kind, rng: &mut Rng) -> Option<String> {
    // What the edit needs the comment to be now: none to add one, one to change or drop.
    let wants_one = !matches!(kind, Kind::AddTableComment | Kind::AddColumnComment);
    let to = |rng: &mut Rng, from: Option<&'static str>| match kind {
        Kind::DropTableComment | Kind::DropColumnComment => None,
        _ => {
            let others: Vec<&'static str> = COMMENTS.iter().copied().filter(|c| Some(*c) != from).collect();
            Some(rng.pick(&others))
        }
    };
    let short = |c: Option<&str>| c.map(|c| c.chars().take(20).collect::<String>());
    match kind {
        Kind::AddTableComment | Kind::ChangeTableComment | Kind::DropTableComment => {
            let candidates: Vec<usize> = (0..spec.models.len())
                .filter(|&mi| spec.models[mi].comment.is_some() == wants_one)
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let m = &mut spec.models[rng.pick(&candidates)];
            let from = m.comment;
            m.comment = to(rng, from);
            Some(format!(
                "{kind:?} {}: {:?} → {:?}",
                m.table,
                short(from),
                short(m.comment)
            ))
        }
        Kind::AddColumnComment | Kind::ChangeColumnComment | Kind::DropColumnComment => {
            let candidates = fields_where(spec, |_, f| f.comment.is_some() == wants_one);
            if candidates.is_empty() {
                return None;
            }
            let (mi, fi) = rng.pick(&candidates);
            let m = &mut spec.models[mi];
            let f = &mut m.fields[fi];
            let from = f.comment;
            f.comment = to(rng, from);
            Some(format!(
                "{kind:?} {}.{}: {:?} → {:?}",
                m.table,
                f.name,
                short(from),
                short(f.comment)
            ))
        }
        _ => unreachable!("not an edit of a comment: {kind:?}"),
    }
}
