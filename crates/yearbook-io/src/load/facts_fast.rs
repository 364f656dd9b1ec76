//! The fast path for large plain CSV fact files: the file is read in chunks that end
//! at a line break and parsed by all cores at once, straight into the panel's blocks.
//! Memory stays bounded by a few chunks whatever the file size. A chunk that holds a
//! quote character hands the rest of the file to the full CSV parser. Notes below the
//! table (注：...) are found by a look at the file's tail and not read as facts; a file
//! whose first line is not its header (title rows above it) is left to the table reader.

use super::facts::{BlockCache, FactColumns, PanelBuilder, SourceIndicators};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{
    Mutex,
    atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering},
};
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::period::spelling::PeriodOptions;

const CHUNK: usize = 4 << 20;

/// Loads a long-format CSV file; `Ok(None)` when its header is not on the first line
/// (title or unit rows above it), for the table reader to find.
pub fn load(
    builder: &PanelBuilder,
    path: &Path,
    label: &str,
    rename: &BTreeMap<String, String>,
    periods: &PeriodOptions,
    inds: &SourceIndicators,
) -> Result<Option<u64>> {
    let io = |e| Error::io(path.display().to_string(), e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut head = vec![0u8; 64 << 10];
    let n = read_full(&mut file, &mut head).map_err(io)?;
    head.truncate(n);
    if super::text::is_utf16(&head) {
        return Err(Error::data(Location::new(label, 1, None), super::text::UTF16));
    }
    if let Some(what) = super::text::workbook(&head) {
        return Err(Error::data(Location::new(label, 1, None), what));
    }
    // Line ends of CR alone (old Mac text): the table reader reads them as lines.
    if super::text::has_lone_cr(&head, n == 64 << 10) {
        return Ok(None);
    }
    let bom = if head.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    // Text that is not UTF-8 below a header that is (a GBK file's ASCII header): named
    // at its line, with the GBK hint, before any of its cells is read as garbled text.
    if let Some(at) = super::text::first_invalid_utf8(&head[bom..]) {
        return Err(super::text::not_utf8(label, &head[bom..], at, 1));
    }
    let Some(nl) = memchr::memchr(b'\n', &head[bom..]) else {
        if head[bom..].iter().all(u8::is_ascii_whitespace) {
            return Err(Error::data(Location::new(label, 1, None), "file is empty: expected a header line"));
        }
        return Err(Error::data(Location::new(label, 1, None), "header only, no facts (or a header longer than 64 KiB)"));
    };
    let header_bytes = &head[bom..bom + nl];
    // A header cell holding a line break (Excel's Alt+Enter, saved quoted: "数值⏎（亿元）")
    // runs the header over two lines; the table reader reads quoted fields whole (this
    // reader took the first line for the header and refused line 2 at a place that is
    // not there).
    if header_bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        return Ok(None);
    }
    let header_text = std::str::from_utf8(header_bytes).map_err(|e| super::text::not_utf8(label, header_bytes, e.valid_up_to(), 1))?;
    super::table_file::refuse_other_separator(label, &String::from_utf8_lossy(&head[bom..]))?;
    let header = super::table_file::parse_csv(label, header_text)?.header;
    let mut cols = match FactColumns::resolve(label, &header, 1, rename) {
        Ok(c) => c,
        Err(e) => {
            // Title rows above the header: the table reader finds it. Else the error stands.
            let whole = memchr::memrchr(b'\n', &head).map(|i| i + 1).unwrap_or(head.len());
            let text = String::from_utf8_lossy(&head[bom..whole.max(bom)]);
            return match super::table_file::header_line(label, &text) {
                Some(line) if line > 1 => Ok(None),
                _ => Err(e),
            };
        }
    };
    cols.read_periods(periods, &header);
    builder.note_value_header(&cols, &header, 1);
    // A 栏次 row (甲 乙 1 2) or a row of units under the header: the table reader drops it.
    let second = head[bom + nl + 1..].split(|&b| b == b'\n').next().unwrap_or_default();
    let cells: Vec<String> = String::from_utf8_lossy(second).split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if super::header::is_units_or_numbers(&cells.iter().map(String::as_str).collect::<Vec<_>>()) {
        return Ok(None);
    }
    // Dates of years in a period column whose header names no frequency (时期): the table
    // reader looks at the whole column, as for a workbook's.
    let first_period = String::from_utf8_lossy(second).split(',').nth(cols.period).map(|c| c.trim().to_string()).unwrap_or_default();
    if cols.periods.column.is_none() && periods.frequency.is_none() && super::wide::year_date(&first_period) {
        return Ok(None);
    }

    let body_start = (bom + nl + 1) as u64;
    let len = file.metadata().map_err(io)?.len();
    let body_end = match notes_start(&mut file, len).map_err(io)? {
        None => len,
        Some((note, None)) => note,
        Some((note, Some((row, footer)))) => {
            // Rows below the notes are not read: a row of figures there is an error.
            let (note_line, row_line) = (line_at(path, note).map_err(io)?, line_at(path, row).map_err(io)?);
            return Err(Error::data(Location::new(label, row_line, None), super::header::below_notes_message(note_line, footer)));
        }
    }
    .max(body_start);
    let n_chunks = (body_end - body_start).div_ceil(CHUNK as u64) as usize;
    // Every core reads and parses its own chunks (positioned reads, no reader thread in
    // between): no fixed cap on threads, and never more than there are chunks.
    // As many as the rayon pool has (all cores, or RAYON_NUM_THREADS).
    // A recheck reads in file order, on one thread.
    let workers = if builder.in_order() { 1 } else { rayon::current_num_threads().clamp(1, n_chunks.max(1)) };
    let scan = Scan {
        path,
        body_start,
        body_end,
        next: AtomicUsize::new(0),
        quoted: AtomicUsize::new(usize::MAX),
        state: (0..n_chunks).map(|_| AtomicU8::new(UNREAD)).collect(),
        lines: (0..n_chunks).map(|_| AtomicUsize::new(0)).collect(),
        first_error: Mutex::new(None),
        fallback: Mutex::new(None),
        stop: AtomicBool::new(false),
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| worker(builder, &cols, inds, &scan));
        }
    });

    if let Some(e) = scan.first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        let line = e.line;
        return match e.kind {
            ErrorKind::Read(err) => Err(Error::io(path.display().to_string(), err)),
            ErrorKind::Fact => Err(Error::data(Location::new(label, line, Some(e.col)), e.message)),
        };
    }
    if let Some((k, offset)) = scan.fallback.into_inner().unwrap_or_else(|e| e.into_inner()) {
        // Every chunk before the first quoted one was read and counted.
        let line = 2 + scan.lines[..k].iter().map(|n| n.load(Ordering::Relaxed)).sum::<usize>();
        file.seek(SeekFrom::Start(offset)).map_err(io)?;
        let file = file.take(body_end - offset.min(body_end));
        quoted_rest(builder, (&cols, &header), inds, file, label, line)?;
    }
    Ok(Some(body_end))
}

/// A chunk's state while the file is read: its lines may be stored only once every chunk
/// before it is known to hold no quote (from the first quoted chunk on, the full CSV
/// parser reads the rest of the file).
const UNREAD: u8 = 0;
const CLEAN: u8 = 1;
const QUOTED: u8 = 2;

/// One fast read of a file, shared by its workers.
struct Scan<'a> {
    path: &'a Path,
    body_start: u64,
    body_end: u64,
    /// The next chunk to claim.
    next: AtomicUsize,
    /// The first chunk found to hold a quote (usize::MAX: none yet): later chunks are left
    /// to the CSV parser, so they are not read at all.
    quoted: AtomicUsize,
    state: Vec<AtomicU8>,
    /// The lines that start in each chunk read (set before its state is CLEAN).
    lines: Vec<AtomicUsize>,
    /// The error found earliest in the file.
    first_error: Mutex<Option<ScanError>>,
    /// The first quoted chunk and where its lines start.
    fallback: Mutex<Option<(usize, u64)>>,
    stop: AtomicBool,
}

enum ErrorKind {
    Fact,
    Read(std::io::Error),
}

/// An error at a line (0: a read error, at no line).
struct ScanError {
    line: usize,
    col: usize,
    message: String,
    kind: ErrorKind,
}

impl Scan<'_> {
    fn fail(&self, e: ScanError) {
        let mut f = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
        if f.as_ref().is_none_or(|x| x.line > e.line) {
            *f = Some(e);
        }
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Waits until every chunk before `k` is read; returns the lines they hold, or None
    /// when one of them holds a quote (or the scan stopped): chunk `k` is then left to the
    /// CSV parser. `counted` is the worker's own (chunks, lines) counted so far: its chunks
    /// come in increasing order, so it goes on from there instead of from chunk 0.
    fn lines_before(&self, k: usize, counted: &mut (usize, usize)) -> Option<usize> {
        let (from, mut lines) = *counted;
        for (st, n) in self.state[from..k].iter().zip(&self.lines[from..k]) {
            loop {
                match st.load(Ordering::Acquire) {
                    CLEAN => break,
                    QUOTED => return None,
                    _ if self.stop.load(Ordering::Relaxed) => return None,
                    // Claimed in order: an earlier chunk is being read right now.
                    _ => std::thread::yield_now(),
                }
            }
            lines += n.load(Ordering::Relaxed);
        }
        *counted = (k, lines);
        Some(lines)
    }
}

/// Reads `buf.len()` bytes at `offset` (fewer at the end of the file).
fn read_at(f: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        #[cfg(unix)]
        let r = std::os::unix::fs::FileExt::read_at(f, &mut buf[n..], offset + n as u64);
        #[cfg(windows)]
        let r = std::os::windows::fs::FileExt::seek_read(f, &mut buf[n..], offset + n as u64);
        match r {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads the lines that start in chunk `k` into `buf`: from the byte before the chunk
/// (to see whether a line starts at its first byte) to the end of the line that crosses
/// its end. Returns the offset of its first line and the range of `buf` that holds the
/// lines (empty when no line starts in it: a line longer than a chunk).
fn read_chunk(scan: &Scan, file: &std::fs::File, k: usize, buf: &mut Vec<u8>) -> std::io::Result<(u64, std::ops::Range<usize>)> {
    let s = scan.body_start + (k * CHUNK) as u64;
    let e = (s + CHUNK as u64).min(scan.body_end);
    let from = if k == 0 { s } else { s - 1 };
    buf.resize((e - from) as usize, 0);
    let got = read_at(file, buf, from)?;
    buf.truncate(got);
    let start = if k == 0 { 0 } else { memchr::memchr(b'\n', buf).map(|i| i + 1).unwrap_or(buf.len()) };
    if from + start as u64 >= e {
        return Ok((e, 0..0));
    }
    // The line that crosses the end: up to its line break (or the end of the body).
    let mut end = if got > 0 && buf[got - 1] == b'\n' { Some(got) } else { None };
    let mut at = from + got as u64;
    while end.is_none() && at < scan.body_end {
        let old = buf.len();
        let more = (64usize << 10).min((scan.body_end - at) as usize);
        buf.resize(old + more, 0);
        let n = read_at(file, &mut buf[old..], at)?;
        buf.truncate(old + n);
        if n == 0 {
            break;
        }
        at += n as u64;
        end = memchr::memchr(b'\n', &buf[old..]).map(|i| old + i + 1);
    }
    let end = end.unwrap_or(buf.len());
    Ok((from + start as u64, start..end))
}

/// A row of figures below the notes: its offset, and whether the notes open with the
/// form's footer.
type RowBelow = (u64, bool);

/// The offset of the notes below the table (a line opening with 注：, 资料来源：, ..., or
/// the form's footer: 单位负责人：), looked for in the last 64 KiB of the file, with the
/// offset of a row of figures below them if there is one (which would be lost) and
/// whether they open with the footer.
fn notes_start(file: &mut std::fs::File, len: u64) -> std::io::Result<Option<(u64, Option<RowBelow>)>> {
    let from = len.saturating_sub(64 << 10);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = vec![0u8; (len - from) as usize];
    let n = read_full(file, &mut tail)?;
    tail.truncate(n);
    let mut pos = 0;
    if from > 0 {
        // The window may start inside a line.
        pos = memchr::memchr(b'\n', &tail).map(|i| i + 1).unwrap_or(tail.len());
    }
    let (mut note, mut footer) = (None, false);
    while pos < tail.len() {
        let end = memchr::memchr(b'\n', &tail[pos..]).map(|i| pos + i).unwrap_or(tail.len());
        let line = String::from_utf8_lossy(&tail[pos..end]);
        let cells: Vec<&str> = line.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
        match note {
            None if super::header::opens_notes(&cells) => {
                note = Some(from + pos as u64);
                footer = cells.first().is_some_and(|first| super::header::is_footer(first));
            }
            Some(at) if super::header::looks_like_data(&cells) => return Ok(Some((at, Some((from + pos as u64, footer))))),
            _ => {}
        }
        pos = end + 1;
    }
    Ok(note.map(|at| (at, None)))
}

/// The 1-based line of the line starting at byte `offset` (error paths only: one more
/// read of the file up to there).
fn line_at(path: &Path, offset: u64) -> std::io::Result<usize> {
    let mut f = std::fs::File::open(path)?.take(offset);
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 1;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count();
    }
}

fn read_full(f: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn worker(b: &PanelBuilder, cols: &FactColumns, inds: &SourceIndicators, scan: &Scan) {
    let mut cache = BlockCache::default();
    // Chunks and lines counted before this worker's latest chunk (see `lines_before`).
    let mut counted = (0usize, 0usize);
    // One buffer per worker, reused: no fresh pages per chunk.
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + (64 << 10));
    // A header with empty cells at its end: each row is looked at for a cell under them.
    let plain = b.plain_rows(cols) && cols.named == cols.n_fields;
    let file = match std::fs::File::open(scan.path) {
        Ok(f) => f,
        Err(err) => {
            return scan.fail(ScanError { line: 0, col: 0, message: String::new(), kind: ErrorKind::Read(err) });
        }
    };
    loop {
        if scan.stop.load(Ordering::Relaxed) {
            return;
        }
        let k = scan.next.fetch_add(1, Ordering::Relaxed);
        if k >= scan.state.len() || k > scan.quoted.load(Ordering::Relaxed) {
            return;
        }
        let (offset, range) = match read_chunk(scan, &file, k, &mut buf) {
            Ok(r) => r,
            Err(err) => {
                scan.state[k].store(QUOTED, Ordering::Release);
                return scan.fail(ScanError { line: 0, col: 0, message: String::new(), kind: ErrorKind::Read(err) });
            }
        };
        let data = &buf[range];
        if memchr::memchr(b'"', data).is_some() {
            scan.state[k].store(QUOTED, Ordering::Release);
            scan.quoted.fetch_min(k, Ordering::Relaxed);
            let mut f = scan.fallback.lock().unwrap_or_else(|e| e.into_inner());
            if f.is_none_or(|(j, _)| j > k) {
                *f = Some((k, offset));
            }
            continue;
        }
        let unterminated = usize::from(data.last().is_some_and(|&c| c != b'\n'));
        scan.lines[k].store(memchr::memchr_iter(b'\n', data).count() + unterminated, Ordering::Relaxed);
        scan.state[k].store(CLEAN, Ordering::Release);
        let Some(before) = scan.lines_before(k, &mut counted) else { continue };
        // Text that is not UTF-8 anywhere in the file (GBK below a UTF-8 start, in a
        // column read or not) is refused at its line, as in the first 64 KiB and as the
        // table reader does: one rule wherever the byte stands.
        let invalid = std::str::from_utf8(data).is_err();
        let mut fields: Vec<&[u8]> = Vec::with_capacity(cols.n_fields.max(8));
        let mut pos = 0;
        let mut line = 2 + before;
        while pos < data.len() {
            // The row's fields and its end (its line break, or the end of the chunk).
            let end = split_row(data, pos, &mut fields);
            let mut row = &data[pos..end];
            if let [rest @ .., b'\r'] = row {
                row = rest;
                if let Some(last) = fields.last_mut() {
                    *last = &last[..last.len() - 1];
                }
            }
            if invalid && let Some((col, message)) = not_utf8_row(row) {
                return scan.fail(ScanError { line, col, message, kind: ErrorKind::Fact });
            }
            if !row.is_empty() {
                if plain && fields.len() == cols.n_fields && b.ingest_plain(cols, inds, &mut cache, &fields) {
                    line += 1;
                    pos = end + 1;
                    continue;
                }
                // A row of empty cells (Excel saves formatted blank rows as ",,,") is
                // skipped, as the CSV parser skips it: looked at only when the row has
                // the wrong width or no region (not on every row).
                let blank = || row.iter().all(|&c| c == b',' || c.is_ascii_whitespace());
                let res = if fields.len() != cols.n_fields {
                    if blank() {
                        Ok(())
                    } else {
                        // A CR alone joins two lines into one (old Mac line ends past
                        // the first 64 KiB).
                        let cr = if row.contains(&b'\r') {
                            ": the line holds a carriage return (CR) alone, an old Mac line end; save the file as \"CSV UTF-8\" \
                             (Excel: 另存为 > CSV UTF-8（逗号分隔）)"
                        } else {
                            ""
                        };
                        Err((
                            fields.len().min(cols.n_fields) + 1,
                            format!("row has {} fields but the header has {}{cr}", fields.len(), cols.n_fields),
                        ))
                    }
                } else if fields[cols.region].trim_ascii().is_empty() && blank() {
                    Ok(())
                } else if let Some(unnamed) = super::facts::unnamed_cell(cols.named, &fields) {
                    Err(unnamed)
                } else {
                    b.ingest(cols, inds, &mut cache, &fields, line).map_err(|e| (e.col, e.message))
                };
                if let Err((col, message)) = res {
                    // A row that is not UTF-8 (GBK text further down a file whose first
                    // 64 KiB are ASCII): the encoding is the fault, not its cells.
                    let (col, message) = not_utf8_row(row).unwrap_or((col, message));
                    return scan.fail(ScanError { line, col, message, kind: ErrorKind::Fact });
                }
            }
            line += 1;
            pos = end + 1;
        }
    }
}

/// Where a row that is not valid UTF-8 is not (its field, 1-based) and what is said of
/// it ([`super::text::not_utf8_message`]); None for a row of valid UTF-8.
fn not_utf8_row(row: &[u8]) -> Option<(usize, String)> {
    let at = std::str::from_utf8(row).err()?.valid_up_to();
    let col = row[..at].iter().filter(|&&c| c == b',').count() + 1;
    Some((col, super::text::not_utf8_message(row).to_string()))
}

/// Splits the row that starts at `start` at its commas into `fields` and returns where
/// it ends (its line break, or the end of `data`). Commas and line breaks are found eight
/// bytes at a time (one compare of a word finds all of them in it: SWAR), not by a call
/// to find the line's end and then a byte loop over the row. A trailing CR stays in the
/// last field (the caller strips it).
#[inline(always)]
fn split_row<'a>(data: &'a [u8], start: usize, fields: &mut Vec<&'a [u8]>) -> usize {
    const COMMAS: u64 = u64::from_ne_bytes([b','; 8]);
    const BREAKS: u64 = u64::from_ne_bytes([b'\n'; 8]);
    fields.clear();
    let mut from = start;
    let mut i = start;
    while let Some(word) = data.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else { break };
        let w = u64::from_le_bytes(bytes);
        let breaks = zero_bytes(w ^ BREAKS);
        let mut hits = zero_bytes(w ^ COMMAS) | breaks;
        while hits != 0 {
            let bit = hits.trailing_zeros();
            let at = i + (bit / 8) as usize;
            fields.push(&data[from..at]);
            if breaks & (1 << bit) != 0 {
                return at;
            }
            from = at + 1;
            hits &= hits - 1;
        }
        i += 8;
    }
    for (j, &c) in data[i..].iter().enumerate() {
        match c {
            b',' => {
                fields.push(&data[from..i + j]);
                from = i + j + 1;
            }
            b'\n' => {
                fields.push(&data[from..i + j]);
                return i + j;
            }
            _ => {}
        }
    }
    fields.push(&data[from..]);
    data.len()
}

/// The high bit of each byte of `v` that is zero, and no other bit (exact: no borrow
/// runs from one byte into the next, unlike the shorter `(v - 0x01..) & !v` test).
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((v & LOW7) + LOW7) | v | LOW7)
}

/// Reads the rest of the file from `first_line` on with the full CSV parser (quoted
/// fields). A field that runs over a line break in a column of the fact (region,
/// period, indicator, value, flag, unit), or that holds what look like rows in any
/// column, is refused: a stray opening quote has swallowed the lines below it.
fn quoted_rest(
    b: &PanelBuilder,
    (cols, header): (&FactColumns, &[String]),
    inds: &SourceIndicators,
    file: impl Read,
    label: &str,
    first_line: usize,
) -> Result<()> {
    let (tap, lines) = super::csv_lines::tap(file);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(std::io::BufReader::new(tap));
    let mut cache = BlockCache::default();
    let mut rec = csv::ByteRecord::new();
    let keys = [Some(cols.region), Some(cols.period), Some(cols.indicator), Some(cols.value), cols.flag, cols.unit];
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| lines.line(p)).unwrap_or(1) + first_line - 1;
                return Err(Error::data(Location::new(label, line, None), format!("malformed CSV: {e}")));
            }
        }
        let line = rec.position().map(|p| lines.line(p)).unwrap_or(1) + first_line - 1;
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let fields: Vec<&[u8]> = rec.iter().collect();
        // A field that is not UTF-8, read or not: the encoding is the fault (as on the
        // fast path and in the first 64 KiB).
        if let Some(f) = fields.iter().position(|f| std::str::from_utf8(f).is_err()) {
            return Err(Error::data(Location::new(label, line, Some(f + 1)), super::text::not_utf8_message(fields[f]).to_string()));
        }
        let swallowed = fields.iter().enumerate().find(|&(f, text)| {
            (text.contains(&b'\n') || text.contains(&b'\r'))
                && (keys.contains(&Some(f)) || super::csv_lines::holds_rows(&String::from_utf8_lossy(text), fields.len()))
        });
        let res = if let Some((f, text)) = swallowed {
            let name = header.get(f).map(String::as_str).unwrap_or("");
            Err((f + 1, super::csv_lines::unclosed_quote(name, &String::from_utf8_lossy(text))))
        } else if fields.len() != cols.n_fields {
            let hint = if fields.iter().any(|f| f.contains(&b'\n')) {
                ": a quoted field runs over a line break; is a closing quote missing?"
            } else {
                ""
            };
            Err((
                fields.len().min(cols.n_fields) + 1,
                format!("row has {} fields but the header has {}{hint}", fields.len(), cols.n_fields),
            ))
        } else if let Some(unnamed) = super::facts::unnamed_cell(cols.named, &fields) {
            Err(unnamed)
        } else {
            b.ingest(cols, inds, &mut cache, &fields, line).map_err(|e| (e.col, e.message))
        };
        if let Err((col, msg)) = res {
            return Err(Error::data(Location::new(label, line, Some(col)), msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{split_row, zero_bytes};

    /// The naive reference: the row up to its line break, split at every comma.
    fn naive(data: &[u8], start: usize) -> (Vec<Vec<u8>>, usize) {
        let end = data[start..].iter().position(|&c| c == b'\n').map_or(data.len(), |i| start + i);
        (data[start..end].split(|&c| c == b',').map(<[u8]>::to_vec).collect(), end)
    }

    #[test]
    fn zero_bytes_flags_exactly_the_zero_bytes() {
        for v in [0u64, 1, 0x0100, 0x0001_0000_0000_0100, u64::MAX, 0x8000_0000_0000_0080, 0x0101_0101_0101_0101] {
            let want: u64 = (0..8).filter(|k| (v >> (8 * k)) & 0xff == 0).map(|k| 0x80u64 << (8 * k)).sum();
            assert_eq!(zero_bytes(v), want, "{v:#x}");
        }
    }

    #[test]
    fn rows_split_as_the_naive_split_does() {
        // Random rows over the bytes that matter (comma, line break, CR, high bytes
        // next to them), every start: the SWAR split and the naive one agree.
        let alphabet = [b',', b'\n', b'\r', b'a', b'0', b'.', 0x80, 0xff, 0x2b, 0x2d, 0x0a ^ 0x80];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 40) as usize;
            let data: Vec<u8> = (0..n).map(|k| alphabet[((seed >> (k % 60)) as usize + k * 7) % alphabet.len()]).collect();
            for start in 0..=n {
                let mut fields = Vec::new();
                let end = split_row(&data, start, &mut fields);
                let (want, want_end) = naive(&data, start);
                assert_eq!(end, want_end, "{data:?} from {start}");
                assert_eq!(fields.iter().map(|f| f.to_vec()).collect::<Vec<_>>(), want, "{data:?} from {start}");
            }
        }
    }
}
