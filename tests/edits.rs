//! A small spec and the named edits the migration tests apply to it, one kind of change
//! each: the snapshot tests show their SQL, the atomicity tests make each one fail.

pub const BASE: &str = "models:
  User:
    table: users
    fields:
      id: int pk
      email: str(255) unique
      name: str(50)?
    mixins: [timestamps]
  Post:
    table: posts
    fields:
      id: int pk
      user_id: {type: int, index: true, foreign_key: {references: users.id, on_delete: cascade}}
      title: str(100)
";

/// Each edit as (name, text to replace in BASE, replacement).
pub const EDITS: &[(&str, &str, &str)] = &[
    ("add_nullable_column", "      title: str(100)\n", "      title: str(100)\n      subtitle: text?\n"),
    ("add_column_with_server_default", "      title: str(100)\n", "      title: str(100)\n      views: {type: int, server_default: 0}\n"),
    ("drop_column", "      name: str(50)?\n", ""),
    ("rename_column", "      name: str(50)?\n", "      display_name: {type: str(50)?, renamed_from: name}\n"),
    ("rename_table", "    table: posts\n", "    table: articles\n    renamed_from: posts\n"),
    ("widen_string", "      title: str(100)\n", "      title: str(200)\n"),
    ("narrow_string", "      title: str(100)\n", "      title: str(20)\n"),
    ("nullable_to_not_null_with_default", "      name: str(50)?\n", "      name: {type: str(50), server_default: anonymous}\n"),
    ("add_index", "      title: str(100)\n", "      title: {type: str(100), index: true}\n"),
    ("drop_unique", "      email: str(255) unique\n", "      email: str(255)\n"),
    ("change_on_delete", "on_delete: cascade", "on_delete: restrict"),
    ("drop_foreign_key", "{type: int, index: true, foreign_key: {references: users.id, on_delete: cascade}}", "{type: int, index: true}"),
    ("add_model", "  Post:\n", "  Tag:\n    table: tags\n    fields:\n      id: int pk\n      label: str(30) unique index\n  Post:\n"),
    ("drop_model", "  Post:\n    table: posts\n    fields:\n      id: int pk\n      user_id: {type: int, index: true, foreign_key: {references: users.id, on_delete: cascade}}\n      title: str(100)\n", ""),
    ("add_soft_delete", "    mixins: [timestamps]\n", "    mixins: [timestamps, soft_delete]\n"),
    ("drop_timestamps", "    mixins: [timestamps]\n", ""),
    ("add_comments", "    table: posts\n    fields:\n      id: int pk\n", "    table: posts\n    comment: It's a post, C:\\ style.\n    fields:\n      id: {type: int pk, comment: The post's key.}\n"),
];
