//! Whether a derived indicator's formula has an additive constant term (`qty - 1.5`,
//! `(qty + 2) * 3`): declared `rollup = "sum"`, its regions' values add the constant
//! once per region, so their sum is not the formula of their sum. Read from the compiled
//! expression, without data (`yearbook check` warns of it).

use rhai::{AST, Expr, FnCallExpr, Stmt};

/// The constant term of the formula `ast` holds, as written (`1.5`), if it has one: a
/// number added to or taken from the rest, the top of the formula or under a factor or a
/// sign. A function of the rest (`round(qty, 1)`) is not looked into. Constants that
/// cancel (`qty - 1 + 1`) are none: the net constant decides.
pub fn constant_term(ast: &AST) -> Option<String> {
    let (found, net) = match ast.statements() {
        [Stmt::Expr(e)] => (in_expr(e), net_expr(e)),
        [Stmt::FnCall(f, _)] => (in_call(f), net_call(f)),
        _ => return None,
    };
    match net {
        Term::Data { net, scale } if net.abs() > scale * 1e-12 => found.or_else(|| Some(crate::guard::figure_text(net.abs()))),
        _ => None,
    }
}

/// An expression, read as the data it holds plus a constant: a number alone, or data plus
/// its net constant (`scale`: the size of the constants added up, for rounding noise).
#[derive(Clone, Copy)]
enum Term {
    Number(f64),
    Data { net: f64, scale: f64 },
}

fn net_expr(e: &Expr) -> Term {
    match e {
        Expr::IntegerConstant(i, _) => Term::Number(*i as f64),
        Expr::FloatConstant(x, _) => Term::Number(**x),
        Expr::FnCall(f, _) => net_call(f),
        Expr::Stmt(block) => match block.statements() {
            [Stmt::Expr(e)] => net_expr(e),
            [Stmt::FnCall(f, _)] => net_call(f),
            _ => Term::Data { net: 0.0, scale: 0.0 },
        },
        // A name, a function of the data: data without a constant of its own.
        _ => Term::Data { net: 0.0, scale: 0.0 },
    }
}

fn net_call(f: &FnCallExpr) -> Term {
    use Term::{Data, Number};
    let data = Data { net: 0.0, scale: 0.0 };
    if f.op_token.is_none() {
        return data;
    }
    let side = |i: usize| net_expr(&f.args[i]);
    match (f.name.as_str(), f.args.len()) {
        ("+" | "-", 2) => {
            let sign = if f.name.as_str() == "-" { -1.0 } else { 1.0 };
            match (side(0), side(1)) {
                (Number(a), Number(b)) => Number(a + sign * b),
                (Number(k), Data { net, scale }) => Data { net: k + sign * net, scale: scale + k.abs() },
                (Data { net, scale }, Number(k)) => Data { net: net + sign * k, scale: scale + k.abs() },
                (Data { net: a, scale: sa }, Data { net: b, scale: sb }) => Data { net: a + sign * b, scale: sa + sb },
            }
        }
        ("-", 1) => match side(0) {
            Number(a) => Number(-a),
            Data { net, scale } => Data { net: -net, scale },
        },
        ("*", 2) => match (side(0), side(1)) {
            (Number(a), Number(b)) => Number(a * b),
            (Number(k), Data { net, scale }) | (Data { net, scale }, Number(k)) => Data { net: net * k, scale: scale * k.abs() },
            // A product of data (price * qty) is not looked into.
            _ => data,
        },
        ("/", 2) => match (side(0), side(1)) {
            (Number(a), Number(b)) => Number(a / b),
            (Data { net, scale }, Number(k)) => Data { net: net / k, scale: scale / k.abs() },
            // A number over data (100 / (qty + 1)) keeps the constant under it, as found.
            (Number(_), d) => d,
            _ => data,
        },
        _ => data,
    }
}

fn in_expr(e: &Expr) -> Option<String> {
    match e {
        Expr::FnCall(f, _) => in_call(f),
        Expr::Stmt(block) => match block.statements() {
            [Stmt::Expr(e)] => in_expr(e),
            [Stmt::FnCall(f, _)] => in_call(f),
            _ => None,
        },
        _ => None,
    }
}

fn in_call(f: &FnCallExpr) -> Option<String> {
    // An operator (`+`, `*`), not a function of the rest.
    f.op_token.as_ref()?;
    match (f.name.as_str(), f.args.as_slice()) {
        ("+" | "-", [a, b]) => match (constant(a), constant(b)) {
            (Some(k), None) | (None, Some(k)) if k != 0.0 => Some(crate::guard::figure_text(k)),
            (None, None) => in_expr(a).or_else(|| in_expr(b)),
            _ => None,
        },
        ("*" | "/", [a, b]) => match (constant(a), constant(b)) {
            (Some(_), None) => in_expr(b),
            (None, Some(_)) => in_expr(a),
            _ => None,
        },
        ("-", [a]) => in_expr(a),
        _ => None,
    }
}

/// The value of a number written in the formula (a sum of numbers too, `1 + 0.5`).
fn constant(e: &Expr) -> Option<f64> {
    match e {
        Expr::IntegerConstant(i, _) => Some(*i as f64),
        Expr::FloatConstant(x, _) => Some(**x),
        Expr::FnCall(f, _) if f.op_token.is_some() => match (f.name.as_str(), f.args.as_slice()) {
            ("-", [a]) => constant(a).map(|x| -x),
            ("+", [a, b]) => Some(constant(a)? + constant(b)?),
            ("-", [a, b]) => Some(constant(a)? - constant(b)?),
            ("*", [a, b]) => Some(constant(a)? * constant(b)?),
            ("/", [a, b]) => Some(constant(a)? / constant(b)?),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str) -> Option<String> {
        constant_term(&rhai::Engine::new().compile_expression(text).unwrap())
    }

    /// The net constant decides: constants that cancel are none (a reviewer found
    /// `qty - 1 + 1` warned of "a constant term (1)").
    #[test]
    fn constants_that_cancel_are_no_constant_term() {
        assert_eq!(term("qty - 1.5"), Some("1.5".into()));
        assert_eq!(term("(qty + 2) * 3"), Some("2".into()));
        for f in ["qty - 1 + 1", "qty + 1 - 1", "(qty - 2) + 2", "qty - 1.1 + 1.1", "qty + 0.1 + 0.2 - 0.3", "(qty - 1) * 2 + 2"] {
            assert_eq!(term(f), None, "{f}");
        }
        for f in ["qty * 2 - qty", "qty + 0", "qty * (1 + 0.05)", "-qty", "qty * 100 / 100", "price * qty", "round(qty - 1, 1)"] {
            assert_eq!(term(f), None, "{f}");
        }
    }
}
