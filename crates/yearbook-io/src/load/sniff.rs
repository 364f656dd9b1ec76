//! `yearbook sniff FILE`: guesses how a data file is written (encoding, header row,
//! layout, period spelling, units, identifier columns) and writes the `[[data.facts]]`
//! entry that reads it, with the first rows as that entry reads them.

use super::facts::FactColumns;
use super::table_file::{is_xlsx, read_table};
use super::text::Encoding;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::number::{Value, parse_value};
use yearbook_core::period::spelling::{self as period_spelling, PeriodOptions};

/// What a file looks like.
#[derive(Debug, Clone)]
pub struct Sniffed {
    /// `utf-8`, `utf-8 (BOM)`, `gbk` or `xlsx`.
    pub encoding: &'static str,
    /// The 1-based line of the header row (title rows above it skipped).
    pub header_line: usize,
    /// `long`, or the axis of a wide table's columns.
    pub layout: String,
    /// The `[[data.facts]]` entry, TOML.
    pub entry: String,
    /// Notes on what was guessed (period spellings, units, identifier columns).
    pub notes: Vec<String>,
    /// The header and the first rows as read.
    pub header: Vec<String>,
    /// The first rows: (line, fields).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// How many rows are looked at for the guesses and shown.
const SAMPLE: usize = 50;
const SHOWN: usize = 5;

fn detect_encoding(path: &Path, label: &str) -> Result<(Encoding, &'static str)> {
    if is_xlsx(path) {
        return Ok((Encoding::Utf8, "xlsx"));
    }
    let bytes = super::text::read_bytes(path)?;
    if super::text::is_utf16(&bytes) {
        return Err(Error::data(Location::new(label, 1, None), super::text::UTF16));
    }
    if let Some(what) = super::text::workbook(&bytes) {
        return Err(Error::data(Location::new(label, 1, None), what));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok((Encoding::Utf8, "utf-8 (BOM)"));
    }
    if std::str::from_utf8(&bytes).is_ok() {
        return Ok((Encoding::Utf8, "utf-8"));
    }
    let (_, bad) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
    if bad {
        return Err(Error::data(
            Location::new(label, 1, None),
            "the file is neither UTF-8 nor GBK/GB18030 text (is it a spreadsheet saved without its extension?)",
        ));
    }
    Ok((Encoding::Gbk, "gbk"))
}

fn is_period(s: &str) -> bool {
    !s.is_empty() && period_spelling::read(s, &PeriodOptions { cumulative: true, ..Default::default() }).is_ok()
}

fn is_cumulative(s: &str) -> bool {
    is_period(s) && period_spelling::read(s, &PeriodOptions::default()).is_err()
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && parse_value(s.as_bytes(), true).is_ok_and(|v| v != Value::Missing)
}

/// Quoted TOML string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Sniffs a file (a sheet of a workbook when `sheet` is given).
pub fn sniff(path: &Path, sheet: Option<&str>) -> Result<Sniffed> {
    let label = path.display().to_string();
    let (enc, encoding) = detect_encoding(path, &label)?;
    let mut t = read_table(path, &label, enc, sheet, None)?;
    t.units_into_header()?;
    t.refuse_swallowed_rows("rows", false)?;
    let sample: Vec<&Vec<String>> = t.rows.iter().take(SAMPLE).map(|(_, r)| r).collect();
    let column = |c: usize| sample.iter().map(move |r| r[c].as_str()).filter(|s| !s.is_empty());
    let all = |c: usize, f: fn(&str) -> bool| column(c).count() > 0 && column(c).all(f);
    // What was found, with the header and the first rows as read.
    let found = |layout: String, entry: String, notes: Vec<String>| Sniffed {
        encoding,
        header_line: t.header_line,
        layout,
        entry,
        notes,
        header: t.header.clone(),
        rows: t.rows.iter().take(SHOWN).cloned().collect(),
    };
    let mut notes = Vec::new();
    let mut lines: Vec<String> =
        vec![format!("file = {}", q(&path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or(label.clone())))];
    if enc == Encoding::Gbk {
        lines.push("encoding = \"gbk\"".into());
    }
    if let Some(s) = sheet {
        lines.push(format!("sheet = {}", q(s)));
    }
    if t.header_line > 1 {
        lines.push(format!("header_row = {}", t.header_line));
        notes.push(format!("the header is on row {} (rows above it are titles or a unit row)", t.header_line));
    }
    if let Some(u) = &t.unit {
        notes.push(format!("unit row: {u} (values rescale to each indicator's unit in a wide table)"));
    }
    let period_cols: Vec<usize> = (0..t.header.len()).filter(|&c| all(c, is_period)).collect();
    let header_periods: Vec<usize> = (0..t.header.len()).filter(|&c| is_period(&t.header[c])).collect();
    let mut cumulative = period_cols.iter().any(|&c| column(c).any(is_cumulative));
    let layout;
    if FactColumns::resolve(&label, &t.header, t.header_line, &BTreeMap::new()).is_ok() {
        layout = "long".to_string();
    } else if header_periods.len() >= 2 {
        layout = "periods".to_string();
        cumulative = header_periods.iter().any(|&c| is_cumulative(&t.header[c]));
        lines.push("columns_are = \"periods\"".into());
        let known = |names: &[&str]| t.header.iter().any(|h| names.contains(&h.as_str()));
        if !known(&["region", "地区", "地区代码", "地区名称"]) {
            lines.push("region = \"REGION\"  # the one region of this file (no region column found)".into());
        }
        if !known(&["indicator", "指标", "指标名称"]) {
            lines.push("indicator = \"INDICATOR\"  # the one indicator of this file (no indicator column found)".into());
        }
    } else if let Some(&pc) = period_cols.first() {
        layout = "indicators".to_string();
        lines.push("columns_are = \"indicators\"".into());
        let default_period = ["period", "year", "quarter", "month", "年份", "时期", "时间", "年度", "统计年度", "季度", "月份"];
        if !default_period.contains(&t.header[pc].as_str()) {
            lines.push(format!("columns = {{ period = {} }}", q(&t.header[pc])));
        }
        if !t.header.iter().any(|h| ["region", "地区", "地区代码", "地区名称"].contains(&h.as_str())) {
            lines.push("region = \"REGION\"  # the one region of this file (no region column found)".into());
        }
        let units: Vec<String> = t.header.iter().filter_map(|h| super::wide::split_unit(h).1.map(|u| format!("{h}: {u}"))).collect();
        if !units.is_empty() {
            notes.push(format!("units in headers rescale to the indicators' units: {}", units.join(", ")));
        }
    } else if period_cols.is_empty() {
        // No periods: a record table (a ledger), not facts.
        layout = "table".to_string();
        let stem = path.file_stem().map(|f| f.to_string_lossy().into_owned()).unwrap_or_else(|| "table".into());
        let ids: Vec<String> = (0..t.header.len())
            .filter(|&c| column(c).any(yearbook_core::table::is_identifier))
            .map(|c| format!("{} = \"text\"", q(&t.header[c])))
            .collect();
        let mut parts = lines.join(", ");
        if !ids.is_empty() {
            parts += &format!(", types = {{ {} }}", ids.join(", "));
        }
        notes.push("no column of periods: a record table, read under [data.tables]".into());
        let entry = format!("[data.tables]\n{} = {{ {parts} }}\n", q(&stem));
        return Ok(found(layout, entry, notes));
    } else {
        // Long, under other names: the period column, the last numeric column as values.
        layout = "long".to_string();
        let value = (0..t.header.len()).rev().find(|&c| all(c, is_number));
        let text: Vec<usize> = (0..t.header.len()).filter(|&c| Some(c) != value && !period_cols.contains(&c)).collect();
        let mut map = Vec::new();
        if let Some(&r) = text.first() {
            map.push(format!("region = {}", q(&t.header[r])));
        }
        if let Some(&p) = period_cols.first() {
            map.push(format!("period = {}", q(&t.header[p])));
        }
        if let Some(&i) = text.get(1) {
            map.push(format!("indicator = {}", q(&t.header[i])));
        }
        if let Some(v) = value {
            map.push(format!("value = {}", q(&t.header[v])));
        }
        lines.push(format!("columns = {{ {} }}  # guessed: check each role", map.join(", ")));
        notes.push("no region/period/indicator/value header was recognised: the column roles are guesses".into());
    }
    if cumulative {
        lines.push("cumulative = true  # 累计 periods (1-3月, 上半年): loads cumulative.<indicator>".into());
    }
    let spellings: Vec<&str> =
        period_cols.iter().flat_map(|&c| column(c).take(1)).chain(header_periods.iter().take(1).map(|&c| t.header[c].as_str())).collect();
    if let Some(s) = spellings.first()
        && let Ok(p) = period_spelling::read(s, &PeriodOptions { cumulative: true, ..Default::default() })
    {
        notes.push(format!("periods are spelled like \"{s}\" (read as {p})"));
    }
    let ids: Vec<&str> =
        (0..t.header.len()).filter(|&c| column(c).any(yearbook_core::table::is_identifier)).map(|c| t.header[c].as_str()).collect();
    if !ids.is_empty() {
        notes.push(format!("identifier columns, kept as text: {}", ids.join(", ")));
    }
    let mut entry = String::from("[[data.facts]]\n");
    for l in &lines {
        let _ = writeln!(entry, "{l}");
    }
    Ok(found(layout, entry, notes))
}

impl Sniffed {
    /// The report `yearbook sniff` prints: what was found, the entry, the first rows.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# encoding: {}; header on row {}; layout: {}", self.encoding, self.header_line, self.layout);
        for n in &self.notes {
            let _ = writeln!(out, "# {n}");
        }
        let _ = writeln!(out, "{}", self.entry);
        let _ = writeln!(out, "# first rows as read:");
        let _ = writeln!(out, "#   row {}: {}", self.header_line, self.header.join(" | "));
        for (line, r) in &self.rows {
            let _ = writeln!(out, "#   row {line}: {}", r.join(" | "));
        }
        out
    }

    /// The entry's TOML without comments (for tests and scripts).
    pub fn entry_toml(&self) -> String {
        self.entry.lines().map(|l| l.split("  #").next().unwrap_or(l).trim_end()).collect::<Vec<_>>().join("\n") + "\n"
    }
}
