//! Units carried on the numbers a record table gives (`t.sum("投资（亿元）")`), as the
//! tag of their `Dynamic`.
//!
//! A table's sums are plain numbers to a script, but where its file says the unit (the
//! header's brackets, a 单位：亿元 row) the number keeps it as its tag, so the functions
//! that take a table's number beside a series read it in its own unit: `share(t.sum(c),
//! inv)` converts 0.5亿元 into inv's 万元 (it read 0.5万元: a share 10^4 too small), and
//! `amount(t.sum(c), "万元")` of a column in 亿元 is refused. The operators between
//! numbers read it too (`numbers::with_units`): a sum or a multiple keeps it, two of one
//! dimension are read in one unit, and a product or a quotient is a plain number.

use rhai::Dynamic;
use std::sync::Mutex;
use yearbook_core::unit::Unit;

/// The units tags stand for: tag `k` (from 1) is `UNITS[k - 1]`. A handful per run.
static UNITS: Mutex<Vec<Unit>> = Mutex::new(Vec::new());

/// The tag of `unit` (interned on first use; 0 where the registry cannot be read).
pub(crate) fn tag_of(unit: &Unit) -> i32 {
    let Ok(mut units) = UNITS.lock() else { return 0 };
    match units.iter().position(|u| u.symbol == unit.symbol && u.scale == unit.scale) {
        Some(k) => k as i32 + 1,
        None if units.len() < 10_000 => {
            units.push(unit.clone());
            units.len() as i32
        }
        None => 0,
    }
}

/// `x` as a script number, carrying `unit` where there is one.
pub fn tagged(x: f64, unit: Option<&Unit>) -> Dynamic {
    let mut d = Dynamic::from_float(x);
    if let Some(u) = unit {
        d.set_tag(tag_of(u));
    }
    d
}

/// The unit a number taken out of `s` carries (`at()`, `value()`): its unit, none for a
/// pure number, a comparison, or a series with a power of ten written by hand into it
/// (`gdp / 10000` in 万元 is 亿元 as meant, not as its unit says).
pub fn of_series(s: &yearbook_core::series::Series) -> Option<Unit> {
    if yearbook_core::kernel::arith::written_by_hand(s).is_some() {
        return None;
    }
    Some(&s.unit).filter(|u| **u != Unit::one() && !s.mask).cloned()
}

/// The scale of a percent (%, ‰) that a product, a quotient or a power takes as its
/// fraction (0.01 for %); None for any other unit, an index (上年=100) included: an
/// index is a number as printed, as the spreadsheet holds it.
pub fn fraction_scale(u: &Unit) -> Option<f64> {
    (u.is_dimensionless() && u.scale != 1.0 && !u.is_index()).then_some(u.scale)
}

/// The unit a number carries ([`tagged`]), None for a number without one.
pub fn unit_of(d: &Dynamic) -> Option<Unit> {
    let k = d.tag();
    if k <= 0 {
        return None;
    }
    UNITS.lock().ok()?.get(k as usize - 1).cloned()
}

/// A number argument (a float or an integer) with the unit it carries.
pub fn number(d: &Dynamic, what: &str) -> Result<(f64, Option<Unit>), yearbook_core::error::Fault> {
    let x = match (d.as_float(), d.as_int()) {
        (Ok(x), _) => x,
        (_, Ok(i)) => i as f64,
        _ => return Err(yearbook_core::error::Fault::type_(format!("{what} needs a number, not {}", d.type_name()))),
    };
    Ok((x, unit_of(d)))
}
