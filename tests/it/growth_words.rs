//! `{x:growth}` (同比增长N%) of a value that is no growth (F14): the level of a rate or a
//! share, the relative change of a rate, and a rank are refused by `check` and by the
//! report, at their rule, saying what to write instead; a growth in % is still said.

use crate::common::*;

const REGIONS: &str = "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n";
const INDICATORS: &str = "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nagri,第一产业增加值,亿元,flow,sum,\n\
                          r1,城镇化率,％,rate,none,\ninc,农村居民人均可支配收入,元,rate,none,\ngr,地区生产总值增速,%,flow,none,\n";
const FACTS: &str = "region,year,indicator,value\nt1,2020,gdp,10\nt1,2021,gdp,12\nt1,2020,agri,2\nt1,2021,agri,2.1\n\
                     t1,2020,r1,50\nt1,2021,r1,52.5\nt2,2020,gdp,1.5\nt2,2021,gdp,1.8\n\
                     t1,2020,inc,20000\nt1,2021,inc,21500\nt1,2020,gr,8\nt1,2021,gr,6\n";

/// A workspace (report on 甲镇, 2021) whose only report rule says `say` with `values`.
fn workspace(values: &str, say: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    w("regions.csv", REGIONS);
    w("indicators.csv", INDICATORS);
    w("facts.csv", FACTS);
    std::fs::create_dir_all(dir.path().join("report")).expect("mkdir");
    w("report/main.md", "{{ sentences() }}\n");
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [indicators.agri_share]\nlabel = \"第一产业比重\"\nexpr = \"share(agri, gdp)\"\n\
             [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n\
             [report.rules.u]\nsection = \"main\"\nwhen = \"gdp > 0\"\nvalues = {{ {values} }}\nsay = \"{say}\"\n\
             [indicators.gdp_growth]\nlabel = \"地区生产总值增长\"\nexpr = \"yoy(gdp)\"\n"
        ),
    );
    dir
}

/// `check` refuses the sentence with `want`, and `eval --sentences` too (no sentence said).
fn refused(values: &str, say: &str, want: &str) {
    let d = workspace(values, say);
    let (rc, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_ne!(rc, 0, "{out}");
    assert!(err.contains(&format!("yearbook.toml:17:1: report.rules.u.say: {want}")), "{err}");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_ne!(rc, 0, "{out}");
    assert!(err.contains(want), "{err}");
    assert!(!out.contains("同比增长"), "{out}");
}

#[test]
fn the_level_of_a_rate_or_a_share_is_no_growth() {
    refused(
        "",
        "{region}城镇化率{r1}，{r1:growth}",
        "`{r1:growth}` phrases the level of the rate `r1` (城镇化率, kind = rate) as a growth (a level of 52.5% would read \
         同比增长52.5%); say the level as it is (`{r1}`), and its change in 百分点: a value d = \"diff(r1)\" phrased \
         `{d:points}` (提高2.5个百分点)",
    );
    refused(
        "",
        "{region}第一产业比重{agri_share}，{agri_share:growth}",
        "`{agri_share:growth}` phrases the level of the share or ratio `agri_share` (`share(agri, gdp)`) as a growth (a level \
         of 52.5% would read 同比增长52.5%); say the level as it is (`{agri_share}`), and its change in 百分点: a value d = \
         \"diff(pct(agri_share))\" phrased `{d:points}` (提高2.5个百分点)",
    );
}

#[test]
fn the_relative_change_of_a_rate_and_a_rank_are_no_growth() {
    refused(
        "d = \"diff(r1)\", g = \"yoy(r1)\"",
        "{region}城镇化率{d:points}，{g:growth}",
        "`{g:growth}` phrases the relative change of the rate `r1` (城镇化率, kind = rate) (`yoy(r1)`: 52.5% after 50% would \
         read 同比增长5%) as a growth: a rate's or share's change is said in 百分点; give a value d = \"diff(r1)\" and \
         phrase it `{d:points}` (提高2.5个百分点)",
    );
    // The same change under pct(), `* 100`, round(), or a script's name for it, and the
    // period-on-period change: all said 同比增长9.09% of a share before.
    for (g, shown) in [
        ("pct(yoy(r1))", "pct(yoy(r1))"),
        ("yoy(r1) * 100", "yoy(r1) * 100"),
        ("round(100 * growth(r1, 1), 1)", "round(100 * growth(r1, 1), 1)"),
        ("pct(cagr(r1, 1))", "pct(cagr(r1, 1))"),
        ("pop(r1)", "pop(r1)"),
        ("yoy_pct(r1)", "yoy_pct(r1)"),
    ] {
        refused(
            &format!("d = \"diff(r1)\", g = \"{g}\""),
            "{region}城镇化率{d:points}，{g:growth}",
            &format!("`{{g:growth}}` phrases the relative change of the rate `r1` (城镇化率, kind = rate) (`{shown}`: 52.5% after 50%"),
        );
    }
    refused(
        "r = \"rank(gdp)\"",
        "{region}{r:growth}",
        "`{r:growth}` phrases a rank (`rank(gdp)`) as a growth (第2位 would read 同比增长200%); phrase it `{r:rank}` (第2位)",
    );
}

/// The relative change of a growth rate (8.33% after 10.45%) is no growth either: it was
/// said 同比增长8.33%... or 同比下降20.24% and passed `check`, where its change is
/// 回落2.11个百分点. A growth itself, and a derived indicator of one, are still said as
/// growths.
#[test]
fn the_change_of_a_growth_rate_is_no_growth() {
    for (g, d) in [
        ("yoy(pct(yoy(gdp)))", "diff(pct(yoy(gdp)))"),
        ("pop(pct(yoy(gdp)))", "diff(pct(yoy(gdp)))"),
        ("pct(yoy(gdp)) / lag(pct(yoy(gdp)), 1) - 1", "diff(pct(yoy(gdp)))"),
        ("growth(yoy(gdp), 1)", "diff(pct(yoy(gdp)))"),
        ("yoy(gdp_growth)", "diff(pct(gdp_growth))"),
    ] {
        refused(
            &format!("g = \"{g}\""),
            "{region}{g:growth}",
            &format!(
                "`{{g:growth}}` phrases the relative change of {} (`{g}`: 52.5% after 50% would read 同比增长5%) as a growth: \
                 a rate's or share's change is said in 百分点; give a value d = \"{d}\" and phrase it `{{d:points}}`",
                if g.contains("gdp_growth") { "the rate or share `gdp_growth` (地区生产总值增长)" } else { "a growth rate" }
            ),
        );
    }
    let d = workspace("g = \"pct(yoy(gdp))\", h = \"gdp_growth\"", "{region}{g:growth}，{h:growth}");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇同比增长20%，同比增长20%"), "{out}");
}

/// The relative change of a rate or share is known by the series, however the formula
/// spells it: by the rate's label, through a derived indicator, a library function,
/// `fill`, `where`, `abs`, `+ 0`, a share inline, or by hand (`x / lag(x, 1) - 1`); its
/// difference (`diff(round(r1, 1))`, `r1 - lag(r1, 1)`) is in 百分点 and no growth either.
/// Each passed `check` and the report said 同比增长5% of 城镇化率 50% -> 52.5%.
#[test]
fn the_change_of_a_rate_is_no_growth_however_it_is_spelled() {
    let relative = "`{g:growth}` phrases the relative change of the rate or share `r1` (城镇化率) (`";
    let points = "`{g:growth}` phrases the change of the rate or share `r1` (城镇化率) (`";
    // Read through what keeps the scale (`fill`, `abs`, `+ 0`): the call of `yoy` itself.
    let declared = "`{g:growth}` phrases the relative change of the rate `r1` (城镇化率, kind = rate) (`";
    let share = "`{g:growth}` phrases the relative change of the rate or share `agri_share` (第一产业比重) (`";
    let cases = [
        ("yoy(城镇化率)", relative),
        ("r1_g", relative),
        ("chg(r1)", relative),
        ("fill(yoy(r1), 0)", declared),
        ("where(r1 > 0, yoy(r1), 0)", relative),
        ("abs(yoy(r1))", declared),
        ("yoy(r1) + 0", declared),
        ("r1 / lag(r1, 1) - 1", relative),
        ("(r1 - lag(r1, 1)) / lag(r1, 1) * 100", relative),
        // A growth rate in % changes in points too (8% to 6%: 回落2个百分点, not 下降25%).
        ("yoy(gr)", "`{g:growth}` phrases the relative change of the rate or share `gr` (地区生产总值增速) (`"),
        ("diff(round(r1, 1))", points),
        ("r1 - lag(r1, 1)", points),
        ("pct(yoy(round(agri_share, 3)))", share),
        (
            "yoy(share(agri, gdp))",
            "`{g:growth}` phrases the relative change of a share (`share(part, whole)`) (`yoy(share(agri, gdp))`: 52.5% after",
        ),
    ];
    for (g, want) in cases {
        let d = workspace(&format!("g = \"{g}\""), "{region}城镇化率{g:growth}");
        let toml = std::fs::read_to_string(d.path().join("yearbook.toml")).expect("read");
        let toml = format!("scripts = [\"lib.rhai\"]\n{toml}[indicators.r1_g]\nlabel = \"城镇化率变动\"\nexpr = \"yoy(r1)\"\n");
        std::fs::write(d.path().join("yearbook.toml"), toml).expect("write");
        std::fs::write(d.path().join("lib.rhai"), "fn chg(x) { yoy(x) }\n").expect("write");
        let (rc, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
        assert_ne!(rc, 0, "{g}: {out}");
        let want = if want.ends_with('`') { format!("{want}{g}`") } else { want.to_string() };
        assert!(err.contains(&format!("yearbook.toml:18:1: report.rules.u.say: {want}")), "{g}: {err}");
        let (rc, out, _) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
        assert_ne!(rc, 0, "{g}: {out}");
    }
}

/// A rate in a unit other than % (人均收入 in 元, declared `kind = rate` for its roll-up)
/// is a ratio whose change is a growth: 20000 -> 21500 元 is 同比增长7.5%.
#[test]
fn a_per_capita_rate_grows() {
    let d = workspace("g = \"yoy(inc)\"", "{region}农村居民人均可支配收入{inc:amount}，{g:growth}");
    let (rc, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(rc, 0, "{out}{err}");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇农村居民人均可支配收入2.15万元，同比增长7.5%"), "{out}");
}

#[test]
fn a_rate_in_points_a_share_in_points_and_a_growth_are_said() {
    let d = workspace(
        "d = \"diff(r1)\", s = \"diff(pct(agri_share))\", g = \"yoy(gdp)\", r = \"rank(gdp)\"",
        "{region}城镇化率{r1}，{d:points}，第一产业比重{s:points}，地区生产总值{g:growth}，{r:rank}",
    );
    let (rc, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(rc, 0, "{out}{err}");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇城镇化率52.5%，提高2.5个百分点，第一产业比重下降2.5个百分点，地区生产总值同比增长20%，第1位"), "{out}");
    // A growth rate's level is a growth.
    let d = workspace("", "{region}地区生产总值{gr:growth}");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇地区生产总值同比增长6%"), "{out}");
    // A figure's growth scaled by hand, or written out over its base, is still a growth
    // (a quotient of two amounts, as a share is, but of a figure less its base).
    for g in ["pct(yoy(gdp))", "(gdp - lag(gdp, 1)) / lag(gdp, 1) * 100", "(gdp / lag(gdp, 1) - 1) * 100", "pct(yoy(sum(gdp)))"] {
        let d = workspace(&format!("g = \"{g}\""), "{region}地区生产总值{g:growth}");
        let (rc, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
        assert_eq!(rc, 0, "{g}: {out}{err}");
        let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
        assert_eq!(rc, 0, "{g}: {err}");
        // (sum: 11.5 -> 13.8 over the two towns, 20% as well.)
        assert!(out.contains("甲镇地区生产总值同比增长20%"), "{g}: {out}");
    }
}

/// A multiple (倍: 城乡收入比) changes neither by a growth nor in 百分点: 1.5倍 to 1.8倍 is
/// said by its two values, in the sentences and in the indicator table; `check` does not
/// call 倍 "no unit"; and a change of an index in 百分点 prints without binary noise in
/// a template (-0.7, not -0.700000000000003).
#[test]
fn a_multiple_changes_by_its_two_values_and_an_index_by_clean_points() {
    let d = tempfile::tempdir().expect("tempdir");
    let w = |name: &str, text: &str| std::fs::write(d.path().join(name), text).expect("write");
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ncpi,居民消费价格指数,上年=100,rate,none,\nmult,城乡收入比,倍,rate,none,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,cpi,102.5\nt1,2021,cpi,101.8\nt1,2020,mult,1.5\nt1,2021,mult,1.8\n");
    std::fs::create_dir_all(d.path().join("report")).expect("mkdir");
    w("report/main.md", "A {{ growth(\"cpi\") }} yoy={{ yoy(\"cpi\") }}\nC {{ growth(\"mult\") }}\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\", \"indicators\"]\n",
    );
    let (rc, out, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(rc, 0, "{out}{err}");
    assert!(!err.contains("has no unit"), "{err}");
    let (rc, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(rc, 0, "{err}");
    let r = std::fs::read_to_string(d.path().join("r.md")).expect("report");
    assert!(r.contains("A 同比下降0.7个百分点 yoy=-0.7\n"), "{r}");
    assert!(r.contains("C 同比由1.5倍提高至1.8倍\n"), "{r}");
    assert!(r.contains("| 城乡收入比 | 1.8 | 倍 | 由1.5倍升至1.8倍 |"), "{r}");
    // A multiple's level, difference or relative change phrased as a growth is refused:
    // 1.8倍 read 同比增长180%.
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    for (values, say, want) in [
        ("", "{mult:growth}", "`{mult:growth}` reads a percentage, not a multiple (倍): 1.8倍 would read 同比增长180%"),
        ("g = \"diff(mult)\"", "{g:growth}", "`{g:growth}` reads a percentage, not a multiple (倍)"),
        (
            "g = \"pct(yoy(mult))\"",
            "{g:growth}",
            "`{g:growth}` phrases a change of the multiple `mult` (in 倍: `pct(yoy(mult))`) as a growth (1.5倍 to 1.8倍 would \
             read 同比增长20% or 30%); a multiple's change is said by its two values, neither a growth nor in 百分点: a value p = \
             \"lag(mult, 1)\" in 由{p}提高至{mult} (由1.5倍提高至1.8倍)",
        ),
    ] {
        let rule = format!("[report.rules.m]\nsection = \"main\"\nwhen = \"mult > 0\"\nvalues = {{ {values} }}\nsay = \"收入比{say}\"\n");
        w("yearbook.toml", &format!("{cfg}{rule}"));
        let (rc, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
        assert_ne!(rc, 0, "{say}");
        assert!(err.contains(want), "{err}");
        assert_eq!(err.matches("report.rules.m.say").count(), 1, "one problem: {err}");
    }
}

/// A folder of the regions above (甲镇 t1, 乙镇 t2), `indicators`, `files` and a config
/// whose one report rule (on towns where there is output, `cum.out` or `gdp`) gives
/// `values` and says `say`; `workspace` holds
/// the [workspace] keys beyond the levels.
fn rule_folder(workspace: &str, facts: &str, indicators: &str, files: &[(&str, &str)], values: &str, say: &str) -> tempfile::TempDir {
    let when = if facts.contains("cum") { "cum.out > 0" } else { "gdp > 0" };
    let dir = tempfile::tempdir().expect("tempdir");
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    w("regions.csv", REGIONS);
    w("indicators.csv", indicators);
    for (n, t) in files {
        w(n, t);
    }
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\",\"town\"]\n{workspace}\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             {facts}\n[report]\ntitle = \"t\"\nsections = [\"hi\"]\n\
             [report.rules.a]\nsection = \"hi\"\nlevels = [\"town\"]\nwhen = \"{when}\"\nvalues = {{ {values} }}\nsay = \"{say}\"\n"
        ),
    );
    dir
}

/// `{x:growth}` says 同比 only of a growth over a year. Month on month (`pop`: 环比), over
/// two years (`growth(x, 24)`, `lag(x, 2)`), a two-year average and a CAGR said
/// 同比增长5% and 与上年持平 of figures that are no year-on-year growth; they now say
/// 增长5%, 持平, and the template names the stretch. By hand: 甲镇 June 60.5 - 50 = 10.5
/// against May 50 - 40 = 10 is +5%; 60.5 / 50 - 1 = 21%; sqrt(60.5 / 50) - 1 = 10%.
/// 乙镇: 10 against 10, 60 / 50 - 1 = 20%, sqrt(1.2) - 1 = 9.54%.
#[test]
fn a_growth_over_another_stretch_than_a_year_says_no_tongbi() {
    let cum = "region,period,indicator,value\nt1,2023-06,out,50\nt1,2024-06,out,55\nt1,2025-04,out,40\nt1,2025-05,out,50\n\
               t1,2025-06,out,60.5\nt2,2023-06,out,50\nt2,2024-06,out,55\nt2,2025-04,out,40\nt2,2025-05,out,50\nt2,2025-06,out,60\n";
    let d = rule_folder(
        "frequency = \"month\"\nperiod = \"2025-06\"\nregion = \"c1\"",
        "[[data.facts]]\nfile = \"cum.csv\"\ncumulative = true\nnamespace = \"cum\"",
        "code,label,unit,kind,rollup,note\nout,工业产值,亿元,flow,sum,\n",
        &[("cum.csv", cum)],
        "m = \"month_of(cum.out)\", h = \"pop(month_of(cum.out))\", c = \"growth(cum.out, 24)\", a = \"two_year_avg(cum.out)\", \
         y = \"yoy(cum.out)\", g = \"growth(cum.out, 12)\"",
        "{region}当月{m:amount}，环比{h:growth}；累计比2023年同期{c:growth}，两年平均{a:growth}，{y:growth}，{g:growth}",
    );
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇当月10.5亿元，环比增长5%；累计比2023年同期增长21%，两年平均增长10%，同比增长10%，同比增长10%"), "{out}");
    assert!(out.contains("乙镇当月10亿元，环比持平；累计比2023年同期增长20%，两年平均增长9.54%，同比增长9.09%，同比增长9.09%"), "{out}");
    // A yearly panel: over two years, by hand or by name, and through a derived indicator.
    let facts = "region,year,indicator,value\nt1,2019,gdp,100\nt1,2020,gdp,102.3\nt1,2021,gdp,110.5863\nt2,2019,gdp,100\nt2,2020,gdp,80\nt2,2021,gdp,96\n";
    let d = rule_folder(
        "period = \"2021\"\nregion = \"c1\"\n[indicators.g2]\nexpr = \"growth(gdp, 2)\"\n[indicators.g1]\nexpr = \"gdp / lag(gdp, 1) - 1\"",
        "[[data.facts]]\nfile = \"f.csv\"",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n",
        &[("f.csv", facts)],
        "b = \"cagr(gdp, 2)\", c = \"growth(gdp, 2)\", e = \"gdp / lag(gdp, 2) - 1\", f = \"g2\", p = \"pop(gdp)\", q = \"g1\"",
        "{region}{b:growth}；{c:growth}；{e:growth}；{f:growth}；{p:growth}；{q:growth}",
    );
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇增长5.16%；增长10.59%；增长10.59%；增长10.59%；同比增长8.1%；同比增长8.1%"), "{out}");
}

/// A growth written out as a fraction (`gdp / lag(gdp, 1) - 1`, `(gdp - lag(gdp, 1)) /
/// lag(gdp, 1)`) printed bare said 增速-0.1 for a fall of 5% and `check` passed it, where
/// `yoy(gdp)` was refused; both are refused now, in a report's sentence and in a rule's
/// message (the message printed -0.1 in every finding). In percent it is said as written.
#[test]
fn a_growth_written_out_as_a_fraction_is_never_printed_bare() {
    refused(
        "c = \"gdp / lag(gdp, 1) - 1\"",
        "{region}增速{c:1}",
        "`{c:1}` prints `c` = `gdp / lag(gdp, 1) - 1`, a fraction (0.1 for 10%), as a bare number: write `{c:growth}`, or the \
         value in percent, `pct(gdp / lag(gdp, 1) - 1)`",
    );
    refused(
        "q = \"(gdp - lag(gdp, 1)) / lag(gdp, 1)\"",
        "{region}增速{q}",
        "`{q}` prints `q` = `(gdp - lag(gdp, 1)) / lag(gdp, 1)`, a fraction (0.1 for 10%), as a bare number: write \
         `{q:growth}`, or the value in percent, `pct((gdp - lag(gdp, 1)) / lag(gdp, 1))`",
    );
    // In percent: 甲镇 12 / 10 - 1 = 20%.
    let d = workspace("c = \"(gdp / lag(gdp, 1) - 1) * 100\"", "{region}增速{c:1}");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇增速20%"), "{out}");
    // A rule's message: refused by check, and the rule is an error in a run.
    let d = workspace("c = \"gdp\"", "{region}");
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap()
        + "[rules.g]\ncheck = \"yoy(gdp) > 0.5\"\nvalues = { g = \"yoy(gdp)\" }\nmessage = \"{region}增速{g:1}\"\n";
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let want = "rules.g.message: `{g:1}` prints `g` = `yoy(gdp)`, a fraction (0.1 for 10%), as a bare number: write `{g:growth}`, \
                or the value in percent, `pct(yoy(gdp))`";
    let (rc, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(rc, 2, "{err}");
    assert!(err.contains(want), "{err}");
    let (rc, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out"]);
    assert_eq!(rc, 3, "{err}");
    assert!(err.contains(want), "{err}");
}

/// More spellings of a growth or a fall as a fraction (`diff(gdp) / lag(gdp, 1)`, `1 - gdp /
/// lag(gdp, 1)`) printed bare, and phrasings a message's value does not allow
/// (`{gdp:growth}` of an amount, `{c:completion}` or `{c:rank}` of a growth): `check`
/// passed them and findings read -0.05 and `{?gdp:growth}`, or completion words of a
/// figure no target was set for (县下达任务完成率为负 for a fall of 5%). All refused now,
/// in a message as in a sentence.
#[test]
fn more_spellings_of_a_growth_and_phrasings_a_value_does_not_allow_are_refused() {
    refused(
        "g = \"diff(gdp) / lag(gdp, 1)\"",
        "{region}增速{g:1}",
        "`{g:1}` prints `g` = `diff(gdp) / lag(gdp, 1)`, a fraction (0.1 for 10%), as a bare number",
    );
    refused("d = \"1 - gdp / lag(gdp, 1)\"", "{region}降幅{d}", "`{d}` prints `d` = `1 - gdp / lag(gdp, 1)`, a fraction (0.1 for 10%)");
    refused(
        "c = \"gdp / lag(gdp, 1) - 1\"",
        "{region}{c:rank}",
        "`{c:rank}` reads a rank (第2位), and `c` = `gdp / lag(gdp, 1) - 1` is a growth: phrase it `{c:growth}`",
    );
    for (values, message, want) in [
        ("g = \"yoy(gdp)\"", "{region}{gdp:growth}", "rules.g.message: `{gdp:growth}` reads a percentage, not a value in 亿元"),
        (
            "c = \"gdp / lag(gdp, 1) - 1\"",
            "{region}{c:completion}",
            "rules.g.message: `{c:completion}` reads a completion of a target (actual / target), and `c` = `gdp / lag(gdp, 1) - 1` \
             is a growth: phrase it `{c:growth}` (同比增长5%)",
        ),
        ("c = \"pct(yoy(gdp))\"", "{region}{c:completion}", "rules.g.message: `{c:completion}` reads a completion of a target"),
    ] {
        let d = workspace("c0 = \"gdp\"", "{region}");
        let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap()
            + format!("[rules.g]\ncheck = \"note(gdp)\"\nvalues = {{ {values} }}\nmessage = \"{message}\"\n").as_str();
        std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
        let (rc, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
        assert_eq!(rc, 2, "{message}: {err}");
        assert!(err.contains(want), "{message}: {err}");
    }
}

/// `{x:change(prev)}` from a value two years earlier (`lag(x, 2)`) said 同比增长37.17% and
/// 同比提高7个百分点: a change over two years has no 同比, nor 与上年持平; a year's lag keeps
/// it. By hand: 甲镇 GDP 100 -> 110.5863 is +10.59% (a year: 102.3 -> 110.5863, +8.1%),
/// 净出口 -2 -> 3 由负转正, 城镇化率 48 -> 55 提高7个百分点; 乙镇 100 -> 96 is -4%,
/// 净出口 5 -> 5 and 城镇化率 50 -> 50 持平.
#[test]
fn a_change_from_two_years_earlier_says_no_tongbi() {
    let facts = "region,year,indicator,value\nt1,2019,gdp,100\nt1,2020,gdp,102.3\nt1,2021,gdp,110.5863\nt2,2019,gdp,100\nt2,2020,gdp,80\n\
                 t2,2021,gdp,96\nt1,2019,net,-2\nt1,2021,net,3\nt2,2019,net,5\nt2,2021,net,5\nt1,2019,urb,48\nt1,2021,urb,55\n\
                 t2,2019,urb,50\nt2,2021,urb,50\n";
    let d = rule_folder(
        "period = \"2021\"\nregion = \"c1\"",
        "[[data.facts]]\nfile = \"f.csv\"",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nnet,净出口,亿元,flow,sum,\nurb,城镇化率,%,rate,none,\n",
        &[("f.csv", facts)],
        "t = \"lag(gdp, 2)\", n = \"lag(net, 2)\", u = \"lag(urb, 2)\", y = \"lag(gdp, 1)\"",
        "{region}比2019年{gdp:change(t)}，净出口{net:change(n)}，城镇化率{urb:change(u)}；比上年{gdp:change(y)}",
    );
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇比2019年增长10.59%，净出口由负转正（原为-2亿元），城镇化率提高7个百分点；比上年同比增长8.1%"), "{out}");
    assert!(out.contains("乙镇比2019年下降4%，净出口持平，城镇化率持平；比上年同比增长20%"), "{out}");
}

/// A growth of exactly half the last digit shown rounds away from zero whichever way the
/// binary division falls: 200 -> 200.01 is +0.005% (read as 4.99999999998835e-5 it said
/// 与上年持平), 2000 -> 2000.1 too, and 200 -> 199.99 is -0.005%: ±0.01%.
#[test]
fn a_growth_of_half_the_last_digit_rounds_away_from_zero() {
    let facts = "region,year,indicator,value\nt1,2020,gdp,200\nt1,2021,gdp,200.01\nt2,2020,gdp,2000\nt2,2021,gdp,2000.1\n\
                 t3,2020,gdp,200\nt3,2021,gdp,199.99\n";
    let regions = "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\n";
    let d = rule_folder(
        "period = \"2021\"\nregion = \"c1\"",
        "[[data.facts]]\nfile = \"f.csv\"",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n",
        &[("f.csv", facts)],
        "g = \"yoy(gdp)\"",
        "{region}{g:growth}",
    );
    std::fs::write(d.path().join("regions.csv"), regions).unwrap();
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    for want in ["甲镇同比增长0.01%", "乙镇同比增长0.01%", "丙镇同比下降0.01%"] {
        assert!(out.contains(want), "{want}: {out}");
    }
}

/// A growth or completion as a fraction printed bare (`{g:1}` of `yoy(gdp)`, `{g}` of a
/// derived indicator that is one) said 同比增长0.2 for 20%: refused, naming the phrasing or
/// the value in percent to write. In percent it prints as it is.
#[test]
fn a_fraction_of_a_whole_printed_bare_is_refused() {
    refused(
        "g = \"yoy(gdp)\"",
        "{region}地区生产总值增长{g:1}",
        "`{g:1}` prints `g` = `yoy(gdp)`, a fraction (0.1 for 10%), as a bare number: write `{g:growth}`, or the value in \
         percent, `pct(yoy(gdp))`",
    );
    refused(
        "g = \"gdp_growth\"",
        "{region}地区生产总值增长{g}",
        "`{g}` prints `g` = `gdp_growth`, a fraction (0.1 for 10%), as a bare number: write `{g:growth}`, or the value in \
         percent, `pct(gdp_growth)`",
    );
    // Under what keeps the scale (fill, round, abs, + 0) it is the same fraction: 0.1 for 5%.
    for (g, key) in [("fill(yoy(gdp), 0)", "g:1"), ("round(yoy(gdp), 3)", "g"), ("abs(yoy(gdp))", "g:2"), ("yoy(gdp) + 0", "g:amount")] {
        refused(
            &format!("g = \"{g}\""),
            &format!("{{region}}地区生产总值增长{{{key}}}"),
            &format!(
                "`{{{key}}}` prints `g` = `{g}`, a fraction (0.1 for 10%), as a bare number: write `{{g:growth}}`, or the value in \
                 percent, `pct({g})`"
            ),
        );
    }
    let d = workspace("g = \"pct(yoy(gdp))\"", "{region}地区生产总值增长{g:1}。");
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇地区生产总值增长20%。"), "{out}");
}

/// `{x:change(prev)}` from another figure than `x` earlier (a target, another town's rate,
/// a target in another unit) said 同比增长5%, 由盈转亏 and 与上年持平, and set 利润 50万元
/// against a 2亿元 target as 同比增长2400%. It now says how far above or below the other
/// figure, in `x`'s unit: 2.1 / 2 - 1 = 高5%; 50万元 / 20000万元 - 1 = 低99.75%; 乙镇 39%
/// against 甲镇 52.5% 低13.5个百分点; over a target of zero or below the difference. A
/// figure of another dimension is refused by `check`; `lag(x, 1)` is 同比 as before.
#[test]
fn a_change_from_another_figure_says_above_or_below_it() {
    let facts = "region,year,indicator,value\nt1,2020,gdp,2\nt1,2021,gdp,2.1\nt2,2020,gdp,1\nt2,2021,gdp,0.9\n\
                 t1,2021,tgdp,2\nt2,2021,tgdp,1\nt1,2021,profit,50\nt2,2021,profit,-150\nt1,2021,tprofit,-100\nt2,2021,tprofit,-100\n\
                 t1,2021,urb,52.5\nt2,2021,urb,39\nt1,2021,pop,3\nt2,2021,pop,2\n";
    let indicators = "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\ntgdp,生产总值目标,亿元,flow,sum,\n\
                      profit,利润总额,万元,flow,sum,\ntprofit,利润目标,万元,flow,sum,\nurb,城镇化率,%,rate,none,\npop,户籍人口,万人,stock,sum,\n";
    let d = rule_folder(
        "period = \"2021\"\nregion = \"c1\"",
        "[[data.facts]]\nfile = \"f.csv\"",
        indicators,
        &[("f.csv", facts)],
        "t = \"tgdp\", u = 'at(urb, \"t1\", 2021)', y = \"lag(gdp, 1)\"",
        "{region}比目标{gdp:change(t)}，利润比生产总值目标{profit:change(t)}，比利润目标{profit:change(tprofit)}，\
         城镇化率比甲镇{urb:change(u)}；比上年{gdp:change(y)}",
    );
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("甲镇比目标高5%，利润比生产总值目标低99.75%，比利润目标高150万元，城镇化率比甲镇持平；比上年同比增长5%"), "{out}");
    assert!(
        out.contains("乙镇比目标低10%，利润比生产总值目标低1.02亿元，比利润目标低50万元，城镇化率比甲镇低13.5个百分点；比上年同比下降10%"),
        "{out}"
    );
    // A derived indicator that is gdp a year earlier is read by its formula: 同比.
    let text = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    std::fs::write(
        d.path().join("yearbook.toml"),
        format!("{}[indicators.gp]\nexpr = \"lag(gdp, 1)\"\n", text.replace("y = \"lag(gdp, 1)\"", "y = \"gp\"")),
    )
    .unwrap();
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("比上年同比增长5%") && out.contains("比上年同比下降10%"), "{out}");
    std::fs::write(d.path().join("yearbook.toml"), &text).unwrap();
    // A rule's message says it as the sentence does.
    std::fs::write(
        d.path().join("yearbook.toml"),
        format!("{text}[rules.vs]\ncheck = \"gdp >= tgdp * 2\"\nlevels = [\"town\"]\nmessage = \"{{region}}比目标{{gdp:change(tgdp)}}\"\n"),
    )
    .unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let res = ws.run(&Default::default()).unwrap();
    let msgs: Vec<&str> = res.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, ["甲镇比目标高5%", "乙镇比目标低10%"]);
    std::fs::write(d.path().join("yearbook.toml"), text.replace("{gdp:change(t)}", "{gdp:change(pop)}")).unwrap();
    let (rc, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(rc, 2, "{err}");
    assert!(
        err.contains(
            "report.rules.a.say: `{gdp:change(pop)}` sets `gdp` in 亿元 against `pop` in 万人, which are not of one dimension: \
             compare figures of one kind (amounts of money with money, rates with rates)"
        ),
        "{err}"
    );
    // The report's sentences refuse it as check does (they said 低96% of 2.1亿元 against 52.5%).
    let (rc, out, err) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--sentences", "--format", "csv"]);
    assert_ne!(rc, 0, "{out}");
    assert!(err.contains("sets `gdp` in 亿元 against `pop` in 万人, which are not of one dimension"), "{err}");
}
