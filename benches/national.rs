//! The national benchmark: generated corner × year drop folders (the
//! samples crate's `national` generator) through the very `rollup` and
//! `run` a user calls, beside a bare calamine read of the same files with
//! the same number of threads, in the same run.
//!
//! ```text
//! cargo bench --bench national -- [--dir DIR] [--runs N] [--only 1|47|470|corner|json]
//! ```
//!
//! Points: 1 corner-year (1 corner × 1 year), 47 (47 × 1) and 470 (47 × 10):
//! for each, the floor (open every workbook, visit every cell) and the full
//! roll-up (ingest, normalise, every corner's KPIs, the national files),
//! with the time of each stage, rows per second, peak memory and the ratio
//! to the floor. Then one corner with ten years of history through the full
//! `run` with all its report files (and with one year, to show the cost
//! follows the rows read), and the roll-up of 47 corners' `kpis.json` only.
//! Every figure of every roll-up is checked against the generator's truth.
//!
//! Each measurement runs in a child process of this binary (so its peak
//! RSS, `VmHWM`, is its own); floor and pipeline alternate, `N` times each
//! (default 5), and the best and the median are shown. `--dir` keeps the
//! generated folders between runs (they are written once, 10–20 s for
//! 47 × 10). Not a test: nothing here asserts on a timing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use anyhow::{Context, bail};
use chrono::NaiveDate;
use corner_kpi::timing::{self, Stage};
use corner_kpi_samples::national::{self, NationTruth};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The corner of the single-corner points (山口, the bundled samples' corner).
const ONE: u8 = 35;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--child") {
        return child(&args[1..]);
    }
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let runs: usize = opt("--runs").map(|r| r.parse()).transpose().context("--runs N")?.unwrap_or(5).max(1);
    let only = opt("--only");
    let kept = opt("--dir").map(PathBuf::from);
    let tmp = tempfile::tempdir()?;
    let dir = kept.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let want = |p: &str| only.as_deref().is_none_or(|o| o == p);

    machine();
    println!("runs: {runs} of each (best / median); threads: {}", threads());
    println!();
    let mut table = Vec::new();
    for (label, codes, years) in [("1", vec![ONE], 1), ("47", all(), 1), ("470", all(), 10)] {
        if !want(label) {
            continue;
        }
        let (folder, truth) = nation(&dir, &format!("nation-{label}"), &codes, years)?;
        table.push(point(label, &folder, &truth, &dir, runs)?);
    }
    if !table.is_empty() {
        println!(
            "| corner-years | workbooks | rows | MB | floor (s) | roll-up (s) | ratio | rows/s | peak RSS roll-up | peak RSS floor |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in &table {
            println!("{row}");
        }
        println!();
    }
    if want("corner") {
        corner_points(&dir, runs)?;
    }
    if want("json") {
        json_point(&dir, runs)?;
    }
    if kept.is_none() {
        println!("(generated folders removed; --dir DIR keeps them)");
    }
    Ok(())
}

fn all() -> Vec<u8> {
    (1..=47).collect()
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn as_of() -> NaiveDate {
    national::as_of()
}

/// The machine, as the table states it.
fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu.lines().find_map(|l| l.strip_prefix("model name")).map(|l| l.trim_start_matches([' ', '\t', ':']));
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = mem.lines().find_map(|l| l.strip_prefix("MemTotal:")).map(str::trim);
    println!("machine: {} × {}, {} memory", threads(), model.unwrap_or("unknown CPU"), total.unwrap_or("unknown"));
}

/// A generated folder (written once when `--dir` keeps it) and its truth.
fn nation(dir: &Path, name: &str, codes: &[u8], years: usize) -> anyhow::Result<(PathBuf, NationTruth)> {
    let folder = dir.join(name);
    let marker = folder.join(".generated");
    if marker.is_file() {
        let truth = national::nation_truth(codes, years)?;
        return Ok((folder, truth));
    }
    if folder.exists() {
        std::fs::remove_dir_all(&folder)?;
    }
    let t = Instant::now();
    let truth = national::write_corners(&folder, codes, years)?;
    std::fs::write(&marker, b"")?;
    println!(
        "generated {name}: {} corners × {} years, {} workbooks, {} data rows, {:.1} MB in {:.1} s",
        codes.len(),
        years,
        truth.workbooks,
        truth.data_rows,
        truth.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    Ok((folder, truth))
}

/// What a child measured.
#[derive(Debug, Default, Clone)]
struct Measured {
    wall: f64,
    peak_kb: u64,
    stages: Vec<(String, f64)>,
}

/// Runs `args` in a child process of this binary and reads its report.
fn in_child(args: &[&str]) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe).arg("--child").args(args).env("CI", "1").output()?;
    if !out.status.success() {
        bail!("child {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let mut m = Measured::default();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some((k, v)) = line.split_once('=') else { continue };
        match k {
            "wall" => m.wall = v.parse()?,
            "peak_kb" => m.peak_kb = v.parse()?,
            _ => {
                if let Some(stage) = k.strip_prefix("stage:") {
                    m.stages.push((stage.to_string(), v.parse()?));
                }
            }
        }
    }
    Ok(m)
}

/// Best and median.
fn best_median(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    (s[0], s[s.len() / 2])
}

/// One point: floor and roll-up alternating, then the check against truth.
fn point(label: &str, folder: &Path, truth: &NationTruth, dir: &Path, runs: usize) -> anyhow::Result<String> {
    let out = dir.join(format!("out-{label}"));
    let (mut floor, mut roll) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        floor.push(in_child(&["floor", &folder.to_string_lossy()])?);
        if out.exists() {
            std::fs::remove_dir_all(&out)?;
        }
        roll.push(in_child(&["rollup", &folder.to_string_lossy(), &out.to_string_lossy()])?);
    }
    let ok = check_national(&out, truth)?;
    let (fb, fm) = best_median(&floor.iter().map(|m| m.wall).collect::<Vec<_>>());
    let (rb, rm) = best_median(&roll.iter().map(|m| m.wall).collect::<Vec<_>>());
    let peak = |ms: &[Measured]| ms.iter().map(|m| m.peak_kb).max().unwrap_or(0) as f64 / 1024.0;
    let rows = truth.data_rows as f64;
    println!("== {label} corner-years: {} workbooks, {} data rows", truth.workbooks, truth.data_rows);
    println!(
        "  floor (bare calamine read, {} threads): best {fb:.3} s, median {fm:.3} s, peak RSS {:.0} MB",
        threads(),
        peak(&floor)
    );
    println!(
        "  roll-up (corner-kpi rollup):           best {rb:.3} s, median {rm:.3} s, peak RSS {:.0} MB",
        peak(&roll)
    );
    println!("  ratio to the floor: best {:.2}×, median {:.2}×", rb / fb, rm / fm);
    println!("  rows/s: roll-up {:.0}, floor {:.0}", rows / rb, rows / fb);
    print_stages(&roll);
    println!("  figures = truth: {}", if ok { "yes" } else { "NO" });
    println!();
    Ok(format!(
        "| {label} | {} | {} | {:.1} | {fb:.3} | {rb:.3} | {:.2}× | {:.0} | {:.0} MB | {:.0} MB |",
        truth.workbooks,
        truth.data_rows,
        folder_mb(folder),
        rb / fb,
        rows / rb,
        peak(&roll),
        peak(&floor)
    ))
}

/// Stage times of the best run: busy time summed over threads, and its share.
fn print_stages(runs: &[Measured]) {
    let Some(best) = runs.iter().min_by(|a, b| a.wall.total_cmp(&b.wall)) else { return };
    let total: f64 = best.stages.iter().map(|(_, v)| v).sum();
    let shown: Vec<String> = best
        .stages
        .iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(k, v)| format!("{k} {v:.3} s ({:.0}%)", 100.0 * v / total.max(1e-9)))
        .collect();
    println!("  stages (busy time over all threads, best run): {}", shown.join(", "));
}

fn folder_mb(folder: &Path) -> f64 {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum::<u64>() as f64
        / 1e6
}

/// Every ok corner's planted figures in `national.json` equal the truth, and
/// the national totals their sum.
fn check_national(out: &Path, truth: &NationTruth) -> anyhow::Result<bool> {
    let path = out.join(truth.fiscal_year.to_string()).join(as_of().to_string()).join("national.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).context("national.json")?)?;
    let mut ok = true;
    let corners = doc["corners"].as_array().cloned().unwrap_or_default();
    if corners.len() != truth.corners.len() {
        println!("  {} corners in national.json, {} planted", corners.len(), truth.corners.len());
        ok = false;
    }
    for c in &corners {
        let folder = c["folder"].as_str().unwrap_or_default();
        let Some(t) = truth.corner(folder) else {
            println!("  unknown corner {folder}");
            ok = false;
            continue;
        };
        if c["state"] != "ok" {
            println!("  {folder}: state {} ({})", c["state"], c["reason"]);
            ok = false;
            continue;
        }
        for (id, want) in t.actuals(as_of()) {
            let got = c["kpis"]
                .as_array()
                .and_then(|ks| ks.iter().find(|k| k["id"] == id))
                .and_then(|k| k["actual"].as_f64());
            if got != Some(want) {
                println!("  {folder} {id}: national.json {got:?}, planted {want}");
                ok = false;
            }
        }
    }
    for (id, want) in truth.totals(as_of()) {
        let got = doc["totals"]
            .as_array()
            .and_then(|ts| ts.iter().find(|k| k["id"] == id))
            .and_then(|k| k["actual"].as_f64());
        if got != Some(want) {
            println!("  total {id}: national.json {got:?}, planted {want}");
            ok = false;
        }
    }
    Ok(ok)
}

/// One corner with ten years of history, and with one, through `run`.
fn corner_points(dir: &Path, runs: usize) -> anyhow::Result<()> {
    let mut lines = Vec::new();
    for years in [1usize, 10] {
        let (folder, truth) = nation(dir, &format!("corner-{years}y"), &[ONE], years)?;
        let corner = folder.join(national::corner_folder(ONE));
        let out = dir.join(format!("out-corner-{years}y"));
        let mut ms = Vec::new();
        for _ in 0..runs {
            if out.exists() {
                std::fs::remove_dir_all(&out)?;
            }
            ms.push(in_child(&["run", &corner.to_string_lossy(), &out.to_string_lossy()])?);
        }
        let ok = check_run(&out, &truth)?;
        let (b, m) = best_median(&ms.iter().map(|m| m.wall).collect::<Vec<_>>());
        let peak = ms.iter().map(|m| m.peak_kb).max().unwrap_or(0) as f64 / 1024.0;
        println!(
            "== one corner × {years} year(s) through `run` (all six report files): {} workbooks, {} rows",
            truth.workbooks, truth.data_rows
        );
        println!("  best {b:.3} s, median {m:.3} s, peak RSS {peak:.0} MB, {:.0} rows/s", truth.data_rows as f64 / b);
        print_stages(&ms);
        println!("  figures = truth (with 前年同期): {}", if ok { "yes" } else { "NO" });
        println!();
        lines.push((years, truth.data_rows, b, peak));
    }
    if let [(_, r1, t1, _), (_, r10, t10, _)] = lines[..] {
        println!("  ten years / one year: {:.1}× the rows, {:.1}× the time", r10 as f64 / r1 as f64, t10 / t1);
        println!();
    }
    Ok(())
}

/// The corner's kpis.json: every planted figure and its 前年同期 equal the truth.
fn check_run(out: &Path, truth: &NationTruth) -> anyhow::Result<bool> {
    let path = out.join(truth.fiscal_year.to_string()).join(as_of().to_string()).join("kpis.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).context("kpis.json")?)?;
    let t = &truth.corners[0];
    let kpi = |id: &str| doc["kpis"].as_array().and_then(|ks| ks.iter().find(|k| k["id"] == id)).cloned();
    let mut ok = true;
    for (id, want) in t.actuals(as_of()) {
        let got = kpi(id).and_then(|k| k["actual"].as_f64());
        if got != Some(want) {
            println!("  {id}: kpis.json {got:?}, planted {want}");
            ok = false;
        }
    }
    for (id, want) in t.previous_year_to_date(as_of()) {
        let got = kpi(id).and_then(|k| k["previous_year_to_date"].as_f64());
        if got != want {
            println!("  {id} 前年同期: kpis.json {got:?}, planted {want:?}");
            ok = false;
        }
    }
    Ok(ok)
}

/// The roll-up of 47 corners given by their `kpis.json` only.
fn json_point(dir: &Path, runs: usize) -> anyhow::Result<()> {
    let (folder, truth) = nation(dir, "nation-47", &all(), 1)?;
    let jsons = dir.join("kpis-47");
    if !jsons.join(".generated").is_file() {
        // Each corner's own monthly run writes its kpis.json.
        for c in &truth.corners {
            let out = dir.join("out-json-runs");
            corner_kpi::run(&run_config(&folder.join(&c.folder), &out))?;
            let from = out.join(truth.fiscal_year.to_string()).join(as_of().to_string()).join("kpis.json");
            std::fs::create_dir_all(jsons.join(&c.folder))?;
            std::fs::copy(&from, jsons.join(&c.folder).join("kpis.json"))?;
            std::fs::remove_dir_all(&out)?;
        }
        std::fs::write(jsons.join(".generated"), b"")?;
    }
    let out = dir.join("out-json");
    let mut ms = Vec::new();
    for _ in 0..runs {
        if out.exists() {
            std::fs::remove_dir_all(&out)?;
        }
        ms.push(in_child(&["rollup", &jsons.to_string_lossy(), &out.to_string_lossy()])?);
    }
    let ok = check_national(&out, &truth)?;
    let (b, m) = best_median(&ms.iter().map(|m| m.wall).collect::<Vec<_>>());
    let peak = ms.iter().map(|m| m.peak_kb).max().unwrap_or(0) as f64 / 1024.0;
    println!("== roll-up of 47 kpis.json (no workbook read)");
    println!("  best {:.1} ms, median {:.1} ms, peak RSS {peak:.0} MB", b * 1e3, m * 1e3);
    print_stages(&ms);
    println!("  figures = truth: {}", if ok { "yes" } else { "NO" });
    println!();
    Ok(())
}

fn run_config(input: &Path, output: &Path) -> corner_kpi::Config {
    corner_kpi::Config {
        input: input.to_path_buf(),
        plan: corner_kpi::Source::File(input.join("plan.toml")),
        mapping: corner_kpi::Source::Embedded,
        as_of: corner_kpi::AsOf::Date(as_of()),
        output: output.to_path_buf(),
        progress: false,
        today: as_of(),
        mail: None,
        html_templates: None,
    }
}

// ---------------------------------------------------------------------------
// Children: one measurement each, reported as `key=value` lines.

fn child(args: &[String]) -> anyhow::Result<()> {
    let arg = |i: usize| args.get(i).map(PathBuf::from).context("missing argument");
    timing::reset();
    let t = Instant::now();
    match args.first().map(String::as_str) {
        Some("floor") => floor(&arg(1)?)?,
        Some("rollup") => {
            let config = corner_kpi::config::RollupConfig {
                input: arg(1)?,
                output: arg(2)?,
                as_of: corner_kpi::AsOf::Date(as_of()),
                today: as_of(),
                progress: false,
                html_templates: None,
            };
            corner_kpi::app::rollup(&config)?;
        }
        Some("run") => {
            corner_kpi::run(&run_config(&arg(1)?, &arg(2)?))?;
        }
        other => bail!("unknown child {other:?}"),
    }
    let wall = t.elapsed();
    println!("wall={}", wall.as_secs_f64());
    println!("peak_kb={}", peak_kb());
    for (stage, d) in timing::totals() {
        if d > Duration::ZERO {
            println!("stage:{}={}", Stage::name(stage), d.as_secs_f64());
        }
    }
    Ok(())
}

/// Peak resident memory of this process (`VmHWM`, kB).
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The floor: every workbook under `root` read with calamine, every cell
/// of every sheet visited, `threads()` workbooks at once (as the roll-up
/// reads: one corner per thread, one workbook at a time).
fn floor(root: &Path) -> anyhow::Result<()> {
    use calamine::{Reader, Xlsx};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let books: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "xlsx")
                && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("~$"))
        })
        .collect();
    let next = AtomicUsize::new(0);
    let cells = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads() {
            s.spawn(|| {
                let mut seen = 0usize;
                while let Some(path) = books.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Ok(bytes) = std::fs::read(path) else { continue };
                    let Ok(mut book) = Xlsx::new(std::io::Cursor::new(bytes)) else { continue };
                    for name in book.sheet_names() {
                        let Ok(mut reader) = book.worksheet_cells_reader(&name) else { continue };
                        while let Ok(Some(cell)) = reader.next_cell() {
                            seen += usize::from(!matches!(cell.get_value(), calamine::DataRef::Empty));
                        }
                    }
                }
                cells.fetch_add(seen, Ordering::Relaxed);
            });
        }
    });
    println!("cells={}", cells.load(Ordering::Relaxed));
    Ok(())
}
