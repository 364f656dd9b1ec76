//! One workspace as the editor holds it: its config and scripts (unsaved text where a
//! buffer is open) checked as `yearbook check` checks them, the problems placed in the
//! files they belong to, and the names it knows for completion, hover and definitions.

use crate::embedded::{self, Embedded};
use crate::text::Lines;
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Range};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use yearbook::config::ConfigFile;
use yearbook::error::Error;
use yearbook::names::Names;
use yearbook::workspace::Workspace;

/// What one check of a workspace found.
pub(crate) struct Analysis {
    /// The config file.
    pub config: PathBuf,
    /// The config's text as checked.
    pub text: String,
    /// Problems by file: the config and each script it lists (empty when clean).
    pub diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The names the workspace knows; None when not even its data and scripts load.
    pub names: Option<Names>,
    /// The script strings inside the config.
    pub embedded: Vec<Embedded>,
    /// The script files (path, text) the config lists.
    pub scripts: Vec<(PathBuf, String)>,
}

/// Checks the workspace of `config`, reading any file from `open` (path -> text of an
/// open buffer) before the disk.
pub(crate) fn analyse(config: &Path, open: &HashMap<PathBuf, String>) -> Analysis {
    let text = open.get(config).cloned().or_else(|| std::fs::read_to_string(config).ok()).unwrap_or_default();
    let dir = config.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut builder = Workspace::builder().config_source(config, &text).without_facts();
    for (path, t) in open.iter().filter(|(p, _)| p.starts_with(&dir) && p.extension().is_some_and(|e| e == "rhai")) {
        builder = builder.script_text(path, t);
    }
    let embedded = embedded::scripts_in(&text);
    let scripts = script_files(config, &text, open);
    let (problems, names) = match builder.open() {
        Ok(ws) => (yearbook::checkcfg::problems_of(&ws), Some(Names::of(&ws))),
        Err(e) => (e.into_list(), names_without_definitions(config, &text, open)),
    };
    let mut diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    diagnostics.insert(config.to_path_buf(), Vec::new());
    for (p, _) in &scripts {
        diagnostics.insert(p.clone(), Vec::new());
    }
    let a = Analysis { config: config.to_path_buf(), text, diagnostics: BTreeMap::new(), names, embedded, scripts };
    for e in problems {
        let (file, range) = a.place(&e);
        let d = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(e.kind().name().to_string())),
            source: Some("yearbook".to_string()),
            message: e.message().to_string(),
            ..Default::default()
        };
        diagnostics.entry(file).or_default().push(d);
    }
    Analysis { diagnostics, ..a }
}

impl Analysis {
    /// The file and range of an error: a script string of the config, a script file,
    /// or the config itself (its start when the error has no place).
    fn place(&self, e: &Error) -> (PathBuf, Range) {
        let Some(span) = e.span() else { return (self.config.clone(), Range::default()) };
        let len = span.len.unwrap_or(1).max(1);
        let col = span.col.unwrap_or(1);
        if let Some(emb) = self.embedded.iter().find(|m| m.name == span.source) {
            let lines = Lines::new(&self.text);
            let start = emb.file_offset_of(span.line, col);
            let end = if span.col.is_some() { emb.file_offset_of(span.line, col + len) } else { start };
            return (self.config.clone(), Range::new(lines.position(start), lines.position(end.max(start))));
        }
        let path = PathBuf::from(&span.source);
        let (file, text) = if path == self.config {
            (self.config.clone(), self.text.as_str())
        } else if let Some((p, t)) = self.scripts.iter().find(|(p, _)| *p == path) {
            (p.clone(), t.as_str())
        } else {
            return (self.config.clone(), Range::default());
        };
        let lines = Lines::new(text);
        let start = lines.offset_of_line_col(span.line, col);
        let end = if span.col.is_some() {
            lines.offset_of_line_col(span.line, col + len)
        } else {
            start + lines.line(span.line.saturating_sub(1)).len()
        };
        (file, Range::new(lines.position(start), lines.position(end.max(start))))
    }
}

/// The script files a config lists, with their text (an open buffer's, else the file's).
fn script_files(config: &Path, text: &str, open: &HashMap<PathBuf, String>) -> Vec<(PathBuf, String)> {
    let Ok(cfg) = ConfigFile::parse(config, text.to_string()) else { return Vec::new() };
    cfg.config
        .scripts
        .iter()
        .map(|s| cfg.dir().join(s.get_ref()))
        .map(|p| {
            let t = open.get(&p).cloned().or_else(|| cfg.read_script(&p).ok()).unwrap_or_default();
            (p, t)
        })
        .collect()
}

/// The names of a workspace whose indicators or rules do not compile: its data and
/// scripts alone, so that completion still works while a rule is half typed.
fn names_without_definitions(config: &Path, text: &str, open: &HashMap<PathBuf, String>) -> Option<Names> {
    let mut cfg = ConfigFile::parse(config, text.to_string()).ok()?;
    cfg.config.indicators.clear();
    cfg.config.rules.clear();
    for (p, t) in open {
        cfg.script_texts.insert(p.clone(), t.clone());
    }
    let loaded = yearbook::load::load(&cfg, None, false).ok()?;
    let ws = Workspace::from_parts(cfg, std::sync::Arc::new(loaded.panel), loaded.tables, loaded.stats).ok()?;
    Some(Names::of(&ws))
}
