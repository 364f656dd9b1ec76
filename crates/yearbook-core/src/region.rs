//! The region tree: code, name, level and parent of every region, in file order.

use crate::suggest::did_you_mean;
use rustc_hash::FxHashMap;

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
    by_code: FxHashMap<Box<[u8]>, u32>,
    /// Every region of a name, in file order (two 市辖区 are two regions).
    by_name: FxHashMap<String, Vec<u32>>,
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
        let mut r = Regions { levels, ..Default::default() };
        let mut lines = Vec::with_capacity(records.len());
        for rec in &records {
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
            if let Some(&prev) = r.by_code.get(rec.code.as_bytes()) {
                return Err((rec.line, 1, format!("duplicate region code \"{}\" (first at line {})", rec.code, lines[prev as usize])));
            }
            r.by_code.insert(rec.code.as_bytes().into(), id);
            r.by_name.entry(rec.name.clone()).or_default().push(id);
            r.codes.push(rec.code.clone());
            r.names.push(rec.name.clone());
            r.level.push(lvl);
            r.parent.push(NONE);
            lines.push(rec.line);
        }
        for (i, rec) in records.iter().enumerate() {
            if rec.parent.is_empty() {
                continue;
            }
            let p = r.by_code.get(rec.parent.as_bytes()).copied().ok_or_else(|| {
                let hint = did_you_mean(&rec.parent, r.codes.iter().map(String::as_str));
                (rec.line, 4, format!("unknown parent region \"{}\"{hint}", rec.parent))
            })?;
            if r.level[p as usize] >= r.level[i] {
                return Err((
                    rec.line,
                    4,
                    format!(
                        "parent \"{}\" ({}) is not above \"{}\" ({}) in the level order {}",
                        rec.parent,
                        r.levels[r.level[p as usize] as usize],
                        rec.code,
                        rec.level,
                        r.levels.join(" > ")
                    ),
                ));
            }
            r.parent[i] = p;
        }
        // Levels strictly decrease towards the root, so the tree has no cycle.
        Ok(r)
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
        self.by_code.get(code).copied()
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
        self.codes.get(id as usize).is_some_and(|c| c.as_bytes() == code)
    }
    /// Region id by code or by name, with suggestions when neither matches. A code wins
    /// over a name; a name that several regions share is an error listing each of them
    /// with its code and parent (never the first match).
    pub fn find(&self, key: &str) -> Result<u32, String> {
        if let Some(i) = self.id_of_code(key.as_bytes()) {
            return Ok(i);
        }
        match self.by_name.get(key).map(Vec::as_slice) {
            Some([one]) => return Ok(*one),
            Some(many) if many.len() > 1 => {
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
        if key.trim().is_empty() {
            return Err("the region is empty: give a region code or name".to_string());
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
        if let Some((n, kept)) = excel_shortened(key) {
            return Err(format!(
                "unknown region \"{key}\": Excel shortened a long region code to scientific notation (it reads as {n}; the \
                 digits after the first {kept} are lost); the code column must be formatted as text: in Excel set the column's format \
                 to Text before the codes are pasted or imported, then save the file again (or give region names instead)",
            ));
        }
        let hint = did_you_mean(key, self.codes.iter().chain(self.names.iter()).map(String::as_str));
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
    /// Display label: the name, or the code when there is no name.
    pub fn label(&self, i: u32) -> &str {
        let n = &self.names[i as usize];
        if n.is_empty() { &self.codes[i as usize] } else { n }
    }
}
