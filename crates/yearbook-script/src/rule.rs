//! Rules: an id, a severity, a check (expression or function) compiled once, a message
//! template, a scope (levels, periods) and a missing-value policy.

use rhai::AST;
use std::sync::{Arc, Mutex};
use yearbook_core::cells::Cells;
use yearbook_core::series::Series;

/// How much a failing rule matters; `run --fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: reported, never a failure.
    Info,
    /// A warning.
    Warning,
    /// An error (the default).
    Error,
}

impl Severity {
    /// The severity the config names (`error`, `warning`/`warn`, `info`).
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
    /// The severity's name in findings.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a missing input does to a cell (as in VTL and DHIS2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingPolicy {
    /// Not evaluable if any input is missing (missing values propagate).
    #[default]
    SkipAny,
    /// Not evaluable only if all inputs are missing; others count as zero.
    SkipAll,
    /// Missing inputs count as zero.
    Zero,
}

impl MissingPolicy {
    /// The policy the config names (`skip_any`, `skip_all`, `zero` and their long spellings).
    pub fn parse(s: &str) -> Option<MissingPolicy> {
        match s {
            "skip_any" | "skip_if_any_missing" => Some(MissingPolicy::SkipAny),
            "skip_all" | "skip_if_all_missing" => Some(MissingPolicy::SkipAll),
            "zero" | "treat_as_zero" => Some(MissingPolicy::Zero),
            _ => None,
        }
    }
}

/// A compiled `[rules.<id>]`.
#[derive(Clone)]
pub struct Rule {
    /// The rule's id.
    pub id: String,
    /// The name its scripts have in messages: `rules.<id>` (`report.rules.<id>` for a report rule).
    pub script: String,
    /// Error, warning or info.
    pub severity: Severity,
    /// What it checks, in words.
    pub description: String,
    /// The check's script text.
    pub text: String,
    /// The check, compiled.
    pub ast: AST,
    /// The message template (`{region} {period}: ...`).
    pub message: Option<String>,
    /// Extra values for the message: (name, text, compiled).
    pub values: Vec<(String, String, AST)>,
    /// Only regions of these levels.
    pub levels: Option<Vec<u8>>,
    /// Period indices on the panel's axis.
    pub periods: Option<Vec<usize>>,
    /// What a missing input does to a cell.
    pub missing: MissingPolicy,
    /// Wall-time limit of this rule, overriding limits.timeout_ms.
    pub timeout_ms: Option<u64>,
    /// Must be fixed (强制性审核); a soft rule's findings may be explained.
    pub hard: bool,
    /// Where `[rules.<id>]` is defined: the config file, line and column.
    pub at: yearbook_core::error::Span,
    /// The derived indicators its check and values name, directly or through library
    /// functions (a name built at run time, `indicator(code)`, is not seen): a run keeps
    /// their values for the rules and drops the others' once computed.
    pub reads: Vec<String>,
}

/// Tracks, while a rule evaluates, the series it reads (so that "any input present"
/// can be asked of just the cells in scope), and applies the rule's missing-value
/// policy to them. One per evaluation; an evaluation that is not a rule's tracks nothing.
#[derive(Default)]
pub struct InputTracker {
    policy: MissingPolicy,
    state: Option<Mutex<Inputs>>,
    /// The rule's levels: a region there without a figure of its own whose children
    /// report one (a county of its towns) is an item with their roll-up, as a report
    /// shows it.
    levels: Option<Vec<u8>>,
    /// Whether cells the source lists without a figure are marked as read (a rule's
    /// items); a derived indicator's tracking ([`InputTracker::reads`]) needs only its
    /// figures.
    marks_listed: bool,
}

/// The full-shape series a rule read: whether any of them has a value in a cell; and
/// the levels it rolled up to (its result lives there).
#[derive(Default)]
pub struct Inputs {
    read: Vec<Arc<Cells>>,
    /// The listed cells already marked in `read`, so a series read twice is marked once.
    listed: Vec<Arc<Vec<u32>>>,
    /// The cells where a series read has something of its own read in turn (a derived
    /// indicator's [`Series::own_inputs`]).
    own: Vec<Arc<yearbook_core::series::OwnInputs>>,
    /// The derived indicators' unevaluated cells already marked in `read`, so an
    /// indicator read twice is marked once.
    unevaluated: Vec<Arc<Vec<bool>>>,
    /// Levels the rule rolled series up to (`rollup(gdp, "county")`).
    pub rolled_up: Vec<u8>,
    /// The regions the rule's series were narrowed to (`level(gdp, "county")`,
    /// `only(gdp, "c1")`, `children(gdp, "p")`; several: all they kept), by region: a cell
    /// of another region is no item of the rule (it was counted not evaluable).
    pub regions: Option<Vec<bool>>,
    /// The same for periods (`in_period(gdp, 2021)`), by period.
    pub periods: Option<Vec<bool>>,
}

/// Adds what `kept` keeps of `n` to a scope (the first narrowing makes it).
fn widen(scope: &mut Option<Vec<bool>>, n: usize, kept: impl Fn(usize) -> bool) {
    let s = scope.get_or_insert_with(|| vec![false; n]);
    for (i, x) in s.iter_mut().enumerate() {
        *x |= kept(i);
    }
}

impl Inputs {
    /// Whether a rule's cell at region `r` and period `p` is within what its series were
    /// narrowed to (see [`Inputs::regions`]).
    pub fn in_scope(&self, r: usize, p: usize) -> bool {
        self.regions.as_ref().is_none_or(|s| s.get(r).copied().unwrap_or(true))
            && self.periods.as_ref().is_none_or(|s| s.get(p).copied().unwrap_or(true))
    }
    /// Whether any series read has a value in `cell`.
    pub fn any_at(&self, cell: usize) -> bool {
        self.read.iter().any(|d| !d.cell(cell).is_nan())
    }
    /// The cells (`len` of them, period-major) where some series read has a figure of
    /// its own, directly or through what it was computed from.
    pub fn own_cells(&self, len: usize) -> Vec<bool> {
        let mut out = vec![false; len];
        for d in self.read.iter().filter(|d| d.len() == len) {
            for (o, v) in out.iter_mut().zip(d.iter()) {
                *o |= !v.is_nan();
            }
        }
        for own in self.own.iter().filter(|o| o.cells.len() == len) {
            for (o, v) in out.iter_mut().zip(own.cells.iter()) {
                *o |= *v;
            }
        }
        out
    }
    /// The cells of `data` (a derived indicator's values, period-major, `rows` regions)
    /// where what its formula read has a figure, or a cell the source lists without one,
    /// within what the formula narrowed its series to, and the value is missing: the
    /// cells a rule counts as not evaluable where the formula is written in its check
    /// ([`Series::unevaluated`]); None where there are none.
    pub fn unevaluated(&self, data: &Cells, regions: &yearbook_core::region::Regions, policy: MissingPolicy) -> Option<Vec<bool>> {
        let rows = regions.len();
        if rows == 0 {
            return None;
        }
        let mut read = self.present(data.len(), policy, regions);
        let mut any = false;
        for (i, (x, v)) in read.iter_mut().zip(data.iter()).enumerate() {
            *x = *x && v.is_nan() && self.in_scope(i % rows, i / rows);
            any |= *x;
        }
        any.then_some(read)
    }
    /// The cells (`len` of them, period-major, of `regions`) that are items of a rule
    /// reading these inputs: where some series read has a figure of its own
    /// ([`Inputs::own_cells`]), or is listed without one where `policy` makes such a cell
    /// an item (`skip_any`, `zero`; `skip_all` leaves it out). Where a series was rolled
    /// up, the cells of the levels it rolled up to with a figure at or below them
    /// ([`Inputs::any_below`]), as a rule counts them.
    pub fn present(&self, len: usize, policy: MissingPolicy, regions: &yearbook_core::region::Regions) -> Vec<bool> {
        let nr = regions.len();
        let rolled = !self.rolled_up.is_empty() && nr > 0;
        let mut read = if rolled {
            let mut below = self.any_below(regions, len / nr);
            below.resize(len, false);
            below
        } else {
            self.own_cells(len)
        };
        if policy != MissingPolicy::SkipAll {
            let ancestors: Vec<Vec<u32>> =
                if rolled { self.rolled_up.iter().map(|&l| regions.ancestors_at(l)).collect() } else { Vec::new() };
            for &c in self.listed.iter().flat_map(|l| l.iter()) {
                let c = c as usize;
                if !rolled {
                    if let Some(x) = read.get_mut(c) {
                        *x = true;
                    }
                    continue;
                }
                let (p, r) = (c / nr, c % nr);
                for a in ancestors.iter().filter_map(|a| a.get(r)).filter(|&&a| a != yearbook_core::region::NONE) {
                    if let Some(x) = read.get_mut(p * nr + *a as usize) {
                        *x = true;
                    }
                }
            }
        }
        read
    }
    /// Whether no full-shape series was read.
    pub fn is_empty(&self) -> bool {
        self.read.is_empty()
    }
    /// For each cell (period-major, `periods` periods) of a region at a level the rule
    /// rolled up to: whether any series read has a value there or at a region below it
    /// (a county whose towns reported has inputs, though it has no facts of its own).
    pub fn any_below(&self, regions: &yearbook_core::region::Regions, periods: usize) -> Vec<bool> {
        let nr = regions.len();
        let mut out = vec![false; nr * periods];
        let ancestors: Vec<Vec<u32>> = self.rolled_up.iter().map(|&l| regions.ancestors_at(l)).collect();
        for d in &self.read {
            for (cell, v) in d.iter().enumerate().take(nr * periods) {
                if v.is_nan() {
                    continue;
                }
                let (p, r) = (cell / nr, cell % nr);
                for a in &ancestors {
                    if a[r] != yearbook_core::region::NONE {
                        out[p * nr + a[r] as usize] = true;
                    }
                }
            }
        }
        out
    }
}

impl InputTracker {
    /// Tracks the inputs of a rule evaluated under `policy`.
    /// A rule with `levels` reads each series as shown at those levels (see
    /// [`InputTracker::showing`]).
    pub fn rule(policy: MissingPolicy, levels: Option<&[u8]>) -> InputTracker {
        InputTracker { policy, state: Some(Mutex::new(Inputs::default())), levels: levels.map(<[u8]>::to_vec), marks_listed: true }
    }
    /// Tracks what a derived indicator's formula reads (see [`Series::own_inputs`] and
    /// [`Series::unevaluated`]), within a rule under `policy`: a gap read as 0 under
    /// `zero` and `skip_all`, as the rule reads the formula written in its check.
    pub fn reads(policy: MissingPolicy) -> InputTracker {
        InputTracker { policy, state: Some(Mutex::new(Inputs::default())), levels: None, marks_listed: false }
    }
    /// Tracks nothing; each series read has, at the regions of `levels` that have no
    /// figure of their own while their children report one, their roll-up (a rule's
    /// message values at its levels), with a gap read as `policy` reads it.
    pub fn showing(levels: Option<&[u8]>, policy: MissingPolicy) -> InputTracker {
        InputTracker { levels: levels.map(<[u8]>::to_vec), policy, ..InputTracker::default() }
    }
    /// What was read (None when nothing was tracked); tracking starts over.
    pub fn finish(&self) -> Option<Inputs> {
        self.state.as_ref().and_then(|m| m.lock().ok()).map(|mut st| std::mem::take(&mut *st))
    }
    /// Called when a script rolls a series up to `level`.
    pub fn rolled_up(&self, level: u8) {
        if let Some(Ok(mut st)) = self.state.as_ref().map(Mutex::lock)
            && !st.rolled_up.contains(&level)
        {
            st.rolled_up.push(level);
        }
    }
    /// Called when a script narrows a series to some regions (`level`, `only`,
    /// `children`): of `n` regions, those `kept` keeps are the rule's.
    pub fn narrowed_to_regions(&self, n: usize, kept: impl Fn(usize) -> bool) {
        if let Some(Ok(mut st)) = self.state.as_ref().map(Mutex::lock) {
            widen(&mut st.regions, n, kept);
        }
    }
    /// Called when a script narrows a series to some periods (`in_period`): of `n`
    /// periods, those `kept` keeps are the rule's.
    pub fn narrowed_to_periods(&self, n: usize, kept: impl Fn(usize) -> bool) {
        if let Some(Ok(mut st)) = self.state.as_ref().map(Mutex::lock) {
            widen(&mut st.periods, n, kept);
        }
    }
    /// Called for each series a script reads.
    pub fn seen(&self, s: Series) -> Series {
        // A derived indicator's cells that its formula read figures for and left missing
        // (a completion of a zero plan): items, not evaluable, as the formula written in
        // the check makes them; never left out, nor read as 0 by a policy.
        let unevaluated = s.unevaluated.clone().filter(|u| u.len() == s.data.len() && s.by_region && s.by_period);
        // A cell left missing where a region made of its children is not shown (a declared
        // mean whose formula reads the region's own figure) is still an item of a rule at
        // that level: not evaluable, never left out.
        let held = match &self.levels {
            Some(levels) if s.by_region && self.state.is_some() => yearbook_core::kernel::rollup::withheld(&s, |l| levels.contains(&l)),
            _ => None,
        };
        // A series that does not roll up (revenue = price * qty without a declared
        // `rollup`) has nothing at a region of the rule's levels made of its children:
        // those cells are items, not evaluable, with a note saying what to declare; never
        // a rule that silently checks nothing.
        let unshowable = match &self.levels {
            Some(levels) if self.state.is_some() => yearbook_core::kernel::rollup::unshowable(&s, |l| levels.contains(&l)),
            _ => None,
        };
        let held = match (held, unshowable) {
            (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| *x || y).collect()),
            (a, b) => a.or(b),
        };
        // Under `missing = "zero"` (and skip_all) a child without a figure counts as 0 in
        // its parent's roll-up, as in `rollup(x, "county")`: the value handed on is the
        // policy's figures shown at the rule's levels. What counts as an item is what the
        // figures as read give (below).
        let filled = match (self.policy, &self.levels) {
            (MissingPolicy::SkipAll | MissingPolicy::Zero, Some(levels)) if s.by_region => {
                Some(yearbook_core::kernel::rollup::as_shown(&self.zero_filled(s.clone()), |l| levels.contains(&l)))
            }
            _ => None,
        };
        let made = match &self.levels {
            Some(levels) if s.by_region && s.by_period && self.state.is_some() => {
                yearbook_core::kernel::rollup::made_of_children(&s).map(|m| (m, levels.clone()))
            }
            _ => None,
        };
        let s = match &self.levels {
            Some(levels) if s.by_region => yearbook_core::kernel::rollup::as_shown(&s, |l| levels.contains(&l)),
            _ => s,
        };
        // A region of the rule's levels made of its children whose roll-up is missing (a
        // town that reported before has no figure now) is an item, not evaluable: never
        // left out, as if the county had nothing to check.
        let gaps: Option<Vec<bool>> = made.and_then(|(m, levels)| {
            let rows = s.rows().max(1);
            let level = &s.axes.regions.level;
            let g: Vec<bool> = m
                .iter()
                .enumerate()
                .map(|(i, &k)| k && levels.contains(&level[i % rows]) && s.data.get(i).is_some_and(|v| v.is_nan()))
                .collect();
            (g.len() == s.data.len() && g.iter().any(|&b| b)).then_some(g)
        });
        let held = match (held, gaps) {
            (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| *x || y).collect()),
            (a, b) => a.or(b),
        };
        let Some(Ok(mut st)) = self.state.as_ref().map(Mutex::lock) else {
            // Untracked (a rule's values): the figures as the policy reads them.
            return self.as_policy_reads(s, filled, unevaluated);
        };
        if s.by_region && s.by_period && !st.read.iter().any(|d| Arc::ptr_eq(d, &s.data)) {
            st.read.push(s.data.clone());
        }
        if let Some(held) = held.filter(|_| s.by_period) {
            st.read.push(Arc::new(Cells::from(held.iter().map(|&h| if h { 1.0 } else { f64::NAN }).collect::<Vec<f64>>())));
        }
        // A cell the source lists without a figure (`t2,2021,gdp,—`) is there, with a gap:
        // an item of the rule, not evaluable under skip_any and read as 0 under zero (乙镇
        // 2021 fails `gdp > 1.9`), never left out as if the source had not named it.
        // skip_all leaves out a cell without any figure, as it says.
        // A derived indicator's formula (not marking them) keeps them apart, for the
        // cells it leaves not evaluable ([`Inputs::unevaluated`]).
        if let Some(listed) = s.listed.as_ref().filter(|l| !l.is_empty() && s.by_region && s.by_period)
            && !self.marks_listed
            && !st.listed.iter().any(|l| Arc::ptr_eq(l, listed))
        {
            st.listed.push(listed.clone());
        }
        if let Some(listed) = s.listed.as_ref().filter(|l| !l.is_empty() && s.by_region && s.by_period)
            && self.marks_listed
            && matches!(self.policy, MissingPolicy::SkipAny | MissingPolicy::Zero)
            && !st.listed.iter().any(|l| Arc::ptr_eq(l, listed))
        {
            st.listed.push(listed.clone());
            let mut marks = vec![f64::NAN; s.data.len()];
            for &c in listed.iter() {
                if let Some(m) = marks.get_mut(c as usize) {
                    *m = 1.0;
                }
            }
            st.read.push(Arc::new(Cells::from(marks)));
        }
        if let Some(own) = s.own_inputs.as_ref().filter(|_| s.by_region && s.by_period)
            && !st.own.iter().any(|o| Arc::ptr_eq(o, own))
        {
            st.own.push(own.clone());
        }
        if let Some(u) = unevaluated.as_ref().filter(|u| !st.unevaluated.iter().any(|m| Arc::ptr_eq(m, u))) {
            st.unevaluated.push(u.clone());
            st.read.push(Arc::new(Cells::from(u.iter().map(|&h| if h { 1.0 } else { f64::NAN }).collect::<Vec<f64>>())));
        }
        drop(st);
        self.as_policy_reads(s, filled, unevaluated)
    }

    /// `s` as the policy reads it (`filled`: already so, shown at the rule's levels), a
    /// derived indicator's cells it could not evaluate left missing.
    fn as_policy_reads(&self, s: Series, filled: Option<Series>, unevaluated: Option<Arc<Vec<bool>>>) -> Series {
        let out = match (self.policy, filled) {
            (_, Some(f)) => f,
            (MissingPolicy::SkipAny, None) => s,
            (MissingPolicy::SkipAll | MissingPolicy::Zero, None) => self.zero_filled(s),
        };
        match unevaluated {
            Some(u) if self.policy != MissingPolicy::SkipAny && u.len() == out.data.len() => {
                let mut out = out;
                let mut data = out.take_data();
                for (v, _) in data.iter_mut().zip(u.iter()).filter(|(_, h)| **h) {
                    *v = f64::NAN;
                }
                out.data = Arc::new(Cells::from(data));
                out
            }
            _ => out,
        }
    }

    /// `s` with a missing figure read as 0 (`missing = "zero"`, and `skip_all` before it
    /// leaves out the cells with no figure at all).
    fn zero_filled(&self, s: Series) -> Series {
        let (u, a, ind, declared) = (s.unit.clone(), s.agg.clone(), s.indicator, s.declared);
        let made_of_children = yearbook_core::kernel::rollup::made_of_children(&s);
        let (rows, before) = (s.rows().max(1), s.data.clone());
        let mut out = yearbook_core::kernel::arith::map(s, u, a, |x| if x.is_nan() { 0.0 } else { x });
        // A cell the source lists without a figure is read as 0 now: no gap left to make a
        // roll-up of it missing (a derived indicator computed under `zero` carried its
        // inputs' gaps, and a county of its towns was not evaluable).
        out.listed = None;
        // A region without a figure of its own whose children report one is made
        // of them (a town of its villages), not missing: it is not counted as 0,
        // so a roll-up takes its children's figures as under every policy. Nor in a
        // period its children did not report (乙镇 in 2020, its villages from 2021): a
        // filler 0 there would be a figure of its own, which stands for its villages
        // from then on, and leaves them out (its 2021 roll-up a gap).
        if let Some(keep) = made_of_children {
            let mut parent = vec![false; rows];
            for (i, &k) in keep.iter().enumerate() {
                if k {
                    parent[i % rows] = true;
                }
            }
            let mut data = out.take_data();
            for (i, (v, k)) in data.iter_mut().zip(keep).enumerate() {
                if k || (parent[i % rows] && before.get(i).is_some_and(|b| b.is_nan())) {
                    *v = f64::NAN;
                }
            }
            out.data = Arc::new(Cells::from(data));
        }
        out.indicator = ind;
        // The same figures with a missing one read as 0: its roll-up rule is still
        // the declared one, so a region made of its children (a town of its
        // villages) is shown as their roll-up in a tree check (it was missing, and
        // every cell of the county's check was not evaluable).
        out.declared = declared;
        out
    }
    /// The missing-value policy in force.
    pub fn policy(&self) -> MissingPolicy {
        self.policy
    }
}
