//! The REPL: scripted through stdin, and completion plus multiline through a pseudo
//! terminal.

use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn repl(input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yearbook"))
        .args(["repl", "-c", sample_config().to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn scripted_session_keeps_definitions() {
    let (code, out, err) =
        repl("let g = gdp;\nfn 增速(s) {\n  pct(yoy(s))\n}\n增速(non_agricultural_population)\n:mode csv\ng * 2\n.maxrows 5\n");
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("yearbook>"), "no prompt when stdin is not a terminal");
    assert!(out.contains("9.53"), "{out}");
    assert!(out.contains("dayun,大云镇,2008,15.5,亿元"), "{out}");
}

#[test]
fn failures_give_a_nonzero_exit_and_the_session_goes_on() {
    let (code, out, err) = repl("gpd\n:foo\n1 + 1\n");
    assert_eq!(code, 1);
    assert!(err.contains("unknown name `gpd`; did you mean `gdp`?") && err.contains("^^^"), "{err}");
    assert!(err.contains("unknown command `:foo`"), "{err}");
    assert_eq!(out.trim(), "2");
}

#[test]
fn commands_list_and_explain() {
    let (code, out, err) = repl(
        ":indicators\n:regions town\n:tables\n:rules\n:help rollup\n:run output_balance\n:explain pct(yoy(non_agricultural_population))\n:at dayun 2008\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("地区生产总值") && out.contains("亿元"), "{out}");
    assert!(out.contains("jiashan"));
    assert!(out.contains("investment_wan_yuan"));
    assert!(out.contains("balance(gross_output"));
    // :rules lists the report rules after the rules: id, section, when, say.
    assert!(out.contains("investment_ahead") && out.contains("highlights") && out.contains("{region}农民人均纯收入"), "{out}");
    assert!(out.contains("rollup(s: Series, level: &str) -> Series"));
    assert!(out.contains("└─ non_agricultural_population") && out.contains("2564人; 2007: 2341人"), "{out}");
    let (_, out, _) = cli(&[
        "explain",
        "-c",
        sample_config().to_str().unwrap(),
        "implied_prior(gdp, reported_yoy.gdp)",
        "--region",
        "大云镇",
        "--period",
        "2008",
    ]);
    assert!(out.starts_with("大云镇 2008\nimplied_prior(gdp, reported_yoy.gdp)  = 6.56亿元\n├─ gdp"), "{out}");
}

#[test]
fn save_writes_the_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.rhai");
    let (code, _, err) = repl(&format!("let x = gdp * 2;\nfn double(s) {{ s * 2 }}\ndouble(x)\n:save {}\n", file.display()));
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "let x = gdp * 2;\n\nfn double(s) { s * 2 }\n");
}

#[test]
fn completion_and_multiline_rules() {
    let words: Vec<String> =
        ["gdp", "growth", "reported_yoy.gdp", "reported_yoy.exports", ":help", ":run", "非农人口"].iter().map(|s| s.to_string()).collect();
    let c = yearbook::complete::complete(&words, "pct(gr", 6);
    assert_eq!(c, (4, vec!["growth".to_string()]));
    let c = yearbook::complete::complete(&words, "reported_yoy.g", 14);
    assert_eq!(c, (0, vec!["reported_yoy.gdp".to_string()]));
    let c = yearbook::complete::complete(&words, ".he", 3);
    assert_eq!(c.1, vec![".help".to_string()]);
    let line = "x + 非农";
    assert_eq!(yearbook::complete::complete(&words, line, line.len()).1, vec!["非农人口".to_string()]);
    let sigs = yearbook_cli::repl::helper::signatures(&[
        "lag(s: Series, k: i64) -> Series".to_string(),
        "+(a: Series, b: f64) -> Series".to_string(),
    ]);
    assert_eq!(yearbook_cli::repl::helper::signature_hint(&sigs, "pct(lag(", 8).as_deref(), Some("  ⟨lag(s: Series, k: i64) -> Series⟩"));
    assert_eq!(yearbook_cli::repl::helper::signature_hint(&sigs, "gdp + (", 7), None);
    let e = rhai::Engine::new_raw();
    assert!(!yearbook_cli::repl::is_complete(&e, "fn f(x) {"));
    assert!(!yearbook_cli::repl::is_complete(&e, "let s = \"abc"));
    assert!(!yearbook_cli::repl::is_complete(&e, "[1, 2,"));
    assert!(yearbook_cli::repl::is_complete(&e, "fn f(x) { x }"));
    assert!(yearbook_cli::repl::is_complete(&e, ":help"));
}

/// Drives the REPL through a pseudo terminal (Python's pty module): tab completion and
/// a multiline function definition.
#[test]
fn pseudo_terminal_completion_and_multiline() {
    if Command::new("python3").arg("-c").arg("import pty").output().map(|o| !o.status.success()).unwrap_or(true) {
        eprintln!("skipped: python3 with pty is not available");
        return;
    }
    let script = r#"
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.environ["XDG_STATE_HOME"] = sys.argv[3]
    os.execv(sys.argv[1], [sys.argv[1], "repl", "-c", sys.argv[2]])
out = b""
def read(t=1.5):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: out += os.read(fd, 65536)
            except OSError: return
def send(s):
    os.write(fd, s.encode()); read(0.8)
read(3)
send("pct(yoy(non_agricultural_popu\t))\r")
send("fn twice(s) {\r")
send("  s * 2\r")
send("}\r")
send("value(twice(gdp))\r")
os.write(fd, b"loop { }\r"); time.sleep(0.4)
send("\x03")
send("40 + 2\r")
send("\x04")
read(1)
sys.stdout.write(out.decode("utf-8", "replace"))
"#;
    let dir = tempfile::tempdir().unwrap();
    let py = dir.path().join("drive.py");
    std::fs::write(&py, script).unwrap();
    // No operation limit, a long time limit: only Ctrl-C can stop `loop {}`.
    let cfg = std::fs::read_to_string(sample_config())
        .unwrap()
        .replace("[report]", "[limits]\nmax_operations = 0\ntimeout_ms = 600000\n\n[report]");
    let ws = sample_copy(&[("yearbook.toml", cfg.as_bytes())]);
    let out = Command::new("python3")
        .arg(&py)
        .arg(env!("CARGO_BIN_EXE_yearbook"))
        .arg(ws.path().join("yearbook.toml"))
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("yearbook>"), "prompt shown on a terminal: {text}");
    assert!(
        text.contains("non_agricultural_population") && !text.contains("non_agricultural_population\t"),
        "tab completed the name: {text}"
    );
    assert!(text.contains("9.53"), "completed input evaluated: {text}");
    assert!(text.contains("15.5"), "multiline function defined and used: {text}");
    assert!(text.contains("interrupted"), "Ctrl-C stops a running evaluation: {text}");
    assert!(text.contains("42"), "and the session goes on: {text}");
    assert!(dir.path().join("yearbook/history").is_file(), "history saved");
}

#[test]
fn a_missing_semicolon_is_an_error_at_its_place_not_a_wait() {
    let (code, out, err) = repl("let x = 1 let y = 2\n1 + 1\nfn f(a) {\n  a * 2\n}\nf(21)\n");
    assert_eq!(code, 1);
    assert!(err.contains("<repl>:1:11: Expecting ';' to terminate this statement"), "{err}");
    assert!(!err.contains("unfinished"), "{err}");
    assert_eq!(out, "2\n42\n", "the rest of the input still runs");
    assert!(yearbook_cli::repl::is_complete(&rhai::Engine::new(), "let x = 1 let y = 2"));
    for open in ["fn f() {", "let a = [1,", "f(1,\n2", "let x = 1 +", "if x {\n  1\n", "let s = \"abc"] {
        assert!(!yearbook_cli::repl::is_complete(&rhai::Engine::new(), open), "{open}");
    }
}

#[test]
fn save_writes_what_load_reads_once_per_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.rhai");
    let f = file.to_str().unwrap();
    let (code, out, err) =
        repl(&format!("let x = 1\nlet x = 2\nfn f(a) {{ a * 10 }}\nfn f(a) {{ a * 3 }}\nlet y = f(x)\n:save {f}\n:quit\n"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved 3 definition(s)"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "let x = 2;\n\nfn f(a) { a * 3 }\n\nlet y = f(x);\n");
    let (code, out, err) = repl(&format!(":load {f}\ny\n"));
    assert_eq!((code, out.trim_end().lines().last()), (0, Some("6")), "{err}");
}

/// A file loaded, then one of its functions redefined: the saved file holds the new
/// definition once and loads again (a tester saw both definitions saved, and the file
/// refused by :load). A load error quotes the file's own line.
#[test]
fn save_after_load_and_redefinition_loads_again() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.rhai"), dir.path().join("b.rhai"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let (code, _, err) = repl(&format!("fn g(s) {{ s * 2 }}\nlet k = 3\n:save {a}\n"));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = repl(&format!(":load {a}\nfn g(s) {{ s * 4 }}\n:save {b}\n"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved 2 definition(s)"), "{out}");
    assert_eq!(std::fs::read_to_string(b).unwrap(), "let k = 3;\n\nfn g(s) { s * 4 }\n");
    let (code, out, err) = repl(&format!(":load {b}\ng(k)\n"));
    assert_eq!((code, out.trim_end().lines().last()), (0, Some("12")), "{err}");
    std::fs::write(a, "let k = 3;\n\nfn g(s) {\n\n  s * nope\n}\n\ng(k)\n").unwrap();
    let (_, _, err) = repl(&format!(":load {a}\n"));
    assert!(err.contains(":5:"), "the error names line 5 of the file: {err}");
}

#[test]
fn quit_ends_a_piped_session_cleanly() {
    let (code, out, err) = repl("1 + 1\n:quit\n3 + 3\n");
    assert_eq!((code, out.as_str(), err.as_str()), (0, "2\n", ""));
}

#[test]
fn help_knows_every_function_indicator_label_and_command() {
    let (code, out, err) = repl(":help yoy_pct\n:help local_fiscal_share\n:help 地区生产总值\n:help :save\n:help gpd\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("yoy_pct(s)\n    Year-on-year growth in percent"), "{out}");
    assert!(
        out.contains("local_fiscal_share 地方财政收入占财政总收入比重: %, derived = share_pct(local_fiscal_revenue, fiscal_revenue)"),
        "{out}"
    );
    assert!(out.contains("gdp 地区生产总值: 亿元 (flow, rollup sum)"), "{out}");
    assert!(out.contains(":save FILE.rhai"), "{out}");
    assert!(out.contains("no function, indicator or command `gpd`; did you mean `gdp`"), "{out}");
}

#[test]
fn errors_in_functions_quote_the_lines_that_define_them() {
    let (_, _, err) = repl("fn f(x) {\n  nosuch(x)\n}\nf(gdp)\nlet k = 2\nfn g(a) { a * k }\ng(1)\n");
    assert!(err.contains("<repl>:2:3: unknown function `nosuch`\n  |\n2 |   nosuch(x)\n  |   ^^^^^^"), "{err}");
    assert!(err.contains("`k` is defined outside the function `g`, which sees only its parameters"), "{err}");
    // A function from a scripts file, called by a rule.
    let d = sample_copy(&[]);
    std::fs::create_dir_all(d.path().join("scripts")).unwrap();
    std::fs::write(d.path().join("scripts/bad.rhai"), "/// Broken.\nfn broken_ratio(x) {\n    let y = x * 2;\n    nosuch(y)\n}\n").unwrap();
    let cfg = std::fs::read_to_string(d.path().join("yearbook.toml")).unwrap();
    let cfg = format!("scripts = [\"scripts/bad.rhai\"]\n{cfg}\n[rules.uses_broken]\ncheck = \"broken_ratio(gdp) > 0\"\n");
    std::fs::write(d.path().join("yearbook.toml"), cfg).unwrap();
    let (code, _, err) = cli_in(d.path(), &["run", "-c", "yearbook.toml", "--out", "out"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("bad.rhai:4:5: unknown function `nosuch`\n  |\n4 |     nosuch(y)\n  |     ^^^^^^"), "{err}");
}

#[test]
fn highlighting_colours_words_by_kind() {
    let inds: std::collections::HashSet<String> = ["gdp".to_string()].into();
    let h = yearbook_cli::repl::helper::highlight_rhai("let g = pct(yoy(gdp)) * 100 // 同比 \"x\"", &inds);
    assert_eq!(
        h,
        "\x1b[35mlet\x1b[0m g = \x1b[33mpct\x1b[0m(\x1b[33myoy\x1b[0m(\x1b[34;1mgdp\x1b[0m)) * \x1b[36m100\x1b[0m \x1b[2m// 同比 \"x\"\x1b[0m"
    );
    let h = yearbook_cli::repl::helper::highlight_rhai("only(gdp, \"大云镇\")", &inds);
    assert!(h.contains("\x1b[32m\"大云镇\"\x1b[0m"), "{h}");
    // Half-typed input: an open string colours to the end, nothing panics.
    assert!(yearbook_cli::repl::helper::highlight_rhai("table(\"pro", &inds).ends_with("\x1b[32m\"pro\x1b[0m"));
}

#[test]
fn completion_knows_where_it_is() {
    use yearbook::complete::{ContextWords, complete_in_string};
    let ctx = ContextWords {
        levels: vec!["county".into(), "town".into()],
        tables: vec!["projects".into()],
        regions: vec!["dayun".into(), "大云镇".into()],
        columns: vec!["investment_wan_yuan".into()],
        periods: vec!["2008".into()],
        units: vec!["万元".into()],
    };
    let at = |line: &str| complete_in_string(&ctx, line, line.len());
    assert_eq!(at("rollup(gdp, \"co"), Some((13, vec!["county".to_string()])));
    assert_eq!(at("table(\"").map(|c| c.1), Some(vec!["projects".to_string()]));
    assert_eq!(at("only(yoy(gdp), \"大").map(|c| c.1), Some(vec!["大云镇".to_string()]));
    assert_eq!(at("table(\"projects\").sum(\"inv").map(|c| c.1), Some(vec!["investment_wan_yuan".to_string()]));
    assert_eq!(at("rollup(gdp, \"county\")"), None, "outside a string: ordinary completion");
}

#[test]
fn session_keeps_the_last_result_digits_and_output_files() {
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all.txt");
    let once = dir.path().join("once.csv");
    let (code, out, err) = repl(&format!(
        "gdp * 2\nans + 1\n:digits 3\nvalue(gdp)\n:digits auto\n:once {}\n:mode csv\ngdp\n:mode table\n:output {}\n1 + 1\n2 + 2\n:output off\n5\n",
        once.display(),
        all.display()
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("16.5"), "ans is the last result: {out}");
    assert!(out.contains("7.750"), ":digits 3: {out}");
    assert!(out.trim_end().ends_with('5'), "{out}");
    assert_eq!(std::fs::read_to_string(&once).unwrap(), "region,name,period,value,unit,flag\ndayun,大云镇,2008,7.75,亿元,estimate\n");
    assert_eq!(std::fs::read_to_string(&all).unwrap(), "2\n4\n");
}

#[test]
fn indicators_list_the_configs_own_first_and_namespaces_on_request() {
    let (_, out, _) = repl(":indicators\n");
    let first = out.lines().nth(3).unwrap_or_default();
    assert!(first.contains("derived"), "the config's own indicators come first: {out}");
    assert!(!out.contains(" reported_yoy.gdp "), "{out}");
    let (_, out, _) = repl(":maxrows 500\n:indicators all\n");
    assert!(out.contains(" reported_yoy.gdp "), "{out}");
}

#[test]
fn explain_opens_derived_indicators_and_rollups_down_to_facts() {
    let (code, out, err) = repl(":explain local_fiscal_share\n:at jiashan\n:explain rollup(gdp, \"county\")\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("└─ = share_pct(local_fiscal_revenue, fiscal_revenue)  = 36.92%"), "{out}");
    assert!(out.contains("├─ local_fiscal_revenue") && out.contains("2400万元"), "{out}");
    assert!(out.contains("└─ gdp @ 大云镇") && out.contains("7.75亿元"), "{out}");
}

#[test]
fn tables_fit_maxwidth_with_cut_cells() {
    let (code, out, err) = repl(":maxwidth 60\ntable(\"projects\").head(2)\n");
    assert_eq!(code, 0, "{err}");
    for l in out.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(l) <= 60, "too wide: {l}");
    }
    assert!(out.contains('…') && out.contains("p01"), "{out}");
}

/// docs/repl.md's recorded session is what the REPL prints today.
#[test]
fn the_recorded_session_in_the_docs_is_current() {
    let doc = std::fs::read_to_string(root().join("docs/repl.md")).unwrap();
    let part = doc.split("## A session on the sample").nth(1).unwrap();
    let blocks: Vec<&str> = part.split("```\n").collect();
    let (input, expected) = (blocks[1], blocks[3]);
    let (code, out, err) = repl(input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected, "docs/repl.md's session output is stale");
}
