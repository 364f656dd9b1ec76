//! A watchdog over one report section's rendering, for the work minijinja does inside a
//! single step where neither its fuel nor our output sink can stop it: `ns.x + ns.x`
//! doubled 40 times makes minijinja copy 2^33 items into one list, and printing a list
//! nested 40 deep walks 2^40 items. Past the section's time limit (plus a grace for the
//! sink's own located error) or past three quarters of the memory budget grown while it
//! renders, the watchdog removes the run's staging folders, prints the error naming the
//! template and exits 2: the one way to stop a thread inside a library that does not
//! look up. Earlier outputs stay as they were (they are swapped in only after a run).

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the watchdog looks.
const EVERY: Duration = Duration::from_millis(10);

/// Time past the limit left to the sink, which stops at its next write with the line.
const GRACE: Duration = Duration::from_millis(1500);

/// The exit status of a run that could not finish (as `main`'s EXIT_BROKEN).
const EXIT_BROKEN: i32 = 2;

/// A running watchdog; dropping it stops it.
pub(crate) struct Watch {
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    /// Watches the rendering of the template `label` from now: `timeout_ms` is the
    /// section's time limit, `budget_bytes` the memory budget (0: none known).
    pub(crate) fn start(label: &str, timeout_ms: u64, budget_bytes: u64) -> Watch {
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let label = label.to_string();
        let start_rss = yearbook_core::memory::resident_and_limit().map(|(rss, _)| rss);
        let deadline = Instant::now() + Duration::from_millis(timeout_ms) + GRACE;
        let seen = done.clone();
        let thread = std::thread::Builder::new()
            .name("yearbook-report-watchdog".into())
            .spawn(move || {
                let (lock, cv) = &*seen;
                let Ok(mut finished) = lock.lock() else { return };
                loop {
                    if *finished {
                        return;
                    }
                    if let Some(why) = over(deadline, timeout_ms, start_rss, budget_bytes) {
                        stop(&label, &why);
                    }
                    match cv.wait_timeout(finished, EVERY) {
                        Ok((g, _)) => finished = g,
                        Err(_) => return,
                    }
                }
            })
            .ok();
        Watch { done, thread }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let (lock, cv) = &*self.done;
        if let Ok(mut g) = lock.lock() {
            *g = true;
        }
        cv.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Why the rendering must stop now, if it must.
fn over(deadline: Instant, timeout_ms: u64, start_rss: Option<u64>, budget_bytes: u64) -> Option<String> {
    if Instant::now() > deadline {
        return Some(format!(
            "stopped: the section took longer than the time limit of {timeout_ms} ms (limits.timeout_ms) inside one step \
             (a list doubled or nested in a loop, then used or printed?)"
        ));
    }
    let (rss, _) = yearbook_core::memory::resident_and_limit()?;
    let grown = rss.saturating_sub(start_rss?);
    let allowed = budget_bytes / 4 * 3;
    (budget_bytes > 0 && grown > allowed).then(|| {
        format!(
            "stopped: the section took more than {} MB while rendering, three quarters of the memory budget of {} MB \
             (limits.max_memory_mb); is a list doubled or nested in a loop?",
            allowed >> 20,
            budget_bytes >> 20
        )
    })
}

/// Ends the process with the error, after removing what this run was writing.
fn stop(label: &str, why: &str) -> ! {
    crate::outset::remove_staging();
    eprintln!("error: {label}:1: report template: {why}");
    std::process::exit(EXIT_BROKEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_in_time_and_memory_is_left_alone() {
        let far = Instant::now() + Duration::from_secs(60);
        assert_eq!(over(far, 60_000, None, 1 << 30), None);
        // Without a budget only time counts.
        assert_eq!(over(far, 60_000, Some(0), 0), None);
    }

    #[test]
    fn a_section_past_its_time_or_memory_is_stopped_with_the_limit_named() {
        let past = Instant::now() - Duration::from_millis(1);
        let why = over(past, 1500, None, 0).unwrap_or_default();
        assert!(why.contains("time limit of 1500 ms (limits.timeout_ms)"), "{why}");
        // Grown from nothing to the whole resident size: past three quarters of a 4 MB budget.
        let far = Instant::now() + Duration::from_secs(60);
        let why = over(far, 60_000, Some(0), 4 << 20).unwrap_or_default();
        assert!(why.contains("more than 3 MB while rendering, three quarters of the memory budget of 4 MB"), "{why}");
    }

    #[test]
    fn a_watch_dropped_in_time_ends_its_thread() {
        let w = Watch::start("report/x.md", 60_000, 0);
        drop(w);
    }
}
