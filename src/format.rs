//! How numbers and values are printed to a user: never NaN or inf, missing as "—".

/// Printed for a missing value in tables.
pub const MISSING: &str = "—";

/// Default display: 2 decimals from 1 up, 4 significant digits below; trailing zeros cut.
pub fn number(x: f64) -> String {
    number_digits(x, None)
}

/// Display with a fixed number of decimals when `digits` is given.
pub fn number_digits(x: f64, digits: Option<usize>) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    if x == x.trunc() && x.abs() < 1e15 && digits.is_none() {
        return format!("{}", x as i64);
    }
    let s = match digits {
        Some(d) => format!("{x:.d$}"),
        None => {
            let a = x.abs();
            if a < 1e-10 {
                // Rounding noise of sums (26.06 - (23.51 + 2.55)), not a value.
                return "0".into();
            }
            if a >= 1.0 || a == 0.0 {
                format!("{x:.2}")
            } else if a < 1e-4 {
                return format!("{x:.3e}");
            } else {
                let d = (-a.log10().floor()) as usize + 3;
                format!("{x:.d$}")
            }
        }
    };
    let s = if digits.is_none() && s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" { "0".into() } else { s }
}

/// Full precision for machine formats (CSV, JSON); None for missing.
pub fn exact(x: f64) -> Option<String> {
    x.is_finite().then(|| {
        let mut b = ryu_like(x);
        if b.ends_with(".0") {
            b.truncate(b.len() - 2);
        }
        b
    })
}

fn ryu_like(x: f64) -> String {
    // Rust's Display for f64 prints the shortest string that round-trips.
    format!("{x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn prints_like_a_report() {
        assert_eq!(number(9.525843656557027), "9.53");
        assert_eq!(number(7.75), "7.75");
        assert_eq!(number(24525.0), "24525");
        assert_eq!(number(0.0952584), "0.09526");
        assert_eq!(number(f64::NAN), "—");
        assert_eq!(number(3.5527e-15), "0");
        assert_eq!(number(3.5527e-5), "3.553e-5");
        assert_eq!(number(f64::INFINITY), "—");
        assert_eq!(number_digits(21.19514, Some(4)), "21.1951");
        assert_eq!(exact(0.1 + 0.2), Some("0.30000000000000004".into()));
        assert_eq!(exact(2008.0), Some("2008".into()));
    }
}
