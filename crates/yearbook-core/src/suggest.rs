//! "Did you mean ...?": the closest known names to an unknown one.

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
            let d = strsim::damerau_levenshtein(&lower, &kl) as f64;
            let len = lower.chars().count().max(kl.chars().count()).max(1) as f64;
            // Accept small edits, or a prefix/substring match for longer names.
            let contains = kl.len() >= 3 && lower.len() >= 3 && (kl.contains(&lower) || lower.contains(&kl));
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
}
