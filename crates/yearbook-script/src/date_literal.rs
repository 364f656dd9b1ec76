//! A date written otherwise than 2021-03-01 in a comparison (`p.签约日期 >= "2021/3/1"`):
//! ledgers read every such date as 2021-03-01 (as an xlsx date cell is read), so the text
//! `"2021/3/1"` equals no date there and orders after 2021-12-31 ("/" sorts after "-"); the
//! filter keeps nothing, or the wrong rows, and nothing shows it. Such a comparison is
//! refused at the text, with the date written as ledgers hold it.

use crate::switch_guard::tokens;
use rhai::{Engine, LexError, ParseError, ParseErrorType, Token};

/// Refuses a text next to a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) that spells a
/// date as 2021/3/1, 2021-3-1, 2021.3.1 or 2021年3月1日 (with a time or without), at that
/// text, naming the date as ledgers write it. 2021-03-01 and texts that are no date are
/// left alone.
pub fn check(engine: &Engine, text: &str) -> Result<(), ParseError> {
    if !text.contains('"') && !text.contains('`') {
        return Ok(());
    }
    let toks = tokens(engine, text);
    let compares = |i: Option<usize>| {
        i.and_then(|i| toks.get(i)).is_some_and(|(t, _)| {
            matches!(
                t,
                Token::EqualsTo
                    | Token::NotEqualsTo
                    | Token::LessThan
                    | Token::LessThanEqualsTo
                    | Token::GreaterThan
                    | Token::GreaterThanEqualsTo
            )
        })
    };
    // A column of codes keeps a code that looks like a date as written (项目代码 2021/1/1):
    // `p.项目代码 == "2021/1/1"` compares like with like.
    let code_column = |name: Option<&(Token, rhai::Position)>| {
        name.is_some_and(|(t, _)| match t {
            Token::Identifier(n) | Token::StringConstant(n) => yearbook_core::table::is_identifier_header(n),
            _ => false,
        })
    };
    // A date in a list a value is looked up in (`p.签约日期 in ["2021/3/20", …]`,
    // `[…].contains(p.签约日期)`), or a month or date a text is to start with
    // (`p.签约日期.starts_with("2021/3")`): each kept nothing.
    if let Some((s, at, date)) = in_a_list_or_prefix(&toks) {
        let msg = format!(
            "\"{s}\" is looked for as text, but ledgers read dates as 2021-03-01 and months as 2021-03 (as an xlsx date cell), \
             so it matches no date there: write \"{date}\""
        );
        return Err(ParseError(Box::new(ParseErrorType::BadInput(LexError::ImproperSymbol(s.to_string(), msg))), at));
    }
    for (i, (t, at)) in toks.iter().enumerate() {
        let Token::StringConstant(s) = t else { continue };
        let (before, after) = (compares(i.checked_sub(1)), compares(Some(i + 1)));
        if !(before || after) {
            continue;
        }
        // The other operand's column: `p.项目代码` or `p["项目代码"]` just before the
        // operator, or just after it.
        let other = if before {
            let end = i.saturating_sub(2);
            match toks.get(end).map(|(t, _)| t) {
                Some(Token::RightBracket) => code_column(end.checked_sub(1).and_then(|k| toks.get(k))),
                _ => code_column(toks.get(end)),
            }
        } else {
            code_column(toks.get(i + 4))
        };
        if other {
            continue;
        }
        // A month written otherwise than 2021-03 (2021-3, 2021年3月, 2021/3) orders among
        // ledger dates and months as text, not as a month (`>= "2021-3"` kept nothing), and
        // equals no month there (`== "2021年3月"`).
        let date = match yearbook_core::table::date_text(s).or_else(|| yearbook_core::table::month_text(s)) {
            Some(d) => d,
            None => continue,
        };
        if date == s.trim() {
            continue;
        }
        let msg = format!(
            "\"{s}\" is compared as text, but ledgers read dates as 2021-03-01 and months as 2021-03 (as an xlsx date cell), \
             so it equals no date there and does not order as one: write \"{date}\""
        );
        return Err(ParseError(Box::new(ParseErrorType::BadInput(LexError::ImproperSymbol(s.to_string(), msg))), *at));
    }
    Ok(())
}

/// A date spelled otherwise (2021/3/20) in an array literal that a value is looked up in
/// (after `in` or `!in`, or before `.contains(`), or a date or month spelled otherwise
/// that a text must start with (`.starts_with("2021/3")`): the text, where it stands, and
/// how ledgers write it.
fn in_a_list_or_prefix(toks: &[(Token, rhai::Position)]) -> Option<(String, rhai::Position, String)> {
    let is = |i: usize, f: &dyn Fn(&Token) -> bool| toks.get(i).is_some_and(|(t, _)| f(t));
    let named = |i: usize, name: &str| is(i, &|t| matches!(t, Token::Identifier(n) if n.as_str() == name));
    for (i, (t, at)) in toks.iter().enumerate() {
        let Token::StringConstant(s) = t else { continue };
        // `.starts_with("…")`: a month or a date.
        if i >= 3
            && is(i - 1, &|t| matches!(t, Token::LeftParen))
            && named(i - 2, "starts_with")
            && is(i - 3, &|t| matches!(t, Token::Period))
        {
            // Written with `-` alone it is the ledgers' spelling, and may be a prefix
            // (`2021-1` of months 10-12): looked for as it is.
            if s.trim().bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                continue;
            }
            let written = yearbook_core::table::date_text(s).or_else(|| yearbook_core::table::month_text(s));
            if let Some(d) = written.filter(|d| d != s.trim()) {
                return Some((s.to_string(), *at, d));
            }
            continue;
        }
        // Inside an array literal: find its brackets.
        let (Some(open), Some(close)) = (bracket(toks, i, false), bracket(toks, i, true)) else { continue };
        let looked_up = (open > 0 && is(open - 1, &|t| matches!(t, Token::In | Token::NotIn)))
            || (is(close + 1, &|t| matches!(t, Token::Period)) && named(close + 2, "contains"));
        // A column of codes keeps a code that looks like a date as written (项目代码 2021/1/1).
        let code = |k: Option<usize>| {
            k.and_then(|k| toks.get(k)).is_some_and(|(t, _)| match t {
                Token::Identifier(n) | Token::StringConstant(n) => yearbook_core::table::is_identifier_header(n),
                _ => false,
            })
        };
        if !looked_up || code(open.checked_sub(2)) {
            continue;
        }
        if let Some(d) = yearbook_core::table::date_text(s).or_else(|| yearbook_core::table::month_text(s)).filter(|d| d != s.trim()) {
            return Some((s.to_string(), *at, d));
        }
    }
    None
}

/// The bracket of the array literal around token `i`: the `]` after it (`forward`),
/// else the `[` before it; nested brackets are skipped.
fn bracket(toks: &[(Token, rhai::Position)], i: usize, forward: bool) -> Option<usize> {
    let (inner, outer) = if forward { (Token::LeftBracket, Token::RightBracket) } else { (Token::RightBracket, Token::LeftBracket) };
    let mut depth = 0i32;
    let mut at = |k: usize| {
        let t = &toks[k].0;
        if *t == inner {
            depth += 1;
        } else if *t == outer {
            if depth == 0 {
                return true;
            }
            depth -= 1;
        }
        false
    };
    if forward { (i + 1..toks.len()).find(|&k| at(k)) } else { (0..i).rev().find(|&k| at(k)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<String> {
        check(&Engine::new_raw(), text).err().map(|e| e.to_string())
    }

    #[test]
    fn a_date_spelled_otherwise_in_a_comparison_is_refused_with_its_spelling() {
        let e = refused(r#"p.签约日期 >= "2021/3/1""#).unwrap();
        assert!(e.contains("\"2021/3/1\" is compared as text, but ledgers read dates as 2021-03-01 and months as 2021-03"), "{e}");
        assert!(e.contains("does not order as one: write \"2021-03-01\""), "{e}");
        // A month spelled otherwise, in an ordering: 2021-03.
        for t in [r#"p.d >= "2021-3""#, r#"p.d < "2021年3月""#, r#""2021/3" > p.d"#] {
            assert!(refused(t).is_some_and(|e| e.contains("write \"2021-03\"")), "{t}");
        }
        for t in [
            r#""2021/3/1" <= p.date"#,
            r#"p.date == "2021-3-1""#,
            r#"p.date != "2021.3.1""#,
            r#"p.date < "2021年3月1日""#,
            r#"rows.filter(|p| p.date > "2021/3/1 0:00")"#,
            // Looked up in a list, or as a text's start (fixes15 05: each kept nothing).
            r#"p.签约日期 in ["2021/3/20", "2021/11/2"]"#,
            r#"p.签约日期 !in ["2021/3/20"]"#,
            r#"["2021-03-20", "2021/11/2"].contains(p.签约日期)"#,
            r#"p.签约日期.starts_with("2021/3")"#,
            r#"p.签约日期.starts_with("2021年3月")"#,
        ] {
            assert!(refused(t).is_some(), "{t}");
        }
    }

    #[test]
    fn dates_as_ledgers_write_them_and_other_texts_are_left_alone() {
        for t in [
            r#"p.date >= "2021-03-01""#,
            r#"p.date >= "2021-03-01 08:30""#,
            r#"p.name == "甲镇""#,
            r#"p.month == "2021-03""#,
            r#"p.month >= "2021-03""#,
            r#"p.x > "3.5""#,
            r#"let d = "2021/3/1"; d"#,
            r#"at(gdp, "t1", "2021")"#,
            r#"p.code == "2021/13/1""#,
            r#"p.项目代码 == "2021/1/1""#,
            r#"p["项目代码"] == "2021/1/1""#,
            r#""2021/1/1" == p.项目代码"#,
            r#"p.签约日期 in ["2021-03-20", "2021-11-02"]"#,
            r#"p.签约日期.starts_with("2021-03")"#,
            r#"p.name in ["甲镇", "乙镇"]"#,
            r#"let a = ["2021/3/1"]; a[0]"#,
            r#"p.项目代码 in ["2021/1/1"]"#,
        ] {
            assert_eq!(refused(t), None, "{t}");
        }
        // A month written otherwise equals no month a ledger holds (2021-03).
        let e = refused(r#"p.month == "2021年3月""#).unwrap();
        assert!(e.contains("write \"2021-03\""), "{e}");
    }
}
