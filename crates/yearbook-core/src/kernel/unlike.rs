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
pub(crate) fn compare(a: &Series, b: &Series, out: &mut [f64], shape: (usize, usize, bool, bool)) -> usize {
    let (rows, cols, by_region, by_period) = shape;
    let (ca, cb) = (has_counts(a, rows, cols, by_region, by_period), has_counts(b, rows, cols, by_region, by_period));
    if !(ca || cb) || out.len() != rows * cols {
        return 0;
    }
    if let (Some(x), Some(y)) = (&a.basis, &b.basis)
        && Arc::ptr_eq(&x.source.data, &y.source.data)
    {
        return 0;
    }
    let same = |s: &Series| s.by_region == by_region && s.by_period == by_period;
    if !same(a) || !same(b) {
        return 0;
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
    let Some(&first) = hit.first() else { return 0 };
    let (region, period) = (a.axes.regions.label((first % rows) as u32), a.axes.periods.get(first / rows).to_string());
    let where_ = match (by_region, by_period) {
        (true, true) => format!("{region} {period}"),
        (true, false) => region.to_string(),
        (false, _) => period,
    };
    let more = if hit.len() > 1 { format!(" (and {} more)", hit.len() - 1) } else { String::new() };
    let names = if by_region { "rollup(a / b, level) names the region" } else { "count(x) of each side says how many regions it adds" };
    super::note(format!(
        "{} cell(s) left missing because the two totals add up different regions ({where_}){more}: a region (or a period) \
         has a figure on one side only (a town with an output and no plan, a town that entered), so they are not of like \
         with like; \
         {names}, and fill(x, 0) counts a missing figure as 0 where that is meant",
        hit.len(),
    ));
    hit.len()
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
    // (`aggregate::summed` adds these in its own pass where `own_areas_only` holds.)
    if !s.by_region || s.mask {
        return None;
    }
    let (rows, cols) = (s.rows(), s.cols());
    let view = s.kept_view();
    let areas = s.axes.areas();
    let sig: Vec<u64>;
    let cols_of: Vec<&[f64]> = view.periods().collect();
    // Each period's signature on its own: on all cores when the panel is large (the sums
    // wrap, so they are the same whatever adds them).
    let each = |f: &(dyn Fn(usize, &[f64]) -> u64 + Sync)| -> Vec<u64> {
        if view.values.len() < super::PAR_MIN {
            cols_of.iter().enumerate().map(|(p, c)| f(p, c)).collect()
        } else {
            use rayon::prelude::*;
            cols_of.par_iter().enumerate().map(|(p, c)| f(p, c)).collect()
        }
    };
    // A series without totals of its own (no signatures, no cells shown as a roll-up):
    // each region with a value adds its own area.
    if own_areas_only(s) {
        sig = each(&|_, col| {
            col.iter().enumerate().fold(0u64, |acc, (slot, &v)| acc.wrapping_add(if v.is_nan() { 0 } else { areas[view.row(slot)] }))
        });
        return Some(Arc::new(Counts::every_row(1, cols, sig)));
    }
    sig = each(&|p, col| {
        let mut acc = 0u64;
        for (slot, &v) in col.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let r = view.row(slot);
            let own = signed(s, p * rows + r, rows, cols).unwrap_or(areas[r]);
            acc = acc.wrapping_add(own);
        }
        acc
    });
    Some(Arc::new(Counts::every_row(1, cols, sig)))
}

/// Whether [`across`] of `s` adds each region's own area (`Axes::areas`) for each value:
/// a series over regions, no comparison, without totals of its own (no signatures, no
/// cells shown as a roll-up).
pub(crate) fn own_areas_only(s: &Series) -> bool {
    let (rows, cols) = (s.rows(), s.cols());
    let shown = s.shown.as_ref().is_some_and(|m| m.len() == rows * cols) && s.covered.as_ref().is_some_and(|c| c.len() == rows * cols);
    s.by_region && !s.mask && !shown && !s.counts.as_ref().is_some_and(|c| c.fits(rows, cols))
}

/// The signature of cell `cell` of `s`, of its own shape.
fn own(s: &Series, cell: usize) -> Option<u64> {
    signed(s, cell, s.rows(), s.cols())
}

/// Whether `s` has signatures: a total's, or the regions its cells shown as their
/// children's roll-up count.
fn has_any(s: &Series) -> bool {
    s.counts.as_ref().is_some_and(|c| c.fits(s.rows(), s.cols()))
        || (s.shown.as_ref().is_some_and(|m| m.len() == s.data.len()) && s.covered.as_ref().is_some_and(|c| c.len() == s.data.len()))
}

/// Gives `out`, made of `from` cell by cell in its shape (`map`, `top`), `from`'s
/// signatures: a closure of a total, or its largest values, add what it adds.
pub fn keep(from: &Series, out: &mut Series) {
    if out.by_region != from.by_region || out.by_period != from.by_period || !has_any(from) {
        return;
    }
    out.counts = match from.counts.as_ref().filter(|c| c.fits(from.rows(), from.cols())) {
        Some(c) => Some(c.clone()),
        None => {
            Some(Arc::new(Counts::every_row(from.rows(), from.cols(), (0..from.data.len()).map(|i| own(from, i).unwrap_or(0)).collect())))
        }
    };
}

/// Gives `out` (`where(mask, a, b)`) the signature of the side each cell took.
pub(crate) fn chosen(mask: &Series, a: &Series, b: &Series, out: &mut Series) {
    if !has_any(a) && !has_any(b) {
        return;
    }
    let (rows, cols) = (out.rows(), out.cols());
    let same = |s: &Series| s.by_region == out.by_region && s.by_period == out.by_period;
    let sig: Vec<u64> = (0..rows * cols)
        .map(|cell| {
            let m = mask.get(cell % rows, cell / rows);
            let side = if m.is_nan() {
                return 0;
            } else if m != 0.0 {
                a
            } else {
                b
            };
            if same(side) { own(side, cell).unwrap_or(0) } else { 0 }
        })
        .collect();
    out.counts = Some(Arc::new(Counts::every_row(rows, cols, sig)));
}

/// Gives `out` (`latest(s)`, one value per region) the signature of each region's latest
/// total (`at`: its period, `u32::MAX` for none).
pub(crate) fn latest(s: &Series, at: &[u32], out: &mut Series) {
    if !has_any(s) || !s.by_period {
        return;
    }
    let rows = s.rows();
    let sig = at.iter().enumerate().map(|(r, &p)| if p == u32::MAX { 0 } else { own(s, p as usize * rows + r).unwrap_or(0) }).collect();
    out.counts = Some(Arc::new(Counts::every_row(rows, 1, sig)));
}

/// The signatures of a sum or mean across periods of `s` (one per region): the periods
/// each adds, with what each period's total adds. `sum(qty, "periods") / sum(plan,
/// "periods")` over 2020-2021 output and a 2021 plan adds unlike spans.
pub(crate) fn across_periods(s: &Series) -> Option<Arc<Counts>> {
    if !s.by_period || s.mask {
        return None;
    }
    let (rows, cols) = (s.rows(), s.cols());
    let sig = (0..rows)
        .map(|r| {
            (0..cols)
                .filter(|&p| !s.data.cell(p * rows + r).is_nan())
                .fold(0u64, |acc, p| acc.wrapping_add(crate::counts::region_hash(((p as u64) << 40) ^ own(s, p * rows + r).unwrap_or(0))))
        })
        .collect();
    Some(Arc::new(Counts::every_row(rows, 1, sig)))
}
