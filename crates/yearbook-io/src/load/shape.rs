//! The panel's shape before it is allocated: periods x regions x matrices, the periods
//! far from the others (a mistyped year), and the refusal of a panel over the limit,
//! located at the fact of the far-off period.

use super::facts::{Block, bytes, group};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::period::{Frequency, Period, PeriodAxis};

/// A gap between periods with facts wider than this many years is reported.
const FAR_YEARS: i32 = 20;

pub struct Shape {
    periods: PeriodAxis,
    regions: usize,
    /// Matrices to allocate: indicators with facts, plus one all-missing matrix that a
    /// script reading an indicator without facts is given.
    matrices: usize,
    /// Per period with facts: the first (file, line) that gave one, and how many
    /// indicators have facts in it.
    origins: BTreeMap<i32, (String, usize, usize)>,
}

impl Shape {
    pub fn of(blocks: &FxHashMap<(u32, i32), Arc<Block>>, periods: PeriodAxis, regions: usize, indicators: usize) -> Shape {
        let mut with_facts: Vec<u32> = blocks.keys().map(|k| k.0).collect();
        with_facts.sort_unstable();
        with_facts.dedup();
        let matrices = with_facts.len() + usize::from(with_facts.len() < indicators);
        let mut origins: BTreeMap<i32, (String, usize, usize)> = BTreeMap::new();
        for (&(_, p), b) in blocks {
            let (file, line) = b.origin();
            let e = origins.entry(p).or_insert_with(|| (file.to_string(), line, 0));
            if (file, line) < (e.0.as_str(), e.1) {
                (e.0, e.1) = (file.to_string(), line);
            }
            e.2 += 1;
        }
        Shape { periods, regions, matrices, origins }
    }

    /// Cells the dense panel would hold.
    pub fn cells(&self) -> usize {
        self.periods.len.saturating_mul(self.regions).saturating_mul(self.matrices)
    }

    fn name(&self, ord: i32) -> String {
        Period { freq: self.periods.freq, ordinal: ord }.to_string()
    }

    fn far(&self) -> i32 {
        FAR_YEARS
            * match self.periods.freq {
                Frequency::Year => 1,
                Frequency::Quarter => 4,
                Frequency::Month => 12,
            }
    }

    /// Gaps wider than the far-off threshold: (period before, period after).
    fn gaps(&self) -> Vec<(i32, i32)> {
        let ords: Vec<i32> = self.origins.keys().copied().collect();
        ords.windows(2).filter(|w| w[1] - w[0] > self.far()).map(|w| (w[0], w[1])).collect()
    }

    /// Whether the periods up to `a` hold fewer indicator-periods than those after it.
    fn lower_side_smaller(&self, a: i32) -> bool {
        let below: usize = self.origins.range(..=a).map(|(_, o)| o.2).sum();
        let above: usize = self.origins.range(a + 1..).map(|(_, o)| o.2).sum();
        below < above
    }

    /// The period most likely mistyped: the smaller side of the widest gap, else the
    /// end farther from the median period.
    fn suspect(&self) -> Option<i32> {
        let ords: Vec<i32> = self.origins.keys().copied().collect();
        let (first, last) = (*ords.first()?, *ords.last()?);
        if let Some(&(a, _)) = self.gaps().iter().max_by_key(|(a, b)| b - a) {
            return Some(if self.lower_side_smaller(a) { first } else { last });
        }
        let mid = ords[ords.len() / 2];
        Some(if mid - first > last - mid { first } else { last })
    }

    fn at(&self, ord: i32) -> Location {
        match self.origins.get(&ord) {
            Some((file, line, _)) => Location::new(file.clone(), *line, None),
            None => Location::new("facts", 1, None),
        }
    }

    /// Warnings about periods far from the others (the panel spans every period between).
    pub fn warnings(&self) -> Vec<String> {
        self.gaps()
            .into_iter()
            .map(|(a, b)| {
                let (lone, other) = if self.lower_side_smaller(a) { (a, b) } else { (b, a) };
                format!(
                    "{}: period {} is {} periods from the next with facts ({}): the panel spans every period between; is it mistyped?",
                    self.at(lone),
                    self.name(lone),
                    (b - a),
                    self.name(other)
                )
            })
            .collect()
    }

    /// Refuses a panel over `max_cells` (or one whose cell numbers would not fit in u32),
    /// and one over an eighth of it that a period far from the others stretches over
    /// years without facts (three periods in four or more) (2204年3月 typed for 2024年3月: 2,161 months of 20,000 towns,
    /// 1.4 GB for five facts).
    pub fn check(&self, max_cells: usize) -> Result<()> {
        let per_matrix = self.periods.len.saturating_mul(self.regions);
        if self.cells() > max_cells / 8
            && self.cells() <= max_cells
            && self.origins.len() * 4 < self.periods.len
            && let Some(&(a, b)) = self.gaps().iter().max_by_key(|(a, b)| b - a)
        {
            let (lone, other) = if self.lower_side_smaller(a) { (a, b) } else { (b, a) };
            return Err(Error::data(
                self.at(lone),
                format!(
                    "period {} is {} periods from the next with facts ({}): the panel would span every period between, \
                     {} periods x {} regions x {} indicators = {} cells ({}), mostly without facts; correct the period, \
                     or raise `max_panel_cells` in [limits] of the config to {} or more to keep it",
                    self.name(lone),
                    group((b - a) as usize),
                    self.name(other),
                    group(self.periods.len),
                    group(self.regions),
                    self.matrices,
                    group(self.cells()),
                    bytes(self.cells()),
                    group(self.cells().saturating_mul(8)),
                ),
            ));
        }
        if self.cells() <= max_cells && per_matrix <= u32::MAX as usize {
            return Ok(());
        }
        let ord = self.suspect().unwrap_or(self.periods.first);
        let span = match (self.origins.keys().next(), self.origins.keys().next_back()) {
            (Some(&a), Some(&b)) => format!("{} .. {}", self.name(a), self.name(b)),
            _ => String::new(),
        };
        let limit = if per_matrix > u32::MAX as usize {
            format!("over {} cells per indicator, the most a panel can index", group(u32::MAX as usize))
        } else {
            format!("over max_panel_cells = {}", group(max_cells))
        };
        Err(Error::data(
            self.at(ord),
            format!(
                "period {} makes the panel span {span}: {} periods x {} regions x {} indicators = {} cells ({}), {limit}; \
                 correct the period, or raise `max_panel_cells` in [limits] of the config",
                self.name(ord),
                group(self.periods.len),
                group(self.regions),
                self.matrices,
                group(self.cells()),
                bytes(self.cells()),
            ),
        ))
    }
}

/// An empty matrix with room for `cells` values, or an error when memory runs out.
pub fn matrix_with_capacity(cells: usize) -> Result<Vec<f64>> {
    let mut m = Vec::new();
    m.try_reserve_exact(cells).map_err(|_| {
        Error::new(
            yearbook_core::error::ErrorKind::MemoryLimit,
            format!("out of memory: a panel matrix of {} cells ({}) cannot be allocated", group(cells), bytes(cells)),
        )
    })?;
    Ok(m)
}
