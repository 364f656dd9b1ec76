//! yearbook-cli: the `yearbook` command's interactive session (commands, completion
//! words, rustyline glue). The binary (`main.rs`) parses arguments and maps outcomes to
//! exit codes; everything else is the `yearbook` library.

pub mod repl;
