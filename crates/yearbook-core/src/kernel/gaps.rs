//! Gaps among the regions of a level: a region that counts in a period (a figure of its
//! own earlier, a fact row of another figure then, a row listing it without one) but has
//! no value there. A statistic across the level or a rank over it would leave it out: a
//! sum comes short, a mean is of some towns only, and 甲镇 ranks first while a larger 丙镇
//! has not delivered (year22 03 and 04).

use crate::series::Series;

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
/// of zero or below ([`Series::missing_why`]: the others' mean or place is theirs). One
/// missing because the town has not delivered, this year or the year before, is: a
/// growth's cells count from its source's first period plus the growth's span
/// ([`Series::gap_since`]), so 丙镇 with 90/—/110 has gaps in both the growth's years
/// (review24 01, review25 01: 乙镇 增速居全县第1位 while 丙镇's was unknown).
///
/// A change (`diff`, `x - lag(x, 1)`) likewise: a town missing two years running leaves
/// `sum(diff(x))` missing, never the others' (review24 08).
///
/// Empty for a series not by region and period, a comparison (a mask: `sum(x > k)`
/// counts where it holds among the figures present, as COUNTIF does), or one whose
/// missing cells a formula made: a change whose source is not known, a calendar's
/// periods.
pub fn gaps(s: &Series) -> Vec<(u32, u32)> {
    // A change of base whose source is not known (its first year would count as gaps).
    let unknown_change = s.change_base.is_some() && s.gap_since.is_none();
    if !s.by_region || !s.by_period || s.mask || unknown_change || s.periods_of.is_some() {
        return Vec::new();
    }
    let growth = s.rate.as_ref().is_some_and(crate::series::RateOf::is_growth);
    let view = s.kept_view();
    if view.width == 0 || view.values.len() != view.width * view.cols {
        return Vec::new();
    }
    let rows = s.rows();
    // By row: the period each region counts from. A growth's from its source's
    // (`gap_since`); one made without it (a formula the source is not known of) from its
    // own first figure, so that a town's first year is no gap.
    let since: Vec<u32> = match s.gap_since.as_ref().filter(|g| growth && g.len() == rows) {
        Some(g) => g.to_vec(),
        None if growth => {
            let mut first = vec![u32::MAX; rows];
            for (p, col) in view.periods().enumerate() {
                for (slot, v) in col.iter().enumerate() {
                    let f = &mut first[view.row(slot)];
                    if *f == u32::MAX && !v.is_nan() {
                        *f = p as u32;
                    }
                }
            }
            super::rollup::from_year_start(s, first)
        }
        None => counted_since(s),
    };
    if since.len() != rows {
        return Vec::new();
    }
    let left_out = s.selected.as_deref().filter(|m| m.len() == s.data.len());
    let mut out = Vec::new();
    for (p, col) in view.periods().enumerate() {
        for (slot, v) in col.iter().enumerate() {
            let r = view.row(slot);
            if v.is_nan() && since[r] <= p as u32 {
                if left_out.is_some_and(|m| m.get(p * rows + r).copied().unwrap_or(false)) {
                    continue;
                }
                if growth && s.missing_why_at(r, p).is_some() {
                    continue;
                }
                out.push((p as u32, r as u32));
            }
        }
    }
    out
}

/// Each region's (row's) first period in which it counts among its level's regions: its
/// first figure, the first period a fact row names it (of another figure, or without
/// one), or the period it gave a figure before a selection took that period out
/// ([`super::rollup::first_values_where`]); over the rows a series keeps (a roll-up's
/// level), its first figure among them; `u32::MAX` where never. With months or quarters,
/// from the start of that year, as in a roll-up (a town whose 1-N月累计 starts in March
/// is a gap in January and February). A lag's and a growth's ([`Series::gap_since`]) as
/// they carry it.
pub(crate) fn counted_since(s: &Series) -> Vec<u32> {
    let rows = s.rows();
    if let Some(g) = s.gap_since.as_ref().filter(|g| g.len() == rows) {
        return g.to_vec();
    }
    let view = s.kept_view();
    let first = match view.rows {
        None => super::rollup::first_values_where(s, |_| true),
        Some(_) => {
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
    };
    super::rollup::from_year_start(s, first)
}

/// [`counted_since`] `k` periods later: the [`Series::gap_since`] of a lag or a growth of
/// `s` over `k` periods (None for a series not by region and period, or k <= 0).
pub(crate) fn since_after(s: &Series, k: i64) -> Option<std::sync::Arc<Vec<u32>>> {
    if !s.by_region || !s.by_period || s.mask || k <= 0 {
        return None;
    }
    let k = u32::try_from(k).ok()?;
    Some(std::sync::Arc::new(counted_since(s).into_iter().map(|f| f.saturating_add(k)).collect()))
}

/// The later of two sides' [`Series::gap_since`], region by region (`x / lag(x, 1)`: the
/// lag's, a period after x's); either one where the other has none.
pub(crate) fn later_since(a: &Series, b: &Series) -> Option<std::sync::Arc<Vec<u32>>> {
    match (&a.gap_since, &b.gap_since) {
        (Some(x), Some(y)) if x.len() == y.len() => Some(std::sync::Arc::new(x.iter().zip(y.iter()).map(|(p, q)| (*p).max(*q)).collect())),
        (Some(x), None) if a.by_region && a.by_period => Some(x.clone()),
        (None, Some(y)) if b.by_region && b.by_period => Some(y.clone()),
        _ => None,
    }
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
    format!("{}{more} in {}", names.join(", "), s.axes.periods.get(p as usize))
}
