//! What a template's `~` joins prints as `{{ x }}` prints it: a missing or infinite figure
//! as —, a figure without binary noise. minijinja's `~` formats each side with its own
//! Display, with no hook: `"GDP " ~ value("gdp")` printed `GDP none` and `"x" ~ (1 / 3 * 3)`
//! printed binary noise. Before a template is compiled each operand of `~` that is not
//! text already (a string constant, another `~`) is wrapped in the filter [`FILTER`],
//! which gives it as the formatter would print it. Only text is inserted, never a line
//! break, so every line an error names stays the template's own.

use serde_json::Value as Json;

/// The filter `~`'s operands go through (registered by `filters::install`).
pub const FILTER: &str = "_yearbook_shown";

/// `source` with each operand of `~` that may not be text wrapped in [`FILTER`]; the
/// source unchanged where minijinja cannot parse it (minijinja then says why).
pub fn shown(source: &str, label: &str) -> String {
    let Ok(ast) = minijinja::machinery::parse(source, label, Default::default()) else { return source.to_string() };
    let Ok(tree) = serde_json::to_value(&ast) else { return source.to_string() };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    operands(&tree, &mut spans);
    if spans.is_empty() {
        return source.to_string();
    }
    // Insertions at byte offsets: `((` at each start, `) | filter)` at each end (the
    // operand in parentheses of its own: `a + b` of `(a + b) ~ x` is filtered whole).
    // Operands never overlap but by nesting (an operand of a `~` inside a call that is
    // an operand of another), so plain insertion keeps them balanced; at one offset the
    // closings of inner operands come first.
    let mut at: Vec<(usize, u8, usize)> = Vec::with_capacity(spans.len() * 2);
    for &(s, e) in &spans {
        if s < e && e <= source.len() && source.is_char_boundary(s) && source.is_char_boundary(e) {
            // Closings (0) before openings (1) at one offset; among closings the
            // shorter operand (inner) first, among openings the longer (outer) first.
            at.push((e, 0, e - s));
            at.push((s, 1, usize::MAX - (e - s)));
        }
    }
    at.sort_unstable();
    let mut out = String::with_capacity(source.len() + at.len() * 16);
    let mut from = 0;
    for (pos, kind, _) in at {
        out.push_str(&source[from..pos]);
        from = pos;
        if kind == 0 {
            out.push_str(") | ");
            out.push_str(FILTER);
            out.push(')');
        } else {
            out.push_str("((");
        }
    }
    out.push_str(&source[from..]);
    // A span that is not what it seems would make a template that no longer parses:
    // then it is left as written.
    if minijinja::machinery::parse(&out, label, Default::default()).is_err() {
        return source.to_string();
    }
    out
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
        let f = FILTER;
        assert_eq!(shown("{{ \"GDP \" ~ value(\"gdp\") }}", "t"), format!("{{{{ \"GDP \" ~ ((value(\"gdp\")) | {f}) }}}}"));
        assert_eq!(shown("{{ a ~ b ~ \"x\" }}", "t"), format!("{{{{ ((a) | {f}) ~ ((b) | {f}) ~ \"x\" }}}}"));
        // Inside a call that is itself joined: both wrapped, balanced.
        assert_eq!(shown("{{ g(a ~ \"x\") ~ \"y\" }}", "t"), format!("{{{{ ((g(((a) | {f}) ~ \"x\")) | {f}) ~ \"y\" }}}}"));
        // A filter binds tighter than `~`: the operand is the filtered value.
        assert_eq!(shown("{{ x | round(1) ~ \"%\" }}", "t"), format!("{{{{ ((x | round(1)) | {f}) ~ \"%\" }}}}"));
        // Text of several lines keeps its lines; Chinese text its characters.
        assert_eq!(
            shown("第一行\n{% set s = \"增长\" ~ y %}\n{{ s }}", "t"),
            format!("第一行\n{{% set s = \"增长\" ~ ((y) | {f}) %}}\n{{{{ s }}}}")
        );
        // Attributes, items, calls and filters as operands.
        assert_eq!(
            shown("{{ p.name ~ p[\"x\"] ~ f(1) | upper }}", "t"),
            format!("{{{{ ((p.name) | {f}) ~ ((p[\"x\"]) | {f}) ~ ((f(1) | upper) | {f}) }}}}")
        );
        // A sum in parentheses is filtered whole.
        assert_eq!(shown("{{ (a + b) ~ \"x\" }}", "t"), format!("{{{{ (((a + b) | {f})) ~ \"x\" }}}}"));
        // No `~`, or a template minijinja cannot parse: unchanged.
        assert_eq!(shown("{{ a + b }} 文字", "t"), "{{ a + b }} 文字");
        assert_eq!(shown("{{ a ~ }}", "t"), "{{ a ~ }}");
    }
}
