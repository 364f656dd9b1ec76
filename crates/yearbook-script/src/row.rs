//! One row of a record table as scripts see it (`|p| p.year == 2021`): its cells by
//! column name, where a name the table lacks is an error with a did-you-mean (a map
//! would read it as `()` and a filter would keep nothing, silently), and the cells of a
//! whole-number column (a year, a count) are whole numbers.

use rhai::{Dynamic, Map};
use std::sync::Arc;
use yearbook_core::error::Fault;
use yearbook_core::table::{ColumnData, Table};

/// A table with what its rows need to know once: which number columns are whole, and
/// the tag of each number column's unit (see `unit_tag`; 0: none), or of each row's where
/// a unit column (计量单位) names it row by row.
#[derive(Debug)]
pub struct Rows {
    table: Table,
    whole: Vec<bool>,
    tags: Vec<i32>,
    /// Per row, the tag of the unit its unit column names (0: none or not a unit), for the
    /// number columns without a unit of their own; empty without a unit column.
    row_tags: Vec<i32>,
}

impl Rows {
    /// The rows of `t`, sharing its columns.
    pub fn of(t: &Table) -> Arc<Rows> {
        let tags = t.columns.iter().map(|c| c.unit.as_ref().map_or(0, crate::unit_tag::tag_of)).collect();
        // A unit column (计量单位, 单位, unit) of units: each row's figures are in its unit,
        // as `t.sum(c)` reads them (元 on every row: the sum is in 元).
        let row_tags =
            t.columns
                .iter()
                .find_map(|u| match (&u.data, u.name.trim()) {
                    (ColumnData::Text(v), "计量单位" | "单位" | "unit")
                        if v.iter().all(|x| x.trim().is_empty() || yearbook_core::unit::Unit::parse(x.trim()).is_known())
                            && v.iter().any(|x| !x.trim().is_empty()) =>
                    {
                        Some(
                            v.iter()
                                .map(|x| {
                                    if x.trim().is_empty() {
                                        0
                                    } else {
                                        crate::unit_tag::tag_of(&yearbook_core::unit::Unit::parse(x.trim()))
                                    }
                                })
                                .collect(),
                        )
                    }
                    _ => None,
                })
                .unwrap_or_default();
        Arc::new(Rows { table: t.clone(), whole: t.columns.iter().map(|c| c.is_whole()).collect(), tags, row_tags })
    }

    /// Row `r`.
    pub fn row(self: &Arc<Rows>, r: usize) -> Row {
        Row { rows: self.clone(), r }
    }

    /// The cell of column `c` in row `r`: text, a number (whole in a whole-number
    /// column) carrying its column's unit as `t.sum(c)` does (a project's 1.2 of
    /// 总投资（亿元） beside 万元 is 12000万元), or `()` where missing.
    fn cell(&self, c: usize, r: usize) -> Dynamic {
        let col = &self.table.columns[c];
        let tag = match self.tags[c] {
            0 if !yearbook_core::table::is_key_header(&col.name) => self.row_tags.get(r).copied().unwrap_or(0),
            t => t,
        };
        match &col.data {
            ColumnData::Number(v) if v[r].is_nan() => Dynamic::UNIT,
            // A figure with a unit is a decimal, whole or not (1亿元 + 2亿元 keeps the unit
            // through the decimal operators; a whole number's went through Rhai's own).
            ColumnData::Number(v) if tag > 0 => {
                let mut d = Dynamic::from_float(v[r]);
                d.set_tag(tag);
                d
            }
            ColumnData::Number(v) if self.whole[c] => Dynamic::from_int(v[r] as rhai::INT),
            ColumnData::Number(v) => Dynamic::from_float(v[r]),
            ColumnData::Text(v) => Dynamic::from(v[r].clone()),
        }
    }

    /// An error of a comparison a closure made on row `r` (an empty cell or a code
    /// compared with a number, which cannot say which cell it was) with the cell's
    /// column and row named, and `x` in its suggestion written as that column
    /// (`p.score`); any other error as it is.
    pub fn locate(&self, r: usize, e: Box<rhai::EvalAltResult>) -> Box<rhai::EvalAltResult> {
        let (msg, pos) = match e.unwrap_inner() {
            rhai::EvalAltResult::ErrorRuntime(m, p) => (m.to_string(), *p),
            _ => return e,
        };
        let cols = &self.table.columns;
        let (names, from, to): (Vec<&str>, String, String) = if msg.starts_with(crate::numbers::EMPTY_CELL) {
            let names =
                cols.iter().filter(|c| matches!(&c.data, ColumnData::Number(v) if v[r].is_nan())).map(|c| c.name.as_str()).collect();
            (names, "an empty cell".into(), "the empty cell".into())
        } else if let Some(rest) = msg.strip_prefix(crate::numbers::CODE_TEXT) {
            let text = rest.trim_start().strip_prefix('"').and_then(|t| t.split_once('"')).map(|(t, _)| t).unwrap_or_default();
            let names = cols.iter().filter(|c| matches!(&c.data, ColumnData::Text(v) if v[r] == text)).map(|c| c.name.as_str()).collect();
            let quoted = format!("the code \"{text}\"");
            (names, quoted.clone(), quoted)
        } else {
            return e;
        };
        let access = |n: &str| {
            if !n.is_empty() && n.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) && !n.starts_with(|c: char| c.is_ascii_digit()) {
                format!("p.{n}")
            } else {
                format!("p[\"{n}\"]")
            }
        };
        let place = match names.as_slice() {
            [one] => format!("{to} of `{one}` in row {}", r + 1),
            [] => format!("{to} in row {}", r + 1),
            many => format!("{to} of {} in row {}", many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "), r + 1),
        };
        let msg = msg.replacen(&from, &place, 1);
        let msg = match names.as_slice() {
            [one] => {
                let a = access(one);
                msg.replace("`x ", &format!("`{a} ")).replace("&& x ", &format!("&& {a} ")).replace("(x ", &format!("({a} "))
            }
            _ => msg,
        };
        Box::new(rhai::EvalAltResult::ErrorRuntime(msg.into(), pos))
    }

    /// Column `c` as an array of cells.
    pub fn column(&self, c: usize) -> rhai::Array {
        (0..self.table.len).map(|r| self.cell(c, r)).collect()
    }
}

/// One row: `p.year`, `p["year"]`.
#[derive(Debug, Clone)]
pub struct Row {
    rows: Arc<Rows>,
    r: usize,
}

impl Row {
    /// The cell of the column named `name`; an unknown name is an error naming the
    /// table's columns and the nearest one.
    pub fn get(&self, name: &str) -> Result<Dynamic, Fault> {
        let t = &self.rows.table;
        let c = t.columns.iter().position(|c| c.name == name).ok_or_else(|| t.no_column(name))?;
        Ok(self.rows.cell(c, self.r))
    }

    /// The column names, in file order.
    pub fn keys(&self) -> rhai::Array {
        self.rows.table.columns.iter().map(|c| Dynamic::from(c.name.clone())).collect()
    }

    /// The row as a map of column name to cell.
    pub fn to_map(&self) -> Map {
        self.rows.table.columns.iter().enumerate().map(|(c, col)| (col.name.as_str().into(), self.rows.cell(c, self.r))).collect()
    }

    /// Whether the table has a column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.rows.table.columns.iter().any(|c| c.name == name)
    }
}
