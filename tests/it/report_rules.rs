//! Report rules (issue 20): `[report.rules.ID]` decide which sentences the report says,
//! where, in which order and how many; `check` refuses a sentence that names nothing;
//! scripts functions phrase from a sentence and from a template.

use crate::common::*;
use std::path::Path;

/// A county of four towns, in this file order: 乙镇, 丁镇, 甲镇, 丙镇.
///
/// | town | GDP 2007 | GDP 2008 | growth | target | completion | 实到外资 |
/// |---|---|---|---|---|---|---|
/// | 乙镇 | 20 | 22 | 10% | 22.5 | 97.78% | 300 |
/// | 丁镇 | 10 | 11.8 | 18% | 13 | 90.77% | 500 |
/// | 甲镇 | 10 | 13 | 30% | 12 | 108.33% | 1641 |
/// | 丙镇 | 10 | 12 | 20% | 12 | 100% | (missing) |
///
/// The county: 50 -> 58.8, growth 17.6%.
const REGIONS: &str = "code,name,level,parent\nc,县,county,\nb,乙镇,town,c\ne,丁镇,town,c\na,甲镇,town,c\nd,丙镇,town,c\n";
const INDICATORS: &str = "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\ngdp_target,地区生产总值目标,亿元,flow,sum\nfdi,实到外资,万美元,flow,sum\n";
const FACTS: &str = "region,year,indicator,value\n\
b,2007,gdp,20\nb,2008,gdp,22\nb,2008,gdp_target,22.5\nb,2008,fdi,300\n\
e,2007,gdp,10\ne,2008,gdp,11.8\ne,2008,gdp_target,13\ne,2008,fdi,500\n\
a,2007,gdp,10\na,2008,gdp,13\na,2008,gdp_target,12\na,2008,fdi,1641\n\
d,2007,gdp,10\nd,2008,gdp,12\nd,2008,gdp_target,12\n";
const SCRIPTS: &str = "/// 增速快慢的说法。\nfn 快慢(g) {\n    if g == () { \"增速暂无数据\" } else if g >= 20.0 { \"增长较快\" } else { \"增长平稳\" }\n}\n\n\
/// 经济总量的说法。\nfn 规模(x) {\n    if x >= 50.0 { \"经济总量超过50亿元\" } else { \"经济总量不足50亿元\" }\n}\n";

/// The county's growth, for towns to be compared with.
const COUNTY_GROWTH: &str = "pct(yoy(sum(level(gdp, \\\"town\\\"))))";

fn config() -> String {
    format!(
        r#"scripts = ["phrases.rhai"]

[workspace]
levels = ["county", "town"]
period = "2008"
region = "c"

[data]
regions = "regions.csv"
indicators = "indicators.csv"

[[data.facts]]
file = "facts.csv"

[indicators.gdp_growth]
label = "地区生产总值增速"
unit = "%"
expr = "pct(yoy(gdp))"

[report]
title = "县2008年工作总结"
templates = "report"
sections = ["概况", "亮点", "存在问题"]

# Towns whose growth beats the county's by 2 points or more (甲镇 12.4, 丙镇 2.4).
[report.rules.ahead_of_county]
section = "亮点"
priority = 1
when = "gdp_growth - {COUNTY_GROWTH} >= 2"
values = {{ lead = "gdp_growth - {COUNTY_GROWTH}" }}
say = "{{region}}地区生产总值{{gdp:amount}}，{{gdp_growth:growth}}，增速高于全县{{lead:pp}}，实到外资{{fdi:amount}}"

# The three fastest-growing towns, fastest first.
[report.rules.fastest]
section = "亮点"
priority = 2
when = "gdp_growth > 0"
order = "gdp_growth"
max = 3
values = {{ r = "rank(gdp_growth)" }}
say = "{{region}}{{快慢(gdp_growth)}}，地区生产总值{{gdp_growth:growth}}，增速居全县{{r:rank}}。"

# Towns behind their target, the furthest behind first.
[report.rules.behind_target]
section = "存在问题"
when = "completion_pct(gdp, gdp_target) < 100"
order = "gdp_target - gdp"
values = {{ c = "completion_pct(gdp, gdp_target)", gap = "gdp_target - gdp" }}
say = "{{region}}地区生产总值{{gdp:amount}}，{{c:completion}}，距目标还差{{gap:amount}}"
"#
    )
}

fn workspace_dir(config: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("regions.csv", REGIONS);
    w("indicators.csv", INDICATORS);
    w("facts.csv", FACTS);
    w("phrases.rhai", SCRIPTS);
    w("report/概况.md", "## 概况\n\n全县{{ call(\"规模\", value(\"gdp\")) }}。\n");
    w("yearbook.toml", config);
    d
}

fn open(dir: &Path) -> yearbook::Workspace {
    yearbook::Workspace::open(&dir.join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"))
}

/// (rule, region, sentence) of what the report rules say for the county in 2008.
fn said(ws: &yearbook::Workspace, only: Option<&str>) -> Vec<(String, String, String)> {
    let (r, p) = yearbook::report::place(ws, None, None).unwrap();
    yearbook::report::said::sentences(ws, r, p, only)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|s| (s.rule, s.region_name, s.text))
        .collect()
}

fn row(rule: &str, region: &str, text: &str) -> (String, String, String) {
    (rule.to_string(), region.to_string(), text.to_string())
}

#[test]
fn a_rule_fires_for_some_towns_and_not_others() {
    let d = workspace_dir(&config());
    let ws = open(d.path());
    // 甲镇 leads the county's 17.6% by 12.4 points, 丙镇 by 2.4; 乙镇 (-7.6) and 丁镇 (0.4)
    // do not. Without `order`, the regions' file order (甲镇 before 丙镇).
    // 丙镇 has no 实到外资: said in words, never —.
    assert_eq!(
        said(&ws, Some("ahead_of_county")),
        vec![
            row("ahead_of_county", "甲镇", "甲镇地区生产总值13亿元，同比增长30%，增速高于全县12.4个百分点，实到外资1641万美元"),
            row("ahead_of_county", "丙镇", "丙镇地区生产总值12亿元，同比增长20%，增速高于全县2.4个百分点，实到外资暂无数据"),
        ]
    );
}

#[test]
fn order_and_max_keep_the_fastest_three_fastest_first() {
    let d = workspace_dir(&config());
    let ws = open(d.path());
    // Every town grew; 30% > 20% > 18% > 10%: 乙镇 (10%) is the fourth and is left out.
    // The phrasing 增长较快 / 增长平稳 comes from the scripts function 快慢.
    assert_eq!(
        said(&ws, Some("fastest")),
        vec![
            row("fastest", "甲镇", "甲镇增长较快，地区生产总值同比增长30%，增速居全县第1位。"),
            row("fastest", "丙镇", "丙镇增长较快，地区生产总值同比增长20%，增速居全县第2位。"),
            row("fastest", "丁镇", "丁镇增长平稳，地区生产总值同比增长18%，增速居全县第3位。"),
        ]
    );
    // Behind target: 丁镇 is 1.2亿元 short (90.77%), 乙镇 0.5亿元 (97.78%): the larger gap
    // first, against the file order; 甲镇 (108.33%) and 丙镇 (exactly 100%) are not behind.
    // The county, without a figure of its own, has its towns' 58.8 against its 59.5: 0.7
    // short, between them.
    assert_eq!(
        said(&ws, Some("behind_target")),
        vec![
            row("behind_target", "丁镇", "丁镇地区生产总值11.8亿元，完成县下达任务90.8%，未完成任务，距目标还差1.2亿元"),
            row("behind_target", "县", "县地区生产总值58.8亿元，完成县下达任务98.8%，未完成任务，距目标还差0.7亿元"),
            row("behind_target", "乙镇", "乙镇地区生产总值22亿元，完成县下达任务97.8%，未完成任务，距目标还差0.5亿元"),
        ]
    );
    // All rules: by section in the report's order (亮点 before 存在问题), then by priority
    // (ahead_of_county 1 before fastest 2).
    let rules: Vec<String> = said(&ws, None).into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(
        rules,
        ["ahead_of_county", "ahead_of_county", "fastest", "fastest", "fastest", "behind_target", "behind_target", "behind_target"]
    );
}

#[test]
fn the_report_collects_sentences_by_section_into_paragraphs() {
    let d = workspace_dir(&config());
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out).unwrap();
    let want = "## 概况\n\n全县经济总量超过50亿元。\n\n\
## 亮点\n\n\
甲镇地区生产总值13亿元，同比增长30%，增速高于全县12.4个百分点，实到外资1641万美元；\
丙镇地区生产总值12亿元，同比增长20%，增速高于全县2.4个百分点，实到外资暂无数据。\n\n\
甲镇增长较快，地区生产总值同比增长30%，增速居全县第1位；丙镇增长较快，地区生产总值同比增长20%，增速居全县第2位；\
丁镇增长平稳，地区生产总值同比增长18%，增速居全县第3位。\n\n\
## 存在问题\n\n\
丁镇地区生产总值11.8亿元，完成县下达任务90.8%，未完成任务，距目标还差1.2亿元；\
县地区生产总值58.8亿元，完成县下达任务98.8%，未完成任务，距目标还差0.7亿元；\
乙镇地区生产总值22亿元，完成县下达任务97.8%，未完成任务，距目标还差0.5亿元。\n\n";
    assert_eq!(md, want);
    assert!(!md.contains('—'), "no dash in prose");
}

#[test]
fn a_template_places_its_sections_sentences_and_a_quiet_section_is_left_out() {
    // 存在问题 gets a template of its own that places the sentences after a lead; with a
    // target of 10 for every town nobody is behind, and 亮点 keeps its sentences.
    let d = workspace_dir(&config());
    std::fs::write(
        d.path().join("report/存在问题.md"),
        "## 三、存在问题\n\n{% set s = sentences() %}{% if s %}主要是：{{ s }}{% else %}各镇均完成目标。{% endif %}\n",
    )
    .unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.ends_with("## 三、存在问题\n\n主要是：丁镇地区生产总值11.8亿元，完成县下达任务90.8%，未完成任务，距目标还差1.2亿元；县地区生产总值58.8亿元，完成县下达任务98.8%，未完成任务，距目标还差0.7亿元；乙镇地区生产总值22亿元，完成县下达任务97.8%，未完成任务，距目标还差0.5亿元。\n\n"), "{md}");
    std::fs::write(
        d.path().join("facts.csv"),
        FACTS.replace(",gdp_target,22.5", ",gdp_target,10").replace(",gdp_target,13", ",gdp_target,10"),
    )
    .unwrap();
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.ends_with("## 三、存在问题\n\n各镇均完成目标。\n\n"), "{md}");
    // A section only report rules fill, with nothing said, is left out (heading too).
    std::fs::remove_file(d.path().join("report/存在问题.md")).unwrap();
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("## 亮点") && !md.contains("存在问题"), "{md}");
}

#[test]
fn eval_shows_which_sentences_would_appear_and_where() {
    let d = workspace_dir(&config());
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "behind_target", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "section,rule,region,period,sentence\n\
存在问题,behind_target,丁镇,2008,丁镇地区生产总值11.8亿元，完成县下达任务90.8%，未完成任务，距目标还差1.2亿元\n\
存在问题,behind_target,县,2008,县地区生产总值58.8亿元，完成县下达任务98.8%，未完成任务，距目标还差0.7亿元\n\
存在问题,behind_target,乙镇,2008,乙镇地区生产总值22亿元，完成县下达任务97.8%，未完成任务，距目标还差0.5亿元\n"
    );
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("亮点").count(), 5, "{out}");
    let (code, _, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "behind"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown report rule `behind`; did you mean `behind_target`?"), "{err}");
}

/// `check` problems of a config with `bad` in place of `good`, as printed.
fn check_problems(good: &str, bad: &str) -> Vec<String> {
    let cfg = config();
    assert!(cfg.contains(good), "{good}");
    let d = workspace_dir(&cfg.replacen(good, bad, 1));
    yearbook::checkcfg::check_config(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| vec![e.to_string()])
}

#[test]
fn check_refuses_a_sentence_that_names_nothing() {
    let p = check_problems("{region}{快慢", "{regoin}{快慢");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("yearbook.toml:34:1: report.rules.fastest.say: placeholder `regoin` names no value (`values`) and no indicator; did you mean `region`?"), "{p:?}");
    let p = check_problems("{gdp:amount}，{c:completion}", "{gpd:amount}，{c:completion}");
    assert!(
        p[0].contains("report.rules.behind_target.say: placeholder `gpd` names no value (`values`) and no indicator; did you mean `gdp`"),
        "{p:?}"
    );
    let p = check_problems("{lead:pp}", "{lead:percent}");
    assert!(p[0].contains("report.rules.ahead_of_county.say: placeholder `{lead:percent}`: unknown phrasing `percent`"), "{p:?}");
    let p = check_problems("{快慢(gdp_growth)}", "{快曼(gdp_growth)}");
    assert!(p[0].contains("`快曼` is no function of the scripts (`scripts` files); did you mean `快慢`"), "{p:?}");
    let p = check_problems("{快慢(gdp_growth)}", "{快慢(gdp_growth, region)}");
    assert!(p[0].contains("`快慢` takes 1 arguments, not 2"), "{p:?}");
    let p = check_problems("section = \"存在问题\"", "section = \"存在的问题\"");
    assert!(p[0].contains("section `存在的问题` is not a section of the report; did you mean `存在问题`?"), "{p:?}");
    let p = check_problems("max = 3", "max = 0");
    assert!(p[0].contains("max = 0 says nothing"), "{p:?}");
}

#[test]
fn check_refuses_a_phrasing_the_unit_does_not_allow_and_a_when_that_is_no_mask() {
    // A growth of an amount in 亿元 would be a silent wrong number.
    let p = check_problems("{gdp_growth:growth}，增速高于", "{gdp:growth}，增速高于");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("report.rules.ahead_of_county.say: `{gdp:growth}` reads a percentage, not a value in 亿元"), "{p:?}");
    let p = check_problems("{r:rank}", "{gdp_growth:rank}");
    assert!(p[0].contains("`{gdp_growth:rank}` reads a rank (a plain number), not a value in %"), "{p:?}");
    let p = check_problems("when = \"gdp_growth > 0\"", "when = \"gdp_growth\"");
    assert!(p[0].contains("report.rules.fastest: `when` must give a mask, not a series of numbers in %"), "{p:?}");
    let p = check_problems("order = \"gdp_growth\"", "order = \"gdp_growth + gdp\"");
    assert!(p[0].contains("report.rules.fastest.order") && p[0].contains("unit"), "{p:?}");
}

#[test]
fn a_template_calls_a_scripts_function_in_the_sandbox() {
    let d = workspace_dir(&config());
    let ws = open(d.path());
    let caller = yearbook::report::call::Caller::new(&ws);
    assert_eq!(caller.call_text("规模", vec![rhai::Dynamic::from_float(58.8)]).unwrap(), "经济总量超过50亿元");
    let e = caller.call_text("规摸", vec![rhai::Dynamic::from_float(1.0)]).unwrap_err().to_string();
    assert!(e.contains("no function `规摸` in the scripts; did you mean `规模`"), "{e}");
    // A function that never ends is stopped by the workspace's limits.
    std::fs::write(d.path().join("phrases.rhai"), format!("{SCRIPTS}\nfn 不停(x) {{ loop {{ x += 1; }} }}\n")).unwrap();
    std::fs::write(d.path().join("yearbook.toml"), config().replace("[data]", "[limits]\nmax_operations = 10000\n\n[data]")).unwrap();
    let ws = open(d.path());
    let e = yearbook::report::call::Caller::new(&ws).call_text("不停", vec![rhai::Dynamic::from_int(1)]).unwrap_err();
    assert_eq!(e.kind(), yearbook::error::ErrorKind::OperationLimit, "{e}");
}

#[test]
fn levels_and_periods_scope_a_rule() {
    let scoped = |extra: &str| {
        let d = workspace_dir(&config().replace("max = 3\n", &format!("max = 3\n{extra}\n")));
        let ws = open(d.path());
        said(&ws, Some("fastest")).len()
    };
    assert_eq!(scoped("levels = [\"town\"]\nperiods = [\"2008\"]"), 3);
    // The county is no town of its own: no sentence at the county level.
    assert_eq!(scoped("levels = [\"county\"]"), 0);
    // The report is on 2008: a rule for 2007 says nothing in it.
    assert_eq!(scoped("periods = [\"2007\"]"), 0);
}

/// A county without figures of its own (made of its towns) said 地区生产总值暂无数据 in a
/// report rule's sentence while the report's table showed 34亿元, and `when = "yoy(gdp) >
/// 0.1"` passed it over: a rule without `levels` reads it as shown, with its towns'
/// totals (34 = 11 + 23, 13.33% over 10 + 20), as `run` and the table do. A cross-region
/// `sum(gdp)` in such a rule reads the figures as written (the county's would be counted
/// beside its towns').
#[test]
fn a_county_made_of_its_towns_is_said_with_their_totals() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,10\nt1,2021,gdp,11\nt2,2020,gdp,20\nt2,2021,gdp,23\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
         [report.rules.fast]\nsection = \"main\"\nwhen = \"yoy(gdp) > 0.1\"\nvalues = { g = \"yoy(gdp)\", d = \"diff(gdp)\" }\n\
         say = \"{region}地区生产总值{gdp:amount}，{g:growth}，增加{d:amount}\"\n\
         [report.rules.share]\nsection = \"main\"\nwhen = \"gdp > 0\"\nvalues = { s = \"pct(gdp / sum(gdp))\" }\nsay = \"{region}占{s:1}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c1"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(
        said,
        [
            "某县地区生产总值34亿元，同比增长13.33%，增加4亿元",
            "乙镇地区生产总值23亿元，同比增长15%，增加3亿元",
            "甲镇占32.4%",
            "乙镇占67.6%",
        ]
    );
}

/// A rank another town shares is 并列第2位 in a sentence, as `ranking()` prints it (each of
/// three towns at 10亿元 read 第2位, as if alone there); and a region without siblings
/// (the county at the top) has no rank in a template, as the table prints — (it was 1).
#[test]
fn a_shared_rank_is_said_as_shared_and_a_lone_region_has_none() {
    // Last year's rank, ranked then or taken a year back (`lag(rank(...), 1)` lost the
    // shared places and said 第2位 of each).
    for r in ["rank(level(lag(gdp, 1), \\\"town\\\"))", "lag(rank(level(gdp, \\\"town\\\")), 1)"] {
        let cfg = format!(
            "{}\n[report.rules.size]\nsection = \"概况\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
             values = {{ r = \"{r}\" }}\nsay = \"{{region}}上年规模居{{r:rank}}\"\n",
            config()
        );
        let d = workspace_dir(&cfg);
        let ws = open(d.path());
        assert_eq!(
            said(&ws, Some("size")),
            vec![
                row("size", "乙镇", "乙镇上年规模居第1位"),
                row("size", "丁镇", "丁镇上年规模居并列第2位"),
                row("size", "甲镇", "甲镇上年规模居并列第2位"),
                row("size", "丙镇", "丙镇上年规模居并列第2位"),
            ],
            "{r}"
        );
    }
    let cfg = format!(
        "{}\n[report.rules.size]\nsection = \"概况\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
         values = {{ r = \"rank(level(lag(gdp, 1), \\\"town\\\"))\" }}\nsay = \"{{region}}上年规模居{{r:rank}}\"\n",
        config()
    );
    let d = workspace_dir(&cfg);
    std::fs::write(d.path().join("report/概况.md"), "## 概况\n\nA[{{ indicators.gdp.rank }}]\n").unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out).unwrap();
    assert!(md.contains("A[—]\n"), "{md}");
}

/// A county read as its towns' roll-up a year after 丙镇 joined it: 28亿元 against 20亿元
/// is no 同比增长40% (甲镇 and 乙镇 grew 10% each). `{x:change(prev)}` and the growth of
/// `yoy(gdp)` say the scope changed, in a report's sentence and in a run's message; the
/// towns keep their growths.
#[test]
fn a_change_of_a_county_whose_towns_differ_between_the_years_is_not_a_growth() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,10\nt1,2021,gdp,11\nt2,2020,gdp,10\nt2,2021,gdp,11\nt3,2021,gdp,6\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
         [report.rules.up]\nsection = \"main\"\nwhen = \"gdp > 7\"\nvalues = { x = \"gdp\", prev = \"lag(gdp, 1)\", g = \"yoy(gdp)\" }\n\
         say = \"{region}{x:amount}，{x:change(prev)}，{g:growth}\"\n\
         [rules.small]\ncheck = \"gdp < 20\"\nlevels = [\"county\"]\nvalues = { x = \"gdp\", prev = \"lag(gdp, 1)\", g = \"yoy(gdp)\" }\n\
         message = \"{region}{x:change(prev)}，{g:growth}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(
        said,
        [
            "县28亿元，统计范围变化，与上年不可比，统计范围变化，与上年不可比",
            "甲镇11亿元，同比增长10%，同比增长10%",
            "乙镇11亿元，同比增长10%，同比增长10%",
        ]
    );
    let res = ws.run(&Default::default()).unwrap();
    let msgs: Vec<&str> = res.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, ["县统计范围变化，与上年不可比，统计范围变化，与上年不可比"]);
}

/// A rank's place is shared only within its group: 乙二镇 is second in 乙县 alone (it read
/// 并列第2位 beside 甲县's two tied towns, whose rank had the same number), and a run's
/// message says a shared place as a sentence does (it said 第2位 of each).
#[test]
fn a_shared_rank_is_shared_within_its_group_in_sentences_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\np,市,city,\nc1,甲县,county,p\nc2,乙县,county,p\na1,甲一镇,town,c1\na2,甲二镇,town,c1\n\
         a3,甲三镇,town,c1\nb1,乙一镇,town,c2\nb2,乙二镇,town,c2\n",
    );
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\na1,2021,gdp,30\na2,2021,gdp,10\na3,2021,gdp,10\nb1,2021,gdp,20\nb2,2021,gdp,5\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"city\", \"county\", \"town\"]\nperiod = \"2021\"\nregion = \"p\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
         [report.rules.r]\nsection = \"main\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
         values = { r = 'rank(level(gdp, \"town\"), \"county\")' }\nsay = \"{region}居全县{r:rank}\"\n\
         [rules.small]\ncheck = \"gdp > 12\"\nlevels = [\"town\"]\nvalues = { r = 'rank(level(gdp, \"town\"), \"county\")' }\n\
         message = \"{region}居全县{r:rank}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("p"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(said, ["甲一镇居全县第1位", "甲二镇居全县并列第2位", "甲三镇居全县并列第2位", "乙一镇居全县第1位", "乙二镇居全县第2位"]);
    let res = ws.run(&Default::default()).unwrap();
    let msgs: Vec<&str> = res.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, ["甲二镇居全县并列第2位", "甲三镇居全县并列第2位", "乙二镇居全县第2位"]);
    // The level taken after the rank keeps its shared places.
    let text = std::fs::read_to_string(dir.path().join("yearbook.toml")).unwrap();
    std::fs::write(
        dir.path().join("yearbook.toml"),
        text.replacen("rank(level(gdp, \"town\"), \"county\")", "level(rank(gdp, \"county\"), \"town\")", 1),
    )
    .unwrap();
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(said[1..3], ["甲二镇居全县并列第2位", "甲三镇居全县并列第2位"]);
    assert_eq!(said[4], "乙二镇居全县第2位");
}

/// A report on one county ranks its towns among one another, as its `ranking()` table
/// does: a county of two towns said its second town was 第5位 (of the whole city's
/// towns) beside a table placing it 第2位. A report on a town places it among its
/// siblings (as the indicator table's 位次); a run over the whole tree ranks over it.
#[test]
fn a_reports_ranks_are_among_the_regions_it_speaks_of() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| {
        let p = dir.path().join(n);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap()
    };
    w(
        "regions.csv",
        "code,name,level,parent\np,市,city,\nc1,甲县,county,p\nc2,乙县,county,p\na1,甲一镇,town,c1\na2,甲二镇,town,c1\n\
         a3,甲三镇,town,c1\nb1,乙一镇,town,c2\nb2,乙二镇,town,c2\n",
    );
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    // Towns of the city by GDP: 甲一镇 30, 乙一镇 20, 甲二镇 and 甲三镇 10, 乙二镇 5.
    w("facts.csv", "region,year,indicator,value\na1,2021,gdp,30\na2,2021,gdp,10\na3,2021,gdp,10\nb1,2021,gdp,20\nb2,2021,gdp,5\n");
    w("report/main.md", "## main\n\n{{ sentences() }}\n\n{{ ranking(\"gdp\") }}\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"city\", \"county\", \"town\"]\nperiod = \"2021\"\nregion = \"p\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[indicators.place]\nexpr = \"rank(gdp)\"\n\
         [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n\
         [report.rules.r]\nsection = \"main\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
         values = { r = \"rank(gdp)\", d = \"place\" }\nsay = \"{region}{r:rank}（{d:rank}）\"\n\
         [report.rules.first]\nsection = \"main\"\nwhen = \"top(gdp, 1) > 0\"\nlevels = [\"town\"]\nsay = \"{region}居首\"\n\
         [rules.last]\ncheck = \"place < 5\"\nlevels = [\"town\"]\nvalues = { d = \"place\" }\nmessage = \"{region}{d:rank}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let said = |region: &str| -> Vec<String> {
        let (r, p) = yearbook::report::place(&ws, Some(region), Some("2021")).unwrap();
        yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect()
    };
    assert_eq!(said("c2"), ["乙一镇居首", "乙一镇第1位（第1位）", "乙二镇第2位（第2位）"]);
    assert_eq!(said("c1"), ["甲一镇居首", "甲一镇第1位（第1位）", "甲二镇并列第2位（并列第2位）", "甲三镇并列第2位（并列第2位）"]);
    // A town's own report: its place among its county's towns.
    assert_eq!(said("b2"), ["乙二镇第2位（第2位）"]);
    // The whole city's report ranks over the whole city.
    assert_eq!(said("p")[..3], ["甲一镇居首", "甲一镇第1位（第1位）", "甲二镇并列第3位（并列第3位）"]);
    // One report, one place: the sentence and the ranking table agree.
    let md = yearbook::report::render(
        &ws,
        ws.run(&Default::default()).unwrap(),
        Some("c2"),
        Some("2021"),
        yearbook::report::ReportFormat::Markdown,
    )
    .unwrap();
    assert!(md.contains("乙二镇第2位（第2位）") && md.contains("| 第2位 | 乙二镇 | 5 |"), "{md}");
    // A run checks over the whole tree: 乙二镇 is the city's fifth.
    let res = ws.run(&Default::default()).unwrap();
    let msgs: Vec<&str> = res.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, ["乙二镇第5位"]);
}

/// A rank the script scopes by a level (`rank(x, "city")`) is the place within that
/// level's region in a report too: a county's report said 甲二镇居全市并列第2位 (its place
/// among its county's towns) where the city's towns place it 并列第3位. Without a level
/// the report's regions are ranked among one another, as before.
#[test]
fn a_rank_scoped_by_a_level_keeps_its_scope_in_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\np,市,city,\nc1,甲县,county,p\nc2,乙县,county,p\na1,甲一镇,town,c1\na2,甲二镇,town,c1\n\
         a3,甲三镇,town,c1\nb1,乙一镇,town,c2\nb2,乙二镇,town,c2\n",
    );
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    // Towns of the city by GDP: 甲一镇 30, 乙一镇 20, 甲二镇 and 甲三镇 10, 乙二镇 5.
    w("facts.csv", "region,year,indicator,value\na1,2021,gdp,30\na2,2021,gdp,10\na3,2021,gdp,10\nb1,2021,gdp,20\nb2,2021,gdp,5\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"city\", \"county\", \"town\"]\nperiod = \"2021\"\nregion = \"p\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
         [report.rules.r]\nsection = \"main\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
         values = { city = 'rank(level(gdp, \"town\"), \"city\")', county = 'rank(level(gdp, \"town\"), \"county\")', \
         here = 'rank(gdp)', last = 'rank(level(gdp, \"town\"), \"asc\")', best = 'top(level(gdp, \"town\"), 1, \"city\")' }\n\
         say = \"{region}居全市{city:rank}，全县{county:rank}，本报告{here:rank}，倒数{last:rank}，全市首位{best}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let said = |region: &str| -> Vec<String> {
        let (r, p) = yearbook::report::place(&ws, Some(region), Some("2021")).unwrap();
        yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect()
    };
    assert_eq!(
        said("c1"),
        [
            "甲一镇居全市第1位，全县第1位，本报告第1位，倒数第3位，全市首位30亿元",
            "甲二镇居全市并列第3位，全县并列第2位，本报告并列第2位，倒数并列第1位，全市首位暂无数据",
            "甲三镇居全市并列第3位，全县并列第2位，本报告并列第2位，倒数并列第1位，全市首位暂无数据",
        ]
    );
    assert_eq!(
        said("c2"),
        [
            "乙一镇居全市第2位，全县第1位，本报告第1位，倒数第2位，全市首位暂无数据",
            "乙二镇居全市第5位，全县第2位，本报告第2位，倒数第1位，全市首位暂无数据"
        ]
    );
}

/// A change in 百分点 a sentence ranks prints apart as a figure does: 提高2.5个百分点 was
/// said three times beside 提高幅度第1位, 第3位 and 第2位 (52.504 - 50, 52.496 - 50,
/// 52.5 - 50), `{d:points}` and `{d:pp}` alike.
#[test]
fn ranked_changes_in_points_print_apart() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nurb,城镇化率,%,rate,none\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,urb,50\nt1,2021,urb,52.504\nt2,2020,urb,50\nt2,2021,urb,52.496\nt3,2020,urb,50\nt3,2021,urb,52.5\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
         [report.rules.a]\nsection = \"main\"\nwhen = \"urb > 0\"\nlevels = [\"town\"]\n\
         values = { d = \"diff(urb)\", rd = \"rank(diff(urb))\" }\nsay = \"{region}{d:points}，幅度{rd:rank}，差{d:pp}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(
        said,
        [
            "甲镇提高2.504个百分点，幅度第1位，差2.504个百分点",
            "乙镇提高2.496个百分点，幅度第3位，差2.496个百分点",
            "丙镇提高2.5个百分点，幅度第2位，差2.5个百分点"
        ]
    );
    // A 倒数 ranking of the same figure (`rank(0 - diff(urb))`) sets them apart too.
    let text = std::fs::read_to_string(dir.path().join("yearbook.toml")).unwrap();
    std::fs::write(dir.path().join("yearbook.toml"), text.replace("rank(diff(urb))", "rank(0 - diff(urb))")).unwrap();
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(
        said,
        [
            "甲镇提高2.504个百分点，幅度第3位，差2.504个百分点",
            "乙镇提高2.496个百分点，幅度第1位，差2.496个百分点",
            "丙镇提高2.5个百分点，幅度第2位，差2.5个百分点"
        ]
    );
}

/// `max = 1` with `order` named one of two towns that grew alike (甲镇 2 -> 2.2, 乙镇 1 ->
/// 1.1: both 10%, 并列第1位) as 增速最快, by file order. Regions tied with the last one
/// kept are kept too; a region below them is not.
#[test]
fn max_keeps_the_regions_tied_with_the_last_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,gdp,2\nt1,2021,gdp,2.2\nt2,2020,gdp,1\nt2,2021,gdp,1.1\nt3,2020,gdp,4\nt3,2021,gdp,4.2\n",
    );
    let toml = |max: usize| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
             [report.rules.a]\nsection = \"main\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\norder = \"yoy(gdp)\"\nmax = {max}\n\
             values = {{ g = \"yoy(gdp)\" }}\nsay = \"增速最快的是{{region}}，{{g:growth}}\"\n"
        )
    };
    let said = || {
        let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
        let (r, p) = yearbook::report::place(&ws, Some("c"), Some("2021")).unwrap();
        yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect::<Vec<String>>()
    };
    w("yearbook.toml", &toml(1));
    assert_eq!(said(), ["增速最快的是甲镇，同比增长10%", "增速最快的是乙镇，同比增长10%"]);
    w("yearbook.toml", &toml(3));
    assert_eq!(said().len(), 3);
    // 4 -> 4.2 is 5%: below the tie, left out at max = 2 as at max = 1.
    w("yearbook.toml", &toml(2));
    assert_eq!(said(), ["增速最快的是甲镇，同比增长10%", "增速最快的是乙镇，同比增长10%"]);
}

/// A number a scripts function gives back printed 0 for 0.0021 and -0.0021 (two
/// decimals), and a growth handed to one as a fraction (`yoy(gdp)`: -0.1 for a fall of
/// 10%) where a template's `call` hands the same function -10 (增速程度(g) compares `g >=
/// 30.0`). Small figures now keep their digits and sign; the fraction is refused.
#[test]
fn a_functions_number_keeps_small_figures_and_takes_growths_in_percent() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,2\nt1,2021,gdp,2.1\nt2,2020,gdp,1\nt2,2021,gdp,0.9\n");
    w("f.rhai", "/// 原样返回。\nfn num(r, g) { g }\n");
    let toml = |g: &str| {
        format!(
            "scripts = [\"f.rhai\"]\n[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
             regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\n\
             sections = [\"main\"]\n[report.rules.a]\nsection = \"main\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
             values = {{ s = \"gdp * 0.001\", m = \"0 - gdp * 0.001\", g = \"{g}\" }}\n\
             say = \"{{region}}{{num(region, s)}}，{{num(region, m)}}，增速{{num(region, g)}}\"\n"
        )
    };
    w("yearbook.toml", &toml("pct(yoy(gdp))"));
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(said, ["甲镇0.0021，-0.0021，增速5", "乙镇0.0009，-0.0009，增速-10"]);
    // A function that throws for one town says where.
    w("f.rhai", "/// 原样返回。\nfn num(r, g) { if g < 0.0 { throw \"负增长不支持\" } g }\n");
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let e = match yearbook::report::said::sentences(&ws, r, p, None) {
        Ok(_) => panic!("甲镇's negative figure throws"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("report.rules.a.say at 甲镇 (t1), 2021: ") && e.contains("负增长不支持"), "{e}");
    w("f.rhai", "/// 原样返回。\nfn num(r, g) { g }\n");
    w("yearbook.toml", &toml("yoy(gdp)"));
    let (code, _, err) = cli_in(dir.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "report.rules.a.say: `{num(region, g)}` hands `num` the value `g` = `yoy(gdp)`, a fraction (0.1 for 10%), where a \
             template's call hands it a growth or share in percent: give the value in percent, `pct(yoy(gdp))`"
        ),
        "{err}"
    );
}

/// The messages of a `run` of the workspace in `dir` (findings.csv, in order), which must
/// exit 0.
fn run_messages(dir: &Path) -> Vec<String> {
    let (out, config) = (dir.join("out"), dir.join("yearbook.toml"));
    let args = ["run", "-c", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "csv", "--fail-on", "never"];
    let (code, stdout, err) = cli(&args);
    assert_eq!(code, 0, "{stdout}{err}");
    csv::Reader::from_path(out.join("findings.csv")).unwrap().records().map(|r| r.unwrap().get(7).unwrap().to_string()).collect()
}

/// A run's messages print ranked figures apart as report sentences do: 提高2.5个百分点 and
/// 10亿元 were said three times beside 第1位, 第3位 and 第2位. Only the regions a rule fails
/// are set against each other (丁镇 passes: its 2 points and 9.98亿元 print no digit more).
#[test]
fn ranked_figures_in_run_messages_print_apart() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\nt4,丁镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nurb,城镇化率,%,rate,none\ngdp,地区生产总值,亿元,flow,sum\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,urb,50\nt1,2021,urb,52.504\nt2,2020,urb,50\nt2,2021,urb,52.496\nt3,2020,urb,50\n\
         t3,2021,urb,52.5\nt4,2020,urb,50\nt4,2021,urb,52\nt1,2021,gdp,10.004\nt2,2021,gdp,9.996\nt3,2021,gdp,10\nt4,2021,gdp,9.98\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.a]\ncheck = \"diff(urb) < 2.2\"\nlevels = [\"town\"]\nvalues = { d = \"diff(urb)\", rd = \"rank(diff(urb))\" }\n\
         message = \"{region}{d:points}，幅度{rd:rank}，差{d:pp}\"\n\
         [rules.b]\ncheck = \"gdp < 9.99\"\nlevels = [\"town\"]\nvalues = { g = \"gdp\", rg = \"rank(gdp)\" }\n\
         message = \"{region}{g:amount}，{rg:rank}，{g:1}\"\n",
    );
    let messages = run_messages(dir.path());
    assert_eq!(
        messages,
        [
            "甲镇提高2.504个百分点，幅度第1位，差2.504个百分点",
            "乙镇提高2.496个百分点，幅度第3位，差2.496个百分点",
            "丙镇提高2.5个百分点，幅度第2位，差2.5个百分点",
            "甲镇10.004亿元，第1位，10.004亿元",
            "乙镇9.996亿元，第3位，9.996亿元",
            "丙镇10亿元，第2位，10亿元",
        ]
    );
}

/// A rule's message phrases the check's own values (`value` of `note(x)`, `g` of
/// `with_value("g", x)`) under the same checks as its named values: `check` said ok and
/// `run` printed 同比增长5% for 城镇化率 50% -> 52.5% (`yoy(urb)`), 同比增长2.5% for its
/// `diff`, 同比增长52.5% and 提高52.5个百分点 for its level, 0.1 for GDP's growth of 10%, and
/// `{?value:growth}` for GDP's level.
#[test]
fn rule_messages_check_the_checks_own_values() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nurb,城镇化率,%,rate,none\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,urb,50\nt1,2021,urb,52.5\nt1,2020,gdp,100\nt1,2021,gdp,110\n");
    let base = "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
                indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n";
    for (check, message, refused) in [
        ("note(yoy(urb))", "{value:growth}", "`{value:growth}` phrases the relative change of the rate `urb`"),
        ("note(diff(urb))", "{value:growth}", "`{value:growth}` phrases the change of the rate `urb`"),
        ("note(urb).with_value(\\\"g\\\", yoy(urb))", "{g:growth}", "`{g:growth}` phrases the relative change of the rate `urb`"),
        ("note(urb)", "{value:growth}", "`{value:growth}` phrases the level of the rate `urb`"),
        ("note(urb)", "{value:points}", "`{value:points}` reads a change in 百分点, and `value` is the level of a rate"),
        ("note(yoy(gdp))", "{value:1}", "`{value:1}` prints `value` = `yoy(gdp)`, a fraction (0.1 for 10%), as a bare number"),
        (
            "note(gdp).with_value(\\\"g\\\", gdp / lag(gdp, 1) - 1)",
            "{g:1}",
            "`{g:1}` prints `g` = `gdp / lag(gdp, 1) - 1`, a fraction (0.1 for 10%), as a bare number",
        ),
        ("note(gdp)", "{value:growth}", "`{value:growth}` reads a percentage, not a value in 亿元"),
    ] {
        let cfg = format!("{base}[rules.m]\ncheck = \"{check}\"\nlevels = [\"town\"]\nmessage = \"{{region}}{message}\"\n");
        w("yearbook.toml", &cfg);
        let (code, out, err) = cli(&["check", "-c", dir.path().join("yearbook.toml").to_str().unwrap()]);
        assert_eq!(code, 2, "{check} {message}: {out}{err}");
        assert!(err.contains(&format!("rules.m.message: {refused}")), "{check} {message}: {err}");
    }
    // Their right phrasings pass: the level as it is, its change in 百分点, GDP's growth.
    let cfg = format!(
        "{base}[rules.m]\ncheck = \"note(diff(urb)).with_value(\\\"g\\\", yoy(gdp))\"\nlevels = [\"town\"]\n\
         message = \"{{region}}{{value:points}}，{{g:growth}}\"\n"
    );
    w("yearbook.toml", &cfg);
    let messages = run_messages(dir.path());
    assert_eq!(messages, ["甲镇提高2.5个百分点，同比增长10%"]);
}

/// A month-on-month growth (环比, `pop`) over a loss or from a profit to a loss is said in
/// words as a year-on-year one is, naming the month before: a profit -80 -> 50 said
/// 环比暂无数据 and 30 -> -40 环比同比下降233.33% (-40 / 30 - 1).
#[test]
fn month_on_month_growths_over_losses_are_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\np,利润总额,万元,flow,sum\nnx,净出口,亿元,flow,sum\n");
    w(
        "facts.csv",
        "region,month,indicator,value\nt1,2021-02,nx,-2\nt1,2021-03,nx,3\nt1,2021-02,p,-80\nt1,2021-03,p,50\nt2,2021-02,p,30\n\
         t2,2021-03,p,-40\nt2,2021-02,nx,0\nt2,2021-03,nx,1.5\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"month\"\nperiod = \"2021-03\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[rules.h]\n\
         check = \"note(p).with_value(\\\"h\\\", pop(p)).with_value(\\\"n\\\", pop(nx))\"\n\
         message = \"{region}利润环比{h:growth}，净出口环比{n:growth}\"\nlevels = [\"town\"]\nperiods = [\"2021-03\"]\n",
    );
    let messages = run_messages(dir.path());
    assert_eq!(
        messages,
        ["甲镇利润环比扭亏为盈，净出口环比由负转正（上月-2亿元）", "乙镇利润环比由盈转亏，亏损40万元，净出口环比由零增至1.5亿元"]
    );
}

/// A placeholder never closed (`{gdp:amount，超过`) was printed as written into findings
/// and the report, with `check` saying ok: `check`, `run` and `report` refuse it.
#[test]
fn an_unclosed_placeholder_is_refused() {
    let cfg = std::fs::read_to_string(root().join("config/dayun/yearbook.toml")).unwrap();
    for (extra, field) in [
        ("[rules.gdp_high]\ncheck = \"gdp < 5\"\nmessage = \"{region}地区生产总值{gdp:amount，超过5亿元\"\n", "rules.gdp_high.message"),
        (
            "[report.rules.fdi_more]\nsection = \"economy\"\nwhen = \"fdi_actual > 0\"\nsay = \"{region}实到外资{fdi_actual:amount，超额完成\"\n",
            "report.rules.fdi_more.say",
        ),
    ] {
        let d = sample_copy(&[("yearbook.toml", format!("{cfg}\n{extra}").as_bytes())]);
        let c = d.path().join("yearbook.toml");
        let (code, out, err) = cli(&["check", "-c", c.to_str().unwrap()]);
        assert_eq!(code, 2, "{extra}: {out}{err}");
        assert!(err.contains(&format!("{field}: placeholder `")) && err.contains("is never closed (the template ends first)"), "{err}");
        let (code, _, err) = cli(&["run", "-c", c.to_str().unwrap(), "--out", d.path().join("out").to_str().unwrap()]);
        assert_eq!(code, 2, "{extra}: {err}");
        assert!(err.contains("is never closed"), "{err}");
    }
}

/// `{u:points}` of a rate's own level (城镇化率 52.5%) would say 提高52.5个百分点: `check`
/// refuses it, saying what to write; its change (`diff`) and a difference against a
/// threshold (`urban - 50`) are phrased in 百分点 as before.
#[test]
fn check_refuses_a_rates_level_phrased_as_points() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nurban,城镇化率,%,rate,mean\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,urban,50\nt1,2021,urban,52.5\n");
    let toml = |say: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
             [report.rules.a]\nsection = \"main\"\nwhen = \"urban > 0\"\nlevels = [\"town\"]\n\
             values = {{ u = \"urban\", d = \"diff(urban)\", gap = \"urban - 50\" }}\nsay = \"{say}\"\n"
        )
    };
    w("yearbook.toml", &toml("{region}{d:points}，高于{gap:pp}"));
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(said, ["甲镇提高2.5个百分点，高于2.5个百分点"]);
    for (say, key, text) in [("{region}{u:points}", "u:points", "urban"), ("{region}{urban:pp}", "urban:pp", "urban")] {
        w("yearbook.toml", &toml(say));
        let (code, out, err) = cli_in(dir.path(), &["check", "-c", "yearbook.toml"]);
        assert_eq!(code, 2, "{out}{err}");
        let name = key.split(':').next().unwrap();
        assert!(
            err.contains(&format!("report.rules.a.say: `{{{key}}}` reads a"))
                && err.contains(&format!("and `{name}` is the level of a rate"))
                && err.contains(&format!("`diff({text})`: 提高2.5个百分点")),
            "{err}"
        );
    }
}

/// A growth's level phrased as a change in 百分点 (`{g:points}` of GDP增速 8.1%, of
/// `yoy_pct(gdp)`, `{g:pp}`) said 提高8.1个百分点: `check` refuses it, naming the
/// phrasings that fit; the growth's own change (`diff(gdp_g)`) is said in 百分点 as before.
#[test]
fn check_refuses_a_growths_level_phrased_as_points() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\ngdp_g,地区生产总值增速,%,rate,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,2\nt1,2021,gdp,2.2\nt1,2020,gdp_g,10\nt1,2021,gdp_g,8.1\n");
    let toml = |say: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\nsections = [\"main\"]\n\
             [report.rules.a]\nsection = \"main\"\nwhen = \"gdp > 0\"\nlevels = [\"town\"]\n\
             values = {{ g = \"gdp_g\", y = \"yoy_pct(gdp)\", d = \"diff(gdp_g)\", f = \"fill(yoy_pct(gdp), 0)\", \
             h = \"(gdp / lag(gdp, 1) - 1) * 100\" }}\nsay = \"{say}\"\n"
        )
    };
    w("yearbook.toml", &toml("{region}增速{g}，{y:growth}，增速{d:points}"));
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c"), Some("2021")).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(said, ["甲镇增速8.1%，同比增长10%，增速下降1.9个百分点"]);
    for (say, key, text, it) in [
        ("{region}{g:points}", "g:points", "gdp_g", "is the level of a figure in % (a growth rate, a reported figure)"),
        ("{region}{g:pp}", "g:pp", "gdp_g", "is the level of a figure in % (a growth rate, a reported figure)"),
        ("{region}{y:points}", "y:points", "yoy_pct(gdp)", "is a growth"),
        ("{region}{f:points}", "f:points", "fill(yoy_pct(gdp), 0)", "is a growth"),
        ("{region}{h:pp}", "h:pp", "(gdp / lag(gdp, 1) - 1) * 100", "is a growth"),
    ] {
        w("yearbook.toml", &toml(say));
        let (code, out, err) = cli_in(dir.path(), &["check", "-c", "yearbook.toml"]);
        assert_eq!(code, 2, "{out}{err}");
        let name = key.split(':').next().unwrap();
        assert!(
            err.contains(&format!("report.rules.a.say: `{{{key}}}` reads a"))
                && err.contains(&format!("and `{name}` = `{text}` {it}: 增速8.1% would say 提高8.1个百分点"))
                && err.contains(&format!("`{{{name}:growth}}` (同比增长8.1%)")),
            "{err}"
        );
    }
}

/// Figures a sentence ranks print with the decimals that tell regions of different places
/// apart, as `ranking()` prints them: three towns said 增速5% and 总量2亿元 were placed
/// 第1位, 第3位 and 第2位. Equal figures keep their decimals and share the place.
#[test]
fn figures_ranked_in_sentences_print_apart() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\nt4,丁镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\ng,增速,%,rate,,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2021,gdp,2.004\nt2,2021,gdp,2.001\nt3,2021,gdp,2.003\nt4,2021,gdp,2.001\n\
         t1,2021,g,5.004\nt2,2021,g,4.996\nt3,2021,g,5\nt4,2021,g,3\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[indicators.place]\nexpr = \"rank(g)\"\n\
         [report]\ntitle = \"t\"\nsections = [\"main\"]\n\
         [report.rules.s]\nsection = \"main\"\nwhen = \"g > 0\"\nlevels = [\"town\"]\n\
         values = { w = \"place\", r = \"rank(gdp)\" }\nsay = \"{region}增速{g}，位列{w:rank}；总量{gdp:amount}，位列{r:rank}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, None, None).unwrap();
    let said: Vec<String> = yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(
        said,
        [
            "甲镇增速5.004%，位列第1位；总量2.004亿元，位列第1位",
            "乙镇增速4.996%，位列第3位；总量2.001亿元，位列并列第3位",
            "丙镇增速5%，位列第2位；总量2.003亿元，位列第2位",
            "丁镇增速3%，位列第4位；总量2.001亿元，位列并列第3位",
        ]
    );
}

/// The level of a derived share (`local_rev / total_rev * 100` labelled 占比) or of an
/// index (上年=100) phrased `{x:points}` said 提高43.64个百分点 and 提高101.8个百分点, and a
/// share's fraction printed `{x}` or `{x:amount}` said 0.4364 and 0.44, with `check` ok.
/// All refused now, in a report rule's sentence and in a rule's message; the changes
/// (2400/5500 - 2000/5000 = +3.64 points; 101.8 - 102.5 = -0.7 points) are said as such.
#[test]
fn the_level_of_a_derived_share_or_an_index_is_no_change_and_a_share_no_bare_fraction() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\nlocal_rev,地方财政收入,万元,flow,sum,\ntotal_rev,财政总收入,万元,flow,sum,\n\
         cpi,居民消费价格指数,上年=100,rate,none,\n",
    );
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,local_rev,2000\nt1,2020,total_rev,5000\nt1,2021,local_rev,2400\n\
         t1,2021,total_rev,5500\nt1,2020,cpi,102.5\nt1,2021,cpi,101.8\n",
    );
    let toml = |say: &str, message: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [indicators.local_share]\nlabel = \"地方财政收入占比\"\nunit = \"%\"\nexpr = \"local_rev / total_rev * 100\"\n\
             [indicators.local_frac]\nlabel = \"地方财政收入占比\"\nexpr = \"local_rev / total_rev\"\n\
             [indicators.local_frac_s]\nlabel = \"地方财政收入占比\"\nexpr = \"share(local_rev, total_rev)\"\n\
             [report]\ntitle = \"t\"\nsections = [\"main\"]\n[report.rules.r1]\nsection = \"main\"\nwhen = \"local_rev > 0\"\n\
             levels = [\"town\"]\nvalues = {{ d = \"diff(local_share)\", c = \"diff(cpi)\" }}\nsay = \"{say}\"\n\
             [rules.m1]\ncheck = \"note(local_rev)\"\nlevels = [\"town\"]\nvalues = {{ s = \"local_share\", f = \"local_frac\" }}\n\
             message = \"{message}\"\n"
        )
    };
    for (say, message, want) in [
        (
            "{region}{local_share:points}",
            "{region}",
            "report.rules.r1.say: `{local_share:points}` reads a change in 百分点, and `local_share` is the level of a rate",
        ),
        (
            "{region}{cpi:points}",
            "{region}",
            "report.rules.r1.say: `{cpi:points}` reads a change in 百分点, and `cpi` is the level of an index",
        ),
        (
            "{region}{local_frac}",
            "{region}",
            "report.rules.r1.say: `{local_frac}` prints `local_frac` = `local_frac`, a fraction (0.1 for 10%)",
        ),
        (
            "{region}{local_frac_s:amount}",
            "{region}",
            "report.rules.r1.say: `{local_frac_s:amount}` prints `local_frac_s` = `local_frac_s`, a fraction",
        ),
        ("{region}", "{region}{s:points}", "rules.m1.message: `{s:points}` reads a change in 百分点, and `s` is the level of a rate"),
        ("{region}", "{region}{f:amount}", "rules.m1.message: `{f:amount}` prints `f` = `local_frac`, a fraction"),
    ] {
        w("yearbook.toml", &toml(say, message));
        let (code, out, err) = cli_in(dir.path(), &["check", "-c", "yearbook.toml"]);
        assert_eq!(code, 2, "{say} {message}: {out}{err}");
        assert!(err.contains(want), "{say} {message}: {err}");
    }
    // Said right: the level as it is, its change in points.
    w("yearbook.toml", &toml("{region}占比{local_share}，{d:points}；价格指数{cpi}，{c:points}", "{region}{s}"));
    let (code, out, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("甲镇占比43.64%，提高3.64个百分点；价格指数101.8，下降0.7个百分点"), "{out}");
}

/// `two_year_avg_growth` of a growth written in % by hand (`yoy(gdp) * 100`) reads it as
/// that percent, as `pct` does: 10% and 10% average 10% (it gave 1000%), 0% and -10%
/// sqrt(1 x 0.9) - 1 = -5.13% (it was left out as below -100%). The check's own value
/// is a two-year figure in words too: 两年平均增长10%, never 同比.
#[test]
fn a_two_year_average_of_a_growth_in_percent_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2019,gdp,10\nt1,2020,gdp,11\nt1,2021,gdp,12.1\nt2,2019,gdp,5\nt2,2020,gdp,5\nt2,2021,gdp,4.5\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.two_year]\ncheck = \"note(two_year_avg_growth(yoy(gdp) * 100))\"\nlevels = [\"town\"]\n\
         message = \"{region}两年平均{value:growth}\"\n",
    );
    assert_eq!(run_messages(dir.path()), ["甲镇两年平均增长10%", "乙镇两年平均下降5.13%"]);
}

/// Two figures of one sentence that differ print apart: an actual of 99.996万元 against a
/// target of 100万元 said 财政收入100万元，目标100万元 … 未完成任务, in the run's message and
/// the report's sentence alike. Figures that print apart already keep their decimals.
#[test]
fn figures_of_one_sentence_that_differ_print_apart() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nrev,财政收入,万元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,rev,99.996\nt2,2021,rev,80.5\n");
    w("targets.csv", "region,year,indicator,value\nt1,2021,rev,100\nt2,2021,rev,100\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [[data.facts]]\nfile = \"targets.csv\"\nnamespace = \"target\"\n\
         [rules.rev_target]\ncheck = \"target_completion(rev, target.rev, 1)\"\nlevels = [\"town\"]\n\
         message = \"{region}财政收入{actual:amount}，目标{target:amount}，{completion:completion}\"\n\
         [report]\ntitle = \"t\"\nsections = [\"problems\"]\n[report.rules.rev_behind]\nsection = \"problems\"\n\
         levels = [\"town\"]\nwhen = \"rev < target.rev\"\nvalues = { c = \"completion(rev, target.rev)\" }\n\
         say = \"{region}财政收入{rev:amount}，年度目标{target.rev:amount}，{c:completion}\"\n",
    );
    let mut cfg = std::fs::read_to_string(dir.path().join("yearbook.toml")).unwrap();
    cfg = cfg.replace(
        "[report]",
        "[rules.growths]\ncheck = \"note(yoy(rev))\"\nlevels = [\"town\"]\nvalues = { g = \"yoy(target.rev)\" }\n\
         message = \"{region}{value:growth}，目标{g:growth}\"\n[report]",
    );
    std::fs::write(dir.path().join("yearbook.toml"), cfg).unwrap();
    w("facts.csv", "region,year,indicator,value\nt1,2020,rev,90.9\nt1,2021,rev,99.996\nt2,2020,rev,80\nt2,2021,rev,80.5\n");
    w("targets.csv", "region,year,indicator,value\nt1,2020,rev,90.9\nt1,2021,rev,100\nt2,2020,rev,50\nt2,2021,rev,100\n");
    assert_eq!(
        run_messages(dir.path()),
        [
            "甲镇同比增长10.007%，目标同比增长10.011%",
            "乙镇同比增长0.63%，目标同比增长100%",
            "甲镇财政收入99.996万元，目标100万元，完成县下达任务99.996%，未完成任务",
            "乙镇财政收入80.5万元，目标100万元，完成县下达任务80.5%，未完成任务"
        ]
    );
    let (code, out, err) =
        cli(&["report", "-c", dir.path().join("yearbook.toml").to_str().unwrap(), "-o", dir.path().join("r.md").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let r = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(
        r.contains(
            "甲镇财政收入99.996万元，年度目标100万元，完成县下达任务99.996%，未完成任务；乙镇财政收入80.5万元，年度目标100万元，\
             完成县下达任务80.5%，未完成任务。"
        ),
        "{r}"
    );
}

/// A rule whose check is the rank (`note(rank(yoy(gdp)))`) prints the figures it places
/// apart, as a named rank does: 同比增长10% was said three times beside 第1位, 第3位 and
/// 第2位.
#[test]
fn the_figures_a_checks_own_rank_places_print_apart() {
    let dir = towns_near_ten_percent(
        "[rules.growth_rank]\ncheck = \"note(rank(yoy(gdp)))\"\nlevels = [\"town\"]\nperiods = [\"2021\"]\n\
         message = \"{region}GDP{g:growth}，增速居{value:rank}\"\nvalues = { g = \"yoy(gdp)\" }\n",
    );
    assert_eq!(
        run_messages(dir.path()),
        ["甲镇GDP同比增长10.004%，增速居第1位", "乙镇GDP同比增长9.996%，增速居第3位", "丙镇GDP同比增长10%，增速居第2位"]
    );
}

/// `latest(x)`'s figures are of their own period: 丙镇's latest GDP is 2020's, so its
/// finding and sentence say 2020 (the report said 丙镇2021年地区生产总值5亿元, the run
/// message 丙镇年地区生产总值5亿元 with no period). Beside a figure of the report's year
/// such a figure is refused, naming both periods.
#[test]
fn the_latest_figures_are_said_under_their_own_period() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\npop,人口,万人,stock,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,10\nt1,2021,gdp,11\nt3,2020,gdp,5\nt1,2021,pop,2\nt3,2021,pop,3\n");
    let toml = |say: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
             regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [rules.latest_gdp]\ncheck = \"note(latest(gdp))\"\nlevels = [\"town\"]\n\
             message = \"{{region}}{{period}}年地区生产总值{{value:amount}}\"\n\
             [report]\ntitle = \"t\"\nsections = [\"highlights\"]\n[report.rules.latest_gdp]\nsection = \"highlights\"\n\
             levels = [\"town\"]\nwhen = \"latest(gdp) > 0\"\nvalues = {{ l = \"latest(gdp)\", n = \"pop\" }}\nsay = \"{say}\"\n"
        )
    };
    w("yearbook.toml", &toml("{region}{period}年地区生产总值{l:amount}"));
    assert_eq!(run_messages(dir.path()), ["甲镇2021年地区生产总值11亿元", "丙镇2020年地区生产总值5亿元"]);
    let config = dir.path().join("yearbook.toml");
    let report = dir.path().join("r.md");
    // `pop` is a value of 2021 too: the sentence that does not say it still puts 丙镇's
    // latest GDP beside it, so it is refused.
    let (code, _, err) = cli(&["report", "-c", config.to_str().unwrap(), "-o", report.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "latest_gdp.say at 丙镇 (t3), 2021: figures `latest` took there are of 2020, beside figures of 2021: the sentence \
             would say them all as 2021's"
        ),
        "{err}"
    );
    w("yearbook.toml", &toml("{region}{period}年地区生产总值{l:amount}").replace(", n = \"pop\"", ""));
    let (code, out, err) = cli(&["report", "-c", config.to_str().unwrap(), "-o", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let r = std::fs::read_to_string(&report).unwrap();
    assert!(r.contains("甲镇2021年地区生产总值11亿元；丙镇2020年地区生产总值5亿元。"), "{r}");
}

/// A figure `latest` took from an earlier period, named beside a check by period, says
/// its own period: 丙镇's latest GDP (2020's 5亿元) in a finding of 2021 was said
/// 丙镇2021年人口3万人，地区生产总值5亿元. A figure of the finding's own period says nothing more.
#[test]
fn a_latest_figure_beside_a_check_by_period_says_its_own_period() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\npop,人口,万人,stock,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,10\nt1,2021,gdp,11\nt3,2020,gdp,5\nt1,2021,pop,2\nt3,2021,pop,3\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.pop_gdp]\ncheck = \"note(pop)\"\nlevels = [\"town\"]\n\
         message = \"{region}{period}年人口{value:amount}，地区生产总值{l:amount}\"\nvalues = { l = \"latest(gdp)\" }\n\
         [rules.latest_pair]\ncheck = \"note(latest(gdp))\"\nlevels = [\"town\"]\n\
         message = \"{region}{period}地区生产总值{value:amount}，人口{n:amount}\"\nvalues = { n = \"latest(pop)\" }\n",
    );
    assert_eq!(
        run_messages(dir.path()),
        [
            "甲镇2021地区生产总值11亿元，人口2万人",
            // 丙镇's figures are of two periods: the finding has none, each figure says its own.
            "丙镇地区生产总值5亿元（2020年），人口3万人（2021年）",
            "甲镇2021年人口2万人，地区生产总值11亿元",
            "丙镇2021年人口3万人，地区生产总值5亿元（2020年）",
        ]
    );
}

/// A growth over 上年同期 figures loaded under a namespace (`prior.profit`, an office
/// sheet's 同期 column) takes a base below zero as `yoy` does: 甲镇's loss of 100万元 turned
/// into a profit of 50万元 was said 同比下降150%, 乙镇's 200 turned into a loss of 30
/// 同比下降115%. Now 扭亏为盈 and 由盈转亏, in sentences and run messages alike.
#[test]
fn a_growth_over_a_prior_namespace_says_a_loss_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nprofit,利润总额,万元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,profit,50\nt2,2021,profit,-30\nt3,2021,profit,120\n");
    w("prior.csv", "region,year,indicator,value\nt1,2021,profit,-100\nt2,2021,profit,200\nt3,2021,profit,100\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [[data.facts]]\nfile = \"prior.csv\"\nnamespace = \"上年同期\"\n\
         [rules.g]\ncheck = \"note((profit - 上年同期.profit) / 上年同期.profit * 100)\"\nlevels = [\"town\"]\n\
         message = \"{region}利润总额{profit:amount}，{value:growth}\"\n\
         [report]\ntitle = \"t\"\nsections = [\"highlights\"]\n[report.rules.q]\nsection = \"highlights\"\n\
         levels = [\"town\"]\nwhen = \"profit > -1000\"\nvalues = { h = \"profit / 上年同期.profit - 1\" }\n\
         say = \"{region}利润总额{profit:amount}，{h:growth}\"\n",
    );
    assert_eq!(run_messages(dir.path()), ["乙镇利润总额-30万元，由盈转亏，亏损30万元", "丙镇利润总额120万元，同比增长20%"]);
    let config = dir.path().join("yearbook.toml");
    let report = dir.path().join("r.md");
    let (code, out, err) = cli(&["report", "-c", config.to_str().unwrap(), "-o", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let r = std::fs::read_to_string(&report).unwrap();
    assert!(
        r.contains("甲镇利润总额50万元，扭亏为盈；乙镇利润总额-30万元，由盈转亏，亏损30万元；丙镇利润总额120万元，同比增长20%。"),
        "{r}"
    );
}

/// A check of latest figures (`note(latest(gdp))`) names a figure of each period beside
/// them (`pop`): it is read at the finding's period. 甲镇's finding of 2021 said its 2020
/// population (2万人 for 2.5万人), and with a 2019 row elsewhere both said 人口—.
#[test]
fn a_figure_beside_latest_figures_is_of_the_findings_period() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\npop,常住人口,万人,stock,sum,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt2,2019,gdp,1\nt1,2020,gdp,4\nt1,2021,gdp,6\nt2,2020,gdp,5\nt1,2020,pop,2\nt1,2021,pop,2.5\n\
         t2,2020,pop,2.8\nt2,2021,pop,3\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
         regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.j]\ncheck = \"note(latest(gdp))\"\nlevels = [\"town\"]\n\
         message = \"{region}{period}年地区生产总值{value:amount}，人口{p:amount}\"\nvalues = { p = \"pop\" }\n",
    );
    assert_eq!(run_messages(dir.path()), ["甲镇2021年地区生产总值6亿元，人口2.5万人", "乙镇2020年地区生产总值5亿元，人口2.8万人"]);
}

/// A rank printed as its number (第{r}位) or of a level's figures (`rank(level(gdp,
/// "town"))`) places figures as `{r:rank}` does: they print apart (110.004亿元, 109.996亿元,
/// 110亿元; 10.004%, 9.996%, 10%), where each printed alike beside places 1, 3 and 2.
#[test]
fn a_rank_printed_as_a_number_or_of_a_level_places_its_figures_apart() {
    let dir = towns_near_ten_percent(
        "[rules.b]\ncheck = \"note(rank(level(gdp, \\\"town\\\")))\"\nperiods = [\"2021\"]\n\
         message = \"{region}GDP{v:amount}居{value:rank}\"\nvalues = { v = \"gdp\" }\n\
         [report]\ntitle = \"t\"\nsections = [\"highlights\"]\n[report.rules.h]\nsection = \"highlights\"\nlevels = [\"town\"]\n\
         when = \"gdp > 0\"\nvalues = { g = \"pct(yoy(gdp))\", r = \"rank(pct(yoy(gdp)))\" }\nsay = \"{region}GDP{g:growth}，增速居第{r}位\"\n",
    );
    assert_eq!(run_messages(dir.path()), ["甲镇GDP110.004亿元居第1位", "乙镇GDP109.996亿元居第3位", "丙镇GDP110亿元居第2位"]);
    let config = dir.path().join("yearbook.toml");
    let report = dir.path().join("r.md");
    let (code, out, err) = cli(&["report", "-c", config.to_str().unwrap(), "-o", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let r = std::fs::read_to_string(&report).unwrap();
    assert!(
        r.contains("甲镇GDP同比增长10.004%，增速居第1位；乙镇GDP同比增长9.996%，增速居第3位；丙镇GDP同比增长10%，增速居第2位。"),
        "{r}"
    );
}

/// A workspace of three towns whose GDP grew from 100亿元 to 110.004, 109.996 and 110亿元
/// in 2021 (10.004%, 9.996%, 10%: alike at two decimals), with `rules` (TOML) after its
/// data.
fn towns_near_ten_percent(rules: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,gdp,100\nt2,2020,gdp,100\nt3,2020,gdp,100\nt1,2021,gdp,110.004\nt2,2021,gdp,109.996\n\
         t3,2021,gdp,110\n",
    );
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2021\"\nregion = \"c\"\n[data]\n\
             regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n{rules}"
        ),
    );
    dir
}

/// A report or run of 2022 takes what it sums across periods through 2022 only: a
/// 2022 report's 十四五以来累计 summed 2021, 2022 and 2023 (6000万元 for 3000), and a 2021
/// report printed the same 6000 for 1000, figures from after its year. `latest` stops at
/// the report's period too.
#[test]
fn sums_across_periods_stop_at_the_reports_period() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\njs,嘉善县,county,\nt1,甲镇,town,js\nt2,乙镇,town,js\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninv,固定资产投资,万元,flow,sum,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2021,inv,1000\nt1,2022,inv,2000\nt1,2023,inv,3000\nt2,2021,inv,500\nt2,2022,inv,600\nt2,2023,inv,700\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nname = \"x\"\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\nperiod = \"2022\"\nregion = \"js\"\n\n\
         [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\n[[data.facts]]\nfile = \"facts.csv\"\n\n\
         [rules.cum]\nseverity = \"info\"\ncheck = \"note(sum(inv, \\\"periods\\\"))\"\n\
         message = \"{region}十四五以来累计{value:amount}，最新{l:amount}\"\nvalues = { l = \"latest(inv)\" }\n\n\
         [report]\ntitle = \"t\"\nsections = [\"highlights\"]\n\n[report.rules.cum]\nsection = \"highlights\"\nlevels = [\"town\"]\n\
         when = \"inv > 0\"\nvalues = { c = \"sum(inv, \\\"periods\\\")\" }\n\
         say = \"{region}{period}年完成固定资产投资{inv:amount}，十四五以来累计完成{c:amount}\"\n",
    );
    assert_eq!(run_messages(dir.path()), ["甲镇十四五以来累计3000万元，最新2000万元", "乙镇十四五以来累计1100万元，最新600万元"]);
    let config = dir.path().join("yearbook.toml");
    for (period, want) in [
        (
            "2022",
            "甲镇2022年完成固定资产投资2000万元，十四五以来累计完成3000万元；乙镇2022年完成固定资产投资600万元，十四五以来累计完成1100万元",
        ),
        (
            "2021",
            "甲镇2021年完成固定资产投资1000万元，十四五以来累计完成1000万元；乙镇2021年完成固定资产投资500万元，十四五以来累计完成500万元",
        ),
    ] {
        let md = dir.path().join(format!("r{period}.md"));
        let (code, out, err) = cli(&["report", "-c", config.to_str().unwrap(), "--period", period, "-o", md.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        let text = std::fs::read_to_string(&md).unwrap();
        assert!(text.contains(want), "{period}: {text}");
    }
}

/// A derived indicator taken across periods, computed as of one period, is not read back
/// as of another: the values are computed again when the period changes (a 2021 report
/// after a 2022 one in the same process would have said 2022's total).
#[test]
fn derived_values_are_not_shared_between_periods() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\njs,嘉善县,county,\nt1,甲镇,town,js\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninv,固定资产投资,万元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,inv,1000\nt1,2022,inv,2000\nt1,2023,inv,3000\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nfrequency = \"year\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[indicators.tot]\nlabel = \"十四五以来累计\"\n\
         expr = \"sum(inv, \\\"periods\\\")\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let total = |ws: &yearbook::Workspace| {
        let s = ws.eval("only(tot, \"t1\")").unwrap().value.as_series().unwrap();
        s.data.iter().copied().find(|v| !v.is_nan()).unwrap()
    };
    let at = |y: &str| ws.panel().periods().iter().position(|p| p.to_string() == y);
    assert_eq!(total(&ws.as_of(at("2022"))), 3000.0);
    assert_eq!(total(&ws.as_of(at("2021"))), 1000.0);
    assert_eq!(total(&ws), 6000.0);
    assert_eq!(total(&ws.as_of(at("2022"))), 3000.0);
}
