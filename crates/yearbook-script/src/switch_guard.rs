//! `switch` compares its value with each case as `==` does. Rhai's own `switch` matches a
//! case of the same kind only (it looks the value's hash up among the cases'), so
//! `let y = 2021; switch y { "2021" => 1, _ => 0 }` gave 0, `switch 2.0 { 2 => … }` and
//! `switch 'a' { "a" => … }` took the default, and a switch on a list, a record or an
//! empty cell took the default too, silently, where `==` gives true or an error.
//!
//! How: every `switch` of a script is compiled as `switch key OP value { … }`, where OP
//! is a binary operator of the lowest precedence ([`OPERATOR`]) and `key` a text that
//! lists the cases as written (read from the script's tokens). The operator's function
//! ([`case_of`]) compares the value with each case by `==` and hands Rhai the case it
//! equals, so Rhai's lookup finds it; a value equal to none is handed back as it is and
//! takes the default, as before; a comparison `==` refuses is the switch's error, at the
//! switched value. The three tokens take the place of the six letters of `switch` (the
//! token mapper turns them into `switch`, the key and the operator), so every other
//! token keeps its line and column and errors point where they did.

use rhai::{Dynamic, Engine, EvalAltResult, FLOAT, INT, ImmutableString, NativeCallContext, Position, Token};
use std::cell::RefCell;
use std::collections::HashMap;
use yearbook_core::error::{ErrorKind, Fault};

/// The operator between the cases' key and the switched value, registered with
/// precedence 2: the lowest that binds (an expression is parsed above 1), so it takes
/// the whole expression after it.
pub(crate) const OPERATOR: &str = "yearbook_switch_case_of";

/// Separates the key's parts.
const SEP: char = '\u{1f}';

/// A case as written.
#[derive(Debug, Clone)]
enum Case {
    /// A literal: a number, text, a character, true or false, `()`.
    Literal(Dynamic),
    /// A range of whole numbers (`1..3`, `1..=3`).
    Range { start: INT, end: INT, inclusive: bool },
}

/// A `switch` found in a script's tokens.
struct Found {
    /// Where its keyword is.
    at: Position,
    /// Where its value starts.
    value_at: Position,
    /// Its cases (not the default), in order.
    cases: Vec<Case>,
}

thread_local! {
    /// The tokens to replace while one script compiles on this thread, by line and column.
    static MAPPED: RefCell<Option<HashMap<(usize, usize), Token>>> = const { RefCell::new(None) };
}

/// The engine's token mapper: the tokens [`compile`] placed, turned into the switch, its
/// key and the operator; every other token as it is.
pub(crate) fn map_token(token: Token, pos: Position) -> Token {
    MAPPED.with(|m| match (&*m.borrow(), pos.line(), pos.position()) {
        (Some(map), Some(l), Some(c)) => map.get(&(l, c)).cloned().unwrap_or(token),
        _ => token,
    })
}

/// Registers the operator and its function.
pub(crate) fn register(e: &mut Engine) {
    // The name is no keyword and the precedence is not zero: registration cannot fail.
    let _ = e.register_custom_operator(OPERATOR, 2);
    e.register_fn(OPERATOR, case_of);
}

/// Compiles `text` with `compile` so that each of its `switch`es compares as `==` does.
/// `text` is compiled as written first: its errors are the script's own. A text without
/// a switch whose cases can be read is compiled once.
pub fn compile<T, E>(engine: &Engine, text: &str, compile: impl Fn(&str) -> Result<T, E>) -> Result<T, E> {
    let plain = compile(text)?;
    let found = find(engine, text);
    if found.is_empty() {
        return Ok(plain);
    }
    let mut rewritten = text.to_string();
    let mut map = HashMap::new();
    for f in &found {
        let (Some(line), Some(col)) = (f.at.line(), f.at.position()) else { continue };
        let Some(offset) = byte_offset(text, line, col) else { continue };
        if text.get(offset..offset + 6) != Some("switch") {
            continue;
        }
        // `s 0  o`: six characters, three tokens, every other character in its place.
        rewritten.replace_range(offset..offset + 6, "s 0  o");
        map.insert((line, col), Token::Switch);
        map.insert((line, col + 2), Token::StringConstant(Box::new(encode(f).into())));
        map.insert((line, col + 5), Token::Custom(Box::new(OPERATOR.into())));
    }
    if map.is_empty() {
        return Ok(plain);
    }
    MAPPED.with(|m| *m.borrow_mut() = Some(map));
    let guarded = compile(&rewritten);
    MAPPED.with(|m| *m.borrow_mut() = None);
    // The rewritten text parses wherever the text did; should it not, the text as written.
    Ok(guarded.unwrap_or(plain))
}

/// The byte offset of 1-based `line` and character `col` in `text`.
fn byte_offset(text: &str, line: usize, col: usize) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let rest = text.get(start..)?;
    let (i, _) = rest.char_indices().nth(col.checked_sub(1)?)?;
    Some(start + i)
}

/// Every `switch` in `text` whose cases are all literals or ranges, with them.
fn find(engine: &Engine, text: &str) -> Vec<Found> {
    if !text.contains("switch") {
        return Vec::new();
    }
    // The tokenizer gives EOF for ever after the text: stop there.
    let toks: Vec<(Token, Position)> = engine.lex([&text]).0.take_while(|(t, _)| *t != Token::EOF).collect();
    let mut out = Vec::new();
    for (i, (t, at)) in toks.iter().enumerate() {
        if *t == Token::Switch
            && let Some(f) = read_switch(&toks, i, *at)
        {
            out.push(f);
        }
    }
    out
}

/// Whether a token opens a bracket of any kind.
fn opens(t: &Token) -> bool {
    matches!(t, Token::LeftParen | Token::LeftBracket | Token::LeftBrace | Token::MapStart | Token::QuestionBracket)
}

/// Whether a token closes a bracket of any kind.
fn closes(t: &Token) -> bool {
    matches!(t, Token::RightParen | Token::RightBracket | Token::RightBrace)
}

/// The switch whose keyword is token `i`, when its cases can be read.
fn read_switch(toks: &[(Token, Position)], i: usize, at: Position) -> Option<Found> {
    let value_at = toks.get(i + 1)?.1;
    // The value runs to the first `{` outside brackets.
    let mut depth = 0usize;
    let mut j = i + 1;
    loop {
        let (t, _) = toks.get(j)?;
        if *t == Token::LeftBrace && depth == 0 {
            break;
        }
        if opens(t) {
            depth += 1;
        } else if closes(t) {
            depth = depth.checked_sub(1)?;
        }
        j += 1;
    }
    // The cases: a pattern runs from the block's start, a comma, or the end of a case's
    // block, to `=>`, all at the block's own depth.
    let mut stack: Vec<&Token> = vec![&toks[j].0];
    let mut start = j + 1;
    let mut cases = Vec::new();
    let mut k = j + 1;
    while let Some((t, _)) = toks.get(k) {
        if opens(t) {
            stack.push(t);
        } else if closes(t) {
            let opener = stack.pop()?;
            if stack.is_empty() {
                return (!cases.is_empty()).then_some(Found { at, value_at, cases });
            }
            if stack.len() == 1 && *opener == Token::LeftBrace {
                start = k + 1;
            }
        } else if stack.len() == 1 {
            match t {
                Token::Comma => start = k + 1,
                Token::DoubleArrow => {
                    cases.extend(read_pattern(&toks[start.min(k)..k])?);
                    start = k + 1;
                }
                _ => {}
            }
        }
        k += 1;
    }
    None
}

/// The cases of one pattern (`1 | 2 if cond`): none for the default `_`; None when one
/// is not a literal.
fn read_pattern(toks: &[(Token, Position)]) -> Option<Vec<Case>> {
    let end = toks.iter().position(|(t, _)| *t == Token::If).unwrap_or(toks.len());
    let mut out = Vec::new();
    for alt in toks[..end].split(|(t, _)| *t == Token::Pipe) {
        let alt: Vec<&Token> = alt.iter().map(|(t, _)| t).collect();
        match alt.as_slice() {
            [Token::Underscore] => {}
            [Token::Unit] | [Token::LeftParen, Token::RightParen] => out.push(Case::Literal(Dynamic::UNIT)),
            [Token::True] => out.push(Case::Literal(Dynamic::TRUE)),
            [Token::False] => out.push(Case::Literal(Dynamic::FALSE)),
            [Token::StringConstant(s)] => out.push(Case::Literal(Dynamic::from(s.to_string()))),
            [Token::CharConstant(c)] => out.push(Case::Literal(Dynamic::from(*c))),
            toks => {
                let range = toks.iter().position(|t| matches!(t, Token::ExclusiveRange | Token::InclusiveRange));
                match range {
                    Some(r) => {
                        let (Some(Case::Literal(a)), Some(Case::Literal(b))) = (number(&toks[..r]), number(&toks[r + 1..])) else {
                            return None;
                        };
                        let (start, end) = (a.as_int().ok()?, b.as_int().ok()?);
                        out.push(Case::Range { start, end, inclusive: *toks[r] == Token::InclusiveRange });
                    }
                    None => out.push(number(toks)?),
                }
            }
        }
    }
    Some(out)
}

/// A number as written, with its sign.
fn number(toks: &[&Token]) -> Option<Case> {
    let (negative, rest) = match toks {
        [Token::Minus | Token::UnaryMinus, rest @ ..] => (true, rest),
        [Token::Plus | Token::UnaryPlus, rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    match rest {
        [Token::IntegerConstant(i)] => Some(Case::Literal(Dynamic::from(if negative { i.checked_neg()? } else { *i }))),
        [Token::FloatConstant(f)] => {
            let v: FLOAT = *f.0;
            Some(Case::Literal(Dynamic::from(if negative { -v } else { v })))
        }
        _ => None,
    }
}

/// The key: where the value starts, then each case.
fn encode(f: &Found) -> String {
    let mut s = format!("{}:{}", f.value_at.line().unwrap_or(0), f.value_at.position().unwrap_or(0));
    for c in &f.cases {
        s.push(SEP);
        match c {
            Case::Range { start, end, inclusive } => s.push_str(&format!("{}{start}:{end}", if *inclusive { 'R' } else { 'r' })),
            Case::Literal(d) => {
                if let Ok(i) = d.as_int() {
                    s.push_str(&format!("i{i}"));
                } else if let Ok(x) = d.as_float() {
                    s.push_str(&format!("f{:x}", x.to_bits()));
                } else if let Ok(b) = d.as_bool() {
                    s.push_str(if b { "b1" } else { "b0" });
                } else if let Ok(c) = d.as_char() {
                    s.push('c');
                    s.push(c);
                } else if d.is_unit() {
                    s.push('u');
                } else if let Some(t) = d.read_lock::<ImmutableString>() {
                    s.push('s');
                    s.push_str(t.as_str());
                }
            }
        }
    }
    s
}

/// The key read back: where the value starts and the cases. A text case holding the
/// separator ends the list there (a key is only ever made by [`encode`]).
fn decode(key: &str) -> (Position, Vec<Case>) {
    let mut parts = key.split(SEP);
    let at = parts
        .next()
        .and_then(|p| p.split_once(':'))
        .and_then(|(l, c)| Some(Position::new(l.parse().ok()?, c.parse().ok()?)))
        .unwrap_or(Position::NONE);
    let mut cases = Vec::new();
    for p in parts {
        let mut chars = p.chars();
        let Some(tag) = chars.next() else { break };
        let rest = chars.as_str();
        let case = match tag {
            'i' => rest.parse::<INT>().ok().map(|i| Case::Literal(Dynamic::from(i))),
            'f' => u64::from_str_radix(rest, 16).ok().map(|b| Case::Literal(Dynamic::from(FLOAT::from_bits(b)))),
            'b' => Some(Case::Literal(Dynamic::from(rest == "1"))),
            'c' => rest.chars().next().map(|c| Case::Literal(Dynamic::from(c))),
            'u' => Some(Case::Literal(Dynamic::UNIT)),
            's' => Some(Case::Literal(Dynamic::from(rest.to_string()))),
            'r' | 'R' => rest
                .split_once(':')
                .and_then(|(a, b)| Some(Case::Range { start: a.parse().ok()?, end: b.parse().ok()?, inclusive: tag == 'R' })),
            _ => None,
        };
        match case {
            Some(c) => cases.push(c),
            None => break,
        }
    }
    (at, cases)
}

/// Whether `v` is of the very kind of `c`, so that Rhai's own match is `==`'s.
fn same_kind(v: &Dynamic, c: &Case) -> bool {
    match c {
        Case::Literal(d) => v.type_id() == d.type_id() && !v.is_float(),
        Case::Range { .. } => v.is_int(),
    }
}

/// The operator's function: the case `value` equals by `==` (handed to Rhai's lookup),
/// or `value` itself when it equals none (the default case, or a range Rhai checks).
/// Errors where `==` errors (a list, a record, an empty cell against a number …), at the
/// switched value.
fn case_of(ctx: NativeCallContext, key: ImmutableString, value: Dynamic) -> Result<Dynamic, Box<EvalAltResult>> {
    let (at, cases) = decode(&key);
    // Cases all of the value's own kind (not decimals: 2.0 against 2.5 and 2): Rhai's
    // lookup is `==` there.
    if cases.iter().all(|c| same_kind(&value, c)) {
        return Ok(value);
    }
    let missing = value.is_unit() || value.as_float().is_ok_and(f64::is_nan);
    if missing && !cases.iter().any(|c| matches!(c, Case::Literal(d) if d.is_unit()) && value.is_unit()) {
        return Err(at_value(
            Fault::type_(
                "`switch` on an empty cell (a missing value): it equals no case, and it is not any other value either; \
                 test for it first (`if x == () { … } else { switch x { … } }`), or fill it (`switch x ?? 0 { … }`)",
            ),
            at,
        ));
    }
    let ask = |op: &str, a: &Dynamic, b: &Dynamic| -> Result<bool, Box<EvalAltResult>> {
        let r: Dynamic = ctx.call_native_fn(op, (a.clone(), b.clone())).map_err(|e| refused(&e, a, at))?;
        r.as_bool().map_err(|_| {
            at_value(
                Fault::type_(format!(
                    "`switch` on {}: `{op}` with the case {} gives {}, not true or false; switch on one value (a number, a text, a cell)",
                    crate::mismatch::shown(a),
                    crate::mismatch::shown(b),
                    crate::mismatch::shown(&r)
                )),
                at,
            )
        })
    };
    // A case of the value's own kind first (`"abc"` among `1, "abc"`): no other kind
    // is asked when one of its own is the value.
    for c in cases.iter().filter(|c| same_kind(&value, c)) {
        if let Case::Literal(d) = c
            && ask("==", &value, d)?
        {
            return Ok(value);
        }
    }
    for c in &cases {
        match c {
            Case::Literal(d) => {
                if ask("==", &value, d)? {
                    return Ok(d.clone());
                }
            }
            Case::Range { start, end, inclusive } => {
                let (s, e) = (Dynamic::from(*start), Dynamic::from(*end));
                if ask(">=", &value, &s)? && ask(if *inclusive { "<=" } else { "<" }, &value, &e)? {
                    // A number Rhai's range check reads: text of a number as that number.
                    return Ok(as_number(&value).unwrap_or(value));
                }
            }
        }
    }
    Ok(value)
}

/// Text that spells a number (`"5"`, `"2021年"`), as the number; a number as it is.
fn as_number(v: &Dynamic) -> Option<Dynamic> {
    if v.is_int() || v.is_float() {
        return Some(v.clone());
    }
    let t = v.read_lock::<ImmutableString>()?;
    let t = t.trim();
    if let Ok(i) = t.parse::<INT>() {
        return Some(Dynamic::from(i));
    }
    t.parse::<FLOAT>().ok().or_else(|| yearbook_core::table::year_spelling(t)).map(Dynamic::from)
}

/// A comparison `==` (or `<`) refused, as the switch's error.
fn refused(e: &EvalAltResult, value: &Dynamic, at: Position) -> Box<EvalAltResult> {
    let (kind, inner) = match e {
        EvalAltResult::ErrorRuntime(d, _) => (crate::raised_kind(d).unwrap_or(ErrorKind::Type), d.to_string()),
        other => (ErrorKind::Type, format!("{} cannot be compared with its cases ({other})", crate::mismatch::shown(value))),
    };
    at_value(Fault::new(kind, format!("`switch` compares its value with each case as `==` does: {inner}")), at)
}

/// `fault` as an error at the switched value.
fn at_value(fault: Fault, at: Position) -> Box<EvalAltResult> {
    let mut e = crate::raise(fault);
    e.set_position(at);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases(script: &str) -> Vec<Vec<Case>> {
        let e = Engine::new();
        find(&e, script).into_iter().map(|f| f.cases).collect()
    }

    #[test]
    fn cases_are_read_as_written() {
        let lit = |d: Dynamic| Case::Literal(d);
        let got = cases(
            "switch x { 1 | -2 => a, 2.5 => { b } \"t\" if y > 1 => c, 'c' => d, () => e, true => f, 1..3 => g, -5..=-1 => h, _ => i }",
        );
        let want = vec![vec![
            lit(Dynamic::from(1 as INT)),
            lit(Dynamic::from(-2 as INT)),
            lit(Dynamic::from(2.5 as FLOAT)),
            lit(Dynamic::from("t".to_string())),
            lit(Dynamic::from('c')),
            lit(Dynamic::UNIT),
            lit(Dynamic::TRUE),
            Case::Range { start: 1, end: 3, inclusive: false },
            Case::Range { start: -5, end: -1, inclusive: true },
        ]];
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        // A switch in a case's action, and one in the value's brackets.
        assert_eq!(cases("switch f(#{a: 1}) { 1 => switch y { \"a\" => 1 }, _ => 0 }").len(), 2);
        // A case that is no literal: that switch is left as Rhai has it.
        assert!(cases("switch x { CONST => 1 }").is_empty());
        assert!(cases("let switchboard = 1;").is_empty());
    }

    #[test]
    fn a_key_reads_back_as_written() {
        let f = Found {
            at: Position::new(2, 3),
            value_at: Position::new(2, 10),
            cases: vec![
                Case::Literal(Dynamic::from(-7 as INT)),
                Case::Literal(Dynamic::from(0.1 as FLOAT)),
                Case::Literal(Dynamic::from("2021年 a:b".to_string())),
                Case::Literal(Dynamic::from('字')),
                Case::Literal(Dynamic::FALSE),
                Case::Literal(Dynamic::UNIT),
                Case::Range { start: -1, end: 9, inclusive: true },
            ],
        };
        let (at, back) = decode(&encode(&f));
        assert_eq!(at, Position::new(2, 10));
        assert_eq!(format!("{back:?}"), format!("{:?}", f.cases));
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let t = "let 名 = 1;\n  let 值 = switch 名 {}";
        let o = byte_offset(t, 2, 11).unwrap();
        assert_eq!(&t[o..o + 6], "switch");
    }
}
