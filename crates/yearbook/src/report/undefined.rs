//! A name a report template reads and the report lacks (`{{ region_nam }}`,
//! `indicators.gdp.valeu`): the nearest name it could mean, for the error that refuses it.

use super::data::IndicatorData;
use std::collections::BTreeMap;
use yearbook_core::suggest::did_you_mean;

/// The variables every report template has (see docs/report.md).
pub(crate) const VARIABLES: [&str; 10] =
    ["title", "region", "region_name", "period", "period_cn", "format", "indicators", "rules", "findings", "changes"];

/// `detail` with the nearest name added, where it says "`x.y` is undefined" (minijinja's
/// words, alone or in parentheses) and `x.y` is a report variable, an indicator or an
/// indicator's field misspelt; else `detail` as it is.
pub(crate) fn with_hint(detail: &str, indicators: &BTreeMap<String, IndicatorData>) -> String {
    let Some(expr) = detail.split_once("` is undefined").and_then(|(before, _)| before.rsplit_once('`')).map(|(_, e)| e) else {
        return detail.to_string();
    };
    let parts: Vec<&str> = expr.split('.').collect();
    let hint = match parts.as_slice() {
        [name] => did_you_mean(name, VARIABLES),
        ["indicators", code] => did_you_mean(code, indicators.keys().map(String::as_str)),
        ["indicators", _, field] => {
            let fields = serde_json::to_value(indicators.values().next()).ok();
            let keys: Vec<String> = fields.as_ref().and_then(|f| f.as_object()).map(|o| o.keys().cloned().collect()).unwrap_or_default();
            did_you_mean(field, keys.iter().map(String::as_str))
        }
        _ => String::new(),
    };
    format!("{detail}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_undefined_name_is_found_alone_or_in_parentheses() {
        let data = BTreeMap::new();
        assert_eq!(with_hint("`region_nam` is undefined", &data), "`region_nam` is undefined; did you mean `region_name` or `region`?");
        assert_eq!(
            with_hint("tried to use + operator on unsupported types number and undefined (`perod` is undefined)", &data),
            "tried to use + operator on unsupported types number and undefined (`perod` is undefined); did you mean `period`?"
        );
        assert_eq!(with_hint("unknown filter", &data), "unknown filter");
    }
}
