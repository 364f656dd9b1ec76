//! `switch` on a number column of a record table with text cases: Rhai's `switch`
//! matches a value of the same kind only, so a row's `p.year` (the number 2021) never
//! matches the case `"2021"` and every row takes the default case, silently
//! (`table("projects").filter(|p| switch p.year { "2021" => true, _ => false })` counted
//! 0 rows where `p.year == "2021"` counts 2). Such a case is refused where it is written.

use rhai::{Engine, Position, Token};
use std::collections::BTreeMap;
use yearbook_core::table::{ColumnData, Table};

/// A text case that spells a number, in a `switch` on `x.field`.
#[derive(Debug, PartialEq)]
pub struct TextCase {
    /// The column the switch reads (`year` of `switch p.year`).
    pub field: String,
    /// The case as written, without its quotes (`2021`).
    pub text: String,
    /// Where the case is.
    pub pos: Position,
}

/// Every case of a `switch` on a field (`switch p.year { ... }`) in `script` that is text
/// spelling a number (`"2021"`, `"120"`, `"2021年"`), in order.
pub fn text_cases(engine: &Engine, script: &str) -> Vec<TextCase> {
    // The tokenizer gives EOF for ever after the text: stop there.
    let toks: Vec<(Token, Position)> = engine.lex([&script]).0.take_while(|(t, _)| *t != Token::EOF).collect();
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if toks[i].0 != Token::Switch {
            continue;
        }
        // The switched value: the tokens up to the `{` outside brackets.
        let mut j = i + 1;
        let mut depth = 0i32;
        while let Some((t, _)) = toks.get(j) {
            match t {
                Token::LeftParen | Token::LeftBracket => depth += 1,
                Token::RightParen | Token::RightBracket => depth -= 1,
                Token::LeftBrace if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        let field = match toks.get(i + 1..j).map(|s| s.iter().map(|(t, _)| t).collect::<Vec<_>>()).as_deref() {
            Some([Token::Identifier(_), Token::Period, Token::Identifier(f)]) => f.to_string(),
            _ => continue,
        };
        // The cases: text right inside the switch's braces, before `=>`, `|` or `if`.
        let mut depth = 1;
        let mut k = j + 1;
        while let Some((t, pos)) = toks.get(k) {
            match t {
                Token::LeftBrace | Token::MapStart => depth += 1,
                Token::RightBrace => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Token::StringConstant(s) if depth == 1 => {
                    let is_case = matches!(toks.get(k + 1).map(|x| &x.0), Some(Token::DoubleArrow | Token::Pipe | Token::If))
                        || matches!(toks.get(k.wrapping_sub(1)).map(|x| &x.0), Some(Token::Pipe));
                    let t = s.trim();
                    let number = t.parse::<f64>().is_ok_and(f64::is_finite) || yearbook_core::table::year_spelling(t).is_some();
                    if is_case && number {
                        out.push(TextCase { field: field.clone(), text: s.to_string(), pos: *pos });
                    }
                }
                _ => {}
            }
            k += 1;
        }
    }
    out
}

/// The first text case of `script` on a column that holds numbers in one of `tables` (and
/// text in none), with the message saying what to write.
pub fn number_column_case(engine: &Engine, script: &str, tables: &BTreeMap<String, Table>) -> Option<(String, Position, usize)> {
    text_cases(engine, script).into_iter().find_map(|c| {
        let columns = tables.values().flat_map(|t| t.columns.iter().map(move |col| (t, col))).filter(|(_, col)| col.name == c.field);
        let (mut number, mut text) = (None, false);
        for (t, col) in columns {
            match col.data {
                ColumnData::Number(_) => number = number.or(Some(t.name.clone())),
                _ => text = true,
            }
        }
        let table = number.filter(|_| !text)?;
        let bare = c.text.trim().trim_end_matches('年');
        Some((
            format!(
                "switch on `{}`: the column `{}` of table `{table}` holds numbers, and a switch matches a case of the same \
                 kind only, so the case \"{}\" (text) never matches and every row takes the default case; write the case as a \
                 number, {bare}, or compare with ==, which reads \"{}\" as the number",
                c.field, c.field, c.text, c.text
            ),
            c.pos,
            c.text.chars().count() + 2,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_text_cases_that_spell_numbers_in_a_switch_on_a_field() {
        let e = Engine::new_raw();
        let found = |s: &str| text_cases(&e, s).into_iter().map(|c| (c.field, c.text)).collect::<Vec<_>>();
        let s = r#"t.filter(|p| switch p.year { "2021" => true, "2020" | "2019年" => true, "x" => false, _ => false })"#;
        assert_eq!(found(s), vec![("year".into(), "2021".into()), ("year".into(), "2020".into()), ("year".into(), "2019年".into())]);
        // A case with a condition, and text inside a case's body (not a case).
        assert_eq!(found(r#"switch r.id { "120" if x > 1 => #{a: "7"}, _ => "8" }"#), vec![("id".into(), "120".into())]);
        // Not a field, number cases, text that is no number: nothing.
        assert!(found(r#"switch x { "2021" => 1 }"#).is_empty());
        assert!(found(r#"switch p.year { 2021 => 1, _ => 0 }"#).is_empty());
        assert!(found(r#"switch p.name { "甲镇" => 1, _ => 0 }"#).is_empty());
    }
}
