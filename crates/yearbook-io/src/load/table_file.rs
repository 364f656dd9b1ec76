//! A small data file (CSV or .xlsx sheet) read whole into rows of strings with line
//! numbers: title and unit rows above the header skipped, notes below the table dropped.

use super::text::{Encoding, decode, read_bytes};
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};

/// Rows of a file, each with the line (CSV) or row (xlsx) it came from.
pub struct RawTable {
    /// File name for messages.
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
    /// The line (CSV) or row (xlsx) of the header, 1-based.
    pub header_line: usize,
    /// The unit a unit row above the header named (`单位：万元`).
    pub unit: Option<String>,
    /// Units of other kinds that other unit-row cells name (人口单位：人 beside 金额单位：万元,
    /// [`super::header::Found::more_units`]). Fact files read them as part of [`RawTable::unit`]'s
    /// list ([`RawTable::units_joined`]); record tables keep the first cell's unit for
    /// every column, as before.
    pub more_units: Vec<String>,
    /// The period a title above the header names, with its line and column
    /// ([`super::header::Found::title_period`]).
    pub title_period: Option<(usize, Option<usize>, String)>,
    /// A row of units right under the header (`,,,(万元)`), its cells in the header's
    /// columns; empty when there is none. Fact readers read them as the columns' units
    /// ([`RawTable::units_into_header`]); when one unit stands under every column it
    /// gave, the row stays here beside [`RawTable::unit`]: a table of indicators by column
    /// reads each column's own cell (人均收入 under `(万元)` is in 万元, not 元/人).
    pub units_below: Vec<String>,
    /// Number cells of a workbook that read as a year, a point and 1 (2021.1): (row,
    /// field index, cell name, text). As a period such a number is ambiguous: Excel
    /// stores a typed 2021.10 (October) as the number 2021.1.
    pub year_point_one: Vec<(usize, usize, String, String)>,
    /// Number cells of a workbook formatted as a percent (0.125 shown as 12.5%): (index
    /// into `rows`, field index). Facts read them as the sheet shows them
    /// ([`RawTable::percent_as_shown`]); record tables keep the stored number.
    pub percent: Vec<(usize, usize)>,
    /// Number cells of a workbook (or floating-point cells of a Parquet file) of 16
    /// digits or more (|v| >= 10^15): (line, field index, cell name, text). Excel keeps 15
    /// significant digits of a number, so a code stored so (an 18-digit credit code) has
    /// lost its last digits; [`RawTable::refuse_lost_digits`] refuses them in code columns.
    pub long_numbers: Vec<(usize, usize, String, String)>,
    /// Merged cells of a workbook whose value was copied into the other cells they cover
    /// (a region merged over its rows). Readers refuse a figure copied so
    /// ([`RawTable::refuse_merged_figures`]): one figure would count once per row.
    pub merged: Vec<MergedFill>,
    /// Fields of a CSV file that run over a line break (quoted fields), from the header
    /// down ([`RawTable::refuse_line_breaks`]).
    pub line_breaks: Vec<LineBreak>,
}

/// A merged cell of a workbook below the header and the cells its value was copied into.
#[derive(Debug, Clone)]
pub struct MergedFill {
    /// The range as Excel names it (`B2:B3`).
    pub range: String,
    /// The line (row) and field index of its top-left cell.
    pub line: usize,
    pub field: usize,
    /// The top-left cell's text.
    pub value: String,
    /// The cells it filled: (line, field index).
    pub cells: Vec<(usize, usize)>,
}

/// A CSV field that runs over a line break: a quoted field, or what a stray opening
/// quote makes of the rest of its line and the lines below it.
#[derive(Debug, Clone)]
pub struct LineBreak {
    /// The line the record starts on, and the field's index.
    pub line: usize,
    pub field: usize,
    /// The field's text.
    pub text: String,
    /// Whether the text holds what look like rows of the file
    /// ([`super::csv_lines::holds_rows`]).
    pub rows_like: bool,
    /// Whether it holds whole rows of the file on two lines at least
    /// ([`super::csv_lines::holds_full_rows`]).
    pub full_rows: bool,
    /// How many fields the record holding it has.
    pub width: usize,
}

/// Whether a number cell's value has more digits than a number cell keeps (Excel: 15).
pub fn lost_digits(v: f64) -> bool {
    v.is_finite() && v.abs() >= 1e15
}

/// A number in scientific notation of 16 digits or more (`9.133E+17`, `1E+15`): in a
/// ledger no figure is written so, while Excel writes every long code so (an 18-digit
/// 统一社会信用代码 or 税号 under any header): read as a code whatever its column.
pub fn scientific_long(text: &str) -> bool {
    scientific_code(text)
        && text
            .trim()
            .split_once(['E', 'e'])
            .and_then(|(_, e)| e.strip_prefix('+'))
            .and_then(|e| e.parse::<u32>().ok())
            .is_some_and(|e| e >= 15)
}

/// A code as Excel shows a long number and saves it to CSV: `9.13304E+17`.
fn scientific_code(text: &str) -> bool {
    let Some((mantissa, exp)) = text.trim().split_once(['E', 'e']) else { return false };
    let Some(exp) = exp.strip_prefix('+') else { return false };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    int.len() == 1
        && [int, frac, exp].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && exp.parse::<u32>().is_ok_and(|e| e >= 5)
}

impl RawTable {
    /// Joins [`RawTable::more_units`] into [`RawTable::unit`]'s list (万元、人), for a fact
    /// file, whose indicators each take the unit of their kind.
    pub fn units_joined(&mut self) {
        let more = std::mem::take(&mut self.more_units);
        if let (Some(u), false) = (&mut self.unit, more.is_empty()) {
            *u = std::iter::once(u.as_str()).chain(more.iter().map(String::as_str)).collect::<Vec<_>>().join("、");
        }
    }

    /// Puts the units of the row of units under the header into the header cells above
    /// them (`数值` over `(万元)` reads `数值（万元）`), where a unit written in the header
    /// is read: a fact reader then converts the figures as it does for a header that
    /// carries its unit (77500 under `(万元)` is 7.75 亿元, never 77500 亿元). A header
    /// cell with a unit of its own keeps it; a count word (个) changes nothing. A unit row
    /// above the header of the same kind and another scale (单位：万元 above, (亿元) under
    /// each column) is an error at the row of units: the file does not say which it is in.
    pub fn units_into_header(&mut self) -> Result<()> {
        let below = self.units_below.clone();
        // One unit over every column that gives one (`(亿元)` under each year of a table of
        // periods, or under the value column alone): the table's unit, as 单位：亿元 above
        // the header is; the header cells stay as written (a year stays a year).
        let units: Vec<String> = below.iter().filter(|c| !c.trim().is_empty()).filter_map(|c| super::header::column_unit(c)).collect();
        if let Some(first) = units.first()
            && units.iter().all(|u| u == first)
            && units.len() == below.iter().filter(|c| !c.trim().is_empty()).count()
        {
            match &self.unit {
                None => self.unit = Some(first.clone()),
                Some(above) => {
                    if let Some((other, f)) = super::header::conflicting_units(first, above) {
                        return Err(Error::data(
                            Location::new(&self.file, self.header_line + 1, None),
                            super::header::conflict_message("the row of units under the header", first, &other, f),
                        ));
                    }
                }
            }
            return Ok(());
        }
        self.units_below.clear();
        for (h, cell) in self.header.iter_mut().zip(below) {
            if h.trim().is_empty() || super::wide::split_unit(h).1.is_some() {
                continue;
            }
            if let Some(u) = super::header::column_unit(&cell) {
                *h = format!("{}（{u}）", h.trim());
            }
        }
        Ok(())
    }

    /// Rewrites the percent-formatted number cells as the sheet shows them, with their %
    /// sign (0.125 -> "12.5%"): a % indicator reads 12.5, any other refuses the cell, as
    /// the same text typed into the sheet or written in a CSV.
    pub fn percent_as_shown(&mut self) {
        for &(row, field) in &self.percent {
            if let Some(cell) = self.rows.get_mut(row).and_then(|r| r.1.get_mut(field))
                && let Ok(v) = cell.trim().parse::<f64>()
            {
                *cell = format!("{}%", yearbook_core::kernel::arith::significant(v * 100.0, 15));
            }
        }
        self.percent.clear();
    }
    /// Reads as figures each record-table column (other than those `declared`) whose
    /// header is in % (完成率（%）) and whose cells are percentages (`95.5%`, or a cell the
    /// sheet formats as one, after [`RawTable::percent_as_shown`]) or missing (—, blank):
    /// `95.5%` becomes 95.5. A sheet's 0.955 shown as 95.5% read as 0.955%. Without a % in
    /// the header such a column stays text, refused where used with what to write.
    pub fn percent_columns(&mut self, declared: impl Fn(usize) -> bool) {
        let percent = |c: &str| {
            let c = c.trim();
            (c.ends_with('%') || c.ends_with('％'))
                && yearbook_core::number::parse_value(c.replace('％', "%").as_bytes(), true).is_ok_and(|v| v.number().is_some())
        };
        let missing = |c: &str| {
            let c = c.trim();
            c.is_empty() || yearbook_core::number::parse_value(c.as_bytes(), false).is_ok_and(|v| v.number().is_none())
        };
        let columns: Vec<bool> = (0..self.header.len())
            .map(|f| {
                let cells = || self.rows.iter().filter_map(move |(_, r)| r.get(f).map(String::as_str));
                let in_percent = matches!(super::wide::split_unit(&self.header[f]).1.map(str::trim), Some("%" | "％"));
                in_percent && !declared(f) && cells().any(percent) && cells().all(|c| percent(c) || missing(c))
            })
            .collect();
        for (_, row) in &mut self.rows {
            for (f, cell) in row.iter_mut().enumerate() {
                if columns.get(f).copied().unwrap_or(false) && percent(cell) {
                    *cell = cell.trim().trim_end_matches(['%', '％']).trim().to_string();
                }
            }
        }
    }
    /// A code column holding a number whose digits the file lost is refused at its cell:
    /// a workbook's number cell of 16 digits or more in a column read as text (`text(field)`:
    /// such a number reads as an identifier), or a code Excel wrote to CSV in scientific
    /// notation (9.13304E+17) in a column of codes (`code(field)`: region codes,
    /// 统一社会信用代码, a column typed text). Read as they are, distinct codes would become
    /// one made-up code.
    pub fn refuse_lost_digits(&self, text: impl Fn(usize) -> bool, code: impl Fn(usize, &str) -> bool) -> Result<()> {
        let name = |f: usize| self.header.get(f).map(String::as_str).unwrap_or("");
        let fix = "format the column as text in Excel (设置单元格格式 → 文本, or type ' before each code) and enter the codes again";
        if let Some((line, field, cell, text)) = self.long_numbers.iter().find(|(_, f, _, _)| text(*f)) {
            return Err(Error::data(
                Location::new(&self.file, *line, Some(field + 1)),
                format!(
                    "{cell} in column \"{}\" is a number cell of {} digits ({text}): a number cell keeps only 15 significant \
                     digits, so the code's last digits were lost in the file; {fix}",
                    name(*field),
                    text.trim_start_matches('-').split('.').next().unwrap_or(text).len()
                ),
            ));
        }
        for (line, row) in &self.rows {
            if let Some((field, text)) = row.iter().enumerate().find(|(f, t)| scientific_code(t) && code(*f, t)) {
                return Err(Error::data(
                    Location::new(&self.file, *line, Some(field + 1)),
                    format!(
                        "\"{text}\" in column \"{}\" is a code written as a number in scientific notation (Excel shows a long \
                         number so and saves it so to CSV): its digits were lost in the file; {fix}, then save the CSV again",
                        name(field)
                    ),
                ));
            }
        }
        Ok(())
    }
    /// A merged cell whose one value was copied into cells of figures (`figure(field)`:
    /// a fact's value column, a wide table's period columns, a record table's column of
    /// numbers) is refused at its top-left cell, naming the range: read so, one figure
    /// given for two rows (甲乙两镇合报) would count once for each. Key columns (a region
    /// merged over its rows, a year over its columns) stay filled.
    pub fn refuse_merged_figures(&self, figure: impl Fn(usize) -> bool) -> Result<()> {
        // A merged missing symbol (—) or blank is no figure: filling it down counts nothing.
        let number = |v: &str| yearbook_core::number::parse_value(v.trim().as_bytes(), false).is_ok_and(|v| v.number().is_some());
        let Some(m) = self.merged.iter().find(|m| number(&m.value) && m.cells.iter().any(|&(_, f)| figure(f))) else { return Ok(()) };
        // The merged cell's own column where it is one of figures (C2:D2 is in C).
        let field = if figure(m.field) { m.field } else { m.cells.iter().map(|&(_, f)| f).find(|&f| figure(f)).unwrap_or(m.field) };
        let name = self.header.get(field).map(String::as_str).unwrap_or("");
        let rows = m.cells.iter().map(|&(l, _)| l).chain([m.line]).collect::<std::collections::BTreeSet<_>>().len();
        let cols = m.cells.iter().map(|&(_, f)| f).chain([m.field]).collect::<std::collections::BTreeSet<_>>().len();
        let (over, fix) = match (rows, cols) {
            (r, 1) => (format!("{r} rows"), "give each row its own figure (split it between them), or give the rows it covers as one row"),
            (1, c) => (format!("{c} columns"), "give each column its own figure"),
            (r, c) => (format!("{r} rows and {c} columns"), "give each cell its own figure"),
        };
        let cell = m.range.split(':').next().unwrap_or(&m.range);
        let times = m.cells.iter().filter(|&&(_, f)| figure(f)).count() + usize::from(figure(m.field));
        Err(Error::data(
            Location::new(&self.file, m.line, Some(m.field + 1)),
            format!(
                "cell {cell} is merged over {} ({over}) in column \"{name}\", a column of figures: its one figure ({}) would be \
                 read into each cell it covers and counted {times} times; unmerge {} and {fix}",
                m.range, m.value, m.range
            ),
        ))
    }
    /// A field that runs over a line break where a fact's field never does (`key(field)`:
    /// region, period, indicator, value, flag and unit columns), or that holds what look
    /// like rows of the file in any column, is refused at its line and column: a stray
    /// opening quote has swallowed the lines below it, facts and all.
    pub fn refuse_line_breaks(&self, key: impl Fn(usize) -> bool) -> Result<()> {
        let figures = self.figure_cells();
        match self
            .line_breaks
            .iter()
            .find(|b| b.rows_like || self.holds_typed_row(b, &figures) || (key(b.field) && b.line != self.header_line))
        {
            Some(b) => Err(self.unclosed_quote(b, "facts")),
            None => Ok(()),
        }
    }
    /// A field that holds what look like rows of the file (a record table's note may run
    /// over lines; rows of the file in it are a stray quote's doing) is refused, saying
    /// what the lost rows hold (`records`, `regions`). With `strict` (a record table),
    /// only whole rows on two lines at least count: a closed note with ASCII commas
    /// (`道路, 桥梁, 管网`) is read. Either way, one line swallowed that reads as a row of
    /// the file, its figures where the other rows have theirs, is refused
    /// ([`RawTable::holds_typed_row`]), whatever the width: `100,"项目A⏎200,项目B"` in a
    /// file of two columns lost the record of 200.
    ///
    /// With `strict`, a swallowed line is also read by the shapes its columns have in the
    /// other rows ([`super::csv_lines::shaped_row`]): `P002,项目B` under `编号,项目名称`
    /// (codes P001, P003), `2023-02-01,项目B` under a column of dates, is refused too.
    pub fn refuse_swallowed_rows(&self, lost: &str, strict: bool) -> Result<()> {
        let figures = self.figure_cells();
        let shapes = if strict { self.column_shapes() } else { Vec::new() };
        let typed = |b: &LineBreak| {
            strict && b.line > self.header_line && super::csv_lines::shaped_row(&b.text, b.field, &shapes).is_some_and(|(_, e)| e)
        };
        match self
            .line_breaks
            .iter()
            .find(|b| (if strict { b.full_rows } else { b.rows_like }) || self.holds_typed_row(b, &figures) || typed(b))
        {
            Some(b) => Err(self.unclosed_quote(b, lost)),
            None => Ok(()),
        }
    }
    /// The warnings of a record table's fields over lines whose next line reads like a
    /// row of the file by nothing but its width ([`super::csv_lines::shaped_row`]: free
    /// text in every column): a stray quote may have swallowed it, and nothing in the
    /// cells can tell. Each names the field's line and column and the line.
    /// Codes that Excel saved as numbers (`330421101201.0` in a column whose header names
    /// an identifier: 代码, 编码, 序号, code, id): read as the code they spell
    /// (`330421101201`), so that they group and join with the same code written as text
    /// (they made a group of their own). One warning per column, at its first such cell.
    /// Not in a column of dotted codes (编号 `1.1`, `1.10`, `2.0`): its `2.0` is a code.
    pub fn read_codes_saved_as_numbers(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for f in 0..self.header.len() {
            if !yearbook_core::table::is_identifier_header(&self.header[f]) {
                continue;
            }
            // A column of dotted codes (编号 1.1, 1.10, 2.0) keeps every code as written:
            // only where each code with a point has a zero fraction is it a number Excel saved.
            let dotted = self
                .rows
                .iter()
                .any(|(_, row)| row.get(f).is_some_and(|cell| cell.trim().contains('.') && code_saved_as_number(cell).is_none()));
            if dotted {
                continue;
            }
            let mut first: Option<(usize, String, String)> = None;
            let mut count = 0usize;
            for (line, row) in self.rows.iter_mut() {
                let Some(cell) = row.get_mut(f) else { continue };
                let Some(code) = code_saved_as_number(cell) else { continue };
                count += 1;
                if first.is_none() {
                    first = Some((*line, cell.trim().to_string(), code.clone()));
                }
                *cell = code;
            }
            if let Some((line, was, code)) = first {
                let more = if count > 1 { format!(" and {} more", count - 1) } else { String::new() };
                out.push(format!(
                    "{}:{line}:{}: column {}: {was}{more} read as the code{} {code}{}: Excel saved the code as a number; \
                     format the column as text in Excel to keep codes as written",
                    self.file,
                    f + 1,
                    self.header[f],
                    if count > 1 { "s they spell, as" } else { " it spells," },
                    if count > 1 { " for the first" } else { "" },
                ));
            }
        }
        out
    }

    pub fn swallowed_row_warnings(&self) -> Vec<String> {
        if self.line_breaks.is_empty() {
            return Vec::new();
        }
        let shapes = self.column_shapes();
        self.line_breaks
            .iter()
            .filter(|b| b.line > self.header_line)
            .filter_map(|b| {
                let (row, _) = super::csv_lines::shaped_row(&b.text, b.field, &shapes)?;
                let name = self.header.get(b.field).map(String::as_str).unwrap_or("");
                let breaks = b.text.trim_end_matches(['\n', '\r']).matches('\n').count().max(1);
                let over = if breaks == 1 { "a line break".to_string() } else { format!("{breaks} line breaks") };
                Some(format!(
                    "{}:{}:{}: the quoted field in column {name} runs over {over} and its next line reads like a row ({}): check \
                     for a missing closing quote",
                    self.file,
                    b.line,
                    b.field + 1,
                    row.trim()
                ))
            })
            .collect()
    }
    /// The shape of each column's cells ([`super::csv_lines::learn_shape`]) in the rows
    /// below the header, the fields over lines not looked at.
    fn column_shapes(&self) -> Vec<super::csv_lines::Shape> {
        (0..self.header.len())
            .map(|c| {
                super::csv_lines::learn_shape(
                    self.rows.iter().filter_map(|(_, r)| r.get(c)).map(String::as_str).filter(|x| !x.contains(['\n', '\r'])),
                )
            })
            .collect()
    }
    /// Whether a field over lines swallowed a row of the file
    /// ([`super::csv_lines::holds_typed_row`]), given the columns of figures
    /// ([`RawTable::figure_cells`]).
    fn holds_typed_row(&self, b: &LineBreak, figures: &[bool]) -> bool {
        b.line > self.header_line && super::csv_lines::holds_typed_row(&b.text, b.width, |c| figures.get(c).copied().unwrap_or(false))
    }
    /// The columns whose rows below the header hold figures: every cell a figure, a
    /// missing symbol or blank, and one a figure at least; a field over lines (what a
    /// stray quote swallowed) is not looked at. Empty when no field runs over lines.
    fn figure_cells(&self) -> Vec<bool> {
        if self.line_breaks.is_empty() {
            return Vec::new();
        }
        let width = self.rows.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
        let (mut figure, mut other) = (vec![false; width], vec![false; width]);
        for (_, r) in &self.rows {
            for (c, x) in r.iter().enumerate() {
                let x = x.trim();
                if x.is_empty() || x.contains(['\n', '\r']) {
                    continue;
                }
                match yearbook_core::number::parse_value(x.as_bytes(), false) {
                    Ok(v) => figure[c] |= v.number().is_some(),
                    Err(_) => other[c] = true,
                }
            }
        }
        figure.iter().zip(&other).map(|(f, o)| *f && !o).collect()
    }
    fn unclosed_quote(&self, b: &LineBreak, lost: &str) -> Error {
        let name = self.header.get(b.field).map(String::as_str).unwrap_or("");
        Error::data(Location::new(&self.file, b.line, Some(b.field + 1)), super::csv_lines::unclosed_quote_of(name, &b.text, lost))
    }
    /// Column index of a header, or an error listing the headers.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            let hint = yearbook_core::suggest::did_you_mean(name, self.header.iter().map(String::as_str).filter(|h| !h.is_empty()));
            Error::data(
                Location::new(&self.file, self.header_line, None),
                format!("no column \"{name}\" in the header ({}){hint}{}", self.header.join(", "), header_hint(self.header_line)),
            )
        })
    }
}

/// A Parquet file, by its extension (`.parquet`, `.pq`).
pub fn is_parquet(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("parquet" | "pq"))
}

/// A Parquet file as a table of text; without the `parquet` feature, a message saying
/// how to get it.
fn read_parquet(path: &Path, label: &str) -> Result<RawTable> {
    #[cfg(feature = "parquet")]
    return super::parquet_file::read_table(path, label);
    #[cfg(not(feature = "parquet"))]
    {
        let _ = path;
        Err(Error::data(
            Location::new(label, 1, None),
            "this yearbook was built without Parquet support: build it with the `parquet` feature (on by default), or save the file as CSV",
        ))
    }
}

pub fn is_xlsx(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("xlsx" | "xlsm" | "xls" | "ods"))
}

/// What to say after "no column": where the header was read, and how to point at another row.
pub fn header_hint(line: usize) -> String {
    format!(" (header read from row {line}; if it is on another row, set `header_row = N` in this file's entry)")
}

pub fn read_table(path: &Path, label: &str, enc: Encoding, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    if is_xlsx(path) {
        return read_sheet(path, label, sheet, header_row);
    }
    if is_parquet(path) {
        return read_parquet(path, label);
    }
    let text = decode(label, super::text::lone_cr_to_lf(read_bytes(path)?), enc)?;
    refuse_other_separator(label, &text)?;
    // Swallowed rows are refused by the callers, who know what the rows hold.
    parse_csv_at(label, &text, header_row)
}

/// Parses CSV text whose header is its first non-blank line.
pub fn parse_csv(label: &str, text: &str) -> Result<RawTable> {
    parse_csv_at(label, text, Some(0))
}

/// The line of the header of CSV text as the table reader finds it (below title and
/// unit rows), None when the text has no rows; nothing else is checked. A unit row
/// above it that cannot be read is the table reader's error to give (at its cell):
/// `Some(usize::MAX)`, a header past the first line.
pub fn header_line(label: &str, text: &str) -> Option<usize> {
    let (all, _) = rows_of(label, text).ok()?;
    let cells = nonempty_cells(&all);
    match super::header::find(label, &cells, None, &|_, _| None) {
        Ok(found) => cells.get(found.header).map(|(l, _)| *l),
        Err(_) => Some(usize::MAX),
    }
}

/// Rows of a file with their lines.
type Rows = Vec<(usize, Vec<String>)>;

/// The rows of CSV text with their lines, every field unformula'd; blank rows left out.
/// With them, the fields that run over a line break.
fn rows_of(label: &str, text: &str) -> Result<(Rows, Vec<LineBreak>)> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines = super::csv_lines::TextLines::new(text.as_bytes());
    let mut all = Vec::new();
    let mut breaks = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(label, &e, &mut lines))?;
        let line = rec.position().map(|p| lines.line(p)).unwrap_or(0);
        let fields: Vec<String> = rec.iter().map(unformula).collect();
        if fields.iter().all(String::is_empty) {
            continue; // blank line
        }
        for (field, text) in rec.iter().enumerate().filter(|(_, f)| f.contains(['\n', '\r'])) {
            let rows_like = super::csv_lines::holds_rows(text, fields.len());
            let full_rows = super::csv_lines::holds_full_rows(text, fields.len());
            breaks.push(LineBreak { line, field, text: text.to_string(), rows_like, full_rows, width: fields.len() });
        }
        all.push((line, fields));
    }
    Ok((all, breaks))
}

/// CSV text whose first lines hold tabs or semicolons between what would be its columns
/// and no commas is tab- or semicolon-separated (Excel's 文本文件（制表符分隔）, a CSV saved
/// where the list separator is `;`): refused at its first such line, with how to save it
/// as CSV. Such a line and the next (if any) split into as many cells; a title row above
/// a comma-separated header is no such line.
pub(crate) fn refuse_other_separator(label: &str, text: &str) -> Result<()> {
    let lines: Vec<(usize, &str)> =
        text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).take(20).map(|(i, l)| (i + 1, l)).collect();
    // The next line may hold a comma inside a cell (1,234).
    let pieces = |line: &str, sep: char| line.split(sep).filter(|c| !c.trim().is_empty()).count();
    for (k, &(line, text)) in lines.iter().enumerate() {
        if text.contains(',') {
            return Ok(());
        }
        for (sep, what) in [('\t', "tab"), (';', "semicolon")] {
            let n = pieces(text, sep);
            if n >= 2 && lines.get(k + 1).is_none_or(|&(_, next)| pieces(next, sep) == n) {
                return Err(Error::data(
                    Location::new(label, line, None),
                    format!(
                        "this line holds {what}s and no commas: the file is {what}-separated, and yearbook reads comma-separated \
                         CSV; save it as \"CSV UTF-8\" (Excel: 另存为 > CSV UTF-8（逗号分隔）) or as .xlsx"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Each row's non-empty cells, as the header search reads them.
fn nonempty_cells(all: &[(usize, Vec<String>)]) -> Vec<(usize, Vec<&str>)> {
    all.iter().map(|(l, r)| (*l, r.iter().map(String::as_str).filter(|c| !c.is_empty()).collect())).collect()
}

/// Parses CSV text; the header is the line `header_row` (0: the first non-blank line),
/// or found below title and unit rows when `None`. A file with no header is an error.
pub fn parse_csv_at(label: &str, text: &str, header_row: Option<usize>) -> Result<RawTable> {
    let (mut all, breaks) = rows_of(label, text)?;
    if all.is_empty() {
        return Err(Error::data(Location::new(label, 1, None), "file is empty: expected a header line"));
    }
    let found = match header_row {
        Some(0) => super::header::Found { header: 0, notes: None, unit: None, more_units: Vec::new(), title_period: None },
        _ => {
            let cells = nonempty_cells(&all);
            // The column of a row's nth non-empty cell.
            let column = |row: usize, n: usize| {
                all.get(row).and_then(|(_, r)| r.iter().enumerate().filter(|(_, c)| !c.is_empty()).nth(n).map(|(i, _)| i + 1))
            };
            let found = super::header::find(label, &cells, header_row, &column)?;
            super::header::check_below_notes(label, &cells, &found)?;
            found
        }
    };
    let end = found.notes.unwrap_or(all.len());
    let mut body = all.drain(found.header..end);
    let (header_line, mut header) = body.next().expect("the header is within the rows");
    let mut rows = Vec::new();
    for (line, mut fields) in body {
        if fields.len() > header.len() && fields[header.len()..].iter().all(String::is_empty) {
            fields.truncate(header.len());
        }
        if fields.len() != header.len() {
            return Err(Error::data(
                Location::new(label, line, Some(fields.len().min(header.len()) + 1)),
                format!("row has {} fields but the header has {}", fields.len(), header.len()),
            ));
        }

        rows.push((line, fields))
    }
    let units_below = if header_row != Some(0) { super::header::absorb_second_row(&mut header, &mut rows, false) } else { Vec::new() };
    // A cell under the empty header cells at the header's end (after a second header row
    // has filled those it spans). A header naming one column is no header (a unit row
    // taken for one), which the readers refuse as such.
    let named = super::facts::named_columns(&header);
    if named >= 2 {
        for (line, fields) in &rows {
            if let Some((col, message)) = super::facts::unnamed_cell(named, fields) {
                return Err(Error::data(Location::new(label, *line, Some(col)), message));
            }
        }
    }
    // A figure an unquoted thousands comma parted into the column of notes after it
    // (`amount,备注` with `1,234`): 1 was summed and 234 taken for a note.
    // Only a column named for notes: a column of figures with a word in it (用地面积 with
    // 待定, 进度 with 在建) holds 120 beside 50 as figures.
    let marks: Vec<usize> = (1..header.len()).filter(|&c| super::facts::holds_marks(&header[c])).collect();
    for (line, fields) in &rows {
        for &c in &marks {
            if let Some(message) = super::facts::thousands_parted(fields[c - 1].trim().as_bytes(), fields[c].trim().as_bytes()) {
                return Err(Error::data(Location::new(label, *line, Some(c + 1)), message));
            }
        }
    }
    let read: std::collections::HashSet<usize> = rows.iter().map(|(l, _)| *l).chain([header_line]).collect();
    let line_breaks = breaks.into_iter().filter(|b| read.contains(&b.line)).collect();
    Ok(RawTable {
        file: label.to_string(),
        header,
        rows,
        header_line,
        unit: found.unit,
        more_units: found.more_units,
        title_period: found.title_period,
        units_below,
        year_point_one: Vec::new(),
        percent: Vec::new(),
        long_numbers: Vec::new(),
        merged: Vec::new(),
        line_breaks,
    })
}

/// A field trimmed; `="001"` and `'001`, how exports keep Excel from dropping leading
/// zeros (a formula giving text, Excel's text prefix), are the text inside: `'001` was
/// kept with its apostrophe, so `seq == "001"` matched nothing and a credit code written
/// both ways made two groups. The apostrophe goes only before a code (letters and digits
/// with a digit among them), never from words (`'s`).
fn unformula(field: &str) -> String {
    let f = field.trim();
    if let Some(code) = f.strip_prefix('\'')
        && !code.is_empty()
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && code.bytes().any(|b| b.is_ascii_digit())
    {
        return code.to_string();
    }
    match f.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => inner.to_string(),
        _ => f.to_string(),
    }
}

pub fn csv_error(label: &str, e: &csv::Error, lines: &mut super::csv_lines::TextLines) -> Error {
    let line = e.position().map(|p| lines.line(p)).unwrap_or(1);
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "invalid UTF-8; if the file was saved by Excel on Chinese Windows add `encoding = \"gbk\"`".to_string()
        }
        _ => format!("malformed CSV: {e}"),
    };
    Error::data(Location::new(label, line, None), msg)
}

/// Whether a sheet name is a pattern (`2020*`, `表?`): `*` any text, `?` one character.
pub fn is_pattern(sheet: &str) -> bool {
    sheet.contains(['*', '?'])
}

/// Whether `name` matches the pattern (dynamic programming: no backtracking blow-up).
pub fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // ok[j]: the pattern so far matches the first j characters of the name.
    let mut ok = vec![false; n.len() + 1];
    ok[0] = true;
    for &c in &p {
        let mut next = vec![false; n.len() + 1];
        for j in 0..=n.len() {
            next[j] = match c {
                '*' => ok[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && ok[j - 1],
                c => j > 0 && ok[j - 1] && n[j - 1] == c,
            };
        }
        ok = next;
    }
    ok[n.len()]
}

/// The sheets of a workbook whose names match `pattern`, in workbook order, hidden ones
/// left out (a stale copy or a template kept out of sight); none is an error listing the
/// sheets.
pub fn matching_sheets(path: &Path, label: &str, pattern: &str) -> Result<Vec<String>> {
    use calamine::{Reader, open_workbook_auto};
    // Opening an .xlsx reads its shared strings, reserving room for the count they declare.
    super::xlsx::shared_strings_fit(path).map_err(|m| Error::data(Location::new(label, 1, None), m))?;
    let wb = open_workbook_auto(path).map_err(|e| Error::data(Location::new(label, 1, None), format!("cannot read workbook: {e}")))?;
    let sheets = wb.sheets_metadata().to_vec();
    let found: Vec<String> =
        sheets.iter().filter(|s| s.visible == calamine::SheetVisible::Visible && glob(pattern, &s.name)).map(|s| s.name.clone()).collect();
    if found.is_empty() {
        return Err(Error::data(
            Location::new(label, 1, None),
            format!("no visible sheet matches \"{pattern}\" (sheets: {})", listed(&sheets)),
        ));
    }
    Ok(found)
}

/// The sheets' names, hidden ones marked (`旧 (hidden)`).
fn listed(sheets: &[calamine::Sheet]) -> String {
    let name = |s: &calamine::Sheet| match s.visible {
        calamine::SheetVisible::Visible => s.name.clone(),
        _ => format!("{} (hidden)", s.name),
    };
    sheets.iter().map(name).collect::<Vec<_>>().join(", ")
}

/// The sheet to read: the one asked for, else the first visible one. A hidden sheet
/// (a stale copy, a template with 示例 figures) was read when it came first, giving its
/// figures silently; it is read only when named.
pub(super) fn pick_sheet(sheets: &[calamine::Sheet], label: &str, sheet: Option<&str>) -> Result<String> {
    Ok(match sheet {
        Some(s) => {
            if !sheets.iter().any(|n| n.name == s) {
                let hint = yearbook_core::suggest::did_you_mean(s, sheets.iter().map(|n| n.name.as_str()));
                return Err(Error::data(Location::new(label, 1, None), format!("no sheet \"{s}\" (sheets: {}){hint}", listed(sheets))));
            }
            s.to_string()
        }
        None => match sheets.iter().find(|s| s.visible == calamine::SheetVisible::Visible) {
            Some(s) => s.name.clone(),
            None if sheets.is_empty() => return Err(Error::data(Location::new(label, 1, None), "workbook has no sheets")),
            None => {
                return Err(Error::data(
                    Location::new(label, 1, None),
                    format!("every sheet is hidden (sheets: {}): name the one to read with sheet = \"...\"", listed(sheets)),
                ));
            }
        },
    })
}

/// A workbook's sheet: .xls and .ods through their readers, .xlsx and .xlsm through the
/// .xlsx one; all three read cells as shown ([`super::sheet::SheetCells`]).
fn read_sheet(path: &Path, label: &str, sheet: Option<&str>, header_row: Option<usize>) -> Result<RawTable> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xls") => super::xls::read(path, label, sheet, header_row),
        Some("ods") => super::ods::read(path, label, sheet, header_row),
        _ => super::xlsx::read(path, label, sheet, header_row),
    }
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
        // A date cell (a period column formatted as dates) as its calendar date.
        Data::DateTime(d) if !d.is_duration() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_cells_read_as_dates() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        // 43891 is 2020-03-01 in Excel's 1900 date system.
        assert_eq!(super::cell_text(&Data::DateTime(ExcelDateTime::new(43891.0, ExcelDateTimeType::DateTime, false))), "2020-03-01");
        assert_eq!(super::cell_text(&Data::DateTimeIso("2020-03-01T00:00:00".into())), "2020-03-01");
        assert_eq!(super::cell_text(&Data::Float(330421101201.0)), "330421101201");
    }
    #[test]
    fn sheet_patterns() {
        use super::glob;
        assert!(glob("20*", "2020年") && glob("*", "") && glob("表?", "表1") && glob("a**b", "axxb"));
        assert!(!glob("表?", "表10") && !glob("20*", "说明") && !glob("x", "xy"));
        assert!(glob(&"*a".repeat(40), &"a".repeat(2000)) && !glob(&format!("{}b", "*a".repeat(40)), &"a".repeat(2000)));
    }
}

/// The code a cell spells when Excel saved it as a number with a zero fraction
/// (`330421101201.0`, `7.00`): its digits before the point; None for any other cell.
fn code_saved_as_number(cell: &str) -> Option<String> {
    let t = cell.trim();
    let (whole, frac) = t.split_once('.')?;
    (!whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && !frac.is_empty() && frac.bytes().all(|b| b == b'0'))
        .then(|| whole.to_string())
}

#[cfg(test)]
mod code_tests {
    #[test]
    fn only_whole_numbers_with_a_zero_fraction_are_codes_saved_as_numbers() {
        for (cell, code) in [("330421101201.0", Some("330421101201")), (" 7.00 ", Some("7")), ("001.0", Some("001"))] {
            assert_eq!(super::code_saved_as_number(cell).as_deref(), code, "{cell}");
        }
        for cell in ["330421101201", "1.5", "1.", ".0", "-1.0", "3.3e11", "1.0a", ""] {
            assert_eq!(super::code_saved_as_number(cell), None, "{cell}");
        }
    }
}
