//! Periods (2008, 2008Q1, 2008-03) and the contiguous period axis of a panel.

pub mod spelling;

use std::fmt;

/// How often a panel observes: one frequency per panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    /// Annual data (2008).
    Year,
    /// Quarterly data (2008Q1).
    Quarter,
    /// Monthly data (2008-01).
    Month,
}

impl Frequency {
    /// Periods in one year: the offset of a year-on-year comparison.
    pub fn per_year(self) -> i32 {
        match self {
            Frequency::Year => 1,
            Frequency::Quarter => 4,
            Frequency::Month => 12,
        }
    }
    /// The frequency as the config names it (`year`, `quarter`, `month`).
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Year => "year",
            Frequency::Quarter => "quarter",
            Frequency::Month => "month",
        }
    }
    /// The frequency the config names; None for an unknown word.
    pub fn parse(s: &str) -> Option<Frequency> {
        match s {
            "year" | "annual" | "年" => Some(Frequency::Year),
            "quarter" | "季" => Some(Frequency::Quarter),
            "month" | "月" => Some(Frequency::Month),
            _ => None,
        }
    }
}

/// One period: an ordinal counted in periods since year 0 of its frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// Its frequency.
    pub freq: Frequency,
    /// Periods since year 0 in its frequency (year*4+q-1 for quarters, year*12+m-1 for months).
    pub ordinal: i32,
}

impl Period {
    /// The year `y`.
    pub fn year(y: i32) -> Period {
        Period { freq: Frequency::Year, ordinal: y }
    }
    /// The calendar year the period falls in.
    pub fn calendar_year(self) -> i32 {
        self.ordinal.div_euclid(self.freq.per_year())
    }
    /// 1-based quarter or month within the year; 1 for years.
    pub fn sub(self) -> i32 {
        self.ordinal.rem_euclid(self.freq.per_year()) + 1
    }

    /// The period as Chinese prose writes it: 2008年, 2008年第一季度, 2008年3月.
    pub fn chinese(self) -> String {
        const Q: [&str; 4] = ["一", "二", "三", "四"];
        match self.freq {
            Frequency::Year => format!("{}年", self.ordinal),
            Frequency::Quarter => format!("{}年第{}季度", self.calendar_year(), Q[(self.sub() - 1).clamp(0, 3) as usize]),
            Frequency::Month => format!("{}年{}月", self.calendar_year(), self.sub()),
        }
    }

    /// The span from the start of the year to this period, as monthly reports name
    /// cumulative figures: 2025年1-6月 (1月 alone: 2025年1月), 2025年一季度, 2025年上半年,
    /// 2025年前三季度, 2025年 (the fourth quarter and a year: the whole year).
    pub fn chinese_cumulative(self) -> String {
        let y = self.calendar_year();
        match (self.freq, self.sub()) {
            (Frequency::Month, 1) => format!("{y}年1月"),
            (Frequency::Month, m) => format!("{y}年1-{m}月"),
            (Frequency::Quarter, 1) => format!("{y}年一季度"),
            (Frequency::Quarter, 2) => format!("{y}年上半年"),
            (Frequency::Quarter, 3) => format!("{y}年前三季度"),
            _ => format!("{y}年"),
        }
    }

    /// Parses a period as scripts, rules and the CLI may write it: the canonical forms,
    /// and the yearbook spellings of a single period (`1978年`, `2020年3月`, `202003`,
    /// `2020年一季度`; see docs/data-model.md). Cumulative spans (1-3月) are refused.
    pub fn parse(text: &str) -> Result<Period, String> {
        spelling::read(text, &Default::default()).map_err(|e| {
            // A span here has no file to declare cumulative: say what to write instead.
            let as_span = spelling::PeriodOptions { cumulative: true, ..Default::default() };
            match spelling::read(text, &as_span) {
                Ok(end) => format!(
                    "period \"{}\" is a cumulative span (累计, from the start of {} through {end}), not one period: write {end} \
                     for the period, and read the cumulative figure as cumulative.<indicator> (facts loaded with \
                     `cumulative = true`) or ytd(<indicator>) there",
                    text.trim(),
                    end.calendar_year()
                ),
                Err(_) => e,
            }
        })
    }

    /// Parses `2008`, `2008Q1` / `2008q1`, `2008-03` / `2008M03` / `2008-3`.
    pub fn parse_canonical(text: &str) -> Result<Period, String> {
        let s = text.trim();
        let bad = || format!("period \"{s}\" is not a year (2008), quarter (2008Q1) or month (2008-03)");
        let b = s.as_bytes();
        // Fast path: a bare four-digit year.
        if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
            let y = b.iter().fold(0i32, |a, d| a * 10 + (d - b'0') as i32);
            return Ok(Period::year(y));
        }
        if b.len() < 6 || !b[..4].iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let year: i32 = s[..4].parse().map_err(|_| bad())?;
        let rest = &s[4..];
        let (freq, num) = if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            (Frequency::Quarter, q)
        } else if let Some(m) = rest.strip_prefix(['-', 'M', 'm']) {
            (Frequency::Month, m)
        } else {
            return Err(bad());
        };
        let n: i32 = num.parse().map_err(|_| bad())?;
        let max = freq.per_year();
        if !(1..=max).contains(&n) || num.len() > 2 {
            return Err(format!("{}: {} {n} is out of range 1..{max}", bad(), freq.name()));
        }
        Ok(Period { freq, ordinal: year * max + n - 1 })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.freq {
            Frequency::Year => write!(f, "{}", self.ordinal),
            Frequency::Quarter => write!(f, "{}Q{}", self.calendar_year(), self.sub()),
            Frequency::Month => write!(f, "{}-{:02}", self.calendar_year(), self.sub()),
        }
    }
}

/// A contiguous run of periods of one frequency: the columns of every panel matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodAxis {
    /// Its frequency.
    pub freq: Frequency,
    /// The ordinal of the first period.
    pub first: i32,
    /// How many periods.
    pub len: usize,
}

impl PeriodAxis {
    /// The `i`-th period of the axis.
    pub fn get(&self, i: usize) -> Period {
        Period { freq: self.freq, ordinal: self.first + i as i32 }
    }
    /// Index of a period on this axis, if it is on it.
    pub fn index(&self, p: Period) -> Option<usize> {
        if p.freq != self.freq {
            return None;
        }
        let i = p.ordinal - self.first;
        (i >= 0 && (i as usize) < self.len).then_some(i as usize)
    }
    /// The periods in order.
    pub fn iter(&self) -> impl Iterator<Item = Period> + '_ {
        (0..self.len).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses_and_prints() {
        for s in ["2008", "2008Q1", "2008Q4", "2008-03", "2008-12"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Period::parse("2008M3").unwrap().to_string(), "2008-03");
        assert_eq!(Period::parse("2008q2").unwrap().sub(), 2);
        assert!(Period::parse("2008Q5").is_err());
        assert!(Period::parse("08").is_err());
        assert!(Period::parse("2008-13").is_err());
        assert_eq!(Period::parse("2008-03").unwrap().calendar_year(), 2008);
        assert_eq!(Period::parse("2008年3月").unwrap().to_string(), "2008-03");
        assert!(Period::parse_canonical("2008年").is_err());
    }
}
