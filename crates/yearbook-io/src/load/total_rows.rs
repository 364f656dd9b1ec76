//! Total rows of a record table (合计, 总计, 小计): left out of its records, each checked
//! against the records it sums, with a warning naming its line either way.

use yearbook_core::number::parse_value;
use yearbook_core::table::{ColumnData, ColumnType, Table};

/// What a total row sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Total {
    /// 合计, 总计, 共计: every record of the table.
    All,
    /// 小计: the records of its group (above it, else below it, up to the next total row).
    Group,
}

/// A total row: its line and cells, what it sums, its word, how many records precede it.
struct TotalRow {
    line: usize,
    row: Vec<String>,
    kind: Total,
    word: String,
    before: usize,
}

/// The word of a total cell, spaces (also full-width) and a trailing colon ignored:
/// `合计`, `合 计`, `总计：`, `小计`, `Total`.
fn total_word(cell: &str) -> Option<(Total, String)> {
    let s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_end_matches([':', '：']);
    let kind = match s.to_lowercase().as_str() {
        "合计" | "总计" | "共计" | "总合计" | "全部合计" | "合计数" | "总计数" | "total" | "grandtotal" => Total::All,
        "小计" | "subtotal" => Total::Group,
        _ => return None,
    };
    Some((kind, s.to_string()))
}

/// A row's total word, from any of its text cells (the name column, the 序号 column,
/// ...), when it is the row's only text: `合计,,350`. A row with other text beside it
/// (`乙镇,合计,800`: a region's record whose category is 合计) is a record.
fn total_of(row: &[String]) -> Option<(Total, String)> {
    let (at, found) = row.iter().enumerate().find_map(|(i, c)| total_word(c).map(|t| (i, t)))?;
    let other_text = row.iter().enumerate().any(|(i, c)| {
        let c = c.trim();
        i != at && !c.is_empty() && parse_value(c.as_bytes(), false).is_err()
    });
    (!other_text).then_some(found)
}

/// A column that holds keys, not figures (年份, 序号, 代码, id): not summed by a total row.
fn key_column(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    ["年", "序号", "编号", "代码", "编码", "期", "月份", "季度"].iter().any(|w| n.contains(w))
        || ["year", "month", "quarter", "period", "id", "no", "code"].contains(&n.as_str())
}

/// Splits `rows` into the records and the total rows; the total rows are left out, each
/// with a warning (`file:line`) saying so and whether its figures are the sums of the
/// records they cover. `types` are the columns' declared types.
pub fn leave_out(
    file: &str,
    table: &str,
    header: &[String],
    rows: Vec<(usize, Vec<String>)>,
    types: &[ColumnType],
) -> (Vec<(usize, Vec<String>)>, Vec<String>) {
    if !rows.iter().any(|(_, r)| total_of(r).is_some()) {
        return (rows, Vec::new());
    }
    let mut totals: Vec<TotalRow> = Vec::new();
    let mut records = Vec::new();
    for (line, row) in rows {
        match total_of(&row) {
            Some((kind, word)) => totals.push(TotalRow { line, row, kind, word, before: records.len() }),
            None => records.push((line, row)),
        }
    }
    let cells: Vec<Vec<String>> = records.iter().map(|(_, r)| r.clone()).collect();
    let t = Table::from_rows_typed(table, header, &cells, types);
    let mut warnings = Vec::new();
    for (i, TotalRow { line, row, kind, word, before }) in totals.iter().enumerate() {
        let prev = if i == 0 { 0 } else { totals[i - 1].before };
        let next = totals.get(i + 1).map_or(records.len(), |n| n.before);
        // The spans of records the row may sum, in the order they are tried.
        let spans: Vec<(usize, usize)> = match kind {
            Total::All => vec![(0, records.len())],
            Total::Group => vec![(prev, *before), (*before, next)],
        };
        let mut checked = Vec::new();
        let mut wrong = Vec::new();
        for (c, col) in t.columns.iter().enumerate() {
            let ColumnData::Number(values) = &col.data else { continue };
            if key_column(&col.name) {
                continue;
            }
            let Some(text) = row.get(c).map(|s| s.trim()).filter(|s| !s.is_empty()) else { continue };
            let Some(v) = parse_value(text.as_bytes(), false).ok().and_then(|v| v.number()) else { continue };
            let sum_of = |(a, b): (usize, usize)| values[a..b].iter().filter(|x| !x.is_nan()).sum::<f64>();
            let fits = |s: f64| (s - v).abs() <= half_last_digit(text).max(1e-9 * v.abs());
            match spans.iter().copied().find(|&sp| fits(sum_of(sp))) {
                Some(_) => checked.push(format!("{} {text}", col.name)),
                None => wrong.push((c, format!("{} {text} is not the sum of the records ({})", col.name, show(sum_of(spans[0]))))),
            }
        }
        let covers = match kind {
            Total::All => format!("the {} records", records.len()),
            Total::Group => "the records of its group".to_string(),
        };
        let left = format!("a {word} row, left out of table `{table}`'s records");
        warnings.push(match (wrong.first(), checked.is_empty()) {
            (Some((c, _)), _) => format!(
                "{file}:{line}:{}: {left}; its {}: check the records and the row (a record missing, a figure mistyped, or a column \
                 that does not add up, such as a rate)",
                c + 1,
                wrong.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>().join("; ")
            ),
            (None, false) => format!("{file}:{line}: {left} (checked against the sum of {covers}: {})", checked.join(", ")),
            (None, true) => format!("{file}:{line}: {left} (no figure in it to check against {covers})"),
        });
    }
    (records, warnings)
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
        for w in ["合计项目", "累计", "道路", ""] {
            assert!(total_word(w).is_none(), "{w}");
        }
    }
    #[test]
    fn a_row_with_other_text_beside_the_word_is_a_record() {
        // A region's record whose category is 合计 stays; the year column is no figure.
        let header = vec!["region".to_string(), "year".into(), "category".into(), "value".into()];
        let r = rows(&[&["a", "2021", "工业", "500"], &["a", "2021", "合计", "800"], &["", "2021", "合计", "800"]]);
        let (rec, w) = leave_out("t.csv", "t", &header, r, &[ColumnType::Auto; 4]);
        assert_eq!(rec.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(
            w,
            vec![
                "t.csv:4:4: a 合计 row, left out of table `t`'s records; its value 800 is not the sum of the records (1300): \
                            check the records and the row (a record missing, a figure mistyped, or a column that does not add up, such as a rate)"
            ]
        );
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
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3]);
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
        let (rec, w) = leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3]);
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
        assert_eq!(leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3]).1.len(), 1);
        let r = rows(&[&["1", "a", "100.4"], &["2", "b", "200.3"], &["合计", "", "301"]]);
        assert!(
            leave_out("p.csv", "p", &header(), r, &[ColumnType::Auto; 3]).1[0]
                .ends_with("(checked against the sum of the 2 records: 投资额 301)")
        );
    }
}
