//! Go to definition: a function defined in one of the workspace's script files, a
//! derived indicator's `[indicators.<id>]` table in the config.

use crate::analysis::Analysis;
use crate::cursor::Cursor;
use crate::text::Lines;
use lsp_types::{Location, Range};
use yearbook::names::NameKind;

/// Where the name at `c` is defined, when it is defined in the workspace's files.
pub(crate) fn definition(a: &Analysis, c: &Cursor) -> Option<Location> {
    let (start, end) = c.word()?;
    let word = &c.script[start..end];
    let names = a.names.as_ref()?;
    let kinds: Vec<NameKind> = names.named(word).map(|n| n.kind).collect();
    if kinds.contains(&NameKind::Derived) || a.embedded.iter().any(|e| e.name == format!("indicators.{word}")) {
        let header = format!("[indicators.{word}]");
        let lines = Lines::new(&a.text);
        let at = a.text.match_indices(&header).map(|(i, _)| i).find(|&i| i == 0 || a.text[..i].ends_with('\n'))?;
        return Some(Location::new(crate::uri::from_path(&a.config), Range::new(lines.position(at), lines.position(at + header.len()))));
    }
    for (path, text) in &a.scripts {
        if let Some(at) = function_at(text, word) {
            let lines = Lines::new(text);
            return Some(Location::new(crate::uri::from_path(path), Range::new(lines.position(at), lines.position(at + word.len()))));
        }
    }
    None
}

/// The byte of `name` in `fn name(` (or `private fn name (`) in a script's text.
fn function_at(text: &str, name: &str) -> Option<usize> {
    for (i, _) in text.match_indices("fn") {
        let before_ok = text[..i].chars().next_back().is_none_or(char::is_whitespace);
        let rest = &text[i + 2..];
        let trimmed = rest.trim_start();
        if !before_ok || trimmed.len() == rest.len() || !trimmed.starts_with(name) {
            continue;
        }
        if trimmed[name.len()..].trim_start().starts_with('(') {
            return Some(i + 2 + (rest.len() - trimmed.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_a_function_definition_not_a_call() {
        let text = "// fn growth is below\nlet x = growth(1);\nprivate fn  growth_rate(a) {}\nfn growth (s) { s }\n";
        let at = super::function_at(text, "growth").unwrap();
        assert_eq!(&text[at - 3..at + 9], "fn growth (s");
        assert_eq!(super::function_at(text, "growth_rate"), Some(text.find("growth_rate").unwrap()));
        assert_eq!(super::function_at(text, "nothing"), None);
    }
}
