//! Whole-workbook ingest from arbitrary bytes, as every supported format:
//! any file must give sheets or a reason, never a panic or a hang.
#![no_main]

use corner_kpi::ingest::workbook::read_workbook;
use corner_kpi::mapping::Mapping;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn mapping() -> &'static Mapping {
    static M: OnceLock<Mapping> = OnceLock::new();
    M.get_or_init(Mapping::embedded)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let ext = ["xlsx", "xls", "xlsb", "ods"][usize::from(selector % 4)];
    if let Ok(sheets) = read_workbook("fuzz", bytes, ext, mapping()) {
        for s in sheets {
            assert!(s.rows.len() + s.blank_rows < 2_000_000);
        }
    }
});
