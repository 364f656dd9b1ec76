//! Operators between series and with numbers: `+ - * / **`, comparisons (masks), `& |`.

use rhai::{Dynamic, Engine, EvalAltResult, FuncRegistration};
use yearbook_core::kernel::arith::{Op, binary, with_number};
use yearbook_core::series::Series;

type R = Result<Series, Box<EvalAltResult>>;

/// A kernel's result for the engine: its fault (a plain message is a runtime fault) raised
/// with its kind.
fn ok<E: Into<yearbook_core::error::Fault>>(r: Result<Series, E>) -> R {
    r.map_err(|e| crate::raise(e.into()))
}

fn register_op(e: &mut Engine, op: Op) {
    let name = op.symbol();
    let doc = if op == Op::Pow {
        "/// `a ** b` for series and numbers, elementwise; missing values propagate. A power of a figure with a unit has that \
         unit's power (亿元 ** 2 is in 亿元·亿元, ** 0.5 of that in 亿元); a power its unit has none of (亿元 ** 0.5) is refused. \
         A percent's power is of its fraction, in the base or the exponent (133.8% ** 0.2 is 1.06, 90% ** 2 is 0.81, as 90% * \
         90% is); the spreadsheet's / 10000 after a percent squared is read as its conversion, with a note."
            .to_string()
    } else if op == Op::Div {
        "/// `a / b` for series and numbers, elementwise; missing values propagate. A series over a percent is over its \
         fraction (1641 万美元 / 149% = 1101.34 万美元). A bare number over a percent (a figure from at() or a table's sum) \
         reads two ways, over its fraction or over its printed number (the rule of 72: 72 / 8 = 9), and is refused, saying \
         how to write each: amount(k, unit) / x, or k / (x / 100) / 100. 100 / x is one over its fraction either way (the \
         100 is the percent's conversion), with a note."
            .to_string()
    } else {
        format!("/// `a {name} b` for series and numbers, elementwise; missing values propagate.")
    };
    FuncRegistration::new(name)
        .with_comments([doc.as_str()])
        .with_params_info(["a: Series", "b: Series", "Series"])
        .register_into_engine(e, move |a: Series, b: Series| -> R { ok(binary(a, b, op)) });
    // A number (whole or decimal) taken as a Dynamic, so that a record table's figure keeps
    // the unit its file gives (`t.sum("投资（亿元）") + gdp`: 3.5亿元 was added to 100万元 as
    // 3.5万元).
    FuncRegistration::new(name)
        .with_comments([doc.as_str()])
        .with_params_info(["a: Series", "b: f64", "Series"])
        .register_into_engine(e, move |a: Series, b: Dynamic| -> R { with_tagged(a, &b, op, false) });
    FuncRegistration::new(name)
        .with_comments([doc.as_str()])
        .with_params_info(["a: f64", "b: Series", "Series"])
        .register_into_engine(e, move |a: Dynamic, b: Series| -> R { with_tagged(b, &a, op, true) });
}

/// `s op k` (`k op s` where `number_left`) of a number `k` a script gave: one a record
/// table gave in a unit its file names is that figure in its unit (converted as two
/// series are); a plain number is read as `with_number` reads it. Anything but a number
/// is refused, naming what it is.
fn with_tagged(s: Series, k: &Dynamic, op: Op, number_left: bool) -> R {
    let Ok(x) = crate::numbers::number_of(k) else {
        let (l, r) = if number_left { (k.type_name(), "a series") } else { ("a series", k.type_name()) };
        return Err(crate::raise(yearbook_core::error::Fault::type_(format!(
            "`{}` has no meaning between {l} and {r}: a series goes with a series or a number",
            op.symbol()
        ))));
    };
    match crate::unit_tag::unit_of(k) {
        Some(unit) => {
            // A percent taken out of a series (`at(sched, "t1", 2021)`) less a percent, or
            // the other way round, is in 百分点 as two series are (45% - 50%: -5个百分点);
            // a number written beside a percent (`rate - 5`) stays in its unit.
            let percent = |u: &yearbook_core::unit::Unit| u.is_dimensionless() && !u.is_index() && matches!(&*u.symbol, "%" | "‰");
            let points = op == Op::Sub && percent(&unit) && percent(&s.unit) && !s.mask;
            let n = s.shaped(false, false, vec![x], unit, Series::no_rollup("a table's figure does not roll up"));
            let mut out = if number_left { binary(n, s, op) } else { binary(s, n, op) };
            if let Ok(r) = out.as_mut()
                && points
                && r.unit.is_dimensionless()
            {
                r.unit = yearbook_core::kernel::time::points_of(&r.unit);
            }
            ok(out)
        }
        None => ok(with_number(s, x, op, number_left)),
    }
}

/// Registers the operators between series and numbers (`+ - * / ** < <= > >= == != & |` and `!`).
pub fn register(e: &mut Engine) {
    crate::numbers::register(e);
    for op in [Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Pow, Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne, Op::And, Op::Or] {
        register_op(e, op);
    }
    // A series against text: Rhai answered a plain false for `gdp == "7.75"` and
    // `gdp > "5"` (no operator for the two types), which an `if` took silently.
    for op in [Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne] {
        let name = op.symbol();
        e.register_fn(name, move |_: Series, t: rhai::ImmutableString| -> R { Err(text_vs_series(&t, name, false)) });
        e.register_fn(name, move |t: rhai::ImmutableString, _: Series| -> R { Err(text_vs_series(&t, name, true)) });
    }
    FuncRegistration::new("-")
        .with_comments(["/// Negation, elementwise."])
        .with_params_info(["s: Series", "Series"])
        .register_into_engine(e, |s: Series| -> R { ok(with_number(s, -1.0, Op::Mul, false)) });
    FuncRegistration::new("!")
        .with_comments(["/// Logical not of a mask; missing stays missing."])
        .with_params_info(["m: Series", "Series"])
        .register_into_engine(e, |s: Series| -> R { Ok(not(s)) });
}

/// The error for a series compared with text: a series holds figures, so the text is
/// never equal to it nor in order with it; the message says to write the number.
fn text_vs_series(t: &str, op: &str, text_left: bool) -> Box<EvalAltResult> {
    let hint = match t.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => {
            let n = yearbook_core::format::number(n);
            let written = if text_left { format!("{n} {op} s") } else { format!("s {op} {n}") };
            format!(": write the number without quotes (`{written}`)")
        }
        _ => ": compare a series with a number, or text with text".to_string(),
    };
    crate::raise(yearbook_core::error::Fault::type_(format!("cannot compare a series with the text \"{t}\" using `{op}`{hint}")))
}

/// Kleene not of a mask: missing stays missing.
pub fn not(s: Series) -> Series {
    let unit = s.unit.clone();
    let mut m = yearbook_core::kernel::arith::map(s, unit, Series::no_rollup("a mask does not roll up"), |x| {
        if x.is_nan() {
            x
        } else if x == 0.0 {
            1.0
        } else {
            0.0
        }
    });
    m.mask = true;
    m
}
