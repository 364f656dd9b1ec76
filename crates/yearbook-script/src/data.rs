//! What scripts read: the loaded panel, the record tables, the namespaces of facts and
//! the values of derived indicators computed so far. Shared by every evaluation of a
//! workspace (threads included); reset when the data changes.

use crate::derived::Values;
use std::collections::BTreeMap;
use std::sync::Arc;
use yearbook_core::indicator::Rollup;
use yearbook_core::panel::Panel;
use yearbook_core::series::{Agg, Series};
use yearbook_core::table::Table;

/// The data a workspace evaluates over.
pub struct Data {
    /// The dense panel of loaded facts.
    pub panel: Arc<Panel>,
    /// Record tables (project ledgers) by name.
    pub tables: BTreeMap<String, Table>,
    /// Namespaces of facts (`reported_yoy.gdp`).
    pub namespaces: Vec<String>,
    /// Derived indicators computed so far (or their failures).
    pub values: Values,
    /// 时间进度: the share of the year's task expected by each month or quarter
    /// (`[workspace] schedule`; default: the share of the year elapsed).
    pub schedule: yearbook_core::schedule::Schedule,
    /// Figures as earlier runs loaded them (`previous`, `vintage`), from the run history.
    earlier: std::sync::RwLock<Arc<crate::earlier::Earlier>>,
}

impl Data {
    /// The data of a panel and its tables; no derived indicator computed yet.
    pub fn new(panel: Arc<Panel>, tables: BTreeMap<String, Table>) -> Data {
        let mut namespaces: Vec<String> = panel.codes().filter_map(|c| c.split_once('.').map(|(ns, _)| ns.to_string())).collect();
        namespaces.sort();
        namespaces.dedup();
        Data { panel, tables, namespaces, values: Values::default(), schedule: Default::default(), earlier: Default::default() }
    }

    /// What the run history holds for this workspace (nothing until [`Data::set_earlier`]).
    pub fn earlier(&self) -> Arc<crate::earlier::Earlier> {
        self.earlier.read().map(|e| e.clone()).unwrap_or_default()
    }

    /// Sets the earlier runs' figures; derived indicators computed so far are forgotten
    /// (they may read them).
    pub fn set_earlier(&self, earlier: crate::earlier::Earlier) {
        if let Ok(mut e) = self.earlier.write() {
            *e = Arc::new(earlier);
        }
        self.values.clear();
    }

    /// The series of a loaded indicator (by index).
    pub fn indicator_series(&self, i: usize) -> Series {
        self.series_weighed(i, &mut Vec::new())
    }

    /// The series of a loaded indicator; `above` holds the indicators whose weight it is
    /// (the loader refuses a cycle of weights; a panel built another way gets no roll-up).
    fn series_weighed(&self, i: usize, above: &mut Vec<usize>) -> Series {
        let p = &self.panel;
        let ind = &p.indicators[i];
        let agg = match &ind.rollup {
            Rollup::Sum => Agg::Sum,
            Rollup::Mean => Agg::Mean,
            // Under a namespace the weight is the same namespace's figure: a 1-N月 rate
            // (`cum.sales_rate`) is weighted by the 1-N月 output (`cum.out`), never by the
            // month's; a plan's price by the planned quantity.
            Rollup::WeightedMean(w) => {
                let ns = ind.code.split_once('.').map(|(ns, _)| ns).filter(|_| !w.contains('.'));
                let weight = ns.map_or_else(|| w.clone(), |ns| format!("{ns}.{w}"));
                // Every indicator has a place under a namespace; one without figures there
                // would weight every region by nothing (an empty roll-up, without a word).
                let loaded =
                    |wi: &usize| ns.is_none() || p.data.get(*wi).is_some_and(|d| d.len() == p.axes.regions.len() * p.axes.periods.len);
                match (p.indicator(&weight).filter(loaded), ns) {
                    (Some(wi), _) if wi == i || above.contains(&wi) => Series::no_rollup(format!(
                        "the weight `{weight}` of `{}` is weighted back by `{}`: a cycle of weights",
                        ind.code, ind.code
                    )),
                    (Some(wi), _) => {
                        above.push(i);
                        let weight = self.series_weighed(wi, above);
                        above.pop();
                        Agg::Weighted(Arc::new(weight))
                    }
                    (None, Some(ns)) => Series::no_rollup(format!(
                        "`{}` is a weighted mean by `{w}` (rollup = weighted_mean({w}) in indicators.csv), and its weight under \
                         `{ns}` is `{weight}`, which is not loaded: load `{w}`'s figures under the namespace `{ns}` too (the \
                         weights of figures under `{ns}` are figures under `{ns}`, not `{w}` itself), or recompute it from its \
                         components, e.g. rollup(a, level) / rollup(b, level)",
                        ind.code
                    )),
                    (None, None) => Series::no_rollup(format!("weight `{w}` of `{}` is not loaded", ind.code)),
                }
            }
            // An empty rollup on a unit that does not add up means none: say so, not that
            // the user wrote none.
            Rollup::None if !ind.rollup_written && ind.unit.not_additive().is_some() => Series::no_rollup(format!(
                "`{}` ({}) does not roll up: its unit is {}, whose regions' values do not add up to their total's, and the \
                 rollup column of indicators.csv is empty for it; to average it, write rollup = {} there, or recompute it \
                 from its components, e.g. rollup(a, level) / rollup(b, level)",
                ind.code,
                ind.kind.name(),
                ind.unit.not_additive().unwrap_or_default(),
                ind.unit.mean_hint()
            )),
            Rollup::None if !ind.rollup_written => Series::no_rollup(format!(
                "`{}` ({}) does not roll up: {} is not added up and the rollup column of indicators.csv is empty for it; \
                 to average it, write rollup = \"weighted_mean(<indicator>)\" or \"mean\" there, or recompute it from its \
                 components, e.g. rollup(a, level) / rollup(b, level)",
                ind.code,
                ind.kind.name(),
                if ind.kind == yearbook_core::indicator::Kind::Rate { "a rate" } else { "an index" }
            )),
            Rollup::None => Series::no_rollup(format!(
                "`{}` ({}) has rollup = none in indicators.csv: it cannot be rolled up; recompute it from its components, e.g. \
                 rollup(a, level) / rollup(b, level)",
                ind.code,
                ind.kind.name(),
            )),
        };
        Series {
            data: p.matrix(i),
            axes: p.axes.clone(),
            by_region: true,
            by_period: true,
            unit: ind.unit.clone(),
            mask: false,
            agg,
            indicator: Some(i),
            pending: None,
            scaled_by: 1.0,
            scaled_pow: 1.0,
            basis: None,
            rounded: None,
            // 上年同期 figures loaded under a namespace (`prior.profit`) are earlier values.
            lagged: ind.code.split_once('.').is_some_and(|(ns, _)| yearbook_core::series::is_prior_namespace(ns)),
            leads: false,
            lag_numerator: None,
            sized_base: None,
            change_base: None,
            listed: p.listed.get(i).filter(|l| !l.is_empty()).cloned(),
            periods_of: None,
            declared: true,
            shown: None,
            rolled: None,
            shown_of: None,
            own_since: None,
            parts: None,
            own_inputs: None,
            covered: None,
            counts: None,
            made_of: None,
            missing_why: None,
            unevaluated: None,
            target: ind
                .code
                .split_once('.')
                .filter(|(ns, _)| yearbook_core::series::is_target_namespace(ns))
                .map(|_| Arc::from(ind.code.as_str())),
            // A namespace's figures (`reported_yoy.gdp`, a growth) are no rate's level to
            // refuse as a growth; in % they change in points all the same.
            rate: yearbook_core::series::RateOf::of(
                &format!("`{}` ({})", ind.code, ind.label),
                if ind.code.contains('.') { "" } else { &ind.label },
                &ind.unit,
                ind.kind == yearbook_core::indicator::Kind::Rate && !ind.code.contains('.'),
            ),
            spread: p.spread.get(&(i as u32)).copied(),
            ties: None,
            selected: None,
            data_periods: None,
            gap_origin: None,
            lag_source: None,
            form_of: None,
            lag_times: None,
        }
    }

    /// Loaded names a script can use as a variable: indicator codes and namespaces.
    pub fn loaded_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.panel.codes().filter(|c| !c.contains('.')).map(String::from).collect();
        v.extend(self.namespaces.iter().cloned());
        v
    }
}

/// A group of facts loaded under a namespace: `reported_yoy.gdp`.
#[derive(Clone, Debug)]
pub struct Namespace {
    /// The namespace's name (`reported_yoy`).
    pub name: Arc<str>,
}
