//! Chinese statistical phrasing (issue 12): rounding 四舍五入 on the decimal value,
//! changes over zero or negative bases in words, rates in 百分点, missing data never an
//! outcome: through report templates, indicator tables, findings messages and eval.

use crate::common::*;
use proptest::strategy::Strategy;

/// A town t1 in county c1 with `facts` (region,year,indicator,value), a derived `local_share`,
/// a report template `main.md` and `extra` config.
fn workspace(facts: &str, template: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nfiscal,财政总收入,亿元,flow,sum,\ngrain,粮食产量,万吨,flow,sum,\n\
         retail,社会消费品零售总额,万元,flow,sum,\nprofit_a,甲企业利润总额,万元,flow,sum,\nprofit_b,乙企业利润总额,万元,flow,sum,\n\
         profit_c,丙企业利润总额,万元,flow,sum,\nnet_exports,净出口,亿元,flow,sum,\nprimary_share,第一产业比重,%,rate,none,\n\
         green_cover,绿化覆盖率,%,rate,none,\nlocal_rev,地方财政收入,万元,flow,sum,\ntotal_rev,财政收入,万元,flow,sum,\n\
         profit_yi,规上工业利润总额,亿元,flow,sum,\nfdi,实际利用外资,亿美元,flow,sum,\nbirth,人口出生率,‰,rate,none,\n\
         cpi,居民消费价格指数（上年=100）,,rate,none,\nfirms,规上工业企业个数,个,stock,sum,\n\
         urban,城镇化率,％,rate,none,\nurban_b,户籍人口城镇化率,百分比,rate,none,\n",
    );
    w("facts.csv", &format!("region,year,indicator,value\n{facts}"));
    std::fs::create_dir_all(dir.path().join("report")).unwrap();
    w("report/main.md", template);
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[indicators.local_share]\nlabel = \"地方财政收入占比\"\n\
             unit = \"%\"\nexpr = \"pct(share(local_rev, total_rev))\"\n[report]\ntitle = \"措辞\"\ntemplates = \"report\"\n\
             sections = [\"main\", \"indicators\"]\n{extra}"
        ),
    );
    dir
}

fn report(dir: &tempfile::TempDir) -> String {
    let out = dir.path().join("r.md");
    let (code, _, err) = cli_in(dir.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out).unwrap()
}

fn table_row<'a>(md: &'a str, label: &str) -> &'a str {
    md.lines().find(|l| l.starts_with(&format!("| {label} |"))).unwrap_or_else(|| panic!("no row {label} in {md}"))
}

#[test]
fn figures_round_half_up_on_their_decimal_value() {
    let facts = "t1,2020,gdp,2.5\nt1,2021,gdp,2.675\nt1,2020,fiscal,1\nt1,2021,fiscal,1.125\nt1,2021,grain,10.5\n\
                 t1,2020,retail,200\nt1,2021,retail,200.25\n";
    let t = "地区生产总值{{ amount(\"gdp\") }}；财政总收入{{ amount(\"fiscal\") }}；粮食产量{{ fmt(value(\"grain\"), 0) }}万吨；\
             社会消费品零售总额{{ fmt(value(\"retail\"), 1) }}万元，{{ growth(\"retail\") }}。\n";
    let md = report(&workspace(facts, t, ""));
    assert!(md.contains("地区生产总值2.68亿元；财政总收入1.13亿元；粮食产量11万吨；社会消费品零售总额200.3万元，同比增长0.13%。"), "{md}");
    // The indicator table rounds the same way: 2.675 -> 2.68, growth 7% exactly.
    assert_eq!(table_row(&md, "地区生产总值"), "| 地区生产总值 | 2.68 | 亿元 | 7% | — |");
    assert_eq!(table_row(&md, "财政总收入"), "| 财政总收入 | 1.13 | 亿元 | 12.5% | — |");
}

/// [`yearbook::format::round_half_up`] by a naive reading of its rule: the figure's decimal
/// digits to 12 significant digits (up to 15 where the integer part and the decimals need
/// them), then half away from zero at `d` decimals, in whole-number arithmetic.
fn half_up_reference(x: f64, d: usize) -> String {
    let m = if x == 0.0 { 0 } else { x.abs().log10().floor() as i64 + 1 };
    let sig = (m.max(0) + d as i64).clamp(12, 15) as usize;
    let sci = format!("{:.*e}", sig - 1, x.abs());
    let (mant, exp) = sci.split_once('e').unwrap();
    let digits: i128 = mant.replace('.', "").parse().unwrap();
    // |x| = digits x 10^(exp - sig + 1); in units of the last decimal kept:
    let shift = exp.parse::<i64>().unwrap() - sig as i64 + 1 + d as i64;
    let n: i128 = match shift {
        s if s >= 0 => digits * 10i128.pow(s as u32),
        s if s < -36 => 0,
        s => {
            let p = 10i128.pow((-s) as u32);
            (digits + p / 2) / p
        }
    };
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    if d == 0 {
        return format!("{sign}{n}");
    }
    let unit = 10i128.pow(d as u32);
    format!("{sign}{}.{:0w$}", n / unit, n % unit, w = d)
}

proptest::proptest! {
    /// Printed figures round as the reference reads them: anywhere in [-10^9, 10^9], at
    /// halves written in decimal (2.675, 1.005: a hair below the half in binary), a few
    /// doubles off them, and at tiny magnitudes.
    #[test]
    fn printed_rounding_matches_its_decimal_reading(
        d in 0usize..7,
        x in proptest::prop_oneof![
            -1e9f64..1e9,
            -1000.0f64..1000.0,
            -1e-3f64..1e-3,
            (0i64..2_000_000, 0usize..7, -3i64..4).prop_map(|(k, e, off)| {
                let h = (k as f64 + 0.5) / 10f64.powi(e as i32);
                let mut b = h.to_bits() as i64 + off;
                if b < 0 { b = 0; }
                f64::from_bits(b as u64)
            }),
        ],
    ) {
        proptest::prop_assert_eq!(yearbook::format::round_half_up(x, d), half_up_reference(x, d), "{:?} at {} decimals", x, d);
    }
}

/// Scripts round as figures print: round(s, d) is half away from zero on the decimal
/// value, so 1.005 and 0.285 (a hair below the half in binary) round up, as Excel's ROUND.
#[test]
fn round_in_scripts_is_half_up_on_the_decimal_value() {
    let d = workspace("t1,2020,gdp,1.005\nt1,2021,gdp,0.285\nt1,2020,fiscal,-2.675\nt1,2021,fiscal,1234.5\n", "", "");
    let csv = |expr: &str| {
        let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", expr]);
        assert_eq!(code, 0, "{err}");
        out
    };
    assert_eq!(csv("round(gdp, 2)"), "region,name,period,value,unit\nt1,甲镇,2020,1.01,亿元\nt1,甲镇,2021,0.29,亿元\n");
    assert_eq!(csv("round(fiscal, 2)"), "region,name,period,value,unit\nt1,甲镇,2020,-2.68,亿元\nt1,甲镇,2021,1234.5,亿元\n");
    assert_eq!(csv("round(fiscal, -1)"), "region,name,period,value,unit\nt1,甲镇,2020,0,亿元\nt1,甲镇,2021,1230,亿元\n");
}

#[test]
fn changes_over_negative_bases_are_words_not_percentages() {
    let facts = "t1,2020,profit_a,-100\nt1,2021,profit_a,50\nt1,2020,profit_b,-100\nt1,2021,profit_b,-150\n\
                 t1,2020,profit_c,-100\nt1,2021,profit_c,-40\nt1,2020,net_exports,-2\nt1,2021,net_exports,3\n";
    let t = "甲：{{ amount(\"profit_a\") }}，{{ growth(\"profit_a\") }}\n乙：{{ amount(\"profit_b\") }}，{{ growth(\"profit_b\") }}\n\
             丙：{{ amount(\"profit_c\") }}，{{ growth(\"profit_c\") }}\n净出口{{ amount(\"net_exports\") }}，{{ growth(\"net_exports\") }}\n";
    let md = report(&workspace(facts, t, ""));
    assert!(md.contains("甲：50万元，扭亏为盈\n乙：-150万元，亏损扩大，增亏50万元\n丙：-40万元，减亏60万元\n"), "{md}");
    assert!(md.contains("净出口3亿元，由负转正（上年-2亿元）"), "{md}");
    assert_eq!(table_row(&md, "甲企业利润总额"), "| 甲企业利润总额 | 50 | 万元 | 扭亏为盈 | — |");
    assert_eq!(table_row(&md, "丙企业利润总额"), "| 丙企业利润总额 | -40 | 万元 | 减亏60万元 | — |");
    // eval: yoy over a negative base is missing, with a note saying why and what to use.
    let d = workspace(facts, t, "");
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "yoy(profit_b)"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\n"));
    assert!(err.contains("growth: 1 cell(s) have a negative base") && err.contains("use diff(s)"), "{err}");
}

/// A year-on-year growth from a profit to a loss keeps its value (-150%: a rule compares
/// it), but a report rule's `{g:growth}` and a run's message say 由盈转亏 as `growth()`
/// does, never 同比下降150%; a net figure turned negative is 由正转负.
#[test]
fn a_growth_from_a_profit_to_a_loss_is_said_in_words() {
    let facts = "t1,2020,profit_a,100\nt1,2021,profit_a,-50\nt1,2020,net_exports,3\nt1,2021,net_exports,-2\n\
                 t1,2020,profit_c,200\nt1,2021,profit_c,0\n";
    let extra = "[report.rules.p]\nsection = \"main\"\nwhen = \"!is_missing(profit_a)\"\n\
                 values = { g = \"yoy(profit_a)\", gp = \"pct(yoy(profit_a))\", n = \"yoy(net_exports)\", c = \"yoy(profit_c)\" }\n\
                 say = \"甲企业利润{g:growth}，{gp:growth}；净出口{n:growth}；丙企业利润{c:growth}。\"\n\
                 [rules.r]\ncheck = \"yoy(profit_a) > -0.2\"\ndescription = \"利润降幅\"\nvalues = { g = \"yoy(profit_a)\" }\n\
                 message = \"{region}甲企业利润{g:growth}\"\n";
    let d = workspace(facts, "{{ sentences() }}\n", extra);
    let md = report(&d);
    assert!(
        md.contains("甲企业利润由盈转亏，亏损50万元，由盈转亏，亏损50万元；净出口由正转负（上年3亿元）；丙企业利润同比下降100%。"),
        "{md}"
    );
    // The value is kept: the rule fails (-1.5 is not above -0.2), its message in words.
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "yoy(profit_a)"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nt1,甲镇,2021,-1.5,\n"), "{err}");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out"]);
    assert_eq!(code, 1, "{err}");
    let findings = std::fs::read_to_string(d.path().join("out/findings.csv")).unwrap();
    assert!(findings.contains(",甲镇,2021,,甲镇甲企业利润由盈转亏，亏损50万元\n"), "{findings}");
    assert!(!findings.contains("150%"), "{findings}");
}

#[test]
fn rates_change_in_percentage_points() {
    let facts = "t1,2020,primary_share,20.8\nt1,2021,primary_share,18.2\nt1,2020,green_cover,35.2\nt1,2021,green_cover,36.4\n\
                 t1,2020,local_rev,2000\nt1,2020,total_rev,5000\nt1,2021,local_rev,2400\nt1,2021,total_rev,5500\n";
    let t = "第一产业比重{{ amount(\"primary_share\") }}，{{ growth(\"primary_share\") }}；绿化覆盖率{{ amount(\"green_cover\") }}，\
             {{ growth(\"green_cover\") }}；地方财政收入占比{{ amount(\"local_share\") }}，{{ growth(\"local_share\") }}。\n";
    let md = report(&workspace(facts, t, ""));
    assert!(
        md.contains(
            "第一产业比重18.2%，同比下降2.6个百分点；绿化覆盖率36.4%，同比提高1.2个百分点；地方财政收入占比43.64%，同比提高3.64个百分点。"
        ),
        "{md}"
    );
    assert_eq!(table_row(&md, "第一产业比重"), "| 第一产业比重 | 18.2 | % | -2.6个百分点 | — |");
    assert!(!md.contains("12.5%"), "a relative change of a share: {md}");
}

/// The percent as Chinese files write it (the full-width ％ of an IME, 百分比) is the
/// percent: its change is in points (it was 同比增长5.35%, a relative growth of a rate).
#[test]
fn a_rate_in_a_full_width_percent_changes_in_points() {
    let facts = "t1,2020,urban,52.3\nt1,2021,urban,55.1\nt1,2020,urban_b,40.5\nt1,2021,urban_b,41\nt1,2021,green_cover,36.4\n";
    let t = "城镇化率{{ amount(\"urban\") }}，{{ growth(\"urban\") }}；户籍人口城镇化率{{ amount(\"urban_b\") }}，{{ growth(\"urban_b\") }}。\n";
    let d = workspace(facts, t, "");
    let md = report(&d);
    assert!(md.contains("城镇化率55.1%，同比提高2.8个百分点；户籍人口城镇化率41%，同比提高0.5个百分点。"), "{md}");
    assert!(!md.contains("5.35%"), "{md}");
    // And it adds to a % as a %: 55.1 + 36.4.
    let (code, out, err) =
        cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "in_period(urban + green_cover, \"2021\")"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(",91.5,%"), "{out}");
}

#[test]
fn missing_data_is_never_phrased_as_an_outcome() {
    let t = "地区生产总值{{ amount(\"gdp\") }}，{{ growth(\"gdp\") }}；财政总收入{{ growth(\"fiscal\") }}；{{ completion(\"gdp\") }}。\n";
    let md = report(&workspace("t1,2021,gdp,3\nt1,2020,fiscal,1\n", t, ""));
    assert!(md.contains("地区生产总值3亿元，暂无上年同期数据；财政总收入暂无数据；县下达任务完成情况暂无数据。"), "{md}");
    assert!(!md.contains("未完成") && !md.contains("不详"), "{md}");
}

#[test]
fn findings_messages_round_and_drop_float_noise() {
    // 26.06 - (23.51 + 2.55) is -3.5527e-15 in binary; 1.1 * 3 - 2.3 is 1.0000000000000004.
    let facts = "t1,2021,gdp,2.675\nt1,2021,fiscal,1.1\n";
    let rules = "[rules.g]\ncheck = \"gdp < 2\"\nmessage = \"{region}{period}年地区生产总值{gdp}\"\nvalues = { gdp = \"gdp\" }\n\
                 [rules.b]\ncheck = \"balance(fiscal * 3 - 2.3, [fiscal * 0], 0.5)\"\nmessage = \"相差{imbalance}\"\n";
    let d = workspace(facts, "{{ amount(\"gdp\") }}\n", rules);
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json,csv"]);
    assert_eq!(code, 1, "{err}");
    let json = std::fs::read_to_string(d.path().join("out/findings.json")).unwrap();
    assert!(json.contains("\"message\": \"甲镇2021年地区生产总值2.68亿元\""), "{json}");
    assert!(json.contains("\"message\": \"相差1亿元\""), "{json}");
    assert!(json.contains("\"imbalance\": 1.0,") || json.contains("\"imbalance\": 1,"), "noise kept: {json}");
}

#[test]
fn findings_messages_phrase_values_as_reports_do() {
    let facts = "t1,2020,profit_b,-100\nt1,2021,profit_b,-150\nt1,2020,primary_share,20.8\nt1,2021,primary_share,18.2\n\
                 t1,2020,gdp,2.5\nt1,2021,gdp,2.675\n";
    let rules = "[rules.loss]\ndescription = \"企业利润\"\ncheck = \"profit_b > 0\"\nperiods = [\"2021\"]\n\
                 message = \"{region}利润{p:amount}，{g:growth}，{p:change(prev)}\"\nvalues = { p = \"profit_b\", prev = \"lag(profit_b, 1)\", g = \"yoy(profit_b)\" }\n\
                 [rules.share]\ncheck = \"primary_share > 19\"\nperiods = [\"2021\"]\n\
                 message = \"第一产业比重{s:1}，{s:change(prev)}；{d:points}\"\n\
                 values = { s = \"primary_share\", prev = \"lag(primary_share, 1)\", d = \"diff(primary_share)\" }\n\
                 [rules.gdp]\ncheck = \"gdp > 3\"\nperiods = [\"2021\"]\nmessage = \"{g:growth}\"\nvalues = { g = \"yoy(gdp)\", x = \"gdp\" }\n";
    let d = workspace(facts, "{{ amount(\"gdp\") }}\n", rules);
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json = std::fs::read_to_string(d.path().join("out/findings.json")).unwrap();
    // A growth over a loss is said in words in a message as in a sentence (it said 暂无数据).
    assert!(json.contains("\"message\": \"甲镇利润-150万元，亏损扩大，增亏50万元，亏损扩大，增亏50万元\""), "{json}");
    assert!(json.contains("\"message\": \"第一产业比重18.2%，同比下降2.6个百分点；下降2.6个百分点\""), "{json}");
    assert!(json.contains("\"message\": \"同比增长7%\""), "{json}");
    // An unknown phrasing printed `{?x:zzz}` in every finding: now refused before the run.
    let d = workspace(facts, "{{ amount(\"gdp\") }}\n", &rules.replace("{g:growth}", "{g:growth}，{x:zzz}"));
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rules.gdp.message: placeholder `{x:zzz}`: unknown phrasing `zzz`"), "{err}");
}

/// eval's table and Markdown output print each value's own digits: a column of 1.005,
/// 2.675 and 0.285 shows three decimals of each, never 1.010 (1.01 padded).
#[test]
fn eval_tables_print_the_values_own_digits() {
    let d = workspace("t1,2019,gdp,1.005\nt1,2020,gdp,2.675\nt1,2021,gdp,0.285\n", "", "");
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "md", "gdp"]);
    assert_eq!(code, 0, "{err}");
    let values: Vec<&str> = out.lines().skip(2).map(|l| l.split('|').nth(4).unwrap_or_default().trim()).collect();
    assert_eq!(values, ["1.005", "2.675", "0.285"], "{out}");
}

/// A template's `round` filter and `format("%.2f")` round half up on the decimal value as
/// fmt() does; a missing or infinite figure prints as —, never None or inf.
#[test]
fn template_filters_round_half_up_and_missing_prints_a_dash() {
    let t = "K={{ value(\"retail\") | round(1) }} A={{ value(\"gdp\") | round(2) }} B={{ \"%.2f\" | format(value(\"gdp\")) }} \
             C={{ fmt(value(\"retail\"), 1) }}\n增长{{ yoy(\"gdp\") }}%；{{ value(\"fiscal\") }}；{{ \"%.1f\" | format(yoy(\"gdp\")) }}；\
             {{ value(\"gdp\") * 1e308 * 10 }}\n";
    let md = report(&workspace("t1,2021,gdp,2.675\nt1,2021,retail,1001.25\n", t, ""));
    assert!(md.contains("K=1001.3 A=2.68 B=2.68 C=1001.3\n增长—%；—；—；—\n"), "{md}");
}

/// A completion below 100% never prints as 100% beside 未完成任务.
#[test]
fn completion_shows_the_decimals_its_verdict_needs() {
    let extra = "[[data.facts]]\nfile = \"tc.csv\"\nnamespace = \"target_completion\"\nunit = \"%\"\n";
    let d = workspace("t1,2021,gdp,3\n", "{{ completion(\"gdp\") }}。\n", extra);
    std::fs::write(d.path().join("tc.csv"), "region,year,indicator,value\nt1,2021,gdp,99.95\n").unwrap();
    assert!(report(&d).contains("完成县下达任务99.95%，未完成任务。"));
}

/// A non-zero figure never prints as 0 nor loses its sign (F4): kept in 亿元 / 亿美元, a
/// small town's figure moves down to 万 (0.004亿元 is 40万元), and 万 down to the unit
/// (0.004万吨 is 40吨), in amount(), growth()'s amounts, `{x:amount}` and the indicator
/// table (which keeps the unit and shows the digits: -0.004亿元).
#[test]
fn a_small_figure_in_yi_never_prints_as_zero() {
    let facts = "t1,2020,profit_yi,0.012\nt1,2021,profit_yi,-0.004\nt1,2020,fdi,0.003\nt1,2021,fdi,0.0045\n\
                 t1,2021,gdp,0.00004\nt1,2021,grain,0.004\nt1,2020,net_exports,-0.004\nt1,2021,net_exports,-0.0041\n";
    let t = "利润{{ amount(\"profit_yi\") }}，{{ growth(\"profit_yi\") }}；外资{{ amount(\"fdi\") }}，{{ growth(\"fdi\") }}；\
             {{ amount(\"gdp\") }}；{{ amount(\"grain\") }}；净出口{{ growth(\"net_exports\") }}；{{ fmt(0.0045) }}。\n";
    let extra = "[report.rules.small]\nsection = \"main\"\nwhen = \"fdi > 0\"\nsay = \"{region}实际利用外资{fdi:amount}；利润总额{profit_yi:amount}\"\n";
    let md = report(&workspace(facts, t, extra));
    assert!(
        md.contains("利润-40万元，由盈转亏，亏损40万元；外资45万美元，同比增长50%；4000元；40吨；净出口负值扩大1万元；0.0045。"),
        "{md}"
    );
    assert!(md.contains("甲镇实际利用外资45万美元；利润总额-40万元。"), "{md}");
    assert_eq!(table_row(&md, "规上工业利润总额"), "| 规上工业利润总额 | -0.004 | 亿元 | 由盈转亏，亏损40万元 | — |");
    assert_eq!(table_row(&md, "实际利用外资"), "| 实际利用外资 | 0.0045 | 亿美元 | 50% | — |");
}

/// A change of a rate in ‰ is in 千分点 through `{d:points}` as through `{d:pp}` and
/// growth() (F5); an index (上年=100) prints as its number and is never phrased as a
/// growth of its numbers: `{cpi:growth}` is refused by check, `cpi - 100` is its growth.
#[test]
fn permille_points_and_indices_in_sentences() {
    let facts = "t1,2020,birth,8.5\nt1,2021,birth,7.25\nt1,2020,cpi,102.5\nt1,2021,cpi,101\nt1,2021,gdp,1\n";
    let extra = "[report.rules.b]\nsection = \"main\"\nwhen = \"gdp > 0\"\n\
                 values = { d = \"diff(birth)\", d2 = \"birth - lag(birth, 1)\", gi = \"cpi - 100\" }\n\
                 say = \"出生率比上年{d:points}（{d:pp}，{d2:points}）；CPI{cpi}，{gi:growth}\"\n\
                 [rules.birth_msg]\ncheck = \"note(diff(birth))\"\nmessage = \"出生率{value:points}\"\n";
    let d = workspace(facts, "{{ growth(\"birth\") }}\n", extra);
    let md = report(&d);
    assert!(md.contains("同比下降1.25个千分点\n"), "{md}");
    assert!(md.contains("出生率比上年下降1.25个千分点（-1.25个千分点，下降1.25个千分点）；CPI101，同比增长1%。"), "{md}");
    let out = d.path().join("out");
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--fail-on", "never", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let findings = std::fs::read_to_string(out.join("findings.json")).unwrap();
    assert!(findings.contains("\"message\": \"出生率下降1.25个千分点\""), "{findings}");
    // {cpi:growth} would say 同比增长101%: check refuses it at the rule's line.
    let toml = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    std::fs::write(d.path().join("yearbook.toml"), toml.replace("{gi:growth}", "{cpi:growth}")).unwrap();
    let (code, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "report.rules.b.say: `{cpi:growth}` reads a percentage, not an index (上年=100); phrase the index without \
             `:growth` (地区生产总值指数108), or its growth from a value written `x - 100` (in %: 同比增长8%)"
        ),
        "{err}"
    );
}

/// `points(yoy("birth"))` of a rate in ‰ printed the 千分点 change as 百分点 (8.5‰ to
/// 7.25‰: 下降1.25个百分点, ten times the change; review33 04): refused at its line,
/// saying what to write; `points(x, "‰")` says 千分点, and a rate in % is as before.
#[test]
fn points_of_a_permille_rates_yoy_names_its_unit() {
    let facts = "t1,2020,birth,8.5\nt1,2021,birth,7.25\nt1,2020,urban,50\nt1,2021,urban,52.5\n";
    let d = workspace(facts, "城镇化率{{ points(yoy(\"urban\")) }}\n出生率{{ points(yoy(\"birth\")) }}\n", "");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "main.md:2: report template: points(yoy(\"birth\")) would say the change of `birth`, a rate in ‰, in 百分点: yoy() \
             gives it in 千分点 (0.5 for 7.5‰ to 8‰, which is 0.05个百分点); write points(yoy(\"birth\"), \"‰\") (提高0.5个千分点) or \
             growth(\"birth\")"
        ),
        "{err}"
    );
    let d = workspace(facts, "城镇化率{{ points(yoy(\"urban\")) }}\n出生率{{ points(yoy(\"birth\"), \"‰\") }}\n", "");
    let md = report(&d);
    assert!(md.contains("城镇化率提高2.5个百分点\n出生率下降1.25个千分点\n"), "{md}");
}

/// The difference of two figures in % is in 个百分点 and of two in ‰ in 个千分点,
/// wherever it is printed: a check's imbalance (a reported growth of 12% against a
/// computed 10% 相差2个百分点, never 2%; shares against 100), `diff` of a ‰ rate printed
/// plainly (`{d}` said -1.25‰), in eval too (a tester's finds).
#[test]
fn differences_of_percents_and_permilles_are_points_everywhere() {
    let facts = "t1,2020,birth,8.5\nt1,2021,birth,7.25\nt1,2020,gdp,100\nt1,2021,gdp,110\nt1,2021,green_cover,36.4\n\
                 t1,2021,primary_share,61.1\n";
    let extra = "[report.rules.b]\nsection = \"main\"\nwhen = \"gdp > 0\"\nvalues = { d = \"diff(birth)\" }\nsay = \"出生率变化{d}\"\n\
                 [rules.gc]\ncheck = \"growth_consistency(gdp, reported, 1)\"\nperiods = [\"2021\"]\n\
                 message = \"{region}报告增速{reported}，计算增速{computed}，相差{imbalance}\"\n\
                 [rules.shares]\ncheck = \"balance(100, [green_cover, primary_share], 1)\"\nperiods = [\"2021\"]\n\
                 message = \"{region}比重合计{parts}，相差{imbalance}\"\n";
    let d = workspace(facts, "", extra);
    // The reported growth: a namespace of its own, in %.
    std::fs::write(d.path().join("rep.csv"), "region,year,indicator,value\nt1,2021,gdp,12\n").unwrap();
    let toml = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    let toml = toml.replacen(
        "[indicators.local_share]",
        "[[data.facts]]\nfile = \"rep.csv\"\nnamespace = \"reported\"\nunit = \"%\"\n[indicators.local_share]",
        1,
    );
    std::fs::write(
        d.path().join("yearbook.toml"),
        toml.replace("growth_consistency(gdp, reported, 1)", "growth_consistency(gdp, reported.gdp, 1)"),
    )
    .unwrap();
    let md = report(&d);
    assert!(md.contains("出生率变化-1.25个千分点"), "{md}");
    let out = d.path().join("out");
    let (code, _, err) =
        cli_in(d.path(), &["run", "-c", "yearbook.toml", "--fail-on", "never", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(csv.contains("甲镇报告增速12%，计算增速10%，相差2个百分点"), "{csv}");
    assert!(csv.contains("甲镇比重合计97.5%，相差2.5个百分点"), "{csv}");
    let (code, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "in_period(diff(birth), \"2021\")"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(",-1.25,个千分点"), "{out}");
}

/// A missing figure through `| int` / `| float` prints —, never 0, and is not 0 in an
/// `if` (F7); a figure is converted as minijinja converts it (7.75 | int is 7), after
/// binary noise is rounded away (0.29 * 100 is 28.999999999999996: 29, not 28).
#[test]
fn int_and_float_filters_keep_a_missing_figure_missing() {
    let t = "企业{{ value(\"firms\") | int }}个（{{ value(\"firms\") | float }}）；GDP{{ value(\"gdp\") | int }}；\
             {{ (0.29 * 100) | int }}；{{ 12345678901234.0 | int }}；{{ 123456789012.5 | int }}；{% if value(\"firms\") | int == 0 %}全镇无规上工业企业{% endif %}\
             {% if value(\"firms\") is missing %}企业数暂无{% elif value(\"firms\") | int == 0 %}无{% else %}有{% endif %}。\n";
    let md = report(&workspace("t1,2020,firms,12\nt1,2021,gdp,7.75\n", t, ""));
    assert!(md.contains("企业—个（—）；GDP7；29；12345678901234；123456789012；企业数暂无。"), "{md}");
}

/// A ratio of two figures of one dimension derived without a unit (`local_rev /
/// total_rev`) is a proportion whatever its label says: its change was printed as a
/// growth (城镇化水平 0.40 -> 0.45 同比增长12.5%); it is said by its two values, and in
/// 百分点 where `* 100` puts it in %. A
/// unit written `单位：%` or `百分率（%）` is a percent: its change is in 百分点.
#[test]
fn a_ratio_of_like_figures_without_a_unit_is_said_by_its_two_values() {
    let t = "A {{ growth(\"ratio\") }}|{{ growth(\"ratio100\") }}|{{ yoy(\"ratio\") }}\n";
    let extra = "[indicators.ratio]\nlabel = \"地方收入水平\"\nexpr = \"local_rev / total_rev\"\n\
                 [indicators.ratio100]\nlabel = \"地方收入程度\"\nexpr = \"local_rev / total_rev * 100\"\n";
    let md = report(&workspace("t1,2020,local_rev,40\nt1,2020,total_rev,100\nt1,2021,local_rev,45\nt1,2021,total_rev,100\n", t, extra));
    // `* 100` written in the formula puts it in % (as a rule's values are read): 40% to
    // 45% is 提高5个百分点.
    assert!(md.contains("A 同比由0.4提高至0.45|同比提高5个百分点|—\n"), "{md}");
    let d = workspace("t1,2020,jobless,20.8\nt1,2021,jobless,18.2\n", "B {{ growth(\"jobless\") }}\n", "");
    let inds = std::fs::read_to_string(d.path().join("indicators.csv")).unwrap() + "jobless,失业率,单位：%,rate,none,\n";
    std::fs::write(d.path().join("indicators.csv"), inds).unwrap();
    assert!(report(&d).contains("B 同比下降2.6个百分点\n"));
}

/// A county's rate rolled up from its towns, where a town entered this year: the
/// template's `yoy()` (and `indicators.x.yoy`) set 46% of two towns against 60% of one,
/// -14 points, where `growth()` and the table said 不可比. Missing, as `diff` leaves it;
/// `points()` of it says so instead of failing ("cannot convert none to f64").
#[test]
fn a_rates_yoy_at_a_county_whose_towns_changed_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,清河县,county,\nt1,东镇,town,c1\nt2,西镇,town,c1\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\nw,城镇化率,%,rate,weighted_mean(pop),\nr,就业率,%,rate,mean,\npop,人口,人,stock,sum,\n",
    );
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,w,60\nt1,2021,w,62\nt2,2021,w,30\nt1,2020,r,90\nt1,2021,r,92\nt2,2021,r,50\n\
         t1,2020,pop,1000\nt1,2021,pop,1000\nt2,2021,pop,1000\n",
    );
    std::fs::create_dir_all(dir.path().join("report")).unwrap();
    w("report/main.md", "w {{ yoy(\"w\") }}|{{ indicators.w.yoy }}|{{ points(yoy(\"w\")) }}|r {{ yoy(\"r\") }}|{{ growth(\"w\") }}\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\ntemplates = \"report\"\n\
         sections = [\"main\"]\n",
    );
    let md = report(&dir);
    assert!(md.contains("w —|—|暂无数据|r —|统计范围变化（西镇2021年起纳入），与上年不可比\n"), "{md}");
}
