//! Replacements for standard-package functions that break the sandbox's promises:
//! `sleep` (blocks past every limit), `sort`/`dedup` with a callback (swallow the
//! callback's errors, timeouts included), float printing (NaN and inf in text),
//! `to_int` (a missing value became 0), `max`/`min` (a missing value on the left was
//! dropped) and `is_zero`/`sign` (a missing value gave an answer).
//! Registered as a module in front of the standard package, so these win.

use crate::Raised;
use rhai::{Array, Dynamic, EvalAltResult, FLOAT, FnPtr, FuncRegistration, INT, Module, NativeCallContext};
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
    FuncRegistration::new("dedup").in_global_namespace().with_purity(false).set_into_module(
        &mut m,
        |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> Res<()> {
            let items = std::mem::take(a);
            let mut kept: Array = Vec::with_capacity(items.len());
            for x in items {
                let same = match kept.last() {
                    Some(prev) => truthy(f.call_raw(&ctx, None, [prev.clone(), x.clone()])?),
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
        Ok(x.trunc() as INT)
    });
    // max/min of plain numbers: a missing one gives missing whichever side it is on
    // (Rhai's own `if x >= y { x } else { y }` gave max(missing, 0) = 0 but max(0, missing)
    // = missing).
    for (name, larger) in [("max", true), ("min", false)] {
        let pick = move |x: FLOAT, y: FLOAT| -> FLOAT {
            if x.is_nan() || y.is_nan() {
                FLOAT::NAN
            } else if (x >= y) == larger {
                x
            } else {
                y
            }
        };
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, move |x: FLOAT, y: FLOAT| pick(x, y));
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, move |x: INT, y: FLOAT| pick(x as FLOAT, y));
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, move |x: FLOAT, y: INT| pick(x, y as FLOAT));
    }
    // Tests of a plain number that cannot be answered for a missing one (Rhai's is_zero
    // said false, a plain bool an `if` takes silently).
    for name in ["is_zero", "get$is_zero"] {
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> Res<bool> {
            if x.is_nan() { Err(missing_test("is_zero")) } else { Ok(x == 0.0) }
        });
    }
    FuncRegistration::new("sign").in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> Res<INT> {
        if x.is_nan() { Err(missing_test("sign")) } else { Ok(if x == 0.0 { 0 } else { x.signum() as INT }) }
    });
    for name in ["to_string", "print"] {
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> String { float_text(x) });
    }
    for name in ["to_debug", "debug"] {
        FuncRegistration::new(name).in_global_namespace().set_into_module(&mut m, |x: FLOAT| -> String { float_text(x) });
    }
    m
}

/// A test of a missing number: neither true nor false.
fn missing_test(func: &str) -> Box<EvalAltResult> {
    format!("{func}: the value is missing, so it has no answer; test it with is_missing(x) or give a default with fill(x, 0)").into()
}

fn no_sleep() -> Box<EvalAltResult> {
    "sleep() is not available: scripts may not wait (every evaluation has a time limit)".into()
}

/// A float as scripts print it: Rhai's text, and `—` for missing or infinite values.
pub fn float_text(x: FLOAT) -> String {
    if x.is_finite() { Dynamic::from_float(x).to_string() } else { yearbook_core::format::MISSING.to_string() }
}

fn truthy(v: Dynamic) -> bool {
    v.as_bool().unwrap_or(false)
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
        return Ok(n.partial_cmp(&0.0).unwrap_or(Ordering::Equal));
    }
    Err(yearbook_core::error::Fault::type_(format!("the sort comparator must return a number or a bool, not {}", v.type_name())).raised())
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
    }
}
