//! yearbook-core: the data model and the computations over it, with no scripting and no
//! file formats. Regions in a tree, periods, indicators with units, the dense panel,
//! series and their kernels (on all cores), the built-in checks, record tables, number
//! formatting, and the typed errors every crate returns.

#![warn(missing_docs)]

pub mod cells;
pub mod check;
pub mod counts;
pub mod error;
pub mod format;
pub mod indicator;
pub mod kernel;
pub mod keywords;
pub mod memory;
pub mod number;
pub mod panel;
pub mod period;
pub mod region;
pub mod schedule;
pub mod series;
pub mod suggest;
pub mod table;
pub mod tally;
pub mod text_order;
pub mod total_label;
pub mod unit;

pub use error::{Error, ErrorKind, Result};
pub use series::Series;
