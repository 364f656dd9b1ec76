//! The dense panel: one contiguous f64 matrix per indicator, periods x regions
//! (period-major), NaN for missing. Alignment by (region, period) is free, a lag is an
//! offset of whole rows, and a roll-up is a scatter-add over parent ids.

use crate::cells::Cells;
use crate::indicator::Indicator;
use crate::period::PeriodAxis;
use crate::region::Regions;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Regions and periods shared by every series of a workspace.
#[derive(Debug)]
pub struct Axes {
    /// The region tree.
    pub regions: Regions,
    /// The period axis (one frequency, consecutive periods).
    pub periods: PeriodAxis,
    /// Per level, each region's ancestor at that level (computed once, on first use).
    ancestors: Vec<std::sync::OnceLock<Vec<u32>>>,
    /// Each region's area signature (computed once, on first use; see [`Axes::areas`]).
    areas: std::sync::OnceLock<Vec<u64>>,
    /// The tree's walk from the leaves up (computed once, on first use; see [`Axes::walk`]).
    walk: std::sync::OnceLock<Walk>,
    /// The facts were not read (`yearbook check`, the editor): the period axis is empty
    /// because nothing was loaded, not because the data has no period (see
    /// [`Axes::without_facts`]).
    pub facts_unread: bool,
    /// Each region's first period with a fact row of any indicator, a figure or a gap
    /// (`u32::MAX`: none), where the loader set it ([`Axes::set_rows_since`]).
    rows_since: std::sync::OnceLock<Vec<u32>>,
}

/// The region tree as a walk from the leaves up ([`Axes::walk`]): what a pass that marks
/// each region whose children (or deeper regions) have a figure needs, computed once per
/// workspace instead of once per lag or growth.
#[derive(Debug)]
pub struct Walk {
    /// The regions that are some region's parent, ascending: only these can be made of
    /// their children.
    pub inner: Vec<u32>,
    /// The same regions deepest level first (file order within a level): a region comes
    /// after every region below it.
    pub upward: Vec<u32>,
    /// The children of `upward[k]` are `children[starts[k]..starts[k + 1]]`, in file order.
    pub starts: Vec<u32>,
    /// See `starts`.
    pub children: Vec<u32>,
}

impl Walk {
    /// The children of the `k`th region of [`Walk::upward`].
    pub fn children_of(&self, k: usize) -> &[u32] {
        &self.children[self.starts[k] as usize..self.starts[k + 1] as usize]
    }
}

impl Axes {
    /// Axes over `regions` and `periods`; ancestor tables are computed on first use per level.
    pub fn new(regions: Regions, periods: PeriodAxis) -> Axes {
        let ancestors = (0..regions.levels.len()).map(|_| std::sync::OnceLock::new()).collect();
        Axes {
            regions,
            periods,
            ancestors,
            areas: std::sync::OnceLock::new(),
            walk: std::sync::OnceLock::new(),
            facts_unread: false,
            rows_since: std::sync::OnceLock::new(),
        }
    }
    /// Sets each region's first period with a fact row of any indicator (a figure or a
    /// listed gap; `u32::MAX`: none), once: a town that reports its GDP in 2019 and has no
    /// 财政总收入 row then is a gap in the county's 财政总收入, not a town set up later.
    pub fn set_rows_since(&self, since: Vec<u32>) {
        let _ = self.rows_since.set(since);
    }
    /// See [`Axes::set_rows_since`]; None where no loader set it.
    pub fn rows_since(&self) -> Option<&[u32]> {
        self.rows_since.get().map(Vec::as_slice)
    }
    /// The same axes, marked as those of a workspace whose facts were not read: a figure
    /// taken out of it is unknown, not missing.
    pub fn without_facts(mut self) -> Axes {
        self.facts_unread = true;
        self
    }
    /// The tree's walk from the leaves up: regions with a parent deepest first, and the
    /// regions that have children (see [`Walk`]).
    pub fn walk(&self) -> &Walk {
        self.walk.get_or_init(|| {
            let r = &self.regions;
            let n = r.parent.len();
            // Each region's children, in file order (a counting sort on the parent).
            let mut count = vec![0u32; n + 1];
            for &p in &r.parent {
                if (p as usize) < n {
                    count[p as usize + 1] += 1;
                }
            }
            for i in 1..count.len() {
                count[i] += count[i - 1];
            }
            let mut at = count.clone();
            let mut kids = vec![0u32; count[n] as usize];
            for (i, &p) in r.parent.iter().enumerate() {
                if (p as usize) < n {
                    kids[at[p as usize] as usize] = i as u32;
                    at[p as usize] += 1;
                }
            }
            let inner: Vec<u32> = (0..n as u32).filter(|&i| count[i as usize + 1] > count[i as usize]).collect();
            // Deepest level first; a parent is always a level above its children.
            let mut upward = inner.clone();
            upward.sort_by_key(|&i| std::cmp::Reverse(r.level[i as usize]));
            let mut starts = Vec::with_capacity(upward.len() + 1);
            let mut children = Vec::with_capacity(kids.len());
            starts.push(0);
            for &i in &upward {
                children.extend_from_slice(&kids[count[i as usize] as usize..count[i as usize + 1] as usize]);
                starts.push(children.len() as u32);
            }
            Walk { inner, upward, starts, children }
        })
    }
    /// Each region's area signature ([`crate::counts`]): a region without children in the
    /// tree its own [`crate::counts::region_hash`], any other the sum of its children's.
    /// A total that counts a town by its own figure and one that counts it by all its
    /// villages add the same area: their signatures agree.
    pub fn areas(&self) -> &[u64] {
        self.areas.get_or_init(|| {
            let n = self.regions.len();
            let walk = self.walk();
            let mut h: Vec<u64> = (0..n as u64).map(crate::counts::region_hash).collect();
            // Deepest first: a child's area is whole before its parent adds it.
            for (k, &p) in walk.upward.iter().enumerate() {
                h[p as usize] = walk.children_of(k).iter().fold(0u64, |acc, &c| acc.wrapping_add(h[c as usize]));
            }
            h
        })
    }
    /// Each region's ancestor at `level` (itself at that level; NONE if it has none).
    pub fn ancestors(&self, level: u8) -> &[u32] {
        self.ancestors[level as usize].get_or_init(|| self.regions.ancestors_at(level))
    }
}

/// The dense panel: one `regions x periods` matrix of f64 per indicator (NaN = missing), period-major.
#[derive(Debug, Clone)]
pub struct Panel {
    /// Regions and periods, shared with every series made from the panel.
    pub axes: Arc<Axes>,
    /// The loaded indicators, in file order (namespaced ones included).
    pub indicators: Vec<Indicator>,
    index: FxHashMap<String, usize>,
    /// Per indicator: `periods.len * regions.len` values, cell = p * R + r; or none at
    /// all for an indicator without a fact (every cell missing: a namespace's indicator
    /// nobody set a target for holds no 27 MB of NaN). Read cells with [`Panel::value`].
    pub data: Vec<Arc<Cells>>,
    /// Per indicator: flagged cells (estimate, approximate, lower_bound, ...), sorted.
    pub flags: Vec<Vec<(u32, Arc<str>)>>,
    /// Per indicator: cells a fact row lists with no figure (`t3,2021,vol,` or `—`),
    /// sorted; empty when none (or for a panel not built by the loader). A roll-up reads
    /// such a cell as a gap, not as a region not set up yet.
    pub listed: Vec<Arc<Vec<u32>>>,
    /// Number of facts loaded (non-missing cells).
    pub n_facts: usize,
    /// The last period with a reported fact (not counting yearly targets spread over
    /// its months, which reach the year's end): what "latest" means for a report.
    pub last_reported: Option<usize>,
    /// Indicators whose figures stand for more than their period (1-N月累计 of a
    /// `cumulative = true` file, a year's target of an `annual = true` one), by id.
    pub spread: FxHashMap<u32, crate::series::Spread>,
}

impl Panel {
    /// A panel of `n_facts` non-missing cells (the loader counts them as it copies).
    pub fn new(
        axes: Arc<Axes>,
        indicators: Vec<Indicator>,
        data: Vec<Arc<Vec<f64>>>,
        flags: Vec<Vec<(u32, Arc<str>)>>,
        n_facts: usize,
    ) -> Panel {
        let index = indicators.iter().enumerate().map(|(i, ind)| (ind.code.clone(), i)).collect();
        // Each matrix as the values of a series (no copy: the loader's are its own).
        let data = data.into_iter().map(|d| Arc::new(Cells::from(Arc::try_unwrap(d).unwrap_or_else(|d| d.as_ref().clone())))).collect();
        Panel { axes, indicators, index, data, flags, listed: Vec::new(), n_facts, last_reported: None, spread: FxHashMap::default() }
    }
    /// The index of the latest period with reported facts (the axis's last when unknown),
    /// None for a panel without periods.
    pub fn latest(&self) -> Option<usize> {
        self.last_reported.or_else(|| self.axes.periods.len.checked_sub(1))
    }
    /// The region tree.
    pub fn regions(&self) -> &Regions {
        &self.axes.regions
    }
    /// The period axis.
    pub fn periods(&self) -> PeriodAxis {
        self.axes.periods
    }
    /// The index of the indicator with this code.
    pub fn indicator(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }
    /// The value of indicator `ind` at `cell` (p * R + r); NaN when missing, also for
    /// an indicator without facts.
    pub fn value(&self, ind: usize, cell: usize) -> f64 {
        self.data[ind].cell(cell)
    }
    /// Indicator `ind`'s values, `periods.len * regions.len` of them, all missing for an
    /// indicator without facts (made here, not kept).
    pub fn matrix(&self, ind: usize) -> Arc<Cells> {
        let d = &self.data[ind];
        let cells = self.axes.regions.len() * self.axes.periods.len;
        if d.len() == cells {
            d.clone()
        } else {
            let m = Arc::new(Cells::from(vec![f64::NAN; cells]));
            crate::memory::made(&m);
            m
        }
    }
    /// Flag of one cell, if any.
    pub fn flag(&self, ind: usize, cell: usize) -> Option<&str> {
        let f = &self.flags[ind];
        f.binary_search_by_key(&(cell as u32), |x| x.0).ok().map(|i| f[i].1.as_ref())
    }
    /// Codes of all indicators (for suggestions and completion).
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.indicators.iter().map(|i| i.code.as_str())
    }
    /// Bytes held by the value matrices (shared ones counted once).
    pub fn bytes(&self) -> usize {
        let mut seen: Vec<*const Cells> = self.data.iter().filter(|d| !d.is_empty()).map(Arc::as_ptr).collect();
        seen.sort();
        seen.dedup();
        seen.len() * self.axes.regions.len() * self.axes.periods.len * 8
    }
}
