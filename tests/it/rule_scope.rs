//! A rule scoped to a level whose regions are made of their children (a county of its
//! towns) never checks nothing silently: where what it reads cannot be rolled up there,
//! the county's cells are items, not evaluable, with a note saying what to declare.
//! Findings' figures are read to 15 significant digits of what they were computed from,
//! and every placeholder of a message fills or is refused by `check`.

use crate::common::*;

/// County c1 of towns t1, t2 (no figures of its own). tot 2.675 亿元 = a 1.2 亿元 +
/// b 14600 万元 + 0.015 at t1; price 10 and 20 元/吨, qty 3 and 2 吨: revenue 30 + 40 = 70 元.
fn workspace(indicators: &str, toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w(
        "indicators.csv",
        &format!(
            "code,label,unit,kind,rollup,note\ntot,合计,亿元,flow,sum,\na,甲,亿元,flow,sum,\nb,乙,万元,flow,sum,\n\
             qty,数量,吨,flow,sum,\n{indicators}"
        ),
    );
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2021,tot,2.675\nt1,2021,a,1.2\nt1,2021,b,14600\nt2,2021,tot,0.3\nt2,2021,a,0.1\n\
         t2,2021,b,1000\nt1,2021,price,10\nt1,2021,qty,3\nt2,2021,price,20\nt2,2021,qty,2\n",
    );
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"facts.csv\"\n{toml}"
        ),
    );
    dir
}

fn run(dir: &tempfile::TempDir) -> yearbook::finding::RunResult {
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    yearbook::run::run(&ws, &Default::default(), &mut |_| {}).unwrap()
}

const PRICE: &str = "price,价格,元/吨,rate,none,\n";

#[test]
fn a_county_rule_on_what_does_not_roll_up_says_so_instead_of_checking_nothing() {
    let dir = workspace(
        PRICE,
        "[indicators.revenue]\nexpr = \"price * qty\"\n[indicators.gap]\nexpr = \"qty - 0.5\"\n\
         [rules.rv]\ncheck = \"revenue > 100\"\nlevels = [\"county\"]\n[rules.gp]\ncheck = \"gap > 100\"\nlevels = [\"county\"]\n\
         [rules.pr]\ncheck = \"price > 5\"\nlevels = [\"county\"]\n",
    );
    let r = run(&dir);
    let counts: Vec<(&str, usize, usize)> = r.rules.iter().map(|s| (s.rule.as_str(), s.items, s.not_evaluable)).collect();
    assert_eq!(counts, [("gp", 1, 1), ("pr", 1, 1), ("rv", 1, 1)]);
    let rule = |id: &str| r.rules.iter().find(|s| s.rule == id).unwrap();
    assert!(r.findings.is_empty());
    assert_eq!(
        rule("rv").why,
        ["1 cell(s) not evaluable at a region made of its children (某县 2021): it has no figure of its own and `revenue` \
          (price * qty) does not roll up by itself (a product such as price * quantity does not roll up (rolling up each \
          factor first gives another number): define it as an indicator with rollup = \"sum\" to add up the regions' values); \
          declare how in [indicators.revenue]: rollup = \"sum\" when the regions' values add up (a total such as price * \
          quantity), \"weighted_mean(INDICATOR)\" or \"mean\" for a rate of the regions' own, or \"none\"; a rate made of \
          totals (a completion, pacing, a share) is its formula over the rolled-up totals (f(rollup(a, level), rollup(b, \
          level))), never a mean of the regions' rates"]
    );
    assert!(rule("gp").why[0].contains("`gap` (qty - 0.5) does not roll up by itself"), "{:?}", rule("gp").why);
    assert!(rule("gp").why[0].contains("declare how in [indicators.gap]: rollup = \"sum\""), "{:?}", rule("gp").why);
    assert_eq!(
        rule("pr").why,
        ["1 cell(s) not evaluable at a region made of its children (某县 2021): it has no figure of its own and `price` (rate) \
          has rollup = none in indicators.csv: it cannot be rolled up; recompute it from its components, e.g. \
          rollup(a, level) / rollup(b, level)"]
    );
    // The run says so on stderr too, and exits 0 (not evaluable is no failure).
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: rule rv (1 of 1 items not evaluable): 1 cell(s) not evaluable at a region made of its children"), "{err}");
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(summary.contains("\nrv,error,1,0,0,0,1,,\n"), "{summary}");
}

#[test]
fn a_county_rule_on_a_declared_sum_checks_the_towns_total() {
    let dir = workspace(
        PRICE,
        "[indicators.revenue]\nexpr = \"price * qty\"\nrollup = \"sum\"\n\
         [rules.rv]\ncheck = \"revenue > 100\"\nlevels = [\"county\"]\n",
    );
    let r = run(&dir);
    assert_eq!((r.rules[0].items, r.rules[0].fails, r.rules[0].not_evaluable), (1, 1, 0));
    assert!(r.rules[0].why.is_empty(), "{:?}", r.rules[0].why);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].region, "c1");
    // 30 + 40 元.
    let v = r.findings[0].values.iter().map(|(k, v)| (k.to_string(), v.value)).collect::<Vec<_>>();
    assert!(v.is_empty() || v.iter().all(|(_, x)| *x == Some(70.0)), "{v:?}");
}

#[test]
fn a_town_rule_on_what_does_not_roll_up_is_unchanged() {
    let dir = workspace(PRICE, "[indicators.revenue]\nexpr = \"price * qty\"\n[rules.rv]\ncheck = \"revenue > 35\"\nlevels = [\"town\"]\n");
    let r = run(&dir);
    // 甲镇 30 fails, 乙镇 40 passes; nothing noted.
    assert_eq!((r.rules[0].items, r.rules[0].passes, r.rules[0].fails, r.rules[0].not_evaluable), (2, 1, 1, 0));
    assert!(r.rules[0].why.is_empty(), "{:?}", r.rules[0].why);
}

const BAL: &str = "[rules.bal]\ncheck = \"balance(tot, [a, b], 0.001)\"\n\
                   message = \"{region}合计{total}，分项{parts}，相差{imbalance}，{imbalance:2}，{imbalance:amount}\"\n";

#[test]
fn an_imbalance_is_read_to_the_digits_its_figures_hold() {
    let dir = workspace(PRICE, BAL);
    let r = run(&dir);
    // 2.675 - (1.2 + 1.46) and 0.3 - (0.1 + 0.1), never 0.0149999999999997.
    let imb: Vec<Option<f64>> = r.findings.iter().map(|f| f.imbalance).collect();
    assert_eq!(imb, [Some(0.015), Some(0.1)]);
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never", "--format", "json,csv"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(dir.path().join("out/findings.csv")).unwrap();
    assert!(csv.contains("\nbal,error,fail,t1,甲镇,2021,0.015,"), "{csv}");
    assert!(csv.contains("\nbal,error,fail,t2,乙镇,2021,0.1,"), "{csv}");
    let json = std::fs::read_to_string(dir.path().join("out/findings.json")).unwrap();
    assert!(json.contains("\"imbalance\": 0.015,"), "{json}");
    assert!(!json.contains("0.0149999"), "{json}");
}

#[test]
fn an_imbalance_is_phrased_as_any_value() {
    let dir = workspace(PRICE, BAL);
    let r = run(&dir);
    let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    // A failing finding's imbalance to its last digit, however it is asked for: rounded,
    // 0.0511 printed on the 0.05 it fails (rule23 05).
    assert_eq!(messages[0], "甲镇合计2.68亿元，分项2.66亿元，相差0.015亿元，0.015亿元，0.015亿元");
    assert_eq!(messages[1], "乙镇合计0.3亿元，分项0.2亿元，相差0.1亿元，0.1亿元，0.1亿元");
    assert!(!messages.iter().any(|m| m.contains("{?")), "{messages:?}");
}

/// A rule whose check narrows its series to some regions or periods (`level`, `only`,
/// `children`, `in_period`) has items only there: the towns' cells of
/// `level(gdp, "county") < 0` were counted as items not evaluable (5 items, 3 not
/// evaluable, for 2 counties).
#[test]
fn a_check_narrowed_to_regions_or_periods_has_items_only_there() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\np,某市,city,\nc1,甲县,county,p\nc2,乙县,county,p\nt1,A镇,town,c1\nt2,B镇,town,c1\nt3,C镇,town,c2\n",
    );
    w("indicators.csv", "code,unit,kind,rollup\ngdp,亿元,flow,sum\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2021,gdp,5\nt2,2021,gdp,-8\nt3,2021,gdp,4\nt1,2020,gdp,1\nt2,2020,gdp,1\nt3,2020,gdp,1\n",
    );
    let rules = [
        ("lvl", "level(gdp, \\\"county\\\") < 0", (4, 1, 3)),
        ("one", "only(gdp, \\\"c1\\\") < 0", (2, 1, 1)),
        ("kids", "children(gdp, \\\"p\\\") < 0", (4, 1, 3)),
        ("y2021", "in_period(gdp, 2021) < 0", (3, 1, 2)),
        ("both", "level(in_period(gdp, 2021), \\\"county\\\") < 0", (2, 1, 1)),
        ("plain", "gdp < 0", (6, 1, 5)),
    ];
    let toml: String = rules.iter().map(|(n, c, _)| format!("[rules.{n}]\ncheck = \"{c}\"\n")).collect();
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"city\",\"county\",\"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"facts.csv\"\n{toml}"
        ),
    );
    let result = run(&dir);
    for (name, check, (items, passes, fails)) in rules {
        let s = result.rules.iter().find(|s| s.rule == name).unwrap();
        assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (items, passes, fails, 0), "{check}: {s:?}");
    }
}

/// A rule scoped to a level where its check has no cell (`rollup(tot, "county") < 0`
/// with levels = ["town"]) checked nothing: 0 items, exit 0, no word (a tester's find).
/// It now says so, naming the level that has values, in the summary and on stderr.
#[test]
fn a_rule_whose_check_has_no_cell_at_its_levels_says_it_checked_nothing() {
    let dir = workspace(
        PRICE,
        "[rules.r6]\ncheck = \"rollup(tot, \\\"county\\\") > 0\"\nlevels = [\"town\"]\n\
         [rules.ok]\ncheck = \"rollup(tot, \\\"county\\\") > 0\"\nlevels = [\"county\"]\n",
    );
    let r = run(&dir);
    let rule = |id: &str| r.rules.iter().find(|s| s.rule == id).unwrap();
    assert_eq!((rule("r6").items, rule("ok").items, rule("ok").passes), (0, 1, 1));
    let said = "nothing checked: the check has values at \"county\" but none at the rule's levels (\"town\"); check the level it \
                has values at (levels = [\"county\"]), or compute it at the levels checked";
    assert_eq!(rule("r6").why, [said]);
    assert!(rule("ok").why.is_empty(), "{:?}", rule("ok").why);
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("note: rule r6 (0 items): {said}")), "{err}");
}

/// `periods = []` or `levels = []` scopes a rule to nothing: it passed every run with 0
/// items and `check` said ok. Refused by `check` and `run` alike, saying what to write;
/// a report rule's too.
#[test]
fn a_rule_scoped_to_an_empty_list_is_refused() {
    for (key, want) in [
        (
            "periods",
            "periods = [] lists no periods, so the rule would check nothing; list some (periods = [\"latest\"]), or leave periods out for every period",
        ),
        (
            "levels",
            "levels = [] lists no levels, so the rule would check nothing; list some (levels = [\"town\"]), or leave levels out for every level",
        ),
    ] {
        let d = workspace("price,单价,元/吨,rate,weighted_mean(qty),\n", &format!("[rules.pos]\ncheck = \"tot > 0\"\n{key} = []\n"));
        for cmd in [&["check", "-c", "yearbook.toml"][..], &["run", "-c", "yearbook.toml", "--out", "out"]] {
            let (code, _, err) = cli_in(d.path(), cmd);
            assert_eq!(code, 2, "{cmd:?}: {err}");
            assert!(err.contains(&format!("yearbook.toml:8:1: rules.pos: {want}")), "{cmd:?}: {err}");
        }
        assert!(!d.path().join("out").exists());
    }
    let d = workspace(
        "price,单价,元/吨,rate,weighted_mean(qty),\n",
        "[report]\ntitle = \"t\"\n[report.rules.r]\nsection = \"summary\"\nwhen = \"tot > 0\"\nsay = \"{region}\"\nlevels = []\n",
    );
    let (code, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("report.rules.r: levels = [] lists no levels"), "{err}");
}

/// A rule scoped to a period the run does not check (periods = ["2020"] in a run of 2021)
/// checked nothing, and its note blamed the rule's levels. It now names both periods and
/// what to run; run at its period, it checks it.
#[test]
fn a_rule_scoped_to_another_period_than_the_runs_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,1\nt1,2021,gdp,2\nt2,2021,gdp,3\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.reported]\ncheck = \"complete(gdp)\"\nlevels = [\"town\"]\nperiods = [\"2020\"]\n",
    );
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "note: rule reported (0 items): nothing checked: the rule's periods (2020) do not include this run's period 2021; \
             run with --period 2020 to check them, or leave the rule's periods out to check the run's"
        ),
        "{err}"
    );
    assert!(!err.contains("none at the rule's levels"), "{err}");
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--period", "2020", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let findings = std::fs::read_to_string(dir.path().join("out/findings.csv")).unwrap();
    assert!(findings.contains(",t2,乙镇,2020,"), "{findings}");
}

#[test]
fn a_failing_imbalance_never_prints_on_or_inside_its_tolerance() {
    // rule23 05: 0.0511 failing a tolerance of 0.05 printed 相差0.05亿元. Here 甲镇's 0.015
    // fails 0.01: with one decimal it printed 0 (in balance by its own message).
    let dir = workspace(
        PRICE,
        "[rules.bal]\ncheck = \"balance(tot, [a, b], 0.01)\"\nmessage = \"{region}相差{imbalance:1}，{imbalance:amount}\"\n",
    );
    let r = run(&dir);
    let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(messages, ["甲镇相差0.015亿元，0.015亿元", "乙镇相差0.1亿元，0.1亿元"]);
}

/// A failing imbalance is printed apart from the tolerance it fails, in every phrasing
/// (review28 01: 0.10002 failing 0.1 printed 相差0.1个百分点 by `{imbalance}`), and a
/// growth's with the fewest digits that do so (review28 02: 0.1416667 of 11.458333% less
/// 11.6% is 0.14, not 0.1416667).
#[test]
fn a_failing_imbalance_prints_apart_from_its_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,样县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\nt5,戊镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\nrev,财政收入,万元,flow,sum,\nr1,一,万元,flow,sum,\nr2,二,万元,flow,sum,\ngr,增速,%,rate,none,\n",
    );
    // 甲镇 55061 / 50010 - 1 = 10.09998%, reported 10.2: 0.10002 off. 乙镇 54949 / 50000 - 1
    // = 9.898%, reported 10: 0.102. 丙镇 2.675 / 2.4 - 1 = 11.458333%, reported 11.6.
    // Balances: 丙镇 10001.504 against 5000 + 5000, 戊镇 30000.00004 against 20000.
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,rev,50010\nt1,2021,rev,55061\nt1,2021,gr,10.2\nt2,2020,rev,50000\nt2,2021,rev,54949\n\
         t2,2021,gr,10\nt3,2020,rev,2.4\nt3,2021,rev,2.675\nt3,2021,gr,11.6\nt5,2021,rev,30000.00004\nt5,2021,r1,10000\nt5,2021,r2,10000\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.gc]\ncheck = \"growth_consistency(rev, gr, 0.1)\"\nlevels = [\"town\"]\nperiods = [\"2021\"]\n\
         message = \"{region}相差{imbalance}|{imbalance:1}|{imbalance:2}|{imbalance:pp}|{imbalance:points}\"\n\
         [rules.b1y]\ncheck = \"balance(rev, [r1, r2], 10000)\"\nlevels = [\"town\"]\nperiods = [\"2021\"]\n\
         message = \"{region}相差{imbalance}|{imbalance:amount}|{imbalance:1}\"\n",
    );
    let r = run(&dir);
    let mut got: Vec<String> =
        r.findings.iter().filter(|f| f.status == yearbook::finding::Status::Fail).map(|f| f.message.clone()).collect();
    got.sort();
    let want = [
        "丙镇相差0.14个百分点|0.14个百分点|0.14个百分点|0.14个百分点|提高0.14个百分点",
        "乙镇相差0.102个百分点|0.102个百分点|0.102个百分点|0.102个百分点|提高0.102个百分点",
        "戊镇相差10000.00004万元|1.000000004亿元|10000.00004万元",
        "甲镇相差0.10002个百分点|0.10002个百分点|0.10002个百分点|0.10002个百分点|提高0.10002个百分点",
    ];
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
}
