//! The built-in checks for rules, one call each: balance, not_above, tree_balance,
//! growth_consistency, implied_prior_balance, in_range, complete, target_completion, note.

use crate::Raised;
use rhai::{Array, Dynamic, Engine, EvalAltResult, NativeCallContext};
use yearbook_core::check::{self, Check};
use yearbook_core::error::Fault;
use yearbook_core::series::Series;

type R<T = Check> = Result<T, Box<EvalAltResult>>;

/// A kernel's result for the engine: its fault (a plain message is a runtime fault) raised
/// with its kind.
fn ok<T, E: Into<yearbook_core::error::Fault>>(r: Result<T, E>) -> R<T> {
    r.map_err(|e| crate::raise(e.into()))
}

/// A series a check lists as its value, with a conversion still open in it settled as a
/// result (`in_range(rev / gdp / 100, 0, 100)` lists 9.17, not 0.000917).
fn settled(s: Series) -> R<Series> {
    ok(yearbook_core::kernel::arith::settle(s, None))
}

fn series_list(a: Array, what: &str) -> R<Vec<Series>> {
    if a.is_empty() {
        return Err(Fault::type_(format!("{what} must list at least one series")).raised());
    }
    a.into_iter()
        .enumerate()
        .map(|(i, d)| {
            let ty = d.type_name().to_string();
            d.try_cast::<Series>().ok_or_else(|| Fault::type_(format!("{what}[{i}] must be a series, not {ty}")).raised())
        })
        .collect()
}

/// A number or a series; a number in the unit of `like`, converted from the unit it
/// carries (a record table's sum of 完成投资（亿元）, `at()`: rule23 02 read 0.95亿元 as
/// 0.95万元), refused where that is of another dimension.
fn series_or_number(d: Dynamic, like: &Series, what: &str) -> R<Series> {
    if let Some(s) = d.clone().try_cast::<Series>() {
        return Ok(s);
    }
    let x =
        crate::number_of(&d).map_err(|t| Fault::type_(format!("{what} must be a series or a number, not {t}"))).map_err(crate::raise)?;
    // In `like`'s unit, so a tolerance given in it stays in it (balance(ledger, [fai],
    // 100): 100万元 beside fai in 万元, not 100亿元 of the ledger's column).
    let x = match crate::unit_tag::unit_of(&d) {
        Some(u) if u != like.unit => u.convert(x, &like.unit).ok_or_else(|| {
            Fault::unit(format!(
                "{what} is {x}{} and {} is in {}: they are of different dimensions",
                u.show(),
                if what.starts_with("part") { "the total" } else { "the other side" },
                like.unit.show()
            ))
            .raised()
        })?,
        _ => x,
    };
    Ok(like.shaped(false, false, vec![x], like.unit.clone(), Series::no_rollup("")))
}

/// A bound of `in_range` in the unit of `s`: a number that carries a unit of its own (a
/// record table's sum, `at()`) is converted into it; one of another dimension is refused.
fn bound(d: &Dynamic, s: &Series, what: &str) -> R<f64> {
    // One figure with its unit (`amount(3, "亿元")`), or a number.
    let (x, unit) = match d.clone().try_cast::<Series>() {
        Some(b) if b.is_scalar() => (b.data.first().copied().unwrap_or(f64::NAN), Some(b.unit.clone())),
        Some(_) => {
            return Err(Fault::type_(format!(
                "in_range's {what} is a number (or one figure, amount(3, \"亿元\")); for a bound per region or period \
                 compare the series: s >= lo & s <= hi"
            ))
            .raised());
        }
        None => crate::unit_tag::number(d, &format!("in_range's {what}")).map_err(crate::raise)?,
    };
    match unit {
        Some(u) if u != s.unit => u.convert(x, &s.unit).ok_or_else(|| {
            Fault::unit(format!(
                "in_range's {what} is {x}{} and the series is in {}: they are of different dimensions; give the bound in {}",
                u.show(),
                s.unit.show(),
                s.unit.show()
            ))
            .raised()
        }),
        _ => Ok(x),
    }
}

/// The parts of a balance: series, or numbers in the unit they carry (else `like`'s).
fn parts_list(a: Array, like: Option<&Series>, what: &str) -> R<Vec<Series>> {
    if a.is_empty() {
        return Err(Fault::type_(format!("{what} must list at least one series")).raised());
    }
    let like = match like.cloned().or_else(|| a.iter().find_map(|d| d.clone().try_cast::<Series>())) {
        Some(l) => l,
        None => return Err(Fault::type_(format!("balance needs a series: the total or one of the {what}")).raised()),
    };
    a.into_iter().enumerate().map(|(i, d)| series_or_number(d, &like, &format!("{what}[{i}]"))).collect()
}

/// Registers the built-in checks (`balance`, `tree_balance`, `within`, ...) and `note`.
pub fn register(e: &mut Engine) {
    e.register_type_with_name::<Check>("Check");
    reg!(
        e,
        "balance",
        ["total: ?", "parts: Array", "tol: f64", "Check"],
        "Rule: total = sum of parts within tol (in the total's unit); the total may be a number: balance(100, [grain_share, cash_crop_share], 0.01).",
        |t: Dynamic, parts: Array, tol: f64| -> R {
            let parts = parts_list(parts, t.clone().try_cast::<Series>().as_ref(), "parts")?;
            let total = series_or_number(t, &parts[0], "total")?;
            ok(check::balance(total, &parts, tol))
        }
    );
    reg!(e, "balance", ["total: ?", "parts: Array", "Check"], "Rule: total = sum of parts, up to rounding noise.", |t: Dynamic,
                                                                                                                    parts: Array|
     -> R {
        let parts = parts_list(parts, t.clone().try_cast::<Series>().as_ref(), "parts")?;
        let total = series_or_number(t, &parts[0], "total")?;
        ok(check::balance(total, &parts, 1e-9))
    });
    reg!(
        e,
        "not_above",
        ["part: Series", "total: Series", "Check"],
        "Rule: a part is not above its total (imbalance = the excess).",
        |p: Series, t: Series| ok(check::not_above(p, t))
    );
    reg!(
        e,
        "not_above",
        ["part: ?", "total: Series", "Check"],
        "Rule: a number (a record table's sum, in the unit its file gives: 台账合计) is not above a series.",
        |p: Dynamic, t: Series| -> R {
            let p = series_or_number(p, &t, "part")?;
            ok(check::not_above(p, t))
        }
    );
    reg!(
        e,
        "not_above",
        ["part: Series", "total: ?", "Check"],
        "Rule: a series is not above a number (in the unit it carries, else the series').",
        |p: Series, t: Dynamic| -> R {
            let t = series_or_number(t, &p, "total")?;
            ok(check::not_above(p, t))
        }
    );
    reg!(
        e,
        "tree_balance",
        ["s: Series", "tol: f64", "Check"],
        "Rule: each region's value equals the sum of its children's within tol (the region tree adds up).",
        |s: Series, tol: f64| ok(check::tree_balance(s, tol))
    );
    reg!(
        e,
        "growth_consistency",
        ["s: Series", "reported_pct: Series", "tol_points: f64", "Check"],
        "Rule: reported year-on-year growth (%) agrees with growth computed from the values within tol percentage points.",
        |s: Series, r: Series, tol: f64| ok(check::growth_consistency(s, r, tol))
    );
    reg!(
        e,
        "implied_prior_balance",
        ["total: Series", "total_growth: Series", "parts: Array", "part_growths: Array", "rel_tol: f64", "Check"],
        "Rule: the parts' implied prior-year values (value / (1 + growth%)) add up to the total's within a relative tolerance.",
        |t: Series, tg: Series, parts: Array, pg: Array, tol: f64| -> R {
            let parts = series_list(parts, "parts")?;
            let pg = series_list(pg, "part_growths")?;
            ok(check::implied_prior_balance(t, tg, &parts, &pg, tol))
        }
    );
    reg!(
        e,
        "in_range",
        ["s: Series", "lo: ?", "hi: ?", "Check"],
        "Rule: lo <= s <= hi (bounds in the series' unit; a number that carries its own, a record table's sum of 投资（亿元） or at(), is converted into it).",
        |s: Series, lo: Dynamic, hi: Dynamic| -> R {
            let s = settled(s)?;
            let (lo, hi) = (bound(&lo, &s, "lower bound")?, bound(&hi, &s, "upper bound")?);
            ok(check::in_range(s, lo, hi))
        }
    );
    reg!(
        e,
        "complete",
        ["s: Series", "Check"],
        "Rule: a value is present (missing fails; use the rule's levels/periods to say where values are due).",
        |s: Series| -> R { Ok(check::complete(settled(s)?)) }
    );
    reg!(
        e,
        "target_completion",
        ["actual: Series", "target: Series", "min_ratio: f64", "Check"],
        "Rule: actual / target >= min_ratio (1.0 = target met). A target of zero or below (a loss limit) has no completion percentage: with min_ratio 1 it is met when actual >= target; with another min_ratio not evaluable, with a note.",
        |ctx: NativeCallContext, a: Series, t: Series, m: f64| -> R<Check> {
            crate::series_api::refuse_single_periods(&ctx, &a, &t, "target_completion")?;
            ok(check::target_completion(a, t, m))
        }
    );
    reg!(
        e,
        "note",
        ["s: Series", "Check"],
        "Rule (info): report the value of every cell where s has one; missing is not evaluable.",
        |s: Series| -> R { Ok(check::note(settled(s)?)) }
    );
    reg!(
        e,
        "with_value",
        ["c: Check", "name: &str", "s: Series", "Check"],
        "Adds a named value to a check, for its message: note(x).with_value(\"total\", y).",
        |c: Check, name: &str, s: Series| -> R {
            let mut c = c;
            c.values.push((name.to_string(), s));
            Ok(c)
        }
    );
    reg!(
        e,
        "implied_prior",
        ["value: Series", "growth_pct: Series", "Series"],
        "value / (1 + growth% / 100): the prior-year value a reported growth implies; missing, with a note, where that is zero or below (a growth is over a positive base: 3 after -150% implies no prior year).",
        |v: Series, g: Series| ok(check::implied_prior(v, g))
    );
}
