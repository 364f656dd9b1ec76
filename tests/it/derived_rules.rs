//! A rule on a derived indicator checks what the same formula written in its check
//! checks: a cell where the formula read a figure and gave none (a completion of a zero
//! plan, a growth without a base) is an item, not evaluable, never left out; under
//! `missing = "zero"` and `"skip_all"` the indicator's inputs are read with a gap as 0,
//! as the check's are.

use std::collections::BTreeMap;

/// County c1 of towns t1-t4, 2019-2021 (period 2021). a 产值 and b 计划 (万元), p 人口:
/// t1 a 100/110/120, b 90/100/100; t2 a 50/0/60, b 0/40/0 (2021's plan is 0); t3 a
/// from 2020, 70 then listed as — in 2021, b 60/80; t4 only b 10/20/30; p 1000 at t1,
/// 500 at t2 in 2021, 800 at t3 in 2020.
const FACTS: &str = "region,year,indicator,value\n\
    t1,2019,a,100\nt1,2020,a,110\nt1,2021,a,120\nt1,2019,b,90\nt1,2020,b,100\nt1,2021,b,100\n\
    t2,2019,a,50\nt2,2020,a,0\nt2,2021,a,60\nt2,2019,b,0\nt2,2020,b,40\nt2,2021,b,0\n\
    t3,2020,a,70\nt3,2021,a,—\nt3,2020,b,60\nt3,2021,b,80\n\
    t4,2019,b,10\nt4,2020,b,20\nt4,2021,b,30\n\
    t1,2019,p,1000\nt1,2020,p,1000\nt1,2021,p,1000\nt2,2021,p,500\nt3,2020,p,800\n";

fn workspace(toml: &str) -> (tempfile::TempDir, yearbook::Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,甲县,county,\nt1,一镇,town,c1\nt2,二镇,town,c1\nt3,三镇,town,c1\nt4,四镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\na,产值,万元,flow,sum\nb,计划,万元,flow,sum\np,人口,人,stock,sum\n");
    w("facts.csv", FACTS);
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nname = \"t\"\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\n\
             regions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n{toml}"
        ),
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    (dir, ws)
}

/// (items, passes, fails, not evaluable) of each rule of a run.
fn counts(ws: &yearbook::Workspace) -> BTreeMap<String, (usize, usize, usize, usize)> {
    let r = ws.run(&Default::default()).unwrap();
    r.rules.into_iter().map(|s| (s.rule, (s.items, s.passes, s.fails, s.not_evaluable))).collect()
}

#[test]
fn a_completion_of_a_zero_plan_is_not_evaluable_through_a_derived_indicator() {
    let (_d, ws) = workspace(
        "[indicators.ratio]\nlabel = \"产值计划完成率\"\nunit = \"%\"\nexpr = \"pct(a / b)\"\n\
         [rules.derived]\ncheck = \"ratio >= 80\"\nlevels = [\"town\"]\n\
         [rules.inline]\ncheck = \"pct(a / b) >= 80\"\nlevels = [\"town\"]\n",
    );
    let c = counts(&ws);
    // 2021: t1 120/100 = 120% passes; t2's plan is 0, t3's output is listed without a
    // figure, t4 has a plan and no output: three not evaluable.
    assert_eq!(c["inline"], (4, 1, 0, 3));
    assert_eq!(c["derived"], c["inline"]);
}

#[test]
fn a_derived_indicator_under_missing_zero_reads_its_gaps_as_zero() {
    let (_d, ws) = workspace(
        "[indicators.ratio]\nexpr = \"a / b\"\n\
         [rules.derived]\ncheck = \"ratio > 1\"\nmissing = \"zero\"\n\
         [rules.inline]\ncheck = \"a / b > 1\"\nmissing = \"zero\"\n\
         [rules.plain]\ncheck = \"ratio > 1\"\n",
    );
    let c = counts(&ws);
    // Under zero: t1 1.2 passes; t3 0 / 80 and t4 0 / 30 fail; t2 60 / 0 has no value.
    // Never 0 there (a fail reading 0% for a town over its plan of 0).
    assert_eq!(c["inline"], (4, 1, 2, 1));
    assert_eq!(c["derived"], c["inline"]);
    // The indicator as a report shows it is unchanged by a rule's policy.
    assert_eq!(c["plain"], (4, 1, 0, 3));
    let v = ws.eval("ratio").unwrap().value.into_dynamic().cast::<yearbook::series::Series>();
    let nr = v.rows();
    let p = v.cols() - 1;
    assert!(v.data.cell(p * nr + 4).is_nan(), "t4's ratio is missing outside the rule");
}

/// Each formula as a derived indicator and written in the check give a rule the same
/// items, passes, fails and not evaluable cells, under each missing-value policy, with
/// and without the rule's levels.
#[test]
fn a_rule_reads_a_derived_indicator_as_its_formula() {
    let formulas = [
        "a / b",
        "pct(a / b)",
        "a - b",
        "a + b",
        "yoy(a)",
        "growth(a, 1)",
        "lag(a, 1)",
        "diff(a, 1)",
        "share(a, b)",
        "per_capita(a, p)",
        "only(a, \"t1\")",
        "level(a, \"town\")",
        "children(a, \"c1\")",
        "in_period(a, 2021)",
        "rollup(a, \"county\")",
        "fill(a, 0) / b",
        "where(a > 60, a, 0)",
        "abs(a - b)",
        "round(a / b, 2)",
        "completion(a, b)",
        "rank(a)",
        "yoy(a / b)",
        "a / lag(b, 1)",
        "pct(yoy(a))",
        "a * 0 + 1",
        "cumulate(a)",
    ];
    let mut differ = Vec::new();
    for policy in ["skip_any", "zero", "skip_all"] {
        for levels in ["", "levels = [\"town\"]\n"] {
            let mut toml = String::new();
            for (i, f) in formulas.iter().enumerate() {
                toml += &format!("[indicators.d{i}]\nexpr = '{f}'\n[rules.d{i}]\ncheck = \"d{i} > 1\"\nmissing = \"{policy}\"\n{levels}");
                toml += &format!("[rules.i{i}]\ncheck = '({f}) > 1'\nmissing = \"{policy}\"\n{levels}");
            }
            let (_d, ws) = workspace(&toml);
            let c = counts(&ws);
            for (i, f) in formulas.iter().enumerate() {
                let (d, n) = (c[&format!("d{i}")], c[&format!("i{i}")]);
                if d != n {
                    differ.push(format!("{policy} {levels:?} {f}: derived {d:?}, written in the check {n:?}"));
                }
            }
            // Hand-checked anchors (2021): yoy(a) has t1 120/110 - 1 = 0.09 (fails > 1),
            // t2 over a base of 0 and t3 over a listed gap not evaluable (under zero t3 is
            // 0/70 - 1 = -1, a fail); t4 has no a.
            let yoy = c[&format!("i{}", formulas.iter().position(|f| *f == "yoy(a)").unwrap())];
            match policy {
                "skip_any" => assert_eq!(yoy, (3, 0, 1, 2), "{levels}"),
                "zero" => assert_eq!(yoy, (3, 0, 2, 1), "{levels}"),
                _ => assert_eq!(yoy, (2, 0, 1, 1), "{levels}"),
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// At a county made of its towns, a derived indicator that adds up (`a - b`, `a + b`,
/// `a * 2` of totals, `cumulate(a)`) is checked on its towns' total, as the formula over
/// the county's totals is; one over a selection (`only(a, "t1")`) is never a part shown as
/// the whole: not evaluable there, never t1's 120 passing for the county's.
#[test]
fn a_county_rule_on_a_derived_total_checks_the_towns_total() {
    let sums = ["a - b", "a + b", "a * 2", "cumulate(a)", "(a - b) * 2"];
    for policy in ["skip_any", "zero", "skip_all"] {
        let mut toml = String::new();
        for (i, f) in sums.iter().enumerate() {
            toml += &format!(
                "[indicators.d{i}]\nexpr = '{f}'\n[rules.d{i}]\ncheck = \"d{i} > 1\"\nmissing = \"{policy}\"\nlevels = [\"county\"]\n\
                 [rules.i{i}]\ncheck = '({f}) > 1'\nmissing = \"{policy}\"\nlevels = [\"county\"]\n"
            );
        }
        toml += &format!(
            "[indicators.part]\nexpr = 'only(a, \"t1\")'\n[rules.part]\ncheck = \"part > 1\"\nmissing = \"{policy}\"\nlevels = [\"county\"]\n"
        );
        let (_d, ws) = workspace(&toml);
        let c = counts(&ws);
        for (i, f) in sums.iter().enumerate() {
            assert_eq!(c[&format!("d{i}")], c[&format!("i{i}")], "{policy} {f}");
        }
        assert_eq!(c["part"].1, 0, "{policy}: a selection passed as the county's total: {:?}", c["part"]);
    }
    // Under zero, 2021: a 120 + 60 + 0 + 0 = 180, b 100 + 0 + 80 + 30 = 210: a - b = -30
    // fails > 1 (it was not evaluable through the indicator).
    let (_d, ws) = workspace(
        "[indicators.d]\nexpr = 'a - b'\n[rules.d]\ncheck = \"d > 1\"\nmissing = \"zero\"\nlevels = [\"county\"]\n\
         values = { d = \"d\" }\n",
    );
    let r = ws.run(&Default::default()).unwrap();
    assert_eq!((r.rules[0].items, r.rules[0].fails), (1, 1));
    assert_eq!(r.findings[0].values.get("d").and_then(|v| v.value), Some(-30.0));
}
