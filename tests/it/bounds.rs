//! Bounded in every dimension (issue 11): panel shape, xlsx extent, ids, nesting, time,
//! callbacks, templates, output sets, and NaN/inf in text. Each test holds one kind.

use crate::common::*;

/// A workspace of `towns` towns under one county, with the given indicators and facts.
fn towns(towns: usize, indicators: &str, facts: &str, limits: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let mut regions = String::from("code,name,level,parent\nc,C,county,\n");
    for i in 0..towns {
        regions.push_str(&format!("t{i},T{i},town,c\n"));
    }
    std::fs::write(d.path().join("regions.csv"), regions).unwrap();
    std::fs::write(d.path().join("indicators.csv"), indicators).unwrap();
    std::fs::write(d.path().join("facts.csv"), facts).unwrap();
    let toml = format!(
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n{limits}"
    );
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    d
}

fn open(d: &tempfile::TempDir) -> Result<yearbook::Workspace, yearbook::Error> {
    yearbook::Workspace::open(&d.path().join("yearbook.toml"), None)
}

#[test]
fn a_far_off_period_over_many_regions_is_refused_at_its_line_before_allocating() {
    let facts = "region,year,indicator,value\nt1,2020,x,1\nt2,9999,x,2\nt3,2020,y,3\n";
    let d = towns(20_000, "code,unit\nx,万元\ny,万元\n", facts, "");
    let e = open(&d).err().expect("refused").to_string();
    assert!(e.contains("facts.csv:3: period 9999 makes the panel span 2020 .. 9999"), "{e}");
    assert!(e.contains("7,980 periods x 20,001 regions x 2 indicators = 319,215,960 cells (2.6 GB)"), "{e}");
    assert!(e.contains("raise `max_panel_cells` in [limits]"), "{e}");
    // Under the limit, but mostly years without facts: refused, saying how to keep it.
    let d = towns(20, "code,unit\nx,万元\ny,万元\n", facts, "[limits]\nmax_panel_cells = 400000\n");
    let e = open(&d).err().expect("refused").to_string();
    assert!(
        e.contains(
            "facts.csv:3: period 9999 is 7,979 periods from the next with facts (2020): the panel would span every period between, \
             7,980 periods x 21 regions x 2 indicators = 335,160 cells (3 MB), mostly without facts; correct the period, or raise \
             `max_panel_cells` in [limits] of the config to 2,681,280 or more to keep it"
        ),
        "{e}"
    );
    // Allowed when the config says so (a small panel here: the limit is what matters).
    let d = towns(20, "code,unit\nx,万元\ny,万元\n", facts, "[limits]\nmax_panel_cells = 2681280\n");
    let ws = open(&d).expect("allowed by max_panel_cells");
    assert_eq!(ws.panel().periods().len, 7980);
    assert!(
        ws.stats.warnings[0].contains("facts.csv:3: period 9999 is 7979 periods from the next with facts (2020)"),
        "{:?}",
        ws.stats.warnings
    );
}

/// 2204年3月 typed for 2024年3月 beside four facts of 2024年3月 over 20,000 towns: 2,161
/// months, 173 million cells (1.4 GB) under the default limit of 200 million, for five
/// facts. Refused at the fact's line before anything is allocated.
#[test]
fn a_mistyped_year_that_stretches_the_panel_over_empty_centuries_is_refused() {
    let facts = "region,period,indicator,value\nt1,2024年3月,x,1\nt2,2204年3月,x,2\nt1,2024年3月,y,1\nt1,2024年3月,z,1\nt1,2024年3月,w,1\n";
    let d = towns(20_000, "code,unit\nx,万元\ny,万元\nz,万元\nw,万元\n", facts, "");
    let e = open(&d).err().expect("refused").to_string();
    assert!(
        e.contains("facts.csv:3: period 2204-03 is 2,160 periods from the next with facts (2024-03)")
            && e.contains("2,161 periods x 20,001 regions x 4 indicators = 172,888,644 cells (1.4 GB)"),
        "{e}"
    );
    // A long annual series with one early year (1952, then 1978-2024) is mostly years with
    // facts: loaded, whatever its size.
    let mut long = String::from("region,year,indicator,value\nt1,1952,x,1\n");
    for y in 1978..=2024 {
        long.push_str(&format!("t1,{y},x,1\n"));
    }
    let d = towns(20, "code,unit\nx,万元\n", &long, "[limits]\nmax_panel_cells = 8000\n");
    assert_eq!(open(&d).expect("mostly years with facts").panel().periods().len, 73);
    let d =
        towns(20, "code,unit\nx,万元\n", "region,year,indicator,value\nt1,1952,x,1\nt1,2024,x,1\n", "[limits]\nmax_panel_cells = 8000\n");
    assert!(open(&d).err().expect("refused").to_string().contains("is 72 periods from the next with facts"));
    // Spelled right, it is one month.
    let d = towns(20_000, "code,unit\nx,万元\ny,万元\nz,万元\nw,万元\n", &facts.replace("2204", "2024"), "");
    assert_eq!(open(&d).expect("one month").panel().periods().len, 1);
}

#[test]
fn many_periods_are_refused_while_reading_not_after() {
    // 300 facts in different years over 50,000 regions: refused at the fact that asks for
    // the row over the limit, before the rows are all allocated.
    let mut facts = String::from("region,year,indicator,value\n");
    for y in 0..300 {
        facts.push_str(&format!("t{y},{},x,1\n", 1700 + y));
    }
    let d = towns(50_000, "code,unit\nx,万元\n", &facts, "[limits]\nmax_panel_cells = 5000000\n");
    let e = open(&d).err().expect("refused").to_string();
    assert!(e.contains("facts.csv:101:2: the panel would hold more than 5,000,000 cells"), "{e}");
}

#[test]
fn a_stray_cell_far_out_in_an_xlsx_sheet_is_located_not_allocated() {
    let d = sample_copy(&[]);
    std::fs::copy(root().join("tests/fixtures/stray_cell.xlsx"), d.path().join("far.xlsx")).unwrap();
    let cfg = "[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"far.xlsx\"\n";
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
    assert!(
        e.contains("far.xlsx[2009]:1048576:16384: a value (\"1\") in column XFD lies right of the header, which ends at column D"),
        "{e}"
    );
}

#[test]
fn indicator_ids_do_not_wrap_past_65536() {
    let mut inds = String::from("code,unit\n");
    for i in 0..=65_536 {
        inds.push_str(&format!("i{i},万元\n"));
    }
    let d = towns(1, &inds, "region,year,indicator,value\nt0,2008,i65536,42\n", "");
    let t = std::time::Instant::now();
    let ws = open(&d).expect("loads");
    assert!(t.elapsed().as_secs() < 60, "loading 65,537 indicators took {:?}", t.elapsed());
    assert_eq!(value(&ws, "at(i65536, \"t0\", 2008)"), 42.0);
    assert_eq!(ws.eval("cells(i0)").unwrap().value.as_int().unwrap(), 0);
}

#[test]
fn a_duplicate_across_read_chunks_names_the_later_line() {
    // Over 4 MiB of facts, so that the two lines land in different chunks and workers.
    let mut facts = String::from("region,year,indicator,value\n");
    for i in 0..200_000 {
        let r = if i == 190_000 { 150_000 } else { i };
        facts.push_str(&format!("t{r},2008,gdp,{}\n", i + 1));
    }
    let d = towns(200_000, "code,unit\ngdp,万元\n", &facts, "");
    for _ in 0..3 {
        let e = open(&d).err().expect("duplicate").to_string();
        assert!(e.contains("facts.csv:190002:1: duplicate fact for (t150000, 2008, gdp): first given at line 150002"), "{e}");
    }
}

/// Two repeated keys in a file read by several workers: the error is the repeat a reading
/// from the top meets first, every run, whichever worker happened to meet which fact first
/// (key A at rows 100,000 and 180,000, the next chunk; key B at rows 150,000 and 150,100).
#[test]
fn of_two_duplicates_the_first_repeat_from_the_top_is_named() {
    let mut facts = String::from("region,year,indicator,value\n");
    for i in 0..400_000 {
        let r = match i {
            180_000 => 100_000,
            150_100 => 150_000,
            _ => i,
        };
        facts.push_str(&format!("t{r},2008,gdp,{}\n", i + 1));
    }
    let d = towns(400_000, "code,unit\ngdp,万元\n", &facts, "");
    for _ in 0..3 {
        let e = open(&d).err().expect("duplicate").to_string();
        assert!(e.ends_with("facts.csv:150102:1: duplicate fact for (t150000, 2008, gdp): first given at line 150002"), "{e}");
    }
}

/// A key spelled once by the region's code and once by its name (镇名) is one key: the
/// first line is found by the region it names, not by its text. Through the fast loader,
/// the CSV parser (a quoted field) and the table reader (`header_row`).
#[test]
fn a_duplicate_spelled_by_code_and_by_name_names_both_lines() {
    for (quote, header_row) in [(false, ""), (true, ""), (false, "header_row = 1\n")] {
        let mut facts = String::from("region,year,indicator,value\n");
        for i in 0..200_000 {
            let r = if i == 190_000 { "T150000".to_string() } else { format!("t{i}") };
            let v = if quote && i == 10 { "\"11\"".to_string() } else { (i + 1).to_string() };
            facts.push_str(&format!("{r},2008,gdp,{v}\n"));
        }
        let d = towns(200_000, "code,unit\ngdp,万元\n", &facts, "");
        let toml = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
        std::fs::write(d.path().join("yearbook.toml"), format!("{toml}{header_row}")).unwrap();
        let e = open(&d).err().expect("duplicate").to_string();
        assert!(
            e.ends_with("facts.csv:190002:1: duplicate fact for (t150000, 2008, gdp): first given at line 150002"),
            "quoted {quote}, {header_row}: {e}"
        );
    }
}

/// A key an earlier fact file gave: the error names that file and its line (the key's
/// first line is searched for in the earlier files, in order).
#[test]
fn a_duplicate_of_an_earlier_file_names_that_file() {
    let mut facts = String::from("region,year,indicator,value\n");
    for i in 0..200_000 {
        facts.push_str(&format!("t{i},2010,gdp,{}\n", i + 1));
    }
    facts.push_str("T500,2009,gdp,5\n");
    let d = towns(200_000, "code,unit\ngdp,万元\n", &facts, "");
    let a: String = (0..1000).map(|i| format!("t{i},2009,gdp,{i}\n")).collect();
    std::fs::write(d.path().join("a.csv"), format!("region,year,indicator,value\n{a}")).unwrap();
    let toml = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    let toml =
        toml.replace("[[data.facts]]\nfile = \"facts.csv\"", "[[data.facts]]\nfile = \"a.csv\"\n[[data.facts]]\nfile = \"facts.csv\"");
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    let e = open(&d).err().expect("duplicate").to_string();
    let a = d.path().join("a.csv");
    assert!(
        e.ends_with(&format!("facts.csv:200002:1: duplicate fact for (t500, 2009, gdp): first given at line 502 of {}", a.display())),
        "{e}"
    );
}

/// Facts of another frequency than the first fact's: the error is at the first fact that
/// disagrees with the facts above it, whichever worker read which first.
#[test]
fn a_second_frequency_is_named_at_its_own_line() {
    let mut facts = String::from("region,year,indicator,value\n");
    for i in 0..200_000 {
        let p = if i >= 180_000 { "2008Q1" } else { "2008" };
        facts.push_str(&format!("t{i},{p},gdp,{}\n", i + 1));
    }
    let d = towns(200_000, "code,unit\ngdp,万元\n", &facts, "");
    for _ in 0..3 {
        let e = open(&d).err().expect("two frequencies").to_string();
        assert!(
            e.ends_with("facts.csv:180002:2: period \"2008Q1\" is a quarter but earlier facts are by year: a panel has one frequency"),
            "{e}"
        );
    }
}

/// Over 4 MiB of facts (several read chunks, read by several workers at once): every value
/// lands once, CRLF endings and a line crossing a chunk's end included.
fn many_facts(n: usize, line: impl Fn(usize) -> String) -> tempfile::TempDir {
    let mut facts = String::from("region,year,indicator,value\r\n");
    for i in 0..n {
        facts.push_str(&line(i));
    }
    towns(n, "code,unit\ngdp,万元\n", &facts, "")
}

#[test]
fn a_file_read_in_chunks_by_all_cores_loads_every_fact_once() {
    let n = 300_000;
    let d = many_facts(n, |i| format!("t{i},2008,gdp,{}\r\n", i + 1));
    for _ in 0..3 {
        let ws = open(&d).expect("loads");
        assert_eq!(ws.eval("cells(gdp)").unwrap().value.as_int().unwrap(), n as i64);
        // 1 + 2 + ... + n, exact in f64.
        assert_eq!(value(&ws, "sum(sum(gdp), \"periods\")"), (n * (n + 1) / 2) as f64);
        assert_eq!(value(&ws, "at(gdp, \"t299999\", 2008)"), 300_000.0);
    }
}

#[test]
fn a_quote_in_a_late_chunk_hands_the_rest_to_the_csv_parser_and_nothing_is_lost() {
    // Line 250,002 holds a quoted value with a thousands comma: the chunks after it are
    // read by the full parser, those before it by the fast one, each fact once.
    // The same with the quote in the first chunk (every later chunk left unread).
    let n = 300_000;
    for (q, tries) in [(250_000, 3), (5, 1)] {
        let d = many_facts(n, |i| if i == q { format!("t{q},2008,gdp,\"1,234.5\"\n") } else { format!("t{i},2008,gdp,1\n") });
        for _ in 0..tries {
            let ws = open(&d).expect("loads");
            assert_eq!(ws.eval("cells(gdp)").unwrap().value.as_int().unwrap(), n as i64);
            assert_eq!(value(&ws, &format!("at(gdp, \"t{q}\", 2008)")), 1234.5);
            assert_eq!(value(&ws, "sum(sum(gdp), \"periods\")"), (n - 1) as f64 + 1234.5);
        }
    }
}

#[test]
fn an_error_in_a_late_chunk_names_its_own_line() {
    let n = 300_000;
    let d = many_facts(n, |i| if i == 270_000 { "t270000,2008,gdp,12..5\n".to_string() } else { format!("t{i},2008,gdp,1\n") });
    for _ in 0..3 {
        let e = open(&d).err().expect("refused").to_string();
        assert!(e.contains("facts.csv:270002:4: value \"12..5\" is not a number"), "{e}");
    }
}

#[test]
fn map_on_all_cores_gives_each_cell_its_value_and_the_first_error_in_cell_order() {
    // 10,000 towns (three blocks of cells for map's workers), values 1 .. 10,000.
    let n = 10_000;
    let d = many_facts(n, |i| format!("t{i},2008,gdp,{}\n", i + 1));
    let ws = open(&d).expect("loads");
    for _ in 0..3 {
        // 2 x (1 + ... + n) + n, exact in f64.
        assert_eq!(value(&ws, "sum(sum(map(gdp, |x| x * 2.0 + 1.0)), \"periods\")"), (n * (n + 1) + n) as f64);
        assert_eq!(value(&ws, "at(map(gdp, |x| x * 2.0 + 1.0), \"t9999\", 2008)"), 20_001.0);
        // Later blocks fail too (and may fail first in time): the error is the first cell's.
        let e = ws
            .eval("map(gdp, |x| if x > 5000.0 { throw `late ${x}` } else if x > 100.0 { throw `early ${x}` } else { x })")
            .err()
            .expect("fails")
            .to_string();
        assert!(e.contains("early 101"), "{e}");
    }
}

#[test]
fn map_on_worker_threads_counts_divisions_reads_captures_and_keeps_the_time_limit() {
    // 10,000 towns: three blocks of cells, two of them on other threads than the
    // evaluation's. The string literal keeps a closure from being compiled (engine path).
    let n = 10_000;
    let facts: String = (0..n).map(|i| format!("t{i},2008,gdp,{}\n", i + 1)).collect();
    let d = towns(n, "code,unit\ngdp,万元\n", &format!("region,year,indicator,value\n{facts}"), "[limits]\ntimeout_ms = 300\n");
    let ws = open(&d).expect("loads");
    // Every block's divisions by zero are counted, not only the calling thread's: one per
    // cell (the county's too), as the kernel counts them.
    assert_eq!(ws.eval("gdp / 0").unwrap().div_zero, n as u64 + 1);
    // map calls its closure only on cells with a value: the towns', not the county's.
    for closure in ["|x| x / 0", "|x| { let s = \"\"; x / 0 }"] {
        assert_eq!(ws.eval(&format!("map(gdp, {closure})")).unwrap().div_zero, n as u64, "{closure}");
    }
    for _ in 0..5 {
        // A captured variable's methods from many threads at once: no "Data race detected".
        let total = ws.eval("let k = 4.0; value(sum(sum(map(gdp, |x| { let s = \"\"; x * k.sqrt() })), \"periods\"))").unwrap();
        assert_eq!(total.value.as_number(), Some((n * (n + 1)) as f64));
    }
    // A closure cannot change what it captured (blocks on other threads would race).
    assert_eq!(ws.eval("let c = 0; map(gdp, |x| { c += 1; x }); c").unwrap().value.as_int(), Some(0));
    // The time limit stops a slow closure on every thread (it took 20 s before).
    let t = std::time::Instant::now();
    let e = ws.eval("map(gdp, |x| { let s = 0; for i in 0..20000 { s += 1 }; x })").err().expect("stopped").to_string();
    assert!(e.contains("time limit"), "{e}");
    assert!(t.elapsed() < std::time::Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn sleep_is_not_available_to_scripts() {
    let ws = sample();
    let t = std::time::Instant::now();
    let e = ws.eval("sleep(5); 1").err().expect("refused").to_string();
    assert!(e.contains("sleep() is not available"), "{e}");
    assert!(ws.eval("sleep(0.5)").is_err());
    assert!(t.elapsed().as_secs() < 2);
}

#[test]
fn errors_in_sort_and_dedup_callbacks_surface() {
    let ws = sample();
    let e = ws.eval(r#"let a = [3, 1, 2]; a.sort(|x, y| { throw "no order" }); a"#).err().expect("error").to_string();
    assert!(e.contains("no order"), "{e}");
    let e = ws.eval(r#"let a = [3, 1, 2]; a.dedup(|x, y| { throw "no dedup" }); a"#).err().expect("error").to_string();
    assert!(e.contains("no dedup"), "{e}");
    let e = ws.eval(r#"let a = [3, 1, 2]; a.sort(|x, y| "up"); a"#).err().expect("error").to_string();
    assert!(e.contains("must return a number or a bool, not string"), "{e}");
    let sorted = ws.eval("let a = [3, 1, 2, 1]; a.sort(|x, y| x - y); a.dedup(|x, y| x == y); a").unwrap().value;
    assert_eq!(sorted.to_string(), "[1, 2, 3]");
    let sorted = ws.eval("let a = [3, 1, 2]; a.sort_by(|x, y| x > y); a").unwrap().value;
    assert_eq!(sorted.to_string(), "[3, 2, 1]");
    // An endless comparator ends with the operation limit, not an unsorted array.
    let e = ws.eval("let a = [3, 1, 2]; a.sort(|x, y| { loop { } }); a").err().expect("error").to_string();
    assert!(e.contains("stopped"), "{e}");
    // A closure of the wrong arity is named as one (it read "unknown function `anon$…`").
    let e = ws.eval("let a = [3, 1, 2]; a.sort(|x| x); a").err().expect("error").to_string();
    assert!(e.contains("a closure was called with 2 argument(s) and takes another number: a sort comparator takes two items"), "{e}");
    // order / order_by (a sorted copy): Rhai's gave the array unsorted, with no error.
    for f in ["order", "order_by"] {
        let e = ws.eval(&format!(r#"[3, 1, 2].{f}(|x, y| {{ throw "no order" }})"#)).err().expect("error").to_string();
        assert!(e.contains("no order"), "{f}: {e}");
        let e = ws.eval(&format!("[3, 1, 2].{f}(|x, y| {{ loop {{ }} }})")).err().expect("error").to_string();
        assert!(e.contains("stopped"), "{f}: {e}");
        let shown = ws.eval(&format!("let a = [3, 1, 2]; [a.{f}(|x, y| y - x), a]")).unwrap().value.to_string();
        assert_eq!(shown, "[[3, 2, 1], [3, 1, 2]]", "{f}");
    }
    // order() / order_desc() without a closure sort as sort() does: numbers of both kinds
    // together, a missing value refused.
    assert_eq!(ws.eval("[2, 0.5, 1].order()").unwrap().value.to_string(), "[0.5, 1, 2]");
    assert_eq!(ws.eval("[2, 0.5, 1].order_desc()").unwrap().value.to_string(), "[2, 1, 0.5]");
    let e = ws.eval("[2, 1/0, 1].order()").err().expect("error").to_string();
    assert!(e.contains("order: the array holds a missing value (item 1"), "{e}");
}

/// A callback named as text (`a.sort("c")`, Rhai's deprecated form) went around the
/// guarded callbacks: the array stayed unsorted, a throwing, endless or missing
/// comparator passed silently, a predicate giving 1 read as false. Each is refused with
/// the fix; `index_of` of a text searches for the text (it called a function of that name).
#[test]
fn callbacks_named_as_text_are_refused_with_the_fix() {
    let ws = sample();
    let e = ws.eval(r#"fn c(x, y) { x - y } let a = [7.75, 7.7, 7.72]; a.sort("c"); a"#).err().expect("refused").to_string();
    assert!(
        e.contains(r#"sort("c"): a callback is a function, not text: write sort(Fn("c")) for a function of that name, or a closure sort(|a, b| ...)"#),
        "{e}"
    );
    let sorted = ws.eval(r#"fn c(x, y) { x - y } let a = [7.75, 7.7, 7.72]; a.sort(Fn("c")); a"#).unwrap().value;
    assert_eq!(sorted.to_string(), "[7.7, 7.72, 7.75]");
    let e = ws.eval(r#"let a = [3, 1, 2]; a.sort("desc"); a"#).err().expect("refused").to_string();
    assert!(e.contains("for a descending order: a.sort_desc()"), "{e}");
    let e = ws.eval(r#"let r = [#{inv: 2}, #{inv: 1}]; r.sort("inv"); r"#).err().expect("refused").to_string();
    assert!(e.contains(r#"sort the table: sort(t, "inv"); a list of maps: a.sort(|a, b| a.inv - b.inv)"#), "{e}");
    for (call, params) in [
        (r#"[3, 1, 2].filter("f")"#, "|x|"),
        (r#"[3, 1, 2].all("f")"#, "|x|"),
        (r#"[3, 1, 2].some("f")"#, "|x|"),
        (r#"[3, 1, 2].map("f")"#, "|x|"),
        (r#"let a = [3, 1, 2]; a.retain("f")"#, "|x|"),
        (r#"let a = [3, 1, 2]; a.drain("f")"#, "|x|"),
        (r#"let a = [3, 1, 1]; a.dedup("f"); a"#, "|a, b|"),
        (r#"[3, 1, 2].reduce("f")"#, "|sum, x|"),
        (r#"[3, 1, 2].reduce_rev("f", 0)"#, "|sum, x|"),
    ] {
        let e = ws.eval(&format!("fn f(x) {{ 1 }} {call}")).err().unwrap_or_else(|| panic!("{call} refused")).to_string();
        let name = call.split('.').next_back().unwrap().split('(').next().unwrap();
        assert!(e.contains(&format!(r#"{name}("f"): a callback is a function, not text"#)) && e.contains(params), "{call}: {e}");
    }
    assert_eq!(ws.eval(r#"fn f(x) { false } ["a", "f"].index_of("f")"#).unwrap().value.to_string(), "1");
    assert_eq!(ws.eval(r#"["f", "a", "f"].index_of("f", 1)"#).unwrap().value.to_string(), "2");
}

/// A closure that a native function calls many times (sort's comparator, map's function
/// over a large array) keeps the time limit: Rhai counts each such call from the count of
/// the call around it, so the deadline was never looked at (8.9 s and over 20 s with a
/// limit of 1 s).
#[test]
fn closures_called_by_array_functions_keep_the_time_limit() {
    let d = towns(2, "code,unit\ngdp,万元\n", "region,year,indicator,value\nt0,2008,gdp,1\n", "[limits]\ntimeout_ms = 300\n");
    let ws = open(&d).expect("loads");
    for expr in [
        "let a = []; a.pad(1000000, 1); a.sort(|x, y| y - x); 1",
        "let a = []; a.pad(1000000, 1); let b = a.order_by(|x, y| y - x); 1",
        "let a = []; a.pad(1000000, 1.5); for i in 0..100 { a.map(|x| x + 1); } 1",
        "let a = []; a.pad(1000000, 1.5); for i in 0..100 { a.filter(|x| x > 1.0); } 1",
        "let a = []; a.pad(1000000, 1.5); for i in 0..100 { a.reduce(|s, x| s + x, 0.0); } 1",
    ] {
        let t = std::time::Instant::now();
        let e = ws.eval(expr).err().unwrap_or_else(|| panic!("{expr}: not stopped")).to_string();
        assert!(e.contains("time limit of 300 ms"), "{expr}: {e}");
        assert!(t.elapsed() < std::time::Duration::from_secs(5), "{expr}: {:?}", t.elapsed());
    }
}

#[test]
fn nan_and_inf_never_print_inside_arrays_maps_or_strings() {
    for format in ["table", "csv", "md", "json"] {
        for expr in [
            r#"[at(gdp, "dayun", "2007"), 1.0 / 0.0, -1.0 / 0.0]"#,
            r#"#{a: 1.0 / 0.0, b: [0.0 / 0.0]}"#,
            r#"`GDP 2007: ${at(gdp, "dayun", "2007")}`"#,
            r#""inf? " + (1.0 / 0.0) + " " + [0.0 / 0.0]"#,
        ] {
            let cfg = sample_config();
            let (code, out, err) = cli(&["eval", "-c", cfg.to_str().unwrap(), "--format", format, expr]);
            assert_eq!(code, 0, "{format} {expr}: {err}");
            let lower = out.to_lowercase();
            assert!(!lower.contains("nan") && !lower.contains("inf "), "{format} {expr}: {out}");
            assert!(!lower.contains("inf,") && !lower.contains("inf]") && !lower.contains("inf\n"), "{format} {expr}: {out}");
        }
    }
    let (_, out, _) = cli(&["eval", "-c", sample_config().to_str().unwrap(), r#"`GDP 2007: ${at(gdp, "dayun", "2007")}`"#]);
    assert_eq!(out, "GDP 2007: —\n");
    // Text in JSON is a string of its own characters, alone, in an array or in a map
    // (it came out quoted twice: "\"abc\"").
    let (code, out, err) = cli(&["eval", "-c", sample_config().to_str().unwrap(), "--format", "json", r#"["abc", 'x', #{a: "甲镇"}]"#]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j, serde_json::json!(["abc", "x", {"a": "甲镇"}]));
    let (_, out, _) = cli(&["eval", "-c", sample_config().to_str().unwrap(), "--format", "json", r#""abc""#]);
    assert_eq!(out.trim(), r#""abc""#);
}

/// `explain` prints a missing or infinite number inside a list or map as — (it printed
/// `[1.5, NaN]`, `[NaN]` for 1/0 and `[inf]`), and a constant list, a map or an
/// interpolated text as its value (they printed nothing after `=`).
#[test]
fn explain_never_prints_nan_or_inf_nor_an_empty_value() {
    let cfg = sample_config();
    for (expr, shown) in [
        (r#"[1.5, at(gdp, "dayun", 2007)]"#, "= [1.5, —]"),
        ("[1.0 / 0.0]", "= [—]"),
        ("[1e308 * 10.0]", "= [—]"),
        ("[1, 2]", "= [1, 2]"),
        ("#{a: 1, b: 0.0 / 0.0}", r#"= #{"a": 1, "b": —}"#),
        (r#"`GDP 2007: ${at(gdp, "dayun", "2007")}`"#, "= GDP 2007: —"),
    ] {
        let (code, out, err) = cli(&["explain", "-c", cfg.to_str().unwrap(), expr]);
        assert_eq!(code, 0, "{expr}: {err}");
        let first = out.lines().nth(1).unwrap_or_default();
        assert!(first.starts_with(expr) && first.trim_end().ends_with(shown), "{expr}: {out}");
        let lower = out.to_lowercase();
        assert!(!lower.contains("nan") && !lower.contains("inf"), "{expr}: {out}");
    }
}

/// The sample workspace plus `extra` appended to its config.
fn sample_with(extra: &str) -> tempfile::TempDir {
    let cfg = std::fs::read_to_string(sample_config()).unwrap();
    sample_copy(&[("yearbook.toml", format!("{cfg}\n{extra}").as_bytes())])
}

#[test]
fn a_chain_of_1500_derived_indicators_computes_in_run_eval_and_check() {
    let n = 1500;
    let mut extra = String::new();
    for i in 0..n - 1 {
        extra.push_str(&format!("[indicators.x{i:05}]\nexpr = \"x{:05} + 1\"\n", i + 1));
    }
    extra.push_str(&format!("[indicators.x{:05}]\nexpr = \"gdp\"\n", n - 1));
    let d = sample_with(&extra);
    let cfg = d.path().join("yearbook.toml");
    let c = cfg.to_str().unwrap();
    let (code, out, err) = cli(&["eval", "-c", c, "value(x00000)"]);
    assert_eq!((code, out.trim()), (0, "1506.75 亿元"), "{err}");
    let (code, _, err) = cli(&["check", "-c", c]);
    assert_eq!(code, 0, "{err}");
    let out_dir = d.path().join("out");
    let (code, _, err) = cli(&["run", "-c", c, "--out", out_dir.to_str().unwrap(), "--fail-on", "never", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_failing_indicator_is_remembered_once_and_named_by_its_users() {
    let mut extra = String::from("[indicators.broken]\nexpr = \"gdp + missing_table()\"\n");
    extra = extra.replace("missing_table()", "table(\\\"nope\\\").count()");
    for i in 0..5 {
        extra.push_str(&format!("[indicators.user{i}]\nexpr = \"broken * {i}\"\n"));
    }
    let d = sample_with(&extra);
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    for i in 0..5 {
        let e = ws.compute_indicator(&format!("user{i}")).expect_err("fails").to_string();
        assert!(e.contains("indicator `broken` failed: unknown table `nope`"), "{e}");
    }
}

#[test]
fn depth_limits_the_stack_cannot_hold_are_refused() {
    let d = sample_with("[limits]\nmax_call_depth = 100000\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
    assert!(e.contains("max_call_depth = 100000 is deeper than the evaluation stack holds: at most 100"), "{e}");
    // Rhai reads 0 as no limit at all: a deep enough expression then overflowed the stack.
    let d = sample_with("[limits]\nmax_expr_depth = 0\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
    // The key's line: after the sample's own lines, a blank one and `[limits]`.
    let line = std::fs::read_to_string(sample_config()).unwrap().lines().count() + 3;
    let want = format!("yearbook.toml:{line}: max_expr_depth = 0 would remove the limit, and the evaluation stack has one: give 1 to 256");
    assert!(e.contains(&want), "{e}");
}

#[test]
fn a_runaway_template_is_stopped_and_located_and_nothing_is_written() {
    let d = sample_copy(&[]);
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    let cfg = cfg.replace("sections = [\"summary\"", "sections = [\"loop\", \"summary\"");
    std::fs::write(d.path().join("yearbook.toml"), &cfg).unwrap();
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    let big = "## 循环\n\n{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}\n";
    std::fs::write(d.path().join("report/loop.md"), big).unwrap();
    let c = d.path().join("yearbook.toml");
    let out = d.path().join("out");
    let t = std::time::Instant::now();
    let (code, _, err) = cli(&["run", "-c", c.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "json,md"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("loop.md:3: report template: stopped"), "{err}");
    assert!(t.elapsed().as_secs() < 30);
    assert!(!out.exists(), "nothing written on a template error");
    // Output size: a wide loop that writes much and quickly.
    std::fs::write(d.path().join("report/loop.md"), "{% for i in range(100000) %}{{ \"x\" * 1000 }}{% endfor %}").unwrap();
    let (code, _, err) = cli(&["run", "-c", c.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "md"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("report template: stopped: the report grew past"), "{err}");
}

/// A template that doubles a string in a loop stops at half the memory budget in text,
/// named and located, quickly, and small enough to run under a 1 GB address space (it
/// peaked at 1.4 GB and aborted there).
#[cfg(unix)]
/// A one-town workspace with the report section `main.md` and `limits` (TOML lines).
fn template_workspace(template: &str, limits: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    std::fs::write(d.path().join("regions.csv"), "code,name,level,parent\nt1,甲镇,town,\n").unwrap();
    std::fs::write(d.path().join("indicators.csv"), "code,unit\ngdp,亿元\n").unwrap();
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\nt1,2008,gdp,3\n").unwrap();
    std::fs::write(
        d.path().join("yearbook.toml"),
        format!(
            "[workspace]\nlevels = [\"town\"]\nperiod = \"2008\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
             [[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n[limits]\n{limits}"
        ),
    )
    .unwrap();
    std::fs::write(d.path().join("report/main.md"), template).unwrap();
    d
}

/// `yearbook report` in `d` under an address space of `kb` KB: (exit code, stderr).
fn report_under(d: &tempfile::TempDir, kb: u64) -> (Option<i32>, String) {
    let bin = env!("CARGO_BIN_EXE_yearbook");
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("ulimit -v {kb}; exec {bin} report -c yearbook.toml -o r.md")])
        .current_dir(d.path())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_template_doubling_a_list_stops_at_its_time_or_memory_limit_naming_the_template() {
    // `ns.x + ns.x` 40 times: minijinja copies the list once it is 32 deep, 2^33 items in
    // one step, which neither its fuel nor the output sink sees. It ran past 60 s and 3 GB.
    let doubled =
        "# 报告\n{% set ns = namespace(x=[1]) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x | length }}\n";
    let d = template_workspace(doubled, "timeout_ms = 300\nmax_memory_mb = 100000\n");
    let t = std::time::Instant::now();
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "main.md:1: report template: stopped: the section took longer than the time limit of 300 ms (limits.timeout_ms) inside one step"
        ),
        "{err}"
    );
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    assert!(!d.path().join("r.md").exists());
    // Under a 976 MB address space it stops at three quarters of the budget (half of it) grown,
    // never aborting on a failed allocation.
    let d = template_workspace(doubled, "timeout_ms = 60000\n");
    let (code, err) = report_under(&d, 1_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:1: report template: stopped: the section took more than 366 MB while rendering, three quarters of the memory budget of 488 MB (limits.max_memory_mb)"), "{err}");
    assert!(!d.path().join("r.md").exists());
}

#[test]
fn a_list_nested_or_doubled_in_a_template_is_refused_before_it_is_printed() {
    // [x, x] 40 times holds 2^40 items by reference: printing it ran past 60 s.
    for (body, what) in [
        ("{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}", "printed"),
        ("{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x | join(\",\") }}", "joined"),
        ("{% for i in range(100) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}", "nested 100 deep"),
    ] {
        let d = template_workspace(&format!("# 报告\n{{% set ns = namespace(x=[1]) %}}{body}\n"), "timeout_ms = 20000\n");
        let t = std::time::Instant::now();
        let (code, err) = report_under(&d, 100_000_000);
        assert_eq!(code, Some(2), "{what}: {err}");
        assert!(
            err.contains(
                "main.md:2: report template: a list or map of more than 1000000 items, or nested more than 64 deep, is not printed \
                 (is it doubled or nested in a loop?): print its length, or a part of it (`x[:10]`, `x | first`)"
            ),
            "{what}: {err}"
        );
        assert!(t.elapsed().as_secs() < 10, "{what}: {:?}", t.elapsed());
    }
    // A list of the usual size prints as before.
    let d = template_workspace("# 报告\n{{ [1, [2, 3], {\"a\": 4}] }}|{{ range(1000) | list | length }}\n", "");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("[1, [2, 3], {'a': 4}]|1000"), "{md}");
}

#[test]
fn join_prints_a_missing_or_infinite_figure_as_a_dash() {
    // minijinja's join printed `1.5, none, inf, 0.30000000000000004`.
    let d = template_workspace(
        "# 报告\nA {{ [1.5, none, \"inf\" | float, 0.1 + 0.2, \"x\", 20.0] | join(\"、\") }} B {{ [1, none] | join }} C {{ [{\"a\": 1}, {\"a\": 2}] | join(\",\", attribute=\"a\") }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A 1.5、—、—、0.3、x、20 B 1— C 1,2"), "{md}");
}

/// The filters that take their value as text printed a missing figure as None and one
/// that is not finite as inf or NaN (a tester: `{{ yoy("x") | e }}` said None in
/// report.html); a reversed list printed `[1, None]`. Each now prints — where `{{ x }}`
/// does, and text as before.
#[test]
fn text_filters_print_a_missing_or_infinite_figure_as_a_dash() {
    let d = template_workspace(
        "# 报告\n{% set m = none %}{% set x = \"inf\" | float %}{% set n = x - x %}\
         A {{ m | e }} {{ x | escape }} {{ n | e }} {{ m | trim }} {{ x | trim }} {{ m | lower }} {{ x | upper }} \
         {{ m | title }} {{ n | capitalize }} {{ x | replace(\"i\", \"j\") }} {{ x | indent(2) }} {{ n | pprint }} {{ m | safe }}\
         |B {{ [m, 1] | reverse }} {{ [x] | reverse }} {{ [n, 2.5] | reverse | list }} {{ [m, x, n] | map(\"e\") | join(\",\") }} \
         {{ [m, 1] | pprint }} {{ [1, m] | reverse | join(\"、\") }}\
         |C {{ \"Ab\" | lower }} {{ (0.1 + 0.2) | e }} {{ 20.0 | upper }} {{ \"a<b\" | e }} {{ [1, 2] | map(\"upper\") | join(\"+\") }} \
         {{ [1, 2] | reverse }} {{ \" x \" | trim }}|\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A — — — — — — — — — — — — —|"), "{md}");
    assert!(md.contains("|B [1, —] [—] [2.5, —] —,—,— [—, 1] —、1|"), "{md}");
    assert!(md.contains("|C ab 0.3 20 a&lt;b 1+2 [2, 1] x|"), "{md}");
}

#[test]
fn an_undefined_name_inside_a_printed_or_joined_list_is_refused_as_alone() {
    // `{{ x }}` of a name not set is refused; inside a list it printed `[undefined, 1]`,
    // and a join left it out (`,1`), silently.
    for (body, line) in [
        ("{{ [1, nosuch] }}", 2),
        ("{{ {\"a\": nosuch} }}", 2),
        ("{{ [nosuch, 1] | join(\",\") }}", 2),
        ("{{ [{\"a\": 1}, {\"b\": 2}] | join(\",\", attribute=\"a\") }}", 2),
        ("{{ [1, [nosuch]] | string }}", 2),
        ("{{ \"x\" ~ [nosuch] }}", 2),
        ("{{ \"%s\" | format([nosuch]) }}", 2),
    ] {
        let d = template_workspace(&format!("# 报告\n{body}\n"), "");
        let (code, err) = report_under(&d, 100_000_000);
        assert_eq!(code, Some(2), "{body}: {err}");
        assert!(
            err.contains(&format!(
                "main.md:{line}: report template: a list, map or join here holds an undefined value: a name or attribute that is not \
                 set (a typo?); set it, or correct its spelling, as `{{{{ x }}}}` of it would say"
            )),
            "{body}: {err}"
        );
    }
    // A missing figure in a list is no undefined name: —.
    let d = template_workspace("# 报告\n{{ [none, 1] }}|{{ [none, 1] | join(\",\") }}|{{ 2 is in([nosuch, 2]) }}\n", "");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    let d = template_workspace("# 报告\n{{ [none, 1] }}|{{ [none, 1] | join(\",\") }}\n", "");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("[—, 1]|—,1"), "{md}");
}

#[test]
fn a_figure_joined_with_tilde_prints_as_the_template_prints_it() {
    // minijinja's `~` printed `GDP none`, `infx`, 0.30000000000000004, `[1.5, none]` and
    // 20.0 (nan-inf-output): now as `{{ x }}` prints each. A growth of 8 to 8.01 printed
    // 0.124999999999997; a figure of 15 digits keeps them.
    let d = template_workspace(
        "# 报告\nA {{ \"GDP \" ~ yoy(\"gdp\") }}|{{ (\"inf\" | float) ~ \"x\" }}|{{ none ~ \"x\" }}|\
         {{ \"增长\" ~ (0.1 + 0.2) ~ \"%\" }}|{{ [1.5, none] ~ 20.0 }}|{% set s = \"值\" ~ value(\"gdp\") ~ \"亿元\" %}{{ s }}|\
         {{ (1 + 2) ~ \"\" }}|{{ 7.75 | round(1) ~ \"亿元\" }}|{{ (8.01 / 8 - 1) * 100 }}|{{ [(8.01 / 8 - 1) * 100] }}|{{ 1234567.89012345 }}\n\
         {{ nosuch ~ \"x\" }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    // An undefined name is still refused, at its own line.
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:3: report template: `nosuch` is undefined"), "{err}");
    let src = std::fs::read_to_string(d.path().join("report/main.md")).unwrap();
    std::fs::write(d.path().join("report/main.md"), src.replace("{{ nosuch ~ \"x\" }}\n", "")).unwrap();
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A GDP —|—x|—x|增长0.3%|[1.5, —]20|值3亿元|3|7.8亿元|0.125|[0.125]|1234567.89012345"), "{md}");
}

#[test]
fn a_number_is_in_a_list_of_the_text_that_spells_it() {
    // `p.year in ["2021"]` was false for the number 2021, and a filter kept no row; so was
    // the same list held in a variable, a tuple or a filtered list. Now `in` and the test
    // `is in(...)` find a number among the text that spells it (and text among numbers);
    // text in text, keys of a map and other lists as minijinja's.
    let d = template_workspace(
        "# 报告\n{{ 2021 is in([\"2021\", \"2022\"]) }}|{{ 2023 is in([\"2021\"]) }}|{{ \"a\" is in(\"abc\") }}|{{ \"2021\" is in([2021]) }}\n\
         {% set ys = [\"2021\", \"2022\"] %}{% set n = 2021 %}B {{ 2021 in [\"2021\"] }}|{{ n in ys }}|{{ n not in ys }}|{{ 2023 in ys }}|\
         {{ n in (\"2020\", \"2021\") }}|{{ n in ys | list }}|{{ \"2022\" in [2021, 2022] }}|{{ 2021 in [\"2021年\"] }}|{{ \"b\" in \"abc\" }}|\
         {{ \"k\" in {\"k\": 1} }}|{{ \"x\" in [\"a1\", \"2\"] }}|{{ \"1\" in [\"1.0\"] }}|{{ [1] in [[1]] }}|\
         {{ [{\"year\": 2021}, {\"year\": 2020}] | selectattr(\"year\", \"in\", [\"2021\"]) | list | length }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("True|False|True|True"), "{md}");
    assert!(md.contains("B True|True|False|False|True|True|True|True|True|True|False|False|True|1"), "{md}");
}

#[test]
fn a_joined_or_searched_list_is_bounded_by_what_it_nests_not_its_length() {
    // 1,100,000 numbers joined, or searched with `is in`, were refused as a list too large
    // to print: only what is printed counts, the joined text (5,377,790 characters). A
    // list doubled 40 times inside one item, or turned to text, is still refused at once.
    // join(attribute=...) and lists inside the items printed a missing figure as none.
    let d = template_workspace(
        "# 报告\n{% set a = range(100000) | list %}{% set b = a + a + a + a + a + a + a + a + a + a + a %}\
         A {{ b | join(\"\") | length }}|{{ 5 is in(b) }}|{{ 5 in b }}\n\
         J {{ [{\"v\": none}, {\"v\": 1.5}, {\"v\": 0.1 + 0.2}] | join(\", \", attribute=\"v\") }}|\
         {{ [{\"v\": {\"w\": none}}] | join(attribute=\"v.w\") }}|{{ [[1, none], (2, none)] | join(\";\") }}|\
         {{ [1, 2] | join(d=\"-\") }}|{{ [none, 0.1 + 0.2] | string }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A 5377790|True|True"), "{md}");
    assert!(md.contains("J —, 1.5, 0.3|—|[1, —];[2, —]|1-2|[—, 0.3]"), "{md}");
    for (t, line) in [("{{ [ns.x] | join(\",\") | length }}", 3), ("{{ ns.x | string | length }}", 3), ("{{ 1 is in([ns.x]) }}", 3)] {
        std::fs::write(
            d.path().join("report/main.md"),
            format!(
                "# 报告\n{{% set ns = namespace(x=[1]) %}}{{% for i in range(40) %}}{{% set ns.x = [ns.x, ns.x] %}}{{% endfor %}}\n{t}\n"
            ),
        )
        .unwrap();
        let t0 = std::time::Instant::now();
        let (code, err) = report_under(&d, 3_000_000);
        assert_eq!(code, Some(2), "{t}: {err}");
        assert!(err.contains(&format!("main.md:{line}: report template: a list or map of more than 1000000 items")), "{t}: {err}");
        assert!(t0.elapsed().as_secs() < 10, "{t}");
    }
}

/// A missing figure is neither below nor above anything: `{% if yoy("gdp") < 0 %}` said
/// 同比下降 without a prior year (minijinja orders none below every number), `sort |
/// first` named a town without a growth as the slowest, `rejectattr("g", "lt", 2)` kept
/// it as not below 2. `| string` and `"%s" | format` printed 31.0, 0.30000000000000004,
/// None and a ledger's year as 2008.0.
#[test]
fn a_missing_figure_orders_nowhere_and_string_prints_as_the_template_does() {
    let d = template_workspace(
        "# 报告\nA {{ \"T\" if yoy(\"gdp\") < 0 }}|{{ \"T\" if yoy(\"gdp\") > 0 }}|{{ \"T\" if yoy(\"gdp\") <= 0 }}|{{ \"T\" if yoy(\"gdp\") >= 0 }}|{{ \"T\" if 0 > yoy(\"gdp\") }}|\
         {{ \"T\" if yoy(\"gdp\") is lt(0) }}|{{ 1 < 2 }}|{{ 2 <= 2 }}|{{ \"b\" > \"a\" }}|{% if not (2 < 1) %}n{% endif %}\n\
         B {{ [3, none, 1] | sort }}|{{ [3, none, 1] | sort(reverse=true) }}|\
         {{ ([{\"n\": \"甲\", \"g\": 3}, {\"n\": \"乙\", \"g\": none}, {\"n\": \"丙\", \"g\": 1}] | sort(attribute=\"g\") | first).n }}|\
         {{ [{\"g\": 3}, {\"g\": none}] | rejectattr(\"g\", \"lt\", 2) | list | length }}|\
         {{ [{\"g\": 3}, {\"g\": none}] | selectattr(\"g\", \"lt\", 2) | list | length }}|{{ [1, none, 5] | reject(\"lt\", 2) | list }}|\
         {{ [1, none, 5] | reject(\"none\") | list }}|{% for p in [{\"g\": 1}, {\"g\": none}, {\"g\": -2}] if p.g < 0 %}{{ p.g }}{% endfor %}\n\
         C {{ (value(\"gdp\") * 4) | string }}|{{ (0.1 + 0.2) | string }}|{{ [2.0] | string }}|{{ none | string }}|\
         {{ [none, 2] | map(\"string\") | join(\",\") }}|{{ 2008.0 | string == \"2008\" }}|{{ \"%s\" | format(value(\"gdp\") * 4) }}|\
         {{ \"%.1f\" | format(2.0) }}|{{ \"%s\" | format([1.0, none]) }}|\
         {{ [{\"n\": \"x\", \"a\": 2, \"b\": 1}, {\"n\": \"y\", \"a\": 1, \"b\": none}, {\"n\": \"z\", \"a\": 1, \"b\": 0}, {\"n\": \"w\", \"a\": none}] | sort(attribute=\"a,b\") | map(attribute=\"n\") | join }}|{{ \"%d\" | format(19.0) }}\n\
         D {% set g = value(\"gdp\") %}{% if yoy(\"gdp\") < 0 %}降{% endif %}{% if (g if g > 0 else 0) > 5 %}快{% endif %}{{ (1 < 2) in [true] }}|{{ 2021 in [\"2021\"] }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A ||||||True|True|True|n\n"), "{md}");
    assert!(md.contains("B [1, 3, —]|[3, 1, —]|丙|1|0|[5]|[1, 5]|-2\n"), "{md}");
    assert!(md.contains("C 12|0.3|[2]|—|—,2|True|12|2.0|[1, —]|zyxw|19\n"), "{md}");
    // A comparison inside a side of another kept every test of the template as minijinja
    // has it (the copy of `(1 < 2` did not parse): 降 without a figure, 2021 not in ["2021"].
    assert!(md.contains("D True|True\n"), "{md}");
}

/// A comparison whose answer chooses what is printed either way: `{% if g > 0 %}增长{%
/// else %}下降{% endif %}` said 下降 of a town without a prior year (the ordering was false,
/// so the other branch printed), as did `"增" if g >= 0 else "降"`, `not (g < 0)` and an
/// `elif` chain ending in `else` (持平 for `g == 0`). There a missing side is an error that
/// names the operator and says how to test for it first; `x is missing` is that test.
/// The same holds wherever the answer decides what is printed: a test that compares (`g
/// is gt(0)`, `is not lessthan 0`), a comparison set first (`{% set up = g > 0 %}`),
/// chosen from with `and`/`or`, or printed (`{{ g > 0 }}` printed False). Only where
/// false prints nothing of its own (no `else`, an `elif` chain without one, `a if c`, a
/// loop's filter, through `and` and `or`) is a missing figure simply false.
#[test]
fn a_comparison_that_chooses_what_is_printed_refuses_a_missing_figure() {
    let refused = [
        ("{% if g > 0 %}增长{% else %}下降{% endif %}", ">", "a missing figure (—) and the number 0"),
        ("{{ \"增\" if g >= 0 else \"降\" }}", ">=", "a missing figure (—) and the number 0"),
        ("{% if not (g < 0) %}未降{% endif %}", "<", "a missing figure (—) and the number 0"),
        ("{% if 5 <= g and true %}快{% else %}慢{% endif %}", "<=", "the number 5 and a missing figure (—)"),
        ("{% if g == 0 %}持平{% elif g > 0 %}增{% else %}降{% endif %}", "==", "a missing figure (—) and the number 0"),
        ("{% if h > 0 %}增{% elif g > 0 %}增{% else %}降{% endif %}", ">", "a missing figure (—) and the number 0"),
        ("{% if -1 < g < 0 %}略有下降{% else %}无{% endif %}", "<", "the number -1 and a missing figure (—)"),
        // A test that compares, a comparison set first or chosen from with and/or, and
        // one printed: each answer decides what is printed.
        ("{% if g is gt(0) %}增{% else %}降{% endif %}", "is gt", "a missing figure (—) and the number 0"),
        ("{% if g is not lessthan 0 %}未降{% endif %}", "is lessthan", "a missing figure (—) and the number 0"),
        ("{% if g is eq(0) %}持平{% elif g is ge 0 %}增{% else %}降{% endif %}", "is eq", "a missing figure (—) and the number 0"),
        ("{% set up = g > 0 %}{% if up %}增{% else %}降{% endif %}", ">", "a missing figure (—) and the number 0"),
        ("{{ g > 0 and \"增长\" or \"下降\" }}", ">", "a missing figure (—) and the number 0"),
        ("{{ g > 0 }}", ">", "a missing figure (—) and the number 0"),
        ("{% set ns = namespace(up=false) %}{% set ns.up = ns.up or g >= 1 %}{{ ns.up }}", ">=", "a missing figure (—) and the number 1"),
        // A loop's `{% else %}` prints where the filter kept nothing; `elif true` is an else.
        (
            "{% for p in [{\"g\": g}] if p.g <= 0 %}{{ p.g }}负增长{% else %}各镇均实现正增长{% endfor %}",
            "<=",
            "a missing figure (—) and the number 0",
        ),
        ("{% if g > 0 %}增长{% elif true %}下降{% endif %}", ">", "a missing figure (—) and the number 0"),
        // An `if` or a loop that sets a value (a flag carried out of it, a counter): its
        // false is printed later (空指标下降; 1个指标增长，1个下降 of one rise and one missing).
        (
            "{% set ns = namespace(up=false) %}{% if g > 0 %}{% set ns.up = true %}{% endif %}{{ \"增长\" if ns.up else \"下降\" }}",
            ">",
            "a missing figure (—) and the number 0",
        ),
        (
            "{% set ns = namespace(n=0) %}{% for x in [g, 5] %}{% if x > 0 %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.n }}个增长",
            ">",
            "a missing figure (—) and the number 0",
        ),
        (
            "{% set ns = namespace(n=0) %}{% for x in [g, 5] if x > 0 %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}个增长",
            ">",
            "a missing figure (—) and the number 0",
        ),
        (
            "{% set up = [] %}{% if g > 0 %}{% set up = up + [1] %}{% endif %}{{ \"增长\" if up else \"下降\" }}",
            ">",
            "a missing figure (—) and the number 0",
        ),
        ("{% set w = \"增长\" if g > 0 %}{{ w or \"下降\" }}", ">", "a missing figure (—) and the number 0"),
    ];
    for (t, op, sides) in refused {
        let d = template_workspace(&format!("# 报告\n{{% set g = yoy(\"gdp\") %}}{{% set h = 1 - 2 %}}\nA {t}\n"), "");
        let (code, err) = report_under(&d, 100_000_000);
        assert_eq!(code, Some(2), "{t}: {err}");
        assert!(
            err.contains(&format!(
                "main.md:3: report template: `{op}` of {sides} has no answer, and here it decides what is printed (an `{{% if %}}` \
                 with an `{{% else %}}`, `a if c else b`, `not`, a value set or printed, or an `if` or a loop that sets one): \
                 false would print as if the figure were known. Test for it first: `{{% if x is missing %}}暂无数据{{% elif x {op}{} %}}...{{% else %}}...{{% endif %}}`",
                if op.starts_with("is ") { "(...)" } else { " ..." }
            )),
            "{t}: {err}"
        );
    }
    let d = template_workspace(
        "# 报告\n{% set g = yoy(\"gdp\") %}{% set v = value(\"gdp\") %}\n\
         A {% if g > 0 %}增{% endif %}|{% if g > 0 %}增{% elif g < 0 %}降{% endif %}|\
         {% for p in [{\"g\": 1}, {\"g\": none}] if p.g > 0 %}{{ p.g }}{% endfor %}|{{ \"增\" if g > 0 }}|\
         {% if g is gt(0) or g is lt 0 %}变{% endif %}|{% for p in [{\"g\": 1}, {\"g\": none}] if p.g is ge(0) %}{{ p.g }}{% endfor %}\n\
         B {% if g is missing %}暂无数据{% elif g > 0 %}增{% else %}降{% endif %}|{% if g == none %}无{% else %}有{% endif %}|\
         {% if v > 2 %}大{% else %}小{% endif %}|{{ \"增\" if v >= 3 else \"降\" }}|{% if not v < 0 %}正{% endif %}|\
         {{ none is missing }}|{{ v is missing }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A ||1|||1\n"), "{md}");
    assert!(md.contains("B 暂无数据|无|大|增|正|True|False\n"), "{md}");
}

/// A chain of 8000 `+` in one expression took a minute to read (50,000 did not end),
/// outside the template's time limit: more than 1000 operators in one block is refused
/// before it is read, naming the line; 900 still print.
#[test]
fn an_expression_of_more_than_1000_operators_is_refused_before_it_is_read() {
    let long = format!("# 报告\n\n{{{{ {} }}}}\n", vec!["1"; 8000].join("+"));
    let d = template_workspace(&long, "");
    let t0 = std::time::Instant::now();
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:3: report template: one expression holds more than 1000 operators"), "{err}");
    assert!(t0.elapsed().as_secs() < 10);
    let d = template_workspace(&format!("# 报告\n\nA {{{{ {} }}}}\n", vec!["1"; 900].join("+")), "");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read_to_string(d.path().join("r.md")).unwrap().contains("A 900\n"));
    // A chain of filters nests as deep (kinds19a 03: 8000 took 12 s to read, even in a
    // branch never taken); 900 still print.
    let long = format!("# 报告\n\n{{% if false %}}{{{{ -1{} }}}}{{% endif %}}\n", "|abs".repeat(8000));
    let d = template_workspace(&long, "");
    let t0 = std::time::Instant::now();
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:3: report template: one expression holds more than 1000 operators (filters, `~`"), "{err}");
    assert!(t0.elapsed().as_secs() < 10);
    let d = template_workspace(&format!("# 报告\n\nA {{{{ -1{} }}}}\n", "|abs".repeat(900)), "");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read_to_string(d.path().join("r.md")).unwrap().contains("A 1\n"));
}

/// A map printed kept its figures' float form and binary noise (`{'a': 23.50000000000001}`,
/// a ledger row's year `2021.0`) where a list printed them as figures; both print alike.
#[test]
fn a_map_prints_its_figures_as_a_list_does() {
    let d = template_workspace(
        "# 报告\nA {{ {\"a\": 0.1 + 0.2, \"y\": 2021.0} }}|{{ dict(a=47 / 2 * 1.0000000000000004) }}|{{ [{\"y\": 2021.0}] }}|{{ [0.1 + 0.2] }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A {'a': 0.3, 'y': 2021}|{'a': 23.5}|[{'y': 2021}]|[0.3]\n"), "{md}");
}

/// `sort` of a list doubled 22 times (4 million items) asked for its copy at once, past
/// the memory budget (a list doubled 27 times asked for 6 GB and the process aborted):
/// refused before it allocates, naming the filter, the line and the limit.
#[test]
fn a_sort_of_a_list_past_the_memory_budget_is_refused_before_it_allocates() {
    let d = template_workspace(
        "# 报告\n{% set ns = namespace(a=[1]) %}{% for i in range(22) %}{% set ns.a = ns.a + ns.a %}{% endfor %}\nA={{ ns.a | sort | length }}\n",
        "max_memory_mb = 200\n",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:3: report template: sort of 4194304 items needs about"), "{err}");
    assert!(err.contains("(limits.max_memory_mb): filter the list first"), "{err}");
}

/// A list put into itself in a loop (`{% set ns.a = [ns.a] %}` 100,000 times, or a map
/// `{"x": ns.a}`) nested so deep that releasing it overflowed the stack and aborted the
/// run (a tester's find). Refused where it is built, naming the line and what to write.
#[test]
fn a_list_nested_in_itself_in_a_loop_is_refused_where_it_is_built() {
    for built in ["[ns.a]", "{\"x\": ns.a}", "(ns.a, 1)"] {
        let d = template_workspace(
            &format!(
                "# 报告\n{{% set ns = namespace(a=[]) %}}{{% for i in range(100000) %}}{{% set ns.a = {built} %}}{{% endfor %}}A={{{{ ns.a | length }}}}\n"
            ),
            "",
        );
        let (code, err) = report_under(&d, 100_000_000);
        assert_eq!(code, Some(2), "{built}: {err}");
        assert!(
            err.contains(
                "main.md:2: report template: a list or map nested more than 1000 deep is refused where it is built (releasing it \
                 would overflow the stack): is a list put into itself in a loop (`{% set ns.a = [ns.a] %}`)? Add to it instead: `ns.a + [x]`"
            ),
            "{built}: {err}"
        );
    }
    // Nested a little, as reports do: kept.
    let d = template_workspace(
        "# 报告\n{% set ns = namespace(a=[]) %}{% for i in range(900) %}{% set ns.a = [ns.a] %}{% endfor %}A={{ ns.a | length }}|{{ [[value(\"gdp\")]] }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read_to_string(d.path().join("r.md")).unwrap().contains("A=1|[[3]]\n"));
}

/// A derived indicator that could not be computed (its declared unit does not fit its
/// formula) was "unknown indicator" to a template that asked for it: it says why, as
/// `check` and `eval` do.
#[test]
fn a_template_asking_for_a_failed_indicator_says_why() {
    let d = template_workspace("# 报告\n{{ amount(\"cost\") }}\n", "\n[indicators.cost]\nunit = \"亩\"\nexpr = \"gdp * 5\"\n");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:2: report template: indicator `cost` failed: "), "{err}");
    assert!(err.contains("cannot convert 亿元 to 亩"), "{err}");
    assert!(!err.contains("unknown indicator"), "{err}");
}

/// A whole figure past 2^53 printed with `.0` (`{{ 1e20 }}` as 100000000000000000000.0),
/// in a list or through `"%s" | format` in scientific notation (1e20, 1e+20); `%d`
/// refused it. It prints as every whole figure does, digits only.
#[test]
fn a_large_whole_figure_prints_its_digits_without_a_point() {
    let d = template_workspace(
        "# 报告\nA {{ 1e20 }}|{{ value(\"gdp\") * 1e16 }}|{{ [1e20, 2.0] }}|{{ \"%s\" | format(1e20) }}|{{ 1e20 | string }}|\
         {{ \"x\" ~ 1e20 }}|{{ \"%d\" | format(1e20) }}|{{ 1e20 | round }}|{{ -2.5e17 }}|{{ 1.5e16 / 10 }}|{{ 0.5e16 + 0.25 }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(
        md.contains(
            "A 100000000000000000000|30000000000000000|[100000000000000000000, 2]|100000000000000000000|100000000000000000000|\
             x100000000000000000000|100000000000000000000|100000000000000000000|-250000000000000000|1500000000000000|5000000000000000\n"
        ),
        "{md}"
    );
}

/// A chain of orderings (`0 < g <= 1`, minijinja's is Python's `0 < g and g <= 1`) was
/// left as minijinja has it: none ordered below every number, so `{% if -1 < yoy("gdp") <
/// 0 %}略有下降` said a fall without a prior year. Each side of an ordering is evaluated
/// once (a stateful call such as `loop.changed` answered its copy otherwise).
#[test]
fn a_chain_of_orderings_is_false_with_a_missing_side_and_each_side_counts_once() {
    let d = template_workspace(
        "# 报告\nA {{ \"T\" if -1 < yoy(\"gdp\") < 0 }}|{{ 0 < 1 <= 1 }}|{{ 0 < 2 < 1 }}|{{ 3 > 2 >= 2 > 1 }}|{{ \"T\" if 1 < none < 3 }}|{{ \"T\" if yoy(\"gdp\") < 0 <= 0 }}|\
         {% if -1 < yoy(\"gdp\") < 0 %}略有下降{% endif %}\n\
         B {% for x in [1, 1, 2] %}{{ loop.changed(x) >= true }},{% endfor %}|{{ (1 <\n 2) }}|{{ (2) > (1) }}\n\
         C {% set n = yoy(\"gdp\") %}{{ \"T\" if n < 0 == false }}|{{ \"T\" if n < 0 != true }}|{{ \"T\" if n < 0 in [0] }}|{{ \"T\" if n < 0 not in [1] }}|\
         {{ \"T\" if 5 == 5 > n }}|{{ 1 < 2 <= 2 == 2 }}|{{ 2020 < 2021 in [\"2021\"] }}\n",
        "",
    );
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("A |True|False|True|||\n"), "{md}");
    assert!(md.contains("B True,False,True,|True|True\n"), "{md}");
    // An ordering in a chain with `==`, `!=`, `in`: false with a missing side (minijinja's
    // none below every number made `n < 0 == false` true); the others as Python's.
    assert!(md.contains("C |||||True|True\n"), "{md}");
    // An undefined side is refused, on its line.
    let d = template_workspace("# 报告\n\n{{ nosuch < 1 }}\n", "");
    let (code, err) = report_under(&d, 100_000_000);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("main.md:3: report template:"), "{err}");
}

#[test]
fn a_template_doubling_a_string_stops_at_the_memory_budget() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    std::fs::write(d.path().join("regions.csv"), "code,name,level,parent\nt1,甲镇,town,\n").unwrap();
    std::fs::write(d.path().join("indicators.csv"), "code,unit\ngdp,亿元\n").unwrap();
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\nt1,2008,gdp,3\n").unwrap();
    std::fs::write(
        d.path().join("yearbook.toml"),
        "[workspace]\nlevels = [\"town\"]\nperiod = \"2008\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n\
         [limits]\nmax_memory_mb = 200\nmax_report_bytes = 1000000\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("report/main.md"),
        "# 报告\n{% set ns = namespace(s=\"x\") %}{% for i in range(29) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}\n",
    )
    .unwrap();
    let t = std::time::Instant::now();
    // The report under a 976 MB address space: (exit code, stderr).
    let report = || {
        let bin = env!("CARGO_BIN_EXE_yearbook");
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("ulimit -v 1000000; exec {bin} report -c yearbook.toml -o r.md")])
            .current_dir(d.path())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) = report();
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "main.md:2: report template: stopped: it made more than 100 MB of text, half of the memory budget of 200 MB \
             (limits.max_memory_mb), or ran more than 1638400 steps; is a loop too large, or a string doubled in a loop?"
        ),
        "{err}"
    );
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
    assert!(!d.path().join("r.md").exists());
    // With no max_memory_mb the budget is half of what the process may use: the address
    // space here (`ulimit -v`, 976 MB), not the machine's memory, whose half let `indent`
    // make 1 GB of text and abort on the failed allocation. A container's limit counts too.
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap().replace("max_memory_mb = 200\n", "");
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    std::fs::write(d.path().join("report/main.md"), "# 报告\n{{ (\"x\\n\" * 10000) | indent(100000) | length }}\n").unwrap();
    let (code, err) = report();
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("main.md:2: report template: stopped: it made more than 244 MB of text, half of the memory budget of 488 MB"),
        "{err}"
    );
    assert!(!d.path().join("r.md").exists());
}

#[cfg(unix)]
#[test]
fn output_sets_are_whole_readable_and_left_alone_on_errors() {
    use std::os::unix::fs::PermissionsExt;
    let d = sample_copy(&[]);
    let c = d.path().join("yearbook.toml");
    let c = c.to_str().unwrap();
    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    let (code, _, err) = cli(&["run", "-c", c, "--out", o, "--format", "json, csv, md", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let mode = std::fs::metadata(out.join("findings.json")).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode, 0o600, "modes follow the umask");
    assert_eq!(mode & 0o044, 0o044 & !umask(), "mode {mode:o}");
    std::fs::write(out.join("mine.txt"), "kept").unwrap();
    let snapshot = |p: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let before = snapshot(&out);
    // A bad format or a report that cannot be made: exit 2, the set as it was.
    let (code, _, err) = cli(&["run", "-c", c, "--out", o, "--format", "json,pdf", "--fail-on", "never"]);
    assert_eq!(code, 2, "{err}");
    let cfg = std::fs::read_to_string(c).unwrap().replace("region = \"dayun\"", "region = \"nowhere\"");
    std::fs::write(c, cfg).unwrap();
    let (code, _, err) = cli(&["run", "-c", c, "--out", o, "--format", "json,csv,md", "--fail-on", "never"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(snapshot(&out), before);
    // A leftover staging folder of a killed run is removed by the next run; other files stay.
    std::fs::create_dir_all(d.path().join(".out.yearbook-new-999999")).unwrap();
    let (code, _, err) = cli(&["run", "-c", c, "--out", o, "--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(!d.path().join(".out.yearbook-new-999999").exists());
    assert_eq!(std::fs::read_to_string(out.join("mine.txt")).unwrap(), "kept");
}

#[cfg(unix)]
fn umask() -> u32 {
    // SAFETY: umask only swaps the process mask; it is restored at once.
    unsafe {
        let m = libc::umask(0o022);
        libc::umask(m);
        m as u32
    }
}

#[test]
fn two_runs_into_one_folder_leave_one_consistent_set() {
    let d = sample_copy(&[]);
    let c = d.path().join("yearbook.toml");
    let out = d.path().join("out");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_yearbook"))
            .args(["run", "-c", c.to_str().unwrap(), "--out", out.to_str().unwrap(), "--fail-on", "never"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let runs: Vec<_> = (0..4).map(|_| spawn()).collect();
    for p in runs {
        let o = p.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    let fails = json["findings"].as_array().unwrap().len();
    let rows = csv::Reader::from_path(out.join("findings.csv")).unwrap().records().count();
    assert_eq!(rows, fails);
    // The runs leave no lock file beside the outputs (`.out.yearbook.lock` stayed).
    let left: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("yearbook"))
        .filter(|n| n != "yearbook.toml")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn more_levels_than_level_ids_hold_are_refused() {
    let levels: Vec<String> = (0..258).map(|i| format!("\"l{i}\"")).collect();
    let d = sample_copy(&[]);
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    let start = cfg.find("levels = [").unwrap();
    let end = start + cfg[start..].find(']').unwrap() + 1;
    let cfg = format!("{}levels = [{}]{}", &cfg[..start], levels.join(", "), &cfg[end..]);
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().expect("refused").to_string();
    assert!(e.contains("yearbook.toml:6: levels lists 258 levels: at most 255"), "{e}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_scripts_does_not_import_from_outside() {
    let d = sample_copy(&[]);
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("outside.rhai"), "export const token = 42;").unwrap();
    std::fs::create_dir_all(d.path().join("scripts")).unwrap();
    std::fs::write(d.path().join("scripts/inside.rhai"), "export const token = 7;").unwrap();
    std::os::unix::fs::symlink(secret.path(), d.path().join("scripts/up")).unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("import \"up/outside\" as m; m::token").err().expect("refused").to_string();
    assert!(e.contains("scripts may only import modules from the workspace's scripts folder"), "{e}");
    assert_eq!(ws.eval("import \"inside\" as m; m::token").unwrap().value.as_int().unwrap(), 7);
}

/// Every spelling of a module's path (with or without `.rhai`, through a linked file or
/// folder, `..`, absolute) reads a file only where its real path is inside scripts/.
#[cfg(unix)]
#[test]
fn every_spelling_of_an_import_stays_inside_the_scripts_folder() {
    let d = sample_copy(&[]);
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("outside.rhai"), "export const token = 42;").unwrap();
    let scripts = d.path().join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::write(scripts.join("inside.rhai"), "export const token = 7;").unwrap();
    std::fs::create_dir_all(scripts.join("sub")).unwrap();
    std::fs::write(scripts.join("sub/deep.rhai"), "export const token = 8;").unwrap();
    std::os::unix::fs::symlink(secret.path().join("outside.rhai"), scripts.join("link.rhai")).unwrap();
    std::os::unix::fs::symlink(secret.path(), scripts.join("dir")).unwrap();
    std::os::unix::fs::symlink(scripts.join("inside.rhai"), scripts.join("alias.rhai")).unwrap();
    std::os::unix::fs::symlink(scripts.join("sub"), scripts.join("sublink")).unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let absolute = secret.path().join("outside").display().to_string();
    let refused = [
        "link".to_string(),
        "link.rhai".into(),
        "link.txt".into(),
        "./link.rhai".into(),
        "dir/outside".into(),
        "dir/outside.rhai".into(),
        "sub/../link.rhai".into(),
        "../scripts/inside".into(),
        absolute.clone(),
        format!("{absolute}.rhai"),
    ];
    for path in &refused {
        let e = ws.eval(&format!("import \"{path}\" as m; m::token")).err().unwrap_or_else(|| panic!("{path}: imported")).to_string();
        assert!(e.contains("scripts may only import modules from the workspace's scripts folder ("), "{path}: {e}");
        assert!(e.contains(&format!("), not \"{path}\"")), "{path}: {e}");
    }
    for (path, token) in
        [("inside", 7), ("inside.rhai", 7), ("./inside", 7), ("alias", 7), ("alias.rhai", 7), ("sub/deep.rhai", 8), ("sublink/deep", 8)]
    {
        let v = ws.eval(&format!("import \"{path}\" as m; m::token")).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(v.value.as_int(), Some(token), "{path}");
    }
    // `..` that stays inside reads the file it names (it was refused, against the docs).
    let v = ws.eval("import \"sub/../inside\" as m; m::token").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.value.as_int(), Some(7));
    // Imports are read from the top of scripts/: a module in sub/ importing "inside" read
    // scripts/inside.rhai although sub/inside.rhai lies beside it, silently. Refused,
    // saying which file each spelling reads; without a file beside it, it reads the top's.
    std::fs::write(scripts.join("sub/inside.rhai"), "export const token = 9;").unwrap();
    std::fs::write(scripts.join("sub/rel.rhai"), "import \"inside\" as x; export const token = x::token;").unwrap();
    std::fs::write(scripts.join("sub/top.rhai"), "import \"alias\" as x; export const token = x::token;").unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("import \"sub/rel\" as m; m::token").err().expect("refused").to_string();
    assert!(
        e.contains(
            "\"inside\" in sub/rel.rhai reads inside.rhai (imports are read from the top of the scripts folder), but \
             sub/inside.rhai lies beside it: import it by its path from the scripts folder (\"sub/inside\"), or rename one of the two"
        ),
        "{e}"
    );
    assert_eq!(ws.eval("import \"sub/top\" as m; m::token").unwrap().value.as_int(), Some(7));
    let e = ws.eval("import \"nowhere.rhai\" as m; m::token").err().expect("not found").to_string();
    assert!(e.contains("nowhere"), "{e}");
}

/// A script that keeps every series it makes stops at the memory budget, by bytes.
#[test]
fn a_script_holding_series_stops_at_the_memory_budget() {
    let d = tempfile::tempdir().unwrap();
    let towns: String = (0..10_000).map(|i| format!("t{i},镇{i},town,c\n")).collect();
    std::fs::write(d.path().join("regions.csv"), format!("code,name,level,parent\nc,县,county,\n{towns}")).unwrap();
    std::fs::write(d.path().join("indicators.csv"), "code,label,unit,kind,rollup,note\ngdp,地区生产总值,万元,flow,sum,\n").unwrap();
    // 100 years x 10,001 regions: one series is 8 MB.
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\nt0,1901,gdp,1\nt1,2000,gdp,2\n").unwrap();
    std::fs::write(
        d.path().join("yearbook.toml"),
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[limits]\nmax_memory_mb = 300\n",
    )
    .unwrap();
    let (code, _, err) =
        cli_in(d.path(), &["eval", "-c", "yearbook.toml", "let a = []; for i in 0..1000 { a.push(fill(gdp, i)) } a.len()"]);
    assert_eq!(code, 2);
    assert!(err.contains("stopped: the evaluation held more than 300 MB of memory (limits.max_memory_mb)"), "{err}");
    // Within the budget the same loop runs.
    let (code, out, err) =
        cli_in(d.path(), &["eval", "-c", "yearbook.toml", "let a = []; for i in 0..10 { a.push(fill(gdp, i)) } a.len()"]);
    assert_eq!((code, out.trim()), (0, "10"), "{err}");
}

/// A script that keeps the maps, lists and texts it builds (which no series records) stops
/// at the memory budget too: a map of 1 MB texts grew to 2.3 GB under a budget of 300 MB.
/// A text `replace` sizes its result first: `s.replace("y", s)` of 20,000 characters
/// (400,000,000) built 820 MB before the string limit was looked at.
#[test]
fn script_values_stop_at_the_memory_budget_and_replace_sizes_first() {
    // A time limit a debug build's engine stays well within.
    let d = sample_with("[limits]\nmax_memory_mb = 300\ntimeout_ms = 300000\n");
    let c = d.path().join("yearbook.toml");
    let (code, _, err) = cli(&[
        "eval",
        "-c",
        c.to_str().unwrap(),
        "let s = \"x\"; s.pad(1000000, \"y\"); let m = #{}; for i in 0..3000 { m[`k${i}`] = s + i; } 1",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("stopped: the evaluation held more than 300 MB of memory (limits.max_memory_mb)"), "{err}");
    let (code, _, err) = cli(&["eval", "-c", c.to_str().unwrap(), "let s = \"y\"; s.pad(20000, \"y\"); s.replace(\"y\", s); s.len()"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("replace: the text would be 400000000 characters long, more than limits.max_string_size = 1048576"), "{err}");
    let (code, out, err) = cli(&["eval", "-c", c.to_str().unwrap(), "let s = \"a-b-c\"; s.replace(\"-\", \"——\"); s"]);
    assert_eq!((code, out.trim()), (0, "a——b——c"), "{err}");
}

/// Sizes that Rhai reads 0 of as "no limit" are refused when the config loads (a string
/// doubled 31 times then asked for 3 GB and aborted), and so is `timeout_ms = 0`, which
/// failed every rule of a run with "time limit of 0 ms".
#[test]
fn size_limits_and_timeout_of_zero_are_refused() {
    for (key, said) in [
        ("max_string_size", "max_string_size = 0 would remove the limit: give the most characters in one string (the default is 1048576)"),
        ("max_array_size", "max_array_size = 0 would remove the limit: give the most items in one array (the default is 1048576)"),
        ("max_map_size", "max_map_size = 0 would remove the limit: give the most entries in one map (the default is 65536)"),
        (
            "timeout_ms",
            "timeout_ms = 0 would stop every evaluation at once: give the most milliseconds an evaluation may take (the default is 10000)",
        ),
    ] {
        let d = sample_with(&format!("[limits]\n{key} = 0\n"));
        let (code, _, err) = cli(&["check", "-c", d.path().join("yearbook.toml").to_str().unwrap()]);
        assert_eq!(code, 2, "{key}: {err}");
        assert!(err.contains(said), "{key}: {err}");
    }
}

/// A run keeps every derived indicator it computes for its rules: each one is small, so no
/// single evaluation holds a large share of the budget, and the kept values once grew past
/// it to a failed allocation and an abort (20 derived indicators of 153 MB under `ulimit
/// -v 3000000`). Past the budget a derived indicator is not computed: an error naming the
/// memory held, the budget and the way out; the run ends with exit 3, not an abort.
#[test]
fn derived_indicators_kept_for_a_run_stop_at_the_memory_budget() {
    let d = tempfile::tempdir().unwrap();
    let towns: String = (0..10_000).map(|i| format!("t{i},镇{i},town,c\n")).collect();
    std::fs::write(d.path().join("regions.csv"), format!("code,name,level,parent\nc,县,county,\n{towns}")).unwrap();
    std::fs::write(d.path().join("indicators.csv"), "code,label,unit\ngdp,地区生产总值,万元\n").unwrap();
    // 100 years x 10,001 regions: one series is 8 MB; 40 of them are 320 MB.
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\nt0,1901,gdp,1\nt1,2000,gdp,2\n").unwrap();
    let mut toml = String::from(
        "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
         [[data.facts]]\nfile = \"facts.csv\"\n[limits]\nmax_memory_mb = 150\n[rules.last]\ncheck = \"d40 >= 0\"\n",
    );
    for k in 1..=40 {
        let prev = if k == 1 { "gdp".to_string() } else { format!("d{}", k - 1) };
        toml.push_str(&format!("[indicators.d{k}]\nunit = \"万元\"\nexpr = \"{prev} + gdp\"\n"));
    }
    std::fs::write(d.path().join("yearbook.toml"), &toml).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("indicators.d40: not computed: the process holds "), "{err}");
    assert!(
        err.contains(
            " MB, past its memory budget of 150 MB (limits.max_memory_mb; 0 is half the memory it may use), with the \
             derived indicators computed before it kept for the rules (8 MB each): raise limits.max_memory_mb, or narrow \
             the panel (fewer periods or regions)"
        ),
        "{err}"
    );
    // Within the budget the same run computes them all.
    std::fs::write(d.path().join("yearbook.toml"), toml.replace("max_memory_mb = 150", "max_memory_mb = 2000")).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
}

/// On many threads the budget stops the rule that holds the memory, not the rules that
/// happen to make a series beside it (a tester saw innocent rules stopped at 8 threads).
/// The time limit is raised: eight threads of busy rules on a loaded 2-core machine in a
/// debug build ran past the default 10 s, which is not what this test is about.
#[test]
fn the_memory_budget_stops_the_rule_that_holds_it_not_its_neighbours() {
    let d = tempfile::tempdir().unwrap();
    let mut regions = String::from("code,name,level,parent\nc,C,county,\n");
    for t in 0..10_000 {
        regions.push_str(&format!("t{t},T{t},town,c\n"));
    }
    std::fs::write(d.path().join("regions.csv"), regions).unwrap();
    std::fs::write(d.path().join("indicators.csv"), "code,label,unit\ngdp,GDP,万元\n").unwrap();
    // 100 years x 10,001 regions: one series is 8 MB.
    std::fs::write(d.path().join("facts.csv"), "region,year,indicator,value\nt0,1901,gdp,1\nt1,2000,gdp,2\n").unwrap();
    std::fs::write(
        d.path().join("lib.rhai"),
        "fn hog() { let a = []; for i in 0..1000 { a.push(fill(gdp, i)) } gdp > 0 }\n\
         fn busy() { let s = gdp; for i in 0..60 { s = fill(gdp, i); } s >= 0 }\n",
    )
    .unwrap();
    let mut toml = String::from(
        "scripts = [\"lib.rhai\"]\n[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[limits]\nmax_memory_mb = 300\n\
         timeout_ms = 300000\n[rules.hog]\nfunction = \"hog\"\n",
    );
    for k in 0..4 {
        toml.push_str(&format!("[rules.busy{k}]\nfunction = \"busy\"\n"));
    }
    std::fs::write(d.path().join("yearbook.toml"), toml).unwrap();
    for _ in 0..2 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yearbook"))
            .args(["run", "-c", "yearbook.toml", "--out", "out", "--format", "json", "--fail-on", "never"])
            .current_dir(d.path())
            .env("RAYON_NUM_THREADS", "8")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("error in rule hog: ") && err.contains("limits.max_memory_mb"), "{err}");
        assert!(!err.contains("error in rule busy"), "a rule holding two series was stopped: {err}");
    }
}

/// A total written as a chain of 100 `+` nests 100 deep: refused with the limit named and
/// the way out, `sum([...])` of the parts, which adds them as `+` does (units converted).
#[test]
fn a_long_chain_of_plus_names_its_limit_and_sum_of_parts_adds_them() {
    let d = towns(2, "code,unit\nx,万元\ny,亿元\n", "region,year,indicator,value\nt0,2020,x,1.5\nt0,2020,y,2\n", "");
    let ws = open(&d).unwrap();
    let chain = vec!["x"; 100].join(" + ");
    let e = ws.eval(&chain).err().expect("refused").to_string();
    assert!(
        e.contains(
            "the expression nests deeper than limits.max_expr_depth = 96 (each `+` of a long chain, each bracket and each call is one \
             level): write a long total as sum([a, b, c, ...]) of its parts"
        ),
        "{e}"
    );
    let total = |expr: &str| {
        let s = ws.eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).value.into_dynamic().cast::<yearbook::series::Series>();
        (s.get(1, 0), s.unit.symbol.to_string())
    };
    assert_eq!(total(&format!("sum([{}])", vec!["x"; 100].join(", "))), (150.0, "万元".to_string()));
    // 1.5 万元 + 2 亿元, as `x + y` gives it.
    assert_eq!(total("sum([x, y])"), total("x + y"));
    assert_eq!(total("sum([x, y])"), (20001.5, "万元".to_string()));
    let e = ws.eval("sum([])").err().expect("refused").to_string();
    assert!(e.contains("sum([]) has no parts to add: give at least one"), "{e}");
    // Text is no part: `+` would join it ("05" + 2 is "052").
    let e = ws.eval("sum([\"05\", 2])").err().expect("refused").to_string();
    assert!(e.contains("sum([...]) adds series and numbers; part 1 is the text \"05\""), "{e}");
}

/// A module that imports itself, or two that import each other, would be read inside its
/// own reading until the native stack overflowed (an abort, exit 134): refused, naming the
/// cycle; a chain of distinct modules still imports, and so does a module imported twice.
#[test]
fn an_import_cycle_is_an_error_naming_it() {
    let d = sample_copy(&[]);
    let scripts = d.path().join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    let w = |n: &str, t: &str| std::fs::write(scripts.join(n), t).unwrap();
    w("selfish.rhai", "import \"selfish\" as s;\nexport const S = 1;\n");
    w("a.rhai", "import \"b\" as b;\nexport const A = 1;\n");
    w("b.rhai", "import \"a\" as a;\nexport const B = 2;\n");
    w("c.rhai", "import \"d\" as d;\nexport const C = d::D + 1;\n");
    w("d.rhai", "export const D = 41;\n");
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("import \"selfish\" as s; s::S").err().expect("refused").to_string();
    assert!(e.contains("\"selfish\" is already being imported (an import cycle: selfish → selfish)"), "{e}");
    let e = ws.eval("import \"a\" as a; a::A").err().expect("refused").to_string();
    assert!(e.contains("(an import cycle: a → b → a); move what both modules need into a third module"), "{e}");
    // Inside a function a script calls, as an indicator's formula would.
    let e = ws.eval("fn f(v) { import \"b\" as b; v + b::B } f(1)").err().expect("refused").to_string();
    assert!(e.contains("(an import cycle: b → a → b)"), "{e}");
    let v = ws.eval("import \"c\" as c; import \"d\" as d; c::C + d::D").unwrap();
    assert_eq!(v.value.as_int(), Some(83));
}

/// eval's table and Markdown show a number as CSV reads it: 1e23 to 15 significant
/// digits (never its binary 99999999999999991611392), and the decimals `round` kept
/// (1.001, never 1); a long fraction with two decimals (four significant below 1). JSON
/// takes binary noise off as CSV does.
#[test]
fn eval_tables_show_big_numbers_and_kept_decimals() {
    let cfg = sample_config();
    let cfg = cfg.to_str().unwrap();
    for format in ["table", "md", "csv"] {
        for (expr, shown) in [
            ("1e23", "100000000000000000000000"),
            ("1.23e25", "12300000000000000000000000"),
            (r#"value(at(gdp, "dayun", "2008")) * 0 + 1e23"#, "100000000000000000000000"),
        ] {
            let (code, out, err) = cli(&["eval", "-c", cfg, "--format", format, expr]);
            assert_eq!(code, 0, "{format} {expr}: {err}");
            assert!(out.contains(shown) && !out.contains("99999999999999991611392"), "{format} {expr}: {out}");
        }
    }
    let (_, out, _) = cli(&["eval", "-c", cfg, "round(1.0005, 3)"]);
    assert_eq!(out, "1.001\n");
    // JSON as CSV: no binary noise (0.30000000000000004), every digit of a long figure.
    let (_, out, _) = cli(&["eval", "-c", cfg, "--format", "json", "[0.1 + 0.2, 6.0 / 44]"]);
    assert_eq!(out, "[\n  0.3,\n  0.13636363636363635\n]\n");
    let (_, out, _) = cli(&["eval", "-c", cfg, "1.0 / 3"]);
    assert_eq!(out, "0.3333\n");
    let (_, out, _) = cli(&["eval", "-c", cfg, "10.0 / 3"]);
    assert_eq!(out, "3.33\n");
    let (_, out, _) = cli(&["eval", "-c", cfg, "--format", "md", r#"round(in_period(only(gdp, "dayun"), 2008) * 1.0005, 3)"#]);
    assert!(out.contains("| 7.754 | 亿元 |"), "{out}");
}
