//! One evaluation: the state a script run carries (the data it reads, the compiled
//! indicators, the rule's input tracking, the tally with its deadline and cancel token).
//! The engine is shared and holds none of it: the state travels with the call, as the
//! evaluation's tag, and native functions read it from their `NativeCallContext`.

use crate::data::Data;
use crate::derived::Indicators;
use crate::rule::InputTracker;
use rhai::{AST, Dynamic, Engine, EvalAltResult, NativeCallContext, Scope};
use std::sync::{Arc, Mutex};
use yearbook_core::tally::Tally;

/// The state of one evaluation.
pub struct Eval {
    /// What scripts read.
    pub data: Arc<Data>,
    /// Derived indicators and the script library.
    pub indicators: Arc<Indicators>,
    /// Divisions by zero, notes, printed lines, deadline, cancel token.
    pub tally: Arc<Tally>,
    /// A rule's inputs (tracks nothing outside rules).
    pub inputs: InputTracker,
    /// Derived indicators being computed inside one another (to name cycles).
    pub(crate) stack: Mutex<Vec<String>>,
    /// A report's regions: `rank` and `top` place a region among those of its group
    /// only; none outside a report (or in a report on the whole tree).
    pub within: Option<Within>,
}

/// The regions a report on one region compares
/// ([`yearbook_core::region::Regions::report_groups`]): the regions under it among one
/// another, it among its siblings.
#[derive(Clone, Debug)]
pub struct Within {
    /// The report's region (row index).
    pub region: u32,
    /// Per region row, its group (`NONE`: not in the report).
    pub groups: Arc<[u32]>,
}

impl Eval {
    /// The state of an evaluation over `data`.
    pub fn new(data: Arc<Data>, indicators: Arc<Indicators>, tally: Tally, inputs: InputTracker) -> Eval {
        Eval { data, indicators, tally: Arc::new(tally), inputs, stack: Mutex::new(Vec::new()), within: None }
    }

    /// The evaluation within a report's regions (see [`Eval::within`]).
    pub fn within(mut self, within: Option<Within>) -> Eval {
        self.within = within;
        self
    }
}

/// The tag an evaluation carries: a shared reference to its state.
#[derive(Clone)]
pub struct EvalRef(pub Arc<Eval>);

type R<T> = Result<T, Box<EvalAltResult>>;

/// The state of the evaluation a native function is called from.
pub fn of(ctx: &NativeCallContext) -> R<Arc<Eval>> {
    from_tag(ctx.tag())
}

/// The state carried by an evaluation's tag.
pub fn from_tag(tag: Option<&Dynamic>) -> R<Arc<Eval>> {
    tag.and_then(|t| t.read_lock::<EvalRef>().map(|r| r.0.clone()))
        .ok_or_else(|| "this function needs the workspace's data: call it from a yearbook evaluation".into())
}

/// Evaluates `ast` (its statements, with its functions and the library's) in `scope`,
/// with `ev` as the evaluation's state: entered on this thread for the kernels, and
/// carried as the tag for native functions.
pub fn run(engine: &Engine, ev: &Arc<Eval>, scope: &mut Scope, ast: &AST) -> R<Dynamic> {
    run_with(engine, ev, scope, ast, true)
}

/// [`run`] leaving a conversion open in a series result (see
/// `yearbook_core::series::Series::pending`): an indicator settles it against the unit it
/// declares (`rev / gdp / 100` declared in % holds 万元 / 亿元's 0.0001 and the percent's
/// 100).
pub fn run_open(engine: &Engine, ev: &Arc<Eval>, scope: &mut Scope, ast: &AST) -> R<Dynamic> {
    run_with(engine, ev, scope, ast, false)
}

fn run_with(engine: &Engine, ev: &Arc<Eval>, scope: &mut Scope, ast: &AST, settle: bool) -> R<Dynamic> {
    let _entered = ev.tally.enter();
    // One module of functions (the library's, then the script's: the script's win), as
    // `AST::merge` makes it; function pointers look there first.
    let full = ev.indicators.library.merge(ast);
    let mut global = engine.new_global_runtime_state();
    global.tag = Dynamic::from(EvalRef(ev.clone()));
    global.source = full.source().map(Into::into);
    global.lib.push(full.shared_lib().clone());
    global.embedded_module_resolver = full.resolver().cloned();
    let mut caches = rhai::Caches::new();
    #[allow(deprecated)]
    let v = engine.eval_statements_raw(&mut global, &mut caches, scope, full.statements())?;
    if settle { settled(v) } else { Ok(v) }
}

/// A result with no conversion left open: a series whose numbers written after a product
/// or quotient may still hold its conversion is settled as a result (see
/// `yearbook_core::kernel::arith::settle`), refused where that is unclear.
pub fn settled(v: Dynamic) -> R<Dynamic> {
    use yearbook_core::kernel::arith::{note_written_scale, settle};
    if !v.is::<yearbook_core::series::Series>() {
        return Ok(v);
    }
    let s = settle(v.cast::<yearbook_core::series::Series>(), None).map_err(crate::raise)?;
    note_written_scale(&s);
    Ok(Dynamic::from(s))
}
