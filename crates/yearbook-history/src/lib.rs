//! The run history: a local SQLite database (no server) of runs, their counts per rule,
//! their findings and the fact values they loaded, stored as the cells that changed since
//! the workspace's previous run. One run is recorded in one transaction (WAL journal): a
//! run killed while recording leaves the history as it was, and a second process waits
//! for the first (`busy_timeout`) or fails with a message that says so.
#![warn(missing_docs)]

mod changes;
mod error;
mod hash;
mod model;
mod schema;
mod store;
mod time;

pub use changes::{Changes, changes};
pub use error::HistoryError;
pub use hash::{FileStamp, HashedFiles, KnownHash, file_stamp, hash_files, sha256_file, sha256_hex};
pub use model::{Cell, Cells, ExplainedBaseline, FindingKey, FindingRow, NewFinding, NewRun, RuleCountRow, RunRow};
pub use store::{BUSY_TIMEOUT, History};
pub use time::{civil_date, utc_now};
