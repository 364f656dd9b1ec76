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
    problems
}
