//! The `yearbook` command: parses arguments, runs the REPL loop, maps errors to exit codes.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use yearbook::output::{Format, PrintOptions};

/// Exit codes a scheduler can act on.
const EXIT_BROKEN: u8 = 2;

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
    /// Print the function reference (Markdown) generated from the registered functions.
    Functions {
        #[arg(short, long)]
        config: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_BROKEN)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.cmd {
        Cmd::Eval {
            config,
            data,
            expr,
            format,
            digits,
            max_rows,
        } => {
            let format = Format::parse(&format).with_context(|| {
                format!("unknown format `{format}`: use table, csv, json or md")
            })?;
            let ws = yearbook::Workspace::open(&config, data.as_deref())?;
            let (text, name) = match expr.strip_prefix('@') {
                Some(path) => (
                    std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?,
                    path.to_string(),
                ),
                None => (expr.clone(), "<expr>".to_string()),
            };
            let r = ws.eval_in(&mut rhai::Scope::new(), &text, &name)?;
            print!(
                "{}",
                yearbook::output::render(
                    &r.value,
                    &PrintOptions {
                        format,
                        max_rows,
                        digits
                    },
                    Some(ws.panel())
                )
            );
            if r.div_zero > 0 {
                eprintln!(
                    "note: {} division(s) by zero gave missing values",
                    r.div_zero
                );
            }
            Ok(0)
        }
        Cmd::Functions { config } => {
            let md = match config {
                Some(c) => yearbook::script::docs::functions_markdown(
                    &yearbook::Workspace::open(&c, None)?.engine,
                ),
                None => yearbook::script::docs::functions_markdown(
                    &yearbook::workspace::reference_engine(),
                ),
            };
            print!("{md}");
            Ok(0)
        }
    }
}
