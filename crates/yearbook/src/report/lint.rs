//! Checks of a report template before it renders: comparisons a template would answer
//! silently wrong.
//!
//! minijinja compares a number with text as unequal and orders every number below every
//! text: `{% if p.year == "2021" %}` keeps no row, `value("investment") > "5"` is false
//! for 500, and the section renders empty without a word. Its operators take no hook, so
//! a comparison with a text literal that spells a number (`"2021"`, `"5"`, `"2021年"`)
//! is refused where the template is read, naming the line and what to write: the number
//! without quotes, or the test form (`is eq("2021")`, `selectattr("year", "equalto",
//! "2021")`), which compares a number and the text that spells it by value. (`x in
//! [...]` finds a number among text by value: see `report::operators`.)

use serde_json::Value as Json;
use yearbook_core::error::{Error, Location, Result};

/// The comparison operators as the template's syntax tree names them.
const COMPARISONS: [(&str, &str, &str); 6] =
    [("Eq", "==", "eq"), ("Ne", "!=", "ne"), ("Lt", "<", "lt"), ("Lte", "<=", "le"), ("Gt", ">", "gt"), ("Gte", ">=", "ge")];

/// Refuses a comparison of an expression with a text literal that spells a number.
/// A template minijinja cannot parse is left to minijinja, which says why.
pub fn check(source: &str, label: &str) -> Result<()> {
    let Ok(ast) = minijinja::machinery::parse(source, label, Default::default()) else { return Ok(()) };
    let Ok(tree) = serde_json::to_value(&ast) else { return Ok(()) };
    let mut texts = Vec::new();
    set_to_text(&tree, &mut texts);
    match find(&tree, &texts) {
        Some(Problem::TextVar { line, op, test, var, number }) => Err(Error::data(
            Location::new(label, line.max(1), None),
            format!(
                "report template: `{var} {op} {number}` compares the report's `{var}`, which is text, with a number: in a \
                 template text never equals a figure and orders above every one (\"2020\" == 2020 is false, \"2020\" < 2025 \
                 is false), so the test would be silently wrong; write the number as text (`{var} {op} \"{number}\"`), or the \
                 test form `{var} is {test}({number})`, which compares by value"
            ),
        )),
        Some(Problem::NumberText { line, op, test, text }) => {
            let number = text_number(&text).map(yearbook_core::format::number).unwrap_or_default();
            Err(Error::data(
                Location::new(label, line.max(1), None),
                format!(
                    "report template: `{op} \"{text}\"` compares with text that spells a number: in a template a figure never \
                     equals text and orders below it (2021 == \"2021\" is false), so the test would be silently false; \
                     write the test form `is {test}(\"{text}\")`, which compares by value whether the value is a number or \
                     text, or the number without quotes (`{op} {number}`) where the value is a number"
                ),
            ))
        }
        None => Ok(()),
    }
}

/// A comparison a template would answer silently wrong.
enum Problem {
    /// With a text literal that spells a number (`p.year == "2021"`): its line,
    /// operator, the test of the same meaning and the text.
    NumberText { line: usize, op: &'static str, test: &'static str, text: String },
    /// One of the report's text variables with a number (`period == 2020`): its line,
    /// operator, test, the variable and the number as written.
    TextVar { line: usize, op: &'static str, test: &'static str, var: String, number: String },
}

/// The first comparison a template would answer silently wrong; `texts`: the names the
/// template sets to text.
fn find(node: &Json, texts: &[String]) -> Option<Problem> {
    match node {
        Json::Array(items) => items.iter().find_map(|i| find(i, texts)),
        Json::Object(map) => {
            if map.get("expr").and_then(Json::as_str) == Some("BinOp")
                && let Some(bin) = map.get("inner").and_then(|i| i.get(0))
                && let Some(op) = bin.get("op").and_then(Json::as_str)
                && let Some((_, symbol, test)) = COMPARISONS.iter().find(|(name, _, _)| *name == op)
            {
                let (left, right) = (bin.get("left"), bin.get("right"));
                let var_number = match (left.and_then(text_var_name), right.and_then(num_const)) {
                    (Some(var), Some((number, line))) => Some((var, number, line)),
                    _ => match (right.and_then(text_var_name), left.and_then(num_const)) {
                        (Some(var), Some((number, line))) => Some((var, number, line)),
                        _ => None,
                    },
                };
                if let Some((var, number, line)) = var_number {
                    return Some(Problem::TextVar { line, op: symbol, test, var, number });
                }
                let literal = match (left.and_then(text_const), right.and_then(text_const)) {
                    (Some(_), Some(_)) => None,
                    // Text whatever it holds (`a ~ b`, `x | string`, a name set to text)
                    // compared with text, as it should be.
                    (Some(_), None) if right.is_some_and(|e| is_text(e, texts)) => None,
                    (None, Some(_)) if left.is_some_and(|e| is_text(e, texts)) => None,
                    // The report's own text variables (`period == "2021"`, `region ==
                    // "330102"`) are text: compared with text as they should be.
                    (Some(_), None) if right.is_some_and(text_var) => None,
                    (None, Some(_)) if left.is_some_and(text_var) => None,
                    (Some(t), None) | (None, Some(t)) => Some(t),
                    (None, None) => None,
                };
                if let Some((text, line)) = literal.filter(|(t, _)| text_number(t).is_some()) {
                    return Some(Problem::NumberText { line, op: symbol, test, text });
                }
            }
            map.values().find_map(|v| find(v, texts))
        }
        _ => None,
    }
}

/// minijinja's filters whose result is always text.
const TEXT_FILTERS: [&str; 12] =
    ["string", "join", "format", "upper", "lower", "title", "capitalize", "trim", "replace", "tojson", "indent", "urlencode"];

/// An expression that is text whatever it holds: a string constant, a join (`a ~ b`),
/// one of [`TEXT_FILTERS`] (`x | string`), or a name in `texts`.
fn is_text(e: &Json, texts: &[String]) -> bool {
    let inner = e.get("inner").and_then(|i| i.get(0));
    match e.get("expr").and_then(Json::as_str) {
        Some("Const") => inner.and_then(|c| c.get("value")).is_some_and(Json::is_string),
        Some("BinOp") => inner.and_then(|b| b.get("op")).and_then(Json::as_str) == Some("Concat"),
        Some("Filter") => inner.and_then(|f| f.get("name")).and_then(Json::as_str).is_some_and(|n| TEXT_FILTERS.contains(&n)),
        Some("Var") => inner.and_then(|v| v.get("id")).and_then(Json::as_str).is_some_and(|id| texts.iter().any(|t| t == id)),
        _ => false,
    }
}

/// The names a template sets to text anywhere (`{% set s = "2021" %}`, `{% set s = a ~
/// b %}`) and never to anything else.
fn set_to_text(tree: &Json, texts: &mut Vec<String>) {
    fn walk(node: &Json, text: &mut Vec<String>, other: &mut Vec<String>) {
        match node {
            Json::Array(items) => items.iter().for_each(|i| walk(i, text, other)),
            Json::Object(map) => {
                if map.get("stmt").and_then(Json::as_str) == Some("Set")
                    && let Some(set) = map.get("inner").and_then(|i| i.get(0))
                    && let Some(id) = set
                        .get("target")
                        .filter(|t| t.get("expr").and_then(Json::as_str) == Some("Var"))
                        .and_then(|t| t.get("inner").and_then(|i| i.get(0)).and_then(|v| v.get("id")).and_then(Json::as_str))
                {
                    let is = set.get("expr").is_some_and(|e| is_text(e, &[]));
                    if is { text.push(id.to_string()) } else { other.push(id.to_string()) }
                }
                map.values().for_each(|v| walk(v, text, other));
            }
            _ => {}
        }
    }
    let (mut text, mut other) = (Vec::new(), Vec::new());
    walk(tree, &mut text, &mut other);
    texts.extend(text.into_iter().filter(|t| !other.contains(t)));
}

/// The context variables a report template gets as text (see `report::compose`).
const TEXT_VARS: [&str; 6] = ["period", "period_cn", "region", "region_name", "title", "format"];

/// A bare variable of the tree that is one of [`TEXT_VARS`].
fn text_var(e: &Json) -> bool {
    e.get("expr").and_then(Json::as_str) == Some("Var")
        && e.get("inner").and_then(|i| i.get(0)).and_then(|v| v.get("id")).and_then(Json::as_str).is_some_and(|id| TEXT_VARS.contains(&id))
}

/// The name of a bare variable of the tree that is one of [`TEXT_VARS`].
fn text_var_name(e: &Json) -> Option<String> {
    text_var(e).then(|| e.get("inner").and_then(|i| i.get(0)).and_then(|v| v.get("id")).and_then(Json::as_str)).flatten().map(String::from)
}

/// A number constant of the tree, as written, and its line.
fn num_const(e: &Json) -> Option<(String, usize)> {
    if e.get("expr").and_then(Json::as_str) != Some("Const") {
        return None;
    }
    let inner = e.get("inner")?;
    let value = inner.get(0)?.get("value")?;
    let number = if value.is_number() { value.to_string() } else { return None };
    let line = inner.get(1).and_then(|s| s.get("start_line")).and_then(Json::as_u64).unwrap_or(1) as usize;
    Some((number, line))
}

/// A string constant of the tree and its line.
fn text_const(e: &Json) -> Option<(String, usize)> {
    if e.get("expr").and_then(Json::as_str) != Some("Const") {
        return None;
    }
    let inner = e.get("inner")?;
    let text = inner.get(0)?.get("value")?.as_str()?.to_string();
    let line = inner.get(1).and_then(|s| s.get("start_line")).and_then(Json::as_u64).unwrap_or(1) as usize;
    Some((text, line))
}

/// The number text spells (`"5"`, `" 2021"`, `"2021年"`, `"-1.5"`); None for other text
/// and for codes (`"0012"`: a leading zero keeps it text).
fn text_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || yearbook_core::table::is_identifier(t) {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).or_else(|| yearbook_core::table::year_spelling(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(src: &str) -> Option<String> {
        check(src, "main.md").err().map(|e| e.to_string())
    }

    #[test]
    fn comparisons_with_number_text_are_refused_with_their_line() {
        let e = refused("a\n{% if p.year == \"2021\" %}x{% endif %}").unwrap();
        assert!(e.contains("main.md:2") && e.contains("`== \"2021\"`") && e.contains("`== 2021`") && e.contains("is eq(\"2021\")"), "{e}");
        let e = refused("{% if value(\"investment\") > \"5\" %}big{% endif %}").unwrap();
        assert!(e.contains("`> \"5\"`") && e.contains("is gt(\"5\")"), "{e}");
        assert!(refused("{% for p in rows(\"x\") if \"2021年\" != p.year %}{% endfor %}").is_some());
        assert!(refused("{{ (a + 1) <= \"3.5\" }}").is_some());
    }

    #[test]
    fn text_whatever_it_holds_compared_with_number_text_passes() {
        for ok in [
            "{{ 1 ~ 2 == \"12\" }}",
            "{% if \"12\" != a ~ b %}x{% endif %}",
            "{% if x | string == \"5\" %}x{% endif %}",
            "{% set s = \"20\" ~ \"21\" %}{% if s == \"2021\" %}x{% endif %}",
            "{% set s = \"2021\" %}{% if \"2021\" == s %}x{% endif %}",
            // A value looked for in a list: found by value at run time, not refused.
            "{% if p.year in [\"2021\", \"2022\"] %}x{% endif %}",
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
        // A name set to text in one place and to a figure in another is not known text.
        assert!(refused("{% set s = \"1\" %}{% set s = value(\"x\") %}{% if s == \"5\" %}x{% endif %}").is_some());
        assert!(refused("{% if x | round == \"5\" %}x{% endif %}").is_some());
    }

    #[test]
    fn the_reports_text_variables_compared_with_a_number_are_refused() {
        let e = refused("a\nb\n{% if period == 2020 %}A{% else %}B{% endif %}").unwrap();
        assert_eq!(
            e,
            "main.md:3: report template: `period == 2020` compares the report's `period`, which is text, with a number: in a \
             template text never equals a figure and orders above every one (\"2020\" == 2020 is false, \"2020\" < 2025 is \
             false), so the test would be silently wrong; write the number as text (`period == \"2020\"`), or the test form \
             `period is eq(2020)`, which compares by value"
        );
        for src in ["{% if period < 2025 %}A{% endif %}", "{% if 2021 <= period %}A{% endif %}", "{{ region != 330102 }}"] {
            assert!(refused(src).is_some(), "{src}");
        }
        assert!(refused("{% if period is ge(2021) %}A{% endif %}").is_none());
    }

    #[test]
    fn text_comparisons_and_number_comparisons_pass() {
        for ok in [
            "{% if p.category == \"road\" %}x{% endif %}",
            "{% if p.year == 2021 %}x{% endif %}",
            "{% if p.code == \"0012\" %}x{% endif %}",
            "{% if p.year is eq(\"2021\") %}x{% endif %}",
            "{{ rows | selectattr(\"year\", \"equalto\", \"2021\") | list | length }}",
            "{% if \"5\" == \"5\" %}x{% endif %}",
            "{% if period == \"2021\" %}x{% endif %}",
            "{% if \"330102\" == region %}x{% endif %}",
            "{{ unclosed",
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
    }
}
