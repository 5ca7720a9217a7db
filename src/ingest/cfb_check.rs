//! A structural check of OLE compound files (.xls, and encrypted workbooks)
//! before calamine reads them.
//!
//! calamine follows sector chains without bounding them: a crafted file
//! whose chain loops back on itself makes it allocate without limit (found
//! by the `workbook` fuzz target: a 46 KB file asking for 2 GiB). Here the
//! chains the reader follows are walked once over the file's own tables: the
//! directory chain must end within the file, every stream's declared length
//! must fit in the file, and no chain may point outside its table. A file
//! that fails is reported as damaged instead of being read.

const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Values from here up are markers (free, FAT, DIFAT, end), not sectors.
const MAX_REGULAR: u32 = 0xFFFF_FFFA;

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

fn damaged(what: &str) -> String {
    format!(
        "ブックの内部構造が壊れています（{what}）。Excelで開けるか確かめ、「名前を付けて保存」で .xlsx として保存し直してください"
    )
}

/// `Ok` for anything that is not a compound file, or one whose chains are
/// all finite and inside the file.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 512 || &bytes[..8] != SIGNATURE {
        return Ok(());
    }
    let size = match u32::from(u16::from_le_bytes([bytes[30], bytes[31]])) {
        9 => 512usize,
        12 => 4096usize,
        _ => return Err(damaged("セクターの大きさ")),
    };
    let sectors = bytes.len().saturating_sub(size).div_ceil(size);
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..(start + size).min(bytes.len()))
    };

    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    let mut difat: Vec<u32> = u32s(&bytes[76..512]).collect();
    let mut next = u32_at(bytes, 68).unwrap_or(END_OF_CHAIN);
    let mut steps = 0;
    while next < MAX_REGULAR {
        steps += 1;
        let s = sector(next).filter(|_| steps <= sectors).ok_or_else(|| damaged("DIFAT"))?;
        let entries: Vec<u32> = u32s(s).collect();
        let Some((&last, rest)) = entries.split_last() else { return Err(damaged("DIFAT")) };
        difat.extend_from_slice(rest);
        next = last;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < MAX_REGULAR) {
        fat.extend(u32s(sector(id).ok_or_else(|| damaged("FAT"))?));
        if fat.len() > sectors.saturating_mul(2) + 4096 {
            return Err(damaged("FAT"));
        }
    }

    // Follows a chain over `table` for at most `steps` sectors, gathering
    // its bytes when `read`. A chain still going after `steps` is an error
    // only when `must_end` (the directory chain, which the reader follows to
    // its end); a stream is read only up to its declared length.
    let follow = |start: u32, table: &[u32], steps: usize, must_end: bool, read: bool| -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let (mut id, mut n) = (start, 0usize);
        while id != END_OF_CHAIN {
            if n == steps {
                return if must_end { Err(damaged("セクターの連鎖が循環")) } else { Ok(out) };
            }
            n += 1;
            if id as usize >= table.len() {
                return Err(damaged("セクター番号が範囲外"));
            }
            if read {
                out.extend_from_slice(sector(id).ok_or_else(|| damaged("セクターがファイルの外"))?);
            }
            id = table[id as usize];
        }
        Ok(out)
    };

    let dir_start = u32_at(bytes, 48).unwrap_or(END_OF_CHAIN);
    let dirs = follow(dir_start, &fat, sectors, true, true)?;
    let cutoff = u32_at(bytes, 56).unwrap_or(4096) as usize;
    let minifat_start = u32_at(bytes, 60).unwrap_or(END_OF_CHAIN);
    let minifat_len = u32_at(bytes, 64).unwrap_or(0) as usize;
    if minifat_len > sectors {
        return Err(damaged("ミニFATの大きさ"));
    }
    let minifat: Vec<u32> = u32s(&follow(minifat_start, &fat, minifat_len, false, true)?).collect();
    let file_len = bytes.len();
    let mut mini_len = 0usize;
    let mut root_start = END_OF_CHAIN;
    let mut workbook_stream: Option<(u32, usize)> = None;
    for (i, entry) in dirs.chunks_exact(128).enumerate() {
        if entry[66] == 2 {
            let units: Vec<u16> =
                entry[..64].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|u| *u != 0).collect();
            let name = String::from_utf16_lossy(&units).to_ascii_lowercase();
            if name == "workbook" || name == "book" {
                workbook_stream =
                    Some((u32_at(entry, 116).unwrap_or(END_OF_CHAIN), u32_at(entry, 120).unwrap_or(0) as usize));
            }
        }
        if i == 0 && entry[66] == 5 {
            root_start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
        }
        let kind = entry[66];
        let start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
        let len = u32_at(entry, 120).unwrap_or(0) as usize;
        let in_file = |len: usize| if len <= file_len { Ok(()) } else { Err(damaged("ストリームの長さ")) };
        match kind {
            5 if i == 0 => {
                in_file(len)?;
                follow(start, &fat, len.div_ceil(size), false, false)?;
                mini_len = len;
            }
            2 if len >= cutoff => {
                in_file(len)?;
                follow(start, &fat, len.div_ceil(size), false, false)?;
            }
            2 if len > 0 => {
                if len > mini_len {
                    return Err(damaged("ストリームの長さ"));
                }
                follow(start, &minifat, len.div_ceil(64), false, false)?;
            }
            _ => {}
        }
    }

    // The workbook stream's DIMENSIONS records: calamine reserves room for
    // rows × columns cells up front, so a forged record (4 billion rows)
    // would make it ask for hundreds of gigabytes and abort the process.
    if let Some((start, len)) = workbook_stream {
        let stream = if len >= cutoff {
            follow(start, &fat, len.div_ceil(size), false, true)?
        } else {
            let mini = follow(root_start, &fat, mini_len.div_ceil(size), false, true)?;
            let mut out = Vec::with_capacity(len);
            let (mut id, mut n) = (start, 0usize);
            while id != END_OF_CHAIN && n < len.div_ceil(64) {
                let at = id as usize * 64;
                out.extend_from_slice(
                    mini.get(at..(at + 64).min(mini.len())).ok_or_else(|| damaged("ミニストリーム"))?,
                );
                id = *minifat.get(id as usize).ok_or_else(|| damaged("ミニFAT"))?;
                n += 1;
            }
            out
        };
        let stream = &stream[..len.min(stream.len())];
        check_dimensions(stream)?;
        check_areas(stream)?;
    }
    Ok(())
}

/// The cells calamine may lay out for one .xls sheet: it builds each sheet
/// as a dense area from its first to its last cell (values and formulas,
/// about 56 bytes a cell), all sheets when it opens the workbook. Past this
/// many the workbook is refused before calamine reads it, with what to do.
pub const MAX_XLS_AREA: u64 = super::limits::MAX_CELLS_PER_SHEET as u64;

/// Refuses a workbook one of whose sheets spans more than [`MAX_XLS_AREA`]
/// cells from its first cell to its last (a file of 42 KB with a cell at A1
/// and one at IV65536 would need a gigabyte), naming the sheet.
fn check_areas(stream: &[u8]) -> Result<(), String> {
    let mut names: Vec<(usize, String)> = Vec::new();
    // (first row, last row, first column, last column) of the current substream.
    let mut area: Option<(u16, u16, u16, u16)> = None;
    let mut substream = 0usize;
    let mut pos = 0usize;
    while let (Some(t), Some(l)) = (stream.get(pos..pos + 2), stream.get(pos + 2..pos + 4)) {
        let typ = u16::from_le_bytes([t[0], t[1]]);
        let len = usize::from(u16::from_le_bytes([l[0], l[1]]));
        let data = stream.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        let u16_at = |at: usize| data.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let mut cell = |row: Option<u16>, first: Option<u16>, last: Option<u16>| {
            if let (Some(r), Some(c0), Some(c1)) = (row, first, last) {
                area = Some(match area {
                    None => (r, r, c0.min(c1), c0.max(c1)),
                    Some((r0, r1, a, b)) => (r0.min(r), r1.max(r), a.min(c0).min(c1), b.max(c0).max(c1)),
                });
            }
        };
        match typ {
            // BOF: a substream starts here (a sheet's BOUNDSHEET points at it).
            0x0809 => {
                substream = pos;
                area = None;
            }
            // BOUNDSHEET: the sheet's BOF offset, then its name.
            0x0085 => {
                let at = u32_at(data, 0).unwrap_or(0) as usize;
                names.push((at, sheet_name(data.get(6..).unwrap_or(&[]))));
            }
            // NUMBER, LABEL, LABELSST, RK, BOOLERR, FORMULA: one cell each.
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 => cell(u16_at(0), u16_at(2), u16_at(2)),
            // MULRK: a run of cells from one column to another.
            0x00BD if len >= 6 => cell(u16_at(0), u16_at(2), u16_at(len - 2)),
            // EOF: the substream's area is known.
            0x000A => {
                if let Some((r0, r1, c0, c1)) = area.take() {
                    let cells = (u64::from(r1) - u64::from(r0) + 1) * (u64::from(c1) - u64::from(c0) + 1);
                    if cells > MAX_XLS_AREA {
                        let name = names.iter().find(|(at, _)| *at == substream).map_or("", |(_, n)| n.as_str());
                        return Err(format!(
                            "シート「{name}」は、使われている範囲（{} 行 × {} 列、約 {} 万セル）が広すぎて .xls のままでは読み込めません（この形式は範囲全体を一度に読むため）。\
                             Excelで開き、記録の表の外に入っている値や書式の行・列を削除してから、「名前を付けて保存」で .xlsx として保存し直してください",
                            u64::from(r1) - u64::from(r0) + 1,
                            u64::from(c1) - u64::from(c0) + 1,
                            cells / 10_000
                        ));
                    }
                }
            }
            _ => {}
        }
        pos += 4 + len;
    }
    Ok(())
}

/// A BOUNDSHEET's name (ShortXLUnicodeString: length, flags, characters).
fn sheet_name(data: &[u8]) -> String {
    let (Some(&n), Some(&flags)) = (data.first(), data.get(1)) else { return String::new() };
    let chars = data.get(2..).unwrap_or(&[]);
    if flags & 1 == 1 {
        let units: Vec<u16> =
            chars.chunks_exact(2).take(usize::from(n)).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(usize::from(n)).map(|&b| char::from(b)).collect()
    }
}

/// Every DIMENSIONS record (0x0200) of a BIFF stream must describe at most
/// what an .xls sheet can hold: 65,536 rows × 256 columns (the record
/// stores one past the last row and column).
fn check_dimensions(stream: &[u8]) -> Result<(), String> {
    let mut pos = 0usize;
    while let (Some(t), Some(l)) = (stream.get(pos..pos + 2), stream.get(pos + 2..pos + 4)) {
        let typ = u16::from_le_bytes([t[0], t[1]]);
        let len = usize::from(u16::from_le_bytes([l[0], l[1]]));
        let data = stream.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        if typ == 0x0200 {
            let u16_at = |at: usize| data.get(at..at + 2).map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])));
            let (first_row, last_row, first_col, last_col) = match len {
                10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                14 | 16 => (
                    u64::from(u32_at(data, 0).unwrap_or(0)),
                    u64::from(u32_at(data, 4).unwrap_or(0)),
                    u16_at(8),
                    u16_at(10),
                ),
                _ => (0, 0, 0, 0),
            };
            let rows = last_row.checked_sub(first_row).map(|r| r + 1);
            // calamine treats a first column above 0xFF as 0.
            let first_col = if first_col > 0xFF { 0 } else { first_col };
            let cols = last_col.checked_sub(first_col).map(|c| c + 1);
            match (rows, cols) {
                (Some(r), Some(c)) if r <= 65_537 && c <= 257 => {}
                _ => return Err(damaged("シートの大きさの記録が不正")),
            }
        }
        pos += 4 + len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn files_that_are_not_compound_files_pass() {
        assert!(check(b"PK\x03\x04 a zip").is_ok());
        assert!(check(&[]).is_ok());
    }

    #[test]
    fn the_corpus_xls_files_that_calamine_reads_pass() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/calamine-tests");
        let entries = std::fs::read_dir(&dir).expect("the corpus is part of the repository");
        let mut checked = 0;
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "xls") {
                let bytes = std::fs::read(&p).unwrap();
                let readable = <calamine::Xls<_> as calamine::Reader<_>>::new(std::io::Cursor::new(&bytes[..])).is_ok();
                if readable {
                    assert!(check(&bytes).is_ok(), "{} is readable but failed the check", p.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 5);
    }

    #[test]
    fn a_directory_chain_that_loops_is_refused() {
        // Header + FAT sector + directory sector whose FAT entry points to itself.
        let mut f = vec![0u8; 512 * 3];
        f[..8].copy_from_slice(super::SIGNATURE);
        f[30] = 9;
        f[44] = 1;
        f[48] = 1; // directory starts at sector 1
        f[60..64].copy_from_slice(&super::END_OF_CHAIN.to_le_bytes());
        f[68..72].copy_from_slice(&super::END_OF_CHAIN.to_le_bytes());
        f[76..80].copy_from_slice(&0u32.to_le_bytes()); // FAT in sector 0
        for i in 1..109 {
            f[76 + 4 * i..80 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        f[512..516].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        f[516..520].copy_from_slice(&1u32.to_le_bytes()); // sector 1 → sector 1: a loop
        let e = check(&f).unwrap_err();
        assert!(e.contains("壊れています"), "{e}");
    }

    #[test]
    fn a_sheet_spanning_more_cells_than_the_bound_is_refused_naming_it() {
        // Globals (BOF, BOUNDSHEET at offset 30 named 派遣, EOF), then the sheet:
        // BOF, a NUMBER at A1, one at IV65536, EOF.
        let rec = |typ: u16, data: &[u8]| {
            let mut r = typ.to_le_bytes().to_vec();
            r.extend_from_slice(&(data.len() as u16).to_le_bytes());
            r.extend_from_slice(data);
            r
        };
        let number = |row: u16, col: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend_from_slice(&col.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            d.extend_from_slice(&1.0f64.to_le_bytes());
            d
        };
        let name: Vec<u8> = "派遣".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let sheet = |far: (u16, u16)| {
            let mut globals = rec(0x0809, &[0; 16]);
            let mut bs = 0u32.to_le_bytes().to_vec(); // patched below
            bs.extend_from_slice(&[0, 0, 2, 1]);
            bs.extend_from_slice(&name);
            let bs_at = globals.len() + 4;
            globals.extend(rec(0x0085, &bs));
            globals.extend(rec(0x000A, &[]));
            let at = globals.len() as u32;
            globals[bs_at..bs_at + 4].copy_from_slice(&at.to_le_bytes());
            globals.extend(rec(0x0809, &[0; 16]));
            globals.extend(rec(0x0203, &number(0, 0)));
            globals.extend(rec(0x0203, &number(far.0, far.1)));
            globals.extend(rec(0x000A, &[]));
            globals
        };
        let e = super::check_areas(&sheet((65_535, 255))).unwrap_err();
        assert!(e.contains("「派遣」") && e.contains("65536 行 × 256 列") && e.contains(".xlsx"), "{e}");
        assert!(super::check_areas(&sheet((999, 20))).is_ok(), "1,000 × 21 cells are read");
    }

    #[test]
    fn a_forged_sheet_size_record_is_refused() {
        let record = |rows: u32, cols: u16| {
            let mut r = vec![0x00, 0x02, 14, 0];
            r.extend_from_slice(&0u32.to_le_bytes());
            r.extend_from_slice(&rows.to_le_bytes());
            r.extend_from_slice(&0u16.to_le_bytes());
            r.extend_from_slice(&cols.to_le_bytes());
            r.extend_from_slice(&[0, 0]);
            r
        };
        assert!(super::check_dimensions(&record(65_536, 256)).is_ok());
        assert!(super::check_dimensions(&record(4_000_000_000, 10)).is_err());
        assert!(super::check_dimensions(&record(10, 40_000)).is_err());
    }
}
