//! A region compared with itself. In a rule with `levels`, a region that has no figure
//! of its own while its children report (a county made of its towns) is shown with its
//! children's roll-up ([`super::rollup::as_shown`], cells marked in [`Series::shown`]).
//! Set against a roll-up of that same region's children ([`Series::rolled`]:
//! `rollup(qty, "county")`, `sum(children(qty, "c1"))`), such a cell compares the roll-up
//! with itself: `abs(qty - rollup(qty, "county")) <= 0.5` would pass there having checked
//! nothing. [`blank`] leaves those cells missing (not evaluable), with a note naming them;
//! [`carry`] passes both marks on through an operation, so a formula of either side
//! (`qty * 1`, `rollup(qty, "county") / 2`) is still seen. Only a roll-up of the values the
//! shown cells were filled from counts (by identity, [`Series::shown_of`]): a county's
//! towns' output over their population, `qty / rollup(pop, "county")`, is evaluated.

use crate::series::{Rolled, RolledUp, Series, Sources};
use std::sync::Arc;

/// Whether `a op b` with this operator compares or combines its sides into a check
/// (`-`, `+`, `/`, the comparisons); a product or power of them checks nothing.
pub(crate) fn compares(op: super::arith::Op) -> bool {
    use super::arith::Op;
    !matches!(op, Op::Mul | Op::Pow | Op::And | Op::Or)
}

/// Leaves missing the cells of `out` (the result of `a op b`, `by_region` x `by_period`)
/// where one side is a region shown with its children's roll-up and the other a roll-up
/// of that region's children, with a note; `out` is period-major as the result.
pub(crate) fn blank(a: &Series, b: &Series, out: &mut [f64], by_region: bool, by_period: bool) {
    if (a.shown.is_none() && b.shown.is_none()) || (a.rolled.is_none() && b.rolled.is_none()) || a.mask || b.mask || !by_region {
        return;
    }
    let level = &a.axes.regions.level;
    let mut hit: Vec<(usize, usize)> = Vec::new();
    for (s, other) in [(a, b), (b, a)] {
        let (Some(shown), Some(rolled)) = (&s.shown, &other.rolled) else { continue };
        if !s.by_region || s.by_period != by_period || shown.len() != out.len() || !same_source(&sources(s), &rolled.of) {
            continue;
        }
        let rolled = rolled.at;
        let rows = s.rows().max(1);
        for (cell, _) in shown.iter().enumerate().filter(|(_, m)| **m) {
            let r = cell % rows;
            let same = match rolled {
                Rolled::Level(l) => level[r] == l,
                Rolled::TotalOf(x) => r == x as usize,
                Rolled::ChildrenOf(_) => false,
            };
            if same && !out[cell].is_nan() {
                out[cell] = f64::NAN;
                hit.push((cell / rows, r));
            }
        }
    }
    if hit.is_empty() {
        return;
    }
    hit.sort_unstable();
    hit.dedup();
    let regions = &a.axes.regions;
    let shown: Vec<String> = hit
        .iter()
        .take(3)
        .map(|&(p, r)| {
            let name = regions.label(r as u32);
            format!("{name} {}: {name} has no figure of its own (it is made of its children)", a.axes.periods.get(p))
        })
        .collect();
    let more = if hit.len() > 3 { format!(" (and {} more)", hit.len() - 3) } else { String::new() };
    super::note(format!(
        "{} cell(s) not evaluable because a region would be compared with itself: {}{more}; its value is its children's \
         roll-up, the same figure as the roll-up it is set against, so nothing would be checked there (give the region's \
         own figure to check it against its children)",
        hit.len(),
        shown.join("; ")
    ));
}

/// Gives `out` (the result of `a op b`) the marks of its sides: the cells shown with
/// their children's roll-up (of a side of the same shape), and the roll-up a side holds
/// where the other is one number or holds the same. A mask keeps neither: it is a
/// verdict, not a figure.
pub(crate) fn carry(a: &Series, b: &Series, out: &mut Series) {
    if out.mask {
        out.shown = None;
        out.rolled = None;
        return;
    }
    let same = |s: &Series| s.by_region == out.by_region && s.by_period == out.by_period;
    let sides: Vec<&Arc<Vec<bool>>> =
        [a, b].into_iter().filter(|s| same(s)).filter_map(|s| s.shown.as_ref()).filter(|m| m.len() == out.data.len()).collect();
    out.shown = match sides.as_slice() {
        [] => None,
        [one] => Some(Arc::clone(one)),
        [x, y, ..] => Some(Arc::new(x.iter().zip(y.iter()).map(|(p, q)| *p || *q).collect())),
    };
    let from: Vec<&Series> =
        [a, b].into_iter().filter(|s| same(s) && s.shown.as_ref().is_some_and(|m| m.len() == out.data.len())).collect();
    // Which regions the shown cells count: both sides' where both are shown.
    let covered: Vec<&Arc<Vec<u64>>> = from.iter().filter_map(|s| s.covered.as_ref()).filter(|c| c.len() == out.data.len()).collect();
    out.covered = match (from.len(), covered.as_slice()) {
        (1, [one]) => Some(Arc::clone(one)),
        (2, [x, y]) => Some(Arc::new(x.iter().zip(y.iter()).map(|(p, q)| crate::counts::both(*p, *q)).collect())),
        _ => None,
    };
    out.shown_of = match from.as_slice() {
        [] => None,
        [one] => Some(sources(one)),
        [x, y, ..] => Some(std::sync::Arc::new(sources(x).iter().chain(sources(y).iter()).cloned().collect())),
    };
    out.rolled = match (&a.rolled, &b.rolled) {
        (Some(x), Some(y)) if x.at == y.at => {
            Some(RolledUp { at: x.at, of: std::sync::Arc::new(x.of.iter().chain(y.of.iter()).cloned().collect()) })
        }
        (Some(x), None) if b.is_scalar() => Some(x.clone()),
        (None, Some(y)) if a.is_scalar() => Some(y.clone()),
        _ => None,
    };
    out.own_since = match (&a.own_since, &b.own_since) {
        _ if !out.by_region => None,
        (Some(x), Some(y)) if x.len() == y.len() => Some(Arc::new(x.iter().zip(y.iter()).map(|(p, q)| *p.min(q)).collect())),
        (Some(x), _) => Some(x.clone()),
        (_, Some(y)) => Some(y.clone()),
        _ => None,
    };
}

/// Whether two [`Sources`] hold the same values, by identity, in any order.
pub fn same_sources(a: &Sources, b: &Sources) -> bool {
    let within = |x: &Sources, y: &Sources| x.iter().all(|c| y.iter().any(|d| Arc::ptr_eq(c, d)));
    Arc::ptr_eq(a, b) || (within(a, b) && within(b, a))
}

/// Whether every source of `a` is one of `b`'s, by identity (`{rev}` of
/// `{rev, target.rev}`: a figure with a fallback to its target is still of rev).
pub fn sources_within(a: &Sources, b: &Sources) -> bool {
    a.iter().all(|c| b.iter().any(|d| Arc::ptr_eq(c, d)))
}

/// What `s`'s values are made from, by identity: the series its shown cells were filled
/// from ([`Series::shown_of`]), else its own values.
pub fn sources(s: &Series) -> Sources {
    s.shown_of.clone().unwrap_or_else(|| Arc::new(vec![s.data.clone()]))
}

/// The figure `s` is a form of ([`Series::form_of`]), else what its values are made from
/// ([`sources`]): `gdp * 10000` and `lag(gdp, 1)` name gdp's values alike.
pub fn figure(s: &Series) -> Sources {
    s.form_of.clone().unwrap_or_else(|| sources(s))
}

/// What a cell-wise function of `s` with numbers is a form of ([`Series::form_of`]): the
/// figure `s` is a form of, or whose roll-up fills its cells, else `s`'s own values where
/// anything else holds them (a loaded figure, a variable); None for a mask, and for values
/// held nowhere else, which nothing can be set beside by identity (no copy is forced).
pub fn form(s: &Series) -> Option<Sources> {
    if s.mask || s.is_scalar() {
        return None;
    }
    s.form_of.clone().or_else(|| s.shown_of.clone()).or_else(|| (Arc::strong_count(&s.data) > 1).then(|| Arc::new(vec![s.data.clone()])))
}

/// What a cell-wise formula of `sides` (`gdp / pop`, `where(gdp >= 0, gdp, 0)`, `gdp *
/// 10000`) is a form of ([`Series::form_of`]): every figure its sides that are series
/// are forms of, numbers aside. None where a side's is not known (a lag, a value made
/// here), or no side is a series.
pub fn joined_form(sides: &[&Series]) -> Option<Sources> {
    joined(sides.iter().filter(|s| !s.is_scalar()).map(|s| form(s)))
}

/// The union of `forms` (each side's figures), without repeats; None where one is not
/// known or there is none.
pub(crate) fn joined(forms: impl Iterator<Item = Option<Sources>>) -> Option<Sources> {
    let mut all: Vec<Arc<crate::cells::Cells>> = Vec::new();
    for f in forms {
        for c in f?.iter() {
            if !all.iter().any(|d| Arc::ptr_eq(c, d)) {
                all.push(Arc::clone(c));
            }
        }
    }
    (!all.is_empty()).then(|| Arc::new(all))
}

/// `s`'s values as a roll-up `at` (see [`Series::rolled`]).
pub fn rolled_up(s: &Series, at: Rolled) -> RolledUp {
    RolledUp { at, of: sources(s) }
}

/// Whether two sets of sources share one.
fn same_source(a: &Sources, b: &Sources) -> bool {
    a.iter().any(|x| b.iter().any(|y| Arc::ptr_eq(x, y)))
}

/// Each region's first period with a figure of its own in `s` (`u32::MAX`: none), a
/// cell shown with its children's roll-up not counted; the earlier [`Series::own_since`]
/// where `s` has one.
pub fn own_since(s: &Series) -> Arc<Vec<u32>> {
    let rows = s.rows().max(1);
    let mut first = s.own_since.as_ref().map_or_else(|| vec![u32::MAX; rows], |o| o.as_ref().clone());
    if first.len() != rows {
        first = vec![u32::MAX; rows];
    }
    let shown = s.shown.as_ref().filter(|m| m.len() == s.data.len());
    for (p, col) in s.data.chunks(rows).enumerate() {
        for (r, v) in col.iter().enumerate() {
            let filled = shown.is_some_and(|m| m[p * rows + r]);
            if !v.is_nan() && !filled && (p as u32) < first[r] {
                first[r] = p as u32;
            }
        }
    }
    Arc::new(first)
}
