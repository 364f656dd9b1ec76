//! A workbook sheet's cells, each with its number format, made into a table as the
//! sheet shows it: formats applied, merged cells filled, the header found below title
//! and unit rows, notes below the table dropped. The .xlsx, .xls and .ods readers each
//! feed their cells here, so a sheet reads the same whatever program saved it.

use super::is_year_point_one;
use super::number_format::{DateShown, Shown, date_shown, format_unit, is_percent_format, shown_as};
use super::table_file::{MergedFill, RawTable, cell_text};
use calamine::{Data, Dimensions};
use std::collections::BTreeMap;
use yearbook_core::error::{Error, Location, Result};

/// The most cells one merged region may fill (larger merges are left as they are).
const MAX_MERGE_FILL: u64 = 1 << 20;

/// A cell style's number format as the file gives it: its code (`0.0%`, `#,##0,`,
/// `0.00"亿元"`) and, for a built-in format, its id (a locale's built-in date formats
/// have no code in the file).
#[derive(Debug, Clone, Default)]
pub(super) struct NumFmt {
    pub(super) code: String,
    pub(super) id: Option<u32>,
}

/// What one style's number format does to the numbers shown with it, read once per style.
#[derive(Debug, Clone, Default)]
struct Look {
    shown: Shown,
    /// Shows a percent: the cell holds 0.125 and shows 12.5%.
    percent: bool,
    /// The unit written beside the figure shown as stored (`0.00"亿元"`).
    unit: Option<String>,
    /// The format's code, for messages.
    code: String,
}

impl Look {
    fn of(f: &NumFmt) -> Look {
        Look {
            shown: Shown { date: date_shown(&f.code, f.id), ..shown_as(&f.code) },
            percent: is_percent_format(&f.code),
            unit: format_unit(&f.code),
            code: f.code.clone(),
        }
    }
}

/// The rows and columns a sheet's table spans (0-based): its header row, last row, and
/// first and last columns.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    pub(super) head_r: u32,
    pub(super) last_row: u32,
    pub(super) first_col: u32,
    pub(super) last_col: u32,
}

/// A sheet's cells as they are read, text as the sheet shows it, with what the table
/// reader checks once the header is known.
pub(super) struct SheetCells {
    looks: Vec<Look>,
    by_row: BTreeMap<u32, Vec<(u32, String)>>,
    point_one: Vec<(u32, u32, String)>,
    percent_cells: Vec<(u32, u32)>,
    long: Vec<(u32, u32, String)>,
    /// Number cells shown scaled with a magnitude word: (row, column, stored, shown, format).
    worded: Vec<(u32, u32, String, String, String)>,
    /// Number cells whose format's sections scale differently: row, column, stored, code.
    sectioned: Vec<(u32, u32, String, String)>,
    /// Number cells shown with a unit their format writes: (row, column, stored, unit, format).
    labelled: Vec<(u32, u32, String, String, String)>,
    saw_empty: bool,
}

impl SheetCells {
    /// Cells to come whose styles (by index) have these number formats; a style
    /// without one (None) shows numbers as stored.
    pub(super) fn new(formats: impl IntoIterator<Item = Option<NumFmt>>) -> SheetCells {
        SheetCells {
            looks: formats.into_iter().map(|f| f.as_ref().map(Look::of).unwrap_or_default()).collect(),
            by_row: BTreeMap::new(),
            point_one: Vec::new(),
            percent_cells: Vec::new(),
            long: Vec::new(),
            worded: Vec::new(),
            sectioned: Vec::new(),
            labelled: Vec::new(),
            saw_empty: false,
        }
    }

    /// Whether a cell without a stored value was read (a formula's result never saved
    /// reads so): the reader then looks for unsaved formulas ([`SheetCells::finish`]).
    pub(super) fn saw_empty(&self) -> bool {
        self.saw_empty
    }

    /// Reads the cell at row `r`, column `c` (0-based) holding `data`, in style `style`.
    ///
    /// Read as shown: a thousands-scaled number (`#,##0,` shows 123456.7 as 123 under a
    /// header in 千元) is divided, a zero-padded code (`000` shows 1 as 001, a 12-digit
    /// 区划代码 as 033042110120) keeps its zeros, and a date shown as its year
    /// (`yyyy"年"`) or month (`yyyy"年"m"月"`) reads as that year or month (a period
    /// column's cell shown as 2021年1月 holds 1 January 2021). Stored, a code lost its
    /// zeros and a 千元 column was a thousand times too large. Percent cells, numbers
    /// shown with a unit or a magnitude word are noted for [`SheetCells::finish`].
    pub(super) fn cell(&mut self, r: u32, c: u32, data: Data, style: usize) {
        let look = self.looks.get(style);
        let shown = look.map(|l| l.shown).unwrap_or_default();
        let code = || look.map(|l| l.code.clone()).unwrap_or_default();
        // A negative number is shown by the format's second section, at its scale.
        let negative = matches!(data, Data::Float(f) if f < 0.0) || matches!(data, Data::Int(i) if i < 0);
        let (thousands, point) = shown.negative.filter(|_| negative).unwrap_or((shown.thousands, shown.point));
        let scale = 1000f64.powi(thousands) * 10f64.powi(point);
        let stored = matches!(data, Data::Float(_) | Data::Int(_)).then(|| cell_text(&data));
        let data = match data {
            Data::Float(f) if scale > 1.0 => Data::Float(yearbook_core::kernel::arith::significant(f / scale, 15)),
            Data::Int(i) if scale > 1.0 => Data::Float(yearbook_core::kernel::arith::significant(i as f64 / scale, 15)),
            other => other,
        };
        // Shown in a magnitude the format names (77500.0000万 of 775000000): whether the
        // figure is 77500 of the column's unit or 775000000 is the format's to say, not
        // the file's. Refused in `finish` where it lies in the table.
        if let Some(stored) = stored.clone().filter(|_| shown.magnitude && scale > 1.0) {
            self.worded.push((r, c, stored, cell_text(&data), code()));
        }
        if let Some(stored) = stored.clone().filter(|_| shown.conditions_differ) {
            self.sectioned.push((r, c, stored, code()));
        }
        if let (Some(stored), Some(unit)) = (stored.as_ref().filter(|_| scale == 1.0), look.and_then(|l| l.unit.as_ref())) {
            self.labelled.push((r, c, stored.clone(), unit.clone(), code()));
        }
        let text = match (&data, shown.pad) {
            (Data::DateTime(d), _) if !d.is_duration() && shown.date != DateShown::Day => {
                let (y, m, ..) = d.to_ymd_hms_milli();
                if shown.date == DateShown::Year { format!("{y}") } else { format!("{y}-{m:02}") }
            }
            // An .ods date cell (2021-01-01) shown as its year or month.
            (Data::DateTimeIso(s), _) if shown.date != DateShown::Day && iso_month(s).is_some() => {
                let (y, m) = iso_month(s).unwrap_or_default();
                if shown.date == DateShown::Year { y.to_string() } else { format!("{y}-{m}") }
            }
            (Data::Float(f), Some(w)) if *f >= 0.0 && f.fract() == 0.0 && *f < 1e15 => format!("{:0w$}", *f as u64),
            (Data::Int(i), Some(w)) if *i >= 0 => format!("{i:0w$}"),
            _ => cell_text(&data),
        };
        self.saw_empty |= matches!(data, Data::Empty);
        // A negative number by its own section's percent (`0.0;-0.0%`).
        let percent = shown.percent_negative.filter(|_| negative).unwrap_or(look.is_some_and(|l| l.percent));
        if matches!(data, Data::Float(_) | Data::Int(_)) && percent {
            self.percent_cells.push((r, c));
        }
        if matches!(data, Data::Float(_)) && is_year_point_one(&text) {
            self.point_one.push((r, c, text.clone()));
        }
        if let Data::Float(f) = data
            && super::table_file::lost_digits(f)
        {
            self.long.push((r, c, text.clone()));
        }
        if !text.is_empty() {
            self.by_row.entry(r).or_default().push((c, text));
        }
    }

    /// The table: header found (or `header_row`), columns from the first holding a value
    /// to the header's last, merged cells (`merges`) from the header down filled with
    /// their value, notes below dropped. `unsaved` is given the table's bounds before the
    /// merges are filled, to refuse a formula in it whose result the file does not hold
    /// (the .xlsx and .ods readers; an .xls always holds its formulas' results).
    ///
    /// Errors: an empty sheet; a value right of the header, two cells at one place or a
    /// cell past Excel's last row or column, a number shown with a magnitude word or with
    /// a unit the header does not name, each at its cell.
    pub(super) fn finish(
        self,
        file: String,
        merges: &[Dimensions],
        header_row: Option<usize>,
        unsaved: impl FnOnce(Bounds) -> Result<()>,
    ) -> Result<RawTable> {
        if self.by_row.is_empty() {
            return Err(Error::data(Location::new(&file, 1, None), "sheet is empty: expected a header row"));
        }
        let mut rows: Vec<(u32, Vec<(u32, String)>)> = self.by_row.into_iter().collect();
        for (r, cells) in &mut rows {
            cells.sort_by_key(|c| c.0);
            // Past Excel's last row (1,048,576) or column (XFD, 16,384), or two cells at one
            // place: a reference too large for the reader wraps (D4294967299 lands on D3) and
            // would silently replace a figure. Refused at the cell.
            let far =
                (*r >= 1 << 20).then_some(cells.first().map_or(0, |c| c.0)).or_else(|| cells.iter().find(|c| c.0 >= 1 << 14).map(|c| c.0));
            let twice = cells.windows(2).find(|w| w[0].0 == w[1].0).map(|w| w[0].0);
            if let Some(c) = far.or(twice) {
                let what = if twice == Some(c) && far.is_none() {
                    format!("two cells of the sheet are at {}{}", column_name(c), *r as u64 + 1)
                } else {
                    format!("a cell lies past Excel's last row (1048576) or column (XFD), at {}{}", column_name(c), *r as u64 + 1)
                };
                return Err(Error::data(
                    Location::new(&file, 1, None),
                    format!(
                        "{what}: the file's cell references are damaged or made by a program that wrote one too large (it would \
                         wrap onto another cell and replace its figure); open the workbook in Excel or LibreOffice, check the \
                         sheet and save it again"
                    ),
                ));
            }
        }
        let view: Vec<(usize, Vec<&str>)> = rows.iter().map(|(r, c)| (*r as usize + 1, c.iter().map(|x| x.1.as_str()).collect())).collect();
        let column = |row: usize, n: usize| rows.get(row).and_then(|(_, c)| c.get(n)).map(|(c, _)| *c as usize + 1);
        let found = super::header::find(&file, &view, header_row, &column)?;
        super::header::check_below_notes(&file, &view, &found)?;
        rows.truncate(found.notes.unwrap_or(rows.len()));
        let mut rows = rows.split_off(found.header);
        let first_col = rows.iter().flat_map(|(_, c)| c.iter().map(|x| x.0)).min().unwrap_or(0);
        let (head_r, head_cells) = (rows[0].0, &rows[0].1);
        let mut last_col = head_cells.iter().map(|(c, _)| *c).max().unwrap_or(first_col);
        // A merged header cell widens the header to the merge's last column.
        for d in merges {
            if d.start.0 <= head_r && head_r <= d.end.0 && d.start.1 <= last_col {
                last_col = last_col.max(d.end.1.min(16383));
            }
        }
        let last_row = rows.last().map(|r| r.0).unwrap_or(head_r);
        if let Some((r, c, stored, shown, code)) =
            self.worded.iter().find(|(r, c, ..)| (head_r + 1..=last_row).contains(r) && (first_col..=last_col).contains(c))
        {
            return Err(Error::data(
                Location::new(&file, *r as usize + 1, Some((c - first_col) as usize + 1)),
                format!(
                    "cell {}{} holds {stored} and its number format ({code}) shows it as {shown} with a magnitude written into the \
                     format: the figure's unit is the format's, which a file cannot say (is it {shown} or {stored} in the column's \
                     unit?); set the column's number format to 常规 (General) and give the unit of the figures held in the header \
                     (数值（元）) or a unit row (单位：元)",
                    column_name(*c),
                    r + 1
                ),
            ));
        }
        // A format whose sections picked by conditions scale differently (`[>=1000]#,##0,;0`
        // shows 123456 as 123 and 500 as 500): read by the first section's scale, 500千元
        // was 0.5 (review33 03). By sign (`#,##0,;-#,##0`) a negative reads by its own.
        if let Some((r, c, stored, code)) =
            self.sectioned.iter().find(|(r, c, ..)| (head_r + 1..=last_row).contains(r) && (first_col..=last_col).contains(c))
        {
            return Err(Error::data(
                Location::new(&file, *r as usize + 1, Some((c - first_col) as usize + 1)),
                format!(
                    "cell {}{} holds {stored} and its number format ({code}) has sections (split by ;) that scale numbers \
                     differently, each for the values its condition picks: which scale the figure is shown in is not read from \
                     the file; set the column's number format to 常规 (General) and give the unit of the figures held in the \
                     header (数值（元）) or a unit row (单位：元)",
                    column_name(*c),
                    r + 1
                ),
            ));
        }
        // A figure shown with a unit its number format writes (0.50亿元 of 0.5): read, it
        // would be in its indicator's or column's unit (0.5万元). Read where the header's
        // column or the unit row names that unit; refused elsewhere.
        let said = |c: u32, unit: &str| {
            let own =
                head_cells.iter().find(|(x, _)| *x == c).and_then(|(_, h)| super::wide::split_unit(h).1.map(super::header::normalize_unit));
            own.as_deref() == Some(unit)
                || (own.is_none() && found.unit.as_deref().is_some_and(|u| u.split('、').any(|x| x.trim() == unit)))
        };
        if let Some((r, c, stored, unit, code)) = self
            .labelled
            .iter()
            .find(|(r, c, _, unit, _)| (head_r + 1..=last_row).contains(r) && (first_col..=last_col).contains(c) && !said(*c, unit))
        {
            return Err(Error::data(
                Location::new(&file, *r as usize + 1, Some((c - first_col) as usize + 1)),
                format!(
                    "cell {}{} holds {stored} and its number format ({code}) shows it in {unit}, a unit the header's column and the \
                     unit row do not name: read, the figure would be in its indicator's unit; say the unit in the column's header \
                     (数值（{unit}）) or a unit row (单位：{unit}); where figures of several units share the column, set its number \
                     format to 常规 (General) and give each figure's unit in a 计量单位 column",
                    column_name(*c),
                    r + 1
                ),
            ));
        }
        unsaved(Bounds { head_r, last_row, first_col, last_col })?;
        let fills = fill_merged(&mut rows, merges, head_r, last_row, last_col);
        let width = (last_col - first_col + 1) as usize;
        let place = |cells: Vec<(u32, String)>, row: u32| -> Result<Vec<String>> {
            let mut fields = vec![String::new(); width];
            for (c, text) in cells {
                if c > last_col {
                    // Right below a header read from a title's row (项目台账 | 2021年 over the real
                    // header), the row is more likely the header.
                    let hint = if row == head_r + 1 {
                        format!(" (if row {} is the header, set `header_row = {}` on this file's entry)", row + 1, row + 1)
                    } else {
                        String::new()
                    };
                    return Err(Error::data(
                        Location::new(&file, row as usize + 1, Some((c - first_col) as usize + 1)),
                        format!(
                            "a value ({text:?}) in column {} lies right of the header, which ends at column {} (the header read from \
                             row {}): delete the stray cell or give it a header{hint}",
                            column_name(c),
                            column_name(last_col),
                            head_r + 1
                        ),
                    ));
                }
                if c >= first_col {
                    fields[(c - first_col) as usize] = text;
                }
            }
            Ok(fields)
        };
        let mut rows_iter = rows.into_iter();
        let (_, head) = rows_iter.next().expect("the header row");
        let mut header = place(head, head_r)?;
        let mut out = Vec::new();
        for (r, cells) in rows_iter {
            out.push((r as usize + 1, place(cells, r)?));
        }
        let merged = merges.iter().any(|d| d.start.0 <= head_r && head_r <= d.end.0 && d.end.1 > d.start.1);
        let units_below = super::header::absorb_second_row(&mut header, &mut out, merged);
        let merged = merged_fills(fills, &out, first_col, last_col);
        let year_point_one = self
            .point_one
            .into_iter()
            .filter(|(r, c, _)| (head_r..=last_row).contains(r) && (first_col..=last_col).contains(c))
            .map(|(r, c, t)| (r as usize + 1, (c - first_col) as usize, format!("{}{}", column_name(c), r + 1), t))
            .collect();
        // Percent-formatted cells by their place among the rows returned.
        let row_index: std::collections::HashMap<usize, usize> = out.iter().enumerate().map(|(i, (line, _))| (*line, i)).collect();
        let percent = self
            .percent_cells
            .into_iter()
            .filter(|&(_, c)| (first_col..=last_col).contains(&c))
            .filter_map(|(r, c)| row_index.get(&(r as usize + 1)).map(|&i| (i, (c - first_col) as usize)))
            .collect();
        let long_numbers = self
            .long
            .into_iter()
            .filter(|(r, c, _)| (head_r..=last_row).contains(r) && (first_col..=last_col).contains(c))
            .map(|(r, c, t)| (r as usize + 1, (c - first_col) as usize, format!("cell {}{}", column_name(c), r + 1), t))
            .collect();
        Ok(RawTable {
            file,
            header,
            rows: out,
            header_line: head_r as usize + 1,
            unit: found.unit,
            more_units: found.more_units,
            title_period: found.title_period,
            units_below,
            year_point_one,
            percent,
            long_numbers,
            merged,
            line_breaks: Vec::new(),
        })
    }
}

/// A formula at row `r`, column `c` (0-based) whose result the file does not store
/// (written by a program, never opened in a spreadsheet): read, an empty cell, a figure
/// silently missing. The error at its cell, for `first_col` the table's first column.
pub(super) fn unsaved_formula(file: &str, r: u32, c: u32, first_col: u32, formula: &str) -> Error {
    Error::data(
        Location::new(file, r as usize + 1, Some(c.saturating_sub(first_col) as usize + 1)),
        format!(
            "cell {}{} holds a formula (={formula}) whose result the file does not store: open the workbook in Excel or \
             LibreOffice and save it (yearbook reads saved results, it does not compute formulas), or type the figure",
            column_name(c),
            r + 1
        ),
    )
}

/// The year and month of an ISO date (`2021-01-01`, `2021-01-01T00:00:00`).
fn iso_month(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    (b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5..7].iter().all(u8::is_ascii_digit))
        .then(|| (&s[..4], &s[5..7]))
}

/// The merges' fills in the rows read (`out`: a row that became part of the header is
/// no longer filled), as (line, field index); merges that filled none of them left out.
fn merged_fills(fills: Vec<Fill>, out: &[(usize, Vec<String>)], first_col: u32, last_col: u32) -> Vec<MergedFill> {
    let lines: std::collections::HashSet<usize> = out.iter().map(|(l, _)| *l).collect();
    fills
        .into_iter()
        .filter_map(|(range, (r0, c0), value, cells)| {
            let cells: Vec<(usize, usize)> = cells
                .into_iter()
                .filter(|&(r, c)| lines.contains(&(r as usize + 1)) && (first_col..=last_col).contains(&c))
                .map(|(r, c)| (r as usize + 1, (c - first_col) as usize))
                .collect();
            let (line, field) = (r0 as usize + 1, c0.saturating_sub(first_col) as usize);
            (!cells.is_empty()).then_some(MergedFill { range, line, field, value, cells })
        })
        .collect()
}

/// A merged region's fill: its range (B2:B3), its top-left cell (row, column; 0-based)
/// and that cell's value, and the cells it was copied into.
type Fill = (String, (u32, u32), String, Vec<(u32, u32)>);

/// Fills each merged region (within rows `top..=bottom`, columns up to `last_col`) with
/// the value of its top-left cell: a region name merged over several rows, a year
/// merged over its columns. Returns what each merge filled, for the readers to refuse a
/// figure copied into cells of figures ([`RawTable::refuse_merged_figures`]).
fn fill_merged(rows: &mut [(u32, Vec<(u32, String)>)], merges: &[Dimensions], top: u32, bottom: u32, last_col: u32) -> Vec<Fill> {
    let index: BTreeMap<u32, usize> = rows.iter().enumerate().map(|(i, (r, _))| (*r, i)).collect();
    let mut fills = Vec::new();
    for d in merges {
        let (r0, c0) = d.start;
        // A merge from the header row down (地区 over two header rows, their units in the
        // second) is the header's own: filling its lower rows made the row of units a row
        // of figures for a region named 地区. Filled along the header row only.
        let r1 = if r0 == top { r0 } else { d.end.0.min(bottom) };
        let c1 = d.end.1.min(last_col);
        if r0 < top || r1 < r0 || c1 < c0 || (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1) > MAX_MERGE_FILL {
            continue;
        }
        let Some(value) = index.get(&r0).and_then(|&i| rows[i].1.iter().find(|(c, _)| *c == c0)).map(|(_, t)| t.clone()) else {
            continue;
        };
        let mut filled = Vec::new();
        for (&r, &i) in index.range(r0..=r1) {
            let cells = &mut rows[i].1;
            for c in c0..=c1 {
                if (r, c) != (r0, c0) && !cells.iter().any(|(x, _)| *x == c) {
                    cells.push((c, value.clone()));
                    filled.push((r, c));
                }
            }
            cells.sort_by_key(|x| x.0);
        }
        let range = format!("{}{}:{}{}", column_name(c0), r0 + 1, column_name(d.end.1), d.end.0 + 1);
        fills.push((range, (r0, c0), value, filled));
    }
    fills
}

/// Spreadsheet column letters: 0 -> A, 16383 -> XFD.
pub(super) fn column_name(c: u32) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        n -= 1;
        s.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::table_file::{RawTable, read_table};
    use super::super::text::Encoding;
    use std::path::Path;

    /// What a reader made of a sheet, every field but the file's name.
    fn summary(t: &yearbook_core::error::Result<RawTable>, ext: &str) -> String {
        match t {
            Ok(t) => format!(
                "header {:?} at {}\nrows {:?}\nunit {:?} title {:?} below {:?}\npoint one {:?}\npercent {:?}\nlong {:?}\nmerged {:?}",
                t.header,
                t.header_line,
                t.rows,
                t.unit,
                t.title_period,
                t.units_below,
                t.year_point_one,
                t.percent,
                t.long_numbers,
                t.merged.iter().map(|m| (&m.range, m.line, m.field, &m.value, &m.cells)).collect::<Vec<_>>()
            ),
            // A format code is written by each program its own way (`"约"0` or `\\约0`; an
            // .ods keeps the section shown, an .xls all of them): the message names it.
            Err(e) => {
                let mut e = e.to_string().replace(&format!(".{ext}"), ".EXT");
                if let Some(i) = e.find("number format (")
                    && let Some(j) = e[i..].find(") shows")
                {
                    e.replace_range(i + "number format (".len()..i + j, "CODE");
                }
                format!("error {e}")
            }
        }
    }

    /// Every sheet of the workbooks in tests/fixtures/same_sheets, saved by LibreOffice
    /// from the .xlsx as .xls and .ods, reads the same in all three: the .xlsx reader is
    /// the reference (number formats, merged cells, title and unit rows, notes). Left
    /// out: sheets LibreOffice changes in saving, not the readers (the .xlsx sheet 内置 of
    /// dates_of_months uses Excel's built-in format 57, which LibreOffice saves as m/d/yyyy).
    #[test]
    fn a_sheet_reads_the_same_from_xlsx_xls_and_ods() {
        use calamine::Reader;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/same_sheets");
        let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.retain(|p| p.extension().is_some_and(|e| e == "xlsx"));
        names.sort();
        assert!(names.len() >= 10, "{names:?}");
        let mut differ = Vec::new();
        for xlsx in &names {
            let wb = calamine::open_workbook_auto(xlsx).unwrap();
            for sheet in wb.sheet_names() {
                if xlsx.ends_with("dates_of_months.xlsx") && sheet == "内置" {
                    continue;
                }
                let want = summary(&read_table(xlsx, "t.xlsx", Encoding::Utf8, Some(&sheet), None), "xlsx");
                for ext in ["xls", "ods"] {
                    let other = xlsx.with_extension(ext);
                    let got = summary(&read_table(&other, &format!("t.{ext}"), Encoding::Utf8, Some(&sheet), None), ext);
                    if got != want {
                        differ.push(format!("{}[{sheet}] as .{ext}:\n{got}\n.xlsx:\n{want}", xlsx.display()));
                    }
                }
            }
        }
        assert!(differ.is_empty(), "{}", differ.join("\n\n"));
    }

    #[test]
    fn column_letters() {
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(16383), "XFD");
    }
}
