//! Record tables such as a project ledger: named, typed columns.

use crate::error::Fault;
use crate::number::{Value, parse_value};
use std::sync::Arc;

/// A column's values.
#[derive(Debug, Clone)]
pub enum ColumnData {
    /// Numbers (NaN = missing).
    Number(Vec<f64>),
    /// Text, as read.
    Text(Vec<String>),
}

/// A column's declared type (`types = { seq = "text" }` in the file's entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Numeric when every non-empty cell is a number and none is an identifier.
    Auto,
    /// Keep the column as text (codes with leading zeros).
    Text,
    /// Read the column as numbers.
    Number,
}

impl ColumnType {
    /// The type the config names (`text`, `number`); None otherwise.
    pub fn parse(s: &str) -> Option<ColumnType> {
        match s {
            "text" | "string" | "文本" => Some(ColumnType::Text),
            "number" | "数值" => Some(ColumnType::Number),
            "auto" => Some(ColumnType::Auto),
            _ => None,
        }
    }
}

/// `cell` with full-width digits and points (０-９, ．: as Chinese input methods type
/// them) written as ASCII ones; borrowed where it has none.
pub fn half_width_digits(cell: &str) -> std::borrow::Cow<'_, str> {
    if !cell.chars().any(|c| ('０'..='９').contains(&c) || c == '．') {
        return std::borrow::Cow::Borrowed(cell);
    }
    std::borrow::Cow::Owned(
        cell.chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                _ => c,
            })
            .collect(),
    )
}

/// `text` with full-width ASCII forms (（）Ａ１，: U+FF01-U+FF5E) and the ideographic space
/// written as their half-width forms; borrowed where it has none.
pub fn half_width(text: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}';
    if !text.chars().any(wide) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                c if wide(c) => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
                c => c,
            })
            .collect(),
    )
}

/// `text` as `group_by` tells categories apart: full-width forms written half-width and
/// the spaces padding Chinese words dropped (甲　镇 is 甲镇, 道路(一期) is 道路（一期）).
pub fn folded(text: &str) -> String {
    without_padding(&half_width(text))
}

/// `text` without the spaces that pad Chinese words to a width (在　建, 合 计: a space with
/// a non-ASCII character on each side), as tables typed by hand write them.
fn without_padding(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            !(c.is_whitespace()
                && i > 0
                && chars[..i].iter().rev().find(|c| !c.is_whitespace()).is_some_and(|c| !c.is_ascii())
                && chars[i + 1..].iter().find(|c| !c.is_whitespace()).is_some_and(|c| !c.is_ascii()))
        })
        .map(|(_, c)| *c)
        .collect()
}

/// Digits that are a code, not a quantity: a leading zero (序号 001, 区划代码 033042110120)
/// or more significant digits than an f64 holds exactly (18-digit 统一社会信用代码), in
/// ASCII or full-width digits (９１３３…: read as a number, three such codes were one).
pub fn is_identifier(cell: &str) -> bool {
    let cell = half_width_digits(cell);
    let s = cell.trim();
    let all_digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits && ((s.len() > 1 && s.starts_with('0')) || s.trim_start_matches('0').len() > 15)
}

/// Digits, a letter E and digits (`1E2`, `12E3`, `3e5`): a product code or a batch
/// number, as ledgers write them, never how anyone writes a figure (a spreadsheet's
/// scientific notation has a point and a sign: `1.23E+11`). Read as numbers, `1E2` was
/// 100 and merged with the code `100` in `group_by` and `==`.
pub fn is_exponent_code(cell: &str) -> bool {
    let cell = half_width_digits(cell);
    let s = cell.trim();
    match s.split_once(['e', 'E']) {
        Some((m, e)) => !m.is_empty() && !e.is_empty() && m.bytes().all(|b| b.is_ascii_digit()) && e.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// How a code is written: digits, perhaps in dotted parts (`001`, `3.1`, `3.10`,
/// `1.2.3`). Under a header that names codes ([`is_identifier_header`]) such a column
/// is text, kept as written: read as numbers, 3.10 would be 3.1 and two items one.
pub fn is_code_spelling(cell: &str) -> bool {
    half_width_digits(cell).trim().bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// A column numbering items in outline (1.1, 1.2, ..., 1.9, 1.10), under any header
/// (分项, 条目, 章节, x): every cell digits with one point, and two cells that are one
/// number as figures but spelled apart (1.1 and 1.10) beside a sibling of the shorter
/// (1.2): read as numbers, item 1.10 was item 1.1 (`group_by` summed them, `== "1.1"`
/// matched both). A column of amounts rarely holds 2.5, 2.50 and 2.4 together.
pub fn is_outline_numbering(cells: &[&str]) -> bool {
    let dotted: Vec<(&str, &str)> = cells.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).filter_map(|s| s.split_once('.')).collect();
    let n = cells.iter().filter(|s| !s.trim().is_empty()).count();
    if dotted.is_empty() || dotted.len() != n || !dotted.iter().all(|(p, k)| is_code_spelling(p) && is_code_spelling(k) && !k.contains('.'))
    {
        return false;
    }
    let seen: std::collections::HashSet<(&str, &str)> = dotted.iter().copied().collect();
    seen.iter().any(|&(p, k)| {
        // `k` with zeros after it (1.10 beside 1.1), and another item under `p`.
        let short = k.trim_end_matches('0');
        short != k
            && !short.is_empty()
            && seen.contains(&(p, short))
            && seen.iter().any(|&(q, j)| q == p && j.trim_end_matches('0') != short)
    })
}

/// A column of dates written as a year and a month after a point (2025.3, 2025.10,
/// 2025.12, as offices type 开工日期) under a header that names a date (…日期, …时间,
/// …年月): months, never decimals. Read as numbers, 2025.10 was 2025.1 (October printed
/// as January), and 2025.10 sorted before 2025.3.
pub fn is_dotted_months(header: &str, cells: &[&str]) -> bool {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let dated = h.contains("日期")
        || h.ends_with("时间")
        || h.ends_with("年月")
        || h.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "date");
    let mut any = false;
    dated
        && cells.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).all(|s| {
            any = true;
            match s.split_once('.') {
                Some((y, m)) => {
                    y.len() == 4
                        && y.bytes().all(|b| b.is_ascii_digit())
                        && (1..=2).contains(&m.len())
                        && m.bytes().all(|b| b.is_ascii_digit())
                        && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
                        && (1900..=2200).contains(&y.parse::<u32>().unwrap_or(0))
                }
                None => false,
            }
        })
        && any
}

/// A header that names codes: 代码, 编码, 编号, 序号, 号码, 区划, 证号, 识别号 (纳税人识别号),
/// 税号, 登记号, 注册号, or the words code, id, seq, uscc (`village_code`, `ID`; not
/// `number_of_staff`). Such a column of whole numbers, or of dotted codes (3.1, 3.10),
/// stays text.
pub fn is_identifier_header(name: &str) -> bool {
    let lower = name.to_lowercase();
    ["代码", "编码", "编号", "序号", "号码", "区划", "证号", "识别号", "税号", "登记号", "注册号"].iter().any(|w| lower.contains(w))
        || lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "code" | "id" | "seq" | "uscc"))
}

/// A header that names a key, not a figure: codes ([`is_identifier_header`]), periods
/// (年份, 统计年份, 年份（年）, 月份, 统计月份, 季度, year, month) and row order (行次, 序,
/// 排名, No). The one test of "not a figure" used by the total-row checks and the merge
/// check. A bracketed unit is read off first (`年份（年）`); a header that merely starts
/// with a period word (年度投资, 年末人口) is a figure.
pub fn is_key_header(name: &str) -> bool {
    if is_identifier_header(name) {
        return true;
    }
    let mut n: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    for (open, close) in [('（', '）'), ('(', ')'), ('[', ']'), ('【', '】')] {
        if n.ends_with(close)
            && let Some(i) = n.rfind(open)
            && i > 0
        {
            n.truncate(i);
        }
    }
    const WHOLE: [&str; 24] = [
        "年",
        "年份",
        "年度",
        "月",
        "月份",
        "季度",
        "季",
        "时期",
        "时间",
        "日期",
        "报告期",
        "期别",
        "期间",
        "行次",
        "行号",
        "序",
        "次序",
        "顺序",
        "排序",
        "排名",
        "名次",
        "年月",
        "月度",
        "统计期",
    ];
    const ENDS: [&str; 9] = ["年份", "年度", "月份", "季度", "日期", "时期", "报告期", "行次", "年月"];
    WHOLE.contains(&n.as_str())
        || ENDS.iter().any(|w| n.ends_with(w) && n.chars().count() <= w.chars().count() + 3)
        || n.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "year" | "month" | "quarter" | "period" | "date"))
        || n.split(|c: char| !c.is_ascii_alphanumeric()).rfind(|w| !w.is_empty()).is_some_and(|w| matches!(w, "no" | "rank"))
        || n == "#"
}

/// The year a cell spells as yearbooks write years (`2021`, `2021年`, `２０２１`,
/// `2021年度`, `2021.0`, ` 2021`), as the period columns of fact files read them; None
/// for anything else (a month, a code, a figure that is no year).
pub fn year_spelling(cell: &str) -> Option<f64> {
    let p = crate::period::Period::parse(cell).ok()?;
    (p.freq == crate::period::Frequency::Year && (1000..=9999).contains(&p.ordinal)).then_some(p.ordinal as f64)
}

/// A column whose every non-empty cell spells a year, at least one of them not as a
/// plain number (`2021年`, `２０２１`): a column of years, read as the years (whole
/// numbers), so `p.year == 2021`, `p.year == "2021"` and `group_by("year")` see one
/// year however each row wrote it. Text "2021年" beside "2021" used to split a year's
/// rows into groups and match nothing in `p.year == "2021"`. None otherwise.
fn year_column(cells: &[&str]) -> Option<Vec<f64>> {
    if !cells.iter().any(|s| !s.trim().is_empty()) {
        return None;
    }
    let mut out = Vec::with_capacity(cells.len());
    let mut spelled = false;
    for s in cells {
        let t = s.trim();
        // A blank, or a symbol for no figure (—, -, /, …): no year, as a blank.
        if t.is_empty() || matches!(parse_value(t.as_bytes(), false), Ok(Value::Missing)) {
            out.push(f64::NAN);
            continue;
        }
        if t.parse::<f64>().is_err() {
            spelled = true;
        }
        out.push(year_spelling(t)?);
    }
    spelled.then_some(out)
}

/// A text column under a header that names periods (年份, 季度, 月份) whose cells spell
/// periods of one frequency in more than one way (2021年3月 beside 2021-03, 2021年一季度
/// beside 2021Q1, 2021年 beside 2021 with a 待定 among them): each such cell written as the
/// period (2021-03, 2021Q1, 2021), anything else as written. `p.month == "2021-03"` and
/// `group_by("month")` took one spelling of March only. None where nothing changes.
fn period_texts(header: &str, cells: &[&str]) -> Option<Vec<String>> {
    if !is_dotted_months(header, cells) {
        crate::period::spelling::header_frequency(header)?;
    }
    let read: Vec<Option<crate::period::Period>> =
        cells.iter().map(|s| Some(s.trim()).filter(|t| !t.is_empty()).and_then(|t| crate::period::Period::parse(t).ok())).collect();
    let mut freqs = read.iter().flatten().map(|p| p.freq);
    let freq = freqs.next()?;
    // Periods of two frequencies: left as written.
    if freqs.any(|f| f != freq) {
        return None;
    }
    let out: Vec<String> = cells.iter().zip(&read).map(|(s, p)| p.map_or_else(|| s.to_string(), |p| p.to_string())).collect();
    cells.iter().zip(&out).any(|(s, o)| s.trim() != o).then_some(out)
}

/// A date spelled as offices and Excel write it: 2021/2/3 (Excel on Chinese Windows saves a
/// date cell to CSV so, with ` 0:00` after it where the cell holds a time of day too),
/// 2021-2-3, 2021.2.3, 2021年2月3日: the date as 2021-02-03. None for anything else, or a
/// day that is not in its month.
pub fn date_text(s: &str) -> Option<String> {
    let s = s.trim();
    // A time of day after the date (2021/2/3 8:30): kept, as 08:30; midnight dropped.
    let (s, time) = match s.split_once(' ') {
        Some((d, t)) => {
            let parts: Vec<&str> = t.trim().split(':').collect();
            let ok = (2..=3).contains(&parts.len())
                && parts.iter().all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
                && parts[0].parse::<u32>().is_ok_and(|h| h < 24)
                && parts[1..].iter().all(|p| p.parse::<u32>().is_ok_and(|m| m < 60));
            if !ok {
                return None;
            }
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            let time = match n.as_slice() {
                [0, 0] | [0, 0, 0] => String::new(),
                [h, m] => format!(" {h:02}:{m:02}"),
                [h, m, sec] => format!(" {h:02}:{m:02}:{sec:02}"),
                _ => return None,
            };
            (d.trim(), time)
        }
        None => (s, String::new()),
    };
    let parts: Vec<&str> = match s.strip_suffix('日') {
        Some(rest) => rest.split(['年', '月']).collect(),
        None => {
            let sep = s.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
            s.split(sep).collect()
        }
    };
    let [y, m, d] = parts[..] else { return None };
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let (y, m, d): (i32, i32, i32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = crate::period::spelling::days_in_month(y, m);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}{time}"))
}

/// A month spelled 2021-3, 2021/3, 2021年3月 or 2021年3月份: as 2021-03. None for anything else
/// (2021-03 itself is returned as it is; 2021.5 is as likely a number as a month).
pub fn month_text(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.strip_suffix('份').unwrap_or(t);
    let t = t.strip_suffix('月').unwrap_or(t);
    let (y, m) = t.split_once(['-', '/', '年'])?;
    let digits = |x: &str, n: std::ops::RangeInclusive<usize>| n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4..=4) && digits(m, 1..=2)) {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then(|| format!("{y:04}-{m:02}"))
}

/// `a op b` (`<`, `<=`, `>`, `>=`) where one side is a month as ledgers hold it (2021-03)
/// and the other a date (2021-03-15, with a time or without): Some where the two are
/// such, else None. As texts, 2021-03 orders before each of its own days, so a project
/// started in 2021-03 was `< "2021-03-01"`, and a date of March 15 was `> "2021-03"`.
/// A month is read as the span of its days, as intervals are ordered: `<` is wholly
/// before, `>` wholly after, `<=` not after, `>=` not before. A date on or after March
/// (`>= "2021-03"`) is on or after its first day; a month before March 1 (`< "2021-03-01"`)
/// ends before it. The text is a note (one text for all) where the date falls inside
/// the month past its first day, else None.
pub fn month_against_date(a: &str, b: &str, op: &str) -> Option<(bool, Option<String>)> {
    let month = |s: &str| {
        let s = s.trim();
        (month_text(s).as_deref() == Some(s)).then(|| s.to_string())
    };
    let day = |s: &str| {
        let s = s.trim();
        let d = s.get(..10)?;
        (date_text(s).is_some() && date_text(d).as_deref() == Some(d)).then(|| d.to_string())
    };
    let (m, d, month_left) = match (month(a), day(b), month(b), day(a)) {
        (Some(m), Some(d), _, _) => (m, d, true),
        (_, _, Some(m), Some(d)) => (m, d, false),
        _ => return None,
    };
    let (y, mm): (i32, i32) = (m[..4].parse().ok()?, m[5..7].parse().ok()?);
    let (first, last) = (format!("{m}-01"), format!("{m}-{:02}", crate::period::spelling::days_in_month(y, mm)));
    let (first, last, d) = (first.as_str(), last.as_str(), d.as_str());
    // The month as `x`, the day as `y` (or the other way round): the interval order.
    let held = match (op, month_left) {
        ("<", true) => last < d,
        ("<=", true) => first <= d,
        (">", true) => first > d,
        (">=", true) => last >= d,
        ("<", false) => d < first,
        ("<=", false) => d <= last,
        (">", false) => d > last,
        (">=", false) => d >= first,
        _ => return None,
    };
    let note = (first < d && d <= last).then(|| {
        "a month (2021-03) compared with a date inside it (2021-03-15) is read as all the month's days: `<` is wholly \
         before, `>` wholly after, `<=` not after and `>=` not before; compare with a month (\"2021-03\") or a month's \
         first day (\"2021-03-01\") to say which"
            .to_string()
    });
    Some((held, note))
}

/// A text column of dates spelled otherwise than 2021-02-03 (2021/2/3 from Excel's CSV,
/// 2021年2月3日): each date so written, each month as 2021-03 where every cell is a date
/// or a month, anything else as written. Left as text, 2021/10/5
/// sorted before 2021/2/3 and `p.签约日期 >= "2021-03-01"` compared texts, not dates.
/// None where no cell changes.
fn date_texts(cells: &[&str]) -> Option<Vec<String>> {
    // Beside such dates, 20210203 is one too (a cell typed without separators).
    let compact = |s: &str| {
        let t = s.trim();
        (t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| date_text(&format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..])))
            .flatten()
    };
    // Months too (2021年3月, 2021/3, 2021-3 as 2021-03), where every cell with text is a
    // date or a month: 开工日期 kept as months otherwise ordered 2021年3月 after 2021-03-01.
    // Words without a figure (待定, 未开工) beside them are no dates either way.
    let all_dated = cells
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && s.chars().any(|c| c.is_ascii_digit()))
        .all(|s| date_text(s).is_some() || month_text(s).is_some());
    let read = |s: &str| date_text(s).or_else(|| month_text(s).filter(|_| all_dated)).filter(|d| d != s.trim());
    if !cells.iter().any(|s| read(s).is_some()) {
        return None;
    }
    Some(cells.iter().map(|s| read(s).or_else(|| compact(s)).unwrap_or_else(|| s.to_string())).collect())
}

/// One column of a record table.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header.
    pub name: String,
    /// The values.
    pub data: ColumnData,
    /// The unit its figures are in, where the file says it: in the header's brackets
    /// (投资（亿元）) or the table's unit row (单位：亿元) above a column of figures.
    pub unit: Option<crate::unit::Unit>,
}

impl Column {
    /// Numbers that are all whole (a year, a count; missing cells aside) and exact as
    /// f64: scripts get them as whole numbers, so `${p.year}` reads 2021, not 2021.0.
    pub fn is_whole(&self) -> bool {
        match &self.data {
            ColumnData::Number(v) => v.iter().all(|x| x.is_nan() || (x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0)),
            ColumnData::Text(_) => false,
        }
    }
}

/// A record table. Cheap to clone: the columns are shared.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table's name in the config.
    pub name: Arc<str>,
    /// The columns, in file order.
    pub columns: Arc<Vec<Column>>,
    /// How many rows.
    pub len: usize,
}

impl Table {
    /// Builds a table from text rows; a column is numeric when every non-empty cell is
    /// a number and none is an identifier (see `is_identifier`).
    pub fn from_rows(name: &str, header: &[String], rows: &[Vec<String>]) -> Table {
        Table::from_rows_typed(name, header, rows, &[])
    }

    /// Builds a table with declared column types (by header position; missing = auto).
    /// A column declared `number` whose cell is not a number holds missing there.
    pub fn from_rows_typed(name: &str, header: &[String], rows: &[Vec<String>], types: &[ColumnType]) -> Table {
        let columns = header
            .iter()
            .enumerate()
            .map(|(c, h)| {
                let cells: Vec<&str> = rows.iter().map(|r| r.get(c).map(String::as_str).unwrap_or("")).collect();
                let ty = types.get(c).copied().unwrap_or(ColumnType::Auto);
                let parsed: Vec<Option<Value>> = match ty {
                    ColumnType::Text => Vec::new(),
                    _ => cells.iter().map(|s| parse_value(s.as_bytes(), false).ok()).collect(),
                };
                let numeric = match ty {
                    ColumnType::Text => false,
                    ColumnType::Number => true,
                    ColumnType::Auto => {
                        parsed.iter().all(Option::is_some)
                            && cells.iter().any(|s| !s.is_empty())
                            // x is a withheld figure only beside figures: a column of x
                            // marks and blanks is text.
                            && (parsed.iter().any(|v| v.and_then(Value::number).is_some())
                                || !cells.iter().any(|s| crate::number::is_withheld(s)))
                            && !cells.iter().any(|s| is_identifier(s) || is_exponent_code(s))
                            && !(is_identifier_header(h) && cells.iter().all(|s| is_code_spelling(s)))
                            && !is_outline_numbering(&cells)
                            && !is_dotted_months(h, &cells)
                    }
                };
                let years = if ty == ColumnType::Auto && !numeric { year_column(&cells) } else { None };
                let data = if let Some(years) = years {
                    ColumnData::Number(years)
                } else if numeric {
                    ColumnData::Number(parsed.into_iter().map(|v| v.and_then(Value::number).unwrap_or(f64::NAN)).collect())
                } else if let Some(periods) = (ty == ColumnType::Auto).then(|| period_texts(h, &cells)).flatten() {
                    ColumnData::Text(periods)
                } else if let Some(dates) = (ty == ColumnType::Auto && !is_identifier_header(h)).then(|| date_texts(&cells)).flatten() {
                    ColumnData::Text(dates)
                } else {
                    // A code typed in full-width digits (９１３３…, ００１) is the code in
                    // ASCII ones: compared with "9133…" as written in a script, it matched
                    // nothing.
                    ColumnData::Text(
                        cells
                            .iter()
                            .map(|s| {
                                let half = half_width_digits(s);
                                if is_code_spelling(s) && !half.trim().is_empty() { half.into_owned() } else { s.to_string() }
                            })
                            .collect(),
                    )
                };
                Column { name: h.clone(), data, unit: None }
            })
            .collect();
        Table { name: Arc::from(name), columns: Arc::new(columns), len: rows.len() }
    }

    /// The table with each column's unit (by position; None keeps a column without one).
    pub fn with_units(self, units: Vec<Option<crate::unit::Unit>>) -> Table {
        let columns = self
            .columns
            .iter()
            .zip(units.into_iter().chain(std::iter::repeat(None)))
            .map(|(c, u)| Column { unit: u, ..c.clone() })
            .collect();
        Table { columns: Arc::new(columns), ..self }
    }

    /// The column named `name` (an unknown name says which there are).
    pub fn column(&self, name: &str) -> Result<&Column, Fault> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| self.no_column(name))
    }
    /// The fault of naming a column the table does not have.
    pub fn no_column(&self, name: &str) -> Fault {
        let hint = crate::suggest::did_you_mean(name, self.columns.iter().map(|c| c.name.as_str()));
        Fault::unknown(format!("table `{}` has no column `{name}`{hint} (columns: {})", self.name, self.column_names().join(", ")))
    }
    /// The headers, in file order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }
    /// Keeps the rows whose index is in `keep` (ascending).
    pub fn select(&self, keep: &[usize]) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                unit: c.unit.clone(),
                data: match &c.data {
                    ColumnData::Number(v) => ColumnData::Number(keep.iter().map(|&i| v[i]).collect()),
                    ColumnData::Text(v) => ColumnData::Text(keep.iter().map(|&i| v[i].clone()).collect()),
                },
            })
            .collect();
        Table { name: self.name.clone(), columns: Arc::new(columns), len: keep.len() }
    }
    /// Numeric column values (error for text columns).
    pub fn numbers(&self, name: &str) -> Result<&[f64], Fault> {
        match &self.column(name)?.data {
            ColumnData::Number(v) => Ok(v),
            ColumnData::Text(cells) => {
                // The first cell that made it text, with what it is not (a figure column
                // with one `(100)` or `约3` in it).
                // A percentage, a code of digits and E (1e3), or digits longer than a
                // figure keeps are read as text too: each said as what it is.
                let why = cells.iter().enumerate().find_map(|(i, c)| {
                    let c = c.trim();
                    let at = i + 1;
                    if c.is_empty() {
                        return None;
                    }
                    if let Some(sign) = c.chars().last().filter(|s| matches!(s, '%' | '‰' | '％'))
                        && parse_value(c.trim_end_matches(sign).as_bytes(), false).is_ok_and(|v| v.number().is_some())
                    {
                        return Some(format!(
                            ": its record {at} holds \"{c}\", a figure with a {sign} sign; write the column's figures without it and \
                             the unit in the header ({name}（{sign}）)"
                        ));
                    }
                    if is_exponent_code(c) {
                        return Some(format!(
                            ": its record {at} holds \"{c}\", digits, E and digits, which a ledger writes for a code (a batch \
                             number), so the column is read as text; write the figure in full ({}), or declare the column a number \
                             (types = {{ \"{name}\" = \"number\" }} in its [data.tables] entry)",
                            parse_value(c.as_bytes(), false).ok().and_then(|v| v.number()).map(crate::format::number).unwrap_or_default()
                        ));
                    }
                    if is_identifier(c) {
                        return Some(format!(
                            ": its record {at} holds \"{c}\", which is read as a code (a leading 0, or more digits than a figure \
                             keeps)"
                        ));
                    }
                    parse_value(c.as_bytes(), false).err().map(|e| format!(": its record {at} holds {e}"))
                });
                Err(Fault::type_(format!("column `{name}` of table `{}` is text, not numbers{}", self.name, why.unwrap_or_default())))
            }
        }
    }
    /// Cell as display text.
    pub fn cell_text(&self, col: usize, row: usize) -> String {
        match &self.columns[col].data {
            ColumnData::Number(v) => crate::format::number(v[row]),
            ColumnData::Text(v) => v[row].clone(),
        }
    }
    /// Distinct values of a column as text, in first-seen order, with their row indices.
    ///
    /// Values that differ only in full-width and half-width forms (道路（一期） and
    /// 道路(一期), ＲＯＡＤ and ROAD: one input method or the other) are one group, under
    /// the spelling that comes first, with a note naming the others: never one category
    /// split in two sums.
    pub fn groups(&self, name: &str) -> Result<Vec<(String, Vec<usize>)>, Fault> {
        let c = self.columns.iter().position(|c| c.name == name).ok_or_else(|| self.no_column(name))?;
        let mut out: Vec<(String, Vec<usize>)> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut merged: Vec<(usize, String)> = Vec::new();
        for r in 0..self.len {
            let key = self.cell_text(c, r);
            let folded = without_padding(&half_width(&key));
            match index.get(&folded) {
                Some(&g) => {
                    if out[g].0 != key && !merged.iter().any(|(m, k)| *m == g && *k == key) {
                        merged.push((g, key));
                    }
                    out[g].1.push(r);
                }
                None => {
                    index.insert(folded, out.len());
                    out.push((key, vec![r]));
                }
            }
        }
        if !merged.is_empty() {
            let said: Vec<String> = merged.iter().take(3).map(|(g, k)| format!("{k} with {}", out[*g].0)).collect();
            let more = if merged.len() > 3 { format!(" (and {} more)", merged.len() - 3) } else { String::new() };
            crate::tally::note(format!(
                "group_by(\"{name}\"): {}{more} grouped as one: they differ only in full-width and half-width forms (（ and (, Ａ and A) or in spaces padding Chinese words (在　建 and 在建)",
                said.join("; ")
            ));
        }
        Ok(out)
    }
}
