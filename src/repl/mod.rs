//! The interactive session behind `yearbook repl`: evaluates inputs with `let` and `fn`
//! kept across inputs, and answers colon (or dot) commands. Terminal handling lives in
//! the binary and `helper`; everything here is plain text in, text out, so it is tested
//! without a terminal.

pub mod helper;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use yearbook::Bindings;
use yearbook::error::{Error, Result};
use yearbook::names::Names;
use yearbook::output::{Format, PrintOptions, render};
use yearbook::table::{Column, ColumnData, Table};
use yearbook::workspace::Workspace;

/// Colon commands, for `:help` and completion.
pub const COMMANDS: &[(&str, &str)] = &[
    (":help", "[name]  this list, or a function's signatures and doc; `ans` is the last result"),
    (":indicators", "[all]  the config's indicators, then loaded ones (all: with namespaces)"),
    (":regions", "[level]  the region tree"),
    (":tables", "record tables and their columns"),
    (":rules", "the config's rules and report rules"),
    (":run", "[rule]  evaluate rules; findings as a table"),
    (":explain", "EXPR  the formula tree with input values at the current region and period"),
    (":at", "REGION [PERIOD]  region and period for :explain"),
    (":load", "FILE.rhai  run a script file (its let and fn stay)"),
    (":reload", "reload config, data and scripts"),
    (":mode", "table|csv|json|md  output format"),
    (":maxrows", "N  rows shown before a result is cut"),
    (":maxwidth", "N|auto  widest table printed; wider cells are cut with …"),
    (":digits", "N|auto  decimals shown for numbers"),
    (":output", "FILE|off  append every result to FILE instead of the screen"),
    (":once", "FILE  write the next result to FILE"),
    (":time", "on|off  show evaluation time"),
    (":save", "FILE.rhai  write this session's definitions (let, fn)"),
    (":quit", "leave (also Ctrl-D)"),
];

pub enum Reply {
    /// Print this (may be empty).
    Text(String),
    /// The input failed: print to stderr.
    Failed(String),
    Quit,
}

pub struct Session {
    pub ws: Workspace,
    /// The workspace's names (functions, indicators, regions, ...), built once per
    /// (re)load: completion asks for them after every input.
    names: Names,
    config: PathBuf,
    data: Option<PathBuf>,
    /// Values and functions defined in this session.
    pub bindings: Bindings,
    /// Inputs that defined something, for `:save`.
    /// Each defining input with the names it defines (`let x`, `fn f/1`), in order.
    definitions: Vec<(Vec<String>, String)>,
    pub opts: PrintOptions,
    timing: bool,
    region: String,
    period: String,
    /// `:output FILE` (every result) or `:once FILE` (the next one): (file, once).
    output: Option<(PathBuf, bool)>,
}

impl Session {
    pub fn open(config: &Path, data: Option<&Path>) -> Result<Session> {
        let ws = Workspace::open(config, data)?;
        let (region, period) = defaults(&ws);
        Ok(Session {
            names: Names::of(&ws),
            ws,
            config: config.to_path_buf(),
            data: data.map(Path::to_path_buf),
            bindings: Bindings::new(),
            definitions: Vec::new(),
            opts: PrintOptions { max_rows: 40, ..Default::default() },
            timing: false,
            region,
            period,
            output: None,
        })
    }

    /// Names for completion: the workspace's names (functions, indicators, regions,
    /// levels, tables and columns), labels that are not script names as
    /// `indicator("…")`, this session's definitions, commands and keywords.
    pub fn completions(&self) -> Vec<String> {
        let mut v: Vec<String> = self.names.all.iter().map(|n| n.name.clone()).collect();
        v.extend(self.bindings.functions().into_iter().map(|f| f.name));
        v.extend(self.ws.variable_names(None));
        // A label that is not a script name (粮经比例(粮), 花卉、大棚) completes as
        // indicator("…"); a label two indicators share, not at all.
        let inds = &self.ws.panel().indicators;
        for i in inds.iter().filter(|i| !i.code.contains('.') && !i.label.is_empty()) {
            let shared = inds.iter().filter(|j| !j.code.contains('.') && j.label == i.label).count() > 1;
            let plain = !i.label.starts_with(|c: char| c.is_ascii_digit()) && i.label.chars().all(|c| c == '_' || c.is_alphanumeric());
            if !shared && !plain {
                v.push(format!("indicator(\"{}\")", i.label));
            }
        }
        v.extend(self.bindings.names());
        v.extend(COMMANDS.iter().map(|(c, _)| c.to_string()));
        v.extend(["let", "fn", "if", "else", "for", "in", "while", "loop", "return", "true", "false"].map(String::from));
        v.sort();
        v.dedup();
        v.retain(|s| !s.is_empty() && !s.contains('$'));
        v
    }

    /// Words for string arguments (levels, tables, regions, columns, periods, units).
    pub fn context_words(&self) -> yearbook::complete::ContextWords {
        self.names.context.clone()
    }

    /// Names highlighted as indicators: codes, labels, derived ids.
    pub fn indicator_names(&self) -> std::collections::HashSet<String> {
        let mut s: std::collections::HashSet<String> = self.ws.variable_names(None).into_iter().collect();
        s.extend(self.ws.panel().indicators.iter().map(|i| i.label.clone()));
        s
    }

    /// Handles one complete input: a command or a script.
    pub fn handle(&mut self, input: &str) -> Reply {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Reply::Text(String::new());
        }
        if let Some(cmd) =
            trimmed.strip_prefix(':').or_else(|| trimmed.strip_prefix('.').filter(|c| c.starts_with(|ch: char| ch.is_ascii_alphabetic())))
        {
            return match self.command(cmd) {
                Ok(r) => r,
                Err(e) => Reply::Failed(e.to_string()),
            };
        }
        match self.eval(input, "<repl>") {
            Ok(text) => self.deliver(text),
            Err(e) => Reply::Failed(e.to_string()),
        }
    }

    /// A result goes to the screen, or to the file of `:output` / `:once`.
    fn deliver(&mut self, text: String) -> Reply {
        let Some((file, once)) = self.output.clone() else { return Reply::Text(text) };
        if once {
            self.output = None;
        }
        let res = std::fs::OpenOptions::new()
            .create(true)
            .append(!once)
            .write(true)
            .truncate(once)
            .open(&file)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        match res {
            Ok(()) => Reply::Text(String::new()),
            Err(e) => Reply::Failed(format!("{}: {e}", file.display())),
        }
    }

    fn eval(&mut self, input: &str, name: &str) -> Result<String> {
        let t0 = Instant::now();
        let r = self.ws.eval_with(&mut self.bindings, input, name)?;
        if !r.defined.is_empty() {
            // A definition replaced by a later one is not saved twice.
            self.definitions.retain(|(old, _)| !old.iter().all(|n| r.defined.contains(n)));
            self.definitions.push((r.defined.clone(), input.trim().to_string()));
        }
        let mut out: String = r.printed.iter().map(|l| format!("{l}\n")).collect();
        out.push_str(&r.value.render(&self.opts, Some(self.ws.panel())));
        // `ans` holds the last result (`_` is reserved in Rhai), as in Octave and R's .Last.value.
        if !r.value.is_empty() {
            self.bindings.set("ans", r.value.clone());
        }
        for n in &r.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        if r.div_zero > 0 {
            out.push_str(&format!("note: {} division(s) by zero gave missing values\n", r.div_zero));
        }
        if self.timing {
            out.push_str(&format!("time: {:.3} ms\n", t0.elapsed().as_secs_f64() * 1e3));
        }
        Ok(out)
    }

    /// Evaluates a script file as the inputs it is made of: complete pieces separated by
    /// blank lines, each its own definition (so a later redefinition replaces just that
    /// piece in `:save`, and a file `:save` wrote loads back as the same inputs). Each
    /// piece keeps its line numbers in messages.
    fn load(&mut self, text: &str, name: &str) -> Result<String> {
        let engine = rhai::Engine::new_raw();
        let mut out = String::new();
        let (mut piece, mut first) = (String::new(), 0);
        for (i, line) in text.lines().chain(std::iter::once("")).enumerate() {
            if line.trim().is_empty() && !piece.trim().is_empty() && is_complete(&engine, &piece) {
                // Blank lines in front keep the file's line numbers.
                let padded = format!("{}{piece}", "\n".repeat(first));
                out.push_str(&self.eval(&padded, name)?);
                piece.clear();
            } else if !line.trim().is_empty() || !piece.is_empty() {
                if piece.is_empty() {
                    first = i;
                }
                piece.push_str(line);
                piece.push('\n');
            }
        }
        if !piece.trim().is_empty() {
            out.push_str(&self.eval(&format!("{}{piece}", "\n".repeat(first)), name)?);
        }
        Ok(out)
    }

    fn command(&mut self, cmd: &str) -> Result<Reply> {
        let (name, arg) = cmd.split_once(char::is_whitespace).map(|(a, b)| (a, b.trim())).unwrap_or((cmd, ""));
        let text = match name {
            "help" | "h" | "?" => self.help(arg),
            "indicators" => self.indicators(arg == "all"),
            "digits" => {
                self.opts.digits = match arg {
                    "auto" | "" => None,
                    n => Some(n.parse::<usize>().ok().filter(|d| *d <= 15).ok_or_else(|| Error::usage(":digits N (0-15) or auto"))?),
                };
                String::new()
            }
            "maxwidth" => {
                self.opts.max_width = match arg {
                    "auto" | "" => yearbook::output::terminal_width(),
                    n => {
                        Some(n.parse::<usize>().ok().filter(|w| *w >= 20).ok_or_else(|| Error::usage(":maxwidth N (20 or more) or auto"))?)
                    }
                };
                String::new()
            }
            "output" | "once" => {
                if arg.is_empty() || (name == "output" && arg == "off") {
                    self.output = None;
                    return Ok(Reply::Text(String::new()));
                }
                self.output = Some((PathBuf::from(arg), name == "once"));
                format!("{} result{} go to {arg}\n", if name == "once" { "the next" } else { "all" }, if name == "once" { "" } else { "s" })
            }
            "regions" => self.regions(arg)?,
            "tables" => self.tables(),
            "rules" => self.rules(),
            "run" => self.run(arg)?,
            "explain" => {
                let node = yearbook::explain::explain(&self.ws, &mut self.bindings, arg, &self.region, &self.period)?;
                let r = self.ws.panel().regions().find(&self.region).map_err(Error::usage)?;
                yearbook::explain::render(&node, self.ws.panel().regions().label(r), &self.period)
            }
            "at" => {
                let mut parts = arg.split_whitespace();
                let region = parts.next().ok_or_else(|| Error::usage(":at REGION [PERIOD]"))?;
                self.ws.panel().regions().find(region).map_err(Error::usage)?;
                self.region = region.to_string();
                if let Some(p) = parts.next() {
                    yearbook::definitions::period_index_in(self.ws.panel(), p).map_err(Error::usage)?;
                    self.period = p.to_string();
                }
                format!("explaining at {} {}\n", self.region, self.period)
            }
            "load" => {
                let text = std::fs::read_to_string(arg).map_err(|e| Error::io(arg, e))?;
                self.load(&text, arg)?
            }
            "reload" => {
                let ws = Workspace::open(&self.config, self.data.as_deref())?.with_cancel_token(self.ws.cancel_token());
                self.names = Names::of(&ws);
                self.ws = ws;
                format!("reloaded {} ({} facts)\n", self.config.display(), self.ws.panel().n_facts)
            }
            "mode" => {
                self.opts.format =
                    Format::parse(arg).ok_or_else(|| Error::usage(format!("unknown mode `{arg}`: use table, csv, json or md")))?;
                String::new()
            }
            "maxrows" => {
                self.opts.max_rows = arg.parse().map_err(|_| Error::usage(format!("`{arg}` is not a number of rows")))?;
                String::new()
            }
            "time" => {
                self.timing = match arg {
                    "on" => true,
                    "off" => false,
                    _ => return Err(Error::usage(":time on|off")),
                };
                String::new()
            }
            "save" => {
                if arg.is_empty() {
                    return Err(Error::usage(":save FILE.rhai"));
                }
                // Each input ends its statement, so the file loads as one script.
                let body: Vec<String> = self
                    .definitions
                    .iter()
                    .map(|(_, t)| if t.ends_with(';') || t.ends_with('}') { t.clone() } else { format!("{t};") })
                    .collect();
                let body = body.join("\n\n") + "\n";
                yearbook::write::atomic_write(Path::new(arg), body.as_bytes())?;
                format!("saved {} definition(s) to {arg}\n", self.definitions.len())
            }
            "quit" | "q" | "exit" => return Ok(Reply::Quit),
            other => {
                let names: Vec<&str> = COMMANDS.iter().map(|(c, _)| &c[1..]).collect();
                return Err(Error::usage(format!(
                    "unknown command `:{other}`{}; :help lists them",
                    yearbook::suggest::did_you_mean(other, names)
                )));
            }
        };
        Ok(Reply::Text(text))
    }

    fn help(&self, name: &str) -> String {
        if name.is_empty() {
            let mut s = String::from(
                "Type a Rhai expression over indicators, e.g. pct(yoy(gdp)); `let` and `fn` stay defined.\nCommands (a leading dot works too):\n",
            );
            for (c, d) in COMMANDS {
                s.push_str(&format!("  {c:<12} {d}\n"));
            }
            return s;
        }
        let name = name.trim();
        let help = yearbook::script::docs::function_help(&self.ws.program.engine);
        if let Some(list) = help.get(name) {
            return list.iter().map(|(sig, doc)| format!("{sig}\n    {doc}\n")).collect();
        }
        // Functions of the standard scripts, the config's scripts and this session.
        let mut functions = yearbook::bindings::fn_docs(self.ws.program.library());
        functions.extend(self.bindings.functions());
        let scripted: Vec<String> = functions
            .into_iter()
            .filter(|f| f.name == name)
            .map(|f| {
                let doc = if f.doc.is_empty() { "(no doc comment)".to_string() } else { f.doc };
                format!("{}({})\n    {doc}\n", f.name, f.params.join(", "))
            })
            .collect();
        if !scripted.is_empty() {
            return scripted.concat();
        }
        // Loaded indicators by code or label, derived ones by id or label.
        let p = self.ws.panel();
        let loaded: Vec<String> = p
            .indicators
            .iter()
            .filter(|i| i.code == name || i.label == name)
            .map(|i| format!("{} {}: {} ({}, rollup {}) {}\n", i.code, i.label, i.unit.show(), i.kind.name(), i.rollup.describe(), i.note))
            .collect();
        if !loaded.is_empty() {
            return loaded.concat();
        }
        if let Some(d) = self.ws.program.indicators.defs.iter().find(|d| d.id == name || d.label == name) {
            let unit = d.unit.as_ref().map(|u| u.show()).unwrap_or_else(|| "unit from its expression".into());
            let rollup = d.rollup.as_ref().map(|r| format!(", rollup {}", r.describe())).unwrap_or_default();
            return format!("{} {}: {unit}{rollup}, derived = {}\n", d.id, d.label, d.text);
        }
        let cmd = format!(":{}", name.trim_start_matches([':', '.']));
        if let Some((c, d)) = COMMANDS.iter().find(|(c, _)| *c == cmd) {
            return format!("{c} {d}\n");
        }
        let mut known: Vec<String> = help.keys().cloned().collect();
        known.extend(self.ws.program.library().iter_functions().map(|f| f.name.to_string()));
        known.extend(self.ws.variable_names(None));
        known.extend(p.indicators.iter().map(|i| i.label.clone()));
        known.extend(COMMANDS.iter().map(|(c, _)| c.to_string()));
        format!("no function, indicator or command `{name}`{}\n", yearbook::suggest::did_you_mean(name, known.iter().map(String::as_str)))
    }

    fn grid(&self, name: &str, cols: Vec<(&str, Vec<String>)>) -> String {
        let len = cols.first().map(|c| c.1.len()).unwrap_or(0);
        let columns = cols.into_iter().map(|(n, v)| Column { name: n.to_string(), data: ColumnData::Text(v), unit: None }).collect();
        let t = Table { name: Arc::from(name), columns: Arc::new(columns), len };
        render(&rhai::Dynamic::from(t), &self.opts, None)
    }

    /// The config's own indicators first, then loaded ones; namespaced copies only with
    /// `all` (and only those with facts).
    fn indicators(&self, all: bool) -> String {
        let p = self.ws.panel();
        let mut rows: Vec<[String; 5]> = Vec::new();
        for d in &self.ws.program.indicators.defs {
            rows.push([
                d.id.clone(),
                d.label.clone(),
                d.unit.as_ref().map(|u| u.symbol.to_string()).unwrap_or_default(),
                "derived".into(),
                d.text.clone(),
            ]);
        }
        rows.extend(
            p.indicators
                .iter()
                .enumerate()
                .filter(|(k, i)| !i.code.contains('.') || (all && p.data[*k].iter().any(|v| !v.is_nan())))
                .map(|(_, i)| [i.code.clone(), i.label.clone(), i.unit.symbol.to_string(), i.kind.name().to_string(), i.rollup.describe()]),
        );
        let col = |i: usize| rows.iter().map(|r| r[i].clone()).collect();
        self.grid(
            "indicators",
            vec![("code", col(0)), ("label", col(1)), ("unit", col(2)), ("kind", col(3)), ("rollup / definition", col(4))],
        )
    }

    fn regions(&self, level: &str) -> Result<String> {
        let r = self.ws.panel().regions();
        let want = if level.is_empty() { None } else { Some(r.find_level(level).map_err(Error::usage)?) };
        let ids: Vec<usize> = (0..r.len()).filter(|&i| want.is_none_or(|l| r.level[i] == l)).collect();
        let parent = |i: usize| if r.parent[i] == yearbook::region::NONE { String::new() } else { r.codes[r.parent[i] as usize].clone() };
        Ok(self.grid(
            "regions",
            vec![
                ("code", ids.iter().map(|&i| r.codes[i].clone()).collect()),
                ("name", ids.iter().map(|&i| r.names[i].clone()).collect()),
                ("level", ids.iter().map(|&i| r.levels[r.level[i] as usize].clone()).collect()),
                ("parent", ids.iter().map(|&i| parent(i)).collect()),
            ],
        ))
    }

    fn tables(&self) -> String {
        let t = &self.ws.data.tables;
        self.grid(
            "tables",
            vec![
                ("table", t.keys().cloned().collect()),
                ("rows", t.values().map(|x| x.len.to_string()).collect()),
                ("columns", t.values().map(|x| x.column_names().join(", ")).collect()),
            ],
        )
    }

    /// The rules, then the report rules (when the config has any).
    fn rules(&self) -> String {
        let r = &self.ws.program.rules;
        let mut out = self.grid(
            "rules",
            vec![
                ("rule", r.iter().map(|x| x.id.clone()).collect()),
                ("severity", r.iter().map(|x| x.severity.name().to_string()).collect()),
                ("check", r.iter().map(|x| x.text.clone()).collect()),
            ],
        );
        let rr = &self.ws.program.report_rules;
        if !rr.is_empty() {
            out.push_str(&self.grid(
                "report rules",
                vec![
                    ("rule", rr.iter().map(|x| x.rule.id.clone()).collect()),
                    ("section", rr.iter().map(|x| x.section.clone()).collect()),
                    ("when", rr.iter().map(|x| x.rule.text.clone()).collect()),
                    ("say", rr.iter().map(|x| x.say.clone()).collect()),
                    ("max", rr.iter().map(|x| x.max.map(|m| m.to_string()).unwrap_or_default()).collect()),
                ],
            ));
        }
        out
    }

    fn run(&self, rule: &str) -> Result<String> {
        let result = self.ws.run(&Default::default())?;
        let keep = |id: &str| rule.is_empty() || id == rule;
        if !rule.is_empty() && !self.ws.program.rules.iter().any(|r| r.id == rule) {
            let hint = yearbook::suggest::did_you_mean(rule, self.ws.program.rules.iter().map(|r| r.id.as_str()));
            return Err(Error::usage(format!("unknown rule `{rule}`{hint}")));
        }
        let sums: Vec<_> = result.rules.iter().filter(|r| keep(&r.rule)).collect();
        let mut out = self.grid(
            "summary",
            vec![
                ("rule", sums.iter().map(|s| s.rule.clone()).collect()),
                ("items", sums.iter().map(|s| s.items.to_string()).collect()),
                ("passes", sums.iter().map(|s| s.passes.to_string()).collect()),
                ("fails", sums.iter().map(|s| s.fails.to_string()).collect()),
                ("notes", sums.iter().map(|s| s.notes.to_string()).collect()),
                ("not evaluable", sums.iter().map(|s| s.not_evaluable.to_string()).collect()),
                ("error", sums.iter().map(|s| s.error.as_deref().and_then(|e| e.lines().next()).unwrap_or("").to_string()).collect()),
            ],
        );
        let fs: Vec<_> = result.findings.iter().filter(|f| keep(&f.rule)).collect();
        if !fs.is_empty() {
            out.push_str(&self.grid(
                "findings",
                vec![
                    ("rule", fs.iter().map(|f| f.rule.clone()).collect()),
                    ("severity", fs.iter().map(|f| f.severity.name().to_string()).collect()),
                    ("region", fs.iter().map(|f| f.region_name.clone()).collect()),
                    ("period", fs.iter().map(|f| f.period.clone()).collect()),
                    ("message", fs.iter().map(|f| f.message.clone()).collect()),
                ],
            ));
        }
        Ok(out)
    }
}

/// Region and period to explain at: the config's, else the first region with data and
/// the latest period.
pub fn defaults(ws: &Workspace) -> (String, String) {
    let w = &ws.config.config.workspace;
    let p = ws.panel();
    let region = w.region.as_ref().map(|r| r.get_ref().clone()).unwrap_or_else(|| {
        let n = p.regions().len();
        (0..n)
            .rev()
            .find(|&r| p.data.iter().any(|d| d.iter().skip(r).step_by(n.max(1)).any(|v| !v.is_nan())))
            .map(|r| p.regions().codes[r].clone())
            .unwrap_or_default()
    });
    let period = w
        .period
        .as_ref()
        .map(|x| x.get_ref().clone())
        .unwrap_or_else(|| p.latest().map(|i| p.periods().get(i).to_string()).unwrap_or_default());
    (region, period)
}

/// Whether `input` is a complete script (or command), using Rhai's own parser: an
/// input that ends inside braces, brackets or a string is incomplete.
pub fn is_complete(engine: &rhai::Engine, input: &str) -> bool {
    let t = input.trim();
    if t.is_empty() || t.starts_with(':') || (t.starts_with('.') && t[1..].starts_with(|c: char| c.is_ascii_alphabetic())) {
        return true;
    }
    match engine.compile(input) {
        Ok(_) => true,
        Err(e) => {
            use rhai::ParseErrorType as P;
            // Only an error at the very end means "more is coming" (an open bracket, block
            // or argument list); a missing `;` in the middle (`let x = 1 let y = 2`) is an
            // error to show now, not a reason to wait for more input.
            let body = input.trim_end();
            let end_line = body.lines().count().max(1);
            let end_col = body.lines().last().map(|l| l.chars().count()).unwrap_or(0);
            let pos = e.position();
            let at_end = match (pos.line(), pos.position()) {
                (None, _) => true,
                (Some(l), Some(c)) => l > end_line || (l == end_line && c > end_col),
                (Some(l), None) => l > end_line,
            };
            let open = matches!(e.err_type(), P::MissingToken(..) | P::UnexpectedEOF) && at_end;
            let open_string = matches!(e.err_type(), P::BadInput(rhai::LexError::UnterminatedString));
            !(open || open_string)
        }
    }
}
