//! yearbook: regional statistics for year-end work reports. A dense panel of facts
//! (regions x periods per indicator), native series kernels, and a sandboxed Rhai engine
//! in which analysts write indicators and rules.
//!
//! ```no_run
//! let ws = yearbook::Workspace::open("config/dayun/yearbook.toml".as_ref(), None).unwrap();
//! let r = ws.eval("pct(yoy(non_agricultural_population))").unwrap();
//! print!("{}", yearbook::output::render(&r.value, &Default::default(), Some(ws.panel())));
//! ```

pub mod check;
pub mod checkcfg;
pub mod config;
pub mod definitions;
pub mod derived;
pub mod error;
pub mod explain;
pub mod finding;
pub mod format;
pub mod indicator;
pub mod kernel;
pub mod load;
pub mod output;
pub mod outset;
pub mod panel;
pub mod period;
pub mod program;
pub mod region;
pub mod repl;
pub mod report;
pub mod rule;
pub mod run;
pub mod script;
pub mod series;
pub mod stdlib;
pub mod suggest;
pub mod table;
pub mod unit;
pub mod workspace;
pub mod write;

pub use checkcfg::check_config;
pub use error::{Error, Result};
pub use series::Series;
pub use workspace::{Evaluated, Workspace};
