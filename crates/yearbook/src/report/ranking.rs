//! 位次: the regions under the report's region ranked by one indicator, as monthly
//! reports print them (第1位, 并列第2位), those without a figure last.

use yearbook_core::format;

/// A Markdown table ranking `values` (region name, value) largest first: 位次, the
/// region, the value (grouped as bulletins print numbers). Values are ranked as printed,
/// rounded to `decimals`: equal printed values share a place (并列第2位) and the next
/// place skips (第4位), so a reader never sees two equal figures in different places.
/// Regions without a value come last, their place shown as —. `what` heads the value
/// column (label and unit).
pub(crate) fn table(values: &[(String, Option<f64>)], what: &str, decimals: usize) -> String {
    // The value as printed, back as a number: what the ranking compares.
    let printed = |x: f64| format::round_trim(x, decimals).parse::<f64>().unwrap_or(x);
    let values: Vec<(String, Option<f64>)> = values.iter().map(|(n, v)| (n.clone(), v.map(printed))).collect();
    let mut rows: Vec<&(String, Option<f64>)> = values.iter().collect();
    // Stable: ties and missing values keep the regions' order.
    rows.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut out = format!("| 位次 | 地区 | {} |\n|---:|---|---:|\n", markdown_text(what));
    for (name, v) in &rows {
        let (place, shown) = match v {
            Some(x) => {
                let above = rows.iter().filter(|(_, y)| y.is_some_and(|y| y > *x)).count();
                let tied = rows.iter().filter(|(_, y)| *y == Some(*x)).count() > 1;
                (format!("{}第{}位", if tied { "并列" } else { "" }, above + 1), format::grouped(*x, decimals))
            }
            None => (format::MISSING.to_string(), "暂无数据".to_string()),
        };
        out.push_str(&format!("| {place} | {} | {shown} |\n", markdown_text(name)));
    }
    out
}

/// Text as Markdown prints it literally: in a table cell a `|` would split the row and
/// `*`, `_`, `<` would become emphasis or markup (a region named 丁*镇* or <i>乙镇</i>).
pub(crate) fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_print_literally() {
        let t = super::table(
            &[("甲|镇".to_string(), Some(47.0)), ("<i>乙镇</i>".to_string(), Some(3.0)), ("丁*镇*".to_string(), None)],
            "x",
            0,
        );
        assert!(t.contains("| 第1位 | 甲\\|镇 | 47 |"), "{t}");
        assert!(t.contains("| 第2位 | &lt;i&gt;乙镇&lt;/i&gt; | 3 |"), "{t}");
        assert!(t.contains("| — | 丁\\*镇\\* | 暂无数据 |"), "{t}");
        let html = crate::report::html_page("t", &t);
        assert!(html.contains("<td>甲|镇</td>") && html.contains("&lt;i&gt;乙镇&lt;/i&gt;") && html.contains("<td>丁*镇*</td>"), "{html}");
    }

    #[test]
    fn ties_as_printed_share_a_place_and_missing_values_come_last() {
        let v = |n: &str, x: Option<f64>| (n.to_string(), x);
        let t = super::table(
            &[v("甲镇", Some(36.7)), v("乙镇", None), v("丙镇", Some(41.26)), v("丁镇", Some(36.66)), v("戊镇", Some(12.0))],
            "完成率(%)",
            1,
        );
        assert_eq!(
            t,
            "| 位次 | 地区 | 完成率(%) |\n|---:|---|---:|\n| 第1位 | 丙镇 | 41.3 |\n| 并列第2位 | 甲镇 | 36.7 |\n\
             | 并列第2位 | 丁镇 | 36.7 |\n| 第4位 | 戊镇 | 12 |\n| — | 乙镇 | 暂无数据 |\n"
        );
    }
}
