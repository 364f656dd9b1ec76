//! A report sentence says why a value is missing where what it is made of is there (F8):
//! a year-on-year growth over a loss or over nothing a year earlier is said as the change
//! in words (扭亏为盈, 由零增至50万元), as the template helper `growth()` says it, never
//! 暂无数据; a completion of a target below zero says the target is negative. 暂无数据
//! stays where a figure is truly absent. A profit's change is said in profit words
//! (扭亏为盈 / 由盈转亏) by `{x:change(prev)}` too.

const REGIONS: &str = "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\nt4,丁镇,town,c1\n\
                       t5,戊镇,town,c1\nt6,己镇,town,c1\n";
const INDICATORS: &str = "code,label,unit,kind,rollup,note\nprofit,利润总额,万元,flow,sum,\nnetx,净出口,亿元,flow,sum,\n";
const FACTS: &str = "region,year,indicator,value\nt1,2020,profit,-100\nt1,2021,profit,50\nt2,2020,profit,0\nt2,2021,profit,50\n\
                     t3,2020,profit,100\nt3,2021,profit,-40\nt4,2020,profit,0\nt4,2021,profit,-30\nt5,2020,profit,-100\n\
                     t5,2021,profit,-100\nt6,2021,profit,30\nt1,2020,netx,-2\nt1,2021,netx,1\n";
const TARGETS: &str = "region,year,indicator,value\nt1,2021,profit,-100\nt2,2021,profit,40\n";

fn said(rules: &str) -> Vec<String> {
    said_with(rules, "")
}

/// [`said`] with one more fact file, `prior.csv` (2021's rows of the year before) under
/// the namespace `ns`, where `ns` is not empty.
fn said_with(rules: &str, ns: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    w("regions.csv", REGIONS);
    w("indicators.csv", INDICATORS);
    w("facts.csv", FACTS);
    w("tg.csv", TARGETS);
    w("prior.csv", "region,year,indicator,value\nt1,2021,profit,-100\nt2,2021,profit,100\n");
    let prior = if ns.is_empty() { String::new() } else { format!("[[data.facts]]\nfile = \"prior.csv\"\nnamespace = \"{ns}\"\n") };
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[[data.facts]]\nfile = \"tg.csv\"\n\
             namespace = \"target\"\n{prior}[report]\ntitle = \"t\"\nsections = [\"main\"]\n{rules}"
        ),
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let (r, p) = yearbook::report::place(&ws, Some("c1"), Some("2021")).unwrap();
    yearbook::report::said::sentences(&ws, r, p, None).unwrap().into_iter().map(|s| s.text).collect()
}

#[test]
fn a_growth_over_a_loss_or_over_nothing_says_the_change_in_words() {
    let s = said(
        "[report.rules.p]\nsection = \"main\"\nwhen = \"profit > -1000\"\n\
         values = { g = \"pct(yoy(profit))\", prev = \"lag(profit, 1)\" }\nsay = \"{region}利润{profit:amount}，{g:growth}，{profit:change(prev)}\"\n",
    );
    assert_eq!(
        s,
        [
            // The county, made of its towns, is read with their totals (it said 暂无数据);
            // 己镇 joined it in 2021, so -40 against -100 is no 减亏60万元 (that counted
            // 己镇's 30 as a recovery): the scope changed.
            "某县利润-40万元，统计范围变化，与上年不可比，统计范围变化，与上年不可比",
            "甲镇利润50万元，扭亏为盈，扭亏为盈",
            "乙镇利润50万元，由零增至50万元，由零增至50万元",
            // A profit turned into a loss: its growth said in words too (同比下降140%).
            "丙镇利润-40万元，由盈转亏，亏损40万元，由盈转亏，亏损40万元",
            "丁镇利润-30万元，由零转为亏损30万元，由零转为亏损30万元",
            "戊镇利润-100万元，与上年持平，与上年持平",
            // No figure a year earlier: truly no growth to say.
            "己镇利润30万元，暂无数据，暂无上年同期数据",
        ]
    );
    // A figure that is not a profit keeps its own words: 由负转正 with the base.
    let s = said(
        "[report.rules.n]\nsection = \"main\"\nwhen = \"netx > -1000\"\nvalues = { g = \"yoy(netx)\", prev = \"lag(netx, 1)\" }\n\
         say = \"{region}净出口{netx:amount}，{g:growth}，{netx:change(prev)}\"\n",
    );
    // (The county's 净出口 is missing: 乙镇 to 己镇 report their profits and no 净出口, so
    // 甲镇's 1亿元 alone would be short.)
    assert_eq!(s, ["甲镇净出口1亿元，由负转正（上年-2亿元），由负转正（上年-2亿元）"]);
    // A growth taken further by a formula is no longer known to be over that base: 暂无数据.
    let s = said(
        "[report.rules.p]\nsection = \"main\"\nwhen = \"profit > 0\"\nvalues = { g = \"pct(yoy(profit)) - 1\" }\nsay = \"{region}{g:growth}\"\n",
    );
    assert_eq!(s, ["甲镇暂无数据", "乙镇暂无数据", "己镇暂无数据"]);
}

#[test]
fn a_completion_of_a_negative_target_says_why_it_has_none() {
    for c in ["profit / target.profit", "pct(profit / target.profit)", "completion(profit, target.profit)"] {
        let s = said(&format!(
            "[report.rules.c]\nsection = \"main\"\nwhen = \"profit > -1000\"\nvalues = {{ c = \"{c}\" }}\nsay = \"{{region}}{{c:completion}}\"\n"
        ));
        // The county first, with its towns' totals (never a completion: its total
        // target is below zero, or unknown).
        assert!(s[0].starts_with("某县县下达") && !s[0].contains('%'), "{c}: {s:?}");
        assert_eq!(
            s[1..4],
            ["甲镇县下达目标为负（减亏目标），不计算完成率", "乙镇完成县下达任务125%", "丙镇县下达任务完成情况暂无数据"],
            "{c}"
        );
    }
}

/// A growth written by hand (`profit / lag(profit, 1) - 1`, in % or times 100) is said as
/// `yoy`'s is: 丙镇 from a profit of 100 to a loss of 40 said 同比下降140%, and the towns
/// over a loss or nothing said 暂无数据. Written as a change over the base (`(profit -
/// lag(profit, 1)) / lag(profit, 1)`, `diff(profit) / lag(profit, 1)`) it said the net
/// figure's words (由负转正, 由正转负): the profit's label was lost through the difference.
#[test]
fn a_growth_written_by_hand_over_a_loss_says_the_change_in_words() {
    for g in [
        "pct(profit / lag(profit, 1) - 1)",
        "(profit / lag(profit, 1) - 1) * 100",
        "pct((profit - lag(profit, 1)) / lag(profit, 1))",
        "(profit - lag(profit, 1)) / lag(profit, 1) * 100",
        "pct(diff(profit) / lag(profit, 1))",
    ] {
        let s = said(&format!(
            "[report.rules.p]\nsection = \"main\"\nwhen = \"profit > -1000\"\nlevels = [\"town\"]\n\
             values = {{ g = \"{g}\" }}\nsay = \"{{region}}利润{{profit:amount}}，{{g:growth}}\"\n"
        ));
        assert_eq!(
            s,
            [
                "甲镇利润50万元，扭亏为盈",
                "乙镇利润50万元，由零增至50万元",
                "丙镇利润-40万元，由盈转亏，亏损40万元",
                "丁镇利润-30万元，由零转为亏损30万元",
                "戊镇利润-100万元，与上年持平",
                "己镇利润30万元，暂无数据",
            ],
            "{g}"
        );
    }
}

/// A growth over a column of last year's figures (`profit / 上年同期累计完成.profit - 1`)
/// is over an earlier figure, however the sheet heads that column: a loss of 100 turned
/// into a profit of 50 is 扭亏为盈, not 同比下降150% (fixes16 02: 上年同期累计完成,
/// 上年实际 and prior_ytd were not taken as earlier figures).
#[test]
fn a_growth_over_last_years_column_under_any_heading_says_the_change_in_words() {
    for ns in ["上年同期", "上年同期累计完成", "上年同期累计完成数", "上年同期实际", "上年实际", "prior_ytd"]
    {
        let s = said_with(
            &format!(
                "[report.rules.p]\nsection = \"main\"\nlevels = [\"town\"]\nwhen = \"profit > 0\"\n\
                 values = {{ g = \"profit / {ns}.profit - 1\" }}\nsay = \"{{region}}利润{{profit:amount}}，{{g:growth}}\"\n"
            ),
            ns,
        );
        assert_eq!(s, ["甲镇利润50万元，扭亏为盈", "乙镇利润50万元，同比下降50%", "己镇利润30万元，暂无数据"], "{ns}");
    }
}
