//! Whole numbers and decimals in scripts, one mechanism for every function and operator.
//!
//! Analysts write numbers as in Excel: `** (1/2)`, `fill(s, 0)`, `top(s, 3.0)`. Rhai
//! keeps integers and floats apart (`1/2` is 0 and `fill(s, 0)` finds no function), so:
//!
//! - `/` between plain numbers is true division (`1/2` = 0.5, as in Excel, R and
//!   Python 3); division by zero gives missing and is counted, never `inf`.
//! - `**` between plain numbers gives a decimal when the exponent is negative or the
//!   result does not fit; a missing base or exponent stays missing (`NaN ** 0` is not 1).
//! - every registered function with a decimal parameter (`f64`) also takes a whole
//!   number there, and every whole-number parameter (`i64`) also takes a decimal that is
//!   whole (`top(s, 3.0)`; `top(s, 2.5)` is an error naming the parameter). The variants
//!   are generated from each function's signature when it is registered ([`widen`]),
//!   carry no doc comment (so the reference lists each function once) and convert their
//!   arguments before calling the original.
//!
//! Whole-number literals stay integers elsewhere (array indices, `0..10` ranges).

use crate::Raised;
use rhai::{Dynamic, Engine, EvalAltResult, FLOAT, INT, ImmutableString, NativeCallContext};
use std::any::TypeId;

type R = Result<Dynamic, Box<EvalAltResult>>;

/// A registered function's name, parameter types and parameter descriptions.
pub(crate) struct Signature {
    pub name: String,
    pub types: Vec<TypeId>,
    pub params: Vec<String>,
}

impl Signature {
    /// Reads what `register_into_engine` recorded.
    pub fn of(meta: &rhai::FuncMetadata) -> Signature {
        Signature {
            name: meta.name.to_string(),
            types: meta.param_types.to_vec(),
            params: meta.params_info.iter().map(|p| p.to_string()).collect(),
        }
    }
}

#[derive(Clone, Copy)]
enum Num {
    Float,
    Int,
}

/// Registers, for a function with number parameters, the variants that take the other
/// kind of number in any of those positions (2^k - 1 variants for k number parameters).
pub(crate) fn widen(e: &mut Engine, sig: Signature) {
    let positions: Vec<(usize, Num)> = sig
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            if *t == TypeId::of::<FLOAT>() {
                Some((i, Num::Float))
            } else if *t == TypeId::of::<INT>() {
                Some((i, Num::Int))
            } else {
                None
            }
        })
        .collect();
    if positions.is_empty() || positions.len() > 4 {
        return;
    }
    for mask in 1u32..(1 << positions.len()) {
        let mut types = sig.types.clone();
        let mut convert: Vec<(usize, Num, String)> = Vec::new();
        for (j, &(i, kind)) in positions.iter().enumerate() {
            if mask & (1 << j) == 0 {
                continue;
            }
            types[i] = match kind {
                Num::Float => TypeId::of::<INT>(),
                Num::Int => TypeId::of::<FLOAT>(),
            };
            let pname = sig.params.get(i).and_then(|p| p.split(':').next()).map(|p| p.trim().to_string()).unwrap_or_default();
            convert.push((i, kind, pname));
        }
        let name = sig.name.clone();
        e.register_raw_fn(sig.name.clone(), types, move |ctx: NativeCallContext, args: &mut [&mut Dynamic]| -> R {
            for (i, kind, pname) in &convert {
                let a = &mut *args[*i];
                *a = match kind {
                    Num::Float => Dynamic::from_float(a.as_int().unwrap_or_default() as FLOAT),
                    Num::Int => Dynamic::from_int(whole(a.as_float().unwrap_or(FLOAT::NAN), &name, pname)?),
                };
            }
            ctx.call_native_fn_raw(&name, true, args)
        });
    }
}

/// A plain number a script gave, whole or decimal, as f64; Err(type name) for
/// anything else. The one place a result is read as a number.
pub fn number_of(v: &Dynamic) -> Result<FLOAT, &'static str> {
    v.as_float().or_else(|_| v.as_int().map(|i| i as FLOAT))
}

/// The refusal of `x ^ y` between whole numbers (a bitwise exclusive or in Rhai, a power
/// in Excel).
fn caret(x: INT, y: INT) -> Box<EvalAltResult> {
    format!(
        "`^` is no power in scripts (between whole numbers it is a bitwise exclusive or: {x} ^ {y} would be {}): write a \
         power as `**`, {x} ** {y}",
        x ^ y
    )
    .into()
}

/// A decimal passed where a whole number is expected: accepted when it is whole.
fn whole(x: FLOAT, func: &str, param: &str) -> Result<INT, Box<EvalAltResult>> {
    if x.is_finite() && x.fract() == 0.0 && x.abs() <= 9.0e15 {
        return Ok(x as INT);
    }
    let shown = if x.is_nan() { "a missing value".to_string() } else { format!("{x}") };
    let what = if param.is_empty() { "this argument".to_string() } else { format!("`{param}`") };
    Err(format!("{func}: {what} must be a whole number, not {shown}").into())
}

/// `a op b` of two script numbers, either of which may carry a record table's unit
/// ([`crate::unit_tag`]): the other is read in the first one's unit where both carry one
/// of a dimension (3.5亿元 + 100万元 = 3.51亿元; 3.5亿元 > 100万元), and a sum, a
/// difference or a multiple by a plain number keeps the unit (`t.sum(c) * 2` is still in
/// 亿元), except a power of ten, a conversion by hand (`t.sum(c) * 10000`: plain). A quotient of two in one dimension is a plain ratio (350); a product, or a
/// quotient of other dimensions, a plain number, as any arithmetic of two figures was.
/// A sum or comparison of figures of other dimensions (亿元 and 人) is refused.
fn with_units(op: &'static str, a: &Dynamic, b: &Dynamic) -> Result<Dynamic, Box<EvalAltResult>> {
    let (x, y) = (number_of(a).unwrap_or(FLOAT::NAN), number_of(b).unwrap_or(FLOAT::NAN));
    let (ua, ub) = (crate::unit_tag::unit_of(a), crate::unit_tag::unit_of(b));
    let plain = |x: FLOAT, y: FLOAT| -> Result<Dynamic, Box<EvalAltResult>> {
        Ok(match op {
            "+" => Dynamic::from_float(x + y),
            "-" => Dynamic::from_float(x - y),
            "*" => Dynamic::from_float(x * y),
            "/" => Dynamic::from_float(divide(x, y)),
            _ => Dynamic::from_bool(compare_checked(op, x, y)?),
        })
    };
    let tagged = |v: Result<Dynamic, Box<EvalAltResult>>, u: &yearbook_core::unit::Unit| {
        v.map(|d| crate::unit_tag::tagged(d.as_float().unwrap_or(FLOAT::NAN), Some(u)))
    };
    let adds = matches!(op, "+" | "-");
    let compares = !matches!(op, "+" | "-" | "*" | "/");
    // A percent (a figure at() gives of a rate, a table's 完成率（%）) in a product or
    // a quotient is its fraction, as a series in % is: 100万元 × 10% is 10万元, 1641万美元
    // / 149% is 1101.34万美元 (they were 1000 and 11.01, plain). A bare number over one
    // reads two ways and is refused as a series' is.
    let pct = |u: &Option<yearbook_core::unit::Unit>| u.as_ref().and_then(crate::unit_tag::fraction_scale);
    match (op, pct(&ua), pct(&ub)) {
        ("*", Some(sa), Some(sb)) => return plain(x * sa, y * sb),
        ("*", Some(sa), None) if ub.is_some() => return tagged(plain(x * sa, y), ub.as_ref().unwrap_or(&yearbook_core::unit::Unit::one())),
        ("*", None, Some(sb)) if ua.is_some() => return tagged(plain(x, y * sb), ua.as_ref().unwrap_or(&yearbook_core::unit::Unit::one())),
        ("/", None, Some(sb)) => {
            return match &ua {
                Some(u) => tagged(plain(x, y * sb), u),
                None => yearbook_core::kernel::arith::number_over_percent(x, ub.as_ref().unwrap_or(&yearbook_core::unit::Unit::one()))
                    .map(|_| Dynamic::from_float(divide(x * sb, y * sb)))
                    .map_err(|f| f.raised()),
            };
        }
        _ => {}
    }
    match (ua, ub) {
        (None, None) => plain(x, y),
        (Some(u), Some(v)) => match v.factor_to(&u) {
            Some(f) if adds => tagged(plain(x, y * f), &u),
            Some(f) if op == "/" || compares => plain(x, y * f),
            None if adds || compares => Err(yearbook_core::error::Fault::unit(format!(
                "`{op}` of a figure in {} and one in {}: they are of different kinds and have no sum or order",
                u.show(),
                v.show()
            ))
            .raised()),
            _ => plain(x, y),
        },
        // A power of ten (`* 10000`, `/ 10000`) converts by hand: the result is a plain
        // number, as it was, never the figure's unit read a second time.
        (Some(u), None) if adds || ((op == "*" || op == "/") && !power_of_ten(y)) => tagged(plain(x, y), &u),
        (None, Some(v)) if adds || (op == "*" && !power_of_ten(x)) => tagged(plain(x, y), &v),
        _ => plain(x, y),
    }
}

/// A script number as a decimal (a whole number converted); missing for anything else.
fn float_of(d: &Dynamic) -> FLOAT {
    number_of(d).unwrap_or(FLOAT::NAN)
}

/// `x` with the unit `from` carries (see [`crate::unit_tag`]).
pub(crate) fn kept(x: FLOAT, from: &Dynamic) -> Dynamic {
    crate::unit_tag::tagged(x, crate::unit_tag::unit_of(from).as_ref())
}

/// The larger (or smaller) of two script numbers, in the unit either carries: a figure in
/// 亿元 against one in 万元 is compared in 亿元 (max(3.5亿元, 100万元) is 3.5亿元); a plain
/// number beside a figure is in its unit. Missing where either is; figures of other
/// dimensions (亿元 and 人) have no order.
pub(crate) fn picked(a: &Dynamic, b: &Dynamic, larger: bool, name: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    let (x, y) = (float_of(a), float_of(b));
    let (ua, ub) = (crate::unit_tag::unit_of(a), crate::unit_tag::unit_of(b));
    let (unit, y) = match (ua, ub) {
        (Some(u), Some(v)) => match v.factor_to(&u) {
            Some(f) => (Some(u), y * f),
            None => {
                return Err(yearbook_core::error::Fault::unit(format!(
                    "`{name}` of a figure in {} and one in {}: they are of different kinds and have no order",
                    u.show(),
                    v.show()
                ))
                .raised());
            }
        },
        (u, v) => (u.or(v), y),
    };
    let v = if x.is_nan() || y.is_nan() {
        FLOAT::NAN
    } else if (x >= y) == larger {
        x
    } else {
        y
    };
    Ok(crate::unit_tag::tagged(v, unit.as_ref()))
}

/// Whether two texts are one ([`yearbook_core::table::folded`]): equal, or equal once
/// folded, said in a note.
fn same_text(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return false;
    }
    let same = yearbook_core::table::folded(a) == yearbook_core::table::folded(b);
    if same {
        yearbook_core::kernel::note(format!(
            "\"{a}\" and \"{b}\" are taken as one text: they differ only in full-width and half-width forms (（ and (, Ａ and \
             A) or in spaces padding Chinese words (甲　镇 and 甲镇), as group_by takes them"
        ));
    }
    same
}

/// 10, 100, 0.0001, ...: a factor that converts between units (亿元 and 万元) by hand.
fn power_of_ten(x: FLOAT) -> bool {
    let k = x.abs().log10();
    x != 0.0 && k.is_finite() && k.round() != 0.0 && (k - k.round()).abs() < 1e-9
}

/// True division between plain numbers; missing on a zero divisor (counted).
pub(crate) fn divide(x: FLOAT, y: FLOAT) -> FLOAT {
    if y == 0.0 {
        yearbook_core::kernel::count_div_zero(1);
        FLOAT::NAN
    } else {
        x / y
    }
}

/// x ** y between plain numbers: missing stays missing.
pub(crate) fn power(x: FLOAT, y: FLOAT) -> FLOAT {
    if x.is_nan() || y.is_nan() { FLOAT::NAN } else { x.powf(y) }
}

/// x ** y between whole numbers: whole when it fits (Ok), else a decimal (Err).
pub(crate) fn int_power(x: INT, y: INT) -> Result<INT, FLOAT> {
    u32::try_from(y).ok().and_then(|y| x.checked_pow(y)).ok_or_else(|| (x as FLOAT).powf(y as FLOAT))
}

/// `x << k`, refused where a bit would be lost (Rhai's own wraps: 1 << 64 is 0).
fn shift_left(x: INT, k: INT) -> Result<INT, Box<EvalAltResult>> {
    u32::try_from(k).ok().filter(|&k| k < 64).map(|k| x.wrapping_shl(k)).filter(|&v| (v >> k.clamp(0, 63)) == x).ok_or_else(|| {
        format!(
            "`{x} << {k}` does not fit in a whole number (64 bits, up to 9223372036854775807): it would wrap around; write {x} * \
             2.0 ** {k} for the decimal"
        )
        .into()
    })
}

/// `x >> k`, refused for a shift of 64 bits or more, or below 0.
fn shift_right(x: INT, k: INT) -> Result<INT, Box<EvalAltResult>> {
    u32::try_from(k)
        .ok()
        .filter(|&k| k < 64)
        .map(|k| x >> k)
        .ok_or_else(|| format!("`{x} >> {k}`: a shift is by 0 to 63 bits; write {x} / 2.0 ** {k} for the decimal").into())
}

/// Where a comparison's message starts when one side is an empty cell; `filter` names
/// the cell's column and row.
pub(crate) const EMPTY_CELL: &str = "cannot compare an empty cell";
/// Where a comparison's message starts when text of digits is a code; `filter` names
/// the cell's column and row.
pub(crate) const CODE_TEXT: &str = "cannot compare the code";

/// A number written as text in a ledger (`"2021"`) compared with a number: by value,
/// exactly. Text of digits is read as a whole number and compared as one (never through
/// a decimal, which cannot tell 18-digit codes apart); text with a leading zero
/// (户号 `0012`) or with more digits than a decimal holds is a code, and text that is no
/// number cannot be compared with one: errors naming both and the quoted form.
fn text_cmp(text: &str, n: Num2, op: &str, text_left: bool) -> Result<bool, Box<EvalAltResult>> {
    if let Num2::F(f) = n
        && f.is_nan()
    {
        return Err(missing_cmp(&format!("\"{text}\""), if text_left { flipped(op) } else { op }));
    }
    let t = text.trim();
    let shown = match n {
        Num2::I(i) => i.to_string(),
        Num2::F(f) => yearbook_core::format::number(f),
    };
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let code = |why: &str| -> Box<EvalAltResult> {
        format!("{CODE_TEXT} \"{text}\" with the number {shown} using `{op}`: {why}; compare it as text: `x {op} \"{text}\"`").into()
    };
    if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(code("a leading zero makes it a code, not a number"));
    }
    // 3.10 beside 3.1 in a column of 编号: by value the two were one item (`p.编号 == 3.1`
    // matched both). A zero that ends the digits after a point is written for a reason.
    if let Some((whole, frac)) = digits.split_once('.')
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() > 1
        && frac.bytes().all(|b| b.is_ascii_digit())
        && frac.ends_with('0')
    {
        return Err(code("a zero ending its digits after the point makes it a code or a spelling (3.10 is not 3.1 as a code)"));
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let Ok(whole) = t.parse::<i128>() else { return Err(code("it has more digits than a number holds")) };
        let other: Option<i128> = match n {
            Num2::I(i) => Some(i as i128),
            Num2::F(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30 => Some(f as i128),
            Num2::F(_) => None,
        };
        if let Some(o) = other {
            let (x, y) = if text_left { (whole, o) } else { (o, whole) };
            return Ok(yearbook_core::number::compare_as(op, &x, &y));
        }
        if digits.trim_start_matches('0').len() > 15 {
            return Err(code("it has more digits than a decimal holds"));
        }
    }
    // A year as yearbooks spell it (`"2021年"`, `"２０２１"`) is that year, as a year
    // column of a ledger reads it.
    let parsed = t.parse::<FLOAT>().ok().or_else(|| yearbook_core::table::year_spelling(t));
    match parsed {
        Some(v) if !t.is_empty() && v.is_finite() => {
            let f = match n {
                Num2::I(i) => i as FLOAT,
                Num2::F(f) => f,
            };
            Ok(if text_left { compare(op, v, f) } else { compare(op, f, v) })
        }
        _ => Err(format!(
            "cannot compare the text \"{text}\" with the number {shown} using `{op}`: compare text with text (\"…\") or numbers with numbers"
        )
        .into()),
    }
}

/// The number side of a text-number comparison, as the script wrote it.
#[derive(Clone, Copy)]
enum Num2 {
    I(INT),
    F(FLOAT),
}

/// An empty cell (`()`) compared with a value: neither true nor false, so an error that
/// says how to test for it; `filter` adds its column and row.
fn empty_cmp(other: &Dynamic, op: &str) -> Box<EvalAltResult> {
    let shown = if let Ok(t) = other.clone().into_immutable_string() { format!("\"{t}\"") } else { other.to_string() };
    format!(
        "{EMPTY_CELL} with {shown} using `{op}`: a missing value is neither {op} {shown} nor the opposite; \
         test for it first: `x != () && x {op} {shown}`, or fill it: `(x ?? 0) {op} {shown}`"
    )
    .into()
}

/// Where a comparison's message starts when a plain number is missing (`at(gdp, "t2",
/// 2020)` of a town without that figure).
pub(crate) const MISSING_NUMBER: &str = "cannot compare a missing value";

/// A missing number compared with `other` (as the script would write it): neither true
/// nor false, so an error that says how to test for it or fill it. Never a plain bool an
/// `if` would take silently.
fn missing_cmp(other: &str, op: &str) -> Box<EvalAltResult> {
    format!(
        "{MISSING_NUMBER} with {other} using `{op}`: a missing value is neither {op} {other} nor the opposite; \
         test for it first: `!is_missing(x) && x {op} {other}`, or fill it: `fill(x, 0) {op} {other}`"
    )
    .into()
}

/// The value of a figure taken out of a panel of no periods (`at()` in `check`, which
/// reads no facts): a missing value (a NaN) with a payload of its own, so that a
/// comparison of it gives a bool as `run`'s comparison of the figure will, where a
/// missing value's is an error. Arithmetic keeps a NaN's payload on the machines we build
/// for; where it does not, the comparison errs as a missing value's, which `check` skips.
pub(crate) fn unread() -> FLOAT {
    FLOAT::from_bits(UNREAD_BITS)
}

const UNREAD_BITS: u64 = 0x7ff8_0000_0000_0ca1;

/// Whether `x` is [`unread`]'s value (of either sign).
fn is_unread(x: FLOAT) -> bool {
    x.to_bits() & !(1u64 << 63) == UNREAD_BITS
}

/// The operator with its sides swapped: `2 > x` is said as `x < 2`.
fn flipped(op: &str) -> &str {
    match op {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        same => same,
    }
}

/// A comparison of plain numbers as scripts make it: those that print the same are
/// equal, and a missing number on either side is an error ([`missing_cmp`]).
pub(crate) fn compare_checked(op: &str, x: FLOAT, y: FLOAT) -> Result<bool, Box<EvalAltResult>> {
    let shown = |v: FLOAT| yearbook_core::format::number(v);
    // A figure `check` has not read ([`unread`]): the comparison is a bool there as it is
    // in `run`, so what is done with it is judged alike (a rule's check that gives a bool).
    if is_unread(x) || is_unread(y) {
        return Ok(false);
    }
    match (x.is_nan(), y.is_nan()) {
        (false, false) => Ok(compare(op, x, y)),
        (true, false) => Err(missing_cmp(&shown(y), op)),
        (false, true) => Err(missing_cmp(&shown(x), flipped(op))),
        (true, true) => Err(format!(
            "{MISSING_NUMBER} with another missing value using `{op}`: neither is {op} the other nor the opposite; \
             test for them first: `!is_missing(x) && !is_missing(y) && x {op} y`"
        )
        .into()),
    }
}

/// A comparison of decimals: those that print the same are equal. Callers decide what a
/// missing side means first ([`compare_checked`] for scripts).
pub(crate) fn compare(op: &str, x: FLOAT, y: FLOAT) -> bool {
    yearbook_core::kernel::arith::compare_approx(op, x, y)
}

/// A maths function of one decimal.
pub(crate) type Maths = fn(FLOAT) -> FLOAT;

/// `x` rounded half up to `digits` decimals (negative: to tens, hundreds), as a series'
/// `round(s, digits)` rounds each value.
pub(crate) fn round_to(x: FLOAT, digits: INT) -> FLOAT {
    yearbook_core::format::round_decimal(x, digits.clamp(-15, 15) as i32)
}

/// `round(x)`: to a whole number, half away from zero on the decimal value as printed
/// (四舍五入, as `round(x, 0)` and Excel's ROUND): round(0.285 * 100) is 29, though the
/// product is 28.499999999999996 in binary, which Rhai's own `round` gave as 28.
fn round_whole(x: FLOAT) -> FLOAT {
    round_to(x, 0)
}

/// The maths functions of one decimal in Rhai's standard package, as it computes them
/// (`log` of one argument is base 10); whole numbers are taken as decimals. `floor`,
/// `ceiling` and `int` cut the decimal value: int(0.29 * 100) is 29, though the product is
/// 28.999999999999996 in binary (`format::snap_whole`).
pub(crate) const DECIMAL_MATHS: [(&str, Maths); 8] = [
    ("sqrt", FLOAT::sqrt),
    ("exp", FLOAT::exp),
    ("ln", FLOAT::ln),
    ("log", FLOAT::log10),
    ("floor", |x| yearbook_core::format::snap_whole(x).floor()),
    ("ceiling", |x| yearbook_core::format::snap_whole(x).ceil()),
    ("round", round_whole),
    ("int", |x| yearbook_core::format::snap_whole(x).trunc()),
];

/// Whether text spells a number: digits with a sign or decimals (`60`, `-1.5`, `1e3`,
/// a code `001`), or a year as yearbooks spell it (`2021年`).
fn spells_number(text: &str) -> bool {
    let t = text.trim();
    t.bytes().any(|b| b.is_ascii_digit())
        && (t.parse::<FLOAT>().is_ok_and(FLOAT::is_finite)
            || yearbook_core::table::year_spelling(t).is_some()
            || yearbook_core::text_order::cell(t).rank() == 0)
}

/// `a + b`, `a - b`, `max`/`min` of two texts that both spell a figure (a ledger's text
/// column: 100 and 60): `+` joined them ("10060"), `-` took one out of the other, `max`
/// ordered them as text ("9" above "100"). Refused, naming both ways to write it.
fn texts_of_figures(op: &str, a: &str, b: &str) -> Box<EvalAltResult> {
    let (written, numbers) = if op.len() == 1 {
        (format!("\"{a}\" {op} \"{b}\""), format!("parse_float(x) {op} parse_float(y)"))
    } else {
        (format!("{op}(\"{a}\", \"{b}\")"), format!("{op}(parse_float(x), parse_float(y))"))
    };
    format!(
        "`{written}`: both texts spell a figure (a table's column is text where one of its cells is no number), and \
         `{op}` of two texts is no arithmetic on them; for the figures read them as numbers ({numbers}), for text write \
         `${{x}}${{y}}`"
    )
    .into()
}

/// `text + number` (`text_left`) or `number + text`: joined as text, as Rhai joins them,
/// unless the text spells a number, where the sum and the joined text are both what
/// could be meant (60 + 3 is 63 or "603"): refused, naming both ways to write it.
fn text_plus(ctx: &NativeCallContext, text: ImmutableString, n: Dynamic, text_left: bool) -> Result<Dynamic, Box<EvalAltResult>> {
    if spells_number(&text) {
        let shown = match n.as_float() {
            Ok(f) => yearbook_core::format::number(f),
            Err(_) => n.to_string(),
        };
        let (l, r) = if text_left { (format!("\"{text}\""), shown.clone()) } else { (shown.clone(), format!("\"{text}\"")) };
        return Err(format!(
            "`{l} + {r}`: the text \"{text}\" spells a number, and `+` of text and a number joins them as text (\"{joined}\"), \
             not their sum; for the sum read the text as a number (parse_float(x) + {shown}; a table's column is text \
             where one of its cells is no number: make that cell a number or leave it empty), for text write `${{x}}${{y}}`",
            joined = if text_left { format!("{text}{shown}") } else { format!("{shown}{text}") }
        )
        .into());
    }
    // The number as `to_string` gives it (a figure without binary noise), as Rhai joins.
    let n: ImmutableString = ctx.call_native_fn("to_string", (n,))?;
    Ok(Dynamic::from(if text_left { format!("{text}{n}") } else { format!("{n}{text}") }))
}

/// `a op b` (`<`, `<=`, `>`, `>=`) of two texts: by value where both spell a figure or a
/// code of digits (`yearbook_core::text_order`: `"12.5%" > "5%"`, `"9" < "60"`); false
/// for a blank against a figure; an error for a word against a figure; else as text, as
/// Rhai orders them.
fn text_ordering(a: &str, b: &str, op: &str) -> Result<bool, Box<EvalAltResult>> {
    use yearbook_core::text_order::{by_value, cell};
    let (x, y) = (cell(a), cell(b));
    let ord = match (x.rank(), y.rank()) {
        (0, 0) => by_value(&x, &y).unwrap_or(std::cmp::Ordering::Equal),
        // A blank against a figure: no figure, so neither below nor above (false).
        (0, 2) | (2, 0) => return Ok(false),
        // A word (另计) against a figure has no order.
        (0, _) | (_, 0) => {
            return Err(format!(
                "`\"{a}\" {op} \"{b}\"`: one text spells a figure and the other does not (a table's column is text where one of \
                 its cells is no number, such as 另计), so they have no order; leave such rows out first \
                 (`filter(|p| p.x != \"另计\")`)"
            )
            .into());
        }
        _ => match yearbook_core::table::month_against_date(a, b, op) {
            Some((held, note)) => {
                if let Some(n) = note {
                    yearbook_core::kernel::note(n);
                }
                return Ok(held);
            }
            None => {
                // A word (待定, 未开工) against a date has no order either: as text 待定 sorted
                // after every date (`>= "2021-03-01"` kept it).
                let dated = |t: &str| {
                    let t = t.trim();
                    yearbook_core::table::date_text(t).is_some() || yearbook_core::table::month_text(t).as_deref() == Some(t)
                };
                let word = |t: &str| !t.trim().is_empty() && !t.chars().any(|c| c.is_ascii_digit());
                if (dated(a) && word(b)) || (word(a) && dated(b)) {
                    let w = if word(a) { a } else { b };
                    return Err(format!(
                        "`\"{a}\" {op} \"{b}\"`: one text is a date and the other a word ({w}), so they have no order; leave \
                         such rows out first (`filter(|p| p.x != \"{w}\")`)"
                    )
                    .into());
                }
                a.cmp(b)
            }
        },
    };
    Ok(yearbook_core::number::compare_as(op, &ord, &std::cmp::Ordering::Equal))
}

/// Registers the operators on plain numbers and the text-number comparisons. Needs
/// `Engine::set_fast_operators(false)`, else built-in operators win.
pub(crate) fn register(e: &mut Engine) {
    // `+`, `-` and `*` of decimals as Rhai computes them, registered so that the
    // optimizer does not fold them at compile time: a folded `0.1 + 0.2` inside a
    // constant `${...}` was turned into text by Rhai's own Display
    // (0.30000000000000004), past `to_string`, which reads figures without binary noise.
    // A record table's figure carries its file's unit (`t.sum("投资（亿元）")`, see
    // `unit_tag`): the operators read it, so 3.5亿元 + 100万元 is 3.5100亿元, not 103.5.
    let pairs = [
        [TypeId::of::<FLOAT>(), TypeId::of::<FLOAT>()],
        [TypeId::of::<INT>(), TypeId::of::<FLOAT>()],
        [TypeId::of::<FLOAT>(), TypeId::of::<INT>()],
    ];
    for op in ["+", "-", "*", "/"] {
        for types in pairs {
            e.register_raw_fn(op, types, move |_, args: &mut [&mut Dynamic]| with_units(op, args[0], args[1]));
        }
    }
    // ... and so do `s += x` and `s = s + x` (which Rhai turns into `+=`): a loop adding a
    // table's figures in 亿元 kept them in 亿元 only through `+` (its `+=` dropped the unit).
    for (op, assign) in [("+", "+="), ("-", "-="), ("*", "*="), ("/", "/=")] {
        for types in pairs {
            e.register_raw_fn(assign, types, move |_, args: &mut [&mut Dynamic]| -> Result<(), Box<EvalAltResult>> {
                let v = with_units(op, args[0], args[1])?;
                *args[0] = v;
                Ok(())
            });
        }
    }
    e.register_fn("/", |x: INT, y: INT| divide(x as FLOAT, y as FLOAT));
    // `x /= 2` on a whole number becomes a decimal, like `x = x / 2`.
    e.register_raw_fn("/=", [TypeId::of::<INT>(), TypeId::of::<INT>()], |_, args: &mut [&mut Dynamic]| -> Result<(), Box<EvalAltResult>> {
        let (x, y) = (args[0].as_int().unwrap_or_default(), args[1].as_int().unwrap_or_default());
        *args[0] = Dynamic::from_float(divide(x as FLOAT, y as FLOAT));
        Ok(())
    });
    e.register_fn("**", |x: INT, y: INT| match int_power(x, y) {
        Ok(v) => Dynamic::from_int(v),
        Err(v) => Dynamic::from_float(v),
    });
    // A percent's power is of its fraction, as a series' is: at(rate) ** 2 of 90% is 0.81,
    // in the base or the exponent.
    for types in pairs {
        e.register_raw_fn("**", types, |_, args: &mut [&mut Dynamic]| -> Result<FLOAT, Box<EvalAltResult>> {
            let fraction = |d: &Dynamic| {
                let scale = crate::unit_tag::unit_of(d).as_ref().and_then(crate::unit_tag::fraction_scale).unwrap_or(1.0);
                number_of(d).unwrap_or(FLOAT::NAN) * scale
            };
            Ok(power(fraction(args[0]), fraction(args[1])))
        });
    }
    // An ordering of two texts that both spell a figure: by value. A ledger's column is text
    // where one cell is no figure, or where its cells carry a % (5.2%, 12.5%): as text
    // `p.rate > "5%"` left out 12.5% and `p.inv > "60"` took 9 (a tester's finds).
    for op in ["<", "<=", ">", ">="] {
        e.register_fn(op, move |a: ImmutableString, b: ImmutableString| text_ordering(&a, &b, op));
    }
    e.register_fn("+", |a: ImmutableString, b: ImmutableString| -> Result<ImmutableString, Box<EvalAltResult>> {
        if spells_number(&a) && spells_number(&b) {
            return Err(texts_of_figures("+", &a, &b));
        }
        Ok(a + b)
    });
    // A missing cell of a table column (`()`) joined to text: —, as a missing figure is
    // (Rhai's `"投资" + ()` dropped it, so the sentence read as if nothing were missing).
    e.register_fn("+", |a: ImmutableString, _: ()| -> ImmutableString { a + yearbook_core::format::MISSING });
    e.register_fn("+", |_: (), b: ImmutableString| -> ImmutableString { ImmutableString::from(yearbook_core::format::MISSING) + b });
    e.register_raw_fn(
        "+=",
        [TypeId::of::<ImmutableString>(), TypeId::of::<()>()],
        |_, args: &mut [&mut Dynamic]| -> Result<(), Box<EvalAltResult>> {
            let joined = format!("{}{}", args[0].clone().into_immutable_string().unwrap_or_default(), yearbook_core::format::MISSING);
            *args[0] = Dynamic::from(joined);
            Ok(())
        },
    );
    // Rhai's `-` of texts takes every copy of the second out of the first.
    e.register_fn("-", |a: ImmutableString, b: ImmutableString| -> Result<ImmutableString, Box<EvalAltResult>> {
        if spells_number(&a) && spells_number(&b) {
            return Err(texts_of_figures("-", &a, &b));
        }
        Ok(a.replace(b.as_str(), "").into())
    });
    for (name, largest) in [("max", true), ("min", false)] {
        e.register_fn(name, move |a: ImmutableString, b: ImmutableString| -> Result<ImmutableString, Box<EvalAltResult>> {
            if spells_number(&a) && spells_number(&b) {
                return Err(texts_of_figures(name, &a, &b));
            }
            Ok(if (a >= b) == largest { a } else { b })
        });
    }
    // `^` between whole numbers is Rhai's bitwise exclusive or: Excel's power `10 ^ 4`
    // was 14 and `2 ^ 3` was 1, silently. Refused, naming `**`.
    e.register_fn("^", |x: INT, y: INT| -> Result<INT, Box<EvalAltResult>> { Err(caret(x, y)) });
    e.register_raw_fn("^=", [TypeId::of::<INT>(), TypeId::of::<INT>()], |_, args: &mut [&mut Dynamic]| -> Result<(), Box<EvalAltResult>> {
        Err(caret(args[0].as_int().unwrap_or_default(), args[1].as_int().unwrap_or_default()))
    });
    // Shifts as Rhai computes them wrap: 1 << 64 is 0, 1 << 63 a negative number. A
    // shift that loses a bit (or goes past 63) is refused, as `*` that overflows is.
    e.register_fn("<<", shift_left);
    e.register_fn(">>", shift_right);
    // ... and so do `x <<= k`, `x >>= k`.
    for (op, f) in [("<<=", shift_left as fn(INT, INT) -> Result<INT, Box<EvalAltResult>>), (">>=", shift_right)] {
        e.register_raw_fn(
            op,
            [TypeId::of::<INT>(), TypeId::of::<INT>()],
            move |_, args: &mut [&mut Dynamic]| -> Result<(), Box<EvalAltResult>> {
                let (x, k) = (args[0].as_int().unwrap_or_default(), args[1].as_int().unwrap_or_default());
                *args[0] = Dynamic::from_int(f(x, k)?);
                Ok(())
            },
        );
    }
    // The maths functions of Rhai's standard package take decimals only: sqrt(4) found
    // no function. Whole numbers are taken as decimals, as everywhere else.
    for (name, f) in DECIMAL_MATHS {
        e.register_fn(name, move |x: INT| f(x as FLOAT));
    }
    // A figure's unit (a table's 亿元, at()'s) stays through what leaves it a figure of that
    // unit: rounding, cutting, its size and sign (`round(t.sum("投资（亿元）"), 2)` beside
    // 万元 was read as 万元, 10000 times off). Registered raw: a typed parameter would
    // drop the tag the unit rides on.
    // ... `floor`, `ceiling` and `int` of a decimal cut its decimal value (int(0.29 *
    // 100) is 29; Rhai's own gave 28) ...
    for (name, f) in DECIMAL_MATHS.iter().filter(|(n, _)| ["floor", "ceiling", "int"].contains(n)) {
        let f = *f;
        e.register_raw_fn(*name, [TypeId::of::<FLOAT>()], move |_, args: &mut [&mut Dynamic]| Ok(kept(f(float_of(args[0])), args[0])));
    }
    e.register_raw_fn("abs", [TypeId::of::<FLOAT>()], |_, args: &mut [&mut Dynamic]| Ok(kept(float_of(args[0]).abs(), args[0])));
    e.register_raw_fn("-", [TypeId::of::<FLOAT>()], |_, args: &mut [&mut Dynamic]| Ok(kept(-float_of(args[0]), args[0])));
    // ... and `round` of a decimal rounds it as printed, not its binary value.
    e.register_raw_fn("round", [TypeId::of::<FLOAT>()], |_, args: &mut [&mut Dynamic]| Ok(kept(round_whole(float_of(args[0])), args[0])));
    // round(x, 2) of a number rounds half up to 2 decimals, as round(s, 2) of a series.
    e.register_raw_fn("round", [TypeId::of::<FLOAT>(), TypeId::of::<INT>()], |_, args: &mut [&mut Dynamic]| {
        Ok(kept(round_to(float_of(args[0]), args[1].as_int().unwrap_or_default()), args[0]))
    });
    e.register_fn("round", |x: INT, digits: INT| round_to(x as FLOAT, digits));
    // ... its digits a whole decimal too (round(2.675, 2.0)), as round(s, 2.0) of a series.
    e.register_raw_fn(
        "round",
        [TypeId::of::<FLOAT>(), TypeId::of::<FLOAT>()],
        |_, args: &mut [&mut Dynamic]| -> Result<Dynamic, Box<EvalAltResult>> {
            let digits = whole(float_of(args[1]), "round", "digits")?;
            Ok(kept(round_to(float_of(args[0]), digits), args[0]))
        },
    );
    // max/min of plain numbers: a missing one gives missing whichever side it is on
    // (Rhai's own `if x >= y { x } else { y }` gave max(missing, 0) = 0 but max(0, missing)
    // = missing); figures of one dimension compared in one unit, which the result keeps.
    for (name, larger) in [("max", true), ("min", false)] {
        for types in pairs {
            e.register_raw_fn(name, types, move |_, args: &mut [&mut Dynamic]| picked(args[0], args[1], larger, name));
        }
    }
    e.register_fn("round", |x: INT, digits: FLOAT| -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(round_to(x as FLOAT, whole(digits, "round", "digits")?))
    });
    e.register_fn("log", |x: INT, base: INT| (x as FLOAT).log(base as FLOAT));
    e.register_fn("log", |x: INT, base: FLOAT| (x as FLOAT).log(base));
    e.register_fn("log", |x: FLOAT, base: INT| x.log(base as FLOAT));
    // `+` of a number and text that spells a number joined them as text: a ledger's
    // column is text where one cell is not a number (`/`), and `p.inv + p.added` of 60
    // and 3 was "603", compared with 100 as 603, silently. Refused, saying both ways to
    // write it; text that spells no number joins as before (`"第" + 3 + "名"`).
    e.register_fn("+", |ctx: NativeCallContext, t: ImmutableString, n: INT| text_plus(&ctx, t, Dynamic::from_int(n), true));
    e.register_fn("+", |ctx: NativeCallContext, t: ImmutableString, n: FLOAT| text_plus(&ctx, t, Dynamic::from_float(n), true));
    e.register_fn("+", |ctx: NativeCallContext, n: INT, t: ImmutableString| text_plus(&ctx, t, Dynamic::from_int(n), false));
    e.register_fn("+", |ctx: NativeCallContext, n: FLOAT, t: ImmutableString| text_plus(&ctx, t, Dynamic::from_float(n), false));
    for (left, right) in [
        (TypeId::of::<ImmutableString>(), TypeId::of::<INT>()),
        (TypeId::of::<ImmutableString>(), TypeId::of::<FLOAT>()),
        (TypeId::of::<INT>(), TypeId::of::<ImmutableString>()),
        (TypeId::of::<FLOAT>(), TypeId::of::<ImmutableString>()),
    ] {
        e.register_raw_fn("+=", [left, right], |ctx, args: &mut [&mut Dynamic]| -> Result<(), Box<EvalAltResult>> {
            let (a, b) = (args[0].clone(), args[1].clone());
            let sum = match (a.clone().into_immutable_string(), b.clone().into_immutable_string()) {
                (Ok(t), _) => text_plus(&ctx, t, b, true)?,
                (_, Ok(t)) => text_plus(&ctx, t, a, false)?,
                _ => return Err("`+=` of these values is not defined".into()),
            };
            *args[0] = sum;
            Ok(())
        });
    }
    for op in ["==", "!=", "<", "<=", ">", ">="] {
        e.register_fn(op, move |t: ImmutableString, n: FLOAT| text_cmp(&t, Num2::F(n), op, true));
        e.register_fn(op, move |n: FLOAT, t: ImmutableString| text_cmp(&t, Num2::F(n), op, false));
        e.register_fn(op, move |t: ImmutableString, n: INT| text_cmp(&t, Num2::I(n), op, true));
        e.register_fn(op, move |n: INT, t: ImmutableString| text_cmp(&t, Num2::I(n), op, false));
        // An empty cell on the left is never silently unequal or out of range; on the
        // right, == and != are how a script tests for one (`p.x != ()`).
        e.register_fn(op, move |_: (), n: INT| -> Result<bool, Box<EvalAltResult>> { Err(empty_cmp(&Dynamic::from_int(n), op)) });
        e.register_fn(op, move |_: (), n: FLOAT| -> Result<bool, Box<EvalAltResult>> { Err(empty_cmp(&Dynamic::from_float(n), op)) });
        e.register_fn(op, move |_: (), t: ImmutableString| -> Result<bool, Box<EvalAltResult>> { Err(empty_cmp(&Dynamic::from(t), op)) });
        if !matches!(op, "==" | "!=") {
            // `2 > x` is said as `x < 2`.
            let flip = flipped(op);
            e.register_fn(op, move |n: INT, _: ()| -> Result<bool, Box<EvalAltResult>> { Err(empty_cmp(&Dynamic::from_int(n), flip)) });
            e.register_fn(op, move |n: FLOAT, _: ()| -> Result<bool, Box<EvalAltResult>> { Err(empty_cmp(&Dynamic::from_float(n), flip)) });
            e.register_fn(op, move |t: ImmutableString, _: ()| -> Result<bool, Box<EvalAltResult>> {
                Err(empty_cmp(&Dynamic::from(t), flip))
            });
        }
        // Decimals that print the same are equal: 0.1 + 0.2 == 0.3; a missing number is
        // neither equal nor unequal, neither smaller nor larger (an error that says so).
        // A record table's figures compare in one unit (3.5亿元 > 100万元).
        for types in [
            [TypeId::of::<FLOAT>(), TypeId::of::<FLOAT>()],
            [TypeId::of::<INT>(), TypeId::of::<FLOAT>()],
            [TypeId::of::<FLOAT>(), TypeId::of::<INT>()],
        ] {
            e.register_raw_fn(op, types, move |_, args: &mut [&mut Dynamic]| with_units(op, args[0], args[1]));
        }
    }
    // Two texts that differ only in full-width and half-width forms or in spaces padding
    // Chinese words (甲　镇 and 甲镇, 道路(一期) and 道路（一期）) are one, as group_by takes them
    // (a filter `p.所属镇 == "甲镇"` left out 甲　镇's rows that group_by summed), with a note.
    e.register_fn("==", |a: ImmutableString, b: ImmutableString| same_text(&a, &b));
    e.register_fn("!=", |a: ImmutableString, b: ImmutableString| !same_text(&a, &b));
    // `x == ()` is how a script tests for a missing value (a report rule's function gets
    // `()`): a missing number (`at(..)` of a cell without a figure) is one too.
    e.register_fn("==", |x: FLOAT, _: ()| x.is_nan());
    e.register_fn("!=", |x: FLOAT, _: ()| !x.is_nan());
    // `x in [1, 2]` (and `[1, 2].contains(x)`) compares item by item with `==`, which
    // puts the item on the left, where an empty cell on the right is merely unequal:
    // `!(p.score in [1, 2])` kept a row whose score is empty. An empty cell is neither in
    // the list nor out of it, as it is neither == 1 nor != 1: the same error (a list
    // that holds `()` itself finds it, as `() == ()` does).
    e.register_fn("contains", |a: &mut rhai::Array, _: ()| -> Result<bool, Box<EvalAltResult>> {
        if a.iter().any(Dynamic::is_unit) { Ok(true) } else { Err(empty_in(a)) }
    });
}

/// An empty cell (`()`) looked for in a list: neither in it nor out of it, an error that
/// says how to test for it ([`empty_cmp`]'s, with `in`); `filter` adds its column and row.
fn empty_in(items: &rhai::Array) -> Box<EvalAltResult> {
    let show = |d: &Dynamic| if let Ok(t) = d.clone().into_immutable_string() { format!("\"{t}\"") } else { d.to_string() };
    let mut list: Vec<String> = items.iter().take(6).map(show).collect();
    if items.len() > 6 {
        list.truncate(5);
        list.push("…".into());
    }
    let list = format!("[{}]", list.join(", "));
    format!(
        "{EMPTY_CELL} with the items of {list} using `in`: a missing value is neither in the list nor out of it; \
         test for it first: `x != () && x in {list}`, or fill it: `(x ?? 0) in {list}`"
    )
    .into()
}
