//! A throwaway PostgreSQL cluster per instance, reachable only through a unix
//! socket in its own temp dir, and the reader for its `public` schema.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::proc::{self, Account, Row, Server};
use crate::{check_condition, finish, is_ignored_table, normalize_predicate, pg_fk_action};
use crate::{Catalog, Check, Column, ForeignKey, Index, Table};

const PORT: u16 = 5432;

/// A PostgreSQL server of its own: `initdb` into a temp dir, `postgres` run
/// as a direct child (as the `postgres` OS user when the tests run as root,
/// since PostgreSQL refuses root), fsync off, no TCP. Dropping it stops the
/// server and deletes the directory; the server also dies with the test
/// process if that is killed.
pub struct Postgres {
    server: Server,
    psql: PathBuf,
}

struct Binaries {
    initdb: PathBuf,
    postgres: PathBuf,
    psql: PathBuf,
}

fn find_binaries() -> Option<Binaries> {
    // Newest major version first, so a machine with several picks one
    // deterministically.
    let mut dirs: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    let dirs: Vec<PathBuf> = dirs.into_iter().map(|(_, d)| d).collect();
    let initdb = proc::find_binary(&["initdb"], &dirs)?;
    // postgres and psql from the same installation as initdb where possible.
    let own_dir = [initdb.parent()?.to_path_buf()];
    Some(Binaries {
        postgres: proc::find_binary(&["postgres"], &own_dir)?,
        psql: proc::find_binary(&["psql"], &own_dir)?,
        initdb,
    })
}

impl Postgres {
    /// Starts a new cluster, or returns `None` after [`crate::server_missing`]
    /// when PostgreSQL is not installed. Panics with the server log if the
    /// binaries exist but the server does not come up.
    pub fn start() -> Option<Postgres> {
        let Some(bin) = find_binaries() else {
            crate::server_missing("PostgreSQL");
            return None;
        };
        let account: Option<Account> = if proc::is_root() {
            Some(
                proc::lookup_account(&["postgres", "nobody"])
                    .expect("running as root, but there is no `postgres` or `nobody` user to run PostgreSQL as"),
            )
        } else {
            None
        };

        let tempdir = proc::make_temp_dir("pg", account.is_some());
        let dir = tempdir.path().to_path_buf();
        if let Some(a) = account {
            proc::chown(&dir, a);
        }
        let data = dir.join("data");

        let mut initdb = Command::new(&bin.initdb);
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8"])
            .args(["--no-locale", "--no-sync", "--no-instructions"])
            // The caller's cwd (often /root) may be closed to the postgres user.
            .current_dir(&dir)
            .env("LC_ALL", "C");
        if let Err(e) = proc::run_as(initdb, account) {
            panic!("initdb failed:\n{e}");
        }

        let log = dir.join("server.log");
        let log_file = File::create(&log).expect("cannot create the server log");
        let mut cmd = Command::new(&bin.postgres);
        cmd.arg("-D")
            .arg(&data)
            .arg("-p")
            .arg(PORT.to_string())
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.display()))
            .args(["-c", "listen_addresses="])
            .args(["-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            .args(["-c", "shared_buffers=16MB"])
            .args(["-c", "max_connections=50"])
            .args(["-c", "logging_collector=off"])
            .current_dir(&dir)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("cannot dup the log fd"))
            .stderr(log_file);
        if let Some(a) = account {
            cmd.uid(a.uid).gid(a.gid);
        }
        // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster takes its
        // backends down with it.
        let child = proc::spawn_tied(cmd, libc::SIGQUIT)
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.postgres.display()));
        let server = Server::new(child, tempdir, log, libc::SIGQUIT);

        // Line 8 of postmaster.pid turns to "ready" once connections are
        // accepted; reading it beats spawning pg_isready in a loop.
        let pid_file = data.join("postmaster.pid");
        server.wait_ready("postgres", Duration::from_secs(30), || {
            fs::read_to_string(&pid_file)
                .map(|s| s.lines().nth(7).map(str::trim) == Some("ready"))
                .unwrap_or(false)
        });
        Some(Postgres { server, psql: bin.psql })
    }

    /// The directory holding the server's unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.server.dir
    }

    pub fn port(&self) -> u16 {
        PORT
    }

    /// A connection URL for `db` over the unix socket, as libpq and sqlx read it.
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres@localhost:{PORT}/{db}?host={}",
            self.server.dir.display()
        )
    }

    /// Creates database `name`; panics if it cannot.
    pub fn create_database(&self, name: &str) {
        let sql = format!("CREATE DATABASE \"{}\";", name.replace('"', "\"\""));
        if let Err(e) = self.exec("postgres", &sql) {
            panic!("creating PostgreSQL database {name:?}: {e}");
        }
    }

    /// Runs `sql` in `db` with psql, stopping at the first error. Returns
    /// psql's stdout, or its stderr if anything failed.
    pub fn exec(&self, db: &str, sql: &str) -> Result<String, String> {
        proc::run_client(self.psql_command(db, &[]), sql)
    }

    fn psql_command(&self, db: &str, extra: &[&str]) -> Command {
        let mut cmd = Command::new(&self.psql);
        cmd.arg("-h")
            .arg(&self.server.dir)
            .arg("-p")
            .arg(PORT.to_string())
            .args(["-U", "postgres", "-d", db])
            .args(["-v", "ON_ERROR_STOP=1", "-X", "-q"])
            .args(extra)
            // Connection settings in the environment must not redirect psql.
            .env_remove("PGSERVICE")
            .env_remove("PGOPTIONS")
            .env_remove("PGSSLMODE");
        cmd
    }

    /// Reads the `public` schema of `db`. Serial columns (default `nextval(...)`), those
    /// reading a sequence of their own and identity columns count as autoincrement, and
    /// [`Column::generator`] says which.
    pub fn catalog(&self, db: &str) -> Catalog {
        let out = proc::run_client(self.psql_command(db, &["-A", "-t"]), CATALOG_SQL)
            .unwrap_or_else(|e| panic!("reading the PostgreSQL catalog of {db:?}: {e}"));
        let mut rows = proc::json_lines(&out);
        // One UNION query cannot order its parts; columns need ordinal order.
        rows.sort_by_key(|r| r.get("ord").and_then(|o| o.as_i64()).unwrap_or(0));
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        let mut triggers = Vec::new();
        let mut sequences = Vec::new();
        for row in rows {
            if row.str("k") == "sequence" {
                let mut entry = format!("{} {}", row.str("name"), row.str("ty"));
                if let Some(owner) = row.opt_str("owner") {
                    entry = format!("{entry} owned by {owner}");
                }
                sequences.push(entry);
                continue;
            }
            let table_name = row.str("t");
            if is_ignored_table(&table_name) {
                continue;
            }
            if row.str("k") == "trigger" {
                triggers.push(format!("{table_name}.{}", row.str("name")));
                continue;
            }
            let table = tables.entry(table_name).or_default();
            match row.str("k").as_str() {
                "table" => table.comment = row.opt_str("comment"),
                "column" => {
                    let mut default = row.opt_str("default").map(|d| d.trim().to_string());
                    let read = default.as_deref().and_then(nextval_sequence);
                    let generator = match read.clone() {
                        _ if row.bool("identity") => Some("identity".to_owned()),
                        Some(seq) if row.opt_str("owned_seq") == Some(seq.clone()) => Some("serial".to_owned()),
                        Some(seq) => Some(format!("sequence {seq}")),
                        None => None,
                    };
                    if read.is_some() {
                        default = None;
                    }
                    table.columns.push(Column {
                        name: row.str("name"),
                        ty: type_name(&row.str("ty")),
                        nullable: row.bool("nullable"),
                        default,
                        autoincrement: generator.is_some(),
                        generator,
                        comment: row.opt_str("comment"),
                    });
                }
                "constraint" => match row.str("type").as_str() {
                    kind @ ("p" | "u" | "f") => {
                        let columns = row.strs("columns");
                        let short = match kind {
                            "p" => "pk",
                            "u" => "uq",
                            _ => "fk",
                        };
                        let key = Table::constraint_key(short, &columns);
                        table.constraint_names.insert(key, row.str("name"));
                        match kind {
                            "p" => table.primary_key = columns,
                            "u" => table.uniques.push(columns),
                            _ => table.foreign_keys.push(ForeignKey {
                                columns: row.strs("columns"),
                                ref_table: row.str("ref_table"),
                                ref_columns: row.strs("ref_columns"),
                                on_delete: pg_fk_action(&row.str("on_delete")),
                                on_update: pg_fk_action(&row.str("on_update")),
                            }),
                        }
                    }
                    "c" => table.checks.push(Check {
                        name: Some(row.str("name")),
                        condition: check_condition(&row.str("check")),
                    }),
                    _ => {}
                },
                "index" => table.indexes.push(Index {
                    name: row.str("name"),
                    unique: row.bool("unique"),
                    columns: row.strs("columns"),
                    predicate: row.opt_str("predicate").map(|p| normalize_predicate(&p)),
                }),
                other => panic!("unexpected catalog row kind {other:?}"),
            }
        }
        finish(Catalog {
            tables,
            triggers,
            sequences,
        })
    }
}

/// Shared by all tests of one test binary, started on first use. It is never
/// dropped: an exit hook stops it and removes its directory, and the kernel
/// kills it if the test process dies abruptly.
pub fn shared_postgres() -> Option<&'static Postgres> {
    static SHARED: OnceLock<Option<Postgres>> = OnceLock::new();
    extern "C" fn stop_shared() {
        if let Some(Some(pg)) = SHARED.get() {
            pg.server.shutdown();
        }
    }
    SHARED
        .get_or_init(|| {
            let pg = Postgres::start();
            if pg.is_some() {
                proc::at_exit(stop_shared);
            }
            pg
        })
        .as_ref()
}

/// One JSON object per output line, tagged with its kind `k` and table `t`.
/// Partitions are left out: their parent table stands for them.
const CATALOG_SQL: &str = r#"
WITH rel AS (
    SELECT c.oid, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
)
SELECT json_build_object('k', 'table', 't', rel.relname, 'comment', obj_description(rel.oid, 'pg_class')) FROM rel
UNION ALL
SELECT json_build_object(
    'k', 'column', 't', rel.relname, 'name', a.attname, 'ord', a.attnum,
    'ty', format_type(a.atttypid, a.atttypmod),
    'nullable', NOT a.attnotnull,
    'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
    'identity', a.attidentity <> '', 'comment', col_description(rel.oid, a.attnum),
    'owned_seq', (SELECT s.relname FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid
                  WHERE dep.classid = 'pg_class'::regclass AND dep.refobjid = rel.oid
                    AND dep.refobjsubid = a.attnum AND dep.deptype = 'a' AND s.relkind = 'S'
                  LIMIT 1))
FROM rel
JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = rel.oid AND d.adnum = a.attnum
UNION ALL
SELECT json_build_object(
    'k', 'constraint', 't', rel.relname, 'type', con.contype,
    'columns', (SELECT json_agg(a.attname ORDER BY k.ord)
                FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
    'ref_table', rc.relname,
    'ref_columns', (SELECT json_agg(a.attname ORDER BY k.ord)
                    FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
    'on_delete', con.confdeltype, 'on_update', con.confupdtype,
    'name', con.conname, 'check', CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END)
FROM rel
JOIN pg_constraint con ON con.conrelid = rel.oid AND con.contype IN ('p', 'u', 'f', 'c')
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
UNION ALL
SELECT json_build_object(
    'k', 'index', 't', rel.relname, 'name', ic.relname, 'unique', i.indisunique,
    'columns', (SELECT json_agg(pg_get_indexdef(i.indexrelid, k, true) ORDER BY k)
                FROM generate_series(1, i.indnkeyatts) AS k),
    'predicate', pg_get_expr(i.indpred, i.indrelid, true))
FROM rel
JOIN pg_index i ON i.indrelid = rel.oid
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE NOT EXISTS (
    SELECT 1 FROM pg_constraint con
    WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      AND con.contype IN ('p', 'u'))
UNION ALL
SELECT json_build_object('k', 'trigger', 't', rel.relname, 'name', tg.tgname)
FROM rel JOIN pg_trigger tg ON tg.tgrelid = rel.oid AND NOT tg.tgisinternal
UNION ALL
SELECT json_build_object(
    'k', 'sequence', 't', '', 'name', c.relname, 'ty', format_type(s.seqtypid, NULL),
    'owner', (SELECT tc.relname || '.' || a.attname FROM pg_depend dep
              JOIN pg_class tc ON tc.oid = dep.refobjid
              JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
              WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'a'
              LIMIT 1))
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE n.nspname = 'public' AND c.relkind = 'S' AND NOT EXISTS (
    SELECT 1 FROM pg_depend dep
    WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'i');
"#;

/// The sequence a `nextval('x_id_seq'::regclass)` default reads, unquoted.
fn nextval_sequence(default: &str) -> Option<String> {
    let inner = default.strip_prefix("nextval('")?.strip_suffix("'::regclass)")?;
    let name = inner.replace("''", "'");
    Some(match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => name,
    })
}

/// `format_type`'s text as the type's name: a quoted one (an enum type named beyond
/// lower-case ASCII, `"grantω"`) without its quotes and as written, the rest in lower case.
fn type_name(ty: &str) -> String {
    match ty.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => ty.to_lowercase(),
    }
}
