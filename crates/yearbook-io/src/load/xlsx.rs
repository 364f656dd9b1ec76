//! .xlsx sheets read cell by cell: memory follows the cells that hold values, not the
//! sheet's declared dimension (one stray cell at XFD1048576 must not ask for 512 GiB).

use super::sheet::{NumFmt, SheetCells};
use super::table_file::{RawTable, pick_sheet};
use calamine::{Data, Dimensions, Reader, Xlsx, open_workbook};
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};

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
pub(super) fn shared_strings_fit(path: &Path) -> std::result::Result<(), String> {
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
    let formats = cells
        .styles()
        .iter()
        .map(|s| s.number_format.as_ref().map(|f| NumFmt { code: f.format_code.clone(), id: f.format_id }))
        .collect::<Vec<_>>();
    let mut read = SheetCells::new(formats);
    loop {
        let (cell, style) = match cells.next_cell_with_style_id() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(Error::data(Location::new(&file, 1, None), format!("cannot read sheet \"{name}\": {e}"))),
        };
        let (r, c) = cell.get_position();
        read.cell(r, c, Data::from(cell.get_value().clone()), style);
    }
    drop(cells);
    let saw_empty = read.saw_empty();
    read.finish(file.clone(), &merges, header_row, |b| {
        // A formula whose result the file does not hold (written by a program, never
        // opened in Excel) reads as an empty cell: a figure silently missing. Refused at
        // its cell. Most sheets have no empty cell and skip this second reading.
        if saw_empty && let Ok(mut formulas) = wb.worksheet_cells_reader(&name) {
            while let Ok(Some(f)) = formulas.next_cell_with_formula() {
                let (r, c) = f.pos;
                // No stored value at all (an empty string is a stored result: IF(...,"",...)).
                let unsaved = f.formula.as_deref().is_some_and(|t| !t.is_empty()) && matches!(f.value, calamine::DataRef::Empty);
                if unsaved && (b.head_r..=b.last_row).contains(&r) && (b.first_col..=b.last_col).contains(&c) {
                    return Err(super::sheet::unsaved_formula(&file, r, c, b.first_col, &f.formula.unwrap_or_default()));
                }
            }
        }
        Ok(())
    })
}
