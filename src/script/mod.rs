//! The Rhai layer: a sandboxed engine with the domain types (Series, Table) and the
//! series API registered as native functions. Scripts orchestrate; kernels compute.

/// Registers a documented function: `reg!(engine, name, [params..., return], doc, closure)`.
/// The doc lands in the engine's metadata: `:help`, completion and docs/functions.md.
/// Number parameters also take the other kind of number ([`numbers::widen`]).
macro_rules! reg {
    ($e:expr, $name:expr, [$($p:expr),*], $doc:expr, $f:expr) => {{
        let sig = $crate::script::numbers::Signature::of(
            rhai::FuncRegistration::new($name).with_params_info([$($p),*]).with_comments([concat!("/// ", $doc)]).register_into_engine($e, $f),
        );
        $crate::script::numbers::widen($e, sig);
    }};
}

pub mod check_api;
pub mod diagnostic;
pub mod docs;
pub mod guard;
pub(crate) mod numbers;
pub mod ops_api;
pub mod sandbox;
pub mod series_api;
pub mod table_api;

use crate::error::{ErrorKind, Fault};
use crate::indicator::Rollup;
use crate::panel::Panel;
use crate::series::{Agg, Series};
use crate::table::Table;
use rhai::Dynamic;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What scripts can see: the panel, the tables, and indicators computed so far.
pub struct Context {
    pub panel: Arc<Panel>,
    pub tables: BTreeMap<String, Table>,
    /// Indicators defined in the config: their definitions and, once computed, values.
    pub derived: crate::derived::Derived,
    /// Namespaces of facts (`reported_yoy.gdp`).
    pub namespaces: Vec<String>,
    /// While a rule runs: how missing inputs are treated, and which cells had any input.
    pub inputs: crate::rule::InputTracker,
}

impl Context {
    pub fn new(panel: Arc<Panel>, tables: BTreeMap<String, Table>) -> Context {
        let mut namespaces: Vec<String> = panel.codes().filter_map(|c| c.split_once('.').map(|(ns, _)| ns.to_string())).collect();
        namespaces.sort();
        namespaces.dedup();
        Context { panel, tables, derived: Default::default(), namespaces, inputs: Default::default() }
    }

    /// The series of a loaded indicator (by index).
    pub fn indicator_series(&self, i: usize) -> Series {
        let p = &self.panel;
        let ind = &p.indicators[i];
        let agg = match &ind.rollup {
            Rollup::Sum => Agg::Sum,
            Rollup::Mean => Agg::Mean,
            Rollup::WeightedMean(w) => match p.indicator(w) {
                Some(wi) => Agg::Weighted(Arc::new(self.indicator_series(wi))),
                None => Series::no_rollup(format!("weight `{w}` of `{}` is not loaded", ind.code)),
            },
            Rollup::None => Series::no_rollup(format!(
                "`{}` ({}) has rollup = none: it cannot be rolled up; recompute it from its components, e.g. rollup(a, level) / rollup(b, level)",
                ind.code,
                ind.kind.name()
            )),
        };
        Series {
            data: p.data[i].clone(),
            axes: p.axes.clone(),
            by_region: true,
            by_period: true,
            unit: ind.unit.clone(),
            mask: false,
            agg,
            indicator: Some(i),
        }
    }

    /// Resolves a name used in a script: indicator code, derived indicator, namespace
    /// of facts, or indicator label. Derived indicators are computed on first use (so
    /// they evaluate in dependency order) with `engine`.
    pub fn resolve(&self, name: &str, engine: &rhai::Engine) -> Result<Option<Dynamic>, Box<rhai::EvalAltResult>> {
        if let Some(i) = self.panel.indicator(name) {
            return Ok(Some(Dynamic::from(self.inputs.seen(self.indicator_series(i)))));
        }
        if self.derived.has(name) {
            let s = self.derived.get(name, engine)?;
            return Ok(Some(Dynamic::from(self.inputs.seen(s))));
        }
        if self.namespaces.iter().any(|n| n == name) {
            return Ok(Some(Dynamic::from(Namespace { name: Arc::from(name) })));
        }
        let mut same_label = self.panel.indicators.iter().enumerate().filter(|(_, i)| i.label == name);
        let Some((first, _)) = same_label.next() else { return Ok(None) };
        let others: Vec<&str> = same_label.map(|(_, i)| i.code.as_str()).collect();
        if !others.is_empty() {
            let codes = std::iter::once(self.panel.indicators[first].code.as_str()).chain(others).collect::<Vec<_>>();
            return Err(Fault::unknown(format!(
                "the label `{name}` belongs to {} indicators: {}; use the code",
                codes.len(),
                codes.join(", ")
            ))
            .into());
        }
        Ok(Some(Dynamic::from(self.inputs.seen(self.indicator_series(first)))))
    }

    /// Every name a script can use as a variable (for suggestions and completion).
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.panel.codes().filter(|c| !c.contains('.')).map(String::from).collect();
        v.extend(self.namespaces.iter().cloned());
        v.extend(self.derived.names());
        v
    }
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

impl From<Fault> for Box<rhai::EvalAltResult> {
    fn from(fault: Fault) -> Self {
        raise(fault)
    }
}

/// A group of facts loaded under a namespace: `reported_yoy.gdp`.
#[derive(Clone, Debug)]
pub struct Namespace {
    pub name: Arc<str>,
}
