//! Runs over time (issue 17): the history across runs with revised facts, `diff`,
//! explanations (soft vs hard rules, exit codes, stale ones), `previous()`, two runs at
//! once, and kill -9 during a run.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn s(p: &Path) -> &'static str {
    p.to_str().unwrap().to_owned().leak()
}

/// `yearbook run` on a copy of the sample; returns (exit code, stderr).
fn run(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["run", "-c", s(&dir.join("yearbook.toml")), "--out", s(&dir.join("out"))];
    args.extend_from_slice(extra);
    let (code, _, err) = cli(&args);
    (code, err)
}

fn findings(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/findings.json")).unwrap()).unwrap()
}

fn diff(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["diff", "-c", s(&dir.join("yearbook.toml")), "--out", s(&dir.join("out"))];
    args.extend_from_slice(extra);
    let (code, out, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    out
}

fn set_fact(file: &Path, line_start: &str, new_line: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut found = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(line_start) {
                found = true;
                new_line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(found, "{line_start} in {}", file.display());
    std::fs::write(file, out.join("\n") + "\n").unwrap();
}

#[test]
fn three_runs_with_revised_facts_keep_only_changed_cells() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    assert_eq!(run(d, &["--vintage", "初步核算"]).0, 0);
    assert!(d.join("out.history.sqlite").is_file(), "the history sits beside the output folder");
    assert_eq!(run(d, &["--vintage", "最终核实", "--data", s(&d.join("final"))]).0, 0);
    // A third delivery revises GDP once more.
    set_fact(&d.join("final/facts.csv"), "dayun,2008,gdp,", "dayun,2008,gdp,8.25,");
    assert_eq!(run(d, &["--data", s(&d.join("final"))]).0, 0);
    let (code, out, err) = cli(&["history", "-c", s(&d.join("yearbook.toml")), "--out", s(&d.join("out"))]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Vec<&str>> = out.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    // run, date, vintage, period, findings, changed facts: all 53 facts, then the 2 and the 1 revised.
    let cols: Vec<(&str, &str, &str, &str, &str)> = rows.iter().map(|r| (r[0], r[2], r[3], r[4], r[5])).collect();
    assert_eq!(
        cols,
        vec![("1", "初步核算", "2008", "2", "53"), ("2", "最终核实", "2008", "3", "2"), ("3", "-", "2008", "3", "1")],
        "{out}"
    );
    // Diff of the last two: only GDP, 8.2 -> 8.25.
    let j: Value = serde_json::from_str(&diff(d, &["--format", "json"])).unwrap();
    assert_eq!(j["from"]["run"], 2);
    assert_eq!(j["to"]["run"], 3);
    let rev = j["revised"].as_array().unwrap();
    assert_eq!(rev.len(), 1, "{j}");
    assert_eq!(
        (rev[0]["indicator"].as_str(), rev[0]["region"].as_str(), rev[0]["period"].as_str()),
        (Some("gdp"), Some("dayun"), Some("2008"))
    );
    assert_eq!((rev[0]["old"].as_f64(), rev[0]["new"].as_f64(), rev[0]["change"].as_f64()), (Some(8.2), Some(8.25), Some(0.05)));
    assert!(j["new_findings"].as_array().unwrap().is_empty() && j["resolved_findings"].as_array().unwrap().is_empty());
    // Run 1 against run 3: GDP 7.75 -> 8.25 (+6.45%), coverage 20 -> 100.5, one new warning.
    let j: Value = serde_json::from_str(&diff(d, &["1", "3", "--format", "json"])).unwrap();
    let rev = j["revised"].as_array().unwrap();
    let got: Vec<(&str, f64, f64)> =
        rev.iter().map(|r| (r["indicator"].as_str().unwrap(), r["old"].as_f64().unwrap(), r["new"].as_f64().unwrap())).collect();
    assert_eq!(got, vec![("gdp", 7.75, 8.25), ("green_coverage_town", 20.0, 100.5)]);
    assert!((rev[0]["change_pct"].as_f64().unwrap() - 0.5 / 7.75 * 100.0).abs() < 1e-9);
    let new: Vec<&str> = j["new_findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(new, vec!["coverage_rates_in_range"]);
    assert_eq!((j["from"]["vintage"].as_str(), j["to"]["vintage"].as_str()), (Some("初步核算"), Some("")));
}

#[test]
fn diff_prints_a_table_and_csv_and_the_report_compares_with_the_last_run() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    assert_eq!(run(d, &["--vintage", "初步核算"]).0, 0);
    let first_report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(!first_report.contains("与上次核查相比"), "a first run has nothing to compare with");
    assert_eq!(run(d, &["--vintage", "最终核实", "--data", s(&d.join("final"))]).0, 0);
    let table = diff(d, &[]);
    assert_eq!(
        table,
        "run 1 (初步核算) -> run 2 (最终核实)\n\
         \nnew findings (1)\n\
         rule                     severity  region          period  message\n\
         coverage_rates_in_range  warning   大云镇 (dayun)  2008    大云镇 2008: 覆盖率、普及率在0至100%之间 (value 100.5%)\n\
         \nresolved findings (0)\n\
         \nrevised figures (2)\n\
         region          period  indicator            old -> new   change  change %  unit  vintages\n\
         大云镇 (dayun)  2008    gdp                  7.75 -> 8.2  0.45    +5.81%    亿元  初步核算 -> 最终核实\n\
         大云镇 (dayun)  2008    green_coverage_town  20 -> 100.5  80.5    +402.50%  %     初步核算 -> 最终核实\n\
         \nnew figures (0)\n"
    );
    let csv = diff(d, &["--format", "csv"]);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "kind,rule,region,region_name,period,indicator,old,new,change,change_pct,unit,old_vintage,new_vintage,message");
    assert_eq!(lines[2], "revised,,dayun,大云镇,2008,gdp,7.75,8.2,0.45,5.8065,亿元,初步核算,最终核实,");
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(
        report.contains("## 与上次核查相比\n\n与第1次核查（初步核算）相比（本次：最终核实）：新增问题1条，已解决0条，修订数据2项。"),
        "{report}"
    );
    assert!(report.contains("| 大云镇 | 2008 | 地区生产总值 | 7.75 | 8.2 | 0.45 | 5.81% |"), "{report}");
}

#[test]
fn a_run_reports_the_findings_resolved_since_the_last_with_their_messages() {
    // The final figures (coverage 100.5%: a warning), then the first ones again: the
    // warning is resolved. The run reads the earlier findings' identities and the whole
    // finding only for the resolved one; `diff` reads both runs whole: the same answer.
    let ws = sample_copy(&[]);
    let d = ws.path();
    assert_eq!(run(d, &["--data", s(&d.join("final"))]).0, 0);
    assert_eq!(run(d, &[]).0, 0);
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    let message = "大云镇 2008: 覆盖率、普及率在0至100%之间 (value 100.5%)";
    assert!(report.contains("与第1次核查相比：新增问题0条，已解决1条，修订数据2项。"), "{report}");
    assert!(report.contains(&format!("### 已解决（1）\n\n- {message}\n")), "{report}");
    let j: Value = serde_json::from_str(&diff(d, &["--format", "json"])).unwrap();
    let gone = j["resolved_findings"].as_array().unwrap();
    assert_eq!(gone.len(), 1, "{j}");
    let f = &gone[0];
    assert_eq!(
        (f["rule"].as_str(), f["severity"].as_str(), f["region"].as_str(), f["region_name"].as_str(), f["period"].as_str()),
        (Some("coverage_rates_in_range"), Some("warning"), Some("dayun"), Some("大云镇"), Some("2008"))
    );
    assert_eq!(f["message"].as_str(), Some(message));
    assert!(j["new_findings"].as_array().unwrap().is_empty(), "{j}");
    // `history` counts each run's findings: 3 with the warning, then 2.
    let (code, out, err) = cli(&["history", "-c", s(&d.join("yearbook.toml")), "--out", s(&d.join("out"))]);
    assert_eq!(code, 0, "{err}");
    let counts: Vec<&str> = out.lines().skip(1).map(|l| l.split_whitespace().nth(4).unwrap()).collect();
    assert_eq!(counts, vec!["3", "2"], "{out}");
}

#[test]
fn recording_changes_none_of_the_outputs() {
    // The same bytes from a first run and from a first run into another history; a second
    // run of the same figures differs only in the report's section 与上次核查相比.
    let ws = sample_copy(&[]);
    let d = ws.path();
    let cfg = s(&d.join("yearbook.toml"));
    assert_eq!(run(d, &[]).0, 0);
    let files = ["findings.json", "findings.csv", "summary.csv", "summary.md", "report.md"];
    let first: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(d.join("out").join(f)).unwrap()).collect();
    let (code, _, err) = cli(&["run", "-c", cfg, "--out", s(&d.join("plain")), "--history", s(&d.join("other.sqlite"))]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(d, &[]).0, 0);
    let read = |p: std::path::PathBuf| String::from_utf8(std::fs::read(p).unwrap()).unwrap();
    for (f, bytes) in files.iter().zip(&first) {
        let bytes = String::from_utf8(bytes.clone()).unwrap();
        assert!(read(d.join("plain").join(f)) == bytes, "{f} differs between two first runs");
        if *f != "report.md" {
            assert!(read(d.join("out").join(f)) == bytes, "{f} differs on a second run of the same figures");
        }
    }
    assert!(!String::from_utf8_lossy(&first[0]).contains("explanation"));
    assert!(!String::from_utf8_lossy(&first[4]).contains("与上次核查相比"));
    // The second run's report compares: nothing new, nothing revised.
    let report = read(d.join("out/report.md"));
    assert!(report.contains("与第1次核查相比：新增问题0条，已解决0条，修订数据0项。"), "{report}");
}

#[test]
fn explained_soft_findings_do_not_fail_the_run_and_hard_ones_cannot_be_explained() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    let final_data = s(&d.join("final"));
    assert_eq!(run(d, &["--data", final_data, "--fail-on", "warning"]).0, 1, "the coverage warning fails at --fail-on warning");
    let cfg = s(&d.join("yearbook.toml"));
    let (code, _, err) =
        cli(&["accept", "-c", cfg, "coverage_rates_in_range", "大云镇", "2008", "-m", "含新建公园，经现场核实", "--by", "王芳"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(d.join("explanations.csv")).unwrap();
    let today = &text.lines().nth(1).unwrap().rsplit(',').next().unwrap().to_string();
    assert_eq!(
        text,
        format!("rule,region,period,explanation,by,date\ncoverage_rates_in_range,dayun,2008,含新建公园，经现场核实,王芳,{today}\n")
    );
    let (code, err) = run(d, &["--data", final_data, "--fail-on", "warning"]);
    assert_eq!(code, 0, "explained: not counted by --fail-on: {err}");
    let j = findings(d);
    let f = j["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "coverage_rates_in_range").unwrap();
    assert_eq!(f["explanation"], serde_json::json!({"text": "含新建公园，经现场核实", "by": "王芳", "date": today, "stale": false}));
    let md = std::fs::read_to_string(d.join("out/summary.md")).unwrap();
    assert!(md.contains(&format!("  - explained (王芳, {today}): 含新建公园，经现场核实\n")), "{md}");
    let csv = std::fs::read_to_string(d.join("out/findings.csv")).unwrap();
    assert!(csv.contains(&format!(",含新建公园，经现场核实,王芳,{today},false")), "{csv}");
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(report.contains(&format!("（已说明：含新建公园，经现场核实——王芳，{today}）")), "{report}");
    // A hard rule (an error, by default) cannot be explained away: `accept` refuses, and
    // a line written by hand stops the run with its place.
    let (code, _, err) = cli(&["accept", "-c", cfg, "output_balance", "dayun", "2008", "-m", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("rule `output_balance` is hard"), "{err}");
    let mut text = std::fs::read_to_string(d.join("explanations.csv")).unwrap();
    text.push_str("output_balance,dayun,2008,分项口径不同,李四,2024-03-05\n");
    std::fs::write(d.join("explanations.csv"), text).unwrap();
    let (code, err) = run(d, &["--data", final_data]);
    assert_eq!(code, 2);
    assert!(err.contains("explanations.csv:3") && err.contains("is hard"), "{err}");
    // An unknown rule names the closest one.
    std::fs::write(d.join("explanations.csv"), "rule,region,period,explanation,by,date\ncoverage_rate_in_range,dayun,2008,x,y,z\n")
        .unwrap();
    let (code, err) = run(d, &["--data", final_data]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `coverage_rate_in_range`") && err.contains("coverage_rates_in_range"), "{err}");
}

#[test]
fn an_explanation_whose_figure_changes_is_stale_and_counts_again() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    let final_data = s(&d.join("final"));
    std::fs::write(
        d.join("explanations.csv"),
        "rule,region,period,explanation,by,date\ncoverage_rates_in_range,dayun,2008,含新建公园,王芳,2024-03-05\n",
    )
    .unwrap();
    assert_eq!(run(d, &["--data", final_data, "--fail-on", "warning"]).0, 0);
    // The same figure again: still explained.
    assert_eq!(run(d, &["--data", final_data, "--fail-on", "warning"]).0, 0);
    set_fact(&d.join("final/facts.csv"), "dayun,2008,green_coverage_town,", "dayun,2008,green_coverage_town,101,");
    let (code, err) = run(d, &["--data", final_data, "--fail-on", "warning"]);
    assert_eq!(code, 1, "a stale explanation no longer excuses the finding");
    assert!(err.contains("explanation of coverage_rates_in_range dayun 2008 is stale"), "{err}");
    let j = findings(d);
    let f = j["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "coverage_rates_in_range").unwrap();
    assert_eq!(f["explanation"]["stale"], true);
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(report.contains("（说明已过时，数据已变动：含新建公园——王芳，2024-03-05）"), "{report}");
    // Explained again (a new line): current again.
    let (code, _, err) = cli(&["accept", "-c", s(&d.join("yearbook.toml")), "coverage_rates_in_range", "dayun", "2008", "-m", "复核无误"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(d, &["--data", final_data, "--fail-on", "warning"]).0, 0);
}

#[test]
fn previous_and_vintage_give_earlier_figures_to_rules() {
    let extra = "\n[rules.gdp_revision_explained]\ndescription = \"GDP修订超过5%需说明\"\nseverity = \"warning\"\ncheck = \"abs(gdp / previous(gdp) - 1) <= 0.05\"\nmessage = \"{region}{period}年GDP由{before}修订为{after}\"\nvalues = { before = \"previous(gdp)\", after = \"gdp\" }\n";
    let toml = std::fs::read_to_string(sample_config()).unwrap() + extra;
    let ws = sample_copy(&[("yearbook.toml", toml.as_bytes())]);
    let d = ws.path();
    assert_eq!(run(d, &["--vintage", "初步核算", "--fail-on", "warning"]).0, 0, "first run: no earlier figure, not evaluable");
    let j = findings(d);
    let r = j["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "gdp_revision_explained").unwrap();
    assert_eq!((r["items"].as_u64(), r["not_evaluable"].as_u64()), (Some(1), Some(1)));
    assert_eq!(run(d, &["--vintage", "最终核实", "--data", s(&d.join("final")), "--fail-on", "warning"]).0, 1);
    let j = findings(d);
    let f = j["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "gdp_revision_explained").unwrap();
    assert_eq!(f["message"], "大云镇2008年GDP由7.75亿元修订为8.2亿元");
    // vintage(): the latest run of that vintage, from eval as well as from rules.
    let toml = toml.replace(
        "[rules.gdp_revision_explained]",
        "[rules.against_preliminary]\nseverity = \"info\"\ncheck = \"note(gdp - vintage(gdp, \\\"初步核算\\\"))\"\nmessage = \"{value}\"\n\n[rules.gdp_revision_explained]",
    );
    std::fs::write(d.join("yearbook.toml"), toml).unwrap();
    assert_eq!(run(d, &["--data", s(&d.join("final")), "--fail-on", "never"]).0, 0);
    let j = findings(d);
    let f = j["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "against_preliminary").unwrap();
    assert!((f["values"]["value"]["value"].as_f64().unwrap() - 0.45).abs() < 1e-12, "{f}");
}

#[test]
fn two_runs_at_once_both_record() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    let h = d.join("shared.sqlite");
    let spawn = |out: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_yearbook"))
            .args(["run", "-c", s(&d.join("yearbook.toml")), "--out", s(&d.join(out)), "--history", s(&h)])
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|sc| {
        let a = sc.spawn(|| spawn("a"));
        let b = sc.spawn(|| spawn("b"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(
        (a.status.code(), b.status.code()),
        (Some(0), Some(0)),
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    let (code, out, err) = cli(&["history", "-c", s(&d.join("yearbook.toml")), "--history", s(&h)]);
    assert_eq!(code, 0, "{err}");
    let changed: Vec<&str> = out.lines().skip(1).map(|l| l.split_whitespace().nth(5).unwrap()).collect();
    // Whichever recorded first stored all 53 facts; the other found nothing changed.
    assert_eq!(changed, vec!["53", "0"], "{out}");
}

#[test]
fn a_history_that_is_not_a_database_is_a_clear_error() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    std::fs::write(
        d.join("out.history.sqlite"),
        "this is a note, not a database; it is long enough to be read as a header page ".repeat(10),
    )
    .unwrap();
    let (code, err) = run(d, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("out.history.sqlite") && err.contains("not a readable history database") && err.contains("move it aside"),
        "{err}"
    );
}

#[test]
fn kill_9_during_a_run_leaves_the_history_intact() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    assert_eq!(run(d, &["--vintage", "初步核算"]).0, 0);
    // A rule that spins for two minutes: the run is killed while it evaluates.
    let toml = format!(
        "scripts = [\"spin.rhai\"]\n{}\n[limits]\nmax_operations = 0\n\n[rules.slow]\nfunction = \"spin\"\ntimeout_ms = 120000\n",
        std::fs::read_to_string(d.join("yearbook.toml")).unwrap()
    );
    let slow = d.join("slow.toml");
    std::fs::write(&slow, toml).unwrap();
    std::fs::write(d.join("spin.rhai"), "fn spin() { loop {} }\n").unwrap();
    // The slow config is another workspace file: give it the same history file.
    let h = d.join("out.history.sqlite");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_yearbook"))
        .args(["run", "-c", s(&slow), "--out", s(&d.join("out")), "--history", s(&h), "--data", s(&d.join("final"))])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "still running when killed");
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    let (code, out, err) = cli(&["history", "-c", s(&d.join("yearbook.toml")), "--out", s(&d.join("out"))]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "only the first run: {out}");
    assert_eq!(run(d, &["--vintage", "最终核实", "--data", s(&d.join("final"))]).0, 0, "the next run works");
    let j: Value = serde_json::from_str(&diff(d, &["--format", "json"])).unwrap();
    assert_eq!(j["revised"].as_array().unwrap().len(), 2);
}

/// A panel with more cells than `[history] max_fact_cells` records its findings and
/// counts but not its figures: quick and small on a large panel, and `diff` says the
/// figures were not compared instead of showing none as revised.
#[test]
fn a_run_over_max_fact_cells_records_no_figures_and_diff_says_so() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    let cfg = std::fs::read_to_string(d.join("yearbook.toml")).unwrap();
    std::fs::write(d.join("yearbook.toml"), format!("{cfg}\n[history]\nmax_fact_cells = 10\n")).unwrap();
    assert_eq!(run(d, &[]).0, 0);
    assert_eq!(run(d, &["--data", s(&d.join("final"))]).0, 0);
    let out = diff(d, &[]);
    assert!(out.contains("figures not compared: run 1 loaded more than [history] max_fact_cells cells and recorded none"), "{out}");
    assert!(!out.contains("revised figures"), "{out}");
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(report.contains("数据修订未比较"), "{report}");
    // previous() has nothing to give: missing, never the figures of an older run.
    std::fs::write(
        d.join("yearbook.toml"),
        format!("{cfg}\n[history]\nmax_fact_cells = 10\n\n[rules.revised]\nseverity = \"info\"\ncheck = \"note(previous(gdp))\"\n"),
    )
    .unwrap();
    assert_eq!(run(d, &[]).0, 0);
    let f = findings(d);
    let notes = f["findings"].as_array().unwrap().iter().filter(|x| x["rule"] == "revised").count();
    assert_eq!(notes, 0, "{f}");
}

#[test]
fn a_yearly_target_revised_is_one_revised_figure() {
    // An `annual = true` target holds in every month of its year: revised from 150 to 160
    // it was twelve revised figures (2025-01 .. 2025-12), one per month.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\na,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nout,产值,万元,flow,sum\n");
    w("cum.csv", "region,period,indicator,value\na,2025年1-6月,out,50\n");
    w("targets.csv", "region,year,indicator,value\na,2025,out,150\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n[[data.facts]]\nfile = \"targets.csv\"\nannual = true\n\
         namespace = \"target\"\n",
    );
    assert_eq!(run(d.path(), &["--format", "json"]).0, 0);
    w("targets.csv", "region,year,indicator,value\na,2025,out,160\n");
    assert_eq!(run(d.path(), &["--format", "json"]).0, 0);
    let out = diff(d.path(), &[]);
    assert!(out.contains("revised figures (1)\n"), "{out}");
    assert!(out.contains("甲镇 (a)  2025 (every month)  target.out  150 -> 160  10      +6.67%"), "{out}");
}

/// The run records while its outputs are written; when they cannot be written (here
/// --out is a file), the record is rolled back: the history never lists a run whose
/// outputs are not on disk, and the next good run is run 2, not 3.
#[test]
fn a_run_whose_outputs_cannot_be_written_is_not_recorded() {
    let ws = sample_copy(&[]);
    let d = ws.path();
    let h = d.join("h.sqlite");
    assert_eq!(run(d, &["--history", s(&h)]).0, 0);
    std::fs::write(d.join("blocked"), "a file where the output folder would go").unwrap();
    let (code, _, err) = cli(&["run", "-c", s(&d.join("yearbook.toml")), "--out", s(&d.join("blocked")), "--history", s(&h)]);
    assert_ne!(code, 0, "{err}");
    assert!(!err.contains("run was not recorded"), "the write error is the one shown: {err}");
    assert_eq!(run(d, &["--history", s(&h)]).0, 0);
    let (code, out, err) = cli(&["history", "-c", s(&d.join("yearbook.toml")), "--history", s(&h)]);
    assert_eq!(code, 0, "{err}");
    let ids: Vec<&str> = out.lines().skip(1).filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(ids, vec!["1", "2"], "{out}");
}

/// A refused run (exit 2: a period not in the data) creates no history file, and
/// `history` and `diff` create none either: before, each left an `out.history.sqlite`.
/// A history that was there stays as it was.
#[test]
fn a_refused_run_and_reading_the_history_create_no_file() {
    let d = sample_copy(&[]);
    let history = d.path().join("out.history.sqlite");
    let (code, err) = run(d.path(), &["--period", "2031", "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(!history.exists(), "a refused run left {}", history.display());
    let (code, out, err) = cli(&["history", "-c", s(&d.path().join("yearbook.toml")), "--out", s(&d.path().join("out"))]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("no runs recorded yet ("), "{out}");
    let (code, _, err) = cli(&["diff", "-c", s(&d.path().join("yearbook.toml")), "--out", s(&d.path().join("out"))]);
    assert_ne!(code, 0);
    assert!(err.contains("no runs recorded yet"), "{err}");
    assert!(!history.exists());
    // A run records; a refused one after it leaves the history as it was.
    let (code, err) = run(d.path(), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&history).unwrap();
    let (code, _) = run(d.path(), &["--period", "2031", "--format", "json"]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read(&history).unwrap(), before);
}

/// A monthly cycle: the towns deliver 1-6月 after a run on 1-5月, nothing earlier
/// changed. The new month is no revision (修订数据0项, not 2): its figures are counted as
/// first deliveries, and a real revision beside them is still one.
#[test]
fn a_new_months_figures_are_first_deliveries_not_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let w = |name: &str, text: &str| std::fs::write(d.join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\na,甲镇,town,c\nb,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,工业产值,万元,flow,sum,\n");
    let cum = |months: u32, a5: f64| {
        let mut t = String::from("region,period,indicator,value\n");
        for m in 1..=months {
            let a = if m == 5 { a5 } else { 110.0 * f64::from(m) };
            t += &format!("a,2025年1-{m}月,out,{a}\nb,2025年1-{m}月,out,{}\n", 220 * m);
        }
        t
    };
    let config = |period: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"{period}\"\nregion = \"c\"\n[data]\n\
             regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n\
             namespace = \"cum\"\n[report]\nsections = [\"changes\"]\n"
        )
    };
    w("cum.csv", &cum(5, 550.0));
    w("yearbook.toml", &config("2025-05"));
    assert_eq!(run(d, &[]).0, 0);
    w("cum.csv", &cum(6, 550.0));
    w("yearbook.toml", &config("2025-06"));
    assert_eq!(run(d, &[]).0, 0);
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(report.contains("与第1次核查相比：新增问题0条，已解决0条，修订数据0项，新报送数据2项。"), "{report}");
    assert!(!report.contains("| 甲镇 | 2025-06"), "{report}");
    let table = diff(d, &[]);
    assert!(
        table.contains("\nrevised figures (0)\n\nnew figures (2)\nindicator  period   figures  unit\ncum.out    2025-06  2        万元\n"),
        "{table}"
    );
    let csv = diff(d, &["--format", "csv"]);
    assert_eq!(csv.lines().filter(|l| l.starts_with("added,,")).count(), 2, "{csv}");
    // June again, with 甲镇's 1-5月 revised from 550 to 700: one revision, no new figure.
    w("cum.csv", &cum(6, 700.0));
    assert_eq!(run(d, &[]).0, 0);
    let report = std::fs::read_to_string(d.join("out/report.md")).unwrap();
    assert!(report.contains("与第2次核查相比：新增问题0条，已解决0条，修订数据1项。"), "{report}");
    assert!(report.contains("| 甲镇 | 2025-05 | 工业产值 (cum) | 550 | 700 | 150 | 27.27% |"), "{report}");
}
