//! A throwaway MariaDB server per instance, reachable only through a unix
//! socket in its own temp dir, and the reader for one database's catalog.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::proc::{self, Row, Server};
use crate::{check_condition, finish, is_ignored_table, Catalog, Check, Column, ForeignKey, Index, Table};

/// Server options used both for bootstrapping the data dir and for running,
/// so InnoDB never has to resize files between the two. Sized for tests:
/// small buffers, no durability, no binlog, no performance schema.
const SERVER_OPTIONS: &[&str] = &[
    "--innodb-buffer-pool-size=16M",
    "--innodb-log-file-size=8M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    // Bootstrapping fsyncs heavily; without this it takes seconds, not 0.6 s.
    "--loose-innodb-flush-method=nosync",
    // Parallel instances would each claim kernel AIO contexts (aio-max-nr).
    "--loose-innodb-use-native-aio=0",
    "--skip-log-bin",
    "--performance-schema=OFF",
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
];

/// A MariaDB server of its own: `mariadb-install-db` into a temp dir,
/// `mariadbd` run as a direct child with `--skip-networking` and a socket in
/// that dir. User `root` with no password. Dropping it kills the server and
/// deletes the directory; the server also dies with the test process if that
/// is killed.
pub struct MariaDb {
    server: Server,
    socket: PathBuf,
    client: PathBuf,
}

struct Binaries {
    server: PathBuf,
    install_db: PathBuf,
    client: PathBuf,
}

fn find_binaries() -> Option<Binaries> {
    let sbin = [
        PathBuf::from("/usr/sbin"),
        PathBuf::from("/usr/libexec"),
        PathBuf::from("/usr/local/sbin"),
    ];
    let bin = [PathBuf::from("/usr/bin"), PathBuf::from("/usr/local/bin")];
    Some(Binaries {
        server: proc::find_binary(&["mariadbd", "mysqld"], &sbin)?,
        install_db: proc::find_binary(&["mariadb-install-db", "mysql_install_db"], &bin)?,
        client: proc::find_binary(&["mariadb", "mysql"], &bin)?,
    })
}

impl MariaDb {
    /// Starts a new server, or returns `None` after [`crate::server_missing`]
    /// when MariaDB is not installed. Panics with the server log if the
    /// binaries exist but the server does not come up.
    pub fn start() -> Option<MariaDb> {
        let Some(bin) = find_binaries() else {
            crate::server_missing("MariaDB");
            return None;
        };
        // mariadbd refuses root unless told; `--user=root` also keeps it from
        // calling setuid, which would clear the parent-death signal.
        let user: &[&str] = if proc::is_root() { &["--user=root"] } else { &[] };

        let tempdir = proc::make_temp_dir("mariadb", false);
        let dir = tempdir.path().to_path_buf();
        let data = dir.join("data");
        let socket = dir.join("mysql.sock");

        let install = || {
            let mut cmd = Command::new(&bin.install_db);
            cmd.arg("--no-defaults")
                .arg(format!("--datadir={}", data.display()))
                .args(user)
                .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
                .args(SERVER_OPTIONS)
                .current_dir(&dir);
            cmd
        };
        // Bootstraps running side by side in one process fail now and then (seen on 2
        // cores); one at a time, with one retry, they do not.
        static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
        if proc::run_as(install(), None).is_err() {
            let _ = std::fs::remove_dir_all(&data);
            if let Err(e) = proc::run_as(install(), None) {
                panic!("mariadb-install-db failed twice:\n{e}");
            }
        }
        drop(guard);

        let log = dir.join("server.log");
        let log_file = File::create(&log).expect("cannot create the server log");
        let mut cmd = Command::new(&bin.server);
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg(format!("--pid-file={}", dir.join("mariadbd.pid").display()))
            .arg(format!("--tmpdir={}", dir.display()))
            .arg("--skip-networking")
            .args(user)
            .args(SERVER_OPTIONS)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("cannot dup the log fd"))
            .stderr(log_file);
        // The data is throwaway, so no clean shutdown is worth waiting for.
        let child = proc::spawn_tied(cmd, libc::SIGKILL)
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.server.display()));
        let server = Server::new(child, tempdir, log, libc::SIGKILL);

        // The socket accepts connections only once startup has finished.
        server.wait_ready("mariadbd", Duration::from_secs(30), || {
            UnixStream::connect(&socket).is_ok()
        });
        Some(MariaDb {
            server,
            socket,
            client: bin.client,
        })
    }

    /// The server's unix socket.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// A connection URL for `db` over the unix socket, as sqlx reads it.
    pub fn url(&self, db: &str) -> String {
        format!("mysql://root@localhost/{db}?socket={}", self.socket.display())
    }

    /// Creates database `name`; panics if it cannot.
    pub fn create_database(&self, name: &str) {
        let sql = format!("CREATE DATABASE `{}`;", name.replace('`', "``"));
        if let Err(e) = self.exec("", &sql) {
            panic!("creating MariaDB database {name:?}: {e}");
        }
    }

    /// Runs `sql` in `db` (none if empty) with the `mariadb` client in batch
    /// mode, stopping at the first error. Returns the client's stdout
    /// (tab-separated rows, no header), or its stderr if anything failed.
    pub fn exec(&self, db: &str, sql: &str) -> Result<String, String> {
        proc::run_client(self.client_command(db, &[]), sql)
    }

    fn client_command(&self, db: &str, extra: &[&str]) -> Command {
        let mut cmd = Command::new(&self.client);
        // --no-defaults must come first; it keeps ~/.my.cnf out.
        cmd.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .args(["--user=root", "--batch", "--skip-column-names"])
            .arg("--default-character-set=utf8mb4")
            .args(extra);
        if !db.is_empty() {
            cmd.arg(format!("--database={db}"));
        }
        cmd
    }

    /// Reads database `db`.
    ///
    /// MariaDB stores a UNIQUE constraint as a unique index and cannot tell
    /// the two apart afterwards, so every unique key other than `PRIMARY` is
    /// reported in `indexes` with `unique: true`, and `uniques` is always
    /// empty. Likewise the index InnoDB creates for a foreign key that has no
    /// usable index is indistinguishable from one made on purpose, so all
    /// indexes are reported. Index prefix lengths appear as `col(10)`.
    /// Partial indexes do not exist, so `predicate` is always `None`.
    /// A column whose default is `NULL` reports `default: None`, as on the
    /// other databases.
    pub fn catalog(&self, db: &str) -> Catalog {
        let schema = db.replace('\\', "\\\\").replace('\'', "''");
        let sql = CATALOG_SQL.replace("{schema}", &schema);
        // --raw: JSON already escapes what batch mode would escape again.
        let out = proc::run_client(self.client_command("", &["--raw"]), &sql)
            .unwrap_or_else(|e| panic!("reading the MariaDB catalog of {db:?}: {e}"));
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        let mut triggers = Vec::new();
        // Index and FK rows come one per column, in order; these gather them.
        let mut indexes: BTreeMap<(String, String), Index> = BTreeMap::new();
        let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
        for row in proc::json_lines(&out) {
            let table_name = row.str("t");
            if is_ignored_table(&table_name) {
                continue;
            }
            match row.str("k").as_str() {
                "table" => {
                    // MariaDB has no NULL comment: an empty one is none.
                    tables.entry(table_name).or_default().comment = row.opt_str("comment").filter(|c| !c.is_empty());
                }
                "column" => {
                    let extra = row.str("extra").to_lowercase();
                    let default = row
                        .opt_str("default")
                        .map(|d| d.trim().to_string())
                        .filter(|d| d != "NULL");
                    // Views have columns too; only base tables were listed.
                    let Some(table) = tables.get_mut(&table_name) else {
                        continue;
                    };
                    table.columns.push(Column {
                        name: row.str("name"),
                        ty: lowercase_outside_quotes(&row.str("ty")),
                        nullable: row.bool("nullable"),
                        default,
                        autoincrement: extra.contains("auto_increment"),
                        generator: None,
                        comment: row.opt_str("comment").filter(|c| !c.is_empty()),
                    });
                }
                "index" => {
                    let name = row.str("name");
                    let column = match row.opt_str("sub_part") {
                        Some(len) => format!("{}({len})", row.str("column")),
                        None => row.str("column"),
                    };
                    if name == "PRIMARY" {
                        tables.entry(table_name).or_default().primary_key.push(column);
                    } else {
                        indexes
                            .entry((table_name, name.clone()))
                            .or_insert_with(|| Index {
                                name,
                                unique: row.bool("unique"),
                                columns: Vec::new(),
                                predicate: None,
                            })
                            .columns
                            .push(column);
                    }
                }
                "fk" => {
                    let fk = fks.entry((table_name, row.str("name"))).or_insert_with(|| ForeignKey {
                        columns: Vec::new(),
                        ref_table: row.str("ref_table"),
                        ref_columns: Vec::new(),
                        on_delete: row.str("on_delete").to_uppercase(),
                        on_update: row.str("on_update").to_uppercase(),
                    });
                    fk.columns.push(row.str("column"));
                    fk.ref_columns.push(row.str("ref_column"));
                }
                "trigger" => triggers.push(format!("{table_name}.{}", row.str("name"))),
                "check" => tables.entry(table_name).or_default().checks.push(Check {
                    name: Some(row.str("name")),
                    condition: check_condition(&row.str("check")),
                }),
                other => panic!("unexpected catalog row kind {other:?}"),
            }
        }
        for ((table, _), index) in indexes {
            tables.entry(table).or_default().indexes.push(index);
        }
        for ((table, name), fk) in fks {
            let table = tables.entry(table).or_default();
            table
                .constraint_names
                .insert(Table::constraint_key("fk", &fk.columns), name);
            table.foreign_keys.push(fk);
        }
        finish(Catalog {
            tables,
            triggers,
            sequences: Vec::new(),
        })
    }
}

/// Shared by all tests of one test binary, started on first use. It is never
/// dropped: an exit hook stops it and removes its directory, and the kernel
/// kills it if the test process dies abruptly.
pub fn shared_mariadb() -> Option<&'static MariaDb> {
    static SHARED: OnceLock<Option<MariaDb>> = OnceLock::new();
    extern "C" fn stop_shared() {
        if let Some(Some(db)) = SHARED.get() {
            db.server.shutdown();
        }
    }
    SHARED
        .get_or_init(|| {
            let db = MariaDb::start();
            if db.is_some() {
                proc::at_exit(stop_shared);
            }
            db
        })
        .as_ref()
}

/// One JSON object per output line, tagged with its kind `k` and table `t`;
/// `{schema}` is replaced by the escaped database name. Index and FK rows are
/// ordered so their columns arrive in key order.
const CATALOG_SQL: &str = r#"
SELECT JSON_OBJECT('k', 'table', 't', TABLE_NAME, 'comment', TABLE_COMMENT)
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = '{schema}' AND TABLE_TYPE = 'BASE TABLE';

SELECT JSON_OBJECT('k', 'column', 't', TABLE_NAME, 'name', COLUMN_NAME,
    'ty', COLUMN_TYPE, 'nullable', IS_NULLABLE = 'YES',
    'default', COLUMN_DEFAULT, 'extra', EXTRA, 'comment', COLUMN_COMMENT)
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = '{schema}'
ORDER BY TABLE_NAME, ORDINAL_POSITION;

SELECT JSON_OBJECT('k', 'index', 't', TABLE_NAME, 'name', INDEX_NAME,
    'unique', NON_UNIQUE = 0, 'column', COLUMN_NAME, 'sub_part', SUB_PART)
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = '{schema}'
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX;

SELECT JSON_OBJECT('k', 'fk', 't', k.TABLE_NAME, 'name', k.CONSTRAINT_NAME,
    'column', k.COLUMN_NAME, 'ref_table', k.REFERENCED_TABLE_NAME,
    'ref_column', k.REFERENCED_COLUMN_NAME,
    'on_delete', r.DELETE_RULE, 'on_update', r.UPDATE_RULE)
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
 AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
 AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = '{schema}'
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION;

SELECT JSON_OBJECT('k', 'trigger', 't', EVENT_OBJECT_TABLE, 'name', TRIGGER_NAME)
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = '{schema}';

SELECT JSON_OBJECT('k', 'check', 't', TABLE_NAME, 'name', CONSTRAINT_NAME, 'check', CHECK_CLAUSE)
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = '{schema}' AND LEVEL = 'Table';
"#;

/// A column type in lower case, but for the quoted values of an ENUM, whose case is the
/// values' own (`enum('low','HIGH')`).
fn lowercase_outside_quotes(ty: &str) -> String {
    let mut quoted = false;
    ty.chars()
        .map(|c| {
            if c == '\'' {
                quoted = !quoted;
            }
            if quoted {
                c
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}
