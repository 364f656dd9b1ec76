//! Findings and per-rule summaries: what a run reports, in the shape findings.json has.

use serde::Serialize;
use std::sync::Arc;
use yearbook_core::error::{ErrorDetail, Span};
use yearbook_script::rule::Severity;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The check failed.
    Fail,
    /// An informational rule reports a value.
    Note,
}

/// A value a finding names, with its unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueOut {
    /// None when missing.
    pub value: Option<f64>,
    /// The unit symbol (shared with the series it was read from: a run of 100,000
    /// findings holds each unit once).
    pub unit: Arc<str>,
}

/// The values a finding names, by name: a map in findings.json. Kept as a short sorted
/// list (a finding names one to a few values): a `BTreeMap` node holds room for eleven,
/// about 700 bytes per finding, 76 MB for the 105,000 findings of the 160,000-town
/// benchmark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values(Vec<(Arc<str>, ValueOut)>);

impl Values {
    /// No values.
    pub fn new() -> Values {
        Values(Vec::new())
    }
    /// No values yet, with room for `n` (a finding's list is sized once: 100,000
    /// findings of three values each hold 14 MB, not the 19 MB of lists grown to four).
    pub fn with_capacity(n: usize) -> Values {
        Values(Vec::with_capacity(n))
    }
    /// Sets the value of `name` (replacing one of that name).
    /// (A name given as an `Arc<str>` is shared, not copied: a run names the same few
    /// values in every finding of a rule.)
    pub fn insert(&mut self, name: impl Into<Arc<str>>, value: ValueOut) {
        let name = name.into();
        match self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name.as_ref())) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&ValueOut> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name)).ok().map(|i| &self.0[i].1)
    }
    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }
    /// (name, value) in the order of the names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ValueOut)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
    /// How many values.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// No values at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, ValueOut)> for Values {
    fn from_iter<I: IntoIterator<Item = (String, ValueOut)>>(iter: I) -> Values {
        let mut v = Values::new();
        for (k, x) in iter {
            v.insert(k, x);
        }
        v
    }
}

impl Serialize for Values {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

/// One failing (or noted) cell of a rule.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: String,
    /// The rule's severity.
    pub severity: Severity,
    /// Failed, or a note of an informational rule.
    pub status: Status,
    /// Region code ("" when the check is across regions).
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// Period ("" when the check is across periods).
    pub period: String,
    /// The values the check and the rule's `values` name.
    pub values: Values,
    /// How far off the cell is (total - parts, excess over the total, ...), if defined.
    pub imbalance: Option<f64>,
    /// The rule's message, filled in.
    pub message: String,
    /// Where the finding's rule is defined (`[rules.<id>]` in the config); one place
    /// shared by the rule's findings.
    pub at: Arc<Span>,
    /// The written explanation that covers it (a soft rule's finding, the explanations
    /// file); absent from findings.json when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Box<Explained>>,
}

/// An explanation applied to a finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Explained {
    /// Why the figure is right.
    pub text: String,
    /// Who said so.
    pub by: String,
    /// When.
    pub date: String,
    /// The finding's figures changed since the explanation was first applied: it no
    /// longer excuses the finding until it is given again.
    pub stale: bool,
}

impl Finding {
    /// Explained by a current (not stale) explanation: not counted by `--fail-on`.
    pub fn is_explained(&self) -> bool {
        self.explanation.as_ref().is_some_and(|e| !e.stale)
    }
}

/// Counts per rule, as R's validate prints them.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RuleSummary {
    /// The rule's id.
    pub rule: String,
    /// The rule's severity.
    pub severity: Option<Severity>,
    /// What it checks, in words.
    pub description: String,
    /// Cells in scope where any input is present.
    pub items: usize,
    /// Items that passed.
    pub passes: usize,
    /// Items that failed.
    pub fails: usize,
    /// Notes of an informational rule.
    pub notes: usize,
    /// Items with an input present but a missing result.
    pub not_evaluable: usize,
    /// The rule could not be evaluated (script error, limit); the run went on. The error
    /// as printed (with the caret display).
    pub error: Option<String>,
    /// The same error as data: kind, span (script name, line, column, length), message.
    pub error_detail: Option<ErrorDetail>,
    /// Where the rule is defined (`[rules.<id>]` in the config).
    pub at: Option<Span>,
    /// What the evaluation noted about cells left without a value and why (data that
    /// comes every 5 years meeting `yoy`, negative bases), so that a rule whose items are
    /// not evaluable says why. Absent from findings.json when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
}

/// A derived indicator computed in a run.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOutcome {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its unit symbol.
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
    /// The workspace's name.
    pub workspace: String,
    /// The period the run reports on; None = all periods.
    pub period: Option<String>,
    /// Derived indicators, in config order.
    pub indicators: Vec<IndicatorOutcome>,
    /// Per-rule counts, in config order.
    pub rules: Vec<RuleSummary>,
    /// Failing and noted cells, by rule in config order.
    pub findings: Vec<Finding>,
    /// What changed since the workspace's previous recorded run (the report's section
    /// 与上次核查相比); None without one. Not part of findings.json.
    #[serde(skip)]
    pub comparison: Option<crate::compare::Comparison>,
}

impl RunResult {
    /// Failed findings at or above a severity.
    /// Findings (failures and notes) of severity `s` or above: what `--fail-on` counts.
    /// Explained findings (a current explanation of a soft rule's finding) do not count.
    pub fn failures_at_or_above(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= s && !f.is_explained()).count()
    }
    /// Rules and indicators that could not be evaluated.
    pub fn errors(&self) -> usize {
        self.rules.iter().filter(|r| r.error.is_some()).count() + self.indicators.iter().filter(|i| i.error.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_names_sorted_and_serialize_as_the_map_did() {
        let v = |x: Option<f64>, u: &str| ValueOut { value: x, unit: u.into() };
        let mut vals = Values::new();
        vals.insert("total", v(Some(1.0), "亿元"));
        vals.insert("parts", v(None, "亿元"));
        vals.insert("completion", v(Some(92.5), "%"));
        vals.insert("total", v(Some(2.0), "亿元"));
        assert_eq!(vals.keys().collect::<Vec<_>>(), ["completion", "parts", "total"]);
        assert_eq!(vals.get("total"), Some(&v(Some(2.0), "亿元")));
        assert_eq!(vals.get("nothing"), None);
        assert_eq!(vals.len(), 3);
        let map: std::collections::BTreeMap<String, ValueOut> = vals.iter().map(|(k, x)| (k.to_string(), x.clone())).collect();
        assert_eq!(serde_json::to_string(&vals).unwrap(), serde_json::to_string(&map).unwrap());
        assert_eq!(
            serde_json::to_string(&vals).unwrap(),
            r#"{"completion":{"value":92.5,"unit":"%"},"parts":{"value":null,"unit":"亿元"},"total":{"value":2.0,"unit":"亿元"}}"#
        );
    }
}
