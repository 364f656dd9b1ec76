//! A workspace: the config, the loaded data, and the sandboxed script engine bound to
//! them. The entry point of the library.

use crate::bindings::Bindings;
use crate::value::Value;
use rhai::{AST, Scope};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use yearbook_core::error::{Error, Result};
use yearbook_core::panel::Panel;
use yearbook_core::tally::Tally;
use yearbook_io::config::ConfigFile;
use yearbook_io::load::{self, LoadStats};
use yearbook_script::diagnostic::{self, Known};
use yearbook_script::program::Program;
use yearbook_script::rule::{InputTracker, Inputs, MissingPolicy};
use yearbook_script::{self as script, Data, Eval};

/// A loaded workspace: its config, the compiled program and the data. Shared by the
/// threads of a run (`Send + Sync`).
pub struct Workspace {
    /// The config it was opened from.
    pub config: Arc<ConfigFile>,
    /// The compiled scripts, indicators and rules.
    pub program: Arc<Program>,
    /// The loaded data and the derived indicators computed so far.
    pub data: Arc<Data>,
    /// What loading read.
    pub stats: LoadStats,
    /// Stops every running evaluation when set (Ctrl-C).
    cancel: Arc<AtomicBool>,
    /// A report's regions ([`Workspace::for_report_on`]): what `rank` and `top` compare.
    within: Option<script::eval::Within>,
    /// The period a report or run is of ([`Workspace::as_of`]).
    as_of: Option<yearbook_core::period::Period>,
}

/// A result and what happened while computing it.
pub struct Evaluated {
    /// The script's value.
    pub value: Value,
    /// Divisions by zero that gave missing values.
    pub div_zero: u64,
    /// Why parts of the result are empty and what to use instead (`kernel::note`).
    pub notes: Vec<String>,
    /// Lines the script wrote with `print` / `debug`.
    pub printed: Vec<String>,
    /// What the input defined (`fn name/arity`, `let name`), kept by
    /// [`Workspace::eval_with`]'s bindings.
    pub defined: Vec<String>,
}

/// Where the config comes from.
#[derive(Debug, Clone, Default)]
enum ConfigSource {
    /// No config given yet.
    #[default]
    Missing,
    /// A `yearbook.toml` file.
    Path(std::path::PathBuf),
    /// Config text standing for the file at `path`; data paths resolve against its folder.
    Text { text: String, path: std::path::PathBuf },
}

/// Opens a workspace: the config (a file or text), a data folder replacing the config's,
/// facts or not, a cancel token ([`Workspace::builder`]).
#[derive(Debug, Clone, Default)]
pub struct WorkspaceBuilder {
    config: ConfigSource,
    data_dir: Option<std::path::PathBuf>,
    without_facts: bool,
    facts: Option<Vec<yearbook_io::config::FileSpec>>,
    cancel: Option<Arc<AtomicBool>>,
    script_texts: std::collections::BTreeMap<std::path::PathBuf, String>,
}

impl WorkspaceBuilder {
    /// The config file (`yearbook.toml`); its data paths are relative to it.
    pub fn config_path(mut self, path: &Path) -> Self {
        self.config = ConfigSource::Path(path.to_path_buf());
        self
    }
    /// The config as text; its data paths are relative to `dir`.
    pub fn config_text(mut self, text: &str, dir: &Path) -> Self {
        self.config = ConfigSource::Text { text: text.to_string(), path: dir.join("yearbook.toml") };
        self
    }
    /// The config file at `path` as an editor holds it (`text`, maybe unsaved): positions
    /// in messages name `path`, data paths are relative to its folder.
    pub fn config_source(mut self, path: &Path, text: &str) -> Self {
        self.config = ConfigSource::Text { text: text.to_string(), path: path.to_path_buf() };
        self
    }
    /// Uses `text` for the script file at `path` (as the config resolves its `scripts`
    /// entries: relative to the config's folder) instead of reading the file.
    pub fn script_text(mut self, path: &Path, text: &str) -> Self {
        self.script_texts.insert(path.to_path_buf(), text.to_string());
        self
    }
    /// Reads the data files from `dir` instead of the config's folder (None: the config's).
    pub fn data_dir(mut self, dir: Option<&Path>) -> Self {
        self.data_dir = dir.map(Path::to_path_buf);
        self
    }
    /// Loads regions, indicator metadata and tables but no facts (enough to compile and
    /// check every script).
    pub fn without_facts(mut self) -> Self {
        self.without_facts = true;
        self
    }
    /// Reads these fact files instead of the config's `[[data.facts]]` entries (a rule
    /// test's facts); regions, indicator metadata and tables still come from the config.
    pub fn facts(mut self, files: Vec<yearbook_io::config::FileSpec>) -> Self {
        self.facts = Some(files);
        self
    }
    /// Uses `token` to stop running evaluations (set it from a Ctrl-C handler).
    pub fn cancel_token(mut self, token: Arc<AtomicBool>) -> Self {
        self.cancel = Some(token);
        self
    }
    /// Loads and compiles. Errors: the config's (file:line:col), the data's, every
    /// indicator and rule that does not compile.
    pub fn open(self) -> Result<Workspace> {
        let mut cfg = match self.config {
            ConfigSource::Missing => return Err(Error::usage("no config given: call config_path or config_text before open")),
            ConfigSource::Path(p) => ConfigFile::load(&p)?,
            ConfigSource::Text { text, path } => ConfigFile::parse(&path, text)?,
        };
        cfg.script_texts = self.script_texts;
        if let Some(files) = self.facts {
            cfg.replace_facts(files);
        }
        let loaded = load::load(&cfg, self.data_dir.as_deref(), !self.without_facts)?;
        let ws = Workspace::from_parts(cfg, Arc::new(loaded.panel), loaded.tables, loaded.stats)?;
        Ok(match self.cancel {
            Some(t) => ws.with_cancel_token(t),
            None => ws,
        })
    }
}

/// How one evaluation runs.
pub(crate) struct EvalSpec<'a> {
    /// The script's name in messages (`rules.x`, `<expr>`).
    pub name: &'a str,
    /// The script's text, for carets in messages.
    pub text: &'a str,
    /// Wall-time limit.
    pub timeout_ms: u64,
    /// A rule's missing-value policy: track its inputs.
    pub rule: Option<MissingPolicy>,
    /// The missing-value policy a rule's values are read under, untracked (`values = {
    /// d = "a - b" }` of a rule under `zero` gives the figure its check compared).
    pub fill: MissingPolicy,
    /// A rule's levels: each series read has, at regions of these levels made of their
    /// children (no figure of their own), their roll-up.
    pub levels: Option<&'a [u8]>,
    /// Leave a conversion open in a series result (`Series::pending`): a part of a formula
    /// (explain), or a derived indicator's formula its declared unit settles.
    pub open: bool,
}

impl Workspace {
    /// Loads the config and its data. `data_dir` replaces the data folder.
    pub fn open(config: &Path, data_dir: Option<&Path>) -> Result<Workspace> {
        Workspace::builder().config_path(config).data_dir(data_dir).open()
    }

    /// Loads the config, regions, indicator metadata and tables but no facts: enough to
    /// compile and check every script.
    pub fn open_without_facts(config: &Path, data_dir: Option<&Path>) -> Result<Workspace> {
        Workspace::builder().config_path(config).data_dir(data_dir).without_facts().open()
    }

    /// A workspace from a config file or text, step by step:
    ///
    /// ```no_run
    /// let toml = std::fs::read_to_string("config/dayun/yearbook.toml").unwrap();
    /// let ws = yearbook::Workspace::builder().config_text(&toml, "config/dayun".as_ref()).open().unwrap();
    /// ```
    pub fn builder() -> WorkspaceBuilder {
        WorkspaceBuilder::default()
    }

    /// Compiles the config's scripts, indicators and rules over loaded data.
    pub fn from_parts(
        config: ConfigFile,
        panel: Arc<Panel>,
        tables: std::collections::BTreeMap<String, yearbook_core::table::Table>,
        stats: LoadStats,
    ) -> Result<Workspace> {
        let mut data = Data::new(panel, tables);
        if let Some(s) = &config.config.workspace.schedule {
            data.schedule = yearbook_core::schedule::Schedule::from_percents(s.get_ref())
                .map_err(|m| Error::config(config.at(s.span()), format!("workspace.{m}")))?;
        }
        let data = Arc::new(data);
        let program = Arc::new(compile(&config, &data)?);
        Ok(Workspace {
            config: Arc::new(config),
            program,
            data,
            stats,
            cancel: Arc::new(AtomicBool::new(false)),
            within: None,
            as_of: None,
        })
    }

    /// The token that stops every running evaluation of this workspace (set it from a
    /// Ctrl-C handler). Each `eval`, `run` and `report` starts with it cleared.
    pub fn cancel_token(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// Uses `token` as the cancel token (one a Ctrl-C handler sets).
    pub fn with_cancel_token(mut self, token: Arc<AtomicBool>) -> Workspace {
        self.cancel = token;
        self
    }

    /// The workspace as a report on the region `region` (row index) reads it: the same
    /// config, program, data and cancel token, with `rank` and `top` placing the regions
    /// under `region` among one another and `region` among its siblings, as the report's
    /// `ranking()` and indicator table do (a county's report said its town was 第5位 of
    /// the whole city's towns, in a county of two). A report on the one top of the tree
    /// reads it as it is.
    pub fn for_report_on(&self, region: u32) -> Workspace {
        let within = self.panel().regions().report_groups(region).map(|g| script::eval::Within { region, groups: Arc::from(g) });
        self.view(within, self.as_of)
    }

    /// The workspace as a report or run of the period `period` (its index) reads it: what
    /// is taken across periods (`sum(inv, "periods")`, `latest(x)`) stops at that period
    /// (a 2022 report's 十四五以来累计 summed 2023 in too). None: all the data.
    pub fn as_of(&self, period: Option<usize>) -> Workspace {
        self.view(self.within.clone(), period.map(|p| self.panel().periods().get(p)))
    }

    /// The same config, program, data and cancel token, read within `within` as of `as_of`.
    fn view(&self, within: Option<script::eval::Within>, as_of: Option<yearbook_core::period::Period>) -> Workspace {
        Workspace {
            config: self.config.clone(),
            program: self.program.clone(),
            data: self.data.clone(),
            stats: self.stats.clone(),
            cancel: self.cancel.clone(),
            within,
            as_of,
        }
    }

    /// The period this workspace reads as of ([`Workspace::as_of`]).
    pub(crate) fn period_of(&self) -> Option<yearbook_core::period::Period> {
        self.as_of
    }

    /// The report's regions this workspace reads within ([`Workspace::for_report_on`]).
    pub(crate) fn within(&self) -> Option<script::eval::Within> {
        self.within.clone()
    }

    /// Clears the cancel token: a new operation starts.
    pub(crate) fn start(&self) {
        self.cancel.store(false, Ordering::Relaxed);
    }

    /// Computes a derived indicator (and what it uses) within its time limit.
    pub fn compute_indicator(&self, id: &str) -> Result<yearbook_core::series::Series> {
        let def = self.program.indicators.get(id).ok_or_else(|| Error::usage(format!("unknown indicator `{id}`")))?;
        let timeout = def.timeout_ms.unwrap_or(self.program.limits.timeout_ms);
        let ev = self.new_eval(timeout, InputTracker::default());
        let res = {
            let _entered = ev.tally.enter();
            script::indicators::get(&ev, id, &self.program.engine)
        };
        res.map_err(|e| {
            let vars = self.variable_names(None);
            let err = diagnostic::eval_error(&e, &format!("indicators.{id}"), &def.text, &self.known(&vars));
            self.data.values.insert(id, Err(yearbook_core::error::Fault::new(err.kind(), err.to_string())));
            err
        })
    }

    fn new_eval(&self, timeout_ms: u64, inputs: InputTracker) -> Arc<Eval> {
        self.data.values.as_of(self.as_of);
        let tally = Tally::new(Instant::now().checked_add(Duration::from_millis(timeout_ms)), self.cancel.clone()).as_of(self.as_of);
        Arc::new(Eval::new(self.data.clone(), self.program.indicators.clone(), tally, inputs).within(self.within.clone()))
    }

    /// The loaded panel.
    pub fn panel(&self) -> &Panel {
        &self.data.panel
    }

    /// Names and sources for error messages.
    pub(crate) fn known<'a>(&'a self, variables: &'a [String]) -> Known<'a> {
        Known { sources: &self.program.sources, variables, functions: &self.program.functions, limits: &self.program.limits }
    }

    /// Names a script can use as variables: loaded indicators, namespaces, derived
    /// indicators, and the values `bindings` defined.
    pub fn variable_names(&self, bindings: Option<&Bindings>) -> Vec<String> {
        let mut v = self.data.loaded_names();
        v.extend(self.program.indicators.names());
        if let Some(b) = bindings {
            v.extend(b.names());
        }
        v
    }

    /// Compiles a script (statements and functions allowed) named `name`; errors quote
    /// `sources` too.
    fn compile_in(&self, text: &str, name: &str, b: &Bindings) -> Result<AST> {
        let engine = &self.program.engine;
        let mut ast = yearbook_script::switch_guard::compile_script(engine, text).map_err(|e| {
            let vars = self.variable_names(Some(b));
            diagnostic::parse_error(&e, name, text, &self.known(&vars))
        })?;
        ast.set_source(name);
        Ok(ast)
    }

    /// Runs every derived indicator and rule (on all cores) and collects findings;
    /// [`crate::run::run`] does the same and reports each finished step.
    pub fn run(&self, opts: &crate::run::RunOptions) -> Result<crate::finding::RunResult> {
        crate::run::run(self, opts, &mut |_| {})
    }

    /// Evaluates a script (an expression, or statements and functions) on its own.
    pub fn eval(&self, text: &str) -> Result<Evaluated> {
        self.eval_with(&mut Bindings::new(), text, "<expr>")
    }

    /// Evaluates the input `text` (named `name` in messages) after what `bindings`
    /// defined, and keeps what it defines (`let` values, `fn` functions) there.
    pub fn eval_with(&self, bindings: &mut Bindings, text: &str, name: &str) -> Result<Evaluated> {
        self.eval_in_session(bindings, text, name, false)
    }

    /// [`Workspace::eval_with`] of a part of a formula (explain's tree): a conversion the
    /// numbers written after it in the whole formula may hold is left open, not settled
    /// as a result (`(gdp * rate) * 2` of `gdp * rate * 2 / 100 / 2`).
    pub fn eval_part(&self, bindings: &mut Bindings, text: &str, name: &str) -> Result<Evaluated> {
        self.eval_in_session(bindings, text, name, true)
    }

    fn eval_in_session(&self, bindings: &mut Bindings, text: &str, name: &str, open: bool) -> Result<Evaluated> {
        self.start();
        let ast = self.compile_in(text, name, bindings)?;
        let full = bindings.functions.merge(&ast);
        let spec = EvalSpec {
            name,
            text,
            timeout_ms: self.program.limits.timeout_ms,
            rule: None,
            fill: MissingPolicy::SkipAny,
            levels: None,
            open,
        };
        let sources: Vec<(String, String)> = self.program.sources.iter().chain(&bindings.sources).cloned().collect();
        let res = self.evaluate_in(&mut bindings.scope, &full, &spec, &sources).0;
        let mut out = res?;
        out.defined = bindings.keep(&ast, name, text);
        Ok(out)
    }

    /// Evaluates `ast` as one evaluation with its own state; a rule's evaluation also
    /// returns what it read.
    pub(crate) fn evaluate(&self, scope: &mut Scope, ast: &AST, spec: &EvalSpec) -> (Result<Evaluated>, Option<Inputs>) {
        self.evaluate_in(scope, ast, spec, &self.program.sources)
    }

    /// `evaluate`, with errors inside functions quoting `sources`.
    fn evaluate_in(
        &self,
        scope: &mut Scope,
        ast: &AST,
        spec: &EvalSpec,
        sources: &[(String, String)],
    ) -> (Result<Evaluated>, Option<Inputs>) {
        let inputs = match spec.rule {
            Some(policy) => InputTracker::rule(policy, spec.levels),
            None => InputTracker::showing(spec.levels, spec.fill),
        };
        let ev = self.new_eval(spec.timeout_ms, inputs);
        let res = if spec.open {
            script::eval::run_open(&self.program.engine, &ev, scope, ast)
        } else {
            script::eval::run(&self.program.engine, &ev, scope, ast)
        };
        let (div_zero, notes, printed) = (ev.tally.div_zero(), ev.tally.notes(), ev.tally.printed());
        let inputs = ev.inputs.finish();
        let res = match res {
            Ok(value) => Ok(Evaluated { value: Value::from_dynamic(value), div_zero, notes, printed, defined: Vec::new() }),
            Err(e) => {
                let mut vars = self.variable_names(None);
                vars.extend(scope.iter_raw().map(|(n, _, _)| n.to_string()));
                // Messages quote the time limit that applied, which may be the rule's own.
                let limits = yearbook_io::config::Limits { timeout_ms: spec.timeout_ms, ..self.program.limits.clone() };
                let known = Known { limits: &limits, sources, ..self.known(&vars) };
                Err(diagnostic::eval_error(&e, spec.name, spec.text, &known))
            }
        };
        (res, inputs)
    }
}

/// Compiles a config over loaded data: the engine, the library scripts, the derived
/// indicators and the rules. Every bad indicator and rule is reported, not just the first.
fn compile(config: &ConfigFile, data: &Data) -> Result<Program> {
    let scripts_dir = config.dir().join("scripts");
    let engine = script::build_engine(&config.config.limits, scripts_dir.is_dir().then_some(scripts_dir.as_path()));
    // Raw variants (whole-number forms, script::numbers) have no parameter names: not listed.
    let mut functions: Vec<String> = engine.gen_fn_signatures(false).into_iter().filter(|f| !f.contains("(_")).collect();
    functions.sort();
    functions.dedup();
    let (library, sources) = load_library(config, &engine, data, &functions)?;
    for f in library.iter_functions() {
        let params = f.params.join(", ");
        functions.push(format!("{}({params})", f.name));
    }
    let c = yearbook_script::definitions::Compiler {
        library_reads: Default::default(),
        config,
        engine: &engine,
        library: &library,
        data,
        functions: &functions,
        sources: &sources,
    };
    let mut errors = Vec::new();
    let defs = yearbook_script::definitions::compile_indicators(&c).map_err(|e| errors.push(e)).unwrap_or_default();
    let rules = yearbook_script::definitions::compile_rules(&c).map_err(|e| errors.push(e)).unwrap_or_default();
    let sections = crate::report::sections(config);
    let report_rules = yearbook_script::report_rule::compile_report_rules(&c, &sections).map_err(|e| errors.push(e)).unwrap_or_default();
    if let Some(e) = Error::all(errors) {
        return Err(e);
    }
    let indicators = Arc::new(yearbook_script::derived::Indicators { library, defs });
    Ok(Program { engine, indicators, rules, report_rules, functions, sources, limits: config.config.limits.clone() })
}

/// Compiles the standard scripts and the config's `scripts` files into one library.
fn load_library(config: &ConfigFile, engine: &rhai::Engine, data: &Data, functions: &[String]) -> Result<(AST, Vec<(String, String)>)> {
    let mut files: Vec<(String, String)> =
        yearbook_script::stdlib::SCRIPTS.iter().map(|(n, t)| (format!("std/{n}"), t.to_string())).collect();
    for s in &config.config.scripts {
        let path = config.dir().join(s.get_ref());
        let text = config
            .read_script(&path)
            .map_err(|e| Error::config(config.at(s.span()), format!("cannot read script {}: {e}", path.display())))?;
        files.push((path.display().to_string(), text));
    }
    let mut library = AST::empty();
    for (name, text) in &files {
        let mut ast = yearbook_script::switch_guard::compile_script(engine, text).map_err(|e| {
            let vars = data.loaded_names();
            let known = Known { sources: &files, variables: &vars, functions, limits: &config.config.limits };
            diagnostic::parse_error(&e, name, text, &known)
        })?;
        ast.set_source(name.as_str());
        ast.clear_statements();
        library.combine(ast);
    }
    Ok((library, files))
}

#[cfg(test)]
mod tests {
    /// A workspace is shared by the threads of a run.
    #[test]
    fn a_workspace_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<super::Workspace>();
    }
}
