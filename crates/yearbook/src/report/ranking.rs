//! 位次: the regions under the report's region ranked by one indicator, as monthly
//! reports print them (第1位, 并列第2位), those without a figure last.

use yearbook_core::format;

/// A Markdown table ranking `values` (region name, value) largest first: 位次, the
/// region, the value (grouped as bulletins print numbers). Places are those `rank()`
/// gives: values equal to 12 significant digits (float noise apart) share a place
/// (并列第2位) and the next place skips (第4位). A value prints with `decimals`, or
/// more where `decimals` would print it like a neighbour in another place (36.66 below
/// 36.7, never both 36.7), so the table, `rank()` and `{r:rank}` in one report agree and
/// a reader never sees two equal figures in different places. Regions without a value
/// come last, their place shown as —: the places are those of the figures present, as
/// `rank(x, "reported")` gives them, with the regions that have not delivered in sight
/// (`rank(x)` and a sentence's `{r:rank}` leave a place missing where one has not).
/// `what` heads the value column (label and unit).
pub(crate) fn table(values: &[(String, Option<f64>)], what: &str, decimals: usize, percent: bool) -> String {
    let key = yearbook_core::kernel::arith::tie_key;
    let mut rows: Vec<&(String, Option<f64>)> = values.iter().collect();
    // Stable: ties and missing values keep the regions' order.
    rows.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => key(y).total_cmp(&key(x)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let ranked: Vec<f64> = rows.iter().filter_map(|(_, v)| *v).collect();
    let shown = decimals_shown(&ranked, decimals);
    let mut out = format!("| 位次 | 地区 | {} |\n|---:|---|---:|\n", markdown_text(what));
    for (i, (name, v)) in rows.iter().enumerate() {
        let (place, shown) = match v {
            Some(x) => {
                let k = key(*x);
                let above = ranked.iter().filter(|y| key(**y) > k).count();
                let tied = ranked.iter().filter(|y| key(**y) == k).count() > 1;
                // A percent below or above 100 never prints as 100 (99.996% of a target).
                let d = if percent { format::decimals_off_mark(*x, shown[i], 100.0) } else { shown[i] };
                (format!("{}第{}位", if tied { "并列" } else { "" }, above + 1), format::grouped(*x, d))
            }
            None => (format::MISSING.to_string(), "暂无数据".to_string()),
        };
        out.push_str(&format!("| {place} | {} | {shown} |\n", markdown_text(name)));
    }
    out
}

/// The decimals each of `sorted` (largest first, ties adjacent) prints with: `decimals`,
/// or the fewest more (up to 12) that print it unlike the nearest value of another
/// place above or below; values of one place print alike.
fn decimals_shown(sorted: &[f64], decimals: usize) -> Vec<usize> {
    let key = yearbook_core::kernel::arith::tie_key;
    let apart = |a: f64, b: f64| (decimals..=12).find(|&d| format::grouped(a, d) != format::grouped(b, d)).unwrap_or(12.max(decimals));
    // Places: runs of equal keys.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (i, x) in sorted.iter().enumerate() {
        match groups.last_mut() {
            Some((_, end)) if key(sorted[*end - 1]) == key(*x) => *end = i + 1,
            _ => groups.push((i, i + 1)),
        }
    }
    let mut shown = vec![decimals; sorted.len()];
    for g in 0..groups.len() {
        let (start, end) = groups[g];
        let mut d = decimals;
        if g > 0 {
            d = d.max(apart(sorted[groups[g - 1].1 - 1], sorted[start]));
        }
        if g + 1 < groups.len() {
            d = d.max(apart(sorted[end - 1], sorted[groups[g + 1].0]));
        }
        shown[start..end].fill(d);
    }
    shown
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
    fn a_percent_off_100_never_prints_as_100() {
        // month21 05: 99.996% of a target printed 100 at 1 decimal (and 100.04% too).
        let v = |n: &str, x: Option<f64>| (n.to_string(), x);
        let t = super::table(&[v("甲镇", Some(105.0)), v("乙镇", Some(99.996)), v("丙镇", Some(100.04))], "完成率(%)", 1, true);
        assert_eq!(
            t,
            "| 位次 | 地区 | 完成率(%) |\n|---:|---|---:|\n| 第1位 | 甲镇 | 105 |\n| 第2位 | 丙镇 | 100.04 |\n| 第3位 | 乙镇 | 99.996 |\n"
        );
    }

    #[test]
    fn names_print_literally() {
        let t = super::table(
            &[("甲|镇".to_string(), Some(47.0)), ("<i>乙镇</i>".to_string(), Some(3.0)), ("丁*镇*".to_string(), None)],
            "x",
            0,
            false,
        );
        assert!(t.contains("| 第1位 | 甲\\|镇 | 47 |"), "{t}");
        assert!(t.contains("| 第2位 | &lt;i&gt;乙镇&lt;/i&gt; | 3 |"), "{t}");
        assert!(t.contains("| — | 丁\\*镇\\* | 暂无数据 |"), "{t}");
        let html = crate::report::html_page("t", &t);
        assert!(html.contains("<td>甲|镇</td>") && html.contains("&lt;i&gt;乙镇&lt;/i&gt;") && html.contains("<td>丁*镇*</td>"), "{html}");
    }

    #[test]
    fn equal_values_share_a_place_and_close_ones_print_apart() {
        let v = |n: &str, x: Option<f64>| (n.to_string(), x);
        let t = super::table(
            &[v("甲镇", Some(36.7)), v("乙镇", None), v("丙镇", Some(41.26)), v("丁镇", Some(36.66)), v("戊镇", Some(12.0))],
            "完成率(%)",
            1,
            false,
        );
        // 36.7 and 36.66 are two places, as rank() says: 36.66 prints with the digit
        // that sets it apart, never as a second 36.7.
        assert_eq!(
            t,
            "| 位次 | 地区 | 完成率(%) |\n|---:|---|---:|\n| 第1位 | 丙镇 | 41.3 |\n| 第2位 | 甲镇 | 36.7 |\n\
             | 第3位 | 丁镇 | 36.66 |\n| 第4位 | 戊镇 | 12 |\n| — | 乙镇 | 暂无数据 |\n"
        );
        // Equal to 12 significant digits (0.1 + 0.2 against 0.3) is one place; 2.6749999999
        // is below 2.675 and prints so (2.67 at 2 decimals, while 2.675 needs 3).
        let t = super::table(
            &[
                v("甲", Some(2.675)),
                v("乙", Some(2.68)),
                v("丙", Some(2.675000000000001)),
                v("丁", Some(2.6749999999)),
                v("戊", Some(0.1 + 0.2)),
                v("己", Some(0.3)),
            ],
            "x",
            2,
            false,
        );
        assert_eq!(
            t,
            "| 位次 | 地区 | x |\n|---:|---|---:|\n| 第1位 | 乙 | 2.68 |\n| 并列第2位 | 甲 | 2.675 |\n| 并列第2位 | 丙 | 2.675 |\n\
             | 第4位 | 丁 | 2.67 |\n| 并列第5位 | 戊 | 0.3 |\n| 并列第5位 | 己 | 0.3 |\n"
        );
    }
}
