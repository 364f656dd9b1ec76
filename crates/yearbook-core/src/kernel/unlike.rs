//! Two totals that add different regions set against each other: `rollup(qty, "county") /
//! rollup(plan, "county")` at a county where 乙镇 has an output and no plan is 80 / 40 =
//! 200%, a completion of a plan by output that the plan never covered. Such cells are left
//! missing, with a note, as a roll-up of the ratio leaves them (a ratio's parts rolled up
//! over one-sided regions) and as a region shown with its children's roll-up is
//! (`kernel::rollup::one_sided_children`). Which regions a total adds is its
//! [`Counts`] signature, kept by roll-ups and totals across regions.

use crate::counts::{Counts, both};
use crate::series::Series;
use std::sync::Arc;

/// The signature of cell `cell` of `s` (of the result's shape, checked by the caller):
/// its total's ([`Series::counts`]), or, for a cell shown with its children's roll-up,
/// the regions that roll-up counts ([`Series::covered`]).
fn signed(s: &Series, cell: usize, rows: usize, cols: usize) -> Option<u64> {
    if let Some(c) = s.counts.as_ref().filter(|c| c.fits(rows, cols)) {
        return c.get(cell);
    }
    let (shown, covered) = (s.shown.as_deref()?, s.covered.as_deref()?);
    (shown.len() == rows * cols && covered.len() == rows * cols && shown[cell]).then(|| covered[cell])
}

/// Whether `s` has signatures for a result of this shape.
fn has_counts(s: &Series, rows: usize, cols: usize, by_region: bool, by_period: bool) -> bool {
    s.by_region == by_region && s.by_period == by_period && s.counts.as_ref().is_some_and(|c| c.fits(rows, cols))
}

/// Leaves missing the cells of `out` (`a op b`, `rows` x `cols` period-major) where both
/// sides are totals and add different regions, with a note naming the first. Only where
/// a side is a roll-up or a total across regions ([`Series::counts`]); two cells shown as
/// their children's roll-up are `kernel::rollup::one_sided_children`'s. A total beside its
/// own lag (`rollup(gdp) / lag(rollup(gdp), 1)`) is the basis' (`Series::basis`).
pub(crate) fn compare(a: &Series, b: &Series, out: &mut [f64], shape: (usize, usize, bool, bool)) {
    let (rows, cols, by_region, by_period) = shape;
    let (ca, cb) = (has_counts(a, rows, cols, by_region, by_period), has_counts(b, rows, cols, by_region, by_period));
    if !(ca || cb) || out.len() != rows * cols {
        return;
    }
    if let (Some(x), Some(y)) = (&a.basis, &b.basis)
        && Arc::ptr_eq(&x.source.data, &y.source.data)
    {
        return;
    }
    let same = |s: &Series| s.by_region == by_region && s.by_period == by_period;
    if !same(a) || !same(b) {
        return;
    }
    // Over the rows a side signs (a county roll-up's counties), not every region.
    let lead = if ca { a } else { b };
    let on = lead.counts.as_ref().and_then(|c| c.on.clone());
    let n = on.as_ref().map_or(rows, |o| o.len());
    let mut hit: Vec<usize> = Vec::new();
    for p in 0..cols {
        for k in 0..n {
            let cell = p * rows + on.as_ref().map_or(k, |o| o[k] as usize);
            if out[cell].is_nan() {
                continue;
            }
            if let (Some(x), Some(y)) = (signed(a, cell, rows, cols), signed(b, cell, rows, cols))
                && x != y
            {
                out[cell] = f64::NAN;
                hit.push(cell);
            }
        }
    }
    let Some(&first) = hit.first() else { return };
    let where_ = if by_region {
        format!("{} {}", a.axes.regions.label((first % rows) as u32), a.axes.periods.get(first / rows))
    } else {
        a.axes.periods.get(first).to_string()
    };
    let more = if hit.len() > 1 { format!(" (and {} more)", hit.len() - 1) } else { String::new() };
    let names = if by_region { "rollup(a / b, level) names the region" } else { "count(x) of each side says how many regions it adds" };
    super::note(format!(
        "{} cell(s) left missing because the two totals add up different regions ({where_}){more}: a region has a figure on \
         one side only (a town with an output and no plan, a town that entered), so they are not of like with like; \
         {names}, and fill(x, 0) counts a missing figure as 0 where that is meant",
        hit.len(),
    ));
}

/// The signatures of `a op b` (of the result's shape): a side's, or both sides' combined
/// where both are totals; none for a verdict (a comparison).
pub(crate) fn carried(a: &Series, b: &Series, shape: (usize, usize, bool, bool), mask: bool) -> Option<Arc<Counts>> {
    let (rows, cols, by_region, by_period) = shape;
    if mask {
        return None;
    }
    match (has_counts(a, rows, cols, by_region, by_period), has_counts(b, rows, cols, by_region, by_period)) {
        (true, false) => a.counts.clone(),
        (false, true) => b.counts.clone(),
        (true, true) => both_counts(a.counts.clone(), b.counts.clone()),
        (false, false) => None,
    }
}

/// The signatures of a total made of two totals of one shape (their quotient, their
/// sum): on the first one's rows, each cell both signatures combined.
pub(crate) fn both_counts(a: Option<Arc<Counts>>, b: Option<Arc<Counts>>) -> Option<Arc<Counts>> {
    let (x, y) = match (a, b) {
        (Some(x), Some(y)) if x.rows == y.rows && x.cols == y.cols => (x, y),
        (x, None) => return x,
        (None, y) => return y,
        _ => return None,
    };
    let (rows, n) = (x.rows, x.on.as_ref().map_or(x.rows, |o| o.len()));
    let mut sig = x.sig.clone();
    for p in 0..x.cols {
        for k in 0..n {
            let r = x.on.as_ref().map_or(k, |o| o[k] as usize);
            let i = p * n + k;
            sig[i] = both(sig[i], y.get(p * rows + r).unwrap_or(0));
        }
    }
    Some(Arc::new(Counts { sig, ..(*x).clone() }))
}

/// The signatures of a total across regions (one per period) of `s`: each region with a
/// value adds its own total's signature (a county of a roll-up adds the towns it counts),
/// else its own hash. Only for a sum or a mean.
pub(crate) fn across(s: &Series) -> Option<Arc<Counts>> {
    if !s.by_region || s.mask {
        return None;
    }
    let (rows, cols) = (s.rows(), s.cols());
    let view = s.kept_view();
    let mut sig = Vec::with_capacity(cols);
    for (p, col) in view.periods().enumerate() {
        let mut acc = 0u64;
        for (slot, &v) in col.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let r = view.row(slot);
            let own = signed(s, p * rows + r, rows, cols).unwrap_or_else(|| crate::counts::region_hash(r as u64));
            acc = acc.wrapping_add(own);
        }
        sig.push(acc);
    }
    Some(Arc::new(Counts::every_row(1, cols, sig)))
}
