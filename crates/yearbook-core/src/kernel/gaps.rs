//! Gaps among the regions of a level: a region that counts in a period (a figure of its
//! own earlier, a fact row of another figure then, a row listing it without one) but has
//! no value there. A statistic across the level or a rank over it would leave it out: a
//! sum comes short, a mean is of some towns only, and 甲镇 ranks first while a larger 丙镇
//! has not delivered (year22 03 and 04).

use crate::series::{GapOrigin, GapRead, Series};
use std::sync::Arc;

/// The gaps of `s` as (period, region) pairs, period by period, over the rows `s` keeps
/// (a roll-up's level). A region counts from its first figure, from the first period a
/// fact row names it (of another figure, or without one), or from the period it gave a
/// figure before a selection took that period out ([`super::rollup::first_values_where`]);
/// over kept rows, from its first figure among them. Never a cell a selection left out
/// on purpose (`only`, `top`, [`Series::selected`]).
///
/// With months or quarters a region counts from the start of the year it first reports
/// in, as in a roll-up: a town whose 1-N月累计 starts in March is a gap in January and
/// February (its March figure holds them).
///
/// A growth that cannot exist is no gap: none in a town's first year, none over a base
/// of zero or below (every figure it reads is there: the others' mean or place is
/// theirs). One missing because the town has not delivered, this year or the year
/// before, is: a lag's, a growth's or a change's cells are gaps where a cell of its source
/// they read is ([`Series::gap_origin`]), so 丙镇 with 90/—/110/120 has gaps in both the
/// growth's years (review24 01, review25 01: 乙镇 增速居全县第1位 while 丙镇's was unknown),
/// and a town missing two years running leaves `sum(diff(x))` missing (review24 08).
///
/// Empty for a series not by region and period, a comparison (a mask: `sum(x > k)`
/// counts where it holds among the figures present, as COUNTIF does), or one whose
/// missing cells a formula made: a change whose source is not known, a calendar's
/// periods.
pub fn gaps(s: &Series) -> Vec<(u32, u32)> {
    // A change of base whose source is not known (its first year would count as gaps).
    let unknown_change = s.change_base.is_some() && s.gap_origin.is_none();
    if !s.by_region || !s.by_period || s.mask || unknown_change || s.periods_of.is_some() {
        return Vec::new();
    }
    let growth = s.rate.as_ref().is_some_and(crate::series::RateOf::is_growth);
    let view = s.kept_view();
    if view.width == 0 || view.values.len() != view.width * view.cols {
        return Vec::new();
    }
    let rows = s.rows();
    let left_out = s.selected.as_deref().filter(|m| m.len() == s.data.len());
    let kept_out = |p: usize, r: usize| left_out.is_some_and(|m| m.get(p * rows + r).copied().unwrap_or(false));
    // What each cell reads: its source's cells where it knows them (a lag, a growth, a
    // change), else its own, counted from its first period ([`counted_since`]; a growth
    // of no known source from its own first figure, so that a town's first year is no
    // gap, and never over a base of zero or below).
    let known = s
        .gap_origin
        .as_deref()
        .filter(|o| !o.reads.is_empty() && o.reads.iter().all(|g| g.source.len() == rows * view.cols && g.since.len() == rows));
    let own;
    let (o, why) = match known {
        Some(o) => (o, false),
        None => {
            let since = if growth { super::rollup::from_year_start(s, first_figures(&view, rows)) } else { counted_since(s) };
            if since.len() != rows {
                return Vec::new();
            }
            own = GapOrigin { reads: vec![GapRead { source: s.data.clone(), since: Arc::new(since), back: vec![0] }] };
            (&own, growth)
        }
    };
    let mut out = Vec::new();
    for (p, col) in view.periods().enumerate() {
        for (slot, v) in col.iter().enumerate() {
            let r = view.row(slot);
            let read_gap = || {
                o.reads.iter().any(|g| {
                    g.back.iter().any(|&b| {
                        let Some(q) = read_at(p, b, view.cols) else { return false };
                        g.since[r] <= q as u32 && g.source.cell(q * rows + r).is_nan()
                    })
                })
            };
            if v.is_nan() && !kept_out(p, r) && read_gap() && !(why && s.missing_why_at(r, p).is_some()) {
                out.push((p as u32, r as u32));
            }
        }
    }
    out
}

/// The period that period `p` reads `back` periods back (a lead: later), where it is one
/// of the `cols` periods.
fn read_at(p: usize, back: i32, cols: usize) -> Option<usize> {
    usize::try_from(p as i64 - i64::from(back)).ok().filter(|&q| q < cols)
}

/// Each row's first period with a figure among the rows `view` keeps (`u32::MAX`: none).
fn first_figures(view: &crate::series::KeptView<'_>, rows: usize) -> Vec<u32> {
    let mut first = vec![u32::MAX; rows];
    for (p, col) in view.periods().enumerate() {
        for (slot, v) in col.iter().enumerate() {
            if let Some(f) = first.get_mut(view.row(slot))
                && *f == u32::MAX
                && !v.is_nan()
            {
                *f = p as u32;
            }
        }
    }
    first
}

/// Each region's (row's) first period in which it counts among its level's regions: its
/// first figure, the first period a fact row names it (of another figure, or without
/// one), or the period it gave a figure before a selection took that period out
/// ([`super::rollup::first_values_where`]); over the rows a series keeps (a roll-up's
/// level), its first figure among them; `u32::MAX` where never. With months or quarters,
/// from the start of that year, as in a roll-up (a town whose 1-N月累计 starts in March
/// is a gap in January and February).
pub(crate) fn counted_since(s: &Series) -> Vec<u32> {
    let rows = s.rows();
    let view = s.kept_view();
    let first = match view.rows {
        None => super::rollup::first_values_where(s, |_| true),
        Some(_) => first_figures(&view, rows),
    };
    super::rollup::from_year_start(s, first)
}

/// What `s`'s cells read, as a [`GapOrigin`]: its own, or `s` itself at 0 periods back.
fn origin_of(s: &Series) -> Option<GapOrigin> {
    if !s.by_region || !s.by_period || s.mask {
        return None;
    }
    if let Some(o) = &s.gap_origin {
        return Some(o.as_ref().clone());
    }
    let since = counted_since(s);
    (since.len() == s.rows()).then(|| GapOrigin { reads: vec![GapRead { source: s.data.clone(), since: Arc::new(since), back: vec![0] }] })
}

/// The [`Series::gap_origin`] of a lag of `s` over `k` periods (`change`: false; a lead
/// where k < 0: `sum(lag(gdp, -1))` is missing where a town has not delivered next
/// year's figure, review30 03), or of a growth or change over them (true, k > 0: it reads
/// both periods). None for a series not by region and period, or k = 0.
pub(crate) fn origin_after(s: &Series, k: i64, change: bool) -> Option<Arc<GapOrigin>> {
    let k = i32::try_from(k).ok().filter(|&k| k > 0 || (k < 0 && !change))?;
    let mut o = origin_of(s)?;
    for g in &mut o.reads {
        let later: Vec<i32> = g.back.iter().map(|b| b.saturating_add(k)).collect();
        if change {
            g.back.extend(later);
        } else {
            g.back = later;
        }
        g.back.sort_unstable();
        g.back.dedup();
    }
    Some(Arc::new(o))
}

/// The [`Series::gap_origin`] of `a op b` where a side has one (a lag, a growth, a
/// change): the sources both sides read (`x / lag(x, 1) - 1`: x now and a period back;
/// `x * 10000 - lag(x, 1) * 10000`: x * 10000 now, x a period back). One side's where the
/// other is a number; None where neither side has one.
pub(crate) fn joined_origin(a: &Series, b: &Series) -> Option<Arc<GapOrigin>> {
    match (a.is_scalar(), b.is_scalar()) {
        (false, true) => return a.gap_origin.clone(),
        (true, false) => return b.gap_origin.clone(),
        (true, true) => return None,
        _ => {}
    }
    if a.gap_origin.is_none() && b.gap_origin.is_none() {
        return None;
    }
    let (x, y) = (origin_of(a)?, origin_of(b)?);
    let mut reads = x.reads;
    for g in y.reads {
        match reads.iter_mut().find(|h| Arc::ptr_eq(&h.source, &g.source)) {
            Some(h) => {
                h.back.extend(g.back);
                h.back.sort_unstable();
                h.back.dedup();
            }
            None => reads.push(g),
        }
    }
    Some(Arc::new(GapOrigin { reads }))
}

/// The regions of `gaps` (as pairs from [`gaps`]) named for a note: up to three, with
/// the count of the others, and the period of the first.
pub(crate) fn named(s: &Series, gaps: &[(u32, u32)]) -> String {
    let Some(&(p, _)) = gaps.first() else { return String::new() };
    let mut names: Vec<&str> = Vec::new();
    let mut others = 0;
    for &(_, r) in gaps.iter().filter(|(q, _)| *q == p) {
        if names.len() < 3 {
            names.push(s.axes.regions.label(r));
        } else {
            others += 1;
        }
    }
    let more = if others > 0 { format!(" and {others} more") } else { String::new() };
    // A lag's, a growth's or a change's gap is a figure of an earlier period it reads
    // (review27 04: `lag(gdp, 1)` in 2019 reads 丙镇's missing 2018 figure): that period is
    // named, where every region of the period reads the same one.
    // Read region by region until one differs (a period may hold thousands of gaps).
    let mut read = gaps.iter().filter(|(q, _)| *q == p).map(|&(_, r)| read_period(s, p, r));
    let first = read.next().flatten();
    let earlier = match first {
        Some(q) if q != p && read.all(|x| x == Some(q)) => {
            let whose = if names.len() == 1 && others == 0 { "its" } else { "their" };
            format!(", which reads {whose} {} figure", s.axes.periods.get(q as usize))
        }
        _ => String::new(),
    };
    format!("{}{more} in {}{earlier}", names.join(", "), s.axes.periods.get(p as usize))
}

/// The period of the missing source cell that makes cell (period `p`, row `r`) of `s` a
/// gap ([`Series::gap_origin`]): `p` itself where a figure of it is missing, else the
/// earliest read; None where its source is not known.
fn read_period(s: &Series, p: u32, r: u32) -> Option<u32> {
    let o = s.gap_origin.as_deref()?;
    let (rows, cols) = (s.rows(), s.cols());
    o.reads
        .iter()
        .filter(|g| g.since.len() == rows && g.source.len() == rows * cols)
        .flat_map(|g| {
            g.back.iter().filter_map(move |&b| {
                let q = read_at(p as usize, b, cols)? as u32;
                (g.since[r as usize] <= q && g.source.cell(q as usize * rows + r as usize).is_nan()).then_some(q)
            })
        })
        .min_by_key(|&q| if q == p { 0 } else { u64::from(q) + 1 })
}
