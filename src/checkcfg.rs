//! `yearbook check`: compile and resolve everything without evaluating data, then
//! evaluate each indicator and rule once on the empty panel to catch unit and type
//! errors. Returns every problem found (not just the first).

use crate::error::Result;
use crate::workspace::Workspace;
use std::path::Path;

/// Problems in a config, each rendered with its position. Loading errors (bad TOML,
/// missing metadata files, bad names) are returned as Err.
pub fn check_config(config: &Path, data_dir: Option<&Path>) -> Result<Vec<String>> {
    let ws = match Workspace::open_without_facts(config, data_dir) {
        Ok(ws) => ws,
        // Every indicator and rule that does not compile, each with its place.
        Err(crate::Error::Many(list)) => return Ok(list.iter().map(|e| e.to_string()).collect()),
        Err(e) => return Err(e),
    };
    let mut problems = Vec::new();
    for d in &ws.program.indicators.defs {
        if let Err(e) = ws.compute_indicator(&d.id)
            && is_static_problem(&e)
        {
            problems.push(e.to_string());
        }
    }
    for rule in &ws.program.rules {
        if let Err(e) = crate::run::evaluate(&ws, rule, None)
            && is_static_problem(&e)
        {
            problems.push(e.to_string());
        }
    }
    Ok(problems)
}

/// Errors that do not depend on the data: units, unknown functions, wrong types.
fn is_static_problem(e: &crate::Error) -> bool {
    let m = match e {
        crate::Error::Script { message, .. } => message.as_str(),
        crate::Error::Usage(m) => m.as_str(),
        _ => return true,
    };
    m.contains("unit mismatch")
        || m.contains("cannot convert")
        || m.starts_with("unknown function")
        || m.starts_with("no `")
        || m.contains("must give")
        || m.contains("cycle")
        || m.contains("declares unit")
        || m.contains("unknown level")
        || m.contains("unknown table")
        || m.contains("has no column")
}
