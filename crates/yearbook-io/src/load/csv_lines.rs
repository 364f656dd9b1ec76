//! Exact line numbers for records read with the `csv` crate. Its record positions start
//! where reading started, not where the record does: after a CRLF the position is on the
//! line feed (one line early), and after blank lines on the first blank line. Files saved
//! by Excel on Windows end lines with CRLF, so every message would name the line above.
//! The line is counted here from the position's byte offset instead: the line feeds before
//! it, plus those in the line breaks at the record's start.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

/// Line numbers of records in a text held in memory (records asked for in file order).
pub struct TextLines<'a> {
    text: &'a [u8],
    /// Byte offset counted up to, and the line feeds before it.
    at: usize,
    feeds: usize,
}

impl<'a> TextLines<'a> {
    /// For records of `text` (the bytes the reader reads, from their start).
    pub fn new(text: &'a [u8]) -> TextLines<'a> {
        TextLines { text, at: 0, feeds: 0 }
    }

    /// The 1-based line on which the record read from `pos` starts.
    pub fn line(&mut self, pos: &csv::Position) -> usize {
        let b = (pos.byte() as usize).min(self.text.len());
        if b < self.at {
            // Asked out of order: count again from the start.
            self.at = 0;
            self.feeds = 0;
        }
        self.feeds += memchr::memchr_iter(b'\n', &self.text[self.at..b]).count();
        self.at = b;
        self.feeds + 1 + leading_feeds(self.text[b..].iter().copied())
    }
}

/// Line feeds in the line breaks (CR, LF) that open `bytes`.
fn leading_feeds(bytes: impl Iterator<Item = u8>) -> usize {
    bytes.take_while(|&c| c == b'\r' || c == b'\n').filter(|&c| c == b'\n').count()
}

/// The bytes a stream reader has passed on and that no record asked for yet.
#[derive(Default)]
struct Window {
    /// Offset of `bytes[0]` in the stream, and the line feeds before it.
    base: u64,
    feeds: usize,
    bytes: VecDeque<u8>,
}

/// A reader that keeps what it reads until the records it holds have been numbered, for
/// exact lines in a stream (a file too large to hold): wrap the file with [`tap`], give
/// the tap to the `csv` reader and ask [`StreamLines::line`] for each record in order.
pub struct Tap<R> {
    inner: R,
    window: Rc<RefCell<Window>>,
}

/// The numbering side of a [`Tap`].
pub struct StreamLines {
    window: Rc<RefCell<Window>>,
}

/// Wraps `inner` for exact line numbers.
pub fn tap<R: Read>(inner: R) -> (Tap<R>, StreamLines) {
    let window = Rc::new(RefCell::new(Window::default()));
    (Tap { inner, window: window.clone() }, StreamLines { window })
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window.borrow_mut().bytes.extend(&buf[..n]);
        Ok(n)
    }
}

impl StreamLines {
    /// The 1-based line (counted from the stream's start) on which the record read from
    /// `pos` starts; records must be asked for in order. Bytes before it are let go.
    pub fn line(&self, pos: &csv::Position) -> usize {
        let mut w = self.window.borrow_mut();
        let drop = (pos.byte().saturating_sub(w.base) as usize).min(w.bytes.len());
        let feeds = w.bytes.drain(..drop).filter(|&c| c == b'\n').count();
        w.feeds += feeds;
        w.base += drop as u64;
        w.feeds + 1 + leading_feeds(w.bytes.iter().copied())
    }
}

/// The lines of a field that runs over line breaks (CRLF, LF or CR alone).
fn field_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// Whether a field that runs over line breaks holds what look like rows of a file of
/// `width` columns: a line after its first with as many commas as a row has between its
/// cells (`width - 1`, at least 2), or, in a file of two columns, two lines with a comma.
/// A note written over lines (`第一，…` / `第二，…`) holds none: its commas are Chinese.
pub fn holds_rows(text: &str, width: usize) -> bool {
    let commas = width.saturating_sub(1).max(1);
    let rows = field_lines(text).skip(1).filter(|l| l.matches(',').count() >= commas).count();
    rows >= if width >= 3 { 1 } else { 2 }
}

/// Whether a field that runs over line breaks holds whole rows of a file of `width`
/// columns: two lines after its first, at least, that split at ASCII commas into exactly
/// `width` cells. A record table's note over lines (`建设内容:` / `道路, 桥梁, 管网`) holds
/// one such line at most and is read, not refused.
pub fn holds_full_rows(text: &str, width: usize) -> bool {
    width >= 2 && field_lines(text).skip(1).filter(|l| l.matches(',').count() + 1 == width).count() >= 2
}

/// Whether a field that runs over line breaks swallowed a row of a file of `width`
/// columns, whatever the width (two columns too): a line after its first that splits at
/// ASCII commas into exactly `width` cells that fit their columns, with a figure in one
/// column of figures at least (`figures(c)`: whether the other rows hold figures in
/// column `c`; a cell there must be a figure, a missing symbol or blank). `200,项目B`
/// swallowed under `invest,name` is such a row; a note's `道路, 桥梁, 管网` under
/// `name,invest,note` is none (桥梁 is no figure).
///
/// A comma between numbers in text (`1,2号楼改造`, `3,4号地块`: buildings 1 and 2) is a
/// list in a name or note, not a row.
pub fn holds_typed_row(text: &str, width: usize, figures: impl Fn(usize) -> bool) -> bool {
    let read = |x: &str| yearbook_core::number::parse_value(x.trim().as_bytes(), false).ok();
    let listed = |cells: &[&str]| {
        cells.windows(2).any(|w| {
            read(w[0]).and_then(|v| v.number()).is_some() && w[1].starts_with(|c: char| c.is_ascii_digit()) && read(w[1]).is_none()
        })
    };
    width >= 2
        && field_lines(text).skip(1).any(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells.len() == width
                && !listed(&cells)
                && cells.iter().enumerate().all(|(c, x)| !figures(c) || x.trim().is_empty() || read(x).is_some())
                && cells.iter().enumerate().any(|(c, x)| figures(c) && read(x).and_then(|v| v.number()).is_some())
        })
}

/// What the cells of a column look like, learnt from the rows of a table (the cells of
/// a field over lines not looked at): what a line a stray quote swallowed must look like
/// to be read as a row of the file ([`shaped_row`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// Nothing learnt (no cells, or cells of several kinds): any cell fits.
    Any,
    /// Figures (a number, a missing symbol or blank): 100, —.
    Figure,
    /// Years: 2023, 2023年.
    Year,
    /// Dates: 2023-01-05, 2023/1/5, 2023.01.05, 2023年1月5日.
    Date,
    /// Codes of letters then digits, all of one length: P001.
    Code {
        /// The letters they open with (P).
        letters: String,
        /// Their length in bytes.
        len: usize,
    },
    /// Text that is no figure (names, offices): a figure does not fit.
    Text,
}

/// Whether a cell is a date as ledgers write one.
fn is_date(c: &str) -> bool {
    let parts: Vec<&str> =
        if c.contains('年') { c.trim_end_matches('日').split(['年', '月']).collect() } else { c.split(['-', '/', '.']).collect() };
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3 && digits(parts[0], 4..=4) && digits(parts[1], 1..=2) && digits(parts[2], 1..=2)
}

/// Whether a cell is a year (2023, 2023年).
fn is_year(c: &str) -> bool {
    let y = c.strip_suffix('年').unwrap_or(c);
    y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && ("1900".."2101").contains(&y)
}

/// A code of letters then digits (P001): its letters.
fn code_letters(c: &str) -> Option<&str> {
    let digits = c.trim_start_matches(|ch: char| ch.is_ascii_alphabetic());
    let letters = &c[..c.len() - digits.len()];
    (!letters.is_empty() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(letters)
}

fn number(c: &str) -> Option<Option<f64>> {
    yearbook_core::number::parse_value(c.as_bytes(), false).ok().map(|v| v.number())
}

/// The shape of a column from its cells (blank cells and missing symbols not counted).
pub fn learn_shape<'a>(cells: impl Iterator<Item = &'a str>) -> Shape {
    let cells: Vec<&str> = cells.map(str::trim).filter(|c| !c.is_empty() && number(c) != Some(None)).collect();
    if cells.is_empty() {
        return Shape::Any;
    }
    if cells.iter().all(|c| is_date(c)) {
        return Shape::Date;
    }
    if cells.iter().all(|c| is_year(c)) {
        return Shape::Year;
    }
    if cells.iter().all(|c| number(c).is_some()) {
        return Shape::Figure;
    }
    if let Some(letters) = code_letters(cells[0])
        && cells.iter().all(|c| c.len() == cells[0].len() && code_letters(c) == Some(letters))
    {
        return Shape::Code { letters: letters.to_string(), len: cells[0].len() };
    }
    if cells.iter().all(|c| number(c).is_none()) {
        return Shape::Text;
    }
    Shape::Any
}

/// Whether a cell fits a column's shape, and whether it is evidence of a row (a cell
/// that is not blank fitting a column of figures, years, dates or codes).
fn fit(shape: &Shape, cell: &str) -> (bool, bool) {
    let c = cell.trim();
    let blank = c.is_empty() || number(c) == Some(None);
    let (fits, typed) = match shape {
        Shape::Any => (true, false),
        Shape::Figure => (number(c).is_some(), true),
        Shape::Year => (is_year(c) || number(c).is_some(), true),
        Shape::Date => (is_date(c), true),
        Shape::Code { letters, len } => (c.len() == *len && code_letters(c) == Some(letters.as_str()), true),
        Shape::Text => (number(c).is_none(), false),
    };
    (blank || fits, typed && !blank && fits)
}

/// The first line after the first of a field that runs over line breaks that reads as
/// a row of a file of `shapes.len()` columns: exactly as many cells, each fitting its
/// column's shape, one not blank at least, and no list of numbers in a name (`1,2号楼`).
/// Gives the line and whether a cell of it is evidence ([`Shape`]: a figure, a year, a
/// date or a code where the other rows have theirs); with none, the line reads as a row
/// only when the field's first line holds the rest of its row (`field`: the field's
/// column), as a stray quote leaves it, and not a list written over lines
/// (`一期,100亩⏎二期,200亩`).
pub fn shaped_row<'a>(text: &'a str, field: usize, shapes: &[Shape]) -> Option<(&'a str, bool)> {
    let width = shapes.len();
    let read = |x: &str| number(x.trim()).flatten();
    let listed = |cells: &[&str]| {
        cells
            .windows(2)
            .any(|w| read(w[0]).is_some() && w[1].trim().starts_with(|c: char| c.is_ascii_digit()) && number(w[1].trim()).is_none())
    };
    let mut lines = field_lines(text.trim_end_matches(['\n', '\r']));
    let first = lines.next().unwrap_or("");
    let rest_of_row = first.matches(',').count() + field + 1 == width;
    let mut found = None;
    for l in lines {
        let cells: Vec<&str> = l.split(',').collect();
        if width < 2 || cells.len() != width || listed(&cells) || cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let fits: Vec<(bool, bool)> = cells.iter().zip(shapes).map(|(c, s)| fit(s, c)).collect();
        if !fits.iter().all(|f| f.0) {
            continue;
        }
        if fits.iter().any(|f| f.1) {
            return Some((l, true));
        }
        if rest_of_row && found.is_none() {
            found = Some((l, false));
        }
    }
    found
}

/// What is said of a CSV field in `column` that runs over line breaks where it must not
/// (a fact's key, value or flag), or that holds what look like rows of the file: a
/// closing quote is probably missing, and the first line it swallowed shows what.
pub fn unclosed_quote(column: &str, text: &str) -> String {
    unclosed_quote_of(column, text, "facts")
}

/// [`unclosed_quote`], saying what the lost rows hold (`facts`, `records`, `rows`).
pub fn unclosed_quote_of(column: &str, text: &str, lost: &str) -> String {
    // Line breaks that end the field (a quote never closed runs to the file's end) are
    // not counted.
    let lines: Vec<&str> = field_lines(text.trim_end_matches(['\n', '\r'])).collect();
    let breaks = lines.len().saturating_sub(1).max(1);
    let over = if breaks == 1 { "a line break".to_string() } else { format!("{breaks} line breaks") };
    let next = lines.iter().skip(1).map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
    let shown: String = next.chars().take(40).collect();
    let holds = if next.is_empty() {
        String::new()
    } else {
        format!(" and holds the next line (\"{shown}{}\")", if shown.len() < next.len() { "…" } else { "" })
    };
    format!(
        "the field in column \"{column}\" runs over {over} (a quoted field){holds}: a closing quote is probably missing, so \
         the lines below it were read into this field and their {lost} would be lost; close the quote on its line (or delete \
         the stray \"), or remove the line break from the cell{}",
        // A record's name or note may hold a line with a comma; a fact's keys never do.
        if lost == "facts" { "" } else { "; if the line belongs to the cell, write its comma as a full-width ，" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (first field, line) of each record, through both numberings.
    fn lines(text: &str) -> Vec<(String, usize)> {
        let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut at = TextLines::new(text.as_bytes());
        let from_text: Vec<(String, usize)> =
            r.records().map(|x| x.unwrap()).map(|x| (x[0].to_string(), at.line(x.position().unwrap()))).collect();
        let (t, numbering) = tap(text.as_bytes());
        let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(4).from_reader(t);
        let mut from_stream = Vec::new();
        let mut rec = csv::StringRecord::new();
        while r.read_record(&mut rec).unwrap() {
            from_stream.push((rec[0].to_string(), numbering.line(rec.position().unwrap())));
        }
        assert_eq!(from_text, from_stream, "{text:?}");
        from_text
    }

    #[test]
    fn swallowed_rows() {
        // A stray quote in a flag: the next two rows of a five-column file.
        assert!(holds_rows("约数\nt2,2021,gdp,6,\nt3,2021,gdp,7,", 5));
        assert!(holds_rows("约数\r\nt2,2021,gdp,6,\r\nt3", 5));
        assert!(holds_rows("约数\rt2,2021,gdp,6,\rt3", 5));
        // A note over lines, with Chinese commas or a few ASCII ones.
        assert!(!holds_rows("第一，开工\n第二，竣工", 5));
        assert!(!holds_rows("a, b\nc, d", 5));
        assert!(holds_rows("x\n2,项目B,200\n3", 3));
        assert!(!holds_rows("x\n2,项目B", 2));
        assert!(holds_rows("x\n2,项目B\n3,项目C", 2));
        // One swallowed row of a two-column file, by the kinds of its cells.
        assert!(holds_typed_row("项目A\n200,项目B", 2, |c| c == 0));
        assert!(!holds_typed_row("项目A\n200,项目B", 2, |_| false));
        assert!(!holds_typed_row("建设内容:\n道路, 桥梁, 管网", 3, |c| c == 1));
        assert!(!holds_typed_row("建设内容:\n道路,", 2, |c| c == 1));
        assert!(holds_typed_row("在建\n2,项目B,200,\n3", 4, |c| c == 0 || c == 2));
        // Lines read by the shapes of their columns.
        let code = Shape::Code { letters: "P".into(), len: 4 };
        assert_eq!(learn_shape(["P001", "P003"].into_iter()), code);
        assert_eq!(learn_shape(["2023-01-05"].into_iter()), Shape::Date);
        assert_eq!(learn_shape(["100", "—", ""].into_iter()), Shape::Figure);
        assert_eq!(learn_shape(["项目A", "项目C"].into_iter()), Shape::Text);
        assert_eq!(shaped_row("项目A\nP002,项目B", 1, &[code.clone(), Shape::Text]), Some(("P002,项目B", true)));
        assert_eq!(shaped_row("甲局\n项目B,乙局", 1, &[Shape::Text, Shape::Text]), Some(("项目B,乙局", false)));
        assert_eq!(shaped_row("一期,100亩\n二期,200亩", 1, &[Shape::Text, Shape::Text]), None);
        assert_eq!(shaped_row("杭州市文三路1号\n邮编,310012", 1, &[Shape::Text, Shape::Text]), None);
        assert_eq!(shaped_row("XX小区\n1,2号楼改造", 1, &[Shape::Figure, Shape::Text]), None);
        let m = unclosed_quote("flag", "约数\nt2,2021,gdp,6,\nt3,2021,gdp,7,");
        assert!(
            m.starts_with(
                "the field in column \"flag\" runs over 2 line breaks (a quoted field) and holds the next line (\"t2,2021,gdp,6,\")"
            ),
            "{m}"
        );
    }

    #[test]
    fn crlf_blank_lines_and_quoted_line_breaks() {
        let want = |v: &[(&str, usize)]| v.iter().map(|(s, l)| (s.to_string(), *l)).collect::<Vec<_>>();
        assert_eq!(lines("a,b\nc,d\n\n\ne,f\n"), want(&[("a", 1), ("c", 2), ("e", 5)]));
        assert_eq!(lines("a,b\r\nc,d\r\n\r\n\r\ne,f\r\n"), want(&[("a", 1), ("c", 2), ("e", 5)]));
        assert_eq!(lines("a,\"b\"\r\nc,d\r\ne,f"), want(&[("a", 1), ("c", 2), ("e", 3)]));
        assert_eq!(lines("a,b\r\n\"c\nx\",d\r\ne,f\r\n"), want(&[("a", 1), ("c\nx", 2), ("e", 4)]));
        assert_eq!(lines("\n\r\na\n"), want(&[("a", 3)]));
    }
}
