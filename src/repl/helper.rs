//! rustyline glue: completion of names, history hints, and multiline input decided by
//! Rhai's own parser.

use rustyline::completion::{Completer, Pair};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

pub struct ReplHelper {
    /// Rebuilt after each input.
    pub words: Vec<String>,
    /// Function name -> its signatures, shown as a hint after `name(`.
    pub signatures: std::collections::HashMap<String, String>,
    pub engine: rhai::Engine,
    hinter: HistoryHinter,
}

impl ReplHelper {
    pub fn new(words: Vec<String>) -> ReplHelper {
        // A plain engine is enough to tell complete input from incomplete.
        ReplHelper { words, signatures: Default::default(), engine: rhai::Engine::new_raw(), hinter: HistoryHinter::new() }
    }
}

/// Start of the word under the cursor (identifier characters, CJK, `:` or `.` commands).
pub fn word_start(line: &str, pos: usize) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '.')
        .last()
        .map(|(i, _)| i)
        .unwrap_or(pos)
}

/// Candidates completing the word before `pos`.
pub fn complete(words: &[String], line: &str, pos: usize) -> (usize, Vec<String>) {
    let mut start = word_start(line, pos);
    let mut word = &line[start..pos];
    // `reported_yoy.gd` completes members; a word with a dot is not a command.
    if !word.starts_with(':')
        && !word.starts_with('.')
        && let Some(dot) = word.rfind('.')
    {
        let (ns, member) = (&word[..dot], &word[dot + 1..]);
        let prefix = format!("{ns}.");
        let c: Vec<String> = words.iter().filter(|w| w.starts_with(&prefix) && w[prefix.len()..].starts_with(member)).cloned().collect();
        if !c.is_empty() {
            return (start, c);
        }
        start += dot + 1;
        word = member;
    }
    if word.is_empty() {
        return (pos, Vec::new());
    }
    let mut c: Vec<String> = words.iter().filter(|w| w.starts_with(word) && w.as_str() != word).cloned().collect();
    if let Some(cmd) = word.strip_prefix('.') {
        c.extend(words.iter().filter_map(|w| w.strip_prefix(':')).filter(|w| w.starts_with(cmd)).map(|w| format!(".{w}")));
    }
    (start, c)
}

impl Completer for ReplHelper {
    type Candidate = Pair;
    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, c) = complete(&self.words, line, pos);
        Ok((start, c.into_iter().map(|w| Pair { display: w.clone(), replacement: w }).collect()))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        signature_hint(&self.signatures, line, pos).or_else(|| self.hinter.hint(line, pos, ctx))
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if super::is_complete(&self.engine, ctx.input()) { ValidationResult::Valid(None) } else { ValidationResult::Incomplete })
    }
}

impl rustyline::highlight::Highlighter for ReplHelper {}
impl Helper for ReplHelper {}

/// After `name(` at the end of the line: the function's signatures, as a hint.
pub fn signature_hint(signatures: &std::collections::HashMap<String, String>, line: &str, pos: usize) -> Option<String> {
    if pos != line.len() {
        return None;
    }
    let before = line[..pos].strip_suffix('(')?;
    let start = word_start(before, before.len());
    let sig = signatures.get(&before[start..])?;
    Some(format!("  ⟨{sig}⟩"))
}

/// Signatures by function name, from `name(params) -> ret` strings.
pub fn signatures(list: &[String]) -> std::collections::HashMap<String, String> {
    let mut map: std::collections::HashMap<String, Vec<String>> = Default::default();
    for s in list {
        if let Some(name) = s.split('(').next().filter(|n| !n.is_empty() && n.chars().all(|c| c == '_' || c.is_alphanumeric())) {
            map.entry(name.to_string()).or_default().push(s.clone());
        }
    }
    map.into_iter().map(|(k, v)| (k, v.join(" | "))).collect()
}
