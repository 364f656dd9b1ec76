//! Roll-up along the region tree: each target region adds up (or averages, or weighs)
//! the figures of the regions below it that report: a region's own figure where it has
//! one, else what its own children report (a town's own GDP, not its villages' partial
//! sum; a town without one, its villages'). Ratios are recomputed from their rolled-up
//! components, never summed. A sum is never short: a total is missing when a region that
//! has reported the figure before has none in this period (a late delivery, a gap), with
//! a note naming it.

use super::KResult;
use super::arith::{Op, binary, convert};
use crate::error::Fault;
use crate::region::NONE;
use crate::series::{Agg, Series};

/// Rolls `s` up to `level`; the result has values only at regions of that level. Below a
/// target, the regions that count are those with a figure of their own and no ancestor
/// under the target that has one (see the module doc). A sum is missing where such a
/// region that reported before has no value.
pub fn rollup(s: &Series, level: u8) -> KResult<Series> {
    rollup_with(s, level, false)
}

/// [`rollup`], or with `reported_only` the sum of the values present, as SQL's `SUM`
/// does (a late delivery then lowers the total: for comparisons with such tools).
pub fn rollup_with(s: &Series, level: u8, reported_only: bool) -> KResult<Series> {
    // A rounded series: its unrounded values rolled up, the totals rounded (round(4.2),
    // not the sum of the towns' rounded figures).
    if let Some(r) = &s.rounded {
        return Ok(rounded_as(rollup_with(&r.source, level, reported_only)?, s));
    }
    // A ratio declared a mean (`qty / pop`, rollup = "mean" or "weighted_mean(pop)"): its
    // parts rolled up and divided again, as a region made of its children is shown
    // (`as_shown`) and as rules at that level read it; the declared mean of the ratios
    // gave the county another figure (8.33 where its rules read 30 / 4 = 7.5).
    if let (Some(parts), Agg::Mean | Agg::Weighted(_)) = (&s.parts, &s.agg) {
        let ratio = Series { agg: Agg::Ratio(parts.clone()), parts: None, ..s.clone() };
        return rollup_with(&ratio, level, reported_only);
    }
    // Values keep the power of ten written into them (a sum of `x * 100` is the sum
    // times 100).
    let mut out = rolled(s, level, reported_only)?;
    note_nothing_below(s, &out, level);
    // Each target's value is its children's roll-up: set against the target shown with
    // that same roll-up, it is compared with itself (see `itself`).
    out.rolled = Some(super::itself::rolled_up(s, crate::series::Rolled::Level(level)));
    out.scaled_by = s.scaled_by;
    out.scaled_pow = s.scaled_pow;
    out.pending = s.pending.clone();
    // The towns' 1-N月累计 add up to the county's; their targets to its target.
    out.spread = s.spread;
    Ok(out)
}

/// A roll-up with no value although its input has some: no region below a region of
/// `level` has a figure (`rollup(gdp, "town")` of towns' own figures). Said, with the
/// levels the figures are at, rather than an empty table.
fn note_nothing_below(s: &Series, out: &Series, level: u8) {
    if out.data.present() > 0 {
        return;
    }
    let regions = &s.axes.regions;
    let rows = s.rows();
    let anc = s.axes.ancestors(level);
    let mut at = std::collections::BTreeSet::new();
    for p in 0..s.cols() {
        for (r, v) in s.data[p * rows..(p + 1) * rows].iter().enumerate() {
            if !v.is_nan() {
                // A region below a target has it: the totals are missing for another
                // reason (a gap, weights adding up to 0), said in its own note.
                if regions.level[r] > level && anc[r] != NONE {
                    return;
                }
                at.insert(regions.level[r]);
            }
        }
    }
    if at.is_empty() {
        return;
    }
    let name = |l: u8| regions.levels.get(l as usize).map_or("?", String::as_str);
    let levels: Vec<&str> = at.iter().map(|&l| name(l)).collect();
    let above: Vec<&str> = (0..level).map(name).collect();
    let instead = match above.last() {
        Some(up) => format!("; roll up to a level above it ({up}), or use the series itself"),
        None => "; use the series itself".to_string(),
    };
    super::note(format!(
        "rollup to {}: no value, because no region below a {} has this figure (its figures are of {}): a roll-up adds the \
         regions below each target, never the target's own figure{instead}",
        name(level),
        name(level),
        levels.join(", ")
    ));
}

/// The weighted means left missing because their regions' weights add up to 0 (all
/// zero, or opposite signs): said by target and period, in place of "no region below".
fn note_zero_weights(s: &Series, mut cells: Vec<(usize, u32)>) {
    if cells.is_empty() {
        return;
    }
    cells.sort_unstable();
    let shown: Vec<String> = cells.iter().take(3).map(|&(p, t)| format!("{} {}", s.axes.regions.label(t), s.axes.periods.get(p))).collect();
    let more = if cells.len() > 3 { format!(" (and {} more)", cells.len() - 3) } else { String::new() };
    super::note(format!(
        "rollup: {} weighted mean(s) left missing because the weights of the regions below add up to 0 ({}{more}): a mean \
         weighted by nothing has no value; check the weight, or use rollup with \"mean\" for the plain mean",
        cells.len(),
        shown.join("; ")
    ));
}

/// `src`, made from a rounded series' source (its roll-up, its formula over what a
/// report shows), rounded and scaled as `like` is, in `like`'s unit and roll-up rule;
/// `src` itself when `like` is not rounded.
pub fn rounded_as(src: Series, like: &Series) -> Series {
    let Some(r) = &like.rounded else { return src };
    let (d, f) = (r.digits, r.factor);
    let source = src.clone();
    let mut out = super::arith::map_keeping(src, like.unit.clone(), like.agg.clone(), move |x| crate::format::round_decimal(x, d) * f);
    out.scaled_by = like.scaled_by;
    out.scaled_pow = like.scaled_pow;
    out.pending = like.pending.clone();
    out.rounded = Some(std::sync::Arc::new(crate::series::Rounded { source, digits: d, factor: f }));
    out
}

/// [`rollup_with`] before the series' rounding is applied.
fn rolled(s: &Series, level: u8, reported_only: bool) -> KResult<Series> {
    if !s.by_region {
        return Err(Fault::type_("rollup needs a series over regions; this one was aggregated across regions"));
    }
    s.same_periods("rollup")?;
    match &s.agg {
        Agg::None(reason) => Err(reason.to_string().into()),
        Agg::Ratio(nd) if !nd.0.by_region || !nd.1.by_region => Err(Fault::type_(
            "the result of `/` does not roll up: one side is no series over regions (a number, or a total across regions \
             such as sum(x)); roll up the series first and divide after, or define it as an indicator with a rollup rule \
             (sum, mean, weighted_mean(x))",
        )),
        Agg::Ratio(nd) => {
            let mut num = rollup_with(&nd.0, level, reported_only)?;
            let mut den = rollup_with(&nd.1, level, reported_only)?;
            // Parts over different regions are `unmatched_parts`', which names the region;
            // parts over one area are like (a town by its own figure and by its villages).
            let (nc, dc) = (num.counts.take(), den.counts.take());
            let like = |cell: usize| match (nc.as_ref().and_then(|c| c.get(cell)), dc.as_ref().and_then(|c| c.get(cell))) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            };
            let mut out = convert(binary(num.clone(), den.clone(), Op::Div)?, &s.unit)?;
            out.agg = s.agg.clone();
            unmatched_parts(&nd.0, &nd.1, level, &mut out, &like);
            // Parts over different areas that no one-sided region names: missing too.
            (num.counts, den.counts) = (nc.clone(), dc.clone());
            let shape = (out.rows(), out.cols(), out.by_region, out.by_period);
            let mut data = out.data.to_full();
            if super::unlike::compare(&num, &den, &mut data, shape) > 0 {
                let basis = out.basis.clone();
                out = out.with(data, out.unit.clone(), out.agg.clone());
                out.basis = basis;
            }
            out.counts = crate::kernel::unlike::both_counts(nc, dc);
            Ok(out)
        }
        Agg::Sum | Agg::Mean | Agg::Weighted(_) => {
            // A region with a weight and no value (丙镇 with an output and no price row)
            // is a gap in the mean, as a region listed without its value is: the mean of
            // the others would leave its weight out (17.5元/吨 for the county's 104吨).
            let gaps_by_weight;
            let s = match &s.agg {
                Agg::Weighted(w) if w.by_region == s.by_region && w.by_period == s.by_period && super::arith::plain_gaps(s) => {
                    match super::arith::lacking(s, w, false) {
                        Some(more) => {
                            gaps_by_weight = Series { listed: super::arith::merge_listed(s.listed.clone(), Some(more)), ..s.clone() };
                            &gaps_by_weight
                        }
                        None => s,
                    }
                }
                _ => s,
            };
            let regions = &s.axes.regions;
            let rows = s.rows();
            let anc = s.axes.ancestors(level);
            let rep = reporters(s, level);
            let weights = match &s.agg {
                Agg::Weighted(w) => {
                    if !w.by_region || w.by_period != s.by_period {
                        return Err("the weight of a weighted mean must be a series over the same regions and periods".into());
                    }
                    Some(w.clone())
                }
                _ => None,
            };
            // The regions of the target level, and each one's place among them: the
            // accumulators hold one slot per target (2,857 counties), not per region.
            let targets: Vec<usize> = (0..rows).filter(|&r| regions.level[r] == level).collect();
            let mut slot = vec![NONE; rows];
            for (k, &t) in targets.iter().enumerate() {
                slot[t] = k as u32;
            }
            // The (row, target slot) pairs that contribute, listed once: the per-period
            // loop then touches only those rows.
            let pairs: Vec<(u32, u32)> = (0..rows)
                .filter(|&r| rep.start[r] != u32::MAX && anc[r] != NONE && slot[anc[r] as usize] != NONE)
                .map(|r| (r as u32, slot[anc[r] as usize]))
                .collect();
            // A region with a figure but no weight of its own whose children have theirs (a
            // town's own rate over its villages' population): its weight is their roll-up,
            // as its report shows it, not a gap that leaves the town out.
            let weights = weights.map(|w| {
                // Period by period, over contiguous cells (a check on every weighted roll-up).
                let unweighted = (0..s.cols()).any(|p| {
                    pairs.iter().any(|&(r, _)| {
                        let i = p * rows + r as usize;
                        !s.data.cell(i).is_nan() && w.data.cell(i).is_nan()
                    })
                });
                if unweighted { std::sync::Arc::new(as_shown(&w, |_| true)) } else { w }
            });
            // Which regions each total adds (`Series::counts`): their areas' signatures,
            // summed beside the values.
            let areas = s.axes.areas();
            let until = &rep.until;
            let n_targets = targets.len();
            // Only the targets' rows are kept: a county roll-up of 160,000 towns holds
            // 11,428 rows, not 171,459 (crate::cells).
            let cols = s.cols();
            let mut out = vec![f64::NAN; n_targets * cols];
            let mut sig = vec![0u64; n_targets * cols];
            let data = &s.data;
            let is_sum = matches!(s.agg, Agg::Sum);
            // Each child's first period with this figure: missing from then on (a late
            // delivery, a gap), it makes its ancestor's sum or mean unknown, not smaller
            // or shifted to the others'. Before it first reports (a town set up later),
            // it is not counted. With months or quarters, from the start of that year: a
            // town whose 1-N月累计 starts in March is missing in January, not absent
            // (a county total without it would be a partial base for 累计同比). Under
            // "reported" a missing value is no gap: `Visit::gaps_from` is u32::MAX.
            // The period each region first reports, whether or not its gaps count.
            let started = |r: u32| rep.start.get(r as usize).map_or(usize::MAX, |&f| if f == u32::MAX { usize::MAX } else { f as usize });
            let short = std::sync::Mutex::new(Vec::<(usize, u32, u32)>::new());
            // Weighted means whose regions have values but weights that add up to 0.
            let zero_weights = std::sync::Mutex::new(Vec::<(usize, u32)>::new());
            // Under "reported", a town that has not delivered is left out of the sum, so
            // a total counts another set of towns from each period its town's presence
            // changes in (a gap, a return): yoy across it said -56% without a word.
            // Against the data's period before, not the calendar's (census years 2010,
            // 2015, 2020: 甲镇 is no gap in 2011). Found period by period in the loop
            // below, over contiguous cells (a region's periods lie a column apart).
            let of_data: Vec<bool> = if reported_only {
                (0..cols).map(|p| data[p * rows..(p + 1) * rows].iter().any(|v| !v.is_nan())).collect()
            } else {
                Vec::new()
            };
            // Each period's data period before it (usize::MAX: none).
            let data_before: Vec<usize> = (0..of_data.len())
                .scan(usize::MAX, |last, p| {
                    let before = *last;
                    if of_data[p] {
                        *last = p;
                    }
                    Some(before)
                })
                .collect();
            let entered = std::sync::Mutex::new(Vec::<(u32, u32, u32)>::new());
            // What the per-period loop reads of each contributing row, side by side: the
            // row, its target's slot, its first period (u32::MAX: never), the period an
            // ancestor stands for it from, the period its gaps count from, and its area.
            let visits: Vec<Visit> = pairs
                .iter()
                .map(|&(r, a)| {
                    let start = rep.start[r as usize];
                    Visit {
                        r,
                        a,
                        start,
                        until: until[r as usize],
                        gaps_from: if reported_only { u32::MAX } else { start },
                        area: areas[r as usize],
                    }
                })
                .collect();
            let whole: &[f64] = data;
            // Periods are independent: each gets its own accumulators, on all cores.
            super::par_periods_signed(&mut out, &mut sig, n_targets, s.data.len(), |p, dst, signed| {
                let col = &whole[p * rows..(p + 1) * rows];
                let pu = p as u32;
                // Under "reported", in a period of the data: the data's period before
                // (usize::MAX: none), whose cells each row's presence is compared with.
                let detect = of_data.get(p) == Some(&true);
                let before = if detect { data_before[p] } else { usize::MAX };
                let mut found = Vec::new();
                // A row whose presence differs from the period before's, from its first
                // period on (against that one where the data's period before is earlier).
                let mut compare = |v: &Visit, missing_now: bool| {
                    // (u32::MAX: never counted.)
                    if detect && pu > v.start {
                        let b = if before == usize::MAX { v.start as usize } else { before.max(v.start as usize) };
                        if missing_now != whole[b * rows + v.r as usize].is_nan() {
                            found.push((targets[v.a as usize] as u32, pu, v.r));
                        }
                    }
                };
                let mut acc = vec![0.0f64; n_targets];
                let mut den = vec![0.0f64; n_targets];
                let mut gap = vec![NONE; n_targets];
                let mut weighed = vec![false; n_targets];
                match &weights {
                    None => {
                        // One target's sum, count, signature and gap side by side: a row
                        // touches one cache line of them, not four (towns of a county
                        // are seldom listed together).
                        #[derive(Clone, Copy)]
                        struct Target {
                            sum: f64,
                            n: f64,
                            sig: u64,
                            gap: u32,
                        }
                        let mut at = vec![Target { sum: 0.0, n: 0.0, sig: 0, gap: NONE }; n_targets];
                        for v in &visits {
                            if pu >= v.until {
                                continue;
                            }
                            let x = col[v.r as usize];
                            let t = &mut at[v.a as usize];
                            if !x.is_nan() {
                                t.sum += x;
                                t.n += 1.0;
                                t.sig = t.sig.wrapping_add(v.area);
                            } else if pu >= v.gaps_from && t.gap == NONE {
                                t.gap = v.r;
                            }
                            compare(v, x.is_nan());
                        }
                        for (k, t) in at.iter().enumerate() {
                            (acc[k], den[k], gap[k]) = (t.sum, t.n, t.gap);
                            signed[k] = signed[k].wrapping_add(t.sig);
                        }
                    }
                    Some(w) => {
                        let wcol = &w.data[p * rows..(p + 1) * rows];
                        for v in &visits {
                            if pu >= v.until {
                                continue;
                            }
                            let (r, a) = (v.r as usize, v.a as usize);
                            let (x, wv) = (col[r], wcol[r]);
                            if !x.is_nan() && !wv.is_nan() {
                                signed[a] = signed[a].wrapping_add(v.area);
                                acc[a] += x * wv;
                                den[a] += wv;
                                weighed[a] = true;
                            } else if pu >= v.gaps_from && gap[a] == NONE {
                                gap[a] = v.r;
                            }
                            compare(v, x.is_nan());
                        }
                    }
                }
                if !found.is_empty()
                    && let Ok(mut e) = entered.lock()
                {
                    e.extend(found);
                }
                for (k, &t) in targets.iter().enumerate() {
                    if gap[k] != NONE && den[k] != 0.0 {
                        if let Ok(mut v) = short.lock() {
                            v.push((p, t as u32, gap[k]));
                        }
                    } else if den[k] != 0.0 {
                        dst[k] = if is_sum { acc[k] } else { acc[k] / den[k] };
                    } else if weighed[k]
                        && gap[k] == NONE
                        && let Ok(mut z) = zero_weights.lock()
                    {
                        z.push((p, t as u32));
                    }
                }
            });
            note_zero_weights(s, zero_weights.into_inner().unwrap_or_else(|e| e.into_inner()));
            let mut short = short.into_inner().unwrap_or_else(|e| e.into_inner());
            if !short.is_empty() {
                short.sort_unstable();
                let shown: Vec<String> = short
                    .iter()
                    .take(3)
                    .map(|&(p, t, r)| {
                        let i = p * rows + r as usize;
                        let what = match &weights {
                            Some(w) if s.data.cell(i).is_nan() && !w.data.cell(i).is_nan() => "has a weight and no value",
                            Some(w) if w.data.cell(i).is_nan() && !s.data.cell(i).is_nan() => "has a value and no weight",
                            _ => "has no value",
                        };
                        format!("{} {}: {} {what}", regions.label_unique(t), s.axes.periods.get(p), regions.label_unique(r))
                    })
                    .collect();
                let more = if short.len() > 3 { format!(" (and {} more)", short.len() - 3) } else { String::new() };
                if is_sum {
                    // A 1-N月累计 filled with 0 would fall: its 当月 is what to fill.
                    let fill = if s.spread.is_some_and(|sp| sp.is_cumulative()) {
                        "A 1-N月累计 is not 0 where a region has none (fill(s, 0) would take it back to 0): ask for the missing figure, \
                         or, for a region that stopped reporting in the year, use rollup(cumulate(fill(month_of(s), 0)), level), which \
                         counts its months after as nothing new"
                    } else {
                        "Use fill(s, 0) before rollup to count a missing region as 0"
                    };
                    super::note(format!(
                        "rollup: {} total(s) left missing because a region in it has no value in that period ({}{more}): it reported this \
                         figure before, is listed without it, has rows of other figures then, or has some of the figures the value is \
                         computed from, so the sum of the others would be short. {fill}; rollup(s, level, \"reported\") gives the \
                         total of the regions present",
                        short.len(),
                        shown.join("; ")
                    ));
                } else {
                    let weight = if weights.is_some() { " (or no weight)" } else { "" };
                    super::note(format!(
                        "rollup: {} mean(s) left missing because a region in it has no value{weight} in that period ({}{more}): it \
                         reported this figure before, is listed without it, has rows of other figures then, has a weight, or has some \
                         of the figures the value is computed from, so the mean of the others would leave it out. Use rollup(s, level, \"reported\") for the \
                         mean of the regions present",
                        short.len(),
                        shown.join("; ")
                    ));
                }
            }
            let kept: std::sync::Arc<[u32]> = targets.iter().map(|&t| t as u32).collect();
            let counts = crate::counts::Counts::on_rows(kept.clone(), rows, cols, sig);
            let mut res = s.with_cells(crate::cells::Cells::on_rows(kept, rows, cols, out), s.unit.clone(), s.agg.clone());
            res.mask = s.mask;
            res.counts = Some(std::sync::Arc::new(counts));
            // A total counts from the first period any region in it does (a town with rows
            // of other figures, the start of its year): missing then or later, it is a gap
            // of its level, and so is the growth over it (乙县's 2017 total missing for
            // 丑镇: its 2018 growth is unknown, not left out of the ranks).
            let mut since = vec![u32::MAX; rows];
            for &(r, a) in &pairs {
                let t = targets[a as usize];
                since[t] = since[t].min(rep.start[r as usize]);
            }
            res.gap_origin = Some(std::sync::Arc::new(crate::series::GapOrigin {
                reads: vec![crate::series::GapRead { source: res.data.clone(), since: std::sync::Arc::new(since), back: vec![0] }],
            }));
            // Totals that first count a region which had not reported before: a change
            // across them would compare different sets of regions (yoy, diff see these).
            // (A town that starts reporting its own total where its villages did is no
            // entry: the area was counted before.)
            let mut entries: Vec<(u32, u32, u32)> = pairs
                .iter()
                // (Under "reported" too: its totals are partial sums, and a change across
                // one that first counts a town is noted; see `Basis::as_summed`.)
                .filter(|&&(r, _)| {
                    let f = started(r);
                    f != usize::MAX && f > 0 && (f as u32) < until[r as usize] && rep.below_from[r as usize] >= f as u32
                })
                .map(|&(r, a)| (targets[a as usize] as u32, started(r) as u32, r))
                .collect();
            // Under "reported", the totals whose set of towns changed (found above).
            entries.extend(entered.into_inner().unwrap_or_else(|e| e.into_inner()));
            if !entries.is_empty() {
                entries.sort_unstable();
                entries.dedup_by_key(|e| (e.0, e.1));
                res.basis = Some(std::sync::Arc::new(crate::series::Basis {
                    source: s.clone(),
                    level,
                    entries,
                    steps: Vec::new(),
                    lost: None,
                    as_summed: reported_only,
                }));
            }
            Ok(res)
        }
    }
}

/// The cells (period-major, as the series' data) of regions that have no figure of their
/// own while a region below them has one in that period; None when there are none.
/// Such a region is made of its children (a county of its towns): not unreported, so
/// neither a missing-value policy nor `fill` gives it a figure, and `is_missing` is false
/// there; a roll-up takes its children's figures.
pub fn made_of_children(s: &Series) -> Option<Vec<bool>> {
    // Carried through a cell-wise operation (`where`, `abs`, `map`) that drops the rule.
    if let Some(m) = s.made_of.as_ref().filter(|m| m.len() == s.data.len()) {
        return m.iter().any(|&b| b).then(|| m.to_vec());
    }
    // A figure that does not roll up (a rate without a rule) is not made of its
    // children: a county without it has none.
    if !s.by_region || matches!(s.agg, Agg::None(_)) || s.rows() == 0 {
        return None;
    }
    below_reported(s)
}

/// The cells of regions without a figure of their own while a region below them has one
/// in that period, whatever `s`'s roll-up rule; None when there are none.
fn below_reported(s: &Series) -> Option<Vec<bool>> {
    if !s.by_region || s.rows() == 0 {
        return None;
    }
    let rows = s.rows();
    if rows != s.axes.regions.len() || !s.data.len().is_multiple_of(rows) {
        return None;
    }
    // The regions with children, deepest first, each with its children (computed once
    // per workspace): this runs on every lag, diff and yoy of a series over regions.
    let walk = s.axes.walk();
    let mut keep = vec![false; s.data.len()];
    let mut any = false;
    // Whether a region below each one has a figure (only set for regions with children).
    let mut below = vec![false; rows];
    for (col, kp) in s.data.chunks(rows).zip(keep.chunks_mut(rows)) {
        // Deepest first: a child's mark is set before its parent reads it; the first
        // child with a figure (mostly the first child) settles it.
        for (k, &r) in walk.upward.iter().enumerate() {
            below[r as usize] = walk.children_of(k).iter().any(|&c| below[c as usize] || !col[c as usize].is_nan());
        }
        for &r in &walk.inner {
            let r = r as usize;
            let m = below[r] && col[r].is_nan();
            kp[r] = m;
            any |= m;
        }
    }
    any.then_some(keep)
}

/// Marks in `out` (made by a cell-wise operation of `inputs` that keeps their shape, such
/// as `where`, `abs` or `map`) the missing cells that are made of children in an input of
/// the same shape ([`made_of_children`], [`Series::made_of`]): `fill` leaves them missing
/// and `is_missing` is false there, as for the input itself.
pub fn keep_made_of(inputs: &[&Series], out: &mut Series) {
    let marks = made_of_inputs(inputs, out.by_region, out.by_period, out.data.len());
    set_made_of(out, marks);
}

/// The cells made of children in any of `inputs` that have the shape of a result over
/// regions (`by_period` as given, `len` cells); read before an operation reuses an
/// input's values for its result (then they are gone from the input).
pub fn made_of_inputs(inputs: &[&Series], by_region: bool, by_period: bool, len: usize) -> Option<Vec<bool>> {
    if !by_region {
        return None;
    }
    let mut keep: Option<Vec<bool>> = None;
    for s in inputs {
        if !s.by_region || s.by_period != by_period || s.data.len() != len || s.data.kept().is_some() {
            continue;
        }
        if let Some(m) = made_of_children(s) {
            match &mut keep {
                None => keep = Some(m),
                Some(k) => k.iter_mut().zip(m).for_each(|(k, m)| *k |= m),
            }
        }
    }
    keep
}

/// Sets `out`'s cells made of children to `marks` where `out` is missing (a figure there
/// is the operation's own).
pub fn set_made_of(out: &mut Series, marks: Option<Vec<bool>>) {
    let keep = marks.filter(|m| m.len() == out.data.len()).map(|mut m| {
        m.iter_mut().zip(out.data.iter()).for_each(|(k, v)| *k &= v.is_nan());
        m
    });
    out.made_of = keep.filter(|k| k.iter().any(|&b| b)).map(std::sync::Arc::new);
}

/// [`keep_made_of`] for `out` made of `s` and `s` `k` periods earlier (`lag`, `diff`,
/// `yoy`): a missing cell of a region made of its children in either period stays so
/// (`fill(lag(gdp, 1), 0)` leaves a county of towns missing, as `fill(gdp, 0)` does).
pub fn keep_made_of_lagged(s: &Series, k: i64, out: &mut Series) {
    // A series kept on some rows (a roll-up's level) has no region made of its children.
    if !out.by_region || !s.by_region || s.data.len() != out.data.len() || s.data.kept().is_some() {
        return;
    }
    let Some(m) = made_of_children(s) else { return };
    let rows = s.rows().max(1);
    let mut keep = vec![false; out.data.len()];
    let mut any = false;
    // Only a region with children is ever made of them (`below_reported`).
    let inner = &s.axes.walk().inner;
    for (p, (kp, vp)) in keep.chunks_mut(rows).zip(out.data.chunks(rows)).enumerate() {
        let now = &m[p * rows..(p * rows + rows).min(m.len())];
        let then = usize::try_from(p as i64 - k).ok().and_then(|q| m.get(q * rows..q * rows + rows));
        for &r in inner {
            let r = r as usize;
            if let (Some(k_out), Some(v)) = (kp.get_mut(r), vp.get(r))
                && v.is_nan()
            {
                *k_out = now.get(r).copied().unwrap_or(false) || then.is_some_and(|t| t[r]);
                any |= *k_out;
            }
        }
    }
    out.made_of = any.then(|| std::sync::Arc::new(keep));
}

/// Cells of `out` (made of `a` and `b` cell by cell: `out / plan`, `gdp - lag(gdp, 1)`)
/// where both sides are a region shown as its children's roll-up ([`Series::shown`]) over
/// children that differ: a child has a figure on one side only (乙镇's output without a
/// target; a town that enters, against the roll-up a period before). The two sums cover
/// different regions, so such a cell is left missing, with a note naming a child, as
/// `rollup` leaves a ratio of one-sided parts. Before, a county of 甲镇 (50 of a plan of
/// 100) and 乙镇 (50, no plan) was 100% done.
pub fn one_sided_children(a: &Series, b: &Series, out: &mut [f64]) {
    let (Some(sa), Some(sb)) = (a.shown.as_deref(), b.shown.as_deref()) else { return };
    // (`kernel::arith` keeps `a`'s values where both sides are shown.)
    if a.by_region && b.by_region && a.by_period == b.by_period {
        uncovered(a, b, 0, out);
    }
    let n = out.len();
    if !a.by_region
        || !b.by_region
        || a.by_period != b.by_period
        || [a.data.len(), b.data.len(), sa.len(), sb.len()].iter().any(|&l| l != n)
    {
        return;
    }
    let rows = a.rows().max(1);
    let parent = &a.axes.regions.parent;
    // A child without a figure of its own whose children have one (a town of its
    // villages) is there in its parent's roll-up.
    let (ma, mb) = (below_reported(a), below_reported(b));
    let has = |s: &Series, m: &Option<Vec<bool>>, i: usize| !s.data.cell(i).is_nan() || m.as_ref().is_some_and(|m| m[i]);
    let mut hit: Vec<(usize, usize, usize)> = Vec::new();
    for i in 0..n {
        if sa[i] || sb[i] || has(a, &ma, i) == has(b, &mb, i) {
            continue;
        }
        let (p, r) = (i / rows, i % rows);
        let mut t = parent.get(r).copied().unwrap_or(NONE);
        while t != NONE {
            let j = p * rows + t as usize;
            if sa[j] && sb[j] && !out[j].is_nan() {
                out[j] = f64::NAN;
                hit.push((p, t as usize, r));
            }
            t = parent[t as usize];
        }
    }
    note_one_sided(a, &hit, "a figure on one side only");
}

/// The note of cells left missing because the children of a region differ between the
/// two sides: (period, region, child).
fn note_one_sided(s: &Series, hit: &[(usize, usize, usize)], what: &str) {
    let Some(&(p, t, r)) = hit.first() else { return };
    let regions = &s.axes.regions;
    let more = if hit.len() > 1 { format!(" (and {} more)", hit.len() - 1) } else { String::new() };
    super::note(format!(
        "{} cell(s) of a region made of its children left missing because a child has {what} ({} {}: {}){more}: the two \
         sums would cover different regions; rollup(x, level) of each side says the same, and fill(x, 0) counts a gap as 0 \
         where that is meant",
        hit.len(),
        regions.label(t as u32),
        s.axes.periods.get(p),
        regions.label(r as u32),
    ));
}

/// Sets [`Series::covered`] of `shown` (made by `as_shown` of `own`): for each cell shown
/// as its children's roll-up, a sum of a hash of each region its roll-up counts (a region
/// beneath it with a figure of its own, reached through regions without one of their own).
/// Two cells with different sums count different regions: a change between them compares
/// unlike totals. Nothing where no cell is shown.
pub fn cover(shown: &mut Series, own: &Series) {
    let Some(sh) = shown.shown.clone() else { return };
    let n = sh.len();
    if !own.by_region || own.data.len() != n || shown.data.len() != n {
        return;
    }
    let rows = own.rows().max(1);
    let parent = &own.axes.regions.parent;
    let areas = own.axes.areas();
    let mut sig = vec![0u64; n];
    for (p, col) in own.data.chunks(rows).enumerate() {
        let base = p * rows;
        for (r, v) in col.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let h = areas[r];
            // Up through regions without a figure of their own: each one's roll-up counts
            // this region, shown or not (`level(gdp, "province")` shows the province, not
            // the county between it and a town that enters); a region with its own figure
            // counts that figure, not this region.
            let mut a = parent.get(r).copied().unwrap_or(NONE);
            while a != NONE {
                let j = base + a as usize;
                if sh[j] {
                    sig[j] = sig[j].wrapping_add(h);
                }
                if !col[a as usize].is_nan() {
                    break;
                }
                a = parent[a as usize];
            }
        }
    }
    shown.covered = Some(std::sync::Arc::new(sig));
}

/// Cells of `out` (a change of `s` over `k` periods, or `a op b` with `b` = `s` `k`
/// periods earlier) left missing where both cells are shown as a roll-up and count
/// different regions ([`Series::covered`]), with a note; for a series whose rows below
/// were dropped (`level`, `only`), where the children cannot be looked at.
fn uncovered(s_now: &Series, s_then: &Series, k: i64, out: &mut [f64]) {
    let (Some(sa), Some(sb), Some(ca), Some(cb)) =
        (s_now.shown.as_deref(), s_then.shown.as_deref(), s_now.covered.as_deref(), s_then.covered.as_deref())
    else {
        return;
    };
    let n = out.len();
    if [sa.len(), sb.len(), ca.len(), cb.len()].iter().any(|&l| l != n) {
        return;
    }
    let rows = s_now.rows().max(1);
    let mut hit: Vec<usize> = Vec::new();
    for i in 0..n {
        let Some(j) = usize::try_from((i / rows) as i64 - k).ok().map(|q| q * rows + i % rows) else { continue };
        if sa[i] && sb[j] && ca[i] != cb[j] && !out[i].is_nan() {
            out[i] = f64::NAN;
            hit.push(i);
        }
    }
    let Some(&first) = hit.first() else { return };
    let more = if hit.len() > 1 { format!(" (and {} more)", hit.len() - 1) } else { String::new() };
    super::note(format!(
        "{} cell(s) of a region made of its children left missing because its roll-up counts different regions on the two \
         sides ({} {}){more}: a town entered, left or has not delivered; yoy(rollup(x, level)) takes the change on a \
         comparable basis, and fill(x, 0) counts a gap as 0 where that is meant",
        hit.len(),
        s_now.axes.regions.label((first % rows) as u32),
        s_now.axes.periods.get(first / rows),
    ));
}

/// [`one_sided_children`] for a change over `k` periods of a series shown as its
/// children's roll-up (`yoy(gdp)` in a rule at the county, or `level(gdp, "county")`): a
/// region whose children with a figure differ between the two periods (a town that
/// enters, one that has not delivered) has no change of like with like, and is left
/// missing, with a note (`yoy(rollup(gdp, "county"))` gives the change on a comparable
/// basis).
pub fn one_sided_periods(s: &Series, k: i64, out: &mut [f64]) {
    let Some(sh) = s.shown.as_deref() else { return };
    if s.by_period {
        uncovered(s, s, k, out);
    }
    let n = out.len();
    if !s.by_region || !s.by_period || s.data.len() != n || sh.len() != n {
        return;
    }
    let rows = s.rows().max(1);
    let parent = &s.axes.regions.parent;
    let m = below_reported(s);
    let has = |i: usize| !s.data.cell(i).is_nan() || m.as_ref().is_some_and(|m| m[i]);
    let mut hit: Vec<(usize, usize, usize)> = Vec::new();
    for i in 0..n {
        let (p, r) = (i / rows, i % rows);
        let Some(j) = usize::try_from(p as i64 - k).ok().map(|q| q * rows + r).filter(|&j| j < n) else { continue };
        if sh[i] || sh[j] || has(i) == has(j) {
            continue;
        }
        let mut t = parent.get(r).copied().unwrap_or(NONE);
        while t != NONE {
            let (ti, tj) = (p * rows + t as usize, j - r + t as usize);
            if sh[ti] && sh[tj] && !out[ti].is_nan() {
                out[ti] = f64::NAN;
                hit.push((p, t as usize, r));
            }
            t = parent[t as usize];
        }
    }
    note_one_sided(s, &hit, "a figure in one of the two periods only");
    own_against_shown(s, k, out);
}

/// Cells of `out` (a change of `s` over `k` periods) left missing, with a note, where a
/// region's own figure stands in one period and its children's roll-up in the other
/// ([`Series::shown`]): year22 01, the county's own 55 (its 公报, 县本级 in it) against
/// its towns' 50 a year earlier said 同比增长10% where the towns grew 5%. The two cover
/// different scopes; `yoy(rollup(x, level))` compares the children like for like.
fn own_against_shown(s: &Series, k: i64, out: &mut [f64]) {
    let Some(sh) = s.shown.as_deref() else { return };
    let n = out.len();
    if !s.by_region || !s.by_period || s.data.len() != n || sh.len() != n {
        return;
    }
    let rows = s.rows().max(1);
    let mut hit: Vec<(usize, usize)> = Vec::new();
    for i in 0..n {
        let Some(j) = usize::try_from((i / rows) as i64 - k).ok().map(|q| q * rows + i % rows).filter(|&j| j < n) else { continue };
        if sh[i] != sh[j] && !out[i].is_nan() && !s.data.cell(i).is_nan() && !s.data.cell(j).is_nan() {
            out[i] = f64::NAN;
            hit.push((i, j));
        }
    }
    note_own_against(s, sh, &hit);
}

/// [`own_against_shown`] for a change written by hand, `x / lag(x, 1) - 1`, `x - lag(x,
/// 1)`, `x <= lag(x, 1) * 1.08` (review23 02: `level(gdp, "county") / lag(level(gdp,
/// "county"), 1) - 1` gave 10%): one side a lag of the other, a figure shown as its
/// children's roll-up, where one side is the region's own figure and the other its
/// children's.
pub fn own_against_lagged(a: &Series, b: &Series, out: &mut [f64]) {
    // A lag times a factor is shown as the lag is (the factor's roll-up is no scope of it).
    fn marks(s: &Series) -> Option<&Vec<bool>> {
        s.lag_times.as_deref().or(s.shown.as_deref())
    }
    let (Some(sa), Some(sb)) = (marks(a), marks(b)) else { return };
    let n = out.len();
    // One side a lag of the other, in either order (`lag(x, 1) - x`): its values are the
    // other's some periods earlier (`rev / lag(target.rev, 1)` is a completion of another
    // figure, review24 03).
    // A lag, or one times a factor (`lag(x, 1) * (1 + plan.gr / 100)`, which is no base
    // itself but still last year's figure).
    let is_lag = |s: &Series| s.lagged || s.lag_times.is_some();
    if is_lag(a) == is_lag(b) || !a.by_region || !a.by_period || !b.by_region || !b.by_period {
        return;
    }
    let (l, x) = if is_lag(b) { (b, a) } else { (a, b) };
    if l.data.len() != n || x.data.len() != n || !lag_of(l, x) {
        return;
    }
    if [a.data.len(), b.data.len(), sa.len(), sb.len()].iter().any(|&l| l != n) {
        return;
    }
    let rows = a.rows().max(1);
    let mut hit: Vec<usize> = Vec::new();
    for i in 0..n {
        if sa[i] != sb[i] && !out[i].is_nan() && !a.data.cell(i).is_nan() && !b.data.cell(i).is_nan() {
            out[i] = f64::NAN;
            hit.push(i);
        }
    }
    let Some(&i) = hit.first() else { return };
    let more = if hit.len() > 1 { format!(" (and {} more)", hit.len() - 1) } else { String::new() };
    let (now, then) = if sa[i] { ("its children's roll-up", "its own figure") } else { ("its own figure", "its children's roll-up") };
    super::note(format!(
        "{} cell(s) left missing because a region's figure and its lag are of different scopes ({} {}: {now} against {then} \
         in the lag){more}: a county's own figure holds 县本级, its towns' total does not; yoy(rollup(x, level)) compares the \
         children like for like",
        hit.len(),
        a.axes.regions.label((i % rows) as u32),
        a.axes.periods.get(i / rows),
    ));
}

/// Whether `l` is a lag of `x`: made from a lag of the figure `x` is a form of, by
/// identity ([`Series::lag_source`], [`super::itself::figure`]: `lag(level(gdp,
/// "county"), 1) + 3` beside `level(gdp, "county") - 3`, review25 03; a derived
/// indicator `gdp * 10000`, `round(gdp, 1)` or `gdp + 3` beside a lag of gdp, review27
/// 01 and review28 03; a formula of it, `where(rev > 0, rev, target.rev)` or `gdp / pop`,
/// beside a lag of it, or the other way round: the two sets of figures nested, review30
/// 02). A lag of another figure is none, whatever its values
/// (`lag(level(target.rev, "county"), 1)` beside rev where last year's target was an
/// earlier actual, review28 04). Only where what `l` is a lag of is not known, by value:
/// `l`'s values are `x`'s some periods earlier, cell for cell, or those times one factor,
/// and with one lagged figure only the same value.
fn lag_of(l: &Series, x: &Series) -> bool {
    if let Some(src) = &l.lag_source {
        // A formula of the figure (`where(rev > 0, rev, target.rev)`) beside a lag of it,
        // or the figure beside a lag of such a formula, holds the figure's scope too.
        let fig = super::itself::figure(x);
        return super::itself::sources_within(src, &fig) || super::itself::sources_within(&fig, src);
    }
    let rows = l.rows().max(1);
    let Some(first) = l.data.iter().position(|v| !v.is_nan()) else { return false };
    // One figure fits any factor (tax's one lagged figure against rev, review25 02): then
    // only the same value is the same figure.
    let several = l.data.iter().filter(|v| !v.is_nan()).nth(1).is_some();
    (1..=first / rows).any(|k| {
        let back = k * rows;
        let base = x.data.cell(first - back);
        let f = if base != 0.0 && several { l.data.cell(first) / base } else { 1.0 };
        f.is_finite()
            && f != 0.0
            && l.data
                .iter()
                .enumerate()
                .all(|(i, v)| v.is_nan() || (i >= back && (x.data.cell(i - back) * f - v).abs() <= 1e-12 * v.abs().max(f64::MIN_POSITIVE)))
    })
}

/// The note of [`own_against_shown`]: `hit` holds (cell, its base's cell), `sh` whether
/// each cell is shown as its children's roll-up.
fn note_own_against(s: &Series, sh: &[bool], hit: &[(usize, usize)]) {
    let Some(&(i, j)) = hit.first() else { return };
    let rows = s.rows().max(1);
    let (own, rolled) = if sh[i] { (j, i) } else { (i, j) };
    let more = if hit.len() > 1 { format!(" (and {} more)", hit.len() - 1) } else { String::new() };
    super::note(format!(
        "{} cell(s) left missing because a region's own figure stands in one period and its children's roll-up in the other \
         ({}: its own in {}, its children's in {}){more}: the two cover different scopes (a county's own figure holds 县本级); \
         yoy(rollup(x, level)) compares the children like for like",
        hit.len(),
        s.axes.regions.label((i % rows) as u32),
        s.axes.periods.get(own / rows),
        s.axes.periods.get(rolled / rows),
    ));
}

/// `s` with each cell of a region that has no figure of its own while regions below it
/// report (a town made of its villages, see [`made_of_children`]) given the figure its
/// report shows, for the regions whose level `at` accepts: its children's roll-up by the
/// rule the config declares ([`Series::declared`]: a loaded indicator, a derived one with
/// `rollup = ...`), and a ratio of such parts recomputed from the parts as shown (a town
/// made of its villages that reports its own population divides the villages' output by
/// it). So `level(qty, "town")`, `children(qty, "c")`, `at(qty, "t1", 2008)`, a rule's
/// town items and a ranking take such a town with its villages' total, never leave it
/// out. `s` itself for a series a formula made (`qty - 1.5` would add its 1.5 once per
/// village), a mask, or where there is no such cell. A region that has given a figure of
/// its own in an earlier period keeps its gap (a partial village return does not replace
/// a town's own total, as in a roll-up). The cells filled are marked in
/// [`Series::shown`]. Same shape, unit and roll-up rule as `s`.
pub fn as_shown(s: &Series, at: impl Fn(u8) -> bool) -> Series {
    shown_where(s, &at)
}

/// Whether [`as_shown`] may give `s`'s regions made of their children a figure: a series
/// over regions, no mask, with a declared roll-up or a ratio of parts.
pub fn showable(s: &Series) -> bool {
    !s.mask && s.by_region && (s.declared || matches!(s.agg, Agg::Ratio(_)) || s.parts.is_some())
}

/// [`made_of_children`] less the cells of a region that has given a figure of its own
/// before: what [`as_shown`] may fill.
fn made_cells(s: &Series) -> Option<Vec<bool>> {
    let mut made = made_of_children(s)?;
    let rows = s.rows();
    // A region that has given a figure of its own before has a gap where it has none, not
    // a figure made of its children: a town's own total is not replaced by a partial
    // village return (its county's roll-up is missing there too).
    let mut reported = vec![false; rows];
    // ... in a period taken out since, too (`in_period(qty, 2021)`: see `Series::own_since`).
    let since = s.own_since.as_ref().filter(|o| o.len() == rows);
    for (p, col) in s.data.chunks(rows.max(1)).enumerate() {
        for (r, done) in reported.iter().enumerate() {
            if *done || since.is_some_and(|o| (o[r] as usize) < p) {
                made[p * rows + r] = false;
            }
        }
        for (r, v) in col.iter().enumerate() {
            reported[r] |= !v.is_nan();
        }
    }
    Some(made)
}

/// [`as_shown`] with the levels as a trait object (a ratio's parts recurse).
fn shown_where(s: &Series, at: &dyn Fn(u8) -> bool) -> Series {
    if !showable(s) {
        return s.clone();
    }
    // A ratio is made of its children where either part is (a town with its own
    // population whose output is its villages'): its own cells miss there, as the
    // villages have no ratio of their own.
    let ratio_parts = match &s.agg {
        Agg::Ratio(parts) => Some(parts),
        _ => s.parts.as_ref(),
    };
    let made = match ratio_parts {
        Some(parts) => {
            let mut any = made_cells(s);
            for part in [&parts.0, &parts.1] {
                if let Some(m) = made_cells(part).filter(|m| m.len() == s.data.len()) {
                    let own = any.get_or_insert_with(|| vec![false; m.len()]);
                    for (cell, (o, p)) in own.iter_mut().zip(m).enumerate() {
                        *o |= p && s.data.cell(cell).is_nan();
                    }
                }
            }
            any.filter(|m| m.contains(&true))
        }
        None => made_cells(s),
    };
    let Some(mut made) = made else { return s.clone() };
    let rows = s.rows();
    let level = &s.axes.regions.level;
    let mut levels: Vec<u8> = Vec::new();
    for (cell, _) in made.iter().enumerate().filter(|(_, m)| **m) {
        let l = level[cell % rows];
        if !levels.contains(&l) && at(l) {
            levels.push(l);
        }
    }
    if levels.is_empty() {
        return s.clone();
    }
    // A ratio: its parts as shown, divided again (each part its region's own figure where
    // it has one, else its children's roll-up).
    let ratio = match &s.agg {
        Agg::Ratio(parts) => Some(parts),
        _ => s.parts.as_ref(),
    };
    // A declared mean of a formula: only where nothing it reads has a figure of the
    // region's own (else the cell stays missing, with a note).
    if ratio.is_none()
        && let Some(held) = withheld_cells(s, &made, &levels)
    {
        note_withheld(s, &held);
        for (m, h) in made.iter_mut().zip(held.iter()) {
            *m &= !*h;
        }
    }
    let by_parts = match ratio {
        Some(parts) => {
            let keep = |l: u8| levels.contains(&l);
            let (num, den) = (shown_where(&parts.0, &keep), shown_where(&parts.1, &keep));
            match binary(num, den, Op::Div).and_then(|q| convert(q, &s.unit)) {
                Ok(q) if q.data.len() == s.data.len() => Some(q),
                _ => return s.clone(),
            }
        }
        None => None,
    };
    let mut data = s.data.to_full();
    let mut shown = s.shown.as_ref().map_or_else(|| vec![false; data.len()], |m| m.as_ref().clone());
    let mut gaps: Vec<u32> = Vec::new();
    for &l in &levels {
        // A series that cannot roll up to this level keeps its cells missing.
        let rolled = match &by_parts {
            Some(q) => q.clone(),
            None => match rollup(s, l) {
                Ok(r) => r,
                Err(_) => continue,
            },
        };
        for (cell, v) in data.iter_mut().enumerate() {
            if made[cell] && level[cell % rows] == l {
                *v = rolled.data.cell(cell);
                shown[cell] |= !v.is_nan();
                if v.is_nan() {
                    gaps.push(cell as u32);
                }
            }
        }
    }
    let data = std::sync::Arc::new(crate::cells::Cells::from(data));
    crate::memory::made(&data);
    // Filled from `s`'s children: a roll-up of `s` set against these cells is of itself.
    let shown_of = Some(super::itself::sources(s));
    // A region made of its children whose roll-up is missing (a village listed without
    // its figure) is a gap, as a region listed without one is: a sum of its level
    // (`sum(level(x, "town"))`, `rollup(level(x, "town"), "county")`) is missing there,
    // never the other towns' total.
    let listed = if gaps.is_empty() {
        s.listed.clone()
    } else {
        let mut all: Vec<u32> = s.listed.as_ref().map_or_else(Vec::new, |l| l.as_ref().clone());
        all.extend(gaps);
        all.sort_unstable();
        all.dedup();
        Some(std::sync::Arc::new(all))
    };
    Series { data, shown: Some(std::sync::Arc::new(shown)), shown_of, listed, ..s.clone() }
}

/// The cells of `made` (made of their children) at `levels` where a derived indicator
/// declared a (weighted) mean reads something with a figure of the region's own
/// ([`Series::own_inputs`]); None when there are none.
fn withheld_cells(s: &Series, made: &[bool], levels: &[u8]) -> Option<Vec<bool>> {
    let own = s.own_inputs.as_ref().filter(|o| o.cells.len() == made.len())?;
    let rows = s.rows().max(1);
    let level = &s.axes.regions.level;
    let held: Vec<bool> =
        made.iter().zip(own.cells.iter()).enumerate().map(|(c, (m, o))| *m && *o && levels.contains(&level[c % rows])).collect();
    held.contains(&true).then_some(held)
}

/// The note for [`withheld_cells`]: which regions and periods, and why.
fn note_withheld(s: &Series, held: &[bool]) {
    let Some(own) = &s.own_inputs else { return };
    let rows = s.rows().max(1);
    let regions = &s.axes.regions;
    let cells: Vec<usize> = held.iter().enumerate().filter(|(_, h)| **h).map(|(c, _)| c).collect();
    let shown: Vec<String> =
        cells.iter().take(3).map(|&c| format!("{} {}", regions.label((c % rows) as u32), s.axes.periods.get(c / rows))).collect();
    let more = if cells.len() > 3 { format!(" (and {} more)", cells.len() - 3) } else { String::new() };
    super::note(format!(
        "{}: {} cell(s) not evaluable at a region made of its children ({}{more}): it is declared a mean, but what its \
         formula reads has a figure of that region's own there, which the mean of its children would set aside; give the \
         region's own figure of it, or write it as a ratio (a / b) so that it is recomputed from its parts",
        own.what,
        cells.len(),
        shown.join("; ")
    ));
}

/// Cells of `s` at the levels `at` accepts that are made of their children and left
/// missing by [`as_shown`] because `s` is a declared mean whose formula reads a figure
/// of the region's own there ([`Series::own_inputs`]); None when there are none. A rule
/// counts them as items (not evaluable), never leaves them out.
pub fn withheld(s: &Series, at: impl Fn(u8) -> bool) -> Option<Vec<bool>> {
    if !showable(s) || s.parts.is_some() || matches!(s.agg, Agg::Ratio(_)) || s.own_inputs.is_none() {
        return None;
    }
    let made = made_cells(s)?;
    let rows = s.rows().max(1);
    let level = &s.axes.regions.level;
    let mut levels: Vec<u8> = Vec::new();
    for (c, _) in made.iter().enumerate().filter(|(_, m)| **m) {
        let l = level[c % rows];
        if !levels.contains(&l) && at(l) {
            levels.push(l);
        }
    }
    withheld_cells(s, &made, &levels)
}

/// Cells of `s` at the levels `at` accepts where a region made of its children (a county
/// whose towns report) has no figure because `s` does not roll up (a derived indicator
/// without a declared `rollup`, or one declared "none"): [`as_shown`] cannot give it one.
/// A rule at that level counts them as items, not evaluable, and this notes why (the
/// roll-up's own words: what to declare), never leaves them out as if nothing were there.
/// None when there are none.
pub fn unshowable(s: &Series, at: impl Fn(u8) -> bool) -> Option<Vec<bool>> {
    let Agg::None(why) = &s.agg else { return None };
    if s.mask || !s.by_region || !s.by_period {
        return None;
    }
    // The cells made of children its inputs had (`price * qty`, `abs(gdp)`), else those
    // its own cells show.
    let mut cells = match s.made_of.as_ref().filter(|m| m.len() == s.data.len()) {
        Some(m) => m.to_vec(),
        None => below_reported(s)?,
    };
    let rows = s.rows().max(1);
    let level = &s.axes.regions.level;
    for (c, m) in cells.iter_mut().enumerate() {
        *m &= at(level[c % rows]);
    }
    let hit: Vec<usize> = cells.iter().enumerate().filter(|(_, m)| **m).map(|(c, _)| c).collect();
    if hit.is_empty() {
        return None;
    }
    let regions = &s.axes.regions;
    let shown: Vec<String> =
        hit.iter().take(3).map(|&c| format!("{} {}", regions.label((c % rows) as u32), s.axes.periods.get(c / rows))).collect();
    let more = if hit.len() > 3 { format!(" (and {} more)", hit.len() - 3) } else { String::new() };
    super::note(format!(
        "{} cell(s) not evaluable at a region made of its children ({}{more}): it has no figure of its own and {why}",
        hit.len(),
        shown.join("; ")
    ));
    Some(cells)
}

/// [`as_shown`] at the levels where some region has a figure of its own (towns that
/// report beside a town made of its villages): what a ranking or a top list among the regions of a level compares. A
/// level whose regions are all made of their children (the counties of towns) is left as
/// it is: rank its roll-up, `rank(rollup(gdp, "county"))`.
pub fn as_shown_mixed(s: &Series) -> Series {
    if !showable(s) {
        return s.clone();
    }
    let rows = s.rows();
    let level = &s.axes.regions.level;
    let mut own = [false; 256];
    for col in s.data.chunks(rows.max(1)) {
        for (r, v) in col.iter().enumerate() {
            if !v.is_nan() {
                own[level[r] as usize] = true;
            }
        }
    }
    as_shown(s, |l| own[l as usize])
}

/// A ratio's two sides must cover the same regions: where a child has one side and not
/// the other (output reported, its target not set), the ancestor's ratio would divide
/// sums over different towns. Such ratios are left missing, with a note.
fn unmatched_parts(num: &Series, den: &Series, level: u8, out: &mut Series, like: &dyn Fn(usize) -> bool) {
    if !num.by_region || !den.by_region || num.data.len() != den.data.len() || out.data.len() != num.data.len() {
        return;
    }
    let regions = &num.axes.regions;
    let rows = num.rows();
    let (num_rep, den_rep) = (reporters(num, level), reporters(den, level));
    let anc = num.axes.ancestors(level);
    let mut hit: Vec<(usize, u32, u32)> = Vec::new();
    let mut data = out.data.to_full();
    for p in 0..num.cols() {
        for r in (0..rows).filter(|&r| (num_rep.counts(r, p) || den_rep.counts(r, p)) && anc[r] != NONE) {
            let (a, b) = (num.data[p * rows + r], den.data[p * rows + r]);
            let t = anc[r] as usize;
            if a.is_nan() != b.is_nan() && !data[p * rows + t].is_nan() && !like(p * rows + t) {
                data[p * rows + t] = f64::NAN;
                hit.push((p, t as u32, r as u32));
            }
        }
    }
    if hit.is_empty() {
        return;
    }
    let shown: Vec<String> = hit
        .iter()
        .take(3)
        .map(|&(p, t, r)| format!("{} {}: {} has one side only", regions.label(t), num.axes.periods.get(p), regions.label(r)))
        .collect();
    let more = if hit.len() > 3 { format!(" (and {} more)", hit.len() - 3) } else { String::new() };
    super::note(format!(
        "rollup: {} ratio(s) left missing because a region has the numerator or the denominator but not both ({}{more}): \
         the sums would cover different regions",
        hit.len(),
        shown.join("; ")
    ));
    let basis = out.basis.clone();
    *out = out.with(data, out.unit.clone(), out.agg.clone());
    out.basis = basis;
}

/// Each region's first period with a value or listed without one (`u32::MAX`: none),
/// for the regions below `target` (the others are `u32::MAX`). Each period looks only at
/// the regions not seen yet: a panel whose towns all report in its first year is read
/// about once. A region a fact row lists with an empty figure (`t3,2021,vol,`) is in the
/// source from that period: its gap leaves a total missing, it is not a town set up later.
pub(crate) fn first_values(s: &Series, target: u8) -> Vec<u32> {
    first_values_where(s, |l| l > target)
}

/// [`first_values`] for the regions whose level `counted` accepts (every level: a rank
/// or a statistic across the regions of a level).
pub(crate) fn first_values_where(s: &Series, counted: impl Fn(u8) -> bool) -> Vec<u32> {
    let mut first = first_figures(s, &counted);
    // A region with no region below it that has a fact row of another indicator in a
    // period (乙镇's GDP in 2019) is in the source from then: no row of this figure there
    // is a gap that leaves its total missing, never a town set up later (the county's
    // 财政总收入 of 2019 was 甲镇's 1000 alone). Only for a figure as loaded or computed
    // cell by cell, over the panel's own axes, and for the regions a selection keeps in
    // every period (`level(gdp, "town")`'s towns, review26 06; not `in_period`'s).
    let rows = first.len();
    let selected = s.selected.as_deref().filter(|m| m.len() == s.data.len());
    let kept_whole = |r: usize| selected.is_none_or(|m| m.iter().skip(r).step_by(rows.max(1)).all(|&out| !out));
    if let Some(since) = s.axes.rows_since().filter(|v| v.len() == first.len())
        && s.by_region
        && s.by_period
        && (s.selected.is_none() || selected.is_some())
        && super::arith::plain_gaps(s)
    {
        let regions = &s.axes.regions;
        let mut parent_of = vec![false; first.len()];
        for &p in regions.parent.iter() {
            if p != NONE && (p as usize) < parent_of.len() {
                parent_of[p as usize] = true;
            }
        }
        // Also a region with no row of this figure in any period (乙镇 reports its profit
        // and never a 净出口): whether it has none to give (a 街道's 农业) or has not given
        // it, the source cannot say; the total is missing, never short of it.
        for (r, f) in first.iter_mut().enumerate() {
            if counted(regions.level[r]) && !parent_of[r] && kept_whole(r) {
                *f = (*f).min(since[r]);
            }
        }
    }
    // A region that gave its own figure in a period taken out since (`in_period(qty,
    // 2021)` of a town that reported in 2020) counts from then: its gap is a gap.
    if let Some(since) = s.own_since.as_ref().filter(|o| o.len() == first.len()) {
        let level = &s.axes.regions.level;
        for (r, f) in first.iter_mut().enumerate() {
            if counted(level[r]) {
                *f = (*f).min(since[r]);
            }
        }
    }
    if let Some(listed) = &s.listed
        && s.by_region
        && s.by_period
        && !listed.is_empty()
    {
        let (rows, level) = (s.rows(), &s.axes.regions.level);
        // A listed cell is a gap, also for a region listed empty in every period (a
        // single-year form's blank town: its figure is unknown, never 0; the others'
        // total is `rollup(s, level, "reported")`), but not where regions below it
        // report (a town's blank subtotal row above its villages' figures: it is made
        // of them).
        let made = made_of_children(s);
        for &cell in listed.iter() {
            let (p, r) = (cell / rows as u32, cell as usize % rows);
            let of_children = made.as_ref().is_some_and(|m| m.get(cell as usize).copied().unwrap_or(false));
            if counted(level[r]) && p < first[r] && !of_children {
                first[r] = p;
            }
        }
    }
    first
}

/// Each region's first period with a value (`u32::MAX`: none), at the levels `counted` accepts.
fn first_figures(s: &Series, counted: &impl Fn(u8) -> bool) -> Vec<u32> {
    let rows = s.rows();
    let level = &s.axes.regions.level;
    let mut first = vec![u32::MAX; rows];
    let mut unseen: Vec<u32> = (0..rows as u32).filter(|&r| counted(level[r as usize])).collect();
    for (p, col) in s.data.chunks(rows.max(1)).enumerate() {
        if unseen.is_empty() {
            break;
        }
        unseen.retain(|&r| {
            let seen = !col[r as usize].is_nan();
            if seen {
                first[r as usize] = p as u32;
            }
            !seen
        });
    }
    first
}

/// Who a roll-up counts, and when: each region below the target with a figure of its
/// own counts from its first one (with months or quarters, from the start of that
/// year) until an ancestor below the target starts reporting its own total, which then
/// stands for it (a town's own GDP, not its villages' partial sum; before the town
/// reports, its villages).
pub(crate) struct Reporters {
    /// The period a region counts from (`u32::MAX`: never).
    pub start: Vec<u32>,
    /// The period from which an ancestor stands for it (`u32::MAX`: never).
    pub until: Vec<u32>,
    /// The first period any region below it counts from (`u32::MAX`: none).
    pub below_from: Vec<u32>,
}

impl Reporters {
    /// Whether region `r` is counted in period `p` (its value, or its gap).
    pub fn counts(&self, r: usize, p: usize) -> bool {
        self.start[r] != u32::MAX && (p as u32) < self.until[r]
    }
}

/// Each first period of `first` (`u32::MAX`: none) moved to the start of its year, with
/// months or quarters: a town whose 1-N月累计 starts in March counts from January (its
/// March figure holds them). Unchanged for years.
pub(crate) fn from_year_start(s: &Series, first: Vec<u32>) -> Vec<u32> {
    let axis = s.axes.periods;
    let per_year = axis.freq.per_year();
    if per_year == 1 {
        return first;
    }
    first
        .into_iter()
        .map(|p| {
            if p == u32::MAX {
                return p;
            }
            let ordinal = axis.first + p as i32;
            let year_start = ordinal - ordinal.rem_euclid(per_year);
            (year_start - axis.first).max(0) as u32
        })
        .collect()
}

/// What a roll-up's per-period loop reads of one contributing row (24 bytes, streamed).
#[derive(Clone, Copy)]
struct Visit {
    /// The row.
    r: u32,
    /// Its target's slot among the target level's rows.
    a: u32,
    /// Its first period with this figure (u32::MAX: never).
    start: u32,
    /// The period from which an ancestor below the target stands for it.
    until: u32,
    /// The period from which a missing value is a gap of its total (u32::MAX: never).
    gaps_from: u32,
    /// Its area's signature (`Axes::areas`).
    area: u64,
}

/// The [`Reporters`] of a roll-up of `s` to `target`.
pub(crate) fn reporters(s: &Series, target: u8) -> Reporters {
    let regions = &s.axes.regions;
    let start = from_year_start(s, first_values(s, target));
    let rows = s.rows();
    let mut until = vec![u32::MAX; rows];
    let mut below_from = vec![u32::MAX; rows];
    for r in (0..rows).filter(|&r| start[r] != u32::MAX) {
        let mut a = regions.parent[r];
        while a != NONE && regions.level[a as usize] > target {
            until[r] = until[r].min(start[a as usize]);
            below_from[a as usize] = below_from[a as usize].min(start[r]);
            a = regions.parent[a as usize];
        }
    }
    Reporters { start, until, below_from }
}
