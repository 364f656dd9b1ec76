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
    assert_eq!(
        open_err(&d),
        "facts.csv:42:2: period \"2007Q1\" is a quarter but [workspace] frequency is year: a panel has one frequency; change the frequency or the file's periods"
    );
    let d = facts_with("dayun,2007,gdp,7\n");
    assert_eq!(open_err(&d), "facts.csv:42:5: row has 4 fields but the header has 5");
}

/// A rule message's placeholder with an unknown phrasing passed `check` and printed
/// `{?computed:pct}` in every finding; a report rule's `say` was refused. Now the same.
#[test]
fn a_rule_messages_placeholder_that_does_not_parse_is_refused() {
    let cfg = std::fs::read_to_string(sample_config()).unwrap();
    let bad = cfg.replace("按数值计算{computed}", "按数值计算{computed:pct}");
    assert_ne!(bad, cfg);
    let d = sample_copy(&[("yearbook.toml", bad.as_bytes())]);
    let e = open_err(&d);
    assert!(
        e.contains(
            "rules.gdp_growth_consistency.message: placeholder `{computed:pct}`: unknown phrasing `pct`; did you mean `pace` or `pp`?"
        ),
        "{e}"
    );
    let (code, _, err) = cli_in(d.path(), &["check", "-c", "yearbook.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("placeholder `{computed:pct}`"), "{err}");
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

/// A UTF-16 file (Excel's "Unicode text") is named as such and the fix is to save it as
/// UTF-8, whichever reader meets it and whatever encoding its entry names (F11): never
/// the advice to add `encoding = "gbk"`, which would read it as other characters.
#[test]
fn utf16_files_are_named_with_the_fix() {
    let utf16 = |text: &str| -> Vec<u8> { [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect() };
    let said = "the file is UTF-16 text (Excel's \"Unicode text\", tab-separated), which yearbook does not read: save it as \
                \"CSV UTF-8\" (Excel: 另存为 > CSV UTF-8（逗号分隔）) or as .xlsx";
    let facts = std::fs::read_to_string(root().join("config/dayun/facts.csv")).unwrap().replace(',', "\t");
    let d = sample_copy(&[("facts.csv", &utf16(&facts))]);
    assert_eq!(open_err(&d), format!("facts.csv:1: {said}"));
    let regions = std::fs::read_to_string(root().join("config/dayun/regions.csv")).unwrap();
    let d = sample_copy(&[("regions.csv", &utf16(&regions))]);
    assert_eq!(open_err(&d), format!("regions.csv:1: {said}"));
    let cfg = std::fs::read_to_string(sample_config())
        .unwrap()
        .replace("regions = \"regions.csv\"", "regions = { file = \"regions.csv\", encoding = \"gbk\" }");
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    assert_eq!(open_err(&d), format!("regions.csv:1: {said}"));
}

/// A number over a series (1 / gdp) is refused by rollup for its true reason, with how to
/// write it (F10).
#[test]
fn rollup_of_a_reciprocal_says_why() {
    let ws = sample();
    let e = ws.eval("rollup(1 / gdp, \"county\")").err().unwrap().to_string();
    assert!(
        e.contains(
            "`1 / x` (a number over a series) does not roll up: the regions' values of 1 / x do not add up to their parent's, \
             and 1 over the parent's total is another figure; roll up first and divide after (1 / rollup(x, \"county\")), or \
             define it as an indicator with a rollup rule (mean, weighted_mean(w))"
        ),
        "{e}"
    );
    assert!(!e.contains("aggregated"), "{e}");
    // Written as the message says, it is the reciprocal of the county's figure.
    let (inverse, gdp) =
        (value(&ws, "at(1 / rollup(gdp, \"county\"), \"jiashan\", 2008)"), value(&ws, "at(rollup(gdp, \"county\"), \"jiashan\", 2008)"));
    assert!(gdp > 0.0 && close(inverse, 1.0 / gdp, 1e-12), "{inverse} {gdp}");
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
        e.starts_with("<expr>:1:1: no `lag` takes these arguments: lag(Series)\nlag takes:\n  lag(s: Series, k: i64) -> Series"),
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

// Typed errors: each kind with its span, as data (issue 15).

use yearbook::error::{ErrorKind, Span};

fn sample_with(extra: &str) -> tempfile::TempDir {
    let cfg = std::fs::read_to_string(sample_config()).unwrap() + extra;
    sample_copy(&[("yearbook.toml", cfg.as_bytes())])
}

fn open(d: &tempfile::TempDir) -> yearbook::Workspace {
    yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).unwrap()
}

/// Line of `header` in the workspace's yearbook.toml (1-based).
fn line_of(d: &tempfile::TempDir, header: &str) -> usize {
    let text = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    text.lines().position(|l| l == header).unwrap() + 1
}

fn span(source: &str, line: usize, col: usize, len: usize) -> Option<Span> {
    Some(Span::new(source, line, Some(col)).with_len(len))
}

fn kind_span(e: &yearbook::Error) -> (ErrorKind, Option<Span>) {
    (e.kind(), e.span().cloned())
}

#[test]
fn a_rule_with_a_unit_mismatch_is_kind_unit_at_the_operator() {
    let d = sample_with("\n[rules.x]\ncheck = \"gdp > fdi_actual\"\n");
    let ws = open(&d);
    let rule = ws.program.rules.iter().find(|r| r.id == "x").unwrap();
    let e = yearbook::run::evaluate(&ws, rule, None).err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::Unit, span("rules.x", 1, 5, 1)));
    assert_eq!(e.message(), "unit mismatch: cannot compare 亿元 and 万美元");
    // A conversion between dimensions.
    let e = sample().eval("pct(gdp)").err().unwrap();
    assert_eq!((e.kind(), e.message()), (ErrorKind::Unit, "cannot convert 亿元 to %: different dimensions"));
}

#[test]
fn unknown_names_are_kind_unknown_name() {
    let ws = sample();
    let e = ws.eval("pct(yoy(gpd))").err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::UnknownName, span("<expr>", 1, 9, 3)));
    let e = ws.eval("yoyy(gdp)").err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::UnknownName, span("<expr>", 1, 1, 4)));
    let e = ws.eval("rollup(gdp, \"conty\")").err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::UnknownName, span("<expr>", 1, 1, 1)));
    let e = ws.eval("table(\"projectz\")").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::UnknownName, "{e}");
    // In a rule, at compile time: the name's span.
    let d = sample_with("\n[rules.typo]\ncheck = \"not_above(industrial_output, gros_output)\"\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::UnknownName, span("rules.typo", 1, 30, 11)));
    assert_eq!(e.message(), "unknown name `gros_output`; did you mean `gross_output`?");
}

#[test]
fn syntax_type_and_runtime_errors() {
    let ws = sample();
    let e = ws.eval("pct(yoy(gdp)").err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::Syntax, span("<expr>", 1, 13, 1)));
    // A known function with arguments it does not take.
    let e = ws.eval("lag(gdp)").err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::Type, span("<expr>", 1, 1, 3)));
    let e = ws.eval("rank(sum(gdp))").err().unwrap();
    assert_eq!((e.kind(), e.message()), (ErrorKind::Type, "rank needs a series over regions; this one was aggregated across regions"));
    let e = ws.eval("throw \"boom\"").err().unwrap();
    assert_eq!((kind_span(&e), e.message()), ((ErrorKind::Runtime, span("<expr>", 1, 1, 1)), "boom"));
    // A check that gives no mask: the rule's problem, with no script position.
    let d = sample_with("\n[rules.num]\ncheck = \"1\"\n");
    let ws = open(&d);
    let rule = ws.program.rules.iter().find(|r| r.id == "num").unwrap();
    let e = yearbook::run::evaluate(&ws, rule, None).err().unwrap();
    assert_eq!(kind_span(&e), (ErrorKind::Type, None));
}

#[test]
fn cycles_are_kind_cycle_at_the_indicator() {
    let d = sample_with("\n[indicators.a]\nexpr = \"b * 2\"\n\n[indicators.b]\nexpr = \"a + gdp\"\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap();
    let path = d.path().join("yearbook.toml").display().to_string();
    assert_eq!(e.kind(), ErrorKind::Cycle, "{e}");
    assert_eq!(e.span(), Some(&Span::new(path, line_of(&d, "[indicators.a]"), Some(1))));
    assert_eq!(e.message(), "indicators form a cycle: a -> b -> a");
}

#[test]
fn limits_have_their_kinds() {
    let d = sample_with("\n[limits]\ntimeout_ms = 300\nmax_operations = 0\nmax_string_size = 1000\n");
    let ws = open(&d);
    let e = ws.eval("loop {}").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert_eq!(e.span().map(|s| (s.source.as_str(), s.line)), Some(("<expr>", 1)));
    let e = ws.eval("fn f(x) { f(x + 1) } f(0)").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::DepthLimit, "{e}");
    let e = ws.eval("let s = \"x\"; loop { s += s; }").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::SizeLimit, "{e}");
    let e = sample().eval("loop {}").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::OperationLimit, "{e}");
    // A limit inside an indicator keeps its kind where the indicator is used.
    let cfg = format!(
        "scripts = [\"spin.rhai\"]\n{}\n[limits]\nmax_operations = 1000\n\n[indicators.spin]\nfunction = \"spin\"\n",
        std::fs::read_to_string(sample_config()).unwrap()
    );
    let d = sample_copy(&[("yearbook.toml", cfg.as_bytes()), ("spin.rhai", b"fn spin() { loop {} }\n")]);
    let ws = open(&d);
    let e = ws.compute_indicator("spin").err().unwrap();
    assert_eq!(kind_span(&e).0, ErrorKind::OperationLimit, "{e}");
}

#[test]
fn input_errors_have_kinds_and_places() {
    let d = facts_with("dayun,2007,gdp,abc,\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap();
    let facts = d.path().join("facts.csv").display().to_string();
    assert_eq!((e.kind(), e.span()), (ErrorKind::Data, Some(&Span::new(facts, 42, Some(4)))));
    assert_eq!(e.message(), "value \"abc\" is not a number");
    let cfg = std::fs::read_to_string(sample_config()).unwrap();
    let d = sample_copy(&[("yearbook.toml", cfg.replace("frequency = \"year\"", "frequncy = \"year\"").as_bytes())]);
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap();
    let path = d.path().join("yearbook.toml").display().to_string();
    assert_eq!((e.kind(), e.span()), (ErrorKind::Config, Some(&Span::new(path, 7, Some(1)))));
    let e = yearbook::Workspace::open("/nonexistent/yearbook.toml".as_ref(), None).err().unwrap();
    assert_eq!((e.kind(), e.span()), (ErrorKind::Io, None));
    assert!(std::error::Error::source(&e).is_some());
    let e = sample().compute_indicator("nope").err().unwrap();
    assert_eq!((e.kind(), e.to_string()), (ErrorKind::Usage, "unknown indicator `nope`".to_string()));
    // Two bad rules: both, each with its kind and place.
    let d = sample_with("\n[rules.a]\ncheck = \"gpd > 0\"\n\n[rules.b]\ncheck = \"gdp >\"\n");
    let e = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::Many);
    let kinds: Vec<_> = e.errors().iter().map(kind_span).collect();
    assert_eq!(kinds, vec![(ErrorKind::UnknownName, span("rules.a", 1, 1, 3)), (ErrorKind::Syntax, span("rules.b", 1, 6, 1))]);
}

#[test]
fn check_keeps_the_problems_whose_kind_shows_without_data() {
    let d = sample_with(
        "\n[indicators.bad_sum]\nexpr = \"green_area_added + fiscal_revenue\"\n\n[rules.bad_unit]\ncheck = \"gdp > fdi_actual\"\n\
         \n[rules.bad_period]\ncheck = \"in_period(gdp, 1990) > 0\"\n\n[rules.bad_level]\ncheck = \"rollup(gdp, \\\"conty\\\") > 0\"\n",
    );
    // The period is not on the empty panel: a runtime error that depends on the data.
    let problems = yearbook::checkcfg::problems(&d.path().join("yearbook.toml"), None).unwrap();
    let found: Vec<_> = problems.iter().map(kind_span).collect();
    assert_eq!(
        found,
        vec![
            (ErrorKind::Unit, span("indicators.bad_sum", 1, 18, 1)),
            (ErrorKind::UnknownName, span("rules.bad_level", 1, 1, 1)),
            (ErrorKind::Unit, span("rules.bad_unit", 1, 5, 1)),
        ]
    );
}

#[test]
fn findings_json_carries_error_kind_span_and_the_rules_place() {
    let d =
        sample_with("\n[rules.x]\ncheck = \"gdp > fdi_actual\"\n\n[indicators.bad_sum]\nexpr = \"green_area_added + fiscal_revenue\"\n");
    let cfg = d.path().join("yearbook.toml");
    let out = d.path().join("out");
    let (code, _, err) = cli(&["run", "-c", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    let rule = |id: &str| j["rules"].as_array().unwrap().iter().find(|r| r["rule"] == id).unwrap().clone();
    let x = rule("x");
    assert_eq!(x["error"], "rules.x:1:5: unit mismatch: cannot compare 亿元 and 万美元\n  |\n1 | gdp > fdi_actual\n  |     ^");
    assert_eq!(
        x["error_detail"],
        serde_json::json!({
            "kind": "unit",
            "span": { "source": "rules.x", "line": 1, "col": 5, "len": 1 },
            "message": "unit mismatch: cannot compare 亿元 and 万美元"
        })
    );
    let path = cfg.display().to_string();
    assert_eq!(x["at"], serde_json::json!({ "source": path, "line": line_of(&d, "[rules.x]"), "col": 1, "len": null }));
    assert_eq!(rule("output_balance")["error_detail"], serde_json::Value::Null);
    let ind = j["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "bad_sum").unwrap();
    assert_eq!(
        ind["error_detail"],
        serde_json::json!({
            "kind": "unit",
            "span": { "source": "indicators.bad_sum", "line": 1, "col": 18, "len": 1 },
            "message": "unit mismatch: cannot add or compare 亩 and 万元"
        })
    );
    // Each finding says where its rule is defined.
    let f = &j["findings"][0];
    let header = format!("[rules.{}]", f["rule"].as_str().unwrap());
    assert_eq!(f["at"], serde_json::json!({ "source": path, "line": line_of(&d, &header), "col": 1, "len": null }));
}

/// A type error speaks of series, numbers and true/false, not of Rust's type names; `&&`
/// between masks says to use `&`.
#[test]
fn type_errors_use_the_words_of_scripts() {
    let ws = sample();
    let e = ws.eval("gdp > 0 && fiscal_revenue > 0").err().expect("&& on series fails");
    assert_eq!(e.kind(), yearbook::error::ErrorKind::Type);
    assert_eq!(
        e.message(),
        "`&&`, `||` and `if` need one true or false, and this is a series (a value per region and period): \
         combine masks with `&` and `|` (gdp > 0 & fiscal_revenue > 0)"
    );
    let e = ws.eval("if gdp { 1 } else { 2 }").err().expect("if on a series fails");
    assert!(e.message().starts_with("`&&`, `||` and `if` need one true or false"), "{}", e.message());
    let e = ws.eval("yoy(gdp, \"x\", 3)").err().expect("no such yoy");
    assert!(e.message().starts_with("no `yoy` takes these arguments: yoy(Series, text, number)\n"), "{}", e.message());
    let e = ws.eval("let a = [1, 2]; a[\"x\"]").err().expect("indexing by text fails");
    assert!(!e.to_string().contains("ImmutableString") && !e.to_string().contains("yearbook_core"), "{e}");
}

#[test]
fn a_cumulative_span_given_as_one_period_says_what_to_write() {
    // --period and in_period name one period: 2021年1-12月 is a span, and no file is
    // involved, so the fix is the period 2021-12 and ytd/cumulative.<indicator>.
    let want = "period \"2021年1-12月\" is a cumulative span (累计, from the start of 2021 through 2021-12), not one period: \
                write 2021-12 for the period, and read the cumulative figure as cumulative.<indicator> (facts loaded with \
                `cumulative = true`) or ytd(<indicator>) there";
    assert_eq!(yearbook::period::Period::parse("2021年1-12月").unwrap_err(), want);
    let e = sample().eval("in_period(gdp, \"2008年1-12月\")").err().unwrap().to_string();
    assert!(e.contains("is a cumulative span (累计, from the start of 2008 through 2008-12), not one period: write 2008-12"), "{e}");
    // One period in any spelling is still read.
    assert_eq!(yearbook::period::Period::parse("2021年3月").unwrap().to_string(), "2021-03");
}

/// `-c` of a folder reads its yearbook.toml; a folder without one, and a file that is
/// not there, are errors that say so once (the system's reason was said twice).
#[test]
fn a_config_folder_stands_for_its_yearbook_toml() {
    let cfg = sample_config();
    let dir = cfg.parent().unwrap().to_str().unwrap().to_string();
    let (code, out, err) = cli(&["eval", "-c", &dir, "let y = 2008; switch y { \"2008\" => 1, _ => 0 }"]);
    assert_eq!((code, out.trim()), (0, "1"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let e = empty.path().to_str().unwrap();
    let (code, _, err) = cli(&["check", "-c", e]);
    assert_eq!(code, 2);
    assert_eq!(err.trim(), format!("error: {e} is a folder with no yearbook.toml in it: give the config file itself (-c {e}/<name>.toml)"));
    let missing = empty.path().join("nothing.toml");
    let (code, _, err) = cli(&["check", "-c", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err.trim(), format!("error: {}: No such file or directory (os error 2)", missing.display()));
}

/// Without `workspace.frequency` the facts decide the panel's frequency, and `check`
/// reads none: a rule scoped to 2008Q1 over quarterly facts was refused by `check` ("the
/// panel is by year (workspace.frequency = \"year\")", which the config never said) and
/// run by `run`. `check` now accepts it, and refuses periods of two kinds in one list.
#[test]
fn check_judges_no_frequency_the_config_does_not_declare() {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc,县,county,\nt1,甲镇,town,c\n");
    w("indicators.csv", "code,label,unit,kind,rollup\ngdp,地区生产总值,亿元,flow,sum\n");
    w("facts.csv", "region,period,indicator,value\nt1,2008Q1,gdp,1\nt1,2008Q2,gdp,2\n");
    let base = "[workspace]\nlevels = [\"county\", \"town\"]\n[data]\nregions = \"regions.csv\"\nindicators = \"indicators.csv\"\n\
                [[data.facts]]\nfile = \"facts.csv\"\n[rules.r]\ncheck = \"gdp > 0\"\n";
    let c = dir.path().join("yearbook.toml");
    w("yearbook.toml", &format!("{base}periods = [\"2008Q1\"]\n"));
    let (code, out, err) = cli(&["check", "-c", c.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = cli(&["run", "-c", c.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    w("yearbook.toml", &format!("{base}periods = [\"2008Q1\", \"2008\"]\n"));
    let (code, _, err) = cli(&["check", "-c", c.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("rules.r: periods lists 2008Q1, a quarter, and 2008, a year: a panel has one frequency; list periods of one kind"),
        "{err}"
    );
}

/// A rule scoped to a quarter on a panel of years: `check` said ok and `run` refused it
/// ("not in the data"). Both refuse it now, saying the period's frequency and the panel's.
#[test]
fn a_period_of_another_frequency_is_refused_by_check_and_run_alike() {
    let rule = "\n[rules.q_scoped]\ncheck = \"gdp > 0\"\nperiods = [\"2008Q1\"]\n";
    let cfg = std::fs::read_to_string(sample_config()).unwrap() + rule;
    let d = sample_copy(&[("yearbook.toml", cfg.as_bytes())]);
    let want = "rules.q_scoped: period 2008Q1 is a quarter, and the panel is by year (workspace.frequency = \"year\"): give a \
                period of the panel's frequency, or set workspace.frequency";
    let c = d.path().join("yearbook.toml");
    let (code, _, err) = cli(&["check", "-c", c.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(want), "{err}");
    let out = d.path().join("out");
    let (code, _, err) = cli(&["run", "-c", c.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(want), "{err}");
}
