//! What one evaluation records (divisions by zero, notes, memory over budget, lines it
//! printed),
//! and the deadline and cancel token its progress checks read. Kernels take no context
//! argument, so the evaluation in progress is entered on the thread that runs it
//! ([`Tally::enter`]); evaluations that rayon runs nested on a waiting thread enter and
//! leave in stack order, so each records into its own tally.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

/// Notes kept per evaluation (each text once).
const MAX_NOTES: usize = 100;
/// Lines a script wrote with `print` and `debug` kept per evaluation (for eval and the
/// REPL to show; unattended runs drop them).
const MAX_PRINTED: usize = 10_000;

/// The per-evaluation record. Shared by reference; every field is thread-safe.
#[derive(Debug, Default)]
pub struct Tally {
    div_zero: AtomicU64,
    notes: Mutex<Vec<String>>,
    printed: Mutex<Vec<String>>,
    /// Large series this evaluation made (alive while anything holds them).
    made: Mutex<Vec<Weak<crate::cells::Cells>>>,
    /// Resident bytes when the memory budget was passed (0: not passed).
    over: AtomicU64,
    /// Resident bytes as the evaluation started, or at its first script-memory check
    /// (0: not read yet).
    rss_start: AtomicU64,
    /// When the evaluation must stop (None: no limit).
    pub deadline: Option<Instant>,
    /// Set from outside (Ctrl-C, a run being stopped): stops every evaluation sharing it.
    pub cancel: Arc<AtomicBool>,
    /// The period a report or run is of: what is taken across periods (`sum(x,
    /// "periods")`, `latest`) stops there, as of that period (None: all the data).
    pub as_of: Option<crate::period::Period>,
}

/// Why an evaluation should stop now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Its cancel token was set.
    Cancelled,
    /// Its deadline passed.
    Timeout,
    /// The process went over the memory budget (resident bytes).
    Memory(u64),
}

thread_local! {
    static CURRENT: RefCell<Vec<Arc<Tally>>> = const { RefCell::new(Vec::new()) };
}

/// Leaves the evaluation when dropped.
pub struct Entered(());

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.with(|c| c.borrow_mut().pop());
    }
}

impl Tally {
    /// A tally with a deadline and a cancel token.
    pub fn new(deadline: Option<Instant>, cancel: Arc<AtomicBool>) -> Tally {
        // Resident memory as the evaluation starts, for [`Tally::script_memory_stop`].
        let rss_start = crate::memory::resident_and_limit().filter(|&(_, limit)| limit > 0).map_or(0, |(rss, _)| rss.max(1));
        Tally { deadline, cancel, rss_start: AtomicU64::new(rss_start), ..Default::default() }
    }

    /// The same, as of `period` ([`Tally::as_of`]).
    pub fn as_of(mut self, period: Option<crate::period::Period>) -> Tally {
        self.as_of = period;
        self
    }

    /// Makes this the evaluation in progress on this thread until the guard drops.
    pub fn enter(self: &Arc<Self>) -> Entered {
        CURRENT.with(|c| c.borrow_mut().push(self.clone()));
        Entered(())
    }

    /// Divisions by zero that gave missing values.
    pub fn div_zero(&self) -> u64 {
        self.div_zero.load(Ordering::Relaxed)
    }

    /// Notes recorded, in order.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// Lines the script printed, in order.
    pub fn printed(&self) -> Vec<String> {
        self.printed.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// Bytes of the large series this evaluation made that are still alive.
    pub fn held_bytes(&self) -> u64 {
        let Ok(mut made) = self.made.lock() else { return 0 };
        made.retain(|w| w.strong_count() > 0);
        made.iter().filter_map(Weak::upgrade).map(|d| d.bytes() as u64).sum()
    }

    /// Whether the memory budget was passed (checked at every script operation: cheap).
    pub fn memory_stop(&self) -> Option<Stop> {
        let over = self.over.load(Ordering::Relaxed);
        (over > 0).then_some(Stop::Memory(over))
    }

    /// Whether the script's own values (strings, arrays, maps it builds, which no series
    /// records) took the process past the memory budget: resident memory over the budget
    /// and grown by a quarter of it since this evaluation's first check. Called every
    /// few thousand script operations: a map grown by `m[k] = v` in a loop reached 2.3 GB
    /// under a budget of 300 MB.
    pub fn script_memory_stop(&self) -> Option<Stop> {
        let (rss, limit) = crate::memory::resident_and_limit()?;
        if limit == 0 {
            return None;
        }
        let start = self.rss_start.load(Ordering::Relaxed);
        if start == 0 {
            self.rss_start.store(rss.max(1), Ordering::Relaxed);
            return None;
        }
        if rss > limit && rss.saturating_sub(start) >= limit / 4 {
            self.over.store(rss.max(1), Ordering::Relaxed);
            return Some(Stop::Memory(rss));
        }
        None
    }

    /// Whether the evaluation should stop, and why (checked between script operations).
    pub fn stop(&self) -> Option<Stop> {
        if let Some(m) = self.memory_stop() {
            return Some(m);
        }
        if self.cancel.load(Ordering::Relaxed) {
            return Some(Stop::Cancelled);
        }
        self.deadline.is_some_and(|t| Instant::now() > t).then_some(Stop::Timeout)
    }

    fn record_note(&self, text: String) {
        if let Ok(mut n) = self.notes.lock()
            && !n.contains(&text)
            && n.len() < MAX_NOTES
        {
            n.push(text);
        }
    }
}

/// Runs `f` with the evaluation in progress on this thread, if any (`f` must not enter
/// another evaluation).
pub fn with_current<R>(f: impl FnOnce(&Tally) -> R) -> Option<R> {
    CURRENT.with(|c| c.borrow().last().map(|t| f(t)))
}

/// The period the evaluation in progress is of ([`Tally::as_of`]), if any.
pub fn as_of() -> Option<crate::period::Period> {
    with_current(|t| t.as_of).flatten()
}

/// Records `n` divisions by zero (turned into missing values).
pub fn count_div_zero(n: u64) {
    if n > 0 {
        with_current(|t| t.div_zero.fetch_add(n, Ordering::Relaxed));
    }
}

/// Records a note for the user about the evaluation in progress (each text once): why a
/// result is empty and what to use instead. Shown by eval, explain and the REPL.
pub fn note(text: String) {
    with_current(|t| t.record_note(text));
}

/// Keeps a line the script in progress printed.
pub fn print(line: String) {
    with_current(|t| {
        if let Ok(mut p) = t.printed.lock()
            && p.len() < MAX_PRINTED
        {
            p.push(line);
        }
    });
}

/// Records a large series the evaluation in progress made (its memory counts against
/// that evaluation while it is alive).
pub(crate) fn hold(data: &Arc<crate::cells::Cells>) {
    with_current(|t| {
        if let Ok(mut made) = t.made.lock() {
            // Dead entries of a long loop are dropped as they pile up.
            if made.len() >= 1024 {
                made.retain(|w| w.strong_count() > 0);
            }
            made.push(Arc::downgrade(data));
        }
    });
}

/// The process is over the memory budget (`rss` resident bytes): the evaluation in
/// progress is marked to stop when the series it holds come to `share` bytes or more.
pub(crate) fn over_budget(rss: u64, share: u64) {
    with_current(|t| {
        if t.held_bytes() >= share {
            t.over.store(rss.max(1), Ordering::Relaxed);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_evaluations_record_into_their_own_tally() {
        let a = Arc::new(Tally::default());
        let b = Arc::new(Tally::default());
        let _ea = a.enter();
        count_div_zero(2);
        {
            let _eb = b.enter();
            count_div_zero(5);
            note("b".into());
        }
        count_div_zero(1);
        note("a".into());
        note("a".into());
        assert_eq!((a.div_zero(), b.div_zero()), (3, 5));
        assert_eq!((a.notes(), b.notes()), (vec!["a".to_string()], vec!["b".to_string()]));
    }

    #[test]
    fn outside_an_evaluation_nothing_is_recorded() {
        count_div_zero(3);
        note("x".into());
        let t = Arc::new(Tally::default());
        let _e = t.enter();
        assert_eq!(t.div_zero(), 0);
        assert!(t.notes().is_empty());
    }

    #[test]
    fn only_an_evaluation_that_holds_memory_is_stopped_by_the_budget() {
        let (big, small) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
        let kept: Vec<Arc<crate::cells::Cells>> = {
            let _e = big.enter();
            (0..4)
                .map(|_| {
                    let d = Arc::new(crate::cells::Cells::from(vec![0.0; 1 << 17]));
                    hold(&d);
                    d
                })
                .collect()
        };
        {
            let _e = small.enter();
            let d = Arc::new(crate::cells::Cells::from(vec![0.0; 1 << 17]));
            hold(&d);
            drop(d);
            over_budget(1 << 30, 2 << 20);
        }
        {
            let _e = big.enter();
            over_budget(1 << 30, 2 << 20);
        }
        assert_eq!(big.held_bytes(), 4 << 20);
        assert_eq!(small.held_bytes(), 0);
        assert_eq!((big.memory_stop(), small.memory_stop()), (Some(Stop::Memory(1 << 30)), None));
        drop(kept);
        assert_eq!(big.held_bytes(), 0);
    }

    #[test]
    fn a_cancel_token_stops_every_evaluation_sharing_it() {
        let cancel = Arc::new(AtomicBool::new(false));
        let a = Tally::new(None, cancel.clone());
        let b = Tally::new(Some(Instant::now() + std::time::Duration::from_secs(3600)), cancel.clone());
        assert_eq!((a.stop(), b.stop()), (None, None));
        cancel.store(true, Ordering::Relaxed);
        assert_eq!((a.stop(), b.stop()), (Some(Stop::Cancelled), Some(Stop::Cancelled)));
        let late = Tally::new(Some(Instant::now() - std::time::Duration::from_millis(1)), Default::default());
        assert_eq!(late.stop(), Some(Stop::Timeout));
    }
}
