//! Embedding yearbook: open a workspace, run its indicators and rules, read findings.
//!
//! cargo run --example embed -- config/dayun/yearbook.toml

fn main() -> Result<(), yearbook::Error> {
    let config = std::env::args().nth(1).unwrap_or_else(|| "config/dayun/yearbook.toml".into());
    let ws = yearbook::Workspace::open(config.as_ref(), None)?;
    let result = yearbook::run::run(&ws, &Default::default(), &mut |_| {})?;
    for r in &result.rules {
        println!(
            "{:<40} items {} passes {} fails {} notes {} not evaluable {}",
            r.rule, r.items, r.passes, r.fails, r.notes, r.not_evaluable
        );
    }
    for f in &result.findings {
        println!("[{}] {}: {}", f.severity.name(), f.rule, f.message);
    }
    // Any expression, evaluated against the same data.
    let growth = ws.eval("value(pct(yoy(non_agricultural_population)))")?;
    println!("非农人口增长 {:.2}%", growth.value.as_float().unwrap_or(f64::NAN));
    Ok(())
}
