//! Embedding yearbook: open a workspace, run its indicators and rules on all cores, read
//! findings and typed errors, evaluate expressions one after another.
//!
//! cargo run --example embed -- config/dayun/yearbook.toml

fn main() -> Result<(), yearbook::Error> {
    let config = std::env::args().nth(1).unwrap_or_else(|| "config/dayun/yearbook.toml".into());
    let ws = yearbook::Workspace::builder().config_path(config.as_ref()).open()?;
    let result = ws.run(&Default::default())?;
    for r in &result.rules {
        println!("{:<40} items {} passes {} fails {} not evaluable {}", r.rule, r.items, r.passes, r.fails, r.not_evaluable);
        if let Some(e) = &r.error_detail {
            println!("  error ({}): {}", e.kind.name(), e.message);
        }
    }
    for f in &result.findings {
        println!("[{}] {}: {}", f.severity.name(), f.rule, f.message);
    }
    // Expressions against the same data; `let` values and functions carry over.
    let mut session = yearbook::Bindings::new();
    ws.eval_with(&mut session, "let 人口 = non_agricultural_population;", "<embed>")?;
    let growth = ws.eval_with(&mut session, "value(pct(yoy(人口)))", "<embed>")?;
    println!("非农人口增长 {:.2}%", growth.value.as_number().unwrap_or(f64::NAN));
    Ok(())
}
