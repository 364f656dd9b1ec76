//! The names a workspace knows, by kind, each with what to show about it (a signature
//! or a label and unit, and a doc): what the REPL and the language server complete and
//! describe, from one list.

use crate::complete::ContextWords;
use crate::workspace::Workspace;

/// What a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameKind {
    /// A function: registered by yearbook, or defined in a standard or config script.
    Function,
    /// An indicator loaded from the data (by code, a namespaced code, or its label).
    Indicator,
    /// A derived indicator (`[indicators.<id>]`).
    Derived,
    /// A region, by code or name.
    Region,
    /// A level of the region tree.
    Level,
    /// A record table.
    Table,
    /// A column of a record table.
    Column,
}

/// One name and what to show about it.
#[derive(Debug, Clone)]
pub struct Name {
    /// The name as a script writes it.
    pub name: String,
    /// What it stands for.
    pub kind: NameKind,
    /// One line: a function's signature, an indicator's label and unit, a region's level.
    pub detail: String,
    /// More, in Markdown (a function's doc, an indicator's roll-up and note, a derived
    /// indicator's expression); may be empty.
    pub doc: String,
}

/// Every name of a workspace ([`Names::of`]) and the words string arguments take.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Functions, indicators, regions, levels, tables and columns, sorted by name.
    pub all: Vec<Name>,
    /// Levels, tables, regions, columns, periods and units, for string arguments.
    pub context: ContextWords,
}

impl Names {
    /// The names `ws` knows: the engine's documented functions, the script library's
    /// functions, loaded and derived indicators, regions, levels, tables and columns.
    pub fn of(ws: &Workspace) -> Names {
        let mut all = Vec::new();
        let name = |name: &str, kind, detail: String, doc: String| Name { name: name.to_string(), kind, detail, doc };
        for (fname, list) in yearbook_script::docs::function_help(&ws.program.engine) {
            for (sig, doc) in list {
                all.push(name(&fname, NameKind::Function, sig, doc));
            }
        }
        for f in crate::bindings::fn_docs(ws.program.library()) {
            let sig = format!("{}({})", f.name, f.params.join(", "));
            all.push(name(&f.name, NameKind::Function, sig, f.doc));
        }
        let p = ws.panel();
        // A label two indicators share names neither.
        let mut labels: std::collections::HashMap<&str, usize> = Default::default();
        for i in p.indicators.iter().filter(|i| !i.code.contains('.')) {
            *labels.entry(i.label.as_str()).or_default() += 1;
        }
        for i in &p.indicators {
            let detail = format!("{} ({})", if i.label.is_empty() { &i.code } else { &i.label }, i.unit.show());
            let doc = format!("`{}`: {}, roll-up {}{}", i.code, i.kind.name(), i.rollup.describe(), note(&i.note));
            all.push(name(&i.code, NameKind::Indicator, detail.clone(), doc.clone()));
            if !i.label.is_empty()
                && i.label != i.code
                && !i.code.contains('.')
                && labels[i.label.as_str()] == 1
                && is_script_name(&i.label)
            {
                all.push(name(&i.label, NameKind::Indicator, detail, doc));
            }
        }
        for d in &ws.program.indicators.defs {
            let unit = d.unit.as_ref().map(|u| u.show()).unwrap_or_else(|| "unit from its expression".into());
            let rollup = d.rollup.as_ref().map(|r| format!(", roll-up {}", r.describe())).unwrap_or_default();
            let doc = format!("derived indicator `[indicators.{}]`{rollup}\n\n```rhai\n{}\n```", d.id, d.text.trim());
            all.push(name(&d.id, NameKind::Derived, format!("{} ({unit})", d.label), doc));
        }
        let r = p.regions();
        for i in 0..r.len() {
            let level = r.levels.get(r.level[i] as usize).map(String::as_str).unwrap_or("");
            let parent = r.parent[i];
            let under = if parent == yearbook_core::region::NONE { String::new() } else { format!(", in {}", r.label(parent)) };
            let detail = format!("{} ({level}{under})", r.label(i as u32));
            let doc = format!("region `{}`", r.codes[i]);
            all.push(name(&r.codes[i], NameKind::Region, detail.clone(), doc.clone()));
            if !r.names[i].is_empty() && r.names[i] != r.codes[i] {
                all.push(name(&r.names[i], NameKind::Region, detail, doc));
            }
        }
        for l in &r.levels {
            all.push(name(l, NameKind::Level, format!("level {l}"), String::new()));
        }
        for (t, table) in &ws.data.tables {
            let columns = table.column_names();
            all.push(name(t, NameKind::Table, format!("table {t}"), format!("columns: {}", columns.join(", "))));
            for c in columns {
                all.push(name(c, NameKind::Column, format!("column of {t}"), String::new()));
            }
        }
        all.retain(|n| !n.name.is_empty() && !n.name.contains('$'));
        all.sort_by(|a, b| (&a.name, a.kind).cmp(&(&b.name, b.kind)));
        all.dedup_by(|a, b| a.name == b.name && a.kind == b.kind && a.detail == b.detail);
        Names { all, context: context_words(ws) }
    }

    /// The entries named exactly `word`, in kind order.
    pub fn named<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a Name> + 'a {
        let start = self.all.partition_point(|n| n.name.as_str() < word);
        let word = word.to_string();
        self.all[start..].iter().take_while(move |n| n.name == word)
    }

    /// What to show for `word` in Markdown (its signatures, label, unit, doc), or None
    /// when the workspace knows no such name.
    pub fn describe(&self, word: &str) -> Option<String> {
        let parts: Vec<String> = self
            .named(word)
            .map(|n| match n.kind {
                NameKind::Function => format!("```rhai\n{}\n```\n{}", n.detail, n.doc),
                _ if n.doc.is_empty() => format!("**{}**: {}", n.name, n.detail),
                _ => format!("**{}**: {}\n\n{}", n.name, n.detail, n.doc),
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n---\n\n"))
    }
}

/// A label that runs as typed in a script (粮食总产量, not 粮经比例(粮)).
fn is_script_name(label: &str) -> bool {
    !label.starts_with(|c: char| c.is_ascii_digit()) && label.chars().all(|c| c == '_' || c.is_alphanumeric())
}

fn note(n: &str) -> String {
    if n.is_empty() { String::new() } else { format!("; {n}") }
}

/// Words for string arguments (levels, tables, regions, columns, periods, units).
fn context_words(ws: &Workspace) -> ContextWords {
    let p = ws.panel();
    let r = p.regions();
    let mut regions: Vec<String> = r.codes.clone();
    regions.extend(r.names.iter().filter(|n| !n.is_empty()).cloned());
    regions.sort();
    regions.dedup();
    let mut columns: Vec<String> =
        ws.data.tables.values().flat_map(|t| t.column_names().into_iter().map(String::from).collect::<Vec<_>>()).collect();
    columns.sort();
    columns.dedup();
    let mut units: Vec<String> = p.indicators.iter().map(|i| i.unit.symbol.to_string()).filter(|u| !u.is_empty()).collect();
    units.sort();
    units.dedup();
    ContextWords {
        levels: r.levels.clone(),
        tables: ws.data.tables.keys().cloned().collect(),
        regions,
        columns,
        periods: p.periods().iter().map(|x| x.to_string()).collect(),
        units,
    }
}
