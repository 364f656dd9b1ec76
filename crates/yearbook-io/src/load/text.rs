//! Reading a whole data file as UTF-8 text: BOM stripped, GBK decoded when asked.

use std::path::Path;
use yearbook_core::error::{Error, Location, Result};

/// Text encodings a data file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
}

impl Encoding {
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(Encoding::Gbk),
            _ => None,
        }
    }
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path.display().to_string(), e))
}

/// What is said of a UTF-16 file, whatever encoding its entry names.
pub const UTF16: &str = "the file is UTF-16 text (Excel's \"Unicode text\", tab-separated), which yearbook does not read: \
                         save it as \"CSV UTF-8\" (Excel: 另存为 > CSV UTF-8（逗号分隔）) or as .xlsx";

/// Whether `bytes` are UTF-16 text: a UTF-16 byte order mark (FF FE, FE FF; what Excel's
/// "Unicode text" writes), or, without one, a NUL byte in one of the first two places,
/// which no CSV file has (ASCII text in UTF-16 is every other byte NUL). Such a file is
/// neither UTF-8 nor GBK: read as GBK it would decode to other characters silently.
pub fn is_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => true,
        [a, b, ..] => (*a == 0) != (*b == 0),
        _ => false,
    }
}

/// Decodes `bytes` to a String. Invalid UTF-8 is an error naming the line and suggesting
/// `encoding = "gbk"`, the usual cause with Chinese files saved by Excel; UTF-16 text is
/// an error saying to save the file as UTF-8 ([`UTF16`]).
pub fn decode(file: &str, bytes: Vec<u8>, enc: Encoding) -> Result<String> {
    if is_utf16(&bytes) {
        return Err(Error::data(Location::new(file, 1, None), UTF16));
    }
    match enc {
        Encoding::Gbk => {
            if let Some((line, col)) = utf8_cjk(&bytes) {
                return Err(Error::data(
                    Location::new(file, line, Some(col)),
                    "the file looks like UTF-8, not GBK: its bytes are valid UTF-8 and read as Chinese text (the first of it \
                     here); remove `encoding = \"gbk\"` from this file's entry in the config",
                ));
            }
            // GB18030 is a superset of GBK and GB2312.
            let (text, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
            if had_errors {
                let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(Error::data(Location::new(file, line, None), "file is not valid GBK text either; check the file's encoding"));
            }
            Ok(text.trim_start_matches('\u{feff}').to_string())
        }
        Encoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
            String::from_utf8(body).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                let b = e.as_bytes();
                let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
                let col = b[..at].rsplit(|&c| c == b'\n').next().map(|l| l.iter().filter(|&&c| c == b',').count() + 1);
                Error::data(
                    Location::new(file, line, col),
                    "file is not valid UTF-8; files saved by Excel on Chinese Windows are usually GBK: add `encoding = \"gbk\"` to this file's entry in the config",
                )
            })
        }
    }
}

/// Where the first CJK character of `bytes` is (line, CSV field), when the bytes are
/// valid UTF-8 and have one: such a file is UTF-8 (GBK text of Chinese characters is
/// almost never valid UTF-8), whatever its entry says.
fn utf8_cjk(bytes: &[u8]) -> Option<(usize, usize)> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    let (line, l) = text.lines().enumerate().find(|(_, l)| l.chars().any(is_cjk))?;
    let before = &l[..l.find(is_cjk)?];
    Some((line + 1, before.matches(',').count() + 1))
}

/// A CJK ideograph or CJK punctuation (U+3000..U+9FFF, the compatibility ideographs,
/// full-width forms).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn utf16_is_named_whatever_the_entry_says() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("地区\t年份\n".encode_utf16().flat_map(u16::to_le_bytes));
        let no_bom: Vec<u8> = "region,value\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        for bytes in [le, no_bom] {
            for enc in [Encoding::Utf8, Encoding::Gbk] {
                let e = decode("u16.csv", bytes.clone(), enc).unwrap_err();
                assert_eq!(e.to_string(), format!("u16.csv:1: {UTF16}"));
            }
        }
        assert!(!is_utf16("region,value\n".as_bytes()));
        assert!(!is_utf16(b"\xEF\xBB\xBFregion"));
    }

    #[test]
    fn utf8_declared_gbk_is_named() {
        let e = decode("f.csv", "region,value\nt1,1\nt2,甲镇\n".as_bytes().to_vec(), Encoding::Gbk).unwrap_err();
        assert_eq!(e.span().map(ToString::to_string).as_deref(), Some("f.csv:3:2"));
        assert!(e.to_string().contains("looks like UTF-8"), "{e}");
        // Real GBK text decodes.
        let (gbk, _, _) = encoding_rs::GBK.encode("region,value\n甲镇,1\n");
        assert_eq!(decode("f.csv", gbk.into_owned(), Encoding::Gbk).unwrap(), "region,value\n甲镇,1\n");
        // ASCII is both.
        assert_eq!(decode("f.csv", b"a,b\n".to_vec(), Encoding::Gbk).unwrap(), "a,b\n");
    }
}
