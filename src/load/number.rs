//! Parsing one value field: what is read as a number, what counts as missing, what is
//! repaired and what is refused.
//!
//! Missing: empty, `-`, `--`, `—`, `…`, `NA`, `N/A`, `null`. Repaired: surrounding spaces,
//! full-width digits and signs (１２３．５), thousands separators in correct groups
//! (`1,234.5`), and a trailing `%` when the indicator's unit is %. Refused with a message:
//! anything else, and non-finite values (NaN, inf).

/// A parsed value field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Missing,
}

/// Parses a value field. `percent_unit` allows a trailing `%`.
#[inline]
pub fn parse_value(field: &[u8], percent_unit: bool) -> Result<Value, String> {
    if let Ok(v) = fast_float2::parse::<f64, _>(field)
        && v.is_finite()
    {
        return Ok(Value::Number(v));
    }
    slow(field, percent_unit)
}

#[cold]
fn slow(field: &[u8], percent_unit: bool) -> Result<Value, String> {
    let text = String::from_utf8_lossy(field);
    let s = text.trim();
    if matches!(s, "" | "-" | "--" | "—" | "——" | "…" | "……" | "NA" | "N/A" | "n/a" | "null" | "NULL") {
        return Ok(Value::Missing);
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
    if let Some(rest) = t.strip_suffix('%') {
        if !percent_unit {
            return Err(format!("value \"{s}\" has a % sign but the indicator's unit is not %"));
        }
        t = rest.trim_end().to_string();
    }
    if t.contains(',') {
        if !thousands_grouped(&t) {
            return Err(format!("{}: a comma must separate groups of three digits (1,234.5)", not_a_number()));
        }
        t.retain(|c| c != ',');
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && !t.eq_ignore_ascii_case("nan") => Ok(Value::Number(v)),
        Ok(_) => Err(format!("value \"{s}\" is not a finite number")),
        Err(_) => Err(not_a_number()),
    }
}

/// `1,234` / `-12,345,678.5`: digits in groups of three after the first.
fn thousands_grouped(s: &str) -> bool {
    let body = s.trim_start_matches(['-', '+']);
    let int = body.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn repairs_and_refuses() {
        assert_eq!(parse_value(b"7.75", false), Ok(Value::Number(7.75)));
        assert_eq!(parse_value(b"", false), Ok(Value::Missing));
        assert_eq!(parse_value("—".as_bytes(), false), Ok(Value::Missing));
        assert_eq!(parse_value(b"1,234.5", false), Ok(Value::Number(1234.5)));
        assert_eq!(parse_value("１２３．５".as_bytes(), false), Ok(Value::Number(123.5)));
        assert_eq!(parse_value(b" 42 ", false), Ok(Value::Number(42.0)));
        assert_eq!(parse_value(b"30.5%", true), Ok(Value::Number(30.5)));
        assert!(parse_value(b"30.5%", false).unwrap_err().contains("% sign"));
        assert_eq!(
            parse_value(b"1,2x", false).unwrap_err(),
            "value \"1,2x\" is not a number: a comma must separate groups of three digits (1,234.5)"
        );
        assert_eq!(parse_value(b"abc", false).unwrap_err(), "value \"abc\" is not a number");
        assert!(parse_value(b"NaN", false).is_err());
        assert!(parse_value(b"inf", false).is_err());
    }
}
