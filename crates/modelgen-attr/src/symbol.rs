//! Every key `#[model(...)]` accepts, by where it may appear, so parsing, suggestions and
//! messages share one spelling (serde_derive's `symbol.rs`).

/// The attribute's own name: `#[model(...)]`.
pub const MODEL: &str = "model";

// On the struct.
pub const TABLE: &str = "table";
pub const MIXINS: &str = "mixins";
pub const REPR: &str = "repr";
pub const JOIN: &str = "join";
pub const DEBUG: &str = "debug";
pub const SOFT_DELETE: &str = "soft_delete";
pub const INDEX: &str = "index";
pub const UNIQUE: &str = "unique";
pub const RELATION: &str = "relation";
pub const CHECK: &str = "check";
pub const PRIMARY_KEY_NAME: &str = "primary_key_name";
/// On the struct and on a field: the table's or the column's comment in the database.
pub const COMMENT: &str = "comment";

// On a field.
pub const PRIMARY_KEY: &str = "primary_key";
pub const AUTOINCREMENT: &str = "autoincrement";
/// Inside `autoincrement(...)`: the key's named sequence.
pub const SEQUENCE: &str = "sequence";
pub const MAX_LENGTH: &str = "max_length";
pub const SECRET: &str = "secret";
pub const DEFAULT: &str = "default";
pub const SERVER_DEFAULT: &str = "server_default";
pub const SERVER_DEFAULT_SQL: &str = "server_default_sql";
pub const ON_UPDATE: &str = "on_update";
pub const APP_ON_UPDATE: &str = "app_on_update";
pub const FOREIGN_KEY: &str = "foreign_key";
pub const ON_DELETE: &str = "on_delete";
pub const FOREIGN_KEY_NAME: &str = "foreign_key_name";
pub const CHECK_NAME: &str = "check_name";
pub const MIXIN: &str = "mixin";
pub const SQL_TYPE: &str = "sql_type";
pub const ENUM: &str = "enum";

// Inside `index(...)`, `unique(...)` and `relation(...)`.
pub const NAME: &str = "name";
pub const COLUMNS: &str = "columns";
pub const REFERENCES: &str = "references";
pub const LIVE: &str = "live";
/// `where = "…"`: a partial index's condition (a keyword, which syn takes as a key).
pub const WHERE: &str = "where";
pub const ONE_TO_MANY: &str = "one_to_many";
pub const ONE_TO_ONE: &str = "one_to_one";
pub const MANY_TO_ONE: &str = "many_to_one";
pub const MANY_TO_MANY: &str = "many_to_many";
pub const THROUGH: &str = "through";
pub const TARGET_FOREIGN_KEY: &str = "target_foreign_key";
pub const BACK_POPULATES: &str = "back_populates";
pub const CASCADE: &str = "cascade";
pub const DOC: &str = "doc";

// Inside `check(...)`.
pub const EXPR: &str = "expr";
pub const SQL: &str = "sql";

pub const MODEL_KEYS: &[&str] = &[
    TABLE,
    PRIMARY_KEY,
    PRIMARY_KEY_NAME,
    MIXINS,
    REPR,
    DEBUG,
    JOIN,
    SOFT_DELETE,
    INDEX,
    UNIQUE,
    RELATION,
    CHECK,
    FOREIGN_KEY,
    COMMENT,
];
pub const FIELD_KEYS: &[&str] = &[
    PRIMARY_KEY,
    AUTOINCREMENT,
    MAX_LENGTH,
    UNIQUE,
    INDEX,
    SECRET,
    DEFAULT,
    SERVER_DEFAULT,
    SERVER_DEFAULT_SQL,
    ON_UPDATE,
    APP_ON_UPDATE,
    FOREIGN_KEY,
    FOREIGN_KEY_NAME,
    ON_DELETE,
    MIXIN,
    SQL_TYPE,
    ENUM,
    CHECK_NAME,
    COMMENT,
];
pub const STRUCT_FOREIGN_KEY_KEYS: &[&str] = &[COLUMNS, REFERENCES, NAME, ON_DELETE, ON_UPDATE];
pub const INDEX_KEYS: &[&str] = &[NAME, COLUMNS, UNIQUE, LIVE, WHERE];
pub const UNIQUE_KEYS: &[&str] = &[NAME, COLUMNS, LIVE];
pub const CHECK_KEYS: &[&str] = &[NAME, EXPR, SQL, DOC];
pub const RELATION_KEYS: &[&str] = &[
    NAME,
    ONE_TO_MANY,
    ONE_TO_ONE,
    MANY_TO_ONE,
    MANY_TO_MANY,
    FOREIGN_KEY,
    THROUGH,
    TARGET_FOREIGN_KEY,
    BACK_POPULATES,
    CASCADE,
    DOC,
];

/// SQLAlchemy's relationship cascade options, as the YAML front end accepts them.
pub const CASCADES: &[&str] = &[
    "all",
    "save-update",
    "merge",
    "expunge",
    "delete",
    "delete-orphan",
    "refresh-expire",
];
