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
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{
    Mutex,
    atomic::{AtomicBool, Ordering},
};
use yearbook_core::error::{Error, Location, Result};
use yearbook_core::period::spelling::PeriodOptions;

const CHUNK: usize = 4 << 20;

struct Chunk {
    start_line: usize,
    data: Vec<u8>,
}

/// First error by line: (line, col, message, is_duplicate).
type FirstError = Mutex<Option<(usize, usize, String, bool)>>;

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
    let bom = if head.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let Some(nl) = memchr::memchr(b'\n', &head[bom..]) else {
        if head[bom..].iter().all(u8::is_ascii_whitespace) {
            return Err(Error::data(Location::new(label, 1, None), "file is empty: expected a header line"));
        }
        return Err(Error::data(Location::new(label, 1, None), "header only, no facts (or a header longer than 64 KiB)"));
    };
    let header_bytes = &head[bom..bom + nl];
    let header_text = std::str::from_utf8(header_bytes).map_err(|_| {
        Error::data(
            Location::new(label, 1, None),
            "header is not valid UTF-8; files saved by Excel on Chinese Windows are usually GBK: add `encoding = \"gbk\"`",
        )
    })?;
    let header = super::table_file::parse_csv(label, header_text)?.header;
    let mut cols = match FactColumns::resolve(label, &header, 1, rename) {
        Ok(c) => c,
        Err(e) => {
            // Title rows above the header: the table reader finds it. Else the error stands.
            let whole = memchr::memrchr(b'\n', &head).map(|i| i + 1).unwrap_or(head.len());
            let text = String::from_utf8_lossy(&head[bom..whole.max(bom)]);
            return match super::table_file::parse_csv_at(label, &text, None) {
                Ok(t) if t.header_line > 1 => Ok(None),
                _ => Err(e),
            };
        }
    };
    cols.periods = periods.clone();
    // A 栏次 row (甲 乙 1 2) or a row of units under the header: the table reader drops it.
    let second = head[bom + nl + 1..].split(|&b| b == b'\n').next().unwrap_or_default();
    let cells: Vec<String> = String::from_utf8_lossy(second).split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if super::header::is_units_or_numbers(&cells.iter().map(String::as_str).collect::<Vec<_>>()) {
        return Ok(None);
    }

    let body_start = (bom + nl + 1) as u64;
    let len = file.metadata().map_err(io)?.len();
    let body_end = notes_start(&mut file, len).map_err(io)?.unwrap_or(len).max(body_start);
    file.seek(SeekFrom::Start(body_start)).map_err(io)?;
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 8);
    let first_error: FirstError = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let (tx, rx) = sync_channel::<Chunk>(workers * 2);
    let rx = Mutex::new(rx);
    let mut total = body_start;
    let mut fallback: Option<(u64, usize)> = None;

    std::thread::scope(|s| -> Result<()> {
        for _ in 0..workers {
            s.spawn(|| worker(builder, &cols, inds, &rx, &first_error, &stop));
        }
        let mut carry: Vec<u8> = Vec::new();
        let mut line = 2usize;
        let mut offset = body_start;
        loop {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let mut buf = std::mem::take(&mut carry);
            let have = buf.len();
            let want = CHUNK.min((body_end - (offset + have as u64).min(body_end)) as usize);
            buf.resize(have + want, 0);
            let got = read_full(&mut file, &mut buf[have..]).map_err(io)?;
            buf.truncate(have + got);
            total += got as u64;
            if buf.is_empty() {
                break;
            }
            let end = if got == 0 { buf.len() } else { memchr::memrchr(b'\n', &buf).map(|i| i + 1).unwrap_or(0) };
            if end == 0 {
                carry = buf;
                continue;
            }
            carry = buf[end..].to_vec();
            buf.truncate(end);
            if memchr::memchr(b'"', &buf).is_some() {
                fallback = Some((offset, line));
                break;
            }
            let lines = memchr::memchr_iter(b'\n', &buf).count();
            offset += buf.len() as u64;
            if tx.send(Chunk { start_line: line, data: buf }).is_err() {
                break;
            }
            line += lines;
        }
        drop(tx);
        Ok(())
    })?;

    if let Some((line, col, msg, dup)) = first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if dup {
            return Err(duplicate_error(path, label, &cols, line, col, &msg));
        }
        return Err(Error::data(Location::new(label, line, Some(col)), msg));
    }
    if let Some((offset, line)) = fallback {
        file.seek(SeekFrom::Start(offset)).map_err(io)?;
        quoted_rest(builder, &cols, inds, file.take(body_end - offset.min(body_end)), label, line, path)?;
        total = body_end;
    }
    Ok(Some(total))
}

/// The offset of the notes below the table (a line opening with 注：, 资料来源：, ...),
/// looked for in the last 64 KiB of the file.
fn notes_start(file: &mut std::fs::File, len: u64) -> std::io::Result<Option<u64>> {
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
    while pos < tail.len() {
        let end = memchr::memchr(b'\n', &tail[pos..]).map(|i| pos + i).unwrap_or(tail.len());
        let line = String::from_utf8_lossy(&tail[pos..end]);
        let mut fields = line.split(',').map(str::trim).filter(|f| !f.is_empty());
        if let Some(first) = fields.next()
            && super::header::is_note(first)
            && fields.count() <= 1
        {
            return Ok(Some(from + pos as u64));
        }
        pos = end + 1;
    }
    Ok(None)
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

fn worker(
    b: &PanelBuilder,
    cols: &FactColumns,
    inds: &SourceIndicators,
    rx: &Mutex<Receiver<Chunk>>,
    first: &FirstError,
    stop: &AtomicBool,
) {
    let mut cache = BlockCache::default();
    loop {
        let chunk = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(c) => c,
            Err(_) => return,
        };
        if stop.load(Ordering::Relaxed) {
            continue; // drain so the reader never blocks
        }
        let data = &chunk.data[..];
        let mut fields: Vec<&[u8]> = Vec::with_capacity(cols.n_fields);
        let mut pos = 0;
        let mut line = chunk.start_line;
        while pos < data.len() {
            let end = memchr::memchr(b'\n', &data[pos..]).map(|i| pos + i).unwrap_or(data.len());
            let mut row = &data[pos..end];
            if let [rest @ .., b'\r'] = row {
                row = rest;
            }
            if !row.is_empty() {
                fields.clear();
                fields.extend(row.split(|&c| c == b','));
                let res = if fields.len() != cols.n_fields {
                    Err((
                        fields.len().min(cols.n_fields) + 1,
                        format!("row has {} fields but the header has {}", fields.len(), cols.n_fields),
                        false,
                    ))
                } else {
                    b.ingest(cols, inds, &mut cache, &fields, line).map_err(|e| (e.col, e.message, e.duplicate))
                };
                if let Err((col, msg, dup)) = res {
                    let mut f = first.lock().unwrap_or_else(|e| e.into_inner());
                    if f.as_ref().is_none_or(|x| x.0 > line) {
                        *f = Some((line, col, msg, dup));
                    }
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
            line += 1;
            pos = end + 1;
        }
    }
}

fn quoted_rest(
    b: &PanelBuilder,
    cols: &FactColumns,
    inds: &SourceIndicators,
    file: impl Read,
    label: &str,
    first_line: usize,
    path: &Path,
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(std::io::BufReader::new(file));
    let mut cache = BlockCache::default();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(1) + first_line - 1;
                return Err(Error::data(Location::new(label, line, None), format!("malformed CSV: {e}")));
            }
        }
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(1) + first_line - 1;
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let fields: Vec<&[u8]> = rec.iter().collect();
        let res = if fields.len() != cols.n_fields {
            let hint = if fields.iter().any(|f| f.contains(&b'\n')) {
                ": a quoted field runs over a line break; is a closing quote missing?"
            } else {
                ""
            };
            Err((
                fields.len().min(cols.n_fields) + 1,
                format!("row has {} fields but the header has {}{hint}", fields.len(), cols.n_fields),
                false,
            ))
        } else {
            b.ingest(cols, inds, &mut cache, &fields, line).map_err(|e| (e.col, e.message, e.duplicate))
        };
        if let Err((col, msg, dup)) = res {
            if dup {
                return Err(duplicate_error(path, label, cols, line, col, &msg));
            }
            return Err(Error::data(Location::new(label, line, Some(col)), msg));
        }
    }
}

/// For a duplicate found at `dup_line` (by whichever worker came second): the first line
/// holding that key and the line that repeats it (error path only; two streaming passes).
fn duplicate_lines(path: &Path, cols: &FactColumns, dup_line: usize) -> Option<(usize, usize)> {
    let records = || -> Option<_> {
        let f = std::fs::File::open(path).ok()?;
        let rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(std::io::BufReader::new(f));
        Some(rdr.into_byte_records().filter_map(|r| r.ok()).map(|r| {
            let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
            (line, r.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect::<Vec<String>>())
        }))
    };
    let target = records()?.find(|(l, _)| *l == dup_line)?.1;
    let mut lines = records()?.filter(|(l, r)| *l > 1 && super::facts::same_key(cols, r, &target)).map(|(l, _)| l);
    let first = lines.next()?;
    Some((first, lines.next().unwrap_or(dup_line)))
}

/// The error of a duplicate key: at the later line, naming the earlier as first given.
fn duplicate_error(path: &Path, label: &str, cols: &FactColumns, line: usize, col: usize, msg: &str) -> Error {
    let (first, later) = duplicate_lines(path, cols, line).unwrap_or((line, line));
    Error::data(Location::new(label, later, Some(col)), format!("{msg}: first given at line {first}"))
}
