//! Ranking within a period: rank among regions of the same level, and the top n
//! (optionally within each group, such as each province).

use super::KResult;
use crate::error::Fault;
use crate::region::NONE;
use crate::series::Series;
use crate::unit::Unit;

/// Rank per period among regions of the same level (and same group when `group` is
/// given): 1 = largest (or smallest with `ascending`); ties share the better rank.
/// A period where a region ranked with others has no figure though it is in the source
/// by then (a figure earlier, a fact row of another figure then) leaves their places
/// missing, with a note: see [`rank_as`] for the places of the figures present.
pub fn rank(s: &Series, ascending: bool, group: Option<&[u32]>) -> KResult<Series> {
    rank_as(s, ascending, group, false)
}

/// [`rank`]; with `reported`, the places among the figures present whoever has not
/// delivered (`rank(x, "reported")`).
pub fn rank_as(s: &Series, ascending: bool, group: Option<&[u32]>, reported: bool) -> KResult<Series> {
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
    if !reported {
        unplaced(s, group, &mut out, tied.as_mut());
    }
    let mut res = s.with(out, Unit::one(), Series::no_rollup("a rank does not roll up"));
    res.ties = tied.map(std::sync::Arc::new);
    Ok(res)
}

/// The places left unknown by gaps: per period with a gap, the (level, group) keys of
/// the regions at a gap ([`super::gaps::gaps`]: a region with a figure in an earlier
/// period, or a fact row of another figure then, but none now), sorted, with the gaps.
/// A region ranked with such a region has an unknown place, as the gap's own is.
struct Unplaced {
    /// (period, sorted keys) for each period with a gap.
    keys: Vec<(u32, Vec<(u8, u32)>)>,
    /// The gaps, as (period, region).
    gaps: Vec<(u32, u32)>,
}

impl Unplaced {
    fn of(s: &Series, group: Option<&[u32]>) -> Unplaced {
        let lv = &s.axes.regions.level;
        let gaps: Vec<(u32, u32)> =
            super::gaps::gaps(s).into_iter().filter(|&(_, r)| group.is_none_or(|g| g[r as usize] != NONE)).collect();
        let mut keys: Vec<(u32, Vec<(u8, u32)>)> = Vec::new();
        for &(p, r) in &gaps {
            let k = (lv[r as usize], group.map(|g| g[r as usize]).unwrap_or(0));
            match keys.last_mut() {
                Some((q, ks)) if *q == p => ks.push(k),
                _ => keys.push((p, vec![k])),
            }
        }
        for (_, ks) in keys.iter_mut() {
            ks.sort_unstable();
            ks.dedup();
        }
        Unplaced { keys, gaps }
    }

    /// Notes what `what` left missing (`cells` of them) for the gaps among keys it hit.
    fn note(&self, s: &Series, group: Option<&[u32]>, hit: &[(u32, (u8, u32))], what: &str, cells: usize) {
        if hit.is_empty() {
            return;
        }
        let how = if what == "top" { "top(x, n, \"reported\")" } else { "rank(x, \"reported\")" };
        let lv = &s.axes.regions.level;
        let named: Vec<(u32, u32)> = self
            .gaps
            .iter()
            .copied()
            .filter(|&(p, r)| hit.iter().any(|h| h.0 == p && h.1 == (lv[r as usize], group.map(|g| g[r as usize]).unwrap_or(0))))
            .collect();
        super::note(format!(
            "{what}: {cells} place(s) left missing because a region ranked with them has no figure there ({}): its place is \
             unknown, so theirs are; {how} places the figures present",
            super::gaps::named(s, &named),
        ));
    }
}

/// Leaves missing, with a note, every place in a period among regions of a level (and
/// group) where one of them that counts there has no figure: its place is unknown, and
/// so are the others'. year22 03: 甲镇 (22) was 居全县第1位 in 2020 while 丙镇, 100 the
/// year before, had not delivered.
fn unplaced(s: &Series, group: Option<&[u32]>, out: &mut [f64], mut tied: Option<&mut Vec<bool>>) {
    let un = Unplaced::of(s, group);
    if un.keys.is_empty() {
        return;
    }
    let rows = s.rows();
    let lv = &s.axes.regions.level;
    let mut hit: Vec<(u32, (u8, u32))> = Vec::new();
    let mut places = 0usize;
    for (p, keys) in &un.keys {
        let col = *p as usize * rows;
        for r in 0..rows {
            let k = (lv[r], group.map(|g| g[r]).unwrap_or(0));
            let cell = &mut out[col + r];
            if !cell.is_nan() && keys.binary_search(&k).is_ok() {
                *cell = f64::NAN;
                places += 1;
                if hit.last() != Some(&(*p, k)) && !hit.contains(&(*p, k)) {
                    hit.push((*p, k));
                }
                if let Some(t) = tied.as_deref_mut() {
                    t[col + r] = false;
                }
            }
        }
    }
    un.note(s, group, &hit, "rank", places);
}

/// Keeps the n largest values per period (per level, per group), ties by region code.
/// None of a level (and group) in a period where one of its regions in the source by
/// then has no figure: see [`top_as`] for the n largest of the figures present.
pub fn top(s: &Series, n: i64, group: Option<&[u32]>) -> KResult<Series> {
    top_as(s, n, group, false)
}

/// [`top`]; with `reported`, the n largest of the figures present (`top(x, n, "reported")`).
pub fn top_as(s: &Series, n: i64, group: Option<&[u32]>, reported: bool) -> KResult<Series> {
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
    let mut chosen: Vec<Vec<u32>> = if s.data.len() < super::PAR_MIN {
        (0..cols).map(pick).collect()
    } else {
        use rayon::prelude::*;
        (0..cols).into_par_iter().map(pick).collect()
    };
    // A bucket with a region at a gap has no known n largest (丙镇, the largest town a year
    // earlier, has not delivered): none of it is kept.
    let un = if reported { Unplaced { keys: Vec::new(), gaps: Vec::new() } } else { Unplaced::of(s, group) };
    let mut hit: Vec<(u32, (u8, u32))> = Vec::new();
    let mut dropped = 0usize;
    for (p, keys) in &un.keys {
        if let Some(places) = chosen.get_mut(*p as usize) {
            places.retain(|&k| {
                let r = row(k);
                let kk = (lv[r], group.map(|g| g[r]).unwrap_or(0));
                let gone = keys.binary_search(&kk).is_ok();
                if gone {
                    dropped += 1;
                    if !hit.contains(&(*p, kk)) {
                        hit.push((*p, kk));
                    }
                }
                !gone
            });
        }
    }
    un.note(s, group, &hit, "top", dropped);
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
    // The regions not chosen were left out on purpose: no gap of the source (a sum of the
    // top three is no total short of the others).
    if s.by_region && s.by_period {
        let mut left_out = vec![true; rows * cols];
        for (p, places) in chosen.iter().enumerate() {
            for &k in places {
                left_out[p * rows + row(k)] = false;
            }
        }
        res.selected = Some(std::sync::Arc::new(left_out));
    }
    Ok(res)
}
