//! Rule tests (`yearbook test`): the cases in a workspace's `tests/*.toml` run against its
//! config with their own small fact tables in place of its facts, and what each rule gives
//! is compared with what the case expects (docs/testing.md).
//!
//! ```no_run
//! let report = yearbook::ruletest::run_tests("config/dayun/yearbook.toml".as_ref(), None).unwrap();
//! print!("{}", report.render());
//! assert_eq!(report.failed(), 0);
//! ```

use crate::finding::{Finding, RunResult, Status};
use crate::run::RunOptions;
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use yearbook_core::error::{Error, Location, Result};
use yearbook_io::config::{ConfigFile, FileSpec, line_col};
use yearbook_io::testfile::{Expect, ExpectedFinding, ExpectedStatus, FactRow, TestFile};

/// The folder of rule tests, next to `yearbook.toml`.
pub const TESTS_DIR: &str = "tests";

/// How close a value must be to the expected one by default, relative to
/// `max(1, |expected|)`.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// One way a rule's outcome differs from what a case expects.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The rule's id.
    pub rule: String,
    /// Region and period of the finding concerned, when one is.
    pub cell: Option<(String, String)>,
    /// What differs: `fails`, `items`, `pass`, `error`, `finding`, `value total`, `message`.
    pub what: String,
    /// What the case expects.
    pub expected: String,
    /// What the rule gave.
    pub got: String,
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// `tests/<file>.toml::<case>`.
    pub name: String,
    /// Where the case is defined.
    pub at: Location,
    /// The case could not be run (its facts do not load, the run failed): why.
    pub setup_error: Option<String>,
    /// Where the rules' outcomes differ from what the case expects.
    pub mismatches: Vec<Mismatch>,
}

impl CaseOutcome {
    /// Whether every rule gave what the case expects.
    pub fn passed(&self) -> bool {
        self.setup_error.is_none() && self.mismatches.is_empty()
    }

    /// `test tests/x.toml::name ... ok` (or `FAILED`), as cargo test prints it.
    pub fn status_line(&self) -> String {
        format!("test {} ... {}", self.name, if self.passed() { "ok" } else { "FAILED" })
    }

    /// What differs, rule by rule: expected against got, with region and period.
    pub fn diff(&self) -> String {
        let mut out = format!("---- {} ({}) ----\n", self.name, self.at);
        if let Some(e) = &self.setup_error {
            let _ = writeln!(out, "the case could not run: {e}");
        }
        let mut rule = "";
        for m in &self.mismatches {
            if m.rule != rule {
                rule = &m.rule;
                let _ = writeln!(out, "rule {rule}:");
            }
            let cell = m.cell.as_ref().map(|(r, p)| format!("{} {}: ", show(r), show(p))).unwrap_or_default();
            let _ = writeln!(out, "  {cell}{}: expected {}, got {}", m.what, m.expected, m.got);
        }
        out
    }
}

/// `-` for an empty region or period (a check across regions or periods).
fn show(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

/// Every case's result, in file and case order.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    /// The cases run.
    pub cases: Vec<CaseOutcome>,
}

impl TestReport {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// The diffs of the failed cases and their names, as cargo test lists them.
    pub fn render_failures(&self) -> String {
        let failed: Vec<&CaseOutcome> = self.cases.iter().filter(|c| !c.passed()).collect();
        if failed.is_empty() {
            return String::new();
        }
        let mut out = String::from("\nfailures:\n\n");
        for c in &failed {
            out.push_str(&c.diff());
            out.push('\n');
        }
        out.push_str("failures:\n");
        for c in &failed {
            let _ = writeln!(out, "    {}", c.name);
        }
        out
    }

    /// `test result: ok. 8 passed; 0 failed`.
    pub fn result_line(&self) -> String {
        let verdict = if self.failed() == 0 { "ok" } else { "FAILED" };
        format!("test result: {verdict}. {} passed; {} failed", self.passed(), self.failed())
    }

    /// The whole output: one line per case, the failures' diffs, the result line.
    pub fn render(&self) -> String {
        let mut out = format!("\nrunning {} tests\n", self.cases.len());
        for c in &self.cases {
            out.push_str(&c.status_line());
            out.push('\n');
        }
        out.push_str(&self.render_failures());
        let _ = writeln!(out, "\n{}", self.result_line());
        out
    }
}

/// A case read and checked, ready to run.
#[derive(Debug)]
struct Case {
    name: String,
    at: Location,
    /// The facts, each with where it is written (the test file's row, a CSV's line).
    rows: Vec<(FactRow, Location)>,
    period: Option<String>,
    tolerance: f64,
    expect: Vec<(String, Expect)>,
}

/// The rule tests of a workspace, read and checked against its config: every file parsed,
/// every rule named in them defined, every fact file read. Nothing is run yet.
#[derive(Debug)]
pub struct TestSuite {
    config: PathBuf,
    /// Namespace -> how the config loads the facts under it (unit, cumulative, annual).
    namespaces: BTreeMap<String, Namespace>,
    cases: Vec<Case>,
}

/// Reads the tests of the workspace at `config` and runs those whose name
/// (`tests/<file>.toml::<case>`) contains `filter`.
pub fn run_tests(config: &Path, filter: Option<&str>) -> Result<TestReport> {
    Ok(TestSuite::load(config, filter)?.run(&mut |_| {}))
}

impl TestSuite {
    /// Reads `tests/*.toml` next to `config` (or the folder `[workspace] tests` names), keeping the cases whose name contains
    /// `filter`. Errors: a test file that does not parse, a rule the config does not
    /// define, a case with no facts or nothing expected, a fact file that cannot be read
    /// (all of them, each at its file:line:col).
    pub fn load(config: &Path, filter: Option<&str>) -> Result<TestSuite> {
        let cfg = ConfigFile::load(config)?;
        let folder = cfg.config.workspace.tests.as_ref().map(|t| t.get_ref().clone()).unwrap_or_else(|| TESTS_DIR.to_string());
        let dir = cfg.dir().join(&folder);
        if let Some(t) = &cfg.config.workspace.tests
            && !dir.is_dir()
        {
            return Err(Error::config(
                cfg.at(t.span()),
                format!("tests = \"{folder}\": {} is not a folder; make it, or point `tests` at the folder of test files", dir.display()),
            ));
        }
        if !dir.is_dir() {
            return Err(Error::usage(format!(
                "no rule tests: {} is not a folder; write cases in {}/*.toml next to {} (docs/testing.md)",
                dir.display(),
                TESTS_DIR,
                config.display()
            )));
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(dir.display().to_string(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        files.sort();
        let mut namespaces = BTreeMap::new();
        for src in &cfg.config.data.facts {
            let spec = &src.get_ref().0;
            let ns = spec.namespace.clone().or(spec.is_cumulative().then(|| "cumulative".to_string()));
            if let Some(ns) = ns {
                namespaces.entry(ns).or_insert_with(|| Namespace {
                    unit: spec.unit.clone(),
                    cumulative: spec.cumulative,
                    annual: spec.annual,
                    year: spec.year,
                });
            }
        }
        let mut errors = Vec::new();
        let mut cases = Vec::new();
        for path in files {
            match TestFile::load(&path) {
                Ok(tf) => cases.extend(check_file(&cfg, tf, &folder, filter, &mut errors)),
                Err(e) => errors.push(e),
            }
        }
        if let Some(e) = Error::all(errors) {
            return Err(e);
        }
        Ok(TestSuite { config: config.to_path_buf(), namespaces, cases })
    }

    /// How many cases will run.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether no case will run.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// Runs every case, calling `each` as each one ends.
    pub fn run(&self, each: &mut dyn FnMut(&CaseOutcome)) -> TestReport {
        let mut report = TestReport::default();
        for case in &self.cases {
            let outcome = self.run_case(case);
            each(&outcome);
            report.cases.push(outcome);
        }
        report
    }

    fn run_case(&self, case: &Case) -> CaseOutcome {
        let mut out = CaseOutcome { name: case.name.clone(), at: case.at.clone(), setup_error: None, mismatches: Vec::new() };
        match self.evaluate(case) {
            Ok(result) => {
                for (rule, exp) in &case.expect {
                    compare(rule, exp, &result, case.tolerance, &mut out.mismatches);
                }
            }
            Err(e) => out.setup_error = Some(e),
        }
        out
    }

    /// Writes the case's facts to a temporary folder, opens the workspace with them and runs it.
    fn evaluate(&self, case: &Case) -> std::result::Result<RunResult, String> {
        let tmp = tempfile::Builder::new()
            .prefix("yearbook-test-")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary folder for the case's facts: {e}"))?;
        let (files, origins) = self.write_facts(case, tmp.path()).map_err(|e| e.to_string())?;
        let shown = |e: Error| e.to_string().replace(&tmp.path().display().to_string(), "<case facts>");
        let ws = Workspace::builder().config_path(&self.config).facts(files).open().map_err(|e| {
            let placed: Vec<String> = e
                .into_list()
                .into_iter()
                .map(|e| match origin(&e, &origins) {
                    Some(at) => format!("{at}: {}", e.message()),
                    None => shown(e),
                })
                .collect();
            format!("the case's facts do not load with the workspace's config:\n{}", placed.join("\n"))
        })?;
        ws.run(&RunOptions { period: case.period.clone() }).map_err(|e| {
            let hint = if case.period.is_none() { "; give the case facts for that period, or `period = ...`" } else { "" };
            format!("the run failed: {}{hint}", shown(e).replacen("--period: ", "", 1))
        })
    }

    /// One long CSV per namespace (every namespace the config loads, so every name its
    /// scripts use is defined) and one for plain facts; and, per file written, where
    /// each of its rows came from.
    fn write_facts(&self, case: &Case, dir: &Path) -> Result<(Vec<FileSpec>, Origins)> {
        let mut groups: BTreeMap<Option<&str>, Vec<&(FactRow, Location)>> = BTreeMap::new();
        groups.insert(None, Vec::new());
        for ns in self.namespaces.keys() {
            groups.insert(Some(ns.as_str()), Vec::new());
        }
        for row in &case.rows {
            let ns = row.0.indicator.split_once('.').map(|(n, _)| n).filter(|n| self.namespaces.contains_key(*n));
            groups.entry(ns).or_default().push(row);
        }
        let mut specs = Vec::new();
        let mut origins = Origins::new();
        for (i, (ns, rows)) in groups.into_iter().enumerate() {
            let path = dir.join(match ns {
                Some(n) => format!("{i}-{n}.csv"),
                None => "facts.csv".to_string(),
            });
            let io = |e: csv::Error| Error::io(path.display().to_string(), std::io::Error::other(e.to_string()));
            let mut w = csv::Writer::from_path(&path).map_err(io)?;
            w.write_record(["region", "period", "indicator", "value"]).map_err(io)?;
            let mut from = Vec::with_capacity(rows.len());
            for (r, at) in rows {
                from.push(at.clone());
                let code = match ns {
                    Some(n) => r.indicator[n.len() + 1..].to_string(),
                    None => r.indicator.clone(),
                };
                w.write_record([r.region.as_str(), r.period.as_str(), code.as_str(), r.value.to_string().as_str()]).map_err(io)?;
            }
            w.flush().map_err(|e| Error::io(path.display().to_string(), e))?;
            // A namespace's facts load as the config's entry for it says: in its unit,
            // cumulative (2025年1-6月), annual (a year's target in every month).
            let from_config = ns.and_then(|n| self.namespaces.get(n));
            let mut spec = FileSpec::long_csv(&path, ns.map(str::to_string), from_config.and_then(|c| c.unit.clone()));
            if let Some(c) = from_config {
                spec.cumulative = c.cumulative;
                spec.annual = c.annual;
                spec.year = c.year;
            }
            specs.push(spec);
            origins.insert(path.display().to_string(), from);
        }
        Ok((specs, origins))
    }
}

/// How the config loads a namespace's facts, which a case's facts of it follow.
#[derive(Debug, Clone)]
struct Namespace {
    unit: Option<String>,
    cumulative: Option<bool>,
    annual: bool,
    year: Option<i32>,
}

/// Per fact file written for a case: where each row (line 2 on) came from.
type Origins = BTreeMap<String, Vec<Location>>;

/// Where the row an error points at came from: the test file's line or the case's CSV.
fn origin<'a>(e: &Error, origins: &'a Origins) -> Option<&'a Location> {
    let span = e.span()?;
    origins.get(&span.source)?.get(span.line.checked_sub(2)?)
}

/// Checks one test file's cases against the config; returns those matching `filter`,
/// named `<folder>/<file>.toml::<case>`.
fn check_file(cfg: &ConfigFile, tf: TestFile, folder: &str, filter: Option<&str>, errors: &mut Vec<Error>) -> Vec<Case> {
    let TestFile { path, text, def } = tf;
    let at = |span: std::ops::Range<usize>| {
        let (line, col) = line_col(&text, span.start);
        Location::new(path.display().to_string(), line, Some(col))
    };
    let file_name = Path::new(folder).join(path.file_name().unwrap_or_default()).display().to_string();
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    let mut cases = Vec::new();
    if def.case.is_empty() {
        errors.push(Error::config(
            Location::new(path.display().to_string(), 1, None),
            "no cases: write `[[case]]` with a name, facts and `[case.expect.<rule>]` (docs/testing.md)",
        ));
    }
    for sc in def.case {
        let case_at = at(sc.span());
        let c = sc.into_inner();
        let name = c.name.get_ref().trim().to_string();
        if name.is_empty() {
            errors.push(Error::config(at(c.name.span()), "the case's name is empty: give it one (`name = \"output_balanced\"`)"));
            continue;
        }
        if let Some(first) = seen.insert(name.clone(), at(c.name.span())) {
            errors.push(Error::config(at(c.name.span()), format!("a second case named `{name}` (the first is at {first}): rename one")));
        }
        if c.facts.is_empty() && c.files.is_empty() {
            errors.push(Error::config(
                case_at.clone(),
                format!("case `{name}` has no facts: give `facts = [[\"region\", period, \"indicator\", value], ...]` or `files = [\"facts.csv\"]`"),
            ));
        }
        if c.expect.is_empty() {
            errors.push(Error::config(
                case_at.clone(),
                format!("case `{name}` expects nothing: add `[case.expect.<rule>]` with `pass`, `fails`, `findings`, ..."),
            ));
        }
        if let Some(t) = c.tolerance
            && !(t.is_finite() && t >= 0.0)
        {
            errors.push(Error::config(case_at.clone(), format!("case `{name}`: tolerance = {t} must be a number >= 0")));
        }
        let mut rows: Vec<(FactRow, Location)> = c
            .facts
            .into_iter()
            .map(|r| {
                let place = at(r.span());
                (r.into_inner(), place)
            })
            .collect();
        for f in &c.files {
            match read_fact_csv(&base.join(f.get_ref())) {
                Ok(r) => rows.extend(r),
                Err(e) if e.kind() == yearbook_core::error::ErrorKind::Io => {
                    errors.push(Error::config(at(f.span()), format!("cannot read the case's fact file: {e}")))
                }
                Err(e) => errors.push(e),
            }
        }
        let mut expect = Vec::new();
        for (rule, e) in c.expect {
            let span = e.span();
            if !cfg.config.rules.contains_key(&rule) {
                let hint = yearbook_core::suggest::did_you_mean(&rule, cfg.config.rules.keys().map(String::as_str));
                errors.push(Error::config(
                    at(span),
                    format!("unknown rule `{rule}`{hint}: expect only rules defined as [rules.<id>] in {}", cfg.path.display()),
                ));
                continue;
            }
            let e = e.into_inner();
            if let Some(problem) = contradiction(&e) {
                errors.push(Error::config(at(span), format!("expect.{rule}: {problem}")));
            }
            expect.push((rule, e));
        }
        let full = format!("{file_name}::{name}");
        if filter.is_none_or(|f| full.contains(f)) {
            cases.push(Case {
                name: full,
                at: case_at,
                rows,
                period: c.period.map(|p| p.0),
                tolerance: c.tolerance.unwrap_or(DEFAULT_TOLERANCE),
                expect,
            });
        }
    }
    cases
}

/// What makes an expectation impossible or empty.
fn contradiction(e: &Expect) -> Option<&'static str> {
    let nothing = e.pass.is_none()
        && e.error.is_none()
        && e.items.is_none()
        && e.passes.is_none()
        && e.fails.is_none()
        && e.notes.is_none()
        && e.not_evaluable.is_none()
        && e.findings.is_none();
    if nothing {
        return Some("expects nothing: give pass, error, items, passes, fails, notes, not_evaluable or findings");
    }
    if e.pass == Some(true) && e.error.is_some() {
        return Some("`pass = true` and `error` cannot both hold: keep one");
    }
    if e.pass == Some(true) && e.fails.is_some_and(|f| f > 0) {
        return Some("`pass = true` means no failures, but `fails` is above 0: keep one");
    }
    None
}

/// Reads a long CSV of facts: columns region, period (or year), indicator and value, in
/// any order; an empty value is a missing fact (no row). Lines end with LF, CRLF or CR
/// alone; a field that runs over a line break (a stray quote swallowing the rows below
/// it) is an error at its line and column.
fn read_fact_csv(path: &Path) -> Result<Vec<(FactRow, Location)>> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(label.clone(), e))?;
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = yearbook_io::load::csv_lines::TextLines::new(text.as_bytes());
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| Error::data(Location::new(label.clone(), 1, None), e.to_string()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(r), Some(p), Some(i), Some(v)) = (col(&["region"]), col(&["period", "year"]), col(&["indicator"]), col(&["value"])) else {
        return Err(Error::data(
            Location::new(label, 1, None),
            format!(
                "a case's fact file needs the columns region, period (or year), indicator and value; its header is: {}",
                header.join(",")
            ),
        ));
    };
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(1, |p| lines.line(p));
            Error::data(Location::new(label.clone(), line, None), e.to_string())
        })?;
        let line = rec.position().map_or(1, |p| lines.line(p));
        if let Some((k, f)) = rec.iter().enumerate().find(|(_, f)| f.contains('\n')) {
            let name = header.get(k).map(String::as_str).unwrap_or("");
            let message = yearbook_io::load::csv_lines::unclosed_quote(name, f.trim());
            return Err(Error::data(Location::new(label.clone(), line, Some(k + 1)), message));
        }
        let cell = |k: usize| rec.get(k).unwrap_or("").trim();
        if cell(v).is_empty() {
            continue;
        }
        let value: f64 = cell(v).parse().map_err(|_| {
            Error::data(Location::new(label.clone(), line, Some(v + 1)), format!("value `{}` is not a number: write it as 7.75", cell(v)))
        })?;
        let row = FactRow { region: cell(r).to_string(), period: cell(p).to_string(), indicator: cell(i).to_string(), value };
        rows.push((row, Location::new(label.clone(), line, None)));
    }
    Ok(rows)
}

/// Compares one rule's outcome with what the case expects.
fn compare(rule: &str, exp: &Expect, result: &RunResult, tol: f64, out: &mut Vec<Mismatch>) {
    let mut push = |cell: Option<(String, String)>, what: &str, expected: String, got: String| {
        out.push(Mismatch { rule: rule.to_string(), cell, what: what.to_string(), expected, got });
    };
    let Some(sum) = result.rules.iter().find(|r| r.rule == rule) else {
        push(None, "run", "the rule to run".into(), "it did not run".into());
        return;
    };
    let first_line = |e: &str| e.lines().next().unwrap_or("").to_string();
    match (&exp.error, &sum.error) {
        (Some(want), None) => push(None, "error", format!("an error containing \"{want}\""), "no error".into()),
        (Some(want), Some(got)) => {
            let kind = sum.error_detail.as_ref().map(|d| d.kind.name()).unwrap_or("");
            if !(got.contains(want.as_str()) || kind == want) {
                push(None, "error", format!("an error containing \"{want}\""), format!("{kind}: {}", first_line(got)));
            }
        }
        (None, Some(got)) => {
            push(None, "error", "no error".into(), first_line(got));
            return;
        }
        (None, None) => {}
    }
    for (what, want, got) in [
        ("items", exp.items, sum.items),
        ("passes", exp.passes, sum.passes),
        ("fails", exp.fails, sum.fails),
        ("notes", exp.notes, sum.notes),
        ("not_evaluable", exp.not_evaluable, sum.not_evaluable),
    ] {
        if let Some(w) = want
            && w != got
        {
            push(None, what, w.to_string(), got.to_string());
        }
    }
    match exp.pass {
        Some(true) if sum.fails > 0 => push(None, "pass", "no failures".into(), format!("{} failure(s)", sum.fails)),
        Some(false) if sum.fails == 0 => push(None, "pass", "at least one failure".into(), "none".into()),
        _ => {}
    }
    let given: Vec<&Finding> = result.findings.iter().filter(|f| f.rule == rule).collect();
    if exp.pass == Some(true) && exp.findings.is_none() {
        for f in given.iter().filter(|f| f.status == Status::Fail) {
            push(Some((f.region.clone(), f.period.clone())), "finding", "none".into(), describe(f));
        }
    }
    let Some(wanted) = &exp.findings else { return };
    let mut used = vec![false; given.len()];
    for w in wanted {
        let w = w.get_ref();
        let cell = (w.region.clone().unwrap_or_else(|| "*".into()), w.period.as_ref().map(|p| p.0.clone()).unwrap_or_else(|| "*".into()));
        let Some(k) = (0..given.len()).find(|&k| !used[k] && matches(w, given[k])) else {
            push(Some(cell), "finding", status_name(w.status).into(), "none".into());
            continue;
        };
        used[k] = true;
        let f = given[k];
        let cell = (f.region.clone(), f.period.clone());
        for (name, &want) in &w.values {
            let got = f.values.get(name).and_then(|v| v.value).or(if name == "imbalance" { f.imbalance } else { None });
            match got {
                Some(g) if (g - want).abs() <= tol * want.abs().max(1.0) => {}
                Some(g) => push(Some(cell.clone()), &format!("value {name}"), want.to_string(), g.to_string()),
                None => {
                    let names: Vec<&str> = f.values.keys().collect();
                    push(
                        Some(cell.clone()),
                        &format!("value {name}"),
                        want.to_string(),
                        format!("no such value (the finding has: {})", names.join(", ")),
                    );
                }
            }
        }
        if let Some(m) = &w.message
            && !f.message.contains(m.as_str())
        {
            push(Some(cell.clone()), "message", format!("text containing \"{m}\""), format!("\"{}\"", f.message));
        }
    }
    for (f, _) in given.iter().zip(&used).filter(|(_, u)| !**u) {
        push(Some((f.region.clone(), f.period.clone())), "finding", "none".into(), describe(f));
    }
}

/// Whether a finding is the one expected: same status, region (code or name) and period
/// where given.
fn matches(w: &ExpectedFinding, f: &Finding) -> bool {
    let status = match w.status {
        ExpectedStatus::Fail => Status::Fail,
        ExpectedStatus::Note => Status::Note,
    };
    f.status == status
        && w.region.as_ref().is_none_or(|r| *r == f.region || *r == f.region_name)
        && w.period.as_ref().is_none_or(|p| p.0 == f.period)
}

fn status_name(s: ExpectedStatus) -> &'static str {
    match s {
        ExpectedStatus::Fail => "fail",
        ExpectedStatus::Note => "note",
    }
}

/// A finding in a diff: its status, values and message.
fn describe(f: &Finding) -> String {
    let status = match f.status {
        Status::Fail => "fail",
        Status::Note => "note",
    };
    let values: Vec<String> =
        f.values.iter().map(|(k, v)| format!("{k} = {}", v.value.map(|x| x.to_string()).unwrap_or_else(|| "missing".into()))).collect();
    format!("{status} ({}): {}", values.join(", "), f.message)
}
