//! Built-in report sections, used when the config's templates folder has no file of
//! that name. Copy one into the folder to edit it.

pub const NAMES: [&str; 5] = ["summary", "indicators", "charts", "findings", "changes"];

pub fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "summary" => include_str!("templates/summary.md"),
        "indicators" => include_str!("templates/indicators.md"),
        "charts" => include_str!("templates/charts.md"),
        "findings" => include_str!("templates/findings.md"),
        // 与上次核查相比: empty (left out) on a workspace's first run.
        "changes" => include_str!("templates/changes.md"),
        _ => return None,
    })
}
