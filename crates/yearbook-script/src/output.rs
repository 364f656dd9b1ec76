//! Printing results: a series as a long table (region, period, value, unit), record
//! tables, scalars; as an aligned text table (CJK-aware), CSV, JSON or Markdown.

use comfy_table::{CellAlignment, ContentArrangement, presets};
use rhai::Dynamic;
use yearbook_core::format::{MISSING, round_half_up, shown};
use yearbook_core::panel::Panel;
use yearbook_core::series::Series;
use yearbook_core::table::{ColumnData, Table};

/// Lines above, under the header and below; none between rows (like psql and DuckDB).
const TEXT_STYLE: comfy_table::TableStyle = comfy_table::TableStyle::new()
    .top_border(comfy_table::LineStyle::none().fill('─').junction('─'))
    .header_separator(comfy_table::LineStyle::none().fill('─').junction('┼'))
    .content_lines(comfy_table::ContentLineStyle::none().junction('│'))
    .header_lines(comfy_table::ContentLineStyle::none().junction('│'))
    .bottom_border(comfy_table::LineStyle::none().fill('─').junction('─'));

/// How results print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text tables (CJK-aware).
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// Markdown tables.
    Markdown,
}

impl Format {
    /// The format named `table`, `csv`, `json` or `md`; None otherwise.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "table" => Some(Format::Table),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// How to print a result: format, rows shown, decimals, width.
#[derive(Debug, Clone, Copy)]
pub struct PrintOptions {
    /// Table, CSV, JSON or Markdown.
    pub format: Format,
    /// Rows shown in table/markdown output before the rest is cut (with a count).
    pub max_rows: usize,
    /// Fixed decimals; default: 2 (4 significant digits below 1).
    pub digits: Option<usize>,
    /// Widest text table in characters (cells cut with …); None: no limit.
    pub max_width: Option<usize>,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { format: Format::Table, max_rows: 100, digits: None, max_width: None }
    }
}

/// The terminal's width in columns, when stdout is a terminal.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a winsize struct for the stdout descriptor; nothing else.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col >= 20).then_some(ws.ws_col as usize)
}

/// A grid of text cells with a header; `numeric[i]` right-aligns column i.
struct Grid {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    numeric: Vec<bool>,
    /// Raw values for JSON (None = text cell).
    json: Vec<Vec<serde_json::Value>>,
}

fn series_grid(s: &Series, opts: &PrintOptions, panel: Option<&Panel>) -> Grid {
    let regions = &s.axes.regions;
    let periods = s.axes.periods;
    let mut header = Vec::new();
    if s.by_region {
        header.extend(["region".to_string(), "name".to_string()]);
    }
    if s.by_period {
        header.push("period".into());
    }
    header.extend(["value".to_string(), "unit".to_string()]);
    let flagged = match (s.indicator, panel) {
        (Some(i), Some(p)) if std::sync::Arc::ptr_eq(&p.axes, &s.axes) && !p.flags[i].is_empty() => Some((i, p)),
        _ => None,
    };
    if flagged.is_some() {
        header.push("flag".into());
    }
    let mut rows = Vec::new();
    let mut json = Vec::new();
    for r in 0..s.rows() {
        for p in 0..s.cols() {
            let v = s.data[p * s.rows() + r];
            if v.is_nan() {
                continue;
            }
            let mut row = Vec::new();
            let mut j = Vec::new();
            if s.by_region {
                row.push(regions.codes[r].clone());
                row.push(regions.label(r as u32).to_string());
                j.push(serde_json::Value::from(regions.codes[r].clone()));
                j.push(serde_json::Value::from(regions.label(r as u32)));
            }
            if s.by_period {
                let per = periods.get(p).to_string();
                row.push(per.clone());
                j.push(serde_json::Value::from(per));
            }
            let shown = if s.mask { (if v != 0.0 { "true" } else { "false" }).to_string() } else { shown(v, opts.digits) };
            row.push(shown);
            j.push(if s.mask { serde_json::Value::from(v != 0.0) } else { json_number(v) });
            row.push(s.unit.symbol.to_string());
            j.push(serde_json::Value::from(s.unit.symbol.to_string()));
            if let Some((ind, panel)) = flagged {
                let f = panel.flag(ind, p * s.rows() + r);
                row.push(f.unwrap_or_default().to_string());
                j.push(f.map(serde_json::Value::from).unwrap_or(serde_json::Value::Null));
            }
            rows.push(row);
            json.push(j);
        }
    }
    let numeric = header.iter().map(|h| h == "value").collect();
    Grid { header, rows, numeric, json }
}

/// A number as JSON reads it, as CSV gives it: binary noise off where the 15-digit form is
/// a short number (0.1 + 0.2 is 0.3, never 0.30000000000000004), every digit otherwise
/// ([`yearbook_core::format::figure_data`]); null for missing or infinite.
fn json_number(v: f64) -> serde_json::Value {
    let clean = yearbook_core::format::figure_data(v).and_then(|t| t.parse::<f64>().ok());
    clean.and_then(serde_json::Number::from_f64).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

fn table_grid(t: &Table, opts: &PrintOptions) -> Grid {
    let header = t.column_names().iter().map(|s| s.to_string()).collect();
    let numeric = t.columns.iter().map(|c| matches!(c.data, ColumnData::Number(_))).collect();
    let mut rows = Vec::new();
    let mut json = Vec::new();
    for r in 0..t.len {
        let mut row = Vec::new();
        let mut j = Vec::new();
        for c in t.columns.iter() {
            match &c.data {
                ColumnData::Number(v) => {
                    row.push(if v[r].is_nan() { String::new() } else { shown(v[r], opts.digits) });
                    j.push(json_number(v[r]));
                }
                ColumnData::Text(v) => {
                    row.push(v[r].clone());
                    j.push(serde_json::Value::from(v[r].clone()));
                }
            }
        }
        rows.push(row);
        json.push(j);
    }
    Grid { header, rows, numeric, json }
}

fn render_grid(g: &Grid, opts: &PrintOptions) -> String {
    match opts.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(&g.header);
            for (row, j) in g.rows.iter().zip(&g.json) {
                // CSV keeps every digit a figure holds, without binary noise: 30, not
                // 30.000000000000004; 123456789012345.67 as typed.
                let exact_row: Vec<String> = row
                    .iter()
                    .zip(j)
                    .map(|(t, v)| match v {
                        serde_json::Value::Number(n) => n.as_f64().and_then(yearbook_core::format::figure_data).unwrap_or_default(),
                        serde_json::Value::Null => String::new(),
                        _ => t.clone(),
                    })
                    .collect();
                let _ = w.write_record(&exact_row);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Format::Json => {
            let arr: Vec<serde_json::Value> =
                g.json.iter().map(|row| serde_json::Value::Object(g.header.iter().cloned().zip(row.iter().cloned()).collect())).collect();
            serde_json::to_string_pretty(&arr).unwrap_or_default() + "\n"
        }
        Format::Table | Format::Markdown => {
            if g.rows.is_empty() {
                return "(no values)\n".into();
            }
            let mut t = comfy_table::Table::new();
            t.load_style(if opts.format == Format::Markdown { presets::ASCII_MARKDOWN } else { TEXT_STYLE });
            t.set_content_arrangement(ContentArrangement::Disabled);
            let shown = g.rows.len().min(opts.max_rows.max(1));
            let mut rows: Vec<Vec<String>> = g.rows[..shown].to_vec();
            let mut header = g.header.clone();
            if opts.digits.is_none() {
                align_decimals(&mut rows, &g.json[..shown], &g.numeric);
            }
            if let Some(w) = opts.max_width.filter(|_| opts.format == Format::Table) {
                fit_width(&mut header, &mut rows, w);
            }
            t.set_header(header);
            for row in rows {
                t.add_row(row);
            }
            for (i, num) in g.numeric.iter().enumerate() {
                if *num && let Some(c) = t.column_mut(i) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            let mut out = t.to_string();
            out.push('\n');
            if shown < g.rows.len() {
                out.push_str(&format!("… {} more rows ({} in all)\n", g.rows.len() - shown, g.rows.len()));
            }
            out
        }
    }
}

/// An array or map whose elements are all series over the same axes and shape: the
/// columns of one table (`[gdp, pop]`, `#{gdp: gdp, 增速: pct(yoy(gdp))}`).
fn series_columns(v: &Dynamic, panel: Option<&Panel>) -> Option<Vec<(String, Series)>> {
    let items: Vec<(Option<String>, Dynamic)> = if v.is_array() {
        v.clone().into_array().ok()?.into_iter().map(|d| (None, d)).collect()
    } else if v.is_map() {
        v.clone().cast::<rhai::Map>().into_iter().map(|(k, d)| (Some(k.to_string()), d)).collect()
    } else {
        return None;
    };
    let mut cols: Vec<(String, Series)> = Vec::new();
    for (i, (key, d)) in items.into_iter().enumerate() {
        let s = d.try_cast::<Series>()?;
        if let Some((_, first)) = cols.first()
            && (!std::sync::Arc::ptr_eq(&first.axes, &s.axes) || first.by_region != s.by_region || first.by_period != s.by_period)
        {
            return None;
        }
        // Array elements are named by their indicator where they are one, else by position.
        let code =
            s.indicator.and_then(|k| panel.filter(|p| std::sync::Arc::ptr_eq(&p.axes, &s.axes)).map(|p| p.indicators[k].code.clone()));
        cols.push((key.or(code).unwrap_or_else(|| format!("{}", i + 1)), s));
    }
    (!cols.is_empty()).then_some(cols)
}

/// One row per cell where any column has a value; one value column per series, its
/// unit in the header.
fn columns_grid(cols: &[(String, Series)], opts: &PrintOptions) -> Grid {
    let named: Vec<(String, &Series)> =
        cols.iter().map(|(k, s)| (if s.unit.symbol.is_empty() { k.clone() } else { format!("{k} ({})", s.unit.symbol) }, s)).collect();
    cells_grid(cols[0].1.clone(), &named, None, opts)
}

/// A check's cells: status (pass, fail, note, not evaluable), its values and imbalance.
fn check_grid(c: &yearbook_core::check::Check, opts: &PrintOptions) -> Grid {
    let mut named: Vec<(String, &Series)> =
        c.values.iter().map(|(k, s)| (if s.unit.symbol.is_empty() { k.clone() } else { format!("{k} ({})", s.unit.symbol) }, s)).collect();
    // The imbalance over every cell printed (a check keeps it as `a - b`, read per cell).
    let imb = c.imbalance.as_ref().and_then(|i| i.to_series().ok());
    if let Some(imb) = &imb {
        let head = if imb.unit.symbol.is_empty() { "imbalance".to_string() } else { format!("imbalance ({})", imb.unit.symbol) };
        named.push((head, imb));
    }
    cells_grid(c.pass.clone(), &named, Some((&c.pass, c.note)), opts)
}

/// The shared layout of [`columns_grid`] and [`check_grid`]: region, name, period,
/// then an optional status column and the value columns.
fn cells_grid(shape: Series, named: &[(String, &Series)], status: Option<(&Series, bool)>, opts: &PrintOptions) -> Grid {
    let regions = &shape.axes.regions;
    let periods = shape.axes.periods;
    let by_region = shape.by_region || named.iter().any(|(_, s)| s.by_region);
    let by_period = shape.by_period || named.iter().any(|(_, s)| s.by_period);
    let rows_n = if by_region { regions.len() } else { 1 };
    let cols_n = if by_period { periods.len } else { 1 };
    let mut header = Vec::new();
    if by_region {
        header.extend(["region".to_string(), "name".to_string()]);
    }
    if by_period {
        header.push("period".into());
    }
    if status.is_some() {
        header.push("status".into());
    }
    header.extend(named.iter().map(|(h, _)| h.clone()));
    let fixed = header.len() - named.len();
    let numeric = (0..header.len()).map(|i| i >= fixed).collect();
    let (mut rows, mut json) = (Vec::new(), Vec::new());
    for r in 0..rows_n {
        for p in 0..cols_n {
            let st = status.map(|(m, note)| {
                let x = m.get(r, p);
                if x.is_nan() {
                    "not evaluable"
                } else if x != 0.0 {
                    "pass"
                } else if note {
                    "note"
                } else {
                    "fail"
                }
            });
            let vals: Vec<f64> = named.iter().map(|(_, s)| s.get(r, p)).collect();
            if st.is_none_or(|t| t == "not evaluable") && vals.iter().all(|v| v.is_nan()) {
                continue;
            }
            let (mut row, mut j) = (Vec::new(), Vec::new());
            if by_region {
                row.push(regions.codes[r].clone());
                row.push(regions.label(r as u32).to_string());
                j.push(serde_json::Value::from(regions.codes[r].clone()));
                j.push(serde_json::Value::from(regions.label(r as u32)));
            }
            if by_period {
                let per = periods.get(p).to_string();
                row.push(per.clone());
                j.push(serde_json::Value::from(per));
            }
            if let Some(t) = st {
                row.push(t.to_string());
                j.push(serde_json::Value::from(t));
            }
            for (v, (_, s)) in vals.iter().zip(named) {
                if s.mask && !v.is_nan() {
                    row.push((if *v != 0.0 { "true" } else { "false" }).to_string());
                    j.push(serde_json::Value::from(*v != 0.0));
                } else {
                    row.push(if v.is_nan() { MISSING.to_string() } else { shown(*v, opts.digits) });
                    j.push(json_number(*v));
                }
            }
            rows.push(row);
            json.push(j);
        }
    }
    Grid { header, rows, numeric, json }
}

/// Numbers in a column share their decimals (7.75 over 6500.00), as in DuckDB's shell:
/// each cell is printed again from its value (`values`, the grid's JSON cells) with the
/// column's most decimals, rounded half up on the decimal value, never padded with
/// zeros the value does not have (1.005 beside 0.285 prints 1.005, not 1.010).
fn align_decimals(rows: &mut [Vec<String>], values: &[Vec<serde_json::Value>], numeric: &[bool]) {
    let is_num = |s: &str| !s.is_empty() && s.trim_start_matches('-').chars().all(|ch| ch.is_ascii_digit() || ch == '.');
    for (c, _) in numeric.iter().enumerate().filter(|(_, n)| **n) {
        let decimals =
            rows.iter().filter_map(|r| r.get(c)).filter(|s| is_num(s)).map(|s| s.split_once('.').map_or(0, |(_, f)| f.len())).max();
        let Some(d) = decimals.filter(|d| *d > 0) else { continue };
        for (row, vals) in rows.iter_mut().zip(values) {
            let Some(cell) = row.get_mut(c).filter(|s| is_num(s)) else { continue };
            if let Some(v) = vals.get(c).and_then(serde_json::Value::as_f64) {
                *cell = round_half_up(v, d);
            }
        }
    }
}

/// Cuts the widest columns (cells end in …) until the table fits `width` characters;
/// when even narrow columns do not fit, the last columns give way to one "…" column
/// (as DuckDB's shell hides columns).
fn fit_width(header: &mut Vec<String>, rows: &mut [Vec<String>], width: usize) {
    use unicode_width::UnicodeWidthStr;
    const NARROWEST: usize = 4;
    let widths_of = |header: &[String], rows: &[Vec<String>]| -> Vec<usize> {
        (0..header.len()).map(|c| rows.iter().filter_map(|r| r.get(c)).chain([&header[c]]).map(|s| s.width()).max().unwrap_or(1)).collect()
    };
    // Borders: "│" between columns and a space either side of each cell.
    let total = |w: &[usize]| w.iter().sum::<usize>() + 3 * w.len().saturating_sub(1) + 2;
    let mut widths = widths_of(header, rows);
    let narrow = |w: &[usize]| w.iter().map(|x| (*x).min(NARROWEST)).collect::<Vec<_>>();
    let mut hidden = false;
    while header.len() > 2 && total(&narrow(&widths)) > width {
        let drop = header.len() - if hidden { 2 } else { 1 };
        header.remove(drop);
        rows.iter_mut().for_each(|r| {
            if drop < r.len() {
                r.remove(drop);
            }
        });
        if !hidden {
            header.push("…".into());
            rows.iter_mut().for_each(|r| r.push("…".into()));
            hidden = true;
        }
        widths = widths_of(header, rows);
    }
    while total(&widths) > width {
        let (i, &widest) = widths.iter().enumerate().max_by_key(|(_, w)| **w).unwrap_or((0, &0));
        if widest <= NARROWEST {
            break;
        }
        widths[i] -= 1;
    }
    let cut = |s: &mut String, w: usize| {
        if s.width() > w {
            let mut out = String::new();
            for ch in s.chars() {
                if out.width() + unicode_width::UnicodeWidthChar::width(ch).unwrap_or(1) + 1 > w {
                    break;
                }
                out.push(ch);
            }
            out.push('…');
            *s = out;
        }
    };
    for (c, w) in widths.iter().enumerate() {
        cut(&mut header[c], *w);
        for r in rows.iter_mut() {
            if let Some(s) = r.get_mut(c) {
                cut(s, *w);
            }
        }
    }
}

/// A series as text; a single cell prints as a scalar with its unit.
pub fn series_text(s: &Series, max_rows: usize, panel: Option<&Panel>) -> String {
    render_series(s, &PrintOptions { max_rows, ..Default::default() }, panel)
}

/// A series as text: regions down, periods across (labels from `panel`).
pub fn render_series(s: &Series, opts: &PrintOptions, panel: Option<&Panel>) -> String {
    if s.is_scalar() && matches!(opts.format, Format::Table | Format::Markdown) {
        return scalar_text(s.data[0], &s.unit.symbol, opts) + "\n";
    }
    render_grid(&series_grid(s, opts, panel), opts)
}

/// A record table as an aligned text table, at most `max_rows` rows.
pub fn table_text(t: &Table, max_rows: usize) -> String {
    render_grid(&table_grid(t, &PrintOptions::default()), &PrintOptions { max_rows, ..Default::default() })
}

fn scalar_text(v: f64, unit: &str, opts: &PrintOptions) -> String {
    let n = shown(v, opts.digits);
    if unit.is_empty() || n == MISSING {
        n
    } else if unit == "%" {
        format!("{n}%")
    } else {
        format!("{n} {unit}")
    }
}

/// Renders any script result.
pub fn render(v: &Dynamic, opts: &PrintOptions, panel: Option<&Panel>) -> String {
    if let Some(row) = v.read_lock::<crate::row::Row>() {
        return render(&Dynamic::from_map(row.to_map()), opts, panel);
    }
    if let Some(s) = v.read_lock::<Series>() {
        return render_series(&s, opts, panel);
    }
    if let Some(t) = v.read_lock::<Table>() {
        return render_grid(&table_grid(&t, opts), opts);
    }
    if let Some(g) = v.read_lock::<crate::grouped::Grouped>() {
        let keys: Vec<String> = g.groups.iter().map(|(k, r)| format!("{k} ({} rows)", r.len())).collect();
        return format!("grouped by {}: {}\n", g.key, keys.join(", "));
    }
    if let Some(c) = v.read_lock::<yearbook_core::check::Check>() {
        return render_grid(&check_grid(&c, opts), opts);
    }
    if let Some(cols) = series_columns(v, panel) {
        return render_grid(&columns_grid(&cols, opts), opts);
    }
    match opts.format {
        Format::Json => serde_json::to_string_pretty(&to_json(v, panel)).unwrap_or_default() + "\n",
        _ => {
            if v.is_unit() {
                return String::new();
            }
            // CSV keeps every digit of a number, as it does a series' (16.028571428571428,
            // not 16.03; 1e-12, not 0).
            if let Ok(f) = v.as_float()
                && opts.format == Format::Csv
            {
                return yearbook_core::format::figure_data(f).unwrap_or_default() + "\n";
            }
            // A number taken out of a series (`at`, `value`, a table's sum in 亿元) prints
            // with the amount's or count's unit it carries: 1.3 alone read as 1.3万元 where
            // it was 1.3亿元 (review33 06). A percent, an index or a multiple prints bare: a
            // difference of two percents carries % but is in 百分点.
            if let Ok(f) = v.as_float() {
                let unit = crate::unit_tag::unit_of(v).filter(|u| !u.is_dimensionless()).map(|u| u.symbol.to_string());
                return scalar_text(f, &unit.unwrap_or_default(), opts) + "\n";
            }
            if v.is_string() {
                return format!("{v}\n");
            }
            if v.is_array() || v.is_map() {
                // Mixed elements: each printed on its own, never a Rust type name.
                let items: Vec<(String, Dynamic)> = if v.is_array() {
                    v.clone().into_array().unwrap_or_default().into_iter().enumerate().map(|(i, d)| (format!("[{i}]"), d)).collect()
                } else {
                    v.clone().cast::<rhai::Map>().into_iter().map(|(k, d)| (k.to_string(), d)).collect()
                };
                if items.iter().all(|(_, d)| !is_value_type(d)) {
                    return format!("{}\n", describe(v));
                }
                let mut out = String::new();
                for (k, d) in items {
                    let text = render(&d, opts, panel);
                    if text.lines().count() > 1 {
                        out.push_str(&format!("{k}:\n{text}"));
                    } else {
                        out.push_str(&format!("{k}: {text}"));
                    }
                }
                return out;
            }
            format!("{}\n", describe(v))
        }
    }
}

/// A script value as text: arrays and maps element by element, floats never NaN or inf.
pub fn to_json(v: &Dynamic, panel: Option<&Panel>) -> serde_json::Value {
    if let Some(row) = v.read_lock::<crate::row::Row>() {
        return to_json(&Dynamic::from_map(row.to_map()), panel);
    }
    if v.is_unit() {
        return serde_json::Value::Null;
    }
    if let Ok(f) = v.as_float() {
        return json_number(f);
    }
    if let Ok(i) = v.as_int() {
        return i.into();
    }
    if let Ok(b) = v.as_bool() {
        return b.into();
    }
    // Text as a JSON string of its own characters (describe() quotes it for messages:
    // "abc" came out as "\"abc\"").
    if let Some(t) = v.read_lock::<rhai::ImmutableString>() {
        return serde_json::Value::String(t.to_string());
    }
    if let Ok(c) = v.as_char() {
        return serde_json::Value::String(c.to_string());
    }
    if v.is_array() {
        let a = v.clone().into_array().unwrap_or_default();
        return serde_json::Value::Array(a.iter().map(|x| to_json(x, panel)).collect());
    }
    if v.is_map() {
        let m = v.clone().cast::<rhai::Map>();
        return serde_json::Value::Object(m.iter().map(|(k, v)| (k.to_string(), to_json(v, panel))).collect());
    }
    if let Some(s) = v.read_lock::<Series>() {
        let g = series_grid(&s, &PrintOptions::default(), panel);
        return serde_json::Value::Array(
            g.json.iter().map(|row| serde_json::Value::Object(g.header.iter().cloned().zip(row.iter().cloned()).collect())).collect(),
        );
    }
    if let Some(c) = v.read_lock::<yearbook_core::check::Check>() {
        let g = check_grid(&c, &PrintOptions::default());
        return serde_json::Value::Array(
            g.json.iter().map(|row| serde_json::Value::Object(g.header.iter().cloned().zip(row.iter().cloned()).collect())).collect(),
        );
    }
    serde_json::Value::from(describe(v))
}

/// A series, table, check or group: printed as a table, not with Rhai's Display.
fn is_value_type(d: &Dynamic) -> bool {
    d.is::<Series>() || d.is::<Table>() || d.is::<yearbook_core::check::Check>() || d.is::<crate::grouped::Grouped>()
}

/// Any other value as text: numbers as printed elsewhere (missing as —), our types by
/// their script names (a Rust path such as `yearbook::series::Series` never shows).
pub fn describe(v: &Dynamic) -> String {
    // A missing cell of a table's row (`()`), inside a row, array or map: —, as a missing
    // figure (it printed nothing: `"quantity": ,`).
    if v.is_unit() {
        return yearbook_core::format::MISSING.to_string();
    }
    if let Ok(f) = v.as_float() {
        return crate::guard::float_text(f);
    }
    if v.is_array() {
        let a = v.clone().into_array().unwrap_or_default();
        return format!("[{}]", a.iter().map(describe).collect::<Vec<_>>().join(", "));
    }
    if v.is_map() {
        let m = v.clone().cast::<rhai::Map>();
        return format!("#{{{}}}", m.iter().map(|(k, d)| format!("{k:?}: {}", describe(d))).collect::<Vec<_>>().join(", "));
    }
    if v.is_string() {
        return format!("{v:?}");
    }
    if let Some(row) = v.read_lock::<crate::row::Row>() {
        return describe(&Dynamic::from_map(row.to_map()));
    }
    if let Some(s) = v.read_lock::<Series>() {
        return format!("Series ({} values, {})", s.count(), s.unit.show());
    }
    if let Some(t) = v.read_lock::<Table>() {
        return format!("Table {} ({} rows)", t.name, t.len);
    }
    if v.is::<yearbook_core::check::Check>() {
        return "Check".into();
    }
    if let Some(n) = v.read_lock::<crate::Namespace>() {
        return format!("namespace {}", n.name);
    }
    let t = v.type_name();
    if t.contains("::") { t.rsplit("::").next().unwrap_or(t).to_string() } else { v.to_string() }
}
