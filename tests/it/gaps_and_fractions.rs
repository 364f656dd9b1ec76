//! Statistics over regions and periods with gaps or census-year steps, growths that do
//! not add up, and fractions of percents read as the spreadsheet writes them (the stats19
//! and units19 hunts). Each value computed by hand.

use crate::common::*;
use yearbook::series::Series;

/// A county c 某县 with towns t1 甲镇 .. t4 丁镇; `facts` as CSV lines
/// `region,year,indicator,value`; `extra` appended to yearbook.toml.
fn workspace(facts: &str, extra: &str) -> (tempfile::TempDir, yearbook::Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\nt4,丁镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nrev,财政收入,万元,flow,sum,\n\
         urb,城镇化率,%,rate,none,\nbirth,出生率,‰,rate,none,\nidx,地区生产总值指数,上年=100,rate,none,\n",
    );
    w("facts.csv", &format!("region,year,indicator,value\n{facts}"));
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"facts.csv\"\n{extra}"
        ),
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    (dir, ws)
}

fn series(ws: &yearbook::Workspace, e: &str) -> (Series, Vec<String>) {
    let r = ws.eval(e).unwrap_or_else(|err| panic!("{e}: {err}"));
    let notes = r.notes.clone();
    (r.value.into_dynamic().try_cast::<Series>().unwrap_or_else(|| panic!("{e}: not a series")), notes)
}

/// (region code or "", period or "", value) of every cell with a value.
fn cells(ws: &yearbook::Workspace, e: &str) -> Vec<(String, String, f64)> {
    let (s, _) = series(ws, e);
    let mut out = Vec::new();
    for p in 0..s.cols() {
        for r in 0..s.rows() {
            let v = s.get(r, p);
            if !v.is_nan() {
                let code = if s.by_region { s.axes.regions.codes[r].clone() } else { String::new() };
                let per = if s.by_period { s.axes.periods.get(p).to_string() } else { String::new() };
                out.push((code, per, v));
            }
        }
    }
    out
}

fn error(ws: &yearbook::Workspace, e: &str) -> String {
    match ws.eval(e) {
        Ok(_) => panic!("{e}: expected an error"),
        Err(err) => err.to_string(),
    }
}

/// 甲镇 100/150/200 (2010/2015/2020); 乙镇 40 and 60, no 2015; 丙镇 enters in 2015 (30,
/// 36); 丁镇 10 and 12, then stops.
const CENSUS: &str = "t1,2010,gdp,100\nt1,2015,gdp,150\nt1,2020,gdp,200\nt2,2010,gdp,40\nt2,2020,gdp,60\n\
                      t3,2015,gdp,30\nt3,2020,gdp,36\nt4,2010,gdp,10\nt4,2015,gdp,12\n";

#[test]
fn a_sum_across_regions_in_census_years_names_the_town_left_out() {
    // stats19 01: 2015's 192 leaves out 乙镇 (40 in 2010), 2020's 296 丁镇 (12 in 2015); the
    // note compared each year with the calendar's year before, where no town has a value.
    // year22 04: such a total is missing, as a roll-up's is ("a total is never short"); the
    // figures present are asked for by name.
    let (_d, ws) = workspace(CENSUS, "");
    let totals: Vec<f64> = cells(&ws, "sum(gdp)").into_iter().map(|c| c.2).collect();
    assert_eq!(totals, vec![150.0]);
    for stat in ["sum", "mean", "median", "min", "max"] {
        let (_, notes) = series(&ws, &format!("{stat}(gdp)"));
        let want = format!(
            "{stat} across regions: 2 period(s) left missing because a region in the source by then has no figure there \
             (乙镇 in 2015): the {stat} would leave it out, as a roll-up would not; {stat}(x, \"reported\") is the {stat} of \
             the figures present, fill(x, 0) counts a gap as 0 where that is meant"
        );
        assert!(notes.contains(&want), "{stat}: {notes:?}");
    }
    let totals: Vec<f64> = cells(&ws, "sum(gdp, \"reported\")").into_iter().map(|c| c.2).collect();
    assert_eq!(totals, vec![150.0, 192.0, 296.0]);
    for (stat, what) in [("sum", "total(s)"), ("mean", "figure(s)"), ("median", "figure(s)")] {
        let (_, notes) = series(&ws, &format!("{stat}(gdp, \"reported\")"));
        let want = format!(
            "{stat}: 2 {what} across regions leave out a region that has a value the period before: 2015 without 乙镇 (it has a \
             value in 2010); 2020 without 丁镇 (it has a value in 2015)"
        );
        assert!(notes.iter().any(|n| n.starts_with(&want)), "{stat}: {notes:?}");
    }
}

#[test]
fn a_change_of_a_sum_names_the_towns_in_one_period_only() {
    // stats19 05: (150 + 12) / (100 + 10) - 1 over 甲镇 and 丁镇, the towns in both 2010 and
    // 2015; (200 + 36) / (150 + 30) - 1 over 甲镇 and 丙镇 for 2020. The note named 甲镇,
    // which has a value in every period, as "made of its children".
    // The sums of the figures present ("reported"; sum(gdp) is missing in 2015 and 2020).
    let (_d, ws) = workspace(CENSUS, "");
    assert!(cells(&ws, "growth(sum(gdp), 5)").is_empty());
    let g = cells(&ws, "growth(sum(gdp, \"reported\"), 5)");
    assert_eq!(g.len(), 2);
    assert!(close(g[0].2, 162.0 / 110.0 - 1.0, 1e-12) && close(g[1].2, 236.0 / 180.0 - 1.0, 1e-12), "{g:?}");
    let (_, notes) = series(&ws, "growth(sum(gdp, \"reported\"), 5)");
    assert!(
        notes.iter().any(|n| n.contains(
            "growth: 2 cell(s) taken on a comparable basis (同口径): over the regions with a value in both periods, because the \
             total across regions covers different regions in the two periods: 2015 against 2010 (乙镇 has a value in 2010 \
             only, 丙镇 in 2015 only); 2020 against 2015 (丁镇 has a value in 2015 only, 乙镇 in 2020 only)"
        )),
        "{notes:?}"
    );
    // Summed as SQL does: the note names a town missing in a year of the data, not 2011.
    let (_, notes) = series(&ws, "growth(rollup(gdp, \"county\", \"reported\"), 5)");
    assert!(notes.iter().all(|n| !n.contains("2011") && !n.contains("2016")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("某县 2015 (乙镇 has no value in 2015)")), "{notes:?}");
    // Months of 1-N月累计 where only 乙镇 skips February 2025: only February is taken over
    // the towns in both years, (230 + 44) / (210 + 40) - 1; January and March are plain.
    let facts = "t1,2024-01,gdp,100\nt1,2024-02,gdp,210\nt1,2024-03,gdp,320\nt2,2024-01,gdp,50\nt2,2024-02,gdp,100\n\
                 t2,2024-03,gdp,150\nt3,2024-01,gdp,20\nt3,2024-02,gdp,40\nt3,2024-03,gdp,70\n\
                 t1,2025-01,gdp,110\nt1,2025-02,gdp,230\nt1,2025-03,gdp,350\nt2,2025-01,gdp,60\n\
                 t2,2025-03,gdp,170\nt3,2025-01,gdp,22\nt3,2025-02,gdp,44\nt3,2025-03,gdp,86\n";
    let (_d, ws) = workspace(facts, "");
    // February's total is missing (乙镇 has not delivered), and so is its growth.
    let g = cells(&ws, "yoy(sum(gdp))");
    let months: Vec<&str> = g.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(months, ["2025-01", "2025-03"], "{g:?}");
    let g = cells(&ws, "yoy(sum(gdp, \"reported\"))");
    let want = [192.0 / 170.0 - 1.0, 274.0 / 250.0 - 1.0, 606.0 / 540.0 - 1.0];
    assert!(g.len() == 3 && g.iter().zip(want).all(|(c, w)| close(c.2, w, 1e-12)), "{g:?}");
    let (_, notes) = series(&ws, "yoy(sum(gdp, \"reported\"))");
    assert!(
        notes.iter().any(|n| n.starts_with("yoy: 1 cell(s) taken on a comparable basis")
            && n.ends_with("2025-02 against 2024-02 (乙镇 has a value in 2024-02 only)")),
        "{notes:?}"
    );
}

#[test]
fn a_total_across_periods_of_one_town_that_stopped_is_missing() {
    // stats19 03: 丁镇 reports 20 and 22 and nothing in 2021, where 甲镇 does: its 2019-2021
    // total is 20 + 22 + ?, missing, whether 甲镇 is in the series or only() left it out.
    let facts = "t1,2019,gdp,100\nt1,2020,gdp,110\nt1,2021,gdp,121\nt4,2019,gdp,20\nt4,2020,gdp,22\n";
    let (_d, ws) = workspace(facts, "");
    for e in ["sum(only(gdp, \"丁镇\"), \"periods\")", "mean(only(gdp, \"t4\"), \"periods\")", "max(only(gdp, \"t4\") * 2, \"periods\")"]
    {
        assert!(cells(&ws, e).is_empty(), "{e}: {:?}", cells(&ws, e));
        let (_, notes) = series(&ws, e);
        assert!(notes.iter().any(|n| n.contains("1 total(s) left missing") || n.contains("1 value(s) left missing")), "{e}: {notes:?}");
        assert!(notes.iter().any(|n| n.contains("丁镇 has none in 2021")), "{e}: {notes:?}");
    }
    // The periods a selection keeps are the total's: 丁镇's 2020 alone is 22.
    assert_eq!(cells(&ws, "sum(in_period(only(gdp, \"t4\"), 2020), \"periods\")"), vec![("t4".into(), String::new(), 22.0)]);
    assert_eq!(cells(&ws, "sum(only(gdp, \"t1\"), \"periods\")"), vec![("t1".into(), String::new(), 331.0)]);
}

#[test]
fn growths_do_not_add_up_across_regions_or_periods() {
    // stats19 04: three towns at +10% are no county at +30%: the county's growth is
    // 187 / 170 - 1 = 10%.
    let facts = "t1,2019,gdp,100\nt1,2020,gdp,110\nt2,2019,gdp,50\nt2,2020,gdp,55\nt3,2019,gdp,20\nt3,2020,gdp,22\n";
    let (_d, ws) = workspace(facts, "[indicators.county_growth]\nlabel = \"全县增速\"\nexpr = \"sum(yoy(gdp))\"\n");
    for e in ["sum(yoy(gdp))", "sum(growth(gdp, 1))", "sum(cagr(gdp, 1))", "sum(gdp / lag(gdp, 1) - 1)", "sum(yoy(gdp) * 100)"] {
        let m = error(&ws, e);
        assert!(
            m.contains(
                "sum: the series is a growth rate (a change over its base: yoy, growth, cagr, x / lag(x, k) - 1): its regions' \
                 growths do not add up to their total's; take the growth of the total instead, yoy(sum(x)) or yoy(rollup(x, \
                 level))"
            ),
            "{e}: {m}"
        );
    }
    let m = error(&ws, "sum(yoy(gdp), \"periods\")");
    assert!(m.contains("its growths of several periods do not add up to the whole span's"), "{m}");
    // A derived indicator's growth is one under its name: refused in `check` as in `eval`.
    assert!(error(&ws, "county_growth").contains("its regions' growths do not add up"));
    assert!(close(cells(&ws, "yoy(sum(gdp))")[0].2, 0.1, 1e-12));
    // An average of growths, and a growth's own change, are still taken.
    assert!(close(cells(&ws, "mean(yoy(gdp))")[0].2, 0.1, 1e-12));
    assert_eq!(cells(&ws, "count(yoy(gdp))").last().map(|c| (c.1.clone(), c.2)), Some(("2020".to_string(), 3.0)));
}

#[test]
fn two_percents_or_indexes_in_a_product_are_read_as_the_spreadsheet_writes_them() {
    // units19 02: 53% × 53% is 0.2809, written `urb * urb / 10000` as `urb ** 2 / 10000`
    // is (was 0.002809: the / 10000 read as one percent's conversion and a further / 100).
    // Indexes (上年=100) of 110 and 110 (甲镇), 110 and 90 (乙镇): two years' factor 1.21 and
    // 0.99, the two-year average growth √1.21 - 1 = 10% and √0.99 - 1 = -0.5013%.
    let facts = "t1,2020,urb,50\nt1,2021,urb,53\nt2,2021,urb,59\nt1,2020,idx,110\nt1,2021,idx,110\nt2,2020,idx,110\nt2,2021,idx,90\n";
    let (_d, ws) = workspace(
        facts,
        "[indicators.avg2]\nlabel = \"两年平均增速\"\nunit = \"%\"\nexpr = \"(sqrt(idx * lag(idx, 1) / 10000) - 1) * 100\"\n",
    );
    let at = |e: &str, r: &str| cells(&ws, e).into_iter().find(|c| c.0 == r && c.1 == "2021").map(|c| c.2).unwrap();
    for e in ["urb * urb / 10000", "urb ** 2 / 10000"] {
        assert!(close(at(e, "t1"), 0.2809, 1e-12), "{e}: {}", at(e, "t1"));
    }
    assert!(close(at("urb * lag(urb, 1) / 10000", "t1"), 0.265, 1e-12));
    // One / 100 beside the two alone is the percent as printed, 28.09% (53 × 53 / 100).
    assert!(close(at("urb * urb / 100", "t1"), 28.09, 1e-12));
    // units19 03: two indexes' product over 100 is the two years' index in % (121%), less
    // 100 the two-year growth 21% and -1% (was 1.21 - 100 = -98.79); the root of the
    // product is the average index (110%, 99.5%), less 100 the average growth 10% and
    // -0.50% (was -98.9).
    assert!(close(at("idx * lag(idx, 1) / 100 - 100", "t1"), 21.0, 1e-9) && close(at("idx * lag(idx, 1) / 100 - 100", "t2"), -1.0, 1e-9));
    assert!(close(at("sqrt(idx * lag(idx, 1)) - 100", "t1"), 10.0, 1e-9));
    assert!(close(at("sqrt(idx * lag(idx, 1)) - 100", "t2"), 0.99f64.sqrt() * 100.0 - 100.0, 1e-9));
    assert_eq!(series(&ws, "sqrt(idx * lag(idx, 1)) - 100").0.unit.symbol.as_ref(), "%");
    assert!(close(at("idx * idx / 10000", "t1"), 1.21, 1e-12) && close(at("idx * idx / 10000", "t2"), 0.81, 1e-12));
    assert!(close(at("sqrt(idx * lag(idx, 1) / 10000) - 1", "t2"), 0.99f64.sqrt() - 1.0, 1e-12));
    assert!(close(at("avg2", "t1"), 10.0, 1e-9) && close(at("avg2", "t2"), (0.99f64.sqrt() - 1.0) * 100.0, 1e-9));
    // Beside a figure in 万元 a lone / 100 is still one percent's conversion or a factor:
    // refused, as before.
    let (_d, ws) = workspace("t1,2021,rev,100\nt1,2021,urb,50\n", "");
    let m = error(&ws, "rev * urb * urb / 100");
    assert!(m.contains("the numbers written beside a product with two percents come to / 100 in all"), "{m}");
    assert!(close(cells(&ws, "rev * urb * urb / 10000")[0].2, 25.0, 1e-12));
}

#[test]
fn a_per_mille_written_as_a_percent_by_hand_is_converted_once() {
    // units19 06: 7.5‰ is 0.75%, written `birth / 10` declared in % (was 0.075%); 53% is
    // 530‰, `urb * 10` declared in ‰ (was 5300‰); 53% + 7.5‰ written by hand is 53.75%.
    // review20 5: a factor after the conversion keeps it (`birth / 10 / 2` gave 0.0375%).
    let extra = "[indicators.birth_pct]\nlabel = \"出生率\"\nunit = \"%\"\nexpr = \"birth / 10\"\n\
                 [indicators.urb_permille]\nlabel = \"城镇化率\"\nunit = \"‰\"\nexpr = \"urb * 10\"\n\
                 [indicators.half_birth_pct]\nlabel = \"出生率之半\"\nunit = \"%\"\nexpr = \"birth / 10 / 2\"\n";
    let (_d, ws) = workspace("t1,2021,urb,53\nt1,2021,birth,7.5\n", extra);
    let one = |e: &str| {
        let c = cells(&ws, e);
        assert_eq!(c.len(), 1, "{e}: {c:?}");
        c[0].2
    };
    assert!(close(one("birth_pct"), 0.75, 1e-12), "{}", one("birth_pct"));
    assert!(close(one("urb_permille"), 530.0, 1e-9), "{}", one("urb_permille"));
    assert!(close(one("urb + birth / 10"), 53.75, 1e-12), "{}", one("urb + birth / 10"));
    assert!(close(one("birth + urb * 10"), 537.5, 1e-9), "{}", one("birth + urb * 10"));
    // Half of 7.5‰ is 3.75‰ = 0.375%, the factor written before or after the conversion.
    assert!(close(one("half_birth_pct"), 0.375, 1e-12), "{}", one("half_birth_pct"));
    for e in ["urb + birth / 10 / 2", "urb + birth / 2 / 10", "urb + birth * 0.5 / 10"] {
        assert!(close(one(e), 53.375, 1e-12), "{e}: {}", one(e));
    }
    assert!(close(one("to(birth / 10 / 2, \"%\")"), 0.375, 1e-12));
    // 53% is 530‰, half of it 265‰, and 7.5‰ beside it: 272.5‰.
    assert!(close(one("urb * 10 / 2 + birth"), 272.5, 1e-9), "{}", one("urb * 10 / 2 + birth"));
    // A tenth of a rate in its own unit is a factor: 5.3%.
    assert!(close(one("urb / 10"), 5.3, 1e-12));
}

#[test]
fn a_fraction_compared_with_a_percent_sized_number_is_refused() {
    // units19 05: a completion of 1.2 (120%) against 100, a growth of 0.1 (10%) against 8,
    // a share against 30: the rule failed every town, the report rule never fired.
    let facts = "t1,2020,rev,5000\nt1,2021,rev,6000\nt1,2020,gdp,10\nt1,2021,gdp,11\n";
    let (_d, ws) = workspace(facts, "");
    let m = error(&ws, "completion(rev, lag(rev, 1)) >= 100");
    assert!(m.contains("`x >= 100` compares a ratio to an earlier figure (x / lag(x, k), completion(x, lag(x, 1)))"), "{m}");
    assert!(m.contains("For 100% write x >= 1, or pct(x) >= 100"), "{m}");
    let m = error(&ws, "yoy(gdp) >= 8");
    assert!(
        m.contains("held as a fraction (0.1 for 10%), with 8, that is 800%") && m.contains("For 8% write x >= 0.08, or pct(x) >= 8"),
        "{m}"
    );
    assert!(error(&ws, "8 <= yoy(gdp)").contains("For 8% write 0.08 <= x, or 8 <= pct(x)"));
    assert!(error(&ws, "share(rev, rev + rev) > 30").contains("compares a share"));
    // As a percent, as a fraction, written * 100 by hand, or a 翻番 (a factor of 2): taken.
    for (e, want) in [("pct(yoy(gdp)) >= 8", 1.0), ("yoy(gdp) >= 0.08", 1.0), ("yoy(gdp) * 100 >= 8", 1.0), ("gdp / lag(gdp, 1) >= 2", 0.0)]
    {
        let c = cells(&ws, e);
        assert!(c.len() == 1 && c[0].2 == want, "{e}: {c:?}");
    }
}

#[test]
fn check_judges_a_comparison_of_a_figure_it_has_not_read_as_run_does() {
    // kinds19a 04: `at(…) > 0` as a rule's check is a bool, refused by `run`; `check`
    // (which reads no facts) passed it, the comparison of a missing value erring first.
    let dir = sample_copy(&[]);
    let cfg = dir.path().join("yearbook.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[rules.zz]\nseverity = \"info\"\ncheck = \"at(gdp, \\\"dayun\\\", 2008) > 0\"\n");
    std::fs::write(&cfg, text).unwrap();
    let problems = yearbook::check_config(&cfg, None).unwrap();
    assert_eq!(problems, vec!["rules.zz: the check must give a mask (a comparison) or a built-in check, not bool".to_string()]);
}

#[test]
fn a_figure_of_a_workspace_without_facts_is_an_error_not_false() {
    // review20 7: over a facts file with no rows, `at(…) > 0` gave false (the figure was
    // taken as `check`'s unread one); the period is in no data, as one past the data's.
    let (_d, ws) = workspace("", "");
    for e in ["at(gdp, \"t1\", 2021)", "at(gdp, \"t1\", 2021) > 0", "if at(gdp, \"t1\", 2021) > 0 { 1 } else { 2 }"] {
        let m = error(&ws, e);
        assert!(m.contains(": period 2021 is not in the data (no periods: no fact was loaded)"), "{e}: {m}");
    }
}

/// 甲镇, 乙镇, 丙镇 grow 10%, 9.09%, 10% in 2021 (121, 60, 24.2 亿元 after 110, 55, 22);
/// revenue 12.1亿, 6亿, 1.2亿 in 万元 (shares of 10%, 10%, 4.96%).
const THREE: &str = "t1,2020,gdp,110\nt1,2021,gdp,121\nt2,2020,gdp,55\nt2,2021,gdp,60\nt3,2020,gdp,22\nt3,2021,gdp,24.2\n\
                     t1,2020,rev,100000\nt1,2021,rev,121000\nt2,2020,rev,50000\nt2,2021,rev,60000\nt3,2020,rev,10000\nt3,2021,rev,12000\n";

#[test]
fn a_growth_or_a_share_declared_to_roll_up_as_a_sum_is_refused() {
    // break20a 01: the county's 增速 was the sum of its towns' (29.09%, not 9.73%), its 占比
    // 300%: `rollup = "sum"` on a growth or a / b of one dimension is refused where it
    // would roll up, and `check` warns.
    let extra = "[indicators.gdp_growth]\nlabel = \"地区生产总值增速\"\nexpr = \"yoy(gdp)\"\nrollup = \"sum\"\n\
                 [indicators.own_share]\nlabel = \"本地占比\"\nexpr = \"gdp / gdp\"\nrollup = \"sum\"\n";
    let (d, ws) = workspace(THREE, extra);
    let m = error(&ws, "rollup(gdp_growth, \"county\")");
    assert!(
        m.contains(
            "`gdp_growth` has rollup = \"sum\" in [indicators.gdp_growth] but is a growth rate (a change over its base: yoy, \
             growth, cagr, x / lag(x, k) - 1): the regions' values do not add up to their total's"
        ),
        "{m}"
    );
    assert!(error(&ws, "rollup(own_share, \"county\")").contains("but is a ratio of two figures (a share, a / b)"));
    let warnings = yearbook::check_warnings(&d.path().join("yearbook.toml"), None).unwrap();
    assert!(
        warnings.iter().any(|w| w.starts_with("indicators.gdp_growth: rollup = \"sum\" on `yoy(gdp)`, which is a growth rate")),
        "{warnings:?}"
    );
    // The towns' own values are there as before.
    assert!(close(cells(&ws, "gdp_growth").into_iter().find(|c| c.0 == "t1" && c.1 == "2021").unwrap().2, 0.1, 1e-12));
}

#[test]
fn sums_of_growths_however_written_are_refused() {
    // break20a 04: (yoy(gdp) + yoy(rev)) / 2 of three towns summed to 0.345; lag(gdp, 1) / gdp
    // summed to 2.73 while gdp / lag(gdp, 1) was refused.
    let (_d, ws) = workspace(THREE, "[indicators.avg_growth]\nlabel = \"平均增速\"\nexpr = \"(yoy(gdp) + yoy(rev)) / 2\"\n");
    for e in ["sum(avg_growth)", "sum(yoy(gdp) + yoy(rev))", "sum(lag(gdp, 1) / gdp)"] {
        assert!(error(&ws, e).contains("its regions' growths do not add up to their total's"), "{e}");
    }
    assert!(error(&ws, "sum(yoy(gdp) + yoy(gdp), \"periods\")").contains("its growths of several periods do not add up"));
    // The mean of the towns' average growths is a mean, and taken.
    let m = cells(&ws, "mean(avg_growth)");
    let want = ((0.1 + 0.21) / 2.0 + (60.0 / 55.0 - 1.0 + 0.2) / 2.0 + (0.1 + 0.2) / 2.0) / 3.0;
    assert!(m.len() == 1 && close(m[0].2, want, 1e-12), "{m:?} {want}");
}

#[test]
fn a_growth_against_a_threshold_past_100_percent_and_a_share_in_two_units_are_refused() {
    // break20a 02 and 03: `yoy(gdp) >= 3` (meant 3%) failed every town at +10%;
    // share(rev, gdp) >= 8 with rev in 万元 and gdp in 亿元 failed 甲镇 and 乙镇 at 10%.
    let (_d, ws) = workspace(THREE, "");
    for (e, fix) in [("yoy(gdp) >= 3", "For 3% write x >= 0.03, or pct(x) >= 3"), ("yoy(gdp) <= -3", "For -3% write x <= -0.03")] {
        let m = error(&ws, e);
        assert!(m.contains("compares a growth (yoy, growth, cagr), held as a fraction") && m.contains(fix), "{e}: {m}");
    }
    assert!(error(&ws, "share(rev, gdp) >= 8").contains("`x >= 8` compares a share"));
    let flags = |e: &str| cells(&ws, e).into_iter().filter(|c| c.1 == "2021").map(|c| c.2).collect::<Vec<_>>();
    assert_eq!(flags("share(rev, gdp) >= 0.08"), vec![1.0, 1.0, 0.0]);
    // A multiple of two figures is no fraction: GDP is 10, 10 and 20.17 times revenue.
    assert_eq!(flags("gdp / rev > 9"), vec![1.0, 1.0, 1.0]);
    assert_eq!(flags("gdp * 10000 / rev > 9"), vec![1.0, 1.0, 1.0]);
    // A doubling is a growth of 1: taken.
    assert_eq!(flags("yoy(gdp) >= 1"), vec![0.0, 0.0, 0.0]);
}

#[test]
fn a_per_mille_beside_a_product_of_two_percents_is_converted_once() {
    // break20a 06: 53% × 53% / 100 = 28.09%, less 7.5‰ written / 10 (0.75%) is 27.34%
    // (was 28.09% - 0.075%); × 10 after the product is its ‰, 280.9‰ - 7.5‰ = 273.4‰, as
    // the spreadsheet's 53 * 53 / 100 * 10 - 7.5.
    let (_d, ws) = workspace("t1,2021,urb,53\nt1,2021,birth,7.5\n", "");
    let one = |e: &str| {
        let c = cells(&ws, e);
        assert_eq!(c.len(), 1, "{e}: {c:?}");
        c[0].2
    };
    assert!(close(one("urb * urb / 100 - birth / 10"), 27.34, 1e-9), "{}", one("urb * urb / 100 - birth / 10"));
    assert!(close(one("urb * urb / 100 * 10 - birth"), 273.4, 1e-9), "{}", one("urb * urb / 100 * 10 - birth"));
    assert!(close(one("birth / 10 + urb * urb / 100"), 28.84, 1e-9), "{}", one("birth / 10 + urb * urb / 100"));
}

#[test]
fn notes_of_a_sum_across_regions_name_every_town_left_out() {
    // break20a 07: 乙镇 and 丙镇 both skip 2019; the notes named 乙镇 alone. 甲镇 100, 110,
    // 121; 乙镇 50, -, 60.5; 丙镇 20, -, 22: 2019's change over 甲镇 alone, 110 / 100 - 1.
    let facts = "t1,2018,gdp,100\nt1,2019,gdp,110\nt1,2020,gdp,121\nt2,2018,gdp,50\nt2,2020,gdp,60.5\nt3,2018,gdp,20\nt3,2020,gdp,22\n";
    let (_d, ws) = workspace(facts, "");
    let (_, notes) = series(&ws, "sum(gdp)");
    assert!(notes.iter().any(|n| n.contains("(乙镇, 丙镇 in 2019)")), "{notes:?}");
    let (_, notes) = series(&ws, "sum(gdp, \"reported\")");
    assert!(notes.iter().any(|n| n.contains("2019 without 乙镇, 丙镇 (each has a value in 2018)")), "{notes:?}");
    let g = cells(&ws, "yoy(sum(gdp, \"reported\"))");
    assert!(close(g[0].2, 0.1, 1e-12) && close(g[1].2, 0.1, 1e-12), "{g:?}");
    let (_, notes) = series(&ws, "yoy(sum(gdp, \"reported\"))");
    assert!(
        notes.iter().any(|n| n.ends_with(
            "2019 against 2018 (乙镇, 丙镇 have a value in 2018 only); 2020 against 2019 (乙镇, 丙镇 have a value in 2020 only)"
        )),
        "{notes:?}"
    );
}

#[test]
fn a_growth_spelled_by_hand_is_one_and_a_ratio_to_last_year_is_none() {
    // review20 3 and 4: `gdp / lag(gdp, 1) - 1 >= 3` (meant 3%) passed in silence, while
    // `gdp / lag(gdp, 1) > 10` (a 万元-for-亿元 slip check) and the towns' 拉动 summed
    // (diff(gdp) / lag(sum(gdp), 1): (11 + 5 + 2.2) / 187 = 9.73%) were refused.
    let (_d, ws) = workspace(THREE, "");
    for e in ["gdp / lag(gdp, 1) - 1 >= 3", "(gdp - lag(gdp, 1)) / lag(gdp, 1) >= 3", "diff(gdp) / lag(gdp, 1) >= 3"] {
        assert!(error(&ws, e).contains("compares a growth (yoy, growth, cagr), held as a fraction"), "{e}");
    }
    let flags = |e: &str| cells(&ws, e).into_iter().filter(|c| c.1 == "2021").map(|c| c.2).collect::<Vec<_>>();
    assert_eq!(flags("gdp / lag(gdp, 1) > 10"), vec![0.0, 0.0, 0.0]);
    let lift = cells(&ws, "sum(diff(gdp) / lag(sum(gdp), 1))");
    assert!(lift.len() == 1 && close(lift[0].2, 18.2 / 187.0, 1e-12), "{lift:?}");
    assert!(error(&ws, "yoy(gdp) > 1.5").contains("with 1.5, that is 150%"));
    // A / 1000 beside two percents is neither conversion: refused as unclear.
    let (_d, ws) = workspace("t1,2021,urb,53\n", "");
    assert!(error(&ws, "urb * urb / 1000").contains("come to / 1000 in all"));
}

#[test]
fn a_town_recounting_its_villages_between_census_years_leaves_the_change_missing() {
    // review20 1: 甲镇 is 一村 + 二村 in 2010 (20) and also 三村 in 2015 (72); 乙镇 100 and
    // 110. The change of the towns' sum, 182 / 120 - 1 = 51.7%, was said 同口径; over the
    // same villages and 乙镇 it is 132 / 120 - 1 = 10%, which the county's roll-up gives.
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nv1,一村,village,t1\nv2,二村,village,t1\nv3,三村,village,t1\n",
    );
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nv1,2010,gdp,10\nv1,2015,gdp,11\nv2,2010,gdp,10\nv2,2015,gdp,11\nv3,2015,gdp,50\nt2,2010,gdp,100\nt2,2015,gdp,110\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\", \"village\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(cells(&ws, "growth(sum(level(gdp, \"town\")), 5)").is_empty());
    let (_, notes) = series(&ws, "growth(sum(level(gdp, \"town\")), 5)");
    assert!(notes.iter().any(|n| n.starts_with("growth: 1 cell(s) left missing, because 甲镇 is made of its children")), "{notes:?}");
    let g = cells(&ws, "growth(rollup(gdp, \"county\"), 5)");
    assert!(g.len() == 1 && close(g[0].2, 0.1, 1e-12), "{g:?}");
}

#[test]
fn a_closure_that_converts_a_percent_is_read_as_the_formula() {
    // units19 01: `map(urb, |x| x / 100)` kept the % beside the fraction (0.53%), so
    // `rev * map(urb, |x| x / 100)` gave 7.95 万元 for 1500 × 53% = 795.
    let (_d, ws) = workspace("t1,2021,urb,53\nt1,2021,rev,1500\nt1,2021,birth,7.5\nt1,2021,idx,110\n", "");
    let one = |e: &str| {
        let c = cells(&ws, e);
        assert_eq!(c.len(), 1, "{e}: {c:?}");
        c[0].2
    };
    assert!(close(one("rev * map(urb, |x| x / 100)"), 795.0, 1e-9), "{}", one("rev * map(urb, |x| x / 100)"));
    for (e, want, unit) in [
        ("map(urb, |x| x / 100)", 0.53, "a pure number"),
        ("map(urb, |x| x * 0.01)", 0.53, "a pure number"),
        ("map(urb, |x| x / 100 / 12)", 0.53 / 12.0, "a pure number"),
        ("map(idx, |x| x / 100)", 1.1, "a pure number"),
        // A factor of its own keeps the percent: twice 53% is 106%.
        ("map(urb, |x| x * 2)", 106.0, "%"),
        // 7.5‰ written as 0.75% by hand.
        ("map(birth, |x| x / 10) + urb", 53.75, "%"),
    ] {
        let (s, _) = series(&ws, e);
        assert!(close(one(e), want, 1e-12), "{e}: {}", one(e));
        assert_eq!(s.unit.show(), unit, "{e}");
    }
    // The conversion beside other work: a fraction or a percent? Refused.
    for e in ["map(urb, |x| round(x / 100, 2))", "let k = 0.01; map(urb, |x| if x > 50 { x * k } else { 0.0 })"] {
        let m = error(&ws, e);
        assert!(
            m.contains(
                "map: the closure over a series in % multiplies or divides by 100, the conversion between % and a plain number, \
                 beside other work"
            ),
            "{e}: {m}"
        );
    }
    assert!(error(&ws, "map(urb, |x| round(x / 100, 2))").contains("map(x / 100, |v| …) for the fraction (0.53 for 53%)"));
    // An index's example is an index's (review21 10: it read "0.53 for 53上年=100").
    let m = error(&ws, "map(idx, |x| x / 100 - 1)");
    assert!(m.contains("for the fraction (1.08 for an index of 108 (上年=100); its growth is map(x / 100, |v| v - 1))"), "{m}");
    // A cap at 100% converts nothing.
    assert_eq!(one("map(urb, |x| if x > 100 { 100 } else { x })"), 53.0);
}

#[test]
fn fill_leaves_the_years_between_censuses_missing() {
    // break20a 05: fill(gdp, 0) on census data gave every town 0 in 2011-2014 and
    // 2016-2019, so a mean over the periods was over 11 years for 3: 甲镇's (100 + 150 +
    // 200) / 11 = 40.9 for 150. The years no region has are none of the data.
    let (_d, ws) = workspace(CENSUS, "");
    let (_, notes) = series(&ws, "fill(gdp, 0)");
    assert!(
        notes.iter().any(|n| n.starts_with(
            "fill(x, 0): 8 period(s) where no region has a figure (2011, 2012, 2013, 2014, 2016, 2017 and 2 more) are none \
             of the data"
        )),
        "{notes:?}"
    );
    let c = cells(&ws, "fill(gdp, 0)");
    assert!(c.iter().all(|(_, p, _)| ["2010", "2015", "2020"].contains(&p.as_str())), "{c:?}");
    // 乙镇 has no 2015 figure where the others do: that one is filled.
    assert!(c.contains(&("t2".to_string(), "2015".to_string(), 0.0)), "{c:?}");
    let m = cells(&ws, "mean(fill(gdp, 0), \"periods\")");
    let of = |r: &str| m.iter().find(|(c, _, _)| c == r).map(|x| x.2).unwrap();
    assert!(close(of("t1"), 150.0, 1e-12), "{m:?}");
    assert!(close(of("t2"), 100.0 / 3.0, 1e-12), "{m:?}");
}

#[test]
fn a_town_with_rows_of_other_figures_is_a_gap_in_a_total_not_a_town_set_up_later() {
    // year22 02: 乙镇 reports its GDP in 2019 and 2020, its 财政收入 from 2020 only. The
    // county's 2019 财政收入 was 甲镇's 1000 alone, and 2020's growth was said 按可比口径
    // with 乙镇 "2020年起纳入". A town with rows in a period is in the source then.
    let facts = "t1,2019,gdp,20\nt1,2020,gdp,22\nt2,2019,gdp,30\nt2,2020,gdp,33\nt1,2019,rev,1000\nt1,2020,rev,1100\nt2,2020,rev,3000\n\
                 t3,2019,gdp,1\nt3,2019,rev,1\nt3,2020,gdp,1\nt3,2020,rev,1\nt4,2019,gdp,1\nt4,2019,rev,1\nt4,2020,gdp,1\nt4,2020,rev,1\n";
    let (_d, ws) = workspace(facts, "");
    let (s, notes) = series(&ws, "rollup(rev, \"county\")");
    let c = s.axes.regions.codes.iter().position(|x| x == "c").unwrap();
    assert!(s.get(c, 0).is_nan(), "2019: {}", s.get(c, 0));
    assert!(close(s.get(c, 1), 4102.0, 1e-9));
    assert!(
        notes.iter().any(|n| n.contains("(某县 2019: 乙镇 has no value)") && n.contains("has rows of other figures then")),
        "{notes:?}"
    );
    // The towns that gave one, by name.
    let (s, _) = series(&ws, "rollup(rev, \"county\", \"reported\")");
    assert!(close(s.get(c, 0), 1002.0, 1e-9));
    // A town that never reports a figure but reports others is a gap too.
    let (s, _) = series(&ws, "rollup(gdp, \"county\")");
    assert!(close(s.get(c, 1), 57.0, 1e-9));
}

#[test]
fn a_growth_or_a_change_of_a_town_that_missed_a_return_is_a_gap_in_both_its_years() {
    // review25 01: 丙镇 90/—/110/120 missed 2019 only. Its growth of 2019 and of 2020 is
    // unknown, so 甲镇 and 乙镇 have no place and the mean none; the ranks of 2019
    // (甲镇 11.1% first) and of 2020 (乙镇 15% first) were given without a word.
    // 甲镇 90, 100, 110, 120; 乙镇 100, 100, 115, 120; 丁镇 starts in 2020 (no row
    // before): its first year is no gap, so 2021 ranks all four.
    let facts = "t1,2018,gdp,90\nt1,2019,gdp,100\nt1,2020,gdp,110\nt1,2021,gdp,120\n\
                 t2,2018,gdp,100\nt2,2019,gdp,100\nt2,2020,gdp,115\nt2,2021,gdp,120\n\
                 t3,2018,gdp,90\nt3,2020,gdp,110\nt3,2021,gdp,120\nt4,2020,gdp,10\nt4,2021,gdp,12\n";
    let (_d, ws) = workspace(facts, "");
    for e in ["rank(yoy(gdp))", "rank(gdp / lag(gdp, 1) - 1)", "mean(yoy(gdp))", "top(pct(yoy(gdp)), 1)", "rank(pct(yoy(gdp)))"] {
        let got: Vec<_> = cells(&ws, e).into_iter().filter(|c| c.1 != "2021").collect();
        assert!(got.is_empty(), "{e}: {got:?}");
        let (_, notes) = series(&ws, e);
        assert!(notes.iter().any(|n| n.contains("(丙镇 in 2019)")), "{e}: {notes:?}");
    }
    // 2021: 甲镇 120/110 - 1 = 9.09%, 乙镇 4.35%, 丙镇 9.09%, 丁镇 20%.
    let r: Vec<_> = cells(&ws, "rank(yoy(gdp))").into_iter().map(|c| (c.0, c.2)).collect();
    assert_eq!(r, [("t1".into(), 2.0), ("t2".into(), 4.0), ("t3".into(), 2.0), ("t4".into(), 1.0)]);
    let m = cells(&ws, "mean(yoy(gdp))");
    let want = (120.0 / 110.0 + 120.0 / 115.0 + 120.0 / 110.0 + 1.2 - 4.0) / 4.0;
    assert!(m.len() == 1 && m[0].1 == "2021" && close(m[0].2, want, 1e-12), "{m:?}");
    // The growths present, asked for: 2019 over 甲镇 and 乙镇.
    let m = cells(&ws, "mean(yoy(gdp), \"reported\")");
    assert!(close(m[0].2, (100.0 / 90.0 - 1.0) / 2.0, 1e-12), "{m:?}");

    // review24 08: a change too. The county's increments of 2019 and 2020 are unknown
    // (丙镇 has no 2019 figure, to change to or from); the sums of the others' were given.
    for e in ["sum(diff(gdp))", "sum(gdp - lag(gdp, 1))", "mean(diff(gdp))", "rank(diff(gdp))"] {
        let got: Vec<_> = cells(&ws, e).into_iter().filter(|c| c.1 == "2019" || c.1 == "2020").collect();
        assert!(got.is_empty(), "{e}: {got:?}");
    }
    // 2021: 10 + 5 + 10 + 2 = 27, 丁镇's first change among them.
    let s = cells(&ws, "sum(diff(gdp))");
    assert!(s.len() == 1 && s[0].1 == "2021" && close(s[0].2, 27.0, 1e-12), "{s:?}");
    // Spelled with numbers on both sides (review26 04: a hand conversion to 万元 summed
    // the others' to 36000 in 2020).
    for e in ["sum(gdp * 10000 - lag(gdp, 1) * 10000)", "rank(gdp * 2 - lag(gdp, 1))", "rank(gdp - 1 * lag(gdp, 1))"] {
        let got: Vec<_> = cells(&ws, e).into_iter().filter(|c| c.1 == "2020").collect();
        assert!(got.is_empty(), "{e}: {got:?}");
    }
    // A growth guarded by a mask too (review27 02: the mean of 2019 left 丙镇 out, and the
    // report said 甲镇 增速居全县第1位).
    for e in ["mean(where(lag(gdp, 1) > 0, gdp / lag(gdp, 1) - 1, 0))", "rank(where(lag(gdp, 1) > 0, yoy(gdp), 0))"] {
        let got: Vec<_> = cells(&ws, e).into_iter().filter(|c| c.1 == "2019" || c.1 == "2020").collect();
        assert!(got.is_empty(), "{e}: {got:?}");
    }
}

#[test]
fn a_growth_of_a_total_first_left_missing_is_a_gap() {
    // review26 05: 丁镇 (of 乙县) has a row of revenue in 2018 and its GDP from 2019, so
    // 乙县's 2018 GDP is missing: its 2019 growth is unknown, and the rank of the
    // counties' growths took 甲县's alone (第1位). 甲县 (甲镇) 100 -> 110.
    let facts = "t1,2018,gdp,100\nt1,2019,gdp,110\nt4,2018,rev,5\nt4,2019,gdp,10\nt4,2019,rev,6\n";
    let (d, _) = workspace(facts, "");
    std::fs::write(
        d.path().join("regions.csv"),
        "code,name,level,parent\np,某市,city,\nc,甲县,county,p\nc2,乙县,county,p\nt1,甲镇,town,c\nt4,丁镇,town,c2\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(d.path().join("yearbook.toml"))
        .unwrap()
        .replace("[\"county\", \"town\"]", "[\"city\", \"county\", \"town\"]");
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let g = cells(&ws, "yoy(rollup(gdp, \"county\"))");
    assert!(g.len() == 1 && g[0].0 == "c" && close(g[0].2, 0.1, 1e-12), "{g:?}");
    for e in ["rank(yoy(rollup(gdp, \"county\")))", "top(yoy(rollup(gdp, \"county\")), 1)", "mean(yoy(rollup(gdp, \"county\")))"] {
        let (got, notes) = series(&ws, e);
        assert!(got.count() == 0, "{e}");
        assert!(notes.iter().any(|n| n.contains("(乙县 in 2019, which reads its 2018 figure)")), "{e}: {notes:?}");
    }
    // So is 丁镇's own growth of 2019, through a selection of the towns too (review26 06:
    // level() counted 丁镇 from its first GDP, and 甲镇 ranked first).
    for e in ["rank(yoy(gdp))", "rank(yoy(level(gdp, \"town\")))", "sum(diff(level(gdp, \"town\")))"] {
        let (got, _) = series(&ws, e);
        assert!(got.count() == 0, "{e}");
    }
    // The growths present, asked for: 甲县's.
    let r = cells(&ws, "rank(yoy(rollup(gdp, \"county\")), \"reported\")");
    assert!(r.len() == 1 && r[0].0 == "c" && r[0].2 == 1.0, "{r:?}");
}

#[test]
fn a_town_first_counted_in_a_year_has_no_growth_gap_that_year() {
    // A town with no row of any figure before 2020 is new then: 2020's ranks of the growth
    // are of the others (甲镇 10%, 乙镇 15%), as before; a lag of it counts from 2021.
    let facts = "t1,2019,gdp,100\nt1,2020,gdp,110\nt2,2019,gdp,100\nt2,2020,gdp,115\nt4,2020,gdp,10\n";
    let (_d, ws) = workspace(facts, "");
    let r: Vec<_> = cells(&ws, "rank(yoy(gdp))").into_iter().map(|c| (c.0, c.1, c.2)).collect();
    assert_eq!(r, [("t1".into(), "2020".into(), 2.0), ("t2".into(), "2020".into(), 1.0)]);
    let s = cells(&ws, "sum(diff(gdp))");
    assert!(s.len() == 1 && close(s[0].2, 25.0, 1e-12), "{s:?}");
}

#[test]
fn a_growth_over_a_loss_is_no_gap_however_it_is_rounded_lagged_or_changed() {
    // review26 01-03: 乙镇's growth of 2019 is missing over its loss (-5 to 3), every
    // figure it reads there; the first gap_since took round(), lag() and diff() of it
    // for a town that had not delivered and left the means missing. 甲镇 100, 110, 121
    // (10%, 10%); 丙镇 50, 60, 66 (20%, 10%); 乙镇 -5, 3, 4 (—, 33.33%).
    let facts = "t1,2018,gdp,100\nt1,2019,gdp,110\nt1,2020,gdp,121\nt2,2018,gdp,-5\nt2,2019,gdp,3\nt2,2020,gdp,4\n\
                 t3,2018,gdp,50\nt3,2019,gdp,60\nt3,2020,gdp,66\n";
    let (_d, ws) = workspace(facts, "");
    let at = |e: &str, p: &str| cells(&ws, e).into_iter().find(|c| c.1 == p).map(|c| c.2);
    let m = at("mean(round(pct(yoy(gdp)), 1))", "2019");
    assert!(m.is_some_and(|v| close(v, 15.0, 1e-9)), "{m:?}");
    let m = at("mean(lag(yoy(gdp), 1))", "2020");
    assert!(m.is_some_and(|v| close(v, 0.15, 1e-12)), "{m:?}");
    // 2020's change of the growth: 甲镇 0, 丙镇 -10 个百分点; 乙镇's has no 2019 growth.
    let m = at("mean(diff(pct(yoy(gdp))))", "2020");
    assert!(m.is_some_and(|v| close(v, -5.0, 1e-9)), "{m:?}");
    // A two-year growth over 乙镇's loss: 甲镇 10%, 丙镇 14.89%.
    let m = at("mean(cagr(gdp, 2))", "2020");
    assert!(m.is_some_and(|v| close(v, (1.21f64.sqrt() - 1.0 + 1.32f64.sqrt() - 1.0) / 2.0, 1e-12)), "{m:?}");
}

#[test]
fn a_lag_of_a_selected_period_keeps_its_gaps_and_names_the_period_it_reads() {
    // review27 03: 丙镇 has no 2018 GDP. The lag of 2018's figures holds them in 2019, where
    // 丙镇's is a gap, not a cell left out: the sum is missing, as sum(in_period(gdp, 2018))
    // is, never the other towns' 10.5 + 21 + 9 = 40.5. review27 04: the note names 2018,
    // the figure read, beside 2019.
    let facts = "t1,2017,gdp,10\nt1,2018,gdp,10.5\nt1,2019,gdp,12\nt1,2020,gdp,13\nt2,2017,gdp,20\nt2,2018,gdp,21\nt2,2019,gdp,22\n\
                 t2,2020,gdp,23\nt3,2017,gdp,5\nt3,2019,gdp,6\nt3,2020,gdp,7\nt4,2017,gdp,8\nt4,2018,gdp,9\nt4,2019,gdp,10\nt4,2020,gdp,11\n";
    let (_d, ws) = workspace(facts, "");
    for e in ["sum(lag(in_period(gdp, 2018), 1))", "in_period(sum(lag(gdp, 1)), 2019)", "sum(gdp - lag(in_period(gdp, 2018), 1))"] {
        let (s, notes) = series(&ws, e);
        assert_eq!(s.count(), 0, "{e}: {:?}", cells(&ws, e));
        assert!(notes.iter().any(|n| n.contains("(丙镇 in 2019, which reads its 2018 figure)")), "{e}: {notes:?}");
    }
    // A year every town has: 2019's figures in 2020, 12 + 22 + 6 + 10 = 50.
    assert_eq!(cells(&ws, "sum(lag(in_period(gdp, 2019), 1))"), vec![(String::new(), "2020".to_string(), 50.0)]);
    // A region selected is still selected a year on: 甲镇's 10, 10.5, 12 in 2018-2020.
    let got = cells(&ws, "sum(lag(only(gdp, \"t1\"), 1))");
    assert_eq!(got.iter().map(|c| c.2).collect::<Vec<_>>(), vec![10.0, 10.5, 12.0], "{got:?}");
    // A lead reads a later year (review30 03: it had no gaps, and 2017's sum of next
    // year's figures was the other towns'): 2017 missing, 2018 is 2019's 12 + 22 + 6 + 10.
    let (s, notes) = series(&ws, "sum(lag(gdp, -1))");
    assert_eq!(cells(&ws, "sum(lag(gdp, -1))")[0], (String::new(), "2018".to_string(), 50.0), "{:?}", s.data);
    assert!(s.get(0, 0).is_nan());
    assert!(notes.iter().any(|n| n.contains("(丙镇 in 2017, which reads its 2018 figure)")), "{notes:?}");
    // A gap of the year itself is named without an earlier one.
    let (_, notes) = series(&ws, "in_period(mean(gdp), 2018)");
    assert!(notes.iter().any(|n| n.contains("(丙镇 in 2018)")), "{notes:?}");
    // Towns that read different periods name none (review30 04): 丁镇 has its 2018
    // figure and lacks 2019's, so its change of 2019 reads 2019.
    let (_d2, ws2) = workspace(&facts.replace("t4,2019,gdp,10\n", ""), "");
    let (s, notes) = series(&ws2, "sum(in_period(gdp - lag(gdp, 1), 2019))");
    assert_eq!(s.count(), 0);
    assert!(notes.iter().any(|n| n.contains("(丙镇, 丁镇 in 2019)")), "{notes:?}");
}
