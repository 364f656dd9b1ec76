//! Whether a derived indicator's formula has an additive constant term (`qty - 1.5`,
//! `(qty + 2) * 3`): declared `rollup = "sum"`, its regions' values add the constant
//! once per region, so their sum is not the formula of their sum. Read from the compiled
//! expression, without data (`yearbook check` warns of it).

use rhai::{AST, Expr, FnCallExpr, Stmt};

/// The constant term of the formula `ast` holds, as written (`1.5`), if it has one: a
/// number added to or taken from the rest, the top of the formula or under a factor or a
/// sign. A function of the rest (`round(qty, 1)`) is not looked into.
pub fn constant_term(ast: &AST) -> Option<String> {
    match ast.statements() {
        [Stmt::Expr(e)] => in_expr(e),
        [Stmt::FnCall(f, _)] => in_call(f),
        _ => None,
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
