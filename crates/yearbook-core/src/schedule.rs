//! 时间进度: the share of a year's task expected done by the end of each month or quarter.
//! By default the share of the year elapsed (3月: 25%); offices also set their own
//! schedule (一季度20%, 上半年45%, 前三季度75%, 全年100%).

use crate::period::{Frequency, Period};

/// The expected cumulative share of the annual task at the end of each quarter (4
/// points) or month (12 points), as fractions; None: the share of the year elapsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    points: Option<Vec<f64>>,
}

impl Schedule {
    /// Months (or quarters) elapsed / months (quarters) in the year.
    pub fn elapsed() -> Schedule {
        Schedule { points: None }
    }

    /// A schedule from cumulative percents at the end of each quarter (`[20, 45, 75,
    /// 100]`) or month (12 values). Errors (in words for the config): another count,
    /// a value outside 0..=100, a value below the one before, a last value other than 100.
    pub fn from_percents(p: &[f64]) -> Result<Schedule, String> {
        if p.len() != 4 && p.len() != 12 {
            return Err(format!(
                "schedule gives {} values: give 4 (cumulative percent at the end of each quarter, e.g. [20, 45, 75, 100]) or 12 (each month)",
                p.len()
            ));
        }
        if let Some(x) = p.iter().find(|x| !(0.0..=100.0).contains(*x)) {
            return Err(format!("schedule value {x} is not a percent between 0 and 100"));
        }
        if let Some(w) = p.windows(2).find(|w| w[1] < w[0]) {
            return Err(format!("schedule goes down from {} to {}: the values are cumulative (一季度, 上半年, ...)", w[0], w[1]));
        }
        if p[p.len() - 1] != 100.0 {
            return Err(format!("schedule ends at {}: the whole year is 100", p[p.len() - 1]));
        }
        Ok(Schedule { points: Some(p.iter().map(|x| x / 100.0).collect()) })
    }

    /// The expected share (a fraction) by the end of `period`. Months between the points
    /// of a quarterly schedule are interpolated linearly within their quarter (一季度20%:
    /// 1月 6.67%, 2月 13.33%, 3月 20%); a year is 1.
    pub fn share(&self, period: Period) -> f64 {
        let sub = period.sub() as usize;
        match (period.freq, self.points.as_deref()) {
            (Frequency::Year, _) => 1.0,
            (f, None) => sub as f64 / f.per_year() as f64,
            (Frequency::Quarter, Some(p)) => p[if p.len() == 4 { sub - 1 } else { 3 * sub - 1 }],
            (Frequency::Month, Some(p)) if p.len() == 12 => p[sub - 1],
            (Frequency::Month, Some(p)) if sub.is_multiple_of(3) => p[sub / 3 - 1],
            (Frequency::Month, Some(p)) => {
                let (q, within) = ((sub - 1) / 3, (sub - 1) % 3 + 1);
                let before = if q == 0 { 0.0 } else { p[q - 1] };
                before + (p[q] - before) * within as f64 / 3.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(y: i32, m: i32) -> Period {
        Period { freq: Frequency::Month, ordinal: y * 12 + m - 1 }
    }

    #[test]
    fn elapsed_and_custom_schedules() {
        let e = Schedule::elapsed();
        assert_eq!(e.share(month(2024, 3)), 0.25);
        assert_eq!(e.share(month(2024, 6)), 0.5);
        assert_eq!(e.share(Period { freq: Frequency::Quarter, ordinal: 2024 * 4 + 2 }), 0.75);
        assert_eq!(e.share(Period::year(2024)), 1.0);
        let s = Schedule::from_percents(&[20.0, 45.0, 75.0, 100.0]).unwrap();
        assert_eq!(s.share(month(2024, 3)), 0.2);
        assert!((s.share(month(2024, 2)) - 0.2 * 2.0 / 3.0).abs() < 1e-15);
        assert!((s.share(month(2024, 4)) - (0.2 + 0.25 / 3.0)).abs() < 1e-15);
        assert_eq!(s.share(month(2024, 6)), 0.45);
        assert_eq!(s.share(Period { freq: Frequency::Quarter, ordinal: 2024 * 4 + 1 }), 0.45);
        let m: Vec<f64> = (1..=12).map(|i| i as f64 * 100.0 / 12.0).collect();
        let mut m = m;
        m[11] = 100.0;
        assert_eq!(Schedule::from_percents(&m).unwrap().share(Period { freq: Frequency::Quarter, ordinal: 2024 * 4 }), m[2] / 100.0);
    }

    #[test]
    fn bad_schedules_say_what_to_give() {
        assert!(Schedule::from_percents(&[50.0, 100.0]).unwrap_err().starts_with("schedule gives 2 values: give 4"));
        assert_eq!(
            Schedule::from_percents(&[20.0, 45.0, 40.0, 100.0]).unwrap_err(),
            "schedule goes down from 45 to 40: the values are cumulative (一季度, 上半年, ...)"
        );
        assert_eq!(Schedule::from_percents(&[20.0, 45.0, 75.0, 90.0]).unwrap_err(), "schedule ends at 90: the whole year is 100");
        assert_eq!(
            Schedule::from_percents(&[20.0, 45.0, 75.0, 120.0]).unwrap_err(),
            "schedule value 120 is not a percent between 0 and 100"
        );
    }
}
