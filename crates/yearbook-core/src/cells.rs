//! A series' values: every (region, period) cell of a regions x periods matrix, or only
//! the rows of the regions it can have values at (a county roll-up holds its counties'
//! rows, not every town's), the rest missing.
//!
//! Both read as the whole period-major matrix (`cell = period * rows + region`; NaN =
//! missing): [`Cells`] dereferences to it, building it from the kept rows once, on first
//! use, and keeping it. Kernels that know the kept rows ([`Cells::kept`]: roll-ups, `yoy`
//! and the other changes over time, counting, reading a cell) work on them alone and
//! never build the whole matrix: at 160,000 towns a county roll-up is 11,428 rows (1.8 MB
//! over 20 years), not 171,459 (27 MB).

use std::sync::{Arc, OnceLock};

/// The values of a series (see the module's documentation).
pub struct Cells {
    /// The whole matrix: given, or built from `kept` on first use.
    full: OnceLock<Vec<f64>>,
    /// Only these rows hold values (None: `full` was given).
    kept: Option<Kept>,
}

/// The rows a [`Cells`] keeps, and their values.
#[derive(Clone, Debug)]
pub struct Kept {
    /// The kept rows (region indices), ascending.
    pub rows: Arc<[u32]>,
    /// Rows of the whole matrix (the number of regions).
    pub total_rows: usize,
    /// Periods.
    pub cols: usize,
    /// Period-major over the kept rows: `values[period * rows.len() + k]` is row
    /// `rows[k]`'s value.
    pub values: Vec<f64>,
}

impl Kept {
    /// The place of row `r` among the kept rows, if kept.
    #[inline]
    pub fn slot(&self, r: usize) -> Option<usize> {
        let r = u32::try_from(r).ok()?;
        self.rows.binary_search(&r).ok()
    }

    /// The whole matrix: the kept rows' values, missing elsewhere.
    fn expand(&self) -> Vec<f64> {
        let n = self.rows.len();
        let mut out = vec![f64::NAN; self.total_rows * self.cols];
        if n == 0 || self.total_rows == 0 {
            return out;
        }
        for (p, col) in out.chunks_mut(self.total_rows).enumerate() {
            for (&r, &v) in self.rows.iter().zip(&self.values[p * n..(p + 1) * n]) {
                col[r as usize] = v;
            }
        }
        out
    }
}

impl Cells {
    /// Values on `rows` only (ascending region indices), period-major over them; every
    /// other row of a `total_rows` x `cols` matrix is missing. `values` must hold
    /// `cols * rows.len()` numbers (a shorter list is padded with missing values).
    pub fn on_rows(rows: Arc<[u32]>, total_rows: usize, cols: usize, mut values: Vec<f64>) -> Cells {
        values.resize(cols * rows.len(), f64::NAN);
        debug_assert!(rows.windows(2).all(|w| w[0] < w[1]) && rows.last().is_none_or(|&r| (r as usize) < total_rows));
        Cells { full: OnceLock::new(), kept: Some(Kept { rows, total_rows, cols, values }) }
    }

    /// The kept rows and their values, when only some rows are kept (whether or not the
    /// whole matrix was built since).
    #[inline]
    pub fn kept(&self) -> Option<&Kept> {
        self.kept.as_ref()
    }

    /// Whether the whole matrix is there (given, or built from the kept rows since): a
    /// kernel that knows the kept rows leaves it unbuilt.
    pub fn whole_built(&self) -> bool {
        self.full.get().is_some()
    }

    /// Cells of the whole matrix, without building it.
    #[inline]
    pub fn len(&self) -> usize {
        match (&self.kept, self.full.get()) {
            (_, Some(v)) => v.len(),
            (Some(k), None) => k.total_rows * k.cols,
            (None, None) => 0,
        }
    }

    /// Whether the matrix has no cells.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of cell `cell` of the whole matrix (`period * rows + region`), without
    /// building it; NaN past the end.
    #[inline]
    pub fn cell(&self, cell: usize) -> f64 {
        if let Some(v) = self.full.get() {
            return v.get(cell).copied().unwrap_or(f64::NAN);
        }
        match &self.kept {
            Some(k) if k.total_rows > 0 => {
                let (p, r) = (cell / k.total_rows, cell % k.total_rows);
                match k.slot(r) {
                    Some(s) if p < k.cols => k.values[p * k.rows.len() + s],
                    _ => f64::NAN,
                }
            }
            _ => f64::NAN,
        }
    }

    /// Cells with a value, without building the whole matrix.
    pub fn present(&self) -> usize {
        let vals: &[f64] = match (&self.kept, self.full.get()) {
            (Some(k), _) => &k.values,
            (None, Some(v)) => v,
            (None, None) => &[],
        };
        vals.iter().filter(|v| !v.is_nan()).count()
    }

    /// Bytes its values take now (kept rows, the whole matrix, or both once built).
    pub fn bytes(&self) -> usize {
        let full = self.full.get().map_or(0, Vec::len);
        let kept = self.kept.as_ref().map_or(0, |k| k.values.len() + k.rows.len() / 2);
        (full + kept) * std::mem::size_of::<f64>()
    }

    /// The whole matrix as an owned list (built from the kept rows if need be).
    pub fn into_vec(self) -> Vec<f64> {
        let Cells { full, kept } = self;
        match (full.into_inner(), kept) {
            (Some(v), _) => v,
            (None, Some(k)) => k.expand(),
            (None, None) => Vec::new(),
        }
    }

    /// A copy of the whole matrix (not keeping one built from the kept rows).
    pub fn to_full(&self) -> Vec<f64> {
        match (self.full.get(), &self.kept) {
            (Some(v), _) => v.clone(),
            (None, Some(k)) => k.expand(),
            (None, None) => Vec::new(),
        }
    }

    fn whole(&self) -> &Vec<f64> {
        self.full.get_or_init(|| {
            let whole = self.kept.as_ref().map(Kept::expand).unwrap_or_default();
            // Built on a read: the memory budget sees it (the cells are held by the
            // evaluation that made them, crate::memory::made).
            crate::memory::check();
            whole
        })
    }
}

impl From<Vec<f64>> for Cells {
    fn from(v: Vec<f64>) -> Cells {
        Cells { full: OnceLock::from(v), kept: None }
    }
}

impl Default for Cells {
    fn default() -> Cells {
        Cells::from(Vec::new())
    }
}

impl Clone for Cells {
    fn clone(&self) -> Cells {
        match &self.kept {
            // The kept rows are the values; a matrix built from them is built again
            // where it is needed.
            Some(k) => Cells { full: OnceLock::new(), kept: Some(k.clone()) },
            None => Cells::from(self.full.get().cloned().unwrap_or_default()),
        }
    }
}

impl std::fmt::Debug for Cells {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kept {
            Some(k) => write!(f, "Cells({} of {} rows x {} periods)", k.rows.len(), k.total_rows, k.cols),
            None => write!(f, "Cells({} cells)", self.len()),
        }
    }
}

impl std::ops::Deref for Cells {
    type Target = Vec<f64>;
    /// The whole matrix (built from the kept rows on first use, then kept).
    fn deref(&self) -> &Vec<f64> {
        self.whole()
    }
}

impl std::ops::DerefMut for Cells {
    /// The whole matrix to change: from then on every row is kept.
    fn deref_mut(&mut self) -> &mut Vec<f64> {
        if let Some(k) = self.kept.take()
            && self.full.get().is_none()
        {
            self.full = OnceLock::from(k.expand());
        }
        if self.full.get().is_none() {
            self.full = OnceLock::from(Vec::new());
        }
        // Set just above (OnceLock::get_mut_or_init is not stable yet).
        self.full.get_mut().expect("the whole matrix was set above")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept() -> Cells {
        // 4 regions x 3 periods, rows 1 and 3 kept.
        Cells::on_rows(Arc::from(vec![1u32, 3]), 4, 3, vec![1.0, 2.0, f64::NAN, 4.0, 5.0, 6.0])
    }

    #[test]
    fn kept_rows_read_as_the_whole_matrix() {
        let c = kept();
        assert_eq!(c.len(), 12);
        assert_eq!(c.present(), 5);
        let n = f64::NAN;
        let want = [n, 1.0, n, 2.0, n, n, n, 4.0, n, 5.0, n, 6.0];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(c.cell(i).to_bits(), w.to_bits(), "cell {i}");
        }
        assert!(c.kept().is_some());
        let whole: Vec<u64> = c.iter().map(|v| v.to_bits()).collect();
        assert_eq!(whole, want.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
        assert_eq!(c.to_full().len(), 12);
        assert_eq!(c.clone().into_vec().iter().filter(|v| !v.is_nan()).count(), 5);
    }

    #[test]
    fn changing_the_values_keeps_every_row() {
        let mut c = kept();
        c[0] = 7.0;
        assert!(c.kept().is_none());
        assert_eq!(c.cell(0), 7.0);
        assert_eq!(c.cell(1), 1.0);
        assert_eq!(c.present(), 6);
    }
}
