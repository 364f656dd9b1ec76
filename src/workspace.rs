//! A workspace: the config, the loaded data, and the sandboxed script engine bound to
//! them. The entry point of the library.

use crate::config::ConfigFile;
use crate::error::{Error, Result};
use crate::load::{self, LoadStats};
use crate::panel::Panel;
use crate::script::diagnostic::{self, Known};
use crate::script::{self, Context, sandbox};
use rhai::{AST, Dynamic, Engine, Scope};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub struct Workspace {
    pub config: ConfigFile,
    pub ctx: std::rc::Rc<Context>,
    pub engine: Engine,
    pub stats: LoadStats,
    /// Signatures of every registered function, for suggestions and completion.
    pub functions: Vec<String>,
    /// Scripts whose functions every evaluation can call.
    pub library: AST,
    /// (name, text) of the library scripts, to show errors inside them.
    pub sources: Vec<(String, String)>,
    /// The config's rules, compiled.
    pub rules: Vec<crate::rule::Rule>,
}

/// A result and what happened while computing it.
pub struct Evaluated {
    pub value: Dynamic,
    /// Divisions by zero that gave missing values.
    pub div_zero: u64,
    /// Why parts of the result are empty and what to use instead (`kernel::note`).
    pub notes: Vec<String>,
    /// Lines the script wrote with `print` / `debug`.
    pub printed: Vec<String>,
}

impl Workspace {
    /// Loads the config and its data. `data_dir` replaces the data folder.
    pub fn open(config: &Path, data_dir: Option<&Path>) -> Result<Workspace> {
        let cfg = ConfigFile::load(config)?;
        let loaded = load::load(&cfg, data_dir, true)?;
        Self::from_parts(cfg, Arc::new(loaded.panel), loaded.tables, loaded.stats)
    }

    /// Loads the config, regions, indicator metadata and tables but no facts: enough to
    /// compile and check every script.
    pub fn open_without_facts(config: &Path, data_dir: Option<&Path>) -> Result<Workspace> {
        let cfg = ConfigFile::load(config)?;
        let loaded = load::load(&cfg, data_dir, false)?;
        Self::from_parts(cfg, Arc::new(loaded.panel), loaded.tables, loaded.stats)
    }

    /// Computes a derived indicator (and what it uses) within the time limit.
    pub fn compute_indicator(&self, id: &str) -> Result<crate::series::Series> {
        let def =
            self.ctx.derived.defs().into_iter().find(|d| d.id == id).ok_or_else(|| Error::usage(format!("unknown indicator `{id}`")))?;
        sandbox::start_clock(Duration::from_millis(def.timeout_ms.unwrap_or(self.config.config.limits.timeout_ms)));
        let res = self.ctx.derived.get(id, &self.engine);
        sandbox::stop_clock();
        res.map_err(|e| {
            let vars = self.variable_names(None);
            let err = diagnostic::eval_error(&e, &format!("indicators.{id}"), &def.text, &self.known(&vars));
            self.ctx.derived.fail(id, crate::error::Fault::new(err.kind(), err.to_string()));
            err
        })
    }

    pub fn from_parts(
        config: ConfigFile,
        panel: Arc<Panel>,
        tables: std::collections::BTreeMap<String, crate::table::Table>,
        stats: LoadStats,
    ) -> Result<Workspace> {
        let ctx = std::rc::Rc::new(Context::new(panel, tables));
        let scripts_dir = config.dir().join("scripts");
        let engine = build_engine(&config.config.limits, ctx.clone(), scripts_dir.is_dir().then_some(scripts_dir.as_path()));
        // Raw variants (whole-number forms, script::numbers) have no parameter names: not listed.
        let mut functions: Vec<String> = engine.gen_fn_signatures(false).into_iter().filter(|f| !f.contains("(_")).collect();
        functions.sort();
        functions.dedup();
        let mut ws = Workspace { config, ctx, engine, stats, functions, library: AST::empty(), sources: Vec::new(), rules: Vec::new() };
        ws.load_library()?;
        // Every bad indicator and rule is reported, not just the first.
        let mut errors: Vec<Error> = crate::definitions::compile_indicators(&ws).err().into_iter().collect();
        match crate::definitions::compile_rules(&ws) {
            Ok(r) => ws.rules = r,
            Err(e) => errors.push(e),
        }
        match Error::all(errors) {
            Some(e) => Err(e),
            None => Ok(ws),
        }
    }

    /// Compiles the standard scripts and the config's `scripts` files into the library.
    fn load_library(&mut self) -> Result<()> {
        let mut files: Vec<(String, String)> = crate::stdlib::SCRIPTS.iter().map(|(n, t)| (format!("std/{n}"), t.to_string())).collect();
        for s in &self.config.config.scripts {
            let path = self.config.dir().join(s.get_ref());
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::config(self.config.at(s.span()), format!("cannot read script {}: {e}", path.display())))?;
            files.push((path.display().to_string(), text));
        }
        for (name, text) in &files {
            let mut ast = self.compile(text, name)?;
            ast.clear_statements();
            self.library.combine(ast);
        }
        self.sources = files;
        for f in self.library.iter_functions() {
            let params = f.params.join(", ");
            self.functions.push(format!("{}({params})", f.name));
        }
        Ok(())
    }

    pub fn panel(&self) -> &Panel {
        &self.ctx.panel
    }

    /// Names and sources for error messages.
    pub fn known<'a>(&'a self, variables: &'a [String]) -> Known<'a> {
        Known { sources: &self.sources, variables, functions: &self.functions, limits: &self.config.config.limits }
    }

    /// Variable names a script can use, plus those in `scope`.
    pub fn variable_names(&self, scope: Option<&Scope>) -> Vec<String> {
        let mut v = self.ctx.names();
        if let Some(s) = scope {
            v.extend(s.iter_raw().map(|(n, _, _)| n.to_string()));
        }
        v
    }

    /// Compiles a script (statements and functions allowed) named `name`.
    pub fn compile(&self, text: &str, name: &str) -> Result<AST> {
        let mut ast = self.engine.compile(text).map_err(|e| {
            let vars = self.variable_names(None);
            diagnostic::parse_error(&e, name, text, &self.known(&vars))
        })?;
        ast.set_source(name);
        Ok(ast)
    }

    /// Evaluates a script with a fresh scope.
    pub fn eval(&self, text: &str) -> Result<Evaluated> {
        self.eval_in(&mut Scope::new(), text, "<expr>")
    }

    /// Evaluates a script in `scope` (which keeps its `let` bindings).
    pub fn eval_in(&self, scope: &mut Scope, text: &str, name: &str) -> Result<Evaluated> {
        let ast = self.compile(text, name)?;
        self.run_ast(scope, &ast, text, name)
    }

    /// Runs a compiled script within the time limit; errors rendered against `text`.
    pub fn run_ast(&self, scope: &mut Scope, ast: &AST, text: &str, name: &str) -> Result<Evaluated> {
        self.run_ast_within(scope, ast, text, name, self.config.config.limits.timeout_ms)
    }

    /// `run_ast` with a given wall-time limit in milliseconds.
    pub fn run_ast_within(&self, scope: &mut Scope, ast: &AST, text: &str, name: &str, timeout_ms: u64) -> Result<Evaluated> {
        let full = self.library.merge(ast);
        crate::kernel::take_div_zero_count();
        crate::kernel::take_notes();
        sandbox::take_printed();
        sandbox::start_clock(Duration::from_millis(timeout_ms));
        let res = self.engine.eval_ast_with_scope::<Dynamic>(scope, &full);
        sandbox::stop_clock();
        let div_zero = crate::kernel::take_div_zero_count();
        let notes = crate::kernel::take_notes();
        let printed = sandbox::take_printed();
        match res {
            Ok(value) => Ok(Evaluated { value, div_zero, notes, printed }),
            Err(e) => {
                let vars = self.variable_names(Some(scope));
                // Messages quote the time limit that applied, which may be the rule's own.
                let limits = crate::config::Limits { timeout_ms, ..self.config.config.limits.clone() };
                let known = Known { limits: &limits, ..self.known(&vars) };
                Err(diagnostic::eval_error(&e, name, text, &known))
            }
        }
    }
}

/// The engine of a workspace: sandbox, operators, series and table functions, and
/// indicator names resolved on first use.
pub fn build_engine(limits: &crate::config::Limits, ctx: std::rc::Rc<Context>, scripts_dir: Option<&Path>) -> Engine {
    let mut e = sandbox::engine(limits, scripts_dir);
    script::ops_api::register(&mut e);
    script::series_api::register(&mut e, ctx.clone());
    script::table_api::register(&mut e, ctx.clone());
    script::check_api::register(&mut e);
    #[allow(deprecated)]
    e.on_var(move |name, index, context| {
        if index > 0 || context.scope().contains(name) {
            return Ok(None);
        }
        ctx.resolve(name, context.engine())
    });
    e
}

/// An engine with every function registered over an empty workspace: for the
/// generated reference and editor completion.
pub fn reference_engine() -> Engine {
    let axes = Arc::new(crate::panel::Axes::new(
        Default::default(),
        crate::period::PeriodAxis { freq: crate::period::Frequency::Year, first: 0, len: 0 },
    ));
    let panel = Arc::new(Panel::new(axes, Vec::new(), Vec::new(), Vec::new(), 0));
    let ctx = std::rc::Rc::new(Context::new(panel, Default::default()));
    build_engine(&Default::default(), ctx, None)
}
