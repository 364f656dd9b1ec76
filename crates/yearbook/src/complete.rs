//! What completes the text at a cursor: the word being typed (names, `ns.member`), and
//! inside a string argument the words that function takes (levels in `rollup(s, "`,
//! tables in `table("`, ...). Shared by the REPL and the language server.

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
#[derive(Debug, Default, Clone)]
pub struct ContextWords {
    /// Levels of the region tree.
    pub levels: Vec<String>,
    /// Record tables.
    pub tables: Vec<String>,
    /// Region codes and names.
    pub regions: Vec<String>,
    /// Columns of the record tables.
    pub columns: Vec<String>,
    /// Periods of the panel.
    pub periods: Vec<String>,
    /// Units of the indicators.
    pub units: Vec<String>,
}

/// Inside an open string at `pos`: (where the string's text starts, the function it is
/// an argument of).
pub fn open_string(line: &str, pos: usize) -> Option<(usize, String)> {
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
