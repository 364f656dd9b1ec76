//! docs/functions.md is generated from the engine; it must match what the engine has.

use crate::common::*;

#[test]
fn function_reference_is_current() {
    let generated = yearbook::script::docs::functions_markdown(&yearbook::workspace::reference_engine());
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
