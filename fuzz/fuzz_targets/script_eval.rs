//! Any text as a script against the sample workspace, with tight limits: compiles and
//! evaluates or returns an error, never panics, never runs away.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

thread_local! {
    static WS: yearbook::Workspace = {
        let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/dayun");
        let dir = std::env::temp_dir().join(format!("yearbook-fuzz-script-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(&sample).unwrap().flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
        let cfg = std::fs::read_to_string(sample.join("yearbook.toml")).unwrap();
        let cfg = cfg.split("# ── The year-end report").next().unwrap().to_string()
            + "\n[limits]\nmax_operations = 200000\ntimeout_ms = 200\nmax_string_size = 10000\nmax_array_size = 10000\nmax_call_depth = 16\n";
        std::fs::write(dir.join("yearbook.toml"), cfg).unwrap();
        yearbook::Workspace::open(&dir.join("yearbook.toml"), None).unwrap()
    };
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        WS.with(|ws| {
            if let Ok(r) = ws.eval(text) {
                let _ = yearbook::output::render(&r.value, &Default::default(), Some(ws.panel()));
            }
        });
    }
});
