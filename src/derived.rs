//! Indicators defined in the config (`[indicators.<id>]`): compiled once, computed on
//! first use so that they evaluate in dependency order; a cycle is an error naming it.

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
}

#[derive(Default)]
pub struct Derived {
    defs: RefCell<Vec<Def>>,
    library: RefCell<AST>,
    values: RefCell<BTreeMap<String, Result<Series, String>>>,
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
            return v.clone().map_err(|e| format!("indicator `{name}` failed: {e}").into());
        }
        if let Some(i) = self.stack.borrow().iter().position(|n| n == name) {
            let mut cycle: Vec<String> = self.stack.borrow()[i..].to_vec();
            cycle.push(name.to_string());
            return Err(format!("indicators form a cycle: {}", cycle.join(" -> ")).into());
        }
        let def = self.defs.borrow().iter().find(|d| d.id == name).cloned().ok_or_else(|| format!("unknown indicator `{name}`"))?;
        self.stack.borrow_mut().push(name.to_string());
        let full = self.library.borrow().merge(&def.ast);
        let res = engine.eval_ast::<Dynamic>(&full);
        self.stack.borrow_mut().pop();
        let out = res.and_then(|v| to_series(&def, v)).and_then(|s| with_rollup(&def, s, engine));
        // Cycles and nested failures are not cached: the outer evaluation reports them.
        if let Ok(s) = &out {
            self.values.borrow_mut().insert(name.to_string(), Ok(s.clone()));
        }
        out
    }

    /// Records a failure so later uses report it instead of recomputing.
    pub fn fail(&self, name: &str, message: String) {
        self.values.borrow_mut().insert(name.to_string(), Err(message));
    }
}

fn to_series(def: &Def, v: Dynamic) -> Result<Series, Box<EvalAltResult>> {
    let ty = v.type_name().to_string();
    let s = v.try_cast::<Series>().ok_or_else(|| format!("indicator `{}` must give a series, not {ty}", def.id))?;
    match &def.unit {
        None => Ok(s),
        Some(u) => {
            crate::kernel::arith::convert(s, u).map_err(|e| format!("indicator `{}` declares unit {}: {e}", def.id, u.show()).into())
        }
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
            let ty_err =
                |t: &str| format!("indicators.{}: the weight `{w}` of rollup = \"weighted_mean({w})\" must be a series, not {t}", def.id);
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
