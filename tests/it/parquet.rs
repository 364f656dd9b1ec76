//! Parquet input: the bundled sample written as Parquet (typed columns: integer years,
//! double and decimal values, nulls, several row groups, each compression) gives the
//! same run, byte for byte, as its CSV files; errors name the row and column.

use crate::common::*;
use parquet::basic::{Compression, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, FixedLenByteArray, FixedLenByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::path::Path;
use std::sync::Arc;

/// How a column is written.
#[derive(Clone, Copy)]
enum Ty {
    Text,
    Int,
    Float,
    /// DECIMAL(18, 2) in an INT64: 7.75 stored as 775.
    Decimal2,
    /// An unsigned 64-bit integer (UINT_64): 2^64-1 stored as the bits of -1.
    UInt64,
    /// A half-precision float (FLOAT16 in a 2-byte FIXED_LEN_BYTE_ARRAY), little-endian.
    Float16,
}

/// Writes `csv` as Parquet at `out`: the columns named in `types` typed so, the rest
/// text; empty cells null; `group` rows per row group.
fn to_parquet(csv: &Path, out: &Path, types: &[(&str, Ty)], group: usize, compression: Compression) {
    to_parquet_with(csv, out, types, group, WriterProperties::builder().set_compression(compression).build())
}

/// `to_parquet` with the writer's properties given (page versions, dictionaries).
fn to_parquet_with(csv: &Path, out: &Path, types: &[(&str, Ty)], group: usize, props: WriterProperties) {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut r = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    let ty = |name: &str| types.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(Ty::Text);
    let fields: Vec<Arc<Type>> = header
        .iter()
        .map(|h| {
            let b = match ty(h) {
                Ty::Text => {
                    Type::primitive_type_builder(h, Physical::BYTE_ARRAY).with_logical_type(Some(parquet::basic::LogicalType::String))
                }
                Ty::Int => Type::primitive_type_builder(h, Physical::INT64),
                Ty::UInt64 => Type::primitive_type_builder(h, Physical::INT64)
                    .with_logical_type(Some(parquet::basic::LogicalType::integer(64, false))),
                Ty::Float => Type::primitive_type_builder(h, Physical::DOUBLE),
                Ty::Float16 => Type::primitive_type_builder(h, Physical::FIXED_LEN_BYTE_ARRAY)
                    .with_length(2)
                    .with_logical_type(Some(parquet::basic::LogicalType::Float16)),
                Ty::Decimal2 => Type::primitive_type_builder(h, Physical::INT64)
                    .with_converted_type(parquet::basic::ConvertedType::DECIMAL)
                    .with_precision(18)
                    .with_scale(2),
            };
            Arc::new(b.with_repetition(Repetition::OPTIONAL).build().unwrap())
        })
        .collect();
    let schema = Arc::new(Type::group_type_builder("schema").with_fields(fields).build().unwrap());
    let props = Arc::new(props);
    let mut w = SerializedFileWriter::new(std::fs::File::create(out).unwrap(), schema, props).unwrap();
    for chunk in rows.chunks(group.max(1)) {
        let mut rg = w.next_row_group().unwrap();
        let mut i = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            let cells: Vec<&str> = chunk.iter().map(|row| row[i].as_str()).collect();
            let defs: Vec<i16> = cells.iter().map(|c| if c.is_empty() { 0 } else { 1 }).collect();
            let present = cells.iter().filter(|c| !c.is_empty());
            match ty(&header[i]) {
                Ty::Text => {
                    let v: Vec<ByteArray> = present.map(|c| ByteArray::from(c.as_bytes().to_vec())).collect();
                    col.typed::<ByteArrayType>().write_batch(&v, Some(&defs), None).unwrap();
                }
                Ty::Int => {
                    let v: Vec<i64> = present.map(|c| c.parse().unwrap()).collect();
                    col.typed::<Int64Type>().write_batch(&v, Some(&defs), None).unwrap();
                }
                Ty::Float => {
                    let v: Vec<f64> = present.map(|c| c.parse().unwrap()).collect();
                    col.typed::<DoubleType>().write_batch(&v, Some(&defs), None).unwrap();
                }
                Ty::Decimal2 => {
                    let v: Vec<i64> = present.map(|c| (c.parse::<f64>().unwrap() * 100.0).round() as i64).collect();
                    col.typed::<Int64Type>().write_batch(&v, Some(&defs), None).unwrap();
                }
                Ty::UInt64 => {
                    let v: Vec<i64> = present.map(|c| c.parse::<u64>().unwrap() as i64).collect();
                    col.typed::<Int64Type>().write_batch(&v, Some(&defs), None).unwrap();
                }
                // The cell is the half's two bytes, written as text ("12" is 0.19348).
                Ty::Float16 => {
                    let v: Vec<FixedLenByteArray> = present.map(|c| FixedLenByteArray::from(c.as_bytes().to_vec())).collect();
                    col.typed::<FixedLenByteArrayType>().write_batch(&v, Some(&defs), None).unwrap();
                }
            }
            col.close().unwrap();
            i += 1;
        }
        rg.close().unwrap();
    }
    w.close().unwrap();
}

/// The sample with every data file as Parquet, and its config pointing at them.
fn sample_as_parquet(group: usize, compression: Compression) -> tempfile::TempDir {
    sample_as_parquet_with(group, || WriterProperties::builder().set_compression(compression).build())
}

/// `sample_as_parquet` with the writer's properties given.
fn sample_as_parquet_with(group: usize, props: impl Fn() -> WriterProperties) -> tempfile::TempDir {
    let d = sample_copy(&[]);
    let p = d.path();
    let to_parquet = |csv: &Path, out: &Path, types: &[(&str, Ty)], group: usize, _: ()| to_parquet_with(csv, out, types, group, props());
    let compression = ();
    to_parquet(&p.join("regions.csv"), &p.join("regions.parquet"), &[], group, compression);
    to_parquet(&p.join("indicators.csv"), &p.join("indicators.parquet"), &[], group, compression);
    to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::Float)], group, compression);
    to_parquet(
        &p.join("reported_growth.csv"),
        &p.join("reported_growth.parquet"),
        &[("year", Ty::Int), ("yoy_pct", Ty::Decimal2)],
        group,
        compression,
    );
    to_parquet(&p.join("targets.csv"), &p.join("targets.parquet"), &[("completion_pct", Ty::Float)], group, compression);
    to_parquet(&p.join("projects.csv"), &p.join("projects.parquet"), &[("investment_wan_yuan", Ty::Float)], group, compression);
    let cfg = std::fs::read_to_string(p.join("yearbook.toml")).unwrap();
    let cfg = ["regions", "indicators", "facts", "reported_growth", "targets", "projects"]
        .iter()
        .fold(cfg, |c, f| c.replace(&format!("\"{f}.csv\""), &format!("\"{f}.parquet\"")));
    std::fs::write(p.join("yearbook.toml"), cfg).unwrap();
    d
}

fn run_json(config: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) =
        cli(&["run", "-c", config.to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--format", "json,md", "--quiet"]);
    assert!(code <= 1, "{err}");
    let json = std::fs::read_to_string(out.path().join("findings.json")).unwrap();
    // Places name the files read, which differ in their extension only.
    json.replace(".parquet", ".csv").replace(&format!("{}/", config.parent().unwrap().display()), "")
}

#[test]
fn the_sample_in_parquet_runs_exactly_as_in_csv() {
    let csv = sample_copy(&[]);
    let want = run_json(&csv.path().join("yearbook.toml"));
    for (group, compression) in [(1000, Compression::UNCOMPRESSED), (7, Compression::SNAPPY), (3, Compression::ZSTD(Default::default()))] {
        let pq = sample_as_parquet(group, compression);
        let got = run_json(&pq.path().join("yearbook.toml"));
        assert!(got == want, "row groups of {group}, {compression:?}: findings differ from the CSV run");
    }
    // Text columns as their pages come: plain (no dictionary), data pages v2, and a
    // dictionary that overflows into plain pages within a column chunk.
    use parquet::file::properties::WriterVersion;
    type Props = fn() -> WriterProperties;
    let variants: [(&str, Props); 3] = [
        ("plain", || WriterProperties::builder().set_dictionary_enabled(false).build()),
        ("v2", || WriterProperties::builder().set_writer_version(WriterVersion::PARQUET_2_0).set_compression(Compression::SNAPPY).build()),
        ("overflow", || WriterProperties::builder().set_dictionary_page_size_limit(8).set_data_page_row_count_limit(2).build()),
    ];
    for (name, props) in variants {
        let pq = sample_as_parquet_with(1000, props);
        let got = run_json(&pq.path().join("yearbook.toml"));
        assert!(got == want, "{name} pages: findings differ from the CSV run");
    }
    // Values read as numbers, decimals scaled, nulls missing.
    let pq = sample_as_parquet(5, Compression::SNAPPY);
    let ws = yearbook::Workspace::open(&pq.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(ws.eval("value(gdp)").unwrap().value.as_number(), Some(7.75));
    assert_eq!(ws.eval("value(reported_yoy.gdp)").unwrap().value.as_number(), Some(18.14));
    assert_eq!(ws.eval("table(\"projects\").sum(\"investment_wan_yuan\")").unwrap().value.as_number(), {
        let ws_csv = yearbook::Workspace::open(&sample_config(), None).unwrap();
        ws_csv.eval("table(\"projects\").sum(\"investment_wan_yuan\")").unwrap().value.as_number()
    });
}

#[test]
fn parquet_errors_name_the_row_and_column() {
    let d = sample_as_parquet(4, Compression::SNAPPY);
    let p = d.path();
    // An unknown region in the 11th row (the third row group).
    let mut facts = std::fs::read_to_string(p.join("facts.csv")).unwrap();
    let line = facts.lines().nth(11).unwrap().to_string();
    facts = facts.replacen(&line, &line.replacen("dayun", "dayum", 1), 1);
    std::fs::write(p.join("facts2.csv"), &facts).unwrap();
    to_parquet(&p.join("facts2.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::Float)], 4, Compression::SNAPPY);
    let e = yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().unwrap().to_string();
    assert_eq!(e, format!("{}: unknown region \"dayum\"; did you mean `dayun`?", p.join("facts.parquet:11:1").display()));
    // A duplicate fact.
    let facts = std::fs::read_to_string(p.join("facts.csv")).unwrap();
    let dup = format!("{facts}{}\n", facts.lines().nth(3).unwrap());
    std::fs::write(p.join("facts2.csv"), dup).unwrap();
    to_parquet(&p.join("facts2.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::Float)], 4, Compression::SNAPPY);
    let e = yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().unwrap().to_string();
    let rows = facts.lines().count();
    assert!(e.contains(&format!("facts.parquet:{rows}:1: duplicate fact for (dayun, ")), "{e}");
    // The repeated fact is line 4 of the CSV: row 3 of the Parquet file (no header row).
    assert!(e.ends_with(": first given at row 3"), "{e}");
    // Not Parquet at all.
    std::fs::write(p.join("facts.parquet"), "region,year\n").unwrap();
    let e = yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().unwrap().to_string();
    assert!(e.contains("facts.parquet:1: not a readable Parquet file"), "{e}");
}

#[test]
fn a_page_whose_checksum_does_not_match_is_an_error_not_a_number() {
    // Written by pyarrow with page checksums, then one bit flipped in the region column's
    // page: without the check the facts of two towns silently swap places.
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::copy(root().join("tests/fixtures/page_checksum_mismatch.parquet"), p.join("facts.parquet")).unwrap();
    let regions: String = (0..10).map(|i| format!("t{i},T{i},town,c\n")).collect();
    std::fs::write(p.join("regions.csv"), format!("code,name,level,parent\nc,C,county,\n{regions}")).unwrap();
    std::fs::write(p.join("indicators.csv"), "code,unit\ngdp,万元\npop,人\n").unwrap();
    let cfg = "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.parquet\"\n";
    std::fs::write(p.join("yearbook.toml"), cfg).unwrap();
    let e = yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().expect("refused").to_string();
    assert!(
        e.ends_with(
            "facts.parquet:1:1: a page's checksum does not match its contents: the file is damaged; write it again from its source"
        ),
        "{e}"
    );
}

#[test]
fn region_and_indicator_texts_resolved_once_give_the_csv_values_and_errors() {
    // Facts without a flag column, text columns dictionary-encoded: the loader resolves
    // each distinct region and indicator text of a row group once, not per row.
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let regions: String = (0..6).map(|i| format!("t{i},镇{i},town,c\n")).collect();
    std::fs::write(p.join("regions.csv"), format!("code,name,level,parent\nc,县,county,\n{regions}")).unwrap();
    std::fs::write(p.join("indicators.csv"), "code,unit\ngdp,亿元\npop,万人\n").unwrap();
    let mut facts = String::from("region,year,indicator,value\n");
    for t in 0..6 {
        for y in 2019..=2022 {
            for ind in ["gdp", "pop"] {
                // Town 5 by its name; one value missing.
                let region = if t == 5 { "镇5".to_string() } else { format!("t{t}") };
                let value =
                    if (t, y, ind) == (2, 2020, "pop") { String::new() } else { format!("{}.5", t * 100 + (y - 2019) * 10 + ind.len()) };
                facts += &format!("{region},{y},{ind},{value}\n");
            }
        }
    }
    for ext in ["csv", "parquet"] {
        let cfg = format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.{ext}\"\n"
        );
        std::fs::write(p.join(format!("{ext}.toml")), cfg).unwrap();
    }
    let write = |facts: &str, group: usize| {
        std::fs::write(p.join("facts.csv"), facts).unwrap();
        to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::Float)], group, Compression::SNAPPY);
    };
    let open = |ext: &str| yearbook::Workspace::open(&p.join(format!("{ext}.toml")), None);
    for group in [5, 1000] {
        write(&facts, group);
        let (c, q) = (open("csv").unwrap(), open("parquet").unwrap());
        for e in
            ["sum(sum(gdp), \"periods\")", "sum(sum(pop), \"periods\")", "cells(pop)", "at(gdp, \"t5\", 2022)", "at(pop, \"t2\", 2020)"]
        {
            assert_eq!(value(&q, e).to_bits(), value(&c, e).to_bits(), "{e}, row groups of {group}");
        }
        assert_eq!(value(&q, "at(gdp, \"t5\", 2022)"), 533.5);
        assert_eq!(value(&q, "cells(pop)"), 23.0);
    }
    // Errors: each row's own, the earliest first, where the CSV has them (the CSV counts
    // its header line, Parquet counts rows); a bad text met again is an error again.
    let lines: Vec<&str> = facts.lines().collect();
    let edit = |edits: &[(usize, &str, &str)]| {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        for &(row, from, to) in edits {
            l[row] = l[row].replacen(from, to, 1);
        }
        l.join("\n") + "\n"
    };
    // (edits: row, text, replacement), the row and column of the error, what it says.
    type Edits<'a> = &'a [(usize, &'a str, &'a str)];
    let cases: [(Edits, usize, usize, &str); 7] = [
        (&[(7, ",gdp,", ",gpd,"), (21, ",gdp,", ",gpd,")], 7, 3, "unknown indicator \"gpd\"; did you mean `gdp`?"),
        // A key given twice: the later row, whichever path stored the first (rows 1 and
        // 3 are t0's 2019 and 2020 GDP).
        (&[(3, ",2020,", ",2019,")], 3, 1, "duplicate fact for (t0, 2019, gdp): first given at row 1"),
        (&[(38, ",pop,", ",gdp,")], 38, 1, "duplicate fact for (t4, 2021, gdp): first given at row 37"),
        // ... and across row groups of 4 (rows 1 and 5).
        (&[(5, ",2021,", ",2019,")], 5, 1, "duplicate fact for (t0, 2019, gdp): first given at row 1"),
        (&[(21, ",gdp,", ",gpd,"), (19, ",gdp,", ",gdpp,")], 19, 3, "unknown indicator \"gdpp\""),
        (&[(9, "t1,", "t9,"), (3, "t0,", "t9,")], 3, 1, "unknown region \"t9\""),
        (&[(12, "t1,", ",")], 12, 1, "region"),
    ];
    for (edits, row, col, says) in cases {
        for group in [4, 1000] {
            write(&edit(edits), group);
            let ec = open("csv").err().expect("csv refused").to_string();
            let eq = open("parquet").err().expect("parquet refused").to_string();
            let want_q = format!("{}:{row}:{col}: ", p.join("facts.parquet").display());
            let want_c = format!("{}:{}:{col}: ", p.join("facts.csv").display(), row + 1);
            assert!(eq.starts_with(&want_q) && eq.contains(says), "{eq}");
            assert!(ec.starts_with(&want_c), "{ec}");
            // A duplicate names the first place: a Parquet row, a CSV line (one more).
            let (tq, tc) = (&eq[want_q.len()..], &ec[want_c.len()..]);
            match tq.split_once(": first given at row ") {
                Some((m, first)) => assert_eq!(tc, format!("{m}: first given at line {}", first.parse::<usize>().unwrap() + 1)),
                None => assert_eq!(tq, tc, "rows {edits:?}"),
            }
        }
    }
}

#[test]
fn unsigned_integers_and_spaced_column_names_read_as_the_csv_reads_them() {
    // UINT_64 past i64::MAX was read as negative, and a column named " region" was not
    // found (a " flag" column was silently ignored); the CSV path reads both as written.
    // 2^64-1 has more significant digits than a figure keeps: refused by both.
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("regions.csv"), "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n").unwrap();
    std::fs::write(p.join("indicators.csv"), "code,unit\ngdp,万元\n").unwrap();
    let cfg = |ext: &str| {
        format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.{ext}\"\n"
        )
    };
    std::fs::write(p.join("facts.csv"), " region,year,indicator,value\nt1,2020,gdp,18446744073709500000\nt2,2020,gdp,7\n").unwrap();
    to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::UInt64)], 1000, Compression::SNAPPY);
    for ext in ["csv", "parquet"] {
        std::fs::write(p.join("yearbook.toml"), cfg(ext)).unwrap();
        let ws = yearbook::Workspace::open(&p.join("yearbook.toml"), None).unwrap_or_else(|e| panic!("{ext}: {e}"));
        assert_eq!(value(&ws, "at(gdp, \"t1\", 2020)"), 18446744073709500000u64 as f64, "{ext}");
        assert_eq!(value(&ws, "at(gdp, \"t2\", 2020)"), 7.0, "{ext}");
    }
    // A FLOAT16 column's two bytes were read as text: 0.19348 (the bytes "12") loaded 12.
    std::fs::write(p.join("facts.csv"), " region,year,indicator,value\nt1,2020,gdp,12\nt2,2020,gdp,99\n").unwrap();
    to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::Float16)], 1000, Compression::SNAPPY);
    std::fs::write(p.join("yearbook.toml"), cfg("parquet")).unwrap();
    let e = yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().expect("float16 read").to_string();
    assert!(e.contains("facts.parquet:1:4: column `value` is a FLOAT16 column, which keeps about three significant digits"), "{e}");
    for (ty, big) in [(Ty::UInt64, "18446744073709551615"), (Ty::Int, "12345678901234567")] {
        std::fs::write(p.join("facts.csv"), format!(" region,year,indicator,value\nt1,2020,gdp,{big}\nt2,2020,gdp,7\n")).unwrap();
        to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", ty)], 1000, Compression::SNAPPY);
        for ext in ["csv", "parquet"] {
            std::fs::write(p.join("yearbook.toml"), cfg(ext)).unwrap();
            let e =
                yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().unwrap_or_else(|| panic!("{ext} {big} read")).to_string();
            assert!(e.contains(&format!("value \"{big}\" has {} significant digits", big.len())), "{ext}: {e}");
        }
    }
}

#[test]
fn a_double_period_2021_1_is_refused_at_its_row_as_in_a_workbook() {
    // A DOUBLE period column (a sheet's number cells saved by pandas) holding 2021.1 was
    // read as January 2021: it is January or October (2021.10 typed into Excel).
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("regions.csv"), "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n").unwrap();
    std::fs::write(p.join("indicators.csv"), "code,unit\ngdp,万元\n").unwrap();
    let cfg = "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.parquet\"\n";
    std::fs::write(p.join("yearbook.toml"), cfg).unwrap();
    let write = |csv: &str| {
        std::fs::write(p.join("facts.csv"), csv).unwrap();
        to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("period", Ty::Float), ("value", Ty::Float)], 2, Compression::SNAPPY);
    };
    // In the second row group, so that the row counts across groups.
    write("region,period,indicator,value\nt1,2021.11,gdp,2\nt2,2021.11,gdp,3\nt1,2021.12,gdp,4\nt1,2021.1,gdp,5\n");
    let e = yearbook::Workspace::open(&p.join("yearbook.toml"), None).err().unwrap().to_string();
    assert_eq!(
        e,
        format!(
            "{}: column `period` holds the number 2021.1, which is January or October (Excel stores a typed 2021.10 as 2021.1): \
             store the column as text, not as numbers, or write 2021-01 / 2021年1月 or 2021-10 / 2021年10月",
            p.join("facts.parquet:4:2").display()
        )
    );
    // Other numbers are not ambiguous: 2021.11 is November, 2021.2 February.
    write("region,period,indicator,value\nt1,2021.11,gdp,2\nt1,2021.2,gdp,3\n");
    let ws = yearbook::Workspace::open(&p.join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-11\")"), 2.0);
    assert_eq!(value(&ws, "at(gdp, \"t1\", \"2021-02\")"), 3.0);
}

#[test]
fn an_indicator_text_with_its_unit_converts_in_parquet_as_in_csv() {
    // A long file's 指标 cell `地区生产总值（亿元）`: its figures are in 亿元, on the path
    // that resolves each distinct text once as on the row-by-row one.
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("regions.csv"), "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n").unwrap();
    std::fs::write(p.join("indicators.csv"), "code,label,unit\ngdp,地区生产总值,万元\n").unwrap();
    let facts = "region,year,indicator,value\nt1,2020,地区生产总值（亿元）,1.5\nt1,2021,gdp,16000\nt2,2020,地区生产总值（亿元）,2\nt2,2021,地区生产总值（亿元）,2.5\n";
    std::fs::write(p.join("facts.csv"), facts).unwrap();
    for ext in ["csv", "parquet"] {
        let cfg = format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.{ext}\"\n"
        );
        std::fs::write(p.join(format!("{ext}.toml")), cfg).unwrap();
    }
    for group in [2, 1000] {
        to_parquet(&p.join("facts.csv"), &p.join("facts.parquet"), &[("year", Ty::Int), ("value", Ty::Float)], group, Compression::SNAPPY);
        for ext in ["csv", "parquet"] {
            let ws = yearbook::Workspace::open(&p.join(format!("{ext}.toml")), None).unwrap();
            let got: Vec<f64> = ["at(gdp, \"t1\", 2020)", "at(gdp, \"t1\", 2021)", "at(gdp, \"t2\", 2020)", "at(gdp, \"t2\", 2021)"]
                .iter()
                .map(|e| value(&ws, e))
                .collect();
            assert_eq!(got, [15000.0, 16000.0, 20000.0, 25000.0], "{ext}, row groups of {group}");
        }
    }
}
