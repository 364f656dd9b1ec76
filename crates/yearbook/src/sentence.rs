//! Filling a sentence template: one way for a finding's message and a report rule's
//! sentence. Placeholders (`{region}`, `{x:amount}`, `{f(region, x)}`,
//! `script::placeholder`) are filled from a cell's values and phrased by
//! `report::phrase`.

use crate::finding::Values;
use crate::report::phrase;
use rhai::Dynamic;
use yearbook_core::error::Result;
use yearbook_core::format;
use yearbook_core::series::Series;
use yearbook_core::unit::Unit;
use yearbook_script::placeholder::{Arg, How, Piece, Slot};

/// What a template is filled from: one cell of a rule.
pub struct Cell<'a> {
    /// The region's name.
    pub region: &'a str,
    /// The region's code.
    pub code: &'a str,
    /// The period.
    pub period: &'a str,
    /// The rule's id.
    pub rule: &'a str,
    /// The rule's severity.
    pub severity: &'a str,
    /// The rule's description (profit words for `change`).
    pub description: &'a str,
    /// The values by name.
    pub values: &'a Values,
    /// How far off the cell is, with its unit.
    pub imbalance: Option<(f64, &'a str)>,
    /// The tolerance the imbalance is checked against, in its unit, where the check has
    /// one: a failing imbalance prints with the digits that set it apart from it.
    pub tolerance: Option<f64>,
    /// Values missing for a known reason, by name, with the reason in words (a growth over
    /// a base of zero or below: 扭亏为盈; a completion of a target below zero): said in
    /// prose instead of 暂无数据.
    pub why: &'a [(String, phrase::Why)],
    /// The labels of values that are indicators, by name (利润总额: a profit's change is
    /// 扭亏为盈, not 由负转正).
    pub labels: &'a [(String, String)],
    /// The values phrased as a rank that another region shares in the period (并列第1位).
    pub tied: &'a [String],
    /// The values whose growth spans another stretch than a year (`pop` of months,
    /// `growth(x, 24)`, `two_year_avg`): phrased 增长5%, never 同比增长5%.
    pub not_yearly: &'a [String],
    /// The changes `{x:change(prev)}` whose `prev` is another figure than `x` earlier (a
    /// target, another region's figure), by (x, prev): phrased as how far above or below
    /// it ([`phrase::against`]), never 同比 ([`against_other_figures`]).
    pub against: &'a [(String, String)],
    /// A failing finding's message: a figure is given to the decimals that show it is
    /// not the round number it is near ([`decimals_shown`]).
    pub failing: bool,
    /// The actual figures of completions by value name (`target_completion.profit`: the
    /// indicator `profit` at the cell), which tell a target below zero (a loss limit)
    /// from a loss in `{x:completion}` ([`phrase::completion_of`]).
    pub actuals: &'a [(String, f64)],
    /// Values printed with at least these decimals, by name: a figure ranked in the same
    /// report that would print like a region's of another place (5%, 5% and 5% said
    /// 第1位, 第2位, 第3位) ([`apart_decimals`]).
    pub apart: &'a [(String, usize)],
    /// Values whose figures are of another period than the cell's (`latest(gdp)` at a
    /// region whose latest GDP is 2020's, in a finding of 2021), by name, with that
    /// period in words (2020年): said after the figure, 5亿元（2020年）, never as the
    /// cell's period's ([`own_periods_at`]).
    pub of_period: &'a [(String, String)],
}

/// How a finding of `period` names the period a year earlier: 上年, or 上年同期 for a
/// month or quarter (2025-06, 2025Q2) ([`phrase::year_before`]).
fn year_before_of(period: &str) -> &'static str {
    yearbook_core::period::Period::parse(period).map_or(phrase::YEAR_BEFORE, |p| phrase::year_before(p.freq))
}

/// The actual figure at region `r`, period `p` of each value that is a completion
/// delivered as a figure (`target_completion.profit`, `completion.x`): its indicator
/// (`profit`) where the panel has it ([`Cell::actuals`]).
pub fn completion_actuals<'a>(
    panel: &yearbook_core::panel::Panel,
    names: impl Iterator<Item = &'a str>,
    r: usize,
    p: usize,
) -> Vec<(String, f64)> {
    let nr = panel.regions().len();
    names
        .filter_map(|n| {
            let (ns, code) = n.split_once('.')?;
            if !matches!(ns, "target_completion" | "completion") {
                return None;
            }
            let i = panel.indicator(code)?;
            let a = panel.value(i, p * nr + r);
            a.is_finite().then(|| (n.to_string(), a))
        })
        .collect()
}

/// The decimals a failing finding gives `x` (at least `d`): more where `d` would round a
/// figure that is not whole onto a whole one, up to 6 more. A rule that failed at
/// 11.9999 of 12 (99.9992%) said 完成年度目标100%, one 0.0033 points behind 与时间进度持平,
/// one 3.0008 behind a limit of 3 落后时间进度3个百分点: now 99.999%, 0.003, 3.001.
pub fn decimals_shown(x: f64, d: usize, failing: bool) -> usize {
    if !failing || !x.is_finite() || (x - x.round()).abs() < 1e-9 {
        return d;
    }
    (d..=d + 6).find(|&dd| format::round_trim(x, dd).parse::<f64>().is_ok_and(|v| v.fract() != 0.0)).unwrap_or(d)
}

/// How a template is filled.
pub enum Mode<'a> {
    /// A finding's message: a missing value prints as —, a placeholder that names nothing
    /// as `{?name}` (so it shows), a function placeholder likewise.
    Message,
    /// A report's sentence: a missing value is said in words (暂无数据), a placeholder that
    /// names nothing is an error (`check` finds it first), functions are called.
    Prose(&'a mut dyn FnMut(&str, Vec<Dynamic>) -> Result<String>),
}

/// A value with its unit as a report prints it: 7.75亿元, 18.14%; an index (上年=100)
/// as its number (108, never 108上年=100).
pub fn show(x: f64, unit: &str) -> String {
    // 99.996% is no 100%: a percent takes the decimals it needs off its mark.
    let n = if unit == "%" && x.abs() >= 1.0 { format::round_trim(x, format::decimals_off_mark(x, 2, 100.0)) } else { format::number(x) };
    if n == format::MISSING || Unit::parse(unit).is_index() { n } else { format!("{n}{unit}") }
}

/// A failing imbalance `x` printed by `print` (the value, its decimals) with `d` decimals
/// or more: in full where it has at most 3 more (0.0511 of a tolerance of 0.05, 0.10002 of
/// 0.1); one of more digits (a growth's 0.1416667) with the fewest that print it apart from
/// its tolerance `tol` (0.14 against 0.1; 1.000000004亿元 against 1亿元: rounded onto it, it
/// would read as within it, review28 01 and 02), at most 8 more; with no tolerance known,
/// with 3 more.
fn exact_digits(x: f64, d: usize, tol: Option<f64>, print: impl Fn(f64, usize) -> String) -> String {
    let full = print(x, d + 8);
    if let Some(t) = (d..=d + 3).map(|k| print(x, k)).find(|t| *t == full) {
        return t;
    }
    match tol {
        Some(tol) => {
            let on = tol.abs().copysign(x);
            (d..=d + 8).map(|k| (print(x, k), print(on, k))).find(|(a, b)| a != b).map_or(full, |(a, _)| a)
        }
        None => print(x, d + 3),
    }
}

/// Fills `pieces` for one cell.
pub fn fill(pieces: &[Piece], cell: &Cell, mut mode: Mode) -> Result<String> {
    let prose = matches!(mode, Mode::Prose(_));
    let side_by_side = apart_in_sentence(pieces, cell);
    let mut out = String::new();
    for p in pieces {
        let (slot, key) = match p {
            Piece::Text(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Bad { key, why } if prose => {
                return Err(yearbook_core::error::Error::usage(format!("placeholder `{{{key}}}`: {why}")));
            }
            Piece::Bad { key, .. } => {
                out.push_str(&format!("{{?{key}}}"));
                continue;
            }
            Piece::Slot(s, key) => (s, key),
        };
        let unknown = || format!("{{?{key}}}");
        let text = match slot {
            Slot::Region => cell.region.to_string(),
            Slot::Code => cell.code.to_string(),
            Slot::Period => cell.period.to_string(),
            Slot::PeriodChinese | Slot::PeriodCumulative => match yearbook_core::period::Period::parse(cell.period) {
                Ok(p) if matches!(slot, Slot::PeriodChinese) => p.chinese(),
                Ok(p) => p.chinese_cumulative(),
                Err(_) => cell.period.to_string(),
            },
            Slot::Rule => cell.rule.to_string(),
            Slot::Severity => cell.severity.to_string(),
            // A failing imbalance: its digits, never its tolerance (相差0.10002个百分点 for 0.1).
            Slot::Imbalance => match cell.imbalance {
                Some((x, u)) if cell.failing && x.is_finite() && cell.tolerance.is_some() => {
                    let n = exact_digits(x, 2, cell.tolerance, format::round_trim);
                    if Unit::parse(u).is_index() { n } else { format!("{n}{u}") }
                }
                Some((x, u)) => show(x, u),
                None => format::MISSING.to_string(),
            },
            Slot::Value { name, how } => {
                // A phrasing the value's unit does not allow would say a wrong thing
                // (an amount as a growth, a pacing as a rank): never printed.
                let problem = cell.values.get(name.as_str()).and_then(|v| unit_problem(how, &Unit::parse(&v.unit)));
                match (problem, phrased(cell, name, how, prose, &side_by_side)) {
                    (Some(why), _) if prose => {
                        return Err(yearbook_core::error::Error::new(
                            yearbook_core::error::ErrorKind::Unit,
                            format!("placeholder `{{{key}}}` {why}"),
                        ));
                    }
                    (Some(_), _) => unknown(),
                    (None, Some(t)) => t,
                    (None, None) if prose => {
                        return Err(yearbook_core::error::Error::usage(format!("placeholder `{{{key}}}` names no value")));
                    }
                    (None, None) => unknown(),
                }
            }
            Slot::Call { function, args } => match &mut mode {
                Mode::Message => unknown(),
                Mode::Prose(call) => {
                    let args = args.iter().map(|a| argument(cell, a)).collect::<Result<Vec<_>>>()?;
                    call(function, args)?
                }
            },
        };
        out.push_str(&text);
        if let Piece::Slot(Slot::Value { name, .. }, _) = p
            && let Some((_, when)) = cell.of_period.iter().find(|(n, _)| n == name)
        {
            out.push_str(&format!("（{when}）"));
        }
    }
    Ok(out)
}

/// Each value phrased as a change from another (`{x:change(prev)}`), with that value's
/// name and the difference `x - prev` as the kernel takes it: where both figures are
/// there and the difference is not, the two are totals over different regions (a county
/// read as its towns' roll-up a year after a town joined it: 28 against 20 is no 同比增长
/// 40%), said [`phrase::SCOPE_CHANGED`] by [`scope_changes_at`]. Read once per rule.
pub fn changes_between(pieces: &[Piece], series: &dyn Fn(&str) -> Option<Series>) -> Vec<(String, String, Series)> {
    let mut out: Vec<(String, String, Series)> = Vec::new();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how: How::Change(prev) }, _) = p else { continue };
        if out.iter().any(|(n, b, _)| n == name && b == prev) {
            continue;
        }
        let (Some(x), Some(b)) = (series(name), series(prev)) else { continue };
        if x.mask || b.mask {
            continue;
        }
        if let Ok(d) = yearbook_core::kernel::arith::binary(x, b, yearbook_core::kernel::arith::Op::Sub) {
            out.push((name.clone(), prev.clone(), d));
        }
    }
    out
}

/// The changes `{x:change(prev)}` in `pieces` whose `prev` is not `x` at an earlier
/// period, by (x, prev): `text_of` gives a name's expression (a value's text, an
/// indicator's code). `prev` is `x` earlier when it is `lag(x, k)`; a target (`tgdp`,
/// `target.gdp`), another region's figure (`at(urb, "t1", 2021)`) or another indicator is
/// not, and says no 同比.
pub fn against_other_figures(pieces: &[Piece], text_of: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    let squeeze = |t: String| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut out: Vec<(String, String)> = Vec::new();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how: How::Change(prev) }, _) = p else { continue };
        if out.iter().any(|(n, b)| n == name && b == prev) {
            continue;
        }
        let (x, b) = (squeeze(text_of(name)), squeeze(text_of(prev)));
        // A namespace's figure of it (`target.gdp`, `plan.gdp`) is another figure: a
        // namespace holds targets and reported figures as often as earlier ones.
        let earlier = first_argument(&b, "lag").is_some_and(|a| a == x);
        if !earlier {
            out.push((name.clone(), prev.clone()));
        }
    }
    out
}

/// The values of [`changes_between`] whose change at region row `r`, period `p` sets
/// totals over different regions against each other, with the words: both figures are
/// there (`values`), their difference is not.
pub fn scope_changes_at(changes: &[(String, String, Series)], values: &Values, r: usize, p: usize) -> Vec<(String, phrase::Why)> {
    let there = |n: &str| values.get(n).is_some_and(|v| v.value.is_some_and(f64::is_finite));
    changes
        .iter()
        .filter(|(name, prev, d)| there(name) && there(prev) && d.get(r, p).is_nan())
        .map(|(name, _, _)| (name.clone(), phrase::Why { kind: phrase::WhyKind::Scope, words: phrase::SCOPE_CHANGED.to_string() }))
        .collect()
}

/// A function placeholder's argument as the script sees it: text, a number, or `()` when missing.
fn argument(cell: &Cell, a: &Arg) -> Result<Dynamic> {
    Ok(match a {
        Arg::Text(t) => Dynamic::from(t.clone()),
        Arg::Name(n) => match n.as_str() {
            "region" => Dynamic::from(cell.region.to_string()),
            "code" => Dynamic::from(cell.code.to_string()),
            "period" => Dynamic::from(cell.period.to_string()),
            n => match cell.values.get(n) {
                Some(v) => v.value.map(Dynamic::from_float).unwrap_or(Dynamic::UNIT),
                None => return Err(yearbook_core::error::Error::usage(format!("`{n}` names no value"))),
            },
        },
    })
}

/// The decimals each figure of one sentence needs to print unlike another figure of it
/// in a unit of its kind that differs from it ([`apart_decimals`]), by name: an actual
/// of 99.996万元 beside its target of 100万元 printed 100万元 twice before 未完成任务.
fn apart_in_sentence(pieces: &[Piece], cell: &Cell) -> Vec<(String, usize)> {
    let figures: Vec<(&str, &How)> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Slot(
                Slot::Value { name, how: how @ (How::Plain | How::Amount | How::Decimals(_) | How::Growth | How::Points | How::Pp) },
                _,
            ) => Some((name.as_str(), how)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for &(name, how) in &figures {
        let Some(v) = cell.values.get(name) else { continue };
        let (Some(x), unit) = (v.value, Unit::parse(&v.unit)) else { continue };
        // Figures with figures, growths with growths, changes in 百分点 with their like.
        let kind = |h: &How| match h {
            How::Growth => 1,
            How::Points | How::Pp => 2,
            _ => 0,
        };
        let others: Vec<f64> = figures
            .iter()
            .filter(|(n, h)| *n != name && kind(h) == kind(how))
            .filter_map(|(n, _)| {
                let o = cell.values.get(n)?;
                let f = if o.unit.is_empty() && v.unit.is_empty() { 1.0 } else { Unit::parse(&o.unit).factor_to(&unit)? };
                let y = o.value? * f;
                (y.is_finite() && (y - x).abs() > 1e-12 * x.abs().max(1.0)).then_some(y)
            })
            .collect();
        if let Some(d) = apart_decimals(how, x, &unit, &others) {
            out.push((name.to_string(), d));
        }
    }
    // A completion beside its pace prints apart from the share due by now (the completion
    // less the pace), as a run's message does: 完成县下达任务50% beside 落后时间进度0.05个百分点
    // for 49.95% against 50%.
    let paces: Vec<f64> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Slot(Slot::Value { name, how: How::Pace }, _) => cell.values.get(name.as_str())?.value,
            _ => None,
        })
        .filter(|p| p.is_finite() && p.abs() > 1e-9)
        .collect();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how: How::Completion(_) }, _) = p else { continue };
        let Some(v) = cell.values.get(name.as_str()) else { continue };
        let Some(x) = v.value.filter(|x| x.is_finite()) else { continue };
        let unit = Unit::parse(&v.unit);
        let pct = if unit.is_dimensionless() && unit.scale == 1.0 { x * 100.0 } else { x };
        let apart = |d: usize| paces.iter().all(|&pace| format::round_trim(pct, d) != format::round_trim(pct - pace, d));
        if let Some(d) = (1..=6).find(|&d| apart(d)).filter(|&d| d > 1) {
            out.push((name.to_string(), d));
        }
    }
    // And the pace beside a completion prints its non-zero points: 完成49.996% beside
    // 与时间进度持平 (-0.004 rounded to two decimals) said both (words16 04).
    let completion = pieces.iter().any(|p| matches!(p, Piece::Slot(Slot::Value { how: How::Completion(_), .. }, _)));
    for p in pieces.iter().filter(|_| completion) {
        let Piece::Slot(Slot::Value { name, how: How::Pace }, _) = p else { continue };
        let Some(x) = cell.values.get(name.as_str()).and_then(|v| v.value).filter(|x| x.is_finite() && x.abs() > 1e-9) else { continue };
        if let Some(d) = (2..=6).find(|&d| !format::round_trim(x.abs(), d).trim_start_matches(['0', '.']).is_empty()).filter(|&d| d > 2) {
            out.push((name.to_string(), d));
        }
    }
    out
}

/// A value phrased (docs/rules.md): None when the name (or a `change` base) names no value.
/// `side_by_side`: decimals that tell it from another figure of the sentence.
fn phrased(cell: &Cell, name: &str, how: &How, prose: bool, side_by_side: &[(String, usize)]) -> Option<String> {
    let v = cell.values.get(name)?;
    let unit = Unit::parse(&v.unit);
    let x = v.value.unwrap_or(f64::NAN);
    // Where a missing value prints as —, a sentence says 暂无数据.
    let missing = if prose { phrase::NO_DATA } else { format::MISSING };
    let pct = if unit.is_dimensionless() && unit.scale == 1.0 { x * 100.0 } else { x };
    // Listed only where the value is missing for that reason, or is a growth from a profit
    // to a loss (由盈转亏, not 同比下降150%).
    let why = |kind: phrase::WhyKind| cell.why.iter().find(|(n, w)| n == name && w.kind == kind).map(|(_, w)| w.words.clone());
    let said = match how {
        How::Growth => why(phrase::WhyKind::Base).or_else(|| why(phrase::WhyKind::Scope)),
        How::Change(_) => why(phrase::WhyKind::Scope),
        How::Completion(who) => why(phrase::WhyKind::NegativeTarget).map(|w| format!("{who}下达{w}")),
        _ => None,
    };
    if said.is_some() {
        return said;
    }
    // A failing finding's imbalance is given to its last digit: rounded, it may print on
    // the tolerance it fails (0.0511 as 0.05 against 0.05).
    let exact = cell.failing && name == "imbalance" && x.is_finite();
    // Decimals that tell this figure from a region's of another place in the report.
    let apart = cell.apart.iter().chain(side_by_side).filter(|(n, _)| n == name).map(|(_, d)| *d).max();
    // ... unless, in a failing finding, they print a figure that is not whole as one
    // (25.99998亿元 as 26亿元 beside 26.0001亿元): the digits that keep it off follow.
    let whole_looking =
        |t: &String| cell.failing && matches!(how, How::Amount | How::Growth) && !t.contains('.') && (pct - pct.round()).abs() >= 1e-9;
    if let Some(t) = apart
        .filter(|_| x.is_finite() && !exact)
        .and_then(|d| printed_apart(how, x, &unit, d, year_before_of(cell.period)))
        .filter(|t| !whole_looking(t))
    {
        return Some(t);
    }
    Some(match how {
        How::Plain if x.is_nan() => missing.to_string(),
        // A failing imbalance: its digits, never its tolerance (相差0.10002个百分点 for 0.1).
        How::Plain if exact && cell.tolerance.is_some() => {
            let n = exact_digits(x, 2, cell.tolerance, format::round_trim);
            if Unit::parse(&v.unit).is_index() { n } else { format!("{n}{}", v.unit) }
        }
        // As shown (0.2045 keeps its four digits), unless that rounds a figure that is not
        // whole onto a whole one.
        How::Plain if cell.failing && format::number(x).parse::<f64>().is_ok_and(|n| n.fract() == 0.0) => {
            let n = format::round_trim(x, decimals_shown(x, 2, true));
            if Unit::parse(&v.unit).is_index() { n } else { format!("{n}{}", v.unit) }
        }
        How::Plain => show(x, &v.unit),
        How::Amount if x.is_nan() => missing.to_string(),
        // A failing finding's imbalance with the digits it has (up to 3 more): 0.0511 that
        // fails a tolerance of 0.05 is no 相差0.05亿元 (rule23 05).
        How::Amount if exact => exact_digits(x, 2, cell.tolerance, |v, d| phrase::magnitude(v, &unit, d)),
        // In a failing finding never rounded onto a whole number (26.0008亿元 is no 26亿元
        // beside a balance it fails: rule23 05).
        How::Amount if cell.failing && (x - x.round()).abs() >= 1e-9 => {
            // The digits that keep the figure as printed (in 亿元 where it is 万元's
            // 259999.8) off a whole number.
            (2..=8).map(|d| phrase::magnitude(x, &unit, d)).find(|t| t.contains('.')).unwrap_or_else(|| phrase::magnitude(x, &unit, 2))
        }
        How::Amount => phrase::magnitude(x, &unit, 2),
        How::Decimals(d) => {
            let d = decimals_shown(x, *d, cell.failing);
            // 99.96% is no 100% (完成年度目标100% beside 未完成任务).
            let d = if &*v.unit == "%" { format::decimals_off_mark(x, d, 100.0) } else { d };
            // A failing finding's imbalance: the digits it has (`{imbalance:2}` of 0.0511).
            let n = if exact { exact_digits(x, d, cell.tolerance, format::round_trim) } else { format::round_trim_nonzero(x, d) };
            // An index (上年=100) is its number, as `show` prints it: 108.5, never 108.5上年=100.
            if n == format::MISSING {
                missing.to_string()
            } else if Unit::parse(&v.unit).is_index() {
                n
            } else {
                format!("{n}{}", v.unit)
            }
        }
        // ... nor a growth (30.004% that fails ±30% is no 同比增长30%).
        How::Growth if cell.not_yearly.iter().any(|n| n == name) => phrase::growth_unspanned(pct, decimals_shown(pct, 2, cell.failing)),
        How::Growth => phrase::growth_since(pct, decimals_shown(pct, 2, cell.failing), year_before_of(cell.period)),
        How::Points if exact => exact_digits(x, 2, cell.tolerance, |v, d| phrase::points_to(v, &unit, d)),
        How::Points => phrase::points_in(x, &unit),
        How::Pp if x.is_nan() => missing.to_string(),
        How::Pp if exact => format!("{}{}", exact_digits(x, 2, cell.tolerance, format::round_trim), phrase::points_word(&unit)),
        How::Pp => format!("{}{}", format::round_trim_nonzero(x, 2), phrase::points_word(&unit)),
        How::Completion(who) => {
            let actual = cell.actuals.iter().find(|(n, _)| n == name).map(|(_, a)| *a);
            // Before the year's end no 未完成任务; in a failing finding the decimals
            // `{c:1}` prints (46.999%, never 47% beside it).
            let stage = phrase::Stage::of(cell.period, decimals_shown(pct, apart.unwrap_or(1).max(1), cell.failing));
            phrase::completion_at(v.value.map(|_| pct), actual, who, false, &stage)
        }
        How::Pace if x.is_nan() => {
            if prose {
                "时间进度暂无数据".to_string()
            } else {
                missing.to_string()
            }
        }
        How::Pace => phrase::pace(x, decimals_shown(x, apart.unwrap_or(2).max(2), cell.failing)),
        // A place left unknown (a town ranked with it has not delivered): 总量居全县位次暂缺,
        // never 居全县暂无数据.
        How::Rank if x.is_nan() => {
            if prose {
                "位次暂缺".to_string()
            } else {
                missing.to_string()
            }
        }
        How::Rank if x < 1.0 || x.fract() != 0.0 => return None,
        How::Rank if cell.tied.iter().any(|t| t == name) => format!("并列第{}位", phrase::decimals(x, 0)),
        How::Rank => format!("第{}位", phrase::decimals(x, 0)),
        How::Change(prev) => {
            let b = cell.values.get(prev)?;
            // The other figure in this one's unit (利润 in 万元 from a base in 亿元); `check`
            // refuses figures of different dimensions.
            // A bare number (`at(urb, "t1", 2021)`) is taken as written.
            let factor = if b.unit.is_empty() { 1.0 } else { Unit::parse(&b.unit).factor_to(&unit).unwrap_or(1.0) };
            let own = cell.labels.iter().find(|(n, _)| n == name).map_or("", |(_, l)| l.as_str());
            let label = format!("{name} {own} {}", cell.description);
            // From a value that is not a year earlier (`lag(x, 2)`): no 同比; from another
            // figure (a target, another region's): above or below it.
            let other = cell.against.iter().any(|(n, p)| n == name && p == prev);
            let yearly = !cell.not_yearly.iter().any(|n| n == prev || n == name);
            let words = if other {
                phrase::against
            } else if yearly {
                phrase::change
            } else {
                phrase::change_unspanned
            };
            words(
                &phrase::Change {
                    value: v.value,
                    previous: b.value.map(|b| b * factor),
                    reported_pct: None,
                    unit: &unit,
                    label: &label,
                    scope_change: None,
                    unitless_rate: phrase::Unitless::of(&unit, &label, false),
                    year_before: year_before_of(cell.period),
                },
                2,
            )
        }
    })
}

/// `x` phrased `how` with `d` decimals, where more decimals can tell it apart: a figure
/// (with its unit, or in a report's magnitude) or a growth; None for other phrasings.
fn printed_apart(how: &How, x: f64, unit: &Unit, d: usize, year_before: &str) -> Option<String> {
    let pct = if unit.is_dimensionless() && unit.scale == 1.0 { x * 100.0 } else { x };
    let sym = unit.symbol.to_string();
    Some(match how {
        How::Plain | How::Decimals(_) if unit.is_index() => format::round_trim(x, d),
        // 99.996% is no 100%, whatever decimals tell it from the other figure.
        How::Plain | How::Decimals(_) if sym == "%" => format!("{}{sym}", format::round_trim(x, format::decimals_off_mark(x, d, 100.0))),
        How::Plain | How::Decimals(_) => format!("{}{sym}", format::round_trim(x, d)),
        How::Amount => phrase::magnitude(x, unit, d),
        How::Growth => phrase::growth_since(pct, d, year_before),
        How::Points => phrase::points_to(x, unit, d),
        How::Pp => format!("{}{}", format::round_trim_nonzero(x, d), phrase::points_word(unit)),
        _ => return None,
    })
}

/// The decimals a figure phrased `how` needs (at least its own, at most 10) so that it
/// prints unlike each of `others` (figures of regions placed elsewhere in the same
/// ranking); None where its own decimals already do, or no phrasing can.
pub fn apart_decimals(how: &How, x: f64, unit: &Unit, others: &[f64]) -> Option<usize> {
    let base = match how {
        How::Decimals(d) => *d,
        How::Plain | How::Amount | How::Growth | How::Points | How::Pp => 2,
        _ => return None,
    };
    if !x.is_finite() || others.is_empty() {
        return None;
    }
    let print = |v: f64, d: usize| printed_apart(how, v, unit, d, phrase::YEAR_BEFORE);
    let apart_at = |d: usize| others.iter().all(|&o| print(o, d) != print(x, d));
    if apart_at(base) {
        return None;
    }
    (base + 1..=base.max(10)).find(|&d| apart_at(d))
}

/// Whether a value in `unit` can be phrased `how`: growths, points and completions read
/// a percentage (or a fraction), a rank a plain number. The problem in words otherwise.
pub fn unit_problem(how: &How, unit: &Unit) -> Option<String> {
    let sym = unit.symbol.to_string();
    let shown = if sym.is_empty() { "a plain number".to_string() } else { sym.clone() };
    match how {
        // An index is no percentage: 101 (上年=100) is a growth of 1%, never 同比增长101%.
        How::Growth | How::Completion(_) if unit.is_index() => Some(format!(
            "reads a percentage, not an index ({shown}); phrase the index without `:growth` (地区生产总值指数108), or its growth \
             from a value written `x - 100` (in %: 同比增长8%)"
        )),
        // A change in 百分点 (of a completion, a share: `diff(pct(...))`) or a pacing is no
        // percentage: 提高5个百分点 read 完成率同比增长5%, a pacing 完成县下达任务5%.
        // As a growth it is refused with what it is a change of, where that is known
        // (report::said), else with these words.
        How::Completion(_) if is_points(unit) => Some(points_misread(&shown)),
        How::Growth | How::Completion(_) if !unit.is_dimensionless() => Some(format!("reads a percentage, not a value in {shown}")),
        // A multiple is no percentage: 1.8倍 would read 同比增长180%.
        How::Growth | How::Completion(_) if phrase::is_multiple(unit) => {
            Some(format!("reads a percentage, not a multiple ({shown}): 1.8倍 would read 同比增长180%"))
        }
        // A completion less the time schedule written by hand (`pct(completion(…)) -
        // pct(expected_share(…))`) is a pacing too, in 个百分点.
        How::Pace if sym != "百分点" && sym != "个百分点" => {
            Some(format!("reads a pacing in 百分点 (from pacing(actual, target)), not {shown}"))
        }
        How::Points | How::Pp if !phrase::is_rate(unit) => Some(format!("reads a percentage (% or ‰), not {shown}")),
        How::Rank if !(unit.is_dimensionless() && unit.scale == 1.0) => {
            Some(format!("reads a rank (a plain number), not a value in {shown}"))
        }
        _ => None,
    }
}

/// A value in 百分点 (`shown`) phrased as a growth or a completion, in words.
pub(crate) fn points_misread(shown: &str) -> String {
    let said = if shown.contains("千分点") { "个千分点" } else { "个百分点" };
    format!(
        "reads a percentage, not a value in {shown} (a change of a rate or share, or a pacing): 5{said} would read 同比增长5% \
         or 完成5%; phrase a change of a rate `:points` (提高5{said}), a pacing `:pace` (超前时间进度5个百分点)"
    )
}

/// Whether a unit is a change in points of a rate: 百分点 (a pacing, `diff` of a rate in
/// %), 个百分点 as a change is printed, 千分点 of a rate in ‰.
pub(crate) fn is_points(unit: &Unit) -> bool {
    matches!(&*unit.symbol, "百分点" | "个百分点" | "千分点" | "个千分点")
}

/// The first argument of `text` when it is a call of `function` (`rank(gdp, "county")`:
/// `gdp`), spaces trimmed.
pub(crate) fn first_argument(text: &str, function: &str) -> Option<String> {
    let t = text.trim();
    let rest = t.strip_prefix(function)?.trim_start().strip_prefix('(')?;
    if matching_close(&format!("({rest}")) != Some(rest.len()) {
        return None;
    }
    let mut depth = 0i32;
    let end = rest.char_indices().find(|&(_, c)| {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        depth < 0 || (depth == 0 && c == ',')
    })?;
    Some(rest[..end.0].trim().to_string())
}

/// The period (its index) of the figures `latest` took at region `r` among `series`
/// ([`Series::periods_of`]): `Some(Ok(q))` where they are all of period `q`, `Some(Err(()))`
/// where they are of several, None where none is such a figure there.
pub fn latest_period_at<'a>(series: impl Iterator<Item = &'a Series>, r: usize) -> Option<std::result::Result<usize, ()>> {
    let mut found: Option<u32> = None;
    for s in series {
        let Some(q) = s.periods_of.as_ref().and_then(|of| of.get(r).copied()).filter(|&q| q != u32::MAX) else { continue };
        match found {
            Some(f) if f != q => return Some(Err(())),
            _ => found = Some(q),
        }
    }
    found.map(|q| Ok(q as usize))
}

/// The values among `named` (name, series) whose figures at region `r` are of another
/// period than `period` (the cell's; empty where the cell has none): `latest` took them
/// from an earlier period there. Each with its period in words (2020年, 2025年4月), for
/// [`Cell::of_period`].
pub fn own_periods_at<'a>(
    named: impl Iterator<Item = (&'a str, &'a Series)>,
    r: usize,
    period: &str,
    periods: &yearbook_core::period::PeriodAxis,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, s) in named {
        let Some(q) = s.periods_of.as_ref().and_then(|of| of.get(r).copied()).filter(|&q| q != u32::MAX) else { continue };
        let own = periods.get(q as usize);
        if own.to_string() != period {
            out.push((name.to_string(), own.chinese()));
        }
    }
    out
}

/// The formula a check gives one of its values as, from the check's text: `value` of a
/// check that starts with a call (`note(yoy(urb))`, `in_range(x, 0, 1).note()`) is its
/// first argument; a value named in `with_value("g", x)` is `x`. None where the text
/// does not say (the value is then read by its series alone).
pub(crate) fn check_value_text(check: &str, name: &str) -> Option<String> {
    let t = check.trim();
    if name == "value" {
        let open = t.find('(')?;
        let head = &t[..open];
        if head.is_empty() || !head.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        // The call must be the whole check, or a method chain on it (`.note()`): of
        // `pct(yoy(gdp)) > 50` the value is no argument of `pct`.
        let close = open + matching_close(&t[open..])?;
        if !method_chain(&t[close + 1..]) {
            return None;
        }
        return call_arguments(&t[open + 1..]).into_iter().next();
    }
    let mut rest = t;
    while let Some(i) = rest.find("with_value(") {
        let args = call_arguments(&rest[i + "with_value(".len()..]);
        if let [n, x, ..] = args.as_slice()
            && n.trim_matches(['"', '`', '\'']) == name
        {
            return Some(x.clone());
        }
        rest = &rest[i + 1..];
    }
    None
}

/// Whether `rest` is nothing but method calls (`.note()`, `.with_value("g", x)`).
fn method_chain(rest: &str) -> bool {
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix('.') else { return false };
        let name_end = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        let call = after[name_end..].trim_start();
        if name_end == 0 || !call.starts_with('(') {
            return false;
        }
        let Some(close) = matching_close(call) else { return false };
        rest = call[close + 1..].trim_start();
    }
    true
}

/// The arguments of a call whose `(` comes just before `rest`, split at its top-level
/// commas up to its closing `)`; empty where it does not close.
fn call_arguments(rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0usize, None::<char>);
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth > 0 => depth -= 1,
            (None, ')') => {
                out.push(rest[start..i].trim().to_string());
                return out;
            }
            (None, ',') if depth == 0 => {
                out.push(rest[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    Vec::new()
}

/// Whether the `(` at the start of `t` is closed by its last character.
pub(crate) fn closes_at_end(t: &str) -> bool {
    matching_close(t) == Some(t.len() - 1)
}

/// The index of the `)` that closes the `(` at the start of `t`.
pub(crate) fn matching_close(t: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in t.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::ValueOut;
    use yearbook_script::placeholder::parse;

    #[test]
    fn a_checks_value_is_the_argument_of_a_call_that_is_the_whole_check() {
        let v = |t: &str| check_value_text(t, "value");
        assert_eq!(v("note(yoy(urb))").as_deref(), Some("yoy(urb)"));
        assert_eq!(v("in_range(x, 0, 1).note()").as_deref(), Some("x"));
        assert_eq!(v(" note(rank(yoy(gdp))) .with_value(\"g\", yoy(gdp)) ").as_deref(), Some("rank(yoy(gdp))"));
        // A comparison, or anything after the call but method calls: not said.
        assert_eq!(v("pct(yoy(gdp)) > 50"), None);
        assert_eq!(v("rank(yoy(gdp)) <= 3"), None);
        assert_eq!(v("note(x) + 1"), None);
        assert_eq!(v("gdp > 0"), None);
        assert_eq!(check_value_text("note(x).with_value(\"g\", yoy(gdp))", "g").as_deref(), Some("yoy(gdp)"));
    }

    fn values() -> Values {
        let v = |x: Option<f64>, u: &str| ValueOut { value: x, unit: u.into() };
        [("gdp", v(Some(7.75), "亿元")), ("fdi", v(None, "万美元")), ("g", v(None, "%")), ("c", v(Some(92.5), "%"))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    fn cell(values: &Values) -> Cell<'_> {
        Cell {
            region: "甲镇",
            code: "a",
            period: "2008",
            rule: "r",
            severity: "",
            description: "",
            values,
            imbalance: None,
            tolerance: None,
            why: &[],
            labels: &[],
            tied: &[],
            not_yearly: &[],
            against: &[],
            actuals: &[],
            apart: &[],
            of_period: &[],
            failing: false,
        }
    }

    /// A pacing behind, ahead and on time, missing; cumulative and Chinese periods.
    #[test]
    fn pace_and_monthly_periods() {
        let v = |x: Option<f64>| ValueOut { value: x, unit: "百分点".into() };
        let vals: Values = [
            ("behind", v(Some(-5.7916))),
            ("ahead", v(Some(1.38))),
            ("even", v(Some(1e-12))),
            ("hair", v(Some(-0.001))),
            ("none", v(None)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let c = Cell { period: "2025-06", ..cell(&vals) };
        // Binary noise is on time; behind by a thousandth of a point is behind (month21 06:
        // a town a rule found behind was said 与时间进度持平).
        let t = parse("{period:cum}{period:cn}：{behind:pace}；{ahead:pace}；{even:pace}；{hair:pace}；{none:pace}");
        assert_eq!(
            fill(&t, &c, Mode::Message).unwrap(),
            "2025年1-6月2025年6月：落后时间进度5.79个百分点；超前时间进度1.38个百分点；与时间进度持平；落后时间进度0.001个百分点；—"
        );
        let mut call = |_: &str, _: Vec<Dynamic>| Ok(String::new());
        assert!(fill(&t, &c, Mode::Prose(&mut call)).unwrap().ends_with("；时间进度暂无数据"));
        let c = Cell { period: "2025-01", ..cell(&vals) };
        assert_eq!(fill(&parse("{period:cum}"), &c, Mode::Message).unwrap(), "2025年1月");
        assert!(unit_problem(&How::Pace, &Unit::parse("亿元")).is_some());
        assert!(unit_problem(&How::Pace, &Unit::parse("百分点")).is_none());
        // A completion less the schedule written by hand is a pacing in 个百分点.
        assert!(unit_problem(&How::Pace, &Unit::parse("个百分点")).is_none());
        // A completion in % is no pacing: never 超前时间进度47个百分点.
        assert!(unit_problem(&How::Pace, &Unit::parse("%")).is_some());
        let wrong: Values = [("done".to_string(), ValueOut { value: Some(47.0), unit: "%".into() })].into_iter().collect();
        assert_eq!(fill(&parse("{done:pace}"), &cell(&wrong), Mode::Message).unwrap(), "{?done:pace}");
        let mut call = |_: &str, _: Vec<Dynamic>| Ok(String::new());
        let e = fill(&parse("{done:pace}"), &cell(&wrong), Mode::Prose(&mut call)).unwrap_err();
        assert_eq!(e.message(), "placeholder `{done:pace}` reads a pacing in 百分点 (from pacing(actual, target)), not %");
    }

    /// A finding's message shows a missing value as —; a report's sentence says it in words.
    #[test]
    fn missing_values_are_words_in_prose_and_a_dash_in_messages() {
        let vals = values();
        let t = parse("{region}{gdp:amount}，实到外资{fdi:amount}，{g:growth}，{c:completion}，差{g:pp}，{nothing}");
        let msg = fill(&t, &cell(&vals), Mode::Message).unwrap();
        assert_eq!(msg, "甲镇7.75亿元，实到外资—，暂无数据，完成县下达任务92.5%，未完成任务，差—，{?nothing}");
        let mut call = |_: &str, _: Vec<Dynamic>| Ok(String::new());
        let t = parse("{region}{gdp:amount}，实到外资{fdi:amount}，{g:growth}，{c:completion}，差{g:pp}");
        let said = fill(&t, &cell(&vals), Mode::Prose(&mut call)).unwrap();
        assert_eq!(said, "甲镇7.75亿元，实到外资暂无数据，暂无数据，完成县下达任务92.5%，未完成任务，差暂无数据");
        // In prose a placeholder that names nothing is an error, never an empty text.
        let e = fill(&parse("{nothing}"), &cell(&vals), Mode::Prose(&mut call)).unwrap_err();
        assert_eq!(e.message(), "placeholder `{nothing}` names no value");
    }

    /// An index (上年=100) with decimals asked is its number, as plain `{x}` prints it
    /// (review31 3: `{imbalance:1}` of an index printed 0.10002上年=100).
    #[test]
    fn an_index_with_decimals_is_its_number() {
        let mut vals = values();
        vals.insert("idx".to_string(), ValueOut { value: Some(108.46), unit: "上年=100".into() });
        let msg = fill(&parse("{idx}，{idx:1}"), &cell(&vals), Mode::Message).unwrap();
        assert_eq!(msg, "108.46，108.5");
    }

    #[test]
    fn a_function_placeholder_gets_the_region_and_the_values() {
        let vals = values();
        let mut seen = Vec::new();
        let mut call = |f: &str, args: Vec<Dynamic>| {
            seen.push(format!("{f}({})", args.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")));
            Ok("较快".to_string())
        };
        let said = fill(&parse("{region}{说法(region, gdp, fdi, \"县\")}"), &cell(&vals), Mode::Prose(&mut call)).unwrap();
        assert_eq!(said, "甲镇较快");
        assert_eq!(seen, ["说法(甲镇, 7.75, , 县)"]);
    }

    #[test]
    fn units_decide_which_phrasings_fit() {
        assert!(unit_problem(&How::Growth, &Unit::parse("亿元")).is_some());
        assert!(unit_problem(&How::Growth, &Unit::parse("%")).is_none());
        assert!(unit_problem(&How::Pp, &Unit::parse("‰")).is_none());
        assert!(unit_problem(&How::Rank, &Unit::parse("%")).is_some());
        assert!(unit_problem(&How::Amount, &Unit::parse("亿元")).is_none());
    }
}
