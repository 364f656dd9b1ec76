//! Report rules (`[report.rules.<id>]`): a mask over regions x periods (`when`) that
//! decides where the report says a sentence (`say`), the section that collects it, how
//! its sentences are ordered and how many are said. Compiled with the rules: every name,
//! placeholder, phrasing and scripts function the sentence uses is resolved here.

use crate::definitions::{Compiler, compile_def, compile_rule, known_names};
use crate::placeholder::{self, Piece, Slot};
use crate::rule::Rule;
use rhai::AST;
use std::collections::HashSet;
use toml::Spanned;
use yearbook_core::error::{Error, ErrorKind, Result};
use yearbook_core::suggest::did_you_mean;
use yearbook_io::config::{ReportRuleDef, RuleDef};

/// A compiled `[report.rules.<id>]`.
pub struct ReportRule {
    /// `when` as a rule's check (its values, levels, periods, time limit and place).
    pub rule: Rule,
    /// The sentence template as written.
    pub say: String,
    /// The sentence template, parsed.
    pub pieces: Vec<Piece>,
    /// The report section that collects the sentences.
    pub section: String,
    /// Orders the sentences, largest first: (text, compiled).
    pub order: Option<(String, AST)>,
    /// Place among the section's rules: smaller first, then by id.
    pub priority: i64,
    /// At most this many sentences.
    pub max: Option<usize>,
    /// Without `levels`: the same rule reading every series as shown at every level, for
    /// the regions made of their children (a county without figures of its own), whose
    /// cells the rule as written leaves missing (see `report::said`).
    pub shown: Option<Rule>,
}

/// Names a sentence may use besides its values: `region`, `code`, `period`.
const BUILT_IN: [&str; 3] = ["region", "code", "period"];

/// Compiles the report rules; `sections` are the report's sections (a rule names one).
/// Every problem is reported, each at its `[report.rules.<id>]`.
pub fn compile_report_rules(ws: &Compiler, sections: &[String]) -> Result<Vec<ReportRule>> {
    let Some(report) = &ws.config.config.report else { return Ok(Vec::new()) };
    let known = known_names(ws);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (id, r) in &report.rules {
        match compile_one(ws, id, r, &known, sections) {
            Ok(rr) => out.push(rr),
            Err(e) => errors.push(e),
        }
    }
    match Error::all(errors) {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

fn compile_one(ws: &Compiler, id: &str, r: &Spanned<ReportRuleDef>, known: &HashSet<String>, sections: &[String]) -> Result<ReportRule> {
    let cfg = ws.config;
    let span = r.span();
    let def = r.get_ref();
    let name = format!("report.rules.{id}");
    let at = || cfg.at(span.clone());
    let need = |key: &str, what: &str| Error::config(at(), format!("{name}: give `{key}`, {what}"));
    let when =
        def.when.clone().ok_or_else(|| need("when", "the mask (an expression over regions x periods) where the sentence is said"))?;
    let say = def.say.clone().ok_or_else(|| need("say", "the sentence (`{region}{period}年...`)"))?;
    let section =
        def.section.clone().ok_or_else(|| need("section", &format!("the report section that collects it ({})", sections.join(", "))))?;
    if !sections.contains(&section) {
        let hint = did_you_mean(&section, sections.iter().map(String::as_str));
        return Err(Error::config(
            at(),
            format!(
                "{name}: section `{section}` is not a section of the report{hint}; add it to `[report] sections` ({})",
                sections.join(", ")
            ),
        ));
    }
    if def.max == Some(0) {
        return Err(Error::config(at(), format!("{name}: max = 0 says nothing; give at least 1, or leave `max` out for every sentence")));
    }
    let pieces = placeholder::parse(&say);
    let mut values = def.values.clone();
    for p in &pieces {
        match p {
            Piece::Bad { key, why } => return Err(Error::config(at(), format!("{name}.say: placeholder `{{{key}}}`: {why}"))),
            Piece::Slot(Slot::Rule | Slot::Severity | Slot::Imbalance, _) => {
                return Err(Error::config(at(), format!("{name}.say: a report sentence has no rule, severity or imbalance to show")));
            }
            Piece::Slot(Slot::Call { function, args }, _) => check_call(ws, &name, at(), function, args.len())?,
            _ => {}
        }
    }
    // A placeholder that is no value names an indicator, read as it is; one that names
    // nothing is an error here, never an empty text in the report.
    for n in placeholder::names(&pieces) {
        if values.contains_key(n) || BUILT_IN.contains(&n) {
            continue;
        }
        // A namespaced name (`reported_yoy.gdp`) is resolved as its script is: by its namespace.
        let namespaced = n.split_once('.').is_some_and(|(ns, _)| known.contains(ns));
        if !known.contains(n) && !namespaced {
            let candidates: Vec<&str> = values.keys().map(String::as_str).chain(known.iter().map(String::as_str)).chain(BUILT_IN).collect();
            let msg = format!("{name}.say: placeholder `{n}` names no value (`values`) and no indicator{}", did_you_mean(n, candidates));
            return Err(Error::new(ErrorKind::UnknownName, msg).at(at()));
        }
        values.insert(n.to_string(), n.to_string());
    }
    let as_rule = RuleDef {
        severity: None,
        check: Some(when),
        function: None,
        message: Some(say.clone()),
        description: None,
        values,
        levels: def.levels.clone(),
        periods: def.periods.clone(),
        missing: None,
        timeout_ms: def.timeout_ms,
        hard: None,
    };
    let shown = match def.levels {
        Some(_) => None,
        None => {
            let mut every = compile_rule(ws, "report.rules", id, &Spanned::new(span.clone(), as_rule.clone()), known)?;
            every.levels = Some((0..ws.data.panel.regions().levels.len().min(256)).map(|l| l as u8).collect());
            Some(every)
        }
    };
    let rule = compile_rule(ws, "report.rules", id, &Spanned::new(span.clone(), as_rule), known)?;
    let order = match &def.order {
        None => None,
        Some(o) => Some(compile_def(ws, cfg, span.clone(), &format!("{name}.order"), Some(o), None, known)?),
    };
    Ok(ReportRule { rule, say, pieces, section, order, priority: def.priority.unwrap_or(0), max: def.max, shown })
}

/// A `{function(...)}` placeholder calls a function of the scripts taking that many arguments.
fn check_call(ws: &Compiler, name: &str, at: yearbook_core::error::Location, function: &str, arity: usize) -> Result<()> {
    let found: Vec<usize> = ws.library.iter_functions().filter(|f| f.name == function).map(|f| f.params.len()).collect();
    if found.contains(&arity) {
        return Ok(());
    }
    let msg = if found.is_empty() {
        let names: Vec<&str> = ws.library.iter_functions().map(|f| f.name).collect();
        format!("{name}.say: `{function}` is no function of the scripts (`scripts` files){}", did_you_mean(function, names))
    } else {
        let takes: Vec<String> = found.iter().map(usize::to_string).collect();
        format!("{name}.say: `{function}` takes {} arguments, not {arity}", takes.join(" or "))
    };
    Err(Error::new(ErrorKind::UnknownName, msg).at(at))
}
