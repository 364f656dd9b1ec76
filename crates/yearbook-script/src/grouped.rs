//! A record table grouped by one column: the value `group_by` gives scripts, which
//! `sum`, `mean` and friends reduce per group and the printers show.

use std::sync::Arc;
use yearbook_core::table::Table;

/// Rows of a table grouped by one column's values.
#[derive(Clone, Debug)]
pub struct Grouped {
    /// The table grouped.
    pub table: Table,
    /// The column grouped by.
    pub key: String,
    /// Each key with its rows, in order of first appearance.
    pub groups: Arc<Vec<(String, Vec<usize>)>>,
}
