//! A series: values over (region, period) in one contiguous period-major buffer, with a
//! unit and a roll-up rule. Shared through `Arc`: passing one to a function never copies
//! it, and kernels work in place when they hold the only reference.

use crate::cells::Cells;
use crate::panel::Axes;
use crate::unit::Unit;
use std::sync::Arc;

/// How a series rolls up the region tree.
#[derive(Clone, Debug)]
pub enum Agg {
    /// The parent is the sum of its children.
    Sum,
    /// The parent is the plain mean of its children.
    Mean,
    /// Mean weighted by another series.
    Weighted(Arc<Series>),
    /// A ratio of two summable series: rolled up by rolling up both and dividing again.
    Ratio(Arc<(Series, Series)>),
    /// Does not roll up; the reason says why.
    None(Arc<str>),
}

/// Where the base of a change is (see [`Series::change_base`]): cell `i`'s base is
/// `source[i - shift]` (missing for `i < shift`), so `diff` points into its input's
/// values without a copy.
#[derive(Debug, Clone)]
pub struct ChangeBase {
    /// The values the bases are read from (the input of `diff`, or the lagged series).
    pub source: Arc<Cells>,
    /// How many cells back the base of a cell lies (k periods × the rows).
    pub shift: usize,
    /// The raw indicator the change is of, if unchanged before it (`profit - lag(profit,
    /// 1)`: 利润总额, whose change over a loss a report says as 扭亏为盈).
    pub of: Option<usize>,
}

impl ChangeBase {
    /// The bases of `n` cells where `divisor` (the same `n` cells) is their size or their
    /// value, or its negation (`|divisor| == |base|` wherever both are there, and in one
    /// cell at least); None otherwise (a division by something else: `diff(a) / diff(b)`).
    pub fn sized_by(&self, divisor: &[f64]) -> Option<Vec<f64>> {
        let n = divisor.len();
        if self.source.len() != n || self.shift >= n {
            return None;
        }
        let base = |i: usize| if i >= self.shift { self.source[i - self.shift] } else { f64::NAN };
        let mut matched = 0usize;
        for (i, &d) in divisor.iter().enumerate() {
            let c = base(i);
            if c.is_finite() && d.is_finite() {
                let (x, y) = (c.abs(), d.abs());
                if (x - y).abs() > 1e-9 * x.max(y) {
                    return None;
                }
                matched += 1;
            }
        }
        (matched > 0).then(|| (0..n).map(base).collect())
    }
}

/// The value scripts pass around: values over regions and/or periods (or one number), with a unit and a roll-up rule.
#[derive(Clone, Debug)]
pub struct Series {
    /// Values, period-major (`cell = period * rows + region`); NaN = missing. Reads as
    /// the whole matrix; a roll-up keeps only its level's rows ([`Cells::kept`]).
    pub data: Arc<Cells>,
    /// The regions and periods the values are over.
    pub axes: Arc<Axes>,
    /// One row per region (else a single row: aggregated across regions).
    pub by_region: bool,
    /// One column per period (else a single column: aggregated across periods).
    pub by_period: bool,
    /// The unit of every value.
    pub unit: Unit,
    /// Values are 1 (true), 0 (false) or missing: the result of a comparison.
    pub mask: bool,
    /// How it rolls up the region tree.
    pub agg: Agg,
    /// Raw indicator this came from (flags, explain), if unchanged.
    pub indicator: Option<usize>,
    /// A conversion the units made here that the numbers written next to it in the formula
    /// may still turn out to hold (see [`Pending`]); settled by the next number, or where
    /// the series is used.
    pub pending: Option<Pending>,
    /// Every number the values were multiplied or divided by in the formula, multiplied
    /// together however it was spelled (`* 10000 * 0.5` is `* 5000`, `/ 10000 / 2` is
    /// `/ 20000`, `10000 * x` is `x * 10000`; a sign is no factor); 1 when none. Where the
    /// units convert by a power of ten (a ratio declared in %, `亿元 * 10000 / 万人`
    /// declared in 元/人, 亿元 beside 万元 in `+`), a factor that is exactly that conversion
    /// was it written by hand, not a second one; one that may hold it and more is refused
    /// (docs/data-model.md, Units).
    pub scaled_by: f64,
    /// The numbers among [`Series::scaled_by`] that are powers of ten (10000, 100, 0.01,
    /// 1e4), multiplied together; 1 when none. A conversion is taken as done by hand only
    /// when these are exactly it (`* 100 / 12` declared in % is the percent by hand and a
    /// factor 1/12; `* 5000` beside 万元 holds no power of ten and may hold the 10000
    /// and a factor 0.5, so it is refused): spelling then decides between the answer and a
    /// refusal, never between two numbers.
    pub scaled_pow: f64,
    /// A roll-up's totals that first count a region which had not reported before, with
    /// what they were rolled up from: a change across such a period compares totals over
    /// different sets of regions, so yoy and diff take it on a comparable basis (同口径).
    pub basis: Option<Arc<Basis>>,
    /// What `round` made these values of (None: not rounded). A roll-up rolls up the
    /// unrounded values and rounds the total: a county's `round(gdp, 0)` over three towns
    /// of 1.4 is round(4.2) = 4, not 1 + 1 + 1; its `round(fiscal / gdp * 100, 2)` is
    /// 0.44 as its towns' are, not 0.4425.
    pub rounded: Option<Arc<Rounded>>,
    /// A base: cells made only of earlier values (a script's `lag(x, k)`, k > 0) and
    /// numbers (see docs/rules.md, "Growth over a negative base": sums and differences of
    /// lags, `lag + 0`, a positive factor, `where` between lags and numbers, `map`, a unit,
    /// `round`, `fill` of one). A division by it is a change over the earlier value, which
    /// has no meaningful sign over a negative one (a loss of 100 grown to 150 is no growth
    /// of 50%); those cells are left missing, as `yoy` leaves them.
    pub lagged: bool,
    /// Later values (a script's `lag(x, k)`, k < 0), unchanged but for a unit, `round` or
    /// a positive factor: divided by a current figure (`lag(p, -1) / p - 1`, the growth
    /// to next year) that figure is the base, and a negative one gives no growth (left
    /// missing, as `yoy` leaves it).
    pub leads: bool,
    /// A quotient of a base by a current figure (`lag(p, 1) / p`): the base's values, so
    /// that its reciprocal (`1 / (lag(p, 1) / p)`, `(lag(p, 1) / p) ** -1`, which are
    /// p / lag(p, 1)) leaves a negative base missing as `p / lag(p, 1)` does.
    pub lag_numerator: Option<Arc<Cells>>,
    /// A base's size or its negation (`abs(lag(x, 1))`, `lag(x, 1) * -1`, `0 - lag(x,
    /// 1)`, the spreadsheet's divisor for a change over a negative base): the base's own
    /// values, so that a division by it leaves missing the cells whose base is negative,
    /// as a division by the base does (a loss of 100 turned into a profit of 50 is no
    /// +150%). Kept by a unit, `round`, `fill` and a factor.
    pub sized_base: Option<Arc<Cells>>,
    /// A change of a figure over an earlier one (`diff(x, k)`, `x - lag(x, k)`): where its
    /// base's values are, so that a division by the base's size however it is written
    /// (`abs(lag(x, 1))`, `lag(abs(x), 1)`, `where(b < 0, -b, b)`, `map(b, |v| abs(v))`,
    /// `sqrt(b ** 2)`) leaves missing the cells whose base is negative, as `yoy` does.
    /// Kept by a factor (`diff(x) * 100`).
    pub change_base: Option<ChangeBase>,
    /// Cells a fact row lists with no figure (an empty or `—` value): a gap in the
    /// source, not a region absent from it; sorted cell indices. A roll-up counts a region
    /// from the first period it is listed in, so its total is missing there with a note
    /// (never short), as in any later period.
    pub listed: Option<Arc<Vec<u32>>>,
    /// A series across periods whose regions' values come from different periods (each
    /// region's latest figure: 甲镇's of 2021, 乙镇's of 2020): each row's period index
    /// (`u32::MAX`: no value). Operations across regions (a roll-up, a sum or mean across
    /// regions, a rank) refuse it: they would add or compare figures of different years.
    /// Kept by every operation that keeps the shape.
    pub periods_of: Option<Arc<Vec<u32>>>,
    /// Its roll-up rule is one the config declares for it (a loaded indicator's, or a
    /// derived indicator's `rollup = ...`), its values unchanged since: where a region has
    /// no figure of its own and its children report, their roll-up is its figure
    /// ([`crate::kernel::rollup::as_shown`]). A series a formula made (`qty - 1.5`,
    /// `in_period(qty, 2021)`) is not: its roll-up rule is only inherited.
    pub declared: bool,
    /// Cells that [`crate::kernel::rollup::as_shown`] gave their children's roll-up (no
    /// figure of their own): compared with their children (`tree_balance`) they check
    /// nothing, so such a check leaves them unevaluated.
    pub shown: Option<Arc<Vec<bool>>>,
    /// For the cells of [`Series::shown`]: which regions their roll-up counts (those with
    /// a figure of their own beneath, as a sum of a hash of each), so that a change across
    /// periods (`yoy(level(gdp, "county"))`) or a ratio of two such cells is taken only
    /// where both count the same regions, after the rows below were dropped
    /// ([`crate::kernel::rollup::cover`]). Kept with `shown`.
    pub covered: Option<Arc<Vec<u64>>>,
    /// Which regions each total adds, where the values are totals: a roll-up
    /// (`rollup(qty, "county")`), a sum or mean across regions, or a formula of those
    /// that keeps them ([`crate::counts::Counts`]). `a op b` of two totals that add
    /// different regions (a town with an output and no plan) is left missing, with a note
    /// (`kernel::unlike`). Kept by a number, a unit, `round`, a selection and `lag`
    /// (shifted); a cell `fill` gives a value counts nothing, and is compared with none.
    pub counts: Option<Arc<crate::counts::Counts>>,
    /// Values that are a roll-up of regions' children ([`Rolled`]): a cell of
    /// [`Series::shown`] compared with such a roll-up of the same region is compared with
    /// itself, and `a op b` leaves it missing, with a note (`kernel::arith::binary`).
    pub rolled: Option<RolledUp>,
    /// The series whose children's roll-up filled the cells of [`Series::shown`] (its
    /// values, by identity; several after `a op b` of two such series): a roll-up of one
    /// of them set against those cells compares the region with itself, a roll-up of
    /// another figure (`qty / rollup(pop, "county")`) does not.
    pub shown_of: Option<Sources>,
    /// Each region's first period with a figure of its own, before a selection of periods
    /// took the earlier ones out (`in_period(qty, 2021)`): a region that reported before
    /// keeps its gap where it has none, not its children's partial return
    /// ([`crate::kernel::rollup::as_shown`]). None when no periods were taken out.
    pub own_since: Option<Arc<Vec<u32>>>,
    /// The parts of a ratio (a / b) whose roll-up the config declares as a mean or a
    /// weighted mean (a per-capita `qty / pop` with `rollup = "weighted_mean(pop)"`): a
    /// region made of its children is shown with the parts as shown divided again, as
    /// the same ratio undeclared is ([`crate::kernel::rollup::as_shown`]).
    pub parts: Option<Arc<(Series, Series)>>,
    /// For a derived indicator declared `rollup = "mean"` or `"weighted_mean(w)"`: the
    /// cells where something its formula read has a figure of its own. A region made of
    /// its children is shown with their declared roll-up only where this is false (what
    /// the formula reads there is all its children's); elsewhere the mean would set the
    /// region's own figures aside, and the cell is left not evaluable, with a note
    /// ([`crate::kernel::rollup::as_shown`]).
    pub own_inputs: Option<Arc<OwnInputs>>,
    /// Cells of a region made of its children ([`crate::kernel::rollup::made_of_children`])
    /// carried through a cell-wise operation that keeps the shape but not the roll-up rule
    /// (`where`, `abs`, `map`, `sqrt`): `fill` and `is_missing` treat them as they treat
    /// the same cells of the operand (a county of its towns is not unreported).
    /// Period-major, as the series' data.
    pub made_of: Option<Arc<Vec<bool>>>,
    /// A target (a figure of a namespace of targets, [`is_target_namespace`]: `target.profit`),
    /// by its name, unchanged but for a unit, a positive factor, `round` or `fill`: a
    /// division by it is a completion, which has no percentage where the target is below
    /// zero (a loss limit, 减亏目标); those cells are left missing, with a note, as
    /// `completion` leaves them (docs/rules.md, "Completion over a negative target").
    pub target: Option<Arc<str>>,
    /// Cells left missing though the figures they are made of are there: a year-on-year
    /// growth over a base of zero or below, a completion of a target below zero. A report
    /// says why there (扭亏为盈, 由零增至50万元, 目标为负) instead of 暂无数据. It also
    /// lists the year-on-year growths from a positive base to a figure below zero, which
    /// keep their value (-1.5: a rule compares it) and are said 由盈转亏 (由正转负), never
    /// 同比下降150%. Kept by a
    /// unit conversion (`pct`), a positive factor and `as_written`; dropped by every other
    /// operation (the reason would no longer be the cell's).
    pub missing_why: Option<Arc<MissingWhy>>,
    /// For a derived indicator: the cells where its formula read a figure (or a cell the
    /// source lists without one) and still gave no value (a completion of a zero plan, a
    /// ratio over a missing part). A rule on the indicator counts them as items, not
    /// evaluable, as it counts the same formula written in its check; a missing-value
    /// policy (`zero`) leaves them missing. Period-major, as the series' data; set by
    /// computing the indicator and read only where a rule reads the indicator.
    pub unevaluated: Option<Arc<Vec<bool>>>,
    /// What rate or share the values are of ([`RateOf`]), for how a report may say them:
    /// a rate's relative change (yoy of 城镇化率) is no growth to print as 同比增长N%,
    /// however the formula spells it. Set by loading a rate or share (an indicator that
    /// [`crate::indicator::is_rate_or_share`]), `share`, `completion` and a quotient of two
    /// figures of one dimension; kept by a number (`* 100`, `- 1`), a unit (`pct`),
    /// `round`, `fill`, `where` with a number, `abs`, `lag` and an aggregate; turned into a
    /// change by `yoy`, `growth`, `pop`, `cagr`, `diff` and a division by its own lag;
    /// dropped by every other operation.
    pub rate: Option<RateOf>,
    /// Figures that stand for more than their own month or quarter ([`Spread`]): 1-N月累计
    /// (a `cumulative = true` file, `cumulate`'s result) or a year's figure held in every
    /// month (an `annual = true` file: a target). Adding them across the periods of a year
    /// (`cumulate`, `quarters`, a sum across periods) or comparing one month with the one
    /// before (`pop`, `diff(s, 1)`) counts a figure again, so those refuse them, saying
    /// what to write. Kept by a number, a unit, `round`, `fill`, `where` with a number,
    /// `abs`, `lag`, a roll-up, a sum across regions and `+`/`-` of two alike.
    pub spread: Option<Spread>,
    /// Cells of a rank (`rank(x)`) whose place another region of their level (and group)
    /// shares: a report says 并列第2位 there, never 第2位 of each. Set by `rank`, kept only
    /// where the values are unchanged (a selection).
    pub ties: Option<Arc<Vec<bool>>>,
    /// The cells a selection left out on purpose (`only`, `level`, `children`,
    /// `in_period`), period-major as the data: a region missing there is not a gap in the
    /// source. `a op b` lists a cell one side has and the other lacks as a gap
    /// ([`Series::listed`]) only where the lacking side did not leave it out; a cell inside
    /// the selection with no figure is still a gap. Kept by a cell-wise operation and by
    /// `a op b` (either side's).
    pub selected: Option<Arc<Vec<bool>>>,
    /// Per period, whether it is one of the data (a region has a value there or is listed
    /// without one) as it was before a selection took regions out (`only(gdp, "丁镇")`):
    /// a total across periods of the region kept is missing in a period where the regions
    /// left out have figures and it has none, as it is beside them (stats19 03: 丁镇's
    /// 2019-2021 total was 20 + 22 once only() had left out the towns with a 2021 figure).
    /// Kept by a cell-wise operation and by `a op b` (either side's).
    pub data_periods: Option<Arc<Vec<bool>>>,
    /// For a lag, a growth or a change (`lag(x, k)`, `yoy`, `growth`, `cagr`, `diff`,
    /// `x / lag(x, k) - 1`, `x - lag(x, k)`) and what a cell-wise operation makes of it:
    /// the source its cells read, and where ([`GapOrigin`]). A missing cell is a gap where
    /// a source cell it reads is one (a town that has not delivered, this year or the
    /// year before: 丙镇 90/—/110 has no growth in 2019 nor 2020, and both are gaps), never
    /// where every cell it reads is there (a growth over a base of zero or below) or
    /// before the source counts the region (a town's first year). Kept by a cell-wise
    /// operation of the same shape, and by `a op b` whose result is a growth or a change.
    pub gap_origin: Option<Arc<GapOrigin>>,
    /// For a lag (`lag(x, k)`, k > 0), and what a number, a unit or a cell-wise function
    /// makes of it (`lag(x, 1) + 3`, `lag(x, 1) * 1.08`, `round`): the values of x it is
    /// a lag of, by identity ([`crate::kernel::itself::sources`]: the figure whose
    /// children's roll-up fills its shown cells, else its own values; of a lag's lag, the
    /// first source's). `x op lag(x, k)` at a region whose own figure stands in one period
    /// and its children's roll-up in the other compares two scopes, whatever the numbers
    /// written beside either side ([`crate::kernel::rollup::own_against_lagged`]); a lag
    /// of another figure does not.
    pub lag_source: Option<Sources>,
    /// For one figure in another form, a cell-wise function of it with numbers
    /// (`gdp * 10000`, `to(gdp, "万元")`, `round(gdp, 1)`, `gdp + 3`, a derived indicator
    /// of such a formula) and what a selection or a region shown with its children's
    /// roll-up makes of it: that figure, by identity ([`crate::kernel::itself::figure`]).
    /// A lag of the figure set against it compares the two scopes a lag of itself would
    /// (review28 03: a derived `gdpw = gdp * 10000` of a county's own 66 against
    /// `lag(level(gdp, "county"), 1)`, its towns' 60). None where the values are their own.
    pub form_of: Option<Sources>,
    /// For a lag times a factor of another figure (`lag(gdp, 1) * (1 + plan.gr / 100)`,
    /// 上年实绩 × (1 + 计划增速), or over one, a deflator): the lag's cells shown with its
    /// children's roll-up ([`Series::shown`] of the lag alone; empty where it has none).
    /// It is no base ([`Series::lagged`]), but still last year's figure, so set against
    /// this year's at a region whose own figure stands in one year and its children's
    /// roll-up in the other it compares two scopes
    /// ([`crate::kernel::rollup::own_against_lagged`], review29 04); the factor's own
    /// roll-up (a plan's mean of the towns) is no scope of the figure (review32 01).
    pub lag_times: Option<Arc<Vec<bool>>>,
}

/// Where the cells of a lag, a growth or a change read their sources
/// ([`Series::gap_origin`]): one [`GapRead`] per source (`x * 10000 - lag(x, 1) * 10000`
/// reads two).
#[derive(Clone, Debug)]
pub struct GapOrigin {
    /// The sources read.
    pub reads: Vec<GapRead>,
}

/// One source a cell reads, and where ([`GapOrigin`]).
#[derive(Clone, Debug)]
pub struct GapRead {
    /// The source's values (period-major, over the same regions and periods).
    pub source: Arc<Cells>,
    /// Each region's (row's) first period in which the source counts it: its first figure,
    /// a fact row naming it, or the start of that year with months or quarters
    /// (`u32::MAX`: never); see [`crate::kernel::gaps`].
    pub since: Arc<Vec<u32>>,
    /// How many periods back each cell reads the source (`yoy` of a year: 0 and 1; `lag(x,
    /// 2)`: 2; `diff(yoy(x))`: 0, 1 and 2; a lead `lag(x, -1)`: -1, a period later),
    /// sorted, without repeats.
    pub back: Vec<i32>,
}

/// What a month's (or quarter's) figure stands for beyond itself ([`Series::spread`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// 1-N月累计: the year so far (2025-06 holds 1-6月).
    Cumulative,
    /// A year's figure (a target) held in every month or quarter of its year.
    Annual,
    /// One of those some months earlier, not whole years (`lag(cum.x, 1)`): shown as it
    /// is (上月累计), but set against such figures of other months (`cum.x - lag(cum.x, 1)`)
    /// it meets last year's whole across a year's start (110 - 1500 = -1390), so that is
    /// refused ([`Series::refuse_shifted`]). `cumulative` says which kind it was.
    Shifted {
        /// It was 1-N月累计 (else a year's figure).
        cumulative: bool,
    },
}

impl Spread {
    /// Whether it is (or was, shifted) 1-N月累计.
    pub fn is_cumulative(self) -> bool {
        matches!(self, Spread::Cumulative | Spread::Shifted { cumulative: true })
    }
}

/// The [`RateOf::Growth`] of yoy, growth, cagr and a change over an earlier figure
/// (`diff(gdp) / lag(gdp, 1)`): near 0.
pub const GROWTH_RATE: &str = "a growth rate";
/// The [`RateOf::Growth`] of a figure over an earlier one (`gdp / lag(gdp, 1)`), near 1;
/// less 1 it is a growth rate.
pub const GROWTH_FACTOR: &str = "a growth factor (x / lag(x, k))";
/// The [`RateOf::Growth`] of an earlier figure over a later one (`lag(gdp, 1) / gdp`).
pub const EARLIER_OVER_LATER: &str = "an earlier figure over a later one (lag(x, k) / x)";

/// What rate or share a series is of ([`Series::rate`]), by the rate's name in words.
#[derive(Clone, Debug, PartialEq)]
pub enum RateOf {
    /// Its level (城镇化率 52.5%).
    Level(Arc<str>),
    /// The level of a figure in %, ‰ or an index (上年=100) that is not known to be a rate
    /// or share: a growth rate (GDP增速 8%), a namespace's figure (`reported_yoy.gdp`,
    /// `prior.cover`). Its level may be said as it is (a growth as a growth); its change
    /// is in 百分点 all the same (8% to 6% 回落2个百分点, never 同比下降25%).
    Percent(Arc<str>),
    /// A growth rate the formula took of a figure that is no rate (`yoy(gdp)`, `growth`,
    /// `cagr`, `gdp / lag(gdp, 1) - 1`): said as [`RateOf::Percent`] is, and its regions'
    /// growths add up to no total's, nor its periods' to the span's (3 towns at +10% are
    /// no county at +30%: `yoy(sum(gdp))` is), so a sum refuses it
    /// ([`crate::kernel::aggregate::not_added`]).
    Growth(Arc<str>),
    /// Its relative change (yoy, growth, cagr, `x / lag(x, 1) - 1`: 52.5% after 50% is
    /// 0.05): said in 百分点 as its difference, never as a growth.
    Relative(Arc<str>),
    /// Its change in its own unit (diff: 2.5, in 百分点 when the rate is in %): said with
    /// `{d:points}`, never as a growth.
    Points(Arc<str>),
}

/// Ways of taking figures across the periods of a year that count a [`Spread`] one again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcrossMonths {
    /// `cumulate` / `ytd`.
    Cumulate,
    /// `quarters`.
    Quarters,
    /// A sum (or, of 累计, a mean) across periods.
    Sum(&'static str),
    /// A change over `k` periods that is not whole years (`pop`, `diff(s, 1)`, `growth(s, 3)`).
    Change(&'static str, i64),
    /// `month_of`.
    MonthOf,
}

impl Series {
    /// Refuses taking this series `how` when its figures stand for more than their period
    /// ([`Series::spread`]) and `how` would count them again: why, and what to write.
    /// Figures by year (one period per year) are never refused.
    pub fn refuse_spread(&self, how: AcrossMonths) -> Result<(), crate::error::Fault> {
        let Some(spread) = self.spread else { return Ok(()) };
        let spread = if spread.is_cumulative() { Spread::Cumulative } else { Spread::Annual };
        let per_year = self.axes.periods.freq.per_year() as i64;
        if per_year <= 1 || !self.by_period {
            return Ok(());
        }
        let month = if per_year == 4 { "quarter" } else { "month" };
        // The year so far as a figure of this panel's periods names it.
        let cum = if per_year == 4 { "1-N季度累计" } else { "1-N月累计" };
        let over = |what: &str, k: i64| if what == "pop" { what.to_string() } else { format!("{what} over {k} period(s)") };
        let why = match (spread, how) {
            (Spread::Cumulative, AcrossMonths::Cumulate) => format!(
                "cumulate of 1-N月累计 (a `cumulative = true` file, or cumulate's own result): each {month} already holds the year so \
                 far, so cumulating again counts the early {month}s several times (100, 210, 330 would become 100, 310, 640); use it \
                 as it is, or month_of(s) for 当月"
            ),
            (Spread::Cumulative, AcrossMonths::Quarters) => format!(
                "quarters of 1-N月累计 (a `cumulative = true` file): each {month} already holds the year so far, so adding three of \
                 them counts months again; the 当季 is quarters(month_of(s)), and 一季度, 上半年, 前三季度 are s itself at 3, 6, 9月"
            ),
            (Spread::Cumulative, AcrossMonths::Sum(stat)) => format!(
                "{stat} across periods of 1-N月累计 (a `cumulative = true` file): each {month} already holds the year so far, so \
                 its {month}s overlap; the year's total is its last {month}'s figure (s at 12月, or latest(s)), and \
                 {stat}(month_of(s), \"periods\") takes the {month}s alone"
            ),
            (Spread::Cumulative, AcrossMonths::Change(what, k)) => format!(
                "{} of 1-N月累计 (a `cumulative = true` file) compares the year so far with a shorter span \
                 (1-3月 with 1-2月, and January with the whole of last year); for 累计同比 write yoy(s), for 当月 month_of(s), \
                 for 当月环比 pop(month_of(s))",
                over(what, k)
            ),
            (Spread::Cumulative, AcrossMonths::MonthOf) => return Ok(()),
            (Spread::Annual, AcrossMonths::Change(what, k)) => format!(
                "{} of a year's figure held in every {month} (an `annual = true` file: a target): its \
                 {month}s hold the same figure, so the change is 0 within a year and the whole year's change at its first {month}; \
                 the change of the year's figure is yoy(s)",
                over(what, k)
            ),
            (Spread::Annual, AcrossMonths::MonthOf) => format!(
                "month_of takes 1-N月累计; this is a year's figure held in every {month} (an `annual = true` file: a target), \
                 which has no 当月: compare it with 累计 as it is (completion(cum.x, target.x)), or take the part due by now \
                 with expected_share"
            ),
            (Spread::Annual | Spread::Shifted { .. }, _) => format!(
                "a year's figure held in every {month} (an `annual = true` file: a target) added across its {month}s counts it \
                 {per_year} times (a target of 1200 would read {}); use it as it is, once per year (compare it with {cum}: \
                 completion(cum.x, target.x)), or take the part due by now with expected_share",
                1200 * per_year
            ),
        };
        Err(crate::error::Fault::type_(why))
    }
}

impl Series {
    /// Refuses `a op b` where one side is 1-N月累计 or a year's figure some months earlier
    /// ([`Spread::Shifted`]) and the other such figures too: why, and what to write.
    pub fn refuse_shifted(a: &Series, b: &Series, op: &str) -> Result<(), crate::error::Fault> {
        let shifted = |s: &Series| matches!(s.spread, Some(Spread::Shifted { .. }));
        let (Some(x), Some(y)) = (a.spread, b.spread) else { return Ok(()) };
        if !(shifted(a) || shifted(b)) || a.axes.periods.freq.per_year() <= 1 {
            return Ok(());
        }
        let why = if x.is_cumulative() || y.is_cumulative() {
            format!(
                "`{op}` of 1-N月累计 and 1-N月累计 some months earlier (lag(s, k)): across a year's start it sets January's 累计 \
                 against last year's whole (110 - 1500 = -1390), and within a year it adds or compares overlapping spans; for \
                 当月 write month_of(s), for 当月环比 pop(month_of(s)), and to check that 累计 never falls month_of(s) >= 0"
            )
        } else {
            format!(
                "`{op}` of a year's figure held in every month (an `annual = true` file: a target) and itself some months earlier \
                 (lag(s, k)): within a year they are the same figure (its sum counts it again, its change is 0), across a year's \
                 start two years' figures; the change of the year's figure is yoy(s)"
            )
        };
        Err(crate::error::Fault::type_(why))
    }
}

impl RateOf {
    /// Its level: a rate's or share's, or a figure's in % ([`RateOf::Percent`]).
    pub fn is_level(&self) -> bool {
        matches!(self, RateOf::Level(_) | RateOf::Percent(_) | RateOf::Growth(_))
    }
    /// A change relative to a base: a figure's growth ([`RateOf::Growth`]) or a rate's
    /// relative change ([`RateOf::Relative`]), which no sum adds up.
    pub fn is_growth(&self) -> bool {
        matches!(self, RateOf::Growth(_) | RateOf::Relative(_))
    }
    /// A growth rate near 0 (yoy, growth, cagr: 0.1 for +10%), not a ratio of a figure to
    /// an earlier one near 1 ([`GROWTH_FACTOR`], [`EARLIER_OVER_LATER`]).
    pub fn is_growth_rate(&self) -> bool {
        match self {
            RateOf::Relative(_) => true,
            RateOf::Growth(n) => !matches!(n.as_ref(), GROWTH_FACTOR | EARLIER_OVER_LATER),
            _ => false,
        }
    }
    /// What a figure in `unit` labelled `label` (declared a rate or not) is of, named
    /// `name`: a rate or share ([`crate::indicator::is_rate_or_share`]), a figure in %, ‰
    /// or an index, or neither.
    pub fn of(name: &str, label: &str, unit: &crate::unit::Unit, declared_rate: bool) -> Option<RateOf> {
        let percent = unit.is_dimensionless() && (unit.is_index() || unit.scale == 0.01 || unit.scale == 0.001);
        if crate::indicator::is_rate_or_share(label, unit, declared_rate) {
            Some(RateOf::Level(Arc::from(name)))
        } else if percent {
            Some(RateOf::Percent(Arc::from(name)))
        } else {
            None
        }
    }
    /// The rate's name in words.
    pub fn name(&self) -> &str {
        match self {
            RateOf::Level(n) | RateOf::Percent(n) | RateOf::Growth(n) | RateOf::Relative(n) | RateOf::Points(n) => n,
        }
    }
}

/// A series' values over the rows it keeps ([`Series::kept_view`]): every other row is
/// missing in every period.
#[derive(Clone, Copy, Debug)]
pub struct KeptView<'a> {
    /// Period-major, `width` values per period.
    pub values: &'a [f64],
    /// Values per period.
    pub width: usize,
    /// Periods.
    pub cols: usize,
    /// Each place's region row (None: place `i` is row `i`).
    pub rows: Option<&'a [u32]>,
}

impl KeptView<'_> {
    /// The region row of place `slot`.
    #[inline]
    pub fn row(&self, slot: usize) -> usize {
        self.rows.map_or(slot, |r| r[slot] as usize)
    }
    /// The values of each period in turn: `cols` slices of `width` values (empty ones
    /// where no row is kept: a top-0 still has its periods).
    pub fn periods(&self) -> impl Iterator<Item = &[f64]> + '_ {
        let w = self.width;
        (0..self.cols).map(move |p| self.values.get(p * w..(p + 1) * w).unwrap_or(&[]))
    }
}

/// See [`Series::missing_why`].
#[derive(Clone, Debug)]
pub struct MissingWhy {
    /// What left the cells missing.
    pub kind: WhyMissing,
    /// The cells (period-major index, as [`Series::data`]), sorted, each with its figure
    /// and the base (a growth) or the target (a completion) it was set against.
    pub cells: Vec<(u32, f64, f64)>,
    /// The unit of those figures.
    pub unit: Unit,
    /// The raw indicator the figures are of, if unchanged (its label: a profit's words).
    pub indicator: Option<usize>,
    /// Other cells left missing for another reason (a growth over a loss beside a county
    /// whose towns differ between the years), looked at after these.
    pub also: Option<Arc<MissingWhy>>,
    /// How many periods before its figure a growth's base is, where that is not a year
    /// (1: 环比 on a panel of months, 上月); 0 for a year-on-year growth or unknown.
    pub periods_back: u32,
}

/// See [`MissingWhy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhyMissing {
    /// A year-on-year growth over a base of zero or below (a loss, nothing a year earlier),
    /// or from a positive base to a figure below zero (由盈转亏; that growth is kept).
    Base,
    /// A completion of a target below zero (a loss limit, 减亏目标).
    NegativeTarget,
    /// A change of a region made of its children whose roll-up counts different regions on
    /// the two sides (a town that joins a county of its towns): 统计范围变化, no growth of
    /// like with like. The figure and the base are those of the two roll-ups.
    Scope,
}

impl MissingWhy {
    /// The reason `kind` for `cells` (sorted: cell, figure, base or target) of figures in
    /// `unit` of `indicator`; None when no cell is missing for it.
    pub fn of(kind: WhyMissing, cells: Vec<(u32, f64, f64)>, unit: &Unit, indicator: Option<usize>) -> Option<Arc<MissingWhy>> {
        (!cells.is_empty()).then(|| Arc::new(MissingWhy { kind, cells, unit: unit.clone(), indicator, also: None, periods_back: 0 }))
    }
    /// The figure and its base or target where cell `cell` was left missing for this reason.
    pub fn at(&self, cell: usize) -> Option<(f64, f64)> {
        let cell = u32::try_from(cell).ok()?;
        self.cells.binary_search_by_key(&cell, |c| c.0).ok().map(|i| (self.cells[i].1, self.cells[i].2))
    }
}

/// Whether facts loaded under `namespace` are targets (plans, 目标, 计划, 任务): a division
/// by one of them is a completion ([`Series::target`]).
pub fn is_target_namespace(namespace: &str) -> bool {
    matches!(
        namespace.to_ascii_lowercase().as_str(),
        "target" | "targets" | "plan" | "plans" | "goal" | "goals" | "目标" | "计划" | "任务" | "目标任务" | "计划目标"
    )
}

/// Whether facts loaded under `namespace` are the same figures a year (or a period)
/// earlier (上年同期, as an office's sheet gives them beside 本期): a division by one of
/// them is a change over the earlier value, as by `lag(x, 1)` ([`Series::lagged`]), so a
/// base below zero gives no growth (a loss of 100 turned into a profit of 50 is
/// 扭亏为盈, not 同比下降150%).
pub fn is_prior_namespace(namespace: &str) -> bool {
    let lower = namespace.trim().to_ascii_lowercase();
    // As sheets head the column: 上年同期数, 同期数, 上年数, 上年同期值, 上年同期数据, and
    // the 累计 pair of a monthly 统计月报 (本年累计 / 上年同期累计, 去年同期累计数).
    // Any run of them (上年同期累计完成数, 上年实际, prior_ytd, ly_cum_value).
    let mut base = lower.as_str();
    loop {
        let trimmed = base.trim_end_matches(['_', '-', '.', ' ']);
        let next = [
            "数据",
            "数",
            "值",
            "累计",
            "完成",
            "实绩",
            "实际",
            "合计",
            "当月",
            "本月",
            "当季",
            // 上年同月 | 本年累计 | 上年同期累计: the heads of a 统计月报; 上年同季(度) of a 季报.
            "同月",
            "同季度",
            "同季",
            "ytd",
            "cum",
            "cumulative",
            "actual",
            "actuals",
            "value",
            "values",
            "total",
        ]
        .iter()
        .find_map(|suffix| trimmed.strip_suffix(suffix).filter(|rest| !rest.is_empty()));
        match next {
            Some(rest) => base = rest,
            None => {
                base = trimmed;
                break;
            }
        }
    }
    matches!(
        base,
        "prior"
            | "previous"
            | "prev"
            | "last_year"
            | "lastyear"
            | "prior_year"
            | "prioryear"
            | "previous_year"
            | "previousyear"
            | "prev_year"
            | "ly"
            | "上年"
            | "上年度"
            | "上一年"
            | "上年同期"
            | "同期"
            | "同月"
            | "同季"
            | "同季度"
            | "去年"
            | "去年同期"
            | "上期"
    )
}

/// See [`Series::own_inputs`].
#[derive(Clone, Debug)]
pub struct OwnInputs {
    /// The indicator and its formula, in words (`` `qd` (qty * 2) ``), for the note.
    pub what: Arc<str>,
    /// Period-major, as the series' data.
    pub cells: Vec<bool>,
}

/// Values a series was made from, by identity (compared with `Arc::ptr_eq`).
pub type Sources = Arc<Vec<Arc<Cells>>>;

/// A roll-up of regions' children (see [`Series::rolled`]): where, and of what.
#[derive(Clone, Debug)]
pub struct RolledUp {
    /// Which cells are a roll-up of whose children.
    pub at: Rolled,
    /// The values rolled up (as [`Series::shown_of`]: the series a shown figure was
    /// filled from, else the values themselves).
    pub of: Sources,
}

/// What a roll-up of regions' children a series holds (see [`Series::rolled`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rolled {
    /// At each region of this level, its children's roll-up (`rollup(x, "county")`).
    Level(u8),
    /// Only the direct children of this region (row) kept (`children(x, "c1")`).
    ChildrenOf(u32),
    /// One value per period: the total of this region's (row's) children
    /// (`sum(children(x, "c1"))`).
    TotalOf(u32),
}

/// A rounded series' origin: its values are `round(source, digits) * factor` (the
/// factor of a unit conversion or a number it was scaled by after rounding), in the
/// rounded series' own unit.
#[derive(Debug, Clone)]
pub struct Rounded {
    /// The values before rounding, in their own unit and with their roll-up rule.
    pub source: Series,
    /// Decimals (tens, hundreds for -1, -2).
    pub digits: i32,
    /// What the rounded values were multiplied by since.
    pub factor: f64,
}

impl Rounded {
    /// The same rounding, its values multiplied by `f` afterwards (a unit conversion,
    /// `round(gdp, 1) * 10000`).
    pub fn scaled(&self, f: f64) -> Arc<Rounded> {
        Arc::new(Rounded { factor: self.factor * f, ..self.clone() })
    }
}

/// A power-of-ten conversion the units made in a product or quotient that a spreadsheet
/// writes by hand as a number next to it: the `/ 100` of `gdp * growth / 100` (the units
/// take 10% as 0.1 in the product already), the `* 100` of `x / completion * 100`, the
/// `/ 10000` of `rev / gdp / 10000 * 100` (万元 / 亿元 divides to a pure number, converting
/// by 0.0001 itself). The numbers written next (`written`, all multiplied together) are
/// read as that conversion when they reach it, never a second time; where they cannot
/// reach it any more the series is settled (`kernel::arith::settle`): a factor beside it
/// that may hold it and more is refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Which conversion.
    pub kind: PendingKind,
    /// The conversion as a multiplier of the values: 0.01 after a product with a percent,
    /// 100 after a division by one, 0.0001 for 万元 / 亿元.
    pub conversion: f64,
    /// The numbers written beside it so far, multiplied together (1: none).
    pub written: f64,
    /// Those of them that are powers of ten, multiplied together (see
    /// [`Series::scaled_pow`]).
    pub written_pow: f64,
    /// How it is named in messages ("a product with a percent", "a division of 万元 by
    /// 亿元").
    pub what: Arc<str>,
    /// Carried into a series some function made of the values (`diff`, `top`, `map`):
    /// numbers written after that can no longer be read as the conversion, and where the
    /// series is used or given as a result, one that is still unclear is refused.
    pub consumed: bool,
}

/// What a [`Pending`] conversion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingKind {
    /// A percent taken as a fraction in a product (or a division by it).
    Percent,
    /// Two scales of one unit divided to a pure number (万元 / 亿元).
    Quotient,
}

/// Where a roll-up's set of regions grows: what a change across the entry is taken over.
/// A total across regions (`sum(gdp)` of towns) is a roll-up into one row: its level is
/// [`Basis::ACROSS`], its target row 0, and its entries are the periods where the set of
/// regions with a value differs from the period before (a town entering, or one that
/// has not delivered).
#[derive(Debug, Clone)]
pub struct Basis {
    /// The series that was rolled up: who counts, and when.
    pub source: Series,
    /// The level it was rolled up to ([`Basis::ACROSS`]: across all regions).
    pub level: u8,
    /// (target row, first period counted, entering region's row), sorted; one per target
    /// and period. Across regions: (0, a period whose regions with a value differ from
    /// the period before, one such region's row).
    pub entries: Vec<(u32, u32, u32)>,
    /// What was done to the roll-up since (a unit conversion, a factor, 当月 from 累计),
    /// in order: done to `source` too, the comparable basis is over the same quantity.
    pub steps: Vec<Step>,
    /// Why a change across the entries cannot be taken on a comparable basis (a sum or a
    /// ratio of roll-ups): such changes are left missing, with this said. None: they are
    /// taken over the regions with a value in both periods.
    pub lost: Option<Arc<str>>,
    /// The totals of `rollup(x, level, "reported")`, as SQL's SUM gives them: a change
    /// across the entries is of the totals as they are, with a note naming the regions
    /// they differ by (`rollup(x, level)` takes it on a comparable basis).
    pub as_summed: bool,
}

/// One operation on a roll-up that keeps it a per-region quantity of the same regions,
/// to be done to its basis' source as well.
#[derive(Clone)]
pub struct Step(pub Arc<StepFn>);

/// What a [`Step`] does to a series.
pub type StepFn = dyn Fn(&Series) -> Result<Series, crate::error::Fault> + Send + Sync;

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Step")
    }
}

impl Basis {
    /// The level of a total across regions: one row over every region of the source.
    pub const ACROSS: u8 = u8::MAX;

    /// The target row `t` in a note: the region, or "the total across regions".
    pub fn target_label(&self, axes: &crate::panel::Axes, t: u32) -> String {
        if self.level == Basis::ACROSS { "the total across regions".to_string() } else { axes.regions.label(t).to_string() }
    }

    /// The source with every step done to it: the values a comparable basis sums.
    pub fn values(&self) -> Result<Series, crate::error::Fault> {
        let mut s = self.source.clone();
        for step in &self.steps {
            s = (step.0)(&s)?;
        }
        Ok(s)
    }
}

impl Series {
    /// Rows: the number of regions, or 1 when not by region.
    pub fn rows(&self) -> usize {
        if self.by_region { self.axes.regions.len() } else { 1 }
    }
    /// Columns: the number of periods, or 1 when not by period.
    pub fn cols(&self) -> usize {
        if self.by_period { self.axes.periods.len } else { 1 }
    }
    /// A new series of the same shape and axes with other values.
    pub fn with(&self, data: Vec<f64>, unit: Unit, agg: Agg) -> Series {
        self.shaped(self.by_region, self.by_period, data, unit, agg)
    }
    /// A new series of a given shape.
    pub fn shaped(&self, by_region: bool, by_period: bool, data: Vec<f64>, unit: Unit, agg: Agg) -> Series {
        self.shaped_cells(by_region, by_period, Cells::from(data), unit, agg)
    }
    /// [`Series::with`] of values that may keep only some rows ([`Cells::on_rows`]).
    pub fn with_cells(&self, data: Cells, unit: Unit, agg: Agg) -> Series {
        self.shaped_cells(self.by_region, self.by_period, data, unit, agg)
    }
    fn shaped_cells(&self, by_region: bool, by_period: bool, data: Cells, unit: Unit, agg: Agg) -> Series {
        let data = Arc::new(data);
        crate::memory::made(&data);
        Series {
            data,
            axes: self.axes.clone(),
            by_region,
            by_period,
            unit,
            mask: false,
            agg,
            indicator: None,
            // A function of values whose conversion is still open: see `Pending::consumed`.
            pending: self.pending.as_ref().map(|p| Pending { consumed: true, ..p.clone() }),
            scaled_by: 1.0,
            scaled_pow: 1.0,
            basis: None,
            rounded: None,
            lagged: false,
            leads: false,
            lag_numerator: None,
            sized_base: None,
            change_base: None,
            listed: None,
            // Each row's values still come from the same period as `self`'s.
            periods_of: if !by_period && !self.by_period && by_region == self.by_region { self.periods_of.clone() } else { None },
            declared: false,
            shown: None,
            covered: None,
            counts: None,
            rolled: None,
            shown_of: None,
            own_since: None,
            parts: None,
            own_inputs: None,
            made_of: None,
            target: None,
            missing_why: None,
            unevaluated: None,
            rate: None,
            spread: None,
            ties: None,
            // A cell-wise operation of a selection (`round(only(gdp, "t1"))`) still has
            // the cells left out.
            selected: self.selected.clone().filter(|_| by_region == self.by_region && by_period == self.by_period),
            data_periods: self.data_periods.clone().filter(|_| by_period && self.by_period),
            gap_origin: self.gap_origin.clone().filter(|_| by_region == self.by_region && by_period == self.by_period),
            lag_source: self.lag_source.clone().filter(|_| by_region == self.by_region && by_period == self.by_period),
            form_of: None,
            lag_times: None,
        }
    }
    /// Why cell (r, p) is missing though what it is made of is there, with its figure and
    /// its base or target ([`Series::missing_why`]); None where that is not known.
    pub fn missing_why_at(&self, r: usize, p: usize) -> Option<(&MissingWhy, f64, f64)> {
        let (r, p) = (if self.by_region { r } else { 0 }, if self.by_period { p } else { 0 });
        let mut why = self.missing_why.as_deref();
        while let Some(w) = why {
            if let Some((x, b)) = w.at(p * self.rows() + r) {
                return Some((w, x, b));
            }
            why = w.also.as_deref();
        }
        None
    }
    /// Whether cell (r, p) of a rank is a place another region shares ([`Series::ties`]).
    pub fn tied_at(&self, r: usize, p: usize) -> bool {
        let (r, p) = (if self.by_region { r } else { 0 }, if self.by_period { p } else { 0 });
        self.ties.as_deref().is_some_and(|t| t.get(p * self.rows() + r).copied().unwrap_or(false))
    }
    /// The values, taken without copying when this is the only reference.
    pub fn take_data(&mut self) -> Vec<f64> {
        let d = std::mem::take(&mut self.data);
        Arc::try_unwrap(d).map(Cells::into_vec).unwrap_or_else(|shared| shared.to_full())
    }
    /// Value at (row, col), broadcasting a single row or column.
    #[inline]
    pub fn get(&self, r: usize, p: usize) -> f64 {
        let r = if self.by_region { r } else { 0 };
        let p = if self.by_period { p } else { 0 };
        self.data.cell(p * self.rows() + r)
    }
    /// The values over the rows they are kept for ([`Cells::kept`]: a roll-up's level),
    /// else over every row; nothing is built.
    pub fn kept_view(&self) -> KeptView<'_> {
        match self.data.kept().filter(|k| k.total_rows == self.rows() && k.cols == self.cols()) {
            Some(k) => KeptView { values: &k.values, width: k.rows.len(), cols: k.cols, rows: Some(&k.rows) },
            None => KeptView { values: &self.data, width: self.rows(), cols: self.cols(), rows: None },
        }
    }
    /// Whether it is one number (neither by region nor by period).
    pub fn is_scalar(&self) -> bool {
        !self.by_region && !self.by_period
    }
    /// Number of non-missing cells.
    pub fn count(&self) -> usize {
        self.data.present()
    }
    /// Gives `out` (made from `self` by an operation that keeps it a per-region
    /// quantity of the same regions, of the same shape) `self`'s basis, with `step` to be
    /// done to the basis' source too.
    pub fn basis_through(&self, out: &mut Series, step: impl Fn(&Series) -> Result<Series, crate::error::Fault> + Send + Sync + 'static) {
        out.basis = match &self.basis {
            Some(b) if out.by_region == self.by_region && out.by_period == self.by_period => {
                let mut b = b.as_ref().clone();
                if b.lost.is_none() {
                    b.steps.push(Step(Arc::new(step)));
                }
                Some(Arc::new(b))
            }
            _ => None,
        };
    }
    /// Gives `out` (made from `inputs` by an operation the basis of a roll-up cannot be
    /// carried through: a sum or a ratio of roll-ups) their entries with the reason, so a
    /// change across them is left missing rather than taken over different regions. A
    /// mask or a series not over periods keeps none; a series across regions (a sum of
    /// county roll-ups) keeps them as a total across regions.
    pub fn basis_lost(inputs: &[&Series], out: &mut Series, why: &str) {
        out.basis = None;
        if out.mask || !out.by_period {
            return;
        }
        let bases: Vec<&Arc<Basis>> = inputs.iter().filter_map(|s| s.basis.as_ref()).collect();
        let Some(first) = bases.first() else { return };
        let across = bases.iter().any(|b| b.level == Basis::ACROSS);
        let mut b = first.as_ref().clone();
        b.entries.clear();
        for other in &bases {
            if out.by_region && other.level == Basis::ACROSS {
                // A total across regions beside a series over regions (`gdp / sum(gdp)`,
                // a share of the county): each region's value is over the total's regions,
                // so a change of it across the total's entries is one across different
                // regions, in every region's row.
                let rows = out.rows() as u32;
                b.entries.reserve(other.entries.len().saturating_mul(rows as usize));
                for &(_, p, c) in &other.entries {
                    b.entries.extend((0..rows).map(|t| (t, p, c)));
                }
            } else {
                b.entries.extend_from_slice(&other.entries);
            }
            b.lost = b.lost.or_else(|| other.lost.clone());
        }
        if out.by_region {
            if let Some(by_region) = bases.iter().find(|b| b.level != Basis::ACROSS) {
                b.level = by_region.level;
                b.source = by_region.source.clone();
            } else {
                b.level = 0;
            }
        } else {
            // One row: every target is the total's.
            for e in &mut b.entries {
                e.0 = 0;
            }
            b.level = Basis::ACROSS;
        }
        b.entries.sort_unstable();
        b.entries.dedup_by_key(|e| (e.0, e.1));
        b.steps.clear();
        // The callers speak of a roll-up; a total across regions (`sum(gdp)` over towns)
        // is not one to the analyst, who wrote no roll-up.
        let why = if across {
            why.split(" (")
                .next()
                .unwrap_or(why)
                .replace("a roll-up that a region enters", "a total across regions whose regions with a value differ between the periods")
        } else {
            why.to_string()
        };
        b.lost = Some(b.lost.unwrap_or_else(|| Arc::from(why.as_str())));
        out.basis = Some(Arc::new(b));
    }
    /// Refuses `what` (an operation across regions) of a series whose regions' values
    /// come from different periods (see [`Series::periods_of`]), naming them.
    pub fn same_periods(&self, what: &str) -> Result<(), crate::error::Fault> {
        let Some(of) = &self.periods_of else { return Ok(()) };
        let mut by: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
        for (r, &p) in of.iter().enumerate().filter(|(_, p)| **p != u32::MAX) {
            by.entry(p).or_default().push(r as u32);
        }
        if by.len() < 2 {
            return Ok(());
        }
        let axis = self.axes.periods;
        let shown: Vec<String> = by
            .iter()
            .rev()
            .take(3)
            .map(|(&p, rows)| {
                let names: Vec<&str> = rows.iter().take(3).map(|&r| self.axes.regions.label(r)).collect();
                let more = if rows.len() > 3 { format!(" and {} more", rows.len() - 3) } else { String::new() };
                format!("{}{more}: {}", names.join(", "), axis.get(p as usize))
            })
            .collect();
        let latest = by.keys().next_back().map(|&p| axis.get(p as usize).to_string()).unwrap_or_default();
        Err(crate::error::Fault::type_(format!(
            "{what} would mix periods: each region's latest figure is of another period ({}); take one period first, \
             in_period(x, \"{latest}\"), or roll up before taking the latest, latest(rollup(x, level))",
            shown.join("; ")
        )))
    }
    /// A roll-up rule that refuses, saying why and what to do instead.
    pub fn no_rollup(reason: impl Into<String>) -> Agg {
        Agg::None(Arc::from(reason.into()))
    }
}

#[cfg(test)]
mod namespace_tests {
    use super::*;

    /// 上年同期 figures under the names sheets give their column; targets are no such figures.
    #[test]
    fn earlier_figures_are_named_as_sheets_head_them() {
        // The 累计 pair of a monthly 统计月报 and the English forms too (fixes15 04: a loss
        // turned into a profit was said 同比下降150% under these).
        for ns in [
            "prior",
            "Prior",
            "上年同期",
            "上年同期数",
            "同期数",
            "去年同期数",
            "上年数",
            "上年同期值",
            "上期",
            "上年同期数据",
            "上年同期累计",
            "去年同期累计",
            "上年累计",
            "上年度",
            "prior_year",
            "previous_year",
            "上年同期累计数",
            "上年同期累计完成",
            "上年同期实际",
            "上年实际",
            "prior_ytd",
            "ly_cum_value",
            "上年同期累计完成数",
            "上年同月",
            "去年同月",
            "上年同月累计",
            "上年同季",
            "上年同季度",
            "同月数",
        ] {
            assert!(is_prior_namespace(ns), "{ns}");
        }
        for ns in [
            "target",
            "plan",
            "cum",
            "数",
            "reported_yoy",
            "本期",
            "本年",
            "本年累计",
            "累计",
            "ytd",
            "actual",
            "cumulative",
            "本年实际",
            "total",
            "本月",
            "本季",
        ] {
            assert!(!is_prior_namespace(ns), "{ns}");
        }
    }
}
