//! rustyline glue: completion of names, history hints, and multiline input decided by
//! Rhai's own parser.

use rustyline::completion::{Completer, Pair};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

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

/// Words that belong inside a string argument: levels in `rollup(s, "`, tables in
/// `table("`, regions in `only(s, "`, columns in `.sum("`, periods in `in_period(s, "`.
#[derive(Default, Clone)]
pub struct ContextWords {
    pub levels: Vec<String>,
    pub tables: Vec<String>,
    pub regions: Vec<String>,
    pub columns: Vec<String>,
    pub periods: Vec<String>,
    pub units: Vec<String>,
}

/// Inside an open string at `pos`: (where the string's text starts, the function it is
/// an argument of).
fn open_string(line: &str, pos: usize) -> Option<(usize, String)> {
    let before = &line[..pos];
    let mut quote = None;
    for (i, c) in before.char_indices() {
        if c == '"' {
            quote = if quote.is_some() { None } else { Some(i) };
        }
    }
    let q = quote?;
    // The function: the word before the innermost open `(` before the quote.
    let mut depth = 0i32;
    let head = &before[..q];
    let open = head.char_indices().rev().find(|&(_, c)| {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return true,
            '(' => depth -= 1,
            _ => {}
        }
        false
    })?;
    let name_end = open.0;
    let start = word_start(head, name_end);
    Some((q + 1, head[start..name_end].trim_start_matches('.').to_string()))
}

/// Candidates inside a string argument, by the function it belongs to.
pub fn complete_in_string(ctx: &ContextWords, line: &str, pos: usize) -> Option<(usize, Vec<String>)> {
    let (start, func) = open_string(line, pos)?;
    let typed = &line[start..pos];
    let pool: &[String] = match func.as_str() {
        "rollup" | "level" | "rank" | "top" => &ctx.levels,
        "table" => &ctx.tables,
        "only" | "children" | "at" => &ctx.regions,
        "sum" | "mean" | "min" | "max" | "count" | "column" | "sort" | "group_by" | "missing" | "sum_all" => &ctx.columns,
        "in_period" => &ctx.periods,
        "to" | "amount" => &ctx.units,
        _ => return Some((pos, Vec::new())),
    };
    Some((start, pool.iter().filter(|w| w.starts_with(typed)).cloned().collect()))
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
