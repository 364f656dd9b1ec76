//! A small data file (CSV or .xlsx sheet) read whole into rows of strings with line numbers.

use super::text::{Encoding, decode, read_bytes};
use crate::error::{Error, Location, Result};
use std::path::Path;

/// Rows of a file, each with the line (CSV) or row (xlsx) it came from.
pub struct RawTable {
    /// File name for messages.
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl RawTable {
    /// Column index of a header, or an error listing the headers.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            let hint = crate::suggest::did_you_mean(name, self.header.iter().map(String::as_str));
            Error::data(
                Location::new(&self.file, 1, None),
                format!("no column \"{name}\" in the header ({}){hint}", self.header.join(", ")),
            )
        })
    }
    /// First header present among `names`.
    pub fn first_column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.header.iter().position(|h| h == n))
    }
}

pub fn is_xlsx(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("xlsx" | "xlsm" | "xls" | "ods"))
}

pub fn read_table(path: &Path, label: &str, enc: Encoding, sheet: Option<&str>) -> Result<RawTable> {
    if is_xlsx(path) {
        return read_sheet(path, label, sheet);
    }
    let text = decode(label, read_bytes(path)?, enc)?;
    parse_csv(label, &text)
}

/// Parses CSV text; a file with no header line is an error.
pub fn parse_csv(label: &str, text: &str) -> Result<RawTable> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(label, &e))?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        let fields: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
        if fields.iter().all(String::is_empty) {
            continue; // blank line
        }
        match &header {
            None => header = Some(fields),
            Some(h) => {
                if fields.len() != h.len() {
                    return Err(Error::data(
                        Location::new(label, line, Some(fields.len().min(h.len()) + 1)),
                        format!("row has {} fields but the header has {}", fields.len(), h.len()),
                    ));
                }
                rows.push((line, fields))
            }
        }
    }
    let header = header.ok_or_else(|| Error::data(Location::new(label, 1, None), "file is empty: expected a header line"))?;
    Ok(RawTable { file: label.to_string(), header, rows })
}

pub fn csv_error(label: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "invalid UTF-8; if the file was saved by Excel on Chinese Windows add `encoding = \"gbk\"`".to_string()
        }
        _ => format!("malformed CSV: {e}"),
    };
    Error::data(Location::new(label, line, None), msg)
}

/// The sheet to read: the one asked for, else the first.
pub(super) fn pick_sheet(names: &[String], label: &str, sheet: Option<&str>) -> Result<String> {
    Ok(match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                let hint = crate::suggest::did_you_mean(s, names.iter().map(String::as_str));
                return Err(Error::data(Location::new(label, 1, None), format!("no sheet \"{s}\" (sheets: {}){hint}", names.join(", "))));
            }
            s.to_string()
        }
        None => names.first().cloned().ok_or_else(|| Error::data(Location::new(label, 1, None), "workbook has no sheets"))?,
    })
}

fn read_sheet(path: &Path, label: &str, sheet: Option<&str>) -> Result<RawTable> {
    use calamine::{Reader, open_workbook_auto};
    let is = |ext: &str| path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(ext));
    if is("xlsx") || is("xlsm") {
        return super::xlsx::read(path, label, sheet);
    }
    let mut wb = open_workbook_auto(path).map_err(|e| Error::data(Location::new(label, 1, None), format!("cannot read workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let name = pick_sheet(&names, label, sheet)?;
    let range =
        wb.worksheet_range(&name).map_err(|e| Error::data(Location::new(label, 1, None), format!("cannot read sheet \"{name}\": {e}")))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let label = format!("{label}[{name}]");
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let fields: Vec<String> = row.iter().map(cell_text).collect();
        if fields.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some(fields),
            Some(_) => rows.push((first_row + i + 1, fields)),
        }
    }
    let header = header.ok_or_else(|| Error::data(Location::new(&label, 1, None), "sheet is empty: expected a header row"))?;
    Ok(RawTable { file: label, header, rows })
}

/// A cell as the text a CSV field would hold.
pub fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Int(n) => n.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}
