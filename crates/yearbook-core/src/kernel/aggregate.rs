//! Aggregates across regions (one value per period) or across periods (one value per
//! region). Missing values are skipped; a group with no values gives missing.

use super::KResult;
use crate::series::{Agg, Basis, Series};
use crate::unit::Unit;
use std::sync::Arc;

/// A statistic across regions or periods.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stat {
    /// The sum of the present values.
    Sum,
    /// The mean of the present values.
    Mean,
    /// The median of the present values.
    Median,
    /// The smallest present value.
    Min,
    /// The largest present value.
    Max,
    /// Sample standard deviation (n - 1).
    Std,
    /// The quantile q (0..1), linear between order statistics (R type 7, numpy default).
    Quantile(f64),
    /// How many values are present.
    Count,
}

impl Stat {
    /// The statistic's function name in scripts.
    pub fn name(self) -> &'static str {
        match self {
            Stat::Sum => "sum",
            Stat::Mean => "mean",
            Stat::Median => "median",
            Stat::Min => "min",
            Stat::Max => "max",
            Stat::Std => "std",
            Stat::Quantile(_) => "quantile",
            Stat::Count => "count",
        }
    }
}

/// The statistic of the non-missing values in `buf` (which it may reorder).
pub fn reduce(stat: Stat, buf: &mut [f64]) -> f64 {
    let n = buf.len();
    if stat == Stat::Count {
        return n as f64;
    }
    if n == 0 {
        return f64::NAN;
    }
    match stat {
        Stat::Sum => buf.iter().sum(),
        Stat::Mean => buf.iter().sum::<f64>() / n as f64,
        Stat::Min => buf.iter().copied().fold(f64::INFINITY, f64::min),
        Stat::Max => buf.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Stat::Std => {
            if n < 2 {
                return f64::NAN;
            }
            let m = buf.iter().sum::<f64>() / n as f64;
            (buf.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64).sqrt()
        }
        Stat::Median => quantile(buf, 0.5),
        Stat::Quantile(q) => quantile(buf, q),
        Stat::Count => n as f64,
    }
}

/// Linear interpolation between order statistics (R type 7, numpy's default).
fn quantile(buf: &mut [f64], q: f64) -> f64 {
    let n = buf.len();
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let (_, &mut a, rest) = buf.select_nth_unstable_by(lo, f64::total_cmp);
    if lo + 1 >= n {
        return a;
    }
    let b = rest.iter().copied().fold(f64::INFINITY, f64::min);
    a + (h - lo as f64) * (b - a)
}

fn check(stat: Stat) -> KResult<()> {
    if let Stat::Quantile(q) = stat
        && !(0.0..=1.0).contains(&q)
    {
        return Err(format!("quantile must be between 0 and 1, not {q}").into());
    }
    Ok(())
}

/// What [`not_added`] says of a growth ([`crate::series::RateOf::is_growth`]).
const GROWTH: &str = "a growth rate (a change over its base: yoy, growth, cagr, x / lag(x, k) - 1)";

/// Which way figures are added: across regions (a sum per period), or over periods (a
/// sum across periods, 1-N月累计, quarter totals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adds {
    /// Regions' figures added into one per period.
    Regions,
    /// A region's figures of several periods added.
    Periods,
}

/// What the figures of `s` are, when they do not add up the way `adds` adds them (None
/// when they do): the rule the loader and the roll-up apply (`Unit::not_additive`: a
/// percentage, 百分点, an index, a figure per 人 or per 吨, ...; a declared rate; a ratio
/// of two figures, a share without a unit), and over periods also a declared stock (a
/// level at a date: two year-ends added are no figure). `kind` is the loaded indicator's
/// kind, where `s` is one unchanged. A comparison (a mask) counts and always adds.
pub fn not_added(s: &Series, kind: Option<crate::indicator::Kind>, adds: Adds) -> Option<String> {
    use crate::indicator::Kind;
    if s.mask {
        return None;
    }
    if let Some(what) = s.unit.not_additive() {
        return Some(what);
    }
    // Three towns at +10% are no county at +30%, two years at +10% no span at +20%.
    if s.rate.as_ref().is_some_and(crate::series::RateOf::is_growth) {
        return Some(GROWTH.to_string());
    }
    if kind == Some(Kind::Rate) {
        return Some(format!(
            "a rate (kind = rate{})",
            if s.unit.symbol.is_empty() { String::new() } else { format!(", in {}", s.unit.symbol) }
        ));
    }
    if s.unit.is_dimensionless() && matches!(s.agg, Agg::Ratio(_)) {
        return Some("a ratio of two figures (a share, a / b)".into());
    }
    if adds == Adds::Periods && kind == Some(Kind::Stock) {
        return Some(format!("a stock (kind = stock: a level at a date, in {})", s.unit.show()));
    }
    None
}

/// The refusal of `func` adding the figures of `s` (named `name`, where known) that do
/// not add up ([`not_added`]): what they are and what to write instead. Ok where they add.
pub fn refuse_adding(s: &Series, kind: Option<crate::indicator::Kind>, adds: Adds, func: &str, name: Option<&str>) -> KResult<()> {
    let Some(what) = not_added(s, kind, adds) else { return Ok(()) };
    let n = name.unwrap_or("x");
    let who = name.map(|n| format!("`{n}`")).unwrap_or_else(|| "the series".into());
    let (how, instead) = match adds {
        Adds::Regions if what == GROWTH => (
            "its regions' growths do not add up to their total's",
            format!(
                "take the growth of the total instead, yoy(sum(x)) or yoy(rollup(x, level)) with x the figure whose growth this \
                 is (yoy(sum(gdp)), not sum(yoy(gdp))); for a plain average of the growths write mean({n})"
            ),
        ),
        Adds::Periods if what == GROWTH => (
            "its growths of several periods do not add up to the whole span's",
            format!(
                "take the growth over the span instead, growth(x, k) or cagr(x, years) with x the figure whose growth this is; \
                 for an average of the growths write mean({n}, \"periods\")"
            ),
        ),
        Adds::Regions => (
            "its regions' figures do not add up to their total's",
            format!(
                "for the total's figure write rollup({n}, level), which rolls it up by its rule (a ratio recomputed from its \
                 rolled-up parts, a declared mean or weighted mean), or divide sums of its parts (sum(a) / sum(b)); for a plain \
                 average write mean({n})"
            ),
        ),
        Adds::Periods if what.starts_with("a stock") => (
            "its figures of several periods do not add up to anything",
            format!("take the figure at the period's end (latest({n}), or at(...)); for an average level write mean({n}, \"periods\")"),
        ),
        Adds::Periods => (
            "its figures of several periods do not add up to the whole span's",
            format!(
                "for the span's figure recompute it from its parts added over periods (sum(a, \"periods\") / sum(b, \"periods\"), \
                 or cumulate(a) / cumulate(b)); for an average write mean({n}, \"periods\")"
            ),
        ),
    };
    Err(crate::error::Fault::unit(format!("{func}: {who} is {what}: {how}; {instead}")))
}

/// The power of ten written into the values that a statistic of them keeps (a sum of
/// `gdp * 10000` is in 亿元 times 10000 as its terms are); a count keeps none.
fn written(stat: Stat, s: &Series) -> f64 {
    if stat == Stat::Count { 1.0 } else { s.scaled_by }
}

/// A conversion left open in the values (`sum(gdp * growth) / 100`) is open in a
/// statistic that scales as they do; a count has none.
fn open_conversion(stat: Stat, s: &Series) -> Option<crate::series::Pending> {
    if stat == Stat::Count { None } else { s.pending.clone() }
}

fn out_unit(stat: Stat, s: &Series) -> Unit {
    if stat == Stat::Count { Unit::one() } else { s.unit.clone() }
}

/// A statistic across regions in a period where a region is listed without a figure (a
/// gap in the source: `t2,2021,output,`) would leave it out: a sum comes short (60 + 30
/// for a county of 100 made of three towns), a mean or a bound is of some regions only.
/// Those periods are left missing, with a note naming a region; a count counts figures
/// and is kept.
fn short_of_listed(s: &Series, stat: Stat, out: &mut [f64]) {
    let Some(listed) = s.listed.as_ref().filter(|l| !l.is_empty() && stat != Stat::Count && s.by_region) else { return };
    let rows = s.rows();
    let mut first: Option<(usize, usize)> = None;
    let mut periods = 0;
    for &c in listed.iter() {
        let (r, p) = (c as usize % rows, c as usize / rows);
        let p = if s.by_period { p } else { 0 };
        if let Some(v) = out.get_mut(p)
            && !v.is_nan()
        {
            *v = f64::NAN;
            periods += 1;
            first.get_or_insert((r, p));
        }
    }
    if let Some((r, p)) = first {
        super::note(format!(
            "{} across regions: {periods} period(s) left missing because a region is listed there without a figure ({} {}): \
             the {} would leave it out; fill(s, 0) counts such a gap as 0 where that is meant",
            stat.name(),
            s.axes.regions.label(r as u32),
            s.axes.periods.get(p),
            stat.name()
        ));
    }
}

/// A statistic across regions in a period where a region that counts there has no
/// figure ([`super::gaps::gaps`]: a figure in an earlier period, a fact row of another
/// figure then) would leave it out, as a roll-up never does: a sum comes short (a town's
/// late return: 乙镇 had 4 in 2020, nothing yet in 2021), a mean, a median or a bound is
/// of some towns only, and a town's share of it (`share(gdp, sum(gdp))`) adds to 100%
/// without the town (year22 04: 占全县66.7% beside 全县暂无数据). Those periods are left
/// missing, with a note naming the regions; `stat(x, "reported")` takes the figures
/// present, as SQL does. A count counts figures and is kept.
fn short_of_gaps(s: &Series, stat: Stat, out: &mut [f64]) {
    if stat == Stat::Count {
        return;
    }
    let gaps = super::gaps::gaps(s);
    let mut hit: Vec<(u32, u32)> = Vec::new();
    for &(p, r) in &gaps {
        if let Some(v) = out.get_mut(p as usize)
            && (!v.is_nan() || hit.last().is_some_and(|h| h.0 == p))
        {
            *v = f64::NAN;
            hit.push((p, r));
        }
    }
    if hit.is_empty() {
        return;
    }
    let periods = {
        let mut ps: Vec<u32> = hit.iter().map(|h| h.0).collect();
        ps.dedup();
        ps.len()
    };
    let name = stat.name();
    let how =
        if matches!(stat, Stat::Quantile(_)) { "quantile(x, q, \"reported\")".to_string() } else { format!("{name}(x, \"reported\")") };
    super::note(format!(
        "{name} across regions: {periods} period(s) left missing because a region in the source by then has no figure there \
         ({}): the {name} would leave it out, as a roll-up would not; {how} is the {name} of the figures present, fill(x, 0) \
         counts a gap as 0 where that is meant",
        super::gaps::named(s, &hit),
    ));
}

/// One value per period over all regions with values; a period where a region that
/// counts has no figure is missing, with a note (`short_of_gaps`).
pub fn across_regions(s: &Series, stat: Stat) -> KResult<Series> {
    across_regions_as(s, stat, false)
}

/// [`across_regions`] of the figures present: with `reported`, a period where a region
/// that counts has no figure (a town's late return) is the statistic of the others, as
/// SQL's `SUM` and `AVG` are, with a note naming the region.
pub fn across_regions_as(s: &Series, stat: Stat, reported: bool) -> KResult<Series> {
    check(stat)?;
    // A count of regions, or of those whose latest figure meets a condition (a sum of a
    // comparison), adds no figures of different years.
    if stat != Stat::Count && !s.mask {
        s.same_periods(&format!("{} across regions", stat.name()))?;
    }
    let level = &s.axes.regions.level;
    // A statistic across regions of two levels would count a county's own figure beside
    // its towns' (300 + 100 + 200 = 600 where the county is 300): refused, in the same
    // pass that gathers the values. So is a count: 4 regions with a figure where there
    // are 3 towns is no count of anything.
    let one_level = s.by_region;
    // Over the rows kept (a roll-up's level; the others are missing), in row order.
    let view = s.kept_view();
    // A series without totals of its own adds each region's own area to a total's
    // signature: added in the same pass as the figures.
    let areas = (matches!(stat, Stat::Sum | Stat::Mean) && super::unlike::own_areas_only(s)).then(|| s.axes.areas());
    let (mut out, of_pass) = match summed(&view, stat, one_level.then_some(level.as_slice()), areas) {
        Some(sm) => (sm.values, Some((sm.present, sm.signatures))),
        None => (gathered(s, &view, stat, one_level)?, None),
    };
    if !reported {
        short_of_listed(s, stat, &mut out);
        short_of_gaps(s, stat, &mut out);
    }
    let mut res = s.shaped(false, s.by_period, out, out_unit(stat, s), Series::no_rollup("an aggregate across regions does not roll up"));
    res.scaled_by = written(stat, s);
    res.scaled_pow = if stat == Stat::Count { 1.0 } else { s.scaled_pow };
    res.pending = open_conversion(stat, s);
    res.lagged = keeps_base(stat, s);
    res.rate = s.rate.clone().filter(|_| stat != Stat::Count);
    res.spread = s.spread.filter(|_| stat != Stat::Count);
    // The sum of a region's children is their roll-up (see `Series::rolled`).
    if let (Stat::Sum, Some(crate::series::RolledUp { at: crate::series::Rolled::ChildrenOf(r), of })) = (stat, &s.rolled) {
        res.rolled = Some(crate::series::RolledUp { at: crate::series::Rolled::TotalOf(*r), of: of.clone() });
    }
    // Which regions each total adds: a quotient of two over different regions
    // (`sum(children(qty, "c")) / sum(children(plan, "c"))`) is no ratio of like totals.
    let (present, signatures) = of_pass.unzip();
    if matches!(stat, Stat::Sum | Stat::Mean) {
        res.counts = match signatures.flatten() {
            Some(sig) => Some(Arc::new(crate::counts::Counts::every_row(1, s.cols(), sig))),
            None => super::unlike::across(s),
        };
    }
    // Which periods are of the data: one left missing for a gap still is (its change is
    // missing for that, not because the data came every other year).
    if s.by_period {
        let mut of: Vec<bool> = match present {
            Some(present) => present,
            None => s.kept_view().periods().map(|col| col.iter().any(|v| !v.is_nan())).collect(),
        };
        for (d, &was) in of.iter_mut().zip(s.data_periods.iter().flat_map(|d| d.iter())) {
            *d |= was;
        }
        res.data_periods = (of.len() == s.cols()).then(|| Arc::new(of));
    }
    across_basis(s, stat, &mut res);
    Ok(res)
}

/// What [`summed`] gives: per period, the statistic, whether any region has a value, and
/// (where areas were given) the wrapping sum of the areas of the regions with one.
struct Summed {
    values: Vec<f64>,
    present: Vec<bool>,
    signatures: Option<Vec<u64>>,
}

/// A sum, mean or count across regions of each period of `view`, four periods at a time
/// (each period's values are still added one after the other in row order, so every
/// figure is bit for bit [`reduce`]'s; the four chains only overlap in time). In the same
/// pass, which periods have a value, and with `areas` (by region row) each period's
/// signature as [`super::unlike::across`] makes it for a series without totals of its
/// own. None for another statistic, or where two levels have values (`gathered` then
/// says which).
fn summed(view: &crate::series::KeptView<'_>, stat: Stat, level: Option<&[u8]>, areas: Option<&[u64]>) -> Option<Summed> {
    if !matches!(stat, Stat::Sum | Stat::Mean | Stat::Count) || view.values.len() != view.width * view.cols {
        return None;
    }
    // What `Iterator::sum` starts from, and what adds nothing to any sum (-0.0 + -0.0 is
    // -0.0; x + -0.0 is x).
    let start: f64 = std::iter::empty::<f64>().sum();
    let (w, cols) = (view.width, view.cols);
    // Four periods from `p`: their figures, and the level of the regions with values
    // (None where none has one); None where two levels have values.
    type Four = ([f64; 4], [usize; 4], [u64; 4], Option<u8>);
    let group = |p: usize| -> Option<Four> {
        let g = (cols - p).min(4);
        let col = |j: usize| &view.values[(p + j.min(g - 1)) * w..(p + j.min(g - 1) + 1) * w];
        let (c0, c1, c2, c3) = (col(0), col(1), col(2), col(3));
        let mut acc = [start; 4];
        let mut n = [0usize; 4];
        let mut sig = [0u64; 4];
        let mut lv: Option<u8> = None;
        for slot in 0..w {
            let v = [c0[slot], c1[slot], c2[slot], c3[slot]];
            let mut here = false;
            for j in 0..4 {
                let has = !v[j].is_nan();
                acc[j] += if has { v[j] } else { -0.0 };
                n[j] += has as usize;
                here |= has;
            }
            if here {
                let r = view.row(slot);
                if let Some(level) = level {
                    let l = level[r];
                    if *lv.get_or_insert(l) != l {
                        return None;
                    }
                }
                if let Some(areas) = areas {
                    let a = areas[r];
                    for j in 0..4 {
                        sig[j] = sig[j].wrapping_add(if v[j].is_nan() { 0 } else { a });
                    }
                }
            }
        }
        let mut sums = [start; 4];
        for j in 0..g {
            sums[j] = match stat {
                Stat::Count => n[j] as f64,
                _ if n[j] == 0 => f64::NAN,
                Stat::Mean => acc[j] / n[j] as f64,
                _ => acc[j],
            };
        }
        Some((sums, n, sig, lv))
    };
    let firsts: Vec<usize> = (0..cols).step_by(4).collect();
    // The groups on all cores when the panel is large: each adds its own periods in row
    // order, so the figures are the same whichever core adds them.
    let groups: Vec<Four> = if view.values.len() < super::PAR_MIN {
        firsts.iter().map(|&p| group(p)).collect::<Option<_>>()?
    } else {
        use rayon::prelude::*;
        firsts.par_iter().map(|&p| group(p)).collect::<Option<_>>()?
    };
    // One level across all the periods too.
    let mut levels = groups.iter().filter_map(|g| g.3);
    if let Some(first) = levels.next()
        && levels.any(|l| l != first)
    {
        return None;
    }
    let mut out =
        Summed { values: Vec::with_capacity(cols), present: Vec::with_capacity(cols), signatures: areas.map(|_| Vec::with_capacity(cols)) };
    for (&p, (four, n, sig, _)) in firsts.iter().zip(&groups) {
        let g = (cols - p).min(4);
        out.values.extend_from_slice(&four[..g]);
        out.present.extend(n[..g].iter().map(|&n| n > 0));
        if let Some(s) = out.signatures.as_mut() {
            s.extend_from_slice(&sig[..g]);
        }
    }
    Some(out)
}

/// Each period's statistic across regions of `view`, gathering its values; refuses values
/// at two levels (`one_level`), naming the first two regions in period and row order.
fn gathered(s: &Series, view: &crate::series::KeptView<'_>, stat: Stat, one_level: bool) -> KResult<Vec<f64>> {
    let level = &s.axes.regions.level;
    let mut first: Option<usize> = None;
    let mut buf = Vec::with_capacity(view.width);
    let mut out = Vec::with_capacity(view.cols);
    for col in view.periods() {
        buf.clear();
        for (slot, &v) in col.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let r = view.row(slot);
            if one_level {
                match first {
                    None => first = Some(r),
                    Some(f) if level[f] != level[r] => return Err(mixed_levels(s, stat, f, r).into()),
                    Some(_) => {}
                }
            }
            buf.push(v);
        }
        out.push(reduce(stat, &mut buf));
    }
    Ok(out)
}

/// The comparable basis of a statistic across regions (one value per period): a change
/// of it (`yoy(sum(gdp))`) between periods whose regions with a value differ (a town
/// that enters, one that has not delivered) would compare totals over different regions:
/// a sum's change is then taken over the regions with a value in both periods, any other
/// statistic's left missing (see `time::across_entries`). A count's change is the
/// change in the number of regions, and is kept. A roll-up that a region enters keeps
/// its entries (the county totals do not say which towns they hold): a change across
/// them is left missing.
fn across_basis(s: &Series, stat: Stat, res: &mut Series) {
    if stat == Stat::Count || !s.by_region || !s.by_period || s.mask {
        return;
    }
    if s.basis.is_some() {
        let why = format!("a {} across regions of a roll-up that a region enters", stat.name());
        Series::basis_lost(&[s], res, &why);
        return;
    }
    let mut entries: Vec<(u32, u32, u32)> = Vec::new();
    // Sums that leave out a region with a value the period before (a late delivery): the
    // period, the one before and the region.
    let mut short: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    // A region made of its children whose roll-up counts different regions in two
    // periods (a village entering under a town in `sum(level(gdp, "town"))`): its value
    // is there in both, but the total's change would count the village's figure as
    // growth. The regions beneath are gone here, so no comparable basis can be taken.
    let mut recounted: Option<usize> = None;
    // Over the rows kept (a roll-up's level): every other row is missing in both periods.
    let view = s.kept_view();
    let rows = s.rows();
    let covered = match (s.shown.as_deref(), s.covered.as_deref()) {
        (Some(sh), Some(cv)) if sh.len() == s.data.len() && cv.len() == sh.len() => Some((sh, cv)),
        _ => None,
    };
    for (p, pair) in view.periods().collect::<Vec<_>>().windows(2).enumerate() {
        if let Some((sh, cv)) = covered {
            let (i0, i1) = (p * rows, (p + 1) * rows);
            let moved = (0..pair[0].len()).find(|&slot| {
                let r = view.row(slot);
                sh[i0 + r] && sh[i1 + r] && cv[i0 + r] != cv[i1 + r] && !pair[0][slot].is_nan() && !pair[1][slot].is_nan()
            });
            if let Some(r) = moved.map(|slot| view.row(slot)) {
                entries.push((0, p as u32 + 1, r as u32));
                recounted = recounted.or(Some(r));
                continue;
            }
        }
        if let Some(r) = pair[0].iter().zip(pair[1]).position(|(a, b)| a.is_nan() != b.is_nan()) {
            entries.push((0, p as u32 + 1, view.row(r) as u32));
        }
    }
    if entries.is_empty() {
        return;
    }
    // Against the data's period before, not the calendar's: census years 2010, 2015,
    // 2020 (stats19 01: 2015's total without 乙镇, which has 2010 and 2020, was 2014's
    // comparison, where no region has a value).
    let columns: Vec<&[f64]> = view.periods().collect();
    let mut before: Option<usize> = None;
    for (p, col) in columns.iter().enumerate() {
        if col.iter().all(|v| v.is_nan()) {
            continue;
        }
        if let Some(q) = before
            && !res.data[p].is_nan()
        {
            // Every region left out, not the first only (two towns skipping 2019).
            // Not a region a selection left out on purpose (`top`: the others are no late return).
            let left_out = |r: usize| s.selected.as_deref().is_some_and(|m| m.get(p * rows + r).copied().unwrap_or(false));
            let gone: Vec<usize> = columns[q]
                .iter()
                .zip(col.iter())
                .enumerate()
                .filter(|(_, (a, b))| !a.is_nan() && b.is_nan())
                .map(|(i, _)| view.row(i))
                .filter(|&r| !left_out(r))
                .collect();
            if !gone.is_empty() {
                short.push((p, q, gone));
            }
        }
        before = Some(p);
    }
    if !short.is_empty() {
        let axis = s.axes.periods;
        let shown: Vec<String> = short
            .iter()
            .take(3)
            .map(|(p, q, gone)| {
                let names: Vec<&str> = gone.iter().take(3).map(|&r| s.axes.regions.label(r as u32)).collect();
                let others = if gone.len() > 3 { format!(" and {} more", gone.len() - 3) } else { String::new() };
                let it = if gone.len() == 1 { "it has" } else { "each has" };
                format!("{} without {}{others} ({it} a value in {})", axis.get(*p), names.join(", "), axis.get(*q))
            })
            .collect();
        let more = if short.len() > 3 { format!(" (and {} more)", short.len() - 3) } else { String::new() };
        // A mean, a median, a smallest or largest of the others alike (formulas16 03: 各镇平均
        // and 最低 of two towns where the third, last year's smallest, had not delivered).
        let (what, of) = if stat == Stat::Sum { ("total(s)", "sum") } else { ("figure(s)", stat.name()) };
        super::note(format!(
            "{of}: {} {what} across regions leave out a region that has a value the period before: {}{more}; the {of} is of \
             the values present (rollup(x, level) leaves such a total missing)",
            short.len(),
            shown.join("; ")
        ));
    }
    let lost = match recounted {
        Some(r) => Some(Arc::from(format!(
            "the regions beneath {} are not here to take it on a comparable basis: yoy(rollup(x, level)) does (同口径)",
            s.axes.regions.label(r as u32),
        ))),
        None => (stat != Stat::Sum).then(|| Arc::from(format!("a {} of regions that differ between the periods", stat.name()))),
    };
    res.basis = Some(Arc::new(Basis { source: s.clone(), level: Basis::ACROSS, entries, steps: Vec::new(), lost, as_summed: false }));
}

/// The refusal of a statistic across regions `f` and `r` of two levels: names both and
/// the level to take.
fn mixed_levels(s: &Series, stat: Stat, f: usize, r: usize) -> String {
    let regions = &s.axes.regions;
    let (a, b) = if regions.level[f] < regions.level[r] { (f, r) } else { (r, f) };
    let name = |i: usize| regions.levels.get(regions.level[i] as usize).cloned().unwrap_or_default();
    let deepest = regions
        .level
        .iter()
        .enumerate()
        .filter(|&(i, _)| (0..s.cols()).any(|p| !s.get(i, p).is_nan()))
        .map(|(_, l)| *l)
        .max()
        .unwrap_or(regions.level[b]);
    let take = regions.levels.get(deepest as usize).cloned().unwrap_or_default();
    format!(
        "{} across regions would mix levels: {} ({}) and {} ({}) both have values, so a {}'s own figure would be counted beside its {}s'; take one level first, e.g. {}(level(s, \"{take}\"))",
        stat.name(),
        regions.label(a as u32),
        name(a),
        regions.label(b as u32),
        name(b),
        name(a),
        name(b),
        stat.name()
    )
}

/// Whether some region has values in two periods of one year: only then does a sum
/// across periods count a 累计 or a year's figure again (`sum(in_period(target.x,
/// "2025-12"), "periods")` is one month's figure).
fn two_in_a_year(s: &Series) -> bool {
    let (rows, cols) = (s.rows(), s.cols());
    let axis = s.axes.periods;
    (0..rows).any(|r| {
        let mut last_year = None;
        (0..cols).filter(|&p| !s.data[p * rows + r].is_nan()).any(|p| {
            let y = axis.get(p).calendar_year();
            last_year.replace(y) == Some(y)
        })
    })
}

/// The periods of `s` that a statistic across them takes: all, or those through the
/// period the report or run is of ([`crate::tally::as_of`]): a 2022 report's
/// 十四五以来累计 summed 2021 to 2023 (6000 for 3000), a figure from after its year.
fn through_as_of(s: &Series) -> usize {
    let cols = s.cols();
    match crate::tally::as_of().filter(|_| s.by_period).and_then(|p| s.axes.periods.index(p)) {
        Some(q) => (q + 1).min(cols),
        None => cols,
    }
}

/// One value per region over all periods with values (through the period a report or
/// run is of, [`crate::tally::as_of`]).
pub fn across_periods(s: &Series, stat: Stat) -> KResult<Series> {
    check(stat)?;
    match (stat, s.spread) {
        (Stat::Sum, Some(sp)) | (Stat::Mean, Some(sp)) if (stat == Stat::Sum || sp.is_cumulative()) && two_in_a_year(s) => {
            s.refuse_spread(crate::series::AcrossMonths::Sum(stat.name()))?
        }
        _ => {}
    }
    let rows = s.rows();
    let cols = through_as_of(s);
    let mut buf = Vec::with_capacity(cols);
    let mut out: Vec<f64> = (0..rows)
        .map(|r| {
            buf.clear();
            buf.extend((0..cols).map(|p| s.data[p * rows + r]).filter(|v| !v.is_nan()));
            reduce(stat, &mut buf)
        })
        .collect();
    if stat != Stat::Count && s.by_period {
        never_short(s, stat, cols, &mut out);
    }
    let agg = if matches!(stat, Stat::Sum) && matches!(s.agg, Agg::Sum) {
        Agg::Sum
    } else {
        Series::no_rollup("this aggregate across periods does not roll up")
    };
    let mut res = s.shaped(s.by_region, false, out, out_unit(stat, s), agg);
    res.scaled_by = written(stat, s);
    res.scaled_pow = if stat == Stat::Count { 1.0 } else { s.scaled_pow };
    res.pending = open_conversion(stat, s);
    res.lagged = keeps_base(stat, s);
    res.rate = s.rate.clone().filter(|_| stat != Stat::Count);
    if matches!(stat, Stat::Sum | Stat::Mean) {
        res.counts = super::unlike::across_periods(s);
    }
    Ok(res)
}

/// A total across periods is never short, as a roll-up's is not: a region with no value
/// in a period after its first one, where another region has one (甲镇 without 2018 in
/// 2016-2020), leaves its total missing, with a note naming it (its four years summed to
/// 40 were said as the five-year total). So does a mean, median, bound, spread or
/// quantile across periods: 丙镇 listed without a 2020 figure had the mean of 2019 and
/// 2021 said as the 2019-2021 mean, as a mean across regions leaves such a period
/// missing. Before its first value a region is not yet
/// counted (a town set up later). A period is one of the data where a region has a value
/// or is listed without one (`t1,2018,inv,`); so is one between the data's first and last
/// where no region has any, when the data comes every period (2016, 2017, 2019, 2020: a
/// lone town, or `only(inv, "t1")`, without 2018), but not in data at irregular
/// intervals (1978, 1980, 1985: the years between were never collected).
/// `cols`: the periods the total takes (those through a report's period); which periods
/// are of the data is read over all of them.
fn never_short(s: &Series, stat: Stat, cols: usize, out: &mut [f64]) {
    let (rows, all) = (s.rows(), s.cols());
    let mut any: Vec<bool> = (0..all).map(|p| (0..rows).any(|r| !s.data[p * rows + r].is_nan())).collect();
    if let Some(listed) = &s.listed {
        for &i in listed.iter().filter(|&&i| (i as usize) < rows * all) {
            any[i as usize / rows] = true;
        }
    }
    // A roll-up's period is one of the data where what it rolls up has a value there (a
    // county whose February is missing for a town that did not report it).
    if let Some(rolled) = &s.rolled {
        for src in rolled.of.iter().filter(|c| c.len() == rows * all) {
            for (p, a) in any.iter_mut().enumerate() {
                *a = *a || (0..rows).any(|r| !src.cell(p * rows + r).is_nan());
            }
        }
    }
    // ... and so is one where the regions a selection left out have figures (`only`).
    for (a, &was) in any.iter_mut().zip(s.data_periods.iter().flat_map(|d| d.iter())) {
        *a |= was;
    }
    every_period_between(&mut any);
    // A cell a selection left out (`in_period`) is no gap.
    let left_out = |i: usize| s.selected.as_ref().is_some_and(|m| m.get(i).copied().unwrap_or(false));
    // A region listed without a figure before its first one (`t5,2019,gdp,` then 10 and
    // 11) was counted from its first figure: listed, it is counted from there, as a
    // roll-up counts it.
    let mut listed_from: Vec<usize> = vec![usize::MAX; rows];
    if let Some(listed) = &s.listed {
        for &i in listed.iter().filter(|&&i| (i as usize) < rows * cols) {
            let (r, p) = (i as usize % rows, i as usize / rows);
            listed_from[r] = listed_from[r].min(p);
        }
    }
    let mut short: Vec<(usize, usize)> = Vec::new();
    for (r, total) in out.iter_mut().enumerate() {
        let Some(first) = (0..cols).find(|&p| !s.data[p * rows + r].is_nan()) else { continue };
        let from = first.min(listed_from[r]);
        if let Some(gap) = (from..cols).find(|&p| p != first && any[p] && s.data[p * rows + r].is_nan() && !left_out(p * rows + r)) {
            *total = f64::NAN;
            short.push((r, gap));
        }
    }
    if short.is_empty() {
        return;
    }
    let axis = s.axes.periods;
    let name = |r: usize| if s.by_region { s.axes.regions.label(r as u32).to_string() } else { "the total".to_string() };
    let shown: Vec<String> = short.iter().take(3).map(|&(r, p)| format!("{} has none in {}", name(r), axis.get(p))).collect();
    let more = if short.len() > 3 { format!(" (and {} more)", short.len() - 3) } else { String::new() };
    let (results, why) = match stat {
        Stat::Sum => (
            "total(s)",
            "the sum of the others would be short (a total is never short, as a roll-up's is not); fill(x, 0) counts a missing \
             period as 0"
                .to_string(),
        ),
        _ => (
            "value(s)",
            format!(
                "the {} of the other periods would stand for them all; give the missing figure, or take the periods that have one \
                 with in_period",
                stat.name()
            ),
        ),
    };
    super::note(format!(
        "{} across periods: {} {results} left missing, a period without a value after the first or listed without one: {}{more}; {why}",
        stat.name(),
        short.len(),
        shown.join("; ")
    ));
}

/// Marks the periods between the first and the last of `data` as periods of the data
/// where the data comes every period: more steps of one period than longer ones between
/// the periods marked (2016, 2017, 2019, 2020: 2018 was not delivered), not at irregular
/// intervals (1978, 1980, 1985) or every few periods (quarters on a monthly axis).
fn every_period_between(data: &mut [bool]) {
    let marked: Vec<usize> = data.iter().enumerate().filter(|(_, d)| **d).map(|(p, _)| p).collect();
    let (ones, longer) = marked.windows(2).fold((0usize, 0usize), |(o, l), w| if w[1] - w[0] == 1 { (o + 1, l) } else { (o, l + 1) });
    if longer > 0
        && ones > longer
        && let (Some(&first), Some(&last)) = (marked.first(), marked.last())
    {
        data[first..=last].iter_mut().for_each(|d| *d = true);
    }
}

/// A sum, mean, median, min or max of earlier values (`sum(lag(profit, 1))`) is itself
/// an earlier value: a base, over which a negative one gives no growth.
fn keeps_base(stat: Stat, s: &Series) -> bool {
    s.lagged && matches!(stat, Stat::Sum | Stat::Mean | Stat::Median | Stat::Min | Stat::Max)
}

/// Per region, the value of the latest period that has one.
///
/// The result remembers each row's period ([`Series::periods_of`]): where the regions'
/// latest periods differ (甲镇 2021, 乙镇 2020), a roll-up, a statistic across regions or
/// a rank of it refuses rather than add or compare figures of different years; an
/// operation with another latest figure of another period (`latest(gdp) /
/// latest(pop)`, GDP of 2021 over population of 2020) refuses too.
pub fn latest(s: &Series) -> Series {
    let rows = s.rows();
    let cols = through_as_of(s);
    let at: Vec<u32> =
        (0..rows).map(|r| (0..cols).rev().find(|&p| !s.data[p * rows + r].is_nan()).map_or(u32::MAX, |p| p as u32)).collect();
    let out: Vec<f64> = at.iter().enumerate().map(|(r, &p)| if p == u32::MAX { f64::NAN } else { s.data[p as usize * rows + r] }).collect();
    let mut res = s.shaped(s.by_region, false, out, s.unit.clone(), s.agg.clone());
    res.scaled_by = s.scaled_by;
    res.scaled_pow = s.scaled_pow;
    res.pending = s.pending.clone();
    res.lagged = s.lagged;
    res.rate = s.rate.clone();
    // Kept also where every region's is the same period: `latest(gdp) / latest(pop)`
    // must not divide a 2021 figure by a 2020 one.
    super::unlike::latest(s, &at, &mut res);
    res.periods_of = (s.by_region && s.by_period).then(|| Arc::new(at));
    res
}
