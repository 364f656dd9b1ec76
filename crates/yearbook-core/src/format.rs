//! How numbers and values are printed to a user: never NaN or inf, missing as "—".

/// Printed for a missing value in tables.
pub const MISSING: &str = "—";

/// Default display: 2 decimals from 1 up, 4 significant digits below; trailing zeros cut.
pub fn number(x: f64) -> String {
    number_digits(x, None)
}

/// `x` with `d` decimals, rounded half away from zero on its decimal value (四舍五入, as
/// Excel's ROUND and printed tables do): 2.675 -> "2.68", 1.125 -> "1.13", 10.5 -> "11"
/// with d = 0, -0.125 -> "-0.13". The value is first read to 12 significant digits (as
/// ranks and ties compare, `kernel::arith::tie_key`; more, up to 15, when the integer part
/// and the decimals asked for have more digits), so binary noise (2.675 is
/// 2.67499999999999982236431605997495353221893310546875 in binary; 200.25 / 200 - 1 is
/// 0.0012499999999999734) never decides a digit. Never scientific notation. Missing for
/// NaN/inf.
pub fn round_half_up(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let d = d.min(30);
    if let Some(text) = half_up_away_from_halves(x, d) {
        return text;
    }
    // A whole number from 10^15 up is read to 15 significant digits, the digits a double
    // holds (1e23 is 100000000000000000000000, never its binary 99999999999999991611392).
    if x == x.trunc() && x.abs() >= 1e15 {
        let int = figure(x.abs()).unwrap_or_else(|| format!("{:.0}", x.abs()));
        let sign = if x < 0.0 { "-" } else { "" };
        return if d == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{}", "0".repeat(d)) };
    }
    // Read to 12 significant digits, or as many as the integer part and the decimals
    // asked for need (up to 15, what a double holds): noise never decides a digit, and
    // 202592590769258.1 keeps its last digits.
    let magnitude = if x == 0.0 { 0 } else { x.abs().log10().floor() as i64 + 1 };
    let significant = (magnitude.max(0) + d as i64).clamp(12, 15) as usize;
    let sci = format!("{:.*e}", significant - 1, x.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    // value = 0.d1 d2 d3 ... x 10^(exp + 1): keep the digits down to 10^-d.
    let keep = exp + 1 + d as i64;
    let mut kept: Vec<u8> = if keep <= 0 { Vec::new() } else { (0..keep as usize).map(|i| digits.get(i).copied().unwrap_or(0)).collect() };
    let next = if keep < 0 { 0 } else { digits.get(keep as usize).copied().unwrap_or(0) };
    if next >= 5 {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    while kept.len() <= d {
        kept.insert(0, 0);
    }
    let text: String = kept.iter().map(|v| char::from(b'0' + v)).collect();
    let (int, frac) = text.split_at(text.len() - d);
    let zero = kept.iter().all(|v| *v == 0);
    let sign = if x < 0.0 && !zero { "-" } else { "" };
    if d == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
}

/// [`round_half_up`] of a figure under 10^9 in units of its last decimal kept, where the
/// decimals it drops are not within reading noise of a half: there the decimal value
/// read to 12 significant digits and the double round alike, so one multiplication
/// decides (most figures of a message). None elsewhere (`round_half_up` reads its
/// digits).
///
/// Why it agrees: with y = |x|·10^d < 10^9 the figure has at most 9 - d digits before
/// the point, so its 12-digit reading is within 0.5·10^(m+d-12) <= y·0.5·10^-11 of
/// |x|·10^d, and y itself within y·2^-53; a half away by more than y·2·10^-11 + 10^-12
/// rounds both the same way.
fn half_up_away_from_halves(x: f64, d: usize) -> Option<String> {
    if d > 9 {
        return None;
    }
    let scale = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9][d];
    let y = x.abs() * scale;
    // (`x` is finite here, so `y` is a number.)
    if y >= 1e9 {
        return None;
    }
    let whole = y.floor();
    let frac = y - whole;
    if (frac - 0.5).abs() <= y * 2e-11 + 1e-12 {
        return None;
    }
    let n = whole as u64 + u64::from(frac > 0.5);
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    if d == 0 {
        return Some(format!("{sign}{n}"));
    }
    let unit = 10u64.pow(d as u32);
    Some(format!("{sign}{}.{:0d$}", n / unit, n % unit))
}

/// `x` rounded to `d` decimals (tens, hundreds for a negative `d`) as a number, the way
/// [`round_half_up`] prints it: half away from zero on the decimal value (Excel's ROUND,
/// 四舍五入), so 1.005 -> 1.01 and 0.285 -> 0.29 although both lie a hair below the half in
/// binary. Cells not near a half take one multiplication; only near-halves are decided
/// on their decimal digits. NaN and inf are returned as they are.
pub fn round_decimal(x: f64, d: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let d = d.clamp(-15, 15);
    let p = 10f64.powi(d.abs());
    let t = if d >= 0 { x * p } else { x / p };
    let half_off = ((t - t.trunc()).abs() - 0.5).abs();
    // `round_half_up` reads the value to 12 (up to 15) significant digits, which moves
    // it by less than |t| x 5e-12: a fraction farther from the half than that rounds the
    // same either way (and the product itself is off by half an ulp at most).
    if d < 0 || half_off > t.abs() * 1e-11 + 1e-12 {
        let r = t.round();
        // -0.4 rounds to 0, not to -0 (printed "-0").
        return if r == 0.0 {
            0.0
        } else if d >= 0 {
            r / p
        } else {
            r * p
        };
    }
    round_half_up(x, d as usize).parse::<f64>().map(|v| v + 0.0).unwrap_or(x)
}

/// [`round_half_up`] with trailing zeros (and a bare point) cut: 2.50 -> "2.5".
pub fn round_trim(x: f64, d: usize) -> String {
    let s = round_half_up(x, d);
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Below this size a value is rounding noise of sums (26.06 - (23.51 + 2.55)), not a
/// figure: it may print as 0.
pub const NOISE: f64 = 1e-10;

/// The decimals `x` prints with so as not to land on `mark` it is not at: `d`, or the
/// fewest more (up to `d + 6`). A completion of 99.96% with 1 decimal would print 100%
/// (完成年度目标100%, beside 未完成任务), a pacing of -0.004 with 2 would print 0 (与时间进度
/// 持平, of a town behind it): 99.96%, 落后0.004个百分点. Binary noise is at its mark
/// (99.99999999999999 prints 100).
pub fn decimals_off_mark(x: f64, d: usize, mark: f64) -> usize {
    if !x.is_finite() || (x - mark).abs() <= 1e-9 * mark.abs().max(1.0) {
        return d;
    }
    // Further off than half a unit of the d-th decimal, d decimals cannot print the mark
    // (a whole unit of it is margin enough for the rounding's own noise).
    if (x - mark).abs() > 10f64.powi(-(d.min(30) as i32)) {
        return d;
    }
    (d..=d + 6).find(|&dd| round_trim(x, dd).parse::<f64>().ok() != Some(mark)).unwrap_or(d + 6)
}

/// Whether `x` with `d` decimals (四舍五入) prints as 0 although it is a figure (not 0,
/// not noise): 0.004 with 2 decimals does, and so does -0.004 (its sign lost too).
pub fn hides_nonzero(x: f64, d: usize) -> bool {
    x.is_finite() && x.abs() >= NOISE && round_trim(x, d).trim_start_matches('-') == "0"
}

/// The decimals to print `x` with: `d`, or where `d` would print a non-zero figure as 0
/// (or lose its sign), two significant digits: 0.004 with d = 2 is 0.004, 0.00456 is
/// 0.0046, -0.0045 is -0.0045. A figure that is there never prints as 0.
pub fn nonzero_decimals(x: f64, d: usize) -> usize {
    if !hides_nonzero(x, d) {
        return d;
    }
    let first = (-x.abs().log10().floor()).max(1.0) as usize;
    (first + 1).clamp(d, 30)
}

/// [`round_trim`] with [`nonzero_decimals`]: up to `d` decimals, more where `d` would
/// print a figure as 0 (0.004 with d = 2 is "0.004", 0.001 % of a rate is never "0").
pub fn round_trim_nonzero(x: f64, d: usize) -> String {
    round_trim(x, nonzero_decimals(x, d))
}

/// A printed number's integer part in groups of three (`12,345`, `-1,234,567.89`) when it
/// has five digits or more, as a table column prints counts; four digits stay as they are
/// (9999, a year). Anything not a plain number (—, 1e5 never occurs) is returned as is.
pub fn group_digits(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map(|r| ("-", r)).unwrap_or(("", s));
    let (int, frac) = rest.split_once('.').map(|(i, f)| (i, Some(f))).unwrap_or((rest, None));
    if int.len() < 5 || !int.bytes().all(|b| b.is_ascii_digit()) || frac.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit())) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `x` for a table cell: up to `d` decimals (四舍五入, trailing zeros cut), integer part
/// grouped by thousands from five digits up: 123456 -> "123,456", 9999 -> "9999",
/// -12345.675 -> "-12,345.68"; more decimals where `d` would print a figure as 0
/// (0.0045 -> "0.0045", never "0"); missing for NaN/inf.
pub fn grouped(x: f64, d: usize) -> String {
    group_digits(&round_trim_nonzero(x, d))
}

/// Display with a fixed number of decimals when `digits` is given.
pub fn number_digits(x: f64, digits: Option<usize>) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    if x == x.trunc() && x.abs() < 1e15 && digits.is_none() {
        return format!("{}", x as i64);
    }
    let Some(d) = digits else {
        let a = x.abs();
        if a < 1e-10 {
            // Rounding noise of sums (26.06 - (23.51 + 2.55)), not a value.
            return "0".into();
        }
        // Two decimals from 1 up; below, four significant digits written out
        // (0.00003553, never 3.553e-5). Trailing zeros cut.
        let d = if a >= 1.0 { 2 } else { (-a.log10().floor()) as usize + 3 };
        return round_trim(x, d);
    };
    round_half_up(x, d)
}

/// `x` as a table shows it to a person with no decimals asked for: a figure with up to
/// four decimals (read to 15 significant digits) shows all of them (1.001, what
/// `round(x, 3)` kept, never "1"; 10.005); a longer one (1/3) shows [`number`]'s two
/// decimals (four significant digits below 1). With `digits`, [`number_digits`].
pub fn shown(x: f64, digits: Option<usize>) -> String {
    if digits.is_some() || !x.is_finite() {
        return number_digits(x, digits);
    }
    match figure(x) {
        Some(f) if f.split_once('.').is_none_or(|(_, d)| d.len() <= 4) => f,
        _ => number_digits(x, None),
    }
}

/// Full precision for machine formats (CSV, JSON); None for missing.
pub fn exact(x: f64) -> Option<String> {
    x.is_finite().then(|| {
        // -0 (0 * -1, a negative figure rounded to 0) is 0: a sign on nothing.
        let mut b = ryu_like(if x == 0.0 { 0.0 } else { x });
        if b.ends_with(".0") {
            b.truncate(b.len() - 2);
        }
        b
    })
}

/// A figure as text: read to 15 significant digits (the digits a double holds without
/// binary noise: 30.000000000000004 is 30, -0.20000000000000018 is -0.2), rounded in
/// decimal so that no noise digit comes back (1e300 is a 1 and 300 zeros), a whole
/// number without `.0`, never in scientific notation; None for missing or infinite.
pub fn figure(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    exact(format!("{x:.14e}").parse::<f64>().unwrap_or(x))
}

/// A figure as data (CSV): binary noise taken off where the 15-digit form is a short
/// number (13 significant digits or fewer: 30.000000000000004 is 30,
/// 0.30000000000000004 is 0.3); a figure that is long either way keeps every digit it
/// holds (a fact typed as 123456789012345.67, 6/44 = 0.13636363636363635), as JSON
/// gives it. None for missing or infinite.
pub fn figure_data(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let r = format!("{x:.14e}").parse::<f64>().unwrap_or(x);
    // Significant digits of r's shortest form: the mantissa of `{:e}` ("3e1", "1.25e-1").
    let digits = format!("{r:e}").split('e').next().map_or(0, |m| m.bytes().filter(u8::is_ascii_digit).count());
    exact(if digits <= 13 { r } else { x })
}

fn ryu_like(x: f64) -> String {
    // Rust's Display for f64 prints the shortest string that round-trips.
    format!("{x}")
}

/// `x` where it is binary noise next to a whole number (0.29 * 100 is 28.999999999999996;
/// within 1e-12 of its size), that whole number; else `x`. Cutting a figure to a whole
/// one (`floor`, `int`, `to_int`) cuts the decimal value, as Excel's INT does (29), not
/// the binary one (28).
pub fn snap_whole(x: f64) -> f64 {
    let r = x.round();
    if x.is_finite() && r != x && (x - r).abs() <= 1e-12 * x.abs().max(1.0) { r } else { x }
}

#[cfg(test)]
mod tests {
    /// Noise off, typed digits kept: the 15-digit form only where it is a short number.
    #[test]
    fn figures_lose_noise_not_digits() {
        let f = |x: f64| figure_data(x).unwrap();
        assert_eq!(f(0.1 + 0.2), "0.3");
        assert_eq!(f(30.000000000000004), "30");
        assert_eq!(f(-0.20000000000000018), "-0.2");
        assert_eq!(f(1.3 * 3.0), "3.9");
        assert_eq!(f(123456789012345.67), "123456789012345.67");
        assert_eq!(f(6.0 / 44.0), "0.13636363636363635");
        assert_eq!(f(12345.678), "12345.678");
        assert_eq!(f(-0.0), "0");
        assert_eq!(figure_data(f64::NAN), None);
        assert_eq!(figure(6.0 / 44.0).unwrap(), "0.136363636363636");
    }
    use super::*;
    #[test]
    fn a_figure_never_rounds_to_zero() {
        assert_eq!(round_trim_nonzero(0.004, 2), "0.004");
        assert_eq!(round_trim_nonzero(-0.0045, 2), "-0.0045");
        assert_eq!(round_trim_nonzero(0.00456, 2), "0.0046");
        assert_eq!(round_trim_nonzero(0.04, 2), "0.04");
        assert_eq!(round_trim_nonzero(0.0, 2), "0");
        assert_eq!(round_trim_nonzero(1e-12, 2), "0");
        assert_eq!(round_trim_nonzero(0.4, 0), "0.4");
        assert_eq!(grouped(-0.004, 2), "-0.004");
        assert_eq!(grouped(123456.004, 2), "123,456");
    }

    #[test]
    fn prints_like_a_report() {
        assert_eq!(number(9.525843656557027), "9.53");
        assert_eq!(number(7.75), "7.75");
        assert_eq!(number(24525.0), "24525");
        assert_eq!(number(0.0952584), "0.09526");
        assert_eq!(number(f64::NAN), "—");
        assert_eq!(number(3.5527e-15), "0");
        assert_eq!(number(3.5527e-5), "0.00003553");
        assert_eq!(number(-1.0000000000000036), "-1");
        assert_eq!(number(f64::INFINITY), "—");
        assert_eq!(number_digits(21.19514, Some(4)), "21.1951");
        assert_eq!(exact(0.1 + 0.2), Some("0.30000000000000004".into()));
    }
    #[test]
    fn round_decimal_is_round_half_up_as_a_number() {
        for (x, d, want) in [
            (1.005, 2, 1.01),
            (0.285, 2, 0.29),
            (2.675, 2, 2.68),
            (1.125, 2, 1.13),
            (-1.005, 2, -1.01),
            (10.5, 0, 11.0),
            (-2.5, 0, -3.0),
            (200.25, 1, 200.3),
            (1.2345, 2, 1.23),
            (1234.5, -1, 1230.0),
            (1250.0, -2, 1300.0),
            (0.0, 2, 0.0),
        ] {
            assert_eq!(round_decimal(x, d), want, "{x} to {d}");
        }
        assert!(round_decimal(f64::NAN, 2).is_nan());
        // Agrees with the printed figure wherever it is printed.
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let cents = (seed >> 20) % 2_000_000;
            let x = (cents as f64 + 0.5) / 1000.0 - 1000.0;
            for d in 0..4 {
                assert_eq!(round_decimal(x, d).to_string(), round_trim(x, d as usize), "{x} to {d}");
            }
        }
    }

    #[test]
    fn rounds_half_up_on_the_decimal_value() {
        for (x, d, want) in [
            (2.675, 2, "2.68"),
            (1.125, 2, "1.13"),
            (10.5, 0, "11"),
            (200.25, 1, "200.3"),
            (0.125, 2, "0.13"),
            (-0.125, 2, "-0.13"),
            (-2.675, 2, "-2.68"),
            (1.005, 2, "1.01"),
            (0.285, 2, "0.29"),
            (9.995, 2, "10.00"),
            (99.5, 0, "100"),
            (0.0004, 2, "0.00"),
            (-0.004, 2, "0.00"),
            (0.005, 2, "0.01"),
            (0.0, 2, "0.00"),
            (123456789.125, 2, "123456789.13"),
            ((200.25 / 200.0 - 1.0) * 100.0, 2, "0.13"),
            (1e-7, 3, "0.000"),
            (0.6, 0, "1"),
            (0.4, 0, "0"),
        ] {
            assert_eq!(round_half_up(x, d), want, "{x} to {d}");
        }
        // Float noise from arithmetic never decides a digit: 0.1 * 3 is 0.30000000000000004.
        assert_eq!(round_half_up(1.1 * 1.1 - 1.21 + 0.125, 2), "0.13");
        assert_eq!(round_trim(2.5, 2), "2.5");
        assert_eq!(round_half_up(f64::NAN, 2), "—");
        assert_eq!(exact(2008.0), Some("2008".into()));
    }
    #[test]
    fn tables_group_five_digits_and_more() {
        for (x, d, want) in [
            (123456.0, 2, "123,456"),
            (9999.0, 2, "9999"),
            (12345.0, 0, "12,345"),
            (-123456.0, 0, "-123,456"),
            (-9999.0, 0, "-9999"),
            (1234567.891, 2, "1,234,567.89"),
            (-12345.675, 2, "-12,345.68"),
            (99999.5, 0, "100,000"),
            (24525.0, 2, "24,525"),
            (0.125, 2, "0.13"),
            (1e20, 0, "100,000,000,000,000,000,000"),
            (f64::NAN, 2, "—"),
        ] {
            assert_eq!(grouped(x, d), want, "{x} to {d}");
        }
        assert_eq!(group_digits("—"), "—");
        assert_eq!(group_digits("12345万元"), "12345万元", "only plain numbers");
    }
}
