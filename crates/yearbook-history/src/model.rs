//! The rows the history keeps: runs, counts per rule, findings, fact cells, and the
//! figures explanations were given for.

use std::collections::BTreeMap;

/// One fact cell: indicator code, region code, period as the findings spell it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    /// The indicator's code (namespaced ones as `reported_yoy.gdp`).
    pub indicator: String,
    /// The region's code.
    pub region: String,
    /// The period (`2008`, `2024-03`).
    pub period: String,
}

/// The facts a run loaded: every non-missing cell and its value.
pub type Cells = BTreeMap<Cell, f64>;

/// A recorded run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// Its number in the history (1, 2, ...), shared by all workspaces of the file.
    pub id: i64,
    /// The workspace it ran (its config file, canonical path).
    pub workspace: String,
    /// When it started, UTC, RFC 3339.
    pub started: String,
    /// Its vintage label (`初步核算`), "" when none was given.
    pub vintage: String,
    /// The period it reported on, if one.
    pub period: Option<String>,
    /// SHA-256 of the config file.
    pub config_hash: String,
    /// Findings it recorded (None: not counted, [`crate::History::runs_uncounted`]).
    pub findings: Option<i64>,
    /// Fact cells that changed from the workspace's previous run (all of them for the
    /// first; None: not counted).
    pub changed_cells: Option<i64>,
}

/// A rule's counts in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCountRow {
    /// The rule's id.
    pub rule: String,
    /// error, warning or info.
    pub severity: String,
    /// Cells in scope with an input.
    pub items: i64,
    /// Items that passed.
    pub passes: i64,
    /// Items that failed.
    pub fails: i64,
    /// Notes of an informational rule.
    pub notes: i64,
    /// Items that could not be evaluated.
    pub not_evaluable: i64,
    /// The rule's error, if it could not be evaluated.
    pub error: Option<String>,
}

/// A finding as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    /// The rule's id.
    pub rule: String,
    /// error, warning or info.
    pub severity: String,
    /// fail or note.
    pub status: String,
    /// Region code ("" for a check across regions).
    pub region: String,
    /// Region name.
    pub region_name: String,
    /// Period ("" for a check across periods).
    pub period: String,
    /// The message, filled in.
    pub message: String,
    /// The explanation that excused it, if any.
    pub explanation: Option<String>,
    /// Whether that explanation was stale (its figure changed since it was given).
    pub stale: bool,
}

/// The figures of a finding when an explanation for it was first applied: later runs
/// compare against them to tell a stale explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedBaseline {
    /// The rule's id.
    pub rule: String,
    /// Region code.
    pub region: String,
    /// Period.
    pub period: String,
    /// The explanation as given (its text, who, when): another explanation for the same
    /// cell starts a new baseline.
    pub identity: String,
    /// The finding's figures, as text that compares exactly.
    pub figure: String,
}

/// A recorded finding's identity and where it is ([`crate::History::finding_keys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingKey {
    /// Its row in the findings table, to read the whole finding.
    pub row: i64,
    /// The rule's id.
    pub rule: String,
    /// Region code ("" for a check across regions).
    pub region: String,
    /// Period ("" for a check across periods).
    pub period: String,
}

impl FindingRow {
    /// The row, borrowed (as a run's own findings are recorded and compared).
    pub fn as_new(&self) -> NewFinding<'_> {
        NewFinding {
            rule: &self.rule,
            severity: &self.severity,
            status: &self.status,
            region: &self.region,
            region_name: &self.region_name,
            period: &self.period,
            message: &self.message,
            explanation: self.explanation.as_deref(),
            stale: self.stale,
        }
    }
}

/// A finding to record, borrowed from the run's own (at 160,000 towns a run has 106,000
/// findings: a copy of their texts for the history was 60 MB at the run's peak).
#[derive(Debug, Clone, Copy, Default)]
pub struct NewFinding<'a> {
    /// The rule's id.
    pub rule: &'a str,
    /// error, warning or info.
    pub severity: &'a str,
    /// fail or note.
    pub status: &'a str,
    /// Region code ("" for a check across regions).
    pub region: &'a str,
    /// Region name.
    pub region_name: &'a str,
    /// Period ("" for a check across periods).
    pub period: &'a str,
    /// The message, filled in.
    pub message: &'a str,
    /// The explanation that excused it, if any.
    pub explanation: Option<&'a str>,
    /// Whether that explanation was stale (its figure changed since it was given).
    pub stale: bool,
}

/// A run to record.
#[derive(Debug, Clone, Default)]
pub struct NewRun<'a> {
    /// The workspace (its config file, canonical path).
    pub workspace: String,
    /// When it started, UTC, RFC 3339.
    pub started: String,
    /// Its vintage label, "" for none.
    pub vintage: String,
    /// The period it reported on.
    pub period: Option<String>,
    /// SHA-256 of the config file.
    pub config_hash: String,
    /// Input files (path, SHA-256).
    pub inputs: Vec<(String, String)>,
    /// Hashes computed by this run, remembered with their files' stamps (hash.rs).
    pub fresh_hashes: Vec<(String, crate::hash::KnownHash)>,
    /// Counts per rule, in config order.
    pub rules: Vec<RuleCountRow>,
    /// Findings, in the run's order.
    pub findings: Vec<NewFinding<'a>>,
    /// Figures of explanations applied for the first time.
    pub baselines: Vec<ExplainedBaseline>,
}
