//! What the report rules say in one report: each rule's `when` evaluated over the
//! report's region (and the regions under it) at the report's period, its sentences
//! filled, ordered and cut to `max`, and collected by section into paragraphs.

use crate::finding::{ValueOut, Values};
use crate::report::call::Caller;
use crate::run::{evaluate_script, evaluate_series, evaluate_values};
use crate::sentence::{self, Cell, Mode};
use crate::workspace::Workspace;
use serde::Serialize;
use yearbook_core::error::{Error, ErrorKind, Result};
use yearbook_core::series::Series;
use yearbook_script::report_rule::ReportRule;

/// One sentence a report rule says.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// The section that collects it.
    pub section: String,
    /// The report rule's id.
    pub rule: String,
    /// The region's code.
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// The period.
    pub period: String,
    /// The sentence, filled.
    pub text: String,
}

/// The sentences of every report rule (or only `only`) for a report on region `region`
/// at period index `period`: by section (in the report's order), a section's rules by
/// priority then id, each rule's sentences
/// by its `order` (largest first, missing last, then the regions' file order), at most
/// `max` of them.
pub fn sentences(ws: &Workspace, region: u32, period: usize, only: Option<&str>) -> Result<Vec<Sentence>> {
    // Ranks place regions as the report's ranking() and indicator table do.
    let scoped = ws.for_report_on(region).as_of(Some(period));
    let ws = &scoped;
    if let Some(id) = only
        && !ws.program.report_rules.iter().any(|r| r.rule.id == id)
    {
        let hint = yearbook_core::suggest::did_you_mean(id, ws.program.report_rules.iter().map(|r| r.rule.id.as_str()));
        return Err(Error::usage(format!("unknown report rule `{id}`{hint}")));
    }
    let mut rules: Vec<&ReportRule> = ws.program.report_rules.iter().filter(|r| only.is_none_or(|id| r.rule.id == id)).collect();
    let sections = crate::report::sections(&ws.config);
    let at = |r: &ReportRule| sections.iter().position(|s| *s == r.section).unwrap_or(usize::MAX);
    rules.sort_by(|a, b| (at(a), a.priority, &a.rule.id).cmp(&(at(b), b.priority, &b.rule.id)));
    let caller = Caller::new(ws);
    let mut out = Vec::new();
    for rr in rules {
        out.extend(rule_sentences(ws, rr, region, period, &caller)?);
    }
    Ok(out)
}

/// Regions the report speaks of: `top` and every region under it, in file order.
fn under(ws: &Workspace, top: u32) -> Vec<usize> {
    let regions = ws.panel().regions();
    (0..regions.len())
        .filter(|&i| {
            let mut cur = i as u32;
            loop {
                if cur == top {
                    return true;
                }
                let up = regions.parent[cur as usize];
                if up == yearbook_core::region::NONE || up as usize >= regions.len() {
                    return false;
                }
                cur = up;
            }
        })
        .collect()
}

/// A report rule read as shown at every level: its `when`, its values and its order.
type Shown = (Series, Vec<(String, Series)>, Option<Series>);

fn rule_sentences(ws: &Workspace, rr: &ReportRule, region: u32, p: usize, caller: &Caller) -> Result<Vec<Sentence>> {
    let rule = &rr.rule;
    let place = |e: Error| if e.span().is_some() { e } else { e.at(rule.at.clone()) };
    let mask = when_mask(ws, rr).map_err(place)?;
    let values = evaluate_values(ws, rule, &mask).map_err(place)?;
    // What `check` refuses is refused here too (a change from a figure of another
    // dimension said 低96% of 2.1亿元 against 52.5%).
    if let Some(e) = phrasing_problems(ws, rule, &rr.pieces, "say", &values).into_iter().next() {
        return Err(e);
    }
    let order = match &rr.order {
        Some((text, ast)) => Some(
            evaluate_series(ws, &format!("{}.order", rule.script), text, ast, &mask, rule.levels.as_deref(), rule.missing)
                .map_err(place)?,
        ),
        None => None,
    };
    if rule.periods.as_ref().is_some_and(|ps| !ps.contains(&p)) {
        return Ok(Vec::new());
    }
    let regions = ws.panel().regions();
    // A region made of its children (a county without figures of its own) has nothing in
    // the rule as written: its cells are read as shown at every level, where that
    // evaluates (a cross-region `sum(gdp)` would count the county beside its towns and is
    // refused there: then as written). It said 暂无数据 of a county whose table showed
    // 34亿元, and `when` passed it over.
    // Read again only where the rule as written left a cell under the report's region
    // missing: most rules have none, and the reading is of the whole panel.
    let cells: Vec<usize> = if mask.by_region { under(ws, region) } else { vec![region as usize] };
    let gaps = cells.iter().any(|&r| mask.get(r, p).is_nan() || values.iter().any(|(_, s)| s.get(r, p).is_nan()));
    let shown: Option<Shown> = rr.shown.as_ref().filter(|_| mask.by_region && gaps).and_then(|every| {
        let m = when_mask_of(ws, every).ok()?;
        let v = evaluate_values(ws, every, &m).ok()?;
        let o = match &rr.order {
            Some((text, ast)) => {
                Some(evaluate_series(ws, &format!("{}.order", rule.script), text, ast, &m, every.levels.as_deref(), every.missing).ok()?)
            }
            None => None,
        };
        growth_problems(ws, rr, &v).is_empty().then_some((m, v, o))
    });
    // A cell the rule as written leaves missing (its `when`, or a value) and the shown
    // reading gives.
    let made = |r: usize| {
        shown.as_ref().is_some_and(|(m, v, _)| {
            (mask.get(r, p).is_nan() && !m.get(r, p).is_nan())
                || values.iter().zip(v).any(|((_, a), (_, b))| a.get(r, p).is_nan() && !b.get(r, p).is_nan())
        })
    };
    let mut fired: Vec<(usize, f64)> = cells
        .into_iter()
        .filter(|&r| !mask.by_region || rule.levels.as_ref().is_none_or(|l| l.contains(&regions.level[r])))
        .filter(|&r| {
            let v = match &shown {
                Some((m, _, _)) if made(r) => m.get(r, p),
                _ => mask.get(r, p),
            };
            !v.is_nan() && v != 0.0
        })
        .map(|r| {
            let order = match &shown {
                Some((_, _, o)) if made(r) => o.as_ref(),
                _ => order.as_ref(),
            };
            (r, order.map(|o| o.get(r, p)).unwrap_or(f64::NAN))
        })
        .collect();
    if order.is_some() {
        // Largest first, missing last; a stable sort keeps the file order of ties.
        fired.sort_by(|a, b| match (a.1.is_nan(), b.1.is_nan()) {
            // Equal but for binary noise: tied, in file order.
            (false, false) => yearbook_core::kernel::arith::tie_key(b.1).total_cmp(&yearbook_core::kernel::arith::tie_key(a.1)),
            (x, y) => x.cmp(&y),
        });
    }
    // `max` keeps that many, and every region tied with the last one kept (two towns
    // that grew 10% are both 增速最快, never one of them by file order).
    if let Some(max) = rr.max
        && fired.len() > max
    {
        let key = |x: f64| yearbook_core::kernel::arith::tie_key(x);
        let last = max.checked_sub(1).map(|i| fired[i].1);
        let keep = match last {
            Some(l) if order.is_some() && !l.is_nan() => max + fired[max..].iter().take_while(|(_, v)| key(*v) == key(l)).count(),
            _ => max,
        };
        fired.truncate(keep);
    }
    let period = ws.panel().periods().get(p).to_string();
    let panel = ws.panel();
    // The labels of values that are indicators (`profit`: 利润总额), for their words.
    let labels = crate::run::value_labels(ws, rule);
    // The values whose growth is over another stretch than a year: no 同比 in their words.
    let per_year = i64::from(panel.periods().freq.per_year());
    let not_yearly = yearbook_script::derived::not_over_a_year(&rule.values, per_year, &ws.program.indicators);
    let against = crate::run::against_other_figures(ws, rule, &rr.pieces);
    // The changes `{x:change(prev)}` of each reading: where one sets totals over different
    // regions against each other, it is 统计范围变化.
    let between = |vals: &[(String, Series)]| {
        sentence::changes_between(&rr.pieces, &|n: &str| vals.iter().find(|(m, _)| m == n).map(|(_, s)| s.clone()))
    };
    let between_written = between(&values);
    let between_shown = shown.as_ref().map(|(_, v, _)| between(v));
    // Figures ranked in the sentences: printed with the decimals that tell regions of
    // different places apart (5.004%, 5%, 4.996% said 第1位, 第2位, 第3位; never 5% thrice).
    let ranked = crate::ranked::ranked_values(ws, rule, &rr.pieces);
    let reading = |r: usize| match &shown {
        Some((_, v, _)) if made(r) => v,
        _ => &values,
    };
    let apart: Vec<Vec<(String, usize)>> = {
        let get = |r: usize, n: &str| reading(r).iter().find(|(m, _)| m == n).map(|(_, s)| (s.get(r, p), s.unit.clone()));
        // One field per level of the regions said.
        let mut fields: Vec<(u8, crate::ranked::Field)> = Vec::new();
        if !ranked.is_empty() {
            for &(r, _) in &fired {
                let l = regions.level[r];
                if !fields.iter().any(|(m, _)| *m == l) {
                    let members = fired.iter().map(|&(o, _)| o).filter(move |&o| regions.level[o] == l);
                    fields.push((l, crate::ranked::Field::new(&ranked, members, &get)));
                }
            }
        }
        fired
            .iter()
            .map(|&(r, _)| match fields.iter().find(|(l, _)| *l == regions.level[r]) {
                Some((_, field)) => field.apart_at(&ranked, r, &get),
                None => Vec::new(),
            })
            .collect()
    };
    let mut out = Vec::new();
    for ((r, _), apart) in fired.into_iter().zip(&apart) {
        let (values, changes) = match &shown {
            Some((_, v, _)) if made(r) => (v, between_shown.as_ref().unwrap_or(&between_written)),
            _ => (&values, &between_written),
        };
        // A rank's place another region of its level (and group) shares: 并列第2位.
        let tied: Vec<String> = values.iter().filter(|(_, s)| s.tied_at(r, p)).map(|(name, _)| name.clone()).collect();
        let vals: Values = values
            .iter()
            .map(|(name, s)| {
                let x = yearbook_core::kernel::arith::significant(s.get(r, p), 15);
                (name.clone(), ValueOut { value: x.is_finite().then_some(x), unit: s.unit.symbol.clone() })
            })
            .collect();
        // Values missing for a known reason (a growth over a loss), or a growth from a
        // profit to a loss, said in words.
        let mut why: Vec<(String, crate::report::phrase::Why)> = values
            .iter()
            .filter_map(|(name, s)| {
                let (w, x, b) = s.missing_why_at(r, p)?;
                let label = w.indicator.and_then(|i| panel.indicators.get(i)).map_or("", |i| i.label.as_str());
                Some((
                    name.clone(),
                    crate::report::phrase::why(
                        w.kind,
                        x,
                        b,
                        &w.unit,
                        label,
                        crate::report::phrase::before(panel.periods().freq, w.periods_back),
                    ),
                ))
            })
            .collect();
        why.extend(sentence::scope_changes_at(changes, &vals, r, p));
        let (code, name) = (regions.codes[r].clone(), regions.label(r as u32).to_string());
        // Figures `latest` took from another period than the report's (丙镇's 2020 GDP in a
        // report of 2021): the sentence is of their period, where they are its only
        // figures of a period; beside figures of the report's period it is refused.
        let period = match sentence::latest_period_at(values.iter().map(|(_, s)| s), r) {
            Some(Ok(q)) if q == p => period.clone(),
            Some(Ok(q)) if !values.iter().any(|(_, s)| s.by_period) => panel.periods().get(q).to_string(),
            None => period.clone(),
            Some(other) => {
                let of = match other {
                    Ok(q) => format!("of {}", panel.periods().get(q)),
                    Err(()) => "of several periods".to_string(),
                };
                return Err(Error::new(
                    ErrorKind::Data,
                    format!(
                        "{}.say at {name} ({code}), {period}: figures `latest` took there are {of}, beside figures of {period}: \
                         the sentence would say them all as {period}'s; say the latest figures in a sentence of their own (its \
                         {{period}} is then theirs), or use the figures of {period}",
                        rule.script
                    ),
                )
                .at(rule.at.clone()));
            }
        };
        // A place among no other region of its level (the report's county, alone at the
        // top): 居第1位 of one says nothing, as the indicator table's — says.
        for piece in &rr.pieces {
            let yearbook_script::placeholder::Piece::Slot(
                yearbook_script::placeholder::Slot::Value { name: v, how: yearbook_script::placeholder::How::Rank },
                key,
            ) = piece
            else {
                continue;
            };
            let Some((_, s)) = values.iter().find(|(n, _)| n == v) else { continue };
            if !s.by_region || s.get(r, p).is_nan() {
                continue;
            }
            let level = regions.level[r];
            if !(0..regions.len()).any(|o| o != r && regions.level[o] == level && !s.get(o, p).is_nan()) {
                let level_name = regions.levels.get(level as usize).cloned().unwrap_or_default();
                return Err(Error::new(
                    ErrorKind::Data,
                    format!(
                        "{}.say at {name} ({code}), {period}: `{{{key}}}` places {name} among no other region of its level \
                         ({level_name}): 第1位 of one says nothing; scope the rule to the levels it ranks (levels = [...]) or say \
                         no place here",
                        rule.script
                    ),
                )
                .at(rule.at.clone()));
            }
        }
        let actuals = sentence::completion_actuals(panel, vals.keys(), r, p);
        let cell = Cell {
            region: &name,
            code: &code,
            period: &period,
            rule: &rule.id,
            severity: "",
            description: "",
            values: &vals,
            imbalance: None,
            tolerance: None,
            why: &why,
            labels: &labels,
            tied: &tied,
            not_yearly: &not_yearly,
            against: &against,
            failing: false,
            actuals: &actuals,
            apart,
            of_period: &[],
        };
        let mut call = |f: &str, args| caller.call_text(f, args);
        let text = sentence::fill(&rr.pieces, &cell, Mode::Prose(&mut call)).map_err(|e| {
            Error::new(e.kind(), format!("{}.say at {name} ({code}), {period}: {}", rule.script, e.message())).at(rule.at.clone())
        })?;
        out.push(Sentence {
            section: rr.section.clone(),
            rule: rule.id.clone(),
            region: code,
            region_name: name,
            period: period.clone(),
            text,
        });
    }
    Ok(out)
}

/// A report rule's `when`: a mask, never a number series or a built-in check.
pub(crate) fn when_mask(ws: &Workspace, rr: &ReportRule) -> Result<Series> {
    when_mask_of(ws, &rr.rule)
}

/// [`when_mask`] of the rule as written or as shown at every level.
fn when_mask_of(ws: &Workspace, rule: &yearbook_script::rule::Rule) -> Result<Series> {
    let (v, _, _) = evaluate_script(ws, rule)?;
    let ty = v.type_name().to_string();
    match v.try_cast::<Series>() {
        Some(s) if s.mask => Ok(s),
        Some(s) => {
            let unit = if s.unit.symbol.is_empty() { String::new() } else { format!(" in {}", s.unit.symbol) };
            Err(Error::new(
                ErrorKind::Type,
                format!("{}: `when` must give a mask, not a series of numbers{unit} (compare it: `x > 0`, `x <= y`)", rule.script),
            ))
        }
        None => Err(Error::new(
            ErrorKind::Type,
            format!("{}: `when` must give a mask (a comparison: `x > y`), not {ty}; built-in checks belong in [rules]", rule.script),
        )),
    }
}

/// The sentences of one section as Markdown paragraphs, one per rule: its sentences
/// joined by ；and ended by 。 (a sentence's own closing 。；，is dropped).
pub fn paragraphs(sentences: &[Sentence], section: &str) -> String {
    let mut paras: Vec<(String, Vec<String>)> = Vec::new();
    for s in sentences.iter().filter(|s| s.section == section) {
        let t = s.text.trim().trim_end_matches(['。', '；', '，', ';', ',', '.']).to_string();
        match paras.last_mut() {
            Some((rule, v)) if *rule == s.rule => v.push(t),
            _ => paras.push((s.rule.clone(), vec![t])),
        }
    }
    paras.into_iter().map(|(_, v)| format!("{}。", v.join("；"))).collect::<Vec<_>>().join("\n\n")
}

/// What `yearbook check` finds in a report rule without data: `when` that is no mask,
/// scripts that do not evaluate (unit and type errors), and values phrased in a way
/// their unit does not allow (`{gdp:growth}` of an amount in 亿元).
pub fn problems(ws: &Workspace, rr: &ReportRule) -> Vec<Error> {
    let rule = &rr.rule;
    let place = |e: Error| if e.span().is_some() { e } else { e.at(rule.at.clone()) };
    let mask = match when_mask(ws, rr) {
        Ok(m) => m,
        Err(e) => return vec![place(e)],
    };
    let mut out = Vec::new();
    if let Some((text, ast)) = &rr.order
        && let Err(e) = evaluate_series(ws, &format!("{}.order", rule.script), text, ast, &mask, rule.levels.as_deref(), rule.missing)
    {
        out.push(place(e));
    }
    // Each value on its own: one that needs figures `check` does not load (`at(urb, "t1",
    // 2021)` on an empty panel) leaves the others' phrasings checked.
    let mut values = Vec::new();
    for (vname, text, ast) in &rule.values {
        let vn = format!("{}.values.{vname}", rule.script);
        match evaluate_series(ws, &vn, text, ast, &mask, rule.levels.as_deref(), rule.missing) {
            Ok(s) => values.push((vname.clone(), yearbook_core::kernel::arith::as_written(s))),
            Err(e) if e.kind().is_static() => {
                out.push(place(e));
                return out;
            }
            Err(_) => {}
        }
    }
    out.extend(phrasing_problems(ws, rule, &rr.pieces, "say", &values));
    out
}

/// The functions that give a growth or a share as a fraction (0.1 for 10%), with the
/// phrasing that says it in words.
const FRACTIONS: [(&str, &str); 9] = [
    ("yoy", "growth"),
    ("pop", "growth"),
    ("growth", "growth"),
    ("cagr", "growth"),
    ("two_year_avg", "growth"),
    ("two_year_avg_growth", "growth"),
    ("completion", "completion"),
    ("share", "pct"),
    ("expected_share", "pct"),
];

/// `{x:growth}` of a value that is no growth of an amount (a rate's level or change, a
/// rank, a multiple's change) in a rule's `field` (a report rule's `say`, a rule's
/// `message`), read into `pieces`, with its `values` computed.
fn growths_of_no_growth(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    use yearbook_script::placeholder::{How, Piece, Slot};
    let mut out = Vec::new();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how: How::Growth }, key) = p else { continue };
        let Some((_, s)) = values.iter().find(|(n, _)| n == name) else { continue };
        let Some((text, ast)) = rule.values.iter().find(|(n, _, _)| n == name).map(|(_, t, a)| (t.as_str(), a)) else { continue };
        // A value in 百分点 of no rate known (a pacing, a completion's change): said so.
        let why =
            not_a_growth(ws, name, text, ast, s).or_else(|| sentence::is_points(&s.unit).then(|| sentence::points_misread(&s.unit.symbol)));
        if let Some(why) = why {
            out.push(Error::new(ErrorKind::Unit, format!("{}.{field}: `{{{key}}}` {why}", rule.script)).at(rule.at.clone()));
        }
    }
    out
}

/// `{c:1}` or `{c}` of a value that is a fraction of a whole (`completion(a, t)`,
/// `yoy(x)`, `share(a, b)`, a growth written out as `gdp / lag(gdp, 1) - 1`, or a derived
/// indicator that is one): it printed 完成年度目标0.5 and 同比增长0.1 for 50.8% and 10%,
/// -0.1 for a fall of 5%. Refused, saying what to write: `{c:completion}`, `{g:growth}`,
/// or the value in percent (`pct(...)`).
///
/// In a rule's `field` (a report rule's `say`, a rule's `message`)
/// read into `pieces`, with its `values` computed.
fn fractions_printed(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    use yearbook_script::placeholder::{Arg, How, Piece, Slot};
    // A value that is a fraction of a whole (a growth, a share: 0.1 for 10%), with the
    // phrasing that says it in words ("pct" where there is none); `amount` only where a
    // function gives it (`{x:amount}` of a plain dimensionless figure is fine).
    let fraction = |name: &str, amount: bool| -> Option<(&'static str, &str)> {
        let (_, s) = values.iter().find(|(n, _)| n == name)?;
        if !(s.unit.is_dimensionless() && s.unit.scale == 1.0) || s.unit.is_index() {
            return None;
        }
        let (text, ast) = rule.values.iter().find(|(n, _, _)| n == name).map(|(_, t, a)| (t.as_str(), a))?;
        let def = ws.program.indicators.get(text.trim());
        // Under what keeps the scale too: `fill(yoy(gdp), 0)`, `round(yoy(gdp), 3)`.
        let outer = yearbook_script::derived::kept_call_of(def.map_or(ast, |d| &d.ast));
        let called = outer.as_ref().and_then(|(f, _, _)| FRACTIONS.iter().find(|(g, _)| g == f).map(|(_, w)| *w));
        // A derived share or ratio `a / b` labelled as one (地方财政收入占比): 0.4364 for
        // 43.64%, as `share(a, b)` gives it.
        let called = called.or_else(|| {
            let divided = outer.as_ref().is_some_and(|(f, _, _)| *f == "/");
            (divided && def.is_some_and(|d| rate_or_share(ws, &d.id, Some(s)).is_some())).then_some("pct")
        });
        // `:amount` of a fraction of a whole (0.44 for 43.64%) is refused as `{x}` is.
        if amount && called.is_none() {
            return None;
        }
        // A growth written out (`gdp / lag(gdp, 1) - 1`) is a fraction as yoy's is.
        let words = called.or_else(|| is_growth_fraction(def.map_or(text, |d| d.text.as_str())).then_some("growth"))?;
        Some((words, text))
    };
    let mut out = Vec::new();
    for p in pieces {
        // A scripts function given a fraction (增速程度(g) of `yoy(gdp)`: 0.32 read against
        // `g >= 30.0` said 平稳增长 of a growth of 32%), where a template's `yoy("gdp")`
        // hands the same function 32.
        if let Piece::Slot(Slot::Call { function, args }, key) = p {
            for a in args {
                let Arg::Name(name) = a else { continue };
                let Some((_, text)) = fraction(name, false) else { continue };
                out.push(
                    Error::new(
                        ErrorKind::Unit,
                        format!(
                            "{}.{field}: `{{{key}}}` hands `{function}` the value `{name}` = `{}`, a fraction (0.1 for 10%), where \
                             a template's call hands it a growth or share in percent: give the value in percent, `pct({})`",
                            rule.script,
                            text.trim(),
                            text.trim()
                        ),
                    )
                    .at(rule.at.clone()),
                );
            }
            continue;
        }
        let Piece::Slot(Slot::Value { name, how: how @ (How::Plain | How::Decimals(_) | How::Amount) }, key) = p else { continue };
        let Some((words, text)) = fraction(name, matches!(how, How::Amount)) else { continue };
        let instead = match words {
            "pct" => String::new(),
            w => format!("`{{{name}:{w}}}`, or "),
        };
        out.push(
            Error::new(
                ErrorKind::Unit,
                format!(
                    "{}.{field}: `{{{key}}}` prints `{name}` = `{}`, a fraction (0.1 for 10%), as a bare number: write {instead}the \
                     value in percent, `pct({})`",
                    rule.script,
                    text.trim(),
                    text.trim()
                ),
            )
            .at(rule.at.clone()),
        );
    }
    out
}

/// `{x:growth}` (同比增长N%) of a value that is no growth: the level of a rate or share
/// (城镇化率52.5% would read 同比增长52.5%), a relative change of one (its change is in
/// 百分点), or a rank (第2位 would read 同比增长200%). Each one refused with what to write
/// instead, at its rule.
fn growth_problems(ws: &Workspace, rr: &ReportRule, values: &[(String, Series)]) -> Vec<Error> {
    growth_phrasing_problems(ws, &rr.rule, &rr.pieces, "say", values)
}

/// [`growth_problems`] of a rule's `field` (a report rule's `say`, a rule's `message`)
/// read into `pieces`, with its `values` computed: growths that are none, levels and
/// growths said in 百分点, growths said as completions, fractions printed bare.
fn growth_phrasing_problems(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    let mut out = growths_of_no_growth(ws, rule, pieces, field, values);
    out.extend(levels_as_points(ws, rule, pieces, field, values));
    out.extend(growths_as_completions(ws, rule, pieces, field, values));
    out.extend(fractions_printed(ws, rule, pieces, field, values));
    out
}

/// Every phrasing of a rule's `field` that its values cannot be said in
/// ([`phrasings_against_units`], then [`growth_phrasing_problems`]): what `check`, `run`
/// and `report` refuse alike, for a report rule's `say` and a rule's `message`.
pub(crate) fn phrasing_problems(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    let mut out = phrasings_against_units(ws, rule, pieces, field, values);
    out.extend(growth_phrasing_problems(ws, rule, pieces, field, values));
    out
}

/// A phrasing in a rule's `field` (a report rule's `say`, a rule's `message`) that its
/// value's unit does not allow (`{gdp:growth}` of an amount in 亿元, `{v:pace}` of one not
/// in 百分点): a message printed `{?gdp:growth}` into every finding where `check` passed it.
fn phrasings_against_units(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    use yearbook_script::placeholder::{Piece, Slot};
    let mut out = Vec::new();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how }, key) = p else { continue };
        // A change from a figure of another dimension (利润 in 万元 from 人口 in 万人) has
        // no meaning; one of another scale (万元 from 亿元) is converted.
        // A value of the rule, else an indicator named directly (`{cum.out:change(p1)}`).
        let series_of = |n: &str| match values.iter().find(|(m, _)| m == n) {
            Some((_, s)) => Some(s.clone()),
            None => ws.panel().indicator(n).map(|i| ws.data.indicator_series(i)),
        };
        let unit_of = |n: &str| series_of(n).map(|s| s.unit);
        if let yearbook_script::placeholder::How::Change(prev) = how
            && let (Some(x_unit), Some(b_unit)) = (unit_of(name), unit_of(prev))
            && !x_unit.same_dimension(&b_unit)
        {
            out.push(
                Error::new(
                    ErrorKind::Unit,
                    format!(
                        "{}.{field}: `{{{key}}}` sets `{name}` in {} against `{prev}` in {}, which are not of one dimension: \
                         compare figures of one kind (amounts of money with money, rates with rates)",
                        rule.script,
                        x_unit.show(),
                        b_unit.show()
                    ),
                )
                .at(rule.at.clone()),
            );
            continue;
        }
        // A change the kernel refuses as a formula (`cum.x` from `lag(cum.x, 1)`: January's
        // 累计 against last year's whole, 1-3月 against 1-2月) is refused as a phrasing
        // too: it was said 下降90% and 增长50%.
        if let yearbook_script::placeholder::How::Change(prev) = how
            && let (Some(x), Some(b)) = (series_of(name), series_of(prev))
            && let Err(e) = yearbook_core::kernel::arith::binary(x, b, yearbook_core::kernel::arith::Op::Sub)
        {
            out.push(
                Error::new(ErrorKind::Usage, format!("{}.{field}: `{{{key}}}` sets `{name}` against `{prev}`: {e}", rule.script))
                    .at(rule.at.clone()),
            );
            continue;
        }
        let Some((_, s)) = values.iter().find(|(n, _)| n == name) else { continue };
        if let Some(why) = sentence::unit_problem(how, &s.unit) {
            let msg = if s.unit.is_index() || sentence::is_points(&s.unit) {
                format!("{}.{field}: `{{{key}}}` {why}", rule.script)
            } else {
                format!("{}.{field}: `{{{key}}}` {why}; phrase it `{{{name}:amount}}`, or give a growth or share in %", rule.script)
            };
            out.push(Error::new(ErrorKind::Unit, msg).at(rule.at.clone()));
        }
    }
    out
}

/// The functions whose value is a growth, however it is scaled (`pct(yoy(x))`).
const GROWTHS: [&str; 8] = ["yoy", "pop", "growth", "cagr", "two_year_avg", "two_year_avg_growth", "yoy_pct", "two_year_avg_pct"];

/// `{c:completion}` or `{c:rank}` of a growth (`yoy(gdp)`, `gdp / lag(gdp, 1) - 1`):
/// completion words (未完成任务, 完成率为负) of a figure no target was set for, or a place
/// (`{?c:rank}` in a finding). Refused, saying to write `{c:growth}`.
fn growths_as_completions(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    use yearbook_script::placeholder::{How, Piece, Slot};
    let mut out = Vec::new();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how: how @ (How::Completion(_) | How::Rank) }, key) = p else { continue };
        if !values.iter().any(|(n, _)| n == name) {
            continue;
        }
        let Some((text, ast)) = rule.values.iter().find(|(n, _, _)| n == name).map(|(_, t, a)| (t.trim(), a)) else { continue };
        let def = ws.program.indicators.get(text);
        let call = yearbook_script::derived::scaled_call_of(def.map_or(ast, |d| &d.ast));
        if matches!(how, How::Completion(_)) && matches!(call, Some(("expected_share", _, _))) {
            let why = time_share(name, text, "a completion (时间进度50% would read 完成县下达任务50%)");
            out.push(Error::new(ErrorKind::Unit, format!("{}.{field}: `{{{key}}}` {why}", rule.script)).at(rule.at.clone()));
            continue;
        }
        let called = call.is_some_and(|(f, _, _)| GROWTHS.contains(&f));
        if called || is_growth_fraction(def.map_or(text, |d| d.text.as_str())) {
            out.push(
                Error::new(
                    ErrorKind::Unit,
                    format!(
                        "{}.{field}: `{{{key}}}` reads {}, and `{name}` = `{text}` is a growth: phrase it `{{{name}:growth}}` \
                         (同比增长5%), or give {}",
                        rule.script,
                        if matches!(how, How::Rank) { "a rank (第2位)" } else { "a completion of a target (actual / target)" },
                        if matches!(how, How::Rank) { "its rank (`rank(...)`)" } else { "a completion (`completion(actual, target)`)" }
                    ),
                )
                .at(rule.at.clone()),
            );
        }
    }
    out
}

/// A rate's own level phrased as a change in 百分点 (`{r:points}` of 城镇化率 52.5% would say
/// 提高52.5个百分点), an index's level (居民消费价格指数101.8, 上年=100: 提高101.8个百分点)
/// and a derived rate's (`local_rev / total_rev * 100` labelled 占比), in a rule's `field`
/// (a report rule's `say`, a rule's `message`) read into `pieces`, with its `values`.
fn levels_as_points(
    ws: &Workspace,
    rule: &yearbook_script::rule::Rule,
    pieces: &[yearbook_script::placeholder::Piece],
    field: &str,
    values: &[(String, Series)],
) -> Vec<Error> {
    use yearbook_core::series::RateOf;
    use yearbook_script::placeholder::{How, Piece, Slot};
    let mut out = Vec::new();
    for p in pieces {
        let Piece::Slot(Slot::Value { name, how: how @ (How::Points | How::Pp) }, key) = p else { continue };
        let Some((_, s)) = values.iter().find(|(n, _)| n == name) else { continue };
        let Some((text, ast)) = rule.values.iter().find(|(n, _, _)| n == name).map(|(_, t, a)| (t.trim(), a)) else { continue };
        let what = if matches!(how, How::Points) { "a change in 百分点" } else { "a difference of percentages" };
        let def = ws.program.indicators.get(text);
        // The level itself (the indicator, or a derived one named), never a difference
        // against a threshold (`urban - 50`: 高于2.5个百分点).
        let level_itself = s.indicator.is_some() || def.is_some();
        if level_itself && (matches!(s.rate, Some(RateOf::Level(_))) || (s.unit.is_index() && ws.panel().indicator(text).is_some())) {
            let level = if s.unit.is_index() { "an index" } else { "a rate" };
            out.push(
                Error::new(
                    ErrorKind::Unit,
                    format!(
                        "{}.{field}: `{{{key}}}` reads {what}, and `{name}` is the level of {level}: phrase it as it is \
                         (`{{{name}}}`), or give its change as a value (`diff({text})`: 提高2.5个百分点)",
                        rule.script
                    ),
                )
                .at(rule.at.clone()),
            );
            continue;
        }
        // A growth in % (GDP增速 8.1%, `reported_yoy.gdp`, `yoy_pct(gdp)`) is no change in
        // 百分点: 提高8.1个百分点 would say the growth rose by 8.1 points. A rate's own
        // relative change (`yoy(urban)`) is said in 百分点 elsewhere; not here.
        let level_in_percent = level_itself && matches!(s.rate, Some(RateOf::Percent(_) | RateOf::Growth(_)));
        let body = def.map_or(text, |d| d.text.as_str());
        let growth_of_figure = matches!(s.rate, None | Some(RateOf::Percent(_) | RateOf::Growth(_)))
            && (yearbook_script::derived::scaled_call_of(def.map_or(ast, |d| &d.ast)).is_some_and(|(f, _, _)| GROWTHS.contains(&f))
                || is_change_over_base(body)
                || is_growth_fraction(&unscaled(body)));
        if level_in_percent || growth_of_figure {
            let it = if growth_of_figure { "a growth" } else { "the level of a figure in % (a growth rate, a reported figure)" };
            out.push(
                Error::new(
                    ErrorKind::Unit,
                    format!(
                        "{}.{field}: `{{{key}}}` reads {what}, and `{name}` = `{text}` is {it}: 增速8.1% would say \
                         提高8.1个百分点; phrase a growth `{{{name}:growth}}` (同比增长8.1%) and a level `{{{name}}}` (8.1%), or give \
                         its change as a value (`diff({text})`: 提高2个百分点)",
                        rule.script
                    ),
                )
                .at(rule.at.clone()),
            );
        }
    }
    out
}

/// Whether the indicator `n` is a rate or a share, in words (None when it is not, or is
/// no indicator, or one of a namespace of facts): a loaded one declared `kind = rate`, or whose label names a rate or
/// share ([`phrase::is_unitless_rate`]: 比重, 占比, 比例, 份额, …率; not a growth rate,
/// 增长率), in % or without a unit; a derived `share(a, b)`, `completion(a, b)` or ratio of
/// two figures of one dimension (`a / b`, `a / b * 100`).
fn rate_or_share(ws: &Workspace, n: &str, s: Option<&Series>) -> Option<String> {
    use crate::report::phrase;
    use yearbook_core::series::Agg;
    let panel = ws.panel();
    let growth_word = |label: &str| ["增长", "增速", "增幅", "同比", "环比"].iter().any(|w| label.contains(w));
    if let Some(i) = panel.indicator(n) {
        let ind = &panel.indicators[i];
        // A namespace of facts (`reported_yoy.gdp`) holds reported figures, such as the
        // growths a yearbook prints beside its levels: no level of a rate here.
        if ind.code.contains('.') {
            return None;
        }
        if !ind.is_rate_or_share() {
            return None;
        }
        return Some(if ind.kind == yearbook_core::indicator::Kind::Rate {
            format!("the rate `{n}` ({}, kind = rate)", ind.label)
        } else {
            format!("the rate or share `{n}` ({})", ind.label)
        });
    }
    let d = ws.program.indicators.defs.iter().find(|d| d.id == n)?;
    let computed;
    let s = match s {
        Some(s) => s,
        None => {
            computed = ws.compute_indicator(n).ok()?;
            &computed
        }
    };
    let ratio = s.unit.is_dimensionless() && !s.unit.is_index() && matches!(s.agg, Agg::Ratio(_));
    let share = match d.outer_call() {
        Some(("share" | "completion", 2)) => true,
        Some(("/", 2)) => phrase::is_unitless_rate(&s.unit, &d.label, false) && !growth_word(&d.label),
        _ => false,
    };
    (share || ratio).then(|| format!("the share or ratio `{n}` (`{}`)", d.text))
}

/// The words refusing the 时间进度 (`expected_share`: the share of a year's target due by
/// the month, a level) phrased as `as_what`.
fn time_share(name: &str, text: &str, as_what: &str) -> String {
    format!(
        "phrases the 时间进度 (`{text}`, the share of the year's target due by now, a level) as {as_what}; say it as a level \
         (`{{{name}:1}}` of `pct(...)`: 时间进度50%), and a town's lead on it with a value p = \"pacing(actual, target)\" phrased \
         `{{p:pace}}` (超前时间进度5个百分点)"
    )
}

/// What a value (`name`, computed by `text`) is when `{name:growth}` would misphrase it:
/// see [`growth_problems`]; the problem and what to write instead, in words.
fn not_a_growth(ws: &Workspace, name: &str, text: &str, ast: &rhai::AST, s: &Series) -> Option<String> {
    use yearbook_core::series::RateOf;
    // Under pct(), round(), `* 100`: the same change, scaled.
    let call = yearbook_script::derived::scaled_call_of(ast);
    match call {
        Some(("rank", _, _)) => {
            return Some(format!(
                "phrases a rank (`{text}`) as a growth (第2位 would read 同比增长200%); phrase it `{{{name}:rank}}` (第2位)"
            ));
        }
        Some(("expected_share", _, _)) => return Some(time_share(name, text, "a growth (时间进度50% would read 同比增长50%)")),
        // A difference in 倍 is refused by its unit (sentence::unit_problem).
        Some(("diff", _, Some(arg))) if is_multiple(ws, arg, None) => return None,
        Some(("yoy" | "growth" | "cagr" | "two_year_avg" | "pop" | "yoy_pct" | "two_year_avg_pct", _, Some(arg)))
            if is_multiple(ws, arg, None) =>
        {
            return Some(multiple_change(text, arg));
        }
        Some(("yoy" | "growth" | "cagr" | "two_year_avg" | "pop" | "yoy_pct" | "two_year_avg_pct", _, Some(arg))) => {
            if let Some(what) = rate_or_share(ws, arg, None) {
                return Some(relative_change(&what, text, &points_value(ws, arg, None)));
            }
        }
        Some(("diff", _, Some(arg))) => {
            if let Some(what) = rate_or_share(ws, arg, None) {
                return Some(points_change(&what, text, &points_value(ws, arg, None)));
            }
        }
        _ => {}
    }
    // However the formula spells it (a label, a wrapper, fill, where, abs, a library
    // function, `x / lag(x, 1) - 1` by hand): the series knows what rate it is of.
    // A rate by its name (`urban_rate` (城镇化率)), or a quotient the formula computes.
    let named = |n: &str| n.strip_prefix('`').and_then(|r| r.split_once('`')).map(|(code, _)| code.to_string());
    let what = |n: &str| if named(n).is_some() { format!("the rate or share {n}") } else { n.to_string() };
    let rate_value = |n: &str| match (named(n), call) {
        (Some(code), _) => points_value(ws, &code, None),
        (None, Some((_, _, Some(arg)))) => format!("diff(pct({arg}))"),
        // What the formula takes the change of, as written (`pop(pct(yoy(out)))`,
        // `g / lag(g, 1) - 1`): already in % (`pct(...)`), its difference is in 百分点.
        (None, _) => match changed_of(text) {
            Some(arg) if arg.starts_with("pct(") => format!("diff({arg})"),
            Some(arg) => format!("diff(pct({arg}))"),
            None => "diff(pct(x))".to_string(),
        },
    };
    match &s.rate {
        Some(RateOf::Relative(n)) if !is_multiple(ws, text.trim(), Some(s)) => {
            return Some(relative_change(&what(n), text, &rate_value(n)));
        }
        Some(RateOf::Points(n)) if !is_multiple(ws, text.trim(), Some(s)) => {
            return Some(points_change(&what(n), text, &rate_value(n)));
        }
        _ => {}
    }
    // A level or a difference in 倍 is refused by its unit (sentence::unit_problem).
    if is_multiple(ws, text.trim(), Some(s)) {
        return None;
    }
    let loaded = s.indicator.filter(|_| std::sync::Arc::ptr_eq(&ws.panel().axes, &s.axes)).map(|i| ws.panel().indicators[i].code.clone());
    let what = match rate_or_share(ws, text.trim(), Some(s)).or_else(|| loaded.and_then(|c| rate_or_share(ws, &c, None))) {
        Some(w) => w,
        None if s.unit.is_dimensionless()
            && !s.unit.is_index()
            && matches!(s.agg, yearbook_core::series::Agg::Ratio(_))
            && !is_change_over_base(text) =>
        {
            format!("the share or ratio `{text}`")
        }
        None => match &s.rate {
            Some(RateOf::Level(n)) => format!("{} (`{text}`)", what(n)),
            _ => return None,
        },
    };
    Some(format!(
        "phrases the level of {what} as a growth (a level of 52.5% would read 同比增长52.5%); say the level as it is \
         (`{{{name}}}`), and its change in 百分点: a value d = \"{}\" phrased `{{d:points}}` (提高2.5个百分点)",
        points_value(ws, text.trim(), Some(s))
    ))
}

/// What a change's formula takes the change of, as written: the first argument of its
/// `lag(...)` (`g / lag(g, 1) - 1`), else of its outer change (`pop(pct(yoy(out)))`,
/// under `pct` or `round`); None when it is neither.
fn changed_of(text: &str) -> Option<String> {
    // The first argument of the call whose `(` ends at `open`.
    fn first_arg(t: &str, open: usize) -> Option<String> {
        let mut depth = 0usize;
        for (i, c) in t[open..].char_indices() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' if depth == 1 => return Some(t[open + 1..open + i].trim().to_string()),
                ')' | ']' => depth = depth.checked_sub(1)?,
                ',' if depth == 1 => return Some(t[open + 1..open + i].trim().to_string()),
                _ => {}
            }
        }
        None
    }
    let t = text.trim();
    if let Some(at) = t.find("lag(") {
        return first_arg(t, at + 3).filter(|a| !a.is_empty());
    }
    let mut t = t;
    while let Some(inner) = ["pct(", "round("].iter().find_map(|w| t.strip_prefix(w)) {
        t = inner.strip_suffix(')').unwrap_or(inner).split(',').next().unwrap_or(inner).trim();
        if !t.contains('(') {
            return None;
        }
    }
    let name = ["yoy(", "pop(", "growth(", "cagr(", "two_year_avg("].into_iter().find(|w| t.starts_with(w))?;
    first_arg(t, name.len() - 1).filter(|a| !a.is_empty())
}

/// Why the relative change of `what` (computed by `text`) is no growth, and the value
/// `d` whose `{d:points}` says its change.
fn relative_change(what: &str, text: &str, d: &str) -> String {
    format!(
        "phrases the relative change of {what} (`{text}`: 52.5% after 50% would read 同比增长5%) as a growth: a rate's or \
         share's change is said in 百分点; give a value d = \"{d}\" and phrase it `{{d:points}}` (提高2.5个百分点)"
    )
}

/// Why the change in points of `what` (computed by `text`) is no growth, and the value
/// `d` whose `{d:points}` says it.
fn points_change(what: &str, text: &str, d: &str) -> String {
    format!(
        "phrases the change of {what} (`{text}`, in 百分点) as a growth (2.5个百分点 would read 同比增长2.5%); phrase \
         `{{d:points}}` of a value d = \"{d}\" (提高2.5个百分点)"
    )
}

/// Whether `text` is a change over its own base written out, `(a - b) / b` (times a
/// number, under `pct`): a growth (`(gdp - prior.gdp) / prior.gdp * 100`), though it is a
/// quotient of two amounts as a share is.
fn is_change_over_base(text: &str) -> bool {
    let t = unscaled(text);
    // (a - b) / b
    let Some(close) = t.starts_with('(').then(|| sentence::matching_close(&t)).flatten() else { return false };
    let (num, rest) = (&t[1..close], &t[close + 1..]);
    let Some(den) = rest.strip_prefix('/') else { return false };
    let mut depth = 0i32;
    let minus = num.char_indices().rev().find(|&(_, c)| {
        match c {
            ')' => depth += 1,
            '(' => depth -= 1,
            _ => {}
        }
        depth == 0 && c == '-'
    });
    let den = den.trim_start_matches('(').trim_end_matches(')');
    minus.is_some_and(|(i, _)| i > 0 && num[i + 1..].trim_start_matches('(').trim_end_matches(')') == den)
}

/// Whether `text` is a growth written out as a fraction (0.05 for 5%): a change over its
/// own base `(a - b) / b` or `diff(a) / lag(a, 1)`, a ratio less one `a / b - 1`, or one
/// less a ratio `1 - a / b`, none in percent (`* 100`, `pct(...)`).
fn is_growth_fraction(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.starts_with("pct(") || t.contains("*100") || t.contains("100*") {
        return false;
    }
    if is_change_over_base(&t) {
        return true;
    }
    // diff(x) / lag(x, 1): the change over its base, spelled with diff.
    if let Some(rest) = t.strip_prefix("diff(")
        && let Some(close) = sentence::matching_close(&format!("({rest}"))
        && rest.get(close..).is_some_and(|r| r.starts_with("/lag("))
    {
        return true;
    }
    // 1 - a / b: a fall as a fraction, as a / b - 1 is a growth.
    let head = t.strip_suffix("-1.0").or_else(|| t.strip_suffix("-1")).or_else(|| t.strip_prefix("1-")).or_else(|| t.strip_prefix("1.0-"));
    let Some(mut head) = head else { return false };
    while head.starts_with('(') && head.ends_with(')') && sentence::closes_at_end(head) {
        head = &head[1..head.len() - 1];
    }
    // A division at the top level of what the 1 is taken from.
    let mut depth = 0i32;
    head.chars().any(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        depth == 0 && c == '/'
    }) && !head.contains(['+', '-'].as_ref())
}

/// `text` without what puts it in percent around it: `pct(e)` -> `e`, `(e) * 100` -> `e`,
/// `100 * e` -> `e` (spaces dropped).
fn unscaled(text: &str) -> String {
    let mut t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = t.clone();
        if let Some(inner) = t.strip_prefix("pct(").and_then(|r| r.strip_suffix(')'))
            && sentence::closes_at_end(&format!("({inner})"))
        {
            t = inner.to_string();
        }
        for tail in ["*100.0", "*100"] {
            if let Some(head) = t.strip_suffix(tail) {
                t = head.to_string();
            }
        }
        for head in ["100.0*", "100*"] {
            if let Some(rest) = t.strip_prefix(head) {
                t = rest.to_string();
            }
        }
        while t.starts_with('(') && t.ends_with(')') && sentence::closes_at_end(&t) {
            t = t[1..t.len() - 1].to_string();
        }
        if t == before {
            return t;
        }
    }
}

/// Whether `x` (an indicator, or a value computed as `s`) is a multiple (倍).
fn is_multiple(ws: &Workspace, x: &str, s: Option<&Series>) -> bool {
    let unit = match s {
        Some(s) => Some(s.unit.clone()),
        None => match ws.panel().indicator(x) {
            Some(i) => Some(ws.panel().indicators[i].unit.clone()),
            None if ws.program.indicators.has(x) => ws.compute_indicator(x).ok().map(|s| s.unit),
            None => None,
        },
    };
    unit.is_some_and(|u| crate::report::phrase::is_multiple(&u))
}

/// Why a change of the multiple `x` (computed by `text`) is no growth, and what to write.
fn multiple_change(text: &str, x: &str) -> String {
    format!(
        "phrases a change of the multiple `{x}` (in 倍: `{text}`) as a growth (1.5倍 to 1.8倍 would read 同比增长20% or \
         30%); a multiple's change is said by its two values, neither a growth nor in 百分点: a value p = \"lag({x}, 1)\" \
         in 由{{p}}提高至{{{x}}} (由1.5倍提高至1.8倍)"
    )
}

/// The value whose `{d:points}` says the change of the rate or share `x` in 百分点:
/// `diff(x)` of one in % or ‰; `diff(pct(x))` of a derived fraction (a share(a, b) of
/// 0.175); `diff(x)` of a loaded one without a unit (whose unit, % or ‰, belongs in
/// indicators.csv: `check` warns of it).
fn points_value(ws: &Workspace, x: &str, s: Option<&Series>) -> String {
    let unit = match s {
        Some(s) => Some(s.unit.clone()),
        None => match ws.panel().indicator(x) {
            Some(i) => Some(ws.panel().indicators[i].unit.clone()),
            None => ws.compute_indicator(x).ok().map(|s| s.unit),
        },
    };
    match unit {
        Some(u) if crate::report::phrase::is_rate(&u) => format!("diff({x})"),
        Some(u) if ws.panel().indicator(x).is_none() && u.is_dimensionless() && u.scale == 1.0 => format!("diff(pct({x}))"),
        _ => format!("diff({x})"),
    }
}

/// Sentences as a table (section, rule, region, period, sentence), for `yearbook eval
/// --sentences` in any of its formats.
pub fn as_table(sentences: &[Sentence]) -> yearbook_core::table::Table {
    use yearbook_core::table::{Column, ColumnData, Table};
    let col = |name: &str, f: &dyn Fn(&Sentence) -> String| Column {
        name: name.to_string(),
        data: ColumnData::Text(sentences.iter().map(f).collect()),
        unit: None,
    };
    let columns = vec![
        col("section", &|s| s.section.clone()),
        col("rule", &|s| s.rule.clone()),
        col("region", &|s| s.region_name.clone()),
        col("period", &|s| s.period.clone()),
        col("sentence", &|s| s.text.clone()),
    ];
    Table { name: std::sync::Arc::from("sentences"), columns: std::sync::Arc::new(columns), len: sentences.len() }
}
