//! A workspace's runs over time: the history file opened for a run, the earlier figures
//! handed to scripts (`previous`, `vintage`), explanations checked for staleness, the
//! comparison with the previous run, and the run recorded. The SQLite store itself is
//! `yearbook-history`.

use crate::compare::{Comparison, RunRef};
use crate::explanations::Explanation;
use crate::finding::RunResult;
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use yearbook_core::error::{Error, Result};
pub use yearbook_history::{Cells, FindingRow, History, HistoryError, RunRow};

/// A history error as the library's error: it names the file and what to do.
pub fn error(e: HistoryError) -> Error {
    Error::usage(e.to_string())
}

/// The history file of a workspace: `[history] path` (relative to the config), else
/// `<out>.history.sqlite` beside the output folder.
pub fn path(ws: &Workspace, out: &Path) -> PathBuf {
    match &ws.config.config.history.path {
        Some(p) => ws.config.dir().join(p.get_ref()),
        None => {
            let name =
                out.file_name().map(|n| n.to_string_lossy().into_owned()).filter(|n| !n.is_empty() && n != "..").unwrap_or("out".into());
            let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            parent.join(format!("{name}.history.sqlite"))
        }
    }
}

/// What identifies a workspace in a history shared by several: its config file's path.
pub fn workspace_key(ws: &Workspace) -> String {
    std::fs::canonicalize(&ws.config.path).unwrap_or_else(|_| ws.config.path.clone()).display().to_string()
}

/// Every fact the workspace loaded, as the history keeps cells.
pub fn cells_of(ws: &Workspace) -> Cells {
    let panel = ws.panel();
    let regions = panel.regions();
    let periods: Vec<String> = panel.periods().iter().map(|p| p.to_string()).collect();
    let nr = regions.len();
    let mut cells = Cells::new();
    for (i, ind) in panel.indicators.iter().enumerate() {
        for (k, v) in panel.data[i].iter().enumerate() {
            if !v.is_nan() {
                let cell = yearbook_history::Cell {
                    indicator: ind.code.clone(),
                    region: regions.codes[k % nr].clone(),
                    period: periods[k / nr].clone(),
                };
                cells.insert(cell, *v);
            }
        }
    }
    cells
}

/// Cells of an earlier run laid on this workspace's axes (cells outside them dropped).
fn snapshot(ws: &Workspace, run: &RunRow, cells: &Cells) -> yearbook_script::earlier::Snapshot {
    let panel = ws.panel();
    let regions = panel.regions();
    let nr = regions.len();
    let n = nr * panel.periods().len;
    let periods: std::collections::HashMap<String, usize> = panel.periods().iter().enumerate().map(|(i, p)| (p.to_string(), i)).collect();
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    // Cells come indicator by indicator (the key's first part): one matrix at a time.
    let mut current: Option<(&str, Vec<f64>)> = None;
    for (c, v) in cells {
        let (Some(r), Some(p)) = (regions.id_of_code(c.region.as_bytes()), periods.get(&c.period)) else { continue };
        if current.as_ref().is_none_or(|(code, _)| *code != c.indicator) {
            if let Some((code, m)) = current.take() {
                values.insert(code.to_string(), m);
            }
            let m = values.remove(&c.indicator).unwrap_or_else(|| vec![f64::NAN; n]);
            current = Some((&c.indicator, m));
        }
        if let Some((_, m)) = current.as_mut() {
            m[p * nr + r as usize] = *v;
        }
    }
    if let Some((code, m)) = current {
        values.insert(code.to_string(), m);
    }
    yearbook_script::earlier::Snapshot {
        run: run.id,
        vintage: run.vintage.clone(),
        values: values.into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
    }
}

/// Today's date (UTC), as explanations record it: `2024-03-05`.
pub fn today() -> String {
    yearbook_history::utc_now()[..10].to_string()
}

/// The runs as `yearbook history` lists them: an aligned table, oldest first.
pub fn render_runs(runs: &[RunRow]) -> String {
    use unicode_width::UnicodeWidthStr;
    if runs.is_empty() {
        return "no runs recorded yet for this workspace\n".to_string();
    }
    let header = ["run", "started (UTC)", "vintage", "period", "findings", "changed facts", "config"];
    let rows: Vec<[String; 7]> = runs
        .iter()
        .map(|r| {
            [
                r.id.to_string(),
                r.started.clone(),
                if r.vintage.is_empty() { "-".into() } else { r.vintage.clone() },
                r.period.clone().unwrap_or_else(|| "all".into()),
                r.findings.map_or("-".into(), |n| n.to_string()),
                r.changed_cells.map_or("-".into(), |n| n.to_string()),
                r.config_hash.chars().take(12).collect(),
            ]
        })
        .collect();
    let mut w: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (k, c) in r.iter().enumerate() {
            w[k] = w[k].max(c.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells.iter().enumerate().map(|(k, c)| format!("{c}{}", " ".repeat(w[k] - c.width()))).collect();
        parts.join("  ").trim_end().to_string() + "\n"
    };
    let mut s = line(header.to_vec());
    for r in &rows {
        s.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    s
}

/// The run's findings as the history records and compares them, borrowed.
pub fn new_findings(r: &RunResult) -> Vec<yearbook_history::NewFinding<'_>> {
    r.findings
        .iter()
        .map(|f| yearbook_history::NewFinding {
            rule: &f.rule,
            severity: f.severity.name(),
            status: if f.status == crate::finding::Status::Fail { "fail" } else { "note" },
            region: &f.region,
            region_name: &f.region_name,
            period: &f.period,
            message: &f.message,
            explanation: f.explanation.as_ref().map(|e| e.text.as_str()),
            stale: f.explanation.as_ref().is_some_and(|e| e.stale),
        })
        .collect()
}

/// The most fact cells a run records unless `[history] max_fact_cells` says otherwise.
pub const DEFAULT_MAX_FACT_CELLS: usize = 1_000_000;

/// The figures of a run as the history keeps them, or None when it loaded more than
/// `[history] max_fact_cells` (counted before anything is built).
pub fn fact_cells(ws: &Workspace) -> Option<Cells> {
    let max = ws.config.config.history.max_fact_cells.unwrap_or(DEFAULT_MAX_FACT_CELLS);
    // Counted only as far as the limit: a panel of 18 million facts is not scanned whole
    // to learn that it holds more than a million.
    let mut n = 0usize;
    let within = ws.panel().data.iter().flat_map(|d| d.chunks(1 << 16)).all(|c| {
        n += c.iter().filter(|v| !v.is_nan()).count();
        n <= max
    });
    within.then(|| cells_of(ws))
}

/// Why a comparison shows no revised figures although they may differ.
fn not_recorded(run: Option<i64>) -> String {
    match run {
        Some(id) => format!("figures not compared: run {id} loaded more than [history] max_fact_cells cells and recorded none"),
        None => "figures not compared: this run loaded more than [history] max_fact_cells cells and records none".to_string(),
    }
}

/// The input files' (path, SHA-256) and the hashes computed afresh, being computed on a
/// thread of their own.
type Hashing = std::thread::JoinHandle<std::io::Result<yearbook_history::HashedFiles>>;

/// The history of one workspace, open for a run.
pub struct Recorder {
    store: History,
    workspace: String,
    runs: Vec<RunRow>,
    started: String,
    previous_cells: Option<Cells>,
    /// This run's figures (None: too many to record), built once.
    cells: Option<Option<Cells>>,
    /// The input files' SHA-256, computed while the run computes.
    hashing: Option<Hashing>,
}

impl Recorder {
    /// Opens (or creates) the history at `path` for the workspace `ws`.
    pub fn open(ws: &Workspace, path: &Path) -> Result<Recorder> {
        let store = History::open(path).map_err(error)?;
        let workspace = workspace_key(ws);
        let runs = store.runs_uncounted(&workspace).map_err(error)?;
        // Hashing a large input takes a while: done beside the run, joined when recording,
        // and only for files changed since their hash was recorded.
        let files = ws.stats.files.clone();
        let known = store.known_hashes().map_err(error)?;
        let hashing = std::thread::spawn(move || yearbook_history::hash_files(&files, &known));
        Ok(Recorder {
            store,
            workspace,
            runs,
            started: yearbook_history::utc_now(),
            previous_cells: None,
            cells: None,
            hashing: Some(hashing),
        })
    }

    /// The workspace's recorded runs, oldest first, with their counts of findings and
    /// changed facts (`yearbook history`).
    pub fn listing(&self) -> Result<Vec<RunRow>> {
        self.store.runs(&self.workspace).map_err(error)
    }

    /// Hands the earlier runs' figures to the workspace's scripts: the previous run and the
    /// latest run of each vintage.
    pub fn load_earlier(&mut self, ws: &Workspace) -> Result<()> {
        let mut earlier = yearbook_script::earlier::Earlier { available: true, ..Default::default() };
        let mut latest_of: BTreeMap<&str, &RunRow> = BTreeMap::new();
        for r in &self.runs {
            latest_of.insert(r.vintage.as_str(), r);
        }
        // A run that recorded no figures gives none: previous()/vintage() are then missing.
        if let Some(last) = self.runs.last()
            && self.store.recorded_figures(last.id).map_err(error)?
        {
            let cells = self.store.facts_at(&self.workspace, last.id).map_err(error)?;
            earlier.previous = Some(snapshot(ws, last, &cells));
            self.previous_cells = Some(cells);
        }
        for (label, run) in latest_of.into_iter().filter(|(l, _)| !l.is_empty()) {
            if !self.store.recorded_figures(run.id).map_err(error)? {
                continue;
            }
            let snap = match (&earlier.previous, self.runs.last()) {
                (Some(p), Some(last)) if last.id == run.id => p.clone(),
                _ => snapshot(ws, run, &self.store.facts_at(&self.workspace, run.id).map_err(error)?),
            };
            earlier.vintages.insert(label.to_string(), snap);
        }
        ws.data.set_earlier(earlier);
        Ok(())
    }

    /// Applies explanations to the run's findings and tells the stale ones: those whose
    /// figures differ from when the explanation was first applied. Returns the baselines
    /// to record for explanations applied for the first time.
    pub fn explain(&self, r: &mut RunResult, explanations: &[Explanation]) -> Result<Vec<yearbook_history::ExplainedBaseline>> {
        let applied: Vec<(usize, Explanation)> =
            crate::explanations::apply(r, explanations).into_iter().map(|(k, e)| (k, e.clone())).collect();
        let mut baselines = Vec::new();
        for (k, e) in applied {
            let f = &r.findings[k];
            let figure = serde_json::json!({ "values": f.values, "imbalance": f.imbalance }).to_string();
            let id = e.identity();
            match self.store.explained_figure(&self.workspace, &e.rule, &e.region, &e.period, &id).map_err(error)? {
                Some(old) => {
                    if old != figure
                        && let Some(x) = r.findings[k].explanation.as_mut()
                    {
                        x.stale = true;
                    }
                }
                None => baselines.push(yearbook_history::ExplainedBaseline {
                    rule: e.rule.clone(),
                    region: e.region.clone(),
                    period: e.period.clone(),
                    identity: id,
                    figure,
                }),
            }
        }
        Ok(baselines)
    }

    /// What changed since the workspace's previous run (None on its first run).
    pub fn compare_with_previous(&mut self, ws: &Workspace, r: &RunResult, vintage: &str) -> Result<Option<Comparison>> {
        let Some(last) = self.runs.last().cloned() else { return Ok(None) };
        // Every earlier identity, but whole findings only for those gone since.
        let keys = self.store.finding_keys(last.id).map_err(error)?;
        let before: Vec<crate::compare::Key<'_>> = keys.iter().map(|k| (k.rule.as_str(), k.region.as_str(), k.period.as_str())).collect();
        let now = new_findings(r);
        let rows: Vec<i64> = crate::compare::gone(&before, &now).into_iter().map(|i| keys[i].row).collect();
        let resolved_rows = self.store.findings_at(&rows).map_err(error)?;
        let resolved: Vec<_> = resolved_rows.iter().map(FindingRow::as_new).collect();
        let from = RunRef { run: Some(last.id), started: last.started.clone(), vintage: last.vintage.clone() };
        let to = RunRef { run: None, started: self.started.clone(), vintage: vintage.to_string() };
        if self.cells.is_none() {
            self.cells = Some(fact_cells(ws));
        }
        if self.previous_cells.is_none() && self.store.recorded_figures(last.id).map_err(error)? {
            self.previous_cells = Some(self.store.facts_at(&self.workspace, last.id).map_err(error)?);
        }
        let cells = (self.previous_cells.as_ref(), self.cells.as_ref().and_then(Option::as_ref));
        Ok(Some(match cells {
            (Some(cells_before), Some(cells_now)) => {
                crate::compare::compare(from, cells_before, &before, &resolved, to, cells_now, &now, ws)
            }
            (cells_before, _) => {
                let note = not_recorded(if cells_before.is_none() { Some(last.id) } else { None });
                let mut c = crate::compare::compare(from, &Cells::new(), &before, &resolved, to, &Cells::new(), &now, ws);
                c.figures_note = Some(note);
                c
            }
        }))
    }

    /// Records the run (one transaction): when, config and input hashes, vintage, counts,
    /// findings, the facts that changed, explanation baselines. Returns its number.
    ///
    /// The outputs are written meanwhile on another thread: the transaction is committed
    /// only if `written()` (called once everything is inserted, waiting for the writer)
    /// says they were; otherwise it is rolled back and `Ok(None)` returned, so the history
    /// never holds a run whose outputs are not on disk.
    pub fn record(
        &mut self,
        ws: &Workspace,
        r: &RunResult,
        vintage: &str,
        baselines: Vec<yearbook_history::ExplainedBaseline>,
        written: impl FnOnce() -> bool,
    ) -> Result<Option<i64>> {
        let (inputs, fresh_hashes) = match self.hashing.take().map(|h| h.join()) {
            Some(Ok(Ok(v))) => v,
            Some(Ok(Err(e))) => return Err(Error::io("an input file (hashing it for the history)", e)),
            _ => Default::default(),
        };
        let config_hash = yearbook_history::sha256_hex(ws.config.text.as_bytes());
        let rules = r
            .rules
            .iter()
            .map(|s| yearbook_history::RuleCountRow {
                rule: s.rule.clone(),
                severity: s.severity.map(|x| x.name()).unwrap_or_default().to_string(),
                items: s.items as i64,
                passes: s.passes as i64,
                fails: s.fails as i64,
                notes: s.notes as i64,
                not_evaluable: s.not_evaluable as i64,
                error: s.error.clone(),
            })
            .collect();
        let run = yearbook_history::NewRun {
            workspace: self.workspace.clone(),
            started: self.started.clone(),
            vintage: vintage.to_string(),
            period: r.period.clone(),
            config_hash,
            inputs,
            fresh_hashes,
            rules,
            findings: new_findings(r),
            baselines,
        };
        let cells = match self.cells.take() {
            Some(c) => c,
            None => fact_cells(ws),
        };
        // The figures as of the last run, read when the run began: not read again unless
        // another run recorded in between.
        let known = self.runs.last().map(|l| l.id).zip(self.previous_cells.as_ref());
        self.store.record_when(&run, cells.as_ref(), known, written).map_err(error)
    }

    /// The stored comparison of two recorded runs (ids), named by the workspace.
    pub fn compare_runs(&self, ws: &Workspace, a: i64, b: i64) -> Result<Comparison> {
        let find = |id: i64| {
            self.runs.iter().find(|r| r.id == id).ok_or_else(|| {
                let known: Vec<String> = self.runs.iter().map(|r| r.id.to_string()).collect();
                Error::usage(format!(
                    "no run {id} of this workspace in {}: recorded runs are {}",
                    self.store.path().display(),
                    if known.is_empty() { "none yet".to_string() } else { known.join(", ") }
                ))
            })
        };
        let (ra, rb) = (find(a)?, find(b)?);
        let side = |r: &RunRow| RunRef { run: Some(r.id), started: r.started.clone(), vintage: r.vintage.clone() };
        let (fa, fb) = (self.store.findings(a).map_err(error)?, self.store.findings(b).map_err(error)?);
        let (fa, fb): (Vec<_>, Vec<_>) = (fa.iter().map(FindingRow::as_new).collect(), fb.iter().map(FindingRow::as_new).collect());
        for id in [a, b] {
            if !self.store.recorded_figures(id).map_err(error)? {
                let mut c = crate::compare::compare_findings(side(ra), &Cells::new(), &fa, side(rb), &Cells::new(), &fb, ws);
                c.figures_note = Some(not_recorded(Some(id)));
                return Ok(c);
            }
        }
        let cells = |id| self.store.facts_at(&self.workspace, id).map_err(error);
        Ok(crate::compare::compare_findings(side(ra), &cells(a)?, &fa, side(rb), &cells(b)?, &fb, ws))
    }

    /// The two runs `yearbook diff` compares by default: the last two.
    pub fn last_two(&self) -> Result<(i64, i64)> {
        match self.runs.as_slice() {
            [.., a, b] => Ok((a.id, b.id)),
            _ => Err(Error::usage(format!(
                "{} holds {} run(s) of this workspace: a diff needs two (run `yearbook run` again after the next delivery)",
                self.store.path().display(),
                self.runs.len()
            ))),
        }
    }
}
