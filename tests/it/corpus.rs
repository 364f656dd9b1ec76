//! The bad-input corpus (tests/bad/<case>/): each case overlays files on the sample
//! workspace, runs the CLI, and expects an exit code and a message (file and line, or
//! script position, and the cause). Repairs are cases that succeed. No case may panic.

use crate::common::*;

#[test]
fn every_bad_input_gets_its_message_and_exit_code() {
    let dir = root().join("tests/bad");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 50, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(case.join("case.json")).unwrap()).unwrap();
        let overlay: Vec<(String, Vec<u8>)> = std::fs::read_dir(case)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name() != "case.json")
            .map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap()))
            .collect();
        let refs: Vec<(&str, &[u8])> = overlay.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let ws = sample_copy(&refs);
        let cfg = ws.path().join("yearbook.toml");
        let mut args: Vec<String> =
            spec["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().replace("OUT", ws.path().to_str().unwrap())).collect();
        args.insert(1, "-c".into());
        args.insert(2, cfg.to_string_lossy().into());
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = cli(&argv);
        let want_code = spec["exit"].as_i64().unwrap() as i32;
        let want = spec["stderr"].as_str().unwrap();
        let seen = if want_code == 0 { &out } else { &err };
        if err.contains("panicked") || code == 101 {
            failures.push(format!("{name}: PANIC\n{err}"));
        } else if code != want_code || !seen.contains(want) {
            failures.push(format!("{name}: exit {code} (want {want_code}); want {want:?} in\n{seen}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n---\n"));
}
