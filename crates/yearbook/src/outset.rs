//! An output set swapped in whole: the files of a run are written to a staging folder
//! beside `--out` and exchanged with it in one rename, under a lock, so a reader (or a
//! second run, a kill, a full disk) never sees findings of one run beside a summary of
//! another. Leftover staging folders are removed on SIGTERM/SIGINT and by the next run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use yearbook_core::error::{Error, Result};

/// How long a second run into the same folder waits for the first before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(120);

/// Staging folders being written now (removed by `remove_staging` on a signal).
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the staging folders of this process (for a SIGTERM/SIGINT handler).
pub fn remove_staging() {
    let dirs = std::mem::take(&mut *STAGING.lock().unwrap_or_else(|e| e.into_inner()));
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// What writes a file of an output set into the writer it is given.
pub type WriteFn<'a> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// One file of an output set: its bytes, or what writes them (a large file streams
/// into the staging folder instead of being held in memory whole).
pub enum Content<'a> {
    /// The whole file.
    Bytes(Vec<u8>),
    /// Writes the file (through a buffer); called once.
    Writer(WriteFn<'a>),
}

impl std::fmt::Debug for Content<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Content::Writer(_) => f.write_str("Writer"),
        }
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path.display().to_string(), e)
}

/// Writes `files` (name, bytes) as the new contents of `dir`'s set; files in `dir` that
/// are not part of the set are kept, except the files of the earlier set that this one
/// does not write (listed in the folder's `.yearbook.set`: a report.md of figures since
/// changed would stand beside the new findings). Returns the paths written. Nothing changes in
/// `dir` unless every file was written.
pub fn publish(dir: &Path, files: &[(String, Content<'_>)]) -> Result<Vec<PathBuf>> {
    // A link to a folder (`--out shared` pointing at a network share): the set goes into
    // the folder it points to, and the link stays; the swap would replace the link itself.
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        let target = std::fs::canonicalize(dir).map_err(|e| {
            Error::usage(format!(
                "--out {}: a link to a folder that cannot be reached ({e}): create the folder it points to, or give a folder",
                dir.display()
            ))
        })?;
        if !target.is_dir() {
            return Err(Error::usage(format!(
                "--out {}: a link to {}, which is not a folder: give a folder for the outputs",
                dir.display(),
                target.display()
            )));
        }
        publish(&target, files)?;
        return Ok(files.iter().map(|(n, _)| dir.join(n)).collect());
    }
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && *n != "..")
        .ok_or_else(|| Error::usage(format!("--out {}: give a folder name", dir.display())))?
        .to_string();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let _lock = Lock::acquire(&parent.join(format!(".{name}.yearbook.lock")), dir)?;
    clean_leftovers(&parent, &name);
    let staging = parent.join(format!(".{name}.yearbook-new-{}", std::process::id()));
    STAGING.lock().unwrap_or_else(|e| e.into_inner()).push(staging.clone());
    let res = stage_and_swap(dir, &staging, files);
    let _ = std::fs::remove_dir_all(&staging);
    STAGING.lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != &staging);
    res?;
    Ok(files.iter().map(|(n, _)| dir.join(n)).collect())
}

/// The list of the files the latest set holds, kept in the folder: what a later set
/// replaces (a file the analyst put there, or a report `yearbook report` wrote, is no
/// part of it and stays).
const MANIFEST: &str = ".yearbook.set";

fn stage_and_swap(dir: &Path, staging: &Path, files: &[(String, Content<'_>)]) -> Result<()> {
    let _ = std::fs::remove_dir_all(staging);
    std::fs::create_dir(staging).map_err(io(staging))?;
    // The earlier set's files that this one does not write: not kept.
    let earlier: Vec<String> =
        std::fs::read_to_string(dir.join(MANIFEST)).map(|t| t.lines().map(str::to_string).collect()).unwrap_or_default();
    let stale = |n: &str| (earlier.iter().any(|e| e == n) || is_failing_rows(n)) && !files.iter().any(|(f, _)| f == n);
    let list: String = files.iter().map(|(n, _)| format!("{n}\n")).collect();
    std::fs::write(staging.join(MANIFEST), list).map_err(io(&staging.join(MANIFEST)))?;
    for (n, content) in files {
        let p = staging.join(n);
        // Created like any file (0666 less the umask), not 0600 like a temp file.
        let mut f = std::fs::File::create_new(&p).map_err(io(&p))?;
        match content {
            Content::Bytes(bytes) => f.write_all(bytes).map_err(io(&p))?,
            Content::Writer(write) => {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut f);
                write(&mut w).and_then(|()| w.flush()).map_err(io(&p))?;
            }
        }
        f.sync_all().map_err(io(&p))?;
    }
    if !dir.exists() {
        std::fs::rename(staging, dir).map_err(io(dir))?;
        sync_dir(dir.parent().unwrap_or(Path::new(".")));
        return Ok(());
    }
    // Keep what else the folder holds: hard links into the new set (no copy).
    let mut whole = true;
    for e in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let n = e.file_name();
        let ns = n.to_string_lossy();
        if files.iter().any(|(f, _)| *f == ns) || ns.starts_with(".yearbook-") || ns == MANIFEST || stale(&ns) {
            continue;
        }
        let ok = e.file_type().is_ok_and(|t| t.is_file()) && std::fs::hard_link(e.path(), staging.join(&n)).is_ok();
        whole &= ok;
    }
    if whole && exchange(staging, dir) {
        sync_dir(dir);
        return Ok(());
    }
    // No atomic exchange here (other file system, or folders inside --out): rename file
    // by file, every file complete, the set switched within microseconds.
    for (n, _) in files {
        std::fs::rename(staging.join(n), dir.join(n)).map_err(io(&dir.join(n)))?;
    }
    std::fs::rename(staging.join(MANIFEST), dir.join(MANIFEST)).map_err(io(&dir.join(MANIFEST)))?;
    for e in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let ns = e.file_name().to_string_lossy().into_owned();
        if stale(&ns) {
            let _ = std::fs::remove_file(e.path());
        }
    }
    sync_dir(dir);
    Ok(())
}

/// A rule's failing rows (`failures_<rule>.csv`) belong to the run that wrote them: one
/// from an earlier run is not kept, the rule may pass now.
fn is_failing_rows(name: &str) -> bool {
    name.starts_with("failures_") && name.ends_with(".csv")
}

/// Swaps two folders in one step (Linux renameat2 RENAME_EXCHANGE).
fn exchange(a: &Path, b: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(ca), Ok(cb)) = (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes())) else {
            return false;
        };
        // SAFETY: two valid NUL-terminated paths; renameat2 only reads them.
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        false
    }
}

fn sync_dir(d: &Path) {
    if let Ok(f) = std::fs::File::open(d) {
        let _ = f.sync_all();
    }
}

/// Staging folders left by a run that was killed (SIGKILL, power loss).
fn clean_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.yearbook-new-");
    for e in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// An exclusive lock on `--out` (a lock file beside it), released on drop or exit.
struct Lock {
    /// Held open: the lock lasts as long as the descriptor.
    _file: std::fs::File,
    path: std::path::PathBuf,
}

impl Lock {
    /// Takes the lock at `path` (created if need be), waiting for another run's. The file
    /// is removed when the lock is dropped, so a run leaves nothing beside its outputs; a
    /// run that locked a file another removed meanwhile locks the new one instead.
    fn acquire(path: &Path, dir: &Path) -> Result<Lock> {
        let start = Instant::now();
        loop {
            let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).map_err(io(path))?;
            while !try_lock(&file) {
                if start.elapsed() > LOCK_WAIT {
                    return Err(Error::usage(format!(
                        "another yearbook run is writing to {} (it holds {}); waited {} s",
                        dir.display(),
                        path.display(),
                        LOCK_WAIT.as_secs()
                    )));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if same_file(&file, path) {
                return Ok(Lock { _file: file, path: path.to_path_buf() });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a run waiting on this file sees it gone and opens anew.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether `path` is still the open `file` (not removed, or replaced, by a run that
/// held it before).
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

fn try_lock(f: &std::fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor; flock takes no pointers.
        unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = f;
        true
    }
}
