//! Kernels against naive reference implementations, on random trees and panels.

use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use yearbook::kernel::aggregate::{Stat, across_regions, across_regions_as};
use yearbook::kernel::arith::{Op, binary};
use yearbook::kernel::{rank, rollup, time};
use yearbook::panel::Axes;
use yearbook::period::{Frequency, PeriodAxis};
use yearbook::region::{RegionRecord, Regions};
use yearbook::series::{Agg, Series};
use yearbook::unit::Unit;

/// 1 province, `counties` counties, towns spread over them.
fn axes(counties: usize, towns: usize, years: usize) -> Arc<Axes> {
    let levels = ["province", "city", "county", "town", "village"].iter().map(|s| s.to_string()).collect();
    let mut recs = vec![RegionRecord { code: "p".into(), name: "P".into(), level: "province".into(), parent: String::new(), line: 2 }];
    for c in 0..counties {
        recs.push(RegionRecord { code: format!("c{c}"), name: String::new(), level: "county".into(), parent: "p".into(), line: 0 });
    }
    for t in 0..towns {
        recs.push(RegionRecord {
            code: format!("t{t}"),
            name: String::new(),
            level: "town".into(),
            parent: format!("c{}", t % counties),
            line: 0,
        });
    }
    let regions = Regions::build(levels, recs).unwrap();
    Arc::new(Axes::new(regions, PeriodAxis { freq: Frequency::Year, first: 2000, len: years }))
}

fn series(axes: &Arc<Axes>, data: Vec<f64>) -> Series {
    Series {
        data: Arc::new(data.into()),
        axes: axes.clone(),
        by_region: true,
        by_period: true,
        unit: Unit::parse("万元"),
        mask: false,
        agg: Agg::Sum,
        indicator: None,
        pending: None,
        scaled_by: 1.0,
        scaled_pow: 1.0,
        rounded: None,
        lagged: false,
        leads: false,
        lag_numerator: None,
        sized_base: None,
        change_base: None,
        listed: None,
        periods_of: None,
        declared: true,
        shown: None,
        rolled: None,
        shown_of: None,
        own_since: None,
        parts: None,
        own_inputs: None,
        covered: None,
        counts: None,
        made_of: None,
        missing_why: None,
        unevaluated: None,
        target: None,
        rate: None,
        spread: None,
        ties: None,
        selected: None,
        data_periods: None,
        gap_origin: None,
        lag_source: None,
        form_of: None,
        lag_times: None,
        basis: None,
    }
}

/// Town values with some missing; other rows missing.
fn panel_values() -> impl Strategy<Value = (usize, usize, usize, Vec<Option<f64>>)> {
    (1usize..4, 1usize..12, 1usize..6).prop_flat_map(|(c, t, y)| {
        let n = (1 + c + t) * y;
        (Just(c), Just(t), Just(y), proptest::collection::vec(proptest::option::weighted(0.85, 0.5f64..1000.0), n))
    })
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

proptest! {
    /// A tolerance check (balance, growth_consistency) decides in one pass over both
    /// sides and keeps the imbalance as `a - b` read per cell: the same verdicts and the
    /// same imbalances as |a - b| <= tol over a series of differences, across units.
    #[test]
    fn tolerance_check_matches_naive((c, t, y, vals) in panel_values(), other in proptest::collection::vec(proptest::option::weighted(0.85, 0.5f64..1000.0), 100), tol in 0.0f64..50.0) {
        let ax = axes(c, t, y);
        let a = series(&ax, vals.iter().map(|v| v.unwrap_or(f64::NAN)).collect());
        // The parts in 亿元 (1 亿元 = 10000 万元): converted to the total's unit.
        let mut b = series(&ax, (0..a.data.len()).map(|k| other[k % 100].map(|x| x / 10000.0).unwrap_or(f64::NAN)).collect());
        b.unit = Unit::parse("亿元");
        // Sides with figures at levels or in periods apart (by chance, a county's alone
        // against towns') are refused: no cell would have both.
        let check = match yearbook::check::balance(a.clone(), std::slice::from_ref(&b), tol) {
            Err(e) if e.to_string().contains("no region has both") || e.to_string().contains("no period has both") => {
                prop_assert!((0..a.data.len()).all(|k| a.data[k].is_nan() || b.data[k].is_nan()));
                return Ok(());
            }
            other => other.unwrap(),
        };
        let imb = check.imbalance.clone().unwrap();
        prop_assert_eq!(imb.unit().symbol.as_ref(), "万元");
        for k in 0..a.data.len() {
            let (r, p) = (k % a.rows(), k / a.rows());
            let d = a.data[k] - b.data[k] * 10000.0;
            let naive_imb = if d.is_finite() { d } else { f64::NAN };
            prop_assert!(same(imb.get(r, p), naive_imb), "imbalance at {k}");
            let t2 = tol + tol * 1e-12 + 1e-12;
            let naive_pass = if naive_imb.is_nan() { f64::NAN } else if naive_imb.abs() <= t2 || (naive_imb.abs() - t2).abs() <= 1e-9 * naive_imb.abs().max(t2) { 1.0 } else { 0.0 };
            prop_assert!(same(check.pass.data[k], naive_pass), "pass at {k}: {} vs {naive_pass}", check.pass.data[k]);
        }
        prop_assert!(check.pass.mask);
        let whole = match imb.to_series() {
            Err(e) if e.to_string().contains("no region has both") || e.to_string().contains("no period has both") => {
                prop_assert!(check.pass.data.iter().all(|v| v.is_nan()));
                return Ok(());
            }
            other => other.unwrap(),
        };
        for k in 0..a.data.len() {
            prop_assert!(same(whole.data[k], imb.get(k % a.rows(), k / a.rows())));
        }
    }

    /// A sum, mean or count across regions (added four periods at a time) is bit for bit
    /// the sequential sum of each period's values in row order, with -0.0, negatives and
    /// gaps; values at two levels are refused naming the first two in period, row order.
    #[test]
    fn across_regions_adds_each_period_in_row_order((c, t, y, vals) in panel_values(), signs in proptest::collection::vec(0u8..4, 64), county in proptest::option::of((0usize..3, 0usize..6))) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        let mut data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| {
            if k % r <= c { return f64::NAN; }
            match (v, signs[k % 64]) { (None, _) => f64::NAN, (Some(_), 0) => -0.0, (Some(x), 1) => -x, (Some(x), _) => *x }
        }).collect();
        // A county's own figure beside its towns'.
        let mixed = county.filter(|&(cc, p)| cc < c && p < y).map(|(cc, p)| { data[p * r + 1 + cc] = 7.5; (cc, p) });
        let s = series(&ax, data.clone());
        for stat in [Stat::Sum, Stat::Mean, Stat::Count] {
            // The figures present (axis "reported"): gaps are `gaps_leave_a_statistic_missing`'s.
            let got = across_regions_as(&s, stat, true);
            if let Some((cc, p)) = mixed {
                // The first value in period and row order, and the first of another level.
                let cells: Vec<usize> = (0..y * r).filter(|&k| !data[k].is_nan()).collect();
                let first = cells[0] % r;
                let is_county = |i: usize| (1..=c).contains(&i);
                let other = cells.iter().map(|&k| k % r).find(|&i| is_county(i) != is_county(first));
                match other {
                    Some(o) => {
                        let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
                        let (county_row, town_row) = if is_county(first) { (first, o) } else { (o, first) };
                        prop_assert!(msg.contains(&format!("c{} (county) and t{} (town)", county_row - 1, town_row - 1 - c)), "{msg} ({cc}, {p})");
                    }
                    None => prop_assert!(got.is_ok()),
                }
                continue;
            }
            let got = got.unwrap();
            for p in 0..y {
                let col: Vec<f64> = data[p * r..(p + 1) * r].iter().copied().filter(|v| !v.is_nan()).collect();
                let naive = match stat {
                    Stat::Count => col.len() as f64,
                    _ if col.is_empty() => f64::NAN,
                    Stat::Mean => col.iter().sum::<f64>() / col.len() as f64,
                    _ => col.iter().sum::<f64>(),
                };
                prop_assert_eq!(got.data[p].to_bits(), naive.to_bits(), "{:?} period {}", stat, p);
                // Which regions each total adds (their areas' wrapping sum), and which
                // periods have a value, taken in the same pass.
                let present: Vec<usize> = (0..r).filter(|&i| !data[p * r + i].is_nan()).collect();
                if stat != Stat::Count {
                    let areas = ax.areas();
                    let sig = present.iter().fold(0u64, |acc, &i| acc.wrapping_add(areas[i]));
                    prop_assert_eq!(got.counts.as_ref().and_then(|c| c.get(p)), Some(sig).filter(|&s| s != 0), "{:?} signature, period {}", stat, p);
                }
                prop_assert_eq!(got.data_periods.as_ref().map(|d| d[p]), Some(!present.is_empty()), "{:?} data period {}", stat, p);
            }
        }
    }

    /// Which cells are made of their children (no figure of their own, a figure below),
    /// and what a growth keeps of it, against a naive walk of each cell's descendants.
    #[test]
    fn made_of_children_matches_naive((c, t, y, vals) in panel_values(), own in proptest::collection::vec(proptest::bool::weighted(0.3), 32)) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        // Towns' values as drawn, some counties and the province with figures of their own.
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c || own[k % 32] { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let s = series(&ax, data.clone());
        let parent = &ax.regions.parent;
        let below = |i: usize, p: usize| (0..r).any(|d| {
            let mut a = parent[d];
            while (a as usize) < r { if a as usize == i { return !data[p * r + d].is_nan(); } a = parent[a as usize]; }
            false
        });
        let naive: Vec<bool> = (0..y * r).map(|k| data[k].is_nan() && below(k % r, k / r)).collect();
        let got = rollup::made_of_children(&s);
        prop_assert_eq!(got.clone().unwrap_or_else(|| vec![false; y * r]), naive.clone());
        prop_assert_eq!(got.is_some(), naive.iter().any(|&b| b));
        for lag in [1i64, 2] {
            let g = time::growth(&s, lag).unwrap();
            let want: Vec<bool> = (0..y * r).map(|k| {
                let p = k / r;
                g.data[k].is_nan() && (naive[k] || (p as i64 - lag >= 0 && naive[k - lag as usize * r]))
            }).collect();
            let kept = g.made_of.as_ref().map(|m| m.to_vec()).unwrap_or_else(|| vec![false; y * r]);
            prop_assert_eq!(kept, want);
        }
    }

    /// A yoy left missing over a base of zero or below keeps each such cell with its
    /// figure and base (a report says 扭亏为盈 there), and so does one from a positive base
    /// to a figure below zero (由盈转亏), and none elsewhere.
    #[test]
    fn yoy_keeps_the_cells_over_low_bases((c, t, y, vals) in panel_values(), signs in proptest::collection::vec(0u8..5, 64)) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| match (v, signs[k % 64]) {
            (None, _) => f64::NAN,
            (Some(_), 0) => 0.0,
            (Some(x), 1) => -x,
            (Some(x), _) => *x,
        }).collect();
        let s = series(&ax, data.clone());
        let g = time::growth(&s, 1).unwrap();
        let naive: Vec<(u32, u64, u64)> = (r..y * r)
            .filter(|&k| !data[k].is_nan() && (data[k - r] <= 0.0 || (data[k - r] > 0.0 && data[k] < 0.0 && !g.data[k].is_nan())))
            .map(|k| (k as u32, data[k].to_bits(), data[k - r].to_bits()))
            .collect();
        let got: Vec<(u32, u64, u64)> = g.missing_why.as_ref().map(|w| w.cells.iter().map(|c| (c.0, c.1.to_bits(), c.2.to_bits())).collect()).unwrap_or_default();
        prop_assert_eq!(got, naive);
    }

    #[test]
    fn yoy_matches_naive((c, t, y, vals) in panel_values()) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        let data: Vec<f64> = vals.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        let s = series(&ax, data.clone());
        let g = time::growth(&s, 1).unwrap();
        let mut map = HashMap::new();
        for p in 0..y { for i in 0..r { map.insert((i, p as i32 + 2000), data[p * r + i]); } }
        for p in 0..y { for i in 0..r {
            let naive = match (map.get(&(i, p as i32 + 2000)), map.get(&(i, p as i32 + 1999))) {
                (Some(a), Some(b)) if *b != 0.0 => a / b - 1.0,
                _ => f64::NAN,
            };
            prop_assert!(same(g.data[p * r + i], naive));
        }}
    }

    /// A roll-up keeps only its level's rows; what the kernels that know this give
    /// (changes over time, a statistic across regions, counting, reading a cell) is bit
    /// for bit what they give over the whole matrix, and they never build it.
    #[test]
    fn kept_rows_give_what_the_whole_matrix_gives((c, t, y, vals) in panel_values()) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let s = series(&ax, data);
        let bits = |x: &Series| -> Vec<u64> { x.data.iter().map(|v| v.to_bits()).collect() };
        let whole_of = |x: &Series| Series { data: Arc::new(yearbook::cells::Cells::from(x.data.to_full())), ..x.clone() };
        for (level, reported) in [(2u8, false), (0, false), (2, true), (0, true)] {
            let kept = rollup::rollup_with(&s, level, reported).unwrap();
            let k = kept.data.kept().unwrap();
            prop_assert_eq!(k.rows.len(), if level == 0 { 1 } else { c });
            let mut whole = kept.clone();
            whole.data = Arc::new(yearbook::cells::Cells::from(kept.data.to_full()));
            prop_assert!(whole.data.kept().is_none());
            prop_assert_eq!(kept.count(), whole.count());
            prop_assert_eq!(kept.data.len(), whole.data.len());
            for p in 0..y {
                for i in 0..r {
                    prop_assert_eq!(kept.get(i, p).to_bits(), whole.get(i, p).to_bits());
                }
            }
            // The notes too: a "reported" roll-up's change across a town that enters or has
            // not delivered is noted, over its kept rows as over the whole matrix.
            let noted = |f: &dyn Fn() -> yearbook::kernel::KResult<Series>| {
                let tally = Arc::new(yearbook::tally::Tally::new(None, Default::default()));
                let entered = tally.enter();
                let got = f();
                drop(entered);
                (got, tally.notes())
            };
            for lag in [1i64, 2, -1] {
                let (ga, na) = noted(&|| time::growth(&kept, lag));
                let (gb, nb) = noted(&|| time::growth(&whole, lag));
                prop_assert_eq!(na, nb);
                for (a, b) in [(ga, gb), (time::diff(&kept, lag), time::diff(&whole, lag))] {
                    match (a, b) {
                        (Ok(a), Ok(b)) => {
                            prop_assert_eq!(a.count(), b.count());
                            prop_assert_eq!(bits(&a), bits(&b));
                            let why = |x: &Series| x.missing_why.as_ref().map(|w| w.cells.iter().map(|c| (c.0, c.1.to_bits(), c.2.to_bits())).collect::<Vec<_>>());
                            prop_assert_eq!(why(&a), why(&b));
                        }
                        (a, b) => prop_assert_eq!(a.err().map(|e| e.to_string()), b.err().map(|e| e.to_string())),
                    }
                }
            }
            for stat in [Stat::Sum, Stat::Mean, Stat::Count] {
                let (a, b) = (across_regions(&kept, stat).unwrap(), across_regions(&whole, stat).unwrap());
                prop_assert_eq!(bits(&a), bits(&b));
                prop_assert_eq!(a.basis.as_ref().map(|x| x.entries.clone()), b.basis.as_ref().map(|x| x.entries.clone()));
            }
            // A top-n of each province keeps the chosen rows only, of a roll-up or not.
            let prov = ax.regions.ancestors_at(0);
            for n in [0i64, 1, 2] {
                let (a, b) = (rank::top(&kept, n, Some(&prov)).unwrap(), rank::top(&whole, n, Some(&prov)).unwrap());
                prop_assert!(a.data.kept().is_some() && b.data.kept().is_some());
                // A statistic across regions of it has every period, also where no row
                // is kept (a top-0: a count of 0 each period, not missing).
                for stat in [Stat::Count, Stat::Sum] {
                    let (ca, cb) = (across_regions(&a, stat).unwrap(), across_regions(&whole_of(&a), stat).unwrap());
                    prop_assert_eq!(ca.data.len(), y);
                    prop_assert_eq!(bits(&ca), bits(&cb));
                    if n == 0 && stat == Stat::Count {
                        prop_assert!(ca.data.iter().all(|&v| v == 0.0));
                    }
                }
                prop_assert_eq!(bits(&a), bits(&b));
                // A note on it keeps those rows too, with the same verdicts.
                let (na, nb) = (yearbook::check::note(a.clone()), yearbook::check::note(b.clone()));
                prop_assert!(na.pass.data.kept().is_some());
                prop_assert_eq!(bits(&na.pass), bits(&nb.pass));
            }
            // A roll-up that a region enters reads its basis over the whole matrix.
            prop_assert!(kept.basis.is_some() || !kept.data.whole_built());
        }
    }

    #[test]
    fn rollup_matches_naive((c, t, y, vals) in panel_values()) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        // Only towns hold data.
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let s = series(&ax, data.clone());
        let county = rollup::rollup(&s, 2).unwrap();
        let prov = rollup::rollup(&s, 0).unwrap();
        // A town that has reported before and has no value now makes the total unknown;
        // one that has not reported yet is not counted.
        let started = |ti: usize, p: usize| (0..=p).any(|q| !data[q * r + 1 + c + ti].is_nan());
        let naive_sum = |towns: Vec<usize>, p: usize| {
            let v = |ti: usize| data[p * r + 1 + c + ti];
            if towns.iter().any(|&ti| v(ti).is_nan() && started(ti, p)) { return f64::NAN; }
            let kids: Vec<f64> = towns.iter().map(|&ti| v(ti)).filter(|x| !x.is_nan()).collect();
            if kids.is_empty() { f64::NAN } else { kids.iter().sum() }
        };
        for p in 0..y {
            for ci in 0..c {
                let naive = naive_sum((0..t).filter(|ti| ti % c == ci).collect(), p);
                prop_assert!(same(county.data[p * r + 1 + ci], naive), "county");
            }
            let naive_p = naive_sum((0..t).collect(), p);
            prop_assert!(same(prov.data[p * r], naive_p));
            // Roll-up then growth equals growth of the summed values.
        }
        // Growth of the totals, except across a town that enters (first reports in p):
        // then over the towns with a value in both periods (同口径).
        let g1 = time::growth(&prov, 1).unwrap();
        let sums: Vec<f64> = (0..y).map(|p| prov.data[p * r]).collect();
        let v = |ti: usize, p: usize| data[p * r + 1 + c + ti];
        for p in 1..y {
            let naive = if sums[p - 1] <= 0.0 || sums[p - 1].is_nan() || sums[p].is_nan() {
                f64::NAN
            } else if (0..t).any(|ti| started(ti, p) && !started(ti, p - 1)) {
                let both: Vec<usize> = (0..t).filter(|&ti| !v(ti, p).is_nan() && !v(ti, p - 1).is_nan()).collect();
                let (x, b): (f64, f64) = (both.iter().map(|&ti| v(ti, p)).sum(), both.iter().map(|&ti| v(ti, p - 1)).sum());
                if b <= 0.0 { f64::NAN } else { x / b - 1.0 }
            } else {
                sums[p] / sums[p - 1] - 1.0
            };
            prop_assert!(same(g1.data[p * r], naive), "p {} growth {} naive {}", p, g1.data[p * r], naive);
        }
    }

    #[test]
    fn reported_rollup_notes_each_town_that_enters_or_leaves((c, t, y, vals) in panel_values()) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let s = series(&ax, data.clone());
        let has = |p: usize, ti: usize| !data[p * r + 1 + c + ti].is_nan();
        // The data's periods, and each one's data period before.
        let of_data: Vec<bool> = (0..y).map(|p| (0..t).any(|ti| has(p, ti))).collect();
        let before = |p: usize| (0..p).rev().find(|&q| of_data[q]);
        for (level, target) in [(2u8, None), (0u8, Some(0usize))] {
            let total = rollup::rollup_with(&s, level, true).unwrap();
            // Naive: a town enters its total in its first period after the data's first,
            // and under "reported" a total counts another set of towns wherever a town's
            // presence differs from the data's period before (from its first period on).
            let mut naive: Vec<(u32, u32, u32)> = Vec::new();
            for ti in 0..t {
                let Some(first) = (0..y).find(|&p| has(p, ti)) else { continue };
                let at = target.unwrap_or(1 + ti % c) as u32;
                let row = (1 + c + ti) as u32;
                if first > 0 {
                    naive.push((at, first as u32, row));
                }
                for p in (first + 1..y).filter(|&p| of_data[p]) {
                    let b = before(p).map_or(first, |b| b.max(first));
                    if has(p, ti) != has(b, ti) {
                        naive.push((at, p as u32, row));
                    }
                }
            }
            naive.sort_unstable();
            naive.dedup_by_key(|e| (e.0, e.1));
            let got = total.basis.as_ref().map(|b| b.entries.clone()).unwrap_or_default();
            prop_assert_eq!(got, naive, "level {}", level);
        }
    }

    #[test]
    fn broadcasting_and_units((c, t, y, vals) in panel_values(), k in 0.5f64..10.0) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        // Towns only: a statistic across two levels is refused (see mixed_levels_are_refused).
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let a = series(&ax, data.clone());
        let mut b = series(&ax, data.clone());
        b.unit = Unit::parse("亿元");
        let sum = binary(a.clone(), b, Op::Add).unwrap();
        for (i, v) in data.iter().enumerate() { prop_assert!(same(sum.data[i], v + v * 1e4)); }
        let per_period = across_regions(&a, Stat::Mean).unwrap();
        let centred = binary(a.clone(), per_period.clone(), Op::Sub).unwrap();
        for p in 0..y { for i in 0..r { prop_assert!(same(centred.data[p * r + i], data[p * r + i] - per_period.data[p])); } }
        // Converting there and back is the identity.
        let back = yearbook::kernel::arith::convert(yearbook::kernel::arith::convert(a.clone(), &Unit::parse("亿元")).unwrap(), &Unit::parse("万元")).unwrap();
        for (i, v) in data.iter().enumerate() { prop_assert!(same(back.data[i], *v)); }
        let scaled = yearbook::kernel::arith::with_number(a, k, Op::Mul, false).unwrap();
        for (i, v) in data.iter().enumerate() { prop_assert!(same(scaled.data[i], v * k)); }
    }

    #[test]
    fn aggregates_match_sorting((c, t, y, vals) in panel_values(), q in 0.0f64..1.0) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        // Towns only: a statistic across two levels is refused (see mixed_levels_are_refused).
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let s = series(&ax, data.clone());
        let med = across_regions_as(&s, Stat::Median, true).unwrap();
        let qs = across_regions_as(&s, Stat::Quantile(q), true).unwrap();
        let cnt = across_regions(&s, Stat::Count).unwrap();
        // A period where a town with a figure in an earlier period has none: every
        // statistic but the count is missing (year22 04), the figures present with "reported".
        let gap = |p: usize| (c + 1..r).any(|i| data[p * r + i].is_nan() && (0..p).any(|q| !data[q * r + i].is_nan()));
        for stat in [Stat::Sum, Stat::Mean, Stat::Median, Stat::Min, Stat::Max, Stat::Quantile(q)] {
            let whole = across_regions(&s, stat).unwrap();
            let present = across_regions_as(&s, stat, true).unwrap();
            for p in 0..y {
                let want = if gap(p) { f64::NAN } else { present.data[p] };
                prop_assert_eq!(whole.data[p].to_bits(), want.to_bits(), "{:?} period {}", stat, p);
            }
        }
        for p in 0..y {
            let mut v: Vec<f64> = data[p * r..(p + 1) * r].iter().copied().filter(|x| !x.is_nan()).collect();
            v.sort_by(f64::total_cmp);
            prop_assert_eq!(cnt.data[p], v.len() as f64);
            let quant = |q: f64| if v.is_empty() { f64::NAN } else {
                let h = (v.len() - 1) as f64 * q; let lo = h.floor() as usize; let hi = (lo + 1).min(v.len() - 1);
                v[lo] + (h - lo as f64) * (v[hi] - v[lo])
            };
            prop_assert!(same(med.data[p], quant(0.5)));
            prop_assert!(same(qs.data[p], quant(q)));
        }
    }

    #[test]
    fn top_n_within_groups((c, t, y, vals) in panel_values(), n in 0i64..4) {
        let ax = axes(c, t, y);
        let r = 1 + c + t;
        let data: Vec<f64> = vals.iter().enumerate().map(|(k, v)| if k % r > c { v.unwrap_or(f64::NAN) } else { f64::NAN }).collect();
        let s = series(&ax, data.clone());
        let top = rank::top(&s, n, Some(ax.ancestors(2))).unwrap();
        for p in 0..y {
            for ci in 0..c {
                let mut kids: Vec<(f64, String, usize)> = (0..t).filter(|ti| ti % c == ci).map(|ti| (data[p * r + 1 + c + ti], format!("t{ti}"), 1 + c + ti)).filter(|x| !x.0.is_nan()).collect();
                kids.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                // A town of the county with a figure earlier and none now: no n largest.
                let gap = (0..t).filter(|ti| ti % c == ci).any(|ti| {
                    let i = 1 + c + ti;
                    data[p * r + i].is_nan() && (0..p).any(|q| !data[q * r + i].is_nan())
                });
                let keep: Vec<usize> = if gap { Vec::new() } else { kids.iter().take(n as usize).map(|x| x.2).collect() };
                for ti in 0..t {
                    if ti % c != ci { continue; }
                    let row = 1 + c + ti;
                    let kept = !top.data[p * r + row].is_nan();
                    prop_assert_eq!(kept, keep.contains(&row));
                }
            }
        }
    }

    #[test]
    fn yoy_recovers_known_growths(base in 1.0f64..1000.0, g in proptest::collection::vec(-0.5f64..1.0, 1..10)) {
        let ax = axes(1, 1, g.len() + 1);
        let mut vals = vec![base];
        for x in &g { vals.push(vals.last().unwrap() * (1.0 + x)); }
        let r = 3;
        let mut data = vec![f64::NAN; r * vals.len()];
        for (p, v) in vals.iter().enumerate() { data[p * r + 2] = *v; }
        let s = series(&ax, data);
        let yoy = time::growth(&s, 1).unwrap();
        for (p, x) in g.iter().enumerate() { prop_assert!((yoy.data[(p + 1) * r + 2] - x).abs() < 1e-9); }
    }
}

/// County c > towns t1 (its own figures, and villages v1, v2 that report part of it) and
/// t2 (no figure of its own: made of its village v3).
fn three_levels(years: usize) -> Arc<Axes> {
    let levels = ["county", "town", "village"].iter().map(|s| s.to_string()).collect();
    let rec = |code: &str, level: &str, parent: &str| RegionRecord {
        code: code.into(),
        name: code.into(),
        level: level.into(),
        parent: parent.into(),
        line: 0,
    };
    let recs = vec![
        rec("c", "county", ""),
        rec("t1", "town", "c"),
        rec("t2", "town", "c"),
        rec("v1", "village", "t1"),
        rec("v2", "village", "t1"),
        rec("v3", "village", "t2"),
    ];
    Arc::new(Axes::new(Regions::build(levels, recs).unwrap(), PeriodAxis { freq: Frequency::Year, first: 2020, len: years }))
}

#[test]
fn a_town_with_its_own_figure_stands_for_its_villages_in_a_rollup() {
    let ax = three_levels(2);
    let n = f64::NAN;
    // rows: c, t1, t2, v1, v2, v3; 2020 then 2021. t1 reports 90 and 100 of its own; its
    // villages only 60 + 30 in 2021. t2 has none: its village v3 gives 45 and 50.
    let s = series(&ax, vec![n, 90.0, n, n, n, 45.0, n, 100.0, n, 60.0, 30.0, 50.0]);
    let county = rollup::rollup(&s, 0).unwrap();
    // 2020: 90 + 45 = 135; 2021: 100 + 50 = 150 (not the villages' 60 + 30 + 50 = 140,
    // and 2020 is not missing for want of village figures).
    assert_eq!((county.data[0], county.data[6]), (135.0, 150.0));
    let g = time::growth(&county, 1).unwrap();
    assert!((g.data[6] - (150.0 / 135.0 - 1.0)).abs() < 1e-15);
    // A roll-up to the towns is made of their villages: t1 = 60 + 30 in 2021, t2 = v3.
    let towns = rollup::rollup(&s, 1).unwrap();
    assert_eq!((towns.data[7], towns.data[8]), (90.0, 50.0));
    assert!(towns.data[1].is_nan() && towns.data[2] == 45.0);
}

#[test]
fn a_towns_villages_count_until_the_town_reports_its_own_figure() {
    let ax = three_levels(3);
    let n = f64::NAN;
    // rows: c, t1, t2, v1, v2, v3; 2020, 2021, 2022. t1's villages report 50 + 50 in
    // 2020 and 2021; from 2022 t1 reports its own 110. t2 reports 100, 100, 110.
    let s = series(&ax, vec![n, n, 100.0, 50.0, 50.0, n, n, n, 100.0, 50.0, 50.0, n, n, 110.0, 110.0, n, n, n]);
    let county = rollup::rollup(&s, 0).unwrap();
    // 200, 200, 220: the villages until 2022, then the town (not 100, 100: t1's villages
    // dropped because t1 reports in some year).
    assert_eq!((county.data[0], county.data[6], county.data[12]), (200.0, 200.0, 220.0));
    // The town taking over from its villages is no region entering: a plain 10%.
    assert!(county.basis.is_none());
    let g = time::growth(&county, 1).unwrap();
    assert!((g.data[12] - 0.1).abs() < 1e-15);
}

/// A panel large enough for sums across regions to run on all cores (7,000 towns x 20
/// years): each period's sum, mean and count is bit for bit the sequential sum in row
/// order, each total's signature is the sum of its regions' area signatures, and a
/// county's figure beside its towns' in a late period (the last group of four) is still
/// refused.
#[test]
fn across_regions_on_all_cores_matches_the_sequential_sums_and_signatures() {
    let (c, t, y) = (3, 7_000, 20);
    let ax = axes(c, t, y);
    let r = 1 + c + t;
    assert!(r * y >= 1 << 17, "large enough for the parallel path");
    // A fixed pseudo-random panel: gaps, -0.0 and negatives among the towns.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut data: Vec<f64> = (0..r * y)
        .map(|k| {
            let v = next();
            match (k % r <= c, v % 7) {
                (true, _) | (_, 0) => f64::NAN,
                (_, 1) => -0.0,
                (_, 2) => -((v >> 20) as f64) / 1e3,
                _ => ((v >> 20) as f64) / 1e3,
            }
        })
        .collect();
    let s = series(&ax, data.clone());
    for stat in [Stat::Sum, Stat::Mean, Stat::Count] {
        let got = across_regions_as(&s, stat, true).unwrap();
        for p in 0..y {
            let col: Vec<f64> = data[p * r..(p + 1) * r].iter().copied().filter(|v| !v.is_nan()).collect();
            let naive = match stat {
                Stat::Count => col.len() as f64,
                Stat::Mean => col.iter().sum::<f64>() / col.len() as f64,
                _ => col.iter().sum::<f64>(),
            };
            assert_eq!(got.data[p].to_bits(), naive.to_bits(), "{stat:?} period {p}");
        }
        if stat != Stat::Count {
            let counts = got.counts.as_ref().expect("a sum or mean says which regions it adds");
            for p in 0..y {
                let naive = (0..r).filter(|&i| !data[p * r + i].is_nan()).fold(0u64, |a, i| a.wrapping_add(ax.areas()[i]));
                assert_eq!(counts.get(p), Some(naive), "{stat:?} signature of period {p}");
            }
        }
    }
    // County c1's own figure in the last four periods, where no town has one: that group
    // of periods has one level, another than the others'.
    for p in 16..20 {
        data[p * r..(p + 1) * r].fill(f64::NAN);
        data[p * r + 2] = 7.5;
    }
    let e = across_regions(&series(&ax, data.clone()), Stat::Sum).expect_err("two levels are refused").to_string();
    assert!(e.contains("c1 (county)"), "{e}");
    // ... and beside its towns' in one period.
    data[18 * r + 5] = 1.0;
    let e = across_regions(&series(&ax, data), Stat::Sum).expect_err("two levels are refused").to_string();
    assert!(e.contains("c1 (county)"), "{e}");
}
