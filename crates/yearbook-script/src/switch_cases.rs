//! `switch` on a number column of a record table with text cases: Rhai's `switch`
//! matches a value of the same kind only, so a row's `p.year` (the number 2021) never
//! matches the case `"2021"` and every row takes the default case, silently
//! (`table("projects").filter(|p| switch p.year { "2021" => true, _ => false })` counted
//! 0 rows where `p.year == "2021"` counts 2). Such a case is refused where it is written.

use rhai::{Engine, Position, Token};
use std::collections::BTreeMap;
use yearbook_core::table::{ColumnData, Table};

/// What a case of a `switch` on a field is written as.
#[derive(Debug, PartialEq, Clone, Copy)]
pub enum CaseKind {
    /// Text that spells a number (`"2021"`, `"2021年"`).
    Text,
    /// A whole number (`4`).
    Whole,
    /// A decimal (`4.0`).
    Decimal,
}

/// A case of a `switch` on a field that may never match the field's values.
#[derive(Debug, PartialEq)]
pub struct TextCase {
    /// The column the switch reads (`year` of `switch p.year`, `switch p["year"]`, or of
    /// `switch y` after `let y = p.year;`).
    pub field: String,
    /// The case as written, without quotes (`2021`, `4`).
    pub text: String,
    /// What it is written as.
    pub kind: CaseKind,
    /// Where the case is.
    pub pos: Position,
}

/// The field a switched value reads: `p.year`, `p["year"]`, or a name given one of those
/// before (`let y = p.year;`).
fn field_of(tokens: &[&Token], names: &BTreeMap<String, String>) -> Option<String> {
    match tokens {
        [Token::Identifier(_), Token::Period, Token::Identifier(f)] => Some(f.to_string()),
        [Token::Identifier(_), Token::LeftBracket, Token::StringConstant(f), Token::RightBracket] => Some(f.to_string()),
        [Token::Identifier(n)] => names.get(n.as_str()).cloned(),
        _ => None,
    }
}

/// Every case of a `switch` on a field in `script` that is text spelling a number
/// (`"2021"`, `"120"`, `"2021年"`) or a number (`4`, `4.0`), in order.
pub fn text_cases(engine: &Engine, script: &str) -> Vec<TextCase> {
    // The tokenizer gives EOF for ever after the text: stop there.
    let toks: Vec<(Token, Position)> = engine.lex([&script]).0.take_while(|(t, _)| *t != Token::EOF).collect();
    let mut out = Vec::new();
    // Names given a field (`let y = p.year;`, `y = p["year"];`), as last given.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..toks.len() {
        if let (Token::Identifier(n), Some((Token::Equals, _))) = (&toks[i].0, toks.get(i + 1)) {
            let end =
                toks[i + 2..].iter().position(|(t, _)| matches!(t, Token::SemiColon | Token::RightBrace)).map_or(toks.len(), |e| i + 2 + e);
            let value: Vec<&Token> = toks[i + 2..end].iter().map(|(t, _)| t).collect();
            match field_of(&value, &BTreeMap::new()) {
                Some(f) => names.insert(n.to_string(), f),
                None => names.remove(n.as_str()),
            };
        }
        // A loop over a column's cells (`for v in column(t, "year")`,
        // `for v in t.column("year")`): the loop variable is that field.
        if let (Token::For, Some((Token::Identifier(v), _))) = (&toks[i].0, toks.get(i + 1)) {
            let end = toks[i + 2..].iter().position(|(t, _)| *t == Token::LeftBrace).map_or(toks.len(), |e| i + 2 + e);
            let expr = &toks[i + 2..end];
            let column = expr.iter().enumerate().find_map(|(k, (t, _))| match (t, expr.get(k + 1)) {
                (Token::Identifier(c), Some((Token::LeftParen, _))) if c.as_str() == "column" => {
                    // The last text among column's own arguments (not inside `table(...)`).
                    let mut depth = 1;
                    let mut last = None;
                    for (t, _) in &expr[k + 2..] {
                        match t {
                            Token::LeftParen | Token::LeftBracket => depth += 1,
                            Token::RightParen | Token::RightBracket => depth -= 1,
                            Token::StringConstant(f) if depth == 1 => last = Some(f.to_string()),
                            _ => {}
                        }
                        if depth == 0 {
                            break;
                        }
                    }
                    last
                }
                _ => None,
            });
            match column {
                Some(f) => names.insert(v.to_string(), f),
                None => names.remove(v.as_str()),
            };
        }
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
        let switched: Vec<&Token> = toks.get(i + 1..j).unwrap_or_default().iter().map(|(t, _)| t).collect();
        let Some(field) = field_of(&switched, &names) else { continue };
        // The cases: right inside the switch's braces, before `=>`, `|` or `if`.
        let mut depth = 1;
        let mut k = j + 1;
        while let Some((t, pos)) = toks.get(k) {
            // A case starts an arm (after the `{`, a `,` or a `|`) and ends at `=>`, `|` or `if`.
            let is_case = || {
                matches!(toks.get(k.wrapping_sub(1)).map(|x| &x.0), Some(Token::Pipe | Token::Comma | Token::LeftBrace))
                    && matches!(toks.get(k + 1).map(|x| &x.0), Some(Token::DoubleArrow | Token::Pipe | Token::If))
            };
            let case = match t {
                Token::LeftBrace | Token::MapStart => {
                    depth += 1;
                    None
                }
                Token::RightBrace => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    None
                }
                Token::StringConstant(s) if depth == 1 && is_case() => {
                    let t = s.trim();
                    let number = t.parse::<f64>().is_ok_and(f64::is_finite) || yearbook_core::table::year_spelling(t).is_some();
                    number.then(|| (s.to_string(), CaseKind::Text))
                }
                Token::IntegerConstant(n) if depth == 1 && is_case() => Some((n.to_string(), CaseKind::Whole)),
                Token::FloatConstant(x) if depth == 1 && is_case() => Some((x.1.to_string(), CaseKind::Decimal)),
                _ => None,
            };
            if let Some((text, kind)) = case {
                out.push(TextCase { field: field.clone(), text, kind, pos: *pos });
            }
            k += 1;
        }
    }
    out
}

/// The first case of `script` that never matches the column it switches on in `tables`
/// (text on a column of numbers; a whole number on one of decimals; a decimal on one of
/// whole numbers, which rows give as whole numbers), with the message saying what to
/// write, where, and its width.
pub fn number_column_case(engine: &Engine, script: &str, tables: &BTreeMap<String, Table>) -> Option<(String, Position, usize)> {
    text_cases(engine, script).into_iter().find_map(|c| {
        let columns = tables.values().flat_map(|t| t.columns.iter().map(move |col| (t, col))).filter(|(_, col)| col.name == c.field);
        // Per kind of column the field names: (table, decimal example) of numbers, text.
        let (mut whole, mut decimal, mut text) = (None, None, false);
        for (t, col) in columns {
            match &col.data {
                ColumnData::Number(_) if col.is_whole() => whole = whole.or(Some(t.name.clone())),
                ColumnData::Number(v) => {
                    let example = v.iter().find(|x| x.is_finite() && x.fract() != 0.0).copied();
                    decimal = decimal.or(Some((t.name.clone(), example)))
                }
                _ => text = true,
            }
        }
        if text {
            return None;
        }
        let width = c.text.chars().count() + if c.kind == CaseKind::Text { 2 } else { 0 };
        let message = match c.kind {
            CaseKind::Text => {
                let table = whole.clone().or(decimal.clone().map(|d| d.0))?;
                let bare = c.text.trim().trim_end_matches('年');
                format!(
                    "switch on `{}`: the column `{}` of table `{table}` holds numbers, and a switch matches a case of the same \
                     kind only, so the case \"{}\" (text) never matches and every row takes the default case; write the case as \
                     a number, {bare}, or compare with ==, which reads \"{}\" as the number",
                    c.field, c.field, c.text, c.text
                )
            }
            CaseKind::Whole if whole.is_none() => {
                let (table, example) = decimal?;
                let shown = example.map(|x| format!(" ({})", yearbook_core::format::number(x))).unwrap_or_default();
                format!(
                    "switch on `{}`: the column `{}` of table `{table}` holds decimals{shown}, which rows give as decimals, and a \
                     switch matches a case of the same kind only, so the case {} (a whole number) never matches {}.0 and every \
                     row takes the default case; write the case as {}.0, or compare with ==",
                    c.field, c.field, c.text, c.text, c.text
                )
            }
            CaseKind::Decimal if decimal.is_none() => {
                let table = whole?;
                let x: f64 = c.text.parse().ok()?;
                let fix = if x.fract() == 0.0 { format!("write the case as {}", x as i64) } else { "it holds none".to_string() };
                format!(
                    "switch on `{}`: the column `{}` of table `{table}` holds whole numbers, which rows give as whole numbers, and \
                     a switch matches a case of the same kind only, so the case {} (a decimal) never matches; {fix}, or compare \
                     with ==",
                    c.field, c.field, c.text
                )
            }
            _ => return None,
        };
        Some((message, c.pos, width))
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
        // Not a field, text that is no number: nothing.
        assert!(found(r#"switch x { "2021" => 1 }"#).is_empty());
        assert!(found(r#"switch p.name { "甲镇" => 1, _ => 0 }"#).is_empty());
        // Numbers are cases too (the kind is checked against the column).
        assert_eq!(found(r#"switch p.year { 2021 => 1, 4.5 => 0 }"#), vec![("year".into(), "2021".into()), ("year".into(), "4.5".into())]);
        // p["year"], and a name given the field before.
        assert_eq!(found(r#"switch p["year"] { "2021" => 1, _ => 0 }"#), vec![("year".into(), "2021".into())]);
        assert_eq!(found(r#"let y = p.year; switch y { "2021" => 1, _ => 0 }"#), vec![("year".into(), "2021".into())]);
        assert!(found(r#"let y = p.year; y = 3; switch y { "2021" => 1, _ => 0 }"#).is_empty());
        // A loop over a column's cells.
        let s = r#"let n = 0; for v in column(table("projects"), "year") { switch v { "2021" => n += 1, _ => () } } n"#;
        assert_eq!(found(s), vec![("year".into(), "2021".into())]);
        assert_eq!(found(r#"for v in t.column("year") { switch v { "2021" => 1, _ => 0 } }"#), vec![("year".into(), "2021".into())]);
        assert!(found(r#"for v in [1, 2] { switch v { "2021" => 1, _ => 0 } }"#).is_empty());
    }
}
