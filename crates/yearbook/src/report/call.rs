//! Scripts functions called from the report: `{{ call("my_phrase", region) }}` in a
//! section template and `{my_phrase(region, x)}` in a report rule's sentence. Each call
//! is one evaluation in the workspace's sandbox, under its limits (operations, depth,
//! time), and must give text (a number is printed as reports print it).

use crate::report::phrase;
use rhai::{Dynamic, Scope};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use yearbook_core::error::{Error, ErrorKind, Result};
use yearbook_core::tally::Tally;
use yearbook_script::diagnostic::{self, Known};
use yearbook_script::program::Program;
use yearbook_script::rule::InputTracker;
use yearbook_script::{Data, Eval};

/// What a call needs: the compiled program and the data (shared, owned: template
/// functions outlive any borrow), and the workspace's cancel token.
#[derive(Clone)]
pub struct Caller {
    program: Arc<Program>,
    data: Arc<Data>,
    cancel: Arc<AtomicBool>,
    within: Option<yearbook_script::eval::Within>,
    as_of: Option<yearbook_core::period::Period>,
}

impl Caller {
    /// A caller for the functions of `ws`'s scripts.
    pub fn new(ws: &crate::Workspace) -> Caller {
        Caller { program: ws.program.clone(), data: ws.data.clone(), cancel: ws.cancel_token(), within: ws.within(), as_of: ws.period_of() }
    }

    /// Calls the scripts function `function` with `args`; its result as text.
    pub fn call_text(&self, function: &str, args: Vec<Dynamic>) -> Result<String> {
        let v = self.call(function, args)?;
        if let Some(s) = v.clone().try_cast::<rhai::ImmutableString>() {
            return Ok(s.to_string());
        }
        if let Ok(x) = yearbook_script::number_of(&v) {
            // A figure that is there never prints as 0 nor loses its sign (0.0021, not 0).
            return Ok(if x.is_finite() { yearbook_core::format::round_trim_nonzero(x, 2) } else { phrase::NO_DATA.to_string() });
        }
        Err(Error::new(
            ErrorKind::Type,
            format!(
                "{function}: a phrasing function must give text (or a number), not {}",
                if v.is_unit() { "nothing (())" } else { v.type_name() }
            ),
        ))
    }

    /// Calls `function` (a function of the standard or config scripts taking `args.len()`
    /// arguments) as one evaluation under the workspace's limits.
    pub fn call(&self, function: &str, args: Vec<Dynamic>) -> Result<Dynamic> {
        let library = self.program.library();
        if !library.iter_functions().any(|f| f.name == function && f.params.len() == args.len()) {
            let names: Vec<&str> = library.iter_functions().map(|f| f.name).collect();
            let arities: Vec<String> =
                library.iter_functions().filter(|f| f.name == function).map(|f| f.params.len().to_string()).collect();
            let why = if arities.is_empty() {
                format!("no function `{function}` in the scripts{}", yearbook_core::suggest::did_you_mean(function, names))
            } else {
                format!("`{function}` takes {} arguments, not {}", arities.join(" or "), args.len())
            };
            return Err(Error::new(ErrorKind::UnknownName, why));
        }
        let names: Vec<String> = (0..args.len()).map(|i| format!("yb_arg{i}")).collect();
        let text = format!("{function}({})", names.join(", "));
        let name = format!("call(\"{function}\")");
        let known =
            Known { sources: &self.program.sources, variables: &names, functions: &self.program.functions, limits: &self.program.limits };
        let ast = self.program.engine.compile_expression(&text).map_err(|e| diagnostic::parse_error(&e, &name, &text, &known))?;
        let mut scope = Scope::new();
        for (n, a) in names.iter().zip(args) {
            scope.push_dynamic(n.as_str(), a);
        }
        self.data.values.as_of(self.as_of);
        let deadline = Instant::now().checked_add(Duration::from_millis(self.program.limits.timeout_ms));
        let ev = Arc::new(
            Eval::new(
                self.data.clone(),
                self.program.indicators.clone(),
                Tally::new(deadline, self.cancel.clone()).as_of(self.as_of),
                InputTracker::default(),
            )
            .within(self.within.clone()),
        );
        yearbook_script::eval::run(&self.program.engine, &ev, &mut scope, &ast)
            .map_err(|e| diagnostic::eval_error(&e, &name, &text, &known))
    }
}
