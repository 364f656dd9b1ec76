//! Total rows of a record table (合计, 总计, 小计, a row named 全县 or the top region,
//! 平均 rows, 本年累计 footers): left out of its records, each checked against the
//! records it sums (or averages), with a warning naming its line either way.

use yearbook_core::number::parse_value;
use yearbook_core::table::{ColumnData, ColumnType, Table};
use yearbook_core::total_label::{Total, WHOLE, label_read, total_ending, total_leading, total_word};

/// A total row: its line and cells, what it sums, its word, how many records precede it.
struct TotalRow {
    line: usize,
    row: Vec<String>,
    kind: Total,
    word: String,
    /// Other text beside the word (a group's name, a note, a category).
    other_text: bool,
    before: usize,
}

/// What stands before 累计 in a footer that is a running total (本年累计), left out
/// unchecked when it is not the sum of the records; a 累计 row with anything else before
/// it (1-3月累计 in a table of periods) is then a record, said in a warning.
const RUNNING_TOTAL: [&str; 13] =
    ["", "本年", "全年", "年度", "本年度", "本期", "今年", "当年", "自年初", "年初至今", "本季", "本季度", "本月"];

/// Whether a 累计 word (本年累计数) is a running-total footer's.
fn running_total(word: &str) -> bool {
    let stem = word.trim_end_matches('数').trim_end_matches("累计");
    RUNNING_TOTAL.contains(&stem)
}

/// A row named for the whole region, and nothing else in words: its only text cell is
/// 全县 (全市, 全镇, ...) or the name of a top region (`tops`). Gives the name.
fn region_total(row: &[String], tops: &[String]) -> Option<String> {
    let mut text = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty() && parse_value(c.as_bytes(), false).is_err());
    let only = text.next()?;
    if text.next().is_some() {
        return None;
    }
    let name = label_read(only, false);
    (WHOLE.contains(&name.as_str()) || tops.contains(&name)).then_some(name)
}

/// A row's total word, from any of its text cells (the name column, the 序号 column,
/// ...), and whether other text stands beside it (`乙镇,合计,800` may be a region's
/// record whose category is 合计; `甲镇,小计,150` a subtotal naming its group).
/// With a name-like word (数据汇总, [`total_word`]) the row counts as having other text:
/// it is left out only when its figures are the sums. 总量 or 全部 beside other text is
/// a category (甲镇,总量,300 beside 甲镇,增量,50), no total word.
fn total_of(row: &[String]) -> Option<(Total, String, bool)> {
    // A label ending in 小计 or 合计 after a longer prefix naming its group
    // (城关镇项目小计, 经济开发区小计) is a total as well, and so is one opening with it
    // before the group's name (小计（甲镇）, 小计-甲镇).
    let (at, (kind, word, name_like)) = row
        .iter()
        .enumerate()
        .find_map(|(i, c)| total_word(c).map(|t| (i, t)))
        .or_else(|| row.iter().enumerate().find_map(|(i, c)| total_ending(c).map(|(k, w)| (i, (k, w, false)))))
        .or_else(|| row.iter().enumerate().find_map(|(i, c)| total_leading(c).map(|(k, w)| (i, (k, w, false)))))?;
    let other_text = row.iter().enumerate().any(|(i, c)| {
        let c = c.trim();
        i != at && !c.is_empty() && parse_value(c.as_bytes(), false).is_err()
    });
    if other_text && (word == "全部" || word.ends_with("总量")) {
        return None;
    }
    Some((kind, word, other_text || name_like))
}

/// A section heading inside a ledger (`一、工业项目`, `（二）农业`, `第三部分`): a row whose
/// first cell is such a text and whose other cells are empty or figures (the section's
/// subtotals: `一、工业项目,,150`). The number may stand alone in the 序号 column with the
/// name in the next cell (`一,工业项目,,300`, `（二）,农业,,50`), as ledgers whose
/// records are numbered 1, 2, 3 write it: the number in the first column, the name the
/// one text beside it, with figures (else it is a record numbered so). Gives the text (the two cells joined by a
/// space), the heading's level (第…部分 0, 一、 1, （一） 2) and whether it carries figures.
fn heading(row: &[String]) -> Option<(String, u8, bool)> {
    heading_at(row, None)
}

/// [`heading`], where the row's number in figures is an outline's section (`outline`:
/// its level, from [`outline_heads`]: `1` over `1.1`, `1.2`).
fn heading_at(row: &[String], outline: Option<u8>) -> Option<(String, u8, bool)> {
    let mut cells = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    let only = cells.next()?;
    // The number alone in the first column (a 组 number in a later column, 甲村,三,王五,20,
    // is a record's).
    let alone = row.first().map(|c| c.trim()).filter(|c| *c == only).and_then(|c| mark_level(c).or(outline));
    let mut name = None;
    let mut figures = false;
    for c in cells {
        match parse_value(c.as_bytes(), false) {
            Ok(v) => figures |= v.number().is_some(),
            // The section's name after its number alone, the one text beside it (a town
            // or a 建设内容 beside it makes a record numbered 一).
            Err(_) if alone.is_some() && name.is_none() => name = Some(c),
            Err(_) => return None,
        }
    }
    if let (Some(level), Some(name)) = (alone, name) {
        // Without a figure, a row numbered 一 beside a name is a record (一,甲厂); one
        // numbered 1 over 1.1 heads its outline's section all the same.
        let of_outline = outline.is_some() && row.first().is_some_and(|c| mark_level(c).is_none());
        return (figures || of_outline).then(|| (format!("{only} {name}"), level, figures));
    }
    const NUMERALS: &str = "一二三四五六七八九十百";
    let numbered = |t: &str| !t.is_empty() && t.chars().all(|c| NUMERALS.contains(c));
    let level = if only.split_once('、').is_some_and(|(n, rest)| numbered(n) && !rest.is_empty()) {
        1
    } else if [('（', '）'), ('(', ')')]
        .iter()
        .any(|&(o, c)| only.strip_prefix(o).and_then(|r| r.split_once(c)).is_some_and(|(n, rest)| numbered(n) && !rest.is_empty()))
    {
        2
    } else if only.strip_prefix('第').and_then(|r| r.split_once(['部', '章', '类'])).is_some_and(|(n, _)| numbered(n)) {
        0
    } else {
        return None;
    };
    Some((only.to_string(), level, figures))
}

/// An outline number in figures (`1`, `1.2`, `2.1.3`): its parts, None for anything else.
fn outline_number(cell: &str) -> Option<usize> {
    let c = cell.trim();
    let parts: Vec<&str> = c.split('.').collect();
    (!c.is_empty() && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))).then_some(parts.len())
}

/// The rows of an outline in figures that head a section (review22 13: `1,工业项目,,300`
/// over `1.1,甲厂` and `1.2,乙厂` counted its sections as projects, 700 for 350): a row
/// whose 序号 is an outline number N and the next row's N.k, by line, with its level (the
/// number's parts: 1 for `1`, 2 for `1.1`).
fn outline_heads(rows: &[(usize, Vec<String>)]) -> Vec<(usize, u8)> {
    let first = |r: &[String]| r.first().map(|c| c.trim().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for (i, (line, row)) in rows.iter().enumerate() {
        let n = first(row);
        let Some(parts) = outline_number(&n) else { continue };
        let next = rows[i + 1..].iter().find(|(_, r)| breakdown(r).is_none() && !all_missing(r));
        if let Some((_, r)) = next
            && let m = first(r)
            && m.strip_prefix(&n).is_some_and(|rest| rest.starts_with('.'))
            && outline_number(&m).is_some()
        {
            out.push((*line, u8::try_from(parts).unwrap_or(u8::MAX)));
        }
    }
    out
}

/// A section's number standing alone in its cell, in Chinese numerals: `一` or `一、`
/// (level 1), `（一）` or `(一)` (level 2), `第一部分` (level 0). A record's number in
/// Arabic figures (1, 2) is none.
fn mark_level(cell: &str) -> Option<u8> {
    const NUMERALS: &str = "一二三四五六七八九十百壹贰叁肆伍陆柒捌玖拾佰";
    let numbered = |t: &str| !t.is_empty() && t.chars().all(|c| NUMERALS.contains(c));
    let c = cell.trim();
    if numbered(c.trim_end_matches(['、', '.', '．'])) {
        return Some(1);
    }
    // Brackets as typed, half-width and full-width mixed too (（二), (二）).
    if c.strip_prefix(['（', '(']).and_then(|r| r.strip_suffix(['）', ')'])).is_some_and(numbered) {
        return Some(2);
    }
    let part = c.strip_prefix('第').and_then(|r| ["部分", "章", "类", "部"].iter().find_map(|w| r.strip_suffix(w)));
    part.is_some_and(numbered).then_some(0)
}

/// A breakdown row (`其中：工业`, `其中:`, `其中 国有`, `含：追加投资`, and as yearbooks
/// mark one, `#工业`): part of the row above it, never a record. Gives its text.
fn breakdown(row: &[String]) -> Option<&str> {
    row.iter().map(|c| c.trim()).find(|c| breakdown_label(c))
}

/// Whether a cell opens a breakdown: 其中 (spaced out, `其 中：`; in brackets, `（其中工业）`;
/// after a dash, `——其中：工业`); 含, 内 or 包括 before a colon (含 also before a space:
/// 含山县 is a county, 内江市 a city); a yearbook's `#` or `＃` before a name (`#工业`,
/// `＃ 工业`, `#5G基站建设`, `＃A1`; not an Excel error, `#N/A`, nor `#12`).
fn breakdown_label(cell: &str) -> bool {
    let c = cell.trim();
    // A name after the mark: a Chinese one, or one that starts in Latin letters or digits
    // and goes on in Chinese (#5G基站建设, #PPP项目, #1号地块). After a full-width ＃,
    // which no program writes, any name (＃A1). Not an Excel error (#N/A, #REF!), nor a
    // number or code alone after an ASCII # (#12).
    if let Some(rest) = c.strip_prefix('＃') {
        return rest.trim().chars().next().is_some_and(|ch| ch != '#' && ch != '＃' && (ch.is_alphanumeric() || !ch.is_ascii()));
    }
    if let Some(rest) = c.strip_prefix('#') {
        let rest = rest.trim();
        return rest.chars().next().is_some_and(|ch| ch != '#' && ch != '＃' && (ch.is_alphanumeric() || !ch.is_ascii()))
            && !rest.is_ascii();
    }
    if c.strip_prefix('含').is_some_and(|r| r.starts_with([' ', '\u{3000}'])) {
        return true;
    }
    let squeezed: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
    let s = squeezed.trim_start_matches(['—', '-', '－', '–', '（', '(', '【', '[']);
    s.starts_with("其中") || ["含", "内", "包括"].iter().any(|w| s.strip_prefix(w).is_some_and(|r| r.starts_with([':', '：'])))
}

/// A section heading with figures, where it stands among the records.
struct Section {
    line: usize,
    row: Vec<String>,
    text: String,
    level: u8,
    /// How many records precede it.
    before: usize,
}

/// A breakdown row and the row it is part of (the nearest row above that is no
/// breakdown): its line and cells.
struct Breakdown {
    line: usize,
    row: Vec<String>,
    text: String,
    part_of: Option<(usize, Vec<String>)>,
}

/// A column that holds keys, not figures: not summed by a total row. The shared test
/// ([`yearbook_core::table::is_key_header`]: 序号, 代码, 行次, 统计年份, No), and, as
/// before, any header with 年 or 期 in it (年末人口 is left unchecked: a total is then
/// judged on its other figures, never on a key).
fn key_column(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    yearbook_core::table::is_key_header(name)
        || ["年", "序号", "编号", "代码", "编码", "期", "月份", "季度"].iter().any(|w| n.contains(w))
        || ["year", "month", "quarter", "period", "id", "no", "code"].contains(&n.as_str())
}

/// A column of row numbers: whole numbers running up by 1 from 0 or 1 (1, 2, 3) over
/// two records at least, whatever its header. Never evidence that a row is a total
/// (1 + 2 = 3).
fn sequence(values: &[f64]) -> bool {
    values.len() >= 2 && (values[0] == 0.0 || values[0] == 1.0) && values.windows(2).all(|w| w[1] - w[0] == 1.0)
}

/// Whether a column is a key in the row below its records, where the row holds `v`: a
/// key by its header ([`key_column`]), or a run 1, 2, 3 ([`sequence`]) that `v`
/// continues (4), or where the row has no figure there. A run the row does not continue
/// (6 under 1, 2, 3: 桥梁座数 that happen to run so) is a column of figures, checked as
/// one: read as a key, its 6 made the bottom total a record, counted twice.
fn key_for(name: &str, data: Option<&ColumnData>, v: Option<f64>) -> bool {
    key_column(name)
        || matches!(data, Some(ColumnData::Number(values)) if sequence(values) && v.is_none_or(|v| values.last().is_some_and(|l| v == l + 1.0)))
}

/// Splits `rows` into the records and the total rows. A total row is left out with a
/// warning (`file:line`) saying whether its figures are the sums of the records it
/// covers; one with other text beside its word is left out only when they are, and else
/// kept as a record with a warning saying so. A 平均 row is checked against the records'
/// means; a 累计 row (本年累计) is left out unchecked; a row named for the whole region
/// (全县, or one of `tops`, the names of the top regions) is left out when its figures are
/// the sums, else kept with a warning. Section headings are left out with a warning.
/// `types` are the columns' declared types.
///
/// Last, the bottom row, whatever its label, when it is still a record and nothing was
/// said of it: when its figures are the sums of the records above it ([`last_row_sums`]),
/// it is left out with a warning if its label holds 合计, 总计 or 共计 and no code
/// (`全区合计（不含开发区）`), else kept and named in a warning (`全县（本级）`, `汇总表`): a
/// total under a label no list knows is never counted twice without a word.
pub fn leave_out(
    file: &str,
    table: &str,
    header: &[String],
    rows: Vec<(usize, Vec<String>)>,
    types: &[ColumnType],
    tops: &[String],
) -> (Vec<(usize, Vec<String>)>, Vec<String>) {
    let mut rows = rows;
    let mut said_before = Vec::new();
    // A row of missing symbols alone (—,—) below the last row that holds anything else
    // (a total, its breakdown): no record of anything, and no cover for the total above it.
    let mut at = rows.len();
    while at > 0 {
        let r = &rows[at - 1].1;
        if all_missing(r) || breakdown(r).is_some() || heading(r).is_some_and(|(_, _, figures)| !figures) {
            at -= 1;
        } else {
            break;
        }
    }
    let mut i = at;
    while i < rows.len() {
        if all_missing(&rows[i].1) {
            let (line, r) = rows.remove(i);
            let shown = r.iter().map(|c| c.trim()).collect::<Vec<_>>().join(",");
            said_before.push(format!(
                "{file}:{line}: a row of missing symbols alone ({shown}) below the last record, left out of table `{table}`'s records"
            ));
        } else {
            i += 1;
        }
    }
    // A note (注, 注1, 说明) holds no figure: with one, it is checked below.
    let notes: Vec<(usize, Vec<String>)> = {
        let (notes, rest): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, r)| note_label(r).is_some());
        rows = rest;
        notes
    };
    for (line, r) in notes.iter().filter(|(_, r)| !has_figure(r)) {
        said_before
            .push(format!("{file}:{line}: a note row \"{}\", left out of table `{table}`'s records", note_label(r).unwrap_or_default()));
    }
    // The last row that may be a record: below it only breakdowns (其中：), headings
    // with no figures and rows of missing symbols, none of them records.
    let last = rows.iter().rev().find(|(_, r)| breakdown(r).is_none() && heading(r).is_none_or(|(_, _, figures)| figures)).map(|(l, _)| *l);
    let (mut records, mut warnings) = leave_out_totals(file, table, header, rows, types, tops);
    warnings.append(&mut said_before);
    if let Some(line) = last {
        last_row_fallback(file, table, header, types, line, &mut records, &mut warnings);
    }
    for (line, row) in notes.into_iter().filter(|(_, r)| has_figure(r)) {
        let label = note_label(&row).unwrap_or_default();
        let mut with = records.clone();
        with.push((line, row.clone()));
        match last_row_sums(table, header, types, &with) {
            Some(sums) if !sums.keyed => warnings.push(format!(
                "{file}:{line}: a row labelled {label} (a note's word) whose figures are the sums of the {} records, left out of \
                 table `{table}`'s records as their total (checked: {}); a note holds no figure: if it is a record, give it its name",
                records.len(),
                sums.checked.join(", ")
            )),
            _ => {
                let figures: Vec<String> = header
                    .iter()
                    .zip(&row)
                    .filter(|(_, c)| parse_value(c.trim().as_bytes(), false).is_ok_and(|v| v.number().is_some()))
                    .map(|(h, c)| format!("{h} {}", c.trim()))
                    .collect();
                warnings.push(format!(
                    "{file}:{line}: a row labelled {label} (a note's word) holds figures ({}), kept as a record of table \
                     `{table}`: a note holds no figure; if it is a note, write its figures into its text, and if it is a \
                     record, give it its name",
                    figures.join(", ")
                ));
                records.push((line, row));
                records.sort_by_key(|(l, _)| *l);
            }
        }
    }
    sort_by_line(file, &mut warnings);
    (records, warnings)
}

/// A row whose first cell with text is a note's word (`注`, `注1`, `注：`, `说明：`,
/// [`super::header::is_note`]): its word.
fn note_label(row: &[String]) -> Option<String> {
    let first = row.iter().map(|c| c.trim()).find(|c| !c.is_empty())?;
    super::header::is_note(first).then(|| first.to_string())
}

/// Whether a row holds a figure (a number, not a missing symbol).
fn has_figure(row: &[String]) -> bool {
    row.iter().any(|c| parse_value(c.trim().as_bytes(), false).is_ok_and(|v| v.number().is_some()))
}

/// A row of missing symbols alone (`—,—`, `…,`, `/,/`): every cell blank, a missing
/// symbol or dashes and slashes, one of them not blank.
fn all_missing(row: &[String]) -> bool {
    let missing =
        |c: &str| parse_value(c.as_bytes(), false).is_ok_and(|v| v.number().is_none()) || c.chars().all(|ch| "/／\\-－—–_…·.".contains(ch));
    row.iter().all(|c| c.trim().is_empty() || missing(c.trim())) && row.iter().any(|c| !c.trim().is_empty())
}

/// Warnings in the file's order (each opens with `file:line`).
fn sort_by_line(file: &str, warnings: &mut [String]) {
    let line_of = |w: &String| -> usize {
        let rest = w.get(file.len() + 1..).unwrap_or_default();
        rest.bytes().take_while(u8::is_ascii_digit).fold(0, |n, b| n * 10 + usize::from(b - b'0'))
    };
    warnings.sort_by_key(line_of);
}

/// Last, the last row that may be a record (`line`: below it only breakdowns, headings
/// and rows of missing symbols), whatever its label, when it is still a record and
/// nothing was said of it: see [`leave_out`].
fn last_row_fallback(
    file: &str,
    table: &str,
    header: &[String],
    types: &[ColumnType],
    line: usize,
    records: &mut Vec<(usize, Vec<String>)>,
    warnings: &mut Vec<String>,
) {
    let said = |w: &String| w.strip_prefix(file).and_then(|r| r.strip_prefix(&format!(":{line}:"))).is_some();
    if records.len() < 3 || records.last().is_none_or(|(l, _)| *l != line) || warnings.iter().any(said) {
        return;
    }
    let Some(sums) = last_row_sums(table, header, types, records) else { return };
    let Some(label) = sums.labels.first() else { return };
    let (n, checked) = (records.len() - 1, sums.checked.join(", "));
    let strong = total_at_bottom(label);
    if strong && !sums.keyed {
        warnings.push(format!(
            "{file}:{line}: a row labelled {label} at the bottom whose figures are the sums of the {n} records above it, left out \
             of table `{table}`'s records as their total (checked: {checked}); if it is a record, name it without 合计"
        ));
        records.pop();
    } else if strong || !sums.keyed {
        warnings.push(format!(
            "{file}:{line}: the last row, {label}, is kept as a record of table `{table}`, but its figures are the sums of the {n} \
             records above it (checked: {checked}); if it is their total, label it 合计 to have it left out"
        ));
    }
}

/// Whether the label of a bottom row of the sums (its first text cell: never a note)
/// names a total: ending in 合计, 总计 or 共计 after a short prefix, with what it leaves
/// out in brackets (`全区合计（不含开发区）`), or Total / Grand total itself. A name that
/// only holds the characters (公共计算中心, 综合计量站, 合计村, TotalEnergies) is none.
fn total_at_bottom(label: &str) -> bool {
    let mut s = yearbook_core::total_label::bare_label(label);
    for (open, close) in [('（', '）'), ('(', ')')] {
        if s.ends_with(close)
            && let Some(i) = s.rfind(open)
        {
            s.truncate(i);
        }
    }
    let lower = s.to_lowercase();
    if ["total", "totals", "grandtotal", "sumtotal"].contains(&lower.as_str()) {
        return true;
    }
    ["合计", "总计", "共计"].iter().any(|w| s.strip_suffix(w).is_some_and(|prefix| prefix.is_empty() || total_ending(&s).is_some()))
}

/// Whether a column holds rates, shares or growths by its header (完成率, 增长%, 占比,
/// 比重, 增速): figures whose total is no sum.
fn is_rate_header(name: &str) -> bool {
    ["率", "比重", "占比", "增长", "增速", "%", "％", "百分比", "比例"].iter().any(|w| name.contains(w))
}

/// What [`last_row_sums`] found of a table's last row.
struct LastRow {
    /// Its figures that are the sums (`投资额 300`).
    checked: Vec<String>,
    /// Its text cells (a name, a label in the 序号 column).
    labels: Vec<String>,
    /// Whether a key column holds a code or number in it (`3`, `P003`): a record's.
    keyed: bool,
}

/// The last of `records` checked against the records above it (two at least): Some
/// when each of its figures in a column of figures (no key, no run 1, 2, 3) is the sum of
/// the records above, and one at least, not 0, sums two records that are not 0 (the
/// "sum" of one record is no evidence). Only the columns where it holds a figure are
/// typed (a copy of those cells, not of the table).
fn last_row_sums(table: &str, header: &[String], types: &[ColumnType], records: &[(usize, Vec<String>)]) -> Option<LastRow> {
    let (row, above) = records.split_last()?;
    let row = &row.1;
    if above.len() < 2 {
        return None;
    }
    fn cell(r: &[String], c: usize) -> &str {
        r.get(c).map(|s| s.trim()).unwrap_or("")
    }
    let figures: Vec<usize> = (0..header.len()).filter(|&c| parse_value(cell(row, c).as_bytes(), false).is_ok()).collect();
    let sub = |v: &[String]| figures.iter().map(|&c| v.get(c).cloned().unwrap_or_default()).collect::<Vec<_>>();
    let cells: Vec<Vec<String>> = above.iter().map(|(_, r)| sub(r)).collect();
    let sub_types: Vec<ColumnType> = figures.iter().map(|&c| types.get(c).copied().unwrap_or(ColumnType::Auto)).collect();
    let t = Table::from_rows_typed(table, &sub(header), &cells, &sub_types);
    let (mut checked, mut labels, mut keyed, mut summed) = (Vec::new(), Vec::new(), false, 0);
    for (c, name) in header.iter().enumerate() {
        let text = cell(row, c);
        if text.is_empty() {
            continue;
        }
        let read = parse_value(text.as_bytes(), false).ok();
        let col = figures.iter().position(|&f| f == c).map(|i| &t.columns[i]);
        let key = key_for(name, col.map(|col| &col.data), read.and_then(|v| v.number()));
        let values = match (col.map(|col| &col.data), &read) {
            (_, None) => {
                // Text: a label, or in a key column a code (P003) unless it is words.
                if key && text.is_ascii() && text.bytes().any(|b| b.is_ascii_digit()) {
                    keyed = true;
                } else {
                    labels.push(text.to_string());
                }
                continue;
            }
            (_, Some(v)) if key => {
                keyed |= v.number().is_some();
                continue;
            }
            // A rate never adds up (完成率, 增长, 占比): no evidence either way.
            (Some(ColumnData::Number(_)), Some(_)) if is_rate_header(name) => continue,
            (Some(ColumnData::Number(v)), Some(_)) => v,
            _ => continue,
        };
        let Some(v) = read.and_then(|v| v.number()) else { continue };
        let sum = values.iter().filter(|x| !x.is_nan()).sum::<f64>();
        if (sum - v).abs() > half_last_digit(text).max(1e-9 * v.abs()) {
            return None;
        }
        checked.push(format!("{name} {text}"));
        summed += usize::from(v != 0.0 && values.iter().filter(|x| !x.is_nan() && **x != 0.0).count() >= 2);
    }
    (summed > 0).then_some(LastRow { checked, labels, keyed })
}

/// [`leave_out`] but for its look at the last row.
fn leave_out_totals(
    file: &str,
    table: &str,
    header: &[String],
    rows: Vec<(usize, Vec<String>)>,
    types: &[ColumnType],
    tops: &[String],
) -> (Vec<(usize, Vec<String>)>, Vec<String>) {
    let mut rows = rows;
    // A last row with no label (no text, no code): the total offices leave unnamed, when
    // its figures are the sums of the records above it.
    let bottom = match rows.last() {
        Some((_, r)) if rows.len() >= 3 && unlabelled(r) => rows.pop(),
        _ => None,
    };
    let outline = outline_heads(&rows);
    let outline_at = |line: usize| outline.iter().find(|(l, _)| *l == line).map(|(_, level)| *level);
    if bottom.is_none()
        && outline.is_empty()
        && !rows
            .iter()
            .any(|(_, r)| total_of(r).is_some() || heading(r).is_some() || breakdown(r).is_some() || region_total(r, tops).is_some())
    {
        return (rows, Vec::new());
    }
    let mut totals: Vec<TotalRow> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut breakdowns: Vec<Breakdown> = Vec::new();
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let mut above: Option<(usize, Vec<String>)> = None;
    // A heading with figures that no record follows before the next heading of its level
    // or above, a total or the table's end is a record numbered so (一、甲厂技改,,100;
    // 一,甲厂,100 over 二,乙厂,200): a record for every check below, the 合计's too.
    let numbered_records: Vec<usize> = {
        let marks: Vec<Option<(u8, bool)>> = rows
            .iter()
            .map(
                |(line, r)| {
                    if breakdown(r).is_some() || all_missing(r) { None } else { heading_at(r, outline_at(*line)).map(|(_, l, f)| (l, f)) }
                },
            )
            .collect();
        let mut out = Vec::new();
        for (i, (line, _)) in rows.iter().enumerate() {
            let Some((level, true)) = marks[i] else { continue };
            let next = rows[i + 1..].iter().position(|(_, r)| breakdown(r).is_none() && !all_missing(r)).map(|k| i + 1 + k);
            let ends = match next {
                None => true,
                Some(j) => {
                    marks[j].is_some_and(|(l, _)| l <= level) || total_of(&rows[j].1).is_some() || region_total(&rows[j].1, tops).is_some()
                }
            };
            if ends {
                out.push(*line);
            }
        }
        out
    };
    for (line, row) in rows {
        if let Some(text) = breakdown(&row) {
            breakdowns.push(Breakdown { line, text: text.to_string(), row: row.clone(), part_of: above.clone() });
            continue;
        }
        above = Some((line, row.clone()));
        if let Some((h, level, figures)) = heading_at(&row, outline_at(line)).filter(|_| !numbered_records.contains(&line)) {
            if figures {
                sections.push(Section { line, text: h, level, row, before: records.len() });
            } else {
                warnings.push(format!("{file}:{line}: a section heading \"{h}\", left out of table `{table}`'s records"));
            }
            continue;
        }
        if let Some(word) = region_total(&row, tops) {
            totals.push(TotalRow { line, row, kind: Total::Region, word, other_text: false, before: records.len() });
            continue;
        }
        match total_of(&row) {
            Some((kind, word, other_text)) => totals.push(TotalRow { line, row, kind, word, other_text, before: records.len() }),
            None => records.push((line, row)),
        }
    }
    let cells: Vec<Vec<String>> = records.iter().map(|(_, r)| r.clone()).collect();
    let t = Table::from_rows_typed(table, header, &cells, types);
    // The columns of figures a total sums: numbers, not keys.
    let summed: Vec<(usize, &str, &[f64])> = t
        .columns
        .iter()
        .enumerate()
        .filter_map(|(c, col)| match &col.data {
            ColumnData::Number(v) if !key_column(&col.name) => Some((c, col.name.as_str(), v.as_slice())),
            _ => None,
        })
        .collect();
    let figure = |row: &[String], c: usize| -> Option<(f64, String)> {
        let text = row.get(c).map(|s| s.trim()).filter(|s| !s.is_empty())?;
        parse_value(text.as_bytes(), false).ok().and_then(|v| v.number()).map(|v| (v, text.to_string()))
    };
    let mut kept = Vec::new();
    if let Some((line, row)) = bottom {
        match bottom_total(&t, &row) {
            Some((checked, wrong)) if wrong.is_empty() => warnings.push(format!(
                "{file}:{line}: a row with no label at the bottom whose figures are the sums of the {} records above it, left \
                 out of table `{table}`'s records as their total (checked: {}); if it is a record, give it its name or code",
                t.len,
                checked.join(", ")
            )),
            Some((checked, wrong)) => {
                warnings.push(format!(
                    "{file}:{line}:{}: a row with no label at the bottom, kept as a record of table `{table}`: its {} {} the sum \
                     of the {} records above it, but its {}; if it is the total row, label it 合计 (its figures are then checked) \
                     and check the records",
                    wrong[0].0 + 1,
                    checked.join(", "),
                    if checked.len() == 1 { "is" } else { "are" },
                    t.len,
                    wrongs_of(&wrong)
                ));
                kept.push((line, row));
            }
            None => kept.push((line, row)),
        }
    }
    for (i, s) in sections.iter().enumerate() {
        // Its records: those below it up to the next heading of its level or above, or
        // the next 合计.
        // A record numbered at its level or above (二,农业项目,乙镇,50 after 一's （一）,
        // （二）) ends it too.
        let numbered_at = (s.before..records.len()).find(|&k| {
            let first = records[k].1.first();
            first.and_then(|c| mark_level(c)).is_some_and(|l| l <= s.level)
                // An outline's record at the section's level or above (`2` after `1`'s 1.1, 1.2).
                || (outline_at(s.line).is_some() && first.and_then(|c| outline_number(c)).is_some_and(|n| n <= s.level as usize))
        });
        let end = sections[i + 1..]
            .iter()
            .filter(|n| n.level <= s.level)
            .map(|n| n.before)
            .chain(totals.iter().filter(|t| t.line > s.line && t.kind == Total::All).map(|t| t.before))
            .chain(numbered_at)
            .min()
            .unwrap_or(records.len());
        if end == s.before {
            // No records below it: a record numbered 一、 (一、甲厂技改,,100).
            kept.push((s.line, s.row.clone()));
            continue;
        }
        let mut checked = Vec::new();
        let mut wrong = None;
        for &(c, name, values) in &summed {
            let Some((v, text)) = figure(&s.row, c) else { continue };
            let sum = values[s.before..end].iter().filter(|x| !x.is_nan()).sum::<f64>();
            if (sum - v).abs() <= half_last_digit(&text).max(1e-9 * v.abs()) {
                checked.push(format!("{name} {text}"));
            } else if wrong.is_none() {
                wrong = Some((c, format!("{name} {text} is not the sum of those records ({})", show(sum))));
            }
        }
        let n = end - s.before;
        let (line, h) = (s.line, &s.text);
        match wrong {
            None if !checked.is_empty() => warnings.push(format!(
                "{file}:{line}: a section heading \"{h}\" with its subtotals, left out of table `{table}`'s records (checked \
                 against the sum of the {n} records below it: {})",
                checked.join(", ")
            )),
            _ => {
                let (col, why) = wrong.map_or((String::new(), "no figure in it to check".to_string()), |(c, w)| (format!(":{}", c + 1), w));
                warnings.push(format!(
                    "{file}:{line}{col}: a section heading \"{h}\" with figures, kept as a record of table `{table}`: the {n} \
                     records below it up to the next heading are its section, and its {why}; if it is the section's subtotal, \
                     check the records and the row"
                ));
                kept.push((s.line, s.row.clone()));
            }
        }
    }
    for b in &breakdowns {
        let (line, text) = (b.line, &b.text);
        let Some((pline, prow)) = &b.part_of else {
            warnings.push(format!(
                "{file}:{line}: a breakdown row \"{text}\", left out of table `{table}`'s records (no row above it that it is part of)"
            ));
            continue;
        };
        let mut within = Vec::new();
        let mut over = None;
        for &(c, name, _) in &summed {
            let (Some((v, vt)), Some((p, pt))) = (figure(&b.row, c), figure(prow, c)) else { continue };
            if v >= 0.0 && p >= 0.0 && v > p + half_last_digit(&vt).max(half_last_digit(&pt)) {
                over.get_or_insert((c, format!("{name} {vt} is more than the {pt} of line {pline}")));
            } else {
                within.push(format!("{name} {vt} within {pt}"));
            }
        }
        warnings.push(match over {
            Some((c, why)) => format!(
                "{file}:{line}:{}: a breakdown row \"{text}\" (part of line {pline}), left out of table `{table}`'s records; its \
                 {why} it is part of: check both rows",
                c + 1
            ),
            None if within.is_empty() => {
                format!("{file}:{line}: a breakdown row \"{text}\" (part of line {pline}), left out of table `{table}`'s records")
            }
            None => format!(
                "{file}:{line}: a breakdown row \"{text}\" (part of line {pline}), left out of table `{table}`'s records ({})",
                within.join(", ")
            ),
        });
    }
    for (i, TotalRow { line, row, kind, word, other_text, before }) in totals.iter().enumerate() {
        // A group runs between the rows that total: 合计, 小计.
        let bounds = |t: &&TotalRow| matches!(t.kind, Total::All | Total::Group);
        let prev = totals[..i].iter().rev().find(bounds).map_or(0, |p| p.before);
        let next = totals[i + 1..].iter().find(bounds).map_or(records.len(), |n| n.before);
        let mean = *kind == Total::Mean;
        // The spans of records the row may sum, in the order they are tried.
        let spans: Vec<(usize, usize)> = match kind {
            Total::Group => vec![(prev, *before), (*before, next)],
            _ => vec![(0, records.len())],
        };
        let mut checked = Vec::new();
        // Figures that are the sums and not 0 (a column of zeros sums to any row's 0).
        let mut summed_figures = 0;
        let mut wrong = Vec::new();
        for (c, col) in t.columns.iter().enumerate() {
            let ColumnData::Number(values) = &col.data else { continue };
            if key_column(&col.name) {
                continue;
            }
            let Some(text) = row.get(c).map(|s| s.trim()).filter(|s| !s.is_empty()) else { continue };
            let Some(v) = parse_value(text.as_bytes(), false).ok().and_then(|v| v.number()) else { continue };
            let sum_of = |(a, b): (usize, usize)| {
                let xs = values[a..b].iter().filter(|x| !x.is_nan());
                if mean {
                    let n = xs.clone().count();
                    if n == 0 { f64::NAN } else { xs.sum::<f64>() / n as f64 }
                } else {
                    xs.sum::<f64>()
                }
            };
            let fits = |s: f64| (s - v).abs() <= half_last_digit(text).max(1e-9 * v.abs());
            let what = if mean { "mean" } else { "sum" };
            match spans.iter().copied().find(|&sp| fits(sum_of(sp))) {
                Some(_) => {
                    checked.push(format!("{} {text}", col.name));
                    summed_figures += usize::from(v != 0.0);
                }
                None => wrong.push((c, format!("{} {text} is not the {what} of the records ({})", col.name, show(sum_of(spans[0]))))),
            }
        }
        let covers = match kind {
            Total::Group => "the records of its group".to_string(),
            _ => format!("the {} records", records.len()),
        };
        if *kind == Total::Cumulative && (summed_figures == 0 || *other_text) {
            // 本年累计 holds the months before this one too: no sum of these records, and
            // no record: left out unchecked. A 累计 row that is the sum of the records
            // above it (1-12月累计 below the months) is their total, checked below. Any
            // other (1-3月累计 in a table of periods; beside other text, a 口径 column of
            // 本月 / 累计) is a record: kept, and said.
            if running_total(word) && !*other_text {
                warnings.push(format!(
                    "{file}:{line}: a {word} row (a running total since the start of the year, not a record), left out of table \
                     `{table}`'s records; not checked: it holds earlier periods too"
                ));
            } else {
                warnings.push(format!(
                    "{file}:{line}: a row with {word}, kept as a record of table `{table}` (not the sum of the records); if it is \
                     a running total (本年累计) or the total row, leave its other text cells empty and check its figures"
                ));
                kept.push((*line, row.clone()));
            }
            continue;
        }
        // A row named 全县, or with a name-like word (数据汇总, 人口总数), is a total only by
        // its sums, and the "sum" of one record is no evidence: it stays a record.
        let by_sums_only = *kind == Total::Region || total_word(word).is_some_and(|(_, _, name_like)| name_like);
        if by_sums_only && records.len() < 2 {
            warnings.push(format!(
                "{file}:{line}: a row named {word}, kept as a record of table `{table}` ({} record besides it, too few to tell \
                 whether it is their total); if it is the total row, label it 合计",
                records.len()
            ));
            kept.push((*line, row.clone()));
            continue;
        }
        if *kind == Total::Region && summed_figures == 0 {
            // 全县 (or the county's name) with no figure that is the sum: a record of the
            // region itself (a county-level project), or a total to look at. Kept, and said.
            // With one that is (产值 300 of 100 + 200), it is the total row: a rate or
            // growth column beside it never sums, and is named in the warning below.
            let why = if wrong.is_empty() { format!("no figure in it to check against {covers}") } else { wrongs_of(&wrong) };
            warnings.push(format!(
                "{file}:{line}: a row named {word} (the whole region), kept as a record of table `{table}` ({why}); if it is \
                 the total row, check the records and the row (a record missing, a figure mistyped)"
            ));
            kept.push((*line, row.clone()));
            continue;
        }
        let wrongs = || wrongs_of(&wrong);
        if *other_text && (!wrong.is_empty() || checked.is_empty()) {
            // 合计 beside other text, and not the sums: a record whose category is 合计,
            // or a total to look at. Kept, and said.
            let why = if wrong.is_empty() { format!("no figure in it to check against {covers}") } else { wrongs() };
            warnings.push(if total_word(word).is_some_and(|(_, _, name_like)| name_like) {
                // 数据汇总: a name as much as a total.
                format!(
                    "{file}:{line}: a row named {word}, kept as a record of table `{table}` ({why}); if it is the total row, \
                     label it 合计 or 汇总 (or make its figures the sums) to have it left out"
                )
            } else {
                format!(
                    "{file}:{line}: a row with {word} beside other text, kept as a record of table `{table}` ({why}); \
                     if it is a total row, leave its other text cells empty (or make its figures the sums) to have it left out"
                )
            });
            kept.push((*line, row.clone()));
            continue;
        }
        let left = match kind {
            Total::Region => format!("a row named {word} (the whole region), left out of table `{table}`'s records as their total"),
            _ => format!("a {word} row, left out of table `{table}`'s records"),
        };
        let against = if mean { "the mean" } else { "the sum" };
        warnings.push(match (wrong.first(), checked.is_empty()) {
            (Some((c, _)), _) => format!(
                "{file}:{line}:{}: {left}; its {}: check the records and the row (a record missing, a figure mistyped, or a column \
                 that does not add up, such as a rate)",
                c + 1,
                wrongs()
            ),
            (None, false) => format!("{file}:{line}: {left} (checked against {against} of {covers}: {})", checked.join(", ")),
            (None, true) => format!("{file}:{line}: {left} (no figure in it to check against {covers})"),
        });
        if *kind == Total::Region
            && let Some(w) = warnings.last_mut()
        {
            // How to keep a record of the region itself (a county-level project).
            w.push_str(&format!(
                "; a record of the region itself is kept when named otherwise, such as {}本级",
                word.strip_prefix('全').unwrap_or(word)
            ));
        }
    }
    if !kept.is_empty() {
        records.extend(kept);
        records.sort_by_key(|(line, _)| *line);
    }
    // In the file's order.
    let line_of = |w: &String| -> usize {
        let rest = w.get(file.len() + 1..).unwrap_or_default();
        rest.bytes().take_while(u8::is_ascii_digit).fold(0, |n, b| n * 10 + usize::from(b - b'0'))
    };
    warnings.sort_by_key(line_of);
    (records, warnings)
}

/// Figures that are not the sums: (column index, what to say).
type Wrong = Vec<(usize, String)>;

/// A row of figures alone: every cell empty, a number or a missing symbol, and one a
/// number at least (whether a code stands in it is for [`bottom_total`] to say).
fn unlabelled(row: &[String]) -> bool {
    let read = |c: &String| parse_value(c.trim().as_bytes(), false).ok();
    row.iter().all(|c| c.trim().is_empty() || read(c).is_some()) && row.iter().any(|c| read(c).and_then(|v| v.number()).is_some())
}

/// A last row with no label (`row`, [`unlabelled`]) checked against the records of `t`
/// above it: None when a column of text, codes or periods holds something in it, or when
/// none of its figures is a sum (other than 0) of at least two records; else its figures
/// that are the sums (`投资额 300`) and those that are not (column index, what to say).
fn bottom_total(t: &Table, row: &[String]) -> Option<(Vec<String>, Wrong)> {
    if t.len < 2 {
        return None;
    }
    let (mut checked, mut wrong, mut summed) = (Vec::new(), Vec::new(), 0);
    for (c, col) in t.columns.iter().enumerate() {
        let text = row.get(c).map(|s| s.trim()).unwrap_or("");
        // Keys (序号, No, 行次, 统计月份, a run 1, 2, 3 the row continues) label a row: a
        // row with one is a record, and a key is never evidence of a sum.
        let read = parse_value(text.as_bytes(), false).ok().and_then(|v| v.number());
        let label = key_for(&col.name, Some(&col.data), read);
        // A missing symbol (—, …) is no label.
        let blank = text.is_empty() || parse_value(text.as_bytes(), false).is_ok_and(|v| v.number().is_none());
        let values = match &col.data {
            ColumnData::Number(v) if !label => v,
            _ if blank => continue,
            _ => return None,
        };
        let Some(v) = parse_value(text.as_bytes(), false).ok().and_then(|v| v.number()) else { continue };
        let sum = values.iter().filter(|x| !x.is_nan()).sum::<f64>();
        if (sum - v).abs() <= half_last_digit(text).max(1e-9 * v.abs()) {
            checked.push(format!("{} {text}", col.name));
            summed += usize::from(v != 0.0);
        } else {
            wrong.push((c, format!("{} {text} is not their sum ({})", col.name, show(sum))));
        }
    }
    (summed > 0).then_some((checked, wrong))
}

/// The columns that are not the sums (or means), joined for a warning.
fn wrongs_of(wrong: &[(usize, String)]) -> String {
    wrong.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>().join("; ")
}

/// Half a unit of the last digit a figure is written to (350: 0.5, 350.25: 0.005):
/// a total rounded to the figures' precision still matches.
fn half_last_digit(text: &str) -> f64 {
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.bytes().take_while(u8::is_ascii_digit).count());
    0.5 * 10f64.powi(-(decimals as i32))
}

fn show(v: f64) -> String {
    format!("{}", yearbook_core::kernel::arith::significant(v, 12))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yearbook_core::total_label::bare_label;
    fn rows(r: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        r.iter().enumerate().map(|(i, r)| (i + 2, r.iter().map(|s| s.to_string()).collect())).collect()
    }
    fn header() -> Vec<String> {
        vec!["序号".into(), "项目".into(), "投资额".into()]
    }
    #[test]
    fn total_words() {
        for w in ["合计", "合 计", "合　计", "总计：", "小计", " Total ", "总合计"] {
            assert!(total_word(w).is_some(), "{w}");
        }
        for w in ["合计项目", "道路", "平均气温", ""] {
            assert!(total_word(w).is_none(), "{w}");
        }
    }
    #[test]
    fn labels_read_as_total_words() {
        for (cell, word) in [
            ("合计①", "合计"),
            ("合 计 *", "合计"),
            ("总计：②", "总计"),
            ("全县（区）", "全县"),
            ("全县(市、区)合计", "全县合计"),
            ("合计（万元）", "合计"),
            ("汇 总", "汇总"),
        ] {
            assert_eq!(bare_label(cell), word, "{cell}");
        }
        for w in ["汇总", "全县汇总", "总和", "加总", "合计①", "合计*", "总数", "Sum", "全镇汇总"] {
            assert!(total_word(w).is_some_and(|(k, _, name_like)| k == Total::All && !name_like), "{w}");
        }
        // A name ending in a total word is a total only by its sums; a longer one is none.
        assert!(total_word("数据汇总").is_some_and(|(_, _, name_like)| name_like));
        assert!(total_word("人口总数").is_some_and(|(_, _, name_like)| name_like));
        assert!(total_word("汇总平台建设").is_none());
        assert!(total_word("全县信息数据汇总").is_none());
        // A figure's footnote mark on a number is no label.
        assert!(total_word("3.2①").is_none());
        assert_eq!(region_total(&["全县（区）".to_string(), String::new(), "300".into()], &[]).as_deref(), Some("全县"));
    }
    /// A column of figures that happens to run 1, 2, 3 (桥梁座数) is no key where the row
    /// below does not continue the run: its 6 is their sum, and the unnamed bottom row is
    /// the total (it was kept as a 4th record, the total counted twice). A row that
    /// continues the run (4) is a record; under a key header (序号) any number is a key.
    #[test]
    fn a_run_the_bottom_row_does_not_continue_is_figures() {
        let h: Vec<String> = ["序号", "项目名称", "桥梁座数", "投资"].iter().map(|s| s.to_string()).collect();
        let typed = [ColumnType::Auto; 4];
        let r = rows(&[&["1", "a", "1", "100"], &["2", "b", "2", "50"], &["3", "c", "3", "250"], &["", "", "6", "400"]]);
        let (rec, w) = leave_out("p.csv", "p", &h, r, &typed, &[]);
        assert_eq!(rec.len(), 3, "{w:?}");
        assert!(w[0].starts_with("p.csv:5: a row with no label at the bottom"), "{w:?}");
        assert!(w[0].contains("(checked: 桥梁座数 6, 投资 400)"), "{w:?}");
        let r = rows(&[&["1", "a", "1", "100"], &["2", "b", "2", "50"], &["3", "c", "3", "250"], &["", "", "4", "400"]]);
        assert_eq!(leave_out("p.csv", "p", &h, r, &typed, &[]).0.len(), 4);
    }
    #[test]
    fn an_unlabelled_bottom_row_of_the_sums_is_their_total() {
        let r = rows(&[&["1", "a", "100"], &["2", "b", "200"], &["—", "", "300"]]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.len(), 2, "{w:?}");
        assert!(w[0].starts_with("p.csv:4: a row with no label at the bottom"), "{w:?}");
        // Two records at least; a row of zeros sums to nothing.
        let r = rows(&[&["1", "a", "100"], &["", "", "100"]]);
        assert!(leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]).1.is_empty());
        let r = rows(&[&["1", "a", "0"], &["2", "b", "0"], &["", "", "0"]]);
        assert_eq!(leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]).0.len(), 3);
    }
    #[test]
    fn a_row_with_other_text_beside_the_word_is_a_record_unless_it_is_the_sum() {
        // A region's record whose category is 合计 stays, said in a warning; the year
        // column is no figure; a 小计 naming its group (甲镇) that is its sum is left out.
        let header = vec!["region".to_string(), "year".into(), "category".into(), "value".into()];
        let r = rows(&[&["a", "2021", "工业", "500"], &["a", "2021", "合计", "800"], &["", "2021", "合计", "800"]]);
        let (rec, w) = leave_out("t.csv", "t", &header, r, &[ColumnType::Auto; 4], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(w.len(), 2);
        assert!(
            w[0].starts_with("t.csv:3: a row with 合计 beside other text, kept as a record of table `t` (value 800 is not the sum"),
            "{w:?}"
        );
        let header = vec!["镇".to_string(), "项目".into(), "投资额".into()];
        let r =
            rows(&[&["甲镇", "a", "100"], &["甲镇", "b", "50"], &["甲镇", "小计", "150"], &["乙镇", "c", "200"], &["乙镇", "小计", "200"]]);
        let (rec, w) = leave_out("t.csv", "t", &header, r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 5]);
        assert_eq!(w.len(), 2);
    }
    #[test]
    fn section_numbers_alone_in_the_number_column() {
        // 一 and 二 in 序号 beside the section's name and subtotal: left out, checked.
        let r = rows(&[
            &["一", "工业项目", "300"],
            &["1", "甲厂", "100"],
            &["2", "乙厂", "200"],
            &["二", "基础设施项目", "150"],
            &["1", "甲路", "150"],
        ]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![3, 4, 6]);
        assert_eq!(
            w,
            vec![
                "p.csv:2: a section heading \"一 工业项目\" with its subtotals, left out of table `p`'s records (checked against \
                 the sum of the 2 records below it: 投资额 300)",
                "p.csv:5: a section heading \"二 基础设施项目\" with its subtotals, left out of table `p`'s records (checked \
                 against the sum of the 1 records below it: 投资额 150)",
            ]
        );
        // （一） under 一, each a record numbered so: 一 is their subtotal.
        let r = rows(&[&["一", "工业项目", "300"], &["（一）", "甲厂", "100"], &["（二）", "乙厂", "200"], &["二", "农业", "50"]]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![3, 4, 5]);
        assert_eq!(
            w,
            vec![
                "p.csv:2: a section heading \"一 工业项目\" with its subtotals, left out of table `p`'s records (checked against \
                 the sum of the 2 records below it: 投资额 300)"
            ]
        );
        // Records numbered 一, 二, 三 and their 合计: three records, the total left out.
        let r = rows(&[&["一", "甲厂", "100"], &["二", "乙厂", "200"], &["三", "丙厂", "50"], &["", "合计", "350"]]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 4], "{w:?}");
        // An outline in figures: 1 over 1.1 and 1.2, 2 over 2.1 (review22 13: 700 for 350).
        let r = rows(&[
            &["1", "工业项目", "300"],
            &["1.1", "甲厂", "100"],
            &["1.2", "乙厂", "200"],
            &["2", "农业", "50"],
            &["2.1", "丙", "50"],
        ]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![3, 4, 6], "{w:?}");
        assert_eq!(w.len(), 2, "{w:?}");
        // A section's title without figures over its records: left out, with a warning.
        let r = rows(&[&["1", "工业项目", ""], &["1.1", "甲厂", "100"], &["1.2", "乙厂", "200"]]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![3, 4], "{w:?}");
        assert_eq!(w, vec!["p.csv:2: a section heading \"1 工业项目\", left out of table `p`'s records"]);
        // Records numbered 1, 2, 3 with no 1.1 below any: all records.
        let r = rows(&[&["1", "甲厂", "100"], &["2", "乙厂", "200"], &["3", "丙", "50"]]);
        let (rec, _) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.len(), 3);
        // A record's number in figures beside a name is no heading; a mark in words is.
        assert!(heading(&["1".to_string(), "甲厂".into(), "100".into()]).is_none());
        assert_eq!(mark_level("第二部分"), Some(0));
        assert_eq!(mark_level("(三)"), Some(2));
        assert_eq!(mark_level("十二、"), Some(1));
        assert_eq!(mark_level("甲"), None);
    }
    #[test]
    fn headings_and_prefixed_totals() {
        for w in ["全镇合计", "本年合计", "合计（万元）", "合计(万元)", "全县总计："] {
            assert!(total_word(w).is_some(), "{w}");
        }
        assert!(total_word("道路改造工程项目合计").is_none());
        let r =
            rows(&[&["一、工业项目", "", ""], &["1", "a", "100"], &["（二）农业", "", ""], &["2", "b", "250"], &["", "全镇合计", "350"]]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![3, 5]);
        assert_eq!(w[0], "p.csv:2: a section heading \"一、工业项目\", left out of table `p`'s records");
        assert_eq!(w.len(), 3);
        assert!(w[2].contains("a 全镇合计 row, left out"), "{w:?}");
    }
    #[test]
    fn subtotals_are_checked_against_their_group() {
        let r = rows(&[
            &["1", "a", "100"],
            &["2", "b", "200"],
            &["", "小计", "300"],
            &["3", "c", "50"],
            &["", "小计", "50"],
            &["", "合计", "350"],
        ]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 5]);
        assert_eq!(
            w,
            vec![
                "p.csv:4: a 小计 row, left out of table `p`'s records (checked against the sum of the records of its group: 投资额 300)",
                "p.csv:6: a 小计 row, left out of table `p`'s records (checked against the sum of the records of its group: 投资额 50)",
                "p.csv:7: a 合计 row, left out of table `p`'s records (checked against the sum of the 3 records: 投资额 350)",
            ]
        );
    }
    #[test]
    fn a_total_that_is_not_the_sum_is_named() {
        let r = rows(&[&["合计", "", "340.5"], &["1", "a", "100"], &["2", "b", "200.25"], &["3", "c", "50"]]);
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]);
        assert_eq!(rec.len(), 3);
        assert_eq!(
            w,
            vec![
                "p.csv:2:3: a 合计 row, left out of table `p`'s records; its 投资额 340.5 is not the sum of the records (350.25): \
                 check the records and the row (a record missing, a figure mistyped, or a column that does not add up, such as a rate)"
            ]
        );
        // Rounded to its own precision, a total matches.
        let r = rows(&[&["1", "a", "100.4"], &["2", "b", "200.3"], &["合计", "", "301"]]);
        assert_eq!(leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]).1.len(), 1);
        let r = rows(&[&["1", "a", "100.4"], &["2", "b", "200.3"], &["合计", "", "301"]]);
        assert!(
            leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3], &[]).1[0]
                .ends_with("(checked against the sum of the 2 records: 投资额 301)")
        );
    }
}
