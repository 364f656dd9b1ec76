//! Checks of a report template before it renders: comparisons a template would answer
//! silently wrong.
//!
//! minijinja compares a number with text as unequal and orders every number below every
//! text: `{% if p.year == "2021" %}` kept no row, `value("investment") > "5"` was false
//! for 500, and the section rendered empty without a word. The operators now compare by
//! value where `report::operators` rewrites them, but a comparison with a text literal
//! that spells a number (`"2021"`, `"5"`, `"2021年"`) is still refused where the
//! template is read, so that no template depends on that rewrite: the message names the
//! line and what to write, the number without quotes or the test form (`is eq("2021")`,
//! `selectattr("year", "equalto", "2021")`), which compares by value.

use serde_json::Value as Json;
use yearbook_core::error::{Error, Location, Result};

/// The comparison operators as the template's syntax tree names them.
const COMPARISONS: [(&str, &str, &str); 6] =
    [("Eq", "==", "eq"), ("Ne", "!=", "ne"), ("Lt", "<", "lt"), ("Lte", "<=", "le"), ("Gt", ">", "gt"), ("Gte", ">=", "ge")];

/// The most operators one expression block (`{{ }}`, `{% %}`) may hold, filters (`|`),
/// `~`, `.` and `[` counted: no report writes more, and a chain of 8000 `+` took a minute
/// to read (50,000 did not end), one of 8000 filters 12 s.
const MAX_OPERATORS: usize = 1000;

/// Refuses a block of more than [`MAX_OPERATORS`] arithmetic or comparison operators,
/// naming its line, before anything reads its tree (whose size grows with the chain).
fn check_size(source: &str, label: &str) -> Result<()> {
    use minijinja::machinery::Token;
    let (mut count, mut line) = (0usize, 1usize);
    for token in minijinja::machinery::tokenize(source, false, Default::default()) {
        let Ok((token, span)) = token else { return Ok(()) };
        match token {
            Token::VariableStart | Token::BlockStart => {
                count = 0;
                line = span.start_line as usize;
            }
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::FloorDiv
            | Token::Pow
            | Token::Mod
            | Token::Eq
            | Token::Ne
            | Token::Lt
            | Token::Lte
            | Token::Gt
            | Token::Gte
            // A chain of filters (`1|abs|abs|…`), of concatenations, of attributes or of
            // subscripts nests as deep: 8000 filters took 12 s to read.
            | Token::Pipe
            | Token::Tilde
            | Token::Dot
            | Token::BracketOpen => {
                count += 1;
                if count > MAX_OPERATORS {
                    return Err(Error::data(
                        Location::new(label, line.max(1), None),
                        format!(
                            "report template: one expression holds more than {MAX_OPERATORS} operators (filters, `~`, `.` and `[` \
                             counted): compute the parts in steps (`{{% set a = ... %}}`), or in a script (an indicator or a report rule's values)"
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Refuses a comparison of an expression with a text literal that spells a number.
/// A template minijinja cannot parse is left to minijinja, which says why. First refuses
/// an expression too long to read ([`MAX_OPERATORS`]).
pub fn check(source: &str, label: &str) -> Result<()> {
    check_size(source, label)?;
    let Ok(ast) = minijinja::machinery::parse(source, label, Default::default()) else { return Ok(()) };
    let Ok(tree) = serde_json::to_value(&ast) else { return Ok(()) };
    let mut texts = Vec::new();
    set_to_text(&tree, &mut texts);
    match find(&tree, &texts) {
        Some(Problem::TextVar { line, op, test, var, number }) => Err(Error::data(
            Location::new(label, line.max(1), None),
            format!(
                "report template: `{var} {op} {number}` compares the report's `{var}`, which is text, with a number: \
                 write the number as text (`{var} {op} \"{number}\"`), or the test form `{var} is {test}({number})`, which \
                 compares by value"
            ),
        )),
        Some(Problem::NumberText { line, op, test, text }) => {
            let number = text_number(&text).map(yearbook_core::format::number).unwrap_or_default();
            Err(Error::data(
                Location::new(label, line.max(1), None),
                format!(
                    "report template: `{op} \"{text}\"` compares with text that spells a number: write the number \
                     without quotes (`{op} {number}`) where the value is a number, or the test form `is {test}(\"{text}\")`, \
                     which compares by value whether the value is a number or text"
                ),
            ))
        }
        None => Ok(()),
    }
}

/// Refuses a text literal that is a code `[report.labels]` gives a label (`"road"` where
/// `[report.labels.category]` says road = "道路") in a template that reads a record
/// table with `rows()`: `rows()` gives each such cell its label, so a comparison with the
/// code (`selectattr("category", "equalto", "road")`, `r.category == "road"`) matched
/// nothing and the section printed a sum of 0 without a word. The message names the
/// line, the column and the label to write.
pub fn check_label_codes(
    source: &str,
    label: &str,
    labels: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
) -> Result<()> {
    use minijinja::machinery::Token;
    if labels.is_empty() || !source.contains("rows") {
        return Ok(());
    }
    let mut reads_rows = false;
    // The names the template writes (r.category, "category"), and its texts with their lines.
    let mut names = std::collections::HashSet::new();
    let mut texts: Vec<(usize, String)> = Vec::new();
    for token in minijinja::machinery::tokenize(source, false, Default::default()) {
        let Ok((token, span)) = token else { return Ok(()) };
        match token {
            Token::Ident("rows") => reads_rows = true,
            Token::Ident(n) => {
                names.insert(n.to_string());
            }
            Token::Str(text) => {
                names.insert(text.to_string());
                texts.push((span.start_line as usize, text.to_string()));
            }
            _ => {}
        }
    }
    // A code of a labelled column the template names (a code beside another column,
    // 2008 == "road", or a misspelled column is said otherwise).
    let found = texts.into_iter().find_map(|(line, text)| {
        labels
            .iter()
            .filter(|(column, _)| names.contains(column.as_str()))
            .find_map(|(column, m)| m.get(&text).filter(|l| **l != text).map(|l| (line, text.clone(), column.clone(), l.clone())))
    });
    match found.filter(|_| reads_rows) {
        Some((line, code, column, l)) => Err(Error::data(
            Location::new(label, line.max(1), None),
            format!(
                "report template: \"{code}\" is a code of column `{column}`, but rows() gives that column's cells their labels \
                 from [report.labels.{column}] (\"{code}\" is \"{l}\"), so a comparison with \"{code}\" matches no row: write \
                 \"{l}\""
            ),
        )),
        None => Ok(()),
    }
}

/// Refuses `points(yoy("CODE"))` where CODE is a rate in ‰ (`permille`): `yoy()` hands
/// the change in 千分点 as a bare number and `points(x)` says a bare number in 百分点, so
/// 7.5‰ → 8‰ printed 提高0.5个百分点, ten times the change (review33 04). The message names
/// the line and what to write: `points(yoy("CODE"), "‰")` or `growth("CODE")`.
pub fn check_points_of_permille(source: &str, label: &str, permille: &[&str]) -> Result<()> {
    use minijinja::machinery::Token;
    if permille.is_empty() || !source.contains("points") {
        return Ok(());
    }
    let mut tokens = Vec::new();
    for token in minijinja::machinery::tokenize(source, false, Default::default()) {
        let Ok((token, span)) = token else { return Ok(()) };
        tokens.push((token, span.start_line as usize));
    }
    let found = tokens.windows(7).find_map(|w| match (&w[0].0, &w[1].0, &w[2].0, &w[3].0, &w[4].0, &w[5].0, &w[6].0) {
        (
            Token::Ident("points"),
            Token::ParenOpen,
            Token::Ident("yoy"),
            Token::ParenOpen,
            Token::Str(code),
            Token::ParenClose,
            Token::ParenClose,
        ) if permille.contains(code) => Some((w[0].1, code.to_string())),
        _ => None,
    });
    match found {
        Some((line, code)) => Err(Error::data(
            Location::new(label, line.max(1), None),
            format!(
                "report template: points(yoy(\"{code}\")) would say the change of `{code}`, a rate in ‰, in 百分点: yoy() gives it in \
                 千分点 (0.5 for 7.5‰ to 8‰, which is 0.05个百分点); write points(yoy(\"{code}\"), \"‰\") (提高0.5个千分点) or \
                 growth(\"{code}\")"
            ),
        )),
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

/// The report's functions whose result is always text.
const TEXT_FUNCTIONS: [&str; 7] = ["label", "fmt", "amount", "amount_flagged", "growth", "points", "pass_rate"];

/// An expression that is text whatever it holds: a string constant, a join (`a ~ b`),
/// one of [`TEXT_FILTERS`] (`x | string`) or [`TEXT_FUNCTIONS`] (`label("gdp")`), one of
/// the report's text variables or a name in `texts`, a slice of text (`period[:4]`), or
/// `a if c else b` of two such.
fn is_text(e: &Json, texts: &[String]) -> bool {
    let inner = e.get("inner").and_then(|i| i.get(0));
    match e.get("expr").and_then(Json::as_str) {
        Some("Const") => inner.and_then(|c| c.get("value")).is_some_and(Json::is_string),
        Some("BinOp") => inner.and_then(|b| b.get("op")).and_then(Json::as_str) == Some("Concat"),
        Some("Filter") => inner.and_then(|f| f.get("name")).and_then(Json::as_str).is_some_and(|n| TEXT_FILTERS.contains(&n)),
        Some("Var") => {
            text_var(e) || inner.and_then(|v| v.get("id")).and_then(Json::as_str).is_some_and(|id| texts.iter().any(|t| t == id))
        }
        Some("Slice") => inner.and_then(|s| s.get("expr")).is_some_and(|x| is_text(x, texts)),
        Some("IfExpr") => {
            inner.and_then(|i| i.get("true_expr")).is_some_and(|x| is_text(x, texts))
                && inner.and_then(|i| i.get("false_expr")).is_some_and(|x| is_text(x, texts))
        }
        Some("Call") => inner
            .and_then(|c| c.get("expr"))
            .filter(|f| f.get("expr").and_then(Json::as_str) == Some("Var"))
            .and_then(|f| f.get("inner").and_then(|i| i.get(0)).and_then(|v| v.get("id")).and_then(Json::as_str))
            .is_some_and(|id| TEXT_FUNCTIONS.contains(&id)),
        _ => false,
    }
}

/// The names a template sets to text anywhere (`{% set s = "2021" %}`, `{% set s = a ~
/// b %}`, `{% set s %}...{% endset %}`, `{% set a, b = "x", "y" %}`, a copy of such a
/// name) and never to anything else.
fn set_to_text(tree: &Json, texts: &mut Vec<String>) {
    /// What a name is set to.
    enum Value<'t> {
        /// Text whatever it holds (a set block, an item of a constant tuple of text).
        Text,
        /// An expression, text or not.
        Expr(&'t Json),
        /// Something not known to be text.
        Other,
    }
    /// Each (name, value) a template sets.
    fn sets<'t>(node: &'t Json, out: &mut Vec<(String, Value<'t>)>) {
        let id = |t: &Json| -> Option<String> {
            (t.get("expr").and_then(Json::as_str) == Some("Var"))
                .then(|| t.get("inner").and_then(|i| i.get(0)).and_then(|v| v.get("id")).and_then(Json::as_str).map(String::from))
                .flatten()
        };
        let items = |e: &'t Json| -> Option<&'t Vec<Json>> {
            matches!(e.get("expr").and_then(Json::as_str), Some("List" | "Tuple"))
                .then(|| e.get("inner").and_then(|i| i.get(0)).and_then(|l| l.get("items")).and_then(Json::as_array))
                .flatten()
        };
        let constants = |e: &'t Json| -> Option<&'t Vec<Json>> {
            (e.get("expr").and_then(Json::as_str) == Some("Const"))
                .then(|| e.get("inner").and_then(|i| i.get(0)).and_then(|c| c.get("value")).and_then(Json::as_array))
                .flatten()
        };
        match node {
            Json::Array(all) => all.iter().for_each(|i| sets(i, out)),
            Json::Object(map) => {
                let stmt = map.get("stmt").and_then(Json::as_str);
                if let Some(set) = map.get("inner").and_then(|i| i.get(0))
                    && let Some(target) = set.get("target")
                {
                    match stmt {
                        Some("Set") => match (id(target), items(target), set.get("expr")) {
                            (Some(name), _, Some(value)) => out.push((name, Value::Expr(value))),
                            (None, Some(names), Some(value)) => {
                                let names: Vec<String> = names.iter().filter_map(id).collect();
                                match (items(value), constants(value)) {
                                    (Some(values), _) if values.len() == names.len() => {
                                        out.extend(names.into_iter().zip(values).map(|(n, v)| (n, Value::Expr(v))))
                                    }
                                    (_, Some(values)) if values.len() == names.len() => out.extend(
                                        names
                                            .into_iter()
                                            .zip(values)
                                            .map(|(n, v)| (n, if v.is_string() { Value::Text } else { Value::Other })),
                                    ),
                                    // Unpacked from something else: not known text.
                                    _ => out.extend(names.into_iter().map(|n| (n, Value::Other))),
                                }
                            }
                            _ => {}
                        },
                        // A set block is text, unless a filter makes it something else.
                        Some("SetBlock") => {
                            if let Some(name) = id(target) {
                                let filtered = set.get("filter").is_some_and(|f| !f.is_null());
                                out.push((name, if filtered { Value::Other } else { Value::Text }));
                            }
                        }
                        _ => {}
                    }
                }
                map.values().for_each(|v| sets(v, out));
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    sets(tree, &mut all);
    // To a fixed point: a copy of a name set to text is text (`{% set z = y %}`).
    loop {
        let known: Vec<String> = texts.clone();
        let mut next: Vec<String> = Vec::new();
        for (name, _) in &all {
            if next.contains(name) {
                continue;
            }
            let every = all.iter().filter(|(n, _)| n == name).all(|(_, v)| match v {
                Value::Text => true,
                Value::Expr(e) => is_text(e, &known),
                Value::Other => false,
            });
            if every {
                next.push(name.clone());
            }
        }
        if next.len() == texts.len() {
            break;
        }
        *texts = next;
    }
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
            "{% set y %}2008{% endset %}{{ y == \"2008\" }}",
            "{% set y = \"2008\" if true else \"x\" %}{{ y == \"2008\" }}",
            "{% set a, b = \"2008\", \"x\" %}{{ a == \"2008\" }}",
            "{% set y = \"20\" ~ \"08\" %}{% set z = y %}{{ z == \"2008\" }}",
            "{% set y = period %}{{ y == \"2008\" }}",
            "{{ period[:4] == \"2008\" }}",
            "{{ label(\"gdp\") == \"2008\" }}",
            // A value looked for in a list: found by value at run time, not refused.
            "{% if p.year in [\"2021\", \"2022\"] %}x{% endif %}",
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
        // A name set to text in one place and to a figure in another is not known text.
        assert!(refused("{% set s = \"1\" %}{% set s = value(\"x\") %}{% if s == \"5\" %}x{% endif %}").is_some());
        assert!(refused("{% if x | round == \"5\" %}x{% endif %}").is_some());
        for src in [
            "{% set y %}2008{% endset %}{% set y = value(\"x\") %}{{ y == \"2008\" }}",
            "{% set y | int %}2008{% endset %}{{ y == \"2008\" }}",
            "{% set a, b = rows(\"p\") %}{{ a == \"2008\" }}",
            "{% set y = value(\"x\") if c else \"x\" %}{{ y == \"2008\" }}",
            "{% set y = value(\"x\") %}{% set z = y %}{{ z == \"2008\" }}",
        ] {
            assert!(refused(src).is_some(), "{src}");
        }
    }

    #[test]
    fn the_reports_text_variables_compared_with_a_number_are_refused() {
        let e = refused("a\nb\n{% if period == 2020 %}A{% else %}B{% endif %}").unwrap();
        assert_eq!(
            e,
            "main.md:3: report template: `period == 2020` compares the report's `period`, which is text, with a number: \
             write the number as text (`period == \"2020\"`), or the test form `period is eq(2020)`, which compares by value"
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
