//! Test harness: build small workbooks in a temp folder, run the real
//! binary on them, and read what it wrote.

#![allow(dead_code)]

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temp folder with `in/` (the drop folder) and `out/`.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(tmp.path().join("in")).expect("in/");
        Dir { tmp }
    }
    pub fn input(&self) -> PathBuf {
        self.tmp.path().join("in")
    }
    pub fn output(&self) -> PathBuf {
        self.tmp.path().join("out")
    }
    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.input().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
        p
    }
    /// Runs `corner-kpi run --input in --output out ARGS…`.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_corner-kpi"));
        cmd.arg("run").arg("--input").arg(self.input()).arg("--output").arg(self.output()).args(args);
        cmd.env("CI", "1");
        cmd.output().expect("run corner-kpi")
    }
    /// The report folder of an as-of date.
    pub fn report(&self, fy: i32, as_of: &str) -> PathBuf {
        self.output().join(fy.to_string()).join(as_of)
    }
}

/// Runs the binary with `args` (as in CI: no progress bar).
pub fn corner_kpi<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corner-kpi")).args(args).env("CI", "1").output().expect("run corner-kpi")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A cell value for [`sheet`].
#[derive(Clone, Debug)]
pub enum V {
    S(&'static str),
    Str(String),
    N(f64),
    /// A real Excel date cell.
    D(i32, u32, u32),
    E,
    /// Any of the above, its font struck through (見え消し).
    X(Box<V>),
}

/// `v` struck through.
pub fn x(v: V) -> V {
    V::X(Box::new(v))
}

/// Writes one worksheet: `rows[i]` goes to row `i` (0-based), from column A.
pub fn fill(ws: &mut Worksheet, rows: &[Vec<V>]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, r as u32, c as u16, v, false);
        }
    }
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: &V, struck: bool) {
    let plain = if struck { Format::new().set_font_strikethrough() } else { Format::new() };
    let date = plain.clone().set_num_format("yyyy/m/d");
    match v {
        V::S(s) => {
            ws.write_string_with_format(r, c, *s, &plain).expect("write");
        }
        V::Str(s) => {
            ws.write_string_with_format(r, c, s, &plain).expect("write");
        }
        V::N(n) => {
            ws.write_number_with_format(r, c, *n, &plain).expect("write");
        }
        V::D(y, m, d) => {
            let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8).expect("date");
            ws.write_datetime_with_format(r, c, &dt, &date).expect("write");
        }
        V::E => {}
        V::X(inner) => put(ws, r, c, inner, true),
    }
}

/// An xlsx with the given sheets, as bytes.
pub fn xlsx(sheets: &[(&str, Vec<Vec<V>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        fill(ws, rows);
    }
    wb.save_to_buffer().expect("xlsx")
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
