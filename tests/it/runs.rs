//! `yearbook run` and `check` on the sample and on broken configs: findings.json values,
//! exit codes, determinism, a runaway rule that does not stop the run.

use crate::common::*;
use serde_json::Value;

fn run_sample(extra: &[&str]) -> (i32, tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let mut args =
        vec!["run", "-c", sample_config().to_str().unwrap().to_owned().leak(), "--out", out.path().to_str().unwrap().to_owned().leak()];
    args.extend_from_slice(extra);
    let (code, _, err) = cli(&args);
    (code, out, err)
}

fn json(dir: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("findings.json")).unwrap()).unwrap()
}

fn rule<'a>(j: &'a Value, id: &str) -> &'a Value {
    j["rules"].as_array().unwrap().iter().find(|r| r["rule"] == id).unwrap_or_else(|| panic!("no rule {id}"))
}

fn finding<'a>(j: &'a Value, id: &str) -> &'a Value {
    j["findings"].as_array().unwrap().iter().find(|r| r["rule"] == id).unwrap_or_else(|| panic!("no finding for {id}"))
}

#[test]
fn sample_run_reports_the_hand_checks() {
    let (code, out, err) = run_sample(&[]);
    assert_eq!(code, 0, "{err}");
    let j = json(out.path());
    assert_eq!(j["period"], "2008");
    for id in [
        "output_balance",
        "housing_balance",
        "crop_shares_sum_100",
        "output_growth_consistency",
        "above_scale_not_above_industrial",
        "industrial_investment_not_above_total",
        "local_fiscal_not_above_total",
    ] {
        let r = rule(&j, id);
        assert_eq!((r["items"].as_u64(), r["passes"].as_u64(), r["fails"].as_u64()), (Some(1), Some(1), Some(0)), "{id}: {r}");
    }
    // Maintenance projects: 1584.92 of about 4100 万元 = 38.7%.
    let m = finding(&j, "maintenance_projects_itemised");
    assert_eq!(m["severity"], "info");
    assert_eq!(m["status"], "note");
    assert!((m["values"]["value"]["value"].as_f64().unwrap() - 38.656).abs() < 0.01);
    assert_eq!(m["values"]["value"]["unit"], "%");
    assert!(m["message"].as_str().unwrap().contains("38.66%"));
    // Implied county target for actual foreign investment: 1641 / 1.49 = 1101.3 万美元.
    let f = finding(&j, "fdi_county_target");
    assert!((f["values"]["value"]["value"].as_f64().unwrap() - 1101.34).abs() < 0.01);
    assert_eq!(f["values"]["value"]["unit"], "万美元");
    assert_eq!(f["message"], "实到外资1641万美元,完成县下达任务149%,推算县下达任务为1101.34万美元");
    // 云溪花园's investment is missing: the rule that needs it is not evaluable.
    let h = rule(&j, "housing_investment_per_m2");
    assert_eq!((h["items"].as_u64(), h["not_evaluable"].as_u64(), h["notes"].as_u64()), (Some(1), Some(1), Some(0)));
    // 2007 GDP is not in the source, so reported growth cannot be checked.
    assert_eq!(rule(&j, "gdp_growth_consistency")["not_evaluable"], 1);
    // Derived indicators.
    let inds = j["indicators"].as_array().unwrap();
    assert!(inds.iter().all(|i| i["error"].is_null()), "{inds:?}");
    let ws = sample();
    assert!(close(value(&ws, "gdp_prior"), 6.560, 5e-4));
    assert!(close(value(&ws, "farmer_housing_investment_per_m2"), 750.0, 1e-9));
    assert!(close(value(&ws, "local_fiscal_share"), 2400.0 / 6500.0 * 100.0, 1e-9));
}

#[test]
fn outputs_are_deterministic_and_complete() {
    let (_, a, _) = run_sample(&[]);
    let (_, b, _) = run_sample(&[]);
    for f in ["findings.json", "findings.csv", "summary.csv", "summary.md"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
    }
    let csv = std::fs::read_to_string(a.path().join("findings.csv")).unwrap();
    // UTF-8 with a BOM, so Excel on Chinese Windows opens it without garbling.
    assert!(csv.starts_with("\u{feff}rule,severity,status,region,region_name,period,imbalance,message\n"));
    let leftovers: Vec<_> = std::fs::read_dir(a.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".yearbook-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

fn config_with(extra: &str) -> tempfile::TempDir {
    let cfg = std::fs::read_to_string(sample_config()).unwrap() + extra;
    sample_copy(&[("yearbook.toml", cfg.as_bytes())])
}

fn run_in(d: &tempfile::TempDir, extra: &[&str]) -> (i32, String) {
    let cfg = d.path().join("yearbook.toml");
    let out = d.path().join("out");
    let mut args = vec!["run", "-c", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, _, err) = cli(&args);
    (code, err)
}

#[test]
fn failing_rules_set_the_exit_code() {
    let d = config_with(
        "\n[rules.too_strict]\nseverity = \"warning\"\ncheck = \"gdp > 100\"\nmessage = \"{region} GDP {gdp} is small\"\nvalues = { gdp = \"gdp\" }\n",
    );
    let (code, err) = run_in(&d, &[]);
    assert_eq!(code, 0, "warnings do not fail with --fail-on error: {err}");
    let (code, _) = run_in(&d, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
    let j = json(&d.path().join("out"));
    assert_eq!(finding(&j, "too_strict")["message"], "大云镇 GDP 7.75亿元 is small");
    let (code, _) = run_in(&d, &["--fail-on", "never", "--quiet"]);
    assert_eq!(code, 0);
}

#[test]
fn a_runaway_rule_is_recorded_and_the_run_goes_on() {
    let cfg = format!(
        "scripts = [\"spin.rhai\"]\n{}\n[limits]\nmax_operations = 0\n\n[rules.runaway]\nfunction = \"spin\"\ntimeout_ms = 500\n",
        std::fs::read_to_string(sample_config()).unwrap()
    );
    let d = sample_copy(&[("yearbook.toml", cfg.as_bytes()), ("spin.rhai", b"fn spin() { loop {} }\n")]);
    let (code, err) = run_in(&d, &[]);
    let j = json(&d.path().join("out"));
    assert_eq!(code, 3, "{err}");
    let e = rule(&j, "runaway")["error"].as_str().unwrap().to_string();
    assert!(e.contains("rules.runaway") && e.contains("time limit of 500 ms"), "{e}");
    assert_eq!(rule(&j, "output_balance")["passes"], 1);
    assert!(err.contains("error in rule runaway"), "{err}");
}

#[test]
fn broken_configs_exit_2_with_positions() {
    let d = config_with("\n[indicators.a]\nexpr = \"b * 2\"\n\n[indicators.b]\nexpr = \"a + gdp\"\n");
    let (code, err) = run_in(&d, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("indicators form a cycle: a -> b -> a"), "{err}");
    let text = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    let line = text.lines().position(|l| l == "[indicators.a]").unwrap() + 1;
    assert!(err.contains(&format!("yearbook.toml:{line}:1")), "{err}");
    let d = config_with("\n[rules.typo]\ncheck = \"not_above(industrial_output, gros_output)\"\n");
    let (code, err) = run_in(&d, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("rules.typo:1:30: unknown name `gros_output`; did you mean `gross_output`?"), "{err}");
    assert!(!d.path().join("out/findings.json").exists(), "nothing written when the config is broken");
    let d = config_with("\n[rules.sev]\nseverity = \"fatal\"\ncheck = \"gdp > 0\"\n");
    let (code, err) = run_in(&d, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("rules.sev: unknown severity \"fatal\": use error, warning or info"), "{err}");
}

#[test]
fn check_compiles_without_data_and_finds_unit_errors() {
    let (code, out, err) = cli(&["check", "-c", sample_config().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with(": ok\n"));
    let d = config_with(
        "\n[indicators.bad_sum]\nexpr = \"green_area_added + fiscal_revenue\"\n\n[rules.bad_unit]\ncheck = \"gdp > fdi_actual\"\n",
    );
    // A facts file that does not parse shows that check does not read facts.
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\nnot,a,valid,row\n").unwrap();
    let (code, _, err) = cli(&["check", "-c", d.path().join("yearbook.toml").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("indicators.bad_sum:1:18: unit mismatch: cannot add or compare 亩 and 万元"), "{err}");
    assert!(err.contains("rules.bad_unit:1:5: unit mismatch: cannot compare 亿元 and 万美元"), "{err}");
    assert!(err.contains("2 problem(s)"), "{err}");
}

#[test]
fn data_dir_replaces_the_data_folder() {
    let d = sample_copy(&[]);
    let facts = std::fs::read_to_string(d.path().join("facts.csv"))
        .unwrap()
        .replace("dayun,2008,industrial_output,23.51,", "dayun,2008,industrial_output,25,");
    std::fs::write(d.path().join("facts.csv"), facts).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) =
        cli(&["run", "-c", sample_config().to_str().unwrap(), "--data", d.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let j = json(out.path());
    let f = finding(&j, "output_balance");
    assert!((f["imbalance"].as_f64().unwrap() + 1.49).abs() < 1e-9, "{f}");
    assert_eq!(f["message"], "大云镇2008年工农业总产值26.06亿元,分项合计27.55亿元,相差-1.49亿元");
}

#[test]
fn missing_value_policies() {
    let ws = sample();
    // yunxi_garden_area is present; make a check over a missing input under each policy.
    let d = config_with(
        "\n[rules.any]\ncheck = \"balance(housing_area_added, [farmer_housing_area, lag(yunxi_garden_area, 1)], 0.5)\"\n\n[rules.zero]\nmissing = \"zero\"\ncheck = \"balance(housing_area_added, [farmer_housing_area, lag(yunxi_garden_area, 1)], 0.5)\"\n",
    );
    let (code, err) = run_in(&d, &["--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let j = json(&d.path().join("out"));
    assert_eq!(rule(&j, "any")["not_evaluable"], 1);
    assert_eq!(rule(&j, "zero")["fails"], 1);
    assert!((finding(&j, "zero")["imbalance"].as_f64().unwrap() - 10000.0).abs() < 1e-9);
    drop(ws);
}

#[test]
fn the_embedding_example_runs() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "embed", "--", sample_config().to_str().unwrap()])
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("[info] fdi_county_target: 实到外资1641万美元,完成县下达任务149%,推算县下达任务为1101.34万美元"), "{text}");
    assert!(text.contains("非农人口增长 9.53%"), "{text}");
}

#[test]
fn fail_on_counts_every_finding_at_or_above_it_notes_included() {
    // The sample has info rules whose findings are notes (推算县下达任务…).
    let d = config_with("");
    let (code, err) = run_in(&d, &["--fail-on", "info"]);
    assert_eq!(code, 1, "notes are findings of severity info: {err}");
    let (code, err) = run_in(&d, &["--fail-on", "warning"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn check_lists_every_problem_and_accepts_what_run_accepts() {
    let d = config_with(
        "\n[indicators.bad1]\nexpr = \"gpd * 2\"\n[indicators.bad2]\nexpr = \"gdp +\"\n[rules.bad3]\ncheck = \"fiscal_revenu > 0\"\n\
         [rules.in_2008]\ncheck = \"gdp > 0\"\nperiods = [\"2008\"]\n",
    );
    let (code, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("indicators.bad1:1:1: unknown name `gpd`; did you mean `gdp`?"), "{err}");
    assert!(err.contains("indicators.bad2:1:6: Script is incomplete"), "{err}");
    assert!(err.contains("rules.bad3:1:1: unknown name `fiscal_revenu`"), "{err}");
    assert!(err.ends_with("3 problem(s) in yearbook.toml\n"), "{err}");
    // A rule scoped to periods: check cannot judge them without facts, run can.
    let d = config_with("\n[rules.in_2008]\ncheck = \"gdp > 0\"\nperiods = [\"2008\"]\n");
    let (code, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!((code, out.as_str()), (0, "yearbook.toml: ok\n"), "{err}");
    let d = config_with("\n[rules.in_2008]\ncheck = \"gdp > 0\"\nperiods = [\"2008-13\"]\n");
    let (code, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert!(code == 2 && err.contains("rules.in_2008"), "a period that cannot be spelled is refused: {err}");
}

#[test]
fn verbose_prints_each_steps_time_on_its_own_line() {
    let d = config_with("");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--verbose"]);
    assert_eq!(code, 0, "{err}");
    let steps: Vec<&str> = err.lines().filter(|l| l.starts_with("indicator ") || l.starts_with("rule ")).collect();
    assert!(steps.len() > 10, "{err}");
    for l in &steps {
        let (_, t) = l.rsplit_once(": ").unwrap_or_else(|| panic!("no time on {l}"));
        assert!(t.ends_with(" s") && t.trim_end_matches(" s").parse::<f64>().is_ok(), "{l}");
    }
    assert!(steps[0].starts_with("indicator 1/"), "{}", steps[0]);
}

#[test]
fn functions_finds_one_or_by_word_and_completions_print() {
    let (code, out, _) = cli(&["functions", "yoy"]);
    assert_eq!((code, out.lines().next()), (0, Some("yoy(s: Series) -> Series")));
    let (code, out, _) = cli(&["functions", "--search", "两年平均"]);
    assert!(code == 0 && out.starts_with("cagr("), "{out}");
    let (code, _, err) = cli(&["functions", "yyo"]);
    assert!(code == 2 && err.contains("no function named `yyo`; did you mean `yoy`"), "{err}");
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = cli(&["completions", shell]);
        assert!(code == 0 && out.contains("explain") && out.contains("fail-on"), "{shell}");
    }
    // Every option has a help text.
    for sub in ["eval", "run", "check", "repl", "explain", "report", "functions"] {
        let (_, out, _) = cli(&[sub, "--help"]);
        for l in out.lines().filter(|l| l.trim_start().starts_with('-') && !l.contains("--help")) {
            assert!(l.trim().split("  ").filter(|p| !p.is_empty()).count() >= 2, "{sub}: no help for {l}");
        }
    }
}

#[test]
fn explain_defaults_to_the_configs_region_and_period() {
    let (code, out, err) = cli(&["explain", "-c", sample_config().to_str().unwrap(), "gdp / (1 + reported_yoy.gdp / 100)"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("大云镇 2008\n") && out.contains("6.56亿元"), "{out}");
}

#[test]
fn tables_share_decimals_and_fit_a_width() {
    let d =
        sample_copy(&[("facts.csv", b"region,year,indicator,value,flag\ndayun,2006,gdp,5,\ndayun,2007,gdp,6.5,\ndayun,2008,gdp,7.75,\n")]);
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "gdp"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2006   │  5.00 │") && out.contains("2007   │  6.50 │") && out.contains("2008   │  7.75 │"), "{out}");
    let (code, man, _) = cli(&["man"]);
    assert!(code == 0 && man.contains(".TH yearbook 1") && man.contains("explain"));
}

#[test]
fn the_run_summary_names_the_failing_rules() {
    let d = config_with("\n[rules.too_strict]\ncheck = \"gdp > 100\"\n");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--verbose"]);
    assert_eq!(code, 1);
    assert!(err.contains("failed: too_strict (1)"), "{err}");
}

#[test]
fn failing_rows_are_written_per_rule_and_not_left_behind() {
    let d = config_with("\n[rules.too_strict]\ncheck = \"gdp > 100\"\nvalues = { gdp = \"gdp\" }\n");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let rows = std::fs::read_to_string(d.path().join("out/failures_too_strict.csv")).unwrap();
    assert_eq!(
        rows,
        "\u{feff}region,region_name,period,gdp,gdp_unit,imbalance,message\ndayun,大云镇,2008,7.75,亿元,,大云镇 2008: too_strict (gdp 7.75亿元)\n"
    );
    // The rule passes next time: its failing rows do not stay in --out.
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap().replace("gdp > 100", "gdp > 1");
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(!d.path().join("out/failures_too_strict.csv").exists());
    assert!(d.path().join("out/findings.csv").exists());
}

/// Rule ids that spell one file name (`a b`, `a/b`, `a_b`) or one too long for a file
/// system (90 Chinese characters, 270 bytes) each get a file of their own, bounded in
/// length, named the same in every run: the run writes them all, never failing with
/// "File exists" or "File name too long".
#[test]
fn failing_rows_file_names_are_unique_and_bounded() {
    let long = "规".repeat(90);
    let rules = format!(
        "\n[rules.\"a b\"]\ncheck = \"gdp > 100\"\n[rules.a_b]\ncheck = \"gdp > 101\"\n[rules.\"a/b\"]\ncheck = \"gdp > 102\"\n[rules.\"{long}\"]\ncheck = \"gdp > 103\"\n"
    );
    let d = config_with(&rules);
    let (code, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 0, "{out}{err}");
    let names = || {
        let mut v: Vec<String> = std::fs::read_dir(d.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with("failures_"))
            .collect();
        v.sort();
        v
    };
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let first = names();
    let cut = "规".repeat(56);
    assert_eq!(
        first,
        [
            "failures_a_b.csv".to_string(),
            "failures_a_b~10a3f9f2.csv".to_string(),
            "failures_a_b~3a8e75c1.csv".to_string(),
            format!("failures_{cut}~3c8fc647.csv"),
        ]
    );
    assert!(first.iter().all(|n| n.len() <= 200), "{first:?}");
    let rows = std::fs::read_to_string(d.path().join("out/failures_a_b.csv")).unwrap();
    assert!(rows.ends_with("\ndayun,大云镇,2008,,大云镇 2008: a_b\n"), "{rows}");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(names(), first);
}

/// `--format ''` published an empty set, removing every file of the earlier run and
/// writing none (exit 0); `--format csv,csv` stopped with "File exists" from the staging
/// folder; `--out` at a link to a folder replaced the link with a folder of its own. Now:
/// refused, written once, written into the folder the link points to.
#[test]
fn formats_named_twice_or_none_and_a_linked_out_folder() {
    let d = config_with("");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "csv", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    for none in ["", ",", " , "] {
        let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", none, "--fail-on", "never"]);
        assert_eq!(code, 2, "{none:?}: {err}");
        assert!(err.contains("--format names no output format: give one or more of json, csv, md, html, docx"), "{err}");
        assert!(d.path().join("out/findings.csv").exists() && d.path().join("out/summary.csv").exists(), "{none:?}");
    }
    let (code, _, err) =
        cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "csv,csv,json,csv", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(d.path().join("out/findings.json").exists());
    std::fs::create_dir(d.path().join("shared")).unwrap();
    std::os::unix::fs::symlink("shared", d.path().join("linked")).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "linked", "--format", "csv", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::symlink_metadata(d.path().join("linked")).unwrap().file_type().is_symlink());
    assert!(d.path().join("shared/findings.csv").exists() && d.path().join("shared/summary.csv").exists());
    // A second run through the link replaces the set in the folder.
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "linked", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(d.path().join("shared/findings.json").exists() && !d.path().join("shared/findings.csv").exists());
    // A link to nowhere, or to a file: refused, naming --out.
    std::os::unix::fs::symlink("nowhere", d.path().join("dangling")).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "dangling", "--format", "csv", "--fail-on", "never"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--out dangling: a link to a folder that cannot be reached"), "{err}");
    assert!(std::fs::symlink_metadata(d.path().join("dangling")).unwrap().file_type().is_symlink());
}

/// A run with fewer formats leaves no output of an earlier run behind (a report.md of
/// 7.75亿元 beside findings of 7.95); a file the analyst put there stays. --out at a
/// folder of inputs (the report templates, the config's folder) is refused: a summary.md
/// among the templates would replace the built-in summary section in the next report.
#[test]
fn outputs_of_an_earlier_run_are_not_left_beside_a_new_set() {
    let d = config_with("");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json,csv,md", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(d.path().join("out/report.md").exists() && d.path().join("out/summary.md").exists());
    std::fs::write(d.path().join("out/notes.txt"), "mine").unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let listed = || {
        let mut left: Vec<String> = std::fs::read_dir(d.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        left.sort();
        left
    };
    assert_eq!(listed(), ["findings.json", "notes.txt"]);
    // A report written there by `yearbook report` is no part of a run's set: it stays.
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "out/report.html"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "csv", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(listed(), ["findings.csv", "notes.txt", "report.html", "summary.csv"]);
    // --out at the templates folder or the config's.
    for out in ["report", "./report/", "."] {
        let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", out, "--format", "md", "--fail-on", "never"]);
        assert_eq!(code, 2, "{out}: {err}");
        assert!(err.contains(&format!("--out {out}:")), "{out}: {err}");
    }
    let (_, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "report", "--fail-on", "never"]);
    assert!(err.contains("--out report: that is the report templates folder; outputs written there would mix with the inputs"), "{err}");
    assert!(!d.path().join("report/summary.md").exists());
    // `report -o` into the templates folder (over a template) is refused as well.
    for o in ["report/summary.md", "./report/main.md"] {
        let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", o]);
        assert_eq!(code, 2, "{o}: {err}");
        assert!(
            err.contains(&format!(
                "-o {o}: that is in the report templates folder; a report written there would replace or join the templates, \
                 and every later report would print its figures as they are now. Write it elsewhere, e.g. -o report.md"
            )),
            "{o}: {err}"
        );
        assert!(!d.path().join(o).exists(), "{o}");
    }
    // Not there yet: refused all the same (the templates are looked for there).
    std::fs::remove_dir_all(d.path().join("report")).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "report", "--fail-on", "never"]);
    assert_eq!(code, 2, "{err}");
    assert!(!d.path().join("report").exists());
}

#[test]
fn streamed_outputs_are_the_bytes_the_renderers_give() {
    // findings.json, findings.csv, summary.md and failures_*.csv are streamed into the
    // staging folder; each must be byte for byte what the in-memory renderer gives.
    let d = config_with("\n[rules.too_strict]\ncheck = \"gdp > 100\"\nvalues = { gdp = \"gdp\" }\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let r = yearbook::run::run(&ws, &Default::default(), &mut |_| {}).unwrap();
    let out = d.path().join("out");
    let formats: Vec<String> = ["json", "csv", "md"].map(String::from).to_vec();
    let written = yearbook::write::write_outputs(&r, &out, &formats).unwrap();
    let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap();
    assert_eq!(read("findings.json"), yearbook::write::findings_json(&r));
    assert_eq!(read("findings.csv"), yearbook::write::findings_csv(&r));
    assert_eq!(read("summary.md"), yearbook::write::summary_md(&r));
    assert!(read("findings.csv").starts_with("\u{feff}rule,severity,status,region,region_name,period,imbalance,message\n"));
    assert!(read("findings.csv").contains("too_strict,error,fail,dayun,大云镇,2008,,大云镇 2008: too_strict (gdp 7.75亿元)\n"));
    assert!(read("findings.json").ends_with("}\n"));
    assert_eq!(
        read("failures_too_strict.csv"),
        "\u{feff}region,region_name,period,gdp,gdp_unit,imbalance,message\ndayun,大云镇,2008,7.75,亿元,,大云镇 2008: too_strict (gdp 7.75亿元)\n"
    );
    assert_eq!(written.len(), 5, "{written:?}");
}

/// A rule that only reports values (`check = "note(x)"`) and names no severity is info:
/// a scheduled run at --fail-on error or warning exits 0 for it (it exited 1 every day),
/// at --fail-on info 1. A check that merely contains a note, or names a severity, keeps
/// its own.
#[test]
fn a_note_rule_without_a_severity_is_info() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,1.5\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.look]\ncheck = \" note( where(gdp > 1, gdp, 0) ) \"\n\
         [rules.said]\ncheck = \"note(gdp)\"\nseverity = \"warning\"\n",
    );
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "o", "--fail-on", "error"]);
    assert_eq!(code, 0, "{err}");
    let summary = std::fs::read_to_string(d.path().join("o/summary.csv")).unwrap();
    assert!(summary.contains("\nlook,info,1,0,0,1,0,,\n"), "{summary}");
    assert!(summary.contains("\nsaid,warning,1,0,0,1,0,,\n"), "{summary}");
    assert_eq!(cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "o", "--fail-on", "warning"]).0, 1);
    w("yearbook.toml", &std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap().replace("severity = \"warning\"\n", ""));
    assert_eq!(cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "o", "--fail-on", "warning"]).0, 0);
    assert_eq!(cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "o", "--fail-on", "info"]).0, 1);
}

/// A finding's message words a profit's change as a report sentence does: the same
/// `{pr:change(p)}` over 利润总额 said 负值扩大50万元 and 由正转负（上年100万元） in `run`
/// where the report said 亏损扩大，增亏50万元 and 由盈转亏，亏损0.4万元.
#[test]
fn a_message_words_a_profits_change_as_the_report_does() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nprofit,利润总额,万元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,profit,-100\nt1,2021,profit,-150\nt2,2020,profit,100\nt2,2021,profit,-0.4\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[rules.p]\nseverity = \"info\"\n\
         check = \"note(profit)\"\nlevels = [\"town\"]\nperiods = [\"2021\"]\nvalues = { p = \"lag(profit, 1)\", pr = \"profit\" }\n\
         message = \"{region}{pr:change(p)}\"\n",
    );
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "o"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(d.path().join("o/findings.csv")).unwrap();
    assert!(csv.contains("甲镇亏损扩大，增亏50万元"), "{csv}");
    assert!(csv.contains("乙镇由盈转亏，亏损0.4万元"), "{csv}");
}

/// A rule's message naming an indicator by its code reads it, as a report rule's
/// sentence does (it printed `{?gdp:amount}` into every finding, and `check` said ok); a
/// name that is nothing is refused by `check`, naming it and the near names.
#[test]
fn a_message_reads_an_indicator_by_its_code_and_refuses_a_name_that_is_nothing() {
    let rule = "\n[rules.gdp_named]\ncheck = \"gdp > 100\"\nlevels = [\"town\"]\n\
                message = \"{region}{period}年地区生产总值{gdp:amount}，财政总收入{fiscal_revenue:amount}\"\n";
    let d = config_with(rule);
    let (code, err) = run_in(&d, &[]);
    assert_eq!(code, 1, "{err}");
    let j = json(&d.path().join("out"));
    let f = finding(&j, "gdp_named");
    assert_eq!(f["message"], "大云镇2008年地区生产总值7.75亿元，财政总收入6500万元");
    assert_eq!(f["values"]["fiscal_revenue"]["value"], 6500.0);
    let d = config_with(&rule.replace("{fiscal_revenue:amount}", "{fiscal_revenu:amount}"));
    let (code, out, err) = cli(&["check", "-c", d.path().join("yearbook.toml").to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(
            "rules.gdp_named.message: placeholder `fiscal_revenu` names no value (`values`), no value of the check and no \
             indicator; did you mean `fiscal_revenue` or `local_fiscal_revenue`?"
        ),
        "{err}"
    );
    // A value a built-in check gives its message is no indicator, and is not refused.
    let d = config_with(&rule.replace("gdp > 100", "note(gdp)").replace("{gdp:amount}", "{value}"));
    let (code, err) = run_in(&d, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(finding(&json(&d.path().join("out")), "gdp_named")["message"], "大云镇2008年地区生产总值7.75亿元，财政总收入6500万元");
    // A comparison gives its message none (fixes16 08: `{value}` printed `{?value}` in every
    // finding of `gdp > 100`, and check said ok).
    for name in ["value", "actual", "total"] {
        let d = config_with(&rule.replace("{gdp:amount}", &format!("{{{name}}}")));
        let (code, out, err) = cli(&["check", "-c", d.path().join("yearbook.toml").to_str().unwrap()]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(
            err.contains(&format!(
                "rules.gdp_named.message: placeholder `{name}` names no value (`values`), no value of the check (a comparison \
                 gives its message no value of its own) and no indicator"
            )),
            "{err}"
        );
    }
}

/// The benchmark's config (config/bench, the workload bench/compare.sh runs beside DuckDB)
/// on a small panel written here in gen_panel.py's layout: every rule runs without an
/// error, and the `rollups` checksum is every figure of the facts file added up (each
/// indicator's province totals as reported, over all years). It broke once unseen: a
/// number's unit kept through `+=` refused its sum across 亿元 and 万人.
#[test]
fn the_bench_config_runs_on_a_small_panel() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    let mut regions = String::from("code,name,level,parent\n");
    let (mut facts, mut targets, mut growth) = (
        String::from("region,year,indicator,value\n"),
        String::from("region,year,indicator,target\n"),
        String::from("region,year,indicator,yoy_pct\n"),
    );
    let mut total = 0.0;
    for p in 0..2 {
        regions.push_str(&format!("p{p},Province {p},province,\n"));
        for c in 0..2 {
            regions.push_str(&format!("c{p}{c},County {p}{c},county,p{p}\n"));
            for t in 0..3 {
                let town = format!("t{p}{c}{t}");
                regions.push_str(&format!("{town},Town {p}{c}{t},town,c{p}{c}\n"));
                for (y, year) in (2019..2023).enumerate() {
                    // Every indicator the config lists (indicators.csv): one without
                    // figures leaves the checksum missing, as SQL's SUM of none would.
                    let names =
                        ["gdp", "population", "fiscal_revenue"].map(String::from).into_iter().chain((3..20).map(|i| format!("ind{i:02}")));
                    for (k, ind) in names.enumerate() {
                        let v = (10 + p * 7 + c * 3 + t + y * 2 + k * 100) as f64;
                        total += v;
                        facts.push_str(&format!("{town},{year},{ind},{v}\n"));
                    }
                    targets.push_str(&format!("{town},{year},fiscal_revenue,{}\n", 200 + t * 5));
                    if y > 0 {
                        growth.push_str(&format!("{town},{year},gdp,{}\n", 10.0 + t as f64));
                    }
                }
            }
        }
    }
    w("regions.csv", &regions);
    w("facts.csv", &facts);
    w("targets.csv", &targets);
    w("reported_growth.csv", &growth);
    let out = dir.path().join("out");
    let (code, _, err) = cli(&[
        "run",
        "-c",
        "config/bench/panel.toml",
        "--data",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    let j = json(&out);
    for r in j["rules"].as_array().unwrap() {
        assert!(r["error"].is_null(), "{}: {}", r["rule"], r["error"]);
    }
    let sum = finding(&j, "rollups")["values"]["value"]["value"].as_f64().unwrap();
    assert!(close(sum, total, 1e-12), "{sum} against {total}");
}
