//! The memory budget of an evaluation: every large series a kernel makes checks the
//! process's resident memory against `limits.max_memory_mb`; past it, the evaluation
//! that holds a large share of it (the series it made that are still alive: arrays of
//! series, loops that keep results) is stopped at its next step with a message naming the
//! limit. Evaluations running beside it that hold little go on: on many threads, the
//! budget stops the one that grew, not whichever happened to allocate next.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Series smaller than this (1 MB) are not worth a check.
const CHECK_FROM_CELLS: usize = 1 << 17;

/// The budget in bytes of resident memory; 0: none.
static LIMIT: AtomicU64 = AtomicU64::new(0);

/// Sets the budget (megabytes; 0 = half of the machine's memory).
pub fn set_limit_mb(mb: u64) {
    let bytes = if mb == 0 { physical_bytes().map(|b| b / 2).unwrap_or(0) } else { mb.saturating_mul(1 << 20) };
    LIMIT.store(bytes, Ordering::Relaxed);
}

/// The budget `limits.max_memory_mb = mb` means, in megabytes: `mb`, or half of the
/// machine's memory for 0 (0 where that is unknown).
pub fn budget_mb(mb: u64) -> u64 {
    if mb == 0 { physical_bytes().map(|b| (b / 2) >> 20).unwrap_or(0) } else { mb }
}

/// The budget in megabytes (0: none).
pub fn limit_mb() -> u64 {
    LIMIT.load(Ordering::Relaxed) >> 20
}

/// Called when a series' values are made: a large one is recorded with the evaluation in
/// progress on this thread, and past the budget that evaluation is marked to stop when
/// the series it made and still holds are at least a quarter of the budget.
#[inline]
pub fn made(data: &Arc<crate::cells::Cells>) {
    // Values on kept rows are held however small: the whole matrix built from them on
    // first use counts against the evaluation that holds them (crate::cells).
    if data.bytes() >= CHECK_FROM_CELLS * 8 || data.kept().is_some() {
        crate::tally::hold(data);
        check();
    }
}

/// Compares resident memory with the budget now.
pub fn check() {
    let limit = LIMIT.load(Ordering::Relaxed);
    if limit == 0 {
        return;
    }
    if let Some(rss) = resident_bytes()
        && rss > limit
    {
        crate::tally::over_budget(rss, limit / 4);
    }
}

/// Resident memory and the budget, both in bytes, where the process is over the budget
/// now: a step whose result is kept (a derived indicator's value, cached for the rest of
/// the run) asks before it allocates, since the evaluation that went over may hold little
/// of what grew.
pub fn over_budget_now() -> Option<(u64, u64)> {
    let limit = LIMIT.load(Ordering::Relaxed);
    if limit == 0 {
        return None;
    }
    resident_bytes().filter(|&rss| rss > limit).map(|rss| (rss, limit))
}

/// Bytes the process may still take before the budget (0 when over it); None without a
/// budget or where resident memory cannot be read. A step that builds a known amount
/// (a rule's findings) asks before it allocates.
pub fn headroom_bytes() -> Option<u64> {
    let limit = LIMIT.load(Ordering::Relaxed);
    if limit == 0 {
        return None;
    }
    resident_bytes().map(|rss| limit.saturating_sub(rss))
}

/// Bytes a reader may still take before it builds something of a size its input
/// declares: [`headroom_bytes`] under a budget, else half of the machine's memory (its
/// cgroup's, its `ulimit -v`) less what the process holds; None where neither is known.
pub fn room_bytes() -> Option<u64> {
    headroom_bytes().or_else(|| physical_bytes().map(|b| (b / 2).saturating_sub(resident_bytes().unwrap_or(0))))
}

/// Resident memory of this process in bytes, and the budget in bytes (0: none); None
/// where resident memory cannot be read. A watchdog that cannot step into the work it
/// watches (a report template inside minijinja) compares the two itself.
pub fn resident_and_limit() -> Option<(u64, u64)> {
    resident_bytes().map(|rss| (rss, LIMIT.load(Ordering::Relaxed)))
}

/// Resident memory of this process (Linux: /proc/self/statm).
fn resident_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = text.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Physical memory of the machine (Linux: /proc/meminfo).
/// The memory this process may use: the machine's (MemTotal), or less where a container's
/// memory limit (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`) or the address-space
/// limit (`ulimit -v`) says so. A run in a 2 GB container on a 64 GB machine must stop at
/// its budget with a message, not be killed for memory, nor abort on a failed allocation.
fn physical_bytes() -> Option<u64> {
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        let kb: u64 = text.lines().find(|l| l.starts_with("MemTotal:"))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    });
    let file = |path: &str| std::fs::read_to_string(path).ok().and_then(|t| t.trim().parse::<u64>().ok());
    let limits = [file("/sys/fs/cgroup/memory.max"), file("/sys/fs/cgroup/memory/memory.limit_in_bytes"), address_space_limit()];
    // "max" (v2) and 2^63 rounded down to a page (v1) mean no limit: larger than the machine.
    [total].into_iter().chain(limits).flatten().filter(|&b| b > 0).min()
}

/// `ulimit -v` in bytes, None where there is none.
fn address_space_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit writes the struct it is given and nothing else.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } == 0;
        // rlim_t is u64 on Linux, not on every Unix.
        #[allow(clippy::unnecessary_cast)]
        (ok && r.rlim_cur != libc::RLIM_INFINITY).then_some(r.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}
