//! `yearbook test`: the sample's rule tests pass; a broken rule fails them with a diff
//! naming the rule, region and period; a malformed test file is refused at its line.

use crate::common::{cli, cli_in, sample_config, sample_copy};

#[test]
fn the_samples_rule_tests_pass() {
    let (code, out, err) = cli(&["test", "-c", "config/dayun/yearbook.toml"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("test tests/balances.toml::output_parts_add_up ... ok"), "{out}");
    assert!(out.contains("test tests/growth.toml::fdi_target_from_completion ... ok"), "{out}");
    let cases = out.lines().filter(|l| l.starts_with("test tests/")).count();
    assert!(cases >= 8, "{out}");
    assert!(out.contains(&format!("test result: ok. {cases} passed; 0 failed")), "{out}");
}

#[test]
fn the_library_runs_them_too_and_filters_by_name() {
    let report = yearbook::ruletest::run_tests(&sample_config(), Some("totals.toml::")).expect("tests load");
    assert!(report.cases.len() >= 2 && report.cases.iter().all(|c| c.name.starts_with("tests/totals.toml::")));
    assert_eq!(report.failed(), 0, "{}", report.render());
}

#[test]
fn a_broken_rule_fails_with_a_diff() {
    let text = std::fs::read_to_string(sample_config()).expect("config");
    let broken = text.replace(
        "check = \"not_above(local_fiscal_revenue, fiscal_revenue)\"",
        "check = \"not_above(fiscal_revenue, local_fiscal_revenue)\"",
    );
    assert_ne!(broken, text);
    let dir = sample_copy(&[("yearbook.toml", broken.as_bytes())]);
    let (code, out, err) = cli_in(dir.path(), &["test"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("test tests/totals.toml::local_fiscal_within_total ... FAILED"), "{out}");
    assert!(out.contains("test tests/balances.toml::output_parts_add_up ... ok"), "{out}");
    // The diff: the rule, then expected against got at the region and period.
    let diff = out.split("---- tests/totals.toml::local_fiscal_within_total").nth(1).expect("a diff for the case");
    assert!(diff.contains("rule local_fiscal_not_above_total:"), "{out}");
    assert!(diff.contains("dayun 2008: finding: expected none, got fail"), "{out}");
    assert!(diff.contains("pass: expected no failures, got 1 failure(s)"), "{out}");
    let above = out.split("---- tests/totals.toml::local_fiscal_above_total").nth(1).expect("a diff for the other case");
    assert!(above.contains("dayun 2008: finding: expected fail, got none"), "{out}");
    assert!(out.contains("test result: FAILED.") && out.contains("2 failed"), "{out}");
}

#[test]
fn a_wrong_expectation_shows_the_value_expected_and_got() {
    let dir = sample_copy(&[]);
    let path = dir.path().join("tests/growth.toml");
    let text = std::fs::read_to_string(&path).expect("test file");
    std::fs::write(&path, text.replace("value = 1094,", "value = 1100,")).expect("write");
    let (code, out, err) = cli_in(dir.path(), &["test", "fdi"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("running 1 tests"), "{out}");
    assert!(out.contains("rule fdi_county_target:\n  dayun 2008: value value: expected 1100, got 1094"), "{out}");
}

#[test]
fn a_malformed_test_file_names_its_line_and_the_fix() {
    let bad = "[[case]]\nname = \"x\"\nfacts = [[\"dayun\", 2008, \"gdp\", 7.75]]\n[case.expect.gdp_reported]\nfail = 1\n";
    let dir = sample_copy(&[("tests/zz_bad.toml", bad.as_bytes())]);
    let (code, out, err) = cli_in(dir.path(), &["test"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("tests/zz_bad.toml:5:1: unknown key `fail`; did you mean `fails`?"), "{err}");

    let bad = "[[case]]\nname = \"x\"\nfacts = [[\"dayun\", 2008, \"gdp\"]]\n[case.expect.gdp_reportd]\npass = true\n";
    std::fs::write(dir.path().join("tests/zz_bad.toml"), bad).expect("write");
    let (code, _, err) = cli_in(dir.path(), &["test"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tests/zz_bad.toml:3:") && err.contains("4 items: [region, period, indicator, value]"), "{err}");

    let bad = "[[case]]\nname = \"x\"\nfacts = [[\"dayun\", 2008, \"gdp\", 1]]\n[case.expect.gdp_reportd]\npass = true\n";
    std::fs::write(dir.path().join("tests/zz_bad.toml"), bad).expect("write");
    let (code, _, err) = cli_in(dir.path(), &["test"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tests/zz_bad.toml:4:") && err.contains("unknown rule `gdp_reportd`; did you mean `gdp_reported`?"), "{err}");
}

#[test]
fn facts_that_do_not_load_fail_the_case_and_say_why() {
    let case = "[[case]]\nname = \"typo\"\nfacts = [[\"dayunn\", 2008, \"gdp\", 1]]\nexpect.gdp_reported = { pass = true }\n";
    let dir = sample_copy(&[("tests/zz_typo.toml", case.as_bytes())]);
    let (code, out, err) = cli_in(dir.path(), &["test", "typo"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("the case could not run") && out.contains("unknown region \"dayunn\"; did you mean `dayun`?"), "{out}");
    // Placed at the row of the test file that gives the fact.
    assert!(out.contains("tests/zz_typo.toml:3:10: unknown region"), "{out}");
}

#[test]
fn a_workspace_without_tests_says_where_to_write_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("yearbook.toml");
    std::fs::copy(sample_config(), &cfg).expect("copy");
    let (code, _, err) = cli_in(dir.path(), &["test"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no rule tests") && err.contains("tests/*.toml"), "{err}");
}

#[test]
fn the_tests_folder_can_be_named_in_the_config() {
    let text = std::fs::read_to_string(sample_config()).expect("config");
    let moved = text.replace("region = \"dayun\"\n", "region = \"dayun\"\ntests = \"rule-tests\"\n");
    assert_ne!(moved, text);
    let dir = sample_copy(&[("yearbook.toml", moved.as_bytes())]);
    let (code, _, err) = cli_in(dir.path(), &["test"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("yearbook.toml:10:9:") && err.contains("tests = \"rule-tests\""), "{err}");
    std::fs::rename(dir.path().join("tests"), dir.path().join("rule-tests")).expect("rename");
    let (code, out, err) = cli_in(dir.path(), &["test", "balances"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("test rule-tests/balances.toml::output_parts_add_up ... ok"), "{out}");
}

#[test]
fn a_case_can_expect_a_rule_to_error() {
    let text = std::fs::read_to_string(sample_config()).expect("config");
    let mixed = text.replace("[industrial_output, agricultural_output], 0.005", "[farmer_housing_area], 0.005");
    assert_ne!(mixed, text);
    let case = "[[case]]\nname = \"units\"\nfacts = [[\"dayun\", 2008, \"gross_output\", 1], [\"dayun\", 2008, \"farmer_housing_area\", 1]]\n\
                expect.output_balance = { error = \"unit\" }\n\
                [[case]]\nname = \"message\"\nfacts = [[\"dayun\", 2008, \"gross_output\", 1], [\"dayun\", 2008, \"farmer_housing_area\", 1]]\n\
                expect.output_balance = { error = \"timeout\" }\n";
    let dir = sample_copy(&[("yearbook.toml", mixed.as_bytes()), ("tests/zz_units.toml", case.as_bytes())]);
    let (code, out, err) = cli_in(dir.path(), &["test", "zz_units"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("test tests/zz_units.toml::units ... ok"), "{out}");
    assert!(out.contains("error: expected an error containing \"timeout\", got unit: rules.output_balance:1:1: balance: parts in 平方米 cannot add up to a total in 亿元"), "{out}");
}

#[test]
fn a_cases_namespaced_facts_load_as_the_configs_entry_says() {
    // target.out from an `annual = true` entry is a year's target (2025) and cum.out from
    // a `cumulative = true` entry is a 1-6月 figure: a case gives them as the files do.
    // 甲镇 1-6月 40 of a year's 100 is 40%, behind June's 50% by 10 points: 1 fail.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    std::fs::create_dir(d.path().join("tests")).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\na,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nout,产值,万元,flow,sum\n");
    w("cum.csv", "region,period,indicator,value\na,2025年1-6月,out,50\n");
    w("targets.csv", "region,year,indicator,value\na,2025,out,100\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nfrequency = \"month\"\nperiod = \"2025-06\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n[[data.facts]]\n\
         file = \"targets.csv\"\nannual = true\nnamespace = \"target\"\n[rules.pace]\ncheck = \"on_pace(cum.out, target.out, 3)\"\nlevels = [\"town\"]\n",
    );
    let case = |fails: u32| {
        format!(
            "[[case]]\nname = \"behind\"\nfacts = [\n  [\"a\", \"2025年1-6月\", \"cum.out\", 40],\n  [\"a\", 2025, \"target.out\", 100],\n]\n\
             [case.expect.pace]\nfails = {fails}\n"
        )
    };
    w("tests/t.toml", &case(1));
    let (code, out, err) = cli_in(d.path(), &["test", "-c", "yearbook.toml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("test tests/t.toml::behind ... ok"), "{out}");
    // And a wrong expectation fails: the facts really loaded.
    w("tests/t.toml", &case(0));
    let (code, out, _) = cli_in(d.path(), &["test", "-c", "yearbook.toml"]);
    assert_eq!(code, 1, "{out}");
}

/// A case's fact file with a stray quote that swallows the rows below it is refused at
/// its field (G7), and one with CR line ends reads its rows at the lines an editor shows.
#[test]
fn a_case_fact_file_with_a_stray_quote_is_refused() {
    let case = "[[case]]\nname = \"quoted\"\nfiles = [\"zz.csv\"]\nexpect.gdp_reported = { pass = true }\n";
    let csv = "region,period,indicator,value,note\ndayun,2008,gdp,7.75,\"快报\ndayun,2007,gdp,7,\"\n";
    let dir = sample_copy(&[("tests/zz_quote.toml", case.as_bytes()), ("tests/zz.csv", csv.as_bytes())]);
    let (code, out, err) = cli_in(dir.path(), &["test", "quoted"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("zz.csv:2:5: the field in column \"note\" runs over a line break (a quoted field) and holds the next line"),
        "{err}"
    );
    let csv = "region,period,indicator,value\rdayun,2008,gdp,7.75\rdayun,2008,gdp,x7\r";
    std::fs::write(dir.path().join("tests/zz.csv"), csv).unwrap();
    let (code, out, err) = cli_in(dir.path(), &["test", "quoted"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("zz.csv:3:4: value `x7` is not a number"), "{err}");
}
