//! Text functions on a ledger date looking for a date spelled otherwise: ledgers read every
//! date as 2021-03-20 (as an xlsx date cell is read), whether the file wrote 2021/3/20,
//! 2021.3.20, 2021年3月20日 or 20210320, so a search for the file's own spelling finds
//! nothing there and a filter on it keeps no row. Refused as the row is read, naming the
//! text as ledgers hold it; any other search runs as Rhai's own.

use crate::Raised;
use rhai::{Array, EvalAltResult, FuncRegistration, INT, ImmutableString, Module};

type Res<T> = Result<T, Box<EvalAltResult>>;

/// Registers `starts_with`, `ends_with`, `contains` and `index_of` (of a text or, for the last
/// two, a character)
/// and `split` / `split_rev` (at a text or a character, with a count of pieces or without)
/// over Rhai's own. Each behaves as Rhai's, except on a ledger date (2021-03-20, a month
/// 2021-03, a date with a time) where the text looked for or split at is not found and
/// spells a date's part otherwise: `"2021/3"`, `"2021.3"`, `"2021年"`, `"202103"`,
/// `"20210320"`, `"/"`, `'.'`. That is an error naming the text ledgers hold:
/// `"2021-03"`, `"2021"`, `"2021-03-20"`, `"-"`.
pub(crate) fn register(m: &mut Module) {
    for name in ["starts_with", "ends_with", "contains"] {
        FuncRegistration::new(name).in_global_namespace().with_purity(true).set_into_module(
            m,
            move |s: &mut ImmutableString, t: ImmutableString| -> Res<bool> {
                let found = match name {
                    "starts_with" => s.starts_with(t.as_str()),
                    "ends_with" => s.ends_with(t.as_str()),
                    _ => s.contains(t.as_str()),
                };
                if !found {
                    refuse(name, s, &t, None, "is found in no date there")?;
                }
                Ok(found)
            },
        );
    }
    FuncRegistration::new("contains").in_global_namespace().with_purity(true).set_into_module(
        m,
        |s: &mut ImmutableString, c: char| -> Res<bool> {
            let found = s.contains(c);
            if !found {
                refuse_char("contains", s, c, None, "is found in no date there")?;
            }
            Ok(found)
        },
    );
    FuncRegistration::new("index_of").in_global_namespace().with_purity(true).set_into_module(
        m,
        |s: &mut ImmutableString, t: ImmutableString| -> Res<INT> {
            let at = index_of(s, t.as_str());
            if at < 0 {
                refuse("index_of", s, &t, None, "is found in no date there")?;
            }
            Ok(at)
        },
    );
    FuncRegistration::new("index_of").in_global_namespace().with_purity(true).set_into_module(
        m,
        |s: &mut ImmutableString, c: char| -> Res<INT> {
            let t = c.to_string();
            let at = index_of(s, &t);
            if at < 0 {
                refuse_char("index_of", s, c, None, "is found in no date there")?;
            }
            Ok(at)
        },
    );
    for (name, rev) in [("split", false), ("split_rev", true)] {
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(true)
            .set_into_module(m, move |s: &mut ImmutableString, t: ImmutableString| -> Res<Array> {
                split_checked(name, s, Sep::Text(&t), None, rev)
            });
        FuncRegistration::new(name).in_global_namespace().with_purity(true).set_into_module(
            m,
            move |s: &mut ImmutableString, t: ImmutableString, n: INT| -> Res<Array> {
                split_checked(name, s, Sep::Text(&t), Some(n), rev)
            },
        );
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(true)
            .set_into_module(m, move |s: &mut ImmutableString, c: char| -> Res<Array> { split_checked(name, s, Sep::Char(c), None, rev) });
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(true)
            .set_into_module(m, move |s: &mut ImmutableString, c: char, n: INT| -> Res<Array> {
                split_checked(name, s, Sep::Char(c), Some(n), rev)
            });
    }
}

/// What a text is split at.
enum Sep<'a> {
    Text(&'a str),
    Char(char),
}

/// Rhai's `split` / `split_rev`, at a text or a character, into at most `n` pieces
/// (fewer than 1: one piece), after the ledger-date check.
fn split_checked(name: &str, s: &ImmutableString, sep: Sep, n: Option<INT>, rev: bool) -> Res<Array> {
    let text;
    let pattern: &str = match sep {
        Sep::Text(t) => t,
        Sep::Char(c) => {
            text = c.to_string();
            &text
        }
    };
    let absent = !pattern.is_empty() && !s.contains(pattern);
    if absent {
        match sep {
            Sep::Text(t) => refuse(name, s, t, n, "has no such mark to split at")?,
            Sep::Char(c) => refuse_char(name, s, c, n, "has no such mark to split at")?,
        }
    }
    if s.is_empty() || absent || n.is_some_and(|n| n <= 1) {
        return Ok(vec![s.clone().into()]);
    }
    let pieces: Array = match (n, rev) {
        (None, false) => s.split(pattern).map(Into::into).collect(),
        (None, true) => s.rsplit(pattern).map(Into::into).collect(),
        (Some(n), false) => s.splitn(usize::try_from(n).unwrap_or(usize::MAX), pattern).map(Into::into).collect(),
        (Some(n), true) => s.rsplitn(usize::try_from(n).unwrap_or(usize::MAX), pattern).map(Into::into).collect(),
    };
    Ok(pieces)
}

/// Rhai's `index_of` of a text: the position in characters, -1 where it is not found.
fn index_of(s: &str, t: &str) -> INT {
    if s.is_empty() {
        return -1;
    }
    s.find(t).map_or(-1, |i| INT::try_from(s[..i].chars().count()).unwrap_or(-1))
}

/// The error for `name("t")` of the ledger date `s` that did not find `t`, where `t` spells
/// a date's part otherwise (`n`: the count of pieces a split was given); Ok where `s` is no ledger date or `t` no such spelling.
fn refuse(name: &str, s: &str, t: &str, n: Option<INT>, outcome: &str) -> Res<()> {
    refuse_quoted(name, s, t, '"', n, outcome)
}

/// [`refuse`] for a character looked for or split at (`'/'`).
fn refuse_char(name: &str, s: &str, c: char, n: Option<INT>, outcome: &str) -> Res<()> {
    refuse_quoted(name, s, &c.to_string(), '\'', n, outcome)
}

/// [`refuse`] with `t` quoted as the call wrote it (`"` for a text, `'` for a character).
fn refuse_quoted(name: &str, s: &str, t: &str, q: char, n: Option<INT>, outcome: &str) -> Res<()> {
    if !is_ledger_date(s) {
        return Ok(());
    }
    match as_ledger_writes(t) {
        Some(w) if w != t => {
            Err(message(&format!("{name}({q}{t}{q}{})", count(n)), s, &format!("{q}{t}{q} {outcome}"), &format!("{q}{w}{q}")))
        }
        _ => Ok(()),
    }
}

/// The count of pieces as the call wrote it: `, 2`.
fn count(n: Option<INT>) -> String {
    n.map(|n| format!(", {n}")).unwrap_or_default()
}

fn message(call: &str, s: &str, outcome: &str, write: &str) -> Box<EvalAltResult> {
    yearbook_core::error::Fault::type_(format!(
        "`{call}` of \"{s}\", a ledger date: ledgers read dates as 2021-03-01 and months as 2021-03 \
         (as an xlsx date cell), so {outcome}; write {write}"
    ))
    .raised()
}

/// Whether a text is a date or month as ledgers hold them: 2021-03-20, 2021-03, with a
/// time (2021-03-20 08:30).
fn is_ledger_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let month = b.len() >= 7 && digits(0..4) && b[4] == b'-' && digits(5..7);
    match b.len() {
        7 => month,
        10 => month && b[7] == b'-' && digits(8..10),
        _ => b.len() > 11 && month && b[7] == b'-' && digits(8..10) && b[10] == b' ',
    }
}

/// A text of digits and date marks (/, ., 年, 月, 日) as ledgers write that part of a
/// date: `2021/` is `2021-`, `2021.3` `2021-03`, `2021年` `2021`, `3/20` `03-20`; a mark
/// alone (`/`, `.`, `年`) is `-`; a month or a day written without marks, `202103` or
/// `20210320`, is `2021-03` or `2021-03-20`. None for a text with anything else in it,
/// with neither a mark nor such a month or day (`2021-03`, `2021`, `2021-0`: a text
/// written with `-` alone is looked for as it is), or a mark and no digit
/// after a first one (`..`).
fn as_ledger_writes(t: &str) -> Option<String> {
    let t = t.trim();
    if let Some(w) = compact(t) {
        return Some(w);
    }
    // A text with `-` alone is written as ledgers hold dates, and may be a prefix
    // (`2021-0`, `-1` of months 10-12): looked for as it is.
    let mark = |c: char| matches!(c, '/' | '.' | '年' | '月' | '日');
    if !t.chars().any(mark) || !t.chars().all(|c| c.is_ascii_digit() || c == '-' || mark(c)) {
        return None;
    }
    if t.chars().count() == 1 {
        return Some("-".to_string());
    }
    if !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 1 {
            out.push('0');
        }
        out.push_str(run);
        run.clear();
    };
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        flush(&mut run, &mut out);
        let last = i + 1 == chars.len();
        match c {
            '年' | '月' if last => {}
            '日' => {}
            _ => out.push('-'),
        }
    }
    flush(&mut run, &mut out);
    Some(out)
}

/// A month or a day written in digits alone, as yearbooks and systems export them:
/// `202103` is `2021-03`, `20210320` is `2021-03-20` (years 1900 to 2200, a real month,
/// a day 1 to 31).
fn compact(t: &str) -> Option<String> {
    if !(t.len() == 6 || t.len() == 8) || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m): (u32, u32) = (t[..4].parse().ok()?, t[4..6].parse().ok()?);
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    match t.get(6..) {
        Some("") => Some(format!("{y}-{m:02}")),
        Some(d) => {
            let d: u32 = d.parse().ok()?;
            (1..=31).contains(&d).then(|| format!("{y}-{m:02}-{d:02}"))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_part_spelled_otherwise_is_named_as_ledgers_hold_it() {
        for (t, w) in [
            ("2021/", "2021-"),
            ("2021年", "2021"),
            ("2021/3", "2021-03"),
            ("3/20", "03-20"),
            ("2021.3", "2021-03"),
            ("2021.", "2021-"),
            ("2021.3.20", "2021-03-20"),
            ("2021年3月", "2021-03"),
            ("202103", "2021-03"),
            ("20210320", "2021-03-20"),
            ("/", "-"),
            (".", "-"),
            ("年", "-"),
        ] {
            assert_eq!(as_ledger_writes(t).as_deref(), Some(w), "{t}");
        }
        for t in ["2021", "2021-0", "-1", "2021-03-2", "2021-3", "-", "项目", "202113", "21034", "..", "2021x"] {
            assert_eq!(as_ledger_writes(t), None, "{t}");
        }
    }

    #[test]
    fn searches_of_other_texts_run_as_rhai_s() {
        let s: ImmutableString = "a,b,,c".into();
        let texts = |a: Array| a.into_iter().map(|d| d.to_string()).collect::<Vec<_>>().join("|");
        assert_eq!(texts(split_checked("split", &s, Sep::Text(","), None, false).unwrap()), "a|b||c");
        assert_eq!(texts(split_checked("split", &s, Sep::Char(','), Some(2), false).unwrap()), "a|b,,c");
        assert_eq!(texts(split_checked("split_rev", &s, Sep::Text(","), None, true).unwrap()), "c||b|a");
        assert_eq!(texts(split_checked("split_rev", &s, Sep::Char(','), Some(2), true).unwrap()), "c|a,b,");
        assert_eq!(texts(split_checked("split", &s, Sep::Text("/"), None, false).unwrap()), "a,b,,c");
        assert_eq!(texts(split_checked("split", &s, Sep::Text(","), Some(0), false).unwrap()), "a,b,,c");
        assert_eq!(index_of("甲乙丙", "丙"), 2);
        assert_eq!(index_of("", "x"), -1);
        // A ledger date split at its own mark, and at a mark it does not hold.
        let d: ImmutableString = "2021-03-20".into();
        assert_eq!(texts(split_checked("split", &d, Sep::Text("-"), None, false).unwrap()), "2021|03|20");
        let e = split_checked("split", &d, Sep::Text("."), None, false).unwrap_err().to_string();
        assert!(e.contains("`split(\".\")` of \"2021-03-20\", a ledger date"), "{e}");
        assert!(e.contains("so \".\" has no such mark to split at; write \"-\""), "{e}");
    }
}
