//! Positions in a text three ways: byte offsets (Rust strings), line and character
//! column from 1 (yearbook's messages), and line and UTF-16 unit from 0 (the protocol).

use lsp_types::Position;

/// The start of each line of a text, to turn offsets into positions and back.
#[derive(Debug, Clone)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text` (lines end at `\n`; a `\r` before it belongs to no column).
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The text of line `line` (from 0) without its line end; empty past the end.
    pub(crate) fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else { return "" };
        let end = self.starts.get(line + 1).map(|e| e - 1).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }

    /// The protocol position of byte `offset` (clamped to the text, snapped back to a
    /// character boundary).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col: usize = self.text[self.starts[line]..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, col as u32)
    }

    /// The byte offset of a protocol position (clamped to its line).
    pub(crate) fn offset(&self, p: Position) -> usize {
        let line = (p.line as usize).min(self.starts.len() - 1);
        let start = self.starts[line];
        let text = self.line(line);
        let mut units = 0usize;
        for (i, c) in text.char_indices() {
            if units >= p.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + text.len()
    }

    /// The byte offset of line `line` and character column `col`, both from 1 (the
    /// places in yearbook's messages), clamped to the line.
    pub(crate) fn offset_of_line_col(&self, line: usize, col: usize) -> usize {
        let l = line.saturating_sub(1).min(self.starts.len() - 1);
        let text = self.line(l);
        let skip = col.saturating_sub(1);
        self.starts[l] + text.char_indices().nth(skip).map(|(i, _)| i).unwrap_or(text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_offsets_come_back() {
        // 地区 are one UTF-16 unit each, 𝐱 (U+1D431) two.
        let text = "a = 1\r\n地区𝐱 = gdp\nlast";
        let l = Lines::new(text);
        assert_eq!(l.line(1), "地区𝐱 = gdp");
        let gdp = text.find("gdp").unwrap();
        assert_eq!(l.position(gdp), Position::new(1, 7));
        assert_eq!(l.offset(Position::new(1, 7)), gdp);
        assert_eq!(l.offset(Position::new(1, 99)), text.find("\r\n地").unwrap() + 2 + "地区𝐱 = gdp".len());
        assert_eq!(l.offset(Position::new(9, 0)), text.find("last").unwrap());
        assert_eq!(l.offset_of_line_col(2, 7), gdp);
        assert_eq!(l.position(text.len()), Position::new(2, 4));
    }
}
