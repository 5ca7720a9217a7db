//! Whole-workbook ingest from arbitrary bytes, as every supported format:
//! any file must give sheets or a reason, never a crash, a hang or unbounded
//! memory. Reader panics are caught per file by the product itself
//! (`read_workbook_guarded`), so the fuzzer's abort-on-panic hook is replaced
//! by a quiet one: a panic that escapes the guard still aborts (the process
//! dies with it), one the guard catches is the product working.
#![no_main]

use corner_kpi::ingest::workbook::read_workbook_guarded;
use corner_kpi::mapping::Mapping;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn mapping() -> &'static Mapping {
    static M: OnceLock<Mapping> = OnceLock::new();
    M.get_or_init(Mapping::embedded)
}

fuzz_target!(
    init: {
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
        let Some((&selector, bytes)) = data.split_first() else { return };
        let ext = ["xlsx", "xls", "xlsb", "ods"][usize::from(selector % 4)];
        if let Ok(sheets) = read_workbook_guarded("fuzz", bytes, ext, mapping()) {
            for s in sheets {
                assert!(s.rows.len() + s.blank_rows < 2_000_000);
            }
        }
    }
);
