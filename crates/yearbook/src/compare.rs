//! Two runs compared: findings that are new, findings that were resolved, and every fact
//! cell whose figure was revised (added, changed or withdrawn), for `yearbook diff` and
//! the report's section 与上次核查相比.

use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use yearbook_history::{Cells, NewFinding};

/// One side of a comparison: a recorded run (or this run, not yet recorded).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RunRef {
    /// Its number in the history; None for the run in progress.
    pub run: Option<i64>,
    /// When it started (UTC).
    pub started: String,
    /// Its vintage label ("" for none).
    pub vintage: String,
}

/// A finding that appeared or went away.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FindingChange {
    /// The rule's id.
    pub rule: String,
    /// error, warning or info.
    pub severity: String,
    /// Region code.
    pub region: String,
    /// Region name.
    pub region_name: String,
    /// Period.
    pub period: String,
    /// The finding's message (as the run that had it filled it in).
    pub message: String,
}

/// Revisions of every month (or quarter) of a year of one region's indicator from the
/// same figure to the same figure are one revision of that year: a yearly target spread
/// over the months (`annual = true`) revised from 150 to 160 is one figure, not twelve.
fn whole_years(revised: Vec<(usize, Revision)>) -> Vec<(usize, Revision)> {
    let sub = |p: &str| -> Option<(String, usize)> {
        let (y, rest) = p.split_at(p.len().min(4));
        match rest.strip_prefix('-').or_else(|| rest.strip_prefix('Q')) {
            Some(n) if y.bytes().all(|b| b.is_ascii_digit()) && n.bytes().all(|b| b.is_ascii_digit()) => {
                Some((y.to_string(), if rest.starts_with('Q') { 4 } else { 12 }))
            }
            _ => None,
        }
    };
    type Key = (String, String, String, usize, Option<u64>, Option<u64>);
    let key = |r: &Revision| -> Option<Key> {
        let (year, n) = sub(&r.period)?;
        Some((r.indicator.clone(), r.region.clone(), year, n, r.old.map(f64::to_bits), r.new.map(f64::to_bits)))
    };
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (i, (_, r)) in revised.iter().enumerate() {
        if let Some(k) = key(r) {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut drop = vec![false; revised.len()];
    let mut out: Vec<(usize, Revision)> = Vec::new();
    for (k, idx) in groups {
        let periods: BTreeSet<&str> = idx.iter().map(|&i| revised[i].1.period.as_str()).collect();
        if periods.len() == k.3 && idx.len() == k.3 {
            let (order, first) = &revised[idx[0]];
            let every = if k.3 == 4 { "every quarter" } else { "every month" };
            out.push((*order, Revision { period: format!("{} ({every})", k.2), ..first.clone() }));
            idx.iter().for_each(|&i| drop[i] = true);
        }
    }
    out.extend(revised.into_iter().enumerate().filter(|(i, _)| !drop[*i]).map(|(_, r)| r));
    out
}

/// A figure revised between the two runs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Revision {
    /// Region code.
    pub region: String,
    /// Region name ("" when the workspace no longer knows the code).
    pub region_name: String,
    /// Period.
    pub period: String,
    /// Indicator code.
    pub indicator: String,
    /// Indicator label ("" when unknown).
    pub label: String,
    /// The unit symbol ("" when unknown).
    pub unit: String,
    /// The earlier figure; None when the earlier run had none.
    pub old: Option<f64>,
    /// The later figure; None when the later run has none (withdrawn).
    pub new: Option<f64>,
    /// new - old, when both are there.
    pub change: Option<f64>,
    /// The change in percent of the old figure, when both are there and old is not 0.
    pub change_pct: Option<f64>,
}

/// What changed from one run to another.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    /// The earlier run.
    pub from: RunRef,
    /// The later run.
    pub to: RunRef,
    /// Findings of the later run that the earlier one did not have.
    pub new_findings: Vec<FindingChange>,
    /// Findings of the earlier run that the later one no longer has.
    pub resolved_findings: Vec<FindingChange>,
    /// Figures that differ (bit for bit) or were withdrawn, by indicator, period and
    /// region: what the earlier run had and the later one changed.
    pub revised: Vec<Revision>,
    /// Figures the earlier run did not have (a new month's delivery, a late one): first
    /// deliveries, never counted as revisions (a monthly run adds every town's new month),
    /// in the same order.
    pub added: Vec<Revision>,
    /// Why figures were not compared (a run that recorded none), if so.
    pub figures_note: Option<String>,
}

/// What a comparison needs of the workspace to name things: a region's name and order,
/// an indicator's label and unit.
pub trait Names {
    /// The region's name and its place in the tree's order (None: not known now).
    fn region(&self, code: &str) -> Option<(String, usize)>;
    /// The indicator's label and unit (None: not known now).
    fn indicator(&self, code: &str) -> Option<(String, String)>;
}

impl Names for crate::workspace::Workspace {
    fn region(&self, code: &str) -> Option<(String, usize)> {
        let regions = self.panel().regions();
        let i = regions.id_of_code(code.as_bytes())?;
        Some((regions.label(i).to_string(), i as usize))
    }
    fn indicator(&self, code: &str) -> Option<(String, String)> {
        let p = self.panel();
        let i = p.indicator(code)?;
        Some((p.indicators[i].label.clone(), p.indicators[i].unit.symbol.to_string()))
    }
}

/// A finding's identity across runs (rule, region, period), borrowed (two runs of
/// 106,000 findings each made 38 MB of copied keys).
pub type Key<'a> = (&'a str, &'a str, &'a str);

fn key<'a>(f: &NewFinding<'a>) -> Key<'a> {
    (f.rule, f.region, f.period)
}

/// The places in `before` (the earlier run's identities) of the findings that `after`
/// no longer has: the resolved ones, whose whole findings a comparison shows.
pub fn gone(before: &[Key<'_>], after: &[NewFinding<'_>]) -> Vec<usize> {
    let now: FxHashSet<Key<'_>> = after.iter().map(key).collect();
    before.iter().enumerate().filter(|(_, k)| !now.contains(*k)).map(|(i, _)| i).collect()
}

/// Compares two runs whose findings are both at hand ([`compare`]).
pub fn compare_findings(
    from: RunRef,
    from_cells: &Cells,
    from_findings: &[NewFinding<'_>],
    to: RunRef,
    to_cells: &Cells,
    to_findings: &[NewFinding<'_>],
    names: &dyn Names,
) -> Comparison {
    let before: Vec<Key<'_>> = from_findings.iter().map(key).collect();
    let resolved: Vec<NewFinding<'_>> = gone(&before, to_findings).into_iter().map(|i| from_findings[i]).collect();
    compare(from, from_cells, &before, &resolved, to, to_cells, to_findings, names)
}

fn change(f: &NewFinding<'_>) -> FindingChange {
    FindingChange {
        rule: f.rule.to_string(),
        severity: f.severity.to_string(),
        region: f.region.to_string(),
        region_name: f.region_name.to_string(),
        period: f.period.to_string(),
        message: f.message.to_string(),
    }
}

/// Compares two runs' facts and findings: `before`, the earlier run's findings'
/// identities, and `resolved`, its whole findings at the places [`gone`] gives.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    from: RunRef,
    from_cells: &Cells,
    before: &[Key<'_>],
    resolved: &[NewFinding<'_>],
    to: RunRef,
    to_cells: &Cells,
    to_findings: &[NewFinding<'_>],
    names: &dyn Names,
) -> Comparison {
    let before: FxHashSet<Key<'_>> = before.iter().copied().collect();
    let new_findings = to_findings.iter().filter(|f| !before.contains(&key(f))).map(change).collect();
    let resolved_findings = resolved.iter().map(change).collect();
    let revised: Vec<(usize, Revision)> = yearbook_history::changes(from_cells, to_cells)
        .map(|(c, old, new)| {
            let (region_name, order) = names.region(&c.region).unwrap_or((String::new(), usize::MAX));
            let (label, unit) = names.indicator(&c.indicator).unwrap_or_default();
            let change = old.zip(new).map(|(o, n)| yearbook_core::kernel::arith::significant(n - o, 12));
            let change_pct = old.zip(new).filter(|(o, _)| *o != 0.0).map(|(o, n)| (n - o) / o.abs() * 100.0);
            let r = Revision {
                region: c.region.clone(),
                region_name,
                period: c.period.clone(),
                indicator: c.indicator.clone(),
                label,
                unit,
                old,
                new,
                change,
                change_pct,
            };
            (order, r)
        })
        .collect();
    let mut revised = whole_years(revised);
    revised.sort_by(|(oa, a), (ob, b)| (&a.indicator, &a.period, oa, &a.region).cmp(&(&b.indicator, &b.period, ob, &b.region)));
    let (added, revised): (Vec<Revision>, Vec<Revision>) = revised.into_iter().map(|(_, r)| r).partition(|r| r.old.is_none());
    Comparison { from, to, new_findings, resolved_findings, revised, added, figures_note: None }
}

fn num(x: Option<f64>) -> String {
    x.and_then(yearbook_core::format::exact).unwrap_or_else(|| "—".into())
}

fn pct(x: Option<f64>) -> String {
    x.map(|p| format!("{p:+.2}%")).unwrap_or_default()
}

fn run_name(r: &RunRef) -> String {
    let n = r.run.map(|n| format!("run {n}")).unwrap_or_else(|| "this run".into());
    if r.vintage.is_empty() { n } else { format!("{n} ({})", r.vintage) }
}

fn vintages(c: &Comparison) -> String {
    format!(
        "{} -> {}",
        if c.from.vintage.is_empty() { "-" } else { &c.from.vintage },
        if c.to.vintage.is_empty() { "-" } else { &c.to.vintage }
    )
}

/// The comparison as plain text: a heading line, then each part as an aligned table.
pub fn render_table(c: &Comparison) -> String {
    let mut s = format!("{} -> {}\n", run_name(&c.from), run_name(&c.to));
    for (title, list) in [("new findings", &c.new_findings), ("resolved findings", &c.resolved_findings)] {
        s.push_str(&format!("\n{title} ({})\n", list.len()));
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|f| vec![f.rule.clone(), f.severity.clone(), region_cell(&f.region, &f.region_name), f.period.clone(), f.message.clone()])
            .collect();
        if !rows.is_empty() {
            s.push_str(&aligned(&["rule", "severity", "region", "period", "message"], &rows));
        }
    }
    if let Some(note) = &c.figures_note {
        s.push_str(&format!("\n{note}\n"));
        return s;
    }
    s.push_str(&format!("\nrevised figures ({})\n", c.revised.len()));
    let v = vintages(c);
    let rows: Vec<Vec<String>> = c
        .revised
        .iter()
        .map(|r| {
            vec![
                region_cell(&r.region, &r.region_name),
                r.period.clone(),
                r.indicator.clone(),
                format!("{} -> {}", num(r.old), num(r.new)),
                r.change.map(|x| num(Some(x))).unwrap_or_default(),
                pct(r.change_pct),
                r.unit.clone(),
                v.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.push_str(&aligned(&["region", "period", "indicator", "old -> new", "change", "change %", "unit", "vintages"], &rows));
    }
    // First deliveries by indicator and period, counted (a monthly run adds one per town
    // and indicator): listed one by one in the csv and json formats.
    s.push_str(&format!("\nnew figures ({})\n", c.added.len()));
    let mut by: Vec<(&str, &str, &str, usize)> = Vec::new();
    for r in &c.added {
        match by.last_mut() {
            Some((i, p, _, n)) if *i == r.indicator && *p == r.period => *n += 1,
            _ => by.push((&r.indicator, &r.period, &r.unit, 1)),
        }
    }
    let rows: Vec<Vec<String>> = by.iter().map(|(i, p, u, n)| vec![i.to_string(), p.to_string(), n.to_string(), u.to_string()]).collect();
    if !rows.is_empty() {
        s.push_str(&aligned(&["indicator", "period", "figures", "unit"], &rows));
    }
    s
}

fn region_cell(code: &str, name: &str) -> String {
    if name.is_empty() || name == code { code.to_string() } else { format!("{name} ({code})") }
}

fn aligned(header: &[&str], rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut w: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (k, c) in r.iter().enumerate() {
            w[k] = w[k].max(c.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (k, c) in cells.iter().enumerate() {
            l.push_str(c);
            if k + 1 < cells.len() {
                l.push_str(&" ".repeat(w[k] - c.width() + 2));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut s = line(header.to_vec());
    for r in rows {
        s.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    s
}

/// The comparison as CSV (UTF-8 with BOM, as findings.csv): one row per change, `kind`
/// new / resolved / revised / added (a figure first delivered).
pub fn render_csv(c: &Comparison) -> String {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "kind",
        "rule",
        "region",
        "region_name",
        "period",
        "indicator",
        "old",
        "new",
        "change",
        "change_pct",
        "unit",
        "old_vintage",
        "new_vintage",
        "message",
    ]);
    for (kind, list) in [("new", &c.new_findings), ("resolved", &c.resolved_findings)] {
        for f in list {
            let _ = w.write_record([kind, &f.rule, &f.region, &f.region_name, &f.period, "", "", "", "", "", "", "", "", &f.message]);
        }
    }
    let ex = |x: Option<f64>| x.and_then(yearbook_core::format::exact).unwrap_or_default();
    for (kind, r) in c.revised.iter().map(|r| ("revised", r)).chain(c.added.iter().map(|r| ("added", r))) {
        let _ = w.write_record([
            kind,
            "",
            &r.region,
            &r.region_name,
            &r.period,
            &r.indicator,
            &ex(r.old),
            &ex(r.new),
            &ex(r.change),
            &r.change_pct.map(|p| format!("{p:.4}")).unwrap_or_default(),
            &r.unit,
            &c.from.vintage,
            &c.to.vintage,
            "",
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The comparison as JSON.
pub fn render_json(c: &Comparison) -> String {
    let mut s = serde_json::to_string_pretty(c).unwrap_or_default();
    s.push('\n');
    s
}
