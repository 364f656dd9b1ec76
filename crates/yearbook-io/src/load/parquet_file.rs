//! Parquet files, as DuckDB, pandas/pyarrow and Polars write them: flat tables of text,
//! integers, floats and decimals. Facts are read row group by row group on all cores
//! straight into the panel (a value stays an `f64`, never text); regions, indicators,
//! record tables and wide fact tables go through the table reader as CSV does, every
//! cell as text. A place in a Parquet file is its row (1 = the first row) and column.

use super::facts::{BlockCache, FactColumns, FieldError, PanelBuilder, SourceIndicators};
use super::parquet_text::{TextColumn, read_text};
use super::table_file::RawTable;
use parquet::basic::{ConvertedType, LogicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use parquet::schema::types::ColumnDescriptor;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::period::spelling::PeriodOptions;

/// Values read per call from a column chunk.
const BATCH: usize = 64 * 1024;

/// A distinct period not (yet) resolved to a bare year's ordinal.
const UNSET: i32 = i32::MIN;

/// The values of one column of a row group, nulls left out.
enum Values {
    Text(Vec<ByteArray>),
    Float(Vec<f64>),
    Int(Vec<i64>),
    Bool(Vec<bool>),
}

/// One column of a row group: its values, and for a column with nulls where each row's
/// value is (`u32::MAX`: null).
struct Cells {
    values: Values,
    index: Option<Vec<u32>>,
}

impl Cells {
    /// Where row `r`'s value is in `values`, None when it is null.
    fn at(&self, r: usize) -> Option<usize> {
        match &self.index {
            None => Some(r),
            Some(ix) => (ix[r] != u32::MAX).then_some(ix[r] as usize),
        }
    }

    /// Row `r`'s value as a number when the column holds numbers (None: it does not;
    /// Some(None): the row is null).
    fn number(&self, r: usize) -> Option<Option<f64>> {
        let k = self.at(r);
        match &self.values {
            Values::Float(v) => Some(k.map(|k| v[k])),
            Values::Int(v) => Some(k.map(|k| v[k] as f64)),
            _ => None,
        }
    }

    /// Row `r` as the bytes of a text field (a region, period or indicator), numbers
    /// spelled once per distinct value in `spelled`; empty when null.
    fn field<'a>(&'a self, r: usize, spelled: &'a NumberTexts) -> &'a [u8] {
        let Some(k) = self.at(r) else { return b"" };
        match &self.values {
            Values::Text(v) => v[k].data(),
            Values::Int(v) => spelled.int(v[k]),
            Values::Float(v) => spelled.float(v[k]),
            Values::Bool(v) => {
                if v[k] {
                    b"true"
                } else {
                    b"false"
                }
            }
        }
    }

    /// Row `r` as text (numbers as Rust prints them: shortest round trip).
    fn text(&self, r: usize) -> std::result::Result<String, String> {
        let Some(k) = self.at(r) else { return Ok(String::new()) };
        Ok(match &self.values {
            Values::Text(v) => std::str::from_utf8(v[k].data()).map_err(|_| "text is not valid UTF-8".to_string())?.to_string(),
            Values::Float(v) => v[k].to_string(),
            Values::Int(v) => v[k].to_string(),
            Values::Bool(v) => v[k].to_string(),
        })
    }
}

fn open(path: &Path, label: &str) -> Result<SerializedFileReader<std::fs::File>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    SerializedFileReader::new(file).map_err(|e| Error::data(Location::new(label, 1, None), format!("not a readable Parquet file: {e}")))
}

/// The file's columns: their names, refused when nested (lists, structs).
fn columns(reader: &SerializedFileReader<std::fs::File>, label: &str) -> Result<Vec<String>> {
    let schema = reader.metadata().file_metadata().schema_descr();
    let mut names = Vec::with_capacity(schema.num_columns());
    for i in 0..schema.num_columns() {
        let c = schema.column(i);
        if c.max_rep_level() > 0 || c.path().parts().len() > 1 {
            return Err(Error::data(
                Location::new(label, 1, Some(i + 1)),
                format!("column `{}` is nested (a list or struct): yearbook reads flat tables; flatten it first", c.path()),
            ));
        }
        // As a CSV header is read: " flag" is the flag column.
        names.push(c.name().trim().to_string());
    }
    Ok(names)
}

/// A column chunk's values (nulls left out) and, for a column with nulls, where each
/// row's value is (`u32::MAX`: null).
type Chunk<V> = (Vec<V>, Option<Vec<u32>>);

/// Buffers a worker keeps between row groups, so that each row group's columns do not
/// take (and fault in) fresh memory: the float values, definition levels and null index.
#[derive(Default)]
struct Scratch {
    floats: Vec<f64>,
    defs: Vec<i16>,
    index: Vec<u32>,
}

impl Scratch {
    /// Takes back the buffers of a column read with them.
    fn keep(&mut self, cells: Cells) {
        if let Values::Float(mut v) = cells.values {
            v.clear();
            self.floats = v;
        }
        if let Some(mut ix) = cells.index {
            ix.clear();
            self.index = ix;
        }
    }
}

/// Reads every value of a column chunk of `rows` rows into `values` (cleared first), and
/// for a column with nulls where each row's value is (into `index`).
fn read_all<T: DataType>(
    r: &mut ColumnReaderImpl<T>,
    rows: usize,
    max_def: i16,
    mut values: Vec<T::T>,
    defs: &mut Vec<i16>,
    mut index: Vec<u32>,
) -> std::result::Result<Chunk<T::T>, String> {
    values.clear();
    defs.clear();
    index.clear();
    values.reserve(rows.min(1 << 24));
    if max_def > 0 {
        defs.reserve(rows.min(1 << 24));
    }
    let mut read = 0;
    while read < rows {
        let (n, _, _) = r
            .read_records((rows - read).min(BATCH), (max_def > 0).then_some(&mut *defs), None, &mut values)
            .map_err(super::parquet_text::column_error)?;
        if n == 0 {
            break;
        }
        read += n;
    }
    if read != rows {
        return Err(format!("the column has {read} rows where the row group has {rows}"));
    }
    // Every row has a value (an optional column without nulls, as DuckDB writes them):
    // no index to look through.
    if max_def == 0 || values.len() == rows {
        return Ok((values, None));
    }
    let mut next = 0u32;
    index.extend(defs.iter().map(|&d| {
        if d == max_def {
            next += 1;
            next - 1
        } else {
            u32::MAX
        }
    }));
    if next as usize != values.len() {
        return Err(format!("the column has {} values for {next} non-null rows", values.len()));
    }
    Ok((values, Some(index)))
}

/// The scale of a decimal column (value = unscaled / 10^scale), None for another type.
fn decimal_scale(c: &ColumnDescriptor) -> Option<i32> {
    match c.logical_type_ref() {
        Some(LogicalType::Decimal(d)) => Some(d.scale),
        _ if c.converted_type() == ConvertedType::DECIMAL => Some(c.type_scale()),
        _ => None,
    }
}

/// A UUID's 16 bytes as 8-4-4-4-12 lower-case hex digits (other lengths: all the bytes).
fn uuid_text(b: &[u8]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    if hex.len() != 32 {
        return hex;
    }
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Whether a column holds dates (DATE: days since 1970-01-01).
fn is_date(c: &ColumnDescriptor) -> bool {
    matches!(c.logical_type_ref(), Some(LogicalType::Date)) || c.converted_type() == ConvertedType::DATE
}

/// The date `days` after 1970-01-01, as YYYY-MM-DD (the proleptic Gregorian calendar;
/// H. Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether an integer column holds unsigned integers (UINT_32 2^32-1 is not -1).
fn unsigned(c: &ColumnDescriptor) -> bool {
    match c.logical_type_ref() {
        Some(LogicalType::Integer(t)) => !t.is_signed,
        _ => matches!(c.converted_type(), ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32 | ConvertedType::UINT_64),
    }
}

/// A decimal `unscaled / 10^scale` as the nearest f64, rounded once, as the CSV path
/// reads the same number written out (dividing the unscaled integer as a float rounds
/// twice and is off in the last digit for large values).
fn decimal(unscaled: &str, scale: i32) -> f64 {
    format!("{unscaled}e{}", -scale).parse().unwrap_or(f64::NAN)
}

/// [`decimal`] of an integer unscaled value. Where the integer and 10^scale are both
/// exact doubles (below 2^53, scale up to 22) one division rounds once, with no text.
fn decimal_int(unscaled: i64, scale: i32) -> f64 {
    if unscaled.unsigned_abs() < 1 << 53 && (0..=22).contains(&scale) {
        unscaled as f64 / 10f64.powi(scale)
    } else {
        decimal(&unscaled.to_string(), scale)
    }
}

/// A big-endian two's-complement integer of any length (a FIXED_LEN_BYTE_ARRAY decimal:
/// 16 bytes for DECIMAL(38), 32 for DECIMAL(76)) in decimal digits, with its sign.
fn be_int_text(b: &[u8]) -> String {
    let negative = b.first().is_some_and(|x| x & 0x80 != 0);
    // The magnitude, big-endian: for a negative number, invert and add one.
    let mut mag: Vec<u8> = if negative { b.iter().map(|x| !x).collect() } else { b.to_vec() };
    if negative {
        for x in mag.iter_mut().rev() {
            let (v, carry) = x.overflowing_add(1);
            *x = v;
            if !carry {
                break;
            }
        }
    }
    // Repeated division by 10^9 of the base-256 number, least significant group first.
    let mut groups: Vec<u32> = Vec::new();
    while mag.iter().any(|&x| x != 0) {
        let mut rem: u64 = 0;
        for x in mag.iter_mut() {
            let cur = (rem << 8) | *x as u64;
            *x = (cur / 1_000_000_000) as u8;
            rem = cur % 1_000_000_000;
        }
        groups.push(rem as u32);
    }
    let mut text = String::from(if negative { "-" } else { "" });
    match groups.split_last() {
        None => text.push('0'),
        Some((top, rest)) => {
            text.push_str(&top.to_string());
            for g in rest.iter().rev() {
                text.push_str(&format!("{g:09}"));
            }
        }
    }
    text
}

/// The first of `rows` rows of an integer column whose value has more significant digits
/// than a figure keeps, with its refusal ([`yearbook_core::number::lost_digits`]).
fn lost_digits_row(c: &Cells, rows: usize) -> Option<(usize, String)> {
    let Values::Int(v) = &c.values else { return None };
    if !v.iter().any(|x| x.unsigned_abs() > 999_999_999_999_999) {
        return None;
    }
    (0..rows).find_map(|r| {
        let x = v[c.at(r)?];
        (x.unsigned_abs() > 999_999_999_999_999)
            .then(|| yearbook_core::number::lost_digits(x.to_string().as_bytes()))
            .flatten()
            .map(|e| (r, e))
    })
}

/// Reads column `i` of a row group of `rows` rows.
fn read_column(
    rg: &dyn RowGroupReader,
    c: &ColumnDescriptor,
    i: usize,
    rows: usize,
    sc: &mut Scratch,
) -> std::result::Result<Cells, String> {
    let max_def = c.max_def_level();
    let reader = rg.get_column_reader(i).map_err(super::parquet_text::column_error)?;
    let scale = decimal_scale(c);
    let ints = |v: Vec<i64>| match scale {
        Some(s) => Values::Float(v.into_iter().map(|x| decimal_int(x, s)).collect()),
        None => Values::Int(v),
    };
    let unsigned = unsigned(c);
    let (values, index) = match reader {
        ColumnReader::ByteArrayColumnReader(mut r) => {
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            (Values::Text(v), ix)
        }
        ColumnReader::DoubleColumnReader(mut r) => {
            let (v, ix) = read_all(&mut r, rows, max_def, std::mem::take(&mut sc.floats), &mut sc.defs, std::mem::take(&mut sc.index))?;
            (Values::Float(v), ix)
        }
        ColumnReader::FloatColumnReader(mut r) => {
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            // A float32 is the decimal it prints as (1234.56), not its binary value
            // widened (1234.56005859375, which `== 1234.56` is not).
            (
                Values::Float(
                    v.into_iter()
                        .map(|x| if x.is_finite() { x.to_string().parse().unwrap_or(f64::from(x)) } else { f64::from(x) })
                        .collect(),
                ),
                ix,
            )
        }
        ColumnReader::Int32ColumnReader(mut r) if is_date(c) => {
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            // A DATE is days since 1970-01-01: read as the date it is (2021-05-01), as an
            // Excel date cell is, never as the number 18748.
            (Values::Text(v.into_iter().map(|d| ByteArray::from(civil_date(d as i64).into_bytes())).collect()), ix)
        }
        ColumnReader::Int32ColumnReader(mut r) => {
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            let wide = |x: i32| if unsigned { x as u32 as i64 } else { x as i64 };
            (ints(v.into_iter().map(wide).collect()), ix)
        }
        ColumnReader::Int64ColumnReader(mut r) => {
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            // UINT_64 past i64::MAX: the column as decimals (u64 as f64 rounds once),
            // unless a value has more digits than a figure keeps (refused, as in a CSV).
            if unsigned && v.iter().any(|&x| x < 0) {
                if let Some(e) = v.iter().find_map(|&x| yearbook_core::number::lost_digits((x as u64).to_string().as_bytes())) {
                    return Err(e);
                }
                (Values::Float(v.into_iter().map(|x| x as u64 as f64).collect()), ix)
            } else {
                (ints(v), ix)
            }
        }
        ColumnReader::BoolColumnReader(mut r) => {
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            (Values::Bool(v), ix)
        }
        ColumnReader::FixedLenByteArrayColumnReader(mut r) => {
            // A half-precision float keeps about three significant digits (0.1935 is
            // stored as 0.19348): its two bytes were read as text (12 for 0.19348).
            if matches!(c.logical_type_ref(), Some(LogicalType::Float16)) {
                return Err(format!(
                    "column `{}` is a FLOAT16 column, which keeps about three significant digits (0.1935 is stored as \
                     0.19348): write it as float64 (pandas float64, pyarrow pa.float64()) or as a decimal",
                    c.name()
                ));
            }
            let uuid = matches!(c.logical_type_ref(), Some(LogicalType::Uuid));
            let (v, ix) = read_all(&mut r, rows, max_def, Vec::new(), &mut sc.defs, Vec::new())?;
            match scale {
                Some(s) => (Values::Float(v.into_iter().map(|b| decimal(&be_int_text(b.data()), s)).collect()), ix),
                // A UUID as it is written (8-4-4-4-12 hex digits), not its bytes.
                None if uuid => (Values::Text(v.into_iter().map(|b| ByteArray::from(uuid_text(b.data()).into_bytes())).collect()), ix),
                None => {
                    if let Some(b) = v.iter().find(|b| std::str::from_utf8(b.data()).is_err()) {
                        return Err(format!(
                            "column `{}` holds fixed-length bytes that are no text ({} bytes, not UTF-8): write figures as \
                             numbers (float64, int64, decimal) and names as strings",
                            c.name(),
                            b.data().len()
                        ));
                    }
                    (Values::Text(v.into_iter().map(|b| ByteArray::from(b.data().to_vec())).collect()), ix)
                }
            }
        }
        ColumnReader::Int96ColumnReader(_) => {
            return Err(format!("column `{}` is an INT96 timestamp: write periods as text (2024, 2024-03) or integers", c.name()));
        }
    };
    Ok(Cells { values, index })
}

/// The whole file as a table of text (regions, indicators, record tables, wide facts);
/// rows are numbered from 1.
pub(crate) fn read_table(path: &Path, label: &str) -> Result<RawTable> {
    let reader = open(path, label)?;
    let header = columns(&reader, label)?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut long_numbers = Vec::new();
    for g in 0..reader.num_row_groups() {
        let rg = reader.get_row_group(g).map_err(|e| Error::data(Location::new(label, rows.len() + 1, None), e.to_string()))?;
        let n = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
        let first = rows.len();
        let cols: Vec<Cells> = (0..header.len())
            .map(|i| {
                read_column(rg.as_ref(), &schema.column(i), i, n, &mut Scratch::default())
                    .map_err(|m| Error::data(Location::new(label, first + 1, Some(i + 1)), m))
            })
            .collect::<Result<_>>()?;
        for (i, c) in cols.iter().enumerate() {
            for r in 0..n {
                if let Some(Some(v)) = c.number(r).filter(|_| matches!(c.values, Values::Float(_)))
                    && super::table_file::lost_digits(v)
                {
                    long_numbers.push((first + r + 1, i, format!("row {}", first + r + 1), v.to_string()));
                }
            }
        }
        for r in 0..n {
            let row = cols
                .iter()
                .enumerate()
                .map(|(i, c)| c.text(r).map_err(|m| Error::data(Location::new(label, first + r + 1, Some(i + 1)), m)))
                .collect::<Result<Vec<String>>>()?;
            rows.push((first + r + 1, row));
        }
    }
    Ok(RawTable {
        file: label.to_string(),
        header,
        rows,
        header_line: 0,
        unit: None,
        more_units: Vec::new(),
        title_period: None,
        units_below: Vec::new(),
        year_point_one: Vec::new(),
        percent: Vec::new(),
        long_numbers,
        merged: Vec::new(),
        line_breaks: Vec::new(),
    })
}

/// The texts of a numeric column read in a text role (a year as an integer): each
/// distinct value's text, made once. Small integers (years, months) are looked up by
/// offset, other numbers by their bits.
#[derive(Default, Clone)]
struct NumberTexts {
    min: i64,
    direct: Vec<Vec<u8>>,
    other: FxHashMap<u64, Vec<u8>>,
}

impl NumberTexts {
    fn of_ints(v: &[i64]) -> NumberTexts {
        let (min, max) = v.iter().fold((i64::MAX, i64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        let mut t = NumberTexts { min, ..Default::default() };
        if !v.is_empty() && max.checked_sub(min).is_some_and(|span| span < 65_536) {
            t.direct = (min..=max).map(|x| x.to_string().into_bytes()).collect();
        } else {
            for x in v {
                t.other.entry(*x as u64).or_insert_with(|| x.to_string().into_bytes());
            }
        }
        t
    }

    fn of_floats(v: &[f64]) -> NumberTexts {
        let mut t = NumberTexts::default();
        for x in v {
            t.other.entry(x.to_bits()).or_insert_with(|| x.to_string().into_bytes());
        }
        t
    }

    #[inline]
    fn int(&self, x: i64) -> &[u8] {
        match x.checked_sub(self.min).and_then(|k| usize::try_from(k).ok()).and_then(|k| self.direct.get(k)) {
            Some(t) => t,
            None => self.other.get(&(x as u64)).map(Vec::as_slice).unwrap_or_default(),
        }
    }

    #[inline]
    fn float(&self, x: f64) -> &[u8] {
        self.other.get(&x.to_bits()).map(Vec::as_slice).unwrap_or_default()
    }
}

/// For each wanted column that is numeric but read as text (a year as an integer), each
/// distinct value's text: a column holds few distinct periods.
fn wanted_text(cells: &[Option<Cells>], wanted: &[usize], value_col: usize) -> Vec<NumberTexts> {
    let mut out = vec![NumberTexts::default(); cells.len()];
    for &i in wanted.iter().filter(|&&i| i != value_col) {
        match cells[i].as_ref().map(|c| &c.values) {
            Some(Values::Int(v)) => out[i] = NumberTexts::of_ints(v),
            Some(Values::Float(v)) => out[i] = NumberTexts::of_floats(v),
            _ => {}
        }
    }
    out
}

/// The first row of a column of doubles whose value reads as 2021.1, a month: January as
/// written, or October stored as a number (see [`super::year_point_one_message`]).
fn first_year_point_one(c: &Cells, spelled: &NumberTexts, rows: usize, periods: &PeriodOptions) -> Option<usize> {
    let Values::Float(v) = &c.values else { return None };
    // Once per distinct value; the rows are searched only when one is ambiguous.
    let ambiguous: Vec<u64> = spelled
        .other
        .iter()
        .filter(|(_, t)| std::str::from_utf8(t).is_ok_and(|t| super::is_year_point_one(t) && super::reads_as_month(t, periods)))
        .map(|(bits, _)| *bits)
        .collect();
    if ambiguous.is_empty() {
        return None;
    }
    (0..rows).find(|&r| c.at(r).is_some_and(|k| ambiguous.contains(&v[k].to_bits())))
}

/// Loads a long fact file (region, period, indicator, value[, flag]) into the panel: each
/// row group on its own thread, the values as numbers. Returns the file's size in bytes.
pub(crate) fn load_facts(
    builder: &PanelBuilder,
    path: &Path,
    label: &str,
    rename: &BTreeMap<String, String>,
    periods: &PeriodOptions,
    inds: &SourceIndicators,
) -> Result<u64> {
    let reader = open(path, label)?;
    let names = columns(&reader, label)?;
    let mut cols = FactColumns::resolve(label, &names, 1, rename)?;
    cols.read_periods(periods, &names);
    builder.note_value_header(&cols, &names, 1);
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let groups = reader.num_row_groups();
    let starts: Vec<usize> = (0..groups)
        .scan(0usize, |at, g| {
            let s = *at;
            *at += usize::try_from(reader.metadata().row_group(g).num_rows()).unwrap_or(0);
            Some(s)
        })
        .collect();
    let wanted: Vec<usize> = [Some(cols.region), Some(cols.period), Some(cols.indicator), Some(cols.value), cols.flag, cols.unit]
        .into_iter()
        .flatten()
        .collect();
    // Each row group's first error (row, column, message); the earliest wins.
    // One reader per worker: readers of one `File` share its offset, so threads must not
    // share a reader (their reads would interleave and corrupt each other's pages).
    // Per worker: its reader, and its text columns' buffers (kept between row groups).
    let init = || (open(path, label), (0..names.len()).map(|_| TextColumn::default()).collect::<Vec<_>>(), Scratch::default());
    let work = |(reader, texts, scratch): &mut (Result<SerializedFileReader<std::fs::File>>, Vec<TextColumn>, Scratch), g: usize| {
        let first = starts[g];
        let at = |row: usize, col: usize, m: String| (first + row + 1, col, m);
        let reader = match reader {
            Ok(r) => r,
            Err(e) => return Some(at(0, 0, e.message().to_string())),
        };
        let rg = match reader.get_row_group(g) {
            Ok(rg) => rg,
            Err(e) => return Some(at(0, 0, format!("cannot read row group {g}: {e}"))),
        };
        let n = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
        let mut cells: Vec<Option<Cells>> = (0..names.len()).map(|_| None).collect();
        // Text columns as ids into their distinct texts, where their pages allow.
        let mut is_text = vec![false; names.len()];
        for &i in &wanted {
            let c = schema.column(i);
            if c.physical_type() == parquet::basic::Type::BYTE_ARRAY {
                match read_text(rg.as_ref(), i, c.max_def_level(), n, &mut texts[i]) {
                    Ok(true) => {
                        is_text[i] = true;
                        continue;
                    }
                    Ok(false) => {}
                    Err(m) => return Some(at(0, i + 1, m)),
                }
            }
            match read_column(rg.as_ref(), &c, i, n, scratch) {
                Ok(c) => cells[i] = Some(c),
                Err(m) => return Some(at(0, i + 1, m)),
            }
        }
        let mut cache = BlockCache::default();
        // Numbers in text roles (a year as an integer) as text, once per distinct value.
        let spelled: Vec<NumberTexts> = wanted_text(&cells, &wanted, cols.value);
        if let Some(r) = cells[cols.period].as_ref().and_then(|c| first_year_point_one(c, &spelled[cols.period], n, &cols.periods)) {
            let text = String::from_utf8_lossy(cells[cols.period].as_ref().map(|c| c.field(r, &spelled[cols.period])).unwrap_or_default());
            let place = format!("column `{}`", names[cols.period]);
            return Some(at(r, cols.period + 1, super::year_point_one_message(&place, &text, "store the column as text, not as numbers")));
        }
        // Region and indicator columns of distinct texts (dictionary pages), with a
        // number column of values: each distinct text is resolved once, not per row.
        // An integer of more significant digits than a figure keeps is refused, as the
        // same digits in a CSV file are (2^64-1 was read as 18446744073709551616).
        if let Some((r, e)) = cells[cols.value].as_ref().and_then(|c| lost_digits_row(c, n)) {
            return Some(at(r, cols.value + 1, e));
        }
        let numbers = cells[cols.value].as_ref().filter(|c| matches!(c.values, Values::Float(_) | Values::Int(_)));
        if let Some(numbers) = numbers
            && is_text[cols.region]
            && is_text[cols.indicator]
            && cols.flag.is_none()
            && cols.unit.is_none()
            && cols.periods.annual.is_none()
        {
            let period_text = |r: usize| -> &[u8] {
                if is_text[cols.period] {
                    return texts[cols.period].get(r).unwrap_or_default();
                }
                cells[cols.period].as_ref().map(|c| c.field(r, &spelled[cols.period])).unwrap_or_default()
            };
            let (rt, it) = (&texts[cols.region], &texts[cols.indicator]);
            let mut region_of = vec![u32::MAX; rt.distinct()];
            let mut indicator_of = vec![u32::MAX; it.distinct()];
            // The unit an indicator text names after its label (地区生产总值（亿元）).
            let mut unit_of: Vec<Option<Box<str>>> = vec![None; it.distinct()];
            // Each distinct period's ordinal where it is a bare year, resolved on first
            // use (the panel's frequency is known once a row has gone the general way):
            // by text id, or by an integer's offset among the column's years.
            let mut ord_of_text = vec![UNSET; if is_text[cols.period] { texts[cols.period].distinct() } else { 0 }];
            let int_years = cells[cols.period].as_ref().filter(|_| !is_text[cols.period]).and_then(|c| match &c.values {
                Values::Int(v) => Some((c, v)),
                _ => None,
            });
            let years = &spelled[cols.period];
            let mut ord_of_int = vec![UNSET; if int_years.is_some() { years.direct.len() } else { 0 }];
            let mut ordinal = |r: usize| -> Option<i32> {
                let (slot, text) = if is_text[cols.period] {
                    let k = texts[cols.period].id(r)?;
                    (&mut ord_of_text[k], texts[cols.period].get(r))
                } else {
                    let (c, v) = int_years?;
                    let x = v[c.at(r)?];
                    let k = usize::try_from(x.checked_sub(years.min)?).ok().filter(|&k| k < ord_of_int.len())?;
                    (&mut ord_of_int[k], Some(years.int(x)))
                };
                if *slot == UNSET {
                    *slot = builder.bare_year_ordinal(text?).unwrap_or(UNSET);
                }
                (*slot != UNSET).then_some(*slot)
            };
            for r in 0..n {
                let line = first + r + 1;
                let fail = |FieldError { col, message, .. }| Some((line, col, message));
                // Null texts and texts that fail are resolved on every row (the
                // error is the same); the rest once.
                let region = match rt.id(r) {
                    Some(k) if region_of[k] != u32::MAX => region_of[k],
                    id => match builder.region_of(&cols, &mut cache, rt.get(r).unwrap_or_default()) {
                        Ok(v) => {
                            if let Some(k) = id {
                                region_of[k] = v;
                            }
                            v
                        }
                        Err(e) => return fail(e),
                    },
                };
                let (ind, own) = match it.id(r) {
                    Some(k) if indicator_of[k] != u32::MAX => (indicator_of[k], unit_of[k].clone()),
                    id => match builder.indicator_of(&cols, inds, &mut cache, it.get(r).unwrap_or_default()) {
                        Ok(v) => match id {
                            Some(k) => {
                                indicator_of[k] = v;
                                unit_of[k] = PanelBuilder::last_indicator_unit(&cache);
                                (v, unit_of[k].clone())
                            }
                            None => (v, PanelBuilder::last_indicator_unit(&cache)),
                        },
                        Err(e) => return fail(e),
                    },
                };
                let value = numbers.number(r).flatten();
                if own.is_none()
                    && let (Some(v), Some(ord)) = (value, ordinal(r))
                    && builder.store_resolved(&mut cache, (region, ind), ord, v)
                {
                    continue;
                }
                if let Err(e) =
                    builder.ingest_resolved(&cols, inds, &mut cache, (region, ind, period_text(r)), (value, own.as_deref()), line)
                {
                    return fail(e);
                }
            }
            for c in cells.into_iter().flatten() {
                scratch.keep(c);
            }
            return None;
        }
        let mut fields: Vec<&[u8]> = vec![b"".as_slice(); names.len()];
        for r in 0..n {
            let mut value = None;
            for &i in &wanted {
                fields[i] = b"";
                if is_text[i] {
                    fields[i] = texts[i].get(r).unwrap_or_default();
                    continue;
                }
                let Some(c) = cells[i].as_ref() else { continue };
                match c.number(r) {
                    Some(v) if i == cols.value => value = Some(v),
                    _ => fields[i] = c.field(r, &spelled[i]),
                }
            }
            let done = match value {
                Some(v) => builder.ingest_number(&cols, inds, &mut cache, &fields, v, first + r + 1),
                None => builder.ingest(&cols, inds, &mut cache, &fields, first + r + 1),
            };
            if let Err(FieldError { col, message, .. }) = done {
                return Some((first + r + 1, col, message));
            }
        }
        drop(fields);
        for c in cells.into_iter().flatten() {
            scratch.keep(c);
        }
        None
    };
    let errors: Vec<(usize, usize, String)> = if builder.in_order() {
        // A recheck: row groups in file order, up to the first error.
        let mut state = init();
        (0..groups).filter_map(|g| work(&mut state, g)).take(1).collect()
    } else {
        (0..groups).into_par_iter().map_init(init, work).flatten().collect()
    };
    if let Some((row, col, message)) = errors.into_iter().min_by_key(|e| e.0) {
        return Err(Error::data(Location::new(label, row, Some(col)), message));
    }
    Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_the_days_they_are() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(18_262), "2020-01-01");
        assert_eq!(civil_date(18_748), "2021-05-01");
        assert_eq!(civil_date(-1), "1969-12-31");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }

    #[test]
    fn decimals_of_any_width_are_read_exactly_and_rounded_once() {
        let be = |v: i128, width: usize| -> Vec<u8> {
            let fill = if v < 0 { 0xff } else { 0 };
            let mut b = vec![fill; width.saturating_sub(16)];
            b.extend_from_slice(&v.to_be_bytes()[16usize.saturating_sub(width)..]);
            b
        };
        for (v, width) in [(0, 1), (-1, 1), (-128, 1), (127, 1), (150, 32), (-300, 32), (i128::MAX, 16), (i128::MIN, 16), (i128::MIN, 32)] {
            assert_eq!(be_int_text(&be(v, width)), v.to_string(), "{v} in {width} bytes");
        }
        // 2^200 in a 32-byte DECIMAL(76): beyond i128.
        let mut big = vec![0u8; 32];
        big[6] = 1;
        assert_eq!(be_int_text(&big), "1606938044258990275541962092341162602522202993782792835301376");
        // DECIMAL(38, 6) 9007199254740993.000000: the nearest double, as the text reads
        // (…992), not the unscaled integer rounded and then divided (…994).
        assert_eq!(decimal("9007199254740993000000", 6), "9007199254740993.000000".parse::<f64>().unwrap());
        assert_eq!(decimal("9007199254740993000000", 6), 9007199254740992.0);
        assert_eq!(decimal("-300", 2), -3.0);
        assert_eq!(decimal("150", 2), 1.5);
        assert_eq!(decimal("775", 2), 7.75);
        // Small integers divide exactly-rounded without text; large ones go through it.
        for (x, s) in [(775, 2), (-300, 2), (1, 22), (123_456_789_012_345, 6), (9_007_199_254_740_993, 3), (i64::MIN, 3)] {
            assert_eq!(decimal_int(x, s).to_bits(), decimal(&x.to_string(), s).to_bits(), "{x}e-{s}");
        }
    }
}
