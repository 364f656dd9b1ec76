//! The rows of a record table as a report template sees them (`rows("projects")`): a
//! column the table lacks is an error naming the table, its columns and the nearest one.
//!
//! minijinja answers a missing attribute with an undefined value, and its filters take
//! that quietly: `rows("projects") | map(attribute="investt") | sum` is 0,
//! `selectattr("categroy", ...)` keeps no row, `sort(attribute="investt")` leaves the file
//! order and `{% if r.categry == "road" %}` is false: a report would print 项目总投资0万元
//! without a word. Its lookups take no error, so each row records the first column it
//! was asked for and does not have ([`Misses`]); the section that asked is refused
//! after it renders ([`Misses::take`]), at the first line that names the column.

use minijinja::value::{Enumerator, Object, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The first column a template asked a row for that its table lacks.
#[derive(Debug, Default)]
pub(crate) struct Misses(Mutex<Option<Miss>>);

/// A column asked for that the table lacks, and the message that says so.
#[derive(Debug, Clone)]
pub(crate) struct Miss {
    /// The name as the template wrote it.
    pub column: String,
    /// What is wrong and what would fix it.
    pub message: String,
}

impl Misses {
    fn record(&self, table: &str, columns: &[String], column: &str) {
        let Ok(mut slot) = self.0.lock() else { return };
        if slot.is_some() {
            return;
        }
        let hint = yearbook_core::suggest::did_you_mean(column, columns.iter().map(String::as_str));
        *slot = Some(Miss {
            column: column.to_string(),
            message: format!(
                "report template: table `{table}` has no column `{column}`{hint} (its columns: {}); a name the table lacks \
                 would read as empty in every row, and a sum of it as 0",
                columns.join(", ")
            ),
        });
    }

    /// The first column asked for and missing since the last call, if any.
    pub(crate) fn take(&self) -> Option<Miss> {
        self.0.lock().ok().and_then(|mut m| m.take())
    }
}

/// One row: its cells by column name (an empty cell is none).
#[derive(Debug)]
struct Row {
    table: Arc<str>,
    columns: Arc<Vec<String>>,
    cells: BTreeMap<String, Value>,
    misses: Arc<Misses>,
}

impl Object for Row {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        match self.cells.get(name) {
            Some(v) => Some(v.clone()),
            None => {
                self.misses.record(&self.table, &self.columns, name);
                None
            }
        }
    }

    /// A row has no methods: `r.items()` is refused here, before minijinja would look
    /// for a column of that name.
    fn call_method(self: &Arc<Self>, _: &mut minijinja::State<'_, '_>, method: &str, _: &[Value]) -> Result<Value, minijinja::Error> {
        Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("a row of table `{}` has no method `{method}()`: read a cell as `r.column` or `r[\"column\"]`", self.table),
        ))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.columns.iter().map(|c| Value::from(c.as_str())).collect())
    }
}

/// The rows of table `table`, each a map of its `columns` to `cells[row][column]`.
pub(crate) fn value(table: &str, columns: Vec<String>, cells: Vec<Vec<Value>>, misses: &Arc<Misses>) -> Value {
    let table: Arc<str> = Arc::from(table);
    let columns = Arc::new(columns);
    let rows: Vec<Value> = cells
        .into_iter()
        .map(|row| {
            Value::from_object(Row {
                table: table.clone(),
                columns: columns.clone(),
                cells: columns.iter().cloned().zip(row).collect(),
                misses: misses.clone(),
            })
        })
        .collect();
    Value::from(rows)
}

/// The 1-based line of `source` that first names `column` as a word (an attribute or a
/// quoted name), else 1.
pub(crate) fn line_of(source: &str, column: &str) -> usize {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    source
        .lines()
        .position(|line| {
            line.match_indices(column).any(|(i, _)| {
                let before = line[..i].chars().next_back();
                let after = line[i + column.len()..].chars().next();
                !before.is_some_and(word) && !after.is_some_and(word)
            })
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_finds_the_name_as_a_word() {
        let src = "a {{ x.invest }}\nb {{ rows(\"p\") | map(attribute=\"investt\") }}\n";
        assert_eq!(line_of(src, "investt"), 2);
        assert_eq!(line_of(src, "invest"), 1);
        assert_eq!(line_of(src, "nowhere"), 1);
    }

    #[test]
    fn a_missing_column_is_recorded_once_with_the_nearest_name() {
        let misses = Arc::new(Misses::default());
        let rows = value("projects", vec!["name".into(), "invest".into()], vec![vec![Value::from("a"), Value::from(1.5)]], &misses);
        let row = rows.get_item_by_index(0).unwrap();
        assert_eq!(row.get_attr("invest").unwrap(), Value::from(1.5));
        assert!(misses.take().is_none());
        assert!(row.get_attr("investt").unwrap().is_undefined());
        assert!(row.get_attr("other").unwrap().is_undefined());
        let m = misses.take().unwrap();
        assert_eq!(m.column, "investt");
        assert!(m.message.contains("table `projects` has no column `investt`"), "{}", m.message);
        assert!(m.message.contains("`invest`"), "{}", m.message);
        assert!(misses.take().is_none());
    }
}
