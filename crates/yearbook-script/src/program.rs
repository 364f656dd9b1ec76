//! A compiled program: the engine with every function registered, the script library,
//! the derived indicators, the rules and the report rules, compiled once from a config. It holds no data
//! and no per-evaluation state, so one program is shared by every thread of a run
//! (`Send + Sync`); evaluations carry their state with them (`script::eval`).

use crate::derived::Indicators;
use crate::rule::Rule;
use rhai::{AST, Engine};
use std::sync::Arc;
use yearbook_io::config::Limits;

/// What a config compiles to.
pub struct Program {
    /// The sandboxed engine (functions registered, no data bound).
    pub engine: Engine,
    /// Derived indicators and the script library.
    pub indicators: Arc<Indicators>,
    /// The config's rules, compiled.
    pub rules: Vec<Rule>,
    /// The report's rules (`[report.rules.*]`), compiled.
    pub report_rules: Vec<crate::report_rule::ReportRule>,
    /// Signatures of every registered and library function, for suggestions and completion.
    pub functions: Vec<String>,
    /// (name, text) of the library scripts, to show errors inside them.
    pub sources: Vec<(String, String)>,
    /// The limits every evaluation runs under.
    pub limits: Limits,
}

impl Program {
    /// The functions every evaluation can call (standard and config scripts).
    pub fn library(&self) -> &AST {
        &self.indicators.library
    }
}

#[cfg(test)]
mod tests {
    /// The program and the data are shared by the threads of a run.
    #[test]
    fn shared_parts_are_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<super::Program>();
        shared::<crate::Data>();
        shared::<crate::Eval>();
    }
}
