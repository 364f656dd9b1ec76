//! Two template operators made to print and compare as the rest of a report does.
//! minijinja's operators take no hook, so before a template is compiled they are
//! rewritten into filters. Only text is inserted, never a line break, so every line an
//! error names stays the template's own.
//!
//! - `~` formats each side with its own Display: `"GDP " ~ value("gdp")` printed `GDP
//!   none` and `"x" ~ (1 / 3 * 3)` printed binary noise. Each operand that is not text
//!   already (a string constant, another `~`) is wrapped in [`SHOWN`], which gives it as
//!   the formatter would print it.
//! - `x in list` compares a number and text as unequal: `p.year in ["2021", "2022"]`,
//!   or `in years` with such a list set earlier, kept no row without a word. The list is
//!   wrapped in [`MEMBER`] given `x`, which finds `x` by value as the test `is in(...)`
//!   does (2021 and "2021" are one item) and else leaves the list as it is, so `in`
//!   answers as before for text in text, keys of a map and anything else.
//! - `a < b` (`<=`, `>`, `>=`) ordered none below every number: `{% if yoy("gdp") < 0
//!   %}同比下降` said a fall where there was no figure. The comparison becomes [`ORDER`]
//!   of its sides, `((a) | ORDER((b), "Lt"))`, which is false where either is missing;
//!   each side is still evaluated once (a call with a state of its own counts once).
//! - `a == b` (`!=`) called a list unequal to 3 and true equal to 1: it becomes [`ORDER`]
//!   too, which compares as the test `is eq` does (kinds that do not compare refused).
//! - A comparison's false is a word too wherever its answer decides what is printed:
//!   `{% if g > 0 %}增长{% else %}下降{% endif %}` said 下降 of a town without a
//!   figure, as did `g is gt(0)` there, `{% set up = g > 0 %}` tested later, `g > 0 and
//!   "增" or "降"` and `not`. So every comparison becomes [`ORDER_DECIDING`], where a
//!   missing side is an error that says how to test for it first, and each test that
//!   compares (`is gt`, `is eq`, ...) its deciding name ([`deciding_test`]); only where
//!   false prints nothing of its own (the condition of an `{% if %}` or `elif` chain
//!   without an `{% else %}`, of `a if c`, a loop's filter, through `and` and `or`) do they
//!   stay [`ORDER`] and the plain tests, false with a missing side.
//! - Arithmetic took text that spells a figure as text: a ledger's column is text where
//!   one cell is no figure (另计), and `{{ p.inv * 2 }}` printed 100100, `p.inv +
//!   p.added` 1003. Each operand of `+`, `-`, `*`, `/`, `//`, `%`, `**` that is not a
//!   constant goes through [`OPERAND`], which refuses such text, naming both ways to
//!   write it; any other value passes as it is.
//! - A list put into itself in a loop (`{% set ns.a = [ns.a] %}` 100,000 times) nested
//!   so deep that releasing it overflowed the stack and aborted the run. Each list or map
//!   written with a value that is no constant goes through [`NESTED`], which refuses one
//!   nested past a depth no report needs.
//! - The filters that take their value as text (`e`, `lower`, `trim`, `replace`,
//!   `indent`, ...) printed none as `None`, and `inf`, `NaN`: their value goes through
//!   [`SHOWN`] first, and a list `map` gives to one through [`SHOWN_ITEMS`].

use serde_json::Value as Json;

/// The filter `~`'s operands go through (registered by `filters::install`).
pub const SHOWN: &str = "_yearbook_shown";

/// The filter a list goes through before `map` gives its items to a text filter
/// (`xs | map("e")`): each item as the formatter prints it (registered by
/// `filters::install`).
pub const SHOWN_ITEMS: &str = "_yearbook_shown_items";

/// The filter the list of `x in list` goes through, given `x` (registered by
/// `filters::install`).
pub const MEMBER: &str = "_yearbook_member";

/// The filter each operand of arithmetic (`+`, `-`, `*`, `/`, `//`, `%`, `**`) that is not
/// a constant goes through, given the operator (registered by `filters::install`).
pub const OPERAND: &str = "_yearbook_operand";

/// The filter each list or map a template writes with a value in it that is no constant
/// (`[ns.a]`, `{"x": ns.a}`) goes through (registered by `filters::install`).
pub const NESTED: &str = "_yearbook_nested";

/// An expression's extent in the source, as byte offsets (start, end).
type Span = (usize, usize);

/// The filter an ordering (`a < b`) becomes: its left side filtered, given the right side
/// and the operator as the tree names it (registered by `filters::install`).
pub const ORDER: &str = "_yearbook_order";

/// The filter a comparison becomes where its answer chooses between two things printed
/// (see the module's note): as [`ORDER`], but a missing side is an error (registered by
/// `filters::install`).
pub const ORDER_DECIDING: &str = "_yearbook_order_deciding";

/// Text inserted at a byte offset, and how many bytes of the source it replaces there
/// (an ordering's operator; else 0): closings (kind 0) before openings (1) at one offset;
/// among closings the shorter span (inner) first, among openings the longer (outer) first.
type Insertion = (usize, u8, usize, String, usize);

/// `source` with each operand of `~` that may not be text wrapped in [`SHOWN`] and the
/// list of each `in` in [`MEMBER`]; the source unchanged where minijinja cannot parse it
/// (minijinja then says why).
pub fn rewrite(source: &str, label: &str) -> String {
    let Ok(ast) = minijinja::machinery::parse(source, label, Default::default()) else { return source.to_string() };
    let Ok(tree) = serde_json::to_value(&ast) else { return source.to_string() };
    // Each span wrapped: `((` at its start, `close` at its end.
    let wrap = |at: &mut Vec<Insertion>, (s, e): (usize, usize), close: String| {
        if s < e && e <= source.len() && source.is_char_boundary(s) && source.is_char_boundary(e) {
            at.push((e, 0, e - s, close, 0));
            at.push((s, 1, usize::MAX - (e - s), "((".to_string(), 0));
        }
    };
    let mut joins: Vec<Insertion> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    operands(&tree, &mut spans);
    let mut lists: Vec<(usize, usize)> = Vec::new();
    text_filter_inputs(&tree, &mut spans, &mut lists);
    let mut built: Vec<Span> = Vec::new();
    built_literals(&tree, &mut built);
    built.sort_unstable();
    built.dedup();
    // Lists built and operands of arithmetic: in the whole rewrite only, so that one
    // that does not parse never costs the joins theirs.
    let mut checks: Vec<Insertion> = Vec::new();
    for span in built {
        wrap(&mut checks, span, format!(") | {NESTED})"));
    }
    let mut terms: Vec<(Span, &str)> = Vec::new();
    arithmetic_operands(&tree, &mut terms);
    terms.sort_unstable();
    terms.dedup();
    for (span, op) in terms {
        wrap(&mut checks, span, format!(") | {OPERAND}(\"{op}\"))"));
    }
    spans.sort_unstable();
    spans.dedup();
    for span in spans {
        wrap(&mut joins, span, format!(") | {SHOWN})"));
    }
    lists.sort_unstable();
    lists.dedup();
    for span in lists {
        wrap(&mut joins, span, format!(") | {SHOWN_ITEMS})"));
    }
    let mut at: Vec<Insertion> = joins.clone();
    let mut tests = Vec::new();
    binary(&tree, &["In"], &mut tests);
    for ((ls, le), list, _) in tests {
        // `x` is given to the filter as written, in parentheses of its own (a tuple `a, b`
        // stays one argument); one of several lines is left as it is.
        // (and a test over several lines, whose copy of `x` would move an error's line).
        let Some(x) = source.get(ls..le).filter(|_| source.get(ls..list.1).is_some_and(|t| !t.contains(['\n', '\r']))) else {
            continue;
        };
        let x = whole(x);
        if parses(&x) {
            wrap(&mut at, list, format!(") | {MEMBER}(({x})))"));
        }
    }
    let mut chains = Vec::new();
    orderings(&tree, &mut chains);
    let (mut filters, mut filter_tests) = (Vec::new(), Vec::new());
    filtering(&tree, &mut filters, &mut filter_tests);
    for (sides, ops) in chains {
        let name = if sides.get(..2).is_some_and(|s| filters.contains(&(s[0], s[1]))) { ORDER } else { ORDER_DECIDING };
        at.extend(ordering(source, &sides, &ops, name).unwrap_or_default());
    }
    // A test that compares, where its answer decides what is printed, under its deciding
    // name (the name replaced where the tree says it stands).
    let mut compared = Vec::new();
    comparing_tests(&tree, &mut compared);
    for (span, name) in compared {
        let s = span.0;
        if !filter_tests.contains(&span)
            && let Some(deciding) = deciding_test(name)
            && source.get(s..).is_some_and(|t| t.starts_with(name))
        {
            at.push((s, 1, usize::MAX, deciding, name.len()));
        }
    }
    // The whole rewrite; where it does not parse (a span that is not what it seems), the
    // rewrite without the checks of lists built and of arithmetic, then the joins alone
    // (`~`, always whole spans); else the template as written.
    let mut whole_rewrite = at.clone();
    whole_rewrite.extend(checks);
    apply(source, label, whole_rewrite)
        .or_else(|| apply(source, label, at))
        .or_else(|| apply(source, label, joins))
        .unwrap_or_else(|| source.to_string())
}

/// `source` with the insertions made, if that parses.
fn apply(source: &str, label: &str, mut at: Vec<Insertion>) -> Option<String> {
    if at.is_empty() {
        return Some(source.to_string());
    }
    // Spans never overlap but by nesting (an operand of a `~` inside a call that is an
    // operand of another), so plain insertion keeps them balanced.
    at.sort_unstable_by_key(|a| (a.0, a.1, a.2));
    let mut out = String::with_capacity(source.len() + at.iter().map(|a| a.3.len()).sum::<usize>());
    let mut from = 0;
    for (pos, _, _, text, replaced) in at {
        // Nothing is inserted inside what a replacement took out.
        out.push_str(source.get(from..pos)?);
        from = pos + replaced;
        out.push_str(&text);
    }
    out.push_str(&source[from..]);
    minijinja::machinery::parse(&out, label, Default::default()).is_ok().then_some(out)
}

/// An operand's text as a whole expression, to copy into a filter's argument: the tree's
/// span of a parenthesised operand starts at its `(` and ends before its `)`, so each
/// bracket left open (outside quoted text) is closed.
fn whole(text: &str) -> String {
    format!("{text}{}", ")".repeat(brackets(text).0))
}

/// The brackets `text` leaves open, and the closing ones in it that close a bracket
/// opened before it (outside quoted text).
fn brackets(text: &str) -> (usize, usize) {
    let mut open = 0usize;
    let mut closed_before = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => open += 1,
                ')' | ']' | '}' => match open.checked_sub(1) {
                    Some(o) => open = o,
                    None => closed_before += 1,
                },
                _ => {}
            },
        }
    }
    // Only round brackets are left open by a span; any other means the text is not what
    // it seems, and the copy will not parse (the test is then left as written).
    (open, closed_before)
}

/// The insertions that make `A < B <= C` (sides `A`, `B`, `C`, operators as the tree names
/// them) into `((A) | ORDER((B), "Lt", (C), "Lte"))`: `((` before A, the first operator
/// replaced by `) | ORDER((`, each further one by `), "Lt", (` (the operator before the
/// side it follows), and `), "Lte"))` after the last side and the brackets its span
/// leaves open. None where the source is not as the tree says.
fn ordering(source: &str, sides: &[Span], ops: &[&str], name: &str) -> Option<Vec<Insertion>> {
    let (first, last) = (sides.first()?, sides.last()?);
    let mut replaced = Vec::new();
    let mut open_after = 0;
    for (k, pair) in sides.windows(2).enumerate() {
        let gap = source.get(pair[0].1..pair[1].0)?;
        let (at_op, op_len) = operator_in(gap, ops[k])?;
        let text = if k == 0 { format!(") | {name}((") } else { format!("), \"{}\", (", ops[k - 1]) };
        replaced.push((pair[0].1 + at_op, text, op_len));
        // Brackets of the last side opened before its span (in the gap) close after it.
        open_after = gap[at_op + op_len..].matches('(').count();
    }
    let r = source.get(last.0..last.1)?;
    // A last side written `(x) | f` has a span from `x` on: its `)` closes the bracket
    // the gap opened, which then needs no closing after the side.
    let (open_in, closed_before) = brackets(r);
    let end = after_closing(source, last.1, open_after.saturating_sub(closed_before) + open_in)?;
    let len = end - first.0;
    let mut at = vec![(first.0, 1, usize::MAX - len, "((".to_string(), 0)];
    at.extend(replaced.into_iter().map(|(pos, text, n)| (pos, 0, usize::MAX, text, n)));
    at.push((end, 0, len, format!("), \"{}\"))", ops.last()?), 0));
    Some(at)
}

/// Where the operator `op` (as the tree names it) stands in `gap`, the text between two
/// sides (blanks and brackets besides it), and its length.
fn operator_in(gap: &str, op: &str) -> Option<(usize, usize)> {
    match op {
        "Lt" | "Lte" | "Gt" | "Gte" => {
            let at = gap.find(['<', '>'])?;
            Some((at, if gap[at + 1..].starts_with('=') { 2 } else { 1 }))
        }
        "Eq" => gap.find("==").map(|at| (at, 2)),
        "Ne" => gap.find("!=").map(|at| (at, 2)),
        "In" => gap.find("in").map(|at| (at, 2)),
        "NotIn" => {
            let at = gap.find("not")?;
            let end = gap[at..].find("in").map(|i| at + i + 2)?;
            Some((at, end - at))
        }
        _ => None,
    }
}

/// The sides and operators of each comparison of the tree: `a < b`, `a == b` (a binary
/// operation), and a chain `a < b == c` with an ordering or equality among its operators
/// (`in` and `not in` beside it are taken in the same filter, as minijinja takes them).
fn orderings<'t>(node: &'t Json, out: &mut Vec<(Vec<Span>, Vec<&'t str>)>) {
    const ORDERINGS: [&str; 6] = ["Lt", "Lte", "Gt", "Gte", "Eq", "Ne"];
    let mut pairs = Vec::new();
    binary(node, &ORDERINGS, &mut pairs);
    out.extend(pairs.into_iter().map(|(l, r, op)| (vec![l, r], vec![op])));
    fn chains<'t>(node: &'t Json, out: &mut Vec<(Vec<Span>, Vec<&'t str>)>) {
        match node {
            Json::Array(items) => items.iter().for_each(|i| chains(i, out)),
            Json::Object(map) => {
                if map.get("expr").and_then(Json::as_str) == Some("Compare")
                    && let Some(cmp) = map.get("inner").and_then(|i| i.get(0))
                    && let (Some(first), Some(ops)) = (cmp.get("expr").and_then(span_of), cmp.get("ops").and_then(Json::as_array))
                {
                    let mut sides = vec![first];
                    let mut names = Vec::new();
                    for o in ops {
                        match (o.get("op").and_then(Json::as_str), o.get("expr").and_then(span_of)) {
                            (Some(op), Some(s)) if ORDERINGS.contains(&op) || ["In", "NotIn"].contains(&op) => {
                                names.push(op);
                                sides.push(s);
                            }
                            _ => break,
                        }
                    }
                    if names.len() == ops.len() && names.iter().any(|n| ORDERINGS.contains(n)) && sides.windows(2).all(|w| w[0].1 <= w[1].0)
                    {
                        out.push((sides, names));
                    }
                }
                map.values().for_each(|v| chains(v, out));
            }
            _ => {}
        }
    }
    chains(node, out);
}

/// The comparisons and tests whose false prints nothing of its own: reached from the
/// condition of an `{% if %}` (and of each `{% elif %}`) that does not end in an
/// `{% else %}`, the test of `a if c` without `else`, or a loop's filter, through `and`
/// and `or` only. Each comparison is named by its first two sides, each test by its own
/// span (its name and arguments). Every other one decides what is printed (an `else`, `not`,
/// a value set, printed or passed on; an `if` or a loop whose body sets a value): see
/// [`ORDER_DECIDING`].
fn filtering(node: &Json, cmps: &mut Vec<(Span, Span)>, tests: &mut Vec<Span>) {
    filtering_in(node, cmps, tests, false);
}

/// [`filtering`], `in_set` inside a `{% set %}`'s value (where `a if c` sets a value the
/// condition decided).
fn filtering_in(node: &Json, cmps: &mut Vec<(Span, Span)>, tests: &mut Vec<Span>, in_set: bool) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| filtering_in(i, cmps, tests, in_set)),
        Json::Object(map) => {
            let inner = map.get("inner").and_then(|i| i.get(0));
            let stmt = map.get("stmt").and_then(Json::as_str);
            // An `{% if %}` or a loop whose body sets a value (`{% set ns.up = true %}`,
            // a counter) decides that value: a false there is printed later, as 下降 or
            // as a count of what fell.
            let condition = match (stmt, map.get("expr").and_then(Json::as_str), inner) {
                (Some("IfCond"), _, Some(i)) if !ends_in_else(i) && !changes_state(i) => i.get("expr"),
                // A loop with an `{% else %}` prints it where the filter kept nothing: there
                // false is a word too.
                (Some("ForLoop"), _, Some(i))
                    if i.get("else_body").and_then(Json::as_array).is_none_or(Vec::is_empty)
                        && !i.get("body").is_some_and(changes_state) =>
                {
                    i.get("filter_expr")
                }
                (_, Some("IfExpr"), Some(i)) if !in_set && i.get("false_expr").is_none_or(Json::is_null) => i.get("test_expr"),
                _ => None,
            };
            if let Some(c) = condition {
                filtered(c, cmps, tests);
            }
            let in_set = in_set || stmt == Some("Set");
            map.values().for_each(|v| filtering_in(v, cmps, tests, in_set));
        }
        _ => {}
    }
}

/// Whether a part of a template's tree sets a value (`{% set %}`, `{% set %}…{% endset %}`,
/// `{% do %}`) that may be printed after it.
fn changes_state(node: &Json) -> bool {
    match node {
        Json::Array(items) => items.iter().any(changes_state),
        Json::Object(map) => {
            matches!(map.get("stmt").and_then(Json::as_str), Some("Set" | "SetBlock" | "Do")) || map.values().any(changes_state)
        }
        _ => false,
    }
}

/// Whether an `{% if %}` (its tree's inner node) ends in an `{% else %}`, after its
/// `{% elif %}`s: without one, a condition's false prints nothing of its own (each
/// `elif` is guarded by its own condition).
fn ends_in_else(cond: &Json) -> bool {
    match cond.get("false_body").and_then(Json::as_array).map(Vec::as_slice) {
        None | Some([]) => false,
        Some([only]) if only.get("stmt").and_then(Json::as_str) == Some("IfCond") => {
            // `{% elif true %}` (or any constant that holds) is an `{% else %}`.
            only.get("inner").and_then(|i| i.get(0)).is_some_and(|i| always(i.get("expr")) || ends_in_else(i))
        }
        Some(_) => true,
    }
}

/// Whether a condition is a constant that holds (`true`, `1`, `"x"`).
fn always(expr: Option<&Json>) -> bool {
    let Some(e) = expr.filter(|e| e.get("expr").and_then(Json::as_str) == Some("Const")) else { return false };
    match e.get("inner").and_then(|i| i.get(0)).and_then(|c| c.get("value")) {
        Some(Json::Bool(b)) => *b,
        Some(Json::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
        Some(Json::String(t)) => !t.is_empty(),
        Some(Json::Array(a)) => !a.is_empty(),
        _ => false,
    }
}

/// The comparisons and tests `condition` is made of through `and` and `or` (see
/// [`filtering`]).
fn filtered(condition: &Json, cmps: &mut Vec<(Span, Span)>, tests: &mut Vec<Span>) {
    let inner = condition.get("inner").and_then(|i| i.get(0));
    match (condition.get("expr").and_then(Json::as_str), inner) {
        (Some("BinOp"), Some(b)) => match b.get("op").and_then(Json::as_str) {
            Some("ScAnd" | "ScOr") => [b.get("left"), b.get("right")].into_iter().flatten().for_each(|s| filtered(s, cmps, tests)),
            Some(_) => {
                if let (Some(l), Some(r)) = (b.get("left").and_then(span_of), b.get("right").and_then(span_of)) {
                    cmps.push((l, r));
                }
            }
            None => {}
        },
        (Some("Compare"), Some(c)) => {
            let second = c.get("ops").and_then(|o| o.get(0)).and_then(|o| o.get("expr")).and_then(span_of);
            if let (Some(l), Some(r)) = (c.get("expr").and_then(span_of), second) {
                cmps.push((l, r));
            }
        }
        (Some("Test"), _) => tests.extend(node_span(condition)),
        _ => {}
    }
}

/// The tests that compare (`is gt(0)`, `is eq(x)` and their other names): each one's own
/// span (from its name) and name.
fn comparing_tests<'t>(node: &'t Json, out: &mut Vec<(Span, &'t str)>) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| comparing_tests(i, out)),
        Json::Object(map) => {
            if map.get("expr").and_then(Json::as_str) == Some("Test")
                && let Some(name) = map.get("inner").and_then(|i| i.get(0)).and_then(|t| t.get("name")).and_then(Json::as_str)
                && deciding_test(name).is_some()
                && let Some(span) = node_span(node)
            {
                out.push((span, name));
            }
            map.values().for_each(|v| comparing_tests(v, out));
        }
        _ => {}
    }
}

/// The name a comparing test takes where its answer decides what is printed (registered
/// by `filters::install`, one per name so that its error names the test as written); None
/// for any other test.
pub fn deciding_test(name: &str) -> Option<String> {
    ["eq", "equalto", "ne", "lt", "lessthan", "le", "gt", "greaterthan", "ge"].contains(&name).then(|| format!("_yearbook_deciding_{name}"))
}

/// A node's own span as the tree gives it beside the node (a test's starts at its name).
fn node_span(node: &Json) -> Option<Span> {
    own_span(node.get("inner").and_then(|i| i.get(1))?)
}

/// The offset after the `open` closing brackets that follow `end` (past blanks and line
/// breaks between them): where a bracketed operand whose span stops before its `)` really ends.
fn after_closing(source: &str, end: usize, open: usize) -> Option<usize> {
    let mut at = end;
    for _ in 0..open {
        let rest = source.get(at..)?;
        let skip = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
        at += skip;
        if !source.get(at..)?.starts_with(')') {
            return None;
        }
        at += 1;
    }
    Some(at)
}

/// Whether `expr` parses as an expression on its own.
fn parses(expr: &str) -> bool {
    minijinja::machinery::parse(&format!("{{{{ {expr} }}}}"), "copy", Default::default()).is_ok()
}

/// The byte spans of the two sides of each binary operation of the tree whose operator
/// (as the tree names it: `In`, `Lt`, `Lte`, `Gt`, `Gte`) is in `ops`, with the operator
/// (`x in list` and `x not in list` are both `In`).
fn binary<'t>(node: &'t Json, ops: &[&str], out: &mut Vec<(Span, Span, &'t str)>) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| binary(i, ops, out)),
        Json::Object(map) => {
            if map.get("expr").and_then(Json::as_str) == Some("BinOp")
                && let Some(bin) = map.get("inner").and_then(|i| i.get(0))
                && let Some(op) = bin.get("op").and_then(Json::as_str).filter(|o| ops.contains(o))
                && let (Some(l), Some(r)) = (bin.get("left").and_then(span_of), bin.get("right").and_then(span_of))
                && l.1 <= r.0
            {
                out.push((l, r, op));
            }
            map.values().for_each(|v| binary(v, ops, out));
        }
        _ => {}
    }
}

/// The byte spans of the operands of `~` in the tree that may not be text.
fn operands(node: &Json, spans: &mut Vec<(usize, usize)>) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| operands(i, spans)),
        Json::Object(map) => {
            if map.get("expr").and_then(Json::as_str) == Some("BinOp")
                && let Some(bin) = map.get("inner").and_then(|i| i.get(0))
                && bin.get("op").and_then(Json::as_str) == Some("Concat")
            {
                for side in [bin.get("left"), bin.get("right")].into_iter().flatten() {
                    if !is_text(side)
                        && let Some(span) = span_of(side)
                    {
                        spans.push(span);
                    }
                }
            }
            map.values().for_each(|v| operands(v, spans));
        }
        _ => {}
    }
}

/// The spans of the lists and maps the tree writes (`[a, b]`, `(a, b)`, `{"k": v}`) with
/// an item that is no constant (see [`NESTED`]).
fn built_literals(node: &Json, out: &mut Vec<Span>) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| built_literals(i, out)),
        Json::Object(map) => {
            if let Some(kind @ ("List" | "Tuple" | "Map")) = map.get("expr").and_then(Json::as_str)
                && let Some(inner) = map.get("inner").and_then(|i| i.get(0))
            {
                let items = [inner.get(if kind == "Map" { "values" } else { "items" })];
                let varies = items
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_array)
                    .flatten()
                    .any(|e| e.get("expr").and_then(Json::as_str) != Some("Const"));
                if varies && let Some(span) = map.get("inner").and_then(|i| i.get(1)).and_then(own_span) {
                    out.push(span);
                }
            }
            // An assignment's target (`{% set a, b = ... %}`, `{% for a, b in ... %}`,
            // `{% with a, b = ... %}`) is a list of names, not a value.
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("target", _) => {}
                    ("assignments", Json::Array(pairs)) => {
                        pairs.iter().filter_map(|p| p.get(1)).for_each(|v| built_literals(v, out));
                    }
                    _ => built_literals(v, out),
                }
            }
        }
        _ => {}
    }
}

/// A node's own span (`start_offset`, `end_offset`), not widened by what it holds.
fn own_span(span: &Json) -> Option<Span> {
    let (s, e) = (span.get("start_offset")?.as_u64()?, span.get("end_offset")?.as_u64()?);
    Some((s as usize, e as usize))
}

/// The operands of arithmetic in the tree that are not constants, with the operator as
/// written (see [`OPERAND`]).
fn arithmetic_operands(node: &Json, out: &mut Vec<(Span, &'static str)>) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| arithmetic_operands(i, out)),
        Json::Object(map) => {
            if map.get("expr").and_then(Json::as_str) == Some("BinOp")
                && let Some(bin) = map.get("inner").and_then(|i| i.get(0))
                && let Some(op) = bin.get("op").and_then(Json::as_str).and_then(|o| match o {
                    "Add" => Some("+"),
                    "Sub" => Some("-"),
                    "Mul" => Some("*"),
                    "Div" => Some("/"),
                    "FloorDiv" => Some("//"),
                    "Rem" => Some("%"),
                    "Pow" => Some("**"),
                    _ => None,
                })
            {
                for side in [bin.get("left"), bin.get("right")].into_iter().flatten() {
                    if side.get("expr").and_then(Json::as_str) != Some("Const")
                        && let Some(span) = span_of(side)
                    {
                        out.push((span, op));
                    }
                }
            }
            map.values().for_each(|v| arithmetic_operands(v, out));
        }
        _ => {}
    }
}

/// The filters that take their value as text (minijinja turns a figure into text with its
/// own Display there: none as `None`, `inf`, `NaN`, binary noise).
const TEXT_FILTERS: &[&str] =
    &["e", "escape", "safe", "lower", "upper", "title", "capitalize", "trim", "replace", "indent", "split", "lines"];

/// The values given to a text filter (`x | e`, `x | replace("a", "b")`) that may not be
/// text already, into `spans`; the lists whose items `map` gives to one (`xs | map("e")`),
/// into `lists`.
fn text_filter_inputs(node: &Json, spans: &mut Vec<(usize, usize)>, lists: &mut Vec<(usize, usize)>) {
    match node {
        Json::Array(items) => items.iter().for_each(|i| text_filter_inputs(i, spans, lists)),
        Json::Object(map) => {
            if map.get("expr").and_then(Json::as_str) == Some("Filter")
                && let Some(filter) = map.get("inner").and_then(|i| i.get(0))
                && let Some(name) = filter.get("name").and_then(Json::as_str)
                && let Some(input) = filter.get("expr").filter(|e| !e.is_null() && !is_text(e))
                && let Some(span) = span_of(input)
            {
                if TEXT_FILTERS.contains(&name) {
                    spans.push(span);
                }
                // `map("e")`: the filter named by its first argument, on each item.
                let first = filter.get("args").and_then(|a| a.get(0)).and_then(|a| a.get("Pos"));
                let named = first
                    .filter(|f| f.get("expr").and_then(Json::as_str) == Some("Const"))
                    .and_then(|f| f.get("inner")?.get(0)?.get("value")?.as_str());
                if name == "map" && named.is_some_and(|n| TEXT_FILTERS.contains(&n)) {
                    lists.push(span);
                }
            }
            map.values().for_each(|v| text_filter_inputs(v, spans, lists));
        }
        _ => {}
    }
}

/// An operand that is text whatever it holds: a string constant, or another `~`.
fn is_text(e: &Json) -> bool {
    let inner = e.get("inner").and_then(|i| i.get(0));
    match e.get("expr").and_then(Json::as_str) {
        Some("Const") => inner.and_then(|c| c.get("value")).is_some_and(Json::is_string),
        Some("BinOp") => inner.and_then(|b| b.get("op")).and_then(Json::as_str) == Some("Concat"),
        _ => false,
    }
}

/// An expression's extent as byte offsets (start, end): the widest of its own span and
/// those of everything in it (a filter's span starts at its name, after the value it
/// filters).
fn span_of(e: &Json) -> Option<(usize, usize)> {
    fn widen(n: &Json, acc: &mut Option<(usize, usize)>) {
        match n {
            Json::Array(items) => items.iter().for_each(|i| widen(i, acc)),
            Json::Object(map) => {
                if let (Some(s), Some(e)) = (map.get("start_offset").and_then(Json::as_u64), map.get("end_offset").and_then(Json::as_u64)) {
                    let (s, e) = (s as usize, e as usize);
                    *acc = Some(acc.map_or((s, e), |(a, b)| (a.min(s), b.max(e))));
                }
                map.values().for_each(|v| widen(v, acc));
            }
            _ => {}
        }
    }
    let mut acc = None;
    widen(e, &mut acc);
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_of_a_text_filter_goes_through_the_filter() {
        let (f, l) = (SHOWN, SHOWN_ITEMS);
        assert_eq!(rewrite("{{ x | e }}", "t"), format!("{{{{ ((x) | {f}) | e }}}}"));
        assert_eq!(rewrite("{{ x | round(1) | upper }}", "t"), format!("{{{{ ((x | round(1)) | {f}) | upper }}}}"));
        assert_eq!(rewrite("{{ xs | map(\"e\") | join }}", "t"), format!("{{{{ ((xs) | {l}) | map(\"e\") | join }}}}"));
        // Text as written, and filters that do not take text, as they are.
        assert_eq!(
            rewrite("{{ \"a\" | upper }}{{ x | round(1) }}{{ xs | map(\"int\") }}", "t"),
            "{{ \"a\" | upper }}{{ x | round(1) }}{{ xs | map(\"int\") }}"
        );
    }

    #[test]
    fn each_operand_of_a_join_that_may_not_be_text_goes_through_the_filter() {
        let f = SHOWN;
        assert_eq!(rewrite("{{ \"GDP \" ~ value(\"gdp\") }}", "t"), format!("{{{{ \"GDP \" ~ ((value(\"gdp\")) | {f}) }}}}"));
        assert_eq!(rewrite("{{ a ~ b ~ \"x\" }}", "t"), format!("{{{{ ((a) | {f}) ~ ((b) | {f}) ~ \"x\" }}}}"));
        // Inside a call that is itself joined: both wrapped, balanced.
        assert_eq!(rewrite("{{ g(a ~ \"x\") ~ \"y\" }}", "t"), format!("{{{{ ((g(((a) | {f}) ~ \"x\")) | {f}) ~ \"y\" }}}}"));
        // A filter binds tighter than `~`: the operand is the filtered value.
        assert_eq!(rewrite("{{ x | round(1) ~ \"%\" }}", "t"), format!("{{{{ ((x | round(1)) | {f}) ~ \"%\" }}}}"));
        // Text of several lines keeps its lines; Chinese text its characters.
        assert_eq!(
            rewrite("第一行\n{% set s = \"增长\" ~ y %}\n{{ s }}", "t"),
            format!("第一行\n{{% set s = \"增长\" ~ ((y) | {f}) %}}\n{{{{ s }}}}")
        );
        // Attributes, items, calls and filters as operands.
        assert_eq!(
            rewrite("{{ p.name ~ p[\"x\"] ~ f(1) | upper }}", "t"),
            format!("{{{{ ((p.name) | {f}) ~ ((p[\"x\"]) | {f}) ~ ((((f(1)) | {f}) | upper) | {f}) }}}}")
        );
        // A sum in parentheses is filtered whole.
        assert_eq!(rewrite("{{ (1 + 2) ~ \"x\" }}", "t"), format!("{{{{ (((1 + 2) | {f})) ~ \"x\" }}}}"));
        // No `~`, or a template minijinja cannot parse: unchanged.
        assert_eq!(rewrite("{{ 1 + 2 }} 文字", "t"), "{{ 1 + 2 }} 文字");
        assert_eq!(rewrite("{{ a ~ }}", "t"), "{{ a ~ }}");
    }

    #[test]
    fn the_list_of_each_membership_test_goes_through_the_filter_given_the_value() {
        let m = MEMBER;
        assert_eq!(
            rewrite("{% if p.year in [\"2021\", \"2022\"] %}x{% endif %}", "t"),
            format!("{{% if p.year in (([\"2021\", \"2022\"]) | {m}((p.year))) %}}x{{% endif %}}")
        );
        assert_eq!(
            rewrite("{% if p.year not in years %}x{% endif %}", "t"),
            format!("{{% if p.year not in ((years) | {m}((p.year))) %}}x{{% endif %}}")
        );
        // A loop's `in` is no test; a filtered list is wrapped whole.
        assert_eq!(rewrite("{% for y in years %}{{ y }}{% endfor %}", "t"), "{% for y in years %}{{ y }}{% endfor %}");
        assert_eq!(rewrite("{{ 2021 in ys | list }}", "t"), format!("{{{{ 2021 in ((ys | list) | {m}((2021))) }}}}"));
        // Inside a join, beside `~`.
        assert_eq!(rewrite("{{ \"有\" ~ (a in b) }}", "t"), format!("{{{{ \"有\" ~ (((a in ((b) | {m}((a)))) | {})) }}}}", SHOWN));
        // A value written over two lines keeps its lines: left as written.
        assert_eq!(rewrite("{{ (2\n + 1) in b }}", "t"), "{{ (2\n + 1) in b }}");
        assert_eq!(rewrite("{{ a\n in b }}", "t"), "{{ a\n in b }}");
    }

    #[test]
    fn each_list_or_map_built_of_values_goes_through_the_filter_but_no_assignment_target() {
        let n = NESTED;
        assert_eq!(rewrite("{% set ns.a = [ns.a] %}", "t"), format!("{{% set ns.a = (([ns.a]) | {n}) %}}"));
        assert_eq!(rewrite("{{ {\"x\": a} }}", "t"), format!("{{{{ (({{\"x\": a}}) | {n}) }}}}"));
        // Constants only: as written.
        assert_eq!(rewrite("{{ [1, \"a\"] }}{{ {\"k\": 1} }}", "t"), "{{ [1, \"a\"] }}{{ {\"k\": 1} }}");
        for src in [
            "{% set (a, b) = (x, 3) %}{{ a }}",
            "{% for k, v in [(1, x), (2, x + 1)] %}{{ k }}{% endfor %}",
            "{% with p = [x, 1] %}{{ p }}{% endwith %}",
            "{{ dict(a=[x]) }}{{ (x,) }}{{ [[x]] }}",
        ] {
            let out = rewrite(src, "t");
            assert!(out.contains(n), "{src}: {out}");
            assert!(minijinja::machinery::parse(&out, "t", Default::default()).is_ok(), "{src}: {out}");
        }
    }

    #[test]
    fn each_operand_of_arithmetic_that_is_no_constant_goes_through_the_filter() {
        let p = OPERAND;
        assert_eq!(rewrite("{{ p.inv * 2 }}", "t"), format!("{{{{ ((p.inv) | {p}(\"*\")) * 2 }}}}"));
        assert_eq!(
            rewrite("{{ a + b ** c }}", "t"),
            format!("{{{{ ((a) | {p}(\"+\")) + ((((b) | {p}(\"**\")) ** ((c) | {p}(\"**\"))) | {p}(\"+\")) }}}}")
        );
        assert_eq!(rewrite("{{ \"-\" * 20 }}{{ 1 - 2 }}", "t"), "{{ \"-\" * 20 }}{{ 1 - 2 }}");
    }

    #[test]
    fn a_test_that_compares_takes_its_deciding_name_where_its_answer_decides_what_is_printed() {
        let (o, d) = (ORDER, ORDER_DECIDING);
        assert_eq!(
            rewrite("{% if g is gt(0) %}增{% else %}降{% endif %}", "t"),
            "{% if g is _yearbook_deciding_gt(0) %}增{% else %}降{% endif %}"
        );
        assert_eq!(rewrite("{% if g is not eq 0 %}变{% endif %}", "t"), "{% if g is not _yearbook_deciding_eq 0 %}变{% endif %}");
        assert_eq!(rewrite("{% set up = g is greaterthan(0) %}", "t"), "{% set up = g is _yearbook_deciding_greaterthan(0) %}");
        // Where false prints nothing: as written.
        for src in [
            "{% if g is gt(0) %}增{% endif %}",
            "{% if g is lt(0) or h is ge(1) %}x{% elif g is ne(1) %}y{% endif %}",
            "{% for p in ps if p.g is le(0) %}{{ p }}{% endfor %}",
            "{{ \"增\" if g is gt(0) }}",
            "{% if g is missing %}无{% else %}有{% endif %}",
        ] {
            assert_eq!(rewrite(src, "t"), src);
        }
        // A comparison set, or chosen from with `and`/`or` as it is printed: deciding.
        assert_eq!(rewrite("{% set up = g > 0 %}", "t"), format!("{{% set up = ((g ) | {d}(( 0), \"Gt\")) %}}"));
        assert_eq!(rewrite("{{ g > 0 and \"增\" or \"降\" }}", "t"), format!("{{{{ ((g ) | {d}(( 0), \"Gt\")) and \"增\" or \"降\" }}}}"));
        assert_eq!(
            rewrite("{% for p in ps if p.g > 0 %}{% endfor %}", "t"),
            format!("{{% for p in ps if ((p.g ) | {o}(( 0), \"Gt\")) %}}{{% endfor %}}")
        );
    }

    #[test]
    fn an_ordering_becomes_the_filter_of_its_sides_each_evaluated_once() {
        let (o, d) = (ORDER, ORDER_DECIDING);
        assert_eq!(
            rewrite("{% if yoy(\"gdp\") < 0 %}降{% endif %}", "t"),
            format!("{{% if ((yoy(\"gdp\") ) | {o}(( 0), \"Lt\")) %}}降{{% endif %}}")
        );
        assert_eq!(rewrite("{{ a >= b }}", "t"), format!("{{{{ ((a ) | {d}(( b), \"Gte\")) }}}}"));
        assert_eq!(rewrite("{{ a<=b }}", "t"), format!("{{{{ ((a) | {d}((b), \"Lte\")) }}}}"));
        // Where the answer decides what is printed (an `else`, `not`, a value printed):
        // the deciding filter.
        assert_eq!(
            rewrite("{% if a < 0 %}降{% else %}增{% endif %}", "t"),
            format!("{{% if ((a ) | {d}(( 0), \"Lt\")) %}}降{{% else %}}增{{% endif %}}")
        );
        assert_eq!(rewrite("{{ 1 if not a > b else 2 }}", "t"), format!("{{{{ 1 if not ((a ) | {d}(( b), \"Gt\")) else 2 }}}}"));
        assert_eq!(
            rewrite("{% if a and b == 1 %}x{% elif c > 1 %}y{% endif %}", "t"),
            format!("{{% if a and ((b ) | {o}(( 1), \"Eq\")) %}}x{{% elif ((c ) | {o}(( 1), \"Gt\")) %}}y{{% endif %}}")
        );
        // Bracketed sides (their spans stop before the `)`), filters and calls.
        assert_eq!(rewrite("{{ (2 + 1) > (b) }}", "t"), format!("{{{{ (((2 + 1) ) | {d}(( (b)), \"Gt\")) }}}}"));
        assert_eq!(rewrite("{{ x | abs < f(1) }}", "t"), format!("{{{{ ((x | abs ) | {d}(( f(1)), \"Lt\")) }}}}"));
        // Over two lines: no line break is added or moved.
        assert_eq!(rewrite("{{ (2\n + 1) > b }}", "t"), format!("{{{{ (((2\n + 1) ) | {d}(( b), \"Gt\")) }}}}"));
        // A chain gives each further side with its operator, `==` and `not in` beside an
        // ordering too.
        assert_eq!(rewrite("{{ 0 < g <= 1 }}", "t"), format!("{{{{ ((0 ) | {d}(( g ), \"Lt\", ( 1), \"Lte\")) }}}}"));
        assert_eq!(rewrite("{{ 0 < g == 1 }}", "t"), format!("{{{{ ((0 ) | {d}(( g ), \"Lt\", ( 1), \"Eq\")) }}}}"));
        assert_eq!(rewrite("{{ g > 0 not in [1] }}", "t"), format!("{{{{ ((g ) | {d}(( 0 ), \"Gt\", ( [1]), \"NotIn\")) }}}}"));
        // Equality too, alone and in a chain (a list is not unequal to 3: refused).
        assert_eq!(rewrite("{{ 1 == g == 1 }}", "t"), format!("{{{{ ((1 ) | {d}(( g ), \"Eq\", ( 1), \"Eq\")) }}}}"));
        assert_eq!(rewrite("{{ a == b }}", "t"), format!("{{{{ ((a ) | {d}(( b), \"Eq\")) }}}}"));
        assert_eq!(rewrite("{{ a != b }}", "t"), format!("{{{{ ((a ) | {d}(( b), \"Ne\")) }}}}"));
        // A comparison inside a side of another, beside `in` and `~`: every test of the
        // template is still rewritten, and the whole parses.
        for src in [
            "{{ (1 < 2) < (2 < 3) }}",
            "{% if (g if g > 0 else 0) > 5 %}x{% endif %}",
            "{{ (1 < 2) in [true] }}",
            "{{ (\"(\" ~ a) in b }}",
            "{{ 1 < (2021 in [\"2021\"]) }}",
            "{{ \"x\" ~ (a < b) }}",
            "{{ a < b < c }}",
            "{{ not a < b and c >= (d) }}",
        ] {
            let out = rewrite(src, "t");
            let orderings = src.matches(['<', '>']).count();
            let named = ["\"Lt\"", "\"Lte\"", "\"Gt\"", "\"Gte\""].iter().map(|n| out.matches(n).count()).sum::<usize>();
            assert_eq!(named, orderings, "{src}: {out}");
            assert!(minijinja::machinery::parse(&out, "t", Default::default()).is_ok(), "{src}: {out}");
        }
    }
}
