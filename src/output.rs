//! Printing results: a series as a long table (region, period, value, unit), record
//! tables, scalars; as an aligned text table (CJK-aware), CSV, JSON or Markdown.

use crate::format::{MISSING, exact, number_digits};
use crate::panel::Panel;
use crate::series::Series;
use crate::table::{ColumnData, Table};
use comfy_table::{CellAlignment, ContentArrangement, presets};
use rhai::Dynamic;

/// Lines above, under the header and below; none between rows (like psql and DuckDB).
const TEXT_STYLE: comfy_table::TableStyle = comfy_table::TableStyle::new()
    .top_border(comfy_table::LineStyle::none().fill('─').junction('─'))
    .header_separator(comfy_table::LineStyle::none().fill('─').junction('┼'))
    .content_lines(comfy_table::ContentLineStyle::none().junction('│'))
    .header_lines(comfy_table::ContentLineStyle::none().junction('│'))
    .bottom_border(comfy_table::LineStyle::none().fill('─').junction('─'));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
}

impl Format {
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

#[derive(Debug, Clone, Copy)]
pub struct PrintOptions {
    pub format: Format,
    /// Rows shown in table/markdown output before the rest is cut (with a count).
    pub max_rows: usize,
    /// Fixed decimals; default: 2 (4 significant digits below 1).
    pub digits: Option<usize>,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { format: Format::Table, max_rows: 100, digits: None }
    }
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
            let shown = if s.mask { (if v != 0.0 { "true" } else { "false" }).to_string() } else { number_digits(v, opts.digits) };
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

fn json_number(v: f64) -> serde_json::Value {
    if v.is_finite() {
        serde_json::Number::from_f64(v).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
    } else {
        serde_json::Value::Null
    }
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
                    row.push(if v[r].is_nan() { String::new() } else { number_digits(v[r], opts.digits) });
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
                // CSV keeps full precision.
                let exact_row: Vec<String> = row
                    .iter()
                    .zip(j)
                    .map(|(t, v)| match v {
                        serde_json::Value::Number(n) => n.as_f64().and_then(exact).unwrap_or_default(),
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
            t.set_header(g.header.clone());
            let shown = g.rows.len().min(opts.max_rows.max(1));
            for row in &g.rows[..shown] {
                t.add_row(row.clone());
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

/// A series as text; a single cell prints as a scalar with its unit.
pub fn series_text(s: &Series, max_rows: usize, panel: Option<&Panel>) -> String {
    render_series(s, &PrintOptions { max_rows, ..Default::default() }, panel)
}

pub fn render_series(s: &Series, opts: &PrintOptions, panel: Option<&Panel>) -> String {
    if s.is_scalar() && matches!(opts.format, Format::Table | Format::Markdown) {
        return scalar_text(s.data[0], &s.unit.symbol, opts) + "\n";
    }
    render_grid(&series_grid(s, opts, panel), opts)
}

pub fn table_text(t: &Table, max_rows: usize) -> String {
    render_grid(&table_grid(t, &PrintOptions::default()), &PrintOptions { max_rows, ..Default::default() })
}

fn scalar_text(v: f64, unit: &str, opts: &PrintOptions) -> String {
    let n = number_digits(v, opts.digits);
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
    if let Some(s) = v.read_lock::<Series>() {
        return render_series(&s, opts, panel);
    }
    if let Some(t) = v.read_lock::<Table>() {
        return render_grid(&table_grid(&t, opts), opts);
    }
    if let Some(g) = v.read_lock::<crate::script::table_api::Grouped>() {
        let keys: Vec<String> = g.groups.iter().map(|(k, r)| format!("{k} ({} rows)", r.len())).collect();
        return format!("grouped by {}: {}\n", g.key, keys.join(", "));
    }
    match opts.format {
        Format::Json => serde_json::to_string_pretty(&to_json(v, panel)).unwrap_or_default() + "\n",
        _ => {
            if v.is_unit() {
                return String::new();
            }
            if let Ok(f) = v.as_float() {
                return scalar_text(f, "", opts) + "\n";
            }
            format!("{}\n", display(v))
        }
    }
}

/// A script value as text: arrays and maps element by element, floats never NaN or inf.
fn display(v: &Dynamic) -> String {
    if let Ok(f) = v.as_float() {
        return crate::script::guard::float_text(f);
    }
    if v.is_array() {
        let a = v.clone().into_array().unwrap_or_default();
        return format!("[{}]", a.iter().map(display_item).collect::<Vec<_>>().join(", "));
    }
    if v.is_map() {
        let m = v.clone().cast::<rhai::Map>();
        return format!("#{{{}}}", m.iter().map(|(k, v)| format!("{k:?}: {}", display_item(v))).collect::<Vec<_>>().join(", "));
    }
    v.to_string()
}

fn display_item(v: &Dynamic) -> String {
    match v.clone().into_immutable_string() {
        Ok(s) => format!("{:?}", s.as_str()),
        Err(_) => display(v),
    }
}

pub fn to_json(v: &Dynamic, panel: Option<&Panel>) -> serde_json::Value {
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
    serde_json::Value::from(v.to_string())
}
