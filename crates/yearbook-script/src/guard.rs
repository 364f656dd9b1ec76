//! Replacements for standard-package functions that break the sandbox's promises:
//! `sleep` (blocks past every limit), `sort`/`order`/`dedup` with a callback (swallow the
//! callback's errors, timeouts included), a map's `filter`/`drain`/`retain` (took any
//! result but true as false), float printing (NaN and inf in text),
//! `to_int` (a missing value became 0), `max`/`min` (a missing value on the left was
//! dropped), `is_zero`/`sign` (a missing value gave an answer) and `sort`/`sort_desc`
//! without a callback (whole numbers beside decimals were refused as "unknown function
//! `elements`", a NaN ordered as equal to anything), `in`/`contains`/`index_of`/`dedup` by
//! `==` (read a series' cell-by-cell answer as unequal); `is_missing(())` is added.
//! Registered as a module in front of the standard package, so these win.

use crate::Raised;
use rhai::{Array, Dynamic, EvalAltResult, FLOAT, FnPtr, FuncRegistration, INT, Map, Module, NativeCallContext};
use std::cmp::Ordering;

type Res<T> = Result<T, Box<EvalAltResult>>;

/// The module of replacements (not listed in docs/functions.md: same names, safe behaviour).
pub fn module() -> Module {
    let mut m = Module::new();
    FuncRegistration::new("sleep").in_global_namespace().set_into_module(&mut m, |_: INT| -> Res<()> { Err(no_sleep()) });
    FuncRegistration::new("sleep").in_global_namespace().set_into_module(&mut m, |_: FLOAT| -> Res<()> { Err(no_sleep()) });
    for name in ["sort", "sort_by"] {
        FuncRegistration::new(name).in_global_namespace().with_purity(false).set_into_module(
            &mut m,
            |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<()> {
                let items = std::mem::take(a);
                *a = sort_by(items, &mut |x, y| compare(&ctx, &f, x, y))?;
                Ok(())
            },
        );
    }
    // order(f) / order_by(f): a sorted copy (Rhai's sorted with its own sort, which
    // swallowed the comparator's errors and gave the array as it was).
    for name in ["order", "order_by"] {
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(true)
            .set_into_module(&mut m, |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<Array> {
                sort_by(a.clone(), &mut |x, y| compare(&ctx, &f, x, y))
            });
    }
    for (name, desc) in [("order", false), ("order_desc", true)] {
        FuncRegistration::new(name).in_global_namespace().with_purity(true).set_into_module(&mut m, move |a: &mut Array| -> Res<Array> {
            let mut copy = a.clone();
            sort_plain(&mut copy, name, desc)?;
            Ok(copy)
        });
    }
    register_predicates(&mut m);
    register_map_predicates(&mut m);
    register_searches(&mut m);
    register_callbacks_by_name(&mut m);
    register_replace(&mut m);
    crate::ledger_date_text::register(&mut m);
    // sort() / sort_desc() without a callback: Rhai's refused an array of whole numbers
    // and decimals ([1, 2.5]) with "unknown function `elements`", and ordered a NaN as
    // equal to anything. Numbers sort as numbers; a missing one is an error saying so.
    for (name, desc) in [("sort", false), ("sort_desc", true)] {
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(false)
            .set_into_module(&mut m, move |a: &mut Array| -> Res<()> { sort_plain(a, name, desc) });
    }
    FuncRegistration::new("dedup").in_global_namespace().with_purity(false).set_into_module(
        &mut m,
        |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<()> {
            let items = std::mem::take(a);
            let mut kept: Array = Vec::with_capacity(items.len());
            for x in items {
                let same = match kept.last() {
                    Some(prev) => predicate("dedup", f.call_raw(&ctx, None, [prev.clone(), x.clone()])?)?,
                    None => false,
                };
                if !same {
                    kept.push(x);
                }
            }
            *a = kept;
            Ok(())
        },
    );
    // A missing value has no whole number (Rhai's own to_int makes it 0).
    FuncRegistration::new("to_int").in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> Res<INT> {
        if x.is_nan() {
            return Err(
                "to_int: the value is missing, so it has no whole number; test it with is_missing(x) or give a default with fill".into()
            );
        }
        if !(-9.2e18..=9.2e18).contains(&x) {
            return Err(format!("to_int: {} is too large for a whole number", float_text(x)).into());
        }
        // The decimal value cut (to_int(0.29 * 100) is 29, not 28): format::snap_whole.
        Ok(yearbook_core::format::snap_whole(x).trunc() as INT)
    });
    // max/min of plain numbers: see `numbers::picked` (registered with the operators).
    // Tests of a plain number that cannot be answered for a missing one (Rhai's is_zero
    // said false, a plain bool an `if` takes silently).
    for name in ["is_zero", "get$is_zero"] {
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> Res<bool> {
            if x.is_nan() { Err(missing_test("is_zero")) } else { Ok(x == 0.0) }
        });
    }
    // A missing cell of a table column is `()`: missing too, as a NaN figure is (the
    // advice sort gives for an array with one reads `!is_missing(x)`).
    FuncRegistration::new("is_missing").in_global_namespace().set_into_module(&mut m, |_: ()| true);
    FuncRegistration::new("fill").in_global_namespace().set_into_module(&mut m, |_: (), v: FLOAT| v);
    FuncRegistration::new("fill").in_global_namespace().set_into_module(&mut m, |_: (), v: INT| v as FLOAT);
    FuncRegistration::new("sign").in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> Res<INT> {
        if x.is_nan() { Err(missing_test("sign")) } else { Ok(if x == 0.0 { 0 } else { x.signum() as INT }) }
    });
    for name in ["to_string", "print"] {
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> String { figure_text(x) });
    }
    for name in ["to_debug", "debug"] {
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> String { float_text(x) });
    }
    // A missing cell of a table column (`()`) inside text: — as a missing figure prints
    // (`${r.quantity}` printed nothing, so a sentence read as if the figure were blank text).
    for name in ["to_string", "to_debug"] {
        FuncRegistration::new(name)
            .in_global_namespace()
            .set_into_module(&mut m, |_: ()| -> String { yearbook_core::format::MISSING.to_string() });
    }
    m
}

/// What `sort()` orders an item by: numbers (whole or not) together, text, characters,
/// true/false; a missing value (`()`, NaN) is none of them.
#[derive(Clone, PartialEq, PartialOrd)]
enum Key {
    Int(INT),
    Float(FLOAT),
    Text(String),
    Char(char),
    Bool(bool),
}

impl Key {
    fn of(x: &Dynamic) -> Option<Key> {
        if let Ok(i) = x.as_int() {
            return Some(Key::Int(i));
        }
        if let Ok(f) = x.as_float() {
            return (!f.is_nan()).then_some(Key::Float(f));
        }
        if let Ok(c) = x.as_char() {
            return Some(Key::Char(c));
        }
        if let Ok(b) = x.as_bool() {
            return Some(Key::Bool(b));
        }
        x.read_lock::<rhai::ImmutableString>().map(|s| Key::Text(s.to_string()))
    }
    /// The kind, as a message names it.
    fn kind(&self) -> &'static str {
        match self {
            Key::Int(_) | Key::Float(_) => "a number",
            Key::Text(_) => "text",
            Key::Char(_) => "a character",
            Key::Bool(_) => "true/false",
        }
    }
    fn cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            (Key::Int(a), Key::Float(b)) => (*a as FLOAT).total_cmp(b),
            (Key::Float(a), Key::Int(b)) => a.total_cmp(&(*b as FLOAT)),
            (Key::Float(a), Key::Float(b)) => a.total_cmp(b),
            // Text that spells a figure by value (a ledger's text column: "9" before "60"
            // before "100"), words after figures, blanks last (`yearbook_core::text_order`).
            (Key::Text(a), Key::Text(b)) => yearbook_core::text_order::compare(a, b, false),
            (a, b) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        }
    }
}

/// `v.sort()` / `v.sort_desc()`: numbers by value whether whole or not ([1, 2.5]; each
/// keeps its kind), text, characters or true/false by their order; stable. A missing
/// value, or items of different kinds, are an error naming the item and what to write.
fn sort_plain(a: &mut Array, name: &str, desc: bool) -> Res<()> {
    let mut keys = Vec::with_capacity(a.len());
    for (i, x) in a.iter().enumerate() {
        let Some(k) = Key::of(x) else {
            let what = if x.is_unit() || x.as_float().is_ok() { "a missing value".to_string() } else { x.type_name().to_string() };
            let how = if x.is_unit() || x.as_float().is_ok() {
                "a missing value is neither smaller nor larger than a number: leave it out first \
                 (`v.filter(|x| !is_missing(x))`) or give it a value (`v.map(|x| fill(x, 0))`)"
            } else {
                "give sort a comparison: `v.sort(|a, b| ...)`"
            };
            return Err(format!("{name}: the array holds {what} (item {i}, counting from 0), which cannot be sorted; {how}").into());
        };
        if let Some((j, first)) = keys.first().map(|(_, k): &(usize, Key)| (0usize, k))
            && std::mem::discriminant(first) != std::mem::discriminant(&k)
            && !(matches!(first, Key::Int(_) | Key::Float(_)) && matches!(k, Key::Int(_) | Key::Float(_)))
        {
            return Err(format!(
                "{name}: the array holds {} (item {j}) and {} (item {i}), which have no order between them; \
                 sort items of one kind, or give a comparison: `v.sort(|a, b| ...)`",
                first.kind(),
                k.kind()
            )
            .into());
        }
        keys.push((i, k));
    }
    let order = sort_by(keys, &mut |x: &(usize, Key), y: &(usize, Key)| {
        Ok::<_, ()>(match (&x.1, &y.1) {
            // Descending keeps words after figures and blanks last.
            (Key::Text(a), Key::Text(b)) => yearbook_core::text_order::compare(a, b, desc),
            _ if desc => y.1.cmp(&x.1),
            _ => x.1.cmp(&y.1),
        })
    })
    .unwrap_or_default();
    let items = std::mem::take(a);
    let mut slots: Vec<Option<Dynamic>> = items.into_iter().map(Some).collect();
    *a = order.into_iter().filter_map(|(i, _)| slots.get_mut(i).and_then(Option::take)).collect();
    Ok(())
}

/// A test of a missing number: neither true nor false.
fn missing_test(func: &str) -> Box<EvalAltResult> {
    format!("{func}: the value is missing, so it has no answer; test it with is_missing(x) or give a default with fill(x, 0)").into()
}

fn no_sleep() -> Box<EvalAltResult> {
    "sleep() is not available: scripts may not wait (every evaluation has a time limit)".into()
}

/// A float as scripts show it inside a value (`debug`, an array's items): Rhai's text
/// (2.0, 0.25) read to 15 significant digits, so binary noise never shows
/// (0.1 + 0.2 is 0.3, not 0.30000000000000004), and `—` for missing or infinite values.
pub fn float_text(x: FLOAT) -> String {
    if x.is_finite() {
        Dynamic::from_float(yearbook_core::kernel::arith::significant(x, 15)).to_string()
    } else {
        yearbook_core::format::MISSING.to_string()
    }
}

/// A float put into text (`${x}`, `"合计" + x`, `to_string(x)`, `print(x)`): as figures
/// print elsewhere, read to 15 significant digits (1.005 * 1000 is 1005, not
/// 1004.9999999999999; 0.1 + 0.2 is 0.3), a whole number without `.0`, never in
/// scientific notation; `—` for missing or infinite values.
pub fn figure_text(x: FLOAT) -> String {
    yearbook_core::format::figure(x).unwrap_or_else(|| yearbook_core::format::MISSING.to_string())
}

/// Calls a comparator: a number (sign) or a bool (`true`: x first).
fn compare(ctx: &NativeCallContext, f: &FnPtr, x: &Dynamic, y: &Dynamic) -> Res<Ordering> {
    let v = f.call_raw(ctx, None, [x.clone(), y.clone()])?;
    if let Ok(n) = v.as_int() {
        return Ok(n.cmp(&0));
    }
    if let Ok(b) = v.as_bool() {
        return Ok(if b { Ordering::Less } else { Ordering::Greater });
    }
    if let Ok(n) = v.as_float() {
        // A missing result (1/0, a NaN) says nothing about the order (it left the array
        // unsorted with only a note); a decimal's sign is the order (`|a, b| a - b` of
        // decimals: -0.5 puts a first).
        if n.is_nan() {
            return Err(yearbook_core::error::Fault::type_(
                "the sort comparator returned a missing value (a division by zero or a missing figure?); \
                 it must return a number whose sign is the order (or true when the first comes first): test for missing \
                 values first"
                    .to_string(),
            )
            .raised());
        }
        return Ok(n.partial_cmp(&0.0).unwrap_or(Ordering::Equal));
    }
    Err(yearbook_core::error::Fault::type_(format!("the sort comparator must return a number or a bool, not {}", v.type_name())).raised())
}

/// What a closure of an array's `filter`, `all`, `some`, `retain`... returned, as true
/// or false; anything else is an error naming it (Rhai's own took it as false, so
/// `[1, 2, 3].filter(|x| x)` gave [] and `.all(|x| 5)` gave false without a word).
fn predicate(name: &str, v: Dynamic) -> Res<bool> {
    if let Ok(b) = v.as_bool() {
        return Ok(b);
    }
    let shown = if v.is_unit() {
        "() (nothing)".to_string()
    } else if let Ok(f) = v.as_float() {
        if f.is_nan() { "a missing value".to_string() } else { format!("{} (a number)", float_text(f)) }
    } else if v.is_int() {
        format!("{v} (a number)")
    } else if v.is_string() {
        format!("\"{v}\" (text)")
    } else {
        v.type_name().to_string()
    };
    Err(yearbook_core::error::Fault::type_(format!(
        "{name}'s closure must return true or false, not {shown}: write a test such as `|x| x > 1`"
    ))
    .raised())
}

/// Whether `item` and `value` are equal as a list's search reads `==` (Rhai's `in`,
/// `contains`, `index_of`, `dedup`): items of types without a `==` between them are
/// unequal; a `==` that gives no true or false (of a series: one answer per cell) is an
/// error, where Rhai read it as unequal (`gdp in [gdp]` was false).
fn items_equal(ctx: &NativeCallContext, name: &str, item: &mut Dynamic, value: &Dynamic) -> Res<bool> {
    let same_type = item.type_id() == value.type_id();
    let v = ctx.call_native_fn_raw("==", true, &mut [item, &mut value.clone()]).or_else(|e| match *e {
        EvalAltResult::ErrorFunctionNotFound(ref sig, ..) if sig.starts_with("==") && !same_type => Ok(Dynamic::FALSE),
        _ => Err(e),
    })?;
    v.as_bool().map_err(|_| {
        yearbook_core::error::Fault::type_(format!(
            "`{name}` compares items with `==`, which of {} and {} gives {}, not true or false (a series compares cell by \
             cell): look for a code, a name or a number in the list instead, or compare the series in a formula (`gdp == x`)",
            crate::mismatch::shown(item),
            crate::mismatch::shown(value),
            crate::mismatch::shown(&v)
        ))
        .raised()
    })
}

/// Rhai's searches of a list by `==` (`in`, `contains`, `index_of`, `dedup` without a
/// callback), with `==`'s result checked ([`items_equal`]).
fn register_searches(m: &mut Module) {
    FuncRegistration::new("contains").in_global_namespace().with_purity(true).set_into_module(
        m,
        |ctx: NativeCallContext, a: &mut Array, value: Dynamic| -> Res<bool> {
            for item in a.iter_mut() {
                if items_equal(&ctx, "in", item, &value)? {
                    return Ok(true);
                }
            }
            Ok(false)
        },
    );
    fn index_of(ctx: &NativeCallContext, a: &mut Array, value: &Dynamic, start: INT) -> Res<INT> {
        position(a, start, |item, _| items_equal(ctx, "index_of", item, value))
    }
    FuncRegistration::new("index_of")
        .in_global_namespace()
        .with_purity(true)
        .set_into_module(m, |ctx: NativeCallContext, a: &mut Array, v: Dynamic| -> Res<INT> { index_of(&ctx, a, &v, 0) });
    FuncRegistration::new("index_of")
        .in_global_namespace()
        .with_purity(true)
        .set_into_module(m, |ctx: NativeCallContext, a: &mut Array, v: Dynamic, start: INT| -> Res<INT> { index_of(&ctx, a, &v, start) });
    FuncRegistration::new("dedup").in_global_namespace().with_purity(false).set_into_module(
        m,
        |ctx: NativeCallContext, a: &mut Array| -> Res<()> {
            let items = std::mem::take(a);
            let mut kept: Array = Vec::with_capacity(items.len());
            for mut x in items {
                let same = match kept.last() {
                    Some(prev) => items_equal(&ctx, "dedup", &mut x, &prev.clone())?,
                    None => false,
                };
                if !same {
                    kept.push(x);
                }
            }
            *a = kept;
            Ok(())
        },
    );
}

/// `replace` of text with its result's size checked before it is built: `s.replace("y",
/// s)` of a 20,000-character `s` built 400 million characters (820 MB) before the string
/// limit was looked at, and of a 1,000,000-character one asked for a terabyte and aborted.
fn register_replace(m: &mut Module) {
    fn replace(ctx: &NativeCallContext, s: &mut rhai::ImmutableString, find: &str, sub: &str) -> Res<()> {
        let max = ctx.engine().max_string_size();
        let (len, find_len, sub_len) = (s.chars().count() as u64, find.chars().count() as u64, sub.chars().count() as u64);
        if max > 0 && sub_len > find_len {
            // An empty pattern matches before every character and at the end.
            let count = if find.is_empty() { len + 1 } else { s.matches(find).count() as u64 };
            let size = len.saturating_add(count.saturating_mul(sub_len - find_len));
            if size > max as u64 {
                return Err(yearbook_core::error::Fault::new(
                    yearbook_core::error::ErrorKind::SizeLimit,
                    format!("replace: the text would be {size} characters long, more than limits.max_string_size = {max}"),
                )
                .raised());
            }
        }
        *s = s.replace(find, sub).into();
        Ok(())
    }
    FuncRegistration::new("replace")
        .in_global_namespace()
        .with_purity(false)
        .set_into_module(m, |ctx: NativeCallContext, s: &mut rhai::ImmutableString, find: &str, sub: &str| -> Res<()> {
            replace(&ctx, s, find, sub)
        });
    FuncRegistration::new("replace").in_global_namespace().with_purity(false).set_into_module(
        m,
        |ctx: NativeCallContext, s: &mut rhai::ImmutableString, find: &str, sub: char| -> Res<()> {
            replace(&ctx, s, find, &sub.to_string())
        },
    );
    FuncRegistration::new("replace").in_global_namespace().with_purity(false).set_into_module(
        m,
        |ctx: NativeCallContext, s: &mut rhai::ImmutableString, find: char, sub: &str| -> Res<()> {
            replace(&ctx, s, &find.to_string(), sub)
        },
    );
}

/// Rhai's deprecated forms that take a callback by its name as text (`a.sort("c")`,
/// `a.filter("f")`): they went around the guarded callbacks above, so a comparator that
/// threw, looped or did not exist left the array as it was, and a predicate giving 1 read
/// as false. A text is no callback here: each is refused, saying to write `Fn("c")` or a
/// closure (with the fix for `sort("desc")` and a column name). `index_of` of a text
/// searches for that text, as `contains` does (it called a function of that name where
/// the script had one).
fn register_callbacks_by_name(m: &mut Module) {
    fn refuse(name: &str, text: &str, params: &str) -> Box<EvalAltResult> {
        let hint = match (name, text) {
            ("sort", "desc" | "降序") => " (for a descending order: a.sort_desc(), or a.order_desc() for a sorted copy)".to_string(),
            ("sort", "asc" | "升序") => " (for an ascending order: a.sort())".to_string(),
            ("sort", _) => format!(
                " (to order rows by a column, sort the table: sort(t, \"{text}\"); a list of maps: a.sort(|a, b| a.{text} - b.{text}))"
            ),
            _ => String::new(),
        };
        yearbook_core::error::Fault::type_(format!(
            "{name}(\"{text}\"): a callback is a function, not text: write {name}(Fn(\"{text}\")) for a function of that name, or a \
             closure {name}(|{params}| ...){hint}"
        ))
        .raised()
    }
    for (name, params) in
        [("map", "x"), ("filter", "x"), ("some", "x"), ("all", "x"), ("dedup", "a, b"), ("sort", "a, b"), ("drain", "x"), ("retain", "x")]
    {
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(false)
            .set_into_module(m, move |_: &mut Array, f: rhai::ImmutableString| -> Res<Dynamic> { Err(refuse(name, &f, params)) });
    }
    for name in ["reduce", "reduce_rev"] {
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(true)
            .set_into_module(m, move |_: &mut Array, f: rhai::ImmutableString| -> Res<Dynamic> { Err(refuse(name, &f, "sum, x")) });
        FuncRegistration::new(name)
            .in_global_namespace()
            .with_purity(true)
            .set_into_module(m, move |_: &mut Array, f: rhai::ImmutableString, _: Dynamic| -> Res<Dynamic> {
                Err(refuse(name, &f, "sum, x"))
            });
    }
    FuncRegistration::new("index_of").in_global_namespace().with_purity(true).set_into_module(
        m,
        |ctx: NativeCallContext, a: &mut Array, v: rhai::ImmutableString| -> Res<INT> {
            let v = Dynamic::from(v);
            position(a, 0, |item, _| items_equal(&ctx, "index_of", item, &v))
        },
    );
    FuncRegistration::new("index_of").in_global_namespace().with_purity(true).set_into_module(
        m,
        |ctx: NativeCallContext, a: &mut Array, v: rhai::ImmutableString, start: INT| -> Res<INT> {
            let v = Dynamic::from(v);
            position(a, start, |item, _| items_equal(&ctx, "index_of", item, &v))
        },
    );
}

/// The index of the first item from `start` (from the end where negative, as Rhai
/// counts) that `hit` takes, or -1.
fn position(a: &mut Array, start: INT, mut hit: impl FnMut(&mut Dynamic, usize) -> Res<bool>) -> Res<INT> {
    let len = a.len() as INT;
    let start = if start < 0 { (len + start).max(0) } else { start.min(len) } as usize;
    for (i, item) in a.iter_mut().enumerate().skip(start) {
        if hit(item, i)? {
            return Ok(i as INT);
        }
    }
    Ok(-1)
}

/// Calls a predicate closure on `item` (bound as `this`, or as the argument, with the
/// index as a second argument where the closure takes two), as Rhai's array functions do.
fn call_predicate(ctx: &NativeCallContext, f: &FnPtr, name: &str, item: &mut Dynamic, i: usize) -> Res<bool> {
    let ex = [Dynamic::from_int(INT::try_from(i).unwrap_or(INT::MAX))];
    predicate(name, f.call_raw_with_extra_args(name, ctx, Some(item), [], ex, Some(0))?)
}

/// Rhai's array functions that take a predicate closure, with its result checked.
fn register_predicates(m: &mut Module) {
    FuncRegistration::new("filter").in_global_namespace().with_purity(true).set_into_module(
        m,
        |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<Array> {
            let mut kept = Array::new();
            for (i, item) in a.iter_mut().enumerate() {
                if call_predicate(&ctx, &f, "filter", item, i)? {
                    kept.push(item.clone());
                }
            }
            Ok(kept)
        },
    );
    for (name, want) in [("some", true), ("all", false)] {
        FuncRegistration::new(name).in_global_namespace().with_purity(true).set_into_module(
            m,
            move |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<bool> {
                for (i, item) in a.iter_mut().enumerate() {
                    if call_predicate(&ctx, &f, name, item, i)? == want {
                        return Ok(want);
                    }
                }
                Ok(!want)
            },
        );
    }
    fn index_of(ctx: &NativeCallContext, a: &mut Array, f: &FnPtr, start: INT) -> Res<INT> {
        position(a, start, |item, i| call_predicate(ctx, f, "index_of", item, i))
    }
    FuncRegistration::new("index_of")
        .in_global_namespace()
        .with_purity(true)
        .set_into_module(m, |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<INT> { index_of(&ctx, a, &f, 0) });
    FuncRegistration::new("index_of")
        .in_global_namespace()
        .with_purity(true)
        .set_into_module(m, |ctx: NativeCallContext, a: &mut Array, f: FnPtr, start: INT| -> Res<INT> { index_of(&ctx, a, &f, start) });
    fn find(ctx: &NativeCallContext, a: &mut Array, f: &FnPtr, start: INT) -> Res<Dynamic> {
        let len = a.len() as INT;
        let start = if start < 0 { (len + start).max(0) } else { start.min(len) } as usize;
        for (i, item) in a.iter_mut().enumerate().skip(start) {
            if call_predicate(ctx, f, "find", item, i)? {
                return Ok(item.clone());
            }
        }
        Ok(Dynamic::UNIT)
    }
    FuncRegistration::new("find")
        .in_global_namespace()
        .with_purity(true)
        .set_into_module(m, |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<Dynamic> { find(&ctx, a, &f, 0) });
    FuncRegistration::new("find")
        .in_global_namespace()
        .with_purity(true)
        .set_into_module(m, |ctx: NativeCallContext, a: &mut Array, f: FnPtr, start: INT| -> Res<Dynamic> { find(&ctx, a, &f, start) });
    // drain takes out the items the closure keeps; retain keeps them (and returns the rest).
    for (name, take) in [("drain", true), ("retain", false)] {
        FuncRegistration::new(name).in_global_namespace().with_purity(false).set_into_module(
            m,
            move |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<Array> {
                let items = std::mem::take(a);
                let mut out = Array::new();
                let mut left = Array::with_capacity(items.len());
                let mut failed = None;
                for (i, mut item) in items.into_iter().enumerate() {
                    if failed.is_some() {
                        left.push(item);
                        continue;
                    }
                    match call_predicate(&ctx, &f, name, &mut item, i) {
                        Ok(yes) if yes == take => out.push(item),
                        Ok(_) => left.push(item),
                        Err(e) => {
                            failed = Some(e);
                            left.push(item);
                        }
                    }
                }
                if let Some(e) = failed {
                    // The array as it was: nothing taken out half way.
                    left.extend(out);
                    *a = left;
                    return Err(e);
                }
                *a = left;
                Ok(out)
            },
        );
    }
}

/// Calls a map's predicate closure on (key, value): the value bound as `this`, the key as
/// the first argument and the value as a second where the closure takes two (as Rhai's
/// map functions do).
fn call_map_predicate(ctx: &NativeCallContext, f: &FnPtr, name: &str, key: &str, value: &mut Dynamic) -> Res<bool> {
    predicate(name, f.call_raw_with_extra_args(name, ctx, Some(value), [key.into()], [], Some(1))?)
}

/// A map's `filter`, `drain` and `retain`, with the closure's result checked (Rhai's own
/// took anything but true as false: `m.filter(|k, v| v)` gave `#{}` without a word).
fn register_map_predicates(m: &mut Module) {
    FuncRegistration::new("filter").in_global_namespace().with_purity(true).set_into_module(
        m,
        |ctx: NativeCallContext, map: &mut Map, f: FnPtr| -> Res<Map> {
            let mut kept = Map::new();
            for (key, value) in map.iter_mut() {
                if call_map_predicate(&ctx, &f, "filter", key, value)? {
                    kept.insert(key.clone(), value.clone());
                }
            }
            Ok(kept)
        },
    );
    // drain takes out the entries the closure keeps; retain keeps them (and returns the rest).
    for (name, take) in [("drain", true), ("retain", false)] {
        FuncRegistration::new(name).in_global_namespace().with_purity(false).set_into_module(
            m,
            move |ctx: NativeCallContext, map: &mut Map, f: FnPtr| -> Res<Map> {
                // Every answer first: on an error the map stays as it was.
                let mut answers = Vec::with_capacity(map.len());
                for (key, value) in map.iter_mut() {
                    answers.push(call_map_predicate(&ctx, &f, name, key, value)?);
                }
                let mut out = Map::new();
                for ((key, value), yes) in std::mem::take(map).into_iter().zip(answers) {
                    if yes == take {
                        out.insert(key, value);
                    } else {
                        map.insert(key, value);
                    }
                }
                Ok(out)
            },
        );
    }
}

/// A stable merge sort whose comparator may fail: the first error stops it and is returned.
pub fn sort_by<T: Clone, E>(mut v: Vec<T>, cmp: &mut dyn FnMut(&T, &T) -> Result<Ordering, E>) -> Result<Vec<T>, E> {
    let n = v.len();
    let mut buf: Vec<T> = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        buf.clear();
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            while i < mid && j < hi {
                if cmp(&v[j], &v[i])? == Ordering::Less {
                    buf.push(v[j].clone());
                    j += 1;
                } else {
                    buf.push(v[i].clone());
                    i += 1;
                }
            }
            buf.extend_from_slice(&v[i..mid]);
            buf.extend_from_slice(&v[j..hi]);
            lo = hi;
        }
        std::mem::swap(&mut v, &mut buf);
        width *= 2;
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sort_is_stable_and_stops_at_the_first_error() {
        let v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        let s = sort_by(v, &mut |x, y| Ok::<_, ()>(x.0.cmp(&y.0))).unwrap();
        assert_eq!(s, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut calls = 0;
        let r = sort_by((0..100).rev().collect(), &mut |_: &i32, _: &i32| {
            calls += 1;
            Err::<Ordering, _>("boom")
        });
        assert_eq!((r, calls), (Err("boom"), 1));
    }

    #[test]
    fn floats_print_without_nan_or_inf() {
        assert_eq!(float_text(f64::NAN), "—");
        assert_eq!(float_text(f64::INFINITY), "—");
        assert_eq!(float_text(7.75), "7.75");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(2.0), "2.0");
        assert_eq!(figure_text(1.005 * 1000.0), "1005");
        assert_eq!(figure_text(0.1 + 0.2), "0.3");
        assert_eq!(figure_text(1e20), "100000000000000000000");
        assert_eq!(figure_text(-2.5), "-2.5");
        assert_eq!(figure_text(f64::NAN), "—");
    }
}
