//! Ledger rows that are no records (section numbers alone in the 序号 column) and
//! columns of months compared with dates: the right figures, by hand.

use crate::common::close;

/// [`crate::figure_units::with_table`], opened.
fn with_table(projects: &str) -> (tempfile::TempDir, yearbook::Workspace) {
    let (dir, ws) = crate::figure_units::with_table(projects);
    (dir, ws.unwrap_or_else(|e| panic!("{e}")))
}

fn num(ws: &yearbook::Workspace, e: &str) -> f64 {
    let v = ws.eval(e).unwrap_or_else(|err| panic!("{e}: {err}")).value.into_dynamic();
    v.as_float().or_else(|_| v.as_int().map(|i| i as f64)).unwrap_or_else(|_| panic!("{e}: not a number: {v:?}"))
}

#[test]
fn section_numbers_alone_in_the_number_column_are_no_records() {
    // input21 06: 一 and 二 in 序号, the section's name and subtotal beside them, were
    // counted as projects: 5 records summing to 900 for 3 projects of 100 + 200 + 150.
    let (_d, ws) = with_table(
        "序号,项目名称,所属镇,总投资（万元）\n一,工业项目,,300\n1,甲厂,甲镇,100\n2,乙厂,乙镇,200\n二,基础设施项目,,150\n1,甲路,甲镇,150\n",
    );
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 450.0, 1e-12));
    assert!(close(num(&ws, "table(\"p\").mean(\"总投资（万元）\")"), 150.0, 1e-12));
    let w = ws.stats.warnings.join("\n");
    assert!(
        w.contains(
            "projects.csv:2: a section heading \"一 工业项目\" with its subtotals, left out of table `p`'s records (checked \
             against the sum of the 2 records below it: 总投资（万元） 300)"
        ),
        "{w}"
    );
    // Sections whose items are numbered （一）, （二）: 一 sums them, 二 has none.
    let (_d, ws) = with_table(
        "序号,项目名称,所属镇,总投资（万元）\n一,工业项目,,300\n（一）,甲厂,甲镇,100\n（二）,乙厂,乙镇,200\n二,农业项目,乙镇,50\n",
    );
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
    // review22 04: 第一部分 over 一 and 二 over records numbered （一）, （二）.
    let (_d, ws) = with_table(
        "序号,项目名称,所属镇,总投资（万元）\n第一部分,城建,,350\n一,工业项目,,300\n（一）,甲厂,甲镇,100\n（二）,乙厂,乙镇,200\n\
         二,农业,,50\n（一）,丙,乙镇,50\n",
    );
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
    // review22 01: records numbered 一, 二, 三 without a figure, or with no column of
    // figures at all, stay records.
    let (_d, ws) = with_table("序号,项目名称,所属镇,建设内容\n一,甲厂,甲镇,厂房\n二,乙厂,乙镇,道路\n三,丙厂,甲镇,仓库\n");
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    let (_d, ws) = with_table("序号,项目名称,所属镇,总投资（万元）\n一,甲厂,甲镇,100\n二,乙厂,乙镇,\n三,丙厂,甲镇,50\n");
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    // review22 02: a 组 number in a later column (merged 村名 cells left blank) is a
    // record's, whatever its figure.
    let (_d, ws) = with_table("村名,村民小组,组长,户数\n甲村,一,张三,30\n,二,李四,25\n,三,王五,20\n乙村,一,赵六,20\n,二,钱七,15\n");
    assert_eq!(num(&ws, "table(\"p\").count()"), 5.0);
    assert!(close(num(&ws, "table(\"p\").sum(\"户数\")"), 110.0, 1e-12));
    // Mixed brackets and 壹, 贰: sections too.
    let (_d, ws) = with_table(
        "序号,项目名称,所属镇,总投资（万元）\n（一）,工业项目,,300\n1,甲厂,甲镇,100\n2,乙厂,乙镇,200\n(二）,农业,,50\n1,丙,乙镇,50\n",
    );
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
    let (_d, ws) =
        with_table("序号,项目名称,所属镇,总投资（万元）\n壹,工业项目,,300\n1,甲厂,甲镇,100\n2,乙厂,乙镇,200\n贰,农业,,50\n1,丙,乙镇,50\n");
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
    // Records numbered 一, 二, 三 stay records; their 合计 is left out.
    let (_d, ws) = with_table("序号,项目名称,所属镇,总投资（万元）\n一,甲厂,甲镇,100\n二,乙厂,乙镇,200\n三,丙厂,甲镇,50\n,合计,,350\n");
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
}

#[test]
fn a_column_of_months_orders_as_months_against_dates() {
    // input21 09: 开工日期 holding months (2021-03, 2021年3月, 2021/3) compared with a date
    // as text: "2021-03" < "2021-03-01" and "2021年3月" > "2021-03-01". Started before
    // March: 乙路 alone, 200; from March on: 甲路 and 丙路, 500.
    for months in [["2021-03", "2021-02", "2021-03"], ["2021年3月", "2021年2月", "2021年3月"], ["2021/3", "2021/2", "2021/3"]] {
        let (_d, ws) = with_table(&format!(
            "项目名称,开工日期,金额（万元）\n甲路,{},100\n乙路,{},200\n丙路,{},400\n",
            months[0], months[1], months[2]
        ));
        let sum = |op: &str, d: &str| num(&ws, &format!("table(\"p\").filter(|p| p.开工日期 {op} \"{d}\").sum(\"金额（万元）\")"));
        assert!(close(sum("<", "2021-03-01"), 200.0, 1e-12), "{months:?}");
        assert!(close(sum(">=", "2021-03-01"), 500.0, 1e-12), "{months:?}");
        assert!(close(sum("<=", "2021-02-28"), 200.0, 1e-12), "{months:?}");
        assert!(close(sum(">", "2021-02-28"), 500.0, 1e-12), "{months:?}");
        assert!(close(sum(">=", "2021-03"), 500.0, 1e-12), "{months:?}");
        // A day inside a month: the month is read as all its days, wholly before the 15th
        // or not, with a note.
        let r = ws.eval("table(\"p\").filter(|p| p.开工日期 < \"2021-03-15\").sum(\"金额（万元）\")").unwrap();
        assert!(close(r.value.into_dynamic().as_float().unwrap(), 200.0, 1e-12), "{months:?}");
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("a month (2021-03) compared with a date inside it (2021-03-15) is read as all the month's days")),
            "{:?}",
            r.notes
        );
        // Equal to a month written otherwise matches no month: refused at the text.
        let e = ws.eval("table(\"p\").filter(|p| p.开工日期 == \"2021年3月\").count()").err().expect("refused").to_string();
        assert!(e.contains("\"2021年3月\" is compared as text") && e.contains("write \"2021-03\""), "{e}");
    }
    // review22 07: 待定 among the months, or months written 2021年3月份.
    let (_d, ws) = with_table("项目名称,开工日期,金额（万元）\n甲路,2021年3月份,100\n乙路,2021年2月份,200\n丙路,待定,400\n");
    let e = ws.eval("table(\"p\").filter(|p| p.开工日期 >= \"2021-03-01\").count()").err().expect("refused").to_string();
    assert!(e.contains("one text is a date and the other a word (待定), so they have no order"), "{e}");
    let kept = "table(\"p\").filter(|p| p.开工日期 != \"待定\" && p.开工日期 >= \"2021-03-01\").sum(\"金额（万元）\")";
    assert!(close(num(&ws, kept), 100.0, 1e-12));
    // review22 08: a column of dates against a month: on or after March is from its first
    // day, before April before its first, after February past its last, up to March to
    // its last. 2021-03-15 100, 2021-02-10 200, 2021-04-02 400.
    let (_d, ws) = with_table("项目名称,签约日期,金额（万元）\n甲路,2021-03-15,100\n乙路,2021-02-10,200\n丙路,2021-04-02,400\n");
    let sum = |op: &str, m: &str| num(&ws, &format!("table(\"p\").filter(|p| p.签约日期 {op} \"{m}\").sum(\"金额（万元）\")"));
    assert!(close(sum(">=", "2021-03"), 500.0, 1e-12));
    assert!(close(sum("<", "2021-04"), 300.0, 1e-12));
    assert!(close(sum(">", "2021-02"), 500.0, 1e-12));
    assert!(close(sum("<=", "2021-03"), 300.0, 1e-12));
    // A word beside the months (第二批, 待定) is no date either way; the months read as
    // months. A code that looks like one (2021/3 beside P-7) stays as written.
    let (_d, ws) = with_table("项目名称,开工日期,金额（万元）\n甲路,2021/3,100\n乙路,第二批,200\n");
    let v = ws.eval("table(\"p\").column(\"开工日期\")").unwrap().value.into_dynamic();
    assert_eq!(format!("{v:?}"), "[\"2021-03\", \"第二批\"]");
    let (_d, ws) = with_table("项目名称,开工日期,金额（万元）\n甲路,2021/3,100\n乙路,P-7,200\n");
    let v = ws.eval("table(\"p\").column(\"开工日期\")").unwrap().value.into_dynamic();
    assert_eq!(format!("{v:?}"), "[\"2021/3\", \"P-7\"]");
}

#[test]
fn an_outline_in_figures_heads_its_sections() {
    // review22 13: 1 工业项目 (300) over 1.1 甲厂 and 1.2 乙厂, 2 农业 (50) over 2.1 丙 were
    // five records summing to 700 for three projects of 100 + 200 + 50.
    let (_d, ws) = with_table(
        "序号,项目名称,所属镇,总投资（万元）\n1,工业项目,,300\n1.1,甲厂,甲镇,100\n1.2,乙厂,乙镇,200\n2,农业,,50\n2.1,丙,乙镇,50\n",
    );
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
    let w = ws.stats.warnings.join("\n");
    assert!(
        w.contains(
            "projects.csv:2: a section heading \"1 工业项目\" with its subtotals, left out of table `p`'s records (checked \
             against the sum of the 2 records below it: 总投资（万元） 300)"
        ),
        "{w}"
    );
    // A subtotal that is not its records' sum keeps the row, with a warning.
    let (_d, ws) = with_table("序号,项目名称,所属镇,总投资（万元）\n1,工业项目,,310\n1.1,甲厂,甲镇,100\n1.2,乙厂,乙镇,200\n");
    assert_eq!(num(&ws, "table(\"p\").count()"), 3.0);
    assert!(ws.stats.warnings.join("\n").contains("is not the sum of those records (300)"), "{:?}", ws.stats.warnings);
    // Projects numbered 1, 2, 3 are three projects.
    let (_d, ws) = with_table("序号,项目名称,所属镇,总投资（万元）\n1,甲厂,甲镇,100\n2,乙厂,乙镇,200\n3,丙,乙镇,50\n");
    assert!(close(num(&ws, "table(\"p\").sum(\"总投资（万元）\")"), 350.0, 1e-12));
}
