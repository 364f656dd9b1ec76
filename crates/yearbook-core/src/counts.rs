//! Which regions each total counts: for a roll-up (`rollup(qty, "county")`) or a total
//! across regions (`sum(children(qty, "c"))`), a signature per cell, the sum of a hash of
//! each region it adds. Two totals with different signatures add different regions, so
//! their quotient or difference compares unlike totals
//! ([`crate::kernel::unlike::compare`] leaves it missing, with a note).
//!
//! Held only on the rows a roll-up keeps (a county roll-up of 160,000 towns signs its
//! 11,428 counties' cells, not every town's), period-major as [`crate::cells::Kept`].

use std::sync::Arc;

/// The signatures of a series' totals (see the module's documentation).
#[derive(Clone, Debug)]
pub struct Counts {
    /// The rows signed (region indices, ascending); None: every row.
    pub on: Option<Arc<[u32]>>,
    /// Rows of the whole matrix (the number of regions; 1 for a total across regions).
    pub rows: usize,
    /// Periods (1 for a series that is not over periods).
    pub cols: usize,
    /// Period-major over the signed rows: a wrapping sum of the area signature of each
    /// region counted ([`crate::panel::Axes::areas`]: a town by its own figure and by all
    /// its villages add one area); 0 where the cell counts nothing (no value).
    pub sig: Vec<u64>,
}

impl Counts {
    /// Signatures of every row of a `rows` x `cols` matrix.
    pub fn every_row(rows: usize, cols: usize, sig: Vec<u64>) -> Counts {
        Counts { on: None, rows, cols, sig }
    }

    /// Signatures of `on`'s rows only, period-major over them.
    pub fn on_rows(on: Arc<[u32]>, rows: usize, cols: usize, sig: Vec<u64>) -> Counts {
        Counts { on: Some(on), rows, cols, sig }
    }

    /// Whether these are of a `rows` x `cols` matrix.
    pub fn fits(&self, rows: usize, cols: usize) -> bool {
        self.rows == rows && self.cols == cols && self.sig.len() == self.on.as_ref().map_or(rows, |o| o.len()) * cols
    }

    /// The signature of cell `cell` (`period * rows + region`); None where that row is not
    /// signed or the cell counts nothing.
    pub fn get(&self, cell: usize) -> Option<u64> {
        let rows = self.rows.max(1);
        let (p, r) = (cell / rows, cell % rows);
        if p >= self.cols {
            return None;
        }
        let (n, slot) = match &self.on {
            Some(on) => (on.len(), on.binary_search(&u32::try_from(r).ok()?).ok()?),
            None => (rows, r),
        };
        self.sig.get(p * n + slot).copied().filter(|&s| s != 0)
    }

    /// The same signatures `k` periods later (a lag of the series: `lag(rollup(x), 1)`
    /// counts in 2021 what the roll-up counted in 2020); nothing where none was.
    pub fn shifted(&self, k: i64) -> Counts {
        let n = self.on.as_ref().map_or(self.rows, |o| o.len());
        let mut sig = vec![0u64; self.sig.len()];
        for p in 0..self.cols as i64 {
            let q = p - k;
            if q >= 0 && q < self.cols as i64 {
                let (dst, src) = (p as usize * n, q as usize * n);
                sig[dst..dst + n].copy_from_slice(&self.sig[src..src + n]);
            }
        }
        Counts { sig, ..self.clone() }
    }
}

/// A region's hash (splitmix64 of its index): a total's signature is the wrapping sum of
/// its regions' hashes, so that two totals of different regions differ (but for a chance
/// of about 2^-64).
pub fn region_hash(r: u64) -> u64 {
    let mut z = r.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The signature of `a op b` of two totals: theirs where they add the same regions (a sum
/// of two like totals adds those regions, `(x + x) / pop` is like `x / pop`); else a mark
/// of both (such a cell is left missing by `a op b` itself).
pub fn both(x: u64, y: u64) -> u64 {
    if x == y { x } else { x.wrapping_add(y.rotate_left(17)) }
}
