//! Writes the bundled sample drop folder: `gen-samples <dir>` (default
//! `input-samples`). The folder is byte-identical on every run.
//!
//! `gen-samples --nation <dir> [CORNERS] [YEARS]` writes a national roll-up
//! folder instead (default 47 corners × 10 fiscal years; see the crate's
//! `national` module).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--nation") {
        return nation(&args[1..]);
    }
    let dir = args.first().map_or_else(|| PathBuf::from("input-samples"), PathBuf::from);
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

fn nation(args: &[String]) -> ExitCode {
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("gen-samples: usage: gen-samples --nation <dir> [CORNERS] [YEARS]");
        return ExitCode::from(2);
    };
    let number = |i: usize, default: usize| match args.get(i) {
        None => Some(default),
        Some(a) => a.parse::<usize>().ok().filter(|n| *n >= 1),
    };
    let (Some(corners), Some(years)) = (number(1, 47), number(2, 10)) else {
        eprintln!("gen-samples: CORNERS (1–47) and YEARS must be positive numbers");
        return ExitCode::from(2);
    };
    match corner_kpi_samples::national::write_nation(&dir, corners, years) {
        Ok(t) => {
            println!(
                "national folder written to {}: {} corners × {} years, {} workbooks, {} data rows, {:.1} MB (as of {})",
                dir.display(),
                t.corners.len(),
                t.years.len(),
                t.workbooks,
                t.data_rows,
                t.bytes as f64 / 1e6,
                t.as_of
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-samples: cannot write {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}
