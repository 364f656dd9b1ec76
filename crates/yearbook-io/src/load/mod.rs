//! Loading a workspace's data: regions, indicator metadata, facts and record tables,
//! from CSV (UTF-8 or GBK) or .xlsx, with errors that name file, line and column.

mod claimed;
pub mod csv_lines;
pub(crate) mod facts;
pub use facts::limit_arenas;
pub(crate) mod facts_fast;
pub(crate) mod header;
mod mapped;
mod number_format;
mod ods;
#[cfg(feature = "parquet")]
pub(crate) mod parquet_file;
#[cfg(feature = "parquet")]
mod parquet_text;
pub(crate) mod region_codes;
pub(crate) mod shape;
mod sheet;
pub mod sniff;
pub(crate) mod table_file;
pub(crate) mod text;
mod total_rows;
pub(crate) mod wide;
mod xls;
pub(crate) mod xlsx;

use crate::config::{ConfigFile, FileSpec, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use table_file::{RawTable, read_table};
use text::Encoding;
use toml::Spanned;
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::indicator::{Indicator, Kind, Rollup};
use yearbook_core::panel::Panel;
use yearbook_core::period::Frequency;
use yearbook_core::region::{RegionRecord, Regions};
use yearbook_core::table::{ColumnType, Table};
use yearbook_core::unit::Unit;

/// What loading took, for `--verbose` and the benchmark.
#[derive(Debug, Default, Clone)]
pub struct LoadStats {
    /// Bytes of fact files read.
    pub fact_bytes: u64,
    /// How long loading took.
    pub elapsed: Duration,
    /// Things worth a look that did not stop loading (periods far from the others).
    pub warnings: Vec<String>,
    /// Every input file read (regions, indicators, facts, tables), in that order: the run
    /// history records their hashes.
    pub files: Vec<std::path::PathBuf>,
}

/// What loading gives: the panel, the record tables and statistics.
pub struct Loaded {
    /// The dense panel of facts.
    pub panel: Panel,
    /// Record tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Bytes read and time taken.
    pub stats: LoadStats,
}

/// The most region levels (level numbers are 8-bit).
pub const MAX_LEVELS: usize = 255;

/// Region levels when the config names none, top first.
pub const DEFAULT_LEVELS: [&str; 5] = ["province", "city", "county", "town", "village"];

/// Loads every data file named in the config. `data_dir` replaces the folder the data
/// paths are relative to.
/// With `with_facts` false only regions, indicator metadata and tables are read (for
/// `yearbook check`): the panel has the indicators but no periods.
pub fn load(cfg: &ConfigFile, data_dir: Option<&Path>, with_facts: bool) -> Result<Loaded> {
    let t0 = Instant::now();
    let base = match (data_dir, &cfg.config.data.dir) {
        (Some(d), _) => d.to_path_buf(),
        (None, Some(d)) => cfg.dir().join(d.get_ref()),
        (None, None) => cfg.dir(),
    };
    let data = &cfg.config.data;
    let levels: Vec<String> = cfg.config.workspace.levels.clone().unwrap_or_else(|| DEFAULT_LEVELS.iter().map(|s| s.to_string()).collect());
    if levels.len() > MAX_LEVELS {
        // Level numbers are 8-bit: refused rather than wrapped onto another level.
        let line = cfg.text.lines().position(|t| t.trim_start().starts_with("levels")).map(|i| i + 1).unwrap_or(1);
        return Err(Error::config(
            Location::new(cfg.path.display().to_string(), line, None),
            format!("levels lists {} levels: at most {MAX_LEVELS}", levels.len()),
        ));
    }
    let regions = load_regions(cfg, &base, &data.regions, levels)?;
    let indicators = load_indicators(cfg, &base, &data.indicators)?;
    let mut builder = facts::PanelBuilder::new(regions, indicators).with_max_cells(cfg.config.limits.max_panel_cells);
    if !with_facts {
        builder.facts_unread();
    }
    let freq = match &cfg.config.workspace.frequency {
        Some(f) => Some(Frequency::parse(f.get_ref()).ok_or_else(|| {
            Error::config(cfg.at(f.span()), format!("unknown frequency \"{}\": use year, quarter or month", f.get_ref()))
        })?),
        None => None,
    };
    if let Some(f) = freq {
        builder.declare_frequency(f);
    }
    // Indicators of `annual = true` files: their figures reach the year's end.
    let mut annual_inds: std::collections::HashSet<u32> = Default::default();
    // Indicators of 1-N月累计 or yearly figures (`Panel::spread`), and those also loaded plain.
    let mut spreads: rustc_hash::FxHashMap<u32, yearbook_core::series::Spread> = Default::default();
    let mut plain: std::collections::HashSet<u32> = Default::default();
    // With the facts read: per indicator of a namespace, the first file that gave it
    // figures of each kind (None: plain), to refuse one series of two kinds.
    let mut kinds: rustc_hash::FxHashMap<u32, Vec<(Option<yearbook_core::series::Spread>, String)>> = Default::default();
    let mut stats = LoadStats::default();
    for src in [&data.regions, &data.indicators] {
        stats.files.push(resolve(cfg, &base, src)?);
    }
    // The fact files read so far, to find where a repeated key was first given.
    let mut read: Vec<(FactFile, facts::SourceIndicators)> = Vec::new();
    for src in &data.facts {
        let spec = &src.get_ref().0;
        let path = resolve(cfg, &base, src)?;
        stats.files.push(path.clone());
        let label = label_of(&path);
        let enc = encoding(cfg, spec)?;
        let header_row = header_row(cfg, spec)?;
        refuse_keys(
            cfg,
            src,
            spec.columns_are.is_none(),
            &[("region", spec.region.is_some()), ("period", spec.period.is_some()), ("indicator", spec.indicator.is_some())],
            "only with `columns_are` (a wide table)",
        )?;
        refuse_keys(cfg, src, true, &[("types", !spec.types.is_empty())], "only in [data.tables] entries (record tables)")?;
        let axis = match &spec.columns_are {
            Some(a) => Some(wide::Axis::parse(a.get_ref()).ok_or_else(|| {
                Error::config(cfg.at(a.span()), format!("unknown columns_are \"{}\": use indicators, periods or regions", a.get_ref()))
            })?),
            None => None,
        };
        let namespace = spec.namespace.as_deref().or(spec.is_cumulative().then_some(yearbook_core::period::spelling::CUMULATIVE_NAMESPACE));
        let unit = entry_unit(cfg, src)?;
        let inds = builder.source_indicators(namespace, unit.as_deref());
        if spec.annual {
            annual_inds.extend(inds.by_code.values().copied());
        }
        let spread = match (spec.annual, spec.is_cumulative()) {
            (true, _) => Some(yearbook_core::series::Spread::Annual),
            (false, true) => Some(yearbook_core::series::Spread::Cumulative),
            _ => None,
        };
        // Only a namespace's indicators are all of this kind (`target.gdp`); the base
        // ones (`gdp`) come from other files too. Without the facts read, a namespace also
        // loaded from a file of plain figures is of neither kind; with them, each
        // indicator is of the kind of the files that gave it figures.
        builder.begin_file(&label);
        if !with_facts {
            match (spread, namespace) {
                (Some(sp), Some(_)) => spreads.extend(inds.by_code.values().map(|&i| (i, sp))),
                (None, Some(_)) => plain.extend(inds.by_code.values().copied()),
                _ => {}
            }
            continue;
        }
        if spec.annual && spec.is_cumulative() {
            return Err(Error::config(
                cfg.at(src.span()),
                "`annual = true` and `cumulative = true` together: a yearly figure (a target) spread over the months is not a \
                 cumulative one; keep one of them",
            ));
        }
        let annual = match (spec.annual, freq) {
            (false, _) => None,
            (true, Some(f)) => Some(f),
            (true, None) => {
                return Err(Error::config(
                    cfg.at(src.span()),
                    "`annual = true` spreads yearly figures over the months or quarters of the panel: \
                     set [workspace] frequency = \"month\" (or \"quarter\")",
                ));
            }
        };
        let file = FactFile { path, label, spec, unit, enc, header_row, axis, annual, frequency: freq };
        let done = read_facts(&builder, &file, &inds)
            .and_then(|b| builder.refuse_dotted_october(&file.label).map(|()| b))
            .and_then(|b| builder.refuse_bare_cumulative(&file.label).map(|()| b))
            .and_then(|b| builder.refuse_mixed_spans(&file.label).map(|()| b));
        let done = match spec.cumulative {
            None if !spec.annual => done.and_then(|b| builder.unsaid_cumulative(&file.label).map(|()| b)),
            Some(true) => done.and_then(|b| builder.single_said_cumulative(&file.label).map(|()| b)),
            _ => done,
        };
        // A key two threads both gave is found when their claims merge, after the read:
        // it makes any error of the file order-dependent (read again in order below).
        let done = match builder.merged_repeat() {
            Some(m) if done.is_ok() => Err(Error::data(Location::new(&file.label, 1, None), m)),
            _ => done,
        };
        match done {
            Ok(bytes) => stats.fact_bytes += bytes,
            Err(e) if builder.order_dependent() => return Err(place_in_order(&mut builder, &read, (&file, &inds), e)),
            Err(e) => return Err(e),
        }
        if namespace.is_some() {
            for i in builder.file_indicators() {
                let seen = kinds.entry(i).or_default();
                if let Some((other, first)) = seen.iter().find(|(k, _)| *k != spread) {
                    if freq.is_some_and(|f| f.per_year() > 1) {
                        let code = &builder.indicators[i as usize].code;
                        return Err(Error::config(cfg.at(src.span()), mixed_kinds(code, (*other, first), (spread, &file.label))));
                    }
                } else if !seen.iter().any(|(k, _)| *k == spread) {
                    seen.push((spread, file.label.clone()));
                }
                match spread {
                    Some(sp) => {
                        spreads.insert(i, sp);
                    }
                    None => {
                        plain.insert(i);
                    }
                }
            }
        }
        read.push((file, inds));
    }
    let (mut panel, warnings) = builder.finish(freq)?;
    panel.last_reported = last_reported(&panel, &annual_inds);
    spreads.retain(|i, _| !plain.contains(i));
    panel.spread = spreads;
    stats.warnings = warnings;
    if let Some(f) = freq
        && panel.periods().freq != f
        && panel.periods().len > 0
    {
        let at = cfg
            .config
            .workspace
            .frequency
            .as_ref()
            .map(|s| cfg.at(s.span()))
            .unwrap_or_else(|| Location::new(cfg.path.display().to_string(), 1, None));
        return Err(Error::config(at, format!("frequency is {} but the facts are by {}", f.name(), panel.periods().freq.name())));
    }
    let mut tables = BTreeMap::new();
    // The names a record table's row for the whole region may carry: the top regions
    // that have regions under them (某县 above its towns).
    let tops: Vec<String> = {
        let r = panel.regions();
        (0..r.len())
            .filter(|&i| r.parent[i] == yearbook_core::region::NONE && r.parent.contains(&(i as u32)))
            .map(|i| r.names[i].clone())
            .collect()
    };
    for (name, src) in &data.tables {
        let spec = &src.get_ref().0;
        let path = resolve(cfg, &base, src)?;
        stats.files.push(path.clone());
        let facts_keys = [
            ("cumulative", spec.cumulative.is_some()),
            ("annual", spec.annual),
            ("year", spec.year.is_some()),
            ("columns_are", spec.columns_are.is_some()),
            ("region", spec.region.is_some()),
            ("period", spec.period.is_some()),
            ("indicator", spec.indicator.is_some()),
            ("namespace", spec.namespace.is_some()),
        ];
        refuse_keys(cfg, src, true, &facts_keys, "only in [[data.facts]] entries")?;
        let mut t = read_table(&path, &label_of(&path), encoding(cfg, spec)?, spec.sheet.as_deref(), header_row(cfg, spec)?)?;
        t.refuse_swallowed_rows("records", true)?;
        stats.warnings.extend(t.read_codes_saved_as_numbers());
        refuse_repeated_columns(&t)?;
        let types = column_types(cfg, spec, &t)?;
        t.percent_as_shown();
        t.percent_columns(|f| types[f] != ColumnType::Auto);
        // A code column, or a number of 16 digits or more in scientific notation in any
        // column (a mangled code under a header that does not say so: 税号, credit).
        let code = |f: usize, cell: &str| {
            types[f] == ColumnType::Text || yearbook_core::table::is_identifier_header(&t.header[f]) || table_file::scientific_long(cell)
        };
        t.refuse_lost_digits(|f| types[f] != ColumnType::Number, code)?;
        if !t.merged.is_empty() {
            let figures = figure_columns(name, &t, &types);
            t.refuse_merged_figures(|f| figures.get(f).copied().unwrap_or(false))?;
        }
        stats.warnings.extend(t.swallowed_row_warnings());
        let (records, left_out) = total_rows::leave_out(&t.file, name, &t.header, t.rows, &types, &tops);
        stats.warnings.extend(left_out);
        refuse_unread_numbers(&t.file, name, &t.header, &types, &records)?;
        let rows: Vec<Vec<String>> = records.into_iter().map(|(_, r)| r).collect();
        let table = Table::from_rows_typed(name, &t.header, &rows, &types);
        let units = column_units(&table, t.unit.as_deref(), &t.more_units, &t.units_below, &t.file, t.header_line)?;
        tables.insert(name.clone(), table.with_units(units));
    }
    stats.elapsed = t0.elapsed();
    Ok(Loaded { panel, tables, stats })
}

/// The columns of a record table that hold figures: numbers (as declared, or as read),
/// other than keys ([`yearbook_core::table::is_key_header`]: 序号, 代码, 行次, 统计年份, year). A merged cell there is
/// refused ([`RawTable::refuse_merged_figures`]); a merged code or year is filled down.
fn figure_columns(name: &str, t: &RawTable, types: &[ColumnType]) -> Vec<bool> {
    let rows: Vec<Vec<String>> = t.rows.iter().map(|(_, r)| r.clone()).collect();
    let table = Table::from_rows_typed(name, &t.header, &rows, types);
    table
        .columns
        .iter()
        .map(|c| matches!(c.data, yearbook_core::table::ColumnData::Number(_)) && !yearbook_core::table::is_key_header(&c.name))
        .collect()
}

/// The unit of each column of a record table, where the file says it: a unit yearbook
/// reads in the header's brackets (投资（亿元）), else the row of units under the header
/// (`（亿元）` under 总投资: its figures were read with no unit, 10^4 off beside 万元),
/// else the table's unit row (单位：亿元, one unit) over a column of figures that is no
/// key (序号, 代码, 年份) and whose header names no unit. A column whose header says what
/// it counts ([`header::counted_by`]: 就业人数, 项目数, 完成率) takes the first unit of that
/// kind among the row's cells (`more`: 金额单位：亿元 | 人数单位：人), and none where the
/// row has none of its kind (70 people under 金额单位：亿元 are 70, not 70亿元). Another
/// column takes the row's first unit: the row does not say which columns it speaks for. A
/// unit under the header of the same kind as the unit row above and of another scale is
/// refused at the row of units: the file does not say which it is in.
fn column_units(
    table: &Table,
    unit_row: Option<&str>,
    more: &[String],
    below: &[String],
    file: &str,
    header_line: usize,
) -> Result<Vec<Option<yearbook_core::unit::Unit>>> {
    // A unit in a header's brackets (or under it) that yearbook converts, or a count in a
    // magnitude (接待游客（万人次）, 企业（万个）): dropped, 4.5万人次 was 4.5. A bracket of
    // another word (项目（续建）) is no unit.
    let known = |u: &str| {
        let text = header::normalize_unit(u);
        let unit = yearbook_core::unit::Unit::parse(&text);
        (unit.is_known() || (unit.scale != 1.0 && header::readable_unit(&text))).then_some(unit)
    };
    // A unit row's units were read as units ([`header::find`]): a count word (单位：个,
    // 万人次, 万家) is one too, and dropped left 4万个 as 4.
    let row_unit = |u: &str| {
        let text = header::normalize_unit(u.trim());
        header::readable_unit(&text).then(|| yearbook_core::unit::Unit::parse(&text))
    };
    // A list (单位：万元、万人, or 金额单位：万元 人口单位：万人 in one cell) speaks first for
    // the columns that say nothing of what they hold, as a row of several cells does.
    let row = unit_row.and_then(|u| u.split('、').next()).and_then(row_unit);
    // Every unit the row names, in its cells' order (a list's items, then the cells after
    // the first), for the columns that say what they count.
    let named: Vec<yearbook_core::unit::Unit> =
        unit_row.into_iter().flat_map(|u| u.split('、')).chain(more.iter().map(String::as_str)).filter_map(row_unit).collect();
    // Whether the row names units of several kinds (万元、人; 万元 and 美元 are one kind).
    // A unit per person (人均：元, 元/人) speaks for the columns per person alone.
    let kinds: Vec<&yearbook_core::unit::Unit> = named.iter().filter(|u| !u.symbol.ends_with("/人")).collect();
    let several = kinds.iter().any(|u| kinds.iter().any(|v| !u.same_dimension(v) && !u.both_money(v)));
    let figures_of = |c: &yearbook_core::table::Column| {
        matches!(c.data, yearbook_core::table::ColumnData::Number(_)) && !yearbook_core::table::is_key_header(&c.name)
    };
    // The unit row speaks for some column of figures (one naming no unit of its own): a
    // column that names its own (人均收入（元） beside 投资 under 单位：万元) is its own.
    // Where every column of figures names its own, a unit row of their kind and another
    // scale contradicts them.
    let row_speaks = table.columns.iter().enumerate().any(|(i, c)| {
        figures_of(c) && wide::split_unit(&c.name).1.is_none() && below.get(i).and_then(|cell| header::column_unit(cell)).is_none()
    });
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let figures = matches!(c.data, yearbook_core::table::ColumnData::Number(_)) && !yearbook_core::table::is_key_header(&c.name);
            if let Some(u) = wide::split_unit(&c.name).1 {
                // A header's unit that the row of units under it or the unit row above
                // contradicts (完成投资（万元） under 单位：元, or over （元）): the file does not say
                // which the figures are in (read by the header, 8000万元 of 元 was 80,000,000万元).
                let under = below.get(i).and_then(|cell| header::column_unit(cell));
                if let Some((other, f)) = under.as_deref().and_then(|b| header::conflicting_units(u, b)) {
                    return Err(Error::data(
                        Location::new(file, header_line + 1, Some(i + 1)),
                        header::conflict_message_with(
                            &format!("the column \"{}\"", c.name),
                            u,
                            "the row of units under the header",
                            &other,
                            f,
                        ),
                    ));
                }
                if let Some((other, f)) = unit_row.filter(|_| !row_speaks).and_then(|above| header::conflicting_units(u, above)) {
                    return Err(Error::data(
                        Location::new(file, header_line, Some(i + 1)),
                        header::conflict_message(&format!("the column \"{}\"", c.name), u, &other, f),
                    ));
                }
                return Ok(known(u).filter(|_| figures));
            }
            if let Some(u) = below.get(i).and_then(|cell| header::column_unit(cell)) {
                if let Some((other, f)) = unit_row.and_then(|above| header::conflicting_units(&u, above)) {
                    return Err(Error::data(
                        Location::new(file, header_line + 1, Some(i + 1)),
                        header::conflict_message("the row of units under the header", &u, &other, f),
                    ));
                }
                return Ok(known(&u).filter(|_| figures));
            }
            if !figures {
                return Ok(None);
            }
            Ok(match header::counted_by(&c.name) {
                Some(counted) => counted.unit_from(&c.name, &named, row.as_ref(), several),
                // A column that says nothing of what it holds takes the row's unit where
                // the row names one kind; among several (单位：万元、%) the row does not say
                // which is its (比上年增长 read as 33.3万元).
                None => row.clone().filter(|_| !several),
            })
        })
        .collect()
}

/// A cell of a column declared `number` (`types = { 投资额 = "number" }`) that is not a
/// number is refused at its line and column. Read as missing, `1.2万` or `l200` dropped
/// out of `sum` without a word, where the same column undeclared is an error when used.
/// Blanks and missing symbols (—, x) stay missing.
fn refuse_unread_numbers(file: &str, table: &str, header: &[String], types: &[ColumnType], records: &[(usize, Vec<String>)]) -> Result<()> {
    for (line, row) in records {
        for (f, cell) in row.iter().enumerate() {
            if types.get(f) != Some(&ColumnType::Number) {
                continue;
            }
            if let Err(e) = yearbook_core::number::parse_value(cell.as_bytes(), false) {
                let name = header.get(f).map(String::as_str).unwrap_or("");
                let trimmed = cell.trim();
                let what = match trimmed.chars().last() {
                    Some(sign @ ('%' | '‰')) => format!(
                        "value \"{trimmed}\" is written with a {sign} sign: write it as {} and the unit in the header (完成率（{sign}）)",
                        trimmed.trim_end_matches(sign).trim_end()
                    ),
                    _ if e.ends_with("is not a number") => format!(
                        "{e}: write the figure as a plain number in the column's unit (1200元 as 1200 in 元, 0.12 in 万元), or leave \
                         the cell empty if it has none"
                    ),
                    _ => e,
                };
                return Err(Error::data(
                    Location::new(file, *line, Some(f + 1)),
                    format!(
                        "column \"{name}\" of table `{table}` is declared a number (`types`), but {what}; or declare the column \"text\""
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The last period in which an indicator not from an `annual = true` file, nor of a
/// namespace of targets (`target.gdp`: next year's 2022 targets loaded at the year's end),
/// has a value: rule23 04 took 2022 for "latest", a year with no GDP, and checked nothing.
fn last_reported(panel: &Panel, annual: &std::collections::HashSet<u32>) -> Option<usize> {
    let rows = panel.regions().len();
    let periods = panel.periods().len;
    // Also a few more names of targets, by the whole name only (年度目标, tgt): `plant`,
    // `plan_done`, 任务完成 or 计划外投资 are figures (review25 04).
    let target = |i: usize| {
        panel.indicators[i].code.split_once('.').is_some_and(|(ns, _)| {
            yearbook_core::series::is_target_namespace(ns)
                || matches!(ns.to_ascii_lowercase().as_str(), "tgt" | "tgts" | "年度目标" | "年度计划" | "年度任务" | "目标值")
        })
    };
    (0..periods).rev().find(|&p| {
        panel.data.iter().enumerate().any(|(i, d)| {
            !annual.contains(&(i as u32)) && !target(i) && d.get(p * rows..(p + 1) * rows).is_some_and(|c| c.iter().any(|v| !v.is_nan()))
        })
    })
}

fn label_of(path: &Path) -> String {
    path.display().to_string()
}

fn resolve(cfg: &ConfigFile, base: &Path, src: &Spanned<Source>) -> Result<PathBuf> {
    let spec = &src.get_ref().0;
    let path = match spec.base.as_deref() {
        None | Some("data") => base.join(spec.file.get_ref()),
        Some("config") => cfg.dir().join(spec.file.get_ref()),
        Some(other) => {
            return Err(Error::config(cfg.at(src.span()), format!("unknown base \"{other}\": use \"data\" (default) or \"config\"")));
        }
    };
    if !path.is_file() {
        let span = if spec.file.span().is_empty() { src.span() } else { spec.file.span() };
        return Err(Error::config(cfg.at(span), format!("data file not found: {}", path.display())));
    }
    Ok(path)
}

fn encoding(cfg: &ConfigFile, spec: &FileSpec) -> Result<Encoding> {
    match &spec.encoding {
        None => Ok(Encoding::Utf8),
        Some(e) => Encoding::parse(e.get_ref())
            .ok_or_else(|| Error::config(cfg.at(e.span()), format!("unknown encoding \"{}\": use \"utf-8\" or \"gbk\"", e.get_ref()))),
    }
}

/// One fact file and how its entry says to read it.
struct FactFile<'a> {
    path: PathBuf,
    label: String,
    spec: &'a FileSpec,
    /// The entry's `unit` as read ([`entry_unit`]).
    unit: Option<String>,
    enc: Encoding,
    header_row: Option<usize>,
    axis: Option<wide::Axis>,
    /// `annual = true`: the panel's frequency its years spread over.
    annual: Option<Frequency>,
    /// The workspace's declared frequency, if any.
    frequency: Option<Frequency>,
}

/// The error of a fact file whose parallel load failed with an error whose place depends
/// on the order the threads met its facts in (`first`): the file read again in order, on
/// one thread, storing nothing, gives the error a reading from the top meets first. For a
/// repeated key, one more ordered reading of this file or of the earlier ones finds where
/// the key was first given.
fn place_in_order(
    builder: &mut facts::PanelBuilder,
    earlier: &[(FactFile, facts::SourceIndicators)],
    (file, inds): (&FactFile, &facts::SourceIndicators),
    first: Error,
) -> Error {
    builder.recheck();
    let again = read_facts(builder, file, inds);
    let repeated = builder.repeated();
    let Err(err) = again else {
        // Not met again (the file changed while it was read): the parallel load's error.
        return first;
    };
    let Some((key, line, in_file)) = repeated.filter(|r| err.span().is_some_and(|s| s.line == r.1)) else {
        return err;
    };
    // Parquet files are counted in rows (no header line), the others in lines.
    let row_of = |f: &FactFile| if table_file::is_parquet(&f.path) { "row" } else { "line" };
    let row = row_of(file);
    let searched: Vec<(&FactFile, &facts::SourceIndicators)> =
        if in_file { vec![(file, inds)] } else { earlier.iter().map(|(f, i)| (f, i)).collect() };
    let mut at = None;
    for (f, inds) in searched {
        builder.find(key);
        let stop = read_facts(builder, f, inds);
        if let (true, Err(e)) = (builder.found(), stop)
            && let Some(span) = e.span()
        {
            at = Some((f, span.clone()));
            break;
        }
    }
    let Some(span) = err.span() else { return err };
    // Named by the place the loader gives (a sheet of a workbook is `file[sheet]`).
    let message = match at {
        Some((_, first)) if first.source == span.source && first.line == line => match first.col {
            Some(c) => format!("{}: first given at {row} {line}, column {c}", err.message()),
            None => format!("{}: first given earlier on this {row}", err.message()),
        },
        Some((_, first)) if first.source == span.source => format!("{}: first given at {row} {}", err.message(), first.line),
        Some((f, first)) => format!("{}: first given at {} {} of {}", err.message(), row_of(f), first.line, first.source),
        None => format!("{}: given twice", err.message()),
    };
    Error::data(Location::new(span.source.clone(), line, span.col), message)
}

/// Why one namespaced series cannot hold figures of two kinds (1-N月累计 from one file,
/// single months from another: quarters() of it added 1-3月 to April's own), and what
/// to write.
fn mixed_kinds(code: &str, a: (Option<yearbook_core::series::Spread>, &str), b: (Option<yearbook_core::series::Spread>, &str)) -> String {
    use yearbook_core::series::Spread;
    let kind = |k: Option<Spread>| match k {
        Some(Spread::Annual) => "a year's figures (`annual = true`)",
        Some(_) => "1-N月累计 (`cumulative = true`)",
        None => "single periods' figures",
    };
    format!(
        "{code} is loaded from {} as {} and from {} as {}: one series cannot hold both (quarters() or cumulate() would add \
         the months again, month_of() subtract the wrong ones); give the second file's figures in the first one's kind (1-N月累计 \
         with `cumulative = true`), or load it into a namespace of its own",
        a.1,
        kind(a.0),
        b.1,
        kind(b.0)
    )
}

/// Reads one fact file into the builder: the fast loader for plain long UTF-8 CSV whose
/// header is its first line, else the table reader (each matching sheet; long or wide).
/// Returns the bytes the fast loader read (0 for the table reader).
fn read_facts(builder: &facts::PanelBuilder, f: &FactFile, inds: &facts::SourceIndicators) -> Result<u64> {
    let spec = f.spec;
    // An entry's unit of an amount (`unit = "亿元"` on a plan's file, or on towns' figures
    // sent in 亿元) is this file's unit, as a 单位：亿元 row above its header would be: its
    // figures convert into each indicator's own unit (a second file in 万元 keeps its own).
    // Without a namespace too (review33 01: it was ignored there, 1.5亿元 read as 1.5万元).
    let file_unit = f.unit.as_deref().filter(|u| facts::unit_of_file(u));
    let periods = yearbook_core::period::spelling::PeriodOptions {
        cumulative: spec.is_cumulative(),
        year: spec.year,
        annual: f.annual,
        frequency: f.frequency,
        column: None,
    };
    // A long Parquet file: its columns typed, row groups on all cores.
    #[cfg(feature = "parquet")]
    if f.axis.is_none() && table_file::is_parquet(&f.path) && file_unit.is_none() {
        return parquet_file::load_facts(builder, &f.path, &f.label, &spec.columns, &periods, inds);
    }
    if f.axis.is_none()
        && f.annual.is_none()
        && file_unit.is_none()
        && !table_file::is_parquet(&f.path)
        && f.enc == Encoding::Utf8
        && !table_file::is_xlsx(&f.path)
        && f.header_row.is_none()
        && let Some(bytes) = facts_fast::load(builder, &f.path, &f.label, &spec.columns, &periods, inds)?
    {
        return Ok(bytes);
    }
    let sheets: Vec<Option<String>> = match spec.sheet.as_deref() {
        Some(p) if table_file::is_xlsx(&f.path) && table_file::is_pattern(p) => {
            table_file::matching_sheets(&f.path, &f.label, p)?.into_iter().map(Some).collect()
        }
        other => vec![other.map(str::to_string)],
    };
    for sheet in &sheets {
        let mut t = read_table(&f.path, &f.label, f.enc, sheet.as_deref(), f.header_row)?;
        t.refuse_swallowed_rows("facts", false)?;
        // A long file's figures are all in its one value column: a labelled unit cell
        // anywhere in the row is the table's. A wide table's cell may stand over some of
        // its columns (人口单位：万人 over 常住人口, beside 从业人员 in 人): read by it
        // alone, 1200 from 从业人员 loaded as 1200万人 (review38 01).
        if f.axis.is_none() {
            t.units_joined();
        }
        // The entry's unit where the file's own units are of other kinds: it speaks for
        // the indicators of its kind (review34 02: 3 under 金额单位：万元 with unit = "万人"
        // loaded as 3人).
        let mut entry_unit = None;
        if let Some(u) = file_unit {
            match &t.unit {
                // Units under the header ((万人) below `value`) are the file's own: the
                // entry's must agree where of their kind, and does not replace them
                // (review35 03: 3万人 read as 3人 under unit = "万元").
                None if !t.units_below.is_empty() => {
                    if let Some((other, factor)) = header::conflicting_units(u, &t.units_below.join("、")) {
                        return Err(Error::data(
                            Location::new(&t.file, t.header_line, None),
                            header::conflict_message_with(
                                &format!("the config's unit = \"{u}\" for `{}`", f.label),
                                u,
                                "the units row under the header",
                                &other,
                                factor,
                            ),
                        ));
                    }
                    if !header::names_kind_of(&t.units_below.join("、"), u) {
                        entry_unit = Some(u);
                    }
                }
                None => t.unit = Some(u.to_string()),
                Some(row) => {
                    if let Some((other, factor)) = header::conflicting_units(u, row) {
                        return Err(Error::data(
                            Location::new(&t.file, t.header_line, None),
                            header::conflict_message(&format!("the config's unit = \"{u}\" for `{}`", f.label), u, &other, factor),
                        ));
                    }
                    if !header::names_kind_of(row, u) {
                        entry_unit = Some(u);
                    }
                }
            }
        }
        t.percent_as_shown();
        t.units_into_header()?;
        match f.axis {
            Some(axis) => {
                let w = wide::Wide {
                    axis,
                    region: spec.region.as_deref(),
                    period: spec.period.as_deref(),
                    indicator: spec.indicator.as_deref(),
                    rename: &spec.columns,
                    periods: periods.clone(),
                    entry_unit,
                };
                if axis == wide::Axis::Periods {
                    refuse_year_point_one(&t, None, &periods)?;
                }
                wide::ingest(builder, &t, &w, inds)?;
            }
            None => {
                let mut cols = facts::FactColumns::resolve(&t.file, &t.header, t.header_line, &spec.columns)?;
                cols.more_units = entry_unit.map(|u| (std::sync::Arc::from(u), facts::CONFIG_UNIT)).into_iter().collect();
                // The value column's own unit (数值（万元）) against the config's: refused at
                // the header, naming both places.
                if let (Some(own), Some(u)) = (cols.file_unit.as_deref(), file_unit)
                    && let Some((_, factor)) = header::conflicting_units(own, u)
                {
                    return Err(Error::data(
                        Location::new(&t.file, t.header_line, Some(cols.value + 1)),
                        header::conflict_message_with(
                            &format!("the value column \"{}\"", t.header[cols.value]),
                            own,
                            &format!("the config's unit for `{}`", f.label),
                            u,
                            factor,
                        ),
                    ));
                }
                t.refuse_lost_digits(|f| f == cols.region, |f, _| f == cols.region)?;
                let keys = [Some(cols.region), Some(cols.period), Some(cols.indicator), Some(cols.value), cols.flag, cols.unit];
                t.refuse_line_breaks(|f| keys.contains(&Some(f)))?;
                t.refuse_merged_figures(|f| f == cols.value)?;
                cols.read_periods(&periods, &t.header);
                builder.note_value_header(&cols, &t.header, t.header_line);
                // A period column of Excel dates of years (2020-01-01, 2021-01-01 shown as
                // 2020年, 2021年) under a header that names no frequency (时期): years, as a
                // wide table's headers of them are, where the workspace does not say months.
                if cols.periods.column.is_none()
                    && periods.frequency.is_none()
                    && wide::dates_of_years(t.rows.iter().filter_map(|(_, r)| r.get(cols.period)).map(|c| c.as_str()), true)
                {
                    cols.periods.column = Some(Frequency::Year);
                    let place = format!("the cells of column `{}`", t.header[cols.period]);
                    let dates = t.rows.iter().filter_map(|(_, r)| r.get(cols.period)).map(|c| c.as_str());
                    builder.note(wide::years_note(&t.file, &place, dates));
                }
                refuse_year_point_one(&t, Some(cols.period), &periods)?;
                builder.ingest_rows(&t, &cols, inds)?;
            }
        }
    }
    Ok(0)
}

/// A workbook's number cell 2021.1 read as a month (in the period column `field`, or in
/// the header where columns are periods) is refused at its cell: it is January as
/// written, but October typed as 2021.10 is stored as the same number. Text cells
/// (2021.1, 2021.10) and other numbers (2021.2, 2021.11) are not ambiguous.
pub(crate) fn refuse_year_point_one(
    t: &RawTable,
    field: Option<usize>,
    periods: &yearbook_core::period::spelling::PeriodOptions,
) -> Result<()> {
    for (line, col, cell, text) in &t.year_point_one {
        let here = match field {
            Some(f) => *col == f && *line != t.header_line,
            None => *line == t.header_line,
        };
        if here && reads_as_month(text, periods) {
            return Err(Error::data(
                Location::new(&t.file, *line, Some(col + 1)),
                year_point_one_message(&format!("cell {cell}"), text, "format the column as text and type the period again"),
            ));
        }
    }
    Ok(())
}

/// A four-digit year, a point and 1 (`2021.1`): what a number cell holds when 2021.10
/// (October) was typed into it.
pub(crate) fn is_year_point_one(text: &str) -> bool {
    text.len() == 6 && text.ends_with(".1") && text[..4].bytes().all(|b| b.is_ascii_digit())
}

/// Whether a number's text read as a period is a month (2021.1 is; 2021.1 of a file of
/// quarters is not).
pub(crate) fn reads_as_month(text: &str, periods: &yearbook_core::period::spelling::PeriodOptions) -> bool {
    yearbook_core::period::spelling::read(text, periods).is_ok_and(|p| p.freq == Frequency::Month)
}

/// What every reader says of a number 2021.1 (`text`, a four-digit year, a point and 1)
/// at `place` (`cell B3`, `column \`period\``) read as a month: which months it may be,
/// and `fix`, how to write the period so that it is not a number.
pub(crate) fn year_point_one_message(place: &str, text: &str, fix: &str) -> String {
    let year = text.get(..4).unwrap_or(text);
    format!(
        "{place} holds the number {text}, which is January or October (Excel stores a typed {year}.10 as {text}): \
         {fix}, or write {year}-01 / {year}年1月 or {year}-10 / {year}年10月"
    )
}

/// A facts entry's `unit` as the loader reads it, as a unit row's is: a qualifier dropped
/// (亿元（当年价）, 亿元(可比价)). A magnitude in brackets (人（万）) or a unit yearbook does
/// not read (10000人) is refused at the entry: left unread, every figure stayed in its
/// indicator's unit, 1.5亿元 loading as 1.5万元 (review36 05).
fn entry_unit(cfg: &ConfigFile, src: &Spanned<Source>) -> Result<Option<String>> {
    let Some(u) = src.get_ref().0.unit.as_deref() else { return Ok(None) };
    let read = header::normalize_unit(u);
    if header::scaled_in_brackets(u) {
        return Err(Error::config(
            cfg.at(src.span()),
            format!(
                "unit = \"{u}\": a magnitude or a unit in brackets after a unit leaves unclear which unit the figures are in; \
                 write the unit whole (万人, 万元)"
            ),
        ));
    }
    if !header::readable_unit(&read) {
        return Err(Error::config(
            cfg.at(src.span()),
            format!(
                "unit = \"{u}\" is a unit yearbook does not read, so the file's figures would stay in their indicators' units: \
                 write it as yearbook knows it (万元, 亿元, 万人, 吨, %, ...)"
            ),
        ));
    }
    Ok(Some(read))
}

/// When `refuse`, the first of `keys` that is given is an error: it has no effect there.
fn refuse_keys(cfg: &ConfigFile, src: &Spanned<Source>, refuse: bool, keys: &[(&str, bool)], where_: &str) -> Result<()> {
    match keys.iter().find(|(_, given)| *given) {
        Some((key, _)) if refuse => Err(Error::config(cfg.at(src.span()), format!("`{key}` has no effect here: it applies {where_}"))),
        _ => Ok(()),
    }
}

/// `header_row = N`: 1-based, as Excel numbers rows.
fn header_row(cfg: &ConfigFile, spec: &FileSpec) -> Result<Option<usize>> {
    match &spec.header_row {
        Some(n) if *n.get_ref() == 0 => {
            Err(Error::config(cfg.at(n.span()), "header_row counts from 1 (the first row of the file or sheet)"))
        }
        Some(n) => Ok(Some(*n.get_ref())),
        None => Ok(None),
    }
}

/// Declared column types (`types = { seq = "text" }`), one per header column.
/// A record table whose header names a column twice (`name,amt,amt`, or a header cell
/// merged over two columns) is refused at the second: scripts read a column by its name,
/// so the second would be unreachable and `sum("amt")` silently the first one's.
fn refuse_repeated_columns(t: &RawTable) -> Result<()> {
    for (j, h) in t.header.iter().enumerate() {
        let name = h.trim();
        if name.is_empty() {
            continue;
        }
        if let Some(i) = t.header[..j].iter().position(|g| g.trim() == name) {
            return Err(Error::data(
                Location::new(&t.file, t.header_line, Some(j + 1)),
                format!(
                    "the header names column {} \"{name}\" as column {} does: a script reads a column by its name, so one of \
                     them would be unreachable; give each its own name (投资额 and 投资额（续建）), or unmerge a header cell \
                     merged over both",
                    j + 1,
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

fn column_types(cfg: &ConfigFile, spec: &FileSpec, t: &RawTable) -> Result<Vec<ColumnType>> {
    let mut types = vec![ColumnType::Auto; t.header.len()];
    for (name, ty) in &spec.types {
        let c = t.header.iter().position(|h| h == name).ok_or_else(|| {
            let hint = yearbook_core::suggest::did_you_mean(name, t.header.iter().map(String::as_str).filter(|h| !h.is_empty()));
            Error::config(cfg.at(ty.span()), format!("`types` names column \"{name}\", which {} does not have{hint}", t.file))
        })?;
        types[c] = ColumnType::parse(ty.get_ref()).ok_or_else(|| {
            Error::config(cfg.at(ty.span()), format!("unknown column type \"{}\": use \"text\" or \"number\"", ty.get_ref()))
        })?;
    }
    Ok(types)
}

fn col(t: &RawTable, spec: &FileSpec, role: &str) -> Result<usize> {
    t.column(spec.columns.get(role).map(String::as_str).unwrap_or(role))
}

fn load_regions(cfg: &ConfigFile, base: &Path, src: &Spanned<Source>, levels: Vec<String>) -> Result<Regions> {
    let spec = &src.get_ref().0;
    let path = resolve(cfg, base, src)?;
    let mut t = read_table(&path, &label_of(&path), encoding(cfg, spec)?, spec.sheet.as_deref(), header_row(cfg, spec)?)?;
    t.refuse_swallowed_rows("regions", false)?;
    let (c, n) = (col(&t, spec, "code")?, col(&t, spec, "name")?);
    let parent = t.column(spec.columns.get("parent").map(String::as_str).unwrap_or("parent")).ok();
    t.refuse_lost_digits(|f| f == c || Some(f) == parent, |f, _| f == c || Some(f) == parent)?;
    let opt = |role: &str| t.column(spec.columns.get(role).map(String::as_str).unwrap_or(role)).ok();
    let lines: Vec<usize> = t.rows.iter().map(|(line, _)| *line).collect();
    let parents_given = opt("parent").is_some();
    let records: Vec<RegionRecord> = match (opt("level"), opt("parent")) {
        // The cells move into the records where each role has a column of its own.
        (Some(l), Some(p)) if [c, n, l].iter().all(|&x| [c, n, l, p].iter().filter(|&&y| y == x).count() == 1) => t
            .rows
            .iter_mut()
            .map(|(line, r)| RegionRecord {
                code: std::mem::take(&mut r[c]),
                name: std::mem::take(&mut r[n]),
                level: std::mem::take(&mut r[l]),
                parent: std::mem::take(&mut r[p]),
                line: *line,
            })
            .collect(),
        (Some(l), Some(p)) => t
            .rows
            .iter()
            .map(|(line, r)| RegionRecord {
                code: r[c].clone(),
                name: r[n].clone(),
                level: r[l].clone(),
                parent: r[p].clone(),
                line: *line,
            })
            .collect(),
        (None, None) => official_tree(&t, c, n, &levels)?,
        (have, _) => {
            let (has, lacks) = if have.is_some() { ("level", "parent") } else { ("parent", "level") };
            return Err(Error::data(
                Location::new(&t.file, 1, None),
                format!(
                    "the regions file has a `{has}` column but no `{lacks}` column: give both, or neither when the codes are \
                     official 12-digit 统计用区划代码 (the tree follows from them)"
                ),
            ));
        }
    };
    let regions = Regions::build(levels, records).map_err(|(line, col, msg)| Error::data(Location::new(&t.file, line, Some(col)), msg))?;
    // A region with an empty parent cell below the level of the tree's top: refused
    // where the file gives each parent (official codes hang a town whose county and city
    // are not listed at the top, as they must).
    if parents_given && let Some((i, top)) = regions.parentless_below_top() {
        let (i, top) = (i as usize, top as usize);
        let level = |r: usize| regions.levels[regions.level[r] as usize].as_str();
        return Err(Error::data(
            Location::new(&t.file, lines.get(i).copied().unwrap_or(0), Some(parent.map_or(4, |p| p + 1))),
            format!(
                "\"{}\" ({}) has no parent, while \"{}\" ({}) stands at the top: give its parent's code in the parent column (a \
                 {} without one is left out of every total above it)",
                regions.codes[i],
                level(i),
                regions.codes[top],
                level(top),
                level(i)
            ),
        ));
    }
    Ok(regions)
}

/// Regions with only code and name: official codes give each level and parent.
fn official_tree(t: &RawTable, c: usize, n: usize, levels: &[String]) -> Result<Vec<RegionRecord>> {
    let listed: rustc_hash::FxHashSet<&str> = t.rows.iter().map(|(_, r)| r[c].trim()).collect();
    let mut out = Vec::with_capacity(t.rows.len());
    for (line, r) in &t.rows {
        let code = r[c].trim();
        // One region in both spellings (330421 and 330421000000): two regions, the one
        // counted twice in every total above it (review35 01).
        if let Some(other) = region_codes::spellings(code).into_iter().skip(1).find(|o| listed.contains(o.as_str())) {
            return Err(Error::data(
                Location::new(&t.file, *line, Some(c + 1)),
                format!("region \"{code}\" is also listed as \"{other}\", the same code in the other length: list it once"),
            ));
        }
        let lv = region_codes::level(code).ok_or_else(|| {
            Error::data(
                Location::new(&t.file, *line, Some(c + 1)),
                format!(
                    "region \"{code}\" is not an official 12-digit (or 6-digit) 区划代码, and the file has no `level` and `parent` \
                     columns to place it: add them"
                ),
            )
        })?;
        let level = levels.get(lv).cloned().ok_or_else(|| {
            Error::data(
                Location::new(&t.file, *line, Some(c + 1)),
                format!("region \"{code}\" is on official level {} but [workspace] levels lists only {}", lv + 1, levels.len()),
            )
        })?;
        // The nearest listed code above, in either length (review33 02: a county listed
        // as 330421 left its towns 330421101000 hanging from the city).
        let parent = region_codes::ancestors(code)
            .iter()
            .find_map(|a| region_codes::spellings(a).into_iter().find(|a| listed.contains(a.as_str())))
            .unwrap_or_default();
        out.push(RegionRecord { code: code.to_string(), name: r[n].clone(), level, parent, line: *line });
    }
    Ok(out)
}

fn load_indicators(cfg: &ConfigFile, base: &Path, src: &Spanned<Source>) -> Result<Vec<Indicator>> {
    let spec = &src.get_ref().0;
    let path = resolve(cfg, base, src)?;
    let t = read_table(&path, &label_of(&path), encoding(cfg, spec)?, spec.sheet.as_deref(), header_row(cfg, spec)?)?;
    t.refuse_swallowed_rows("indicators", false)?;
    let code = col(&t, spec, "code")?;
    let opt = |role: &str| t.column(spec.columns.get(role).map(String::as_str).unwrap_or(role)).ok();
    let (label, unit, kind, rollup, note) = (opt("label"), opt("unit"), opt("kind"), opt("rollup"), opt("note"));
    let mut out: Vec<Indicator> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let mut seen: rustc_hash::FxHashMap<String, usize> = Default::default();
    for (line, r) in &t.rows {
        let get = |c: Option<usize>| c.map(|c| r[c].clone()).unwrap_or_default();
        let at = |c: Option<usize>| Location::new(&t.file, *line, c.map(|c| c + 1));
        let code_s = r[code].clone();
        if code_s.is_empty()
            || !code_s.chars().all(|ch| ch == '_' || ch.is_alphanumeric())
            || code_s.starts_with(|ch: char| ch.is_ascii_digit())
        {
            return Err(Error::data(
                at(Some(code)),
                format!("indicator code \"{code_s}\" must be a name usable in scripts (letters, digits, _; not starting with a digit)"),
            ));
        }
        if yearbook_core::keywords::is_keyword(&code_s) {
            return Err(Error::data(
                at(Some(code)),
                format!(
                    "indicator code \"{code_s}\" is a word the script language keeps for itself, so no formula could name it: \
                     choose another code ({code_s}_value, or one of its label's words in pinyin)"
                ),
            ));
        }
        // Messages and sentences name the finding's own fields so: `{period}` would print the
        // period, never the indicator's figure.
        if ["region", "code", "period", "rule", "severity", "imbalance"].contains(&code_s.as_str()) {
            return Err(Error::data(
                at(Some(code)),
                format!(
                    "indicator code \"{code_s}\" is a name messages and sentences keep for the finding's own {code_s} \
                     ({{{code_s}}}): choose another code"
                ),
            ));
        }
        if let Some(first) = seen.insert(code_s.clone(), *line) {
            return Err(Error::data(at(Some(code)), format!("duplicate indicator \"{code_s}\" (first at line {first})")));
        }
        let kind_s = get(kind);
        let k = if kind_s.is_empty() {
            Kind::Flow
        } else {
            Kind::parse(&kind_s).ok_or_else(|| Error::data(at(kind), format!("unknown kind \"{kind_s}\": use flow, stock or rate")))?
        };
        let roll_s = get(rollup);
        let label_s = get(label);
        // An index without a unit names its base in its label: 指数（上年=100）; another
        // figure its unit (城镇化率（%）, 地区生产总值（亿元）), which a unit written beside it
        // must agree with (a label in 亿元 over figures in 万元 is one of them wrong).
        let in_label = header::label_unit(&label_s);
        let unit_s = match get(unit) {
            u if u.is_empty() => yearbook_core::unit::index_base_in_label(&label_s).or(in_label).unwrap_or(u),
            u => {
                if let Some(l) =
                    in_label.filter(|l| Unit::parse(l).heading_factor_to(&Unit::parse(&header::normalize_unit(&u))) != Some(1.0))
                {
                    return Err(Error::data(
                        at(unit),
                        format!(
                            "indicator \"{code_s}\": its label \"{label_s}\" names the unit {l} and its unit column says {u}: \
                             make them agree (the figures are in one of them), or take the unit out of the label"
                        ),
                    ));
                }
                u
            }
        };
        // An index (上年=100), a percentage, a figure per unit (元/吨) adds up to nothing:
        // like a rate it does not roll up by sum, declared or by default.
        let unit = Unit::parse(&unit_s);
        let not_additive = unit.not_additive();
        let index = yearbook_core::unit::index_base(&unit_s).is_some();
        let default_roll = if k == Kind::Rate || index || not_additive.is_some() { Rollup::None } else { Rollup::Sum };
        let ru = if roll_s.is_empty() {
            default_roll
        } else {
            Rollup::parse(&roll_s).ok_or_else(|| {
                Error::data(at(rollup), format!("unknown rollup \"{roll_s}\": use sum, mean, weighted_mean(<indicator>) or none"))
            })?
        };
        if (k == Kind::Rate || index) && ru == Rollup::Sum {
            let what = if index { "an index" } else { "a rate" };
            return Err(Error::data(
                at(rollup),
                format!("indicator \"{code_s}\" is {what} and cannot roll up by sum: use mean, weighted_mean(<indicator>) or none"),
            ));
        }
        if let (Some(what), Rollup::Sum) = (&not_additive, &ru) {
            return Err(Error::data(
                at(rollup),
                format!(
                    "indicator \"{code_s}\" is {what} and cannot roll up by sum (the regions' values do not add up to their total's): \
                     write rollup = {}, or none and compute the total's from rolled-up parts (rollup(a, level) / rollup(b, level))",
                    unit.mean_hint()
                ),
            ));
        }
        out.push(Indicator {
            label: if label_s.is_empty() { code_s.clone() } else { label_s },
            code: code_s,
            unit,
            kind: k,
            rollup: ru,
            rollup_written: !roll_s.is_empty(),
            note: get(note),
        });
        lines.push(*line);
    }
    for (i, ind) in out.iter().enumerate() {
        if let Rollup::WeightedMean(w) = &ind.rollup
            && !seen.contains_key(w)
        {
            let hint = yearbook_core::suggest::did_you_mean(w, out.iter().map(|x| x.code.as_str()));
            return Err(Error::data(
                Location::new(&t.file, lines[i], rollup.map(|c| c + 1)),
                format!("weight \"{w}\" is not an indicator{hint}"),
            ));
        }
    }
    if let Some((i, cycle)) = weight_cycle(&out) {
        let (first, w) = (&cycle[0], &cycle[1]);
        let how = if cycle.len() == 2 {
            format!("\"{first}\" is weighted by itself")
        } else {
            let by: Vec<String> = cycle.windows(2).map(|p| format!("\"{}\" by \"{}\"", p[0], p[1])).collect();
            format!("weighted {}", by.join(", "))
        };
        return Err(Error::new(
            yearbook_core::error::ErrorKind::Cycle,
            format!(
                "indicators form a cycle of roll-up weights: {} ({how}; rollup = weighted_mean({w})); weight \"{first}\" by an indicator \
                 that rolls up by sum (a population, an output), or give \"{w}\" rollup = sum",
                cycle.join(" -> ")
            ),
        )
        .at(Location::new(&t.file, lines[i], rollup.map(|c| c + 1))));
    }
    Ok(out)
}

/// The first indicator (in file order) whose chain of `weighted_mean` weights comes back
/// to itself, with the chain (`x -> x`, `y -> z -> y`).
fn weight_cycle(inds: &[Indicator]) -> Option<(usize, Vec<String>)> {
    let weight = |i: usize| match &inds[i].rollup {
        Rollup::WeightedMean(w) => inds.iter().position(|x| &x.code == w),
        _ => None,
    };
    for start in 0..inds.len() {
        let mut chain = vec![start];
        let mut cur = start;
        while let Some(next) = weight(cur) {
            if next == start {
                chain.push(start);
                return Some((start, chain.iter().map(|&i| inds[i].code.clone()).collect()));
            }
            if chain.contains(&next) {
                break; // a cycle further on: found when its own first indicator is the start
            }
            chain.push(next);
            cur = next;
        }
    }
    None
}
