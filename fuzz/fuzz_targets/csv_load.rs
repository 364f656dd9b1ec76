//! Any bytes as the sample's facts.csv (fast parallel path and the quoted fallback):
//! the workspace loads or says what is wrong, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn workspace() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("yearbook-fuzz-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/dayun");
        for f in ["regions.csv", "indicators.csv", "reported_growth.csv", "targets.csv", "projects.csv"] {
            std::fs::copy(sample.join(f), dir.join(f)).unwrap();
        }
        let cfg = std::fs::read_to_string(sample.join("yearbook.toml")).unwrap();
        // The sample's config without its rules and report: only loading is fuzzed here.
        let data_part = cfg.split("# ── Indicators").next().unwrap().to_string();
        std::fs::write(dir.join("yearbook.toml"), data_part).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = workspace();
    std::fs::write(dir.join("facts.csv"), data).unwrap();
    if let Ok(ws) = yearbook::Workspace::open(&dir.join("yearbook.toml"), None) {
        let _ = ws.eval("sum(gdp)");
    }
});
