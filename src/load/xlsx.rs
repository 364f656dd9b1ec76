//! .xlsx sheets read cell by cell: memory follows the cells that hold values, not the
//! sheet's declared dimension (one stray cell at XFD1048576 must not ask for 512 GiB).

use super::table_file::{RawTable, cell_text, pick_sheet};
use crate::error::{Error, Location, Result};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// Reads a sheet: the first row with values is the header; columns run from the first
/// column holding a value to the header's last. A value right of the header is an error
/// naming its cell.
pub fn read(path: &Path, label: &str, sheet: Option<&str>) -> Result<RawTable> {
    let at = |line: usize, col: Option<usize>| Location::new(label, line, col);
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| Error::data(at(1, None), format!("cannot read workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let name = pick_sheet(&names, label, sheet)?;
    let file = format!("{label}[{name}]");
    let mut cells = wb.worksheet_cells_reader(&name).map_err(|e| Error::data(at(1, None), format!("cannot read sheet \"{name}\": {e}")))?;
    let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(Error::data(Location::new(&file, 1, None), format!("cannot read sheet \"{name}\": {e}"))),
        };
        let (r, c) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if !text.is_empty() {
            by_row.entry(r).or_default().push((c, text));
        }
    }
    let Some(first_col) = by_row.values().flatten().map(|(c, _)| *c).min() else {
        return Err(Error::data(Location::new(&file, 1, None), "sheet is empty: expected a header row"));
    };
    let mut rows_iter = by_row.into_iter();
    let (_, head) = rows_iter.next().expect("a cell was found");
    let last_col = head.iter().map(|(c, _)| *c).max().unwrap_or(first_col);
    let width = (last_col - first_col + 1) as usize;
    let place = |cells: Vec<(u32, String)>, row: u32| -> Result<Vec<String>> {
        let mut fields = vec![String::new(); width];
        for (c, text) in cells {
            if c > last_col {
                return Err(Error::data(
                    Location::new(&file, row as usize + 1, Some((c - first_col) as usize + 1)),
                    format!(
                        "a value ({text:?}) in column {} lies right of the header, which ends at column {}: delete the stray cell or give it a header",
                        column_name(c),
                        column_name(last_col)
                    ),
                ));
            }
            fields[(c - first_col) as usize] = text;
        }
        Ok(fields)
    };
    let header = place(head, 0)?;
    let mut rows = Vec::new();
    for (r, cells) in rows_iter {
        rows.push((r as usize + 1, place(cells, r)?));
    }
    Ok(RawTable { file, header, rows })
}

/// Spreadsheet column letters: 0 -> A, 16383 -> XFD.
fn column_name(c: u32) -> String {
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
    #[test]
    fn column_letters() {
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(16383), "XFD");
    }
}
