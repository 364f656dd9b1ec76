//! Roll-up along the region tree: values at the deepest level that has data are
//! scatter-added (or averaged, or weighted) into their ancestors at the target level.
//! Ratios are recomputed from their rolled-up components, never summed.

use super::KResult;
use super::arith::{Op, binary, convert};
use crate::region::NONE;
use crate::series::{Agg, Series};

/// Rolls `s` up to `level`; the result has values only at regions of that level.
pub fn rollup(s: &Series, level: u8) -> KResult<Series> {
    if !s.by_region {
        return Err("rollup needs a series over regions; this one was aggregated across regions".into());
    }
    match &s.agg {
        Agg::None(reason) => Err(reason.to_string()),
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
            let mut out = vec![f64::NAN; s.data.len()];
            let mut acc = vec![0.0f64; rows];
            let mut den = vec![0.0f64; rows];
            for (p, col) in s.data.chunks(rows).enumerate() {
                acc.iter_mut().for_each(|x| *x = 0.0);
                den.iter_mut().for_each(|x| *x = 0.0);
                for (r, &v) in col.iter().enumerate() {
                    let a = anc[r];
                    if v.is_nan() || a == NONE || regions.level[r] != source {
                        continue;
                    }
                    let w = match &weights {
                        Some(w) => {
                            let wv = w.data[p * rows + r];
                            if wv.is_nan() {
                                continue;
                            }
                            wv
                        }
                        None => 1.0,
                    };
                    acc[a as usize] += v * w;
                    den[a as usize] += w;
                }
                let dst = &mut out[p * rows..(p + 1) * rows];
                for r in 0..rows {
                    if den[r] != 0.0 {
                        dst[r] = match s.agg {
                            Agg::Sum => acc[r],
                            _ => acc[r] / den[r],
                        };
                    }
                }
            }
            let mut res = s.with(out, s.unit.clone(), s.agg.clone());
            res.mask = s.mask;
            Ok(res)
        }
    }
}

/// The deepest level at or below `target` that holds any value.
fn source_level(s: &Series, target: u8) -> u8 {
    let lv = &s.axes.regions.level;
    let rows = s.rows();
    let mut deepest = target;
    for col in s.data.chunks(rows) {
        for (r, v) in col.iter().enumerate() {
            if !v.is_nan() && lv[r] > deepest {
                deepest = lv[r];
            }
        }
    }
    deepest
}
