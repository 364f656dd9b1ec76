//! Any bytes as yearbook.toml: parse errors, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = yearbook::config::ConfigFile::parse(std::path::Path::new("fuzz/yearbook.toml"), text);
});
