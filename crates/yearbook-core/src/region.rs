//! The region tree: code, name, level and parent of every region, in file order.

use crate::suggest::did_you_mean;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// No parent / no ancestor at a level.
pub const NONE: u32 = u32::MAX;

/// The region tree: codes, names, levels and parents, one entry per region (index = row of the panel).
#[derive(Debug, Clone, Default)]
pub struct Regions {
    /// Region codes (unique).
    pub codes: Vec<String>,
    /// Region names (may repeat across the tree).
    pub names: Vec<String>,
    /// Index into `levels` (0 = top).
    pub level: Vec<u8>,
    /// The parent's index (`u32::MAX` for a top region).
    pub parent: Vec<u32>,
    /// Level names, top first (province, city, county, town, village).
    pub levels: Vec<String>,
    /// Region ids by code: the table holds only the ids (4 bytes a region), the codes
    /// are read from `codes` (a map of its own copies held ~130 bytes a region, 21 MB at
    /// 171,000 regions).
    by_code: HashTable<u32>,
    /// The codes again, end to end (`code_end[i]` is where region `i`'s ends), for the
    /// lookups: 43,000 codes in 300 KB that stay in cache, where each `String` of `codes`
    /// is an allocation of its own and a loader's lookup missed the cache on each.
    code_text: Vec<u8>,
    code_end: Vec<u32>,
    /// The first region of each name; `next_of_name` chains the others, in file order
    /// (two 市辖区 are two regions).
    by_name: HashTable<u32>,
    next_of_name: Vec<u32>,
}

/// The hash of a code or name (its bytes).
fn hash(key: &[u8]) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// One region as read from a file, with the line it came from.
pub struct RegionRecord {
    /// The region code.
    pub code: String,
    /// The region name.
    pub name: String,
    /// The level's name (`town`).
    pub level: String,
    /// The parent's code (empty for a top region).
    pub parent: String,
    /// The line in regions.csv, for messages.
    pub line: usize,
}

/// A number in the scientific notation Excel shows a long code in (`3.30421E+11`, `3.3042E+11`),
/// as the digits it stands for (`330421000000`) and how many of them are the code's own;
/// None for anything else.
pub fn excel_shortened(key: &str) -> Option<(String, usize)> {
    let (mantissa, exp) = key.trim().split_once(['E', 'e'])?;
    let exp: usize = exp.strip_prefix('+').unwrap_or(exp).parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.len() != 1 || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit()) || frac.len() > exp || !(5..=20).contains(&exp) {
        return None;
    }
    Some((format!("{int}{frac}{}", "0".repeat(exp - frac.len())), 1 + frac.len()))
}

impl Regions {
    /// Builds and checks the tree. Errors are (line, column, message).
    pub fn build(levels: Vec<String>, records: Vec<RegionRecord>) -> Result<Regions, (usize, usize, String)> {
        let n = records.len();
        let mut r = Regions {
            levels,
            codes: Vec::with_capacity(n),
            names: Vec::with_capacity(n),
            level: Vec::with_capacity(n),
            parent: Vec::with_capacity(n),
            next_of_name: Vec::with_capacity(n),
            by_code: HashTable::with_capacity(n),
            // Sized once: names are mostly distinct, and growing by rehashing cost as
            // much as the inserts (42,888 regions).
            by_name: HashTable::with_capacity(n),
            code_end: Vec::with_capacity(n),
            ..Default::default()
        };
        let mut lines = Vec::with_capacity(n);
        let mut last: Vec<u32> = Vec::with_capacity(n);
        // Each record's parent and line, for the second pass; its code and name move
        // into the regions.
        let mut parents: Vec<(String, usize)> = Vec::with_capacity(n);
        for rec in records {
            if rec.code.is_empty() {
                return Err((rec.line, 1, "region code is empty".into()));
            }
            let lvl = match r.levels.iter().position(|l| *l == rec.level) {
                Some(l) => l as u8,
                None => {
                    let hint = did_you_mean(&rec.level, r.levels.iter().map(String::as_str));
                    return Err((
                        rec.line,
                        3,
                        format!("unknown level \"{}\" (levels are {}; set `levels` in [workspace]){hint}", rec.level, r.levels.join(", ")),
                    ));
                }
            };
            let id = r.codes.len() as u32;
            if let Some(prev) = r.id_of_code(rec.code.as_bytes()) {
                return Err((rec.line, 1, format!("duplicate region code \"{}\" (first at line {})", rec.code, lines[prev as usize])));
            }
            let codes = &r.codes;
            r.by_code.insert_unique(hash(rec.code.as_bytes()), id, |&i| hash(codes[i as usize].as_bytes()));
            r.code_text.extend_from_slice(rec.code.as_bytes());
            r.code_end.push(
                u32::try_from(r.code_text.len()).map_err(|_| (rec.line, 1, "the region codes are longer than 4 GB in all".to_string()))?,
            );
            // A name seen before: this region goes at the end of its chain (`last`, by
            // the chain's first region: 100,000 regions without a name are one chain).
            r.next_of_name.push(NONE);
            last.push(id);
            match r.first_of_name(&rec.name) {
                Some(first) => {
                    r.next_of_name[last[first as usize] as usize] = id;
                    last[first as usize] = id;
                }
                None => {
                    let names = &r.names;
                    // `rec.name` is pushed below; until then the new id hashes as it.
                    let name_of = |i: u32| if i == id { rec.name.as_bytes() } else { names[i as usize].as_bytes() };
                    r.by_name.insert_unique(hash(rec.name.as_bytes()), id, |&i| hash(name_of(i)));
                }
            }
            r.codes.push(rec.code);
            r.names.push(rec.name);
            r.level.push(lvl);
            r.parent.push(NONE);
            lines.push(rec.line);
            parents.push((rec.parent, rec.line));
        }
        for (i, (parent, line)) in parents.iter().enumerate() {
            if parent.is_empty() {
                continue;
            }
            let p = r.id_of_code(parent.as_bytes()).ok_or_else(|| {
                let hint = did_you_mean(parent, r.codes.iter().map(String::as_str));
                (*line, 4, format!("unknown parent region \"{parent}\"{hint}"))
            })?;
            if r.level[p as usize] >= r.level[i] {
                return Err((
                    *line,
                    4,
                    format!(
                        "parent \"{parent}\" ({}) is not above \"{}\" ({}) in the level order {}",
                        r.levels[r.level[p as usize] as usize],
                        r.codes[i],
                        r.levels[r.level[i] as usize],
                        r.levels.join(" > ")
                    ),
                ));
            }
            r.parent[i] = p;
        }
        // Levels strictly decrease towards the root, so the tree has no cycle.
        Ok(r)
    }

    /// The first region without a parent below the level of another one without a parent
    /// (丙镇, a town with an empty parent cell, beside 某县 at the top), with that top
    /// region: its county's totals would leave it out without a word (review33 05). Tops
    /// are the regions without a parent that have regions under them. None where those
    /// are all of one level (a file that starts at its counties, whatever levels are
    /// declared above them). A tree of official codes may
    /// hang a town whose county and city are not listed at its top: the loader asks this
    /// only of a file that gives each parent.
    pub fn parentless_below_top(&self) -> Option<(u32, u32)> {
        // A top with regions under it: a benchmark region listed alone (浙江省's own
        // figure beside a county's tree) is no top the county was meant to hang from.
        let mut has_children = vec![false; self.len()];
        for &p in &self.parent {
            if let Some(h) = has_children.get_mut(p as usize) {
                *h = true;
            }
        }
        let top = (0..self.len()).filter(|&i| self.parent[i] == NONE && has_children[i]).min_by_key(|&i| self.level[i])?;
        let below = (0..self.len()).find(|&i| self.parent[i] == NONE && self.level[i] > self.level[top])?;
        Some((below as u32, top as u32))
    }
    /// How many regions.
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    /// Whether there are no regions.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    /// Region id by code (bytes: used by the loader's hot loop).
    #[inline]
    pub fn id_of_code(&self, code: &[u8]) -> Option<u32> {
        self.by_code.find(hash(code), |&i| self.code_bytes(i) == Some(code)).copied()
    }
    /// The first region (in file order) of a name.
    fn first_of_name(&self, name: &str) -> Option<u32> {
        self.by_name.find(hash(name.as_bytes()), |&i| self.names[i as usize] == name).copied()
    }
    /// Every region of a name, in file order.
    pub fn ids_of_name(&self, name: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut cur = self.first_of_name(name).unwrap_or(NONE);
        while cur != NONE {
            out.push(cur);
            cur = self.next_of_name[cur as usize];
        }
        out
    }
    /// Region id by code, trying `guess` first (a file in the regions file's order).
    #[inline]
    pub fn id_of_code_after(&self, guess: u32, code: &[u8]) -> Option<u32> {
        if self.has_code(guess, code) { Some(guess) } else { self.id_of_code(code) }
    }
    /// Whether region `id` has this code: the loader's guess that a file lists regions in
    /// the regions file's order (the one after the previous row's), checked before a
    /// lookup. False for an id out of range.
    #[inline]
    pub fn has_code(&self, id: u32, code: &[u8]) -> bool {
        self.code_bytes(id) == Some(code)
    }
    /// Region `id`'s code from the packed copy (None: no such region).
    #[inline]
    fn code_bytes(&self, id: u32) -> Option<&[u8]> {
        let id = id as usize;
        let end = *self.code_end.get(id)? as usize;
        let start = if id == 0 { 0 } else { self.code_end[id - 1] as usize };
        self.code_text.get(start..end)
    }
    /// Region id by code or by name, with suggestions when neither matches. A code wins
    /// over a name; a name that several regions share is an error listing each of them
    /// with its code and parent (never the first match).
    pub fn find(&self, key: &str) -> Result<u32, String> {
        if let Some(i) = self.id_of_code(key.as_bytes()) {
            return Ok(i);
        }
        // An official code of a county or above in the other length (330421000000 where
        // the regions file lists 330421, or the reverse): the same region (review35 09).
        if let Some(i) = official_other_length(key).and_then(|k| self.id_of_code(k.as_bytes())) {
            return Ok(i);
        }
        // A blank cell names no region, not one whose name is blank.
        if key.trim().is_empty() {
            return Err("the region is empty: give a region code or name".to_string());
        }
        match self.ids_of_name(key).as_slice() {
            [one] => return Ok(*one),
            many if many.len() > 1 => {
                let list: Vec<String> = many
                    .iter()
                    .map(|&i| {
                        let parent = self.parent[i as usize];
                        let within = if parent == NONE {
                            String::new()
                        } else {
                            format!(", in {} {}", self.label(parent), self.codes[parent as usize])
                        };
                        format!("{} ({}{within})", self.codes[i as usize], self.levels[self.level[i as usize] as usize])
                    })
                    .collect();
                return Err(format!("the name \"{key}\" matches {} regions: {}; use the region's code", many.len(), list.join("; ")));
            }
            _ => {}
        }
        // A total's label (合计, 合计：, 合计①, 全县汇总, Total), read as the record-table
        // reader reads one ([`crate::total_label::total_word`]); a name-like word (数据汇总)
        // or an average is no total row here.
        if crate::total_label::total_word(key).is_some_and(|(kind, _, name_like)| {
            !name_like && matches!(kind, crate::total_label::Total::All | crate::total_label::Total::Group)
        }) {
            return Err(format!(
                "unknown region \"{key}\": a total row is no region; the workspace totals the regions itself (rollup): delete the \
                 row, or write the code of the region it is the total of (the county, the town)"
            ));
        }
        // A row for the whole region (全县, 全镇): its total, or its own figures.
        if let Some(whole) = crate::total_label::WHOLE.iter().find(|w| key.trim() == **w) {
            let top: Vec<String> = (0..self.len())
                .filter(|&i| self.parent[i] == NONE)
                .map(|i| format!("{} ({})", self.codes[i], self.label(i as u32)))
                .collect();
            return Err(format!(
                "unknown region \"{key}\": a row for the whole region ({whole}) is its total, which the workspace makes itself \
                 (rollup): delete the row, or write the region's code ({}) where these are its own figures (with its units not \
                 in any town)",
                top.join(", ")
            ));
        }
        if let Some((n, kept)) = excel_shortened(key) {
            return Err(format!(
                "unknown region \"{key}\": Excel shortened a long region code to scientific notation (it reads as {n}; the \
                 digits after the first {kept} are lost); the code column must be formatted as text: in Excel set the column's format \
                 to Text before the codes are pasted or imported, then save the file again (or give region names instead)",
            ));
        }
        // A code as Excel or a form wrote it: full-width digits, the text formula ="…", a
        // leading apostrophe, a number's .0. Said as what it is, never a near code.
        let t = key.trim();
        let spelled = [
            (
                "in full-width digits",
                t.chars()
                    .map(|c| {
                        if ('０'..='９').contains(&c) || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c) {
                            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect::<String>(),
            ),
            ("as Excel's text formula =\"…\"", t.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')).unwrap_or(t).to_string()),
            ("after an apostrophe (Excel's mark of text)", t.strip_prefix(['\'', '‘', '’']).unwrap_or(t).to_string()),
            ("as a number with decimals", t.strip_suffix(".0").filter(|r| r.bytes().all(|b| b.is_ascii_digit())).unwrap_or(t).to_string()),
        ];
        if let Some((how, code)) = spelled.iter().find(|(_, c)| c != t && self.id_of_code(c.as_bytes()).is_some()) {
            return Err(format!(
                "unknown region \"{key}\": it is the code {code} written {how}; write the code's plain digits (in Excel, format \
                 the column as Text and type the code, or save the sheet as CSV)"
            ));
        }
        let hint = did_you_mean(key, self.codes.iter().chain(self.names.iter()).map(String::as_str));
        // A pasted cell of thousands of characters is named by its start and length.
        let n = key.chars().count();
        if n > 80 {
            let start: String = key.chars().take(40).collect();
            return Err(format!("unknown region \"{start}…\" ({n} characters){hint}"));
        }
        Err(format!("unknown region \"{key}\"{hint}"))
    }
    /// Level index by name, with suggestions.
    pub fn find_level(&self, name: &str) -> Result<u8, String> {
        self.levels.iter().position(|l| l == name).map(|l| l as u8).ok_or_else(|| {
            let hint = did_you_mean(name, self.levels.iter().map(String::as_str));
            format!("unknown level \"{name}\" (levels are {}){hint}", self.levels.join(", "))
        })
    }
    /// For each region, its ancestor at `level` (itself when at that level), or NONE.
    pub fn ancestors_at(&self, level: u8) -> Vec<u32> {
        let mut out = vec![NONE; self.len()];
        for (i, slot) in out.iter_mut().enumerate() {
            let mut cur = i as u32;
            while cur != NONE && self.level[cur as usize] > level {
                cur = self.parent[cur as usize];
            }
            if cur != NONE && self.level[cur as usize] == level {
                *slot = cur;
            }
        }
        out
    }
    /// The groups a report on region `top` places regions in (`rank` and `top` within a
    /// report): every region under `top` in group `top` (so regions of one level under it
    /// rank among one another, as `ranking()` lists them), `top` and its siblings (same
    /// parent, or the other top regions) in one group of their own (its place among them,
    /// as the indicator table's 位次), every other region in none ([`NONE`]). `None` where
    /// the report covers every region (`top` is the one top of the tree): nothing to narrow.
    pub fn report_groups(&self, top: u32) -> Option<Vec<u32>> {
        let n = self.len();
        if top as usize >= n {
            return None;
        }
        let parent_of = |i: usize| self.parent[i];
        let up = parent_of(top as usize);
        if up == NONE && (0..n).all(|i| i == top as usize || parent_of(i) != NONE) {
            return None;
        }
        let siblings_group = if up == NONE { NONE - 1 } else { up };
        let mut out = vec![NONE; n];
        for (i, slot) in out.iter_mut().enumerate() {
            if parent_of(i) == up {
                *slot = siblings_group;
                continue;
            }
            // Walk up at most `n` steps: the tree is checked acyclic at load, and a walk
            // never loops whatever it holds.
            let mut cur = parent_of(i);
            for _ in 0..n {
                if cur == NONE || cur as usize >= n {
                    break;
                }
                if cur == top {
                    *slot = top;
                    break;
                }
                cur = parent_of(cur as usize);
            }
        }
        Some(out)
    }
    /// Display label: the name, or the code when there is no name.
    pub fn label(&self, i: u32) -> &str {
        let n = &self.names[i as usize];
        if n.is_empty() { &self.codes[i as usize] } else { n }
    }
    /// [`Regions::label`], with the code where another region has the same name (two
    /// 新村 under different towns: `新村 (01010201)`), as a note names a region.
    pub fn label_unique(&self, i: u32) -> String {
        let name = self.label(i);
        if self.names[i as usize].is_empty() || self.next_of_name[i as usize] == NONE && self.first_of_name(name) == Some(i) {
            name.to_string()
        } else {
            format!("{name} ({})", self.codes[i as usize])
        }
    }
}

/// The other length of an official 统计用区划代码 of a county or above: 330421 for
/// 330421000000 and the reverse; None for any other key (a town's 12 digits, a name).
fn official_other_length(key: &str) -> Option<String> {
    let k = key.trim();
    if !k.bytes().all(|b| b.is_ascii_digit()) || k.starts_with("00") {
        return None;
    }
    match k.len() {
        12 if k.ends_with("000000") => Some(k[..6].to_string()),
        6 => Some(format!("{k}000000")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(code: &str, name: &str, level: &str, parent: &str, line: usize) -> RegionRecord {
        RegionRecord { code: code.into(), name: name.into(), level: level.into(), parent: parent.into(), line }
    }

    #[test]
    fn codes_and_names_are_found_and_shared_names_listed_in_file_order() {
        let levels = vec!["county".to_string(), "district".to_string()];
        let r = Regions::build(
            levels,
            vec![
                rec("c1", "甲县", "county", "", 2),
                rec("d1", "市辖区", "district", "c1", 3),
                rec("c2", "乙县", "county", "", 4),
                rec("d2", "市辖区", "district", "c2", 5),
                rec("d3", "", "district", "c2", 6),
                rec("d4", "", "district", "c1", 7),
            ],
        )
        .unwrap();
        assert_eq!(r.id_of_code(b"d2"), Some(3));
        assert_eq!(r.id_of_code(b"d9"), None);
        assert_eq!(r.ids_of_name("市辖区"), [1, 3]);
        assert_eq!(r.ids_of_name(""), [4, 5]);
        // A shared name is said with its code; a name of its own, or none, as it is.
        assert_eq!(
            [r.label_unique(0), r.label_unique(1), r.label_unique(3), r.label_unique(4)],
            ["甲县", "市辖区 (d1)", "市辖区 (d2)", "d3"]
        );
        assert_eq!(r.ids_of_name("丙县"), Vec::<u32>::new());
        assert_eq!(r.find("乙县"), Ok(2));
        assert_eq!(r.find("d4"), Ok(5));
        assert_eq!(
            r.find("市辖区"),
            Err("the name \"市辖区\" matches 2 regions: d1 (district, in 甲县 c1); d2 (district, in 乙县 c2); use the region's code".into())
        );
        assert_eq!(r.parent, [NONE, 0, NONE, 2, 2, 0]);
        // A blank key is no region, though two regions have a blank name.
        assert_eq!(r.find(""), Err("the region is empty: give a region code or name".into()));
        assert_eq!(r.find("  "), Err("the region is empty: give a region code or name".into()));
    }

    #[test]
    fn a_duplicate_code_names_the_first_line() {
        let levels = vec!["town".to_string()];
        let e = Regions::build(levels, vec![rec("t1", "甲镇", "town", "", 2), rec("t1", "乙镇", "town", "", 3)]).unwrap_err();
        assert_eq!(e, (3, 1, "duplicate region code \"t1\" (first at line 2)".to_string()));
    }

    /// 100,000 regions without a name are one chain, appended at its end in one step each.
    #[test]
    fn many_regions_of_one_name() {
        let n = 100_000;
        let recs = (0..n).map(|i| rec(&format!("v{i}"), "", "village", "", i + 2)).collect();
        let r = Regions::build(vec!["village".to_string()], recs).unwrap();
        let ids = r.ids_of_name("");
        assert_eq!(ids.len(), n);
        assert!(ids.windows(2).all(|w| w[0] + 1 == w[1]));
        assert_eq!(r.id_of_code(b"v99999"), Some(99_999));
    }
}
