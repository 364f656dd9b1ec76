//! Indicator metadata: code, label, unit, kind and how it rolls up the region tree.

use crate::unit::Unit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Amount over a period (GDP, investment): sums over time and regions.
    Flow,
    /// Level at a point in time (population): sums over regions, not over time.
    Stock,
    /// A ratio (income per head, coverage): never summed.
    Rate,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "flow" => Some(Kind::Flow),
            "stock" => Some(Kind::Stock),
            "rate" => Some(Kind::Rate),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Flow => "flow",
            Kind::Stock => "stock",
            Kind::Rate => "rate",
        }
    }
}

/// How values of child regions combine into their parent's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollup {
    Sum,
    Mean,
    /// Mean weighted by another indicator (its code).
    WeightedMean(String),
    /// Does not roll up (a rate without components).
    None,
}

impl Rollup {
    /// `sum`, `mean`, `none`, `weighted_mean:population` or `weighted_mean(population)`.
    pub fn parse(s: &str) -> Option<Rollup> {
        match s.trim() {
            "sum" => Some(Rollup::Sum),
            "mean" => Some(Rollup::Mean),
            "none" | "" => Some(Rollup::None),
            other => {
                let rest = other.strip_prefix("weighted_mean")?;
                let w = rest.trim_start_matches([':', '(', ' ']).trim_end_matches([')', ' ']);
                (!w.is_empty()).then(|| Rollup::WeightedMean(w.to_string()))
            }
        }
    }
    pub fn describe(&self) -> String {
        match self {
            Rollup::Sum => "sum".into(),
            Rollup::Mean => "mean".into(),
            Rollup::WeightedMean(w) => format!("weighted_mean({w})"),
            Rollup::None => "none".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Indicator {
    /// Code used in scripts; `ns.code` for facts loaded under a namespace.
    pub code: String,
    pub label: String,
    pub unit: Unit,
    pub kind: Kind,
    pub rollup: Rollup,
    pub note: String,
}
