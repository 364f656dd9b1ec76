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
            }
            start = end;
        }
    }
    Ok(s.with(out, Unit::one(), Series::no_rollup("a rank does not roll up")))
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
    let codes = &s.axes.regions.codes;
    let lv = &s.axes.regions.level;
    let data = &s.data;
    let mut out = vec![f64::NAN; s.data.len()];
    super::par_periods(&mut out, rows, |p, dst| {
        let col = &data[p * rows..(p + 1) * rows];
        // Bucket rows by (level, group) with an integer sort, then pick the n largest of
        // each bucket by selection: comparisons of values and codes only near the cut.
        let key = |r: u32| ((lv[r as usize] as u64) << 32) | group.map(|g| g[r as usize] as u64).unwrap_or(0);
        let mut idx: Vec<u32> =
            (0..rows as u32).filter(|&r| !col[r as usize].is_nan() && group.is_none_or(|g| g[r as usize] != NONE)).collect();
        idx.sort_unstable_by_key(|&r| key(r));
        let keys: Vec<f64> = col.iter().map(|x| super::arith::tie_key(*x)).collect();
        let v = |r: u32| keys[r as usize];
        let better = |a: &u32, b: &u32| v(*b).total_cmp(&v(*a)).then_with(|| codes[*a as usize].cmp(&codes[*b as usize]));
        let n = n as usize;
        for bucket in idx.chunk_by_mut(|a, b| key(*a) == key(*b)) {
            if n == 0 {
                break;
            }
            if bucket.len() > n {
                bucket.select_nth_unstable_by(n - 1, better);
            }
            for &r in &bucket[..n.min(bucket.len())] {
                dst[r as usize] = col[r as usize];
            }
        }
    });
    let mut res = s.with(out, s.unit.clone(), Series::no_rollup("a top-n selection does not roll up"));
    // The cells kept are the series' own (a county's roll-up): a change across an entry
    // is still taken on its comparable basis, as for `only` and `level`.
    res.basis = s.basis.clone();
    // The values as they are: the numbers written into them still are (`top(share * 100,
    // 1)` declared in % is that percent, not a hundred times it).
    res.scaled_by = s.scaled_by;
    res.scaled_pow = s.scaled_pow;
    Ok(res)
}
