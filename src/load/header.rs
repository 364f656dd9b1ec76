//! Finding the header of a table laid out as offices make them: title rows and a unit
//! row (单位：万元) above the header, notes (注：..., 资料来源：...) below the table.

use crate::error::{Error, Location, Result};

/// Where the table is among a file's non-blank rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index (among the rows given) of the header row.
    pub header: usize,
    /// Index of the first note row below the table; rows from here on are not data.
    pub notes: Option<usize>,
    /// The unit a unit row above the header names (`单位：万元` gives `万元`).
    pub unit: Option<String>,
}

/// Words that open a note below a table.
const NOTE_WORDS: [&str; 6] = ["资料来源", "数据来源", "说明", "附注", "备注", "注"];

/// Whether a row's first cell opens the notes below a table: `注：`, `注1.`, `注①`,
/// `资料来源：`, `说明:` (a place name such as 注溪镇 is not a note).
pub fn is_note(first_cell: &str) -> bool {
    let s = first_cell.trim_start_matches(['"', ' ', '\u{feff}', '\u{3000}']);
    NOTE_WORDS.iter().any(|w| {
        s.strip_prefix(w).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with([':', '：', '.', '、', '(', '（', ' ', '\u{3000}'])
                || rest.starts_with(|c: char| c.is_ascii_digit() || ('\u{2460}'..='\u{2473}').contains(&c))
        })
    })
}

/// The unit named by a cell such as `单位：万元` or `(单位:亿元)`.
pub fn unit_of(cell: &str) -> Option<String> {
    let s = cell.trim().trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
    let i = s.find("单位")?;
    let rest = s[i + "单位".len()..].trim_start_matches([':', '：', ' ', '\u{3000}']);
    let unit: String = rest.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | ';' | '；' | ')' | '）')).collect();
    (!unit.is_empty()).then_some(unit)
}

/// Finds the header among non-blank rows, each given as (line, its non-empty cells in
/// order). With `header_row` (1-based line) the header is that row; otherwise it is the
/// first row holding at least two cells and at least half as many as the widest row,
/// other than a unit row (title and unit rows hold one cell, often merged).
pub fn find(file: &str, rows: &[(usize, Vec<&str>)], header_row: Option<usize>) -> Result<Found> {
    let header = match header_row {
        Some(n) => rows.iter().position(|(line, _)| *line == n).ok_or_else(|| {
            let first: Vec<String> = rows.iter().take(6).map(|(l, c)| format!("{l}: {}", c.join(" | "))).collect();
            Error::data(
                Location::new(file, n, None),
                format!("header_row = {n}, but row {n} is empty or past the end; rows with values: {}", first.join("; ")),
            )
        })?,
        None => {
            let widest = rows.iter().take(200).map(|(_, c)| c.len()).max().unwrap_or(0);
            rows.iter()
                .take(200)
                .position(|(_, c)| c.len() >= 2 && 2 * c.len() >= widest && !c.iter().any(|t| unit_of(t).is_some()))
                .unwrap_or(0)
        }
    };
    let unit = rows[..header].iter().flat_map(|(_, c)| c.iter()).find_map(|t| unit_of(t));
    let notes =
        rows.iter().skip(header + 1).position(|(_, c)| c.first().is_some_and(|t| is_note(t)) && c.len() <= 2).map(|i| i + header + 1);
    Ok(Found { header, notes, unit })
}

#[cfg(test)]
mod tests {
    use super::*;
    fn rows(t: &[&[&'static str]]) -> Vec<(usize, Vec<&'static str>)> {
        t.iter().enumerate().map(|(i, r)| (i + 1, r.to_vec())).collect()
    }
    #[test]
    fn title_unit_header_notes() {
        let r = rows(&[
            &["表1 各镇主要经济指标(2021年)"],
            &["单位：万元"],
            &["地区", "年份", "指标", "数值"],
            &["t1", "2021", "gdp", "7"],
            &["注：本表为快报数。"],
            &["资料来源：统计局"],
        ]);
        assert_eq!(find("f", &r, None).unwrap(), Found { header: 2, notes: Some(4), unit: Some("万元".into()) });
        assert_eq!(find("f", &r, Some(3)).unwrap().header, 2);
        assert!(find("f", &r, Some(9)).unwrap_err().to_string().contains("header_row = 9"));
        let plain = rows(&[&["region", "period"], &["a", "2020"]]);
        assert_eq!(find("f", &plain, None).unwrap(), Found { header: 0, notes: None, unit: None });
    }
    #[test]
    fn notes_and_units() {
        for s in ["注：", "注:", "注1.", "注①本表", "资料来源：", "说明：", "\"注：x"] {
            assert!(is_note(s), "{s}");
        }
        for s in ["注溪镇", "地区", "t1", ""] {
            assert!(!is_note(s), "{s}");
        }
        assert_eq!(unit_of("单位：万元").as_deref(), Some("万元"));
        assert_eq!(unit_of("（单位:亿元）").as_deref(), Some("亿元"));
        assert_eq!(unit_of("计量单位"), None);
    }
}
