//! The library's error type: every error a user can cause says where and what would fix it.
//!
//! An [`Error`] is data: a [`kind`](ErrorKind) a program can index, an optional [`Span`]
//! (file or script name, line, column, length) and a message in plain words. How it is
//! shown to a person (the `file:line:col:` prefix, the script line with carets under the
//! spot) is rendered from that data: script errors are rendered once by
//! `script::diagnostic` while the script's text is at hand, and keep the rendered text.
//! Lower layers (kernels, tables) raise a [`Fault`]: a kind and a message without a place,
//! which gets its place when the script layer turns it into an [`Error`].

use serde::Serialize;
use std::fmt;

/// What kind of problem an error is: stable snake_case names (`unit`, `unknown_name`,
/// `timeout`, ...) for programs that sort, count or index errors (`yearbook check`,
/// findings.json, a run history, an editor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be opened, read or written.
    Io,
    /// Bad data in an input file (CSV, xlsx, a report template).
    Data,
    /// Bad configuration (TOML): unknown keys, bad values, missing files.
    Config,
    /// A script does not parse.
    Syntax,
    /// A name that is not known: variable, function, indicator, region, level, table,
    /// column, module.
    UnknownName,
    /// A value of the wrong type or shape: a check that gives no mask, arguments no
    /// function takes, a series across regions where one over regions is needed.
    Type,
    /// Units that do not go together: adding 亩 and 万元, converting 万元 to %.
    Unit,
    /// Indicators defined in terms of each other.
    Cycle,
    /// The evaluation ran longer than its time limit (`timeout_ms`).
    Timeout,
    /// The evaluation exceeded `limits.max_operations`.
    OperationLimit,
    /// The evaluation held more memory than `limits.max_memory_mb`, or a panel too large
    /// to allocate.
    MemoryLimit,
    /// Calls or indicators nested deeper than allowed (`limits.max_call_depth`).
    DepthLimit,
    /// A string, array or map past its size limit.
    SizeLimit,
    /// Stopped by Ctrl-C.
    Interrupted,
    /// Any other failure while a script runs (a thrown value, a bad period, an index out
    /// of range).
    Runtime,
    /// Something asked of the library that cannot be done (no file position applies).
    Usage,
    /// Several independent problems, each with its own kind and place.
    Many,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 17] = [
        ErrorKind::Io,
        ErrorKind::Data,
        ErrorKind::Config,
        ErrorKind::Syntax,
        ErrorKind::UnknownName,
        ErrorKind::Type,
        ErrorKind::Unit,
        ErrorKind::Cycle,
        ErrorKind::Timeout,
        ErrorKind::OperationLimit,
        ErrorKind::MemoryLimit,
        ErrorKind::DepthLimit,
        ErrorKind::SizeLimit,
        ErrorKind::Interrupted,
        ErrorKind::Runtime,
        ErrorKind::Usage,
        ErrorKind::Many,
    ];

    /// The stable name, as serialized: `unknown_name`, `operation_limit`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Data => "data",
            ErrorKind::Config => "config",
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownName => "unknown_name",
            ErrorKind::Type => "type",
            ErrorKind::Unit => "unit",
            ErrorKind::Cycle => "cycle",
            ErrorKind::Timeout => "timeout",
            ErrorKind::OperationLimit => "operation_limit",
            ErrorKind::MemoryLimit => "memory_limit",
            ErrorKind::DepthLimit => "depth_limit",
            ErrorKind::SizeLimit => "size_limit",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::Runtime => "runtime",
            ErrorKind::Usage => "usage",
            ErrorKind::Many => "many",
        }
    }

    /// The kind named `name` (as [`ErrorKind::name`] gives it).
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the problem shows without data: the same on every panel, so `yearbook
    /// check` reports it after evaluating on an empty one. Limits, thrown values and
    /// problems of particular values (a period not in the data) are not.
    pub fn is_static(self) -> bool {
        matches!(
            self,
            ErrorKind::Io
                | ErrorKind::Data
                | ErrorKind::Config
                | ErrorKind::Syntax
                | ErrorKind::UnknownName
                | ErrorKind::Type
                | ErrorKind::Unit
                | ErrorKind::Cycle
                | ErrorKind::Many
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A place in an input file or script: `source:line:column` (1-based; the column counts
/// fields for CSV, characters for TOML and scripts). `source` is a file path or a script's
/// name (`rules.x`, `indicators.y`, `<expr>`); `len` is how many characters the problem
/// spans, when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// File path or script name.
    pub source: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: Option<usize>,
    /// Characters the problem spans from `col`.
    pub len: Option<usize>,
}

/// The name input-file errors have used for a [`Span`].
pub type Location = Span;

impl Span {
    /// A place without a length.
    pub fn new(source: impl Into<String>, line: usize, col: Option<usize>) -> Self {
        Span { source: source.into(), line, col, len: None }
    }
    /// The same place, spanning `len` characters.
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = Some(len);
        self
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.col {
            Some(c) => write!(f, "{}:{}:{}", self.source, self.line, c),
            None => write!(f, "{}:{}", self.source, self.line),
        }
    }
}

/// A typed message without a place: what kernels, tables and native functions raise.
/// It becomes an [`Error`] (with the script's position) in `script::diagnostic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What kind of problem.
    pub kind: ErrorKind,
    /// The problem in plain words.
    pub message: String,
}

impl Fault {
    /// A fault of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Fault { kind, message: message.into() }
    }
    /// Units that do not go together.
    pub fn unit(message: impl Into<String>) -> Self {
        Fault::new(ErrorKind::Unit, message)
    }
    /// A name that is not known.
    pub fn unknown(message: impl Into<String>) -> Self {
        Fault::new(ErrorKind::UnknownName, message)
    }
    /// A value of the wrong type or shape.
    pub fn type_(message: impl Into<String>) -> Self {
        Fault::new(ErrorKind::Type, message)
    }
}

/// An untyped message is a runtime fault.
impl From<String> for Fault {
    fn from(message: String) -> Self {
        Fault::new(ErrorKind::Runtime, message)
    }
}

impl From<&str> for Fault {
    fn from(message: &str) -> Self {
        Fault::new(ErrorKind::Runtime, message)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fault {}

/// Everything that can go wrong in the library: a kind, where (if a place applies) and
/// what, in words. Displayed as `place: message`, or, for script errors, as the caret
/// display rendered when the error was made.
/// Boxed: a `Result` stays one pointer wide on its error side.
#[derive(Debug)]
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    span: Option<Span>,
    message: String,
    /// The display, when it is more than `span: message` (a script line with carets, a
    /// script name without a line). Rendered from the other fields and the script text.
    rendered: Option<String>,
    /// The operating system's error of an [`ErrorKind::Io`] error.
    io: Option<std::io::Error>,
    /// The problems of an [`ErrorKind::Many`] error.
    list: Vec<Error>,
}

/// An error's data without its display: what findings.json and other programs read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorDetail {
    /// What kind of problem.
    pub kind: ErrorKind,
    /// Where, when a place applies.
    pub span: Option<Span>,
    /// The problem in plain words (no place, no carets).
    pub message: String,
}

impl Error {
    /// An error of `kind` without a place.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner { kind, span: None, message: message.into(), rendered: None, io: None, list: Vec::new() }))
    }
    /// The same error at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.0.span = Some(span);
        self
    }
    /// The same error, displayed as `rendered` (see `script::diagnostic`).
    pub fn rendered_as(mut self, rendered: String) -> Self {
        self.0.rendered = Some(rendered);
        self
    }
    /// Something asked that cannot be done; no file position applies.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, message)
    }
    /// Bad data in an input file.
    pub fn data(at: Location, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Data, message).at(at)
    }
    /// Bad configuration.
    pub fn config(at: Location, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message).at(at)
    }
    /// A file that could not be read or written.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        let mut e = Error::new(ErrorKind::Io, format!("{}: {source}", path.into()));
        e.0.io = Some(source);
        e
    }
    /// One error, or all of them as one of kind [`ErrorKind::Many`]; None when the list
    /// is empty.
    pub fn all(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => {
                let mut e = Error::new(ErrorKind::Many, "");
                e.0.list = errors.into_iter().flat_map(Error::into_list).collect();
                Some(e)
            }
        }
    }
    /// The problems this error holds, one per entry.
    pub fn into_list(self) -> Vec<Error> {
        match self.0.kind {
            ErrorKind::Many => self.0.list,
            _ => vec![self],
        }
    }
    /// What kind of problem.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// Where, when a place applies.
    pub fn span(&self) -> Option<&Span> {
        self.0.span.as_ref()
    }
    /// The problem in plain words, without place or carets (empty for [`ErrorKind::Many`]).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The problems of an [`ErrorKind::Many`] error (empty for others).
    pub fn errors(&self) -> &[Error] {
        &self.0.list
    }
    /// Kind, span and message, for serialization.
    pub fn detail(&self) -> ErrorDetail {
        ErrorDetail { kind: self.0.kind, span: self.0.span.clone(), message: self.0.message.clone() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        if let Some(r) = &e.rendered {
            return f.write_str(r);
        }
        if e.kind == ErrorKind::Many {
            return f.write_str(&e.list.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n\n"));
        }
        match &e.span {
            Some(s) => write!(f, "{s}: {}", e.message),
            None => f.write_str(&e.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.io.as_ref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_names() {
        for k in ErrorKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::String(k.name().into()));
            assert_eq!(ErrorKind::from_name(k.name()), Some(k));
        }
        assert_eq!(ErrorKind::UnknownName.name(), "unknown_name");
    }

    #[test]
    fn display_is_place_then_message() {
        let e = Error::data(Location::new("facts.csv", 3, Some(2)), "bad");
        assert_eq!((e.to_string(), e.kind(), e.message()), ("facts.csv:3:2: bad".to_string(), ErrorKind::Data, "bad"));
        let e = Error::io("x.csv", std::io::Error::new(std::io::ErrorKind::NotFound, "gone"));
        assert_eq!(e.to_string(), "x.csv: gone");
        assert!(std::error::Error::source(&e).is_some());
        let many = Error::all(vec![Error::usage("a"), Error::all(vec![Error::usage("b"), Error::usage("c")]).unwrap()]).unwrap();
        assert_eq!((many.kind(), many.to_string()), (ErrorKind::Many, "a\n\nb\n\nc".to_string()));
        assert_eq!(many.into_list().len(), 3);
        assert!(Error::all(Vec::new()).is_none());
    }
}
