//! Figures a sentence or a message ranks: which of its placeholders print the figure a
//! `rank(...)` beside them orders, and the decimals that tell regions of different places
//! apart (5.004%, 5%, 4.996% said 第1位, 第3位, 第2位; never 5% thrice).

use crate::sentence;
use crate::workspace::Workspace;
use yearbook_core::unit::Unit;
use yearbook_script::placeholder::{How, Piece, Slot};
use yearbook_script::rule::Rule;

/// A figure a rank of the same template places: the figure's value name, its phrasing,
/// and the rank's value name (`{gdp:amount}` beside `{r:rank}` with `r = rank(gdp)`).
pub(crate) type Ranked = (String, How, String);

/// Reads a value of a region by its name, with its unit (`get(region, name)`).
pub(crate) type Reader<'a> = &'a dyn Fn(usize, &str) -> Option<(f64, Unit)>;

/// The figures of `pieces` that a rank of the same template places (`{gdp:amount}` beside
/// `{r:rank}` with `r = rank(gdp)`, or a derived indicator `rank(gdp)`).
pub(crate) fn ranked_values(ws: &Workspace, rule: &Rule, pieces: &[Piece]) -> Vec<Ranked> {
    let text_of = |n: &str| -> Option<String> {
        let t = rule.values.iter().find(|(m, _, _)| m == n).map(|(_, t, _)| t.trim().to_string())?;
        Some(ws.program.indicators.get(&t).map_or(t, |d| d.text.trim().to_string()))
    };
    let mut out: Vec<Ranked> = Vec::new();
    for p in pieces {
        // A rank phrased as one (`{r:rank}`), or printed as its number (第{r}位).
        let Piece::Slot(Slot::Value { name: place, how }, _) = p else { continue };
        let is_rank = match how {
            How::Rank => true,
            How::Plain | How::Decimals(_) => text_of(place).is_some_and(|t| sentence::first_argument(&t, "rank").is_some()),
            _ => false,
        };
        if !is_rank {
            continue;
        }
        // `rank(-urb)`, `rank(0 - yoy(gdp))`, `rank(diff(urb) + 0)` (倒数 rankings) rank the
        // figure itself.
        let Some(arg) = text_of(place).and_then(|t| sentence::first_argument(&t, "rank")).map(|a| ranked_figure(&a)) else { continue };
        for q in pieces {
            let Piece::Slot(
                Slot::Value { name, how: how @ (How::Plain | How::Decimals(_) | How::Amount | How::Growth | How::Points | How::Pp) },
                _,
            ) = q
            else {
                continue;
            };
            let same = *name == arg || rule.values.iter().any(|(m, t, _)| m == name && ranked_figure(t) == arg);
            if same && !out.iter().any(|(n, h, _)| n == name && h == how) {
                out.push((name.clone(), how.clone(), place.clone()));
            }
        }
    }
    out
}

/// The figure a rank's argument orders, spaces dropped: `-urb`, `0 - urb`, `urb + 0` and
/// `(urb)` are `urb`.
fn ranked_figure(text: &str) -> String {
    let mut t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = t.clone();
        for head in ["0.0-", "0-", "-"] {
            if let Some(rest) = t.strip_prefix(head) {
                t = rest.to_string();
                break;
            }
        }
        for tail in ["+0.0", "+0", "-0.0", "-0"] {
            if let Some(rest) = t.strip_suffix(tail) {
                t = rest.to_string();
                break;
            }
        }
        while t.starts_with('(') && t.ends_with(')') && sentence::closes_at_end(&t) {
            t = t[1..t.len() - 1].to_string();
        }
        // `level(gdp, "town")` ranks the figure `gdp` at its level.
        if let Some(inner) = sentence::first_argument(&t, "level") {
            t = inner;
        }
        if t == before {
            return t;
        }
    }
}

/// The figures of one group of regions said side by side (one level, one period) that
/// `ranked` placeholders print: for each, the regions' (figure, rank) pairs sorted by
/// figure, so that a region is set only against the few whose figures could print as its
/// own (a rule failing at 40,000 towns compares each with a handful, not with all).
pub(crate) struct Field(Vec<Vec<(f64, f64)>>);

impl Field {
    /// The group of `members`; `get(region, name)` reads a value and its unit.
    pub(crate) fn new(ranked: &[Ranked], members: impl Iterator<Item = usize> + Clone, get: Reader<'_>) -> Field {
        Field(
            ranked
                .iter()
                .map(|(figure, _, place)| {
                    let mut v: Vec<(f64, f64)> = members
                        .clone()
                        .filter_map(|o| Some((get(o, figure)?.0, get(o, place)?.0)))
                        .filter(|(y, w)| y.is_finite() && w.is_finite())
                        .collect();
                    v.sort_by(|a, b| a.0.total_cmp(&b.0));
                    v
                })
                .collect(),
        )
    }

    /// The decimals each of `ranked` needs at region `r` (a member) to print unlike the
    /// same figure of each member whose rank differs from `r`'s; empty where each
    /// figure's own decimals already tell them apart.
    pub(crate) fn apart_at(&self, ranked: &[Ranked], r: usize, get: Reader<'_>) -> Vec<(String, usize)> {
        ranked
            .iter()
            .zip(&self.0)
            .filter_map(|((figure, how, place), sorted)| {
                let ((x, unit), (w, _)) = (get(r, figure)?, get(r, place)?);
                if !x.is_finite() || !w.is_finite() {
                    return None;
                }
                // Two figures that print alike at `base` decimals or more (in any
                // magnitude: 万, 亿, a fraction in %) are within this of each other.
                let base = match how {
                    How::Decimals(d) => *d as i32,
                    _ => 2,
                };
                let window = 10f64.powi(-base.min(300)) * (2.0 * x.abs() + 1.0);
                let from = sorted.partition_point(|(y, _)| *y < x - window);
                let others: Vec<f64> =
                    sorted[from..].iter().take_while(|(y, _)| *y <= x + window).filter(|(_, v)| *v != w).map(|(y, _)| *y).collect();
                sentence::apart_decimals(how, x, &unit, &others).map(|d| (figure.clone(), d))
            })
            .collect()
    }
}
