//! The year-end report: sections declared in `[report]`, each a minijinja template the
//! analyst can edit, filled from the data with Chinese formatting helpers; rendered as
//! Markdown, as one self-contained HTML page with inline SVG charts, or as a Word
//! document (`docx`, feature `docx`) built from the same Markdown.

pub(crate) mod bounded;
pub mod call;
pub mod chart;
pub mod data;
pub mod docx;
pub(crate) mod filters;
mod lint;
mod operators;
pub mod phrase;
pub(crate) mod ranking;
#[cfg(feature = "docx")]
pub(crate) mod raster;
mod rows;
pub mod said;
pub(crate) mod templates;
mod undefined;
mod watchdog;

use crate::finding::RunResult;
use crate::workspace::Workspace;
use data::ReportData;
use minijinja::value::Value;
use minijinja::{Environment, ErrorKind};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use yearbook_core::error::{Error, Location, Result};

/// What a report is rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown text (charts left out).
    Markdown,
    /// One self-contained HTML page with inline SVG charts.
    Html,
    /// A Word document: the Markdown's headings, paragraphs and tables, charts as PNG
    /// images (feature `docx`).
    Docx,
}

impl ReportFormat {
    /// The value of the templates' `format` variable: `md`, `html` or `docx`.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
            ReportFormat::Docx => "docx",
        }
    }

    /// The format a report file's extension asks for: .md, .html, .docx.
    pub fn from_extension(ext: &str) -> Option<ReportFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "html" | "htm" => Some(ReportFormat::Html),
            "docx" => Some(ReportFormat::Docx),
            _ => None,
        }
    }
}

/// The sections of a report without `[report] sections`.
pub const DEFAULT_SECTIONS: [&str; 4] = ["summary", "indicators", "charts", "findings"];

/// The report's sections: `[report] sections`, else [`DEFAULT_SECTIONS`].
pub fn sections(config: &yearbook_io::config::ConfigFile) -> Vec<String> {
    config
        .config
        .report
        .as_ref()
        .and_then(|r| r.sections.clone())
        .unwrap_or_else(|| DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect())
}

fn err(msg: impl Into<String>) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, msg.into())
}

fn ind<'a>(d: &'a ReportData, code: &str) -> std::result::Result<&'a data::IndicatorData, minijinja::Error> {
    d.indicators.get(code).ok_or_else(|| match d.failed.get(code) {
        // A derived indicator that failed: why, as `check` and `eval` say it.
        Some(why) => err(why.clone()),
        None => err(format!(
            "unknown indicator `{code}`{}",
            yearbook_core::suggest::did_you_mean(code, d.indicators.keys().map(String::as_str))
        )),
    })
}

/// Most decimals a template function prints (a figure keeps about 16 significant digits).
const MOST_DECIMALS: usize = 20;

/// A template function's decimals argument (`amount("gdp", 1)`): a whole number from 0 to
/// [`MOST_DECIMALS`], `default` when left out. `call` is how the error names the call
/// (`amount("gdp", 2.5)`): minijinja's own "cannot convert number to usize" named neither
/// the function nor the fix.
fn decimals(call: impl FnOnce() -> String, d: Option<Value>, default: usize) -> std::result::Result<usize, minijinja::Error> {
    let Some(v) = d.filter(|v| !v.is_none() && !v.is_undefined()) else { return Ok(default) };
    let whole = f64::try_from(v.clone()).ok().filter(|x| x.fract() == 0.0 && (0.0..=MOST_DECIMALS as f64).contains(x));
    match whole {
        Some(x) => Ok(x as usize),
        None => Err(err(format!("{}: the number of decimals must be a whole number from 0 to {MOST_DECIMALS}, not {v:?}", call()))),
    }
}

/// An indicator whose figure at the report's region a template asks for: refused where
/// its children's figures do not make one (a product without a declared roll-up).
fn figure<'a>(d: &'a ReportData, code: &str) -> std::result::Result<&'a data::IndicatorData, minijinja::Error> {
    let i = ind(d, code)?;
    match &i.not_rolled_up {
        Some(why) => Err(err(why.clone())),
        None => Ok(i),
    }
}

/// The report rules' sentences of one report, and the sections whose template placed them.
struct Said {
    sentences: Vec<said::Sentence>,
    placed: Mutex<BTreeSet<String>>,
}

/// `sentences([section])`: the report rules' paragraphs of this section (or the one
/// named); `call(name, args...)`: a scripts function's text.
fn register_rules(env: &mut Environment<'static>, said: Arc<Said>, caller: call::Caller) {
    env.add_function(
        "sentences",
        move |state: &minijinja::State, section: Option<String>| -> std::result::Result<String, minijinja::Error> {
            let section = section.unwrap_or_else(|| state.name().to_string());
            if !said.sentences.iter().any(|s| s.section == section) && section != state.name() {
                let names: BTreeSet<&str> = said.sentences.iter().map(|s| s.section.as_str()).collect();
                return Err(err(format!(
                    "no report rule says anything in section `{section}`{}",
                    yearbook_core::suggest::did_you_mean(&section, names)
                )));
            }
            if let Ok(mut placed) = said.placed.lock() {
                placed.insert(section.clone());
            }
            Ok(said::paragraphs(&said.sentences, &section))
        },
    );
    env.add_function("call", move |name: &str, args: minijinja::value::Rest<Value>| -> std::result::Result<String, minijinja::Error> {
        let args = args.iter().map(to_script).collect::<std::result::Result<Vec<_>, _>>()?;
        caller.call_text(name, args).map_err(|e| err(format!("call(\"{name}\"): {}", e.message())))
    });
}

/// A template value as a script sees it: text, a whole number, a number, true/false, or
/// `()` for none.
fn to_script(v: &Value) -> std::result::Result<rhai::Dynamic, minijinja::Error> {
    use minijinja::value::ValueKind;
    Ok(match v.kind() {
        ValueKind::Undefined | ValueKind::None => rhai::Dynamic::UNIT,
        ValueKind::Bool => rhai::Dynamic::from_bool(v.is_true()),
        ValueKind::String => rhai::Dynamic::from(v.as_str().unwrap_or_default().to_string()),
        ValueKind::Number => match i64::try_from(v.clone()) {
            Ok(i) if v.is_integer() => rhai::Dynamic::from_int(i),
            _ => rhai::Dynamic::from_float(f64::try_from(v.clone())?),
        },
        other => return Err(err(format!("call: a scripts function takes text, numbers and true/false, not {other}"))),
    })
}

fn register(env: &mut Environment<'static>, d: Arc<ReportData>, format: ReportFormat, misses: Arc<rows::Misses>) {
    // Charts are drawn for the page and for Word (as images there); Markdown has none.
    let html = format != ReportFormat::Markdown;
    let x = d.clone();
    env.add_function("value", move |code: &str| -> std::result::Result<Value, minijinja::Error> {
        Ok(figure(&x, code)?.value.filter(|v| v.is_finite()).map(Value::from).unwrap_or(Value::from(())))
    });
    let x = d.clone();
    env.add_function("amount", move |code: &str, d: Option<Value>| -> std::result::Result<String, minijinja::Error> {
        let decimals = decimals(|| format!("amount(\"{code}\", {:?})", d.clone().unwrap_or_default()), d.clone(), 2)?;
        let i = figure(&x, code)?;
        // Said in prose: a missing value is 暂无数据, never a dash inside a sentence.
        Ok(match i.value {
            Some(v) => phrase::magnitude(v, &i.unit_parsed, decimals),
            None => phrase::NO_DATA.to_string(),
        })
    });
    let x = d.clone();
    env.add_function("amount_flagged", move |code: &str, d: Option<Value>| -> std::result::Result<String, minijinja::Error> {
        let decimals = decimals(|| format!("amount_flagged(\"{code}\", {:?})", d.clone().unwrap_or_default()), d.clone(), 2)?;
        let i = figure(&x, code)?;
        let a = phrase::magnitude(i.value.unwrap_or(f64::NAN), &i.unit_parsed, decimals);
        let qualifier = i.flag.as_deref().and_then(|f| phrase::flag_words(f).0);
        Ok(match qualifier.filter(|_| i.value.is_some()) {
            Some(phrase::Qualifier::Approximate) => format!("约{a}"),
            Some(phrase::Qualifier::LowerBound) => format!("{a}以上"),
            Some(phrase::Qualifier::UpperBound) => format!("近{a}"),
            Some(phrase::Qualifier::Estimate) => format!("{a}（预计）"),
            None => a,
        })
    });
    let x = d.clone();
    env.add_function("rows", move |table: &str| -> std::result::Result<Value, minijinja::Error> {
        let t = x.tables.get(table).ok_or_else(|| {
            err(format!("unknown table `{table}`{}", yearbook_core::suggest::did_you_mean(table, x.tables.keys().map(String::as_str))))
        })?;
        let cells: Vec<Vec<Value>> = (0..t.len)
            .map(|r| {
                t.columns
                    .iter()
                    .map(|c| match &c.data {
                        yearbook_core::table::ColumnData::Number(v) if v[r].is_nan() => Value::from(()),
                        yearbook_core::table::ColumnData::Number(v) => Value::from(v[r]),
                        yearbook_core::table::ColumnData::Text(v) => Value::from(x.label_of(&c.name, &v[r]).to_string()),
                    })
                    .collect()
            })
            .collect();
        Ok(rows::value(table, t.columns.iter().map(|c| c.name.clone()).collect(), cells, &misses))
    });
    let x = d.clone();
    env.add_function("growth", move |code: &str, d: Option<Value>| -> std::result::Result<String, minijinja::Error> {
        let decimals = decimals(|| format!("growth(\"{code}\", {:?})", d.clone().unwrap_or_default()), d.clone(), 2)?;
        let i = figure(&x, code)?;
        Ok(phrase::change(&i.change(), decimals))
    });
    let x = d.clone();
    env.add_function("yoy", move |code: &str| -> std::result::Result<Value, minijinja::Error> {
        let i = figure(&x, code)?;
        // A growth the source reported is a growth in %: never given for a rate, a share
        // or an index, whose change is in points.
        let rate = phrase::is_rate(&i.unit_parsed) || i.unit_parsed.is_index() || i.unitless_rate != phrase::Unitless::No;
        let reported = i.reported_yoy.filter(|v| v.is_finite() && !rate);
        Ok(i.yoy.filter(|v| v.is_finite()).or(reported).map(Value::from).unwrap_or(Value::from(())))
    });
    let x = d.clone();
    env.add_function("label", move |code: &str| -> std::result::Result<String, minijinja::Error> { Ok(ind(&x, code)?.label.clone()) });
    let x = d.clone();
    env.add_function(
        "completion",
        move |code: &str, who: Option<String>, exceeded: Option<bool>| -> std::result::Result<String, minijinja::Error> {
            let v = ["target_completion", "completion"].iter().find_map(|ns| x.namespaced.get(&format!("{ns}.{code}")).and_then(|v| v.0));
            // The actual figure tells a target below zero (a loss limit) from a loss.
            let actual = x.indicators.get(code).and_then(|i| i.value);
            let stage = phrase::Stage::of(&x.period, 1);
            Ok(phrase::completion_at(v, actual, who.as_deref().unwrap_or("县"), exceeded.unwrap_or(false), &stage))
        },
    );
    // A missing change (`points(yoy("w"))` without a comparable year) says so, as
    // `growth()` does (it was "cannot convert none to f64").
    // With the rate's unit, its points: `points(yoy("birth"), "‰")` says 千分点.
    env.add_function("points", |x: Option<f64>, unit: Option<String>| match unit {
        Some(u) => phrase::points_in(x.unwrap_or(f64::NAN), &yearbook_core::unit::Unit::parse(&u)),
        None => phrase::points(x.unwrap_or(f64::NAN)),
    });
    env.add_function("pass_rate", |passes: f64, evaluated: f64| phrase::pass_rate(passes, evaluated));
    env.add_function("fmt", |x: Option<f64>, d: Option<Value>| -> std::result::Result<String, minijinja::Error> {
        let decimals = decimals(|| format!("fmt({:?}, {:?})", Value::from(x), d.clone().unwrap_or_default()), d.clone(), 2)?;
        Ok(x.map(|v| yearbook_core::format::round_trim_nonzero(v, decimals)).unwrap_or_else(|| yearbook_core::format::MISSING.into()))
    });
    env.add_function("grouped", |x: Option<f64>, d: Option<Value>| -> std::result::Result<String, minijinja::Error> {
        let decimals = decimals(|| format!("grouped({:?}, {:?})", Value::from(x), d.clone().unwrap_or_default()), d.clone(), 2)?;
        Ok(x.map(|v| yearbook_core::format::grouped(v, decimals)).unwrap_or_else(|| yearbook_core::format::MISSING.into()))
    });
    env.add_function("magnitude", |x: f64, unit: &str| phrase::magnitude(x, &yearbook_core::unit::Unit::parse(unit), 2));
    let x = d.clone();
    env.add_function("ranking", move |code: &str, d: Option<Value>| -> std::result::Result<String, minijinja::Error> {
        let decimals = decimals(|| format!("ranking(\"{code}\", {:?})", d.clone().unwrap_or_default()), d.clone(), 2)?;
        let i = ind(&x, code)?;
        if i.children_values.is_empty() {
            return Err(err(format!("ranking(\"{code}\"): {} has no regions under it to rank", x.region_name)));
        }
        if let Some(apart) = &i.children_apart {
            return Err(err(format!(
                "ranking(\"{code}\"): the figures of the regions under {} are of different periods ({apart}); a ranking would \
                 set one year against another: rank one period, an indicator of in_period(x, \"{}\"), or the report's period",
                x.region_name, x.period
            )));
        }
        let what = if i.unit.is_empty() { i.label.clone() } else { format!("{}({})", i.label, i.unit) };
        Ok(ranking::table(&i.children_values, &what, decimals, i.unit == "%"))
    });
    let x = d.clone();
    env.add_function("indicator_table", move |codes: Option<Vec<String>>| -> std::result::Result<String, minijinja::Error> {
        let codes: Vec<String> = match codes {
            Some(c) => c,
            None => x.order.iter().filter(|c| x.indicators.get(*c).is_some_and(|i| i.value.is_some())).cloned().collect(),
        };
        let mut s = String::from("| 指标 | 数值 | 单位 | 同比 | 在同级地区中位次 |\n|---|---:|---|---:|---:|\n");
        for c in codes {
            let i = figure(&x, &c)?;
            let g = phrase::change_short(&i.change(), 2);
            // A rank among siblings only where there are siblings: never 1/1.
            let rank = i
                .rank
                .filter(|_| i.siblings > 1)
                .map(|r| format!("{}{r}/{}", if i.rank_shared { "并列" } else { "" }, i.siblings))
                .unwrap_or_else(|| yearbook_core::format::MISSING.into());
            let (qualifier, marks) = i.flag.as_deref().map(phrase::flag_words).unwrap_or_default();
            let flag = match qualifier {
                Some(phrase::Qualifier::Estimate) => "（预计）",
                Some(phrase::Qualifier::Approximate) => "（约）",
                Some(phrase::Qualifier::LowerBound) => "（以上）",
                Some(phrase::Qualifier::UpperBound) => "（近）",
                None => "",
            };
            let flag = format!("{flag}{marks}");
            s.push_str(&format!(
                "| {} | {}{flag} | {} | {g} | {rank} |\n",
                i.label,
                i.value
                    .map(|v| {
                        let d = apart_from_siblings(v, &i.sibling_values, i.rank.is_some());
                        // 99.996% is no 100 (a completion short of its target).
                        let d = if i.unit == "%" { yearbook_core::format::decimals_off_mark(v, d, 100.0) } else { d };
                        yearbook_core::format::grouped(v, d)
                    })
                    .unwrap_or_else(|| yearbook_core::format::MISSING.into()),
                i.unit
            ));
        }
        Ok(s)
    });
    let x = d.clone();
    env.add_function("trend_chart", move |codes: Vec<String>, title: Option<String>| -> std::result::Result<String, minijinja::Error> {
        if !html {
            return Ok(String::new());
        }
        let mut series = Vec::new();
        let mut unit = String::new();
        for c in &codes {
            let i = figure(&x, c)?;
            unit = i.unit.clone();
            series.push((i.label.clone(), i.trend.iter().map(|v| v.unwrap_or(f64::NAN)).collect()));
        }
        Ok(chart::trend(&title.unwrap_or_else(|| format!("{}趋势", x.region_name)), &unit, &x.periods, &series))
    });
    let x = d.clone();
    env.add_function("bar_chart", move |code: &str, title: Option<String>| -> std::result::Result<String, minijinja::Error> {
        if !html {
            return Ok(String::new());
        }
        let i = figure(&x, code)?;
        // A comparison needs someone to compare with: no single-bar chart.
        if i.sibling_values.len() < 2 {
            return Ok(String::new());
        }
        if let Some(apart) = &i.siblings_apart {
            return Err(err(format!(
                "bar_chart(\"{code}\"): the figures of {}'s neighbours are of different periods ({apart}); bars would set one \
                 year against another: chart one period, an indicator of in_period(x, \"{}\")",
                x.region_name, x.period
            )));
        }
        Ok(chart::bars(&title.unwrap_or_else(|| format!("{}{}：同级地区比较", i.label, x.period)), &i.unit, &i.sibling_values, true))
    });
    let x = d.clone();
    env.add_function(
        "share_chart",
        move |table: &str, key: &str, column: &str, title: Option<String>| -> std::result::Result<String, minijinja::Error> {
            if !html {
                return Ok(String::new());
            }
            let t = x.tables.get(table).ok_or_else(|| err(format!("unknown table `{table}`")))?;
            let vals = t.numbers(column).map_err(|e| err(e.message))?;
            let items: Vec<(String, f64)> = t
                .groups(key)
                .map_err(|e| err(e.message))?
                .into_iter()
                .map(|(k, rows)| (x.label_of(key, &k).to_string(), rows.iter().map(|&r| vals[r]).filter(|v| v.is_finite()).sum()))
                .collect();
            Ok(chart::shares(&title.unwrap_or_else(|| format!("{table}: {column} by {key}")), "", &items))
        },
    );
}

/// A report's sections rendered to Markdown, before it is made a file of some format.
pub struct Composed {
    /// The report's title.
    pub title: String,
    /// The sections, in order, as Markdown (with inline SVG charts unless Markdown).
    pub markdown: String,
    /// 制表单位 / 数据来源 / 生成日期 lines, as printed at the end.
    pub colophon: Vec<String>,
}

/// The decimals (2 or more, at most 10) that print `v` unlike every sibling's figure of
/// another place, where it is `ranked`: 2.004 and 2.001万元 placed 1/3 and 2/3 printed 2
/// and 2.
fn apart_from_siblings(v: f64, siblings: &[(String, f64)], ranked: bool) -> usize {
    let key = yearbook_core::kernel::arith::tie_key;
    let others: Vec<f64> = siblings.iter().map(|(_, x)| *x).filter(|x| ranked && key(*x) != key(v)).collect();
    let print = |x: f64, d: usize| yearbook_core::format::grouped(x, d);
    (2..=10).find(|&d| others.iter().all(|&x| print(x, d) != print(v, d))).unwrap_or(2)
}

/// Renders the report for one region and period as text: Markdown or the HTML page. A
/// Word document is bytes: [`render_bytes`].
pub fn render(ws: &Workspace, run: RunResult, region: Option<&str>, period: Option<&str>, format: ReportFormat) -> Result<String> {
    let c = compose(ws, run, region, period, format)?;
    Ok(match format {
        ReportFormat::Markdown => {
            let mut md = c.markdown;
            if !c.colophon.is_empty() {
                md.push_str(&format!("{}\n", c.colophon.join("　")));
            }
            md
        }
        ReportFormat::Html => {
            let mut md = c.markdown;
            if !c.colophon.is_empty() {
                md.push_str(&format!("<p class=\"colophon\">{}</p>\n", c.colophon.join("　").replace('<', "&lt;")));
            }
            html_page(&c.title, &md)
        }
        ReportFormat::Docx => {
            return Err(Error::usage("a .docx report is binary: render it with report::render_bytes"));
        }
    })
}

/// Renders the report for one region and period as the bytes of its file: Markdown and
/// HTML as UTF-8, a Word document as its zip package.
pub fn render_bytes(ws: &Workspace, run: RunResult, region: Option<&str>, period: Option<&str>, format: ReportFormat) -> Result<Vec<u8>> {
    if format != ReportFormat::Docx {
        return render(ws, run, region, period, format).map(String::into_bytes);
    }
    if !docx::AVAILABLE {
        return Err(docx::unavailable());
    }
    let c = compose(ws, run, region, period, format)?;
    docx::document(&c)
}

/// The region and period (index) a report is about: asked for, else the config's
/// `workspace.region` / `workspace.period`, else the top of the region tree when it has
/// one top / the latest period.
pub fn place(ws: &Workspace, region: Option<&str>, period: Option<&str>) -> Result<(u32, usize)> {
    let w = &ws.config.config.workspace;
    let regions = ws.panel().regions();
    let tops: Vec<usize> = (0..regions.len()).filter(|&i| regions.parent[i] == yearbook_core::region::NONE).collect();
    let region = region
        .map(String::from)
        .or_else(|| w.region.as_ref().map(|r| r.get_ref().clone()))
        .or_else(|| (tops.len() == 1).then(|| regions.codes[tops[0]].clone()))
        .ok_or_else(|| {
            Error::usage(format!(
                "which region is the report about? the tree has {} top regions: give --region or set workspace.region",
                tops.len()
            ))
        })?;
    let r = regions.find(&region).map_err(Error::usage)?;
    let period = period.map(String::from).or_else(|| w.period.as_ref().map(|p| p.get_ref().clone())).unwrap_or_else(|| "latest".into());
    // "latest": the last period with reported facts, not a month only targets reach.
    let p = match (period.as_str(), ws.panel().latest()) {
        ("latest", Some(p)) => p,
        _ => yearbook_script::definitions::period_index_in(ws.panel(), &period).map_err(Error::usage)?,
    };
    Ok((r, p))
}

/// Renders the sections of the report (Markdown) and its colophon lines.
pub fn compose(ws: &Workspace, run: RunResult, region: Option<&str>, period: Option<&str>, format: ReportFormat) -> Result<Composed> {
    let cfg = ws.config.config.report.clone().unwrap_or_default();
    let w = &ws.config.config.workspace;
    let period = period.map(String::from).or_else(|| run.period.clone());
    let (r, p) = place(ws, region, period.as_deref())?;
    // Its rules' ranks place regions as its ranking() and indicator table do.
    // As of its period: a 2022 report's sums across periods stop at 2022.
    let scoped = ws.for_report_on(r).as_of(Some(p));
    let ws = &scoped;
    let period = ws.panel().periods().get(p).to_string();
    let title = cfg.title.clone().or_else(|| w.name.clone()).unwrap_or_else(|| format!("{} {}", ws.panel().regions().label(r), period));
    let data = Arc::new(ReportData::gather(ws, run, r, p, title));
    let dir: PathBuf = ws.config.dir().join(cfg.templates.as_deref().unwrap_or("report"));
    let sections = self::sections(&ws.config);
    let mut env = Environment::new();
    filters::install(&mut env);
    let limits = &ws.config.config.limits;
    let fuel = Fuel::of(limits);
    env.set_fuel(Some(fuel.steps));
    // A name the template misspells is refused, naming it, rather than printed empty.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
    env.set_debug(true);
    let misses = Arc::new(rows::Misses::default());
    register(&mut env, data.clone(), format, misses.clone());
    let said = Arc::new(Said { sentences: said::sentences(ws, r, p, None)?, placed: Mutex::new(BTreeSet::new()) });
    register_rules(&mut env, said.clone(), call::Caller::new(ws));
    let ctx = minijinja::context! {
        title => data.title.clone(),
        region => data.region.clone(),
        region_name => data.region_name.clone(),
        period => data.period.clone(),
        period_cn => ws.panel().periods().get(p).chinese(),
        format => format.name(),
        indicators => Value::from(minijinja::value::Serde(&data.indicators)),
        rules => Value::from(minijinja::value::Serde(&data.run.rules)),
        findings => Value::from(minijinja::value::Serde(&data.run.findings)),
        changes => Value::from(minijinja::value::Serde(&data.run.comparison)),
    };
    let mut md = String::new();
    for name in &sections {
        let path = dir.join(format!("{name}.md"));
        let (source, label) = if path.is_file() {
            (std::fs::read_to_string(&path).map_err(|e| Error::io(path.display().to_string(), e))?, path.display().to_string())
        } else if let Some(t) = templates::builtin(name) {
            (t.to_string(), format!("<built-in {name}.md>"))
        } else if ws.program.report_rules.iter().any(|r| r.section == *name) {
            // A section only report rules fill: its name as the heading, left out when
            // no rule says anything.
            if !said.sentences.iter().any(|s| s.section == *name) {
                continue;
            }
            (format!("## {name}\n\n{{{{ sentences() }}}}\n"), format!("<report rules of {name}>"))
        } else {
            return Err(Error::usage(format!(
                "report section `{name}`: no {} and no built-in section of that name (built-in: {})",
                path.display(),
                templates::NAMES.join(", ")
            )));
        };
        lint::check(&source, &label)?;
        lint::check_label_codes(&source, &label, &data.labels)?;
        let permille: Vec<&str> = data
            .indicators
            .iter()
            .filter(|(_, i)| i.unit_parsed.scale == 0.001 && phrase::is_rate(&i.unit_parsed))
            .map(|(c, _)| c.as_str())
            .collect();
        lint::check_points_of_permille(&source, &label, &permille)?;
        let source = operators::rewrite(&source, &label);
        env.add_template_owned(name.clone(), source.clone()).map_err(|e| template_error(&label, &e, &fuel, &data))?;
        let tmpl = env.get_template(name).map_err(|e| template_error(&label, &e, &fuel, &data))?;
        let mut out = bounded::Output::new(limits.max_report_bytes.saturating_sub(md.len()), limits.timeout_ms);
        // What minijinja does inside one step (a list doubled in a loop) neither its fuel
        // nor the sink sees: the watchdog stops it past the time or memory limit.
        let watch = watchdog::Watch::start(&label, limits.timeout_ms, yearbook_core::memory::budget_mb(limits.max_memory_mb) << 20);
        let res = tmpl.render_captured_to(&ctx, &mut out).map(|_| ());
        drop(watch);
        // A column a table lacks, asked for while rendering, is said before whatever else
        // it made go wrong (a sum of empty cells).
        if let Some(m) = misses.take() {
            return Err(Error::data(Location::new(&label, rows::line_of(&source, &m.column), None), m.message));
        }
        let text = out.finish(res).map_err(|e| match e {
            bounded::Stop::Template(e) => template_error(&label, &e, &fuel, &data),
            bounded::Stop::Limit(line, why) => {
                Error::data(Location::new(&label, line.unwrap_or(1), None), format!("report template: {why}"))
            }
        })?;
        // Sentences a section's template did not place close the section.
        let placed = said.placed.lock().map(|p| p.contains(name)).unwrap_or(false);
        let unplaced = said::paragraphs(&said.sentences, name);
        // A section with nothing to say (与上次核查相比 on a first run) is left out.
        if text.trim().is_empty() && (placed || unplaced.is_empty()) {
            continue;
        }
        md.push_str(text.trim_end());
        md.push_str("\n\n");
        if !placed && !unplaced.is_empty() {
            md.push_str(&unplaced);
            md.push_str("\n\n");
        }
    }
    // A derived indicator that could not be computed is left out of every table: said in
    // the report itself, never a row silently missing.
    if !data.failed.is_empty() {
        let listed: Vec<String> =
            data.failed.iter().map(|(code, why)| format!("`{code}`（{}）", why.lines().next().unwrap_or_default())).collect();
        md.push_str(&format!("> 注：以下指标未能计算，未列入本报告：{}\n\n", listed.join("；")));
    }
    // 制表单位 / 数据来源 / 生成日期, as printed tables end.
    let date = cfg.date.as_deref().map(|d| if d == "today" { today() } else { d.to_string() });
    let colophon: Vec<String> = [("制表单位", cfg.prepared_by.clone()), ("数据来源", cfg.source.clone()), ("生成日期", date)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}：{v}")))
        .collect();
    Ok(Composed { title: data.title.clone(), markdown: md, colophon })
}

/// Bytes of text a template makes per step of minijinja's fuel (its `UNITS_PER_FUEL`:
/// every string an operator, filter or `set` makes is charged, checked before a string
/// of known size is built).
const TEXT_BYTES_PER_STEP: u64 = 64;

/// A section's fuel: `limits.max_template_operations` steps, and no more steps than
/// half the memory budget in text, so a string doubled in a loop stops before it fills
/// memory (the text a section makes, freed or not, is at most `steps * 64` bytes).
struct Fuel {
    steps: u64,
    /// The memory budget in megabytes, where half of it in text is the tighter bound.
    memory_mb: Option<u64>,
}

impl Fuel {
    fn of(limits: &yearbook_io::config::Limits) -> Fuel {
        let memory_mb = yearbook_core::memory::budget_mb(limits.max_memory_mb);
        let by_memory = ((memory_mb / 2) << 20) / TEXT_BYTES_PER_STEP;
        if memory_mb > 0 && by_memory < limits.max_template_operations {
            Fuel { steps: by_memory, memory_mb: Some(memory_mb) }
        } else {
            Fuel { steps: limits.max_template_operations, memory_mb: None }
        }
    }

    /// Why a section that ran out of fuel stopped, and the limit's kind.
    fn stopped(&self) -> (yearbook_core::error::ErrorKind, String) {
        use yearbook_core::error::ErrorKind as K;
        match self.memory_mb {
            None => (
                K::OperationLimit,
                "report template: stopped: it ran more than limits.max_template_operations steps; is a loop too large?".into(),
            ),
            Some(mb) => (
                K::MemoryLimit,
                format!(
                    "report template: stopped: it made more than {} MB of text, half of the memory budget of {mb} MB (limits.max_memory_mb), \
                     or ran more than {} steps; is a loop too large, or a string doubled in a loop?",
                    mb / 2,
                    self.steps
                ),
            ),
        }
    }
}

fn template_error(label: &str, e: &minijinja::Error, fuel: &Fuel, data: &ReportData) -> Error {
    let line = e.line().unwrap_or(1);
    if e.kind() == ErrorKind::OutOfFuel {
        let (kind, msg) = fuel.stopped();
        return Error::new(kind, msg).at(Location::new(label, line, None));
    }
    let mut msg = e.detail().map(|d| undefined::with_hint(d, &data.indicators)).unwrap_or_else(|| e.kind().to_string());
    if let Some(src) = std::error::Error::source(e) {
        msg = format!("{msg}: {src}");
    }
    Error::data(Location::new(label, line, None), format!("report template: {msg}"))
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328;background:#f6f8fa;margin:0}\
main{max-width:860px;margin:24px auto;background:#fff;padding:32px 48px;border:1px solid #d0d7de;border-radius:6px;line-height:1.8}\
h1{text-align:center;font-size:26px}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}\
table{border-collapse:collapse;margin:12px 0;font-size:14px}th,td{border:1px solid #d0d7de;padding:4px 10px}th{background:#f6f8fa}\
svg.chart{display:block;margin:16px auto;max-width:100%;height:auto;border:1px solid #eaeef2}\
.sev-error{color:#b42318;font-weight:bold}.sev-warning{color:#b54708;font-style:italic}.sev-info{color:#175cd3}\
p.colophon{margin-top:40px;font-size:13px;color:#57606a;text-align:right}\
@page{size:A4;margin:20mm 18mm 22mm;@bottom-center{content:counter(page) \" / \" counter(pages);font-size:10pt}}\
@media print{body{background:#fff;font-size:10.5pt}main{border:none;margin:0;padding:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}";

/// One self-contained page: inline CSS, the Markdown rendered, SVG charts inline.
pub fn html_page(title: &str, md: &str) -> String {
    let mut body = String::new();
    let parser = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES);
    pulldown_cmark::html::push_html(&mut body, parser);
    let t = title.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

/// Today's date as 2026年11月30日 (UTC), for `date = "today"`.
fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0) as i64;
    let (y, m, d) = yearbook_history::civil_date(days);
    format!("{y}年{m}月{d}日")
}
