//! Parsing one value field: what is read as a number, what counts as missing, what is
//! repaired and what is refused.
//!
//! Missing: empty, `-`, `--`, `—`, `－`, `…`, `...` (yearbook symbols: no figure, or below
//! the table's unit), `/` (不适用, as forms write it), `x` / `X` / `×` (the figure withheld:
//! 保密, 不宜公布), `NA`, `N/A`,
//! `null`. Repaired: surrounding spaces, full-width digits
//! and signs (１２３．５), thousands separators in correct groups (`1,234.5`), and a
//! trailing `%` when the indicator's unit is %. A trailing footnote mark (`*`, `#`,
//! `①`..`⑳`) is read off the number and returned with it. Refused with a message:
//! anything else, and non-finite values (NaN, inf).

/// A parsed value field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A plain number.
    Number(f64),
    /// An empty field or a yearbook symbol for no data (`…`, `—`, `-`, `x`).
    Missing,
    /// A number with a yearbook footnote mark after it (`3.2*`, `3.2①`).
    Marked(f64, char),
}

impl Value {
    /// The number, if there is one (marked or not).
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(v) | Value::Marked(v, _) => Some(v),
            Value::Missing => None,
        }
    }
}

/// Yearbook symbols for "no figure" (—, -, －), "below the table's unit" (…, ...) and
/// "withheld" (x, see [`WITHHELD`]).
const MISSING: &[&str] = &[
    "x",
    "X",
    "ｘ",
    "Ｘ",
    "×",
    "",
    "-",
    "--",
    "—",
    "——",
    "－",
    "－－",
    "―",
    "–",
    "…",
    "……",
    "⋯",
    "⋯⋯",
    "...",
    "......",
    "。。。",
    "．．．",
    // A slash: 不适用, no such figure (a project without investment), as forms write it.
    "/",
    "／",
    "NA",
    "N/A",
    "n/a",
    "null",
    "NULL",
];

/// The yearbook symbol for a figure withheld (保密, 不宜公布): `x`, also typed `X`, full
/// width or as the multiplication sign `×`. Read as missing; a column of record-table
/// cells holding nothing else is text, not numbers.
pub const WITHHELD: &[&str] = &["x", "X", "ｘ", "Ｘ", "×"];

/// Whether a cell is the withheld symbol ([`WITHHELD`]).
pub fn is_withheld(cell: &str) -> bool {
    WITHHELD.contains(&cell.trim())
}

/// A footnote mark after a figure: `*`, `#`, and the circled numbers ① .. ⑳.
pub fn is_footnote_mark(c: char) -> bool {
    matches!(c, '*' | '#' | '＊' | '＃' | '\u{2460}'..='\u{2473}')
}

/// The significant digits of a figure's whole part written out in full
/// (`12345678901234567`: 17) where there are more than 15 and a digit past the 15th is
/// not 0: an f64 read back to 15 digits, as every figure is shown, would change them
/// (…4567 became …4600). None otherwise: trailing zeros (12345678901234500), decimals
/// (1089.3750000000002, a program's binary noise) and exponents are read as numbers.
/// The refusal of a figure whose whole part has more significant digits than a figure
/// keeps ([`whole_digits_lost`]); None where it has 15 or fewer (or trailing zeros).
pub fn lost_digits(field: &[u8]) -> Option<String> {
    if let Some((kept, whole)) = excel_shortened(field) {
        return Some(format!(
            "value \"{}\" is a figure Excel showed in scientific notation and saved so: it keeps {kept} of its {whole} \
             digits, the others are lost; format the column as a number (数值, with its decimals) before saving it as CSV, \
             or load the .xlsx itself",
            String::from_utf8_lossy(field).trim()
        ));
    }
    let n = whole_digits_lost(field)?;
    Some(format!(
        "value \"{}\" has {n} significant digits before its point, more than a figure keeps (15): its last digits would \
         change; give it in a larger unit (万元 rather than 元), or rounded to 15 significant digits",
        String::from_utf8_lossy(field).trim()
    ))
}

/// A figure as Excel shows one of 12 digits or more in a General cell and saves it to
/// CSV: `1.23457E+11` (six significant digits, an upper-case `E+`, an exponent of 11 or
/// more), fewer digits than its whole part has. Gives (digits kept, digits of its whole
/// part). Read as a number, 123456789012 would load as 123457000000. An exponent written
/// by a program (`1e+16`, lower case) or a mantissa with all the whole part's digits is
/// not such a figure.
fn excel_shortened(field: &[u8]) -> Option<(usize, usize)> {
    let s = field.trim_ascii();
    let s = s.strip_prefix(b"-").or_else(|| s.strip_prefix(b"+")).unwrap_or(s);
    let e = s.iter().position(|&b| b == b'E')?;
    let (mantissa, exp) = (&s[..e], s[e + 1..].strip_prefix(b"+")?);
    if exp.is_empty() || exp.len() > 3 || !exp.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let exp: usize = std::str::from_utf8(exp).ok()?.parse().ok()?;
    let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
        Some(p) => (&mantissa[..p], &mantissa[p + 1..]),
        None => (mantissa, &mantissa[mantissa.len()..]),
    };
    if int.len() != 1 || int[0] == b'0' || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let kept = 1 + frac.len();
    (exp >= 11 && kept <= exp).then_some((kept, exp + 1))
}

fn whole_digits_lost(field: &[u8]) -> Option<usize> {
    let s = field.trim_ascii();
    let s = s.strip_prefix(b"-").or_else(|| s.strip_prefix(b"+")).unwrap_or(s);
    let (whole, fraction) = match s.iter().position(|&b| b == b'.') {
        Some(p) => (&s[..p], &s[p + 1..]),
        None => (s, &s[s.len()..]),
    };
    if whole.len() <= 15 || !whole.iter().chain(fraction).all(u8::is_ascii_digit) {
        return None;
    }
    let first = whole.iter().position(|&b| b != b'0')?;
    let significant = &whole[first..];
    (significant.len() > 15 && significant[15..].iter().any(|&b| b != b'0')).then_some(significant.len())
}

/// Powers of ten held exactly by an f64 (10^0 ..= 10^15).
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// A plain decimal as files write most figures (`-?digits(.digits)?`, at most 15
/// digits): the nearest f64, as `str::parse` gives it. `None` for anything else (signs
/// `+`, exponents, `.5`, spaces, more digits), which the general parser reads.
///
/// The digits form an integer m < 10^15 < 2^53 and the scale 10^d (d <= 15) is exact,
/// so one IEEE division rounds m / 10^d correctly (Clinger's fast path, "How to read
/// floating point numbers accurately", 1990).
#[inline(always)]
pub fn plain_decimal(field: &[u8]) -> Option<f64> {
    let (neg, digits) = match field {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, field),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut m: u64 = 0;
    let mut point = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => m = m * 10 + u64::from(c - b'0'),
            b'.' if point.is_none() && i > 0 && i + 1 < digits.len() => point = Some(i),
            _ => return None,
        }
    }
    let d = point.map_or(0, |i| digits.len() - i - 1);
    let n_digits = digits.len() - usize::from(point.is_some());
    if n_digits > 15 {
        return None;
    }
    let v = m as f64 / POW10[d];
    Some(if neg { -v } else { v })
}

/// Parses a value field. `percent_unit` allows a trailing `%`.
#[inline]
pub fn parse_value(field: &[u8], percent_unit: bool) -> Result<Value, String> {
    parse_value_signed(field, if percent_unit { "%‰" } else { "" })
}

/// [`parse_value`] of a figure of an indicator whose unit is a sign among `signs` (`"%"`,
/// `"‰"`, or none: `""`): a value written with that sign (`12.5%`, `12.5‰`) is read
/// without it; with another sign it is refused (12.5‰ is no 12.5%).
pub fn parse_value_signed(field: &[u8], signs: &str) -> Result<Value, String> {
    if let Some(v) = plain_decimal(field) {
        return Ok(Value::Number(v));
    }
    if let Some(e) = lost_digits(field) {
        return Err(e);
    }
    if let Ok(v) = fast_float2::parse::<f64, _>(field)
        && v.is_finite()
    {
        return Ok(Value::Number(v));
    }
    slow(field, signs)
}

#[cold]
fn slow(field: &[u8], signs: &str) -> Result<Value, String> {
    let text = String::from_utf8_lossy(field);
    let s = text.trim();
    if MISSING.contains(&s) {
        return Ok(Value::Missing);
    }
    // Excel shows #### where a column is too narrow for its figure, and a copy of the
    // sheet as shown keeps the marks, not the figure.
    if s.len() >= 2 && s.bytes().all(|b| b == b'#') {
        return Err(format!(
            "value \"{s}\" is Excel's sign of a column too narrow to show its figure: widen the column (or save the sheet as \
             .xlsx or CSV, not as shown) and load it again"
        ));
    }
    if let Some(mark) = s.chars().last().filter(|&c| is_footnote_mark(c)) {
        let body = s[..s.len() - mark.len_utf8()].trim_end();
        if body.chars().last().is_some_and(is_footnote_mark) {
            return Err(format!("value \"{s}\" has more than one footnote mark: keep one, or put the note in the flag column"));
        }
        // Read as a figure alone is (a 1.23457E+11 keeps its refusal under a mark).
        return match parse_value_signed(body.as_bytes(), signs)? {
            Value::Number(v) => Ok(Value::Marked(v, mark)),
            _ => Err(format!("value \"{s}\" has a footnote mark but no number before it")),
        };
    }
    let not_a_number = || format!("value \"{s}\" is not a number");
    // Full-width forms to ASCII.
    let mut t: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            '，' => ',',
            '％' => '%',
            c => c,
        })
        .collect();
    // An accounting negative in brackets (`(1,234)`, `（12.3）`): not read as a figure
    // (a bracket may hold a note as well), said how to write it.
    if let Some(inner) = t.strip_prefix(['(', '（']).and_then(|r| r.strip_suffix([')', '）']))
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' '))
    {
        let shown = inner.replace([',', ' '], "");
        return Err(format!(
            "{} (brackets around a figure, as accounts write a negative): write a negative as -{shown}; if the bracket is a \
             note, put the note in the flag column",
            not_a_number()
        ));
    }
    for sign in ['%', '‰'] {
        if let Some(rest) = t.strip_suffix(sign) {
            if !signs.contains(sign) {
                return Err(format!("value \"{s}\" has a {sign} sign but the indicator's unit is not {sign}"));
            }
            t = rest.trim_end().to_string();
            break;
        }
    }
    if t.contains(',') {
        if !thousands_grouped(&t) {
            return Err(format!("{}: a comma must separate groups of three digits (1,234.5)", not_a_number()));
        }
        t.retain(|c| c != ',');
    }
    // A figure with a magnitude after it (1.5万, 3亿): the number in full is what a
    // file holds; the magnitude belongs in the unit.
    for (m, times) in [("万", 1e4), ("亿", 1e8)] {
        if let Some(v) = t.strip_suffix(m).and_then(|n| n.trim().parse::<f64>().ok()).filter(|v| v.is_finite()) {
            // The figure in the unit it is read in: 1.5亿 is 15000 in 万元 (150000000 was
            // advised, which loaded 10000 times too large in 万元).
            let sig = |x: f64| crate::kernel::arith::significant(x, 15);
            return Err(format!(
                "{}: it has a magnitude ({m}) after the figure; write it as a plain number in its indicator's or column's unit \
                 ({} is {} in a unit of 万 such as 万元 or 万人, {} in one without such as 元 or 人), or give the unit with its \
                 magnitude (万元, 亿元) in the header or a 计量单位 column",
                not_a_number(),
                t.trim(),
                sig(v * times / 1e4),
                sig(v * times)
            ));
        }
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && !t.eq_ignore_ascii_case("nan") => Ok(Value::Number(v)),
        Ok(_) => Err(format!("value \"{s}\" is not a finite number")),
        Err(_) => Err(not_a_number()),
    }
}

/// `1,234` / `-12,345,678.5`: digits in groups of three after the first, and none after
/// the decimal point (`1.500,000` is not 1.5).
fn thousands_grouped(s: &str) -> bool {
    let body = s.trim_start_matches(['-', '+']);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if frac.contains(',') {
        return false;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `x op y` for a comparison operator as scripts and templates spell it (`==`, `!=`, `<`,
/// `<=`, `>`; any other is `>=`), of any two values that compare (numbers, whole numbers,
/// template values): the one dispatch of the number-against-text comparisons.
pub fn compare_as<T: PartialOrd + ?Sized>(op: &str, x: &T, y: &T) -> bool {
    match op {
        "==" => x == y,
        "!=" => x != y,
        "<" => x < y,
        "<=" => x <= y,
        ">" => x > y,
        _ => x >= y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure Excel showed as 1.23457E+11 keeps 6 of its 12 digits: read, 123456789012
    /// loaded as 123457000000. Exponents programs write, and mantissas with every digit,
    /// read as numbers.
    #[test]
    fn a_figure_excel_shortened_to_scientific_notation_is_refused() {
        assert_eq!(
            parse_value(b"1.23457E+11", false).unwrap_err(),
            "value \"1.23457E+11\" is a figure Excel showed in scientific notation and saved so: it keeps 6 of its 12 digits, \
             the others are lost; format the column as a number (数值, with its decimals) before saving it as CSV, or load the \
             .xlsx itself"
        );
        // Under a footnote mark or after a plus sign too (fixes15 08: they loaded 123457000000).
        for bad in ["9.13304E+17", "-1.5E+11", "1E+15", " 2.1E+12 ", "1.23457E+11*", "1.23457E+11①", "+1.23457E+11"] {
            assert!(parse_value(bad.as_bytes(), false).is_err(), "{bad}");
        }
        for (good, v) in [("1.5E+3", 1500.0), ("1.23456789012E+11", 123456789012.0), ("1e+16", 1e16), ("1.2E+10", 1.2e10)] {
            assert_eq!(parse_value(good.as_bytes(), false), Ok(Value::Number(v)), "{good}");
        }
    }
    /// A whole number of more than 15 significant digits written out is refused: read,
    /// 12345678901234567 was shown as 12345678901234600. Trailing zeros, decimals (a
    /// program's binary noise) and exponents read as before.
    #[test]
    fn whole_numbers_of_more_digits_than_a_figure_keeps_are_refused() {
        assert_eq!(
            parse_value(b"12345678901234567", false).unwrap_err(),
            "value \"12345678901234567\" has 17 significant digits before its point, more than a figure keeps (15): its last \
             digits would change; give it in a larger unit (万元 rather than 元), or rounded to 15 significant digits"
        );
        for bad in ["-1234567890123456", "1234567890123456.0", " +0001234567890123456 "] {
            assert!(parse_value(bad.as_bytes(), false).unwrap_err().contains("16 significant digits"), "{bad}");
        }
        for (ok, v) in [
            ("12345678901234500", 12345678901234500.0),
            ("123456789012345", 123456789012345.0),
            ("0000000000000001", 1.0),
            ("1089.3750000000002", 1089.3750000000002),
            ("1.2345678901234568e16", 1.2345678901234568e16),
        ] {
            assert_eq!(parse_value(ok.as_bytes(), false), Ok(Value::Number(v)), "{ok}");
        }
    }
    #[test]
    fn repairs_and_refuses() {
        // x: a figure withheld (保密), missing like … and —.
        for s in ["x", "X", " x ", "×", "ｘ"] {
            assert_eq!(parse_value(s.as_bytes(), false), Ok(Value::Missing), "{s}");
        }
        assert_eq!(parse_value(b"xx", false).unwrap_err(), "value \"xx\" is not a number");
        assert_eq!(
            parse_value("1.5万".as_bytes(), false).unwrap_err(),
            "value \"1.5万\" is not a number: it has a magnitude (万) after the figure; write it as a plain number in its \
             indicator's or column's unit (1.5万 is 1.5 in a unit of 万 such as 万元 or 万人, 15000 in one without such as 元 or 人), \
             or give the unit with its magnitude (万元, 亿元) in the header or a 计量单位 column"
        );
        assert!(
            parse_value("1.5亿".as_bytes(), false)
                .unwrap_err()
                .contains("(1.5亿 is 15000 in a unit of 万 such as 万元 or 万人, 150000000 in one")
        );
        assert_eq!(parse_value(b"7.75", false), Ok(Value::Number(7.75)));
        assert_eq!(parse_value(b"", false), Ok(Value::Missing));
        assert_eq!(parse_value("—".as_bytes(), false), Ok(Value::Missing));
        assert_eq!(parse_value(b"1,234.5", false), Ok(Value::Number(1234.5)));
        assert_eq!(parse_value("１２３．５".as_bytes(), false), Ok(Value::Number(123.5)));
        assert_eq!(parse_value(b" 42 ", false), Ok(Value::Number(42.0)));
        assert_eq!(parse_value(b"30.5%", true), Ok(Value::Number(30.5)));
        assert!(parse_value(b"30.5%", false).unwrap_err().contains("% sign"));
        // A figure in ‰ written with its sign (出生率 12.5‰), and each sign only on its unit.
        assert_eq!(parse_value_signed("12.5‰".as_bytes(), "‰"), Ok(Value::Number(12.5)));
        assert_eq!(parse_value_signed("12.5 ‰".as_bytes(), "‰"), Ok(Value::Number(12.5)));
        assert_eq!(
            parse_value_signed("12.5‰".as_bytes(), "%").unwrap_err(),
            "value \"12.5‰\" has a ‰ sign but the indicator's unit is not ‰"
        );
        assert_eq!(parse_value_signed(b"12.5%", "\u{2030}").unwrap_err(), "value \"12.5%\" has a % sign but the indicator's unit is not %");
        assert_eq!(
            parse_value(b"1,2x", false).unwrap_err(),
            "value \"1,2x\" is not a number: a comma must separate groups of three digits (1,234.5)"
        );
        assert_eq!(parse_value(b"abc", false).unwrap_err(), "value \"abc\" is not a number");
        for (cell, shown) in [("(1,234)", "1234"), ("（12.3）", "12.3"), ("(１２.３)", "12.3")] {
            assert_eq!(
                parse_value(cell.as_bytes(), false).unwrap_err(),
                format!(
                    "value \"{cell}\" is not a number (brackets around a figure, as accounts write a negative): write a negative \
                     as -{shown}; if the bracket is a note, put the note in the flag column"
                )
            );
        }
        // A comma after the decimal point is no thousands separator: 1.500,000 is not 1.5.
        for s in ["1.500,000", "0.1,2", "1.2，3", "-1,234.5,6"] {
            assert!(parse_value(s.as_bytes(), false).unwrap_err().contains("groups of three digits"), "{s}");
        }
        assert!(parse_value(b"NaN", false).is_err());
        assert!(parse_value(b"inf", false).is_err());
    }
    #[test]
    fn plain_decimals_read_as_the_standard_parser_reads_them() {
        // A naive reference: Rust's own correctly rounded parser, on every shape the fast
        // path takes and on its edges.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let n = (next() % 15 + 1) as usize;
            let digits: String = (0..n).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let cut = (next() % (n as u64 + 1)) as usize;
            let text = match cut {
                0 => digits.clone(),
                c if c == n => digits.clone(),
                c => format!("{}.{}", &digits[..c], &digits[c..]),
            };
            let text = if next() % 3 == 0 { format!("-{text}") } else { text };
            let want: f64 = text.parse().unwrap();
            let got = plain_decimal(text.as_bytes()).unwrap_or_else(|| panic!("{text} not taken"));
            assert_eq!(got.to_bits(), want.to_bits(), "{text}");
        }
        for s in ["0.1", "0.3", "2.675", "1.005", "999999999999999", "0.00000000000001", "-0", "-0.0", "123456789.012345"] {
            assert_eq!(plain_decimal(s.as_bytes()).map(f64::to_bits), Some(s.parse::<f64>().unwrap().to_bits()), "{s}");
        }
        // Left to the general parser: 16 digits, signs, exponents, bare points, spaces.
        for s in [
            "1234567890123456",
            "0.000000000000001",
            "9007199254740993",
            "+1",
            "1e5",
            ".5",
            "5.",
            "1.2.3",
            " 1",
            "1 ",
            "",
            "-",
            "1,234",
            "--1",
            "0x1",
        ] {
            assert_eq!(plain_decimal(s.as_bytes()), None, "{s}");
        }
        // 2^53 + 1 has no f64 of its own: refused, not read as 2^53.
        assert!(parse_value(b"9007199254740993", false).unwrap_err().contains("16 significant digits"));
        assert_eq!(parse_value(b"9007199254740990", false), Ok(Value::Number(9007199254740990.0)));
        assert_eq!(parse_value(b"-0", false).map(|v| v.number().map(f64::to_bits)), Ok(Some((-0.0f64).to_bits())));
    }
    #[test]
    fn yearbook_symbols() {
        for s in ["…", "……", "⋯", "⋯⋯", "...", "—", "——", "-", "－", "–", "．．．", "/", "／"] {
            assert_eq!(parse_value(s.as_bytes(), false), Ok(Value::Missing), "{s}");
        }
        for (s, mark) in [("3.2*", '*'), ("3.2#", '#'), ("3.2①", '①'), ("3.2⑳", '⑳'), ("１,234.5 ②", '②'), ("-0.4*", '*')] {
            let v = parse_value(s.as_bytes(), false).unwrap();
            assert_eq!(
                v.number().map(|x| (x * 10.0).round() / 10.0),
                Some(if s.starts_with('-') {
                    -0.4
                } else if s.contains(',') {
                    1234.5
                } else {
                    3.2
                }),
                "{s}"
            );
            assert_eq!(v, Value::Marked(v.number().unwrap(), mark), "{s}");
        }
        assert_eq!(parse_value("12.5%*".as_bytes(), true), Ok(Value::Marked(12.5, '*')));
        assert!(parse_value(b"*", false).unwrap_err().contains("no number"));
        assert!(parse_value("…①".as_bytes(), false).unwrap_err().contains("no number"));
        assert!(parse_value(b"3.2**", false).unwrap_err().contains("more than one"));
    }
}
