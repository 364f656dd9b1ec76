//! How cells of a text column order: a column is text as soon as one cell is no figure
//! (投资额 of `60`, `100`, `9` and `另计`), and ordered as text 100 came before 60 before 9.
//! Here a cell that spells a figure orders by its value, a code of digits (序号 `1`..`12`,
//! an 18-digit 统一社会信用代码) by its digits exactly, and both before the cells that are
//! words; a blank or a symbol of no figure (`—`, `…`) after everything.

use std::cmp::Ordering;

/// What a text cell is, for ordering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Digits only, with an optional sign (`001`, `-12`, `913300001111111112`): exact
    /// whatever their length; the digits without leading zeros.
    Whole(bool, &'a str),
    /// A figure as fact files read it (`12.5`, `1,234`, `１２`, `3.2*`, `12.5%`).
    Figure(f64),
    /// Anything else: a word, a name, a dotted code with two points.
    Word,
    /// Empty, or a symbol of no figure (`—`, `…`, `x`, `/`).
    Blank,
}

/// What `cell` is, for ordering (see [`Cell`]).
pub fn cell(cell: &str) -> Cell<'_> {
    let t = cell.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let significant = digits.trim_start_matches('0');
        return Cell::Whole(negative && !significant.is_empty(), significant);
    }
    match crate::number::parse_value(t.as_bytes(), true) {
        Ok(crate::number::Value::Missing) => Cell::Blank,
        Ok(v) => v.number().map_or(Cell::Blank, Cell::Figure),
        Err(_) => Cell::Word,
    }
}

impl Cell<'_> {
    /// Figures and codes (0), words (1), blanks (2): the rank that orders first.
    pub fn rank(&self) -> u8 {
        match self {
            Cell::Whole(..) | Cell::Figure(_) => 0,
            Cell::Word => 1,
            Cell::Blank => 2,
        }
    }

    /// The value as a decimal (a long code rounded), None for a word or a blank.
    pub fn value(&self) -> Option<f64> {
        match *self {
            Cell::Whole(negative, digits) => {
                let v = if digits.is_empty() { 0.0 } else { digits.parse::<f64>().ok()? };
                Some(if negative { -v } else { v })
            }
            Cell::Figure(v) => Some(v),
            _ => None,
        }
    }
}

/// Two figures or codes by value: two codes of digits exactly (by sign, then the number
/// of significant digits, then the digits), else as decimals. None where either is a word
/// or a blank.
pub fn by_value(a: &Cell, b: &Cell) -> Option<Ordering> {
    match (a, b) {
        (Cell::Whole(na, da), Cell::Whole(nb, db)) => {
            let magnitude = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
            Some(match (na, nb) {
                (false, false) => magnitude,
                (true, true) => magnitude.reverse(),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
            })
        }
        _ => Some(a.value()?.total_cmp(&b.value()?)),
    }
}

/// Two text cells in the order of [`text_order`](self), ascending, or with `descending`
/// the figures and the words each reversed (blanks last either way). Cells of one value
/// (`001` and `1`) order as text, so the order is total.
pub fn compare(a: &str, b: &str, descending: bool) -> Ordering {
    compare_cells((&cell(a), a), (&cell(b), b), descending)
}

/// [`compare`] of two cells already read (each with its text): a sort reads each cell
/// once ([`order`]), not at each comparison.
pub fn compare_cells((x, a): (&Cell, &str), (y, b): (&Cell, &str), descending: bool) -> Ordering {
    let ord = match x.rank().cmp(&y.rank()) {
        Ordering::Equal if x.rank() == 2 => return Ordering::Equal,
        Ordering::Equal => by_value(x, y).unwrap_or(Ordering::Equal).then_with(|| a.cmp(b)),
        other => return other,
    };
    if descending { ord.reverse() } else { ord }
}

/// The positions of `cells` in the order of [`compare`] (stable), each cell read once.
pub fn order<S: AsRef<str>>(cells: &[S], descending: bool) -> Vec<usize> {
    let read: Vec<Cell> = cells.iter().map(|c| cell(c.as_ref())).collect();
    let mut at: Vec<usize> = (0..cells.len()).collect();
    at.sort_by(|&i, &j| compare_cells((&read[i], cells[i].as_ref()), (&read[j], cells[j].as_ref()), descending));
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(cells: &[&str], descending: bool) -> Vec<String> {
        let mut v: Vec<&str> = cells.to_vec();
        v.sort_by(|a, b| compare(a, b, descending));
        // The order read once per cell is the same.
        let once: Vec<&str> = order(cells, descending).into_iter().map(|i| cells[i]).collect();
        assert_eq!(once, v);
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn figures_by_value_codes_by_digits_words_then_blanks() {
        assert_eq!(
            sorted(&["100", "另计", "9", "", "60", "1,234", "-5", "2.5"], false),
            ["-5", "2.5", "9", "60", "100", "1,234", "另计", ""]
        );
        assert_eq!(sorted(&["100", "另计", "9", "—", "60", "甲"], true), ["100", "60", "9", "甲", "另计", "—"]);
        assert_eq!(sorted(&["10", "2", "1", "12", "001"], false), ["001", "1", "2", "10", "12"]);
        // 18-digit codes differ in their last digit, past what a decimal holds.
        assert_eq!(
            sorted(&["913300001111111113", "913300001111111111", "913300001111111112"], false),
            ["913300001111111111", "913300001111111112", "913300001111111113"]
        );
        assert_eq!(sorted(&["-10", "-2", "0", "-0"], false), ["-10", "-2", "-0", "0"]);
        assert_eq!(sorted(&["5.2%", "12.5%", "-3%", "0.8%"], true), ["12.5%", "5.2%", "0.8%", "-3%"]);
    }
}
