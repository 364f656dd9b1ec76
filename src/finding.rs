//! Findings and per-rule summaries: what a run reports, in the shape findings.json has.

use crate::error::{ErrorDetail, Span};
use crate::rule::Severity;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The check failed.
    Fail,
    /// An informational rule reports a value.
    Note,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueOut {
    /// None when missing.
    pub value: Option<f64>,
    pub unit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub status: Status,
    /// Region code ("" when the check is across regions).
    pub region: String,
    pub region_name: String,
    /// Period ("" when the check is across periods).
    pub period: String,
    pub values: BTreeMap<String, ValueOut>,
    /// How far off the cell is (total - parts, excess over the total, ...), if defined.
    pub imbalance: Option<f64>,
    pub message: String,
    /// Where the finding's rule is defined (`[rules.<id>]` in the config).
    pub at: Span,
}

/// Counts per rule, as R's validate prints them.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RuleSummary {
    pub rule: String,
    pub severity: Option<Severity>,
    pub description: String,
    /// Cells in scope where any input is present.
    pub items: usize,
    pub passes: usize,
    pub fails: usize,
    pub notes: usize,
    pub not_evaluable: usize,
    /// The rule could not be evaluated (script error, limit); the run went on. The error
    /// as printed (with the caret display).
    pub error: Option<String>,
    /// The same error as data: kind, span (script name, line, column, length), message.
    pub error_detail: Option<ErrorDetail>,
    /// Where the rule is defined (`[rules.<id>]` in the config).
    pub at: Option<Span>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOutcome {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// Non-missing cells computed.
    pub cells: usize,
    /// The indicator could not be computed: the error as printed.
    pub error: Option<String>,
    /// The same error as data: kind, span, message.
    pub error_detail: Option<ErrorDetail>,
}

/// Everything a run produces.
#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    pub workspace: String,
    /// The period the run reports on; None = all periods.
    pub period: Option<String>,
    pub indicators: Vec<IndicatorOutcome>,
    pub rules: Vec<RuleSummary>,
    pub findings: Vec<Finding>,
}

impl RunResult {
    /// Failed findings at or above a severity.
    /// Findings (failures and notes) of severity `s` or above: what `--fail-on` counts.
    pub fn failures_at_or_above(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= s).count()
    }
    /// Rules and indicators that could not be evaluated.
    pub fn errors(&self) -> usize {
        self.rules.iter().filter(|r| r.error.is_some()).count() + self.indicators.iter().filter(|i| i.error.is_some()).count()
    }
}
