//! yearbook-script: the Rhai layer. A sandboxed engine with the domain types (Series,
//! Table) and the series API registered as native functions, the compiled program
//! (indicators, rules) that threads share, evaluations that carry their own state, and
//! errors for people. Scripts orchestrate; kernels compute.

#![warn(missing_docs)]

/// Registers a documented function: `reg!(engine, name, [params..., return], doc, closure)`.
/// The doc lands in the engine's metadata: `:help`, completion and docs/functions.md.
/// Number parameters also take the other kind of number ([`numbers::widen`]).
macro_rules! reg {
    ($e:expr, $name:expr, [$($p:expr),*], $doc:expr, $f:expr) => {{
        let sig = $crate::numbers::Signature::of(
            rhai::FuncRegistration::new($name).with_params_info([$($p),*]).with_comments([concat!("/// ", $doc)]).register_into_engine($e, $f),
        );
        $crate::numbers::widen($e, sig);
    }};
}

pub(crate) mod cell_fn;
pub mod check_api;
pub mod constant_term;
pub mod data;
pub mod date_literal;
pub mod definitions;
pub mod derived;
pub mod diagnostic;
pub mod docs;
pub mod earlier;
pub mod eval;
pub mod grouped;
pub mod guard;
pub mod history_api;
pub mod indicators;
pub(crate) mod ledger_date_text;
pub(crate) mod mismatch;
pub mod month_api;
pub mod negated_power;
pub(crate) mod numbers;
pub mod ops_api;
pub mod output;
pub mod placeholder;
pub mod program;
pub mod report_rule;
pub mod row;
pub mod rule;
pub mod sandbox;
pub mod series_api;
pub mod stdlib;
pub mod switch_guard;
pub mod table_api;
pub mod unit_tag;

pub use data::{Data, Namespace};
pub use eval::Eval;
pub use numbers::number_of;

use rhai::{Dynamic, Engine};
use std::path::Path;
use yearbook_core::error::{ErrorKind, Fault};

/// The engine every evaluation of a workspace shares: sandbox, operators, series and
/// table functions, and names resolved on first use. It holds no data: what an
/// evaluation reads travels with the call (`eval::run`), so one engine serves every
/// thread.
pub fn build_engine(limits: &yearbook_io::config::Limits, scripts_dir: Option<&Path>) -> Engine {
    let mut e = sandbox::engine(limits, scripts_dir);
    mismatch::register(&mut e);
    ops_api::register(&mut e);
    series_api::register(&mut e);
    month_api::register(&mut e);
    history_api::register(&mut e);
    table_api::register(&mut e);
    check_api::register(&mut e);
    switch_guard::register(&mut e);
    // Rhai marks the token mapper volatile (deprecated in name only); switch_guard needs it.
    #[allow(deprecated)]
    e.on_parse_token(|token, pos, _| switch_guard::map_token(token, pos));
    #[allow(deprecated)]
    e.on_var(|name, index, context| {
        if index > 0 || context.scope().contains(name) {
            return Ok(None);
        }
        // Outside a yearbook evaluation (no state) no workspace name exists.
        let Ok(ev) = eval::from_tag(Some(context.tag())) else { return Ok(None) };
        indicators::resolve(&ev, name, context.engine())
    });
    e
}

/// An engine with every function registered: for the generated reference and editor
/// completion.
pub fn reference_engine() -> Engine {
    build_engine(&Default::default(), None)
}

/// Tags of values that native functions raise: this base plus the kind's place in
/// [`ErrorKind::ALL`]. The raised value stays a string (scripts that `catch` it see the
/// same text as before); the tag carries the kind to `diagnostic`.
const KIND_TAG_BASE: i32 = 0x5942_0000;

/// The error a native function returns for `fault`: a runtime error whose value is the
/// message, tagged with the kind (read back by [`raised_kind`]).
pub fn raise(fault: Fault) -> Box<rhai::EvalAltResult> {
    let index = ErrorKind::ALL.iter().position(|k| *k == fault.kind).unwrap_or(0) as i32;
    let mut value = Dynamic::from(fault.message);
    value.set_tag(KIND_TAG_BASE + index);
    rhai::EvalAltResult::ErrorRuntime(value, rhai::Position::NONE).into()
}

/// The kind a native function raised `value` with (None for values scripts threw).
pub fn raised_kind(value: &Dynamic) -> Option<ErrorKind> {
    let i = value.tag().checked_sub(KIND_TAG_BASE)?;
    ErrorKind::ALL.get(usize::try_from(i).ok()?).copied()
}

/// A fault as the engine's error, with its kind ([`raise`]).
pub(crate) trait Raised {
    /// The runtime error that carries this fault.
    fn raised(self) -> Box<rhai::EvalAltResult>;
}

impl Raised for Fault {
    fn raised(self) -> Box<rhai::EvalAltResult> {
        raise(self)
    }
}
