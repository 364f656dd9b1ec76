//! Comparisons between kinds of value that have no order and no equality with each
//! other (a list with a number, true with 1, a record with text): an error that names
//! both sides, where Rhai answered a plain `false` (`!=`: `true`) that an `if` or a
//! `filter` took silently: `[p.year] == 2021` kept no row, `[1, 2] < 3` was false.
//! Naming a side reads it in place (a list is never copied to be named).
//!
//! Pairs that do compare are left alone: numbers with numbers, text with numbers
//! (numbers.rs), text with characters, a series with numbers and with text (ops_api.rs),
//! and `x == ()` / `x != ()`, which is how a script tests for an empty cell.

use rhai::{Array, Dynamic, Engine, EvalAltResult, FLOAT, FnPtr, INT, ImmutableString, Map};
use std::any::TypeId;
use yearbook_core::error::Fault;
use yearbook_core::series::Series;
use yearbook_core::table::Table;

/// The comparison operators.
const OPS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

/// The kinds of value a script holds, for the table of pairs.
fn kinds() -> [TypeId; 15] {
    [
        TypeId::of::<INT>(),
        TypeId::of::<FLOAT>(),
        TypeId::of::<bool>(),
        TypeId::of::<ImmutableString>(),
        TypeId::of::<char>(),
        TypeId::of::<Array>(),
        TypeId::of::<Map>(),
        TypeId::of::<()>(),
        TypeId::of::<FnPtr>(),
        TypeId::of::<Series>(),
        TypeId::of::<Table>(),
        TypeId::of::<crate::row::Row>(),
        TypeId::of::<crate::grouped::Grouped>(),
        TypeId::of::<yearbook_core::check::Check>(),
        TypeId::of::<crate::Namespace>(),
    ]
}

/// Whether `a op b` has a meaning of its own (or another registration) and is left alone.
fn compares(a: TypeId, b: TypeId, op: &str) -> bool {
    let number = |t: TypeId| t == TypeId::of::<INT>() || t == TypeId::of::<FLOAT>();
    let text = |t: TypeId| t == TypeId::of::<ImmutableString>();
    let unit = |t: TypeId| t == TypeId::of::<()>();
    let either = |f: &dyn Fn(TypeId) -> bool, g: &dyn Fn(TypeId) -> bool| (f(a) && g(b)) || (g(a) && f(b));
    let series = |t: TypeId| t == TypeId::of::<Series>();
    let character = |t: TypeId| t == TypeId::of::<char>();
    let equality = matches!(op, "==" | "!=");
    // Same kinds compare (Rhai or a registration), but empty cells have no order.
    (a == b && (equality || !unit(a)))
        || (number(a) && number(b))
        || either(&text, &number)
        || either(&text, &character)
        || either(&series, &number)
        || either(&series, &text)
        // `x == ()` tests for an empty cell; an empty cell in order with a number or
        // text is refused in numbers.rs already.
        || (equality && (unit(a) || unit(b)))
        || (unit(a) && (number(b) || text(b)))
        || (unit(b) && (number(a) || text(a)))
}

/// How a value is named in the message: its kind and, for small values, the value.
pub(crate) fn shown(d: &Dynamic) -> String {
    const MAX: usize = 40;
    let cut = |s: String| if s.chars().count() > MAX { format!("{}…", s.chars().take(MAX).collect::<String>()) } else { s };
    if let Ok(i) = d.as_int() {
        format!("the number {i}")
    } else if let Ok(f) = d.as_float() {
        if f.is_nan() { "a missing value".into() } else { format!("the number {}", yearbook_core::format::number(f)) }
    } else if let Ok(b) = d.as_bool() {
        format!("the truth value {b}")
    } else if let Some(t) = d.read_lock::<ImmutableString>() {
        cut(format!("the text \"{}\"", t.as_str()))
    } else if let Ok(c) = d.as_char() {
        format!("the character '{c}'")
    } else if d.is_unit() {
        "an empty cell".into()
    } else if let Some(a) = d.read_lock::<Array>() {
        let items: Vec<String> = a.iter().take(6).map(item).collect();
        let more = if a.len() > 6 { ", …" } else { "" };
        cut(format!("the list [{}{more}]", items.join(", ")))
    } else if d.is_map() {
        "a record (#{…})".into()
    } else if d.is::<Series>() {
        "a series".into()
    } else if d.is::<Table>() {
        "a table".into()
    } else if d.is::<crate::row::Row>() {
        "a row".into()
    } else if d.is::<crate::grouped::Grouped>() {
        "grouped rows".into()
    } else if d.is::<FnPtr>() {
        "a function".into()
    } else {
        format!("a {}", d.type_name().rsplit("::").next().unwrap_or("value"))
    }
}

/// A list's item as written in a script.
fn item(d: &Dynamic) -> String {
    if let Some(t) = d.read_lock::<ImmutableString>() {
        format!("\"{}\"", t.as_str())
    } else if let Ok(f) = d.as_float() {
        yearbook_core::format::number(f)
    } else if d.is_unit() {
        "()".into()
    } else if d.is_array() {
        "[…]".into()
    } else if d.is_map() {
        "#{…}".into()
    } else {
        d.to_string()
    }
}

/// What to write instead, by the kinds on the two sides.
fn hint(a: &Dynamic, b: &Dynamic, op: &str) -> String {
    let any = |f: &dyn Fn(&Dynamic) -> bool| f(a) || f(b);
    if any(&|d| d.is_array()) {
        if matches!(op, "==" | "!=") {
            let asked = if op == "!=" { "!(value in list)" } else { "value in list" };
            format!("to ask whether a value is in a list, write `{asked}`; to compare one item, index it (`list[0] {op} value`)")
        } else {
            format!("compare one item of the list (`list[0] {op} value`), or its size (`list.len() {op} value`)")
        }
    } else if any(&|d| d.is_map() || d.is::<crate::row::Row>()) {
        let record = |d: &Dynamic| d.is_map() || d.is::<crate::row::Row>();
        let other = if record(a) { b } else { a };
        let written = if record(other) || other.is_array() { "value".to_string() } else { item(other) };
        format!("compare one of its fields (`p.year {op} {written}`)")
    } else if any(&|d| d.is_bool()) {
        "true and false are neither numbers nor text: use the condition itself (`if x`, `if !x`), or compare it with true or false".into()
    } else if any(&|d| d.is::<Series>()) {
        "compare a series with a number or with another series".into()
    } else if any(&|d| d.is_unit()) {
        format!("an empty cell is in no order: test for it first (`x != () && x {op} y`)")
    } else {
        "compare numbers with numbers and text with text".into()
    }
}

/// The error of `a op b` for kinds that do not compare.
fn refused(a: &Dynamic, b: &Dynamic, op: &str) -> Box<EvalAltResult> {
    let (sa, sb) = (shown(a), shown(b));
    crate::raise(Fault::type_(format!("cannot compare {sa} with {sb} using `{op}`: {}", hint(a, b, op))))
}

/// Registers the refusals (about a thousand signatures). Called before every other
/// registration, so that a meaning registered later for a pair wins.
pub(crate) fn register(e: &mut Engine) {
    let kinds = kinds();
    for op in OPS {
        for &a in &kinds {
            for &b in &kinds {
                if !compares(a, b, op) {
                    e.register_raw_fn(op, [a, b], move |_, args: &mut [&mut Dynamic]| -> Result<bool, Box<EvalAltResult>> {
                        Err(refused(args[0], args[1], op))
                    });
                }
            }
        }
    }
}
