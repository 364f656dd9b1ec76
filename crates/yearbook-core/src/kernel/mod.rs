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

/// The cells of one period of a buffer being made by [`par_periods_new`], written in
/// order; those left unwritten are missing.
pub struct Fill<'a> {
    cells: &'a mut [std::mem::MaybeUninit<f64>],
    written: usize,
}

impl Fill<'_> {
    /// Writes `f(a[i], b[i])` into the next cells, as many as `a`, `b` and the cells left
    /// allow.
    #[inline]
    pub fn zip_with(&mut self, a: &[f64], b: &[f64], mut f: impl FnMut(f64, f64) -> f64) {
        let rest = &mut self.cells[self.written..];
        let n = rest.len().min(a.len()).min(b.len());
        for ((o, x), y) in rest[..n].iter_mut().zip(&a[..n]).zip(&b[..n]) {
            o.write(f(*x, *y));
        }
        self.written += n;
    }

    /// Writes `v` into every cell left.
    pub fn rest(&mut self, v: f64) {
        for o in &mut self.cells[self.written..] {
            o.write(v);
        }
        self.written = self.cells.len();
    }
}

/// A new period-major buffer of `cols` periods of `rows` cells, each period's made by
/// `f(period, cells)` ([`Fill`]; cells it leaves unwritten are missing), on all cores when
/// large. No pass clears the buffer before `f` writes it, as `vec![0.0; n]` does when the
/// allocator reuses a freed block (every kernel's output is one: 6.9 MB at 40,000 towns).
pub fn par_periods_new(rows: usize, cols: usize, f: impl Fn(usize, &mut Fill<'_>) + Sync + Send) -> Vec<f64> {
    let n = rows.saturating_mul(cols);
    if n == 0 {
        return Vec::new();
    }
    let mut out: Vec<f64> = Vec::with_capacity(n);
    let run = |(p, cells): (usize, &mut [std::mem::MaybeUninit<f64>])| {
        let mut fill = Fill { cells, written: 0 };
        f(p, &mut fill);
        fill.rest(f64::NAN);
    };
    let spare = &mut out.spare_capacity_mut()[..n];
    if n < PAR_MIN {
        spare.chunks_mut(rows).enumerate().for_each(run);
    } else {
        spare.par_chunks_mut(rows).enumerate().for_each(run);
    }
    // SAFETY: the first `n` cells of the capacity are written: `spare` is split into
    // periods of `rows` cells, and each period's are all written, by `f` through its
    // `Fill` up to `written` and by `rest` after it. (A panic in `f` leaves the length 0.)
    unsafe { out.set_len(n) };
    out
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
