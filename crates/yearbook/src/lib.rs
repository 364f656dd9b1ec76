//! yearbook: regional statistics for year-end work reports. The embedding facade: open a
//! workspace (config, data, compiled scripts), evaluate expressions, run every indicator
//! and rule on all cores, write findings and the report.
//!
//! ```no_run
//! let ws = yearbook::Workspace::open("config/dayun/yearbook.toml".as_ref(), None).unwrap();
//! let r = ws.eval("pct(yoy(non_agricultural_population))").unwrap();
//! print!("{}", r.value.render(&Default::default(), Some(ws.panel())));
//! ```
//!
//! The layers below are re-exported under their usual names: the data model and kernels
//! (`yearbook-core`), the config schema and loaders (`yearbook-io`) and the script layer
//! (`yearbook-script`, as [`script`]).

#![warn(missing_docs)]

pub mod bindings;
pub mod checkcfg;
pub mod compare;
pub mod complete;
pub mod explain;
pub mod explanations;
pub mod finding;
pub mod history;
pub mod names;
pub mod outset;
pub(crate) mod ranked;
pub mod report;
pub mod ruletest;
pub mod run;
pub mod sentence;
pub mod value;
pub mod workspace;
pub mod write;

pub use yearbook_core::{
    cells, check, error, format, indicator, kernel, memory, number, panel, period, region, series, suggest, table, tally, unit,
};
pub use yearbook_io::{config, load};
pub use yearbook_script as script;
pub use yearbook_script::{definitions, derived, output, program, rule, stdlib};

pub use bindings::Bindings;
pub use checkcfg::{check_config, check_warnings};
pub use error::{Error, Result};
pub use series::Series;
pub use value::Value;
pub use workspace::{Evaluated, Workspace, WorkspaceBuilder};
