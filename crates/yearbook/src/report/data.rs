//! What report templates can read, gathered once from a workspace and a run: every
//! indicator's value at the report's region and period with its growth, flag and rank
//! among sibling regions, its trend over periods, the tables, findings and summaries.
//! Plain owned data (Send + Sync), as template functions require.

use crate::finding::RunResult;
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;
use yearbook_core::kernel::time;
use yearbook_core::series::Series;
use yearbook_core::table::Table;
use yearbook_core::unit::Unit;

/// An indicator as a report shows it at the report's region and period.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorData {
    /// The code or derived id.
    pub code: String,
    /// The label.
    pub label: String,
    /// The unit symbol.
    pub unit: String,
    /// The value (None when missing).
    pub value: Option<f64>,
    /// The value a year earlier.
    pub previous: Option<f64>,
    /// Growth on a year earlier in %, computed from the values; for a rate, a share or an
    /// index the change in points (50% -> 52.5% is 2.5); none for a rate without a unit
    /// whose scale is unknown.
    pub yoy: Option<f64>,
    /// Growth on a year earlier in % as reported (`reported_yoy.<code>` or `reported.<code>`).
    pub reported_yoy: Option<f64>,
    /// A footnote mark read with the value (`*`, `①`).
    pub flag: Option<String>,
    /// Rank among the region's siblings (1 = largest; values equal to 12 significant
    /// digits share a place, as `rank()` ranks) and how many have a value; none where the
    /// siblings' figures are of different periods, and where no sibling has a value.
    pub rank: Option<usize>,
    /// Whether another sibling has the same value (to 12 significant digits) and so the
    /// same place: 并列.
    pub rank_shared: bool,
    /// Regions at the same level under the same parent (ranks and sibling charts only when more than one).
    pub siblings: usize,
    /// Values at the region for every period of the axis.
    pub trend: Vec<Option<f64>>,
    /// (sibling region name, value) in the report period.
    pub sibling_values: Vec<(String, f64)>,
    /// (child region name, value or None) in the report period, in the regions file's
    /// order: the towns of a county report.
    pub children_values: Vec<(String, Option<f64>)>,
    /// Where the siblings' figures are of different periods (a `latest()` of regions
    /// last reporting in different years): the regions and their periods, as `rank()`
    /// names them. No rank and no sibling chart is drawn from them.
    #[serde(skip)]
    pub siblings_apart: Option<String>,
    /// The same for the children's figures: no `ranking()` of them.
    #[serde(skip)]
    pub children_apart: Option<String>,

    /// Why the report's region shows no figure though its children report one: a
    /// derived indicator that declares no roll-up and whose formula does not roll up
    /// (revenue = price * qty). A template that asks for its figure is refused with it,
    /// never told 暂无数据.
    #[serde(skip)]
    pub not_rolled_up: Option<String>,
    /// The unit, parsed (for phrasing).
    #[serde(skip)]
    pub unit_parsed: Unit,
    /// A total rolled up from regions of which one was not counted a year earlier: that
    /// region and the period it is counted from. Its change on a year earlier is not
    /// taken on a comparable basis (yoy is over the regions in both years; sentences
    /// say so: 同比增长10%（按可比口径计算，丙镇2021年起纳入）), or not at all.
    pub scope_change: Option<(String, String)>,
    /// A rate or share without a unit (declared `kind = rate`, or a label naming one): how
    /// its change is said ([`crate::report::phrase::Unitless`]).
    #[serde(skip)]
    pub unitless_rate: crate::report::phrase::Unitless,
    /// How its period a year earlier is named: 上年, or 上年同期 on a panel of months or
    /// quarters ([`crate::report::phrase::year_before`]).
    #[serde(skip)]
    pub year_before: &'static str,
}

impl IndicatorData {
    /// The change on a year earlier, for the phrasing helpers.
    pub fn change(&self) -> crate::report::phrase::Change<'_> {
        crate::report::phrase::Change {
            value: self.value,
            previous: self.previous,
            reported_pct: self.reported_yoy,
            unit: &self.unit_parsed,
            label: &self.label,
            scope_change: self.scope_change.as_ref().map(|(r, p)| (r.as_str(), p.as_str(), self.yoy)),
            unitless_rate: self.unitless_rate,
            year_before: self.year_before,
        }
    }
}

/// What report templates see: plain owned data, no workspace.
pub struct ReportData {
    /// The report's title.
    pub title: String,
    /// The region's code.
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// The report's period.
    pub period: String,
    /// Every period of the data, in order.
    pub periods: Vec<String>,
    /// Indicators by code or id.
    pub indicators: BTreeMap<String, IndicatorData>,
    /// Indicator codes in file order, then derived ones in config order.
    pub order: Vec<String>,
    /// Namespaced facts (target_completion.fdi_actual): value at region and period.
    pub namespaced: BTreeMap<String, (Option<f64>, String)>,
    /// Record tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Value labels from `[report.labels]`: column -> code -> label.
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// The run's findings and summaries.
    pub run: RunResult,
    /// Derived indicators that could not be computed, with why (a template that asks
    /// for one says why, never "unknown indicator").
    pub failed: BTreeMap<String, String>,
}

/// Where the figures of `s` at regions `rows` are of different periods (each region's
/// `latest()` of another year): the regions and their periods, latest first (乙镇: 2021;
/// 甲镇: 2020); none where they share one.
fn periods_apart(s: &Series, rows: &[usize]) -> Option<String> {
    let of = s.periods_of.as_ref()?;
    let mut by: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for &i in rows {
        if let Some(&q) = of.get(i).filter(|q| **q != u32::MAX) {
            by.entry(q).or_default().push(s.axes.regions.label(i as u32));
        }
    }
    (by.len() > 1).then(|| {
        by.iter()
            .rev()
            .map(|(&q, names)| {
                let more = if names.len() > 3 { format!(" and {} more", names.len() - 3) } else { String::new() };
                format!("{}{more}: {}", names[..names.len().min(3)].join(", "), s.axes.periods.get(q as usize))
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl ReportData {
    /// A column's value as the report prints it: its declared label, else itself.
    pub fn label_of<'a>(&'a self, column: &str, value: &'a str) -> &'a str {
        self.labels.get(column).and_then(|m| m.get(value)).map(String::as_str).unwrap_or(value)
    }

    /// Gathers the data of a report on `region` at period index `p` (a parent region shows figures rolled up from its children).
    pub fn gather(ws: &Workspace, run: RunResult, region: u32, p: usize, title: String) -> ReportData {
        let panel = ws.panel();
        let regions = panel.regions();
        let axis = panel.periods();
        let r = region as usize;
        let parent = regions.parent[r];
        let siblings: Vec<usize> =
            (0..regions.len()).filter(|&i| regions.parent[i] == parent && regions.level[i] == regions.level[r]).collect();
        let mut series: Vec<(String, String, Series)> = Vec::new();
        for (i, ind) in panel.indicators.iter().enumerate() {
            series.push((ind.code.clone(), ind.label.clone(), ws.data.indicator_series(i)));
        }
        let children: Vec<usize> = (0..regions.len()).filter(|&i| regions.parent[i] == region).collect();
        // Every region's children, built once for the flags of rolled-up figures.
        let tree: std::cell::OnceCell<Vec<Vec<usize>>> = std::cell::OnceCell::new();
        let mut failed = BTreeMap::new();
        for d in &ws.program.indicators.defs {
            match ws.compute_indicator(&d.id) {
                Ok(s) => series.push((d.id.clone(), d.label.clone(), as_percent_if_fraction(d, s))),
                Err(e) => {
                    failed.insert(d.id.clone(), e.message().to_string());
                }
            }
        }
        let mut indicators = BTreeMap::new();
        let order: Vec<String> = series.iter().map(|(c, _, _)| c.clone()).filter(|c| !c.contains('.')).collect();
        let mut namespaced = BTreeMap::new();
        // A county or province report shows the figures rolled up from its towns where it
        // has no facts of its own (each indicator by its roll-up rule).
        for (code, label, s) in &series {
            if code.contains('.') {
                namespaced.insert(code.clone(), (finite(s.get(r, p)), s.unit.symbol.to_string()));
                continue;
            }
            let children_values: Vec<(String, Option<f64>)> = if s.by_region {
                // A child made of its own children (a town of its villages) is ranked with
                // their roll-up, as its own report shows it.
                let levels: Vec<u8> = children.iter().map(|&i| regions.level[i]).collect();
                let shown = yearbook_core::kernel::rollup::as_shown(s, |l| levels.contains(&l));
                children.iter().map(|&i| (regions.label(i as u32).to_string(), finite(shown.get(i, p)))).collect()
            } else {
                Vec::new()
            };
            let children_apart = periods_apart(s, &children);

            let rolled = shown_at(ws, code, s, r).map(|(x, _)| x);
            let not_rolled_up = match &s.agg {
                yearbook_core::series::Agg::None(why)
                    if rolled.is_none()
                        && s.by_region
                        && s.get(r, p).is_nan()
                        && ws.program.indicators.get(code).is_some_and(|d| d.rollup.is_none())
                        && children.iter().any(|&i| s.get(i, p).is_finite()) =>
                {
                    Some(format!(
                        "{label} (`{code}`) of {}: its regions under it have figures, but they do not make its figure: {why}",
                        regions.label(region)
                    ))
                }
                _ => None,
            };
            // A ratio of two figures of one dimension without a unit (`u / p`, `u / p * 100`
            // of 城镇人口 and 总人口) that is a part of its whole: a proportion whatever its
            // label says, so its change is said by its two values (由40提高至45), never as a
            // growth (同比增长12.5%).
            let like_ratio = s.unit.is_bare_number() && matches!(s.agg, yearbook_core::series::Agg::Ratio(_));
            let scaled_by = s.scaled_by;
            let flag = s.indicator.and_then(|i| flag_shown(ws, &tree, i, r, p, rolled.is_some()));
            let s = rolled.as_ref().unwrap_or(s);
            let per_year = axis.freq.per_year() as usize;
            let value = finite(s.get(r, p));
            let previous = (p >= per_year && s.by_period).then(|| finite(s.get(r, p - per_year))).flatten();
            // A part of its whole (both values at most 1 before a factor written into it):
            // a multiple (财政总收入是地方的 2.5 倍) keeps its growth.
            let part = |v: Option<f64>| v.is_some_and(|v| scaled_by > 0.0 && (0.0..=1.0).contains(&(v / scaled_by)));
            let like_ratio = like_ratio && part(value) && part(previous);
            let unitless_rate = match crate::report::phrase::Unitless::of(
                &s.unit,
                label,
                panel.indicator(code).is_some_and(|i| panel.indicators[i].kind == yearbook_core::indicator::Kind::Rate),
            ) {
                crate::report::phrase::Unitless::No if like_ratio && !crate::report::phrase::is_multiple(&s.unit) => {
                    crate::report::phrase::Unitless::Named
                }
                u => u,
            };
            let yoy = yoy_of(s, r, p, value, previous, unitless_rate);
            let reported = ["reported_yoy", "reported"]
                .iter()
                .find_map(|ns| panel.indicator(&format!("{ns}.{code}")).and_then(|i| finite(panel.value(i, p * regions.len() + r))));
            // A sibling made of its own children (a town of its villages) ranks with their
            // roll-up, as rank() and ranking() take it (review23 03: 乙镇 was 1/2 beside a
            // 甲镇 of villages, one of them late).
            let level = regions.level[r];
            let sib_shown = if s.by_region { yearbook_core::kernel::rollup::as_shown(s, |l| l == level) } else { s.clone() };
            let mut sib: Vec<(String, f64)> =
                siblings.iter().filter_map(|&i| finite(sib_shown.get(i, p)).map(|v| (regions.label(i as u32).to_string(), v))).collect();
            sib.sort_by(|a, b| b.1.total_cmp(&a.1));
            let siblings_apart = periods_apart(s, &siblings);
            let key = yearbook_core::kernel::arith::tie_key;
            // A rank only among siblings: a region alone at its level (the county at the
            // top) has none, as the indicator table prints — (it was 第1位 in a template).
            // None either where a sibling in the source by then has no figure (year22 03:
            // 甲镇 was 1/2 while 丙镇, five times its size a year earlier, had not delivered).
            let rank = value
                .filter(|_| siblings_apart.is_none() && sib.len() > 1 && !unplaced(&sib_shown, &siblings, p))
                .map(|v| 1 + sib.iter().filter(|(_, x)| key(*x) > key(v)).count());
            // Another sibling holds the same place (并列), as rank() and ranking() say.
            let rank_shared = rank.is_some() && value.is_some_and(|v| sib.iter().filter(|(_, x)| key(*x) == key(v)).count() > 1);
            indicators.insert(
                code.clone(),
                IndicatorData {
                    code: code.clone(),
                    label: label.clone(),
                    unit: s.unit.symbol.to_string(),
                    value,
                    previous,
                    yoy,
                    reported_yoy: reported,
                    // No total a year earlier at all (the data starts this year): no region
                    // entered a total that was there, so no 统计范围变化; the change is
                    // unknown (暂无上年同期数据), or the reported growth.
                    scope_change: s.basis.as_ref().filter(|_| previous.is_some()).and_then(|b| {
                        b.entries
                            .iter()
                            .find(|&&(t, first, _)| t as usize == r && first as usize <= p && p < first as usize + per_year)
                            .map(|&(_, first, c)| (entering(b, r, first as usize, c), axis.get(first as usize).chinese()))
                    }),
                    flag,
                    rank,
                    rank_shared,
                    siblings: sib.len(),
                    trend: (0..axis.len).map(|q| finite(s.get(r, q))).collect(),
                    sibling_values: sib,
                    children_values,
                    unitless_rate,
                    siblings_apart,
                    children_apart,
                    not_rolled_up,
                    unit_parsed: s.unit.clone(),
                    year_before: crate::report::phrase::year_before(axis.freq),
                },
            );
        }
        ReportData {
            title,
            region: regions.codes[r].clone(),
            region_name: regions.label(region).to_string(),
            period: axis.get(p).to_string(),
            periods: axis.iter().map(|x| x.to_string()).collect(),
            indicators,
            order,
            namespaced,
            tables: ws.data.tables.clone(),
            labels: ws.config.config.report.as_ref().map(|r| r.labels.clone()).unwrap_or_default(),
            run,
            failed,
        }
    }
}

/// The change on a year earlier a template's `yoy(code)` gives: the growth in % of a
/// figure; the change in points of a rate, a share or an index (城镇化率 50% -> 52.5% is
/// 2.5, never its relative change 5; 居民消费价格指数 102 -> 103.5 is 1.5), as `growth()`
/// and the indicator table say it; none for a rate without a unit whose scale is unknown.
fn yoy_of(
    s: &Series,
    r: usize,
    p: usize,
    value: Option<f64>,
    previous: Option<f64>,
    unitless: crate::report::phrase::Unitless,
) -> Option<f64> {
    use crate::report::phrase::{Unitless, is_rate};
    // The change in points as `diff` takes it: missing where the region's roll-up counts
    // different regions in the two years (a town entered: 46% of two towns against 60% of
    // one was -14 points, where the comparable change was +2).
    let points = || {
        let comparable = !s.by_period || time::diff(s, time::per_year(s)).is_ok_and(|d| d.get(r, p).is_finite());
        value.zip(previous).filter(|_| comparable).and_then(|(v, b)| finite(yearbook_core::kernel::arith::difference(v, b)))
    };
    if is_rate(&s.unit) || s.unit.is_index() {
        return points();
    }
    match unitless {
        Unitless::No => {}
        Unitless::Declared if value.zip(previous).is_some_and(|(v, b)| v > 1.0 && b > 1.0) => return points(),
        Unitless::Declared | Unitless::Named => return None,
    }
    if s.by_period { time::growth(s, time::per_year(s)).ok().and_then(|g| finite(g.get(r, p) * 100.0)) } else { None }
}

/// A derived share without a declared unit, shown in %: `share(a, b)` and
/// `completion(a, b)` are fractions by definition, and so is `a / b` of two figures of one
/// dimension labelled as a share (比重, 占比, 比例, 份额, …率). A report prints 第一产业比重
/// 17.5% (not 0.18) and its change in 百分点 (下降2.5个百分点, not 同比下降12.5%).
///
/// So is a growth (`yoy(gdp)`, `pop`, `growth`, `cagr`, `two_year_avg_growth`: 10%, not
/// 0.1, its change 提高20个百分点), and a pure number a `* 100` written in the formula made
/// a percent's printed number (`gdp / lag(gdp, 1) * 100`, a 发展速度 of 110%: its change is
/// 20个百分点, where the table said 同比22.22%), as a rule's values are read.
fn as_percent_if_fraction(d: &yearbook_script::derived::Def, s: Series) -> Series {
    if d.unit.is_none() && s.unit.is_bare_number() && s.scaled_by != 1.0 {
        let written = yearbook_core::kernel::arith::as_written(s.clone());
        if written.unit != s.unit {
            return written;
        }
    }
    // Under round, fill or abs as well (round(share(rev, gdp), 3) showed 0.15 for 15.15%).
    let fraction = match d.table_call() {
        Some(("share" | "completion", 2)) => true,
        Some(("yoy" | "pop" | "growth" | "cagr" | "two_year_avg" | "two_year_avg_growth", _)) => true,
        Some(("/", 2)) => crate::report::phrase::is_unitless_rate(&s.unit, &d.label, false),
        _ => false,
    };
    if d.unit.is_none() && fraction && s.unit.is_bare_number() {
        yearbook_core::kernel::arith::convert(s.clone(), &Unit::percent()).unwrap_or(s)
    } else {
        s
    }
}

/// How a report shows a figure that its region has none of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Rolled up from the region's children by the series' roll-up rule.
    RolledUp,
    /// A derived indicator's formula over the inputs as shown: the region's own figures
    /// where it has them, else its children's roll-up.
    OverShownInputs,
}

/// What a report on region `r` shows of indicator `code` (a loaded or derived
/// indicator, `s` its values) in place of its own figures, and how it was made; None
/// when the report shows `s` itself (`r` has a figure of its own, or no children).
/// `explain` shows the same.
pub fn shown_at(ws: &Workspace, code: &str, s: &Series, r: usize) -> Option<(Series, Shown)> {
    let regions = ws.panel().regions();
    if !(0..regions.len()).any(|i| regions.parent[i] as usize == r) {
        return None;
    }
    let level = regions.level[r];
    // A derived indicator that a parent region has no value of is shown as its formula
    // over what the report shows of its inputs, where some input is the region's own
    // figure and others are rolled up from its children.
    if let Some(d) = ws.program.indicators.get(code)
        && (0..s.cols()).all(|q| s.get(r, q).is_nan())
        && let Some(x) =
            over_shown_inputs(ws, d, level, !matches!(s.agg, yearbook_core::series::Agg::None(_)) || !s.unit.is_dimensionless())
    {
        return Some((x, Shown::OverShownInputs));
    }
    shown(s, r, level).map(|x| (x, Shown::RolledUp))
}

/// The flag of loaded indicator `ind`'s figure at region `r` and period `p` as a report
/// shows it: the fact's own; for a figure made of its children's (`rolled`: a county
/// of its towns, a town of its villages), what theirs make of it. A sum or mean of
/// figures of which one is at least its figure (以上) is at least the total; one nearly
/// (近) its figure, nearly; an approximate one (约), or bounds both ways, approximate; an
/// estimate, an estimate. 全县3200万美元以上 where 甲镇 gave 2200以上, never the bare 3200.
/// `tree` holds every region's children, built on first use for the whole report.
fn flag_shown(ws: &Workspace, tree: &std::cell::OnceCell<Vec<Vec<usize>>>, ind: usize, r: usize, p: usize, rolled: bool) -> Option<String> {
    use crate::report::phrase::{Qualifier, flag_words};
    let panel = ws.panel();
    let regions = panel.regions();
    let nr = regions.len();
    if !rolled {
        return panel.flag(ind, p * nr + r).map(String::from);
    }
    let children = tree.get_or_init(|| {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); nr];
        for i in 0..nr {
            let parent = regions.parent[i];
            if parent != yearbook_core::region::NONE && (parent as usize) < nr {
                children[parent as usize].push(i);
            }
        }
        children
    });
    // The regions whose own figures make the shown one: a child with a figure of its own
    // stands for its children, one without is made of its own children in turn.
    let mut qualifiers = Vec::new();
    let mut stack = children[r].clone();
    let mut seen = 0usize;
    while let Some(d) = stack.pop() {
        seen += 1;
        if seen > nr {
            break;
        }
        if panel.value(ind, p * nr + d).is_finite() {
            qualifiers.extend(panel.flag(ind, p * nr + d).and_then(|f| flag_words(f).0));
        } else {
            stack.extend(children[d].iter().copied());
        }
    }
    let has = |q: Qualifier| qualifiers.contains(&q);
    let word = if has(Qualifier::Approximate) || (has(Qualifier::LowerBound) && has(Qualifier::UpperBound)) {
        "approximate"
    } else if has(Qualifier::LowerBound) {
        "lower_bound"
    } else if has(Qualifier::UpperBound) {
        "upper_bound"
    } else if has(Qualifier::Estimate) {
        "estimate"
    } else {
        return None;
    };
    Some(word.to_string())
}

/// What a report on region `r` (at `level`, with children) shows of `s` in place of its
/// own figures, when it has none in any period: the figures rolled up from its children
/// by the series' roll-up rule. A ratio (人均, 占比) is recomputed from what the report
/// shows of its parts, so it agrees with them: a county with its own GDP (80 亿元, not
/// its towns' 77) and its towns' population shows 人均GDP = 80 亿元 / that population,
/// not the towns' 77 亿元 over it. None: `s` is shown as it is.
fn shown(s: &Series, r: usize, level: u8) -> Option<Series> {
    use yearbook_core::kernel::{arith, rollup::rollup};
    use yearbook_core::series::Agg;
    if !s.by_region || (0..s.cols()).any(|q| !s.get(r, q).is_nan()) {
        return None;
    }
    // Rounded: what the report shows of the unrounded values, rounded.
    if let Some(rd) = &s.rounded {
        return shown(&rd.source, r, level).map(|src| yearbook_core::kernel::rollup::rounded_as(src, s));
    }
    match &s.agg {
        Agg::Ratio(parts) => {
            let (num, den) = (&parts.0, &parts.1);
            let (n, d) = (shown(num, r, level), shown(den, r, level));
            if n.is_some() && d.is_some() {
                // Both parts rolled up: the ratio's own roll-up, which also leaves a
                // total missing where a child has one part and not the other.
                return rollup(s, level).ok();
            }
            let num = n.unwrap_or_else(|| num.clone());
            let den = d.unwrap_or_else(|| den.clone());
            let mut out = arith::convert(arith::binary(num, den, arith::Op::Div).ok()?, &s.unit).ok()?;
            out.agg = s.agg.clone();
            Some(out)
        }
        _ => rollup(s, level).ok(),
    }
}

/// A derived indicator over what a report on regions of `level` shows of its inputs:
/// each input figure that a region of that level has none of is rolled up from its
/// children, the others are its own. An input is a loaded indicator (`gdp`) or one under a
/// namespace (`cum.out`, `target.out`). Only where that differs from rolling the
/// indicator up (some input has a figure of its own there: a county's own GDP of 700
/// beside its towns' industry, 非工业 = 700 - 350, not the towns' 643 - 350), or where the
/// indicator, a rate, does not roll up at all and every input is a total (`rolls` false:
/// 时间进度, pacing or 同比 of a county made of its towns is the formula over the towns'
/// totals, as completion's is: 1530 / 1500 - 1 = 2%, never a mean of the towns' growths),
/// the indicator declares no roll-up of
/// its own (a declared `rollup = "sum"` is the sum of the towns' values), and it is made
/// of facts only. None otherwise, or when it cannot be evaluated.
fn over_shown_inputs(ws: &Workspace, d: &yearbook_script::derived::Def, level: u8, rolls: bool) -> Option<Series> {
    if d.rollup.is_some() || !d.uses.is_empty() {
        return None;
    }
    let panel = ws.panel();
    let regions = panel.regions();
    let at_level: Vec<usize> = (0..regions.len()).filter(|&i| regions.level[i] == level).collect();
    let mut names: Vec<String> = yearbook_script::definitions::free_variables(&d.ast).into_iter().map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    let mut scope = rhai::Scope::new();
    let mut own_somewhere = false;
    // Loaded indicator `i` as shown at `level`, and whether a region there has a figure of
    // its own; None where it does not roll up.
    let as_shown = |i: usize| -> Option<(Series, bool, bool)> {
        let s = ws.data.indicator_series(i);
        let own = |row: usize| (0..s.cols()).any(|q| !s.get(row, q).is_nan());
        let own_here = at_level.iter().any(|&row| own(row));
        let rolled = yearbook_core::kernel::rollup::rollup(&s, level).ok()?;
        let rows = s.rows();
        let mut data = s.data.to_full();
        let mut filled_rows = vec![false; rows];
        for &row in at_level.iter().filter(|&&row| !own(row)) {
            filled_rows[row] = true;
            for q in 0..s.cols() {
                data[q * rows + row] = rolled.data[q * rows + row];
            }
        }
        let mut filled = s.with(data, s.unit.clone(), s.agg.clone());
        filled.indicator = s.indicator;
        // The rows taken from the roll-up keep its entries: a growth the formula takes
        // across a town's entry is on a comparable basis there, as the roll-up's is.
        if let Some(b) = &rolled.basis {
            let mut b = b.as_ref().clone();
            b.entries.retain(|e| filled_rows.get(e.0 as usize).copied().unwrap_or(false));
            if !b.entries.is_empty() {
                filled.basis = Some(std::sync::Arc::new(b));
            }
        }
        Some((filled, own_here, matches!(s.agg, yearbook_core::series::Agg::Sum)))
    };
    // Where the indicator does not roll up, each input must be a total: a rate made of
    // totals is its formula over theirs, but a mean price times the towns' quantity
    // (15 元/吨 × 4 吨) is no town's sales added up (10 + 60).
    let mut all_totals = true;
    // The loaded indicators the formula reads, for the regions each has a figure of.
    let mut read: Vec<usize> = Vec::new();
    for name in names {
        if let Some(i) = panel.indicator(&name) {
            let Some((filled, own_here, total)) = as_shown(i) else { continue };
            own_somewhere |= own_here;
            all_totals &= total;
            read.push(i);
            scope.push(name, filled);
        } else if ws.data.namespaces.contains(&name) {
            // A namespace's figures the formula names (`cum.out`, `cum["out"]`), each as
            // shown, under their codes; the others are not read (a `cum.price` of its
            // own roll-up beside them).
            let prefix = format!("{name}.");
            let named = |member: &str| {
                let dotted = format!("{name}.{member}");
                d.text.match_indices(dotted.as_str()).any(|(at, _)| {
                    let after = d.text[at + dotted.len()..].chars().next();
                    after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                }) || d.text.contains(&format!("{name}[\"{member}\"]"))
            };
            let mut members = rhai::Map::new();
            for (i, code) in panel.codes().enumerate() {
                let Some(member) = code.strip_prefix(prefix.as_str()) else { continue };
                if !named(member) {
                    continue;
                }
                read.push(i);
                let (filled, own_here, total) = as_shown(i)?;
                own_somewhere |= own_here;
                all_totals &= total;
                members.insert(member.into(), rhai::Dynamic::from(filled));
            }
            scope.push(name, members);
        }
    }
    if !own_somewhere && (rolls || !all_totals) {
        return None;
    }
    let name = format!("indicators.{}", d.id);
    let spec = crate::workspace::EvalSpec {
        name: &name,
        text: &d.text,
        timeout_ms: ws.program.limits.timeout_ms,
        rule: None,
        fill: yearbook_script::rule::MissingPolicy::SkipAny,
        levels: None,
        open: true,
    };
    let v = ws.evaluate(&mut scope, &d.ast, &spec).0.ok()?.value.into_dynamic();
    let s = v.try_cast::<Series>()?;
    let s = match &d.unit {
        Some(u) => yearbook_core::kernel::arith::convert(s, u).ok()?,
        None => s,
    };
    // Settled as the indicator's own value is (`yearbook_script::indicators`).
    let mut s = yearbook_core::kernel::arith::settle(s, None).ok()?;
    if !own_somewhere {
        same_children_or_missing(ws, &read, &at_level, &mut s);
    }
    Some(s)
}

/// Leaves missing each cell of `s` (a formula over the totals of `read`, at regions of
/// one level made of their children) where the inputs' totals add up different children:
/// a town with 1-6月累计 and no target counted on one side only set 1830 against 3000
/// (a pacing of 11个百分点 where the towns with a target made 1). The children with a
/// figure of each input in each period must be the same.
fn same_children_or_missing(ws: &Workspace, read: &[usize], at_level: &[usize], s: &mut Series) {
    if read.len() < 2 || !s.by_region || !s.by_period {
        return;
    }
    let panel = ws.panel();
    let regions = panel.regions();
    let inputs: Vec<Series> = read.iter().map(|&i| ws.data.indicator_series(i)).collect();
    let (rows, cols) = (s.rows(), s.cols());
    if inputs.iter().any(|x| x.rows() != rows || x.cols() != cols) {
        return;
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for c in 0..regions.len().min(rows) {
        let p = regions.parent[c];
        if p != yearbook_core::region::NONE && (p as usize) < rows {
            children[p as usize].push(c);
        }
    }
    let mut data = s.data.to_full();
    let mut changed = false;
    for &r in at_level {
        for q in 0..cols {
            let idx = q * rows + r;
            if data[idx].is_nan() {
                continue;
            }
            let has = |x: &Series, c: usize| !x.get(c, q).is_nan();
            let differs = children[r].iter().any(|&c| inputs.iter().any(|x| has(x, c) != has(&inputs[0], c)));
            if differs {
                data[idx] = f64::NAN;
                changed = true;
            }
        }
    }
    if changed {
        *s = s.with(data, s.unit.clone(), s.agg.clone());
    }
}

/// The regions a roll-up first counts in period `first` under target row `t`, by name
/// (丙镇、丁镇; the first three and 等N个 past them): every one that entered, not only
/// the one its basis lists (`c`).
fn entering(b: &yearbook_core::series::Basis, t: usize, first: usize, c: u32) -> String {
    let src = &b.source;
    let rows = src.rows();
    if !src.by_region || !src.by_period || first >= src.cols() {
        return src.axes.regions.label(c).to_string();
    }
    let anc = src.axes.ancestors(b.level);
    let new: Vec<usize> = (0..rows)
        .filter(|&r| anc.get(r).is_some_and(|&a| a as usize == t))
        .filter(|&r| !src.get(r, first).is_nan() && (0..first).all(|q| src.get(r, q).is_nan()))
        .collect();
    let label = |r: usize| src.axes.regions.label(r as u32).to_string();
    match new.len() {
        0 => src.axes.regions.label(c).to_string(),
        1..=3 => new.iter().map(|&r| label(r)).collect::<Vec<_>>().join("、"),
        n => format!("{}等{n}个地区", new[..3].iter().map(|&r| label(r)).collect::<Vec<_>>().join("、")),
    }
}

/// Whether one of `regions` is at a gap of `s` in period `p` (in the source by then, no
/// figure there: [`yearbook_core::kernel::gaps::gaps`]): a place among them is unknown.
fn unplaced(s: &Series, regions: &[usize], p: usize) -> bool {
    yearbook_core::kernel::gaps::gaps(s).iter().any(|&(q, r)| q as usize == p && regions.contains(&(r as usize)))
}
