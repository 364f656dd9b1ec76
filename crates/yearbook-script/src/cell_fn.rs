//! `map`'s closure compiled to a native per-cell evaluator when it only does arithmetic.
//!
//! A Rhai call costs about 0.8 µs (the engine clones its runtime state and resolves every
//! operator afresh on each call), so `map(s, |x| x * 2)` ran at ~1.2M cells/s per core.
//! Most closures analysts write are arithmetic on the cell, numbers captured from the
//! script, `if`/`else`, `let` and a few maths functions. Those are compiled here, once per
//! `map`, into a small tree evaluated natively on every cell.
//!
//! Exactness comes first: the compiled tree computes only what it can compute exactly as
//! the engine would (the operators of [`crate::numbers`]: `/` is true division and a zero
//! divisor gives missing and is counted; comparisons of decimals are approximate; whole
//! numbers stay whole with checked arithmetic). Whenever a cell meets anything else (an
//! overflow, a type the tree does not handle, a result that is not a number), the cell
//! is handed back to the engine ([`Outcome::AskEngine`]), which gives the same value or
//! the same error it always did. A closure with anything the compiler does not know (a
//! string, a loop, an assignment, a call of any other function, a script function that
//! shadows a maths function) is not compiled at all.

use crate::numbers;
use rhai::{ASTFlags, ASTNode, Dynamic, Expr, FLOAT, FnCallExpr, FnPtr, INT, NativeCallContext, Stmt, StmtBlock};

/// A value inside a compiled closure: the kinds Rhai gives plain arithmetic.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Val {
    F(FLOAT),
    I(INT),
    B(bool),
    Unit,
}

/// Why evaluation left the normal path: a `return`, or a cell for the engine.
enum Exit {
    Return(Val),
    AskEngine,
}

/// What a compiled closure made of one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// The closure's value as a cell: a number, NaN for missing (a unit or a number
    /// beyond what a double holds, as the engine's path maps them).
    Cell(FLOAT),
    /// The engine must evaluate this cell (its value or its error).
    AskEngine,
}

#[derive(Clone, Copy, Debug)]
enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug)]
enum Node {
    Const(Val),
    Slot(usize),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(Bin, Box<Node>, Box<Node>),
    /// `a && b && ...` (ends at false) or `a || b || ...` (ends at true).
    Chain(bool, Vec<Node>),
    /// `abs`: a whole number stays whole.
    Abs(Box<Node>),
    /// A maths function of a decimal ([`numbers::DECIMAL_MATHS`]).
    Call(numbers::Maths, Box<Node>),
    /// `round(x, digits)`: half up to whole-number `digits` ([`numbers::round_to`]).
    RoundTo(Box<Node>, Box<Node>),
    If(Box<Node>, Box<Node>, Box<Node>),
    Block(Vec<Node>),
    Let(usize, Box<Node>),
    Return(Box<Node>),
}

/// The number a node writes (`100`, `0.01`), if it is one.
fn const_of(n: &Node) -> Option<f64> {
    match n {
        Node::Const(Val::F(f)) => Some(*f),
        Node::Const(Val::I(i)) => Some(*i as f64),
        _ => None,
    }
}

/// The slots one thread evaluates its cells in (reused from cell to cell: every `let`
/// is written before it is read).
pub(crate) struct Frame(Vec<Val>);

/// A closure compiled for cells: its tree and the slots it reads (curried values first,
/// then the cell, then its `let`s).
#[derive(Debug)]
pub(crate) struct CellFn {
    body: Node,
    /// Initial slots: the curried values, the cell's place, room for the `let`s.
    slots: Vec<Val>,
    /// Index of the cell's slot.
    cell: usize,
}

impl CellFn {
    /// Compiles `f` (a closure of one parameter, possibly with captured numbers) as seen
    /// from the `map` call `ctx`; None when anything in it is beyond the compiler.
    pub(crate) fn compile(ctx: &NativeCallContext, f: &FnPtr) -> Option<CellFn> {
        let curry: Vec<Val> = f.curry().iter().map(value_of).collect::<Option<_>>()?;
        let arity = curry.len() + 1;
        let def = ctx.iter_namespaces().find_map(|m| m.get_script_fn(f.fn_name(), arity))?;
        if def.params.len() != arity {
            return None;
        }
        let mut c = Compiler { ctx, scope: Vec::new(), slots: arity };
        for (i, p) in def.params.iter().enumerate() {
            c.scope.push((p.to_string(), i));
        }
        // Rhai does not export the body's type; an AST holding only this function walks
        // its top-level statements in order (path length 1).
        let mut lib = rhai::Module::new();
        lib.set_script_fn(def.clone());
        let mut body = Some(Vec::new());
        rhai::AST::new_from_module(lib).walk(&mut |path: &[ASTNode]| {
            if let [ASTNode::Stmt(s)] = path {
                body = body.take().and_then(|mut b| {
                    b.push(c.stmt(s)?);
                    Some(b)
                });
            }
            body.is_some()
        });
        let body = Node::Block(body?);
        let mut slots = curry;
        slots.push(Val::Unit);
        slots.resize(c.slots, Val::Unit);
        Some(CellFn { body, slots, cell: arity - 1 })
    }

    /// The factor of a closure that only scales its cell (`|x| x * 100`, `|x| 100 * x`,
    /// `|x| x / 100`, `|x| x * 100 / 12`): the numbers written there are remembered as
    /// ones written in a formula (see `Series::scaled_by`).
    pub(crate) fn scale(&self) -> Option<f64> {
        self.scale_written().map(|(k, _)| k)
    }

    /// [`CellFn::scale`] and, of its numbers, the product of those that are powers of ten
    /// (see `Series::scaled_pow`): [`CellFn::scale_steps`] multiplied out, innermost first.
    pub(crate) fn scale_written(&self) -> Option<(f64, f64)> {
        let pow = yearbook_core::kernel::arith::pow_part;
        let steps = self.scale_steps()?;
        Some(steps.into_iter().fold((1.0, 1.0), |(f, p), (c, divides)| if divides { (f / c, p / pow(c)) } else { (f * c, p * pow(c)) }))
    }

    /// The steps of a closure that only scales its cell, innermost first: (number,
    /// whether it divides). `|x| x / 100 / 12` is [(100, true), (12, true)], as the
    /// formula `x / 100 / 12` would apply them. None for any other closure.
    pub(crate) fn scale_steps(&self) -> Option<Vec<(f64, bool)>> {
        let mut node = &self.body;
        loop {
            node = match node {
                Node::Block(b) if b.len() == 1 => &b[0],
                Node::Return(n) => n,
                _ => break,
            };
        }
        let mut steps = Vec::new();
        for _ in 0..=16 {
            let (inner, step) = match node {
                Node::Slot(i) if *i == self.cell => {
                    steps.reverse();
                    return Some(steps);
                }
                Node::Bin(Bin::Mul, a, b) => match (const_of(a), const_of(b)) {
                    (None, Some(c)) => (a, (c, false)),
                    (Some(c), None) => (b, (c, false)),
                    _ => return None,
                },
                Node::Bin(Bin::Div, a, b) => match const_of(b) {
                    Some(c) if c != 0.0 => (a, (c, true)),
                    _ => return None,
                },
                _ => return None,
            };
            steps.push(step);
            node = inner;
        }
        None
    }

    /// Whether the closure multiplies or divides anything by a number `hit` accepts,
    /// written or captured (`|x| round(x / 100, 2)`, `|x| x * k` with `k = 0.01`).
    pub(crate) fn scales_by(&self, hit: &dyn Fn(f64) -> bool) -> bool {
        let num = |n: &Node| match n {
            Node::Slot(i) if *i != self.cell => match self.slots.get(*i) {
                Some(Val::F(f)) => Some(*f),
                Some(Val::I(i)) => Some(*i as f64),
                _ => None,
            },
            other => const_of(other),
        };
        let mut stack = vec![&self.body];
        while let Some(n) = stack.pop() {
            match n {
                Node::Bin(op, a, b) => {
                    if matches!(op, Bin::Mul | Bin::Div) && (num(b).is_some_and(hit) || (matches!(op, Bin::Mul) && num(a).is_some_and(hit)))
                    {
                        return true;
                    }
                    stack.push(a);
                    stack.push(b);
                }
                Node::Neg(a) | Node::Not(a) | Node::Abs(a) | Node::Call(_, a) | Node::Let(_, a) | Node::Return(a) => stack.push(a),
                Node::RoundTo(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Node::If(a, b, c) => {
                    stack.push(a);
                    stack.push(b);
                    stack.push(c);
                }
                Node::Chain(_, v) | Node::Block(v) => stack.extend(v.iter()),
                Node::Const(_) | Node::Slot(_) => {}
            }
        }
        false
    }

    /// A fresh set of slots for one thread's cells.
    pub(crate) fn frame(&self) -> Frame {
        Frame(self.slots.clone())
    }

    /// One cell through the closure, in the frame from [`CellFn::frame`].
    pub(crate) fn cell(&self, frame: &mut Frame, x: FLOAT) -> Outcome {
        frame.0[self.cell] = Val::F(x);
        let v = match eval(&self.body, &mut frame.0) {
            Ok(v) | Err(Exit::Return(v)) => v,
            Err(Exit::AskEngine) => return Outcome::AskEngine,
        };
        match v {
            Val::F(y) => Outcome::Cell(if y.is_finite() { y } else { FLOAT::NAN }),
            Val::I(i) => Outcome::Cell(i as FLOAT),
            // No number for a cell that has a value (`if` without `else`): the engine
            // words the refusal (a silently missing cell would drop out of sums).
            Val::Unit => Outcome::AskEngine,
            // Not a number: the engine words the error.
            Val::B(_) => Outcome::AskEngine,
        }
    }
}

/// A captured value the compiled tree can hold.
fn value_of(d: &Dynamic) -> Option<Val> {
    let d = d.flatten_clone();
    if let Ok(x) = d.as_float() {
        Some(Val::F(x))
    } else if let Ok(i) = d.as_int() {
        Some(Val::I(i))
    } else if let Ok(b) = d.as_bool() {
        Some(Val::B(b))
    } else if d.is_unit() {
        Some(Val::Unit)
    } else {
        None
    }
}

struct Compiler<'a, 'c> {
    ctx: &'a NativeCallContext<'c>,
    /// Names in scope, innermost last, with their slots.
    scope: Vec<(String, usize)>,
    /// Slots allocated so far.
    slots: usize,
}

impl Compiler<'_, '_> {
    fn block(&mut self, b: &StmtBlock) -> Option<Node> {
        let depth = self.scope.len();
        let nodes = b.statements().iter().map(|s| self.stmt(s)).collect::<Option<Vec<_>>>();
        self.scope.truncate(depth);
        Some(Node::Block(nodes?))
    }

    fn stmt(&mut self, s: &Stmt) -> Option<Node> {
        match s {
            Stmt::Noop(_) => Some(Node::Const(Val::Unit)),
            Stmt::Expr(e) => self.expr(e),
            Stmt::FnCall(call, _) => self.call(call),
            Stmt::Block(b) => self.block(b),
            Stmt::If(fc, _) => {
                let cond = self.expr(&fc.expr)?;
                let then = self.block(&fc.body)?;
                let other = self.block(&fc.branch)?;
                Some(Node::If(Box::new(cond), Box::new(then), Box::new(other)))
            }
            Stmt::Var(v, flags, _) if !flags.intersects(ASTFlags::EXPORTED) => {
                let (ident, init, _) = &**v;
                let init = self.expr(init)?;
                let slot = self.slots;
                self.slots += 1;
                self.scope.push((ident.name.to_string(), slot));
                Some(Node::Let(slot, Box::new(init)))
            }
            // `return x` (not `throw`).
            Stmt::Return(e, flags, _) if !flags.intersects(ASTFlags::BREAK) => {
                let v = match e {
                    Some(e) => self.expr(e)?,
                    None => Node::Const(Val::Unit),
                };
                Some(Node::Return(Box::new(v)))
            }
            _ => None,
        }
    }

    fn expr(&mut self, e: &Expr) -> Option<Node> {
        match e {
            Expr::IntegerConstant(i, _) => Some(Node::Const(Val::I(*i))),
            Expr::FloatConstant(x, _) => Some(Node::Const(Val::F(**x))),
            Expr::BoolConstant(b, _) => Some(Node::Const(Val::B(*b))),
            Expr::Unit(_) => Some(Node::Const(Val::Unit)),
            Expr::DynamicConstant(d, _) => value_of(d).map(Node::Const),
            Expr::Variable(v, _, _) => {
                let (_, name, ns, _) = &**v;
                if !ns.is_empty() {
                    return None;
                }
                let slot = self.scope.iter().rev().find(|(n, _)| n.as_str() == name.as_str())?.1;
                Some(Node::Slot(slot))
            }
            Expr::Stmt(b) => self.block(b),
            Expr::FnCall(call, _) => self.call(call),
            // `x.abs()`: a method call on a number is the function with it first.
            Expr::Dot(bx, _, _) => match &bx.rhs {
                Expr::MethodCall(call, _) if call.args.is_empty() && call.namespace.is_empty() => {
                    let arg = self.expr(&bx.lhs)?;
                    self.maths(&call.name, arg)
                }
                _ => None,
            },
            Expr::And(list, _) => Some(Node::Chain(false, list.iter().map(|e| self.expr(e)).collect::<Option<_>>()?)),
            Expr::Or(list, _) => Some(Node::Chain(true, list.iter().map(|e| self.expr(e)).collect::<Option<_>>()?)),
            _ => None,
        }
    }

    fn call(&mut self, call: &FnCallExpr) -> Option<Node> {
        if !call.namespace.is_empty() || call.capture_parent_scope {
            return None;
        }
        let name = call.name.as_str();
        let mut args = call.args.iter().map(|a| self.expr(a)).collect::<Option<Vec<_>>>()?;
        match (name, args.len()) {
            ("-", 1) => Some(Node::Neg(Box::new(args.pop()?))),
            ("+", 1) => args.pop(),
            ("!", 1) => Some(Node::Not(Box::new(args.pop()?))),
            ("round", 2) if !self.ctx.iter_namespaces().any(|m| m.get_script_fn(name, 2).is_some()) => {
                let digits = args.pop()?;
                Some(Node::RoundTo(Box::new(args.pop()?), Box::new(digits)))
            }
            (_, 2) => {
                let op = match name {
                    "+" => Bin::Add,
                    "-" => Bin::Sub,
                    "*" => Bin::Mul,
                    "/" => Bin::Div,
                    "%" => Bin::Rem,
                    "**" => Bin::Pow,
                    "==" => Bin::Eq,
                    "!=" => Bin::Ne,
                    "<" => Bin::Lt,
                    "<=" => Bin::Le,
                    ">" => Bin::Gt,
                    ">=" => Bin::Ge,
                    _ => return None,
                };
                let b = args.pop()?;
                let a = args.pop()?;
                Some(Node::Bin(op, Box::new(a), Box::new(b)))
            }
            (_, 1) => self.maths(name, args.pop()?),
            _ => None,
        }
    }

    /// A maths function of one decimal, unless the script defines one of that name.
    fn maths(&self, name: &str, arg: Node) -> Option<Node> {
        let f = numbers::DECIMAL_MATHS.iter().find(|(n, _)| *n == name).map(|&(_, f)| f);
        if (f.is_none() && name != "abs") || self.ctx.iter_namespaces().any(|m| m.get_script_fn(name, 1).is_some()) {
            return None;
        }
        Some(match f {
            Some(f) => Node::Call(f, Box::new(arg)),
            None => Node::Abs(Box::new(arg)),
        })
    }
}

fn eval(n: &Node, frame: &mut [Val]) -> Result<Val, Exit> {
    Ok(match n {
        Node::Const(v) => *v,
        Node::Slot(i) => frame[*i],
        Node::Neg(a) => match eval(a, frame)? {
            Val::F(x) => Val::F(-x),
            Val::I(i) => Val::I(i.checked_neg().ok_or(Exit::AskEngine)?),
            _ => return Err(Exit::AskEngine),
        },
        Node::Not(a) => match eval(a, frame)? {
            Val::B(b) => Val::B(!b),
            _ => return Err(Exit::AskEngine),
        },
        Node::Bin(op, a, b) => {
            let x = eval(a, frame)?;
            let y = eval(b, frame)?;
            binary(*op, x, y).ok_or(Exit::AskEngine)?
        }
        // `&&` ends at the first false, `||` at the first true; operands must be bools.
        Node::Chain(ends_at, list) => {
            for e in list {
                match eval(e, frame)? {
                    Val::B(b) if b == *ends_at => return Ok(Val::B(b)),
                    Val::B(_) => {}
                    _ => return Err(Exit::AskEngine),
                }
            }
            Val::B(!ends_at)
        }
        Node::Abs(a) => match eval(a, frame)? {
            // Rhai's abs of a whole number stays whole (and overflows at i64::MIN).
            Val::I(i) => Val::I(i.checked_abs().ok_or(Exit::AskEngine)?),
            Val::F(x) => Val::F(x.abs()),
            _ => return Err(Exit::AskEngine),
        },
        // The others take a whole number as a decimal (numbers.rs registers them so).
        Node::Call(f, a) => match eval(a, frame)? {
            Val::I(i) => Val::F(f(i as FLOAT)),
            Val::F(x) => Val::F(f(x)),
            _ => return Err(Exit::AskEngine),
        },
        Node::RoundTo(a, d) => match (eval(a, frame)?, eval(d, frame)?) {
            (Val::F(x), Val::I(d)) => Val::F(numbers::round_to(x, d)),
            (Val::I(i), Val::I(d)) => Val::F(numbers::round_to(i as FLOAT, d)),
            _ => return Err(Exit::AskEngine),
        },
        Node::If(c, t, e) => match eval(c, frame)? {
            Val::B(true) => eval(t, frame)?,
            Val::B(false) => eval(e, frame)?,
            _ => return Err(Exit::AskEngine),
        },
        Node::Block(list) => {
            let mut last = Val::Unit;
            for s in list {
                last = eval(s, frame)?;
            }
            last
        }
        Node::Let(slot, init) => {
            frame[*slot] = eval(init, frame)?;
            Val::Unit
        }
        Node::Return(v) => return Err(Exit::Return(eval(v, frame)?)),
    })
}

/// A binary operator on two values, as the engine computes it; None where the engine
/// must decide (an overflow, a zero whole-number divisor, other kinds of values).
fn binary(op: Bin, x: Val, y: Val) -> Option<Val> {
    use Val::{B, F, I};
    // Whole numbers with whole numbers: Rhai's checked built-ins, and `/`, `**` from
    // numbers.rs.
    if let (I(a), I(b)) = (x, y) {
        return Some(match op {
            Bin::Add => I(a.checked_add(b)?),
            Bin::Sub => I(a.checked_sub(b)?),
            Bin::Mul => I(a.checked_mul(b)?),
            Bin::Rem => I(a.checked_rem(b)?),
            Bin::Div => F(numbers::divide(a as FLOAT, b as FLOAT)),
            Bin::Pow => match numbers::int_power(a, b) {
                Ok(v) => I(v),
                Err(v) => F(v),
            },
            Bin::Eq => B(a == b),
            Bin::Ne => B(a != b),
            Bin::Lt => B(a < b),
            Bin::Le => B(a <= b),
            Bin::Gt => B(a > b),
            Bin::Ge => B(a >= b),
        });
    }
    if let (B(a), B(b)) = (x, y) {
        return match op {
            Bin::Eq => Some(B(a == b)),
            Bin::Ne => Some(B(a != b)),
            _ => None,
        };
    }
    let (a, b) = (decimal(x)?, decimal(y)?);
    // A missing number compared is an error the engine words.
    if matches!(op, Bin::Eq | Bin::Ne | Bin::Lt | Bin::Le | Bin::Gt | Bin::Ge) && (a.is_nan() || b.is_nan()) {
        return None;
    }
    Some(match op {
        Bin::Add => F(a + b),
        Bin::Sub => F(a - b),
        Bin::Mul => F(a * b),
        Bin::Rem => F(a % b),
        Bin::Div => F(numbers::divide(a, b)),
        Bin::Pow => F(numbers::power(a, b)),
        Bin::Eq => B(numbers::compare("==", a, b)),
        Bin::Ne => B(numbers::compare("!=", a, b)),
        Bin::Lt => B(numbers::compare("<", a, b)),
        Bin::Le => B(numbers::compare("<=", a, b)),
        Bin::Gt => B(numbers::compare(">", a, b)),
        Bin::Ge => B(numbers::compare(">=", a, b)),
    })
}

/// A number as a decimal (a whole number widened, as mixed arithmetic does).
fn decimal(v: Val) -> Option<FLOAT> {
    match v {
        Val::F(x) => Some(x),
        Val::I(i) => Some(i as FLOAT),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhai::{Array, Engine, EvalAltResult};

    /// The engine every workspace uses, with `probe(f, xs)`: for each x, the compiled
    /// closure's cell beside the engine's own call of it, as text ("" when every cell was
    /// compiled and agrees, "not compiled" when the compiler refused `f`).
    fn engine() -> Engine {
        let mut e = crate::build_engine(&yearbook_io::config::Limits::default(), None);
        e.register_fn("probe", |ctx: NativeCallContext, f: FnPtr, xs: Array| -> Result<String, Box<EvalAltResult>> {
            let Some(cf) = CellFn::compile(&ctx, &f) else { return Ok("not compiled".into()) };
            let mut frame = cf.frame();
            let mut out = String::new();
            for x in xs {
                let x = x.as_float().unwrap();
                let by_engine = f.call_within_context::<Dynamic>(&ctx, (x,));
                let compiled = cf.cell(&mut frame, x);
                match (compiled, by_engine) {
                    // An error is the engine's to word (a missing number compared).
                    (Outcome::AskEngine, Err(_)) => {}
                    (Outcome::AskEngine, Ok(v)) if v.is_unit() => {}
                    (Outcome::AskEngine, Ok(_)) => out += &format!("x={x}: asked the engine; "),
                    (Outcome::Cell(y), Ok(v)) => {
                        let want = match crate::number_of(&v) {
                            Ok(w) if w.is_finite() => w,
                            Ok(_) => FLOAT::NAN,
                            Err(_) if v.is_unit() => FLOAT::NAN,
                            Err(t) => {
                                out += &format!("x={x}: compiled {y}, engine gave a {t}; ");
                                continue;
                            }
                        };
                        if y.to_bits() != want.to_bits() && !(y.is_nan() && want.is_nan()) {
                            out += &format!("x={x}: compiled {y}, engine {want}; ");
                        }
                    }
                    (Outcome::Cell(y), Err(e)) => out += &format!("x={x}: compiled {y}, engine failed: {e}; "),
                }
            }
            Ok(out)
        });
        e.register_fn("asks", |ctx: NativeCallContext, f: FnPtr, x: FLOAT| -> bool {
            let cf = CellFn::compile(&ctx, &f).unwrap();
            cf.cell(&mut cf.frame(), x) == Outcome::AskEngine
        });
        e
    }

    const XS: &str =
        "[0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 3.0, 7.0, 100.0, 1e-300, 1e308, -1e308, 123456.789, 9.2e18, 1e15 + 0.3, 0.1 + 0.2, 0.3]";

    #[test]
    fn arithmetic_closures_give_what_the_engine_gives() {
        let e = engine();
        let closures = [
            "|x| x * 2",
            "|x| x * 2.0 + 1.0",
            "|x| x / 0",
            "|x| x / 3",
            "|x| 1 / 2 + x",
            "|x| x % 3",
            "|x| x % 0.7",
            "|x| x ** 2",
            "|x| x ** 0.5",
            "|x| 2 ** 10 + x",
            "|x| 2 ** -1 + x",
            "|x| 3 ** 50 + x",
            "|x| -x",
            "|x| +x",
            "|x| 7 % 3 + x",
            "|x| 7 - 10 * 2 + x",
            "|x| if x > 0.3 { x } else { 0 }",
            "|x| if x == 0.3 { 1 } else { 2 }",
            "|x| if x >= 1 && x <= 100 || x < -2 { 1 } else { 0 }",
            "|x| if !(x != 3) { 10 } else { x }",
            "|x| if x > 5 { 1 }",
            "|x| { let y = x * 2; let z = y + 1; z / y }",
            "|x| { if x < 0 { return 0; } x * 3 }",
            "|x| { let y = 1; if x > 1 { let y = 5; y * x } else { y + x } }",
            "|x| abs(x) + sqrt(abs(x)) + floor(x) + ceiling(x) + round(x) + int(x)",
            "|x| exp(x / 1000) + ln(abs(x) + 1) + log(abs(x) + 1)",
            "|x| x.abs() * 2",
            "|x| sqrt(4) + abs(-3) + log(1000) + ln(1) + exp(0) + floor(7) + ceiling(7) + round(7) + int(7) + x",
            "|x| abs(-3) / 2 + x",
            "|x| x / x",
            "|x| (x - x) / (x - x)",
            "|x| if 5 / 2 * 2 == 5 { x } else { -x }",
        ];
        for c in closures {
            let nan = format!("probe({c}, [0.0 / 0.0])");
            for script in [format!("probe({c}, {XS})"), nan] {
                let out: String = e.eval(&script).unwrap_or_else(|err| panic!("{script}: {err}"));
                assert_eq!(out, "", "{script}");
            }
        }
        // Captured numbers of every kind.
        for script in [
            "let k = 3; probe(|x| x * k, [1.5, 2.0])",
            "let k = 0.5; let n = 4; probe(|x| x * k + n, [1.5])",
            "let on = true; probe(|x| if on { x } else { 0 }, [2.0])",
        ] {
            assert_eq!(e.eval::<String>(script).unwrap(), "", "{script}");
        }
    }

    #[test]
    fn cells_it_cannot_decide_go_to_the_engine() {
        let e = engine();
        // Whole-number overflow, a zero whole-number divisor, a result that is not a
        // number, a condition that is not a bool: the engine words the value or error.
        for c in [
            "|x| 9223372036854775807 + 1 + x",
            "|x| abs(-9223372036854775807 - 1) + x",
            "|x| 7 % 0 + x",
            "|x| x > 1",
            "|x| if x { 1 } else { 2 }",
            "|x| -(-9223372036854775807 - 1) + x",
        ] {
            assert!(e.eval::<bool>(&format!("asks({c}, 2.0)")).unwrap(), "{c}");
        }
        assert!(!e.eval::<bool>("asks(|x| x * 2, 2.0)").unwrap());
    }

    #[test]
    fn closures_beyond_arithmetic_are_not_compiled() {
        let e = engine();
        for c in [
            "probe(|x| `${x}`.len(), [1.0])",
            "probe(|x| { let s = 0; for i in 0..3 { s += i } s + x }, [1.0])",
            "probe(|x| { let y = x; y = 2; y }, [1.0])",
            "probe(|x| [x][0], [1.0])",
            "probe(|x| max(x, 1.0), [1.0])",
            "probe(|x| throw x, [1.0])",
            "probe(|x| x.floor, [1.0])",
            // A script's own `abs` wins over the maths function, as in the engine.
            "fn abs(v) { 42 } probe(|x| abs(x), [1.0])",
        ] {
            assert_eq!(e.eval::<String>(c).unwrap(), "not compiled", "{c}");
        }
        // A script function passed by name compiles like a closure.
        assert_eq!(e.eval::<String>(&format!("fn double(v) {{ v * 2 }} probe(Fn(\"double\"), {XS})")).unwrap(), "");
    }
}
