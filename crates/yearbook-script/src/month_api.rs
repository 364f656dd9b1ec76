//! Monthly work for scripts: 1-N月累计 and 当月, quarter totals, 时间进度 and the pace of a
//! target (时间过半任务过半), 两年平均增速. Kernels in `yearbook_core::kernel::calendar`.

use crate::Raised;
use crate::eval;
use rhai::{Array, Engine, EvalAltResult, NativeCallContext};
use yearbook_core::check::{self, Check};
use yearbook_core::error::Fault;
use yearbook_core::kernel::aggregate::Adds;
use yearbook_core::kernel::{calendar, time};
use yearbook_core::schedule::Schedule;
use yearbook_core::series::Series;

type R<T = Series> = Result<T, Box<EvalAltResult>>;

fn ok<T, E: Into<Fault>>(r: Result<T, E>) -> R<T> {
    r.map_err(|e| crate::raise(e.into()))
}

/// The workspace's schedule (`[workspace] schedule`).
fn workspace_schedule(ctx: &NativeCallContext) -> R<Schedule> {
    Ok(eval::of(ctx)?.data.schedule.clone())
}

/// A schedule given in a call: cumulative percents at quarter (4) or month (12) ends.
fn schedule_of(a: Array) -> R<Schedule> {
    let points = a
        .iter()
        .map(|d| crate::number_of(d).map_err(|t| Fault::type_(format!("a schedule lists numbers (percent), not {t}")).raised()))
        .collect::<R<Vec<f64>>>()?;
    Schedule::from_percents(&points).map_err(|m| Fault::type_(m).raised())
}

/// Refuses `month_of` of figures that do not add up over periods ([`Adds::Periods`]):
/// the 1-N月累计 of a rate, a price or a share (累计产销率 98.2%) is no sum of months, so
/// the difference of two is no month's figure (当月产销率 0.2%); a stock's 累计 column is
/// its level at the month's end, whose difference is a change, not a 当月.
fn refuse_month_of(ctx: &NativeCallContext, s: &Series) -> R<()> {
    let kind = crate::series_api::loaded_kind(ctx, s);
    let Some(what) = yearbook_core::kernel::aggregate::not_added(s, kind, Adds::Periods) else { return Ok(()) };
    let name = crate::series_api::name_of(ctx, s).unwrap_or_else(|| "x".into());
    let instead = if what.starts_with("a stock") {
        format!("its 累计 is its level at the period's end, so the month's figure is {name} itself, and diff({name}) its change")
    } else {
        "its 1-N月累计 is no sum of months, so the difference of two is no month's figure; take the month's from its parts \
         (month_of(a) / month_of(b))"
            .to_string()
    };
    Err(Fault::unit(format!("month_of: `{name}` is {what}: {instead}")).raised())
}

/// Registers the monthly functions.
pub fn register(e: &mut Engine) {
    reg!(
        e,
        "cumulate",
        ["s: Series", "Series"],
        "1-N月累计 from figures for each month (or quarter) alone: the running sum within each year. A missing month leaves the rest of its year missing; a year the data starts inside (at 3月) is missing there. Such a cell stays a gap of its region, so a roll-up of it is missing with a note (a county's 1-12月累计 with a town whose January is unknown), never the other towns' total. Identity for annual data. Figures that do not add up over periods are refused, as in sum(s, \"periods\"): a rate, a share, a unit such as % or 元/人, a kind = stock indicator (cumulate the parts: cumulate(a) / cumulate(b)).",
        |ctx: NativeCallContext, s: Series| -> R {
            // Annual figures are their own totals (cumulate is the identity there).
            if s.axes.periods.freq != yearbook_core::period::Frequency::Year {
                crate::series_api::refuse_adding(&ctx, &s, Adds::Periods, "cumulate")?;
            }
            ok(calendar::cumulate(&s))
        }
    );
    reg!(
        e,
        "ytd",
        ["s: Series", "Series"],
        "Year-to-date cumulation (1-N月累计): the same as cumulate(s).",
        |ctx: NativeCallContext, s: Series| -> R {
            // Annual figures are their own totals (cumulate is the identity there).
            if s.axes.periods.freq != yearbook_core::period::Frequency::Year {
                crate::series_api::refuse_adding(&ctx, &s, Adds::Periods, "ytd")?;
            }
            ok(calendar::cumulate(&s))
        }
    );
    reg!(
        e,
        "month_of",
        ["cum: Series", "Series"],
        "当月 from 1-N月累计: this month's cumulative figure minus last month's within the year (January's is its own; 当季 for quarterly data). Missing where either is missing: a month not reported leaves it and the next month missing. Figures that do not add up over periods are refused, as in cumulate: the 累计 of a rate or a price is no sum of months, and a stock's is its level (take month_of of the parts: month_of(cum.a) / month_of(cum.b)).",
        |ctx: NativeCallContext, s: Series| -> R {
            refuse_month_of(&ctx, &s)?;
            ok(calendar::month_of(&s))
        }
    );
    reg!(
        e,
        "quarters",
        ["s: Series", "Series"],
        "Quarter totals (当季) of monthly figures for the month alone, at each quarter's last month (3, 6, 9, 12月); other months missing. 一季度/上半年/前三季度 cumulative: cumulate(s) at 3, 6, 9月. Figures that do not add up over periods are refused, as in cumulate.",
        |ctx: NativeCallContext, s: Series| -> R {
            crate::series_api::refuse_adding(&ctx, &s, Adds::Periods, "quarters")?;
            ok(calendar::quarters(&s))
        }
    );
    reg!(
        e,
        "expected_share",
        ["s: Series", "Series"],
        "时间进度: the share of the year's task expected by the end of each period, as a fraction (3月: 0.25, or per [workspace] schedule), where s has a value; pct() for percent.",
        |ctx: NativeCallContext, s: Series| -> R {
            let sched = workspace_schedule(&ctx)?;
            ok(calendar::expected_share(&s, &sched))
        }
    );
    reg!(
        e,
        "expected_share",
        ["s: Series", "schedule: Array", "Series"],
        "时间进度 per a schedule of cumulative percents at quarter ends ([20, 45, 75, 100]: 一季度20%, 上半年45%) or 12 month ends; months inside a quarter are interpolated.",
        |s: Series, a: Array| -> R {
            let sched = schedule_of(a)?;
            ok(calendar::expected_share(&s, &sched))
        }
    );
    reg!(
        e,
        "pacing",
        ["actual: Series", "target: Series", "Series"],
        "进度差 in 百分点: completion (1-N月累计 actual / the year's target) minus the expected share by now; below zero is behind schedule (落后进度).",
        |ctx: NativeCallContext, a: Series, t: Series| -> R {
            crate::series_api::refuse_single_periods(&ctx, &a, &t, "pacing")?;
            let sched = workspace_schedule(&ctx)?;
            ok(calendar::pacing(&a, &t, &sched))
        }
    );
    reg!(
        e,
        "pacing",
        ["actual: Series", "target: Series", "schedule: Array", "Series"],
        "进度差 in 百分点 against a schedule of cumulative percents ([20, 45, 75, 100]).",
        |ctx: NativeCallContext, a: Series, t: Series, s: Array| -> R {
            crate::series_api::refuse_single_periods(&ctx, &a, &t, "pacing")?;
            let sched = schedule_of(s)?;
            ok(calendar::pacing(&a, &t, &sched))
        }
    );
    reg!(
        e,
        "on_pace",
        ["actual: Series", "target: Series", "tolerance_points: f64", "Check"],
        "Rule 时间过半任务过半: completion of the year's target is at most tolerance_points 百分点 behind the expected share by now. Values: actual, target, completion, expected, pacing ({pacing:pace} says 落后进度N个百分点 or 超前).",
        |ctx: NativeCallContext, a: Series, t: Series, tol: f64| -> R<Check> {
            crate::series_api::refuse_single_periods(&ctx, &a, &t, "on_pace")?;
            let sched = workspace_schedule(&ctx)?;
            ok(check::on_pace(a, t, tol, &sched))
        }
    );
    reg!(
        e,
        "on_pace",
        ["actual: Series", "target: Series", "tolerance_points: f64", "schedule: Array", "Check"],
        "Rule 时间过半任务过半 against a schedule of cumulative percents ([20, 45, 75, 100]).",
        |ctx: NativeCallContext, a: Series, t: Series, tol: f64, s: Array| -> R<Check> {
            crate::series_api::refuse_single_periods(&ctx, &a, &t, "on_pace")?;
            let sched = schedule_of(s)?;
            ok(check::on_pace(a, t, tol, &sched))
        }
    );
    reg!(
        e,
        "two_year_avg",
        ["s: Series", "Series"],
        "两年平均增速 from values: sqrt(s / s two years earlier) - 1, as a fraction (the same as cagr(s, 2)).",
        |s: Series| ok(time::cagr(&s, 2))
    );
    reg!(
        e,
        "two_year_avg_growth",
        ["growth: Series", "Series"],
        "两年平均增速 from reported growths (fraction or %): sqrt((1 + this year's) x (1 + last year's)) - 1, as a fraction.",
        |g: Series| ok(calendar::two_year_avg_of_growth(&g))
    );
}
