//! Scripts inside `yearbook.toml`: where each `expr`, `check`, `function`, `when`,
//! `order` and `values.<name>` string lies in the file, and which byte of the file each character of
//! its (unescaped) text came from, so that a message at `rules.x:1:11` lands on the right
//! line and column of the TOML file, and a cursor in the file finds its place in the script.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// One script string of the config.
#[derive(Debug, Clone)]
pub(crate) struct Embedded {
    /// The name messages give it: `indicators.<id>`, `rules.<id>`, `rules.<id>.values.<v>`.
    pub name: String,
    /// True for a `function = "name"` entry (its script is `name()`).
    pub function: bool,
    /// The string literal in the file, quotes included.
    pub literal: Range<usize>,
    /// The script text (the string's value).
    pub content: String,
    /// For each byte of `content`, the file offset it came from; one more entry for the
    /// end. Empty when the literal could not be followed (then everything maps to its start).
    offsets: Vec<usize>,
}

#[derive(Deserialize)]
struct Doc {
    #[serde(default)]
    indicators: BTreeMap<String, Entry>,
    #[serde(default)]
    rules: BTreeMap<String, Entry>,
    #[serde(default)]
    report: ReportDoc,
}

#[derive(Deserialize, Default)]
struct ReportDoc {
    #[serde(default)]
    rules: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    expr: Option<Spanned<String>>,
    check: Option<Spanned<String>>,
    /// A report rule's mask.
    when: Option<Spanned<String>>,
    /// A report rule's ordering expression.
    order: Option<Spanned<String>>,
    function: Option<Spanned<String>>,
    #[serde(default)]
    values: BTreeMap<String, Spanned<String>>,
}

/// The script strings of a config's text, or none when it is not valid TOML.
pub(crate) fn scripts_in(text: &str) -> Vec<Embedded> {
    let Ok(doc) = toml::from_str::<Doc>(text) else { return Vec::new() };
    let mut out = Vec::new();
    for (table, entries) in [("indicators", doc.indicators), ("rules", doc.rules), ("report.rules", doc.report.rules)] {
        for (id, e) in entries {
            let name = format!("{table}.{id}");
            if let Some(s) = e.expr.or(e.check).or(e.when) {
                out.push(Embedded::new(text, name.clone(), s, false));
            }
            if let Some(s) = e.order {
                out.push(Embedded::new(text, format!("{name}.order"), s, false));
            }
            if let Some(s) = e.function {
                out.push(Embedded::new(text, name.clone(), s, true));
            }
            for (v, s) in e.values {
                out.push(Embedded::new(text, format!("{name}.values.{v}"), s, false));
            }
        }
    }
    out
}

impl Embedded {
    fn new(text: &str, name: String, s: Spanned<String>, function: bool) -> Embedded {
        let literal = s.span();
        let content = s.into_inner();
        let offsets = match text.get(literal.clone()).and_then(|raw| unescape(raw, literal.start)) {
            Some((decoded, offsets)) if decoded == content => offsets,
            _ => Vec::new(),
        };
        Embedded { name, function, literal, content, offsets }
    }

    /// The file offset of byte `i` of the script (clamped to its end).
    pub(crate) fn file_offset(&self, i: usize) -> usize {
        match self.offsets.get(i.min(self.offsets.len().saturating_sub(1))) {
            Some(&o) => o,
            None => self.literal.start,
        }
    }

    /// The file offset of a script place given as line and character column from 1 (as
    /// messages give it); the literal's start for a `function` entry.
    pub(crate) fn file_offset_of(&self, line: usize, col: usize) -> usize {
        if self.function {
            return self.literal.start + 1;
        }
        let mut start = 0;
        for _ in 1..line {
            match self.content[start..].find('\n') {
                Some(n) => start += n + 1,
                None => break,
            }
        }
        let line_text = &self.content[start..];
        let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
        let byte = line_text.char_indices().nth(col.saturating_sub(1)).map(|(b, _)| b).unwrap_or(line_text.len());
        self.file_offset(start + byte)
    }

    /// The byte of the script at file offset `at`, when `at` lies inside the string's text.
    pub(crate) fn script_offset(&self, at: usize) -> Option<usize> {
        if self.offsets.is_empty() || at <= self.literal.start || at >= self.literal.end {
            return None;
        }
        // The first script byte at or after `at` (the cursor sits before it).
        let i = self.offsets.partition_point(|&o| o < at);
        (i < self.offsets.len()).then_some(i)
    }
}

/// The value of a TOML string literal and, for each byte of it, the file offset it came
/// from (`base` is the literal's offset). None for something that is not a string literal.
fn unescape(raw: &str, base: usize) -> Option<(String, Vec<usize>)> {
    let (quote, literal) = if raw.starts_with("\"\"\"") {
        ("\"\"\"", false)
    } else if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else if raw.starts_with('\'') {
        ("'", true)
    } else {
        return None;
    };
    let body_start = quote.len();
    let body_end = raw.len().checked_sub(quote.len()).filter(|&e| e >= body_start && raw.ends_with(quote))?;
    let mut body = &raw[body_start..body_end];
    let mut at = base + body_start;
    // A newline right after the opening quotes of a multi-line string is not part of it.
    if quote.len() == 3 {
        for nl in ["\r\n", "\n"] {
            if let Some(rest) = body.strip_prefix(nl) {
                body = rest;
                at += nl.len();
                break;
            }
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut offsets = Vec::with_capacity(body.len() + 1);
    let push = |out: &mut String, offsets: &mut Vec<usize>, c: char, from: usize| {
        out.push(c);
        offsets.extend(std::iter::repeat_n(from, c.len_utf8()));
    };
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let from = at + i;
        if literal || c != '\\' {
            push(&mut out, &mut offsets, c, from);
            k += 1;
            continue;
        }
        let next = chars.get(k + 1).map(|x| x.1)?;
        let simple = match next {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            push(&mut out, &mut offsets, s, from);
            k += 2;
            continue;
        }
        let hex_len = match next {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if hex_len > 0 {
            let hex: String = chars.get(k + 2..k + 2 + hex_len)?.iter().map(|x| x.1).collect();
            let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            push(&mut out, &mut offsets, c, from);
            k += 2 + hex_len;
            continue;
        }
        // A line-ending backslash: the newline and the whitespace after it vanish.
        if quote.len() == 3 && next.is_whitespace() {
            let mut j = k + 1;
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
            k = j;
            continue;
        }
        return None;
    }
    offsets.push(at + body.len());
    Some((out, offsets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_places_map_to_the_file_through_escapes_and_multiline_strings() {
        let text = concat!(
            "[indicators.a]\n",
            "expr = \"share_pct(\\\"x\\\", 地区)\"\n",
            "[rules.r]\n",
            "check = \"\"\"\n",
            "gdp +\n",
            "  area\"\"\"\n",
            "values = { v = 'yoy(gdp)' }\n",
            "[rules.f]\n",
            "function = \"my_rule\"\n",
            "[report.rules.fast]\n",
            "when = \"yoy(gdp) > 0.1\"\n",
            "order = \"yoy(gdp)\"\n",
        );
        let s = scripts_in(text);
        let names: Vec<&str> = s.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["indicators.a", "rules.f", "rules.r", "rules.r.values.v", "report.rules.fast", "report.rules.fast.order"]);
        assert_eq!(s[4].file_offset_of(1, 5), text.find("gdp) > 0.1").unwrap());
        let a = &s[0];
        assert_eq!(a.content, "share_pct(\"x\", 地区)");
        // Column 16 of the script is 地: after two escapes it sits two bytes further on.
        assert_eq!(&text[a.file_offset_of(1, 16)..a.file_offset_of(1, 16) + 3], "地");
        assert_eq!(a.script_offset(text.find("地").unwrap()), Some(a.content.find("地").unwrap()));
        let r = &s[2];
        assert_eq!(r.content, "gdp +\n  area");
        assert_eq!(r.file_offset_of(2, 3), text.find("area").unwrap());
        assert_eq!(r.file_offset_of(1, 5), text.find("+\n").unwrap());
        assert_eq!(s[3].file_offset_of(1, 5), text.find("gdp)'").unwrap());
        assert!(s[1].function);
        assert_eq!(s[1].file_offset_of(1, 1), text.find("my_rule").unwrap());
        // Outside the string's text: no script place.
        assert_eq!(r.script_offset(text.find("check").unwrap()), None);
        assert!(scripts_in("[rules.x\ncheck = ").is_empty());
    }
}
