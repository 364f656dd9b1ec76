//! Where a cursor is in script terms: in a `.rhai` file, or inside one of the script
//! strings of `yearbook.toml` (elsewhere in the TOML there is no script to help with).

use crate::analysis::Analysis;
use crate::embedded::Embedded;
use crate::text::Lines;
use lsp_types::{Position, Range};
use std::path::Path;

/// A cursor in a script.
pub(crate) struct Cursor<'a> {
    /// The script's text.
    pub script: &'a str,
    /// The cursor's byte in it.
    pub at: usize,
    /// The file's text (to turn script bytes into protocol positions).
    file: &'a str,
    /// The script string it is in, for a cursor in the config.
    embedded: Option<&'a Embedded>,
}

/// The cursor at `pos` of the document `path` (text `text`), when it is in a script.
pub(crate) fn locate<'a>(a: &'a Analysis, path: &Path, text: &'a str, pos: Position) -> Option<Cursor<'a>> {
    let offset = Lines::new(text).offset(pos);
    if path.extension().is_some_and(|e| e == "rhai") {
        return Some(Cursor { script: text, at: offset, file: text, embedded: None });
    }
    if path != a.config {
        return None;
    }
    // The analysis read the same text the editor holds (it is an open buffer).
    let e = a.embedded.iter().find(|e| e.script_offset(offset).is_some())?;
    Some(Cursor { script: &e.content, at: e.script_offset(offset)?, file: &a.text, embedded: Some(e) })
}

impl Cursor<'_> {
    /// The protocol range of script bytes `start..end`.
    pub(crate) fn range(&self, start: usize, end: usize) -> Range {
        let map = |i: usize| self.embedded.map(|e| e.file_offset(i)).unwrap_or(i);
        let lines = Lines::new(self.file);
        Range::new(lines.position(map(start)), lines.position(map(end)))
    }

    /// The name under the cursor (identifier characters, CJK, and `.` of
    /// `namespace.member`): its byte range in the script.
    pub(crate) fn word(&self) -> Option<(usize, usize)> {
        let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
        let s = self.script;
        let start = s[..self.at].char_indices().rev().take_while(|(_, c)| is_word(*c)).last().map(|(i, _)| i).unwrap_or(self.at);
        let end = s[self.at..].char_indices().find(|(_, c)| !is_word(*c)).map(|(i, _)| self.at + i).unwrap_or(s.len());
        let (start, end) = trim_dots(s, start, end);
        (start < end).then_some((start, end))
    }
}

/// Drops leading and trailing dots (`.sum` of a method call names `sum`).
fn trim_dots(s: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && s[start..].starts_with('.') {
        start += 1;
    }
    while end > start && s[..end].ends_with('.') {
        end -= 1;
    }
    (start, end)
}
