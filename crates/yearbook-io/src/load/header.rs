//! Finding the header of a table laid out as offices make them: title rows and a unit
//! row (单位：万元) above the header, a second header row (年份 over 本期/同期), a row of
//! units or column numbers (甲 乙 1 2 3) under it, notes (注：..., 资料来源：...) below.

use yearbook_core::error::{Error, Location, Result};

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

/// The unit named by a cell such as `单位：万元`, `(单位:亿元)` or `金额单位：万元`. The unit
/// follows a colon or a space: `单位名称` and `单位代码` are headers (of a ledger of units,
/// 单位 as an organisation), and so is what follows 填报单位： (the office that reports).
pub fn unit_of(cell: &str) -> Option<String> {
    let s = cell.trim().trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
    let i = s.find("单位")?;
    let before = &s[..i];
    if ["填报", "报送", "上报", "编制", "制表", "调查", "统计", "建设", "施工", "使用", "责任", "主管"].iter().any(|w| before.ends_with(w))
    {
        return None;
    }
    let after = &s[i + "单位".len()..];
    if !after.starts_with([':', '：', ' ', '\u{3000}']) {
        return None;
    }
    let rest = after.trim_start_matches([':', '：', ' ', '\u{3000}']);
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

/// Rows below the notes are not read: a row of figures there would be lost, so it is an
/// error naming its line and the note's.
pub fn check_below_notes(file: &str, rows: &[(usize, Vec<&str>)], found: &Found) -> Result<()> {
    if let Some(n) = found.notes
        && let Some((line, _)) = rows.get(n + 1..).unwrap_or_default().iter().find(|(_, c)| looks_like_data(c))
    {
        return Err(Error::data(
            Location::new(file, *line, None),
            format!(
                "a row of figures below the note on line {}: everything below a note (注：, 资料来源：) is left out; move the note below the last row",
                rows[n].0
            ),
        ));
    }
    Ok(())
}

/// A row that holds figures rather than more notes: three cells or more, not opening with
/// a note word.
pub fn looks_like_data(cells: &[&str]) -> bool {
    cells.iter().filter(|c| !c.trim().is_empty()).count() >= 3 && cells.first().is_none_or(|t| !is_note(t))
}

/// 栏次 row: 甲 乙 丙 ... then 1 2 3 ...
fn is_column_numbers(cells: &[&str]) -> bool {
    let letters = cells.iter().take_while(|c| matches!(**c, "甲" | "乙" | "丙" | "丁" | "戊" | "己" | "庚" | "辛")).count();
    let numbers = &cells[letters..];
    letters > 0 && numbers.iter().enumerate().all(|(i, c)| c.parse::<usize>().ok() == Some(i + 1))
}

/// A cell holding only a unit: `(万元)`, `（%）`, `单位：万元`.
fn is_unit_cell(c: &str) -> bool {
    unit_of(c).is_some() || [('(', ')'), ('（', '）')].iter().any(|(o, e)| c.starts_with(*o) && c.ends_with(*e) && c.chars().count() <= 10)
}

/// Whether a row's non-empty cells are a 栏次 row (甲 乙 1 2 3) or a row of units.
pub fn is_units_or_numbers(cells: &[&str]) -> bool {
    !cells.is_empty() && (is_column_numbers(cells) || cells.iter().all(|c| is_unit_cell(c)))
}

/// Takes in the row right under the header when it is part of the header: a row of
/// units or column numbers is dropped; a second header row (the header has merged or
/// blank cells above it, and it holds no numbers) is combined with the header, each
/// blank header cell taking the text on its left ("2021年" over 本期 | 同期 gives
/// "2021年 本期", "2021年 同期").
pub fn absorb_second_row(header: &mut [String], rows: &mut Vec<(usize, Vec<String>)>, header_merged: bool) {
    let Some((_, next)) = rows.first() else { return };
    let cells: Vec<&str> = next.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
    if cells.is_empty() {
        return;
    }
    if is_units_or_numbers(&cells) {
        rows.remove(0);
        return;
    }
    let numeric = |c: &&str| yearbook_core::number::parse_value(c.as_bytes(), true).is_ok_and(|v| v.number().is_some());
    // Without merges, a second header row leaves the rows' key column blank (its header
    // spans both rows) and fills a column whose header is blank (the text on its left
    // spans it).
    let blank_above =
        next.first().is_some_and(String::is_empty) && header.iter().zip(next.iter()).any(|(h, n)| h.is_empty() && !n.is_empty());
    if cells.len() < 2 || cells.iter().any(numeric) || !(header_merged || blank_above) {
        return;
    }
    let (_, next) = rows.remove(0);
    let mut left = String::new();
    for (h, n) in header.iter_mut().zip(next) {
        if h.is_empty() {
            h.clone_from(&left);
        } else {
            left.clone_from(h);
        }
        if !n.is_empty() {
            *h = if h.is_empty() || *h == n { n } else { format!("{h} {n}") };
        }
    }
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
        // Headers of a ledger of organisations (单位 as an office), and the reporting office.
        for cell in ["单位名称", "单位代码", "单位", "填报单位：大云镇人民政府", "统计单位: 某局"] {
            assert_eq!(unit_of(cell), None, "{cell}");
        }
        assert_eq!(unit_of("金额单位：万元").as_deref(), Some("万元"));
        assert_eq!(unit_of("单位 亿元").as_deref(), Some("亿元"));
    }
    fn dense(rows: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        rows.iter().enumerate().map(|(i, r)| (i + 4, r.iter().map(|c| c.to_string()).collect())).collect()
    }
    #[test]
    fn second_header_rows() {
        let mut h: Vec<String> = ["地区", "2021年", "", "2020年", ""].map(String::from).to_vec();
        let mut rows = dense(&[&["", "本期", "同期", "本期", "同期"], &["t1", "1", "2", "3", "4"]]);
        absorb_second_row(&mut h, &mut rows, false);
        assert_eq!(h, ["地区", "2021年 本期", "2021年 同期", "2020年 本期", "2020年 同期"]);
        assert_eq!(rows.len(), 1);
        let mut h: Vec<String> = ["地区", "年份", "指标", "数值"].map(String::from).to_vec();
        for under in [&["甲", "乙", "丙", "1"][..], &["", "", "", "(万元)"][..]] {
            let mut rows = dense(&[under, &["t1", "2021", "gdp", "4"]]);
            absorb_second_row(&mut h, &mut rows, false);
            assert_eq!((rows.len(), h[3].as_str()), (1, "数值"), "{under:?}");
        }
        // A data row stays data, even with no numbers in it, under a full header.
        let mut rows = dense(&[&["t1", "2021", "gdp", "—"]]);
        absorb_second_row(&mut h, &mut rows, false);
        assert_eq!(rows.len(), 1);
    }
}
