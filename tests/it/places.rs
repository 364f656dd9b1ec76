//! Places, shares and scopes where a region has not delivered (the year22 hunt): a rank
//! or a top-n among towns of which one has no figure, a town's share of a total short of
//! a town, and a county's own figure against its towns' roll-up a year earlier. Each
//! value worked out by hand.

use crate::common::*;
use yearbook::series::Series;

/// A county c 样县 of 甲镇 (t1), 乙镇 (t2) and 丙镇 (t3); `facts` as CSV lines
/// `region,year,indicator,value`, a report on `region` for `period` with one template
/// `economy.md` and `extra` appended to yearbook.toml.
fn county(facts: &str, region: &str, template: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,样县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", &format!("region,year,indicator,value\n{facts}"));
    std::fs::create_dir_all(dir.path().join("report")).unwrap();
    w("report/economy.md", template);
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nname = \"样县\"\nlevels = [\"county\", \"town\"]\nperiod = \"2020\"\nregion = \"{region}\"\n\
             [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [report]\ntitle = \"样县\"\ntemplates = \"report\"\nsections = [\"economy\"]\n{extra}"
        ),
    );
    dir
}

fn open(dir: &tempfile::TempDir) -> yearbook::Workspace {
    yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"))
}

/// (region code, period, value) of every cell with a value, and the notes.
fn cells(ws: &yearbook::Workspace, e: &str) -> (Vec<(String, String, f64)>, Vec<String>) {
    let r = ws.eval(e).unwrap_or_else(|err| panic!("{e}: {err}"));
    let s = r.value.into_dynamic().try_cast::<Series>().unwrap_or_else(|| panic!("{e}: not a series"));
    let (regions, periods) = (s.axes.regions.clone(), s.axes.periods);
    let rows = s.rows().max(1);
    let out = s
        .data
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nan())
        .map(|(i, v)| {
            let region = if s.by_region { regions.codes[i % rows].clone() } else { String::new() };
            let period = if s.by_period { periods.get(if s.by_region { i / rows } else { i }).to_string() } else { String::new() };
            (region, period, *v)
        })
        .collect();
    (out, r.notes)
}

fn report(dir: &tempfile::TempDir) -> String {
    let (code, _, err) = cli_in(dir.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(dir.path().join("r.md")).unwrap()
}

/// 丙镇 had 100 in 2019 and 110 in 2021 and nothing in 2020; 甲镇 20/22/24, 乙镇 10/11/12.
const LATE: &str = "t1,2019,gdp,20\nt1,2020,gdp,22\nt1,2021,gdp,24\nt2,2019,gdp,10\nt2,2020,gdp,11\nt2,2021,gdp,12\n\
                    t3,2019,gdp,100\nt3,2021,gdp,110\n";

#[test]
fn no_place_among_towns_while_a_larger_one_has_not_delivered() {
    // year22 03: 甲镇's 22 was 居全县第1位 in 2020 and 1/2 in its indicator table, while
    // 丙镇 (100 a year earlier) had not delivered. Its place is unknown: 1st, or 2nd of 3.
    let rule = "[report.rules.top]\nsection = \"economy\"\nwhen = \"rank(gdp) <= 2\"\nlevels = [\"town\"]\n\
                values = { r = \"rank(gdp)\" }\nsay = \"{region}地区生产总值{gdp:amount}，总量居全县{r:rank}\"\n";
    let dir = county(LATE, "c", "{{ sentences() }}\n\n{{ ranking(\"gdp\") }}\n", rule);
    let ws = open(&dir);
    let (places, notes) = cells(&ws, "rank(gdp)");
    let in_2020: Vec<_> = places.iter().filter(|c| c.1 == "2020").collect();
    assert!(in_2020.is_empty(), "{places:?}");
    // 2019 and 2021 are whole: 丙镇 1, 甲镇 2, 乙镇 3.
    assert_eq!(
        places.iter().filter(|c| c.1 == "2021").map(|c| (c.0.as_str(), c.2)).collect::<Vec<_>>(),
        [("t1", 2.0), ("t2", 3.0), ("t3", 1.0)]
    );
    assert!(
        notes.contains(
            &"rank: 2 place(s) left missing because a region ranked with them has no figure there (丙镇 in 2020): its place is \
              unknown, so theirs are; rank(x, \"reported\") places the figures present"
                .to_string()
        ),
        "{notes:?}"
    );
    // The places of the figures present, asked for by name; "asc" combines with it.
    let (got, _) = cells(&ws, "in_period(rank(gdp, \"reported\"), 2020)");
    assert_eq!(got.iter().map(|c| (c.0.as_str(), c.2)).collect::<Vec<_>>(), [("t1", 1.0), ("t2", 2.0)]);
    let (got, _) = cells(&ws, "in_period(rank(gdp, \"county asc reported\"), 2020)");
    assert_eq!(got.iter().map(|c| (c.0.as_str(), c.2)).collect::<Vec<_>>(), [("t1", 2.0), ("t2", 1.0)]);
    // top(gdp, 1): the largest town of 2020 is unknown too.
    let (got, notes) = cells(&ws, "in_period(top(gdp, 1), 2020)");
    assert!(got.is_empty() && notes.iter().any(|n| n.starts_with("top: 1 place(s) left missing")), "{got:?} {notes:?}");
    let (got, _) = cells(&ws, "in_period(top(gdp, 1, \"reported\"), 2020)");
    assert_eq!(got, [("t1".to_string(), "2020".to_string(), 22.0)]);
    // ... and a sum of the top one is no gap of the others (they were left out on purpose).
    let (got, notes) = cells(&ws, "sum(top(gdp, 1, \"reported\"))");
    assert_eq!(got.iter().map(|c| c.2).collect::<Vec<_>>(), [100.0, 22.0, 110.0], "{notes:?}");
    assert!(notes.iter().all(|n| !n.contains("left missing")), "{notes:?}");
    // A word that is neither a level nor a keyword says which are.
    let e = ws.eval("rank(gdp, \"bogus\")").err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        e.contains(
            "unknown level \"bogus\" (levels are county, town); the other words of `within` are \"asc\" (1 = smallest) and \"reported\""
        ),
        "{e}"
    );
    // The report says no place; its 位次 table lists the figures present with 丙镇 last.
    let md = report(&dir);
    assert!(!md.contains("居全县第"), "{md}");
    assert!(md.contains("| 第1位 | 甲镇 | 22 |\n| 第2位 | 乙镇 | 11 |\n| — | 丙镇 | 暂无数据 |"), "{md}");
    // A report on 甲镇: its indicator table has no place among its siblings (it said 1/2).
    let dir = county(LATE, "t1", "{{ indicator_table([\"gdp\"]) }}\n", "");
    assert!(report(&dir).contains("| 地区生产总值 | 22 | 亿元 | 10% | — |"), "{}", report(&dir));
}

#[test]
fn a_share_of_a_total_short_of_a_town_is_unknown() {
    // year22 04: 丙镇 (30 in 2019) has not delivered 2020; 甲镇 22 and 乙镇 11 were 占全县
    // 66.7% and 33.3% beside 全县暂无数据. With 丙镇 at its 30, 甲镇 would be 22 / 63 = 34.9%.
    let facts = "t1,2019,gdp,20\nt1,2020,gdp,22\nt2,2019,gdp,10\nt2,2020,gdp,11\nt3,2019,gdp,30\n";
    let rule = "[report.rules.share]\nsection = \"economy\"\nlevels = [\"town\"]\nwhen = \"gdp > 0\"\n\
                values = { s = \"pct(share(gdp, sum(gdp)))\" }\nsay = \"{region}地区生产总值{gdp:amount}，占全县{s:1}\"\n";
    let dir = county(facts, "c", "全县地区生产总值{{ amount(\"gdp\") }}。\n{{ sentences() }}\n", rule);
    let ws = open(&dir);
    let (total, notes) = cells(&ws, "sum(gdp)");
    assert_eq!(total, [(String::new(), "2019".to_string(), 60.0)]);
    assert!(
        notes.contains(
            &"sum across regions: 1 period(s) left missing because a region in the source by then has no figure there (丙镇 \
              in 2020): the sum would leave it out, as a roll-up would not; sum(x, \"reported\") is the sum of the figures \
              present, fill(x, 0) counts a gap as 0 where that is meant"
                .to_string()
        ),
        "{notes:?}"
    );
    let (shares, _) = cells(&ws, "in_period(share(gdp, sum(gdp)), 2020)");
    assert!(shares.is_empty(), "{shares:?}");
    // Of the figures present, by name: 22 / 33 and 11 / 33.
    let (shares, notes) = cells(&ws, "in_period(share(gdp, sum(gdp, \"reported\")), 2020)");
    assert!(close(shares[0].2, 22.0 / 33.0, 1e-12) && close(shares[1].2, 11.0 / 33.0, 1e-12), "{shares:?}");
    assert!(notes.iter().any(|n| n.contains("2020 without 丙镇 (it has a value in 2019)")), "{notes:?}");
    // The mean, median and largest of the towns alike (各镇平均 of two towns of three).
    for stat in ["mean", "median", "max", "min"] {
        let (got, _) = cells(&ws, &format!("in_period({stat}(gdp), 2020)"));
        assert!(got.is_empty(), "{stat}: {got:?}");
    }
    let md = report(&dir);
    assert!(md.contains("全县地区生产总值暂无数据") && !md.contains("66.7%") && !md.contains("33.3%"), "{md}");
}

#[test]
fn a_countys_own_figure_is_not_compared_with_its_towns_total() {
    // year22 01: the county gives its own 2020 GDP of 55 (its 公报, 县本级 in it) and none
    // for 2019, where its towns' 20 + 30 = 50 stood for it: 55 / 50 - 1 said 同比增长10%.
    // The towns grew (21 + 31.5) / 50 - 1 = 5% like for like; the county's own is unknown.
    let facts = "t1,2019,gdp,20\nt1,2020,gdp,21\nt2,2019,gdp,30\nt2,2020,gdp,31.5\nc,2020,gdp,55\n";
    let rule = "[report.rules.g]\nsection = \"economy\"\nlevels = [\"county\"]\nwhen = \"gdp > 0\"\n\
                values = { g = \"yoy(gdp)\" }\nsay = \"{region}地区生产总值{gdp:amount}，{g:growth}\"\n";
    let dir = county(facts, "c", "{{ sentences() }}\n", rule);
    let ws = open(&dir);
    let want = "1 cell(s) left missing because a region's own figure stands in one period and its children's roll-up in \
                the other (样县: its own in 2020, its children's in 2019): the two cover different scopes (a county's own \
                figure holds 县本级); yoy(rollup(x, level)) compares the children like for like";
    for e in ["yoy(level(gdp, \"county\"))", "yoy(only(gdp, \"c\"))", "growth(level(gdp, \"county\"), 1)"] {
        let (got, notes) = cells(&ws, e);
        assert!(got.is_empty(), "{e}: {got:?}");
        assert!(notes.iter().any(|n| n.ends_with(want)), "{e}: {notes:?}");
    }
    let (got, _) = cells(&ws, "yoy(rollup(gdp, \"county\"))");
    assert!(got.len() == 1 && close(got[0].2, 0.05, 1e-12), "{got:?}");
    let md = report(&dir);
    assert!(md.contains("样县地区生产总值55亿元，统计范围变化，与上年不可比") && !md.contains("10%"), "{md}");
}

#[test]
fn growths_a_town_cannot_have_and_lags_of_gaps_are_told_apart() {
    // review23 01: a town new in 2020 (丙镇) and one over a loss (乙镇 -5 to 3) have no
    // growth; that is no late return. 甲镇 (+10%) is the one town with a growth, so the
    // mean and the largest are its 10% and its place is 1.
    let facts = "t1,2019,gdp,10\nt1,2020,gdp,11\nt2,2019,gdp,-5\nt2,2020,gdp,3\nt3,2020,gdp,7\n";
    let dir = county(facts, "c", "", "");
    let ws = open(&dir);
    for e in ["mean(yoy(gdp))", "max(yoy(gdp))", "mean(gdp / lag(gdp, 1) - 1)"] {
        let (got, _) = cells(&ws, e);
        assert!(got.len() == 1 && close(got[0].2, 0.1, 1e-12), "{e}: {got:?}");
    }
    let (got, _) = cells(&ws, "rank(yoy(gdp))");
    assert_eq!(got, [("t1".to_string(), "2020".to_string(), 1.0)]);
    // review24 01: a growth missing because a town has not delivered is a gap: 丙镇 has no
    // 2021 figure, so its 增速 is unknown, and 甲镇's and 乙镇's places beside it.
    let facts = "t1,2019,gdp,10\nt1,2020,gdp,11\nt1,2021,gdp,12.1\nt2,2019,gdp,20\nt2,2020,gdp,23\nt2,2021,gdp,24\n\
                 t3,2019,gdp,5\nt3,2020,gdp,6\n";
    let dir = county(facts, "c", "", "");
    let ws = open(&dir);
    let (got, notes) = cells(&ws, "rank(yoy(gdp))");
    assert!(got.iter().all(|c| c.1 == "2020") && got.len() == 3, "{got:?}");
    assert!(notes.iter().any(|n| n.contains("(丙镇 in 2021)")), "{notes:?}");
    let (got, _) = cells(&ws, "in_period(mean(yoy(gdp)), 2021)");
    assert!(got.is_empty(), "{got:?}");
    // review23 05: a lag's cells are its source's a period later, gaps too. In LATE,
    // 2021's lag is 2020, where 丙镇 has not delivered: last year's total and places are
    // unknown, as lag(sum(gdp), 1) is.
    let dir = county(LATE, "c", "", "");
    let ws = open(&dir);
    for e in ["sum(lag(gdp, 1))", "lag(sum(gdp), 1)", "mean(lag(gdp, 1))", "rank(lag(gdp, 1))"] {
        let (got, _) = cells(&ws, e);
        assert!(got.iter().all(|c| c.1 != "2021"), "{e}: {got:?}");
        assert!(got.iter().any(|c| c.1 == "2020"), "{e}: {got:?}");
    }
    // review23 10: the total's change is missing for the gap, not because "the data comes
    // every 2 years" (it advised growth(s, 2), a two-year change a template says as 同比).
    let (got, notes) = cells(&ws, "yoy(sum(gdp))");
    assert!(got.is_empty(), "{got:?}");
    assert!(notes.iter().all(|n| !n.contains("comes every")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("sum across regions: 1 period(s) left missing")), "{notes:?}");
    // review23 09: the quantile's own spelling of the figures present.
    let (_, notes) = cells(&ws, "quantile(gdp, 0.5)");
    assert!(notes.iter().any(|n| n.contains("quantile(x, q, \"reported\") is the quantile of the figures present")), "{notes:?}");
    let (got, _) = cells(&ws, "in_period(quantile(gdp, 0.5, \"reported\"), 2020)");
    assert!(got.len() == 1 && close(got[0].2, 16.5, 1e-12), "{got:?}");
}

#[test]
fn a_hand_written_change_of_a_countys_own_figure_against_its_towns_is_missing() {
    // review23 02: `x / lag(x, 1) - 1` of the county's own 55 against its towns' 50.
    let facts = "t1,2019,gdp,20\nt1,2020,gdp,21\nt2,2019,gdp,30\nt2,2020,gdp,31.5\nc,2020,gdp,55\n";
    let dir = county(facts, "c", "", "");
    let ws = open(&dir);
    for e in [
        "level(gdp, \"county\") / lag(level(gdp, \"county\"), 1) - 1",
        "level(gdp, \"county\") - lag(level(gdp, \"county\"), 1)",
        "only(gdp, \"c\") / lag(only(gdp, \"c\"), 1) - 1",
    ] {
        let (got, notes) = cells(&ws, e);
        assert!(got.is_empty(), "{e}: {got:?}");
        assert!(
            notes.iter().any(|n| n.starts_with(
                "1 cell(s) left missing because a region's figure and its lag are of different scopes (样县 2020: its own figure \
                 against its children's roll-up in the lag)"
            )),
            "{e}: {notes:?}"
        );
    }
    // A bound written with the lag times a factor too (review24 02: 样县 failed 超过上年的
    // 1.08倍 on its own figure against its towns'), on three years: 2019 and 2020 its
    // towns' 50 and 52.5, 2021 its own 60.
    let three = format!("{facts}t1,2021,gdp,22\nt2,2021,gdp,33\nc,2021,gdp,60\n").replace("c,2020,gdp,55\n", "");
    let dir3 = county(&three, "c", "", "");
    let ws3 = open(&dir3);
    let (got, _) = cells(&ws3, "level(gdp, \"county\") <= lag(level(gdp, \"county\"), 1) * 1.08");
    assert!(got.iter().all(|c| c.1 != "2021"), "{got:?}");
    assert!(got.iter().any(|c| c.1 == "2020"), "{got:?}");
    // With a number on either side too (review25 03: `x <= lag(x, 1) + 3` failed 样县 on
    // its own 55 against its towns' 50 + 3).
    for e in
        ["level(gdp, \"county\") <= lag(level(gdp, \"county\"), 1) + 3", "level(gdp, \"county\") - 3 <= lag(level(gdp, \"county\"), 1)"]
    {
        let (got, _) = cells(&ws, e);
        assert!(got.is_empty(), "{e}: {got:?}");
    }
    let (got, _) = cells(&ws, "lag(level(gdp, \"county\"), 1) - level(gdp, \"county\")");
    assert!(got.is_empty(), "{got:?}");
    // The towns' own changes are untouched: 甲镇 +5%.
    let (got, _) = cells(&ws, "only(gdp, \"t1\") / lag(only(gdp, \"t1\"), 1) - 1");
    assert!(got.len() == 1 && close(got[0].2, 0.05, 1e-12), "{got:?}");
    // A lag of another figure is none of this one's, also with one lagged figure on a
    // two-year panel (review25 02: it fit any factor and was left missing): the county's
    // own 2020 GDP 55亿元 over its towns' 2019 revenue 5000万元 is 110.
    let two = format!("{facts}t1,2019,rev,2000\nt2,2019,rev,3000\nt1,2020,rev,2100\nt2,2020,rev,3150\n");
    let dir2 = county(&two, "c", "", "");
    std::fs::write(
        dir2.path().join("indicators.csv"),
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nrev,财政总收入,万元,flow,sum,\n",
    )
    .unwrap();
    let ws2 = open(&dir2);
    let (got, _) = cells(&ws2, "level(gdp, \"county\") * 10000 / lag(level(rev, \"county\"), 1)");
    assert!(got.len() == 1 && got[0].1 == "2020" && close(got[0].2, 110.0, 1e-12), "{got:?}");
    // A derived indicator of the same figure is it (review27 01: round(gdp, 1) over the
    // towns' 50 said 10%).
    let dir4 = county(facts, "c", "", "[indicators.gdp_r]\nexpr = \"round(gdp, 1)\"\n");
    let ws4 = open(&dir4);
    let (got, _) = cells(&ws4, "level(gdp_r, \"county\") / lag(level(gdp, \"county\"), 1) - 1");
    assert!(got.is_empty(), "{got:?}");
    // So is one in another unit, or with a number added, on this two-year panel too
    // (review28 03: 样县's own 55亿元 as 550000万元 over its towns' 50亿元 said 10%; a
    // lag's one figure fits any factor, so its values could not tell).
    let derived = "[indicators.gdpw]\nexpr = \"gdp * 10000\"\nunit = \"万元\"\nrollup = \"sum\"\n\
                   [indicators.gdp_wy]\nexpr = 'to(gdp, \"万元\")'\nunit = \"万元\"\nrollup = \"sum\"\n\
                   [indicators.gdp3]\nexpr = \"gdp + 3\"\nunit = \"亿元\"\nrollup = \"sum\"\n\
                   [indicators.gdp_m]\nexpr = \"map(gdp, |x| x * 10000)\"\nunit = \"万元\"\nrollup = \"sum\"\n\
                   [indicators.gdp_wh]\nexpr = \"where(gdp >= 0, gdp, 0)\"\nrollup = \"sum\"\n\
                   [indicators.gdp_cf]\nexpr = \"where(is_missing(gdp), lag(gdp, 1), gdp)\"\nrollup = \"sum\"\n";
    let dir5 = county(facts, "c", "", derived);
    let ws5 = open(&dir5);
    for e in [
        "level(gdpw, \"county\") / lag(level(gdp, \"county\"), 1) / 10000 - 1",
        "level(gdp_wy, \"county\") / lag(level(gdp, \"county\"), 1) / 10000 - 1",
        "level(gdp3, \"county\") / (lag(level(gdp, \"county\"), 1) + 3) - 1",
        "level(gdp * 10000, \"county\") / lag(level(gdp, \"county\"), 1) / 10000 - 1",
        "level(gdp, \"county\") / lag(level(gdpw, \"county\"), 1) * 10000 - 1",
        "level(gdpw, \"county\") <= to(lag(level(gdp, \"county\"), 1), \"万元\") * 1.08",
        // ... and through a closure or a where() (review29 02, 03).
        "level(gdp_m, \"county\") / lag(level(gdp, \"county\"), 1) / 10000 - 1",
        "level(gdp_wh, \"county\") / lag(level(gdp, \"county\"), 1) - 1",
        "level(gdp, \"county\") / lag(level(gdp_wh, \"county\"), 1) - 1",
        // ... or carried forward from a lag of it (review30 02).
        "level(gdp_cf, \"county\") / lag(level(gdp, \"county\"), 1) - 1",
    ] {
        let (got, notes) = cells(&ws5, e);
        assert!(got.is_empty(), "{e}: {got:?}");
        assert!(notes.iter().any(|n| n.contains("its own figure against its children's roll-up in the lag")), "{e}: {notes:?}");
    }
    // The towns' own growths are computed: 甲镇 21 over 20.
    let (got, _) = cells(&ws5, "only(gdpw, \"t1\") / lag(only(gdp, \"t1\"), 1) / 10000 - 1");
    assert!(got.len() == 1 && close(got[0].2, 0.05, 1e-12), "{got:?}");
    // A ratio written in the formula is the same ratio each time it is written (review29
    // 01: 样县's own 55 / 31 over its towns' 50 / 30 said 6.45%).
    let pop = format!("{facts}t1,2019,pop,10\nt1,2020,pop,10\nt2,2019,pop,20\nt2,2020,pop,20\nc,2020,pop,31\n");
    let dir6 = county(&pop, "c", "", "");
    std::fs::write(
        dir6.path().join("indicators.csv"),
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\npop,常住人口,万人,stock,sum,\n",
    )
    .unwrap();
    let ws6 = open(&dir6);
    for e in [
        "level(gdp / pop, \"county\") / lag(level(gdp / pop, \"county\"), 1) - 1",
        "level(gdp / pop, \"county\") - lag(level(gdp / pop, \"county\"), 1)",
    ] {
        let (got, notes) = cells(&ws6, e);
        assert!(got.is_empty(), "{e}: {got:?}");
        assert!(notes.iter().any(|n| n.contains("its own figure against its children's roll-up in the lag")), "{e}: {notes:?}");
    }
    // ... and so is a formula of it beside a lag of the figure (review30 02: a
    // carried-forward or target fallback `where()` of it).
    let (got, _) = cells(&ws6, "level(gdp / pop, \"county\") / lag(level(gdp, \"county\"), 1)");
    assert!(got.is_empty(), "{got:?}");
    // Last year's figure times a plan's factor is still last year's figure (review29 04:
    // 上年实绩 × (1 + 计划增速) set 样县's own 55 against its towns' 50 × 1.08).
    let dir7 = county(facts, "c", "", "[[data.facts]]\nfile = \"plan.csv\"\nnamespace = \"plan\"\n");
    std::fs::write(
        dir7.path().join("indicators.csv"),
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\ngr,计划增速,%,rate,mean,\n",
    )
    .unwrap();
    std::fs::write(
        dir7.path().join("plan.csv"),
        "region,year,indicator,value\nc,2020,gr,8\nt1,2020,gr,8\nt2,2020,gr,8\nc,2019,gr,7\nt1,2019,gr,7\nt2,2019,gr,7\n",
    )
    .unwrap();
    let ws7 = open(&dir7);
    for e in [
        "level(gdp, \"county\") <= lag(level(gdp, \"county\"), 1) * (1 + level(plan.gr, \"county\") / 100)",
        "level(gdp, \"county\") / (lag(level(gdp, \"county\"), 1) * (1 + level(plan.gr, \"county\") / 100))",
    ] {
        let (got, notes) = cells(&ws7, e);
        assert!(got.is_empty(), "{e}: {got:?}");
        assert!(notes.iter().any(|n| n.contains("its own figure against its children's roll-up in the lag")), "{e}: {notes:?}");
    }
    // ... or over a deflator.
    let (got, _) = cells(&ws7, "level(gdp, \"county\") / (lag(level(gdp, \"county\"), 1) / (1 + level(plan.gr, \"county\") / 100))");
    assert!(got.is_empty(), "{got:?}");
    // A county with its own figure in both years is compared, whatever the factor is made
    // of (review32 01: a plan growth only its towns give, their mean at the county, left
    // 55 / (48 × 1.08) missing as of different scopes).
    let dir8 = county(&format!("{facts}c,2019,gdp,48\n"), "c", "", "[[data.facts]]\nfile = \"plan.csv\"\nnamespace = \"plan\"\n");
    std::fs::copy(dir7.path().join("indicators.csv"), dir8.path().join("indicators.csv")).unwrap();
    std::fs::write(dir8.path().join("plan.csv"), "region,year,indicator,value\nt1,2020,gr,8\nt2,2020,gr,8\n").unwrap();
    let ws8 = open(&dir8);
    let (got, _) = cells(&ws8, "level(gdp, \"county\") / (lag(level(gdp, \"county\"), 1) * (1 + level(plan.gr, \"county\") / 100))");
    assert!(got.len() == 1 && got[0].1 == "2020" && close(got[0].2, 55.0 / (48.0 * 1.08), 1e-12), "{got:?}");
    // The towns' own: 甲镇 21 over 20 × 1.08.
    let (got, _) = cells(&ws7, "only(gdp, \"t1\") / (lag(only(gdp, \"t1\"), 1) * (1 + only(plan.gr, \"t1\") / 100))");
    assert!(got.len() == 1 && close(got[0].2, 21.0 / 21.6, 1e-12), "{got:?}");
    // Another figure's lag is none of its: its own 2020 population over its towns' 2019
    // GDP, 31 / 50.
    let (got, _) = cells(&ws6, "level(pop, \"county\") / lag(level(gdp, \"county\"), 1)");
    assert!(got.len() == 1 && close(got[0].2, 31.0 / 50.0, 1e-12), "{got:?}");
}

#[test]
fn a_completion_of_last_years_target_is_no_lag_of_the_actual() {
    // review28 04: each town's 2021 target is its 2020 actual (不低于上年实绩), so last
    // year's target roll-up equals the actual's two years back; it is another figure all
    // the same. 样县's own 2021 revenue 4500万元 over its towns' 2020 target 3500 is 1.2857.
    let facts = "t1,2019,rev,1000\nt2,2019,rev,2000\nt3,2019,rev,500\nt1,2020,rev,1130\nt2,2020,rev,2150\nt3,2020,rev,560\n\
                 t1,2021,rev,1190\nt2,2021,rev,2300\nt3,2021,rev,590\nc,2021,rev,4500\n";
    let dir = county(facts, "c", "", "[[data.facts]]\nfile = \"targets.csv\"\nnamespace = \"target\"\n");
    std::fs::write(
        dir.path().join("indicators.csv"),
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nrev,财政总收入,万元,flow,sum,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("targets.csv"),
        "region,year,indicator,value\nt1,2020,rev,1000\nt2,2020,rev,2000\nt3,2020,rev,500\n\
         t1,2021,rev,1130\nt2,2021,rev,2150\nt3,2021,rev,560\n",
    )
    .unwrap();
    let ws = open(&dir);
    let (got, notes) = cells(&ws, "in_period(level(rev, \"county\") / lag(level(target.rev, \"county\"), 1), 2021)");
    assert!(got.len() == 1 && close(got[0].2, 4500.0 / 3500.0, 1e-12), "{got:?} {notes:?}");
    assert!(!notes.iter().any(|n| n.contains("different scopes")), "{notes:?}");
    // Its own revenue over its own lag is still left missing (55 against the towns' sum).
    let (got, _) = cells(&ws, "in_period(level(rev, \"county\") / lag(level(rev, \"county\"), 1), 2021)");
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_report_place_among_siblings_counts_a_town_made_of_its_villages() {
    // review23 03: 甲镇 is made of 一村 and 二村 (30 in 2019); 二村 has no 2020 figure, so
    // 甲镇's 2020 total is unknown, and 乙镇's place beside it too (it said 1/2).
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,样县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nv1,一村,village,t1\nv2,二村,village,t1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nv1,2019,gdp,10\nv2,2019,gdp,20\nv1,2020,gdp,12\nt2,2019,gdp,25\nt2,2020,gdp,26\n");
    std::fs::create_dir_all(dir.path().join("report")).unwrap();
    w("report/economy.md", "{{ indicator_table([\"gdp\"]) }}\n");
    let toml = |region: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\", \"village\"]\nperiod = \"{{}}\"\nregion = \"{region}\"\n\
             [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"economy\"]\n"
        )
    };
    for (period, want) in [("2020", "| 地区生产总值 | 26 | 亿元 | 4% | — |"), ("2019", "| 地区生产总值 | 25 | 亿元 | — | 2/2 |")]
    {
        w("yearbook.toml", &toml("t2").replace("{}", period));
        let (code, _, err) = cli_in(dir.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
        assert_eq!(code, 0, "{err}");
        let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
        assert!(md.contains(want), "{period}: {md}");
    }
}
