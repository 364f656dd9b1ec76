//! rustyline glue: completion of names, history hints, and multiline input decided by
//! Rhai's own parser.

use rustyline::completion::{Completer, Pair};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use yearbook::complete::{ContextWords, complete, complete_in_string, word_start};

pub struct ReplHelper {
    /// Rebuilt after each input.
    pub words: Vec<String>,
    /// What goes inside strings, by the function the string is an argument of.
    pub context: ContextWords,
    /// Indicator names (highlighted as such).
    pub indicators: std::collections::HashSet<String>,
    /// Function name -> its signatures, shown as a hint after `name(`.
    pub signatures: std::collections::HashMap<String, String>,
    pub engine: rhai::Engine,
    hinter: HistoryHinter,
}

impl ReplHelper {
    pub fn new(words: Vec<String>) -> ReplHelper {
        // A plain engine is enough to tell complete input from incomplete.
        ReplHelper {
            words,
            context: Default::default(),
            indicators: Default::default(),
            signatures: Default::default(),
            engine: rhai::Engine::new_raw(),
            hinter: HistoryHinter::new(),
        }
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;
    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, c) = complete_in_string(&self.context, line, pos).unwrap_or_else(|| complete(&self.words, line, pos));
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

/// ANSI colours of the highlighter: keywords, strings, numbers, indicators, functions,
/// comments; hints dimmed.
const KEYWORD: &str = "\x1b[35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const INDICATOR: &str = "\x1b[34;1m";
const FUNCTION: &str = "\x1b[33m";
const COMMENT: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

const KEYWORDS: &[&str] = &[
    "let", "const", "fn", "if", "else", "for", "in", "while", "loop", "do", "until", "return", "break", "continue", "true", "false",
    "import", "export", "as", "switch", "private", "this", "throw", "try", "catch",
];

/// Colours Rhai source for the terminal: a small lexer (strings, comments, numbers,
/// words), so a half-typed line still colours sensibly.
pub fn highlight_rhai(line: &str, indicators: &std::collections::HashSet<String>) -> String {
    if line.trim_start().starts_with([':', '.']) && !line.trim_start().starts_with("..") {
        return format!("{KEYWORD}{line}{RESET}");
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = String::with_capacity(line.len() * 2);
    let mut i = 0;
    let at = |k: usize| chars.get(k).map(|c| c.0).unwrap_or(line.len());
    while i < chars.len() {
        let (b, c) = chars[i];
        if c == '/' && chars.get(i + 1).is_some_and(|n| n.1 == '/') {
            out.push_str(&format!("{COMMENT}{}{RESET}", &line[b..]));
            break;
        }
        if c == '"' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != c {
                j += if chars[j].1 == '\\' { 2 } else { 1 };
            }
            let end = at((j + 1).min(chars.len()));
            out.push_str(&format!("{STRING}{}{RESET}", &line[b..end]));
            i = j + 1;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '.' || chars[j].1 == '_') {
                if chars[j].1 == '.' && chars.get(j + 1).is_some_and(|n| n.1 == '.') {
                    break;
                }
                j += 1;
            }
            out.push_str(&format!("{NUMBER}{}{RESET}", &line[b..at(j)]));
            i = j;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_alphanumeric() || chars[j].1 == '_') {
                j += 1;
            }
            let word = &line[b..at(j)];
            let next = line[at(j)..].trim_start();
            let colour = if KEYWORDS.contains(&word) {
                Some(KEYWORD)
            } else if next.starts_with('(') {
                Some(FUNCTION)
            } else if indicators.contains(word) {
                Some(INDICATOR)
            } else {
                None
            };
            match colour {
                Some(col) => out.push_str(&format!("{col}{word}{RESET}")),
                None => out.push_str(word),
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

impl rustyline::highlight::Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> std::borrow::Cow<'l, str> {
        std::borrow::Cow::Owned(highlight_rhai(line, &self.indicators))
    }
    fn highlight_hint<'h>(&self, hint: &'h str) -> std::borrow::Cow<'h, str> {
        std::borrow::Cow::Owned(format!("{COMMENT}{hint}{RESET}"))
    }
    fn highlight_char(&self, _line: &str, _pos: usize, _kind: rustyline::highlight::CmdKind) -> bool {
        true
    }
}
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
