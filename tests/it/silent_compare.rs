//! Faults that gave a silently wrong answer or ran away (review rv7): a template's
//! `format` width that sized a 2 GB string, text beside numbers in ledgers, templates
//! and scripts, infinities equal to every number, and callbacks whose result was not an
//! answer. Each gives the right value or an error that names what to fix.

use crate::common::*;

fn eval_text(cfg: &std::path::Path, expr: &str) -> (i32, String, String) {
    cli(&["eval", "-c", cfg.to_str().unwrap(), expr])
}

/// The sample with `report/economy.md` replaced by `template`; the report's text or error.
fn report_of(template: &str) -> (i32, String, String) {
    let d = sample_copy(&[]);
    std::fs::create_dir_all(d.path().join("report")).unwrap();
    std::fs::write(d.path().join("report/economy.md"), template).unwrap();
    let out = d.path().join("r.md");
    let (code, _, err) = cli(&["report", "-c", d.path().join("yearbook.toml").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    (code, text, err)
}

#[test]
fn a_format_width_or_precision_past_1000_is_refused_before_it_is_built() {
    let t = std::time::Instant::now();
    let (code, _, err) = report_of("## 一\n\n{{ \"%999999999.2f\"|format(1.5) }}\n");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("report/economy.md:3: report template: format width 999999999 is too large (at most 1000) in \"%999999999.2f\""),
        "{err}"
    );
    let (code, _, err) = report_of("{{ \"%.999999999f\"|format(1.5) }}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("economy.md:1: report template: format precision 999999999 is too large (at most 1000)"), "{err}");
    let (code, _, err) = report_of("{{ \"%*d\"|format(99999999, 1) }}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("format width 99999999 is too large"), "{err}");
    assert!(t.elapsed().as_secs() < 20);
    let (code, _, err) = report_of("{{ ([1] | batch(30000000, 0)) | length }}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("economy.md:1: report template: batch count 30000000 is too large (at most 100000)"), "{err}");
    let (code, _, err) = report_of("{{ [1] | slice(30000000) | length }}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("slice count 30000000 is too large (at most 100000)"), "{err}");
    // Widths a report uses still print.
    let (code, text, err) = report_of("[{{ \"%8.2f\"|format(2.675) }}][{{ \"%.3f\"|format(1.5) }}][{{ \"%1000d\"|format(1) | length }}]");
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[    2.68][1.500][1000]"), "{text}");
    let (code, text, err) = report_of("[{{ [1, 2, 3] | batch(2, 0) | list | length }}][{{ [1, 2, 3] | slice(2) | list | length }}]");
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[2][2]"), "{text}");
}

#[test]
fn a_ledger_year_column_written_2021年_is_a_column_of_years() {
    let d = sample_copy(&[
        ("p2.csv", "id,year,amt\np01,2021年,120\np02,2021年,80\np03,2020年,60\n".as_bytes()),
        ("p4.csv", "id,year,amt\na,2021,10\nb,2021年,20\nc,２０２１,5\nd, 2021,1\ne,2021.0,2\n".as_bytes()),
    ]);
    let cfg = d.path().join("yearbook.toml");
    let toml = std::fs::read_to_string(&cfg).unwrap().replace("[data.tables]", "[data.tables]\np2 = \"p2.csv\"\np4 = \"p4.csv\"");
    std::fs::write(&cfg, toml).unwrap();
    for (expr, want) in [
        ("table(\"p2\").filter(|p| p.year == \"2021\").count()", "2"),
        ("table(\"p2\").filter(|p| p.year == \"2021\").sum(\"amt\")", "200"),
        ("table(\"p2\").filter(|p| p.year == 2021).sum(\"amt\")", "200"),
        ("table(\"p2\").filter(|p| p.year == \"2021年\").count()", "2"),
        ("table(\"p2\").filter(|p| p.year < 2021).count()", "1"),
        ("table(\"p4\").group_by(\"year\").sum(\"amt\")", "2021"),
    ] {
        let (code, out, err) = eval_text(&cfg, expr);
        assert_eq!(code, 0, "{expr}: {err}");
        assert!(out.contains(want), "{expr}: {out}");
    }
    let (_, out, _) = cli(&["eval", "-c", cfg.to_str().unwrap(), "--format", "csv", "table(\"p4\").group_by(\"year\").sum(\"amt\")"]);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows, ["2021,38"], "{out}");
    // A column that only starts like years stays text, and compares as text.
    let (code, _, err) = eval_text(&cfg, "table(\"projects\").filter(|p| p.category == 2021).count()");
    assert_eq!(code, 2);
    assert!(err.contains("cannot compare the text \"road\" with the number 2021"), "{err}");
}

/// A ledger's 年份 column with a symbol for no figure (—) is still a column of years; one
/// with a word (待定) among the years, and a 月份 or 季度 column written several ways,
/// write each period one way (2021, 2021-03, 2021Q1): `p.month == "2021-03"` took one
/// spelling of March only, and `group_by` split a period's rows into groups.
#[test]
fn a_ledger_period_column_written_several_ways_is_one_period_each() {
    let d = sample_copy(&[
        (
            "m.csv",
            "id,month,quarter,amount\nP1,2021-03,2021Q1,100\nP2,2021年3月,2021年一季度,100\nP3,2021-04,2021年第2季度,50\n".as_bytes(),
        ),
        ("y.csv", "id,year,amount\nP1,2021年,100\nP2,2021,100\nP3,待定,50\nP4,—,7\n".as_bytes()),
        ("z.csv", "id,year,amount\nP1,2021年,100\nP2,2021,100\nP3,—,50\n".as_bytes()),
    ]);
    let cfg = d.path().join("yearbook.toml");
    let toml =
        std::fs::read_to_string(&cfg).unwrap().replace("[data.tables]", "[data.tables]\nm = \"m.csv\"\ny = \"y.csv\"\nz = \"z.csv\"");
    std::fs::write(&cfg, toml).unwrap();
    for (expr, want) in [
        ("table(\"m\").filter(|p| p.month == \"2021-03\").sum(\"amount\")", "200\n"),
        ("table(\"m\").filter(|p| p.quarter == \"2021Q1\").sum(\"amount\")", "200\n"),
        ("table(\"y\").filter(|p| p.year == \"2021\").sum(\"amount\")", "200\n"),
        ("table(\"z\").filter(|p| p.year != () && p.year == 2021).sum(\"amount\")", "200\n"),
    ] {
        let (code, out, err) = eval_text(&cfg, expr);
        assert_eq!((code, out.as_str()), (0, want), "{expr}: {err}");
    }
    let (_, out, _) = cli(&["eval", "-c", cfg.to_str().unwrap(), "--format", "csv", "table(\"y\").group_by(\"year\").sum(\"amount\")"]);
    assert_eq!(out.lines().skip(1).collect::<Vec<_>>(), ["2021,200", "待定,50", "—,7"], "{out}");
    let (_, out, _) = cli(&["eval", "-c", cfg.to_str().unwrap(), "--format", "csv", "table(\"m\").group_by(\"month\").sum(\"amount\")"]);
    assert_eq!(out.lines().skip(1).collect::<Vec<_>>(), ["2021-03,200", "2021-04,50"], "{out}");
}

#[test]
fn templates_compare_a_number_with_text_by_value_or_refuse() {
    // A literal that spells a number is refused where the template is read.
    let (code, _, err) =
        report_of("## 一\n{% for p in rows(\"projects\") %}{% if p.year == \"2008\" %}[{{ p.id }}]{% endif %}{% endfor %}\n");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("report/economy.md:2: report template: `== \"2008\"` compares with text that spells a number")
            && err.contains("write the number without quotes (`== 2008`) where the value is a number, or the test form `is eq(\"2008\")`, which compares by value whether the value is a number or text")
            && err.contains("`is eq(\"2008\")`"),
        "{err}"
    );
    let (code, _, err) = report_of("{% if value(\"fixed_asset_investment\") > \"5\" %}big{% else %}small{% endif %}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("economy.md:1: report template: `> \"5\"` compares with text"), "{err}");
    // The tests compare by value: 13 projects of 2008.
    let (code, text, err) = report_of(
        "[{{ rows(\"projects\") | selectattr(\"year\", \"equalto\", \"2008\") | list | length }}]\
         [{{ rows(\"projects\") | selectattr(\"year\", \"equalto\", 2008) | list | length }}]\
         [{{ rows(\"projects\") | selectattr(\"investment_wan_yuan\", \"gt\", \"100\") | list | length }}]\
         [{{ rows(\"projects\") | selectattr(\"investment_wan_yuan\", \">\", 100) | list | length }}]\
         [{% if 2008 is eq(\"2008年\") %}y{% else %}n{% endif %}]\
         [{% for p in rows(\"projects\") %}{% if p.year == 2008 and p.id == \"p01\" %}{{ p.name }}{% endif %}{% endfor %}]",
    );
    assert_eq!(code, 0, "{err}");
    // 13 projects of 2008, 6 of them over 100万元 (125, 154, 250, 140, 846.92, 1089.375).
    assert!(text.contains("[13][13][6][6][y][延伸云寺路]"), "{text}");
    // Text that spells no number against a number: an error naming both.
    let (code, _, err) = report_of("{{ rows(\"projects\") | selectattr(\"year\", \"equalto\", \"road\") | list | length }}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot compare the number 2008 with the text \"road\" using `==`"), "{err}");
}

#[test]
fn a_series_compared_with_text_is_an_error_naming_the_text() {
    let ws = sample();
    for (expr, text) in [
        ("gdp == \"7.75\"", "\"7.75\" using `==`: write the number without quotes (`s == 7.75`)"),
        ("gdp != \"7.75\"", "\"7.75\" using `!=`"),
        ("gdp > \"5\"", "\"5\" using `>`"),
        ("\"5\" < gdp", "\"5\" using `<`: write the number without quotes (`5 < s`)"),
        ("gdp >= \"big\"", "\"big\" using `>=`: compare a series with a number, or text with text"),
    ] {
        let e = ws.eval(expr).err().unwrap_or_else(|| panic!("{expr}: no error")).to_string();
        assert!(e.contains("cannot compare a series with the text"), "{expr}: {e}");
        assert!(e.contains(text), "{expr}: {e}");
    }
    let e = ws.eval("if gdp > \"5\" { \"big\" } else { \"small\" }").err().expect("error").to_string();
    assert!(e.contains("cannot compare a series with the text \"5\" using `>`") && e.contains("(`s > 5`)"), "{e}");
    // Controls: a series with a number is a mask; a plain number with number text by value.
    assert!(ws.eval("gdp > 5").is_ok());
    assert_eq!(ws.eval("at(gdp, \"dayun\", 2008) == \"7.75\"").unwrap().value.to_string(), "true");
}

#[test]
fn values_of_kinds_that_do_not_compare_are_an_error_never_false() {
    let ws = sample();
    // Rhai answered false (`!=`: true) for each of these; an `if` or a filter took it.
    for (expr, message) in [
        ("[1, 2] < 3", "cannot compare the list [1, 2] with the number 3 using `<`: compare one item of the list (`list[0] < value`)"),
        (
            "[2008] == 2008",
            "cannot compare the list [2008] with the number 2008 using `==`: to ask whether a value is in a list, write `value in list`",
        ),
        (
            "3 != [1]",
            "cannot compare the number 3 with the list [1] using `!=`: to ask whether a value is in a list, write `!(value in list)`",
        ),
        ("true < 1", "cannot compare the truth value true with the number 1 using `<`: true and false are neither numbers nor text"),
        ("1 == true", "cannot compare the number 1 with the truth value true using `==`"),
        ("#{a: 1} == 1", "cannot compare a record (#{…}) with the number 1 using `==`: compare one of its fields"),
        ("\"7.75\" == [7.75]", "cannot compare the text \"7.75\" with the list [7.75] using `==`"),
        ("'a' > 1", "cannot compare the character 'a' with the number 1 using `>`"),
        ("() < ()", "cannot compare an empty cell with an empty cell using `<`"),
        ("[1] >= ()", "cannot compare the list [1] with an empty cell using `>=`"),
        ("gdp == [1]", "cannot compare a series with the list [1] using `==`"),
        ("gdp > true", "cannot compare a series with the truth value true using `>`: true and false"),
        ("3 in [1, [3]]", "cannot compare the list [3] with the number 3 using `==`"),
    ] {
        let e = ws.eval(expr).err().unwrap_or_else(|| panic!("{expr}: no error")).to_string();
        assert!(e.contains(message), "{expr}: {e}");
    }
    let e = ws.eval("table(\"projects\").filter(|p| [p.year] == 2008).count()").err().expect("an error").to_string();
    assert!(e.contains("cannot compare the list [2008] with the number 2008 using `==`"), "{e}");
    let e = ws.eval("table(\"projects\").filter(|p| p == 2008).count()").err().expect("an error").to_string();
    assert!(e.contains("cannot compare a row with the number 2008 using `==`: compare one of its fields (`p.year == 2008`)"), "{e}");
    // Pairs that do compare keep their answers.
    for (expr, want) in [
        ("[1, 2] == [1, 2]", "true"),
        ("[1, 2] != [1, 3]", "true"),
        ("#{a: 1} == #{a: 1}", "true"),
        ("\"a\" == 'a'", "true"),
        ("true == false", "false"),
        ("() == ()", "true"),
        ("[1] == ()", "false"),
        ("[1] != ()", "true"),
        ("2 == 2.0", "true"),
        ("\"2008\" == 2008", "true"),
        ("2008 in [2007, 2008]", "true"),
        ("table(\"projects\").filter(|p| p.year in [2008]).count()", "13"),
    ] {
        assert_eq!(ws.eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).value.to_string(), want, "{expr}");
    }
    // The tests of report templates too: minijinja called a list unequal to 3.
    let (code, _, err) = report_of("[{% if [1, 2] is eq(3) %}y{% else %}n{% endif %}]");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("economy.md:1: report template: cannot compare a list with the number 3 using `==`"), "{err}");
    let (code, text, err) = report_of("[{% if [1, 2] is eq([1, 2]) %}y{% endif %}][{% if none is eq([1]) %}y{% else %}n{% endif %}]");
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[y][n]"), "{text}");
    // And the operators: `[1, 2] < 3` was false, `[1] != 1` and `true == 1` true.
    for (template, message) in [
        ("{% if [1, 2] < 3 %}y{% endif %}", "cannot compare a list with the number 3 using `<`"),
        ("{% if [1] != 1 %}y{% endif %}", "cannot compare a list with the number 1 using `!=`"),
        ("{{ {'a': 1} == 1 }}", "cannot compare a map with the number 1 using `==`"),
        (
            "{% if true == 1 %}y{% endif %}",
            "cannot compare the truth value true with the number 1 using `==`: true and false are neither numbers nor text",
        ),
        ("{% if 'a' < 3 %}y{% endif %}", "cannot compare the number 3 with the text \"a\" using `<`"),
    ] {
        let (code, _, err) = report_of(template);
        assert_eq!(code, 2, "{template}: {err}");
        assert!(err.contains(&format!("economy.md:1: report template: {message}")), "{template}: {err}");
    }
    let (code, text, err) = report_of(
        "[{% if [1] == [1] %}y{% endif %}][{% if 'road' != 'bridge' %}y{% endif %}][{% if none == 1 %}y{% endif %}]\
         [{% if 2 == 2.0 %}y{% endif %}][{% if true == true %}y{% endif %}]",
    );
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[y][y][][y][y]"), "{text}");
    // A right side written `(x) | f`, inside brackets, or closed on a later line was left
    // to minijinja (none below every number: 降) or failed to render.
    let (code, text, err) = report_of(
        "{% set n = yoy(\"fdi_actual\") %}{% set s = \"A\" %}\
         [{% if n < (value(\"gdp\")) | round(1) %}降{% endif %}][{{ \"T\" if 0 > (n) | default(none) }}]\
         [{% if (s == (\"a\") | upper) %}eq{% endif %}][{% if n < (\n value(\"gdp\") - 10\n) %}降{% endif %}]\
         [{{ range(3) == [0, 1, 2] }}]",
    );
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[][][eq][][True]"), "{text}");
    for template in ["{{ [1] == (1) | abs }}", "{{ true == (1\n) }}", "{{ range(3) == 3 }}"] {
        let (code, _, err) = report_of(template);
        assert_eq!(code, 2, "{template}: {err}");
        assert!(err.contains("report template: cannot compare"), "{template}: {err}");
    }
}

/// Rhai's `switch` matched a case of the very same kind only, so each of these took the
/// default case (or none) silently; it now compares as `==` does.
#[test]
fn a_switch_compares_its_value_with_each_case_as_eq_does() {
    let ws = sample();
    for (expr, want) in [
        // Each gave 0 (the default).
        ("let y = 2008; switch y { \"2008\" => 1, _ => 0 }", "1"),
        ("const Y = 2008; switch Y { \"2008\" => 1, _ => 0 }", "1"),
        ("switch 2.0 { 2 => 1, _ => 0 }", "1"),
        ("switch(2.0){2=>1,_=>0}", "1"),
        ("switch 'a' { \"a\" => 1, _ => 0 }", "1"),
        ("switch \"a\" { 'a' => 1, _ => 0 }", "1"),
        ("switch \"2008年\" { 2008 => 1, _ => 0 }", "1"),
        ("switch \"5\" { 1..10 => 1, _ => 0 }", "1"),
        ("switch 2 { 2.0 if false => 1, 2.0 => 5, _ => 0 }", "5"),
        ("fn f(y) { switch y { \"2008\" => 1, _ => 0 } } f(2008)", "1"),
        ("[2008, 2009].filter(|y| switch y { \"2008\" => true, _ => false }).len()", "1"),
        ("let 名 = 2008; let r = switch 名 { \"2008\" => 1, _ => 0 }; r", "1"),
        ("table(\"projects\").filter(|p| switch p.year { \"2008\" => true, _ => false }).count()", "13"),
        ("table(\"projects\").filter(|p| switch p.year { 2008.0 => true, _ => false }).count()", "13"),
        ("switch 1 { 1 => switch 2.0 { 2 => \"inner\", _ => \"no\" }, _ => \"outer\" }", "inner"),
        // Unchanged: same kinds, ranges, no case equal, `()` as a case.
        ("switch 7 { 1 => \"a\", 2 => \"b\", _ => \"c\" }", "c"),
        ("let x = 2.5; switch x { 1..3 => 1, _ => 0 }", "1"),
        ("switch 2021 { \"2008\" => 1, _ => 0 }", "0"),
        // The first case equal by `==`, in the order written, as a chain of `if`s takes it.
        ("let v = 2; switch v { \"2\" => 1, 2 => 2, _ => 0 }", "1"),
        ("switch 2 { \"3\" | 2.0 => \"a\", 2 => \"b\", _ => \"z\" }", "a"),
        ("switch \"2\" { 1..5 => \"r\", \"2\" => \"e\", _ => \"z\" }", "r"),
        ("switch 2 { 2 if false => 1, 2 => 7, _ => 0 }", "7"),
        // A value written with blocks, interpolated text before, the separator byte.
        ("switch if true { 2 } else { 3 } { \"2\" => \"t\", _ => \"f\" }", "t"),
        ("switch { 2 } { \"2\" => \"t\", _ => \"f\" }", "t"),
        ("switch switch 1 { \"1\" => 2, _ => 0 } { \"2\" => \"t\", _ => \"f\" }", "t"),
        ("let s = `${1}`; let v = \"2\"; switch v { 2 => 1, _ => 0 }", "1"),
        ("switch 2 { 1 => `${1}`, \"2\" => \"t\", _ => \"f\" }", "t"),
        ("let s = \"a\\u001fb\"; switch s { \"a\\u001fb\" => 1, \"q\" => 2, _ => 0 }", "1"),
        ("let x = 0.0 / 0.0; switch x { () => 5, 1 => 2, _ => 0 }", "5"),
        ("let x = 0.0 / 0.0; switch fill(x, 0) { 0 => 5, _ => 0 }", "5"),
        ("switch () { () => 1, _ => 0 }", "1"),
        ("switch [1] { [1] => 1, _ => 0 }", "1"),
    ] {
        assert_eq!(ws.eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).value.to_string(), want, "{expr}");
    }
    // Where `==` refuses, so does the switch, at its value.
    for (expr, message) in [
        (
            "let v = [1];\nswitch v { 1 => 1, _ => 0 }",
            "<expr>:2:8: `switch` compares its value with each case as `==` does: cannot compare the list [1] with the number 1 \
             using `==`: to ask whether a value is in a list, write `value in list`",
        ),
        (
            "switch () { 1 => 1, _ => 0 }",
            "<expr>:1:8: `switch` on an empty cell: it equals no case, and it is not any other value either; test for it first \
             (`if is_missing(x) { … } else { switch x { … } }`), fill it (`switch fill(x, 0) { … }` for a number, \
             `switch x ?? 0 { … }` for a table's cell), or give it a case (`() => …`)",
        ),
        ("let m = 0.0 / 0.0; switch m { 1 => 1, _ => 0 }", "<expr>:1:27: `switch` on a missing value: it equals no case"),
        (
            "switch 2 { 2 if false => 1, \"2\" => 7, _ => 0 }",
            "`switch` on the number 2: the case 2 (with a condition) and the later case \"2\" both equal it, and when the \
             condition is false a switch does not try a case of another kind; write the equal cases as one kind",
        ),
        (
            "switch \"abc\" { 1 => 1, \"abc\" => 2, _ => 0 }",
            "`switch` compares its value with each case as `==` does: cannot compare the text \"abc\" with the number 1",
        ),
        ("switch #{a: 1} { 1 => 1, _ => 0 }", "cannot compare a record (#{…}) with the number 1 using `==`"),
        ("switch true { 1 => 1, _ => 0 }", "cannot compare the truth value true with the number 1 using `==`"),
        ("switch \"abc\" { 1 => 1, _ => 0 }", "cannot compare the text \"abc\" with the number 1 using `==`"),
        ("switch gdp { 1 => 1, _ => 0 }", "`switch` on a series: `==` with the case the number 1 gives a series, not true or false"),
        (
            "table(\"projects\").filter(|p| switch p { 2008 => true, _ => false }).count()",
            "cannot compare a row with the number 2008 using `==`: compare one of its fields (`p.year == 2008`)",
        ),
    ] {
        let e = ws.eval(expr).err().unwrap_or_else(|| panic!("{expr}: no error")).to_string();
        assert!(e.contains(message), "{expr}: {e}");
    }
    // Past column 65,535 Rhai's positions stop counting: refused, never unchecked.
    let long = format!("let p = \"{}\"; switch \"abc\" {{ 2 => 1, _ => 0 }}", "x".repeat(70_000));
    let e = ws.eval(&long).err().expect("an error").to_string();
    assert!(
        e.contains("a `switch` past column 65535 of line 1 cannot be checked against its cases' kinds: break the line before it"),
        "{e}"
    );
}

#[test]
fn an_infinity_equals_only_itself() {
    let ws = sample();
    let b = |e: &str| ws.eval(e).unwrap_or_else(|x| panic!("{e}: {x}")).value.to_string();
    assert_eq!(b("(1e308 * 10.0) == 5"), "false");
    assert_eq!(b("(1e308 * 10.0) > 5"), "true");
    assert_eq!(b("(1e308 * 10.0) != 5"), "true");
    assert_eq!(b("ln(0.0) < 0"), "true");
    assert_eq!(b("ln(0.0) == -1e308"), "false");
    assert_eq!(b("(1e308 * 10.0) == (1e308 * 10.0)"), "true");
    assert_eq!(b("let x = 1e308 * 10.0; if x > 5 { \"big\" } else { \"small\" }"), "big");
    // The tolerance for finite numbers stays: values that print the same are equal.
    assert_eq!(b("0.1 + 0.2 == 0.3"), "true");
    assert_eq!(b("1e308 == 1.0000000001e308"), "true");
    assert!(!yearbook::kernel::arith::approx_eq(f64::INFINITY, 5.0));
    assert!(!yearbook::kernel::arith::approx_eq(f64::INFINITY, f64::NEG_INFINITY));
    assert!(yearbook::kernel::arith::approx_eq(f64::INFINITY, f64::INFINITY));
    assert!(!yearbook::kernel::arith::approx_eq(f64::NAN, f64::NAN));
    // A missing number is still refused in a comparison.
    let e = ws.eval("at(gdp, \"dayun\", 2007) > 5").err().expect("error").to_string();
    assert!(e.contains("cannot compare a missing value"), "{e}");
}

#[test]
fn a_sort_comparator_must_give_an_order() {
    let ws = sample();
    let e = ws.eval("let a = [3, 1, 2]; a.sort(|x, y| 1/0); a").err().expect("error").to_string();
    assert!(e.contains("the sort comparator returned a missing value"), "{e}");
    let shown = |e: &str| ws.eval(e).unwrap_or_else(|x| panic!("{e}: {x}")).value.to_string();
    assert_eq!(shown("let a = [3, 1, 2]; a.sort(|x, y| x - y); a"), "[1, 2, 3]");
    assert_eq!(shown("let a = [3, 1, 2]; a.sort(|x, y| (y - x) * 1.0); a"), "[3, 2, 1]");
    assert_eq!(shown("let a = [1.5, 0.25, 1.0]; a.sort(|x, y| sign(x - y)); a"), "[0.25, 1.0, 1.5]");
    // A decimal's sign is the order: 1.5 - 1.25 = 0.25 puts 1.25 first.
    assert_eq!(shown("let a = [1.5, 0.25, 1.25]; a.sort(|x, y| x - y); a"), "[0.25, 1.25, 1.5]");
    assert_eq!(shown("let a = [1.5, 0.25, 1.25]; a.sort(|x, y| y - x); a"), "[1.5, 1.25, 0.25]");
    assert_eq!(shown("let a = [3, 1, 2]; a.sort(|x, y| x < y); a"), "[1, 2, 3]");
}

#[test]
fn array_callbacks_must_answer_true_or_false() {
    let ws = sample();
    for (expr, want) in [
        ("[1, 2, 3].filter(|x| x)", "filter's closure must return true or false, not 1 (a number)"),
        ("[1, 2, 3].filter(|x| \"yes\")", "filter's closure must return true or false, not \"yes\" (text)"),
        ("[1, 2, 3].filter(|x| ())", "filter's closure must return true or false, not () (nothing)"),
        ("[1, 2, 3].filter(|x| 1/0)", "filter's closure must return true or false, not a missing value"),
        ("[1, 2, 3].all(|x| 5)", "all's closure must return true or false, not 5 (a number)"),
        ("[1, 2, 3].some(|x| \"yes\")", "some's closure must return true or false"),
        ("let a = [1, 2, 3]; a.retain(|x| x); a", "retain's closure must return true or false"),
        ("let a = [1, 2, 3]; a.drain(|x| x); a", "drain's closure must return true or false"),
        ("[1, 2, 3].index_of(|x| x)", "index_of's closure must return true or false"),
        ("[1, 2, 3].find(|x| x)", "find's closure must return true or false"),
        ("let a = [1, 1, 2]; a.dedup(|x, y| 0); a", "dedup's closure must return true or false"),
        ("[1, 2, 3].filter(|x| gdp > x)", "filter's closure must return true or false, not"),
        // A map's filter, drain and retain (Rhai's took anything but true as false).
        ("#{a: 1, b: 2}.filter(|k, v| v)", "filter's closure must return true or false, not 1 (a number)"),
        ("let m = #{a: 1, b: 2}; m.retain(|k, v| 1); m", "retain's closure must return true or false"),
        ("let m = #{a: 1, b: 2}; m.drain(|k| this); m", "drain's closure must return true or false"),
    ] {
        let e = ws.eval(expr).err().unwrap_or_else(|| panic!("{expr}: no error")).to_string();
        assert!(e.contains(want), "{expr}: {e}");
    }
    let shown = |e: &str| ws.eval(e).unwrap_or_else(|x| panic!("{e}: {x}")).value.to_string();
    assert_eq!(shown("[1, 2, 3].filter(|x| x > 1)"), "[2, 3]");
    assert_eq!(shown("[1, 2, 3].filter(|x, i| i == 0)"), "[1]");
    assert_eq!(shown("[1, 2, 3].filter(|| this >= 2)"), "[2, 3]");
    assert_eq!(shown("[1, 2, 3].all(|x| x > 0)"), "true");
    assert_eq!(shown("[1, 2, 3].some(|x| x > 2)"), "true");
    assert_eq!(shown("[1, 2, 3].some(|x| x > 3)"), "false");
    assert_eq!(shown("let a = [1, 2, 3]; let r = a.retain(|x| x > 1); [a, r]"), "[[2, 3], [1]]");
    assert_eq!(shown("let a = [1, 2, 3]; let r = a.drain(|x| x > 1); [a, r]"), "[[1], [2, 3]]");
    assert_eq!(shown("[1, 2, 3].index_of(|x| x == 2)"), "1");
    assert_eq!(shown("[1, 2, 3].index_of(|x| x == 2, 2)"), "-1");
    assert_eq!(shown("[1, 2, 3].find(|x| x > 1)"), "2");
    assert_eq!(shown("let a = [1, 1, 2]; a.dedup(|x, y| x == y); a"), "[1, 2]");
    assert_eq!(shown("#{a: 1, b: 2, c: 3}.filter(|k, v| v >= 2)"), "#{\"b\": 2, \"c\": 3}");
    assert_eq!(shown("#{a: 1, b: 2, c: 3}.filter(|k| k != \"b\")"), "#{\"a\": 1, \"c\": 3}");
    assert_eq!(shown("let m = #{a: 1, b: 2, c: 3}; let r = m.retain(|k, v| v > 1); [m, r]"), "[#{\"b\": 2, \"c\": 3}, #{\"a\": 1}]");
    assert_eq!(shown("let m = #{a: 1, b: 2, c: 3}; let r = m.drain(|k, v| v > 1); [m, r]"), "[#{\"a\": 1}, #{\"b\": 2, \"c\": 3}]");
    // An error leaves the map as it was.
    assert_eq!(
        shown("let m = #{a: 1, b: 2}; try { m.retain(|k, v| if k == \"b\" { 1 } else { true }) } catch { }; m"),
        "#{\"a\": 1, \"b\": 2}"
    );
}

#[test]
fn a_name_a_template_reads_and_the_report_lacks_is_refused_with_the_nearest() {
    // A column the table lacks: never a sum of 0, an empty filter or the file order.
    let columns = "(its columns: id, region, year, name, category, investment_wan_yuan, quantity, quantity_unit, status, part_of)";
    for (template, column, near) in [
        (
            "## 投资\n\n项目总投资{{ rows(\"projects\") | map(attribute=\"investment_wan_yuen\") | sum }}万元\n",
            "investment_wan_yuen",
            "investment_wan_yuan",
        ),
        ("## 投资\n\n{{ rows(\"projects\") | selectattr(\"categroy\", \"equalto\", \"road\") | list | length }}\n", "categroy", "category"),
        ("## 投资\n\n{% for p in rows(\"projects\") %}{{ p.nmae }}{% endfor %}\n", "nmae", "name"),
        ("## 投资\n\n{% for p in rows(\"projects\") | sort(attribute=\"yaer\") %}{{ p.name }}{% endfor %}\n", "yaer", "year"),
        (
            "## 投资\n\n{% for p in rows(\"projects\") %}{% if p.categry == \"road\" %}{{ p.name }}{% endif %}{% endfor %}\n",
            "categry",
            "category",
        ),
        ("## 投资\n\n{% for p in rows(\"projects\") %}{{ p[\"statsu\"] }}{% endfor %}\n", "statsu", "status"),
    ] {
        let (code, _, err) = report_of(template);
        assert_eq!(code, 2, "{template}: {err}");
        assert!(
            err.contains(&format!(
                "report/economy.md:3: report template: table `projects` has no column `{column}`; did you mean `{near}`? {columns}; \
                 a name the table lacks would read as empty in every row, and a sum of it as 0"
            )),
            "{template}: {err}"
        );
    }
    let (code, _, err) = report_of("{% for p in rows(\"projects\") %}{{ p.items() }}{% endfor %}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a row of table `projects` has no method `items()`: read a cell as `r.column` or `r[\"column\"]`"), "{err}");
    // The columns it has: 2674.295万元 by hand over the 10 projects with an investment (125 + 154 + ...), one 道路 (labelled from road), one without a quantity.
    let (code, text, err) = report_of(
        "[{{ rows(\"projects\") | map(attribute=\"investment_wan_yuan\") | reject(\"none\") | sum }}]\
         [{{ rows(\"projects\") | selectattr(\"category\", \"equalto\", \"道路\") | list | length }}]\
         [{% for p in rows(\"projects\") %}{% if p.quantity is none %}-{% endif %}{% endfor %}]",
    );
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[2674.295][1]["), "{text}");
    // A report variable, an indicator or its field misspelt: refused, naming the nearest.
    for (template, said) in [
        ("[{{ region_nam }}]", "report/economy.md:1: report template: `region_nam` is undefined; did you mean `region_name` or `region`?"),
        ("[{{ indicators.gdp.valeu }}]", "`indicators.gdp.valeu` is undefined; did you mean `value`?"),
        ("[{{ indicators.gpd.value }}]", "`indicators.gpd` is undefined; did you mean `gdp`?"),
        ("[{% if indicators.gdp.valeu > 1 %}y{% endif %}]", "`indicators.gdp.valeu` is undefined; did you mean `value`?"),
        ("[{{ 1 + perod }}]", "(`perod` is undefined); did you mean `period`?"),
    ] {
        let (code, _, err) = report_of(template);
        assert_eq!(code, 2, "{template}: {err}");
        assert!(err.contains(said), "{template}: {err}");
    }
    // `is defined` and a plain `if` still read a missing name as false.
    let (code, text, err) =
        report_of("[{% if region_nam is defined %}y{% else %}n{% endif %}][{% if indicators.nothing %}y{% else %}n{% endif %}]");
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("[n][n]"), "{text}");
}

/// A town with a ledger of enterprises (18-digit credit codes that differ in the last
/// digit), one of projects whose investment column is text (a cell 另计) and the same
/// with `/` there (no figure, the column numbers), and a
/// template `t.md`.
fn ledgers(template: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
    w("regions.csv", "code,name,level,parent\nc1,某县,county,\nt1,甲镇,town,c1\n");
    w("indicators.csv", "code,label,unit,kind,rollup,note\ninvestment,固定资产投资,万元,flow,sum,\n");
    w("facts.csv", "region,year,indicator,value\nt1,2021,investment,500\n");
    w(
        "enterprises.csv",
        "seq,credit_code,name,output\n001,913300001111111111,企业甲,1200\n002,913300001111111112,企业乙,800\n\
         003,913300001111111113,企业丙,50\n",
    );
    w("projects.csv", "name,inv,added\n道路,100,1\n桥梁,另计,2\n礼堂,60,3\n公厕,9,4\n");
    // `/` (不适用) is no figure: the column stays numbers.
    w("slash.csv", "name,inv,added\n道路,100,1\n桥梁,/,2\n礼堂,60,3\n公厕,9,4\n");
    std::fs::create_dir_all(dir.path().join("report")).unwrap();
    w("report/t.md", template);
    w(
        "yearbook.toml",
        "[workspace]\nlevels = [\"county\",\"town\"]\nregion = \"t1\"\nperiod = \"2021\"\n[data]\nregions = \"regions.csv\"\n\
         indicators = \"indicators.csv\"\n[[data.facts]]\nfile = \"facts.csv\"\n[data.tables]\nenterprises = \"enterprises.csv\"\n\
         projects = \"projects.csv\"\nslash = \"slash.csv\"\n[report]\ntemplates = \"report\"\nsections = [\"t\"]\n",
    );
    dir
}

/// Templates compared an 18-digit code with a number through a decimal, where every
/// 91330000111111111x is the same number: `equalto` kept all three enterprises and their
/// output summed to 2050, not 800 (a tester's find). Text of digits and a whole number
/// compare as whole numbers, exactly.
#[test]
fn templates_compare_long_codes_with_whole_numbers_exactly() {
    let d = ledgers(
        "A {{ rows(\"enterprises\") | selectattr(\"credit_code\", \"equalto\", 913300001111111112) | map(attribute=\"name\") | join(\",\") }}\n\
         B {{ rows(\"enterprises\") | selectattr(\"credit_code\", \"equalto\", 913300001111111112) | map(attribute=\"output\") | sum }}\n\
         C {% for e in rows(\"enterprises\") %}{% if e.credit_code > 913300001111111111 %}{{ e.name }}{% endif %}{% endfor %}\n\
         D {% for e in rows(\"enterprises\") %}{% if e.credit_code != 913300001111111113 %}{{ e.name }}{% endif %}{% endfor %}\n\
         E {% for e in rows(\"enterprises\") %}{% if e.credit_code in [913300001111111113] %}{{ e.name }}{% endif %}{% endfor %}\n\
         F {{ rows(\"enterprises\") | selectattr(\"credit_code\", \"equalto\", 913300001111111112.0) | list | length }}\n",
    );
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out).unwrap();
    // F: 913300001111111112.0 is a decimal: 913300001111111104 as a double, no code.
    assert!(md.contains("A 企业乙\nB 800\nC 企业乙企业丙\nD 企业甲企业乙\nE 企业丙\nF 0\n"), "{md}");
}

/// `+` of text that spells a number and a number joined them as text: with one word in
/// it a ledger's column is text, and `p.inv + p.added > 100` read 60 + 3 as "603" (a
/// tester's find: 2 rows, not 1); `total += r.inv` from 0 built "0100…". Refused, saying
/// how to write the sum and the text; text that spells no number joins as before.
#[test]
fn plus_of_text_that_spells_a_number_and_a_number_is_refused() {
    let d = ledgers("");
    let cfg = d.path().join("yearbook.toml");
    let (code, _, err) = eval_text(&cfg, "table(\"projects\").filter(|p| p.name != \"桥梁\" && p.inv + p.added > 100).count()");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "`\"100\" + 1`: the text \"100\" spells a number, and `+` of text and a number joins them as text (\"1001\"), not \
             their sum; for the sum read the text as a number (parse_float(x) + 1; a table's column is text where one of its \
             cells is no number: make that cell a number or leave it empty), for text write `${x}${y}`"
        ),
        "{err}"
    );
    for expr in ["let t = 0; for r in table(\"projects\").rows() { t += r.inv; } t", "3.5 + \"60\"", "\"2021年\" + 1"] {
        let (code, _, err) = eval_text(&cfg, expr);
        assert_eq!(code, 2, "{expr}: {err}");
        assert!(err.contains("spells a number, and `+` of text and a number joins them as text"), "{expr}: {err}");
    }
    // The sum, read as numbers; and text that spells no number, joined.
    let (code, out, err) =
        eval_text(&cfg, "table(\"projects\").filter(|p| p.name != \"桥梁\" && parse_float(p.inv) + p.added > 100).count()");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "1");
    // `/` is no figure: the same column with it is numbers, its largest 100.
    let (code, out, err) = eval_text(
        &cfg,
        "max(table(\"slash\"), \"inv\") + table(\"slash\").filter(|p| p.name != \"桥梁\" && p.inv + p.added > 100).count()",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "101");
    let (code, out, err) = eval_text(&cfg, "let s = \"第\" + 3 + \"名\"; s += 1; s + (0.1 + 0.2)");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "第3名10.3");
}

/// A column is text where one cell is no figure (投资 of 100, 另计, 60, 9), and as text it
/// ordered 100 before 60 before 9: `sort(attribute="inv") | first` named 道路 (100) the
/// smallest, `max` gave 9, `table.sort("inv")` put 道路 first; 序号 001..010 as codes
/// sorted `010` before `002` only where their width differs. Figures in text now order by
/// value (codes by their digits, exactly), words after them, blanks last. In templates
/// `*` repeated such text (`{{ p.inv * 2 }}` printed 100100) and `+` joined it: refused.
/// `sort(t, c, "dsc")` sorted up without a word: refused, naming the two words. Template
/// `groupby` ordered its groups as text too.
#[test]
fn text_columns_of_figures_order_by_value_and_refuse_arithmetic_as_text() {
    let d = ledgers(
        "A {{ rows(\"projects\") | sort(attribute=\"inv\") | map(attribute=\"name\") | join(\",\") }}\n\
         B {{ rows(\"projects\") | sort(attribute=\"inv\", reverse=true) | map(attribute=\"name\") | join(\",\") }}\n\
         C {{ rows(\"projects\") | map(attribute=\"inv\") | max }}|{{ rows(\"projects\") | rejectattr(\"inv\", \"eq\", \"另计\") | map(attribute=\"inv\") | max }}|\
         {{ rows(\"projects\") | rejectattr(\"inv\", \"eq\", \"另计\") | min(attribute=\"inv\") | attr(\"name\") }}|{{ [\"9\", 60, \"100\"] | max }}|{{ [\"b\", \"A\"] | max }}\n\
         D {{ rows(\"enterprises\") | sort(attribute=\"credit_code\", reverse=true) | map(attribute=\"name\") | join(\",\") }}|\
         {{ [\"10\", \"9\", \"001\"] | sort | join(\",\") }}|{{ \"-\" * 3 }}|{{ (rows(\"projects\")[0].inv | float) * 2 }}\n\
         E {% for g in rows(\"projects\") | groupby(\"inv\") %}{{ g.grouper }}:{{ g.list | map(attribute=\"name\") | join }};{% endfor %}|\
         {% for k, items in [{\"y\": \"10\"}, {\"y\": \"9\"}, {\"y\": none}, {\"y\": \"9\"}] | groupby(attribute=\"y\") %}{{ k }}={{ items | length }},{% endfor %}|\
         {% for g in [{\"c\": \"A\"}, {\"c\": \"a\"}, {\"c\": \"b\"}] | groupby(\"c\") %}{{ g[0] }}{{ g[1] | length }}{% endfor %}\n",
    );
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("A 公厕,礼堂,道路,桥梁\nB 道路,礼堂,公厕,桥梁\nC —|100|公厕|100|b\n"), "{md}");
    assert!(md.contains("D 企业丙,企业乙,企业甲|001,9,10|---|200\n"), "{md}");
    // groupby too: by value, words after figures, a missing key last (as text 100 came
    // before 60 before 9); keys that differ only by case are one group, named as first met.
    assert!(md.contains("E 9:公厕;60:礼堂;100:道路;另计:桥梁;|9=2,10=1,—=1,|A2b1\n"), "{md}");
    for (t, op) in [("{{ rows(\"projects\")[0].inv * 2 }}", "*"), ("{{ rows(\"projects\")[0].inv + \"3\" }}", "+")] {
        std::fs::write(d.path().join("report/t.md"), t).unwrap();
        let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
        assert_eq!(code, 2, "{t}: {err}");
        assert!(
            err.contains(&format!(
                "t.md:1: report template: `{op}` of the text \"100\": it spells a figure, but is text (a column is text where one of \
                 its cells is no figure, such as 另计); to compute with its value write `(x | float) {op} ...`, to join text write `a ~ b`"
            )),
            "{t}: {err}"
        );
    }
    let cfg = d.path().join("yearbook.toml");
    for (expr, names) in [
        ("table(\"projects\").sort(\"inv\").column(\"name\")", "[\"公厕\", \"礼堂\", \"道路\", \"桥梁\"]"),
        ("table(\"projects\").sort(\"inv\", \"desc\").column(\"name\")", "[\"道路\", \"礼堂\", \"公厕\", \"桥梁\"]"),
        ("table(\"projects\").sort(\"inv\", \"降序\").column(\"name\")", "[\"道路\", \"礼堂\", \"公厕\", \"桥梁\"]"),
        ("table(\"enterprises\").sort(\"credit_code\", \"desc\").column(\"name\")", "[\"企业丙\", \"企业乙\", \"企业甲\"]"),
    ] {
        let (code, out, err) = eval_text(&cfg, expr);
        assert_eq!(code, 0, "{expr}: {err}");
        assert_eq!(out.trim(), names, "{expr}");
    }
    let (code, _, err) = eval_text(&cfg, "table(\"projects\").sort(\"inv\", \"dsc\")");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("sort: unknown order \"dsc\": write \"desc\" (降序) or \"asc\" (升序)"), "{err}");
}

/// Three ledgers a tester wrote: a column named `tag` read 0 in every row (Rhai gives
/// every value a property `tag`), so `p.tag == 2` matched none and `p.tag == 0` all;
/// product codes `1E2`, `12E3` were the numbers 100 and 12000 and `1E2` merged with the
/// code `100`; a column of rates written `5.2%` is text, and `p.rate > "5%"` compared as
/// text (12.5% is not above 5%), as did `sort`.
#[test]
fn a_tag_column_exponent_codes_and_percent_text_read_as_written() {
    let d = ledgers("");
    std::fs::write(d.path().join("tags.csv"), "id,tag,产品代码,销售额,rate\np1,2,1E2,50,5.2%\np2,2,100,30,12.5%\np3,1,12E3,20,-3%\n")
        .unwrap();
    let cfg = d.path().join("yearbook.toml");
    let toml = std::fs::read_to_string(&cfg).unwrap().replace("[data.tables]\n", "[data.tables]\ntags = \"tags.csv\"\n");
    std::fs::write(&cfg, toml).unwrap();
    for (expr, want) in [
        ("table(\"tags\").filter(|p| p.tag == 2).count()", "2"),
        ("table(\"tags\").filter(|p| p.tag == 0).count()", "0"),
        ("table(\"tags\").rows().map(|p| p.tag)", "[2, 2, 1]"),
        ("table(\"tags\").filter(|r| r.产品代码 == \"1E2\").count()", "1"),
        ("table(\"tags\").group_by(\"产品代码\").count().len()", "3"),
        ("table(\"tags\").filter(|p| p.rate > \"5%\").count()", "2"),
        ("table(\"tags\").sort(\"rate\", \"desc\").column(\"id\")", "[\"p2\", \"p1\", \"p3\"]"),
        ("\"b\" > \"a\" && \"9\" < \"60\" && !(\"abc\" > \"abd\")", "true"),
    ] {
        let (code, out, err) = eval_text(&cfg, expr);
        assert_eq!(code, 0, "{expr}: {err}");
        assert_eq!(out.trim(), want, "{expr}");
    }
}

/// Texts of figures compared with each other (a tester's second round): in templates
/// `p.inv is gt("50")` (the form the error for `p.inv > "50"` suggests), `selectattr`,
/// and `r[0].inv > r[2].inv` ordered as text (100 not above 60; 9 above 50); in scripts
/// `r[0].inv + r[2].inv` joined them ("10060"), `max` gave "9", `1 + "5.2%"` "15.2%" and
/// an array of them sorted as text. By value now; a word (另计) against a figure is an
/// error, a blank against a figure false.
#[test]
fn texts_of_figures_compare_by_value_and_never_join_as_arithmetic() {
    let d = ledgers(
        "A {% for p in rows(\"projects\") if p.inv != \"另计\" %}{% if p.inv is gt(\"50\") %}{{ p.name }}{% endif %}{% endfor %}|\
         {{ rows(\"projects\") | rejectattr(\"inv\", \"eq\", \"另计\") | selectattr(\"inv\", \"lt\", \"60\") | map(attribute=\"name\") | join }}|\
         {% set r = rows(\"projects\") %}{% if r[0].inv > r[2].inv %}多于{% else %}不多于{% endif %}|{{ r[3].inv < r[2].inv }}|\
         {{ \"\" < \"6%\" }}|{{ \"10%\" > \"6%\" }}\n",
    );
    let out = d.path().join("r.md");
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("A 道路礼堂|公厕|多于|True|False|True\n"));
    std::fs::write(d.path().join("report/t.md"), "{% for p in rows(\"projects\") %}{% if p.inv is gt(\"50\") %}x{% endif %}{% endfor %}")
        .unwrap();
    let (code, _, err) = cli_in(d.path(), &["report", "-c", "yearbook.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot order the text \"另计\" against the text \"50\" using `>`: one spells a figure and the other does not"),
        "{err}"
    );
    let cfg = d.path().join("yearbook.toml");
    let r = "let r = table(\"projects\").rows(); ";
    for (expr, want) in [
        (format!("{r}r[0].inv + r[2].inv"), "`\"100\" + \"60\"`: both texts spell a figure"),
        (format!("{r}r[0].inv - r[2].inv"), "`\"100\" - \"60\"`: both texts spell a figure"),
        (format!("{r}max(r[0].inv, r[3].inv)"), "`max(\"100\", \"9\")`: both texts spell a figure"),
        (format!("{r}r[1].inv > \"50\""), "`\"另计\" > \"50\"`: one text spells a figure and the other does not"),
        ("1 + \"5.2%\"".to_string(), "the text \"5.2%\" spells a number"),
    ] {
        let (code, _, err) = eval_text(&cfg, &expr);
        assert_eq!(code, 2, "{expr}: {err}");
        assert!(err.contains(want), "{expr}: {err}");
    }
    for (expr, want) in [
        (format!("{r}let m = r.map(|p| p.inv); m.sort(); m"), "[\"9\", \"60\", \"100\", \"另计\"]"),
        (format!("{r}let m = r.map(|p| p.inv); m.sort_desc(); m"), "[\"100\", \"60\", \"9\", \"另计\"]"),
        (format!("{r}r[3].inv < r[2].inv && \"\" < \"5\" == false"), "true"),
        ("\"2021\" + \"年\" + (\"ab\" - \"b\") + max(\"a\", \"b\")".to_string(), "2021年ab"),
    ] {
        let (code, out, err) = eval_text(&cfg, &expr);
        assert_eq!(code, 0, "{expr}: {err}");
        assert_eq!(out.trim(), want, "{expr}");
    }
}

/// A list searched by `==` (`in`, `contains`, `index_of`, `dedup`) read a `==` that gives
/// no true or false (of a series: an answer per cell) as unequal: `gdp in [gdp]` was
/// false, `[a].index_of(a)` -1, `[gdp, gdp].dedup()` kept both. An error now, as `if` and
/// `switch` give; searches of numbers and text answer as before.
#[test]
fn a_list_search_by_equality_never_reads_a_series_as_unequal() {
    let ws = sample();
    let want = "compares items with `==`, which of a series and a series gives a series, not true or false";
    for (expr, name) in [
        ("gdp in [gdp]", "`in`"),
        ("[amount(10000, \"万元\")].contains(amount(1, \"亿元\"))", "`in`"),
        ("let a = amount(1, \"万元\"); [a].index_of(a)", "`index_of`"),
        ("let a = amount(1, \"万元\"); [1, a].index_of(a, 1)", "`index_of`"),
        ("let a = [gdp, gdp]; a.dedup(); a.len()", "`dedup`"),
    ] {
        let e = ws.eval(expr).err().unwrap_or_else(|| panic!("{expr}: no error")).to_string();
        assert!(e.contains(&format!("{name} {want}")), "{expr}: {e}");
    }
    let shown = |e: &str| ws.eval(e).unwrap_or_else(|x| panic!("{e}: {x}")).value.to_string();
    assert_eq!(shown("2 in [1, 2]"), "true");
    assert_eq!(shown("3 in [1, 2]"), "false");
    assert_eq!(shown("\"a\" in [\"a\", 2]"), "true");
    assert_eq!(shown("2.0 in [1, 2]"), "true");
    assert_eq!(shown("[1, 2, 2, 3].index_of(2)"), "1");
    assert_eq!(shown("[1, 2, 2, 3].index_of(2, 2)"), "2");
    assert_eq!(shown("[1, 2].index_of(5)"), "-1");
    assert_eq!(shown("let a = [1, 1, 2, 2, 1]; a.dedup(); a"), "[1, 2, 1]");
}
