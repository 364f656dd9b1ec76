//! rustyline glue: completion of names, history hints, and multiline input decided by
//! Rhai's own parser.

use rustyline::completion::{Completer, Pair};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

pub struct ReplHelper {
    /// Rebuilt after each input.
    pub words: Vec<String>,
    pub engine: rhai::Engine,
    hinter: HistoryHinter,
}

impl ReplHelper {
    pub fn new(words: Vec<String>) -> ReplHelper {
        // A plain engine is enough to tell complete input from incomplete.
        ReplHelper { words, engine: rhai::Engine::new_raw(), hinter: HistoryHinter::new() }
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
        self.hinter.hint(line, pos, ctx)
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if super::is_complete(&self.engine, ctx.input()) { ValidationResult::Valid(None) } else { ValidationResult::Incomplete })
    }
}

impl rustyline::highlight::Highlighter for ReplHelper {}
impl Helper for ReplHelper {}
