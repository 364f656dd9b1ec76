//! The words of a total row (合计, 总计, 小计, 汇总, Total, ∑, a row named 全县) and how a
//! label is read for them: one list for the record-table reader (which leaves total rows
//! out of a table's records) and the region lookup (which says that a fact's "region" 合计
//! is a total row, not an unknown region).

use crate::number::is_footnote_mark;

/// A footnote mark after a label (`合计¹`, `合计※`, `合计△`, `合计†`): a figure's marks
/// ([`is_footnote_mark`]: `*`, `#`, ① .. ⑳) and the others tables put after a word:
/// superscript digits, ※, △, ▲, †, ‡, ☆, ★. Read off a label only: a figure with a
/// superscript after it (`10²`) is not read as 10.
pub fn is_label_mark(c: char) -> bool {
    is_footnote_mark(c) || matches!(c, '¹' | '²' | '³' | '\u{2070}' | '\u{2074}'..='\u{2079}' | '※' | '△' | '▲' | '†' | '‡' | '☆' | '★')
}

/// Punctuation after a label (`合计：`, `"合计,"`, `合计。`), read off.
const TRAILING_PUNCTUATION: [char; 12] = [':', '：', ',', '，', '.', '。', ';', '；', '、', '!', '！', '．'];

/// `s` with its tail of punctuation, footnote marks and an unbracketed note (`注`, `注1`,
/// after other text: `合计注`) read off, over and over.
fn read_off_tail(s: &str) -> &str {
    let mut s = s;
    loop {
        let mut t = s.trim_end_matches(TRAILING_PUNCTUATION).trim_end_matches(is_label_mark);
        let digits = t.trim_end_matches(|c: char| c.is_ascii_digit());
        if let Some(before) = digits.strip_suffix('注')
            && !before.is_empty()
        {
            t = before;
        }
        if t.len() == s.len() {
            return s;
        }
        s = t;
    }
}

/// What a total row sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
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

/// A label as total words are read: spaces (also full-width) removed; a trailing colon,
/// footnote marks (`合计①`, `合计*`: read off as a figure's are) and a unit in brackets
/// (`合计（万元）`) read off; a bracketed list of region kinds (`全县（区）`,
/// `全县（市、区）合计`) dropped.
pub fn bare_label(cell: &str) -> String {
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
    let footnote = i == "注" || (!note.is_empty() && note.chars().all(|c| c.is_ascii_digit() || is_label_mark(c)));
    let unit = i.strip_prefix("单位").map(|r| r.trim_start_matches([':', '：'])).unwrap_or(i);
    footnote || (units && UNITS.contains(&unit))
}

/// [`bare_label`], reading off unit brackets only with `units` (a row named for the
/// whole region reads off footnotes alone).
pub fn label_read(cell: &str, units: bool) -> String {
    let mut s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    // A label in brackets as a whole (`【合计】`, `[合计]`, `〔总计〕`).
    for (open, close) in [('【', '】'), ('[', ']'), ('〔', '〕'), ('（', '）'), ('(', ')')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.contains([open, close])
            && !inner.is_empty()
        {
            s = inner.to_string();
            break;
        }
    }
    let mut s = drop_region_kinds(read_off_tail(&s));
    // As many brackets as there are (`合计(1)(万元)`, `合计（注1）（万元）`).
    loop {
        let before = s.len();
        for (open, close) in [('（', '）'), ('(', ')'), ('[', ']'), ('【', '】')] {
            if s.ends_with(close)
                && let Some(i) = s.rfind(open)
                && bracket_read_off(&s[i + open.len_utf8()..s.len() - close.len_utf8()], units)
            {
                s.truncate(i);
            }
        }
        s = read_off_tail(&s).to_string();
        if s.len() == before {
            break s;
        }
    }
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
/// Traditional characters too (合計, 總計: files from Hong Kong, Macao, Taiwan or old
/// templates).
pub const ALL_WORDS: [&str; 14] =
    ["合计数", "总计数", "合计", "总计", "共计", "汇总", "总和", "加总", "总数", "合計", "總計", "共計", "匯總", "總和"];

/// Total words less often a row's whole label than part of a name (数据汇总 may be a
/// project, 人口总数 a count): such a row with a prefix that names no whole region (全县汇总 does) is left
/// out only when its figures are the sums.
pub const NAME_LIKE: [&str; 6] = ["汇总", "总和", "加总", "总数", "匯總", "總和"];

/// The word of a total cell ([`bare_label`]): `合计`, `合 计`, `总计：`, `合计①`, `合计¹`,
/// `合计注`, `"合计,"`, `小计`, `汇总`, `总和`, `加总`, `Total`, `Totals`, `Grand total`,
/// `Sum`, `∑`, `合计（万元）`, and with a short prefix naming what it totals: `全镇合计`,
/// `本年合计`, `总合计`, `全县汇总`. Gives what it sums, the word, and whether the row is
/// a total only when its figures are the sums: a name-like word with another prefix
/// (`数据汇总`), and `总量` (`能源消费总量`) or `全部`, words as often a record's name
/// or category as a total's.
pub fn total_word(cell: &str) -> Option<(Total, String, bool)> {
    let s = bare_label(cell);
    let lower = s.to_lowercase();
    let kind = match lower.as_str() {
        "total" | "totals" | "grandtotal" | "grandtotals" | "sum" | "sumtotal" | "∑" | "σ" => Total::All,
        "subtotal" => Total::Group,
        "average" | "mean" => Total::Mean,
        _ if s == "全部" || (s.ends_with("总量") && s.chars().count() <= 6) => return Some((Total::All, s, true)),
        _ => {
            let word = ALL_WORDS
                .into_iter()
                .chain(["小计", "小計", "累计数", "累计", "平均值", "平均数", "平均", "均值"])
                .find(|w| s.ends_with(w))?;
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
                "小计" | "小計" => Total::Group,
                "累计数" | "累计" => Total::Cumulative,
                "平均值" | "平均数" | "平均" | "均值" => Total::Mean,
                _ => Total::All,
            }
        }
    };
    Some((kind, s, false))
}

/// The words a label of a total ends in after a prefix of any length, naming the group or
/// the part it totals (`城关镇项目小计`, `经济开发区小计`, `道路工程合计`).
const ENDING_WORDS: [(&str, Total); 8] = [
    ("小计", Total::Group),
    ("小計", Total::Group),
    ("合计", Total::All),
    ("合計", Total::All),
    ("总计", Total::All),
    ("總計", Total::All),
    ("共计", Total::All),
    ("共計", Total::All),
];

/// A label of a record table ending in 小计, 合计, 总计 or 共计 after a prefix of any
/// length (read as [`bare_label`] reads it: footnote marks, a note and a unit in brackets
/// read off): `城关镇项目小计`, `经济开发区小计`. Gives what it sums and the label. A
/// word inside a name (公共计算中心, 合计村) is none, and neither is 综合计 or 公共计,
/// whose last two characters only spell the word.
pub fn total_ending(cell: &str) -> Option<(Total, String)> {
    let s = bare_label(cell);
    let (word, kind) = ENDING_WORDS.into_iter().find(|(w, _)| s.ends_with(w))?;
    let prefix = &s[..s.len() - word.len()];
    if (word.starts_with('合') && prefix.ends_with('综')) || (word.starts_with('共') && prefix.ends_with('公')) {
        return None;
    }
    // A prefix of words, not figures or codes alone (3小计 is a code's row).
    if prefix.is_ascii() {
        return None;
    }
    Some((kind, s))
}

/// A label of a record table opening with 小计, 合计, 总计 or 共计 and then, after a
/// bracket, a dash, a colon or a space, the group it totals: `小计（甲镇）`, `小计-甲镇`,
/// `合计：乙镇`, `小计 甲镇`. Gives the label, the total of a group. A note on what it
/// holds (`合计（含追加）`, `合计（不含开发区）`) names no group. A name that only begins
/// with the word (合计村) has no separator and is none.
pub fn total_leading(cell: &str) -> Option<(Total, String)> {
    let t = cell.trim();
    let (word, _) = ENDING_WORDS.into_iter().find(|(w, _)| t.starts_with(w))?;
    let rest = &t[word.len()..];
    let separator = |c: char| matches!(c, '-' | '－' | '—' | '–' | ':' | '：' | '·' | '_' | '/') || c.is_whitespace();
    let opens = rest.starts_with(['（', '(', '【', '[', '〔']) || rest.starts_with(separator);
    let name = rest.trim_start_matches(separator).trim_start_matches(['（', '(', '【', '[', '〔']);
    // A group's name, in words (not a note's number, `合计(1)`, read as the word itself).
    // A note on what the total holds (合计（含追加）, 合计（不含开发区）) names no group.
    const NOTES: [&str; 10] = ["含", "不含", "包括", "不包括", "包含", "注", "单位", "按", "扣除", "剔除"];
    if NOTES.iter().any(|n| name.starts_with(n)) {
        return None;
    }
    // It names a group: a group's total, 合计 or 小计 alike.
    (opens && name.chars().next().is_some_and(|c| !c.is_ascii())).then(|| (Total::Group, t.to_string()))
}

/// The words a row for the whole region is named by: 全县, 全市, 全镇 and the like.
pub const WHOLE: [&str; 12] = ["全省", "全自治区", "全市", "全州", "全盟", "全县", "全区", "全旗", "全镇", "全乡", "全街道", "全村"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_opening_with_its_word_names_its_group() {
        for w in ["小计（甲镇）", "小计(甲镇)", "小计-甲镇", "小计 甲镇", "小计：甲镇", "合计【城关镇】", "总计—开发区"]
        {
            assert_eq!(total_leading(w), Some((Total::Group, w.to_string())), "{w}");
        }
        for w in ["合计村", "小计", "合计(1)", "小计-1", "共计划", "小计甲镇", "合计（含追加）", "合计(不含开发区)"]
        {
            assert_eq!(total_leading(w), None, "{w}");
        }
    }

    #[test]
    fn label_variants_read_as_their_word() {
        for (cell, word) in [
            ("合计¹", "合计"),
            ("合计⁹", "合计"),
            ("合计※", "合计"),
            ("合计△▲", "合计"),
            ("合计†", "合计"),
            ("合计注", "合计"),
            ("合计注2", "合计"),
            ("合计,", "合计"),
            ("合计。", "合计"),
            ("合计[1]", "合计"),
            ("合计(注1)：", "合计"),
            ("全县（本级）", "全县（本级）"),
            ("注", "注"),
        ] {
            assert_eq!(bare_label(cell), word, "{cell}");
        }
        for w in ["Totals", "Grand Total", "∑", "Σ", "合计¹", "全县汇总"] {
            assert!(total_word(w).is_some_and(|(k, _, name_like)| k == Total::All && !name_like), "{w}");
        }
        for w in ["总量", "全部", "能源消费总量"] {
            assert!(total_word(w).is_some_and(|(k, _, name_like)| k == Total::All && name_like), "{w}");
        }
        for w in ["全部项目", "总量控制工程项目", "备注"] {
            assert!(total_word(w).is_none(), "{w}");
        }
        // A label ending in a total word after a prefix of any length.
        for (w, kind) in [("城关镇项目小计", Total::Group), ("经济开发区小计①", Total::Group), ("道路改造工程项目合计", Total::All)]
        {
            assert_eq!(total_ending(w).map(|(k, _)| k), Some(kind), "{w}");
        }
        for w in ["公共计算中心", "合计村", "综合计", "某某公共计", "3小计", "小计", "城关镇项目小计表"] {
            assert!(total_ending(w).is_none(), "{w}");
        }
        // A figure's marks are not widened: 10² is no 10.
        assert!(crate::number::parse_value("10²".as_bytes(), false).is_err());
        assert!(is_label_mark('²') && !is_footnote_mark('²'));
    }
}
