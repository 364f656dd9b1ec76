//! Rules: an id, a severity, a check (expression or function) compiled once, a message
//! template, a scope (levels, periods) and a missing-value policy.

use crate::series::Series;
use rhai::AST;
use std::cell::{Cell, RefCell};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a missing input does to a cell (as in VTL and DHIS2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingPolicy {
    /// Not evaluable if any input is missing (missing values propagate).
    #[default]
    SkipAny,
    /// Not evaluable only if all inputs are missing; others count as zero.
    SkipAll,
    /// Missing inputs count as zero.
    Zero,
}

impl MissingPolicy {
    pub fn parse(s: &str) -> Option<MissingPolicy> {
        match s {
            "skip_any" | "skip_if_any_missing" => Some(MissingPolicy::SkipAny),
            "skip_all" | "skip_if_all_missing" => Some(MissingPolicy::SkipAll),
            "zero" | "treat_as_zero" => Some(MissingPolicy::Zero),
            _ => None,
        }
    }
}

pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub description: String,
    pub text: String,
    pub ast: AST,
    pub message: Option<String>,
    /// Extra values for the message: (name, text, compiled).
    pub values: Vec<(String, String, AST)>,
    pub levels: Option<Vec<u8>>,
    /// Period indices on the panel's axis.
    pub periods: Option<Vec<usize>>,
    pub missing: MissingPolicy,
}

/// Tracks, while a rule evaluates, which cells had any input present, and applies the
/// rule's missing-value policy to the series it reads.
#[derive(Default)]
pub struct InputTracker {
    policy: Cell<MissingPolicy>,
    present: RefCell<Option<Vec<bool>>>,
}

impl InputTracker {
    pub fn start(&self, policy: MissingPolicy, cells: usize) {
        self.policy.set(policy);
        *self.present.borrow_mut() = Some(vec![false; cells]);
    }
    /// Stops tracking; returns which cells had any input.
    pub fn finish(&self) -> Option<Vec<bool>> {
        self.policy.set(MissingPolicy::SkipAny);
        self.present.borrow_mut().take()
    }
    /// Called for each series a script reads.
    pub fn seen(&self, s: Series) -> Series {
        let mut p = self.present.borrow_mut();
        let Some(present) = p.as_mut() else { return s };
        if s.by_region && s.by_period && s.data.len() == present.len() {
            for (slot, v) in present.iter_mut().zip(s.data.iter()) {
                *slot |= !v.is_nan();
            }
        }
        drop(p);
        match self.policy.get() {
            MissingPolicy::SkipAny => s,
            MissingPolicy::SkipAll | MissingPolicy::Zero => {
                let (u, a, ind) = (s.unit.clone(), s.agg.clone(), s.indicator);
                let mut out = crate::kernel::arith::map(s, u, a, |x| if x.is_nan() { 0.0 } else { x });
                out.indicator = ind;
                out
            }
        }
    }
    pub fn policy(&self) -> MissingPolicy {
        self.policy.get()
    }
}
