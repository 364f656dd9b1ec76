//! The library's error type: every error a user can cause says where and what would fix it.

use std::fmt;

/// A place in an input file: `file:line:column` (1-based; column counts fields for CSV,
/// characters for TOML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub col: Option<usize>,
}

impl Location {
    pub fn new(file: impl Into<String>, line: usize, col: Option<usize>) -> Self {
        Location { file: file.into(), line, col }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.col {
            Some(c) => write!(f, "{}:{}:{}", self.file, self.line, c),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// Bad data in an input file (CSV, xlsx).
    #[error("{at}: {message}")]
    Data { at: Location, message: String },
    /// Bad configuration (TOML).
    #[error("{at}: {message}")]
    Config { at: Location, message: String },
    /// A script failed to compile or evaluate; `rendered` holds the caret display.
    #[error("{rendered}")]
    Script { message: String, rendered: String },
    /// Anything else the user asked for that cannot be done (no file position applies).
    #[error("{0}")]
    Usage(String),
    /// Several independent problems (every bad indicator and rule of a config), each
    /// with its own place; shown one after another.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n\n"))]
    Many(Vec<Error>),
}

impl Error {
    /// One error, or all of them as [`Error::Many`]; None when the list is empty.
    pub fn all(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Many(errors.into_iter().flat_map(Error::into_list).collect())),
        }
    }
    /// The problems this error holds, one per entry.
    pub fn into_list(self) -> Vec<Error> {
        match self {
            Error::Many(v) => v,
            e => vec![e],
        }
    }
    pub fn data(at: Location, message: impl Into<String>) -> Self {
        Error::Data { at, message: message.into() }
    }
    pub fn config(at: Location, message: impl Into<String>) -> Self {
        Error::Config { at, message: message.into() }
    }
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
