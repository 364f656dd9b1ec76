//! `yearbook check`: compile and resolve everything without evaluating data, then
//! evaluate each indicator, rule and report rule once on the empty panel to catch unit and type
//! errors. Returns every problem found (not just the first).

use crate::workspace::Workspace;
use std::path::Path;
use yearbook_core::error::{Error, ErrorKind, Result};

/// Problems in a config, each rendered with its position. Loading errors (bad TOML,
/// missing metadata files, bad names) are returned as Err.
pub fn check_config(config: &Path, data_dir: Option<&Path>) -> Result<Vec<String>> {
    Ok(problems(config, data_dir)?.iter().map(|e| e.to_string()).collect())
}

/// What `yearbook check` warns of without refusing the config (see [`warnings_of`]).
pub fn check_warnings(config: &Path, data_dir: Option<&Path>) -> Result<Vec<String>> {
    Ok(warnings_of(&Workspace::open_without_facts(config, data_dir)?))
}

/// Derived indicators whose declared `rollup = "sum"` gives another figure than the
/// formula: one with a constant term (`qty - 1.5` adds the 1.5 once per region, so a
/// town made of three villages is their sum less 4.5, not less 1.5), and one whose
/// computed unit does not add up (`qty / area` in 吨/亩: it does not roll up at all, and
/// a town made of its villages has no figure).
pub fn warnings_of(ws: &Workspace) -> Vec<String> {
    use yearbook_core::indicator::Rollup;
    let mut out = Vec::new();
    for d in ws.program.indicators.defs.iter().filter(|d| d.rollup == Some(Rollup::Sum)) {
        if let Some(k) = yearbook_script::constant_term::constant_term(&d.ast) {
            out.push(format!(
                "indicators.{}: rollup = \"sum\" on `{}`, which has a constant term ({k}): the regions' values add it once per \
                 region, so a region made of its children is not the formula of their total; leave rollup out and roll up the \
                 parts instead (rollup(x, level) - {k}), or keep it if the constant belongs to every region",
                d.id, d.text
            ));
        }
        if let Ok(s) = ws.compute_indicator(&d.id)
            && let Some(what) = s
                .unit
                .not_additive()
                .or_else(|| yearbook_core::kernel::aggregate::not_added(&s, None, yearbook_core::kernel::aggregate::Adds::Regions))
        {
            out.push(format!(
                "indicators.{}: rollup = \"sum\" on `{}`, which is {what}: the regions' values do not add up to their total's, \
                 so it does not roll up (a region made of its children has no figure); declare rollup = {}",
                d.id,
                d.text,
                s.unit.mean_hint()
            ));
        }
    }
    // A rate without a unit: the report cannot tell 0.352 (a fraction) from 35.2 (a
    // percentage without its sign), so it says the change by the two values.
    for ind in ws.panel().indicators.iter().filter(|i| i.kind == yearbook_core::indicator::Kind::Rate && !i.code.contains('.')) {
        if crate::report::phrase::is_unitless_rate(&ind.unit, &ind.label, true) {
            out.push(format!(
                "indicator `{}` ({}) is kind = rate but has no unit: the report cannot tell a fraction (0.352) from a \
                 percentage without its sign (35.2), so it says the change in 百分点 only where both values are above 1, \
                 else by its two values (由0.35提高至0.36); write its unit in indicators.csv, % or ‰, for the change in 百分点 (提高1.2个百分点), \
                 with the figures as percentages (35.2, not 0.352)",
                ind.code, ind.label
            ));
        }
    }
    out
}

/// The problems of [`check_config`] as errors (kind, span, message), in the same order.
pub fn problems(config: &Path, data_dir: Option<&Path>) -> Result<Vec<Error>> {
    match Workspace::open_without_facts(config, data_dir) {
        Ok(ws) => Ok(problems_of(&ws)),
        // Every indicator and rule that does not compile, each with its place.
        Err(e) if e.kind() == ErrorKind::Many => Ok(e.into_list()),
        Err(e) => Err(e),
    }
}

/// The problems of an opened workspace: each indicator, rule and report rule evaluated once (on the
/// panel it has; without facts, an empty one), keeping the errors any data would give.
pub fn problems_of(ws: &Workspace) -> Vec<Error> {
    let mut problems = Vec::new();
    for d in &ws.program.indicators.defs {
        if let Err(e) = ws.compute_indicator(&d.id)
            && e.kind().is_static()
        {
            problems.push(e);
        }
    }
    for rule in &ws.program.rules {
        if let Err(e) = crate::run::evaluate(ws, rule, None)
            && e.kind().is_static()
        {
            problems.push(e);
        }
    }
    for rr in &ws.program.report_rules {
        problems.extend(crate::report::said::problems(ws, rr).into_iter().filter(|e| e.kind().is_static()));
    }
    problems.extend(module_problems(ws));
    problems
}

/// The modules of the scripts folder are read when a function imports them, so each is
/// read here for what every script refuses at compile time (`-x ** 2`), at its line.
/// At most 8 folders deep and 1,000 files.
fn module_problems(ws: &Workspace) -> Vec<Error> {
    let dir = ws.config.dir().join("scripts");
    let mut files = Vec::new();
    let mut folders = vec![(dir.clone(), 0usize)];
    while let Some((folder, depth)) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && depth < 8 {
                folders.push((path, depth + 1));
            } else if path.extension().is_some_and(|e| e == "rhai") && files.len() < 1000 {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        if let Err(e) = yearbook_script::negated_power::check(&ws.program.engine, &text) {
            let shown = file.strip_prefix(ws.config.dir()).unwrap_or(&file).display().to_string();
            let span = yearbook_core::error::Span::new(shown, e.1.line().unwrap_or(1), e.1.position());
            let message = match &*e.0 {
                rhai::ParseErrorType::BadInput(rhai::LexError::ImproperSymbol(_, m)) => m.clone(),
                other => other.to_string(),
            };
            out.push(Error::new(ErrorKind::Syntax, message).at(span));
        }
    }
    out
}
