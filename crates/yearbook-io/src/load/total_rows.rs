//! Total rows of a record table (合计, 总计, 小计, a row named 全县 or the top region,
//! 平均 rows, 本年累计 footers): left out of its records, each checked against the
//! records it sums (or averages), with a warning naming its line either way.

use yearbook_core::number::parse_value;
use yearbook_core::table::{ColumnData, ColumnType, Table};

/// What a total row sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Total {
    /// 合计, 总计, 共计: every record of the table.
    All,
    /// 小计: the records of its group (above it, else below it, up to the next total row).
    Group,
    /// 平均, 全县平均: the mean of every record.
    Mean,
    /// 累计, 本年累计: a running total since the start of the year (it holds earlier
    /// months too), so no sum of the records; never a record.
    Cumulative,
    /// A row named for the whole region (全县, 全镇, the top region's name) and nothing
    /// else: the total when its figures are the sums of the records, else a record.
    Region,
}

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

/// A label as total words are read: spaces (also full-width) removed; a trailing colon,
/// footnote marks (`合计①`, `合计*`: read off as a figure's are) and a unit in brackets
/// (`合计（万元）`) read off; a bracketed list of region kinds (`全县（区）`,
/// `全县（市、区）合计`) dropped.
fn bare_label(cell: &str) -> String {
    label_read(cell, true)
}

/// A trailing bracket that may be read off a label: a footnote (`(注)`, `（注1）`, `[1]`,
/// `（①）`), or with `units` a unit (`（万元）`, `(单位：人)`). Never what says which part
/// of a region the row is (`（本级）`, `（不含开发区）`, `（机关）`).
fn bracket_read_off(inner: &str, units: bool) -> bool {
    const UNITS: [&str; 32] = [
        "元",
        "万元",
        "亿元",
        "千元",
        "人",
        "万人",
        "个",
        "户",
        "万户",
        "家",
        "吨",
        "万吨",
        "公里",
        "千米",
        "米",
        "平方米",
        "万平方米",
        "平方公里",
        "亩",
        "万亩",
        "公顷",
        "千瓦时",
        "万千瓦时",
        "辆",
        "座",
        "所",
        "张",
        "项",
        "%",
        "％",
        "人次",
        "万人次",
    ];
    let i = inner.trim();
    let note = i.strip_prefix('注').unwrap_or(i);
    let footnote =
        i == "注" || (!note.is_empty() && note.chars().all(|c| c.is_ascii_digit() || yearbook_core::number::is_footnote_mark(c)));
    let unit = i.strip_prefix("单位").map(|r| r.trim_start_matches([':', '：'])).unwrap_or(i);
    footnote || (units && UNITS.contains(&unit))
}

/// [`bare_label`], reading off unit brackets only with `units` (a row named for the
/// whole region reads off footnotes alone).
fn label_read(cell: &str, units: bool) -> String {
    let mut s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let t = s.trim_end_matches([':', '：']).trim_end_matches(yearbook_core::number::is_footnote_mark);
        if t.len() == s.len() {
            break;
        }
        s = t.to_string();
    }
    s = drop_region_kinds(&s);
    for (open, close) in [('（', '）'), ('(', ')'), ('[', ']'), ('【', '】')] {
        if s.ends_with(close)
            && let Some(i) = s.rfind(open)
            && bracket_read_off(&s[i + open.len_utf8()..s.len() - close.len_utf8()], units)
        {
            s.truncate(i);
        }
    }
    s.trim_end_matches([':', '：']).trim_end_matches(yearbook_core::number::is_footnote_mark).to_string()
}

/// Text with its bracketed lists of region kinds (`（区）`, `(市、区)`) dropped.
fn drop_region_kinds(s: &str) -> String {
    const KINDS: &str = "省市州盟县区旗镇乡街道村、，,/和及";
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(['（', '(']) {
        let open = rest[i..].chars().next().unwrap_or('(');
        let close = if open == '（' { '）' } else { ')' };
        let inner = &rest[i + open.len_utf8()..];
        match inner.find(close) {
            Some(j) if j > 0 && inner[..j].chars().all(|c| KINDS.contains(c)) => {
                out.push_str(&rest[..i]);
                rest = &inner[j + close.len_utf8()..];
            }
            _ => {
                out.push_str(&rest[..i + open.len_utf8()]);
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words of a total row that sums every record, the longest first.
const ALL_WORDS: [&str; 9] = ["合计数", "总计数", "合计", "总计", "共计", "汇总", "总和", "加总", "总数"];

/// Total words less often a row's whole label than part of a name (数据汇总 may be a
/// project, 人口总数 a count): such a row with a prefix that names no whole region (全县汇总 does) is left
/// out only when its figures are the sums.
const NAME_LIKE: [&str; 4] = ["汇总", "总和", "加总", "总数"];

/// The word of a total cell ([`bare_label`]): `合计`, `合 计`, `总计：`, `合计①`, `小计`,
/// `汇总`, `总和`, `加总`, `Total`, `合计（万元）`, and with a short prefix naming what it
/// totals: `全镇合计`, `本年合计`, `总合计`, `全县汇总`. Gives what it sums, the word, and
/// whether the row is a total only when its figures are the sums (a name-like word with
/// another prefix: `数据汇总`).
fn total_word(cell: &str) -> Option<(Total, String, bool)> {
    let s = bare_label(cell);
    let lower = s.to_lowercase();
    let kind = match lower.as_str() {
        "total" | "grandtotal" | "sum" => Total::All,
        "subtotal" => Total::Group,
        "average" | "mean" => Total::Mean,
        _ => {
            let word =
                ALL_WORDS.into_iter().chain(["小计", "累计数", "累计", "平均值", "平均数", "平均", "均值"]).find(|w| s.ends_with(w))?;
            // A prefix of up to four characters (全镇, 本年, 全县总): longer text ending in
            // 合计 is a name (道路工程合计表 is no total word).
            // A 累计 footer may name its months (1-12月累计).
            let room = if word.starts_with("累计") { 6 } else { 4 };
            if s.chars().count() > word.chars().count() + room {
                return None;
            }
            let prefix = &s[..s.len() - word.len()];
            if NAME_LIKE.contains(&word) && !(prefix.is_empty() || WHOLE.contains(&prefix) || ["本年", "本月", "总"].contains(&prefix))
            {
                return Some((Total::All, s.clone(), true));
            }
            match word {
                "小计" => Total::Group,
                "累计数" | "累计" => Total::Cumulative,
                "平均值" | "平均数" | "平均" | "均值" => Total::Mean,
                _ => Total::All,
            }
        }
    };
    Some((kind, s, false))
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

/// The words a row for the whole region is named by: 全县, 全市, 全镇 and the like.
const WHOLE: [&str; 12] = ["全省", "全自治区", "全市", "全州", "全盟", "全县", "全区", "全旗", "全镇", "全乡", "全街道", "全村"];

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
/// it is left out only when its figures are the sums.
fn total_of(row: &[String]) -> Option<(Total, String, bool)> {
    let (at, (kind, word, name_like)) = row.iter().enumerate().find_map(|(i, c)| total_word(c).map(|t| (i, t)))?;
    let other_text = row.iter().enumerate().any(|(i, c)| {
        let c = c.trim();
        i != at && !c.is_empty() && parse_value(c.as_bytes(), false).is_err()
    });
    Some((kind, word, other_text || name_like))
}

/// A section heading inside a ledger (`一、工业项目`, `（二）农业`, `第三部分`): a row whose
/// first cell is such a text and whose other cells are empty or figures (the section's
/// subtotals: `一、工业项目,,150`). Gives the text, the heading's level (第…部分 0, 一、 1,
/// （一） 2) and whether it carries figures.
fn heading(row: &[String]) -> Option<(&str, u8, bool)> {
    let mut cells = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    let only = cells.next()?;
    let mut figures = false;
    for c in cells {
        match parse_value(c.as_bytes(), false) {
            Ok(v) => figures |= v.number().is_some(),
            Err(_) => return None,
        }
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
    Some((only, level, figures))
}

/// A breakdown row (`其中：工业`, `其中:`, `其中 国有`): part of the row above it, never
/// a record. Gives its text.
fn breakdown(row: &[String]) -> Option<&str> {
    row.iter().map(|c| c.trim()).find(|c| c.starts_with("其中"))
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

/// Splits `rows` into the records and the total rows. A total row is left out with a
/// warning (`file:line`) saying whether its figures are the sums of the records it
/// covers; one with other text beside its word is left out only when they are, and else
/// kept as a record with a warning saying so. A 平均 row is checked against the records'
/// means; a 累计 row (本年累计) is left out unchecked; a row named for the whole region
/// (全县, or one of `tops`, the names of the top regions) is left out when its figures are
/// the sums, else kept with a warning. Section headings are left out with a warning.
/// `types` are the columns' declared types.
pub fn leave_out(
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
    if bottom.is_none()
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
    for (line, row) in rows {
        if let Some(text) = breakdown(&row) {
            breakdowns.push(Breakdown { line, text: text.to_string(), row: row.clone(), part_of: above.clone() });
            continue;
        }
        above = Some((line, row.clone()));
        if let Some((h, level, figures)) = heading(&row) {
            if figures {
                sections.push(Section { line, text: h.to_string(), level, row, before: records.len() });
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
        let end = sections[i + 1..]
            .iter()
            .filter(|n| n.level <= s.level)
            .map(|n| n.before)
            .chain(totals.iter().filter(|t| t.line > s.line && t.kind == Total::All).map(|t| t.before))
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
        // Keys (序号, No, 行次, 统计月份, a run 1, 2, 3 under any header) label a row: a
        // row with one is a record, and a key is never evidence of a sum.
        let label = key_column(&col.name) || matches!(&col.data, ColumnData::Number(v) if sequence(v));
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
