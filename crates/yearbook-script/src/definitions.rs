//! Compiling the config's `[indicators.*]` and `[rules.*]`: every script compiled, every
//! name resolved (with suggestions), cycles among indicators named — before any data
//! is evaluated. `yearbook check` is this step alone.

use crate::Data;
use crate::derived::Def;
use crate::diagnostic;
use crate::diagnostic::Known;
use crate::rule::{MissingPolicy, Rule, Severity};
use rhai::Engine;
use rhai::{AST, ASTNode, Expr};
use std::collections::{BTreeMap, HashSet};
use toml::Spanned;
use yearbook_core::error::{Error, ErrorKind, Result};
use yearbook_core::suggest::did_you_mean;
use yearbook_core::unit::Unit;
use yearbook_io::config::ConfigFile;

/// What compiling needs: the config, the engine, the script library and the loaded
/// names (no evaluation happens here).
pub struct Compiler<'a> {
    /// The config being compiled.
    pub config: &'a ConfigFile,
    /// The engine scripts compile with.
    pub engine: &'a Engine,
    /// Functions of the standard and config scripts.
    pub library: &'a AST,
    /// The loaded data (its names, regions and periods).
    pub data: &'a Data,
    /// Function signatures, for suggestions.
    pub functions: &'a [String],
    /// Library sources, for errors inside them.
    pub sources: &'a [(String, String)],
    /// What each library function reads, worked out once for the indicators and the
    /// rules alike (start with `Default::default()`).
    pub library_reads: LibraryReads,
}

/// What each library function reads, by name, computed on first use.
#[derive(Default)]
pub struct LibraryReads(std::sync::OnceLock<BTreeMap<String, Reads>>);

impl Compiler<'_> {
    fn library_reads(&self) -> &BTreeMap<String, Reads> {
        self.library_reads.0.get_or_init(|| library_reads(self.library))
    }
}

impl Compiler<'_> {
    fn known<'b>(&'b self, variables: &'b [String]) -> Known<'b> {
        Known { sources: self.sources, variables, functions: self.functions, limits: &self.config.config.limits }
    }
    fn panel(&self) -> &yearbook_core::panel::Panel {
        &self.data.panel
    }
}

/// Parameter names of the functions `ast` defines.
fn params_of(ast: &AST) -> HashSet<String> {
    ast.iter_functions().flat_map(|f| f.params.iter().map(|p| p.to_string()).collect::<Vec<_>>()).collect()
}

/// Compiles an indicator's or a rule's expression. Rhai's expression parser refuses
/// statements anywhere, a closure's body included, so `map(gdp, |x| { let y = x * 2; y })`
/// (which `eval` runs) would be refused: a text it refuses is compiled as a script and
/// taken when that script is one expression and defines no function but its closures.
/// Otherwise the expression parser's error stands.
/// Each `switch` in it compares as `==` does ([`crate::switch_guard`]).
pub fn compile_expression(engine: &Engine, text: &str) -> std::result::Result<AST, rhai::ParseError> {
    crate::switch_guard::compile(engine, text, |t| compile_expression_as_written(engine, t))
}

/// [`compile_expression`] of the text as written.
fn compile_expression_as_written(engine: &Engine, text: &str) -> std::result::Result<AST, rhai::ParseError> {
    let refused = match engine.compile_expression(text) {
        Ok(ast) => return Ok(ast),
        Err(e) => e,
    };
    match engine.compile(text) {
        Ok(ast)
            if ast.statements().len() == 1
                && matches!(ast.statements()[0], rhai::Stmt::Expr(_) | rhai::Stmt::FnCall(..))
                && ast.iter_functions().all(|f| f.name.starts_with("anon$")) =>
        {
            Ok(ast)
        }
        _ => Err(refused),
    }
}

/// Variables a script reads (not function parameters), with their positions.
pub fn free_variables(ast: &AST) -> Vec<(String, rhai::Position)> {
    let params = params_of(ast);
    let mut declared = HashSet::new();
    let mut out = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Expr(Expr::Variable(x, _, pos))) if x.2.is_empty() => out.push((x.1.to_string(), *pos)),
            // A closure's own `let`s are not free.
            Some(ASTNode::Stmt(rhai::Stmt::Var(v, ..))) => {
                declared.insert(v.0.name.to_string());
            }
            _ => {}
        }
        true
    });
    out.retain(|(n, _)| !params.contains(n) && !declared.contains(n));
    out
}

/// What a script reads: the names it uses that are not parameters or its own `let`s,
/// and the functions it calls (by name).
#[derive(Default)]
struct Reads {
    names: HashSet<String>,
    calls: HashSet<String>,
}

/// The reads of everything in `ast` (statements and function bodies).
fn reads_of(ast: &AST) -> Reads {
    let params = params_of(ast);
    let mut declared = HashSet::new();
    let mut r = Reads::default();
    ast.walk(&mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Expr(Expr::Variable(x, ..))) if x.2.is_empty() => {
                r.names.insert(x.1.to_string());
            }
            // A call at the top of a statement is stored as a statement.
            Some(ASTNode::Expr(Expr::FnCall(f, _) | Expr::MethodCall(f, _)) | ASTNode::Stmt(rhai::Stmt::FnCall(f, _))) => {
                r.calls.insert(f.name.to_string());
            }
            Some(ASTNode::Stmt(rhai::Stmt::Var(v, ..))) => {
                declared.insert(v.0.name.to_string());
            }
            _ => {}
        }
        true
    });
    r.names.retain(|n| !params.contains(n) && !declared.contains(n));
    r
}

/// What each function of the library reads, by name (all arities together).
fn library_reads(library: &AST) -> BTreeMap<String, Reads> {
    let mut map: BTreeMap<String, Reads> = BTreeMap::new();
    for f in library.iter_functions() {
        let (name, arity) = (f.name.to_string(), f.params.len());
        // (`clone_functions_only_filtered` keeps every function when it starts empty.)
        let mut one = library.clone_functions_only();
        one.retain_functions(|_, _, n, a| n == name && a == arity);
        let r = reads_of(&one);
        let e = map.entry(name).or_default();
        e.names.extend(r.names);
        e.calls.extend(r.calls);
    }
    map
}

/// Names an expression reads, directly or inside the library functions it calls (and
/// the functions those call): so that indicators read inside functions are computed
/// before the indicator that calls them, and cycles through functions are found here.
fn reads_through_functions(ast: &AST, library: &BTreeMap<String, Reads>) -> HashSet<String> {
    let direct = reads_of(ast);
    let mut names = direct.names;
    let mut seen: HashSet<String> = HashSet::new();
    let mut todo: Vec<String> = direct.calls.into_iter().collect();
    while let Some(f) = todo.pop() {
        if !seen.insert(f.clone()) {
            continue;
        }
        if let Some(r) = library.get(&f) {
            names.extend(r.names.iter().cloned());
            todo.extend(r.calls.iter().filter(|c| !seen.contains(*c)).cloned());
        }
    }
    names
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()) && s.chars().all(|c| c == '_' || c.is_alphanumeric())
}

/// Compiles one definition's script: an inline expression or a call to a library function.
pub(crate) fn compile_def(
    ws: &Compiler,
    cfg: &ConfigFile,
    span: std::ops::Range<usize>,
    name: &str,
    expr: Option<&str>,
    function: Option<&str>,
    known: &HashSet<String>,
) -> Result<(String, AST)> {
    let text = match (expr, function) {
        (Some(e), None) => e.to_string(),
        (None, Some(f)) => {
            let found: Vec<_> = ws.library.iter_functions().filter(|d| d.name == f).collect();
            if !found.iter().any(|d| d.params.is_empty()) {
                let names: Vec<&str> = ws.library.iter_functions().map(|d| d.name).collect();
                let hint = yearbook_core::suggest::did_you_mean(f, names);
                let why =
                    if found.is_empty() { "no such function in the scripts".to_string() } else { "it must take no arguments".to_string() };
                return Err(Error::config(cfg.at(span), format!("{name}: function `{f}`: {why}{hint}")));
            }
            format!("{f}()")
        }
        _ => return Err(Error::config(cfg.at(span), format!("{name}: give either an expression or a function (one of them)"))),
    };
    let mut ast = compile_expression(ws.engine, &text).map_err(|e| {
        let vars: Vec<String> = known.iter().cloned().collect();
        diagnostic::parse_error(&e, name, &text, &ws.known(&vars))
    })?;
    ast.set_source(name);
    for (var, pos) in free_variables(&ast) {
        if !known.contains(&var) {
            let vars: Vec<String> = known.iter().cloned().collect();
            let msg = format!("unknown name `{var}`{}", yearbook_core::suggest::did_you_mean(&var, vars.iter().map(String::as_str)));
            return Err(diagnostic::render(
                yearbook_core::error::ErrorKind::UnknownName,
                &msg,
                name,
                Some(&text),
                pos,
                var.chars().count(),
            ));
        }
    }
    Ok((text, ast))
}

/// Names scripts may read: indicator codes and labels, namespaces, derived indicators.
pub(crate) fn known_names(ws: &Compiler) -> HashSet<String> {
    let mut k: HashSet<String> = ws.data.loaded_names().into_iter().collect();
    k.extend(ws.panel().indicators.iter().map(|i| i.label.clone()));
    k.extend(ws.config.config.indicators.keys().cloned());
    k
}

/// Compiles the derived indicators (every problem reported, cycles named).
pub fn compile_indicators(ws: &Compiler) -> Result<Vec<Def>> {
    let cfg = ws.config;
    let known = known_names(ws);
    let library = ws.library_reads();
    let mut defs = Vec::new();
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut errors = Vec::new();
    for (id, d) in &cfg.config.indicators {
        match compile_indicator(ws, id, d, &known, library) {
            Ok(def) => {
                deps.insert(id.clone(), def.uses.clone());
                defs.push(def);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(cycle) = find_cycle(&deps) {
        let span = cfg.config.indicators.get(&cycle[0]).map(Spanned::span).unwrap_or(0..0);
        errors.push(
            Error::new(yearbook_core::error::ErrorKind::Cycle, format!("indicators form a cycle: {}", cycle.join(" -> "))).at(cfg.at(span)),
        );
    }
    if let Some(e) = Error::all(errors) {
        return Err(e);
    }
    Ok(defs)
}

/// Compiles one `[indicators.<id>]`.
fn compile_indicator(
    ws: &Compiler,
    id: &str,
    d: &Spanned<yearbook_io::config::IndicatorDef>,
    known: &HashSet<String>,
    library: &BTreeMap<String, Reads>,
) -> Result<Def> {
    let cfg = ws.config;
    let span = d.span();
    let def = d.get_ref();
    if !is_identifier(id) {
        return Err(Error::config(cfg.at(span), format!("indicator id `{id}` must be a name usable in scripts (letters, digits, _)")));
    }
    if yearbook_core::keywords::is_keyword(id) {
        return Err(Error::config(
            cfg.at(span),
            format!("indicator id `{id}` is a word the script language keeps for itself, so no formula could name it: choose another id"),
        ));
    }
    if ws.panel().indicator(id).is_some() {
        return Err(Error::config(cfg.at(span), format!("indicator `{id}` is already loaded from the data; choose another id")));
    }
    let (text, ast) = compile_def(ws, cfg, span.clone(), &format!("indicators.{id}"), def.expr.as_deref(), def.function.as_deref(), known)?;
    // Config order, so that levels and messages do not depend on hashing.
    let reads = reads_through_functions(&ast, library);
    let mut uses: Vec<String> = cfg.config.indicators.keys().filter(|n| reads.contains(*n)).cloned().collect();
    let rollup = match def.rollup.as_deref() {
        None => None,
        Some(text) => {
            let r = yearbook_core::indicator::Rollup::parse(text)
                .filter(|r| !text.trim().is_empty() || *r != yearbook_core::indicator::Rollup::None);
            match r {
                Some(yearbook_core::indicator::Rollup::WeightedMean(w)) if !known.contains(&w) => {
                    let hint = yearbook_core::suggest::did_you_mean(&w, known.iter().map(String::as_str));
                    return Err(Error::config(
                        cfg.at(span),
                        format!("indicators.{id}: rollup = \"{text}\": the weight `{w}` is not an indicator{hint}"),
                    ));
                }
                Some(yearbook_core::indicator::Rollup::Sum)
                    if def.unit.as_deref().and_then(|u| Unit::parse(u).not_additive()).is_some() =>
                {
                    let what = def.unit.as_deref().and_then(|u| Unit::parse(u).not_additive()).unwrap_or_default();
                    return Err(Error::config(
                        cfg.at(span),
                        format!(
                            "indicators.{id}: rollup = \"{text}\" on {what}: the regions' values do not add up to their total's; \
                             write rollup = {}, or leave rollup out and compute the total's from rolled-up parts \
                             (rollup(a, level) / rollup(b, level))",
                            def.unit.as_deref().map(Unit::parse).unwrap_or_else(Unit::one).mean_hint()
                        ),
                    ));
                }
                Some(r) => Some(r),
                None => {
                    return Err(Error::config(
                        cfg.at(span),
                        format!(
                            "indicators.{id}: rollup = \"{text}\" is not a roll-up rule; use \"sum\", \"mean\", \"weighted_mean(INDICATOR)\" or \"none\""
                        ),
                    ));
                }
            }
        }
    };
    // A derived weight is computed before the indicator it weighs.
    if let Some(yearbook_core::indicator::Rollup::WeightedMean(w)) = &rollup
        && cfg.config.indicators.contains_key(w)
        && !uses.contains(w)
    {
        uses.push(w.clone());
    }
    Ok(Def {
        rollup,
        id: id.to_string(),
        label: def.label.clone().unwrap_or_else(|| id.to_string()),
        unit: def.unit.as_deref().map(Unit::parse),
        text,
        ast,
        timeout_ms: def.timeout_ms,
        uses,
    })
}

/// The first cycle in a dependency graph, as a path that ends where it starts.
pub fn find_cycle(deps: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(n: &str, deps: &BTreeMap<String, Vec<String>>, stack: &mut Vec<String>, done: &mut HashSet<String>) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for d in deps.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, deps, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = HashSet::new();
    deps.keys().find_map(|k| visit(k, deps, &mut Vec::new(), &mut done))
}

/// Compiles the rules.
pub fn compile_rules(ws: &Compiler) -> Result<Vec<Rule>> {
    let known = known_names(ws);
    let library = ws.library_reads();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (id, r) in &ws.config.config.rules {
        match compile_rule(ws, "rules", id, r, &known) {
            Ok(mut rule) => {
                let mut reads = reads_through_functions(&rule.ast, library);
                for (_, _, ast) in &rule.values {
                    reads.extend(reads_through_functions(ast, library));
                }
                // Config order, so that nothing depends on hashing.
                rule.reads = ws.config.config.indicators.keys().filter(|n| reads.contains(*n)).cloned().collect();
                rules.push(rule);
            }
            Err(e) => errors.push(e),
        }
    }
    match Error::all(errors) {
        Some(e) => Err(e),
        None => Ok(rules),
    }
}

/// The values a built-in check gives its message (`balance`: total, parts; `on_pace`:
/// actual, target, completion, expected, pacing; ...).
const CHECK_VALUES: [&str; 14] = [
    "value",
    "total",
    "parts",
    "part",
    "children",
    "computed",
    "reported",
    "prior_total",
    "prior_parts",
    "actual",
    "target",
    "completion",
    "expected",
    "pacing",
];

/// The names `message` reads that no value of the rule gives and that name an indicator
/// (a namespaced one too): to be read as values. A name that is neither a value, nor one
/// a check gives its message (built-in, or `with_value("name", ...)` in the check or the
/// scripts), nor an indicator is an error naming it, with a suggestion.
fn message_names(
    ws: &Compiler,
    def: &yearbook_io::config::RuleDef,
    message: &str,
    known: &HashSet<String>,
    name: &str,
    check: &rhai::AST,
) -> std::result::Result<Vec<String>, String> {
    let pieces = crate::placeholder::parse(message);
    // A comparison (`inv >= 1500`) is a check that gives its message no value of its own:
    // `{value}` there printed `{?value}` in every finding (fixes16 08, words16 03).
    let compares = matches!(
        crate::derived::outer_call_of(check),
        Some(("<" | "<=" | ">" | ">=" | "==" | "!=" | "&" | "|" | "&&" | "||", 2, _) | ("!", 1, _))
    );
    let check_values: &[&str] = if compares { &[] } else { &CHECK_VALUES };
    // Names a check adds itself (`.with_value("total", y)`): any, where one is not a
    // literal.
    let texts = [def.check.as_deref(), def.function.as_deref()];
    let scripts = ws.sources.iter().map(|(_, t)| Some(t.as_str()));
    let mut added: Vec<String> = Vec::new();
    for t in texts.into_iter().chain(scripts).flatten() {
        for (i, _) in t.match_indices("with_value(") {
            let rest = t[i + "with_value(".len()..].trim_start();
            let quoted = rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(n, _)| n.to_string());
            match quoted {
                Some(n) => added.push(n),
                None => return Ok(Vec::new()),
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for n in crate::placeholder::names(&pieces) {
        if def.values.contains_key(n)
            || check_values.contains(&n)
            || added.iter().any(|a| a == n)
            || matches!(n, "region" | "code" | "period" | "rule" | "severity" | "imbalance")
            || out.iter().any(|o| o == n)
        {
            continue;
        }
        let namespaced = n.split_once('.').is_some_and(|(ns, _)| known.contains(ns));
        if known.contains(n) || namespaced {
            out.push(n.to_string());
            continue;
        }
        let candidates: Vec<&str> =
            def.values.keys().map(String::as_str).chain(known.iter().map(String::as_str)).chain(check_values.iter().copied()).collect();
        let of_check = if compares && CHECK_VALUES.contains(&n) { " (a comparison gives its message no value of its own)" } else { "" };
        return Err(format!(
            "{name}.message: placeholder `{n}` names no value (`values`), no value of the check{of_check} and no indicator{}; \
             name a value of the rule (values = {{ {n} = \"...\" }}) or an indicator by its code",
            did_you_mean(n, candidates)
        ));
    }
    Ok(out)
}

/// Compiles one `[<prefix>.<id>]` (`rules`, or a report rule's `report.rules`).
pub(crate) fn compile_rule(
    ws: &Compiler,
    prefix: &str,
    id: &str,
    r: &Spanned<yearbook_io::config::RuleDef>,
    known: &HashSet<String>,
) -> Result<Rule> {
    let cfg = ws.config;
    let span = r.span();
    let def = r.get_ref();
    let at = || cfg.at(span.clone());
    let name = format!("{prefix}.{id}");
    let severity = match &def.severity {
        // A rule that only reports values to look at (`check = "note(x)"`) is info, as
        // docs/rules.md lists note: it never fails a run at --fail-on error or warning.
        None if def.check.as_deref().is_some_and(is_note_call) => Severity::Info,
        None => Severity::Error,
        Some(s) => Severity::parse(s)
            .ok_or_else(|| Error::config(at(), format!("{name}: unknown severity \"{s}\": use error, warning or info")))?,
    };
    let missing = match &def.missing {
        None => MissingPolicy::SkipAny,
        Some(m) => MissingPolicy::parse(m)
            .ok_or_else(|| Error::config(at(), format!("{name}: unknown missing policy \"{m}\": use skip_any, skip_all or zero")))?,
    };
    let (text, ast) = compile_def(ws, cfg, span.clone(), &name, def.check.as_deref(), def.function.as_deref(), known)?;
    // A placeholder of the message that does not parse (`{q:pct}`, an unknown phrasing)
    // would print as `{?q:pct}` in every finding: refused here, as a report rule's is.
    if let Some(message) = &def.message {
        for p in crate::placeholder::parse(message) {
            if let crate::placeholder::Piece::Bad { key, why } = p {
                return Err(Error::config(at(), format!("{name}.message: placeholder `{{{key}}}`: {why}")));
            }
        }
    }
    let mut values = Vec::new();
    for (vname, vexpr) in &def.values {
        let (t, a) = compile_def(ws, cfg, span.clone(), &format!("{name}.values.{vname}"), Some(vexpr), None, known)?;
        values.push((vname.clone(), t, a));
    }
    // A message naming an indicator by its code (`{gdp:amount}`) reads it as a report
    // rule's sentence does; a name that is nothing would print `{?gdp}` in every finding.
    if let Some(message) = &def.message {
        for n in message_names(ws, def, message, known, &name, &ast).map_err(|m| Error::new(ErrorKind::UnknownName, m).at(at()))? {
            let (t, a) = compile_def(ws, cfg, span.clone(), &format!("{name}.values.{n}"), Some(&n), None, known)?;
            values.push((n, t, a));
        }
    }
    // An empty list scopes the rule to nothing: it would pass every run without a word.
    for (key, empty, whole) in [
        ("levels", def.levels.as_ref().is_some_and(Vec::is_empty), "every level"),
        ("periods", def.periods.as_ref().is_some_and(Vec::is_empty), "every period"),
    ] {
        if empty {
            let example = if key == "levels" { "levels = [\"town\"]" } else { "periods = [\"latest\"]" };
            return Err(Error::config(
                at(),
                format!(
                    "{name}: {key} = [] lists no {key}, so the rule would check nothing; list some ({example}), or leave {key} out for {whole}"
                ),
            ));
        }
    }
    let regions = ws.panel().regions();
    let levels = match &def.levels {
        None => None,
        Some(ls) => Some(
            ls.iter()
                .map(|l| regions.find_level(l).map_err(|e| Error::config(at(), format!("{name}: {e}"))))
                .collect::<Result<Vec<u8>>>()?,
        ),
    };
    let periods = match &def.periods {
        None => None,
        // Without facts (`yearbook check`) there is no period axis: only the spelling
        // of each period can be checked.
        Some(ps) if ws.panel().periods().len == 0 => {
            // Without a declared frequency the facts decide it, and `check` reads none:
            // each period must be a period, and all of one kind (it said "the panel is by
            // year" of a config that never said so, refusing what `run` accepts).
            if ws.config.config.workspace.frequency.is_some() {
                for p in ps.iter().filter(|p| *p != "latest") {
                    period_of(ws.panel().periods().freq, p).map_err(|e| Error::config(at(), format!("{name}: {e}")))?;
                }
            } else {
                let mut first: Option<yearbook_core::period::Period> = None;
                for p in ps.iter().filter(|p| *p != "latest") {
                    let per = yearbook_core::period::Period::parse(p).map_err(|e| Error::config(at(), format!("{name}: {e}")))?;
                    match first {
                        Some(f) if f.freq != per.freq => {
                            return Err(Error::config(
                                at(),
                                format!(
                                    "{name}: periods lists {f}, a {}, and {per}, a {}: a panel has one frequency; list periods of \
                                     one kind",
                                    f.freq.name(),
                                    per.freq.name()
                                ),
                            ));
                        }
                        None => first = Some(per),
                        _ => {}
                    }
                }
            }
            None
        }
        Some(ps) => Some(
            ps.iter()
                .map(|p| period_index_in(ws.panel(), p).map_err(|e| Error::config(at(), format!("{name}: {e}"))))
                .collect::<Result<Vec<usize>>>()?,
        ),
    };
    Ok(Rule {
        id: id.to_string(),
        script: name.clone(),
        severity,
        description: def.description.clone().unwrap_or_default(),
        text,
        ast,
        message: def.message.clone(),
        values,
        levels,
        periods,
        missing,
        timeout_ms: def.timeout_ms,
        hard: def.hard.unwrap_or(severity == Severity::Error),
        at: at(),
        reads: Vec::new(),
    })
}

/// Whether a check is one call of `note` (`note(x)`, `note(top(x, 10))`): its opening
/// bracket closes at the end of the text.
fn is_note_call(check: &str) -> bool {
    let t = check.trim();
    let Some(rest) = t.strip_prefix("note") else { return false };
    let rest = rest.trim_start();
    if !rest.starts_with('(') {
        return false;
    }
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        if std::mem::take(&mut escaped) {
            continue;
        }
        match (quote, c) {
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return rest[i + 1..].trim().is_empty();
                }
            }
            _ => {}
        }
    }
    false
}

/// Index of a period on the panel's axis, with a clear message when it is not there;
/// "latest" is the latest period with reported facts (not the axis's end, which yearly
/// targets spread over months may reach: a 1-6月 workspace's latest is June).
pub fn period_index_in(panel: &yearbook_core::panel::Panel, p: &str) -> std::result::Result<usize, String> {
    if p == "latest" {
        return panel.latest().ok_or_else(|| "period latest: the data has no periods".to_string());
    }
    period_index(panel.periods(), p)
}

/// The period `p` spells, where it is of the panel's frequency `freq`: a quarter on a
/// panel of years (`periods = ["2008Q1"]`) is an error `check` finds without the data.
pub fn period_of(freq: yearbook_core::period::Frequency, p: &str) -> std::result::Result<yearbook_core::period::Period, String> {
    let per = yearbook_core::period::Period::parse(p)?;
    if per.freq != freq {
        return Err(format!(
            "period {per} is a {}, and the panel is by {} (workspace.frequency = \"{}\"): give a period of the panel's \
             frequency, or set workspace.frequency",
            per.freq.name(),
            freq.name(),
            freq.name()
        ));
    }
    Ok(per)
}

/// The index of period `p` on `axis`; "latest" is the axis's last period (see
/// [`period_index_in`] for the latest period with reported facts).
pub fn period_index(axis: yearbook_core::period::PeriodAxis, p: &str) -> std::result::Result<usize, String> {
    if p == "latest" {
        return axis.len.checked_sub(1).ok_or_else(|| "period latest: the data has no periods".to_string());
    }
    let per = period_of(axis.freq, p)?;
    axis.index(per).ok_or_else(|| {
        if axis.len == 0 {
            format!("period {per}: the data has no periods")
        } else {
            format!("period {per} is not in the data ({}..{})", axis.get(0), axis.get(axis.len - 1))
        }
    })
}
