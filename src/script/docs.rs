//! The function reference (docs/functions.md), generated from the engine's own metadata
//! so that it cannot drift from the registered functions.

use rhai::Engine;

/// Markdown reference of every function registered with a doc comment.
pub fn functions_markdown(engine: &Engine) -> String {
    let json = engine.gen_fn_metadata_to_json(false).unwrap_or_default();
    let meta: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let mut entries: Vec<(String, String, String)> = Vec::new();
    for f in meta["functions"].as_array().into_iter().flatten() {
        let docs: Vec<String> = f["docComments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_str())
            .map(|d| d.lines().map(|l| l.trim_start_matches("///").trim()).collect::<Vec<_>>().join(" "))
            .collect();
        if docs.is_empty() {
            continue; // the language's own functions
        }
        let name = f["name"].as_str().unwrap_or_default().to_string();
        let sig = f["signature"].as_str().unwrap_or_default().to_string();
        entries.push((name, sig, docs.join(" ")));
    }
    entries.sort();
    entries.dedup();
    let mut out = String::from(
        "# Function reference\n\nGenerated from the engine's registered functions by `yearbook functions`; do not edit by hand.\n\n\
         Series are values over (region, period) with a unit. Missing values propagate; division by zero gives missing.\n\n",
    );
    let mut last = String::new();
    for (name, sig, doc) in entries {
        let shown = if name.starts_with("index$get$") { "ns.code (namespace access)".to_string() } else { name.clone() };
        if shown != last {
            out.push_str(&format!("## `{shown}`\n\n"));
            last = shown;
        }
        out.push_str(&format!("- `{sig}`  \n  {doc}\n"));
    }
    out
}
