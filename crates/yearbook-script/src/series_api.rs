//! Series functions for scripts: time shifts, shares and ratios, roll-up, aggregates,
//! ranking, selection and missing values. Each is one native kernel over whole series.

use crate::Raised;
use crate::eval;
use crate::{Namespace, indicators};
use rhai::{Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, NativeCallContext};
use std::sync::Arc;
use yearbook_core::error::Fault;
use yearbook_core::kernel::aggregate::{self, Adds, Stat, across_periods, across_regions, latest};
use yearbook_core::kernel::arith::{Op, binary, convert, map, select, with_number};
use yearbook_core::kernel::{rank, rollup, time};
use yearbook_core::period::Period;
use yearbook_core::series::Series;
use yearbook_core::unit::Unit;

type R<T = Series> = Result<T, Box<EvalAltResult>>;

/// A kernel's result for the engine: its fault (a plain message is a runtime fault) raised
/// with its kind.
fn ok<T, E: Into<yearbook_core::error::Fault>>(r: Result<T, E>) -> R<T> {
    r.map_err(|e| crate::raise(e.into()))
}

fn period_index(s: &Series, p: &Dynamic) -> R<usize> {
    let per = period_of(p)?;
    let axis = s.axes.periods;
    axis.index(per).ok_or_else(|| {
        let range = if axis.len == 0 {
            "no periods: no fact was loaded".to_string()
        } else {
            format!("{}..{}", axis.get(0), axis.get(axis.len - 1))
        };
        format!("period {per} is not in the data ({range})").into()
    })
}

/// The period a script names (2021, "2021-03", "2021年3月"); a number with decimals is
/// refused.
fn period_of(p: &Dynamic) -> R<Period> {
    let text = if p.is_int() {
        p.as_int().map(|i| i.to_string()).unwrap_or_default()
    } else if let Ok(x) = p.as_float() {
        // 2020.10 is the number 2020.1: October and January would read alike, so a period
        // written as a number with decimals is refused, not read as a spelling.
        if x.fract() != 0.0 || !x.is_finite() {
            return Err(format!(
                "period {}: a number with decimals names no period (2020.10 is the number 2020.1, so October would read as \
                 January); write the period as text: \"2020-10\" or \"2020年10月\" (a year may stay a whole number: 2020)",
                crate::guard::figure_text(x)
            )
            .into());
        }
        format!("{x:.0}")
    } else {
        p.to_string()
    };
    ok(Period::parse(&text))
}

/// The periods of `s` that are none of the data (no region has a figure there, none is
/// listed without one, and no selection took out regions that have): a census every five
/// years has none for the years between, a monthly axis none past the latest month.
/// `fill(s, v)` leaves them missing in `out`, with a note: filled, 2011-2014 took v in every
/// town and a mean over the years was over 11 years for 3.
fn no_data_periods_left(s: &Series, out: &mut Series, v: f64) {
    if !s.by_period || s.cols() < 2 || out.data.len() != s.data.len() {
        return;
    }
    let rows = s.rows();
    let listed = s.listed.as_deref().map(|l| l.as_slice()).unwrap_or(&[]);
    let of_data = |p: usize| {
        s.data_periods.as_ref().is_some_and(|d| d.get(p).copied().unwrap_or(false))
            || (0..rows).any(|r| !s.data[p * rows + r].is_nan())
            || listed.iter().any(|&c| c as usize / rows.max(1) == p)
    };
    let empty: Vec<usize> = (0..s.cols()).filter(|&p| !of_data(p)).collect();
    // A series with no figure anywhere is filled as asked (nothing tells its periods).
    if empty.is_empty() || empty.len() == s.cols() {
        return;
    }
    let mut data = out.take_data();
    for &p in &empty {
        data[p * rows..(p + 1) * rows].iter_mut().for_each(|x| *x = f64::NAN);
    }
    out.data = Arc::new(data.into());
    yearbook_core::memory::made(&out.data);
    let axis = s.axes.periods;
    let shown: Vec<String> = empty.iter().take(6).map(|&p| axis.get(p).to_string()).collect();
    let more = if empty.len() > 6 { format!(" and {} more", empty.len() - 6) } else { String::new() };
    yearbook_core::kernel::note(format!(
        "fill(x, {}): {} period(s) where no region has a figure ({}{more}) are none of the data (years between censuses, \
         months not reported yet): left missing, not filled; fill a period's figure where the data has that period",
        yearbook_core::format::number(v),
        empty.len(),
        shown.join(", ")
    ));
}

/// `fill(x, v)` of a 1-N月累计 where a region has a larger 累计 earlier in the year (丙镇
/// 90 by 1-3月, nothing from April): v there would take its year so far back out (the
/// county's 1-4月 fell by 90, its April 当月 60 for 150). Refused, naming the cell and
/// what to write: fill the 当月 and cumulate it again.
fn cumulative_fall(s: &Series, v: f64) -> R<()> {
    if !(s.by_region && s.by_period && s.spread.is_some_and(|sp| sp.is_cumulative())) || s.mask {
        return Ok(());
    }
    let (rows, axis) = (s.rows(), s.axes.periods);
    // Months no region has (the axis past the data) are left to what follows, and so are
    // a county's cells made of its towns (fill leaves them missing).
    let of_data: Vec<bool> = (0..s.cols()).map(|p| (0..rows).any(|r| !s.data[p * rows + r].is_nan())).collect();
    let made_of = rollup::made_of_children(s);
    for r in 0..rows {
        let mut year_best: Option<(i32, f64, usize)> = None;
        for (p, &data_here) in of_data.iter().enumerate() {
            let year = axis.get(p).calendar_year();
            if year_best.is_some_and(|(y, _, _)| y != year) {
                year_best = None;
            }
            let x = s.data[p * rows + r];
            if !x.is_nan() {
                if year_best.is_none_or(|(_, b, _)| x > b) {
                    year_best = Some((year, x, p));
                }
                continue;
            }
            if let Some((_, best, at)) = year_best
                && data_here
                && v < best
                && !made_of.as_ref().is_some_and(|m| m.get(p * rows + r).copied().unwrap_or(false))
            {
                let region = s.axes.regions.label(r as u32);
                // A gap between two 累计 of the year has no 当月 to fill: the month after it
                // is missing too, and filling both would drop what was reported.
                let later = (p + 1..s.cols()).find(|&q| axis.get(q).calendar_year() == year && !s.data[q * rows + r].is_nan());
                if let Some(q) = later {
                    return Err(format!(
                        "fill(x, {}) of a 1-N月累计: {region} has {} by {} and {} by {}, but none for {}: {} there would take its year \
                         so far back out (a 累计 does not fall); ask for its {} figure",
                        crate::guard::figure_text(v),
                        crate::guard::figure_text(best),
                        axis.get(at).chinese_cumulative(),
                        crate::guard::figure_text(s.data[q * rows + r]),
                        axis.get(q).chinese_cumulative(),
                        axis.get(p).chinese_cumulative(),
                        crate::guard::figure_text(v),
                        axis.get(p).chinese_cumulative()
                    )
                    .into());
                }
                return Err(format!(
                    "fill(x, {}) of a 1-N月累计: {region} has {} by {} and none for {}: {} there would take its year so far back \
                     out (a 累计 does not fall); where it stopped reporting, fill the 当月 and add it up again, \
                     cumulate(fill(month_of(x), 0)), which counts {} as nothing new",
                    crate::guard::figure_text(v),
                    crate::guard::figure_text(best),
                    axis.get(at).chinese_cumulative(),
                    axis.get(p).chinese_cumulative(),
                    crate::guard::figure_text(v),
                    axis.get(p).chinese()
                )
                .into());
            }
        }
    }
    Ok(())
}

/// a / b for two series of the same dimension (a share, a completion rate).
fn like_ratio(what: &str, a: Series, b: Series) -> R {
    if !a.unit.same_dimension(&b.unit) {
        return Err(Fault::unit(format!("{what} in units of the same dimension, not {} and {}", a.unit.show(), b.unit.show())).raised());
    }
    ok(binary(a, b, Op::Div))
}

fn level_of(s: &Series, name: &str) -> R<u8> {
    ok(s.axes.regions.find_level(name).map_err(Fault::unknown))
}

/// The words of rank's and top's `within`: a level, "asc", "reported".
struct Placing {
    level: Option<u8>,
    ascending: bool,
    reported: bool,
}

fn placing(s: &Series, within: &str) -> R<Placing> {
    let mut how = Placing { level: None, ascending: false, reported: false };
    for w in within.split([' ', ',', '，']).filter(|w| !w.is_empty()) {
        match w {
            "asc" => how.ascending = true,
            "reported" => how.reported = true,
            level => {
                let lv = s.axes.regions.find_level(level).map_err(|e| {
                    Fault::unknown(format!(
                        "{e}; the other words of `within` are \"asc\" (1 = smallest) and \"reported\" (the figures present)"
                    ))
                });
                how.level = Some(ok(lv)?);
            }
        }
    }
    Ok(how)
}

/// The groups `rank` and `top` place the regions of `s` in: `group` (each region's
/// ancestor at a level the script names: `rank(gdp, "province")` is a place in the
/// province, in a report as in a run) or, where no level is named, every region of a
/// level together, narrowed in a report on a region to the regions it compares
/// ([`eval::Within`]).
fn in_report<'a>(ctx: &NativeCallContext, s: &Series, group: Option<&'a [u32]>) -> Option<std::borrow::Cow<'a, [u32]>> {
    if let Some(g) = group {
        return Some(std::borrow::Cow::Borrowed(g));
    }
    let within = eval::from_tag(ctx.tag()).ok().and_then(|ev| ev.within.clone());
    match within {
        Some(w) if s.by_region && w.groups.len() == s.rows() => Some(std::borrow::Cow::Owned(w.groups.to_vec())),
        _ => None,
    }
}

/// The region a code or name means (unknown, or a name several regions share: an
/// unknown name either way).
fn region_of(s: &Series, key: &str) -> R<u32> {
    ok(s.axes.regions.find(key).map_err(Fault::unknown))
}

/// Refuses `func` adding figures of `s` that do not add up the way `adds` adds them (a
/// percentage, 元/人, a share, a rate; a stock over periods): the rule the loader and the
/// roll-up apply ([`aggregate::refuse_adding`]), with the indicator's kind and name where
/// `s` is one.
/// The kind of the loaded indicator `s` is (flow, stock, rate), where it is one.
pub(crate) fn loaded_kind(ctx: &NativeCallContext, s: &Series) -> Option<yearbook_core::indicator::Kind> {
    let ev = eval::of(ctx).ok()?;
    let panel = Some(&ev.data.panel).filter(|p| Arc::ptr_eq(&p.axes, &s.axes))?;
    s.indicator.and_then(|i| panel.indicators.get(i)).map(|i| i.kind)
}

/// [`yearbook_core::kernel::calendar::refuse_single_periods`] of `actual` against
/// `target`, with the loaded kinds of both (a flow, a stock) read from the workspace.
pub(crate) fn refuse_single_periods(
    ctx: &NativeCallContext,
    actual: &Series,
    target: &Series,
    what: &str,
) -> Result<(), Box<EvalAltResult>> {
    let kinds = [loaded_kind(ctx, actual), loaded_kind(ctx, target)];
    ok(yearbook_core::kernel::calendar::refuse_single_periods(actual, target, kinds, what))
}

/// The name of `s` as a script wrote it: a loaded indicator's code, else the name a value
/// was bound to, where known.
pub(crate) fn name_of(ctx: &NativeCallContext, s: &Series) -> Option<String> {
    let ev = eval::of(ctx).ok();
    let panel = ev.as_ref().map(|e| &e.data.panel).filter(|p| Arc::ptr_eq(&p.axes, &s.axes));
    match s.indicator.and_then(|i| panel.and_then(|p| p.indicators.get(i))) {
        Some(ind) => Some(ind.code.clone()),
        None => ev.as_ref().and_then(|e| e.data.values.name_of(s)),
    }
}

pub(crate) fn refuse_adding(ctx: &NativeCallContext, s: &Series, adds: Adds, func: &str) -> R<()> {
    let ev = eval::of(ctx).ok();
    let panel = ev.as_ref().map(|e| &e.data.panel).filter(|p| Arc::ptr_eq(&p.axes, &s.axes));
    let loaded = s.indicator.and_then(|i| panel.and_then(|p| p.indicators.get(i)));
    let name = match loaded {
        Some(ind) => Some(ind.code.clone()),
        None => ev.as_ref().and_then(|e| e.data.values.name_of(s)),
    };
    ok(aggregate::refuse_adding(s, loaded.map(|i| i.kind), adds, func, name.as_deref()))
}

fn axis_stat(ctx: Option<&NativeCallContext>, s: &Series, stat: Stat, axis: &str) -> R {
    // A comparison's false cells are values too: `count(gdp > 10)` counted every town with
    // a figure (3 where one is above 10), not those where it holds, as COUNTIF does.
    if stat == Stat::Count && s.mask {
        return Err(Fault::type_(
            "count of a comparison (a true/false series) counts every cell with a value, false ones too: write sum(x > k) \
             for the number where it holds (as COUNTIF counts), or count(x) for the number with a figure",
        )
        .raised());
    }
    match axis {
        "regions" | "region" => {
            if let (Stat::Sum, Some(ctx)) = (stat, ctx) {
                refuse_adding(ctx, s, Adds::Regions, "sum")?;
            }
            ok(across_regions(s, stat))
        }
        "reported" => {
            if let (Stat::Sum, Some(ctx)) = (stat, ctx) {
                refuse_adding(ctx, s, Adds::Regions, "sum")?;
            }
            ok(aggregate::across_regions_as(s, stat, true))
        }
        "periods" | "period" => {
            if let (Stat::Sum, Some(ctx)) = (stat, ctx) {
                refuse_adding(ctx, s, Adds::Periods, "sum over periods")?;
            }
            ok(across_periods(s, stat))
        }
        other => {
            Err(format!("axis must be \"regions\", \"reported\" (across regions, the figures present) or \"periods\", not \"{other}\"")
                .into())
        }
    }
}

/// Keeps the cells where `keep(row, period)` holds; others become missing.
/// `f` of the number each cell stands for: of a percent (or an index, ‰), its fraction
/// (ln(50.4%) = ln(0.504)); a pure number out, which does not roll up.
/// Of a figure with a unit, `sqrt` halves it (sqrt of 亿元·亿元 is 亿元); any other is
/// refused, never made a pure number (a / sqrt(a * a) would be 1 亿元).
fn of_number(s: Series, name: &str, f: fn(f64) -> f64) -> R {
    // The root of two percents in a product is a percent (`sqrt(idx * lag(idx, 1)) - 100`).
    if name == "sqrt"
        && let Some(percent) = yearbook_core::kernel::arith::root_of_two_percents(&s)
    {
        let input = s.clone();
        let scale = percent.scale;
        let mut plain = s;
        plain.pending = None;
        let mut out = map(plain, percent, Series::no_rollup("sqrt does not roll up"), move |x| x.sqrt() / scale);
        rollup::keep_made_of(&[&input], &mut out);
        return Ok(out);
    }
    let k = if s.unit.is_dimensionless() { s.unit.scale } else { 1.0 };
    let unit = if s.unit.is_dimensionless() {
        Unit::one()
    } else {
        match s.unit.sqrt().filter(|_| name == "sqrt") {
            Some(u) => u,
            None => {
                let what = if name == "sqrt" { "square root" } else { "value" };
                return Err(format!(
                    "{name} of a figure in {}: it has no {what} with a unit; {name} takes a pure number or a percent (a ratio such \
                     as x / lag(x, 2)), so divide by a figure of the same unit first",
                    s.unit.show()
                )
                .into());
            }
        }
    };
    let input = s.clone();
    let mut out = map(s, unit, Series::no_rollup(format!("{name} does not roll up")), move |x| f(x * k));
    rollup::keep_made_of(&[&input], &mut out);
    // A root of a rate's relative change is one (`sqrt(rate / lag(rate, 2)) - 1`): never
    // said as a growth of the rate.
    if name == "sqrt" && matches!(input.rate, Some(yearbook_core::series::RateOf::Relative(_))) {
        out.rate = input.rate.clone();
    }
    Ok(out)
}

/// `s` with region `r`'s cells that are made of its children (no figure of its own, its
/// children report) given their roll-up: what a report on `r` shows.
fn shown_at_region(s: &Series, r: usize) -> Series {
    if !rollup::showable(s)
        || !s.axes.regions.parent.iter().any(|&p| p as usize == r)
        || !s.data.chunks(s.rows().max(1)).any(|col| col.get(r).is_some_and(|v| v.is_nan()))
    {
        return s.clone();
    }
    let lv = s.axes.regions.level[r];
    rollup::as_shown(s, |x| x == lv)
}

fn keep(s: &Series, f: impl Fn(usize, usize) -> bool) -> Series {
    let rows = s.rows();
    let data: Vec<f64> = s.data.iter().enumerate().map(|(i, &v)| if f(i % rows, i / rows) { v } else { f64::NAN }).collect();
    let mut out = s.with(data, s.unit.clone(), s.agg.clone());
    out.mask = s.mask;
    out.indicator = s.indicator;
    // The cells kept are the roll-up's own: a change across an entry is still taken on
    // its comparable basis.
    out.basis = s.basis.clone();
    // ... and the cells of a lag are still earlier values, a gap still a gap.
    out.lagged = s.lagged;
    // ... and a rate's cells are the rate's.
    out.rate = s.rate.clone();
    out.spread = s.spread;
    // ... and a gap still a gap, of the regions and periods kept.
    out.listed = s.listed.as_ref().and_then(|l| {
        let kept: Vec<u32> = l.iter().copied().filter(|&c| f(c as usize % rows, c as usize / rows)).collect();
        (!kept.is_empty()).then(|| Arc::new(kept))
    });
    // ... and the numbers written into them (`only(gdp * 10000, "t1") + rev`), with any
    // conversion still open (`only(gdp * growth, "t1") / 100`).
    out.scaled_by = s.scaled_by;
    out.scaled_pow = s.scaled_pow;
    out.pending = s.pending.clone();
    // ... and the cells shown with their children's roll-up, or a roll-up, are still so.
    out.shown = s.shown.clone();
    out.covered = s.covered.clone();
    out.counts = s.counts.clone();
    out.rolled = s.rolled.clone();
    out.shown_of = s.shown_of.clone();
    out.own_since = s.own_since.clone();
    // ... and the figure they are of (a lag of it beside them is a lag of the same).
    out.form_of = yearbook_core::kernel::itself::form(s);
    // ... and a rank's shared places are still shared.
    out.ties = s.ties.clone();
    // The cells left out are no gap in the source (`only(gdp, "t1") + fiscal` at t2);
    // those kept without a figure still are.
    let mut left_out: Vec<bool> = (0..s.data.len()).map(|i| !f(i % rows, i / rows)).collect();
    if let Some(before) = s.selected.as_ref().filter(|b| b.len() == left_out.len()) {
        left_out.iter_mut().zip(before.iter()).for_each(|(x, y)| *x |= *y);
    }
    out.selected = Some(Arc::new(left_out));
    // ... and which periods are of the data, the regions left out's too.
    out.data_periods = s.by_period.then(|| Arc::new(data_periods(s))).filter(|d| d.len() == s.cols());
    out
}

/// Per period of `s`, whether a region has a value there or is listed without one, or
/// `s` says it is of the data ([`Series::data_periods`]).
fn data_periods(s: &Series) -> Vec<bool> {
    let (rows, cols) = (s.rows(), s.cols());
    let mut of: Vec<bool> = (0..cols).map(|p| (0..rows).any(|r| !s.get(r, p).is_nan())).collect();
    for &c in s.listed.iter().flat_map(|l| l.iter()) {
        if let Some(d) = of.get_mut(c as usize / rows.max(1)) {
            *d = true;
        }
    }
    for (d, &was) in of.iter_mut().zip(s.data_periods.iter().flat_map(|d| d.iter())) {
        *d |= was;
    }
    of
}

fn register_stats(e: &mut Engine) {
    let stats: [(&str, Stat, &str); 7] = [
        (
            "sum",
            Stat::Sum,
            "Sum across regions (one value per period), or across periods with axis \"periods\". A change of the sum across \
             regions between periods whose regions with a value differ (yoy(sum(gdp)) as a town enters) is taken over the \
             regions with a value in both, with a note; that of a mean, median, min or max is left missing. Figures that do not \
             add up are refused, as rollup = \"sum\" is: a unit such as %, ‰, 百分点, an index, 元/人 or 元/吨, a share (a / b), \
             a kind = rate indicator, a growth (yoy(gdp): three towns at +10% are no county at +30%, yoy(sum(gdp)) is the \
             county's), and over periods a kind = stock one; rollup(s, level) gives a total's figure (a ratio recomputed from \
             its parts), mean(s) an average. Across periods a region \
             with no value in a period after its first, where another region has one (also one only() left out), has no \
             total (missing, with a note): its sum would be short; fill(s, 0) counts such a period as 0.",
        ),
        (
            "mean",
            Stat::Mean,
            "Mean across regions (per period), or across periods with axis \"periods\". Across periods a region with no value in a period after its first (where another region has one), or listed without one, has none (missing, with a note): it would be of some periods only.",
        ),
        (
            "median",
            Stat::Median,
            "Median across regions (per period), or across periods with axis \"periods\". Across periods a region with no value in a period after its first (where another region has one), or listed without one, has none (missing, with a note): it would be of some periods only.",
        ),
        (
            "min",
            Stat::Min,
            "Smallest value across regions (per period), or across periods with axis \"periods\". Across periods a region with no value in a period after its first (where another region has one), or listed without one, has none (missing, with a note): it would be of some periods only.",
        ),
        (
            "max",
            Stat::Max,
            "Largest value across regions (per period), or across periods with axis \"periods\". Across periods a region with no value in a period after its first (where another region has one), or listed without one, has none (missing, with a note): it would be of some periods only.",
        ),
        (
            "std",
            Stat::Std,
            "Sample standard deviation across regions (per period), or across periods. Across periods a region with no value in a period after its first (where another region has one), or listed without one, has none (missing, with a note): it would be of some periods only.",
        ),
        (
            "count",
            Stat::Count,
            "Number of non-missing values across regions (per period; values at two levels are refused, as for sum), or across periods. \
             Of a comparison it is refused (its false cells are values too): sum(x > k) counts where it holds.",
        ),
    ];
    for (name, stat, doc) in stats {
        let gaps = if stat == Stat::Count {
            String::new()
        } else {
            format!(
                " Across regions a period where a region in the source by then (a figure in an earlier period, census years \
                 too, or fact rows of other figures then) has no figure is missing, with a note naming it: the {name} would \
                 leave it out, as a roll-up would not; axis \"reported\" ({name}(s, \"reported\")) takes the figures present, \
                 as SQL does."
            )
        };
        let d = format!("/// {doc}{gaps} Missing values are skipped.");
        FuncRegistration::new(name)
            .with_params_info(["s: Series", "Series"])
            .with_comments([d.as_str()])
            .register_into_engine(e, move |ctx: NativeCallContext, s: Series| axis_stat(Some(&ctx), &s, stat, "regions"));
        FuncRegistration::new(name)
            .with_params_info(["s: Series", "axis: &str", "Series"])
            .with_comments([d.as_str()])
            .register_into_engine(e, move |ctx: NativeCallContext, s: Series, axis: &str| axis_stat(Some(&ctx), &s, stat, axis));
    }
    FuncRegistration::new("sum")
        .with_params_info(["parts: Array", "?"])
        .with_comments(["/// The parts added as `+` adds them (units converted, missing in, missing out): sum([a, b, c]) is a + b + c, \
             for a total of many parts that a chain of `+` would nest too deep (a town's 100 villages)."])
        .register_into_engine(e, |ctx: NativeCallContext, parts: rhai::Array| -> R<Dynamic> {
            // Only figures add: `+` would join text ("05" + 2 is "052").
            if let Some((i, part)) = parts
                .iter()
                .enumerate()
                .find(|(_, p)| !(p.is::<Series>() || p.is::<rhai::FLOAT>() || p.is::<rhai::INT>()))
            {
                let what = if part.is_string() { format!("the text {part:?}") } else { format!("a {}", part.type_name()) };
                return Err(format!(
                    "sum([...]) adds series and numbers; part {} is {what}: turn a text cell into a number first (parse_float) or leave it out",
                    i + 1
                )
                .into());
            }
            let mut parts = parts.into_iter();
            let Some(mut total) = parts.next() else {
                return Err("sum([]) has no parts to add: give at least one".into());
            };
            for part in parts {
                total = ctx.call_native_fn::<Dynamic>("+", (total, part))?;
            }
            Ok(total)
        });
    reg!(
        e,
        "quantile",
        ["s: Series", "q: f64", "Series"],
        "Quantile q (0..1) across regions per period (linear interpolation, as R type 7).",
        |s: Series, q: f64| axis_stat(None, &s, Stat::Quantile(q), "regions")
    );
    reg!(
        e,
        "quantile",
        ["s: Series", "q: f64", "axis: &str", "Series"],
        "Quantile q (0..1) across regions or periods. Across regions a period where a region in the source by then has no figure is missing, with a note (axis \"reported\" takes the figures present). Across periods a region with no value in a period after its first (where another region has one), or listed without one, has none (missing, with a note): it would be of some periods only.",
        |s: Series, q: f64, a: &str| axis_stat(None, &s, Stat::Quantile(q), a)
    );
}

/// Registers the series API: names, time shifts, units and ratios, roll-up, statistics, ranks, selection, missing values.
pub fn register(e: &mut Engine) {
    e.register_type_with_name::<Series>("Series");
    e.register_type_with_name::<Namespace>("Namespace");
    reg!(
        e,
        "index$get$",
        ["ns: Namespace", "code: &str", "Series"],
        "A series of a namespace of facts: `reported_yoy.gdp` or `reported_yoy[\"gdp\"]`.",
        |ctx: NativeCallContext, ns: &mut Namespace, code: &str| -> R {
            let ev = eval::of(&ctx)?;
            let full = format!("{}.{code}", ns.name);
            match ev.data.panel.indicator(&full) {
                Some(i) => Ok(ev.inputs.seen(ev.data.indicator_series(i))),
                None => {
                    let prefix = format!("{}.", ns.name);
                    let known: Vec<&str> = ev.data.panel.codes().filter_map(|k| k.strip_prefix(prefix.as_str())).collect();
                    let hint = yearbook_core::suggest::did_you_mean(code, known.iter().copied());
                    Err(Fault::unknown(format!("no `{code}` in `{}`{hint}", ns.name)).raised())
                }
            }
        }
    );
    reg!(
        e,
        "indicator",
        ["code: &str", "Series"],
        "An indicator by code or by its Chinese label: `indicator(\"地区生产总值\")`.",
        |ctx: NativeCallContext, code: &str| -> R {
            let ev = eval::of(&ctx)?;
            indicators::resolve(&ev, code, ctx.engine())?.and_then(|d| d.try_cast::<Series>()).ok_or_else(|| {
                let mut names = ev.data.loaded_names();
                names.extend(ev.indicators.names());
                let labels = ev.data.panel.indicators.iter().map(|i| i.label.as_str());
                Fault::unknown(format!(
                    "unknown indicator `{code}`{}",
                    yearbook_core::suggest::did_you_mean(code, names.iter().map(String::as_str).chain(labels))
                ))
                .raised()
            })
        }
    );

    // Time.
    reg!(
        e,
        "lag",
        ["s: Series", "k: i64", "Series"],
        "Value k periods earlier (k < 0: later); missing where that is outside the data.",
        |s: Series, k: i64| {
            let mut out = time::lag(&s, k);
            if let Ok(out) = &mut out {
                out.lagged = k > 0;
                out.leads = k < 0;
            }
            ok(out)
        }
    );
    reg!(
        e,
        "yoy",
        ["s: Series", "Series"],
        "Year-on-year growth (同比) as a fraction: s / s one year earlier - 1. Use pct() for percent.",
        |s: Series| ok(time::growth(&s, time::per_year(&s)))
    );
    reg!(
        e,
        "pop",
        ["s: Series", "Series"],
        "Period-on-period growth (环比) as a fraction: s / s one period earlier - 1.",
        |s: Series| ok(time::growth(&s, 1))
    );
    reg!(
        e,
        "growth",
        ["s: Series", "k: i64", "Series"],
        "Growth over k periods as a fraction: s / lag(s, k) - 1.",
        |s: Series, k: i64| ok(time::growth(&s, k))
    );
    reg!(
        e,
        "diff",
        ["s: Series", "Series"],
        "Change from the previous period, in the series' unit; of a figure in % (a rate, a share) in 个百分点 (1.1% -> 1.225% is 0.125个百分点), in ‰ in 个千分点.",
        |s: Series| ok(time::diff(&s, 1))
    );
    reg!(
        e,
        "diff",
        ["s: Series", "k: i64", "Series"],
        "Change over k periods, in the series' unit (of a figure in %, in 个百分点; in ‰, in 个千分点).",
        |s: Series, k: i64| ok(time::diff(&s, k))
    );
    reg!(
        e,
        "cagr",
        ["s: Series", "years: i64", "Series"],
        "Compound annual growth over `years` years as a fraction; cagr(s, 2) is the two-year average growth (两年平均增速).",
        |s: Series, y: i64| ok(time::cagr(&s, y))
    );
    // Units and ratios.
    reg!(e, "pct", ["s: Series", "Series"], "The series in percent: pct(yoy(gdp)) gives 18.14 (%).", |s: Series| ok(convert(
        s,
        &Unit::percent()
    )));
    reg!(
        e,
        "to",
        ["s: Series", "unit: &str", "Series"],
        "Converts to another unit of the same dimension: to(gdp, \"万元\").",
        |s: Series, u: &str| ok(convert(s, &Unit::parse(u)))
    );
    reg!(e, "unit", ["s: Series", "String"], "The series' unit symbol.", |s: Series| s.unit.symbol.to_string());
    reg!(
        e,
        "share",
        ["part: Series", "whole: Series", "Series"],
        "part / whole as a fraction (units of the same dimension; rescaled). Rolls up by recomputing from rolled-up parts. Single months' figures (当月) against a year's target are refused, as in completion.",
        |ctx: NativeCallContext, a: Series, b: Series| -> R {
            refuse_single_periods(&ctx, &a, &b, "share")?;
            let mut out = like_ratio("share needs a part and a whole", a, b)?;
            out.rate = Some(yearbook_core::series::RateOf::Level(Arc::from("a share (`share(part, whole)`)")));
            Ok(out)
        }
    );
    reg!(
        e,
        "completion",
        ["actual: Series", "target: Series", "Series"],
        "actual / target as a fraction (完成率); pct() for percent. Missing, with a note, over a target below zero (a loss limit): compare actual >= target instead.",
        |ctx: NativeCallContext, a: Series, b: Series| -> R {
            refuse_single_periods(&ctx, &a, &b, "completion")?;
            if !a.unit.same_dimension(&b.unit) {
                return Err(Fault::unit(format!(
                    "completion needs actual and target in units of the same dimension, not {} and {}",
                    a.unit.show(),
                    b.unit.show()
                ))
                .raised());
            }
            ok(yearbook_core::kernel::arith::completion(a, b, "completion"))
        }
    );
    reg!(
        e,
        "per_capita",
        ["s: Series", "population: Series", "Series"],
        "s / population, with a compound unit (亿元/万人); use to(x, \"元/人\") to convert.",
        |a: Series, b: Series| ok(binary(a, b, Op::Div))
    );

    // Region tree.
    reg!(
        e,
        "rollup",
        ["s: Series", "level: &str", "Series"],
        "Rolls up to a level by each indicator's rule: sums, means, weighted means; ratios recomputed from rolled-up components.",
        |ctx: NativeCallContext, s: Series, l: &str| -> R {
            let lv = level_of(&s, l)?;
            eval::of(&ctx)?.inputs.rolled_up(lv);
            ok(rollup::rollup(&s, lv))
        }
    );
    reg!(
        e,
        "rollup",
        ["s: Series", "level: &str", "missing: &str", "Series"],
        "rollup(s, level, \"reported\"): sums only the values present, as SQL's SUM does (a region missing in a period lowers the total instead of leaving it missing); \"complete\" is rollup(s, level).",
        |ctx: NativeCallContext, s: Series, l: &str, how: &str| -> R {
            let lv = level_of(&s, l)?;
            let reported_only = match how {
                "reported" => true,
                "complete" => false,
                other => {
                    return Err(Fault::type_(format!(
                        "rollup: unknown way \"{other}\" to treat missing values: use \"complete\" (default) or \"reported\""
                    ))
                    .raised());
                }
            };
            eval::of(&ctx)?.inputs.rolled_up(lv);
            ok(rollup::rollup_with(&s, lv, reported_only))
        }
    );
    reg!(
        e,
        "level",
        ["s: Series", "level: &str", "Series"],
        "Keeps only regions of one level; a region without a figure of its own whose children report one (a town made of its villages) has their roll-up.",
        |ctx: NativeCallContext, s: Series, l: &str| -> R {
            let lv = level_of(&s, l)?;
            let mut shown = rollup::as_shown(&s, |x| x == lv);
            // Which towns each county's roll-up counts, for a change taken after the towns
            // are dropped (`yoy(level(gdp, "county"))` across a town that enters).
            rollup::cover(&mut shown, &s);
            let s = shown;
            let levels = &s.axes.regions.level;
            if s.by_region {
                // About that level: a town made of its villages is an item where they
                // have figures (as for a roll-up), under every missing-value policy.
                let inputs = &eval::of(&ctx)?.inputs;
                inputs.narrowed_to_regions(levels.len(), |r| levels[r] == lv);
                inputs.rolled_up(lv);
            }
            Ok(keep(&s, |r, _| !s.by_region || levels[r] == lv))
        }
    );
    reg!(
        e,
        "only",
        ["s: Series", "region: &str", "Series"],
        "Keeps only one region (by code or name); without a figure of its own, where its children report one, it has their roll-up.",
        |ctx: NativeCallContext, s: Series, key: &str| -> R {
            let id = region_of(&s, key)? as usize;
            let mut shown = shown_at_region(&s, id);
            rollup::cover(&mut shown, &s);
            let s = shown;
            if s.by_region {
                let inputs = &eval::of(&ctx)?.inputs;
                inputs.narrowed_to_regions(s.rows(), |r| r == id);
                inputs.rolled_up(s.axes.regions.level[id]);
            }
            Ok(keep(&s, |r, _| !s.by_region || r == id))
        }
    );
    reg!(
        e,
        "children",
        ["s: Series", "region: &str", "Series"],
        "Keeps only the direct children of a region; a child without a figure of its own whose children report one has their roll-up.",
        |ctx: NativeCallContext, s: Series, key: &str| -> R {
            let id = region_of(&s, key)?;
            let parent = &s.axes.regions.parent;
            if s.by_region {
                eval::of(&ctx)?.inputs.narrowed_to_regions(s.rows(), |r| parent[r] == id);
            }
            let levels: Vec<u8> = if s.by_region {
                (0..s.rows()).filter(|&r| parent[r] == id).map(|r| s.axes.regions.level[r]).collect()
            } else {
                Vec::new()
            };
            let mut shown = rollup::as_shown(&s, |x| levels.contains(&x));
            // Which regions a child made of its children counts, for a change across
            // periods (`yoy(children(gdp, "city"))` across a town that enters).
            rollup::cover(&mut shown, &s);
            let s = shown;
            let parent = &s.axes.regions.parent;
            let mut out = keep(&s, |r, _| !s.by_region || parent[r] == id);
            // Their sum is the region's children's roll-up (see `Series::rolled`).
            if out.by_region {
                out.rolled = Some(yearbook_core::kernel::itself::rolled_up(&s, yearbook_core::series::Rolled::ChildrenOf(id)));
            }
            Ok(out)
        }
    );
    reg!(
        e,
        "in_period",
        ["s: Series", "period: ?", "Series"],
        "Keeps only one period: in_period(gdp, 2008) or in_period(gdp, \"2008Q1\").",
        |ctx: NativeCallContext, s: Series, p: Dynamic| -> R {
            let pi = period_index(&s, &p)?;
            if s.by_period {
                eval::of(&ctx)?.inputs.narrowed_to_periods(s.cols(), |q| q == pi);
            }
            let mut out = keep(&s, |_, q| !s.by_period || q == pi);
            // Who gave a figure of their own before: a gap there stays a gap (as_shown, rollup).
            if s.by_region && s.by_period {
                out.own_since = Some(yearbook_core::kernel::itself::own_since(&s));
            }
            // A period of the same figure: a region made of its children is shown with
            // their roll-up in it as in the whole series (`level(in_period(qty, 2021),
            // "county")` has a county whose towns report). Not so for a selection of
            // regions (`only`), which leaves the others out on purpose.
            out.declared = s.declared;
            out.own_inputs = s.own_inputs.clone();
            Ok(out)
        }
    );
    reg!(
        e,
        "rank",
        ["s: Series", "Series"],
        "Rank per period among regions of the same level, 1 = largest; ties share a rank. At a level where regions report their own figure, one made of its children (a town of its villages) ranks with their roll-up. In a report on a region, the regions under it rank among one another and it among its siblings, as ranking() and the indicator table place them.",
        |ctx: NativeCallContext, s: Series| -> R {
            let s = rollup::as_shown_mixed(&s);
            let g = in_report(&ctx, &s, None);
            ok(rank::rank(&s, false, g.as_deref()))
        }
    );
    reg!(
        e,
        "rank",
        ["s: Series", "within: &str", "Series"],
        "Rank per period within each region of a level (\"county\": among siblings in a county; in a report too, whatever region it is on: rank(gdp, \"province\") in a county's report is the place in the province), \"asc\" for 1 = smallest, \"reported\" for the places among the figures present; words combine (\"county asc reported\"). Without \"reported\", a period where a region ranked with others has no figure though it is in the source by then (a figure in an earlier period, or fact rows of other figures then) leaves their places missing, with a note: 甲镇 is no 第1位 while 丙镇, larger a year earlier, has not delivered.",
        |ctx: NativeCallContext, s: Series, w: &str| -> R {
            let s = rollup::as_shown_mixed(&s);
            let how = placing(&s, w)?;
            let g = in_report(&ctx, &s, how.level.map(|lv| s.axes.ancestors(lv)));
            ok(rank::rank_as(&s, how.ascending, g.as_deref(), how.reported))
        }
    );
    reg!(
        e,
        "top",
        ["s: Series", "n: i64", "Series"],
        "Keeps the n largest values per period and level (ties by region code); the rest become missing. A region made of its children ranks with their roll-up, as in rank; in a report on a region, among the regions rank places it with.",
        |ctx: NativeCallContext, s: Series, n: i64| -> R {
            let s = rollup::as_shown_mixed(&s);
            let g = in_report(&ctx, &s, None);
            ok(rank::top(&s, n, g.as_deref()))
        }
    );
    reg!(
        e,
        "top",
        ["s: Series", "n: i64", "within: &str", "Series"],
        "Keeps the n largest values per period within each region of a level: top(yoy(gdp), 10, \"province\"); \"reported\" keeps the n largest of the figures present (words combine: \"province reported\"). Without it, none of a level (and group) is kept in a period where one of its regions in the source by then has no figure, with a note.",
        |ctx: NativeCallContext, s: Series, n: i64, w: &str| -> R {
            let s = rollup::as_shown_mixed(&s);
            let how = placing(&s, w)?;
            if how.ascending {
                return Err(format!("top keeps the n largest; \"asc\" is rank's word: top(-x, n) keeps the n smallest, not \"{w}\"").into());
            }
            let g = in_report(&ctx, &s, how.level.map(|lv| s.axes.ancestors(lv)));
            ok(rank::top_as(&s, n, g.as_deref(), how.reported))
        }
    );

    register_stats(e);
    reg!(
        e,
        "indicators",
        ["Array"],
        "Codes of the loaded indicators (not namespaced), in file order: for code in indicators() { ... indicator(code) ... }.",
        |ctx: NativeCallContext| -> R<rhai::Array> {
            Ok(eval::of(&ctx)?.data.panel.codes().filter(|k| !k.contains('.')).map(|k| Dynamic::from(k.to_string())).collect())
        }
    );
    reg!(
        e,
        "amount",
        ["x: f64", "unit: &str", "Series"],
        "A number with a unit, e.g. a table sum: amount(t.sum(\"investment_wan_yuan\"), \"万元\") / housing_area_added. A table's number whose file gives its unit (投资（亿元）, 单位：亿元) must be given in that unit.",
        |ctx: NativeCallContext, x: Dynamic, u: &str| -> R {
            let (x, own) = crate::unit_tag::number(&x, "amount").map_err(crate::raise)?;
            let unit = Unit::parse(u);
            if let Some(own) = own.filter(|o| o.factor_to(&unit).is_none_or(|f| (f - 1.0).abs() > 1e-12)) {
                return Err(Fault::unit(format!(
                    "amount(x, \"{u}\"): x is a table's figure in {} (its column's header, the row of units under it or the table's unit row says so), \
                     not in {u}: write amount(x, \"{}\"), or convert it with to(amount(x, \"{}\"), \"{u}\")",
                    own.show(),
                    own.show(),
                    own.show()
                ))
                .raised());
            }
            Ok(Series {
                data: Arc::new(vec![x].into()),
                axes: eval::of(&ctx)?.data.panel.axes.clone(),
                by_region: false,
                by_period: false,
                unit,
                mask: false,
                agg: Series::no_rollup("an amount does not roll up"),
                indicator: None,
                pending: None,
                scaled_by: 1.0,
                scaled_pow: 1.0,
                basis: None,
                rounded: None,
                lagged: false,
                leads: false,
                lag_numerator: None,
                sized_base: None,
                change_base: None,
                listed: None,
                periods_of: None,
                declared: false,
                shown: None,
                rolled: None,
                shown_of: None,
                own_since: None,
                parts: None,
                own_inputs: None,
                covered: None,
                counts: None,
                made_of: None,
                missing_why: None,
                unevaluated: None,
                target: None,
                rate: None,
                spread: None,
                ties: None,
                selected: None,
                data_periods: None,
                gap_origin: None,
                lag_source: None,
                form_of: None,
                lag_times: None,
            })
        }
    );
    reg!(
        e,
        "share",
        ["part: f64", "whole: Series", "Series"],
        "A number (in the whole's unit, e.g. a table sum in 万元; a table's figure whose file gives its unit, 投资（亿元）, in that unit) as a fraction of a series.",
        |a: Dynamic, b: Series| -> R {
            let (a, own) = crate::unit_tag::number(&a, "share").map_err(crate::raise)?;
            let part = b.shaped(false, false, vec![a], own.unwrap_or_else(|| b.unit.clone()), Series::no_rollup(""));
            ok(binary(part, b, Op::Div))
        }
    );

    // Cells and missing values.
    reg!(
        e,
        "at",
        ["s: Series", "region: &str", "period: ?", "f64"],
        "One value: at(gdp, \"dayun\", 2008); missing gives NaN (shown as —). The number keeps the figure's unit beside a series and another such number: rev + at(gdp, \"t1\", 2021) adds 12.1亿元 to 万元 as 121000, gdp * at(urb, \"t1\", 2021) multiplies by 53% as 0.53.",
        |s: Series, key: &str, p: Dynamic| -> R<Dynamic> {
            // A number taken out of a series is a result: a conversion still open settled.
            let s = yearbook_core::kernel::arith::settle(s, None).map_err(crate::raise)?;
            let r = region_of(&s, key)? as usize;
            // A panel whose facts were not read (`check`) has no value there, so what is
            // done with it is still judged (`note(at(…))`, a number over a percent) as
            // `run` will judge it. A panel of no facts at all (`eval` over an empty file)
            // has no such period: an error, as for a period past the data's.
            let unit = crate::unit_tag::of_series(&s);
            if s.by_period && s.axes.facts_unread && s.axes.periods.len == 0 {
                period_of(&p)?;
                return Ok(crate::unit_tag::tagged(crate::numbers::unread(), unit.as_ref()));
            }
            let s = shown_at_region(&s, r);
            let pi = if s.by_period { period_index(&s, &p)? } else { 0 };
            Ok(crate::unit_tag::tagged(s.get(r, pi), unit.as_ref()))
        }
    );
    reg!(
        e,
        "value",
        ["s: Series", "f64"],
        "The single value of a series that has exactly one non-missing cell (or one cell); it keeps the figure's unit as at() does.",
        |s: Series| -> R<Dynamic> {
            let s = yearbook_core::kernel::arith::settle(s, None).map_err(crate::raise)?;
            let unit = crate::unit_tag::of_series(&s);
            let tag = |x: f64| crate::unit_tag::tagged(x, unit.as_ref());
            if s.data.len() == 1 {
                return Ok(tag(s.data[0]));
            }
            let vals: Vec<f64> = s.data.iter().copied().filter(|v| !v.is_nan()).take(2).collect();
            match vals.len() {
                1 => Ok(tag(vals[0])),
                0 => Ok(tag(f64::NAN)),
                _ => Err(format!(
                    "value() needs a single value but this series has {}; narrow it with only(), in_period() or at()",
                    s.count()
                )
                .into()),
            }
        }
    );
    reg!(e, "value", ["x: f64", "f64"], "A number is its own value.", |x: f64| x);
    reg!(
        e,
        "latest",
        ["s: Series", "Series"],
        "Per region, the value of the latest period that has one. Where those periods differ between regions, a roll-up, a statistic across regions or a rank of it is refused (it would add or compare figures of different years), as is an operation with another region's latest figure of another period.",
        |s: Series| Ok::<_, Box<EvalAltResult>>(latest(&s))
    );
    reg!(
        e,
        "where",
        ["mask: Series", "a: Series", "b: Series", "Series"],
        "a where the mask is true, b where it is false, missing where the mask is missing.",
        |m: Series, a: Series, b: Series| ok(select(&m, a, b))
    );
    reg!(
        e,
        "where",
        ["mask: Series", "a: Series", "b: f64", "Series"],
        "a where the mask is true, the number b where false (a record table's figure in the unit its file gives: 投资（亿元）).",
        |m: Series, a: Series, b: Dynamic| -> R {
            let (b, own) = crate::unit_tag::number(&b, "where").map_err(crate::raise)?;
            let bs = a.shaped(false, false, vec![b], own.unwrap_or_else(|| a.unit.clone()), Series::no_rollup(""));
            ok(select(&m, a, bs))
        }
    );
    reg!(
        e,
        "where",
        ["mask: Series", "a: f64", "b: Series", "Series"],
        "The number a where the mask is true, b where false (a record table's figure in the unit its file gives).",
        |m: Series, a: Dynamic, b: Series| -> R {
            let (a, own) = crate::unit_tag::number(&a, "where").map_err(crate::raise)?;
            let sa = b.shaped(false, false, vec![a], own.unwrap_or_else(|| b.unit.clone()), Series::no_rollup(""));
            ok(select(&m, sa, b))
        }
    );
    reg!(e, "where", ["mask: Series", "a: f64", "b: f64", "Series"], "The number a where the mask is true, b where false.", |m: Series,
                                                                                                                             a: f64,
                                                                                                                             b: f64|
     -> R {
        let u = Unit::one();
        let (sa, sb) =
            (m.shaped(false, false, vec![a], u.clone(), Series::no_rollup("")), m.shaped(false, false, vec![b], u, Series::no_rollup("")));
        ok(select(&m, sa, sb))
    });
    reg!(
        e,
        "fill",
        ["s: Series", "v: f64", "Series"],
        "Replaces missing values with v; a region without a figure of its own whose children report one (a county of its towns) is made of them, not unreported: it stays missing (rollup(fill(s, v), level) gives its total).",
        |s: Series, v: f64| -> R {
            cumulative_fall(&s, v)?;
            let (u, a, scaled_by, scaled_pow, lagged) = (s.unit.clone(), s.agg.clone(), s.scaled_by, s.scaled_pow, s.lagged);
            let made_of_children = rollup::made_of_children(&s);
            let mut out = map(s.clone(), u, a, move |x| if x.is_nan() { v } else { x });
            out.scaled_by = scaled_by;
            out.scaled_pow = scaled_pow;
            // A base filled with a number is still made of earlier values and numbers.
            out.lagged = lagged;
            // A rate filled with a number is still the rate (fill(yoy(share), 0)).
            out.rate = s.rate.clone();
            // A comparison filled with false or true is still one (count of it refused).
            out.mask = s.mask && (v == 0.0 || v == 1.0);
            out.spread = s.spread;
            // A target filled is still the target where it has one (a division by it a completion).
            out.target = s.target.clone();
            if let Some(parents) = made_of_children {
                let mut data = out.take_data();
                data.iter_mut().zip(parents).filter(|(_, p)| *p).for_each(|(x, _)| *x = f64::NAN);
                out.data = Arc::new(data.into());
                yearbook_core::memory::made(&out.data);
            }
            no_data_periods_left(&s, &mut out, v);
            // A town not yet counted in a roll-up would be filled with v in the year before it
            // enters: a change across its entry has no comparable basis.
            Series::basis_lost(
                &[&s],
                &mut out,
                "`fill` with a roll-up that a region enters (it would give the region a figure before it is counted)",
            );
            Ok(out)
        }
    );
    reg!(
        e,
        "fill",
        ["x: f64", "v: f64", "f64"],
        "A plain number, or v where it is missing: fill(at(gdp, \"t2\", 2020), 0).",
        // The figure's unit stays (fill(at(gdp, …), 0) is still in 亿元); a default in
        // another unit of its dimension is taken in the figure's.
        |x: Dynamic, v: Dynamic| -> R<Dynamic> {
            let Ok(n) = crate::number_of(&x) else {
                return Err(Fault::type_(format!("fill needs a number or a series, not {}", x.type_name())).raised());
            };
            if !n.is_nan() {
                return Ok(x);
            }
            let Ok(d) = crate::number_of(&v) else {
                return Err(Fault::type_(format!("fill: the default must be a number, not {}", v.type_name())).raised());
            };
            match (crate::unit_tag::unit_of(&x), crate::unit_tag::unit_of(&v)) {
                (Some(u), Some(w)) => match w.factor_to(&u) {
                    Some(f) => Ok(crate::unit_tag::tagged(d * f, Some(&u))),
                    None => Err(Fault::unit(format!(
                        "fill: a figure in {} given a default in {}: they are of different kinds",
                        u.show(),
                        w.show()
                    ))
                    .raised()),
                },
                (Some(u), None) => Ok(crate::unit_tag::tagged(d, Some(&u))),
                _ => Ok(v),
            }
        }
    );
    reg!(
        e,
        "is_missing",
        ["x: f64", "bool"],
        "Whether a plain number is missing: if is_missing(x) { \"暂无数据\" } else if x > 5.0 { .. }.",
        |x: f64| x.is_nan()
    );
    reg!(
        e,
        "is_missing",
        ["s: Series", "Series"],
        "Mask: 1 where the value is missing, 0 where present; 0 at a region without a figure of its own whose children report one (made of them, not unreported: the cells fill(s, v) leaves alone).",
        |s: Series| -> R {
            let parents = rollup::made_of_children(&s);
            let mut m = map(s, Unit::one(), Series::no_rollup("a mask does not roll up"), |x| if x.is_nan() { 1.0 } else { 0.0 });
            if let Some(parents) = parents {
                let mut data = m.take_data();
                data.iter_mut().zip(parents).filter(|(_, p)| *p).for_each(|(x, _)| *x = 0.0);
                m.data = Arc::new(data.into());
                yearbook_core::memory::made(&m.data);
            }
            m.mask = true;
            Ok(m)
        }
    );
    reg!(e, "and", ["a: Series", "b: Series", "Series"], "Logical and of two masks (also `a & b`).", |a: Series, b: Series| ok(binary(
        a,
        b,
        Op::And
    )));
    reg!(e, "or", ["a: Series", "b: Series", "Series"], "Logical or of two masks (also `a | b`).", |a: Series, b: Series| ok(binary(
        a,
        b,
        Op::Or
    )));
    reg!(e, "not", ["m: Series", "Series"], "Logical not of a mask (also `!m`).", |s: Series| Ok::<_, Box<EvalAltResult>>(
        crate::ops_api::not(s)
    ));

    // Elementwise maths.
    reg!(e, "abs", ["s: Series", "Series"], "Absolute value.", |s: Series| -> R {
        let (u, scaled_by, scaled_pow, pending) = (s.unit.clone(), s.scaled_by, s.scaled_pow, s.pending.clone());
        let input = s.clone();
        let mut out = map(s, u, Series::no_rollup("abs does not roll up"), f64::abs);
        rollup::keep_made_of(&[&input], &mut out);
        out.scaled_by = scaled_by;
        out.scaled_pow = scaled_pow;
        out.pending = pending;
        // The size of a rate's change is still that change (abs(yoy(share))).
        out.rate = input.rate.clone();
        // The size of a base (abs(lag(x, 1))): a division by it is over that base.
        out.sized_base = if input.lagged { Some(input.data.clone()) } else { input.sized_base.clone() };
        out.spread = input.spread;
        Ok(out)
    });
    reg!(
        e,
        "sqrt",
        ["s: Series", "Series"],
        "Square root (of a pure number; of a percent, of its fraction: sqrt(25%) = 0.5; of a figure whose unit's factors come in pairs, in half of them: sqrt(a * b) of 亿元·亿元 is in 亿元). Of any other unit (亿元) it is refused.",
        |s: Series| -> R { of_number(s, "sqrt", f64::sqrt) }
    );
    reg!(
        e,
        "ln",
        ["s: Series", "Series"],
        "Natural logarithm (of a pure number; of a percent, of its fraction: ln(50.4%) = ln(0.504)). Of a figure with a unit (亿元) it is refused: divide by a figure of the same unit first.",
        |s: Series| -> R { of_number(s, "ln", f64::ln) }
    );
    reg!(
        e,
        "round",
        ["s: Series", "digits: i64", "Series"],
        "Rounds to a number of decimals (tens, hundreds for -1, -2), half away from zero on the decimal value as printed figures and Excel's ROUND (四舍五入): round(1.005, 2) is 1.01.",
        |s: Series, d: i64| -> R {
            let d = d.clamp(-15, 15) as i32;
            // The values rounded here are the source; an earlier rounding's own source is
            // not kept (a loop of round(x * k, 2) would hold every step's series).
            let (u, a, source) = (s.unit.clone(), s.agg.clone(), Series { rounded: None, ..s.clone() });
            let mut out = yearbook_core::kernel::arith::map_keeping(s, u, a, move |x| yearbook_core::format::round_decimal(x, d));
            out.rounded = Some(std::sync::Arc::new(yearbook_core::series::Rounded { source, digits: d, factor: 1.0 }));
            Ok(out)
        }
    );
    reg!(e, "scale", ["s: Series", "k: f64", "Series"], "Multiplies by a pure number k (same as s * k).", |s: Series, k: f64| ok(
        with_number(s, k, Op::Mul, false)
    ));
    /// Cells per block of `map` handed to one core at a time.
    const MAP_BLOCK: usize = 4096;
    reg!(
        e,
        "map",
        ["s: Series", "f: FnPtr", "Series"],
        "Applies a closure to every cell that has a value: map(gdp, |x| x * 2). Missing cells stay missing (the closure never sees one; fill(s, v) fills them first). The closure reads variables it captures as they were when map was called and cannot change them. A closure of arithmetic, comparisons, if/else, let, captured numbers and abs, sqrt, exp, ln, log, floor, ceiling, round, int runs natively on all cores; any other goes through the script engine (about 1.2M cells/s per core): prefer series operators.",
        |ctx: NativeCallContext, s: Series, f: FnPtr| -> R {
            use rayon::prelude::*;
            // A conversion left open in the cells is settled before a closure sees them.
            let s = yearbook_core::kernel::arith::settle(s, None).map_err(crate::raise)?;
            // One cell through the closure: a number, else missing; anything else is an error.
            let one = |f: &FnPtr, x: f64| -> Result<f64, Box<EvalAltResult>> {
                let v: Dynamic = f.call_within_context(&ctx, (x,))?;
                match crate::number_of(&v) {
                    // Beyond what a double holds: missing, as in every kernel.
                    Ok(y) => Ok(if y.is_finite() { y } else { f64::NAN }),
                    // A cell with a value given no number (`if x > 1.9 { x * 2 }` without
                    // `else`) would vanish silently from every sum: refused.
                    Err(_) if v.is_unit() => Err(Fault::type_(format!(
                        "map: the closure must give a number, but gave none (an `if` without `else`?) for a cell with the value {x}: \
                         give every branch a value, e.g. |x| if x > 1.9 {{ x * 2 }} else {{ x }}"
                    ))
                    .raised()),
                    Err(t) => Err(Fault::type_(format!("map: the closure must give a number, not {t}")).raised()),
                }
            };
            // A closure of another number of parameters would fail as an unknown `anon$…`.
            let captured = f.curry().len();
            let takes = |k: usize| ctx.iter_namespaces().any(|m| m.get_script_fn(f.fn_name(), k).is_some());
            if !takes(captured + 1)
                && let Some(k) = (captured..captured + 16).find(|&k| takes(k))
            {
                return Err(Fault::type_(format!(
                    "map: the closure takes {} parameters; it takes one, the cell's value: map(gdp, |x| x * 2)",
                    k - captured
                ))
                .raised());
            }
            // An arithmetic closure runs natively; a cell it cannot decide goes to the engine.
            let native = crate::cell_fn::CellFn::compile(&ctx, &f);
            // A closure that only scales a percent, a per mille or an index (`|x| x / 100`)
            // is that formula (`urb / 100`, the fraction 0.53): its numbers are read as the
            // operators read them, one by one, not kept beside the unit (0.53%).
            let percent_like = s.unit.is_dimensionless() && s.unit.scale != 1.0;
            if percent_like && let Some(steps) = native.as_ref().and_then(|cf| cf.scale_steps()) {
                let mut out = s;
                for (k, divides) in steps {
                    out = with_number(out, k, if divides { Op::Div } else { Op::Mul }, false).map_err(crate::raise)?;
                }
                return Ok(out);
            }
            // Any other closure that multiplies or divides by the unit's conversion (`|x|
            // round(x / 100, 2)` of a percent) gives a fraction or a percent, which cannot be
            // told from here: refused, saying how to write either.
            if percent_like
                && let Some(cf) = &native
                && cf.scales_by(&|k: f64| {
                    let c = 1.0 / s.unit.scale;
                    (k / c - 1.0).abs() < 1e-9 || (k * c - 1.0).abs() < 1e-9
                })
            {
                let (u, c) = (s.unit.show(), yearbook_core::format::number(1.0 / s.unit.scale));
                // An example in the unit: an index of 108 is the factor 1.08 (map(x / 100, |v|
                // v - 1) is its growth), a percent of 53 the fraction 0.53.
                let example = if s.unit.is_index() {
                    format!("1.08 for an index of 108 ({u}); its growth is map(x / {c}, |v| v - 1)")
                } else {
                    let n = 53.0;
                    format!("{} for {}{u}", yearbook_core::format::number(n * s.unit.scale), yearbook_core::format::number(n))
                };
                return Err(Fault::unit(format!(
                    "map: the closure over a series in {u} multiplies or divides by {c}, the conversion between {u} and a plain \
                     number, beside other work: whether each value is then a fraction or still in {u} cannot be told from a \
                     closure. Convert outside it, as a formula: map(x / {c}, |v| …) for the fraction ({example}), or leave \
                     the {c} out to keep {u}"
                ))
                .raised());
            }
            // The evaluation's tally on every thread: divisions by zero are counted, and
            // the time limit and Ctrl-C stop the closure on worker threads too.
            let tally = eval::of(&ctx).ok().map(|ev| ev.tally.clone());
            // Cells in blocks on all cores; the error of the first failing block (in cell
            // order) is the one reported, whichever thread met it first.
            let blocks: Vec<Result<Vec<f64>, Box<EvalAltResult>>> = s
                .data
                .par_chunks(MAP_BLOCK)
                .map(|b| {
                    let _entered = tally.as_ref().map(|t| t.enter());
                    // The captured variables as they were when map was called, a copy per
                    // block: the closure reads them and cannot change them (blocks on other
                    // threads would race for them: "Data race detected").
                    let mut f = f.clone();
                    let captured: Vec<Dynamic> = f.curry().iter().map(Dynamic::flatten_clone).collect();
                    f.set_curry(captured);
                    // Missing in, missing out: the closure never sees a missing cell.
                    match &native {
                        Some(cf) => {
                            let mut frame = cf.frame();
                            b.iter()
                                .map(|&x| {
                                    if x.is_nan() {
                                        return Ok(f64::NAN);
                                    }
                                    match cf.cell(&mut frame, x) {
                                        crate::cell_fn::Outcome::Cell(y) => Ok(y),
                                        crate::cell_fn::Outcome::AskEngine => one(&f, x),
                                    }
                                })
                                .collect()
                        }
                        None => b.iter().map(|&x| if x.is_nan() { Ok(f64::NAN) } else { one(&f, x) }).collect(),
                    }
                })
                .collect();
            let mut out = Vec::with_capacity(s.data.len());
            for b in blocks {
                out.extend(b?);
            }
            let mut out = s.with(out, s.unit.clone(), Series::no_rollup("the result of map does not roll up"));
            // A function of each cell of one figure is that figure in another form
            // (`map(gdp, |x| x * 10000)` beside a lag of gdp, review29 02).
            out.form_of = yearbook_core::kernel::itself::form(&s);
            // A cell's function of 1-N月累计 or of a year's target held in every month still
            // stands for more than its month: adding it across months, or setting a month
            // against the one before, counts figures again (quarters(map(cum.x, |x|
            // round(x))) gave Q1 360 for 180).
            out.spread = s.spread;
            // A county made of its towns stays so through the closure (fill, is_missing).
            rollup::keep_made_of(&[&s], &mut out);
            // A closure of a total adds what the total adds.
            yearbook_core::kernel::unlike::keep(&s, &mut out);
            // A roll-up that a region enters: through a closure that scales (|x| x / 10000)
            // the comparable basis is scaled as well; through any other, a change across the
            // entry is left missing (the closure of a sum is not the sum of the closures).
            match native.as_ref().and_then(|cf| cf.scale()).filter(|k| k.is_finite()) {
                Some(k) => {
                    let unit = s.unit.clone();
                    s.basis_through(&mut out, move |src| {
                        Ok(yearbook_core::kernel::arith::map(src.clone(), unit.clone(), src.agg.clone(), move |x| x * k))
                    })
                }
                None => Series::basis_lost(&[&s], &mut out, "`map` of a roll-up that a region enters"),
            }
            // A cell function of a base is one (map(lag(x, 1), |x| x)), unless it is seen to
            // negate it (the spreadsheet's abs over a negative base, as lag(x, 1) * -1).
            out.lagged = s.lagged && native.as_ref().and_then(|cf| cf.scale()).is_none_or(|k| k > 0.0);
            // A rate scaled by a closure (|x| x * 100) is still the rate.
            out.rate = s.rate.clone().filter(|_| native.as_ref().and_then(|cf| cf.scale()).is_some());
            // `map(loc / fis, |x| x * 100)` declared in %: the factor is the percent's
            // conversion written by hand, as in `loc / fis * 100` (40%, not 4000%); any
            // number a closure only scales by is written as in the formula (`|x| x * 50`
            // is `* 50`).
            if let Some((k, pow)) = native.as_ref().and_then(|cf| cf.scale_written())
                && k.is_finite()
                && k != 0.0
                && !(s.unit.is_dimensionless() && s.unit.scale != 1.0)
            {
                out.scaled_by = s.scaled_by * k.abs();
                out.scaled_pow = s.scaled_pow * pow;
            }
            Ok(out)
        }
    );
    for name in ["to_string", "to_debug"] {
        reg!(e, name, ["s: Series", "String"], "The series as a printed table.", |ctx: NativeCallContext, s: Series| {
            let ev = eval::of(&ctx).ok();
            crate::output::series_text(&s, 20, ev.as_ref().map(|ev| ev.data.panel.as_ref()))
        });
    }
    reg!(e, "cells", ["s: Series", "i64"], "Number of non-missing cells.", |s: Series| s.count() as i64);
}
