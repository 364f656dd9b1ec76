//! Writing run outputs atomically: each file is written to a temporary file in the
//! output folder and renamed into place, so a reader never sees a half-written file,
//! even if the process is killed. Same inputs, same bytes.

use crate::error::{Error, Result};
use crate::finding::{RunResult, Status};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (temp file + fsync + rename).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let io = |e: std::io::Error| Error::io(path.display().to_string(), e);
    let mut tmp = tempfile::Builder::new().prefix(".yearbook-").tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

pub fn findings_json(r: &RunResult) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

fn csv_string(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn num(x: Option<f64>) -> String {
    x.and_then(crate::format::exact).unwrap_or_default()
}

pub fn findings_csv(r: &RunResult) -> String {
    let mut rows =
        vec![["rule", "severity", "status", "region", "region_name", "period", "imbalance", "message"].map(String::from).to_vec()];
    for f in &r.findings {
        let status = if f.status == Status::Fail { "fail" } else { "note" };
        rows.push(vec![
            f.rule.clone(),
            f.severity.name().into(),
            status.into(),
            f.region.clone(),
            f.region_name.clone(),
            f.period.clone(),
            num(f.imbalance),
            f.message.clone(),
        ]);
    }
    csv_string(rows)
}

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

/// A Markdown summary: per-rule counts, then findings by severity.
pub fn summary_md(r: &RunResult) -> String {
    let mut s = format!("# {}\n\n", if r.workspace.is_empty() { "yearbook run" } else { &r.workspace });
    if let Some(p) = &r.period {
        s.push_str(&format!("Period: {p}\n\n"));
    }
    s.push_str("| rule | severity | items | passes | fails | notes | not evaluable | error |\n|---|---|---:|---:|---:|---:|---:|---|\n");
    for x in &r.rules {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            x.rule,
            x.severity.map(|v| v.name()).unwrap_or_default(),
            x.items,
            x.passes,
            x.fails,
            x.notes,
            x.not_evaluable,
            x.error.as_deref().map(|e| e.lines().next().unwrap_or("").replace('|', "\\|")).unwrap_or_default()
        ));
    }
    for sev in ["error", "warning", "info"] {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.severity.name() == sev).collect();
        if fs.is_empty() {
            continue;
        }
        s.push_str(&format!("\n## {sev} ({})\n\n", fs.len()));
        for f in fs {
            s.push_str(&format!("- `{}` {}\n", f.rule, f.message));
        }
    }
    s
}

/// Writes the chosen formats (json, csv, md) into `dir`; returns the files written.
pub fn write_outputs(r: &RunResult, dir: &Path, formats: &[String]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut written = Vec::new();
    let mut put = |name: &str, text: String| -> Result<()> {
        let p = dir.join(name);
        atomic_write(&p, text.as_bytes())?;
        written.push(p);
        Ok(())
    };
    for f in formats {
        match f.as_str() {
            "json" => put("findings.json", findings_json(r))?,
            "csv" => {
                put("findings.csv", findings_csv(r))?;
                put("summary.csv", summary_csv(r))?;
            }
            "md" => put("summary.md", summary_md(r))?,
            "html" => {}
            other => return Err(Error::Usage(format!("unknown output format `{other}`: use json, csv, md, html"))),
        }
    }
    Ok(written)
}

/// Writes the run's outputs and, for `md` and `html`, the year-end report when the
/// config has a `[report]` section (report.md, report.html).
pub fn write_all(ws: &crate::Workspace, r: &RunResult, dir: &Path, formats: &[String]) -> Result<Vec<PathBuf>> {
    let mut written = write_outputs(r, dir, formats)?;
    if ws.config.config.report.is_none() {
        return Ok(written);
    }
    for (f, name, format) in
        [("md", "report.md", crate::report::ReportFormat::Markdown), ("html", "report.html", crate::report::ReportFormat::Html)]
    {
        if formats.iter().any(|x| x == f) {
            let text = crate::report::render(ws, r.clone(), None, r.period.as_deref(), format)?;
            let p = dir.join(name);
            atomic_write(&p, text.as_bytes())?;
            written.push(p);
        }
    }
    Ok(written)
}
