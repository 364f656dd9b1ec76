//! Shifts along the period axis: lag, growth (yoy, period-on-period), difference and
//! compound annual growth. Whole period rows move at once. (Figures within the year,
//! 累计 and 当月, are in `calendar`.)

use super::{KResult, count_div_zero};
use crate::error::Fault;
use crate::region::NONE;
use crate::series::Series;
use crate::unit::Unit;

fn need_periods(s: &Series, what: &str) -> KResult<()> {
    if s.by_period {
        Ok(())
    } else {
        Err(Fault::type_(format!("{what} needs a series over periods; this one was aggregated across periods")))
    }
}

/// Value k periods earlier (k < 0: later); missing where that falls off the axis.
pub fn lag(s: &Series, k: i64) -> KResult<Series> {
    need_periods(s, "lag")?;
    let (rows, cols) = (s.rows(), s.cols());
    let mut out = vec![f64::NAN; rows * cols];
    for p in 0..cols as i64 {
        let q = p - k;
        if q >= 0 && q < cols as i64 {
            let (dst, src) = (p as usize * rows, q as usize * rows);
            out[dst..dst + rows].copy_from_slice(&s.data[src..src + rows]);
        }
    }
    let mut out = s.with(out, s.unit.clone(), Series::no_rollup("a lagged series does not roll up: roll up first, then lag"));
    // The earlier values keep the numbers written into them (`lag(gdp * 10000, 1)`), and
    // a conversion still open.
    out.scaled_by = s.scaled_by;
    out.scaled_pow = s.scaled_pow;
    out.pending = s.pending.clone();
    // The cells a selection left out are so k periods later: `lag(in_period(gdp, 2018), 1)`
    // holds 2018's figures in 2019, where a town with no 2018 figure is a gap, not a cell
    // left out (review27 03: its sum was the other towns' 41). Before the axis, the
    // selection of the nearest period holds (`lag(only(gdp, "t1"), 1)`).
    out.selected = s.selected.as_ref().filter(|m| m.len() == rows * cols).map(|m| {
        let mut to = vec![false; m.len()];
        for p in 0..cols as i64 {
            let q = (p - k).clamp(0, cols as i64 - 1) as usize;
            to[p as usize * rows..(p as usize + 1) * rows].copy_from_slice(&m[q * rows..(q + 1) * rows]);
        }
        std::sync::Arc::new(to)
    });
    // A rate's earlier value is the rate (`x / lag(x, 1) - 1` is its relative change).
    out.rate = s.rate.clone();
    // A comparison's earlier value is a comparison: its false cells are values too, so
    // `count(lag(gdp > 100, 1))` is refused as `count(gdp > 100)` is (it counted them).
    out.mask = s.mask;
    // 1-N月累计 some months earlier: shown as it is, never set against 累计 (see `Spread::Shifted`).
    out.spread = match s.spread {
        Some(sp) if k % per_year(s).max(1) != 0 => Some(crate::series::Spread::Shifted { cumulative: sp.is_cumulative() }),
        other => other,
    };
    // A total counts k periods later the regions it counted then.
    out.counts = s.counts.as_ref().map(|c| std::sync::Arc::new(c.shifted(k)));
    // A lagged roll-up counts an entering region k periods later: `x - lag(x, 1)` across
    // the entry compares totals over different regions (see `arith::binary`).
    if k == 0 {
        out.basis = s.basis.clone();
    } else if let Some(b) = &s.basis {
        let mut shifted = b.as_ref().clone();
        shifted.entries = b.entries.iter().filter_map(|&(r, p, e)| u32::try_from((p as i64 + k).max(0)).ok().map(|p| (r, p, e))).collect();
        shifted.entries.sort_unstable();
        shifted.lost = Some(shifted.lost.unwrap_or_else(|| std::sync::Arc::from("a lagged roll-up")));
        out.basis = Some(std::sync::Arc::new(shifted));
    }
    super::rollup::keep_made_of_lagged(s, k, &mut out);
    // Its regions count k periods later than the source's: a gap then is one of its.
    out.gap_origin = super::gaps::origin_after(s, k, false);
    // What it is a lag of (a lag's lag, its first source's).
    out.lag_source = (k > 0).then(|| s.lag_source.clone().unwrap_or_else(|| super::itself::figure(s)));
    // A rank's shared places are shared k periods later (上年并列第2位).
    if let Some(t) = s.ties.as_ref().filter(|t| t.len() == rows * cols) {
        out.ties = Some(std::sync::Arc::new(shifted(t, rows, k)));
    }
    // A region shown as its children's roll-up is so k periods later (see
    // `rollup::one_sided_children`: `gdp - lag(gdp, 1)` across a town that enters).
    if let Some(sh) = s.shown.as_ref().filter(|m| m.len() == rows * cols) {
        out.shown = Some(std::sync::Arc::new(shifted(sh, rows, k)));
        // ... counting the regions it counted then.
        if let Some(cv) = s.covered.as_ref().filter(|c| c.len() == rows * cols) {
            out.covered = Some(std::sync::Arc::new(shifted(cv, rows, k)));
        }
    }
    explain_empty(s, &out, k, "lag");
    explain_unmet(s, &out, k);
    Ok(out)
}

/// Per-cell marks of a series (period-major, `rows` regions) taken `k` periods later, as
/// `lag` takes its values; the default where no earlier period is.
fn shifted<T: Copy + Default>(marks: &[T], rows: usize, k: i64) -> Vec<T> {
    let cols = (marks.len() / rows.max(1)) as i64;
    let mut m = vec![T::default(); marks.len()];
    for p in 0..cols {
        let q = p - k;
        if q >= 0 && q < cols {
            let (dst, src) = (p as usize * rows, q as usize * rows);
            m[dst..dst + rows].copy_from_slice(&marks[src..src + rows]);
        }
    }
    m
}

/// A lag that has values, but none where the data has one (data every 5 years and
/// `lag(x, 1)`): `x / lag(x, 1) - 1` and `x - lag(x, 1)` then meet nothing and would give
/// an empty result without a word. Says why and what to write instead. Silent when the
/// lag meets the data anywhere (a legitimate lag), or when it is empty (`explain_empty`).
fn explain_unmet(input: &Series, out: &Series, k: i64) {
    if k == 0 || input.data.len() != out.data.len() {
        return;
    }
    let (mut lagged, mut met) = (false, false);
    for (a, b) in input.data.iter().zip(out.data.iter()) {
        lagged |= !b.is_nan();
        met |= !a.is_nan() && !b.is_nan();
        if met {
            return;
        }
    }
    if !lagged {
        return;
    }
    // Over the rows kept (a roll-up's level): the others are missing. A period the
    // series says is of the data counts too (a total left missing for a town that has
    // not delivered: the data still comes every year).
    if gap_periods(input) {
        return;
    }
    let with_data = periods_of_data(input);
    // One period of data (`lag(in_period(x, 2021), 1)`) was taken out to be moved: no
    // step of the data to speak of.
    if with_data.len() < 2 {
        return;
    }
    let axis = input.axes.periods;
    let per_year = axis.freq.per_year() as usize;
    let k_abs = k.unsigned_abs() as usize;
    let shown: Vec<String> = with_data.iter().take(4).map(|&p| axis.get(p).to_string()).collect();
    let more = if with_data.len() > 4 { ", …" } else { "" };
    let earlier = format!("{} {}", span(k_abs, per_year), if k < 0 { "later" } else { "earlier" });
    let step = regular_step(&with_data);
    let fix = match (step, common_gap(&with_data)) {
        (step, _) if step > 1 && step != k_abs => {
            format!("; the data comes every {}: use lag(s, {step}) or growth(s, {step}) for the change over it", span(step, per_year))
        }
        (_, Some(gap)) if gap != k_abs => format!(
            "; the data comes at irregular intervals: compare periods that both have data, e.g. lag(s, {gap}) or growth(s, {gap}) \
             for the change over {}",
            span(gap, per_year)
        ),
        _ => String::new(),
    };
    super::note(format!(
        "lag: lag(s, {k}) meets no value of the data: no region has data both in a period ({}{more}) and {earlier}, so a change \
         taken with it (s / lag(s, {k}) - 1, s - lag(s, {k})) has no value{fix}",
        shown.join(", ")
    ));
}

/// `k` periods in words: one year, 5 years, 3 periods.
fn span(k: usize, per_year: usize) -> String {
    match (k.is_multiple_of(per_year), k / per_year) {
        (true, 1) => "one year".to_string(),
        (true, n) => format!("{n} years"),
        (false, _) if k == 1 => "one period".to_string(),
        _ => format!("{k} periods"),
    }
}

/// The most frequent gap between the periods with data (the latest of equally frequent
/// ones), when there is more than one period and the gaps are not all 1: censuses in
/// 1953, 1964, 1982, 1990, 2000, 2010 give 10.
fn common_gap(with_data: &[usize]) -> Option<usize> {
    let gaps: Vec<usize> = with_data.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.iter().all(|&g| g == 1) {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    for &g in gaps.iter().rev() {
        let n = gaps.iter().filter(|&&h| h == g).count();
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, g));
        }
    }
    best.map(|(_, g)| g)
}

/// When a shift by `k` periods leaves no value although the input has some, says why:
/// the data comes every n periods (censuses, five-year plans) or has no period k earlier.
fn explain_empty(input: &Series, out: &Series, k: i64, what: &str) {
    if k == 0 || out.data.present() > 0 {
        return;
    }
    // Over the rows kept (a roll-up's level): the others are missing. A period the
    // series says is of the data counts too (a total left missing for a town that has
    // not delivered: the data still comes every year).
    if gap_periods(input) {
        return;
    }
    let with_data = periods_of_data(input);
    if with_data.is_empty() {
        return;
    }
    let axis = input.axes.periods;
    let step = regular_step(&with_data);
    let shown: Vec<String> = with_data.iter().take(4).map(|&p| axis.get(p).to_string()).collect();
    let more = if with_data.len() > 4 { ", …" } else { "" };
    let per_year = axis.freq.per_year() as usize;
    let k_abs = k.unsigned_abs() as usize;
    // A negative shift looks ahead: lag(s, -1) is the next period's value.
    let earlier = format!("{} {}", span(k_abs, per_year), if k < 0 { "later" } else { "earlier" });
    let text = if step > 1 && step != k_abs {
        let every = if step.is_multiple_of(per_year) { format!("{} years", step / per_year) } else { format!("{step} periods") };
        format!(
            "{what}: no value, because the data comes every {every} ({}{more}) and no period has data {earlier}; use {what_k} for the change over {every}",
            shown.join(", "),
            what_k = match what {
                "yoy" | "pop" | "growth" => format!("growth(s, {step})"),
                "diff" => format!("diff(s, {step})"),
                "cagr" if step.is_multiple_of(per_year) => format!("cagr(s, {})", step / per_year),
                _ => format!("lag(s, {step})"),
            }
        )
    } else {
        let hint = match common_gap(&with_data) {
            Some(gap) if gap != k_abs && k > 0 => format!(
                "; the data comes at irregular intervals: compare periods that both have data, e.g. {} for the change over {}",
                match what {
                    "diff" => format!("diff(s, {gap})"),
                    "lag" => format!("lag(s, {gap})"),
                    _ => format!("growth(s, {gap})"),
                },
                span(gap, per_year)
            ),
            _ => String::new(),
        };
        format!("{what}: no value, because no period with data ({}{more}) has data {earlier}{hint}", shown.join(", "))
    };
    super::note(text);
}

/// The one gap between the periods with data where every gap is that one (a census
/// every 10 years, a plan every 5), else 0: censuses in 1982, 1990, 2000, 2010 are 8 and
/// 10 apart, and their greatest common divisor, 2, was said to be how often the data
/// comes (growth(s, 2) then had no value either).
pub(crate) fn regular_step(with_data: &[usize]) -> usize {
    let mut gaps = with_data.windows(2).map(|w| w[1] - w[0]);
    match gaps.next() {
        Some(first) if gaps.all(|g| g == first) => first,
        _ => 0,
    }
}

/// s / s[k periods earlier] - 1, as a pure number. Zero bases give missing (counted);
/// negative bases (a loss, a deficit, a net figure below zero) give missing too, with a
/// note: a growth rate over a negative base has no meaning (-100 -> 50 is not -150%).
/// Reports phrase those changes in words (扭亏为盈, 减亏N); `diff` gives the amount.
pub fn growth(s: &Series, k: i64) -> KResult<Series> {
    combine_lagged(s, k, Unit::one(), "growth", |x, b| if b <= 0.0 { f64::NAN } else { x / b - 1.0 })
}

/// s - s[k periods earlier], in the series' unit.
/// The change of a figure in % (a rate, a share) is in 百分点: 1.1% -> 1.225% is 0.125个
/// 百分点, never "0.125%" (a message, a report, explain, a table's unit column).
pub fn diff(s: &Series, k: i64) -> KResult<Series> {
    let mut out = combine_lagged(s, k, points_of(&s.unit), "diff", |x, b| x - b)?;
    // Its base is `s` k periods back (a division by that base's size is over the base).
    let rows = s.rows();
    if k > 0 && s.data.kept().is_none() && s.data.len() == rows * s.cols() && out.data.len() == s.data.len() {
        out.change_base = Some(crate::series::ChangeBase { source: s.data.clone(), shift: k as usize * rows, of: s.indicator });
    }
    Ok(out)
}

/// The unit of a difference of two figures in `u`: 个百分点 (百分点) for %, else `u`.
pub fn points_of(u: &Unit) -> Unit {
    // Written as a change in points is said: 0.125个百分点, and of a rate in ‰ (a birth
    // rate 5‰ -> 4‰) 1个千分点, never 1‰.
    let (unit, said) = match &*u.symbol {
        "%" => ("百分点", "个百分点"),
        "‰" => ("千分点", "个千分点"),
        _ => return u.clone(),
    };
    let mut p = Unit::parse(unit);
    p.symbol = std::sync::Arc::from(said);
    p
}

/// Compound annual growth over `years` years: (s / s[years earlier])^(1/years) - 1.
pub fn cagr(s: &Series, years: i64) -> KResult<Series> {
    if years <= 0 {
        return Err(format!("cagr needs a positive number of years, not {years}").into());
    }
    let k = years * s.axes.periods.freq.per_year() as i64;
    let inv = 1.0 / years as f64;
    combine_lagged(s, k, Unit::one(), "cagr", move |x, b| {
        // Over a negative base (a loss that widens) no growth has a meaningful sign.
        if b <= 0.0 || x < 0.0 { f64::NAN } else { (x / b).powf(inv) - 1.0 }
    })
}

/// The cells of a year-on-year growth `out` of `s` (over `k` periods) left missing where
/// the figure is there and its base is zero or below, and those from a positive base to a
/// figure below zero (kept: a rule compares them); None when there are none.
/// `data` and `out` are over `kept`'s rows when given (the rows a roll-up keeps), else
/// over every row of `s`; the cells listed are of the whole matrix.
fn over_bases(s: &Series, data: &[f64], kept: Option<&[u32]>, k: usize, out: &[f64]) -> Option<std::sync::Arc<crate::series::MissingWhy>> {
    let rows = s.rows();
    let width = kept.map_or(rows, <[u32]>::len);
    let mut cells = Vec::new();
    if width == 0 {
        return None;
    }
    // Period by period (no division per cell): the cells in their period-major order.
    for p in k..out.len() / width {
        let (o, cur, base) =
            (&out[p * width..(p + 1) * width], &data[p * width..(p + 1) * width], &data[(p - k) * width..(p - k + 1) * width]);
        for (r, ((o, &x), &b)) in o.iter().zip(cur).zip(base).enumerate() {
            // Missing over a base of zero or below, or there but from a positive base to a
            // figure below zero (a profit turned into a loss: -150% says nothing a reader
            // can use; 由盈转亏 does).
            let crossed = !o.is_nan() && b > 0.0 && x < 0.0;
            if (o.is_nan() && !x.is_nan() && !b.is_nan() && b <= 0.0) || crossed {
                let row = kept.map_or(r, |kr| kr[r] as usize);
                cells.push(((p * rows + row) as u32, x, b));
            }
        }
    }
    crate::series::MissingWhy::of(crate::series::WhyMissing::Base, cells, &s.unit, s.indicator)
}

fn combine_lagged(s: &Series, k: i64, unit: Unit, what: &str, f: impl Fn(f64, f64) -> f64 + Sync + Send) -> KResult<Series> {
    need_periods(s, what)?;
    if k == 0 {
        // growth(x, 0) would be 0 and diff(x, 0) 0 in every cell: each figure against itself.
        return Err(format!("{what} over 0 periods compares each figure with itself; give how many periods back, e.g. {what}(x, 1)").into());
    }
    if k % per_year(s).max(1) != 0 {
        let name = match what {
            "growth" if k == 1 => "pop",
            "growth" => "growth",
            "cagr" => "cagr",
            _ => "diff",
        };
        s.refuse_spread(crate::series::AcrossMonths::Change(name, k))?;
    }
    let (rows, cols) = (s.rows(), s.cols());
    // A series that keeps only some rows (a roll-up: its level's) is changed over those
    // rows alone; every other row is missing in both periods, so missing in the result.
    // Regions entering a roll-up (its basis) are read over the whole matrix, but for the
    // totals of `rollup(x, level, "reported")`, whose change is of the totals as they are
    // (only noted).
    let kept = s.data.kept().filter(|k| s.basis.as_ref().is_none_or(|b| b.as_summed) && k.total_rows == rows && k.cols == cols);
    let width = kept.map_or(rows, |k| k.rows.len());
    let data: &[f64] = match kept {
        Some(k) => &k.values,
        None => &s.data,
    };
    let zeros = std::sync::atomic::AtomicU64::new(0);
    // Bases below zero with a value to compare: growth leaves them missing, with a note.
    let negatives = std::sync::atomic::AtomicU64::new(0);
    // Cells with a value and a base: if there are any, an empty result is the bases'
    // doing (zero, negative), not a lack of earlier periods.
    let paired = std::sync::atomic::AtomicU64::new(0);
    // Cells with a value over a base of zero or below, or below zero over a positive base:
    // only where there are any can a growth be said in words (`over_bases`).
    let low = std::sync::atomic::AtomicU64::new(0);
    // Each period writes all of its cells (missing where it has no base period), with
    // no pass clearing the buffer first, on all cores.
    let mut out = super::par_periods_new(width, cols, |p, dst| {
        let q = p as i64 - k;
        if q < 0 || q >= cols as i64 {
            return;
        }
        let cur = &data[p * width..(p + 1) * width];
        let base = &data[q as usize * width..(q as usize + 1) * width];
        let (mut z, mut neg, mut both, mut lo) = (0u64, 0u64, 0u64, 0u64);
        dst.zip_with(cur, base, |x, b| {
            z += (b == 0.0) as u64;
            neg += (b < 0.0 && !x.is_nan()) as u64;
            lo += ((b <= 0.0 && !x.is_nan()) || (b > 0.0 && x < 0.0)) as u64;
            both += (!b.is_nan() && !x.is_nan()) as u64;
            f(x, b)
        });
        low.fetch_add(lo, std::sync::atomic::Ordering::Relaxed);
        zeros.fetch_add(z, std::sync::atomic::Ordering::Relaxed);
        negatives.fetch_add(neg, std::sync::atomic::Ordering::Relaxed);
        paired.fetch_add(both, std::sync::atomic::Ordering::Relaxed);
    });
    if what != "diff" {
        // Zero bases: the divisions by zero that turned into missing.
        count_div_zero(zeros.into_inner());
    }
    let negative = negatives.into_inner();
    if (what == "growth" || what == "cagr") && negative > 0 {
        super::note(format!(
            "{what}: {negative} cell(s) have a negative base (a loss or a net figure below zero): growth is not a percentage there \
             and is left missing; use diff(s) for the change"
        ));
    }
    let name = if what == "growth" && k == per_year(s) { "yoy" } else { what };
    // Cells of a region made of its children whose roll-up counts different regions in
    // the two periods, left missing here: a report says 统计范围变化 there, not 暂无数据.
    let mut scope = None;
    if kept.is_none() && s.shown.is_some() {
        // Over every cell with a figure and a base, whatever the change gave there (a
        // county over a loss a year after a town joined it has no base of like with like
        // either).
        let base_of = |i: usize| usize::try_from((i / width) as i64 - k).ok().filter(|&q| q < cols).map(|q| q * width + i % width);
        let paired = |i: usize| !data[i].is_nan() && base_of(i).is_some_and(|j| !data[j].is_nan());
        let mut probe: Vec<f64> = (0..out.len()).map(|i| if paired(i) { 0.0 } else { f64::NAN }).collect();
        super::rollup::one_sided_periods(s, k, &mut probe);
        let cells: Vec<(u32, f64, f64)> = (0..out.len())
            .filter(|&i| probe[i].is_nan() && paired(i))
            .filter_map(|i| Some((u32::try_from(i).ok()?, data[i], data[base_of(i)?])))
            .collect();
        for c in &cells {
            out[c.0 as usize] = f64::NAN;
        }
        scope = crate::series::MissingWhy::of(crate::series::WhyMissing::Scope, cells, &s.unit, s.indicator);
    }
    across_entries(s, k, name, &mut out, kept, &f, &|_| true);
    // A year-on-year growth left missing over a base of zero or below, or from a profit to
    // a loss, with the figure and its base: a report says the change in words there
    // (扭亏为盈, 由盈转亏), not 暂无数据 or 同比下降150%.
    // Any growth over periods (环比 `pop`, `growth(x, k)`) alike: `pop` of a profit from
    // -80 to 50 said 暂无数据, and from 30 to -40 同比下降233.33%.
    let why = ((name == "yoy" || what == "growth") && k > 0 && low.into_inner() > 0)
        .then(|| over_bases(s, data, kept.map(|k| &k.rows[..]), k as usize, &out))
        .flatten()
        .map(|w| {
            let mut w = w.as_ref().clone();
            w.periods_back = if name == "yoy" { 0 } else { u32::try_from(k).unwrap_or(0) };
            std::sync::Arc::new(w)
        });
    let agg = Series::no_rollup(format!("a {what} does not roll up: roll up the level first, then take its {what}"));
    let mut out = match kept {
        Some(kp) => s.with_cells(crate::cells::Cells::on_rows(kp.rows.clone(), rows, cols, out), unit, agg),
        None => s.with(out, unit, agg),
    };
    // A region whose roll-up counts different regions in the two years has no base of
    // like with like: that is its reason, before any over a loss.
    out.missing_why = match (scope, why) {
        (Some(sc), Some(w)) => {
            let mut w = w.as_ref().clone();
            w.cells.retain(|c| sc.at(c.0 as usize).is_none());
            let mut sc = sc.as_ref().clone();
            sc.also = (!w.cells.is_empty()).then(|| std::sync::Arc::new(w));
            Some(std::sync::Arc::new(sc))
        }
        (sc, w) => sc.or(w),
    };
    super::rollup::keep_made_of_lagged(s, k, &mut out);
    // A change counts a region from k periods after its source does: missing before
    // (its first year) is no gap, missing after (a return not delivered, this period or
    // the one before) is.
    out.gap_origin = super::gaps::origin_after(s, k, true);
    // A rate's growth is its relative change, its difference its change in points.
    out.rate = match &s.rate {
        Some(r) if r.is_level() && what == "diff" => Some(crate::series::RateOf::Points(r.name().into())),
        Some(r) if r.is_level() => Some(crate::series::RateOf::Relative(r.name().into())),
        Some(_) => None,
        // A growth is itself a growth rate (增速): its own change is in 百分点 (8% to 6%
        // 回落2个百分点), never a growth of it (同比下降25%).
        None if what != "diff" => Some(crate::series::RateOf::Growth(std::sync::Arc::from(crate::series::GROWTH_RATE))),
        None => None,
    };
    // A difference is in the values' terms: the numbers written into them stay
    // (`diff(share * 100, 1)` declared in % is the change in 百分点, 1.21, not 121). A
    // growth rate's cancel.
    if what == "diff" {
        out.scaled_by = s.scaled_by;
        out.scaled_pow = s.scaled_pow;
    }
    if paired.into_inner() == 0 {
        explain_empty(s, &out, k, name);
    } else {
        // Regions named for their step say it; else the periods without a base.
        if !explain_sparse_regions(s, k, name) {
            explain_unmet_periods(s, k, name);
        }
    }
    Ok(out)
}

/// Some periods with data have a change and others none because no period has data k
/// earlier there: a yearbook's series of 1978, 1980, 1985, 1990, then every year, whose
/// `yoy` gave 1991 on and left 1980-1990 out without a word (the five-year-step kind).
/// Says which periods and what to write for them, as [`explain_empty`] does where none
/// has a value. The periods before the data's first plus k are no gap: they have no
/// earlier period in the data at all.
fn explain_unmet_periods(s: &Series, k: i64, what: &str) {
    if k <= 0 || !s.by_period || gap_periods(s) {
        return;
    }
    let with_data = periods_of_data(s);
    let Some(&first) = with_data.first() else { return };
    let k = k as usize;
    let mut has = vec![false; s.cols()];
    for &p in &with_data {
        has[p] = true;
    }
    // (period, how far back the period with data before it is)
    let unmet: Vec<(usize, usize)> =
        with_data.windows(2).filter(|w| w[1] >= first + k && !has[w[1] - k]).map(|w| (w[1], w[1] - w[0])).collect();
    if unmet.is_empty() {
        return;
    }
    let axis = s.axes.periods;
    let per_year = axis.freq.per_year() as usize;
    let shown: Vec<String> = unmet.iter().take(4).map(|&(p, _)| axis.get(p).to_string()).collect();
    let more = if unmet.len() > 4 { format!(", … ({} periods)", unmet.len()) } else { String::new() };
    let step = unmet[0].1;
    let even = unmet.iter().all(|&(_, g)| g == step);
    let with = |g: usize| match what {
        "diff" => format!("diff(s, {g})"),
        "cagr" if g.is_multiple_of(per_year) => format!("cagr(s, {})", g / per_year),
        _ => format!("growth(s, {g})"),
    };
    let fix = if unmet.len() == 1 {
        format!("the data before it is {} earlier: use {} for the change over it", span(step, per_year), with(step))
    } else if even {
        format!("the data comes every {} there: use {} for the change over it", span(step, per_year), with(step))
    } else {
        format!(
            "the data comes at irregular intervals there: compare periods that both have data, e.g. {} for the change over {}",
            with(step),
            span(step, per_year)
        )
    };
    super::note(format!(
        "{what}: no value in {}{more}, because no period has data {} earlier there; {fix}",
        shown.join(", "),
        span(k, per_year)
    ));
}

/// Some regions have a value and others none because their data comes every n periods
/// (甲镇 every 5 years, 乙镇 yearly: `yoy` gives 乙镇's only): says which regions, how
/// often their data comes and what to write, as [`explain_empty`] says it when every
/// region's does. A region with a single period of data, or one with any value, is
/// passed over. Returns whether it said anything.
fn explain_sparse_regions(s: &Series, k: i64, what: &str) -> bool {
    if !s.by_region || !s.by_period || k == 0 {
        return false;
    }
    let cols = s.cols();
    let k_abs = k.unsigned_abs() as usize;
    // Over the rows a roll-up keeps, else every row: `slot` is the place among them.
    let view = s.kept_view();
    let (data, width) = (view.values, view.width);
    let row_of = |slot: usize| view.row(slot);
    let at = |p: usize, slot: usize| !data[p * width + slot].is_nan();
    // (step, irregular) -> the regions' rows and the first region's periods with data.
    let mut groups: std::collections::BTreeMap<(usize, bool), (Vec<usize>, Vec<usize>)> = std::collections::BTreeMap::new();
    for r in 0..width {
        // One pass without allocating: most regions have a value of the change.
        let (mut n, mut paired) = (0usize, false);
        for p in (0..cols).filter(|&p| at(p, r)) {
            n += 1;
            let q = p as i64 - k;
            if q >= 0 && (q as usize) < cols && at(q as usize, r) {
                paired = true;
                break;
            }
        }
        if paired || n < 2 {
            continue;
        }
        let with_data: Vec<usize> = (0..cols).filter(|&p| at(p, r)).collect();
        let step = regular_step(&with_data);
        let key = if step > 1 && step != k_abs {
            (step, false)
        } else {
            match common_gap(&with_data) {
                Some(gap) if gap != k_abs && k > 0 => (gap, true),
                _ => continue,
            }
        };
        let g = groups.entry(key).or_insert_with(|| (Vec::new(), with_data.clone()));
        g.0.push(row_of(r));
    }
    let axis = s.axes.periods;
    let per_year = axis.freq.per_year() as usize;
    let earlier = format!("{} {}", span(k_abs, per_year), if k < 0 { "later" } else { "earlier" });
    let noted = !groups.is_empty();
    for ((step, irregular), (regions, periods)) in groups {
        let names: Vec<&str> = regions.iter().take(3).map(|&r| s.axes.regions.label(r as u32)).collect();
        let more = if regions.len() > 3 { format!(" and {} more", regions.len() - 3) } else { String::new() };
        let shown: Vec<String> = periods.iter().take(4).map(|&p| axis.get(p).to_string()).collect();
        let dots = if periods.len() > 4 { ", …" } else { "" };
        let its = if regions.len() == 1 { "its" } else { "their" };
        let how = if irregular {
            format!("comes at irregular intervals ({}: {}{dots})", names[0], shown.join(", "))
        } else {
            format!("comes every {} ({}: {}{dots})", span(step, per_year), names[0], shown.join(", "))
        };
        let fix = match what {
            "diff" => format!("diff(s, {step})"),
            "cagr" if step.is_multiple_of(per_year) => format!("cagr(s, {})", step / per_year),
            "cagr" => format!("growth(s, {step})"),
            _ => format!("growth(s, {step})"),
        };
        super::note(format!(
            "{what}: no value for {}{more}: {its} data {how} and no period has data {earlier}; use {fix} for the change \
             over {} (the other regions' values are given)",
            names.join(", "),
            span(step, per_year)
        ));
    }
    noted
}

/// The first three cells `hit` (period, target, region, period it entered) in words:
/// `某县 2021 (丙镇 is counted from 2021)`, or, for a town with no value in that period
/// (a gap under rollup(x, level, "reported")), `(丙镇 has no value in 2021)`.
fn entries_said(s: &Series, basis: &crate::series::Basis, hit: &[(usize, u32, u32, u32)]) -> Vec<String> {
    let (regions, axis, src) = (&s.axes.regions, s.axes.periods, &basis.source);
    hit.iter()
        .take(3)
        .map(|&(p, t, c, first)| {
            let gap = src.by_region && src.by_period && src.data.cell(first as usize * src.rows() + c as usize).is_nan();
            let what = if gap { "has no value in" } else { "is counted from" };
            format!("{} {} ({} {what} {})", regions.label(t), axis.get(p), regions.label(c), axis.get(first as usize))
        })
        .collect()
}

/// A roll-up's total that first counts a region which had not reported before is over
/// another set of regions than the totals before it (丙镇 first reports in 2021: the
/// county's 2020 total is without it, and 520 / 200 gives a yoy of 160% where every town
/// grew 10%). A change from an earlier total to such a one is taken on a comparable
/// basis (同口径, as statistical bulletins do): over the regions with a value in both
/// periods (a sum's roll-up), else left missing; with a note either way.
/// `changes(p)` says whether period p is a change from p - k at all (`month_of`: not a
/// year's first month, which is its own 累计). `kept`: `out` holds only these rows
/// (period-major over them), which only the totals as summed of a "reported" roll-up
/// may (their change is only noted, never taken again over the whole matrix).
pub(super) fn across_entries(
    s: &Series,
    k: i64,
    name: &str,
    out: &mut [f64],
    kept: Option<&crate::cells::Kept>,
    f: &(impl Fn(f64, f64) -> f64 + Sync),
    changes: &dyn Fn(usize) -> bool,
) {
    let Some(basis) = &s.basis else { return };
    if k <= 0 {
        return;
    }
    let (rows, cols) = (s.rows(), s.cols());
    debug_assert!(kept.is_none() || basis.as_summed, "kept rows of a roll-up taken on a comparable basis");
    let at = |p: usize, t: u32| match kept {
        Some(kp) => kp.slot(t as usize).map(|j| p * kp.rows.len() + j),
        None => Some(p * rows + t as usize),
    };
    let across = basis.level == crate::series::Basis::ACROSS;
    if across && s.by_region {
        // A total's entries are of no region's row.
        return;
    }
    if across && basis.lost.is_none() {
        // A sum across regions: the periods whose regions with a value differ from those k
        // periods before, read off the regions summed (the entries mark where the set
        // changes from one period to the next, which says nothing of 2015 against 2010
        // in census years, and marks a whole year of months after one month's change).
        let (mut hit, recounted) = across_hits(basis, k as usize, out, changes);
        // A region made of its children that counts different ones in the two periods (a
        // village joining a town between census years): the regions beneath are gone, so
        // no comparable basis; left missing, as between adjacent years.
        if let Some(&(_, _, r, _)) = hit.iter().find(|h| recounted.contains(&h.0)) {
            for &p in &recounted {
                out[p] = f64::NAN;
            }
            super::note(format!(
                "{name}: {} cell(s) left missing, because {} is made of its children and counts different ones in the two periods: \
                 the regions beneath are not here to take it on a comparable basis; yoy(rollup(x, level)) does (同口径)",
                recounted.len(),
                s.axes.regions.label(r)
            ));
            hit.retain(|h| !recounted.contains(&h.0));
        }
        if !hit.is_empty() {
            let values = if basis.steps.is_empty() { Ok(basis.source.clone()) } else { basis.values() };
            let values = values.ok().filter(|v| v.by_region && v.by_period && v.data.len() == basis.source.data.len());
            across_regions_entries(s, basis, k, name, &hit, values.as_ref(), out, f);
        }
        return;
    }
    let mut hit: Vec<(usize, u32, u32, u32)> = Vec::new();
    for &(t, first, child) in basis.entries.iter().filter(|e| (e.0 as usize) < rows) {
        for p in first as usize..(first as usize + k as usize).min(cols) {
            if changes(p) && at(p, t).and_then(|i| out.get(i)).is_some_and(|v| !v.is_nan()) {
                hit.push((p, t, child, first));
            }
        }
    }
    if hit.is_empty() {
        return;
    }
    hit.sort_unstable();
    // Two entries within k periods (a town entering and another leaving) hit one cell once.
    hit.dedup_by_key(|h| (h.0, h.1));
    // Totals as SQL sums them: the change is of the totals as they are, said.
    if basis.as_summed {
        let shown = entries_said(s, basis, &hit);
        let more = if hit.len() > 3 { format!(" (and {} more)", hit.len() - 3) } else { String::new() };
        super::note(format!(
            "{name}: {} cell(s) compare totals of rollup(x, level, \"reported\") that count different regions ({}{more}): the \
             change is of the totals as summed; rollup(x, level) takes it on a comparable basis (同口径)",
            hit.len(),
            shown.join("; ")
        ));
        return;
    }
    let src = &basis.source;
    // Who counts is the roll-up's; the values summed are its source's with what was done
    // to the roll-up since (to(x, "亿元"), x * 2, month_of(x)) done to them too.
    let values = if basis.steps.is_empty() { Ok(src.clone()) } else { basis.values() };
    let values = values.ok().filter(|v| v.by_region && v.by_period && v.data.len() == src.data.len());
    if across {
        across_regions_entries(s, basis, k, name, &hit, values.as_ref(), out, f);
        return;
    }
    let summable = basis.lost.is_none()
        && values.is_some()
        && matches!(src.agg, crate::series::Agg::Sum)
        && src.by_region
        && src.by_period
        && src.rows() == rows;
    let mut none_common = 0;
    if let (true, Some(vals)) = (summable, &values) {
        // Per period hit, one pass over the regions the roll-up counts: the sums over
        // those with a value in both periods.
        let rep = super::rollup::reporters(src, basis.level);
        let anc = src.axes.ancestors(basis.level);
        let mut k0 = 0;
        while k0 < hit.len() {
            let p = hit[k0].0;
            let k1 = k0 + hit[k0..].iter().take_while(|h| h.0 == p).count();
            let q = p - k as usize;
            let mut sums: rustc_hash::FxHashMap<u32, (f64, f64, bool)> = hit[k0..k1].iter().map(|h| (h.1, (0.0, 0.0, false))).collect();
            for r in (0..rows).filter(|&r| rep.counts(r, p) && rep.counts(r, q) && anc[r] != NONE) {
                if let Some(acc) = sums.get_mut(&anc[r]) {
                    let (x, b) = (vals.data[p * rows + r], vals.data[q * rows + r]);
                    if !x.is_nan() && !b.is_nan() {
                        acc.0 += x;
                        acc.1 += b;
                        acc.2 = true;
                    }
                }
            }
            // A region that gives its own figure where its children's stood for it the
            // period before (a town that took over from its villages) covers the same
            // area in both: its own figure against its children's sum, never left out.
            let (parent, level) = (&src.axes.regions.parent, &src.axes.regions.level);
            let mut took_over: rustc_hash::FxHashMap<u32, f64> = rustc_hash::FxHashMap::default();
            for d in (0..rows).filter(|&d| rep.counts(d, q) && !rep.counts(d, p) && anc[d] != NONE) {
                let b = vals.data[q * rows + d];
                if b.is_nan() {
                    continue;
                }
                let mut a = parent[d];
                while a != NONE && level[a as usize] > basis.level {
                    let au = a as usize;
                    if rep.counts(au, p) && !vals.data[p * rows + au].is_nan() && vals.data[q * rows + au].is_nan() {
                        *took_over.entry(a).or_insert(0.0) += b;
                        break;
                    }
                    a = parent[au];
                }
            }
            for (a, b) in took_over {
                if let Some(acc) = sums.get_mut(&anc[a as usize]) {
                    acc.0 += vals.data[p * rows + a as usize];
                    acc.1 += b;
                    acc.2 = true;
                }
            }
            for h in &hit[k0..k1] {
                let (x, b, any) = sums[&h.1];
                out[p * rows + h.1 as usize] = if any { f(x, b) } else { f64::NAN };
                none_common += usize::from(!any);
            }
            k0 = k1;
        }
    } else {
        for h in &hit {
            out[h.0 * rows + h.1 as usize] = f64::NAN;
        }
    }
    let shown = entries_said(s, basis, &hit);
    let because = "the rolled-up total counts a region that had no value in the earlier period and the two totals cover \
                   different regions";
    note_entries(name, hit.len(), none_common, &shown, summable, basis, because);
}

/// [`across_entries`] of a total across regions (`yoy(sum(gdp))` over towns): where the
/// regions with a value differ between the two periods (a town entering, one that has
/// not delivered), a sum's change is taken over the regions with a value in both; any
/// other statistic's (a mean, a median) is left missing. With a note either way.
#[allow(clippy::too_many_arguments)]
fn across_regions_entries(
    s: &Series,
    basis: &crate::series::Basis,
    k: i64,
    name: &str,
    hit: &[(usize, u32, u32, u32)],
    values: Option<&Series>,
    out: &mut [f64],
    f: &(impl Fn(f64, f64) -> f64 + Sync),
) {
    let summable = basis.lost.is_none() && values.is_some();
    let mut none_common = 0;
    for &(p, _, _, _) in hit {
        out[p] = match values.filter(|_| summable) {
            Some(vals) => {
                let rows = vals.rows();
                let q = p - k as usize;
                let (now, then) = (&vals.data[p * rows..(p + 1) * rows], &vals.data[q * rows..(q + 1) * rows]);
                let (mut x, mut b, mut any) = (0.0, 0.0, false);
                for (a, c) in now.iter().zip(then) {
                    if !a.is_nan() && !c.is_nan() {
                        x += a;
                        b += c;
                        any = true;
                    }
                }
                none_common += usize::from(!any);
                if any { f(x, b) } else { f64::NAN }
            }
            None => f64::NAN,
        };
    }
    let regions = &s.axes.regions;
    let axis = s.axes.periods;
    let src = &basis.source;
    let shown: Vec<String> = hit
        .iter()
        .take(3)
        .map(|&(p, _, c, _)| {
            let q = p - k as usize;
            let rows = src.rows();
            let at = |p: usize, r: usize| src.data.get(p * rows + r).is_some_and(|v| !v.is_nan());
            // Every region on one side only, by side (乙镇 in 2010 only, 丙镇 in 2015 only).
            let only = |x: usize, y: usize| if src.by_region { (0..rows).filter(|&r| at(x, r) && !at(y, r)).collect() } else { Vec::new() };
            let sides: Vec<String> = [(only(q, p), q), (only(p, q), p)]
                .into_iter()
                .filter(|(v, _)| !v.is_empty())
                .enumerate()
                .map(|(i, (v, per)): (usize, (Vec<usize>, usize))| {
                    let names: Vec<&str> = v.iter().take(3).map(|&r| regions.label(r as u32)).collect();
                    let more = if v.len() > 3 { format!(" and {} more", v.len() - 3) } else { String::new() };
                    let has = match (i, v.len()) {
                        (0, 1) => " has a value",
                        (0, _) => " have a value",
                        _ => "",
                    };
                    format!("{}{more}{has} in {} only", names.join(", "), axis.get(per))
                })
                .collect();
            let why = if !sides.is_empty() {
                sides.join(", ")
            } else if src.by_region && at(p, c as usize) && at(q, c as usize) {
                format!("{} is made of its children and counts different ones in the two", regions.label(c))
            } else {
                format!("{} has a value in one of them only", regions.label(c))
            };
            format!("{} against {} ({why})", axis.get(p), axis.get(q))
        })
        .collect();
    note_entries(
        name,
        hit.len(),
        none_common,
        &shown,
        summable,
        basis,
        "the total across regions covers different regions in the two periods",
    );
}

/// A cell of a change across entries: (period, target row, region named, first period
/// counted or, across regions, the period compared with).
type Hit = (usize, u32, u32, u32);

/// The periods p (k after q) of a sum across regions whose change compares totals over
/// different regions: a region has a value in one of p and q only, or is made of its
/// children and counts different ones in the two. As `(p, 0, region, q)`, the first
/// such region named; `changes(p)` and a value in `out` as [`across_entries`] asks. With
/// the periods p whose region is made of its children and recounted.
fn across_hits(basis: &crate::series::Basis, k: usize, out: &[f64], changes: &dyn Fn(usize) -> bool) -> (Vec<Hit>, Vec<usize>) {
    let src = &basis.source;
    let (rows, view) = (src.rows(), src.kept_view());
    let columns: Vec<&[f64]> = view.periods().collect();
    let covered = match (src.shown.as_deref(), src.covered.as_deref()) {
        (Some(sh), Some(cv)) if sh.len() == src.data.len() && cv.len() == sh.len() => Some((sh, cv)),
        _ => None,
    };
    let (mut hit, mut moved) = (Vec::new(), Vec::new());
    for p in k..columns.len().min(out.len()) {
        if !changes(p) || out[p].is_nan() {
            continue;
        }
        let q = p - k;
        let (now, then) = (columns[p], columns[q]);
        let one_sided = now.iter().zip(then).position(|(a, b)| a.is_nan() != b.is_nan());
        let recounted = || {
            let (sh, cv) = covered?;
            (0..now.len()).find(|&slot| {
                let (i, j) = (p * rows + view.row(slot), q * rows + view.row(slot));
                sh[i] && sh[j] && cv[i] != cv[j] && !now[slot].is_nan() && !then[slot].is_nan()
            })
        };
        if let Some(slot) = recounted() {
            hit.push((p, 0, view.row(slot) as u32, q as u32));
            moved.push(p);
        } else if let Some(slot) = one_sided {
            hit.push((p, 0, view.row(slot) as u32, q as u32));
        }
    }
    (hit, moved)
}

/// The note of a change across entries: how many cells, taken on a comparable basis or
/// left missing (and why), `because` of what, the first few `shown`.
/// `none_common` of the hits had no region with a value in both periods: missing.
fn note_entries(
    name: &str,
    hits: usize,
    none_common: usize,
    shown: &[String],
    summable: bool,
    basis: &crate::series::Basis,
    because: &str,
) {
    let more = if hits > 3 { format!(" (and {} more)", hits - 3) } else { String::new() };
    let what = match &basis.lost {
        _ if summable && none_common == hits => "left missing: no region has a value in both periods".to_string(),
        _ if summable && none_common > 0 => format!(
            "taken on a comparable basis (同口径): over the regions with a value in both periods ({none_common} of them left \
             missing: no region has a value in both)"
        ),
        _ if summable => "taken on a comparable basis (同口径): over the regions with a value in both periods".to_string(),
        Some(why) => format!("left missing ({why})"),
        None => "left missing".to_string(),
    };
    super::note(format!("{name}: {hits} cell(s) {what}, because {because}: {}{more}", shown.join("; ")));
}

/// Periods in one year of this series' frequency.
pub fn per_year(s: &Series) -> i64 {
    s.axes.periods.freq.per_year() as i64
}

/// Whether `s` says a period is of the data where it has no value (a total across regions
/// left missing for a gap, which its own note explains): no word of the data's step then.
fn gap_periods(s: &Series) -> bool {
    let Some(marked) = s.data_periods.as_deref().filter(|d| d.len() == s.cols()) else { return false };
    s.kept_view().periods().zip(marked).any(|(col, &m)| m && col.iter().all(|v| v.is_nan()))
}

/// The periods of `s` with a value in a kept row, or that `s` says are of the data
/// ([`Series::data_periods`]: a total across regions left missing there for a gap).
fn periods_of_data(s: &Series) -> Vec<usize> {
    let marked = s.data_periods.as_deref().filter(|d| d.len() == s.cols());
    s.kept_view()
        .periods()
        .enumerate()
        .filter(|(p, col)| marked.is_some_and(|d| d[*p]) || col.iter().any(|v| !v.is_nan()))
        .map(|(p, _)| p)
        .collect()
}
