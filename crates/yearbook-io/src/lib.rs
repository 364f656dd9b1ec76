//! yearbook-io: what a workspace reads. The `yearbook.toml` schema (with spans for
//! file:line:col messages) and the loaders: CSV in UTF-8 or GBK, xlsx, header rows and
//! notes, period spellings, wide layouts, region codes, the parallel facts loader; and
//! the rule-test file schema (`tests/*.toml`).

#![warn(missing_docs)]

pub mod config;
pub mod load;
pub mod testfile;
