//! Figures printed on a mark they are not at (99.96% as 100%, a pacing of -0.004 as
//! 持平), differences of two percents in 百分点, and rates per another figure of their
//! kind (人/千人) that do not add up (the month21 and input21 hunts). Each value by hand.

use crate::common::*;

/// A county 样县 of towns a 甲镇, b 乙镇, c 丙镇 reporting 1-N月累计 of `out` (万元) in
/// `cum` (`地区,时期,指标,累计值` rows) against annual targets in `targets`
/// (`地区,年份,指标,年度目标` rows), at `period`; `extra` appended to yearbook.toml.
fn monthly(period: &str, cum: &str, targets: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nxian,样县,county,\na,甲镇,town,xian\nb,乙镇,town,xian\nc,丙镇,town,xian\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nout,工业总产值,万元,flow,sum,\n");
    w("cum.csv", &format!("地区,时期,指标,累计值\n{cum}"));
    w("targets.csv", &format!("地区,年份,指标,年度目标\n{targets}"));
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"{period}\"\nregion = \"xian\"\n\
             [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"\ncolumns = {{ value = \"累计值\" }}\n\
             [[data.facts]]\nfile = \"targets.csv\"\nannual = true\nnamespace = \"target\"\ncolumns = {{ value = \"年度目标\" }}\n\
             {extra}"
        ),
    );
    dir
}

fn report(dir: &tempfile::TempDir) -> String {
    let out = dir.path().join("r.md");
    let (code, _, err) = cli(&["report", "-c", dir.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn a_completion_short_of_its_target_never_prints_100_percent() {
    // month21 05: 1999.2 of 2000 is 99.96%, 9999.6 of 10000 99.996%, the county 12003.0 of
    // 12004 99.99%: `{c:1}`, amount(…, 1) and ranking(…, 1) printed 100%, beside 未完成任务.
    let extra = "[indicators.comp]\nlabel = \"工业总产值完成年度目标\"\nunit = \"%\"\nexpr = \"pct(completion(cum.out, target.out))\"\n\
                 [report]\ntitle = \"t\"\nsections = [\"s\"]\ntemplates = \"tpl\"\n\
                 [report.rules.r]\nsection = \"s\"\nwhen = \"cum.out > 0\"\nlevels = [\"town\"]\nvalues = { c = \"comp\" }\n\
                 say = \"{region}完成年度目标{c:1}，{c:completion}\"\n";
    let dir = monthly(
        "2025-12",
        "a,2025年1-12月,out,1999.2\nb,2025年1-12月,out,9999.6\nc,2025年1-12月,out,4.2\n",
        "a,2025,out,2000\nb,2025,out,10000\nc,2025,out,4\n",
        extra,
    );
    std::fs::create_dir(dir.path().join("tpl")).unwrap();
    std::fs::write(
        dir.path().join("tpl/s.md"),
        "全县完成年度目标{{ amount(\"comp\", 1) }}。\n\n{{ sentences() }}\n\n{{ ranking(\"comp\", 1) }}\n",
    )
    .unwrap();
    let r = report(&dir);
    assert!(r.contains("全县完成年度目标99.99%。"), "{r}");
    assert!(r.contains("甲镇完成年度目标99.96%，完成县下达任务99.96%，未完成任务"), "{r}");
    assert!(r.contains("乙镇完成年度目标99.996%，完成县下达任务99.996%，未完成任务"), "{r}");
    assert!(r.contains("丙镇完成年度目标105%"), "{r}");
    assert!(r.contains("| 第2位 | 乙镇 | 99.996 |\n| 第3位 | 甲镇 | 99.96 |"), "{r}");
}

#[test]
fn a_town_behind_the_schedule_by_less_than_a_point_is_behind() {
    // month21 06: 499.96 of 1000 by June is 49.996% against 50%: behind by 0.004 points,
    // said 与时间进度持平 in the report (the appendix said 落后).
    let extra = "[report]\ntitle = \"t\"\nsections = [\"behind\"]\n\
                 [report.rules.behind]\nsection = \"behind\"\nwhen = \"pacing(cum.out, target.out) < 0\"\nlevels = [\"town\"]\n\
                 values = { pace = \"pacing(cum.out, target.out)\" }\nsay = \"{region}{pace:pace}\"\n";
    let dir = monthly("2025-06", "a,2025年1-6月,out,469.96\nc,2025年1-6月,out,499.96\n", "a,2025,out,1000\nc,2025,out,1000\n", extra);
    let r = report(&dir);
    assert!(r.contains("甲镇落后时间进度3个百分点"), "{r}");
    assert!(r.contains("丙镇落后时间进度0.004个百分点"), "{r}");
    assert!(!r.contains("持平"), "{r}");
}

#[test]
fn a_percent_less_another_is_in_points() {
    // month21 04: 900 of 2000 is 45% against a schedule of 50% by June: -5个百分点, and
    // against last year's 800 of 1800 (44.44%) +0.56个百分点; both printed -5% and 0.56%.
    let extra = "[report]\ntitle = \"t\"\nsections = [\"s\"]\n\
                 [report.rules.r]\nsection = \"s\"\nwhen = \"cum.out > 0\"\nlevels = [\"town\"]\n\
                 values = { d = \"pct(completion(cum.out, target.out)) - pct(completion(lag(cum.out, 12), lag(target.out, 12)))\", \
                 gap = \"pct(completion(cum.out, target.out)) - pct(expected_share(cum.out))\" }\n\
                 say = \"{region}完成率比上年同期提高{d}，{gap:pace}\"\n";
    let dir = monthly("2025-06", "a,2025年1-6月,out,900\na,2024年1-6月,out,800\n", "a,2025,out,2000\na,2024,out,1800\n", extra);
    let cfg = dir.path().join("yearbook.toml");
    let (code, out, err) = cli(&[
        "eval",
        "-c",
        cfg.to_str().unwrap(),
        "--format",
        "csv",
        "in_period(pct(completion(cum.out, target.out)) - pct(expected_share(cum.out)), \"2025-06\")",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("a,甲镇,2025-06,-5,个百分点"), "{out}");
    let r = report(&dir);
    assert!(r.contains("甲镇完成率比上年同期提高0.5556个百分点，落后时间进度5个百分点"), "{r}");
    // A percent less a number written beside it stays in %.
    let (_, out, _) =
        cli(&["eval", "-c", cfg.to_str().unwrap(), "--format", "csv", "in_period(pct(completion(cum.out, target.out)) - 5, \"2025-06\")"]);
    assert!(out.contains("a,甲镇,2025-06,40,%"), "{out}");
}

#[test]
fn a_figure_per_another_of_its_kind_does_not_add_up() {
    // input21 05: 每千人口执业医师 in 人/千人 of 2.5, 3.5 and 3.0 rolled up to a county's 9.
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ndoc,每千人口执业医师数,人/千人,stock,,\ndebt,债务率,万元/万元,stock,,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,doc,2.5\nt2,2020,doc,3.5\nt3,2020,doc,3.0\nt1,2020,debt,0.6\nt2,2020,debt,0.7\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    for (e, unit) in [("rollup(doc, \"county\")", "人/千人"), ("sum(debt)", "万元/万元")] {
        let m = ws.eval(e).err().unwrap_or_else(|| panic!("{e}: expected an error")).to_string();
        assert!(m.contains(&format!("a figure per another of its kind ({unit})")), "{e}: {m}");
    }
    // Declared to add up, it is refused where the indicators are read.
    w("indicators.csv", "code,label,unit,kind,rollup,note\ndoc,每千人口执业医师数,人/千人,stock,sum,\n");
    let m = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(m.contains("indicator \"doc\" is a figure per another of its kind (人/千人) and cannot roll up by sum"), "{m}");
}

#[test]
fn a_cumulative_file_of_single_months_with_january_and_february_together_is_refused() {
    // month21 01: `1-2月, 3月, 4月` (当月 figures, January and February reported together)
    // loaded with cumulative = true read 3月 as 1-3月累计: a completion of 13% for 35.5%.
    let dir = monthly("2025-04", "a,2025年1-2月,out,200\na,2025年3月,out,250\na,2025年4月,out,260\n", "a,2025,out,2000\n", "");
    let m = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).err().expect("refused").to_string();
    assert!(
        m.contains(
            "cum.csv:3: period \"2025年3月\" names a month or quarter alone, while line 2 writes \"2025年1-2月\" as a span from \
             January"
        ),
        "{m}"
    );
    // Spans throughout (and January alone, both a month and its 累计) load as before.
    let dir = monthly("2025-03", "a,2025年1月,out,150\na,2025年1-2月,out,300\na,2025年1-3月,out,450\n", "a,2025,out,2000\n", "");
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let v = ws.eval("at(pct(completion(cum.out, target.out)), \"a\", \"2025-03\")").unwrap().value.into_dynamic();
    assert!(close(v.as_float().unwrap(), 22.5, 1e-9), "{v:?}");
}

#[test]
fn a_value_column_headed_as_the_year_so_far_is_cumulative() {
    // month21 02: 年初至今, YTD, 1至本月, 今年以来, 截至本月 and 本年止 all mean 1-N月累计; such a
    // column loaded as each month's own, and ytd() added 150 + 300 + 450 = 900 for 450.
    for h in ["年初至今", "YTD", "1至本月", "今年以来", "截至本月", "本年止", "Year-to-date"] {
        let dir = tempfile::tempdir().unwrap();
        let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
        w("regions.csv", "code,name,level,parent\nxian,样县,county,\na,甲镇,town,xian\n");
        w("indicators.csv", "code,label,unit,kind,rollup,note\nout,工业总产值,万元,flow,sum,\n");
        w("f.csv", &format!("地区,时期,指标,{h}\na,2025年1月,out,150\na,2025年2月,out,300\na,2025年3月,out,450\n"));
        w(
            "yearbook.toml",
            &format!(
                "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\n\
                 indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"f.csv\"\ncolumns = {{ value = \"{h}\" }}\n"
            ),
        );
        let m = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).err().expect("refused").to_string();
        assert!(m.contains(&format!("the value column \"{h}\" holds 累计 figures (1-N月累计)")), "{h}: {m}");
    }
}

#[test]
fn review_balances_and_year_end_rows_are_no_mix() {
    // review21 8: 截至本月末余额 is a balance at the month's end, not 累计; `city_tdata` no YTD.
    for h in ["截至本月末余额", "截止当月底在册人数", "city_tdata"] {
        let dir = tempfile::tempdir().unwrap();
        let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
        w("regions.csv", "code,name,level,parent\nxian,样县,county,\na,甲镇,town,xian\n");
        w("indicators.csv", "code,label,unit,kind,rollup,note\nloan,贷款余额,万元,stock,sum,\n");
        w("f.csv", &format!("地区,时期,指标,{h}\na,2025年1月,loan,150\na,2025年2月,loan,160\n"));
        w(
            "yearbook.toml",
            &format!(
                "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\n\
                 indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"f.csv\"\ncolumns = {{ value = \"{h}\" }}\n"
            ),
        );
        yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{h}: {e}"));
    }
    // review21 12: 2024年12月 (the year's 累计 at its end) beside 2025年1-2月 is no mix of spans.
    let dir = monthly("2025-02", "a,2024年12月,out,1800\na,2025年1-2月,out,300\n", "a,2025,out,2000\n", "");
    yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn review_the_rest_of_a_whole_stays_a_share() {
    // review21 6: 100 - 一产占比 - 二产占比 (the rest's share) printed 2个百分点; its change over
    // a year is in 百分点 all the same.
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\na,第一产业占比,%,stock,none,\nb,第二产业占比,%,stock,none,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,a,10\nt1,2020,b,45\nt1,2021,a,8\nt1,2021,b,50\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let one = |e: &str| -> (f64, String) {
        let r = ws.eval(&format!("at({e}, \"t1\", 2021)")).unwrap_or_else(|err| panic!("{e}: {err}"));
        let s = ws.eval(e).unwrap().value.into_dynamic().try_cast::<yearbook::series::Series>().unwrap();
        (r.value.into_dynamic().as_float().unwrap(), s.unit.show())
    };
    assert_eq!(one("100 - a - b"), (42.0, "%".to_string()));
    assert_eq!(one("(100 - a - b) - lag(100 - a - b, 1)"), (-3.0, "个百分点".to_string()));
    assert_eq!(one("b - a"), (42.0, "个百分点".to_string()));
}
