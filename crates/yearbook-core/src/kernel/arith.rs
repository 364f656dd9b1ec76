//! Elementwise arithmetic and comparisons between series (broadcasting a single row or
//! column) and with numbers, unit-aware.
//!
//! Units: `+ -` and comparisons need the same dimension and rescale the right side
//! (万元 + 亿元); a bare number there is in the series' unit (`growth > 10` means 10%).
//! `* /` combine units; a bare number there is a pure factor, and a percent series
//! counts as its printed number (18.14% / 100 = 0.1814); like units divide to a pure
//! number.

use super::{KResult, count_div_zero};
use crate::error::Fault;
use crate::series::{Agg, Series};
use crate::unit::Unit;
use rayon::prelude::*;
use std::sync::Arc;

/// A binary operator between series and numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (division by zero gives missing, counted)
    Div,
    /// `**`
    Pow,
    /// `<` (within a relative 1e-9 counts as equal)
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==` (equal within a relative 1e-9)
    Eq,
    /// `!=`
    Ne,
    /// `&`: Kleene and (false wins over missing)
    And,
    /// `|`: Kleene or (true wins over missing)
    Or,
}

impl Op {
    /// The operator as scripts write it.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Pow => "**",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::And => "&",
            Op::Or => "|",
        }
    }
    fn is_comparison(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne)
    }
}

const MISSING: f64 = f64::NAN;

#[inline(always)]
fn truth(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Equal within a relative tolerance of 1e-9: values that print the same are equal
/// (0.1 + 0.2 == 0.3, two growths of exactly 5%). Used by every comparison, rank and tie.
/// An infinity equals only the same infinity, as IEEE has it: the tolerance of an
/// infinite side is infinite, and `1e308 * 10 == 5` was true.
#[inline(always)]
pub fn approx_eq(x: f64, y: f64) -> bool {
    if x == y {
        return true;
    }
    x.is_finite() && y.is_finite() && (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-300)
}

/// `x op y` of two decimals for a comparison operator as scripts and templates spell it
/// (`==`, `!=`, `<`, `<=`, `>`; any other is `>=`), those that print the same being equal
/// ([`approx_eq`]); callers decide first what a missing side means.
pub fn compare_approx(op: &str, x: f64, y: f64) -> bool {
    let eq = approx_eq(x, y);
    match op {
        "==" => eq,
        "!=" => !eq,
        "<" => x < y && !eq,
        "<=" => x <= y || eq,
        ">" => x > y && !eq,
        _ => x >= y || eq,
    }
}

#[inline(always)]
fn cmp(x: f64, y: f64, f: impl Fn(f64, f64) -> bool) -> f64 {
    if x.is_nan() || y.is_nan() { MISSING } else { truth(f(x, y)) }
}

/// The value ranks and top-n compare: rounded to 12 significant digits, so float noise
/// (0.05 vs 0.05000000000000002) never orders two values that print the same, while the
/// order stays total (sorting needs that; a tolerance comparison would not be).
#[inline]
pub fn tie_key(x: f64) -> f64 {
    significant(x, 12)
}

/// `x` rounded to `digits` significant digits (NaN, inf and 0 as they are).
/// `significant(-1.0000000000000036, 15)` is -1: what findings report, binary noise
/// removed, every digit a double holds kept.
#[inline]
pub fn significant(x: f64, digits: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let f = 10f64.powi(digits - 1 - mag);
    if f.is_finite() && f > 0.0 && (x * f).is_finite() { (x * f).round() / f } else { x }
}

/// The difference `r` of `x` and `y` read to 15 significant digits of the larger of
/// them, then to 15 of its own: a double holds `x` and `y` to about 16 digits, so the
/// digits of `r` below that are binary noise, however many significant digits `r` itself
/// has. `difference_read(2.675 - 2.66, 2.675, 2.66)` is 0.015, never 0.0149999999999997.
#[inline]
pub fn difference_read(r: f64, x: f64, y: f64) -> f64 {
    let m = x.abs().max(y.abs());
    if !r.is_finite() || r == 0.0 || !m.is_finite() || m == 0.0 {
        return r;
    }
    let mag = m.log10().floor() as i32;
    let f = 10f64.powi(14 - mag);
    let r = if f.is_finite() && f > 0.0 && (r * f).is_finite() { (r * f).round() / f } else { r };
    significant(r, 15)
}

/// Three-valued (Kleene) and, as in SQL, R validate and VTL: false & missing = false.
#[inline(always)]
fn and3(x: f64, y: f64) -> f64 {
    if x == 0.0 || y == 0.0 {
        0.0
    } else if x.is_nan() || y.is_nan() {
        MISSING
    } else {
        1.0
    }
}

/// Three-valued (Kleene) or: true | missing = true.
#[inline(always)]
fn or3(x: f64, y: f64) -> f64 {
    if (x != 0.0 && !x.is_nan()) || (y != 0.0 && !y.is_nan()) {
        1.0
    } else if x.is_nan() || y.is_nan() {
        MISSING
    } else {
        0.0
    }
}

/// A result beyond what a double holds (±1.8e308) is missing, never an infinity that
/// prints as missing but compares as a number.
#[inline(always)]
pub(crate) fn finite(r: f64) -> f64 {
    if r.is_finite() { r } else { MISSING }
}

/// `x + y`, exactly 0 where the two cancel to within binary noise (1e-13 of the larger,
/// some 450 units in the last place: the rounding of a sum of hundreds of figures):
/// figures that balance give 0, not the noise of their sums (1234567.89 + 2345678.91 +
/// 345678.9 - 3925925.7 is -4.66e-10 in binary), which a report would print as a figure.
/// Missing where either is, or the sum overflows.
#[inline(always)]
pub fn add_exact(x: f64, y: f64) -> f64 {
    let r = x + y;
    if r.is_finite() && r.abs() <= 1e-13 * x.abs().max(y.abs()) { 0.0 } else { finite(r) }
}

/// `x - y` as a report prints a change in 百分点: the difference of two figures with the
/// binary noise of the subtraction taken off, rounded at 12 significant digits of the
/// larger of the two (101.8 - 102.5 is -0.7, not -0.7000000000000028, which prints as
/// -0.700000000000003 at 15 digits: the noise of 102.5 grows 150-fold relative to a
/// difference of 0.7). Missing where either is.
pub fn difference(x: f64, y: f64) -> f64 {
    let r = add_exact(x, -y);
    let larger = x.abs().max(y.abs());
    if !r.is_finite() || r == 0.0 || larger == 0.0 {
        return r;
    }
    let digits_before_point = larger.log10().floor() as i32 + 1;
    crate::format::round_decimal(r, 12 - digits_before_point)
}

/// Applies `op` to x and y (already in compatible units).
#[inline(always)]
pub(crate) fn apply(op: Op, x: f64, y: f64) -> f64 {
    match op {
        Op::Add => add_exact(x, y),
        Op::Sub => add_exact(x, -y),
        Op::Mul => finite(x * y),
        Op::Div => {
            if y == 0.0 {
                MISSING
            } else {
                finite(x / y)
            }
        }
        Op::Pow => {
            if x.is_nan() || y.is_nan() {
                MISSING
            } else {
                finite(x.powf(y))
            }
        }
        Op::Lt => cmp(x, y, |a, b| a < b && !approx_eq(a, b)),
        Op::Le => cmp(x, y, |a, b| a <= b || approx_eq(a, b)),
        Op::Gt => cmp(x, y, |a, b| a > b && !approx_eq(a, b)),
        Op::Ge => cmp(x, y, |a, b| a >= b || approx_eq(a, b)),
        Op::Eq => cmp(x, y, approx_eq),
        Op::Ne => cmp(x, y, |a, b| !approx_eq(a, b)),
        Op::And => and3(x, y),
        Op::Or => or3(x, y),
    }
}

/// Result unit and the factors to apply to each side.
pub(crate) fn units(op: Op, a: &Unit, b: &Unit) -> KResult<(Unit, f64, f64)> {
    match op {
        Op::Add | Op::Sub => a.add(b).map(|(u, fb)| (u, 1.0, fb)).map_err(Fault::unit),
        Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne => a.add(b).map(|(_, fb)| (Unit::one(), 1.0, fb)).map_err(Fault::unit),
        Op::Mul => Ok(a.mul_div(b, false)),
        Op::Div => Ok(a.mul_div(b, true)),
        Op::Pow | Op::And | Op::Or => {
            if !b.is_dimensionless() {
                return Err(Fault::unit(format!("the right side of `{}` must be a pure number, not {}", op.symbol(), b.show())));
            }
            // A power of a ratio (倍, %) is taken of its value as a fraction; a power of a
            // quantity with a unit (亿元) of the number as shown in that unit, as sqrt(s)
            // takes it: a unit has no power to convert through.
            let fa = if op == Op::Pow && a.is_dimensionless() { a.scale } else { 1.0 };
            Ok((if op == Op::Pow { Unit::one() } else { a.clone() }, fa, b.scale))
        }
    }
}

pub(crate) fn result_agg(op: Op, a: &Series, b: &Series) -> Agg {
    match (op, &a.agg, &b.agg) {
        (Op::Add | Op::Sub, Agg::Sum, Agg::Sum) => Agg::Sum,
        (Op::Div, Agg::Sum, Agg::Sum) => Agg::Ratio(Arc::new((a.clone(), b.clone()))),
        (Op::Mul, _, _) => Series::no_rollup(
            "a product such as price * quantity does not roll up (rolling up each factor first gives another number): \
             define it as an indicator with rollup = \"sum\" to add up the regions' values",
        ),
        _ => Series::no_rollup(format!(
            "the result of `{}` does not roll up: define it as an indicator with a rollup rule (sum, mean, weighted_mean(x))",
            op.symbol()
        )),
    }
}

/// The two sides of a sum, difference, comparison or `where` made comparable as a
/// spreadsheet writes them: a conversion left open in either settled ([`settle`]), a
/// ratio times 100 beside a percent read as that percent ([`printed_percent`]), a side
/// whose written numbers are the conversion to the other's scale read in it
/// ([`hand_conversion`]); numbers that may hold either conversion and more are refused.
pub(crate) fn align(a: &mut Series, b: &mut Series, symbol: &str) -> KResult<()> {
    settle_beside(a, &b.unit)?;
    settle_beside(b, &a.unit)?;
    align_printed(a, b, symbol)?;
    hand_conversion(a, b, symbol)
}

/// [`settle`] of a side used beside (or with) a value in `other`.
fn settle_beside(s: &mut Series, other: &Unit) -> KResult<()> {
    if s.pending.is_some() {
        *s = settle(s.clone(), Some(other))?;
    }
    Ok(())
}

/// A percent's conversion left open in `a` (or, in a product, `b`) that goes on through
/// `a op b` with another series: taken out of its side, with the numbers written into the
/// other side (`gdp * rate * (pop * 10000) / 100`) counted beside it, unless that side is
/// a percent (its numbers stay in it). None where neither side holds one, where both do
/// (each is settled), or where it was given to a function (settled, as before).
fn carry_percent(a: &mut Series, b: &mut Series, op: Op) -> Option<crate::series::Pending> {
    let open = |s: &Series| s.pending.as_ref().is_some_and(|p| p.kind == crate::series::PendingKind::Percent && !p.consumed);
    let (from_a, other) = match op {
        Op::Mul | Op::Div if open(a) && b.pending.is_none() => (true, &*b),
        Op::Mul if open(b) && a.pending.is_none() => (false, &*a),
        _ => return None,
    };
    let other_percent = percent_like(&other.unit).is_some();
    let (k, kp) = if other_percent {
        (1.0, 1.0)
    } else if op == Op::Div {
        (1.0 / other.scaled_by, 1.0 / other.scaled_pow)
    } else {
        (other.scaled_by, other.scaled_pow)
    };
    let p = if from_a { a.pending.take() } else { b.pending.take() }?;
    // Two percents times a figure (`urb * urb * gdp`) are no longer alone: only both
    // conversions together are theirs.
    let what = if p.what.as_ref() == TWO_PERCENTS && !other_percent { Arc::from("a product with two percents") } else { p.what.clone() };
    Some(crate::series::Pending { written: p.written * k, written_pow: p.written_pow * kp, what, ..p })
}

/// Whether a percent conversion `c` is one percent's (or ‰'s: 0.01, 0.001, or 100, 1000
/// for a division by one), not two together (0.0001 of `rate * growth`).
fn one_percent(c: f64) -> bool {
    [0.01, 0.001, 100.0, 1000.0].iter().any(|&k| same_factor(c, k))
}

/// Series op series.
pub fn binary(mut a: Series, mut b: Series, op: Op) -> KResult<Series> {
    // Spreadsheet habit: a ratio times 100 is its percent as printed: `(x / lag(x, 1) - 1)
    // * 100 - reported_growth` subtracts 10 from 10.05, not 0.1005 from 10.
    // A percent's conversion left open in a product goes on through a further product
    // or quotient with another series: `gdp * rate * pop / 100` and `gdp * rate / pop /
    // 100` read the / 100 as it (0.225, not 0.00225), as `gdp * rate / 100 * pop` does.
    let carried = if matches!(op, Op::Add | Op::Sub) || op.is_comparison() { None } else { carry_percent(&mut a, &mut b, op) };
    if matches!(op, Op::Add | Op::Sub) || op.is_comparison() {
        align(&mut a, &mut b, op.symbol())?;
    } else {
        settle_beside(&mut a, &b.unit)?;
        settle_beside(&mut b, &a.unit)?;
    }
    // A percent in a product (or a division by one) is taken as a fraction: 100 万元 ×
    // 10% = 10 万元. The spreadsheet writes that conversion by hand, as `/ 100` (or `*
    // 100` after a division by one): numbers written on the other side that reach it
    // (`gdp / 100 * growth`, `gdp / 100 / 100 * rate`, `x * 100 / completion`) are read as
    // it (and, past it, a further factor), never as a second one; numbers that do not
    // reach it yet are remembered (`Series::pending`) for the numbers written after the
    // product (`gdp * growth / 100`, `gdp / 2 * growth / 100`).
    let mut undo = 1.0;
    let mut pending = None;
    let percent = match (op, percent_like(&a.unit), percent_like(&b.unit)) {
        // Two percents (or indexes) in a product are two conversions, as a square is:
        // `urb * urb / 10000` is `urb ** 2 / 10000` (0.2809), `idx * lag(idx, 1) / 10000`
        // the two years' factor (1.21), never a further / 100.
        (Op::Mul, Some(sa), Some(sb)) if a.pending.is_none() && b.pending.is_none() => {
            Some((sa * sb, a.scaled_by * b.scaled_by, a.scaled_pow * b.scaled_pow, false))
        }
        (Op::Mul, Some(sc), _) => Some((sc, b.scaled_by, b.scaled_pow, false)),
        (Op::Mul, None, Some(sc)) => Some((sc, a.scaled_by, a.scaled_pow, true)),
        (Op::Div, None, Some(sc)) => Some((1.0 / sc, a.scaled_by, a.scaled_pow, true)),
        _ => None,
    };
    // Another percent's conversion still open beside this one (`gdp * rate * growth /
    // 10000`): the two together, and the numbers written beside the first.
    let (percent, carried) = match (percent, carried) {
        (Some((conv, _, _, on_a)), Some(c)) => {
            let both = conv * c.conversion;
            if same_factor(both, 1.0) {
                // A percent over a percent (`gdp * rate / growth`): the units' two
                // conversions undo each other; nothing is left to write by hand.
                (None, None)
            } else {
                (Some((both, c.written, c.written_pow, on_a)), None)
            }
        }
        other => other,
    };
    let alone = matches!((op, percent_like(&a.unit), percent_like(&b.unit)), (Op::Mul, Some(_), Some(_))) && carried.is_none();
    if let Some((conv, w, wp, on_a)) = percent {
        let what = if alone {
            TWO_PERCENTS
        } else if !one_percent(conv) {
            "a product with two percents"
        } else if op == Op::Mul {
            "a product with a percent"
        } else {
            "a division by a percent"
        };
        let z = zone(w, wp, conv);
        match z {
            Zone::Exact | Zone::Holds | Zone::Beyond => {
                undo = 1.0 / conv;
                let side = if on_a { &mut a } else { &mut b };
                side.scaled_by /= conv;
                side.scaled_pow /= conv;
                let written = if op == Op::Mul { spelled(conv) } else { format!("* {}", shown(conv)) };
                super::note(if z == Zone::Exact {
                    format!(
                        "{written} written before {what} is read as the spreadsheet's percent conversion, not a second one: \
                         the percent is taken as a fraction already (gdp / 100 * growth = gdp * growth / 100 = gdp * (growth / 100))"
                    )
                } else {
                    format!(
                        "the numbers written before {what} ({} in all) hold the spreadsheet's percent conversion ({written}): read \
                         as that conversion and a factor {}, not a second conversion (the percent is taken as a fraction already)",
                        spelled(w),
                        spelled(w / conv)
                    )
                });
            }
            _ => {
                pending = Some(crate::series::Pending {
                    kind: crate::series::PendingKind::Percent,
                    conversion: conv,
                    written: w,
                    written_pow: wp,
                    what: Arc::from(what),
                    consumed: false,
                })
            }
        }
    }
    // 万元 / 亿元 divides to a pure number, converting by 0.0001 itself: numbers written by
    // hand that are that conversion (`rev / (gdp * 10000)`, `rev / 10000 / gdp`) were it,
    // done as in a spreadsheet, not made a second time; numbers that do not reach it yet
    // are remembered for the numbers written after the quotient (`rev / gdp / 100` in %).
    if op == Op::Div
        && !a.unit.is_dimensionless()
        && a.unit.same_dimension(&b.unit)
        && a.unit != b.unit
        && let Some(c) = a.unit.factor_to(&b.unit).filter(|&c| power_of_ten(c))
    {
        if holds(b.scaled_by, b.scaled_pow, 1.0 / c) {
            read_as_converted(&mut b, &a.unit, "/", 1.0 / c);
        } else if holds(a.scaled_by, a.scaled_pow, c) {
            read_as_converted(&mut a, &b.unit, "/", c);
        } else {
            let (w, wp) = (a.scaled_by / b.scaled_by, a.scaled_pow / b.scaled_pow);
            let open = crate::series::Pending {
                kind: crate::series::PendingKind::Quotient,
                conversion: c,
                written: w,
                written_pow: wp,
                what: Arc::from(format!("a division of {} by {}", a.unit.show(), b.unit.show())),
                consumed: false,
            };
            match settles(&open, w, wp) {
                Some(rest) => {
                    super::note(format!(
                        "the numbers written beside {} ({} in all) hold the conversion the units make there ({}): read as that \
                         conversion done by hand (as in a spreadsheet){rest}, not made a second time",
                        open.what,
                        spelled(w),
                        spelled(c),
                    ));
                    undo = 1.0 / c;
                    a.scaled_by /= c;
                    a.scaled_pow /= c;
                }
                None => pending = Some(open),
            }
        }
    }
    if let Some(c) = carried {
        pending = Some(c);
    }
    Series::refuse_shifted(&a, &b, op.symbol())?;
    let (unit, fa, fb) = units(op, &a.unit, &b.unit).map_err(|mut e| {
        if op.is_comparison() {
            e.message = e.message.replace("cannot add or compare", "cannot compare");
        }
        e
    })?;
    let fa = fa * undo;
    // A power of a figure with a unit: a whole power has one (亿元 ** 2 is 亿元·亿元, and
    // sqrt of that is 亿元 again); any other has none, and is refused, never made a pure
    // number (a / sqrt(a * a) would be 1 亿元).
    let unit = if op == Op::Pow && !a.unit.is_dimensionless() {
        let n = if b.is_scalar() { b.data.first().map(|v| v * fb) } else { None };
        // Whole powers, and half ones of a unit that has a square root (`** 0.5` of
        // 亿元·亿元 is sqrt's 亿元).
        let whole = |k: f64| k.fract() == 0.0 && k.abs() <= 16.0;
        let powered = n.and_then(|n| match n {
            n if whole(n) => Some(a.unit.powi(n as i32)),
            n if whole(n * 2.0) => a.unit.sqrt().map(|r| r.powi((n * 2.0) as i32)),
            _ => None,
        });
        match powered {
            Some(u) => u,
            None => {
                let by = n.map_or_else(|| "a series".to_string(), crate::format::number);
                return Err(Fault::unit(format!(
                    "`**` of a figure in {} by {by}: a unit has no such power (a whole one has: ** 2 is in {}); take a power of a \
                     ratio, as (x / lag(x, 5)) ** (1.0 / 5) is, or divide by a figure of the same unit first",
                    a.unit.show(),
                    a.unit.powi(2).show()
                )));
            }
        }
    } else {
        unit
    };
    // An index less 100 (or less another index, or a growth) is a growth or a change in
    // %, not an index: idx - 100 is 8%, not 8 of 上年=100.
    let unit = if matches!(op, Op::Add | Op::Sub) && unit.is_index() { Unit::percent() } else { unit };
    let scaled_by = match op {
        Op::Mul => a.scaled_by * b.scaled_by,
        Op::Div => a.scaled_by / b.scaled_by,
        Op::Add | Op::Sub if a.scaled_by == b.scaled_by => a.scaled_by,
        _ => 1.0,
    };
    let scaled_pow = match op {
        Op::Mul => a.scaled_pow * b.scaled_pow,
        Op::Div => a.scaled_pow / b.scaled_pow,
        Op::Add | Op::Sub if a.scaled_by == b.scaled_by && a.scaled_pow == b.scaled_pow => a.scaled_pow,
        _ => 1.0,
    };
    let agg = result_agg(op, &a, &b);
    let by_region = a.by_region || b.by_region;
    let by_period = a.by_period || b.by_period;
    let (rows, cols) = (if by_region { a.axes.regions.len() } else { 1 }, if by_period { a.axes.periods.len } else { 1 });
    // Regions made of their children in either side, for a result without a roll-up rule
    // (below); read before `a`'s values may be reused for the result.
    let made = if matches!(agg, Agg::None(_)) { super::rollup::made_of_inputs(&[&a, &b], by_region, by_period, rows * cols) } else { None };
    let full = |s: &Series| s.by_region == by_region && s.by_period == by_period;
    // What is a base (see `Series::lagged`) after this operation, and the earlier values
    // a reciprocal divides by; taken before `a`'s values may be reused for the result.
    let lagged = lagged_result(op, &a, &b);
    // A formula of a lag, a growth or a change (`x / lag(x, 1) - 1`, `x * 10000 - lag(x,
    // 1) * 10000`) reads both sides' sources where they do (taken while `a` still holds
    // its values).
    let gap_origin = if op.is_comparison() || matches!(op, Op::And | Op::Or) { None } else { super::gaps::joined_origin(&a, &b) };
    // One figure with a number (`gdp * 10000`, `gdp + 3`) is that figure in another form;
    // a formula of figures (`gdp / pop`) a form of them all.
    let form_of = if op.is_comparison() || matches!(op, Op::And | Op::Or) { None } else { super::itself::joined_form(&[&a, &b]) };
    let lag_numerator = (op == Op::Div && a.lagged && !b.lagged && !b.is_scalar() && full(&a)).then(|| a.data.clone()).or_else(|| {
        // A positive factor keeps a quotient over a current figure one.
        (matches!(op, Op::Mul | Op::Div) && b.is_scalar() && b.data[0] * fb > 0.0 && full(&a)).then(|| a.lag_numerator.clone()).flatten()
    });
    let reciprocal_base: Option<Arc<crate::cells::Cells>> = match op {
        // x / (lag(p, 1) / p) is x * p / lag(p, 1): over the earlier value.
        Op::Div if full(&b) => b.lag_numerator.clone(),
        // lag(p, 1) ** -1, (lag(p, 1) / p) ** -1.
        Op::Pow if b.is_scalar() && b.data[0] < 0.0 && full(&a) => {
            if a.lagged {
                Some(a.data.clone())
            } else {
                a.lag_numerator.clone()
            }
        }
        _ => None,
    };
    let mut listed = listed_of(&a, &b, full(&a), full(&b));
    // A cell one side has and the other lacks (丙镇 with an output and no price row): a
    // gap in the result, as a cell listed empty is, so that a roll-up of it is missing
    // there with a note, never the others' total (70 beside an output of 104).
    if matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow) && by_region && by_period && full(&a) && full(&b) {
        listed = merge_listed(listed, one_sided_cells(&a, &b));
    }
    // A base negated (`lag(x, 1) * -1`, `0 - lag(x, 1)`), or a base's size or negation
    // scaled: its base's values (`Series::sized_base`), taken before `a`'s values may be
    // reused for the result.
    let number = |s: &Series| s.is_scalar() && !s.lagged && !s.mask && s.data.first().is_some_and(|v| v.is_finite());
    let sign = |s: &Series| s.data.first().map_or(0.0, |v| v.signum() * f64::from(*v != 0.0));
    let sized_base: Option<Arc<crate::cells::Cells>> = match op {
        Op::Mul | Op::Div if a.lagged && full(&a) && number(&b) && sign(&b) < 0.0 => Some(a.data.clone()),
        Op::Mul if b.lagged && full(&b) && number(&a) && sign(&a) < 0.0 => Some(b.data.clone()),
        Op::Sub if b.lagged && full(&b) && number(&a) && sign(&a) == 0.0 => Some(b.data.clone()),
        Op::Mul | Op::Div if a.sized_base.is_some() && number(&b) && sign(&b) != 0.0 => a.sized_base.clone(),
        Op::Mul if b.sized_base.is_some() && number(&a) && sign(&a) != 0.0 => b.sized_base.clone(),
        Op::Sub if b.sized_base.is_some() && number(&a) && sign(&a) == 0.0 => b.sized_base.clone(),
        _ => None,
    };
    // A change over an earlier value (`x - lag(x, 1)`), or one scaled by a number
    // (`diff(x) * 100`): where its base is (`Series::change_base`).
    let change_base = match op {
        Op::Sub if b.lagged && !a.lagged && full(&a) && full(&b) && !b.is_scalar() && !a.is_scalar() => {
            Some(crate::series::ChangeBase { source: b.data.clone(), shift: 0, of: a.indicator })
        }
        Op::Mul | Op::Div if a.change_base.is_some() && number(&b) && sign(&b) != 0.0 => a.change_base.clone(),
        Op::Mul if b.change_base.is_some() && number(&a) && sign(&a) != 0.0 => b.change_base.clone(),
        _ => None,
    };
    // A change divided by its base's size or value however written (`abs(lag(x, 1))`,
    // `lag(abs(x), 1)`, `where(b < 0, -b, b)`, `sqrt(b ** 2)`): the bases, to leave missing
    // the cells where it is negative (a loss of 100 turned into a profit of 50 is no +150%).
    let change_over_base = (op == Op::Div && full(&a) && full(&b) && !b.is_scalar())
        .then(|| a.change_base.as_ref().and_then(|c| c.sized_by(&b.data)))
        .flatten();
    if op == Op::Div {
        let zeros = b.data.iter().filter(|v| **v == 0.0).count() as u64;
        let mult = (rows * cols) as u64 / (b.data.len().max(1) as u64);
        count_div_zero(zeros * mult);
    }
    let same_a = a.by_region == by_region && a.by_period == by_period;
    let same_b = b.by_region == by_region && b.by_period == by_period;
    let hand_why = (op == Op::Div && b.lagged && same_a && same_b && !b.is_scalar() && a.unit == b.unit && !a.lagged)
        .then(|| over_bases_by_hand(&a, &b))
        .flatten();
    // Both full-shape and `a` shared (a variable, a panel indicator): one pass into a new
    // buffer instead of copying `a` and then updating it.
    let scalar_b = !b.by_region && !b.by_period;
    let fresh = same_a && (same_b || scalar_b) && Arc::strong_count(&a.data) > 1;
    // Two roll-ups shown as their children's: `one_sided_children` reads `a`'s cells after
    // the result is made, so they are copied, not moved (`qty * 1 >= gdp * 0.9` at a county
    // of a town with no plan passed on sums over different towns).
    let keep_a = a.shown.is_some() && b.shown.is_some();
    // Whether a result with no figure is refused for periods apart (`periods_apart`); a
    // lag that meets no figure says so itself (data every 5 years: lag(s, 5)). The periods
    // `a` has figures in are read here only where its values are moved into the result
    // below; otherwise only once the result turns out empty.
    let shifted = a.lagged || b.lagged || a.leads || b.leads;
    let apart_check = a.by_period && b.by_period && !shifted && !matches!(op, Op::And | Op::Or);
    // `&` and `|` give a figure where one side is missing (false & missing is false): of
    // sides in periods apart, a count of `(x21 > 50) & (x19 > 50)` was a confident 0.
    let logic_apart = a.by_period && b.by_period && !shifted && matches!(op, Op::And | Op::Or);
    let moved = !fresh && same_a && !keep_a;
    let a_periods = ((apart_check || logic_apart) && moved).then(|| periods_with_figures(&a));
    let mut out = if fresh {
        Vec::new()
    } else if moved {
        a.take_data()
    } else if same_a {
        a.data.to_full()
    } else {
        broadcast(&a, by_region, by_period)
    };
    if fa != 1.0 && !fresh {
        super::par_map(&mut out, |x| x * fa);
    }
    let bd = b.data.clone();
    macro_rules! run {
        ($f:expr) => {{
            let f = $f;
            if fresh && scalar_b {
                let y = bd[0] * fb;
                out = super::par_map_new(&a.data, |x| f(x * fa, y));
            } else if fresh {
                out = super::par_zip_new(&a.data, &bd, |x, y| f(x * fa, y * fb));
            } else if same_b {
                if fb == 1.0 {
                    super::par_zip(&mut out, &bd, f);
                } else {
                    super::par_zip(&mut out, &bd, |x, y| f(x, y * fb));
                }
            } else if !b.by_region && !b.by_period {
                let y = bd[0] * fb;
                super::par_map(&mut out, |x| f(x, y));
            } else if !b.by_region {
                super::par_periods(&mut out, rows, |p, chunk| {
                    let y = bd[p] * fb;
                    chunk.iter_mut().for_each(|x| *x = f(*x, y));
                });
            } else {
                super::par_periods(&mut out, rows, |_, chunk| chunk.iter_mut().zip(bd.iter()).for_each(|(x, y)| *x = f(*x, *y * fb)));
            }
        }};
    }
    // One monomorphised loop per operator keeps the inner loop branch-free.
    match op {
        Op::Add => run!(add_exact),
        Op::Sub => run!(|x: f64, y: f64| add_exact(x, -y)),
        Op::Mul => run!(|x: f64, y: f64| finite(x * y)),
        Op::Div => run!(|x: f64, y: f64| if y == 0.0 { MISSING } else { finite(x / y) }),
        other => run!(|x: f64, y: f64| apply(other, x, y)),
    }
    // A change over its own base's size or value: that base decides (`diff(x) / lag(-x, 1)`
    // divides by the base negated, whose sign is not the base's).
    if let Some(base) = change_over_base.as_ref().filter(|d| d.len() == out.len()) {
        over_negative_base(&mut out, base);
    } else if op == Op::Div && b.lagged && same_b {
        over_negative_base(&mut out, &bd);
    }
    // Over a base's size or its negation (`abs(lag(x, 1))`): no growth either where the
    // base itself is negative.
    if op == Op::Div
        && change_over_base.is_none()
        && !b.lagged
        && same_b
        && let Some(base) = b.sized_base.as_ref().filter(|d| d.len() == out.len())
    {
        over_negative_base(&mut out, base);
    }
    // lag(p, -1) / p: the growth to a later value, over the current one.
    if op == Op::Div && a.leads && !b.lagged && !b.leads && same_b && !b.is_scalar() {
        over_negative_base(&mut out, &bd);
    }
    let mut why = None;
    if op == Op::Div
        && let Some(name) = &b.target
    {
        let before = out.clone();
        over_negative_target(&mut out, &b, name, (rows, cols, by_region, by_period));
        why = negative_targets(&before, &out, &a, &b, rows);
    }
    if let Some(base) = reciprocal_base.filter(|d| d.len() == out.len()) {
        over_negative_base(&mut out, &base);
    }
    // Two regions' roll-ups over children that differ (a child on one side only).
    if !matches!(op, Op::And | Op::Or) {
        super::rollup::one_sided_children(&a, &b, &mut out);
    }
    // A region's own figure against its children's roll-up in a lag of it (`x / lag(x, 1)`,
    // `x <= lag(x, 1) * 1.08`).
    if !matches!(op, Op::Add | Op::Mul | Op::Pow | Op::And | Op::Or) {
        super::rollup::own_against_lagged(&a, &b, &mut out);
    }
    // Two totals that add different regions (a town with an output and no plan).
    let shape = (rows, cols, by_region, by_period);
    if !matches!(op, Op::And | Op::Or) {
        super::unlike::compare(&a, &b, &mut out, shape);
    }
    // Two sides with figures at levels apart (towns against their county's roll-up): no
    // region has both, so every cell is missing, and a check on it passed with 0 items
    // (share_pct(gdp, rollup(gdp, "county")) of a town at 48.89%).
    if a.by_region && b.by_region && !a.is_scalar() && !b.is_scalar() && out.iter().all(|v| v.is_nan()) {
        levels_apart(&a, &b, op)?;
    }
    // Two sides with figures in periods apart (`in_period(gdp, 2021) - in_period(gdp,
    // 2019)`): no period has both, and a rule on it checked nothing without a word.
    if logic_apart || (apart_check && out.iter().all(|v| v.is_nan())) {
        let pa = a_periods.unwrap_or_else(|| periods_with_figures(&a));
        periods_apart(&pa, &b, op.symbol())?;
    }
    // A region shown with its children's roll-up set against that roll-up: not evaluable.
    if super::itself::compares(op) {
        super::itself::blank(&a, &b, &mut out, by_region, by_period);
    }
    let mut s = a.shaped(by_region, by_period, out, unit, agg);
    // A lag with a number (`lag(x, 1) + 3`, `* 1.08`), or two of one source, is still a
    // lag of that source; so is one times a factor of another figure, a plan's
    // (`lag(gdp, 1) * (1 + plan.gr / 100)`, 上年实绩 × (1 + 计划增速), review29 04), or
    // over one (`lag(gdp, 1) / deflator`).
    let factor =
        |s: &Series, lag_left: bool| (op == Op::Mul || (op == Op::Div && lag_left)) && !s.mask && !s.lagged && !s.leads && !s.is_scalar();
    s.lag_source = match (&a.lag_source, &b.lag_source) {
        (Some(x), Some(y)) if super::itself::same_sources(x, y) => Some(x.clone()),
        (Some(x), None) if b.is_scalar() || factor(&b, true) => Some(x.clone()),
        (None, Some(y)) if a.is_scalar() || factor(&a, false) => Some(y.clone()),
        _ => None,
    };
    // The lag's own marks of cells shown with their children's roll-up, not the factor's.
    let lag_marks = |s: &Series| s.lag_times.clone().or_else(|| Some(s.shown.clone().unwrap_or_default()));
    let is_lag = |s: &Series| s.lagged || s.lag_times.is_some();
    s.lag_times = if s.mask {
        None
    } else if is_lag(&a) && factor(&b, true) {
        lag_marks(&a)
    } else if is_lag(&b) && factor(&a, false) {
        lag_marks(&b)
    } else if b.is_scalar() {
        a.lag_times.clone()
    } else if a.is_scalar() {
        b.lag_times.clone()
    } else {
        None
    };
    s.counts = super::unlike::carried(&a, &b, shape, op.is_comparison() || matches!(op, Op::And | Op::Or));
    s.missing_why = why.or(hand_why);
    s.periods_of = periods_of(&a, &b, by_region, by_period, op)?;
    s.mask = op.is_comparison() || matches!(op, Op::And | Op::Or);
    super::itself::carry(&a, &b, &mut s);
    s.scaled_by = scaled_by;
    s.scaled_pow = scaled_pow;
    if !s.mask {
        s.lagged = lagged;
        s.lag_numerator = lag_numerator;
        s.sized_base = sized_base;
        s.change_base = change_base;
        s.listed = listed;
        s.selected = selected_of(&a, &b, full(&a), full(&b));
        s.data_periods = data_periods_of(&a, &b, by_period);
        s.rate = rate_result(op, &a, &b);
        // A growth or a change (`x / lag(x, 1) - 1`, `x - lag(x, 1)`) counts its regions
        // from the later side's period on, as `yoy` and `diff` do.
        s.gap_origin = gap_origin;
        s.form_of = form_of;
        // A rate less another figure of it (`rate - lag(rate, 1)`) is in 百分点, as diff is;
        // so is any percent less another (完成率 - 时间进度, 45% - 50%: -5个百分点, never
        // -5%). A number written beside it (`rate - 5`) is in its unit, and the rest of a
        // whole less a part (`100 - 一产占比 - 二产占比`, see [`complement`]) is a share, in %.
        let percent = |s: &Series| {
            !s.is_scalar()
                && !s.mask
                && (b.lagged || !s.rate.as_ref().is_some_and(complement))
                && !s.unit.is_index()
                && matches!(&*s.unit.symbol, "%" | "‰")
                && s.unit.is_dimensionless()
        };
        if op == Op::Sub && (matches!(s.rate, Some(crate::series::RateOf::Points(_))) || (percent(&a) && percent(&b))) {
            s.unit = super::time::points_of(&s.unit);
        }
        // A change in points added to a rate is a rate (-5个百分点 + 53% = 48%), whichever
        // side it is written on: `comp - sched + urb` printed 48个百分点, `urb + (comp -
        // sched)` 48%.
        let points = |u: &crate::unit::Unit| matches!(&*u.symbol, "个百分点" | "百分点" | "个千分点" | "千分点");
        if op == Op::Add
            && points(&a.unit)
            && !b.is_scalar()
            && !b.unit.is_index()
            && matches!(&*b.unit.symbol, "%" | "‰")
            && a.unit.scale == b.unit.scale
        {
            s.unit = b.unit.clone();
        }
        s.spread = spread_result(op, &a, &b);
    }
    if let (Some(ba), Some(bb)) = (&a.basis, &b.basis)
        && Arc::ptr_eq(&ba.source.data, &bb.source.data)
        && ba.entries != bb.entries
    {
        across_shifted_entries(ba, bb, &mut s);
    }
    if a.basis.is_some() || b.basis.is_some() {
        carry_basis(&a, &b, op, fa, fb, &mut s);
    }
    // A result without a roll-up rule (gdp * rate, a comparison) cannot find its regions
    // made of their children from its own cells: it keeps those of its sides, so that
    // `fill(gdp * r, 0)` leaves a county of its towns missing (its declared roll-up shows
    // it), never 0, and `is_missing` is false there, as for `gdp` itself.
    if matches!(s.agg, Agg::None(_)) {
        super::rollup::set_made_of(&mut s, made);
    }
    // gdp * growth takes 10% as 0.1, and x / completion 149% as 1.49; remembered so that
    // a `/ 100` after the product, or a `* 100` after the quotient, is not a second
    // conversion (and so is 万元 / 亿元's 0.0001).
    s.pending = if s.mask { None } else { pending };
    Ok(s)
}

/// Whether `a op b` is a base (`Series::lagged`): made only of earlier values and
/// numbers. A sum of bases or of a base and a number (`lag(e, 1) - lag(i, 1)`,
/// `lag(x, 1) + 0`); a difference, unless the base is the side taken away (`0 - lag(x,
/// 1)` is its negation, the spreadsheet's abs over a negative base, as `lag(x, 1) * -1`
/// is); a product or quotient of two bases. A factor is seen to by [`with_number`].
fn lagged_result(op: Op, a: &Series, b: &Series) -> bool {
    let number = |s: &Series| s.is_scalar() && !s.lagged && !s.mask;
    match op {
        Op::Add => (a.lagged && (b.lagged || number(b))) || (b.lagged && number(a)),
        Op::Sub => a.lagged && (b.lagged || number(b)),
        Op::Mul | Op::Div => a.lagged && b.lagged,
        _ => false,
    }
}

/// What rate or share `a op b` is of (`Series::rate`): a number (a scalar that is no
/// rate, no base and no mask: `* 100`, `- 1`, `100 - share`) keeps the other side's; a
/// rate over another level of a rate is its relative change (`x / lag(x, 1) - 1`,
/// `cover / prior.cover`), a level less another its change in points; else none (a
/// quotient of two amounts may be a share or a growth factor, `gdp / prior.gdp`).
fn rate_result(op: Op, a: &Series, b: &Series) -> Option<crate::series::RateOf> {
    use crate::series::RateOf;
    let number = no_rate_number;
    match (&a.rate, &b.rate) {
        // x / lag(x, 1), (x - lag(x, 1)) / lag(x, 1), x / prior.x: a rate over another
        // figure of it is its relative change.
        // So is an earlier figure over a later one (`1 - lag(rate, 1) / rate`).
        (Some(RateOf::Level(n) | RateOf::Percent(n) | RateOf::Growth(n) | RateOf::Points(n)), Some(r)) if op == Op::Div && r.is_level() => {
            Some(RateOf::Relative(n.clone()))
        }
        // A figure over an earlier one of its dimension (`gdp / lag(gdp, 1)`, then `- 1`):
        // a growth factor, which no sum adds up.
        // A change over it (`(gdp - lag(gdp, 1)) / lag(gdp, 1)`, `diff(gdp) / lag(gdp, 1)`) is a
        // growth rate. Of the same shape only: a town's over the county's (拉动, `diff(gdp) /
        // lag(sum(gdp), 1)`) is a part of a growth, and adds up to the county's.
        (None, None) if op == Op::Div && over_earlier(a, b) => {
            let kind = if a.change_base.is_some() { crate::series::GROWTH_RATE } else { crate::series::GROWTH_FACTOR };
            Some(RateOf::Growth(std::sync::Arc::from(kind)))
        }
        // ... and an earlier one over a later one (`lag(gdp, 1) / gdp`), no sum either.
        (None, None) if op == Op::Div && over_earlier(b, a) => {
            Some(RateOf::Growth(std::sync::Arc::from(crate::series::EARLIER_OVER_LATER)))
        }
        // A growth factor less 1 (`gdp / lag(gdp, 1) - 1`) is a growth rate.
        (Some(RateOf::Growth(n)), None)
            if op == Op::Sub && n.as_ref() == crate::series::GROWTH_FACTOR && number(b) && b.data.first().is_some_and(|&v| v == 1.0) =>
        {
            Some(RateOf::Growth(std::sync::Arc::from(crate::series::GROWTH_RATE)))
        }
        // Two growths added (`(yoy(gdp) + yoy(rev)) / 2`): still a growth, no sum.
        (Some(x), Some(y)) if op == Op::Add && x.is_growth() && y.is_growth() => Some(x.clone()),
        // A power of a relative change is one (`(rate / lag(rate, 2)) ** 0.5 - 1`).
        (Some(r @ RateOf::Relative(_)), None) if number(b) && op == Op::Pow => Some(r.clone()),
        // A rate less another figure of it: its change in points (the rest of a whole less
        // a part is the share left, no change).
        (Some(x), Some(y)) if op == Op::Sub && x.is_level() && y.is_level() && (b.lagged || !(complement(x) || complement(y))) => {
            Some(RateOf::Points(x.name().into()))
        }
        (Some(r), None) if number(b) && op != Op::Pow => Some(r.clone()),
        (None, Some(r)) if number(a) && matches!(op, Op::Add | Op::Sub | Op::Mul) => Some(r.clone()),
        _ => None,
    }
}

/// Whether a rate is the rest of a whole (`100 - 一产占比`, marked by `with_number`): less
/// another share it is the share left (2%), not a change in 百分点.
fn complement(r: &crate::series::RateOf) -> bool {
    matches!(r, crate::series::RateOf::Percent(n) if n.ends_with(COMPLEMENT))
}

/// The end of a [`complement`]'s name (`100 - x`).
const COMPLEMENT: &str = " - x";

/// Whether `now / then` is a figure over an earlier one of its dimension and shape
/// (`gdp / lag(gdp, 1)`), not a town's over the county's (`diff(gdp) / lag(sum(gdp), 1)`).
fn over_earlier(now: &Series, then: &Series) -> bool {
    then.lagged
        && !now.lagged
        && !now.is_scalar()
        && now.by_region == then.by_region
        && now.unit.mul_div(&then.unit, true).0.is_dimensionless()
}

/// A number beside a rate (`* 100`, `- 1`): a scalar that is no rate, no base and no mask.
fn no_rate_number(s: &Series) -> bool {
    s.is_scalar() && s.rate.is_none() && !s.lagged && !s.mask
}

/// The levels at which `s` has a figure, as bits (level 0 = bit 0).
fn levels_with_figures(s: &Series) -> u64 {
    let (rows, levels) = (s.rows(), &s.axes.regions.level);
    let mut bits = 0u64;
    let mut mark = |r: usize| bits |= 1u64 << levels.get(r).map_or(63, |&l| u32::from(l).min(63));
    match s.data.kept() {
        Some(k) => {
            let w = k.rows.len();
            for (j, &r) in k.rows.iter().enumerate() {
                if (0..k.cols).any(|p| !k.values[p * w + j].is_nan()) {
                    mark(r as usize);
                }
            }
        }
        None => {
            for r in 0..rows {
                if (0..s.cols()).any(|p| s.data.get(p * rows + r).is_some_and(|v| !v.is_nan())) {
                    mark(r);
                }
            }
        }
    }
    bits
}

/// Refuses `a op b` where each side has figures and their levels share none: the result
/// would be missing everywhere, read as a rule with nothing to check.
fn levels_apart(a: &Series, b: &Series, op: Op) -> KResult<()> {
    let (la, lb) = (levels_with_figures(a), levels_with_figures(b));
    if la == 0 || lb == 0 || la & lb != 0 {
        return Ok(());
    }
    let names = |bits: u64| -> String {
        let levels = &a.axes.regions.levels;
        (0..64)
            .filter(|l| bits & (1u64 << l) != 0)
            .map(|l| levels.get(l).cloned().unwrap_or_else(|| l.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(Fault::type_(format!(
        "`{}` of figures at level {} and figures at level {}: no region has both, so every cell would be missing; set a region \
         against the total of its level with sum(x) (a town's share of the county: share(gdp, sum(gdp)) in a report on the \
         county), or take both sides at one level (rollup(x, \"{}\"))",
        op.symbol(),
        names(la),
        names(lb),
        names(1u64 << (la | lb).trailing_zeros())
    )))
}

/// Refuses `a op b` of two series over periods whose figures stand in periods apart (one
/// side in 2021 only, the other in 2019 only): every cell would be missing. Names the
/// periods and the change to write instead.
fn periods_apart(pa: &[usize], b: &Series, op: &str) -> KResult<()> {
    let pb = periods_with_figures(b);
    if pa.is_empty() || pb.is_empty() || pa.iter().any(|p| pb.contains(p)) {
        return Ok(());
    }
    let axis = b.axes.periods;
    let said = |ps: &[usize]| {
        let mut t: Vec<String> = ps.iter().take(3).map(|&p| axis.get(p).to_string()).collect();
        if ps.len() > 3 {
            t.push(format!("and {} more", ps.len() - 3));
        }
        t.join(", ")
    };
    let pa = pa.to_vec();
    Err(Fault::type_(format!(
        "`{}` of figures of {} and figures of {}: no period has both, so no cell sets one against the other; set a figure against an \
         earlier one with lag(x, k) or diff(x, k) (the change since 2019 in a 2021 report: diff(gdp, 2)), or take one \
         period's figure as a number with at(x, region, period)",
        op,
        said(&pa),
        said(&pb)
    )))
}

/// The periods a series over periods has a figure in, in order.
fn periods_with_figures(s: &Series) -> Vec<usize> {
    s.kept_view().periods().enumerate().filter(|(_, col)| col.iter().any(|v| !v.is_nan())).map(|(p, _)| p).collect()
}

/// A number beside 累计 or a year's figure: a scalar that is neither, and no mask.
fn no_spread_number(s: &Series) -> bool {
    s.is_scalar() && s.spread.is_none() && !s.mask
}

/// What `a op b` stands for beyond its period (`Series::spread`): a number keeps the
/// other side's (`cum.x * 10000`, `target.x - 1`); a sum or difference of two alike is
/// alike (`cum.a + cum.b`); so is a product with, or a quotient by, a figure of each
/// period (`cum.output * rate / 100`: 1-6月 output at June's rate is still the half
/// year's, and quarters() of it would add 1-4月, 1-5月 and 1-6月); anything else is a
/// figure of its own (`cum.a / cum.b`, a 1-N月 ratio).
fn spread_result(op: Op, a: &Series, b: &Series) -> Option<crate::series::Spread> {
    let number = no_spread_number;
    // A year's figure over the periods of a year (target / 12) is one period's share of it.
    let per_year = a.axes.periods.freq.per_year() as f64;
    let share = |s: &Series, over: bool| {
        number(s) && !s.by_period && s.data.first().is_some_and(|&k| if over { k == per_year } else { k * per_year == 1.0 })
    };
    match (a.spread, b.spread) {
        (Some(crate::series::Spread::Annual), None) if (op == Op::Div && share(b, true)) || (op == Op::Mul && share(b, false)) => None,
        (Some(x), Some(y)) if x == y && matches!(op, Op::Add | Op::Sub) => Some(x),
        (Some(x), None) if number(b) && op != Op::Pow => Some(x),
        (None, Some(y)) if number(a) && matches!(op, Op::Add | Op::Sub | Op::Mul) => Some(y),
        (Some(x), None) if matches!(op, Op::Mul | Op::Div) => Some(x),
        (None, Some(y)) if op == Op::Mul => Some(y),
        _ => None,
    }
}

/// The listed-without-a-figure cells (`Series::listed`) of `a op b`: a cell missing on
/// either side is missing in the result, so a side's listing holds for it (both: merged).
fn listed_of(a: &Series, b: &Series, full_a: bool, full_b: bool) -> Option<Arc<Vec<u32>>> {
    let la = a.listed.as_ref().filter(|_| full_a);
    let lb = b.listed.as_ref().filter(|_| full_b);
    match (la, lb) {
        (Some(x), Some(y)) if !Arc::ptr_eq(x, y) => Some(Arc::new(union_sorted(x, y))),
        (Some(x), _) => Some(x.clone()),
        (None, y) => y.cloned(),
    }
}

/// The cells where one side of `a op b` has a figure and the other has none (a town with
/// an output and no price row), sorted; None when there are none. Their result is
/// missing, and a roll-up of it must count a gap there, not a region absent from the
/// source. Sides whose missing cells say something else are not read: an earlier or
/// later value (`lag`: no base yet, a town set up since), a change over one, a selection
/// (`only`, `level`: left out on purpose), a roll-up's rows, a comparison, each region's
/// latest figure.
fn one_sided_cells(a: &Series, b: &Series) -> Option<Vec<u32>> {
    if !plain_gaps(a) || !plain_gaps(b) {
        return None;
    }
    lacking(a, b, true)
}

/// Whether a missing cell of `s` is a figure the source lacks (see [`one_sided_cells`]),
/// but where a selection left it out ([`Series::selected`], read cell by cell).
pub(crate) fn plain_gaps(s: &Series) -> bool {
    !s.lagged && !s.leads && s.change_base.is_none() && !s.mask && s.data.kept().is_none() && s.periods_of.is_none()
}

/// The cells (sorted; None: none) where `b` has a figure and `a` has none, and with
/// `either`, also those where `a` has one and `b` none; a cell a selection left out of
/// the side without the figure ([`Series::selected`]) is none. Both hold every cell of
/// one shape.
pub(crate) fn lacking(a: &Series, b: &Series, either: bool) -> Option<Vec<u32>> {
    if a.data.len() != b.data.len() || a.data.kept().is_some() || b.data.kept().is_some() || u32::try_from(a.data.len()).is_err() {
        return None;
    }
    let (x, y): (&[f64], &[f64]) = (&a.data, &b.data);
    let hit = move |u: &f64, v: &f64| if either { u.is_nan() != v.is_nan() } else { u.is_nan() && !v.is_nan() };
    const CHUNK: usize = 1 << 15;
    // Counted first, branch-free (most panels have none), then listed.
    let n: usize = x.par_chunks(CHUNK).zip(y.par_chunks(CHUNK)).map(|(p, q)| p.iter().zip(q).filter(|(u, v)| hit(u, v)).count()).sum();
    if n == 0 {
        return None;
    }
    let out_of = |s: &Series, i: usize| s.selected.as_ref().is_some_and(|m| m.get(i).copied().unwrap_or(false));
    let cells: Vec<u32> = x
        .iter()
        .zip(y)
        .enumerate()
        .filter(|(i, (u, v))| hit(u, v) && !(u.is_nan() && out_of(a, *i)) && !(v.is_nan() && out_of(b, *i)))
        .map(|(i, _)| i as u32)
        .collect();
    (!cells.is_empty()).then_some(cells)
}

/// The cells left out by a selection (`Series::selected`) of `a op b`: either side's.
fn selected_of(a: &Series, b: &Series, full_a: bool, full_b: bool) -> Option<Arc<Vec<bool>>> {
    let sa = a.selected.as_ref().filter(|_| full_a);
    let sb = b.selected.as_ref().filter(|_| full_b);
    match (sa, sb) {
        (Some(x), Some(y)) if !Arc::ptr_eq(x, y) && x.len() == y.len() => {
            Some(Arc::new(x.iter().zip(y.iter()).map(|(p, q)| *p || *q).collect()))
        }
        (Some(x), _) => Some(x.clone()),
        (None, y) => y.cloned(),
    }
}

/// The periods of the data ([`Series::data_periods`]) of `a op b` over periods: either
/// side's.
fn data_periods_of(a: &Series, b: &Series, by_period: bool) -> Option<Arc<Vec<bool>>> {
    let side = |s: &Series| s.data_periods.clone().filter(|d| by_period && s.by_period && d.len() == s.cols());
    match (side(a), side(b)) {
        (Some(x), Some(y)) if !Arc::ptr_eq(&x, &y) && x.len() == y.len() => {
            Some(Arc::new(x.iter().zip(y.iter()).map(|(p, q)| *p || *q).collect()))
        }
        (x, y) => x.or(y),
    }
}

/// `listed` with `more` cells (sorted, without repeats).
pub(crate) fn merge_listed(listed: Option<Arc<Vec<u32>>>, more: Option<Vec<u32>>) -> Option<Arc<Vec<u32>>> {
    let Some(more) = more else { return listed };
    let Some(l) = listed else { return Some(Arc::new(more)) };
    Some(Arc::new(union_sorted(&l, &more)))
}

/// The union of two sorted lists of cells, sorted and without repeats, in one pass (a
/// sparse panel may list millions of cells at each operator).
fn union_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x <= y => {
                i += 1;
                j += usize::from(x == y);
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => break,
        };
        if out.last() != Some(&next) {
            out.push(next);
        }
    }
    out
}

/// Two factors equal up to binary noise (0.01 * 100 is 1.0000000000000002).
fn same_factor(x: f64, y: f64) -> bool {
    x != 0.0 && (x / y - 1.0).abs() < 1e-9
}

/// Where the numbers written by hand into a value (`k`, all multiplied together; `p`, the
/// product of those that are powers of ten: see `Series::scaled_pow`) stand against a
/// conversion by `c` that the units make at that point (a power of ten: 亿元 to 万元 is
/// 10000, a pure number to % is 100, 万元 / 亿元 is 0.0001).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// No number written (k = 1).
    One,
    /// Exactly the conversion: it was written by hand, as in a spreadsheet.
    Exact,
    /// The powers of ten written are exactly the conversion and other numbers are written
    /// besides (`* 100 / 12` declared in %, `gdp * rate * 12 / 100`): the conversion
    /// written by hand and a factor `k / c`.
    Holds,
    /// No conversion in it: on the other side of 1 (`gdp * 0.1` beside 万元, `x / 2`
    /// declared in %), or, with no power of ten written, a factor nearer 1 than the
    /// conversion by more than a hundredfold (`gdp * 12` beside 万元, `rev / gdp / 12`):
    /// a factor; the units convert.
    Factor,
    /// Past the conversion (`/ 100 / 100` beside a percent, `/ 1200`): the conversion and
    /// more.
    Beyond,
    /// Between 1 and the conversion (5000 = 10000 × 0.5 or a factor of its own? `* 100`
    /// beside a conversion by 0.01?): unclear, refused.
    Unclear,
}

/// The [`Zone`] of the numbers `k` written beside a conversion by `c`, `p` of them powers
/// of ten. The spelling decides between the answer and a refusal, never between two
/// numbers: `* 100 / 12` holds the percent's 100 written out (a factor 1/12 besides),
/// while `* 8.33` would be a factor of its own and `* 5000` beside 万元 is refused.
pub fn zone(k: f64, p: f64, c: f64) -> Zone {
    if !(k.is_finite() && k > 0.0) || same_factor(k, 1.0) {
        return Zone::One;
    }
    if !(c.is_finite() && c > 0.0) || same_factor(c, 1.0) {
        return Zone::Factor;
    }
    if same_factor(k, c) {
        return Zone::Exact;
    }
    if same_factor(p, c) {
        return Zone::Holds;
    }
    // A lone 10 or 0.1 that is not the conversion is a count, not part of one (`* 10 / 12`
    // of ten months): read as no power of ten written.
    let p = if (p.log10().abs() - 1.0).abs() < 1e-9 { 1.0 } else { p };
    let lc = c.log10();
    if p.is_finite() && p > 0.0 && !same_factor(p, 1.0) {
        // Powers of ten written that are not the conversion: one of them at most on the
        // other side (`gdp * 0.1` beside 万元) is a factor; any more, or part of the way to
        // the conversion (`gdp * 100` beside 万元), unclear; past it, the conversion and more.
        let lp = p.log10();
        return if lp * lc < 0.0 {
            if lp.abs() < 1.0 + 1e-9 { Zone::Factor } else { Zone::Unclear }
        } else if lp.abs() > lc.abs() {
            Zone::Beyond
        } else {
            Zone::Unclear
        };
    }
    let lk = k.log10();
    // A number with no 0 at its end (12, 365, 1.05; / 12, / 365) holds no power of ten,
    // so no conversion: `rev * rate / 365` is a daily figure, not / 100 / 3.65.
    if lk * lc < 0.0 || trailing_zeros(k) == 0 {
        Zone::Factor
    } else if lk.abs() > lc.abs() {
        // Past the conversion by a whole multiple (1200 = 100 × 12): the conversion and
        // more; by another (15000 = 10000 × 1.5, 250 = 100 × 2.5): unclear.
        if whole_multiple(if lc > 0.0 { k / c } else { c / k }) { Zone::Beyond } else { Zone::Unclear }
    } else if lk.abs() < 1.0f64.max(lc.abs() / 2.0) - 1e-12 {
        Zone::Factor
    } else {
        Zone::Unclear
    }
}

/// Whether `m` is a whole number of times (1, 2, 12), up to binary noise: 1200 is 100
/// twelve times, 250 is not a whole number of 100s.
fn whole_multiple(m: f64) -> bool {
    m >= 1.0 - 1e-9 && (m - m.round()).abs() < 1e-9 * m.max(1.0)
}

/// How many 0s end a number as written (5000: 3, 1200: 2, 50: 1, 12: 0), or its reciprocal
/// when below 1 (0.02 is / 50: 1); 0 for one that is no whole number either way.
fn trailing_zeros(k: f64) -> u32 {
    let n = if k >= 1.0 { k } else { 1.0 / k };
    let r = n.round();
    if !(r.is_finite() && r >= 1.0 && (n - r).abs() <= 1e-9 * n) || r > 1e15 {
        return 0;
    }
    let mut r = r as u64;
    let mut z = 0;
    while r >= 10 && r.is_multiple_of(10) {
        r /= 10;
        z += 1;
    }
    z
}

/// The power of ten a number written holds, as it adds to `Series::scaled_pow`: itself
/// when it is one (10000, 0.01); else, for a number no one types (27.3972602739726, of
/// `10000 / 365` worked out before it met the series; 8.333333333333334, of `100 / 12`),
/// the power of ten it is of a whole number not ending in 0 (10000 of 365, 100 of 12);
/// else 1 (12, 0.5, 0.17, 27.4 as typed).
pub fn pow_part(k: f64) -> f64 {
    let k = k.abs();
    if power_of_ten(k) {
        return k;
    }
    if !(k.is_finite() && k > 0.0) || significant(k, 9) == k {
        return 1.0;
    }
    for j in (1..=12).flat_map(|j| [j, -j]) {
        let p = 10f64.powi(j);
        let m = p / k;
        let whole = m.round();
        if (2.0..=1e6).contains(&whole) && (m - whole).abs() <= 1e-12 * m && whole % 10.0 != 0.0 {
            return p;
        }
    }
    1.0
}

/// A factor as a number to read: 6 significant digits (833.333, 0.00005).
fn shown(k: f64) -> String {
    let r = significant(k, 6);
    if same_factor(r, k) && r == r.trunc() && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else if r.abs() >= 1e6 {
        // Not a whole number written: 8.33333e6, never the false 8333330.
        format!("{r:e}")
    } else {
        format!("{r}")
    }
}

/// A multiplier as written in a formula: `* 5000`, `/ 20000`.
fn spelled(k: f64) -> String {
    let inv = 1.0 / k;
    // A fraction is shown as the division written (`/ 12`, `/ 10000`) where that is a
    // whole number, else as the factor (`* 0.12`, not `/ 8.33333`).
    if k >= 1.0 || (inv - inv.round()).abs() > 1e-9 * inv { format!("* {}", shown(k)) } else { format!("/ {}", shown(inv)) }
}

/// Numbers written into a value, in words: `times 5000`, `divided by 20000`.
fn written_as(k: f64) -> String {
    if k >= 1.0 { format!("times {}", shown(k)) } else { format!("divided by {}", shown(1.0 / k)) }
}

/// A multiplier as a number to read (5000, 0.5), or as written when it is small (/ 20000).
fn plain(k: f64) -> String {
    if k >= 0.001 { shown(k) } else { spelled(k) }
}

/// `x` times a multiplier, as written: `x * 5000`, `x * 0.5`, `x / 20000`.
fn times(x: &str, k: f64) -> String {
    if k >= 0.001 { format!("{x} * {}", shown(k)) } else { format!("{x} / {}", shown(1.0 / k)) }
}

/// The numbers written into a value, times `k` (a number it is multiplied by): a sign,
/// 0 and a non-finite number are no factor.
fn times_written(written: f64, k: f64) -> f64 {
    if k.is_finite() && k != 0.0 { written * k.abs() } else { written }
}

/// A conversion left open in a product or quotient (see [`Series::pending`]), settled where
/// the series is used otherwise than scaled by a number: in `+ - * /` with another series,
/// a comparison, a conversion to a unit (`to`: that unit, or the other side's), `where`,
/// or as a result (`to`: None). The numbers may hold the use's own conversion as well,
/// written by hand: a quotient of two scales of one unit whose numbers hold both
/// (`rev / gdp / 10` declared in ‰: 万元 / 亿元's / 10000 and the ‰'s * 1000) reads them
/// as both, once each. Numbers that may hold a conversion and more are refused.
pub fn settle(mut s: Series, to: Option<&Unit>) -> KResult<Series> {
    let Some(p) = s.pending.take() else { return Ok(s) };
    let (c, w, wp) = (p.conversion, p.written, p.written_pow);
    let z = zone(w, wp, c);
    // No number written: nothing to read as a conversion; the units made it.
    if z == Zone::One {
        return Ok(s);
    }
    let quotient = p.kind == crate::series::PendingKind::Quotient;
    // The conversion the use makes that the numbers may hold as well: a pure ratio's
    // percent (declared, beside a percent, or the spreadsheet's 100 as a result); a
    // product's other scale (`gdp * rate * 10000 / 100 + rev`: 亿元 to 万元).
    let (hand, to_name) = if quotient {
        match to.and_then(percent_like) {
            Some(sc) => (1.0 / sc, to.map_or(String::new(), Unit::show)),
            None => (100.0, "%".to_string()),
        }
    } else {
        match to.and_then(|u| s.unit.factor_to(u).filter(|&f| power_of_ten(f)).map(|f| (f, u.show()))) {
            Some(h) => h,
            None => (1.0, String::new()),
        }
    };
    // A function made these values (`diff(rev / gdp) / 100`): numbers after it cannot be
    // the conversion any more; a factor stands, an unclear one is refused below.
    // Both conversions by hand: the powers of ten written are the two together.
    let both = hand != 1.0 && same_factor(wp, c * hand);
    if p.consumed && (both || matches!(z, Zone::Exact | Zone::Holds | Zone::Beyond)) {
        return Err(Fault::unit(format!(
            "{} was given to a function, and numbers written after it ({} in all, with those before) make the conversion the \
             units make there ({}): they can no longer be read as that conversion, the function having made other values. Write \
             the numbers before the function (f(x * k), not f(x) * k), or convert with to() first",
            p.what,
            spelled(w),
            spelled(c)
        )));
    }
    if both {
        super::note(format!(
            "the numbers written beside {} ({} in all) are read as its conversion ({}) and the conversion to {to_name} ({}), both \
             done by hand as in a spreadsheet, neither made a second time",
            p.what,
            spelled(w),
            spelled(c),
            spelled(hand)
        ));
        return with_number(s, 1.0 / c, Op::Mul, false);
    }
    match z {
        Zone::One | Zone::Factor => Ok(s),
        Zone::Exact | Zone::Holds | Zone::Beyond => with_number(s, 1.0 / c, Op::Mul, false),
        // The percent's 100 (or ‰'s 1000) written, the units making the quotient's own
        // conversion (`rev / gdp * 100 / 12` in %): a factor besides.
        Zone::Unclear if quotient && same_factor(wp, hand) => Ok(s),
        Zone::Unclear if quotient => Err(Fault::unit(format!(
            "{} with numbers written by hand that come to {} in all: the units make the conversion there themselves ({}), so it \
             is unclear whether {} holds that conversion ({} {}) or is a factor of its own. Write the division without the \
             conversion (the units make it: rev / gdp is the plain ratio, rev / gdp * 100 its percent) and put any other factor \
             after it, or convert a side with to() first (rev / to(gdp, \"万元\")) so that the numbers are factors",
            p.what,
            spelled(w),
            spelled(c),
            spelled(w),
            spelled(c),
            spelled(w / c)
        ))),
        Zone::Unclear => Err(Fault::unit(percent_unclear(&p))),
    }
}

/// The power of ten written by hand into a value in a unit with a scale, as written (`*
/// 10000` for `gdp * 10000` in 亿元), where a reader of its figures should know it.
pub fn written_by_hand(s: &Series) -> Option<String> {
    (!s.mask && !s.unit.is_dimensionless() && power_of_ten(s.scaled_by)).then(|| spelled(s.scaled_by))
}

/// A result still in a unit with a scale and a power of ten written by hand into it:
/// `gdp * 10000` is 18000 亿元 as written, ten thousand times the GDP. Said in a note,
/// naming the unit the number would convert to, so that a conversion by hand is
/// declared (and then read as that conversion, never made a second time).
pub fn note_written_scale(s: &Series) {
    let k = s.scaled_by;
    if s.mask || s.unit.is_dimensionless() || !power_of_ten(k) {
        return;
    }
    let u = s.unit.show();
    // The unit the prefix is on (亿元: 元), or a base unit itself (元).
    let base = match s.unit.prefix() {
        Some((_, base)) => Some(base.to_string()),
        None => (!s.unit.symbol.contains(['/', '·'])).then(|| s.unit.symbol.to_string()),
    };
    let target = base.and_then(|base| {
        ["", "十", "百", "千", "万", "十万", "百万", "千万", "亿"]
            .iter()
            .map(|p| Unit::parse(&format!("{p}{base}")))
            .find(|c| c.same_dimension(&s.unit) && same_factor(c.scale, s.unit.scale / k))
            .map(|c| c.show())
    });
    let which = match &target {
        Some(t) => {
            format!("if the {} was meant as the conversion to {t}, say so: unit = \"{t}\" on the indicator, or to(x, \"{t}\")", shown(k))
        }
        None => format!(
            "if the {} was meant as a conversion to another unit, say which: unit = \"…\" on the indicator, or to(x, \"…\")",
            shown(k)
        ),
    };
    super::note(format!(
        "the result is in {u} with {} written by hand into it, so its figures are read as {u}, {} what they were before \
         it; {which} (the number is then read as that conversion, not made a second time)",
        spelled(k),
        if k > 1.0 { format!("{} times", shown(k)) } else { format!("1/{} of", shown(1.0 / k)) }
    ));
}

/// Whether [`settle`] as a result would read `s` otherwise than its values stand (or
/// refuse it): the numbers written after it in a formula decide how it reads.
pub fn still_open(s: &Series) -> bool {
    let Some(p) = &s.pending else { return false };
    let (c, w, wp) = (p.conversion, p.written, p.written_pow);
    match zone(w, wp, c) {
        Zone::One | Zone::Factor => false,
        Zone::Unclear if p.kind == crate::series::PendingKind::Quotient => !same_factor(wp, 100.0),
        _ => true,
    }
}

/// Whether numbers `w` written beside an open conversion settle it as they stand, so the
/// values are read so at once: they reach the conversion (and maybe more), or, beside a
/// quotient of two scales of one unit, they are the conversion and a percent's 100
/// written as one number (`rev / gdp / 100`: 万元 / 亿元's / 10000 and the * 100).
fn settles(p: &crate::series::Pending, w: f64, wp: f64) -> Option<String> {
    let c = conversion_read(p, wp);
    match zone(w, wp, c) {
        Zone::Exact => Some(String::new()),
        Zone::Holds | Zone::Beyond => Some(format!(" and a factor {}", spelled(w / c))),
        _ if p.kind == crate::series::PendingKind::Quotient && same_factor(wp, c * 100.0) => Some(if same_factor(w, wp) {
            " and the * 100 of a percent".into()
        } else {
            format!(" and the * 100 of a percent, and a factor {}", spelled(w / wp))
        }),
        _ => None,
    }
}

/// The percent (%, or ‰) whose scale is `scale`.
pub fn percent_of_scale(scale: f64) -> Unit {
    Unit::parse(if same_factor(scale, 0.001) { "‰" } else { "%" })
}

/// The percent a square root of `s` is, where `s` is a product of two percents (or a
/// percent squared) whose conversion is still open (`sqrt(idx * lag(idx, 1))`, two
/// indexes of 110 and 90: 99.5%, as the spreadsheet's √(110 × 90) is 99.5); None
/// otherwise. Less 100 it is the two-year average growth in % (-0.5%), as `idx - 100` is
/// the growth, never a hundred off the fraction.
pub fn root_of_two_percents(s: &Series) -> Option<Unit> {
    let p = s.pending.as_ref().filter(|p| p.kind == crate::series::PendingKind::Percent && !p.consumed)?;
    let alone = matches!(p.what.as_ref(), TWO_PERCENTS | "a power of a percent" | "a product with two percents");
    let root = p.conversion.sqrt();
    (alone && same_factor(p.written, 1.0) && s.unit.is_dimensionless() && [0.01, 0.001].iter().any(|&k| same_factor(root, k)))
        .then(|| percent_of_scale(root))
}

/// What a product of two percents and nothing else is named ([`conversion_read`]).
const TWO_PERCENTS: &str = "a product of two percents";

/// The conversion that numbers written beside an open one (`wp` of them powers of ten)
/// are read as: the open one's, but beside a product of two percents and nothing else
/// also one percent's. The spreadsheet writes `urb * urb / 10000` for the fraction
/// (0.2809 for 53%) and `rate * rate / 100` for the percent (27.5625 for 52.5%, the
/// fraction 0.275625): both are the product of the fractions, read as it.
fn conversion_read(p: &crate::series::Pending, wp: f64) -> f64 {
    // One of the two percents' conversion: of % × % the / 100, never a / 1000.
    let one = [0.01, 0.001].into_iter().find(|&k| same_factor(wp, k) && same_factor(k * k, p.conversion));
    match one {
        Some(k) if p.what.as_ref() == TWO_PERCENTS && p.kind == crate::series::PendingKind::Percent => k,
        _ => p.conversion,
    }
}

/// Whether numbers `k` written (`p` of them powers of ten) are a conversion by `c` done by
/// hand, with or without a factor besides.
fn holds(k: f64, p: f64, c: f64) -> bool {
    matches!(zone(k, p, c), Zone::Exact | Zone::Holds)
}

/// The refusal of a percent conversion left unclear (see [`settle`]).
fn percent_unclear(p: &crate::series::Pending) -> String {
    let (c, w) = (p.conversion, p.written);
    if !one_percent(c) && p.what.as_ref() == "a power of a percent" {
        // A percent squared: the spreadsheet squares its printed number and writes both
        // conversions as one number after it (`idx ** 2 / 10000`).
        return format!(
            "the numbers written beside a power of a percent come to {} in all: the spreadsheet writes its conversion there as {} \
             (idx ** 2 {}), and {} is part of that: the conversion, or a factor of its own? The power is of the fraction (90% ** \
             2 is 0.81): write any factor apart, or pct(x) for it in %",
            spelled(w),
            spelled(c),
            spelled(c),
            spelled(w)
        );
    }
    if !one_percent(c) {
        // Two percents in one product: the spreadsheet writes both conversions as one
        // number (`gdp * rate * growth / 10000`); a number part of the way is unclear.
        return format!(
            "the numbers written beside a product with two percents come to {} in all: the spreadsheet writes both percents' \
             conversions there as {} (gdp * rate * growth {}), and {} is part of that: one percent's conversion, or a factor \
             of its own? Write each percent as its fraction (x * (rate / 100) * (growth / 100)), then any factor apart",
            spelled(w),
            spelled(c),
            spelled(c),
            spelled(w)
        );
    }
    // A product with a percent, or a division by one: what the spreadsheet writes, the
    // two spellings, and what the factor on the percent does to it.
    let (what, sheet, first, second, stays, on_percent) = if c < 1.0 {
        ("a product with a percent", "gdp * rate / 100", "x * (rate / 100)", "x * (rate", "times", w)
    } else {
        ("a division by a percent", "x / completion * 100", "x / (completion / 100)", "x / (completion", "over", 1.0 / w)
    };
    format!(
        "the numbers written beside {what} come to {} in all: the spreadsheet writes the percent's conversion there as {} \
         ({sheet}), and {} may hold it ({} {}) or be a factor of its own. For the first write the percent as its fraction and \
         the factor apart: {first} {}; for the second put the factor on the percent: {second} {}) (a percent {stays} a number \
         stays a percent)",
        spelled(w),
        spelled(c),
        spelled(w),
        spelled(c),
        spelled(w / c),
        spelled(w / c),
        spelled(on_percent)
    )
}

/// The two sides of a sum, difference or comparison in units of one dimension but of
/// another scale (亿元 and 万元) with numbers written by hand into them: numbers that are
/// exactly that conversion (`gdp * 10000 + rev`, 亿元 × 10000 beside 万元) were it, done by
/// hand: that side is read in the other's unit (18000 万元 + 16500 万元), never converted a
/// second time, and a note says so. Numbers that may hold the conversion and more
/// (`gdp * 5000`, `gdp * 10000 * 0.5`, `rev / 20000` beside 亿元: the conversion times 0.5,
/// or a factor of its own?) are refused, saying how to write either; an ordinary factor
/// (`gdp * 2`, `gdp * 0.1`: see [`Zone::Factor`]) is a factor.
fn hand_conversion(a: &mut Series, b: &mut Series, symbol: &str) -> KResult<()> {
    // Between % and ‰ too (`urb + birth / 10`: 7.5‰ written as 0.75%).
    let per_cent_mille = |u: &Unit| !u.is_index() && (same_factor(u.scale, 0.01) || same_factor(u.scale, 0.001));
    let pure = a.unit.is_dimensionless() || b.unit.is_dimensionless();
    if (pure && !(per_cent_mille(&a.unit) && per_cent_mille(&b.unit))) || a.unit == b.unit || (a.scaled_by == 1.0 && b.scaled_by == 1.0) {
        return Ok(());
    }
    let Some(c) = a.unit.factor_to(&b.unit).filter(|&c| power_of_ten(c)) else { return Ok(()) };
    let (ka, kb, pa, pb) = (a.scaled_by, b.scaled_by, a.scaled_pow, b.scaled_pow);
    // One side's numbers are its conversion, with or without a factor (`gdp * 10000 *
    // 0.5 + rev`); the other side's are a factor, with no power of ten (with one, the two
    // sides' numbers are taken together below: `gdp * 10000 + rev * 10000` is `(gdp +
    // rev) * 10000`).
    if holds(ka, pa, c) && same_factor(pb, 1.0) {
        read_as_converted(a, &b.unit, symbol, c);
        return Ok(());
    }
    if holds(kb, pb, 1.0 / c) && same_factor(pa, 1.0) {
        read_as_converted(b, &a.unit, symbol, 1.0 / c);
        return Ok(());
    }
    // One side's numbers are exactly the conversion the other way round (`gdp / 10000 +
    // rev`, 亿元 / 10000 beside 万元): a figure taken to be in the other unit.
    // Numbers past it that way (`gdp / 20000 + rev`) hold it as well.
    for (s, o, k, p, ko, c) in [(&*a, &*b, ka, pa, kb, c), (&*b, &*a, kb, pb, ka, 1.0 / c)] {
        if ko == 1.0 && matches!(zone(k, p, 1.0 / c), Zone::Exact | Zone::Holds | Zone::Beyond) {
            let (from, to) = (s.unit.show(), o.unit.show());
            let holding = if same_factor(k, 1.0 / c) { spelled(k) } else { format!("{}, which holds {},", spelled(k), spelled(1.0 / c)) };
            return Err(Fault::unit(format!(
                "a value in {from} {} written by hand beside a value in {to} with `{symbol}`: {holding} converts {to} to {from}, the \
                 other way round ({from} to {to} is {}), as if the value were in {to} already. Leave the numbers out and let the \
                 units convert (x {symbol} y), or write to(x, \"{to}\") to convert it explicitly",
                written_as(k),
                spelled(c)
            )));
        }
    }
    // Both sides' numbers: their ratio is what converts one side into the other.
    let (q, pq) = (ka / kb, pa / pb);
    let z = zone(q, pq, c);
    let a_holds = if z == Zone::Holds { pa.log10().abs() >= pb.log10().abs() } else { ka.log10().abs() >= kb.log10().abs() };
    match z {
        Zone::One | Zone::Factor => Ok(()),
        Zone::Exact | Zone::Holds if a_holds => {
            read_as_converted(a, &b.unit, symbol, c);
            Ok(())
        }
        Zone::Exact | Zone::Holds => {
            read_as_converted(b, &a.unit, symbol, 1.0 / c);
            Ok(())
        }
        Zone::Beyond | Zone::Unclear => {
            // Named from the side whose numbers would hold the conversion.
            let (s, o, ks, ko, c) = if a_holds { (&*a, &*b, ka, kb, c) } else { (&*b, &*a, kb, ka, 1.0 / c) };
            let (from, to) = (s.unit.show(), o.unit.show());
            let other = if ko == 1.0 { format!("a value in {to}") } else { format!("a value in {to} {} written by hand", written_as(ko)) };
            let q = ks / ko;
            let conv = if c >= 1.0 { shown(c) } else { format!("{} ({})", shown(c), spelled(c)) };
            let all =
                if ko == 1.0 { String::new() } else { format!(" against {} on the other side, {} between them,", spelled(ko), spelled(q)) };
            Err(Fault::unit(format!(
                "a value in {from} {} written by hand beside {other} with `{symbol}`: {from} to {to} is a factor of {conv}, so it is \
                 unclear whether a factor written is that conversion ({}{all} may be {} {}, or a factor of its own). Write the \
                 conversion with to() and no factor: {} for {} of x in {to}, or {} to keep {} a factor",
                written_as(ks),
                spelled(ks),
                spelled(c),
                spelled(q / c),
                times(&format!("to(x, \"{to}\")"), q / c),
                plain(q / c),
                times(&format!("to(x, \"{to}\")"), q),
                plain(q)
            )))
        }
    }
}

/// Side `s` of a sum, difference, comparison or quotient read in `other`: the numbers
/// written into it held the conversion `conv` to it, done by hand; what remains written is
/// a factor.
fn read_as_converted(s: &mut Series, other: &Unit, symbol: &str, conv: f64) {
    let (from, to) = (s.unit.show(), other.show());
    let rest = s.scaled_by / conv;
    let besides = if same_factor(rest, 1.0) { String::new() } else { format!(", with a factor {} besides,", spelled(rest)) };
    super::note(format!(
        "the factor {} written beside a value in {to} is read as the conversion from {from} to {to} done by hand (as in a \
         spreadsheet){besides} not converted a second time by `{symbol}`; to convert explicitly write to(x, \"{to}\")",
        shown(conv)
    ));
    s.unit = other.clone();
    s.scaled_by = rest;
    s.scaled_pow /= conv;
    s.pending = None;
}

/// The two sides of a sum, difference or comparison, a ratio times 100 on either side
/// read as the percent on the other ([`printed_percent`]): what `a - b` subtracts.
pub(crate) fn align_printed(a: &mut Series, b: &mut Series, symbol: &str) -> KResult<()> {
    printed_percent(a, &b.unit, symbol)?;
    printed_percent(b, &a.unit, symbol)?;
    printed_beside_plain(a, b, symbol)
}

/// Two pure numbers, one a ratio times 100 as a spreadsheet writes a percent and the other
/// a plain ratio (`tax / rev * 100 + lag(tax / rev, 1)`): a hundredfold apart in scale,
/// so added or compared as they stand the result is neither. Refused, saying how to write
/// both alike. A number (`x * 100 - 100`) is in the series' unit and not checked.
fn printed_beside_plain(a: &Series, b: &Series, symbol: &str) -> KResult<()> {
    let plain = |s: &Series| s.unit.is_dimensionless() && s.unit.scale == 1.0 && !s.is_scalar() && !s.mask;
    if !(plain(a) && plain(b)) {
        return Ok(());
    }
    let hundred = |s: &Series| same_factor(s.scaled_pow, 100.0);
    let none = |s: &Series| same_factor(s.scaled_pow, 1.0) && same_factor(s.scaled_by, 1.0);
    if (hundred(a) && none(b)) || (none(a) && hundred(b)) {
        return Err(Fault::unit(format!(
            "`{symbol}` of a ratio times 100 (a percent's printed number, as a spreadsheet writes it) and a plain ratio: the two \
             are a hundredfold apart, so the result would be neither; write both sides alike, both times 100 or neither (or \
             pct() of each ratio)"
        )));
    }
    Ok(())
}

/// A pure number that numbers written in the formula made a percent's printed number
/// (`(x / lag(x, 1) - 1) * 100`), met in a sum or comparison with a percent: read in that
/// percent, said in a note. Numbers that may hold the percent's 100 and more (`* 50`,
/// `* 100 * 2`) are refused; an ordinary factor (`* 2`, `/ 2`) is a factor of the number.
fn printed_percent(s: &mut Series, other: &Unit, symbol: &str) -> KResult<()> {
    let Some(sc) = percent_like(other) else { return Ok(()) };
    if !(s.unit.is_dimensionless() && s.unit.scale == 1.0) {
        return Ok(());
    }
    let (k, p) = (s.scaled_by, s.scaled_pow);
    match zone(k, p, 1.0 / sc) {
        Zone::One | Zone::Factor => Ok(()),
        Zone::Exact => {
            super::note(format!(
                "a ratio times {} beside a value in {} is read as that percent written by hand ((x / lag(x, 1) - 1) * 100 is the \
                 growth in %), not a number {} times larger",
                shown(k),
                other.show(),
                shown(k)
            ));
            s.unit = other.clone();
            s.scaled_by = 1.0;
            s.scaled_pow = 1.0;
            Ok(())
        }
        Zone::Holds => {
            super::note(format!(
                "a ratio times {} beside a value in {} is read as that percent written by hand ((x / lag(x, 1) - 1) * 100 is the \
                 growth in %) and a factor {} besides, not a number {} times larger",
                shown(1.0 / sc),
                other.show(),
                shown(k * sc),
                shown(k)
            ));
            s.unit = other.clone();
            s.scaled_by = k * sc;
            s.scaled_pow = 1.0;
            Ok(())
        }
        Zone::Beyond | Zone::Unclear => Err(Fault::unit(format!(
            "a pure number {} written by hand beside a value in {} with `{symbol}`: a ratio times {} is that percent as a \
             spreadsheet writes it, so it is unclear whether {} holds it ({} {}) or is a factor of its own. Write the percent \
             with pct() and the factor after it: {} for {} of the ratio in {}, or {} to keep {} a factor",
            written_as(k),
            other.show(),
            shown(1.0 / sc),
            spelled(k),
            spelled(1.0 / sc),
            spelled(k * sc),
            times("pct(x)", k * sc),
            plain(k * sc),
            other.show(),
            times("pct(x)", k),
            plain(k)
        ))),
    }
}

/// A pure number made a percent's printed number by a `* 100` written in the formula, in
/// percent: what a rule's value `(x / lag(x, 1) - 1) * 100` shows as `{computed:growth}`
/// (10%, not 1000%; a 上年=100 index shows as its 发展速度, 110%). Anything else as it is.
pub fn as_written(mut s: Series) -> Series {
    let percent = Unit::percent();
    if s.unit.is_dimensionless()
        && s.unit.scale == 1.0
        && (same_factor(s.scaled_by * percent.scale, 1.0) || same_factor(s.scaled_pow * percent.scale, 1.0))
    {
        s.unit = percent;
        s.scaled_by *= 0.01;
        s.scaled_pow = 1.0;
    }
    s
}

/// A number written in a formula that is a power of ten (100, 10000, 0.01), not 1.
pub fn power_of_ten(k: f64) -> bool {
    if !(k > 0.0 && k.is_finite()) {
        return false;
    }
    let n = k.log10().round();
    n != 0.0 && n.abs() <= 12.0 && same_factor(k, 10f64.powi(n as i32))
}

/// `x / lag(x, k)` (and `diff(x) / lag(x, k)`) where the earlier value is negative: a
/// loss of 100 grown to a loss of 150 gives 1.5, a "growth" of 50%. As `yoy` does, such
/// cells are left missing, with a note saying how to write a change measured against
/// the base's size.
/// The cells a completion (`before`, `after` a target below zero left them missing) lost
/// to a target below zero, with the actual figure and the target; None when none.
fn negative_targets(before: &[f64], after: &[f64], a: &Series, b: &Series, rows: usize) -> Option<Arc<crate::series::MissingWhy>> {
    let rows = rows.max(1);
    let cells: Vec<(u32, f64, f64)> = before
        .iter()
        .zip(after)
        .enumerate()
        .filter(|(_, (x, y))| !x.is_nan() && y.is_nan())
        .map(|(cell, _)| (cell as u32, a.get(cell % rows, cell / rows), b.get(cell % rows, cell / rows)))
        .collect();
    crate::series::MissingWhy::of(crate::series::WhyMissing::NegativeTarget, cells, &b.unit, b.indicator)
}

fn over_negative_target(out: &mut [f64], target: &Series, name: &str, shape: (usize, usize, bool, bool)) {
    let (rows, cols, by_region, by_period) = shape;
    let mut n = 0usize;
    let mut at: Vec<String> = Vec::new();
    for p in 0..cols {
        for r in 0..rows {
            let (tr, tp) = (if target.by_region { r } else { 0 }, if target.by_period { p } else { 0 });
            let t = target.get(tr, tp);
            let x = &mut out[p * rows + r];
            if t < 0.0 && !x.is_nan() {
                *x = MISSING;
                n += 1;
                if at.len() < 3 {
                    let region = if by_region { target.axes.regions.label(r as u32).to_string() } else { String::new() };
                    let period = if by_period { target.axes.periods.get(p).to_string() } else { String::new() };
                    let place = [region, period].into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
                    let place = if place.is_empty() { String::new() } else { format!("{place}: ") };
                    at.push(format!("{place}{} {}", shown(t), target.unit.show()).trim_end().to_string());
                }
            }
        }
    }
    if n > 0 {
        let more = if n > at.len() { format!(" and {} more", n - at.len()) } else { String::new() };
        super::note(format!(
            "{n} cell(s) left missing: a division by the target `{name}` is a completion percentage, which has no meaning \
             where the target is below zero (a loss limit, 减亏目标; {}{more}): a loss of 50 against a limit of 100 is not \
             50% completed, and a larger loss would read as more. Judge it with target_completion(actual, {name}, 1) (met \
             when actual >= target), or compare the values (actual >= {name}; actual - {name}: by how much); \
             completion(actual, {name}) leaves these cells missing too",
            at.join(", ")
        ));
    }
}

/// A division by an earlier value (`Series::lagged`) that is negative: no growth.
/// A change written by hand over an earlier figure (`x / lag(x, 1)`, `(x - lag(x, 1)) /
/// lag(x, 1)`): the cells over a base of zero or below, and those from a positive base to
/// a figure below zero, with the figure and its base, as `yoy` lists them
/// ([`crate::series::WhyMissing::Base`]): a report says 扭亏为盈 or 由盈转亏 there, never
/// 暂无数据 or 同比下降140%. `a` is the figure, or its change from the base (`diff`).
fn over_bases_by_hand(a: &Series, b: &Series) -> Option<Arc<crate::series::MissingWhy>> {
    let n = a.data.len();
    if b.data.len() != n {
        return None;
    }
    let change = a.change_base.is_some();
    let cells: Vec<(u32, f64, f64)> = (0..n)
        .filter_map(|i| {
            let (v, base) = (a.data.cell(i), b.data.cell(i));
            let x = if change { v + base } else { v };
            let low = base <= 0.0 || (base > 0.0 && x < 0.0);
            (low && !x.is_nan() && !base.is_nan()).then(|| Some((u32::try_from(i).ok()?, x, base))).flatten()
        })
        .collect();
    let of = a.indicator.or(b.indicator).or_else(|| a.change_base.as_ref().and_then(|c| c.of));
    crate::series::MissingWhy::of(crate::series::WhyMissing::Base, cells, &a.unit, of)
}

fn over_negative_base(out: &mut [f64], base: &[f64]) {
    let mut n = 0usize;
    for (x, &b) in out.iter_mut().zip(base) {
        if b < 0.0 && !x.is_nan() {
            *x = MISSING;
            n += 1;
        }
    }
    if n > 0 {
        super::note(format!(
            "{n} cell(s) left missing: a division by an earlier value that is negative (a loss, net exports) gives no growth \
             with a meaningful sign (a loss of 100 grown to 150 is not +50%, nor is one turned into a profit of 50 +150% over \
             the loss's size); yoy(x) leaves them missing too. For the change itself write diff(x); reports say it in words \
             (扭亏为盈, 亏损扩大, 减亏)"
        ));
    }
}

/// `x op lag(x, k)` of a roll-up a region enters (`x - lag(x, 1)`, `x / lag(x, 1) - 1`):
/// where one side counts the region and the other does not yet, the two totals cover
/// different regions: those cells are left missing, with a note (`yoy` and `diff` take
/// them on a comparable basis).
fn across_shifted_entries(ba: &crate::series::Basis, bb: &crate::series::Basis, out: &mut Series) {
    if !out.by_period || out.mask {
        return;
    }
    // Per (target, region): the periods it enters at (or, across regions, where the
    // regions with a value change), in order. A roll-up's region enters once; across
    // regions a town may leave and come back.
    let at = |b: &crate::series::Basis| {
        let mut m: std::collections::BTreeMap<(u32, u32), Vec<u32>> = std::collections::BTreeMap::new();
        for &(r, p, e) in &b.entries {
            m.entry((r, e)).or_default().push(p);
        }
        m
    };
    let (fa, fb) = (at(ba), at(bb));
    let rows = out.rows();
    let cols = out.cols() as u32;
    let axes = out.axes.clone();
    let periods = axes.periods;
    let mut data = out.take_data();
    let mut said = Vec::new();
    let none = Vec::new();
    for key in fa.keys().chain(fb.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (la, lb) = (fa.get(key).unwrap_or(&none), fb.get(key).unwrap_or(&none));
        // The i-th change on one side against the i-th on the other (the lag's are the
        // same changes k periods later); one without a partner counts from then on.
        for i in 0..la.len().max(lb.len()) {
            let (pa, pb) = (la.get(i).copied().unwrap_or(u32::MAX), lb.get(i).copied().unwrap_or(u32::MAX));
            let (from, to) = (pa.min(pb), pa.max(pb).min(cols));
            for p in from..to {
                let cell = p as usize * rows + key.0 as usize;
                if (key.0 as usize) < rows
                    && let Some(v) = data.get_mut(cell)
                    && !v.is_nan()
                {
                    *v = MISSING;
                    let (t, region, from) = (ba.target_label(&axes, key.0), axes.regions.label(key.1), periods.get(from as usize));
                    said.push(if ba.level == crate::series::Basis::ACROSS {
                        format!("{t} {} ({region} has a value on one side only, from {from})", periods.get(p as usize))
                    } else {
                        format!("{t} {} ({region} is counted from {from})", periods.get(p as usize))
                    });
                }
            }
        }
    }
    out.data = Arc::new(data.into());
    if !said.is_empty() {
        said.dedup();
        super::note(format!(
            "{} cell(s) left missing: a roll-up beside its own lag counts a region on one side only, so the two totals cover \
             different regions; yoy(x) and diff(x) give the change on a comparable basis (同口径): {}",
            said.len(),
            said.join(", ")
        ));
    }
}

/// A roll-up's basis through `a op b`: scaled by a number (`x * 2`, `x / 10`, `2 * x`),
/// the comparable basis is scaled as well; any other operation with a roll-up that a
/// region enters (a sum or a ratio of roll-ups, `x + 1`, `1 / x`) keeps the entries, and
/// a change across them is left missing with a note rather than taken over different
/// regions.
fn carry_basis(a: &Series, b: &Series, op: Op, fa: f64, fb: f64, out: &mut Series) {
    if out.mask {
        return;
    }
    let factor = match (op, a.basis.is_some() && b.is_scalar(), b.basis.is_some() && a.is_scalar()) {
        (Op::Mul, true, _) => Some((a, fa * b.data[0] * fb)),
        (Op::Div, true, _) if b.data[0] * fb != 0.0 => Some((a, fa / (b.data[0] * fb))),
        (Op::Mul, _, true) => Some((b, a.data[0] * fa * fb)),
        _ => None,
    };
    match factor {
        Some((based, f)) if f.is_finite() => {
            let unit = out.unit.clone();
            based.basis_through(out, move |src| Ok(map(src.clone(), unit.clone(), src.agg.clone(), |x| x * f)));
        }
        _ => Series::basis_lost(
            &[a, b],
            out,
            &format!(
                "`{}` with a roll-up that a region enters: the comparable basis of each side does not give one of the result",
                op.symbol()
            ),
        ),
    }
}

/// The scale of a percent-like unit (%: 0.01, ‰: 0.001): dimensionless, not 1.
fn percent_like(u: &Unit) -> Option<f64> {
    (u.is_dimensionless() && u.scale != 1.0).then_some(u.scale)
}

/// `op k` turns a percent of `scale` into a fraction: `/ 100` or `* 0.01` for %.
/// And its multiples: `rate / 1200` is the fraction over 12 (a monthly rate, as `(rate /
/// 100) / 12`), `rate / 200` half the fraction, `rate * 0.005` half of `rate * 0.01`: no
/// one divides 10% by 1200 to mean 0.0083%. Any other number keeps the percent: `rate /
/// 365` is the daily 0.0274%.
fn to_fraction(op: Op, k: f64, scale: f64) -> bool {
    match op {
        Op::Div => whole_multiple(k * scale),
        Op::Mul => k > 0.0 && whole_multiple(scale / k),
        _ => false,
    }
}

/// Copies `s` into a larger shape.
pub fn broadcast(s: &Series, by_region: bool, by_period: bool) -> Vec<f64> {
    let rows = if by_region { s.axes.regions.len() } else { 1 };
    let cols = if by_period { s.axes.periods.len } else { 1 };
    let mut out = Vec::with_capacity(rows * cols);
    for p in 0..cols {
        for r in 0..rows {
            out.push(s.get(r, p));
        }
    }
    out
}

/// Series op number (`number_left`: number op series).
pub fn with_number(mut s: Series, k: f64, op: Op, number_left: bool) -> KResult<Series> {
    // s ** 1 is s: its values and its unit (100 亿元 stays 100 亿元, not 1e10 of nothing).
    if op == Op::Pow && !number_left && k == 1.0 {
        return Ok(s);
    }
    if op.is_comparison() {
        fraction_against_percent(&s, k, op, number_left)?;
    }
    // Spreadsheet habit: `gdp * growth / 100` means gdp times 18.14% once. The product
    // already took the percent as a fraction, so this `/ 100` is that conversion, written
    // out: the product as it is (not 100 times smaller). So are the numbers written after
    // it taken together (`/ 2 / 100` and `/ 200` alike), and 万元 / 亿元's 0.0001 after a
    // quotient of the two. Numbers that do not reach the conversion yet are remembered.
    let scaling = op == Op::Mul || (op == Op::Div && !number_left);
    let by = if op == Op::Mul { k } else { 1.0 / k };
    if let Some(p) = s.pending.take() {
        if !(scaling && by.is_finite() && by != 0.0) {
            // Used otherwise (added, compared, a power, under a number): settled there.
            s.pending = Some(p);
            return with_number_settled(s, k, op, number_left);
        }
        let w = p.written * by.abs();
        let wp = p.written_pow * pow_part(by);
        if let Some(rest) = settles(&p, w, wp).filter(|_| !p.consumed) {
            let how = if op == Op::Div { format!("/ {}", shown(k)) } else { format!("* {}", shown(k)) };
            super::note(
                if same_factor(by, p.conversion)
                    && p.written == 1.0
                    && p.kind == crate::series::PendingKind::Percent
                    && one_percent(p.conversion)
                {
                    if p.conversion < 1.0 {
                        format!(
                            "{how} after a product with a percent is read as the spreadsheet's percent conversion written out, not a second one: \
                         gdp * growth {how} = gdp * growth = gdp * (growth {how}); for a second division write it apart, e.g. to(x, \"百万元\")"
                        )
                    } else {
                        format!(
                            "{how} after a division by a percent is read as the spreadsheet's percent conversion written out, not a second one: \
                         x / completion {how} = x / completion (1641 / 149% = 1101.34); for a second factor write it apart, e.g. to(x, \"百万元\")"
                        )
                    }
                } else if !same_factor(conversion_read(&p, wp), p.conversion) {
                    format!(
                        "the numbers written beside {} ({} in all) are read as one percent's conversion done by hand (as in a \
                         spreadsheet){rest}: the product is the percent as printed (52.5% × 52.5% / 100 = 27.5625%; indexes of 110 \
                         and 110: 110 × 110 / 100 = 121%); / {} would be both conversions, the fraction",
                        p.what,
                        spelled(w),
                        shown(1.0 / p.conversion),
                    )
                } else {
                    format!(
                        "the numbers written beside {} ({} in all) hold the conversion the units make there ({}): read as that conversion \
                     done by hand (as in a spreadsheet){rest}, not made a second time",
                        p.what,
                        spelled(w),
                        spelled(p.conversion),
                    )
                },
            );
            let read = conversion_read(&p, wp);
            let f = by / read;
            let out = if same_factor(f, 1.0) { s } else { with_number(s, f, Op::Mul, false)? };
            // One percent's conversion beside two: the percent as printed (52.5 × 52.5 /
            // 100 is 27.5625%; two indexes of 110, 110 × 110 / 100 = 121%, less 100 is 21%).
            return if same_factor(read, p.conversion) { Ok(out) } else { convert(out, &percent_of_scale(read)) };
        }
        let mut out = with_number(s, k, op, number_left)?;
        out.pending = Some(crate::series::Pending { written: w, written_pow: wp, ..p });
        return Ok(out);
    }
    with_number_settled(s, k, op, number_left)
}

/// A fraction compared with a number the size of a percent: a growth (`yoy(gdp) >= 8`),
/// a completion (`completion(rev, lag(rev, 1)) >= 100`) or a share (`share(a, b) > 30`)
/// is held as a fraction (0.1 for 10%), so the comparison holds nowhere (or everywhere)
/// and a rule fails every region in silence (units19 05). Refused where the series is a
/// pure number (not declared in %) of such a kind and `|k|` is past 1 for a growth rate,
/// 5 or more for a ratio near 1: a growth factor of 2 or 4 is a rule's 翻番 (`gdp /
/// lag(gdp, 10) >= 2`), 5 and more never one. A multiple of two figures (`gdp / rev > 9`)
/// is none of these.
fn fraction_against_percent(s: &Series, k: f64, op: Op, number_left: bool) -> KResult<()> {
    use crate::series::RateOf;
    // A fraction times 100 written by hand (`a / b * 100 > 9`) is the percent as printed;
    // one rescaled by its units (`share(rev, gdp)`, 万元 over 亿元) is still a fraction.
    let as_fraction = s.scaled_by <= 1.0 + 1e-9 && s.pending.as_ref().is_none_or(|p| p.kind == crate::series::PendingKind::Quotient);
    let percent = [0.01, 0.001].iter().any(|&c| same_factor(s.unit.scale, c));
    if !(s.unit.is_dimensionless() && !percent && !s.unit.is_index() && !s.mask && as_fraction) {
        return Ok(());
    }
    // A growth rate is near 0 (0.1 for +10%): one of 100% is its largest sensible bound
    // (`yoy(gdp) >= 3` meant 3%, and fails every town at +10%). A ratio near 1 (a
    // completion, a factor over an earlier figure: 翻番 is 2, 翻两番 4) or a share from 5.
    let rate = s.rate.as_ref().is_some_and(RateOf::is_growth_rate);
    if k.abs() < if rate { 1.0 + 1e-9 } else { 5.0 } {
        return Ok(());
    }
    // A ratio to an earlier figure past 10 is a unit slip's check (`gdp / lag(gdp, 1) >
    // 10`: 万元 typed for 亿元); a percent's threshold (80 to 200) never one.
    let factor = s.rate.as_ref().is_some_and(|r| r.is_growth() && !r.is_growth_rate());
    if factor && !(50.0..=200.0).contains(&k.abs()) {
        return Ok(());
    }
    let what = match &s.rate {
        Some(r) if r.is_growth_rate() => "a growth (yoy, growth, cagr)",
        Some(r) if r.is_growth() => "a ratio to an earlier figure (x / lag(x, k), completion(x, lag(x, 1)))",
        Some(RateOf::Level(n)) if n.starts_with("a share") => "a share",
        _ if matches!(&s.agg, Agg::Ratio(parts) if parts.1.target.is_some()) => "a completion of a target",
        _ => {
            // A quotient of two figures of one dimension (税收 / 财政总收入) against exactly 100:
            // a share's percent bound written in percent (rule23 03: `tax / rev <= 100` passed
            // 101.4%). Never a multiple's bound (`gdp / rev > 9`).
            let one_dimension = matches!(&s.agg, Agg::Ratio(parts)
            if !parts.0.unit.is_dimensionless() && parts.0.unit.same_dimension(&parts.1.unit) && s.rate.as_ref().is_none_or(|r| !r.is_growth()));
            if one_dimension && same_factor(k.abs(), 100.0) {
                let n = shown(k);
                let sym = op.symbol();
                let (written, as_fraction, as_percent) = if number_left {
                    (format!("{n} {sym} x"), format!("{} {sym} x", shown(k / 100.0)), format!("{n} {sym} pct(x)"))
                } else {
                    (format!("x {sym} {n}"), format!("x {sym} {}", shown(k / 100.0)), format!("pct(x) {sym} {n}"))
                };
                return Err(Fault::unit(format!(
                    "`{written}` compares a ratio of two figures of one dimension (a share such as 税收 / 财政总收入), held as a \
                 fraction (1.014 for 101.4%), with {n}, that is {}%: it would hold for no region or for all. For {n}% write \
                 {as_fraction}, or {as_percent}; for {n} times, {}",
                    shown(k * 100.0),
                    if number_left { format!("1 {sym} x / {n}") } else { format!("x / {n} {sym} 1") }
                )));
            }
            return Ok(());
        }
    };
    let n = shown(k);
    let sym = op.symbol();
    let written = if number_left { format!("{n} {sym} x") } else { format!("x {sym} {n}") };
    let fraction = shown(k / 100.0);
    let (as_fraction, as_percent) = if number_left {
        (format!("{fraction} {sym} x"), format!("{n} {sym} pct(x)"))
    } else {
        (format!("x {sym} {fraction}"), format!("pct(x) {sym} {n}"))
    };
    Err(Fault::unit(format!(
        "`{written}` compares {what}, held as {}, with {n}, that is {}%: it would hold for no region or for all. For {n}% \
         write {as_fraction}, or {as_percent}",
        if rate || what == "a share" { "a fraction (0.1 for 10%)" } else { "a ratio (1.2 for 120%)" },
        shown(k * 100.0)
    )))
}

/// `k / x` with x in a percent-like `unit`: a number over a percent reads two ways (over
/// its fraction, a figure over its completion rate; over its printed number, the rule of
/// 72), so it is refused saying how to write each; Ok for `100 / x` (one over the fraction
/// either way: the 100 is the percent's conversion).
pub fn number_over_percent(k: f64, unit: &Unit) -> KResult<()> {
    let Some(scale) = percent_like(unit) else { return Ok(()) };
    // An index (上年=100) is a number as printed, as a spreadsheet holds it (110, not a
    // cell formatted 110%): 100 / idx is 0.909, 10000 / idx ** 2 a two-year deflator.
    if unit.is_index() || same_factor(k * scale, 1.0) {
        return Ok(());
    }
    let u = unit.show();
    // A number not known yet (`at()` in `check`, which reads no facts): k.
    let k = if k.is_finite() { shown(k) } else { "k".to_string() };
    let printed = shown(1.0 / scale);
    Err(Fault::unit(format!(
        "`{k} / x` with x in {u}: a number over a percent reads two ways, and neither is assumed: over its fraction (a figure \
         over its completion rate, 1641 / 149% = 1101.34), write the number with its unit, amount({k}, \"万元\") / x, or {k} / \
         (x / {printed}); over its printed number (the rule of 72, 72 / 8% = 9), write {k} / (x / {printed}) / {printed}"
    )))
}

/// [`with_number`] of a series with no conversion left open in it (or one that the
/// operation settles: `binary` does).
fn with_number_settled(mut s: Series, k: f64, op: Op, number_left: bool) -> KResult<Series> {
    let (written, written_pow) = (s.scaled_by, s.scaled_pow);
    let percent_rule = percent_like(&s.unit).is_some();
    let (s_unit, s_lagged, s_leads, s_target, s_why) = (s.unit.clone(), s.lagged, s.leads, s.target.clone(), s.missing_why.clone());
    let s_declared = s.declared;
    // Spreadsheet habit: a percent series over 100 (or times 0.01) is its printed number
    // made a fraction (18.14% / 100 = 0.1814), so `1 + growth / 100` works as analysts
    // write it; so is a power of it. By any other number it stays a percent: half of
    // 10% is 5%, and twice it 20%.
    let mut stays_percent = None;
    // `1 + growth` with growth a percent: the 1 would be 1% (13.5% for 12.5%), while the
    // growth factor (1.125) is what is meant: refused, saying how to write either.
    if let Some(scale) = percent_like(&s.unit)
        && !s.unit.is_index()
        && number_left
        && matches!(op, Op::Add | Op::Sub)
        && k == 1.0
    {
        let u = s.unit.show();
        let sign = if op == Op::Add { "+" } else { "-" };
        let pt = if scale == 0.01 { "one percentage point (1个百分点)" } else { "one point" };
        return Err(Fault::unit(format!(
            "`1 {sign} x` with x in {u}: the 1 would be read as 1{u}, not as the whole; for the growth factor write 1 {sign} x / \
             {} (12.5{u} gives 1 {sign} {}), for {pt} write x {sign} 1 with x first",
            shown(1.0 / scale),
            12.5 * scale
        )));
    }
    // A number over a percent reads two ways: over its fraction (a figure over its
    // completion rate, 1641 / 149% = 1101.34, as a series over it is) or over its printed
    // number (the rule of 72, 72 / 8 = 9). Each was taken for the other without a word (a
    // figure from at() or a table's sum is a number): refused, saying how to write each.
    // `100 / rate` is the one reading of both: the 100 is the percent's conversion written
    // by hand (1 / 0.13 = 100 / 13 = 7.69), said in a note, as a spreadsheet writes
    // `output / (100 / rate)` for output × 13%.
    if let Some(scale) = percent_like(&s.unit)
        && number_left
        && op == Op::Div
        && same_factor(k * scale, 1.0)
    {
        let u = s.unit.show();
        super::note(format!(
            "{} / x with x in {u} is read as one over its fraction, the {} being the spreadsheet's percent conversion (100 / 13{u} \
             = 1 / 0.13 = 7.69); for a figure of {} over x as a rate write it with its unit, amount({}, \"万元\") / x",
            shown(k),
            shown(k),
            shown(k),
            shown(k)
        ));
    } else if percent_like(&s.unit).is_some() && number_left && op == Op::Div {
        number_over_percent(k, &s.unit)?;
    }
    if let Some(scale) = percent_like(&s.unit) {
        // A power of a percent is of its fraction, in the base or the exponent (133.8% **
        // 0.2 is 1.0600, 90% ** 2 is 0.81, as 90% * 90% is): `binary` takes it so.
        // An index's power is of its printed number, as the spreadsheet takes it (110 ** 2 /
        // 10000 = 1.21, 110 ** 5 / 100 ** 4 = 161.05); a percent's is of its fraction.
        if (to_fraction(op, k, scale) && (!number_left || op == Op::Mul))
            || (number_left && op == Op::Div)
            || (op == Op::Pow && s.unit.is_index())
        {
            s.unit = Unit::one();
        } else if op == Op::Mul || (op == Op::Div && !number_left) {
            stays_percent = Some(s.unit.clone());
        }
    }
    // In + - and comparisons the number is in the series' unit; in * / it is a pure factor.
    let kunit = match op {
        Op::Mul | Op::Div | Op::Pow | Op::And | Op::Or => Unit::one(),
        _ => s.unit.clone(),
    };
    let agg = s.agg.clone();
    let was_sum = matches!(agg, Agg::Sum);
    let rounded = s.rounded.clone();
    let k_series = s.shaped(false, false, vec![k], kunit, Agg::Sum);
    let scaling = matches!(op, Op::Mul) || (matches!(op, Op::Div) && !number_left);
    // The side's regions made of their children, read only where the rule is dropped
    // below (`1 / x`, `x - 0.5`: [`binary`] keeps a rule there); where `binary`'s own
    // result has no rule it keeps them itself, and a kept rule (`x * 100`) finds them
    // from its own cells: no pass over the cells for those.
    let drops = (number_left && op == Op::Div) || (matches!(op, Op::Add | Op::Sub) && k != 0.0 && k.is_finite() && was_sum);
    let before = if drops { super::rollup::made_of_inputs(&[&s], s.by_region, s.by_period, s.data.len()) } else { None };
    let power_of_percent = percent_like(&s.unit).filter(|_| op == Op::Pow && !number_left && written == 1.0 && !s.unit.is_index());
    // A percent's or per mille's ×10 or /10 written before (`birth / 10`, the hand
    // conversion between ‰ and %) is still that conversion after a factor of its own
    // (`birth / 10 / 2`, as `birth / 2 / 10`): remembered below, and not read as a factor
    // by the conversion back to the percent here.
    let tenth_before = percent_rule
        && !s.unit.is_index()
        && (same_factor(s_unit.scale, 0.01) || same_factor(s_unit.scale, 0.001))
        && (same_factor(written_pow, 10.0) || same_factor(written_pow, 0.1));
    if percent_rule {
        s.scaled_by = 1.0;
        s.scaled_pow = 1.0;
    }
    let mut out = if number_left { binary(k_series, s, op)? } else { binary(s, k_series, op)? };
    if let Some(u) = stays_percent {
        out = convert(out, &u)?;
    }
    // A whole power of a percent is its fraction's (108 ** 2 is 1.1664); the spreadsheet
    // squares the printed 108 and writes the conversion after it (`gdp * idx ** 2 /
    // 10000`): that number is read as it, never as a second one, as after a product.
    if let Some(scale) = power_of_percent
        && k.fract() == 0.0
        && (2.0..=12.0).contains(&k)
        && power_of_ten(scale.powf(k))
    {
        out.pending = Some(crate::series::Pending {
            kind: crate::series::PendingKind::Percent,
            conversion: scale.powf(k),
            written: 1.0,
            written_pow: 1.0,
            what: Arc::from("a power of a percent"),
            consumed: false,
        });
    }
    // A number over a series (a reciprocal, 1 / gdp) has no roll-up rule: the towns'
    // values do not add up to the county's, and the number over the county's total is
    // another figure. Said here, where the reason is known (the roll-up would otherwise
    // find a side that is no series over regions and blame an aggregation).
    if number_left && op == Op::Div {
        let k = crate::format::number(k);
        out.agg = Series::no_rollup(format!(
            "`{k} / x` (a number over a series) does not roll up: the regions' values of {k} / x do not add up to their \
             parent's, and {k} over the parent's total is another figure; roll up first and divide after \
             ({k} / rollup(x, \"county\")), or define it as an indicator with a rollup rule (mean, weighted_mean(w))"
        ));
    }
    // The power of ten written here is remembered (see `Series::scaled_by`); a number
    // added or compared is in the series' unit and keeps what was written before it.
    // A percent or a per mille times 10 or over 10 (`birth / 10` of 7.5‰ declared in %,
    // `urb * 10` declared in ‰): the spreadsheet's conversion between the two, remembered
    // so that a declared unit or a sum beside the other reads it as that conversion done by
    // hand, not a second one (0.75%, not 0.075%).
    let tenfold = percent_rule
        && !number_left
        && matches!(op, Op::Mul | Op::Div)
        && (same_factor(k, 10.0) || same_factor(k, 0.1))
        && (same_factor(s_unit.scale, 0.01) || same_factor(s_unit.scale, 0.001))
        && !s_unit.is_index();
    let by = if op == Op::Mul { k } else { 1.0 / k };
    out.scaled_by = match op {
        _ if tenfold => by,
        Op::Mul | Op::Div if tenth_before && !number_left => times_written(written, by),
        Op::Add | Op::Sub if tenth_before => written,
        _ if percent_rule => 1.0,
        Op::Div if number_left && k.is_finite() && k != 0.0 => times_written(1.0 / written, k),
        Op::Mul => times_written(written, k),
        Op::Div if !number_left => times_written(written, 1.0 / k),
        Op::Add | Op::Sub => written,
        _ => 1.0,
    };
    out.scaled_pow = match op {
        _ if tenfold => by,
        Op::Mul | Op::Div if tenth_before && !number_left && k.is_finite() && k != 0.0 => written_pow * pow_part(by),
        Op::Add | Op::Sub if tenth_before => written_pow,
        _ if percent_rule => 1.0,
        // k / x: the numbers written over it, and those in it below.
        Op::Div if number_left && k.is_finite() && k != 0.0 => pow_part(k) / written_pow,
        Op::Mul if k.is_finite() && k != 0.0 => written_pow * pow_part(k),
        Op::Div if !number_left && k.is_finite() && k != 0.0 => written_pow / pow_part(k),
        Op::Mul | Op::Div if !number_left => written_pow,
        Op::Add | Op::Sub => written_pow,
        _ => 1.0,
    };
    // A growth ratio less one (`x / lag(x, 1) - 1`) is missing where the ratio was, for the
    // same reason, and its change from a profit to a loss is still one.
    // (Only that: `pct(yoy(x)) - 1` is no longer known to be over that base.)
    if op == Op::Sub && !number_left && k == 1.0 && s_unit.is_dimensionless() && s_unit.scale == 1.0 && !s_unit.is_index() {
        out.missing_why = s_why.clone();
    }
    if scaling {
        // Scaling by a constant keeps the roll-up rule (a ratio scales its numerator).
        out.agg = match agg {
            Agg::Ratio(nd) => {
                let f = if op == Op::Mul { k } else { 1.0 / k };
                let mut num = with_number(nd.0.clone(), f, Op::Mul, false)?;
                // The numerator scaled by a positive number rolls up as it did (k times its
                // sum): a region made of its children shows the parts' roll-ups divided
                // again (`loc / fis * 100` at a county made of its towns), as the ratio
                // unscaled does.
                num.declared = nd.0.declared && f.is_finite() && f > 0.0;
                Agg::Ratio(Arc::new((num, nd.1.clone())))
            }
            other => other,
        };
        // A declared roll-up scaled by a positive number is still its roll-up, scaled:
        // k times a sum, a mean, a minimum is the sum, the mean, the minimum of k times
        // the figures (`loc * 100 / fis` at a county made of its towns).
        out.declared = s_declared && !percent_rule && k.is_finite() && (if op == Op::Mul { k } else { 1.0 / k }) > 0.0;
        // A lag scaled by a positive number is still the earlier value's sign.
        out.lagged = s_lagged && (if op == Op::Mul { k } else { 1.0 / k }) > 0.0;
        out.leads = s_leads && (if op == Op::Mul { k } else { 1.0 / k }) > 0.0;
        // So is a target (its sign kept): a division by it is still a completion.
        out.target = s_target.filter(|_| (if op == Op::Mul { k } else { 1.0 / k }) > 0.0);
        // Cells missing for a reason stay missing for it.
        out.missing_why = s_why.filter(|_| (if op == Op::Mul { k } else { 1.0 / k }) > 0.0);
        // Rounded values scaled (round(gdp, 1) * 10000): their roll-up rounds the total
        // as they were rounded, then scales it.
        if !percent_rule && out.unit == s_unit {
            let f = if op == Op::Mul { k } else { 1.0 / k };
            out.rounded = rounded.map(|r| r.scaled(f));
        }
    }
    // A number added to a sum (qty - 0.5) is in every region's value once: the towns'
    // values add up to their county's qty less 0.5 per town, not less 0.5 (by hand, towns
    // of 1 and 3: 0.5 + 2.5 = 3, where the county's qty - 0.5 is 3.5).
    if matches!(op, Op::Add | Op::Sub) && k != 0.0 && k.is_finite() && was_sum && matches!(out.agg, Agg::Sum) {
        let x = if number_left {
            format!("{} {} x", crate::format::number(k), op.symbol())
        } else {
            format!("x {} {}", op.symbol(), crate::format::number(k))
        };
        let after = if number_left {
            format!("{} {} rollup(x, \"county\")", crate::format::number(k), op.symbol())
        } else {
            format!("rollup(x, \"county\") {} {}", op.symbol(), crate::format::number(k))
        };
        out.agg = Series::no_rollup(format!(
            "`{x}` (a number added to a sum) does not roll up: each region's value holds the number once, so the regions' \
             values do not add up to their parent's `{x}`; roll up first and add after ({after}), or define it as an \
             indicator with rollup = \"sum\" where the number belongs to every region"
        ));
    }
    // A rule kept (`gdp * 2`) finds its regions made of children from its own cells, as
    // before the product; one dropped keeps the series' (`gdp - 0.5`, `1 / gdp`).
    if !matches!(out.agg, Agg::None(_)) {
        out.made_of = None;
    } else if out.made_of.is_none() {
        super::rollup::set_made_of(&mut out, before);
    }
    // `100 - share` is the rest of a whole's share, a level in % of its own: less another
    // share it is the share of what is left (100 - 一产占比 - 二产占比, 2%), not a change in
    // 百分点 (see `binary`).
    if number_left && op == Op::Sub && !out.mask && !s_unit.is_index() && matches!(&*out.unit.symbol, "%" | "‰") {
        out.rate = Some(crate::series::RateOf::Percent(Arc::from(format!("{}{COMPLEMENT}", crate::format::number(k)))));
    }
    Ok(out)
}

/// The periods the rows of `a op b` come from, when either side is a region's latest
/// figure ([`Series::periods_of`]); an error where the two sides of a region come from
/// different periods (`latest(gdp) / latest(pop)`: GDP of 2021 over population of 2020).
fn periods_of(a: &Series, b: &Series, by_region: bool, by_period: bool, op: Op) -> KResult<Option<Arc<Vec<u32>>>> {
    let of = |s: &Series| s.periods_of.clone().filter(|_| s.by_region && !s.by_period);
    if !by_region {
        return Ok(None);
    }
    if by_period {
        // A latest figure set beside every period of a series over periods: where the
        // regions' latest figures are of different years, each period's row mixes them
        // (乙镇's 2020 GDP over its 2021 population, shown under 2021).
        for (side, other) in [(a, b), (b, a)] {
            let Some(of) = of(side) else { continue };
            if other.by_period && other.by_region {
                mixed_latest(&of, side, op)?;
            }
        }
        return Ok(None);
    }
    let (pa, pb) = (of(a), of(b));
    let (Some(x), Some(y)) = (&pa, &pb) else { return Ok(pa.or(pb)) };
    if let Some(r) = (0..x.len().min(y.len())).find(|&r| x[r] != u32::MAX && y[r] != u32::MAX && x[r] != y[r]) {
        let axis = a.axes.periods;
        return Err(Fault::type_(format!(
            "`{}` of two latest figures of different periods: {}'s are of {} and {}; take one period of both, \
             in_period(x, \"{}\")",
            op.symbol(),
            a.axes.regions.label(r as u32),
            axis.get(x[r] as usize),
            axis.get(y[r] as usize),
            axis.get(x[r].min(y[r]) as usize)
        )));
    }
    Ok(pa)
}

/// Refuses `op` of latest figures of different periods with a series over periods.
fn mixed_latest(of: &[u32], s: &Series, op: Op) -> KResult<()> {
    let mut first: Option<(usize, u32)> = None;
    for (r, &p) in of.iter().enumerate().filter(|(_, p)| **p != u32::MAX) {
        match first {
            None => first = Some((r, p)),
            Some((r0, p0)) if p0 != p => {
                let axis = s.axes.periods;
                let (late, early) = if p0 > p { ((r0, p0), (r, p)) } else { ((r, p), (r0, p0)) };
                return Err(Fault::type_(format!(
                    "`{}` of latest figures with a series over periods: {}'s latest is of {} and {}'s of {}, so each period \
                     would be set beside figures of different years; take one period of both, in_period(x, \"{}\"), or \
                     compare latest figures with latest figures",
                    op.symbol(),
                    s.axes.regions.label(late.0 as u32),
                    axis.get(late.1 as usize),
                    s.axes.regions.label(early.0 as u32),
                    axis.get(early.1 as usize),
                    axis.get(early.1 as usize),
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Applies `f` to every value, in place when possible.
pub fn map(mut s: Series, unit: Unit, agg: Agg, f: impl Fn(f64) -> f64 + Sync + Send) -> Series {
    let f = |x| finite(f(x));
    // A result without a roll-up rule keeps the cells made of children where `f` leaves
    // a missing cell missing (`round(gdp * r, 1)`, `-(gdp * r)`): read before `s`'s
    // values may be reused.
    let made = if matches!(agg, Agg::None(_)) && f(f64::NAN).is_nan() {
        super::rollup::made_of_inputs(&[&s], s.by_region, s.by_period, s.data.len())
    } else {
        None
    };
    // A series that keeps only some rows (crate::cells) keeps them when `f` leaves a
    // missing value missing: every other row stays missing.
    let kept = s.data.kept().filter(|k| f(f64::NAN).is_nan() && k.total_rows == s.rows() && k.cols == s.cols()).map(|k| {
        let mut values = k.values.clone();
        super::par_map(&mut values, f);
        crate::cells::Cells::on_rows(k.rows.clone(), k.total_rows, k.cols, values)
    });
    let mask = s.mask;
    // A cell-wise function of one figure (`round(gdp, 1)`, `to(gdp, "万元")`) is that
    // figure in another form; taken before `s`'s values may be reused.
    let form_of = super::itself::form(&s);
    let mut out = match kept {
        Some(cells) => s.with_cells(cells, unit, agg),
        None => {
            let d = if Arc::strong_count(&s.data) > 1 {
                super::par_map_new(&s.data, f)
            } else {
                let mut d = s.take_data();
                super::par_map(&mut d, f);
                d
            };
            s.with(d, unit, agg)
        }
    };
    out.mask = mask;
    // Cell by cell: a cell shown with its children's roll-up, or a roll-up, is still one.
    out.shown = s.shown.clone();
    out.covered = s.covered.clone();
    out.counts = s.counts.clone();
    out.rolled = s.rolled.clone();
    out.shown_of = s.shown_of.clone();
    out.own_since = s.own_since.clone();
    out.form_of = if mask { None } else { form_of };
    if made.is_some() {
        super::rollup::set_made_of(&mut out, made);
    }
    // A change across a region's entry is not known of an arbitrary function of a
    // roll-up: those that keep the quantity (to, round, fill) carry the basis instead.
    if s.basis.is_some() {
        Series::basis_lost(&[&s], &mut out, "a function of a roll-up that a region enters");
    }
    out
}

/// [`map`] that keeps the quantity a per-region one of the same regions (a unit, a
/// rounding, a fill): a roll-up's comparable basis goes through `f` too.
pub fn map_keeping(mut s: Series, unit: Unit, agg: Agg, f: impl Fn(f64) -> f64 + Sync + Send + Clone + 'static) -> Series {
    let basis = s.basis.take();
    let (scaled_by, scaled_pow, lagged, leads, listed) = (s.scaled_by, s.scaled_pow, s.lagged, s.leads, s.listed.clone());
    let (target, rate, spread, sized_base) = (s.target.clone(), s.rate.clone(), s.spread, s.sized_base.clone());
    let g = f.clone();
    let mut out = map(s, unit.clone(), agg, f);
    // A rate rounded, filled or in another unit is still that rate (or its change), and
    // 1-N月累计 still 累计.
    out.rate = rate;
    out.spread = spread;
    // A hand-written factor (`round(loc / fis * 100, 1)`) is still in the values, a base
    // (rounded, in another unit) is still one, and a gap still a gap. A conversion left
    // open is consumed (`Pending::consumed`): `round(gdp * growth, 1) / 100` rounded at a
    // scale the `/ 100` may change.
    out.scaled_by = scaled_by;
    out.scaled_pow = scaled_pow;
    out.lagged = lagged;
    out.leads = leads;
    out.sized_base = sized_base;
    out.listed = listed;
    // A target in another unit, rounded or filled, is still the target (fill(target.x, 0)
    // keeps its sign where it has one).
    out.target = target;
    if let Some(b) = basis {
        let carrier = Series { basis: Some(b), ..out.clone() };
        carrier.basis_through(&mut out, move |src| Ok(map(src.clone(), unit.clone(), src.agg.clone(), g.clone())));
    }
    out
}

/// Converts to another unit of the same dimension.
pub fn convert(s: Series, to: &Unit) -> KResult<Series> {
    let f = s
        .unit
        .factor_to(to)
        .ok_or_else(|| Fault::unit(format!("cannot convert {} to {}: different dimensions", s.unit.show(), to.show())))?;
    // Already in that unit: the same values, not a copy (a check converting a panel
    // indicator that is already in % would otherwise copy the whole matrix).
    if s.unit == *to {
        return Ok(s);
    }
    // A conversion left open (`rev / gdp / 100` declared in %: 万元 / 亿元's 0.0001 and the
    // percent's 100, both written by hand) is settled against this one.
    let mut s = settle(s, Some(to))?;
    // Numbers written in the formula that are this very conversion were it, done by
    // hand: `loc / fis * 100` declared in % is 40%, not 4000%; `gdp * 10000 / pop` (亿元,
    // 万人) declared in 元/人 is 10000 元/人, not 1e8.
    let k = s.scaled_by;
    if k != 1.0 && same_factor(f, k) {
        super::note(format!(
            "the factor {} written in the formula is read as the conversion from {} to {} done by hand, not a second one",
            shown(k),
            s.unit.show(),
            to.show()
        ));
        s.unit = to.clone();
        s.scaled_by = 1.0;
        s.scaled_pow = 1.0;
        return Ok(s);
    }
    // The powers of ten written are this conversion, other numbers a factor besides:
    // `(x / lag(x, 1) - 1) * 100 / 12` declared in % is the monthly 1.04%, not 104%.
    let p = s.scaled_pow;
    if power_of_ten(f) && zone(k, p, f) == Zone::Holds {
        super::note(format!(
            "the factor {} written in the formula is read as the conversion from {} to {} done by hand, not a second one, \
             and the {} besides as a factor",
            shown(f),
            s.unit.show(),
            to.show(),
            plain(k / f)
        ));
        s.unit = to.clone();
        s.scaled_by = k / f;
        s.scaled_pow = 1.0;
        return Ok(s);
    }
    // A power of ten written against the conversion (`* 10000` converting to a scale
    // 10000 times larger): a unit mixed up, or a factor? Refused, saying how to write it.
    if power_of_ten(f) && zone(k, p, f) == Zone::Unclear && p.log10() * f.log10() < 0.0 {
        let (from, to) = (s.unit.show(), to.show());
        let x = format!("to(x, \"{to}\")");
        return Err(Fault::unit(format!(
            "the numbers written in the formula come to {} in all, a conversion the other way round from the one from {from} to \
             {to} ({}): leave them out and let the units convert, {x}, or, if they are a factor of their own, write it after the \
             conversion: {}",
            spelled(k),
            spelled(f),
            times(&x, k)
        )));
    }
    // Numbers that may hold this conversion and more (`loc / fis * 50` declared in %: 100 ×
    // 0.5, or 50 times the ratio?) are refused, saying how to write either.
    if power_of_ten(f) && matches!(zone(k, p, f), Zone::Beyond | Zone::Unclear) {
        let (from, to) = (s.unit.show(), to.show());
        let x = format!("to(x, \"{to}\")");
        return Err(Fault::unit(format!(
            "the numbers written in the formula come to {} in all, and the conversion from {from} to {to} is {} ({}): it is unclear \
             whether they hold that conversion ({} is {} {}) or are a factor of their own. Write the formula without them (x: \
             the units convert {from} to {to} themselves) and put the factor after the conversion: {} for {} of x in {to}, or \
             {} to keep {} a factor",
            spelled(k),
            shown(f),
            spelled(f),
            spelled(k),
            spelled(f),
            spelled(k / f),
            times(&x, k / f),
            plain(k / f),
            times(&x, k),
            plain(k)
        )));
    }
    // Only where a power of ten was written: a factor of no power of ten (`target / 12`, a
    // month's share; `* 0.5`, a half year's) can be no conversion, and the note invited
    // taking a right factor out.
    if k != 1.0 && !same_factor(p, 1.0) {
        // A factor written by hand beside a conversion by another one: both are applied,
        // and said (gdp * 10000 / pop declared 万元/人: the units need no factor there).
        super::note(format!(
            "the factor {} written in the formula is kept as a factor: the conversion from {} to {} multiplies by {} \
             itself; if the {} was meant as this conversion, take it out",
            shown(k),
            s.unit.show(),
            to.show(),
            shown(f),
            shown(k)
        ));
    }
    let (agg, rounded, lagged, leads, why) = (s.agg.clone(), s.rounded.clone(), s.lagged, s.leads, s.missing_why.clone());
    let mut out = map_keeping(s, to.clone(), agg, move |x| x * f);
    // A lag in another unit is still the earlier value (a division by it is a change).
    out.lagged = lagged;
    out.leads = leads;
    // Cells missing for a reason stay missing for it (`pct(yoy(profit))`).
    out.missing_why = why;
    // Rounded values converted: their roll-up rounds as they were rounded, then converts.
    out.rounded = rounded.map(|r| r.scaled(f));
    Ok(out)
}

/// `where(mask, a, b)`: a where the mask is true, b where false, missing where unknown.
pub fn select(mask: &Series, mut a: Series, mut b: Series) -> KResult<Series> {
    // where(m, loc / fis * 100, rate): the ratio times 100 is that percent.
    align(&mut a, &mut b, "where")?;
    // What the sides read, taken before their values may be reused for the result.
    let gap_origin = super::gaps::joined_origin(&a, &b);
    // A mask of one period choosing figures of another (`where(in_period(gdp, 2021) > 50,
    // in_period(gdp, 2019), 0)`): every chosen cell is missing, and the sum was 0.
    if mask.by_period && !(mask.lagged || mask.leads) {
        let pm = periods_with_figures(mask);
        for side in [&a, &b] {
            if side.by_period && !(side.lagged || side.leads) {
                periods_apart(&pm, side, "where")?;
            }
        }
    }
    let (unit, _, fb) = units(Op::Add, &a.unit, &b.unit)?;
    let by_region = mask.by_region || a.by_region || b.by_region;
    let by_period = mask.by_period || a.by_period || b.by_period;
    let rows = if by_region { a.axes.regions.len() } else { 1 };
    let cols = if by_period { a.axes.periods.len } else { 1 };
    let mut out = Vec::with_capacity(rows * cols);
    for p in 0..cols {
        for r in 0..rows {
            let m = mask.get(r, p);
            out.push(if m.is_nan() {
                MISSING
            } else if m != 0.0 {
                a.get(r, p)
            } else {
                b.get(r, p) * fb
            });
        }
    }
    let mut out = a.shaped(by_region, by_period, out, unit, Series::no_rollup("`where` results do not roll up"));
    // Each cell reads one side or the other: a growth guarded by a mask (`where(lag(gdp,
    // 1) > 0, gdp / lag(gdp, 1) - 1, 0)`) is a gap where the growth is (review27 02).
    out.gap_origin = gap_origin;
    // Each cell one side's figure or a number: a form of the figures the sides are
    // (`where(gdp >= 0, gdp, 0)` is gdp's, review29 03); a side that is a lag of a figure
    // counts as that figure (a carried-forward `where(is_missing(gdp), lag(gdp, 1), gdp)`
    // is gdp's, review30 02).
    let figure = |s: &Series| s.lag_source.clone().filter(|_| s.lagged).or_else(|| super::itself::form(s));
    out.form_of = super::itself::joined([&a, &b].into_iter().filter(|s| !s.is_scalar()).map(figure));
    // A county made of its towns stays so through `where` (fill, is_missing see it).
    super::rollup::keep_made_of(&[mask, &a, &b], &mut out);
    // Each cell adds what the side it took adds (`where(p > 0, p, 1)` of a total).
    super::unlike::chosen(mask, &a, &b, &mut out);
    // where(lag(x, 1) != 0, lag(x, 1), 1): every cell an earlier value or a number, a base.
    out.lagged = lagged_result(Op::Add, &a, &b);
    // where(m, yoy(rate), 0): each cell the rate's change or a number.
    out.rate = match (&a.rate, &b.rate) {
        (Some(x), Some(y)) if x == y => Some(x.clone()),
        (Some(x), None) if no_rate_number(&b) => Some(x.clone()),
        (None, Some(y)) if no_rate_number(&a) => Some(y.clone()),
        _ => None,
    };
    out.spread = match (a.spread, b.spread) {
        (Some(x), Some(y)) if x == y => Some(x),
        (Some(x), None) if no_spread_number(&b) => Some(x),
        (None, Some(y)) if no_spread_number(&a) => Some(y),
        _ => None,
    };
    Series::basis_lost(&[&a, &b], &mut out, "`where` over a roll-up that a region enters");
    // A number in `where(m, share * 100, 0)` is in the series' unit: the factor stays.
    // So does one on the other side (`where(rev == 0, 0, tax / rev * 100)`).
    if a.scaled_by == b.scaled_by || b.is_scalar() {
        out.scaled_by = a.scaled_by;
        out.scaled_pow = a.scaled_pow;
    } else if a.is_scalar() {
        out.scaled_by = b.scaled_by;
        out.scaled_pow = b.scaled_pow;
    }
    Ok(out)
}

/// 完成率: actual / target as a fraction. Over a target below zero (a loss limit, 减亏目标
/// of -100 万元) a percentage has no meaning (a loss of 50 against a limit of 100 is not
/// "50% completed", and a larger loss would read as more than 100%): those cells are
/// missing, with a note saying what to compare instead, as growth over a negative base is.
/// A target of zero is a division by zero (missing, counted). `what` names the caller.
pub fn completion(actual: Series, target: Series, what: &str) -> KResult<Series> {
    // Its own note below names the caller: the division's (`Series::target`) would repeat it.
    let mut ratio = binary(actual.clone(), Series { target: None, ..target.clone() }, Op::Div)?;
    let (rows, cols) = (ratio.rows(), ratio.cols());
    let mut data = ratio.take_data();
    let mut negative = 0usize;
    let mut cells = Vec::new();
    for p in 0..cols {
        for r in 0..rows {
            let v = &mut data[p * rows + r];
            let t = target.get(r, p);
            if !v.is_nan() && t < 0.0 {
                cells.push(((p * rows + r) as u32, actual.get(r, p), t));
                *v = MISSING;
                negative += 1;
            }
        }
    }
    ratio.data = std::sync::Arc::new(data.into());
    if let Some(why) = crate::series::MissingWhy::of(crate::series::WhyMissing::NegativeTarget, cells, &target.unit, target.indicator) {
        ratio.missing_why = Some(why);
    }
    crate::memory::made(&ratio.data);
    if negative > 0 {
        super::note(format!(
            "{what}: {negative} cell(s) have a target below zero (a loss limit, 减亏目标): a completion percentage has no \
             meaning there and is left missing; compare the values instead (actual >= target: the limit is kept; actual - \
             target: by how much)"
        ));
    }
    Ok(ratio)
}

#[cfg(test)]
mod tests {
    /// The union of two listings is sorted, once each, against a naive sort and dedup.
    #[test]
    fn listings_merge_sorted_without_repeats() {
        let cases: [(&[u32], &[u32]); 5] =
            [(&[], &[]), (&[1, 3, 5], &[]), (&[], &[2]), (&[1, 3, 5], &[2, 3, 6, 9]), (&[4, 4, 7], &[4, 7, 8])];
        for (a, b) in cases {
            let mut naive: Vec<u32> = a.iter().chain(b).copied().collect();
            naive.sort_unstable();
            naive.dedup();
            assert_eq!(super::union_sorted(a, b), naive, "{a:?} {b:?}");
        }
    }
}
