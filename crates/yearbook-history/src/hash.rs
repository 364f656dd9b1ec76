//! Content hashes of the config and input files (SHA-256, as `sha256sum` prints them), and
//! the file-system stamps that let a run reuse a hash recorded earlier for a file that has
//! not changed since (as git's index does), instead of reading hundreds of MB again.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a file's contents, read in pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// What the file system says of a file: enough to tell that its contents are those hashed
/// before. Any write changes the change time (ctime), which no program can set back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Length in bytes.
    pub size: i64,
    /// Modification time, ns since 1970.
    pub mtime_ns: i64,
    /// Status change time, ns since 1970.
    pub ctime_ns: i64,
    /// Inode number (a file replaced by another has a new one).
    pub ino: i64,
    /// Device number.
    pub dev: i64,
}

/// A file's stamp; None where the platform gives no change time and inode (not Unix):
/// such files are always hashed.
pub fn file_stamp(path: &Path) -> Option<FileStamp> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        Some(FileStamp {
            size: m.size() as i64,
            mtime_ns: ns(m.mtime(), m.mtime_nsec()),
            ctime_ns: ns(m.ctime(), m.ctime_nsec()),
            ino: m.ino() as i64,
            dev: m.dev() as i64,
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// A hash as recorded: the file's stamp just before it was read, and when that was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownHash {
    /// The stamp taken before hashing.
    pub stamp: FileStamp,
    /// The SHA-256, lowercase hex.
    pub sha256: String,
    /// When hashing started, ns since 1970.
    pub hashed_at_ns: i64,
}

/// How long before hashing a file must have last changed for its stamp to be trusted: file
/// times can be as coarse as 2 s (FAT), so a change in the same tick as the hash, after
/// it, could leave the stamp as it was.
const SETTLED_NS: i64 = 2_000_000_000;

impl KnownHash {
    /// Whether this hash still holds for a file whose stamp is now `now`.
    pub fn holds_for(&self, now: &FileStamp) -> bool {
        self.stamp == *now && now.ctime_ns.max(now.mtime_ns).saturating_add(SETTLED_NS) < self.hashed_at_ns
    }
}

/// The inputs' (path, SHA-256) in order, and the hashes computed afresh with their stamps.
pub type HashedFiles = (Vec<(String, String)>, Vec<(String, KnownHash)>);

/// The SHA-256 of each file (path as given, in order), reusing a `known` hash where the
/// file's stamp shows it unchanged; also returns the hashes computed now, to remember.
pub fn hash_files(files: &[std::path::PathBuf], known: &HashMap<String, KnownHash>) -> std::io::Result<HashedFiles> {
    let mut out = Vec::with_capacity(files.len());
    let mut fresh = Vec::new();
    for f in files {
        let shown = f.display().to_string();
        // Known by its canonical path: the same file named another way (relative, through
        // a link) is not hashed again.
        let key = std::fs::canonicalize(f).map(|p| p.display().to_string()).unwrap_or_else(|_| shown.clone());
        let stamp = file_stamp(f);
        if let (Some(s), Some(k)) = (&stamp, known.get(&key))
            && k.holds_for(s)
        {
            out.push((shown, k.sha256.clone()));
            continue;
        }
        let hashed_at_ns = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0);
        let sha256 = sha256_file(f)?;
        if let Some(stamp) = stamp {
            fresh.push((key, KnownHash { stamp, sha256: sha256.clone(), hashed_at_ns }));
        }
        out.push((shown, sha256));
    }
    Ok((out, fresh))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    fn stamp(ctime_ns: i64) -> FileStamp {
        FileStamp { size: 3, mtime_ns: ctime_ns, ctime_ns, ino: 7, dev: 1 }
    }

    #[test]
    fn a_known_hash_holds_only_for_the_same_settled_file() {
        let k = KnownHash { stamp: stamp(10_000_000_000), sha256: "x".into(), hashed_at_ns: 13_000_000_000 };
        assert!(k.holds_for(&stamp(10_000_000_000)));
        // Changed since (new ctime), another size, another inode: hashed again.
        assert!(!k.holds_for(&stamp(14_000_000_000)));
        assert!(!k.holds_for(&FileStamp { size: 4, ..stamp(10_000_000_000) }));
        assert!(!k.holds_for(&FileStamp { ino: 8, ..stamp(10_000_000_000) }));
        // Hashed less than 2 s after its last change: a later write in the same tick
        // could hide, so it is not trusted.
        let racy = KnownHash { hashed_at_ns: 11_000_000_000, ..k };
        assert!(!racy.holds_for(&stamp(10_000_000_000)));
    }

    #[cfg(unix)]
    #[test]
    fn hash_files_reuses_a_settled_hash_and_rehashes_a_changed_file() {
        let dir = std::env::temp_dir().join(format!("yb-hash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.csv");
        std::fs::write(&f, b"abc").unwrap();
        let files = vec![f.clone()];
        let (first, fresh) = hash_files(&files, &HashMap::new()).unwrap();
        assert_eq!(first[0].1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(fresh.len(), 1);
        // As if hashed long after its last change: the recorded (wrong, to prove it is
        // not read) hash is reused.
        let key = fresh[0].0.clone();
        let mut known: HashMap<String, KnownHash> = fresh.into_iter().collect();
        let k = known.get_mut(&key).unwrap();
        k.hashed_at_ns += 10_000_000_000;
        k.sha256 = "recorded".into();
        let (again, fresh) = hash_files(&files, &known).unwrap();
        assert_eq!(again[0].1, "recorded");
        assert!(fresh.is_empty());
        // The same file named another way is known too, and listed as named.
        let other = dir.join("..").join(dir.file_name().unwrap()).join("a.csv");
        let (again, fresh) = hash_files(std::slice::from_ref(&other), &known).unwrap();
        assert_eq!((again[0].0.as_str(), again[0].1.as_str()), (other.display().to_string().as_str(), "recorded"));
        assert!(fresh.is_empty());
        // Rewritten: its stamp changes and it is hashed again.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&f, b"abd").unwrap();
        let (changed, fresh) = hash_files(&files, &known).unwrap();
        assert_ne!(changed[0].1, "recorded");
        assert_eq!(fresh.len(), 1);
        std::fs::remove_dir_all(&dir).ok();
    }
}
