//! .xlsx sheets read cell by cell: memory follows the cells that hold values, not the
//! sheet's declared dimension (one stray cell at XFD1048576 must not ask for 512 GiB).

use super::is_year_point_one;
use super::table_file::{MergedFill, RawTable, cell_text, pick_sheet};
use calamine::{Data, Dimensions, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};

/// The most cells one merged region may fill (larger merges are left as they are).
const MAX_MERGE_FILL: u64 = 1 << 20;

/// Reads a sheet: the header is found below title and unit rows (or is `header_row`);
/// columns run from the first column holding a value to the header's last; merged cells
/// from the header down are filled with their value; notes below the table are dropped.
/// A value right of the header is an error naming its cell.
pub fn read(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    // The workbook reader may panic on a file no spreadsheet program writes (a cell
    // reference past 2^32 overflows its arithmetic where overflow is checked): an error
    // at the file, never an abort.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheet(path, label, sheet, header_row))).unwrap_or_else(|p| {
        let why = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
        Err(Error::data(
            Location::new(label, 1, None),
            format!(
                "the workbook cannot be read ({why}): the file's cell references are damaged or made by a program that wrote \
                 one too large; open the workbook in Excel or LibreOffice, check the sheet and save it again"
            ),
        ))
    })
}

/// The fewest bytes one shared string takes in sharedStrings.xml (`<si><t/></si>`).
const MIN_SHARED_STRING_BYTES: u64 = 12;

/// Refuses a workbook whose shared-strings part declares more strings (`uniqueCount`)
/// than its bytes can hold: the workbook reader reserves room for the declared count
/// before it reads one, so a 3 KB file declaring 4294967295 strings asked for 96 GiB and
/// aborted the process. The part's size, not its word, bounds what is read.
fn shared_strings_fit(path: &Path) -> std::result::Result<(), String> {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else { return Ok(()) };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return Ok(()) };
    let Some(name) =
        zip.file_names().filter_map(|n| n.ok()).find(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml")).map(|n| n.to_string())
    else {
        return Ok(());
    };
    let Ok(part) = zip.by_name(&name) else { return Ok(()) };
    let size = part.size();
    // The `<sst ...>` tag is at the start of the part.
    let mut head = Vec::with_capacity(4096);
    if part.take(4096).read_to_end(&mut head).is_err() {
        return Ok(());
    }
    let head = String::from_utf8_lossy(&head);
    let Some(tag) = head.find("<sst").map(|i| &head[i..]).map(|t| &t[..t.find('>').unwrap_or(t.len())]) else { return Ok(()) };
    let Some(declared) = tag.split_once("uniqueCount=").and_then(|(_, rest)| {
        let rest = rest.trim_start_matches(['"', '\'']);
        rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())].parse::<u64>().ok()
    }) else {
        return Ok(());
    };
    let most = size / MIN_SHARED_STRING_BYTES + 1;
    let room = yearbook_core::memory::headroom_bytes().map(|b| b / std::mem::size_of::<String>() as u64);
    if declared > most || room.is_some_and(|r| declared > r) {
        return Err(format!(
            "the workbook's shared strings ({name}) declare {declared} strings, but its {size} bytes hold at most {most}: the \
             program that wrote the file counted wrongly; open the workbook in Excel or LibreOffice and save it again"
        ));
    }
    Ok(())
}

fn read_sheet(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    let at = |line: usize, col: Option<usize>| Location::new(label, line, col);
    shared_strings_fit(path).map_err(|m| Error::data(at(1, None), m))?;
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| Error::data(at(1, None), format!("cannot read workbook: {e}")))?;
    let sheets = wb.sheets_metadata().to_vec();
    let name = pick_sheet(&sheets, label, sheet)?;
    let file = format!("{label}[{name}]");
    let merges: Vec<Dimensions> = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let mut cells = wb.worksheet_cells_reader(&name).map_err(|e| Error::data(at(1, None), format!("cannot read sheet \"{name}\": {e}")))?;
    let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut point_one: Vec<(u32, u32, String)> = Vec::new();
    let mut percent_cells: Vec<(u32, u32)> = Vec::new();
    let mut long: Vec<(u32, u32, String)> = Vec::new();
    // Number cells shown scaled with a magnitude word: (row, column, stored, shown, format).
    let mut worded: Vec<(u32, u32, String, String, String)> = Vec::new();
    // A cell without a stored value (a formula's result never saved reads so) sends the
    // sheet through a second reading that sees formulas; most sheets have none.
    let mut saw_empty = false;
    // Styles whose number format shows a percent: such a cell holds 0.125 and shows 12.5%.
    let percent: Vec<bool> =
        cells.styles().iter().map(|s| s.number_format.as_ref().is_some_and(|f| is_percent_format(&f.format_code))).collect();
    // Styles that show a number otherwise than it is stored: zero-padded codes (`000`
    // shows 1 as 001, a 12-digit 区划代码 as 033042110120) and thousands scaling (`#,##0,`
    // shows 123456.7 as 123 under a header in 千元). Read as shown: stored, a code lost
    // its zeros (`seq == "001"` matched nothing) and a 千元 column was a thousand times
    // too large.
    // And dates shown as their year (`yyyy"年"`) or month (`yyyy"年"m"月"`): a period
    // column's cell shown as 2021年1月 holds 1 January 2021, as one shown as 2021年 does;
    // read as shown, a workbook of January's figures is not taken for one of years.
    let shows: Vec<Shown> = cells
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .map_or(Shown::default(), |f| Shown { date: date_shown(&f.format_code, f.format_id), ..shown_as(&f.format_code) })
        })
        .collect();
    // Styles whose number format writes a unit beside the figure shown as stored
    // (`0.00"亿元"` shows 0.5 as 0.50亿元): the figure is in that unit, which the file's
    // header or unit row must say (checked below, where the header is known).
    let units: Vec<Option<String>> =
        cells.styles().iter().map(|s| s.number_format.as_ref().and_then(|f| format_unit(&f.format_code))).collect();
    // Number cells so shown: (row, column, stored, unit, format).
    let mut labelled: Vec<(u32, u32, String, String, String)> = Vec::new();
    loop {
        let (cell, style) = match cells.next_cell_with_style_id() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(Error::data(Location::new(&file, 1, None), format!("cannot read sheet \"{name}\": {e}"))),
        };
        let (r, c) = cell.get_position();
        let data = Data::from(cell.get_value().clone());
        let look = shows.get(style).copied().unwrap_or_default();
        let scale = 1000f64.powi(look.thousands) * 10f64.powi(look.point);
        let stored = matches!(data, Data::Float(_) | Data::Int(_)).then(|| cell_text(&data));
        let data = match data {
            Data::Float(f) if scale > 1.0 => Data::Float(yearbook_core::kernel::arith::significant(f / scale, 15)),
            Data::Int(i) if scale > 1.0 => Data::Float(yearbook_core::kernel::arith::significant(i as f64 / scale, 15)),
            other => other,
        };
        // Shown in a magnitude the format names (77500.0000万 of 775000000): whether the
        // figure is 77500 of the column's unit or 775000000 is the format's to say, not
        // the file's. Refused below where it lies in the table.
        if let Some(stored) = stored.clone().filter(|_| look.magnitude && scale > 1.0) {
            let code = cells.styles().get(style).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.clone()).unwrap_or_default();
            worded.push((r, c, stored, cell_text(&data), code));
        }
        if let (Some(stored), Some(Some(unit))) = (stored.as_ref().filter(|_| scale == 1.0), units.get(style)) {
            let code = cells.styles().get(style).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.clone()).unwrap_or_default();
            labelled.push((r, c, stored.clone(), unit.clone(), code));
        }
        let text = match (&data, look.pad) {
            (Data::DateTime(d), _) if !d.is_duration() && look.date != DateShown::Day => {
                let (y, m, ..) = d.to_ymd_hms_milli();
                if look.date == DateShown::Year { format!("{y}") } else { format!("{y}-{m:02}") }
            }
            (Data::Float(f), Some(w)) if *f >= 0.0 && f.fract() == 0.0 && *f < 1e15 => format!("{:0w$}", *f as u64),
            (Data::Int(i), Some(w)) if *i >= 0 => format!("{i:0w$}"),
            _ => cell_text(&data),
        };
        saw_empty |= matches!(data, Data::Empty);
        if matches!(data, Data::Float(_) | Data::Int(_)) && percent.get(style).copied().unwrap_or(false) {
            percent_cells.push((r, c));
        }
        if matches!(data, Data::Float(_)) && is_year_point_one(&text) {
            point_one.push((r, c, text.clone()));
        }
        if let Data::Float(f) = data
            && super::table_file::lost_digits(f)
        {
            long.push((r, c, text.clone()));
        }
        if !text.is_empty() {
            by_row.entry(r).or_default().push((c, text));
        }
    }
    if by_row.is_empty() {
        return Err(Error::data(Location::new(&file, 1, None), "sheet is empty: expected a header row"));
    }
    let mut rows: Vec<(u32, Vec<(u32, String)>)> = by_row.into_iter().collect();
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
    for d in &merges {
        if d.start.0 <= head_r && head_r <= d.end.0 && d.start.1 <= last_col {
            last_col = last_col.max(d.end.1.min(16383));
        }
    }
    let last_row = rows.last().map(|r| r.0).unwrap_or(head_r);
    if let Some((r, c, stored, shown, code)) =
        worded.iter().find(|(r, c, ..)| (head_r + 1..=last_row).contains(r) && (first_col..=last_col).contains(c))
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
    // A figure shown with a unit its number format writes (0.50亿元 of 0.5): read, it
    // would be in its indicator's or column's unit (0.5万元). Read where the header's
    // column or the unit row names that unit; refused elsewhere.
    let said = |c: u32, unit: &str| {
        let own =
            head_cells.iter().find(|(x, _)| *x == c).and_then(|(_, h)| super::wide::split_unit(h).1.map(super::header::normalize_unit));
        own.as_deref() == Some(unit) || (own.is_none() && found.unit.as_deref().is_some_and(|u| u.split('、').any(|x| x.trim() == unit)))
    };
    if let Some((r, c, stored, unit, code)) = labelled
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
    // A formula whose result the file does not hold (written by a program, never opened
    // in Excel) reads as an empty cell: a figure silently missing. Refused at its cell.
    drop(cells);
    if saw_empty && let Ok(mut formulas) = wb.worksheet_cells_reader(&name) {
        while let Ok(Some(f)) = formulas.next_cell_with_formula() {
            let (r, c) = f.pos;
            // No stored value at all (an empty string is a stored result: IF(...,"",...)).
            let unsaved = f.formula.as_deref().is_some_and(|t| !t.is_empty()) && matches!(f.value, calamine::DataRef::Empty);
            if unsaved && (head_r..=last_row).contains(&r) && (first_col..=last_col).contains(&c) {
                return Err(Error::data(
                    Location::new(&file, r as usize + 1, Some((c - first_col) as usize + 1)),
                    format!(
                        "cell {}{} holds a formula (={}) whose result the file does not store: open the workbook in Excel or \
                         LibreOffice and save it (yearbook reads saved results, it does not compute formulas), or type the figure",
                        column_name(c),
                        r + 1,
                        f.formula.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    let fills = fill_merged(&mut rows, &merges, head_r, last_row, last_col);
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
    let year_point_one = point_one
        .into_iter()
        .filter(|(r, c, _)| (head_r..=last_row).contains(r) && (first_col..=last_col).contains(c))
        .map(|(r, c, t)| (r as usize + 1, (c - first_col) as usize, format!("{}{}", column_name(c), r + 1), t))
        .collect();
    // Percent-formatted cells by their place among the rows returned.
    let row_index: std::collections::HashMap<usize, usize> = out.iter().enumerate().map(|(i, (line, _))| (*line, i)).collect();
    let percent = percent_cells
        .into_iter()
        .filter(|&(_, c)| (first_col..=last_col).contains(&c))
        .filter_map(|(r, c)| row_index.get(&(r as usize + 1)).map(|&i| (i, (c - first_col) as usize)))
        .collect();
    let long_numbers = long
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
        title_period: found.title_period,
        units_below,
        year_point_one,
        percent,
        long_numbers,
        merged,
        line_breaks: Vec::new(),
    })
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

/// How a number format shows a number stored otherwise ([`shown_as`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Shown {
    /// Zero-padded to this many digits (`000`, `000000000000`).
    pad: Option<usize>,
    /// Divided by 1000 this many times (each `,` after the last digit: `#,##0,`).
    thousands: i32,
    /// Divided by 10 this many times: digit placeholders after a literal point
    /// (`0!.0000` shows 775000000 as 77500.0000).
    point: i32,
    /// Literal text that names a magnitude (`"万"`, `"百万"`) beside a scaled figure: the
    /// figure shown is in a unit the format, not the file, gives.
    magnitude: bool,
    /// What a date cell shows of its date.
    date: DateShown,
}

/// What a date format shows of a date: its year only (`yyyy"年"`), its year and month
/// (`yyyy"年"m"月"`, `mmm-yy`), or more (a day or a time; also any other format).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum DateShown {
    Year,
    Month,
    #[default]
    Day,
}

/// What a date format shows of a date ([`DateShown`]): the tokens of its first section
/// outside quotes, brackets and escapes. `m` is a month unless a time is shown (then it
/// may be minutes, and the day is read whole). The locale's built-in formats have no code
/// in the file, only an id: those of Simplified Chinese Excel that show 2021年1月 (27, 36,
/// 50, 52, 57; ECMA-376 Part 1, 18.8.30) are months.
fn date_shown(code: &str, id: Option<u32>) -> DateShown {
    if code == "General" {
        return match id {
            Some(27 | 36 | 50 | 52 | 57) => DateShown::Month,
            _ => DateShown::Day,
        };
    }
    let (mut year, mut month, mut other) = (false, false, false);
    for ch in format_tokens(code) {
        match ch {
            'y' | 'Y' | 'e' => year = true,
            'm' | 'M' => month = true,
            'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'a' | 'A' | '0' | '#' | '?' => other = true,
            _ => {}
        }
    }
    match (year, month, other) {
        (true, false, false) => DateShown::Year,
        (true, true, false) => DateShown::Month,
        _ => DateShown::Day,
    }
}

/// What a number format's first section does to a number: zero padding when it is only
/// zeros (two or more), thousands scaling for each comma after its last digit
/// placeholder (outside quotes and escapes; `#,##0` groups and does not scale).
fn shown_as(code: &str) -> Shown {
    let first = first_section(code);
    if first.len() >= 2 && first.bytes().all(|b| b == b'0') {
        return Shown { pad: Some(first.len()), ..Shown::default() };
    }
    let (mut seen_digit, mut commas) = (false, 0);
    for ch in format_tokens(code) {
        match ch {
            '0' | '#' | '?' => {
                seen_digit = true;
                commas = 0;
            }
            ',' if seen_digit => commas += 1,
            '.' | 'E' | 'e' => commas = 0,
            _ => {}
        }
    }
    let (point, word, _) = literal_scaling(code);
    // A word beside a figure shown as stored (`0.00"万元"`) only labels it.
    Shown { thousands: commas, point, magnitude: word && (commas > 0 || point > 0), ..Shown::default() }
}

/// The digit placeholders after a literal point (`0!.0000`, `0\.0`, `0"."0`: the
/// office way to show 元 as 万 or 亿) when the format has no decimal point of its own,
/// and whether its literal text names a magnitude (十, 百, 千, 万, 亿: `"万"`, `"百万元"`).
fn literal_scaling(code: &str) -> (i32, bool, String) {
    let first = first_section(code);
    let mut chars = first.chars();
    let (mut seen_digit, mut real_point, mut literal_point, mut after) = (false, false, false, 0i32);
    let (mut quoted, mut bracket) = (false, false);
    let mut literal = String::new();
    let mut lit = |c: char, seen_digit: bool, literal_point: &mut bool| {
        literal.push(c);
        if c == '.' && seen_digit {
            *literal_point = true;
        }
    };
    while let Some(ch) = chars.next() {
        if quoted {
            if ch == '"' {
                quoted = false;
            } else {
                lit(ch, seen_digit, &mut literal_point);
            }
            continue;
        }
        if bracket {
            bracket = ch != ']';
            continue;
        }
        match ch {
            '"' => quoted = true,
            '[' => bracket = true,
            '\\' | '!' => {
                if let Some(c) = chars.next() {
                    lit(c, seen_digit, &mut literal_point);
                }
            }
            '_' | '*' => {
                chars.next();
            }
            '0' | '#' | '?' => {
                seen_digit = true;
                if literal_point {
                    after += 1;
                }
            }
            '.' => real_point = true,
            _ => {}
        }
    }
    let magnitude = literal.chars().any(|c| matches!(c, '十' | '百' | '千' | '万' | '亿'));
    (if real_point { 0 } else { after }, magnitude, literal)
}

/// The unit a number format writes beside the figure it shows as stored (`0.00"亿元"`,
/// `#,##0"万元"`, `0.0"万人"`, `0"万"`): a unit yearbook knows or a magnitude word alone.
/// None for other words (`"约"0`, `0"以上"`) and for formats without literal text.
fn format_unit(code: &str) -> Option<String> {
    let (_, _, quoted) = literal_scaling(code);
    // Text written without quotes (0.00亿元) is literal too.
    let bare: String = format_tokens(code).filter(|c| !c.is_ascii()).collect();
    let mut text = super::header::normalize_unit(format!("{quoted}{bare}").trim());
    // Words beside a unit that are no part of it (约, 以上, 左右; a currency sign).
    for w in ["约", "以上", "以下", "左右", "上下", "多", "余", "￥", "¥", "$", "人民币"] {
        text = text.replace(w, "");
    }
    let magnitude = super::header::MAGNITUDES.contains(&text.as_str());
    let known = !text.is_empty() && yearbook_core::unit::Unit::parse(&text).is_known();
    // Any other text naming a magnitude or 元/人/吨 is a unit yearbook does not read
    // (亿元/年): named so it is refused.
    let unit_like = text.contains(['十', '百', '千', '万', '亿', '元', '人', '吨']);
    (magnitude || known || unit_like).then_some(text)
}

/// Whether an Excel number format shows a percent (`0%`, `0.00%`, `#,##0.0%`): a `%`
/// among its first section's tokens ([`format_tokens`]).
fn is_percent_format(code: &str) -> bool {
    format_tokens(code).any(|c| c == '%')
}

/// The first section of a number format (up to its first `;` that is not quoted or
/// escaped): what a positive number or a date is shown with.
fn first_section(code: &str) -> &str {
    let mut state = Scan::default();
    let end = code.char_indices().find(|&(_, ch)| state.token(ch) == Some(';')).map_or(code.len(), |(i, _)| i);
    &code[..end]
}

/// The characters of a number format's first section that are its own codes: not inside
/// quotes (`"年"`) or brackets (`[Red]`, `[$-804]`), and not what `\` (a literal), `_` (a
/// space as wide as a character) or `*` (a fill) take (ECMA-376 Part 1, 18.8.31). One
/// reading serves the date, scaling, padding and percent questions alike.
fn format_tokens(code: &str) -> impl Iterator<Item = char> + '_ {
    let mut state = Scan::default();
    code.chars().filter_map(move |ch| state.token(ch)).take_while(|&ch| ch != ';')
}

/// Where a reading of a number format is: inside quotes, brackets, or after an escape.
#[derive(Default)]
struct Scan {
    quoted: bool,
    bracket: bool,
    escaped: bool,
}

impl Scan {
    /// `ch` if it is a code of the format, None if it is literal text or markup.
    fn token(&mut self, ch: char) -> Option<char> {
        match ch {
            _ if self.escaped => self.escaped = false,
            '"' if !self.bracket => self.quoted = !self.quoted,
            _ if self.quoted => {}
            '\\' | '!' | '_' | '*' if !self.bracket => self.escaped = true,
            '[' => self.bracket = true,
            ']' if self.bracket => self.bracket = false,
            _ if self.bracket => {}
            _ => return Some(ch),
        }
        None
    }
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
    use super::{DateShown, Shown, date_shown, shown_as};

    #[test]
    fn formats_that_show_a_number_otherwise_than_stored() {
        let (pad, thousands) = (|w| Shown { pad: Some(w), ..Shown::default() }, |k| Shown { thousands: k, ..Shown::default() });
        assert_eq!(shown_as("000"), pad(3));
        assert_eq!(shown_as("000000000000"), pad(12));
        assert_eq!(shown_as("#,##0,"), thousands(1));
        assert_eq!(shown_as("0.0,,"), thousands(2));
        assert_eq!(shown_as("#,##0,;[Red]-#,##0,"), thousands(1));
        // An accounting format's space (`_)`) and fill (`* `) take a character each.
        assert_eq!(shown_as("_(* #,##0,_)"), thousands(1));
        assert_eq!(shown_as("\"千元;\"#,##0,"), Shown { thousands: 1, magnitude: true, ..Shown::default() });
        // A literal point shows 元 as 万 (`0!.0000`: 775000000 as 77500.0000); with a
        // magnitude word the figure's unit is the format's.
        let shown = |t, p, m| Shown { thousands: t, point: p, magnitude: m, ..Shown::default() };
        assert_eq!(shown_as("0!.0000"), shown(0, 4, false));
        assert_eq!(shown_as("0!.0000\"万\""), shown(0, 4, true));
        assert_eq!(shown_as("0\\.0,\"万\""), shown(1, 1, true));
        assert_eq!(shown_as("0\".\"00"), shown(0, 2, false));
        assert_eq!(shown_as("0.00,,\"百万\""), shown(2, 0, true));
        assert_eq!(shown_as("0.00\"万元\""), shown(0, 0, false));
        assert_eq!(shown_as("0!.0000.00"), shown(0, 0, false));
        for plain in ["0", "General", "#,##0", "#,##0.00", "0.00", "\"千元\"#,##0", "0\\,", "[$-804]#,##0", "yyyy-mm-dd", "0_,", "\"00\"0"]
        {
            assert_eq!(shown_as(plain), Shown::default(), "{plain}");
        }
    }

    #[test]
    fn what_a_date_format_shows() {
        for (code, id, want) in [
            ("yyyy\"年\"", None, DateShown::Year),
            ("yyyy", None, DateShown::Year),
            ("[$-804]yyyy\"年\";@", None, DateShown::Year),
            ("yyyy\"年\"m\"月\"", None, DateShown::Month),
            ("yyyy-mm", None, DateShown::Month),
            ("mmm-yy", Some(17), DateShown::Month),
            ("yyyy\\年m\\月", None, DateShown::Month),
            ("yyyy\"年\"m\"月\"d\"日\"", None, DateShown::Day),
            ("yyyy-mm-dd", None, DateShown::Day),
            ("mm-dd-yy", Some(14), DateShown::Day),
            ("yyyy-mm h:mm", None, DateShown::Day),
            ("m\"月\"d\"日\"", None, DateShown::Day),
            ("General", Some(57), DateShown::Month),
            ("General", Some(27), DateShown::Month),
            ("General", Some(31), DateShown::Day),
            ("General", None, DateShown::Day),
            ("0.00", Some(2), DateShown::Day),
            // A `;` in quotes ends no section; what `_` and `*` take is no code.
            ("\"年;\"yyyy", None, DateShown::Year),
            ("yyyy_m", None, DateShown::Year),
            ("yyyy*d", None, DateShown::Year),
            ("yyyy;m", None, DateShown::Year),
        ] {
            assert_eq!(date_shown(code, id), want, "{code} {id:?}");
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(16383), "XFD");
    }
    #[test]
    fn percent_formats() {
        for f in ["0%", "0.00%", "#,##0.0%", "0.0%;[Red]-0.0%"] {
            assert!(super::is_percent_format(f), "{f}");
        }
        assert!(super::is_percent_format("\"增长;\"0.0%"));
        for f in ["General", "0.00", "\"%\"0", "0\\%", "0;0%", "yyyy-mm-dd", "0_%", "0*%", "[$%-804]0"] {
            assert!(!super::is_percent_format(f), "{f}");
        }
    }
}
