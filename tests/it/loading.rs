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
