//! A run on all cores (issue 15): outputs byte-identical to a one-thread run, a cancel
//! token that stops every running evaluation, and derived indicators whose values do
//! not depend on which evaluation computed them first.

use crate::common::*;
use std::io::Write;
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Every file under `dir` (relative path, bytes), sorted.
fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Runs `config` with `threads` worker threads into `out`; the exit code.
fn run_with(config: &std::path::Path, out: &std::path::Path, threads: &str) -> i32 {
    let o = Command::new(env!("CARGO_BIN_EXE_yearbook"))
        .args(["run", "-c", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet", "--fail-on", "never"])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    o.status.code().unwrap_or(-1)
}

fn assert_same_outputs(config: &std::path::Path, dir: &std::path::Path) {
    let (one, many) = (dir.join("out1"), dir.join("out8"));
    assert_eq!(run_with(config, &one, "1"), run_with(config, &many, "8"), "same exit code");
    let (a, b) = (files(&one), files(&many));
    assert!(!a.is_empty());
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between 1 and 8 threads");
    }
}

#[test]
fn the_sample_run_is_byte_identical_on_one_thread_and_eight() {
    let ws = sample_copy(&[]);
    assert_same_outputs(&ws.path().join("yearbook.toml"), ws.path());
}

/// 3,000 towns, chains of derived indicators and a dozen rules (failing cells, rolled-up
/// rules, errors): every output file the same on 1 and 8 threads.
#[test]
fn a_larger_run_with_indicator_chains_is_byte_identical_on_one_thread_and_eight() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let mut r = std::io::BufWriter::new(std::fs::File::create(p.join("regions.csv")).unwrap());
    writeln!(r, "code,name,level,parent\np,P,province,").unwrap();
    for c in 0..30 {
        writeln!(r, "c{c},C{c},county,p").unwrap();
    }
    for t in 0..3000 {
        writeln!(r, "t{t},T{t},town,c{}", t % 30).unwrap();
    }
    drop(r);
    std::fs::write(p.join("indicators.csv"), "code,label,unit,kind,rollup\nx,X,万元,flow,sum\npop,人口,人,stock,sum\n").unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(p.join("facts.csv")).unwrap());
    writeln!(f, "region,year,indicator,value").unwrap();
    for t in 0..3000 {
        for y in 0..6 {
            if (t + y) % 17 != 0 {
                writeln!(f, "t{t},{},x,{}", 2015 + y, ((t * 37 + y * 11) % 101) as f64 - 20.0).unwrap();
            }
            writeln!(f, "t{t},{},pop,{}", 2015 + y, 1000 + (t * 13) % 500).unwrap();
        }
    }
    drop(f);
    let mut toml = String::from(
        "[workspace]\nlevels = [\"province\", \"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n\n",
    );
    toml.push_str("[indicators.a]\nexpr = \"x * 2\"\nrollup = \"sum\"\n");
    toml.push_str("[indicators.b]\nexpr = \"a + x\"\nrollup = \"sum\"\n");
    toml.push_str("[indicators.c]\nexpr = \"per_capita(b, pop)\"\n");
    toml.push_str("[indicators.d]\nexpr = \"pct(yoy(x))\"\n");
    toml.push_str("[indicators.e]\nexpr = \"c * 1000 + d\"\n");
    toml.push_str("[indicators.broken]\nexpr = \"x + pop\"\n");
    for k in 0..10 {
        toml.push_str(&format!(
            "[rules.r{k}]\ncheck = \"b < {}\"\nmessage = \"{{region}} {{period}}: b {{b}}\"\nvalues = {{ b = \"b\" }}\n",
            k * 30
        ));
    }
    toml.push_str("[rules.county]\ncheck = \"rollup(x, \\\"county\\\") < 1000\"\nseverity = \"warning\"\n");
    toml.push_str("[rules.growth]\ncheck = \"d > -50\"\nmissing = \"zero\"\n");
    toml.push_str("[rules.fails_to_evaluate]\ncheck = \"broken > 0\"\n");
    std::fs::write(p.join("yearbook.toml"), toml).unwrap();
    assert_same_outputs(&p.join("yearbook.toml"), p);
}

/// Rules that would loop for a minute: a cancel token set from another thread stops
/// every one of them (all running at once), each recorded as interrupted.
#[test]
fn the_cancel_token_stops_every_running_evaluation() {
    let mut toml = std::fs::read_to_string(sample_config()).unwrap();
    toml = toml.replace("[report]", "[limits]\nmax_operations = 0\ntimeout_ms = 60000\n\n[report]");
    toml = format!("scripts = [\"spin.rhai\"]\n{toml}");
    for k in 0..4 {
        toml.push_str(&format!("\n[rules.spin{k}]\nfunction = \"spin\"\n"));
    }
    let spin = "fn spin() { let i = 0; loop { i += 1; } }\n";
    let dir = sample_copy(&[("yearbook.toml", toml.as_bytes()), ("spin.rhai", spin.as_bytes())]);
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let token = ws.cancel_token();
    let t = Instant::now();
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(500));
            token.store(true, Ordering::Relaxed);
        });
        ws.run(&Default::default()).unwrap()
    });
    assert!(t.elapsed() < Duration::from_secs(30), "stopped long before the time limit: {:?}", t.elapsed());
    for k in 0..4 {
        let r = result.rules.iter().find(|r| r.rule == format!("spin{k}")).unwrap();
        let e = r.error.as_deref().unwrap_or_default();
        assert!(e.contains("interrupted"), "spin{k}: {e}");
        assert_eq!(r.error_detail.as_ref().map(|d| d.kind), Some(yearbook::error::ErrorKind::Interrupted), "spin{k}");
    }
    // The next operation starts with the token cleared.
    assert_eq!(ws.eval("1 + 1").unwrap().value.as_int().unwrap(), 2);
}

/// A rule under `missing = "zero"` that reads a derived indicator first does not change
/// that indicator: it is computed in its own evaluation, not under the rule's policy.
#[test]
fn a_derived_indicator_does_not_take_the_missing_policy_of_the_rule_that_computed_it() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,10\nt2,2021,gdp,\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[indicators.twice]\nexpr = \"gdp * 2\"\nrollup = \"sum\"\n\
         [rules.z]\ncheck = \"twice >= 0\"\nmissing = \"zero\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    // The rule computes `twice` first (nothing computed it before).
    let rule = &ws.program.rules[0];
    yearbook::run::evaluate(&ws, rule, None).unwrap();
    let at = |e: &str| ws.eval(e).unwrap().value.as_number().unwrap();
    let t2 = at("at(twice, \"t2\", 2021)");
    assert!(t2.is_nan(), "乙镇 has no gdp: twice stays missing, not 0 (got {t2})");
    assert_eq!(at("at(twice, \"t1\", 2021)"), 20.0);
}

/// A copy of the sample with `lib.rhai` and extra TOML.
fn sample_with(lib: &str, extra: &str) -> tempfile::TempDir {
    let mut toml = std::fs::read_to_string(sample_config()).unwrap();
    toml = format!("scripts = [\"lib.rhai\"]\n{toml}\n{extra}");
    sample_copy(&[("yearbook.toml", toml.as_bytes()), ("lib.rhai", lib.as_bytes())])
}

/// Indicators read inside script functions count as uses: the one read is computed
/// first (so every reader reports the same failure, naming it, on any number of threads).
#[test]
fn indicators_read_inside_functions_are_computed_first_on_any_number_of_threads() {
    let lib = "fn spin(n) { let s = 0; for i in 0..n { s += i; } s }\n\
               fn boom() { spin(20000); throw \"boom\"; }\n\
               fn reader() { spin(10000); z_fail + gdp }\n\
               fn reader2() { z_fail * 2 }\n";
    let extra = "[indicators.a_reader]\nunit = \"亿元\"\nfunction = \"reader\"\n\
                 [indicators.m_reader]\nunit = \"亿元\"\nfunction = \"reader2\"\n\
                 [indicators.z_fail]\nunit = \"亿元\"\nfunction = \"boom\"\n\
                 [rules.ra]\ncheck = \"a_reader > 0\"\n[rules.rm]\ncheck = \"m_reader > 0\"\n";
    let dir = sample_with(lib, extra);
    assert_same_outputs(&dir.path().join("yearbook.toml"), dir.path());
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let r = ws.run(&Default::default()).unwrap();
    for id in ["a_reader", "m_reader"] {
        let e = r.indicators.iter().find(|i| i.id == id).unwrap().error.clone().unwrap_or_default();
        assert!(e.contains("indicator `z_fail` failed") && e.contains("boom"), "{id}: {e}");
    }
}

/// Two indicators that read each other inside functions form a cycle: refused when the
/// config compiles, before any data is evaluated.
#[test]
fn a_cycle_through_functions_is_found_when_the_config_compiles() {
    let lib = "fn x_fn() { y_ind + gdp }\nfn y_fn() { let local = 1; x_ind + gdp * local }\nfn unused() { let x_ind = 1; x_ind }\n";
    let extra = "[indicators.x_ind]\nunit = \"亿元\"\nfunction = \"x_fn\"\n[indicators.y_ind]\nunit = \"亿元\"\nfunction = \"y_fn\"\n";
    let dir = sample_with(lib, extra);
    let e = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(e.contains("indicators form a cycle: x_ind -> y_ind -> x_ind"), "{e}");
    // A function's own `let` of the same name is not a use.
    let extra = "[indicators.x_ind]\nunit = \"亿元\"\nfunction = \"unused\"\n";
    let dir = sample_with(lib, extra);
    let e = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(!e.contains("cycle"), "{e}");
}
