//! A record table's figure keeps its column's unit through what leaves it a figure of that
//! unit (round, fill, abs, max, floor, minus, a row's cell, a loop adding them), so that
//! beside a series in another unit it is converted once (the input21 hunt). By hand: the
//! projects' 总投资 is 1.2 + 0.8 + 2.5 = 4.5亿元 = 45000万元; 甲镇's revenue 20000万元.

use crate::common::*;

fn workspace() -> (tempfile::TempDir, yearbook::Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nrev,财政总收入,万元,flow,sum,\n");
    w("facts.csv", "地区,年份,指标,数值\n甲镇,2021,财政总收入,20000\n乙镇,2021,财政总收入,10000\n甲镇,2021,地区生产总值,5\n");
    w("projects.csv", "序号,项目名称,所属镇,总投资（亿元）\n001,甲路,甲镇,1.2\n002,乙桥,乙镇,0.8\n003,丙厂,甲镇,2.5\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\np = \"projects.csv\"\n\
         [indicators.inv_to_rev]\nlabel = \"项目总投资相当于财政总收入的比例\"\nunit = \"%\"\n\
         expr = \"share_pct(round(table(\\\"p\\\").sum(\\\"总投资（亿元）\\\"), 2), rev)\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    (dir, ws)
}

fn num(ws: &yearbook::Workspace, e: &str) -> f64 {
    let v = ws.eval(e).unwrap_or_else(|err| panic!("{e}: {err}")).value.into_dynamic();
    v.as_float().unwrap_or_else(|_| panic!("{e}: not a number: {v:?}"))
}

#[test]
fn a_table_figure_keeps_its_unit_through_number_functions() {
    // input21 01: round(), fill(), abs(), max(), floor() and minus gave a plain number,
    // read in revenue's 万元: a share of 0.000225 for 2.25.
    let (_d, ws) = workspace();
    let sum = "table(\"p\").sum(\"总投资（亿元）\")";
    for (x, want) in [
        (sum.to_string(), 2.25),
        (format!("round({sum}, 2)"), 2.25),
        (format!("round({sum})"), 5.0 / 2.0),
        (format!("fill({sum}, 0.0)"), 2.25),
        (format!("abs({sum})"), 2.25),
        (format!("max({sum}, 0.0)"), 2.25),
        (format!("min({sum}, 100000.0)"), 2.25),
        (format!("floor({sum})"), 2.0),
        (format!("-(-{sum})"), 2.25),
    ] {
        let e = format!("at(share({x}, rev), \"t1\", 2021)");
        assert!(close(num(&ws, &e), want, 1e-12), "{e}: {}", num(&ws, &e));
    }
    // at()'s figure too: 5亿元 + 20000万元 is 7亿元.
    for x in ["at(gdp, \"t1\", 2021)", "round(at(gdp, \"t1\", 2021), 1)", "fill(at(gdp, \"t1\", 2021), 0.0)", "abs(at(gdp, \"t1\", 2021))"]
    {
        let e = format!("{x} + at(rev, \"t1\", 2021)");
        assert!(close(num(&ws, &e), 7.0, 1e-12), "{e}: {}", num(&ws, &e));
    }
    // A missing figure filled with a default in another unit of its kind: in the figure's.
    assert!(close(num(&ws, "fill(at(gdp, \"t2\", 2021), at(rev, \"t2\", 2021))"), 1.0, 1e-12));
    // max of 4.5亿元 and 30000万元 (3亿元) is 4.5亿元, compared in one unit.
    assert!(close(num(&ws, &format!("max({sum}, at(rev, \"t2\", 2021) * 3.0)")), 4.5, 1e-12));
    let m = ws.eval("max(at(gdp, \"t1\", 2021), table(\"p\").count() * 1.0)").map(|_| ()).err();
    assert!(m.is_none(), "a count is a plain number beside a figure");
    // Still refused where its unit says so, wrapped or not.
    let m = ws.eval(&format!("amount(round({sum}, 2), \"万元\")")).err().expect("refused").to_string();
    assert!(m.contains("amount(x, \"万元\"): x is a table's figure in 亿元"), "{m}");
    // A declared indicator: 45000 / 20000 = 225%.
    assert!(close(num(&ws, "at(inv_to_rev, \"t1\", 2021)"), 225.0, 1e-9));
}

#[test]
fn a_row_cell_keeps_its_column_unit() {
    // input21 04: a project's 1.2亿元 taken from its row was a plain number (0.00006 as a
    // share of 20000万元 for 0.6), and a loop adding the rows lost the unit at `+=`.
    let (_d, ws) = workspace();
    let c = "总投资（亿元）";
    let one = format!("table(\"p\").rows()[0][\"{c}\"]");
    assert!(close(num(&ws, &format!("at(share({one}, rev), \"t1\", 2021)")), 0.6, 1e-12));
    assert!(close(num(&ws, &format!("{one} + at(rev, \"t1\", 2021)")), 3.2, 1e-12));
    for lp in [
        format!("let s = 0.0; for r in table(\"p\").rows() {{ s += r[\"{c}\"]; }} at(share(s, rev), \"t1\", 2021)"),
        format!("let s = 0.0; for r in table(\"p\").rows() {{ s = s + r[\"{c}\"]; }} at(share(s, rev), \"t1\", 2021)"),
        format!("let s = 0.0; for x in table(\"p\").column(\"{c}\") {{ s += x; }} at(share(s, rev), \"t1\", 2021)"),
    ] {
        assert!(close(num(&ws, &lp), 2.25, 1e-12), "{lp}: {}", num(&ws, &lp));
    }
    // Compound assignment between plain numbers is unchanged: ((1.5 * 2) - 0.5) / 2.
    assert_eq!(num(&ws, "let s = 1.5; s *= 2; s -= 0.5; s /= 2; s"), 1.25);
    // A filter compares a cell as written: the projects of at least 1亿元.
    assert_eq!(num(&ws, &format!("table(\"p\").filter(|p| p[\"{c}\"] >= 1).sum(\"{c}\")")), 3.7);
}

/// A workspace of the two towns with the record table `p` written as `projects`.
pub(crate) fn with_table(projects: &str) -> (tempfile::TempDir, Result<yearbook::Workspace, String>) {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nrev,财政总收入,万元,flow,sum,\n");
    w("facts.csv", "地区,年份,指标,数值\n甲镇,2021,财政总收入,20000\n");
    w("projects.csv", projects);
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\np = \"projects.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).map_err(|e| e.to_string());
    (dir, ws)
}

#[test]
fn a_unit_column_naming_one_unit_is_the_figures_unit() {
    // input21 03: 金额 with 计量单位 元 on every row was summed as 万元 (a share of 4000 for
    // 0.4); 30,000,000 + 50,000,000 元 is 8000万元 against 20000万元.
    let (_d, ws) = with_table("项目名称,所属镇,金额,计量单位\n甲路,甲镇,30000000,元\n乙桥,乙镇,50000000,元\n");
    let ws = ws.unwrap();
    assert!(close(num(&ws, "at(share(table(\"p\").sum(\"金额\"), rev), \"t1\", 2021)"), 0.4, 1e-12));
    assert!(close(num(&ws, "at(share(table(\"p\").sum_all(\"金额\"), rev), \"t1\", 2021)"), 0.4, 1e-12));
    let m = ws.eval("amount(table(\"p\").sum(\"金额\"), \"亿元\")").err().expect("refused").to_string();
    assert!(m.contains("x is a table's figure in 元"), "{m}");
    // Two units in the column are still refused.
    let (_d, ws) = with_table("项目名称,所属镇,金额,计量单位\n甲路,甲镇,30000000,元\n乙桥,乙镇,5000,万元\n");
    let m = ws.unwrap().eval("table(\"p\").sum(\"金额\")").err().expect("refused").to_string();
    assert!(m.contains("holds figures in 元, 万元 (its unit column says so row by row)"), "{m}");
}

#[test]
fn a_header_unit_the_file_contradicts_is_refused() {
    // input21 07: 单位：元 above 完成投资（万元）, or （元） under it, was read by the header:
    // figures of 元 taken as 万元, 10000 times off.
    let (_d, ws) =
        with_table("2021年重点项目完成投资\n单位：元\n项目名称,所属镇,完成投资（万元）\n甲路,甲镇,30000000\n乙桥,乙镇,50000000\n");
    let m = ws.err().expect("refused");
    assert!(
        m.contains(
            "projects.csv:3:3: the column \"完成投资（万元）\" is in 万元, but the unit row above the header says 元: the file does not \
             say which the figures are in"
        ),
        "{m}"
    );
    let (_d, ws) = with_table("项目名称,所属镇,完成投资（万元）\n,,（元）\n甲路,甲镇,30000000\n乙桥,乙镇,50000000\n");
    let m = ws.err().expect("refused");
    assert!(
        m.contains("projects.csv:2:3: the column \"完成投资（万元）\" is in 万元, but the row of units under the header says 元"),
        "{m}"
    );
    // Where they agree, the figures are read in it.
    let (_d, ws) = with_table("单位：万元\n项目名称,所属镇,完成投资（万元）\n甲路,甲镇,3000\n乙桥,乙镇,5000\n");
    assert!(close(num(&ws.unwrap(), "at(share(table(\"p\").sum(\"完成投资（万元）\"), rev), \"t1\", 2021)"), 0.4, 1e-12));
}

#[test]
fn a_title_naming_a_unit_for_each_figure_is_refused() {
    // input21 02: under 各镇地区生产总值（亿元）及财政总收入（万元） the last unit was the file's:
    // GDP's 1.5亿元 loaded as 1.5万元.
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nrev,财政总收入,万元,flow,sum,\n");
    w(
        "facts.csv",
        "各镇地区生产总值（亿元）及财政总收入（万元）\n地区,年份,指标,数值\n甲镇,2020,地区生产总值,1.5\n甲镇,2020,财政总收入,20000\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    let cfg = dir.path().join("yearbook.toml");
    let m = yearbook::Workspace::open(&cfg, None).err().expect("refused").to_string();
    assert!(
        m.contains(
            "facts.csv:1:1: the title \"各镇地区生产总值（亿元）及财政总收入（万元）\" names a unit for each of its figures (亿元, 万元)"
        ),
        "{m}"
    );
    // One unit in the title is the file's, as before: 15000万元 is 1.5亿元.
    w("facts.csv", "各镇地区生产总值（万元）\n地区,年份,指标,数值\n甲镇,2020,地区生产总值,15000\n");
    let ws = yearbook::Workspace::open(&cfg, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(close(num(&ws, "at(gdp, \"t1\", 2020)"), 1.5, 1e-12));
    // International symbols are the units they stand for (input21 10): 12000 kWh is 1.2万千瓦时.
    w("indicators.csv", "code,label,unit,kind,rollup,note\nelec,全社会用电量,万千瓦时,flow,sum,\narea,行政区域面积,平方公里,stock,sum,\n");
    w("facts.csv", "地区,年份,全社会用电量（kWh）,行政区域面积（km²）\n甲镇,2020,12000,1.5\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\ncolumns_are = \"indicators\"\n",
    );
    let ws = yearbook::Workspace::open(&cfg, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(close(num(&ws, "at(elec, \"t1\", 2020)"), 1.2, 1e-12));
    assert!(close(num(&ws, "at(area, \"t1\", 2020)"), 1.5, 1e-12));
}

#[test]
fn a_filter_matches_the_text_group_by_takes_as_one() {
    // input21 08: group_by merged 甲　镇 into 甲镇 (500) while a filter on "甲镇" left its rows
    // out (100): the same ledger gave two answers.
    let (_d, ws) =
        with_table("项目名称,所属镇,类别,金额（万元）\n甲路,甲镇,道路（一期）,100\n乙桥,甲　镇,道路(一期),400\n丙厂,乙镇,工业,800\n");
    let ws = ws.unwrap();
    for e in [
        "table(\"p\").filter(|p| p.所属镇 == \"甲镇\").sum(\"金额（万元）\")",
        "table(\"p\").filter(|p| p.所属镇 in [\"甲镇\"]).sum(\"金额（万元）\")",
        "table(\"p\").filter(|p| p.类别 == \"道路（一期）\").sum(\"金额（万元）\")",
    ] {
        let r = ws.eval(e).unwrap_or_else(|err| panic!("{e}: {err}"));
        assert_eq!(r.value.clone().into_dynamic().as_float().unwrap(), 500.0, "{e}");
        assert!(r.notes.iter().any(|n| n.contains("are taken as one text")), "{e}: {:?}", r.notes);
    }
    assert_eq!(num(&ws, "table(\"p\").filter(|p| p.所属镇 != \"甲镇\").sum(\"金额（万元）\")"), 800.0);
    // Texts that differ otherwise stay apart.
    assert_eq!(num(&ws, "if \"甲镇\" == \"乙镇\" || \"ab\" == \"a b\" { 1.0 } else { 0.0 }"), 0.0);
}

#[test]
fn review_whole_cells_unit_columns_titles_and_unit_rows() {
    // review21 1: whole-number cells of 总投资（亿元） (1, 2) lost the unit through round, +=
    // from `let s = 0` and whole + whole: 1亿元 against 20000万元 is 0.5, 3亿元 1.5.
    let (_d, ws) = with_table("项目名称,所属镇,总投资（亿元）\n甲路,甲镇,1\n乙桥,乙镇,2\n");
    let ws = ws.unwrap();
    let c = "总投资（亿元）";
    for (e, want) in [
        (format!("let r = table(\"p\").rows()[0]; at(share(round(r[\"{c}\"]), rev), \"t1\", 2021)"), 0.5),
        (format!("let s = 0; for r in table(\"p\").rows() {{ s += r[\"{c}\"]; }} at(share(s, rev), \"t1\", 2021)"), 1.5),
        (format!("let r = table(\"p\").rows(); at(share(r[0][\"{c}\"] + r[1][\"{c}\"], rev), \"t1\", 2021)"), 1.5),
    ] {
        assert!(close(num(&ws, &e), want, 1e-12), "{e}: {}", num(&ws, &e));
    }
    // review21 2: the unit column's 元 for each row's cell too: 8000万元 / 20000万元.
    let (_d, ws) = with_table("项目名称,所属镇,金额,计量单位\n甲路,甲镇,30000000,元\n乙桥,乙镇,50000000,元\n");
    let ws = ws.unwrap();
    let e = "let s = 0.0; for r in table(\"p\").rows() { s += r.金额; } at(share(s, rev), \"t1\", 2021)";
    assert!(close(num(&ws, e), 0.4, 1e-12), "{}", num(&ws, e));
    // review21 5: a column naming its own unit under 单位：万元 beside one that takes the row's.
    let (_d, ws) = with_table("2021年各镇收入情况\n单位：万元\n所属镇,总收入,人均收入（元）\n甲镇,3000,25000\n乙镇,5000,30000\n");
    let ws = ws.unwrap();
    assert!(close(num(&ws, "at(share(table(\"p\").sum(\"总收入\"), rev), \"t1\", 2021)"), 0.4, 1e-12));
}

#[test]
fn review_a_title_with_a_note_bracket_keeps_its_unit() {
    // review21 4: 各镇地区生产总值（万元）（现价） was refused as naming two units (现价 is none);
    // its unit is 万元: 15000万元 is 1.5亿元.
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    for (title, want) in
        [("各镇地区生产总值（万元）（现价）", 1.5), ("各镇地区生产总值（亿元）（续表）", 15000.0), ("各镇地区生产总值（2021年）", 15000.0)]
    {
        w("facts.csv", &format!("{title}\n地区,年份,指标,数值\n甲镇,2021,地区生产总值,15000\n"));
        let ws = yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{title}: {e}"));
        assert!(close(num(&ws, "at(gdp, \"t1\", 2021)"), want, 1e-12), "{title}");
    }
}

/// review33 06: `eval` printed a number that carries a unit as a bare figure, and which
/// unit depends on the operand order: 甲镇's 5亿元 plus its 20000万元 is 7亿元 one way and
/// 70000万元 the other, both printed without the unit (7 beside 70000). Each prints with
/// its unit now; a quotient of two amounts is a plain number.
#[test]
fn eval_prints_a_number_with_the_unit_it_carries() {
    let (dir, _ws) = workspace();
    let c = dir.path().join("yearbook.toml");
    let c = c.to_str().unwrap();
    let eval = |e: &str| {
        let (code, out, err) = cli(&["eval", "-c", c, e]);
        assert_eq!(code, 0, "{e}: {err}");
        out.trim().to_string()
    };
    assert_eq!(eval("at(gdp, \"t1\", 2021) + at(rev, \"t1\", 2021)"), "7 亿元");
    assert_eq!(eval("at(rev, \"t1\", 2021) + at(gdp, \"t1\", 2021)"), "70000 万元");
    assert_eq!(eval("value(sum(level(rev, \"town\")))"), "30000 万元");
    assert_eq!(eval("at(gdp, \"t1\", 2021) / at(rev, \"t1\", 2021)"), "2.5");
    assert_eq!(eval("table(\"p\").sum(\"总投资（亿元）\")"), "4.5 亿元");
    // A power of ten written by hand leaves the unit unsaid (gdp / 10 in 亿元 is neither
    // 0.5亿元 nor 0.5 of anything the unit names); so does a percent, whose difference is
    // in 百分点 (review36 01, 02). Lists and maps print their numbers bare.
    assert_eq!(eval("at(gdp / 10, \"t1\", 2021)"), "0.5");
    assert_eq!(eval("at(inv_to_rev, \"t1\", 2021) - at(inv_to_rev, \"t1\", 2021) * 0.5"), "112.5");
    assert_eq!(eval("[at(gdp, \"t1\", 2021), 3]"), "[5.0, 3]");
    // JSON and CSV keep the bare figure: a number field, as a series' value column.
    let (_, json, _) = cli(&["eval", "-c", c, "--format", "json", "at(gdp, \"t1\", 2021)"]);
    assert_eq!(json.trim(), "5.0");
}
