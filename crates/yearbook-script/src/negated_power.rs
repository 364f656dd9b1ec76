//! A minus sign before a power, `-2 ** 2` or `-x ** 2`: the script language reads it as
//! `(-x) ** 2` (4, as Excel's `=-2^2` does), where mathematics, Python and R read
//! `-(x ** 2)` (-4). The two differ only in sign and nothing else shows it, so a formula
//! that writes it is refused, asking for the brackets that say which is meant.

use crate::switch_guard::{byte_offset, tokens};
use rhai::{Engine, LexError, ParseError, ParseErrorType, Position, Token};

/// Refuses a `**` whose left operand is led by a minus sign that negates it (at the start,
/// after `(`, `,`, `=`, an operator or `return`), at that sign. A minus between two
/// operands (`a - x ** 2`) subtracts the power and is left alone; so are `(-x) ** 2` and
/// `-(x ** 2)`.
pub fn check(engine: &Engine, text: &str) -> Result<(), ParseError> {
    if !text.contains("**") || !text.contains('-') {
        return Ok(());
    }
    let toks = tokens(engine, text);
    for (i, (t, _)) in toks.iter().enumerate() {
        if *t != Token::PowerOf {
            continue;
        }
        let Some(start) = operand_start(&toks, i) else { continue };
        // A number written with its sign (`-2`) is one token, its sign at its place.
        let signed_number = matches!(toks[start].0, Token::IntegerConstant(_) | Token::FloatConstant(_))
            && toks[start]
                .1
                .line()
                .zip(toks[start].1.position())
                .and_then(|(l, c)| byte_offset(text, l, c))
                .and_then(|o| text.get(o..))
                .is_some_and(|rest| rest.starts_with('-'));
        let minus = match start.checked_sub(1) {
            _ if signed_number => Some(start),
            Some(m) if toks[m].0 == Token::UnaryMinus || (toks[m].0 == Token::Minus && negates(&toks, m)) => Some(m),
            _ => None,
        };
        if let Some(minus) = minus {
            let at = toks[minus].1;
            let msg = "`-x ** 2` reads as (-x) ** 2 here (4 for x = 2, as Excel's =-2^2), but as -(x ** 2) (-4) in \
                       mathematics, Python and R: write (-x) ** 2 or -(x ** 2)"
                .to_string();
            return Err(ParseError(Box::new(ParseErrorType::BadInput(LexError::ImproperSymbol("-".into(), msg))), at));
        }
    }
    Ok(())
}

/// The index of the first token of the operand that ends just before token `i`: a
/// number, a name, a bracketed group, with the call or property chain it ends
/// (`lag(gdp, 1)`, `a.b`, `x[0]`).
fn operand_start(toks: &[(Token, Position)], i: usize) -> Option<usize> {
    let mut k = i.checked_sub(1)?;
    loop {
        k = match &toks[k].0 {
            Token::RightParen | Token::RightBracket => opener(toks, k)?,
            Token::Identifier(_) | Token::IntegerConstant(_) | Token::FloatConstant(_) | Token::StringConstant(_) => k,
            _ => return None,
        };
        // A call's name, or a chain's earlier links (`a.b`, `f(x)[0]`).
        match k.checked_sub(1).map(|j| &toks[j].0) {
            Some(Token::Identifier(_)) if matches!(toks[k].0, Token::LeftParen | Token::LeftBracket) => k -= 1,
            Some(Token::Period) if k >= 2 => {
                k -= 2;
                continue;
            }
            _ => return Some(k),
        }
        match k.checked_sub(1).map(|j| &toks[j].0) {
            Some(Token::Period) if k >= 2 => k -= 2,
            _ => return Some(k),
        }
    }
}

/// The index of the bracket that opens the group closed at token `k`.
fn opener(toks: &[(Token, Position)], k: usize) -> Option<usize> {
    let mut depth = 0usize;
    for j in (0..=k).rev() {
        match &toks[j].0 {
            Token::RightParen | Token::RightBracket | Token::RightBrace => depth += 1,
            Token::LeftParen | Token::LeftBracket | Token::LeftBrace | Token::MapStart => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether the `-` at token `m` negates what follows rather than subtracting it: it
/// starts the text or follows a token after which no operand has ended.
fn negates(toks: &[(Token, Position)], m: usize) -> bool {
    let Some(prev) = m.checked_sub(1).map(|j| &toks[j].0) else { return true };
    !matches!(
        prev,
        Token::Identifier(_)
            | Token::IntegerConstant(_)
            | Token::FloatConstant(_)
            | Token::StringConstant(_)
            | Token::CharConstant(_)
            | Token::RightParen
            | Token::RightBracket
            | Token::RightBrace
            | Token::True
            | Token::False
            | Token::Unit
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> bool {
        let engine = Engine::new_raw();
        check(&engine, text).is_err()
    }

    #[test]
    fn a_minus_that_negates_a_power_is_refused() {
        for t in [
            "-2 ** 2",
            "-x ** 2",
            "let y = -x ** 2;",
            "f(1, -x ** 2)",
            "1 + -lag(gdp, 1) ** 2",
            "-(a / b) ** 2",
            "-a.b ** 2",
            "return -x ** 2;",
        ] {
            assert!(refused(t), "{t}");
        }
        for t in [
            "(-2) ** 2",
            "-(2 ** 2)",
            "a - x ** 2",
            "a -2 ** 2",
            "x-2**2",
            "a[0] - 2 ** 2",
            "f(x) - x ** 2",
            "x ** -2",
            "2 ** 2",
            "-x * 2",
            "(a) - b ** 2",
        ] {
            assert!(!refused(t), "{t}");
        }
    }
}
