//! A region without a figure of its own whose children report one (a town made of its
//! villages, a county of its towns) is taken with their roll-up wherever a script picks
//! regions by level or name: `level`, `children`, `only`, `at`, `rank`, `top`, a rule's
//! levels, `tree_balance`'s children and a report's ranking.

use crate::common::*;
use yearbook::series::Series;

/// A city p of counties c (towns t1, t2) and c2 (town t3); t1 has no figures of its own,
/// its villages v1 and v2 report (qty 1 + 1 = 2 吨, price 10 and 30 元/吨 weighted by
/// qty: 20). t2 reports qty 3 at 20 元/吨, t3 qty 2 at 5 元/吨.
fn mixed_tree(facts: &str, toml: &str) -> (tempfile::TempDir, yearbook::Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\np,P,city,\nc,C,county,p\nc2,C2,county,p\nt1,T1,town,c\nt2,T2,town,c\nt3,T3,town,c2\nv1,V1,village,t1\nv2,V2,village,t1\n",
    );
    w("indicators.csv", "code,unit,kind,rollup\nprice,元/吨,rate,weighted_mean(qty)\nqty,吨,stock,sum\npop,人,stock,sum\n");
    w("facts.csv", &format!("region,year,indicator,value\n{facts}"));
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"city\", \"county\", \"town\", \"village\"]\nregion = \"c\"\nperiod = \"2008\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [indicators.revenue]\nunit = \"元\"\nexpr = \"price * qty\"\nrollup = \"sum\"\n\
             [indicators.avgp]\nunit = \"元/吨\"\nexpr = \"revenue / qty\"\n{toml}"
        ),
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    (dir, ws)
}

const FACTS: &str = "v1,2008,price,10\nv1,2008,qty,1\nv2,2008,price,30\nv2,2008,qty,1\nt2,2008,price,20\nt2,2008,qty,3\n\
                     t3,2008,price,5\nt3,2008,qty,2\n";

fn series(ws: &yearbook::Workspace, expr: &str) -> Series {
    ws.eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).value.into_dynamic().try_cast::<Series>().unwrap_or_else(|| panic!("{expr}"))
}

/// (region code, value) of every cell with a value, in region order.
fn by_region(s: &Series) -> Vec<(String, f64)> {
    (0..s.rows())
        .flat_map(|r| (0..s.cols()).map(move |p| (r, p)))
        .filter(|&(r, p)| !s.get(r, p).is_nan())
        .map(|(r, p)| (s.axes.regions.codes[r].clone(), s.get(r, p)))
        .collect()
}

fn one(ws: &yearbook::Workspace, expr: &str) -> f64 {
    let s = series(ws, expr);
    assert_eq!(s.data.len(), 1, "{expr}: {:?}", s.data);
    s.data[0]
}

#[test]
fn a_level_counts_a_town_made_of_its_villages() {
    let (_d, ws) = mixed_tree(FACTS, "");
    // 2 (T1's villages) + 3 + 2, never 5.
    assert_eq!(one(&ws, "sum(level(qty, \"town\"))"), 7.0);
    assert!(close(one(&ws, "mean(level(qty, \"town\"))"), 7.0 / 3.0, 1e-12));
    // Revenue 10 + 30 (T1's villages) + 60 + 10.
    assert_eq!(one(&ws, "sum(level(revenue, \"town\"))"), 110.0);
    // A weighted mean and a ratio by their roll-up rules: (10 * 1 + 30 * 1) / 2 and 40 / 2.
    assert_eq!(by_region(&series(&ws, "level(price, \"town\")")), vec![("t1".into(), 20.0), ("t2".into(), 20.0), ("t3".into(), 5.0)]);
    assert_eq!(by_region(&series(&ws, "level(avgp, \"town\")")), vec![("t1".into(), 20.0), ("t2".into(), 20.0), ("t3".into(), 5.0)]);
    assert_eq!(by_region(&series(&ws, "children(qty, \"c\")")), vec![("t1".into(), 2.0), ("t2".into(), 3.0)]);
    assert_eq!(by_region(&series(&ws, "only(qty, \"t1\")")), vec![("t1".into(), 2.0)]);
    let at = ws.eval("at(qty, \"t1\", 2008)").unwrap().value.into_dynamic();
    assert_eq!(at.as_float().unwrap(), 2.0);
    // A county of its towns, asked for by level: 2 + 3 and 2.
    assert_eq!(by_region(&series(&ws, "level(qty, \"county\")")), vec![("c".into(), 5.0), ("c2".into(), 2.0)]);
    // A comparison is not rolled up (a roll-up of a mask would count its trues).
    assert_eq!(by_region(&series(&ws, "level(qty > 1, \"town\")")), vec![("t2".into(), 1.0), ("t3".into(), 1.0)]);
}

#[test]
fn ranks_and_top_lists_take_a_town_made_of_its_villages() {
    let (_d, ws) = mixed_tree(FACTS, "");
    // Towns T2 3, T1 2, T3 2: T1 shares second place with T3.
    let ranks = by_region(&series(&ws, "rank(level(qty, \"town\"))"));
    assert_eq!(ranks, vec![("t1".into(), 2.0), ("t2".into(), 1.0), ("t3".into(), 2.0)]);
    let ranks = by_region(&series(&ws, "rank(qty)"));
    assert!(ranks.contains(&("t1".into(), 2.0)), "{ranks:?}");
    // Counties (all made of their towns) are not ranked unless asked for.
    assert!(!ranks.iter().any(|(r, _)| r == "c" || r == "c2"), "{ranks:?}");
    let top = by_region(&series(&ws, "top(qty, 2, \"county\")"));
    assert!(top.contains(&("t1".into(), 2.0)) && top.contains(&("t2".into(), 3.0)), "{top:?}");
}

/// A town that gave its own total before keeps a gap where it has none: a partial
/// village return does not replace it (its county's roll-up is missing there too).
#[test]
fn a_town_that_reported_before_keeps_its_gap() {
    let facts = "t1,2007,qty,4\nt2,2007,qty,3\nt3,2007,qty,2\nv1,2008,qty,1\nt2,2008,qty,3\nt3,2008,qty,2\n";
    let (_d, ws) = mixed_tree(facts, "");
    let towns = by_region(&series(&ws, "in_period(level(qty, \"town\"), 2008)"));
    assert_eq!(towns, vec![("t2".into(), 3.0), ("t3".into(), 2.0)]);
    assert!(by_region(&series(&ws, "in_period(rollup(qty, \"county\"), 2008)")).iter().all(|(r, _)| r != "c"));
}

#[test]
fn rules_at_a_level_check_regions_made_of_their_children() {
    let rules = "[rules.town_qty]\ncheck = \"qty >= 2.5\"\nlevels = [\"town\"]\nmessage = \"{region} {q}\"\nvalues = { q = \"qty\" }\n\
                 [rules.county_qty]\ncheck = \"qty < 0\"\nlevels = [\"county\"]\n\
                 [rules.no_levels]\ncheck = \"qty >= 0\"\n";
    let (_d, ws) = mixed_tree(FACTS, rules);
    let run = ws.run(&Default::default()).unwrap();
    let summary = |id: &str| run.rules.iter().find(|s| s.rule == id).unwrap();
    // T1 (2, from its villages) fails, T2 passes, T3 fails.
    let s = summary("town_qty");
    assert_eq!((s.items, s.passes, s.fails), (3, 1, 2), "{s:?}");
    let t1 = run.findings.iter().find(|f| f.rule == "town_qty" && f.region == "t1").expect("T1 is checked");
    assert_eq!(t1.values.get("q").unwrap().value, Some(2.0));
    assert_eq!(t1.message, "T1 2吨");
    // Each county with its towns' total (5 and 2), evaluated and failing.
    let s = summary("county_qty");
    assert_eq!((s.items, s.passes, s.fails), (2, 0, 2), "{s:?}");
    // Without levels, the regions with figures of their own: towns T2, T3 and two villages.
    let s = summary("no_levels");
    assert_eq!((s.items, s.passes), (4, 4), "{s:?}");
}

/// A county with a figure of its own, 100, beside towns 60 and 10 and a town made of its
/// villages (20 + 10): the towns add up to 100.
#[test]
fn tree_balance_counts_a_child_made_of_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\nv1,一村,village,t3\nv2,二村,village,t3\n",
    );
    w("indicators.csv", "code,unit,kind,rollup\noutput,万元,flow,sum\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nc1,2021,output,100\nt1,2021,output,60\nt2,2021,output,10\nv1,2021,output,20\nv2,2021,output,10\n\
         c1,2022,output,100\nt1,2022,output,60\nt2,2022,output,10\nv1,2022,output,20\nv2,2022,output,—\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\", \"village\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[rules.balance]\ncheck = \"tree_balance(output, 0.5)\"\nlevels = [\"county\"]\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "balance").unwrap();
    // 2021: 60 + 10 + 30 = 100 passes; 2022: 二村 has no figure, so 丙镇 has none: not evaluable.
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 1, 0, 1), "{s:?}");
    // Under zero, 二村 reads as 0: 丙镇 is 20 + 0 in 2022, and 100 = 60 + 10 + 20 + 10 is
    // off by 10 (a fail); 2021 still passes. Under skip_all the same (丙镇 has one village's
    // figure). Both were every cell not evaluable: the zero-filled series lost its
    // declared roll-up, so 丙镇 had no figure at all.
    for policy in ["zero", "skip_all"] {
        let cfg = std::fs::read_to_string(dir.path().join("yearbook.toml")).unwrap();
        let cfg = format!("{}missing = \"{policy}\"\n", cfg.split("missing =").next().unwrap());
        // level() under the same policy: 丙镇, made of its villages, is an item in both years
        // (it was left out: under zero and skip_all the items are the cells read).
        let cfg = format!("{cfg}[rules.lvl]\ncheck = \"level(output, \\\"town\\\") > 0\"\nmissing = \"{policy}\"\n");
        std::fs::write(dir.path().join("yearbook.toml"), cfg).unwrap();
        let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
        let run = ws.run(&Default::default()).unwrap();
        let s = run.rules.iter().find(|s| s.rule == "balance").unwrap();
        assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 1, 1, 0), "{policy}: {s:?}");
        let f = run.findings.iter().find(|f| f.rule == "balance").unwrap();
        assert_eq!((f.region.as_str(), f.period.as_str(), f.imbalance), ("c1", "2022", Some(10.0)), "{policy}");
        let s = run.rules.iter().find(|s| s.rule == "lvl").unwrap();
        assert_eq!(s.items, 6, "{policy}: {s:?}");
    }
}

#[test]
fn a_report_ranks_a_town_made_of_its_villages() {
    let dir_toml = "[report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n";
    let (d, _) = mixed_tree(FACTS, dir_toml);
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    std::fs::write(d.path().join("report/main.md"), "{{ ranking(\"qty\") }}\n").unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) = cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("暂无数据"), "{text}");
    let t2 = text.find("T2").unwrap();
    let t1 = text.find("T1").unwrap();
    assert!(t2 < t1, "T2 (3) ranks above T1 (2): {text}");
    assert!(
        text.lines().any(|l| l.contains("T1") && l.contains('2') && l.contains("第2") || l.contains("T1") && l.contains("| 2 ")),
        "{text}"
    );
}

/// Only a figure whose roll-up rule the config declares is shown as its children's roll-up:
/// `qty - 1.5` would add its 1.5 once per village (T1 is 2 - 1.5 = 0.5, never 2 - 3 =
/// -1), so a formula's value at a region made of its children stays missing; a ratio is
/// its parts as shown, divided again: T1's villages' 2 吨 over T1's own 40 人, not over
/// the villages' 20.
#[test]
fn a_formula_is_not_rolled_up_into_a_region_and_a_ratio_takes_its_parts_as_shown() {
    let facts = format!("{FACTS}v1,2008,pop,10\nv2,2008,pop,10\nt1,2008,pop,40\nt2,2008,pop,30\nt3,2008,pop,20\n");
    let toml = "[indicators.excess]\nunit = \"吨\"\nexpr = \"qty - 1.5\"\n[indicators.qpc]\nunit = \"吨/人\"\nexpr = \"qty / pop\"\n";
    let (_d, ws) = mixed_tree(&facts, toml);
    assert_eq!(by_region(&series(&ws, "level(qty - 1.5, \"town\")")), vec![("t2".into(), 1.5), ("t3".into(), 0.5)]);
    assert_eq!(by_region(&series(&ws, "level(excess, \"town\")")), vec![("t2".into(), 1.5), ("t3".into(), 0.5)]);
    assert!(ws.eval("at(qty + 1, \"t1\", 2008)").unwrap().value.into_dynamic().as_float().unwrap().is_nan());
    let qpc = by_region(&series(&ws, "level(qpc, \"town\")"));
    assert_eq!(qpc, vec![("t1".into(), 0.05), ("t2".into(), 0.1), ("t3".into(), 0.1)]);
    assert_eq!(by_region(&series(&ws, "level(qty / pop, \"town\")"))[0], ("t1".into(), 0.05));
    // A period taken out is the same figure: T1 (never a figure of its own) is shown with
    // its villages' 1 + 1 (a town that reported before keeps its gap: see
    // a_period_taken_out_inline_shows_a_region_made_of_its_children).
    assert_eq!(
        by_region(&series(&ws, "level(in_period(qty, 2008), \"town\")")),
        vec![("t1".into(), 2.0), ("t2".into(), 3.0), ("t3".into(), 2.0)]
    );
}

/// A rule at a level reads a region made of its children with their roll-up, so a
/// `tree_balance` of that region against its children would compare the roll-up with
/// itself: such items are not evaluable, never passes.
#[test]
fn a_balance_at_a_region_made_of_its_children_checks_nothing_and_says_so() {
    let rules = "[rules.bal]\ncheck = \"tree_balance(qty, 0.5)\"\nlevels = [\"town\", \"county\"]\n";
    let (_d, ws) = mixed_tree(FACTS, rules);
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "bal").unwrap();
    // T1 (made of V1, V2), C and C2 (made of their towns): three items, none evaluable.
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (3, 0, 0, 3), "{s:?}");
    // A county with a figure of its own is checked: 4 against its towns' 5.
    let (_d, ws) = mixed_tree(&format!("{FACTS}c,2008,qty,4\n"), rules);
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "bal").unwrap();
    assert_eq!((s.items, s.fails, s.not_evaluable), (3, 1, 2), "{s:?}");
}

/// A per-capita figure declared as a weighted mean is not its villages' mean where the
/// town reports its own population (it would be the villages' output over the villages'
/// people): it is its parts as shown, divided again, as the same ratio undeclared and
/// the town's own report give it (T1: its villages' 2 吨 over its own 40 人). A county
/// made of its towns has its towns' totals divided (a reviewer found such counties
/// left out: a ranking printed 暂无数据). A declared mean of a formula that is no
/// ratio (`price * 2`) is its children's declared roll-up where nothing it reads has a
/// figure of the region's own: T1 (20 and 60 weighted by qty 1 and 1) = 40.
#[test]
fn a_declared_mean_of_a_ratio_is_its_parts_as_shown() {
    let facts = format!("{FACTS}v1,2008,pop,10\nv2,2008,pop,10\nt1,2008,pop,40\nt2,2008,pop,30\nt3,2008,pop,20\n");
    let toml = "[indicators.qpcw]\nunit = \"吨/人\"\nexpr = \"qty / pop\"\nrollup = \"weighted_mean(pop)\"\n\
                [indicators.qpcm]\nunit = \"吨/人\"\nexpr = \"qty / pop\"\nrollup = \"mean\"\n\
                [indicators.p2]\nunit = \"元/吨\"\nexpr = \"price * 2\"\nrollup = \"weighted_mean(qty)\"\n";
    let (_d, ws) = mixed_tree(&facts, toml);
    let towns = vec![("t1".into(), 0.05), ("t2".into(), 0.1), ("t3".into(), 0.1)];
    assert_eq!(by_region(&series(&ws, "level(qpcw, \"town\")")), towns);
    assert_eq!(by_region(&series(&ws, "level(qpcm, \"town\")")), towns);
    // C: (2 + 3) / (40 + 30); C2: 2 / 20.
    let counties = by_region(&series(&ws, "level(qpcw, \"county\")"));
    assert_eq!(counties.len(), 2, "{counties:?}");
    assert!(close(counties[0].1, 5.0 / 70.0, 1e-12) && counties[0].0 == "c", "{counties:?}");
    assert_eq!(counties[1], ("c2".into(), 0.1));
    assert_eq!(by_region(&series(&ws, "level(p2, \"town\")")), vec![("t1".into(), 40.0), ("t2".into(), 40.0), ("t3".into(), 10.0)]);
    // rollup() (explain, the report) gives the county the same figure as its rules read:
    // the parts rolled up and divided again, for the declared mean as for the weighted
    // one (it gave the mean of the towns' ratios, another figure).
    // (C, whose town T1 has its own people but its villages' output, is left to the
    // roll-up's own rule for parts that do not match: missing, with a note.)
    for code in ["qpcm", "qpcw"] {
        let rolled = by_region(&series(&ws, &format!("rollup({code}, \"county\")")));
        let shown = by_region(&series(&ws, &format!("level({code}, \"county\")")));
        assert!(rolled.iter().all(|r| shown.contains(r)), "{code}: {rolled:?} {shown:?}");
        assert!(rolled.contains(&("c2".into(), 0.1)), "{code}: {rolled:?}");
    }
    // The simple tree (towns of their own): the county's ratio of sums everywhere,
    // 30 / 4 = 7.5, not the mean of 10 and 6.67.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,C,county,\nt1,T1,town,c\nt2,T2,town,c\n");
    w("indicators.csv", "code,unit,kind,rollup\na,万元,flow,sum\nb,人,stock,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,a,10\nt1,2020,b,1\nt2,2020,a,20\nt2,2020,b,3\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[indicators.pc]\nexpr = \"a / b\"\nrollup = \"mean\"\n",
    );
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    for e in ["rollup(pc, \"county\")", "level(pc, \"county\")"] {
        assert_eq!(by_region(&series(&ws, e)), vec![("c".into(), 7.5)], "{e}");
    }
}

/// A hand-written balance at a region made of its children (no figure of its own) set its
/// value, its children's roll-up, against that same roll-up: `abs(qty - rollup(qty,
/// "county")) <= 0.5` passed there having checked nothing. Such cells are not evaluable,
/// with the reason; a rule that only rolls up is still evaluated there.
#[test]
fn a_hand_written_balance_at_a_region_made_of_its_children_is_not_evaluable() {
    let rules = "[rules.towns]\ncheck = \"abs(qty - rollup(qty, \\\"county\\\")) <= 0.5\"\nlevels = [\"county\"]\n\
                 [rules.scaled]\ncheck = \"abs(qty * 1 - rollup(qty, \\\"county\\\") / 1) <= 0.5\"\nlevels = [\"county\"]\n\
                 [rules.equal]\ncheck = \"qty == rollup(qty, \\\"county\\\")\"\nlevels = [\"county\"]\n\
                 [rules.kids]\ncheck = \"abs(qty - sum(children(qty, \\\"c\\\"))) <= 0.5\"\nlevels = [\"county\"]\n\
                 [rules.only_rollup]\ncheck = \"rollup(qty, \\\"county\\\") > 4\"\nlevels = [\"county\"]\n\
                 [rules.per_head]\ncheck = \"qty / rollup(pop, \\\"county\\\") >= 0.1\"\nlevels = [\"county\"]\n";
    // C (towns T1 = V1 1 + V2 1, T2 3) and C2 (town T3 2) have no figure of their own.
    let pop = "v1,2008,pop,10\nv2,2008,pop,10\nt2,2008,pop,30\nt3,2008,pop,20\n";
    let (_d, ws) = mixed_tree(&format!("{FACTS}{pop}"), rules);
    let run = ws.run(&Default::default()).unwrap();
    let summary = |id: &str| run.rules.iter().find(|s| s.rule == id).unwrap().clone();
    for id in ["towns", "scaled", "equal"] {
        let s = summary(id);
        assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 0, 0, 2), "{id}: {s:?}");
        assert_eq!(
            s.why,
            vec![
                "2 cell(s) not evaluable because a region would be compared with itself: C 2008: C has no figure of its own (it \
                 is made of its children); C2 2008: C2 has no figure of its own (it is made of its children); its value is its \
                 children's roll-up, the same figure as the roll-up it is set against, so nothing would be checked there (give \
                 the region's own figure to check it against its children)"
                    .to_string()
            ],
            "{id}"
        );
    }
    // C against its own towns: not evaluable; C2 (2) against C's towns (2 + 3 = 5): fails.
    let s = summary("kids");
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 0, 1, 1), "{s:?}");
    assert!(
        s.why[0].starts_with("1 cell(s) not evaluable because a region would be compared with itself: C 2008: C has no"),
        "{:?}",
        s.why
    );
    // Only rolled up: C 5 > 4 passes, C2 2 fails.
    let s = summary("only_rollup");
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 1, 1, 0), "{s:?}");
    // Set against the roll-up of another figure, the towns' totals are checked: C 5 / (10 +
    // 10 + 30) = 0.1 and C2 2 / 20 = 0.1 pass.
    let s = summary("per_head");
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 2, 0, 0), "{s:?}");
    assert!(s.why.is_empty(), "{:?}", s.why);
    // C with a figure of its own (4) is checked against its towns (5): |4 - 5| = 1 fails.
    let (_d, ws) = mixed_tree(&format!("{FACTS}c,2008,qty,4\n"), rules);
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "towns").unwrap();
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (2, 0, 1, 1), "{s:?}");
    let f = run.findings.iter().find(|f| f.rule == "towns").unwrap();
    assert_eq!(f.region, "c");
}

/// `tree_balance` says why a region made of its children is not evaluable.
#[test]
fn a_balance_says_why_a_region_made_of_its_children_is_not_evaluable() {
    let rules = "[rules.bal]\ncheck = \"tree_balance(qty, 0.5)\"\nlevels = [\"town\", \"county\"]\n";
    let (_d, ws) = mixed_tree(FACTS, rules);
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "bal").unwrap();
    assert_eq!(
        s.why,
        vec![
            "tree_balance: 3 cell(s) not evaluable because the region would be compared with itself: C 2008: C has no figure of \
             its own (it is made of its children); C2 2008: C2 has no figure of its own (it is made of its children); T1 2008: \
             T1 has no figure of its own (it is made of its children); its value is its children's roll-up, so nothing would be \
             checked (give the region's own figure to check it against its children)"
                .to_string()
        ]
    );
}

/// A derived indicator declared with a roll-up over a period taken out of a series
/// (`in_period(qty, 2008)`) keeps a town's gap where the town gave its own figure before
/// (T1: 4 in 2007), as `qty` itself does: not its villages' partial return (V1 1).
#[test]
fn a_declared_period_selection_keeps_the_gap_of_a_town_that_reported_before() {
    let facts = "t1,2007,qty,4\nt2,2007,qty,3\nt3,2007,qty,2\nv1,2008,qty,1\nt2,2008,qty,3\nt3,2008,qty,2\n";
    let toml = "[indicators.q8]\nunit = \"吨\"\nexpr = \"in_period(qty, 2008)\"\nrollup = \"sum\"\n\
                [indicators.q8x]\nunit = \"吨\"\nexpr = \"in_period(qty, 2008) * 2\"\nrollup = \"sum\"\n";
    let (_d, ws) = mixed_tree(facts, toml);
    assert_eq!(by_region(&series(&ws, "level(q8, \"town\")")), vec![("t2".into(), 3.0), ("t3".into(), 2.0)]);
    assert_eq!(by_region(&series(&ws, "level(q8x, \"town\")")), vec![("t2".into(), 6.0), ("t3".into(), 4.0)]);
    // C is missing (T1 has no value in 2008), as rollup(qty, "county") leaves it; C2 is T3's 2.
    assert_eq!(by_region(&series(&ws, "rollup(q8, \"county\")")), vec![("c2".into(), 2.0)]);
    assert_eq!(by_region(&series(&ws, "in_period(rollup(qty, \"county\"), 2008)")), vec![("c2".into(), 2.0)]);
    let at = ws.eval("at(q8, \"c\", 2008)").unwrap().value.into_dynamic();
    assert!(at.is_unit() || at.as_float().is_ok_and(f64::is_nan), "{at:?}");
    // A town that never gave a figure of its own is still shown with its villages' total.
    let (_d, ws) = mixed_tree(FACTS, toml);
    assert_eq!(by_region(&series(&ws, "level(q8, \"town\")")), vec![("t1".into(), 2.0), ("t2".into(), 3.0), ("t3".into(), 2.0)]);
}

/// A weighted mean whose weights add up to 0 says so, not that no region below has the figure.
#[test]
fn a_weighted_mean_over_zero_weights_says_the_weights_are_zero() {
    // T1's villages: price 10 and 30, qty 0 and 0.
    let facts = "v1,2008,price,10\nv1,2008,qty,0\nv2,2008,price,30\nv2,2008,qty,0\nt2,2008,price,20\nt2,2008,qty,3\n";
    let (_d, ws) = mixed_tree(facts, "");
    let r = ws.eval("rollup(price, \"town\")").unwrap();
    assert_eq!(
        r.notes,
        vec![
            "rollup: 1 weighted mean(s) left missing because the weights of the regions below add up to 0 (T1 2008): a mean \
             weighted by nothing has no value; check the weight, or use rollup with \"mean\" for the plain mean"
                .to_string()
        ]
    );
    let s = r.value.into_dynamic().try_cast::<Series>().unwrap();
    assert_eq!(by_region(&s), vec![]);
}

/// A period taken out of a loaded figure (`in_period(qty, 2008)`, written inline) shows a
/// region made of its children with their total, as the whole series does (a reviewer,
/// P1: C was left out); a town that reported its own figure before keeps its gap, and a
/// selection of regions (`only`) does not fill the others.
#[test]
fn a_period_taken_out_inline_shows_a_region_made_of_its_children() {
    let (_d, ws) = mixed_tree(FACTS, "");
    // C: T1 (its villages 1 + 1) + T2 3 = 5; C2: T3 2.
    assert_eq!(by_region(&series(&ws, "level(in_period(qty, 2008), \"county\")")), vec![("c".into(), 5.0), ("c2".into(), 2.0)]);
    assert_eq!(
        by_region(&series(&ws, "level(in_period(qty, 2008), \"town\")")),
        vec![("t1".into(), 2.0), ("t2".into(), 3.0), ("t3".into(), 2.0)]
    );
    assert_eq!(ws.eval("at(in_period(qty, 2008), \"c\", 2008)").unwrap().value.into_dynamic().as_float().unwrap(), 5.0);
    // T1 gave 4 of its own in 2007: in 2008 a partial village return does not replace it.
    let facts = "t1,2007,qty,4\nt2,2007,qty,3\nt3,2007,qty,2\nv1,2008,qty,1\nt2,2008,qty,3\nt3,2008,qty,2\n";
    let (_d, ws) = mixed_tree(facts, "");
    assert_eq!(by_region(&series(&ws, "level(in_period(qty, 2008), \"town\")")), vec![("t2".into(), 3.0), ("t3".into(), 2.0)]);
    // Only T2: its county is not made of it.
    let (_d, ws) = mixed_tree(FACTS, "");
    assert_eq!(by_region(&series(&ws, "level(only(qty, \"t2\"), \"county\")")), vec![]);
}

fn number(ws: &yearbook::Workspace, expr: &str) -> f64 {
    ws.eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).value.into_dynamic().as_float().unwrap_or_else(|t| panic!("{expr}: {t}"))
}

/// A province p of counties C1 (made of towns T1, T2: qty 1, 3 in 2021 and 2, 4 in 2022,
/// pop 10, 30) and C2 (qty 12, 15 of its own; towns T3, T4: qty 5, 6 and 7, 8, pop 50,
/// 60). `qd = qty * 2` declared mean, `qw = qty * 2` declared weighted_mean(pop).
fn two_counties(toml: &str) -> (tempfile::TempDir, yearbook::Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\np,P,province,\nc1,C1,county,p\nc2,C2,county,p\nt1,T1,town,c1\nt2,T2,town,c1\nt3,T3,town,c2\nt4,T4,town,c2\n",
    );
    w("indicators.csv", "code,unit,kind,rollup\nqty,吨,stock,sum\npop,人,stock,sum\n");
    let mut facts = String::from("region,year,indicator,value\n");
    for (y, q) in [(2021, [1, 3, 5, 6, 12]), (2022, [2, 4, 7, 8, 15])] {
        for (r, v) in ["t1", "t2", "t3", "t4", "c2"].iter().zip(q) {
            facts += &format!("{r},{y},qty,{v}\n");
        }
        for (r, v) in ["t1", "t2", "t3", "t4"].iter().zip([10, 30, 50, 60]) {
            facts += &format!("{r},{y},pop,{v}\n");
        }
    }
    w("facts.csv", &facts);
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"province\", \"county\", \"town\"]\nregion = \"p\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [indicators.qd]\nunit = \"吨\"\nexpr = \"qty * 2\"\nrollup = \"mean\"\n\
             [indicators.qw]\nunit = \"吨\"\nexpr = \"qty * 2\"\nrollup = \"weighted_mean(pop)\"\n{toml}"
        ),
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    (dir, ws)
}

/// A derived indicator declared a mean or a weighted mean whose formula is no ratio is
/// shown at a county made of its towns with their declared roll-up, as `rollup()` and
/// `explain` give it (a reviewer found C1 missing, with no note, from level, at,
/// children, a rule with levels and a report's ranking). C1 qd: (2 + 6) / 2 = 4 in 2021,
/// (4 + 8) / 2 = 6 in 2022; qw: (2 * 10 + 6 * 30) / 40 = 5 and (4 * 10 + 8 * 30) / 40 = 7.
/// C2 has its own qty: 24 and 30.
#[test]
fn a_declared_mean_of_a_formula_is_its_childrens_mean_at_a_region_made_of_them() {
    let rules = "[rules.qd_small]\ncheck = \"qd < 5\"\nlevels = [\"county\"]\n\
                 [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n";
    let (d, ws) = two_counties(rules);
    let qd = vec![("c1".into(), 4.0), ("c1".into(), 6.0), ("c2".into(), 24.0), ("c2".into(), 30.0)];
    assert_eq!(by_region(&series(&ws, "level(qd, \"county\")")), qd);
    assert_eq!(by_region(&series(&ws, "children(qd, \"p\")")), qd);
    assert_eq!(by_region(&series(&ws, "level(qw, \"county\")"))[..2], [("c1".into(), 5.0), ("c1".into(), 7.0)]);
    assert_eq!(number(&ws, "at(qd, \"c1\", 2021)"), 4.0);
    assert_eq!(number(&ws, "at(qw, \"c1\", 2022)"), 7.0);
    assert_eq!(number(&ws, "at(rollup(qd, \"county\"), \"c1\", 2022)"), 6.0);
    // C1 2021 (4) passes; C1 2022 (6), C2 (24, 30) fail: four items, none left out.
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "qd_small").unwrap();
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (4, 1, 3, 0), "{s:?}");
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    std::fs::write(d.path().join("report/main.md"), "{{ ranking(\"qd\") }}\n").unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) =
        cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "--period", "2022", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("暂无数据"), "{text}");
    assert!(text.lines().any(|l| l.contains("第1位") && l.contains("C2") && l.contains("30")), "{text}");
    assert!(text.lines().any(|l| l.contains("第2位") && l.contains("C1") && l.contains('6')), "{text}");
}

/// Where a region made of its children has a figure of its own that the formula reads
/// (T1 reports its own 40 人 while its qty is its villages'), the children's mean would
/// set that figure aside: the cell is not evaluable, with a note naming the region and
/// period, never a silent gap. T2: 3 / 30 - 0.001, T3: 2 / 20 - 0.001.
#[test]
fn a_declared_mean_whose_formula_reads_a_regions_own_figure_is_not_evaluable_there() {
    let facts = format!("{FACTS}v1,2008,pop,10\nv2,2008,pop,10\nt1,2008,pop,40\nt2,2008,pop,30\nt3,2008,pop,20\n");
    let toml = "[indicators.qx]\nunit = \"吨/人\"\nexpr = \"qty / pop - 0.001\"\nrollup = \"weighted_mean(pop)\"\n\
                [rules.qx_cap]\ncheck = \"qx < 1\"\nlevels = [\"town\"]\n";
    let (_d, ws) = mixed_tree(&facts, toml);
    let res = ws.eval("level(qx, \"town\")").unwrap();
    let note = res.notes.iter().find(|n| n.contains("`qx`")).unwrap_or_else(|| panic!("{:?}", res.notes));
    assert!(note.contains("T1 2008") && note.contains("not evaluable") && note.contains("a / b"), "{note}");
    let towns = by_region(&res.value.into_dynamic().try_cast::<Series>().unwrap());
    assert_eq!(towns.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(), ["t2", "t3"]);
    assert!(towns.iter().all(|(_, v)| close(*v, 0.099, 1e-12)), "{towns:?}");
    let run = ws.run(&Default::default()).unwrap();
    let s = run.rules.iter().find(|s| s.rule == "qx_cap").unwrap();
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (3, 2, 0, 1), "{s:?}");
    assert!(s.why.iter().any(|w| w.contains("T1 2008")), "{:?}", s.why);
}

/// `where`, `abs`, `map` and `sqrt` keep a region made of its children: `fill` leaves it
/// missing and `is_missing` is false there, as for the operand itself (t1 is made of its
/// villages 1 + 1, c of t1 and t2 = 3, p of c and c2 = 2), never a filler of 0 or 7.
#[test]
fn cell_wise_operations_keep_a_region_made_of_its_children() {
    let (_d, ws) = mixed_tree(FACTS, "");
    let cell = |expr: &str, at: &str| {
        let v = ws.eval(&format!("at({expr}, \"{at}\", 2008)")).unwrap_or_else(|e| panic!("{expr}: {e}")).value.into_dynamic();
        v.as_float().or_else(|_| v.as_bool().map(|b| if b { 1.0 } else { 0.0 })).unwrap_or_else(|t| panic!("{expr}: {t}"))
    };
    for expr in [
        "fill(where(qty > 0, qty, qty), 0)",
        "fill(where(qty > 1.8, qty, 0), 7)",
        "fill(abs(qty), 0)",
        "fill(map(qty, |x| x), 0)",
        "fill(sqrt(qty * qty), 0)",
    ] {
        for at in ["t1", "c", "p"] {
            assert!(cell(expr, at).is_nan(), "{expr} at {at}: {}", cell(expr, at));
        }
    }
    for expr in ["is_missing(where(qty > 0, qty, qty))", "is_missing(abs(qty))", "is_missing(map(qty, |x| x))", "is_missing(qty)"] {
        for at in ["t1", "c", "p"] {
            assert_eq!(cell(expr, at), 0.0, "{expr} at {at}");
        }
    }
    // The villages and t2 keep their values: 1, 1 (v1, v2), 3, 2; 1.8 passes only t2, t3.
    assert_eq!(
        by_region(&series(&ws, "fill(where(qty > 1.8, qty, 0), 7)")),
        vec![("t2".to_string(), 3.0), ("t3".to_string(), 2.0), ("v1".to_string(), 0.0), ("v2".to_string(), 0.0)]
    );
    // A rate that does not roll up is missing at a region without it, made of children or not.
    assert_eq!(cell("is_missing(where(avgp > 0, avgp, avgp))", "c"), cell("is_missing(avgp)", "c"));
}

/// A result without a roll-up rule (a product of a figure and a rate, a power, a number
/// added to a sum, a number over a series) and what is made of it (negated, rounded,
/// compared) keeps the regions made of their children of its sides: `fill` leaves them
/// missing, so an indicator `fill(price * qty, 0)` declared `rollup = "sum"` shows county
/// c as its towns' 40 + 60 = 100 元, never 0 (a tester found `fill(gdp * r, 0)` printing a
/// county's 20亿元 as 0). Where the product is missing in a region without children (t3
/// has no price) `fill` still gives 0.
#[test]
fn results_without_a_roll_up_rule_keep_a_region_made_of_its_children() {
    let facts = FACTS.replace("t3,2008,price,5\n", "");
    let (_d, ws) = mixed_tree(&facts, "[indicators.rev0]\nunit = \"元\"\nexpr = \"fill(price * qty, 0)\"\nrollup = \"sum\"\n");
    let cell = |expr: &str, at: &str| {
        let v = ws.eval(&format!("at({expr}, \"{at}\", 2008)")).unwrap_or_else(|e| panic!("{expr}: {e}")).value.into_dynamic();
        v.as_float().or_else(|_| v.as_bool().map(|b| if b { 1.0 } else { 0.0 })).unwrap_or_else(|t| panic!("{expr}: {t}"))
    };
    let made = [
        "price * qty",
        "qty ** 2",
        "qty - 0.5",
        "1 / qty",
        "-(price * qty)",
        "round(price * qty, 1)",
        "abs(qty) * 2",
        "price * qty * 2",
        "price * qty > 1",
        "lag(price * qty, 1)",
    ];
    for expr in made {
        for at in ["t1", "c", "p"] {
            let filled = cell(&format!("fill({expr}, 0)"), at);
            assert!(filled.is_nan(), "fill({expr}, 0) at {at}: {filled}");
            assert_eq!(cell(&format!("is_missing({expr})"), at), 0.0, "is_missing({expr}) at {at}");
        }
    }
    // t3 has no children and no price: its product is missing, and filled.
    assert_eq!(cell("fill(price * qty, 0)", "t3"), 0.0);
    assert_eq!(cell("is_missing(price * qty)", "t3"), 1.0);
    // The declared roll-up shows the counties: c of t1 (villages 10 + 30) and t2 (60); c2
    // of t3, whose 0 is the fill's.
    assert_eq!(by_region(&series(&ws, "level(rev0, \"county\")")), vec![("c".into(), 100.0), ("c2".into(), 0.0)]);
    assert_eq!(by_region(&series(&ws, "level(rev0, \"town\")")), vec![("t1".into(), 40.0), ("t2".into(), 60.0), ("t3".into(), 0.0)]);
}

/// A closure that gives no number for a cell with a value (`if` without `else`) is refused
/// on the compiled path and the engine's, never a cell silently dropped from a sum.
#[test]
fn a_map_closure_that_gives_no_number_for_a_cell_is_refused() {
    let (_d, ws) = mixed_tree(FACTS, "");
    let (head, tail) = (
        "map: the closure must give a number, but gave none (an `if` without `else`?) for a cell with the value ",
        ": give every branch a value, e.g. |x| if x > 1.9 { x * 2 } else { x }",
    );
    // Compiled, and through the engine (`to_string` is not compiled); the cell named is
    // one without a number (1 on the compiled path, 3 or 2 through the engine).
    for expr in ["map(qty, |x| if x > 1.9 { x * 2 })", "map(qty, |x| if x.to_string() == \"3.0\" { x * 2 })"] {
        let e = ws.eval(expr).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains(head) && e.contains(tail), "{expr}: {e}");
    }
    // With `else`, every cell: v1 1 + v2 1 + t2 6 + t3 4 at the lowest levels.
    assert_eq!(one(&ws, "sum(level(map(qty, |x| if x > 1.9 { x * 2 } else { x }), \"village\"))"), 2.0);
}

/// County C1 has no gdp of its own; its towns report 1.5 + 2 (2020), 1.8 + 2.2 (2021) and
/// in 2022 only T1 (2). `complete(gdp)` gives C1 the verdict of its roll-up with levels
/// and without: complete in 2020 (3.5) and 2021 (4), incomplete in 2022 (T2 is missing);
/// never a failure where its towns' total is there (a reviewer found it failing without
/// `levels`, "value —", and passing with them). `is_missing` agrees both ways.
#[test]
fn complete_judges_a_region_made_of_its_children_by_its_roll_up_with_and_without_levels() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,1.5\nt1,2021,gdp,1.8\nt1,2022,gdp,2\nt2,2020,gdp,2\nt2,2021,gdp,2.2\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n\
         [rules.all]\ncheck = \"complete(gdp)\"\n\
         [rules.county]\ncheck = \"complete(gdp)\"\nlevels = [\"county\"]\n\
         [rules.abs_all]\ncheck = \"complete(abs(gdp))\"\n\
         [rules.abs_county]\ncheck = \"complete(abs(gdp))\"\nlevels = [\"county\"]\n\
         [rules.present_all]\ncheck = \"!is_missing(gdp)\"\n\
         [rules.present_county]\ncheck = \"!is_missing(gdp)\"\nlevels = [\"county\"]\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap();
    let run = ws.run(&Default::default()).unwrap();
    let counts = |id: &str| {
        let s = run.rules.iter().find(|s| s.rule == id).unwrap();
        (s.items, s.passes, s.fails, s.not_evaluable)
    };
    let fails = |id: &str| -> Vec<(String, String)> {
        run.findings.iter().filter(|f| f.rule == id).map(|f| (f.region.clone(), f.period.clone())).collect()
    };
    let c1_2022 = ("c1".to_string(), "2022".to_string());
    let t2_2022 = ("t2".to_string(), "2022".to_string());
    // Without levels: 3 regions x 3 years; C1 passes in 2020 and 2021 with its towns' total.
    assert_eq!(counts("all"), (9, 7, 2, 0));
    assert_eq!(fails("all"), vec![c1_2022.clone(), t2_2022.clone()]);
    let f = run.findings.iter().find(|f| f.rule == "all" && f.region == "c1").unwrap();
    assert_eq!(f.values.get("value").unwrap().value, None);
    // With levels: the same verdicts at C1.
    assert_eq!(counts("county"), (3, 2, 1, 0));
    assert_eq!(fails("county"), vec![c1_2022.clone()]);
    // A formula has no roll-up to show without levels: C1 is no item, never a failure.
    assert_eq!(counts("abs_all"), (6, 5, 1, 0));
    assert_eq!(fails("abs_all"), vec![t2_2022]);
    assert_eq!(counts("abs_county"), (3, 2, 1, 0));
    assert_eq!(fails("abs_county"), vec![c1_2022]);
    // is_missing: C1 is made of its towns, not unreported, both ways.
    let (items, passes, fails_, _) = counts("present_county");
    assert_eq!((items, passes, fails_), (3, 3, 0));
    assert!(run.findings.iter().filter(|f| f.rule == "present_all").all(|f| f.region == "t2"), "{:?}", fails("present_all"));
}

/// A ratio written with its own factor (`loc / fis * 100`, `100 * loc / fis`,
/// `births / pop * 1000`) at a county made of its towns is its parts' roll-ups divided
/// again, as `loc / fis` and `pct(loc / fis)` are: 50 / 200 = 25 %, never missing (its
/// rule was left not evaluable and run exited 0; the report's sentence said 暂无数据).
#[test]
fn a_ratio_with_a_written_factor_is_shown_at_a_county_made_of_its_towns() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup\nloc,地方财政收入,万元,flow,sum\nfis,财政总收入,万元,flow,sum\nbirths,出生人口,人,flow,sum\npop,常住人口,人,stock,sum\n",
    );
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2024,loc,40\nt1,2024,fis,100\nt2,2024,loc,10\nt2,2024,fis,100\n\
         t1,2024,births,9\nt1,2024,pop,1000\nt2,2024,births,9\nt2,2024,pop,1000\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nregion = \"c\"\nperiod = \"2024\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [indicators.loc_share]\nlabel = \"地方财政收入占比\"\nunit = \"%\"\nexpr = \"loc / fis * 100\"\n\
         [indicators.birth_rate]\nlabel = \"人口出生率\"\nunit = \"‰\"\nexpr = \"births / pop * 1000\"\n\
         [rules.share_max]\ncheck = \"loc_share <= 20\"\nlevels = [\"county\"]\nvalues = { s = \"loc_share\" }\n\
         message = \"{region}地方财政收入占比{s}\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    for (expr, want) in [
        ("level(loc / fis, \"county\")", 0.25),
        ("level(loc / fis * 100, \"county\")", 25.0),
        ("level(loc * 100 / fis, \"county\")", 25.0),
        ("level(100 * loc / fis, \"county\")", 25.0),
        ("level(loc / fis / 10, \"county\")", 0.025),
        ("level(loc_share, \"county\")", 25.0),
        ("level(birth_rate, \"county\")", 9.0),
        ("level(loc * 100, \"county\")", 5000.0),
    ] {
        assert_eq!(by_region(&series(&ws, expr)), vec![("c".to_string(), want)], "{expr}");
    }
    // Scaled by a negative number a minimum is no longer a minimum: not shown so.
    assert_eq!(by_region(&series(&ws, "level(-1 * loc, \"county\")")), vec![]);
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out"]);
    assert_eq!(code, 1, "{err}");
    let findings = std::fs::read_to_string(dir.path().join("out/findings.csv")).unwrap();
    assert!(findings.contains("share_max,error,fail,c,某县,2024,,某县地方财政收入占比25%\n"), "{findings}");
}

/// A ratio at a town that reports its own denominator (population) while its numerator
/// is its villages' total: level(), children() and a rule's items took the town out (the
/// villages have no ratio of their own), though explain gave its figure. The ratio is
/// shown there from its parts as shown: T1 2 吨 / 8 人 = 0.25.
#[test]
fn a_ratio_whose_numerator_is_made_of_villages_is_shown_at_its_town() {
    let facts = format!("{FACTS}t1,2008,pop,8\nt2,2008,pop,6\nt3,2008,pop,4\n");
    let (_d, ws) = mixed_tree(
        &facts,
        "[indicators.per]\nexpr = \"qty / pop\"\nunit = \"吨/人\"\n[rules.low]\ncheck = \"per > 0.3\"\nlevels = [\"town\"]\n",
    );
    assert_eq!(
        by_region(&series(&ws, "level(per, \"town\")")),
        vec![("t1".to_string(), 0.25), ("t2".to_string(), 0.5), ("t3".to_string(), 0.5)]
    );
    assert_eq!(by_region(&series(&ws, "children(per, \"c\")")), vec![("t1".to_string(), 0.25), ("t2".to_string(), 0.5)]);
    let r = yearbook::run::run(&ws, &Default::default(), &mut |_| {}).unwrap();
    let s = r.rules.iter().find(|s| s.rule == "low").expect("rule low");
    assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (3, 2, 1, 0));
}

/// A village entering under a town made of its villages: the towns' total across regions
/// has the town in both years, but its 2009 figure counts the new village. Its change is
/// no growth (V1 1 → 1.1, V2 enters with 0.4; T2 3 → 3.3): 4.8 / 4 - 1 = 20% would count
/// the village as growth, the comparable (同口径) 10% needs the villages, which a level
/// leaves behind; so the change is left missing with a note, and the roll-up gives 10%.
#[test]
fn a_total_of_a_level_whose_town_counts_a_new_village_has_no_change() {
    let facts = "v1,2008,qty,1\nv1,2009,qty,1.1\nv2,2009,qty,0.4\nt2,2008,qty,3\nt2,2009,qty,3.3\n";
    let (_d, ws) = mixed_tree(facts, "");
    assert_eq!(by_region(&series(&ws, "sum(level(qty, \"town\"))")), vec![("p".to_string(), 4.0), ("p".to_string(), 4.8)]);
    for expr in ["yoy(sum(level(qty, \"town\")))", "diff(sum(children(qty, \"c\")))", "yoy(mean(level(qty, \"town\")))"] {
        let res = ws.eval(expr).unwrap();
        let s = res.value.into_dynamic().try_cast::<Series>().unwrap();
        assert_eq!(by_region(&s), vec![], "{expr}");
        assert!(
            res.notes.iter().any(|n| n.contains("1 cell(s) left missing (the regions beneath T1 are not here to take it on a comparable basis: yoy(rollup(x, level)) does (同口径))")
                && n.contains("2009 against 2008 (T1 is made of its children and counts different ones in the two)")),
            "{expr}: {:?}",
            res.notes
        );
    }
    let r = series(&ws, "yoy(rollup(qty, \"county\"))");
    assert!((r.get(r.axes.regions.codes.iter().position(|c| c == "c").unwrap(), 1) - 0.1).abs() < 1e-12);
    // Towns alike in both years: the change is taken.
    let (_d, ws) = mixed_tree("v1,2008,qty,1\nv1,2009,qty,1.1\nt2,2008,qty,3\nt2,2009,qty,3.3\n", "");
    assert!((one_last(&ws, "yoy(sum(level(qty, \"town\")))") - 0.1).abs() < 1e-12);
}

fn one_last(ws: &yearbook::Workspace, expr: &str) -> f64 {
    let s = series(ws, expr);
    s.data[s.data.len() - 1]
}

/// 甲镇 gave its villages' figure in 2020 (一村 10) and its own in 2021 (12); under 乙镇
/// 三村 enters in 2021 (二村 10 → 11). The comparable (同口径) growth of the county is over
/// 甲镇 in both years and 二村: (12 + 11) / (10 + 10) - 1 = 15% (it left 甲镇 out: 10%).
#[test]
fn a_comparable_growth_keeps_a_town_that_took_over_from_its_villages() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nv1,一村,village,t1\nv2,二村,village,t2\nv3,三村,village,t2\n",
    );
    w("indicators.csv", "code,unit,kind,rollup\ngdp,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nv1,2020,gdp,10\nt1,2021,gdp,12\nv2,2020,gdp,10\nv2,2021,gdp,11\nv3,2021,gdp,5\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\", \"village\"]\nregion = \"c\"\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    let total = series(&ws, "rollup(gdp, \"county\")");
    assert_eq!(by_region(&total), vec![("c".to_string(), 20.0), ("c".to_string(), 28.0)]);
    let g = series(&ws, "yoy(rollup(gdp, \"county\"))");
    assert_eq!(by_region(&g).len(), 1);
    assert!((by_region(&g)[0].1 - 0.15).abs() < 1e-12, "{:?}", by_region(&g));
}

/// 甲镇 reports its own 失业率 (5%) but no population; its villages report theirs (100 +
/// 100). Its weight in the county's weighted mean is its villages' 200 人, as its report
/// shows it: (5 × 200 + 10 × 200) / 400 = 7.5%. It was a gap (the county missing), and
/// "reported" left 甲镇 out (10%).
#[test]
fn a_weighted_mean_weighs_a_town_by_its_villages_weight_where_it_has_none_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nv1,一村,village,t1\nv2,二村,village,t1\n");
    w("indicators.csv", "code,unit,kind,rollup\nrate,%,rate,weighted_mean(pop)\npop,人,stock,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,rate,5\nv1,2021,pop,100\nv2,2021,pop,100\nt2,2021,rate,10\nt2,2021,pop,200\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\", \"village\"]\nregion = \"c\"\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    for expr in ["rollup(rate, \"county\")", "rollup(rate, \"county\", \"reported\")", "level(rate, \"county\")"] {
        assert_eq!(by_region(&series(&ws, expr)), vec![("c".to_string(), 7.5)], "{expr}");
    }
}

/// `tree_balance` under `missing = "zero"` at a county whose town is made of villages
/// (C 10 = T2 3 + T1 of V1 7 and V2 listed empty, read as 0): it passes, and still
/// passes when T2 reports a figure for an earlier year in which nothing of T1 reported.
/// T1's filler 0 there made it a town with a figure of its own, which stood for its
/// villages from then on, and the 2008 check was not evaluable ("T1 has no value").
#[test]
fn a_tree_check_under_zero_is_not_changed_by_an_earlier_year() {
    let rule = "[rules.tbz]\ncheck = \"tree_balance(qty, 0.5)\"\nmissing = \"zero\"\nlevels = [\"county\"]\n";
    for earlier in ["", "t2,2007,qty,5\n"] {
        let facts = format!("c,2008,qty,10\nt2,2008,qty,3\nv1,2008,qty,7\nv2,2008,qty,\n{earlier}");
        let (_d, ws) = mixed_tree(&facts, rule);
        let run = ws.run(&Default::default()).unwrap();
        let s = run.rules.iter().find(|s| s.rule == "tbz").unwrap();
        // 2008 passes; 2007 (with the earlier figure) has no county figure of its own:
        // C is made of its towns there, and compared with itself checks nothing (a note).
        assert_eq!((s.items, s.passes, s.fails, s.not_evaluable), (1, 1, 0, 0), "{earlier:?}: {s:?}");
        assert_eq!(s.why.iter().any(|w| w.contains("C 2007: C has no figure of its own")), !earlier.is_empty(), "{s:?}");
    }
}
