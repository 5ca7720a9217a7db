//! Writes the bundled sample drop folder: `gen-samples <dir>` (default
//! `input-samples`). The folder is byte-identical on every run.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map_or_else(|| PathBuf::from("input-samples"), PathBuf::from);
    match corner_kpi_samples::write_samples(&dir) {
        Ok(()) => {
            println!("sample folder written to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-samples: cannot write {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}
