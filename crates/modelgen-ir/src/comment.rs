//! The rules for a table's or a column's comment, which both front ends apply.

use crate::check_text;

/// What a comment is written on: MySQL and MariaDB hold different lengths for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentOn {
    Table,
    Column,
}

impl CommentOn {
    /// The longest comment MySQL and MariaDB take, in characters: longer ones are refused
    /// in strict mode and cut short otherwise. Kept on every database, so a spec builds
    /// the same catalog wherever it runs.
    pub fn max_chars(self) -> usize {
        match self {
            CommentOn::Table => 2048,
            CommentOn::Column => 1024,
        }
    }
}

/// Why `text` cannot be a comment, and what to do, if it cannot: what [`check_text`]
/// refuses; nothing (PostgreSQL drops a comment set to `''` and MySQL stores none, so it
/// would read back as no comment); more than [`CommentOn::max_chars`]; or a character
/// beyond U+FFFF, which MariaDB's catalog (utf8mb3) stores as `?`.
pub fn check_comment(text: &str, on: CommentOn) -> Result<(), (String, &'static str)> {
    check_text(text).map_err(|why| (why, "remove it; a line break and a tab are fine"))?;
    if text.trim().is_empty() {
        return Err((
            "is empty, which the databases store as no comment".into(),
            "leave `comment` out for no comment",
        ));
    }
    let chars = text.chars().count();
    if chars > on.max_chars() {
        let what = match on {
            CommentOn::Table => "table",
            CommentOn::Column => "column",
        };
        return Err((
            format!(
                "has {chars} characters; MySQL and MariaDB hold at most {} in a {what} comment",
                on.max_chars()
            ),
            "keep the comment short, and longer text in the doc, which stays in the code",
        ));
    }
    if let Some(wide) = text.chars().find(|c| u32::from(*c) > 0xFFFF) {
        return Err((
            format!("contains `{wide}`, beyond U+FFFF, which MariaDB's catalog stores as `?`"),
            "write the comment without characters beyond U+FFFF, such as emoji",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_hold_any_text_up_to_the_mysql_lengths() {
        assert_eq!(check_comment("it's a\\b \"x\"\nß 中", CommentOn::Column), Ok(()));
        assert_eq!(check_comment(&"é".repeat(1024), CommentOn::Column), Ok(()));
        assert_eq!(check_comment(&"é".repeat(2048), CommentOn::Table), Ok(()));
        assert_eq!(
            check_comment(&"é".repeat(1025), CommentOn::Column).map_err(|e| e.0),
            Err("has 1025 characters; MySQL and MariaDB hold at most 1024 in a column comment".into())
        );
        assert!(check_comment(&"a".repeat(2049), CommentOn::Table).is_err());
        assert!(check_comment(" \n", CommentOn::Table).is_err());
        assert!(check_comment("a\u{202e}b", CommentOn::Table).is_err());
        assert!(check_comment("a 😀", CommentOn::Column).is_err());
    }
}
