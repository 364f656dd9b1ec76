//! What can go wrong with the history file, said with its path and what to do.

use std::path::{Path, PathBuf};

/// An error of the history database: its file and what happened, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryError {
    /// The database file.
    pub path: PathBuf,
    /// What happened and what would fix it.
    pub message: String,
}

impl HistoryError {
    /// An error about the database at `path`.
    pub fn new(path: &Path, message: impl Into<String>) -> HistoryError {
        HistoryError { path: path.to_path_buf(), message: message.into() }
    }

    /// Says what a SQLite error means for the user of the history at `path`.
    pub(crate) fn sqlite(path: &Path, e: rusqlite::Error) -> HistoryError {
        use rusqlite::ErrorCode::*;
        let code = e.sqlite_error_code();
        let message = match code {
            Some(DatabaseBusy) | Some(DatabaseLocked) => format!(
                "the history is locked by another yearbook run (waited {} s): run again when it has finished ({e})",
                crate::store::BUSY_TIMEOUT.as_secs()
            ),
            Some(NotADatabase) | Some(DatabaseCorrupt) => format!(
                "the file is not a readable history database ({e}): move it aside (a new history starts) or set [history] path to another file"
            ),
            Some(ReadOnly) | Some(CannotOpen) | Some(PermissionDenied) => {
                format!("cannot open or write the history ({e}): check the folder exists and is writable, or set [history] path")
            }
            Some(DiskFull) => format!("the disk is full ({e}): free space, then run again"),
            _ => format!("{e}"),
        };
        HistoryError::new(path, message)
    }
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "history {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for HistoryError {}
