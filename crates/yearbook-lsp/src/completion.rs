//! Completion: inside a string argument the words its function takes (levels in
//! `rollup(s, "`, tables in `table("`, ...), else the workspace's names starting with
//! the word being typed, each with its kind, signature or label, and doc.

use crate::cursor::Cursor;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Documentation, MarkupContent, MarkupKind, TextEdit,
};
use yearbook::complete::{complete_in_string, word_start};
use yearbook::names::{Name, NameKind, Names};

/// The most items one answer carries (a county's thousands of villages); the list is
/// then marked incomplete, and typing more narrows it.
const MAX_ITEMS: usize = 1000;

/// The completion list at `c`.
pub(crate) fn complete(names: &Names, c: &Cursor) -> CompletionList {
    let line_start = c.script[..c.at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &c.script[line_start..c.at];
    let pos = line.len();
    if let Some((start, words)) = complete_in_string(&names.context, line, pos) {
        let range = c.range(line_start + start, c.at);
        let items = words
            .into_iter()
            .map(|w| CompletionItem {
                label: w.clone(),
                kind: Some(CompletionItemKind::VALUE),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, w))),
                ..Default::default()
            })
            .collect();
        return CompletionList { is_incomplete: false, items };
    }
    let start = word_start(line, pos);
    let word = line[start..].trim_start_matches([':', '.']);
    let start = pos - word.len();
    let range = c.range(line_start + start, c.at);
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut group: Vec<&Name> = Vec::new();
    let matching = names.all.iter().filter(|n| n.name.starts_with(word) && (word.contains('.') || !n.name.contains('.')));
    for n in matching {
        if group.last().is_some_and(|g| g.name != n.name || g.kind != n.kind) {
            items.push(item(&group, range));
            group.clear();
        }
        group.push(n);
    }
    if !group.is_empty() {
        items.push(item(&group, range));
    }
    let is_incomplete = items.len() > MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    CompletionList { is_incomplete, items }
}

/// One item for the entries of one name and kind (a function's overloads).
fn item(group: &[&Name], range: lsp_types::Range) -> CompletionItem {
    let first = group[0];
    let detail = match group.len() {
        1 => first.detail.clone(),
        n => format!("{} (+{} more)", first.detail, n - 1),
    };
    let doc: Vec<String> = group
        .iter()
        .map(|n| if n.kind == NameKind::Function { format!("```rhai\n{}\n```\n{}", n.detail, n.doc) } else { n.doc.clone() })
        .filter(|d| !d.is_empty())
        .collect();
    CompletionItem {
        label: first.name.clone(),
        kind: Some(kind(first.kind)),
        detail: Some(detail),
        documentation: (!doc.is_empty())
            .then(|| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: doc.join("\n\n") })),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, first.name.clone()))),
        ..Default::default()
    }
}

fn kind(k: NameKind) -> CompletionItemKind {
    match k {
        NameKind::Function => CompletionItemKind::FUNCTION,
        NameKind::Indicator => CompletionItemKind::VARIABLE,
        NameKind::Derived => CompletionItemKind::FIELD,
        NameKind::Region => CompletionItemKind::CONSTANT,
        NameKind::Level => CompletionItemKind::ENUM_MEMBER,
        NameKind::Table => CompletionItemKind::STRUCT,
        NameKind::Column => CompletionItemKind::PROPERTY,
    }
}
