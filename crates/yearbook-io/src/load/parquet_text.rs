//! Text columns of a Parquet row group read from their pages as ids into one buffer of
//! distinct texts: a dictionary-encoded column (what DuckDB, pyarrow and Polars write for
//! codes and names) costs one small integer per row instead of a reference-counted
//! string. Pages in another encoding than dictionary or plain make the caller read the
//! column with the generic column reader.
//!
//! Page layout, from the Parquet format specification (Encodings.md, "Dictionary
//! Encoding" and "Run Length Encoding / Bit-Packing Hybrid"): a v1 data page holds
//! `[definition levels: u32 length + RLE hybrid][values]`, a v2 page gives the levels'
//! length in its header; dictionary-encoded values are one byte of bit width then the
//! ids as an RLE/bit-packed hybrid; plain byte arrays are `u32` length + bytes each.

use parquet::basic::Encoding;
use parquet::column::page::Page;
use parquet::file::reader::RowGroupReader;

/// A null row's id.
const NULL: u32 = u32::MAX;

/// One text column of a row group: per row an id into `texts` (NULL for null). Buffers
/// are kept between row groups (no fresh pages per row group).
#[derive(Default)]
pub(crate) struct TextColumn {
    ids: Vec<u32>,
    /// The distinct texts (dictionary entries, or each plain value), end to end.
    bytes: Vec<u8>,
    /// Where each text ends in `bytes`.
    ends: Vec<usize>,
    /// Scratch: definition levels of a page.
    levels: Vec<u32>,
    /// Scratch: the ids of a page's values, where some of its rows are null.
    page_ids: Vec<u32>,
}

impl TextColumn {
    /// Row `r`'s text, None when it is null.
    #[inline]
    pub(crate) fn get(&self, r: usize) -> Option<&[u8]> {
        let k = *self.ids.get(r)?;
        if k == NULL {
            return None;
        }
        let k = k as usize;
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        Some(&self.bytes[start..self.ends[k]])
    }

    /// Row `r`'s id among the distinct texts, None when it is null.
    #[inline]
    pub(crate) fn id(&self, r: usize) -> Option<usize> {
        self.ids.get(r).filter(|&&k| k != NULL).map(|&k| k as usize)
    }

    /// The number of distinct texts (ids run from 0 to this).
    pub(crate) fn distinct(&self) -> usize {
        self.ends.len()
    }
}

/// Adds a distinct text to `bytes` and `ends` (a [`TextColumn`]'s), returning its id. A
/// function of the two fields, so that a page's ids can be pushed onto another field
/// of the column meanwhile.
fn push_text(bytes: &mut Vec<u8>, ends: &mut Vec<usize>, t: &[u8]) -> Result<u32, String> {
    let id = u32::try_from(ends.len()).ok().filter(|&i| i != NULL).ok_or("more than 4 billion texts in one row group")?;
    bytes.extend_from_slice(t);
    ends.push(bytes.len());
    Ok(id)
}

/// Reads column `i` (flat BYTE_ARRAY, `max_def` 0 or 1) of a row group of `rows` rows
/// into `out`. Ok(false): a page uses an encoding read here only by the generic reader.
pub(crate) fn read_text(rg: &dyn RowGroupReader, i: usize, max_def: i16, rows: usize, out: &mut TextColumn) -> Result<bool, String> {
    out.ids.clear();
    out.bytes.clear();
    out.ends.clear();
    if max_def > 1 {
        return Ok(false);
    }
    let mut pages = rg.get_column_page_reader(i).map_err(column_error)?;
    // Ids of the current dictionary start here in `out.ends`.
    let mut dict: Option<(u32, u32)> = None;
    while let Some(page) = pages.get_next_page().map_err(column_error)? {
        let (n, encoding, defs, values) = match &page {
            Page::DictionaryPage { buf, num_values, encoding, .. } => {
                if !matches!(encoding, Encoding::PLAIN | Encoding::PLAIN_DICTIONARY) {
                    return Ok(false);
                }
                let base = out.ends.len() as u32;
                let count = plain(buf, *num_values as usize, |t| push_text(&mut out.bytes, &mut out.ends, t).map(drop))?;
                dict = Some((base, count as u32));
                continue;
            }
            Page::DataPage { buf, num_values, encoding, def_level_encoding, .. } => {
                if max_def == 0 {
                    (*num_values as usize, *encoding, &buf[..0], &buf[..])
                } else {
                    if *def_level_encoding != Encoding::RLE {
                        return Ok(false);
                    }
                    let len = buf.get(..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize).ok_or_else(damaged)?;
                    let defs = buf.get(4..4 + len).ok_or_else(damaged)?;
                    (*num_values as usize, *encoding, defs, &buf[4 + len..])
                }
            }
            Page::DataPageV2 { buf, num_values, encoding, def_levels_byte_len, rep_levels_byte_len, .. } => {
                let (r, d) = (*rep_levels_byte_len as usize, *def_levels_byte_len as usize);
                let defs = buf.get(r..r + d).ok_or_else(damaged)?;
                (*num_values as usize, *encoding, defs, &buf[r + d..])
            }
        };
        let TextColumn { ids: column, bytes, ends, levels, page_ids } = &mut *out;
        // Definition levels: 1 where the row has a value.
        levels.clear();
        if max_def == 1 {
            hybrid(defs, 1, n, 0, levels)?;
        }
        let present = if max_def == 1 { levels.iter().filter(|&&d| d == 1).count() } else { n };
        // Without nulls the ids go straight onto the column; with some, onto a scratch
        // buffer spread over the rows after.
        let no_nulls = present == n;
        page_ids.clear();
        let target = if no_nulls { &mut *column } else { &mut *page_ids };
        let before = target.len();
        match encoding {
            Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY => {
                let (base, count) = dict.ok_or("a dictionary-encoded page without a dictionary page")?;
                let (&width, rest) = values.split_first().ok_or_else(damaged)?;
                let highest = hybrid(rest, width, present, base, target)?;
                if present > 0 && highest >= count {
                    return Err("a dictionary id beyond the dictionary: the file is damaged".into());
                }
            }
            Encoding::PLAIN => {
                plain(values, present, |t| push_text(bytes, ends, t).map(|id| target.push(id)))?;
            }
            _ => return Ok(false),
        }
        if target.len() - before != present {
            return Err(damaged());
        }
        if !no_nulls {
            let mut it = page_ids.iter();
            for &d in levels.iter() {
                column.push(if d == 1 { it.next().copied().unwrap_or(NULL) } else { NULL });
            }
        }
    }
    if out.ids.len() != rows {
        return Err(format!("the column has {} rows where the row group has {rows}", out.ids.len()));
    }
    Ok(true)
}

/// The parquet crate's error while reading a column, in words that say what to do. A page
/// whose checksum (CRC-32, where the writer stored one) does not match is a damaged file.
pub(crate) fn column_error(e: parquet::errors::ParquetError) -> String {
    let text = e.to_string();
    if text.contains("CRC checksum mismatch") {
        return "a page's checksum does not match its contents: the file is damaged; write it again from its source".to_string();
    }
    format!("cannot read the column: {text}")
}

fn damaged() -> String {
    "a page is cut short: the file is damaged".to_string()
}

/// Plain byte arrays (`u32` little-endian length, then the bytes), `n` of them; returns
/// how many were read.
fn plain(mut data: &[u8], n: usize, mut each: impl FnMut(&[u8]) -> Result<(), String>) -> Result<usize, String> {
    for _ in 0..n {
        let Some((len, rest)) = data.split_first_chunk::<4>() else {
            return Err(damaged());
        };
        let len = u32::from_le_bytes(*len) as usize;
        let t = rest.get(..len).ok_or_else(damaged)?;
        each(t)?;
        data = &rest[len..];
    }
    Ok(n)
}

/// Decodes `n` values of the RLE / bit-packing hybrid of bit width `width` (≤ 32), each
/// plus `add`, onto the end of `out` (a run as one fill); returns the largest value
/// decoded, before `add` (0 when none).
fn hybrid(mut data: &[u8], width: u8, n: usize, add: u32, out: &mut Vec<u32>) -> Result<u32, String> {
    if width > 32 {
        return Err(format!("a bit width of {width}: the file is damaged"));
    }
    let w = width as usize;
    let mask: u64 = if w == 32 { u32::MAX as u64 } else { (1u64 << w) - 1 };
    let mut highest = 0u32;
    let mut done = 0;
    out.reserve(n);
    while done < n {
        // ULEB128 header.
        let mut header: u64 = 0;
        let mut shift = 0;
        loop {
            let (&b, rest) = data.split_first().ok_or_else(damaged)?;
            data = rest;
            header |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 35 {
                return Err(damaged());
            }
        }
        if header & 1 == 0 {
            // A run of one value, stored in whole bytes.
            let count = (header >> 1) as usize;
            let bytes = w.div_ceil(8);
            let v = data.get(..bytes).ok_or_else(damaged)?.iter().rev().fold(0u64, |a, &b| a << 8 | b as u64) as u32;
            data = &data[bytes..];
            if count == 0 {
                return Err(damaged());
            }
            let take = count.min(n - done);
            highest = highest.max(v);
            out.extend(std::iter::repeat_n(add.wrapping_add(v), take));
            done += take;
        } else {
            // Groups of 8 bit-packed values, least significant bit first.
            let groups = (header >> 1) as usize;
            let len = groups.checked_mul(w).ok_or_else(damaged)?;
            let packed = data.get(..len).ok_or_else(damaged)?;
            data = &data[len..];
            let take = (groups * 8).min(n - done);
            let (mut acc, mut bits, mut p) = (0u64, 0usize, 0usize);
            for _ in 0..take {
                while bits < w {
                    acc |= (*packed.get(p).ok_or_else(damaged)? as u64) << bits;
                    p += 1;
                    bits += 8;
                }
                let v = (acc & mask) as u32;
                highest = highest.max(v);
                out.push(add.wrapping_add(v));
                acc >>= w;
                bits -= w;
            }
            done += take;
            if groups == 0 {
                return Err(damaged());
            }
        }
    }
    Ok(highest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(data: &[u8], width: u8, n: usize) -> Result<Vec<u32>, String> {
        let mut out = Vec::new();
        hybrid(data, width, n, 0, &mut out).map(|_| out)
    }

    #[test]
    fn hybrid_runs_and_packed_groups() {
        // The specification's example: bit-packed 0..7 at width 3 (one group).
        assert_eq!(decode(&[0x03, 0x88, 0xC6, 0xFA], 3, 8).unwrap(), vec![0, 1, 2, 3, 4, 5, 6, 7]);
        // A run of 5 copies of 300 at width 9 (two bytes); a packed group of 1s at width 1
        // of which only 3 are wanted.
        assert_eq!(decode(&[10, 0x2C, 0x01], 9, 5).unwrap(), vec![300; 5]);
        assert_eq!(decode(&[0x03, 0xFF], 1, 3).unwrap(), vec![1, 1, 1]);
        // A header with the continuation bit (run of 64 zeros at width 1).
        assert_eq!(decode(&[0x80, 0x01, 0x00], 1, 64).unwrap(), vec![0; 64]);
        // Onto what the vector holds, each plus an offset (a dictionary's first id); the
        // largest value decoded comes back before the offset.
        let mut out = vec![7];
        // A run of five 300s, then a group of 8 packed at width 9 (nine bytes) of which two
        // are wanted: 0x088 (136) and 0x163 (355).
        let page = [10, 0x2C, 0x01, 0x03, 0x88, 0xC6, 0xFA, 0, 0, 0, 0, 0, 0];
        assert_eq!(hybrid(&page, 9, 7, 100, &mut out), Ok(355));
        assert_eq!(out, vec![7, 400, 400, 400, 400, 400, 236, 455]);
    }

    #[test]
    fn damaged_pages_are_errors_not_panics() {
        assert!(decode(&[0x03, 0x88], 3, 8).is_err());
        assert!(decode(&[], 3, 1).is_err());
        assert!(decode(&[0x00], 3, 1).is_err());
        assert!(decode(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 3, 1).is_err());
        assert!(decode(&[0x02, 0x01], 40, 1).is_err());
        let mut n = 0;
        assert!(
            plain(&[5, 0, 0, 0, b'a'], 1, |_| {
                n += 1;
                Ok(())
            })
            .is_err()
        );
        assert_eq!(
            plain(&[1, 0, 0, 0, b'a', 0, 0, 0, 0], 2, |_| {
                n += 1;
                Ok(())
            })
            .unwrap(),
            2
        );
        assert_eq!(n, 2);
    }
}
