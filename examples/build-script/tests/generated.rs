//! The models build.rs generated compile and carry the spec's tables and relations.

use modelgen::{Dialect, Model};
use modelgen_build_example::{Author, Post};

#[test]
fn tables_come_from_the_spec() {
    assert_eq!(Author::TABLE, "authors");
    assert_eq!(Post::TABLE, "posts");
    assert_eq!(Post::COLUMNS, ["id", "author_id", "title", "body"]);
}

#[test]
fn relation_accessors_name_their_foreign_keys() {
    let author = Post::author();
    assert_eq!(author.foreign_key, ["author_id"]);
    assert_eq!(author.target_table(), "authors");
    let posts = Author::posts();
    assert_eq!(posts.foreign_key, ["author_id"]);
    assert_eq!(posts.target_table(), "posts");
}

#[test]
fn create_sql_follows_the_dialect() {
    let sql = Author::create_sql(Dialect::Sqlite);
    assert!(sql.contains("CREATE TABLE \"authors\""), "{sql}");
    let sql = Post::create_sql(Dialect::Sqlite);
    assert!(sql.contains("REFERENCES \"authors\""), "{sql}");
}

#[test]
fn structs_are_usable() {
    let post = Post {
        id: 1,
        author_id: 2,
        title: "Hello".to_owned(),
        body: None,
    };
    assert_eq!(post.clone(), post);
}
