//! Figures as earlier runs loaded them (from the run history), for `previous(gdp)` and
//! `vintage(gdp, "初步核算")`: dense matrices on the workspace's own axes, so a revision is
//! a cell-by-cell comparison.

use std::collections::BTreeMap;
use std::sync::Arc;

/// The facts one earlier run loaded, on the current workspace's axes.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The run's number in the history.
    pub run: i64,
    /// The run's vintage label ("" when none was given).
    pub vintage: String,
    /// Per indicator code: `periods x regions` values, period-major, NaN where the run
    /// had no value (or the cell is outside its data).
    pub values: BTreeMap<String, Arc<Vec<f64>>>,
}

/// What the history holds for the workspace being evaluated.
#[derive(Debug, Clone, Default)]
pub struct Earlier {
    /// Whether a history was opened at all (false: `yearbook eval` without one).
    pub available: bool,
    /// The workspace's latest recorded run before this one.
    pub previous: Option<Snapshot>,
    /// The latest recorded run of each vintage label.
    pub vintages: BTreeMap<String, Snapshot>,
}
