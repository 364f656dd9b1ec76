//! Input reading faults found by a black-box tester (tester3 G2, G3, G7, G9, G10): a
//! figure merged over rows, total rows of other labels, a stray quote swallowing rows,
//! GBK text below an ASCII header, CR line ends and tab/semicolon separators. Each one
//! gave a wrong figure or a misleading message.

use crate::common::*;

const REGIONS: &str = "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\nt3,丙镇,town,c\n";
const INDICATORS: &str = "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\n";

/// A workspace of the regions and indicators above, the config body `data` after its
/// [data] regions and indicators lines, and the given files. Gives the folder and the
/// workspace or its error (with the folder taken out of paths).
fn workspace(data: &str, files: &[(&str, &[u8])]) -> (tempfile::TempDir, Result<yearbook::Workspace, String>) {
    let d = tempfile::tempdir().unwrap();
    let toml = format!(
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n{data}\n"
    );
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    std::fs::write(d.path().join("regions.csv"), REGIONS).unwrap();
    std::fs::write(d.path().join("indicators.csv"), INDICATORS).unwrap();
    for (n, t) in files {
        std::fs::write(d.path().join(n), t).unwrap();
    }
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None)
        .map_err(|e| e.to_string().replace(&format!("{}/", d.path().display()), ""));
    (d, ws)
}

/// The error of a workspace that must not open.
fn error(ws: Result<yearbook::Workspace, String>) -> String {
    match ws {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// The warnings of loading, the folder taken out of paths.
fn warnings(d: &tempfile::TempDir, ws: &yearbook::Workspace) -> Vec<String> {
    ws.stats.warnings.iter().map(|w| w.replace(&format!("{}/", d.path().display()), "")).collect()
}

/// Spreadsheet column letters of a 0-based column (up to Z).
fn letter(c: usize) -> char {
    (b'A' + c as u8) as char
}

/// An .xlsx workbook of one sheet: `rows` of cells (a cell that reads as a number is a
/// number cell, an empty one is left out, any other is text) and merged ranges.
fn xlsx(rows: &[&[&str]], merges: &[&str]) -> Vec<u8> {
    xlsx_raw(rows, merges, "")
}

/// [`xlsx`] with `raw` rows of sheet XML after `rows` (cell references written by hand).
fn xlsx_raw(rows: &[&[&str]], merges: &[&str], raw: &str) -> Vec<u8> {
    use std::io::Write;
    let mut data = String::new();
    for (i, row) in rows.iter().enumerate() {
        let r = i + 1;
        data.push_str(&format!("<row r=\"{r}\">"));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{r}", letter(c));
            if cell.is_empty() {
                continue;
            }
            if cell.parse::<f64>().is_ok() {
                data.push_str(&format!("<c r=\"{at}\"><v>{cell}</v></c>"));
            } else {
                data.push_str(&format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>"));
            }
        }
        data.push_str("</row>");
    }
    data.push_str(raw);
    let merged = if merges.is_empty() {
        String::new()
    } else {
        let refs: String = merges.iter().map(|m| format!("<mergeCell ref=\"{m}\"/>")).collect();
        format!("<mergeCells count=\"{}\">{refs}</mergeCells>", merges.len())
    };
    let ns = "http://schemas.openxmlformats.org";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                "<?xml version=\"1.0\"?><Types xmlns=\"{ns}/package/2006/content-types\"><Default Extension=\"rels\" \
                 ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" \
                 ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override \
                 PartName=\"/xl/worksheets/sheet1.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "<?xml version=\"1.0\"?><Relationships xmlns=\"{ns}/package/2006/relationships\"><Relationship Id=\"rId1\" \
                 Type=\"{ns}/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<?xml version=\"1.0\"?><workbook xmlns=\"{ns}/spreadsheetml/2006/main\" \
                 xmlns:r=\"{ns}/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" \
                 r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<?xml version=\"1.0\"?><Relationships xmlns=\"{ns}/package/2006/relationships\"><Relationship Id=\"rId1\" \
                 Type=\"{ns}/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                "<?xml version=\"1.0\"?><worksheet xmlns=\"{ns}/spreadsheetml/2006/main\"><sheetData>{data}</sheetData>{merged}\
                 </worksheet>"
            ),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (name, text) in parts {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Two header rows with 地区 and 年份 merged down over both and the units in the second
/// (as offices lay out a sheet): the merge is the header's own. Filled down, the row of
/// units became a row of figures for a region named 地区 ("unknown region 地区").
#[test]
fn a_header_merged_over_two_rows_with_units_below_reads_the_units() {
    let book = xlsx(
        &[
            &["表2 各镇主要指标"],
            &["地区", "年份", "地区生产总值"],
            &["", "", "(亿元)"],
            &["甲镇", "2021", "7.75"],
            &["乙镇", "2021", "6.4"],
        ],
        &["A1:C1", "A2:A3", "B2:B3"],
    );
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"h.xlsx\"\ncolumns_are = \"indicators\"", &[("h.xlsx", &book)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 77500.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2021)"), 64000.0);
}

/// G2: a figure merged over two rows (甲乙两镇合报) is refused in a wide sheet, a long
/// sheet and a record table, naming the sheet, the range and what to do; read as it was,
/// 乙镇 got a copy of 300 and the county 700 instead of 400.
#[test]
fn a_figure_merged_over_rows_is_refused_naming_the_range() {
    let wide = xlsx(&[&["地区", "2021年"], &["甲镇", "300"], &["乙镇", ""], &["丙镇", "100"]], &["B2:B3"]);
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"w.xlsx\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"", &[("w.xlsx", &wide)]);
    assert_eq!(
        error(ws),
        "w.xlsx[Sheet1]:2:2: cell B2 is merged over B2:B3 (2 rows) in column \"2021年\", a column of figures: its one figure \
         (300) would be read into each cell it covers and counted 2 times; unmerge B2:B3 and give each row its own figure \
         (split it between them), or give the rows it covers as one row"
    );
    let long = xlsx(
        &[
            &["地区", "年份", "指标", "数值"],
            &["甲镇", "2021", "gdp", "300"],
            &["乙镇", "2021", "gdp", ""],
            &["丙镇", "2021", "gdp", "100"],
        ],
        &["D2:D3"],
    );
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"l.xlsx\"", &[("l.xlsx", &long)]);
    assert!(error(ws).starts_with("l.xlsx[Sheet1]:2:4: cell D2 is merged over D2:D3 (2 rows) in column \"数值\""));
    // A figure merged across two year columns would be both years' figure.
    let across = xlsx(&[&["地区", "2020年", "2021年"], &["甲镇", "300", ""], &["乙镇", "1", "2"]], &["B2:C2"]);
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"a.xlsx\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"", &[("a.xlsx", &across)]);
    // Named by the merged cell's own column (it named the last one the merge covers).
    assert!(error(ws).starts_with("a.xlsx[Sheet1]:2:2: cell B2 is merged over B2:C2 (2 columns) in column \"2020年\""));
    // A record table: one investment figure for two project lines.
    let ledger = xlsx(&[&["序号", "项目", "投资额"], &["1", "项目A", "300"], &["2", "项目B", ""], &["3", "项目C", "100"]], &["C2:C3"]);
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.xlsx\"", &[("f.csv", facts), ("p.xlsx", &ledger)]);
    assert!(error(ws).starts_with(
        "p.xlsx[Sheet1]:2:3: cell C2 is merged over C2:C3 (2 rows) in column \"投资额\", a column of figures: its one figure (300)"
    ));
}

/// G2: key columns merged over their rows are still filled: a region over its years, a
/// year over its towns, a 序号 and a 年份 in a record table.
#[test]
fn merged_keys_are_still_filled_down() {
    let long = xlsx(
        &[
            &["地区", "年份", "指标", "数值"],
            &["甲镇", "2020", "gdp", "1"],
            &["", "2021", "gdp", "2"],
            &["乙镇", "2021", "gdp", "4"],
            &["丙镇", "", "gdp", "8"],
        ],
        &["A2:A3", "B3:B5"],
    );
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"l.xlsx\"", &[("l.xlsx", &long)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 2.0);
    assert_eq!(value(&ws, "at(rollup(gdp, \"county\"), \"c\", 2021)"), 14.0);
    let ledger = xlsx(
        &[&["年份", "序号", "项目", "投资额"], &["2021", "1", "项目A", "300"], &["", "", "项目A二期", "50"], &["", "2", "项目B", "100"]],
        &["A2:A4", "B2:B3"],
    );
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.xlsx\"", &[("f.csv", facts), ("p.xlsx", &ledger)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "table(\"p\").sum(\"投资额\")"), 450.0);
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.年份 == 2021).count()"), 3.0);
}

/// The records and the sum of `invest` of table `p` read from `csv`, and the warnings.
fn ledger(csv: &str) -> (f64, f64, Vec<String>) {
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", csv.as_bytes())]);
    let ws = ws.unwrap_or_else(|e| panic!("{csv}: {e}"));
    (value(&ws, "table(\"p\").count()"), value(&ws, "table(\"p\").sum(\"invest\")"), warnings(&d, &ws))
}

/// G3: total rows labelled 汇总, 全县汇总, 总和, 加总, 全县(区), 合计 with a footnote mark, and
/// an unlabelled bottom row of the sums are left out, each with a warning naming its line;
/// they were kept as records and doubled the sum.
#[test]
fn total_rows_of_other_labels_are_left_out() {
    for label in
        ["合计", "汇总", "全县汇总", "合计①", "合计*", "总和", "加总", "全县(区)", "全县（区）", "总 计：", "全县（市、区）合计", ""]
    {
        let (count, sum, warned) = ledger(&format!("id,name,invest\n1,项目A,100\n2,项目B,200\n{label},,300\n"));
        assert_eq!((count, sum), (2.0, 300.0), "{label}: {warned:?}");
        assert_eq!(warned.len(), 1, "{label}: {warned:?}");
        assert!(warned[0].starts_with("p.csv:4: a"), "{label}: {warned:?}");
    }
    let (_, _, warned) = ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n,,300\n");
    assert_eq!(
        warned,
        vec![
            "p.csv:4: a row with no label at the bottom whose figures are the sums of the 2 records above it, left out of table \
             `p`'s records as their total (checked: invest 300); if it is a record, give it its name or code"
        ]
    );
    let (_, _, warned) = ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n合计①,,300\n");
    assert_eq!(warned, vec!["p.csv:4: a 合计 row, left out of table `p`'s records (checked against the sum of the 2 records: invest 300)"]);
}

/// G3: records whose labels hold total words are kept: a project named 汇总平台建设, one
/// named 数据汇总 whose figure is not the sum (said in a warning), an unlabelled bottom
/// row that is not the sum, or one with a code.
#[test]
fn records_named_like_totals_are_kept() {
    assert_eq!(ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n3,汇总平台建设,300\n").0, 3.0);
    assert_eq!(ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n3,,300\n").0, 3.0);
    let (count, sum, warned) = ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n,数据汇总,50\n");
    assert_eq!((count, sum), (3.0, 350.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:4: a row named 数据汇总, kept as a record of table `p` (invest 50 is not the sum of the records (300)); if it \
             is the total row, label it 合计 or 汇总 (or make its figures the sums) to have it left out"
        ]
    );
    // 数据汇总 that is the sum is the total.
    assert_eq!(ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n,数据汇总,300\n").0, 2.0);
    // An unlabelled row that is not the sum is a record; one that is in one column but
    // not in another is kept and named.
    assert_eq!(ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n,,250\n").0, 3.0);
    let (count, _, warned) = ledger("id,name,invest,rate\n1,项目A,100,5\n2,项目B,200,6\n,,300,5.5\n");
    assert_eq!(count, 3.0);
    assert_eq!(
        warned,
        vec![
            "p.csv:4:4: a row with no label at the bottom, kept as a record of table `p`: its invest 300 is the sum of the 2 \
             records above it, but its rate 5.5 is not their sum (11); if it is the total row, label it 合计 (its figures are \
             then checked) and check the records"
        ]
    );
}

/// G7: a stray opening quote in a flag swallows the rows below it into the flag (their
/// facts lost, exit 0). Refused at the field, through the fast loader's CSV parser, the
/// table reader (a title row above the header) and a wide table; in any column when what
/// it swallowed looks like rows.
#[test]
fn a_stray_quote_swallowing_rows_is_refused() {
    let said = "the field in column \"flag\" runs over 2 line breaks (a quoted field) and holds the next line \
                (\"t2,2021,gdp,6,\"): a closing quote is probably missing, so the lines below it were read into this field and \
                their facts would be lost; close the quote on its line (or delete the stray \"), or remove the line break from the \
                cell";
    let f = "region,year,indicator,value,flag\nt1,2021,gdp,5,\"约数\nt2,2021,gdp,6,\nt3,2021,gdp,7,\"\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert_eq!(error(ws), format!("facts.csv:2:5: {said}"));
    // The quote never closed: the rest of the file.
    let f = "region,year,indicator,value,flag\nt1,2021,gdp,5,\"约数\nt2,2021,gdp,6,\nt3,2021,gdp,7,\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert_eq!(error(ws), format!("facts.csv:2:5: {said}"));
    // The table reader (a title row above the header).
    let f = "表1 各镇生产总值\nregion,year,indicator,value,flag\nt1,2021,gdp,5,\"约数\nt2,2021,gdp,6,\nt3,2021,gdp,7,\"\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert_eq!(error(ws), format!("facts.csv:3:5: {said}"));
    // A column the loader does not read (a note), swallowing one row.
    let f = "region,year,indicator,value,备注\nt1,2021,gdp,5,\"快报\nt2,2021,gdp,6,\"\nt3,2021,gdp,7,\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert!(error(ws).starts_with("facts.csv:2:5: the field in column \"备注\" runs over a line break (a quoted field)"));
    // A region holds no line break at all.
    let f = "region,year,indicator,value\n\"t1\n\",2021,gdp,5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert!(error(ws).starts_with("facts.csv:2:1: the field in column \"region\" runs over a line break"));
    // A wide table.
    let f = "地区,2020年,2021年\n甲镇,1,\"2\n乙镇,3,4\n丙镇,5,6\"\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"w.csv\"\ncolumns_are = \"periods\"\nindicator = \"gdp\"", &[("w.csv", f.as_bytes())]);
    assert!(error(ws).starts_with("w.csv:2:3: the field in column \"2021年\" runs over 2 line breaks"));
}

/// G7: a record table's note may run over lines (a quoted cell of Excel); a stray quote
/// that swallows its rows is refused.
#[test]
fn a_record_table_keeps_notes_over_lines_and_refuses_swallowed_rows() {
    let (count, sum, _) = ledger("id,name,invest,note\n1,项目A,100,\"一期开工\n二期在建\"\n2,项目B,200,\"第一，征地\n第二，建设\"\n");
    assert_eq!((count, sum), (2.0, 300.0));
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let p = "id,name,invest,note\n1,项目A,100,\"在建\n2,项目B,200,\n3,项目C,300,\"\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", p.as_bytes())]);
    assert!(error(ws).starts_with(
        "p.csv:2:4: the field in column \"note\" runs over 2 line breaks (a quoted field) and holds the next line (\"2,项目B,200,\")"
    ));
}

/// G9: a GBK file whose header is ASCII: the first GBK text is named at its line with
/// the GBK hint, not as a garbled value, region or period.
#[test]
fn gbk_text_below_an_ascii_header_is_named() {
    let hint = "file is not valid UTF-8; files saved by Excel on Chinese Windows are usually GBK: add `encoding = \"gbk\"` to this \
                file's entry in the config";
    for (text, at) in [
        ("region,year,indicator,value\nt1,2021,gdp,—\n", "2:4"),
        ("region,year,indicator,value\n甲镇,2021,gdp,5\n", "2:1"),
        ("region,year,indicator,value\nt1,2021年,gdp,5\n", "2:2"),
    ] {
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", &gbk)]);
        assert_eq!(error(ws), format!("facts.csv:{at}: {hint}"), "{text}");
    }
    // Past the first 64 KiB: the row that fails names the encoding.
    let text = format!("region,year,indicator,value,note\nt1,2021,gdp,5,{}\n乙镇,2021,gdp,6,\n", "x".repeat(70_000));
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", &gbk)]);
    assert_eq!(error(ws), format!("facts.csv:3:1: {hint}"));
    // A column not read (a note) in GBK is refused wherever the row stands (review R8: in
    // the first 64 KiB it was refused and past them loaded).
    let (note, _, _) = encoding_rs::GBK.encode("估计");
    for filler in [0, 70_000] {
        let mut f = format!("region,year,indicator,value,note\nt1,2021,gdp,5,{}\nt2,2021,gdp,6,", "x".repeat(filler)).into_bytes();
        f.extend_from_slice(&note);
        f.extend_from_slice(b"\n");
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", &f)]);
        assert_eq!(error(ws), format!("facts.csv:3:5: {hint}"), "{filler}");
    }
    // A workbook renamed .csv (review R10) is named as one, as a fact file and as a table.
    let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa0\xff";
    let xlsx = "this file is a workbook (a zip file, as .xlsx files are), not CSV text: name it .xlsx (yearbook reads workbooks), or \
                save it from Excel as \"CSV UTF-8\"";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", zip)]);
    assert_eq!(error(ws), format!("facts.csv:1: {xlsx}"));
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", zip)]);
    assert_eq!(error(ws), format!("p.csv:1: {xlsx}"));
    // With `encoding = "gbk"` it loads.
    let (gbk, _, _) = encoding_rs::GBK.encode("region,year,indicator,value\n甲镇,2021年,gdp,5\n");
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"\nencoding = \"gbk\"", &[("facts.csv", &gbk)]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 5.0);
}

/// G10: CR line ends (Excel for Mac's "CSV (Macintosh)") read as lines, in fact files,
/// regions, indicators and record tables, with line numbers an editor shows.
#[test]
fn cr_line_ends_are_read_as_lines() {
    let cr = |s: &str| s.replace('\n', "\r").into_bytes();
    let f = cr("region,year,indicator,value\nt1,2021,gdp,5\nt2,2021,gdp,6\n");
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", &f)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(rollup(gdp, \"county\"), \"c\", 2021)"), 11.0);
    // Quoted fields, regions, indicators and a record table, all CR.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &[u8]| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", &cr(REGIONS));
    w("indicators.csv", &cr(INDICATORS));
    w("facts.csv", &cr("region,year,indicator,value\nt1,2021,gdp,\"5\"\nt3,2021,gdp,7\n"));
    w("p.csv", &cr("id,name,invest\n1,项目A,100\n2,项目B,200\n合计,,300\n"));
    w(
        "yearbook.toml",
        b"[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
          [[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\np = \"p.csv\"\n",
    );
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "at(rollup(gdp, \"county\"), \"c\", 2021)"), 12.0);
    assert_eq!(value(&ws, "table(\"p\").sum(\"invest\")"), 300.0);
    assert!(warnings(&d, &ws)[0].starts_with("p.csv:4: a 合计 row"), "{:?}", ws.stats.warnings);
    // An error names the line an editor shows.
    let f = cr("region,year,indicator,value\nt1,2021,gdp,5\nt2,2021,gdp,abc\n");
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", &f)]);
    assert_eq!(error(ws), "facts.csv:3:4: value \"abc\" is not a number");
}

/// G10: a tab- or semicolon-separated file is named as such, with how to save it as CSV,
/// whichever reader meets it; a title row with a semicolon above a CSV header is no such file.
#[test]
fn tab_and_semicolon_separated_files_are_named() {
    let fix = "and yearbook reads comma-separated CSV; save it as \"CSV UTF-8\" (Excel: 另存为 > CSV UTF-8（逗号分隔）) or as .xlsx";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", b"region\tyear\tindicator\tvalue\nt1\t2021\tgdp\t5\n")]);
    assert_eq!(error(ws), format!("facts.csv:1: this line holds tabs and no commas: the file is tab-separated, {fix}"));
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", b"region;year;indicator;value\nt1;2021;gdp;5\n")]);
    assert_eq!(error(ws), format!("facts.csv:1: this line holds semicolons and no commas: the file is semicolon-separated, {fix}"));
    // The table reader: a title row, then tabs.
    let (_d, ws) = workspace(
        "[[data.facts]]\nfile = \"facts.csv\"",
        &[("facts.csv", "表1 生产总值\nregion\tyear\tindicator\tvalue\nt1\t2021\tgdp\t5\n".as_bytes())],
    );
    assert_eq!(error(ws), format!("facts.csv:2: this line holds tabs and no commas: the file is tab-separated, {fix}"));
    let (_d, ws) = workspace(
        "[[data.facts]]\nfile = \"facts.csv\"",
        &[("facts.csv", "GDP; current prices\nregion,year,indicator,value\nt1,2021,gdp,5\n".as_bytes())],
    );
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 5.0);
}

/// Review R1: a numbering column (No, 行次, 统计月份, or a run 1, 2, 3 under any header)
/// is no evidence that a bottom row is a total (1 + 2 = 3): the third record stays.
#[test]
fn a_numbering_column_does_not_make_the_last_record_a_total() {
    for csv in [
        "No,invest\n1,100\n2,200\n3,300\n",
        "行次,invest,利润\n1,100,10\n2,200,20\n3,300,30\n",
        "统计月份,invest\n1,100\n2,200\n3,300\n",
        "批次,invest\n1,100\n2,200\n3,300\n",
    ] {
        let (count, sum, warned) = ledger(csv);
        assert_eq!((count, sum), (3.0, 600.0), "{csv}: {warned:?}");
    }
    // An unlabelled bottom row of the sums is still their total.
    let (count, sum, _) = ledger("No,invest\n1,100\n2,200\n,300\n");
    assert_eq!((count, sum), (2.0, 300.0));
}

/// Review R2: 全县（本级） and 县本级 are the county's own records, not the 全县 total;
/// a footnote bracket is still read off a total label.
#[test]
fn a_record_of_the_region_itself_is_kept() {
    let (count, sum, _) = ledger("id,name,invest\n1,甲镇项目,100\n2,全县（本级）,100\n");
    assert_eq!((count, sum), (2.0, 200.0));
    let (count, sum, _) = ledger("name,invest\n甲镇,100\n乙镇,200\n全县（本级）,300\n");
    assert_eq!((count, sum), (3.0, 600.0));
    let (count, sum, _) = ledger("name,invest\n甲镇,100\n乙镇,200\n县本级,300\n");
    assert_eq!((count, sum), (3.0, 600.0));
    for label in ["合计(注)", "合计[1]", "合计（万元）", "全县（区）"] {
        let (count, sum, warned) = ledger(&format!("name,invest\n甲镇,100\n乙镇,200\n{label},300\n"));
        assert_eq!((count, sum), (2.0, 300.0), "{label}: {warned:?}");
    }
}

/// Review R3: a record named 数据汇总 or 人口总数 equal to the one other record is no
/// total: the "sum" of one record is no evidence.
#[test]
fn a_name_like_total_word_needs_two_records_to_be_a_total() {
    for name in ["数据汇总", "人口总数", "全县"] {
        let (count, sum, warned) = ledger(&format!("id,name,invest\n1,信息平台,100\n2,{name},100\n"));
        assert_eq!((count, sum), (2.0, 200.0), "{name}: {warned:?}");
    }
}

/// Review R7: key columns merged over rows (统计年份, 年份（年）, 行次) are filled down,
/// and so is a merged missing symbol in a column of figures.
#[test]
fn merged_keys_of_other_headers_and_merged_blanks_are_filled() {
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    for key in ["统计年份", "年份（年）", "行次"] {
        let book =
            xlsx(&[&[key, "项目", "投资额"], &["2021", "项目A", "100"], &["", "项目B", "200"], &["2022", "项目C", "300"]], &["A2:A3"]);
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.xlsx\"", &[("f.csv", facts), ("p.xlsx", &book)]);
        let ws = ws.unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(value(&ws, "table(\"p\").count()"), 3.0, "{key}");
        assert_eq!(value(&ws, "table(\"p\").sum(\"投资额\")"), 600.0, "{key}");
    }
    let book = xlsx(&[&["项目", "投资额", "利润"], &["项目A", "100", "—"], &["项目B", "200", ""], &["项目C", "300", "5"]], &["C2:C3"]);
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.xlsx\"", &[("f.csv", facts), ("p.xlsx", &book)]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "table(\"p\").count()"), 3.0);
    assert_eq!(value(&ws, "table(\"p\").sum(\"投资额\")"), 600.0);
    assert_eq!(value(&ws, "table(\"p\").sum(\"利润\")"), 5.0);
}

/// Review R6: a record table's closed note over lines with ASCII commas (道路, 桥梁, 管网)
/// is read; whole rows swallowed on two lines are refused, saying records are lost.
#[test]
fn a_closed_note_with_ascii_commas_is_read() {
    let (count, sum, _) = ledger("name,invest,note\n项目A,100,\"建设内容:\n道路, 桥梁, 管网\"\n项目B,200,\n");
    assert_eq!((count, sum), (2.0, 300.0));
    let (count, sum, _) =
        ledger("name,invest,note,more\n项目A,100,\"建设内容:\n新建道路3.2公里,桥梁2座,管网5公里,路灯120盏\",x\n项目B,200,,\n");
    assert_eq!((count, sum), (2.0, 300.0));
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let p = "id,name,invest,note\n1,项目A,100,\"在建\n2,项目B,200,\n3,项目C,300,\"\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", p.as_bytes())]);
    let e = error(ws);
    assert!(e.contains("their records would be lost"), "{e}");
}

/// Review R4: a total row whose label is a variant of the known words (a superscript or
/// other footnote mark, a bracketed or bare note, trailing punctuation, English Totals, ∑)
/// or a word that totals only by its sums (总量, 全部) was kept as a record, doubling the
/// sum without a word. Each is left out, with a warning naming its line.
#[test]
fn total_labels_of_every_variant_are_left_out() {
    for (label, word) in [
        ("合计¹", "合计"),
        ("合计²³", "合计"),
        ("合计※", "合计"),
        ("合计△", "合计"),
        ("合计▲", "合计"),
        ("合计†", "合计"),
        ("合计‡", "合计"),
        ("合计#", "合计"),
        ("合计[1]", "合计"),
        ("合计(1)", "合计"),
        ("合计注", "合计"),
        ("合计注1", "合计"),
        ("\"合计,\"", "合计"),
        ("合计。", "合计"),
        ("总计；", "总计"),
        ("Totals", "Totals"),
        ("Grand total", "Grandtotal"),
        ("∑", "∑"),
        ("总量", "总量"),
        ("全部", "全部"),
        // Review of fix3 (F2): two brackets read off, traditional characters.
        ("合计(1)(万元)", "合计"),
        ("合计（注1）（万元）", "合计"),
        ("合計", "合計"),
        ("總計", "總計"),
    ] {
        let (count, sum, warned) = ledger(&format!("id,name,invest\n1,项目A,100\n2,项目B,200\n{label},,300\n"));
        assert_eq!((count, sum), (2.0, 300.0), "{label}: {warned:?}");
        assert_eq!(
            warned,
            vec![format!("p.csv:4: a {word} row, left out of table `p`'s records (checked against the sum of the 2 records: invest 300)")],
            "{label}"
        );
    }
    // The label in the name column, and a note row below the total.
    let (count, sum, warned) = ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n,合计¹,300\n注：数据来源于统计局,,\n");
    assert_eq!((count, sum), (2.0, 300.0), "{warned:?}");
    assert_eq!(warned, vec!["p.csv:4: a 合计 row, left out of table `p`'s records (checked against the sum of the 2 records: invest 300)"]);
}

/// Review R4: 总量 and 全部 are totals only by their sums: not the sums, or with one
/// record besides, the row is kept and said; beside other text (a category column) they
/// are no total word at all.
#[test]
fn total_and_all_are_totals_only_by_their_sums() {
    let (count, sum, warned) = ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n总量,,250\n");
    assert_eq!((count, sum), (3.0, 550.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:4: a row named 总量, kept as a record of table `p` (invest 250 is not the sum of the records (300)); if it is \
             the total row, label it 合计 or 汇总 (or make its figures the sums) to have it left out"
        ]
    );
    let (count, sum, warned) = ledger("id,name,invest\n1,项目A,100\n全部,,100\n");
    assert_eq!((count, sum), (2.0, 200.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:3: a row named 全部, kept as a record of table `p` (1 record besides it, too few to tell whether it is their \
             total); if it is the total row, label it 合计"
        ]
    );
    let (count, sum, warned) = ledger("region,指标,invest\n甲镇,总量,300\n甲镇,增量,50\n乙镇,总量,200\n乙镇,增量,30\n");
    assert_eq!((count, sum, warned), (4.0, 580.0, Vec::<String>::new()));
}

/// Review R4: a last row whose figures are the sums of the records above it, under a
/// label no list knows, is never kept without a word: left out when its label holds
/// 合计 (a total with a qualifier), else kept and named; a record with a code
/// (3,项目C,300), one record above, or a figure that is not the sum stays silent.
#[test]
fn a_last_row_of_the_sums_is_named_whatever_its_label() {
    // Beside a rate column, which never sums (review of fix3, F2.1): left out all the same;
    // a label in brackets as a whole is read inside them.
    for label in ["【合计】", "全县合计（含开发区）", "[合计]"] {
        let (count, sum, warned) = ledger(&format!("name,invest,完成率\n项目A,100,50\n项目B,200,60\n{label},300,56.7\n"));
        assert_eq!((count, sum), (2.0, 300.0), "{label}: {warned:?}");
        assert_eq!(warned.len(), 1, "{label}: {warned:?}");
    }
    // A form's footer written short (制表：张三) is no record (F7).
    let (count, sum, _) = ledger("name,invest\n项目A,100\n项目B,200\n制表：张三,\n");
    assert_eq!((count, sum), (2.0, 300.0));
    let (count, sum, warned) = ledger("id,name,invest\n1,项目A,100\n2,项目B,200\n,全区合计（不含开发区）,300\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:4: a row labelled 全区合计（不含开发区） at the bottom whose figures are the sums of the 2 records above it, \
             left out of table `p`'s records as their total (checked: invest 300); if it is a record, name it without 合计"
        ]
    );
    // Names that only hold the characters of a total (review of fix3: 公共计算中心 holds
    // 共计) are records, named in the warning as any bottom row of the sums is.
    for (label, kept) in [
        ("汇总表", "汇总表"),
        ("全县（本级）", "全县（本级）"),
        ("数据汇总中心", "数据汇总中心"),
        ("公共计算中心", "公共计算中心"),
        ("综合计量站", "综合计量站"),
        ("合计村", "合计村"),
        ("TotalEnergies", "TotalEnergies"),
        ("Total Energy Co.", "Total Energy Co."),
    ] {
        let (count, sum, warned) = ledger(&format!("name,invest\n项目A,100\n项目B,200\n{label},300\n"));
        assert_eq!((count, sum), (3.0, 600.0), "{label}");
        assert_eq!(
            warned,
            vec![format!(
                "p.csv:4: the last row, {kept}, is kept as a record of table `p`, but its figures are the sums of the 2 records \
                 above it (checked: invest 300); if it is their total, label it 合计 to have it left out"
            )],
            "{label}"
        );
    }
    for csv in [
        "id,name,invest\n1,项目A,100\n2,项目B,200\n3,项目C,300\n",
        "name,invest\n信息平台,100\n数据汇总中心,100\n",
        "name,invest\n项目A,100\n项目B,0\n项目C,100\n",
        "name,invest,利润\n项目A,100,5\n项目B,200,6\n全县（本级）,300,7\n",
    ] {
        let (_, _, warned) = ledger(csv);
        assert!(warned.is_empty(), "{csv}: {warned:?}");
    }
}

/// Review R5: a stray quote in a CSV of two columns swallowed one row silently
/// (`100,"项目A⏎200,项目B"` lost the record of 200: 2 records, sum 400). A swallowed line
/// that reads as a row of the file, its figures where the other rows have theirs, is
/// refused at the field whatever the width; a note over lines whose cells are no such
/// row (`2023年,完成`) is read.
#[test]
fn a_stray_quote_swallowing_one_row_of_two_columns_is_refused() {
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let refused = |p: &str| {
        let (_d, ws) =
            workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", p.as_bytes())]);
        error(ws)
    };
    assert_eq!(
        refused("invest,name\n100,\"项目A\n200,项目B\"\n300,项目C\n"),
        "p.csv:2:2: the field in column \"name\" runs over a line break (a quoted field) and holds the next line (\"200,项目B\"): \
         a closing quote is probably missing, so the lines below it were read into this field and their records would be lost; \
         close the quote on its line (or delete the stray \"), or remove the line break from the cell; if the line belongs to \
         the cell, write its comma as a full-width ，"
    );
    // A comma between numbers in a name or note over lines (buildings 1 and 2) is a list,
    // not a row: read (review of fix3, F4).
    let facts_ok = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    for p in ["序号,项目名称\n1,\"XX小区\n1,2号楼改造\"\n2,YY路\n", "投资,备注\n100,\"涉及\n3,4号地块\"\n200,\n"] {
        let (_d, ws) =
            workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts_ok), ("p.csv", p.as_bytes())]);
        assert_eq!(value(&ws.unwrap(), "table(\"p\").count()"), 2.0, "{p}");
    }
    assert!(refused("序号,项目名称\n1,\"项目A\n2,项目B\"\n3,项目C\n").starts_with(
        "p.csv:2:2: the field in column \"项目名称\" runs over a line break (a quoted field) and holds the next line (\"2,项目B\")"
    ));
    assert!(
        refused("name,invest\n项目A,\"100\n项目B,200\"\n项目C,300\n")
            .starts_with("p.csv:2:2: the field in column \"invest\" runs over a line break (a quoted field) and holds the next line")
    );
    assert!(refused("id,invest,name\n1,100,\"项目A\n2,200,项目B\"\n3,300,项目C\n").starts_with("p.csv:2:3: the field in column \"name\""));
    // Closed the line after: the same.
    assert!(
        refused("invest,name\n100,\"项目A\n200,项目B\n300,项目C\n")
            .starts_with("p.csv:2:2: the field in column \"name\" runs over 2 line breaks")
    );
    // A note over lines is read.
    let (count, sum, _) = ledger("name,invest,note\n项目A,100,\"说明\n2023年,完成\"\n项目B,200,\n");
    assert_eq!((count, sum), (2.0, 300.0));
    let (count, sum, _) = ledger("name,invest\n\"项目A\n一期\",100\n项目B,200\n");
    assert_eq!((count, sum), (2.0, 300.0));
}

/// Review R11: fact files and record tables read total labels from one list
/// (`yearbook_core::total_label`): a fact whose region is a total row of any label the
/// table reader knows (合计¹, 全县汇总, Totals) is named as a total row; a name-like word
/// (数据汇总) is an unknown region as before.
#[test]
fn fact_files_name_total_rows_by_the_table_readers_list() {
    for region in ["合计", "合计¹", "全县汇总", "Totals", "合计（万元）"] {
        let f = format!("region,year,indicator,value\nt1,2021,gdp,5\n{region},2021,gdp,5\n");
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
        assert_eq!(
            error(ws),
            format!(
                "facts.csv:3:1: unknown region \"{region}\": a total row is no region; the workspace totals the regions itself \
                 (rollup): delete the row, or write the code of the region it is the total of (the county, the town)"
            )
        );
    }
    let f = "region,year,indicator,value\nt1,2021,gdp,5\n数据汇总,2021,gdp,5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert!(error(ws).starts_with("facts.csv:3:1: unknown region \"数据汇总\""));
    // A row for the whole county (全县) was an unknown region with `did you mean 某县`,
    // which loads it as the county's own figure: both readings are named.
    let f = "region,year,indicator,value\nt1,2021,gdp,5\n全县,2021,gdp,5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"facts.csv\"", &[("facts.csv", f.as_bytes())]);
    assert_eq!(
        error(ws),
        "facts.csv:3:1: unknown region \"全县\": a row for the whole region (全县) is its total, which the workspace makes \
         itself (rollup): delete the row, or write the region's code (c (某县)) where these are its own figures (with its units \
         not in any town)"
    );
}

/// Review of fix4 (1): a total row with a breakdown row (其中：, 含：), a heading or a row of
/// missing symbols below it was counted as a record when no list knew its label
/// (合计（含追加）: 3 records, sum 600): the look at the last row skips what stands
/// below the last record. A row of missing symbols alone there is no record either.
#[test]
fn a_total_row_above_its_breakdown_is_left_out() {
    let breakdown = "p.csv:5: a breakdown row \"其中：工业\" (part of line 4), left out of table `p`'s records (invest 200 within 300)";
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n【合计】,300\n其中：工业,200\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(
        warned,
        vec!["p.csv:4: a 合计 row, left out of table `p`'s records (checked against the sum of the 2 records: invest 300)", breakdown]
    );
    let left_out = "p.csv:4: a row labelled 合计（含追加） at the bottom whose figures are the sums of the 2 records above it, left \
                    out of table `p`'s records as their total (checked: invest 300); if it is a record, name it without 合计";
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n合计（含追加）,300\n其中：工业,200\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(warned, vec![left_out, breakdown]);
    // A row of missing symbols, a heading and a 含： breakdown below it.
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n合计（含追加）,300\n—,—\n含：追加投资,50\n二、其他,\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(
        warned,
        vec![
            left_out.to_string(),
            "p.csv:5: a row of missing symbols alone (—,—) below the last record, left out of table `p`'s records".to_string(),
            "p.csv:6: a breakdown row \"含：追加投资\" (part of line 4), left out of table `p`'s records (invest 50 within 300)"
                .to_string(),
            "p.csv:7: a section heading \"二、其他\", left out of table `p`'s records".to_string(),
        ]
    );
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n【合计】,300\n—,—\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:4: a 合计 row, left out of table `p`'s records (checked against the sum of the 2 records: invest 300)",
            "p.csv:5: a row of missing symbols alone (—,—) below the last record, left out of table `p`'s records",
        ]
    );
    // Slashes for missing figures.
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n合计（含追加）,300\n/,/\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(
        warned,
        vec![
            left_out.to_string(),
            "p.csv:5: a row of missing symbols alone (/,/) below the last record, left out of table `p`'s records".to_string()
        ]
    );
    // A label no list knows whose figures are the sums: kept, and named.
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\nTotal Energy Co.,300\n其中：工业,200\n");
    assert_eq!((count, sum), (3.0, 600.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:4: the last row, Total Energy Co., is kept as a record of table `p`, but its figures are the sums of the 2 \
             records above it (checked: invest 300); if it is their total, label it 合计 to have it left out",
            breakdown,
        ]
    );
    // Records: a last record that is no sum above its breakdown, a row of missing
    // symbols below records, a county named 含山县.
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\nC,50\n其中：工业,20\n");
    assert_eq!((count, sum, warned.len()), (3.0, 350.0, 1), "{warned:?}");
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n—,—\n");
    assert_eq!((count, sum), (2.0, 300.0));
    assert_eq!(warned, vec!["p.csv:4: a row of missing symbols alone (—,—) below the last record, left out of table `p`'s records"]);
    let (count, sum, warned) = ledger("name,invest\nA,100\n含山县,200\nC,50\n");
    assert_eq!((count, sum, warned), (3.0, 350.0, Vec::<String>::new()));
}

/// The records of table `p` read from `csv` with the `name` column, and the warnings, or
/// the error.
fn text_ledger(csv: &str) -> Result<(f64, Vec<String>), String> {
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", csv.as_bytes())]);
    let ws = ws?;
    Ok((value(&ws, "table(\"p\").count()"), warnings(&d, &ws)))
}

/// Review of fix4 (2): a stray quote in a table of text swallowed a row silently (2
/// records of 3). A swallowed line whose cells have the shapes their columns have in the
/// other rows (codes of one length, dates, years, figures) is refused; one of free text
/// in every column, exactly a row's width, below a first line that holds the rest of its
/// row, is named in a warning. Notes over lines are read silently.
#[test]
fn a_stray_quote_in_a_table_of_text_is_refused_or_named() {
    let warn = |at: &str, column: &str, row: &str| {
        format!(
            "p.csv:{at}: the quoted field in column {column} runs over a line break and its next line reads like a row ({row}): \
             check for a missing closing quote"
        )
    };
    for (csv, at, column, row) in [
        ("项目名称,负责单位\n项目A,\"甲局\n项目B,乙局\"\n项目C,丙局\n", "2:2", "负责单位", "项目B,乙局"),
        ("项目名称,负责单位,地点\n项目A,甲局,\"城关\n项目B,乙局,新华\"\n项目C,丙局,城北\n", "2:3", "地点", "项目B,乙局,新华"),
        ("invest,name\n100,\"项目A\n,项目B\"\n300,项目C\n", "2:2", "name", ",项目B"),
        ("name,invest,note\n项目A,100,\"备注\n项目B,—,\"\n项目C,300,\n", "2:3", "note", "项目B,—,"),
    ] {
        let (count, warned) = text_ledger(csv).unwrap_or_else(|e| panic!("{csv}: {e}"));
        assert_eq!((count, warned), (2.0, vec![warn(at, column, row)]), "{csv}");
    }
    let refused = |at: &str, column: &str, next: &str| {
        format!(
            "p.csv:{at}: the field in column \"{column}\" runs over a line break (a quoted field) and holds the next line \
             (\"{next}\"): a closing quote is probably missing, so the lines below it were read into this field and their \
             records would be lost; close the quote on its line (or delete the stray \"), or remove the line break from the \
             cell; if the line belongs to the cell, write its comma as a full-width ，"
        )
    };
    for (csv, at, column, next) in [
        ("编号,项目名称\nP001,\"项目A\nP002,项目B\"\nP003,项目C\n", "2:2", "项目名称", "P002,项目B"),
        ("日期,项目\n2023-01-05,\"项目A\n2023-02-01,项目B\n", "2:2", "项目", "2023-02-01,项目B"),
        ("日期,项目\n2023-01-05,\"项目A\n2023-02-01,项目B\"\n2023-03-01,项目C\n", "2:2", "项目", "2023-02-01,项目B"),
        ("年份,项目\n2022年,\"项目A\n2023年,项目B\"\n2024年,项目C\n", "2:2", "项目", "2023年,项目B"),
    ] {
        assert_eq!(text_ledger(csv).map(|r| r.0), Err(refused(at, column, next)), "{csv}");
    }
    // Notes over lines: a list in the note's first line, lines narrower than a row, a
    // postcode or year where the column holds text, buildings 1 and 2.
    for (csv, count) in [
        ("项目名称,建设内容\n项目A,\"一期,100亩\n二期,200亩\"\n项目B,道路\n", 2.0),
        ("name,invest,note\n项目A,100,\"分两期:\n一期,100\n二期,200\"\n项目B,200,\n", 2.0),
        ("name,address\n甲公司,\"杭州市西湖区文三路1号\n邮编,310012\"\n乙公司,宁波市\n", 2.0),
        ("name,invest,note\n项目A,100,\"进度\n2023,完成,100%\"\n项目B,200,\n", 2.0),
        ("序号,项目名称\n1,\"XX小区\n1,2号楼改造\"\n2,YY路\n", 2.0),
    ] {
        assert_eq!(text_ledger(csv), Ok((count, Vec::new())), "{csv}");
    }
}

/// Review of fix4 (3): a note's word beside a figure (`注,300`) was read as a note and
/// dropped with its figure. A note holds no figure: the row is left out as a total when
/// its figures are the sums of the records, else kept as a record, with a warning
/// either way.
#[test]
fn a_note_row_with_a_figure_is_named() {
    for label in ["注", "注1"] {
        let (count, sum, warned) = ledger(&format!("name,invest\nA,100\nB,200\n{label},300\n"));
        assert_eq!((count, sum), (2.0, 300.0), "{label}");
        assert_eq!(
            warned,
            vec![format!(
                "p.csv:4: a row labelled {label} (a note's word) whose figures are the sums of the 2 records, left out of table \
                 `p`'s records as their total (checked: invest 300); a note holds no figure: if it is a record, give it its name"
            )]
        );
        let (count, sum, warned) = ledger(&format!("name,invest\nA,100\nB,200\n{label},50\n"));
        assert_eq!((count, sum), (3.0, 350.0), "{label}");
        assert_eq!(
            warned,
            vec![format!(
                "p.csv:4: a row labelled {label} (a note's word) holds figures (invest 50), kept as a record of table `p`: a note \
                 holds no figure; if it is a note, write its figures into its text, and if it is a record, give it its name"
            )]
        );
    }
    // A source note with its year is a note, the year no figure (it was summed: 2324).
    let (count, sum, _) = ledger("项目,invest\nA,100\nB,200\n资料来源：县统计局,2024\n");
    assert_eq!((count, sum), (2.0, 300.0));
    // Below a note of text, a row with a figure (a record of two columns, 注1,300) is
    // refused, as a row of three figures was: it would be dropped with the notes.
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    for (csv, at, note) in [("name,invest\nA,100\nB,200\n注：见附表\n注1,300\n", 5, 4), ("name,invest\nA,100\n注：调整\nB,200\n", 4, 3)]
    {
        let (_d, ws) =
            workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", csv.as_bytes())]);
        assert_eq!(
            error(ws),
            format!(
                "p.csv:{at}: a row of figures below the note on line {note}: everything below a note (注：, 资料来源：) is left \
                 out; move the note below the last row"
            )
        );
    }
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n注：见附表\n资料来源：统计局,\n");
    assert_eq!((count, sum, warned), (2.0, 300.0, Vec::<String>::new()));
    // A note of text is a note, a place named 注溪镇 a record.
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n注：数据来源于统计局,\n");
    assert_eq!((count, sum, warned), (2.0, 300.0, Vec::<String>::new()));
    let (count, sum, warned) = ledger("name,invest\nA,100\n注溪镇,200\nC,50\n");
    assert_eq!((count, sum, warned), (3.0, 350.0, Vec::<String>::new()));
}

/// Review of fix4 (4): a 小计 row whose label names its group at length (城关镇项目小计,
/// 经济开发区小计) was a record (5 records, sum 700). A label ending in 小计, 合计, 总计 or
/// 共计 after a prefix of any length is a total; a name holding the characters inside it
/// (公共计算中心, 合计村) stays a record.
#[test]
fn subtotals_named_at_length_are_left_out() {
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n城关镇项目小计,300\nC,50\n新华镇项目小计,50\n");
    assert_eq!((count, sum), (3.0, 350.0));
    assert_eq!(
        warned,
        vec![
            "p.csv:4: a 城关镇项目小计 row, left out of table `p`'s records (checked against the sum of the records of its group: \
             invest 300)",
            "p.csv:6: a 新华镇项目小计 row, left out of table `p`'s records (checked against the sum of the records of its group: \
             invest 50)",
        ]
    );
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n经济开发区小计①,300\nC,50\n全县合计,350\n");
    assert_eq!((count, sum, warned.len()), (3.0, 350.0, 2), "{warned:?}");
    assert!(warned[0].starts_with("p.csv:4: a 经济开发区小计 row, left out"), "{warned:?}");
    // Not the sum of its group: left out, the column named.
    let (count, sum, warned) = ledger("name,invest\nA,100\nB,200\n城关镇项目小计,250\nC,50\n新华镇项目小计,50\n");
    assert_eq!((count, sum), (3.0, 350.0));
    assert_eq!(
        warned[0],
        "p.csv:4:2: a 城关镇项目小计 row, left out of table `p`'s records; its invest 250 is not the sum of the records (300): \
         check the records and the row (a record missing, a figure mistyped, or a column that does not add up, such as a rate)"
    );
    let (count, sum, warned) = ledger("name,invest\nA,100\n公共计算中心,200\n合计村,50\n道路合计表,20\n");
    assert_eq!((count, sum, warned), (4.0, 370.0, Vec::<String>::new()));
}

/// A subtotal naming its group after the word (小计（甲镇）, 小计-甲镇, 合计：甲镇) in the
/// middle of a ledger was a record: its 2000 was counted twice (6600 for 4600). And a
/// breakdown row marked as yearbooks mark one (#工业, ＃工业), or spelled 其 中, （其中工业）,
/// ——其中：, 内：, 包括：, was a record too (5200 for 4500). Both are left out, said in a
/// warning; 合计村 and 内江市 stay records, and so does an Excel error `#N/A`.
#[test]
fn subtotals_and_breakdowns_spelled_every_way_are_left_out() {
    for label in ["小计（甲镇）", "小计(甲镇)", "小计-甲镇", "小计 甲镇", "小计:甲镇", "小计——甲镇", "合计（甲镇）", "合计：甲镇"]
    {
        let (count, sum, warned) = ledger(&format!("name,town,invest\nA,甲镇,1200\nB,甲镇,800\n{label},,2000\nC,乙镇,2500\nD,丙镇,100\n"));
        assert_eq!((count, sum), (4.0, 4600.0), "{label}: {warned:?}");
        assert_eq!(
            warned,
            vec![format!(
                "p.csv:4: a {label} row, left out of table `p`'s records (checked against the sum of the records of its group: \
                 invest 2000)"
            )],
            "{label}"
        );
    }
    for label in [
        "#工业",
        "＃工业",
        "# 工业",
        "（其中工业）",
        "(其中：工业)",
        "其 中：工业",
        "——其中：工业",
        "内：工业",
        "包括：工业",
        "#5G基站建设",
        "#G60科创走廊",
        "#PPP项目",
        "#1号地块",
        "＃A1",
    ] {
        let (count, sum, warned) = ledger(&format!("name,invest\n甲镇,1200\n{label},700\n乙镇,800\n丙镇,2500\n"));
        assert_eq!((count, sum), (3.0, 4500.0), "{label}: {warned:?}");
        assert_eq!(
            warned,
            vec![format!(
                "p.csv:3: a breakdown row \"{label}\" (part of line 2), left out of table `p`'s records (invest 700 within 1200)"
            )],
            "{label}"
        );
    }
    let (count, sum, warned) = ledger("name,invest\nA,100\n合计村,50\n内江市,20\n#N/A,5\n#12,7\n");
    assert_eq!((count, sum, warned), (5.0, 182.0, Vec::<String>::new()));
}

/// A fact row whose region cell is blank names no region: it was filed under a town whose
/// name is blank (a reviewer, P2), and `at(x, "", 2021)` answered that town's figure.
#[test]
fn a_blank_region_cell_is_no_region_with_a_blank_name() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n",
    );
    w("regions.csv", "code,name,level,parent\nc1,甲县,county,\nt4,,town,c1\n");
    w("indicators.csv", INDICATORS);
    w("facts.csv", "region,year,indicator,value\nc1,2021,gdp,16\n,2021,gdp,3\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("a blank region is refused").to_string();
    assert!(e.ends_with("facts.csv:3:1: the region is empty: give a region code or name"), "{e}");
    w("facts.csv", "region,year,indicator,value\nc1,2021,gdp,16\nt4,2021,gdp,3\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("at(gdp, \"\", 2021)").err().expect("no region is blank").to_string();
    assert!(e.contains("the region is empty"), "{e}");
    assert_eq!(value(&ws, "at(gdp, \"t4\", 2021)"), 3.0);
}

/// A code that Excel saved as a number (330421101201.0) in a column whose header names an
/// identifier is the code it spells, with a warning: it made a group of its own beside
/// 330421101201, silently. A figure column's 1.0 and a text column's "2.0" are left alone.
#[test]
fn a_code_saved_as_a_number_groups_with_the_code_it_spells() {
    let csv = "village_code,name,version,output\n330421101201,甲,2.0,1.0\n330421101201.0,乙,2.0,2\n330421101202.00,丙,3.0,3\n";
    let (count, warned) = text_ledger(csv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count, 3.0);
    assert_eq!(
        warned,
        vec![
            "p.csv:3:1: column village_code: 330421101201.0 and 1 more read as the codes they spell, as 330421101201 for the \
             first: Excel saved the code as a number; format the column as text in Excel to keep codes as written"
                .to_string()
        ]
    );
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", csv.as_bytes())]);
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.village_code == \"330421101202\").count()"), 1.0);
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.village_code == \"330421101201\").count()"), 2.0);
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.version == \"2.0\").count()"), 2.0);
    // A column of dotted codes (1.1, 1.10 beside 2.0) keeps its 2.0, with no warning.
    let (count, warned) = text_ledger("编号,name\n1.1,甲\n1.10,乙\n2.0,丙\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((count, warned), (3.0, Vec::<String>::new()));
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let (_d, ws) = workspace(
        "[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"",
        &[("f.csv", facts), ("p.csv", "编号,name\n1.1,甲\n1.10,乙\n2.0,丙\n".as_bytes())],
    );
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.编号 == \"2.0\").count()"), 1.0);
}

/// A wide table under a group header (主要指标 over 地区生产总值): the error at the group
/// header says the row below names the columns and which `header_row` reads it; with it,
/// the figures load.
#[test]
fn a_group_header_above_a_wide_header_points_at_header_row() {
    let csv = "地区,主要指标\n地区,地区生产总值（亿元）\nt1,1.5\n";
    let entry = "[[data.facts]]\nfile = \"w.csv\"\ncolumns_are = \"indicators\"\nperiod = \"2021\"\n";
    let e = error(workspace(entry, &[("w.csv", csv.as_bytes())]).1);
    assert!(
        e.ends_with(
            "w.csv:1:2: header \"主要指标\": \"主要指标\" is not an indicator (by code or label); declare it in the indicators file; \
             the row below (line 2) names the columns: if it is the header (under a group header), set header_row = 2 in this \
             file's [[data.facts]] entry"
        ),
        "{e}"
    );
    let (_d, ws) = workspace(&format!("{entry}header_row = 2\n"), &[("w.csv", csv.as_bytes())]);
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 15000.0);
}

/// An accounting negative in brackets (`(1,234)`) in a fact file said "a comma must
/// separate groups of three digits", and in a ledger it made the column text with no
/// word of which cell: both now name the cell and say to write -1234.
#[test]
fn an_accounting_negative_in_brackets_says_how_to_write_it() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,GDP,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,\"(1,234)\"\n");
    w("p.csv", "项目,投资额\nA,100\nB,(100)\nC,50\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\np = \"p.csv\"\n",
    );
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
    assert!(
        e.contains("facts.csv:2:4: value \"(1,234)\" is not a number (brackets around a figure, as accounts write a negative): write a negative as -1234"),
        "{e}"
    );
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,1\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("table(\"p\").sum(\"投资额\")").err().expect("text").to_string();
    assert!(
        e.contains("column `投资额` of table `p` is text, not numbers: its record 2 holds value \"(100)\" is not a number (brackets"),
        "{e}"
    );
}

/// `####` is what Excel shows where a column is too narrow for its figure: a sheet copied
/// as shown keeps the marks. It said "more than one footnote mark"; it now says what
/// happened and what to do, at its cell (a fact file and a slow-path value alike).
#[test]
fn excels_too_narrow_marks_say_to_widen_the_column() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,GDP,亿元,flow,sum\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    for v in ["####", "########", " ### "] {
        w("facts.csv", &format!("region,year,indicator,value\nt1,2020,gdp,1\nt1,2021,gdp,{v}\n"));
        let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
        assert!(
            e.contains(&format!(
                "facts.csv:3:4: value \"{}\" is Excel's sign of a column too narrow to show its figure: widen the column",
                v.trim()
            )),
            "{e}"
        );
    }
    // A footnote mark after a figure is still a mark.
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,5#\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ws.eval("at(gdp, \"t1\", 2021)").unwrap().value.into_dynamic().as_float().ok(), Some(5.0));
}

/// A fact file's region code as Excel or a form writes it (full-width digits, ="…", a
/// leading apostrophe, .0) said "unknown region" with no hint, or a near code: the error
/// now names the spelling and the code it stands for.
#[test]
fn a_region_code_spelled_as_excel_writes_it_says_what_it_is() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\n330421,某县,county,\n330421101,甲镇,town,330421\n330421102,乙镇,town,330421\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,GDP,亿元,flow,sum\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n",
    );
    for (cell, how) in [
        ("３３０４２１１０１", "in full-width digits"),
        ("\"=\"\"330421101\"\"\"", "as Excel's text formula =\"…\""),
        ("'330421101", "after an apostrophe (Excel's mark of text)"),
        ("330421101.0", "as a number with decimals"),
    ] {
        w("facts.csv", &format!("region,year,indicator,value\n330421102,2020,gdp,5\n{cell},2020,gdp,7\n"));
        let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
        assert!(
            e.contains("facts.csv:3:1: unknown region \"")
                && e.contains(&format!("\": it is the code 330421101 written {how}; write the code's plain digits")),
            "{cell}: {e}"
        );
    }
}

/// A cell reference past Excel's last row or column (written by a program) wrapped in
/// the reader onto another cell: `D4294967299` (2^32 + 3) and `MWLQKWZ3` (column 2^32 + 4)
/// landed on D3 and replaced 甲镇's 7.75 with 999, silently. Refused, as a cell past the
/// last row is (it was named at a wrapped row).
#[test]
fn a_cell_reference_that_wraps_onto_another_cell_is_refused() {
    let rows: &[&[&str]] = &[&["region", "year", "indicator", "value"], &["t1", "2021", "gdp", "7.75"]];
    for (raw, want) in [
        ("<row r=\"4294967298\"><c r=\"D4294967298\"><v>999</v></c></row>", "two cells of the sheet are at D2"),
        ("<row r=\"2\"><c r=\"MWLQKWZ2\"><v>999</v></c></row>", "two cells of the sheet are at D2"),
        (
            "<row r=\"99999999999\"><c r=\"A99999999999\" t=\"inlineStr\"><is><t>x</t></is></c></row>",
            "a cell lies past Excel's last row (1048576) or column (XFD)",
        ),
    ] {
        let book = xlsx_raw(rows, &[], raw);
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.xlsx\"", &[("f.xlsx", &book)]);
        let e = error(ws);
        // Where overflow is checked (debug builds) the reader itself stops at the
        // reference: the same advice, at the file.
        let checked = e.contains("f.xlsx:1: the workbook cannot be read (attempt to");
        assert!(e.contains(&format!("f.xlsx[Sheet1]:1: {want}")) || checked, "{raw}: {e}");
        assert!(e.contains("the file's cell references are damaged or made by a program that wrote one too large"), "{e}");
        assert!(e.contains("open the workbook in Excel or LibreOffice, check the sheet and save it again"), "{e}");
    }
    // Without the stray cell the figure reads.
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.xlsx\"", &[("f.xlsx", &xlsx(rows, &[]))]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 7.75);
}

/// Offices show 元 as 万 with a literal point (`0!.0000"万"`: 775000000 shows
/// 77500.0000万; `0!.0,"万"`: 640000000 shows 64000.0万) or as 百万 (`0.00,,"百万"`). Read
/// as stored the figures were 775000000 万元, 10000 times too large; read as shown without
/// the word, 530 of 百万 would be 530 万元. The format's magnitude word says what the
/// figure is in, which the file cannot: refused at the first such cell, saying how to fix
/// it.
#[test]
fn a_figure_shown_in_a_magnitude_its_format_names_is_refused_at_its_cell() {
    let book = std::fs::read(root().join("tests/fixtures/wan_formats.xlsx")).unwrap();
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.xlsx\"\nsheet = \"表1\"", &[("f.xlsx", &book)]);
    let e = error(ws);
    assert!(
        e.contains(
            "f.xlsx[表1]:3:4: cell D3 holds 775000000 and its number format (0!.0000\"万\") shows it as 77500 with a magnitude \
             written into the format"
        ),
        "{e}"
    );
    assert!(e.ends_with("set the column's number format to 常规 (General) and give the unit of the figures held in the header (数值（元）) or a unit row (单位：元)"), "{e}");
}

/// A unit written only in an indicator's label (城镇化率（%）, 人口自然增长率（‰）,
/// 地区生产总值（亿元）, the unit column empty) is its unit: a rate in % summed across towns
/// (a county at 113.4%), a rate in ‰ said in 百分点, and a file's 单位：万元 row left unread
/// (15000万元 read as 15000亿元) before. A unit column that disagrees with the label is
/// refused; one that agrees (元 over 元/人, as yearbooks head 人均) is read.
#[test]
fn a_unit_named_in_the_label_is_the_indicators_unit() {
    let indicators = "code,label,unit,kind,rollup\nurb,城镇化率（%）,,,\nnat,人口自然增长率(‰),,rate,none\n\
                      gdp,地区生产总值（亿元）,,flow,sum\ninc,人均可支配收入（元）,元/人,rate,none\nidx,地区生产总值（现价）,,flow,sum\n";
    let facts = "单位：万元\n地区,年份,指标,数值\n甲镇,2021,gdp,15000\n乙镇,2021,gdp,1.2\n";
    let (_d, ws) = workspace(
        "[[data.facts]]\nfile = \"f.csv\"\n[[data.facts]]\nfile = \"g.csv\"\n",
        &[
            ("indicators.csv", indicators.as_bytes()),
            ("f.csv", facts.as_bytes()),
            ("g.csv", b"region,year,indicator,value\nt1,2021,urb,52.5\nt2,2021,urb,60.9\nt1,2021,nat,4.1\nt1,2021,idx,3\n"),
        ],
    );
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    let unit = |code: &str| ws.panel().indicators[ws.panel().indicator(code).unwrap()].unit.show();
    assert_eq!([unit("urb"), unit("nat"), unit("gdp"), unit("inc"), unit("idx")], ["%", "‰", "亿元", "元/人", "a pure number"]);
    // 15000万元 + 1.2万元 = 1.50012亿元.
    assert!(close(value(&ws, "at(rollup(gdp, \"county\"), \"c\", 2021)"), 1.50012, 1e-12));
    let e = ws.eval("rollup(urb, \"county\")").err().expect("a % does not add up").to_string();
    assert!(e.contains("`urb` (flow) does not roll up: its unit is a percentage (%)"), "{e}");
    // A label and a unit column that disagree.
    let (_d, ws) = workspace("", &[("indicators.csv", "code,label,unit,kind,rollup\nfr,财政收入（亿元）,万元,flow,sum\n".as_bytes())]);
    assert_eq!(
        error(ws),
        "indicators.csv:2:3: indicator \"fr\": its label \"财政收入（亿元）\" names the unit 亿元 and its unit column says 万元: \
         make them agree (the figures are in one of them), or take the unit out of the label"
    );
}

/// An indicator named by a word the script language keeps (`yield`, `let`) loaded, and
/// every formula naming it failed with "'yield' is a reserved keyword". It is refused at
/// its cell, as a derived indicator's id is.
#[test]
fn an_indicator_named_by_a_keyword_is_refused_at_its_cell() {
    let (_d, ws) = workspace("", &[("indicators.csv", "code,label,unit,kind,rollup\nyield,单产,公斤,rate,none\n".as_bytes())]);
    assert_eq!(
        error(ws),
        "indicators.csv:2:1: indicator code \"yield\" is a word the script language keeps for itself, so no formula could name it: \
         choose another code (yield_value, or one of its label's words in pinyin)"
    );
    let (_d, ws) = workspace("", &[("indicators.csv", "code,label,unit,kind,rollup\nperiod,期数,个,flow,sum\n".as_bytes())]);
    assert_eq!(
        error(ws),
        "indicators.csv:2:1: indicator code \"period\" is a name messages and sentences keep for the finding's own period ({period}): \
         choose another code"
    );
    let (_d, ws) = workspace("[indicators.let]\nexpr = \"gdp * 2\"\n", &[]);
    let e = error(ws);
    assert!(
        e.contains("indicator id `let` is a word the script language keeps for itself, so no formula could name it: choose another id"),
        "{e}"
    );
}

/// The unit in a label written other ways than （亿元）: other brackets (【%】, [%], 〔%〕),
/// a qualifier beside it (（当年价，亿元）, （%，年末）) or a sign after the name (城镇化率/%,
/// 城镇化率%). A wide table's header names such an indicator by its label without the
/// unit, in its own unit (地区生产总值（万元）: 589000万元 is 58.9亿元), or by the whole
/// label, in the label's.
#[test]
fn a_labels_unit_is_read_in_any_bracket_and_a_header_may_name_another() {
    let indicators = "code,label,unit,kind,rollup\na,甲率【%】,,,\nb,乙率[%],,,\nc,丙率〔%〕,,,\nd,丁率（%，年末）,,,\ne,戊率/%,,,\n\
                      f,己率%,,,\ngdp,地区生产总值（当年价，亿元）,,flow,sum\nidx,产值（现价，2020年价）,,flow,sum\n";
    let wide = "地区,年份,地区生产总值（万元）\n甲镇,2021,589000\n乙镇,2021,336000\n";
    let (_d, ws) = workspace(
        "[[data.facts]]\nfile = \"w.csv\"\ncolumns_are = \"indicators\"\n",
        &[("indicators.csv", indicators.as_bytes()), ("w.csv", wide.as_bytes())],
    );
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    let unit = |code: &str| ws.panel().indicators[ws.panel().indicator(code).unwrap()].unit.show();
    for code in ["a", "b", "c", "d", "e", "f"] {
        assert_eq!(unit(code), "%", "{code}");
    }
    assert_eq!(unit("gdp"), "亿元");
    // Two words, neither a unit: none.
    assert_eq!(unit("idx"), "a pure number");
    assert!(close(value(&ws, "at(gdp, \"t1\", 2021)"), 58.9, 1e-12));
    assert!(close(value(&ws, "at(gdp, \"t2\", 2021)"), 33.6, 1e-12));
    // The whole label as the header: in 亿元; under a unit row of 万元, which is it?
    let entry = "[[data.facts]]\nfile = \"w.csv\"\ncolumns_are = \"indicators\"\n";
    let (_d, ws) = workspace(
        entry,
        &[("indicators.csv", indicators.as_bytes()), ("w.csv", "地区,年份,地区生产总值（当年价，亿元）\n甲镇,2021,58.9\n".as_bytes())],
    );
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    assert!(close(value(&ws, "at(gdp, \"t1\", 2021)"), 58.9, 1e-12));
    let (_d, ws) = workspace(
        entry,
        &[
            ("indicators.csv", indicators.as_bytes()),
            ("w.csv", "单位：万元\n地区,年份,地区生产总值（当年价，亿元）\n甲镇,2021,58.9\n".as_bytes()),
        ],
    );
    let e = error(ws);
    assert!(e.contains("the column is in 亿元, but the unit row above the header says 万元"), "{e}");
    // A label that is the header as it is wins over a label that is it with a unit.
    let both = "code,label,unit,kind,rollup\ngdp,地区生产总值（亿元）,,flow,sum\ngdp_w,地区生产总值,万元,flow,sum\n";
    let (_d, ws) = workspace(entry, &[("indicators.csv", both.as_bytes()), ("w.csv", "地区,年份,地区生产总值\n甲镇,2021,5\n".as_bytes())]);
    let ws = ws.unwrap_or_else(|e| panic!("{e}"));
    assert!(close(value(&ws, "at(gdp_w, \"t1\", 2021)"), 5.0, 1e-12));
    assert!(value(&ws, "at(gdp, \"t1\", 2021)").is_nan());
}

/// A first record shaped as a 栏次 row (a grade table's 甲,1,2 above 乙,3,40; a one-record
/// table's 甲,1) is a record: it was dropped, so 户数 summed 7 for 8. A 栏次 row numbers
/// every column with stems in order (甲 乙 1 2), records follow it, and no record holds
/// a stem where its first stem stands; such a row is still left out.
#[test]
fn a_first_record_shaped_as_column_numbers_is_kept() {
    let count_and_sum = |csv: &str, col: &str| {
        let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
        let (_d, ws) =
            workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", csv.as_bytes())]);
        let ws = ws.unwrap_or_else(|e| panic!("{csv}: {e}"));
        (value(&ws, "table(\"p\").count()"), value(&ws, &format!("table(\"p\").sum(\"{col}\")")))
    };
    assert_eq!(count_and_sum("质量等级,户数,面积（亩）\n甲,1,2\n乙,3,40\n丙,4,55\n", "户数"), (3.0, 8.0));
    assert_eq!(count_and_sum("质量等级,户数,面积（亩）\n甲,1,2\n乙,3,40\n丙,4,55\n", "面积（亩）"), (3.0, 97.0));
    assert_eq!(count_and_sum("质量等级,户数\n甲,1\n", "户数"), (1.0, 1.0));
    assert_eq!(count_and_sum("质量等级,户数\n乙,1\n丁,2\n", "户数"), (2.0, 3.0));
    // A 栏次 row under the header of a ledger: left out.
    assert_eq!(count_and_sum("项目,单位,户数\n甲,乙,1\n新建道路,甲镇,5\n改建桥梁,乙镇,7\n", "户数"), (2.0, 12.0));
}

/// Dates in a ledger as Excel on Chinese Windows saves them to CSV (2021/2/3, with ` 0:00`
/// for a date and time cell) or typed 2021年2月3日 are written 2021-02-03, as an xlsx date
/// cell reads: they sorted as text (2021/10/5 before 2021/2/3), and from March on summed
/// 351 for 151. A day not in its month (2021/2/30) stays as written, and so does a code.
#[test]
fn dates_spelled_with_slashes_read_as_dates() {
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let p = "项目名称,签约日期,投资额（万元）,项目代码,签约时间\n项目A,2021/11/20,100,2021/1/1,2021/2/3 8:30\n\
             项目B,2021/2/3,200,x,20210203\n项目C,2021/10/5 0:00,50,y,2021/10/5 0:00\n项目D,2021年9月1日,1,z,2021/9/1 14:05:09\n\
             项目E,2021/2/30,7,w,\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", p.as_bytes())]);
    let ws = ws.unwrap();
    let text = |e: &str| ws.eval(e).unwrap().value.to_string();
    assert_eq!(
        text("table(\"p\").column(\"签约日期\")"),
        "[\"2021-11-20\", \"2021-02-03\", \"2021-10-05\", \"2021-09-01\", \"2021/2/30\"]"
    );
    assert_eq!(
        text("table(\"p\").filter(|r| r.签约日期 != \"2021/2/30\").sort(\"签约日期\").column(\"项目名称\")"),
        "[\"项目B\", \"项目D\", \"项目C\", \"项目A\"]"
    );
    assert_eq!(
        value(&ws, "table(\"p\").filter(|r| r.签约日期 >= \"2021-03-01\" && r.签约日期 <= \"2021-12-31\").sum(\"投资额（万元）\")"),
        151.0
    );
    assert_eq!(text("table(\"p\").column(\"项目代码\")[0]"), "2021/1/1");
    // The date written as Excel shows it compares as text: it equals no date there and
    // orders after 2021-12-31 (the filter kept nothing). Refused at the text; a code column
    // keeps such a code as written and compares with it.
    let e = ws.eval("table(\"p\").filter(|r| r.签约日期 >= \"2021/3/1\").sum(\"投资额（万元）\")").err().unwrap().to_string();
    assert!(
        e.contains(
            "\"2021/3/1\" is compared as text, but ledgers read dates as 2021-03-01 and months as 2021-03 (as an xlsx date \
             cell), so it equals no date there and does not order as one: write \"2021-03-01\""
        ),
        "{e}"
    );
    assert_eq!(text("table(\"p\").filter(|r| r.项目代码 == \"2021/1/1\").column(\"项目名称\")"), "[\"项目A\"]");
    // Looked for inside a date, a part spelled otherwise (fixes16 07: each kept no row):
    // refused as the row is read, with the part as ledgers write it.
    for (call, write) in [
        ("starts_with(\"2021/\")", "2021-"),
        ("starts_with(\"2021年\")", "2021"),
        ("contains(\"2021/11\")", "2021-11"),
        ("ends_with(\"2/3\")", "02-03"),
    ] {
        let e = ws.eval(&format!("table(\"p\").filter(|r| r.签约日期.{call}).count()")).err().unwrap().to_string();
        assert!(e.contains(&format!("`{call}` of \"2021-11-20\", a ledger date: ledgers read dates as 2021-03-01")), "{e}");
        assert!(e.contains(&format!("is found in no date there; write \"{write}\"\n")), "{e}");
    }
    // The same part spelled as the file wrote it (2021.3.20), in digits alone, or looked
    // for with index_of, split or `in` (fixes17 03: each kept no row).
    for (call, write) in [
        ("starts_with(\"2021.11\")", "\"2021-11\""),
        ("starts_with(\"202111\")", "\"2021-11\""),
        ("contains('/')", "'-'"),
        ("index_of(\"2021/\")", "\"2021-\""),
        ("index_of('.')", "'-'"),
        ("split(\"/\")", "\"-\""),
        ("split_rev('.', 2)", "'-'"),
    ] {
        let e = ws.eval(&format!("table(\"p\").filter(|r| r.签约日期.{call}.len() > 1).count()")).err().unwrap().to_string();
        assert!(e.contains(&format!("`{call}` of \"2021-11-20\", a ledger date: ledgers read dates as 2021-03-01")), "{e}");
        assert!(e.contains(&format!("; write {write}\n")), "{e}");
    }
    let e = ws.eval("table(\"p\").filter(|r| \"2021.11\" in r.签约日期).count()").err().unwrap().to_string();
    assert!(e.contains("`contains(\"2021.11\")` of \"2021-11-20\""), "{e}");
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.签约日期.split(\"-\")[0] == \"2021\").count()"), 4.0);
    // A text written with `-` alone is looked for as it is (a prefix: 2021-0 of months 1-9).
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.签约日期.starts_with(\"2021-1\")).count()"), 2.0);
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.签约日期.index_of(\"-\") == 4).count()"), 4.0);
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.签约日期.starts_with(\"2021-\")).count()"), 4.0);
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.签约日期.ends_with(\"02-03\")).count()"), 1.0);
    // A code column keeps such a code, and is looked in as written.
    assert_eq!(value(&ws, "table(\"p\").filter(|r| r.项目代码.starts_with(\"2021/\")).count()"), 1.0);
    // A time of day is kept (08:30), midnight dropped; 20210203 beside such dates is one.
    assert_eq!(
        text("table(\"p\").column(\"签约时间\")"),
        "[\"2021-02-03 08:30\", \"2021-02-03\", \"2021-10-05\", \"2021-09-01 14:05:09\", \"\"]"
    );
}

/// A magnitude or a unit in brackets after a unit (`元（万）`, `万元(亿)`, `元（万元）`) was
/// dropped as a qualifier is (`万元（当年价）`): 1.5 in a 计量单位 of 元（万） loaded as
/// 0.00015万元, and under a unit row 单位：元（万） too. Refused at the cell or row; a price
/// basis in brackets still reads.
#[test]
fn a_magnitude_in_brackets_after_a_unit_is_refused() {
    let facts = |unit: &str| format!("region,year,indicator,计量单位,value\nt1,2021,gdp,{unit},1.5\n");
    // And however the magnitude is worded (fixes15 06: each loaded 1.5 as 1.5 of the unit).
    for unit in [
        "元（万）",
        "元(万)",
        "元（万元）",
        "万元(亿)",
        "元（×10⁴）",
        "元(x10^4)",
        "元（万，现价）",
        "元（单位：万）",
        "元（万计）",
        "元（以万计）",
        "元（×1万）",
        "元（10000）",
        "元（萬）",
        "元（万 年末）",
        "元（年末:万）",
        // fixes16 06: chat's w, a spaced or scientific power of ten, the bilingual yearbooks'.
        "元（w）",
        "元（10 000元）",
        "元(10 000 yuan)",
        "元（100 million）",
        "元（1e4）",
        // fixes17 01: thousands, millions and billions as English tables write them, the
        // formal 仟, and 10⁴ / 10⁸ whose superscript a copy flattened.
        "元（k）",
        "元（K）",
        "元（仟）",
        "元（M）",
        "元（mn）",
        "元（bn）",
        "元（000）",
        "元('000)",
        "元(000)",
        "元（104）",
        "元（108）",
    ] {
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", facts(unit).as_bytes())]);
        assert_eq!(
            error(ws),
            format!(
                "f.csv:2:4: the value is in {unit}, which does not convert to 万元 (gdp's unit): a magnitude or a unit in \
                 brackets after a unit leaves unclear which unit the figure is in; write the unit whole (万人, 万元)"
            ),
            "{unit}"
        );
    }
    let (_d, ws) = workspace(
        "[[data.facts]]\nfile = \"f.csv\"",
        &[("f.csv", "单位：元（万）\nregion,year,indicator,value\nt1,2021,gdp,1.5\n".as_bytes())],
    );
    assert!(error(ws).starts_with("f.csv:1:1: the unit row \"单位：元（万）\" names a unit yearbook does not read (\"元（万）\")"));
    for (unit, want) in [
        ("亿元（当年价）", 15000.0),
        ("万元(可比价)", 1.5),
        ("亿元", 15000.0),
        ("万元(2020年价)", 1.5),
        ("万元(yuan)", 1.5),
        ("万元（RMB）", 1.5),
        ("亿元（2021）", 15000.0),
    ] {
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", facts(unit).as_bytes())]);
        assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), want, "{unit}");
    }
}

/// A figure Excel showed in scientific notation and saved to CSV so (`1.23457E+11`, six of
/// its twelve digits) loaded in a fact file as 123457000000 without a word: refused at its
/// cell, as a record table's long codes are. A figure written with every digit reads.
#[test]
fn a_figure_excel_saved_in_scientific_notation_is_refused() {
    let facts = |v: &str| format!("region,year,indicator,value\nt1,2021,gdp,{v}\nt2,2021,gdp,98765432101\n");
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", facts("1.23457E+11").as_bytes())]);
    assert_eq!(
        error(ws),
        "f.csv:2:4: value \"1.23457E+11\" is a figure Excel showed in scientific notation and saved so: it keeps 6 of its 12 \
         digits, the others are lost; format the column as a number (数值, with its decimals) before saving it as CSV, or load \
         the .xlsx itself"
    );
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", facts("1.23456789012E+11").as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "rollup(gdp, \"county\")"), 123456789012.0 + 98765432101.0);
}

/// A figure written with an unquoted thousands comma (`1,234`) in a file whose header ends
/// in an empty cell (Excel leaves one where a column right of the table was ever used):
/// the row passed the width check, and every cell after the comma moved one column right.
/// A wide file loaded gdp 1 and the next indicator 234, a long file the flag `234`, a
/// ledger summed 201 for 1434. Each is refused at the cell that moved.
#[test]
fn a_thousands_comma_that_moves_cells_under_an_empty_header_cell_is_refused() {
    let moved = |col: usize, cell: &str, named: usize| {
        format!(
            "cell \"{cell}\" stands under no header: the header names {named} columns, this row has a cell in column {col}; a \
             figure written with an unquoted thousands comma (1,234) parts into two cells and moves the cells after it one \
             column right: write 1234 or \"1,234\", or name the column in the header"
        )
    };
    let wide = "地区,年份,gdp,\nt1,2021,1,234\nt2,2021,200,\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\ncolumns_are = \"indicators\"", &[("f.csv", wide.as_bytes())]);
    assert_eq!(error(ws), format!("f.csv:2:4: {}", moved(4, "234", 3)));
    let long = "region,year,indicator,value,\nt1,2021,gdp,1,234\nt2,2021,gdp,200,\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", long.as_bytes())]);
    assert_eq!(error(ws), format!("f.csv:2:5: {}", moved(5, "234", 4)));
    let flagged = "region,year,indicator,value,flag,\nt1,2021,gdp,1,234,\nt2,2021,gdp,200,p,\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", flagged.as_bytes())]);
    assert_eq!(
        error(ws),
        "f.csv:2:5: \"234\" right after the value 1: is the figure 1,234 written with an unquoted thousands comma? Write \
         1234 or \"1,234\""
    );
    // With decimals, and under a column of notes as under a flag.
    for (head, row, want) in [
        ("value,flag", "t1,2021,gdp,12,345.6", "\"345.6\" right after the value 12: is the figure 12,345.6 written"),
        ("value,备注", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        ("数值,数据来源", "t1,2021,gdp,-1,234", "\"234\" right after the value -1: is the figure -1,234 written"),
        // Marks named otherwise (fixes15 03): 1 loaded for 1234.
        ("value,数据标识", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        ("value,状态", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        ("value,status", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        // And so (fixes16 05): 1 loaded for 1234.
        ("value,脚注", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        ("value,口径", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        ("value,填报人", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
        ("value,memo", "t1,2021,gdp,1,234", "\"234\" right after the value 1: is the figure 1,234 written"),
    ] {
        let f = format!("region,year,indicator,{head}\n{row}\nt2,2021,gdp,200,县统计局\n");
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", f.as_bytes())]);
        assert!(error(ws).contains(want), "{head}");
    }
    // A note of words or a flag beside a figure loads, and so does a column of figures of
    // its own after the value (120 beside a 上年同期 of 100 is no parted 120,100).
    let f = "region,year,indicator,value,备注\nt1,2021,gdp,1234,快报\nt2,2021,gdp,12,2021\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 1234.0);
    let f = "region,year,indicator,value,上年同期\nt1,2021,gdp,120,100\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"", &[("f.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 120.0);
    let facts = b"region,year,indicator,value\nt1,2021,gdp,1\n";
    let ledger = "序号,项目名称,投资额,\n1,项目A,1,234\n2,项目B,200,\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert_eq!(error(ws), format!("p.csv:2:4: {}", moved(4, "234", 3)));
    // Quoted, the figure reads whole; the empty header cell stays harmless.
    let ledger = "序号,项目名称,投资额,\n1,项目A,\"1,234\",\n2,项目B,200,\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "table(\"p\").sum(\"投资额\")"), 1434.0);
    // A ledger whose amount is followed by a column of notes (fixes15 03): summed 201 for
    // 1434, with 234 taken for a note.
    let ledger = "id,region,amount,备注\np1,t1,1,234\np2,t1,200,\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert_eq!(
        error(ws),
        "p.csv:2:4: \"234\" right after the value 1: is the figure 1,234 written with an unquoted thousands comma? Write 1234 or \
         \"1,234\""
    );
    // A column named for notes however worded (核实情况) holds no figure either.
    let ledger = "id,region,amount,核实情况\np1,t1,1,234\np2,t1,200,已核实\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert!(error(ws).starts_with("p.csv:2:4: \"234\" right after the value 1: is the figure 1,234 written"));
    // A column of figures with a word in it (inputs16 05: 用地面积 120 beside 投资额 50, and
    // 待定 below) was refused as a parted 50,120: it reads as written.
    let ledger = "项目名称,region,投资额（万元）,用地面积（亩）,负责单位\n项目A,t1,50,120,县发改局\n项目B,t1,80,待定,县经信局\n\
                  项目C,t1,1200,35,县住建局\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "table(\"p\").sum(\"投资额（万元）\")"), 1330.0);
    // A column of figures after the amount (户数 beside 人口) is no such column.
    let ledger = "id,region,户数,人口\np1,t1,5,123\np2,t1,200,700\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "table(\"p\").sum(\"人口\")"), 823.0);
    let ledger = "id,region,amount,备注\np1,t1,1234,已开工\np2,t1,200,\n";
    let (_d, ws) =
        workspace("[[data.facts]]\nfile = \"f.csv\"\n[data.tables]\np = \"p.csv\"", &[("f.csv", facts), ("p.csv", ledger.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "table(\"p\").sum(\"amount\")"), 1434.0);
}

#[test]
fn a_long_files_indicator_cell_with_its_unit_reads_the_figure_in_that_unit() {
    // inputs16 06: `地区生产总值（亿元）` in a long file's 指标 column was refused with "did
    // you mean `地区生产总值`", and doing that loaded 1.5亿元 as 1.5万元. It reads as the
    // same text does as a wide table's header: 1.5亿元 is 15000万元.
    let facts = "地区,年份,指标,数值\n甲镇,2021,地区生产总值（亿元）,1.5\n乙镇,2021,地区生产总值(亿元),2\n丙镇,2021,gdp（万元）,300\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", facts.as_bytes())]);
    let ws = ws.unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", 2021)"), 15000.0);
    assert_eq!(value(&ws, "at(gdp, \"t2\", 2021)"), 20000.0);
    assert_eq!(value(&ws, "at(gdp, \"t3\", 2021)"), 300.0);
    // A 计量单位 cell that says the same is no conflict; one that says otherwise is refused.
    let same = "地区,年份,指标,计量单位,数值\n甲镇,2021,地区生产总值（亿元）,亿元,1.5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", same.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 15000.0);
    let other = "地区,年份,指标,计量单位,数值\n甲镇,2021,地区生产总值（亿元）,万元,1.5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", other.as_bytes())]);
    assert_eq!(
        error(ws),
        "f.csv:2:4: the unit cell says 万元, but the indicator cell names its figures in 亿元: the file does not say which this \
         figure is in, and read by either it would be 10000 times apart; give the unit in one place, or the same unit in both"
    );
    // A unit row of the same kind that says otherwise: refused at the indicator cell.
    let row = "单位：万元\n地区,年份,指标,数值\n甲镇,2021,地区生产总值（亿元）,1.5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", row.as_bytes())]);
    let e = error(ws);
    assert!(e.starts_with("f.csv:3:3: the indicator cell names its figures in 亿元, but the file gives them in 万元"), "{e}");
    // A unit of another kind does not convert.
    let kind = "地区,年份,指标,数值\n甲镇,2021,地区生产总值（万人）,1.5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", kind.as_bytes())]);
    assert_eq!(error(ws), "f.csv:2:3: the indicator cell names its figures in 万人, which does not convert to 万元 (gdp's unit)");
    // A bracket that is no unit is still an unknown indicator.
    let word = "地区,年份,指标,数值\n甲镇,2021,地区生产总值（现价）,1.5\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", word.as_bytes())]);
    assert!(error(ws).starts_with("f.csv:2:3: unknown indicator \"地区生产总值（现价）\""));
}

#[test]
fn a_title_naming_another_period_than_the_entry_is_refused() {
    // inputs16 04: `2021年1-6月各镇主要经济指标` over a file whose entry says
    // `period = "2021-06"` loaded the 1-6月 totals as June's own figures; a title of 2021
    // over last year's `period = "2020"` loaded 2021's figures as 2020's.
    let body = "单位：万元\n地区,地区生产总值\n甲镇,100\n乙镇,200\n";
    let open = |title: &str, entry: &str, monthly: bool| {
        let data = format!("[[data.facts]]\nfile = \"f.csv\"\ncolumns_are = \"indicators\"\n{entry}\n");
        let file = format!("{title}\n{body}");
        let (d, ws) = workspace(&data, &[("f.csv", file.as_bytes())]);
        let ws = match monthly {
            true => {
                let toml = d.path().join("yearbook.toml");
                let t = std::fs::read_to_string(&toml).unwrap().replace("[workspace]\n", "[workspace]\nfrequency = \"month\"\n");
                std::fs::write(&toml, t).unwrap();
                yearbook::Workspace::open(&toml, None).map_err(|e| e.to_string().replace(&format!("{}/", d.path().display()), ""))
            }
            false => ws,
        };
        (d, ws)
    };
    let refused = [
        (
            "2021年1-6月各镇主要经济指标",
            "period = \"2021-06\"",
            true,
            "f.csv:1:1: the title names 2021年1-6月, but this file's entry says period = \"2021-06\" without `cumulative = true`, \
             which loads the figures as 2021年6月's own, not as the 累计 from January: add `cumulative = true` to the entry",
        ),
        (
            "2021年各镇主要经济指标",
            "period = \"2020\"",
            false,
            "f.csv:1:1: the title names 2021年, but this file's entry says period = \"2020\": the figures are for the title's \
             period: correct the entry's `period`, or the title",
        ),
        (
            "嘉善县2021年1-6月各镇主要经济指标",
            "period = \"2021\"",
            false,
            "f.csv:1:1: the title names 2021年1-6月, but this file's entry says period = \"2021\", the whole year: the figures \
             are for the title's period: correct the entry's `period`, or the title",
        ),
        (
            "2021年5月各镇主要经济指标",
            "period = \"2021-06\"\ncumulative = true",
            true,
            "f.csv:1:1: the title names 2021年5月, but this file's entry says period = \"2021-06\", a period ending in month 6: \
             the figures are for the title's period: correct the entry's `period`, or the title",
        ),
    ];
    for (title, entry, monthly, says) in refused {
        let (_d, ws) = open(title, entry, monthly);
        assert_eq!(error(ws), says);
    }
    // Titles that agree: loaded, the figures under the entry's period.
    let agree = [
        ("2021年1-6月各镇主要经济指标", "period = \"2021-06\"\ncumulative = true", true, "cumulative.gdp"),
        ("2021年6月各镇主要经济指标", "period = \"2021-06\"\ncumulative = true", true, "cumulative.gdp"),
        ("2021年6月各镇主要经济指标", "period = \"2021-06\"", true, "gdp"),
        ("2021年各镇主要经济指标", "period = \"2021-06\"", true, "gdp"),
        ("2021年各镇主要经济指标", "period = \"2021\"", false, "gdp"),
        ("2021年1-12月各镇主要经济指标", "period = \"2021\"", false, "gdp"),
        ("嘉善县2021年各镇主要经济指标", "period = \"2021\"", false, "gdp"),
        // A form's date of filling in is no period of its figures (the review).
        ("各镇主要经济指标\n填报日期：2022年1月10日", "period = \"2021\"", false, "gdp"),
        ("各镇主要经济指标\n制表单位：统计站  2022年1月", "period = \"2021\"", false, "gdp"),
    ];
    for (title, entry, monthly, ind) in agree {
        let (_d, ws) = open(title, entry, monthly);
        let ws = ws.unwrap_or_else(|e| panic!("{title} / {entry}: {e}"));
        let at = if monthly { "2021-06" } else { "2021" };
        assert_eq!(value(&ws, &format!("at({ind}, \"t1\", \"{at}\")")), 100.0, "{title} / {entry}");
    }
}

#[test]
fn a_period_or_region_split_over_two_columns_is_refused() {
    // inputs17 04: under 年份,月 (or 统计年度,统计月份; 年度,月度; 年份,报告期) the month column
    // was dropped as a note, and March's figures loaded as the year's; under 地区,乡镇 a
    // town's figure loaded as its county's own.
    for (year, month) in [("年份", "月"), ("统计年度", "统计月份"), ("年度", "月度"), ("年份", "报告期"), ("统计年度", "统计季度")]
    {
        let f = format!("地区,{year},{month},指标,数值\n甲镇,2021,3,gdp,100\n");
        let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", f.as_bytes())]);
        assert_eq!(
            error(ws),
            format!(
                "f.csv:1:3: column \"{month}\" names a part of the period beside the period column \"{year}\": read by \"{year}\" \
                 alone, each row's figure would load as the whole period's (March's as the year's); write the period in one \
                 column (2021-03, 2021年3月, 2021Q3)"
            )
        );
    }
    // Naming 年份 as the period does not read the month either.
    let f = "地区,年份,月份,指标,数值\n甲镇,2021,3,gdp,100\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\ncolumns = { period = \"年份\" }\n", &[("f.csv", f.as_bytes())]);
    assert!(error(ws).starts_with("f.csv:1:3: column \"月份\" names a part of the period"));
    let f = "地区,乡镇,年份,指标,数值\n某县,甲镇,2021,gdp,100\n";
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\n", &[("f.csv", f.as_bytes())]);
    assert_eq!(
        error(ws),
        "f.csv:1:2: column \"乡镇\" names regions beside the region column \"地区\": which of the two each row's figure is for, the \
         file does not say (read by \"地区\", a town's figure would load as its county's own); name the one to read with columns \
         = { region = \"乡镇\" }"
    );
    // Named, it loads: 甲镇's 100.
    let (_d, ws) = workspace("[[data.facts]]\nfile = \"f.csv\"\ncolumns = { region = \"乡镇\" }\n", &[("f.csv", f.as_bytes())]);
    assert_eq!(value(&ws.unwrap(), "at(gdp, \"t1\", 2021)"), 100.0);
}
