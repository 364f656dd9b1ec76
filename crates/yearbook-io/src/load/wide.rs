//! Wide fact tables (`columns_are = "indicators" | "periods" | "regions"`): one column
//! per indicator, period or region, read into facts. Headers name indicators by code or
//! label (`地区生产总值(亿元)`), periods in any spelling (`2020年`), regions by code or
//! name; a unit in a header, a unit column (计量单位) or the table's unit row (单位：万元)
//! rescales values to the indicator's unit.

use super::facts::{BlockCache, FactColumns, PanelBuilder, SourceIndicators};
use super::table_file::RawTable;
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::number::Value;
use yearbook_core::period::spelling::PeriodOptions;
use yearbook_core::unit::Unit;

/// What the columns of a wide table are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Indicators,
    Periods,
    Regions,
}

impl Axis {
    pub fn parse(s: &str) -> Option<Axis> {
        match s {
            "indicators" | "indicator" | "指标" => Some(Axis::Indicators),
            "periods" | "period" | "years" | "时期" | "年份" => Some(Axis::Periods),
            "regions" | "region" | "地区" => Some(Axis::Regions),
            _ => None,
        }
    }
    fn role(self) -> &'static str {
        match self {
            Axis::Indicators => "indicator",
            Axis::Periods => "period",
            Axis::Regions => "region",
        }
    }
}

/// A wide file's options: the column axis and the values fixed for the whole file.
pub struct Wide<'a> {
    pub axis: Axis,
    /// Fixed region / period / indicator for files without that column.
    pub region: Option<&'a str>,
    pub period: Option<&'a str>,
    pub indicator: Option<&'a str>,
    pub rename: &'a std::collections::BTreeMap<String, String>,
    pub periods: PeriodOptions,
    /// The config entry's unit where the unit row above names other kinds only
    /// (`unit = "万人"` beside 金额单位：万元): it speaks for the columns of its kind.
    pub entry_unit: Option<&'a str>,
}

/// Splits `地区生产总值(亿元)` / `地区生产总值（亿元）` into the name and the unit; a unit
/// written with its label, `数值（单位：万元）`, `数值(计量单位 万元)`, is the unit after it.
pub fn split_unit(header: &str) -> (&str, Option<&str>) {
    let h = header.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(body) = h.strip_suffix(close)
            && let Some(i) = body.rfind(open)
        {
            let unit = super::header::strip_unit_label(body[i + open.len_utf8()..].trim());
            if !unit.is_empty() {
                return (body[..i].trim(), Some(unit));
            }
        }
    }
    (h, None)
}

/// What a header or cell names: the indicator code, the factor from the unit written
/// there to the indicator's unit, and whether the indicator is in %.
type Named = (String, f64, &'static str);

/// The indicator a header or cell names (by code or label, unit stripped), with the
/// factor from its unit: the header's own (`地区生产总值(亿元)`), else the row's unit cell
/// (`cell_unit`), else the table's unit row (单位：亿元, 金额单位：亿元). The table's unit row
/// speaks for the columns it can: an indicator of another dimension (常住人口 under
/// 金额单位：亿元) keeps its own unit; a header's or a cell's unit that does not convert is
/// an error.
fn indicator_of(
    b: &PanelBuilder,
    inds: &SourceIndicators,
    text: &str,
    cell_unit: Option<&str>,
    table_unit: Option<&str>,
    entry_unit: Option<&str>,
) -> std::result::Result<Named, String> {
    // A label that ends with its unit (地区生产总值（亿元）) names its indicator without it
    // too, so a header in another unit (地区生产总值（万元）) converts.
    // A code or a whole label first: 地区生产总值 is the indicator labelled so, not one
    // labelled 地区生产总值（亿元） listed before it.
    let named = |name: &str| {
        let listed = || b.indicators.iter().filter(|i| !i.code.contains('.') && inds.by_code.contains_key(i.code.as_bytes()));
        listed()
            .find(|i| i.code == name || i.label == name)
            .or_else(|| listed().find(|i| super::header::label_stem(&i.label) == Some(name)))
    };
    // A label may hold parentheses itself (粮经比例(粮)): the whole text first. A header
    // that is the whole label is in the label's unit (its 亿元 is the header's).
    let label_own;
    let (name, own) = match named(text.trim()) {
        Some(i) => {
            label_own = if i.label == text.trim() { super::header::label_unit(&i.label) } else { None };
            (text.trim(), label_own.as_deref())
        }
        None => split_unit(text),
    };
    let ind = named(name).ok_or_else(|| {
        let hint = yearbook_core::suggest::did_you_mean(name, b.indicators.iter().flat_map(|i| [i.code.as_str(), i.label.as_str()]));
        // The header's unit stays in the name suggested: taken without it, 1.5 of a
        // column in 亿元 loaded as 1.5万元.
        let hint = match own {
            Some(u) if hint.ends_with("`?") && !hint.contains(['（', '(']) => {
                hint.replacen("`?", &format!("（{u}）`? (its unit kept)"), 1)
            }
            _ => hint,
        };
        format!("\"{name}\" is not an indicator (by code or label){hint}; declare it in the indicators file")
    })?;
    // A header's unit and a unit row of the same kind that disagree: refused, never one
    // of them taken silently.
    // (A per-person figure headed by its numerator's unit, 人均纯收入（元） under
    // 单位：万元, is no conflict: the unit row speaks for the amounts, not for it.)
    if let Some(o) = own.filter(|u| !u.is_empty())
        && Unit::parse(&super::header::normalize_unit(o)).same_dimension(&ind.unit)
        && let Some((other, f)) = [table_unit, entry_unit].into_iter().flatten().find_map(|t| super::header::conflicting_units(o, t))
    {
        return Err(super::header::conflict_message("the column", o, &other, f));
    }
    // A row's unit (its 计量单位 cell, or the units row under the header) and the
    // indicator's own (地区生产总值（万元）) or the unit row's above the header, of one kind
    // and different: refused. Read by the cell, 1.5 under 单位：万元 was 15000万元.
    if let Some(c) = cell_unit.map(str::trim).filter(|u| !u.is_empty()) {
        for (other, whose) in [(own, "its name"), (table_unit, "the unit row above the header"), (entry_unit, "the config's unit")] {
            if let Some((u, f)) = other.filter(|o| !o.trim().is_empty()).and_then(|o| super::header::conflicting_units(c, o)) {
                return Err(format!(
                    "\"{text}\" is given in {c} (its unit cell), but {whose} says {u}: the file does not say which the figures are \
                     in, and read by either they would be {} times apart; give the unit in one place, or the same unit in both",
                    super::header::times_apart(f)
                ));
            }
        }
    }
    // The table's unit row (a list: 万元、万人) speaks for the indicators of its units'
    // kinds (money in another currency included, which then does not convert).
    let (unit, table) = match own.or(cell_unit).filter(|u| !u.is_empty()) {
        Some(u) => (Some(u), false),
        None => (
            table_unit.into_iter().chain(entry_unit).flat_map(|list| list.split('、')).filter(|u| !u.is_empty()).find(|u| {
                let u = Unit::parse(u);
                super::header::speaks_for(&u, &ind.unit)
            }),
            true,
        ),
    };
    // The entry's unit of another kind (unit = "%") where the file gives this column no
    // unit of its own: the figures would read in the indicator's.
    if unit.is_none()
        && let Some(m) = inds.by_code.get(ind.code.as_bytes()).and_then(|&id| inds.refusal(id))
    {
        return Err(m.to_string());
    }
    if unit.is_none()
        && let Some(t) = table_unit.filter(|t| super::header::unit_row_conflicts(t, &ind.unit))
    {
        return Err(format!(
            "\"{text}\": the unit row says {t}, which does not convert to {} ({}'s unit): write the column's own unit in its \
             header (\"{name}（{}）\")",
            ind.unit.show(),
            ind.code,
            ind.unit.show()
        ));
    }
    let factor = match unit {
        None => 1.0,
        Some(u) => {
            let from = Unit::parse(u);
            match from.heading_factor_to(&ind.unit) {
                Some(f) => f,
                None if table => {
                    return Err(format!(
                        "\"{text}\": the unit row says {u}, which does not convert to {} ({}'s unit)",
                        ind.unit.show(),
                        ind.code
                    ));
                }
                None => return Err(format!("\"{text}\" is in {u}, which does not convert to {} ({}'s unit)", ind.unit.show(), ind.code)),
            }
        }
    };
    Ok((ind.code.clone(), factor, super::facts::unit_sign(&ind.unit)))
}

/// A table whose title names a period (`2021年1-6月各镇主要经济指标`) other than the one
/// its entry gives the whole file (`period = "2021-06"`, a month's own figure, or last
/// year's `period = "2020"` left in place): refused at the title, since the table's own
/// words say which period its figures are for. Loaded, the 1-6月 totals were June's
/// figures. Compared by year and by the month the period ends in; a title of a year
/// alone (`2021年…`) agrees with any period of that year, and a title of one month
/// (`2021年6月`) with that month's 累计 as with its own figure.
fn refuse_other_title_period(t: &RawTable, entry: &str, opts: &PeriodOptions) -> Result<()> {
    use yearbook_core::period::Frequency;
    use yearbook_core::period::spelling::{read, spells_span};
    let Some((line, col, title)) = &t.title_period else { return Ok(()) };
    let Ok(e) = read(entry, opts) else { return Ok(()) };
    let as_span = PeriodOptions { cumulative: true, ..Default::default() };
    let Ok(p) = read(title, &as_span) else { return Ok(()) };
    // The month a period ends in (12 for a year).
    let end = |p: yearbook_core::period::Period| p.sub() * (12 / p.freq.per_year());
    let span = spells_span(title, &as_span) == Some(true);
    let entry_says = format!("this file's entry says period = \"{entry}\"");
    let fix = "the figures are for the title's period: correct the entry's `period`, or the title";
    let why = if p.calendar_year() != e.calendar_year() {
        Some(format!("{entry_says}: {fix}"))
    } else if p.freq == Frequency::Year {
        None
    } else if e.freq == Frequency::Year {
        (end(p) != 12).then(|| format!("{entry_says}, the whole year: {fix}"))
    } else if end(p) != end(e) {
        Some(format!("{entry_says}, a period ending in month {}: {fix}", end(e)))
    } else if span && !opts.cumulative {
        Some(format!(
            "{entry_says} without `cumulative = true`, which loads the figures as {}'s own, not as the 累计 from January: add \
             `cumulative = true` to the entry",
            e.chinese()
        ))
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::data(Location::new(&t.file, *line, *col), format!("the title names {title}, but {why}"))),
        None => Ok(()),
    }
}

/// A table of months written without their year (`12月,1月,2月,3月`) read with the
/// entry's `year = 2025`, whose months run past a year's end (they rise and fall, where
/// one year's run one way, oldest or newest first): the larger month where they turn is
/// last year's, and read as 2025年12月 it put last December's figure in a month to come
/// (the report was dated 甲镇2025年12月). Refused at that header.
fn refuse_months_past_a_years_end(
    t: &RawTable,
    value_cols: &[usize],
    col_key: &[Named],
    year: i32,
    at: &impl Fn(usize, usize) -> Location,
) -> Result<()> {
    use yearbook_core::period::Period;
    // Headers that name no year of their own (no run of four digits).
    let bare = |h: &str| {
        let mut run = 0;
        !h.chars().any(|c| {
            run = if c.is_ascii_digit() || ('０'..='９').contains(&c) { run + 1 } else { 0 };
            run >= 4
        })
    };
    let read: Vec<(usize, Period)> = value_cols
        .iter()
        .zip(col_key)
        .filter(|(c, _)| bare(&t.header[**c]))
        .filter_map(|(&c, k)| Period::parse(&k.0).ok().filter(|p| p.freq != yearbook_core::period::Frequency::Year).map(|p| (c, p)))
        .collect();
    // Months in order, oldest or newest first, are one year's. Months that rise and fall
    // (11月, 12月, 1月 or 2月, 1月, 12月) run past a year's end: the larger month where they
    // turn is last year's.
    let steps: Vec<std::cmp::Ordering> = read.windows(2).map(|w| w[0].1.ordinal.cmp(&w[1].1.ordinal)).collect();
    let rises = steps.iter().filter(|o| o.is_lt()).count();
    let falls = steps.iter().filter(|o| o.is_gt()).count();
    if rises > 0 && falls > 0 {
        // Where they turn is the widest step (12月 to 1月). A fall there: listed oldest
        // first, the month before it is last year's; a rise: newest first, the month after.
        let turn = (0..steps.len()).max_by_key(|&k| (read[k].1.ordinal - read[k + 1].1.ordinal).abs()).unwrap_or(0);
        let ascending = steps[turn].is_gt();
        let (c, other, p) =
            if ascending { (read[turn].0, read[turn + 1].0, read[turn].1) } else { (read[turn + 1].0, read[turn].0, read[turn + 1].1) };
        let h = &t.header[c];
        let side = if ascending { "before" } else { "after" };
        return Err(Error::data(
            at(t.header_line, c),
            format!(
                "header \"{h}\" comes {side} \"{}\", a period earlier in the year: the months run past a year's end, and \
                 with `year = {year}` for every month without one, \"{h}\" would read as {} (a period to come); write its year \
                 in the header ({}年{}), or load the months of each year from a file of their own",
                t.header[other],
                p.chinese(),
                year - 1,
                h.trim()
            ),
        ));
    }
    Ok(())
}

/// A value field rescaled by `factor` (unchanged when 1, missing, or not a number: the
/// loader then reports it).
fn rescale(field: &str, factor: f64, percent: &str) -> String {
    if factor == 1.0 {
        return field.to_string();
    }
    match yearbook_core::number::parse_value_signed(field.as_bytes(), percent) {
        Ok(Value::Number(v)) => format!("{}", yearbook_core::unit::rescale(v, factor)),
        Ok(Value::Marked(v, m)) => format!("{}{m}", yearbook_core::unit::rescale(v, factor)),
        _ => field.to_string(),
    }
}

/// Reads a wide table into the panel: each value cell becomes one fact.
pub fn ingest(b: &PanelBuilder, t: &RawTable, w: &Wide, inds: &SourceIndicators) -> Result<()> {
    // The rows handed to the long path carry figures already in their indicators' units:
    // the entry's unit was judged here, per column or row ([`indicator_of`]).
    let judged;
    let rows_inds = match inds.refused.is_empty() {
        true => inds,
        false => {
            judged = SourceIndicators { refused: Default::default(), ..inds.clone() };
            &judged
        }
    };
    let at = |line: usize, col: usize| Location::new(&t.file, line, Some(col + 1));
    let find = |role: &str, defaults: &[&str]| -> Option<usize> {
        match w.rename.get(role) {
            Some(n) => t.header.iter().position(|h| h == n),
            None => defaults.iter().find_map(|n| t.header.iter().position(|h| h == n)),
        }
    };
    let mut region_col = find("region", &["region", "地区", "地区代码", "地区名称"]);
    let mut period_col =
        find("period", &["period", "year", "quarter", "month", "年份", "时期", "时间", "年度", "统计年度", "季度", "月份"]);
    let mut indicator_col = find("indicator", &["indicator", "指标", "指标名称"]);
    // A blank corner cell (regions down, years across): the first column holds the rows'
    // keys, for the first role that has neither a column nor a fixed value.
    if t.header.first().is_some_and(String::is_empty) {
        let slots = [
            (Axis::Regions, &mut region_col, w.region),
            (Axis::Periods, &mut period_col, w.period),
            (Axis::Indicators, &mut indicator_col, w.indicator),
        ];
        if let Some((_, slot, _)) = slots.into_iter().find(|(a, c, fixed)| *a != w.axis && c.is_none() && fixed.is_none()) {
            *slot = Some(0);
        }
    }
    let unit_col = find("unit", &["unit", "计量单位", "单位"]);
    let flag_col = find("flag", &["flag", "标注"]);
    let keys =
        [(Axis::Regions, region_col, w.region), (Axis::Periods, period_col, w.period), (Axis::Indicators, indicator_col, w.indicator)];
    for (axis, col, fixed) in keys {
        if axis != w.axis && col.is_none() && fixed.is_none() {
            let role = axis.role();
            return Err(Error::data(
                Location::new(&t.file, t.header_line, None),
                format!(
                    "no {role} column in this wide table (columns are {}s): name it with columns = {{ {role} = \"...\" }}, or give the one {role} of the whole file with `{role} = \"...\"`",
                    w.axis.role()
                ),
            ));
        }
    }
    if period_col.is_none()
        && w.axis != Axis::Periods
        && let Some(p) = w.period
    {
        refuse_other_title_period(t, p, &w.periods)?;
    }
    // A period column of number cells 2021.1 (January or October), as in a long table.
    if w.axis != Axis::Periods
        && let Some(c) = period_col
    {
        super::refuse_year_point_one(t, Some(c), &w.periods)?;
    }
    let skip = [region_col, period_col, indicator_col, unit_col, flag_col];
    let value_cols: Vec<usize> = (0..t.header.len()).filter(|c| !skip.contains(&Some(*c)) && !t.header[*c].is_empty()).collect();
    // A stray quote's swallowed rows, and a figure merged over several cells of figures.
    t.refuse_line_breaks(|c| skip.contains(&Some(c)) || value_cols.contains(&c))?;
    t.refuse_merged_figures(|c| value_cols.contains(&c))?;
    // Headers that are Excel dates of years (2020-01-01, 2021-01-01 shown as 2020, 2021):
    // years, where the workspace does not say months.
    let header_periods = match w.axis {
        Axis::Periods if w.periods.frequency.is_none() && dates_of_years(value_cols.iter().map(|&c| t.header[c].as_str()), false) => {
            b.note(years_note(&t.file, "the columns", value_cols.iter().map(|&c| t.header[c].as_str())));
            yearbook_core::period::spelling::PeriodOptions { column: Some(yearbook_core::period::Frequency::Year), ..w.periods.clone() }
        }
        _ => w.periods.clone(),
    };
    // What each value column names, from its header.
    let mut col_key: Vec<Named> = Vec::with_capacity(value_cols.len());
    let key_of = |c: usize, h: &str| match w.axis {
        Axis::Indicators => {
            // A units row under the header is each column's own unit.
            let own = t.units_below.get(c).and_then(|u| super::header::column_unit(u));
            indicator_of(b, inds, h, own.as_deref(), t.unit.as_deref(), w.entry_unit)
        }
        Axis::Periods => yearbook_core::period::spelling::read(h, &header_periods).map(|p| (p.to_string(), 1.0, "")),
        Axis::Regions => b.regions.find(h).map(|r| (b.regions.codes[r as usize].clone(), 1.0, "")),
    };
    for &c in &value_cols {
        let h = &t.header[c];
        let key = key_of(c, h).map_err(|m| {
            // A group header above the real one (主要指标 over 地区生产总值, 常住人口): the row
            // below names what the columns hold.
            let below = t.rows.first().filter(|(_, row)| value_cols.iter().any(|&k| row.get(k).is_some_and(|x| key_of(k, x).is_ok())));
            let hint = match below {
                Some((line, _)) => format!(
                    "; the row below (line {line}) names the columns: if it is the header (under a group header), set header_row = \
                     {line} in this file's [[data.facts]] entry"
                ),
                None => String::new(),
            };
            Error::data(at(t.header_line, c), format!("header \"{h}\": {m}{hint}"))
        })?;
        col_key.push(key);
    }
    if w.axis == Axis::Periods
        && let Some(year) = w.periods.year
    {
        refuse_months_past_a_years_end(t, &value_cols, &col_key, year, &at)?;
    }
    // A cumulative file of periods that writes a span (1-2月) beside a later month alone
    // (3月): a table of single months with January and February together, whose 3月 read as
    // 1-3月累计 (110 for 330).
    if w.axis == Axis::Periods && header_periods.cumulative {
        let spans = |want: bool| {
            value_cols.iter().copied().find(|&c| yearbook_core::period::spelling::spells_span(&t.header[c], &header_periods) == Some(want))
        };
        if let (Some(span), Some(alone)) = (spans(true), spans(false)) {
            return Err(Error::data(at(t.header_line, alone), span_beside_single(&t.header[span], &t.header[alone])));
        }
    }
    // A column headed 累计 (2025年累计) beside months or quarters of its year: the year so
    // far (`1月,2月,3月,累计`: 1-3月), which reads as the whole year's 累计 (1-12月).
    if w.axis == Axis::Periods {
        refuse_bare_cumulative(t, &value_cols, &col_key, &header_periods, at)?;
    }
    // Long-format rows: region, period, indicator, value, flag.
    let cols = FactColumns {
        region: 0,
        period: 1,
        indicator: 2,
        value: 3,
        flag: Some(4),
        unit: None,
        file_unit: None,
        more_units: Vec::new(),
        n_fields: 5,
        named: 5,
        after_value: None,
        periods: yearbook_core::period::spelling::PeriodOptions {
            column: period_col.and_then(|c| t.header.get(c)).and_then(|h| yearbook_core::period::spelling::header_frequency(h)),
            ..w.periods.clone()
        },
        // A row per region and period lists them; a column per year or region does not
        // (an empty cell there may be a town before it was set up).
        empty_is_gap: w.axis == Axis::Indicators,
    };
    let mut cache = BlockCache::default();
    for (line, row) in &t.rows {
        let cell = |c: Option<usize>, fixed: Option<&str>| -> String {
            c.map(|c| row[c].clone()).or(fixed.map(str::to_string)).unwrap_or_default()
        };
        let region_text = cell(region_col, w.region);
        let region = if w.axis == Axis::Regions {
            String::new()
        } else {
            match b.regions.find(region_text.trim()) {
                Ok(r) => b.regions.codes[r as usize].clone(),
                Err(m) => return Err(Error::data(at(*line, region_col.unwrap_or(0)), m)),
            }
        };
        let period = cell(period_col, w.period);
        let cell_unit = unit_col.map(|c| row[c].as_str());
        let row_ind = if w.axis == Axis::Indicators {
            None
        } else {
            let text = cell(indicator_col, w.indicator);
            Some(
                indicator_of(b, inds, &text, cell_unit, t.unit.as_deref(), w.entry_unit)
                    .map_err(|m| Error::data(at(*line, indicator_col.unwrap_or(0)), m))?,
            )
        };
        let flag = flag_col.map(|c| row[c].clone()).unwrap_or_default();
        // A unit cell in a table of indicator columns speaks for the columns of its kind
        // (亿元 for the amounts, not for 常住人口): their figures are in it, unless the
        // column's header says the same unit. Left unread, 1.5 with 亿元 stayed 1.5万元.
        let row_unit = cell_unit.map(str::trim).filter(|u| !u.is_empty() && w.axis == Axis::Indicators);
        let row_keys: Option<Vec<Named>> = match row_unit {
            None => None,
            Some(u) => Some(
                value_cols
                    .iter()
                    .zip(&col_key)
                    .map(|(&c, key)| {
                        let cell = Unit::parse(&super::header::normalize_unit(u));
                        let speaks =
                            b.indicators.iter().find(|i| i.code == key.0).is_some_and(|i| super::header::speaks_for(&cell, &i.unit));
                        if !speaks {
                            return Ok(key.clone());
                        }
                        let below = t.units_below.get(c).and_then(|u| super::header::column_unit(u));
                        if let Some((other, f)) = below.as_deref().and_then(|o| super::header::conflicting_units(u, o)) {
                            return Err(Error::data(
                                at(*line, unit_col.unwrap_or(c)),
                                super::header::conflict_message_with("the unit cell", u, "the units row under the header", &other, f),
                            ));
                        }
                        indicator_of(b, inds, &t.header[c], Some(below.as_deref().unwrap_or(u)), t.unit.as_deref(), w.entry_unit)
                            .map_err(|m| Error::data(at(*line, unit_col.unwrap_or(c)), format!("header \"{}\": {m}", t.header[c])))
                    })
                    .collect::<Result<Vec<Named>>>()?,
            ),
        };
        let col_key = row_keys.as_ref().unwrap_or(&col_key);
        for (k, &c) in value_cols.iter().enumerate() {
            let (key, col_factor, col_percent) = &col_key[k];
            let (region, period, (indicator, factor, percent)) = match w.axis {
                Axis::Indicators => (region.clone(), period.clone(), (key.clone(), *col_factor, *col_percent)),
                Axis::Periods => (region.clone(), key.clone(), row_ind.clone().unwrap_or_default()),
                Axis::Regions => (key.clone(), period.clone(), row_ind.clone().unwrap_or_default()),
            };
            let value = rescale(&row[c], factor, percent);
            let fields: [&[u8]; 5] = [region.as_bytes(), period.as_bytes(), indicator.as_bytes(), value.as_bytes(), flag.as_bytes()];
            if let Err(e) = b.ingest(&cols, rows_inds, &mut cache, &fields, *line) {
                // Point at the cell of the original table (a repeated key: the value's).
                let col = match e.col - 1 {
                    _ if e.of_key => c,
                    0 => region_col.unwrap_or(c),
                    1 => period_col.unwrap_or(c),
                    2 => indicator_col.unwrap_or(c),
                    4 => flag_col.unwrap_or(c),
                    _ => c,
                };
                return Err(Error::data(at(*line, col), e.message));
            }
        }
    }
    Ok(())
}

/// Whether `cell` is a date (as a date cell reads, 2021-01-01) on 1 January or 31 December.
pub(crate) fn year_date(cell: &str) -> bool {
    let b = cell.trim().as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(&b[5..], b"01-01" | b"12-31")
}

/// Whether period headers (or a long table's period cells, `repeated`: each year on
/// several rows) are dates that each stand for a year: all on 1 January (or all on 31
/// December), of two years at least (one such column may be a January's). Excel keeps a
/// cell of years formatted as dates (yyyy) as the year's first day; months would differ
/// in their month.
pub(crate) fn dates_of_years<'a>(headers: impl Iterator<Item = &'a str>, repeated: bool) -> bool {
    let mut years = std::collections::BTreeSet::new();
    let mut day: Option<&str> = None;
    for h in headers {
        let h = h.trim();
        if !year_date(h) || *day.get_or_insert(&h[5..]) != &h[5..] || (!years.insert(&h[..4]) && !repeated) {
            return false;
        }
    }
    years.len() >= 2
}

/// The warning that dates of years ([`dates_of_years`]) at `place` of `file` were read
/// as years: which dates, why, and what to write where they are January's figures (or
/// December's).
pub(crate) fn years_note<'a>(file: &str, place: &str, dates: impl Iterator<Item = &'a str>) -> String {
    let mut years: Vec<&str> = dates.map(str::trim).filter(|d| year_date(d)).collect();
    years.sort_unstable();
    years.dedup();
    let (first, last) = (years.first().copied().unwrap_or_default(), years.last().copied().unwrap_or_default());
    let (day, month) = if first.ends_with("12-31") { ("31 December", "December") } else { ("1 January", "January") };
    format!(
        "{file}: {place} hold {day} dates of {} years ({first} to {last}), read as the years (an Excel date cell shown as \
         2021年 holds 1 January 2021); if they are {month}'s figures, set [workspace] frequency = \"month\"",
        years.len()
    )
}

/// Refuses a column of periods headed 累计 of a year alone (`累计`, `2025年累计`) beside
/// months or quarters of that year: in a table of single months it is their sum
/// (`1月,2月,3月,累计`: its 300 loaded as a year's figure, or with `cumulative = true` as
/// 1-12月累计, said 全年 in the report), and in a table of 1-N月累计 beside 1-3月 it is the
/// 1-3月 figure again, not the whole year's.
fn refuse_bare_cumulative(
    t: &RawTable,
    value_cols: &[usize],
    col_key: &[(String, f64, &str)],
    opts: &yearbook_core::period::spelling::PeriodOptions,
    at: impl Fn(usize, usize) -> Location,
) -> Result<()> {
    use yearbook_core::period::{Frequency, Period};
    for (k, &c) in value_cols.iter().enumerate() {
        let Some(year) = yearbook_core::period::spelling::bare_cumulative_year(&t.header[c], opts) else { continue };
        let within: Vec<Period> = col_key
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .filter_map(|(_, key)| Period::parse(&key.0).ok())
            .filter(|p| p.freq != Frequency::Year && p.calendar_year() == year)
            .collect();
        let Some(last) = within.iter().max_by_key(|p| p.ordinal) else { continue };
        // After 1-11月 (前三季度, or 1-9月 in steps of a quarter), a 全年 column is the
        // year-end report's: December's 累计.
        let step = within.iter().map(|p| p.ordinal).filter(|&o| o < last.ordinal).max().map_or(1, |o| last.ordinal - o);
        let full_year = last.sub() + step >= last.freq.per_year();
        if opts.cumulative && full_year {
            continue;
        }
        let h = &t.header[c];
        let alone = value_cols.iter().any(|&j| j != c && yearbook_core::period::spelling::spells_span(&t.header[j], opts) == Some(false));
        let message = if opts.cumulative && alone {
            format!(
                "header \"{h}\" beside months alone (through {}) in a file with `cumulative = true`: this is a table of single \
                 months with their sum (累计), whose months would read as 1-N月累计 and the sum as the whole year's; load it \
                 without `cumulative = true` and drop the \"{h}\" column (cumulate(x) adds the months)",
                last.chinese()
            )
        } else if opts.cumulative {
            format!(
                "header \"{h}\" reads as {year}年1-12月累计 (the whole year), but the columns beside it stop at {}: it is the year so \
                 far ({}), their last figure again (or a plan, not a figure done); drop the column, or head it with the span it \
                 covers",
                last.chinese(),
                last.chinese_cumulative()
            )
        } else {
            format!(
                "header \"{h}\" beside single {}s of {year} (through {}) is their sum (累计), not a period of its own: drop the column \
                 (yearbook adds the months itself: cumulate(x)), or give a file of 1-N月累计 figures with `cumulative = true`",
                last.freq.name(),
                last.chinese()
            )
        };
        return Err(Error::data(at(t.header_line, c), message));
    }
    Ok(())
}

/// The refusal of a cumulative (累计) file that writes a span from January (`span`: 1-2月)
/// beside a later month or quarter alone (`alone`: 3月): such a file is a table of single
/// months with January and February together, and its 3月 would read as 1-3月累计.
fn span_beside_single(span: &str, alone: &str) -> String {
    format!(
        "period \"{alone}\" is a month (or quarter) alone beside \"{span}\", a span from January: a cumulative (累计) file writes \
         every period as a span (1-3月, 1-4月), so this is a table of single months with January and February together, and \
         \"{alone}\" would be read as the 累计 through it; give its 1-N月累计 figures, or its single months with 1月 and 2月 apart \
         in a file without `cumulative = true`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn units_in_headers() {
        assert_eq!(split_unit("地区生产总值(亿元)"), ("地区生产总值", Some("亿元")));
        assert_eq!(split_unit("地区生产总值（万元）"), ("地区生产总值", Some("万元")));
        assert_eq!(split_unit("gdp"), ("gdp", None));
        assert_eq!(split_unit("数值（单位：万元）"), ("数值", Some("万元")));
        assert_eq!(split_unit("数值(单位:万元)"), ("数值", Some("万元")));
        assert_eq!(split_unit("数值（计量单位：万元）"), ("数值", Some("万元")));
        assert_eq!(split_unit("数值(单位 万元)"), ("数值", Some("万元")));
        assert_eq!(split_unit("数值（万元/年）"), ("数值", Some("万元/年")));
        assert_eq!(split_unit("粮经比例(粮)()"), ("粮经比例(粮)()", None));
        assert_eq!(Axis::parse("indicators"), Some(Axis::Indicators));
        assert_eq!(Axis::parse("rows"), None);
    }
}
