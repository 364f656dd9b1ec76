//! Writing run outputs: every file of a run (findings, summaries, report) is rendered
//! first, so a bad format, report setting or runaway template changes nothing; then the
//! set is swapped in whole (`outset`). Single files are written atomically (temp file +
//! rename), with the modes the umask gives. Same inputs, same bytes.

use crate::finding::{RunResult, Status};
use crate::outset::Content;
use std::io::Write;
use std::path::{Path, PathBuf};
use yearbook_core::error::{Error, Result};

/// Writes `bytes` to `path` atomically (temp file + fsync + rename). The file gets the
/// mode any new file gets (0666 less the umask), not a temp file's 0600. A symbolic link
/// is written through (its file replaced, the link kept); one that leads nowhere is an
/// error.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    // A link (`-o published/report.md` pointing at a shared file): the file it points to
    // is written and the link stays, as `--out` does with a link to a folder; the rename
    // would replace the link itself. A link to nothing is an error.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        // Where it points, beside the link when relative; a file not there yet is made
        // where its folder is.
        let pointed = std::fs::read_link(path).map_err(|e| Error::io(path.display().to_string(), e))?;
        let pointed = if pointed.is_relative() { path.parent().unwrap_or(Path::new(".")).join(pointed) } else { pointed };
        let target = std::fs::canonicalize(&pointed)
            .or_else(|e| match (pointed.parent().map(std::fs::canonicalize), pointed.file_name()) {
                (Some(Ok(folder)), Some(name)) if folder.is_dir() => Ok(folder.join(name)),
                _ => Err(e),
            })
            .map_err(|e| {
                Error::usage(format!(
                    "{}: a link to {}, which cannot be reached ({e}): create the folder it points to, or give a file",
                    path.display(),
                    pointed.display()
                ))
            })?;
        if target.is_dir() {
            return Err(Error::usage(format!("{}: a link to the folder {}: give a file", path.display(), target.display())));
        }
        return atomic_write(&target, bytes);
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let io = |e: std::io::Error| Error::io(path.display().to_string(), e);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".yearbook-{}-{name}.tmp", std::process::id()));
    let res = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res.map_err(io)
}

/// findings.json: the whole run result, pretty-printed, written as it is serialized
/// (a run with a million findings is never held as one string).
pub fn write_findings_json(r: &RunResult, w: &mut dyn Write) -> std::io::Result<()> {
    // serde_json writes token by token (a quote, a key, a colon): gathered here before
    // they reach `w` through its dynamic calls (18 MB for the 40,000-town benchmark).
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, r).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// findings.json as a string (see `write_findings_json`).
pub fn findings_json(r: &RunResult) -> String {
    string_of(|w| write_findings_json(r, w))
}

/// What a writer writes, as a string (writing into memory cannot fail).
fn string_of(write: impl Fn(&mut dyn Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// findings.csv and summary.csv are read by people in Excel: UTF-8 with a byte order
/// mark, without which Excel on Chinese Windows reads them as GBK and garbles them.
const BOM: &str = "\u{feff}";

/// A CSV writer over `w` that has written the byte order mark.
fn csv_writer(w: &mut dyn Write) -> std::io::Result<csv::Writer<&mut dyn Write>> {
    w.write_all(BOM.as_bytes())?;
    Ok(csv::Writer::from_writer(w))
}

fn csv_string(rows: Vec<Vec<String>>) -> String {
    string_of(|w| {
        let mut c = csv_writer(w)?;
        for row in &rows {
            c.write_record(row)?;
        }
        c.flush()
    })
}

fn num(x: Option<f64>) -> String {
    x.and_then(yearbook_core::format::exact).unwrap_or_default()
}

/// findings.csv: one row per finding (UTF-8 with BOM, so Excel on Chinese Windows reads
/// it), written row by row.
pub fn write_findings_csv(r: &RunResult, w: &mut dyn Write) -> std::io::Result<()> {
    // Explanation columns only when some finding has one: a run without explanations
    // writes the same file as before there were any.
    let explained = r.findings.iter().any(|f| f.explanation.is_some());
    let mut c = csv_writer(w)?;
    let mut header = vec!["rule", "severity", "status", "region", "region_name", "period", "imbalance", "message"];
    if explained {
        header.extend(["explanation", "explained_by", "explained_on", "explanation_stale"]);
    }
    c.write_record(&header)?;
    for f in &r.findings {
        let status = if f.status == Status::Fail { "fail" } else { "note" };
        let imbalance = num(f.imbalance);
        let row = [f.rule.as_str(), f.severity.name(), status, &f.region, &f.region_name, &f.period, &imbalance, &f.message];
        if explained {
            let (text, by, date, stale) = match &f.explanation {
                Some(e) => (e.text.as_str(), e.by.as_str(), e.date.as_str(), if e.stale { "true" } else { "false" }),
                None => ("", "", "", ""),
            };
            c.write_record(row.iter().copied().chain([text, by, date, stale]))?;
        } else {
            c.write_record(row)?;
        }
    }
    c.flush()
}

/// findings.csv as a string (see `write_findings_csv`).
pub fn findings_csv(r: &RunResult) -> String {
    string_of(|w| write_findings_csv(r, w))
}

/// Per rule with failures, `failures_<rule>.csv`: its failing cells with every value the
/// check shows (value and unit columns), as R pointblank extracts failing rows. Each
/// file is written row by row when the set is published.
pub fn failing_rows(r: &RunResult) -> Vec<(String, Content<'_>)> {
    let mut by_rule: std::collections::HashMap<&str, Vec<&crate::finding::Finding>> = Default::default();
    for f in r.findings.iter().filter(|f| f.status == Status::Fail) {
        by_rule.entry(f.rule.as_str()).or_default().push(f);
    }
    let mut out = Vec::new();
    for s in r.rules.iter().filter(|s| s.fails > 0) {
        let fails = by_rule.remove(s.rule.as_str()).unwrap_or_default();
        let mut safe = failures_file_stem(&s.rule);
        // Two ids whose hashes meet (never seen): a counter keeps the names apart.
        let stem = safe.clone();
        let mut k = 1;
        while out.iter().any(|(n, _): &(String, Content<'_>)| *n == format!("failures_{safe}.csv")) {
            k += 1;
            safe = format!("{stem}~{k}");
        }
        let write = move |w: &mut dyn Write| -> std::io::Result<()> {
            let names: Vec<&str> = fails.first().map(|f| f.values.keys().collect()).unwrap_or_default();
            let mut c = csv_writer(w)?;
            let mut header: Vec<String> = ["region", "region_name", "period"].map(String::from).to_vec();
            for n in &names {
                header.push(n.to_string());
                header.push(format!("{n}_unit"));
            }
            header.extend(["imbalance".to_string(), "message".to_string()]);
            c.write_record(&header)?;
            let mut row: Vec<String> = Vec::with_capacity(header.len());
            for f in &fails {
                row.clear();
                row.extend([f.region.clone(), f.region_name.clone(), f.period.clone()]);
                for n in &names {
                    let v = f.values.get(n);
                    row.push(num(v.and_then(|v| v.value)));
                    row.push(v.map(|v| v.unit.to_string()).unwrap_or_default());
                }
                row.extend([num(f.imbalance), f.message.clone()]);
                c.write_record(&row)?;
            }
            c.flush()
        };
        out.push((format!("failures_{safe}.csv"), Content::Writer(Box::new(write))));
    }
    out
}

/// The most bytes of a rule id a `failures_<rule>.csv` name keeps (file systems allow
/// 255 bytes a name; the rest is the prefix, the suffix and a hash).
const MAX_STEM_BYTES: usize = 170;

/// The `<rule>` of a rule's `failures_<rule>.csv`: the id itself when it is letters,
/// digits, `_` and `-` alone, lower case or not matching another such id; otherwise its
/// characters with every other one as `_`, cut to [`MAX_STEM_BYTES`] at a character's
/// end, then `~` and eight hex digits of a hash of the whole id. So `a b`, `a/b` and
/// `a_b` write three files (`failures_a_b~10a3f9f2.csv`, `failures_a_b~3a8e75c1.csv`,
/// `failures_a_b.csv`),
/// a 90-character Chinese id a name the file system takes, and the same id always the
/// same name.
pub fn failures_file_stem(rule: &str) -> String {
    let plain = rule.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if plain && rule.len() <= MAX_STEM_BYTES {
        return rule.to_string();
    }
    let mut safe = String::new();
    for c in rule.chars().map(|c| if c.is_alphanumeric() || c == '_' || c == '-' { c } else { '_' }) {
        if safe.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        safe.push(c);
    }
    // FNV-1a over the id's bytes: stable across runs and builds.
    let mut h: u32 = 0x811c_9dc5;
    for b in rule.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("{safe}~{h:08x}")
}

/// summary.csv: one row per rule with its counts.
pub fn summary_csv(r: &RunResult) -> String {
    let mut rows =
        vec![["rule", "severity", "items", "passes", "fails", "notes", "not_evaluable", "error", "description"].map(String::from).to_vec()];
    for s in &r.rules {
        rows.push(vec![
            s.rule.clone(),
            s.severity.map(|x| x.name()).unwrap_or_default().into(),
            s.items.to_string(),
            s.passes.to_string(),
            s.fails.to_string(),
            s.notes.to_string(),
            s.not_evaluable.to_string(),
            s.error.clone().unwrap_or_default(),
            s.description.clone(),
        ]);
    }
    csv_string(rows)
}

/// A Markdown summary: per-rule counts, then findings by severity, written line by line.
pub fn write_summary_md(r: &RunResult, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "# {}\n", if r.workspace.is_empty() { "yearbook run" } else { &r.workspace })?;
    if let Some(p) = &r.period {
        writeln!(w, "Period: {p}\n")?;
    }
    w.write_all(b"| rule | severity | items | passes | fails | notes | not evaluable | error |\n|---|---|---:|---:|---:|---:|---:|---|\n")?;
    for x in &r.rules {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            x.rule,
            x.severity.map(|v| v.name()).unwrap_or_default(),
            x.items,
            x.passes,
            x.fails,
            x.notes,
            x.not_evaluable,
            x.error.as_deref().map(|e| e.lines().next().unwrap_or("").replace('|', "\\|")).unwrap_or_default()
        )?;
    }
    // Why items were not evaluable (or a result was left missing), as the evaluation said.
    if r.rules.iter().any(|x| !x.why.is_empty()) {
        writeln!(w, "\n## evaluation notes\n")?;
        for x in r.rules.iter().filter(|x| !x.why.is_empty()) {
            for n in &x.why {
                if x.items == 0 {
                    writeln!(w, "- `{}` (0 items): {n}", x.rule)?;
                } else {
                    writeln!(w, "- `{}` ({} of {} items not evaluable): {n}", x.rule, x.not_evaluable, x.items)?;
                }
            }
        }
    }
    for sev in ["error", "warning", "info"] {
        let n = r.findings.iter().filter(|f| f.severity.name() == sev).count();
        if n == 0 {
            continue;
        }
        writeln!(w, "\n## {sev} ({n})\n")?;
        for f in r.findings.iter().filter(|f| f.severity.name() == sev) {
            writeln!(w, "- `{}` {}", f.rule, f.message)?;
            if let Some(e) = &f.explanation {
                let stale = if e.stale { " **stale: the figures changed since; explain again**" } else { "" };
                writeln!(w, "  - explained ({}, {}): {}{stale}", e.by, e.date, e.text)?;
            }
        }
    }
    Ok(())
}

/// The Markdown summary as a string (see `write_summary_md`).
pub fn summary_md(r: &RunResult) -> String {
    string_of(|w| write_summary_md(r, w))
}

/// The output formats asked for, trimmed ("json, csv"), each known, or an error; `docx`
/// in a build without the `docx` feature is an error that says how to get it.
pub fn parse_formats(formats: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for f in formats.iter().flat_map(|f| f.split(',')).map(str::trim).filter(|f| !f.is_empty()) {
        if !["json", "csv", "md", "html", "docx"].contains(&f) {
            return Err(Error::usage(format!("unknown output format `{f}`: use json, csv, md, html, docx")));
        }
        if f == "docx" && !crate::report::docx::AVAILABLE {
            return Err(crate::report::docx::unavailable());
        }
        // A format given twice (`csv,csv`) is written once.
        if !out.iter().any(|o| o == f) {
            out.push(f.to_string());
        }
    }
    // No format at all (`--format ''`, `--format ,`) would publish an empty set: every
    // file of the earlier run in --out removed, and nothing written.
    if out.is_empty() {
        return Err(Error::usage(
            "--format names no output format: give one or more of json, csv, md, html, docx, separated by commas (--format json,csv,md)",
        ));
    }
    Ok(out)
}

/// The files of the chosen formats (json, csv, md): small ones rendered, large ones
/// (findings, failing rows, the Markdown summary) as writers that stream them when the
/// set is published.
pub fn render_outputs<'a>(r: &'a RunResult, formats: &[String]) -> Result<Vec<(String, Content<'a>)>> {
    let mut files: Vec<(String, Content<'a>)> = Vec::new();
    for f in parse_formats(formats)? {
        match f.as_str() {
            "json" => files.push(("findings.json".to_string(), Content::Writer(Box::new(|w| write_findings_json(r, w))))),
            "csv" => {
                files.push(("findings.csv".to_string(), Content::Writer(Box::new(|w| write_findings_csv(r, w)))));
                files.push(("summary.csv".to_string(), Content::Bytes(summary_csv(r).into_bytes())));
                files.extend(failing_rows(r));
            }
            "md" => files.push(("summary.md".to_string(), Content::Writer(Box::new(|w| write_summary_md(r, w))))),
            _ => {}
        }
    }
    Ok(files)
}

/// Writes the chosen formats (json, csv, md) into `dir` as one set; returns the files written.
pub fn write_outputs(r: &RunResult, dir: &Path, formats: &[String]) -> Result<Vec<PathBuf>> {
    crate::outset::publish(dir, &render_outputs(r, formats)?)
}

/// An `--out` folder that holds the workspace's inputs is refused: the report templates
/// (a summary.md written there would shadow the built-in summary section from the next
/// run on, showing that run's table), the scripts, or a data file (kept beside outputs
/// it is not part of). Compared as the file system resolves them.
fn refuse_input_folder(ws: &crate::workspace::Workspace, dir: &Path) -> Result<()> {
    // As the file system resolves them where both exist; else as written, made absolute
    // (`--out report` before the folder exists is the templates folder all the same).
    let resolve = |p: &Path| p.canonicalize().or_else(|_| std::path::absolute(p)).ok();
    let Some(out) = resolve(dir) else { return Ok(()) };
    let cfg = &ws.config;
    let templates = cfg.config.report.as_ref().and_then(|r| r.templates.as_deref()).unwrap_or("report");
    let mut inputs: Vec<(PathBuf, String)> = vec![(cfg.dir().join(templates), "the report templates folder".into())];
    inputs.push((cfg.dir().join("scripts"), "the scripts folder".into()));
    inputs.push((cfg.dir().to_path_buf(), "the folder of the config".into()));
    for f in &ws.stats.files {
        if let Some(parent) = f.parent() {
            inputs.push((parent.to_path_buf(), format!("the folder of the input file {}", f.display())));
        }
    }
    for (p, what) in inputs {
        // A config named without a folder is in the current one.
        let p = if p.as_os_str().is_empty() { PathBuf::from(".") } else { p };
        if resolve(&p).is_some_and(|p| p == out) {
            return Err(Error::usage(format!(
                "--out {}: that is {what}; outputs written there would mix with the inputs (a summary.md among the templates \
                 replaces the built-in summary section in the next report). Give a folder of its own, e.g. --out out",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// A `report -o` file in the report templates folder or the scripts folder is refused:
/// over a template (report/summary.md), its figures would freeze into every later
/// report; beside them it would be read as one. Compared as the file system resolves them.
pub fn refuse_report_file(ws: &crate::workspace::Workspace, file: &Path) -> Result<()> {
    let resolve = |p: &Path| p.canonicalize().or_else(|_| std::path::absolute(p)).ok();
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(out) = resolve(&parent) else { return Ok(()) };
    let cfg = &ws.config;
    let templates = cfg.config.report.as_ref().and_then(|r| r.templates.as_deref()).unwrap_or("report");
    for (p, what) in [(cfg.dir().join(templates), "the report templates folder"), (cfg.dir().join("scripts"), "the scripts folder")] {
        if resolve(&p).is_some_and(|p| p == out) {
            return Err(Error::usage(format!(
                "-o {}: that is in {what}; a report written there would replace or join the templates, and every later \
                 report would print its figures as they are now. Write it elsewhere, e.g. -o report.md",
                file.display()
            )));
        }
    }
    Ok(())
}

/// Writes the run's outputs and, for `md`, `html` and `docx`, the year-end report
/// (report.md, report.html, report.docx): the config's `[report]`, else the built-in sections; a
/// report that cannot be made (no region to report on) fails the run before anything
/// is written, never a silent skip. Everything is rendered before anything is written:
/// on any error the folder is left as it was.
pub fn write_all(ws: &crate::workspace::Workspace, r: &RunResult, dir: &Path, formats: &[String]) -> Result<Vec<PathBuf>> {
    refuse_input_folder(ws, dir)?;
    let formats = parse_formats(formats)?;
    let mut files = render_outputs(r, &formats)?;
    use crate::report::ReportFormat;
    for (f, name, format) in [
        ("md", "report.md", ReportFormat::Markdown),
        ("html", "report.html", ReportFormat::Html),
        ("docx", "report.docx", ReportFormat::Docx),
    ] {
        if formats.iter().any(|x| x == f) {
            let bytes = crate::report::render_bytes(ws, r.clone(), None, r.period.as_deref(), format)
                .map_err(|e| Error::usage(format!("{name} (--format {f}): {e}")))?;
            files.push((name.to_string(), Content::Bytes(bytes)));
        }
    }
    crate::outset::publish(dir, &files)
}
