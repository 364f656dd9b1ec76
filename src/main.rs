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

/// The workspace a command works on: shared by every subcommand that opens one.
#[derive(clap::Args)]
struct WorkspaceArgs {
    /// The workspace config (yearbook.toml).
    #[arg(short, long, default_value = "yearbook.toml")]
    config: PathBuf,
    /// Replaces the folder the config's data paths are relative to.
    #[arg(long)]
    data: Option<PathBuf>,
}

/// Where the run history is: the same defaults as `run`.
#[derive(clap::Args)]
struct HistoryArgs {
    /// The output folder of the runs (the history is <out>.history.sqlite beside it).
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// The history file itself (instead of [history] path or the default).
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,
}

/// How `diff` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Table,
    Csv,
    Json,
}

/// How `eval` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum OutFormat {
    Table,
    Csv,
    Json,
    Md,
}

/// Which findings make `run` exit 1.
#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Subcommand)]
enum Cmd {
    /// Evaluate a Rhai expression or script against a workspace and print the result.
    Eval {
        #[command(flatten)]
        ws: WorkspaceArgs,
        /// The expression or script; `@file.rhai` reads it from a file. It may start with
        /// a minus (`-gdp`, `-1 * gdp`).
        #[arg(required_unless_present = "sentences", allow_hyphen_values = true)]
        expr: Option<String>,
        /// Instead of an expression: the sentences the report rules (or only the rule
        /// named) would say in the report, with the section that collects each.
        #[arg(long, value_name = "RULE", num_args = 0..=1, default_missing_value = "", conflicts_with = "expr")]
        sentences: Option<String>,
        /// With --sentences: the report's region (default: the config's workspace.region).
        #[arg(long, requires = "sentences")]
        region: Option<String>,
        /// With --sentences: the report's period (default: the config's workspace.period).
        #[arg(long, requires = "sentences")]
        period: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
        /// Fixed number of decimals in table output.
        #[arg(long)]
        digits: Option<usize>,
        /// Rows shown in table output before the rest is cut.
        #[arg(long, default_value_t = 100)]
        max_rows: usize,
    },
    /// Evaluate every indicator and rule; write findings (and a summary) atomically.
    Run {
        #[command(flatten)]
        ws: WorkspaceArgs,
        /// Report on this period (default: the config's workspace.period, else all).
        #[arg(long)]
        period: Option<String>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Comma-separated: json, csv, md (summary and report), html (report), docx (report
        /// as a Word document).
        #[arg(long, default_value = "json,csv,md", value_delimiter = ',')]
        format: Vec<String>,
        /// Exit 1 when any finding (a failure or a note) has this severity or above: error,
        /// warning, info (notes too) or never.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
        /// Print nothing but errors.
        #[arg(short, long)]
        quiet: bool,
        /// Print timings and counts.
        #[arg(short, long)]
        verbose: bool,
        /// The vintage of these figures (初步核算, 最终核实), recorded in the run history;
        /// scripts read a vintage's figures with vintage(gdp, "初步核算").
        #[arg(long, default_value = "")]
        vintage: String,
        /// The run history file (default: [history] path, else <out>.history.sqlite).
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
    },
    /// List the runs recorded in the history: when, vintage, period, findings, changed facts.
    History {
        #[command(flatten)]
        ws: WorkspaceArgs,
        #[command(flatten)]
        at: HistoryArgs,
    },
    /// Compare two recorded runs (default: the last two): new findings, resolved findings,
    /// revised figures (old -> new, change, vintages).
    Diff {
        #[command(flatten)]
        ws: WorkspaceArgs,
        #[command(flatten)]
        at: HistoryArgs,
        /// The earlier run's number (`yearbook history` lists them).
        run_a: Option<i64>,
        /// The later run's number.
        run_b: Option<i64>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: DiffFormat,
    },
    /// Explain a finding of a soft rule (填写说明): appends rule, region, period, text, who
    /// and today's date to the workspace's explanations file; the next run shows the
    /// finding as explained and --fail-on no longer counts it.
    Accept {
        /// The workspace config (yearbook.toml).
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        /// The rule's id.
        rule: String,
        /// The region (code or name).
        region: String,
        /// The period (2008, 2024-03).
        period: String,
        /// Why the figure is right.
        #[arg(short, long)]
        message: String,
        /// Who explains it (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Parse the config, compile every script, resolve every name and unit; no data
    /// evaluated, nothing written.
    Check {
        #[command(flatten)]
        ws: WorkspaceArgs,
    },
    /// Language server over stdin/stdout for yearbook.toml and .rhai files: diagnostics,
    /// completion, hover, go to definition (docs/editor.md). Started by the editor.
    Lsp,
    /// Interactive session: evaluate Rhai against a workspace, with completion, history
    /// and colon commands (:help). Reads scripts from stdin when it is not a terminal.
    Repl {
        /// The workspace config (default: ./yearbook.toml).
        #[arg(short, long)]
        config: Option<PathBuf>,
        /// Replaces the folder the config's data paths are relative to.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Explain an expression at one region and period: the formula tree with values.
    Explain {
        #[command(flatten)]
        ws: WorkspaceArgs,
        /// The expression, e.g. 'pct(yoy(gdp))'.
        expr: String,
        /// Region code or name (default: the config's workspace.region).
        #[arg(long)]
        region: Option<String>,
        /// Period (default: the config's workspace.period, else the latest).
        #[arg(long)]
        period: Option<String>,
    },
    /// Write the year-end report (Markdown, HTML with charts, or a Word document with
    /// charts, by the file extension).
    Report {
        #[command(flatten)]
        ws: WorkspaceArgs,
        /// Period (default: the config's workspace.period, else the latest).
        #[arg(long)]
        period: Option<String>,
        /// Region code or name (default: the config's workspace.region).
        #[arg(long)]
        region: Option<String>,
        /// Output file: .md, .html or .docx.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Run the rule tests kept in the workspace (tests/*.toml next to the config): each
    /// case's facts replace the workspace's, and each rule must give the findings the case
    /// expects. Exit 0 when every case passes, 1 when any fails, 2 for a bad test file.
    Test {
        /// The workspace config (yearbook.toml); its tests are in tests/ beside it.
        #[arg(short, long, default_value = "yearbook.toml")]
        config: PathBuf,
        /// Only cases whose name (tests/<file>.toml::<case>) contains this text.
        filter: Option<String>,
    },
    /// Guess how a data file is written and print the [[data.facts]] entry that reads it.
    Sniff {
        /// A CSV file or workbook.
        file: PathBuf,
        /// Sheet of a workbook (default: the first).
        #[arg(long)]
        sheet: Option<String>,
    },
    /// Print the function reference (Markdown) generated from the registered functions,
    /// or one function, or those whose name or doc mentions a word.
    Functions {
        /// Include a workspace's own script functions.
        #[arg(short, long)]
        config: Option<PathBuf>,
        /// One function by name: `yearbook functions yoy`.
        name: Option<String>,
        /// Functions whose name or description contains this text.
        #[arg(long)]
        search: Option<String>,
        /// Write `.d.rhai` definition files into this folder, for editors that read them.
        #[arg(long, value_name = "DIR")]
        definitions: Option<PathBuf>,
    },
    /// Print the manual page (roff): `yearbook man > yearbook.1; man ./yearbook.1`.
    Man,
    /// Print a shell completion script: `yearbook completions bash > /etc/bash_completion.d/yearbook`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

/// Stack of the thread that evaluates scripts: Rhai evaluates nested calls and
/// expressions recursively, and `limits.max_call_depth` / `max_expr_depth` are accepted
/// only up to what this holds (yearbook::config::MAX_*). Reserved, not committed.
const STACK_BYTES: usize = 256 << 20;

fn main() -> ExitCode {
    // Output into a closed pipe (`yearbook eval ... | head`) ends the program quietly, as
    // other command-line tools do, instead of a panic inside println!. Rust starts
    // programs with SIGPIPE ignored; this puts back the default.
    #[cfg(unix)]
    // SAFETY: called before any other thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    yearbook::run::init_global_pool();
    let worker = std::thread::Builder::new().name("yearbook".into()).stack_size(STACK_BYTES).spawn(move || run(cli));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| Err(anyhow::anyhow!("internal error (a panic); please report it"))),
        Err(e) => Err(anyhow::anyhow!("cannot start the evaluation thread: {e}")),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {}", chain_text(&e));
            ExitCode::from(EXIT_BROKEN)
        }
    }
}

/// An error and its causes, each said once: a yearbook error already ends with the
/// system's reason it carries as its cause (`…: Is a directory (os error 21)`).
fn chain_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.ends_with(&c) {
            text = format!("{text}: {c}");
        }
    }
    text
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.cmd {
        Cmd::Eval { ws: WorkspaceArgs { config, data }, expr, sentences, region, period, format, digits, max_rows } => {
            let format = match format {
                OutFormat::Table => Format::Table,
                OutFormat::Csv => Format::Csv,
                OutFormat::Json => Format::Json,
                OutFormat::Md => Format::Markdown,
            };
            let ws = open(&config, data.as_deref())?;
            let opts = PrintOptions { format, max_rows, digits, max_width: None };
            if let Some(rule) = sentences {
                let (r, p) = yearbook::report::place(&ws, region.as_deref(), period.as_deref())?;
                let said = yearbook::report::said::sentences(&ws, r, p, Some(rule.as_str()).filter(|r| !r.is_empty()))?;
                let table = yearbook::report::said::as_table(&said);
                print!("{}", yearbook::output::render(&rhai::Dynamic::from(table), &opts, None));
                return Ok(0);
            }
            let expr = expr.unwrap_or_default();
            let (text, name) = match expr.strip_prefix('@') {
                Some(path) => (std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?, path.to_string()),
                None => (expr.clone(), "<expr>".to_string()),
            };
            let r = ws.eval_with(&mut yearbook::Bindings::new(), &text, &name)?;
            // What the script printed comes first: on stdout for a table, on stderr when
            // stdout is data (csv, json).
            for line in &r.printed {
                if matches!(format, Format::Table | Format::Markdown) {
                    println!("{line}");
                } else {
                    eprintln!("{line}");
                }
            }
            print!("{}", r.value.render(&opts, Some(ws.panel())));
            if r.div_zero > 0 {
                eprintln!("note: {} division(s) by zero gave missing values", r.div_zero);
            }
            for n in &r.notes {
                eprintln!("note: {n}");
            }
            Ok(0)
        }
        Cmd::Run { ws: WorkspaceArgs { config, data }, period, out, format, fail_on, quiet, verbose, vintage, history } => {
            let opts = RunArgs { period, out, formats: format, fail_on, quiet, verbose, vintage, history };
            run_cmd(&config, data.as_deref(), opts)
        }
        Cmd::History { ws: WorkspaceArgs { config, data }, at } => {
            let ws = yearbook::Workspace::open_without_facts(&config, data.as_deref())?;
            let path = at.history.clone().unwrap_or_else(|| yearbook::history::path(&ws, &at.out));
            // Reading creates nothing: no file is no run recorded yet.
            if !path.exists() {
                println!("no runs recorded yet ({} does not exist: `yearbook run` records each run there)", path.display());
                return Ok(0);
            }
            let rec = yearbook::history::Recorder::open(&ws, &path)?;
            print!("{}", yearbook::history::render_runs(&rec.listing()?));
            Ok(0)
        }
        Cmd::Diff { ws: WorkspaceArgs { config, data }, at, run_a, run_b, format } => {
            let ws = yearbook::Workspace::open_without_facts(&config, data.as_deref())?;
            let path = at.history.clone().unwrap_or_else(|| yearbook::history::path(&ws, &at.out));
            if !path.exists() {
                anyhow::bail!("no runs recorded yet: {} does not exist (`yearbook run` records each run there)", path.display());
            }
            let rec = yearbook::history::Recorder::open(&ws, &path)?;
            let (a, b) = match (run_a, run_b) {
                (Some(a), Some(b)) => (a, b),
                (Some(a), None) => (a, rec.last_two()?.1),
                _ => rec.last_two()?,
            };
            let c = rec.compare_runs(&ws, a, b)?;
            print!(
                "{}",
                match format {
                    DiffFormat::Table => yearbook::compare::render_table(&c),
                    DiffFormat::Csv => yearbook::compare::render_csv(&c),
                    DiffFormat::Json => yearbook::compare::render_json(&c),
                }
            );
            Ok(0)
        }
        Cmd::Accept { config, rule, region, period, message, by } => {
            let ws = yearbook::Workspace::open_without_facts(&config, None)?;
            let by = by.or_else(|| std::env::var("USER").ok()).unwrap_or_default();
            let date = yearbook::history::today();
            let e = yearbook::explanations::Explanation { rule, region, period, text: message, by, date, line: 0 };
            let path = yearbook::explanations::append(&ws, &e)?;
            eprintln!("explained {} {} {} in {}", e.rule, e.region, e.period, path.display());
            Ok(0)
        }
        Cmd::Report { ws: WorkspaceArgs { config, data }, period, region, output } => {
            let Some(format) = output.extension().and_then(|e| e.to_str()).and_then(yearbook::report::ReportFormat::from_extension) else {
                anyhow::bail!("{}: the report file must end in .md, .html or .docx", output.display());
            };
            if format == yearbook::report::ReportFormat::Docx && !yearbook::report::docx::AVAILABLE {
                return Err(yearbook::report::docx::unavailable().into());
            }
            let ws = open(&config, data.as_deref())?;
            yearbook::write::refuse_report_file(&ws, &output)?;
            let result = ws.run(&yearbook::run::RunOptions { period: period.clone() })?;
            let bytes = yearbook::report::render_bytes(&ws, result, region.as_deref(), period.as_deref(), format)?;
            yearbook::write::atomic_write(&output, &bytes)?;
            eprintln!("wrote {}", output.display());
            Ok(0)
        }
        Cmd::Repl { config, data } => repl(config, data.as_deref()),
        Cmd::Explain { ws: WorkspaceArgs { config, data }, expr, region, period } => {
            let ws = open(&config, data.as_deref())?;
            let (r0, p0) = yearbook_cli::repl::defaults(&ws);
            let (region, period) = (region.unwrap_or(r0), period.unwrap_or(p0));
            let node = yearbook::explain::explain(&ws, &mut yearbook::Bindings::new(), &expr, &region, &period)?;
            let r = ws.panel().regions().find(&region).map_err(yearbook::Error::usage)?;
            print!("{}", yearbook::explain::render(&node, ws.panel().regions().label(r), &period));
            Ok(0)
        }
        Cmd::Check { ws: WorkspaceArgs { config, data } } => {
            let issues = yearbook::check_config(&config, data.as_deref())?;
            for i in &issues {
                eprintln!("error: {i}\n");
            }
            for w in yearbook::check_warnings(&config, data.as_deref()).unwrap_or_default() {
                eprintln!("warning: {w}\n");
            }
            if issues.is_empty() {
                println!("{}: ok", config.display());
                Ok(0)
            } else {
                eprintln!("{} problem(s) in {}", issues.len(), config.display());
                Ok(EXIT_BROKEN)
            }
        }
        Cmd::Test { config, filter } => test_cmd(&config, filter.as_deref()),
        Cmd::Lsp => {
            yearbook_lsp::serve_stdio().map_err(|e| anyhow::anyhow!("language server: {e}"))?;
            Ok(0)
        }
        Cmd::Sniff { file, sheet } => {
            print!("{}", yearbook::load::sniff::sniff(&file, sheet.as_deref())?.render());
            Ok(0)
        }
        Cmd::Functions { config, name, search, definitions } => {
            let ws = config.map(|c| yearbook::Workspace::open(&c, None)).transpose()?;
            let reference;
            let engine = match &ws {
                Some(ws) => &ws.program.engine,
                None => {
                    reference = yearbook::script::reference_engine();
                    &reference
                }
            };
            if let Some(dir) = definitions {
                let files = yearbook::script::docs::write_definitions(engine, &dir)
                    .with_context(|| format!("cannot write definition files into {}", dir.display()))?;
                for f in &files {
                    println!("{}", f.display());
                }
                return Ok(0);
            }
            if name.is_none() && search.is_none() {
                print!("{}", yearbook::script::docs::functions_markdown(engine));
                return Ok(0);
            }
            let help = yearbook::script::docs::function_help(engine);
            let word = search.as_deref().map(str::to_lowercase);
            let mut found = 0;
            for (fname, sigs) in &help {
                let matches = match (&name, &word) {
                    (Some(n), _) => fname == n,
                    (None, Some(w)) => fname.to_lowercase().contains(w) || sigs.iter().any(|(_, d)| d.to_lowercase().contains(w)),
                    _ => false,
                };
                if matches {
                    found += 1;
                    for (sig, doc) in sigs {
                        println!("{sig}\n    {doc}");
                    }
                }
            }
            if found == 0 {
                let what = name.clone().or(search.clone()).unwrap_or_default();
                let hint = yearbook::suggest::did_you_mean(&what, help.keys().map(String::as_str));
                anyhow::bail!("no function {} `{what}`{hint}", if name.is_some() { "named" } else { "mentions" });
            }
            Ok(0)
        }
        Cmd::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(0)
        }
        Cmd::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "yearbook", &mut std::io::stdout());
            Ok(0)
        }
    }
}

/// What `yearbook run` was asked for.
struct RunArgs {
    period: Option<String>,
    out: PathBuf,
    formats: Vec<String>,
    fail_on: FailOn,
    quiet: bool,
    verbose: bool,
    vintage: String,
    history: Option<PathBuf>,
}

fn run_cmd(config: &std::path::Path, data: Option<&std::path::Path>, args: RunArgs) -> anyhow::Result<u8> {
    use std::io::IsTerminal;
    use yearbook::rule::Severity;
    let RunArgs { period, out, formats, fail_on, quiet, verbose, vintage, history } = args;
    let (out, formats) = (out.as_path(), formats.as_slice());
    let threshold = match fail_on {
        FailOn::Never => None,
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
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
    // The explanations are checked before anything runs: a bad line stops the run (exit 2).
    let explanations = yearbook::explanations::load(&ws)?;
    let history_path = history.unwrap_or_else(|| yearbook::history::path(&ws, out));
    // A run refused or failed before it is recorded leaves no history file it created.
    let mut created = NewFile::at(&history_path);
    let mut recorder = yearbook::history::Recorder::open(&ws, &history_path)?;
    recorder.load_earlier(&ws)?;
    if verbose {
        eprintln!(
            "loaded {} facts ({:.1} MB of fact files) in {:.3} s",
            ws.panel().n_facts,
            ws.stats.fact_bytes as f64 / 1e6,
            ws.stats.elapsed.as_secs_f64()
        );
    }
    let show = !quiet && std::io::stderr().is_terminal();
    let t_compute = std::time::Instant::now();
    // --verbose: each step's own time on its own line, printed when the step ends
    // (steps run on all cores and end in any order).
    let mut progress = |p: yearbook::run::Progress| {
        let kind = match p.step {
            yearbook::run::Step::Indicator => "indicator",
            yearbook::run::Step::Rule => "rule",
        };
        let (i, n, id) = (p.done, p.total, p.id);
        if verbose {
            eprintln!("{kind} {i}/{n} {id}: {:.3} s", p.elapsed.as_secs_f64());
        } else if show {
            eprint!("\r\x1b[K{kind} {i}/{n} {id}");
        }
    };
    let mut result = yearbook::run::run(&ws, &yearbook::run::RunOptions { period }, &mut progress)?;
    if show && !verbose {
        eprint!("\r\x1b[K");
    }
    let baselines = recorder.explain(&mut result, &explanations)?;
    result.comparison = recorder.compare_with_previous(&ws, &result, &vintage)?;
    let t_write = std::time::Instant::now();
    // The outputs are written while the history records the run; the record is committed
    // only once they are on disk.
    let (written, recorded) = std::thread::scope(|s| {
        let (done, wrote) = std::sync::mpsc::channel();
        let (ws, result) = (&ws, &result);
        let writer = s.spawn(move || {
            let w = yearbook::write::write_all(ws, result, out, formats);
            let _ = done.send(w.is_ok());
            w
        });
        let recorded = recorder.record(ws, result, &vintage, baselines, || wrote.recv().unwrap_or(false));
        let written = writer.join().unwrap_or_else(|_| Err(yearbook::Error::usage("writing the outputs failed")));
        (written, recorded)
    });
    let written = written?;
    let run_no = recorded
        .with_context(|| format!("the outputs in {} are written, but the run was not recorded", out.display()))?
        .context("the outputs were written but the run was not recorded")?;
    created.keep();
    for f in result.findings.iter().filter(|f| f.explanation.as_ref().is_some_and(|e| e.stale)) {
        eprintln!(
            "warning: the explanation of {} {} {} is stale: its figures changed since it was given; check and explain again (yearbook accept)",
            f.rule, f.region, f.period
        );
    }
    if verbose {
        let load = ws.stats.elapsed.as_secs_f64();
        let compute = t_write.duration_since(t_compute).as_secs_f64();
        eprintln!(
            "timings: load_s={load:.3} compute_s={compute:.3} write_s={:.3} total_s={:.3}",
            t_write.elapsed().as_secs_f64(),
            t0.elapsed().as_secs_f64()
        );
    }
    let failures = threshold.map(|t| result.failures_at_or_above(t)).unwrap_or(0);
    let errors = result.errors();
    for r in result.rules.iter().filter(|r| r.error.is_some()) {
        eprintln!("error in rule {}: {}", r.rule, r.error.as_deref().unwrap_or(""));
    }
    for i in result.indicators.iter().filter(|i| i.error.is_some()) {
        eprintln!("error in indicator {}: {}", i.id, i.error.as_deref().unwrap_or(""));
    }
    // Why a rule's items were not evaluable (data every 5 years under yoy, ...): always
    // for a rule that evaluated none of its items (it checked nothing), else on a terminal.
    for r in result.rules.iter().filter(|r| !r.why.is_empty()) {
        // A rule of no items at all says why where it knows (levels where its check has
        // no cell).
        if !quiet && (show || verbose || r.items == 0 || r.not_evaluable == r.items) {
            for n in &r.why {
                if r.items == 0 {
                    eprintln!("note: rule {} (0 items): {n}", r.rule);
                } else {
                    eprintln!("note: rule {} ({} of {} items not evaluable): {n}", r.rule, r.not_evaluable, r.items);
                }
            }
        }
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
        eprintln!("recorded as run {run_no} in {}", history_path.display());
        let explained = result.findings.iter().filter(|f| f.is_explained()).count();
        if explained > 0 {
            eprintln!("explained: {explained} finding(s), not counted by --fail-on");
        }
        let failed: Vec<String> = result.rules.iter().filter(|r| r.fails > 0).map(|r| format!("{} ({})", r.rule, r.fails)).collect();
        if !failed.is_empty() {
            eprintln!("failed: {}", failed.join(", "));
        }
    }
    Ok(if errors > 0 {
        EXIT_RULE_ERRORS
    } else if failures > 0 {
        EXIT_FINDINGS
    } else {
        0
    })
}

/// A file this command may create (a run's history): removed when dropped before
/// [`NewFile::keep`], with SQLite's journal files beside it; a file that was there
/// before is never touched.
struct NewFile {
    paths: Vec<std::path::PathBuf>,
}

impl NewFile {
    fn at(path: &std::path::Path) -> NewFile {
        let paths = if path.exists() {
            Vec::new()
        } else {
            ["", "-wal", "-shm", "-journal"].iter().map(|s| std::path::PathBuf::from(format!("{}{s}", path.display()))).collect()
        };
        NewFile { paths }
    }
    fn keep(&mut self) {
        self.paths.clear();
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// `yearbook test`: one line per case as it ends, then the failures' diffs and the result
/// line, as cargo test prints them; exit 1 when any case fails.
fn test_cmd(config: &std::path::Path, filter: Option<&str>) -> anyhow::Result<u8> {
    let suite = yearbook::ruletest::TestSuite::load(config, filter)?;
    println!("\nrunning {} tests", suite.len());
    let report = suite.run(&mut |case| println!("{}", case.status_line()));
    print!("{}", report.render_failures());
    println!("\n{}", report.result_line());
    Ok(if report.failed() > 0 { EXIT_FINDINGS } else { 0 })
}

/// Opens a workspace and prints what loading found worth a look.
fn open(config: &std::path::Path, data: Option<&std::path::Path>) -> yearbook::Result<yearbook::Workspace> {
    let ws = loading(config, || yearbook::Workspace::open(config, data))?;
    for w in &ws.stats.warnings {
        eprintln!("warning: {w}");
    }
    Ok(ws)
}

/// Runs `open` with, on a terminal, a line saying what is loading: a spinner and the
/// time so far, cleared when done.
fn loading<T>(config: &std::path::Path, open: impl FnOnce() -> T) -> T {
    use std::io::IsTerminal;
    let spinner = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(format!("loading {} …", config.display()));
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let out = open();
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    out
}

fn history_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("yearbook").join("history"))
}

fn repl(config: Option<PathBuf>, data: Option<&std::path::Path>) -> anyhow::Result<u8> {
    use std::io::{IsTerminal, Read};
    use yearbook_cli::repl::{Reply, Session, is_complete};
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
    let mut session = loading(&config, || Session::open(&config, data))?;
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
                Reply::Quit => {
                    buf.clear();
                    break;
                }
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
    let cancel = session.ws.cancel_token();
    let _ = ctrlc::set_handler(move || cancel.store(true, std::sync::atomic::Ordering::Relaxed));
    // A list of candidates on the second Tab, as bash does.
    let rl_config = rustyline::Config::builder().completion_type(rustyline::CompletionType::List).auto_add_history(false).build();
    let mut rl: rustyline::Editor<yearbook_cli::repl::helper::ReplHelper, rustyline::history::DefaultHistory> =
        rustyline::Editor::with_config(rl_config)?;
    // Tables fit the terminal (cells cut with …); :maxwidth changes it.
    session.opts.max_width = yearbook::output::terminal_width();
    let mut helper = yearbook_cli::repl::helper::ReplHelper::new(session.completions());
    helper.signatures = yearbook_cli::repl::helper::signatures(&session.ws.program.functions);
    helper.context = session.context_words();
    helper.indicators = session.indicator_names();
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
                // Saved as each entry is accepted: a crash or a kill keeps it.
                if let Some(h) = &history {
                    let _ = rl.append_history(h);
                }
                match session.handle(&line) {
                    Reply::Text(t) => print!("{t}"),
                    Reply::Failed(e) => eprintln!("{e}"),
                    Reply::Quit => break,
                }
                if let Some(h) = rl.helper_mut() {
                    h.words = session.completions();
                    h.indicators = session.indicator_names();
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(0)
}
