//! The value words of a loader block in memory of their own, taken from the system and
//! given back the moment the block is dropped, whatever the allocator keeps.
//!
//! Blocks hold the whole panel while it loads and are dropped once `finish` has copied
//! them into the matrices. Allocated by malloc they would either come from its heap (and
//! stay there, so that the panel is held twice from then on) or need malloc's mmap
//! threshold pinned low for the whole load, which makes every other large buffer of the
//! load (a Parquet page decompressed, a column chunk read, a CSV chunk) a fresh mapping
//! whose pages are faulted in, zeroed and unmapped again: 220,000 page faults for a
//! 190 MB load at 40,000 towns. Mapped here, blocks go back to the system on their own,
//! and malloc can keep reusing the load's buffers.

use std::ops::Deref;
use std::sync::atomic::AtomicU64;

/// `len` atomic words filled with one bit pattern, in an anonymous mapping of their own
/// (unmapped on drop). Dereferences to `[AtomicU64]`.
pub(crate) struct MappedWords {
    #[cfg(unix)]
    ptr: std::ptr::NonNull<AtomicU64>,
    #[cfg(unix)]
    len: usize,
    #[cfg(not(unix))]
    words: Box<[AtomicU64]>,
}

// SAFETY: the mapping is owned by this value alone and holds atomics, which may be read
// and written from any thread through a shared reference.
#[cfg(unix)]
unsafe impl Send for MappedWords {}
// SAFETY: as above; `&MappedWords` only gives out `&[AtomicU64]`.
#[cfg(unix)]
unsafe impl Sync for MappedWords {}

impl MappedWords {
    /// `len` words, each `bits`. None when the system refuses the memory.
    #[cfg(unix)]
    pub(crate) fn filled(len: usize, bits: u64) -> Option<MappedWords> {
        if len == 0 {
            return Some(MappedWords { ptr: std::ptr::NonNull::dangling(), len: 0 });
        }
        let bytes = len.checked_mul(std::mem::size_of::<AtomicU64>())?;
        // Every page is written right away (the fill): populating the mapping in one call
        // costs less than a fault per page.
        #[cfg(target_os = "linux")]
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE;
        #[cfg(not(target_os = "linux"))]
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
        // SAFETY: an anonymous private mapping at an address of the system's choosing;
        // the result is checked before use.
        let p = unsafe { libc::mmap(std::ptr::null_mut(), bytes, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0) };
        if p == libc::MAP_FAILED {
            return None;
        }
        // A mapping is page-aligned, so aligned for u64; it is `bytes` long.
        let ptr = std::ptr::NonNull::new(p.cast::<AtomicU64>())?;
        let words = MappedWords { ptr, len };
        if bits != 0 {
            // A fresh anonymous mapping reads as zeros already.
            for w in words.iter() {
                w.store(bits, std::sync::atomic::Ordering::Relaxed);
            }
        }
        Some(words)
    }

    /// `len` words, each `bits`. None when the memory cannot be had.
    #[cfg(not(unix))]
    pub(crate) fn filled(len: usize, bits: u64) -> Option<MappedWords> {
        let mut v = Vec::new();
        v.try_reserve_exact(len).ok()?;
        v.extend((0..len).map(|_| AtomicU64::new(bits)));
        Some(MappedWords { words: v.into() })
    }
}

#[cfg(unix)]
impl Deref for MappedWords {
    type Target = [AtomicU64];

    #[inline(always)]
    fn deref(&self) -> &[AtomicU64] {
        // SAFETY: `ptr` points at `len` initialised words that live as long as `self`
        // (or is dangling with `len` 0, which a slice allows).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

#[cfg(not(unix))]
impl Deref for MappedWords {
    type Target = [AtomicU64];

    fn deref(&self) -> &[AtomicU64] {
        &self.words
    }
}

#[cfg(unix)]
impl Drop for MappedWords {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: the mapping made in `filled`, of this length, unmapped once.
            unsafe {
                libc::munmap(self.ptr.as_ptr().cast(), self.len * std::mem::size_of::<AtomicU64>());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn words_hold_their_fill_and_what_is_stored() {
        let w = MappedWords::filled(100_000, 0x7ff8_0000_0000_0000).unwrap();
        assert_eq!(w.len(), 100_000);
        assert!(w.iter().all(|x| x.load(Ordering::Relaxed) == 0x7ff8_0000_0000_0000));
        w[99_999].store(42, Ordering::Relaxed);
        assert_eq!(w[99_999].load(Ordering::Relaxed), 42);
        let z = MappedWords::filled(3, 0).unwrap();
        assert!(z.iter().all(|x| x.load(Ordering::Relaxed) == 0));
        assert!(MappedWords::filled(0, 1).unwrap().is_empty());
        // More than the address space: refused, not a panic.
        assert!(MappedWords::filled(usize::MAX / 4, 0).is_none());
    }
}
