//! Earlier figures for scripts: `previous(gdp)` (as the workspace's previous run loaded
//! it) and `vintage(gdp, "初步核算")` (as the latest run of that vintage loaded it), so a
//! rule can compare a revised figure with the one first reported.

use crate::eval;
use crate::{Raised, earlier::Snapshot};
use rhai::{Engine, EvalAltResult, NativeCallContext};
use std::sync::Arc;
use yearbook_core::error::Fault;
use yearbook_core::series::Series;

type R<T = Series> = Result<T, Box<EvalAltResult>>;

/// `s` with the values `snap` holds for its indicator (missing where it has none, all
/// missing without a snapshot; a note says why).
fn from_snapshot(ctx: &NativeCallContext, f: &str, s: &Series, snap: Option<&Snapshot>, none: String) -> R {
    let ev = eval::of(ctx)?;
    let panel = &ev.data.panel;
    let Some(i) = s.indicator.filter(|_| s.by_region && s.by_period) else {
        return Err(Fault::type_(format!(
            "{f}() takes a loaded indicator (a fact code such as gdp), not a computed series: apply it to the inputs, e.g. {f}(a) / {f}(b)"
        ))
        .raised());
    };
    let base = ev.data.indicator_series(i);
    let code = &panel.indicators[i].code;
    let n = base.data.len();
    let data = match snap {
        Some(sn) => match sn.values.get(code) {
            Some(v) if v.len() == n => v.as_ref().clone(),
            _ => {
                yearbook_core::tally::note(format!("{f}({code}): run {} loaded no `{code}`: missing everywhere", sn.run));
                vec![f64::NAN; n]
            }
        },
        None => {
            yearbook_core::tally::note(none);
            vec![f64::NAN; n]
        }
    };
    let mut out = base.with(data, base.unit.clone(), base.agg.clone());
    out.indicator = None;
    Ok(out)
}

/// Registers `previous` and `vintage`.
pub fn register(e: &mut Engine) {
    reg!(
        e,
        "previous",
        ["s: Series", "Series"],
        "A loaded indicator as the workspace's previous run loaded it (from the run history, [history] in the config): previous(gdp). Missing where that run had no value, everywhere on the first run. A revision: gdp - previous(gdp).",
        |ctx: NativeCallContext, s: Series| -> R {
            let ev = eval::of(&ctx)?;
            let earlier = ev.data.earlier();
            let why = if earlier.available {
                "previous(): no earlier run of this workspace in the history (the first run): missing everywhere".to_string()
            } else {
                "previous(): no run history open (yearbook run records one): missing everywhere".to_string()
            };
            from_snapshot(&ctx, "previous", &s, earlier.previous.as_ref(), why)
        }
    );
    reg!(
        e,
        "vintage",
        ["s: Series", "label: &str", "Series"],
        "A loaded indicator as the latest run of a vintage loaded it (`yearbook run --vintage 初步核算`): vintage(gdp, \"初步核算\"). Missing where that run had no value, everywhere when no run of that vintage is recorded (a note names those that are).",
        |ctx: NativeCallContext, s: Series, label: &str| -> R {
            let ev = eval::of(&ctx)?;
            let earlier: Arc<crate::earlier::Earlier> = ev.data.earlier();
            let known: Vec<&str> = earlier.vintages.keys().map(String::as_str).filter(|k| !k.is_empty()).collect();
            let why = format!(
                "vintage(\"{label}\"): no run of that vintage in the history{}: missing everywhere",
                if known.is_empty() { String::new() } else { format!(" (recorded: {})", known.join(", ")) }
            );
            from_snapshot(&ctx, "vintage", &s, earlier.vintages.get(label), why)
        }
    );
}
