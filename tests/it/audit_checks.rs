//! The checks analysts run on the figures towns send up (the rule23 hunt): a ledger's
//! total in its own unit as a bound, a total or a part; a share's ratio against 100;
//! "latest" beside next year's targets; a failing finding's figures never rounded onto
//! the rule's bound. Each value worked out by hand.

use crate::common::*;

/// A county c 样县 of 甲镇 (t1), 乙镇 (t2), 丙镇 (t3); `facts` as CSV lines
/// `region,period,indicator,value`; a project ledger `p` in 亿元; `extra` appended to
/// yearbook.toml.
fn county(facts: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,样县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\nfai,固定资产投资,万元,flow,sum,\ngdp,地区生产总值,亿元,flow,sum,\n\
         tax,税收收入,万元,flow,sum,\nrev,财政总收入,万元,flow,sum,\n",
    );
    w("facts.csv", &format!("region,period,indicator,value\n{facts}"));
    w("projects.csv", "序号,项目名称,所属镇,完成投资（亿元）\n001,甲路,t1,0.4\n002,乙厂,t2,0.35\n003,丙桥,t1,0.2\n");
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nname = \"样县\"\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\np = \"projects.csv\"\n{extra}"
        ),
    );
    dir
}

fn run(dir: &tempfile::TempDir) -> (i32, String) {
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "o"]);
    let summary = std::fs::read_to_string(dir.path().join("o/summary.md")).unwrap_or_else(|_| panic!("{err}"));
    (code, summary)
}

const FAI: &str = "c,2021,fai,9000\nt1,2021,fai,5000\nt2,2021,fai,3000\nt3,2021,fai,1000\nc,2021,gdp,0.95\n";

#[test]
fn a_ledger_total_keeps_its_unit_as_a_bound_a_total_or_a_part() {
    // rule23 02 and 07: the ledger's 0.4 + 0.35 + 0.2 = 0.95亿元 is 9500万元, above the
    // county's 9000万元 of 固定资产投资. As in_range's bound it was 0.95万元 (a pass); as
    // balance's total "台账合计0.95万元，相差-8999.05万元"; not_above and a part refused.
    let rules = "[rules.covers]\ncheck = \"in_range(level(fai, \\\"county\\\"), table(\\\"p\\\").sum(\\\"完成投资（亿元）\\\"), 1e12)\"\n\
                 message = \"{region}固定资产投资{value}，低于项目台账合计\"\n\
                 [rules.equals]\ncheck = \"balance(table(\\\"p\\\").sum(\\\"完成投资（亿元）\\\"), [level(fai, \\\"county\\\")], 100)\"\n\
                 message = \"{region}项目台账合计{total}，全县固定资产投资{parts}，相差{imbalance}\"\n\
                 [rules.within]\ncheck = \"not_above(table(\\\"p\\\").sum(\\\"完成投资（亿元）\\\"), level(fai, \\\"county\\\"))\"\n\
                 [rules.part]\ncheck = \"balance(level(fai, \\\"county\\\"), [table(\\\"p\\\").sum(\\\"完成投资（亿元）\\\")], 100)\"\n\
                 [rules.gdp_bound]\ncheck = \"in_range(level(fai, \\\"county\\\"), at(gdp, \\\"c\\\", 2021), 1e12)\"\n";
    let dir = county(FAI, rules);
    let (code, summary) = run(&dir);
    assert_eq!(code, 1, "{summary}");
    for rule in ["covers", "equals", "within", "part", "gdp_bound"] {
        assert!(summary.contains(&format!("| {rule} | error | 1 | 0 | 1 | 0 | 0 |  |")), "{rule}: {summary}");
    }
    assert!(summary.contains("样县固定资产投资9000万元，低于项目台账合计"), "{summary}");
    assert!(summary.contains("样县项目台账合计9500万元，全县固定资产投资9000万元，相差500万元"), "{summary}");
    // A bound of another dimension is refused, saying which.
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("in_range(fai, amount(3, \"万人\"), 1e12)").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("in_range's lower bound is 3万人 and the series is in 万元: they are of different dimensions"), "{e}");
}

#[test]
fn a_ratio_of_one_dimension_against_100_is_refused_as_a_share_is() {
    // rule23 03: 甲镇's 税收 21300 of 财政总收入 21000 is 101.4%; `tax / rev <= 100` and a
    // derived `tax / rev` in in_range(.., 0, 100) passed it (a fraction against 100).
    let facts = "t1,2021,tax,21300\nt1,2021,rev,21000\nt2,2021,tax,5200\nt2,2021,rev,6600\n";
    let dir = county(facts, "[indicators.tax_ratio]\nlabel = \"税收占财政总收入比重\"\nexpr = \"tax / rev\"\n");
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    for e in ["tax / rev <= 100", "in_range(tax_ratio, 0, 100)", "100 >= tax / rev"] {
        let msg = ws.eval(e).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("compares a ratio of two figures of one dimension (a share such as 税收 / 财政总收入), held as a fraction"),
            "{e}: {msg}"
        );
    }
    let msg = ws.eval("tax / rev <= 100").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("For 100% write x <= 1, or pct(x) <= 100"), "{msg}");
    // Written as the analyst means it: 甲镇 fails, 乙镇 (78.79%) passes.
    let r = ws.eval("pct(tax / rev) <= 100").unwrap().value.into_dynamic().try_cast::<yearbook::series::Series>().unwrap();
    let got: Vec<f64> = r.data.iter().copied().filter(|v| !v.is_nan()).collect();
    assert_eq!(got, [0.0, 1.0]);
    // A multiple (gdp over revenue, 9 times) is no share and is compared as written.
    assert!(ws.eval("tax / rev > 0.5").is_ok() && ws.eval("rev / tax > 9").is_ok());
}

#[test]
fn latest_is_the_latest_reported_year_not_next_years_targets() {
    // rule23 04: next year's targets (2022) loaded beside 2020-2021 GDP made "latest" 2022:
    // the rule had 0 items and exit 0. 乙镇 2021: 26.5 / 20 - 1 = +32.5% fails.
    let facts = "t1,2020,gdp,10\nt1,2021,gdp,11\nt2,2020,gdp,20\nt2,2021,gdp,26.5\nt3,2020,gdp,5\nt3,2021,gdp,5.5\n";
    let rules = "[[data.facts]]\nfile = \"targets.csv\"\nnamespace = \"target\"\n\
                 [rules.gdp_yoy]\ncheck = \"abs(yoy(gdp)) < 0.3\"\nperiods = [\"latest\"]\nvalues = { g = \"yoy(gdp)\" }\n\
                 message = \"{region}{period}年GDP{g:growth}\"\n";
    let dir = county(facts, rules);
    std::fs::write(dir.path().join("targets.csv"), "region,period,indicator,value\nt1,2022,gdp,11\nt2,2022,gdp,28\nt3,2022,gdp,6\n")
        .unwrap();
    let (code, summary) = run(&dir);
    assert_eq!(code, 1, "{summary}");
    assert!(summary.contains("| gdp_yoy | error | 3 | 2 | 1 | 0 | 0 |  |"), "{summary}");
    assert!(summary.contains("乙镇2021年GDP同比增长32.5%"), "{summary}");
    // The same under a namespace named for targets in other words (review24 07).
    for ns in ["年度目标", "tgt"] {
        let toml = std::fs::read_to_string(dir.path().join("yearbook.toml")).unwrap();
        let toml = toml
            .replace("namespace = \"target\"", &format!("namespace = \"{ns}\""))
            .replace("namespace = \"年度目标\"", &format!("namespace = \"{ns}\""));
        std::fs::write(dir.path().join("yearbook.toml"), toml).unwrap();
        let (code, summary) = run(&dir);
        assert_eq!(code, 1, "{ns}: {summary}");
        assert!(summary.contains("| gdp_yoy | error | 3 | 2 | 1 | 0 | 0 |  |"), "{ns}: {summary}");
    }
}

#[test]
fn a_failing_findings_growth_and_amount_are_never_rounded_onto_the_bound() {
    // rule23 05: 甲镇 20 -> 26.0008 is +30.004%, failing ±30%: it printed 同比增长30%; its
    // GDP 26.0008亿元 printed 26亿元 beside the sectors' 25.9497 it fails to match.
    let facts = "t1,2020,gdp,20\nt1,2021,gdp,26.0008\nt1,2021,p1,2\nt1,2021,p2,10\nt1,2021,p3,13.9497\n";
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,样县,county,\nt1,甲镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\np1,第一产业,亿元,flow,sum,\n\
         p2,第二产业,亿元,flow,sum,\np3,第三产业,亿元,flow,sum,\n",
    );
    w("facts.csv", &format!("region,period,indicator,value\n{facts}"));
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.yoy]\ncheck = \"abs(yoy(gdp)) <= 0.3\"\nlevels = [\"town\"]\nvalues = { g = \"yoy(gdp)\" }\n\
         message = \"{region}GDP{g:growth}，超出±30%\"\n\
         [rules.bal]\ncheck = \"balance(gdp, [p1, p2, p3], 0.05)\"\nlevels = [\"town\"]\n\
         message = \"{region}GDP{total:amount}，分项合计{parts:amount}\"\n",
    );
    let (code, summary) = run(&dir);
    assert_eq!(code, 1, "{summary}");
    assert!(summary.contains("甲镇GDP同比增长30.004%，超出±30%"), "{summary}");
    assert!(summary.contains("甲镇GDP26.001亿元，分项合计25.95亿元"), "{summary}");
}

#[test]
fn an_item_not_evaluable_is_said_where_the_evaluation_said_nothing() {
    // rule23 01: the county gives its own GDP (40) and its 三次产业 come from its towns
    // (35): a rule without `levels` left it not evaluable in silence, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,样县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\np1,第一产业,亿元,flow,sum,\n\
         p2,第二产业,亿元,flow,sum,\np3,第三产业,亿元,flow,sum,\n",
    );
    w(
        "facts.csv",
        "region,period,indicator,value\nc,2021,gdp,40\nt1,2021,gdp,15\nt1,2021,p1,2\nt1,2021,p2,6\nt1,2021,p3,7\n\
         t2,2021,gdp,20\nt2,2021,p1,2.2\nt2,2021,p2,7.4\nt2,2021,p3,10.4\n",
    );
    let toml = |levels: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [rules.three]\ncheck = \"balance(gdp, [p1, p2, p3], 0.05)\"\n{levels}\
             message = \"{{region}}GDP{{total}}，三次产业合计{{parts}}，相差{{imbalance}}\"\n"
        )
    };
    w("yearbook.toml", &toml(""));
    let (code, summary) = run(&dir);
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("| three | error | 3 | 2 | 0 | 0 | 1 |  |"), "{summary}");
    assert!(
        summary.contains(
            "1 item(s) not evaluable, the first 样县 2021: parts missing there (a figure not given, or a region that has not \
             delivered); the regions below 样县 have it: a rule without `levels` reads 样县's own figures only, levels = \
             [\"county\", \"town\"] reads it as their total where it has none of its own"
        ),
        "{summary}"
    );
    // As the note says: the county's 40 against its towns' 35, 相差5亿元.
    w("yearbook.toml", &toml("levels = [\"county\", \"town\"]\n"));
    let (code, summary) = run(&dir);
    assert_eq!(code, 1, "{summary}");
    assert!(summary.contains("样县GDP40亿元，三次产业合计35亿元，相差5亿元"), "{summary}");
}
