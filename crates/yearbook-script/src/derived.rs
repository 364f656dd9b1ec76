//! Indicators defined in the config (`[indicators.<id>]`): their compiled definitions
//! (shared, read-only) and the values computed so far (shared by every evaluation of a
//! workspace, threads included). Computing them is `script::indicators`.

use rhai::AST;
use std::collections::BTreeMap;
use std::sync::Mutex;
use yearbook_core::error::Fault;
use yearbook_core::series::Series;
use yearbook_core::unit::Unit;

/// One compiled `[indicators.<id>]`.
#[derive(Clone)]
pub struct Def {
    /// The id scripts use.
    pub id: String,
    /// The label reports print.
    pub label: String,
    /// The declared unit the result is converted to.
    pub unit: Option<Unit>,
    /// The expression (or `function()` call) and its compiled form.
    pub text: String,
    /// The compiled expression.
    pub ast: AST,
    /// Wall-time limit, overriding limits.timeout_ms.
    pub timeout_ms: Option<u64>,
    /// How it rolls up, when the config declares it (`rollup = "sum"`).
    pub rollup: Option<yearbook_core::indicator::Rollup>,
    /// Derived indicators the expression names (computed before it).
    pub uses: Vec<String>,
}

impl Def {
    /// The function or operator the expression is a call of at its outermost, with its
    /// number of arguments: `share(a, b)` is `("share", 2)`, `a / b` is `("/", 2)`,
    /// `(a / b)` too; None for anything else (statements, a variable, a number).
    pub fn outer_call(&self) -> Option<(&str, usize)> {
        outer_call_of(&self.ast).map(|(f, n, _)| (f, n))
    }

    /// The call its formula makes under wrappers that keep its scale (`round(share(a,
    /// b), 3)` is `share`'s), as [`kept_call_of`].
    pub fn kept_call(&self) -> Option<(&str, usize)> {
        kept_call_of(&self.ast).map(|(f, n, _)| (f, n))
    }

    /// The kind of figure its formula gives, for the indicator table's unit: as
    /// [`Def::kept_call`], and also through a quantile (`quantile(yoy(x), q)`), a change
    /// (`diff(yoy(x))`, in 百分点), a multiple by a number other than a power of ten
    /// (`yoy(x) * 2`), `where` choosing it or a number or another of the same call, and the
    /// sum or difference of two of the same call (`yoy(a) - yoy(b)`): each a fraction
    /// where a growth is, shown in %.
    pub fn table_call(&self) -> Option<(&str, usize)> {
        call_of(&self.ast, Peel::Table).map(|(f, n, _)| (f, n))
    }
}

/// The function or operator a compiled expression is a call of at its outermost, with its
/// number of arguments and its first argument where that is a plain name: `yoy(r1)` is
/// `("yoy", 1, Some("r1"))`, `share(a, b)` is `("share", 2, Some("a"))`, `(a / b)` is
/// `("/", 2, Some("a"))`; None for anything else (statements, a variable, a number).
pub fn outer_call_of(ast: &AST) -> Option<(&str, usize, Option<&str>)> {
    call_of(ast, Peel::None)
}

/// The call a value expression makes under wrappers that keep its scale: `fill(e, v)`,
/// `abs(e)`, `round(e)`, `round(e, n)`, `e + 0`, `e - 0`, `-e`, another period's value
/// (`lag(e, k)`, `in_period(e, p)`, `latest(e)`, `only(e, r)`) and a statistic of it
/// (`mean`, `median`, `min`, `max`); otherwise as
/// [`outer_call_of`]. `fill(yoy(gdp), 0)` is a fraction as `yoy(gdp)` is.
pub fn kept_call_of(ast: &AST) -> Option<(&str, usize, Option<&str>)> {
    call_of(ast, Peel::Kept)
}

/// The call a value expression makes under wrappers that only rescale, round or fill
/// what it gives: those of [`kept_call_of`] and `pct(e)`, `e * 100`, `100 * e`, `e / 100`
/// (any number); otherwise as [`outer_call_of`]. `pct(yoy(r1))`, `round(yoy(r1) * 100,
/// 1)` and `yoy(r1)` are all `("yoy", 1, Some("r1"))`: the same change, however it is
/// scaled.
pub fn scaled_call_of(ast: &AST) -> Option<(&str, usize, Option<&str>)> {
    call_of(ast, Peel::Scaled)
}

/// What [`call_of`] looks through.
#[derive(Clone, Copy, PartialEq)]
enum Peel {
    /// Nothing: the outermost call.
    None,
    /// Wrappers that keep the scale.
    Kept,
    /// Those, and what keeps a figure of the same kind in the indicator table
    /// ([`Def::table_call`]).
    Table,
    /// Those and rescaling.
    Scaled,
}

/// [`outer_call_of`], looking through the wrappers `peel` names.
fn call_of(ast: &AST, peel: Peel) -> Option<(&str, usize, Option<&str>)> {
    use rhai::{Expr, FnCallExpr, Stmt};
    fn number(e: &Expr) -> bool {
        matches!(e, Expr::IntegerConstant(..) | Expr::FloatConstant(..))
    }
    fn zero(e: &Expr) -> bool {
        match e {
            Expr::IntegerConstant(0, _) => true,
            Expr::FloatConstant(x, _) => **x == 0.0,
            _ => false,
        }
    }
    // 10, 100, 1000, ...: a number that makes a percent's or a per-mille's printed number.
    fn power_of_ten(e: &Expr) -> bool {
        let v = match e {
            Expr::IntegerConstant(n, _) => *n as f64,
            Expr::FloatConstant(x, _) => **x,
            _ => return false,
        };
        v >= 10.0 && (v.log10() - v.log10().round()).abs() < 1e-12
    }
    fn call(f: &FnCallExpr, peel: Peel) -> Option<(&str, usize, Option<&str>)> {
        // Either of two figures of one kind (`where(m, yoy(a), yoy(b))`, `where(m, yoy(a),
        // 0)`), and the difference or sum of two (`yoy(gdp) - yoy(pop)`, 百分点 apart): of
        // that kind.
        if peel == Peel::Table {
            fn alike<'a>(a: &'a Expr, b: &'a Expr, peel: Peel) -> Option<(&'a str, usize, Option<&'a str>)> {
                let (x, y) = (of_expr(a, peel), of_expr(b, peel));
                x.filter(|x| y.is_some_and(|y| y.0 == x.0))
            }
            match (f.name.as_str(), f.args.as_slice()) {
                ("where", [_, a, b]) if number(b) => return of_expr(a, peel),
                ("where", [_, a, b]) if number(a) => return of_expr(b, peel),
                ("where", [_, a, b]) | ("+" | "-", [a, b]) => {
                    if let Some(x) = alike(a, b, peel) {
                        return Some(x);
                    }
                }
                _ => {}
            }
        }
        let inner = match (f.name.as_str(), f.args.as_slice()) {
            _ if peel == Peel::None => None,
            // What keeps the figure's scale: a gap filled, rounding, the size, `+ 0`.
            ("fill", [e, _]) | ("abs", [e]) | ("round", [e]) | ("round", [e, _]) => Some(e),
            // Another period's or region's value of it, its negation, a statistic of it:
            // `lag(yoy(gdp), 1)` is last year's growth, `mean(yoy(gdp), "periods")` a growth.
            ("lag" | "in_period" | "latest" | "only", [e, ..]) | ("-", [e]) => Some(e),
            ("mean" | "median" | "min" | "max", [e, ..]) => Some(e),
            // In the indicator table: a quantile, its change (百分点 of a growth), a
            // multiple of it (`yoy(gdp) * 2`; not a power of ten, which makes a percent's
            // printed number).
            ("quantile" | "diff", [e, ..]) if peel == Peel::Table => Some(e),
            ("*" | "/", [x, y]) if peel == Peel::Table && number(y) && !power_of_ten(y) => Some(x),
            ("*", [x, y]) if peel == Peel::Table && number(x) && !power_of_ten(x) => Some(y),
            ("+" | "-", [e, z]) if zero(z) => Some(e),
            ("+", [z, e]) if zero(z) => Some(e),
            _ if matches!(peel, Peel::Kept | Peel::Table) => None,
            ("pct", [e]) => Some(e),
            ("/", [e, d]) if number(d) => Some(e),
            ("*", [x, y]) if number(y) => Some(x),
            ("*", [x, y]) if number(x) => Some(y),
            _ => None,
        };
        if let Some(e) = inner {
            return of_expr(e, peel);
        }
        let first = match f.args.first() {
            Some(Expr::Variable(x, _, _)) if x.2.is_empty() => Some(x.1.as_str()),
            _ => None,
        };
        Some((f.name.as_str(), f.args.len(), first))
    }
    fn of_stmts(stmts: &[Stmt], peel: Peel) -> Option<(&str, usize, Option<&str>)> {
        match stmts {
            [Stmt::Expr(e)] => of_expr(e, peel),
            [Stmt::FnCall(f, _)] => call(f, peel),
            _ => None,
        }
    }
    fn of_expr(e: &Expr, peel: Peel) -> Option<(&str, usize, Option<&str>)> {
        match e {
            Expr::FnCall(f, _) => call(f, peel),
            Expr::Stmt(block) => of_stmts(block.statements(), peel),
            _ => None,
        }
    }
    of_stmts(ast.statements(), peel)
}

/// Whether a growth an expression gives is over a year, as 同比 says: `yoy(x)`,
/// `growth(x, k)`, `lag(x, k)` or `diff(x, k)` with k a year of periods (`per_year`: 1,
/// 4 or 12), `pop(x)` in a yearly panel. False where any call in it spans another
/// stretch: `pop` of months or quarters (环比), `growth(x, 24)`, `lag(x, 2)` in a yearly
/// panel, `cagr`, `two_year_avg` (两年平均). A derived indicator the expression names is
/// read through its definition (`defs`); an expression with none of these calls (a
/// reported growth, an indicator loaded as a rate) is over a year.
pub fn over_a_year(ast: &AST, per_year: i64, defs: &Indicators) -> bool {
    over_a_year_at(ast, per_year, defs, 0)
}

/// The names of `values` (a rule's `(name, text, compiled)`) whose growth is not over a
/// year ([`over_a_year`]): phrased without 同比.
pub fn not_over_a_year(values: &[(String, String, AST)], per_year: i64, defs: &Indicators) -> Vec<String> {
    values.iter().filter(|(_, _, ast)| !over_a_year(ast, per_year, defs)).map(|(name, _, _)| name.clone()).collect()
}

fn over_a_year_at(ast: &AST, per_year: i64, defs: &Indicators, depth: usize) -> bool {
    use rhai::{ASTNode, Expr, Stmt};
    let mut yearly = true;
    let mut names = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        let f = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(f, _) | Expr::MethodCall(f, _)) | ASTNode::Stmt(Stmt::FnCall(f, _))) => f,
            Some(ASTNode::Expr(Expr::Variable(x, ..))) if x.2.is_empty() => {
                names.push(x.1.to_string());
                return true;
            }
            _ => return true,
        };
        let k = |i: usize| match f.args.get(i) {
            Some(Expr::IntegerConstant(k, _)) => Some(*k),
            _ => None,
        };
        let span = match (f.name.as_str(), f.args.len()) {
            ("cagr" | "two_year_avg" | "two_year_avg_growth" | "two_year_avg_pct", _) => Some(0),
            ("pop", 1) | ("diff", 1) => Some(1),
            ("growth" | "lag" | "diff", 2) => k(1),
            _ => None,
        };
        if span.is_some_and(|k| k != per_year) {
            yearly = false;
        }
        true
    });
    yearly && (depth >= MAX_NESTING || names.iter().filter_map(|n| defs.get(n)).all(|d| over_a_year_at(&d.ast, per_year, defs, depth + 1)))
}

/// Derived indicators computed inside one another (names read by script functions,
/// which the static pass cannot see) at most this deep.
pub const MAX_NESTING: usize = 32;

/// The compiled indicators and the script library their expressions call.
#[derive(Default)]
pub struct Indicators {
    /// Functions of the standard scripts and the config's `scripts` files.
    pub library: AST,
    /// Every `[indicators.*]`, in config order.
    pub defs: Vec<Def>,
}

impl Indicators {
    /// The definition of `id`.
    pub fn get(&self, id: &str) -> Option<&Def> {
        self.defs.iter().find(|d| d.id == id)
    }
    /// Whether `id` is a derived indicator.
    pub fn has(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
    /// Ids in config order.
    pub fn names(&self) -> Vec<String> {
        self.defs.iter().map(|d| d.id.clone()).collect()
    }
    /// The ids `id` names in its expression (its static uses).
    pub fn uses(&self, id: &str) -> Vec<String> {
        self.get(id).map(|d| d.uses.clone()).unwrap_or_default()
    }
    /// The indicators in dependency order, grouped: every indicator comes after all it
    /// uses, and the indicators of one group do not use one another (they can be
    /// computed at the same time). Config order within a group.
    pub fn levels(&self) -> Vec<Vec<&Def>> {
        let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
        // Compilation refused cycles, so a pass per level settles every depth.
        for _ in 0..=self.defs.len() {
            let mut changed = false;
            for d in &self.defs {
                let want = d.uses.iter().filter_map(|u| depth.get(u.as_str()).map(|x| x + 1)).max().unwrap_or(0);
                if depth.get(d.id.as_str()) != Some(&want) {
                    depth.insert(&d.id, want);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let mut levels: Vec<Vec<&Def>> = Vec::new();
        for d in &self.defs {
            let k = depth.get(d.id.as_str()).copied().unwrap_or(0);
            if levels.len() <= k {
                levels.resize_with(k + 1, Vec::new);
            }
            levels[k].push(d);
        }
        levels
    }
}

/// Between a derived indicator's name and a rule's missing-value policy in the key of a
/// value computed under that policy (no name holds it).
pub(crate) const POLICY_MARK: char = '\u{0}';

/// Values of derived indicators computed so far: a series, or the failure (its kind and
/// message, remembered, so that later uses report it instead of recomputing).
#[derive(Default)]
pub struct Values(Mutex<BTreeMap<String, Result<Series, Fault>>>, Mutex<Option<yearbook_core::period::Period>>);

impl Values {
    /// Keeps the values computed as of `period` (a report's or run's, None: all the
    /// data, see `yearbook_core::tally::as_of`): values computed as of another are
    /// forgotten first, so that a 2021 report never reads a total a 2022 one computed.
    pub fn as_of(&self, period: Option<yearbook_core::period::Period>) {
        let Ok(mut at) = self.1.lock() else { return };
        if *at != period {
            self.clear();
            *at = period;
        }
    }
    /// The value or failure of `id`, if computed.
    pub fn get(&self, id: &str) -> Option<Result<Series, Fault>> {
        self.0.lock().ok()?.get(id).cloned()
    }
    /// The name of the derived indicator whose computed value `s` is (the same values),
    /// if any: for naming it in a message.
    pub fn name_of(&self, s: &Series) -> Option<String> {
        let v = self.0.lock().ok()?;
        v.iter()
            .find(|(_, x)| x.as_ref().is_ok_and(|x| std::sync::Arc::ptr_eq(&x.data, &s.data)))
            .map(|(k, _)| k.split(POLICY_MARK).next().unwrap_or(k).to_string())
    }
    /// Whether `id` was computed (or failed).
    pub fn contains(&self, id: &str) -> bool {
        self.0.lock().is_ok_and(|v| v.contains_key(id))
    }
    /// Keeps a value or a failure.
    pub fn insert(&self, id: &str, value: Result<Series, Fault>) {
        if let Ok(mut v) = self.0.lock() {
            v.insert(id.to_string(), value);
        }
    }
    /// Forgets the value of `id` (a failure is kept: it is reported, not recomputed); a
    /// later use computes it again.
    pub fn forget(&self, id: &str) {
        if let Ok(mut v) = self.0.lock()
            && v.get(id).is_some_and(|x| x.is_ok())
        {
            v.remove(id);
        }
    }
    /// Forgets every value (after the data changed).
    pub fn clear(&self) {
        if let Ok(mut v) = self.0.lock() {
            v.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(id: &str, uses: &[&str]) -> Def {
        Def {
            id: id.into(),
            label: String::new(),
            unit: None,
            text: String::new(),
            ast: AST::empty(),
            timeout_ms: None,
            rollup: None,
            uses: uses.iter().map(|u| u.to_string()).collect(),
        }
    }

    #[test]
    fn levels_put_each_indicator_after_what_it_uses() {
        let inds = Indicators {
            library: AST::empty(),
            defs: vec![def("c", &["b"]), def("a", &[]), def("b", &["a"]), def("d", &[]), def("e", &["a", "c"])],
        };
        let ids: Vec<Vec<&str>> = inds.levels().iter().map(|l| l.iter().map(|d| d.id.as_str()).collect()).collect();
        assert_eq!(ids, vec![vec!["a", "d"], vec!["b"], vec!["c"], vec!["e"]]);
    }
}
