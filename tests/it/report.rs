//! The year-end report: the source's sentence reproduced from data, the HTML page
//! self-contained, and rendered by a real browser.

use crate::common::*;

fn report(ext: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("report.{ext}"));
    let (code, _, err) = cli(&["report", "-c", sample_config().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn economy_section_reproduces_the_source_sentence() {
    let md = report("md");
    let expected = "全镇共实现地区生产总值7.75亿元，同比增长18.14%；实现财政总收入6500万元，同比增长28.2%，其中地方财政收入2400万元，同比增长25.39%；完成全社会固定资产总投资4.1亿元，同比增长22%，其中工业生产性投入3.7亿元，同比增长32%；合同利用外资2200万美元以上，超额完成县下达任务；实到外资1641万美元，完成县下达任务149%；";
    assert!(md.contains(expected), "{md}");
    assert!(md.contains("外贸出口0.9亿美元，同比增长4%"));
    assert!(md.contains("非农人口2564人，同比增长9.53%"), "growth computed from 2007 and 2008 values");
    assert!(md.contains("全年维护建设总投资约4100万元"));
    // One town in its county: no 1/1 rank.
    assert!(md.contains("| 地区生产总值 | 7.75（预计） | 亿元 | 18.14% | — |"), "{md}");
    assert!(md.contains("### 说明（2）") && md.contains("推算县下达任务为1101.34万美元"));
    assert!(md.contains("大云镇2008年主要指标与数据核查结果。"), "{md}");
    // No chart markup in Markdown.
    assert!(!md.contains("<svg"));
}

#[test]
fn run_writes_the_report_beside_the_findings() {
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) =
        cli(&["run", "-c", sample_config().to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--format", "json,md,html"]);
    assert_eq!(code, 0, "{err}");
    for f in ["findings.json", "summary.md", "report.md", "report.html"] {
        assert!(out.path().join(f).is_file(), "{f}");
    }
    assert_eq!(std::fs::read_to_string(out.path().join("report.md")).unwrap(), report("md"), "same report from run and report");
}

#[test]
fn html_is_one_self_contained_page_with_charts() {
    let html = report("html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<h1>大云镇2008年工作总结（数据版）</h1>"));
    // Trend and shares; no bar chart comparing 大云镇 with itself (it has no sibling towns).
    assert_eq!(html.matches("<svg").count(), 2, "trend, shares");
    assert!(!html.contains("同级乡镇比较"));
    assert!(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"), "nothing fetched from the network");
    assert!(html.contains("<style>"));
    assert!(html.contains("非农人口（人）") && html.contains("列明项目投资按类别"));
}

#[test]
fn template_errors_name_the_file_and_line() {
    let d = sample_copy(&[]);
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    for f in ["economy.md", "infrastructure.md"] {
        std::fs::copy(root().join("config/dayun/report").join(f), d.path().join("report").join(f)).unwrap();
    }
    std::fs::write(d.path().join("report/economy.md"), "## 一\n\n地区生产总值{{ amount(\"gpd\") }}\n").unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) = cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("report/economy.md:3: report template: ") && err.contains("unknown indicator `gpd`; did you mean `gdp`?"),
        "{err}"
    );
}

/// A template function's decimals that are no whole number from 0 to 20 are refused with
/// the call they were given to (minijinja said "cannot convert number to usize"); a whole
/// number written `1.0` is one decimal: 7.75亿元 at one decimal is 7.8亿元 (四舍五入).
#[test]
fn template_decimals_name_the_call_and_the_fix() {
    let d = sample_copy(&[]);
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    for f in ["economy.md", "infrastructure.md"] {
        std::fs::copy(root().join("config/dayun/report").join(f), d.path().join("report").join(f)).unwrap();
    }
    let render = |line: &str| {
        std::fs::write(d.path().join("report/economy.md"), format!("## 一\n\n{line}\n")).unwrap();
        let out = d.path().join("r.md");
        let (code, _, err) = cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
        (code, err, std::fs::read_to_string(&out).unwrap_or_default())
    };
    for (call, shown) in [
        ("amount(\"gdp\", 2.5)", "amount(\"gdp\", 2.5)"),
        ("growth(\"gdp\", \"2\")", "growth(\"gdp\", '2')"),
        ("fmt(1.5, -1)", "fmt(1.5, -1)"),
        ("ranking(\"gdp\", 21)", "ranking(\"gdp\", 21)"),
    ] {
        let (code, err, _) = render(&format!("{{{{ {call} }}}}"));
        assert_eq!(code, 2, "{call}: {err}");
        let v = &shown[shown.rfind(", ").unwrap() + 2..shown.len() - 1];
        assert!(
            err.contains(&format!(
                "report/economy.md:3: report template: {shown}: the number of decimals must be a whole number from 0 to 20, not {v}"
            )),
            "{call}: {err}"
        );
    }
    let (code, err, text) = render("{{ amount(\"gdp\", 1.0) }}，{{ fmt(1.25, 1) }}");
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("7.8亿元，1.3"), "{text}");
}

/// Renders the HTML report in headless Chromium and checks what a reader sees:
/// the headings, and that every chart is a non-empty SVG.
#[test]
fn report_renders_in_a_real_browser() {
    if browser().is_none() {
        eprintln!("skipped: no chromium installed (.ci/run installs Debian's chromium)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, report("html")).unwrap();
    let profile = dir.path().join("profile");
    let chromium = || headless(&profile).expect("chromium is installed");
    // The page's DOM after rendering: headings and SVGs.
    let out = chromium().arg("--dump-dom").arg(format!("file://{}", page.display())).output().unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<h2>一、主要经济指标</h2>")
            && dom.contains("<h2>二、基础设施与项目建设</h2>")
            && dom.contains("<h2>附录：数据核查</h2>"),
        "{dom}"
    );
    let svgs: Vec<&str> = dom.split("<svg").skip(1).map(|s| s.split("</svg>").next().unwrap_or("")).collect();
    assert_eq!(svgs.len(), 2, "trend and shares (no single-town comparison)");
    for s in svgs {
        assert!(s.contains("<rect") || s.contains("<circle"), "an empty chart: {s}");
    }
    let shot = dir.path().join("shot.png");
    let out = chromium()
        .args(["--hide-scrollbars", "--window-size=1000,1800"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(shot.is_file() && std::fs::metadata(&shot).unwrap().len() > 10_000, "screenshot: {}", String::from_utf8_lossy(&out.stderr));
    if std::env::var_os("YEARBOOK_BLESS").is_some() {
        std::fs::copy(&shot, root().join("docs/report.png")).unwrap();
    }
}

#[test]
fn a_county_report_shows_the_figures_rolled_up_from_its_towns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("county.md");
    let (code, _, err) = cli(&["report", "-c", sample_config().to_str().unwrap(), "--region", "jiashan", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out).unwrap();
    assert!(md.contains("嘉善县2008年主要指标与数据核查结果。"), "{md}");
    // The town's figure is an estimate (flag `estimate`): so is the county's made of it.
    assert!(md.contains("| 地区生产总值 | 7.75（预计） | 亿元 | — |"), "the county's GDP is its town's: {md}");
    // The data starts in 2008: no total a year earlier, so no town entered one (it said
    // 统计范围变化（大云镇2008年起纳入），与上年不可比).
    assert!(md.contains("地区生产总值7.75亿元，暂无上年同期数据；"), "{md}");
    assert!(!md.contains("统计范围变化") && !md.contains("不可比"), "{md}");
}

#[test]
fn the_validation_appendix_and_colophon() {
    let cfg = std::fs::read_to_string(sample_config())
        .unwrap()
        .replace("[report]", "[report]\nprepared_by = \"大云镇统计站\"\nsource = \"大云镇2008年终工作总结\"\ndate = \"2009年1月5日\"");
    let d = sample_copy(&[("yearbook.toml", cfg.as_bytes())]);
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.trim_end().ends_with("制表单位：大云镇统计站　数据来源：大云镇2008年终工作总结　生成日期：2009年1月5日"), "{md}");
    // Per rule: its description, severity in words and the pass rate of evaluated cells.
    assert!(md.contains("| 规模以上工业产值不超过工业总产值 | 错误 | 1 | 100% | 0 | 0 | 0 |  |"), "{md}");
    let html = d.path().join("r.html");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("<span class=\"sev-error\">错误</span>") && html.contains("@page{size:A4"), "print setup and severity colours");
}

#[test]
fn run_writes_the_built_in_report_without_a_report_section() {
    let cfg = std::fs::read_to_string(sample_config()).unwrap();
    let cut = cfg.find("[report]").unwrap();
    let d = sample_copy(&[("yearbook.toml", &cfg.as_bytes()[..cut])]);
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "md", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("out/report.md")).unwrap();
    assert!(md.contains("## 主要指标") && md.contains("## 附录：数据核查"), "{md}");
}

/// A template comparing a code column with a number (`r.village_code == 1`, `selectattr(
/// "village_code", "equalto", 1)`) over the codes 01, 1 and 10 matched both 01 and 1
/// (130 for 30, p1 and p2 for p2): refused, as scripts refuse it; `== "1"` picks the one.
#[test]
fn a_template_comparing_a_code_with_a_number_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| {
        std::fs::create_dir_all(d.path().join(n).parent().unwrap()).unwrap();
        std::fs::write(d.path().join(n), t).unwrap()
    };
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,110\n");
    w("projects.csv", "id,village_code,investment_wan_yuan,item\np1,01,100,1.1\np2,1,30,1.2\np3,10,50,1.10\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\nprojects = \"projects.csv\"\n\
         [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n",
    );
    let out = d.path().join("r.md");
    let render = |line: &str| {
        w("report/main.md", &format!("{line}\n"));
        let _ = std::fs::remove_file(&out);
        let (code, _, err) = cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
        (code, err, std::fs::read_to_string(&out).unwrap_or_default())
    };
    for line in [
        "{{ rows(\"projects\") | selectattr(\"village_code\", \"equalto\", 1) | map(attribute=\"investment_wan_yuan\") | sum }}",
        "{% for r in rows(\"projects\") if r.village_code == 1 %}{{ r.id }} {% endfor %}",
    ] {
        let (code, err, _) = render(line);
        assert_eq!(code, 2, "{line}: {err}");
        assert!(
            err.contains("cannot compare the number 1 with the text \"01\" using `==`: a leading zero makes it a code, not a number"),
            "{line}: {err}"
        );
    }
    let (code, err, _) = render("{% for r in rows(\"projects\") if r.item == 1.1 %}{{ r.id }} {% endfor %}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a zero ending its digits after the point makes it a code or a spelling"), "{err}");
    let (code, err, md) = render(
        "{{ rows(\"projects\") | selectattr(\"village_code\", \"equalto\", \"1\") | map(attribute=\"investment_wan_yuan\") | sum }}",
    );
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("30"), "{md}");
}

#[test]
fn ledger_codes_print_as_their_declared_labels() {
    let md = report("md");
    assert!(md.contains("| 延伸云寺路 | 道路 | 125 | 已完成 |"), "{md}");
    assert!(md.contains("| 镇商会大楼 | 公共建筑 | 250 | 已开工 |"), "{md}");
    assert!(!md.contains("| road |"), "{md}");
}

/// A template that filters a ledger by a code `[report.labels]` labels (`"road"`) is
/// refused at its line, naming the label to write: rows() gives the cells their labels,
/// so `selectattr("category", "equalto", "road")` matched nothing and the section said
/// 道路项目投资0万元 without a word. Written with the label, it sums the road projects
/// (125万元, as `table("projects").filter(|p| p.category == "road")` gives).
#[test]
fn a_template_comparing_a_labelled_column_with_its_code_is_refused() {
    let d = sample_copy(&[]);
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    for f in ["economy.md", "infrastructure.md"] {
        std::fs::copy(root().join("config/dayun/report").join(f), d.path().join("report").join(f)).unwrap();
    }
    let section = |what: &str| {
        format!(
            "## 项目\n\n道路项目投资{{{{ rows(\"projects\") | selectattr(\"category\", \"equalto\", \"{what}\") | sum(attribute=\"investment_wan_yuan\") }}}}万元\n"
        )
    };
    let cfg = d.path().join("yearbook.toml");
    let out = d.path().join("r.md");
    std::fs::write(d.path().join("report/infrastructure.md"), section("road")).unwrap();
    let (code, _, err) = cli(&["report", "-c", cfg.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "report/infrastructure.md:3: report template: \"road\" is a code of column `category`, but rows() gives that \
             column's cells their labels from [report.labels.category] (\"road\" is \"道路\"), so a comparison with \"road\" \
             matches no row: write \"道路\""
        ),
        "{err}"
    );
    std::fs::write(d.path().join("report/infrastructure.md"), section("道路")).unwrap();
    let (code, _, err) = cli(&["report", "-c", cfg.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("道路项目投资125万元"), "{md}");
}

/// The parts of a .docx (a zip package): word/document.xml's text and the media files.
#[cfg(feature = "docx")]
fn docx_parts(bytes: &[u8]) -> (String, Vec<(String, Vec<u8>)>) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip package");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
    let mut media = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        if name.starts_with("word/media/") {
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            media.push((name, b));
        }
    }
    (xml, media)
}

/// The text of each paragraph styled `style` (Heading1, Heading2, ...) in document.xml.
#[cfg(feature = "docx")]
fn styled_paragraphs(xml: &str, style: &str) -> Vec<String> {
    let marker = format!("<w:pStyle w:val=\"{style}\" />");
    xml.split("<w:p ").filter(|p| p.contains(&marker)).map(texts).collect()
}

/// The text of the `<w:t>` elements in a piece of WordprocessingML, joined.
#[cfg(feature = "docx")]
fn texts(xml: &str) -> String {
    xml.split("<w:t")
        .skip(1)
        .filter(|t| t.starts_with('>') || t.starts_with(' '))
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest.split("</w:t>").next().unwrap_or("")))
        .collect()
}

/// The sample report as Word: the same headings as the HTML page, the indicator table as a
/// real Word table (header cells, a known figure right-aligned), charts as PNG images.
#[cfg(feature = "docx")]
#[test]
fn docx_has_the_headings_a_table_and_chart_images() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.docx");
    let (code, _, err) = cli(&["report", "-c", sample_config().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&out).unwrap();
    let (xml, media) = docx_parts(&bytes);
    assert_eq!(styled_paragraphs(&xml, "Heading1"), ["大云镇2008年工作总结（数据版）"]);
    assert_eq!(
        styled_paragraphs(&xml, "Heading2"),
        ["一、主要经济指标", "二、基础设施与项目建设", "三、工作亮点", "四、存在问题", "主要指标", "附录：数据核查"]
    );
    assert!(texts(&xml).contains("全镇共实现地区生产总值7.75亿元，同比增长18.14%"), "the economy paragraph");
    // The indicator table: a Word table whose first row holds the header cells.
    let table = xml
        .split("<w:tbl>")
        .map(|t| t.split("</w:tbl>").next().unwrap_or(""))
        .find(|t| texts(t).contains("在同级地区中位次"))
        .expect("the indicator table");
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    let header: Vec<String> = rows[0].split("<w:tc>").skip(1).map(texts).collect();
    assert_eq!(header, ["指标", "数值", "单位", "同比", "在同级地区中位次"]);
    let gdp = rows.iter().find(|r| texts(r).starts_with("地区生产总值")).expect("the GDP row");
    let cells: Vec<&str> = gdp.split("<w:tc>").skip(1).collect();
    assert_eq!(texts(cells[1]), "7.75（预计）");
    assert!(cells[1].contains("<w:jc w:val=\"right\" />"), "numbers right-aligned: {}", cells[1]);
    // A count of five digits is grouped in the table, as in the Markdown and HTML.
    assert!(rows.iter().any(|r| texts(r) == "新增小康住宅面积24,525平方米——"), "grouped 24,525");
    // Charts: the trend and the shares, as PNG images of real size.
    let pngs: Vec<&(String, Vec<u8>)> = media.iter().filter(|(n, _)| n.ends_with(".png")).collect();
    assert_eq!(pngs.len(), 2, "trend and shares: {:?}", media.iter().map(|m| &m.0).collect::<Vec<_>>());
    for (name, b) in pngs {
        assert!(b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() > 10_000, "{name}: {} bytes", b.len());
    }
    assert!(xml.contains("<w:drawing>"), "images placed in the text");
    // A4 and page numbers in the footer.
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\""), "A4");
    let mut footer = String::new();
    use std::io::Read;
    zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap().by_name("word/footer1.xml").unwrap().read_to_string(&mut footer).unwrap();
    assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"), "{footer}");
}

/// `run --format docx` writes report.docx in the same output set, and the colophon lines
/// end the document.
#[cfg(feature = "docx")]
#[test]
fn run_writes_report_docx_with_the_colophon() {
    let cfg = std::fs::read_to_string(sample_config())
        .unwrap()
        .replace("[report]", "[report]\nprepared_by = \"大云镇统计站\"\nsource = \"大云镇2008年终工作总结\"\ndate = \"2009年1月5日\"");
    let d = sample_copy(&[("yearbook.toml", cfg.as_bytes())]);
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out", "--format", "json,docx", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(d.path().join("out/report.docx")).unwrap();
    let (xml, _) = docx_parts(&bytes);
    let all = texts(&xml);
    assert!(
        all.ends_with("制表单位：大云镇统计站数据来源：大云镇2008年终工作总结生成日期：2009年1月5日"),
        "{}",
        &all[all.len().saturating_sub(300)..]
    );
    assert!(d.path().join("out/findings.json").is_file());
}

/// Counts of five digits and more: grouped in tables, scaled to 万 from 10万 in sentences.
#[test]
fn counts_are_grouped_in_tables_and_scaled_in_sentences() {
    let facts = std::fs::read_to_string(root().join("config/dayun/facts.csv"))
        .unwrap()
        .replace("dayun,2008,non_agricultural_population,2564", "dayun,2008,non_agricultural_population,123456");
    assert!(facts.contains("123456"), "the sample's 2008 non-agricultural population row");
    let d = sample_copy(&[("facts.csv", facts.as_bytes())]);
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("非农人口12.35万人，"), "a sentence scales: {md}");
    assert!(md.contains("| 非农人口 | 123,456 | 人 |"), "a table groups: {md}");
    assert!(md.contains("新增小康住宅面积24525平方米"), "below 10万 a sentence keeps the digits: {md}");
    assert!(md.contains("| 新增小康住宅面积 | 24,525 | 平方米 |"), "{md}");
}

/// The .docx opens in a real office suite: LibreOffice converts it to a PDF whose text
/// has the headings and a grouped figure (skipped where LibreOffice is not installed;
/// docs/report.md says how the screenshot there is made from that PDF).
#[cfg(feature = "docx")]
#[test]
fn docx_opens_in_libreoffice() {
    let runs = |b: &str, arg: &str| std::process::Command::new(b).arg(arg).output().is_ok_and(|o| o.status.success());
    let Some(office) = ["soffice", "libreoffice"].into_iter().find(|b| runs(b, "--version")) else {
        eprintln!("skipped: no LibreOffice installed (apt-get install libreoffice-writer-nogui)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("report.docx");
    let (code, _, err) = cli(&["report", "-c", sample_config().to_str().unwrap(), "-o", docx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let out = std::process::Command::new(office)
        .arg(format!("-env:UserInstallation=file://{}", dir.path().join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .unwrap();
    let pdf = dir.path().join("report.pdf");
    assert!(pdf.is_file(), "LibreOffice did not convert it: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 50_000, "{} bytes", bytes.len());
    if runs("pdftotext", "-v") {
        let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        for want in ["一、主要经济指标", "附录：数据核查", "24,525", "第 1 页，共"] {
            assert!(text.contains(want), "{want} in the PDF's text: {text}");
        }
    }
}

#[test]
fn a_county_with_its_own_gdp_shows_ratios_over_that_gdp() {
    // The county reports its own GDP (80 亿元, not its towns' 33 + 44 = 77) but no
    // population or industry: those are its towns' (15.7 万人, 12 + 11 = 23 亿元). The
    // ratios (and any formula) in the same table must use the GDP the table shows:
    // 人均GDP = 80e8 / 15.7e4 = 50,955.41 元/人; 工业占比 = 23 / 80 = 28.75 %.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,一镇,town,c\nt2,二镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\npop,人口,万人,stock,sum\ngdp,GDP,亿元,flow,sum\nind,工业增加值,亿元,flow,sum\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2024,pop,5.2\nt2,2024,pop,10.5\nt1,2024,gdp,33\nt2,2024,gdp,44\nt1,2024,ind,12\nt2,2024,ind,11\nc,2024,gdp,80\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2024\"\nregion=\"c\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[indicators.gdp_pc]\nlabel=\"人均GDP\"\nunit=\"元/人\"\nexpr=\"per_capita(gdp, pop)\"\n\
         [indicators.ind_share]\nlabel=\"工业占比\"\nunit=\"%\"\nexpr=\"pct(share(ind, gdp))\"\n\
         [indicators.rest]\nlabel=\"非工业\"\nexpr=\"gdp - ind\"\n",
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("| GDP | 80 | 亿元 |"), "{md}");
    assert!(md.contains("| 人口 | 15.7 | 万人 |"), "{md}");
    assert!(md.contains("| 人均GDP | 50,955.41 | 元/人 |"), "{md}");
    assert!(md.contains("| 工业占比 | 28.75 | % |"), "{md}");
    // A difference too: 80 - 23 = 57, not the towns' 77 - 23 = 54.
    assert!(md.contains("| 非工业 | 57 | 亿元 |"), "{md}");
}

#[test]
fn a_county_growth_across_a_town_that_enters_says_it_is_on_a_comparable_basis() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,100\nt2,2020,gdp,100\nt1,2021,gdp,110\nt2,2021,gdp,110\nt3,2021,gdp,300\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"c1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[report]\ntemplates=\"report\"\nsections=[\"main\"]\n",
    );
    std::fs::create_dir(d.path().join("report")).unwrap();
    w("report/main.md", "全县GDP{{ amount(\"gdp\") }}，{{ growth(\"gdp\") }}。\n");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    // 520 / 200 - 1 would be 160%; over the two towns in both years it is 220 / 200 - 1.
    assert!(md.contains("全县GDP520万元，同比增长10%（按可比口径计算，丙镇2021年起纳入）。"), "{md}");
    // Two towns entering are both named (it named the first only).
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\nt4,丁镇,town,c1\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,gdp,100\nt2,2020,gdp,100\nt1,2021,gdp,110\nt2,2021,gdp,110\nt3,2021,gdp,300\nt4,2021,gdp,5\n",
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("全县GDP525万元，同比增长10%（按可比口径计算，丙镇、丁镇2021年起纳入）。"), "{md}");
}

#[test]
fn a_report_table_gives_the_growth_on_the_comparable_basis_its_sentences_give() {
    // 甲镇 and 乙镇 grow 10% (110 -> 121); 丙镇 enters in 2021 with 300. The county's
    // totals 220 and 542 would say 146.36%; the table, like the sentences, says 10%, in
    // 万元 and for an indicator declared in 亿元 alike.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2020,gdp,110\nt2,2020,gdp,110\nt1,2021,gdp,121\nt2,2021,gdp,121\nt3,2021,gdp,300\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"c1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[indicators.county_gdp_yi]\nlabel=\"全县生产总值\"\nunit=\"亿元\"\nexpr='rollup(gdp, \"county\")'\n\
         [report]\ntemplates=\"report\"\nsections=[\"main\", \"indicators\"]\n",
    );
    std::fs::create_dir(d.path().join("report")).unwrap();
    w("report/main.md", "全县GDP{{ growth(\"gdp\") }}；以亿元计{{ growth(\"county_gdp_yi\") }}。\n");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(
        md.contains("全县GDP同比增长10%（按可比口径计算，丙镇2021年起纳入）；以亿元计同比增长10%（按可比口径计算，丙镇2021年起纳入）。"),
        "{md}"
    );
    assert!(md.contains("| 地区生产总值 | 542 | 万元 | 10%（可比口径） | — |"), "{md}");
    assert!(md.contains("| 全县生产总值 | 0.05 | 亿元 | 10%（可比口径） | — |"), "{md}");
}

#[test]
fn a_formula_over_the_figures_a_county_shows_keeps_the_comparable_basis() {
    // The county reports its own population, not its GDP: a formula over both is taken
    // over what the table shows, its GDP rolled up from the towns. 丙镇 enters in 2021:
    // the growth of that GDP is 10% over 甲镇 and 乙镇, never 542 / 220 - 1 = 146.36%.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\npop,人口,万人,stock,sum\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,gdp,110\nt2,2020,gdp,110\nt1,2021,gdp,121\nt2,2021,gdp,121\nt3,2021,gdp,300\n\
         c1,2020,pop,10\nc1,2021,pop,10\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"c1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[indicators.gdp_g]\nlabel=\"GDP增速\"\nunit=\"%\"\nexpr='pct(yoy(gdp)) * pop / pop'\n\
         [report]\ntemplates=\"report\"\nsections=[\"main\", \"indicators\"]\n",
    );
    std::fs::create_dir(d.path().join("report")).unwrap();
    w("report/main.md", "全县GDP{{ amount(\"gdp\") }}。\n");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("| GDP增速 | 10 | % |"), "{md}");
}

/// A county without figures of its own under two towns: 甲镇 GDP 1000 万元 and fiscal
/// revenue 4.4 万元, 乙镇 3000 and 13.3; the share is written `round(..., 1)`.
fn county_of_two_towns() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,万元,flow,sum\nfiscal,财政收入,万元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,1000\nt1,2021,fiscal,4.4\nt2,2021,gdp,3000\nt2,2021,fiscal,13.3\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"c1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[indicators.fiscal_ratio]\nlabel=\"财政收入占GDP比重\"\nexpr=\"round(fiscal / gdp * 100, 1)\"\n",
    );
    d
}

#[test]
fn a_rounded_ratio_rolled_up_to_the_county_is_rounded_too() {
    // The towns' shares are 0.44 and 0.4433, rounded to 0.4; the county's, recomputed
    // from its towns' sums, is 17.7 / 4000 * 100 = 0.4425: it was shown unrounded (0.44).
    let d = county_of_two_towns();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(value(&ws, "at(fiscal_ratio, \"t2\", 2021)"), 0.4);
    assert_eq!(value(&ws, "value(rollup(fiscal_ratio, \"county\"))"), 0.4);
    let node = yearbook::explain::explain(&ws, &mut yearbook::Bindings::new(), "fiscal_ratio", "c1", "2021").unwrap();
    assert_eq!(node.value, "0.4 (rolled up from its town figures, as the report shows it)");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    // `* 100` in the formula: in % (0.4%), as a rule's values are read.
    assert!(md.contains("| 财政收入占GDP比重 | 0.4 | % |"), "{md}");
}

#[test]
fn explain_shows_a_county_figure_rolled_up_as_the_report_does() {
    // The report shows the county's GDP as its towns' 1000 + 3000; explain printed —.
    let d = county_of_two_towns();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let node = yearbook::explain::explain(&ws, &mut yearbook::Bindings::new(), "gdp", "c1", "2021").unwrap();
    assert_eq!(
        yearbook::explain::render(&node, "某县", "2021"),
        "某县 2021\n\
         gdp            = 4000万元 (rolled up from its town figures, as the report shows it)\n\
         ├─ gdp @ 甲镇  = 1000万元\n\
         └─ gdp @ 乙镇  = 3000万元\n"
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(d.path().join("r.md")).unwrap().contains("| 地区生产总值 | 4000 | 万元 |"));
    // A town's own figure is shown as it is.
    let node = yearbook::explain::explain(&ws, &mut yearbook::Bindings::new(), "gdp", "t1", "2021").unwrap();
    assert_eq!(node.value, "1000万元");
}

#[test]
fn a_rate_or_share_without_a_unit_never_changes_by_a_growth() {
    // A share's relative change (同比增长9.09%) is no figure a bulletin gives.
    // - share(local_rev, total_rev), no unit: a fraction by definition, 2000/5000 = 0.4 ->
    //   2400/5500 = 0.43636: shown 43.64%, 提高3.64个百分点; so is local_rev / total_rev
    //   labelled 占比.
    // - 失业率 declared kind = rate, no unit, 3.2 -> 4: percentages without their sign
    //   (no fraction of a whole exceeds 1): 提高0.8个百分点.
    // - 森林覆盖率 declared kind = rate, no unit, 0.352 -> 0.364: a fraction or a small
    //   percentage, unknown, so the change is said by the two values.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup\ncover,森林覆盖率,,rate,none\njobless,城镇登记失业率,,rate,none\nurb,城镇化率,%,rate,none\n\
         local_rev,地方财政收入,万元,flow,sum\ntotal_rev,财政总收入,万元,flow,sum\n",
    );
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,cover,0.352\nt1,2021,cover,0.364\nt1,2020,jobless,3.2\nt1,2021,jobless,4\n\
         t1,2020,urb,52.3\nt1,2021,urb,55.1\nt1,2020,local_rev,2000\nt1,2020,total_rev,5000\nt1,2021,local_rev,2400\nt1,2021,total_rev,5500\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"t1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[indicators.lshare]\nlabel=\"地方财政收入比重\"\nexpr=\"share(local_rev, total_rev)\"\n\
         [indicators.lratio]\nlabel=\"地方财政收入占比\"\nexpr=\"local_rev / total_rev\"\n\
         [indicators.multiple]\nlabel=\"财政总收入是地方的倍数\"\nexpr=\"total_rev / local_rev\"\n\
         [report]\ntemplates=\"report\"\nsections=[\"main\",\"indicators\"]\n",
    );
    std::fs::create_dir(d.path().join("report")).unwrap();
    w(
        "report/main.md",
        "{% for c in [\"cover\", \"jobless\", \"urb\", \"lshare\", \"lratio\", \"multiple\"] %}{{ amount(c) }} {{ growth(c) }}\n{% endfor %}",
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    for line in [
        "0.36 同比由0.35提高至0.36\n",
        "4 同比提高0.8个百分点\n",
        "55.1% 同比提高2.8个百分点\n",
        "43.64% 同比提高3.64个百分点\n43.64% 同比提高3.64个百分点\n",
        // A multiple is no share: 2.5 -> 2.29, a growth of -8.33%.
        "2.29 同比下降8.33%\n",
        "| 森林覆盖率 | 0.36 |  | 由0.35升至0.36 |",
        "| 地方财政收入比重 | 43.64 | % | 3.64个百分点 |",
    ] {
        assert!(md.contains(line), "want {line:?} in\n{md}");
    }
    assert!(!md.contains("3.41%") && !md.contains("9.09%") && !md.contains("25%"), "{md}");
    // `check` says how to get the change in points.
    let (code, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: indicator `cover` (森林覆盖率) is kind = rate but has no unit: the report cannot tell a fraction (0.352) from a \
             percentage without its sign (35.2), so it says the change in 百分点 only where both values are above 1, else by \
             its two values (由0.35提高至0.36); write its unit in indicators.csv, % or ‰, for the change in 百分点 (提高1.2个百分点), with the \
             figures as percentages (35.2, not 0.352)"
        ),
        "{err}"
    );
}

#[test]
fn templates_print_figures_without_noise_and_rates_change_in_points() {
    // gdp 1.5 -> 1.8 亿元: (1.8 / 1.5 - 1) * 100 = 19.999999999999996 in binary, 20 by hand;
    // 城镇化率 50% -> 52.5%: yoy is the change in points, 2.5 (its relative change, 5, is
    // no figure a bulletin gives); 居民消费价格指数 (上年=100) 102 -> 103.5: 1.5.
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\nurb,城镇化率,%,rate,none\ncpi,居民消费价格指数,上年=100,rate,none\n",
    );
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2020,gdp,1.5\nt1,2021,gdp,1.8\nt1,2020,urb,50\nt1,2021,urb,52.5\nt1,2020,cpi,102\nt1,2021,cpi,103.5\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"t1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[report]\ntemplates=\"report\"\nsections=[\"main\"]\n",
    );
    std::fs::create_dir(d.path().join("report")).unwrap();
    w(
        "report/main.md",
        "{{ yoy(\"gdp\") }} | {{ value(\"gdp\") - 1.5 }} | {{ [value(\"gdp\") - 1.5] }} | {{ \"%s\" | format(0.1 + 0.2) }} | \
         {{ yoy(\"urb\") }} | {{ indicators.urb.yoy }} | {{ yoy(\"cpi\") }}\n",
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("20 | 0.3 | [0.3] | 0.3 | 2.5 | 2.5 | 1.5\n"), "{md}");
    // The report's text `period` compared with a number is refused at its line.
    w("report/main.md", "一\n{% if period == 2021 %}A{% else %}B{% endif %}\n");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("report/main.md:2: report template: `period == 2021` compares the report's `period`, which is text, with a number"),
        "{err}"
    );
}

#[test]
fn a_facts_qualifier_shows_in_the_report_in_either_language_with_its_mark() {
    // The flag column's word and the mark read off the figure are both kept (`3.2*` with
    // flag approximate is "approximate *"); offices write the word in Chinese (约, 估计).
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value,flag\nt1,2010,gdp,1,约\nt1,2015,gdp,2,估计\nt1,2020,gdp,3.2*,approximate\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nregion=\"t1\"\n[data]\nregions=\"regions.csv\"\nindicators=\"indicators.csv\"\n\
         [[data.facts]]\nfile=\"facts.csv\"\n[report]\ntemplates=\"report\"\nsections=[\"main\"]\n",
    );
    std::fs::create_dir(d.path().join("report")).unwrap();
    w("report/main.md", "{{ amount_flagged(\"gdp\") }}\n{{ indicator_table([\"gdp\"]) }}\n");
    for (period, prose, cell) in
        [("2010", "约1亿元", "| 1（约） |"), ("2015", "2亿元（预计）", "| 2（预计） |"), ("2020", "约3.2亿元", "| 3.2（约）* |")]
    {
        let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "--period", period, "-o", "r.md"]);
        assert_eq!(code, 0, "{err}");
        let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
        assert!(md.contains(prose) && md.contains(cell), "{period}: want {prose} and {cell} in\n{md}");
    }
}

/// The report of the workspace in `d` (its yearbook.toml written) with `template` as
/// its one section, report/main.md: exit code, the report, stderr.
fn report_in(d: &tempfile::TempDir, template: &str) -> (i32, String, String) {
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    std::fs::write(d.path().join("report/main.md"), template).unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) = cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    (code, std::fs::read_to_string(out).unwrap_or_default(), err)
}

/// A county of four towns (甲 2.675, 乙 2.68, 丙 2.6750000000000001, 丁 2.6749999999 亿元
/// in 2021; 甲 has no 2021 figure of `late`) and a report on `region` of `template`.
fn ranked_county(region: &str, template: &str) -> (i32, String, String) {
    let d = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(d.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\nt3,丙镇,town,c1\nt4,丁镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ngdp,地区生产总值,亿元,flow,sum,\nlate,工业产值,亿元,flow,sum,\n");
    w(
        "facts.csv",
        "region,year,indicator,value\nt1,2021,gdp,2.675\nt2,2021,gdp,2.68\nt3,2021,gdp,2.6750000000000001\nt4,2021,gdp,2.6749999999\n\
         t1,2020,late,1.5\nt2,2020,late,2\nt2,2021,late,2.2\nt3,2021,late,1\nt4,2021,late,3\n",
    );
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"{region}\"\n\
             [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [indicators.gl]\nlabel = \"最新工业产值\"\nunit = \"亿元\"\nexpr = \"latest(late)\"\n\
             [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n\
             [report.rules.rk]\nsection = \"main\"\nlevels = [\"town\"]\nwhen = \"gdp > 0\"\nvalues = {{ r = \"rank(gdp)\" }}\n\
             say = \"{{region}}{{gdp:3}}，居全县{{r:rank}}\"\n"
        ),
    );
    report_in(&d, template)
}

#[test]
fn ranking_tables_and_rank_agree_on_places() {
    // rank(): 乙 1; 甲 and 丙 equal (2.675 twice) 2; 丁 below them 4. The table gives the
    // same places and prints 丁 with the digits that set it apart.
    let (code, md, err) = ranked_county("c1", "{{ ranking(\"gdp\", 2) }}\n\n{{ sentences() }}\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("| 第1位 | 乙镇 | 2.68 |\n| 并列第2位 | 甲镇 | 2.675 |\n| 并列第2位 | 丙镇 | 2.675 |\n| 第4位 | 丁镇 | 2.67 |"),
        "{md}"
    );
    // A shared place is said shared, as the table prints it (it said 第2位 of 甲镇 alone);
    // 丁镇's figure, placed apart from 甲镇's and 丙镇's, prints with the digits that show it
    // (it printed 2.675亿元 as theirs beside 第4位).
    assert!(md.contains("甲镇2.675亿元，居全县并列第2位") && md.contains("丁镇2.6749999999亿元，居全县第4位"), "{md}");
    // The indicator table's place among siblings is rank()'s too: 丁 is 4th of 4.
    let (code, md, err) = ranked_county("t4", "{{ indicator_table([\"gdp\"]) }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("| 地区生产总值 | 2.67 | 亿元 | — | 4/4 |"), "{md}");
    // A place shared is 并列 there too (甲 and 丙 were both 2/4), with the digits that set
    // 2.675 apart from 乙's 2.68 and 丁's 2.6749999999 (it printed 2.68 beside 乙's 2.68).
    let (_, md, _) = ranked_county("t3", "{{ indicator_table([\"gdp\"]) }}");
    assert!(md.contains("| 地区生产总值 | 2.675 | 亿元 | — | 并列2/4 |"), "{md}");
    let (_, md, _) = ranked_county("t2", "{{ indicator_table([\"gdp\"]) }}");
    assert!(md.contains("| 地区生产总值 | 2.68 | 亿元 | — | 1/4 |"), "{md}");
}

#[test]
fn latest_figures_of_different_years_are_not_ranked_against_each_other() {
    // latest(late): 甲 2020's 1.5, the others 2021's: no place among siblings (— as
    // rank() refuses it), no ranking and no bar chart of them.
    let (code, md, err) = ranked_county("t1", "{{ indicator_table([\"gl\"]) }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("| 最新工业产值 | 1.5 | 亿元 | — | — |"), "{md}");
    let (code, _, err) = ranked_county("c1", "{{ ranking(\"gl\") }}");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "ranking(\"gl\"): the figures of the regions under 某县 are of different periods (乙镇, 丙镇, 丁镇: 2021; 甲镇: 2020); \
             a ranking would set one year against another"
        ),
        "{err}"
    );
    // The figures of one year have no place either: 甲镇 had 1.5 in 2020 and nothing in
    // 2021, so 乙镇's 2.2 could be second or third (year22 03: it said 2/3).
    let (code, md, err) = ranked_county("t2", "{{ indicator_table([\"late\"]) }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("| 工业产值 | 2.2 | 亿元 | 10% | — |"), "{md}");
}

/// A county of two towns selling 1 吨 at 10 元 and 3 吨 at 20 元; `revenue = price * qty`
/// with `rollup` as given (none: not declared), reported on `region` with `template`.
fn product_county(region: &str, rollup: Option<&str>, template: &str) -> (i32, String, String) {
    let d = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(d.path().join(name), text).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\nprice,单价,元/吨,,mean,\nqty,产量,吨,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,price,10\nt1,2021,qty,1\nt2,2021,price,20\nt2,2021,qty,3\n");
    let rollup = rollup.map(|r| format!("rollup = \"{r}\"\n")).unwrap_or_default();
    w(
        "yearbook.toml",
        &format!(
            "[workspace]\nlevels = [\"county\", \"town\"]\nperiod = \"2021\"\nregion = \"{region}\"\n\
             [data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n\
             [indicators.revenue]\nlabel = \"销售额\"\nunit = \"元\"\nexpr = \"price * qty\"\n{rollup}\
             [report]\ntitle = \"t\"\ntemplates = \"report\"\nsections = [\"main\"]\n"
        ),
    );
    report_in(&d, template)
}

#[test]
fn a_county_figure_its_towns_cannot_make_is_refused_not_said_to_be_missing() {
    // The towns sell 10 元 and 60 元; a product does not roll up: the county's 销售额 is
    // not 暂无数据 (there are figures) but a refusal saying what to declare.
    for template in
        ["{{ amount(\"revenue\") }}", "{{ growth(\"revenue\") }}", "[{{ value(\"revenue\") }}]", "{{ indicator_table([\"revenue\"]) }}"]
    {
        let (code, md, err) = product_county("c1", None, template);
        assert_eq!(code, 2, "{template}: {md}");
        assert!(
            err.contains(
                "report template: 销售额 (`revenue`) of 某县: its regions under it have figures, but they do not make its figure: \
                 `revenue` (price * qty) does not roll up by itself"
            ) && err.contains("declare how in [indicators.revenue]: rollup = \"sum\""),
            "{template}: {err}"
        );
    }
    // Declared, the county has its towns' total: 10 + 60 = 70 元.
    let (code, md, err) = product_county("c1", Some("sum"), "{{ amount(\"revenue\") }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("70元"), "{md}");
    // Declared none: the analyst's word, shown as missing.
    let (code, md, err) = product_county("c1", Some("none"), "{{ amount(\"revenue\") }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("暂无数据"), "{md}");
    // A town has its own figure; the towns' ranking is there at the county.
    let (code, md, err) = product_county("t2", None, "{{ amount(\"revenue\") }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("60元"), "{md}");
    let (code, md, err) = product_county("c1", None, "{{ ranking(\"revenue\") }}");
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("| 第1位 | 乙镇 | 60 |\n| 第2位 | 甲镇 | 10 |"), "{md}");
}

/// A county's total made of its towns' figures keeps what their flags say of it: 甲镇's
/// 合同利用外资 2200万美元以上 makes the county's 2200 + 1000 = 3200 at least that
/// (3200万美元以上); 甲镇's 约4100万元 investment makes 4100 + 500 = 4600 approximate
/// (约4600万元); an estimate beside an exact figure, an estimate; a lower and an upper
/// bound together, approximate. The towns' own flags stand in their own reports.
#[test]
fn a_county_total_keeps_the_qualifiers_of_its_towns_figures() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| {
        std::fs::create_dir_all(d.path().join(n).parent().unwrap()).unwrap();
        std::fs::write(d.path().join(n), s).unwrap()
    };
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\nt2,乙镇,town,c1\n");
    w(
        "indicators.csv",
        "code,label,unit,kind,rollup\nfdi,合同利用外资,万美元,flow,sum\ninv,维护建设投资,万元,flow,sum\n\
         exp,出口额,万元,flow,sum\nemp,从业人员,人,stock,sum\nplain,工业产值,万元,flow,sum\n",
    );
    w(
        "facts.csv",
        "region,year,indicator,value,flag\nt1,2021,fdi,2200,lower_bound\nt2,2021,fdi,1000,\nt1,2021,inv,4100,approximate\n\
         t2,2021,inv,500,\nt1,2021,exp,300,预计\nt2,2021,exp,200,\nt1,2021,emp,900,以上\nt2,2021,emp,600,近\n\
         t1,2021,plain,10,*\nt2,2021,plain,20,\n",
    );
    w(
        "report/main.md",
        "全县合同利用外资{{ amount_flagged(\"fdi\") }}，维护建设投资{{ amount_flagged(\"inv\") }}，\
         出口额{{ amount_flagged(\"exp\") }}，从业人员{{ amount_flagged(\"emp\") }}，工业产值{{ amount_flagged(\"plain\") }}。\n",
    );
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\nregion = \"c1\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[report]\ntemplates = \"report\"\n\
         sections = [\"main\", \"indicators\"]\n",
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(
        md.contains("全县合同利用外资3200万美元以上，维护建设投资约4600万元，出口额500万元（预计），从业人员约1500人，工业产值30万元。"),
        "{md}"
    );
    assert!(md.contains("| 合同利用外资 | 3200（以上） | 万美元 |"), "{md}");
    assert!(md.contains("| 维护建设投资 | 4600（约） | 万元 |"), "{md}");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "--region", "t2", "-o", "t2.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("t2.md")).unwrap();
    assert!(md.contains("全县合同利用外资1000万美元，维护建设投资500万元，出口额200万元，从业人员近600人"), "{md}");
}

/// A completion delivered as a figure over a loss limit (target −100万元: the actual and
/// the percentage of opposite signs, or a loss with a percentage above zero) has no
/// percentage: a profit of 50 or a loss of 50 meets it, a loss of 150 does not. Never
/// 完成县下达任务150% for a loss over its limit, nor 实际为负 for a profit; in the
/// template's completion() and in a report rule's {x:completion} alike.
#[test]
fn a_completion_over_a_loss_limit_says_met_or_not_without_a_percentage() {
    for (actual, pct, words) in [
        ("50", "-50", "完成县下达任务（目标为负，不计算完成率）"),
        ("-50", "50", "完成县下达任务（目标为负，不计算完成率）"),
        ("-150", "150", "未完成县下达任务（目标为负，不计算完成率）"),
        ("80", "80", "完成县下达任务80%，未完成任务"),
    ] {
        let d = tempfile::tempdir().unwrap();
        let w = |n: &str, s: &str| {
            std::fs::create_dir_all(d.path().join(n).parent().unwrap()).unwrap();
            std::fs::write(d.path().join(n), s).unwrap()
        };
        w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
        w("indicators.csv", "code,label,unit,kind,rollup\nprofit,规上工业利润总额,万元,flow,sum\n");
        w("facts.csv", &format!("region,year,indicator,value\nt1,2021,profit,{actual}\n"));
        w("targets.csv", &format!("region,year,indicator,completion_pct\nt1,2021,profit,{pct}\n"));
        w("report/main.md", "利润总额{{ amount(\"profit\") }}，{{ completion(\"profit\", \"县\") }}。\n{{ sentences() }}\n");
        w(
            "yearbook.toml",
            "[workspace]\nlevels = [\"county\",\"town\"]\nperiod = \"2021\"\nregion = \"t1\"\n[data]\nregions = \"regions.csv\"\n\
             indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[[data.facts]]\nfile = \"targets.csv\"\n\
             namespace = \"target_completion\"\nunit = \"%\"\ncolumns = { value = \"completion_pct\" }\n[report]\n\
             templates = \"report\"\nsections = [\"main\"]\n[report.rules.done]\nsection = \"main\"\n\
             when = \"target_completion.profit != 0\"\nsay = \"{region}：{target_completion.profit:completion}\"\n",
        );
        let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
        assert_eq!(code, 0, "{err}");
        let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
        assert!(md.contains(&format!("利润总额{actual}万元，{words}。")), "{actual} {pct}: {md}");
        assert!(md.contains(&format!("甲镇：{words}")), "{actual} {pct}: {md}");
    }
}

/// `report -o` at a symbolic link replaced the link with a file (the published copy it
/// points to kept its old text), and one pointing nowhere was replaced too. The file a
/// link points to is written now and the link kept, a file not there yet is made in its
/// folder, and a link into a missing folder is an error, as `run --out` treats links.
#[cfg(unix)]
#[test]
fn report_output_at_a_link_writes_the_file_it_points_to() {
    let d = sample_copy(&[]);
    let cfg = d.path().join("yearbook.toml");
    std::fs::create_dir(d.path().join("pub")).unwrap();
    std::fs::write(d.path().join("pub/report.md"), "old").unwrap();
    std::os::unix::fs::symlink("pub/report.md", d.path().join("link.md")).unwrap();
    std::os::unix::fs::symlink("pub/fresh.md", d.path().join("fresh.md")).unwrap();
    std::os::unix::fs::symlink("nowhere/report.md", d.path().join("dangling.md")).unwrap();
    for (link, file) in [("link.md", "pub/report.md"), ("fresh.md", "pub/fresh.md")] {
        let (code, _, err) = cli_in(d.path(), &["report", "-c", cfg.to_str().unwrap(), "-o", link]);
        assert_eq!(code, 0, "{err}");
        assert!(std::fs::symlink_metadata(d.path().join(link)).unwrap().file_type().is_symlink(), "{link}");
        assert!(std::fs::read_to_string(d.path().join(file)).unwrap().starts_with("# 大云镇2008年"), "{file}");
    }
    let (code, _, err) = cli_in(d.path(), &["report", "-c", cfg.to_str().unwrap(), "-o", "dangling.md"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("dangling.md: a link to nowhere/report.md, which cannot be reached"), "{err}");
    assert!(std::fs::symlink_metadata(d.path().join("dangling.md")).unwrap().file_type().is_symlink());
}

/// The indicator table of derived indicators without a unit: `gdp / lag(gdp, 1) * 100`
/// (a 发展速度) said 110 with a 同比 of 22.22% (110 / 90 - 1, the growth of an index), and
/// `yoy(gdp)` 0.1 with 由-0.1升至0.1. Both are in %, their changes in 百分点 (20个百分点),
/// as the same report's sentences say them.
#[test]
fn a_derived_growth_or_index_in_the_indicator_table_is_in_percent() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt2,2019,gdp,10\nt2,2020,gdp,9\nt2,2021,gdp,9.9\nt1,2021,gdp,1\n");
    w(
        "yearbook.toml",
        "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"t2\"\n[data]\nregions=\"regions.csv\"\n\
         indicators=\"indicators.csv\"\n[[data.facts]]\nfile=\"facts.csv\"\n[indicators.idx]\nlabel=\"地区生产总值发展速度\"\n\
         expr=\"gdp / lag(gdp, 1) * 100\"\n[indicators.rate]\nlabel=\"地区生产总值增长率\"\nexpr=\"yoy(gdp)\"\n\
         [indicators.rate3]\nlabel=\"地区生产总值增长率(三位)\"\nexpr=\"round(yoy(gdp), 3)\"\n\
         [indicators.avg2]\nlabel=\"两年平均增速\"\nexpr=\"two_year_avg(gdp)\"\n\
         [indicators.last]\nlabel=\"上年增速\"\nexpr=\"lag(yoy(gdp), 1)\"\n\
         [indicators.neg]\nlabel=\"增速相反数\"\nexpr=\"-yoy(gdp)\"\n\
         [indicators.best]\nlabel=\"历年最高增速\"\nexpr=\"max(yoy(gdp), \\\"periods\\\")\"\n\
         [indicators.top]\nlabel=\"增速上分位\"\nexpr=\"quantile(yoy(gdp), 1.0, \\\"periods\\\")\"\n\
         [indicators.cond]\nlabel=\"条件增速\"\nexpr=\"where(gdp > 0, yoy(gdp), 0)\"\n\
         [indicators.dbl]\nlabel=\"增速两倍\"\nexpr=\"yoy(gdp) * 2\"\n\
         [indicators.chg]\nlabel=\"增速变化\"\nexpr=\"diff(yoy(gdp))\"\n\
         [indicators.gap]\nlabel=\"增速差\"\nexpr=\"yoy(gdp) - lag(yoy(gdp), 1)\"\n",
    );
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("| 地区生产总值发展速度 | 110 | % | 20个百分点 |"), "{md}");
    assert!(md.contains("| 地区生产总值增长率 | 10 | % | 20个百分点 |"), "{md}");
    // Rounded, it is the same growth (fixes15 07: 0.1 and 由-0.1升至0.1).
    assert!(md.contains("| 地区生产总值增长率(三位) | 10 | % | 20个百分点 |"), "{md}");
    // Under lag, a negation or a statistic across periods, and two_year_avg (fixes16 03:
    // 0.1, -0.1, 0.1 and -0.01 bare): sqrt(9.9 / 10) - 1 = -0.50%, 2020's -10%.
    assert!(md.contains("| 两年平均增速 | -0.5 | % |"), "{md}");
    assert!(md.contains("| 上年增速 | -10 | % |"), "{md}");
    assert!(md.contains("| 增速相反数 | -10 | % | -20个百分点 |"), "{md}");
    assert!(md.contains("| 历年最高增速 | 10 | % |"), "{md}");
    // A quantile, `where` choosing it or 0, a multiple, its change, and the difference of
    // two growths (fixes17 06: 0.1, 0.1 with 同比 200%, 0.2, 0.2 bare): 2021's 10% after
    // 2020's -10% is 20个百分点 up.
    assert!(md.contains("| 增速上分位 | 10 | % |"), "{md}");
    assert!(md.contains("| 条件增速 | 10 | % | 20个百分点 |"), "{md}");
    assert!(md.contains("| 增速两倍 | 20 | % | 40个百分点 |"), "{md}");
    assert!(md.contains("| 增速变化 | 20 | % |"), "{md}");
    assert!(md.contains("| 增速差 | 20 | % |"), "{md}");
}

/// A report rule without `levels` placed the report's county, alone at its level, 第1位
/// (某县…总量居第1位) where the indicator table gives it no place (—). Refused at the
/// county, naming the levels to scope the rule to.
#[test]
fn a_rank_of_a_region_alone_at_its_level_is_refused_in_a_sentence() {
    let d = tempfile::tempdir().unwrap();
    let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).unwrap();
    w("regions.csv", "code,name,level,parent\nc,某县,county,\nt1,甲镇,town,c\nt2,乙镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,gdp,11\nt2,2021,gdp,22\n");
    let toml = |levels: &str| {
        format!(
            "[workspace]\nlevels=[\"county\",\"town\"]\nperiod=\"2021\"\nregion=\"c\"\n[data]\nregions=\"regions.csv\"\n\
             indicators=\"indicators.csv\"\n[[data.facts]]\nfile=\"facts.csv\"\n[report]\ntitle=\"t\"\nsections=[\"h\"]\n\
             [report.rules.r]\nsection=\"h\"\n{levels}when=\"gdp > 0\"\nvalues={{ r = \"rank(gdp)\" }}\n\
             say=\"{{region}}地区生产总值{{gdp:amount}}，总量居{{r:rank}}\"\n"
        )
    };
    w("yearbook.toml", &toml(""));
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "report.rules.r.say at 某县 (c), 2021: `{r:rank}` places 某县 among no other region of its level (county): 第1位 \
             of one says nothing; scope the rule to the levels it ranks (levels = [...]) or say no place here"
        ),
        "{err}"
    );
    w("yearbook.toml", &toml("levels=[\"town\"]\n"));
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", "r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("甲镇地区生产总值11亿元，总量居第2位；乙镇地区生产总值22亿元，总量居第1位"), "{md}");
}
