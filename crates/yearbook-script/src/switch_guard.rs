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

use rhai::{
    Dynamic, Engine, EvalAltResult, FLOAT, INT, ImmutableString, LexError, NativeCallContext, ParseError, ParseErrorType, Position, Token,
};
use std::cell::RefCell;
use std::collections::HashMap;
use yearbook_core::error::{ErrorKind, Fault};

/// The operator between the cases' key and the switched value, registered with
/// precedence 2: the lowest that binds (an expression is parsed above 1), so it takes
/// the whole expression after it.
pub(crate) const OPERATOR: &str = "yearbook_switch_case_of";

/// The widest column Rhai's positions count (they are 16-bit).
const MAX_COLUMN: usize = u16::MAX as usize;

/// What a case is.
#[derive(Debug, Clone)]
enum Case {
    /// A literal: a number, text, a character, true or false, `()`.
    Literal(Dynamic),
    /// A range of whole numbers (`1..3`, `1..=3`).
    Range { start: INT, end: INT, inclusive: bool },
}

/// A case as written, and whether it has a condition (`2 if x > 1 => …`).
#[derive(Debug, Clone)]
struct Written {
    case: Case,
    conditioned: bool,
}

/// A `switch` found in a script's tokens.
struct Found {
    /// Where its keyword is.
    at: Position,
    /// Where its value starts.
    value_at: Position,
    /// Its cases (not the default), in order.
    cases: Vec<Written>,
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
/// a switch is compiled once. A switch past column 65,535 of its line (where Rhai's
/// positions stop counting) is refused: it could not be told from the tokens after it.
pub fn compile<T>(engine: &Engine, text: &str, compile: impl Fn(&str) -> Result<T, ParseError>) -> Result<T, ParseError> {
    let plain = compile(text)?;
    crate::negated_power::check(engine, text)?;
    crate::date_literal::check(engine, text)?;
    let found = find(engine, text);
    if found.is_empty() {
        return Ok(plain);
    }
    let mut rewritten = text.to_string();
    let mut map = HashMap::new();
    for f in &found {
        let (Some(line), Some(col)) = (f.at.line(), f.at.position()) else { continue };
        if col + 5 >= MAX_COLUMN {
            let msg = format!(
                "a `switch` past column {MAX_COLUMN} of line {line} cannot be checked against its cases' kinds: \
                 break the line before it"
            );
            return Err(ParseError(Box::new(ParseErrorType::BadInput(LexError::ImproperSymbol("switch".into(), msg))), f.at));
        }
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

/// [`compile`] of a script (statements and functions) with `engine.compile`.
pub fn compile_script(engine: &Engine, text: &str) -> Result<rhai::AST, ParseError> {
    compile(engine, text, |t| engine.compile(t))
}

/// The byte offset of 1-based `line` and character `col` in `text`.
pub(crate) fn byte_offset(text: &str, line: usize, col: usize) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let rest = text.get(start..)?;
    let (i, _) = rest.char_indices().nth(col.checked_sub(1)?)?;
    Some(start + i)
}

/// The tokens of `text` as the parser sees them: the text after each `${…}` of an
/// interpolated string is text again (the parser tells the tokenizer so).
pub(crate) fn tokens(engine: &Engine, text: &str) -> Vec<(Token, Position)> {
    let (iter, control) = engine.lex([&text]);
    let mut out = Vec::new();
    // For each open `${`: the bracket depth its `}` closes.
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut after_interpolation = false;
    for (t, p) in iter {
        if t == Token::EOF {
            break;
        }
        if after_interpolation {
            after_interpolation = false;
            if t == Token::LeftBrace {
                open.push(depth);
            }
        }
        if matches!(t, Token::InterpolatedString(_)) {
            after_interpolation = true;
        }
        if opens(&t) {
            depth += 1;
        } else if closes(&t) {
            depth = depth.saturating_sub(1);
            if t == Token::RightBrace && open.last() == Some(&depth) {
                open.pop();
                control.borrow_mut().is_within_text = true;
            }
        }
        out.push((t, p));
    }
    out
}

/// Every `switch` in `text` whose cases are all literals or ranges, with them.
fn find(engine: &Engine, text: &str) -> Vec<Found> {
    if !text.contains("switch") {
        return Vec::new();
    }
    let toks = tokens(engine, text);
    (0..toks.len()).filter(|&i| toks[i].0 == Token::Switch).filter_map(|i| read_switch(&toks, i)).collect()
}

/// Whether a token opens a bracket of any kind.
fn opens(t: &Token) -> bool {
    matches!(t, Token::LeftParen | Token::LeftBracket | Token::LeftBrace | Token::MapStart | Token::QuestionBracket)
}

/// Whether a token closes a bracket of any kind.
fn closes(t: &Token) -> bool {
    matches!(t, Token::RightParen | Token::RightBracket | Token::RightBrace)
}

/// The index just past the bracketed group that token `i` opens.
pub(crate) fn past_group(toks: &[(Token, Position)], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, (t, _)) in toks.iter().enumerate().skip(i) {
        if opens(t) {
            depth += 1;
        } else if closes(t) {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(k + 1);
            }
        }
    }
    None
}

/// The index of the `{` that opens the cases of the switch whose value starts at token
/// `i`: the first `{` outside brackets that belongs to no `if`/`else`, nested switch or
/// block written as the value (`switch if a { 2 } else { 3 } { … }`).
fn cases_open(toks: &[(Token, Position)], mut i: usize) -> Option<usize> {
    // Blocks owed to an `if`, `else` or nested switch before the cases' own.
    let mut owed = 0usize;
    // Whether the value so far is empty (a `{` there is a block, not the cases).
    let mut empty = true;
    loop {
        let (t, _) = toks.get(i)?;
        match t {
            Token::LeftBrace if owed == 0 && !empty => return Some(i),
            Token::LeftBrace => {
                owed = owed.saturating_sub(1);
                i = past_group(toks, i)?;
                // `else` after an `if`'s block owes one more block (or an `if`).
                if toks.get(i).map(|(t, _)| t) == Some(&Token::Else) {
                    i += 1;
                    if toks.get(i).map(|(t, _)| t) != Some(&Token::If) {
                        owed += 1;
                    }
                }
                empty = false;
                continue;
            }
            Token::If | Token::Switch => owed += 1,
            t if opens(t) => {
                i = past_group(toks, i)?;
                empty = false;
                continue;
            }
            t if closes(t) => return None,
            _ => {}
        }
        empty = false;
        i += 1;
    }
}

/// The switch whose keyword is token `i`, when its cases can be read.
fn read_switch(toks: &[(Token, Position)], i: usize) -> Option<Found> {
    let at = toks.get(i)?.1;
    let value_at = toks.get(i + 1)?.1;
    let j = cases_open(toks, i + 1)?;
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
fn read_pattern(toks: &[(Token, Position)]) -> Option<Vec<Written>> {
    let end = toks.iter().position(|(t, _)| *t == Token::If);
    let conditioned = end.is_some();
    let mut out = Vec::new();
    for alt in toks[..end.unwrap_or(toks.len())].split(|(t, _)| *t == Token::Pipe) {
        let alt: Vec<&Token> = alt.iter().map(|(t, _)| t).collect();
        let case = match alt.as_slice() {
            [Token::Underscore] => continue,
            [Token::Unit] | [Token::LeftParen, Token::RightParen] => Case::Literal(Dynamic::UNIT),
            [Token::True] => Case::Literal(Dynamic::TRUE),
            [Token::False] => Case::Literal(Dynamic::FALSE),
            [Token::StringConstant(s)] => Case::Literal(Dynamic::from(s.to_string())),
            [Token::CharConstant(c)] => Case::Literal(Dynamic::from(*c)),
            toks => match toks.iter().position(|t| matches!(t, Token::ExclusiveRange | Token::InclusiveRange)) {
                Some(r) => {
                    let (Some(Case::Literal(a)), Some(Case::Literal(b))) = (number(&toks[..r]), number(&toks[r + 1..])) else {
                        return None;
                    };
                    Case::Range { start: a.as_int().ok()?, end: b.as_int().ok()?, inclusive: *toks[r] == Token::InclusiveRange }
                }
                None => number(toks)?,
            },
        };
        out.push(Written { case, conditioned });
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

/// The key: where the value starts (`line:col;`), then each case as a tag, `?` for a
/// condition or `.`, the payload's length in bytes, `:` and the payload.
fn encode(f: &Found) -> String {
    let mut s = format!("{}:{};", f.value_at.line().unwrap_or(0), f.value_at.position().unwrap_or(0));
    for w in &f.cases {
        let (tag, payload) = match &w.case {
            Case::Range { start, end, inclusive } => (if *inclusive { 'R' } else { 'r' }, format!("{start}:{end}")),
            Case::Literal(d) => {
                if let Ok(i) = d.as_int() {
                    ('i', i.to_string())
                } else if let Ok(x) = d.as_float() {
                    ('f', format!("{:x}", x.to_bits()))
                } else if let Ok(b) = d.as_bool() {
                    ('b', if b { "1" } else { "0" }.to_string())
                } else if let Ok(c) = d.as_char() {
                    ('c', c.to_string())
                } else if let Some(t) = d.read_lock::<ImmutableString>() {
                    ('s', t.to_string())
                } else {
                    ('u', String::new())
                }
            }
        };
        s.push(tag);
        s.push(if w.conditioned { '?' } else { '.' });
        s.push_str(&format!("{}:{payload}", payload.len()));
    }
    s
}

/// The key read back: where the value starts and the cases (as far as they read).
fn decode(key: &str) -> (Position, Vec<Written>) {
    let (head, mut rest) = key.split_once(';').unwrap_or(("", ""));
    let at = head.split_once(':').and_then(|(l, c)| Some(Position::new(l.parse().ok()?, c.parse().ok()?))).unwrap_or(Position::NONE);
    let mut cases = Vec::new();
    let mut next = || -> Option<Written> {
        let mut chars = rest.chars();
        let tag = chars.next()?;
        let conditioned = chars.next()? == '?';
        let (len, tail) = chars.as_str().split_once(':')?;
        let len: usize = len.parse().ok()?;
        let payload = tail.get(..len)?;
        rest = tail.get(len..)?;
        let case = match tag {
            'i' => Case::Literal(Dynamic::from(payload.parse::<INT>().ok()?)),
            'f' => Case::Literal(Dynamic::from(FLOAT::from_bits(u64::from_str_radix(payload, 16).ok()?))),
            'b' => Case::Literal(Dynamic::from(payload == "1")),
            'c' => Case::Literal(Dynamic::from(payload.chars().next()?)),
            'u' => Case::Literal(Dynamic::UNIT),
            's' => Case::Literal(Dynamic::from(payload.to_string())),
            'r' | 'R' => {
                let (a, b) = payload.split_once(':')?;
                Case::Range { start: a.parse().ok()?, end: b.parse().ok()?, inclusive: tag == 'R' }
            }
            _ => return None,
        };
        Some(Written { case, conditioned })
    };
    while let Some(w) = next() {
        cases.push(w);
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

/// Whether a value missing from a number (a NaN) or an empty cell.
fn missing(v: &Dynamic) -> bool {
    v.is_unit() || v.as_float().is_ok_and(f64::is_nan)
}

/// The operator's function: the first case `value` equals by `==`, in the order written
/// (handed to Rhai's lookup; a number for a range), or `value` itself when it equals
/// none (the default case). Errors where `==` errors (a list, a record, an empty cell
/// against a number …), at the switched value; and where a first equal case has a
/// condition and a later one of another kind is equal too (Rhai would not try it).
fn case_of(ctx: NativeCallContext, key: ImmutableString, value: Dynamic) -> Result<Dynamic, Box<EvalAltResult>> {
    let (at, cases) = decode(&key);
    // Cases all of the value's own kind (not decimals: 2.0 against 2.5 and 2): Rhai's
    // lookup is `==` there.
    if cases.iter().all(|w| same_kind(&value, &w.case)) {
        return Ok(value);
    }
    let unit_case = cases.iter().any(|w| matches!(&w.case, Case::Literal(d) if d.is_unit()));
    if missing(&value) && !unit_case {
        let what = if value.is_unit() { "an empty cell" } else { "a missing value" };
        return Err(at_value(
            Fault::type_(format!(
                "`switch` on {what}: it equals no case, and it is not any other value either; test for it first \
                 (`if is_missing(x) {{ … }} else {{ switch x {{ … }} }}`), fill it (`switch fill(x, 0) {{ … }}` for a \
                 number, `switch x ?? 0 {{ … }}` for a table's cell), or give it a case (`() => …`)"
            )),
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
    // The case `value` equals: what Rhai's lookup is handed for it.
    let equal = |c: &Case| -> Result<Option<Dynamic>, Box<EvalAltResult>> {
        Ok(match c {
            Case::Literal(d) => ask("==", &value, d)?.then(|| d.clone()),
            Case::Range { start, end, inclusive } => {
                let (s, e) = (Dynamic::from(*start), Dynamic::from(*end));
                (ask(">=", &value, &s)? && ask(if *inclusive { "<=" } else { "<" }, &value, &e)?)
                    .then(|| as_number(&value).unwrap_or_else(|| value.clone()))
            }
        })
    };
    for (i, w) in cases.iter().enumerate() {
        let Some(pick) = equal(&w.case)? else { continue };
        if w.conditioned {
            // Rhai tries, after a false condition, the cases of the handed value's own
            // hash and (for a number) the ranges: not a later case of another kind.
            for later in &cases[i + 1..] {
                let tried = match &later.case {
                    Case::Literal(d) => d.type_id() == pick.type_id() && ask("==", &pick, d)?,
                    Case::Range { .. } => pick.is_int() || pick.is_float(),
                };
                if !tried && equal(&later.case)?.is_some() {
                    return Err(at_value(
                        Fault::type_(format!(
                            "`switch` on {}: the case {} (with a condition) and the later case {} both equal it, and \
                             when the condition is false a switch does not try a case of another kind; write the \
                             equal cases as one kind",
                            crate::mismatch::shown(&value),
                            written(&w.case),
                            written(&later.case)
                        )),
                        at,
                    ));
                }
            }
        }
        return Ok(pick);
    }
    Ok(value)
}

/// A case as a script writes it.
fn written(c: &Case) -> String {
    match c {
        Case::Range { start, end, inclusive } => format!("{start}{}{end}", if *inclusive { "..=" } else { ".." }),
        Case::Literal(d) if d.is_string() => format!("{d:?}"),
        Case::Literal(d) if d.is_char() => format!("'{d}'"),
        Case::Literal(d) if d.is_unit() => "()".into(),
        Case::Literal(d) => d.as_float().map(yearbook_core::format::number).unwrap_or_else(|_| d.to_string()),
    }
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
        find(&e, script).into_iter().map(|f| f.cases.into_iter().map(|w| w.case).collect()).collect()
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
        // The value may hold blocks: an `if`/`else`, a block, a nested switch.
        assert_eq!(cases("switch if a { 2 } else if b { 3 } else { 4 } { \"2\" => 1 }").len(), 1);
        assert_eq!(cases("switch { 2 } { \"2\" => 1 }").len(), 1);
        assert_eq!(cases("switch switch a { 1 => 2, _ => 0 } { \"2\" => 1 }").len(), 2);
        // Interpolated text before and in a case: the text after `${…}` is text.
        assert_eq!(format!("{:?}", cases("let s = `a${1}b`; switch x { `2` => 0, \"3\" => 1 }")), "[[Literal(\"2\"), Literal(\"3\")]]");
        assert_eq!(cases("let s = `a${ #{b: 1}.b }c${2}`; switch x { \"2\" => 1 }").len(), 1);
        // A case that is no literal: that switch is left as Rhai has it.
        assert!(cases("switch x { CONST => 1 }").is_empty());
        assert!(cases("let switchboard = 1;").is_empty());
    }

    #[test]
    fn a_key_reads_back_as_written() {
        let f = Found {
            at: Position::new(2, 3),
            value_at: Position::new(2, 10),
            cases: [
                Case::Literal(Dynamic::from(-7 as INT)),
                Case::Literal(Dynamic::from(0.1 as FLOAT)),
                Case::Literal(Dynamic::from("2021年 a:b;\u{1f}c".to_string())),
                Case::Literal(Dynamic::from('\u{1f}')),
                Case::Literal(Dynamic::FALSE),
                Case::Literal(Dynamic::UNIT),
                Case::Range { start: -1, end: 9, inclusive: true },
            ]
            .into_iter()
            .enumerate()
            .map(|(i, case)| Written { case, conditioned: i % 2 == 1 })
            .collect(),
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
