//! Script errors for people: the position with a caret under the spot (CJK-aware), the
//! cause in plain words, and the closest known names for unknown ones.

use rhai::{EvalAltResult, ParseError, Position};
use unicode_width::UnicodeWidthStr;
use yearbook_core::error::{Error, ErrorKind, Span};
use yearbook_io::config::Limits;

/// What the renderer needs to know: script sources, names for suggestions, limits.
pub struct Known<'a> {
    /// (source name, text) of every script that may appear in an error.
    pub sources: &'a [(String, String)],
    /// Names a script can read, for "did you mean".
    pub variables: &'a [String],
    /// Function signatures (`yoy(s: Series) -> Series`).
    pub functions: &'a [String],
    /// The limits in force, quoted when one stops a script.
    pub limits: &'a Limits,
}

/// A compile error of `text` (named `name`).
pub fn parse_error(err: &ParseError, name: &str, text: &str, known: &Known) -> Error {
    let (kind, msg) = match err.err_type() {
        rhai::ParseErrorType::VariableUndefined(v) => (ErrorKind::UnknownName, unknown_variable(v, known)),
        rhai::ParseErrorType::Reserved(w) if w == "eval" => (ErrorKind::Syntax, "`eval` is disabled in yearbook scripts".into()),
        rhai::ParseErrorType::ExprTooDeep => (
            ErrorKind::DepthLimit,
            format!(
                "the expression nests deeper than limits.max_expr_depth = {} (each `+` of a long chain, each bracket and \
                 each call is one level): write a long total as sum([a, b, c, ...]) of its parts, split it into derived \
                 indicators, or raise max_expr_depth in [limits] of the config (at most {})",
                known.limits.max_expr_depth,
                yearbook_io::config::MAX_EXPR_DEPTH
            ),
        ),
        other => (ErrorKind::Syntax, other.to_string()),
    };
    render(kind, &msg, name, Some(text), err.position(), 1)
}

/// An evaluation error of `text` (named `name`).
pub fn eval_error(err: &EvalAltResult, name: &str, text: &str, known: &Known) -> Error {
    // Walk down nested function calls to the cause, remembering the last known position
    // and which script it is in.
    let mut cur = err;
    // Where the error is: a script's name and its text.
    let mut source: (String, Option<&str>) = (name.to_string(), Some(text));
    let mut pos = err.position();
    let mut in_fn: Option<String> = None;
    while let EvalAltResult::ErrorInFunctionCall(fname, src, inner, p) = cur {
        if !p.is_none() {
            pos = *p;
        }
        let named = if src.is_empty() { source.0.clone() } else { src.to_string() };
        let text_of = |n: &str| if n == name { Some(text) } else { known.sources.iter().find(|(s, _)| s == n).map(|(_, t)| t.as_str()) };
        source = match text_of(&named) {
            // Functions merged from a scripts file (or an earlier REPL input) carry the
            // caller's name: the script that defines the function is the place.
            Some(t) if defines(t, fname) => (named, Some(t)),
            other => match known.sources.iter().rev().find(|(_, t)| defines(t, fname)) {
                Some((n, t)) => (n.clone(), Some(t.as_str())),
                None => (named, other),
            },
        };
        in_fn = Some(fname.clone());
        cur = inner;
        if !cur.position().is_none() {
            pos = cur.position();
        }
    }
    let kind = kind_of(cur, known.functions);
    let (msg, width) = match (cur, &in_fn) {
        // Rhai functions see only their parameters, not the caller's `let` variables.
        (EvalAltResult::ErrorVariableNotFound(v, _), Some(f)) if known.variables.iter().any(|k| k == v) => (
            format!("`{v}` is defined outside the function `{f}`, which sees only its parameters: pass it as an argument, {f}(…, {v})"),
            v.chars().count(),
        ),
        _ => describe(cur, known),
    };
    let msg = match in_fn {
        Some(f)
            if matches!(cur, EvalAltResult::ErrorRuntime(..))
                && !f.starts_with(|c: char| c.is_ascii_punctuation())
                // A closure's name (anon$1a2b…) says nothing: the caret points into it.
                && !f.starts_with("anon$")
                && !msg.starts_with(&f.to_string()) =>
        {
            format!("{f}: {msg}")
        }
        _ => msg,
    };
    render(kind, &msg, &source.0, source.1, pos, width)
}

/// The kind of an evaluation error (after the nested calls): the kind our native
/// functions raised ([`crate::raise`]), the limit that stopped it, or what Rhai reports.
/// `functions` are the known signatures: a call of a known name with other arguments is
/// a type error, of an unknown name an unknown name.
pub fn kind_of(e: &EvalAltResult, functions: &[String]) -> ErrorKind {
    use EvalAltResult as E;
    match e {
        E::ErrorInFunctionCall(_, _, inner, _) | E::ErrorInModule(_, inner, _) => kind_of(inner, functions),
        E::ErrorRuntime(v, _) => crate::raised_kind(v).unwrap_or(ErrorKind::Runtime),
        E::ErrorVariableNotFound(..) | E::ErrorModuleNotFound(..) => ErrorKind::UnknownName,
        // A name no function has is unknown; a known name with other arguments is a type error.
        E::ErrorFunctionNotFound(sig, _) => {
            let name = sig.split([' ', '(']).next().unwrap_or(sig);
            if functions.iter().any(|s| s.split('(').next() == Some(name)) { ErrorKind::Type } else { ErrorKind::UnknownName }
        }
        E::ErrorMismatchDataType(..) | E::ErrorMismatchOutputType(..) | E::ErrorIndexingType(..) | E::ErrorFor(..) => ErrorKind::Type,
        E::ErrorParsing(..) => ErrorKind::Syntax,
        E::ErrorTerminated(v, _) => terminated_kind(v),
        E::ErrorTooManyOperations(_) => ErrorKind::OperationLimit,
        E::ErrorStackOverflow(_) => ErrorKind::DepthLimit,
        E::ErrorDataTooLarge(..) | E::ErrorTooManyVariables(_) | E::ErrorTooManyModules(_) => ErrorKind::SizeLimit,
        _ => ErrorKind::Runtime,
    }
}

/// The limit an evaluation was terminated for (`sandbox`'s tokens).
pub fn terminated_kind(v: &rhai::Dynamic) -> ErrorKind {
    match v.clone().into_immutable_string() {
        Ok(t) if t == crate::sandbox::INTERRUPT_TOKEN => ErrorKind::Interrupted,
        Ok(t) if t == crate::sandbox::MEMORY_TOKEN => ErrorKind::MemoryLimit,
        _ => ErrorKind::Timeout,
    }
}

/// A call's signature as Rhai gives it (`yoy (Series, &str | ImmutableString | String,
/// i64)`) in the script's words: `yoy(Series, text, number)`.
fn plain_signature(sig: &str) -> String {
    let (name, args) = sig.split_once('(').unwrap_or((sig, ""));
    let args: Vec<&str> = args
        .trim_end_matches(')')
        .split(", ")
        .filter(|a| !a.is_empty())
        .map(|a| match a.trim() {
            "&str | ImmutableString | String" | "ImmutableString" | "String" | "&str" => "text",
            "i64" | "f64" | "INT" | "FLOAT" => "number",
            "Array" => "array",
            "Map" => "map",
            "()" => "nothing",
            other => other.rsplit("::").next().unwrap_or(other),
        })
        .collect();
    format!("{}({})", name.trim(), args.join(", "))
}

/// A value of the wrong type, in the words of the script (not Rust's type names).
fn mismatch(want: &str, got: &str) -> String {
    let plain = |t: &str| match t.rsplit("::").next().unwrap_or(t) {
        "Series" => "a series (values per region and period)".to_string(),
        "bool" => "true or false".to_string(),
        "f64" | "f32" | "i64" | "i32" | "INT" | "FLOAT" | "Decimal" => "a number".to_string(),
        "ImmutableString" | "String" | "string" | "&str" | "str" | "char" => "text".to_string(),
        "Array" | "array" => "an array".to_string(),
        "Map" | "map" => "a map".to_string(),
        "Check" => "a check".to_string(),
        "()" => "nothing".to_string(),
        // A variable a closure captured is shared (Rust names it Arc<RwLock<Dynamic>>).
        _ if t.contains("Dynamic>") => "a variable the closure captured, of another kind".to_string(),
        other => format!("`{other}`"),
    };
    if want == "bool" && got.ends_with("Series") {
        return "`&&`, `||` and `if` need one true or false, and this is a series (a value per region and period): \
                combine masks with `&` and `|` (gdp > 0 & fiscal_revenue > 0)"
            .to_string();
    }
    format!("expected {}, got {}", plain(want), plain(got))
}

fn describe(e: &EvalAltResult, known: &Known) -> (String, usize) {
    use EvalAltResult as E;
    match e {
        E::ErrorVariableNotFound(v, _) => (unknown_variable(v, known), v.chars().count()),
        E::ErrorFunctionNotFound(sig, _) => {
            let name = sig.split([' ', '(']).next().unwrap_or(sig).to_string();
            let same: Vec<&String> = known.functions.iter().filter(|s| s.split('(').next() == Some(name.as_str())).collect();
            // A closure (`|x| ...`, named anon$<hash> inside Rhai) called with another
            // number of arguments than it takes.
            let given = sig.split_once('(').map(|(_, a)| a.trim_end_matches(')').split(',').filter(|a| !a.trim().is_empty()).count());
            let msg = if name.starts_with("anon$") {
                format!(
                    "a closure was called with {} argument(s) and takes another number: a sort comparator takes two items \
                     (`|a, b| a - b`), a filter or map closure one (`|x| x > 1`), reduce two (`|sum, x| sum + x`)",
                    given.unwrap_or(0)
                )
            } else if same.is_empty() && !name.is_empty() && name.chars().all(|c| !c.is_alphanumeric() && c != '_' && c != '$') {
                // An operator between values it does not take: said as such, not as a
                // function with a name like `!` suggested for it.
                let plain = plain_signature(sig);
                let args = plain.split_once('(').map_or("", |(_, a)| a.trim_end_matches(')'));
                match name.as_str() {
                    ".." | "..=" => format!(
                        "a range `a{name}b` needs two whole numbers, and here it has ({args}): `/` gives a decimal (5 / 2 is \
                         2.5); write to_int(n / 2)"
                    ),
                    "%" => format!(
                        "`%` (the remainder) takes two plain numbers, not ({args}): for each value of a series write \
                         map(s, |x| x % 2)"
                    ),
                    "^" => format!(
                        "`^` is no power in scripts and does not apply to ({args}): write a power as `**` (gdp ** 2, (1 + g) ** (1 / 5))"
                    ),
                    _ => format!("the operator `{name}` does not apply to ({args})"),
                }
            } else if same.is_empty() {
                let names: Vec<&str> = known.functions.iter().filter_map(|s| s.split('(').next()).collect();
                format!("unknown function `{name}`{}", yearbook_core::suggest::did_you_mean(&name, names))
            } else {
                let list: Vec<String> = same.iter().map(|s| format!("  {s}")).collect();
                format!("no `{name}` takes these arguments: {}\n{name} takes:\n{}", plain_signature(sig), list.join("\n"))
            };
            (msg, name.chars().count().max(1))
        }
        E::ErrorRuntime(v, _) => (v.to_string(), 1),
        // `/` gives a decimal (1/2 = 0.5), so a position computed by division is one.
        E::ErrorMismatchDataType(want, got, _) if want == "i64" && got == "f64" => (
            "a position (array index, range bound) must be a whole number, and `/` gives a decimal: write to_int(x) or floor(x)"
                .to_string(),
            1,
        ),
        E::ErrorMismatchDataType(want, got, _) => (mismatch(want, got), 1),
        E::ErrorTerminated(v, _) => {
            let t = v.to_string();
            if t == crate::sandbox::INTERRUPT_TOKEN {
                ("interrupted".into(), 1)
            } else if t == crate::sandbox::MEMORY_TOKEN {
                (
                    format!(
                        "stopped: the evaluation held more than {} MB of memory (limits.max_memory_mb); does a loop keep every series, list, map or text it makes?",
                        yearbook_core::memory::limit_mb()
                    ),
                    1,
                )
            } else {
                (
                    format!(
                        "stopped: the script ran longer than the time limit of {} ms (timeout_ms, in [limits] or on the rule)",
                        known.limits.timeout_ms
                    ),
                    1,
                )
            }
        }
        E::ErrorTooManyOperations(_) => (
            format!(
                "stopped: the script exceeded {} operations (limits.max_operations); is there an endless loop?",
                known.limits.max_operations
            ),
            1,
        ),
        E::ErrorStackOverflow(_) => (
            format!(
                "stopped: calls nested deeper than {} (limits.max_call_depth); is there unbounded recursion?",
                known.limits.max_call_depth
            ),
            1,
        ),
        E::ErrorDataTooLarge(what, _) => {
            (format!("stopped: {what} exceeds the size limit (limits.max_string_size / max_array_size / max_map_size)"), 1)
        }
        E::ErrorModuleNotFound(m, _) => (format!("module \"{m}\" not found in the workspace's scripts folder"), 1),
        E::ErrorInModule(m, inner, _) => (format!("in module \"{m}\": {}", describe(inner, known).0), 1),
        other => {
            let t = other.to_string();
            let t = match t.rfind(" (line ") {
                Some(i) if t.ends_with(')') => t[..i].to_string(),
                _ => t,
            };
            (t, 1)
        }
    }
}

fn unknown_variable(v: &str, known: &Known) -> String {
    format!("unknown name `{v}`{}", yearbook_core::suggest::did_you_mean(v, known.variables.iter().map(String::as_str)))
}

/// An error of `kind` at `pos` in the script `name`: its span is the position and `width`
/// characters; with the script's `text`, its display is the caret display ([`carets`]).
pub fn render(kind: ErrorKind, msg: &str, name: &str, text: Option<&str>, pos: Position, width: usize) -> Error {
    let err = Error::new(kind, msg);
    let Some(line) = pos.line() else {
        // No position: the script's name is the place.
        return err.rendered_as(format!("{name}: {msg}"));
    };
    match text {
        None => err.at(Span::new(name, line, Some(pos.position().unwrap_or(1))).with_len(width.max(1))),
        Some(text) => {
            let span = Span::new(name, line, Some(pos.position().unwrap_or(1).max(1))).with_len(width.max(1));
            let shown = carets(msg, &span, text);
            err.at(span).rendered_as(shown)
        }
    }
}

/// The caret display of a problem at `span` in the script `text`: `source:line:col:
/// message`, then the line with carets under the spanned characters (as wide as they
/// print: two columns for a Chinese character).
pub fn carets(msg: &str, span: &Span, text: &str) -> String {
    let (name, line) = (&span.source, span.line);
    let col = span.col.unwrap_or(1).max(1);
    let src_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let before: String = src_line.chars().take(col - 1).collect();
    let under: String = src_line.chars().skip(col - 1).take(span.len.unwrap_or(1).max(1)).collect();
    let pad = " ".repeat(UnicodeWidthStr::width(before.as_str()));
    let carets = "^".repeat(UnicodeWidthStr::width(under.as_str()).max(1));
    let gutter = " ".repeat(line.to_string().len());
    format!("{name}:{line}:{col}: {msg}\n{gutter} |\n{line} | {src_line}\n{gutter} | {pad}{carets}")
}

/// Whether a script's text defines `fn name(`.
fn defines(text: &str, name: &str) -> bool {
    text.match_indices("fn ").any(|(i, _)| {
        let rest = text[i + 3..].trim_start();
        rest.strip_prefix(name).is_some_and(|r| r.trim_start().starts_with('('))
            && (i == 0 || text[..i].ends_with(|c: char| c.is_whitespace() || c == ';' || c == '}'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhai::Dynamic;
    use yearbook_core::error::Fault;

    fn eval_kind(e: EvalAltResult) -> Error {
        let limits = Limits::default();
        let known = Known { sources: &[], variables: &[], functions: &[], limits: &limits };
        eval_error(&e, "rules.x", "gdp + 1", &known)
    }

    #[test]
    fn limits_and_raised_values_have_their_kind_and_span() {
        let at = Position::new(1, 5);
        let cases = [
            (EvalAltResult::ErrorTerminated(Dynamic::from(crate::sandbox::TIMEOUT_TOKEN), at), ErrorKind::Timeout),
            (EvalAltResult::ErrorTerminated(Dynamic::from(crate::sandbox::INTERRUPT_TOKEN), at), ErrorKind::Interrupted),
            (EvalAltResult::ErrorTerminated(Dynamic::from(crate::sandbox::MEMORY_TOKEN), at), ErrorKind::MemoryLimit),
            (EvalAltResult::ErrorTooManyOperations(at), ErrorKind::OperationLimit),
            (EvalAltResult::ErrorStackOverflow(at), ErrorKind::DepthLimit),
            (EvalAltResult::ErrorDataTooLarge("Length of string".into(), at), ErrorKind::SizeLimit),
            (EvalAltResult::ErrorRuntime("thrown".into(), at), ErrorKind::Runtime),
        ];
        for (e, kind) in cases {
            let err = eval_kind(e);
            assert_eq!(err.kind(), kind, "{err}");
            assert_eq!(err.span(), Some(&Span::new("rules.x", 1, Some(5)).with_len(1)));
        }
        let mut raised = *crate::raise(Fault::unit("unit mismatch: cannot add or compare 亩 and 万元"));
        raised.set_position(at);
        let err = eval_kind(raised);
        assert_eq!((err.kind(), err.message()), (ErrorKind::Unit, "unit mismatch: cannot add or compare 亩 and 万元"));
        assert_eq!(err.to_string(), "rules.x:1:5: unit mismatch: cannot add or compare 亩 and 万元\n  |\n1 | gdp + 1\n  |     ^");
    }

    #[test]
    fn raised_values_stay_strings() {
        let e = crate::raise(Fault::new(ErrorKind::Cycle, "indicators form a cycle: a -> a"));
        let EvalAltResult::ErrorRuntime(v, _) = *e else { panic!("a runtime error") };
        assert!(v.is_string());
        assert_eq!(v.to_string(), "indicators form a cycle: a -> a");
        assert_eq!(crate::raised_kind(&v), Some(ErrorKind::Cycle));
        assert_eq!(crate::raised_kind(&Dynamic::from("thrown")), None);
    }

    #[test]
    fn carets_count_display_columns() {
        let span = Span::new("indicators.y", 1, Some(5)).with_len(2);
        assert_eq!(
            carets("unknown name `人口`", &span, "1 + 人口"),
            "indicators.y:1:5: unknown name `人口`\n  |\n1 | 1 + 人口\n  |     ^^^^"
        );
    }
}
