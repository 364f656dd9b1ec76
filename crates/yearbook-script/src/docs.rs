//! The function reference (docs/functions.md), generated from the engine's own metadata
//! so that it cannot drift from the registered functions.

use rhai::Engine;

/// Name -> (signature, doc) of every documented function, for `:help`.
pub fn function_help(engine: &Engine) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let mut map: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for (name, sig, doc) in entries(engine) {
        map.entry(name).or_default().push((sig, doc));
    }
    map
}

fn entries(engine: &Engine) -> Vec<(String, String, String)> {
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
    entries
}

/// Markdown reference of every function registered with a doc comment.
pub fn functions_markdown(engine: &Engine) -> String {
    let entries = entries(engine);
    let mut out = String::from(
        "# Function reference\n\nGenerated from the engine's registered functions by `yearbook functions`; do not edit by hand.\n\n\
         Series are values over (region, period) with a unit. Missing values propagate; division by zero gives missing.\n\n\
         Numbers: a whole number is accepted wherever `f64` is written, and a whole decimal (3.0) wherever `i64` is; \
         `/` between numbers is true division (1/2 = 0.5). Comparisons treat values that print the same as equal; \
         `&` and `|` are three-valued (docs/rules.md).\n\n",
    );
    // One section per name; signatures that share a description are listed together.
    let mut i = 0;
    while i < entries.len() {
        let name = &entries[i].0;
        let shown = if name.starts_with("index$get$") { "ns.code (namespace access)" } else { name.as_str() };
        out.push_str(&format!("## `{shown}`\n\n"));
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        while i < entries.len() && entries[i].0 == *name {
            let (_, sig, doc) = &entries[i];
            match groups.iter_mut().find(|(d, _)| d == doc) {
                Some((_, sigs)) => sigs.push(sig.clone()),
                None => groups.push((doc.clone(), vec![sig.clone()])),
            }
            i += 1;
        }
        for (doc, sigs) in groups {
            for s in sigs {
                out.push_str(&format!("- `{s}`\n"));
            }
            out.push_str(&format!("\n  {doc}\n\n"));
        }
    }
    out.push_str(&stdlib_markdown(engine));
    out
}

/// The standard scripts' functions with their `///` comments.
fn stdlib_markdown(engine: &Engine) -> String {
    let mut out = String::from("# Standard scripts\n\nDefined in `scripts/` and callable from every workspace.\n\n");
    for (file, text) in crate::stdlib::SCRIPTS {
        let Ok(ast) = engine.compile(text) else {
            continue;
        };
        out.push_str(&format!("## {file}\n\n"));
        // The AST keeps functions in a hash map: sort for a stable file.
        let mut fns: Vec<_> = ast.iter_functions().collect();
        fns.sort_by(|a, b| a.name.cmp(b.name));
        for f in fns {
            let doc: Vec<&str> = f.comments.iter().flat_map(|c| c.lines()).map(|l| l.trim_start_matches("///").trim()).collect();
            out.push_str(&format!("- `{}({})`\n\n  {}\n\n", f.name, f.params.join(", "), doc.join(" ")));
        }
    }
    out
}

/// Writes `.d.rhai` definition files for editors that read them (Rhai's own format:
/// every registered function with its signature and doc comment, the language's
/// operators and standard packages) into `dir`, created if needed. Returns the files
/// written, in name order.
pub fn write_definitions(engine: &Engine, dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    engine.definitions().write_to_dir(dir)?;
    let mut files: Vec<std::path::PathBuf> = engine.definitions().iter_files().map(|(name, _)| dir.join(name)).collect();
    files.sort();
    Ok(files)
}
