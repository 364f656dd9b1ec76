//! .ods sheets (OpenDocument, LibreOffice and WPS): calamine reads the values; each
//! cell's number format and the merged cells, which calamine drops, are read here from
//! content.xml and styles.xml (ODF 1.2 part 1, 16.27 data styles and 9.1.4 table
//! cells), so an .ods reads as shown, as an .xlsx does.

use super::sheet::{NumFmt, SheetCells};
use super::table_file::{RawTable, pick_sheet};
use calamine::{Dimensions, Ods, Reader, open_workbook};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};

/// Reads a sheet of an .ods workbook as [`super::xlsx::read`] reads an .xlsx one: cells
/// as their data styles show them (a percentage cell holding 0.655 reads 65.5), merged
/// cells filled (a figure merged over rows refused), the header found below title rows.
pub fn read(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    // The workbook readers may panic on a damaged file: an error at the file, never an abort.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheet(path, label, sheet, header_row))).unwrap_or_else(|_| {
        Err(Error::data(
            Location::new(label, 1, None),
            "the workbook cannot be read: the file is damaged; open it in LibreOffice or Excel and save it again",
        ))
    })
}

fn read_sheet(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    let at = || Location::new(label, 1, None);
    // The workbook reader expands every sheet's repeated rows and columns when it opens
    // the file: a 918-byte file repeating one row a million times took over 9 GB.
    let cells = spanned_cells(path).map_err(|why| Error::data(at(), format!("cannot read workbook: {why}")))?;
    // Each cell takes a value's and a formula's room (56 bytes) and more.
    let need = cells.saturating_mul(64);
    if let Some(room) = yearbook_core::memory::room_bytes().filter(|&room| need > room) {
        return Err(Error::data(
            at(),
            format!(
                "its sheets span {cells} cells from their first to their last cell (rows and columns the file repeats counted \
                 as often as it repeats them), which would take {} MB to read, more than the {} MB at hand: a row or cell \
                 repeated to the sheet's end, or a stray cell far from the table; delete the rows and columns past the table",
                need >> 20,
                room >> 20
            ),
        ));
    }
    let mut wb: Ods<_> = open_workbook(path).map_err(|e| Error::data(at(), format!("cannot read workbook: {e}")))?;
    let sheets = wb.sheets_metadata().to_vec();
    let name = pick_sheet(&sheets, label, sheet)?;
    let range = wb.worksheet_range(&name).map_err(|e| Error::data(at(), format!("cannot read sheet \"{name}\": {e}")))?;
    let layout = layout(path, &name).map_err(|why| {
        Error::data(
            at(),
            format!(
                "the cells' number formats and merged cells cannot be read ({why}), and without them a percent or a figure \
                 merged over rows would load as stored; open the workbook in LibreOffice or Excel and save it again"
            ),
        )
    })?;
    let mut read = SheetCells::new(layout.formats.iter().cloned().map(Some));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (i, j, data) in range.used_cells() {
        let (r, c) = (r0 + i as u32, c0 + j as u32);
        read.cell(r, c, data.clone(), layout.style_at(r, c));
    }
    let file = format!("{label}[{name}]");
    read.finish(file.clone(), &layout.merges, header_row, |b| {
        let inside = |&&(r, rows, c, cols, _): &&(u32, u32, u32, u32, String)| {
            r <= b.last_row && r.saturating_add(rows) > b.head_r && c <= b.last_col && c.saturating_add(cols) > b.first_col
        };
        match layout.unsaved.iter().find(inside) {
            Some((r, _, c, _, formula)) => {
                let (r, c) = (b.head_r.max(*r), b.first_col.max(*c));
                Err(super::sheet::unsaved_formula(&file, r, c, b.first_col, formula.trim_start_matches("of:").trim_start_matches('=')))
            }
            None => Ok(()),
        }
    })
}

/// Cells of one row that share a format: first column, count, format index.
type CellRun = (u32, u32, usize);

/// A sheet's number formats (by an index of this reader's), the format of its cells in
/// runs, and its merged cells.
#[derive(Default)]
struct Layout {
    formats: Vec<NumFmt>,
    /// Runs of rows (first row, count), each with its runs of cells (first column,
    /// count, format index), both in order.
    rows: Vec<(u32, u32, Vec<CellRun>)>,
    merges: Vec<Dimensions>,
    /// Formula cells whose result the file does not hold: (first row, rows, first
    /// column, columns, formula).
    unsaved: Vec<(u32, u32, u32, u32, String)>,
}

impl Layout {
    /// The format index of the cell at (row, column); past the formats (shown as stored)
    /// where the cell has none.
    fn style_at(&self, r: u32, c: u32) -> usize {
        let i = self.rows.partition_point(|run| run.0 + run.1 <= r);
        let Some((_, _, cells)) = self.rows.get(i).filter(|run| run.0 <= r) else { return usize::MAX };
        let j = cells.partition_point(|cell| cell.0 + cell.1 <= c);
        cells.get(j).filter(|cell| cell.0 <= c).map_or(usize::MAX, |cell| cell.2)
    }
}

/// The elements of ODF's data styles (number formats).
const DATA_STYLES: [&str; 7] = [
    "number:number-style",
    "number:percentage-style",
    "number:currency-style",
    "number:date-style",
    "number:time-style",
    "number:text-style",
    "number:boolean-style",
];

/// A data style being read: its name, kind (`percentage-style`), code so far, and
/// conditions (`style:map`: condition, data style shown then).
type Reading = (String, String, String, Vec<(String, String)>);

/// A style of the workbook: its data style (number format) and parent, by name.
#[derive(Default)]
struct Styles {
    /// Data style name -> the Excel number format code it amounts to, and its
    /// conditions (`style:map`: `value()>0` -> the data style shown then).
    data: HashMap<String, (String, Vec<(String, String)>)>,
    /// Cell style name -> (data style name, parent style name).
    cell: HashMap<String, (Option<String>, Option<String>)>,
}

impl Styles {
    /// The format code of a cell style holding `value`, following its parents; None where
    /// none of them names a data style. A style or data style named but not in the file
    /// (a damaged or cut styles part) is an error: the format it gives would be lost. The
    /// common style `Default` may be left out.
    fn code(&self, style: &str, value: Option<f64>) -> std::result::Result<Option<&str>, String> {
        let mut name = style;
        for _ in 0..16 {
            let Some((data, parent)) = self.cell.get(name) else {
                return if name == "Default" { Ok(None) } else { Err(format!("the cell style {name} is not in the file")) };
            };
            if let Some(data) = data.as_deref() {
                return self.data_code(data, value, 0).map(Some);
            }
            let Some(parent) = parent.as_deref() else { return Ok(None) };
            name = parent;
        }
        Ok(None)
    }

    /// The code of data style `name` for `value`: a format of sections (`0.0%;-0.0%;"-"`)
    /// is saved as a style for one section with conditions naming the others
    /// (`value()>0` -> the percent section); the section the value meets is the one shown.
    fn data_code(&self, name: &str, value: Option<f64>, depth: usize) -> std::result::Result<&str, String> {
        let (code, maps) = self.data.get(name).ok_or_else(|| format!("the data style {name} is not in the file"))?;
        for (condition, apply) in maps {
            let test = condition_of(condition).ok_or_else(|| format!("the condition {condition} of data style {name} is not read"))?;
            if depth < 4 && value.is_some_and(test) {
                return self.data_code(apply, value, depth + 1);
            }
        }
        Ok(code)
    }
}

/// A data style's condition on the value (ODF 1.2 part 1, 16.3: `value()>0`,
/// `value()<=-1`, `value()!=0`) as a test; None for any other.
fn condition_of(condition: &str) -> Option<impl Fn(f64) -> bool> {
    let rest = condition.trim().strip_prefix("value()")?.trim_start();
    let (op, number) = [">=", "<=", "!=", "<>", "=", ">", "<"].into_iter().find_map(|op| rest.strip_prefix(op).map(|n| (op, n)))?;
    let bound: f64 = number.trim().parse().ok()?;
    Some(move |v: f64| match op {
        ">=" => v >= bound,
        "<=" => v <= bound,
        "!=" | "<>" => v != bound,
        "=" => v == bound,
        ">" => v > bound,
        _ => v < bound,
    })
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1)
}

/// A part of the package, read whole (the styles part is small beside the sheet; at
/// most 64 MiB of it is read); None where the package has no such part. A part that
/// is there but cannot be read (damaged) is an error: its styles would be lost.
fn part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> std::result::Result<Option<Vec<u8>>, String> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name}: {e}")),
    };
    let mut out = Vec::new();
    (&mut f).take(64 << 20).read_to_end(&mut out).map_err(|e| format!("{name}: {e}"))?;
    Ok(Some(out))
}

/// The attributes any one of which makes the workbook reader hold a cell (a value, a
/// value's type, a formula).
const VALUED: [&str; 7] = [
    "office:value-type",
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "table:formula",
];

/// The cells of all the tables of content.xml as the workbook reader lays them out: for
/// each table, its rows from the first to the last that holds a value or a formula
/// (repeats counted as often as they repeat), by its columns from the first to the last
/// holding one.
fn spanned_cells(path: &Path) -> std::result::Result<u64, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let (mut total, mut depth) = (0u64, 0usize);
    // Of the table being read: the row and column reached, the row's repeat, whether the
    // row holds a value, and its extent (first and last row, first and last column).
    let (mut row, mut col, mut repeat, mut held) = (0u64, 0u64, 1u64, false);
    let mut extent: Option<(u64, u64, u64, u64)> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => return Ok(total),
            Event::Start(e) | Event::Empty(e) => match e.name().0 {
                // A table written `<table:table/>` holds nothing and opens nothing.
                "table:table" if !empty => {
                    depth += 1;
                    if depth == 1 {
                        (row, extent) = (0, None);
                    }
                }
                "table:table-row" if depth == 1 => {
                    (col, repeat, held) = (0, u64::from(count(&e, "table:number-rows-repeated")), false);
                    if empty {
                        row = row.saturating_add(repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if depth == 1 => {
                    let n = u64::from(count(&e, "table:number-columns-repeated"));
                    if VALUED.iter().any(|a| attr(&e, a).is_some()) {
                        held = true;
                        let last = col.saturating_add(n - 1);
                        extent =
                            Some(extent.map_or((row, row, col, last), |(r0, r1, c0, c1)| (r0, r1.max(row), c0.min(col), c1.max(last))));
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) => match e.name().0 {
                "table:table" => {
                    if depth == 1
                        && let Some((r0, r1, c0, c1)) = extent.take()
                    {
                        total = total.saturating_add((r1 - r0 + 1).saturating_mul(c1 - c0 + 1));
                    }
                    depth = depth.saturating_sub(1);
                }
                "table:table-row" if depth == 1 => {
                    if held && let Some(x) = extent.as_mut() {
                        x.1 = x.1.max(row.saturating_add(repeat - 1));
                    }
                    row = row.saturating_add(repeat);
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
}

/// Reads the styles of styles.xml and content.xml, then the named table's cells.
fn layout(path: &Path, name: &str) -> std::result::Result<Layout, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let mut styles = Styles::default();
    if let Some(xml) = part(&mut zip, "styles.xml")? {
        read_styles(&mut quick_xml::Reader::from_reader(xml.as_slice()), &mut styles, None)?;
    }
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut layout = Layout::default();
    read_styles(&mut reader, &mut styles, Some((name, &mut layout)))?;
    Ok(layout)
}

/// Reads data styles and cell styles; with a table name, also reads that table's cells
/// into the layout (content.xml holds the automatic styles before the body).
fn read_styles<R: std::io::BufRead>(
    reader: &mut quick_xml::Reader<R>,
    styles: &mut Styles,
    mut table: Option<(&str, &mut Layout)>,
) -> std::result::Result<(), String> {
    let mut buf = Vec::new();
    // The data style being read: its name, kind, code so far and conditions.
    let mut data: Option<Reading> = None;
    let mut text: Option<String> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => {
                // A sheet the workbook reader lists is in content.xml: not found, its
                // formats and merges would be lost.
                return match table {
                    Some((want, _)) => Err(format!("the sheet {want} is not in content.xml")),
                    None => Ok(()),
                };
            }
            Event::Start(e) | Event::Empty(e) => {
                let tag = e.name().0.to_string();
                match tag.as_str() {
                    t if DATA_STYLES.contains(&t) => {
                        let kind = tag.trim_start_matches("number:").to_string();
                        let name = attr(&e, "style:name").unwrap_or_default();
                        let code = match kind.as_str() {
                            "text-style" => "@".to_string(),
                            "boolean-style" => "General".to_string(),
                            _ => String::new(),
                        };
                        data = Some((name, kind, code, Vec::new()));
                        if empty {
                            finish_data(&mut data, styles);
                        }
                    }
                    "number:number" | "number:scientific-number" | "number:fraction" => {
                        if let Some((_, _, code, _)) = data.as_mut() {
                            code.push_str(&number_code(&e, &tag));
                        }
                    }
                    "number:year" | "number:month" | "number:day" | "number:hours" | "number:minutes" | "number:seconds" => {
                        if let Some((_, _, code, _)) = data.as_mut() {
                            let long = attr(&e, "number:style").as_deref() == Some("long");
                            code.push_str(match (tag.as_str(), long) {
                                ("number:year", true) => "yyyy",
                                ("number:year", false) => "yy",
                                ("number:month", _) if attr(&e, "number:textual").as_deref() == Some("true") => "mmm",
                                ("number:month", true) => "mm",
                                ("number:month", false) => "m",
                                ("number:day", true) => "dd",
                                ("number:day", false) => "d",
                                ("number:hours", _) => "h",
                                ("number:minutes", _) => "[mm]",
                                _ => "ss",
                            });
                        }
                    }
                    "number:text" | "number:currency-symbol" if data.is_some() && !empty => text = Some(String::new()),
                    "style:map" => {
                        if let Some((_, _, _, maps)) = data.as_mut()
                            && let (Some(c), Some(a)) = (attr(&e, "style:condition"), attr(&e, "style:apply-style-name"))
                        {
                            maps.push((c, a));
                        }
                    }
                    "style:style" if attr(&e, "style:family").as_deref() == Some("table-cell") => {
                        if let Some(name) = attr(&e, "style:name") {
                            styles.cell.insert(name, (attr(&e, "style:data-style-name"), attr(&e, "style:parent-style-name")));
                        }
                    }
                    "table:table" => {
                        if let Some((want, layout)) = table.as_mut()
                            && attr(&e, "table:name").as_deref() == Some(*want)
                        {
                            return read_table(reader, styles, layout);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => {
                match e.name().0 {
                    "number:text" | "number:currency-symbol" => {
                        if let (Some(s), Some((_, kind, code, _))) = (text.take(), data.as_mut()) {
                            // A percentage style's `%` is its code; other text is literal.
                            if kind == "percentage-style" && s.trim() == "%" {
                                code.push('%');
                            } else if !s.is_empty() {
                                code.push('"');
                                code.push_str(&s.replace('"', ""));
                                code.push('"');
                            }
                        }
                    }
                    t if DATA_STYLES.contains(&t) => finish_data(&mut data, styles),
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

fn finish_data(data: &mut Option<Reading>, styles: &mut Styles) {
    if let Some((name, _, code, maps)) = data.take() {
        styles.data.insert(name, (if code.is_empty() { "General".to_string() } else { code }, maps));
    }
}

/// The Excel code of an ODF number element: digits (`number:min-integer-digits`),
/// grouping, decimals, and `number:display-factor` (1000 per `,` after the digits, as
/// Excel's `#,##0,` writes it). A factor that is no power of 1000 is written as a
/// literal point before that many digits (10000 as `0!.0000`), which is how Excel shows
/// a figure in 万 — a scaling read as such.
fn number_code(e: &BytesStart<'_>, tag: &str) -> String {
    if tag == "number:scientific-number" {
        return "0.00E+00".to_string();
    }
    if tag == "number:fraction" {
        return "# ?/?".to_string();
    }
    let min = attr(e, "number:min-integer-digits").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).min(32);
    let decimals = attr(e, "number:decimal-places").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0).min(32);
    let grouping = attr(e, "number:grouping").as_deref() == Some("true");
    let mut code = String::new();
    if grouping {
        code.push_str("#,##");
    }
    code.push_str(&"0".repeat(min.max(usize::from(!grouping && min == 0))));
    if decimals > 0 {
        code.push('.');
        code.push_str(&"0".repeat(decimals));
    }
    let factor = attr(e, "number:display-factor").and_then(|v| v.parse::<f64>().ok()).unwrap_or(1.0);
    if factor > 1.0 && factor.is_finite() {
        let tens = factor.log10().round() as i32;
        if tens % 3 == 0 {
            code.push_str(&",".repeat((tens / 3).clamp(0, 8) as usize));
        } else {
            // No thousands: shown through a literal point (the scaling code reads it).
            code = format!("0!.{}", "0".repeat(tens.clamp(1, 15) as usize));
        }
    }
    code
}

/// Reads the rows of a table: each valued cell's format (its style, the row's or the
/// column's default style; a percentage cell shows a percent whatever its style says)
/// and each cell merged over others (`table:number-rows-spanned`,
/// `table:number-columns-spanned`).
fn read_table<R: std::io::BufRead>(
    reader: &mut quick_xml::Reader<R>,
    styles: &Styles,
    layout: &mut Layout,
) -> std::result::Result<(), String> {
    let mut buf = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut format_of = |code: String| -> usize {
        let next = index.len();
        *index.entry(code.clone()).or_insert_with(|| {
            layout.formats.push(NumFmt { code, id: None });
            next
        })
    };
    // Column default styles in runs: (first column, count, style).
    let mut columns: Vec<(u32, u32, Option<String>)> = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    let (mut row_repeat, mut row_style): (u32, Option<String>) = (1, None);
    let mut cells: Vec<CellRun> = Vec::new();
    let mut in_row = false;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) | Event::Empty(e) => {
                let tag = e.name().0.to_string();
                match tag.as_str() {
                    "table:table" => depth += usize::from(!empty),
                    "table:table-column" if depth == 0 => {
                        let n = count(&e, "table:number-columns-repeated");
                        let first = columns.last().map_or(0, |c| c.0.saturating_add(c.1));
                        columns.push((first, n, attr(&e, "table:default-cell-style-name")));
                    }
                    "table:table-row" if depth == 0 => {
                        row_repeat = count(&e, "table:number-rows-repeated");
                        row_style = attr(&e, "table:default-cell-style-name");
                        col = 0;
                        cells.clear();
                        in_row = !empty;
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" if depth == 0 && in_row => {
                        let n = count(&e, "table:number-columns-repeated");
                        let covered = tag == "table:covered-table-cell";
                        let kind = attr(&e, "office:value-type");
                        if !covered && let Some(kind) = kind.as_deref().filter(|k| *k != "string") {
                            let style = attr(&e, "table:style-name").or_else(|| row_style.clone()).or_else(|| {
                                let i = columns.partition_point(|c| c.0 + c.1 <= col);
                                columns.get(i).filter(|c| c.0 <= col).and_then(|c| c.2.clone())
                            });
                            let value = attr(&e, "office:value").and_then(|v| v.parse::<f64>().ok());
                            let code = match style.as_deref() {
                                Some(s) => styles.code(s, value)?,
                                None => None,
                            };
                            let mut code = code.unwrap_or("General").to_string();
                            if kind == "percentage" && !super::number_format::is_percent_format(&code) {
                                code = if code == "General" { "0%".to_string() } else { format!("{code}%") };
                            }
                            if code != "General" {
                                cells.push((col, n, format_of(code)));
                            }
                        }
                        // A formula without its result (a program wrote it, none computed it):
                        // read, an empty cell, a figure silently missing.
                        if let Some(formula) = attr(&e, "table:formula")
                            && VALUED[1..6].iter().all(|a| attr(&e, a).is_none())
                            && attr(&e, "office:value-type").as_deref() != Some("string")
                        {
                            layout.unsaved.push((row, row_repeat, col, n, formula));
                        }
                        let (rows, cols) = (count(&e, "table:number-rows-spanned"), count(&e, "table:number-columns-spanned"));
                        if !covered && (rows > 1 || cols > 1) {
                            let end = (row.saturating_add(rows - 1), col.saturating_add(cols - 1));
                            layout.merges.push(Dimensions { start: (row, col), end });
                        }
                        col = col.saturating_add(n);
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().0 {
                "table:table" if depth == 0 => return Ok(()),
                "table:table" => depth -= 1,
                "table:table-row" if depth == 0 && in_row => {
                    if !cells.is_empty() {
                        layout.rows.push((row, row_repeat, std::mem::take(&mut cells)));
                    }
                    row = row.saturating_add(row_repeat);
                    in_row = false;
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::{Layout, Styles, condition_of, read_styles, spanned_cells};

    #[test]
    fn conditions_of_data_styles() {
        let t = |c: &str, v: f64| condition_of(c).map(|f| f(v));
        assert_eq!(t("value()>0", 0.5), Some(true));
        assert_eq!(t("value()>0", 0.0), Some(false));
        assert_eq!(t("value()>=100000", 100000.0), Some(true));
        assert_eq!(t("value()<0", -1.0), Some(true));
        assert_eq!(t("value()=0", 0.0), Some(true));
        assert_eq!(t("value()!=0", 0.0), Some(false));
        assert_eq!(t("value() <> 1", 2.0), Some(true));
        assert_eq!(t("cell-content()>0", 1.0), None);
        assert_eq!(t("value()>x", 1.0), None);
    }

    /// A format of sections saved as .ods (`0.0%;-0.0%;"-"`): the cell's data style is the
    /// zero section, which names the percent section under `value()>0`; the value picks.
    #[test]
    fn a_style_of_sections_shows_the_section_its_value_meets() {
        let xml = r#"<office:document-content><office:automatic-styles>
            <number:percentage-style style:name="N1P0"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
            <number:number-style style:name="N1"><number:text>-</number:text><style:map style:condition="value()&gt;0" style:apply-style-name="N1P0"/></number:number-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            </office:automatic-styles><office:body><office:spreadsheet><table:table table:name="S">
            <table:table-row><table:table-cell table:style-name="ce1" office:value-type="percentage" office:value="0.655"/><table:table-cell table:style-name="ce1" office:value-type="float" office:value="0"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let l = layout(xml);
        let code = |r, c| l.formats.get(l.style_at(r, c)).map(|f| f.code.as_str());
        assert_eq!(code(0, 0), Some("0.0%"));
        assert_eq!(code(0, 1), Some("\"-\""));
    }

    /// The cells the workbook reader lays out, repeats counted: one row of 3 valued cells
    /// repeated 1048575 times below a header of 4 is 1048576 rows by 4 columns.
    #[test]
    fn cells_spanned_count_repeats_before_they_are_expanded() {
        use std::io::Write;
        let body = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S">
            <table:table-row><table:table-cell office:value-type="string"><text:p>地区</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="3"/><table:table-cell/></table:table-row>
            <table:table-row table:number-rows-repeated="5"><table:table-cell table:number-columns-repeated="9"/></table:table-row>
            </table:table><table:table table:name="T"><table:table-row><table:table-cell/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>
            </office:spreadsheet></office:body></office:document-content>"#;
        let d = std::env::temp_dir().join(format!("yearbook-ods-{}.ods", std::process::id()));
        let mut z = zip::ZipWriter::new(std::fs::File::create(&d).unwrap());
        z.start_file("content.xml", zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
        z.write_all(body.as_bytes()).unwrap();
        z.finish().unwrap();
        let cells = spanned_cells(&d);
        std::fs::remove_file(&d).ok();
        assert_eq!(cells, Ok(1048576 * 4 + 1));
    }

    fn layout(xml: &str) -> Layout {
        let mut layout = Layout::default();
        let mut styles = Styles::default();
        read_styles(&mut quick_xml::Reader::from_reader(xml.as_bytes()), &mut styles, Some(("S", &mut layout))).unwrap();
        layout
    }

    /// Data styles become the Excel codes they amount to; a percentage cell without a
    /// style still shows a percent; spans are merges; repeats move the columns on.
    #[test]
    fn styles_spans_and_repeats_of_a_table() {
        let xml = r#"<office:document-content><office:automatic-styles>
            <number:number-style style:name="N1"><number:number number:decimal-places="0" number:min-integer-digits="1" number:grouping="true" number:display-factor="1000"/></number:number-style>
            <number:percentage-style style:name="N2"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
            <number:number-style style:name="N3"><number:number number:decimal-places="2" number:min-integer-digits="1"/><number:text>亿元</number:text></number:number-style>
            <number:date-style style:name="N4"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text></number:date-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            <style:style style:name="ce2" style:family="table-cell" style:parent-style-name="ce3"/>
            <style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>
            <style:style style:name="ce4" style:family="table-cell" style:data-style-name="N4"/>
            </office:automatic-styles><office:body><office:spreadsheet>
            <table:table table:name="Other"><table:table-row><table:table-cell table:style-name="ce1" office:value-type="float" office:value="1"/></table:table-row></table:table>
            <table:table table:name="S"><table:table-column table:number-columns-repeated="2"/><table:table-column table:default-cell-style-name="ce4"/>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:style-name="ce1" office:value-type="float" office:value="1000000"><text:p>1,000</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell office:value-type="percentage" office:value="0.5"/><table:table-cell table:style-name="ce2" table:number-rows-spanned="2" office:value-type="float" office:value="1.5"/><table:table-cell office:value-type="date" office:date-value="2021-01-01"/></table:table-row>
            <table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
            <table:table-row><table:table-cell table:formula="of:=[.A1]*2" office:value-type="float"/><table:table-cell table:formula="of:=1" office:value-type="float" office:value="1"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let l = layout(xml);
        // A formula without its result is noted; one with it is not.
        assert_eq!(l.unsaved, vec![(4, 1, 0, 1, "of:=[.A1]*2".to_string())]);
        let code = |r, c| l.formats.get(l.style_at(r, c)).map(|f| f.code.as_str());
        assert_eq!(code(0, 2), Some("#,##0,"));
        assert_eq!(code(1, 2), Some("#,##0,"));
        assert_eq!(code(0, 0), None);
        assert_eq!(code(2, 0), Some("0%"));
        assert_eq!(code(2, 1), Some("0.00\"亿元\""));
        assert_eq!(code(2, 2), Some("yyyy\"年\"m\"月\""));
        assert_eq!(code(3, 1), None);
        assert_eq!(l.merges.len(), 1);
        assert_eq!((l.merges[0].start, l.merges[0].end), ((2, 1), (3, 1)));
    }
}
