//! The workspace configuration (`yearbook.toml`): where data lives, levels, limits,
//! and the indicators and rules defined on top of the data.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;
use yearbook_core::error::{Error, Location, Result};

/// The whole `yearbook.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[workspace]`: name, levels, frequency, default period and region.
    #[serde(default)]
    pub workspace: WorkspaceSection,
    /// `[data]`: the files to load.
    pub data: DataSection,
    /// `[limits]`: what every evaluation may use.
    #[serde(default)]
    pub limits: Limits,
    /// Custom indicators: id -> definition.
    #[serde(default)]
    pub indicators: BTreeMap<String, Spanned<IndicatorDef>>,
    /// Rules (checks): id -> definition.
    #[serde(default)]
    pub rules: BTreeMap<String, Spanned<RuleDef>>,
    /// Rhai files under the scripts folder whose functions every script may call.
    #[serde(default)]
    pub scripts: Vec<Spanned<String>>,
    /// The year-end report (docs/report.md).
    #[serde(default)]
    pub report: Option<ReportSection>,
    /// `[history]`: where runs are recorded, and the explanations file.
    #[serde(default)]
    pub history: HistorySection,
}

/// `[history]` (docs/scheduling.md): the run history and the explanations of findings.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct HistorySection {
    /// The history database, relative to the config (default: `<out>.history.sqlite`
    /// beside the output folder of `yearbook run --out <out>`).
    pub path: Option<Spanned<String>>,
    /// The explanations file (CSV: rule, region, period, explanation, by, date), relative
    /// to the config (default `explanations.csv`, used when it exists).
    pub explanations: Option<Spanned<String>>,
    /// The most fact cells a run records (default 1,000,000): a run loading more records
    /// its findings and counts but not its figures, which keeps a history of a large
    /// panel small and quick; `diff` then says the figures were not recorded.
    pub max_fact_cells: Option<usize>,
}

/// `[report]`: parsed with the rest of the config, so a bad key names its line.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// The report's title (default: the workspace name).
    pub title: Option<String>,
    /// Folder of section templates, relative to the config (default `report`).
    pub templates: Option<String>,
    /// Section names in order; `<templates>/<name>.md`, else a built-in section.
    pub sections: Option<Vec<String>>,
    /// 制表单位: who prepared the report (printed at its end).
    pub prepared_by: Option<String>,
    /// 数据来源: where the figures come from (printed at its end).
    pub source: Option<String>,
    /// 生成日期: a date as text, or "today" (printed at its end).
    pub date: Option<String>,
    /// Value labels: column -> code -> what the report prints
    /// (`[report.labels.category] road = "道路"`).
    #[serde(default)]
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Report rules: which sentences the report says, decided by the figures
    /// (`[report.rules.<id>]`, docs/report.md).
    #[serde(default)]
    pub rules: BTreeMap<String, Spanned<ReportRuleDef>>,
}

/// `[report.rules.<id>]`: a sentence the report says for every region and period where a
/// mask holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRuleDef {
    /// A Rhai expression giving a mask over regions x periods: a sentence where it is true.
    pub when: Option<String>,
    /// The sentence: `{region}`, `{period}`, `{name}` and `{name:how}` placeholders,
    /// `{function(name, ...)}` calls to a scripts function.
    pub say: Option<String>,
    /// The report section that collects the sentence (an entry of `[report] sections`).
    pub section: Option<String>,
    /// An expression whose value orders the rule's sentences, largest first (`-x`: smallest first).
    pub order: Option<String>,
    /// Where the rule's paragraph goes among the section's rules: smaller first (default 0; then by id).
    pub priority: Option<i64>,
    /// At most this many sentences (after ordering).
    pub max: Option<usize>,
    /// Extra named values for the sentence: name -> expression.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Only regions of these levels.
    pub levels: Option<Vec<String>>,
    /// Only these periods.
    pub periods: Option<Vec<String>>,
    /// Wall time for this rule, milliseconds (default: limits.timeout_ms).
    pub timeout_ms: Option<u64>,
}

/// `[workspace]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSection {
    /// The workspace's name (大云镇2008年终工作总结).
    pub name: Option<String>,
    /// Region levels, top first.
    pub levels: Option<Vec<String>>,
    /// year, quarter or month; inferred from the data when absent.
    pub frequency: Option<Spanned<String>>,
    /// The period a run reports on by default (the latest with data when absent).
    pub period: Option<Spanned<String>>,
    /// The region a report is about by default.
    pub region: Option<Spanned<String>>,
    /// Folder of rule tests (`yearbook test`), relative to the config (default `tests`).
    pub tests: Option<Spanned<String>>,
    /// 时间进度: cumulative percent of the year's task due by the end of each quarter
    /// (`[20, 45, 75, 100]`) or month (12 values); default: the share of the year elapsed.
    pub schedule: Option<Spanned<Vec<f64>>>,
}

/// `[data]`: regions, indicators, facts and record tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSection {
    /// Folder the data paths are relative to (default: the config file's folder).
    pub dir: Option<Spanned<String>>,
    /// regions.csv: code, name, level, parent.
    pub regions: Spanned<Source>,
    /// indicators.csv: code, label, unit, kind, rollup, note.
    pub indicators: Spanned<Source>,
    /// `[[data.facts]]`: files of facts (long or wide).
    #[serde(default)]
    pub facts: Vec<Spanned<Source>>,
    /// `[data.tables]`: record tables by name.
    #[serde(default)]
    pub tables: BTreeMap<String, Spanned<Source>>,
}

/// A data file: either a path, or a table with options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// The path, relative to the config (or --data).
    pub file: Spanned<String>,
    /// `utf-8` (default, BOM allowed) or `gbk` (files saved by Excel on Chinese Windows).
    pub encoding: Option<Spanned<String>>,
    /// Sheet of an .xlsx file (default: the first); for facts, a pattern (`20*年`) reads every match.
    pub sheet: Option<String>,
    /// Role -> column header, for files whose headers differ from the defaults.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Facts only: load indicators as `namespace.code` (e.g. reported growth, targets).
    pub namespace: Option<String>,
    /// Facts: the file's unit of an amount (亿元), converted into each indicator's own
    /// (units under the header stay the file's); under a namespace also a unit of figures
    /// of another kind (a growth in %), which the namespace's indicators then hold
    /// (default: the indicator's own unit).
    pub unit: Option<String>,
    /// `"config"`: the path is relative to the config file even when `--data` or
    /// `data.dir` moves the data folder (metadata kept with the config).
    pub base: Option<String>,
    /// The row (1-based, as Excel or an editor numbers it) that holds the header; found
    /// automatically below title and unit rows when absent.
    pub header_row: Option<Spanned<usize>>,
    /// Facts only: the file holds cumulative (累计, year-to-date) figures; `2020年1-3月`
    /// reads as 2020-03 and the facts load under `namespace` (default `cumulative`).
    /// `Some(false)` says a value column headed 累计 (本年累计, 累计值) holds single-month
    /// figures all the same; absent, such a column on a monthly or quarterly panel is
    /// refused (see [`FileSpec::is_cumulative`]).
    #[serde(default)]
    pub cumulative: Option<bool>,
    /// Facts only: the year of periods written without one (`1-3月`, `一季度`).
    pub year: Option<i32>,
    /// Facts only: yearly figures (annual targets, plans) on a monthly or quarterly
    /// panel: each value holds in every month (quarter) of its year, so that
    /// `completion(cumulate(x), target.x)` reads the year's target in each month. Needs
    /// `[workspace] frequency`.
    #[serde(default)]
    pub annual: bool,
    /// Column -> `text` or `number`: declared column types (record tables).
    #[serde(default)]
    pub types: BTreeMap<String, Spanned<String>>,
    /// Facts only: a wide table whose columns are `indicators`, `periods` or `regions`.
    pub columns_are: Option<Spanned<String>>,
    /// Facts only: the one region of a file without a region column.
    pub region: Option<String>,
    /// Facts only: the one period of a file without a period column.
    pub period: Option<String>,
    /// Facts only: the one indicator of a file without an indicator column.
    pub indicator: Option<String>,
}

impl FileSpec {
    /// A long CSV file (`region,period,indicator,value`) at `path`, its facts loaded under
    /// `namespace` in `unit` when given (a rule test's facts).
    pub fn long_csv(path: &Path, namespace: Option<String>, unit: Option<String>) -> FileSpec {
        FileSpec { namespace, unit, ..FileSpec::at_path(Spanned::new(0..0, path.display().to_string())) }
    }
    /// Whether the file holds 累计 (1-N月累计) figures: `cumulative = true`.
    pub fn is_cumulative(&self) -> bool {
        self.cumulative == Some(true)
    }
    /// A file given only by its path: every option at its default.
    pub fn at_path(file: Spanned<String>) -> FileSpec {
        FileSpec {
            file,
            encoding: None,
            sheet: None,
            columns: BTreeMap::new(),
            namespace: None,
            unit: None,
            base: None,
            header_row: None,
            cumulative: None,
            year: None,
            annual: false,
            types: BTreeMap::new(),
            columns_are: None,
            region: None,
            period: None,
            indicator: None,
        }
    }
}

/// A data file as the config gives it: a path (`"facts.csv"`) or a table with options.
#[derive(Debug, Clone)]
pub struct Source(pub FileSpec);

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Source;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a file path or a table with `file = \"...\"`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<Source, E> {
                Ok(Source(FileSpec::at_path(Spanned::new(0..0, s.to_string()))))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> std::result::Result<Source, A::Error> {
                FileSpec::deserialize(serde::de::value::MapAccessDeserializer::new(m)).map(Source)
            }
        }
        d.deserialize_any(V)
    }
}

/// The deepest `limits.max_call_depth` accepted: with derived indicators nested up to
/// `derived::MAX_NESTING` deep, this many calls each fit the 256 MiB evaluation stack.
pub const MAX_CALL_DEPTH: usize = 100;
/// The deepest `limits.max_expr_depth` accepted.
pub const MAX_EXPR_DEPTH: usize = 256;

/// Script limits, per indicator or rule evaluation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Script operations per evaluation (0: no limit).
    pub max_operations: u64,
    /// Function calls nested at most this deep.
    pub max_call_depth: usize,
    /// Expressions nested at most this deep.
    pub max_expr_depth: usize,
    /// Characters in one string.
    pub max_string_size: usize,
    /// Elements in one array.
    pub max_array_size: usize,
    /// Entries in one object map.
    pub max_map_size: usize,
    /// Wall time per evaluation, milliseconds.
    pub timeout_ms: u64,
    /// The most cells (periods x regions x indicators with facts) the dense panel may hold;
    /// 8 bytes each. A larger panel is refused at the fact that asks for it.
    pub max_panel_cells: usize,
    /// Report templates: the most steps (minijinja fuel) per section.
    pub max_template_operations: u64,
    /// Report templates: the most bytes of a report.
    pub max_report_bytes: usize,
    /// Resident memory an evaluation may reach, megabytes (0: half of the machine's).
    pub max_memory_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 50_000_000,
            max_call_depth: 48,
            max_expr_depth: 96,
            max_string_size: 1 << 20,
            max_array_size: 1 << 20,
            max_map_size: 1 << 16,
            timeout_ms: 10_000,
            max_panel_cells: 200_000_000,
            max_template_operations: 20_000_000,
            max_report_bytes: 64 << 20,
            max_memory_mb: 0,
        }
    }
}

/// `[indicators.<id>]`: a derived indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// The label reports print (default: the id).
    pub label: Option<String>,
    /// Unit the result is converted to (checked against the expression's unit).
    pub unit: Option<String>,
    /// A Rhai expression over indicators.
    pub expr: Option<String>,
    /// Or a function defined in one of the `scripts` files, called with no arguments.
    pub function: Option<String>,
    /// A note (definition, source).
    pub note: Option<String>,
    /// How the indicator rolls up the region tree: `sum`, `mean`, `weighted_mean(x)` or
    /// `none` (default: from its expression: sums of sums add up, ratios are recomputed,
    /// anything else does not roll up).
    pub rollup: Option<String>,
    /// Wall time for this indicator, milliseconds (default: limits.timeout_ms).
    pub timeout_ms: Option<u64>,
}

/// `[rules.<id>]`: a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// error (default), warning or info.
    pub severity: Option<String>,
    /// A Rhai expression giving a mask (true = pass) or a built-in check.
    pub check: Option<String>,
    /// Or a function from a `scripts` file, called with no arguments.
    pub function: Option<String>,
    /// Message for each finding; `{name}` placeholders (see docs/rules.md).
    pub message: Option<String>,
    /// What the rule checks, in words (printed in reports and messages).
    pub description: Option<String>,
    /// Extra named values for the message: name -> expression.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Only regions of these levels.
    pub levels: Option<Vec<String>>,
    /// Only these periods.
    pub periods: Option<Vec<String>>,
    /// skip_any (default), skip_all or zero.
    pub missing: Option<String>,
    /// Wall time for this rule, milliseconds (default: limits.timeout_ms).
    pub timeout_ms: Option<u64>,
    /// A hard rule (强制性审核) must be fixed; a soft one (核实性审核) may be explained
    /// (the explanations file). Default: hard for errors, soft for warnings and notes.
    pub hard: Option<bool>,
}

/// A loaded config: the parsed file plus where it came from.
#[derive(Debug)]
pub struct ConfigFile {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its text (for positions in messages).
    pub text: String,
    /// The parsed config.
    pub config: Config,
    /// Script texts that stand in for the files of `scripts` (an editor's unsaved
    /// buffers), by the path the config resolves them to (`dir().join(entry)`).
    pub script_texts: BTreeMap<PathBuf, String>,
}

/// Parses `text` (the TOML file at `path`) into `T`; a syntax error or unknown key is
/// placed at its file:line:column, with the closest known key suggested.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        let msg = e.message().trim().to_string();
        Error::config(Location::new(path.display().to_string(), line, Some(col)), improve(&msg))
    })
}

impl ConfigFile {
    /// Reads and parses `path`; errors name the file, line and column. A folder stands
    /// for its `yearbook.toml`; a folder without one is an error that says so.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        if path.is_dir() {
            let inside = path.join("yearbook.toml");
            if !inside.is_file() {
                return Err(Error::usage(format!(
                    "{} is a folder with no yearbook.toml in it: give the config file itself (-c {}/<name>.toml)",
                    path.display(),
                    path.display()
                )));
            }
            return Self::load(&inside);
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path.display().to_string(), e))?;
        Self::parse(path, text)
    }

    /// Parses `text` as the config at `path`; unknown keys are refused with the closest known one.
    pub fn parse(path: &Path, text: String) -> Result<ConfigFile> {
        let config: Config = parse_toml(path, &text)?;
        let cf = ConfigFile { path: path.to_path_buf(), text, config, script_texts: BTreeMap::new() };
        cf.check_depths()?;
        Ok(cf)
    }

    /// Refuses depth limits the evaluation stack cannot hold (Rhai recurses natively).
    fn check_depths(&self) -> Result<()> {
        let l = &self.config.limits;
        for (key, value, max) in
            [("max_call_depth", l.max_call_depth, MAX_CALL_DEPTH), ("max_expr_depth", l.max_expr_depth, MAX_EXPR_DEPTH)]
        {
            let message = if value == 0 {
                // Rhai reads 0 as "no limit"; the evaluation stack has one.
                format!("{key} = 0 would remove the limit, and the evaluation stack has one: give 1 to {max}")
            } else if value > max {
                format!("{key} = {value} is deeper than the evaluation stack holds: at most {max}")
            } else {
                continue;
            };
            let line = self.text.lines().position(|t| t.trim_start().starts_with(key)).map(|i| i + 1).unwrap_or(1);
            return Err(Error::config(Location::new(self.path.display().to_string(), line, None), message));
        }
        // Sizes the engine reads 0 of as "no limit" (a string doubled 31 times then asked
        // for 3 GB and aborted the process), and a time limit of 0 that stops every
        // evaluation at once.
        let sizes = [
            ("max_string_size", l.max_string_size as u64, "characters in one string", Limits::default().max_string_size as u64),
            ("max_array_size", l.max_array_size as u64, "items in one array", Limits::default().max_array_size as u64),
            ("max_map_size", l.max_map_size as u64, "entries in one map", Limits::default().max_map_size as u64),
            ("timeout_ms", l.timeout_ms, "milliseconds an evaluation may take", Limits::default().timeout_ms),
        ];
        for (key, value, what, default) in sizes {
            if value == 0 {
                let line = self.text.lines().position(|t| t.trim_start().starts_with(key)).map(|i| i + 1).unwrap_or(1);
                let why = if key == "timeout_ms" { "would stop every evaluation at once" } else { "would remove the limit" };
                return Err(Error::config(
                    Location::new(self.path.display().to_string(), line, None),
                    format!("{key} = 0 {why}: give the most {what} (the default is {default})"),
                ));
            }
        }
        Ok(())
    }

    /// Location of a span (byte range) in the config text.
    pub fn at(&self, span: std::ops::Range<usize>) -> Location {
        let (line, col) = line_col(&self.text, span.start);
        Location::new(self.path.display().to_string(), line, Some(col))
    }

    /// Replaces the `[[data.facts]]` entries with `facts` (regions, indicator metadata,
    /// tables, indicators and rules stay): a rule test's small fact tables. Their paths
    /// resolve as the config's do (an absolute path stays as it is).
    pub fn replace_facts(&mut self, facts: Vec<FileSpec>) {
        self.config.data.facts = facts.into_iter().map(|f| Spanned::new(0..0, Source(f))).collect();
    }

    /// The text of the script file at `path`: the one given in `script_texts`, else
    /// the file's. Errors: the file cannot be read.
    pub fn read_script(&self, path: &Path) -> std::io::Result<String> {
        match self.script_texts.get(path) {
            Some(text) => Ok(text.clone()),
            // Not a pipe or a device (/dev/stdin would wait for input forever).
            None if !std::fs::metadata(path)?.is_file() => Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file")),
            None => std::fs::read_to_string(path),
        }
    }

    /// Folder of the config file.
    pub fn dir(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// serde's "unknown field `x`, expected one of ..." is already good; add a hint for typos.
fn improve(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once("`, expected ")
    {
        let names: Vec<&str> =
            expected.split(['`', ',', ' ']).filter(|s| !s.is_empty() && *s != "one" && *s != "of" && *s != "or").collect();
        let hint = yearbook_core::suggest::did_you_mean(name, names.iter().copied());
        return format!("unknown key `{name}`{hint} (expected {expected})");
    }
    msg.to_string()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}
