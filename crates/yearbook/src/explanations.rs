//! The explanations file (填写说明后强制上报): a finding of a soft rule with a written
//! explanation is "explained" (shown with its text, not counted by `--fail-on`); a hard
//! rule cannot be explained away. CSV with the columns rule, region, period, explanation,
//! by, date, kept in the workspace; `yearbook accept` appends to it.

use crate::finding::{Explained, RunResult};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};
use yearbook_core::error::{Error, Location, Result};

/// The header of a new explanations file.
pub const HEADER: [&str; 6] = ["rule", "region", "period", "explanation", "by", "date"];

/// One explanation, as the file gives it (region as a code, period as findings spell it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The rule's id.
    pub rule: String,
    /// The region's code.
    pub region: String,
    /// The period (`2008`, `2024-03`).
    pub period: String,
    /// What explains the figure.
    pub text: String,
    /// Who explained it.
    pub by: String,
    /// When (as written, e.g. 2024-03-05).
    pub date: String,
    /// Its line in the file.
    pub line: usize,
}

impl Explanation {
    /// What tells this explanation from another for the same cell (a new one, even with
    /// the same text, starts a new baseline for staleness).
    pub fn identity(&self) -> String {
        format!("{}\u{1f}{}\u{1f}{}", self.text, self.by, self.date)
    }
}

/// The explanations file of a workspace: `[history] explanations`, else
/// `explanations.csv` beside the config.
pub fn path(ws: &Workspace) -> PathBuf {
    let h = &ws.config.config.history;
    ws.config.dir().join(h.explanations.as_ref().map(|e| e.get_ref().as_str()).unwrap_or("explanations.csv"))
}

/// Reads and checks the workspace's explanations (none when the default file is absent;
/// a configured file that is absent is an error). Each line must name a known rule that is
/// soft, a known region and a period; the later of two lines for one cell wins.
pub fn load(ws: &Workspace) -> Result<Vec<Explanation>> {
    let path = path(ws);
    if !path.is_file() {
        if let Some(e) = &ws.config.config.history.explanations {
            return Err(Error::config(
                ws.config.at(e.span()),
                format!("history.explanations: no file {} (create it, or `yearbook accept` creates it)", path.display()),
            ));
        }
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
    parse(ws, &path, text.trim_start_matches('\u{feff}'))
}

fn parse(ws: &Workspace, path: &Path, text: &str) -> Result<Vec<Explanation>> {
    let name = path.display().to_string();
    let at = |line: usize| Location::new(&name, line, None);
    let mut rd = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let mut lines = yearbook_io::load::csv_lines::TextLines::new(text.as_bytes());
    let header: Vec<String> = rd.headers().map_err(|e| Error::data(at(1), format!("{e}")))?.iter().map(|h| h.trim().to_string()).collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    let cols: Vec<usize> = HEADER
        .iter()
        .map(|n| col(n).ok_or_else(|| Error::data(at(1), format!("no column `{n}`: the header must be {}", HEADER.join(",")))))
        .collect::<Result<_>>()?;
    let regions = ws.panel().regions();
    let mut out: Vec<Explanation> = Vec::new();
    let mut errors = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| lines.line(p)).unwrap_or(1);
            Error::data(at(line), format!("{e}: each line has {} fields ({})", HEADER.len(), HEADER.join(",")))
        })?;
        let line = rec.position().map(|p| lines.line(p)).unwrap_or(1);
        let get = |k: usize| rec.get(cols[k]).unwrap_or("").trim().to_string();
        let (rule, region, period) = (get(0), get(1), get(2));
        let Some(r) = ws.program.rules.iter().find(|r| r.id == rule) else {
            let hint = yearbook_core::suggest::did_you_mean(&rule, ws.program.rules.iter().map(|r| r.id.as_str()));
            errors.push(Error::data(at(line), format!("unknown rule `{rule}`{hint}")));
            continue;
        };
        if r.hard {
            errors.push(Error::data(
                at(line),
                format!(
                    "rule `{rule}` is hard (强制性审核, severity {}): its findings cannot be explained away; correct the figure, or set `hard = false` under [rules.{rule}] if a written explanation may excuse it",
                    r.severity.name()
                ),
            ));
            continue;
        }
        let region = if region.is_empty() {
            region
        } else {
            match regions.find(&region) {
                Ok(i) => regions.codes[i as usize].clone(),
                Err(e) => {
                    errors.push(Error::data(at(line), e));
                    continue;
                }
            }
        };
        let period = if period.is_empty() {
            period
        } else {
            match yearbook_core::period::Period::parse(&period) {
                Ok(p) => p.to_string(),
                Err(e) => {
                    errors.push(Error::data(at(line), format!("period `{period}`: {e}")));
                    continue;
                }
            }
        };
        let text = get(3);
        if text.is_empty() {
            errors.push(Error::data(at(line), "the explanation is empty: say why the figure is right"));
            continue;
        }
        out.retain(|e| !(e.rule == rule && e.region == region && e.period == period));
        out.push(Explanation { rule, region, period, text, by: get(4), date: get(5), line });
    }
    if let Some(e) = Error::all(errors) {
        return Err(e);
    }
    Ok(out)
}

/// Marks the findings that an explanation covers (not stale: `stale` tells which are).
/// Returns the explanations applied, with the finding's index.
pub fn apply<'a>(r: &mut RunResult, explanations: &'a [Explanation]) -> Vec<(usize, &'a Explanation)> {
    let mut applied = Vec::new();
    for (k, f) in r.findings.iter_mut().enumerate() {
        if let Some(e) = explanations.iter().find(|e| e.rule == f.rule && e.region == f.region && e.period == f.period) {
            f.explanation = Some(Box::new(Explained { text: e.text.clone(), by: e.by.clone(), date: e.date.clone(), stale: false }));
            applied.push((k, e));
        }
    }
    applied
}

/// Appends one explanation to the workspace's file (created with its header when
/// absent), after checking that the rule is known and soft and that the region and
/// period are.
pub fn append(ws: &Workspace, e: &Explanation) -> Result<PathBuf> {
    let path = path(ws);
    // Written as the findings name the cell: the region's code.
    let regions = ws.panel().regions();
    let region = regions.find(&e.region).map(|i| regions.codes[i as usize].clone()).map_err(Error::usage)?;
    let mut text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(er) if er.kind() == std::io::ErrorKind::NotFound => format!("{}\n", HEADER.join(",")),
        Err(er) => return Err(Error::io(path.display().to_string(), er)),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([&e.rule, &region, &e.period, &e.text, &e.by, &e.date]);
    text.push_str(&String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default());
    // The same checks as reading it back: a line `accept` writes is one `run` accepts.
    parse(ws, &path, text.trim_start_matches('\u{feff}'))?;
    crate::write::atomic_write(&path, text.as_bytes())?;
    Ok(path)
}
