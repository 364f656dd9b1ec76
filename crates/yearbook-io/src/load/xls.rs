//! .xls sheets (Excel 97-2003, BIFF8; also BIFF5): calamine reads the values and merged
//! cells; each cell's number format, which calamine keeps only as "a date or not", is
//! read here from the workbook stream (MS-XLS 2.4: the XF and Format records, and each
//! cell record's XF index), so an .xls reads as shown, as an .xlsx does.

use super::sheet::{NumFmt, SheetCells};
use super::table_file::{RawTable, pick_sheet};
use calamine::{Reader, Xls, open_workbook};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};

/// Reads a sheet of an .xls workbook as [`super::xlsx::read`] reads an .xlsx one: cells as
/// their number formats show them, merged cells filled (a figure merged over rows
/// refused), the header found below title and unit rows.
pub fn read(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    // The workbook readers may panic on a damaged file: an error at the file, never an abort.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheet(path, label, sheet, header_row))).unwrap_or_else(|_| {
        Err(Error::data(
            Location::new(label, 1, None),
            "the workbook cannot be read: the file is damaged or was written by a program that broke its records; open it in \
             Excel or LibreOffice and save it again (as .xlsx)",
        ))
    })
}

fn read_sheet(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    let at = || Location::new(label, 1, None);
    let unread = |why: Unread| match why {
        Unread::Formats(why) => Error::data(
            at(),
            format!(
                "the cells' number formats cannot be read ({why}), and without them a percent or a figure shown in thousands \
                 would load as stored; open the workbook in Excel or LibreOffice and save it as .xlsx"
            ),
        ),
        Unread::Damaged(why) => Error::data(
            at(),
            format!("the workbook cannot be read: {why}; open it in Excel or LibreOffice, check the sheet and save it again"),
        ),
    };
    // Read first: it also refuses a sheet whose declared size would make the workbook
    // reader reserve more memory than the machine has.
    let workbook = Workbook::read(path).map_err(unread)?;
    let mut wb: Xls<_> = open_workbook(path).map_err(|e| Error::data(at(), format!("cannot read workbook: {e}")))?;
    let sheets = wb.sheets_metadata().to_vec();
    let name = pick_sheet(&sheets, label, sheet)?;
    let index = sheets.iter().position(|s| s.name == name).unwrap_or(0);
    let range = wb.worksheet_range(&name).map_err(|e| Error::data(at(), format!("cannot read sheet \"{name}\": {e}")))?;
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let styles = workbook.styles(index).map_err(unread)?;
    let mut read = SheetCells::new(styles.formats);
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (i, j, data) in range.used_cells() {
        let (r, c) = (r0 + i as u32, c0 + j as u32);
        let style = styles.by_cell.get(&(r, c)).map_or(usize::MAX, |&x| x as usize);
        read.cell(r, c, data.clone(), style);
    }
    read.finish(format!("{label}[{name}]"), &merges, header_row, |_| Ok(()))
}

/// The number formats of a workbook's styles (by XF index) and the style of each cell of
/// one sheet that holds a number or a formula (by row and column, 0-based).
struct Styles {
    formats: Vec<Option<NumFmt>>,
    by_cell: HashMap<(u32, u32), u16>,
}

/// One BIFF record: its type and data (a record's Continue records are not joined:
/// the records read here fit in one).
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
}

/// The records of a stream from `at`, until its end or a record that runs past it.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        let head = stream.get(at..at.checked_add(4)?)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let from = at + 4;
        let data = stream.get(from..from.checked_add(len)?)?;
        at = from + len;
        Some(Record { typ, data })
    })
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Why a workbook stream is not read: its styles cannot be (the formats would be lost),
/// or its sheets are damaged or too large to read.
enum Unread {
    Formats(String),
    Damaged(String),
}

impl From<String> for Unread {
    fn from(why: String) -> Unread {
        Unread::Formats(why)
    }
}

impl From<&str> for Unread {
    fn from(why: &str) -> Unread {
        Unread::Formats(why.to_string())
    }
}

/// The most cells an .xls sheet holds (65536 rows by 256 columns, MS-XLS 2.4.90).
const MOST_CELLS: u64 = 65536 * 256;

/// A workbook stream and what its globals say: the number format of each style (XF
/// index) and where each sheet's records start.
struct Workbook {
    stream: Vec<u8>,
    formats: Vec<Option<NumFmt>>,
    sheets: Vec<usize>,
}

impl Workbook {
    /// Reads the workbook stream and its globals (the Format and XF records, the
    /// sheets); refuses a sheet whose Dimensions record declares more cells than an .xls
    /// sheet holds (the workbook reader reserves room for them: a damaged record asked
    /// for 287 GB and aborted the process).
    fn read(path: &Path) -> std::result::Result<Workbook, Unread> {
        let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
        let mut file = cfb::open(path).map_err(|e| {
            Unread::Damaged(format!(
                "it is not an Excel 97-2003 workbook (not a compound file: {e}); if it is a web page or a CSV file saved under \
                 the .xls name, open it in Excel or LibreOffice and save it as .xlsx or .csv"
            ))
        })?;
        let name = ["/Workbook", "/Book"].into_iter().find(|n| file.is_stream(n)).ok_or("no Workbook stream")?;
        let mut stream = Vec::new();
        // The stream is no larger than the file that holds it.
        file.open_stream(name).and_then(|s| s.take(size).read_to_end(&mut stream)).map_err(|e| e.to_string())?;
        let (mut biff8, mut gbk) = (true, false);
        let mut codes: HashMap<u16, String> = HashMap::new();
        let mut xfs: Vec<u16> = Vec::new();
        let mut sheets: Vec<usize> = Vec::new();
        for (k, r) in records(&stream, 0).enumerate() {
            match r.typ {
                // BOF: the first one says the version (0x0600 is BIFF8, 0x0500 BIFF5/7).
                0x0809 if k == 0 => biff8 = u16_at(r.data, 0).is_none_or(|v| v >= 0x0600),
                // CodePage: BIFF5 strings are in it (936 is GBK).
                0x0042 => gbk = u16_at(r.data, 0) == Some(936),
                // Format: a number format's index and code.
                0x041E => {
                    if let Some(ifmt) = u16_at(r.data, 0)
                        && let Some(code) = format_code(&r.data[2.min(r.data.len())..], biff8, gbk)
                    {
                        codes.insert(ifmt, code);
                    }
                }
                // XF: its number format's index.
                0x00E0 => xfs.push(u16_at(r.data, 2).ok_or("an XF record is cut short")?),
                // BoundSheet: where a sheet's records start in the stream.
                0x0085 => sheets.push(u32_at(r.data, 0).ok_or("a sheet record is cut short")? as usize),
                0x000A => break,
                _ => {}
            }
        }
        let formats = xfs
            .iter()
            .map(|&ifmt| {
                let code = codes.get(&ifmt).cloned().or_else(|| builtin_code(ifmt).map(str::to_string));
                Some(NumFmt { code: code.unwrap_or_else(|| "General".to_string()), id: Some(u32::from(ifmt)) })
            })
            .collect();
        let book = Workbook { stream, formats, sheets };
        book.check_sheets().map_err(Unread::Damaged)?;
        Ok(book)
    }

    /// Refuses sheets the workbook reader would read wrongly or reserve too much for: a
    /// sheet starting past the stream's end, a Dimensions record declaring more cells
    /// than a sheet holds, a cell past column IV, and sheets spanning more cells (first
    /// to last) than memory holds.
    fn check_sheets(&self) -> std::result::Result<(), String> {
        let book = self;
        // The workbook reader reads every sheet when it opens the file, and sizes each
        // sheet's table from its first to its last cell: checked here for all of them.
        let mut tables: u64 = 0;
        for &start in &book.sheets {
            if start >= book.stream.len() {
                return Err(format!(
                    "a sheet's records are said to start at byte {start}, past the end of the workbook: the file is damaged"
                ));
            }
            let mut extent: Option<(u16, u16, u16, u16)> = None;
            for r in book.sheet_records(start) {
                if r.typ == 0x0200
                    && let Some(cells) = declared_cells(r.data)
                    && cells > MOST_CELLS
                {
                    return Err(format!(
                        "a sheet's dimensions record declares {cells} cells, more than an .xls sheet holds ({MOST_CELLS}): the file \
                         is damaged"
                    ));
                }
                // Blank cells (formatted, empty) the workbook reader drops: checked for
                // their column, not counted in the table's extent.
                let blank = matches!(r.typ, 0x0201 | 0x00BE);
                for (row, col, _) in cell_places(&r) {
                    if col > 255 {
                        return Err(format!(
                            "a cell lies at row {} column {}, past an .xls sheet's last column (IV, 256 columns): the file is damaged",
                            u32::from(row) + 1,
                            u32::from(col) + 1
                        ));
                    }
                    if blank {
                        continue;
                    }
                    extent =
                        Some(extent.map_or((row, row, col, col), |(r0, r1, c0, c1)| (r0.min(row), r1.max(row), c0.min(col), c1.max(col))));
                }
            }
            if let Some((r0, r1, c0, c1)) = extent {
                tables += (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            }
        }
        // Each cell of those tables takes a value's room (32 bytes) and more.
        let need = tables.saturating_mul(48);
        if let Some(room) = yearbook_core::memory::room_bytes().filter(|&room| need > room) {
            return Err(format!(
                "its sheets span {tables} cells from their first to their last cell, which would take {} MB to read, more than \
                 the {} MB at hand: a stray cell far from the table (delete it) or a damaged file",
                need >> 20,
                room >> 20
            ));
        }
        Ok(())
    }

    /// The records of the sheet whose records start at `start`, without those of an
    /// embedded chart's substream (a BOF inside the sheet).
    fn sheet_records(&self, start: usize) -> impl Iterator<Item = Record<'_>> {
        // As the workbook reader reads them: the first BOF met is the sheet's own (a
        // record may come before it), later ones open a chart's records.
        let (mut depth, mut seen) = (0usize, false);
        records(&self.stream, start)
            .map_while(move |r| match r.typ {
                0x0809 if !seen => {
                    seen = true;
                    Some(None)
                }
                0x0809 => {
                    depth += 1;
                    Some(None)
                }
                0x000A if depth == 0 => None,
                0x000A => {
                    depth -= 1;
                    Some(None)
                }
                _ if depth > 0 => Some(None),
                _ => Some(Some(r)),
            })
            .flatten()
    }

    /// The number formats of the styles and the style of each cell of the `sheet`-th
    /// sheet (in the order of its BoundSheet records, which is calamine's order) that
    /// holds a number or a formula.
    fn styles(self, sheet: usize) -> std::result::Result<Styles, Unread> {
        let start = *self.sheets.get(sheet).ok_or("the sheet has no record")?;
        let mut by_cell = HashMap::new();
        // Number, RK, Formula and MulRk: the cells that hold a number.
        for r in self.sheet_records(start).filter(|r| matches!(r.typ, 0x0203 | 0x027E | 0x0006 | 0x00BD)) {
            for (row, col, xf) in cell_places(&r) {
                if let Some(xf) = xf {
                    by_cell.insert((u32::from(row), u32::from(col)), xf);
                }
            }
        }
        Ok(Styles { formats: self.formats, by_cell })
    }
}

/// The (row, column, XF index) of each cell a cell record holds: Number, RK, Label,
/// LabelSst, RString, BoolErr, Formula and Blank one each (row, column, XF index first);
/// MulRk and MulBlank a run of columns (row, first column, then one entry per column
/// opening with its XF index: 6 bytes for MulRk, 2 for MulBlank; last column).
fn cell_places(r: &Record<'_>) -> Vec<(u16, u16, Option<u16>)> {
    match r.typ {
        0x0203 | 0x027E | 0x0204 | 0x00FD | 0x00D6 | 0x0205 | 0x0006 | 0x0201 => {
            u16_at(r.data, 0).zip(u16_at(r.data, 2)).map(|(row, col)| (row, col, u16_at(r.data, 4))).into_iter().collect()
        }
        0x00BD | 0x00BE => {
            let each = if r.typ == 0x00BD { 6 } else { 2 };
            let (Some(row), Some(first)) = (u16_at(r.data, 0), u16_at(r.data, 2)) else { return Vec::new() };
            let n = r.data.len().saturating_sub(6) / each;
            (0..n).map(|k| (row, first.saturating_add(k as u16), u16_at(r.data, 4 + each * k))).collect()
        }
        _ => Vec::new(),
    }
}

/// The cells a Dimensions record declares, counted as the workbook reader counts them
/// before it reserves room (MS-XLS 2.4.90: first row, last row + 1, first column, last
/// column + 1; BIFF8 rows in 4 bytes, BIFF5 in 2).
fn declared_cells(d: &[u8]) -> Option<u64> {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?), u32::from(u16_at(d, 4)?), u32::from(u16_at(d, 6)?)),
        14 | 16 => (u32_at(d, 0)?, u32_at(d, 4)?, u32::from(u16_at(d, 8)?), u32::from(u16_at(d, 10)?)),
        _ => return None,
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    let (er, ec) = if rl >= 1 && cl >= 1 { (rl - 1, cl - 1) } else { (rf, cf) };
    let rows = u64::from(er.wrapping_sub(rf).wrapping_add(1));
    let cols = u64::from(ec.wrapping_sub(cf).wrapping_add(1));
    Some(rows.saturating_mul(cols))
}

/// A Format record's code (after its index): BIFF8 writes a count of characters, a flag
/// (bit 0: two bytes a character) and the characters; BIFF5 a byte count and the bytes
/// in the workbook's code page.
fn format_code(d: &[u8], biff8: bool, gbk: bool) -> Option<String> {
    if biff8 {
        let n = u16_at(d, 0)? as usize;
        let wide = d.get(2)? & 1 == 1;
        let chars = d.get(3..)?;
        if wide {
            let units: Vec<u16> = chars.chunks_exact(2).take(n).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
            Some(String::from_utf16_lossy(&units))
        } else {
            Some(chars.iter().take(n).map(|&b| char::from(b)).collect())
        }
    } else {
        let n = *d.first()? as usize;
        let bytes = d.get(1..1 + n)?;
        let enc = if gbk { encoding_rs::GBK } else { encoding_rs::WINDOWS_1252 };
        Some(enc.decode(bytes).0.into_owned())
    }
}

/// The codes of Excel's built-in number formats that a file does not write out (MS-XLS
/// 2.4.126; ECMA-376 Part 1, 18.8.30). The locale's date formats (27-36, 50-58) have no
/// code: their id says what they show.
fn builtin_code(id: u16) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "m/d/yyyy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yyyy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{Workbook, declared_cells, format_code, records};

    /// A record: type, length, data.
    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    /// A workbook stream of one sheet holding a Number record at (row, col).
    fn book_with_cell(row: u16, col: u16, sheet_at: Option<u32>) -> Workbook {
        let number = |r: u16, c: u16| {
            [r.to_le_bytes(), c.to_le_bytes(), [15, 0]].concat().into_iter().chain(1.5f64.to_le_bytes()).collect::<Vec<u8>>()
        };
        let globals_len = 3 * 4 + 2 + 6; // BOF (2 bytes of data), BoundSheet (6), EOF
        let start = sheet_at.unwrap_or(globals_len as u32);
        let mut stream = rec(0x0809, &[0, 6]);
        stream.extend(rec(0x0085, &[start.to_le_bytes().as_slice(), &[0, 0]].concat()));
        stream.extend(rec(0x000A, &[]));
        assert_eq!(stream.len(), globals_len);
        // A record before the sheet's BOF: the BOF is still the sheet's own.
        stream.extend(rec(0x00E1, &[0, 0]));
        stream.extend(rec(0x0809, &[0, 6]));
        stream.extend(rec(0x0203, &number(0, 0)));
        stream.extend(rec(0x0203, &number(row, col)));
        stream.extend(rec(0x000A, &[]));
        Workbook { stream, formats: Vec::new(), sheets: vec![start as usize] }
    }

    #[test]
    fn sheets_past_their_bounds_are_refused_before_they_are_read() {
        assert_eq!(book_with_cell(10, 3, None).check_sheets(), Ok(()));
        let e = book_with_cell(65535, 51200, None).check_sheets().unwrap_err();
        assert_eq!(e, "a cell lies at row 65536 column 51201, past an .xls sheet's last column (IV, 256 columns): the file is damaged");
        let e = book_with_cell(10, 3, Some(5000)).check_sheets().unwrap_err();
        assert!(e.starts_with("a sheet's records are said to start at byte 5000, past the end of the workbook"), "{e}");
        let s = book_with_cell(7, 255, None);
        let styles = s.styles(0).ok().unwrap();
        assert_eq!(styles.by_cell.get(&(7, 255)), Some(&15));
    }

    #[test]
    fn dimensions_count_cells_as_the_reader_reserves_them() {
        // BIFF8: rows 0..100 (last + 1), columns 0..4.
        let d = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut v = Vec::new();
            v.extend(rf.to_le_bytes());
            v.extend(rl.to_le_bytes());
            v.extend(cf.to_le_bytes());
            v.extend(cl.to_le_bytes());
            v.extend([0, 0]);
            v
        };
        assert_eq!(declared_cells(&d(0, 100, 0, 4)), Some(400));
        assert_eq!(declared_cells(&d(0, 0, 0, 0)), Some(1));
        // Damaged: a last row before the first wraps to about 2^32 rows.
        assert!(declared_cells(&d(50, 10, 0, 4)).unwrap() > 1 << 32);
        assert_eq!(declared_cells(&d(0, 4_000_000, 0, 200)), Some(800_000_000));
        assert_eq!(declared_cells(&[1, 2, 3]), None);
    }

    #[test]
    fn format_records_in_both_versions() {
        // BIFF8: 4 characters, one byte each.
        assert_eq!(format_code(&[4, 0, 0, b'0', b'.', b'0', b'%'], true, false).as_deref(), Some("0.0%"));
        // BIFF8, two bytes a character: 0"亿" (亿 is U+4EBF).
        assert_eq!(format_code(&[4, 0, 1, b'0', 0, b'"', 0, 0xBF, 0x4E, b'"', 0], true, false).as_deref(), Some("0\"亿\""));
        // BIFF5 in GBK: 亿 is 0xD2DA.
        assert_eq!(format_code(&[4, b'0', b'"', 0xD2, 0xDA], false, true).as_deref(), Some("0\"亿"));
        // Cut short: no panic.
        assert_eq!(format_code(&[9], true, false), None);
        assert_eq!(format_code(&[9, 0, 0, b'0'], true, false).as_deref(), Some("0"));
    }

    #[test]
    fn records_stop_at_a_record_that_runs_past_the_stream() {
        let stream = [0x09, 0x08, 2, 0, 0, 6, 0x0A, 0, 200, 0];
        let got: Vec<(u16, usize)> = records(&stream, 0).map(|r| (r.typ, r.data.len())).collect();
        assert_eq!(got, vec![(0x0809, 2)]);
        assert_eq!(records(&stream, usize::MAX - 1).count(), 0);
    }
}
