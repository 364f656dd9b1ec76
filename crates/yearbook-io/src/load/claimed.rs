//! A loader thread's claims on the "seen" bits of one panel row (one indicator and
//! period, a bit per region), kept in its own memory and merged into the shared bits in
//! batches: one atomic OR per 64 regions instead of a locked instruction per fact.
//!
//! A locked read-modify-write per fact drained the store buffer on every fact, so each
//! fact's scattered value store had to reach the cache before the next fact went on: 60%
//! of the Parquet row loop's cycles at 40,000 towns. Claims still catch every repeated
//! key: one the thread gave itself at once (its own bits), one an earlier file or a
//! merged batch gave at once (a plain read of the shared bits), and one another thread
//! gives in the same batch when the batches are merged (a bit both set).

use std::sync::atomic::{AtomicU64, Ordering};

/// The bits a thread has claimed in one row since its last merge: a window of words
/// starting at word `first` (regions `64 * first` on), grown as regions outside it come.
#[derive(Default)]
pub(crate) struct Claimed {
    first: usize,
    words: Vec<u64>,
}

/// Windows at most this many words long keep their memory across merges; longer ones
/// give it back (a worker's windows then hold little between batches).
const KEEP_WORDS: usize = 64;

impl Claimed {
    /// Claims `region`'s bit: Some(words the window grew by) when neither this thread
    /// (since its last merge) nor the shared bits `shared` have it yet, None when the key
    /// is taken (a repeated key). `region` must be below `64 * shared.len()`.
    #[inline(always)]
    pub(crate) fn claim(&mut self, shared: &[AtomicU64], region: u32) -> Option<usize> {
        let (w, bit) = (region as usize / 64, 1u64 << (region % 64));
        if shared[w].load(Ordering::Relaxed) & bit != 0 {
            return None;
        }
        match self.words.get_mut(w.wrapping_sub(self.first)) {
            Some(word) if *word & bit != 0 => None,
            Some(word) => {
                *word |= bit;
                Some(0)
            }
            None => Some(self.claim_outside(shared.len(), w, bit)),
        }
    }

    /// Claims bit `bit` of word `w`, outside the window: grows the window to reach it (at
    /// least doubling, so that a thread meeting regions in any order grows it a few times,
    /// never past the row's `len` words). Returns the words added.
    fn claim_outside(&mut self, len: usize, w: usize, bit: u64) -> usize {
        let before = self.words.len();
        if before == 0 {
            self.first = w;
            self.words.push(bit);
            return 1;
        }
        if w < self.first {
            let grow = (self.first - w).max(before).min(self.first);
            self.words.splice(0..0, std::iter::repeat_n(0, grow));
            self.first -= grow;
        } else {
            let reach = w - self.first + 1;
            let want = reach.max(2 * before).min(len - self.first);
            self.words.resize(want, 0);
        }
        self.words[w - self.first] |= bit;
        self.words.len() - before
    }

    /// The words the window holds.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.words.len()
    }

    /// Merges the claims into the shared bits and forgets them. Returns a region that was
    /// claimed here and is also in the shared bits (set by another thread since the
    /// claim): a repeated key.
    pub(crate) fn merge(&mut self, shared: &[AtomicU64]) -> Option<u32> {
        let mut repeated = None;
        for (k, &mine) in self.words.iter().enumerate() {
            if mine == 0 {
                continue;
            }
            let w = self.first + k;
            let both = shared[w].fetch_or(mine, Ordering::Relaxed) & mine;
            if both != 0 && repeated.is_none() {
                repeated = Some((w * 64) as u32 + both.trailing_zeros());
            }
        }
        if self.words.capacity() > KEEP_WORDS {
            self.words = Vec::new();
        } else {
            self.words.clear();
        }
        repeated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(regions: usize) -> Vec<AtomicU64> {
        (0..regions.div_ceil(64)).map(|_| AtomicU64::new(0)).collect()
    }

    /// The bits of the shared words, as regions.
    fn set(shared: &[AtomicU64]) -> Vec<u32> {
        (0..shared.len() as u32 * 64).filter(|&r| shared[r as usize / 64].load(Ordering::Relaxed) >> (r % 64) & 1 == 1).collect()
    }

    #[test]
    fn claims_in_any_order_merge_to_the_same_bits_and_catch_every_repeat() {
        // Regions met in a scrambled order over 1,000 regions (16 words), some twice:
        // each first claim succeeds, each second fails, as a plain set of seen regions says.
        let n = 1000usize;
        let order: Vec<u32> = (0..3000u64).map(|i| ((i * 7919 + 13) % 1733 % n as u64) as u32).collect();
        let sh = shared(n);
        let mut c = Claimed::default();
        let mut seen = std::collections::BTreeSet::new();
        for (i, &r) in order.iter().enumerate() {
            let first_time = seen.insert(r);
            assert_eq!(c.claim(&sh, r).is_some(), first_time, "claim {i} of region {r}");
            assert!(c.held() <= sh.len(), "the window never outgrows the row");
            // Merge every so often: claims after a merge are checked against the shared bits.
            if i % 700 == 699 {
                assert_eq!(c.merge(&sh), None);
                assert_eq!(c.held(), 0);
            }
        }
        assert_eq!(c.merge(&sh), None);
        assert_eq!(set(&sh), seen.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn the_window_grows_down_and_up_to_reach_a_region() {
        let sh = shared(64 * 40);
        let mut c = Claimed::default();
        assert_eq!(c.claim(&sh, 64 * 20 + 3), Some(1));
        assert_eq!(c.claim(&sh, 64 * 20 + 4), Some(0));
        // Below the window: it grows down to word 19 at least, doubling (to 2 words).
        assert!(c.claim(&sh, 64 * 19).is_some());
        assert!(c.first <= 19 && c.held() >= 2);
        // Far below: reaches word 0.
        assert!(c.claim(&sh, 5).is_some());
        assert_eq!(c.first, 0);
        // Far above: reaches the last word and stops there.
        assert!(c.claim(&sh, 64 * 40 - 1).is_some());
        assert_eq!(c.held(), 40);
        for r in [64 * 20 + 3, 64 * 20 + 4, 64 * 19, 5, 64 * 40 - 1] {
            assert_eq!(c.claim(&sh, r), None, "region {r} was claimed");
        }
        assert_eq!(c.merge(&sh), None);
        assert_eq!(set(&sh), vec![5, 64 * 19, 64 * 20 + 3, 64 * 20 + 4, 64 * 40 - 1]);
    }

    #[test]
    fn two_threads_claiming_one_key_meet_at_the_merge() {
        let sh = shared(300);
        let (mut a, mut b) = (Claimed::default(), Claimed::default());
        assert!(a.claim(&sh, 10).is_some());
        assert!(a.claim(&sh, 200).is_some());
        // Neither has merged: b cannot see a's claim yet.
        assert!(b.claim(&sh, 200).is_some());
        assert!(b.claim(&sh, 11).is_some());
        assert_eq!(a.merge(&sh), None);
        // b's merge finds the region both claimed.
        assert_eq!(b.merge(&sh), Some(200));
        // After the merges, anyone's claim of a merged region fails at once.
        assert_eq!(Claimed::default().claim(&sh, 11), None);
        assert_eq!(set(&sh), vec![10, 11, 200]);
    }
}
