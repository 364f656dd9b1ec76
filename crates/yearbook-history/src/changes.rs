//! The cells that differ between two sets of figures, found by walking both in key order
//! at once (a merge join: one comparison per cell, no lookup per cell).

use crate::model::{Cell, Cells};
use std::cmp::Ordering;
use std::iter::Peekable;

/// Each cell whose value differs bit for bit between `before` and `after`, or that is in
/// only one of them, in key order: (cell, value before, value after).
pub fn changes<'a>(before: &'a Cells, after: &'a Cells) -> Changes<'a> {
    Changes { a: before.iter().peekable(), b: after.iter().peekable() }
}

/// The iterator of [`changes`].
pub struct Changes<'a> {
    a: Peekable<std::collections::btree_map::Iter<'a, Cell, f64>>,
    b: Peekable<std::collections::btree_map::Iter<'a, Cell, f64>>,
}

impl<'a> Iterator for Changes<'a> {
    type Item = (&'a Cell, Option<f64>, Option<f64>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let order = match (self.a.peek(), self.b.peek()) {
                (None, None) => return None,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((ca, _)), Some((cb, _))) => ca.cmp(cb),
            };
            match order {
                Ordering::Less => {
                    let (c, v) = self.a.next()?;
                    return Some((c, Some(*v), None));
                }
                Ordering::Greater => {
                    let (c, v) = self.b.next()?;
                    return Some((c, None, Some(*v)));
                }
                Ordering::Equal => {
                    let ((c, x), (_, y)) = (self.a.next()?, self.b.next()?);
                    // Bit for bit: a revision in the last digit is a revision.
                    if x.to_bits() != y.to_bits() {
                        return Some((c, Some(*x), Some(*y)));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[(&str, &str, f64)]) -> Cells {
        v.iter().map(|(i, r, x)| (Cell { indicator: i.to_string(), region: r.to_string(), period: "2008".into() }, *x)).collect()
    }

    #[test]
    fn changed_added_and_removed_cells_in_key_order() {
        let a = cells(&[("gdp", "t1", 1.0), ("gdp", "t2", 2.0), ("gdp", "t3", 3.0), ("pop", "t1", 5.0)]);
        let b = cells(&[("gdp", "t0", 9.0), ("gdp", "t2", 2.0), ("gdp", "t3", 3.0000000000000004), ("pop", "t2", 6.0)]);
        let got: Vec<(String, Option<f64>, Option<f64>)> =
            changes(&a, &b).map(|(c, x, y)| (format!("{} {}", c.indicator, c.region), x, y)).collect();
        assert_eq!(
            got,
            vec![
                ("gdp t0".into(), None, Some(9.0)),
                ("gdp t1".into(), Some(1.0), None),
                ("gdp t3".into(), Some(3.0), Some(3.0000000000000004)),
                ("pop t1".into(), Some(5.0), None),
                ("pop t2".into(), None, Some(6.0)),
            ]
        );
        assert_eq!(changes(&a, &a).count(), 0);
        assert_eq!(changes(&Cells::new(), &a).count(), 4);
    }
}
