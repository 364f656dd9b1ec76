//! Ranking within a period: rank among regions of the same level, and the top n
//! (optionally within each group, such as each province).

use super::KResult;
use crate::error::Fault;
use crate::region::NONE;
use crate::series::Series;
use crate::unit::Unit;

/// Rank per period among regions of the same level (and same group when `group` is
/// given): 1 = largest (or smallest with `ascending`); ties share the better rank.
pub fn rank(s: &Series, ascending: bool, group: Option<&[u32]>) -> KResult<Series> {
    s.same_periods("rank")?;
    if !s.by_region {
        return Err(Fault::type_("rank needs a series over regions; this one was aggregated across regions"));
    }
    let rows = s.rows();
    let lv = &s.axes.regions.level;
    let mut out = vec![f64::NAN; s.data.len()];
    // Cells whose place another region shares (none: no list).
    let mut tied: Option<Vec<bool>> = None;
    let mut idx: Vec<u32> = Vec::with_capacity(rows);
    let mut keys: Vec<f64> = Vec::with_capacity(rows);
    for (p, col) in s.data.chunks(rows).enumerate() {
        idx.clear();
        idx.extend((0..rows as u32).filter(|&r| !col[r as usize].is_nan() && group.is_none_or(|g| g[r as usize] != NONE)));
        let key = |r: u32| (lv[r as usize], group.map(|g| g[r as usize]).unwrap_or(0));
        // Tie keys computed once per value, not per comparison.
        keys.clear();
        keys.extend(col.iter().map(|x| super::arith::tie_key(*x)));
        let v = |r: u32| keys[r as usize];
        idx.sort_by(|&a, &b| {
            key(a).cmp(&key(b)).then_with(|| {
                let o = v(a).total_cmp(&v(b));
                if ascending { o } else { o.reverse() }
            })
        });
        let mut start = 0;
        while start < idx.len() {
            let k = key(idx[start]);
            let mut end = start;
            while end < idx.len() && key(idx[end]) == k {
                end += 1;
            }
            let mut rank = 1;
            for i in start..end {
                if i > start && v(idx[i]) != v(idx[i - 1]) {
                    rank = i - start + 1;
                }
                out[p * rows + idx[i] as usize] = rank as f64;
                let shared = (i > start && v(idx[i]) == v(idx[i - 1])) || (i + 1 < end && v(idx[i]) == v(idx[i + 1]));
                if shared {
                    tied.get_or_insert_with(|| vec![false; s.data.len()])[p * rows + idx[i] as usize] = true;
                }
            }
            start = end;
        }
    }
    let mut res = s.with(out, Unit::one(), Series::no_rollup("a rank does not roll up"));
    res.ties = tied.map(std::sync::Arc::new);
    Ok(res)
}

/// Keeps the n largest values per period (per level, per group), ties by region code.
pub fn top(s: &Series, n: i64, group: Option<&[u32]>) -> KResult<Series> {
    s.same_periods("top")?;
    if n < 0 {
        return Err(format!("top needs n >= 0, not {n}").into());
    }
    if !s.by_region {
        return Err(Fault::type_("top needs a series over regions; this one was aggregated across regions"));
    }
    let rows = s.rows();
    let cols = s.cols();
    let codes = &s.axes.regions.codes;
    let lv = &s.axes.regions.level;
    // Over the rows `s` keeps (a roll-up's level), else every row; `slot` is a place
    // among them.
    let view = s.kept_view();
    let width = view.width;
    let row = |slot: u32| view.row(slot as usize);
    // Places bucketed by (level, group) with an integer sort, once for every period (the
    // buckets are the regions', not the values'); each period then picks the n largest of
    // each bucket by selection: comparisons of values and codes only near the cut.
    let key = |slot: u32| ((lv[row(slot)] as u64) << 32) | group.map(|g| g[row(slot)] as u64).unwrap_or(0);
    let mut order: Vec<u32> = (0..width as u32).filter(|&k| group.is_none_or(|g| g[row(k)] != NONE)).collect();
    order.sort_by_key(|&k| key(k));
    // Each period's chosen places, on all cores.
    let pick = |p: usize| -> Vec<u32> {
        let col = &view.values[p * width..(p + 1) * width];
        let mut idx: Vec<u32> = order.iter().copied().filter(|&k| !col[k as usize].is_nan()).collect();
        let keys: Vec<f64> = col.iter().map(|x| super::arith::tie_key(*x)).collect();
        let v = |k: u32| keys[k as usize];
        let better = |a: &u32, b: &u32| v(*b).total_cmp(&v(*a)).then_with(|| codes[row(*a)].cmp(&codes[row(*b)]));
        let n = n as usize;
        let mut chosen = Vec::new();
        for bucket in idx.chunk_by_mut(|a, b| key(*a) == key(*b)) {
            if n == 0 {
                break;
            }
            if bucket.len() > n {
                bucket.select_nth_unstable_by(n - 1, better);
            }
            chosen.extend_from_slice(&bucket[..n.min(bucket.len())]);
        }
        chosen
    };
    let chosen: Vec<Vec<u32>> = if s.data.len() < super::PAR_MIN {
        (0..cols).map(pick).collect()
    } else {
        use rayon::prelude::*;
        (0..cols).into_par_iter().map(pick).collect()
    };
    // Only the chosen regions' rows are kept (ten per province of 160,000 towns: 310 rows
    // a period, not 171,459; crate::cells).
    let mut kept: Vec<u32> = chosen.iter().flatten().map(|&k| view.row(k as usize) as u32).collect();
    kept.sort_unstable();
    kept.dedup();
    let mut out = vec![f64::NAN; kept.len() * cols];
    for (p, places) in chosen.iter().enumerate() {
        for &k in places {
            let r = view.row(k as usize) as u32;
            if let Ok(at) = kept.binary_search(&r) {
                out[p * kept.len() + at] = view.values[p * width + k as usize];
            }
        }
    }
    let cells = crate::cells::Cells::on_rows(kept.into(), rows, cols, out);
    let mut res = s.with_cells(cells, s.unit.clone(), Series::no_rollup("a top-n selection does not roll up"));
    // The cells kept are the series' own (a county's roll-up): a change across an entry
    // is still taken on its comparable basis, as for `only` and `level`.
    res.basis = s.basis.clone();
    // The values as they are: the numbers written into them still are (`top(share * 100,
    // 1)` declared in % is that percent, not a hundred times it).
    res.scaled_by = s.scaled_by;
    res.scaled_pow = s.scaled_pow;
    // ... and add the regions they add.
    super::unlike::keep(s, &mut res);
    Ok(res)
}
