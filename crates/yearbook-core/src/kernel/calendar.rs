//! Figures within the year, as monthly statistics are reported: 1-N月累计 from 当月 and
//! back, quarter totals from months, the expected share of the year's task by now
//! (时间进度) and how far ahead or behind it a target's completion is (时间过半任务过半),
//! and the two-year average growth offices report over a shocked base year (两年平均增速).
//!
//! A year's first period on the data's axis that is not its January (or Q1) has no
//! cumulative figure: the months before it are unknown, so it is missing, with a note.

use super::KResult;
use crate::error::Fault;
use crate::kernel::arith::{Op, binary, convert};
use crate::period::Frequency;
use crate::schedule::Schedule;
use crate::series::Series;
use crate::unit::Unit;
use std::sync::Arc;

fn within_year(s: &Series, what: &str) -> KResult<()> {
    if !s.by_period {
        return Err(Fault::type_(format!("{what} needs a series over periods; this one was aggregated across periods")));
    }
    if s.axes.periods.freq == Frequency::Year {
        return Err(Fault::type_(format!("{what} needs monthly or quarterly figures; these are by year (a year is its own total)")));
    }
    Ok(())
}

/// Notes that the data starts inside a year, so that year's cumulative figures before
/// the start are unknown.
fn note_partial_first_year(s: &Series, what: &str) {
    let first = s.axes.periods.get(0);
    if first.sub() != 1 && s.data.iter().take(s.rows()).any(|v| !v.is_nan()) {
        let unit = if first.freq == Frequency::Month { "月" } else { "季度" };
        super::note(format!(
            "{what}: the data starts at {first}, inside {year}: the figures of {year} before it are unknown, so its 1-{n}{unit}累计 \
             is left missing; load the earlier periods (or the cumulative figures as reported) to fill it",
            year = first.calendar_year(),
            n = first.sub()
        ));
    }
}

/// Notes that the data comes every k periods (a 1-N月累计 of quarters' ends, 3/6/9/12月,
/// on a monthly axis): no period has the one before it, so `what` has no value where it
/// needs a month's own figure; says how to load such data. Whether it noted.
fn note_every_k(s: &Series, what: &str) -> bool {
    let rows = s.rows().max(1);
    let with_data: Vec<usize> = (0..s.cols()).filter(|&p| s.data.iter().skip(p * rows).take(rows).any(|v| !v.is_nan())).collect();
    if with_data.len() < 2 || s.axes.periods.freq != Frequency::Month {
        return false;
    }
    let k = super::time::regular_step(&with_data);
    if k < 2 {
        return false;
    }
    let axis = s.axes.periods;
    let shown: Vec<String> = with_data.iter().take(3).map(|&p| axis.get(p).to_string()).collect();
    let instead = if what == "month_of" {
        "if these are quarters' 1-N月累计 (1-3月, 1-6月, ...), write their periods as quarters (2024年1-2季度 for 1-6月) and \
         load them with frequency = \"quarter\": month_of then gives each quarter's own figure (当季)"
    } else {
        "if each figure is its quarter's own (当季), write their periods as quarters (2024Q2) and load them with frequency = \
         \"quarter\" to cumulate them"
    };
    super::note(format!(
        "{what}: the data comes only every {k} months ({}, ...), so the months between are unknown and {what} is missing \
         there and after; {instead}",
        shown.join(", ")
    ));
    true
}

/// 1-N月累计 from figures for each month (or quarter) alone: the running sum within each
/// calendar year. A missing period leaves the rest of its year missing; the first year is
/// missing where it starts after January. Rolls up as the input does (sums of sums).
pub fn cumulate(s: &Series) -> KResult<Series> {
    if s.by_period && s.axes.periods.freq == Frequency::Year {
        return Ok(s.clone());
    }
    within_year(s, "cumulate")?;
    s.refuse_spread(crate::series::AcrossMonths::Cumulate)?;
    if !note_every_k(s, "cumulate") {
        note_partial_first_year(s, "cumulate");
    }
    let mut out = cumulated(s);
    out.spread = Some(crate::series::Spread::Cumulative);
    out.lagged = s.lagged;
    // A roll-up's comparable basis is over the same 累计 figures of its regions.
    s.basis_through(&mut out, |src| Ok(cumulated(src)));
    Ok(out)
}

/// `out` (made from `s` within the year) with its cells that are missing though `s` has
/// a figure, or lists a cell without one, in what they are made of (`window` of each
/// period: the first period it reads, None where the period has no figure to make) kept
/// as gaps ([`Series::listed`]): a county's 1-12月累计 of towns where one lacks January
/// is missing there with a note, never the others' total as the county's.
fn with_gaps(s: &Series, mut out: Series, window: impl Fn(usize) -> Option<usize>) -> Series {
    let (rows, cols) = (s.rows(), s.cols());
    if !s.by_region || !s.by_period || rows == 0 || out.data.len() != rows * cols || s.data.len() != rows * cols {
        return out;
    }
    let mut listed = vec![false; rows * cols];
    for &c in s.listed.iter().flat_map(|l| l.iter()) {
        if let Some(x) = listed.get_mut(c as usize) {
            *x = true;
        }
    }
    let there = |c: usize| !s.data[c].is_nan() || listed[c];
    let mut gaps = Vec::new();
    for p in 0..cols {
        let Some(from) = window(p) else { continue };
        for r in 0..rows {
            let c = p * rows + r;
            if out.data[c].is_nan() && (from..=p).any(|q| there(q * rows + r)) {
                gaps.push(c as u32);
            }
        }
    }
    if !gaps.is_empty() {
        out.listed = super::arith::merge_listed(out.listed.take(), Some(gaps));
    }
    out
}

/// The first period of the year of period `p` on `s`'s axis (its data's first period
/// where the year starts before it).
fn year_start(s: &Series, p: usize) -> usize {
    p.saturating_sub(s.axes.periods.get(p).sub().saturating_sub(1) as usize)
}

fn cumulated(s: &Series) -> Series {
    let out = cumulated_values(s);
    with_gaps(s, out, |p| Some(year_start(s, p)))
}

fn cumulated_values(s: &Series) -> Series {
    let (rows, cols) = (s.rows(), s.cols());
    let mut out = s.data.to_full();
    let axis = s.axes.periods;
    for p in 0..cols {
        if axis.get(p).sub() == 1 {
            continue;
        }
        let (prev, cur) = out.split_at_mut(p * rows);
        let cur = &mut cur[..rows];
        if p == 0 {
            cur.fill(f64::NAN);
            continue;
        }
        for (c, b) in cur.iter_mut().zip(&prev[(p - 1) * rows..]) {
            *c += *b;
        }
    }
    s.with(out, s.unit.clone(), s.agg.clone())
}

/// 当月 (or 当季) from 1-N月累计: this period's cumulative figure minus the previous
/// period's within the same year; January's (Q1's) is its own. Missing where either
/// cumulative figure is missing (a month not reported leaves it and the next month
/// missing) and for the data's first period when that is not January.
pub fn month_of(cum: &Series) -> KResult<Series> {
    within_year(cum, "month_of")?;
    cum.refuse_spread(crate::series::AcrossMonths::MonthOf)?;
    if !note_every_k(cum, "month_of") {
        note_partial_first_year(cum, "month_of");
    }
    let mut out = months(cum);
    // A 当月 of a total whose regions differ from the month before (a town entering, one
    // that has not delivered its 累计) is a change across them: 363 - 682 would be a
    // negative quarter. It is taken over the regions with a 累计 in both months (their
    // 当月 summed), as yoy and diff are, or left missing; with a note.
    let axis = cum.axes.periods;
    let mut data = out.take_data();
    super::time::across_entries(cum, 1, "month_of", &mut data, None, &|x, b| x - b, &|p| axis.get(p).sub() != 1);
    let gaps = out.listed.take();
    out = cum.with(data, cum.unit.clone(), cum.agg.clone());
    out.listed = gaps;
    carry_shown(cum, &mut out, |p| Some(if axis.get(p).sub() == 1 { p } else { p.saturating_sub(1) }), true);
    // The 当月 of earlier figures (上年同期's 累计) is a difference of them: a base, over
    // which a negative figure gives no growth (words16 01: a monthly loss that doubled
    // was said 同比增长100%).
    out.lagged = cum.lagged;
    // A roll-up's comparable basis is over its regions' 当月 figures: 17 / 15 over the
    // towns in both years, not the county's 117 / 15 with a town that entered.
    cum.basis_through(&mut out, |src| Ok(months(src)));
    note_negative_months(cum, &out);
    Ok(out)
}

/// 当月 or 当季 (`out`, each cell made of `s`'s cells from `window(p)` through `p` of its
/// row) of a series shown as its children's roll-up ([`Series::shown`]: a county of its
/// towns read by a report rule) is shown too, with which regions it counts where that is
/// known ([`Series::covered`]), so that its change across years (`yoy(month_of(cum.x))`)
/// is taken only where both count the same regions: a county's 当月 with a town that
/// joined this year set against last year's without it said 同比增长12.48% for a
/// comparable 2.91%. `apart`: a cell whose periods count different regions is itself a
/// change across them (当月 = 累计 less the month before's, a town entering in between):
/// left missing, with a note.
fn carry_shown(s: &Series, out: &mut Series, window: impl Fn(usize) -> Option<usize>, apart: bool) {
    let Some(sh) = s.shown.as_deref() else { return };
    let (rows, cols) = (s.rows(), s.cols());
    let n = rows * cols;
    if !s.by_region || !s.by_period || sh.len() != n || out.data.len() != n || s.data.len() != n {
        return;
    }
    let cv = s.covered.as_deref().filter(|c| c.len() == n);
    let mut shown = vec![false; n];
    let mut covered = vec![0u64; n];
    let mut data = out.data.to_vec();
    for p in 0..cols {
        let Some(from) = window(p) else { continue };
        for r in 0..rows {
            let c = p * rows + r;
            if !(from..=p).any(|q| sh[q * rows + r]) {
                continue;
            }
            shown[c] = true;
            let mut h = 0u64;
            for (k, q) in (from..=p).enumerate() {
                let i = q * rows + r;
                // A cell of its own figure beside one of its children's roll-up counts
                // other regions than the roll-up does.
                let counts = if sh[i] { cv.map_or(0, |cv| cv[i]) } else { u64::MAX };
                h ^= counts.rotate_left((k as u32 * 7) % 64);
                if apart && sh[i] != sh[c] {
                    data[c] = f64::NAN;
                }
            }
            covered[c] = h;
        }
    }
    if apart {
        // The regions beneath counted in one of the two periods only: over `window(p)`
        // and `p` (a month and the month before, never January, its own 累计).
        let mut probe = data.clone();
        let own: Vec<(usize, f64)> =
            (0..cols).filter(|&p| window(p) == Some(p)).flat_map(|p| (0..rows).map(move |r| p * rows + r)).map(|c| (c, probe[c])).collect();
        let s1 = Series { covered: cv.map(|c| Arc::new(c.to_vec())), ..s.clone() };
        super::rollup::one_sided_periods(&s1, 1, &mut probe);
        for (c, v) in own {
            probe[c] = v;
        }
        data = probe;
    }
    out.data = Arc::new(crate::cells::Cells::from(data));
    if shown.iter().any(|&b| b) {
        out.shown = Some(Arc::new(shown));
        out.covered = cv.map(|_| Arc::new(covered));
    }
}

/// A 累计 that fell from one month to the next gives a negative 当月: a correction, or a
/// series that was never 1-N月累计 (当月 figures given to month_of, which takes 累计).
/// Said with how many cells, and for a series not known to be 累计, what it may be.
fn note_negative_months(cum: &Series, out: &Series) {
    let negative = out.data.iter().filter(|v| **v < 0.0).count();
    if negative == 0 {
        return;
    }
    let hint = if cum.spread == Some(crate::series::Spread::Cumulative) {
        "a 累计 smaller than the month before's: a correction, or a figure keyed in wrong"
    } else {
        "month_of takes 1-N月累计, and this series is not known to be one (not from a `cumulative = true` file, nor \
         cumulate's result): if its figures are each month's own (当月), use them as they are"
    };
    super::note(format!("month_of: {negative} cell(s) are negative ({hint})"));
}

fn months(cum: &Series) -> Series {
    let out = months_values(cum);
    let axis = cum.axes.periods;
    with_gaps(cum, out, |p| Some(if axis.get(p).sub() == 1 { p } else { p.saturating_sub(1) }))
}

fn months_values(cum: &Series) -> Series {
    let (rows, cols) = (cum.rows(), cum.cols());
    let axis = cum.axes.periods;
    let mut out = vec![f64::NAN; rows * cols];
    for p in 0..cols {
        let cur = &cum.data[p * rows..(p + 1) * rows];
        let dst = &mut out[p * rows..(p + 1) * rows];
        if axis.get(p).sub() == 1 {
            dst.copy_from_slice(cur);
        } else if p > 0 {
            let prev = &cum.data[(p - 1) * rows..p * rows];
            for ((o, c), b) in dst.iter_mut().zip(cur).zip(prev) {
                *o = c - b;
            }
        }
    }
    cum.with(out, cum.unit.clone(), cum.agg.clone())
}

/// Quarter totals (当季) of monthly figures for each month alone, placed at the
/// quarter's last month (3, 6, 9, 12月); other months are missing, and so is a quarter
/// with a month missing or before the data starts. For 1-N月累计 at quarter ends
/// (一季度, 上半年, 前三季度) use `cumulate` and read months 3, 6, 9, 12.
pub fn quarters(s: &Series) -> KResult<Series> {
    within_year(s, "quarters")?;
    s.refuse_spread(crate::series::AcrossMonths::Quarters)?;
    if s.axes.periods.freq != Frequency::Month {
        return Err(Fault::type_("quarters needs monthly figures; these are already by quarter"));
    }
    let mut out = quarter_totals(s);
    let axis = s.axes.periods;
    carry_shown(s, &mut out, |p| (axis.get(p).sub() % 3 == 0).then(|| p.saturating_sub(2)), false);
    // A sum of earlier figures is a base as they are.
    out.lagged = s.lagged;
    s.basis_through(&mut out, |src| Ok(quarter_totals(src)));
    Ok(out)
}

fn quarter_totals(s: &Series) -> Series {
    let out = quarter_values(s);
    let axis = s.axes.periods;
    with_gaps(s, out, |p| (axis.get(p).sub() % 3 == 0).then(|| p.saturating_sub(2)))
}

fn quarter_values(s: &Series) -> Series {
    let (rows, cols) = (s.rows(), s.cols());
    let axis = s.axes.periods;
    let mut out = vec![f64::NAN; rows * cols];
    for p in 2..cols {
        if axis.get(p).sub() % 3 != 0 {
            continue;
        }
        for r in 0..rows {
            out[p * rows + r] = s.data[(p - 2) * rows + r] + s.data[(p - 1) * rows + r] + s.data[p * rows + r];
        }
    }
    s.with(out, s.unit.clone(), s.agg.clone())
}

/// The expected share (a fraction) of the year's task by the end of each period, per
/// `schedule`, in every cell where `like` has a value (missing where it has none: no
/// schedule is reported for figures that do not exist).
pub fn expected_share(like: &Series, schedule: &Schedule) -> KResult<Series> {
    if !like.by_period {
        return Err(Fault::type_("the expected share needs a series over periods; this one was aggregated across periods"));
    }
    let (rows, axis) = (like.rows(), like.axes.periods);
    let mut data = like.data.to_full();
    for (p, period) in axis.iter().enumerate() {
        let share = schedule.share(period);
        for v in &mut data[p * rows..(p + 1) * rows] {
            *v = if v.is_nan() { f64::NAN } else { share };
        }
    }
    Ok(like.with(data, Unit::one(), Series::no_rollup("the expected share does not roll up: take it of the rolled-up figure")))
}

/// Refuses pacing (`what`: pacing, on_pace) of single periods' figures against a year's
/// target: completion by month N is of 1-N月累计, so a town on pace with 100 a month
/// against 1200 was said 落后时间进度41.67个百分点 (100 / 1200 against 50%). `actual`
/// stands for its period alone where it is a flow (not a stock, `kind`) on a monthly or
/// quarterly panel without the 累计 kind (a `cumulative = true` file, `cumulate`); the
/// target is a year's figure in every period (`annual = true`).
///
/// The other way round, `actual` 1-N月累计 (a `cumulative = true` file's) against one
/// month's figure of a flow (当月; `target.x / 12`, a month's share of a year's target;
/// `kinds` are the two sides' loaded kinds, where known) is refused too: 900 of 1-6月 over 2000 / 12 printed 540%, a half year set against one month.
pub fn refuse_single_periods(actual: &Series, target: &Series, kinds: [Option<crate::indicator::Kind>; 2], what: &str) -> KResult<()> {
    let [kind, target_kind] = kinds;
    let flow = |k: Option<crate::indicator::Kind>| k.is_none_or(|k| k == crate::indicator::Kind::Flow);
    // A figure that adds (a flow, its sum across regions, `where` choosing it), not a
    // mean or a ratio, nor a unit that does not add (%, 元/人).
    let adds = |s: &Series| {
        matches!(s.agg, crate::series::Agg::Sum | crate::series::Agg::None(_)) && s.rate.is_none() && s.unit.not_additive().is_none()
    };
    let single = |s: &Series| s.by_period && !s.mask && s.spread.is_none() && super::time::per_year(s) > 1 && adds(s);
    let words = |s: &Series| {
        if super::time::per_year(s) == 4 { ("quarter", "当季", "1-N季度累计") } else { ("month", "当月", "1-N月累计") }
    };
    if single(actual) && flow(kind) && target.spread == Some(crate::series::Spread::Annual) {
        let (per, own, cum) = words(actual);
        return Err(Fault::type_(format!(
            "{what} of single {per}s' figures ({own}) against a year's target: completion by now is of the year so far \
             ({cum}), not of one {per}; write {what}(cumulate(x), …) over {own} figures, or give {cum} with \
             `cumulative = true` (cum.x)"
        )));
    }
    // A month-end balance (a stock: 贷款余额) is no month's part of a flow: 1-6月新增贷款 over
    // it is a share of its own.
    if actual.spread == Some(crate::series::Spread::Cumulative) && adds(actual) && single(target) && flow(target_kind) {
        let (per, own, cum) = words(target);
        return Err(Fault::type_(format!(
            "{what} of {cum} (the year so far) against one {per}'s figure ({own}; a year's target over {n}, `target.x / {n}`, \
             is one {per}'s share of it): the year so far is set against the target by now; write {what}(x, target.x) for \
             the year's target, {what}(x, cumulate(target.x / {n})) for its share by now, or {what}(month_of(x), …) for \
             the {per} alone",
            n = super::time::per_year(target)
        )));
    }
    Ok(())
}

/// 进度差: completion (actual / target) minus the expected share by now, in 百分点.
/// `actual` is the 1-N月累计 figure and `target` the year's target in each period
/// (`annual = true` facts). Positive: ahead of schedule (超前); negative: behind (落后).
/// Rolls up as completion does (both sides rolled up), less the schedule.
/// Over a target below zero (a loss limit) there is no completion, hence no pacing:
/// missing, with a note ([`completion`](super::arith::completion)).
pub fn pacing(actual: &Series, target: &Series, schedule: &Schedule) -> KResult<Series> {
    let completion = super::arith::completion(actual.clone(), target.clone(), "pacing")?;
    if !completion.unit.is_dimensionless() {
        return Err(Fault::unit(format!(
            "pacing needs an actual and a target in the same dimension, not {} and {}",
            actual.unit.show(),
            target.unit.show()
        )));
    }
    let completion = convert(completion, &Unit::one())?;
    let expected = expected_share(actual, schedule)?;
    let gap = binary(completion, expected, Op::Sub)?;
    convert(gap, &Unit::parse("百分点"))
}

/// 两年平均增速 from reported growths (fractions or percent): sqrt((1 + this year's) x
/// (1 + last year's)) - 1, as a fraction: the geometric mean of the two years' growth,
/// as the National Bureau of Statistics reports it since 2021. Missing where a growth is
/// missing or the product is negative.
pub fn two_year_avg_of_growth(g: &Series) -> KResult<Series> {
    crate::check::refuse_index_as_growth(g, "two_year_avg_growth")?;
    if !g.unit.is_dimensionless() {
        return Err(Fault::unit(format!("two_year_avg_growth needs growth rates (a fraction or %), not {}", g.unit.show())));
    }
    // Through % first: a growth written in % by hand (`yoy(x) * 100`) is read as that
    // percent, as `pct` and `implied_prior` read it (it was taken for a fraction: 10% and
    // 10% averaged 1000%).
    let g = convert(convert(g.clone(), &Unit::percent())?, &Unit::one())?;
    let k = super::time::per_year(&g);
    let last = super::time::lag(&g, k)?;
    // A growth below -100% is a change of sign (a loss from a profit, or over a negative
    // base): no growth factor, so no mean of two (-150% twice would read -50%).
    let mut below = 0usize;
    let out: Vec<f64> = g
        .data
        .iter()
        .zip(last.data.iter())
        .map(|(a, b)| {
            if a.is_nan() || b.is_nan() {
                return f64::NAN;
            }
            if 1.0 + a < 0.0 || 1.0 + b < 0.0 {
                below += 1;
                return f64::NAN;
            }
            ((1.0 + a) * (1.0 + b)).sqrt() - 1.0
        })
        .collect();
    if below > 0 {
        super::note(format!(
            "two_year_avg_growth: {below} cell(s) have a growth below -100% in one of the two years (a figure that changed \
             sign, or a growth over a negative base): no two-year average has a meaning there, and it is left missing; say \
             the change of the values instead (diff)"
        ));
    }
    let mut out = g.with(out, Unit::one(), Series::no_rollup("a growth does not roll up: roll up the level first, then take its growth"));
    // Two years of a rate's relative change average to one; of a figure's growth, to a
    // growth.
    out.rate = match &g.rate {
        Some(r @ crate::series::RateOf::Relative(_)) => Some(r.clone()),
        _ => Some(crate::series::RateOf::Growth(std::sync::Arc::from("a two-year average growth"))),
    };
    Ok(out)
}
