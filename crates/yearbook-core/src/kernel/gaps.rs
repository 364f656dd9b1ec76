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
/// A growth that cannot exist is no gap: none in a town's first year (it counts from its
/// first growth), none over a base of zero or below ([`Series::missing_why`]: the others'
/// mean or place is theirs); one missing because the town has not delivered, this year
/// or the year before, is (review24 01: 乙镇 增速居全县第1位 while 丙镇's was unknown).
///
/// Empty for a series not by region and period, a comparison (a mask: `sum(x > k)`
/// counts where it holds among the figures present, as COUNTIF does), or one whose
/// missing cells a formula made: a change of base or a calendar's periods. A lag's cells
/// are its source's, a period later: its gaps are.
pub fn gaps(s: &Series) -> Vec<(u32, u32)> {
    if !s.by_region || !s.by_period || s.mask || s.change_base.is_some() || s.periods_of.is_some() {
        return Vec::new();
    }
    let growth = s.rate.as_ref().is_some_and(crate::series::RateOf::is_growth);
    let view = s.kept_view();
    if view.width == 0 || view.values.len() != view.width * view.cols {
        return Vec::new();
    }
    // By slot of the view (a row of the panel where every row is kept).
    // A growth counts from its own first figure: a town's first year, with rows of its
    // own, has none.
    let since: Vec<u32> = match view.rows {
        None if !growth => super::rollup::first_values_where(s, |_| true),
        _ => {
            let mut first = vec![u32::MAX; view.width];
            for (p, col) in view.periods().enumerate() {
                for (f, v) in first.iter_mut().zip(col) {
                    if *f == u32::MAX && !v.is_nan() {
                        *f = p as u32;
                    }
                }
            }
            first
        }
    };
    if since.len() != view.width {
        return Vec::new();
    }
    let since = super::rollup::from_year_start(s, since);
    let rows = s.rows();
    let left_out = s.selected.as_deref().filter(|m| m.len() == s.data.len());
    let mut out = Vec::new();
    for (p, col) in view.periods().enumerate() {
        for (slot, v) in col.iter().enumerate() {
            if v.is_nan() && since[slot] <= p as u32 {
                let r = view.row(slot);
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
