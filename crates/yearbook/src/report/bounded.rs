//! A bounded sink for report templates: output size and wall time are checked on every
//! write, so a runaway loop ends with a located error instead of gigabytes.

use std::io::Write;
use std::time::{Duration, Instant};

/// Why rendering stopped.
pub enum Stop {
    /// An error of the template itself (syntax, unknown name, out of fuel).
    Template(minijinja::Error),
    /// A size or time limit: (line, if known; message).
    Limit(Option<usize>, String),
}

pub struct Output {
    buf: Vec<u8>,
    max_bytes: usize,
    deadline: Instant,
    timeout_ms: u64,
    over: Option<String>,
}

impl Output {
    pub fn new(max_bytes: usize, timeout_ms: u64) -> Output {
        Output { buf: Vec::new(), max_bytes, deadline: Instant::now() + Duration::from_millis(timeout_ms), timeout_ms, over: None }
    }

    /// The text rendered, or why it stopped (the line from minijinja's error when it has one).
    pub fn finish(self, res: Result<(), minijinja::Error>) -> Result<String, Stop> {
        match (res, self.over) {
            (Err(e), Some(why)) => Err(Stop::Limit(e.line(), why)),
            (Err(e), None) => Err(Stop::Template(e)),
            (Ok(()), Some(why)) => Err(Stop::Limit(None, why)),
            (Ok(()), None) => Ok(String::from_utf8_lossy(&self.buf).into_owned()),
        }
    }
}

impl Write for Output {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + b.len() > self.max_bytes {
            self.over =
                Some(format!("stopped: the report grew past {} bytes (limits.max_report_bytes); is a loop too large?", self.max_bytes));
        } else if Instant::now() > self.deadline {
            self.over = Some(format!("stopped: the section took longer than the time limit of {} ms (limits.timeout_ms)", self.timeout_ms));
        }
        if self.over.is_some() {
            return Err(std::io::Error::other("report limit"));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
