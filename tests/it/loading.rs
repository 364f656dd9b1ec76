//! Loading: periods of other frequencies, quoted CSV, repairs, flags, tables.

use crate::common::*;

fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<yearbook::Workspace, yearbook::Error>) {
    let d = tempfile::tempdir().unwrap();
    let toml = "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n";
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    std::fs::write(d.path().join("regions.csv"), "code,name,level,parent\np,省,province,\nc,县,county,p\na,甲镇,town,c\nb,乙镇,town,c\n")
        .unwrap();
    std::fs::write(
        d.path().join("indicators.csv"),
        "code,label,unit,kind,rollup\nsales,销售额,万元,flow,sum\nrate,比率,%,rate,weighted_mean(sales)\n",
    )
    .unwrap();
    for (n, t) in files {
        std::fs::write(d.path().join(n), t).unwrap();
    }
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None);
    (d, ws)
}

#[test]
fn monthly_data_period_on_period_and_ytd() {
    let mut facts = String::from("region,period,indicator,value\n");
    for m in 1..=12 {
        facts += &format!("a,2008-{m:02},sales,{m}\nb,2008-{m:02},sales,10\n");
        facts += &format!("a,2009-{m:02},sales,{}\n", m * 2);
    }
    let (_d, ws) = workspace(&[("facts.csv", &facts)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(ytd(sales), \"a\", \"2008-03\")"), 6.0);
    assert_eq!(value(&ws, "at(ytd(sales), \"a\", \"2009-01\")"), 2.0);
    assert_eq!(value(&ws, "at(pct(yoy(sales)), \"a\", \"2009-05\")"), 100.0);
    assert_eq!(value(&ws, "at(pct(pop(sales)), \"a\", \"2008-04\")"), 100.0 * (4.0 / 3.0 - 1.0));
    assert_eq!(value(&ws, "at(rollup(sales, \"county\"), \"c\", \"2008-02\")"), 12.0);
}

#[test]
fn quarterly_quoted_and_repaired_values() {
    let facts = "region,period,indicator,value\na,2008Q1,sales,\"1,234.5\"\nb,2008Q1,sales,１２\na,2008Q1,rate,12.5%\nb,2008Q1,rate,—\n";
    let (_d, ws) = workspace(&[("facts.csv", facts)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "only(sales, \"a\")"), 1234.5);
    assert_eq!(value(&ws, "only(sales, \"乙镇\")"), 12.0);
    assert_eq!(value(&ws, "only(rate, \"a\")"), 12.5);
    assert!(value(&ws, "only(rate, \"b\")").is_nan());
}

#[test]
fn weighted_mean_rollup() {
    let facts = "region,year,indicator,value\na,2008,sales,100\nb,2008,sales,300\na,2008,rate,10\nb,2008,rate,20\n";
    let (_d, ws) = workspace(&[("facts.csv", facts)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "only(rollup(rate, \"county\"), \"c\")"), 17.5);
    assert_eq!(value(&ws, "only(rollup(sales, \"province\"), \"p\")"), 400.0);
    assert_eq!(value(&ws, "at(rank(sales), \"a\", 2008)"), 2.0);
    assert_eq!(value(&ws, "count(top(sales, 1))"), 1.0);
    assert_eq!(value(&ws, "mean(sales)"), 200.0);
    assert_eq!(value(&ws, "median(sales)"), 200.0);
}

#[test]
fn header_only_and_empty_files() {
    let (_d, ws) = workspace(&[("facts.csv", "")]);
    assert!(ws.err().unwrap().to_string().ends_with("facts.csv:1: file is empty: expected a header line"));
    let (_d, ws) = workspace(&[("facts.csv", "region,year,indicator,value\n")]);
    let ws = ws.unwrap();
    assert_eq!(ws.panel().n_facts, 0);
    let (_d, ws) = workspace(&[("facts.csv", "region,when,indicator,value\na,2008,sales,1\n")]);
    let e = ws.err().unwrap().to_string();
    assert!(e.contains("no period column: expected a header \"period\" or \"year\""), "{e}");
}

#[test]
fn region_tree_errors() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("yearbook.toml"), "[data]\nregions = \"r.csv\"\nindicators = \"i.csv\"\n").unwrap();
    std::fs::write(d.path().join("i.csv"), "code,label,unit\nx,X,元\n").unwrap();
    std::fs::write(d.path().join("r.csv"), "code,name,level,parent\na,A,county,b\nb,B,town,a\n").unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(
        e.ends_with(
            "r.csv:2:4: parent \"b\" (town) is not above \"a\" (county) in the level order province > city > county > town > village"
        ),
        "{e}"
    );
    std::fs::write(d.path().join("r.csv"), "code,name,level,parent\na,A,county,\na,B,town,a\n").unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(e.ends_with("r.csv:3:1: duplicate region code \"a\" (first at line 2)"), "{e}");
    std::fs::write(d.path().join("r.csv"), "code,name,level,parent\na,A,conty,\n").unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(e.contains("unknown level \"conty\"") && e.contains("did you mean `county` or `city`?"), "{e}");
}

#[test]
fn xlsx_sheet_with_chinese_headers() {
    let d = sample_copy(&[]);
    std::fs::copy(root().join("tests/fixtures/facts.xlsx"), d.path().join("facts.xlsx")).unwrap();
    let cfg =
        "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.xlsx\"\nsheet = \"2008年\"\n";
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert!(close(value(&ws, "pct(yoy(gdp))"), 100.0 * (7.75 / 6.56 - 1.0), 1e-9));
    assert_eq!(value(&ws, "fiscal_revenue"), 6500.0);
    assert_eq!(ws.panel().flag(ws.panel().indicator("gdp").unwrap(), 4 + 3), Some("estimate"));
    std::fs::write(d.path().join("yearbook.toml"), cfg.replace("2008年", "2009年")).unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(e.contains("no sheet \"2009年\" (sheets: 说明, 2008年); did you mean `2008年`?"), "{e}");
}

/// The error opening a workspace of these files, with paths relative to its folder.
fn err(files: &[(&str, &str)]) -> String {
    let (d, ws) = workspace(files);
    ws.err().expect("refused").to_string().replace(&format!("{}/", d.path().display()), "")
}

/// Files saved by Excel on Windows end lines with CRLF: every message names the line the
/// fact is on, through the fast loader, the CSV parser (a quoted field) and the small-file
/// reader, also after blank lines.
#[test]
fn crlf_files_name_the_line_of_the_fault() {
    let head = "region,year,indicator,value\r\n";
    // Fast loader: a duplicate names both lines.
    let facts = format!("{head}a,2000,sales,1\r\nb,2000,sales,2\r\n\r\na,2001,sales,3\r\nb,2000,sales,4\r\n");
    assert_eq!(err(&[("facts.csv", &facts)]), "facts.csv:6:1: duplicate fact for (b, 2000, sales): first given at line 3");
    // The CSV parser (a quoted value), an error and a duplicate after a blank line.
    let facts = format!("{head}a,2000,sales,\"1\"\r\nb,2000,sales,2\r\n\r\nb,2001,sales,1x\r\n");
    assert_eq!(err(&[("facts.csv", &facts)]), "facts.csv:5:4: value \"1x\" is not a number");
    let facts = format!("{head}a,2000,sales,\"1\"\r\nb,2000,sales,2\r\n\r\na,2000,sales,1\r\n");
    assert_eq!(err(&[("facts.csv", &facts)]), "facts.csv:5:1: duplicate fact for (a, 2000, sales): first given at line 2");
    // Small files read whole (the region tree).
    let regions = "code,name,level,parent\r\np,省,province,\r\n\r\nc,县,county,p\r\na,甲镇,town,zz\r\n";
    let e = err(&[("regions.csv", regions), ("facts.csv", "region,year,indicator,value\na,2000,sales,1\n")]);
    assert!(e.starts_with("regions.csv:5:4: unknown parent region \"zz\""), "{e}");
}

/// A town whose parent cell is empty beside a county at the top was a second top region:
/// the county's total left it out without a word (review33 05: 3 where its towns add to
/// 7). It is refused, naming it; regions without a parent all of one level (a file that
/// starts at its counties under a declared province level) are the tree's tops.
#[test]
fn a_region_without_a_parent_below_the_top_is_refused() {
    let facts = ("facts.csv", "region,year,indicator,value\nt1,2021,sales,1\n");
    let regions = "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,\n";
    assert_eq!(
        err(&[("regions.csv", regions), facts]),
        "regions.csv:5:4: \"t3\" (town) has no parent, while \"c1\" (county) stands at the top: give its parent's code in the \
         parent column (a town without one is left out of every total above it)"
    );
    // A benchmark region listed alone (a province's own figure, no region under it)
    // beside a county's tree is no top the county was meant to hang from (review35 08).
    let bench = "code,name,level,parent\nzj,浙江省,province,\nc1,某县,county,\nt1,甲镇,town,c1\n";
    assert!(workspace(&[("regions.csv", bench), facts]).1.is_ok());
    let (_d, ws) = workspace(&[("regions.csv", "code,name,level,parent\nc1,某县,county,\nc2,乙县,county,\nt1,甲镇,town,c2\n"), facts]);
    let ws = ws.unwrap();
    let rollup = ws.eval("rollup(sales, \"county\")").unwrap().value.into_dynamic().try_cast::<yearbook::series::Series>().unwrap();
    let got: Vec<f64> = rollup.data.iter().copied().filter(|v| !v.is_nan()).collect();
    assert_eq!(got, [1.0]);
}

/// A row of empty cells (",,," where Excel kept a formatted blank row) is skipped by the
/// fast loader as by the CSV parser (a file with a quote) and the table reader: the same
/// facts whichever reads the file; a row with any figure in it is still an error.
#[test]
fn rows_of_empty_cells_are_skipped_by_every_reader() {
    let toml = "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n";
    for (quote, table) in [(false, false), (true, false), (false, true)] {
        let one = if quote { "\"1\"" } else { "1" };
        let facts = format!("region,year,indicator,value\na,2000,sales,{one}\n,,,\n , ,,\r\nb,2000,sales,2\n,,\n");
        let (d, ws) = workspace(&[("facts.csv", &facts)]);
        let ws = if table {
            std::fs::write(d.path().join("yearbook.toml"), format!("{toml}header_row = 1\n")).unwrap();
            yearbook::Workspace::open(&d.path().join("yearbook.toml"), None)
        } else {
            ws
        };
        let ws = ws.unwrap_or_else(|e| panic!("quote {quote}, table {table}: {e}"));
        assert_eq!(value(&ws, "sum(sales)"), 3.0, "quote {quote}, table {table}");
        assert_eq!(ws.eval("cells(sales)").unwrap().value.as_int().unwrap(), 2);
    }
    let e = err(&[("facts.csv", "region,year,indicator,value\na,2000,sales,1\n,,,5\n")]);
    assert!(e.starts_with("facts.csv:3:1: "), "{e}");
}

/// Notes end the table; a row of figures below a note would be lost, so it is an error
/// (the fast loader, which looks at the file's tail, and the table reader alike).
#[test]
fn a_row_of_figures_below_a_note_is_an_error_not_dropped() {
    let facts = "region,year,indicator,value\na,2000,sales,1\n注：本表为快报数。\nb,2000,sales,2\n";
    assert_eq!(
        err(&[("facts.csv", facts)]),
        "facts.csv:4: a row of figures below the note on line 3: everything below a note (注：, 资料来源：) is left out; move the note below the last row"
    );
    let titled = "各镇销售额\n单位：万元\nregion,year,indicator,value\na,2000,sales,1\n注：快报数。\n资料来源：统计局\nb,2000,sales,2\n";
    assert_eq!(
        err(&[("facts.csv", titled)]),
        "facts.csv:7: a row of figures below the note on line 5: everything below a note (注：, 资料来源：) is left out; move the note below the last row"
    );
    // Notes after notes are fine: the figures above them load.
    let (_d, ws) = workspace(&[("facts.csv", "region,year,indicator,value\na,2000,sales,1\n注：快报数。\n资料来源：统计局,2024\n")]);
    assert_eq!(value(&ws.expect("loads"), "at(sales, \"a\", 2000)"), 1.0);
}

#[test]
fn a_header_with_two_columns_for_one_role_is_refused() {
    // Which 数值 (5 or 7), which 年份 (2023 or 2024) is meant cannot be known: reading one
    // silently dropped the other.
    let (_d, ws) = workspace(&[("facts.csv", "地区,年份,指标,数值,数值\n甲镇,2024,sales,5,7\n")]);
    assert!(ws.err().unwrap().to_string().ends_with(
        "facts.csv:1:5: the header has 2 columns for the value: \"数值\" (column 4), \"数值\" (column 5); keep one, or rename the \
         others (the one to read can be named with columns = { value = \"...\" })"
    ));
    let (_d, ws) = workspace(&[("facts.csv", "region,year,month,indicator,value\na,2024,3,sales,5\n")]);
    assert!(
        ws.err()
            .unwrap()
            .to_string()
            .contains("facts.csv:1:3: the header has 2 columns for the period: \"year\" (column 2), \"month\" (column 3)")
    );
    // A region by code and by name is one region: the name column is read, as before.
    let (_d, ws) = workspace(&[("facts.csv", "地区代码,地区,年份,指标,数值\na,甲镇,2024,sales,5\n")]);
    assert_eq!(ws.unwrap().panel().n_facts, 1);
}

#[test]
fn a_comma_after_the_decimal_point_is_refused_at_its_cell() {
    // 1.500,000 (someone's 1,500,000) loaded as 1.5; 0.1,2 as 0.12.
    for v in ["\"1.500,000\"", "\"0.1,2\"", "\"1.2，3\""] {
        let (_d, ws) = workspace(&[("facts.csv", &format!("region,year,indicator,value\na,2024,sales,{v}\n"))]);
        let e = ws.err().unwrap().to_string();
        assert!(e.contains("facts.csv:2:4: value ") && e.ends_with("a comma must separate groups of three digits (1,234.5)"), "{e}");
    }
}

#[test]
fn a_long_file_may_name_an_indicator_by_its_label() {
    // 销售额 is the label of sales: 10 + 20 = 30 万元 at the county, as with the code.
    let (_d, ws) = workspace(&[("facts.csv", "region,year,indicator,value\na,2024,销售额,10\nb,2024,sales,20\n")]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "value(only(rollup(sales, \"county\"), \"c\"))"), 30.0);
    // A text that is neither a code nor a label is still an error naming both ways.
    let (_d, ws) = workspace(&[("facts.csv", "region,year,indicator,value\na,2024,销售,10\n")]);
    let e = ws.err().unwrap().to_string();
    assert!(e.contains("facts.csv:2:3: unknown indicator \"销售\""), "{e}");
}

/// 累计 written beside a single month or quarter (`2020年3月累计`, `2021年累计3月`,
/// `2020年3月（累计）`) is the 1-3月 cumulative figure, never March's own: refused in a
/// file not declared cumulative, the end of the span in one that is.
#[test]
fn leiji_beside_one_month_is_a_cumulative_figure() {
    for p in ["2020年3月累计", "2020年3月(累计)", "2020年3月（累计）", "2020年累计3月", "2020年二季度累计"] {
        let e = err(&[("facts.csv", &format!("region,period,indicator,value\na,2020年2月,sales,15\na,{p},sales,45\n"))]);
        assert!(e.contains(&format!("facts.csv:3:2: period \"{p}\" is cumulative (累计, from the start of 2020 through 2020")), "{e}");
        assert!(e.contains("add `cumulative = true` to this file's [[data.facts]] entry"), "{e}");
    }
    let toml = "[workspace]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
                [[data.facts]]\nfile = \"facts.csv\"\ncumulative = true\n";
    let facts = "region,period,indicator,value\na,2021年1月累计,sales,12\na,2021年2月累计,sales,30\na,2021年累计3月,sales,54\n\
                 b,2021年3月（累计）,sales,20\n";
    let (_d, ws) = workspace(&[("yearbook.toml", toml), ("facts.csv", facts)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(cumulative.sales, \"a\", \"2021-03\")"), 54.0);
    assert_eq!(value(&ws, "at(cumulative.sales, \"a\", \"2021-01\")"), 12.0);
    assert_eq!(value(&ws, "at(cumulative.sales, \"b\", \"2021-03\")"), 20.0);
    // March's own figure is 1-3月 less 1-2月: 54 - 30.
    assert_eq!(value(&ws, "at(month_of(cumulative.sales), \"a\", \"2021-03\")"), 24.0);
}

/// A roll-up weighted by itself, or two indicators weighting each other, is a cycle named
/// at the rollup cell (it overflowed the stack).
#[test]
fn a_cycle_of_rollup_weights_is_named_at_its_cell() {
    let facts = ("facts.csv", "region,year,indicator,value\na,2008,sales,1\n");
    let self_weighted = "code,label,unit,kind,rollup\nsales,销售额,万元,flow,weighted_mean(sales)\n";
    assert_eq!(
        err(&[facts, ("indicators.csv", self_weighted)]),
        "indicators.csv:2:5: indicators form a cycle of roll-up weights: sales -> sales (\"sales\" is weighted by itself; rollup = \
         weighted_mean(sales)); weight \"sales\" by an indicator that rolls up by sum (a population, an output), or give \"sales\" \
         rollup = sum"
    );
    let each_other =
        "code,label,unit,kind,rollup\nsales,销售额,万元,flow,sum\ny,乙,%,rate,weighted_mean(z)\nz,丙,人,stock,weighted_mean(y)\n";
    assert_eq!(
        err(&[facts, ("indicators.csv", each_other)]),
        "indicators.csv:3:5: indicators form a cycle of roll-up weights: y -> z -> y (weighted \"y\" by \"z\", \"z\" by \"y\"; rollup = \
         weighted_mean(z)); weight \"y\" by an indicator that rolls up by sum (a population, an output), or give \"z\" rollup = sum"
    );
}

/// A UTF-8 file declared GBK read as mojibake regions; a code Excel shortened to
/// 3.30421E+11 was an unknown region without a cause.
#[test]
fn utf8_declared_gbk_and_excel_shortened_codes_say_the_cause() {
    let toml =
        "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\nencoding = \"gbk\"\n";
    assert_eq!(
        err(&[("yearbook.toml", toml), ("facts.csv", "region,year,indicator,value\n甲镇,2008,sales,1\n")]),
        "facts.csv:2:1: the file looks like UTF-8, not GBK: its bytes are valid UTF-8 and read as Chinese text (the first of it \
         here); remove `encoding = \"gbk\"` from this file's entry in the config"
    );
    assert_eq!(
        err(&[("facts.csv", "region,year,indicator,value\n3.30421E+11,2008,sales,1\n")]),
        "facts.csv:2:1: unknown region \"3.30421E+11\": Excel shortened a long region code to scientific notation (it reads as \
         330421000000; the digits after the first 6 are lost); the code column must be formatted as text: in Excel set the \
         column's format to Text before the codes are pasted or imported, then save the file again (or give region names instead)"
    );
}

/// The loader's common-row path (region after the previous row's in the regions file's
/// order, bare years, plain decimals) and the general one give the same values and the
/// same errors, whatever the order of the rows.
#[test]
fn common_rows_and_general_rows_read_alike() {
    let rows = [
        ("a", "2008", "0.1"),
        ("a", "2009", "12.30"),
        ("a", "2010", "1e3"),
        ("b", "2008", "+4"),
        ("b", "2009", " 5 "),
        ("b", "2010", "-0.0"),
        ("c", "2008", "7"),
        ("a", "2011", "9007199254740990"),
    ];
    let expect: [f64; 8] = [0.1, 12.3, 1000.0, 4.0, 5.0, -0.0, 7.0, 9007199254740990.0];
    for order in [[0, 1, 2, 3, 4, 5, 6, 7], [7, 6, 5, 4, 3, 2, 1, 0], [3, 0, 6, 4, 1, 7, 5, 2]] {
        let mut facts = String::from("region,year,indicator,value\n");
        for &k in &order {
            let (r, y, v) = rows[k];
            facts += &format!("{r},{y},sales,{v}\n");
        }
        let (_d, ws) = workspace(&[("facts.csv", &facts)]);
        let ws = ws.unwrap();
        for (k, (r, y, _)) in rows.iter().enumerate() {
            assert_eq!(value(&ws, &format!("at(sales, \"{r}\", {y})")).to_bits(), expect[k].to_bits(), "{r} {y} in order {order:?}");
        }
    }
    // A repeated key between common rows: the later line is named.
    let facts = "region,year,indicator,value\na,2008,sales,1\na,2009,sales,2\nb,2008,sales,3\nb,2009,sales,4\nb,2009,sales,5\n";
    let (_d, ws) = workspace(&[("facts.csv", facts)]);
    let e = ws.err().unwrap().to_string();
    assert!(e.ends_with("/facts.csv:6:1: duplicate fact for (b, 2009, sales): first given at line 5"), "{e}");
}

/// Units where offices write them: the value column's header (数值(万元)), a unit cell
/// with a price basis (万元（当年价）) both convert to the indicator's 亿元; a unit row
/// naming a magnitude alone (单位：万) is refused, not read as the indicator's unit.
#[test]
fn units_in_value_headers_and_unit_cells_with_a_price_basis() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\na,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    let open = |facts: &str, extra: &str| {
        w("facts.csv", facts);
        w(
            "yearbook.toml",
            &format!("[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n{extra}"),
        );
        yearbook::Workspace::open(&d.path().join("yearbook.toml"), None)
    };
    for (facts, extra) in [
        ("地区,年份,指标,数值(万元)\na,2021,gdp,123456\n", ""),
        ("地区,年份,指标,数值(万元)\na,2021,gdp,123456\n", "columns = { value = \"数值(万元)\" }\n"),
        ("地区,年份,指标,数值,计量单位\na,2021,gdp,123456,万元（当年价）\n", ""),
    ] {
        let ws = open(facts, extra).unwrap_or_else(|e| panic!("{facts}: {e}"));
        assert!((value(&ws, "at(gdp, \"a\", 2021)") - 12.3456).abs() < 1e-12, "{facts}");
    }
    let e = open("单位：万\n地区,年份,指标,数值\na,2021,gdp,123456\n", "").err().unwrap().to_string();
    assert!(e.contains("the unit row \"单位：万\" names a unit yearbook does not read"), "{e}");
}

/// A unit in the value column's header written with its label, as Chinese tables do
/// (数值（单位：万元）, 数值(计量单位：万元)), is the figures' unit: 15000 万元 loads as 1.5
/// 亿元, never as 15000 亿元. So is a unit row without its colon (单位万元) or a unit alone
/// on its row (万元). A header unit yearbook does not read (万元/年) is refused at the header.
#[test]
fn labelled_units_in_value_headers_and_bare_unit_rows_convert() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\na,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    let open = |facts: &str, extra: &str| {
        w("facts.csv", facts);
        w(
            "yearbook.toml",
            &format!("[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n{extra}"),
        );
        yearbook::Workspace::open(&d.path().join("yearbook.toml"), None)
    };
    for (head, extra) in [
        ("地区,年份,指标,数值（单位：万元）", ""),
        ("地区,年份,指标,数值(单位:万元)", ""),
        ("地区,年份,指标,数值（计量单位：万元）", ""),
        ("地区,年份,指标,数值(单位 万元)", ""),
        ("地区,年份,指标,值(万元)", ""),
        ("地区,年份,指标,数值（万元）", ""),
        ("地区,年份,指标,本年实际（单位：万元）", "columns = { value = \"本年实际（单位：万元）\" }\n"),
        ("单位万元,,,\n地区,年份,指标,数值", ""),
        ("万元,,,\n地区,年份,指标,数值", ""),
    ] {
        let ws = open(&format!("{head}\na,2021,gdp,15000\n"), extra).unwrap_or_else(|e| panic!("{head}: {e}"));
        assert_eq!(value(&ws, "at(gdp, \"a\", 2021)"), 1.5, "{head}");
    }
    let e = open("地区,年份,指标,数值（万元/年）\na,2021,gdp,15000\n", "").err().unwrap().to_string();
    assert!(
        e.ends_with(
            "facts.csv:1:4: the value column's header \"数值（万元/年）\" names a unit yearbook does not read (\"万元/年\"): write the \
             unit alone in the brackets, as 数值（万元） or 数值（单位：万元）, or give each figure's unit in a 计量单位 column; a unit \
             left unread would leave every figure in its indicator's unit"
        ),
        "{e}"
    );
}

/// Grain in 吨 from files that give it in 斤, 万斤 or kg (a title's 单位：斤, a header's
/// 数值（万斤）): converted (2000 万斤 = 10000 吨). A file unit yearbook does not read at
/// all (单位：担) is refused: the figures stayed in 吨 silently.
#[test]
fn grain_in_jin_converts_and_an_unknown_file_unit_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\na,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngrain,粮食产量,吨,flow,sum\n");
    w("yearbook.toml", "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n");
    let open = |facts: &str| {
        w("facts.csv", facts);
        yearbook::Workspace::open(&d.path().join("yearbook.toml"), None)
    };
    for (facts, want) in [
        ("地区,年份,指标,数值（万斤）\na,2021,grain,2000\n", 10000.0),
        ("单位：斤\n地区,年份,指标,数值\na,2021,grain,2000\n", 1.0),
        ("单位：kg\n地区,年份,指标,数值\na,2021,grain,2000\n", 2.0),
        ("地区,年份,指标,数值,计量单位\na,2021,grain,2000,市斤\n", 1.0),
    ] {
        let ws = open(facts).unwrap_or_else(|e| panic!("{facts}: {e}"));
        assert!((value(&ws, "at(grain, \"a\", 2021)") - want).abs() < 1e-9, "{facts}");
    }
    let e = open("单位：担\n地区,年份,指标,数值\na,2021,grain,2000\n").err().unwrap().to_string();
    assert!(e.contains("the file gives its figures in 担, a unit yearbook does not read, so grain (吨) would stay in 吨"), "{e}");
}

/// A ledger's codes written with Excel's text prefix (`'001`, `'913300001111111113`) are
/// the codes: the apostrophe was kept, so `seq == "001"` counted nothing and one credit
/// code written both ways made two groups. An apostrophe in words (`'s`) stays.
#[test]
fn codes_written_with_excels_text_prefix_are_the_codes() {
    let table = "seq,credit_code,note,amt\n'001,'913300001111111113,'s,10\n002,913300001111111113,x,20\n";
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\n");
    w("indicators.csv", "code,label,unit\nx,X,万元\n");
    w("t.csv", table);
    w("yearbook.toml", "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[data.tables]\nt = \"t.csv\"\n");
    let (code, out, err) =
        cli_in(d.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "table(\"t\").group_by(\"credit_code\").sum(\"amt\")"]);
    assert_eq!((code, out.trim()), (0, "credit_code,sum_amt\n913300001111111113,30"), "{err}");
    let (_, out, _) =
        cli_in(d.path(), &["eval", "-c", "yearbook.toml", "table(\"t\").filter(|e| e.seq == \"001\" && e.note == \"'s\").count()"]);
    assert_eq!(out.trim(), "1");
}

/// A namespace's facts given in another unit of their indicator's dimension (a plan in
/// 亿元 of a revenue in 万元) are converted into it, keeping its kind and roll-up: the
/// county's plan is its towns' 0.1 + 0.35 = 0.45亿元 (4500万元) and its completion 4200 / 4500 = 93.33%, which fails
/// its rule (it was read as a rate that does not roll up, and the county was not
/// evaluable). A growth in % beside a level in 万元 is still a rate of its own.
#[test]
fn a_namespace_in_another_unit_of_its_dimension_rolls_up() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\nrev,财政收入,万元,flow,sum\ngdp,地区生产总值,亿元,flow,sum\n");
    w("plan_gdp.csv", "region,period,indicator,value\nt1,2024,gdp,50000\n");
    w("facts.csv", "region,period,indicator,value\nt1,2024,rev,1200\nt2,2024,rev,3000\n");
    w("plan.csv", "region,period,indicator,value\nt1,2024,rev,0.1\nt2,2024,rev,0.35\n");
    w("growth.csv", "region,period,indicator,value\nt1,2024,rev,5\nt2,2024,rev,7\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nregion = \"c\"\nperiod = \"2024\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
         [[data.facts]]\nfile = \"plan.csv\"\nnamespace = \"plan\"\nunit = \"亿元\"\n\
         [[data.facts]]\nfile = \"plan_gdp.csv\"\nnamespace = \"plan\"\nunit = \"万元\"\n\
         [[data.facts]]\nfile = \"growth.csv\"\nnamespace = \"reported_yoy\"\nunit = \"%\"\n\
         [indicators.comp]\nunit = \"%\"\nexpr = \"pct(completion(rev, plan.rev))\"\n\
         [rules.comp_ok]\ncheck = \"comp >= 100\"\nlevels = [\"town\", \"county\"]\nvalues = { c = \"comp\" }\nmessage = \"{region}完成计划{c}\"\n",
    );
    let (code, out, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "rollup(plan.rev, \"county\")"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nc,某县,2024,4500,万元\n"), "{err}");
    // A second file of the namespace keeps its own unit: 50000万元 is 5亿元 (it was read
    // in the first file's 亿元, and the other way round a target 10000 times too large).
    let (code, out, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "plan.gdp"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nt1,甲镇,2024,5,亿元\n"), "{err}");
    let (code, _, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "rollup(reported_yoy.rev, \"county\")"]);
    assert_eq!(code, 2);
    assert!(err.contains("`reported_yoy.rev` (rate) has rollup = none"), "{err}");
    let (code, _, err) = cli_in(dir.path(), &["run", "-c", "yearbook.toml", "--out", "out"]);
    assert_eq!(code, 1, "{err}");
    let findings = std::fs::read_to_string(dir.path().join("out/findings.csv")).unwrap();
    assert!(findings.contains("comp_ok,error,fail,c,某县,2024,,某县完成计划93.33%\n"), "{findings}");
    assert!(findings.contains("comp_ok,error,fail,t2,乙镇,2024,,乙镇完成计划85.71%\n"), "{findings}");
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    assert!(summary.contains("comp_ok,error,3,1,2,0,0,"), "{summary}");
}

/// A facts entry without a namespace that names its file's unit of an amount (towns'
/// figures sent in 亿元) converts them into each indicator's own (review33 01: the unit was
/// ignored there, 1.5亿元 read as 1.5万元 and the county as 3.75 for 37500); units under
/// the header stay the file's own.
#[test]
fn a_facts_entry_without_a_namespace_converts_from_its_unit() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\n");
    w("facts_yi.csv", "region,period,indicator,value\nt1,2021,gdp,1.5\nt2,2021,gdp,2.25\n");
    let toml = |unit: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"facts_yi.csv\"\nunit = \"{unit}\"\n"
        )
    };
    w("yearbook.toml", &toml("亿元"));
    let (code, out, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "rollup(gdp, \"county\")"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nc1,某县,2021,37500,万元\n"), "{err}");
    let (code, out, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "gdp"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nt1,甲镇,2021,15000,万元\nt2,乙镇,2021,22500,万元\n"), "{err}");
    // A unit of another dimension is refused as a unit row of it is.
    w("yearbook.toml", &toml("吨"));
    let (code, _, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "gdp"]);
    assert_eq!(code, 2);
    assert!(err.contains("the file gives its figures in 吨"), "{err}");
    // A unit of figures of another kind (%) without a namespace is the indicators' own
    // concern (城镇化率 in %): taken as before, not refused (review35 04).
    w("yearbook.toml", &toml("%"));
    let (code, _, err) = cli_in(dir.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 0, "{err}");
    // Units under the header are the file's own: unit = "万元" does not replace (万人)
    // there (review35 03: 3万人 read as 3人).
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\npop,年末总人口,人,stock,sum\n");
    w("facts_yi.csv", "region,period,indicator,value\n,,,(万人)\nt1,2021,pop,3\nt2,2021,pop,2.5\n");
    w("yearbook.toml", &toml("万元"));
    let (code, out, err) = cli_in(dir.path(), &["eval", "-c", "yearbook.toml", "--format", "csv", "rollup(pop, \"county\")"]);
    assert_eq!((code, out.as_str()), (0, "region,name,period,value,unit\nc1,某县,2021,55000,人\n"), "{err}");
}

/// A value column headed 累计 (本年累计, 累计值, 1-6月累计) holds 1-N月累计 figures: on a
/// monthly panel, in a file not declared `cumulative`, it is refused at its header (its
/// figures loaded as each month's own, so that 12 + 30 summed to 42 for a half year of 30).
/// `cumulative = true` reads it as 累计; `cumulative = false` keeps the figures as they are;
/// a yearly panel's 累计 is the year's own figure; a 累计增长 column is a rate.
#[test]
fn a_value_column_headed_leiji_needs_cumulative_said() {
    let facts = |h: &str| format!("region,period,indicator,{h}\na,2021-01,sales,12\na,2021-02,sales,30\n");
    let entry = |h: &str, extra: &str| {
        format!(
            "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             columns = {{ value = \"{h}\" }}\n{extra}"
        )
    };
    for (h, extra) in [
        ("累计值", ""),
        ("本年累计", ""),
        ("1-6月累计（万元）", ""),
        ("累计数", "header_row = 1\n"),
        ("累\u{3000}计", ""),
        ("1-3月", ""),
        ("1-3月累計", ""),
        ("累计增加值", ""),
        ("累计新增", ""),
        ("累计增长额", ""),
    ] {
        let (_d, ws) = workspace(&[("yearbook.toml", &entry(h, extra)), ("facts.csv", &facts(h))]);
        let e = ws.err().unwrap().to_string();
        assert!(
            e.ends_with(&format!(
                "/facts.csv:1:4: the value column \"{h}\" holds 累计 figures (1-N月累计), but this file's [[data.facts]] entry does \
                 not say so: on a monthly panel they would load as each month's own figure, and sums over the months, month_of \
                 and 当月 figures would be wrong; add `cumulative = true` to the entry (its facts load as \
                 cumulative.<indicator>, or under its namespace), or `cumulative = false` if the column holds single-month \
                 figures all the same"
            )),
            "{e}"
        );
    }
    // Said: 累计 figures (February's own is 30 - 12), or single months' (the sum is 42).
    let (_d, ws) = workspace(&[("yearbook.toml", &entry("累计值", "cumulative = true\n")), ("facts.csv", &facts("累计值"))]);
    assert_eq!(value(&ws.unwrap(), "at(month_of(cumulative.sales), \"a\", \"2021-02\")"), 18.0);
    let (_d, ws) = workspace(&[("yearbook.toml", &entry("累计值", "cumulative = false\n")), ("facts.csv", &facts("累计值"))]);
    assert_eq!(value(&ws.unwrap(), "at(sales, \"a\", \"2021-02\")"), 30.0);
    // A year's 累计 is the year's figure; a 累计增长 column is a growth, not a 累计 amount.
    let yearly = "region,year,indicator,本年累计\na,2020,sales,100\na,2021,sales,120\n";
    let (_d, ws) = workspace(&[("yearbook.toml", &entry("本年累计", "")), ("facts.csv", yearly)]);
    assert_eq!(value(&ws.unwrap(), "at(sales, \"a\", \"2021\")"), 120.0);
    for h in ["累计增长", "累计增速", "累计同比", "累计完成率"] {
        let (_d, ws) = workspace(&[("yearbook.toml", &entry(h, "")), ("facts.csv", &facts(h))]);
        assert_eq!(value(&ws.unwrap(), "at(sales, \"a\", \"2021-02\")"), 30.0, "{h}");
    }
}
