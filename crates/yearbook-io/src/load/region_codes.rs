//! 统计用区划代码: the region tree that official codes imply. A 12-digit code is read in
//! segments of 2/2/2/3/3 digits (province, city, county, town, village), a 6-digit code in
//! 2/2/2; trailing zero segments mark the level (330421000000 is a county, 330421101000 a
//! town), and the parent is the nearest code above it in the same file (a town whose county
//! is not listed hangs from its city). So a code list alone is a regions file, also one
//! that writes a county as 330421 above towns as 330421101000.

/// Segment ends of the two official code lengths.
const BOUNDS_12: [usize; 5] = [2, 4, 6, 9, 12];
const BOUNDS_6: [usize; 3] = [2, 4, 6];

/// The level (0 = province) an official code stands for, or None if it is not one.
pub fn level(code: &str) -> Option<usize> {
    let b = bounds(code)?;
    let digits = code.as_bytes();
    if digits[..2].iter().all(|d| *d == b'0') {
        return None;
    }
    // The level is the first segment end after which only zeros follow.
    b.iter().position(|&end| digits[end..].iter().all(|d| *d == b'0'))
}

/// Codes above `code`, nearest first: its own code truncated to each higher level and
/// padded with zeros.
pub fn ancestors(code: &str) -> Vec<String> {
    let (Some(b), Some(lv)) = (bounds(code), level(code)) else { return Vec::new() };
    (0..lv).rev().map(|up| format!("{}{}", &code[..b[up]], "0".repeat(code.len() - b[up]))).collect()
}

/// The spellings of an official code of a county or above in both lengths: a 12-digit
/// code ending in six zeros and its first 6 digits (330421000000, 330421), the code itself
/// first. A regions file may mix them (a county as 330421 above towns as 330421101000).
pub fn spellings(code: &str) -> Vec<String> {
    let mut out = vec![code.to_string()];
    match code.len() {
        12 if code.ends_with("000000") => out.push(code[..6].to_string()),
        6 => out.push(format!("{code}000000")),
        _ => {}
    }
    out
}

fn bounds(code: &str) -> Option<&'static [usize]> {
    if !code.bytes().all(|d| d.is_ascii_digit()) {
        return None;
    }
    match code.len() {
        12 => Some(&BOUNDS_12),
        6 => Some(&BOUNDS_6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn levels_and_parents_from_codes() {
        assert_eq!(level("330000000000"), Some(0));
        assert_eq!(level("330400000000"), Some(1));
        assert_eq!(level("330421000000"), Some(2));
        assert_eq!(level("330421101000"), Some(3));
        assert_eq!(level("330421101201"), Some(4));
        assert_eq!(level("330421"), Some(2));
        assert_eq!(level("000000000000"), None);
        assert_eq!(level("33042110120"), None);
        assert_eq!(level("3304211012x1"), None);
        assert_eq!(ancestors("330421101201"), vec!["330421101000", "330421000000", "330400000000", "330000000000"]);
        assert_eq!(ancestors("330000000000"), Vec::<String>::new());
        assert_eq!(spellings("330421000000"), vec!["330421000000", "330421"]);
        assert_eq!(spellings("330421"), vec!["330421", "330421000000"]);
        assert_eq!(spellings("330421101000"), vec!["330421101000"]);
    }
}
