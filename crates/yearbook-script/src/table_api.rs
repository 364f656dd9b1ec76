//! Record tables for scripts: `table("projects").filter(|p| p.category == "road").sum("investment_wan_yuan")`.
//! Tables are small (ledgers), so per-row closures are fine here.

use crate::Raised;
use crate::grouped::Grouped;
use crate::row::{Row, Rows};
use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, NativeCallContext};
use std::sync::Arc;
use yearbook_core::error::Fault;
use yearbook_core::kernel::aggregate::{Stat, reduce};
use yearbook_core::table::{Column, ColumnData, Table};

type R<T> = Result<T, Box<EvalAltResult>>;

/// A statistic of a numeric column, carrying the column's unit where the file gives one
/// ([`crate::unit_tag`]).
/// The unit column (计量单位, 单位, unit) of a table whose column `col` gives no unit of
/// its own: every non-empty cell a unit whose figures convert (单位 is also a ledger's
/// 负责单位, a column of offices, which is none).
fn unit_column<'a>(t: &'a Table, col: &str) -> Option<&'a [String]> {
    if t.column(col).ok()?.unit.is_some() {
        return None;
    }
    let is_unit = |v: &[String]| {
        v.iter().all(|u| u.trim().is_empty() || yearbook_core::unit::Unit::parse(u.trim()).is_known())
            && v.iter().any(|u| !u.trim().is_empty())
    };
    t.columns.iter().find_map(|u| match (&u.data, u.name.trim()) {
        (ColumnData::Text(v), "计量单位" | "单位" | "unit") if is_unit(v) => Some(v.as_slice()),
        _ => None,
    })
}

/// Refuses a statistic of column `col` (its values `vals`) over rows (`rows`) whose unit
/// column ([`unit_column`]) names more than one unit (亿元 on one row, 万元 on another):
/// 1.5亿元 and 200万元 summed to 201.5. Where it names one, that is the figures' unit
/// (元 on every row: their sum is in 元, not taken as the other side's 万元).
fn refuse_mixed_units(
    t: &Table,
    col: &str,
    vals: &[f64],
    units: &[String],
    rows: impl Iterator<Item = usize>,
) -> R<Option<yearbook_core::unit::Unit>> {
    let mut seen: Vec<&str> = Vec::new();
    for r in rows {
        let u = units.get(r).map(|u| u.trim()).unwrap_or("");
        if !u.is_empty() && vals.get(r).is_some_and(|v| !v.is_nan()) && !seen.contains(&u) {
            seen.push(u);
        }
    }
    if seen.len() > 1 {
        return Err(Fault::unit(format!(
            "column `{col}` of table `{}` holds figures in {} (its unit column says so row by row): taken together they \
             would be added as one unit; take the rows of one unit at a time (filter(|p| p.计量单位 == \"{}\")) and convert \
             each with amount(x, unit)",
            t.name,
            seen.join(", "),
            seen[0]
        ))
        .raised());
    }
    Ok(seen.first().map(|u| yearbook_core::unit::Unit::parse(u)))
}

/// [`refuse_mixed_units`] over all the rows of `t`: the unit of column `col`'s figures,
/// from its header or, where that names none, from the unit column.
fn refuse_mixed_in(t: &Table, col: &str) -> R<Option<yearbook_core::unit::Unit>> {
    match unit_column(t, col) {
        Some(units) => refuse_mixed_units(t, col, t.numbers(col).map_err(crate::raise)?, units, 0..t.len),
        None => {
            let unit = t.column(col).ok().and_then(|c| c.unit.clone());
            if let Some(u) = &unit {
                refuse_header_against_unit_column(t, col, u)?;
            }
            Ok(unit)
        }
    }
}

/// Refuses column `col` whose header names unit `header` (金额（万元）) where the table's
/// unit column (计量单位) names another unit of the same kind (元) for its rows: the
/// figures cannot be in both, and the header's was taken without a word (a sum in 元 read
/// as 万元). Where another column of figures has no unit of its own (补助标准 beside
/// 计量单位 元), the unit column is taken to speak of that one, unless its rows name the
/// header's unit and another of its kind both (万元 on one row, 元 on the next). A unit
/// column of another kind (吨 for a 数量 column beside 金额) is left alone.
fn refuse_header_against_unit_column(t: &Table, col: &str, header: &yearbook_core::unit::Unit) -> R<()> {
    let Some(units) = t.columns.iter().find_map(|u| match (&u.data, u.name.trim()) {
        (ColumnData::Text(v), "计量单位" | "单位" | "unit") => Some(v),
        _ => None,
    }) else {
        return Ok(());
    };
    let said: Vec<&str> = units.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).collect();
    let kind_of = |u: &str| {
        let u = yearbook_core::unit::Unit::parse(u);
        if !u.is_known() {
            return None;
        }
        u.factor_to(header).map(|f| (f - 1.0).abs() <= 1e-12)
    };
    let (same, other): (Vec<&str>, Vec<&str>) =
        said.iter().copied().filter(|u| kind_of(u).is_some()).partition(|u| kind_of(u) == Some(true));
    if other.is_empty() {
        return Ok(());
    }
    let unitless_figures = t.columns.iter().any(|c| {
        c.name != col && c.unit.is_none() && matches!(c.data, ColumnData::Number(_)) && !yearbook_core::table::is_key_header(&c.name)
    });
    if unitless_figures && same.is_empty() {
        return Ok(());
    }
    let mut named: Vec<&str> = other.clone();
    named.sort_unstable();
    named.dedup();
    let rows = if same.is_empty() { "on every row" } else { "on some rows" };
    Err(Fault::unit(format!(
        "column `{col}` of table `{}` says {} in its header, but its unit column says {} {rows}: the figures cannot be in \
         both; check which unit each row is in, and where the unit column speaks of this column, write the header's unit \
         there on every row",
        t.name,
        header.show(),
        named.join(", ")
    ))
    .raised())
}

fn stat(t: &Table, col: &str, s: Stat) -> R<Dynamic> {
    let unit = if s != Stat::Count { refuse_mixed_in(t, col)? } else { None };
    let mut vals: Vec<f64> = t.numbers(col).map_err(crate::raise)?.iter().copied().filter(|v| !v.is_nan()).collect();
    Ok(crate::unit_tag::tagged(reduce(s, &mut vals), unit.as_ref()))
}

fn grouped_stat(g: &Grouped, col: &str, s: Stat) -> R<Table> {
    let vals = g.table.numbers(col).map_err(crate::raise)?;
    if s != Stat::Count
        && let Some(units) = unit_column(&g.table, col)
    {
        for (_, rows) in g.groups.iter() {
            refuse_mixed_units(&g.table, col, vals, units, rows.iter().copied())?;
        }
    }
    // The groups' figures in the unit their column or its unit column names (one for all
    // the rows, or refused above where groups differ).
    let unit = if s == Stat::Count { None } else { refuse_mixed_in(&g.table, col).ok().flatten() };
    let keys: Vec<String> = g.groups.iter().map(|(k, _)| k.clone()).collect();
    let out: Vec<f64> = g
        .groups
        .iter()
        .map(|(_, rows)| {
            let mut b: Vec<f64> = rows.iter().map(|&r| vals[r]).filter(|v| !v.is_nan()).collect();
            reduce(s, &mut b)
        })
        .collect();
    let name = if s == Stat::Count { "count".to_string() } else { format!("{}_{col}", s.name()) };
    Ok(Table {
        name: g.table.name.clone(),
        columns: Arc::new(vec![
            Column { name: g.key.clone(), data: ColumnData::Text(keys), unit: None },
            // A sum, mean or extreme per group is in the column's unit; a count is none.
            Column { name, data: ColumnData::Number(out), unit },
        ]),
        len: g.groups.len(),
    })
}

/// Registers record tables: `table()`, filters, sums, groups and columns.
pub fn register(e: &mut Engine) {
    e.register_type_with_name::<Table>("Table");
    e.register_type_with_name::<Grouped>("Grouped");
    e.register_type_with_name::<Row>("Row");
    // `p.year` and `p["year"]`: a row has no properties of its own, so both read here.
    e.register_indexer_get(|p: &mut Row, name: &str| -> R<Dynamic> { p.get(name).map_err(crate::raise) });
    // Rhai gives every value a property `tag` (a number, 0), which `p.tag` found before
    // the indexer: a column named tag read 0 in every row (`p.tag == 2` matched none).
    e.register_get("tag", |p: &mut Row| -> R<Dynamic> { p.get("tag").map_err(crate::raise) });
    reg!(e, "keys", ["row: Row", "Array"], "A row's column names, in file order.", |p: &mut Row| p.keys());
    reg!(e, "to_map", ["row: Row", "Map"], "A row as a map of column name to cell.", |p: &mut Row| p.to_map());
    reg!(
        e,
        "contains",
        ["row: Row", "column: &str", "bool"],
        "Whether the row's table has the column (`\"year\" in p`).",
        |p: &mut Row, c: &str| p.has(c)
    );
    e.register_fn("to_string", |p: &mut Row| crate::output::describe(&Dynamic::from(p.clone())));
    e.register_fn("to_debug", |p: &mut Row| crate::output::describe(&Dynamic::from(p.clone())));
    reg!(
        e,
        "sum_all",
        ["t: Table", "column: &str", "f64"],
        "Sum of a numeric column, missing (not evaluable) if any cell is missing.",
        |t: &mut Table, c: &str| -> R<Dynamic> {
            let unit = refuse_mixed_in(t, c)?;
            let v = t.numbers(c).map_err(crate::raise)?;
            let sum = if v.iter().any(|x| x.is_nan()) { f64::NAN } else { v.iter().sum() };
            Ok(crate::unit_tag::tagged(sum, unit.as_ref()))
        }
    );
    reg!(e, "table", ["name: &str", "Table"], "A record table named in the config's [data.tables].", |ctx: NativeCallContext,
                                                                                                      name: &str|
     -> R<Table> {
        let ev = crate::eval::of(&ctx)?;
        let tables = &ev.data.tables;
        tables.get(name).cloned().ok_or_else(|| {
            let hint = yearbook_core::suggest::did_you_mean(name, tables.keys().map(String::as_str));
            let known: Vec<&str> = tables.keys().map(String::as_str).collect();
            let list = if known.is_empty() { "none".into() } else { known.join(", ") };
            Fault::unknown(format!("unknown table `{name}`{hint} (tables: {list})")).raised()
        })
    });
    reg!(
        e,
        "filter",
        ["t: Table", "keep: FnPtr", "Table"],
        "Rows for which the closure returns true: |p| p.category == \"road\" (a column the table lacks is an error; whole-number columns give whole numbers).",
        |ctx: NativeCallContext, t: &mut Table, f: FnPtr| -> R<Table> {
            let mut keep = Vec::new();
            let rows = Rows::of(t);
            for r in 0..t.len {
                let v: Dynamic = f.call_within_context(&ctx, (rows.row(r),)).map_err(|e| rows.locate(r, e))?;
                if v.as_bool()
                    .map_err(|ty| Fault::type_(format!("filter's closure must return true or false, not {ty}")))
                    .map_err(crate::raise)?
                {
                    keep.push(r);
                }
            }
            Ok(t.select(&keep))
        }
    );
    reg!(e, "sum", ["t: Table", "column: &str", "f64"], "Sum of a numeric column, skipping missing cells.", |t: &mut Table, c: &str| stat(
        t,
        c,
        Stat::Sum
    ));
    reg!(e, "mean", ["t: Table", "column: &str", "f64"], "Mean of a numeric column, skipping missing cells.", |t: &mut Table, c: &str| {
        stat(t, c, Stat::Mean)
    });
    reg!(e, "min", ["t: Table", "column: &str", "f64"], "Smallest value of a numeric column.", |t: &mut Table, c: &str| stat(
        t,
        c,
        Stat::Min
    ));
    reg!(e, "max", ["t: Table", "column: &str", "f64"], "Largest value of a numeric column.", |t: &mut Table, c: &str| stat(
        t,
        c,
        Stat::Max
    ));
    reg!(e, "count", ["t: Table", "i64"], "Number of rows.", |t: &mut Table| t.len as i64);
    reg!(e, "count", ["t: Table", "column: &str", "i64"], "Number of non-missing cells in a column.", |t: &mut Table, c: &str| -> R<i64> {
        let col = t.column(c).map_err(crate::raise)?;
        Ok(match &col.data {
            ColumnData::Number(v) => v.iter().filter(|x| !x.is_nan()).count(),
            ColumnData::Text(v) => v.iter().filter(|x| !x.is_empty()).count(),
        } as i64)
    });
    reg!(e, "missing", ["t: Table", "column: &str", "i64"], "Number of missing (empty) cells in a column.", |t: &mut Table,
                                                                                                             c: &str|
     -> R<i64> {
        let col = t.column(c).map_err(crate::raise)?;
        Ok(match &col.data {
            ColumnData::Number(v) => v.iter().filter(|x| x.is_nan()).count(),
            ColumnData::Text(v) => v.iter().filter(|x| x.is_empty()).count(),
        } as i64)
    });
    reg!(
        e,
        "column",
        ["t: Table", "column: &str", "Array"],
        "A column as an array (numbers, whole where the column's are all whole, or strings; missing numbers are ()).",
        |t: &mut Table, c: &str| -> R<Array> {
            let i = t.columns.iter().position(|x| x.name == c).ok_or_else(|| t.no_column(c)).map_err(crate::raise)?;
            Ok(Rows::of(t).column(i))
        }
    );
    reg!(e, "rows", ["t: Table", "Array"], "The rows as an array: r.year, r[\"year\"], r.to_map().", |t: &mut Table| -> Array {
        let rows = Rows::of(t);
        (0..t.len).map(|r| Dynamic::from(rows.row(r))).collect()
    });
    reg!(e, "len", ["t: Table", "i64"], "Number of rows.", |t: &mut Table| t.len as i64);
    reg!(e, "head", ["t: Table", "n: i64", "Table"], "The first n rows.", |t: &mut Table, n: i64| {
        let keep: Vec<usize> = (0..t.len.min(n.max(0) as usize)).collect();
        t.select(&keep)
    });
    reg!(
        e,
        "sort",
        ["t: Table", "column: &str", "Table"],
        "Rows sorted by a column, ascending (missing last; in a text column figures by value, codes by their digits, then words).",
        |t: &mut Table, c: &str| sort(t, c, false)
    );
    reg!(
        e,
        "sort",
        ["t: Table", "column: &str", "order: &str", "Table"],
        "Rows sorted by a column; order \"desc\" (降序) for descending, \"asc\" (升序) for ascending.",
        |t: &mut Table, c: &str, o: &str| sort(t, c, descending(o)?)
    );
    reg!(
        e,
        "group_by",
        ["t: Table", "column: &str", "Grouped"],
        "Groups rows by a column's values (in order of first appearance); values that differ only in full-width and half-width forms (道路（一期） and 道路(一期)) or in spaces padding Chinese words (在　建 and 在建) are one group under the first spelling, with a note.",
        |t: &mut Table, c: &str| -> R<Grouped> {
            Ok(Grouped { table: t.clone(), key: c.to_string(), groups: Arc::new(t.groups(c).map_err(crate::raise)?) })
        }
    );
    reg!(e, "sum", ["g: Grouped", "column: &str", "Table"], "Sum of a column per group.", |g: &mut Grouped, c: &str| grouped_stat(
        g,
        c,
        Stat::Sum
    ));
    reg!(e, "mean", ["g: Grouped", "column: &str", "Table"], "Mean of a column per group.", |g: &mut Grouped, c: &str| grouped_stat(
        g,
        c,
        Stat::Mean
    ));
    reg!(e, "count", ["g: Grouped", "Table"], "Number of rows per group.", |g: &mut Grouped| -> Table {
        let keys: Vec<String> = g.groups.iter().map(|(k, _)| k.clone()).collect();
        let counts: Vec<f64> = g.groups.iter().map(|(_, r)| r.len() as f64).collect();
        Table {
            name: g.table.name.clone(),
            columns: Arc::new(vec![
                Column { name: g.key.clone(), data: ColumnData::Text(keys), unit: None },
                Column { name: "count".into(), data: ColumnData::Number(counts), unit: None },
            ]),
            len: g.groups.len(),
        }
    });
    reg!(e, "to_string", ["t: Table", "String"], "The table printed.", |t: &mut Table| crate::output::table_text(t, 50));
    reg!(e, "to_debug", ["t: Table", "String"], "The table printed.", |t: &mut Table| crate::output::table_text(t, 50));
}

/// The order word of `sort(t, column, order)`: any other word was taken as ascending
/// (`"dsc"`, `"DESC"`, `"降序"` sorted up without a word).
fn descending(order: &str) -> R<bool> {
    match order.trim() {
        o if o.eq_ignore_ascii_case("desc") || o.eq_ignore_ascii_case("descending") || o == "降序" => Ok(true),
        o if o.eq_ignore_ascii_case("asc") || o.eq_ignore_ascii_case("ascending") || o == "升序" => Ok(false),
        o => Err(Fault::new(
            yearbook_core::ErrorKind::UnknownName,
            format!("sort: unknown order \"{o}\": write \"desc\" (降序) or \"asc\" (升序)"),
        )
        .raised()),
    }
}

/// Rows ordered by column `c` (missing last either way; a text column as
/// `yearbook_core::text_order` orders it).
fn sort(t: &Table, c: &str, desc: bool) -> R<Table> {
    let idx = t.columns.iter().position(|x| x.name == c).ok_or_else(|| t.no_column(c)).map_err(crate::raise)?;
    let mut order: Vec<usize> = (0..t.len).collect();
    match &t.columns[idx].data {
        ColumnData::Number(v) => order.sort_by(|&a, &b| {
            let (x, y) = (v[a], v[b]);
            match (x.is_nan(), y.is_nan()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                _ => {
                    if desc {
                        y.total_cmp(&x)
                    } else {
                        x.total_cmp(&y)
                    }
                }
            }
        }),
        // Text as soon as one cell is no figure (60, 100, 9 and 另计): figures by value,
        // codes by their digits, then words, blanks last (as text, 100 came before 9).
        // Each cell read once, not at each comparison.
        ColumnData::Text(v) => order = yearbook_core::text_order::order(v, desc),
    }
    Ok(t.select(&order))
}
