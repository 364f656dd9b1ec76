//! Roll-up along the region tree: values at the deepest level that has data are
//! scatter-added (or averaged, or weighted) into their ancestors at the target level.
//! Ratios are recomputed from their rolled-up components, never summed.

use super::KResult;
use super::arith::{Op, binary, convert};
use crate::error::Fault;
use crate::region::NONE;
use crate::series::{Agg, Series};

/// Rolls `s` up to `level`; the result has values only at regions of that level.
pub fn rollup(s: &Series, level: u8) -> KResult<Series> {
    if !s.by_region {
        return Err(Fault::type_("rollup needs a series over regions; this one was aggregated across regions"));
    }
    match &s.agg {
        Agg::None(reason) => Err(reason.to_string().into()),
        Agg::Ratio(nd) => {
            let num = rollup(&nd.0, level)?;
            let den = rollup(&nd.1, level)?;
            let mut out = convert(binary(num, den, Op::Div)?, &s.unit)?;
            out.agg = s.agg.clone();
            Ok(out)
        }
        Agg::Sum | Agg::Mean | Agg::Weighted(_) => {
            let regions = &s.axes.regions;
            let rows = s.rows();
            let source = source_level(s, level);
            let anc = s.axes.ancestors(level);
            let weights = match &s.agg {
                Agg::Weighted(w) => {
                    if !w.by_region || w.by_period != s.by_period {
                        return Err("the weight of a weighted mean must be a series over the same regions and periods".into());
                    }
                    Some(w.clone())
                }
                _ => None,
            };
            // The (row, ancestor) pairs that contribute, listed once: the per-period loop
            // then touches only those rows.
            let pairs: Vec<(u32, u32)> =
                (0..rows).filter(|&r| regions.level[r] == source && anc[r] != NONE).map(|r| (r as u32, anc[r])).collect();
            let targets: Vec<usize> = (0..rows).filter(|&r| regions.level[r] == level).collect();
            let mut out = vec![f64::NAN; s.data.len()];
            let data = &s.data;
            let is_sum = matches!(s.agg, Agg::Sum);
            // Periods are independent: each gets its own accumulators, on all cores.
            super::par_periods(&mut out, rows, |p, dst| {
                let col = &data[p * rows..(p + 1) * rows];
                let mut acc = vec![0.0f64; rows];
                let mut den = vec![0.0f64; rows];
                match &weights {
                    None => {
                        for &(r, a) in &pairs {
                            let v = col[r as usize];
                            if !v.is_nan() {
                                acc[a as usize] += v;
                                den[a as usize] += 1.0;
                            }
                        }
                    }
                    Some(w) => {
                        let wcol = &w.data[p * rows..(p + 1) * rows];
                        for &(r, a) in &pairs {
                            let (v, wv) = (col[r as usize], wcol[r as usize]);
                            if !v.is_nan() && !wv.is_nan() {
                                acc[a as usize] += v * wv;
                                den[a as usize] += wv;
                            }
                        }
                    }
                }
                for &t in &targets {
                    if den[t] != 0.0 {
                        dst[t] = if is_sum { acc[t] } else { acc[t] / den[t] };
                    }
                }
            });
            let mut res = s.with(out, s.unit.clone(), s.agg.clone());
            res.mask = s.mask;
            Ok(res)
        }
    }
}

/// The deepest level at or below `target` that holds any value (checked row by row,
/// deepest level first, stopping at the first value found).
fn source_level(s: &Series, target: u8) -> u8 {
    let lv = &s.axes.regions.level;
    let rows = s.rows();
    let deepest = lv.iter().copied().max().unwrap_or(target);
    for level in (target + 1..=deepest).rev() {
        for r in (0..rows).filter(|&r| lv[r] == level) {
            if s.data.iter().skip(r).step_by(rows).any(|v| !v.is_nan()) {
                return level;
            }
        }
    }
    target
}
