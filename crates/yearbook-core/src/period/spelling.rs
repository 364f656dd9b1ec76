//! Period spellings of official exports and yearbooks read into periods: `1978年`,
//! `2020年3月`, `202003`, `2020/03`, `2020年一季度`, `2020年第一季度`, `2020-Q1`,
//! full-width digits, and cumulative (累计) periods `2020年1-3月`, `2020年上半年`,
//! `2020年前三季度`, which load only from a file marked `cumulative = true`.
//! The canonical spellings (`2020`, `2020Q1`, `2020-03`) go through `Period::parse_canonical` first.

use crate::period::{Frequency, Period};

/// How one fact file spells its periods (from its `[[data.facts]]` entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodOptions {
    /// The file holds cumulative (year-to-date) figures: `2020年1-3月` reads as its end, 2020-03.
    pub cumulative: bool,
    /// The year of periods written without one (`1-3月`, `3月`, `一季度`).
    pub year: Option<i32>,
    /// Yearly figures (targets, plans) spread over every period of their year in this
    /// finer frequency (`annual = true` on a monthly or quarterly panel).
    pub annual: Option<Frequency>,
    /// The workspace's declared frequency: what `全年` in a cumulative file ends at
    /// (December, the fourth quarter).
    pub frequency: Option<Frequency>,
    /// What the period column's header names ([`header_frequency`]: 年份 names years): a
    /// date in it stands for that period. An Excel date cell shown as 2021年 holds 1
    /// January 2021; read as its month, a yearly file became 2021-01.
    pub column: Option<Frequency>,
}

/// The frequency a period column's header names: years (年份, 年度, year), quarters
/// (季度, quarter) or months (月份, month); None for one that names no frequency (时期).
pub fn header_frequency(header: &str) -> Option<Frequency> {
    let h = header.trim().to_lowercase();
    let is = |words: &[&str]| words.iter().any(|w| h == *w || (w.chars().count() > 1 && !w.is_ascii() && h.ends_with(w)));
    if is(&["year", "年", "年份", "年度"]) {
        Some(Frequency::Year)
    } else if is(&["quarter", "季", "季度"]) {
        Some(Frequency::Quarter)
    } else if is(&["month", "月", "月份"]) {
        Some(Frequency::Month)
    } else {
        None
    }
}

/// The namespace a cumulative file loads into when it names none.
pub const CUMULATIVE_NAMESPACE: &str = "cumulative";

/// What a spelling names: a period, or a cumulative span ending at a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelled {
    Plain(Period),
    /// From the first month (or quarter) of the year through `end` (other spans are refused).
    Cumulative(Period),
    /// A quarter named alone in words (二季度, 第四季度): that quarter's own figure, never a
    /// cumulative one (those are 上半年, 前三季度, 全年).
    QuarterAlone(Period),
    /// 2024年全年: the year, or in a cumulative file the span through its last period.
    WholeYear(i32),
    /// A calendar date (year, month, day): its month, or where the column or the panel is
    /// of years or quarters, the one it begins or ends ([`PeriodOptions::column`]).
    Date(i32, i32, i32),
}

/// Reads a period as a fact file spells it. Under a header of quarters (季度), a period
/// written as a month (`2020-1`, `2020.1`, `2020/03`, `2020年3月`) is refused: such files
/// write a quarter so, and it was read as January, putting quarters into a monthly panel
/// where `yoy` set January against January.
pub fn read(text: &str, opts: &PeriodOptions) -> Result<Period, String> {
    let p = read_spelled(text, opts)?;
    let t = text.trim();
    if opts.column == Some(Frequency::Quarter) && p.freq == Frequency::Month && !opts.cumulative {
        let (y, m) = (p.calendar_year(), p.sub());
        // "2020-3" may number the third quarter or be March, which is in the first: both
        // readings named, never only the one that files March under Q3.
        let holds = (m - 1) / 3 + 1;
        let cn = |q: i32| ["一", "二", "三", "四"][(q - 1) as usize];
        let month_reading = format!("{y}Q{holds} or {y}年{}季度 if it is the month {p} (in quarter {holds})", cn(holds));
        // 2020年3月 and 2020M03 say they are months: no quarter 3 reading.
        let numbered = !t.contains(['月', 'M', 'm']);
        let as_quarter = if numbered && (1..=4).contains(&m) && m != holds {
            format!("{y}Q{m} or {y}年{}季度 if it numbers quarter {m}, {month_reading}, ", cn(m))
        } else {
            format!("{month_reading}, ")
        };
        return Err(format!(
            "period \"{t}\" under a header of quarters (季度) reads as a month ({p}): write the quarter as {as_quarter}a quarter's \
             first or last day, or name the column 月份 if these are months"
        ));
    }
    Ok(p)
}

/// Reads a period as a fact file spells it, whatever the header says of months.
fn read_spelled(text: &str, opts: &PeriodOptions) -> Result<Period, String> {
    // 0202年 is no year of statistics: a slip of 2020 or 2002 (read as the year 202).
    let t = text.trim();
    if t.starts_with('0')
        && t.len() >= 4
        && t.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && !t.as_bytes().get(4).is_some_and(u8::is_ascii_digit)
    {
        return Err(format!(
            "period \"{t}\" has the year {} with a leading 0 (a slip of 2020 or 2002?): write the year's four digits",
            &t[..4]
        ));
    }
    let canonical = match Period::parse_canonical(text) {
        Ok(p) => return Ok(p),
        Err(e) => e,
    };
    let (s, leiji) = normalize(text);
    let spelled = spelled(&s, opts.year).map(|sp| if leiji { said_cumulative(sp) } else { sp }).map_err(|m| {
        if canonical.contains("out of range") {
            canonical.clone()
        } else if m == KNOWN {
            format!("{canonical}; yearbook spellings (1978年, 2020年3月, 202003, 2020年一季度) are read too")
        } else {
            format!("period \"{}\" {m}", text.trim())
        }
    })?;
    match spelled {
        Spelled::Plain(p) => Ok(p),
        Spelled::QuarterAlone(p) if opts.cumulative => Err(format!(
            "period \"{}\" is the {} quarter alone, not a span from January: a cumulative (累计) file names its spans \
             一季度, 上半年, 前三季度, 全年 (or 1-2季度); load this quarter's own figures from a file without `cumulative = true`",
            text.trim(),
            ["first", "second", "third", "fourth"][(p.sub() - 1).clamp(0, 3) as usize]
        )),
        Spelled::QuarterAlone(p) => Ok(p),
        Spelled::WholeYear(y) if opts.cumulative => match opts.frequency {
            Some(Frequency::Month) => Ok(Period { freq: Frequency::Month, ordinal: y * 12 + 11 }),
            Some(Frequency::Quarter) => Ok(quarter(y, 4)),
            Some(Frequency::Year) => Ok(Period::year(y)),
            None => Err(format!(
                "period \"{}\" is the whole year's 累计: write it as {y}年1-12月 (months) or {y}年1-4季度 (quarters), or set [workspace] \
                 frequency so that 全年 says which",
                text.trim()
            )),
        },
        Spelled::WholeYear(y) => Ok(Period::year(y)),
        Spelled::Date(y, m, d) => dated(text.trim(), (y, m, d), opts),
        Spelled::Cumulative(end) if opts.cumulative => Ok(end),
        Spelled::Cumulative(end) => Err(format!(
            "period \"{}\" is cumulative (累计, from the start of {} through {end}): a different fact from the period's own figure; \
             add `cumulative = true` to this file's [[data.facts]] entry to load it as {CUMULATIVE_NAMESPACE}.<indicator> at {end}{}",
            text.trim(),
            end.calendar_year(),
            if end.freq == Frequency::Month && end.sub() == 2 {
                " (where the file's other periods are single months, 3月, 4月, with January and February together, give 1月 and \
                 2月 apart instead: no file of 累计 writes 3月 alone)"
            } else {
                ""
            }
        )),
    }
}

/// How a period is spelled in a cumulative (累计) file: `Some(true)` where it names a span
/// from the start of its year through a later month or quarter (`1-2月`, `上半年`,
/// `3月累计`), `Some(false)` where it names a month or quarter past the first alone (`3月`,
/// `2025-03`, `2025Q2`), which such a file reads as the span through it; None for anything
/// else (the first month or quarter, a year, a date, a text that is no period). A file
/// that writes both is a table of single months with January and February together
/// (`1-2月, 3月, 4月`), not of 累计.
pub fn spells_span(text: &str, opts: &PeriodOptions) -> Option<bool> {
    let p = match Period::parse_canonical(text) {
        Ok(p) => Spelled::Plain(p),
        Err(_) => {
            let (s, leiji) = normalize(text);
            let sp = spelled(&s, opts.year).ok()?;
            if leiji { said_cumulative(sp) } else { sp }
        }
    };
    match p {
        Spelled::Plain(p) | Spelled::QuarterAlone(p) if p.freq != Frequency::Year && p.sub() > 1 => Some(false),
        Spelled::Cumulative(end) if end.sub() > 1 => Some(true),
        _ => None,
    }
}

/// The year of a spelling that says the whole of a year without naming its months: 累计
/// of a year alone (`累计`, `2025年累计`, `累计值` under a year) or 全年 (`全年`,
/// `全年累计`, `2025年全年`), read as 1-12月: beside figures of that year that stop
/// before its end (`1月,2月,3月,累计`, `1-2月,1-3月,全年`) it is the year so far (or a
/// plan), not the whole year. None for any other spelling (1-3月累计, 2025年).
pub fn bare_cumulative_year(text: &str, opts: &PeriodOptions) -> Option<i32> {
    if Period::parse_canonical(text).is_ok() {
        return None;
    }
    let (s, leiji) = normalize(text);
    match spelled(&s, opts.year).ok()? {
        Spelled::Plain(p) | Spelled::QuarterAlone(p) if leiji && p.freq == Frequency::Year => Some(p.calendar_year()),
        Spelled::WholeYear(y) => Some(y),
        _ => None,
    }
}

/// A spelling with the word 累计 (`2020年3月累计`, `2021年累计3月`, `2020年二季度（累计）`):
/// a single month or quarter is the span from the start of its year through it, and the
/// year alone is its whole year, as 全年 is.
fn said_cumulative(s: Spelled) -> Spelled {
    match s {
        Spelled::Plain(p) | Spelled::QuarterAlone(p) if p.freq == Frequency::Year => Spelled::WholeYear(p.calendar_year()),
        Spelled::Plain(p) | Spelled::QuarterAlone(p) => Spelled::Cumulative(p),
        Spelled::Date(y, m, _) => month(y, m).map_or(s, Spelled::Cumulative),
        other => other,
    }
}

/// The period a date stands for: its month; under a header of years or quarters (年份),
/// or in a panel of them, the year or quarter it begins or ends (1 January or 31 December
/// 2021: 2021). Another day there is refused: it names no year, and its month would put a
/// month into a yearly panel.
fn dated(text: &str, (y, m, d): (i32, i32, i32), opts: &PeriodOptions) -> Result<Period, String> {
    let within = match (opts.column, opts.frequency) {
        (Some(f @ (Frequency::Year | Frequency::Quarter)), _) => Some((f, "under a header of")),
        (None, Some(f @ (Frequency::Year | Frequency::Quarter))) => Some((f, "in a panel of")),
        _ => None,
    };
    let Some((freq, said)) = within else { return month(y, m) };
    let last = days_in_month(y, m);
    match freq {
        Frequency::Year if (m, d) == (1, 1) || (m, d) == (12, 31) => Ok(Period::year(y)),
        Frequency::Quarter if (m % 3 == 1 && d == 1) || (m % 3 == 0 && d == last) => Ok(quarter(y, (m - 1) / 3 + 1)),
        _ => {
            let (what, first, end, write) = match freq {
                Frequency::Year => ("years", "1 January", "31 December", y.to_string()),
                _ => ("quarters", "the first day of a quarter", "its last", quarter(y, (m - 1) / 3 + 1).to_string()),
            };
            Err(format!(
                "period \"{text}\" is a date ({y}-{m:02}-{d:02}) {said} {what}: a date stands for the period it begins or ends \
                 ({first} or {end}; an Excel date cell shown as {y}年 holds 1 January), and this one does neither; write the \
                 period, {write}, or the date it begins"
            ))
        }
    }
}

/// Full-width digits and letters to ASCII, dashes and range words to `-`, spaces and
/// the words 累计 / 年度 / 截至 / 截止 dropped; true when 累计, 截至 or 截止 was there.
fn normalize(text: &str) -> (String, bool) {
    // 截至 / 截止 (through): the span from the start of the year, as 累计 says; taken out
    // before 至 reads as a dash.
    let mut through = false;
    let mut text = text.trim().to_string();
    for word in ["截至到", "截止到", "截至", "截止"] {
        if let Some(i) = text.find(word) {
            text.replace_range(i..i + word.len(), "");
            through = true;
        }
    }
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            'Ａ'..='Ｚ' => char::from(b'A' + (c as u32 - 'Ａ' as u32) as u8),
            'ａ'..='ｚ' => char::from(b'a' + (c as u32 - 'ａ' as u32) as u8),
            '－' | '—' | '–' | '～' | '~' | '至' | '到' => '-',
            '／' => '/',
            '．' => '.',
            c => c,
        })
        .collect();
    // 二〇二〇年 (a year in Chinese numerals, as documents date themselves): 2020年.
    let cn_digit = |c: char| "〇○零一二三四五六七八九".chars().position(|d| d == c).map(|i| char::from(b'0' + i.saturating_sub(2) as u8));
    let head: Vec<char> = s.chars().take(5).collect();
    if head.len() == 5 && head[4] == '年' && head[..4].iter().all(|&c| cn_digit(c).is_some()) {
        let year: String = head[..4].iter().filter_map(|&c| cn_digit(c)).collect();
        let rest: String = s.chars().skip(4).collect();
        s = year + &rest;
    }
    // 三月, 十二月 (a month in Chinese numerals, after the year or alone): 3月, 12月.
    const MONTHS: [(&str, &str); 12] = [
        ("十二月", "12月"),
        ("十一月", "11月"),
        ("十月", "10月"),
        ("九月", "9月"),
        ("八月", "8月"),
        ("七月", "7月"),
        ("六月", "6月"),
        ("五月", "5月"),
        ("四月", "4月"),
        ("三月", "3月"),
        ("二月", "2月"),
        ("一月", "1月"),
    ];
    for (cn, m) in MONTHS {
        if let Some(rest) = s.strip_prefix(cn) {
            s = format!("{m}{rest}");
            break;
        }
        if let Some(i) = s.find(&format!("年{cn}")) {
            s.replace_range(i + '年'.len_utf8()..i + '年'.len_utf8() + cn.len(), m);
            break;
        }
    }
    // 2020年末 / 2020年6月末 / 2020年底: a stock at the end of the period is the period.
    if let Some(t) = s.strip_suffix('末').or_else(|| s.strip_suffix('底')) {
        s = t.to_string();
    }
    let mut leiji = through;
    for word in ["(累计)", "（累计）", "(累计数)", "（累计数）", "累计数", "累计值", "累计", "累計", "年度"] {
        if let Some(i) = s.find(word) {
            let keep = if word == "年度" { "年" } else { "" };
            s.replace_range(i..i + word.len(), keep);
            leiji |= word != "年度";
        }
    }
    (s, leiji)
}

fn digits(s: &str) -> Option<i32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// 一 .. 四 (and 1 .. 4) as a quarter number.
fn quarter_number(s: &str) -> Option<i32> {
    match s {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    }
}

fn month(year: i32, m: i32) -> Result<Period, String> {
    if !(1..=12).contains(&m) {
        return Err(format!("names month {m}: months run 1..12"));
    }
    Ok(Period { freq: Frequency::Month, ordinal: year * 12 + m - 1 })
}

/// Days in month `m` (1..=12) of `year`, in the Gregorian calendar.
pub(crate) fn days_in_month(year: i32, m: i32) -> i32 {
    match m {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn quarter(year: i32, q: i32) -> Period {
    Period { freq: Frequency::Quarter, ordinal: year * 4 + q - 1 }
}

/// The error of a text that is no spelling of a period at all.
const KNOWN: &str = "is not a period";

fn spelled(s: &str, default_year: Option<i32>) -> Result<Spelled, String> {
    // 202003: a six-digit year and month.
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m) = (digits(&s[..4]).ok_or(KNOWN)?, digits(&s[4..]).ok_or(KNOWN)?);
        return month(y, m).map(Spelled::Plain);
    }
    // The year: four digits, then 年 or a separator; else the file's year.
    let lead = s.bytes().take_while(u8::is_ascii_digit).count();
    let (year, rest) = if lead == 4 {
        let rest = &s[4..];
        (digits(&s[..4]).ok_or(KNOWN)?, rest.strip_prefix(['年', '/', '.', '-']).unwrap_or(rest))
    } else if lead == 2 && s[2..].starts_with('年') {
        // A two-digit year as clerks type it (21年3月): which century, the file does not
        // say; read as a month of the file's year it was told to prepend a year
        // (2020年21年3月), and with one it was no period at all.
        return Err(format!(
            "has a two-digit year ({}年): write the year in full ({}年{})",
            &s[..2],
            2000 + digits(&s[..2]).unwrap_or(0),
            &s[2 + '年'.len_utf8()..]
        ));
    } else {
        match default_year {
            Some(y) => (y, s),
            // A year elsewhere than in front (约2020年3月) is no spelling to repeat.
            None if s.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit)) => return Err(KNOWN.to_string()),
            None if s.ends_with('月') || s.contains('季') || s.contains("半年") => {
                return Err(format!(
                    "has no year: write it with its year (2020年{s}), or give the file's year with `year = 2020` in its [[data.facts]] entry"
                ));
            }
            None => return Err(KNOWN.to_string()),
        }
    };
    let rest = rest.strip_suffix("份").unwrap_or(rest);
    // A year a program wrote as a number with decimals (pandas writes 2019.0 when the
    // column has a gap): there is no month 0.
    let float_year = lead == 4 && s[4..].starts_with('.') && !rest.is_empty() && rest.bytes().all(|b| b == b'0');
    if rest == "全年" {
        return Ok(Spelled::WholeYear(year));
    }
    if rest.is_empty() || float_year {
        return Ok(Spelled::Plain(Period::year(year)));
    }
    if let Some(q) = rest.strip_prefix(['Q', 'q']) {
        return quarter_number(q).map(|q| Spelled::Plain(quarter(year, q))).ok_or_else(|| KNOWN.to_string());
    }
    // 前三季度, 前3季度, 前两季度: the quarters from the first through the third.
    if let Some(n) = rest.strip_prefix('前').and_then(|r| r.strip_suffix("季度").or_else(|| r.strip_suffix('季'))) {
        let n = if n == "两" { Some(2) } else { quarter_number(n) };
        return n.map(|n| Spelled::Cumulative(quarter(year, n))).ok_or_else(|| KNOWN.to_string());
    }
    match rest {
        "上半年" => return Ok(Spelled::Cumulative(quarter(year, 2))),
        "下半年" => {
            return Err("is the second half-year, not a span from January: load the quarters or months, or the whole year".into());
        }
        _ => {}
    }
    if let Some(q) = rest.strip_suffix("季度").or_else(|| rest.strip_suffix('季')) {
        let q = q.strip_prefix('第').unwrap_or(q);
        if let Some((a, b)) = q.split_once('-') {
            // 1-3季度, and 一季度至三季度 with the first quarter's 季度 written too.
            let a = a.strip_suffix("季度").or_else(|| a.strip_suffix('季')).unwrap_or(a);
            let b = b.strip_prefix('第').unwrap_or(b);
            return span(quarter_number(a), quarter_number(b), |b| Ok(quarter(year, b)), "quarter");
        }
        return quarter_number(q)
            .map(|q| if q == 1 { Spelled::Plain(quarter(year, q)) } else { Spelled::QuarterAlone(quarter(year, q)) })
            .ok_or_else(|| KNOWN.to_string());
    }
    // A date (2020-03-01, 2020/3/1, 2020年3月1日) is its month. Month and day are
    // separated as year and month are: 2025年1-6, 2025.1-6 and 2025/1-6 are spans of
    // months (1-6月), never 6 January.
    let year_sep = if lead == 4 { s[4..].chars().next().filter(|c| matches!(c, '/' | '.' | '-')) } else { None };
    let date = match rest.strip_suffix('日').or_else(|| rest.strip_suffix('号')) {
        Some(md) => md.split_once('月'),
        None if !rest.ends_with('月') => year_sep.and_then(|sep| rest.split_once(sep)),
        None => None,
    };
    if let Some((m, d)) = date {
        return match (digits(m), digits(d)) {
            (Some(m), Some(d)) if (1..=12).contains(&m) && !(1..=days_in_month(year, m)).contains(&d) => {
                Err(format!("is no date: {year}-{m:02} has {} days", days_in_month(year, m)))
            }
            (Some(m), Some(d)) if (1..=12).contains(&m) => Ok(Spelled::Date(year, m, d)),
            _ => Err(KNOWN.to_string()),
        };
    }
    let m = rest.strip_suffix('月').unwrap_or(rest);
    if let Some((a, b)) = m.split_once('-') {
        // 1-3月, and 1月-3月 / 1月至3月 with the first month's 月 written too.
        return span(digits(a.strip_suffix('月').unwrap_or(a)), digits(b), |b| month(year, b), "month");
    }
    match digits(m) {
        Some(n) if m.len() <= 2 => month(year, n).map(Spelled::Plain),
        _ => Err(KNOWN.to_string()),
    }
}

/// `1-3` (months or quarters): cumulative through the last; a span not starting at
/// the first of the year is refused.
fn span(a: Option<i32>, b: Option<i32>, end: impl Fn(i32) -> Result<Period, String>, unit: &str) -> Result<Spelled, String> {
    let (Some(a), Some(b)) = (a, b) else {
        return Err(format!("is not a span of {unit}s: write it as 1-3月 or 1-3季度"));
    };
    if a != 1 || b < a {
        return Err(format!(
            "spans {unit}s {a} to {b}: only spans from the first {unit} of the year (cumulative, 累计) are read; load the {unit}s themselves"
        ));
    }
    let end = end(b)?;
    Ok(if a == b { Spelled::Plain(end) } else { Spelled::Cumulative(end) })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_date_is_the_period_its_column_or_panel_names() {
        use super::{Frequency, PeriodOptions, header_frequency, read};
        for (h, f) in [
            ("年份", Some(Frequency::Year)),
            ("统计年度", Some(Frequency::Year)),
            ("Year", Some(Frequency::Year)),
            ("季度", Some(Frequency::Quarter)),
            ("月份", Some(Frequency::Month)),
            ("时期", None),
            ("period", None),
            ("yearly", None),
        ] {
            assert_eq!(header_frequency(h), f, "{h}");
        }
        let under = |column: Option<Frequency>, frequency: Option<Frequency>, text: &str| {
            read(text, &PeriodOptions { column, frequency, ..Default::default() }).map(|p| p.to_string())
        };
        let (y, q) = (Some(Frequency::Year), Some(Frequency::Quarter));
        assert_eq!(under(None, None, "2021-01-01").unwrap(), "2021-01");
        assert_eq!(under(y, None, "2021-01-01").unwrap(), "2021");
        assert_eq!(under(y, None, "2021/12/31").unwrap(), "2021");
        assert_eq!(under(None, y, "2021年1月1日").unwrap(), "2021");
        assert_eq!(under(q, None, "2021-04-01").unwrap(), "2021Q2");
        assert_eq!(under(None, q, "2021-09-30").unwrap(), "2021Q3");
        assert_eq!(under(Some(Frequency::Month), y, "2021-01-01").unwrap(), "2021-01");
        assert!(under(y, None, "2021-06-30").unwrap_err().contains("is a date (2021-06-30) under a header of years"));
        assert!(under(None, q, "2021-05-01").unwrap_err().contains("in a panel of quarters"));
        // A month in figures under a header of quarters: refused, naming the quarter.
        for (text, month) in [("2020-1", "2020-01"), ("2020.1", "2020-01"), ("2020/3", "2020-03"), ("202004", "2020-04")] {
            let e = under(q, None, text).unwrap_err();
            assert!(e.contains(&format!("period \"{text}\" under a header of quarters (季度) reads as a month ({month})")), "{e}");
        }
        assert!(
            under(q, None, "2020-1")
                .unwrap_err()
                .contains("write the quarter as 2020Q1 or 2020年一季度 if it is the month 2020-01 (in quarter 1), ")
        );
        assert!(!under(q, None, "2020-07").unwrap_err().contains("2020Q7"));
        // March is in the first quarter; "2020-03" may also number the third.
        let e = under(q, None, "2020-03").unwrap_err();
        assert!(
            e.contains("write the quarter as 2020Q3 or 2020年三季度 if it numbers quarter 3, 2020Q1 or 2020年一季度 if it is the month 2020-03 (in quarter 1), a quarter's first or last day"),
            "{e}"
        );
        assert!(
            under(q, None, "2020-07")
                .unwrap_err()
                .contains("write the quarter as 2020Q3 or 2020年三季度 if it is the month 2020-07 (in quarter 3), ")
        );
        for month in ["2020年3月", "2020M03"] {
            let e = under(q, None, month).unwrap_err();
            assert!(e.contains("write the quarter as 2020Q1 or 2020年一季度 if it is the month 2020-03 (in quarter 1), "), "{e}");
        }
        assert_eq!(under(q, None, "2020Q1").unwrap(), "2020Q1");
        assert_eq!(under(q, None, "2020年二季度").unwrap(), "2020Q2");
        assert_eq!(under(Some(Frequency::Month), None, "2020-1").unwrap(), "2020-01");
        assert!(under(q, None, "2020年3月").unwrap_err().contains("reads as a month (2020-03)"));
        // 截至 a date in a cumulative file: the span through its month, as before.
        let cum = PeriodOptions { cumulative: true, column: y, ..Default::default() };
        assert_eq!(read("截至2021年6月30日", &cum).unwrap().to_string(), "2021-06");
    }

    use super::*;
    fn p(s: &str) -> Result<String, String> {
        read(s, &PeriodOptions::default()).map(|p| p.to_string())
    }
    fn cum(s: &str) -> Result<String, String> {
        read(s, &PeriodOptions { cumulative: true, ..Default::default() }).map(|p| p.to_string())
    }
    #[test]
    fn spellings() {
        for (s, want) in [
            ("1978年", "1978"),
            ("１９７８年", "1978"),
            ("2020年全年", "2020"),
            ("2020年度", "2020"),
            ("2020年3月", "2020-03"),
            ("2020年03月", "2020-03"),
            ("2020年3月份", "2020-03"),
            ("２０２０年３月", "2020-03"),
            ("202003", "2020-03"),
            ("2020/3", "2020-03"),
            ("2020.03", "2020-03"),
            ("2020-03", "2020-03"),
            ("2020Q1", "2020Q1"),
            ("2020-Q2", "2020Q2"),
            ("2019.0", "2019"),
            ("2019.00", "2019"),
            ("2020-02-29", "2020-02"),
            ("2020年4月30日", "2020-04"),
            ("2020 Q3", "2020Q3"),
            ("２０２０Ｑ４", "2020Q4"),
            ("2020年一季度", "2020Q1"),
            ("2020年第一季度", "2020Q1"),
            ("2020年第4季度", "2020Q4"),
            ("2020年1-1月", "2020-01"),
            ("2020年末", "2020"),
            ("2020年底", "2020"),
            ("2020年6月末", "2020-06"),
            ("2020年Q2", "2020Q2"),
            ("2020-03-01", "2020-03"),
            ("2020/3/31", "2020-03"),
            ("2020.03.15", "2020-03"),
            ("2020年3月1日", "2020-03"),
            // A year in Chinese numerals (二〇二〇年, 二○二一年 with a circle for 〇).
            ("二〇二〇年", "2020"),
            ("二〇二〇年3月", "2020-03"),
            ("二○二一年第一季度", "2021Q1"),
            ("二零一九年", "2019"),
            ("二〇二〇年三月", "2020-03"),
            ("2020年十二月", "2020-12"),
            ("2020年十月份", "2020-10"),
        ] {
            assert_eq!(p(s).as_deref(), Ok(want), "{s}");
        }
    }
    #[test]
    fn cumulative() {
        for (s, want) in [
            ("2020年1-3月", "2020-03"),
            ("2020年1-2月", "2020-02"),
            ("2020年1～12月", "2020-12"),
            ("2020年1-3月累计", "2020-03"),
            ("2020年上半年", "2020Q2"),
            ("2020年前三季度", "2020Q3"),
            ("2020年前3季度", "2020Q3"),
            ("2020年前两季度", "2020Q2"),
            ("2020年1-3季度", "2020Q3"),
            ("2020年3月", "2020-03"),
        ] {
            assert_eq!(cum(s).as_deref(), Ok(want), "{s}");
        }
        let e = p("2020年1-3月").unwrap_err();
        assert!(e.contains("cumulative = true") && e.contains("cumulative.<indicator> at 2020-03"), "{e}");
        assert!(p("2020年上半年").unwrap_err().contains("cumulative = true"));
        assert!(cum("2020年3-5月").unwrap_err().contains("only spans from the first month"));
        assert!(cum("2020年下半年").unwrap_err().contains("second half-year"));
        // A leading 0 is a slip (0202年 read as the year 202).
        for s in ["0202年", "0202", "0202年3月", "0202-03"] {
            assert!(p(s).unwrap_err().contains("the year 0202 with a leading 0"), "{s}");
        }
        // A span without 月 is a span, whatever separates it from the year: never a date
        // in January.
        // The first month's 月 written too (2020年1月-3月, 2020年1月至3月), and the first
        // quarter's 季度 (2020年一季度至三季度).
        for s in ["2020年1月-3月", "2020年1月至3月", "2020年1月～3月"] {
            assert_eq!(cum(s).as_deref(), Ok("2020-03"), "{s}");
        }
        assert_eq!(cum("2020年一季度至三季度").as_deref(), Ok("2020Q3"));
        assert_eq!(cum("2020年第一季度至第二季度").as_deref(), Ok("2020Q2"));
        for s in ["2025年1-6", "2025.1-6", "2025/1-6", "2025年1至6"] {
            assert_eq!(cum(s).as_deref(), Ok("2025-06"), "{s}");
            assert!(p(s).unwrap_err().contains("cumulative = true"), "{s}");
        }
        // A quarter alone is no cumulative figure (those are 上半年, 前三季度, 全年).
        assert_eq!(cum("2025年一季度").as_deref(), Ok("2025Q1"));
        for s in ["2025年二季度", "2025年第四季度"] {
            assert!(cum(s).unwrap_err().contains("quarter alone, not a span from January"), "{s}");
        }
        assert_eq!(p("2025年二季度").as_deref(), Ok("2025Q2"));
    }
    #[test]
    fn the_word_leiji_makes_a_single_month_or_quarter_cumulative() {
        // 截至 / 截止 (through March) is the 累计 of 1-3月, under the same rules.
        for s in ["截至2020年3月", "截止2020年3月", "2020年截至3月", "截至2020年3月累计", "截止到2020年3月"] {
            assert_eq!(cum(s).as_deref(), Ok("2020-03"), "{s}");
            assert_eq!(p(s).unwrap_err(), p("2020年3月累计").unwrap_err().replace("2020年3月累计", s), "{s}");
        }
        assert_eq!(cum("截至2020年二季度").as_deref(), Ok("2020Q2"));
        assert_eq!(
            p("截至3月").unwrap_err(),
            "period \"截至3月\" has no year: write it with its year (2020年3月), or give the file's year with `year = 2020` in its \
             [[data.facts]] entry"
        );
        // A two-digit year is said as one, with the year in full to write.
        assert_eq!(p("21年3月").unwrap_err(), "period \"21年3月\" has a two-digit year (21年): write the year in full (2021年3月)");
        assert_eq!(
            p("21年一季度").unwrap_err(),
            "period \"21年一季度\" has a two-digit year (21年): write the year in full (2021年一季度)"
        );
        let e = p("约2020年3月").unwrap_err();
        assert!(e.contains("约2020年3月") && !e.contains("has no year"), "{e}");
        for (s, want) in [
            ("2020年3月累计", "2020-03"),
            ("2020年3月(累计)", "2020-03"),
            ("2020年3月（累计）", "2020-03"),
            ("2021年累计3月", "2021-03"),
            ("累计2021年3月", "2021-03"),
            ("2020年3月 累计数", "2020-03"),
            ("202003累计", "2020-03"),
            ("2020年1月累计", "2020-01"),
            ("2020年二季度累计", "2020Q2"),
            ("2020年一季度（累计）", "2020Q1"),
        ] {
            assert_eq!(cum(s).as_deref(), Ok(want), "{s}");
            let e = p(s).unwrap_err();
            assert!(e.contains("is cumulative (累计") && e.contains("add `cumulative = true`"), "{s}: {e}");
        }
        assert_eq!(
            p("2020年3月累计").unwrap_err(),
            "period \"2020年3月累计\" is cumulative (累计, from the start of 2020 through 2020-03): a different fact from the period's \
             own figure; add `cumulative = true` to this file's [[data.facts]] entry to load it as cumulative.<indicator> at 2020-03"
        );
        // The year's 累计 is the whole year, as 全年 is.
        assert_eq!(p("2020年累计").as_deref(), Ok("2020"));
        let monthly = PeriodOptions { cumulative: true, frequency: Some(Frequency::Month), ..Default::default() };
        assert_eq!(read("2020年累计", &monthly).map(|p| p.to_string()).as_deref(), Ok("2020-12"));
    }
    #[test]
    fn the_whole_year_in_a_cumulative_file_ends_at_the_panels_last_period() {
        let at = |frequency| {
            let o = PeriodOptions { cumulative: true, frequency, ..Default::default() };
            read("2024年全年", &o).map(|p| p.to_string())
        };
        assert_eq!(at(Some(Frequency::Quarter)).as_deref(), Ok("2024Q4"));
        assert_eq!(at(Some(Frequency::Month)).as_deref(), Ok("2024-12"));
        assert_eq!(at(Some(Frequency::Year)).as_deref(), Ok("2024"));
        assert_eq!(
            at(None).unwrap_err(),
            "period \"2024年全年\" is the whole year's 累计: write it as 2024年1-12月 (months) or 2024年1-4季度 (quarters), or set \
             [workspace] frequency so that 全年 says which"
        );
        // Outside a cumulative file it is the year.
        assert_eq!(p("2024年全年").as_deref(), Ok("2024"));
    }
    #[test]
    fn without_year() {
        let y = PeriodOptions { cumulative: true, year: Some(2021), ..Default::default() };
        assert_eq!(read("1-3月", &y).map(|p| p.to_string()).as_deref(), Ok("2021-03"));
        assert_eq!(read("3月", &y).map(|p| p.to_string()).as_deref(), Ok("2021-03"));
        assert_eq!(read("一季度", &y).map(|p| p.to_string()).as_deref(), Ok("2021Q1"));
        assert!(p("1-3月").unwrap_err().contains("`year = 2020`"));
    }
    #[test]
    fn refused() {
        for s in
            ["20201", "2020年13月", "2020年五季度", "abc", "2020Q5", "202013", "", "2020年3日", "2020-03-32", "2020-13-01", "2020年3月0日"]
        {
            assert!(p(s).is_err(), "{s}");
        }
        assert!(p("2020年13月").unwrap_err().contains("months run 1..12"));
        // Days past the month's end are no date (a typo, not the month).
        assert_eq!(p("2020-02-30").unwrap_err(), "period \"2020-02-30\" is no date: 2020-02 has 29 days");
        assert_eq!(p("2021/2/29").unwrap_err(), "period \"2021/2/29\" is no date: 2021-02 has 28 days");
        assert_eq!(p("2021年4月31日").unwrap_err(), "period \"2021年4月31日\" is no date: 2021-04 has 30 days");
        assert_eq!(p("2019.1").as_deref(), Ok("2019-01"));
    }
}
