//! Native kernels over whole series: elementwise arithmetic with broadcasting, time
//! shifts, aggregates across regions or periods, ranking and roll-up. Missing (NaN)
//! propagates; division by zero gives missing and is counted in `div_zero_count`.

pub mod aggregate;
pub mod arith;
pub mod rank;
pub mod rollup;
pub mod time;

use std::cell::Cell;

thread_local! {
    static DIV_ZERO: Cell<u64> = const { Cell::new(0) };
}

/// Records `n` divisions by zero (turned into missing values).
pub fn count_div_zero(n: u64) {
    if n > 0 {
        DIV_ZERO.with(|c| c.set(c.get() + n));
    }
}

/// Divisions by zero since the last call (and resets the count).
pub fn take_div_zero_count() -> u64 {
    DIV_ZERO.with(|c| c.replace(0))
}

pub type KResult<T> = Result<T, String>;
