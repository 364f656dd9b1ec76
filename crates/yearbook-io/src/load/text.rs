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

/// What a file named as text is when it is a workbook: a zip (.xlsx, .xlsm) or an OLE
/// compound file (.xls), renamed or saved under a text name; None for anything else.
pub(crate) fn workbook(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(
            "this file is a workbook (a zip file, as .xlsx files are), not CSV text: name it .xlsx (yearbook reads workbooks), \
             or save it from Excel as \"CSV UTF-8\"",
        )
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some("this file is an old Excel workbook (.xls), not CSV text: save it from Excel as .xlsx or as \"CSV UTF-8\"")
    } else {
        None
    }
}

/// Decodes `bytes` to a String. Invalid UTF-8 is an error naming the line and suggesting
/// `encoding = "gbk"`, the usual cause with Chinese files saved by Excel; UTF-16 text is
/// an error saying to save the file as UTF-8 ([`UTF16`]).
pub fn decode(file: &str, bytes: Vec<u8>, enc: Encoding) -> Result<String> {
    if is_utf16(&bytes) {
        return Err(Error::data(Location::new(file, 1, None), UTF16));
    }
    if let Some(what) = workbook(&bytes) {
        return Err(Error::data(Location::new(file, 1, None), what));
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
                not_utf8(file, e.as_bytes(), at, 1)
            })
        }
    }
}

/// What is said of a file read as UTF-8 whose bytes are not (`bytes`, counted from line
/// `first_line`, hold the first invalid one at `at`), at its line and field: its line
/// decodes as GBK (Excel on Chinese Windows saves so), so `encoding = "gbk"` would read
/// it; else the file is in neither encoding.
pub(crate) fn not_utf8(file: &str, bytes: &[u8], at: usize, first_line: usize) -> Error {
    let at = at.min(bytes.len());
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let line = first_line + memchr::memchr_iter(b'\n', &bytes[..at]).count();
    let col = bytes[start..at].iter().filter(|&&c| c == b',').count() + 1;
    Error::data(Location::new(file, line, Some(col)), not_utf8_message(&bytes[start..end]))
}

/// What is said of text that is not valid UTF-8 (`line`, the line or field that holds
/// it): the GBK hint when it decodes as GBK, else that it is neither.
pub(crate) fn not_utf8_message(line: &[u8]) -> &'static str {
    if encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(line).is_some() {
        "file is not valid UTF-8; files saved by Excel on Chinese Windows are usually GBK: add `encoding = \"gbk\"` to this \
         file's entry in the config"
    } else {
        "file is not valid UTF-8, nor GBK text: check the file's encoding, and save it as \"CSV UTF-8\" (Excel: 另存为 > CSV \
         UTF-8（逗号分隔）)"
    }
}

/// The first byte of `bytes` that is not valid UTF-8, if any; a character cut off at the
/// end (`bytes` a window of a longer file) is none.
pub(crate) fn first_invalid_utf8(bytes: &[u8]) -> Option<usize> {
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) if e.error_len().is_none() => None,
        Err(e) => Some(e.valid_up_to()),
    }
}

/// Whether `bytes` hold a CR that ends a line alone (not in CRLF): old Mac text, Excel
/// for Mac's "CSV (Macintosh)". A CR at the very end is not counted when `more` (the
/// bytes are a window of a longer file: an LF may follow).
pub(crate) fn has_lone_cr(bytes: &[u8], more: bool) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| match bytes.get(i + 1) {
        Some(&b) => b != b'\n',
        None => !more,
    })
}

/// Text bytes with every CR that ends a line alone made an LF, so that a file saved with
/// CR line ends reads as lines, numbered as an editor numbers them. UTF-16 text is left
/// as it is (its own error follows); a CR is never part of a UTF-8 or GBK character.
pub(crate) fn lone_cr_to_lf(mut bytes: Vec<u8>) -> Vec<u8> {
    if is_utf16(&bytes) || !has_lone_cr(&bytes, false) {
        return bytes;
    }
    let lone: Vec<usize> = memchr::memchr_iter(b'\r', &bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).collect();
    for i in lone {
        bytes[i] = b'\n';
    }
    bytes
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
    fn line_ends_of_cr_alone_become_line_feeds() {
        assert_eq!(lone_cr_to_lf(b"a,b\rc,d\r".to_vec()), b"a,b\nc,d\n");
        assert_eq!(lone_cr_to_lf(b"a,b\r\nc,d\re".to_vec()), b"a,b\r\nc,d\ne");
        assert!(has_lone_cr(b"a\rb", true) && !has_lone_cr(b"a\r\nb\r", true) && has_lone_cr(b"a\r\nb\r", false));
    }

    #[test]
    fn gbk_below_an_ascii_header_is_named_at_its_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("region,year,indicator,value\nt1,2021,gdp,5\n甲镇,2021,gdp,5\n");
        let e = decode("f.csv", gbk.into_owned(), Encoding::Utf8).unwrap_err();
        assert_eq!(e.span().map(ToString::to_string).as_deref(), Some("f.csv:3:1"));
        assert!(e.to_string().contains("usually GBK: add `encoding = \"gbk\"`"), "{e}");
        let e = decode("f.csv", b"a,b\n1,\xff\xff\n".to_vec(), Encoding::Utf8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.csv:2:2: file is not valid UTF-8, nor GBK text: check the file's encoding, and save it as \"CSV UTF-8\" (Excel: 另存为 > CSV UTF-8（逗号分隔）)"
        );
        assert_eq!(first_invalid_utf8("甲".as_bytes().get(..2).unwrap()), None);
        assert_eq!(first_invalid_utf8(b"ab\xffc"), Some(2));
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
