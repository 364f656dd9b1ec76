//! How Chinese work reports print figures: magnitudes (7.75亿元, 6500万元, 9950元),
//! growth phrased by its sign (同比增长18.14% / 同比下降3.2% / 与上年持平), target
//! completion (完成县下达任务149% / 超额完成 / 未完成) and percentage points (百分点).

use yearbook_core::format;
use yearbook_core::unit::Unit;

/// Decimals: up to `max` (trailing zeros cut), as the source texts print them; rounded
/// 四舍五入 on the decimal value (2.675 -> 2.68).
pub fn decimals(x: f64, max: usize) -> String {
    format::round_trim(x, max)
}

/// A value in a report's magnitude. Money moves up to 万 or 亿 when the value reaches one
/// of them (77500万元 -> 7.75亿元; 6500万元 stays; 9950元 stays), never down: 0.9亿美元
/// stays as the source wrote it. Counts and quantities (人, 户, 亩, 平方米, 吨, 千瓦时) move
/// up from 10万 (123456人 -> 12.35万人; 24525人 stays) and from 1亿; rates (%), compound
/// units (元/平方米) and other prefixes print as they are.
pub fn magnitude(x: f64, unit: &Unit, max_decimals: usize) -> String {
    if !x.is_finite() {
        return format::MISSING.into();
    }
    let sym = unit.symbol.as_ref();
    let money =
        ["元", "美元", "欧元"].iter().find(|b| sym == **b || sym == format!("万{b}") || sym == format!("亿{b}") || sym == format!("千{b}"));
    let Some(b) = money else {
        return quantity(x, unit, max_decimals);
    };
    let raw = x * unit.scale / Unit::parse(b).scale;
    let given = unit.scale / Unit::parse(b).scale;
    // Judged on the value as printed: 9999.995万元 with 2 decimals prints 10000.00, so it
    // is 1亿元, not 10000万元.
    // `scale` below the next magnitude, as printed there, reaches 10000 of it.
    let reaches = |scale: f64| format::round_decimal(raw / scale, max_decimals as i32).abs() >= 1e4;
    let (v, prefix) = if reaches(1e4) && given <= 1e8 {
        (raw / 1e8, "亿")
    } else if reaches(1.0) && given <= 1e4 {
        (raw / 1e4, "万")
    } else {
        (x, unit.symbol.strip_suffix(*b).unwrap_or(""))
    };
    // A figure that would print as 0 in the magnitude it is kept in (a town's loss of
    // 0.004亿元 with 2 decimals) is put in the unit itself and magnitude's rule applied
    // there: -40万元, never 0亿元; at the unit itself it takes the digits it needs.
    if format::hides_nonzero(v, max_decimals) && given > 1.0 {
        return magnitude(raw, &Unit::parse(b), max_decimals);
    }
    format!("{}{prefix}{b}", format::round_trim_nonzero(v, max_decimals))
}

/// A count or physical quantity in a sentence, as statistical bulletins print it: below
/// 10万 the digits (24525人), from 10万 up in 万 (12.35万人), from 1亿 up in 亿 (2.5亿人);
/// 万 and 亿 units move up to 亿, never down.
fn quantity(x: f64, unit: &Unit, d: usize) -> String {
    let sym = unit.symbol.as_ref();
    // An index prints as its number: 地区生产总值指数108.
    if unit.is_index() {
        return format::round_trim_nonzero(x, d);
    }
    // A percent is never printed as 100% when it is not (99.96% of a target).
    let d = if sym == "%" { format::decimals_off_mark(x, d, 100.0) } else { d };
    let plain = || format!("{}{sym}", format::round_trim_nonzero(x, d));
    if unit.is_dimensionless() || sym.is_empty() || sym.contains(['/', '·']) {
        return plain();
    }
    let (given, base) = match unit.prefix() {
        None => (1.0, sym),
        Some(("万", rest)) => (1e4, rest),
        Some(("亿", rest)) => (1e8, rest),
        Some(_) => return plain(),
    };
    let raw = x * given;
    // Judged on the value as printed, as money is: 99999.996人 prints 100000.00, so it
    // is 10万人; 9999.996万人 prints 10000.00万, so 1亿人; 99999999人 with 0 decimals
    // rounds to 10000万: that is 1亿.
    let printed = |scale: f64| format::round_decimal(raw / scale, d as i32).abs();
    if given < 1e8 && printed(1e4) >= 1e4 {
        return format!("{}亿{base}", decimals(raw / 1e8, d));
    }
    if given < 1e4 && printed(1.0) >= 1e5 {
        return format!("{}万{base}", decimals(raw / 1e4, d));
    }
    // 0.004万吨 is 40吨, never 0万吨: the rule applied to the figure in the unit itself.
    if given > 1.0 && format::hides_nonzero(x, d) {
        return quantity(raw, &Unit::parse(base), d);
    }
    plain()
}

/// A signed change in words: `up(shown)` / `down(shown)` / `flat`. A change smaller than
/// `max_decimals` show gets the decimals that show it (0.001 with 2 decimals is `up("0.001")`);
/// only one still 0 at six more decimals (binary noise) is `flat`.
fn signed(x: f64, max_decimals: usize, unknown: &str, flat: &str, up: impl Fn(&str) -> String, down: impl Fn(&str) -> String) -> String {
    if !x.is_finite() {
        return unknown.into();
    }
    // A change smaller than the decimals show is still one (-0.004% is 下降0.004%, never
    // 持平), as a pacing is ([`pace`]); binary noise is none.
    let shown = decimals(x.abs(), format::decimals_off_mark(x, max_decimals, 0.0));
    if shown == "0" {
        flat.into()
    } else if x > 0.0 {
        up(&shown)
    } else {
        down(&shown)
    }
}

/// Said where a figure is missing: never phrased as an outcome (未完成, 增速不详).
pub const NO_DATA: &str = "暂无数据";

/// Why a value is missing though what it is made of is there, in words a report says
/// instead of [`NO_DATA`].
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    /// What left it missing (which phrasing it answers: a growth, a completion).
    pub kind: WhyKind,
    /// The words: 扭亏为盈, 由零增至50万元; 目标为负（减亏目标），不计算完成率.
    pub words: String,
}

pub use yearbook_core::series::WhyMissing as WhyKind;

/// The words for a value missing for `kind`: a year-on-year growth over base `b` of zero
/// or below said as the change from `b` to `x` ([`change`]: 扭亏为盈, 由零增至50万元,
/// 减亏60万元); a completion of a target below zero, 目标为负（减亏目标），不计算完成率.
pub fn why(kind: WhyKind, x: f64, b: f64, unit: &Unit, label: &str, year_before: &'static str) -> Why {
    let words = match kind {
        WhyKind::Base => change(
            &Change {
                value: Some(x),
                previous: Some(b),
                reported_pct: None,
                unit,
                label,
                scope_change: None,
                unitless_rate: Unitless::No,
                year_before,
            },
            2,
        ),
        WhyKind::NegativeTarget => "目标为负（减亏目标），不计算完成率".to_string(),
        WhyKind::Scope => SCOPE_CHANGED.to_string(),
    };
    Why { kind, words }
}

/// Said of a change between two totals over different regions (a town that joins a county
/// of its towns) where no comparable (同口径) basis was taken.
pub const SCOPE_CHANGED: &str = "统计范围变化，与上年不可比";

/// A figure that is not there, in a table cell.
pub const NO_FIGURE: &str = "—";

/// 增长5% / 下降3.2% / 持平: a growth over another stretch than a year (环比 of months,
/// over two years, a two-year average), whose words name no span; the template says
/// which (环比{h:growth}, 比2023年同期{c:growth}). 暂无数据 when missing.
pub fn growth_unspanned(pct: f64, max_decimals: usize) -> String {
    signed(pct_read(pct), max_decimals, NO_DATA, "持平", |s| format!("增长{s}%"), |s| format!("下降{s}%"))
}

/// A growth in percent read to 9 decimals before it is rounded for words: `b / a - 1`
/// leaves binary noise of about 1e-14 points, which decided a digit at exactly half
/// (200 -> 200.01 is +0.005%, computed 0.00499999999998835: said 与上年持平, where
/// 200 -> 199.99 said 同比下降0.01%). No statistic is given to 9 decimals of a percent.
fn pct_read(pct: f64) -> f64 {
    if pct.is_finite() && pct.abs() < 1e6 { (pct * 1e9).round() / 1e9 } else { pct }
}

/// 同比增长18.14% / 同比下降3.2% / 与上年持平, from a growth in percent; 暂无数据 when
/// missing.
pub fn growth(pct: f64, max_decimals: usize) -> String {
    growth_since(pct, max_decimals, YEAR_BEFORE)
}

/// The period a year earlier as a sentence names it: 上年 on a panel of years, 上年同期 on
/// one of months or quarters, whose year-on-year base is the same months of the year
/// before (2024年1-3月 for 2025年1-3月), never the year 2024 as a whole.
pub fn year_before(freq: yearbook_core::period::Frequency) -> &'static str {
    if freq == yearbook_core::period::Frequency::Year { YEAR_BEFORE } else { SAME_PERIOD }
}

/// The period a growth's base is, for words that name it (由负转正（上月-2亿元）): a year
/// earlier ([`year_before`]) where `periods_back` is 0 or a year's periods; the month or
/// quarter before (上月, 上季度) where 1; else 上期.
pub fn before(freq: yearbook_core::period::Frequency, periods_back: u32) -> &'static str {
    use yearbook_core::period::Frequency;
    match (freq, periods_back) {
        (_, 0) => year_before(freq),
        (f, k) if i64::from(k) == i64::from(f.per_year()) => year_before(freq),
        (Frequency::Month, 1) => "上月",
        (Frequency::Quarter, 1) => "上季度",
        _ => "上期",
    }
}

/// The period a year earlier on a panel of years.
pub const YEAR_BEFORE: &str = "上年";
/// The period a year earlier on a panel of months or quarters.
pub const SAME_PERIOD: &str = "上年同期";

/// [`growth`] over the period `year_before` names ([`year_before`]): 与上年同期持平 where
/// the growth is 0 on a monthly panel.
pub fn growth_since(pct: f64, max_decimals: usize, year_before: &str) -> String {
    signed(pct_read(pct), max_decimals, NO_DATA, &format!("与{year_before}持平"), |s| format!("同比增长{s}%"), |s| format!("同比下降{s}%"))
}

/// 完成县下达任务149% / 超额完成县下达任务 / 暂无完成情况数据, from completion in percent;
/// below zero, 县下达任务完成率为负（实际与目标一正一负），不计算完成率 (see [`completion_of`]).
/// `exceeded`: the source says the target was exceeded without a figure. One decimal,
/// more where rounding would print the threshold beside 未完成任务: 99.95% is 99.95%, not
/// 100%; a value that prints 100 even at 10 decimals is float noise of 100 and completed.
pub fn completion(pct: Option<f64>, who: &str, exceeded: bool) -> String {
    completion_of(pct, None, who, exceeded)
}

/// [`completion`] where the actual figure may be known: a completion percentage and an
/// actual of opposite signs, or a negative actual with a percentage above zero, are over
/// a target below zero (a loss limit, 减亏目标: actual / (pct / 100)), which has no
/// completion percentage (docs/rules.md): 完成县下达任务（目标为负，不计算完成率） where
/// the actual is at or above it (a loss of 50 within a limit of 100, a profit against
/// it), 未完成… where it is below. A percentage below zero without the actual says no
/// more than that one of the two is below zero, never that the task was not completed.
pub fn completion_of(pct: Option<f64>, actual: Option<f64>, who: &str, exceeded: bool) -> String {
    completion_at(pct, actual, who, exceeded, &Stage::YEAR_END)
}

/// Where in the year a completion is said, and to how many decimals.
pub struct Stage {
    /// The period is before the year's end (a 1-6月 cumulative against the year's
    /// target): below 100% the task is not yet 未完成; the pacing says whether it is on
    /// time.
    pub mid_year: bool,
    /// Decimals of the percentage (one; more in a failing finding, as `{c:1}` prints it).
    pub decimals: usize,
}

impl Stage {
    /// The year's end, one decimal.
    pub const YEAR_END: Stage = Stage { mid_year: false, decimals: 1 };

    /// The stage of `period` (2025-06 is mid-year on a monthly panel; a year, 12月 and
    /// 四季度 are the end), with `decimals`.
    pub fn of(period: &str, decimals: usize) -> Stage {
        let mid_year = yearbook_core::period::Period::parse(period).is_ok_and(|p| p.sub() < p.freq.per_year());
        Stage { mid_year, decimals }
    }
}

/// [`completion_of`] at a `stage` of the year.
pub fn completion_at(pct: Option<f64>, actual: Option<f64>, who: &str, exceeded: bool, stage: &Stage) -> String {
    let actual = actual.filter(|a| a.is_finite() && *a != 0.0);
    if let (Some(p), Some(a)) = (pct.filter(|p| p.is_finite() && *p != 0.0), actual) {
        let target = a / (p / 100.0);
        if target < 0.0 {
            let met = if a >= target { "完成" } else { "未完成" };
            return format!("{met}{who}下达任务（目标为负，不计算完成率）");
        }
    }
    match pct {
        // A figure below zero (a loss against a profit target) completes nothing: 完成
        // 县下达任务-200% says no share of the task.
        Some(p) if p < 0.0 && actual.is_some() => format!("未完成{who}下达任务（实际为负，不计算完成率）"),
        Some(p) if p < 0.0 => format!("{who}下达任务完成率为负（实际与目标一正一负），不计算完成率"),
        Some(p) if p.is_finite() => match below_hundred_at(p, stage.decimals) {
            Some(shown) if stage.mid_year => format!("完成{who}下达任务{shown}%"),
            Some(shown) => format!("完成{who}下达任务{shown}%，未完成任务"),
            // 100.04% is no 100% either: more than the task, by less than a decimal shows.
            None => format!("完成{who}下达任务{}%", decimals(p, format::decimals_off_mark(p, stage.decimals, 100.0))),
        },
        _ if exceeded => format!("超额完成{who}下达任务"),
        _ => format!("{who}下达任务完成情况{NO_DATA}"),
    }
}

/// A percentage below 100 as printed with one decimal, or more where one would print
/// 100 (99.95 is 99.95, never 100); None for 100 and above, and for a value that prints
/// 100 even at 10 decimals (float noise of 100).
pub fn below_hundred(p: f64) -> Option<String> {
    below_hundred_at(p, 1)
}

/// [`below_hundred`] with at least `d` decimals.
fn below_hundred_at(p: f64, d: usize) -> Option<String> {
    if p.is_nan() || p >= 100.0 {
        return None;
    }
    // 0.004% is no 0% either.
    let d = format::nonzero_decimals(p, d);
    (d..=d.max(10)).map(|d| decimals(p, d)).find(|s| s.parse::<f64>().is_ok_and(|v| v < 100.0))
}

/// A rule's pass rate, `passes` of `evaluated`, in % as the validation appendix prints it:
/// one decimal, more where a failure would otherwise print 100% (1999 of 2000 is 99.95%);
/// — when nothing was evaluated.
pub fn pass_rate(passes: f64, evaluated: f64) -> String {
    if evaluated.is_nan() || evaluated <= 0.0 {
        return NO_FIGURE.into();
    }
    let p = 100.0 * passes / evaluated;
    match below_hundred(p).filter(|_| passes < evaluated) {
        Some(shown) => format!("{shown}%"),
        None => format!("{}%", decimals(p, 1)),
    }
}

/// A change of a percentage, in points: 提高1.2个百分点 / 下降0.5个百分点 / 持平.
pub fn points(change: f64) -> String {
    signed(change, 2, NO_DATA, "持平", |s| format!("提高{s}个百分点"), |s| format!("下降{s}个百分点"))
}

/// A change of a rate in its unit's points: 百分点 for %, 千分点 for ‰ (a birth rate
/// from 8.5‰ to 7.25‰ is 下降1.25个千分点, never 1.25个百分点).
pub fn points_in(change: f64, unit: &Unit) -> String {
    points_to(change, unit, 2)
}

/// [`points_in`] with up to `d` decimals (a change ranked beside another's: 2.504 and
/// 2.496, never 2.5 twice).
pub fn points_to(change: f64, unit: &Unit, d: usize) -> String {
    let w = points_word(unit);
    signed(change, d, NO_DATA, "持平", |s| format!("提高{s}{w}"), |s| format!("下降{s}{w}"))
}

/// 个千分点 for a rate in ‰, else 个百分点.
pub fn points_word(unit: &Unit) -> &'static str {
    if unit.scale == 0.001 { "个千分点" } else { "个百分点" }
}

/// A pacing (completion less the schedule's share, in 百分点) as monthly reports say it:
/// 落后时间进度5.83个百分点, 超前时间进度3.33个百分点, 与时间进度持平 (within rounding).
pub fn pace(points: f64, decimals_max: usize) -> String {
    // Behind or ahead by less than the decimals show is still behind or ahead.
    let shown = decimals(points.abs(), format::decimals_off_mark(points, decimals_max, 0.0));
    if shown.trim_start_matches(['0', '.']).is_empty() {
        "与时间进度持平".to_string()
    } else if points < 0.0 {
        format!("落后时间进度{shown}个百分点")
    } else {
        format!("超前时间进度{shown}个百分点")
    }
}

/// What a fact's flag says of its figure, as a report words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// An estimate (预计, 估计, 初步, 预估, 估算): 3.2（预计）.
    Estimate,
    /// An approximate figure (约, 约数, 近似): 约3.2亿元, 3.2（约）.
    Approximate,
    /// At least the figure (以上): 3.2亿元以上.
    LowerBound,
    /// At most, or nearly, the figure (近, 不足, 以内): 近3.2亿元.
    UpperBound,
}

/// A fact's flag read for the report: its qualifier and its footnote marks (`*`, `#`,
/// `①`). A flag holds words and marks separated by spaces (`approximate *`: the flag
/// column's word and the mark read off the figure), in English as the docs write them or
/// in Chinese as offices do (`约`, `估计`); None: no qualifier (a mark alone, or a word
/// the report has no phrase for).
pub fn flag_words(flag: &str) -> (Option<Qualifier>, String) {
    let mut qualifier = None;
    let mut marks = String::new();
    for word in flag.split_whitespace() {
        let q = match word {
            "estimate" | "estimated" | "预计" | "估计" | "初步" | "预估" | "估算" | "初步核算" => Some(Qualifier::Estimate),
            "approximate" | "approx" | "约" | "约数" | "近似" | "大约" => Some(Qualifier::Approximate),
            "lower_bound" | "以上" | "不少于" | "至少" => Some(Qualifier::LowerBound),
            "upper_bound" | "近" | "不足" | "以内" | "不超过" | "至多" => Some(Qualifier::UpperBound),
            _ => None,
        };
        match q {
            Some(q) => qualifier = qualifier.or(Some(q)),
            None if word.chars().all(|c| matches!(c, '*' | '#' | '＊' | '＃' | '①'..='⑳')) => marks.push_str(word),
            None => {}
        }
    }
    (qualifier, marks)
}

/// A rate or share (%, ‰): its change is said in 百分点 (千分点), never as a growth.
pub fn is_rate(unit: &Unit) -> bool {
    unit.is_dimensionless() && (unit.scale == 0.01 || unit.scale == 0.001)
}

/// A rate or share written without a unit: a plain number that is declared `kind =
/// rate` or whose label names a rate or share (比重, 占比, 比例, 份额, …率: 森林覆盖率
/// 0.352). Its change is never a growth (a share's relative change is no figure
/// bulletins give). See [`Unitless`] for how it is said.
pub fn is_unitless_rate(unit: &Unit, label: &str, declared_rate: bool) -> bool {
    unit.is_bare_number()
        && !is_multiple(unit)
        && (declared_rate || ["比重", "占比", "比例", "份额", "率"].iter().any(|w| label.contains(w)))
}

/// A multiple (倍: 城乡居民收入比 2.5倍): a ratio of two figures, no percentage of
/// anything, so its change is neither a growth nor in 百分点 (1.5倍 to 1.8倍 is no
/// 20% growth and no 0.3个百分点): it is said by its two values, 由1.5倍提高至1.8倍.
pub fn is_multiple(unit: &Unit) -> bool {
    unit.is_dimensionless() && unit.symbol.as_ref() == "倍"
}

/// What a figure without a unit is, for saying its change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unitless {
    /// Not a rate (or it has a unit): a growth, or words over a zero or negative base.
    No,
    /// Its label names a rate or share: its scale is unknown (0.352 a fraction, 35.2 a
    /// percentage without its sign; 容积率 2.5 is neither), so the change is said by its
    /// two values, 由0.35提高至0.36.
    Named,
    /// Declared `kind = rate`: percentages without their sign where both values are
    /// above 1 (失业率 3.2 -> 4: 提高0.8个百分点, as no fraction of a whole exceeds 1);
    /// else, as [`Unitless::Named`], by its two values.
    Declared,
}

impl Unitless {
    /// How a figure in `unit` labelled `label` (declared `kind = rate` or not) is said.
    pub fn of(unit: &Unit, label: &str, declared_rate: bool) -> Unitless {
        if is_multiple(unit) {
            return Unitless::Named;
        }
        match (is_unitless_rate(unit, label, declared_rate), declared_rate) {
            (false, _) => Unitless::No,
            (true, true) => Unitless::Declared,
            (true, false) => Unitless::Named,
        }
    }
}

/// An indicator's value against the same period a year earlier, as a report says it.
pub struct Change<'a> {
    /// The value this period.
    pub value: Option<f64>,
    /// The value a year earlier.
    pub previous: Option<f64>,
    /// Growth in % as the source printed it, used when the previous value is unknown.
    pub reported_pct: Option<f64>,
    /// The values' unit (a rate changes in 百分点).
    pub unit: &'a Unit,
    /// The indicator's label: profits and losses (利润, 亏损, 盈亏) get their own words.
    pub label: &'a str,
    /// A rolled-up total whose year-earlier total is over fewer regions: the region that
    /// entered, when (丙镇, 2021年), and the growth in % on a comparable basis (over the
    /// regions in both years), if there is one; else the change is not comparable.
    pub scope_change: Option<(&'a str, &'a str, Option<f64>)>,
    /// A rate or share without a unit ([`Unitless`]).
    pub unitless_rate: Unitless,
    /// How the period a year earlier is named ([`year_before`]): 上年, or 上年同期 on a
    /// panel of months or quarters.
    pub year_before: &'static str,
}

impl Change<'_> {
    /// Said in points (a rate in % or ‰) or by its two values (a rate without a unit):
    /// never as a growth.
    fn rate(&self) -> bool {
        is_rate(self.unit) || self.unitless_rate != Unitless::No
    }
    /// A declared rate without a unit whose two values are both above 1: percentages
    /// without their sign, changing in 百分点.
    fn bare_percentages(&self, v: f64, b: f64) -> bool {
        self.unitless_rate == Unitless::Declared && v > 1.0 && b > 1.0
    }
    fn profit(&self) -> bool {
        ["利润", "盈亏", "亏损", "利税", "净利", "盈利"].iter().any(|w| self.label.contains(w))
    }
    fn points_word(&self) -> &'static str {
        points_word(self.unit)
    }
    fn amount(&self, x: f64, d: usize) -> String {
        magnitude(x, self.unit, d)
    }
}

/// The change in a sentence: 同比增长18.14% / 同比下降2.6个百分点 (a rate) / 扭亏为盈 /
/// 亏损扩大，增亏50万元 / 减亏60万元 / 由盈转亏 / 由零增至50万元 / 由负转正 (a net figure) /
/// 暂无上年同期数据. A percentage is given only over a positive base (the practice of
/// statistical bulletins; growth over a loss has no meaning).
pub fn change(c: &Change, d: usize) -> String {
    let Some(v) = c.value.filter(|v| v.is_finite()) else { return NO_DATA.into() };
    let y = c.year_before;
    if let Some((region, since, comparable)) = c.scope_change {
        return match comparable.filter(|g| g.is_finite()) {
            Some(g) if !c.rate() => format!("{}（按可比口径计算，{region}{since}起纳入）", growth_since(g, d, y)),
            _ => format!("统计范围变化（{region}{since}起纳入），与{y}不可比"),
        };
    }
    let Some(b) = c.previous.filter(|b| b.is_finite()) else {
        return match c.reported_pct.filter(|g| g.is_finite()) {
            Some(g) if !c.rate() => growth_since(g, d, y),
            _ => "暂无上年同期数据".into(),
        };
    };
    if is_rate(c.unit) || c.bare_percentages(v, b) {
        let w = c.points_word();
        return signed(v - b, d, NO_DATA, &format!("与{y}持平"), |s| format!("同比提高{s}{w}"), |s| format!("同比下降{s}{w}"));
    }
    if c.unitless_rate != Unitless::No {
        return match between(c, v, b, d) {
            None => format!("与{y}持平"),
            Some((was, now, true)) => format!("同比由{was}提高至{now}"),
            Some((was, now, false)) => format!("同比由{was}降至{now}"),
        };
    }
    let diff = v - b;
    // Flat only when the two are the same figure (up to the noise of sums): a loss grown
    // from 0.004亿元 to 0.0041亿元 is 增亏1万元, never 与上年持平.
    let same = diff.abs() <= format::NOISE.max(1e-12 * v.abs().max(b.abs()));
    let p = c.profit();
    if b > 0.0 {
        return match (v < 0.0, p) {
            (true, true) => format!("由盈转亏，亏损{}", c.amount(-v, d)),
            (true, false) => format!("由正转负（{y}{}）", c.amount(b, d)),
            _ => growth_since((v - b) / b * 100.0, d, y),
        };
    }
    if same {
        return format!("与{y}持平");
    }
    if b == 0.0 {
        return match (v > 0.0, p) {
            (true, _) => format!("由零增至{}", c.amount(v, d)),
            (false, true) => format!("由零转为亏损{}", c.amount(-v, d)),
            (false, false) => format!("由零降至{}", c.amount(v, d)),
        };
    }
    // A negative base: a loss, a deficit, a net figure below zero.
    match (v > 0.0, v == 0.0, diff > 0.0, p) {
        (true, _, _, true) => "扭亏为盈".into(),
        (true, _, _, false) => format!("由负转正（{y}{}）", c.amount(b, d)),
        (_, true, _, true) => format!("扭亏持平（{y}亏损{}）", c.amount(-b, d)),
        (_, true, _, false) => format!("由负值回升至零（{y}{}）", c.amount(b, d)),
        (_, _, true, true) => format!("减亏{}", c.amount(diff, d)),
        (_, _, true, false) => format!("负值收窄{}", c.amount(diff, d)),
        (_, _, false, true) => format!("亏损扩大，增亏{}", c.amount(-diff, d)),
        (_, _, false, false) => format!("负值扩大{}", c.amount(-diff, d)),
    }
}

/// [`change`] from a value that is not the same period a year earlier (`lag(x, 2)` of
/// years, a month before): the same words without 同比 and without naming the year
/// before: 增长37.17%, 提高7个百分点, 持平, 由正转负（原为100万元）, 暂无数据.
pub fn change_unspanned(c: &Change, d: usize) -> String {
    let y = c.year_before;
    change(c, d)
        .replace(&format!("与{y}持平"), "持平")
        .replace(&format!("与{y}不可比"), "不可比")
        .replace("暂无上年同期数据", NO_DATA)
        .replace(&format!("（{y}"), "（原为")
        .replace("同比", "")
}

/// [`change`] from another figure than this one earlier (`{gdp:change(t)}` of a target,
/// of another region's figure): how far above or below it, with no words of a change over
/// time (同比, 扭亏为盈, 由盈转亏): 高5%, 低10%, 持平; a rate 高13.5个百分点; over a
/// figure of zero or below, the difference: 高200万元. `c.previous` is in `c.unit`.
pub fn against(c: &Change, d: usize) -> String {
    let (Some(v), Some(b)) = (c.value.filter(|v| v.is_finite()), c.previous.filter(|b| b.is_finite())) else {
        return NO_DATA.into();
    };
    if is_rate(c.unit) || c.bare_percentages(v, b) || c.unitless_rate != Unitless::No {
        let w = if c.unitless_rate != Unitless::No && !is_rate(c.unit) { String::new() } else { c.points_word().to_string() };
        if w.is_empty() {
            return match between(c, v, b, d) {
                None => "持平".into(),
                Some((was, now, up)) => format!("{}（{now}对{was}）", if up { "高" } else { "低" }),
            };
        }
        return signed(v - b, d, NO_DATA, "持平", |s| format!("高{s}{w}"), |s| format!("低{s}{w}"));
    }
    if b > 0.0 && v >= 0.0 {
        return signed((v - b) / b * 100.0, d, NO_DATA, "持平", |s| format!("高{s}%"), |s| format!("低{s}%"));
    }
    let diff = v - b;
    if diff.abs() <= format::NOISE.max(1e-12 * v.abs().max(b.abs())) {
        return "持平".into();
    }
    if diff > 0.0 { format!("高{}", c.amount(diff, d)) } else { format!("低{}", c.amount(-diff, d)) }
}

/// A rate without a unit a year earlier and now as printed, and whether it rose; None
/// when both print the same (与上年持平). More decimals where `d` would print two
/// different values alike (0.3524 and 0.3521 are 0.3524 and 0.3521, not 0.35 and 0.35).
fn between(c: &Change, v: f64, b: f64, d: usize) -> Option<(String, String, bool)> {
    if v == b {
        return None;
    }
    let (was, now) =
        (d..=d.max(10)).map(|k| (c.amount(b, k), c.amount(v, k))).find(|(x, y)| x != y).unwrap_or_else(|| (c.amount(b, d), c.amount(v, d)));
    (was != now).then_some((was, now, v > b))
}

/// The change in a table cell: 18.14% / -2.6个百分点 / 扭亏为盈 / 减亏60万元 / —.
pub fn change_short(c: &Change, d: usize) -> String {
    // A total over more regions than a year earlier: the growth on the comparable basis
    // the sentences give (10%（可比口径）), never the plain ratio of the two totals.
    if let (Some(_), Some((_, _, comparable))) = (c.value.filter(|v| v.is_finite()), c.scope_change) {
        return match comparable.filter(|g| g.is_finite()) {
            Some(g) if !c.rate() => format!("{}%（可比口径）", decimals(g, d)),
            _ => "不可比".into(),
        };
    }
    let (Some(v), Some(b)) = (c.value.filter(|v| v.is_finite()), c.previous.filter(|b| b.is_finite())) else {
        return match (c.value, c.reported_pct.filter(|g| g.is_finite())) {
            (Some(_), Some(g)) if !c.rate() => format!("{}%", decimals(g, d)),
            _ => format::MISSING.into(),
        };
    };
    if is_rate(c.unit) || c.bare_percentages(v, b) {
        let x = decimals(v - b, d);
        return if x == "0" { "持平".into() } else { format!("{x}{}", c.points_word()) };
    }
    if c.unitless_rate != Unitless::No {
        return match between(c, v, b, d) {
            None => "持平".into(),
            Some((was, now, true)) => format!("由{was}升至{now}"),
            Some((was, now, false)) => format!("由{was}降至{now}"),
        };
    }
    if b > 0.0 && v >= 0.0 {
        return format!("{}%", decimals((v - b) / b * 100.0, d));
    }
    change(c, d).replace("同比", "")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn chinese_report_forms() {
        assert_eq!(magnitude(7.75, &Unit::parse("亿元"), 2), "7.75亿元");
        assert_eq!(magnitude(6500.0, &Unit::parse("万元"), 2), "6500万元");
        assert_eq!(magnitude(77500.0, &Unit::parse("万元"), 2), "7.75亿元");
        // Judged as printed: 9999.995万元 rounds to 10000万元, which is 1亿元.
        assert_eq!(magnitude(9999.995, &Unit::parse("万元"), 2), "1亿元");
        assert_eq!(magnitude(9999.994, &Unit::parse("万元"), 2), "9999.99万元");
        assert_eq!(magnitude(9999.5, &Unit::parse("元"), 0), "1万元");
        assert_eq!(magnitude(9960.0, &Unit::parse("万元"), 2), "9960万元");
        assert_eq!(magnitude(1641.0, &Unit::parse("万美元"), 2), "1641万美元");
        assert_eq!(magnitude(9950.0, &Unit::parse("元"), 2), "9950元");
        assert_eq!(magnitude(0.9, &Unit::parse("亿美元"), 2), "0.9亿美元");
        assert_eq!(magnitude(24525.0, &Unit::parse("人"), 2), "24525人");
        assert_eq!(magnitude(2564.0, &Unit::parse("人"), 2), "2564人");
        assert_eq!(magnitude(371.03, &Unit::parse("亩"), 2), "371.03亩");
        assert_eq!(magnitude(30.5, &Unit::parse("%"), 2), "30.5%");
        assert_eq!(growth(18.14, 2), "同比增长18.14%");
        assert_eq!(growth(-3.2, 2), "同比下降3.2%");
        // A growth smaller than two decimals show is still one (review21 9); noise is none.
        assert_eq!(growth(0.001, 2), "同比增长0.001%");
        assert_eq!(growth(-0.004, 2), "同比下降0.004%");
        assert_eq!(growth(1e-12, 2), "与上年持平");
        assert_eq!(points(-0.004), "下降0.004个百分点");
        assert_eq!(completion(Some(100.04), "县", false), "完成县下达任务100.04%");
        assert_eq!(completion(Some(0.004), "县", false), "完成县下达任务0.004%，未完成任务");
        assert_eq!(growth(28.2, 2), "同比增长28.2%");
        assert_eq!(completion(Some(149.0), "县", false), "完成县下达任务149%");
        assert_eq!(completion(None, "县", true), "超额完成县下达任务");
        assert_eq!(completion(Some(92.5), "县", false), "完成县下达任务92.5%，未完成任务");
        assert_eq!(completion(Some(99.95), "县", false), "完成县下达任务99.95%，未完成任务");
        assert_eq!(completion(Some(99.9996), "县", false), "完成县下达任务99.9996%，未完成任务");
        assert_eq!(completion(Some(99.99999999999999), "县", false), "完成县下达任务100%");
        assert_eq!(points(1.2), "提高1.2个百分点");
        assert_eq!(points(-0.5), "下降0.5个百分点");
        assert_eq!(growth(f64::NAN, 2), "暂无数据");
        assert_eq!(completion(None, "县", false), "县下达任务完成情况暂无数据");
        assert_eq!(completion(Some(-200.0), "县", false), "县下达任务完成率为负（实际与目标一正一负），不计算完成率");
        assert_eq!(completion_of(Some(-200.0), Some(-40.0), "县", false), "未完成县下达任务（实际为负，不计算完成率）");
        // A target of -100 (a loss limit): actual = target x pct / 100.
        assert_eq!(completion_of(Some(-50.0), Some(50.0), "县", false), "完成县下达任务（目标为负，不计算完成率）");
        assert_eq!(completion_of(Some(50.0), Some(-50.0), "县", false), "完成县下达任务（目标为负，不计算完成率）");
        assert_eq!(completion_of(Some(100.0), Some(-100.0), "县", false), "完成县下达任务（目标为负，不计算完成率）");
        assert_eq!(completion_of(Some(150.0), Some(-150.0), "县", false), "未完成县下达任务（目标为负，不计算完成率）");
        // A positive target: as before.
        assert_eq!(completion_of(Some(149.0), Some(1641.0), "县", false), "完成县下达任务149%");
        assert_eq!(completion_of(Some(80.0), Some(800.0), "县", false), "完成县下达任务80%，未完成任务");
        // Before the year's end: no verdict yet; the stage of a period.
        let june = Stage::of("2025-06", 1);
        assert_eq!(completion_at(Some(80.0), Some(800.0), "县", false, &june), "完成县下达任务80%");
        assert_eq!(completion_at(Some(99.96), None, "县", false, &june), "完成县下达任务99.96%");
        assert_eq!(completion_at(Some(101.0), None, "县", false, &june), "完成县下达任务101%");
        assert!(!Stage::of("2025-12", 1).mid_year && !Stage::of("2025", 1).mid_year && Stage::of("2025-Q3", 1).mid_year);
        assert_eq!(completion_at(Some(46.999), None, "县", false, &Stage::of("2025-12", 3)), "完成县下达任务46.999%，未完成任务");
        assert_eq!(completion(Some(0.0), "县", false), "完成县下达任务0%，未完成任务");
    }

    /// Counts and quantities of 5+ digits in a sentence: digits below 10万, 万 from 10万,
    /// 亿 from 1亿; money keeps its own rule (万 from 1万).
    #[test]
    fn counts_scale_to_wan_and_yi_from_ten_wan() {
        for (x, unit, d, want) in [
            (123456.0, "人", 2, "12.35万人"),
            (99999.0, "人", 2, "99999人"),
            (9999.0, "人", 2, "9999人"),
            (100000.0, "人", 2, "10万人"),
            (-123456.0, "人", 2, "-12.35万人"),
            (123456.789, "亩", 2, "12.35万亩"),
            (123456.789, "亩", 1, "12.3万亩"),
            (123456.0, "平方米", 2, "12.35万平方米"),
            (24525.0, "平方米", 2, "24525平方米"),
            (123456.0, "千瓦时", 2, "12.35万千瓦时"),
            (250000000.0, "人", 2, "2.5亿人"),
            (99999999.0, "人", 0, "1亿人"),
            (12345.6, "万人", 2, "1.23亿人"),
            (15.5, "万人", 2, "15.5万人"),
            (123456.0, "人次", 2, "12.35万人次"),
            (123456.0, "户", 0, "12万户"),
            // An index prints as its number.
            (108.0, "上年=100", 1, "108"),
            // Judged as printed: these round up to the next magnitude.
            (99999.996, "人", 2, "10万人"),
            (99999.995, "亩", 2, "10万亩"),
            (99999.994, "亩", 2, "99999.99亩"),
            (9999.996, "万人", 2, "1亿人"),
            (9999.994, "万人", 2, "9999.99万人"),
            (99999999.0, "人", 0, "1亿人"),
            (-99999.996, "人", 2, "-10万人"),
            (123456.0, "元/平方米", 2, "123456元/平方米"),
            (123456.0, "%", 2, "123456%"),
            (123456.0, "千瓦", 2, "123456千瓦"),
            // Money as before: 万 from 1万.
            (123456.0, "元", 2, "12.35万元"),
            (12345.0, "万元", 2, "1.23亿元"),
        ] {
            assert_eq!(magnitude(x, &Unit::parse(unit), d), want, "{x} {unit}");
        }
    }

    /// A figure that would round to 0 in its magnitude moves down to 万, then to the
    /// unit, then takes the digits it needs: never 0, never without its sign.
    #[test]
    fn a_figure_never_prints_as_zero() {
        for (x, unit, want) in [
            (-0.004, "亿元", "-40万元"),
            (0.0045, "亿美元", "45万美元"),
            (0.00004, "亿元", "4000元"),
            (0.00015, "亿元", "1.5万元"),
            (0.0000004, "亿元", "40元"),
            (0.0001, "万元", "1元"),
            (0.001, "元", "0.001元"),
            (0.004, "万吨", "40吨"),
            (-0.00002, "亿人", "-2000人"),
            (0.004, "亿人", "40万人"),
            (0.0046, "%", "0.0046%"),
            (0.0046, "上年=100", "0.0046"),
            (1e-12, "亿元", "0亿元"),
            (0.005, "亿元", "0.01亿元"),
        ] {
            assert_eq!(magnitude(x, &Unit::parse(unit), 2), want, "{x} {unit}");
        }
        assert_eq!(points_in(-1.25, &Unit::parse("‰")), "下降1.25个千分点");
        assert_eq!(points_in(1.2, &Unit::parse("%")), "提高1.2个百分点");
        assert_eq!(ch(-0.0041, -0.004, "亿元", "利润总额").0, "亏损扩大，增亏1万元");
    }

    fn ch(v: f64, b: f64, unit: &str, label: &str) -> (String, String) {
        let u = Unit::parse(unit);
        let unitless_rate = Unitless::of(&u, label, false);
        let c = Change {
            value: Some(v),
            previous: Some(b),
            reported_pct: None,
            unit: &u,
            label,
            scope_change: None,
            unitless_rate,
            year_before: YEAR_BEFORE,
        };
        (change(&c, 2), change_short(&c, 2))
    }

    #[test]
    fn changes_over_zero_or_negative_bases_are_never_percentages() {
        assert_eq!(ch(50.0, -100.0, "万元", "甲企业利润总额").0, "扭亏为盈");
        assert_eq!(ch(-150.0, -100.0, "万元", "利润总额"), ("亏损扩大，增亏50万元".into(), "亏损扩大，增亏50万元".into()));
        assert_eq!(ch(-40.0, -100.0, "万元", "利润总额").0, "减亏60万元");
        assert_eq!(ch(-30.0, 20.0, "万元", "利润总额").0, "由盈转亏，亏损30万元");
        assert_eq!(ch(50.0, 0.0, "万元", "利润总额").0, "由零增至50万元");
        assert_eq!(ch(0.0, -10.0, "万元", "利润总额").0, "扭亏持平（上年亏损10万元）");
        assert_eq!(ch(-100.0, -100.0, "万元", "利润总额").0, "与上年持平");
        // Net figures (净出口, 收支差额) in neutral words.
        assert_eq!(ch(30.0, -20.0, "亿元", "净出口").0, "由负转正（上年-20亿元）");
        // On a monthly panel the base is the same months a year earlier.
        let u = Unit::parse("亿元");
        let monthly = |v: f64, b: f64| {
            let c = Change {
                value: Some(v),
                previous: Some(b),
                reported_pct: None,
                unit: &u,
                label: "净出口",
                scope_change: None,
                unitless_rate: Unitless::No,
                year_before: year_before(yearbook_core::period::Frequency::Month),
            };
            change(&c, 2)
        };
        assert_eq!(monthly(30.0, -20.0), "由负转正（上年同期-20亿元）");
        assert_eq!(monthly(-10.0, 20.0), "由正转负（上年同期20亿元）");
        assert_eq!(monthly(0.0, -20.0), "由负值回升至零（上年同期-20亿元）");
        assert_eq!(monthly(5.0, 5.0), "与上年同期持平");
        assert_eq!(monthly(5.5, 5.0), "同比增长10%");
        assert_eq!(growth_since(0.0, 2, SAME_PERIOD), "与上年同期持平");
        assert_eq!(year_before(yearbook_core::period::Frequency::Year), "上年");
        assert_eq!(year_before(yearbook_core::period::Frequency::Quarter), "上年同期");
        assert_eq!(ch(-30.0, -20.0, "亿元", "财政收支差额").0, "负值扩大10亿元");
        assert_eq!(ch(-10.0, -20.0, "亿元", "财政收支差额").0, "负值收窄10亿元");
        assert_eq!(ch(-10.0, 20.0, "亿元", "净出口").0, "由正转负（上年20亿元）");
        // A positive base keeps its percentage.
        assert_eq!(ch(112.0, 100.0, "万元", "利润总额"), ("同比增长12%".into(), "12%".into()));
    }

    #[test]
    fn rates_change_in_points() {
        assert_eq!(ch(18.2, 20.8, "%", "第一产业比重"), ("同比下降2.6个百分点".into(), "-2.6个百分点".into()));
        assert_eq!(ch(36.4, 35.2, "%", "绿化覆盖率"), ("同比提高1.2个百分点".into(), "1.2个百分点".into()));
        assert_eq!(ch(5.0, 5.0, "%", "比重"), ("与上年持平".into(), "持平".into()));
        assert_eq!(ch(6.5, 6.0, "‰", "人口自然增长率").0, "同比提高0.5个千分点");
    }

    #[test]
    fn flags_are_read_in_english_and_chinese_with_their_marks() {
        assert_eq!(flag_words("approximate *"), (Some(Qualifier::Approximate), "*".into()));
        assert_eq!(flag_words("约"), (Some(Qualifier::Approximate), String::new()));
        assert_eq!(flag_words("估计 ①"), (Some(Qualifier::Estimate), "①".into()));
        assert_eq!(flag_words("初步"), (Some(Qualifier::Estimate), String::new()));
        assert_eq!(flag_words("lower_bound"), (Some(Qualifier::LowerBound), String::new()));
        assert_eq!(flag_words("*"), (None, "*".into()));
        assert_eq!(flag_words("revised"), (None, String::new()));
    }

    #[test]
    fn rates_without_a_unit_change_by_their_two_values() {
        // 森林覆盖率 0.352 -> 0.364 with no unit: a fraction or a percentage without its
        // sign, so neither 同比增长3.41% (a share's relative change) nor a guess of points.
        assert_eq!(ch(0.364, 0.352, "", "森林覆盖率"), ("同比由0.35提高至0.36".into(), "由0.35升至0.36".into()));
        // share(local_rev, total_rev) labelled 占比: 0.4 -> 0.436 (hand: 2000/5000, 2400/5500).
        assert_eq!(ch(2400.0 / 5500.0, 0.4, "", "地方财政收入占比").0, "同比由0.4提高至0.44");
        assert_eq!(ch(30.2, 35.2, "", "第一产业比重"), ("同比由35.2降至30.2".into(), "由35.2降至30.2".into()));
        // Two values that print alike at two decimals get the decimals that tell them apart.
        assert_eq!(ch(0.3524, 0.3521, "", "覆盖率").0, "同比由0.3521提高至0.3524");
        assert_eq!(ch(0.5, 0.5, "", "比重"), ("与上年持平".into(), "持平".into()));
        // A plain number that names no rate keeps its growth (城乡收入比 2.5 -> 2.4: -4%).
        assert_eq!(ch(2.4, 2.5, "", "城乡居民收入比"), ("同比下降4%".into(), "-4%".into()));
        // Declared kind = rate, whatever the label says.
        let u = Unit::parse("");
        let c = Change {
            value: Some(0.364),
            previous: Some(0.352),
            reported_pct: Some(3.41),
            unit: &u,
            label: "森林",
            scope_change: None,
            unitless_rate: Unitless::of(&u, "森林", true),
            year_before: YEAR_BEFORE,
        };
        assert_eq!((change(&c, 2), change_short(&c, 2)), ("同比由0.35提高至0.36".into(), "由0.35升至0.36".into()));
        // Declared, both values above 1: percentages without their sign (失业率 3.2 -> 4).
        let up = Change { value: Some(4.0), previous: Some(3.2), unitless_rate: Unitless::of(&u, "失业率", true), ..c };
        assert_eq!((change(&up, 2), change_short(&up, 2)), ("同比提高0.8个百分点".into(), "0.8个百分点".into()));
        // Only named by its label (容积率 2.5 -> 3 is no percentage): by its two values.
        let far = Change { value: Some(3.0), previous: Some(2.5), unitless_rate: Unitless::of(&u, "容积率", false), ..c };
        assert_eq!(change(&far, 2), "同比由2.5提高至3");
        // A reported growth is never said of such a rate when no year-earlier value is known.
        let c = Change { previous: None, ..c };
        assert_eq!((change(&c, 2), change_short(&c, 2)), ("暂无上年同期数据".into(), "—".into()));
    }

    #[test]
    fn missing_is_never_an_outcome() {
        let u = Unit::parse("万元");
        let c = Change {
            value: Some(5.0),
            previous: None,
            reported_pct: None,
            unit: &u,
            label: "产值",
            scope_change: None,
            unitless_rate: Unitless::No,
            year_before: YEAR_BEFORE,
        };
        assert_eq!((change(&c, 2), change_short(&c, 2)), ("暂无上年同期数据".into(), "—".into()));
        let c = Change {
            value: Some(5.0),
            previous: None,
            reported_pct: Some(18.14),
            unit: &u,
            label: "产值",
            scope_change: None,
            unitless_rate: Unitless::No,
            year_before: YEAR_BEFORE,
        };
        assert_eq!((change(&c, 2), change_short(&c, 2)), ("同比增长18.14%".into(), "18.14%".into()));
        let c = Change {
            value: None,
            previous: Some(4.0),
            reported_pct: None,
            unit: &u,
            label: "产值",
            scope_change: None,
            unitless_rate: Unitless::No,
            year_before: YEAR_BEFORE,
        };
        assert_eq!(change(&c, 2), "暂无数据");
    }

    #[test]
    fn a_pass_rate_with_a_failure_never_prints_100() {
        assert_eq!(pass_rate(1999.0, 2000.0), "99.95%");
        assert_eq!(pass_rate(19999.0, 20000.0), "99.995%");
        assert_eq!(pass_rate(2000.0, 2000.0), "100%");
        assert_eq!(pass_rate(1.0, 3.0), "33.3%");
        assert_eq!(pass_rate(0.0, 0.0), "—");
    }
}
