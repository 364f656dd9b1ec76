//! Crash safety: `kill -9` a run while it works and writes; the previous outputs stay
//! intact and readable, and the next run succeeds.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

fn workspace(towns: usize, years: usize, bump: f64) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let mut r = std::io::BufWriter::new(std::fs::File::create(p.join("regions.csv")).unwrap());
    writeln!(r, "code,name,level,parent\np,P,province,").unwrap();
    for c in 0..10 {
        writeln!(r, "c{c},C{c},county,p").unwrap();
    }
    for t in 0..towns {
        writeln!(r, "t{t},T{t},town,c{}", t % 10).unwrap();
    }
    drop(r);
    std::fs::write(p.join("indicators.csv"), "code,label,unit\nx,X,万元\n").unwrap();
    write_facts(p, towns, years, bump);
    std::fs::write(
        p.join("yearbook.toml"),
        "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\n[rules.always_fails]\ncheck = \"x > 1e12\"\nmessage = \"{region} {period}: {x}\"\nvalues = { x = \"x\" }\n",
    )
    .unwrap();
    d
}

fn write_facts(p: &std::path::Path, towns: usize, years: usize, bump: f64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(p.join("facts.csv")).unwrap());
    writeln!(f, "region,year,indicator,value").unwrap();
    for t in 0..towns {
        for y in 0..years {
            writeln!(f, "t{t},{},x,{}", 2000 + y, (t * 7 + y) as f64 + bump).unwrap();
        }
    }
}

fn run(ws: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yearbook"));
    c.args(["run", "-c", ws.join("yearbook.toml").to_str().unwrap(), "--out", ws.join("out").to_str().unwrap(), "--quiet"]);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

#[test]
fn kill_9_leaves_previous_outputs_intact() {
    let ws = workspace(12_000, 4, 0.0);
    let out = ws.path().join("out");
    let t0 = Instant::now();
    assert_eq!(run(ws.path()).status().unwrap().code(), Some(1), "the first run completes (its rule fails everywhere)");
    let full = t0.elapsed();
    let files = ["findings.json", "findings.csv", "summary.csv", "summary.md"];
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect();
    assert!(before[0].len() > 1_000_000, "a findings file large enough to be caught mid-write");
    // New data, so that a finished run would change every file.
    write_facts(ws.path(), 12_000, 4, 0.5);
    let steps = 8;
    let mut killed_midway = 0;
    for i in 0..steps {
        let mut child = run(ws.path()).spawn().unwrap();
        std::thread::sleep(full.mul_f64(0.3 + 0.8 * i as f64 / steps as f64));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for (f, old) in files.iter().zip(&before) {
            let now = std::fs::read(out.join(f)).unwrap();
            if !finished && now == *old {
                continue;
            }
            // Either untouched, or a complete new file: never half of one.
            if f.ends_with(".json") {
                let v: serde_json::Value =
                    serde_json::from_slice(&now).unwrap_or_else(|e| panic!("{f} unreadable after kill at step {i}: {e}"));
                assert!(v["findings"].as_array().unwrap().len() == 48_000, "{f} incomplete");
            } else {
                assert!(now.ends_with(b"\n"), "{f} cut short");
            }
        }
        if !finished {
            killed_midway += 1;
        }
        if finished {
            write_facts(ws.path(), 12_000, 4, 0.5 + i as f64);
        }
    }
    assert!(killed_midway > 0, "no run was killed midway: the test did not test anything");
    assert_eq!(run(ws.path()).status().unwrap().code(), Some(1), "the next run succeeds");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("findings.json")).unwrap()).unwrap();
    assert_eq!(v["rules"][0]["fails"], 48_000);
}

#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    // `yearbook eval ... | head -1`: the reader goes away; the program must end (as other
    // command-line tools do, by SIGPIPE) without the panic println! raises.
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yearbook"))
        .args(["eval", "-c", crate::common::sample_config().to_str().unwrap(), "for i in 0..200000 { print(`line ${i}`) } 1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut first = [0u8; 6];
    child.stdout.take().expect("piped").read_exact(&mut first).expect("reads");
    assert_eq!(&first, b"line 0");
    // The read end is closed when the handle drops above.
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panic"), "{stderr}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?} {stderr}", out.status);
}
