//! Names in scripts and the derived indicators behind them: a name resolves to a loaded
//! indicator, a derived indicator (computed on first use, so indicators evaluate in
//! dependency order; a cycle is an error naming it), a namespace of facts or an
//! indicator label. The indicators an expression names are computed first, one after
//! the other (an explicit stack, not nested evaluations), so a chain of any length never
//! nests on the native stack; what nests anyway (names read inside script functions) is
//! bounded by `MAX_NESTING`. A failure is remembered, and its message names the
//! indicator that failed.

use crate::Raised;
use crate::data::Namespace;
use crate::derived::{Def, MAX_NESTING};
use crate::eval::{self, Eval};
use rhai::{Dynamic, Engine, EvalAltResult, Scope};
use std::sync::Arc;
use yearbook_core::error::{ErrorKind, Fault};
use yearbook_core::indicator::Rollup;
use yearbook_core::series::Series;

type R<T> = Result<T, Box<EvalAltResult>>;

/// Resolves a name used in a script: indicator code, derived indicator, namespace of
/// facts, or indicator label. None: not a name of the workspace.
pub fn resolve(ev: &Arc<Eval>, name: &str, engine: &Engine) -> R<Option<Dynamic>> {
    let data = &ev.data;
    if let Some(i) = data.panel.indicator(name) {
        return Ok(Some(Dynamic::from(ev.inputs.seen(data.indicator_series(i)))));
    }
    if ev.indicators.has(name) {
        let s = get(ev, name, engine)?;
        return Ok(Some(Dynamic::from(ev.inputs.seen(s))));
    }
    if data.namespaces.iter().any(|n| n == name) {
        return Ok(Some(Dynamic::from(Namespace { name: Arc::from(name) })));
    }
    // By label: a loaded indicator's, or a derived one's (`[indicators.a] label = "甲指标"`).
    let loaded: Vec<usize> = data.panel.indicators.iter().enumerate().filter(|(_, i)| i.label == name).map(|(k, _)| k).collect();
    let derived: Vec<&str> = ev.indicators.defs.iter().filter(|d| d.label == name && d.id != name).map(|d| d.id.as_str()).collect();
    match (loaded.as_slice(), derived.as_slice()) {
        ([], []) => Ok(None),
        ([first], []) => Ok(Some(Dynamic::from(ev.inputs.seen(data.indicator_series(*first))))),
        ([], [id]) => {
            let s = get(ev, id, engine)?;
            Ok(Some(Dynamic::from(ev.inputs.seen(s))))
        }
        _ => {
            let codes: Vec<&str> = loaded.iter().map(|&k| data.panel.indicators[k].code.as_str()).chain(derived).collect();
            Err(Fault::unknown(format!("the label `{name}` belongs to {} indicators: {}; use the code", codes.len(), codes.join(", ")))
                .raised())
        }
    }
}

/// The derived indicator's series, computing it (and what it uses) if needed.
pub fn get(ev: &Arc<Eval>, name: &str, engine: &Engine) -> R<Series> {
    if let Some(v) = ev.data.values.get(&key(ev, name)) {
        return v.map_err(|e| failed(name, &e));
    }
    {
        let stack = ev.stack.lock().map_err(|_| "an evaluation failed while holding its state")?;
        if let Some(i) = stack.iter().position(|n| n == name) {
            let mut cycle: Vec<String> = stack[i..].to_vec();
            cycle.push(name.to_string());
            return Err(Fault::new(ErrorKind::Cycle, format!("indicators form a cycle: {}", cycle.join(" -> "))).raised());
        }
    }
    for dep in pending(ev, name) {
        if let Err(e) = compute(ev, &dep, engine) {
            // Remembered once: every later use names `dep`, and nothing recomputes it.
            let reason = reason(&e);
            ev.data.values.insert(&key(ev, &dep), Err(reason.clone()));
            return Err(failed(&dep, &reason));
        }
    }
    compute(ev, name, engine)
}

/// What `name` uses, directly or not, that is not computed yet: deepest first, each
/// after everything it uses (an iterative depth-first walk over the static uses).
fn pending(ev: &Eval, name: &str) -> Vec<String> {
    let uses = |n: &str| ev.indicators.uses(n);
    let mut order = Vec::new();
    let mut seen: std::collections::HashSet<String> = [name.to_string()].into();
    let mut walk: Vec<(String, Vec<String>)> = vec![(name.to_string(), uses(name))];
    while let Some((_, next)) = walk.last_mut() {
        match next.pop() {
            Some(d) => {
                if !ev.data.values.contains(&key(ev, &d)) && seen.insert(d.clone()) {
                    let u = uses(&d);
                    walk.push((d, u));
                }
            }
            None => {
                if let Some((n, _)) = walk.pop()
                    && n != name
                {
                    order.push(n);
                }
            }
        }
    }
    order
}

/// Evaluates one indicator (what it names is computed already, or nests within bounds),
/// within the evaluation `ev` (its deadline, tally and input tracking).
fn compute(ev: &Arc<Eval>, name: &str, engine: &Engine) -> R<Series> {
    let policy = ev.inputs.policy();
    if let Some(v) = ev.data.values.get(&key(ev, name)) {
        return v.map_err(|e| failed(name, &e));
    }
    let def = ev.indicators.get(name).ok_or_else(|| Fault::unknown(format!("unknown indicator `{name}`"))).map_err(crate::raise)?;
    let mut stack = ev.stack.lock().map_err(|_| "an evaluation failed while holding its state")?.clone();
    if stack.len() >= MAX_NESTING {
        let chain = stack.join(" -> ");
        return Err(Fault::new(
            ErrorKind::DepthLimit,
            format!(
                "indicators are computed inside one another more than {MAX_NESTING} deep ({chain} -> {name}): \
                 name the indicators a function reads in the indicator's expression, so they are computed first"
            ),
        )
        .raised());
    }
    // Its value is kept for the rest of the run: past the memory budget it is not made,
    // where the values kept before it (one indicator each, none of them large by itself)
    // would grow on to an allocation that fails and aborts the process.
    if let Some((rss, limit)) = yearbook_core::memory::over_budget_now() {
        let axes = &ev.data.panel.axes;
        let each = (axes.regions.len() as u64).saturating_mul(axes.periods.len as u64).saturating_mul(8);
        return Err(Fault::new(
            ErrorKind::MemoryLimit,
            format!(
                "not computed: the process holds {} MB, past its memory budget of {} MB (limits.max_memory_mb; 0 is half the \
                 memory it may use), with the derived indicators computed before it kept for the rules ({} MB each): raise \
                 limits.max_memory_mb, or narrow the panel (fewer periods or regions)",
                rss >> 20,
                limit >> 20,
                each.div_ceil(1 << 20)
            ),
        )
        .raised());
    }
    stack.push(name.to_string());
    // Its own evaluation (same data, deadline and tally), tracking no rule's inputs: the
    // value never depends on which rule asked for it first.
    let child = Arc::new(Eval {
        data: ev.data.clone(),
        indicators: ev.indicators.clone(),
        tally: ev.tally.clone(),
        // What its formula reads is tracked (nothing else changes): a declared mean is
        // shown at a region made of its children only where nothing read has a figure
        // of the region's own.
        inputs: crate::rule::InputTracker::reads(policy),
        stack: std::sync::Mutex::new(stack),
        within: ev.within.clone(),
    });
    let res = eval::run_open(engine, &child, &mut Scope::new(), &def.ast);
    let read = child.inputs.finish();
    let out = res.and_then(|v| to_series(def, v)).and_then(|s| with_rollup(&child, def, s, engine)).map(|mut s| {
        if s.declared && matches!(&def.rollup, Some(Rollup::Mean | Rollup::WeightedMean(_))) {
            let cells = read.as_ref().map_or_else(|| vec![true; s.data.len()], |r| r.own_cells(s.data.len()));
            let what = format!("`{}` ({})", def.id, def.text);
            s.own_inputs = Some(Arc::new(yearbook_core::series::OwnInputs { what: Arc::from(what), cells }));
        }
        s.rate = rate_of(def, s.rate.take(), &s.unit);
        // A sum by what it is made of is shown at a region made of its children only where
        // its formula took every region and period as they are: a selection (`only(a,
        // "t1")`, `level(a, "town")`, `in_period`) rolled up would be a part as the whole.
        if def.rollup.is_none()
            && read.as_ref().is_some_and(|r| r.regions.is_some() || r.periods.is_some() || !r.rolled_up.is_empty())
            && matches!(s.agg, yearbook_core::series::Agg::Sum)
        {
            s.declared = false;
        }
        if let Some(r) = read.as_ref().filter(|_| s.by_region && s.by_period) {
            // Under a rule's `missing = "zero"` its inputs were read with a gap as 0: a
            // cell where none of them has a figure has none either (the formula written
            // in the check has no item there), whatever `a + b` of two zeros gives.
            if policy != crate::rule::MissingPolicy::SkipAny {
                let present = r.present(s.data.len(), policy, &s.axes.regions);
                if present.iter().any(|p| !p) {
                    let mut data = s.take_data();
                    for (v, _) in data.iter_mut().zip(&present).filter(|(_, p)| !**p) {
                        *v = f64::NAN;
                    }
                    s.data = Arc::new(yearbook_core::cells::Cells::from(data));
                }
            }
            s.unevaluated = r.unevaluated(&s.data, &s.axes.regions, policy).map(Arc::new);
        }
        s
    });
    // Cycles and nested failures are not cached here: the outer evaluation reports them.
    if let Ok(s) = &out {
        ev.data.values.insert(&key(ev, name), Ok(s.clone()));
    }
    out
}

/// The key the value of the derived indicator `name` is kept under, computed within
/// `ev`: its name; under a rule's missing-value policy `zero` or `skip_all` the policy
/// too, after [`crate::derived::POLICY_MARK`] (its inputs read with a gap as 0, as the
/// formula written in the check reads them; never the value a report shows); within a
/// report's regions ([`Eval::within`]) the report's region too (a rank among them).
fn key<'a>(ev: &Eval, name: &'a str) -> std::borrow::Cow<'a, str> {
    use crate::rule::MissingPolicy;
    let mark = crate::derived::POLICY_MARK;
    let policy = match ev.inputs.policy() {
        MissingPolicy::SkipAny => "",
        MissingPolicy::SkipAll => "skip_all",
        MissingPolicy::Zero => "zero",
    };
    match (&ev.within, policy) {
        (None, "") => std::borrow::Cow::Borrowed(name),
        (None, p) => std::borrow::Cow::Owned(format!("{name}{mark}{p}")),
        (Some(w), p) => std::borrow::Cow::Owned(format!("{name}{mark}{p}{mark}within {}", w.region)),
    }
}

/// What rate or share the indicator `def` is of ([`Series::rate`]), its formula having
/// given `from`: a share or rate it computes (`share(a, b)`, `rev / gdp * 100`), or one
/// its label names ([`yearbook_core::indicator::is_rate_or_share`]), is the level of the
/// indicator itself; a change its formula takes of another's (`yoy(urban_rate)`) stays
/// that one's.
fn rate_of(
    def: &Def,
    from: Option<yearbook_core::series::RateOf>,
    unit: &yearbook_core::unit::Unit,
) -> Option<yearbook_core::series::RateOf> {
    use yearbook_core::series::RateOf;
    let name = format!("`{}` ({})", def.id, def.label);
    match from {
        Some(RateOf::Level(_)) => Some(RateOf::Level(Arc::from(name))),
        // A growth rate computed (`yoy(gdp)`) stays one under the indicator's name; a
        // factor near 1 (`gdp / lag(gdp, 1)`) keeps its kind's.
        Some(RateOf::Growth(n))
            if !matches!(n.as_ref(), yearbook_core::series::GROWTH_FACTOR | yearbook_core::series::EARLIER_OVER_LATER) =>
        {
            Some(RateOf::Growth(Arc::from(name)))
        }
        Some(g @ RateOf::Growth(_)) => Some(g),
        Some(RateOf::Percent(_)) => RateOf::of(&name, &def.label, unit, false).or_else(|| Some(RateOf::Percent(Arc::from(name)))),
        Some(r) if r.is_level() => RateOf::of(&name, &def.label, unit, false),
        None => RateOf::of(&name, &def.label, unit, false),
        other => other,
    }
}

/// The error of using an indicator that failed: the failure's kind, and its message
/// naming the indicator.
fn failed(name: &str, reason: &Fault) -> Box<EvalAltResult> {
    if reason.message.starts_with("indicator `") {
        reason.clone().raised()
    } else {
        Fault::new(reason.kind, format!("indicator `{name}` failed: {}", reason.message)).raised()
    }
}

/// The cause of an evaluation error: its kind, and in words (limits named; no script
/// positions).
pub fn reason(e: &EvalAltResult) -> Fault {
    use crate::diagnostic::{kind_of, terminated_kind};
    let message = match e {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => return reason(inner),
        EvalAltResult::ErrorRuntime(v, _) => v.to_string(),
        EvalAltResult::ErrorTerminated(v, _) => match terminated_kind(v) {
            ErrorKind::Interrupted => "interrupted".into(),
            ErrorKind::MemoryLimit => "stopped: it held more memory than limits.max_memory_mb".into(),
            _ => "stopped: it ran longer than its time limit (timeout_ms)".into(),
        },
        EvalAltResult::ErrorTooManyOperations(_) => "stopped: it exceeded limits.max_operations".into(),
        EvalAltResult::ErrorStackOverflow(_) => "stopped: calls nested deeper than limits.max_call_depth".into(),
        other => {
            let t = other.to_string();
            match t.rfind(" (line ") {
                Some(i) if t.ends_with(')') => t[..i].to_string(),
                _ => t,
            }
        }
    };
    // Without the workspace's function list, a call no function takes is an unknown name.
    Fault::new(kind_of(e, &[]), message)
}

fn to_series(def: &Def, v: Dynamic) -> R<Series> {
    let ty = v.type_name().to_string();
    let s = v
        .try_cast::<Series>()
        .ok_or_else(|| Fault::type_(format!("indicator `{}` must give a series, not {ty}", def.id)))
        .map_err(crate::raise)?;
    let s = match &def.unit {
        Some(u) if *u != s.unit => yearbook_core::kernel::arith::convert(s, u)
            .map_err(|e| Fault::new(e.kind, format!("indicator `{}` declares unit {}: {e}", def.id, u.show())).raised())?,
        _ => {
            yearbook_core::kernel::arith::note_written_scale(&s);
            s
        }
    };
    // A conversion still open in it (a quotient or product whose numbers may hold it) is
    // settled as the indicator's value.
    yearbook_core::kernel::arith::settle(s, None).map_err(|e| Fault::new(e.kind, format!("indicator `{}`: {e}", def.id)).raised())
}

/// Applies the indicator's declared roll-up rule; without one, a series that does not
/// roll up says which key to declare (never advice that gives another number).
fn with_rollup(ev: &Arc<Eval>, def: &Def, mut s: Series, engine: &Engine) -> R<Series> {
    use yearbook_core::series::Agg;
    // A ratio declared a mean or a weighted mean keeps its parts for showing a region
    // made of its children (its parts as shown, divided again).
    if let (Some(Rollup::Mean | Rollup::WeightedMean(_)), Agg::Ratio(parts)) = (&def.rollup, &s.agg) {
        s.parts = Some(parts.clone());
    }
    // Declared sum over a value that does not add up (a unit such as %, a growth, a
    // share a / b: known only now where no unit is declared): refused where it would roll
    // up (a county's 增速 was the sum of its towns', 29.09% for 9.73%).
    let not_added = yearbook_core::kernel::aggregate::not_added(&s, None, yearbook_core::kernel::aggregate::Adds::Regions);
    s.agg = match &def.rollup {
        Some(Rollup::Sum) if not_added.is_some() => Series::no_rollup(format!(
            "`{}` has rollup = \"sum\" in [indicators.{}] but is {}: the regions' values do not add up to their total's; \
             declare rollup = \"weighted_mean(INDICATOR)\" or \"mean\", or compute it from rolled-up parts",
            def.id,
            def.id,
            not_added.unwrap_or_default()
        )),
        Some(Rollup::Sum) => Agg::Sum,
        Some(Rollup::Mean) => Agg::Mean,
        Some(Rollup::WeightedMean(w)) => {
            let ty_err = |t: &str| {
                Fault::type_(format!(
                    "indicators.{}: the weight `{w}` of rollup = \"weighted_mean({w})\" must be a series, not {t}",
                    def.id
                ))
            };
            let v = match resolve(ev, w, engine)? {
                Some(v) => v,
                None => engine.eval_expression::<Dynamic>(w)?,
            };
            let t = v.type_name().to_string();
            Agg::Weighted(Arc::new(v.try_cast::<Series>().ok_or_else(|| ty_err(&t)).map_err(crate::raise)?))
        }
        Some(Rollup::None) => {
            Series::no_rollup(format!("`{}` has rollup = \"none\" in [indicators.{}]: it cannot be rolled up", def.id, def.id))
        }
        None => match s.agg {
            Agg::None(why) => Series::no_rollup(format!(
                "`{}` ({}) does not roll up by itself ({why}); declare how in [indicators.{}]: rollup = \"sum\" when the regions' values add up (a total such as price * quantity), \"weighted_mean(INDICATOR)\" or \"mean\" for a rate of the regions' own, or \"none\"; a rate made of totals (a completion, pacing, a share) is its formula over the rolled-up totals (f(rollup(a, level), rollup(b, level))), never a mean of the regions' rates",
                def.id, def.text, def.id
            )),
            other => other,
        },
    };
    // A declared roll-up is the config's word for how the regions' values make their
    // total's: a town made of its villages has their total (revenue = price * qty, sum)
    // or their mean (qty * 2, mean), as rollup() and explain give it. A mean where the
    // town has a figure of its own that the formula reads is not (a per-capita qty / pop
    // of a town with its own population is its villages' output over that population):
    // a ratio is recomputed from its parts (`parts`), another formula is left not
    // evaluable there (`own_inputs`, set by `compute`).
    // Without a declaration, a formula whose roll-up is a sum by what it is made of
    // (`a - b`, `a + b`, `a * 2` of totals: the regions' values add up to their total's) is
    // shown so too, as the same formula over the rolled-up totals gives it (a rule at the
    // county on `d = a - b` was not evaluable where `a - b` is checked); a declared mean
    // read through a factor (`price * 2`) keeps its roll-up.
    s.declared = match &def.rollup {
        Some(Rollup::Sum) => matches!(s.agg, Agg::Sum),
        Some(Rollup::Mean | Rollup::WeightedMean(_)) => matches!(s.agg, Agg::Mean | Agg::Weighted(_)),
        Some(Rollup::None) => false,
        None => matches!(s.agg, Agg::Sum) || (s.declared && matches!(s.agg, Agg::Mean | Agg::Weighted(_))),
    };
    // A rounded indicator rolls up its unrounded values by the rule it declares (a mean
    // of round(gdp, 1) is the towns' mean rounded, never their sum).
    if let Some(r) = &s.rounded {
        let source = Series { agg: s.agg.clone(), ..r.source.clone() };
        s.rounded = Some(Arc::new(yearbook_core::series::Rounded { source, ..(**r).clone() }));
    }
    Ok(s)
}
