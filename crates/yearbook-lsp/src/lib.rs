//! `yearbook lsp`: a language server over stdio for a workspace's `yearbook.toml` and its
//! `.rhai` scripts. Diagnostics as `yearbook check` gives them, placed at the line and
//! column of the script inside the TOML string or the script file; completion of
//! functions, indicators, regions, levels, tables and columns (and, inside a string
//! argument, the words that function takes); hover with a function's signature and doc or
//! an indicator's label, unit and roll-up; go to definition of script functions and
//! derived indicators.
//!
//! ```no_run
//! yearbook_lsp::serve_stdio().unwrap();
//! ```

#![warn(missing_docs)]

mod analysis;
mod completion;
mod cursor;
mod definition;
mod embedded;
mod hover;
mod server;
mod text;
mod transport;
mod uri;

pub use server::{serve, serve_stdio};
