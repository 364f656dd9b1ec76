//! Native kernels over whole series: elementwise arithmetic with broadcasting, time
//! shifts, aggregates across regions or periods, ranking and roll-up. Missing (NaN)
//! propagates; division by zero gives missing and is counted in the evaluation's [`Tally`](crate::tally::Tally).

pub mod aggregate;
pub mod arith;
pub mod calendar;
pub mod gaps;
pub mod itself;
pub mod rank;
pub mod rollup;
pub mod time;
pub mod unlike;

pub use crate::tally::{count_div_zero, note};

/// What kernels return: a typed [`Fault`](crate::error::Fault) says what kind of problem stopped them.
pub type KResult<T> = Result<T, crate::error::Fault>;

use rayon::prelude::*;

/// Below this many cells a kernel stays on one thread (splitting costs more).
pub(crate) const PAR_MIN: usize = 1 << 17;
const CHUNK: usize = 1 << 15;

/// `out[i] = f(out[i], b[i])`, on all cores for large series.
pub fn par_zip(out: &mut [f64], b: &[f64], f: impl Fn(f64, f64) -> f64 + Sync + Send) {
    if out.len() < PAR_MIN {
        out.iter_mut().zip(b).for_each(|(x, y)| *x = f(*x, *y));
    } else {
        out.par_chunks_mut(CHUNK).zip(b.par_chunks(CHUNK)).for_each(|(o, bb)| o.iter_mut().zip(bb).for_each(|(x, y)| *x = f(*x, *y)));
    }
}

/// A new buffer `f(a[i], b[i])`, on all cores for large series.
pub fn par_zip_new(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64 + Sync + Send) -> Vec<f64> {
    let mut out = Vec::with_capacity(a.len());
    if a.len() < PAR_MIN {
        out.extend(a.iter().zip(b).map(|(x, y)| f(*x, *y)));
    } else {
        a.par_iter().zip(b.par_iter()).map(|(x, y)| f(*x, *y)).collect_into_vec(&mut out);
    }
    out
}

/// A new buffer `f(a[i])`, on all cores for large series.
pub fn par_map_new(a: &[f64], f: impl Fn(f64) -> f64 + Sync + Send) -> Vec<f64> {
    let mut out = Vec::with_capacity(a.len());
    if a.len() < PAR_MIN {
        out.extend(a.iter().map(|x| f(*x)));
    } else {
        a.par_iter().map(|x| f(*x)).collect_into_vec(&mut out);
    }
    out
}

/// `out[i] = f(out[i])`, on all cores for large series.
pub fn par_map(out: &mut [f64], f: impl Fn(f64) -> f64 + Sync + Send) {
    if out.len() < PAR_MIN {
        out.iter_mut().for_each(|x| *x = f(*x));
    } else {
        out.par_chunks_mut(CHUNK).for_each(|o| o.iter_mut().for_each(|x| *x = f(*x)));
    }
}

/// Runs `f(period, row slice)` for every period row of `out`, on all cores when large.
pub fn par_periods(out: &mut [f64], rows: usize, f: impl Fn(usize, &mut [f64]) + Sync + Send) {
    par_periods_reading(out, rows, out.len(), f)
}

/// [`par_periods_reading`] with a second output of the same shape: `f(period, values,
/// signatures)` (a roll-up's totals and which regions each adds, `Series::counts`).
pub fn par_periods_signed(
    out: &mut [f64],
    sig: &mut [u64],
    rows: usize,
    cells_read: usize,
    f: impl Fn(usize, &mut [f64], &mut [u64]) + Sync + Send,
) {
    if rows == 0 {
        return;
    }
    if cells_read.max(out.len()) < PAR_MIN {
        out.chunks_mut(rows).zip(sig.chunks_mut(rows)).enumerate().for_each(|(p, (c, s))| f(p, c, s));
    } else {
        out.par_chunks_mut(rows).zip(sig.par_chunks_mut(rows)).enumerate().for_each(|(p, (c, s))| f(p, c, s));
    }
}

/// [`par_periods`] where each period reads more than it writes (a roll-up writes its
/// level's rows and reads every region's): on all cores when `cells_read` is large.
pub fn par_periods_reading(out: &mut [f64], rows: usize, cells_read: usize, f: impl Fn(usize, &mut [f64]) + Sync + Send) {
    if rows == 0 {
        return;
    }
    if cells_read.max(out.len()) < PAR_MIN {
        out.chunks_mut(rows).enumerate().for_each(|(p, c)| f(p, c));
    } else {
        out.par_chunks_mut(rows).enumerate().for_each(|(p, c)| f(p, c));
    }
}
