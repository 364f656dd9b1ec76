//! Every error a user can cause names where and what would fix it: exact messages.

use crate::common::*;

fn facts_with(extra: &str) -> tempfile::TempDir {
    let base = std::fs::read_to_string(root().join("config/dayun/facts.csv")).unwrap();
    sample_copy(&[("facts.csv", format!("{base}{extra}").as_bytes())])
}

fn open_err(dir: &tempfile::TempDir) -> String {
    match yearbook::Workspace::open(&dir.path().join("yearbook.toml"), None) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string().replace(&format!("{}/", dir.path().display()), ""),
    }
}

#[test]
fn bad_number_names_line_and_column() {
    let d = facts_with("dayun,2007,gdp,\"1,2x\",\n");
    assert_eq!(open_err(&d), "facts.csv:42:4: value \"1,2x\" is not a number: a comma must separate groups of three digits (1,234.5)");
    let d = facts_with("dayun,2007,gdp,abc,\n");
    assert_eq!(open_err(&d), "facts.csv:42:4: value \"abc\" is not a number");
}

#[test]
fn duplicate_names_both_lines() {
    let d = facts_with("dayun,2008,gdp,7.8,\n");
    assert_eq!(open_err(&d), "facts.csv:42:1: duplicate fact for (dayun, 2008, gdp): first given at line 2");
}

#[test]
fn unknown_codes_get_suggestions() {
    let d = facts_with("dayum,2007,gdp,7,\n");
    assert_eq!(open_err(&d), "facts.csv:42:1: unknown region \"dayum\"; did you mean `dayun`?");
    let d = facts_with("dayun,2007,gpd,7,\n");
    assert_eq!(open_err(&d), "facts.csv:42:3: unknown indicator \"gpd\"; did you mean `gdp`?; declare it in the indicators file");
    let d = facts_with("dayun,2007Q1,gdp,7,\n");
    assert_eq!(open_err(&d), "facts.csv:42:2: period \"2007Q1\" is a quarter but earlier facts are by year: a panel has one frequency");
    let d = facts_with("dayun,2007,gdp,7\n");
    assert_eq!(open_err(&d), "facts.csv:42:5: row has 4 fields but the header has 5");
}

#[test]
fn config_errors_name_the_line() {
    let cfg = std::fs::read_to_string(sample_config()).unwrap();
    let d = sample_copy(&[("yearbook.toml", cfg.replace("frequency = \"year\"", "frequncy = \"year\"").as_bytes())]);
    let e = open_err(&d);
    assert!(e.starts_with("yearbook.toml:7:1: unknown key `frequncy`; did you mean `frequency`?"), "{e}");
    let d = sample_copy(&[("yearbook.toml", cfg.replacen("levels = [", "levels = 3 #[", 1).as_bytes())]);
    let e = open_err(&d);
    assert!(e.starts_with("yearbook.toml:6:10: invalid type: integer `3`, expected a sequence"), "{e}");
    let d = sample_copy(&[("yearbook.toml", cfg.replace("regions = \"regions.csv\"", "regions = \"regionz.csv\"").as_bytes())]);
    let e = open_err(&d);
    assert!(e.starts_with("yearbook.toml:12:11: data file not found: ") && e.ends_with("regionz.csv"), "{e}");
}

#[test]
fn gbk_files_need_and_honour_the_encoding() {
    let text = std::fs::read_to_string(root().join("config/dayun/regions.csv")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let d = sample_copy(&[("regions.csv", &gbk)]);
    let e = open_err(&d);
    assert!(
        e.starts_with(
            "regions.csv:2:2: file is not valid UTF-8; files saved by Excel on Chinese Windows are usually GBK: add `encoding = \"gbk\"`"
        ),
        "{e}"
    );
    let cfg = std::fs::read_to_string(sample_config())
        .unwrap()
        .replace("regions = \"regions.csv\"", "regions = { file = \"regions.csv\", encoding = \"gbk\" }");
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    assert_eq!(ws.panel().regions().names[3], "大云镇");
}

#[test]
fn script_errors_have_a_caret_and_suggestions() {
    let ws = sample();
    let e = ws.eval("pct(yoy(gpd))").err().unwrap().to_string();
    assert_eq!(e, "<expr>:1:9: unknown name `gpd`; did you mean `gdp`?\n  |\n1 | pct(yoy(gpd))\n  |         ^^^");
    let e = ws.eval("green_area_added + fiscal_revenue").err().unwrap().to_string();
    assert_eq!(
        e,
        "<expr>:1:18: unit mismatch: cannot add or compare 亩 and 万元\n  |\n1 | green_area_added + fiscal_revenue\n  |                  ^"
    );
    // The caret lands under the spot on a line with Chinese text (two columns per character).
    let e = ws.eval("let 人口 = non_agricultural_population; 人口 + 地区生产总值").err().unwrap().to_string();
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines[0], "<expr>:1:42: unit mismatch: cannot add or compare 人 and 亿元");
    let plus = unicode_width::UnicodeWidthStr::width(&lines[2][..lines[2].find('+').unwrap()]);
    assert_eq!(lines[3].find('^').unwrap(), plus, "{e}");
    let e = ws.eval("yoyy(gdp)").err().unwrap().to_string();
    assert!(e.starts_with("<expr>:1:1: unknown function `yoyy`; did you mean `yoy`"), "{e}");
    let e = ws.eval("lag(gdp)").err().unwrap().to_string();
    assert!(
        e.starts_with("<expr>:1:1: no `lag` takes these arguments: lag (Series)\nlag takes:\n  lag(s: Series, k: i64) -> Series"),
        "{e}"
    );
    let e = ws.eval("pct(yoy(gdp)").err().unwrap().to_string();
    assert!(e.starts_with("<expr>:1:13: "), "{e}");
    let e = ws.eval("rollup(gdp, \"conty\")").err().unwrap().to_string();
    assert!(
        e.contains("unknown level \"conty\" (levels are province, city, county, town, village); did you mean `county` or `city`?"),
        "{e}"
    );
}

#[test]
fn runaway_scripts_stop() {
    let d = sample_copy(&[]);
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap() + "\n[limits]\ntimeout_ms = 300\nmax_operations = 0\n";
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let ws = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap();
    let e = ws.eval("loop {}").err().unwrap().to_string();
    assert!(e.contains("stopped: the script ran longer than the time limit of 300 ms (timeout_ms, in [limits] or on the rule)"), "{e}");
    let e = sample().eval("loop {}").err().unwrap().to_string();
    assert!(e.contains("stopped: the script exceeded 50000000 operations (limits.max_operations); is there an endless loop?"), "{e}");
    let e = ws.eval("fn f(x) { f(x + 1) } f(0)").err().unwrap().to_string();
    assert!(e.contains("(limits.max_call_depth)"), "{e}");
    let e = ws.eval("eval(\"1\")").err().unwrap().to_string();
    assert!(e.contains("eval"), "{e}");
    let e = ws.eval("import \"/etc/passwd\" as p; 1").err().unwrap().to_string();
    assert!(e.contains("not found") || e.contains("scripts folder"), "{e}");
}

#[test]
fn cli_errors_exit_2() {
    let (code, _, err) = cli(&["eval", "-c", sample_config().to_str().unwrap(), "gpd"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `gdp`?"), "{err}");
    let (code, _, err) = cli(&["eval", "-c", "/nonexistent/yearbook.toml", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/yearbook.toml"), "{err}");
}
