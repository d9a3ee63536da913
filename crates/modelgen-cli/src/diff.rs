//! What `build --check` shows: a unified diff per file that would change, new files as
//! all-added, removed ones as all-deleted, with `a/` and `b/` paths relative to the working directory, so the output
//! is also a patch `git apply` takes.

use modelgen_files::{Action, Change};
use std::path::Path;

/// Lines of context around each change, as `diff -u` and git use.
const CONTEXT: usize = 3;

/// The diff of one change. `root` is the spec's directory, which generated paths are
/// relative to.
pub fn unified(root: &Path, change: &Change, color: bool) -> String {
    let path = root.join(&change.path);
    let path = path.to_string_lossy().replace('\\', "/");
    let (old_header, new_header) = match change.action {
        Action::Create => ("/dev/null".to_owned(), format!("b/{path}")),
        Action::Update => (format!("a/{path}"), format!("b/{path}")),
        Action::Remove => (format!("a/{path}"), "/dev/null".to_owned()),
    };
    let old = change.previous.as_deref().unwrap_or("");
    let text = similar::TextDiff::from_lines(old, &change.contents)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(&old_header, &new_header)
        .to_string();
    if color {
        paint(&text)
    } else {
        text
    }
}

/// Terminal colours in git's scheme: headers bold, hunk lines cyan, removals red,
/// additions green.
fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let code = if body.starts_with("---") || body.starts_with("+++") {
            "1"
        } else if body.starts_with("@@") {
            "36"
        } else if body.starts_with('-') {
            "31"
        } else if body.starts_with('+') {
            "32"
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("\x1b[{code}m{body}\x1b[0m{end}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(previous: Option<&str>, contents: &str) -> Change {
        Change {
            path: "a.sql".into(),
            action: match previous {
                Some(_) => Action::Update,
                None => Action::Create,
            },
            contents: contents.into(),
            previous: previous.map(str::to_owned),
        }
    }

    #[test]
    fn a_new_file_is_all_added_from_dev_null() {
        let text = unified(Path::new(""), &change(None, "one\ntwo\n"), false);
        assert_eq!(text, "--- /dev/null\n+++ b/a.sql\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    }

    #[test]
    fn a_stale_file_shows_its_changed_lines_in_context() {
        let text = unified(Path::new("db"), &change(Some("a\nb\nc\n"), "a\nB\nc\n"), false);
        assert_eq!(
            text,
            "--- a/db/a.sql\n+++ b/db/a.sql\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert!(unified(Path::new("db"), &change(Some("a\n"), "b\n"), true).contains("\x1b[31m-a\x1b[0m\n"));
    }

    #[test]
    fn a_removed_file_is_all_deleted_to_dev_null() {
        let removed = Change {
            path: "models/post.rs".into(),
            action: Action::Remove,
            contents: String::new(),
            previous: Some("one\ntwo\n".into()),
        };
        let text = unified(Path::new(""), &removed, false);
        assert_eq!(
            text,
            "--- a/models/post.rs\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n"
        );
    }
}
