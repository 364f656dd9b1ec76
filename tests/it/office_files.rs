//! Files as statistics offices have them (issue 13): period spellings, yearbook symbols,
//! identifier columns, title/unit rows above the header, notes below, merged cells.

use crate::common::*;

const REGIONS: &str = "code,name,level,parent\ncn,全国,country,\nc1,某县,county,cn\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n";
const INDICATORS: &str = "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\npop,年末总人口,万人,stock,sum\n";

/// A workspace of the regions and indicators above, one facts entry (`entry` is the
/// TOML body after `[[data.facts]]`), and the given files.
fn open(entry: &str, files: &[(&str, &[u8])]) -> (tempfile::TempDir, Result<yearbook::Workspace, yearbook::Error>) {
    let d = tempfile::tempdir().unwrap();
    let toml = format!(
        "[workspace]\nlevels = [\"country\", \"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\n{entry}\n"
    );
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    std::fs::write(d.path().join("regions.csv"), REGIONS).unwrap();
    std::fs::write(d.path().join("indicators.csv"), INDICATORS).unwrap();
    for (n, t) in files {
        std::fs::write(d.path().join(n), t).unwrap();
    }
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None);
    (d, ws)
}

fn facts(period: &str, value: &str) -> String {
    format!("region,period,indicator,value\nt1,{period},gdp,{value}\n")
}

fn err(r: Result<yearbook::Workspace, yearbook::Error>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn period_spellings_load_as_their_period() {
    for (spelled, canonical) in [
        ("1978年", "1978"),
        ("１９７８年", "1978"),
        ("2020年3月", "2020-03"),
        ("202003", "2020-03"),
        ("2020-03", "2020-03"),
        ("2020/3", "2020-03"),
        ("２０２０年３月", "2020-03"),
        ("2020Q1", "2020Q1"),
        ("2020年一季度", "2020Q1"),
        ("2020年第一季度", "2020Q1"),
        ("2020年第3季度", "2020Q3"),
    ] {
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", facts(spelled, "7").as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{spelled}: {e}"));
        assert_eq!(value(&ws, &format!("at(gdp, \"t1\", \"{canonical}\")")), 7.0, "{spelled}");
    }
}

#[test]
fn nian_years_on_the_fast_path_with_many_rows() {
    let mut f = String::from("region,year,indicator,value\n");
    for y in 1978..2020 {
        f += &format!("t1,{y}年,gdp,{y}\nt2,{y}年,gdp,1\n");
    }
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 1999)"), 1999.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 1978)"), 1.0);
    assert_eq!(ws.panel().periods().len, 42);
}

#[test]
fn cumulative_periods_are_refused_without_the_key() {
    for p in ["2020年1-3月", "2020年上半年", "2020年前三季度"] {
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", facts(p, "7").as_bytes())]);
        let e = err(ws);
        assert!(e.contains("facts.csv:2:2") && e.contains("cumulative = true"), "{p}: {e}");
    }
}

#[test]
fn cumulative_periods_load_as_their_own_facts() {
    let f = "region,period,indicator,value\nt1,2020年1-2月,gdp,5\nt1,2020年1-3月,gdp,9\nt1,2020年3月,gdp,9\n";
    let monthly = "region,period,indicator,value\nt1,2020-03,gdp,4\n";
    let entry = "file = \"ytd.csv\"\ncumulative = true\n[[data.facts]]\nfile = \"monthly.csv\"";
    let (_d, ws) = open(entry, &[("ytd.csv", f.as_bytes()), ("monthly.csv", monthly.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("duplicate fact") && e.contains("cumulative.gdp"), "{e}");
    let f = "region,period,indicator,value\nt1,2020年1-2月,gdp,5\nt1,2020年1-3月,gdp,9\n";
    let (_d, ws) = open(entry, &[("ytd.csv", f.as_bytes()), ("monthly.csv", monthly.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(cumulative.gdp, \"t1\", \"2020-03\")"), 9.0);
    assert_eq!(value(&ws, "at(cumulative.gdp, \"t1\", \"2020-02\")"), 5.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2020-03\")"), 4.0);
    // 上半年 is cumulative through the second quarter.
    let (_d, ws) =
        open("file = \"h.csv\"\ncumulative = true\nnamespace = \"ytd_reported\"", &[("h.csv", facts("2020年上半年", "3").as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(ytd_reported.gdp, \"t1\", \"2020Q2\")"), 3.0);
}

#[test]
fn periods_without_a_year_take_the_files_year() {
    let f = "region,period,indicator,value\nt1,1-3月,gdp,9\nt1,1-4月,gdp,12\n";
    let (_d, ws) = open("file = \"f.csv\"\ncumulative = true\nyear = 2021", &[("f.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(cumulative.gdp, \"t1\", \"2021-04\")"), 12.0);
    let (_d, ws) = open("file = \"f.csv\"", &[("f.csv", facts("3月", "1").as_bytes())]);
    assert!(err(ws).contains("`year = 2020`"));
}

/// Each yearbook symbol for "no figure" reads as missing: the fact is there (a second
/// one for the key is a duplicate) but holds no number.
#[test]
fn yearbook_symbols_read_as_missing() {
    for sym in ["…", "……", "...", "—", "——", "-", "－", "--"] {
        let f = format!("region,period,indicator,value\nt1,2021,gdp,{sym}\nt2,2021,gdp,1.5\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{sym}: {e}"));
        assert!(value(&ws, "only(gdp, \"t1\")").is_nan(), "{sym}");
        assert_eq!(value(&ws, "only(gdp, \"t2\")"), 1.5, "{sym}");
    }
}

#[test]
fn footnote_marks_are_read_off_and_kept_as_flags() {
    for (written, mark) in [("3.2*", "*"), ("3.2#", "#"), ("3.2①", "①"), ("3.2⑩", "⑩"), ("3.2⑳", "⑳"), ("３．２ ②", "②")]
    {
        let f = format!("region,period,indicator,value\nt1,2021,gdp,{written}\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(value(&ws, "only(gdp, \"t1\")"), 3.2, "{written}");
        let p = ws.panel();
        let t1 = p.axes.regions.id_of_code(b"t1").unwrap() as usize;
        assert_eq!(p.flag(p.indicator("gdp").unwrap(), t1), Some(mark), "{written}");
    }
    // With a flag column, both are kept.
    let f = "region,period,indicator,value,flag\nt1,2021,gdp,3.2*,estimate\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    let p = ws.panel();
    let t1 = p.axes.regions.id_of_code(b"t1").unwrap() as usize;
    assert_eq!(p.flag(p.indicator("gdp").unwrap(), t1), Some("estimate *"));
    // A mark with no number, or two marks, is refused at its field.
    for bad in ["*", "3.2**"] {
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", facts("2021", bad).as_bytes())]);
        assert!(err(ws).contains("facts.csv:2:4"), "{bad}");
    }
}

#[test]
fn identifier_columns_stay_text() {
    let ledger = "seq,credit_code,village_code,output\n001,913300001111111111,330421101201,1200\n002,913300001111111112,330421101201,800\n003,913300001111111113,033042110120,50\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nledger = \"ledger.csv\"\ntyped = { file = \"ledger.csv\", types = { village_code = \"text\", seq = \"number\" } }";
    let (d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ledger.csv", ledger.as_bytes())]);
    let ws = ws.unwrap();
    let cfg = yearbook::config::ConfigFile::load(&d.path().join("yearbook.toml")).unwrap();
    let tables = yearbook::load::load(&cfg, None, false).unwrap().tables;
    let t = &tables["ledger"];
    for (col, want) in [("seq", "003"), ("credit_code", "913300001111111113"), ("village_code", "033042110120")] {
        let c = t.column_names().iter().position(|n| *n == col).unwrap();
        assert_eq!(t.cell_text(c, 2), want, "{col}");
    }
    assert_eq!(t.groups("credit_code").unwrap().len(), 3);
    assert_eq!(t.numbers("output").unwrap(), &[1200.0, 800.0, 50.0]);
    assert_eq!(value(&ws, "table(\"ledger\").filter(|e| e.seq == \"001\").count()"), 1.0);
    // Declared: village_code is text even where it has no leading zero; seq is a number.
    let typed = &tables["typed"];
    assert!(typed.numbers("village_code").is_err());
    assert_eq!(typed.numbers("seq").unwrap(), &[1.0, 2.0, 3.0]);
    let bad = "file = \"facts.csv\"\n[data.tables]\nt = { file = \"ledger.csv\", types = { seq = \"date\" } }";
    let (_d, ws) = open(bad, &[("facts.csv", facts("2021", "1").as_bytes()), ("ledger.csv", ledger.as_bytes())]);
    assert!(err(ws).contains("unknown column type \"date\""));
}

#[test]
fn region_codes_with_leading_zeros_match_as_written() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("yearbook.toml"),
        "[workspace]\nlevels = [\"town\", \"village\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("regions.csv"),
        "code,name,level,parent\n033042110,甲镇,town,\n033042110120,甲村,village,033042110\n33042110120,乙村,village,033042110\n",
    )
    .unwrap();
    std::fs::write(d.path().join("indicators.csv"), INDICATORS).unwrap();
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\n033042110120,2021,gdp,5\n33042110120,2021,gdp,7\n").unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "only(gdp, \"033042110120\")"), 5.0);
    assert_eq!(value(&ws, "only(gdp, \"甲村\")"), 5.0);
    assert_eq!(value(&ws, "only(gdp, \"乙村\")"), 7.0);
}

#[test]
fn csv_title_and_unit_rows_above_the_header_and_notes_below() {
    let f = "表1 各镇主要经济指标(2021年),,,\n单位：万元,,,\n地区,年份,指标,数值\nt1,2021年,gdp,77500\nt2,2021年,gdp,64000\n注：本表为快报数。,,,\n资料来源：县统计局\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "only(gdp, \"t2\")"), 64000.0);
    assert_eq!(value(&ws, "only(gdp, \"t1\")"), 77500.0);
    // header_row points at it; a wrong one says what the rows hold.
    let (_d, ws) = open("file = \"facts.csv\"\nheader_row = 3", &[("facts.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 77500.0);
    let (_d, ws) = open("file = \"facts.csv\"\nheader_row = 2", &[("facts.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("facts.csv:2") && e.contains("header read from row 2") && !e.contains("did you mean ``"), "{e}");
    let (_d, ws) = open("file = \"facts.csv\"\nheader_row = 0", &[("facts.csv", f.as_bytes())]);
    assert!(err(ws).contains("header_row counts from 1"));
}

#[test]
fn notes_below_a_long_csv_on_the_fast_path() {
    let mut f = String::from("region,period,indicator,value\n");
    for y in 1990..2021 {
        f += &format!("t1,{y},gdp,{y}\nt2,{y},gdp,1\n");
    }
    f += "注：1. 本表为快报数。\n2. 按当年价格计算。\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2020)"), 2020.0);
    assert_eq!(ws.panel().periods().len, 31);
    // A region named like a note word is data.
    let g = "region,period,indicator,value\nt1,2021,gdp,1\n注溪镇,2021,gdp,2\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", g.as_bytes())]);
    assert!(err(ws).contains("unknown region \"注溪镇\""));
}

#[test]
fn xlsx_title_rows_found_or_pointed_at() {
    let x = std::fs::read(root().join("tests/fixtures/title_rows.xlsx")).unwrap();
    for entry in ["file = \"f.xlsx\"\nsheet = \"表1\"", "file = \"f.xlsx\"\nheader_row = 3"] {
        let (_d, ws) = open(entry, &[("f.xlsx", &x)]);
        let ws = ws.unwrap_or_else(|e| panic!("{entry}: {e}"));
        assert_eq!(value(&ws, "only(gdp, \"t1\")"), 77500.0);
        assert_eq!(value(&ws, "only(gdp, \"t2\")"), 64000.0);
    }
    let (_d, ws) = open("file = \"f.xlsx\"\nheader_row = 1", &[("f.xlsx", &x)]);
    let e = err(ws);
    assert!(e.contains("[表1]:1") && e.contains("header_row = N") && !e.contains("did you mean ``"), "{e}");
}

#[test]
fn xlsx_merged_cells_filled_and_notes_dropped() {
    let x = std::fs::read(root().join("tests/fixtures/title_merged_notes.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"", &[("f.xlsx", &x)]);
    let ws = ws.unwrap();
    // t1 is merged over rows 4-5: the 2022 row is t1's.
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2022)"), 80000.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 77500.0);
    assert!(value(&ws, "at(gdp, \"t2\", 2021)").is_nan());
    let p = ws.panel();
    let cell = p.axes.periods.index(yearbook::period::Period::year(2022)).unwrap() * p.axes.regions.len()
        + p.axes.regions.id_of_code(b"t1").unwrap() as usize;
    assert_eq!(p.flag(p.indicator("gdp").unwrap(), cell), Some("*"));
}
