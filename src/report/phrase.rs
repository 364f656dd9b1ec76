//! How Chinese work reports print figures: magnitudes (7.75亿元, 6500万元, 9950元),
//! growth phrased by its sign (同比增长18.14% / 同比下降3.2% / 与上年持平), target
//! completion (完成县下达任务149% / 超额完成 / 未完成) and percentage points (百分点).

use crate::format;
use crate::unit::Unit;

/// Decimals: up to `max` (trailing zeros cut), as the source texts print them.
pub fn decimals(x: f64, max: usize) -> String {
    if !x.is_finite() {
        return format::MISSING.into();
    }
    let s = format!("{x:.max$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" { "0".into() } else { s }
}

/// A value in a report's magnitude: money and people move up to 万 or 亿 when the value
/// reaches one of them (77500万元 -> 7.75亿元; 6500万元 stays; 9950元 stays). Never down:
/// 0.9亿美元 stays as the source wrote it.
pub fn magnitude(x: f64, unit: &Unit, max_decimals: usize) -> String {
    if !x.is_finite() {
        return format::MISSING.into();
    }
    let sym = unit.symbol.as_ref();
    let base = ["元", "美元", "人", "户", "人次", "欧元"]
        .iter()
        .find(|b| sym == **b || sym == format!("万{b}") || sym == format!("亿{b}") || sym == format!("千{b}"));
    let Some(b) = base else {
        return format!("{}{sym}", decimals(x, max_decimals));
    };
    let raw = x * unit.scale / Unit::parse(b).scale;
    let given = unit.scale / Unit::parse(b).scale;
    let (v, prefix) = if raw.abs() >= 1e8 && *b != "人" && *b != "户" && given <= 1e8 {
        (raw / 1e8, "亿")
    } else if raw.abs() >= 1e4 && given <= 1e4 && *b != "人" && *b != "户" {
        (raw / 1e4, "万")
    } else {
        (x, unit.symbol.strip_suffix(*b).unwrap_or(""))
    };
    format!("{}{prefix}{b}", decimals(v, max_decimals))
}

/// A signed change in words: `up(shown)` / `down(shown)` / `flat`, judged on the value
/// as printed (0.001 with 2 decimals is flat).
fn signed(x: f64, max_decimals: usize, unknown: &str, flat: &str, up: impl Fn(&str) -> String, down: impl Fn(&str) -> String) -> String {
    if !x.is_finite() {
        return unknown.into();
    }
    let shown = decimals(x.abs(), max_decimals);
    if shown == "0" {
        flat.into()
    } else if x > 0.0 {
        up(&shown)
    } else {
        down(&shown)
    }
}

/// 同比增长18.14% / 同比下降3.2% / 与上年持平, from a growth in percent.
pub fn growth(pct: f64, max_decimals: usize) -> String {
    signed(pct, max_decimals, "增速不详", "与上年持平", |s| format!("同比增长{s}%"), |s| format!("同比下降{s}%"))
}

/// 完成县下达任务149% / 超额完成县下达任务 / 未完成县下达任务, from completion in percent.
pub fn completion(pct: Option<f64>, who: &str, exceeded: bool) -> String {
    match pct {
        Some(p) if p.is_finite() => {
            if p >= 100.0 {
                format!("完成{who}下达任务{}%", decimals(p, 1))
            } else {
                format!("完成{who}下达任务{}%,未完成任务", decimals(p, 1))
            }
        }
        _ if exceeded => format!("超额完成{who}下达任务"),
        _ => format!("未完成{who}下达任务"),
    }
}

/// A change of a percentage, in points: 提高1.2个百分点 / 下降0.5个百分点 / 持平.
pub fn points(change: f64) -> String {
    signed(change, 2, "变化不详", "持平", |s| format!("提高{s}个百分点"), |s| format!("下降{s}个百分点"))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn chinese_report_forms() {
        assert_eq!(magnitude(7.75, &Unit::parse("亿元"), 2), "7.75亿元");
        assert_eq!(magnitude(6500.0, &Unit::parse("万元"), 2), "6500万元");
        assert_eq!(magnitude(77500.0, &Unit::parse("万元"), 2), "7.75亿元");
        assert_eq!(magnitude(1641.0, &Unit::parse("万美元"), 2), "1641万美元");
        assert_eq!(magnitude(9950.0, &Unit::parse("元"), 2), "9950元");
        assert_eq!(magnitude(0.9, &Unit::parse("亿美元"), 2), "0.9亿美元");
        assert_eq!(magnitude(24525.0, &Unit::parse("人"), 2), "24525人");
        assert_eq!(magnitude(2564.0, &Unit::parse("人"), 2), "2564人");
        assert_eq!(magnitude(371.03, &Unit::parse("亩"), 2), "371.03亩");
        assert_eq!(magnitude(30.5, &Unit::parse("%"), 2), "30.5%");
        assert_eq!(growth(18.14, 2), "同比增长18.14%");
        assert_eq!(growth(-3.2, 2), "同比下降3.2%");
        assert_eq!(growth(0.001, 2), "与上年持平");
        assert_eq!(growth(28.2, 2), "同比增长28.2%");
        assert_eq!(completion(Some(149.0), "县", false), "完成县下达任务149%");
        assert_eq!(completion(None, "县", true), "超额完成县下达任务");
        assert_eq!(completion(Some(92.5), "县", false), "完成县下达任务92.5%,未完成任务");
        assert_eq!(points(1.2), "提高1.2个百分点");
        assert_eq!(points(-0.5), "下降0.5个百分点");
    }
}
