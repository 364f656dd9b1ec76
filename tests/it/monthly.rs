//! Monthly work against hand-computed values: 1-N月累计 and 当月 (a missing month, a year
//! boundary, data that starts in March), quarters, 累计同比, annual targets spread over
//! the months, 时间进度 and pacing (elapsed and a custom schedule), on_pace, ranking with
//! ties, 两年平均增速.

use yearbook::Series;

/// Three towns of a county, 2024-03 .. 2025-04, cumulative figures as reported.
///
/// 当月 figures: town a 100 a month in 2024 (Jan-Feb before the data starts) and 110 in
/// 2025; b 50 a month, its February 2025 not reported (its 1-2月累计 missing); c 90 a
/// month, April 2025 170.
/// The county's folder with `from` replaced by `to` in its yearbook.toml (not opened).
fn county_config_edited(from: &str, to: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, _) = county(None);
    let path = d.path().join("yearbook.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(from, to);
    std::fs::write(&path, text).unwrap();
    (d, path)
}

fn county(schedule: Option<&str>) -> (tempfile::TempDir, yearbook::Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nqx,清溪县,county,\na,甲镇,town,qx\nb,乙镇,town,qx\nc,丙镇,town,qx\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\noutput,工业总产值,万元,flow,sum,\n");
    let mut cum = String::from("region,period,indicator,value\n");
    for m in 3..=12 {
        cum += &format!("a,2024年1-{m}月,output,{}\n", 100 * m);
        cum += &format!("b,2024年1-{m}月,output,{}\n", 50 * m);
        cum += &format!("c,2024年1-{m}月,output,{}\n", 90 * m);
    }
    for (m, a, b, c) in [(1, "110", "50", "90"), (2, "220", "", "180"), (3, "330", "160", "270"), (4, "440", "220", "440")] {
        cum += &format!("a,2025年1-{m}月,output,{a}\nb,2025年1-{m}月,output,{b}\nc,2025年1-{m}月,output,{c}\n");
    }
    w("cum.csv", &cum);
    w("targets.csv", "region,period,indicator,value\nqx,2025,output,3000\na,2025,output,1200\nb,2025,output,800\nc,2025,output,1200\n");
    let schedule = schedule.map(|s| format!("schedule = {s}\n")).unwrap_or_default();
    let config = format!(
        "[workspace]\nname = \"清溪县\"\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2025-04\"\n{schedule}\n\
         [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\n\
         [[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n\n\
         [[data.facts]]\nfile = \"targets.csv\"\nannual = true\nnamespace = \"target\"\n"
    );
    w("yearbook.toml", &config);
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    (dir, ws)
}

fn series(ws: &yearbook::Workspace, expr: &str) -> Series {
    ws.eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).value.as_series().unwrap_or_else(|| panic!("{expr}: not a series"))
}

/// The value at region `r` and period `p` (NaN when missing).
fn at(s: &Series, r: &str, p: &str) -> f64 {
    let ri = if s.by_region { s.axes.regions.codes.iter().position(|c| c == r).unwrap() } else { 0 };
    let pi = s.axes.periods.index(yearbook::period::Period::parse(p).unwrap()).unwrap();
    s.get(ri, pi)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn month_of_takes_cumulative_figures_apart_within_each_year() {
    let (_d, ws) = county(None);
    let m = series(&ws, "month_of(cum.output)");
    // March 2024 is the data's first period: 1-3月累计 minus an unknown 1-2月累计.
    assert!(at(&m, "a", "2024-03").is_nan());
    assert_eq!(at(&m, "a", "2024-04"), 100.0);
    assert_eq!(at(&m, "a", "2024-12"), 100.0);
    // Across the year boundary: January is its own 1-1月累计.
    assert_eq!(at(&m, "a", "2025-01"), 110.0);
    assert_eq!(at(&m, "c", "2025-04"), 170.0);
    // b did not report 1-2月累计: February and March 当月 are unknown, April is not.
    assert_eq!(at(&m, "b", "2025-01"), 50.0);
    assert!(at(&m, "b", "2025-02").is_nan());
    assert!(at(&m, "b", "2025-03").is_nan());
    assert_eq!(at(&m, "b", "2025-04"), 60.0);
    assert_eq!(m.unit.symbol.as_ref() as &str, "万元");
    let notes = ws.eval("month_of(cum.output)").unwrap().notes;
    assert!(notes.iter().any(|n| n.starts_with("month_of: the data starts at 2024-03, inside 2024")), "{notes:?}");
}

#[test]
fn cumulate_sums_within_the_year_and_leaves_what_it_cannot_know_missing() {
    let (_d, ws) = county(None);
    let c = series(&ws, "cumulate(month_of(cum.output))");
    // 2024 starts in March: no 1-N月累计 can be known for it (Jan and Feb are missing).
    assert!(at(&c, "a", "2024-03").is_nan());
    assert!(at(&c, "a", "2024-12").is_nan());
    // 2025 round-trips.
    for (m, v) in [("2025-01", 110.0), ("2025-02", 220.0), ("2025-03", 330.0), ("2025-04", 440.0)] {
        assert_eq!(at(&c, "a", m), v, "{m}");
    }
    // A missing month leaves the rest of b's year missing, never a short sum.
    assert_eq!(at(&c, "b", "2025-01"), 50.0);
    assert!(at(&c, "b", "2025-04").is_nan());
    // ytd is the same function.
    let y = series(&ws, "ytd(month_of(cum.output))");
    assert_eq!(at(&y, "c", "2025-04"), 440.0);
    assert!(at(&y, "c", "2024-05").is_nan());
}

#[test]
fn quarters_and_year_on_year_of_cumulative_figures() {
    let (_d, ws) = county(None);
    let q = series(&ws, "quarters(month_of(cum.output))");
    assert!(at(&q, "a", "2024-03").is_nan(), "Q1 2024 lacks January and February");
    assert_eq!(at(&q, "a", "2024-06"), 300.0);
    assert!(at(&q, "a", "2024-05").is_nan(), "not a quarter's last month");
    assert_eq!(at(&q, "a", "2024-12"), 300.0);
    assert_eq!(at(&q, "a", "2025-03"), 330.0);
    assert!(at(&q, "b", "2025-03").is_nan(), "b's February is missing");
    // 累计同比: 1-4月 2025 against 1-4月 2024.
    let g = series(&ws, "pct(yoy(cum.output))");
    assert!(close(at(&g, "a", "2025-04"), 10.0));
    assert!(close(at(&g, "b", "2025-04"), 10.0));
    assert!(close(at(&g, "c", "2025-04"), 440.0 / 360.0 * 100.0 - 100.0));
}

/// 1-N月累计 and a year's target held in every month stand for more than their month:
/// cumulating, quarter totals, sums across months and month-on-month changes of them
/// counted figures again (a target of 1200 summed to 14400; 累计 100, 210, 330 cumulated
/// to 640), silently. Each is refused with what to write; what is right is still
/// computed (累计同比, month_of, completion, a target's mean, a county's 累计).
#[test]
fn cumulative_and_annual_figures_are_never_added_across_their_months() {
    let (_d, ws) = county(None);
    let refused = |expr: &str, want: &str| {
        let e = ws.eval(expr).map(|_| ()).expect_err(expr);
        assert!(e.to_string().contains(want), "{expr}: {e}");
    };
    for expr in
        ["cumulate(cum.output)", "ytd(cum.output * 10000)", "cumulate(rollup(cum.output, \"county\"))", "cumulate(fill(cum.output, 1000))"]
    {
        refused(expr, "cumulate of 1-N月累计 (a `cumulative = true` file, or cumulate's own result): each month already holds");
    }
    refused("quarters(cum.output)", "the 当季 is quarters(month_of(s))");
    // Through a closure too: quarters(map(cum.output, |x| round(x))) gave 甲镇's Q1 as
    // 110 + 220 + 330 = 660 (for 330), pop of it January against last year's whole.
    refused("quarters(map(cum.output, |x| round(x)))", "the 当季 is quarters(month_of(s))");
    refused("pop(map(cum.output, |x| x))", "pop of 1-N月累计 (a `cumulative = true` file) compares the year so far");
    refused("sum(cum.output, \"periods\")", "sum across periods of 1-N月累计");
    refused("mean(cum.output, \"periods\")", "mean across periods of 1-N月累计");
    refused("pop(cum.output)", "pop of 1-N月累计 (a `cumulative = true` file) compares the year so far with a shorter span");
    refused("diff(cum.output, 1)", "diff over 1 period(s) of 1-N月累计");
    refused("cumulate(cumulate(month_of(cum.output)))", "cumulate of 1-N月累计");
    let counted = "a year's figure held in every month (an `annual = true` file: a target) added across its months counts it 12 \
                   times (a target of 1200 would read 14400)";
    for expr in [
        "cumulate(target.output)",
        "quarters(target.output)",
        "sum(target.output, \"periods\")",
        "sum(round(target.output, 0), \"periods\")",
        "cumulate(map(target.output, |x| round(x)))",
    ] {
        refused(expr, counted);
    }
    refused("pop(target.output)", "pop of a year's figure held in every month");
    refused("month_of(target.output)", "month_of takes 1-N月累计; this is a year's figure held in every month");
    // By hand, against itself some months earlier: January's 累计 less last December's
    // whole year (110 - 1200 = -1090 for 甲镇), a target added to itself.
    for expr in [
        "cum.output - lag(cum.output, 1)",
        "cum.output + lag(cum.output, 1) + lag(cum.output, 2)",
        "cum.output / lag(cum.output, 1) - 1",
        "cum.output >= lag(cum.output, 1)",
    ] {
        refused(expr, "of 1-N月累计 and 1-N月累计 some months earlier (lag(s, k)): across a year's start it sets January's 累计");
    }
    refused(
        "target.output + lag(target.output, 1)",
        "of a year's figure held in every month (an `annual = true` file: a target) and itself some months earlier",
    );
    // What is right is still computed: a lag shown as it is, a whole year's lag, a
    // month's share of the target cumulated (pro rata), a single month's target summed.
    assert_eq!(at(&series(&ws, "lag(cum.output, 1)"), "a", "2025-04"), 330.0);
    assert_eq!(at(&series(&ws, "cum.output - lag(cum.output, 12)"), "a", "2025-04"), 40.0);
    assert_eq!(at(&series(&ws, "cumulate(target.output / 12)"), "a", "2025-03"), 300.0);
    assert_eq!(at(&series(&ws, "sum(in_period(target.output, \"2025-04\"), \"periods\")"), "a", "2025-04"), 1200.0);
    assert_eq!(at(&series(&ws, "month_of(cum.output)"), "a", "2025-03"), 110.0);
    assert!(close(at(&series(&ws, "pct(yoy(cum.output))"), "a", "2025-04"), 10.0));
    assert_eq!(at(&series(&ws, "mean(target.output, \"periods\")"), "a", "2025-04"), 1200.0);
    assert_eq!(at(&series(&ws, "rollup(cum.output, \"county\")"), "qx", "2025-04"), 1100.0);
    assert!(close(at(&series(&ws, "completion(cum.output, target.output)"), "a", "2025-04"), 440.0 / 1200.0));
    assert_eq!(at(&series(&ws, "quarters(month_of(cum.output))"), "a", "2025-03"), 330.0);
}

/// month_of of figures that are each month's own (当月, not 累计) gives negative months:
/// said, with what the series may be.
#[test]
fn month_of_figures_that_fall_says_so() {
    let (_d, ws) = county(None);
    let r = ws.eval("month_of(200 - month_of(cum.output))").unwrap();
    assert!(
        r.notes.iter().any(|n| n.starts_with("month_of: ")
            && n.contains("cell(s) are negative (month_of takes 1-N月累计, and this series is not known to be one")),
        "{:?}",
        r.notes
    );
}

#[test]
fn annual_targets_hold_in_every_month_of_their_year() {
    let (_d, ws) = county(None);
    let t = series(&ws, "target.output");
    assert_eq!(at(&t, "a", "2025-01"), 1200.0);
    assert_eq!(at(&t, "a", "2025-12"), 1200.0);
    assert_eq!(at(&t, "qx", "2025-06"), 3000.0);
    assert!(at(&t, "a", "2024-12").is_nan());
    let c = series(&ws, "pct(completion(cum.output, target.output))");
    assert!(close(at(&c, "a", "2025-04"), 440.0 / 1200.0 * 100.0));
    assert!(close(at(&c, "b", "2025-04"), 27.5));
    // The county: its towns rolled up against its own target.
    let county = series(&ws, "pct(completion(rollup(cum.output, \"county\"), target.output))");
    assert!(close(at(&county, "qx", "2025-04"), 1100.0 / 3000.0 * 100.0));
}

#[test]
fn pacing_is_completion_less_the_share_of_the_year_in_percentage_points() {
    let (_d, ws) = county(None);
    let e = series(&ws, "pct(expected_share(cum.output))");
    assert!(close(at(&e, "a", "2025-04"), 100.0 / 3.0));
    assert!(at(&e, "a", "2025-06").is_nan(), "no figure for June: no schedule either");
    let e = series(&ws, "pct(expected_share(target.output))");
    assert!(close(at(&e, "qx", "2025-06"), 50.0));
    let p = series(&ws, "pacing(cum.output, target.output)");
    assert_eq!(p.unit.symbol.as_ref() as &str, "百分点");
    // a: 440/1200 = 36.67% against 33.33% by April: 3.33 points ahead.
    assert!(close(at(&p, "a", "2025-04"), 10.0 / 3.0));
    // b: 220/800 = 27.5%: 5.83 points behind.
    assert!(close(at(&p, "b", "2025-04"), 27.5 - 100.0 / 3.0));
    // A custom schedule: 一季度20%, 上半年45%: April expects 20 + 25/3.
    let s = series(&ws, "pacing(cum.output, target.output, [20, 45, 75, 100])");
    assert!(close(at(&s, "a", "2025-04"), 440.0 / 12.0 - (20.0 + 25.0 / 3.0)));
    assert!(close(at(&s, "b", "2025-04"), 27.5 - (20.0 + 25.0 / 3.0)));
    // The same schedule from the config.
    let (_d2, ws2) = county(Some("[20, 45, 75, 100]"));
    let s2 = series(&ws2, "pacing(cum.output, target.output)");
    assert_eq!(at(&s2, "b", "2025-04"), at(&s, "b", "2025-04"));
    let bad = ws.eval("pacing(cum.output, target.output, [20, 45, 40, 100])").err().unwrap();
    assert!(bad.message().starts_with("schedule goes down from 45 to 40"), "{}", bad.message());
}

#[test]
fn a_bad_schedule_in_the_config_names_its_line() {
    let (_d, path) = county_config_edited("period = \"2025-04\"", "period = \"2025-04\"\nschedule = [20, 45, 75, 90]");
    let e = yearbook::Workspace::open(&path, None).err().unwrap().to_string();
    assert!(e.ends_with("yearbook.toml:6:12: workspace.schedule ends at 90: the whole year is 100"), "{e}");
}

#[test]
fn on_pace_fails_the_towns_behind_schedule_and_says_by_how_much() {
    let (_d, ws) = county(None);
    let c = ws.eval("on_pace(cum.output, target.output, 5)").unwrap().value;
    let text = c.render(&Default::default(), Some(ws.panel()));
    // Only b at 2025-04 is more than 5 points behind.
    let failing: Vec<&str> = text.lines().filter(|l| l.contains("fail")).collect();
    assert_eq!(failing.len(), 1, "{text}");
    assert!(failing[0].contains("乙镇") && failing[0].contains("2025-04"), "{text}");
}

/// A run's finding of an on_pace rule without a message of its own says how far behind.
#[test]
fn an_on_pace_finding_says_how_far_behind_schedule() {
    let (d, _) = county(None);
    let path = d.path().join("yearbook.toml");
    let text = std::fs::read_to_string(&path).unwrap()
        + "\n[rules.on_pace]\ndescription = \"工业总产值时间过半任务过半\"\ncheck = \"on_pace(cum.output, target.output, 5)\"\nlevels = [\"town\"]\n";
    std::fs::write(&path, text).unwrap();
    let ws = yearbook::Workspace::open(&path, None).unwrap();
    let run = ws.run(&Default::default()).unwrap();
    let failed: Vec<&str> =
        run.findings.iter().filter(|f| f.status == yearbook::finding::Status::Fail).map(|f| f.message.as_str()).collect();
    assert_eq!(
        failed,
        [
            "乙镇 2025-04: 工业总产值时间过半任务过半 (actual 220万元, completion 27.5%, expected 33.33%, 落后时间进度5.83个百分点, target 800万元, imbalance -5.83百分点)"
        ]
    );
}

#[test]
fn ranking_by_completion_shares_a_place_on_a_tie() {
    let (_d, ws) = county(None);
    // a and c both at 440/1200: both first, b third.
    let r = series(&ws, "rank(level(completion(cum.output, target.output), \"town\"))");
    assert_eq!(at(&r, "a", "2025-04"), 1.0);
    assert_eq!(at(&r, "c", "2025-04"), 1.0);
    assert_eq!(at(&r, "b", "2025-04"), 3.0);
}

/// 两年平均增速 as offices report it since 2021: from values two years apart, and from the
/// two reported growths (2.3% in 2020, 8.1% in 2021: sqrt(1.023 x 1.081) - 1 = 5.16%).
#[test]
fn two_year_average_growth_from_values_and_from_reported_growths() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nx,某县,county,\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", "region,period,indicator,value\nx,2019,gdp,100\nx,2020,gdp,102.3\nx,2021,gdp,110.5863\n");
    w("growth.csv", "region,period,indicator,value\nx,2020,gdp,2.3\nx,2021,gdp,8.1\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[[data.facts]]\nfile = \"growth.csv\"\nnamespace = \"reported\"\nunit = \"%\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let from_values = series(&ws, "pct(two_year_avg(gdp))");
    assert!(close(at(&from_values, "x", "2021"), 5.160020920500008), "{}", at(&from_values, "x", "2021"));
    assert!(at(&from_values, "x", "2020").is_nan());
    let from_growths = series(&ws, "pct(two_year_avg_growth(reported.gdp))");
    assert!(close(at(&from_growths, "x", "2021"), 5.160020920500008));
    assert!(at(&from_growths, "x", "2020").is_nan(), "2019's growth is not given");
    let e = ws.eval("two_year_avg_growth(gdp)").err().unwrap();
    assert_eq!(e.message(), "two_year_avg_growth needs growth rates (a fraction or %), not 亿元");
    let e = ws.eval("month_of(gdp)").err().unwrap();
    assert_eq!(e.message(), "month_of needs monthly or quarterly figures; these are by year (a year is its own total)");
}

/// Two reported growths below -100% (figures that changed sign) have no two-year average:
/// sqrt(-0.5 x -0.5) - 1 read -50%. Missing, with a note, as over one such growth.
#[test]
fn two_year_average_of_growths_below_minus_100_percent_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nx,某县,county,\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\np,利润总额,万元,flow,sum,\n");
    w("facts.csv", "region,period,indicator,value\nx,2019,p,10\n");
    w("growth.csv", "region,period,indicator,value\nx,2019,p,5\nx,2020,p,-150\nx,2021,p,-150\nx,2022,p,10\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[[data.facts]]\nfile = \"growth.csv\"\nnamespace = \"reported\"\nunit = \"%\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let r = ws.eval("two_year_avg_growth(reported.p)").unwrap();
    let s = r.value.as_series().unwrap();
    for year in ["2020", "2021", "2022"] {
        assert!(at(&s, "x", year).is_nan(), "{year}: {}", at(&s, "x", year));
    }
    assert!(r.notes.iter().any(|n| n.starts_with("two_year_avg_growth: 3 cell(s) have a growth below -100%")), "{:?}", r.notes);
}

#[test]
fn annual_needs_a_finer_frequency_and_whole_years() {
    let (d, _) = county(None);
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    std::fs::write(d.path().join("yearbook.toml"), cfg.replace("frequency = \"month\"\n", "")).unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(e.contains("`annual = true` spreads yearly figures over the months or quarters of the panel"), "{e}");
    std::fs::write(d.path().join("yearbook.toml"), &cfg).unwrap();
    std::fs::write(d.path().join("targets.csv"), "region,period,indicator,value\na,2025-03,output,1200\n").unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(
        e.ends_with("targets.csv:2:2: period \"2025-03\" is a month: a file with `annual = true` holds whole years (2024), each spread over its months"),
        "{e}"
    );
}

/// The monthly sample (config/monthly) runs as a scheduled job would: its findings are
/// the cases generate.py put in (a late delivery, a revised figure, three towns behind
/// schedule), and its report is docs/monthly-report.md and .html (`YEARBOOK_BLESS=1`
/// rewrites them and docs/monthly-report.png, a screenshot of the page).
#[test]
fn the_monthly_sample_finds_what_was_put_in_and_writes_its_report() {
    use crate::common::*;
    let out = tempfile::tempdir().unwrap();
    let config = root().join("config/monthly/yearbook.toml");
    let (code, _, err) =
        cli(&["run", "-c", config.to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--format", "json,csv,md,html", "--quiet"]);
    assert_eq!(code, 1, "errors found: {err}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.path().join("findings.json")).unwrap()).unwrap();
    let failed: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["region"].as_str().unwrap().to_string()))
        .collect();
    let want = |rule: &str, towns: &[&str]| towns.iter().map(|t| (rule.to_string(), t.to_string())).collect::<Vec<_>>();
    let mut expected = [
        want("delivered", &["xincang"]),
        want("investment_on_pace", &["beishan", "shimen", "yunxi"]),
        want("output_on_pace", &["beishan", "shimen", "yunxi"]),
        want("revenue_month_not_negative", &["donggang"]),
    ]
    .concat();
    let mut failed = failed;
    failed.sort();
    expected.sort();
    assert_eq!(failed, expected);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        md.contains("- 东港镇2025年1-6月一般公共预算收入18207.9万元，低于上月累计19135.5万元，当月为-927.6万元：核实上月数据是否已修订"),
        "{md}"
    );
    assert!(md.contains("北山镇规模以上工业总产值完成年度目标39.8%，落后时间进度6.24个百分点"), "{md}");
    assert!(md.contains("| — | 新仓镇 | 暂无数据 |"), "{md}");
    assert!(!md.contains("{?") && !md.contains("NaN"), "{md}");
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let bless = std::env::var_os("YEARBOOK_BLESS").is_some();
    for (name, text) in [("docs/monthly-report.md", &md), ("docs/monthly-report.html", &html)] {
        let path = root().join(name);
        if bless {
            std::fs::write(&path, text).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(golden == *text, "{name} is out of date: run `YEARBOOK_BLESS=1 cargo test the_monthly_sample` and look at the diff");
    }
    // The page as a reader sees it: its headings, and a screenshot for docs/.
    let Some(mut chromium) = headless(&out.path().join("profile")) else {
        eprintln!("skipped the browser check: no chromium installed (.ci/run installs Debian's chromium)");
        return;
    };
    let page = out.path().join("report.html");
    let dom = chromium.arg("--dump-dom").arg(format!("file://{}", page.display())).output().unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    for h in ["一、主要指标完成情况", "二、进度排名", "三、落后乡镇", "四、进度领先"] {
        assert!(dom.contains(&format!("<h2>{h}</h2>")), "{h} missing: {dom}");
    }
    if bless {
        let shot = out.path().join("shot.png");
        let mut c = headless(&out.path().join("profile")).unwrap();
        c.args(["--hide-scrollbars", "--window-size=1000,2800"]).arg(format!("--screenshot={}", shot.display()));
        c.arg(format!("file://{}", page.display())).output().unwrap();
        std::fs::copy(&shot, root().join("docs/monthly-report.png")).unwrap();
    }
}

/// A county total from its towns is never short: b did not report 1-2月, so the
/// county's 1-2月 is unknown (not a and c alone), with a note naming b; a county
/// completion needs every town's output and target alike.
#[test]
fn a_county_total_with_a_town_missing_is_missing_not_short() {
    let (_d, ws) = county(None);
    let r = ws.eval("rollup(cum.output, \"county\")").unwrap();
    let s = r.value.as_series().unwrap();
    assert!(at(&s, "qx", "2025-02").is_nan());
    assert_eq!(at(&s, "qx", "2025-03"), 330.0 + 160.0 + 270.0);
    assert!(r.notes.iter().any(|n| n.contains("清溪县 2025-02: 乙镇 has no value")), "{:?}", r.notes);
    // As SQL's SUM does, when asked: the values present.
    let reported = series(&ws, "rollup(cum.output, \"county\", \"reported\")");
    assert_eq!(at(&reported, "qx", "2025-02"), 220.0 + 180.0);
    assert!(
        ws.eval("rollup(cum.output, \"county\", \"some\")").err().unwrap().message().contains("use \"complete\" (default) or \"reported\"")
    );
    // A town with no figure in earlier years (set up later) is not counted against its
    // county then; but from the start of the year it first reports in, it is: a town
    // whose 1-N月累计 starts in February is missing in January, not absent (a county
    // total without it would be a partial base for 累计同比 next year).
    let (d, _) = county(None);
    let cum = std::fs::read_to_string(d.path().join("cum.csv")).unwrap();
    let late: String =
        cum.lines().filter(|l| !(l.starts_with("c,2024") || l.starts_with("c,2025年1-1月"))).map(|l| format!("{l}\n")).collect();
    std::fs::write(d.path().join("cum.csv"), late).unwrap();
    let ws2 = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let r = ws2.eval("rollup(cum.output, \"county\")").unwrap();
    let s = r.value.as_series().unwrap();
    assert!(at(&s, "qx", "2024-12").is_finite(), "c is not counted in 2024");
    assert!(at(&s, "qx", "2025-01").is_nan(), "c reports from February 2025: January's total would be short");
    assert!(r.notes.iter().any(|n| n.contains("清溪县 2025-01: 丙镇 has no value")), "{:?}", r.notes);
    assert!(at(&s, "qx", "2025-02").is_nan(), "b is missing");
    // Output without a target: the county's completion would divide sums over different towns.
    let targets = std::fs::read_to_string(d.path().join("targets.csv")).unwrap().replace("c,2025,output,1200\n", "");
    std::fs::write(d.path().join("targets.csv"), targets).unwrap();
    let ws3 = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let r = ws3.eval("rollup(completion(cum.output, target.output), \"county\")").unwrap();
    assert!(at(&r.value.as_series().unwrap(), "qx", "2025-04").is_nan());
    // 丙镇 has 累计 and no target row: one side only, a gap of a town with rows that year.
    assert!(r.notes.iter().any(|n| n.contains("丙镇 has one side only") || n.contains("丙镇 has no value")), "{:?}", r.notes);
}

/// Without `[workspace] period`, a report is about the last month with reported figures,
/// not the December that the year's targets reach.
#[test]
fn latest_is_the_last_reported_month_not_the_targets_year_end() {
    let (d, path) = county_config_edited("period = \"2025-04\"\n", "");
    let ws = yearbook::Workspace::open(&path, None).unwrap();
    assert_eq!(ws.panel().periods().get(ws.panel().periods().len - 1).to_string(), "2025-12");
    assert_eq!(ws.panel().latest().map(|p| ws.panel().periods().get(p).to_string()).as_deref(), Some("2025-04"));
    let out = d.path().join("r.md");
    let (code, _, err) = crate::common::cli(&["report", "-c", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(out).unwrap().contains("2025年4月"));
}

#[test]
fn a_rule_on_the_latest_period_checks_the_latest_month_with_facts() {
    // Annual targets spread over months run the axis to December; on a 1-6月 workspace
    // `periods = ["latest"]` checked 2025-12, where nothing is reported: 0 items. It is
    // June: 甲镇 当月 = 40 - 50 = -10 fails, 乙镇 60 - 50 = 10 passes.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\na,甲镇,town,c\nb,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nout,产值,万元,flow,sum\n");
    w("cum.csv", "region,period,indicator,value\na,2025年1-5月,out,50\na,2025年1-6月,out,40\nb,2025年1-5月,out,50\nb,2025年1-6月,out,60\n");
    w("targets.csv", "region,year,indicator,value\na,2025,out,100\nb,2025,out,100\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n[[data.facts]]\nfile = \"targets.csv\"\nannual = true\n\
         namespace = \"target\"\n[rules.not_backwards]\ncheck = \"month_of(cum.out) >= 0\"\nlevels = [\"town\"]\nperiods = [\"latest\"]\n",
    );
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let r = yearbook::run::run(&ws, &Default::default(), &mut |_| {}).unwrap();
    let s = &r.rules[0];
    assert_eq!((s.items, s.passes, s.fails), (2, 1, 1));
    assert_eq!((r.findings[0].region.as_str(), r.findings[0].period.as_str()), ("a", "2025-06"));
}

#[test]
fn a_month_of_a_county_total_a_town_enters_is_taken_on_a_comparable_basis() {
    // 乙镇 first reports in 2021 (1-3月 300); 甲镇's 当月 in March is 10 then 11, 丙镇's 5
    // then 6. The county's March is 351 - 234 = 117 against 45 - 30 = 15 (680%); over
    // the towns in both years it is (11 + 6) / (10 + 5) - 1 = 13.33%.
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,万元,flow,sum,\n");
    w(
        "cum.csv",
        "region,period,indicator,value\nt1,2020年1月,gdp,10\nt1,2020年1-2月,gdp,20\nt1,2020年1-3月,gdp,30\n\
         t1,2021年1月,gdp,11\nt1,2021年1-2月,gdp,22\nt1,2021年1-3月,gdp,33\nt2,2021年1月,gdp,100\nt2,2021年1-2月,gdp,200\n\
         t2,2021年1-3月,gdp,300\nt3,2020年1月,gdp,5\nt3,2020年1-2月,gdp,10\nt3,2020年1-3月,gdp,15\nt3,2021年1-2月,gdp,12\n\
         t3,2021年1-3月,gdp,18\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(at(&series(&ws, "month_of(rollup(cumulative.gdp, \"county\"))"), "c", "2021-03"), 117.0);
    for e in ["yoy(month_of(rollup(cumulative.gdp, \"county\")))", "yoy(rollup(month_of(cumulative.gdp), \"county\"))"] {
        let g = at(&series(&ws, e), "c", "2021-03");
        assert!((g - 2.0 / 15.0).abs() < 1e-12, "{e}: {g}");
        let r = ws.eval(e).unwrap();
        assert!(
            r.notes.iter().any(|n| n.contains("comparable basis (同口径)") && n.contains("乙镇 is counted from 2021-01")),
            "{e}: {:?}",
            r.notes
        );
    }
    // The increase: 17 - 15 = 2, not 117 - 15 = 102.
    assert_eq!(at(&series(&ws, "diff(month_of(rollup(cumulative.gdp, \"county\")), 12)"), "c", "2021-03"), 2.0);
}

/// A 1-N月 rate declared a weighted mean (产销率, weighted_mean(out)) rolls up weighted by
/// the 1-N月 output under its own namespace, never by the month's (当月) output: the
/// county's 1-2月 is (90×100 + 98×300) / 400 = 96%, its 1-3月 (94×200 + 97×400) / 600
/// = 96% (it was (94×100 + 97×100) / 200 = 95.5%, a false failure of a 95.8% rule). Where
/// the namespace lacks the weight, the roll-up is refused, saying which to load.
#[test]
fn a_cumulative_rate_is_weighted_by_the_cumulative_figure() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nout,工业总产值,万元,flow,sum\nsales_rate,产销率,%,rate,weighted_mean(out)\n");
    w(
        "cum.csv",
        "地区,时期,指标,累计值\nt1,2025年1-2月,out,100\nt2,2025年1-2月,out,300\nt1,2025年1-2月,sales_rate,90\nt2,2025年1-2月,sales_rate,98\n\
         t1,2025年1-3月,out,200\nt2,2025年1-3月,out,400\nt1,2025年1-3月,sales_rate,94\nt2,2025年1-3月,sales_rate,97\n",
    );
    w("month.csv", "地区,时期,指标,当月值\nt1,2025年3月,out,100\nt2,2025年3月,out,100\n");
    w("rate.csv", "地区,时期,指标,累计值\nt1,2025年1-3月,sales_rate,94\nt2,2025年1-3月,sales_rate,97\n");
    let cum = "[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n\
               columns = { region = \"地区\", period = \"时期\", indicator = \"指标\", value = \"累计值\" }\n";
    let config = |facts: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2025-03\"\nregion = \"c\"\n[data]\n\
             regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n{facts}\
             [[data.facts]]\nfile = \"month.csv\"\ncolumns = {{ region = \"地区\", period = \"时期\", indicator = \"指标\", value = \"当月值\" }}\n\
             [rules.rate_min]\ncheck = \"cum.sales_rate >= 95.8\"\nlevels = [\"county\"]\n"
        )
    };
    w("yearbook.toml", &config(cum));
    let (code, out, err) =
        crate::common::cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "rollup(cum.sales_rate, \"county\")"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nc,某县,2025-02,96,%\nc,某县,2025-03,96,%\n"), "{err}");
    let (code, _, err) = crate::common::cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    // Rates under a namespace without its output: refused, naming the weight to load.
    w("yearbook.toml", &config(&cum.replace("cum.csv", "rate.csv")));
    let (code, _, err) =
        crate::common::cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "rollup(cum.sales_rate, \"county\")"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("its weight under `cum` is `cum.out`, which is not loaded: load `out`'s figures under the namespace `cum` too"),
        "{err}"
    );
}

/// 1-N月累计 reported only at quarters' ends (1-3月, 1-6月, …) on a monthly axis: month_of
/// and cumulate have no value (the months between are unknown), and said only that the
/// data starts inside its year; they now say the data comes every 3 months and how to
/// load it (periods as quarters, frequency = "quarter").
#[test]
fn month_of_over_quarter_ends_says_the_data_comes_every_three_months() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nout,工业总产值,万元,flow,sum\n");
    w(
        "cum.csv",
        "region,period,indicator,value\nt1,2024年1-3月,out,300\nt1,2024年1-6月,out,650\nt1,2024年1-9月,out,1000\nt1,2024年1-12月,out,1400\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n",
    );
    let (code, out, err) = crate::common::cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "month_of(cum.out)"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\n"), "{err}");
    assert!(
        err.contains(
            "month_of: the data comes only every 3 months (2024-03, 2024-06, 2024-09, ...), so the months between are unknown and \
             month_of is missing there and after; if these are quarters' 1-N月累计 (1-3月, 1-6月, ...), write their periods as \
             quarters (2024年1-2季度 for 1-6月) and load them with frequency = \"quarter\""
        ),
        "{err}"
    );
    assert!(!err.contains("the data starts at"), "{err}");
    // Loaded by quarter, each quarter's own figure: 300, 350, 350, 400.
    let cfg = std::fs::read_to_string(dir.path().join("yearbook.toml")).unwrap().replace("\"month\"", "\"quarter\"");
    w("yearbook.toml", &cfg);
    w(
        "cum.csv",
        "region,period,indicator,value\nt1,2024年1季度,out,300\nt1,2024年1-2季度,out,650\nt1,2024年1-3季度,out,1000\nt1,2024年1-4季度,out,1400\n",
    );
    let (code, out, err) = crate::common::cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "month_of(cum.out)"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "region,name,period,value,unit\nt1,甲镇,2024Q1,300,万元\nt1,甲镇,2024Q2,350,万元\nt1,甲镇,2024Q3,350,万元\nt1,甲镇,2024Q4,400,万元\n"
    );
}

/// A failing finding gives its figures to the decimals that show the failure: 甲镇
/// 5.9996 of 12 at June (49.9967%, 0.0033 points behind) said 完成年度目标50%，与时间进度
/// 持平; 乙镇 5.6399 (3.0008 behind a limit of 3) said 落后时间进度3个百分点, within the
/// limit; 11.9999 of 12 failing the full target said 完成年度目标100%. A figure that is
/// whole, or shows as not whole, keeps its decimals.
#[test]
fn a_failing_finding_never_rounds_a_figure_onto_the_round_number_it_failed() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,工业产值,亿元,flow,sum,\n");
    w(
        "cum.csv",
        "region,period,indicator,value\nt1,2025-06,out,5.9996\nt2,2025-06,out,5.6399\nt3,2025-06,out,5.4\nt1,2025-12,out,11.9999\n",
    );
    w("targets.csv", "region,period,indicator,value\nt1,2025,out,12\nt2,2025,out,12\nt3,2025,out,12\n");
    let message = "{region}{period:cum}产值{actual:amount}，完成年度目标{completion:1}，{pacing:pace}";
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\nfrequency = \"month\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n\
             [[data.facts]]\nfile = \"targets.csv\"\nannual = true\nnamespace = \"target\"\n\
             [rules.p0]\nseverity = \"warning\"\ncheck = \"on_pace(cum.out, target.out, 0)\"\nlevels = [\"town\"]\nperiods = [\"2025-06\"]\nmessage = \"{message}\"\n\
             [rules.p3]\nseverity = \"warning\"\ncheck = \"on_pace(cum.out, target.out, 3)\"\nlevels = [\"town\"]\nperiods = [\"2025-06\"]\nmessage = \"{message}\"\n\
             [rules.full]\nseverity = \"warning\"\ncheck = \"target_completion(cum.out, target.out, 1)\"\nlevels = [\"town\"]\nperiods = [\"2025-12\"]\n\
             message = \"{{region}}完成年度目标{{completion:1}}\"\n"
        ),
    );
    let (_, out, err) = crate::common::cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "csv"]);
    let findings = std::fs::read_to_string(d.path().join("out/findings.csv")).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    for want in [
        // 5.9996亿元, never 6亿元 = half the target it fails to reach (rule23 05).
        "p0,warning,fail,t1,甲镇,2025-06,-0.00333333333333297,甲镇2025年1-6月产值5.9996亿元，完成年度目标49.997%，落后时间进度0.003个百分点",
        "p3,warning,fail,t2,乙镇,2025-06,-3.00083333333334,乙镇2025年1-6月产值5.64亿元，完成年度目标46.999%，落后时间进度3.001个百分点",
        "p3,warning,fail,t3,丙镇,2025-06,-5,丙镇2025年1-6月产值5.4亿元，完成年度目标45%，落后时间进度5个百分点",
        "full,warning,fail,t1,甲镇,2025-12,-0.0001,甲镇完成年度目标99.999%",
    ] {
        assert!(findings.contains(want), "{want}\n{findings}");
    }
}

/// Town a reports 100 a month through 2024, b 100 a month from March 2024 (its January
/// and February unknown), both 110 in January 2025. b's 2024 1-N月累计 is unknown, so
/// the county's is: missing with a note naming 乙镇, in whichever order it is written,
/// never a's 1200 as the county's 1-12月累计 (a 1200 + b's Mar-Dec 1000: at least 2200).
/// The same for the quarter and the 当月 made of them.
#[test]
fn a_county_total_of_a_town_with_unknown_months_is_missing_not_short() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nqx,清溪县,county,\na,甲镇,town,qx\nb,乙镇,town,qx\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,工业产值,万元,flow,sum,\n");
    let mut facts = String::from("region,period,indicator,value\n");
    for m in 1..=12 {
        facts += &format!("a,2024-{m:02},out,100\n");
        if m >= 3 {
            facts += &format!("b,2024-{m:02},out,100\n");
        }
    }
    facts += "a,2025-01,out,110\nb,2025-01,out,110\n";
    w("mon.csv", &facts);
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2024-12\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"mon.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    for expr in ["rollup(cumulate(out), \"county\")", "cumulate(rollup(out, \"county\"))"] {
        let r = ws.eval(expr).unwrap();
        let s = r.value.as_series().unwrap();
        assert!(at(&s, "qx", "2024-12").is_nan(), "{expr}: {}", at(&s, "qx", "2024-12"));
        assert!(r.notes.iter().any(|n| n.contains("乙镇 has no value")), "{expr}: {:?}", r.notes);
        // 2025 starts afresh: 110 + 110.
        assert_eq!(at(&s, "qx", "2025-01"), 220.0, "{expr}");
    }
    // The towns' own: a 1200; b unknown.
    let s = series(&ws, "cumulate(out)");
    assert_eq!((at(&s, "a", "2024-12"), at(&s, "b", "2024-12").is_nan()), (1200.0, true));
    // Q1 2024 lacks b's January and February: missing; Q2-Q4 300 + 300.
    let q = series(&ws, "rollup(quarters(out), \"county\")");
    assert!(at(&q, "qx", "2024-03").is_nan());
    assert_eq!((at(&q, "qx", "2024-06"), at(&q, "qx", "2024-12")), (600.0, 600.0));
    // 当月 of b's unknown 累计 is unknown too: the county's March is missing, not a's 100.
    let m = series(&ws, "rollup(month_of(cumulate(out)), \"county\")");
    assert!(at(&m, "qx", "2024-03").is_nan(), "{}", at(&m, "qx", "2024-03"));
    assert_eq!(at(&m, "qx", "2025-01"), 220.0);
}

/// 累计同比 on a monthly panel compares with the same months a year earlier (2024年1-3月),
/// so its words name 上年同期, never 上年 (a year whose figure is not −2亿元): in the
/// report's growth(), the indicator table and a report rule's {g:growth}.
#[test]
fn a_monthly_change_names_the_same_months_a_year_earlier() {
    use crate::common::*;
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| {
        std::fs::create_dir_all(dir.path().join(name).parent().unwrap()).unwrap();
        std::fs::write(dir.path().join(name), text).unwrap()
    };
    w("regions.csv", "code,name,level,parent\nc,某县,county,\na,甲镇,town,c\nb,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nnx,净出口,万元,flow,sum,\nout,工业产值,万元,flow,sum,\n");
    w(
        "cum.csv",
        "region,period,indicator,value\na,2024年1-3月,nx,-20000\na,2025年1-3月,nx,5000\nb,2024年1-3月,nx,100\n\
         b,2025年1-3月,nx,-50\na,2024年1-3月,out,300\na,2025年1-3月,out,300\nb,2024年1-3月,out,100\nb,2025年1-3月,out,100\n",
    );
    w(
        "report/ov.md",
        "全县1-3月净出口{{ amount(\"nx_cum\") }}，{{ growth(\"nx_cum\") }}；工业产值{{ growth(\"out_cum\") }}。\n{{ sentences() }}\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2025-03\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n\
         namespace = \"cum\"\n[indicators.nx_cum]\nlabel = \"净出口\"\nexpr = \"cum.nx\"\n[indicators.out_cum]\nlabel = \"工业产值\"\n\
         expr = \"cum.out\"\n[report]\ntemplates = \"report\"\nsections = [\"ov\"]\n[report.rules.s]\nsection = \"ov\"\nwhen = \"cum.nx != 0\"\nlevels = [\"town\"]\n\
         values = { v = \"cum.nx\", g = \"yoy(cum.nx)\", go = \"yoy(cum.out)\" }\n\
         say = \"{region}净出口{v}，{g:growth}；工业产值{go:growth}\"\n",
    );
    let (code, _, err) = cli_in(dir.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    // County: −20000 + 100 = −19900万元 a year earlier, 5000 − 50 = 4950 now.
    assert!(out.contains("全县1-3月净出口4950万元，由负转正（上年同期-1.99亿元）；工业产值与上年同期持平。"), "{out}");
    assert!(out.contains("甲镇净出口5000万元，由负转正（上年同期-2亿元）；工业产值与上年同期持平"), "{out}");
    assert!(out.contains("乙镇净出口-50万元，由正转负（上年同期100万元）"), "{out}");
    assert!(!out.contains("（上年-") && !out.contains("与上年持平"), "{out}");
}

/// On a panel of quarters a year's target added across its quarters counts it 4 times:
/// the refusal's example says so (1200 would read 4800) and names the quarters' 累计.
#[test]
fn a_target_added_across_quarters_is_refused_with_the_quarters_figures() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nqx,清溪县,county,\na,甲镇,town,qx\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,工业总产值,万元,flow,sum,\n");
    w("q.csv", "region,period,indicator,value\na,2025Q1,out,300\na,2025Q2,out,320\n");
    w("targets.csv", "region,period,indicator,value\na,2025,out,1200\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"quarter\"\nperiod = \"2025Q2\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"q.csv\"\n\
         [[data.facts]]\nfile = \"targets.csv\"\nannual = true\nnamespace = \"target\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("cumulate(target.out)").err().unwrap().to_string();
    assert!(e.contains("counts it 4 times (a target of 1200 would read 4800)"), "{e}");
    assert!(e.contains("compare it with 1-N季度累计: completion(cum.x, target.x)"), "{e}");
}

/// A 1-6月 cumulative against the year's target: below 100% the task is not yet 未完成
/// (the pacing says it is behind), and a failing finding prints the completion as
/// `{completion:1}` does (46.999%, where it said 47% beside 46.999%). By hand: 甲镇
/// 4.6999 of 10 is 46.999%, 50 - 46.999 = 3.001 points behind. In December the same
/// figure is 未完成任务.
#[test]
fn a_completion_before_the_years_end_is_not_yet_unfinished() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,规上工业总产值,亿元,flow,sum,\n");
    w("cum.csv", "region,period,indicator,value\nt1,2025-06,out,4.6999\nt2,2025-06,out,5.3\nt1,2025-12,out,9.5\nt2,2025-12,out,10.2\n");
    w("targets.csv", "region,year,indicator,value\nt1,2025,out,10\nt2,2025,out,10\n");
    let cfg = |period: &str| {
        format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\nfrequency = \"month\"\nperiod = \"{period}\"\nregion = \"c1\"\n\
             [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n\
             [[data.facts]]\nfile = \"targets.csv\"\nannual = true\nnamespace = \"target\"\n\
             [rules.pace]\nseverity = \"warning\"\ncheck = \"on_pace(cum.out, target.out, 3)\"\nlevels = [\"town\"]\nperiods = [\"{period}\"]\n\
             message = \"{{region}}{{period:cum}}产值{{actual:amount}}，完成年度目标{{completion:completion}}，{{pacing:pace}}，{{completion:1}}\"\n"
        )
    };
    w("yearbook.toml", &cfg("2025-06"));
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let res = ws.run(&Default::default()).unwrap();
    let msgs: Vec<&str> = res.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, ["甲镇2025年1-6月产值4.7亿元，完成年度目标完成县下达任务46.999%，落后时间进度3.001个百分点，46.999%"]);
    w("yearbook.toml", &cfg("2025-12"));
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let res = ws.run(&Default::default()).unwrap();
    let msgs: Vec<&str> = res.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, ["甲镇2025年1-12月产值9.5亿元，完成年度目标完成县下达任务95%，未完成任务，落后时间进度5个百分点，95%"]);
}

/// A table of single months with January and February together (`1-2月, 3月, 4月`),
/// loaded with `cumulative = true` as the 1-2月 refusal said: each later month alone read as
/// the 累计 through it (3月's 110 as 1-3月, where it is 330). Refused at the month alone;
/// without the key the 1-2月 refusal now names this layout too. Spans throughout load.
#[test]
fn a_span_beside_single_months_in_a_cumulative_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nqx,清溪县,county,\na,甲镇,town,qx\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\noutput,工业总产值,万元,flow,sum,\n");
    let config = |cumulative: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"m.csv\"\ncolumns_are = \"periods\"\nindicator = \"output\"\n\
             year = 2025\n{cumulative}"
        )
    };
    let open = || yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).map_err(|e| e.to_string());
    w("m.csv", "地区,1-2月,3月,4月\n甲镇,220,110,110\n");
    w("yearbook.toml", &config("cumulative = true\n"));
    let e = open().err().unwrap();
    assert!(
        e.ends_with(
            "m.csv:1:3: period \"3月\" is a month (or quarter) alone beside \"1-2月\", a span from January: a cumulative (累计) file \
             writes every period as a span (1-3月, 1-4月), so this is a table of single months with January and February \
             together, and \"3月\" would be read as the 累计 through it; give its 1-N月累计 figures, or its single months with 1月 \
             and 2月 apart in a file without `cumulative = true`"
        ),
        "{e}"
    );
    w("yearbook.toml", &config(""));
    let e = open().err().unwrap();
    assert!(e.contains("(where the file's other periods are single months, 3月, 4月, with January and February together, give 1月 and 2月 apart instead: no file of 累计 writes 3月 alone)"), "{e}");
    w("m.csv", "地区,1-2月,1-3月,1-4月\n甲镇,220,330,440\n");
    w("yearbook.toml", &config("cumulative = true\n"));
    let ws = open().unwrap();
    assert_eq!(at(&series(&ws, "cumulative.output"), "a", "2025-03"), 330.0);
}

/// `{x:change(prev)}` with `prev = lag(cum.x, 1)` set a 1-N月累计 against last month's
/// (in January against last year's whole: 下降90%; 1-3月 against 1-2月: 增长50%), where the
/// same formula is refused. The phrasing is refused with the formula's words.
#[test]
fn a_change_of_cumulative_figures_from_last_month_is_refused_as_a_phrasing() {
    let (d, _) = county(None);
    let path = d.path().join("yearbook.toml");
    let text = std::fs::read_to_string(&path).unwrap()
        + "\n[rules.c]\ncheck = \"note(cum.output)\"\nlevels = [\"town\"]\n\
           message = \"{region}{value:amount}，{value:change(p1)}\"\nvalues = { p1 = \"lag(cum.output, 1)\" }\n";
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = crate::common::cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("rules.c.message: `{value:change(p1)}` sets `value` against `p1`: `-` of 1-N月累计 and 1-N月累计 some months earlier"),
        "{err}"
    );
}

/// 1-N月累计 times a figure of each month (a rate, 增值税率 13%) is still 累计: 1-6月
/// output at June's rate is the half year's. quarters() of it added 1-4月, 1-5月 and 1-6月
/// (Q2 214.5 for 42.9) and a sum across periods gave 300.3 for 85.8; both are refused as
/// they are of `cum.output * 0.13`, and the 当月 form gives 42.9 a quarter.
#[test]
fn cumulative_times_a_monthly_rate_stays_cumulative() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nqx,清溪县,county,\na,甲镇,town,qx\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\noutput,工业总产值,万元,flow,sum,\nrate,增值税率,%,rate,none,\n");
    w("cum.csv", "地区,1月,1-2月,1-3月,1-4月,1-5月,1-6月\n甲镇,110,220,330,440,550,660\n");
    let rates: String = (1..=6).map(|m| format!("a,2025-{m:02},rate,13\n")).collect();
    w("m.csv", &format!("region,period,indicator,value\n{rates}"));
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nregion = \"qx\"\nperiod = \"2025-06\"\n\
         [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"m.csv\"\n\
         [[data.facts]]\nfile = \"cum.csv\"\ncolumns_are = \"periods\"\nindicator = \"output\"\nyear = 2025\ncumulative = true\n\
         namespace = \"cum\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let refused = |expr: &str, want: &str| {
        let e = ws.eval(expr).map(|_| ()).expect_err(expr);
        assert!(e.to_string().contains(want), "{expr}: {e}");
    };
    for expr in ["quarters(cum.output * rate / 100)", "quarters(rate * cum.output / 100)", "quarters(cum.output / (100 / rate))"] {
        refused(expr, "quarters of 1-N月累计");
    }
    refused("sum(cum.output * rate / 100, \"periods\")", "sum across periods of 1-N月累计");
    let q = series(&ws, "quarters(month_of(cum.output) * rate / 100)");
    assert!(close(at(&q, "a", "2025-03"), 42.9) && close(at(&q, "a", "2025-06"), 42.9), "{q:?}");
    // A ratio of two 累计 figures is a figure of its own (a 1-N月 rate), as before.
    let r = series(&ws, "cum.output / cum.output");
    assert!(r.spread.is_none());
}

/// A namespace fed by a `cumulative = true` file and by a file of single months (another
/// indicator, 工业用电量) kept neither kind: quarters(cum.output) gave 1-3月累计 added
/// three times. Each indicator now has the kind of the files that gave it figures; one
/// given both ways (April as 当月 beside 1-3月累计) is refused at load, naming both files.
/// The same for `annual = true` targets beside a monthly file of another indicator.
#[test]
fn a_namespace_keeps_each_indicators_kind_and_refuses_one_of_two_kinds() {
    let (d, path) = county_config_edited(
        "namespace = \"target\"\n",
        "namespace = \"target\"\n\n[[data.facts]]\nfile = \"more.csv\"\nnamespace = \"cum\"\n\n[[data.facts]]\nfile = \"plan.csv\"\nnamespace = \"target\"\n",
    );
    let w = |name: &str, text: &str| std::fs::write(d.path().join(name), text).unwrap();
    w("indicators.csv", "code,label,unit,kind,rollup,note\noutput,工业总产值,万元,flow,sum,\npower,工业用电量,万千瓦时,flow,sum,\n");
    w("more.csv", "region,period,indicator,value\na,2025-01,power,10\na,2025-02,power,12\n");
    w("plan.csv", "region,period,indicator,value\na,2025-01,power,11\n");
    let ws = yearbook::Workspace::open(&path, None).unwrap();
    let e = ws.eval("quarters(cum.output)").map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("quarters of 1-N月累计"), "{e}");
    let e = ws.eval("cumulate(target.output)").map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("counts it 12 times"), "{e}");
    // 工业用电量 came as single months: of no kind.
    assert!(series(&ws, "cum.power").spread.is_none());
    // April given as its own month beside 1-3月累计 in the same namespace.
    w("more.csv", "region,period,indicator,value\na,2025-05,output,120\n");
    let e = yearbook::Workspace::open(&path, None).map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("cum.output is loaded from ") && e.contains("cum.csv as 1-N月累计 (`cumulative = true`) and from "), "{e}");
    assert!(e.contains("more.csv as single periods' figures: one series cannot hold both"), "{e}");
}

/// A column or row headed 累计 of a year alone beside that year's months: the year so
/// far, not the whole year. `1月,2月,3月,累计` with `cumulative = true` put the 累计 (300,
/// 1-3月) at 2025-12, said 2025年1-12月…未完成任务 in the report; loaded as written it was
/// refused as "a year" with no word of 累计. Each is now refused at the header (or row),
/// saying what the column is; 2024年累计 alone in a file is that year's whole.
#[test]
fn a_bare_cumulative_column_beside_the_months_is_the_year_so_far_not_the_whole_year() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninv,固定资产投资,万元,flow,sum,\n");
    let open = |file: &str, text: &str, entry: &str| {
        w(file, text);
        w(
            "yearbook.toml",
            &format!(
                "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nregion = \"c\"\n[data]\nregions = \
                 \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"{file}\"\n{entry}"
            ),
        );
        yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).map_err(|e| e.to_string())
    };
    let wide = "columns_are = \"periods\"\nindicator = \"inv\"\nyear = 2025\n";
    let cum = "cumulative = true\nnamespace = \"cum\"\n";
    let e = open("m.csv", "地区,1月,2月,3月,累计\n甲镇,100,100,100,300\n", wide).map(|_| ()).unwrap_err();
    assert!(e.contains("m.csv:1:5: header \"累计\" beside single months of 2025 (through 2025年3月) is their sum (累计)"), "{e}");
    let e = open("m.csv", "地区,1月,2月,3月,累计\n甲镇,100,100,100,300\n", &format!("{wide}{cum}")).map(|_| ()).unwrap_err();
    assert!(e.contains("header \"累计\" beside months alone (through 2025年3月) in a file with `cumulative = true`"), "{e}");
    let e = open("m.csv", "地区,1-2月,1-3月,累计\n甲镇,200,300,300\n", &format!("{wide}{cum}")).map(|_| ()).unwrap_err();
    assert!(
        e.contains("header \"累计\" reads as 2025年1-12月累计 (the whole year), but the columns beside it stop at 2025年3月: it is the year so far (2025年1-3月)"),
        "{e}"
    );
    let long = "region,period,indicator,value\nt1,2025年1-2月,inv,200\nt1,2025年1-3月,inv,300\nt1,2025年累计,inv,300\n";
    let e = open("l.csv", long, cum).map(|_| ()).unwrap_err();
    assert!(e.contains("l.csv:4: period \"2025年累计\" reads as 2025年1-12月累计 (the whole year), but the file's other figures of that year stop at 2025年3月"), "{e}");
    // 全年 or 全年累计 says the whole year as 累计 does, and is refused alike beside 1-3月.
    for h in ["全年", "全年累计", "2025年全年"] {
        let e = open("m.csv", &format!("地区,1-2月,1-3月,{h}\n甲镇,200,300,300\n"), &format!("{wide}{cum}")).map(|_| ()).unwrap_err();
        assert!(
            e.contains(&format!("header \"{h}\" reads as 2025年1-12月累计 (the whole year), but the columns beside it stop at 2025年3月")),
            "{e}"
        );
    }
    let long = "region,period,indicator,value\nt1,2025年1-2月,inv,200\nt1,2025年1-3月,inv,300\nt1,2025年全年,inv,300\n";
    let e = open("l.csv", long, cum).map(|_| ()).unwrap_err();
    assert!(e.contains("l.csv:4: period \"2025年全年\" reads as 2025年1-12月累计 (the whole year)"), "{e}");
    // Beside 1-12月 the 全年 column is the same period twice.
    let months: Vec<String> = (2..=12).map(|m| format!("1-{m}月")).collect();
    let vals: Vec<String> = (2..=12).map(|m| (m * 100).to_string()).collect();
    let e = open("m.csv", &format!("地区,{},全年\n甲镇,{},1200\n", months.join(","), vals.join(",")), &format!("{wide}{cum}"))
        .map(|_| ())
        .unwrap_err();
    assert!(e.contains("duplicate fact for (t1, 2025-12, cum.inv)"), "{e}");
    // After 1-11月, or 1-9月 in steps of a quarter, 全年 is the year-end report's: December's
    // 累计 (fixes17 08, monthly17 06: refused as "the year so far").
    let ws = open("m.csv", "地区,1-10月,1-11月,全年\n甲镇,900,1000,1200\n", &format!("{wide}{cum}")).unwrap();
    let s = series(&ws, "cum.inv");
    assert_eq!((at(&s, "t1", "2025-11"), at(&s, "t1", "2025-12")), (1000.0, 1200.0));
    let ws = open("m.csv", "地区,1-3月,1-6月,1-9月,全年\n甲镇,300,600,900,1200\n", &format!("{wide}{cum}")).unwrap();
    assert_eq!(at(&series(&ws, "cum.inv"), "t1", "2025-12"), 1200.0);
    let long = "region,period,indicator,value\nt1,2025年1-10月,inv,900\nt1,2025年1-11月,inv,1000\nt1,2025年全年,inv,1200\n";
    let ws = open("l.csv", long, cum).unwrap();
    assert_eq!(at(&series(&ws, "cum.inv"), "t1", "2025-12"), 1200.0);
    let long =
        "region,period,indicator,value\nt1,2025年1-3月,inv,300\nt1,2025年1-6月,inv,600\nt1,2025年1-9月,inv,900\nt1,2025年全年,inv,1200\n";
    let ws = open("l.csv", long, cum).unwrap();
    assert_eq!(at(&series(&ws, "cum.inv"), "t1", "2025-12"), 1200.0);
    // ... but not after 1-6月 in steps of a quarter.
    let e = open("m.csv", "地区,1-3月,1-6月,全年\n甲镇,300,600,600\n", &format!("{wide}{cum}")).map(|_| ()).unwrap_err();
    assert!(e.contains("header \"全年\" reads as 2025年1-12月累计 (the whole year), but the columns beside it stop at 2025年6月"), "{e}");
    // Last year's 累计 beside this year's months is last year's whole.
    let ws = open("l.csv", "region,period,indicator,value\nt1,2024年累计,inv,1000\nt1,2025年1-2月,inv,200\n", cum).unwrap();
    let s = series(&ws, "cum.inv");
    assert_eq!((at(&s, "t1", "2024-12"), at(&s, "t1", "2025-02")), (1000.0, 200.0));
}

/// Pacing of single months' figures (当月) against a year's target: a town on pace with
/// 100 a month against 1200 was said 落后时间进度41.67个百分点 (100 / 1200 against 50%).
/// pacing and on_pace now refuse such an actual (month_of's result, a file of single
/// months), naming cumulate(x); the 1-N月累计 figure and cumulate(month_of(x)) pace.
#[test]
fn pacing_refuses_single_months_against_a_years_target() {
    let (_d, ws) = county(None);
    // completion and target_completion alike (fixes16 04: at June, 100 a month against 1200
    // was said 完成县下达任务8.3% and failed a rule at 8.33%, where 600 is 50%).
    for expr in [
        "pacing(month_of(cum.output), target.output)",
        "on_pace(month_of(cum.output), target.output, 3)",
        "completion(month_of(cum.output), target.output)",
        "pct(completion(month_of(cum.output), target.output)) - pct(expected_share(cum.output))",
        "target_completion(month_of(cum.output), target.output, 0.5)",
        // share and share_pct, and the towns' sum or a `where` of them (fixes17 05: 8.3%
        // and the county's 9.17% at June).
        "share(month_of(cum.output), target.output)",
        "share_pct(month_of(cum.output), target.output)",
        "completion(sum(level(month_of(cum.output), \"town\")), sum(level(target.output, \"town\")))",
        "completion(where(cum.output > 0, month_of(cum.output), 0), target.output)",
    ] {
        let e = ws.eval(expr).map(|_| ()).expect_err(expr).to_string();
        assert!(e.contains("of single months' figures (当月) against a year's target: completion by now is of the year so far"), "{e}");
        assert!(e.contains("(cumulate(x), …)"), "{e}");
    }
    // 甲镇 1-4月 440 of 1200: 36.67% against 4/12, 3.33 points ahead, both ways.
    let a = series(&ws, "pacing(cum.output, target.output)");
    let b = series(&ws, "pacing(cumulate(month_of(cum.output)), target.output)");
    assert!(close(at(&a, "a", "2025-04"), 440.0 / 12.0 - 100.0 / 3.0), "{}", at(&a, "a", "2025-04"));
    assert!(close(at(&b, "a", "2025-04"), at(&a, "a", "2025-04")));
    let c = series(&ws, "completion(cumulate(month_of(cum.output)), target.output)");
    assert!(close(at(&c, "a", "2025-04"), 440.0 / 1200.0), "{}", at(&c, "a", "2025-04"));
    // A share of the 1-N月累计 in the year's target, and of a town in the county's 当月.
    let c = series(&ws, "share(cum.output, target.output)");
    assert!(close(at(&c, "a", "2025-04"), 440.0 / 1200.0), "{}", at(&c, "a", "2025-04"));
    let c = series(&ws, "share(month_of(cum.output), sum(month_of(cum.output)))");
    assert!(c.data.iter().any(|v| v.is_finite()));
}

/// A completion beside its pace prints apart from the share due by now: at June (50% due)
/// 749.3 of 1500 was said 完成县下达任务50%，落后时间进度0.05个百分点, and 750.7 完成50%，超前,
/// where the run's message said 49.95%. The sentence now gives the digits that tell them
/// apart: 49.95% and 50.05%.
#[test]
fn a_completion_beside_its_pace_prints_apart_from_the_share_due() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,规模以上工业总产值,万元,flow,sum,\n");
    w("cum.csv", "region,period,indicator,value\nt1,2025年1-6月,out,749.3\nt2,2025年1-6月,out,750.7\n");
    w("targets.csv", "region,year,indicator,value\nt1,2025,out,1500\nt2,2025,out,1500\n");
    w(
        "yearbook.toml",
        "[workspace]\nname = \"t\"\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2025-06\"\nregion = \"c\"\n\
         [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n\
         namespace = \"cum\"\n[[data.facts]]\nfile = \"targets.csv\"\nannual = true\nnamespace = \"target\"\n[report]\ntitle = \"t\"\n\
         sections = [\"highlights\"]\n[report.rules.a]\nsection = \"highlights\"\nlevels = [\"town\"]\nwhen = \"cum.out > 0\"\n\
         values = { c = \"completion(cum.out, target.out)\", p = \"pacing(cum.out, target.out)\" }\n\
         say = \"{region}{period:cum}产值{cum.out:amount}，{c:completion}，{p:pace}\"\n",
    );
    let (code, out, err) = crate::common::cli_in(dir.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{out}{err}");
    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(
        md.contains(
            "甲镇2025年1-6月产值749.3万元，完成县下达任务49.95%，落后时间进度0.05个百分点；乙镇2025年1-6月产值750.7万元，完成县下达任务50.05%，\
             超前时间进度0.05个百分点"
        ),
        "{md}"
    );
    // Closer still: the pace is not rounded onto 持平 beside 49.996% (words16 04).
    w("cum.csv", "region,period,indicator,value\nt1,2025年1-6月,out,749.94\nt2,2025年1-6月,out,750.06\n");
    let (code, out, err) = crate::common::cli_in(dir.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{out}{err}");
    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(md.contains("完成县下达任务49.996%，落后时间进度0.004个百分点"), "{md}");
    assert!(md.contains("完成县下达任务50.004%，超前时间进度0.004个百分点"), "{md}");
}

/// A county made of its towns, one of which reports from 2025 on (丁镇) or from March
/// (戊镇 in the second case): the county's 1-N月累计 growth said 统计范围变化, but its 当月
/// and 当季 growths, taken from that 累计 by month_of and quarters, set four towns against
/// three (words16 02: 同比增长12.48% for a comparable 2.91%). They now say so too, in a
/// rule at the county and through level(); a 当月 whose 累计 counts a town the month
/// before does not is missing.
#[test]
fn a_counties_monthly_growth_with_a_town_new_this_year_is_not_comparable() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丁镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,产值,万元,flow,sum,\n");
    // 甲镇 and 乙镇 100 and 200 a month in 2024, 110 and 210 in 2025; 丁镇 50 a month from 2025.
    let mut rows = String::from("region,period,indicator,value\n");
    for (r, y, m0, base) in [("t1", 2024, 100, 0), ("t2", 2024, 200, 0), ("t1", 2025, 110, 0), ("t2", 2025, 210, 0), ("t3", 2025, 50, 0)] {
        for m in 1..=6 {
            rows.push_str(&format!("{r},{y}年1-{m}月,out,{}\n", base + m0 * m));
        }
    }
    w("cum.csv", &rows.replace("年1-1月", "年1月"));
    let toml = "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2025-06\"\nregion = \"c\"\n[data]\n\
                regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n\
                namespace = \"cum\"\n[rules.m]\nlevels = [\"county\"]\nseverity = \"info\"\n\
                check = \"note(pct(yoy(month_of(cum.out))))\"\nmessage = \"{region}当月{value:growth}\"\n[rules.q]\n\
                levels = [\"county\"]\nseverity = \"info\"\ncheck = \"note(pct(yoy(quarters(month_of(cum.out)))))\"\n\
                message = \"{region}当季{value:growth}\"\n";
    w("yearbook.toml", toml);
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    // Through level(): missing, with the note; the comparable basis is rollup's, 310 / 300.
    for e in ["yoy(month_of(level(cum.out, \"county\")))", "yoy(quarters(month_of(level(cum.out, \"county\"))))"] {
        assert!(at(&series(&ws, e), "c", "2025-06").is_nan(), "{e}");
    }
    assert!(close(at(&series(&ws, "yoy(month_of(rollup(cum.out, \"county\")))"), "c", "2025-06"), 320.0 / 300.0 - 1.0));
    // In a rule at the county: no growth of 360 against 300 (20%).
    let out = dir.path().join("o");
    let (code, _, err) = crate::common::cli_in(
        dir.path(),
        &["run", "-c", "yearbook.toml", "--out", out.to_str().unwrap(), "--format", "csv", "--fail-on", "never"],
    );
    assert_eq!(code, 0, "{err}");
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(!findings.contains("20%"), "{findings}");
    assert!(!findings.contains("同比增长"), "{findings}");
    // 丁镇 from March instead: the county's March 当月 counts its 1-3月 as one month's.
    w(
        "cum.csv",
        &rows
            .replace("年1-1月", "年1月")
            .lines()
            .filter(|l| !(l.starts_with("t3,2025年1月") || l.starts_with("t3,2025年1-2月")))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let m = series(&ws, "month_of(level(cum.out, \"county\"))");
    assert!(at(&m, "c", "2025-03").is_nan(), "{}", at(&m, "c", "2025-03"));
    assert!(close(at(&m, "c", "2025-04"), 370.0), "{}", at(&m, "c", "2025-04"));
    // Its roll-up leaves January and February missing (丁镇 is short there).
    assert!(at(&m, "c", "2025-02").is_nan(), "{}", at(&m, "c", "2025-02"));
}

/// The 当月 of last year's 累计 (`month_of(上年同期.x)`) is a base as 上年同期.x is: a monthly
/// loss of 5 grown to 10 was 同比增长100% (words16 01), where the 累计 quotient beside it
/// was left missing. Its quarters and cumulate are bases too.
#[test]
fn the_month_of_last_years_cumulative_is_a_base() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nprofit,利润总额,万元,flow,sum,\n");
    // 1-5月 and 1-6月: 甲镇 500, 610 against 400, 500; 乙镇 -40, -50 against -25, -30.
    w(
        "cum.csv",
        "region,period,indicator,value\nt1,2025年1-5月,profit,500\nt1,2025年1-6月,profit,610\nt2,2025年1-5月,profit,-40\nt2,2025年1-6月,profit,-50\n",
    );
    w(
        "prior.csv",
        "region,period,indicator,value\nt1,2025年1-5月,profit,400\nt1,2025年1-6月,profit,500\nt2,2025年1-5月,profit,-25\nt2,2025年1-6月,profit,-30\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2025-06\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n\
         namespace = \"cum\"\n[[data.facts]]\nfile = \"prior.csv\"\ncumulative = true\nnamespace = \"上年同期\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    // 甲镇: 110 / 100 - 1 = 10%; 乙镇 over -5: missing, with the negative-base note.
    let e = "month_of(cum.profit) / month_of(上年同期.profit) - 1";
    let g = series(&ws, e);
    assert!(close(at(&g, "t1", "2025-06"), 0.1), "{}", at(&g, "t1", "2025-06"));
    assert!(at(&g, "t2", "2025-06").is_nan(), "{}", at(&g, "t2", "2025-06"));
    assert!(ws.eval(e).unwrap().notes.iter().any(|n| n.contains("a division by an earlier value that is negative")));
}

/// monthly17 01: `month_of` of a rate, a price or a stock in a 累计 file gave 当月产销率
/// 0.2% (98.0% -> 98.2%), 当月单价 10元/吨 and 当月从业人员 5人; the 累计 of a rate is no
/// sum of months and a stock's is its level. Refused as cumulate refuses them; the
/// amounts beside them still take their 当月.
#[test]
fn month_of_a_rate_a_price_or_a_stock_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\nrate,产销率,%,rate,mean,\nprice,平均单价,元/吨,rate,mean,\nemp,从业人员期末人数,人,stock,sum,\n\
         output,产值,万元,flow,sum,\n",
    );
    let mut facts = String::from("region,period,indicator,value\n");
    for m in 1..=3 {
        let p = if m == 1 { "2025年1月".to_string() } else { format!("2025年1-{m}月") };
        facts += &format!("t1,{p},rate,{}\nt1,{p},price,{}\nt1,{p},emp,{}\nt1,{p},output,{}\n", 97 + m, 3000 + m, 1000 + m, 100 * m);
    }
    w("cum.csv", &facts);
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \
         \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let refusal = |e: &str| ws.eval(e).map(|_| ()).unwrap_err().to_string().lines().next().unwrap().to_string();
    assert_eq!(
        refusal("month_of(cum.rate)"),
        "<expr>:1:1: month_of: `cum.rate` is a percentage (%): its 1-N月累计 is no sum of months, so the difference of two is no \
         month's figure; take the month's from its parts (month_of(a) / month_of(b))"
    );
    assert!(refusal("month_of(cum.price)").starts_with("<expr>:1:1: month_of: `cum.price` is "), "{}", refusal("month_of(cum.price)"));
    assert_eq!(
        refusal("month_of(cum.emp)"),
        "<expr>:1:1: month_of: `cum.emp` is a stock (kind = stock: a level at a date, in 人): its 累计 is its level at the \
         period's end, so the month's figure is cum.emp itself, and diff(cum.emp) its change"
    );
    let s = series(&ws, "month_of(cum.output)");
    assert_eq!((at(&s, "t1", "2025-01"), at(&s, "t1", "2025-02"), at(&s, "t1", "2025-03")), (100.0, 100.0, 100.0));
}

/// monthly17 03: a 统计月报's 本月 column loaded with `cumulative = true` (as the period
/// error advised for its 时期 of 2025年1-6月) became 1-6月累计, and a town with 110 in June
/// (660 so far of 1200) was said 完成年度目标9.2%. Refused at the header now; the 本年累计
/// column loads as 累计 and month_of gives the month's own.
#[test]
fn a_this_month_column_under_cumulative_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninv,固定资产投资,万元,flow,sum,\n");
    w("may.csv", "地区,时期,指标,本月,本年累计\n甲镇,2025年1-5月,inv,100,550\n");
    w("jun.csv", "地区,时期,指标,本月,本年累计\n甲镇,2025年1-6月,inv,110,660\n");
    let open = |value: &str| {
        w(
            "yearbook.toml",
            &format!(
                "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \
                 \"indicators.csv\"\n[[data.facts]]\nfile = \"may.csv\"\ncumulative = true\nnamespace = \"cum\"\ncolumns = {{ value = \
                 \"{value}\" }}\n[[data.facts]]\nfile = \"jun.csv\"\ncumulative = true\nnamespace = \"cum\"\ncolumns = {{ value = \
                 \"{value}\" }}\n"
            ),
        );
        yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).map_err(|e| e.to_string())
    };
    let e = open("本月").map(|_| ()).unwrap_err();
    assert!(
        e.contains(
            "may.csv:1:4: the value column \"本月\" holds one period's own figures, but this file's [[data.facts]] entry says \
             `cumulative = true`: they would load as 1-N月累计 (the year so far)"
        ),
        "{e}"
    );
    assert!(e.contains("month_of(cum.x)"), "{e}");
    let ws = open("本年累计").unwrap();
    assert_eq!(at(&series(&ws, "month_of(cum.inv)"), "t1", "2025-06"), 110.0);
}

/// monthly17 05: a 当月 table that starts with last December (`地区,12月,1月,2月,3月`) read
/// with `year = 2025` put 12月 at 2025年12月, and a report was dated 甲镇2025年12月.
/// Refused at that header; written 2024年12月 it loads where it belongs.
#[test]
fn months_without_a_year_past_a_years_end_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninv,固定资产投资,万元,flow,sum,\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \
         \"indicators.csv\"\n[[data.facts]]\nfile = \"m.csv\"\ncolumns_are = \"periods\"\nindicator = \"inv\"\nyear = 2025\n",
    );
    let open = || yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).map_err(|e| e.to_string());
    w("m.csv", "地区,12月,1月,2月,3月\n甲镇,90,100,110,120\n");
    let e = open().map(|_| ()).unwrap_err();
    assert!(
        e.ends_with(
            "m.csv:1:2: header \"12月\" comes before \"1月\", a period earlier in the year: the months run past a year's end, and \
             with `year = 2025` for every month without one, \"12月\" would read as 2025年12月 (a period to come); write its year \
             in the header (2024年12月), or load the months of each year from a file of their own"
        ),
        "{e}"
    );
    // Newest first past a year's end: 12月 after 1月 is last year's too.
    w("m.csv", "地区,2月,1月,12月\n甲镇,110,100,90\n");
    let e = open().map(|_| ()).unwrap_err();
    assert!(e.contains("m.csv:1:4: header \"12月\" comes after \"1月\", a period earlier in the year"), "{e}");
    // One year's months, newest first, are no year's end (the review: 3月,2月,1月 was refused).
    w("m.csv", "地区,3月,2月,1月\n甲镇,30,20,10\n");
    let s = series(&open().unwrap(), "inv");
    assert_eq!((at(&s, "t1", "2025-01"), at(&s, "t1", "2025-03")), (10.0, 30.0));
    w("m.csv", "地区,2024年12月,1月,2月,3月\n甲镇,90,100,110,120\n");
    let ws = open().unwrap();
    let s = series(&ws, "inv");
    assert_eq!((at(&s, "t1", "2024-12"), at(&s, "t1", "2025-01"), at(&s, "t1", "2025-03")), (90.0, 100.0, 120.0));
}

/// A value in 百分点 (the change of a completion on last year, a pacing) or the 时间进度
/// itself phrased as a growth or a completion is refused by `check`: a completion up from
/// 50% to 55% printed 完成率同比增长5% (it rose 5 个百分点; its own growth is 10%), a pacing
/// of 5 points 完成县下达任务5%, and the 时间进度 50% 时间进度同比增长50%. The right
/// phrasings pass: `{d:points}` (提高5个百分点), `{p:pace}`, the level `{x:1}`.
#[test]
fn values_in_points_and_the_time_share_are_no_growth_and_no_completion() {
    let (d, _) = county(None);
    let path = d.path().join("yearbook.toml");
    let base = std::fs::read_to_string(&path).unwrap();
    let problems = |say: &str| {
        let rule = format!(
            "\n[report]\ntitle = \"m\"\nsections = [\"summary\"]\n[report.rules.town]\nsection = \"summary\"\nwhen = \"cum.output > 0\"\n\
             levels = [\"town\"]\nvalues = {{ d = \"diff(pct(completion(cum.output, target.output)), 12)\", p = \"pacing(cum.output, \
             target.output)\", x = \"pct(expected_share(cum.output))\" }}\nsay = \"{{region}}{say}\"\n"
        );
        std::fs::write(&path, format!("{base}{rule}")).unwrap();
        yearbook::checkcfg::check_config(&path, None).unwrap_or_else(|e| vec![e.to_string()])
    };
    assert_eq!(problems("完成率{d:points}，{p:pace}，时间进度{x:1}"), Vec::<String>::new());
    for (say, want) in [
        (
            "完成率{d:growth}",
            "`{d:growth}` reads a percentage, not a value in 个百分点 (a change of a rate or share, or a pacing): 5个百分点 would read 同比增长5% or 完成5%; phrase a change of a rate `:points` (提高5个百分点), a pacing `:pace` (超前时间进度5个百分点)",
        ),
        ("{p:completion}", "`{p:completion}` reads a percentage, not a value in 百分点 (a change of a rate or share, or a pacing)"),
        ("{p:growth}", "`{p:growth}` reads a percentage, not a value in 百分点"),
        ("{d:completion}", "`{d:completion}` reads a percentage, not a value in 个百分点"),
        (
            "时间进度{x:growth}",
            "`{x:growth}` phrases the 时间进度 (`pct(expected_share(cum.output))`, the share of the year's target due by now, a level) as a growth (时间进度50% would read 同比增长50%); say it as a level (`{x:1}` of `pct(...)`: 时间进度50%)",
        ),
        (
            "{x:completion}",
            "`{x:completion}` phrases the 时间进度 (`pct(expected_share(cum.output))`, the share of the year's target due by now, a level) as a completion (时间进度50% would read 完成县下达任务50%)",
        ),
    ] {
        let p = problems(say);
        assert_eq!(p.len(), 1, "{say}: {p:?}");
        assert!(p[0].contains(&format!("report.rules.town.say: {want}")), "{say}: {p:?}");
    }
}

/// A 1-N月累计 filled with 0 after a region stopped reporting took its year so far back
/// out (monthly17 04): 丙镇 (30 a month) sends 1-3月 only, and rollup's own advice,
/// `fill(s, 0)`, made the county's 1-4月 600 for 690 and its April 当月 60 for 150. Such a
/// fill is refused, naming the cell; the roll-up's note gives the 当月 form, which counts
/// April as nothing new: 540 + 100 + 50 = 690, April 当月 150.
#[test]
fn a_cumulative_filled_with_zero_after_a_figure_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninv,固定资产投资,万元,flow,sum,\n");
    let mut cum = String::from("region,period,indicator,value\n");
    for (r, base) in [("t1", 100), ("t2", 50), ("t3", 30)] {
        for m in 1..=6 {
            if r == "t3" && m > 3 {
                break;
            }
            let span = if m == 1 { "1月".to_string() } else { format!("1-{m}月") };
            cum += &format!("{r},2025年{span},inv,{}\n", base * m);
        }
    }
    w("cum.csv", &cum);
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nregion = \"c\"\nperiod = \"2025-06\"\n\
         [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\n\
         namespace = \"cum\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let r = ws.eval("rollup(cum.inv, \"county\")").unwrap();
    assert!(
        r.notes.iter().any(|n| n.contains(
            "A 1-N月累计 is not 0 where a region has none (fill(s, 0) would take it back to 0): ask for the missing figure, or, for \
             a region that stopped reporting in the year, use rollup(cumulate(fill(month_of(s), 0)), level)"
        )),
        "{:?}",
        r.notes
    );
    let e = ws.eval("rollup(fill(cum.inv, 0), \"county\")").map(|_| ()).unwrap_err().to_string();
    assert!(
        e.contains(
            "fill(x, 0) of a 1-N月累计: 丙镇 has 90 by 2025年1-3月 and none for 2025年1-4月: 0 there would take its year so far \
             back out (a 累计 does not fall); where it stopped reporting, fill the 当月 and add it up again, \
             cumulate(fill(month_of(x), 0)), which counts 2025年4月 as nothing new"
        ),
        "{e}"
    );
    let county = series(&ws, "rollup(cumulate(fill(month_of(cum.inv), 0)), \"county\")");
    assert_eq!((at(&county, "c", "2025-03"), at(&county, "c", "2025-04"), at(&county, "c", "2025-06")), (540.0, 690.0, 990.0));
    let month = series(&ws, "month_of(rollup(cumulate(fill(month_of(cum.inv), 0)), \"county\"))");
    assert_eq!(at(&month, "c", "2025-04"), 150.0);
    // A gap between two 累计 has no 当月 to fill: ask for the figure.
    let (_d2, ws2) = self::county(None);
    let e = ws2.eval("fill(cum.output, 0)").map(|_| ()).unwrap_err().to_string();
    assert!(
        e.contains(
            "fill(x, 0) of a 1-N月累计: 乙镇 has 50 by 2025年1月 and 160 by 2025年1-3月, but none for 2025年1-2月: 0 there would \
             take its year so far back out (a 累计 does not fall); ask for its 2025年1-2月 figure"
        ),
        "{e}"
    );
    // Before a region's first figure of the year a 0 is its 累计 so far: no refusal, and
    // a fill with the year's figure or more is no fall.
    assert!(ws.eval("fill(cum.inv, 1000)").is_ok());
}
