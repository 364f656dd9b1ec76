//! Facts in long format (region, period, indicator, value, flag) into the dense panel.
//!
//! Values land in per-(indicator, period) blocks of atomics so that loader threads
//! write without locks; a "seen" bit per cell catches duplicate keys even across threads
//! (each thread claims bits in its own memory and merges them in batches, [`Claimed`]).
//! `finish` assembles one contiguous matrix per indicator.
//!
//! Which of two facts with one key a parallel load meets second depends on the threads,
//! so an error whose place depends on the order (a repeated key, a second frequency, the
//! cell limit) is placed by reading the file again in order ([`Pass::Recheck`]), and the
//! first fact of a repeated key is found by one more ordered read ([`Pass::Find`]).

use super::claimed::Claimed;
use super::mapped::MappedWords;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::indicator::Indicator;
use yearbook_core::number::{Value, parse_value_signed, plain_decimal};
use yearbook_core::panel::{Axes, Panel};
use yearbook_core::period::{Frequency, Period, PeriodAxis};
use yearbook_core::region::Regions;

const NAN_BITS: u64 = 0x7ff8_0000_0000_0000;

pub struct Block {
    /// Each region's value bits (NaN: listed without a figure), in a mapping of its own
    /// ([`MappedWords`]); zeros where no fact was stored: a cell counts only where its
    /// bit in `seen` is set.
    vals: MappedWords,
    seen: Box<[AtomicU64]>,
    /// The fact that created it (file, line): where a far-off period is reported.
    origin: (Arc<str>, usize),
    /// The fact file (numbered by [`PanelBuilder::begin_file`]) that created it, and the
    /// latest one that used it: its seen bits were copied to `PanelBuilder::before` when
    /// that file first asked for it.
    created_in: u32,
    used_in: AtomicU32,
    /// A region two threads both claimed (found when their claims were merged), or
    /// `u32::MAX`: a repeated key the loader reports (see [`PanelBuilder::merged_repeat`]).
    repeated: AtomicU32,
}

/// Whether a namespaced entry's `unit` is its file's unit (an amount: 亿元, 万人, 公顷),
/// converting each figure into its indicator's own unit as a 单位： row does, rather than
/// the unit of figures of another kind (a growth in %, ‰, an index).
pub fn unit_of_file(unit: &str) -> bool {
    let u = yearbook_core::unit::Unit::parse(unit);
    // A count in a magnitude (万个, 万家) too: dropped, 4万个 loaded as 4个 (review37 04).
    !u.is_dimensionless() && (u.is_known() || u.scale != 1.0)
}

/// The place of a file's unit in messages: its unit row, or the value column's header
/// (the config's unit too, where the file has neither).
pub const FILE_UNIT: &str = "its unit row, the value column's header, or the config's unit";
/// The place of a unit row beside the value column's own unit, in messages.
pub const UNIT_ROW: &str = "its unit row";
/// The place of the config entry's unit (`unit = "万人"`), in messages.
pub const CONFIG_UNIT: &str = "the config's unit";

/// Column positions of one fact file.
#[derive(Debug, Clone)]
pub struct FactColumns {
    pub region: usize,
    pub period: usize,
    pub indicator: usize,
    pub value: usize,
    pub flag: Option<usize>,
    /// A unit column (计量单位): each value is in the unit it names, converted to its
    /// indicator's unit.
    pub unit: Option<usize>,
    /// The unit of every value without a unit cell: the table's unit row (单位：亿元).
    pub file_unit: Option<std::sync::Arc<str>>,
    /// Units that speak for the indicators of their kinds that `file_unit` does not
    /// (a list, 万人、万吨): the config entry's `unit = "万人"` beside a 金额单位：万元 row, or
    /// a unit row beside the value column's own (数值（万元）) (review34 02: 3万人 loaded as
    /// 3人). Each with the words for its place ([`UNIT_ROW`], [`CONFIG_UNIT`]) for messages.
    /// As a list's units they speak for their kinds and refuse no other (a rate row keeps
    /// its % beside 金额单位：万元 and unit = "人").
    pub more_units: Vec<(std::sync::Arc<str>, &'static str)>,
    pub n_fields: usize,
    /// How many header cells there are up to the last one that names a column: the cells
    /// after it (empty header cells Excel leaves where a column once held something) must
    /// be empty in every row ([`unnamed_cell`]).
    pub named: usize,
    /// The column right after the value's in a long file, other than a key's or the unit's
    /// (a flag, a note, a source): an unquoted `1,234` puts `234` there
    /// ([`thousands_parted`]).
    pub after_value: Option<usize>,
    /// How the file spells periods beyond the canonical forms (cumulative, its year).
    pub periods: yearbook_core::period::spelling::PeriodOptions,
    /// A row with an empty value lists its region for that period (a long file, a wide
    /// one with a row per region and period): a gap a roll-up must not read as a region
    /// not set up yet. Not so for a wide table of years or regions as columns, where an
    /// empty cell may be a town before it was set up.
    pub empty_is_gap: bool,
}

impl FactColumns {
    /// The file's units with the words for their places: `file_unit`, then `more_units`.
    pub(crate) fn file_units(&self) -> impl Iterator<Item = (&str, &'static str)> {
        self.file_unit.as_deref().map(|u| (u, FILE_UNIT)).into_iter().chain(self.more_units.iter().map(|(u, p)| (u.as_ref(), *p)))
    }

    /// Reads periods as `periods` says, and a date as the period the period column's
    /// header names (年份: 2021-01-01 is 2021).
    pub fn read_periods(&mut self, periods: &yearbook_core::period::spelling::PeriodOptions, header: &[String]) {
        let column = header.get(self.period).and_then(|h| yearbook_core::period::spelling::header_frequency(h));
        self.periods = yearbook_core::period::spelling::PeriodOptions { column, ..periods.clone() };
    }

    /// Finds the columns in a header (read from line `header_line`); `rename` maps roles
    /// to other header names.
    pub fn resolve(
        file: &str,
        header: &[String],
        header_line: usize,
        rename: &std::collections::BTreeMap<String, String>,
    ) -> Result<FactColumns> {
        let find = |role: &str, defaults: &[&str]| -> Result<Option<usize>> {
            let names: Vec<&str> = match rename.get(role) {
                Some(n) => vec![n.as_str()],
                None => defaults.to_vec(),
            };
            // Two columns for one role (数值,数值; year and period): which one is meant is
            // unknowable, and reading one would silently drop the other.
            // (A region given by name and by code, 地区 and 地区代码, is one region.)
            // The value column may carry its unit: 数值(万元), 数值（万元）.
            let named = |i: usize| {
                names.contains(&header[i].as_str()) || (role == "value" && names.contains(&super::wide::split_unit(&header[i]).0))
            };
            let hits: Vec<usize> = (0..header.len()).filter(|&i| named(i)).collect();
            let distinct_regions =
                role == "region" && hits.iter().enumerate().all(|(k, &i)| hits[..k].iter().all(|&j| header[j] != header[i]));
            if hits.len() > 1 && !distinct_regions {
                let cols: Vec<String> = hits.iter().map(|&i| format!("\"{}\" (column {})", header[i], i + 1)).collect();
                return Err(Error::data(
                    Location::new(file, header_line, Some(hits[1] + 1)),
                    format!(
                        "the header has {} columns for the {role}: {}; keep one, or rename the others (the one to read can be named with columns = {{ {role} = \"...\" }})",
                        hits.len(),
                        cols.join(", ")
                    ),
                ));
            }
            Ok(names.iter().find_map(|n| header.iter().position(|h| h == n)).or(hits.first().copied()))
        };
        let need = |role: &str, defaults: &[&str]| -> Result<usize> {
            find(role, defaults)?.ok_or_else(|| {
                let want = rename.get(role).cloned().unwrap_or_else(|| defaults.join("\" or \""));
                let hint = yearbook_core::suggest::did_you_mean(&want, header.iter().map(String::as_str).filter(|h| !h.is_empty()));
                Error::data(
                    Location::new(file, header_line, None),
                    format!(
                        "no {role} column: expected a header \"{want}\" (found {}){hint}; map it with columns = {{ {role} = \"...\" }}{}",
                        header.iter().filter(|h| !h.is_empty()).cloned().collect::<Vec<_>>().join(", "),
                        super::table_file::header_hint(header_line)
                    ),
                )
            })
        };
        for role in rename.keys() {
            if !["region", "period", "indicator", "value", "flag", "unit"].contains(&role.as_str()) {
                return Err(Error::usage(format!(
                    "{file}: unknown column role `{role}` in `columns` (roles: region, period, indicator, value, flag, unit)"
                )));
            }
        }
        let value = need("value", &["value", "数值", "值"])?;
        // A unit in the value column's header (数值(万元)) is every figure's, converted to
        // its indicator's unit as a unit row's is.
        // A unit there that yearbook does not read (数值（万元/年）) is refused: left
        // unread, every figure would stay in its indicator's unit.
        let header_unit = match super::wide::split_unit(&header[value]).1 {
            None => None,
            Some(u) => {
                let unit = super::header::normalize_unit(u);
                if !super::header::readable_unit(&unit) {
                    return Err(Error::data(
                        Location::new(file, header_line, Some(value + 1)),
                        format!(
                            "the value column's header \"{}\" names a unit yearbook does not read (\"{u}\"): write the unit \
                             alone in the brackets, as 数值（万元） or 数值（单位：万元）, or give each figure's unit in a 计量单位 \
                             column; a unit left unread would leave every figure in its indicator's unit",
                            header[value]
                        ),
                    ));
                }
                Some(std::sync::Arc::from(unit))
            }
        };
        let (region, period, indicator) = (
            need("region", &["region", "地区", "地区代码"])?,
            need("period", &["period", "year", "quarter", "month", "年份", "时期", "年度", "统计年度", "季度", "月份"])?,
            need("indicator", &["indicator", "指标"])?,
        );
        let unit = find("unit", &["unit", "计量单位", "单位"])?;
        let flag = find("flag", &["flag", "标注"])?;
        // A period split over a year column and a month (or quarter) column, or a region
        // over a county column and a town column: read by one of them, March's figures
        // loaded as the year's and a town's as its county's own, without a word.
        let keys = [Some(region), Some(period), Some(indicator), Some(value), unit, flag];
        let other = |names: &[&str]| {
            (0..header.len()).find(|c| {
                let h: String = header[*c].chars().filter(|ch| !ch.is_whitespace()).collect::<String>().to_lowercase();
                !keys.contains(&Some(*c)) && names.contains(&h.as_str())
            })
        };
        const PERIOD_PARTS: [&str; 14] =
            ["月", "月份", "月度", "统计月份", "统计月", "报告期", "报告月份", "季", "季度", "统计季度", "month", "quarter", "期别", "旬"];
        if let Some(c) = other(&PERIOD_PARTS).filter(|_| !PERIOD_PARTS.contains(&header[period].trim())) {
            return Err(Error::data(
                Location::new(file, header_line, Some(c + 1)),
                format!(
                    "column \"{}\" names a part of the period beside the period column \"{}\": read by \"{}\" alone, each \
                     row's figure would load as the whole period's (March's as the year's); write the period in one column \
                     (2021-03, 2021年3月, 2021Q3)",
                    header[c], header[period], header[period]
                ),
            ));
        }
        // Regions finer than a county's (a parent column, 区县, only labels the rows).
        const REGION_PARTS: [&str; 10] = ["乡镇", "镇", "乡", "街道", "乡镇街道", "镇街", "乡镇名称", "村", "社区", "村社区"];
        if rename.get("region").is_none()
            && let Some(c) = other(&REGION_PARTS)
        {
            return Err(Error::data(
                Location::new(file, header_line, Some(c + 1)),
                format!(
                    "column \"{}\" names regions beside the region column \"{}\": which of the two each row's figure is for, \
                     the file does not say (read by \"{}\", a town's figure would load as its county's own); name the one to \
                     read with columns = {{ region = \"{}\" }}",
                    header[c], header[region], header[region], header[c]
                ),
            ));
        }
        Ok(FactColumns {
            region,
            period,
            indicator,
            value,
            flag,
            unit,
            file_unit: header_unit,
            more_units: Vec::new(),
            n_fields: header.len(),
            named: named_columns(header),
            after_value: Some(value + 1)
                .filter(|&c| c < header.len() && ![region, period, indicator].contains(&c) && unit != Some(c) && holds_marks(&header[c])),
            periods: Default::default(),
            empty_is_gap: true,
        })
    }
}

/// Whether a value column's header says its figures are one month's or quarter's own
/// (本月, 当月, 本月数, 当月完成, 本季, 当季, with or without a unit in brackets), and not
/// 累计 nor a growth or share of them (本月增速, 当月同比).
pub(crate) fn says_single_period(header: &str) -> bool {
    let (name, _) = super::wide::split_unit(header);
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace("累計", "累计");
    let rate = ["速", "比", "率", "幅", "%", "％", "增长", "增减", "上年", "去年", "同期"].iter().any(|w| name.contains(w));
    ["本月", "当月", "本季", "当季"].iter().any(|w| name.starts_with(w)) && !name.contains("累计") && !rate
}

/// Whether a value column's header says its figures are 累计 (本年累计, 累计值, 累计数,
/// 1-6月累计, with or without a unit in brackets), and not a growth or share of them
/// (累计增长, 累计增速, 累计同比, 累计占比, 累计完成率, 累计%).
pub(crate) fn says_cumulative(header: &str) -> bool {
    let (name, _) = super::wide::split_unit(header);
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace("累計", "累计");
    // 1-3月, 1～6月 (a span from January) says 累计 as well.
    let span = name.find('月').is_some_and(|m| {
        let before = &name[..m];
        before.split_once(['-', '－', '~', '～', '—', '至']).is_some_and(|(a, b)| {
            let start = &a[a.trim_end_matches(|c: char| c.is_ascii_digit()).len()..];
            start == "1" && !b.is_empty() && b.bytes().all(|x| x.is_ascii_digit())
        })
    });
    // A growth or share of 累计 figures (累计增长, 累计增速, 累计同比, 累计占比, 累计完成率)
    // is a rate; 累计增加值 and 累计增长额 are amounts.
    let rate = ["速", "比", "率", "幅", "%", "％"].iter().any(|w| name.contains(w)) || name.ends_with("增长") || name.ends_with("增减");
    // The words for the year so far besides 累计 (年初至今, 今年以来, 1至本月, 截至本月,
    // 本年止, YTD): a column so headed loaded as each month's own figures added them again.
    const SO_FAR: [&str; 14] = [
        "年初至今",
        "年初以来",
        "今年以来",
        "本年以来",
        "年初至本月",
        "年初至当月",
        "自年初",
        "1至本月",
        "1至当月",
        "截至本月",
        "截止本月",
        "截至当月",
        "截止当月",
        "本年止",
    ];
    // A balance at the month's end (截至本月末余额, 截止当月底在册人数) is a level, not 累计.
    let balance = ["末", "底", "余额", "在册", "存量"].iter().any(|w| name.contains(w));
    let words: Vec<String> =
        name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_ascii_lowercase()).collect();
    let latin = words.iter().any(|w| w == "ytd") || words.windows(3).any(|w| w[0] == "year" && w[1] == "to" && w[2] == "date");
    let so_far = (SO_FAR.iter().any(|w| name.contains(w)) && !balance) || latin;
    (name.contains("累计") || span || so_far) && !rate
}

/// What went wrong in one field (the caller knows the line).
pub struct FieldError {
    pub col: usize,
    pub message: String,
    /// About the fact's whole key (a repeated key), not one field: a wide table points
    /// at the value's cell.
    pub of_key: bool,
}

/// The sign a value of an indicator in `unit` may be written with (`12.5%`, `12.5‰`).
pub(crate) fn unit_sign(unit: &yearbook_core::unit::Unit) -> &'static str {
    match unit.symbol.as_ref() {
        "%" => "%",
        "‰" => "‰",
        _ => "",
    }
}

/// Indicator lookup for one fact source (namespaced sources map codes to `ns.code`).
#[derive(Clone)]
pub struct SourceIndicators {
    pub by_code: FxHashMap<Box<[u8]>, u32>,
    /// Per indicator, the sign its unit is (`"%"`, `"‰"`; `""`): a value may be written with it.
    pub percent: Vec<&'static str>,
    /// Indicators this source may not give figures for, with the reason: the entry's
    /// `unit` of another kind than theirs (`unit = "%"` on a file of figures for an
    /// indicator in 万元). Empty for nearly every source.
    pub refused: FxHashMap<u32, Box<str>>,
}

impl SourceIndicators {
    /// The reason indicator `id` is refused from this source, if it is.
    #[inline]
    pub(crate) fn refusal(&self, id: u32) -> Option<&str> {
        if self.refused.is_empty() { None } else { self.refused.get(&id).map(|m| &**m) }
    }
}

/// (indicator, period ordinal, region, flag) of a flagged fact.
type FlagEntry = (u32, i32, u32, Arc<str>);

/// Seen bits by (indicator, period): which regions have a fact there.
type SeenBits = FxHashMap<(u32, i32), Box<[u64]>>;

/// A fact's key: (indicator, period ordinal, region).
pub(crate) type FactKey = (u32, i32, u32);

/// What [`PanelBuilder`] does with the facts a loader hands it.
#[derive(Default)]
pub(crate) enum Pass {
    /// Stores them (a normal load, on all cores).
    #[default]
    Load,
    /// Stores nothing: the current file read again in order, on one thread, after its
    /// parallel load failed with an error whose place depends on the order. Repeated keys
    /// are found against the file's own earlier facts and those of earlier files, so the
    /// error is the one a reading from the top meets first.
    Recheck(Mutex<Recheck>),
    /// Stores nothing: an earlier file (or the current one) read in order up to the first
    /// fact with this key, which the loader reports as an error at that fact's place.
    Find(FactKey, AtomicBool),
}

/// The state of a [`Pass::Recheck`].
#[derive(Default)]
pub(crate) struct Recheck {
    /// Seen bits of this file's facts read so far, by (indicator, period).
    seen: FxHashMap<(u32, i32), Vec<u64>>,
    /// (indicator, period) rows this file adds to the panel so far.
    new_rows: FxHashSet<(u32, i32)>,
    /// The repeated key found, at which line, and whether its first fact is in this file
    /// (else in an earlier one).
    pub repeated: Option<(FactKey, usize, bool)>,
}

pub struct PanelBuilder {
    pub regions: Regions,
    pub indicators: Vec<Indicator>,
    freq: AtomicU8,
    /// The frequency came from the config, not from the first fact.
    declared: bool,
    /// No fact file is read (see [`PanelBuilder::facts_unread`]).
    facts_unread: bool,
    blocks: Mutex<FxHashMap<(u32, i32), Arc<Block>>>,
    flags: Mutex<Vec<FlagEntry>>,
    /// (indicator, period ordinal, region) of each fact listed with no figure, where
    /// its file's columns say that is a gap ([`FactColumns::empty_is_gap`]).
    gaps: Mutex<Vec<(u32, i32, u32)>>,
    /// The most cells the panel may hold (`limits.max_panel_cells`).
    max_cells: usize,
    /// The file being read, for the origin of new blocks.
    source: Arc<str>,
    /// The fact file being read, counted from 1 by `begin_file`.
    file_no: u32,
    /// Seen bits of the blocks the current file uses, as they were before it (taken when
    /// the file first asks for each block): which keys earlier files gave.
    before: Mutex<SeenBits>,
    /// The frequency and the number of blocks before the current file.
    freq_before: u8,
    blocks_before: usize,
    /// Set by an error whose place depends on the order the threads read facts in.
    order_dependent: AtomicBool,
    /// Dotted months of the current file: the earliest line spelling a month `2021.1`
    /// (and its text), and whether `2021.10`-`2021.12` stand beside it. Excel saves a
    /// typed 2021.10 from a number cell as 2021.1: beside 2021.11 it is October's.
    dotted_one: Mutex<Option<(usize, String)>>,
    dotted_two: AtomicBool,
    /// `2021.10` written so: the file keeps two-digit months, its 2021.1 is January.
    dotted_ten: AtomicBool,
    /// What the readers chose where a file left it open (1 January dates read as
    /// years), returned as warnings by [`PanelBuilder::finish`].
    notes: Mutex<Vec<String>>,
    /// The current file's value column where its header says 累计 (本年累计, 累计值): its
    /// header, line and column, for [`PanelBuilder::unsaid_cumulative`].
    cumulative_header: Mutex<Option<(String, usize, usize)>>,
    /// The current file's value column where its header says one month's own (本月,
    /// 当月), for [`PanelBuilder::single_said_cumulative`].
    single_header: Mutex<Option<(String, usize, usize)>>,
    /// The first period of the current file spelled 累计 of a year alone (`2025年累计`):
    /// (line, text, the period it read as), see [`PanelBuilder::refuse_bare_cumulative`].
    bare_cumulative: Mutex<Option<(usize, String, Period)>>,
    /// In a cumulative file, per year, the first period spelled as a later month or
    /// quarter alone (`3月`) and the first spelled as a span from January (`1-2月`), each
    /// (line, text): see [`PanelBuilder::refuse_mixed_spans`].
    spans: Mutex<Vec<(i32, SpanSpellings)>>,
    /// What is done with the facts (see [`Pass`]).
    pub(crate) pass: Pass,
}

/// A block a thread holds, with the seen bits it claimed there since its last merge.
struct Cached {
    block: Arc<Block>,
    claimed: Claimed,
}

impl Cached {
    /// Merges the claimed bits into the block's; a region also set there since the claim
    /// is kept in the block as a repeated key.
    fn merge(&mut self) {
        if let Some(region) = self.claimed.merge(&self.block.seen) {
            let _ = self.block.repeated.compare_exchange(u32::MAX, region, Ordering::Relaxed, Ordering::Relaxed);
        }
    }
}

/// Words of claimed seen bits a thread holds before it merges them all (256 KiB).
const CLAIMED_WORDS: usize = 32 * 1024;

/// A cumulative file's first period of one year spelled as a month alone and as a span
/// from January, each (line, text) (see [`PanelBuilder::refuse_mixed_spans`]).
type SpanSpellings = [Option<(usize, String)>; 2];

/// Per-thread cache of blocks, so the shared map is locked once per block, not per fact.
/// Dropping it merges the seen bits it claimed into the blocks.
#[derive(Default)]
pub struct BlockCache {
    /// Per indicator: (first period ordinal, blocks by period offset).
    direct: Vec<(i32, Vec<Option<Cached>>)>,
    /// Words held by the blocks' claimed bits, merged past [`CLAIMED_WORDS`].
    claimed_words: usize,
    // Long-format files repeat the same region, indicator and period on consecutive
    // lines: remembering the last of each turns most lookups into a short compare.
    last_region: (Vec<u8>, u32),
    last_ind: (Vec<u8>, u32),
    /// The unit the last indicator cell named in brackets after a label
    /// (`地区生产总值（亿元）`): its figures are in that unit. None for a code or a bare label.
    last_ind_unit: Option<Box<str>>,
    last_period: (Vec<u8>, i32),
    /// Periods spelled other than as a bare year (2020年, 2020-03), by their text: a file
    /// holds few distinct periods, parsed once each per thread.
    spelled: FxHashMap<Box<[u8]>, i32>,
}

impl BlockCache {
    /// Claims `region` in the cached block of `ind` at period offset `k`: the block when
    /// the key is new, None when it is taken (or the block is not cached). Merges every
    /// block's claims once they hold more than [`CLAIMED_WORDS`] (at the next claim).
    #[inline(always)]
    fn claim(&mut self, ind: u32, ord: i32, region: u32) -> Option<&Block> {
        // Merged at the claim after the one that passed the mark, so that the block found
        // here is handed back without a second lookup.
        if self.claimed_words > CLAIMED_WORDS {
            self.merge();
        }
        let (base, row) = self.direct.get_mut(ind as usize)?;
        let k = usize::try_from(ord.checked_sub(*base)?).ok()?;
        let c = row.get_mut(k)?.as_mut()?;
        self.claimed_words += c.claimed.claim(&c.block.seen, region)?;
        Some(&*c.block)
    }

    /// Merges every block's claimed bits into its shared ones.
    fn merge(&mut self) {
        for (_, row) in &mut self.direct {
            for c in row.iter_mut().flatten() {
                c.merge();
            }
        }
        // Every window is empty after its merge.
        self.claimed_words = 0;
    }
}

impl Drop for BlockCache {
    fn drop(&mut self) {
        self.merge();
    }
}

impl PanelBuilder {
    pub fn new(regions: Regions, indicators: Vec<Indicator>) -> PanelBuilder {
        pin_mmap_threshold();
        PanelBuilder {
            regions,
            indicators,
            freq: AtomicU8::new(0),
            declared: false,
            facts_unread: false,
            blocks: Mutex::default(),
            flags: Mutex::default(),
            gaps: Mutex::default(),
            max_cells: crate::config::Limits::default().max_panel_cells,
            source: Arc::from(""),
            file_no: 0,
            before: Mutex::default(),
            freq_before: 0,
            blocks_before: 0,
            order_dependent: AtomicBool::new(false),
            dotted_one: Mutex::new(None),
            dotted_two: AtomicBool::new(false),
            dotted_ten: AtomicBool::new(false),
            notes: Mutex::new(Vec::new()),
            cumulative_header: Mutex::new(None),
            single_header: Mutex::new(None),
            bare_cumulative: Mutex::new(None),
            spans: Mutex::new(Vec::new()),
            pass: Pass::Load,
        }
    }

    /// No fact file will be read (`yearbook check`, the editor): the panel's axes say so,
    /// so that a figure taken out of it is unknown rather than missing.
    pub fn facts_unread(&mut self) {
        self.facts_unread = true;
    }

    /// The panel's frequency as the config declares it: a fact of another frequency is
    /// refused at its own line (not wherever a later fact disagrees with it).
    pub fn declare_frequency(&mut self, f: Frequency) {
        self.freq = AtomicU8::new(f as u8 + 1);
        self.declared = true;
    }

    /// Sets the most cells the panel may hold (checked while reading and before assembly).
    pub fn with_max_cells(mut self, max_cells: usize) -> PanelBuilder {
        self.max_cells = max_cells;
        self
    }

    /// Starts the next fact file: names it (for messages about far-off periods) and
    /// notes what earlier files left, for [`PanelBuilder::recheck`].
    pub fn begin_file(&mut self, label: &str) {
        self.source = Arc::from(label);
        self.file_no += 1;
        self.before.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        self.freq_before = self.freq.load(Ordering::Relaxed);
        self.blocks_before = self.blocks.get_mut().unwrap_or_else(|e| e.into_inner()).len();
        self.order_dependent = AtomicBool::new(false);
        self.dotted_one = Mutex::new(None);
        self.dotted_two = AtomicBool::new(false);
        self.dotted_ten = AtomicBool::new(false);
        self.cumulative_header = Mutex::new(None);
        self.single_header = Mutex::new(None);
        self.bare_cumulative = Mutex::new(None);
        self.spans = Mutex::new(Vec::new());
        self.pass = Pass::Load;
    }

    /// Notes the current file's value column (its header, as read from line `line`)
    /// where the header says 累计 ([`says_cumulative`]).
    pub(crate) fn note_value_header(&self, cols: &FactColumns, header: &[String], line: usize) {
        if let Some(h) = header.get(cols.value).filter(|h| says_cumulative(h)) {
            *self.cumulative_header.lock().unwrap_or_else(|e| e.into_inner()) = Some((h.clone(), line, cols.value + 1));
        }
        if let Some(h) = header.get(cols.value).filter(|h| says_single_period(h)) {
            *self.single_header.lock().unwrap_or_else(|e| e.into_inner()) = Some((h.clone(), line, cols.value + 1));
        }
    }

    /// A value column headed 本月 or 当月 (one month's own figures) in a file the config
    /// declares `cumulative = true` is refused at its header: its figures would load as
    /// 1-N月累计, and a town with 110 in June (660 so far) was said 完成年度目标9.2%，落后时间
    /// 进度40.83个百分点. The 1-N月 span a 统计月报 writes in its 时期 column is the period of
    /// its 本年累计 column; the month's own figure is month_of of that.
    pub(crate) fn single_said_cumulative(&self, label: &str) -> Result<()> {
        let Some((h, line, col)) = self.single_header.lock().unwrap_or_else(|e| e.into_inner()).clone() else {
            return Ok(());
        };
        if self.freq() == Frequency::Year {
            return Ok(());
        }
        Err(Error::data(
            Location::new(label, line, Some(col)),
            format!(
                "the value column \"{h}\" holds one period's own figures, but this file's [[data.facts]] entry says \
                 `cumulative = true`: they would load as 1-N月累计 (the year so far), and completions and 时间进度 of them would \
                 be wrong; load the file's 累计 column (本年累计) with `cumulative = true` and take the month's own figure as \
                 month_of(cum.x), or load this column from a file whose periods name the month alone (2025年6月) without \
                 `cumulative`"
            ),
        ))
    }

    /// A value column headed 累计 (本年累计, 累计值, 1-6月累计) in a file the config does not
    /// declare `cumulative`, on a monthly or quarterly panel, is refused at its header:
    /// its 1-N月累计 figures would load as single months', so that a sum over the
    /// months, `month_of` and every 当月 figure came out silently wrong. On a yearly panel
    /// a 累计 figure is the year's. `cumulative = false` keeps the figures as they are.
    pub(crate) fn unsaid_cumulative(&self, label: &str) -> Result<()> {
        let Some((h, line, col)) = self.cumulative_header.lock().unwrap_or_else(|e| e.into_inner()).clone() else {
            return Ok(());
        };
        let (panel, each) = match self.freq() {
            Frequency::Year => return Ok(()),
            Frequency::Quarter => ("quarterly", "quarter"),
            Frequency::Month => ("monthly", "month"),
        };
        Err(Error::data(
            Location::new(label, line, Some(col)),
            format!(
                "the value column \"{h}\" holds 累计 figures (1-N月累计), but this file's [[data.facts]] entry does not say so: on \
                 a {panel} panel they would load as each {each}'s own figure, and sums over the {each}s, month_of and 当月 \
                 figures would be wrong; add `cumulative = true` to the entry (its facts load as cumulative.<indicator>, or \
                 under its namespace), or `cumulative = false` if the column holds single-{each} figures all the same"
            ),
        ))
    }

    /// The current file's month written `2021.1` beside `2021.11` or `2021.12` and no
    /// `2021.10` is refused at its first line: a CSV saved by Excel from a number column
    /// writes a typed 2021.10 (October) so, and read as January it would be silently nine
    /// months off. (A file that writes 2021.10 keeps two-digit months: its 2021.1 is January.)
    pub(crate) fn refuse_dotted_october(&self, label: &str) -> Result<()> {
        if !self.dotted_two.load(Ordering::Relaxed) || self.dotted_ten.load(Ordering::Relaxed) {
            return Ok(());
        }
        match self.dotted_one.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            Some((line, text)) => Err(Error::data(
                Location::new(label, *line, None),
                format!(
                    "{} (the file also writes November or December so, as YYYY.11 or YYYY.12, and no month as YYYY.10, as Excel \
                     saves a column of numbers)",
                    super::year_point_one_message("the period", text, "save the column as text")
                ),
            )),
            None => Ok(()),
        }
    }

    /// Notes a period spelled 累计 of a year alone, read at `line` as the year's end `p`
    /// (see [`PanelBuilder::refuse_bare_cumulative`]).
    #[cold]
    fn note_bare_cumulative(&self, text: &[u8], opts: &yearbook_core::period::spelling::PeriodOptions, p: Period, line: usize) {
        let Ok(t) = std::str::from_utf8(text) else { return };
        if yearbook_core::period::spelling::bare_cumulative_year(t, opts).is_some() {
            let mut first = self.bare_cumulative.lock().unwrap_or_else(|e| e.into_inner());
            if first.as_ref().is_none_or(|(l, _, _)| *l > line) {
                *first = Some((line, t.to_string(), p));
            }
        }
    }

    /// Refuses a period spelled 累计 of a year alone (`2025年累计`) in a cumulative file
    /// whose other figures of that year stop before its end (1-3月): it is the year so far,
    /// and read as the whole year's 1-12月累计 the report said 全年 of it.
    pub(crate) fn refuse_bare_cumulative(&self, label: &str) -> Result<()> {
        let Some((line, text, p)) = self.bare_cumulative.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return Ok(()) };
        let within: Vec<i32> =
            self.file_keys().into_iter().map(|(_, o)| o).filter(|&o| o < p.ordinal && o > p.ordinal - p.freq.per_year()).collect();
        let Some(last) = within.iter().copied().max() else { return Ok(()) };
        // After 1-11月 (前三季度, or 1-9月 in steps of a quarter), 全年 is the year-end
        // report's row: December's 累计.
        let step = within.iter().copied().filter(|&o| o < last).max().map_or(1, |o| last - o);
        if last + step >= p.ordinal {
            return Ok(());
        }
        let last = Period { freq: p.freq, ordinal: last };
        Err(Error::data(
            Location::new(label, line, None),
            format!(
                "period \"{text}\" reads as {}1-12月累计 (the whole year), but the file's other figures of that year stop at {}: it is \
                 the year so far; write the span it covers ({}), or leave the row out where it repeats that figure",
                p.calendar_year().to_string() + "年",
                last.chinese(),
                last.chinese_cumulative()
            ),
        ))
    }

    /// Notes how a cumulative file's period at `line` is spelled: a span from January or
    /// a later month alone (see [`PanelBuilder::refuse_mixed_spans`]).
    #[cold]
    fn note_span(&self, text: &[u8], opts: &yearbook_core::period::spelling::PeriodOptions, year: i32, line: usize) {
        let Ok(t) = std::str::from_utf8(text) else { return };
        let Some(span) = yearbook_core::period::spelling::spells_span(t, opts) else { return };
        let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
        let at = match spans.iter().position(|(y, _)| *y == year) {
            Some(i) => i,
            None => {
                spans.push((year, [None, None]));
                spans.len() - 1
            }
        };
        let first = &mut spans[at].1[usize::from(span)];
        if first.as_ref().is_none_or(|(l, _)| *l > line) {
            *first = Some((line, t.trim().to_string()));
        }
    }

    /// Refuses a cumulative file that writes some periods as spans from January (`1-2月`)
    /// and others as a later month alone (`3月`): a file of 累计 writes every period as a
    /// span, so this is a table of single months with January and February together, and
    /// read as 累计 its 3月 was taken for 1-3月 (a completion of 13% for 35.5%).
    pub(crate) fn refuse_mixed_spans(&self, label: &str) -> Result<()> {
        let spans = self.spans.lock().unwrap_or_else(|e| e.into_inner()).clone();
        // Within one year: 2024年12月 (the year's 累计 as a year-end table writes it) beside
        // 2025年1-2月 is no mix.
        let Some((_, [Some((alone_line, alone)), Some((span_line, span))])) =
            spans.into_iter().find(|(_, s)| s[0].is_some() && s[1].is_some())
        else {
            return Ok(());
        };
        Err(Error::data(
            Location::new(label, alone_line, None),
            format!(
                "period \"{alone}\" names a month or quarter alone, while line {span_line} writes \"{span}\" as a span from January: \
                 a file of 累计 (`cumulative = true`) writes every period as a span (1-3月), so these are single months' figures \
                 with January and February together, not 累计; load them without `cumulative = true`, giving 1月 and 2月 apart, \
                 or write each period as the span it covers"
            ),
        ))
    }

    /// Notes a dotted month read at `line` (see [`PanelBuilder::refuse_dotted_october`]).
    #[cold]
    fn note_dotted(&self, text: &[u8], line: usize) {
        let Ok(t) = std::str::from_utf8(text) else { return };
        if super::is_year_point_one(t) {
            let mut one = self.dotted_one.lock().unwrap_or_else(|e| e.into_inner());
            if one.as_ref().is_none_or(|(l, _)| *l > line) {
                *one = Some((line, t.to_string()));
            }
        } else if t.len() == 7 && t[..4].bytes().all(|b| b.is_ascii_digit()) {
            match &t[4..] {
                ".10" => self.dotted_ten.store(true, Ordering::Relaxed),
                ".11" | ".12" => self.dotted_two.store(true, Ordering::Relaxed),
                _ => {}
            }
        }
    }

    /// Whether the current file's load failed with an error whose place depends on the
    /// order threads met its facts in: read it again with [`PanelBuilder::recheck`].
    pub fn order_dependent(&self) -> bool {
        self.order_dependent.load(Ordering::Relaxed)
    }

    /// Facts are read in file order on one thread (a recheck or a search), not on all cores.
    pub fn in_order(&self) -> bool {
        !matches!(self.pass, Pass::Load)
    }

    /// Sets up the current file's ordered second reading ([`Pass::Recheck`]): the
    /// frequency goes back to what earlier files left.
    pub(crate) fn recheck(&mut self) {
        self.freq = AtomicU8::new(self.freq_before);
        self.pass = Pass::Recheck(Mutex::default());
    }

    /// The repeated key the recheck found: (key, line, first fact in the same file).
    pub(crate) fn repeated(&mut self) -> Option<(FactKey, usize, bool)> {
        match &mut self.pass {
            Pass::Recheck(r) => r.get_mut().unwrap_or_else(|e| e.into_inner()).repeated,
            _ => None,
        }
    }

    /// Sets up a search for the first fact with `key` ([`Pass::Find`]).
    pub(crate) fn find(&mut self, key: FactKey) {
        self.pass = Pass::Find(key, AtomicBool::new(false));
    }

    /// Whether the search stopped at a fact with its key.
    pub(crate) fn found(&self) -> bool {
        matches!(&self.pass, Pass::Find(_, f) if f.load(Ordering::Relaxed))
    }

    /// A repeated key that two threads gave in one batch, found when their claimed seen
    /// bits were merged (the values of both went into the block): its message. Marks the
    /// load's error as order-dependent, so that the loader reads the file again in order
    /// to say where the key is repeated. Asked after each fact file, and before assembly.
    pub(crate) fn merged_repeat(&self) -> Option<String> {
        let blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        let (&(ind, ord), region) =
            blocks.iter().map(|(k, b)| (k, b.repeated.load(Ordering::Relaxed))).filter(|(_, r)| *r != u32::MAX).min()?;
        self.order_dependent.store(true, Ordering::Relaxed);
        Some(self.repeated_message((ind, ord, region)))
    }

    /// The message of a repeated key.
    fn repeated_message(&self, (ind, ord, region): FactKey) -> String {
        let period = Period { freq: self.freq(), ordinal: ord };
        format!("duplicate fact for ({}, {period}, {})", self.regions.codes[region as usize], self.indicators[ind as usize].code)
    }

    /// Indicator lookup for a source; with a namespace, adds `ns.code` indicators.
    pub fn source_indicators(&mut self, namespace: Option<&str>, unit: Option<&str>) -> SourceIndicators {
        let base: Vec<Indicator> = self.indicators.iter().filter(|i| !i.code.contains('.')).cloned().collect();
        // One map of codes to positions: a lookup per indicator, not a scan (65k indicators).
        let mut position: FxHashMap<String, usize> = FxHashMap::default();
        for (i, ind) in self.indicators.iter().enumerate() {
            position.entry(ind.code.clone()).or_insert(i);
        }
        let mut by_code = FxHashMap::default();
        let mut labels = Vec::new();
        for ind in base {
            let id = match namespace {
                None => position.get(&ind.code).copied().unwrap_or(0),
                Some(ns) => {
                    let code = format!("{ns}.{}", ind.code);
                    match position.get(&code) {
                        Some(&p) => p,
                        None => {
                            let mut derived = ind.clone();
                            derived.label = format!("{} ({ns})", ind.label);
                            // A figure of another kind (a growth in % reported beside a
                            // level in 万元) is a rate of its own, with no roll-up. A unit
                            // of an amount (a plan in 亿元) is the file's unit instead: its
                            // figures convert into the indicator's (`unit_of_file`).
                            if let Some(u) = unit.filter(|u| !unit_of_file(u)) {
                                let u = yearbook_core::unit::Unit::parse(u);
                                if !u.same_dimension(&ind.unit) {
                                    derived.kind = yearbook_core::indicator::Kind::Rate;
                                    derived.rollup = yearbook_core::indicator::Rollup::None;
                                }
                                derived.unit = u;
                            }
                            derived.code = code.clone();
                            self.indicators.push(derived);
                            position.insert(code, self.indicators.len() - 1);
                            self.indicators.len() - 1
                        }
                    }
                }
            };
            // Ids are u32: more indicators than that cannot be described in memory anyway.
            by_code.insert(ind.code.as_bytes().into(), id as u32);
            labels.push((ind.label.clone(), id as u32));
        }
        // An indicator named by its label (地区生产总值), as a wide table's header may name
        // it: a label that is no other indicator's code and no other indicator's label.
        let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
        for (label, _) in &labels {
            *seen.entry(label.as_str()).or_default() += 1;
        }
        for (label, id) in &labels {
            let key: Box<[u8]> = label.trim().as_bytes().into();
            if !key.is_empty() && seen[label.as_str()] == 1 && !by_code.contains_key(&key) {
                by_code.insert(key, *id);
            }
        }
        let percent = self.indicators.iter().map(|i| unit_sign(&i.unit)).collect();
        let refused = self.refused_for_unit(namespace, unit, labels.iter().map(|(_, id)| *id));
        SourceIndicators { by_code, percent, refused }
    }

    /// The indicators among `ids` whose figures an entry's `unit` of figures of another
    /// kind (a rate, a count: not a file unit, [`unit_of_file`]) cannot be: `unit = "%"`
    /// on a file whose rows give 财政总收入 in 万元. Without a namespace, or for a namespaced
    /// indicator an earlier entry made in another unit, that unit is not applied, and loaded the
    /// figures would read in the indicator's own unit: 6.5 (%) as 6.5万元 (review40 06).
    /// An indicator of that unit (`%` for one in % or 百分点), or of no unit declared, is fine.
    fn refused_for_unit(&self, namespace: Option<&str>, unit: Option<&str>, ids: impl Iterator<Item = u32>) -> FxHashMap<u32, Box<str>> {
        let mut refused = FxHashMap::default();
        let Some(text) = unit.filter(|u| !unit_of_file(u)) else { return refused };
        let u = yearbook_core::unit::Unit::parse(text);
        for id in ids {
            let ind = &self.indicators[id as usize];
            let to = &ind.unit;
            // A count word yearbook does not convert (个) is a unit too: 6.5 (%) is no 6.5个.
            let fits = to.symbol.trim().is_empty()
                || (super::header::speaks_for(&u, to) && u.factor_to(to).is_some_and(|f| (f - 1.0).abs() < 1e-12));
            if fits || refused.contains_key(&id) {
                continue;
            }
            let how = match namespace {
                None => format!(
                    "load a file of figures in {text} under a namespace (`namespace = \"reported\"` makes reported.{code}, in \
                     {text}), or drop `unit` if its figures are in {to}",
                    code = ind.code,
                    to = to.show()
                ),
                Some(_) => format!(
                    "an earlier entry of this namespace made {code} in {to}: give the entries the same unit, or this file a \
                     namespace of its own",
                    code = ind.code,
                    to = to.show()
                ),
            };
            let message = format!(
                "the config's unit = \"{text}\" says this file's figures are in {text}, but {} is in {}: loaded, {text} figures \
                 would read as {}; {how}",
                ind.code,
                to.show(),
                to.show()
            );
            refused.insert(id, message.into_boxed_str());
        }
        refused
    }

    /// The block of (indicator, period): from the worker's direct table (indexed by
    /// indicator and period offset: no hashing, no reference-count traffic per fact),
    /// else created once in the shared map.
    fn block(&self, cache: &mut BlockCache, ind: u32, ord: i32, line: usize) -> std::result::Result<(), String> {
        let slot = ind as usize;
        if cache.direct.len() <= slot {
            cache.direct.resize_with(slot + 1, || (ord, Vec::new()));
        }
        let (base, row) = &mut cache.direct[slot];
        if row.is_empty() {
            *base = ord;
        }
        if ord < *base {
            let shift = (*base - ord) as usize;
            row.splice(0..0, std::iter::repeat_with(|| None).take(shift));
            *base = ord;
        }
        let i = (ord - *base) as usize;
        if i >= row.len() {
            row.resize_with(i + 1, || None);
        }
        if row[i].is_none() {
            row[i] = Some(Cached { block: self.shared_block((ind, ord), line)?, claimed: Claimed::default() });
        }
        Ok(())
    }

    /// The indicators the current file gave a fact of (a figure or one listed without).
    pub(crate) fn file_indicators(&self) -> FxHashSet<u32> {
        self.file_keys().into_iter().map(|(i, _)| i).collect()
    }

    /// The (indicator, period ordinal) rows the current file gave a fact in.
    fn file_keys(&self) -> Vec<(u32, i32)> {
        let shared = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        shared.iter().filter(|(_, b)| b.used_in.load(Ordering::Relaxed) == self.file_no).map(|(&k, _)| k).collect()
    }

    /// The shared block of (indicator, period), created on first use. Each block is a
    /// row of the panel: more rows than `max_cells` allows is refused here, at the fact
    /// that asks for one more, before its memory is taken.
    fn shared_block(&self, key: (u32, i32), line: usize) -> std::result::Result<Arc<Block>, String> {
        let n = self.regions.len();
        let mut shared = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = shared.get(&key) {
            if b.used_in.swap(self.file_no, Ordering::Relaxed) != self.file_no {
                // The current file's first use: nothing of it is in the block yet.
                let bits = b.seen.iter().map(|w| w.load(Ordering::Relaxed)).collect();
                self.before.lock().unwrap_or_else(|e| e.into_inner()).insert(key, bits);
            }
            return Ok(b.clone());
        }
        let rows = shared.len() + 1;
        if rows.saturating_mul(n) > self.max_cells {
            self.order_dependent.store(true, Ordering::Relaxed);
            return Err(self.too_many_cells(key, rows));
        }
        let out_of_memory = || format!("out of memory for {} regions x 1 period ({})", group(n), bytes(n));
        let mut seen = Vec::new();
        if seen.try_reserve_exact(n.div_ceil(64)).is_err() {
            return Err(out_of_memory());
        }
        // Zeros, as the system gives a fresh mapping: a cell counts only where its seen
        // bit is set (assembly reads the two together), so no pass writes NaN first.
        let vals = MappedWords::filled(n, 0).ok_or_else(out_of_memory)?;
        seen.extend((0..n.div_ceil(64)).map(|_| AtomicU64::new(0)));
        let b = Arc::new(Block {
            vals,
            seen: seen.into(),
            origin: (self.source.clone(), line),
            created_in: self.file_no,
            used_in: AtomicU32::new(self.file_no),
            repeated: AtomicU32::new(u32::MAX),
        });
        shared.insert(key, b.clone());
        Ok(b)
    }

    /// The error of the fact that asks for row `rows` of the panel, past `max_cells`.
    fn too_many_cells(&self, (ind, ord): (u32, i32), rows: usize) -> String {
        let n = self.regions.len();
        let period = Period { freq: self.freq(), ordinal: ord };
        format!(
            "the panel would hold more than {} cells ({} cells: {rows} indicator-periods x {n} regions, {}) at this fact ({period}, {}); \
             check the period, or raise `max_panel_cells` in [limits] of the config",
            group(self.max_cells),
            group(rows.saturating_mul(n)),
            bytes(rows.saturating_mul(n)),
            self.indicators[ind as usize].code,
        )
    }

    /// A fact of the ordered recheck: the cell limit and repeated keys, checked against
    /// this file's earlier facts and what earlier files left (nothing is stored).
    fn recheck_fact(&self, r: &Mutex<Recheck>, cols: &FactColumns, key: FactKey, line: usize) -> std::result::Result<(), FieldError> {
        let (ind, ord, region) = key;
        let mut r = r.lock().unwrap_or_else(|e| e.into_inner());
        let (w, bit) = (region as usize / 64, 1u64 << (region % 64));
        let earlier = {
            let shared = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
            match shared.get(&(ind, ord)) {
                // Created by this file's parallel load: no earlier file gave the row.
                Some(b) if b.created_in == self.file_no => None,
                // Used by this file's parallel load: its bits from before the file.
                Some(b) if b.used_in.load(Ordering::Relaxed) == self.file_no => {
                    let before = self.before.lock().unwrap_or_else(|e| e.into_inner());
                    Some(before.get(&(ind, ord)).is_some_and(|bits| bits[w] & bit != 0))
                }
                // Not touched by this file yet: as earlier files left it.
                Some(b) => Some(b.seen[w].load(Ordering::Relaxed) & bit != 0),
                None => None,
            }
        };
        if earlier.is_none() && r.new_rows.insert((ind, ord)) {
            let rows = self.blocks_before + r.new_rows.len();
            if rows.saturating_mul(self.regions.len()) > self.max_cells {
                return Err(FieldError { col: cols.period + 1, message: self.too_many_cells((ind, ord), rows), of_key: false });
            }
        }
        let n = self.regions.len();
        let seen = r.seen.entry((ind, ord)).or_insert_with(|| vec![0; n.div_ceil(64)]);
        let in_file = seen[w] & bit != 0;
        seen[w] |= bit;
        if in_file || earlier == Some(true) {
            r.repeated = Some((key, line, in_file));
            return Err(FieldError { col: cols.region + 1, message: self.repeated_message(key), of_key: true });
        }
        Ok(())
    }

    fn freq(&self) -> Frequency {
        match self.freq.load(Ordering::Relaxed) {
            2 => Frequency::Quarter,
            3 => Frequency::Month,
            _ => Frequency::Year,
        }
    }

    fn check_freq(&self, p: Period) -> std::result::Result<(), String> {
        let code = p.freq as u8 + 1;
        // A plain load first: the compare-exchange would bounce the cache line between
        // loader threads on every fact.
        if self.freq.load(Ordering::Relaxed) == code {
            return Ok(());
        }
        match self.freq.compare_exchange(0, code, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => Ok(()),
            Err(c) if c == code => Ok(()),
            Err(c) => {
                let have = [Frequency::Year, Frequency::Quarter, Frequency::Month][(c - 1) as usize];
                // Which fact came first is up to the threads: placed by a recheck.
                self.order_dependent.store(true, Ordering::Relaxed);
                if self.declared {
                    return Err(format!(
                        "period \"{p}\" is a {} but [workspace] frequency is {}: a panel has one frequency; change the frequency or the file's periods",
                        p.freq.name(),
                        have.name()
                    ));
                }
                Err(format!("period \"{p}\" is a {} but earlier facts are by {}: a panel has one frequency", p.freq.name(), have.name()))
            }
        }
    }

    /// Stores one fact given as byte fields.
    #[inline]
    pub fn ingest(
        &self,
        cols: &FactColumns,
        inds: &SourceIndicators,
        cache: &mut BlockCache,
        fields: &[&[u8]],
        line: usize,
    ) -> std::result::Result<(), FieldError> {
        self.ingest_with(cols, inds, cache, fields, None, line)
    }

    /// Whether rows of a file with these columns may take [`PanelBuilder::ingest_plain`]:
    /// a normal load of a file without flag, unit or `annual` columns.
    pub(crate) fn plain_rows(&self, cols: &FactColumns) -> bool {
        matches!(self.pass, Pass::Load)
            && cols.flag.is_none()
            && cols.unit.is_none()
            && cols.file_unit.is_none()
            && cols.more_units.is_empty()
            && cols.periods.annual.is_none()
            && cols.after_value.is_none()
    }

    /// The common row of a long CSV file, stored without the general path: its region
    /// that of the row before it (as the worker's cache holds it) or the next one in the
    /// regions file's order, its indicator a code as the indicators file spells it,
    /// its period a bare year of a yearly panel or the previous row's period, its value a
    /// plain decimal ([`plain_decimal`]), its block already in the cache and its cell not
    /// yet seen. Returns false, having stored nothing, for any other row: the caller then
    /// hands it to [`PanelBuilder::ingest`], which gives every other row (and every
    /// error) its values and messages. Only where [`PanelBuilder::plain_rows`] holds.
    #[inline(always)]
    pub(crate) fn ingest_plain(&self, cols: &FactColumns, inds: &SourceIndicators, cache: &mut BlockCache, fields: &[&[u8]]) -> bool {
        let (r, i, p) = (fields[cols.region], fields[cols.indicator], fields[cols.period]);
        if i.is_empty() || r.is_empty() {
            return false;
        }
        if !same_bytes(i, &cache.last_ind.0) {
            // Another indicator (a file sorted by region changes it every few rows): the
            // lookup `indicator_of` makes, for a code without spaces around it.
            let Some(&id) = inds.by_code.get(i) else { return false };
            if i[0].is_ascii_whitespace() || i[i.len() - 1].is_ascii_whitespace() || inds.refusal(id).is_some() {
                return false;
            }
            cache.last_ind.0.clear();
            cache.last_ind.0.extend_from_slice(i);
            cache.last_ind.1 = id;
            cache.last_ind_unit = None;
        } else if cache.last_ind_unit.is_some() {
            // The same indicator cell as the row before, naming its unit (地区生产总值（亿元）):
            // the general path converts its figure.
            return false;
        }
        if !same_bytes(r, &cache.last_region.0) {
            // The region after the previous row's, in the regions file's order.
            let next = cache.last_region.1.wrapping_add(1);
            if r.first().is_some_and(u8::is_ascii_whitespace)
                || r.last().is_some_and(u8::is_ascii_whitespace)
                || !self.regions.has_code(next, r)
            {
                return false;
            }
            cache.last_region.0.clear();
            cache.last_region.0.extend_from_slice(r);
            cache.last_region.1 = next;
        }
        let (region, ind) = (cache.last_region.1, cache.last_ind.1);
        let Some(ord) = self.plain_ordinal(cache, p) else { return false };
        let Some(v) = plain_decimal(fields[cols.value]) else { return false };
        self.store_cached(cache, (region, ind), ord, v)
    }

    /// The ordinal of a bare year in a yearly panel, or of the previous row's period;
    /// None for any other period text (the general path reads it).
    #[inline(always)]
    fn plain_ordinal(&self, cache: &BlockCache, p: &[u8]) -> Option<i32> {
        self.bare_year(p).or_else(|| (!p.is_empty() && same_bytes(p, &cache.last_period.0)).then_some(cache.last_period.1))
    }

    /// A bare year (2021) in a yearly panel, read without a UTF-8 check or the parser.
    #[inline(always)]
    fn bare_year(&self, p: &[u8]) -> Option<i32> {
        match *p {
            [a @ b'0'..=b'9', b @ b'0'..=b'9', c @ b'0'..=b'9', d @ b'0'..=b'9']
                if self.freq.load(Ordering::Relaxed) == Frequency::Year as u8 + 1 =>
            {
                Some((a - b'0') as i32 * 1000 + (b - b'0') as i32 * 100 + (c - b'0') as i32 * 10 + (d - b'0') as i32)
            }
            _ => None,
        }
    }

    /// Stores a number in a cell whose block the worker's cache already holds and that
    /// no fact has filled yet; false (nothing stored) otherwise, for the general path.
    #[inline(always)]
    fn store_cached(&self, cache: &mut BlockCache, (region, ind): (u32, u32), ord: i32, v: f64) -> bool {
        // Not cached, or a repeated key: the general path reports it.
        let Some(block) = cache.claim(ind, ord, region) else { return false };
        block.vals[region as usize].store(v.to_bits(), Ordering::Relaxed);
        true
    }

    /// Loads one fact whose value a typed file (Parquet) gives as a number (None:
    /// missing); `fields[cols.value]` is not read.
    #[cfg(feature = "parquet")]
    pub fn ingest_number(
        &self,
        cols: &FactColumns,
        inds: &SourceIndicators,
        cache: &mut BlockCache,
        fields: &[&[u8]],
        value: Option<f64>,
        line: usize,
    ) -> std::result::Result<(), FieldError> {
        self.ingest_with(cols, inds, cache, fields, Some(value), line)
    }

    /// The value of a fact: the typed one, else its field parsed.
    fn value_of(
        &self,
        cols: &FactColumns,
        inds: &SourceIndicators,
        fields: &[&[u8]],
        typed: Option<Option<f64>>,
        ind: u32,
    ) -> std::result::Result<Value, FieldError> {
        match typed {
            Some(Some(v)) if v.is_finite() => Ok(Value::Number(v)),
            Some(Some(v)) if v.is_infinite() => {
                Err(FieldError { col: cols.value + 1, message: format!("value is {v}: not a figure"), of_key: false })
            }
            Some(_) => Ok(Value::Missing),
            None => parse_value_signed(fields[cols.value], inds.percent[ind as usize]).map_err(|m| FieldError {
                col: cols.value + 1,
                message: m,
                of_key: false,
            }),
        }
    }

    fn ingest_with(
        &self,
        cols: &FactColumns,
        inds: &SourceIndicators,
        cache: &mut BlockCache,
        fields: &[&[u8]],
        typed: Option<Option<f64>>,
        line: usize,
    ) -> std::result::Result<(), FieldError> {
        let region = self.region_of(cols, cache, fields[cols.region])?;
        let ind = self.indicator_of(cols, inds, cache, fields[cols.indicator])?;
        let own = cache.last_ind_unit.clone();
        let in_unit = |value| match own.as_deref() {
            Some(u) => self.in_own_unit(cols, fields, ind, u, value),
            None if cols.unit.is_some() || cols.file_unit.is_some() || !cols.more_units.is_empty() => {
                self.in_unit(cols, fields, ind, value).and_then(|v| match inds.refusal(ind) {
                    // The file's units speak not for this indicator, nor does its unit cell
                    // give one: the entry's unit is the figure's, and does not fit.
                    Some(m) if !self.file_gives_unit(cols, fields, ind) => {
                        Err(FieldError { col: cols.indicator + 1, message: m.to_string(), of_key: false })
                    }
                    _ => Ok(v),
                })
            }
            None => Ok(value),
        };
        if let Some(f) = cols.periods.annual {
            let value = in_unit(self.value_of(cols, inds, fields, typed, ind)?)?;
            return self.ingest_annual(cols, cache, fields, (region, ind, value), f, line);
        }
        let ordinal = self.ordinal_of(cols, cache, fields[cols.period], line)?;
        let period = Period { freq: self.freq(), ordinal };
        let value = in_unit(self.value_of(cols, inds, fields, typed, ind)?)?;
        self.store(cols, cache, fields, (region, ind), period, value, line)
    }

    /// Whether the row's unit cell, or one of the file's units (unit row, value header),
    /// gives indicator `ind` its figures' unit ([`Self::in_unit`] reads them).
    #[cold]
    fn file_gives_unit(&self, cols: &FactColumns, fields: &[&[u8]], ind: u32) -> bool {
        let cell = cols.unit.and_then(|c| fields.get(c)).map(|f| trim(f)).is_some_and(|f| !f.is_empty());
        let to = &self.indicators[ind as usize].unit;
        cell || cols
            .file_units()
            .flat_map(|(m, _)| m.split('、'))
            .any(|t| super::header::speaks_for(&yearbook_core::unit::Unit::parse(t), to))
    }

    /// A value in the unit its unit cell (or the table's unit row) names, converted to
    /// its indicator's unit: 7.75 with 亿元 is 77500 for an indicator in 万元. A unit that
    /// does not convert is an error at its cell.
    #[cold]
    fn in_unit(&self, cols: &FactColumns, fields: &[&[u8]], ind: u32, value: Value) -> std::result::Result<Value, FieldError> {
        let cell = cols.unit.and_then(|c| fields.get(c).map(|f| (c, trim(f)))).filter(|(_, f)| !f.is_empty());
        let (col, text) = match (cell, &cols.file_unit) {
            (Some((c, f)), _) => (
                c,
                std::str::from_utf8(f).map_err(|_| FieldError {
                    col: c + 1,
                    message: "unit is not valid UTF-8; set `encoding = \"gbk\"` if the file came from Excel".into(),
                    of_key: false,
                })?,
            ),
            (None, Some(u)) => (cols.value, u.as_ref()),
            (None, None) => match cols.more_units.first() {
                Some((u, _)) => (cols.value, u.as_ref()),
                None => return Ok(value),
            },
        };
        // A unit cell (亿元) and the file's unit (数值（万元）, 单位：万元) of one kind that
        // differ: the file does not say which the figure is in. Read by the cell, 1.5 was
        // 15000万元 where the header said 1.5万元.
        if cell.is_some()
            && let Some(((other, f), place)) =
                cols.file_units().find_map(|(file, place)| super::header::conflicting_units(text, file).map(|c| (c, place)))
        {
            return Err(FieldError {
                col: col + 1,
                message: format!(
                    "the unit cell says {text}, but the file gives its figures in {other} ({place}): the file does not say \
                     which this figure is in, and read by either it would be {} times apart; give the unit in one place (the \
                     计量单位 column alone, or the header alone), or the same unit in both",
                    super::header::times_apart(f)
                ),
                of_key: false,
            });
        }
        let to = &self.indicators[ind as usize].unit;
        let (from, text) = match cell {
            // 万元（当年价）, 人民币万元 in a unit cell: the unit, as in a unit row.
            Some(_) => (yearbook_core::unit::Unit::parse(&super::header::normalize_unit(text)), text),
            // The table's unit row (a list: 万元、万人) speaks for the figures it can: an
            // indicator of another dimension (常住人口 under 金额单位：亿元) keeps its own
            // unit; money in another currency (万美元 for an indicator in 亿元) does not
            // convert, an error below.
            // Then the units beside it (`more_units`: the entry's 万人 beside 金额单位：万元).
            None => match cols.file_units().flat_map(|(m, _)| m.split('、')).find_map(|t| {
                let u = yearbook_core::unit::Unit::parse(t);
                super::header::speaks_for(&u, to).then_some((u, t))
            }) {
                Some(found) => found,
                // A unit yearbook does not know (单位：担) may be the figures' own: left
                // unread, every figure would stay in its indicator's unit. Refused where the
                // file names no unit yearbook reads; a list with one (万元、个) speaks for
                // the indicators it can, and leaves the others in their own units.
                None if to.is_known() && text.split('、').all(|t| !yearbook_core::unit::Unit::parse(t).is_known()) => {
                    return Err(FieldError {
                        col: col + 1,
                        message: format!(
                            "the file gives its figures in {text}, a unit yearbook does not read, so {} ({}) would stay in {}: \
                             write the unit as yearbook knows it (吨, 公斤, 斤, 万元, ...), or give each figure's unit in a \
                             计量单位 column",
                            self.indicators[ind as usize].code,
                            to.show(),
                            to.show()
                        ),
                        of_key: false,
                    });
                }
                // Judged by the file's own unit alone: the units beside it are a list's,
                // each speaking for its kind and refusing none (a rate row beside 金额单位：
                // 万元 and unit = "人" keeps its %: review37 02).
                None if let Some((text, place)) = cols.file_units().take(1).find(|(t, _)| super::header::unit_row_conflicts(t, to)) => {
                    return Err(FieldError {
                        col: col + 1,
                        message: format!(
                            "the file gives its figures in {text} ({place}), which does not convert to {} ({}'s unit): give these \
                             rows their unit in a 计量单位 column, or load them from a file of their own",
                            to.show(),
                            self.indicators[ind as usize].code
                        ),
                        of_key: false,
                    });
                }
                None => return Ok(value),
            },
        };
        let convert = |v: f64| {
            from.heading_factor_to(to).map(|f| yearbook_core::unit::rescale(v, f)).ok_or_else(|| FieldError {
                col: col + 1,
                message: format!(
                    "the value is in {text}, which does not convert to {} ({}'s unit){}",
                    to.show(),
                    self.indicators[ind as usize].code,
                    if super::header::scaled_in_brackets(text) {
                        ": a magnitude or a unit in brackets after a unit leaves unclear which unit the figure is in; write \
                         the unit whole (万人, 万元)"
                    } else {
                        ""
                    }
                ),
                of_key: false,
            })
        };
        Ok(match value {
            Value::Number(v) => Value::Number(convert(v)?),
            Value::Marked(v, m) => Value::Marked(convert(v)?, m),
            Value::Missing => Value::Missing,
        })
    }

    /// Loads one fact of a typed file (Parquet) whose region and indicator were resolved
    /// by [`PanelBuilder::region_of`] and [`PanelBuilder::indicator_of`] (once per
    /// distinct text of a row group), with its period's text and its value as a number.
    /// What follows is [`PanelBuilder::ingest_number`]'s path, in the same order: the same
    /// values and the same errors. Not for `annual` files or files with a flag column.
    #[cfg(feature = "parquet")]
    pub(crate) fn ingest_resolved(
        &self,
        cols: &FactColumns,
        inds: &SourceIndicators,
        cache: &mut BlockCache,
        (region, ind, period_text): (u32, u32, &[u8]),
        (value, own): (Option<f64>, Option<&str>),
        line: usize,
    ) -> std::result::Result<(), FieldError> {
        debug_assert!(cols.periods.annual.is_none() && cols.flag.is_none() && cols.unit.is_none() && cols.file_unit.is_none());
        // The common row, as for CSV (`ingest_plain`): a bare year or the previous row's
        // period, a finite number, a block already cached, a cell not yet filled.
        if own.is_none()
            && matches!(self.pass, Pass::Load)
            && let Some(v) = value.filter(|v| v.is_finite())
            && let Some(ord) = self.plain_ordinal(cache, period_text)
            && self.store_cached(cache, (region, ind), ord, v)
        {
            return Ok(());
        }
        let ordinal = self.ordinal_of(cols, cache, period_text, line)?;
        let period = Period { freq: self.freq(), ordinal };
        let mut value = self.value_of(cols, inds, &[], Some(value), ind)?;
        if let Some(u) = own {
            value = self.in_own_unit(cols, &[], ind, u, value)?;
        }
        self.store(cols, cache, &[], (region, ind), period, value, line)
    }

    /// The common row of a typed file whose region, indicator and bare-year period were
    /// resolved once per distinct value: stores a finite `v` in an empty cell of a block
    /// the worker's cache holds, as [`PanelBuilder::ingest_resolved`] would. False
    /// (nothing stored) otherwise: that function takes the row.
    #[cfg(feature = "parquet")]
    #[inline(always)]
    pub(crate) fn store_resolved(&self, cache: &mut BlockCache, key: (u32, u32), ord: i32, v: f64) -> bool {
        matches!(self.pass, Pass::Load) && v.is_finite() && self.store_cached(cache, key, ord, v)
    }

    /// The ordinal of a period text that is a bare year of a yearly panel (None: not one,
    /// or the panel's frequency is not known yet), for resolving each distinct text once.
    #[cfg(feature = "parquet")]
    pub(crate) fn bare_year_ordinal(&self, p: &[u8]) -> Option<i32> {
        self.bare_year(p)
    }

    /// The region a fact's region field names: a code, else a region's name (镇名) when
    /// one region has it; a name several regions share is an error listing them.
    #[inline(always)]
    pub(crate) fn region_of(&self, cols: &FactColumns, cache: &mut BlockCache, field: &[u8]) -> std::result::Result<u32, FieldError> {
        let code = trim(field);
        if !code.is_empty() && cache.last_region.0 == code {
            return Ok(cache.last_region.1);
        }
        // Files list regions in the regions file's order more often than not.
        let next = cache.last_region.1.wrapping_add(1);
        let r = match self.regions.id_of_code_after(next, code) {
            Some(r) => r,
            None => self.regions.find(String::from_utf8_lossy(code).as_ref()).map_err(|m| FieldError {
                col: cols.region + 1,
                message: m,
                of_key: false,
            })?,
        };
        cache.last_region.0.clear();
        cache.last_region.0.extend_from_slice(code);
        cache.last_region.1 = r;
        Ok(r)
    }

    /// The indicator a fact's indicator field names (its code in the indicators file).
    #[inline(always)]
    pub(crate) fn indicator_of(
        &self,
        cols: &FactColumns,
        inds: &SourceIndicators,
        cache: &mut BlockCache,
        field: &[u8],
    ) -> std::result::Result<u32, FieldError> {
        let icode = trim(field);
        if !icode.is_empty() && cache.last_ind.0 == icode {
            return Ok(cache.last_ind.1);
        }
        let (i, own) = match inds.by_code.get(icode) {
            Some(&i) => (i, None),
            None => self.labelled_indicator(inds, icode).ok_or_else(|| {
                let c = String::from_utf8_lossy(icode);
                let hint = yearbook_core::suggest::did_you_mean(&c, inds.by_code.keys().filter_map(|k| std::str::from_utf8(k).ok()));
                FieldError {
                    col: cols.indicator + 1,
                    message: format!("unknown indicator \"{c}\"{hint}; declare it in the indicators file"),
                    of_key: false,
                }
            })?,
        };
        // Where the file says no unit of its own (no unit row, value header, unit column
        // or unit after the indicator's label): the entry's unit is the figures', and does
        // not fit. Otherwise the file's unit may speak for the indicator ([`Self::in_unit`]).
        if let Some(m) = inds.refusal(i)
            && own.is_none()
            && cols.unit.is_none()
            && cols.file_unit.is_none()
            && cols.more_units.is_empty()
        {
            return Err(FieldError { col: cols.indicator + 1, message: m.to_string(), of_key: false });
        }
        cache.last_ind.0.clear();
        cache.last_ind.0.extend_from_slice(icode);
        cache.last_ind.1 = i;
        cache.last_ind_unit = own;
        Ok(i)
    }

    /// The unit the indicator cell [`PanelBuilder::indicator_of`] resolved last named after
    /// its label (`地区生产总值（亿元）`: 亿元), for a caller that resolves each distinct
    /// cell once and converts the row's figure itself.
    #[cfg(feature = "parquet")]
    pub(crate) fn last_indicator_unit(cache: &BlockCache) -> Option<Box<str>> {
        cache.last_ind_unit.clone()
    }

    /// An indicator cell that is a code or label followed by its unit in brackets, as a
    /// wide table's header may be (`地区生产总值（亿元）`, `gdp(亿元)`, `城镇化率（%）`): the
    /// indicator, and the unit its figures are in. A long file's cell reads as the same
    /// label does in a header: 1.5 under 地区生产总值（亿元） is 15000 for gdp in 万元.
    #[cold]
    fn labelled_indicator(&self, inds: &SourceIndicators, cell: &[u8]) -> Option<(u32, Option<Box<str>>)> {
        let text = std::str::from_utf8(cell).ok()?;
        let unit = super::header::label_unit(text)?;
        let stem = super::header::label_stem(text)?;
        let i = *inds.by_code.get(stem.as_bytes())?;
        Some((i, Some(unit.into())))
    }

    /// A value whose indicator cell named its unit (`地区生产总值（亿元）`), converted to its
    /// indicator's unit. A unit cell (计量单位) or a unit row of the same kind that says
    /// otherwise is refused: read by either, the figure would be that many times apart.
    #[cold]
    fn in_own_unit(
        &self,
        cols: &FactColumns,
        fields: &[&[u8]],
        ind: u32,
        own: &str,
        value: Value,
    ) -> std::result::Result<Value, FieldError> {
        let err = |col: usize, message: String| FieldError { col: col + 1, message, of_key: false };
        let cell = cols.unit.and_then(|c| fields.get(c).map(|f| (c, trim(f)))).filter(|(_, f)| !f.is_empty());
        if let Some((c, f)) = cell {
            let text = std::str::from_utf8(f).map_err(|_| err(c, "unit is not valid UTF-8".into()))?;
            if let Some((other, f)) = super::header::conflicting_units(own, text) {
                return Err(err(
                    c,
                    format!(
                        "the unit cell says {other}, but the indicator cell names its figures in {own}: the file does not say \
                         which this figure is in, and read by either it would be {} times apart; give the unit in one place, or \
                         the same unit in both",
                        super::header::times_apart(f)
                    ),
                ));
            }
        } else if let Some(((other, f), place)) =
            cols.file_units().find_map(|(file, place)| super::header::conflicting_units(own, file).map(|c| (c, place)))
        {
            return Err(err(
                cols.indicator,
                format!(
                    "the indicator cell names its figures in {own}, but the file gives them in {other} ({place}): read by either \
                     this figure would be {} times apart; give the unit in one place, or the same unit in both",
                    super::header::times_apart(f)
                ),
            ));
        }
        let to = &self.indicators[ind as usize].unit;
        let factor = yearbook_core::unit::Unit::parse(own).heading_factor_to(to).ok_or_else(|| {
            err(
                cols.indicator,
                format!(
                    "the indicator cell names its figures in {own}, which does not convert to {} ({}'s unit)",
                    to.show(),
                    self.indicators[ind as usize].code
                ),
            )
        })?;
        let convert = |v: f64| yearbook_core::unit::rescale(v, factor);
        Ok(match value {
            Value::Number(v) => Value::Number(convert(v)),
            Value::Marked(v, m) => Value::Marked(convert(v), m),
            Value::Missing => Value::Missing,
        })
    }

    /// The ordinal of the period a fact's period field spells, in the panel's frequency.
    #[inline(always)]
    fn ordinal_of(&self, cols: &FactColumns, cache: &mut BlockCache, field: &[u8], line: usize) -> std::result::Result<i32, FieldError> {
        let ptext = trim(field);
        Ok(if !ptext.is_empty() && cache.last_period.0 == ptext {
            cache.last_period.1
        } else if let Some(year) = self.bare_year(ptext) {
            year
        } else if let Some(&ord) = cache.spelled.get(ptext) {
            cache.last_period.0.clear();
            cache.last_period.0.extend_from_slice(ptext);
            cache.last_period.1 = ord;
            ord
        } else {
            let p = std::str::from_utf8(ptext)
                .map_err(|_| "period is not valid text".to_string())
                .and_then(|t| yearbook_core::period::spelling::read(t, &cols.periods))
                .and_then(|p| self.check_freq(p).map(|_| p))
                .map_err(|m| FieldError { col: cols.period + 1, message: m, of_key: false })?;
            if p.freq == Frequency::Month && ptext.get(4) == Some(&b'.') {
                self.note_dotted(ptext, line);
            }
            if cols.periods.cumulative && p.freq != Frequency::Year && p.sub() == p.freq.per_year() {
                self.note_bare_cumulative(ptext, &cols.periods, p, line);
            }
            if cols.periods.cumulative && p.freq != Frequency::Year {
                self.note_span(ptext, &cols.periods, p.calendar_year(), line);
            }
            cache.last_period.0.clear();
            cache.last_period.0.extend_from_slice(ptext);
            cache.last_period.1 = p.ordinal;
            if cache.spelled.len() < 4096 {
                cache.spelled.insert(ptext.into(), p.ordinal);
            }
            p.ordinal
        })
    }

    /// A yearly fact of an `annual = true` file: the same value in every period of its
    /// year in the panel's frequency `f`.
    fn ingest_annual(
        &self,
        cols: &FactColumns,
        cache: &mut BlockCache,
        fields: &[&[u8]],
        (region, ind, value): (u32, u32, Value),
        f: Frequency,
        line: usize,
    ) -> std::result::Result<(), FieldError> {
        let err = |col: usize, message: String| FieldError { col: col + 1, message, of_key: false };
        let text = std::str::from_utf8(trim(fields[cols.period])).map_err(|_| err(cols.period, "period is not valid text".into()))?;
        let year = yearbook_core::period::spelling::read(text, &Default::default()).map_err(|m| err(cols.period, m))?;
        if year.freq != Frequency::Year {
            return Err(err(
                cols.period,
                format!(
                    "period \"{text}\" is a {}: a file with `annual = true` holds whole years (2024), each spread over its {}s",
                    year.freq.name(),
                    f.name()
                ),
            ));
        }
        let n = f.per_year();
        for k in 0..n {
            let period = Period { freq: f, ordinal: year.ordinal * n + k };
            self.check_freq(period).map_err(|m| err(cols.period, m))?;
            self.store(cols, cache, fields, (region, ind), period, value, line)?;
        }
        Ok(())
    }

    /// Stores one fact (and its flag); a second fact for the same cell is an error. In a
    /// recheck or a search (see [`Pass`]) nothing is stored.
    #[allow(clippy::too_many_arguments)]
    fn store(
        &self,
        cols: &FactColumns,
        cache: &mut BlockCache,
        fields: &[&[u8]],
        (region, ind): (u32, u32),
        period: Period,
        value: Value,
        line: usize,
    ) -> std::result::Result<(), FieldError> {
        let err = |col: usize, message: String| FieldError { col: col + 1, message, of_key: false };
        let key = (ind, period.ordinal, region);
        let block = match &self.pass {
            Pass::Load => {
                self.block(cache, ind, period.ordinal, line).map_err(|m| err(cols.period, m))?;
                let Some(block) = cache.claim(ind, period.ordinal, region) else {
                    // Which of the two a parallel load meets second is up to the threads.
                    self.order_dependent.store(true, Ordering::Relaxed);
                    return Err(FieldError { col: cols.region + 1, message: self.repeated_message(key), of_key: true });
                };
                Some(block)
            }
            Pass::Recheck(r) => {
                self.recheck_fact(r, cols, key, line)?;
                None
            }
            Pass::Find(want, found) if *want == key => {
                found.store(true, Ordering::Relaxed);
                return Err(FieldError { col: cols.region + 1, message: "the first fact with this key".into(), of_key: true });
            }
            Pass::Find(..) => None,
        };
        let mark = match (block, value) {
            (Some(block), value) => match value {
                Value::Number(v) => {
                    block.vals[region as usize].store(v.to_bits(), Ordering::Relaxed);
                    None
                }
                Value::Marked(v, m) => {
                    block.vals[region as usize].store(v.to_bits(), Ordering::Relaxed);
                    Some(m)
                }
                Value::Missing => {
                    // Cells start as zeros, read through the seen bits: a claimed cell
                    // without a figure must say so itself.
                    block.vals[region as usize].store(NAN_BITS, Ordering::Relaxed);
                    if cols.empty_is_gap {
                        self.gaps.lock().unwrap_or_else(|e| e.into_inner()).push((ind, period.ordinal, region));
                    }
                    None
                }
            },
            (None, _) => None,
        };
        if let Some(nc) = cols.after_value
            && let (Some(v), Some(next)) = (fields.get(cols.value), fields.get(nc))
            && let Some(message) = thousands_parted(trim(v), trim(next))
        {
            return Err(err(nc, message));
        }
        let flag = match cols.flag.map(|fc| (fc, trim(fields[fc]))) {
            Some((fc, f)) if !f.is_empty() => Some(
                std::str::from_utf8(f)
                    .map_err(|_| err(fc, "flag is not valid UTF-8; set `encoding = \"gbk\"` if the file came from Excel".into()))?,
            ),
            _ => None,
        };
        if flag.is_some() || mark.is_some() {
            self.add_flag(ind, period.ordinal, region, flag, mark);
        }
        Ok(())
    }

    /// Keeps a fact's flag: the flag column's text, a footnote mark after the value, or
    /// both ("estimate ①").
    #[cold]
    fn add_flag(&self, ind: u32, ord: i32, region: u32, flag: Option<&str>, mark: Option<char>) {
        let text: Arc<str> = match (flag, mark) {
            (Some(f), Some(m)) => Arc::from(format!("{f} {m}")),
            (Some(f), None) => Arc::from(f),
            (None, Some(m)) => Arc::from(m.to_string()),
            (None, None) => return,
        };
        self.flags.lock().unwrap_or_else(|e| e.into_inner()).push((ind, ord, region, text));
    }

    /// Loads facts from rows already read (small files, xlsx, GBK).
    pub fn ingest_rows(&self, table: &super::table_file::RawTable, cols: &FactColumns, inds: &SourceIndicators) -> Result<()> {
        let mut cache = BlockCache::default();
        let mut cols = cols.clone();
        // The value column's own unit (数值(万元)) and the table's unit row (or the config's
        // unit): one of them, or both the same; two units of one kind that differ are
        // refused.
        if let Some(own) = cols.file_unit.as_deref()
            && let Some((other, f)) = table
                .unit
                .as_deref()
                .into_iter()
                .chain(cols.more_units.iter().map(|(m, _)| m.as_ref()))
                .find_map(|t| super::header::conflicting_units(own, t))
        {
            return Err(Error::data(
                Location::new(&table.file, table.header_line, Some(cols.value + 1)),
                super::header::conflict_message(
                    &format!("the value column \"{}\"", table.header.get(cols.value).map(String::as_str).unwrap_or("")),
                    own,
                    &other,
                    f,
                ),
            ));
        }
        match (&cols.file_unit, table.unit.as_deref()) {
            (None, t) => cols.file_unit = t.map(std::sync::Arc::from),
            // The value column's unit first; the unit row speaks for the other kinds
            // (数值（万元） under 单位：万人: 常住人口 in 万人).
            (Some(_), Some(t)) => cols.more_units.insert(0, (std::sync::Arc::from(t), UNIT_ROW)),
            (Some(_), None) => {}
        }
        let cols = &cols;
        for (line, row) in &table.rows {
            let fields: Vec<&[u8]> = row.iter().map(|s| s.as_bytes()).collect();
            if let Err(e) = self.ingest(cols, inds, &mut cache, &fields, *line) {
                return Err(Error::data(Location::new(&table.file, *line, Some(e.col)), e.message));
            }
        }
        Ok(())
    }

    /// Keeps a warning for the load's report: what a reader chose where the file left it
    /// open. Kept once however often a file is read.
    pub(crate) fn note(&self, warning: String) {
        let mut notes = self.notes.lock().unwrap_or_else(|e| e.into_inner());
        if !notes.contains(&warning) {
            notes.push(warning);
        }
    }

    /// Assembles the contiguous matrices. Periods span the earliest to the latest fact.
    /// The size is estimated first: a panel over `max_cells` is refused at the fact of
    /// the period farthest from the others; far-off periods are returned as warnings.
    pub fn finish(self, default_freq: Option<Frequency>) -> Result<(Panel, Vec<String>)> {
        let panel = self.assemble(default_freq);
        reuse_freed_memory();
        panel
    }

    fn assemble(self, default_freq: Option<Frequency>) -> Result<(Panel, Vec<String>)> {
        // The loader asks after each file; a panel with a repeated key is never built.
        if let Some(m) = self.merged_repeat() {
            return Err(Error::data(Location::new(&*self.source, 1, None), m));
        }
        let blocks = self.blocks.into_inner().unwrap_or_else(|e| e.into_inner());
        // A block's cells count where its seen bits say: a loader's cache still holding
        // one may hold claims not merged yet, and the panel would miss their figures.
        // Every cache is gone by now; if one is not, refuse rather than assemble.
        if blocks.values().any(|b| Arc::strong_count(b) > 1) {
            return Err(Error::data(
                Location::new(&*self.source, 1, None),
                "internal error: a loader still held part of the panel when it was assembled; nothing was loaded (please report this)",
            ));
        }
        let freq = match self.freq.load(Ordering::Relaxed) {
            0 => default_freq.unwrap_or(Frequency::Year),
            c => [Frequency::Year, Frequency::Quarter, Frequency::Month][(c - 1) as usize],
        };
        let (lo, hi) = blocks.keys().fold((i32::MAX, i32::MIN), |(lo, hi), &(_, p)| (lo.min(p), hi.max(p)));
        let periods =
            if lo > hi { PeriodAxis { freq, first: 0, len: 0 } } else { PeriodAxis { freq, first: lo, len: (hi - lo + 1) as usize } };
        let nr = self.regions.len();
        let shape = super::shape::Shape::of(&blocks, periods, nr, self.indicators.len());
        let mut warnings = self.notes.into_inner().unwrap_or_else(|e| e.into_inner());
        warnings.extend(shape.warnings());
        shape.check(self.max_cells)?;
        let mut by_ind: Vec<Vec<(i32, Arc<Block>)>> = vec![Vec::new(); self.indicators.len()];
        for ((i, p), b) in blocks {
            by_ind[i as usize].push((p, b));
        }
        let cells = periods.len * nr;
        // Indicators without facts (most namespaced ones) hold no cells: every one is
        // missing (`Panel::data`), and a series of one is made when a script reads it.
        let empty: Arc<Vec<f64>> = Arc::new(Vec::new());
        // Every indicator's matrix on its own core, written once in period order: a
        // block's values where it has one, missing elsewhere.
        let built: Vec<(Arc<Vec<f64>>, usize)> = by_ind
            .into_par_iter()
            .map(|mut bs| {
                if bs.is_empty() {
                    return Ok((empty.clone(), 0));
                }
                bs.sort_unstable_by_key(|(p, _)| *p);
                let mut m = super::shape::matrix_with_capacity(cells)?;
                let mut present = 0;
                let mut blocks = bs.into_iter().peekable();
                for p in periods.first..periods.first + periods.len as i32 {
                    match blocks.next_if(|(q, _)| *q == p) {
                        Some((_, b)) => {
                            // A cell no fact claimed is missing, whatever its word holds:
                            // 64 cells at a time, by their word of seen bits.
                            for (chunk, seen) in b.vals.chunks(64).zip(b.seen.iter()) {
                                let bits = seen.load(Ordering::Relaxed);
                                let all = u64::MAX >> (64 - chunk.len());
                                if bits & all == all {
                                    m.extend(chunk.iter().map(|v| {
                                        let x = f64::from_bits(v.load(Ordering::Relaxed));
                                        present += !x.is_nan() as usize;
                                        x
                                    }));
                                } else if bits == 0 {
                                    m.resize(m.len() + chunk.len(), f64::NAN);
                                } else {
                                    m.extend(chunk.iter().enumerate().map(|(j, v)| {
                                        let x = if bits >> j & 1 == 1 { f64::from_bits(v.load(Ordering::Relaxed)) } else { f64::NAN };
                                        present += !x.is_nan() as usize;
                                        x
                                    }));
                                }
                            }
                        }
                        None => m.resize(m.len() + nr, f64::NAN),
                    }
                }
                Ok((Arc::new(m), present))
            })
            .collect::<Result<_>>()?;
        let n_facts = built.iter().map(|(_, n)| n).sum();
        let data: Vec<Arc<Vec<f64>>> = built.into_iter().map(|(m, _)| m).collect();
        let mut flags = vec![Vec::new(); self.indicators.len()];
        for (i, p, r, f) in self.flags.into_inner().unwrap_or_else(|e| e.into_inner()) {
            flags[i as usize].push(((p - periods.first) as u32 * nr as u32 + r, f));
        }
        for f in &mut flags {
            f.sort_by_key(|x| x.0);
        }
        let mut listed = vec![Vec::new(); self.indicators.len()];
        for (i, p, r) in self.gaps.into_inner().unwrap_or_else(|e| e.into_inner()) {
            listed[i as usize].push((p - periods.first) as u32 * nr as u32 + r);
        }
        let listed = listed
            .into_iter()
            .map(|mut l| {
                l.sort_unstable();
                Arc::new(l)
            })
            .collect();
        let axes = Axes::new(self.regions, periods);
        let axes = Arc::new(if self.facts_unread { axes.without_facts() } else { axes });
        // Each region's first period with a row of any indicator: indicator by indicator,
        // period by period, only over the regions not seen yet (a panel whose regions all
        // report in its first period is read about once per indicator).
        let mut since = vec![u32::MAX; nr];
        for m in &data {
            let mut unseen: Vec<usize> = (0..nr).filter(|&r| since[r] != 0).collect();
            for (p, col) in m.chunks(nr.max(1)).enumerate() {
                if unseen.is_empty() {
                    break;
                }
                unseen.retain(|&r| {
                    let seen = !col[r].is_nan();
                    if seen {
                        since[r] = since[r].min(p as u32);
                    }
                    // Later periods cannot set it earlier than it is.
                    !seen && since[r] > (p as u32).saturating_add(1)
                });
            }
        }
        for l in &listed {
            let l: &Arc<Vec<u32>> = l;
            for &cell in l.iter() {
                let (p, r) = (cell / nr.max(1) as u32, cell as usize % nr.max(1));
                since[r] = since[r].min(p);
            }
        }
        axes.set_rows_since(since);
        let mut panel = Panel::new(axes, self.indicators, data, flags, n_facts);
        panel.listed = listed;
        Ok((panel, warnings))
    }
}

impl Block {
    /// (file, line) of the fact that created this block.
    pub fn origin(&self) -> (&str, usize) {
        (&self.origin.0, self.origin.1)
    }
}

/// 1234567 as "1,234,567".
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Cells of f64 as a size: "3.2 GB".
pub fn bytes(cells: usize) -> String {
    let b = cells as f64 * 8.0;
    if b >= 1e9 { format!("{:.1} GB", b / 1e9) } else { format!("{:.0} MB", (b / 1e6).max(1.0)) }
}

/// Two short byte strings are equal (an inlined loop: no library call per field).
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[inline]
pub fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// glibc raises its mmap threshold each time a large buffer is freed, and with it the
/// size it serves from its heap. A fixed threshold of 8 MiB keeps what the load allocates
/// and frees again and again (a Parquet page decompressed, a column chunk read, a CSV
/// chunk) in the heap, reused without faulting pages in, while a buffer past it is still
/// given back when freed. The blocks, which hold the panel until `finish` has copied it,
/// are mapped apart ([`MappedWords`]) and returned to the system as soon as copied.
fn pin_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; any value is valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 8 << 20);
    }
    limit_arenas();
}

/// Series-sized buffers (27 MB per indicator at 160,000 towns) come from the heap once
/// loading is done (see [`reuse_freed_memory`]); each thread's own arena keeps what it
/// freed for itself, so with an arena per thread the peak is the sum of every thread's
/// own peak. One arena per four cores shares them: at 160,000 towns on 2 cores the peak
/// RSS fell from 1.16 to 1.05 GB, with no change in time (small allocations are served
/// from glibc's per-thread caches without the arena lock).
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let arenas = cores.div_ceil(4).clamp(1, 8) as libc::c_int;
        // SAFETY: mallopt only changes allocator tuning; any value is valid.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// After loading, kernels allocate and free series-sized buffers again and again:
/// serving them from the heap (instead of a fresh mmap each time, every page faulted
/// in and zeroed) makes a chain of kernels about twice as fast.
fn reuse_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; any value is valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// How many cells of `header` there are up to the last that names a column (0 where none
/// does).
pub(crate) fn named_columns<S: AsRef<str>>(header: &[S]) -> usize {
    header.iter().rposition(|h| !h.as_ref().trim().is_empty()).map_or(0, |i| i + 1)
}

/// The first cell of a row (`fields`) past the header's last named column (`named`) that
/// holds something, with the refusal: (its 1-based column, the message). An empty header
/// cell Excel left at the end of the header (`…,常住人口,`) let a row of one more field
/// pass the width check, so a figure written with an unquoted thousands comma (`1,234`)
/// moved every cell after it one column right: gdp 1 and 常住人口 234, the 5000 after it
/// dropped.
pub(crate) fn unnamed_cell<F: AsRef<[u8]>>(named: usize, fields: &[F]) -> Option<(usize, String)> {
    let f = (named..fields.len()).find(|&f| !fields[f].as_ref().trim_ascii().is_empty())?;
    let text = String::from_utf8_lossy(fields[f].as_ref()).trim().to_string();
    Some((
        f + 1,
        format!(
            "cell \"{text}\" stands under no header: the header names {named} columns, this row has a cell in column {}; a \
             figure written with an unquoted thousands comma (1,234) parts into two cells and moves the cells after it one \
             column right: write 1234 or \"1,234\", or name the column in the header",
            f + 1
        ),
    ))
}

/// Whether a column's header names marks or words beside a figure (flag, 标注, note, 备注,
/// 说明, 来源, 标志, remark, source, 脚注, 口径, 填报人, 核实情况, memo), never figures of its
/// own: only there do three digits
/// after the value tell a parted `1,234` (a column `上年同期` of figures holds 100 beside 120).
pub(crate) fn holds_marks(header: &str) -> bool {
    let h = header.trim().to_lowercase();
    [
        "flag",
        "note",
        "remark",
        "source",
        "comment",
        "status",
        "quality",
        "memo",
        "description",
        "explanation",
        "标注",
        "备注",
        "说明",
        "来源",
        "标志",
        "注释",
        "附注",
        "脚注",
        "尾注",
        "注解",
        "注明",
        "标记",
        "标识",
        "状态",
        "质量",
        "属性",
        "批注",
        "审核",
        "口径",
        "填报",
        "填表",
        "核实",
        "核查",
        "情况",
        "负责人",
        "联系人",
        "经办人",
        "制表人",
        "签字",
        "意见",
    ]
    .iter()
    .any(|w| h.contains(w))
        || h == "注"
}

/// A figure an unquoted thousands comma parted in two (`1,234`, `12,345.6`): a value of
/// one to three digits and, in the column right after it (a flag, a note), three digits
/// with or without decimals. It loaded 1 (or 12) and the rest went to the flag or was
/// dropped. The refusal, naming the figure to write; None for any other pair.
pub(crate) fn thousands_parted(value: &[u8], next: &[u8]) -> Option<String> {
    let digits = value.strip_prefix(b"-").unwrap_or(value);
    let (group, decimals) = match next.iter().position(|&b| b == b'.') {
        Some(p) => (&next[..p], &next[p + 1..]),
        None => (next, &next[next.len()..]),
    };
    let parted = (1..=3).contains(&digits.len())
        && digits.iter().all(u8::is_ascii_digit)
        && group.len() == 3
        && group.iter().all(u8::is_ascii_digit)
        && decimals.iter().all(u8::is_ascii_digit)
        && (decimals.is_empty() || next.len() > 4);
    if !parted {
        return None;
    }
    let (v, g) = (String::from_utf8_lossy(value), String::from_utf8_lossy(next));
    Some(format!(
        "\"{g}\" right after the value {v}: is the figure {v},{g} written with an unquoted thousands comma? Write {v}{} or \
         \"{v},{g}\"",
        g
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yearbook_core::region::RegionRecord;

    #[test]
    fn a_header_of_one_months_own_figures() {
        for h in ["本月", "当月完成", "当月（万元）", "本季", "本月数"] {
            assert!(says_single_period(h), "{h}");
        }
        for h in ["本年累计", "本月累计", "当月增速", "本月比上年同月增长", "当月同比", "上年同月", "数值"] {
            assert!(!says_single_period(h), "{h}");
        }
    }

    fn builder() -> (PanelBuilder, FactColumns, SourceIndicators) {
        let rec = |code: &str, level: &str, parent: &str| RegionRecord {
            code: code.into(),
            name: code.into(),
            level: level.into(),
            parent: parent.into(),
            line: 0,
        };
        let regions = Regions::build(
            vec!["county".into(), "town".into()],
            vec![rec("c", "county", ""), rec("t1", "town", "c"), rec("t2", "town", "c")],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let gdp = Indicator {
            code: "gdp".into(),
            label: "地区生产总值".into(),
            unit: yearbook_core::unit::Unit::parse("万元"),
            kind: yearbook_core::indicator::Kind::Flow,
            rollup: yearbook_core::indicator::Rollup::Sum,
            rollup_written: false,
            note: String::new(),
        };
        let mut b = PanelBuilder::new(regions, vec![gdp]);
        b.declare_frequency(Frequency::Year);
        b.begin_file("facts.csv");
        let header: Vec<String> = ["region", "year", "indicator", "value"].iter().map(|s| s.to_string()).collect();
        let cols = FactColumns::resolve("facts.csv", &header, 1, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let inds = b.source_indicators(None, None);
        (b, cols, inds)
    }

    fn fact<'a>(region: &'a str, value: &'a str) -> [&'a [u8]; 4] {
        [region.as_bytes(), b"2020", b"gdp", value.as_bytes()]
    }

    /// Two threads that give one key in the same batch each claim it in their own bits:
    /// the merge of the second finds it, the loader is told (an order-dependent error),
    /// and a panel is never assembled from it.
    #[test]
    fn a_key_two_threads_give_in_one_batch_is_found_when_their_claims_merge() {
        let (b, cols, inds) = builder();
        let (mut one, mut two) = (BlockCache::default(), BlockCache::default());
        // Each thread's first fact of the block goes the general way; the second thread's
        // next one (the region after, in the regions file's order) the cached way.
        assert!(b.ingest(&cols, &inds, &mut one, &fact("t1", "1"), 2).is_ok());
        assert!(b.ingest(&cols, &inds, &mut two, &fact("c", "9"), 3).is_ok());
        assert!(b.ingest_plain(&cols, &inds, &mut two, &fact("t1", "2")), "the cached way stores it: not merged yet");
        // A thread's own repeat is an error at once.
        let own = b.ingest(&cols, &inds, &mut one, &fact("t1", "3"), 6).err().map(|e| e.message);
        assert_eq!(own.as_deref(), Some("duplicate fact for (t1, 2020, gdp)"));
        assert_eq!(b.merged_repeat(), None, "nothing merged yet");
        drop(one);
        drop(two);
        assert_eq!(b.merged_repeat().as_deref(), Some("duplicate fact for (t1, 2020, gdp)"));
        assert!(b.order_dependent(), "the file is read again in order to place it");
        let e = b.finish(None).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.ends_with("duplicate fact for (t1, 2020, gdp)"), "{e}");
    }

    /// A cache still alive at assembly may hold claims not merged into the blocks' seen
    /// bits: the panel is refused, never assembled without their figures.
    #[test]
    fn a_panel_is_not_assembled_while_a_cache_holds_a_block() {
        let (b, cols, inds) = builder();
        let mut one = BlockCache::default();
        assert!(b.ingest(&cols, &inds, &mut one, &fact("t1", "1"), 2).is_ok());
        let e = b.finish(None).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("internal error: a loader still held part of the panel when it was assembled"), "{e}");
        drop(one);
    }

    /// After a merge, a key is taken for every thread at once (no batch to wait for).
    #[test]
    fn a_merged_key_is_taken_at_once() {
        let (b, cols, inds) = builder();
        let mut one = BlockCache::default();
        assert!(b.ingest(&cols, &inds, &mut one, &fact("t1", "1"), 2).is_ok());
        drop(one);
        let mut two = BlockCache::default();
        let e = b.ingest(&cols, &inds, &mut two, &fact("t1", "2"), 3).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("duplicate fact for (t1, 2020, gdp)"));
        assert!(b.ingest(&cols, &inds, &mut two, &fact("t2", "2"), 4).is_ok());
        drop(two);
        assert_eq!(b.merged_repeat(), None);
        let (panel, _) = b.finish(None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(panel.n_facts, 2);
    }
}
