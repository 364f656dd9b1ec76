//! docs/functions.md is generated from the engine; it must match what the engine has.

use crate::common::*;

#[test]
fn function_reference_is_current() {
    let generated = yearbook::script::docs::functions_markdown(&yearbook::script::reference_engine());
    let committed = std::fs::read_to_string(root().join("docs/functions.md")).unwrap_or_default();
    if generated != committed {
        if std::env::var_os("YEARBOOK_BLESS").is_some() {
            std::fs::write(root().join("docs/functions.md"), &generated).unwrap();
            return;
        }
        panic!(
            "docs/functions.md is out of date: run `YEARBOOK_BLESS=1 cargo test function_reference` or `yearbook functions > docs/functions.md`"
        );
    }
    for name in ["yoy", "rollup", "completion", "per_capita", "top", "quantile", "filter", "group_by"] {
        assert!(generated.contains(&format!("## `{name}`")), "{name} missing from the reference");
    }
}

/// ```toml blocks of README.md and docs/*.md with the file and line they start on.
fn toml_examples() -> Vec<(String, String)> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root().join("docs")).unwrap().flatten().map(|e| e.path()).collect();
    docs.sort();
    files.extend(docs.into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")));
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut block: Option<(usize, String)> = None;
        for (i, line) in text.lines().enumerate() {
            match &mut block {
                None if line.trim_start() == "```toml" => block = Some((i + 1, String::new())),
                Some((start, b)) if line.trim_start() == "```" => {
                    out.push((format!("{}:{}", f.file_name().unwrap().to_string_lossy(), start), b.clone()));
                    block = None;
                }
                Some((_, b)) => {
                    b.push_str(line);
                    b.push('\n');
                }
                None => {}
            }
        }
    }
    out
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// Every TOML example in the README and docs is valid as written: a whole config parses
/// (unknown keys refused), and a fragment ([indicators.x], [rules.x], [report]) added to
/// the sample's config opens, compiling its scripts.
#[test]
fn every_toml_example_is_valid() {
    let examples = toml_examples();
    assert!(examples.len() >= 5, "{examples:?}");
    let sample = std::fs::read_to_string(sample_config()).unwrap();
    for (at, text) in examples {
        if text.contains("[[case]]") {
            // A rule test (docs/testing.md): it runs, and passes, on the sample.
            let d = sample_copy(&[("tests/zz_doc_example.toml", text.as_bytes())]);
            let report = yearbook::ruletest::run_tests(&d.path().join("yearbook.toml"), Some("zz_doc_example"))
                .unwrap_or_else(|e| panic!("{at}: {e}\n{text}"));
            assert!(!report.cases.is_empty() && report.failed() == 0, "{at}: {}", report.render());
            continue;
        }
        if text.contains("[workspace]") {
            yearbook::config::ConfigFile::parse(std::path::Path::new("example.toml"), text.clone())
                .unwrap_or_else(|e| panic!("{at}: {e}\n{text}"));
            continue;
        }
        let fragment: toml::Table = text.parse().unwrap_or_else(|e| panic!("{at}: {e}"));
        let fragment_reads_files =
            |t: &str| t.lines().any(|l| l.trim_start().starts_with("[[data.") || l.trim_start().starts_with("[data"));
        let mut cfg: toml::Table = sample.parse().unwrap();
        merge(&mut cfg, fragment);
        let merged = toml::to_string(&cfg).unwrap();
        // Examples over other files ([[data.facts]] entries) or other names: the keys and
        // types are checked, not the files or the scripts.
        if text.starts_with("# example over other data") || fragment_reads_files(&text) {
            // Names from another dataset: the keys and types are checked, not the scripts.
            yearbook::config::ConfigFile::parse(std::path::Path::new("example.toml"), merged)
                .unwrap_or_else(|e| panic!("{at}: {e}\n{text}"));
            continue;
        }
        let d = sample_copy(&[("yearbook.toml", merged.as_bytes())]);
        if let Err(e) = yearbook::Workspace::open(&d.path().join("yearbook.toml"), None) {
            panic!("{at}: {e}\n{text}");
        }
    }
}

/// The README's eval examples print the values their comments give.
#[test]
fn readme_eval_examples_print_what_they_say() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut n = 0;
    for line in readme.lines().map(str::trim).filter(|l| l.starts_with("yearbook eval -c config/dayun/yearbook.toml")) {
        let rest = line.trim_start_matches("yearbook eval -c config/dayun/yearbook.toml").trim();
        // The expression is the last '…' argument; a `# value unit` comment may follow it.
        let close = rest.rfind('\'').unwrap_or(rest.len());
        let (args, comment) = rest.split_at((close + 1).min(rest.len()));
        let want = comment.trim().strip_prefix('#').map(str::trim);
        let mut argv: Vec<String> = vec!["eval".into(), "-c".into(), sample_config().display().to_string()];
        let args = args.trim();
        if let Some(r) = args.strip_prefix("--format json ") {
            argv.extend(["--format".to_string(), "json".to_string()]);
            argv.push(r.trim_matches('\'').to_string());
        } else {
            argv.push(args.trim_matches('\'').to_string());
        }
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let (code, out, err) = cli(&argv);
        assert_eq!(code, 0, "{line}: {err}");
        if let Some(w) = want {
            let number = w.split_whitespace().next().unwrap();
            assert!(out.contains(number), "{line}: printed {out}");
        }
        n += 1;
    }
    assert!(n >= 4, "README eval examples found: {n}");
}

/// `yearbook functions --definitions DIR` writes Rhai's `.d.rhai` files: every yearbook
/// function with its signature and doc comment, for editors that read them (issue 19).
#[test]
fn definitions_files_hold_every_function_with_its_doc() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("defs");
    let (code, out, err) = cli(&["functions", "--definitions", out_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = out.lines().map(|l| std::path::Path::new(l).file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["__builtin-operators__.d.rhai", "__builtin__.d.rhai", "__static__.d.rhai"]);
    let text = std::fs::read_to_string(out_dir.join("__static__.d.rhai")).unwrap();
    assert!(
        text.contains(
            "/// Year-on-year growth (同比) as a fraction: s / s one year earlier - 1. Use pct() for percent.\nfn yoy(s: Series) -> Series;"
        ),
        "yoy with its doc"
    );
    assert!(text.contains("fn rollup(s: Series, level: string) -> Series;"), "rollup");
}
