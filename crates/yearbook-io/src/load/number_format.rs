//! What an Excel number format does to the number a cell stores: shows it as a percent,
//! scaled by thousands or by a literal point, zero-padded, with a unit written beside it,
//! or a date as its year or month (ECMA-376 Part 1, 18.8.31). The .xlsx, .xls and .ods
//! readers all read cells through these (an .ods style is first written as such a code).

/// How a number format shows a number stored otherwise ([`shown_as`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Shown {
    /// Zero-padded to this many digits (`000`, `000000000000`).
    pub(super) pad: Option<usize>,
    /// Divided by 1000 this many times (each `,` after the last digit: `#,##0,`).
    pub(super) thousands: i32,
    /// Divided by 10 this many times: digit placeholders after a literal point
    /// (`0!.0000` shows 775000000 as 77500.0000).
    pub(super) point: i32,
    /// Literal text that names a magnitude (`"万"`, `"百万"`) beside a scaled figure: the
    /// figure shown is in a unit the format, not the file, gives.
    pub(super) magnitude: bool,
    /// A negative number's scale where the format's second section scales otherwise than
    /// its first (`#,##0,;-#,##0` shows 123456 as 123 and -500000 as -500,000): the
    /// thousands and literal point of that section.
    pub(super) negative: Option<(i32, i32)>,
    /// Whether a negative number is shown as a percent, where the format's second section
    /// does so and its first does not, or the reverse (`0.0;-0.0%` shows -0.05 as -5.0%
    /// and 0.05 as 0.1): a percent cell is read as shown by its own section (review35 06).
    pub(super) percent_negative: Option<bool>,
    /// Sections picked by conditions (`[>=1000]#,##0,;0`) that scale differently: which
    /// one shows a value is the condition's, not read here; such a cell is refused.
    pub(super) conditions_differ: bool,
    /// What a date cell shows of its date.
    pub(super) date: DateShown,
}

/// What a date format shows of a date: its year only (`yyyy"年"`), its year and month
/// (`yyyy"年"m"月"`, `mmm-yy`), or more (a day or a time; also any other format).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) enum DateShown {
    Year,
    Month,
    #[default]
    Day,
}

/// What a date format shows of a date ([`DateShown`]): the tokens of its first section
/// outside quotes, brackets and escapes. `m` is a month unless a time is shown (then it
/// may be minutes, and the day is read whole). The locale's built-in formats have no code
/// in the file, only an id: those of Simplified Chinese Excel that show 2021年1月 (27, 36,
/// 50, 52, 57; ECMA-376 Part 1, 18.8.30) are months.
pub(super) fn date_shown(code: &str, id: Option<u32>) -> DateShown {
    if code == "General" {
        return match id {
            Some(27 | 36 | 50 | 52 | 57) => DateShown::Month,
            _ => DateShown::Day,
        };
    }
    let (mut year, mut month, mut other) = (false, false, false);
    for ch in format_tokens(code) {
        match ch {
            'y' | 'Y' | 'e' => year = true,
            'm' | 'M' => month = true,
            'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'a' | 'A' | '0' | '#' | '?' => other = true,
            _ => {}
        }
    }
    match (year, month, other) {
        (true, false, false) => DateShown::Year,
        (true, true, false) => DateShown::Month,
        _ => DateShown::Day,
    }
}

/// What a number format's first section does to a number: zero padding when it is only
/// zeros (two or more), thousands scaling for each comma after its last digit
/// placeholder (outside quotes and escapes; `#,##0` groups and does not scale).
pub(super) fn shown_as(code: &str) -> Shown {
    let first = first_section(code);
    if first.len() >= 2 && first.bytes().all(|b| b == b'0') {
        return Shown { pad: Some(first.len()), ..Shown::default() };
    }
    let commas = thousands_of(code);
    let (point, word, _) = literal_scaling(code);
    // The sections that show numbers (positive, negative, and with conditions the third;
    // not the zero section, whose 0 shows alike at any scale, nor text's `@`), each
    // scaled as it is written: `#,##0,;-#,##0` shows -500000 as -500,000 (review33 03).
    let sections = sections(code);
    let conditions = code.contains("[>") || code.contains("[<") || code.contains("[=");
    let number =
        |sec: &str| sec.contains("General") || sec.contains("G/通用格式") || format_tokens(sec).any(|ch| matches!(ch, '0' | '#' | '?'));
    let scale = |sec: &str| (thousands_of(sec), literal_scaling(sec).0);
    // A percent scales by 100 as shown: a section of its own scale.
    let percent = |sec: &str| format_tokens(sec).any(|ch| ch == '%');
    let (mut negative, mut conditions_differ, mut percent_negative) = (None, false, None);
    if conditions {
        let scales: Vec<(i32, i32, bool)> =
            sections.iter().take(3).filter(|sec| number(sec)).map(|sec| (scale(sec).0, scale(sec).1, percent(sec))).collect();
        conditions_differ = scales.windows(2).any(|w| w[0] != w[1]);
    } else if let Some(second) = sections.get(1).filter(|sec| number(sec)) {
        negative = Some(scale(second)).filter(|&sc| sc != (commas, point));
        percent_negative = Some(percent(second)).filter(|&p| p != percent(sections[0]));
    }
    // A word beside a figure shown as stored (`0.00"万元"`) only labels it.
    Shown {
        thousands: commas,
        point,
        magnitude: word && (commas > 0 || point > 0),
        negative,
        percent_negative,
        conditions_differ,
        ..Shown::default()
    }
}

/// Each comma after the last digit placeholder of a format's first section divides by
/// 1000 (`#,##0,` one, `0.0,,` two; `#,##0` groups and does not scale).
fn thousands_of(code: &str) -> i32 {
    let (mut seen_digit, mut commas) = (false, 0);
    for ch in format_tokens(code) {
        match ch {
            '0' | '#' | '?' => {
                seen_digit = true;
                commas = 0;
            }
            ',' if seen_digit => commas += 1,
            '.' | 'E' | 'e' => commas = 0,
            _ => {}
        }
    }
    commas
}

/// A number format's sections, split at each `;` outside quotes, brackets and escapes.
fn sections(code: &str) -> Vec<&str> {
    let mut state = Scan::default();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, ch) in code.char_indices() {
        if state.token(ch) == Some(';') {
            out.push(&code[start..i]);
            start = i + 1;
        }
    }
    out.push(&code[start..]);
    out
}

/// The digit placeholders after a literal point (`0!.0000`, `0\.0`, `0"."0`: the
/// office way to show 元 as 万 or 亿) when the format has no decimal point of its own,
/// and whether its literal text names a magnitude (十, 百, 千, 万, 亿: `"万"`, `"百万元"`).
fn literal_scaling(code: &str) -> (i32, bool, String) {
    let first = first_section(code);
    let mut chars = first.chars();
    let (mut seen_digit, mut real_point, mut literal_point, mut after) = (false, false, false, 0i32);
    let (mut quoted, mut bracket) = (false, false);
    let mut literal = String::new();
    let mut lit = |c: char, seen_digit: bool, literal_point: &mut bool| {
        literal.push(c);
        if c == '.' && seen_digit {
            *literal_point = true;
        }
    };
    while let Some(ch) = chars.next() {
        if quoted {
            if ch == '"' {
                quoted = false;
            } else {
                lit(ch, seen_digit, &mut literal_point);
            }
            continue;
        }
        if bracket {
            bracket = ch != ']';
            continue;
        }
        match ch {
            '"' => quoted = true,
            '[' => bracket = true,
            '\\' | '!' => {
                if let Some(c) = chars.next() {
                    lit(c, seen_digit, &mut literal_point);
                }
            }
            '_' | '*' => {
                chars.next();
            }
            '0' | '#' | '?' => {
                seen_digit = true;
                if literal_point {
                    after += 1;
                }
            }
            '.' => real_point = true,
            _ => {}
        }
    }
    let magnitude = literal.chars().any(|c| matches!(c, '十' | '百' | '千' | '万' | '亿'));
    (if real_point { 0 } else { after }, magnitude, literal)
}

/// The unit a number format writes beside the figure it shows as stored (`0.00"亿元"`,
/// `#,##0"万元"`, `0.0"万人"`, `0"万"`): a unit yearbook knows or a magnitude word alone.
/// None for other words (`"约"0`, `0"以上"`) and for formats without literal text.
pub(super) fn format_unit(code: &str) -> Option<String> {
    let (_, _, quoted) = literal_scaling(code);
    // Text written without quotes (0.00亿元) is literal too.
    let bare: String = format_tokens(code).filter(|c| !c.is_ascii()).collect();
    let mut text = super::header::normalize_unit(format!("{quoted}{bare}").trim());
    // Words beside a unit that are no part of it (约, 以上, 左右; a currency sign).
    for w in ["约", "以上", "以下", "左右", "上下", "多", "余", "￥", "¥", "$", "人民币"] {
        text = text.replace(w, "");
    }
    let magnitude = super::header::MAGNITUDES.contains(&text.as_str());
    let known = !text.is_empty() && yearbook_core::unit::Unit::parse(&text).is_known();
    // Any other text naming a magnitude or 元/人/吨 is a unit yearbook does not read
    // (亿元/年): named so it is refused.
    let unit_like = text.contains(['十', '百', '千', '万', '亿', '元', '人', '吨']);
    (magnitude || known || unit_like).then_some(text)
}

/// Whether an Excel number format shows a percent (`0%`, `0.00%`, `#,##0.0%`): a `%`
/// among its first section's tokens ([`format_tokens`]).
pub(super) fn is_percent_format(code: &str) -> bool {
    format_tokens(code).any(|c| c == '%')
}

/// The first section of a number format (up to its first `;` that is not quoted or
/// escaped): what a positive number or a date is shown with.
fn first_section(code: &str) -> &str {
    let mut state = Scan::default();
    let end = code.char_indices().find(|&(_, ch)| state.token(ch) == Some(';')).map_or(code.len(), |(i, _)| i);
    &code[..end]
}

/// The characters of a number format's first section that are its own codes: not inside
/// quotes (`"年"`) or brackets (`[Red]`, `[$-804]`), and not what `\` (a literal), `_` (a
/// space as wide as a character) or `*` (a fill) take (ECMA-376 Part 1, 18.8.31). One
/// reading serves the date, scaling, padding and percent questions alike.
fn format_tokens(code: &str) -> impl Iterator<Item = char> + '_ {
    let mut state = Scan::default();
    code.chars().filter_map(move |ch| state.token(ch)).take_while(|&ch| ch != ';')
}

/// Where a reading of a number format is: inside quotes, brackets, or after an escape.
#[derive(Default)]
struct Scan {
    quoted: bool,
    bracket: bool,
    escaped: bool,
}

impl Scan {
    /// `ch` if it is a code of the format, None if it is literal text or markup.
    fn token(&mut self, ch: char) -> Option<char> {
        match ch {
            _ if self.escaped => self.escaped = false,
            '"' if !self.bracket => self.quoted = !self.quoted,
            _ if self.quoted => {}
            '\\' | '!' | '_' | '*' if !self.bracket => self.escaped = true,
            '[' => self.bracket = true,
            ']' if self.bracket => self.bracket = false,
            _ if self.bracket => {}
            _ => return Some(ch),
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{DateShown, Shown, date_shown, shown_as};

    #[test]
    fn formats_that_show_a_number_otherwise_than_stored() {
        let (pad, thousands) = (|w| Shown { pad: Some(w), ..Shown::default() }, |k| Shown { thousands: k, ..Shown::default() });
        assert_eq!(shown_as("000"), pad(3));
        assert_eq!(shown_as("000000000000"), pad(12));
        assert_eq!(shown_as("#,##0,"), thousands(1));
        assert_eq!(shown_as("0.0,,"), thousands(2));
        assert_eq!(shown_as("#,##0,;[Red]-#,##0,"), thousands(1));
        // Sections that scale differently (review33 03); the zero and text sections do not count.
        assert_eq!(shown_as("#,##0,;-#,##0").negative, Some((0, 0)));
        assert_eq!(shown_as("#,##0;-#,##0,").negative, Some((1, 0)));
        assert_eq!(shown_as("0.0;-0.0%").percent_negative, Some(true));
        assert_eq!(shown_as("0.0%;-0.0").percent_negative, Some(false));
        assert_eq!(shown_as("0.0%;[Red]-0.0%").percent_negative, None);
        assert!(shown_as("[<0]0.0%;0.0").conditions_differ);
        assert_eq!(shown_as("#,##0,;-General").negative, Some((0, 0)));
        assert!(shown_as("[>=1000]#,##0,;0").conditions_differ);
        assert!(shown_as("[>=1000]#,##0,;General").conditions_differ);
        assert!(shown_as("[>=1000000]0.0,,\"M\";[>=1000]0.0,\"K\";0").conditions_differ);
        assert_eq!(shown_as("#,##0,;-#,##0,;0;@").negative, None);
        assert_eq!(shown_as("#,##0,;-#,##0,;\"-\"").negative, None);
        assert_eq!(shown_as("0.00;-0.00").negative, None);
        assert!(!shown_as("[>=1000]#,##0,;#,##0,").conditions_differ);
        // An accounting format's space (`_)`) and fill (`* `) take a character each.
        assert_eq!(shown_as("_(* #,##0,_)"), thousands(1));
        assert_eq!(shown_as("\"千元;\"#,##0,"), Shown { thousands: 1, magnitude: true, ..Shown::default() });
        // A literal point shows 元 as 万 (`0!.0000`: 775000000 as 77500.0000); with a
        // magnitude word the figure's unit is the format's.
        let shown = |t, p, m| Shown { thousands: t, point: p, magnitude: m, ..Shown::default() };
        assert_eq!(shown_as("0!.0000"), shown(0, 4, false));
        assert_eq!(shown_as("0!.0000\"万\""), shown(0, 4, true));
        assert_eq!(shown_as("0\\.0,\"万\""), shown(1, 1, true));
        assert_eq!(shown_as("0\".\"00"), shown(0, 2, false));
        assert_eq!(shown_as("0.00,,\"百万\""), shown(2, 0, true));
        assert_eq!(shown_as("0.00\"万元\""), shown(0, 0, false));
        assert_eq!(shown_as("0!.0000.00"), shown(0, 0, false));
        for plain in ["0", "General", "#,##0", "#,##0.00", "0.00", "\"千元\"#,##0", "0\\,", "[$-804]#,##0", "yyyy-mm-dd", "0_,", "\"00\"0"]
        {
            assert_eq!(shown_as(plain), Shown::default(), "{plain}");
        }
    }

    #[test]
    fn what_a_date_format_shows() {
        for (code, id, want) in [
            ("yyyy\"年\"", None, DateShown::Year),
            ("yyyy", None, DateShown::Year),
            ("[$-804]yyyy\"年\";@", None, DateShown::Year),
            ("yyyy\"年\"m\"月\"", None, DateShown::Month),
            ("yyyy-mm", None, DateShown::Month),
            ("mmm-yy", Some(17), DateShown::Month),
            ("yyyy\\年m\\月", None, DateShown::Month),
            ("yyyy\"年\"m\"月\"d\"日\"", None, DateShown::Day),
            ("yyyy-mm-dd", None, DateShown::Day),
            ("mm-dd-yy", Some(14), DateShown::Day),
            ("yyyy-mm h:mm", None, DateShown::Day),
            ("m\"月\"d\"日\"", None, DateShown::Day),
            ("General", Some(57), DateShown::Month),
            ("General", Some(27), DateShown::Month),
            ("General", Some(31), DateShown::Day),
            ("General", None, DateShown::Day),
            ("0.00", Some(2), DateShown::Day),
            // A `;` in quotes ends no section; what `_` and `*` take is no code.
            ("\"年;\"yyyy", None, DateShown::Year),
            ("yyyy_m", None, DateShown::Year),
            ("yyyy*d", None, DateShown::Year),
            ("yyyy;m", None, DateShown::Year),
        ] {
            assert_eq!(date_shown(code, id), want, "{code} {id:?}");
        }
    }

    #[test]
    fn percent_formats() {
        for f in ["0%", "0.00%", "#,##0.0%", "0.0%;[Red]-0.0%"] {
            assert!(super::is_percent_format(f), "{f}");
        }
        assert!(super::is_percent_format("\"增长;\"0.0%"));
        for f in ["General", "0.00", "\"%\"0", "0\\%", "0;0%", "yyyy-mm-dd", "0_%", "0*%", "[$%-804]0"] {
            assert!(!super::is_percent_format(f), "{f}");
        }
    }
}
