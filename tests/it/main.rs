//! All integration tests in one binary (one link step on 2 cores).

mod adders;
mod bounds;
mod common;
mod corpus;
mod crash;
mod derived_rules;
mod docs;
mod embed;
mod errors;
mod figure_units;
mod gaps_and_fractions;
mod growth_words;
mod history;
mod input_faults;
mod kernels;
mod ledger_rows;
mod loading;
mod lsp;
mod made_of;
mod marks_and_points;
mod missing_words;
mod monthly;
mod office_files;
#[cfg(feature = "parquet")]
mod parquet;
mod repl;
mod report;
mod report_rules;
mod rule_scope;
mod ruletests;
mod runs;
mod sample;
mod semantics;
mod silent_compare;
mod threads;
mod words;
