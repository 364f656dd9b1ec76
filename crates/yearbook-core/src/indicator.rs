//! Indicator metadata: code, label, unit, kind and how it rolls up the region tree.

use crate::unit::Unit;

/// What an indicator measures over time: a flow (summed over a period), a stock (a level at a date) or a rate.
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
    /// The kind named in indicators.csv (`flow`, `stock`, `rate`); None for an unknown word.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "flow" => Some(Kind::Flow),
            "stock" => Some(Kind::Stock),
            "rate" => Some(Kind::Rate),
            _ => None,
        }
    }
    /// The word indicators.csv uses for this kind.
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
    /// Regions add up: the parent is the sum of its children.
    Sum,
    /// The parent is the plain mean of its children.
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
    /// The rule as the config spells it (`sum`, `weighted_mean(pop)`).
    pub fn describe(&self) -> String {
        match self {
            Rollup::Sum => "sum".into(),
            Rollup::Mean => "mean".into(),
            Rollup::WeightedMean(w) => format!("weighted_mean({w})"),
            Rollup::None => "none".into(),
        }
    }
}

/// A loaded indicator: its code, label, unit, kind, roll-up rule and note (one row of indicators.csv).
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Code used in scripts; `ns.code` for facts loaded under a namespace.
    pub code: String,
    /// The label reports print (地区生产总值).
    pub label: String,
    /// The unit its values are in.
    pub unit: Unit,
    /// Flow, stock or rate.
    pub kind: Kind,
    /// How its values roll up the region tree.
    pub rollup: Rollup,
    /// Whether indicators.csv gives the roll-up; an empty cell takes it from the kind and
    /// the unit (none for a rate or a unit that does not add up, else sum).
    pub rollup_written: bool,
    /// A note from indicators.csv (definitions, sources).
    pub note: String,
}

/// Whether a figure labelled `label` in `unit` (declared `kind = rate` or not) is the
/// level of a rate or share, whose change is said in 百分点 and never as a growth
/// (城镇化率 52.5% after 50% rose 2.5个百分点, not 同比增长5%): in % or ‰, or a bare
/// number (no unit; not 倍, a multiple), and declared a rate or labelled as one (比重,
/// 占比, 比例, 份额, …率), but not a growth rate (增长率, 增速, 增幅, 同比, 环比).
/// A rate in another unit (人均收入 in 元, declared `kind = rate` for its roll-up) is a
/// ratio whose change is a growth.
pub fn is_rate_or_share(label: &str, unit: &Unit, declared_rate: bool) -> bool {
    let percent = unit.is_dimensionless() && !unit.is_index() && (unit.scale == 0.01 || unit.scale == 0.001);
    let bare = unit.is_bare_number() && unit.symbol.as_ref() != "倍";
    let growth = ["增长", "增速", "增幅", "同比", "环比"].iter().any(|w| label.contains(w));
    let named = ["比重", "占比", "比例", "份额", "率"].iter().any(|w| label.contains(w));
    (percent || bare) && !growth && (declared_rate || named)
}

impl Indicator {
    /// [`is_rate_or_share`] of this indicator; a figure of a namespace (`reported_yoy.gdp`,
    /// the growths a yearbook prints) is none.
    pub fn is_rate_or_share(&self) -> bool {
        !self.code.contains('.') && is_rate_or_share(&self.label, &self.unit, self.kind == Kind::Rate)
    }
}
