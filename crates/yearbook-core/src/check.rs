//! Checks: what a rule's script yields. A mask over (region, period) — 1 pass, 0 fail,
//! missing = not evaluable — plus the values a finding should show and the imbalance.
//! The classic statistical edits are built here as one call each.

use crate::error::Fault;
use crate::kernel::KResult;
use crate::kernel::arith::{self, Op, binary, convert, with_number};
use crate::kernel::time;
use crate::region::NONE;
use crate::series::Series;
use crate::unit::Unit;
use std::sync::Arc;

/// The result of a built-in check: which cells pass, the values its message can name, and how far off each cell is.
#[derive(Clone, Debug)]
pub struct Check {
    /// 1 = pass, 0 = fail, NaN = not evaluable.
    pub pass: Series,
    /// Named values shown in findings and messages.
    pub values: Vec<(String, Series)>,
    /// How far off a failing cell is, where that has a meaning.
    pub imbalance: Option<Shown>,
    /// Informational: every evaluable cell is reported as a note, not a failure.
    pub note: bool,
    /// The regions the check is about, when not every region (indexed by row):
    /// `tree_balance` is about regions with children; a town with none below it is no
    /// item of it, rather than one that cannot be evaluated.
    pub about: Option<std::sync::Arc<Vec<bool>>>,
}

/// A value a finding shows: a series, or the difference `a - b` of two, read at the
/// failing cells only. An imbalance is shown for the few cells that fail, so it is never
/// computed over the whole panel (at 160,000 towns one such series is 27 MB per check).
#[derive(Clone, Debug)]
// A series is a handful of Arcs and flags, cloned cheaply; boxing it would add an
// allocation per finding value for no saving.
#[allow(clippy::large_enum_variant)]
pub enum Shown {
    /// Values over the check's cells.
    Series(Series),
    /// `a - b`, as `binary(a, b, Op::Sub)` gives it at each cell.
    Diff(Arc<Diff>),
}

/// The operands of [`Shown::Diff`], with `b`'s factor to `a`'s unit.
#[derive(Debug)]
pub struct Diff {
    a: Series,
    b: Series,
    fb: f64,
    unit: Unit,
    tol: Option<f64>,
}

impl Shown {
    /// `a - b` (same units rules as `a - b` in a script: `b` converted to `a`'s unit).
    /// Errors: units of different dimensions.
    pub fn diff(mut a: Series, mut b: Series) -> KResult<Shown> {
        arith::align(&mut a, &mut b, "-")?;
        let (unit, _, fb) = arith::units(Op::Sub, &a.unit, &b.unit)?;
        // Two figures in % (a reported and a computed growth, shares against 100) differ
        // by 个百分点, never by %: 相差2个百分点 (in ‰ by 个千分点).
        let unit = crate::kernel::time::points_of(&unit);
        Ok(Shown::Diff(Arc::new(Diff { a, b, fb, unit, tol: None })))
    }
    /// [`Shown::diff`] of a check that passes where `|a - b| <= tol` (in its unit): a
    /// failing imbalance is printed apart from that tolerance ([`Shown::tolerance`]).
    pub fn diff_within(a: Series, b: Series, tol: f64) -> KResult<Shown> {
        Ok(match Shown::diff(a, b)? {
            Shown::Diff(d) => match Arc::try_unwrap(d) {
                Ok(d) => Shown::Diff(Arc::new(Diff { tol: Some(tol.abs()), ..d })),
                Err(d) => Shown::Diff(d),
            },
            other => other,
        })
    }
    /// The tolerance the imbalance is checked against, in its unit, where the check has
    /// one (`balance(total, parts, 0.1)`, `growth_consistency(x, reported, 0.1)`): a
    /// failing 0.10002 printed as 0.1 would read as within it.
    pub fn tolerance(&self) -> Option<f64> {
        match self {
            Shown::Series(_) => None,
            Shown::Diff(d) => d.tol,
        }
    }
    /// The value at (row, col), broadcasting as [`Series::get`] does; NaN = missing.
    pub fn get(&self, r: usize, p: usize) -> f64 {
        match self {
            Shown::Series(s) => s.get(r, p),
            // Read to the digits its operands hold: 2.675 - 2.66 is 0.015.
            Shown::Diff(d) => {
                let (a, b) = (d.a.get(r, p), d.b.get(r, p) * d.fb);
                arith::difference_read(arith::add_exact(a, -b), a, b)
            }
        }
    }
    /// The unit of its values.
    pub fn unit(&self) -> &Unit {
        match self {
            Shown::Series(s) => &s.unit,
            Shown::Diff(d) => &d.unit,
        }
    }
    /// Every cell's value as a series (for printing a whole check).
    pub fn to_series(&self) -> KResult<Series> {
        match self {
            Shown::Series(s) => Ok(s.clone()),
            Shown::Diff(d) => binary(d.a.clone(), d.b.clone(), Op::Sub).map(|mut s| {
                s.unit = d.unit.clone();
                s
            }),
        }
    }
}

impl Check {
    /// Passes where `|a - b| <= tol`, in one pass over both (no series of differences);
    /// the imbalance shown for failing cells is `a - b`.
    fn tolerance(mut a: Series, mut b: Series, tol: f64, values: Vec<(String, Series)>) -> KResult<Check> {
        // Aligned once, for the verdict and the imbalance alike.
        arith::align(&mut a, &mut b, "-")?;
        let pass = within_diff(&a, &b, tol)?;
        Ok(Check { pass, values, imbalance: Some(Shown::diff_within(a, b, tol)?), note: false, about: None })
    }

    /// A check from a plain mask (true = pass).
    pub fn from_mask(mask: Series) -> Check {
        Check { pass: mask, values: Vec::new(), imbalance: None, note: false, about: None }
    }
}

fn within(diff: &Series, tol: f64) -> KResult<Series> {
    let abs = crate::kernel::arith::map(diff.clone(), diff.unit.clone(), Series::no_rollup(""), f64::abs);
    let mut m = with_number(abs, slack(tol), Op::Le, false)?;
    m.mask = true;
    Ok(m)
}

/// The tolerance with room for binary noise.
fn slack(tol: f64) -> f64 {
    tol + tol.abs() * 1e-12 + 1e-12
}

/// `|a - b| <= tol` cell by cell: what [`within`] gives for `binary(a, b, Op::Sub)`, in
/// one pass and one buffer when both have the same shape; the sides come aligned
/// ([`arith::align`], done by [`Check::tolerance`]).
fn within_diff(a: &Series, b: &Series, tol: f64) -> KResult<Series> {
    let (_, _, fb) = arith::units(Op::Sub, &a.unit, &b.unit)?;
    if a.by_region != b.by_region || a.by_period != b.by_period || a.data.len() != b.data.len() {
        return within(&binary(a.clone(), b.clone(), Op::Sub)?, tol);
    }
    let t = slack(tol);
    let data = crate::kernel::par_zip_new(&a.data, &b.data, |x, y| arith::apply(Op::Le, arith::add_exact(x, -(y * fb)).abs(), t));
    let mut m = a.with(data, Unit::one(), arith::result_agg(Op::Le, a, b));
    m.mask = true;
    Ok(m)
}

fn sum_all(parts: &[Series]) -> KResult<Series> {
    let mut it = parts.iter().cloned();
    let first = it.next().ok_or("needs at least one part")?;
    it.try_fold(first, |acc, p| binary(acc, p, Op::Add))
}

/// total = sum of parts within `tol` (in the total's unit); imbalance = total - sum.
pub fn balance(total: Series, parts: &[Series], tol: f64) -> KResult<Check> {
    let sum = convert(sum_all(parts)?, &total.unit).map_err(|_| {
        Fault::unit(format!("balance: parts in {} cannot add up to a total in {}", parts[0].unit.show(), total.unit.show()))
    })?;
    Check::tolerance(total.clone(), sum.clone(), tol, vec![("total".into(), total), ("parts".into(), sum)])
}

/// part <= total; imbalance = part - total (the excess).
pub fn not_above(mut part: Series, mut total: Series) -> KResult<Check> {
    // Aligned as `part <= total` aligns them, so that the values listed are in the units
    // compared (not_above(tax, gdp * 10000): 18000 万元, not 18000 亿元).
    arith::align(&mut part, &mut total, "<=")?;
    let pass = binary(part.clone(), total.clone(), Op::Le)?;
    let imb = Shown::diff(part.clone(), total.clone())?;
    Ok(Check { pass, values: vec![("part".into(), part), ("total".into(), total)], imbalance: Some(imb), note: false, about: None })
}

/// Each region's value equals the sum of its direct children's values within `tol`.
pub fn tree_balance(s: Series, tol: f64) -> KResult<Check> {
    if !s.by_region {
        return Err(Fault::type_("tree_balance needs a series over regions"));
    }
    let rows = s.rows();
    let parent = &s.axes.regions.parent;
    // A region whose children are all missing, or any child missing, is not evaluable:
    // a missing child is never counted as 0 (under the rule's `missing = "zero"` or
    // "skip_all" policy the inputs arrive with missing cells already filled with 0).
    // A child without a figure of its own whose children report one (a town made of its
    // villages) counts with their roll-up, as a report shows it.
    let shown = crate::kernel::rollup::as_shown(&s, |_| true);
    let mut kids = vec![f64::NAN; s.data.len()];
    let mut missing_child = vec![false; rows];
    for (p, col) in shown.data.chunks(rows).enumerate() {
        missing_child.iter_mut().for_each(|m| *m = false);
        for (r, &v) in col.iter().enumerate() {
            if parent[r] == NONE {
                continue;
            }
            if v.is_nan() {
                missing_child[parent[r] as usize] = true;
                continue;
            }
            let slot = &mut kids[p * rows + parent[r] as usize];
            *slot = if slot.is_nan() { v } else { *slot + v };
        }
        for (r, &m) in missing_child.iter().enumerate() {
            if m {
                kids[p * rows + r] = f64::NAN;
            }
        }
    }
    let mut has_children = vec![false; rows];
    for &p in parent.iter().filter(|&&p| p != NONE) {
        has_children[p as usize] = true;
    }
    let children = s.with(kids, s.unit.clone(), Series::no_rollup(""));
    // A region given its children's roll-up (no figure of its own) would be compared with
    // itself: it is left unevaluated.
    let s = match &s.shown {
        Some(shown) => {
            note_itself(&s, shown, &has_children);
            let own: Vec<f64> = s.data.iter().zip(shown.iter()).map(|(&v, &m)| if m { f64::NAN } else { v }).collect();
            let mut out = s.with(own, s.unit.clone(), s.agg.clone());
            out.indicator = s.indicator;
            out
        }
        None => s,
    };
    let mut check = Check::tolerance(s.clone(), children.clone(), tol, vec![("value".into(), s), ("children".into(), children)])?;
    check.about = Some(std::sync::Arc::new(has_children));
    Ok(check)
}

/// The note of `tree_balance` for the regions it leaves unevaluated because they have
/// no figure of their own (shown with their children's roll-up): why, by name.
fn note_itself(s: &Series, shown: &[bool], has_children: &[bool]) {
    let rows = s.rows().max(1);
    let cells: Vec<usize> =
        shown.iter().enumerate().filter(|&(c, &m)| m && has_children[c % rows] && !s.data[c].is_nan()).map(|(c, _)| c).collect();
    if cells.is_empty() {
        return;
    }
    let named: Vec<String> = cells
        .iter()
        .take(3)
        .map(|&c| {
            let name = s.axes.regions.label((c % rows) as u32);
            format!("{name} {}: {name} has no figure of its own (it is made of its children)", s.axes.periods.get(c / rows))
        })
        .collect();
    let more = if cells.len() > 3 { format!(" (and {} more)", cells.len() - 3) } else { String::new() };
    crate::kernel::note(format!(
        "tree_balance: {} cell(s) not evaluable because the region would be compared with itself: {}{more}; its value is its \
         children's roll-up, so nothing would be checked (give the region's own figure to check it against its children)",
        cells.len(),
        named.join("; ")
    ));
}

/// A growth argument that is an index (上年=100: 110 for +10%) would be read as a growth of
/// 110%: `implied_prior(gdp, idx)` gave 12.1 / 2.1 = 5.76 for 11, `growth_consistency`
/// failed 110 against a computed 10%. Refused, saying to write `idx - 100` (in %).
pub fn refuse_index_as_growth(g: &Series, func: &str) -> KResult<()> {
    if !g.unit.is_index() {
        return Ok(());
    }
    let u = g.unit.show();
    Err(Fault::unit(format!(
        "{func}: the growth given is an index ({u}): 110 there is 1.10 times its base, a growth of 10%, not 110%; for the growth \
         over the base write it less 100 (in %): idx - 100 of an index on the year before (上年=100)"
    )))
}

/// Reported year-on-year growth (in %) against growth computed from the values, within
/// `tol_points` percentage points; imbalance = reported - computed. An index as the
/// reported growth is refused ([`refuse_index_as_growth`]).
pub fn growth_consistency(s: Series, reported: Series, tol_points: f64) -> KResult<Check> {
    refuse_index_as_growth(&reported, "growth_consistency")?;
    let computed = convert(time::growth(&s, time::per_year(&s))?, &Unit::percent())?;
    let reported =
        convert(reported, &Unit::percent()).map_err(|_| Fault::unit("growth_consistency: the reported growth must be a percent"))?;
    Check::tolerance(reported.clone(), computed.clone(), tol_points, vec![("computed".into(), computed), ("reported".into(), reported)])
}

/// value / (1 + growth% / 100), the prior-year value a reported growth implies (same
/// shape and unit as `value`). A growth rate is taken over a positive base only (as
/// `yoy` takes it), so a cell whose implied prior is zero or below (3亿元 after a
/// reported -150%: -6亿元) is left missing, with a note: the reported growth or the
/// figure is wrong there, and no prior-year figure follows from them. A loss after a
/// profit keeps its prior (-5 after -150% is 10). An index as the growth is refused
/// ([`refuse_index_as_growth`]).
pub fn implied_prior(value: Series, growth_pct: Series) -> KResult<Series> {
    refuse_index_as_growth(&growth_pct, "implied_prior")?;
    let g = convert(growth_pct, &Unit::percent())?;
    let factor = with_number(with_number(g, 100.0, Op::Div, false)?, 1.0, Op::Add, true)?;
    let prior = binary(value, factor, Op::Div)?;
    let rows = prior.rows();
    let bad: Vec<usize> = prior.data.iter().enumerate().filter(|(_, v)| **v <= 0.0).map(|(i, _)| i).collect();
    if bad.is_empty() {
        return Ok(prior);
    }
    let named: Vec<String> = bad
        .iter()
        .take(3)
        .map(|&i| {
            let at = if prior.by_region { prior.axes.regions.label((i % rows) as u32).to_string() } else { String::new() };
            let when = if prior.by_period { prior.axes.periods.get(i / rows).to_string() } else { String::new() };
            format!("{at} {when}: {}", crate::format::number(prior.data[i]))
        })
        .collect();
    let more = if bad.len() > 3 { format!(" (and {} more)", bad.len() - 3) } else { String::new() };
    crate::kernel::note(format!(
        "implied_prior: {} cell(s) left missing because the figure and its reported growth imply a prior-year figure of zero or \
         below ({}{more}); a growth rate is taken over a positive base only, so check the reported growth (below -100% means the \
         figure itself turned negative)",
        bad.len(),
        named.join("; ")
    ));
    let mut data = prior.data.to_full();
    for i in bad {
        data[i] = f64::NAN;
    }
    Ok(Series { data: std::sync::Arc::new(crate::cells::Cells::from(data)), ..prior })
}

/// The parts' implied prior-year values add up to the total's within a relative
/// tolerance; imbalance = parts - total (prior year).
pub fn implied_prior_balance(
    total: Series,
    total_growth: Series,
    parts: &[Series],
    part_growths: &[Series],
    rel_tol: f64,
) -> KResult<Check> {
    if parts.len() != part_growths.len() {
        return Err(format!("implied_prior_balance: {} parts but {} growths", parts.len(), part_growths.len()).into());
    }
    let prior_total = implied_prior(total, total_growth)?;
    let priors: Vec<Series> = parts.iter().zip(part_growths).map(|(p, g)| implied_prior(p.clone(), g.clone())).collect::<KResult<_>>()?;
    let prior_parts = convert(sum_all(&priors)?, &prior_total.unit)?;
    let imb = binary(prior_parts.clone(), prior_total.clone(), Op::Sub)?;
    let rel = binary(imb, prior_total.clone(), Op::Div)?;
    // The imbalance shown, read to the digits its operands hold (as balance's).
    let shown = Shown::diff(prior_parts.clone(), prior_total.clone())?;
    let values = vec![("prior_total".into(), prior_total), ("prior_parts".into(), prior_parts)];
    Ok(Check { pass: within(&rel, rel_tol)?, values, imbalance: Some(shown), note: false, about: None })
}

/// lo <= s <= hi.
pub fn in_range(s: Series, lo: f64, hi: f64) -> KResult<Check> {
    let a = with_number(s.clone(), lo, Op::Ge, false)?;
    let b = with_number(s.clone(), hi, Op::Le, false)?;
    Ok(Check { pass: binary(a, b, Op::And)?, values: vec![("value".into(), s)], imbalance: None, note: false, about: None })
}

/// Present = pass, missing = fail (never "not evaluable"). A region without a figure of
/// its own whose children report one (a county made of its towns,
/// [`crate::kernel::rollup::made_of_children`]) is judged by the figure it is shown with,
/// its children's roll-up ([`crate::kernel::rollup::as_shown`]), at every level: the
/// verdict a rule with `levels` naming it gives (complete where the roll-up is, failing
/// where a child's figure is missing or the region has a gap of its own). Where no roll-up
/// can be shown (a formula's cells, `abs(gdp)` in a rule without `levels`) such a cell is
/// no item (missing), never a failure.
pub fn complete(s: Series) -> Check {
    let made = crate::kernel::rollup::made_of_children(&s);
    let s = match &made {
        Some(_) => crate::kernel::rollup::as_shown(&s, |_| true),
        None => s,
    };
    // A series given its roll-ups at a rule's levels before a formula took it (`abs(gdp)`
    // under `levels`) had its chance: a cell still missing there is missing.
    let blank = !crate::kernel::rollup::showable(&s) && s.shown.is_none();
    let mut pass = crate::kernel::arith::map(s.clone(), Unit::one(), Series::no_rollup(""), |x| if x.is_nan() { 0.0 } else { 1.0 });
    if let Some(made) = made.filter(|_| blank) {
        let mut data = pass.take_data();
        for ((x, m), v) in data.iter_mut().zip(made).zip(s.data.iter()) {
            if m && v.is_nan() {
                *x = f64::NAN;
            }
        }
        pass.data = Arc::new(data.into());
        crate::memory::made(&pass.data);
    }
    pass.mask = true;
    Check { pass, values: vec![("value".into(), s)], imbalance: None, note: false, about: None }
}

/// actual / target >= min_ratio; imbalance = actual - target.
/// A target of zero or below (a loss limit, 减亏目标 -100 万元; 扭亏持平 0) has no
/// completion percentage (missing, with a note): with min_ratio 1 the cell is judged by
/// the values themselves, met when actual >= target (-50 against -100 passes, -150
/// fails); with another min_ratio (a share of a loss limit means nothing) it is not
/// evaluable, with a note.
pub fn target_completion(mut actual: Series, mut target: Series, min_ratio: f64) -> KResult<Check> {
    // The values listed in the units the imbalance (actual - target) is taken in.
    arith::align(&mut actual, &mut target, "-")?;
    let ratio = convert(arith::completion(actual.clone(), target.clone(), "target_completion")?, &Unit::percent())?;
    let mut pass = with_number(ratio.clone(), min_ratio * 100.0, Op::Ge, false)?;
    // `actual >= target` where the target is zero or below, as `binary(actual, target,
    // Op::Ge)` gives it (the sides are aligned: the target's factor to the actual's unit),
    // read at those cells only: a whole matrix of it is 27 MB at 160,000 towns.
    let (_, _, fb) = arith::units(Op::Ge, &actual.unit, &target.unit)?;
    let (rows, cols) = (pass.rows(), pass.cols());
    let mut data = pass.take_data();
    let mut not_positive = 0usize;
    for p in 0..cols {
        for r in 0..rows {
            let t = target.get(r, p);
            if t <= 0.0 {
                let a = actual.get(r, p);
                data[p * rows + r] = if min_ratio == 1.0 { arith::apply(Op::Ge, a, t * fb) } else { f64::NAN };
                not_positive += usize::from(!a.is_nan());
            }
        }
    }
    pass.data = Arc::new(data.into());
    crate::memory::made(&pass.data);
    if not_positive > 0 {
        crate::kernel::note(if min_ratio == 1.0 {
            format!(
                "target_completion: {not_positive} cell(s) have a target of zero or below (a loss limit): judged by the values, \
                 met when actual >= target; no completion percentage is given there"
            )
        } else {
            format!(
                "target_completion: {not_positive} cell(s) have a target of zero or below (a loss limit): a min_ratio of {min_ratio} \
                 of such a target has no meaning, so they are not evaluable; use min_ratio 1 (met when actual >= target)"
            )
        });
    }
    let imb = Shown::diff(actual.clone(), target.clone())?;
    Ok(Check {
        pass,
        values: vec![("actual".into(), actual), ("target".into(), target), ("completion".into(), ratio)],
        imbalance: Some(imb),
        note: false,
        about: None,
    })
}

/// Rule 时间过半任务过半: a target's completion keeps pace with the schedule, at most
/// `tolerance_points` 百分点 behind it. `actual` is the 1-N月累计 figure, `target` the
/// year's target in each period. Values: actual, target, completion (%), expected (%,
/// the schedule's share by now) and pacing (百分点; below zero = behind, 落后进度);
/// imbalance = pacing.
pub fn on_pace(actual: Series, target: Series, tolerance_points: f64, schedule: &crate::schedule::Schedule) -> KResult<Check> {
    let pacing = crate::kernel::calendar::pacing(&actual, &target, schedule)?;
    // As shown before (the pacing, through `completion`, says what a target below zero is).
    let completion = convert(binary(actual.clone(), Series { target: None, ..target.clone() }, Op::Div)?, &Unit::percent())?;
    let expected = convert(crate::kernel::calendar::expected_share(&actual, schedule)?, &Unit::percent())?;
    let pass = with_number(pacing.clone(), -tolerance_points.abs(), Op::Ge, false)?;
    Ok(Check {
        pass,
        values: vec![
            ("actual".into(), actual),
            ("target".into(), target),
            ("completion".into(), completion),
            ("expected".into(), expected),
            ("pacing".into(), pacing.clone()),
        ],
        imbalance: Some(Shown::Series(pacing)),
        note: false,
        about: None,
    })
}

/// An informational finding for every cell where `s` has a value.
pub fn note(s: Series) -> Check {
    let pass = crate::kernel::arith::map(s.clone(), Unit::one(), Series::no_rollup(""), |x| if x.is_nan() { f64::NAN } else { 0.0 });
    Check { pass, values: vec![("value".into(), s)], imbalance: None, note: true, about: None }
}
