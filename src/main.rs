//! The `yearbook` command: parses arguments, runs the REPL loop, maps errors to exit codes.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use yearbook::output::{Format, PrintOptions};

/// Exit codes a scheduler can act on (docs/scheduling.md).
const EXIT_FINDINGS: u8 = 1;
const EXIT_BROKEN: u8 = 2;
const EXIT_RULE_ERRORS: u8 = 3;

#[derive(Parser)]
#[command(
    name = "yearbook",
    version,
    about = "Regional statistics for year-end work reports: indicators and rules in Rhai over a dense panel"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Evaluate a Rhai expression or script against a workspace and print the result.
    Eval {
        /// The workspace config (yearbook.toml).
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        /// Replaces the folder the config's data paths are relative to.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The expression or script; `@file.rhai` reads it from a file.
        expr: String,
        /// Output: table, csv, json or md.
        #[arg(long, default_value = "table")]
        format: String,
        /// Fixed number of decimals in table output.
        #[arg(long)]
        digits: Option<usize>,
        /// Rows shown in table output before the rest is cut.
        #[arg(long, default_value_t = 100)]
        max_rows: usize,
    },
    /// Evaluate every indicator and rule; write findings (and a summary) atomically.
    Run {
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        /// Report on this period (default: the config's workspace.period, else all).
        #[arg(long)]
        period: Option<String>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Comma-separated: json, csv, md (summary and report), html (report).
        #[arg(long, default_value = "json,csv,md", value_delimiter = ',')]
        format: Vec<String>,
        /// Exit 1 when a finding has this severity or above: error, warning, info or never.
        #[arg(long, default_value = "error")]
        fail_on: String,
        /// Replaces the folder the config's data paths are relative to.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(short, long)]
        quiet: bool,
        /// Print timings and counts.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Parse the config, compile every script, resolve every name and unit; no data
    /// evaluated, nothing written.
    Check {
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Interactive session: evaluate Rhai against a workspace, with completion, history
    /// and colon commands (:help). Reads scripts from stdin when it is not a terminal.
    Repl {
        /// The workspace config (default: ./yearbook.toml).
        #[arg(short, long)]
        config: Option<PathBuf>,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Explain an expression at one region and period: the formula tree with values.
    Explain {
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        expr: String,
        #[arg(long)]
        region: String,
        #[arg(long)]
        period: String,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Write the year-end report (Markdown, or HTML with charts, by the file extension).
    Report {
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        region: Option<String>,
        /// Output file: .md or .html.
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Guess how a data file is written and print the [[data.facts]] entry that reads it.
    Sniff {
        /// A CSV file or workbook.
        file: PathBuf,
        /// Sheet of a workbook (default: the first).
        #[arg(long)]
        sheet: Option<String>,
    },
    /// Print the function reference (Markdown) generated from the registered functions.
    Functions {
        #[arg(short, long)]
        config: Option<PathBuf>,
    },
}

/// Stack of the thread that evaluates scripts: Rhai evaluates nested calls and
/// expressions recursively, and `limits.max_call_depth` / `max_expr_depth` are accepted
/// only up to what this holds (yearbook::config::MAX_*). Reserved, not committed.
const STACK_BYTES: usize = 256 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new().name("yearbook".into()).stack_size(STACK_BYTES).spawn(move || run(cli));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| Err(anyhow::anyhow!("internal error (a panic); please report it"))),
        Err(e) => Err(anyhow::anyhow!("cannot start the evaluation thread: {e}")),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_BROKEN)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.cmd {
        Cmd::Eval { config, data, expr, format, digits, max_rows } => {
            let format = Format::parse(&format).with_context(|| format!("unknown format `{format}`: use table, csv, json or md"))?;
            let ws = open(&config, data.as_deref())?;
            let (text, name) = match expr.strip_prefix('@') {
                Some(path) => (std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?, path.to_string()),
                None => (expr.clone(), "<expr>".to_string()),
            };
            let r = ws.eval_in(&mut rhai::Scope::new(), &text, &name)?;
            // What the script printed comes first: on stdout for a table, on stderr when
            // stdout is data (csv, json).
            for line in &r.printed {
                if matches!(format, Format::Table | Format::Markdown) {
                    println!("{line}");
                } else {
                    eprintln!("{line}");
                }
            }
            print!("{}", yearbook::output::render(&r.value, &PrintOptions { format, max_rows, digits }, Some(ws.panel())));
            if r.div_zero > 0 {
                eprintln!("note: {} division(s) by zero gave missing values", r.div_zero);
            }
            for n in &r.notes {
                eprintln!("note: {n}");
            }
            Ok(0)
        }
        Cmd::Run { config, period, out, format, fail_on, data, quiet, verbose } => {
            run_cmd(&config, period, &out, &format, &fail_on, data.as_deref(), quiet, verbose)
        }
        Cmd::Report { config, period, region, output, data } => {
            let format = match output.extension().and_then(|e| e.to_str()) {
                Some("html") | Some("htm") => yearbook::report::ReportFormat::Html,
                Some("md") | Some("markdown") => yearbook::report::ReportFormat::Markdown,
                _ => anyhow::bail!("{}: the report file must end in .md or .html", output.display()),
            };
            let ws = open(&config, data.as_deref())?;
            let result = yearbook::run::run(&ws, &yearbook::run::RunOptions { period: period.clone() }, &mut |_| {})?;
            let text = yearbook::report::render(&ws, result, region.as_deref(), period.as_deref(), format)?;
            yearbook::write::atomic_write(&output, text.as_bytes())?;
            eprintln!("wrote {}", output.display());
            Ok(0)
        }
        Cmd::Repl { config, data } => repl(config, data.as_deref()),
        Cmd::Explain { config, expr, region, period, data } => {
            let ws = open(&config, data.as_deref())?;
            let node = yearbook::explain::explain(&ws, &mut rhai::Scope::new(), &expr, &region, &period)?;
            let r = ws.panel().regions().find(&region).map_err(yearbook::Error::Usage)?;
            print!("{}", yearbook::explain::render(&node, ws.panel().regions().label(r), &period));
            Ok(0)
        }
        Cmd::Check { config, data } => {
            let issues = yearbook::check_config(&config, data.as_deref())?;
            for i in &issues {
                eprintln!("error: {i}\n");
            }
            if issues.is_empty() {
                println!("{}: ok", config.display());
                Ok(0)
            } else {
                eprintln!("{} problem(s) in {}", issues.len(), config.display());
                Ok(EXIT_BROKEN)
            }
        }
        Cmd::Sniff { file, sheet } => {
            print!("{}", yearbook::load::sniff::sniff(&file, sheet.as_deref())?.render());
            Ok(0)
        }
        Cmd::Functions { config } => {
            let md = match config {
                Some(c) => yearbook::script::docs::functions_markdown(&yearbook::Workspace::open(&c, None)?.engine),
                None => yearbook::script::docs::functions_markdown(&yearbook::workspace::reference_engine()),
            };
            print!("{md}");
            Ok(0)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run_cmd(
    config: &std::path::Path,
    period: Option<String>,
    out: &std::path::Path,
    formats: &[String],
    fail_on: &str,
    data: Option<&std::path::Path>,
    quiet: bool,
    verbose: bool,
) -> anyhow::Result<u8> {
    use std::io::IsTerminal;
    use yearbook::rule::Severity;
    let threshold = match fail_on {
        "never" => None,
        s => Some(Severity::parse(s).with_context(|| format!("unknown --fail-on `{s}`: use error, warning, info or never"))?),
    };
    let t0 = std::time::Instant::now();
    // Checked before any work: a bad --format changes nothing in --out.
    yearbook::write::parse_formats(formats)?;
    // SIGTERM/SIGINT: remove a half-written staging folder; --out keeps the last whole set.
    let _ = ctrlc::set_handler(|| {
        yearbook::outset::remove_staging();
        std::process::exit(130);
    });
    let ws = open(config, data)?;
    if verbose {
        eprintln!(
            "loaded {} facts ({:.1} MB of CSV) in {:.3} s",
            ws.panel().n_facts,
            ws.stats.fact_bytes as f64 / 1e6,
            ws.stats.elapsed.as_secs_f64()
        );
    }
    let show = !quiet && std::io::stderr().is_terminal();
    let t_compute = std::time::Instant::now();
    let mut last = std::time::Instant::now();
    let mut progress = |p: yearbook::run::Progress| {
        let (kind, i, n, id) = match p {
            yearbook::run::Progress::Indicator(i, n, id) => ("indicator", i, n, id),
            yearbook::run::Progress::Rule(i, n, id) => ("rule", i, n, id),
        };
        if verbose {
            eprintln!("[{:.3} s] {kind} {i}/{n} {id}", last.elapsed().as_secs_f64());
            last = std::time::Instant::now();
        } else if show {
            eprint!("\r\x1b[K{kind} {i}/{n} {id}");
        }
    };
    let result = yearbook::run::run(&ws, &yearbook::run::RunOptions { period }, &mut progress)?;
    if show && !verbose {
        eprint!("\r\x1b[K");
    }
    let t_write = std::time::Instant::now();
    if verbose {
        eprintln!("[{:.3} s] rules done", last.elapsed().as_secs_f64());
    }
    let written = yearbook::write::write_all(&ws, &result, out, formats)?;
    if verbose {
        let load = ws.stats.elapsed.as_secs_f64();
        let compute = t_write.duration_since(t_compute).as_secs_f64();
        eprintln!("timings: load_s={load:.3} compute_s={compute:.3} write_s={:.3}", t_write.elapsed().as_secs_f64());
    }
    let failures = threshold.map(|t| result.failures_at_or_above(t)).unwrap_or(0);
    let errors = result.errors();
    for r in result.rules.iter().filter(|r| r.error.is_some()) {
        eprintln!("error in rule {}: {}", r.rule, r.error.as_deref().unwrap_or(""));
    }
    for i in result.indicators.iter().filter(|i| i.error.is_some()) {
        eprintln!("error in indicator {}: {}", i.id, i.error.as_deref().unwrap_or(""));
    }
    // Unattended (stderr not a terminal): nothing but errors, unless --verbose.
    if !quiet && (show || verbose) {
        let fails: usize = result.rules.iter().map(|r| r.fails).sum();
        let notes: usize = result.rules.iter().map(|r| r.notes).sum();
        let ne: usize = result.rules.iter().map(|r| r.not_evaluable).sum();
        eprintln!(
            "{} indicators, {} rules: {fails} failed, {notes} notes, {ne} not evaluable, {errors} errors; wrote {} in {:.2} s",
            result.indicators.len(),
            result.rules.len(),
            written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            t0.elapsed().as_secs_f64()
        );
    }
    Ok(if errors > 0 {
        EXIT_RULE_ERRORS
    } else if failures > 0 {
        EXIT_FINDINGS
    } else {
        0
    })
}

/// Opens a workspace and prints what loading found worth a look.
fn open(config: &std::path::Path, data: Option<&std::path::Path>) -> yearbook::Result<yearbook::Workspace> {
    let ws = yearbook::Workspace::open(config, data)?;
    for w in &ws.stats.warnings {
        eprintln!("warning: {w}");
    }
    Ok(ws)
}

fn history_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("yearbook").join("history"))
}

fn repl(config: Option<PathBuf>, data: Option<&std::path::Path>) -> anyhow::Result<u8> {
    use std::io::{IsTerminal, Read};
    use yearbook::repl::{Reply, Session, is_complete};
    let config = match config {
        Some(c) => c,
        None => {
            let here = PathBuf::from("yearbook.toml");
            if !here.is_file() {
                anyhow::bail!(
                    "no yearbook.toml in this folder ({}): give one with -c CONFIG",
                    std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default()
                );
            }
            here
        }
    };
    let mut session = Session::open(&config, data)?;
    if !std::io::stdin().is_terminal() {
        // Scripted: no prompts, every result printed, non-zero exit if any input failed.
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        let engine = rhai::Engine::new_raw();
        let mut failed = false;
        let mut buf = String::new();
        for line in text.lines() {
            buf.push_str(line);
            buf.push('\n');
            if !is_complete(&engine, &buf) {
                continue;
            }
            match session.handle(&buf) {
                Reply::Text(t) => print!("{t}"),
                Reply::Failed(e) => {
                    failed = true;
                    eprintln!("{e}");
                }
                Reply::Quit => break,
            }
            buf.clear();
        }
        if !buf.trim().is_empty() {
            failed = true;
            eprintln!("error: input ended inside an unfinished expression:\n{buf}");
        }
        return Ok(if failed { EXIT_FINDINGS } else { 0 });
    }
    // Ctrl-C during an evaluation stops it; the session goes on.
    let _ = ctrlc::set_handler(|| yearbook::script::sandbox::INTERRUPT.store(true, std::sync::atomic::Ordering::Relaxed));
    let mut rl: rustyline::Editor<yearbook::repl::helper::ReplHelper, rustyline::history::DefaultHistory> = rustyline::Editor::new()?;
    let mut helper = yearbook::repl::helper::ReplHelper::new(session.completions());
    helper.signatures = yearbook::repl::helper::signatures(&session.ws.functions);
    rl.set_helper(Some(helper));
    let history = history_path();
    if let Some(h) = &history {
        let _ = std::fs::create_dir_all(h.parent().unwrap_or(std::path::Path::new(".")));
        let _ = rl.load_history(h);
    }
    println!(
        "yearbook {} — {} facts, {} indicators. :help for commands, Ctrl-D to leave.",
        env!("CARGO_PKG_VERSION"),
        session.ws.panel().n_facts,
        session.ws.panel().codes().filter(|c| !c.contains('.')).count()
    );
    loop {
        match rl.readline("yearbook> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(line.as_str());
                match session.handle(&line) {
                    Reply::Text(t) => print!("{t}"),
                    Reply::Failed(e) => eprintln!("{e}"),
                    Reply::Quit => break,
                }
                if let Some(h) = rl.helper_mut() {
                    h.words = session.completions();
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(h) = &history {
        let _ = rl.save_history(h);
    }
    Ok(0)
}
