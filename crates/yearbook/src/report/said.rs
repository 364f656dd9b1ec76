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

fn rule_sentences(ws: &Workspace, rr: &ReportRule, region: u32, p: usize, caller: &Caller) -> Result<Vec<Sentence>> {
    let rule = &rr.rule;
    let place = |e: Error| if e.span().is_some() { e } else { e.at(rule.at.clone()) };
    let mask = when_mask(ws, rr).map_err(place)?;
    let values = evaluate_values(ws, rule, &mask).map_err(place)?;
    let order = match &rr.order {
        Some((text, ast)) => {
            Some(evaluate_series(ws, &format!("{}.order", rule.script), text, ast, &mask, rule.levels.as_deref()).map_err(place)?)
        }
        None => None,
    };
    if rule.periods.as_ref().is_some_and(|ps| !ps.contains(&p)) {
        return Ok(Vec::new());
    }
    let regions = ws.panel().regions();
    let cells: Vec<usize> = if mask.by_region { under(ws, region) } else { vec![region as usize] };
    let mut fired: Vec<(usize, f64)> = cells
        .into_iter()
        .filter(|&r| !mask.by_region || rule.levels.as_ref().is_none_or(|l| l.contains(&regions.level[r])))
        .filter(|&r| {
            let v = mask.get(r, p);
            !v.is_nan() && v != 0.0
        })
        .map(|r| (r, order.as_ref().map(|o| o.get(r, p)).unwrap_or(f64::NAN)))
        .collect();
    if order.is_some() {
        // Largest first, missing last; a stable sort keeps the file order of ties.
        fired.sort_by(|a, b| match (a.1.is_nan(), b.1.is_nan()) {
            (false, false) => b.1.total_cmp(&a.1),
            (x, y) => x.cmp(&y),
        });
    }
    fired.truncate(rr.max.unwrap_or(usize::MAX));
    let period = ws.panel().periods().get(p).to_string();
    let mut out = Vec::new();
    for (r, _) in fired {
        let vals: Values = values
            .iter()
            .map(|(name, s)| {
                let x = yearbook_core::kernel::arith::significant(s.get(r, p), 15);
                (name.clone(), ValueOut { value: x.is_finite().then_some(x), unit: s.unit.symbol.clone() })
            })
            .collect();
        let (code, name) = (regions.codes[r].clone(), regions.label(r as u32).to_string());
        let cell = Cell {
            region: &name,
            code: &code,
            period: &period,
            rule: &rule.id,
            severity: "",
            description: "",
            values: &vals,
            imbalance: None,
        };
        let mut call = |f: &str, args| caller.call_text(f, args);
        let text = sentence::fill(&rr.pieces, &cell, Mode::Prose(&mut call))
            .map_err(|e| Error::new(e.kind(), format!("{}.say: {}", rule.script, e.message())).at(rule.at.clone()))?;
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
    let (v, _, _) = evaluate_script(ws, &rr.rule)?;
    let ty = v.type_name().to_string();
    match v.try_cast::<Series>() {
        Some(s) if s.mask => Ok(s),
        Some(s) => {
            let unit = if s.unit.symbol.is_empty() { String::new() } else { format!(" in {}", s.unit.symbol) };
            Err(Error::new(
                ErrorKind::Type,
                format!("{}: `when` must give a mask, not a series of numbers{unit} (compare it: `x > 0`, `x <= y`)", rr.rule.script),
            ))
        }
        None => Err(Error::new(
            ErrorKind::Type,
            format!("{}: `when` must give a mask (a comparison: `x > y`), not {ty}; built-in checks belong in [rules]", rr.rule.script),
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
        && let Err(e) = evaluate_series(ws, &format!("{}.order", rule.script), text, ast, &mask, rule.levels.as_deref())
    {
        out.push(place(e));
    }
    let values = match evaluate_values(ws, rule, &mask) {
        Ok(v) => v,
        Err(e) => {
            out.push(place(e));
            return out;
        }
    };
    for p in &rr.pieces {
        let yearbook_script::placeholder::Piece::Slot(yearbook_script::placeholder::Slot::Value { name, how }, key) = p else { continue };
        let Some((_, s)) = values.iter().find(|(n, _)| n == name) else { continue };
        if let Some(why) = sentence::unit_problem(how, &s.unit) {
            let msg = if s.unit.is_index() {
                format!("{}.say: `{{{key}}}` {why}", rule.script)
            } else {
                format!("{}.say: `{{{key}}}` {why}; phrase it `{{{name}:amount}}`, or give a growth or share in %", rule.script)
            };
            out.push(Error::new(ErrorKind::Unit, msg).at(rule.at.clone()));
        }
    }
    out
}

/// Sentences as a table (section, rule, region, period, sentence), for `yearbook eval
/// --sentences` in any of its formats.
pub fn as_table(sentences: &[Sentence]) -> yearbook_core::table::Table {
    use yearbook_core::table::{Column, ColumnData, Table};
    let col = |name: &str, f: &dyn Fn(&Sentence) -> String| Column {
        name: name.to_string(),
        data: ColumnData::Text(sentences.iter().map(f).collect()),
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
