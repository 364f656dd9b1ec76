//! Shifts along the period axis: lag, growth (yoy, period-on-period), difference,
//! compound annual growth and year-to-date cumulation. Whole period rows move at once.

use super::{KResult, count_div_zero};
use crate::series::Series;
use crate::unit::Unit;

fn need_periods(s: &Series, what: &str) -> KResult<()> {
    if s.by_period { Ok(()) } else { Err(format!("{what} needs a series over periods; this one was aggregated across periods")) }
}

/// Value k periods earlier (k < 0: later); missing where that falls off the axis.
pub fn lag(s: &Series, k: i64) -> KResult<Series> {
    need_periods(s, "lag")?;
    let (rows, cols) = (s.rows(), s.cols());
    let mut out = vec![f64::NAN; rows * cols];
    for p in 0..cols as i64 {
        let q = p - k;
        if q >= 0 && q < cols as i64 {
            let (dst, src) = (p as usize * rows, q as usize * rows);
            out[dst..dst + rows].copy_from_slice(&s.data[src..src + rows]);
        }
    }
    Ok(s.with(out, s.unit.clone(), Series::no_rollup("a lagged series does not roll up: roll up first, then lag")))
}

/// s / s[k periods earlier] - 1, as a pure number. Zero bases give missing (counted).
pub fn growth(s: &Series, k: i64) -> KResult<Series> {
    combine_lagged(s, k, Unit::one(), "growth", |x, b| if b == 0.0 { f64::NAN } else { x / b - 1.0 })
}

/// s - s[k periods earlier], in the series' unit.
pub fn diff(s: &Series, k: i64) -> KResult<Series> {
    combine_lagged(s, k, s.unit.clone(), "diff", |x, b| x - b)
}

/// Compound annual growth over `years` years: (s / s[years earlier])^(1/years) - 1.
pub fn cagr(s: &Series, years: i64) -> KResult<Series> {
    if years <= 0 {
        return Err(format!("cagr needs a positive number of years, not {years}"));
    }
    let k = years * s.axes.periods.freq.per_year() as i64;
    let inv = 1.0 / years as f64;
    combine_lagged(s, k, Unit::one(), "cagr", move |x, b| {
        let r = x / b;
        if b == 0.0 || r < 0.0 { f64::NAN } else { r.powf(inv) - 1.0 }
    })
}

fn combine_lagged(s: &Series, k: i64, unit: Unit, what: &str, f: impl Fn(f64, f64) -> f64 + Sync + Send) -> KResult<Series> {
    need_periods(s, what)?;
    let (rows, cols) = (s.rows(), s.cols());
    let mut out = vec![f64::NAN; rows * cols];
    let data = &s.data;
    let zeros = std::sync::atomic::AtomicU64::new(0);
    super::par_periods(&mut out, rows, |p, dst| {
        let q = p as i64 - k;
        if q < 0 || q >= cols as i64 {
            return;
        }
        let cur = &data[p * rows..(p + 1) * rows];
        let base = &data[q as usize * rows..(q as usize + 1) * rows];
        let mut z = 0u64;
        for ((o, x), b) in dst.iter_mut().zip(cur).zip(base) {
            z += (*b == 0.0) as u64;
            *o = f(*x, *b);
        }
        zeros.fetch_add(z, std::sync::atomic::Ordering::Relaxed);
    });
    if what != "diff" {
        // Zero bases: the divisions by zero that turned into missing.
        count_div_zero(zeros.into_inner());
    }
    Ok(s.with(out, unit, Series::no_rollup(format!("a {what} does not roll up: roll up the level first, then take its {what}"))))
}

/// Year-to-date cumulation (1-N月累计): running sum within each calendar year, missing
/// from the first missing period of that year on.
pub fn ytd(s: &Series) -> KResult<Series> {
    need_periods(s, "ytd")?;
    let (rows, cols) = (s.rows(), s.cols());
    let mut out = s.data.as_ref().clone();
    for p in 0..cols {
        let period = s.axes.periods.get(p);
        if p == 0 || period.sub() == 1 {
            continue;
        }
        let (prev, cur) = out.split_at_mut(p * rows);
        let prev = &prev[(p - 1) * rows..];
        for (c, b) in cur[..rows].iter_mut().zip(prev) {
            *c += *b;
        }
    }
    Ok(s.with(out, s.unit.clone(), s.agg.clone()))
}

/// Periods in one year of this series' frequency.
pub fn per_year(s: &Series) -> i64 {
    s.axes.periods.freq.per_year() as i64
}
