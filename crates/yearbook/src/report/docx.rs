//! The report as a Word document (`--format docx`, cargo feature `docx`): built from the
//! same Markdown as report.md and report.html, so every section and template appears in
//! Word with nothing to keep in step. Headings become Word headings (the navigation pane
//! lists them), paragraphs Word paragraphs, Markdown tables Word tables (a shaded header
//! row, numbers right-aligned), inline SVG charts PNG images drawn by resvg; A4 pages with
//! the page number in the footer, and the colophon (制表单位/数据来源/生成日期) at the end.

use yearbook_core::error::Error;

/// Whether this build writes Word documents (the cargo feature `docx`, on by default).
pub const AVAILABLE: bool = cfg!(feature = "docx");

/// The error of `--format docx` in a build without the `docx` feature: what is missing
/// and how to get it.
pub fn unavailable() -> Error {
    Error::usage(
        "--format docx: this yearbook was built without Word output (the cargo feature `docx`, on by default, \
         is left out by --no-default-features); rebuild it with `cargo build --release --features docx`, \
         or write --format html and open report.html in Word or WPS",
    )
}

/// The report's Word document: the zip package's bytes.
#[cfg(not(feature = "docx"))]
pub fn document(_: &super::Composed) -> yearbook_core::error::Result<Vec<u8>> {
    Err(unavailable())
}

#[cfg(feature = "docx")]
pub use word::document;

#[cfg(feature = "docx")]
mod word {
    use super::super::Composed;
    use crate::report::raster;
    use docx_rs::{
        AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, NumPages, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
        Shading, SpecialIndentType, Style, StyleType, Table, TableAlignmentType, TableCell, TableLayoutType, TableRow, VAlignType,
        WidthType,
    };
    use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    use yearbook_core::error::{Error, ErrorKind, Result};

    /// A4 in twips (1/20 pt), portrait.
    const PAGE_W: u32 = 11906;
    const PAGE_H: u32 = 16838;
    /// Margins as the HTML page's `@page`: 20 mm top, 18 mm sides, 22 mm bottom.
    const MARGIN_TOP: i32 = 1134;
    const MARGIN_SIDE: i32 = 1020;
    const MARGIN_BOTTOM: i32 = 1247;
    /// The width text runs in: A4 less both side margins.
    const TEXT_W: usize = PAGE_W as usize - 2 * MARGIN_SIDE as usize;
    /// Body text 12 pt (小四), tables 10.5 pt (五号), in half-points.
    const BODY_SIZE: usize = 24;
    const TABLE_SIZE: usize = 21;
    /// Twips of one half-width character at the table size (5.25 pt), and a cell's
    /// left + right padding.
    const HALF_CHAR: usize = 125;
    const CELL_PAD: usize = 2 * 115;
    /// Charts are drawn at this many pixels per SVG unit (about 290 dpi at print size).
    const CHART_SCALE: f32 = 3.0;
    /// EMU (the unit of image sizes) per twip.
    const EMU_PER_TWIP: u32 = 635;

    /// A run's look: bold, italic, code, colour from the validation section's severities.
    #[derive(Clone, Copy, Default)]
    struct Look {
        bold: usize,
        italic: usize,
        code: bool,
        link: usize,
        color: Option<&'static str>,
    }

    enum Block {
        P(Box<Paragraph>),
        T(Box<Table>),
    }

    /// A Markdown table being read: column alignments, rows of (runs, plain text).
    struct TableState {
        align: Vec<Alignment>,
        rows: Vec<Vec<(Vec<Run>, String)>>,
        head: bool,
    }

    struct Builder {
        blocks: Vec<Block>,
        /// The inline content being read (a paragraph, heading, item or cell).
        runs: Vec<Run>,
        text: String,
        look: Look,
        /// Colours of open `<span class="sev-...">`, innermost last (None: other spans).
        spans: Vec<(Option<&'static str>, usize, usize)>,
        heading: Option<HeadingLevel>,
        /// Open lists: the next number (None: bullets), and whether the current item has
        /// printed its marker.
        lists: Vec<(Option<u64>, bool)>,
        quote: usize,
        code_block: bool,
        table: Option<TableState>,
        /// Inline SVG being collected, from `<svg` to `</svg>`.
        svg: Option<String>,
        html_block: Option<String>,
        charts: usize,
        fonts: &'static raster::Fonts,
    }

    /// The report's Word document: the zip package's bytes.
    pub fn document(c: &Composed) -> Result<Vec<u8>> {
        let mut b = Builder::new();
        b.markdown(&c.markdown)?;
        for (i, line) in c.colophon.iter().enumerate() {
            let p = Paragraph::new()
                .align(AlignmentType::Right)
                .line_spacing(spacing().line(360).before(if i == 0 { 480 } else { 0 }).after(0))
                .add_run(Run::new().add_text(line.as_str()).size(TABLE_SIZE).color("57606A"));
            b.blocks.push(Block::P(Box::new(p)));
        }
        let footer = Footer::new().add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .size(20)
                .add_run(Run::new().add_text("第 ").size(20))
                .add_page_num(PageNum::new())
                .add_run(Run::new().add_text(" 页，共 ").size(20))
                .add_num_pages(NumPages::new())
                .add_run(Run::new().add_text(" 页").size(20)),
        );
        let serif = RunFonts::new().ascii("Times New Roman").hi_ansi("Times New Roman").east_asia("宋体");
        let sans = RunFonts::new().ascii("Arial").hi_ansi("Arial").east_asia("黑体");
        let heading = |id: &str, name: &str, level: usize, size: usize| {
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .outline_lvl(level)
                .size(size)
                .bold()
                .fonts(sans.clone())
                .line_spacing(spacing().line(300).before(if level == 0 { 240 } else { 360 }).after(if level == 0 { 360 } else { 120 }))
        };
        let mut docx = Docx::new()
            .page_size(PAGE_W, PAGE_H)
            .page_margin(
                PageMargin::new().top(MARGIN_TOP).bottom(MARGIN_BOTTOM).left(MARGIN_SIDE).right(MARGIN_SIDE).header(567).footer(567),
            )
            .footer(footer)
            .default_fonts(serif)
            .default_size(BODY_SIZE)
            .default_line_spacing(spacing().line(360).after(120))
            .add_style(heading("Heading1", "heading 1", 0, 36).align(AlignmentType::Center))
            .add_style(heading("Heading2", "heading 2", 1, 32))
            .add_style(heading("Heading3", "heading 3", 2, 28))
            .add_style(heading("Heading4", "heading 4", 3, 24));
        for block in b.blocks {
            docx = match block {
                Block::P(p) => docx.add_paragraph(*p),
                Block::T(t) => docx.add_table(*t),
            };
        }
        let mut out = std::io::Cursor::new(Vec::new());
        docx.pack(&mut out).map_err(|e| Error::new(ErrorKind::Io, format!("report.docx: writing the Word package: {e}")))?;
        Ok(out.into_inner())
    }

    /// Paragraph spacing with proportional line height (`line` in 240ths of a line); an
    /// explicit rule, as LibreOffice reads a missing one as exact (clipping images).
    fn spacing() -> LineSpacing {
        LineSpacing::new().line_rule(LineSpacingType::Auto)
    }

    /// Chinese, Japanese or Korean characters: soft line breaks between them are no space.
    fn wide(c: char) -> bool {
        unicode_width::UnicodeWidthChar::width(c) == Some(2)
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c)
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    }

    fn escape(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    }

    /// The value of `name="..."` in an HTML tag.
    fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        tag[i..].split('"').next()
    }

    /// A cell's text is a number (so it is right-aligned when its column does not say).
    fn numeric(s: &str) -> bool {
        let t = s.trim().trim_end_matches('%').replace(',', "");
        !t.is_empty() && t.parse::<f64>().is_ok()
    }

    impl Builder {
        fn new() -> Builder {
            Builder {
                blocks: Vec::new(),
                runs: Vec::new(),
                text: String::new(),
                look: Look::default(),
                spans: Vec::new(),
                heading: None,
                lists: Vec::new(),
                quote: 0,
                code_block: false,
                table: None,
                svg: None,
                html_block: None,
                charts: 0,
                fonts: raster::Fonts::system(),
            }
        }

        fn markdown(&mut self, md: &str) -> Result<()> {
            let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
            for ev in Parser::new_ext(md, opts) {
                if self.svg.is_some() {
                    self.in_svg(ev)?;
                    continue;
                }
                self.event(ev)?;
            }
            self.flush(false);
            Ok(())
        }

        /// Events inside an inline `<svg>`: its markup back as text until `</svg>`.
        fn in_svg(&mut self, ev: Event) -> Result<()> {
            let Some(svg) = self.svg.as_mut() else { return Ok(()) };
            match ev {
                Event::InlineHtml(h) | Event::Html(h) => {
                    svg.push_str(&h);
                    if h.contains("</svg>") {
                        let s = self.svg.take().unwrap_or_default();
                        self.chart_blocks(&s)?;
                    }
                }
                Event::Text(t) => svg.push_str(&escape(&t)),
                Event::SoftBreak | Event::HardBreak => svg.push('\n'),
                Event::End(TagEnd::Paragraph) => {
                    // The paragraph ended inside the SVG: draw what there is.
                    let s = self.svg.take().unwrap_or_default();
                    self.chart_blocks(&s)?;
                }
                _ => {}
            }
            Ok(())
        }

        fn run(&self, text: &str) -> Run {
            let mut r = Run::new().add_text(text);
            if self.look.bold > 0 {
                r = r.bold();
            }
            if self.look.italic > 0 {
                r = r.italic();
            }
            if self.look.code {
                r = r.fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
            }
            if self.look.link > 0 {
                r = r.underline("single").color("1F6FEB");
            }
            if let Some(c) = self.look.color {
                r = r.color(c);
            }
            if self.table.is_some() {
                r = r.size(TABLE_SIZE);
            }
            r
        }

        fn push_text(&mut self, text: &str) {
            if text.is_empty() {
                return;
            }
            let r = self.run(text);
            self.runs.push(r);
            self.text.push_str(text);
        }

        /// A soft line break: a space between Latin words, nothing between Chinese ones.
        fn soft_break(&mut self) {
            let before = self.text.chars().last();
            if before.is_some_and(|c| !wide(c)) {
                self.push_text(" ");
            }
        }

        /// The inline content read so far as a paragraph of the current kind.
        fn flush(&mut self, force: bool) {
            if self.table.is_some() {
                return;
            }
            if self.runs.is_empty() && !force {
                return;
            }
            let runs = std::mem::take(&mut self.runs);
            let text = std::mem::take(&mut self.text);
            let mut p = Paragraph::new();
            if let Some(level) = self.heading {
                let n = level as usize;
                p = p.style(&format!("Heading{}", n.min(4))).keep_next(true);
            } else if let Some(depth) = (!self.lists.is_empty()).then_some(self.lists.len()) {
                let indent = 420 * depth as i32;
                p = p.indent(Some(indent), Some(SpecialIndentType::Hanging(300)), None, None);
                if let Some((num, marked)) = self.lists.last_mut()
                    && !*marked
                {
                    let marker = match num {
                        Some(n) => {
                            *n += 1;
                            format!("{}.\u{a0}", *n - 1)
                        }
                        None => "•\u{a0}".to_string(),
                    };
                    p = p.add_run(Run::new().add_text(marker));
                    *marked = true;
                }
            } else if self.code_block {
                p = p.line_spacing(spacing().line(240).after(0));
            } else if self.quote > 0 {
                p = p.indent(Some(420 * self.quote as i32), None, None, None);
            } else if !text.trim().is_empty() {
                // 首行缩进两字符, as Chinese reports set their paragraphs.
                p = p.indent(None, Some(SpecialIndentType::FirstLine(2 * BODY_SIZE as i32 * 10)), None, None);
            }
            for r in runs {
                p = p.add_run(r);
            }
            self.blocks.push(Block::P(Box::new(p)));
        }

        fn event(&mut self, ev: Event) -> Result<()> {
            match ev {
                Event::Start(tag) => self.start(tag),
                Event::End(tag) => self.end(tag)?,
                Event::Text(t) => {
                    if self.code_block {
                        // One paragraph per line of a code block.
                        let mut lines = t.split('\n').peekable();
                        while let Some(line) = lines.next() {
                            self.push_text(line);
                            if lines.peek().is_some() {
                                self.flush(true);
                            }
                        }
                    } else {
                        self.push_text(&t);
                    }
                }
                Event::Code(t) => {
                    let was = self.look.code;
                    self.look.code = true;
                    self.push_text(&t);
                    self.look.code = was;
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t),
                Event::SoftBreak => self.soft_break(),
                Event::HardBreak => self.runs.push(Run::new().add_break(BreakType::TextWrapping)),
                Event::Rule => {
                    self.flush(false);
                    self.blocks.push(Block::P(Box::new(Paragraph::new())));
                }
                Event::InlineHtml(h) => self.inline_html(&h)?,
                Event::Html(h) => match self.html_block.as_mut() {
                    Some(b) => b.push_str(&h),
                    None => self.html(&h)?,
                },
                Event::TaskListMarker(done) => self.push_text(if done { "☑ " } else { "☐ " }),
                Event::FootnoteReference(f) => self.push_text(&format!("[{f}]")),
            }
            Ok(())
        }

        fn start(&mut self, tag: Tag) {
            match tag {
                Tag::Paragraph => {}
                Tag::Heading { level, .. } => {
                    self.flush(false);
                    self.heading = Some(level);
                }
                Tag::BlockQuote(_) => {
                    self.flush(false);
                    self.quote += 1;
                }
                Tag::CodeBlock(_) => {
                    self.flush(false);
                    self.code_block = true;
                    self.look.code = true;
                }
                Tag::HtmlBlock => {
                    self.flush(false);
                    self.html_block = Some(String::new());
                }
                Tag::List(start) => {
                    self.flush(false);
                    self.lists.push((start, false));
                }
                Tag::Item => {
                    self.flush(false);
                    if let Some(l) = self.lists.last_mut() {
                        l.1 = false;
                    }
                }
                Tag::Table(align) => {
                    self.flush(false);
                    self.table = Some(TableState { align, rows: Vec::new(), head: false });
                }
                Tag::TableHead => {
                    if let Some(t) = self.table.as_mut() {
                        t.head = true;
                        t.rows.push(Vec::new());
                    }
                }
                Tag::TableRow => {
                    if let Some(t) = self.table.as_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                Tag::TableCell => {
                    self.runs.clear();
                    self.text.clear();
                }
                Tag::Emphasis => self.look.italic += 1,
                Tag::Strong => self.look.bold += 1,
                Tag::Link { .. } => self.look.link += 1,
                Tag::Image { .. } => self.push_text("［图："),
                _ => {}
            }
        }

        fn end(&mut self, tag: TagEnd) -> Result<()> {
            match tag {
                TagEnd::Paragraph => self.flush(false),
                TagEnd::Heading(_) => {
                    self.flush(false);
                    self.heading = None;
                }
                TagEnd::BlockQuote(_) => {
                    self.flush(false);
                    self.quote = self.quote.saturating_sub(1);
                }
                TagEnd::CodeBlock => {
                    self.flush(false);
                    self.code_block = false;
                    self.look.code = false;
                }
                TagEnd::HtmlBlock => {
                    let h = self.html_block.take().unwrap_or_default();
                    self.html(&h)?;
                }
                TagEnd::List(_) => {
                    self.flush(false);
                    self.lists.pop();
                }
                TagEnd::Item => self.flush(false),
                TagEnd::TableCell => {
                    let runs = std::mem::take(&mut self.runs);
                    let text = std::mem::take(&mut self.text);
                    if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                        row.push((runs, text));
                    }
                }
                TagEnd::Table => {
                    if let Some(t) = self.table.take() {
                        // The paragraph that introduces the table (文中列明的项目：) stays on its page.
                        if let Some(Block::P(p)) = self.blocks.last_mut() {
                            let q = std::mem::replace(p.as_mut(), Paragraph::new());
                            **p = q.keep_next(true);
                        }
                        self.blocks.push(Block::T(Box::new(table(t))));
                        // A little space after the table, and a paragraph between two tables.
                        self.blocks.push(Block::P(Box::new(Paragraph::new().line_spacing(spacing().line(240).after(0)))));
                    }
                }
                TagEnd::Emphasis => self.look.italic = self.look.italic.saturating_sub(1),
                TagEnd::Strong => self.look.bold = self.look.bold.saturating_sub(1),
                TagEnd::Link => self.look.link = self.look.link.saturating_sub(1),
                TagEnd::Image => self.push_text("］"),
                _ => {}
            }
            Ok(())
        }

        /// Inline HTML: severity spans (coloured as on the HTML page), line breaks, and the
        /// start of an inline SVG chart; other tags are left out, their text kept.
        fn inline_html(&mut self, h: &str) -> Result<()> {
            let tag = h.trim();
            if tag.starts_with("<svg") {
                self.svg = Some(tag.to_string());
                if tag.contains("</svg>") {
                    let s = self.svg.take().unwrap_or_default();
                    self.chart_blocks(&s)?;
                }
            } else if tag.starts_with("<span") {
                let color = match attr(tag, "class") {
                    Some(c) if c.contains("sev-error") => Some("B42318"),
                    Some(c) if c.contains("sev-warning") => Some("B54708"),
                    Some(c) if c.contains("sev-info") => Some("175CD3"),
                    _ => None,
                };
                let bold = usize::from(color == Some("B42318"));
                let italic = usize::from(color == Some("B54708"));
                self.spans.push((self.look.color, bold, italic));
                if color.is_some() {
                    self.look.color = color;
                }
                self.look.bold += bold;
                self.look.italic += italic;
            } else if tag.starts_with("</span") {
                if let Some((color, bold, italic)) = self.spans.pop() {
                    self.look.color = color;
                    self.look.bold = self.look.bold.saturating_sub(bold);
                    self.look.italic = self.look.italic.saturating_sub(italic);
                }
            } else if tag.starts_with("<br") {
                self.runs.push(Run::new().add_break(BreakType::TextWrapping));
            }
            Ok(())
        }

        /// An HTML block: its SVG charts as images, its other text as paragraphs.
        fn html(&mut self, h: &str) -> Result<()> {
            let mut rest = h;
            while let Some(i) = rest.find("<svg") {
                self.html_text(&rest[..i]);
                let tail = &rest[i..];
                let end = tail.find("</svg>").map(|j| j + "</svg>".len()).unwrap_or(tail.len());
                self.chart_blocks(&tail[..end])?;
                rest = &tail[end..];
            }
            self.html_text(rest);
            Ok(())
        }

        /// The text of some HTML, tags left out, as a paragraph when there is any.
        fn html_text(&mut self, h: &str) {
            let mut text = String::new();
            let mut in_tag = false;
            for c in h.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' if in_tag => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let text = unescape(text.trim());
            if !text.is_empty() {
                self.flush(false);
                self.push_text(&text);
                self.flush(false);
            }
        }

        /// A chart: drawn to PNG and placed centred at the width of the text (or its own
        /// size when smaller). Without a CJK font the chart's title follows as a caption,
        /// so the figure is still named in words.
        fn chart_blocks(&mut self, svg: &str) -> Result<()> {
            self.flush(false);
            self.charts += 1;
            let title = attr(svg, "aria-label").map(unescape).unwrap_or_default();
            let png = raster::png(svg, CHART_SCALE, self.fonts).map_err(|why| {
                let name = if title.is_empty() { format!("chart {}", self.charts) } else { format!("chart {} `{title}`", self.charts) };
                Error::new(
                    ErrorKind::Data,
                    format!(
                        "report.docx: {name} cannot be drawn: {why}; fix the <svg> in its template, \
                         or leave it out of Word with {{% if format != \"docx\" %}}"
                    ),
                )
            })?;
            // 1 SVG unit = 1 CSS pixel = 15 twips; no wider than the text.
            let w = ((png.svg_width * 15.0) as usize).clamp(1, TEXT_W);
            let h = ((w as f32) * png.svg_height / png.svg_width).max(1.0) as u32;
            let pic = Pic::new_with_dimensions(png.bytes, png.width, png.height).size(w as u32 * EMU_PER_TWIP, h * EMU_PER_TWIP);
            self.blocks.push(Block::P(Box::new(
                Paragraph::new().align(AlignmentType::Center).keep_lines(true).add_run(Run::new().add_image(pic)),
            )));
            if self.fonts.cjk_family().is_none() && title.chars().any(wide) {
                self.blocks.push(Block::P(Box::new(
                    Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(title).size(TABLE_SIZE)),
                )));
            }
            Ok(())
        }
    }

    /// Column widths in twips: each column as wide as its widest cell, and when the table
    /// is wider than the text, the wide columns narrowed (text wraps in them) while the
    /// narrow ones keep their width.
    fn widths(t: &TableState, cols: usize) -> Vec<usize> {
        let natural: Vec<usize> = (0..cols)
            .map(|c| {
                let chars = t.rows.iter().filter_map(|r| r.get(c)).map(|(_, s)| unicode_width::UnicodeWidthStr::width(s.trim())).max();
                chars.unwrap_or(0).max(2) * HALF_CHAR + CELL_PAD
            })
            .collect();
        if natural.iter().sum::<usize>() <= TEXT_W {
            return natural;
        }
        // Water-filling: columns narrower than a fair share of what is left keep their
        // width; the others share the rest in proportion to their width.
        let mut fixed = vec![false; cols];
        loop {
            let left = TEXT_W.saturating_sub((0..cols).filter(|&c| fixed[c]).map(|c| natural[c]).sum::<usize>());
            let open: Vec<usize> = (0..cols).filter(|&c| !fixed[c]).collect();
            if open.is_empty() {
                return natural;
            }
            let share = left / open.len();
            let small: Vec<usize> = open.iter().copied().filter(|&c| natural[c] <= share).collect();
            if small.is_empty() {
                let total: usize = open.iter().map(|&c| natural[c]).sum::<usize>().max(1);
                return (0..cols)
                    .map(|c| if fixed[c] { natural[c] } else { (natural[c] * left / total).max(4 * HALF_CHAR + CELL_PAD) })
                    .collect();
            }
            for c in small {
                fixed[c] = true;
            }
        }
    }

    /// A Markdown table as a Word table: the header row shaded and bold, cells aligned as
    /// the Markdown says (numbers right), centred on the page.
    fn table(t: TableState) -> Table {
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0).max(t.align.len()).max(1);
        let widths = widths(&t, cols);
        // A column the Markdown does not align is right-aligned when all its cells are numbers.
        let numeric_col: Vec<bool> = (0..cols)
            .map(|c| {
                let body: Vec<&str> = t.rows.iter().skip(usize::from(t.head)).filter_map(|r| r.get(c)).map(|(_, s)| s.trim()).collect();
                body.iter().any(|s| !s.is_empty())
                    && body.iter().all(|s| s.is_empty() || numeric(s) || *s == yearbook_core::format::MISSING)
            })
            .collect();
        let rows: Vec<TableRow> = t
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let head = t.head && i == 0;
                let mut cells: Vec<TableCell> = Vec::new();
                let mut row = row.into_iter();
                for (c, &width) in widths.iter().enumerate().take(cols) {
                    let (runs, _) = row.next().unwrap_or_default();
                    let align = if head {
                        AlignmentType::Center
                    } else {
                        match t.align.get(c) {
                            Some(Alignment::Right) => AlignmentType::Right,
                            Some(Alignment::Center) => AlignmentType::Center,
                            Some(Alignment::Left) => AlignmentType::Left,
                            _ if numeric_col[c] => AlignmentType::Right,
                            _ => AlignmentType::Left,
                        }
                    };
                    let mut p = Paragraph::new().align(align).line_spacing(spacing().line(240).before(0).after(0));
                    for r in runs {
                        p = p.add_run(if head { r.bold() } else { r });
                    }
                    let mut cell = TableCell::new().add_paragraph(p).width(width, WidthType::Dxa).vertical_align(VAlignType::Center);
                    if head {
                        cell = cell.shading(Shading::new().fill("EDEFF2"));
                    }
                    cells.push(cell);
                }
                let r = TableRow::new(cells).cant_split();
                if head { r.row_height(400.0) } else { r }
            })
            .collect();
        Table::new(rows)
            .set_grid(widths.clone())
            .width(widths.iter().sum(), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "docx")]
    fn composed(md: &str) -> super::super::Composed {
        super::super::Composed { title: "t".into(), markdown: md.into(), colophon: vec!["制表单位：某站".into()] }
    }

    /// Any Markdown a template may write becomes a document: every heading level, nested
    /// and numbered lists, quotes, code, ragged tables, HTML blocks with and without
    /// charts, a chart inside a sentence; an SVG that cannot be drawn is a located error.
    #[cfg(feature = "docx")]
    #[test]
    fn any_markdown_becomes_a_document_or_a_located_error() {
        let chart = crate::report::chart::bars("比较", "人", &[("甲".into(), 1.0), ("乙".into(), 2.0)], false);
        let md = format!(
            "# 一\n## 二\n### 三\n#### 四\n##### 五\n###### 六\n\n- a\n  - b\n    1. c\n    2. d\n\n> 引文 *斜* **粗** `code`\n\n\
             ```\nx = 1\ny = 2\n```\n\n| a | b |\n|---|\n| 1 |\n| 2 | 3 | 4 |\n\n<div>块<b>粗</b></div>\n\n{chart}\n\n\
             前文{chart}后文<span class=\"sev-error\">错误</span><br>下一行 [链接](http://x) ![图](a.png)\n\n---\n"
        );
        let bytes = document(&composed(&md)).expect("a document");
        assert!(bytes.starts_with(b"PK"), "a zip package");
        let bad = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\" aria-label=\"坏图\"></svg>";
        let Err(e) = document(&composed(bad)) else { panic!("an SVG of no size is not drawn") };
        assert_eq!(e.kind(), yearbook_core::error::ErrorKind::Data);
        assert!(e.to_string().contains("坏图") && e.to_string().contains("format != \"docx\""), "{e}");
    }

    /// What a build without the feature answers to `--format docx`: the kind, what is
    /// missing, and the two ways on (rebuild with the feature, or HTML for Word).
    #[test]
    fn without_the_feature_the_error_says_how_to_get_docx() {
        let e = unavailable();
        assert_eq!(e.kind(), yearbook_core::error::ErrorKind::Usage);
        let m = e.to_string();
        for want in ["--format docx", "feature `docx`", "--no-default-features", "cargo build --release --features docx", "--format html"] {
            assert!(m.contains(want), "{want} in: {m}");
        }
    }
}
