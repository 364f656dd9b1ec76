//! Indicators defined in the config (`[indicators.<id>]`): compiled once, computed on
//! first use so that they evaluate in dependency order; a cycle is an error naming it.
//! The indicators an expression names are computed first, one after the other (an
//! explicit stack, not nested evaluations), so a chain of any length never nests on the
//! native stack; what nests anyway (names read inside script functions) is bounded by
//! `MAX_NESTING`. A failure is remembered, and its message names the indicator that failed.

use crate::error::{ErrorKind, Fault};
use crate::series::Series;
use crate::unit::Unit;
use rhai::{AST, Dynamic, Engine, EvalAltResult};
use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Clone)]
pub struct Def {
    pub id: String,
    pub label: String,
    pub unit: Option<Unit>,
    /// The expression (or `function()` call) and its compiled form.
    pub text: String,
    pub ast: AST,
    /// Wall-time limit, overriding limits.timeout_ms.
    pub timeout_ms: Option<u64>,
    /// How it rolls up, when the config declares it (`rollup = "sum"`).
    pub rollup: Option<crate::indicator::Rollup>,
    /// Derived indicators the expression names (computed before it).
    pub uses: Vec<String>,
}

/// Derived indicators computed inside one another (names read by script functions,
/// which the static pass cannot see) at most this deep.
pub const MAX_NESTING: usize = 32;

#[derive(Default)]
pub struct Derived {
    defs: RefCell<Vec<Def>>,
    library: RefCell<AST>,
    values: RefCell<BTreeMap<String, Result<Series, Fault>>>,
    stack: RefCell<Vec<String>>,
}

impl Derived {
    pub fn set(&self, defs: Vec<Def>, library: AST) {
        *self.defs.borrow_mut() = defs;
        *self.library.borrow_mut() = library;
        self.values.borrow_mut().clear();
    }
    pub fn has(&self, name: &str) -> bool {
        self.defs.borrow().iter().any(|d| d.id == name)
    }
    pub fn names(&self) -> Vec<String> {
        self.defs.borrow().iter().map(|d| d.id.clone()).collect()
    }
    pub fn defs(&self) -> Vec<Def> {
        self.defs.borrow().clone()
    }
    /// Forgets computed values (after the data changed).
    pub fn reset(&self) {
        self.values.borrow_mut().clear();
        self.stack.borrow_mut().clear();
    }

    /// The indicator's series, computing it (and what it uses) if needed.
    pub fn get(&self, name: &str, engine: &Engine) -> Result<Series, Box<EvalAltResult>> {
        if let Some(v) = self.values.borrow().get(name) {
            return v.clone().map_err(|e| failed(name, &e));
        }
        if let Some(i) = self.stack.borrow().iter().position(|n| n == name) {
            let mut cycle: Vec<String> = self.stack.borrow()[i..].to_vec();
            cycle.push(name.to_string());
            return Err(Fault::new(ErrorKind::Cycle, format!("indicators form a cycle: {}", cycle.join(" -> "))).into());
        }
        for dep in self.pending(name) {
            if let Err(e) = self.compute(&dep, engine) {
                // Remembered once: every later use names `dep`, and nothing recomputes it.
                let reason = reason(&e);
                self.fail(&dep, reason.clone());
                return Err(failed(&dep, &reason));
            }
        }
        self.compute(name, engine)
    }

    /// What `name` uses, directly or not, that is not computed yet: deepest first, each
    /// after everything it uses (an iterative depth-first walk over the static uses).
    fn pending(&self, name: &str) -> Vec<String> {
        let defs = self.defs.borrow();
        let values = self.values.borrow();
        let uses = |n: &str| -> Vec<String> { defs.iter().find(|d| d.id == n).map(|d| d.uses.clone()).unwrap_or_default() };
        let mut order = Vec::new();
        let mut seen: std::collections::HashSet<String> = [name.to_string()].into();
        let mut walk: Vec<(String, Vec<String>)> = vec![(name.to_string(), uses(name))];
        while let Some((_, next)) = walk.last_mut() {
            match next.pop() {
                Some(d) => {
                    if !values.contains_key(&d) && seen.insert(d.clone()) {
                        let u = uses(&d);
                        walk.push((d, u));
                    }
                }
                None => {
                    let (n, _) = walk.pop().expect("not empty");
                    if n != name {
                        order.push(n);
                    }
                }
            }
        }
        order
    }

    /// Evaluates one indicator (what it names is computed already, or nests within bounds).
    fn compute(&self, name: &str, engine: &Engine) -> Result<Series, Box<EvalAltResult>> {
        if let Some(v) = self.values.borrow().get(name) {
            return v.clone().map_err(|e| failed(name, &e));
        }
        if self.stack.borrow().len() >= MAX_NESTING {
            let chain = self.stack.borrow().join(" -> ");
            return Err(Fault::new(
                ErrorKind::DepthLimit,
                format!(
                    "indicators are computed inside one another more than {MAX_NESTING} deep ({chain} -> {name}): \
                     name the indicators a function reads in the indicator's expression, so they are computed first"
                ),
            )
            .into());
        }
        let def = self
            .defs
            .borrow()
            .iter()
            .find(|d| d.id == name)
            .cloned()
            .ok_or_else(|| Fault::unknown(format!("unknown indicator `{name}`")))?;
        self.stack.borrow_mut().push(name.to_string());
        let full = self.library.borrow().merge(&def.ast);
        let res = engine.eval_ast::<Dynamic>(&full);
        self.stack.borrow_mut().pop();
        let out = res.and_then(|v| to_series(&def, v)).and_then(|s| with_rollup(&def, s, engine));
        // Cycles and nested failures are not cached here: the outer evaluation reports them.
        if let Ok(s) = &out {
            self.values.borrow_mut().insert(name.to_string(), Ok(s.clone()));
        }
        out
    }

    /// Records a failure (its kind and message) so later uses report it instead of
    /// recomputing.
    pub fn fail(&self, name: &str, fault: Fault) {
        self.values.borrow_mut().insert(name.to_string(), Err(fault));
    }
}

/// The error of using an indicator that failed: the failure's kind, and its message
/// naming the indicator.
fn failed(name: &str, reason: &Fault) -> Box<EvalAltResult> {
    if reason.message.starts_with("indicator `") {
        reason.clone().into()
    } else {
        Fault::new(reason.kind, format!("indicator `{name}` failed: {}", reason.message)).into()
    }
}

/// The cause of an evaluation error: its kind, and in words (limits named; no script
/// positions).
fn reason(e: &EvalAltResult) -> Fault {
    use crate::script::diagnostic::{kind_of, terminated_kind};
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

fn to_series(def: &Def, v: Dynamic) -> Result<Series, Box<EvalAltResult>> {
    let ty = v.type_name().to_string();
    let s = v.try_cast::<Series>().ok_or_else(|| Fault::type_(format!("indicator `{}` must give a series, not {ty}", def.id)))?;
    match &def.unit {
        None => Ok(s),
        Some(u) => crate::kernel::arith::convert(s, u)
            .map_err(|e| Fault::new(e.kind, format!("indicator `{}` declares unit {}: {e}", def.id, u.show())).into()),
    }
}

/// Applies the indicator's declared roll-up rule; without one, a series that does not
/// roll up says which key to declare (never advice that gives another number).
fn with_rollup(def: &Def, mut s: Series, engine: &Engine) -> Result<Series, Box<EvalAltResult>> {
    use crate::indicator::Rollup;
    use crate::series::Agg;
    s.agg = match &def.rollup {
        Some(Rollup::Sum) => Agg::Sum,
        Some(Rollup::Mean) => Agg::Mean,
        Some(Rollup::WeightedMean(w)) => {
            let ty_err = |t: &str| {
                Fault::type_(format!(
                    "indicators.{}: the weight `{w}` of rollup = \"weighted_mean({w})\" must be a series, not {t}",
                    def.id
                ))
            };
            let v = engine.eval_expression::<Dynamic>(w)?;
            let t = v.type_name().to_string();
            Agg::Weighted(std::sync::Arc::new(v.try_cast::<Series>().ok_or_else(|| ty_err(&t))?))
        }
        Some(Rollup::None) => {
            Series::no_rollup(format!("`{}` has rollup = \"none\" in [indicators.{}]: it cannot be rolled up", def.id, def.id))
        }
        None => match s.agg {
            Agg::None(why) => Series::no_rollup(format!(
                "`{}` ({}) does not roll up by itself ({why}); declare how in [indicators.{}]: rollup = \"sum\" when the regions' values add up (a total such as price * quantity), \"weighted_mean(INDICATOR)\" or \"mean\" for a rate, or \"none\"",
                def.id, def.text, def.id
            )),
            other => other,
        },
    };
    Ok(s)
}
