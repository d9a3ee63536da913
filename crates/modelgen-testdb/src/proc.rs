//! Process plumbing shared by the PostgreSQL and MariaDB wrappers: finding
//! binaries, dropping root, tying a server's life to the test process, and
//! temp directories that outlive nothing.

use std::ffi::CString;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex, Once, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Prefix of every directory this crate makes under the temp dir; the stale
/// sweep relies on it.
const DIR_PREFIX: &str = "modelgen-testdb-";

pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// An OS account a server is run as when the tests run as root.
#[derive(Clone, Copy)]
pub(crate) struct Account {
    pub uid: u32,
    pub gid: u32,
}

/// The first of `names` that exists as an OS user.
pub(crate) fn lookup_account(names: &[&str]) -> Option<Account> {
    names.iter().find_map(|name| {
        let cname = CString::new(*name).ok()?;
        let mut buf = vec![0 as libc::c_char; 16 * 1024];
        // SAFETY: an all-zero passwd is a valid out-parameter.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call; getpwnam_r (unlike
        // getpwnam) is safe while other test threads do the same.
        let rc = unsafe { libc::getpwnam_r(cname.as_ptr(), &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
        (rc == 0 && !result.is_null()).then_some(Account {
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
        })
    })
}

/// Looks for the first of `names` in `dirs`, then on `PATH`.
pub(crate) fn find_binary(names: &[&str], dirs: &[PathBuf]) -> Option<PathBuf> {
    let path_dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    names.iter().find_map(|name| {
        dirs.iter()
            .chain(path_dirs.iter())
            .map(|d| d.join(name))
            .find(|p| is_executable(p))
    })
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A fresh directory `modelgen-testdb-<kind>-<pid>-<random>`. The pid in the
/// name lets later runs delete what a killed test process left behind.
///
/// It goes on /dev/shm when that is a roomy tmpfs: MariaDB fsyncs its DDL log
/// on every CREATE/ALTER whatever the settings, and on a busy disk that turns
/// a 0.4 s bootstrap into several seconds. Otherwise the system temp dir.
pub(crate) fn make_temp_dir(kind: &str, for_other_user: bool) -> TempDir {
    let shm = Path::new("/dev/shm");
    let mut base = if has_room(shm, 1 << 30) {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    // Another user must be able to walk down to the directory; a private
    // TMPDIR (e.g. under /root) would lock the server out of its own data.
    if for_other_user && !traversable_by_others(&base) {
        base = PathBuf::from("/tmp");
    }
    sweep_stale_dirs(&base);
    tempfile::Builder::new()
        .prefix(&format!("{DIR_PREFIX}{kind}-{}-", std::process::id()))
        .tempdir_in(&base)
        .unwrap_or_else(|e| panic!("cannot create a temp dir under {}: {e}", base.display()))
}

/// Whether `dir` is a writable directory with at least `bytes` free.
fn has_room(dir: &Path, bytes: u64) -> bool {
    let Ok(c) = CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: an all-zero statvfs is a valid out-parameter.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: c is NUL-terminated and st is valid for writes.
    let ok = unsafe { libc::statvfs(c.as_ptr(), &mut st) == 0 && libc::access(c.as_ptr(), libc::W_OK) == 0 };
    ok && (st.f_bavail as u64).saturating_mul(st.f_frsize as u64) >= bytes
}

fn traversable_by_others(path: &Path) -> bool {
    path.ancestors()
        .all(|p| fs::metadata(p).map(|m| m.mode() & 0o001 != 0).unwrap_or(false))
}

/// Removes directories of earlier test processes that died without cleaning
/// up (SIGKILL, abort); a shared server's directory is otherwise removed at
/// exit.
fn sweep_stale_dirs(base: &Path) {
    static SWEPT: Once = Once::new();
    SWEPT.call_once(|| {
        let Ok(entries) = fs::read_dir(base) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
                continue;
            };
            let Some(pid) = rest.split('-').nth(1).and_then(|p| p.parse::<i32>().ok()) else {
                continue;
            };
            if pid as u32 != std::process::id() && !process_alive(pid) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    });
}

fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

pub(crate) fn chown(path: &Path, account: Account) {
    std::os::unix::fs::chown(path, Some(account.uid), Some(account.gid))
        .unwrap_or_else(|e| panic!("cannot chown {}: {e}", path.display()));
}

/// Runs `cmd` to completion, as `account` if given; on failure returns the
/// combined output for the panic message.
pub(crate) fn run_as(mut cmd: Command, account: Option<Account>) -> Result<(), String> {
    if let Some(a) = account {
        cmd.uid(a.uid).gid(a.gid);
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

type SpawnJob = Box<dyn FnOnce() + Send>;

/// Spawns `cmd` so that the kernel sends `signal` to it when the test process
/// ends, however it ends.
///
/// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, and
/// libtest runs each test on its own short-lived thread, so the fork happens
/// on one thread that lives as long as the process. The setting is also
/// cleared by any later uid change, which is why servers are not started
/// through `runuser` (it forks and switches user after our pre_exec ran) but
/// with `Command::uid`, which std applies before pre_exec hooks.
pub(crate) fn spawn_tied(mut cmd: Command, signal: libc::c_int) -> io::Result<Child> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<SpawnJob>>> = OnceLock::new();
    let sender = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnJob>();
        thread::Builder::new()
            .name("modelgen-testdb-spawner".into())
            .spawn(move || {
                for job in rx {
                    job();
                }
            })
            .expect("cannot start the spawner thread");
        Mutex::new(tx)
    });

    let parent = std::process::id() as libc::pid_t;
    // SAFETY: the hook only makes async-signal-safe calls (prctl, getppid).
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect.
            if libc::getppid() != parent {
                return Err(io::Error::other("test process exited during spawn"));
            }
            Ok(())
        });
    }
    let (reply_tx, reply_rx) = mpsc::channel();
    let job: SpawnJob = Box::new(move || {
        let _ = reply_tx.send(cmd.spawn());
    });
    sender
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(job)
        .map_err(|_| io::Error::other("spawner thread is gone"))?;
    reply_rx
        .recv()
        .map_err(|_| io::Error::other("spawner thread dropped the request"))?
}

/// A running server process and the directory it lives in.
pub(crate) struct Server {
    pub dir: PathBuf,
    log: PathBuf,
    child: Mutex<Option<Child>>,
    tempdir: Mutex<Option<TempDir>>,
    stop_signal: libc::c_int,
}

impl Server {
    pub fn new(child: Child, tempdir: TempDir, log: PathBuf, stop_signal: libc::c_int) -> Server {
        Server {
            dir: tempdir.path().to_path_buf(),
            log,
            child: Mutex::new(Some(child)),
            tempdir: Mutex::new(Some(tempdir)),
            stop_signal,
        }
    }

    /// Waits until `ready()` holds, panicking with the server log if the
    /// server exits first or takes longer than `timeout`.
    pub fn wait_ready(&self, what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
        let start = Instant::now();
        loop {
            if ready() {
                return;
            }
            let exited = self
                .child
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
                self.fail(&format!("{what} exited during startup with {status}"));
            }
            if start.elapsed() > timeout {
                self.fail(&format!("{what} did not become ready within {timeout:?}"));
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn fail(&self, msg: &str) -> ! {
        let log = fs::read_to_string(&self.log).unwrap_or_else(|e| format!("<no log: {e}>"));
        self.shutdown();
        // The directory is gone by now, so the log goes into the message.
        panic!("{msg}\n--- server log ---\n{log}");
    }

    /// Stops the server and removes its directory; later calls do nothing.
    pub fn shutdown(&self) {
        if let Some(mut child) = self.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
            // SAFETY: the pid is our own unreaped child, so it cannot have
            // been reused.
            unsafe { libc::kill(child.id() as libc::pid_t, self.stop_signal) };
            let deadline = Instant::now() + Duration::from_secs(10);
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(10));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        drop(self.tempdir.lock().unwrap_or_else(|e| e.into_inner()).take());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Runs a command-line client with `input` on stdin; stdout on success,
/// stderr (or the spawn error) on failure.
pub(crate) fn run_client(mut cmd: Command, input: &str) -> Result<String, String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_owned();
    // Writing on another thread: the client may fill its stdout pipe before it
    // has read all of its input.
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for {cmd:?}: {e}"))?;
    let _ = writer.join();
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(if stderr.is_empty() {
            format!("{cmd:?} failed with {}", out.status)
        } else {
            stderr
        })
    }
}

/// Registers `f` to run when the process exits normally, which is how the
/// never-dropped shared servers get their directories removed.
pub(crate) fn at_exit(f: extern "C" fn()) {
    // SAFETY: f is a plain function that stays valid for the process life.
    unsafe { libc::atexit(f) };
}

/// Parses one JSON object per line, as both catalog queries print them.
pub(crate) fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad catalog row {l:?}: {e}")))
        .collect()
}

/// Field accessors for the catalog rows; the databases disagree on how a
/// boolean looks in JSON (true vs 1).
pub(crate) trait Row {
    fn str(&self, key: &str) -> String;
    fn opt_str(&self, key: &str) -> Option<String>;
    fn bool(&self, key: &str) -> bool;
    fn strs(&self, key: &str) -> Vec<String>;
}

impl Row for serde_json::Value {
    fn str(&self, key: &str) -> String {
        self.opt_str(key).unwrap_or_default()
    }

    fn opt_str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    fn bool(&self, key: &str) -> bool {
        match self.get(key) {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::Number(n)) => n.as_i64() != Some(0),
            Some(serde_json::Value::String(s)) => matches!(s.as_str(), "1" | "t" | "true"),
            _ => false,
        }
    }

    fn strs(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
                .collect(),
            _ => Vec::new(),
        }
    }
}
