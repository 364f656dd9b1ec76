//! One row of a record table as scripts see it (`|p| p.year == 2021`): its cells by
//! column name, where a name the table lacks is an error with a did-you-mean (a map
//! would read it as `()` and a filter would keep nothing, silently), and the cells of a
//! whole-number column (a year, a count) are whole numbers.

use rhai::{Dynamic, Map};
use std::sync::Arc;
use yearbook_core::error::Fault;
use yearbook_core::table::{ColumnData, Table};

/// A table with what its rows need to know once: which number columns are whole.
#[derive(Debug)]
pub struct Rows {
    table: Table,
    whole: Vec<bool>,
}

impl Rows {
    /// The rows of `t`, sharing its columns.
    pub fn of(t: &Table) -> Arc<Rows> {
        Arc::new(Rows { table: t.clone(), whole: t.columns.iter().map(|c| c.is_whole()).collect() })
    }

    /// Row `r`.
    pub fn row(self: &Arc<Rows>, r: usize) -> Row {
        Row { rows: self.clone(), r }
    }

    /// The cell of column `c` in row `r`: text, a number (whole in a whole-number
    /// column), or `()` where missing.
    fn cell(&self, c: usize, r: usize) -> Dynamic {
        match &self.table.columns[c].data {
            ColumnData::Number(v) if v[r].is_nan() => Dynamic::UNIT,
            ColumnData::Number(v) if self.whole[c] => Dynamic::from_int(v[r] as rhai::INT),
            ColumnData::Number(v) => Dynamic::from_float(v[r]),
            ColumnData::Text(v) => Dynamic::from(v[r].clone()),
        }
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
