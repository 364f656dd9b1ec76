//! The embedding API (issue 15): a workspace from a config file or from text, bindings
//! that carry `let` values and functions from one input to the next, values read
//! without the script layer's types.

use crate::common::*;

#[test]
fn a_workspace_from_config_text_matches_one_from_the_file() {
    let text = std::fs::read_to_string(sample_config()).unwrap();
    let dir = sample_config().parent().unwrap().to_path_buf();
    let from_text = yearbook::Workspace::builder().config_text(&text, &dir).open().unwrap();
    let from_file = yearbook::Workspace::builder().config_path(&sample_config()).open().unwrap();
    let e = "value(pct(yoy(non_agricultural_population)))";
    let (a, b) = (from_text.eval(e).unwrap().value.as_number().unwrap(), from_file.eval(e).unwrap().value.as_number().unwrap());
    assert_eq!(a, b);
    assert!((a - 9.53).abs() < 0.005, "{a}");
}

#[test]
fn a_builder_without_a_config_says_what_to_call() {
    let e = yearbook::Workspace::builder().open().err().unwrap();
    assert_eq!(e.kind(), yearbook::error::ErrorKind::Usage);
    assert_eq!(e.to_string(), "no config given: call config_path or config_text before open");
}

#[test]
fn bindings_keep_values_and_functions_between_inputs() {
    let ws = sample();
    let mut b = yearbook::Bindings::new();
    let r = ws.eval_with(&mut b, "let 人口 = non_agricultural_population; fn 增速(s) { pct(yoy(s)) }", "<in1>").unwrap();
    assert_eq!(r.defined, vec!["fn 增速/1".to_string(), "let 人口".to_string()]);
    assert!(r.value.is_empty());
    assert_eq!(b.names(), vec!["人口".to_string()]);
    assert_eq!(b.functions().iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec!["增速"]);
    let r = ws.eval_with(&mut b, "value(增速(人口))", "<in2>").unwrap();
    assert!(r.defined.is_empty());
    assert!((r.value.as_number().unwrap() - 9.53).abs() < 0.005);
    assert_eq!(r.value.type_name(), "f64");
    // A series reads as a series, and prints as a table.
    let s = ws.eval_with(&mut b, "人口", "<in3>").unwrap().value;
    assert!(s.as_series().is_some() && s.as_number().is_none());
    assert!(s.render(&Default::default(), Some(ws.panel())).contains("大云镇"));
    // An error inside a function defined earlier quotes that input.
    let e = ws.eval_with(&mut b, "增速(1)", "<in4>").err().unwrap().to_string();
    assert!(e.contains("<in1>"), "{e}");
}
