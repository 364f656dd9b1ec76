//! Hover: the name under the cursor described (a function's signatures and doc, an
//! indicator's label, unit, kind and roll-up, a derived indicator's expression, a
//! region's level).

use crate::cursor::Cursor;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use yearbook::names::Names;

/// What to show for the name at `c`, if the workspace knows it.
pub(crate) fn hover(names: &Names, c: &Cursor) -> Option<Hover> {
    let (start, end) = c.word()?;
    let word = &c.script[start..end];
    // `reported_yoy.gdp` is one name; in `t.sum`, the part under the cursor is.
    let (start, end, text) = match names.describe(word) {
        Some(text) => (start, end, text),
        None => {
            let dot = word.char_indices().filter(|(_, ch)| *ch == '.').map(|(i, _)| start + i).rfind(|&d| d < c.at);
            let s = dot.map(|d| d + 1).unwrap_or(start);
            let e = c.script[s..end].find('.').map(|i| s + i).unwrap_or(end);
            (s, e, names.describe(&c.script[s..e])?)
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
        range: Some(c.range(start, end)),
    })
}
