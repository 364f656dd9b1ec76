//! A run: compute every derived indicator, evaluate every rule, collect findings. One
//! failing rule or indicator is recorded as an error and the others still run.

use crate::finding::{Finding, IndicatorOutcome, RuleSummary, RunResult, Status, ValueOut, Values};
use crate::workspace::{EvalSpec, Workspace};
use rhai::{Dynamic, Scope};
use std::collections::BTreeMap;
use yearbook_core::check::Check;
use yearbook_core::error::{Error, ErrorKind, Result};
use yearbook_core::series::Series;
use yearbook_script::rule::{MissingPolicy, Rule};

/// What a run is asked for.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Only findings for this period (default: the config's `workspace.period`, else all).
    pub period: Option<String>,
}

/// What a step of a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A derived indicator.
    Indicator,
    /// A rule.
    Rule,
}

/// A step of a run that finished, for progress display: steps run on all cores, so
/// they finish in any order; `done` counts the steps of this kind finished so far.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Indicator or rule.
    pub step: Step,
    /// Steps of this kind finished, this one included.
    pub done: usize,
    /// Steps of this kind in the run.
    pub total: usize,
    /// The indicator's or rule's id.
    pub id: &'a str,
    /// How long this step took.
    pub elapsed: std::time::Duration,
}

/// Native stack of a run's worker threads: a script's nesting is bounded by the
/// limits, and an evaluation may run nested inside another one's kernel (rayon runs
/// waiting work on a waiting thread).
const WORKER_STACK: usize = 64 << 20;

/// Gives rayon's global pool (used by `eval`, the REPL and the kernels outside a run)
/// the stack a run's workers have: `map` evaluates closures on those threads, and a
/// closure calling script functions nested within the limits overflowed their default
/// 2 MB stack, which aborts the process. Call once, before any parallel work (a later
/// call, or one after the pool started, changes nothing). Also shares the allocator's
/// arenas among threads before any starts ([`yearbook_io::load::limit_arenas`]).
pub fn init_global_pool() {
    yearbook_io::load::limit_arenas();
    let _ = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK).thread_name(|i| format!("yearbook-{i}")).build_global();
}

/// Runs a workspace: every derived indicator (in dependency order, the independent ones
/// at the same time), then every rule (all at the same time), on all cores (the
/// `RAYON_NUM_THREADS` environment variable sets how many). Results come in config
/// order, so the output does not depend on the number of threads. One failing rule or
/// indicator is recorded as an error and the others still run.
pub fn run(ws: &Workspace, opts: &RunOptions, progress: &mut dyn FnMut(Progress)) -> Result<RunResult> {
    ws.start();
    let period = opts.period.clone().or_else(|| ws.config.config.workspace.period.as_ref().map(|p| p.get_ref().clone()));
    let period_idx = match &period {
        // Named where it was given: the flag, or the config's [workspace] period.
        Some(p) => Some(yearbook_script::definitions::period_index_in(ws.panel(), p).map_err(|e| {
            let from = if opts.period.is_some() { "--period" } else { "[workspace] period" };
            Error::usage(format!("{from}: {e}"))
        })?),
        None => None,
    };
    // As of its period: a 2022 run's sums across periods stop at 2022.
    let scoped = ws.as_of(period_idx);
    let ws = &scoped;
    let pool =
        rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK).thread_name(|i| format!("yearbook-run-{i}")).build().map_err(|e| {
            Error::usage(format!(
                "cannot start the run's threads: {e}; each takes {} MB of address space for its stack: where `ulimit -v` or a \
                 container limits memory, give more, or fewer threads (RAYON_NUM_THREADS)",
                WORKER_STACK >> 20
            ))
        })?;
    let inds = &ws.program.indicators;
    let total = inds.defs.len();
    let mut outcomes: BTreeMap<&str, IndicatorOutcome> = BTreeMap::new();
    let mut done = 0;
    for level in inds.levels() {
        let mut report = |k: usize, elapsed| {
            done += 1;
            progress(Progress { step: Step::Indicator, done, total, id: &level[k].id, elapsed });
        };
        let results = par_steps(&pool, &level, |d| indicator_outcome(ws, d), &mut report);
        for (d, o) in level.iter().zip(results) {
            outcomes.insert(&d.id, o);
        }
    }
    let indicators: Vec<IndicatorOutcome> = inds.defs.iter().filter_map(|d| outcomes.remove(d.id.as_str())).collect();
    // A derived indicator no rule names is not held through the rules (at 160,000 towns
    // one is 27 MB): a script that asks for it by a name built at run time, or the
    // report, computes it again, to the same value.
    let read: std::collections::HashSet<&str> = ws.program.rules.iter().flat_map(|r| r.reads.iter().map(String::as_str)).collect();
    for d in inds.defs.iter().filter(|d| !read.contains(d.id.as_str())) {
        ws.data.values.forget(&d.id);
    }
    let rules: Vec<&Rule> = ws.program.rules.iter().collect();
    let total = rules.len();
    let mut done = 0;
    let mut report = |k: usize, elapsed| {
        done += 1;
        progress(Progress { step: Step::Rule, done, total, id: &rules[k].id, elapsed });
    };
    let evaluated = par_steps(&pool, &rules, |rule| rule_outcome(ws, rule, period_idx), &mut report);
    let mut summaries = Vec::with_capacity(evaluated.len());
    // Room for all at once: grown by doubling, the list would hold up to twice its size.
    let mut findings = Vec::with_capacity(evaluated.iter().map(|(_, f)| f.len()).sum());
    for (summary, f) in evaluated {
        summaries.push(summary);
        findings.extend(f);
    }
    let name = ws.config.config.workspace.name.clone().unwrap_or_default();
    Ok(RunResult { workspace: name, period, indicators, rules: summaries, findings, comparison: None })
}

/// A derived indicator computed: its cells and unit, or its error.
fn indicator_outcome(ws: &Workspace, d: &yearbook_script::derived::Def) -> IndicatorOutcome {
    let (cells, unit, error) = match ws.compute_indicator(&d.id) {
        Ok(s) => (s.count(), s.unit.symbol.to_string(), None),
        Err(e) => (0, d.unit.as_ref().map(|u| u.symbol.to_string()).unwrap_or_default(), Some(e)),
    };
    IndicatorOutcome {
        id: d.id.clone(),
        label: d.label.clone(),
        unit,
        cells,
        error: error.as_ref().map(|e| e.to_string()),
        error_detail: error.as_ref().map(|e| e.detail()),
    }
}

/// A rule evaluated: its counts and findings, or its error.
fn rule_outcome(ws: &Workspace, rule: &Rule, period: Option<usize>) -> (RuleSummary, Vec<Finding>) {
    let mut summary = RuleSummary {
        rule: rule.id.clone(),
        severity: Some(rule.severity),
        description: rule.description.clone(),
        at: Some(rule.at.clone()),
        ..Default::default()
    };
    let mut findings = Vec::new();
    match evaluate(ws, rule, period) {
        Ok((check, present, extra, notes)) => {
            summary.why = notes;
            collect(ws, rule, &check, present.as_ref(), &extra, period, &mut summary, &mut findings);
        }
        Err(e) => {
            summary.error = Some(e.to_string());
            summary.error_detail = Some(e.detail());
        }
    }
    (summary, findings)
}

/// `f` over `items` on the pool's threads, results in the items' order; `done(k,
/// elapsed)` is called on this thread as each item finishes.
fn par_steps<T: Sync, U: Send>(
    pool: &rayon::ThreadPool,
    items: &[T],
    f: impl Fn(&T) -> U + Sync,
    done: &mut dyn FnMut(usize, std::time::Duration),
) -> Vec<U> {
    use rayon::prelude::*;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            pool.install(|| {
                items
                    .par_iter()
                    .enumerate()
                    .map_with(tx, |tx, (k, x)| {
                        let t = std::time::Instant::now();
                        let u = f(x);
                        let _ = tx.send((k, t.elapsed()));
                        u
                    })
                    .collect::<Vec<U>>()
            })
        });
        // Ends when the last sender is dropped: every item finished.
        for (k, elapsed) in rx {
            done(k, elapsed);
        }
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

type Evaluated = (Check, Option<yearbook_script::rule::Inputs>, Vec<(String, Series)>, Vec<String>);

/// Evaluates a rule's check (tracking which cells had inputs) and its extra values; with
/// the notes its evaluation made (why cells have no value).
pub fn evaluate(ws: &Workspace, rule: &Rule, _period: Option<usize>) -> Result<Evaluated> {
    let (value, present, notes) = evaluate_script(ws, rule)?;
    let mut check = to_check(value).map_err(|ty| {
        Error::new(ErrorKind::Type, format!("{}: the check must give a mask (a comparison) or a built-in check, not {ty}", rule.script))
    })?;
    // The check's own values read as its `values` are: `note((x - lag(x, 1)) / lag(x, 1) *
    // 100)` is the growth in % (20%, where `{value:growth}` said 2000%).
    check.values = std::mem::take(&mut check.values).into_iter().map(|(n, s)| (n, yearbook_core::kernel::arith::as_written(s))).collect();
    let extra = evaluate_values(ws, rule, &check.pass)?;
    // A growth or completion printed as a bare fraction (`{g:1}` of `yoy(gdp)`: -0.1 for
    // a fall of 5%) is refused, as in a report rule's sentence.
    if let Some(m) = &rule.message {
        let pieces = yearbook_script::placeholder::parse(m);
        // The check's own values (`value` of `note(yoy(urb))`, `g` of `with_value("g",
        // x)`) are read as the rule's `values` are: their growths of rates printed
        // 同比增长5% with `check` saying ok.
        let (named, all) = with_check_values(ws, rule, &check, &extra);
        if let Some(e) = crate::report::said::phrasing_problems(ws, &named, &pieces, "message", &all).into_iter().next() {
            return Err(e);
        }
    }
    Ok((check, present, extra, notes))
}

/// `rule` with the check's own values among its named values, each with the formula it
/// was given (`value` of `note(x)` or `in_range(x, ..)` is `x`; `g` of `with_value("g",
/// x)` is `x`; else its name), and every value computed: the check's and `extra`.
fn with_check_values(ws: &Workspace, rule: &Rule, check: &Check, extra: &[(String, Series)]) -> (Rule, Vec<(String, Series)>) {
    let mut named = rule.clone();
    let mut all: Vec<(String, Series)> = extra.to_vec();
    for (name, s) in &check.values {
        if all.iter().any(|(n, _)| n == name) {
            continue;
        }
        all.push((name.clone(), s.clone()));
        let text = crate::sentence::check_value_text(&rule.text, name).unwrap_or_else(|| name.clone());
        if let Ok(ast) = ws.program.engine.compile_expression(&text) {
            named.values.push((name.clone(), text, ast));
        }
    }
    (named, all)
}

/// Evaluates a rule's check script (tracking which cells had inputs): its value as the
/// script gave it, and the notes the evaluation made.
pub(crate) fn evaluate_script(ws: &Workspace, rule: &Rule) -> Result<(Dynamic, Option<yearbook_script::rule::Inputs>, Vec<String>)> {
    let timeout_ms = rule.timeout_ms.unwrap_or(ws.program.limits.timeout_ms);
    let spec = EvalSpec {
        name: &rule.script,
        text: &rule.text,
        timeout_ms,
        rule: Some(rule.missing),
        fill: rule.missing,
        levels: rule.levels.as_deref(),
        open: false,
    };
    let (res, present) = ws.evaluate(&mut Scope::new(), &rule.ast, &spec);
    let res = res?;
    Ok((res.value.into_dynamic(), present, res.notes))
}

/// Evaluates a rule's extra values; a number is spread to the shape of `like`.
pub(crate) fn evaluate_values(ws: &Workspace, rule: &Rule, like: &Series) -> Result<Vec<(String, Series)>> {
    let name = &rule.script;
    let mut extra = Vec::new();
    for (vname, text, ast) in &rule.values {
        let vn = format!("{name}.values.{vname}");
        // `(x / lag(x, 1) - 1) * 100` is the growth in %, as the analyst wrote it.
        let s = yearbook_core::kernel::arith::as_written(evaluate_series(ws, &vn, text, ast, like, rule.levels.as_deref(), rule.missing)?);
        extra.push((vname.clone(), s));
    }
    Ok(extra)
}

/// The labels of `rule`'s values that name an indicator (`pr = "profit"`: 利润总额), by
/// value name: a message and a report sentence word their changes alike.
pub(crate) fn value_labels(ws: &Workspace, rule: &Rule) -> Vec<(String, String)> {
    let panel = ws.panel();
    rule.values
        .iter()
        .filter_map(|(name, text, _)| {
            let code = text.trim();
            let label = match panel.indicator(code) {
                Some(i) => panel.indicators[i].label.clone(),
                None => ws.program.indicators.defs.iter().find(|d| d.id == code)?.label.clone(),
            };
            Some((name.clone(), label))
        })
        .collect()
}

/// Evaluates a script that gives a series or a number (spread to the shape of `like`),
/// reading series as shown at a rule's `levels`, a gap as its missing-value policy `fill`
/// reads it (a rule's values under `zero` are the figures its check compared).
pub(crate) fn evaluate_series(
    ws: &Workspace,
    name: &str,
    text: &str,
    ast: &rhai::AST,
    like: &Series,
    levels: Option<&[u8]>,
    fill: yearbook_script::rule::MissingPolicy,
) -> Result<Series> {
    let spec = EvalSpec { name, text, timeout_ms: ws.program.limits.timeout_ms, rule: None, fill, levels, open: false };
    let v = ws.evaluate(&mut Scope::new(), ast, &spec).0?.value.into_dynamic();
    Ok(match v.clone().try_cast::<Series>() {
        Some(s) => s,
        None => {
            let x = yearbook_script::number_of(&v)
                .map_err(|t| Error::new(ErrorKind::Type, format!("{name} must be a series or a number, not {t}")))?;
            like.shaped(false, false, vec![x], yearbook_core::unit::Unit::one(), Series::no_rollup(""))
        }
    })
}

fn to_check(v: Dynamic) -> std::result::Result<Check, String> {
    let ty = v.type_name().to_string();
    if let Some(c) = v.clone().try_cast::<Check>() {
        return Ok(c);
    }
    if let Some(s) = v.try_cast::<Series>() {
        // A series of numbers is not a verdict: `gdp - 100` must not pass where non-zero.
        if !s.mask {
            let unit = if s.unit.symbol.is_empty() { String::new() } else { format!(" in {}", s.unit.symbol) };
            return Err(format!("a series of numbers{unit} (compare it: `x > 0`, `x <= y`)"));
        }
        return Ok(Check::from_mask(s));
    }
    Err(ty)
}

#[allow(clippy::too_many_arguments)]
fn collect(
    ws: &Workspace,
    rule: &Rule,
    check: &Check,
    present: Option<&yearbook_script::rule::Inputs>,
    extra: &[(String, Series)],
    period: Option<usize>,
    summary: &mut RuleSummary,
    out: &mut Vec<Finding>,
) {
    let pass = &check.pass;
    let regions = ws.panel().regions();
    let periods = ws.panel().periods();
    let nr = regions.len();
    // Under a check that rolled up: which cells of the rolled-up levels have inputs below.
    let below =
        present.filter(|inp| !inp.rolled_up.is_empty() && pass.by_region && pass.by_period).map(|inp| inp.any_below(regions, pass.cols()));
    // Shared by the rule's findings, not copied into each (a rule can fail 100,000 cells).
    let names: Vec<std::sync::Arc<str>> = check.values.iter().chain(extra).map(|(n, _)| std::sync::Arc::from(n.as_str())).collect();
    let at = std::sync::Arc::new(rule.at.clone());
    // Room for every failing cell of the rule's levels and periods, reserved once: a list
    // grown by doubling holds up to twice its findings (at 160,000 towns a rule fails
    // 90,000 cells, 20 MB of findings in a 29 MB list).
    let wanted_row = |r: usize| !pass.by_region || rule.levels.as_ref().is_none_or(|l| l.contains(&regions.level[r]));
    let wanted_period =
        |p: usize| !pass.by_period || (period.is_none_or(|q| q == p) && rule.periods.as_ref().is_none_or(|ps| ps.contains(&p)));
    let mut templates: [Option<(String, Vec<yearbook_script::placeholder::Piece>)>; 2] = [None, None];
    let mut between: [Option<Vec<(String, String, yearbook_core::series::Series)>>; 2] = [None, None];
    let view = pass.kept_view();
    let failing: usize = view
        .periods()
        .enumerate()
        .filter(|&(p, _)| wanted_period(p))
        .map(|(_, col)| col.iter().enumerate().filter(|&(slot, v)| *v == 0.0 && wanted_row(view.row(slot))).count())
        .sum();
    // Each finding holds its texts and values (about 400 bytes with its message): a rule
    // that fails millions of cells would take the process past its memory budget and
    // abort on a failed allocation. Estimated before anything is built; past the budget
    // the rule is an error saying so (the run goes on with the other rules).
    let estimate = (failing as u64).saturating_mul((std::mem::size_of::<Finding>() + 256 + 48 * names.len()) as u64);
    if let Some(room) = yearbook_core::memory::headroom_bytes()
        && estimate > room
    {
        let e = yearbook_core::error::Error::new(
            yearbook_core::error::ErrorKind::MemoryLimit,
            format!(
                "rule {}: its {failing} findings would take about {} MB, more than the {} MB left of the memory budget of {} MB \
                 (limits.max_memory_mb; 0 is half the memory the process may use): narrow the rule (levels, periods, a \
                 tolerance), or raise limits.max_memory_mb",
                rule.id,
                estimate.div_ceil(1 << 20),
                room >> 20,
                yearbook_core::memory::limit_mb()
            ),
        );
        summary.error = Some(e.to_string());
        summary.error_detail = Some(e.detail());
        return;
    }
    out.reserve_exact(failing);
    // A check that keeps only some rows (a top-n: crate::cells) is read through them,
    // without building its whole matrix: each row's place among them.
    let slots: Option<Vec<u32>> = view.rows.map(|kept| {
        let mut s = vec![u32::MAX; pass.rows()];
        for (k, &r) in kept.iter().enumerate() {
            s[r as usize] = k as u32;
        }
        s
    });
    let pass_at = |r: usize, p: usize| match &slots {
        Some(s) => match s[r] {
            u32::MAX => f64::NAN,
            k => view.values[p * view.width + k as usize],
        },
        None => pass.data[p * pass.rows() + r],
    };
    // A check whose series were narrowed to some regions or periods (`level(gdp,
    // "county")`, `only`, `children`, `in_period`) and that has no value outside them:
    // a cell outside them (a town, another year) is no item of the rule. Not so where the
    // narrowed series was only a part (`qty - sum(children(qty, "c"))` has values at
    // every region).
    let cell_at = |r: usize, p: usize| (if pass.by_region { r } else { usize::MAX }, if pass.by_period { p } else { usize::MAX });
    let narrowed = present.filter(|inp| inp.regions.is_some() || inp.periods.is_some()).filter(|inp| {
        (0..pass.rows()).all(|r| (0..pass.cols()).all(|p| inp.in_scope(cell_at(r, p).0, cell_at(r, p).1) || pass_at(r, p).is_nan()))
    });
    // The values whose growth is over another stretch than a year: no 同比 in their words.
    let per_year = i64::from(periods.freq.per_year());
    // The check's own values count too (`value` of `note(two_year_avg_growth(g))`: said
    // 两年平均同比增长10%).
    let (named, _) = with_check_values(ws, rule, check, extra);
    let not_yearly = yearbook_script::derived::not_over_a_year(&named.values, per_year, &ws.program.indicators);
    let against =
        rule.message.as_deref().map(|m| against_other_figures(ws, rule, &yearbook_script::placeholder::parse(m))).unwrap_or_default();
    // The labels of values that are indicators (利润总额: a profit's change is 亏损扩大,
    // as a report's sentence says it, not 负值扩大).
    let labels = value_labels(ws, rule);
    // Figures a rank in the message places print with the decimals that tell failing
    // regions of different places apart (5.004%, 5%, 4.996% said 第1位, 第3位, 第2位),
    // among the regions of one level failing in one period, as report sentences do.
    let ranked = rule
        .message
        .as_deref()
        .map(|m| crate::ranked::ranked_values(ws, &named, &yearbook_script::placeholder::parse(m)))
        .unwrap_or_default();
    let series_of =
        |n: &str| names.iter().zip(check.values.iter().chain(extra).map(|(_, s)| s)).find(|(m, _)| m.as_ref() == n).map(|(_, s)| s);
    let fields: Vec<Vec<(u8, crate::ranked::Field)>> = if ranked.is_empty() || !pass.by_region {
        Vec::new()
    } else {
        (0..pass.cols())
            .map(|p| {
                let get = |o: usize, n: &str| series_of(n).map(|s| (s.get(o, p), s.unit.clone()));
                let failing = |r: usize| {
                    wanted_period(p)
                        && wanted_row(r)
                        && pass_at(r, p) == 0.0
                        && check.about.as_ref().is_none_or(|about| about.get(r).copied().unwrap_or(true))
                };
                let mut levels: Vec<u8> = (0..pass.rows()).filter(|&r| failing(r)).map(|r| regions.level[r]).collect();
                levels.sort_unstable();
                levels.dedup();
                levels
                    .into_iter()
                    .map(|l| {
                        (
                            l,
                            crate::ranked::Field::new(
                                &ranked,
                                (0..pass.rows()).filter(move |&r| regions.level[r] == l && failing(r)),
                                &get,
                            ),
                        )
                    })
                    .collect()
            })
            .collect()
    };
    // The first item left not evaluable: said where the evaluation said nothing of it.
    let mut first_unevaluable: Option<(usize, usize)> = None;
    for r in 0..pass.rows() {
        if pass.by_region && rule.levels.as_ref().is_some_and(|l| !l.contains(&regions.level[r])) {
            continue;
        }
        if pass.by_region && check.about.as_ref().is_some_and(|about| !about.get(r).copied().unwrap_or(true)) {
            continue;
        }
        for p in 0..pass.cols() {
            if pass.by_period && (period.is_some_and(|q| q != p) || rule.periods.as_ref().is_some_and(|ps| !ps.contains(&p))) {
                continue;
            }
            let v = pass_at(r, p);
            // A cell is an item when any input it read has a value there (then missing =
            // not evaluable), or, under skip_any, when the check gave it a value (`fill`
            // evaluates a missing cell). Under skip_all / zero, missing inputs were filled
            // with 0, so only cells with some input count.
            // A rule on a rolled-up series is about the levels it rolled up to: its items
            // are their cells (a county has inputs when its towns do, though it has no
            // facts of its own), and no cell of another level is one.
            if narrowed.is_some_and(|inp| !inp.in_scope(cell_at(r, p).0, cell_at(r, p).1)) {
                continue;
            }
            let had_input = match present {
                Some(inp) if pass.by_region && pass.by_period && !inp.is_empty() => {
                    let inputs = match &below {
                        Some(_) if !inp.rolled_up.contains(&regions.level[r]) => continue,
                        Some(below) => below[p * nr + r],
                        None => inp.any_at(p * nr + r),
                    };
                    inputs || (rule.missing == MissingPolicy::SkipAny && !v.is_nan())
                }
                _ => !v.is_nan(),
            };
            if !had_input {
                continue;
            }
            summary.items += 1;
            if v.is_nan() {
                summary.not_evaluable += 1;
                first_unevaluable.get_or_insert((r, p));
                continue;
            }
            if v != 0.0 {
                summary.passes += 1;
                continue;
            }
            let status = if check.note { Status::Note } else { Status::Fail };
            if check.note {
                summary.notes += 1;
            } else {
                summary.fails += 1;
            }
            let mut values = Values::with_capacity(names.len());
            // Values missing for a known reason (a growth over a loss), or a growth from a
            // profit to a loss, said in words as a report's sentences say them (a message
            // said 暂无数据 where they say 亏损扩大, 同比下降150% where they say 由盈转亏).
            let mut why: Vec<(String, crate::report::phrase::Why)> = Vec::new();
            // A check of figures without periods (`note(latest(gdp))`): a value of each
            // period (`pop`) is read at the finding's period, the one `latest` took its
            // figures from there, else the run's (it was read at the data's first year:
            // 甲镇2021年…人口2万人 with 2020's population).
            let own_period = (!pass.by_period)
                .then(|| match crate::sentence::latest_period_at(check.values.iter().chain(extra).map(|(_, s)| s), r) {
                    Some(Ok(q)) => Some(q),
                    _ => period,
                })
                .flatten();
            for (name, s) in names.iter().zip(check.values.iter().chain(extra).map(|(_, s)| s)) {
                let p = if s.by_period { own_period.unwrap_or(p) } else { p };
                let x = s.get(r, p);
                if let Some((w, now, base)) = s.missing_why_at(r, p) {
                    let label = w.indicator.and_then(|i| ws.panel().indicators.get(i)).map_or("", |i| i.label.as_str());
                    why.push((
                        name.to_string(),
                        crate::report::phrase::why(
                            w.kind,
                            now,
                            base,
                            &w.unit,
                            label,
                            crate::report::phrase::before(periods.freq, w.periods_back),
                        ),
                    ));
                }
                let x = yearbook_core::kernel::arith::significant(x, 15);
                values.insert(name.clone(), ValueOut { value: x.is_finite().then_some(x), unit: s.unit.symbol.clone() });
            }
            // Binary noise is not part of a finding: -1.0000000000000036 is -1.
            let imbalance =
                check.imbalance.as_ref().map(|s| yearbook_core::kernel::arith::significant(s.get(r, p), 15)).filter(|x| x.is_finite());
            let imb_unit = check.imbalance.as_ref().map(|s| s.unit().symbol.to_string()).unwrap_or_default();
            let (code, name) = if pass.by_region {
                (regions.codes[r].clone(), regions.label(r as u32).to_string())
            } else {
                (String::new(), String::new())
            };
            // A check of figures without periods (`note(latest(gdp))`): the period its
            // figures are of at the region, where `latest` took them from one.
            let per = match crate::sentence::latest_period_at(check.values.iter().chain(extra).map(|(_, s)| s), r) {
                _ if pass.by_period => periods.get(p).to_string(),
                Some(Ok(q)) => periods.get(q).to_string(),
                _ => String::new(),
            };
            let imbalance_of = imbalance.map(|x| (x, imb_unit.as_str()));
            // The template is the rule's for every cell (its values' names and units are
            // the check's): read once, not once per finding.
            let (template, pieces) = templates[usize::from(imbalance.is_some())].get_or_insert_with(|| {
                let t = message_template(rule, &values, imbalance.is_some());
                let p = yearbook_script::placeholder::parse(&t);
                (t, p)
            });
            // `{x:change(prev)}` between totals over different regions: 统计范围变化.
            let changes = between[usize::from(imbalance.is_some())].get_or_insert_with(|| {
                crate::sentence::changes_between(pieces, &|n: &str| {
                    names
                        .iter()
                        .zip(check.values.iter().chain(extra).map(|(_, s)| s))
                        .find(|(m, _)| m.as_ref() == n)
                        .map(|(_, s)| s.clone())
                })
            });
            why.extend(crate::sentence::scope_changes_at(changes, &values, r, p));
            // A rank's place another region of its level (and group) shares: 并列第2位.
            let tied: Vec<String> = names
                .iter()
                .zip(check.values.iter().chain(extra).map(|(_, s)| s))
                .filter(|(_, s)| s.tied_at(r, p))
                .map(|(n, _)| n.to_string())
                .collect();
            // Only a rule naming a completion figure reads the panel for its actuals.
            let actuals = if pass.by_region && values.keys().any(|k| k.contains('.')) {
                crate::sentence::completion_actuals(ws.panel(), values.keys(), r, p)
            } else {
                Vec::new()
            };
            let mut cell = message_cell(rule, &code, &name, &per, &values, imbalance_of, &why);
            cell.tolerance = check.imbalance.as_ref().and_then(yearbook_core::check::Shown::tolerance);
            cell.tied = &tied;
            cell.actuals = &actuals;
            cell.labels = &labels;
            cell.not_yearly = &not_yearly;
            cell.against = &against;
            cell.failing = !check.note;
            let apart = match fields.get(p).and_then(|f| f.iter().find(|(l, _)| *l == regions.level[r])) {
                Some((_, field)) => field.apart_at(&ranked, r, &|o: usize, n: &str| series_of(n).map(|s| (s.get(o, p), s.unit.clone()))),
                None => Vec::new(),
            };
            cell.apart = &apart;
            // A figure `latest` took from another period than the finding's (丙镇's 2020
            // GDP in a finding of 2021) says its own: 5亿元（2020年）.
            let of_period = crate::sentence::own_periods_at(
                names.iter().map(|n| n.as_ref()).zip(check.values.iter().chain(extra).map(|(_, s)| s)),
                r,
                &per,
                &periods,
            );
            cell.of_period = &of_period;
            let message = fill_message(template, pieces, cell);
            out.push(Finding {
                rule: rule.id.clone(),
                severity: rule.severity,
                status,
                region: code,
                region_name: name,
                period: per,
                values,
                imbalance,
                message,
                at: at.clone(),
                explanation: None,
            });
        }
    }
    if let Some((r, p)) = first_unevaluable.filter(|_| summary.why.is_empty()) {
        summary.why.push(unevaluable_note(ws, rule, check, extra, summary.not_evaluable, r, p));
    }
    // A rule scoped to periods the run does not check (periods = ["2025-05"] in a run of
    // 2025-06): nothing is checked, and that is said (the note blamed the rule's levels).
    if summary.items == 0
        && pass.by_period
        && let (Some(q), Some(ps)) = (period, &rule.periods)
        && !ps.contains(&q)
    {
        let listed: Vec<String> = ps.iter().map(|&p| periods.get(p).to_string()).collect();
        let first = listed.first().cloned().unwrap_or_default();
        summary.why.push(format!(
            "nothing checked: the rule's periods ({}) do not include this run's period {}; run with --period {first} to check \
             them, or leave the rule's periods out to check the run's",
            listed.join(", "),
            periods.get(q)
        ));
        return;
    }
    // A rule scoped to levels where its check has no cell, though it has some at other
    // levels (`rollup(gdp, "county") < 0` with levels = ["town"]): nothing is checked,
    // and that is said, never a rule of 0 items without a word.
    if summary.items == 0
        && pass.by_region
        && let Some(levels) = &rule.levels
    {
        let mut at: Vec<u8> = Vec::new();
        for r in 0..pass.rows() {
            let l = regions.level[r];
            if !levels.contains(&l) && !at.contains(&l) && (0..pass.cols()).any(|p| !pass_at(r, p).is_nan()) {
                at.push(l);
            }
        }
        if !at.is_empty() {
            at.sort_unstable();
            let names = |ls: &[u8]| ls.iter().map(|&l| format!("\"{}\"", regions.levels[l as usize])).collect::<Vec<_>>().join(", ");
            summary.why.push(format!(
                "nothing checked: the check has values at {} but none at the rule's levels ({}); check the level it has values \
                 at (levels = [{}]), or compute it at the levels checked",
                names(&at),
                names(levels),
                names(&at)
            ));
        }
    }
}

/// Why a rule's items were not evaluable, where its evaluation said nothing (rule23 06: a
/// county with its own 2024 figures, none in 2025, beside a town that had not delivered;
/// rule23 01: a county with its own GDP whose 三次产业 are its towns' and a rule without
/// `levels`): the first such item, the values of the check missing there, and where the
/// regions below it have them, how to read it as their total.
fn unevaluable_note(ws: &Workspace, rule: &Rule, check: &Check, extra: &[(String, Series)], n: usize, r: usize, p: usize) -> String {
    let regions = ws.panel().regions();
    let name = regions.label(r as u32);
    let when = ws.panel().periods().get(p);
    let missing: Vec<&str> =
        check.values.iter().chain(extra).filter(|(_, s)| s.by_region && s.get(r, p).is_nan()).map(|(n, _)| n.as_str()).collect();
    let what = if missing.is_empty() { "the check".to_string() } else { missing.join(", ") };
    // A value missing at the region while regions below it have it.
    let below = check.values.iter().chain(extra).any(|(_, s)| {
        s.by_region && s.get(r, p).is_nan() && (0..regions.len()).any(|c| regions.parent[c] as usize == r && !s.get(c, p).is_nan())
    });
    let hint = if below && rule.levels.is_none() {
        let all: Vec<String> = regions.levels.iter().map(|l| format!("\"{l}\"")).collect();
        format!(
            "; the regions below {name} have it: a rule without `levels` reads {name}'s own figures only, levels = [{}] reads \
             it as their total where it has none of its own",
            all.join(", ")
        )
    } else if below {
        format!("; the regions below {name} have it, but not all of them, or {name} gave a figure of its own before")
    } else {
        String::new()
    };
    format!(
        "{n} item(s) not evaluable, the first {name} {when}: {what} missing there (a figure not given, or a region that has \
         not delivered){hint}"
    )
}

pub use crate::sentence::show;

/// Fills `{name}` placeholders: region, code, period, rule, severity, imbalance and the
/// check's values. An unknown placeholder is left as `{?name}` so it shows.
pub fn render_message(rule: &Rule, code: &str, name: &str, period: &str, values: &Values, imbalance: Option<(f64, &str)>) -> String {
    let template = message_template(rule, values, imbalance.is_some());
    let pieces = yearbook_script::placeholder::parse(&template);
    fill_message(&template, &pieces, message_cell(rule, code, name, period, values, imbalance, &[]))
}

/// The template of `rule`'s messages: its own, or one naming each of the check's values
/// (and the imbalance, where there is one).
fn message_template(rule: &Rule, values: &Values, imbalance: bool) -> String {
    match &rule.message {
        Some(m) => m.clone(),
        None => {
            // A pacing (on_pace) says which way: 落后时间进度5.8个百分点.
            let mut parts: Vec<String> = values
                .iter()
                .map(|(k, v)| if k == "pacing" && &*v.unit == "百分点" { format!("{{{k}:pace}}") } else { format!("{k} {{{k}}}") })
                .collect();
            if imbalance {
                parts.push("imbalance {imbalance}".into());
            }
            format!("{{region}} {{period}}: {}", if rule.description.is_empty() { rule.id.clone() } else { rule.description.clone() })
                + if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }.as_str()
        }
    }
}

/// What a message of `rule` can name at one cell.
fn message_cell<'a>(
    rule: &'a Rule,
    code: &'a str,
    name: &'a str,
    period: &'a str,
    values: &'a Values,
    imbalance: Option<(f64, &'a str)>,
    why: &'a [(String, crate::report::phrase::Why)],
) -> crate::sentence::Cell<'a> {
    crate::sentence::Cell {
        why,
        labels: &[],
        tied: &[],
        not_yearly: &[],
        against: &[],
        actuals: &[],
        apart: &[],
        of_period: &[],
        failing: false,
        region: name,
        code,
        period,
        rule: &rule.id,
        severity: rule.severity.name(),
        description: &rule.description,
        values,
        imbalance,
        tolerance: None,
    }
}

/// The changes `{x:change(prev)}` of `pieces` (a rule's message or a report rule's `say`)
/// whose `prev` is another figure than `x` earlier ([`crate::sentence::against_other_figures`]),
/// the rule's values read by their expressions and other names (indicators) as they are.
pub(crate) fn against_other_figures(ws: &Workspace, rule: &Rule, pieces: &[yearbook_script::placeholder::Piece]) -> Vec<(String, String)> {
    crate::sentence::against_other_figures(pieces, &|n: &str| {
        let text = rule.values.iter().find(|(m, _, _)| m == n).map_or_else(|| n.to_string(), |(_, t, _)| t.clone());
        // A derived indicator by its formula (`gp = "lag(gdp, 1)"` is gdp a year earlier).
        ws.program.indicators.get(text.trim()).map_or(text, |d| d.text.clone())
    })
}

/// Fills `template` (read into `pieces`) for one cell: see [`render_message`].
fn fill_message(template: &str, pieces: &[yearbook_script::placeholder::Piece], cell: crate::sentence::Cell<'_>) -> String {
    let (values, imbalance) = (cell.values, cell.imbalance);
    // `{imbalance:2}`, `{imbalance:amount}`: the imbalance phrased as any value is (a
    // value of the check's own named `imbalance` comes first).
    let with_imbalance;
    let cell = match imbalance {
        imb if values.get("imbalance").is_none() && template.contains("{imbalance:") => {
            let mut v = values.clone();
            v.insert("imbalance", ValueOut { value: imb.map(|(x, _)| x), unit: imb.map(|(_, u)| u).unwrap_or_default().into() });
            with_imbalance = v;
            crate::sentence::Cell { values: &with_imbalance, ..cell }
        }
        _ => cell,
    };
    // A message never fails: what names nothing prints as `{?name}`.
    crate::sentence::fill(pieces, &cell, crate::sentence::Mode::Message).unwrap_or_else(|_| template.to_string())
}
