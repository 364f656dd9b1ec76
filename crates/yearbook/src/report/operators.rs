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
//!   %}同比下降` said a fall where there was no figure. Each side is wrapped in [`ORDER`]
//!   given the other, which makes the comparison false where either is missing.

use serde_json::Value as Json;

/// The filter `~`'s operands go through (registered by `filters::install`).
pub const SHOWN: &str = "_yearbook_shown";

/// The filter the list of `x in list` goes through, given `x` (registered by
/// `filters::install`).
pub const MEMBER: &str = "_yearbook_member";

/// An expression's extent in the source, as byte offsets (start, end).
type Span = (usize, usize);

/// The filter each side of an ordering (`a < b`) goes through, given the other side and
/// the number it stands for where either is missing (registered by `filters::install`).
pub const ORDER: &str = "_yearbook_order";

/// Text inserted at a byte offset: closings (kind 0) before openings (1) at one offset;
/// among closings the shorter span (inner) first, among openings the longer (outer) first.
type Insertion = (usize, u8, usize, String);

/// `source` with each operand of `~` that may not be text wrapped in [`SHOWN`] and the
/// list of each `in` in [`MEMBER`]; the source unchanged where minijinja cannot parse it
/// (minijinja then says why).
pub fn rewrite(source: &str, label: &str) -> String {
    let Ok(ast) = minijinja::machinery::parse(source, label, Default::default()) else { return source.to_string() };
    let Ok(tree) = serde_json::to_value(&ast) else { return source.to_string() };
    // Each span wrapped: `((` at its start, `close` at its end.
    let wrap = |at: &mut Vec<Insertion>, (s, e): (usize, usize), close: String| {
        if s < e && e <= source.len() && source.is_char_boundary(s) && source.is_char_boundary(e) {
            at.push((e, 0, e - s, close));
            at.push((s, 1, usize::MAX - (e - s), "((".to_string()));
        }
    };
    let mut joins: Vec<Insertion> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    operands(&tree, &mut spans);
    for span in spans {
        wrap(&mut joins, span, format!(") | {SHOWN})"));
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
    let mut orderings = Vec::new();
    binary(&tree, &["Lt", "Lte", "Gt", "Gte"], &mut orderings);
    for (left, right, op) in orderings {
        let (Some(l), Some(r)) = (source.get(left.0..left.1), source.get(right.0..right.1)) else { continue };
        // Over several lines, a copy of one side would move an error's line: as written.
        if source.get(left.0..right.1).is_none_or(|t| t.contains(['\n', '\r'])) {
            continue;
        }
        let (l, r) = (whole(l), whole(r));
        if !parses(&l) || !parses(&r) {
            continue;
        }
        // Where either side is missing: 1 < 0, 1 <= 0, 0 > 1, 0 >= 1, all false.
        let (lm, rm) = if matches!(op, "Lt" | "Lte") { (1, 0) } else { (0, 1) };
        wrap(&mut at, left, format!(") | {ORDER}(({r}), {lm}))"));
        wrap(&mut at, right, format!(") | {ORDER}(({l}), {rm}))"));
    }
    // The whole rewrite; where it does not parse (a span that is not what it seems), the
    // joins alone (`~`, always whole spans); else the template as written.
    apply(source, label, at).or_else(|| apply(source, label, joins)).unwrap_or_else(|| source.to_string())
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
    for (pos, _, _, text) in at {
        out.push_str(&source[from..pos]);
        from = pos;
        out.push_str(&text);
    }
    out.push_str(&source[from..]);
    minijinja::machinery::parse(&out, label, Default::default()).is_ok().then_some(out)
}

/// An operand's text as a whole expression, to copy into a filter's argument: the tree's
/// span of a parenthesised operand starts at its `(` and ends before its `)`, so each
/// bracket left open (outside quoted text) is closed.
fn whole(text: &str) -> String {
    let mut open = 0usize;
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
                ')' | ']' | '}' => open = open.saturating_sub(1),
                _ => {}
            },
        }
    }
    // Only round brackets are left open by a span; any other means the text is not what
    // it seems, and the copy will not parse (the test is then left as written).
    format!("{text}{}", ")".repeat(open))
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
            format!("{{{{ ((p.name) | {f}) ~ ((p[\"x\"]) | {f}) ~ ((f(1) | upper) | {f}) }}}}")
        );
        // A sum in parentheses is filtered whole.
        assert_eq!(rewrite("{{ (a + b) ~ \"x\" }}", "t"), format!("{{{{ (((a + b) | {f})) ~ \"x\" }}}}"));
        // No `~`, or a template minijinja cannot parse: unchanged.
        assert_eq!(rewrite("{{ a + b }} 文字", "t"), "{{ a + b }} 文字");
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
        assert_eq!(rewrite("{{ (a\n + 1) in b }}", "t"), "{{ (a\n + 1) in b }}");
        assert_eq!(rewrite("{{ a\n in b }}", "t"), "{{ a\n in b }}");
    }

    #[test]
    fn each_side_of_an_ordering_goes_through_the_filter_given_the_other() {
        let o = ORDER;
        assert_eq!(
            rewrite("{% if yoy(\"gdp\") < 0 %}降{% endif %}", "t"),
            format!("{{% if ((yoy(\"gdp\")) | {o}((0), 1)) < ((0) | {o}((yoy(\"gdp\")), 0)) %}}降{{% endif %}}")
        );
        assert_eq!(rewrite("{{ a >= b }}", "t"), format!("{{{{ ((a) | {o}((b), 0)) >= ((b) | {o}((a), 1)) }}}}"));
        // Equality is left as it is; so is a side over two lines.
        assert_eq!(rewrite("{{ a == b }}", "t"), "{{ a == b }}");
        assert_eq!(rewrite("{{ (a\n + 1) > b }}", "t"), "{{ (a\n + 1) > b }}");
        assert_eq!(rewrite("{{ a >\n b }}", "t"), "{{ a >\n b }}");
        // A comparison inside a side of another (its span opens at its bracket): each
        // copy closes its brackets, and every test of the template is still rewritten.
        for src in [
            "{{ (1 < 2) < (2 < 3) }}",
            "{% if (g if g > 0 else 0) > 5 %}x{% endif %}",
            "{{ (1 < 2) in [true] }}",
            "{{ (\"(\" ~ a) in b }}",
            "{{ 1 < (2021 in [\"2021\"]) }}",
        ] {
            let out = rewrite(src, "t");
            assert!(out.contains(o) || out.contains(MEMBER), "{src}: {out}");
            assert!(minijinja::machinery::parse(&out, "t", Default::default()).is_ok(), "{src}: {out}");
        }
    }
}
