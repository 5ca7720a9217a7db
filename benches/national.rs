//! A rerunnable benchmark of the read side (ingest → normalise → kpi) on a
//! large drop folder: the bundled sample folder copied N times (default 47,
//! one per prefecture), each copy in its own sub-folder with its workbooks
//! made distinct so the duplicate-file check does not skip them.
//!
//! `cargo bench --bench national -- [COPIES] [RUNS]`
//!
//! Prints the best and median wall time of RUNS runs and the throughput in
//! rows per second. Not a test: timings depend on the machine.

use corner_kpi::mapping::Mapping;
use corner_kpi::plan::Plan;
use std::path::Path;
use std::time::Instant;

fn copy_tree(from: &Path, to: &Path, salt: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target, salt)?;
        } else {
            let mut bytes = std::fs::read(entry.path())?;
            // Trailing bytes after a zip's end record are ignored by readers
            // but change the hash, so each copy is read, not deduplicated.
            bytes.extend_from_slice(format!("\n{salt}").as_bytes());
            std::fs::write(target, bytes)?;
        }
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`: only the plain arguments are ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let copies: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(47);
    let runs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5);
    let tmp = tempfile::tempdir()?;
    let samples = tmp.path().join("samples");
    corner_kpi_samples::write_samples(&samples)?;
    let folder = tmp.path().join("national");
    for i in 0..copies {
        copy_tree(&samples, &folder.join(format!("corner-{i:02}")), i)?;
    }
    let mapping = Mapping::embedded();
    let plan = Plan::embedded();
    let as_of = plan.fiscal_year.end();
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let ingested = corner_kpi::ingest::ingest(&folder, &mapping, false)?;
        let norm = corner_kpi::normalise::normalise(ingested, &mapping)?;
        let fig = corner_kpi::kpi::compute(&plan, &mapping, &norm.datasets, as_of)?;
        times.push(t.elapsed().as_secs_f64());
        rows = norm.quality.rows_read();
        std::hint::black_box(fig);
    }
    times.sort_by(f64::total_cmp);
    let best = times[0];
    let median = times[times.len() / 2];
    println!(
        "{copies} copies of the samples, {rows} rows: best {best:.3} s, median {median:.3} s over {runs} runs ({:.0} rows/s)",
        rows as f64 / best
    );
    Ok(())
}
