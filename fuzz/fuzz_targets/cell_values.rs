//! Any text or number through every cell-value parser: no panic, and
//! accepted counts are never negative.
#![no_main]

use corner_kpi::ingest::RawCell;
use corner_kpi::normalise::values::*;
use corner_kpi::text::{normalise_header, normalise_label};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let number = data.get(..8).map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8]))).unwrap_or(0.0);
    let cells = [
        RawCell::Text(text.clone()),
        RawCell::Float(number),
        RawCell::Int(number as i64),
        RawCell::Date { serial: number, is_1904: data.first().is_some_and(|b| b & 1 == 1) },
        RawCell::DateIso(text.clone()),
        RawCell::Error(text.clone()),
    ];
    for cell in &cells {
        let _ = parse_date(cell);
        let _ = parse_date_with_epoch(cell, true);
        if let Ok(Some(n)) = parse_count(cell) {
            assert!(n >= 0);
        }
        if let Ok(Some(n)) = parse_yen(cell) {
            assert!(n >= 0);
        }
        if let Ok(Some(h)) = parse_hours(cell) {
            assert!(h >= 0.0);
        }
        let _ = parse_flag(cell);
        let _ = parse_fiscal_year(cell);
        let _ = cell_text(cell);
    }
    let _ = parse_date_text(&text);
    let _ = serial_to_date(number, false);
    let _ = is_total_label(&text);
    let _ = normalise_header(&text);
    let _ = normalise_label(&text);
});
