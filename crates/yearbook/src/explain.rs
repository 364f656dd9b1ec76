//! `explain`: why a number is what it is. The expression is taken apart into its calls
//! and names; each part is evaluated and shown at one region and period, as a tree.

use crate::bindings::Bindings;
use crate::report::data::Shown;
use crate::workspace::Workspace;
use rhai::{Dynamic, Expr, Stmt};
use yearbook_core::error::{Error, Result};
use yearbook_core::series::Series;

/// One node of the explanation: the sub-expression, its value text, its children.
pub struct Node {
    /// The expression (or `= definition` of a derived indicator).
    pub text: String,
    /// Its value at the region and period, printed.
    pub value: String,
    /// Its operands.
    pub children: Vec<Node>,
}

/// Source text for an expression node (the subset explain understands), or None.
fn source(e: &Expr) -> Option<String> {
    Some(match e {
        Expr::Variable(x, ..) => x.1.to_string(),
        Expr::IntegerConstant(i, _) => i.to_string(),
        Expr::FloatConstant(f, _) => format!("{:?}", **f),
        Expr::StringConstant(s, _) => format!("{s:?}"),
        Expr::BoolConstant(b, _) => b.to_string(),
        Expr::Array(items, _) => format!("[{}]", items.iter().map(source).collect::<Option<Vec<_>>>()?.join(", ")),
        Expr::FnCall(f, _) => {
            let args: Vec<String> = f.args.iter().map(source).collect::<Option<_>>()?;
            let name = f.name.as_str();
            if f.op_token.is_some() && args.len() == 2 {
                format!("({} {name} {})", args[0], args[1])
            } else if f.op_token.is_some() && args.len() == 1 {
                format!("{name}{}", args[0])
            } else {
                format!("{name}({})", args.join(", "))
            }
        }
        Expr::MethodCall(f, _) => format!("{}({})", f.name, f.args.iter().map(source).collect::<Option<Vec<_>>>()?.join(", ")),
        Expr::Dot(b, ..) => {
            let rhs = match &b.rhs {
                Expr::Property(p, _) => p.2.to_string(),
                Expr::MethodCall(f, _) => format!("{}({})", f.name, f.args.iter().map(source).collect::<Option<Vec<_>>>()?.join(", ")),
                other => source(other)?,
            };
            format!("{}.{rhs}", source(&b.lhs)?)
        }
        Expr::Index(b, ..) => format!("{}[{}]", source(&b.lhs)?, source(&b.rhs)?),
        Expr::And(xs, _) => xs.iter().map(source).collect::<Option<Vec<_>>>()?.join(" && "),
        Expr::Or(xs, _) => xs.iter().map(source).collect::<Option<Vec<_>>>()?.join(" || "),
        _ => return None,
    })
}

fn children(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::FnCall(f, _) => f.args.iter().filter(|a| !is_literal(a)).collect(),
        Expr::Array(items, _) => items.iter().filter(|a| !is_literal(a)).collect(),
        Expr::Dot(b, ..) if matches!(b.rhs, Expr::MethodCall(..)) => vec![&b.lhs],
        Expr::And(xs, _) | Expr::Or(xs, _) => xs.iter().collect(),
        _ => Vec::new(),
    }
}

fn is_literal(e: &Expr) -> bool {
    matches!(e, Expr::IntegerConstant(..) | Expr::FloatConstant(..) | Expr::StringConstant(..) | Expr::BoolConstant(..))
}

/// Explains `text` at one region and period.
pub fn explain(ws: &Workspace, bindings: &mut Bindings, text: &str, region: &str, period: &str) -> Result<Node> {
    let r = ws.panel().regions().find(region).map_err(Error::usage)? as usize;
    let p = yearbook_script::definitions::period_index_in(ws.panel(), period).map_err(Error::usage)?;
    let ast = ws.program.engine.compile_expression_with_scope(&bindings.scope, text).map_err(|e| {
        let vars = ws.variable_names(Some(bindings));
        yearbook_script::diagnostic::parse_error(&e, "<expr>", text, &ws.known(&vars))
    })?;
    let root = match ast.statements().first() {
        Some(Stmt::Expr(e)) => e.as_ref().clone(),
        // A top-level call is stored as a statement.
        Some(Stmt::FnCall(f, pos)) => Expr::FnCall(f.clone(), *pos),
        _ => return Err(Error::usage("explain needs an expression")),
    };
    let mut node = build(ws, bindings, &root, r, p, 0, true)?;
    // A whole expression the tree cannot spell back part by part (a constant list
    // `[1, 2]`, a map, an interpolated text): its value as a whole, never an empty one.
    if source(&root).is_none() {
        node.value = match ws.eval_with(bindings, text, "<explain>") {
            Ok(v) => show(ws, v.value.dynamic(), r, p, &root),
            Err(err) => format!("error: {}", err.to_string().lines().next().unwrap_or("")),
        };
    }
    node.text = text.to_string();
    Ok(node)
}

/// Derived indicators inside derived indicators are opened this deep.
const MAX_EXPAND: usize = 8;

/// The node of `e` (`whole`: a whole formula, settled as a result; else a part of one,
/// whose conversion the numbers written after it may decide).
fn build(ws: &Workspace, bindings: &mut Bindings, e: &Expr, r: usize, p: usize, depth: usize, whole: bool) -> Result<Node> {
    let text = source(e).unwrap_or_else(|| "…".into());
    // An indicator a region with children has no figure of: what the report shows.
    let mut as_shown = None;
    let value = if source(e).is_some() {
        let evaluated = if whole { ws.eval_with(bindings, &text, "<explain>") } else { ws.eval_part(bindings, &text, "<explain>") };
        match evaluated {
            Ok(v) => {
                if let Expr::Variable(x, ..) = e
                    && !bindings.contains(x.1.as_str())
                    && let Some(s) = v.value.dynamic().read_lock::<Series>()
                    && s.by_region
                    && s.get(r, p).is_nan()
                {
                    as_shown = crate::report::data::shown_at(ws, x.1.as_str(), &s, r).map(|(shown, how)| (s.clone(), shown, how));
                }
                let shown = match &as_shown {
                    Some((_, x, how)) => {
                        let regions = ws.panel().regions();
                        let below = (0..regions.len())
                            .find(|&i| regions.parent[i] == r as u32)
                            .and_then(|i| regions.levels.get(regions.level[i] as usize))
                            .map(String::as_str)
                            .unwrap_or("child");
                        let how = match how {
                            Shown::RolledUp => format!("rolled up from its {below} figures"),
                            Shown::OverShownInputs => format!("its formula over its own figures, else its {below} figures rolled up"),
                        };
                        format!("{} ({how}, as the report shows it)", show(ws, &Dynamic::from(x.clone()), r, p, e))
                    }
                    None => show(ws, v.value.dynamic(), r, p, e),
                };
                // A part whose conversion the numbers after it decide (`gdp * rate` before
                // `/ 100`, `rev / gdp` before `/ 100` in %): as it stands, said so.
                let shown = match v.value.dynamic().read_lock::<Series>() {
                    Some(s) if yearbook_core::kernel::arith::still_open(&s) => format!("{shown} (before the numbers written after it)"),
                    // `gdp * 10000` is 18000 亿元 as written: the figure with its hand factor.
                    Some(s) => match yearbook_core::kernel::arith::written_by_hand(&s) {
                        Some(k) if !whole => format!("{shown} (with {k} written by hand)"),
                        _ => shown,
                    },
                    _ => shown,
                };
                // An empty value says why when a kernel knows (five-yearly data, ...).
                match v.notes.first() {
                    Some(n) if shown == yearbook_core::format::MISSING => format!("{shown} ({n})"),
                    _ => shown,
                }
            }
            Err(err) => format!("error: {}", err.to_string().lines().next().unwrap_or("")),
        }
    } else {
        String::new()
    };
    let mut kids = children(e).into_iter().map(|c| build(ws, bindings, c, r, p, depth, false)).collect::<Result<Vec<_>>>()?;
    // A figure shown rolled up shows the values it adds up: the region's children.
    if let Some((s, _, Shown::RolledUp)) = &as_shown {
        let regions = ws.panel().regions();
        let s = Dynamic::from(yearbook_core::kernel::rollup::as_shown(s, |_| true));
        for k in (0..regions.len()).filter(|&i| regions.parent[i] == r as u32).take(20) {
            kids.push(Node { text: format!("{text} @ {}", regions.label(k as u32)), value: show(ws, &s, k, p, e), children: Vec::new() });
        }
    }
    // A derived indicator opens into its definition, down to facts.
    if let Expr::Variable(x, ..) = e
        && depth < MAX_EXPAND
        && !bindings.contains(x.1.as_str())
        && let Some(def) = ws.program.indicators.get(x.1.as_str())
        && let Ok(ast) = ws.program.engine.compile_expression(&def.text)
    {
        let root = match ast.statements().first() {
            Some(Stmt::Expr(e)) => Some(e.as_ref().clone()),
            Some(Stmt::FnCall(f, pos)) => Some(Expr::FnCall(f.clone(), *pos)),
            _ => None,
        };
        if let Some(root) = root {
            // The definition reads the workspace's names, not this session's `let`s.
            let mut n = build(ws, &mut Bindings::new(), &root, r, p, depth + 1, true)?;
            n.text = format!("= {}", def.text);
            kids.push(n);
        }
    }
    // A roll-up shows the values it adds up: the region's children.
    if let Expr::FnCall(f, _) = e
        && f.name.as_str() == "rollup"
        && let Some(arg) = f.args.first()
        && let Some(src) = source(arg)
    {
        let regions = ws.panel().regions();
        let kids_of: Vec<usize> = (0..regions.len()).filter(|&i| regions.parent[i] == r as u32).take(20).collect();
        if !kids_of.is_empty()
            && let Ok(v) = ws.eval_with(bindings, &src, "<explain>")
        {
            // A child made of its own children (a town of its villages) shows their roll-up.
            let v = match v.value.dynamic().clone().try_cast::<Series>() {
                Some(s) => Dynamic::from(yearbook_core::kernel::rollup::as_shown(&s, |_| true)),
                None => v.value.dynamic().clone(),
            };
            for k in kids_of {
                kids.push(Node {
                    text: format!("{src} @ {}", regions.label(k as u32)),
                    value: show(ws, &v, k, p, arg),
                    children: Vec::new(),
                });
            }
        }
    }
    Ok(Node { text, value, children: kids })
}

fn show(ws: &Workspace, v: &Dynamic, r: usize, p: usize, e: &Expr) -> String {
    if let Some(s) = v.read_lock::<Series>() {
        let x = s.get(r, p);
        let mut out = crate::run::show(x, &s.unit.symbol);
        if s.mask && x.is_finite() {
            out = if x != 0.0 { "true".into() } else { "false".into() };
        }
        if let (Some(ind), true) = (s.indicator, s.by_region && s.by_period) {
            if let Some(f) = ws.panel().flag(ind, p * s.rows() + r) {
                out.push_str(&format!(" ({f})"));
            }
            // Raw facts: show the year before too, the usual "why" of a growth.
            let per_year = ws.panel().periods().freq.per_year() as usize;
            if matches!(e, Expr::Variable(..) | Expr::Dot(..)) && p >= per_year {
                let prev = ws.panel().periods().get(p - per_year);
                out.push_str(&format!("; {prev}: {}", crate::run::show(s.get(r, p - per_year), &s.unit.symbol)));
            }
        }
        return out;
    }
    if let Ok(f) = v.as_float() {
        return yearbook_core::format::number(f);
    }
    if let Some(c) = v.read_lock::<yearbook_core::check::Check>() {
        let x = c.pass.get(r, p);
        return if x.is_nan() {
            "not evaluable".into()
        } else if x != 0.0 {
            "pass".into()
        } else if c.note {
            "note".into()
        } else {
            "fail".into()
        };
    }
    if let Some(t) = v.read_lock::<yearbook_core::table::Table>() {
        return format!("table `{}` ({} rows)", t.name, t.len);
    }
    if v.is_string() {
        return v.to_string();
    }
    // Arrays and maps item by item, a missing or infinite number as — (Rhai's text
    // printed NaN and inf).
    yearbook_script::output::describe(v)
}

/// The tree as text, names aligned, values after `=`.
pub fn render(node: &Node, region_label: &str, period: &str) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    fn walk(n: &Node, prefix: &str, last: bool, root: bool, out: &mut Vec<(String, String)>) {
        let head = if root { String::new() } else { format!("{prefix}{}", if last { "└─ " } else { "├─ " }) };
        out.push((format!("{head}{}", n.text), n.value.clone()));
        let child_prefix = if root { String::new() } else { format!("{prefix}{}", if last { "   " } else { "│  " }) };
        for (i, c) in n.children.iter().enumerate() {
            walk(c, &child_prefix, i + 1 == n.children.len(), false, out);
        }
    }
    walk(node, "", true, true, &mut lines);
    let width = lines.iter().map(|(l, _)| unicode_width::UnicodeWidthStr::width(l.as_str())).max().unwrap_or(0);
    let mut s = format!("{region_label} {period}\n");
    for (l, v) in lines {
        let pad = width - unicode_width::UnicodeWidthStr::width(l.as_str());
        s.push_str(&format!("{l}{}  = {v}\n", " ".repeat(pad)));
    }
    s
}
