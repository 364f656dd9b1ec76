//! "Did you mean ...?": the closest known names to an unknown one.

/// The longest names compared by their edits: longer ones only by containment.
const MAX_EDITED: usize = 200;

/// Up to three known names close to `name`, best first.
pub fn closest<'a, I>(name: &str, known: I) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .filter_map(|k| {
            let kl = k.to_lowercase();
            // Accept small edits, or a prefix/substring match for longer names.
            let contains = kl.len() >= 3 && lower.len() >= 3 && (kl.contains(&lower) || lower.contains(&kl));
            let (a, b) = (lower.chars().count(), kl.chars().count());
            // The edit distance is at least the difference of the lengths, and takes
            // time of their product: names longer than any name is (a pasted cell of
            // 100,000 characters took 29 s) are matched by containment alone.
            if !contains && (a.min(b) > MAX_EDITED || a.abs_diff(b) > 2 && a.abs_diff(b) as f64 > 0.34 * a.max(b) as f64) {
                return None;
            }
            let d = strsim::damerau_levenshtein(&lower, &kl) as f64;
            let len = a.max(b).max(1) as f64;
            let score = d / len;
            (d <= 2.0 || score <= 0.34 || contains).then_some((if contains { score.min(0.3) } else { score }, k))
        })
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, k)| k.to_string()).collect()
}

/// `; did you mean `a` or `b`?` or an empty string when nothing is close.
pub fn did_you_mean<'a, I>(name: &str, known: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let c = closest(name, known);
    match c.len() {
        0 => String::new(),
        1 => format!("; did you mean `{}`?", c[0]),
        _ => {
            let quoted: Vec<String> = c.iter().map(|s| format!("`{s}`")).collect();
            let (last, rest) = quoted.split_last().expect("non-empty");
            format!("; did you mean {} or {}?", rest.join(", "), last)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn suggests_close_names() {
        let known = ["gdp", "fiscal_revenue", "local_fiscal_revenue", "exports"];
        assert_eq!(did_you_mean("gpd", known), "; did you mean `gdp`?");
        assert_eq!(closest("fiscal_revenu", known)[0], "fiscal_revenue");
        assert_eq!(did_you_mean("zzzzzz", known), "");
    }
    /// A name of 100,000 characters beside a known one as long is not compared by its
    /// edits (that took 29 s): past 200 characters only containment suggests.
    #[test]
    fn very_long_names_are_not_compared_by_their_edits() {
        let known = "镇".repeat(100_000);
        let unknown = format!("{}x", "镇".repeat(99_999));
        assert_eq!(did_you_mean(&unknown, [known.as_str()]), "");
        assert_eq!(closest("镇镇", ["镇镇镇"]), vec!["镇镇镇".to_string()]);
    }
}
