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
        ("2020-03-01", "2020-03"),
        ("2020年3月1日", "2020-03"),
        ("2020年末", "2020"),
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

/// A ledger column read as text because of a percentage (12.5%) or a code-like 1e3 says
/// which record and what to write; it said "has a % sign but the indicator's unit is not
/// %" (there is no indicator) and, of 1e3, nothing at all.
#[test]
fn a_ledger_column_read_as_text_says_which_cell_and_why() {
    let entry = "file = \"facts.csv\"\n[data.tables]\np = \"p.csv\"\nq = \"q.csv\"";
    let p = "项目,完成率\nA,12.5%\nB,50%\n";
    let q = "项目,投资额\nA,100\nB,1e3\nC,20\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("p.csv", p.as_bytes()), ("q.csv", q.as_bytes())]);
    let ws = ws.unwrap();
    let e = ws.eval("table(\"p\").sum(\"完成率\")").err().expect("refused").to_string();
    assert!(
        e.contains(
            "column `完成率` of table `p` is text, not numbers: its record 1 holds \"12.5%\", a figure with a % sign; write the \
             column's figures without it and the unit in the header (完成率（%）)"
        ),
        "{e}"
    );
    let e = ws.eval("table(\"q\").sum(\"投资额\")").err().expect("refused").to_string();
    assert!(e.contains("its record 2 holds \"1e3\", digits, E and digits"), "{e}");
    assert!(e.contains("write the figure in full (1000), or declare the column a number (types = { \"投资额\" = \"number\" }"), "{e}");
}

/// A record table whose file gives its unit (a 单位：亿元 row, or 投资（亿元） in the header)
/// keeps it on its sums: `share_pct(t.sum(c), gdp)` of 0.3 + 0.2亿元 against 8000万元 is
/// 62.5 (the sum was read as 0.5万元: 0.00625), and `amount(t.sum(c), "万元")` is refused
/// where the file says 亿元. A column whose header names no unit takes none from another's.
#[test]
fn a_record_tables_unit_goes_with_its_sums() {
    let entry = "file = \"facts.csv\"\n[data.tables]\np = \"p.csv\"\nq = \"q.csv\"";
    let p = "重点项目台账\n单位：亿元\n序号,region,name,invest\n1,t1,道路A,0.3\n2,t1,桥梁B,0.2\n";
    let q = "序号,region,name,投资（亿元）,项目数\n1,t1,道路A,0.3,2\n2,t1,桥梁B,0.2,1\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "8000").as_bytes()), ("p.csv", p.as_bytes()), ("q.csv", q.as_bytes())]);
    let ws = ws.unwrap();
    for e in [
        "at(share_pct(table(\"p\").sum(\"invest\"), gdp), \"t1\", 2021)",
        "at(share_pct(table(\"q\").sum(\"投资（亿元）\"), gdp), \"t1\", 2021)",
        "{ let s = table(\"q\").sum(\"投资（亿元）\"); at(share(s, gdp), \"t1\", 2021) * 100 }",
        "at(share_pct(amount(table(\"p\").sum(\"invest\"), \"亿元\"), gdp), \"t1\", 2021)",
    ] {
        assert!((value(&ws, e) - 62.5).abs() < 1e-9, "{e}: {}", value(&ws, e));
    }
    let e = ws.eval("amount(table(\"q\").sum(\"投资（亿元）\"), \"万元\")").err().expect("refused").to_string();
    assert!(
        e.contains(
            "amount(x, \"万元\"): x is a table's figure in 亿元 (its column's header, the row of units under it or the table's \
             unit row says so), not in 万元: write amount(x, \"亿元\"), or convert it with to(amount(x, \"亿元\"), \"万元\")"
        ),
        "{e}"
    );
    // And beside a series through an operator (inputs16 03: 0.5亿元 + 8000万元 was 8000.5,
    // 8000 > 0.5亿元 true, 0.5亿元 / 8000万元 0.0000625): converted as two series are.
    for (e, want) in [
        ("at(gdp + table(\"q\").sum(\"投资（亿元）\"), \"t1\", 2021)", 13000.0),
        ("at(table(\"q\").sum(\"投资（亿元）\") + gdp, \"t1\", 2021)", 1.3),
        ("at(gdp - table(\"p\").sum(\"invest\"), \"t1\", 2021)", 3000.0),
        ("at(table(\"q\").sum(\"投资（亿元）\") / gdp, \"t1\", 2021)", 0.625),
        ("at(gdp > table(\"q\").sum(\"投资（亿元）\"), \"t1\", 2021)", 1.0),
        // A multiple of it stays in 亿元 (it was a plain 1, and 8000万元 < 1 false): 1亿元.
        ("at(gdp < table(\"q\").sum(\"投资（亿元）\") * 2, \"t1\", 2021)", 1.0),
        // `where` choosing it (fixes17 02: 0.5 read as 0.5万元), either side.
        ("at(where(gdp > 10000, gdp, table(\"q\").sum(\"投资（亿元）\")), \"t1\", 2021)", 5000.0),
        ("at(share(where(gdp > 0, table(\"q\").sum(\"投资（亿元）\"), gdp), gdp), \"t1\", 2021)", 0.625),
        // A plain number is in the series' unit, as before.
        ("at(gdp + 0.5, \"t1\", 2021)", 8000.5),
    ] {
        assert!((value(&ws, e) - want).abs() < 1e-9, "{e}: {}", value(&ws, e));
    }
    // A row of units under the header (inputs16 02: `,（亿元）` was dropped and its figures
    // read with no unit): the column's unit, as its header's brackets are.
    let r = "项目名称,region,总投资\n,,（亿元）\n道路A,t1,0.3\n桥梁B,t1,0.2\n";
    let (_d2, ws2) = open(
        "file = \"facts.csv\"\n[data.tables]\nr = \"r.csv\"",
        &[("facts.csv", facts("2021", "8000").as_bytes()), ("r.csv", r.as_bytes())],
    );
    let ws2 = ws2.unwrap();
    assert!((value(&ws2, "at(share_pct(table(\"r\").sum(\"总投资\"), gdp), \"t1\", 2021)") - 62.5).abs() < 1e-9);
    assert_eq!(value(&ws2, "table(\"r\").count()"), 2.0);
    // Under 单位：万元 above, a row of 亿元 under the header does not say which it is in.
    let r = "单位：万元\n项目名称,region,总投资\n,,（亿元）\n道路A,t1,0.3\n";
    let (_d3, ws3) = open(
        "file = \"facts.csv\"\n[data.tables]\nr = \"r.csv\"",
        &[("facts.csv", facts("2021", "8000").as_bytes()), ("r.csv", r.as_bytes())],
    );
    let e = ws3.err().expect("refused").to_string();
    assert!(e.contains("r.csv:3:3: "), "{e}");
    // Two table figures in their units (fixes17 02: 0.5亿元 + 8000万元 was 8000.5, and
    // 0.5亿元 > 8000万元 false): the right one read in the left one's unit.
    let (_d4, ws4) = open(
        "file = \"facts.csv\"\n[data.tables]\nq = \"q.csv\"\nm = \"m.csv\"",
        &[
            ("facts.csv", facts("2021", "8000").as_bytes()),
            ("q.csv", q.as_bytes()),
            ("m.csv", "序号,region,补偿（万元）,人数（人）\n1,t1,8000,12\n".as_bytes()),
        ],
    );
    let ws4 = ws4.unwrap();
    for (e, want) in [
        ("table(\"q\").sum(\"投资（亿元）\") + table(\"m\").sum(\"补偿（万元）\")", 1.3),
        ("table(\"m\").sum(\"补偿（万元）\") + table(\"q\").sum(\"投资（亿元）\")", 13000.0),
        ("table(\"q\").sum(\"投资（亿元）\") / table(\"m\").sum(\"补偿（万元）\")", 0.625),
        ("if table(\"q\").sum(\"投资（亿元）\") > table(\"m\").sum(\"补偿（万元）\") { 1 } else { 0 }", 0.0),
        ("at(gdp + table(\"q\").sum(\"投资（亿元）\") * 2, \"t1\", 2021)", 18000.0),
        // A power of ten converts by hand: a plain number, not the unit read again (the
        // review: 0.5亿元 * 10000 + 8000万元 was 5000.8).
        ("table(\"q\").sum(\"投资（亿元）\") * 10000 + table(\"m\").sum(\"补偿（万元）\")", 13000.0),
        ("table(\"m\").sum(\"补偿（万元）\") / 10000 + table(\"q\").sum(\"投资（亿元）\")", 1.3),
        ("at(share(table(\"q\").sum(\"投资（亿元）\") * 10000, gdp), \"t1\", 2021)", 0.625),
    ] {
        assert!((value(&ws4, e) - want).abs() < 1e-9, "{e}: {}", value(&ws4, e));
    }
    let e = ws4.eval("table(\"q\").sum(\"投资（亿元）\") + table(\"m\").sum(\"人数（人）\")").map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("`+` of a figure in 亿元 and one in 人: they are of different kinds and have no sum or order"), "{e}");
    // The sum is still the number the file gives; 项目数, with no unit of its own, carries none.
    assert_eq!(value(&ws, "table(\"q\").sum(\"投资（亿元）\")"), 0.5);
    assert_eq!(value(&ws, "amount(table(\"q\").sum(\"项目数\"), \"个\")"), 3.0);
}

/// An unknown region of a pasted cell thousands of characters long is named by its start
/// and length (the message echoed 300 KB), and no edit distance is taken of it (29 s).
#[test]
fn a_very_long_unknown_region_is_named_by_its_start() {
    let long = "镇".repeat(100_000);
    let f = format!("region,period,indicator,value\n{long},2021,gdp,1\n");
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(
        e.ends_with(&format!("facts.csv:2:1: unknown region \"{}…\" (100000 characters)", "镇".repeat(40))),
        "{}",
        &e[..e.len().min(300)]
    );
}

/// A figure written out with more significant digits than a figure keeps (15) is
/// refused at its cell: 12345678901234567 loaded as 12345678901234600 without a word.
#[test]
fn a_figure_of_more_than_15_significant_digits_is_refused() {
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", facts("2021", "12345678901234567").as_bytes())]);
    let e = err(ws);
    assert!(e.contains("facts.csv:2:4: value \"12345678901234567\" has 17 significant digits before its point"), "{e}");
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", facts("2021", "12345678901234500").as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 12345678901234500.0);
}

/// A column declared `number` (`types = { 投资额 = "number" }`) whose cell is not a
/// number (1.2万, 1200元, a typed l200, 1200%) is refused at its line and column. It read
/// as missing, so `sum` gave 50 where A's figure had dropped out without a word.
/// Blanks and missing symbols (—, x) stay missing; full-width digits are numbers.
#[test]
fn a_column_declared_number_refuses_a_cell_it_cannot_read() {
    let entry = "file = \"facts.csv\"\n[data.tables]\np = { file = \"p.csv\", types = { \"投资额\" = \"number\" } }";
    let table = |a: &str| format!("项目,投资额\nA,{a}\nB,50\n");
    let plain = |what: &str| {
        format!(
            "p.csv:2:2: column \"投资额\" of table `p` is declared a number (`types`), but value \"{what}\" is not a number: write \
             the figure as a plain number in the column's unit (1200元 as 1200 in 元, 0.12 in 万元), or leave the cell empty if it \
             has none; or declare the column \"text\""
        )
    };
    let e = err(open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("p.csv", table("1.2万").as_bytes())]).1);
    assert!(e.contains("p.csv:2:2: column \"投资额\" of table `p` is declared a number (`types`), but value \"1.2万\" is not a number: it has a magnitude (万) after the figure; write it as a plain number in its indicator's or column's unit (1.2万 is 1.2 in a unit of 万 such as 万元 or 万人, 12000 in one without such as 元 or 人)"), "{e}");
    for bad in ["1200元", "l200"] {
        let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("p.csv", table(bad).as_bytes())]);
        let e = err(ws);
        assert!(e.ends_with(&plain(bad)), "{e}");
    }
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("p.csv", table("1200%").as_bytes())]);
    let e = err(ws);
    assert!(
        e.ends_with(
            "p.csv:2:2: column \"投资额\" of table `p` is declared a number (`types`), but value \"1200%\" is written with a % \
             sign: write it as 1200 and the unit in the header (完成率（%）); or declare the column \"text\""
        ),
        "{e}"
    );
    for (ok, sum) in [("", 50.0), ("—", 50.0), ("x", 50.0), ("１２００", 1250.0), ("1200", 1250.0)] {
        let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("p.csv", table(ok).as_bytes())]);
        assert_eq!(value(&ws.unwrap(), "table(\"p\").sum(\"投资额\")"), sum, "{ok}");
    }
}

/// A code column of dotted numbers (编号 3.1 / 3.10 / 3.2) is text as written: 3.10 is
/// not 3.1, so three items stay three (3.1 = 100, 3.10 = 200, 3.2 = 50) and "3.10"
/// matches one row. A figure column of such numbers (金额) stays numbers.
#[test]
fn dotted_codes_under_a_code_header_stay_text() {
    let sec = "编号,名称,金额\n3.1,甲,100\n3.10,乙,200\n3.2,丙,50\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nsec = \"sec.csv\"";
    let (d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("sec.csv", sec.as_bytes())]);
    let ws = ws.unwrap();
    let cfg = yearbook::config::ConfigFile::load(&d.path().join("yearbook.toml")).unwrap();
    let tables = yearbook::load::load(&cfg, None, false).unwrap().tables;
    let t = &tables["sec"];
    let c = t.column_names().iter().position(|n| *n == "编号").unwrap();
    assert_eq!((0..3).map(|r| t.cell_text(c, r)).collect::<Vec<_>>(), ["3.1", "3.10", "3.2"]);
    assert_eq!(t.groups("编号").unwrap().len(), 3);
    assert_eq!(t.numbers("金额").unwrap(), &[100.0, 200.0, 50.0]);
    assert_eq!(value(&ws, "table(\"sec\").filter(|p| p.编号 == \"3.10\").count()"), 1.0);
    assert_eq!(value(&ws, "table(\"sec\").filter(|p| p.编号 == \"3.1\").sum(\"金额\")"), 100.0);
    assert_eq!(value(&ws, "table(\"sec\").filter(|p| p.编号 == \"3.10\").sum(\"金额\")"), 200.0);
}

/// Items numbered in outline (1.1 ... 1.9, 1.10) under a header that names no code
/// (分项, 条目, x): read as numbers, 1.10 was 1.1, so `group_by` summed items 1 and 10
/// (110) and `== "1.1"` matched both. A column of amounts with 2.5 and 2.50 but no
/// sibling of 2.5 stays numbers.
#[test]
fn outline_numbers_under_any_header_stay_text() {
    let mut items = String::from("分项,名称,投资\n");
    for k in 1..=10 {
        items.push_str(&format!("1.{k},项目{k},{}\n", 10 * k));
    }
    let amounts = "名称,金额\n甲,2.5\n乙,2.50\n丙,7\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nitems = \"items.csv\"\namounts = \"amounts.csv\"";
    let (_d, ws) =
        open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("items.csv", items.as_bytes()), ("amounts.csv", amounts.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "table(\"items\").group_by(\"分项\").sum(\"投资\").len()"), 10.0);
    assert_eq!(value(&ws, "table(\"items\").filter(|r| r[\"分项\"] == \"1.1\").sum(\"投资\")"), 10.0);
    assert_eq!(value(&ws, "table(\"items\").filter(|r| r[\"分项\"] == \"1.10\").sum(\"投资\")"), 100.0);
    assert_eq!(value(&ws, "table(\"amounts\").sum(\"金额\")"), 12.0);
}

/// A ledger's 开工日期 typed as a year, a point and a month (2025.3, 2025.10) holds
/// months: read as numbers 2025.10 was 2025.1 (October printed as January) and sorted
/// before 2025.3. They are the months 2025-03 ... 2025-12, in order; a comparison with a
/// number is refused, not answered.
#[test]
fn dates_typed_as_year_point_month_are_months() {
    let ledger = "序号,项目名称,开工日期,投资\n1,甲,2025.3,500\n2,乙,2025.10,400\n3,丙,2025.9,1000\n4,丁,2025.12,300\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nledger = \"ledger.csv\"";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ledger.csv", ledger.as_bytes())]);
    let ws = ws.unwrap();
    let shown = ws.eval("table(\"ledger\").column(\"开工日期\")").unwrap().value.to_string();
    assert_eq!(shown, "[\"2025-03\", \"2025-10\", \"2025-09\", \"2025-12\"]");
    let sorted = ws.eval("table(\"ledger\").sort(\"开工日期\").column(\"项目名称\")").unwrap().value.to_string();
    assert_eq!(sorted, "[\"甲\", \"丙\", \"乙\", \"丁\"]");
    assert_eq!(value(&ws, "table(\"ledger\").filter(|r| r.开工日期 >= \"2025-07\").sum(\"投资\")"), 1700.0);
    let e = ws.eval("table(\"ledger\").filter(|r| r.开工日期 > 2025.6).count()").err().expect("refused").to_string();
    assert!(e.contains("cannot compare the text \"2025-03\" with the number 2025.6"), "{e}");
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

/// Codes typed in full-width digits (９１３３…, ０３３０…, ００１, as Chinese input methods
/// write them) are codes: read as numbers, three 18-digit 统一社会信用代码 were one
/// (913300001111111168) and 序号 ００１ was 1. They keep their digits, in ASCII, so a
/// script's "9133…" finds them. A dotted code with a zero at its end (编号 3.10) compared
/// with a number is refused: by value 3.10 was 3.1, and `== 3.1` took both.
#[test]
fn full_width_codes_stay_codes_and_a_dotted_code_is_not_its_value() {
    let e = "credit,序号,金额\n９１３３００００１１１１１１１１１１,００１,1200\n９１３３００００１１１１１１１１１２,００２,800\n\
             ９１３３００００１１１１１１１１１３,００３,50\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\ne = \"e.csv\"\nc = \"c.csv\"";
    let c = "编号,amount\n3.1,100\n3.10,100\n3.2,50\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("e.csv", e.as_bytes()), ("c.csv", c.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "table(\"e\").group_by(\"credit\").count().len()"), 3.0);
    assert_eq!(value(&ws, "table(\"e\").filter(|p| p.credit == \"913300001111111112\").sum(\"金额\")"), 800.0);
    assert_eq!(value(&ws, "table(\"e\").filter(|p| p.序号 == \"001\").sum(\"金额\")"), 1200.0);
    assert_eq!(value(&ws, "table(\"c\").filter(|p| p.编号 == \"3.1\").sum(\"amount\")"), 100.0);
    let e = ws.eval("table(\"c\").filter(|p| p.编号 == 3.1).sum(\"amount\")").map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("cannot compare the code \"3.10\" of `编号` in row 2 with the number 3.1 using `==`"), "{e}");
}

/// A unit row (or the value column's header unit) of another kind than the indicator's,
/// not money: 单位：万吨 above 地区生产总值 in 万元 was silently ignored, the figure read in
/// 万元. Refused at the figure, in long and wide tables; a money row (单位：万元) over
/// 年末总人口 leaves it in its own unit, as before.
#[test]
fn a_unit_row_of_another_kind_than_the_indicators_is_refused() {
    for (f, at) in [
        ("表1,,,\n单位：万吨,,,\n地区,年份,指标,数值\nt1,2021,gdp,100\n", "facts.csv:4:4"),
        ("地区,年份,指标,数值（万吨）\nt1,2021,gdp,100\n", "facts.csv:2:4"),
    ] {
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let e = err(ws);
        assert!(
            e.contains(&format!(
                "{at}: the file gives its figures in 万吨 (its unit row, the value column's header, or the config's unit), which does not convert \
                 to 万元 (gdp's unit)"
            )),
            "{f}: {e}"
        );
    }
    let f = "表1\n单位：万吨\n地区,年份,地区生产总值\n甲镇,2021,100\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("\"地区生产总值\": the unit row says 万吨, which does not convert to 万元 (gdp's unit)"), "{e}");
    let f = "表1,,,\n单位：万元,,,\n地区,年份,指标,数值\nt1,2021,gdp,100\nt1,2021,pop,3\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "only(pop, \"t1\")"), 3.0);
}

/// The table's unit written at the end of its title in brackets (`各镇主要经济指标（单位：
/// 亿元）`, `（亿元）`) or over two cells (`单位：` | `亿元`): read as a unit row is. It was
/// left unread, so 7.75 亿元 loaded as 7.75 万元 (and the split row was taken for the header,
/// whose advice `header_row = 3` then loaded 7.75 万元). A title's other brackets
/// (（2021年）, （续）) name no unit.
#[test]
fn a_unit_in_the_titles_brackets_or_split_over_two_cells_is_the_tables() {
    for above in [
        "各镇主要经济指标（单位：亿元）,,,\n",
        "各镇主要经济指标(单位:亿元),,,\n",
        "2021年各镇主要经济指标（亿元）,,,\n",
        "表1 各镇主要经济指标,,,\n单位：,亿元,,\n",
        "表1 各镇主要经济指标,,,\n,,单位：,亿元\n",
        // The unit among other words in the title's bracket (read as no unit: 7.75万元).
        "各镇地区生产总值（当年价，亿元）,,,\n",
        "各镇地区生产总值（按当年价格计算，亿元）,,,\n",
        "各镇地区生产总值（2021年，亿元）,,,\n",
        "各镇地区生产总值（亿元，当年价）,,,\n",
        // The same unit in the title and on the unit row.
        "各镇地区生产总值（亿元）,,,\n单位：亿元,,,\n",
    ] {
        let f = format!("{above}地区,年份,指标,数值\nt1,2021,gdp,7.75\nt2,2021,gdp,1.5\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{above}: {e}"));
        assert_eq!(value(&ws, "only(gdp, \"t1\")"), 77500.0, "{above}");
        assert_eq!(value(&ws, "only(gdp, \"t2\")"), 15000.0, "{above}");
    }
    for above in ["各镇主要经济指标（2021年）,,,\n", "各镇主要经济指标（续）,,,\n"] {
        let f = format!("{above}地区,年份,指标,数值\nt1,2021,gdp,7.75\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 7.75, "{above}");
    }
    // A title in 万元 over a unit row in 亿元: the title's was kept and the row's dropped.
    let f = "各镇地区生产总值（万元）,,,\n单位：亿元,,,\n地区,年份,指标,数值\nt1,2021,gdp,7.75\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(
        e.contains(
            "facts.csv:2:1: line 1 above the header says the figures are in 万元, and line 2 says 亿元: the file does not say \
             which they are in, and read by either they would be 10000 times apart; keep one of them"
        ),
        "{e}"
    );
    // A header's own 单位 column is no unit row.
    let f = "地区,年份,指标,单位,数值\nt1,2021,gdp,亿元,7.75\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 77500.0);
}

/// A report form's fields above the table (填报单位, 表号, 制定机关, the date it was sent):
/// a row of them is no header, even with as many cells as half the table's. It was taken
/// for the header ("no value column").
#[test]
fn report_form_fields_above_the_header_are_not_the_header() {
    for head in [
        "填报单位：某县统计局,,,2022年1月5日\n",
        "表号：A101表,,制定机关：县统计局,\n填报单位：某县统计局,,单位：万元,\n",
        "综合机关名称：某县统计局,,报告期：2021年,\n",
        // A form's label and what it says in cells of their own.
        "填报单位：,某县统计局,表号：,A101表\n",
    ] {
        let f = format!("{head}地区,年份,指标,数值\nt1,2021,gdp,77500\nt2,2021,gdp,64000\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{head}: {e}"));
        assert_eq!(value(&ws, "only(gdp, \"t1\")"), 77500.0, "{head}");
    }
    // A header of its own with a labelled unit, or with columns named with a colon under
    // a form row, stays the header.
    let f = "地区,年份,指标,数值（单位：万元）\nt1,2021,gdp,77500\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 77500.0);
    let f = "填报单位：某县统计局,表号：A101表,,\n地区:代码,年份,指标：名称,数值\nt1,2021,gdp,77500\n";
    let (_d, ws) =
        open("file = \"facts.csv\"\ncolumns = { region = \"地区:代码\", indicator = \"指标：名称\" }", &[("facts.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap_or_else(|e| panic!("{e}")), "only(gdp, \"t1\")"), 77500.0);
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

/// A workbook whose shared strings declare more strings than their bytes hold (3 KB
/// declaring 4294967295) is refused at the file: the reader reserved room for the
/// declared count first and the process aborted asking for 96 GiB. The same workbook
/// counted right reads its figure (8.1万元 at 甲镇 in 2009).
#[test]
fn a_workbook_declaring_more_shared_strings_than_it_holds_is_refused() {
    let ok = std::fs::read(root().join("tests/fixtures/shared_strings_counted.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"", &[("f.xlsx", &ok)]);
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2009)"), 8.1);
    let bad = std::fs::read(root().join("tests/fixtures/shared_strings_overcounted.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"", &[("f.xlsx", &bad)]);
    let e = err(ws);
    assert!(
        e.contains("f.xlsx:1: the workbook's shared strings (xl/sharedStrings.xml) declare 4294967295 strings, but its ")
            && e.contains("open the workbook in Excel or LibreOffice and save it again"),
        "{e}"
    );
    // Named by a pattern of sheets (`sheet = "S*"`), the workbook was opened to list its
    // sheets without that check, and the process aborted.
    let (_d, ws) = open("file = \"f.xlsx\"\nsheet = \"S*\"", &[("f.xlsx", &bad)]);
    let e = err(ws);
    assert!(e.contains("f.xlsx:1: the workbook's shared strings (xl/sharedStrings.xml) declare 4294967295 strings"), "{e}");
}

/// A column of years that Excel keeps as dates (cells shown as 2021年 hold 1 January
/// 2021; a year-end date 31 December): years, not months. Read as their month, the yearly
/// file became 2021-01 (without a declared frequency, silently a monthly panel).
#[test]
fn xlsx_dates_under_a_year_header_are_years() {
    let x = std::fs::read(root().join("tests/fixtures/dates_of_years.xlsx")).unwrap();
    for entry in [
        "file = \"f.xlsx\"\nsheet = \"长表\"",
        "file = \"f.xlsx\"\nsheet = \"宽表\"\ncolumns_are = \"periods\"",
        "file = \"f.xlsx\"\nsheet = \"年末\"",
    ] {
        let (_d, ws) = open(entry, &[("f.xlsx", &x)]);
        let ws = ws.unwrap_or_else(|e| panic!("{entry}: {e}"));
        assert_eq!(ws.panel().axes.periods.freq, yearbook::period::Frequency::Year, "{entry}");
        assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 77500.0, "{entry}");
    }
    // Another day under a header of years names no year: refused, saying what to write.
    let csv = "region,年份,indicator,value\nt1,2021-06-30,gdp,1\n";
    let (d, ws) = open("file = \"f.csv\"", &[("f.csv", csv.as_bytes())]);
    assert_eq!(
        err(ws).replace(&format!("{}/", d.path().display()), ""),
        "f.csv:2:2: period \"2021-06-30\" is a date (2021-06-30) under a header of years: a date stands for the period it \
         begins or ends (1 January or 31 December; an Excel date cell shown as 2021年 holds 1 January), and this one does \
         neither; write the period, 2021, or the date it begins"
    );
    // Under a header that names no frequency, a date is its month, as before; under 季度
    // the quarter it begins.
    for (header, last, want) in [("period", "2021-03-31", "2021-03"), ("时期", "2021-03-31", "2021-03"), ("季度", "2021-06-30", "2021Q2")]
    {
        let csv = format!("region,{header},indicator,value\nt1,2021-01-01,gdp,1\nt1,{last},gdp,2\n");
        // 季度 (and 年度, 统计年度, 月份) is a period column without `columns` naming it.
        let (_d, ws) = open("file = \"f.csv\"", &[("f.csv", csv.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(value(&ws, &format!("at(gdp, \"t1\", \"{want}\")")), 2.0, "{header}");
    }
    // Under a header that names no frequency, a column of 1 January dates of several years
    // holds years (as a workbook's shown as 2020年, 2021年); of one year, or of several
    // months, months.
    for (dates, want) in [
        (["2020-01-01", "2021-01-01", "2021-01-01"], "2021"),
        (["2020-12-31", "2021-12-31", "2021-12-31"], "2021"),
        (["2021-01-01", "2021-02-01", "2021-02-01"], "2021-02"),
        (["2021-01-01", "2021-01-01", "2021-01-01"], "2021-01"),
    ] {
        let csv = format!("地区,时期,指标,数值\nt1,{},gdp,1\nt2,{},gdp,2\nt1,{},gdp,2\n", dates[0], dates[1], dates[2]);
        let csv = if dates[0] == dates[1] { csv.replacen("t1,2021-01-01,gdp,1\n", "", 1) } else { csv };
        let (_d, ws) = open("file = \"f.csv\"", &[("f.csv", csv.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{dates:?}: {e}"));
        assert_eq!(value(&ws, &format!("at(gdp, \"t1\", \"{want}\")")), 2.0, "{dates:?}");
    }
    // One 1 January column of a wide table may be a January's: its month, as a date is.
    let csv = "地区,2021-01-01\nt1,2\n";
    let (_d, ws) = open("file = \"f.csv\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"", &[("f.csv", csv.as_bytes())]);
    assert_eq!(value(&ws.unwrap_or_else(|e| panic!("{e}")), "at(gdp, \"t1\", \"2021-01\")"), 2.0);
}

/// Excel date cells shown as months (`yyyy"年"m"月"`, or Simplified Chinese Excel's
/// built-in format 57, which a file names by id alone) are months, read as shown: a
/// workbook of January's figures of two years (1 January 2020 and 2021, shown as 2020年1月
/// and 2021年1月) was read as one of years, silently. Dates shown whole (yyyy-mm-dd) of 1
/// January of several years are still read as years, with a warning saying so and what to
/// write if they are January's; the fix it names makes them months.
#[test]
fn xlsx_dates_shown_as_months_are_months() {
    let x = std::fs::read(root().join("tests/fixtures/dates_of_months.xlsx")).unwrap();
    for entry in [
        "file = \"f.xlsx\"\nsheet = \"长表\"",
        "file = \"f.xlsx\"\nsheet = \"宽表\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"",
        "file = \"f.xlsx\"\nsheet = \"内置\"",
    ] {
        let (_d, ws) = open(entry, &[("f.xlsx", &x)]);
        let ws = ws.unwrap_or_else(|e| panic!("{entry}: {e}"));
        assert_eq!(ws.panel().axes.periods.freq, yearbook::period::Frequency::Month, "{entry}");
        assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-01\")"), 2.0, "{entry}");
        assert_eq!(value(&ws, "at(gdp, \"t1\", \"2020-01\")"), 1.0, "{entry}");
        assert!(ws.stats.warnings.is_empty(), "{entry}: {:?}", ws.stats.warnings);
    }
    let (d, ws) = open("file = \"f.xlsx\"\nsheet = \"日期\"", &[("f.xlsx", &x)]);
    let ws = ws.unwrap();
    let here = |w: &[String]| w.iter().map(|w| w.replace(&format!("{}/", d.path().display()), "")).collect::<Vec<_>>();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 2.0);
    assert_eq!(
        here(&ws.stats.warnings),
        ["f.xlsx[日期]: the cells of column `时期` hold 1 January dates of 2 years (2020-01-01 to 2021-01-01), read as the \
          years (an Excel date cell shown as 2021年 holds 1 January 2021); if they are January's figures, set [workspace] \
          frequency = \"month\""]
    );
    // The same of a CSV file and of a wide table's headers; the fix it names makes them
    // months.
    let long = "地区,时期,指标,数值\nt1,2020-01-01,gdp,1\nt1,2021-01-01,gdp,2\n";
    let wide = "地区,2020-12-31,2021-12-31\nt1,1,2\n";
    for (csv, entry, place, day, range, month) in [
        (long, "", "the cells of column `时期`", "1 January", "2020-01-01 to 2021-01-01", ("January", "2021-01")),
        (
            wide,
            "columns_are = \"periods\"\nindicator = \"gdp\"",
            "the columns",
            "31 December",
            "2020-12-31 to 2021-12-31",
            ("December", "2021-12"),
        ),
    ] {
        let (d, ws) = open(&format!("file = \"f.csv\"\n{entry}"), &[("f.csv", csv.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{entry}: {e}"));
        assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 2.0, "{entry}");
        let here: Vec<String> = ws.stats.warnings.iter().map(|w| w.replace(&format!("{}/", d.path().display()), "")).collect();
        let warning = format!(
            "f.csv: {place} hold {day} dates of 2 years ({range}), read as the years (an Excel date cell shown as 2021年 holds 1 \
             January 2021); if they are {}'s figures, set [workspace] frequency = \"month\"",
            month.0
        );
        assert_eq!(here, [warning], "{entry}");
        let d = tempfile::tempdir().unwrap();
        let toml = format!(
            "[workspace]\nlevels = [\"country\", \"county\", \"town\"]\nfrequency = \"month\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"f.csv\"\n{entry}\n"
        );
        for (n, t) in [("yearbook.toml", toml.as_str()), ("regions.csv", REGIONS), ("indicators.csv", INDICATORS), ("f.csv", csv)] {
            std::fs::write(d.path().join(n), t).unwrap();
        }
        let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{entry}: {e}"));
        assert_eq!(value(&ws, &format!("at(gdp, \"t1\", \"{}\")", month.1)), 2.0, "{entry}");
        assert!(ws.stats.warnings.is_empty(), "{entry}: {:?}", ws.stats.warnings);
    }
}

/// A key repeated on another sheet of the workbook names the sheet of the first one,
/// whether one entry reads both sheets (a pattern) or two entries read one each.
#[test]
fn xlsx_duplicates_across_sheets_name_the_first_sheet() {
    let x = std::fs::read(root().join("tests/fixtures/duplicate_sheets.xlsx")).unwrap();
    for entry in [
        "file = \"f.xlsx\"\nsheet = \"20*年\"",
        "file = \"f.xlsx\"\nsheet = \"2008年\"\n[[data.facts]]\nfile = \"f.xlsx\"\nsheet = \"2009年\"",
    ] {
        let (d, ws) = open(entry, &[("f.xlsx", &x)]);
        let e = err(ws).replace(&format!("{}/", d.path().display()), "");
        assert_eq!(e, "f.xlsx[2009年]:3:1: duplicate fact for (t2, 2008, gdp): first given at line 3 of f.xlsx[2008年]", "{entry}");
    }
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

/// NBS export: first column the period, one column per indicator by label with its unit.
#[test]
fn wide_indicators_as_columns_with_units_in_headers() {
    let f = "年份,地区生产总值(亿元),年末总人口（万人）\n2021年,1.5,96.3\n2020年,1.2*,…\n";
    let (_d, ws) = open("file = \"nbs.csv\"\ncolumns_are = \"indicators\"\nregion = \"cn\"", &[("nbs.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    // 1.5 亿元 is 15000 万元, the indicator's unit.
    assert_eq!(value(&ws, "at(gdp, \"cn\", 2021)"), 15000.0);
    assert_eq!(value(&ws, "at(gdp, \"cn\", 2020)"), 12000.0);
    assert_eq!(value(&ws, "at(pop, \"cn\", 2021)"), 96.3);
    assert!(value(&ws, "at(pop, \"cn\", 2020)").is_nan());
    // Codes work as headers, regions by name; a unit row above the header applies to all.
    let g = "单位：亿元\n地区,年份,gdp\n甲镇,2021,2\n乙镇,2021,3\n";
    let (_d, ws) = open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", g.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t2\")"), 30000.0);
    // A header that is no indicator, or a unit that does not convert, names its cell.
    let bad = "年份,地区生产总值,粮食\n2021,1,2\n";
    let (_d, ws) = open("file = \"b.csv\"\ncolumns_are = \"indicators\"\nregion = \"cn\"", &[("b.csv", bad.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("b.csv:1:3") && e.contains("\"粮食\" is not an indicator"), "{e}");
    let bad = "年份,地区生产总值(公顷)\n2021,1\n";
    let (_d, ws) = open("file = \"b.csv\"\ncolumns_are = \"indicators\"\nregion = \"cn\"", &[("b.csv", bad.as_bytes())]);
    assert!(err(ws).contains("does not convert"));
    let (_d, ws) = open("file = \"b.csv\"\ncolumns_are = \"indicators\"", &[("b.csv", bad.as_bytes())]);
    assert!(err(ws).contains("`region = \"...\"`"));
}

/// Long-format facts in another unit than their indicator's: a unit column (计量单位) or
/// the table's unit row (单位：亿元) converts each value, as wide tables do, through the
/// fast loader, the table reader and Parquet; a unit that does not convert is an error at
/// its cell.
#[test]
fn long_facts_are_converted_from_the_unit_they_are_in() {
    let f = "地区,年份,指标,计量单位,数值\n甲镇,2021,gdp,亿元,7.75\n乙镇,2021,gdp,万元,15000\n甲镇,2020,gdp,亿元,1.1\n乙镇,2020,gdp,,3\n";
    let (_d, ws) = open("file = \"a.csv\"", &[("a.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 77500.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2021)"), 15000.0);
    // 1.1 亿元 is 11000 万元 exactly, not the binary product 11000.000000000002.
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2020)"), 11000.0);
    // No unit in the cell: the indicator's own.
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2020)"), 3.0);
    let f = "表1 各镇主要经济指标,,,\n单位：亿元,,,\n地区,年份,指标,数值\n甲镇,2021,gdp,7.75\n乙镇,2021,gdp,1.5\n";
    let (_d, ws) = open("file = \"b.csv\"", &[("b.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 77500.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2021)"), 15000.0);
    // The table's unit row speaks for the figures it can: 常住人口 under 金额单位：亿元
    // keeps its own unit, in long and wide tables alike.
    let f = "各镇主要指标,,,\n金额单位：亿元,,,\n地区,年份,指标,数值\n甲镇,2021,gdp,1.1\n甲镇,2021,pop,96.3\n";
    let (_d, ws) = open("file = \"e.csv\"", &[("e.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 11000.0);
    assert_eq!(value(&ws, "at(pop, \"t1\", 2021)"), 96.3);
    let f = "各镇主要指标\n金额单位：亿元\n地区,年份,地区生产总值,年末总人口\n甲镇,2021,1.1,96.3\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 11000.0);
    assert_eq!(value(&ws, "at(pop, \"t1\", 2021)"), 96.3);
    let f = "地区,年份,指标,单位,数值\n甲镇,2021,gdp,万元,1\n乙镇,2021,gdp,吨,2\n";
    let (_d, ws) = open("file = \"c.csv\"", &[("c.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.ends_with("c.csv:3:4: the value is in 吨, which does not convert to 万元 (gdp's unit)"), "{e}");
}

/// A unit cell (计量单位 亿元) beside a unit the file gives all its figures (数值（万元）,
/// a 单位：万元 row, 地区生产总值（万元） as the indicator's name or column) of the same kind
/// and different: the file does not say which the figure is in. The cell won, so 1.5
/// loaded as 15000万元 where the header said 1.5万元; in a table of indicator columns the
/// cell was not read at all (1.5亿元 stayed 1.5万元). Now refused at the cell; a cell
/// that agrees, or speaks for another kind, reads as before.
#[test]
fn a_unit_cell_that_disagrees_with_the_files_unit_is_refused() {
    let cases = [
        (
            "file = \"a.csv\"",
            "地区,年份,指标,数值（万元）,计量单位\n甲镇,2021,gdp,1.5,亿元\n",
            "a.csv:2:5: the unit cell says 亿元, but the file gives its figures in 万元",
        ),
        ("file = \"a.csv\"", "单位：万元\n地区,年份,指标,数值,计量单位\n甲镇,2021,gdp,1.5,亿元\n", "a.csv:3:5: the unit cell says 亿元"),
        (
            "file = \"p.csv\"\ncolumns_are = \"periods\"",
            "单位：万元\n地区,指标,计量单位,2021\n甲镇,地区生产总值,亿元,1.5\n",
            "p.csv:3:2: \"地区生产总值\" is given in 亿元 (its unit cell), but the unit row above the header says 万元",
        ),
        (
            "file = \"p.csv\"\ncolumns_are = \"periods\"",
            "地区,指标,计量单位,2021\n甲镇,地区生产总值（万元）,亿元,1.5\n",
            "p.csv:2:2: \"地区生产总值（万元）\" is given in 亿元 (its unit cell), but its name says 万元",
        ),
        (
            "file = \"w.csv\"\ncolumns_are = \"indicators\"",
            "地区,年份,计量单位,地区生产总值（万元）\n甲镇,2021,亿元,1.5\n",
            "w.csv:2:3: header \"地区生产总值（万元）\": \"地区生产总值（万元）\" is given in 亿元 (its unit cell), but its name says 万元",
        ),
    ];
    for (entry, file, want) in cases {
        let name = entry.split('"').nth(1).unwrap();
        let (_d, ws) = open(entry, &[(name, file.as_bytes())]);
        let e = err(ws);
        assert!(e.contains(want), "{e}");
        assert!(e.contains("10000 times apart"), "{e}");
    }
    // Agreeing units, a cell alone, or a cell of another kind: read.
    let reads = [
        ("file = \"a.csv\"", "地区,年份,指标,数值（万元）,计量单位\n甲镇,2021,gdp,1.5,万元\n", 1.5),
        ("file = \"a.csv\"", "地区,年份,指标,数值,计量单位\n甲镇,2021,gdp,1.5,亿元\n", 15000.0),
        ("file = \"p.csv\"\ncolumns_are = \"periods\"", "单位：万元\n地区,指标,计量单位,2021\n甲镇,地区生产总值,万元,1.5\n", 1.5),
        ("file = \"w.csv\"\ncolumns_are = \"indicators\"", "地区,年份,计量单位,地区生产总值,年末总人口\n甲镇,2021,亿元,1.5,3\n", 15000.0),
        ("file = \"w.csv\"\ncolumns_are = \"indicators\"", "地区,年份,计量单位,地区生产总值（万元）\n甲镇,2021,万元,1.5\n", 1.5),
    ];
    for (entry, file, gdp) in reads {
        let name = entry.split('"').nth(1).unwrap();
        let (_d, ws) = open(entry, &[(name, file.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), gdp, "{file}");
    }
    let (_d, ws) = open(
        "file = \"w.csv\"\ncolumns_are = \"indicators\"",
        &[("w.csv", "地区,年份,计量单位,地区生产总值,年末总人口\n甲镇,2021,亿元,1.5,3\n".as_bytes())],
    );
    assert_eq!(value(&ws.unwrap(), "at(pop, \"t1\", 2021)"), 3.0);
}

/// A unit in a header (数值（万元）, 地区生产总值（亿元）, a row of (亿元) under it) and a unit
/// row above the header (单位：亿元) of the same kind that differ: the file does not say
/// which the figures are in. The header's was taken silently (5 under 数值（万元） beneath
/// 单位：亿元 was 5 万元), or the unit row's (a year's column over (亿元) beneath 单位：万元
/// was 5 万元): now an error naming both and the factor between them. Units that agree,
/// or speak for different kinds, read as before.
#[test]
fn a_header_unit_and_a_unit_row_that_disagree_are_refused() {
    let long = "单位：亿元\n地区,年份,指标,数值（万元）\n甲镇,2021,gdp,5\n";
    let (_d, ws) = open("file = \"a.csv\"", &[("a.csv", long.as_bytes())]);
    let e = err(ws);
    assert!(
        e.ends_with(
            "a.csv:2:4: the value column \"数值（万元）\" is in 万元, but the unit row above the header says 亿元: the file does not \
             say which the figures are in, and read by either they would be 10000 times apart; write one of them, or the same \
             unit in both"
        ),
        "{e}"
    );
    let wide = "单位：万元\n地区,年份,地区生产总值（亿元）,年末总人口（万人）\n甲镇,2021,5,3\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", wide.as_bytes())]);
    let e = err(ws);
    assert!(
        e.contains("w.csv:2:3: header \"地区生产总值（亿元）\": the column is in 亿元, but the unit row above the header says 万元"),
        "{e}"
    );
    let periods = "单位：万元\n地区,指标,2020,2021\n,,（亿元）,（亿元）\n甲镇,地区生产总值,5,6\n";
    let (_d, ws) = open("file = \"p.csv\"\ncolumns_are = \"periods\"", &[("p.csv", periods.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("p.csv:3: the row of units under the header is in 亿元, but the unit row above the header says 万元"), "{e}");
    // The same unit twice, a unit row of two kinds, or one of another kind: read.
    let agree = "单位：亿元、万人\n地区,年份,地区生产总值（亿元）,年末总人口（万人）\n甲镇,2021,5,3\n";
    let (_d, ws) = open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", agree.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(gdp, \"t1\", 2021)"), value(&ws, "at(pop, \"t1\", 2021)")), (50000.0, 3.0));
    let agree = "单位：亿元\n地区,指标,2020,2021\n,,（亿元）,（亿元）\n甲镇,地区生产总值,5,6\n";
    let (_d, ws) = open("file = \"q.csv\"\ncolumns_are = \"periods\"", &[("q.csv", agree.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 60000.0);
    // A per-person figure headed by its numerator's unit under a unit row of amounts, as
    // yearbooks print 农民人均纯收入（元） under 单位：万元: 30000 元/人, no conflict.
    let ind = format!("{INDICATORS}income,农民人均纯收入,元/人,rate,none\n");
    let per_head = "单位：万元\n地区,年份,地区生产总值,农民人均纯收入（元）\n甲镇,2021,100,30000\n";
    let (_d, ws) =
        open("file = \"h.csv\"\ncolumns_are = \"indicators\"", &[("h.csv", per_head.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(gdp, \"t1\", 2021)"), value(&ws, "at(income, \"t1\", 2021)")), (100.0, 30000.0));
    let kinds = "金额单位：万元\n地区,年份,指标,数值（万人）\n甲镇,2021,pop,3\n";
    let (_d, ws) = open("file = \"k.csv\"", &[("k.csv", kinds.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(pop, \"t1\", 2021)"), 3.0);
}

/// A header whose unit is written with its label in brackets (`数值（单位：亿元）`,
/// `地区生产总值（计量单位：亿元）`) under a title or a unit row was taken for a unit row
/// itself, and the file's first row of figures for the header ("no value column").
#[test]
fn a_header_with_a_labelled_unit_below_a_title_is_the_header() {
    for (f, entry) in [
        ("单位：亿元\nregion,year,indicator,数值（单位：亿元）\nt1,2021,gdp,1.5\n", "file = \"a.csv\""),
        ("表1 主要指标\nregion,year,indicator,数值（计量单位：亿元）\nt1,2021,gdp,1.5\n", "file = \"a.csv\""),
        ("表1 主要指标\n地区,年份,地区生产总值（单位：亿元）\n甲镇,2021,1.5\n", "file = \"a.csv\"\ncolumns_are = \"indicators\""),
    ] {
        let (_d, ws) = open(entry, &[("a.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 15000.0, "{f}");
    }
}

/// A header opening with 单位 (单位名称, 单位代码: a ledger of organisations) is the
/// header, not a unit row above it.
#[test]
fn a_header_of_unit_names_is_not_a_unit_row() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", REGIONS);
    w("indicators.csv", INDICATORS);
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,5\n");
    w("u.csv", "单位名称,所在镇,产值\n甲公司,甲镇,100\n乙公司,甲镇,200\n丙公司,乙镇,300\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"country\", \"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\nu = \"u.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(ws.eval("table(\"u\").count()").unwrap().value.as_int(), Some(3));
    assert_eq!(value(&ws, "table(\"u\").sum(\"产值\")"), 600.0);
}

/// A repeated key in a wide table points at the value's cell, and at the first one's: a
/// region given by code and again by name, or one indicator under two headers.
#[test]
fn wide_duplicates_name_both_cells() {
    let g = "地区,年份,gdp\nt1,2021,2\nt2,2021,3\n甲镇,2021,4\n";
    let (_d, ws) = open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", g.as_bytes())]);
    let e = err(ws);
    assert!(e.ends_with("g.csv:4:3: duplicate fact for (t1, 2021, gdp): first given at line 2"), "{e}");
    let g = "地区,年份,gdp,地区生产总值(亿元)\nt1,2021,2,3\n";
    let (_d, ws) = open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", g.as_bytes())]);
    let e = err(ws);
    assert!(e.ends_with("g.csv:2:4: duplicate fact for (t1, 2021, gdp): first given at line 2, column 3"), "{e}");
}

/// Regions x years, with the indicator and its unit in columns (计量单位).
#[test]
fn wide_periods_as_columns() {
    let f = "地区,指标,计量单位,2020年,2021年\n甲镇,地区生产总值,亿元,1,2\n乙镇,gdp,万元,300,—\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"periods\"", &[("w.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 20000.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2020)"), 300.0);
    assert!(value(&ws, "at(gdp, \"t2\", 2021)").is_nan());
}

#[test]
fn wide_regions_as_columns() {
    let f = "年份,甲镇,t2\n2020,1,2\n2021,3,4\n";
    let (_d, ws) = open("file = \"r.csv\"\ncolumns_are = \"regions\"\nindicator = \"gdp\"", &[("r.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 3.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2020)"), 2.0);
    let (_d, ws) = open("file = \"r.csv\"\ncolumns_are = \"rows\"\nindicator = \"gdp\"", &[("r.csv", f.as_bytes())]);
    assert!(err(ws).contains("unknown columns_are \"rows\""));
}

/// `yearbook sniff` prints an entry that loads the file unchanged.
#[test]
fn sniff_prints_an_entry_that_loads_each_file() {
    let title_rows = std::fs::read(root().join("tests/fixtures/title_rows.xlsx")).unwrap();
    let merged = std::fs::read(root().join("tests/fixtures/title_merged_notes.xlsx")).unwrap();
    let files: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("a.csv", "region,year,indicator,value\nt1,1978年,gdp,5\n".into(), "at(gdp, \"t1\", 1978)", "long"),
        ("b.xlsx", title_rows, "only(gdp, \"t2\")", "long"),
        ("c.xlsx", merged, "at(gdp, \"t1\", 2022)", "long"),
        ("d.csv", "地区,年份,地区生产总值(亿元),年末总人口\n甲镇,2021年,1.5,96.3\n".into(), "only(gdp, \"t1\")", "indicators"),
        ("e.csv", "地区,指标,计量单位,2020年,2021年\n甲镇,地区生产总值,亿元,1,2\n".into(), "at(gdp, \"t1\", 2021)", "periods"),
        ("f.csv", "地区,指标,2020年1-3月,2020年1-6月\n甲镇,gdp,1,2\n".into(), "at(cumulative.gdp, \"t1\", \"2020-06\")", "periods"),
        ("g.csv", "\u{feff}单位：万元\n地区,时期,指标,数值\nt1,202003,gdp,7\n注：快报\n".into(), "only(gdp, \"t1\")", "long"),
    ];
    for (name, bytes, expr, layout) in files {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let s = yearbook::load::sniff::sniff(&path, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.layout, layout, "{name}");
        let entry = s.entry_toml();
        let body = entry.strip_prefix("[[data.facts]]\n").unwrap_or_else(|| panic!("{name}: {entry}"));
        let (_d, ws) = open(body, &[(name, &bytes)]);
        let ws = ws.unwrap_or_else(|e| panic!("{name}: {e}\n{entry}"));
        assert!(!value(&ws, expr).is_nan(), "{name}: {expr}");
    }
    // A ledger is a record table; its identifier columns are declared text.
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("enterprises.csv");
    std::fs::write(&path, "seq,credit_code,output\n001,913300001111111111,5\n002,913300001111111112,6\n").unwrap();
    let s = yearbook::load::sniff::sniff(&path, None).unwrap();
    assert_eq!(s.layout, "table");
    assert!(s.entry_toml().contains("types = { \"seq\" = \"text\", \"credit_code\" = \"text\" }"), "{}", s.entry);
    assert!(s.render().contains("row 2: 001 | 913300001111111111 | 5"));
}

#[test]
fn sniff_cli_and_unreadable_input() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("gbk.csv"), encoding_gbk("地区,年份,指标,数值\nt1,2021年,gdp,1\n")).unwrap();
    let (code, out, err) = cli_in(d.path(), &["sniff", "gbk.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("encoding = \"gbk\"") && out.contains("# encoding: gbk"), "{out}");
    std::fs::write(d.path().join("bin.csv"), [b'a', 0x81, 0x0a, 0xff]).unwrap();
    let (code, _, err) = cli_in(d.path(), &["sniff", "bin.csv"]);
    assert_ne!(code, 0);
    assert!(err.contains("neither UTF-8 nor GBK"), "{err}");
    std::fs::write(d.path().join("u16.csv"), [0xffu8, 0xfe, b'a', 0]).unwrap();
    let (code, _, err) = cli_in(d.path(), &["sniff", "u16.csv"]);
    assert_ne!(code, 0);
    assert!(err.contains("UTF-16"), "{err}");
}

/// GBK bytes of a text (the characters used in these tests).
fn encoding_gbk(s: &str) -> Vec<u8> {
    let (b, _, _) = encoding_rs::GBK.encode(s);
    b.into_owned()
}

#[test]
fn scripts_and_rules_take_the_same_spellings() {
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", facts("1978年", "7").as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"1978年\")"), 7.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"１９７８\")"), 7.0);
}

#[test]
fn keys_that_would_do_nothing_are_refused() {
    let f = facts("2021", "1");
    let (_d, ws) = open("file = \"facts.csv\"\nregion = \"cn\"", &[("facts.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("yearbook.toml:6") && e.contains("`region` has no effect here") && e.contains("columns_are"), "{e}");
    let (_d, ws) = open("file = \"facts.csv\"\ntypes = { value = \"text\" }", &[("facts.csv", f.as_bytes())]);
    assert!(err(ws).contains("`types` has no effect here"));
    let entry = "file = \"facts.csv\"\n[data.tables]\nt = { file = \"facts.csv\", cumulative = true }";
    let (_d, ws) = open(entry, &[("facts.csv", f.as_bytes())]);
    assert!(err(ws).contains("`cumulative` has no effect here: it applies only in [[data.facts]] entries"));
}

#[test]
fn several_sheets_by_pattern() {
    let x = std::fs::read(root().join("tests/fixtures/three_sheets.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"\nsheet = \"20*年\"", &[("f.xlsx", &x)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2020)"), 2.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 3.0);
    let (_d, ws) = open("file = \"f.xlsx\"\nsheet = \"*\"", &[("f.xlsx", &x)]);
    let e = err(ws);
    assert!(e.contains("f.xlsx[说明]"), "{e}");
    let (_d, ws) = open("file = \"f.xlsx\"\nsheet = \"19??年\"", &[("f.xlsx", &x)]);
    assert!(err(ws).contains("no visible sheet matches \"19??年\" (sheets: 2020年, 2021年, 说明)"));
}

mod never_panics {
    use proptest::prelude::*;

    /// Text made of the pieces office files are made of, in any order.
    fn office_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "2020",
            "年",
            "月",
            "季度",
            "第",
            "一",
            "四",
            "上半年",
            "前三季度",
            "1",
            "-",
            "3",
            "12",
            "Q",
            "０",
            "９",
            "…",
            "...",
            "*",
            "①",
            "⑳",
            "#",
            "－",
            ",",
            "\n",
            "注：",
            "单位：万元",
            "地区",
            "年份",
            "指标",
            "数值",
            "t1",
            "gdp",
            "(亿元)",
            "（",
            "）",
            "\"",
            " ",
            "累计",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn periods_values_and_files(s in office_text()) {
            let opts = yearbook::period::spelling::PeriodOptions { cumulative: true, year: Some(2020), ..Default::default() };
            let _ = yearbook::period::spelling::read(&s, &opts);
            let _ = yearbook::period::Period::parse(&s);
            let _ = yearbook::number::parse_value(s.as_bytes(), true);
            let d = tempfile::tempdir().unwrap();
            let path = d.path().join("f.csv");
            std::fs::write(&path, &s).unwrap();
            let _ = yearbook::load::sniff::sniff(&path, None).map(|x| x.render());
            for entry in ["file = \"f.csv\"", "file = \"f.csv\"\ncolumns_are = \"indicators\"\nregion = \"t1\"", "file = \"f.csv\"\ncolumns_are = \"periods\"\nindicator = \"gdp\""] {
                let (_d, ws) = super::open(entry, &[("f.csv", s.as_bytes())]);
                drop(ws);
            }
        }
    }
}

#[test]
fn code_headers_and_excel_text_cells_keep_codes() {
    // All 12-digit, no leading zero: the header says they are codes.
    let ledger =
        "区划代码,village_code,number_of_staff,编号\n330421101201,330421101202,12,=\"0007\"\n330421101203,330421101204,30,=\"0012\"\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nledger = \"ledger.csv\"";
    let (d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ledger.csv", ledger.as_bytes())]);
    ws.unwrap();
    let cfg = yearbook::config::ConfigFile::load(&d.path().join("yearbook.toml")).unwrap();
    let t = &yearbook::load::load(&cfg, None, false).unwrap().tables["ledger"];
    assert!(t.numbers("区划代码").is_err() && t.numbers("village_code").is_err());
    assert_eq!(t.cell_text(0, 0), "330421101201");
    assert_eq!(t.cell_text(3, 1), "0012");
    assert_eq!(t.numbers("number_of_staff").unwrap(), &[12.0, 30.0]);
}

#[test]
fn wide_table_with_a_blank_corner_cell() {
    let f = ",2020年,2021年\n甲镇,1,2\n乙镇,3,⋯\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"", &[("w.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 2.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2020)"), 3.0);
    assert!(value(&ws, "at(gdp, \"t2\", 2021)").is_nan());
}

#[test]
fn two_header_rows_are_combined() {
    let d = tempfile::tempdir().unwrap();
    let x = d.path().join("t.xlsx");
    std::fs::copy(root().join("tests/fixtures/two_header_rows.xlsx"), &x).unwrap();
    let s = yearbook::load::sniff::sniff(&x, None).unwrap();
    assert_eq!(s.header, ["地区", "2021年 本期", "2021年 同期", "2020年 本期", "2020年 同期"]);
    assert_eq!(s.rows, [(4, ["t1", "1", "2", "3", "4"].map(String::from).to_vec())]);
    // The same in CSV, and a 栏次 row (甲 乙 1 2) under a long header is not data.
    let csv = d.path().join("t.csv");
    std::fs::write(&csv, "地区,2021年,,2020年,\n,本期,同期,本期,同期\nt1,1,2,3,4\n").unwrap();
    assert_eq!(yearbook::load::sniff::sniff(&csv, None).unwrap().header[2], "2021年 同期");
    let f = "地区,年份,指标,数值\n甲,乙,丙,1\nt1,2021,gdp,5\n";
    for entry in ["file = \"f.csv\"\nheader_row = 1", "file = \"f.csv\""] {
        let (_d, ws) = open(entry, &[("f.csv", f.as_bytes())]);
        assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 5.0, "{entry}");
    }
    let units = "地区,年份,指标,数值
,,,(万元)
t1,2021,gdp,6
";
    let (_d, ws) = open("file = \"u.csv\"", &[("u.csv", units.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 6.0);
}

/// A regions file of official 统计用区划代码 with names only: the codes give the tree.
fn official(facts: &str) -> (tempfile::TempDir, Result<yearbook::Workspace, yearbook::Error>) {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name\n330000000000,浙江省\n330400000000,嘉兴市\n330421000000,嘉善县\n330421101000,大云镇\n330421102000,西塘镇\n\
         330421101201,缪家村\n330402000000,南湖区\n330402001000,大云镇\n330411001000,新丰镇\n",
    );
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\n");
    w("facts.csv", &format!("region,year,indicator,value\n{facts}"));
    w("yearbook.toml", "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None);
    (d, ws)
}

#[test]
fn official_codes_alone_make_the_region_tree() {
    let (_d, ws) = official("330421101000,2008,gdp,7.75\n330421102000,2008,gdp,9.1\n");
    let ws = ws.unwrap();
    let r = ws.panel().regions();
    let at = |code: &str| r.find(code).unwrap() as usize;
    assert_eq!(r.levels[r.level[at("330421101201")] as usize], "village");
    assert_eq!(r.codes[r.parent[at("330421101201")] as usize], "330421101000");
    assert_eq!(r.codes[r.parent[at("330421000000")] as usize], "330400000000");
    // A town whose district is not listed hangs from its city.
    assert_eq!(r.codes[r.parent[at("330411001000")] as usize], "330400000000");
    let v = ws.eval("value(rollup(gdp, \"county\") * 1)").unwrap().value.as_number().unwrap();
    assert!((v - 16.85).abs() < 1e-9, "{v}");
}

/// A file that writes a county in 6 digits (330421) above towns in 12 (330421101000): the
/// towns hang from the county, not from the city (review33 02: the county's roll-up left
/// out 嘉善县 and its towns added to the city's children), and a 6-digit city above them.
#[test]
fn official_codes_of_two_lengths_make_one_tree() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w(
        "regions.csv",
        "code,name\n330400,嘉兴市\n330421,嘉善县\n330424000000,海盐县\n330421101000,大云镇\n330421102000,西塘镇\n\
         330424100000,武原街道\n",
    );
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,万元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\n大云镇,2021,gdp,1\n西塘镇,2021,gdp,2\n武原街道,2021,gdp,4\n");
    w("yearbook.toml", "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let r = ws.panel().regions();
    let at = |code: &str| r.find(code).unwrap() as usize;
    assert_eq!(r.codes[r.parent[at("330421101000")] as usize], "330421");
    assert_eq!(r.codes[r.parent[at("330421")] as usize], "330400");
    assert_eq!(r.codes[r.parent[at("330424000000")] as usize], "330400");
    let county = ws.eval("rollup(gdp, \"county\")").unwrap().value.into_dynamic().try_cast::<yearbook::series::Series>().unwrap();
    assert_eq!((county.get(at("330421"), 0), county.get(at("330424000000"), 0)), (3.0, 4.0));
    // A county's code in the other length, in a fact file or a script, is the same county
    // (review35 09: 330421000000 was an unknown region); a town's 12 digits stay its own.
    assert_eq!((at("330421000000"), at("330424")), (at("330421"), at("330424000000")));
    assert!(r.find("330421101").is_err() && r.find("330421101000000000").is_err());
    w(
        "pop.csv",
        "region,year,indicator,value
330421000000,2021,pop,38000
330424,2021,pop,9
",
    );
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup,note
gdp,地区生产总值,万元,flow,sum,
pop,常住人口,人,stock,sum,
",
    );
    w(
        "yearbook.toml",
        "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[[data.facts]]\nfile = \"pop.csv\"\n",
    );
    let ws2 = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let num = |e: &str| ws2.eval(e).unwrap().value.as_number().unwrap();
    assert_eq!((num("at(pop, \"330421\", 2021)"), num("at(pop, \"330421000000\", 2021)")), (38000.0, 38000.0));
    assert_eq!(num("at(pop, \"330424000000\", 2021)"), 9.0);
    // One county in both spellings would be two regions, counted twice above them
    // (review35 01): refused.
    w("regions.csv", "code,name\n330400,嘉兴市\n330421,嘉善县\n330421000000,嘉善县\n330421101000,大云镇\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        e.ends_with(
            "regions.csv:3:1: region \"330421\" is also listed as \"330421000000\", the same code in the other length: list it once"
        ),
        "{e}"
    );
}

#[test]
fn facts_keyed_by_region_name_match_its_code_or_list_the_candidates() {
    let (_d, ws) = official("西塘镇,2008,gdp,9.1\n");
    let ws = ws.unwrap();
    assert_eq!(ws.eval("value(only(gdp, \"330421102000\"))").unwrap().value.as_number().unwrap(), 9.1);
    let (d, ws) = official("大云镇,2008,gdp,7.75\n");
    assert_eq!(
        err(ws).replace(&format!("{}/", d.path().display()), ""),
        "facts.csv:2:1: the name \"大云镇\" matches 2 regions: 330421101000 (town, in 嘉善县 330421000000); \
         330402001000 (town, in 南湖区 330402000000); use the region's code"
    );
    let (d, ws) = official("大运镇,2008,gdp,7.75\n");
    let e = err(ws).replace(&format!("{}/", d.path().display()), "");
    assert!(e.starts_with("facts.csv:2:1: unknown region \"大运镇\"; did you mean"), "{e}");
}

/// A workbook of (region, period, indicator, value) rows; a period given as f64 is a
/// number cell, as Excel stores a typed 2021.10.
fn month_sheet(periods: &[Result<f64, &str>]) -> Vec<u8> {
    use std::io::Write;
    let mut rows = String::from(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>region</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>period</t></is></c>\
        <c r=\"C1\" t=\"inlineStr\"><is><t>indicator</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>value</t></is></c></row>",
    );
    for (i, p) in periods.iter().enumerate() {
        let r = i + 2;
        let period = match p {
            Ok(x) => format!("<c r=\"B{r}\"><v>{x}</v></c>"),
            Err(t) => format!("<c r=\"B{r}\" t=\"inlineStr\"><is><t>{t}</t></is></c>"),
        };
        rows.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>t1</t></is></c>{period}<c r=\"C{r}\" t=\"inlineStr\"><is><t>gdp</t></is></c>\
             <c r=\"D{r}\"><v>{r}</v></c></row>"
        ));
    }
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string()),
        ("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string()),
        ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_string()),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData></worksheet>")),
    ];
    for (name, text) in parts {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A number cell 2021.1 in a period column is January or October (Excel's 2021.10):
/// refused at its cell with how to fix it; text 2021.1 and 2021.10 and numbers such as
/// 2021.11 read as their months.
#[test]
fn a_number_cell_2021_1_as_a_month_is_refused_at_its_cell() {
    let x = month_sheet(&[Ok(2021.11), Ok(2021.1), Ok(2021.12)]);
    let (_d, ws) = open("file = \"m.xlsx\"", &[("m.xlsx", &x)]);
    let e = err(ws);
    assert_eq!(
        e.split_once("m.xlsx[").map(|(_, rest)| format!("m.xlsx[{rest}")).unwrap_or_default(),
        "m.xlsx[Sheet1]:3:2: cell B3 holds the number 2021.1, which is January or October (Excel stores a typed 2021.10 as 2021.1): \
         format the column as text and type the period again, or write 2021-01 / 2021年1月 or 2021-10 / 2021年10月"
    );
    let x = month_sheet(&[Err("2021.1"), Err("2021.10"), Ok(2021.11), Ok(2021.2)]);
    let (_d, ws) = open("file = \"m.xlsx\"", &[("m.xlsx", &x)]);
    let ws = ws.unwrap();
    let months: Vec<String> = (0..ws.panel().periods().len).map(|p| ws.panel().periods().get(p).to_string()).collect();
    assert_eq!(months.first().map(String::as_str), Some("2021-01"));
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-10\")"), 3.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-01\")"), 2.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-11\")"), 4.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-02\")"), 5.0);
}

/// A CSV that Excel saved from a column of numbers writes October as 2021.1: beside
/// 2021.11 and 2021.12 (and no 2021.10) it is refused at its line (it loaded as January,
/// nine months off); a file that writes 2021.10 keeps two-digit months, its 2021.1 is
/// January.
#[test]
fn a_dotted_october_in_a_csv_beside_november_is_refused() {
    let f = "地区,年份,指标,数值\nt1,2021.1,gdp,10\nt1,2021.11,gdp,11\nt1,2021.12,gdp,12\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(
        e.contains("facts.csv:2: the period holds the number 2021.1, which is January or October")
            && e.contains(
                "(the file also writes November or December so, as YYYY.11 or YYYY.12, and no month as YYYY.10, as Excel saves \
                 a column of numbers)"
            ),
        "{e}"
    );
    // Its words name no month the file does not hold (they named 2021.11 and 2021.12 of
    // a file of 2020).
    let f = "地区,年份,指标,数值\nt1,2020.09,gdp,9\nt1,2020.1,gdp,10\nt1,2020.11,gdp,11\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("facts.csv:3: the period holds the number 2020.1") && !e.contains("2021"), "{e}");
    let f = "地区,年份,指标,数值\nt1,2021.1,gdp,1\nt1,2021.2,gdp,2\nt1,2021.10,gdp,10\nt1,2021.11,gdp,11\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-01\")"), 1.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-10\")"), 10.0);
}

/// The same number cell 2021.1 in an .xls and an .ods workbook (read through calamine's
/// other readers) is refused at its cell as in an .xlsx: it loaded as January 2021.
#[test]
fn a_number_cell_2021_1_in_xls_and_ods_is_refused_at_its_cell() {
    for ext in ["xls", "ods"] {
        let x = std::fs::read(root().join(format!("tests/fixtures/month_point_one.{ext}"))).unwrap();
        let (_d, ws) = open(&format!("file = \"m.{ext}\""), &[(&format!("m.{ext}"), &x)]);
        let e = err(ws);
        assert_eq!(
            e.split_once("m.").map(|(_, rest)| format!("m.{rest}")).unwrap_or_default(),
            format!(
                "m.{ext}[Sheet1]:3:2: cell B3 holds the number 2021.1, which is January or October (Excel stores a typed 2021.10 as 2021.1): \
                 format the column as text and type the period again, or write 2021-01 / 2021年1月 or 2021-10 / 2021年10月"
            )
        );
    }
    // A wide table (columns are indicators) with a period column: the same, at its cell.
    let x = std::fs::read(root().join("tests/fixtures/wide_month_point_one.xlsx")).unwrap();
    let (_d, ws) = open("file = \"w.xlsx\"\ncolumns_are = \"indicators\"", &[("w.xlsx", &x)]);
    let e = err(ws);
    assert!(
        e.ends_with(
            "w.xlsx[Sheet]:3:2: cell B3 holds the number 2021.1, which is January or October (Excel stores a typed 2021.10 as 2021.1): \
             format the column as text and type the period again, or write 2021-01 / 2021年1月 or 2021-10 / 2021年10月"
        ),
        "{e}"
    );
}

#[test]
fn a_cell_formatted_as_a_percent_reads_as_the_sheet_shows_it() {
    // Excel holds 0.125 in a cell that shows 12.5%: it loaded as 0.125 %, 100 times too
    // small, beside the text cell "12.5%" that loaded as 12.5. On a 万元 indicator a cell
    // showing 50% loaded as 0.5 万元; it is refused, as "50%" in a CSV is.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &[u8]| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", REGIONS.as_bytes());
    w("indicators.csv", format!("{INDICATORS}rate,城镇化率,%,rate,none\n").as_bytes());
    w("p.xlsx", &std::fs::read(root().join("tests/fixtures/percent_cells.xlsx")).unwrap());
    let toml = |sheet: &str| {
        format!(
            "[workspace]\nlevels = [\"country\", \"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"p.xlsx\"\nsheet = \"{sheet}\"\n"
        )
    };
    w("yearbook.toml", toml("rates").as_bytes());
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "at(rate, \"t1\", \"2024\")"), 12.5);
    assert_eq!(value(&ws, "at(rate, \"t2\", \"2024\")"), 12.5);
    assert_eq!(value(&ws, "at(rate, \"t1\", \"2023\")"), 12.3);
    w("yearbook.toml", toml("amounts").as_bytes());
    let e = err(yearbook::Workspace::open(&d.path().join("yearbook.toml"), None));
    assert!(e.ends_with("p.xlsx[amounts]:2:4: value \"50%\" has a % sign but the indicator's unit is not %"), "{e}");
    // A record table reads such a cell as shown too: under a header in % (数值（%）) the
    // figure 50 (it read 0.5, 50 times too small beside the 50% the sheet shows); under
    // one without a unit the text 50%, refused where used, as a CSV's 50% is.
    let with_table = format!("{}[data.tables]\nledger = {{ file = \"p.xlsx\", sheet = \"amounts\" }}\n", toml("rates"));
    w("yearbook.toml", with_table.as_bytes());
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("table(\"ledger\").sum(\"数值\")").err().expect("refused").to_string();
    assert!(e.contains("its record 1 holds \"50%\", a figure with a % sign"), "{e}");
    let with_table =
        format!("{}[data.tables]\nledger = {{ file = \"p.xlsx\", sheet = \"rates\" }}\nsheet = {{ file = \"q.csv\" }}\n", toml("rates"));
    w("yearbook.toml", with_table.as_bytes());
    w("q.csv", "项目,完成率（%）\nA,95.5%\nB,—\nC,80%\n".as_bytes());
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "table(\"sheet\").sum(\"完成率（%）\")"), 175.5);
    assert_eq!(value(&ws, "table(\"sheet\").filter(|r| r[\"完成率（%）\"] != () && r[\"完成率（%）\"] >= 90).count()"), 1.0);
}

/// A record table's column in % (完成率（%）) whose cells the sheet formats as percents
/// (0.955 shown as 95.5%) reads the figures shown: mean 91.83, not 0.9183.
#[test]
fn a_ledger_column_in_percent_reads_percent_cells_as_shown() {
    let d = tempfile::tempdir().unwrap();
    let x = d.path().join("l.xlsx");
    std::fs::copy(root().join("tests/fixtures/percent_ledger.xlsx"), &x).unwrap();
    let (_d, ws) = open(
        "file = \"facts.csv\"\n[data.tables]\nledger = \"l.xlsx\"",
        &[("facts.csv", facts("2021", "1").as_bytes()), ("l.xlsx", &std::fs::read(&x).unwrap())],
    );
    let ws = ws.unwrap();
    assert!(close(value(&ws, "table(\"ledger\").mean(\"完成率（%）\")"), (95.5 + 100.0 + 80.0) / 3.0, 1e-12));
    assert_eq!(value(&ws, "table(\"ledger\").filter(|p| p[\"完成率（%）\"] >= 100).count()"), 1.0);
    assert_eq!(value(&ws, "table(\"ledger\").filter(|p| p[\"完成率（%）\"] < 90).count()"), 1.0);
}

#[test]
fn a_formula_without_its_saved_result_is_refused_at_its_cell() {
    // openpyxl and other programs write =1+2 without its result; read as an empty cell,
    // 甲镇's figure went missing and the towns' sum was 5, not 8.
    let x = std::fs::read(root().join("tests/fixtures/unsaved_formula.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"", &[("f.xlsx", &x)]);
    let e = err(ws);
    assert!(
        e.ends_with(
            "f.xlsx[Sheet]:2:4: cell D2 holds a formula (=1+2) whose result the file does not store: open the workbook in Excel or \
             LibreOffice and save it (yearbook reads saved results, it does not compute formulas), or type the figure"
        ),
        "{e}"
    );
}

/// A unit row as offices write it: a price basis in brackets, the currency's name,
/// spaces. 123456 万元 is 12.3456 亿元 (for an indicator in 万元: 123456; in 亿元 below).
/// A unit row whose unit cannot be read is an error at its cell, never left unread.
#[test]
fn unit_row_spellings_are_read_or_refused() {
    let ind_yi = "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\npop,年末总人口,万人,stock,sum\n";
    for unit in ["单位：万元（当年价）", "单位：人民币万元", "单位：万 元", "单位：万元人民币", "(单位:万元(可比价))", "单位：万元、万人"]
    {
        let f = format!("表1,,,\n{unit},,,\n地区,年份,指标,数值\nt1,2021,gdp,123456\nt2,2021,gdp,80000\nt2,2021,pop,5\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{unit}: {e}"));
        assert!(close(value(&ws, "only(gdp, \"t1\")"), 12.3456, 1e-12), "{unit}");
        assert!(close(value(&ws, "only(rollup(gdp, \"county\"), \"c1\")"), 20.3456, 1e-12), "{unit}");
        assert_eq!(value(&ws, "only(pop, \"t2\")"), 5.0, "{unit}");
    }
    // A unit for one kind said beside the first: population in 万人 (5万人 = 50000 for an
    // indicator in 人). It was dropped: 5 人.
    let ind_people = "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\npop,年末总人口,人,stock,sum\n";
    for unit in ["单位：万元（人口：万人）", "单位：万元；人口：万人", "单位：万元 人口单位：万人", "单位：万元(人口为万人)"]
    {
        let f = format!("表1,,,\n{unit},,,\n地区,年份,指标,数值\nt1,2021,gdp,123456\nt2,2021,gdp,80000\nt2,2021,pop,5\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_people.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{unit}: {e}"));
        assert!(close(value(&ws, "only(gdp, \"t1\")"), 12.3456, 1e-12), "{unit}");
        assert_eq!(value(&ws, "only(pop, \"t2\")"), 50000.0, "{unit}");
    }
    // The workbook: 单位：万元（当年价） in D2, over a merged title.
    let x = std::fs::read(root().join("tests/fixtures/unit_row_price_basis.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"", &[("f.xlsx", &x), ("indicators.csv", ind_yi.as_bytes())]);
    let ws = ws.unwrap();
    assert!(close(value(&ws, "only(gdp, \"t1\")"), 12.3456, 1e-12));
    // Unreadable: refused at the cell, saying what to write.
    let (d, ws) = open("file = \"f.xlsx\"\nsheet = \"港元\"", &[("f.xlsx", &x)]);
    assert_eq!(
        err(ws).replace(&format!("{}/", d.path().display()), ""),
        "f.xlsx[港元]:2:3: the unit row \"单位：万港元\" names a unit yearbook does not read (\"万港元\"): write the unit alone after \
         单位：, as 单位：万元 or 单位：亿元 (a price basis may follow in brackets: 单位：万元（当年价）), or give each figure's unit in \
         a 计量单位 column; a unit left unread would leave every figure in its indicator's unit"
    );
    for (unit, said) in [
        ("单位：万元当年价", "\"万元当年价\""),
        ("单位：万元、亿元", "two units of one kind (万元, 亿元)"),
        ("金额单位：1万元", "\"1万元\""),
    ] {
        let f = format!("表1,,,\n,,{unit},\n地区,年份,指标,数值\nt1,2021,gdp,1\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let e = err(ws);
        assert!(e.contains("facts.csv:2:3: the unit row") && e.contains(said), "{unit}: {e}");
    }
    // Money in another currency does not convert into 万元, wide or long.
    let f = "单位：万美元\n地区,年份,指标,数值\nt1,2021,gdp,1\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert!(err(ws).contains("facts.csv:3:4: the value is in 万美元, which does not convert to 万元 (gdp's unit)"));
    let g = "单位：万美元\n地区,年份,gdp\n甲镇,2021,2\n";
    let (_d, ws) = open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", g.as_bytes())]);
    assert!(err(ws).contains("the unit row says 万美元, which does not convert to 万元 (gdp's unit)"));
}

/// A unit stated under the header (`(万元)` in the row below the value column), in one
/// cell with the office (`编制单位：县统计局    单位：万元`) or alone in brackets above the
/// header (`（万元）`) is the figures' unit: 77500 万元 is 7.75 亿元 (each was read as
/// 77500 亿元, the row of units dropped unread).
#[test]
fn a_unit_under_the_header_or_beside_the_office_converts_the_figures() {
    let ind_yi = "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\npop,年末总人口,万人,stock,sum\n";
    let body = "t1,2021,gdp,77500\nt2,2021,gdp,64000\n";
    for head in [
        "地区,年份,指标,数值\n,,,(万元)\n",
        "地区,年份,指标,数值\n,,,（万元）\n",
        "地区,年份,指标,数值\n,,,单位：万元\n",
        "表1 各镇主要经济指标,,,\n编制单位：县统计局    单位：万元,,,\n地区,年份,指标,数值\n",
        "表1 各镇主要经济指标,,,\n,,,（万元）\n地区,年份,指标,数值\n",
    ] {
        let f = format!("{head}{body}");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{head}: {e}"));
        assert!(close(value(&ws, "only(gdp, \"t1\")"), 7.75, 1e-12), "{head}: {}", value(&ws, "only(gdp, \"t1\")"));
        assert!(close(value(&ws, "only(gdp, \"t2\")"), 6.4, 1e-12), "{head}");
    }
    // A wide table, each column with its unit in the row under the header.
    let w = "地区,年份,地区生产总值,年末总人口\n,,(万元),(人)\n甲镇,2021,77500,12000\n";
    let (_d, ws) =
        open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", w.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
    let ws = ws.unwrap();
    assert!(close(value(&ws, "only(gdp, \"t1\")"), 7.75, 1e-12));
    assert!(close(value(&ws, "only(pop, \"t1\")"), 1.2, 1e-12));
    // A unit in the header itself stays; a count word under it converts nothing; a
    // bracketed title above the header is a title.
    let f = "地区,年份,指标,数值（亿元）\n,,,(个)\nt1,2021,gdp,7\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 7.0);
    // Units over several columns above the header are no table unit (it took the first).
    let f = ",,(万元),(亿元)\n地区,年份,指标,数值\nt1,2021,gdp,1.8\n";
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
    assert!(ws.is_err());
    // An office ending in 单位 is no unit: 填报单位：县直机关事业单位 填报日期：….
    let f = format!("填报单位：县直机关事业单位 填报日期：2022年1月,,,\n地区,年份,指标,数值\n{body}");
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 77500.0);
    // One unit under every year of a table of periods: the table's unit; the years stay.
    let f = "地区,2020年,2021年\n,(万元),(万元)\n甲镇,60000,77500\n";
    let (_d, ws) = open(
        "file = \"w.csv\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"",
        &[("w.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())],
    );
    assert!(close(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 7.75, 1e-12));
    let f = format!("（续）,,,\n地区,年份,指标,数值\n{body}");
    let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes()), ("indicators.csv", ind_yi.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(gdp, \"t1\")"), 77500.0);
}

/// A per-capita column headed by its numerator's unit, as yearbooks head 人均可支配收入
/// （元） for an indicator in 元/人: 30000 元 is 30000 元/人 and 1.2 万元 is 12000 元/人, in
/// the header, in a row of units under it (one unit under every column included: each
/// column's own, never ignored) and in a unit column; a unit of another kind is refused.
#[test]
fn a_per_capita_column_headed_by_its_numerators_unit_converts() {
    let inds = "code,label,unit,kind,rollup
gdp,地区生产总值,亿元,flow,sum
inc,人均收入,元/人,rate,none
";
    let wide = |f: &str| {
        let (d, ws) =
            open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", f.as_bytes()), ("indicators.csv", inds.as_bytes())]);
        ws.map(|ws| value(&ws, "only(inc, \"t1\")")).map_err(|e| e.to_string().replace(&format!("{}/", d.path().display()), ""))
    };
    assert_eq!(wide("地区,年份,人均收入（元）\n甲镇,2021,30000\n"), Ok(30000.0));
    assert_eq!(wide("地区,年份,人均收入（万元）\n甲镇,2021,1.2\n"), Ok(12000.0));
    assert_eq!(wide("地区,年份,人均收入\n,,(元)\n甲镇,2021,30000\n"), Ok(30000.0));
    // One unit under every column: 1.2 万元 per person, not 1.2 元/人 (it was left unread).
    assert_eq!(wide("地区,年份,人均收入\n,,(万元)\n甲镇,2021,1.2\n"), Ok(12000.0));
    assert_eq!(wide("地区,年份,人均收入,地区生产总值\n,,(万元),(万元)\n甲镇,2021,1.2,77500\n"), Ok(12000.0));
    assert_eq!(
        wide("地区,年份,人均收入\n,,(人)\n甲镇,2021,3\n"),
        Err("w.csv:1:3: header \"人均收入\": \"人均收入\" is in 人, which does not convert to 元/人 (inc's unit)".to_string())
    );
    assert!(wide("地区,年份,人均收入（元/户）\n甲镇,2021,3\n").unwrap_err().contains("is in 元/户, which does not convert to 元/人"));
    // Only per person: 单产（公斤） is per 亩 in yearbooks, not per 公顷.
    let inds2 = "code,label,unit,kind,rollup\nyh,粮食单产,公斤/公顷,rate,none\n";
    let f = "地区,年份,粮食单产（公斤）\n甲镇,2021,450\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", f.as_bytes()), ("indicators.csv", inds2.as_bytes())]);
    assert!(err(ws).contains("is in 公斤, which does not convert to 公斤/公顷"));
    let long = "region,year,indicator,value,unit\nt1,2021,inc,1.2,万元\n";
    let (_d, ws) = open("file = \"l.csv\"", &[("l.csv", long.as_bytes()), ("indicators.csv", inds.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "only(inc, \"t1\")"), 12000.0);
}

/// The signature row of a statistical form (表尾) below the table is no data row.
#[test]
fn a_forms_signature_footer_is_left_out() {
    let x = std::fs::read(root().join("tests/fixtures/signature_footer.xlsx")).unwrap();
    let (_d, ws) = open("file = \"f.xlsx\"", &[("f.xlsx", &x)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "only(gdp, \"t1\")"), 125000.0);
    assert_eq!(value(&ws, "only(gdp, \"t2\")"), 80000.0);
    let (d, ws) = open("file = \"f.xlsx\"\nsheet = \"下方\"", &[("f.xlsx", &x)]);
    assert_eq!(
        err(ws).replace(&format!("{}/", d.path().display()), ""),
        "f.xlsx[下方]:4: a row of figures below the form's footer on line 3 (单位负责人：, 填表人：, 报出日期：): everything below it \
         is left out; move the footer below the last row"
    );
    // CSV, on the fast path and the table reader's.
    let footer = "单位负责人：张三,,统计负责人：李四,填表人：王五\n报出日期：2022年1月5日\n";
    for head in ["region,period,indicator,value\n", "表1\nregion,period,indicator,value\n"] {
        let f = format!("{head}t1,2021,gdp,1\nt2,2021,gdp,2\n{footer}");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{head}: {e}"));
        assert_eq!(value(&ws, "only(gdp, \"t2\")"), 2.0);
        let f = format!("{head}t1,2021,gdp,1\n{footer}t2,2021,gdp,2\n");
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        let e = err(ws);
        assert!(e.contains("a row of figures below the form's footer on line"), "{head}: {e}");
    }
}

/// 18-digit credit codes typed into number cells have lost their last digits: refused
/// at the cell, never loaded as one made-up code.
#[test]
fn long_codes_in_number_cells_are_refused() {
    let x = std::fs::read(root().join("tests/fixtures/credit_code_numbers.xlsx")).unwrap();
    for types in ["", ", types = { credit_code = \"text\" }"] {
        let entry = format!("file = \"facts.csv\"\n[data.tables]\nent = {{ file = \"ent.xlsx\"{types} }}");
        let (d, ws) = open(&entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.xlsx", &x)]);
        assert_eq!(
            err(ws).replace(&format!("{}/", d.path().display()), ""),
            "ent.xlsx[Sheet]:2:1: cell A2 in column \"credit_code\" is a number cell of 18 digits (913304211234568000): a number \
             cell keeps only 15 significant digits, so the code's last digits were lost in the file; format the column as text in \
             Excel (设置单元格格式 → 文本, or type ' before each code) and enter the codes again",
            "{types}"
        );
    }
    // Declared a number, the column is figures (as the file holds them).
    let entry = "file = \"facts.csv\"\n[data.tables]\nent = { file = \"ent.xlsx\", types = { credit_code = \"number\" } }";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.xlsx", &x)]);
    assert!(ws.is_ok());
    // A CSV saved by Excel from number cells: 9.13304E+17 in a code column.
    let ledger = "统一社会信用代码,产值\n9.13304E+17,10\n9.13304E+17,20\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nent = \"ent.csv\"";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", ledger.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("ent.csv:2:1: \"9.13304E+17\" in column \"统一社会信用代码\" is a code written as a number in scientific"), "{e}");
    // Under any header (税号, 纳税人识别号, credit, 企业): a number of 16 digits or more in
    // scientific notation is a mangled code, never a figure of a ledger (two enterprises
    // were one group, 913300001111111040, a code never in the file).
    for (head, cell) in [("税号", "9.13300001111111E+17"), ("纳税人识别号", "9.133E+17"), ("credit", "9.133E+17"), ("企业", "9.133E+17")]
    {
        let ledger = format!("{head},产值\n{cell},100\n{cell},200\n");
        let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", ledger.as_bytes())]);
        let e = err(ws);
        assert!(e.contains(&format!("ent.csv:2:1: \"{cell}\" in column \"{head}\" is a code written as a number in scientific")), "{e}");
    }
    // With a text code beside it (91330000111111111X), the column is text and so refused too.
    let ledger = "纳税人识别号,产值\n9.133E+17,100\n91330000111111111X,50\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", ledger.as_bytes())]);
    assert!(err(ws).contains("\"9.133E+17\" in column \"纳税人识别号\""));
    // Figures in scientific notation below 16 digits stay figures; 税号 of whole digits stays text.
    let ledger = "企业,产值,税号\n甲,1.5E+3,913300001111111110\n乙,2E+4,913300001111111111\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", ledger.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "table(\"ent\").sum(\"产值\")"), 21500.0);
    assert_eq!(value(&ws, "table(\"ent\").group_by(\"税号\").count().len().to_float()"), 2.0);
}

/// A record table whose header names a column twice is refused at the second: the
/// second was unreachable and sum("amt") silently the first's (3, not 33 or an error).
#[test]
fn a_ledger_header_naming_a_column_twice_is_refused() {
    let entry = "file = \"facts.csv\"\n[data.tables]\nent = \"ent.csv\"";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", "name,amt,amt\nA,1,10\nB,2,20\n".as_bytes())]);
    let e = err(ws);
    assert!(e.contains("ent.csv:1:3: the header names column 3 \"amt\" as column 2 does"), "{e}");
    // Distinct names, and blank headers, load as before.
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", "name,amt,amt2\nA,1,10\nB,2,20\n".as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "table(\"ent\").sum(\"amt2\")"), 30.0);
}

/// x (also X, ×) is the yearbook symbol for a figure withheld: missing, in facts and in
/// a record table's column of numbers; a column of x marks alone stays text.
#[test]
fn withheld_symbol_x_reads_as_missing() {
    for sym in ["x", "X", "×"] {
        let (_d, ws) = open("file = \"facts.csv\"", &[("facts.csv", format!("{}t2,2021,gdp,1.5\n", facts("2021", sym)).as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{sym}: {e}"));
        assert!(value(&ws, "only(gdp, \"t1\")").is_nan(), "{sym}");
        // t1 is listed with its figure withheld: the county's total is unknown, and the
        // others' is asked for by name.
        assert!(value(&ws, "only(rollup(gdp, \"county\"), \"c1\")").is_nan(), "{sym}");
        assert_eq!(value(&ws, "only(rollup(gdp, \"county\", \"reported\"), \"c1\")"), 1.5, "{sym}");
    }
    let ent = "企业,产值,保密\n甲,100,x\n乙,x,\n丙,50,x\n";
    let entry = "file = \"facts.csv\"\n[data.tables]\nent = \"ent.csv\"";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", ent.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "table(\"ent\").sum(\"产值\")"), 150.0);
    assert_eq!(value(&ws, "table(\"ent\").filter(|e| e.保密 == \"x\").count()"), 2.0);
}

/// A missing cell of a ledger's column of numbers is — inside text, as a missing figure
/// is: `${r.amt}`, `"产值" + r.amt` and `s += r.amt` printed nothing (a sentence read as if
/// nothing were missing) and a row printed `"amt": ,`.
#[test]
fn a_missing_ledger_cell_prints_a_dash_inside_text() {
    let entry = "file = \"facts.csv\"\n[data.tables]\nent = \"ent.csv\"";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "1").as_bytes()), ("ent.csv", "企业,产值\n甲,100\n乙,\n".as_bytes())]);
    let ws = ws.unwrap();
    let text = |e: &str| ws.eval(e).unwrap().value.clone().into_dynamic().into_string().unwrap_or_else(|t| panic!("{e}: {t}"));
    let r = "let r = table(\"ent\").rows()[1];";
    assert_eq!(text(&format!("{r} `乙${{r.产值}}万元`")), "乙—万元");
    assert_eq!(text(&format!("{r} \"产值\" + r.产值 + \"|\" + (r.产值 + \"万元\")")), "产值—|—万元");
    assert_eq!(text(&format!("{r} let s = \"产值\"; s += r.产值; s")), "产值—");
    assert_eq!(text(&format!("{r} `${{r}}|${{[r.产值, 1]}}`")), "#{\"产值\": —, \"企业\": \"乙\"}|[—, 1]");
}

/// 截至2020年3月 (through March) is the cumulative 1-3月 figure: loaded as such with
/// `cumulative = true`, refused without it as other cumulative spellings are.
#[test]
fn jiezhi_periods_are_cumulative() {
    for period in ["截至2020年3月", "截止2020年3月", "2020年截至3月"] {
        let f = facts(period, "100");
        let (_d, ws) = open("file = \"facts.csv\"\ncumulative = true", &[("facts.csv", f.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{period}: {e}"));
        assert_eq!(value(&ws, "at(cumulative.gdp, \"t1\", \"2020-03\")"), 100.0, "{period}");
        let (d, ws) = open("file = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        assert_eq!(
            err(ws).replace(&format!("{}/", d.path().display()), ""),
            format!(
                "facts.csv:2:2: period \"{period}\" is cumulative (累计, from the start of 2020 through 2020-03): a different fact \
                 from the period's own figure; add `cumulative = true` to this file's [[data.facts]] entry to load it as \
                 cumulative.<indicator> at 2020-03"
            )
        );
    }
}

/// The sheet read by default is the first visible one: a hidden first sheet (a stale copy
/// with GDP 999, a template with 示例 figures) was read silently. Named, a hidden sheet
/// is still read.
#[test]
fn a_hidden_sheet_is_never_read_unless_named() {
    let d = root().join("tests/fixtures/hidden_sheets");
    let (code, out, err) = cli_in(&d, &["eval", "-c", "yearbook.toml", "--format", "csv", "gdp"]);
    assert_eq!((code, out.trim()), (0, "region,name,period,value,unit\nt1,甲镇,2020,100,万元"), "{err}");
    let (code, out, err) = cli_in(&d, &["eval", "-c", "y_table.toml", "table(\"p\").sum(\"invest\")"]);
    assert_eq!((code, out.trim()), (0, "300"), "{err}");
}

/// Number cells shown through a zero-padded format (`000`, `000000000000`) are read as
/// shown: 001 and the 12-digit 区划代码 033042110120, which were read as 1 and
/// 33042110120, so that `seq == "001"` matched nothing.
#[test]
fn zero_padded_number_formats_keep_their_zeros() {
    let d = root().join("tests/fixtures/zero_padded_codes");
    let (code, out, err) = cli_in(&d, &["eval", "-c", "yearbook.toml", "--format", "csv", "table(\"ent\")"]);
    assert_eq!(
        (code, out.trim()),
        (0, "seq,name,village_code,output_wan_yuan\n001,甲,033042110120,10\n002,乙,033042110121,20\n010,丙,033042110120,5"),
        "{err}"
    );
    let (code, out, _) =
        cli_in(&d, &["eval", "-c", "yearbook.toml", "table(\"ent\").filter(|e| e.village_code == \"033042110120\").count()"]);
    assert_eq!((code, out.trim()), (0, "2"));
}

/// A column headed 数值（千元） whose cells hold 元 and show 千元 through the thousands
/// scaling format `#,##0,` is read as shown (1,234.567 千元 = 123.4567 万元), not as the
/// stored 元 taken for 千元 (a thousand times too large).
#[test]
fn thousands_scaling_formats_are_read_as_shown() {
    let d = root().join("tests/fixtures/thousands_format");
    let (code, out, err) = cli_in(&d, &["eval", "-c", "yearbook.toml", "--format", "csv", "gdp"]);
    assert_eq!((code, out.trim()), (0, "region,name,period,value,unit\nt1,甲镇,2020,123.4567,万元\nt2,乙镇,2020,775,万元"), "{err}");
}

/// A number format whose sections scale differently: by sign (`#,##0,;-#,##0` shows
/// 123456 as 123 and -500000 as -500,000) each number reads by its own section, 123.456千元
/// and -500000千元; by condition (`[>=1000]#,##0,;0` shows 500 as 500) the cell is refused.
/// Read by the first section's scale, -500000千元 was -50万元 and 500千元 0.05万元
/// (review33 03).
#[test]
fn number_formats_whose_sections_scale_differently_read_by_sign_or_are_refused() {
    let d = root().join("tests/fixtures/sectioned_format");
    let (status, out, err) = cli_in(&d, &["eval", "-c", "yearbook.toml", "--format", "csv", "gdp"]);
    assert_eq!(status, 0, "{err}");
    let values: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').nth(3).unwrap_or("")).collect();
    assert_eq!(values, ["12.3456", "-50000"], "{out}");
    let (status, _, err) = cli_in(&d, &["eval", "-c", "cond.toml", "gdp"]);
    assert_eq!(status, 2);
    assert!(
        err.contains(
            "cell D2 holds 123456 and its number format ([>=1000]#,##0,;0) has sections (split by ;) that scale numbers \
             differently, each for the values its condition picks"
        ),
        "{err}"
    );
}

/// review35 06: a percent in one section of a number format (`0.0;-0.0%` shows -0.05 as
/// -5.0%, `0.0%;-0.0` shows 0.53 as 53.0% and -0.05 as -0.1) was read by the first
/// section alone: -0.05 shown as -5.0% loaded as -0.05%, and -0.05 shown as -0.1 as -5%.
/// Each number reads by its own section; a percent in a section a condition picks
/// (`[<0]0.0%;0.0`) is refused at its cell.
#[test]
fn a_percent_in_one_section_of_a_number_format_reads_by_sign() {
    let d = root().join("tests/fixtures/sectioned_format");
    let (status, out, err) = cli_in(&d, &["eval", "-c", "pct.toml", "--format", "csv", "urb"]);
    assert_eq!(
        (status, out.trim()),
        (0, "region,name,period,value,unit\nt1,甲镇,2020,-0.05,%\nt1,甲镇,2021,53,%\nt2,乙镇,2020,0.5,%\nt2,乙镇,2021,-5,%"),
        "{err}"
    );
    let (status, _, err) = cli_in(&d, &["eval", "-c", "pctcond.toml", "urb"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("cell D2 holds -0.05 and its number format ([<0]0.0%;0.0) has sections (split by ;) that scale numbers differently"),
        "{err}"
    );
}

/// Units in a unit row parted by a space (单位：亿元　万人, as offices pad cells, or an
/// ordinary space) are a list, as with 、: 0.2341万人 loads as 2341人 beside 6.56亿元
/// as 65600万元 (the second unit was dropped, 0.2341 read as 人). Spaces inside one
/// unit (万 元) stay padding.
#[test]
fn units_parted_by_a_space_in_a_unit_row_are_each_read() {
    for sep in ["、", "\u{3000}", " ", "  "] {
        let wide = format!("单位：亿元{sep}万人\n地区,年份,地区生产总值,年末总人口\n甲镇,2021,6.56,0.2341\n");
        let ind = "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\npop,年末总人口,人,stock,sum\n";
        let (_d, ws) =
            open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", wide.as_bytes()), ("indicators.csv", ind.as_bytes())]);
        let ws = ws.unwrap();
        assert_eq!((value(&ws, "at(gdp, \"t1\", 2021)"), value(&ws, "at(pop, \"t1\", 2021)")), (65600.0, 2341.0), "{sep:?}");
    }
    let padded = "单位：万 元\n地区,年份,地区生产总值\n甲镇,2021,6.56\n";
    let (_d, ws) = open("file = \"p.csv\"\ncolumns_are = \"indicators\"", &[("p.csv", padded.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 6.56);
    // Two units of one kind parted by a space are refused as with 、.
    let two = "单位：亿元 万元\n地区,年份,地区生产总值\n甲镇,2021,6.56\n";
    let (_d, ws) = open("file = \"t.csv\"\ncolumns_are = \"indicators\"", &[("t.csv", two.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("names two units of one kind (亿元, 万元)"), "{e}");
}

/// A number format that writes a unit beside the figure it shows as stored (`0.00"亿元"`
/// shows 0.5 as 0.50亿元): the figure is in that unit. Where neither the column's header
/// nor the unit row names it, the cell is refused (0.5 loaded as 0.5万元, 65600 as
/// 65600亿元); where they do, it converts as they say. Words that are no unit (`"约"0`)
/// leave the figure as it is.
#[test]
fn a_unit_written_by_a_number_format_must_be_the_columns() {
    let fixture = std::fs::read(root().join("tests/fixtures/unit_formats.xlsx")).unwrap();
    let sheet = |name: &str| open(&format!("file = \"u.xlsx\"\nsheet = \"{name}\""), &[("u.xlsx", &fixture)]);
    let e = err(sheet("unsaid").1);
    assert!(
        e.ends_with(
            "u.xlsx[unsaid]:2:4: cell D2 holds 0.5 and its number format (0.00\"亿元\") shows it in 亿元, a unit the header's \
             column and the unit row do not name: read, the figure would be in its indicator's unit; say the unit in the \
             column's header (数值（亿元）) or a unit row (单位：亿元); where figures of several units share the column, set its \
             number format to 常规 (General) and give each figure's unit in a 计量单位 column"
        ),
        "{e}"
    );
    let (_d, ws) = sheet("said");
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(gdp, \"t1\", 2021)"), value(&ws, "at(gdp, \"t2\", 2021)")), (5000.0, 12500.0));
    let (_d, ws) = open("file = \"u.xlsx\"\nsheet = \"row\"\ncolumns_are = \"indicators\"", &[("u.xlsx", &fixture)]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(gdp, \"t1\", 2021)"), value(&ws, "at(pop, \"t1\", 2021)")), (65600.0, 0.2));
    let (_d, ws) = sheet("words");
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 30.0);
    // Words beside the unit (约, 以上), a unit written without quotes, or one yearbook does
    // not read (亿元/年): the unit is still the format's.
    for (name, shown) in
        [("approx", "\"约\"0.00\"亿元\") shows it in 亿元,"), ("bare", "0.00亿元) shows it in 亿元,"), ("per_year", "shows it in 亿元/年,")]
    {
        let e = err(sheet(name).1);
        assert!(e.contains(shown), "{name}: {e}");
    }
    let (_d, ws) = sheet("approx_said");
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 5000.0);
    let (_d, ws) = open(
        "file = \"f.csv\"\n[data.tables]\nledger = { file = \"u.xlsx\", sheet = \"ledger\" }",
        &[("u.xlsx", &fixture), ("f.csv", facts("2021", "1").as_bytes())],
    );
    assert!(err(ws).contains("u.xlsx[ledger]:2:2: cell B2 holds 1.2 and its number format (0.0\"亿元\") shows it in 亿元"));
}

/// inputs17 03: a ledger's unit in a header cell over a second row (`总投资（亿元）` over `计划
/// | 已完成`) stood in the middle of the joined name (`总投资（亿元） 计划`) and was lost: 1.5亿元
/// was added to a series in 万元 as 1.5. The bracket stays at the end, as the column's unit.
#[test]
fn a_unit_over_a_second_header_row_stays_the_columns() {
    let entry = "file = \"facts.csv\"\n[data.tables]\nq = \"q.csv\"";
    let q = "项目名称,region,总投资（亿元）,\n,,计划,已完成\n道路A,t1,1.5,1\n桥梁B,t1,2,0.5\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "100").as_bytes()), ("q.csv", q.as_bytes())]);
    let ws = ws.unwrap();
    let c = "table(\"q\").sum(\"总投资 计划（亿元）\")";
    assert_eq!(value(&ws, c), 3.5);
    assert_eq!(value(&ws, &format!("at(gdp + {c}, \"t1\", 2021)")), 35100.0);
    assert_eq!(value(&ws, &format!("at(share({c}, gdp), \"t1\", 2021)")), 350.0);
    assert_eq!(value(&ws, "at(gdp + table(\"q\").sum(\"总投资 已完成（亿元）\"), \"t1\", 2021)"), 15100.0);
}

/// inputs17 05: a ledger whose 计量单位 column says 亿元 on one row and 万元 on another
/// summed 1.5 and 200 to 201.5. A statistic over rows of several units is refused; the
/// rows of one unit sum as before.
#[test]
fn a_ledger_column_over_rows_of_several_units_is_refused() {
    let entry = "file = \"facts.csv\"\n[data.tables]\np = \"p.csv\"";
    let p = "项目名称,region,投资额,计量单位\n项目A,t1,1.5,亿元\n项目B,t1,200,万元\n项目C,t1,300,万元\n";
    let (_d, ws) = open(entry, &[("facts.csv", facts("2021", "100").as_bytes()), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    for e in [
        "table(\"p\").sum(\"投资额\")",
        "table(\"p\").mean(\"投资额\")",
        "table(\"p\").sum_all(\"投资额\")",
        "table(\"p\").group_by(\"region\").sum(\"投资额\")",
    ] {
        let m = ws.eval(e).map(|_| ()).unwrap_err().to_string();
        assert!(
            m.contains(
                "column `投资额` of table `p` holds figures in 亿元, 万元 (its unit column says so row by row): taken together they \
                 would be added as one unit"
            ),
            "{e}: {m}"
        );
    }
    assert_eq!(value(&ws, "table(\"p\").filter(|p| p.计量单位 == \"万元\").sum(\"投资额\")"), 500.0);
    assert_eq!(value(&ws, "table(\"p\").count()"), 3.0);
}

/// An .xls (Excel 97-2003) or .ods sheet reads as it shows, as an .xlsx does: a cell
/// formatted `#,##0,` under 千元, a percent cell, a date shown as its month, and merged
/// cells. The .xls and .ods readers ignored all of these: 1000000 shown as 1,000 千元
/// loaded as 100000 万元 (1000 times too large), 65.5% as 0.655, a figure merged over
/// two towns loaded as the first town's alone, and 0.00"亿元" on 1.5 as 1.5 万元. The
/// files are the .xlsx saved as .xls and .ods by LibreOffice.
#[test]
fn xls_and_ods_sheets_read_as_they_show() {
    let indicators = format!("{INDICATORS}rate,城镇化率,%,rate,none\n");
    for ext in ["xlsx", "xls", "ods"] {
        let x = std::fs::read(root().join(format!("tests/fixtures/same_sheets/shown_formats.{ext}"))).unwrap();
        let f = format!("f.{ext}");
        let entry = |sheet: &str, more: &str| format!("file = \"{f}\"\nsheet = \"{sheet}\"{more}");
        let files: [(&str, &[u8]); 2] = [(&f, &x), ("indicators.csv", indicators.as_bytes())];
        let (_d, ws) = open(&entry("shown", "\ncolumns_are = \"indicators\""), &files);
        let ws = ws.unwrap_or_else(|e| panic!("{ext}: {e}"));
        // 1,000 千元 is 100 万元; 2,346 千元 (2345678 元 shown in thousands) is 234.5678 万元.
        assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 100.0, "{ext}");
        assert!(close(value(&ws, "at(gdp, \"t2\", 2021)"), 234.5678, 1e-9), "{ext}");
        assert_eq!(value(&ws, "at(rate, \"t1\", 2021)"), 65.5, "{ext}");
        assert_eq!(value(&ws, "at(rate, \"t2\", 2021)"), 50.0, "{ext}");
        let (_d, ws) = open(&entry("yi", "\ncolumns_are = \"indicators\""), &files);
        let e = err(ws);
        assert!(e.contains(&format!("f.{ext}[yi]:2:3: cell C2 holds 1.5 and its number format (")), "{ext}: {e}");
        assert!(e.contains(") shows it in 亿元, a unit the header's column and the unit row do not name"), "{ext}: {e}");
        let (_d, ws) = open(&entry("months", ""), &files);
        let ws = ws.unwrap_or_else(|e| panic!("{ext}: {e}"));
        assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-02\")"), 7.0, "{ext}");
        assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-01\")"), 5.0, "{ext}");
        let (_d, ws) = open(&entry("merged_figure", ""), &files);
        let e = err(ws);
        assert!(
            e.contains(&format!(
                "f.{ext}[merged_figure]:2:4: cell D2 is merged over D2:D3 (2 rows) in column \"数值\", a column of figures: its \
                 one figure (300) would be read into each cell it covers and counted 2 times"
            )),
            "{ext}: {e}"
        );
        let (_d, ws) = open(&entry("merged_region", ""), &files);
        let ws = ws.unwrap_or_else(|e| panic!("{ext}: {e}"));
        assert_eq!((value(&ws, "at(gdp, \"t1\", 2020)"), value(&ws, "at(gdp, \"t1\", 2021)")), (300.0, 330.0), "{ext}");
    }
    // Formats of sections (`0.0%;-0.0%;"-"`, a dash for zero): an .ods keeps the section
    // shown through the style's conditions (it read 1000000 and 0.655).
    for ext in ["xlsx", "xls", "ods"] {
        let x = std::fs::read(root().join(format!("tests/fixtures/same_sheets/sections.{ext}"))).unwrap();
        let f = format!("s.{ext}");
        let files: [(&str, &[u8]); 2] = [(&f, &x), ("indicators.csv", indicators.as_bytes())];
        let (_d, ws) = open(&format!("file = \"{f}\"\nsheet = \"sections\"\ncolumns_are = \"indicators\""), &files);
        let ws = ws.unwrap_or_else(|e| panic!("{ext}: {e}"));
        let got =
            ["at(gdp, \"t1\", 2021)", "at(rate, \"t1\", 2021)", "at(gdp, \"t2\", 2021)", "at(rate, \"t2\", 2021)"].map(|e| value(&ws, e));
        assert_eq!(got, [100.0, 65.5, 200.0, 12.5], "{ext}");
        let (_d, ws) = open(&format!("file = \"{f}\"\nsheet = \"yi\"\ncolumns_are = \"indicators\""), &files);
        let e = err(ws);
        assert!(e.contains(") shows it in 亿元, a unit the header's column and the unit row do not name"), "{ext}: {e}");
    }
    // The record table of percents, saved as .xls and .ods: mean 91.83, not 0.9183.
    for ext in ["xls", "ods"] {
        let x = std::fs::read(root().join(format!("tests/fixtures/same_sheets/percent_ledger.{ext}"))).unwrap();
        let (_d, ws) = open(
            &format!("file = \"facts.csv\"\n[data.tables]\nledger = \"l.{ext}\""),
            &[("facts.csv", facts("2021", "1").as_bytes()), (&format!("l.{ext}"), &x)],
        );
        let ws = ws.unwrap();
        assert!(close(value(&ws, "table(\"ledger\").mean(\"完成率（%）\")"), (95.5 + 100.0 + 80.0) / 3.0, 1e-12), "{ext}");
        assert_eq!(value(&ws, "table(\"ledger\").filter(|p| p[\"完成率（%）\"] >= 100).count()"), 1.0, "{ext}");
    }
}

/// A CSV header cell holding a line break, as Excel saves a wrapped cell (Alt+Enter:
/// `"数值⏎（亿元）"` quoted): the long file loads 1.5 亿元 as 15000 万元, as the .xlsx does
/// (it was refused at 2:2, "row has 1 fields", a place that is not there). In a wide
/// table a label broken inside (`"地区生产⏎总值（亿元）"`) is suggested with its unit kept:
/// the suggestion without it loaded 1.5 as 1.5 万元.
#[test]
fn a_header_cell_with_a_line_break_reads_whole() {
    let long = "地区,年份,指标,\"数值\n（亿元）\"\n甲镇,2021,地区生产总值,1.5\n";
    let (_d, ws) = open("file = \"f.csv\"", &[("f.csv", long.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 15000.0);
    let wide = "地区,年份,\"地区生产\n总值（亿元）\"\n甲镇,2021,1.5\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", wide.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("is not an indicator (by code or label); did you mean `地区生产总值（亿元）`? (its unit kept)"), "{e}");
}

/// review34 02: the config's `unit = "人"` on a file whose unit row names amounts only
/// (金额单位：万元) was dropped, and 年末总人口 30000 (人) loaded as 30000万人, ten thousand
/// times too many. The entry's unit now speaks for the indicators of its kind, the unit row
/// for the rest; so does a unit row beside a value column's own unit (数值（万元） under
/// 单位：人). Units of one kind that differ are refused, naming both places; a unit row of
/// another kind that speaks for no unit of an indicator is refused as before.
#[test]
fn an_entry_unit_speaks_for_its_kind_beside_a_unit_row_of_another() {
    let pop_gdp = |ws: &yearbook::Workspace| (value(ws, "at(pop, \"t1\", 2021)"), value(ws, "at(gdp, \"t1\", 2021)"));
    let long = "金额单位：万元\n地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n甲镇,2021,年末总人口,30000\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"人\"", &[("a.csv", long.as_bytes())]);
    assert_eq!(pop_gdp(&ws.unwrap()), (3.0, 100.0));
    let header = "地区,年份,指标,数值（万元）\n甲镇,2021,地区生产总值,100\n甲镇,2021,年末总人口,30000\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"人\"", &[("a.csv", header.as_bytes())]);
    assert_eq!(pop_gdp(&ws.unwrap()), (3.0, 100.0));
    let row_and_header = format!("单位：人\n{header}");
    let (_d, ws) = open("file = \"a.csv\"", &[("a.csv", row_and_header.as_bytes())]);
    assert_eq!(pop_gdp(&ws.unwrap()), (3.0, 100.0));
    let wide = "金额单位：万元\n地区,年份,地区生产总值,年末总人口\n甲镇,2021,100,30000\n";
    let (_d, ws) = open("file = \"w.csv\"\ncolumns_are = \"indicators\"\nunit = \"人\"", &[("w.csv", wide.as_bytes())]);
    assert_eq!(pop_gdp(&ws.unwrap()), (3.0, 100.0));
    // 万吨 above a population, beside unit = "万元": the population is still refused.
    let tons = "单位：万吨\n地区,年份,指标,数值\n甲镇,2021,年末总人口,3\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"万元\"", &[("a.csv", tons.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("a.csv:3:4: the file gives its figures in 万吨 (its unit row, the value column's header, or the config's unit), which does not convert to 万人 (pop's unit)"), "{e}");
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"亿元\"", &[("a.csv", header.as_bytes())]);
    let e = err(ws);
    assert!(
        e.contains("a.csv:1:4: the value column \"数值（万元）\" is in 万元, but the config's unit for `")
            && e.contains(
                "a.csv` says 亿元: the file does not say which the figures are in, and read by either they would be 10000 times apart"
            ),
        "{e}"
    );
    // A unit cell against the config's unit names the config (review36 06).
    let cell = "金额单位：万元\n地区,年份,指标,数值,计量单位\n甲镇,2021,年末总人口,3,万人\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"人\"", &[("a.csv", cell.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("a.csv:3:5: the unit cell says 万人, but the file gives its figures in 人 (the config's unit)"), "{e}");
    let own = "金额单位：万元\n地区,年份,指标,数值\n甲镇,2021,年末总人口（万人）,3\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"人\"", &[("a.csv", own.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("a.csv:3:3: the indicator cell names its figures in 万人, but the file gives them in 人"), "{e}");
}

/// review36 05: an entry's unit with a qualifier (亿元（当年价）) or a spelling yearbook
/// does not read was dropped without a word, and 1.5亿元 loaded as 1.5万元. It reads as a
/// unit row's now (the qualifier dropped); a magnitude in brackets (人（万）) or an unread
/// unit (10000人) is refused at the entry.
#[test]
fn an_entry_unit_reads_as_a_unit_rows_or_is_refused() {
    let f = "地区,年份,指标,数值\n甲镇,2021,地区生产总值,1.5\n";
    // A price basis with its base year (review37 08: refused as a magnitude) too.
    for unit in ["亿元（当年价）", "亿元(可比价)", "人民币亿元", "亿元（可比价，2020年=100）", "亿元(按2020年=100可比价)"]
    {
        let (_d, ws) = open(&format!("file = \"a.csv\"\nunit = \"{unit}\""), &[("a.csv", f.as_bytes())]);
        assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 15000.0, "{unit}");
    }
    // A count in a magnitude: 4万个 is 40000个, a count in 家 its own (review37 04: dropped).
    let ind = "code,label,unit,kind,rollup\nfirm,企业数,个,stock,sum\nshop,商户数,家,stock,sum\n";
    let counts = "地区,年份,指标,数值\n甲镇,2021,企业数,4\n甲镇,2021,商户数,5\n";
    let (_d, ws) = open("file = \"c.csv\"\nunit = \"万个\"", &[("c.csv", counts.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(firm, \"t1\", 2021)"), value(&ws, "at(shop, \"t1\", 2021)")), (40000.0, 5.0));
    // An index base alone in brackets labels an index (105.3 is no amount of money): still
    // refused (review39 02).
    // Beside 可比价 too where the base is the year before (按可比价计算，上年=100 labels a
    // growth index), or after a percent (review40 02).
    for unit in
        ["亿元（上年=100）", "元（1978年=100）", "亿元（可比价，上年=100）", "亿元（按可比价计算，上年=100）", "%（可比价，2020年=100）"]
    {
        let (_d, ws) = open(&format!("file = \"a.csv\"\nunit = \"{unit}\""), &[("a.csv", f.as_bytes())]);
        let e = err(ws);
        assert!(e.contains("a magnitude or a unit in brackets after a unit leaves unclear"), "{unit}: {e}");
    }
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"人（万）\"", &[("a.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.ends_with("yearbook.toml:6:1: unit = \"人（万）\": a magnitude or a unit in brackets after a unit leaves unclear which unit the figures are in; write the unit whole (万人, 万元)"), "{e}");
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"10000人\"", &[("a.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("unit = \"10000人\" is a unit yearbook does not read"), "{e}");
}

/// review36 04: a unit row over two cells of other kinds (金额单位：万元 at the left,
/// 人口单位：人 at the right edge) kept the first: 年末总人口 30000人 loaded as 30000万人.
/// Both are the row's list now; two of one kind that differ are refused as before.
#[test]
fn a_unit_row_over_several_cells_names_each_unit() {
    let f = "金额单位：万元,,,人口单位：人\n地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n甲镇,2021,年末总人口,30000\n";
    let (_d, ws) = open("file = \"a.csv\"", &[("a.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(pop, \"t1\", 2021)"), value(&ws, "at(gdp, \"t1\", 2021)")), (3.0, 100.0));
    // Labels and units in cells of their own (金额单位：| 万元 | 人口单位：| 人), and an
    // office's field (填报单位：| 统计站) that names none (review38 02: the second pair was
    // dropped).
    let f =
        "填报单位：,统计站,金额单位：,万元,人口单位：,人\n地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n甲镇,2021,年末总人口,30000\n";
    let (_d, ws) = open("file = \"a.csv\"", &[("a.csv", f.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(pop, \"t1\", 2021)"), value(&ws, "at(gdp, \"t1\", 2021)")), (3.0, 100.0));
    // A record table keeps the first cell's unit for its columns (review37 01: joined, the
    // list left 总投资 without one, and 100万元 + 3.5亿元 was 103.5).
    let p = "金额单位：亿元,,人数单位：人\n项目,总投资,就业人数\n甲路,1.5,30\n乙桥,2,40\n";
    let entry = "file = \"a.csv\"\n[data.tables]\np = \"p.csv\"";
    let f = "地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n";
    let (_d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021) + table(\"p\").sum(\"总投资\")"), 35100.0);
    // A column that says what it counts takes the cell of its kind (review38 03: 就业人数
    // took 亿元): 70人 are 0.007万人.
    assert_eq!(value(&ws, "amount(table(\"p\").sum(\"就业人数\"), \"人\")"), 70.0);
    assert!(close(value(&ws, "to(amount(table(\"p\").sum(\"就业人数\"), \"人\"), \"万人\")"), 0.007, 1e-12));
    // With no unit of its kind in the row, it takes none: 70 people under 金额单位：亿元
    // printed "70 亿元", and added to 100万元 counted 700000万元.
    let p = "金额单位：亿元\n项目,总投资,就业人数,项目个数,完成率\n甲路,1.5,30,2,95\n乙桥,2,40,1,80\n";
    let (d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021) + table(\"p\").sum(\"总投资\")"), 35100.0);
    assert_eq!(value(&ws, "amount(table(\"p\").sum(\"就业人数\"), \"万人\")"), 70.0);
    assert_eq!(value(&ws, "amount(table(\"p\").sum(\"项目个数\"), \"个\")"), 3.0);
    let (code, out, stderr) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "table(\"p\").sum(\"就业人数\")"]);
    assert_eq!((code, out.trim()), (0, "70"), "{stderr}");
    let (code, out, stderr) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", "table(\"p\").sum(\"总投资\")"]);
    assert_eq!((code, out.trim()), (0, "3.5 亿元"), "{stderr}");
    // A fiscal table's 预算数 and 决算数 are amounts, not counts: they keep 亿元 (review39
    // 01: read as counts, 0.6亿元 was 0.6万元). A count of things takes no people unit
    // (review39 06: 人数单位：万人 made 15 firms 15万人), nor one item of a list.
    let p = "金额单位：亿元,,人数单位：万人\n项目,预算数,决算数,企业个数,从业人员\n甲路,0.5,0.4,10,2\n乙桥,0.3,0.2,5,1\n";
    let (_d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021) - table(\"p\").sum(\"预算数\")"), -7900.0);
    assert!(close(value(&ws, "amount(table(\"p\").sum(\"决算数\"), \"亿元\")"), 0.6, 1e-12));
    assert_eq!(value(&ws, "amount(table(\"p\").sum(\"企业个数\"), \"个\")"), 15.0);
    assert_eq!(value(&ws, "amount(table(\"p\").sum(\"从业人员\"), \"万人\")"), 3.0);
    let p = "单位：亿元、万人\n项目,项目数,投资\n甲路,7,0.5\n乙桥,5,0.3\n";
    let (_d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "amount(table(\"p\").sum(\"项目数\"), \"个\")"), 12.0);
    // A list's first unit speaks for a column that says nothing of what it holds, as a
    // row of several cells does (review41: the list left 投资 without a unit).
    assert!(close(value(&ws, "amount(table(\"p\").sum(\"投资\"), \"亿元\")"), 0.8, 1e-12));
    // A total's word after the count (从业人员总数, 企业个数合计), 在校学生 and a growth's
    // 增速 say what they count too (review40 04, 05).
    let p = "金额单位：亿元\n项目,从业人员总数,企业个数合计,在校学生,增速,投资\n甲路,3,2,4,5.5,0.5\n乙桥,2,1,6,4.5,0.3\n";
    let (_d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    for (col, sum) in [("从业人员总数", 5.0), ("企业个数合计", 3.0), ("在校学生", 10.0), ("增速", 10.0)] {
        assert_eq!(value(&ws, &format!("amount(table(\"p\").sum(\"{col}\"), \"%\")")), sum, "{col}");
    }
    assert!(close(value(&ws, "amount(table(\"p\").sum(\"投资\"), \"亿元\")"), 0.8, 1e-12));
    // A rate in a quotient of units keeps it (review40 01: 全员劳动生产率 in 元/人 lost it,
    // and was added to 万元).
    let p = "单位：元/人\n企业,全员劳动生产率\n甲厂,150000\n";
    let (_d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "amount(table(\"p\").sum(\"全员劳动生产率\"), \"元/人\")"), 150000.0);
    // A unit in a group's header over some columns (人口（万人）) is no unit row's: it
    // does not speak for every column of its kind (review37 03: 从业人员 1200 loaded as
    // 1200万人).
    let groups = ",经济（万元）,,人口（人）\n地区,年份,地区生产总值,年末总人口,从业人员\n甲镇,2021,5,30000,1200\n";
    let ind = "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\npop,年末总人口,万人,stock,sum\nemp,从业人员,万人,stock,sum\n";
    let (_d, ws) =
        open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", groups.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(emp, \"t1\", 2021)"), 1200.0);
    // Nor, in a wide table, a labelled cell that may stand over some columns (review38 01:
    // 人口单位：人 over 年末总人口 rescaled 从业人员 beside it); a long file's one value
    // column is under every cell.
    let labelled = "金额单位：万元,,,人口单位：人,\n地区,年份,地区生产总值,年末总人口,从业人员\n甲镇,2021,5,30000,1200\n";
    let (_d, ws) =
        open("file = \"g.csv\"\ncolumns_are = \"indicators\"", &[("g.csv", labelled.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(emp, \"t1\", 2021)"), 1200.0);
    let f = "金额单位：万元,,,单位：亿元\n地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n";
    let (_d, ws) = open("file = \"a.csv\"", &[("a.csv", f.as_bytes())]);
    let e = err(ws);
    assert!(e.contains("line 1 above the header says the figures are in 万元, and line 1 says 亿元"), "{e}");
}

/// review36 03: a 单位：% row spoke for every pure number: 城乡收入比 2倍 loaded as 0.02倍,
/// a bare 0.5 as 0.005, a birth rate of 8.5‰ as 85‰; beside 数值（万元） it did so only
/// since the row speaks for the kinds the header does not. A percent speaks for a percent
/// alone now; a figure of another pure number under it is refused, beside an amount's
/// header too.
#[test]
fn a_percent_unit_row_speaks_for_percents_only() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\nurb,城镇化率,%,rate,none\nbirth,出生率,‰,rate,none\n\
         ratio,城乡收入比,倍,rate,none\npop,常住人口,人,stock,sum\nurb_change,城镇化率变动,百分点,rate,none\n",
    );
    w("yearbook.toml", "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"f.csv\"\n");
    let rows = "甲镇,2021,地区生产总值,100\n甲镇,2021,城镇化率,53\n";
    w("f.csv", &format!("单位：%\n地区,年份,指标,数值（万元）\n{rows}"));
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let at = |c: &str| value(&ws, &format!("at({c}, \"t1\", 2021)"));
    assert_eq!([at("gdp"), at("urb")], [100.0, 53.0]);
    // Beside the value column's unit the row is one of a list: it speaks for its kind
    // and leaves a per mille its own, as a rate row keeps its % beside 金额单位：万元 and
    // unit = "人" (review37 02: the file was refused).
    w("f.csv", &format!("单位：%\n地区,年份,指标,数值（万元）\n{rows}甲镇,2021,出生率,8.5\n"));
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "at(birth, \"t1\", 2021)"), 8.5);
    w("f.csv", "金额单位：万元\n地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n甲镇,2021,城镇化率,53\n甲镇,2021,常住人口,3\n");
    w(
        "yearbook.toml",
        "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"f.csv\"\nunit = \"万人\"\n",
    );
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let at = |c: &str| value(&ws, &format!("at({c}, \"t1\", 2021)"));
    assert_eq!([at("gdp"), at("urb"), at("pop")], [100.0, 53.0, 30000.0]);
    w("yearbook.toml", "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"f.csv\"\n");
    // 个百分点 and % over a change in 百分点 are its unit (review37 05: refused).
    w("f.csv", "单位：个百分点\n地区,年份,指标,数值\n甲镇,2021,城镇化率变动,1.2\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "at(urb_change, \"t1\", 2021)"), 1.2);
    w("f.csv", "单位：%\n地区,年份,指标,数值\n甲镇,2021,城镇化率,53\n甲镇,2021,城乡收入比,2\n");
    let e = err(yearbook::Workspace::open(&d.path().join("yearbook.toml"), None));
    assert!(e.contains("f.csv:4:4: the file gives its figures in % (its unit row, the value column's header, or the config's unit), which does not convert to 倍 (ratio's unit)"), "{e}");
}

/// A record table's unit row in a unit yearbook does not convert (a count in a magnitude,
/// 万个, 万人次; a price basis with its base year) was dropped, and 4万个 read as 4
/// (review40 03); the list of several kinds in one cell left the amounts without theirs.
#[test]
fn a_record_tables_unit_row_is_read_whatever_it_counts() {
    let entry = "file = \"a.csv\"\n[data.tables]\np = \"p.csv\"";
    let f = "地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n";
    let sum = |p: &str, col: &str| {
        let (d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
        ws.unwrap();
        let (code, out, stderr) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", &format!("table(\"p\").sum(\"{col}\")")]);
        assert_eq!(code, 0, "{stderr}");
        out.trim().to_string()
    };
    for (unit, shown) in [("万个", "9 万个"), ("万人次", "9 万人次"), ("万家", "9 万家"), ("个", "9 个"), ("担", "9 担")]
    {
        assert_eq!(sum(&format!("单位：{unit}\n项目,数量\n甲,4\n乙,5\n"), "数量"), shown, "{unit}");
    }
    // A count of things takes a count word's unit: 企业个数 under 单位：万个.
    assert_eq!(sum("单位：万个\n项目,企业个数\n甲,4\n乙,5\n", "企业个数"), "9 万个");
    // A price basis with its base year is one unit (10000 times the figures, had its
    // comma made it a list).
    assert_eq!(sum("单位：万元（可比价，2020年=100）\n项目,投资额\n甲,4\n乙,5\n", "投资额"), "9 万元");
    // Labels of two kinds in one cell: the amounts' unit for the amounts, people's for people.
    let p = "金额单位：万元    人口单位：万人\n项目,投资额,常住人口\n甲,4,1\n乙,5,2\n";
    assert_eq!((sum(p, "投资额"), sum(p, "常住人口")), ("9 万元".to_string(), "3 万人".to_string()));
    // A count in a magnitude in a header's brackets; a bracket of another word is no unit.
    let p = "项目,接待游客（万人次）,工程（续建）\n甲,4,1\n乙,5,2\n";
    assert_eq!((sum(p, "接待游客（万人次）"), sum(p, "工程（续建）")), ("9 万人次".to_string(), "3".to_string()));
    // In figures: 9万个 are 90000个.
    let (_d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", "单位：万个\n项目,数量\n甲,4\n乙,5\n".as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "to(amount(table(\"p\").sum(\"数量\"), \"万个\"), \"个\")"), 90000.0);
}

/// An entry's unit of another kind than its indicators' (`unit = "%"` on a file of figures
/// in 万元) was ignored without a namespace, and 6.5 (%) loaded as 6.5万元 (review40 06):
/// refused at the row that gives such a figure, long or wide, saying what would fix it.
/// Figures of an indicator in that unit load as they are.
#[test]
fn an_entry_unit_of_another_kind_than_its_indicators_is_refused() {
    let ind = "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\nurb,城镇化率,%,rate,none\nnote,备注值,,flow,none\n";
    let long = "region,period,indicator,value\nt1,2021,urb,55.5\nt1,2021,gdp,6.5\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"%\"", &[("a.csv", long.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    assert_eq!(
        err(ws).rsplit_once("/a.csv").map(|(_, m)| format!("a.csv{m}")).unwrap_or_default(),
        "a.csv:3:3: the config's unit = \"%\" says this file's figures are in %, but gdp is in 万元: loaded, % figures would \
         read as 万元; load a file of figures in % under a namespace (`namespace = \"reported\"` makes reported.gdp, in %), or \
         drop `unit` if its figures are in 万元"
    );
    // Of that unit, or of none declared: loaded as they are.
    let fine = "region,period,indicator,value\nt1,2021,urb,55.5\nt1,2021,note,3\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"%\"", &[("a.csv", fine.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!((value(&ws, "at(urb, \"t1\", 2021)"), value(&ws, "at(note, \"t1\", 2021)")), (55.5, 3.0));
    // A wide table: at the column's header.
    let wide = "地区,年份,城镇化率,地区生产总值\n甲镇,2021,55.5,6.5\n";
    let (_d, ws) = open(
        "file = \"w.csv\"\ncolumns_are = \"indicators\"\nunit = \"%\"",
        &[("w.csv", wide.as_bytes()), ("indicators.csv", ind.as_bytes())],
    );
    let e = err(ws);
    assert!(e.contains("w.csv:1:4") && e.contains("but gdp is in 万元"), "{e}");
    // Under a namespace an earlier entry made in another unit (‰).
    let (_d, ws) = open(
        "file = \"b.csv\"\nnamespace = \"plan\"\nunit = \"‰\"\n[[data.facts]]\nfile = \"a.csv\"\nnamespace = \"plan\"\nunit = \"%\"",
        &[
            ("a.csv", long.as_bytes()),
            ("b.csv", "region,period,indicator,value\nt1,2020,gdp,5\n".as_bytes()),
            ("indicators.csv", ind.as_bytes()),
        ],
    );
    let e = err(ws);
    assert!(e.contains("a.csv:2:3:") && e.contains("but plan.urb is in ‰") && e.contains("made plan.urb in ‰"), "{e}");
    // A namespace that makes its indicators takes the unit: reported.gdp in %.
    let (_d, ws) =
        open("file = \"a.csv\"\nnamespace = \"reported\"\nunit = \"%\"", &[("a.csv", long.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(reported.gdp, \"t1\", 2021)"), 6.5);
    // A count (unit = "个") over an amount: refused too; and a % over a count in 个.
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"个\"", &[("a.csv", long.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    assert!(err(ws).contains("unit = \"个\""));
    let firms = format!("{ind}firms,企业个数,个,stock,sum\n");
    let f = "region,period,indicator,value\nt1,2021,firms,6.5\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"%\"", &[("a.csv", f.as_bytes()), ("indicators.csv", firms.as_bytes())]);
    assert!(err(ws).contains("but firms is in 个"));
    // Where the file gives the indicator's unit itself (a unit row, a unit cell, a wide
    // table under 金额单位：万元), the entry's % speaks for the rates alone, as documented.
    for (entry, file) in [
        ("columns_are = \"indicators\"\n", "金额单位：万元\n地区,年份,地区生产总值,城镇化率\n甲镇,2021,6500,55\n"),
        ("", "单位：万元\nregion,period,indicator,value\nt1,2021,gdp,6500\nt1,2021,urb,55\n"),
        ("", "region,period,indicator,value,计量单位\nt1,2021,gdp,6500,万元\nt1,2021,urb,55,\n"),
    ] {
        let (_d, ws) =
            open(&format!("file = \"a.csv\"\n{entry}unit = \"%\""), &[("a.csv", file.as_bytes()), ("indicators.csv", ind.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!((value(&ws, "at(gdp, \"t1\", 2021)"), value(&ws, "at(urb, \"t1\", 2021)")), (6500.0, 55.0), "{file}");
    }
    // A unit cell left empty on a row of an amount: the entry's % is that figure's.
    let f = "region,period,indicator,value,计量单位\nt1,2021,gdp,6500,\n";
    let (_d, ws) = open("file = \"a.csv\"\nunit = \"%\"", &[("a.csv", f.as_bytes()), ("indicators.csv", ind.as_bytes())]);
    assert!(err(ws).contains("but gdp is in 万元"));
}

/// A unit row's per-person unit (人均：元, 人均收入单位：元, 单位：万元（人均为元）) beside
/// the amounts' 万元 was refused as a second unit of money (review38 04): it is 元/人, for
/// the figures per person, in a wide table and in a record table.
#[test]
fn a_unit_rows_per_person_unit_speaks_for_figures_per_person() {
    let ind = "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\ninc,农民人均纯收入,元/人,rate,none\n";
    for row in ["金额单位：万元    人均：元", "金额单位：万元,人均收入单位：元", "单位：万元（人均为元）", "单位：亿元、人均：万元"]
    {
        let f = format!("{row}\n地区,年份,地区生产总值,农民人均纯收入\n甲镇,2021,6500,1.2\n");
        let (_d, ws) =
            open("file = \"w.csv\"\ncolumns_are = \"indicators\"", &[("w.csv", f.as_bytes()), ("indicators.csv", ind.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{row}: {e}"));
        let (gdp, inc) = if row.contains("亿元") { (65_000_000.0, 12_000.0) } else { (6500.0, 1.2) };
        assert!(close(value(&ws, "at(gdp, \"t1\", 2021)"), gdp, 1e-9), "{row}");
        assert!(close(value(&ws, "at(inc, \"t1\", 2021)"), inc, 1e-9), "{row}");
    }
    // A record table: the column per person takes 元/人, the amounts 万元; under a row of
    // one unit, 单位：元, a column per person keeps it, as yearbooks head 人均收入（元）.
    let entry = "file = \"a.csv\"\n[data.tables]\np = \"p.csv\"";
    let f = "地区,年份,指标,数值\n甲镇,2021,地区生产总值,100\n";
    for (p, col, shown) in [
        ("金额单位：万元    人均：元\n村,集体收入,人均可支配收入\n甲,40,30000\n", "人均可支配收入", "30000 元/人"),
        ("金额单位：万元    人均：元\n村,集体收入,人均可支配收入\n甲,40,30000\n", "集体收入", "40 万元"),
        ("单位：元\n村,人均可支配收入\n甲,30000\n", "人均可支配收入", "30000 元"),
        // Under 单位：万元 alone a figure per person is in 元 as yearbooks give it, not
        // 30000万元 a head: no unit; nor does an amounts' list give it one (review41).
        ("单位：万元\n村,人均可支配收入\n甲,30000\n", "人均可支配收入", "30000"),
        ("单位：万元、人\n村,集体收入,户籍人口,人均可支配收入\n甲,40,1000,30000\n", "人均可支配收入", "30000"),
        // A growth per person is a %, and an area per person no money (review41: 元/人).
        ("金额单位：万元    人均：元\n村,集体收入,人均收入增长率,人均住房面积\n甲,40,5.5,45\n", "人均收入增长率", "5.5"),
        ("金额单位：万元    人均：元\n村,集体收入,人均收入增长率,人均住房面积\n甲,40,5.5,45\n", "人均住房面积", "45"),
        ("金额单位：万元    人均：元\n村,集体收入,人均收入增长率,人均住房面积\n甲,40,5.5,45\n", "集体收入", "40 万元"),
        // A row of several kinds: each column its kind's, and none where the header does
        // not say (review41: 比上年增长 read as 33.3万元, 就业 and 床位 as 万元).
        ("单位：万元、%\n指标,本年,比上年增长\n甲,40,33.3\n", "比上年增长", "33.3"),
        ("单位：万元、万人\n县,地区生产总值,就业,床位,其他\n甲,40,30,2,7\n", "地区生产总值", "40 万元"),
        ("单位：万元、万人\n县,地区生产总值,就业,床位,其他\n甲,40,30,2,7\n", "就业", "30 万人"),
        ("单位：万元、万人\n县,地区生产总值,就业,床位,其他\n甲,40,30,2,7\n", "床位", "2"),
        ("单位：万元、万人\n县,地区生产总值,就业,床位,其他\n甲,40,30,2,7\n", "其他", "7"),
        // A row of one unit heads a figure per person of its kind only (review42: 人均收入
        // under 单位：人 was 1人, 人均住房面积 under 单位：元 1元).
        ("单位：人\n村,人均收入,人均住房面积\n甲,1,2\n", "人均收入", "1"),
        ("单位：人\n村,人均收入,人均住房面积\n甲,1,2\n", "人均住房面积", "2"),
        ("单位：元\n村,人均收入,人均住房面积\n甲,1,2\n", "人均住房面积", "2"),
        ("单位：个\n村,人均收入\n甲,1\n", "人均收入", "1"),
        ("单位：平方米\n村,人均住房面积\n甲,45\n", "人均住房面积", "45 平方米"),
        // A row of figures per person alone: 人均：元, 人均：平方米.
        ("人均：元\n村,人均可支配收入\n甲,30000\n", "人均可支配收入", "30000 元/人"),
        ("人均：平方米\n村,人均住房面积\n甲,45\n", "人均住房面积", "45 平方米/人"),
    ] {
        let (d, ws) = open(entry, &[("a.csv", f.as_bytes()), ("p.csv", p.as_bytes())]);
        ws.unwrap();
        let (code, out, stderr) = cli_in(d.path(), &["eval", "-c", "yearbook.toml", &format!("table(\"p\").sum(\"{col}\")")]);
        assert_eq!((code, out.trim()), (0, shown), "{p} {col}: {stderr}");
    }
}
