//! `file://` URIs and paths: percent-encoded both ways, so folders named 大云镇 or with
//! spaces round-trip.

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path of a `file://` URI, or None for another scheme or a malformed escape.
pub(crate) fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // file://host/path: only the local host.
    let path = if rest.starts_with('/') { rest } else { rest.strip_prefix("localhost")? };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

/// The `file://` URI of an absolute path.
pub(crate) fn from_path(path: &Path) -> Uri {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    // Only unreserved characters and escapes are written: always a valid URI.
    Uri::from_str(&s).unwrap_or_else(|_| Uri::from_str("file:///").expect("a constant URI"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_chinese_and_spaces_round_trip() {
        let p = Path::new("/home/统计/大云 镇/yearbook.toml");
        let uri = from_path(p);
        assert_eq!(uri.as_str(), "file:///home/%E7%BB%9F%E8%AE%A1/%E5%A4%A7%E4%BA%91%20%E9%95%87/yearbook.toml");
        assert_eq!(to_path(&uri).as_deref(), Some(p));
        // Editors may send some characters unescaped.
        let plain = Uri::from_str("file:///tmp/a%20b/x.rhai").unwrap();
        assert_eq!(to_path(&plain).unwrap(), Path::new("/tmp/a b/x.rhai"));
        assert_eq!(to_path(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
    }
}
